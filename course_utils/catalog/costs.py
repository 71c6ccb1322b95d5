"""What a call costs by the catalogue's prices, in USD and in yen."""
from __future__ import annotations

from decimal import Decimal

from ..course_errors import InputProblem
from ..text import CATALOG
from .models import get_model
from .pricing import price_per_million


def estimate_cost(model: dict | str, prompt_tokens: int, completion_tokens: int) -> float:
    """USD for one call: tokens x the catalogue's per-token prices (plus any per-request price)."""
    entry = get_model(model) if isinstance(model, str) else model
    if entry is None:
        raise InputProblem("value_invalid", CATALOG["unknown_model"].format(model=model))
    pricing = entry.get("pricing") or {}
    total = Decimal(0)
    for name, count in (("prompt", prompt_tokens), ("completion", completion_tokens), ("request", 1)):
        price = pricing.get(name)
        if price is None and name == "request":
            price = "0"  # most models have no per-request price
        if price is None:
            # Left out by the server (some OpenRouter-compatible ones do): unknown, which is not "varies".
            raise InputProblem("value_invalid", CATALOG["price_unknown"].format(
                model=entry.get("id"), kind=CATALOG["price_kinds"][name]))
        if price_per_million(price) is None:
            raise InputProblem("value_invalid", CATALOG["price_varies"].format(model=entry.get("id")))
        total += Decimal(str(price)) * count
    return float(total)


def usd_to_jpy(usd: float, rate: float) -> float:
    """USD -> JPY at `rate` yen per dollar (the lesson states the rate and its date)."""
    if rate <= 0:
        raise InputProblem("value_invalid", CATALOG["bad_rate"])
    return usd * rate
