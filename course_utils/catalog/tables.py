"""Catalogue, provider and key tables that Jupyter shows as HTML and `print`/nbval see as aligned text."""
from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ..text import CATALOG, KEY_FIELDS
from ..text_width import pad, width
from .account import KeyInfo
from .models import ModelRow
from .providers import EndpointRow


@dataclass(frozen=True)
class Table:
    """A small table that Jupyter shows as HTML and `print`/nbval see as aligned text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""

    def __repr__(self) -> str:
        widths = [max(width(c) for c in column) for column in zip(self.headers, *self.rows, strict=False)]
        lines = ["  ".join(pad(c, w) for c, w in zip(line, widths, strict=False)).rstrip()
                 for line in (self.headers, *self.rows)]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines + ([self.note] if self.note else []))

    __str__ = __repr__

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                       for row in self.rows)
        note = f"<p>{html.escape(self.note)}</p>" if self.note else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def _num(value: object, digits: int = 6) -> str:
    if value is None:
        return CATALOG["missing"]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)  # a server's odd value (or CATALOG["unknown"]) is shown as it came
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _limited(rows: Sequence, limit: int | None) -> tuple[Sequence, str]:
    if not rows:
        return rows, CATALOG["no_rows"]
    if limit is None or len(rows) <= limit:
        return rows, ""
    return rows[:limit], CATALOG["more_rows"].format(total=len(rows), shown=limit)


def show_models(rows: Sequence[ModelRow], limit: int | None = 20) -> Table:
    """The catalogue rows as a Japanese table (first `limit` rows; None shows all)."""
    shown, note = _limited(rows, limit)
    headers = tuple(CATALOG[k] for k in ("col_id", "col_name", "col_free", "col_input", "col_output", "col_context"))
    return Table(headers, tuple(
        (r.id, r.name, CATALOG["free_mark"] if r.free else "", _num(r.input_per_m), _num(r.output_per_m),
         _num(r.context_length)) for r in shown), note)


def show_endpoints(rows: Sequence[EndpointRow]) -> Table:
    """The providers of one model as a Japanese table."""
    shown, note = _limited(rows, None)
    headers = tuple(CATALOG[k] for k in ("col_provider", "col_tag", "col_quantization", "col_input", "col_output",
                                         "col_context", "col_uptime"))
    return Table(headers, tuple(
        (r.provider_name, r.tag, r.quantization or CATALOG["missing"], _num(r.input_per_m), _num(r.output_per_m),
         _num(r.context_length), _num(r.uptime, 1)) for r in shown), note)


def _key_value(info: KeyInfo, name: str) -> str:
    if name == "label":
        return CATALOG["hidden"]
    if name == "rate_limit":
        return CATALOG["ignored"]
    value = getattr(info, name)
    if name in ("limit", "limit_remaining") and value is None:
        return CATALOG["unlimited"]
    if isinstance(value, bool):
        return CATALOG["yes"] if value else CATALOG["no"]
    if isinstance(value, dict):
        return CATALOG["free_requests"].format(**{k: _num(value.get(k)) for k in ("used", "limit", "remaining")})
    if value is None or isinstance(value, str):
        return value or CATALOG["missing"]
    return _num(value)


def show_key_info(info: KeyInfo) -> Table:
    """The key's usage and limits as a Japanese table: field, value, what it means. Never the label's value."""
    headers = (CATALOG["col_field"], CATALOG["col_value"], CATALOG["col_meaning"])
    return Table(headers, tuple((name, _key_value(info, name), meaning)
                                for name, meaning in KEY_FIELDS.items() if name in info.present))
