"""OpenRouter's model catalogue, providers, key limits and call costs, as data and Japanese tables.

Every call goes through a plain `openai.OpenAI` client (`client.get(...)`), so replay (vcrpy) and live
mode work the same. Prices arrive as strings in USD per token; the course shows USD per 1M tokens.
"""
from __future__ import annotations

import html
import json
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import config, replay
from ..exceptions import InputProblem, KeyProblem
from ..keys import KEY_MESSAGES

PER_MILLION = Decimal(1_000_000)

# Learner-facing text.
TEXTS = {
    "col_id": "モデルID",
    "col_name": "名前",
    "col_free": "無料",
    "col_input": "入力 $/1M",
    "col_output": "出力 $/1M",
    "col_context": "コンテキスト長",
    "col_provider": "プロバイダ",
    "col_tag": "タグ（指定用）",
    "col_quantization": "量子化",
    "col_uptime": "稼働率 %（直近30分）",
    "col_field": "項目",
    "col_value": "値",
    "col_meaning": "意味",
    "free_mark": "○",
    "missing": "—",
    "more_rows": "（全{total}件のうち{shown}件を表示）",
    "no_rows": "（該当するものはありません）",
    "unlimited": "上限なし",
    "yes": "はい",
    "no": "いいえ",
    "hidden": "（表示しません）",
    "ignored": "（省略）",
    "free_requests": "{used} 回使用 / 上限 {limit} 回（残り {remaining} 回）",
    "bad_sort": "sort には {choices} のどれかを指定してください（指定された値: {value!r}）。",
    "bad_model_id": "モデルIDは「メーカー/モデル名」の形で指定してください（指定された値: {value!r}）。",
    "unknown_model": "モデル {model!r} はカタログにありません。IDのつづりを確認するか、"
                     "list_models() で今あるモデルを確かめてください。",
    "price_varies": "モデル {model!r} の料金は固定ではない（使われたモデルで決まる）ため、見積もれません。",
    "bad_rate": "為替レート（1ドルが何円か）は 0 より大きい数で指定してください。",
}


def _bad_value(message: str) -> InputProblem:
    """A wrong argument, explained in Japanese like the course's other input problems (still a ValueError)."""
    return InputProblem("value_invalid", message)

# What each /key field means, in the order the table shows them. `label` is a masked piece of the key:
# it is listed so learners know it exists, but its value is never read into KeyInfo.
KEY_FIELDS = {
    "label": "キーの先頭と末尾を伏せ字で示したもの。一部であってもキーは人に見せないので、ここでは表示しません。",
    "usage": "このキーでこれまでに使った金額（USD）。無料モデルだけを使っていれば増えません。",
    "usage_daily": "今日（UTC の0時から）使った金額（USD）。",
    "usage_monthly": "今月使った金額（USD）。",
    "limit": "このキーに設定した利用上限（USD）。上限を決めておくと使いすぎを防げます。",
    "limit_remaining": "上限までの残り（USD）。",
    "limit_reset": "上限がリセットされる周期（daily / weekly / monthly）。",
    "is_free_tier": "まだクレジットを購入したことがないアカウントなら「はい」。",
    "free_model_daily_requests": "今日（UTC）の無料モデルの利用回数と1日の上限。上限はこれまでのクレジット購入額で変わります。",
    "expires_at": "キーの有効期限。空なら期限なし。",
    "rate_limit": "古い項目で、今は使われていません（無視してかまいません）。",
}


# -- the API client ---------------------------------------------------------------------------------

_clients: dict[tuple[str, str], Any] = {}


def _client():
    """A plain OpenAI client for OpenRouter; the key only ever comes from the environment.

    One client per (base URL, key) is reused: building one costs 20-45 ms (bench/RESULTS.md).
    """
    from openai import OpenAI

    key = os.environ.get(config.KEY_VAR)
    if not key:
        # Without this, openai would fall back to OPENAI_API_KEY and send it to OpenRouter.
        raise KeyProblem("missing", KEY_MESSAGES["missing"])
    url = config.base_url()
    if (url, key) not in _clients:
        _clients[(url, key)] = OpenAI(base_url=url, api_key=key)
    return _clients[(url, key)]


