"""Variants of the example server, for running whole lessons live against a server unlike the recording's.

- `no-credits`: an account that never bought credits (a student's own account before any purchase). Every chat
  request for a paid model (a non-zero price in the catalogue) gets the 402 OpenRouter sends such an account
  (`data/errors/402-never-purchased-credits.json`); free models answer as usual, `GET /key` reports the free
  tier (50 free-model requests a day, no credit limit) and `GET /credits` 0 bought, 0 used. Refused requests are in
  `requests` like served ones.
- `minimal`: an OpenRouter-compatible server that sends only what OpenRouter's OpenAPI description requires
  (`data/openapi-required.json`: the part of openapi-2026-08-22.yaml these routes answer with): no
  `usage.cost`, a sparse `/generation`, models without their optional fields, no `provider`. Kept beyond the required
  fields: the answer itself (`message.content`, `delta.content`, optional in the schema because a tool call may
  replace it; `tool_calls`, and a generated image's `message.images`: an answer that holds them is nothing without
  them) and `usage` with its required token counts (optional in the schema, sent by every OpenAI-compatible server).

Both wrap FakeOpenRouter's WSGI application once it serves; the routes themselves are unchanged.
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from contextlib import suppress
from functools import cache
from typing import Any

from werkzeug import Request

from .errors import ERRORS_DIR
from .server import API_PREFIX, FakeOpenRouter, RecordedRequest
from .wire import JSON_TYPE, dumps, load_data, status_line

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]
_CHAT = API_PREFIX + "/chat/completions"
# Optional in the schema, kept by `minimal` (see the module docstring): schema name -> property names.
_KEPT = {"ChatResult": {"usage"}, "ChatStreamChunk": {"usage"}, "ChatAssistantMessage": {"content"},
         "ChatStreamDelta": {"content"}}
# Kept as sent, optional parts included (a streamed tool call's schema requires only its `index`).
_KEPT_WHOLE = {"ChatAssistantMessage": {"tool_calls", "images"}, "ChatStreamDelta": {"tool_calls"}}


class NoCreditsServer(FakeOpenRouter):
    """FakeOpenRouter for a key whose account has no credits: paid models answer 402."""

    def start(self) -> None:
        super().start()
        self.ledger.update_key(is_free_tier=True, limit=None)  # never bought credits: 50 free requests a day
        self.ledger.update_credits(total_credits=0, total_usage=0)
        self._http.server.app = self._refuse_paid(self._http.server.app)

    def _refuse_paid(self, app: WsgiApp) -> WsgiApp:
        refusal = (ERRORS_DIR / "402-never-purchased-credits.json").read_bytes()

        def middleware(environ: dict, start_response: Callable) -> Iterable[bytes]:
            if environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") == _CHAT:
                raw = _read_body(environ)
                if self._is_paid(raw):
                    self.requests.append(_recorded(environ, raw))
                    start_response(status_line(402), [("Content-Type", JSON_TYPE),
                                                      ("Content-Length", str(len(refusal)))])
                    return [refusal]
            return app(environ, start_response)
        return middleware

    def _is_paid(self, raw: bytes) -> bool:
        """Whether the request's model (the first one tried) has a price; unknown models are left to the server."""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return False
        if not isinstance(body, dict):
            return False
        model_id = body.get("model") or next(iter(body.get("models") or []), None)
        model = self.catalogue.get(model_id) if isinstance(model_id, str) else None
        return model is not None and any(float(price or 0) > 0 for price in model["pricing"].values())


class MinimalServer(FakeOpenRouter):
    """FakeOpenRouter whose JSON and SSE bodies hold only the fields the OpenAPI description requires."""

    def start(self) -> None:
        super().start()
        self._http.server.app = _minimal(self._http.server.app)


VARIANTS: dict[str, type[FakeOpenRouter]] = {"no-credits": NoCreditsServer, "minimal": MinimalServer}


