"""`GET /key`, `GET /credits` and `GET /generation` (a key is required)."""
from __future__ import annotations

from werkzeug import Request, Response

from ..auth import bearer_key, masked
from ..completion import Generation
from ..errors import error_body, error_response
from ..wire import json_response, load_data

# Free-model requests per day (OpenRouter limits: 50 before any credit purchase, 1000 after).
_FREE_DAILY_LIMIT = {True: 50, False: 1000}


def initial_key_state() -> dict:
    """What `GET /key` reports before any `key_state.update(...)`: the real capture's values."""
    state = load_data("key.json")["data"]
    del state["label"], state["limit_remaining"]
    return state


def initial_credits() -> dict:
    """What `GET /credits` reports."""
    return load_data("credits.json")["data"]


def key(state: dict, request: Request) -> Response:
    """The key's limits and usage; `label`, `limit_remaining` and the free-request counter follow `state`."""
    data = {"label": masked(bearer_key(request) or ""), **state}
    limit, usage = data["limit"], data["usage"]
    data["limit_remaining"] = None if limit is None else max(0, limit - usage)
    daily = dict(data["free_model_daily_requests"])
    daily["limit"] = _FREE_DAILY_LIMIT[bool(data["is_free_tier"])]
    daily["remaining"] = max(0, daily["limit"] - daily["used"])
    data["free_model_daily_requests"] = daily
    order = ["label", "is_management_key", "is_provisioning_key", "limit", "limit_reset", "limit_remaining"]
    return json_response({"data": {**{name: data[name] for name in order}, **data}})


def credits(state: dict, request: Request) -> Response:
    """Account-wide purchased and used credits."""
    return json_response({"data": state})


def generation(generations: dict[str, Generation], request: Request) -> Response:
    """Details of a generation this server produced; else the real 404."""
    gen_id = request.args.get("id", "")
    gen = generations.get(gen_id)
    if gen is None:
        body = error_body("404-generation-not-found")
        body["error"]["message"] = f"Generation {gen_id} not found"
        return error_response(body, 404)
    return json_response({"data": gen.record()})