def _get(path: str, params: dict[str, str] | None = None) -> Any:
    """GET an OpenRouter info endpoint and unwrap its `{"data": ...}` envelope."""
    options = {"params": params} if params else {}
    body = _client().get(path, cast_to=object, options=options)
    return body.get("data") if isinstance(body, dict) else body


# -- the catalogue ----------------------------------------------------------------------------------

_cache: dict[tuple[str, bool], list[dict]] = {}


def _source() -> tuple[str, bool]:
    # A replayed catalogue must not stand in for the live one after the learner switches modes.
    return config.base_url(), replay.active() is not None


def list_models(refresh: bool = False) -> list[dict]:
    """GET /models: every model's raw entry; fetched once per session unless `refresh=True`."""
    source = _source()
    if refresh or source not in _cache:
        _cache[source] = list(_get("/models") or [])
    return _cache[source]


def get_model(model_id: str) -> dict | None:
    """The catalogue entry for `model_id`, or None if the catalogue does not list it."""
    return next((m for m in list_models() if m.get("id") == model_id), None)


def _recorded_catalogue() -> list[dict]:
    """Models from the /models responses in the recordings (merged by id; never the network)."""
    folder = config.recordings_dir()
    try:
        stamp = folder.stat().st_mtime_ns
    except OSError:
        return []
    return _parse_recorded_catalogue(folder, stamp)


@lru_cache(maxsize=1)
def _parse_recorded_catalogue(folder: Path, stamp: int) -> list[dict]:
    # `stamp` (the folder's mtime) is only the cache key: parsing YAML is slow, and recordings change only
    # when the record command writes a new file and renames it into place, which changes the folder's mtime.
    # One stat instead of one per file: the prompt checks call this before every request.
    from vcr.persisters.filesystem import CassetteNotFoundError
    from vcr.serializers import yamlserializer

    try:
        requests, responses = replay.LibraryPersister.load_cassette(folder, yamlserializer)
    except CassetteNotFoundError:
        return []
    merged: dict[str, dict] = {}
    for request, response in zip(requests, responses):
        if urlsplit(request.uri).path.rstrip("/").endswith("/models") and response["status"]["code"] == 200:
            body = json.loads(response["body"]["string"] or b"{}")
            merged.update((m["id"], m) for m in body.get("data") or [] if "id" in m)
    return list(merged.values())


def _offline_catalogue() -> list[dict]:
    return _cache.get(_source()) or _recorded_catalogue()


def known_model_ids() -> list[str]:
    """Model ids from the fetched catalogue if there is one, else from the recordings. Never calls the API."""
    return [m["id"] for m in _offline_catalogue()]


def context_length(model_id: str) -> int | None:
    """A model's context length in tokens (same sources as `known_model_ids`), or None if unknown."""
    entry = next((m for m in _offline_catalogue() if m.get("id") == model_id), None)
    return entry.get("context_length") if entry else None


def price_per_million(price: str | None) -> float | None:
    """USD per token (the API's string) -> USD per 1M tokens, as the website shows; None if not a fixed price."""
    try:
        value = Decimal(str(price)) if price is not None else None
    except InvalidOperation:
        return None
    # Routers such as openrouter/auto use "-1": the price depends on the model that ends up answering.
    if value is None or value < 0:
        return None
    return float(value * PER_MILLION)


def is_free(model: dict) -> bool:
    """True for a `:free` variant or a model whose prompt and completion prices are both zero."""
    if str(model.get("id", "")).endswith(":free"):
        return True
    pricing = model.get("pricing") or {}
    return price_per_million(pricing.get("prompt")) == 0 and price_per_million(pricing.get("completion")) == 0


def maker_of(model_id: str) -> str:
    """The maker part of a model id: `google/gemma-4-31b-it:free` -> `google`."""
    return model_id.lstrip("~").split("/", 1)[0]


@dataclass(frozen=True)
class ModelRow:
    """One catalogue line as the course shows it (prices in USD per 1M tokens)."""

    id: str
    name: str
    maker: str
    free: bool
    input_per_m: float | None
    output_per_m: float | None
    context_length: int | None


def _model_row(model: dict) -> ModelRow:
    pricing = model.get("pricing") or {}
    return ModelRow(id=model["id"], name=model.get("name") or model["id"], maker=maker_of(model["id"]),
                    free=is_free(model), input_per_m=price_per_million(pricing.get("prompt")),
                    output_per_m=price_per_million(pricing.get("completion")),
                    context_length=model.get("context_length"))