def _read_body(environ: dict) -> bytes:
    """The request body, read once and put back for the application."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw


def _recorded(environ: dict, raw: bytes) -> RecordedRequest:
    """The request as FakeOpenRouter records the ones its routes answer."""
    request = Request(environ)
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        body = None
    return RecordedRequest(request.method, request.path, dict(request.headers),
                           body if isinstance(body, dict) else None)


def _minimal(app: WsgiApp) -> WsgiApp:
    def middleware(environ: dict, start_response: Callable) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            captured.update(status=status, headers=headers)
            return lambda data: None

        body = b"".join(app(environ, capture))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        schema = _response_schema(environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET").lower())
        content_type = dict((k.lower(), v) for k, v in headers).get("content-type", "")
        if schema is not None and captured["status"].startswith("200"):
            body = _strip_sse(body) if content_type.startswith("text/event-stream") else _strip_json(body, schema)
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]
    return middleware


def _strip_json(body: bytes, schema: dict) -> bytes:
    try:
        value = json.loads(body)
    except ValueError:
        return body
    return dumps(required_only(value, schema)).encode()


def _strip_sse(body: bytes) -> bytes:
    """Each `data:` event of a chat stream reduced to a minimal ChatStreamChunk (comments and [DONE] kept)."""
    chunk_schema = {"$ref": "#/components/schemas/ChatStreamChunk"}
    lines = []
    for line in body.decode("utf-8").split("\n"):
        if line.startswith("data: ") and line != "data: [DONE]":
            with suppress(ValueError):  # not JSON: passed on as sent
                line = "data: " + dumps(required_only(json.loads(line[6:]), chunk_schema))
        lines.append(line)
    return "\n".join(lines).encode()


@cache
def _spec() -> dict:
    return load_data("openapi-required.json")


def _response_schema(path: str, method: str) -> dict | None:
    """The JSON schema of a 200 answer to `method path` (a path under API_PREFIX), or None if undocumented."""
    route = path.removeprefix(API_PREFIX)
    for operation, schema in _spec()["responses"].items():
        verb, template = operation.split(" ", 1)
        if verb == method.upper() and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), route):
            return schema
    return None


def required_only(value: Any, schema: dict) -> Any:
    """`value` with every property its schema does not require removed, recursively (see `_KEPT`, `_KEPT_WHOLE`)."""
    name, schema = _resolve(schema)
    variants = schema.get("anyOf") or schema.get("oneOf")
    if variants:
        return required_only(value, _matching(value, variants))
    if isinstance(value, list):
        items = schema.get("items")
        return [required_only(item, items) for item in value] if items else value
    if not isinstance(value, dict):
        return value
    properties, required = _object_parts(schema)
    if not properties:
        return value  # a free-form object: nothing to go by
    kept, whole = set(required) | _KEPT.get(name, set()), _KEPT_WHOLE.get(name, set())
    return {key: item if key in whole else required_only(item, properties.get(key, {}))
            for key, item in value.items() if key in kept | whole}


def _resolve(schema: dict) -> tuple[str, dict]:
    name = ""
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = _spec()["schemas"][name]
    return name, schema


def _object_parts(schema: dict) -> tuple[dict, list]:
    """Properties and required names, with those of `allOf` parts merged in."""
    properties, required = dict(schema.get("properties", {})), list(schema.get("required", []))
    for part in schema.get("allOf", []):
        more_properties, more_required = _object_parts(_resolve(part)[1])
        properties.update(more_properties)
        required += more_required
    return properties, required


def _matching(value: Any, variants: list[dict]) -> dict:
    """The anyOf/oneOf variant `value` fits: the first object variant whose required keys it has."""
    if value is None:
        return {}
    for variant in variants:
        _, resolved = _resolve(variant)
        if isinstance(value, dict) and (resolved.get("properties") or resolved.get("allOf")):
            if all(key in value for key in _object_parts(resolved)[1]):
                return variant
        elif isinstance(value, list) and resolved.get("type") == "array":
            return variant
    return {}
