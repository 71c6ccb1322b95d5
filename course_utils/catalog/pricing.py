"""Prices as the course shows them: the API's USD-per-token strings as USD per 1M tokens."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

PER_MILLION = Decimal(1_000_000)


def price_per_million(price: str | None) -> float | None:
    """USD per token (the API's string) -> USD per 1M tokens, as the website shows; None if not a fixed price."""
    try:
        value = Decimal(str(price)) if price is not None else None
    except InvalidOperation:
        return None
    # Routers such as openrouter/auto use "-1": the price depends on the model that ends up answering.
    if value is None or not value.is_finite() or value < 0:
        return None
    return float(value * PER_MILLION)


def is_free(model: dict) -> bool:
    """True for a `:free` variant or a model whose prompt and completion prices are both zero."""
    if str(model.get("id", "")).endswith(":free"):
        return True
    pricing = model.get("pricing") or {}
    return price_per_million(pricing.get("prompt")) == 0 and price_per_million(pricing.get("completion")) == 0
