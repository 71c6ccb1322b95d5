"""The example key's account: what `GET /key` and `GET /credits` report, moved by each served completion.

It starts from the real captures (`data/key.json`, `data/credits.json`). Every successful chat
completion adds its `usage.cost` to the key's `usage`, `usage_daily`, `usage_weekly` and
`usage_monthly` (one server run is one day, so they grow together; BYOK usage stays 0) and to the
account's `total_usage`; a successful call of a `:free` model also counts in
`free_model_daily_requests`. Errors count nothing. Sums are kept in Decimal so that small costs add up
exactly. Thread-safe: the server answers concurrent requests.
"""
from __future__ import annotations

import threading
from decimal import Decimal

from .wire import load_data

# Free-model requests per day (OpenRouter limits: 50 before any credit purchase, 1000 after).
_FREE_DAILY_LIMIT = {True: 50, False: 1000}
_USAGE_FIELDS = ("usage", "usage_daily", "usage_weekly", "usage_monthly")
_FIRST_FIELDS = ("label", "is_management_key", "is_provisioning_key", "limit", "limit_reset", "limit_remaining")


class Ledger:
    """The key's limits and usage and the account's credits, as one server run has moved them."""

    def __init__(self) -> None:
        key = load_data("key.json")["data"]
        del key["label"], key["limit_remaining"]  # computed per request
        self._key = key
        self._credits = load_data("credits.json")["data"]
        self._lock = threading.Lock()

    def update_key(self, **fields: object) -> None:
        """Set fields of the key as a scenario needs (`limit=5`, `is_free_tier=True`, …)."""
        with self._lock:
            self._key.update(fields)

    def update_credits(self, **fields: object) -> None:
        """Set the account's `total_credits` / `total_usage` as a scenario needs."""
        with self._lock:
            self._credits.update(fields)

    def charge(self, cost: float | int, free_model: bool) -> None:
        """Count one successful completion that cost `cost` USD (a `:free` model's is a free request too)."""
        with self._lock:
            for name in _USAGE_FIELDS:
                self._key[name] = _add(self._key[name], cost)
            self._credits["total_usage"] = _add(self._credits["total_usage"], cost)
            if free_model:
                daily = self._key["free_model_daily_requests"]
                self._key["free_model_daily_requests"] = {**daily, "used": daily["used"] + 1}

    def key_data(self, label: str) -> dict:
        """The `GET /key` data for a key labelled `label`, in the real capture's field order."""
        with self._lock:
            data = {"label": label, **self._key}
        limit = data["limit"]
        data["limit_remaining"] = None if limit is None else max(0, _add(limit, -Decimal(str(data["usage"]))))
        daily = dict(data["free_model_daily_requests"])
        daily["limit"] = _FREE_DAILY_LIMIT[bool(data["is_free_tier"])]
        daily["remaining"] = max(0, daily["limit"] - daily["used"])
        data["free_model_daily_requests"] = daily
        return {**{name: data[name] for name in _FIRST_FIELDS}, **data}

    def credits_data(self) -> dict:
        """The `GET /credits` data."""
        with self._lock:
            return dict(self._credits)


def _add(total: float | int, amount: float | int | Decimal) -> float | int:
    """`total + amount` in exact decimal arithmetic; `total` unchanged (type kept) when `amount` is 0."""
    if not amount:
        return total
    return float(Decimal(str(total)) + Decimal(str(amount)))
