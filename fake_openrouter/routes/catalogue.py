"""`GET /models` and `GET /models/{author}/{slug}/endpoints` (no key needed, as on OpenRouter)."""
from __future__ import annotations

from werkzeug import Request, Response

from ..catalogue import Catalogue
from ..errors import error_body, error_response, message_error
from ..wire import json_response

ENDPOINTS_PREFIX = "/api/v1/models/"
ENDPOINTS_SUFFIX = "/endpoints"


def models(catalogue: Catalogue, request: Request) -> Response:
    """The catalogue after any `remove_model`/`set_price` changes."""
    return json_response(catalogue.listing())


def endpoints(catalogue: Catalogue, request: Request) -> Response:
    """The providers of one model; an unknown model gets a 404 in the real error shape."""
    slug = request.path.removeprefix(ENDPOINTS_PREFIX).removesuffix(ENDPOINTS_SUFFIX)
    model = catalogue.find(slug)
    if model is None:
        # No capture of this body exists; the shape is the real one, the message illustrative.
        return error_response(message_error(404, f"Model {slug} not found"), 404)
    return json_response(catalogue.endpoints_body(model))


def not_found(request: Request) -> Response:
    """Any other path: OpenRouter's plain `Not Found`."""
    return error_response(error_body("404-not-found"), 404)
