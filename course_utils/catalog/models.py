"""The model catalogue (GET /models): fetched once per session, or read from the recordings without the network."""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from .. import config, replay
from ..course_errors import InputProblem
from ..text import CATALOG
from .client import get_data
from .pricing import is_free, price_per_million

_cache: dict[tuple[str, bool], list[dict]] = {}


def _source() -> tuple[str, bool]:
    # A replayed catalogue must not stand in for the live one after the learner switches modes.
    return config.base_url(), replay.active() is not None


def _entries(data: object) -> list[dict]:
    """The usable entries of a /models `data` list: an entry without an id cannot be shown or called."""
    return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)] if isinstance(data, list) else []


def list_models(refresh: bool = False) -> list[dict]:
    """GET /models: every model's raw entry; fetched once per session unless `refresh=True`."""
    source = _source()
    if refresh or source not in _cache:
        _cache[source] = _entries(get_data("/models"))
    return _cache[source]


def clear_cache() -> None:
    """Forget the fetched catalogues: the next `list_models()` asks again (tests start from a clean state)."""
    _cache.clear()


def get_model(model_id: str) -> dict | None:
    """The catalogue entry for `model_id`, or None if the catalogue does not list it."""
    return next((m for m in list_models() if m["id"] == model_id), None)


def recorded_catalogue() -> list[dict]:
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
    from vcr.serializers import yamlserializer

    requests, responses = replay.read_recordings(replay.recording_files(folder), yamlserializer)[:2]
    merged: dict[str, dict] = {}
    for request, response in zip(requests, responses, strict=True):
        if urlsplit(request.uri).path.rstrip("/").endswith("/models") and response["status"]["code"] == 200:
            try:
                body = json.loads(response["body"]["string"] or b"{}")
            except ValueError:
                continue
            data = body.get("data") if isinstance(body, dict) else None
            merged.update((m["id"], m) for m in _entries(data))
    return list(merged.values())


def _offline_catalogue() -> list[dict]:
    return _cache.get(_source()) or recorded_catalogue()


def known_model_ids() -> list[str]:
    """Model ids from the fetched catalogue if there is one, else from the recordings. Never calls the API."""
    return [m["id"] for m in _offline_catalogue()]


def context_length(model_id: str) -> int | None:
    """A model's context length in tokens (same sources as `known_model_ids`), or None if unknown."""
    entry = next((m for m in _offline_catalogue() if m["id"] == model_id), None)
    value = entry.get("context_length") if entry else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


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
    name = model.get("name")
    context = model.get("context_length")
    return ModelRow(id=model["id"], name=name if isinstance(name, str) and name else model["id"],
                    maker=maker_of(model["id"]), free=is_free(model),
                    input_per_m=price_per_million(pricing.get("prompt")),
                    output_per_m=price_per_million(pricing.get("completion")),
                    context_length=context if isinstance(context, int) and not isinstance(context, bool) else None)


def unknown_last(value: float | None) -> tuple[bool, float]:
    """A sort key putting unknown (None) prices after every known one."""
    return value is None, value or 0.0


_SORT_KEYS = {
    "price": lambda r: (unknown_last(r.input_per_m), unknown_last(r.output_per_m), r.id),
    "context": lambda r: (-(r.context_length or 0), r.id),
    "name": lambda r: (r.name.lower(), r.id),
    "id": lambda r: r.id,
}


def models_table(models: Iterable[dict], *, free_only: bool = False, maker: str | None = None,
                 search: str = "", max_price: float | None = None, min_context: int | None = None,
                 sort: str = "price") -> list[ModelRow]:
    """Filter and sort catalogue entries. `max_price` caps the input price ($/1M); `sort`: price, context, name, id."""
    if sort not in _SORT_KEYS:
        raise InputProblem("value_invalid", CATALOG["bad_sort"].format(choices=" / ".join(_SORT_KEYS), value=sort))
    maker = maker.lower() if maker else None
    needle = search.strip().lower()
    rows = []
    for row in map(_model_row, _entries(list(models))):
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
    counts = Counter(maker_of(m["id"]) for m in _entries(list(models)))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
