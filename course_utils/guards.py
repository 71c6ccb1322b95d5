"""Checks around one API call: the prompt before sending, the answer after, and which errors are worth a retry.

check_prompt raises InputProblem before any request for what can never succeed (an empty or too long prompt,
`messages` of the wrong shape, a broken character). finish_stream and check_completion raise when an HTTP 200
carries no complete answer (a cut stream, finish_reason "error", a Wi-Fi login page instead of JSON).
stop_pointless_retries keeps `openai` from retrying a limit that waiting seconds cannot lift.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from .course_errors import CompletionFailed, InputProblem, StreamIncomplete, UnexpectedResponse
from .text import ERROR_FRAGMENTS, ERRORS

_RETRY_WINDOW = 60  # seconds: a rate limit that resets later than this is not worth openai's retry


def check_prompt(prompt_or_messages: str | list[dict[str, Any]] | None, model: str | None = None) -> None:
    """Raise InputProblem before any request if the prompt is empty, malformed or clearly too long for `model`."""
    text = _prompt_text(prompt_or_messages)
    if not text.strip():
        raise InputProblem("prompt_empty", ERRORS["prompt_empty"]["what"])
    broken = next((i for i, c in enumerate(text) if "\ud800" <= c <= "\udfff"), None)
    if broken is not None:
        where = ERROR_FRAGMENTS["position"].format(n=broken + 1)
        raise InputProblem("prompt_surrogate", ERRORS["prompt_surrogate"]["what"].format(where=where), where=where)
    from .catalog.suggestions import context_length_of  # here: finish_stream and the rest need no catalogue

    context = context_length_of(model) if model else None
    estimate = estimate_tokens(text)
    if context and estimate > context:
        info = {"model": model or "", "context": str(context), "estimate": str(estimate)}
        raise InputProblem("prompt_too_long", ERRORS["prompt_too_long"]["what"].format(**info), **info)


def estimate_tokens(text: str) -> int:
    """A deliberately low token estimate (4 ASCII or 2 other characters per token): never blocks a prompt that fits."""
    ascii_chars = sum(c.isascii() for c in text)
    return ascii_chars // 4 + (len(text) - ascii_chars) // 2


def finish_stream(stream: Iterable[Any], echo: bool = False) -> str:
    """Read a chat stream to its end and return the text; raise StreamIncomplete if no finish_reason came."""
    _raise_if_text(stream)
    parts: list[str] = []
    finished = False
    for chunk in stream:
        for choice in chunk.choices or []:
            piece = (choice.delta.content if choice.delta else None) or ""
            parts.append(piece)
            if echo:
                print(piece, end="", flush=True)
            _raise_if_failed(choice)
            finished = finished or choice.finish_reason is not None
    if echo:
        print()
    if not finished:
        raise StreamIncomplete(ERRORS["stream_cut"]["what"], "".join(parts))
    return "".join(parts)


def check_completion(completion: Any) -> Any:
    """Return `completion`, or raise CompletionFailed if a choice ended with finish_reason "error" (HTTP 200),
    or UnexpectedResponse if openai handed back text instead of an answer (a web page, not JSON)."""
    _raise_if_text(completion)
    for choice in completion.choices or []:
        _raise_if_failed(choice)
    return completion


def _raise_if_text(answer: Any) -> None:
    """openai returns the body as `str` when a 200 is not JSON, and a stream of a web page yields nothing at
    all (a Wi-Fi login page answers every request with HTML)."""
    response = getattr(answer, "response", None)  # an openai Stream, not yet read
    if response is not None and "html" in str(response.headers.get("content-type", "")):
        answer = response.read()
    if isinstance(answer, (str, bytes)):
        text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
        raise UnexpectedResponse(ERRORS["malformed_response"]["what"], text)


def _raise_if_failed(choice: Any) -> None:
    """OpenRouter reports a failure after HTTP 200 as finish_reason "error" plus an `error` object on the choice."""
    if choice.finish_reason == "error":
        raise CompletionFailed(ERRORS["completion_error"]["what"], (choice.model_extra or {}).get("error"))


def _prompt_text(prompt_or_messages: object) -> str:
    """All text of a prompt string or a `messages` list (string contents and text parts); InputProblem when
    `messages` is not a list of dicts."""
    if prompt_or_messages is None or isinstance(prompt_or_messages, str):
        return prompt_or_messages or ""
    if not isinstance(prompt_or_messages, (list, tuple)):
        _bad_shape(ERROR_FRAGMENTS["not_a_list"].format(type=type(prompt_or_messages).__name__))
    texts: list[str] = []
    for n, message in enumerate(prompt_or_messages, start=1):
        if not isinstance(message, dict):
            _bad_shape(ERROR_FRAGMENTS["not_a_dict"].format(n=n, type=type(message).__name__))
        content = message.get("content")
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [part.get("text") or "" for part in content if isinstance(part, dict)]
    return "\n".join(texts)


def _bad_shape(problem: str) -> None:
    raise InputProblem("messages_shape", ERRORS["messages_shape"]["what"].replace("{problem}", problem),
                       problem=problem)


# -- retries ----------------------------------------------------------------------------------------------

def pointless_retry(status: int, headers: dict[str, str], body: bytes, now: float | None = None) -> bool:
    """Whether an error response is one that `openai`'s automatic retry (seconds later) cannot fix: a per-day
    rate limit, a limit that resets in more than a minute, or an availability error OpenRouter marks as not
    retryable. Anything unclear stays retryable, as openai would have it."""
    lowered = {k.lower(): v for k, v in headers.items()}
    error = _error_object(body)
    availability = error.get("availability")
    if isinstance(availability, dict) and availability.get("retryable") is False:
        return True
    if status != 429:
        return False
    metadata = error.get("metadata") if isinstance(error.get("metadata"), dict) else {}
    message = str(error.get("message") or "").lower()
    if "per-day" in message or "per day" in message or metadata.get("limit_source") == "openrouter_free_tier_daily":
        return True
    reset = lowered.get("x-ratelimit-reset") or str((metadata.get("headers") or {}).get("X-RateLimit-Reset") or "")
    if reset.isdigit():
        reset_at = int(reset) / 1000 if int(reset) > 10**11 else int(reset)
        return reset_at - (time.time() if now is None else now) > _RETRY_WINDOW
    return False


def _error_object(body: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(body or b"{}")
    except ValueError:
        return {}
    error = parsed.get("error") if isinstance(parsed, dict) else None
    return error if isinstance(error, dict) else {}


def stop_pointless_retries() -> None:
    """Make every `openai` client of this process skip its retry for errors pointless_retry() names.

    openai decides in `BaseClient._should_retry(response)` (the response's body is not read yet there); the
    wrapper reads it, so the error raised right away still carries the body. Installed once per process.
    """
    from openai import _base_client

    original = _base_client.BaseClient._should_retry
    if getattr(original, "_course_guard", False):
        return

    def should_retry(self: Any, response: Any) -> bool:
        if response.status_code >= 400:
            try:
                body = response.read()
            except Exception:  # a body that cannot be read: leave the decision to openai
                body = b""
            if pointless_retry(response.status_code, dict(response.headers), body):
                return False
        return original(self, response)

    should_retry._course_guard = True  # type: ignore[attr-defined]
    should_retry.__wrapped__ = original  # type: ignore[attr-defined]  # lets a test start from openai's own
    _base_client.BaseClient._should_retry = should_retry