def _unknown_last(value: float | None) -> tuple[bool, float]:
    return value is None, value or 0.0


_SORT_KEYS = {
    "price": lambda r: (_unknown_last(r.input_per_m), _unknown_last(r.output_per_m), r.id),
    "context": lambda r: (-(r.context_length or 0), r.id),
    "name": lambda r: (r.name.lower(), r.id),
    "id": lambda r: r.id,
}


def models_table(models: Iterable[dict], *, free_only: bool = False, maker: str | None = None,
                 search: str = "", max_price: float | None = None, min_context: int | None = None,
                 sort: str = "price") -> list[ModelRow]:
    """Filter and sort catalogue entries. `max_price` caps the input price ($/1M); `sort`: price, context, name, id."""
    if sort not in _SORT_KEYS:
        raise _bad_value(TEXTS["bad_sort"].format(choices=" / ".join(_SORT_KEYS), value=sort))
    maker = maker.lower() if maker else None
    needle = search.strip().lower()
    rows = []
    for row in map(_model_row, models):
        if free_only and not row.free:
            continue
        if maker and row.maker.lower() != maker:
            continue
        if needle and needle not in row.id.lower() and needle not in row.name.lower():
            continue
        if max_price is not None and (row.input_per_m is None or row.input_per_m > max_price):
            continue
        if min_context is not None and (row.context_length or 0) < min_context:
            continue
        rows.append(row)
    return sorted(rows, key=_SORT_KEYS[sort])


def makers_count(models: Iterable[dict]) -> list[tuple[str, int]]:
    """How many models each maker (id prefix) has, most first (ties by name)."""
    counts = Counter(maker_of(m["id"]) for m in models)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# -- providers of one model -------------------------------------------------------------------------

@dataclass(frozen=True)
class EndpointRow:
    """One provider serving a model (prices in USD per 1M tokens, uptime in percent over the last 30 min)."""

    provider_name: str
    tag: str
    quantization: str | None
    context_length: int | None
    input_per_m: float | None
    output_per_m: float | None
    uptime: float | None


def endpoints(model_id: str) -> list[EndpointRow]:
    """GET /models/{author}/{slug}/endpoints: who serves `model_id`, cheapest input price first."""
    if model_id.count("/") != 1 or model_id.strip() != model_id:
        raise _bad_value(TEXTS["bad_model_id"].format(value=model_id))
    data = _get(f"/models/{model_id}/endpoints") or {}
    rows = []
    for e in data.get("endpoints") or []:
        pricing = e.get("pricing") or {}
        rows.append(EndpointRow(
            provider_name=e.get("provider_name") or "", tag=e.get("tag") or "",
            quantization=e.get("quantization"), context_length=e.get("context_length"),
            input_per_m=price_per_million(pricing.get("prompt")),
            output_per_m=price_per_million(pricing.get("completion")), uptime=e.get("uptime_last_30m")))
    return sorted(rows, key=lambda r: (_unknown_last(r.input_per_m), _unknown_last(r.output_per_m)))


# -- the key and a call's cost ----------------------------------------------------------------------

@dataclass(frozen=True)
class KeyInfo:
    """What GET /key says about the key's spending and limits. Holds no part of the key (`label` is dropped)."""

    usage: float | None
    usage_daily: float | None
    usage_monthly: float | None
    limit: float | None
    limit_remaining: float | None
    limit_reset: str | None
    is_free_tier: bool | None
    free_model_daily_requests: dict[str, int] | None
    expires_at: str | None
    present: tuple[str, ...] = field(default=(), repr=False)  # KEY_FIELDS the response had: the table lists only those


def key_info() -> KeyInfo:
    """GET /key: usage, limits and the free-model daily counter of the key in the environment."""
    data = _get("/key") or {}
    return KeyInfo(
        usage=data.get("usage"), usage_daily=data.get("usage_daily"), usage_monthly=data.get("usage_monthly"),
        limit=data.get("limit"), limit_remaining=data.get("limit_remaining"),
        limit_reset=data.get("limit_reset"), is_free_tier=data.get("is_free_tier"),
        free_model_daily_requests=data.get("free_model_daily_requests"), expires_at=data.get("expires_at"),
        present=tuple(name for name in KEY_FIELDS if name in data))


