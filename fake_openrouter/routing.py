"""Choosing the provider endpoint of a model from the request's `provider` preferences.

Without preferences the choice imitates OpenRouter's price-weighted load balancing (weight 1/price²)
but deterministically, from the request digest. `sort` supports "price", "throughput" and "latency"
(the latter two read the endpoints' illustrative p50 statistics).
"""
from __future__ import annotations

from .ids import fraction


class NoAllowedProviders(Exception):
    """The preferences leave no endpoint; carries the real 404 body."""

    def __init__(self, body: dict) -> None:
        super().__init__(body["error"]["message"])
        self.body = body


def price(endpoint: dict) -> float:
    """Prompt plus completion price per token (router sentinels such as "-1" count as 0)."""
    return sum(max(0.0, float(endpoint["pricing"][part])) for part in ("prompt", "completion"))


def matches(endpoint: dict, slug: str) -> bool:
    """Whether a provider slug of `order`/`only`/`ignore` names this endpoint.

    "deepinfra" names every DeepInfra endpoint, "deepinfra/fp8" only that one.
    """
    slug = slug.lower()
    tag = endpoint["tag"].lower()
    return slug in (tag, tag.split("/", 1)[0], endpoint["provider_name"].lower())


def rank(endpoints: list[dict], preferences: dict | None, digest: bytes, model_id: str) -> list[dict]:
    """The endpoints to try, best first; raises NoAllowedProviders if none is allowed."""
    prefs = preferences or {}
    allowed = [e for e in endpoints
               if (not prefs.get("only") or any(matches(e, s) for s in prefs["only"]))
               and not any(matches(e, s) for s in prefs.get("ignore") or [])
               and (not prefs.get("quantizations") or e["quantization"] in prefs["quantizations"])]
    if not allowed:
        raise NoAllowedProviders(_no_allowed_body(endpoints, prefs, model_id))
    ordered = _sorted(allowed, prefs.get("sort"), digest)
    order = prefs.get("order") or []
    first: list[dict] = []
    for slug in order:
        first += [e for e in ordered if matches(e, slug) and e not in first]
    if order and prefs.get("allow_fallbacks") is False:
        if not first:
            raise NoAllowedProviders(_no_allowed_body(endpoints, prefs, model_id))
        return first
    return first + [e for e in ordered if e not in first]


def _sorted(endpoints: list[dict], sort: str | dict | None, digest: bytes) -> list[dict]:
    by = sort.get("by") if isinstance(sort, dict) else sort
    if by == "price":
        return sorted(endpoints, key=price)
    if by == "throughput":
        return sorted(endpoints, key=lambda e: -((e["throughput_last_30m"] or {}).get("p50") or 0))
    if by == "latency":
        return sorted(endpoints, key=lambda e: (e["latency_last_30m"] or {}).get("p50") or float("inf"))
    return _load_balanced(endpoints, digest)


def _load_balanced(endpoints: list[dict], digest: bytes) -> list[dict]:
    """One endpoint drawn with weight 1/price² (cheap ones win most often), then the rest by price."""
    by_price = sorted(endpoints, key=price)
    cheapest = price(by_price[0])
    if cheapest == 0:
        return by_price
    weights = [(cheapest / price(e)) ** 2 for e in by_price]
    point = fraction(digest, "provider") * sum(weights)
    for index, weight in enumerate(weights):
        point -= weight
        if point < 0:
            return [by_price[index]] + by_price[:index] + by_price[index + 1:]
    return by_price


def _no_allowed_body(endpoints: list[dict], prefs: dict, model_id: str) -> dict:
    available = list(dict.fromkeys(e["tag"].split("/", 1)[0] for e in endpoints))
    requested = list(prefs.get("only") or prefs.get("order") or [])
    message = (f"No allowed providers are available for the selected model. Providers serving {model_id}: "
               f"{', '.join(available)}, but your request's provider preferences permit only: "
               f"{', '.join(requested) or 'none'}.")
    return {"error": {"message": message, "code": 404, "metadata": {
        "available_providers": available, "requested_providers": requested,
        "routing_funnel": [{"step": "Initial Endpoints", "endpoint_count": len(endpoints)}],
        "failed_routing_step": "Filter by Allowed Providers"}}}
