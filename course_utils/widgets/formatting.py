"""How the widgets show things: numbers, prices, answers as Markdown, explanation boxes, the widget itself."""
from __future__ import annotations

import dataclasses
import functools
import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..text import WIDGETS as TEXT

if TYPE_CHECKING:
    import ipywidgets

    from ..error_box import Explanation

Adjust = Callable[["Explanation"], "Explanation"]

# Explained cases whose next step (errors.py) says to fix the lesson's model cell: in the prompt sender
# the model comes from its モデル box instead.
WRONG_MODEL_CASES = ("model_invalid", "free_retired", "no_endpoints")


def explain_html(exc: BaseException, *adjust: Adjust) -> str:
    """The Japanese explanation box, each `adjust` saying it for the widget where the lesson's advice does
    not fit (the lessons' next steps name cells and arguments a widget user never wrote)."""
    from ..error_box import explain

    explanation = explain(exc)
    for change in adjust:
        explanation = change(explanation)
    return explanation._repr_html_()


def in_model_box(model: str) -> Adjust:
    """A wrong model's next step names the sender's モデル box, not the lesson's model cell."""
    def change(explanation: Explanation) -> Explanation:
        from ..catalog.suggestions import close_ids_hint

        if explanation.case not in WRONG_MODEL_CASES:
            return explanation
        return dataclasses.replace(
            explanation, next_step=TEXT["fix_model_box"].format(suggestions=close_ids_hint(model)))
    return change


def stalled(widget: str, seconds: float) -> Adjust:
    """A timeout is the widget's own wait (`seconds` without a byte), not a timeout= the learner set."""
    def change(explanation: Explanation) -> Explanation:
        if explanation.case != "client_timeout":
            return explanation
        return dataclasses.replace(explanation, cause=TEXT["stalled_cause"].format(seconds=round(seconds)),
                                   next_step=TEXT["stalled_next"][widget])
    return change


def money(cost: float | None) -> str:
    """A cost in USD as the tables show it ("$0（無料）" for free, 不明 when not reported)."""
    if cost is None:
        return TEXT["unknown"]
    if cost == 0:
        return TEXT["cost_free"]
    return "$" + f"{cost:.8f}".rstrip("0").rstrip(".")


def price(value: float | None) -> str:
    """A price per million tokens ("—" when unknown)."""
    if value is None:
        return "—"
    return "$" + (f"{value:,.4f}".rstrip("0").rstrip(".") or "0")


def tokens(count: int | None) -> str:
    """A context length in short form (128K, 1M; "—" when unknown)."""
    if not count:
        return "—"
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}".removesuffix(".0") + "M"
    return f"{count // 1000}K" if count >= 1000 else str(count)


def pre(text: str) -> str:
    """Plain text kept as written (line breaks included)."""
    return f'<div style="white-space: pre-wrap; line-height: 1.6">{html.escape(text)}</div>'


def answer_html(text: str) -> str:
    """A model's answer as HTML: its Markdown (lists, bold, code, tables) rendered, as chat sites show it.

    Raw HTML in the answer is escaped and javascript:/data: links are disabled (mistune's escape and
    safe-URL rules), so nothing a model writes runs in the learner's browser.
    """
    return f'<div style="line-height: 1.6">{_markdown()(text)}</div>'


def images_html(urls: list[str]) -> str:
    """Generated images (data URLs) under the answer."""
    return "".join(f'<div><img src="{html.escape(url, quote=True)}" style="max-width:100%"></div>' for url in urls)


@functools.lru_cache(maxsize=1)
def _markdown() -> Callable[[str], str]:
    import mistune

    return mistune.create_markdown(escape=True, hard_wrap=True, plugins=["strikethrough", "table"])


def usage_value(usage: Any, name: str) -> Any:
    """One field of a response's usage (None if the response had no usage)."""
    return getattr(usage, name, None) if usage is not None else None


def count(usage: Any, name: str) -> str:
    """A token count from a response's usage ("—" when not reported)."""
    value = usage_value(usage, name)
    return "—" if value is None else str(value)


class Shown:
    """Mixin: a notebook cell that ends with the object displays its widget.

    The bundle's text/plain is what JupyterLab draws when the widget itself cannot be (a lesson opened
    without running it, or reloaded) and what a saved notebook keeps: one Japanese line saying what
    appears when the cell runs, instead of ipywidgets' `VBox(children=(…` repr.
    """

    widget: ipywidgets.Widget
    placeholder: str  # which TEXT["placeholder"] line stands in for the widget

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return {**self.widget._repr_mimebundle_(**kwargs), "text/plain": TEXT["placeholder"][self.placeholder]}
