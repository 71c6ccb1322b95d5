"""What a recording keeps of each request and response: OpenRouter's URL, a few headers, no secrets.

Bodies are scrubbed with `redact`; a streamed (SSE) body is also scrubbed as reassembled text, since a key
split across chunks is whole only there.
"""
from __future__ import annotations

import contextlib
import json
from email.utils import parsedate_to_datetime

from .. import recording_source
from ..config import DEFAULT_BASE_URL, base_url
from ..redact import contains_secret, scrub
from .matching import body_text

# Response headers worth keeping in a recording; everything else (cookies, cf-ray, dates) is dropped.
# vcrpy also applies this filter to loaded interactions, so the replay-only header must survive it.
KEEP_RESPONSE_HEADERS = {"content-type", "x-generation-id", "retry-after", "x-ratelimit-limit",
                         "x-ratelimit-remaining", "x-ratelimit-reset", "x-should-retry"}
# Request headers a recording keeps (app attribution is taught); credentials and client fingerprints
# (user-agent, x-stainless-*) are dropped, so recordings hold no secrets and do not change per machine.
KEEP_REQUEST_HEADERS = {"content-type", "http-referer", "x-openrouter-title", "x-title",
                        "x-openrouter-categories"}

# Where the responses being recorded come from (written at the top of the recording; see recording_source).
origin: dict[str, str | bool] = {"example": False, "day": ""}


def canonical_uri(uri: str) -> str:
    """Rewrite the configured base URL (proxy, loopback server) to OpenRouter's, so recordings look real."""
    current = base_url()
    if uri.startswith(current):
        return DEFAULT_BASE_URL + uri[len(current):]
    return uri


def before_record_request(request):  # vcr.request.Request -> vcr.request.Request
    """A request as the recording keeps it: OpenRouter's URL, the taught headers, the body scrubbed."""
    request = request.__class__(request.method, canonical_uri(request.uri), request.body, dict(request.headers))
    for name in list(request.headers):
        if name.lower() not in KEEP_REQUEST_HEADERS:
            del request.headers[name]
    if request.body:
        request.body = scrub(body_text(request.body)).encode("utf-8")
    return request


def note_origin(headers: dict) -> None:
    """Remember whether the example server answered, and the day its `Date` header (or OpenRouter's) gives."""
    lower = {k.lower(): v[0] if isinstance(v, list) else v for k, v in headers.items()}
    if recording_source.EXAMPLE_SERVER_HEADER in lower:
        origin["example"] = True
    with contextlib.suppress(KeyError, TypeError, ValueError):
        origin["day"] = parsedate_to_datetime(lower["date"]).date().isoformat()


def before_record_response(response: dict) -> dict:
    """A response as the recording keeps it: the kept headers, the body scrubbed (streams as a whole too)."""
    note_origin(response["headers"])
    response["headers"] = {k: v for k, v in response["headers"].items() if k.lower() in KEEP_RESPONSE_HEADERS}
    body = response.get("body", {}).get("string")
    if body:
        response["body"]["string"] = scrub(scrub_stream(body_text(body))).encode("utf-8")
    return response


def scrub_stream(body: str) -> str:
    """An SSE body whose string fields, joined across chunks, hold no secret.

    A field (e.g. `choices.delta.content`) whose joined pieces contain a key is rewritten: its whole scrubbed
    text goes into its first chunk and its later pieces become empty, so a split key leaves no piece behind
    and the replayed answer still reads the same (minus the key). Other bodies are returned unchanged.
    """
    lines = body.split("\n")
    chunks: dict[int, object] = {}
    for number, line in enumerate(lines):
        if line.startswith("data:"):
            try:
                chunks[number] = json.loads(line[len("data:"):])
            except ValueError:
                continue
    pieces: dict[str, list[tuple[object, object]]] = {}  # field path -> (container, key) of each piece, in order
    for value in chunks.values():
        _collect(value, "", pieces)
    changed = False
    for places in pieces.values():
        joined = "".join(container[key] for container, key in places)  # type: ignore[index]
        if not contains_secret(joined):
            continue
        changed = True
        for n, (container, key) in enumerate(places):
            container[key] = scrub(joined) if n == 0 else ""  # type: ignore[index]
    if not changed:
        return body
    for number, value in chunks.items():
        ending = "\r" if lines[number].endswith("\r") else ""  # keep CRLF streams CRLF
        lines[number] = "data: " + json.dumps(value, ensure_ascii=False) + ending
    return "\n".join(lines)


def _collect(value: object, path: str, pieces: dict[str, list[tuple[object, object]]]) -> None:
    """Where each string of a chunk sits, by field path (list positions left out, as `redact.stream_text` does)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        sub = f"{path}.{key}" if isinstance(value, dict) else path
        if isinstance(item, str):
            pieces.setdefault(sub, []).append((value, key))
        else:
            _collect(item, sub, pieces)
