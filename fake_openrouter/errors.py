"""OpenRouter's real error bodies (`data/errors/*.json`) turned into responses.

A sample's file name starts with the HTTP status to answer with. Samples that name a model are
rewritten to name the model of the request, and rate-limit samples get reset times that match the
request's `created`, so the body reads as if it had happened to this request. The per-day 429 keeps
its account's limit: 50 free-model requests a day, for an account that never bought credits.

Model-availability samples carry OpenRouter's `error.availability` object (documented since 2026-08-19;
authored here on the captured bodies, which predate it): `code`, `retryable`, `retry_after`,
`requested_models`, `fallback_models`, `docs_url`. A `:free` sample model's paid id (in `fallback_models`)
becomes the request's paid id too.
"""
from __future__ import annotations

import json
from functools import cache

from werkzeug import Response

from .ids import SECONDS_PER_DAY
from .wire import DATA_DIR, json_response

ERRORS_DIR = DATA_DIR / "errors"
# The model id (and dated permaslug) each sample was captured with, replaced by the request's own.
_SAMPLE_MODELS = {
    "400-invalid-model": ("nonexistent/not-a-model:free", None),
    "403-moderation": ("meta-llama/llama-3.3-8b-instruct:free", None),
    "404-no-endpoints": ("meta-llama/llama-3.2-1b-instruct:free", None),
    "429-free-per-minute": ("qwen/qwen3-coder:free", "qwen/qwen3-coder-480b-a35b-07-25"),
    "429-capacity-exhausted": ("anthropic/claude-sonnet-4.5", None),
    "503-service-unavailable": ("openai/gpt-4o-mini", None),
}
_MINUTE = 60


@cache
def sample_names() -> tuple[str, ...]:
    """Names of every error sample, e.g. `429-free-per-day`."""
    return tuple(sorted(path.stem for path in ERRORS_DIR.glob("*.json")))


def status_of(name: str) -> int:
    """The HTTP status a sample is answered with (its name's prefix)."""
    return int(name.split("-", 1)[0])


def error_body(name: str, model: str | None = None, permaslug: str | None = None) -> dict:
    """The sample's body, naming `model` (and `permaslug`) instead of the captured model."""
    text = (ERRORS_DIR / f"{name}.json").read_text(encoding="utf-8")
    sample_model, sample_permaslug = _SAMPLE_MODELS.get(name, (None, None))
    if model and sample_model:
        if sample_permaslug:
            text = text.replace(sample_permaslug, permaslug or model)
        text = text.replace(sample_model, model)
        if sample_model.endswith(":free"):
            text = text.replace(f'"{sample_model.removesuffix(":free")}"', f'"{model.removesuffix(":free")}"')
    return json.loads(text)


def message_error(status: int, message: str, *, with_user: bool = False) -> dict:
    """An error body in the real shape for a message that has no sample of its own."""
    body: dict = {"error": {"message": message, "code": status}}
    if with_user:
        body["user_id"] = "user_REDACTED"
    return body


def error_response(body: dict, status: int, generation_id: str | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    """An error response; OpenRouter sends `X-Generation-Id` on chat errors too."""
    all_headers = dict(headers or {})
    if generation_id:
        all_headers["X-Generation-Id"] = generation_id
    return json_response(body, status, all_headers)


def sample_response(name: str, *, created: int, generation_id: str | None = None,
                    model: str | None = None, permaslug: str | None = None) -> Response:
    """The response for error sample `name`, with `X-RateLimit-*`/`Retry-After` on rate limits."""
    body = error_body(name, model, permaslug)
    headers = _rate_limit(name, body, created)
    return error_response(body, status_of(name), generation_id, headers)


def _rate_limit(name: str, body: dict, created: int) -> dict[str, str]:
    """Make the body's `metadata.headers` consistent with `created` and return them as headers."""
    headers = body.get("error", {}).get("metadata", {}).get("headers")
    if not headers:
        return {}
    if name == "429-free-per-day":
        # The daily window is the UTC day. The limit stays the sample's 50, which its message explains: it
        # is an account that never bought credits, not the example key's (whose `GET /key` says 1000).
        reset = (created // SECONDS_PER_DAY + 1) * SECONDS_PER_DAY
        extra = {}
    else:
        reset = (created // _MINUTE + 1) * _MINUTE
        extra = {"Retry-After": str(reset - created)}
    headers["X-RateLimit-Reset"] = str(reset * 1000)
    return {**headers, **extra}
