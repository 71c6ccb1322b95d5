"""The providers serving one model (GET /models/{author}/{slug}/endpoints)."""
from __future__ import annotations

from dataclasses import dataclass

from ..course_errors import InputProblem
from ..text import CATALOG
from .client import get_data
from .models import unknown_last
from .pricing import price_per_million


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


def _number(value: object) -> float | None:
    """A numeric field, or None when the server left it out or sent something else."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def endpoints(model_id: str) -> list[EndpointRow]:
    """GET /models/{author}/{slug}/endpoints: who serves `model_id`, cheapest input price first."""
    if model_id.count("/") != 1 or model_id.strip() != model_id:
        raise InputProblem("value_invalid", CATALOG["bad_model_id"].format(value=model_id))
    data = get_data(f"/models/{model_id}/endpoints")
    listed = data.get("endpoints") if isinstance(data, dict) else None
    rows = []
    for e in listed if isinstance(listed, list) else []:
        if not isinstance(e, dict):
            continue
        pricing = e.get("pricing") or {}
        context = _number(e.get("context_length"))
        rows.append(EndpointRow(
            provider_name=e.get("provider_name") or CATALOG["unknown"], tag=e.get("tag") or CATALOG["unknown"],
            quantization=e.get("quantization"), context_length=int(context) if context is not None else None,
            input_per_m=price_per_million(pricing.get("prompt")),
            output_per_m=price_per_million(pricing.get("completion")), uptime=_number(e.get("uptime_last_30m"))))
    return sorted(rows, key=lambda r: (unknown_last(r.input_per_m), unknown_last(r.output_per_m)))