def generation(gen_id: str) -> dict:
    """GET /generation?id=...: tokens, cost (USD) and provider of one finished call.

    Right after a call OpenRouter may still answer 404 (`openai.NotFoundError`); run it again a moment later.
    """
    return _get("/generation", params={"id": gen_id}) or {}


def estimate_cost(model: dict | str, prompt_tokens: int, completion_tokens: int) -> float:
    """USD for one call: tokens x the catalogue's per-token prices (plus any per-request price)."""
    entry = get_model(model) if isinstance(model, str) else model
    if entry is None:
        raise _bad_value(TEXTS["unknown_model"].format(model=model))
    pricing = entry.get("pricing") or {}
    total = Decimal(0)
    for price, count in ((pricing.get("prompt"), prompt_tokens), (pricing.get("completion"), completion_tokens),
                         (pricing.get("request") or "0", 1)):
        if price_per_million(price) is None:
            raise _bad_value(TEXTS["price_varies"].format(model=entry.get("id")))
        total += Decimal(str(price)) * count
    return float(total)


def usd_to_jpy(usd: float, rate: float) -> float:
    """USD -> JPY at `rate` yen per dollar (the lesson states the rate and its date)."""
    if rate <= 0:
        raise _bad_value(TEXTS["bad_rate"])
    return usd * rate


# -- tables for notebooks ---------------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass(frozen=True)
class Table:
    """A small table that Jupyter shows as HTML and `print`/nbval see as aligned text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""

    def __repr__(self) -> str:
        widths = [max(_width(c) for c in column) for column in zip(self.headers, *self.rows)]
        lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(line, widths)).rstrip()
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


def _num(value: float | int | None, digits: int = 6) -> str:
    if value is None:
        return TEXTS["missing"]
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _limited(rows: Sequence, limit: int | None) -> tuple[Sequence, str]:
    if not rows:
        return rows, TEXTS["no_rows"]
    if limit is None or len(rows) <= limit:
        return rows, ""
    return rows[:limit], TEXTS["more_rows"].format(total=len(rows), shown=limit)


def show_models(rows: Sequence[ModelRow], limit: int | None = 20) -> Table:
    """The catalogue rows as a Japanese table (first `limit` rows; None shows all)."""
    shown, note = _limited(rows, limit)
    headers = tuple(TEXTS[k] for k in ("col_id", "col_name", "col_free", "col_input", "col_output", "col_context"))
    return Table(headers, tuple(
        (r.id, r.name, TEXTS["free_mark"] if r.free else "", _num(r.input_per_m), _num(r.output_per_m),
         _num(r.context_length)) for r in shown), note)


def show_endpoints(rows: Sequence[EndpointRow]) -> Table:
    """The providers of one model as a Japanese table."""
    shown, note = _limited(rows, None)
    headers = tuple(TEXTS[k] for k in ("col_provider", "col_tag", "col_quantization", "col_input", "col_output",
                                       "col_context", "col_uptime"))
    return Table(headers, tuple(
        (r.provider_name, r.tag, r.quantization or TEXTS["missing"], _num(r.input_per_m), _num(r.output_per_m),
         _num(r.context_length), _num(r.uptime, 1)) for r in shown), note)


def _key_value(info: KeyInfo, name: str) -> str:
    if name == "label":
        return TEXTS["hidden"]
    if name == "rate_limit":
        return TEXTS["ignored"]
    value = getattr(info, name)
    if name in ("limit", "limit_remaining") and value is None:
        return TEXTS["unlimited"]
    if isinstance(value, bool):
        return TEXTS["yes"] if value else TEXTS["no"]
    if isinstance(value, dict):
        return TEXTS["free_requests"].format(**{k: _num(value.get(k)) for k in ("used", "limit", "remaining")})
    if value is None or isinstance(value, str):
        return value or TEXTS["missing"]
    return _num(value)


def show_key_info(info: KeyInfo) -> Table:
    """The key's usage and limits as a Japanese table: field, value, what it means. Never the label's value."""
    headers = (TEXTS["col_field"], TEXTS["col_value"], TEXTS["col_meaning"])
    return Table(headers, tuple((name, _key_value(info, name), meaning)
                                for name, meaning in KEY_FIELDS.items() if name in info.present))
