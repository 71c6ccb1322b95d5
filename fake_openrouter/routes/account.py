"""`GET /key`, `GET /credits` and `GET /generation` (a key is required)."""
from __future__ import annotations

from werkzeug import Request, Response

from ..auth import bearer_key, masked
from ..completion import Generation
from ..errors import error_body, error_response
from ..ledger import Ledger
from ..wire import json_response


def key(ledger: Ledger, request: Request) -> Response:
    """The key's limits and usage so far, labelled with the masked key of the request."""
    return json_response({"data": ledger.key_data(masked(bearer_key(request) or ""))})


def credits(ledger: Ledger, request: Request) -> Response:
    """Account-wide purchased and used credits."""
    return json_response({"data": ledger.credits_data()})


def generation(generations: dict[str, Generation], request: Request) -> Response:
    """Details of a generation this server produced; else the real 404."""
    gen_id = request.args.get("id", "")
    gen = generations.get(gen_id)
    if gen is None:
        body = error_body("404-generation-not-found")
        body["error"]["message"] = f"Generation {gen_id} not found"
        return error_response(body, 404)
    return json_response({"data": gen.record()})
