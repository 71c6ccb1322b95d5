"""When a request counts as recorded: method, path, query and the JSON body, whatever their spelling."""
from __future__ import annotations

import functools
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit


def body_text(body: Any) -> str:
    """A request or response body (bytes, str or None) as text."""
    if body is None:
        return ""
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def without_default_stream(body: dict) -> dict:
    """`stream: false` is the default, so the same as leaving it out."""
    return {k: v for k, v in body.items() if not (k == "stream" and v is False)}


@functools.lru_cache(maxsize=512)
def request_key(method: str, uri: str, body: bytes | str | None) -> tuple:
    """What makes two requests the same: method, path, query and the body as JSON.

    Key order, spacing and `stream=False` (the default, so the same as leaving it out) do not matter.
    Cached because vcrpy compares each request with every recorded one, several times per call.
    """
    parts = urlsplit(uri)
    text = body_text(body)
    try:
        data = json.loads(text or "null")
    except ValueError:
        canonical = text
    else:
        if isinstance(data, dict):
            data = without_default_stream(data)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return method.upper(), parts.path, tuple(sorted(parse_qsl(parts.query))), canonical


def same_request(r1, r2) -> bool:
    """vcrpy matcher: see `request_key`."""
    return request_key(r1.method, r1.uri, r1.body) == request_key(r2.method, r2.uri, r2.body)


def no_retry_on_replay(request, response: dict):
    """Replayed errors must not be retried: `openai` honours `x-should-retry: false` (no back-off waits)."""
    response["headers"]["x-should-retry"] = ["false"]
    return request, response
