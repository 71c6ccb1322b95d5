"""HTTP error responses -> case + values: the rules for OpenRouter's error bodies (the text is text.ERRORS).

A model-availability error is classified by its `availability.code` when the body has one (OpenRouter's
documented contract since 2026-08-19: switch on the code and `retryable`, not on the prose or the status);
older bodies and every other error by status and message, in STATUS_RULES' order.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from .text import ERROR_FRAGMENTS

if TYPE_CHECKING:
    import httpx2
    import openai

JST = timezone(timedelta(hours=9), "JST")
FREE_RPM = 20  # OpenRouter's per-minute cap for :free models; a smaller X-RateLimit-Limit is a per-minute cap

_AFFORD = re.compile(r"requested up to (\d+) tokens, but can only afford (\d+)")
# GET /models/{author}/{slug}/endpoints: the model a provider lookup was about.
_ENDPOINTS_PATH = re.compile(r"/models/([^/]+/[^/]+)/endpoints$")
_INVALID_MODEL = re.compile(r"^(.+?) is not a valid model id", re.IGNORECASE)
_RPM_IN_MESSAGE = re.compile(r"limited to (\d+) requests per minute")
# How providers state a model's context length in a context overflow (OpenAI-style, Anthropic-style, ...).
_CONTEXT_IN_MESSAGE = re.compile(r"(?:maximum context length is|context length of|context window of|> ?)"
                                 r"\s*(\d[\d,]*)\s*(?:tokens|maximum)", re.IGNORECASE)
_CONTEXT_WORDS = ("context length", "context window", "context_length_exceeded", "prompt is too long")

# error.availability.code -> case: the 11 stable codes OpenRouter documents (an unknown code: availability_other).
AVAILABILITY_CASES = {
    "model_not_found": "model_invalid", "wrong_endpoint": "wrong_endpoint", "no_endpoints": "no_endpoints",
    "model_deprecated": "model_retired", "model_unavailable_upstream": "no_endpoints",
    "region_restricted": "region_restricted", "privacy_restricted": "data_policy",
    "constraint_filtered": "constraint_filtered", "free_variant_ended": "free_retired",
    "capacity_exhausted": "capacity_exhausted", "temporarily_unavailable": "temporarily_unavailable",
}
_MODEL_ID_CASES = ("model_invalid", "model_unknown", "free_retired", "model_retired")


@dataclass
class StatusView:
    """What an HTTP error response says: status, OpenRouter's message, metadata and availability, headers."""

    status: int
    message: str
    metadata: dict[str, Any]
    availability: dict[str, Any] | None
    headers: dict[str, str]
    model: str | None
    path: str

    def mentions(self, *needles: str) -> bool:
        """Whether the message or the upstream `metadata.raw` contains any needle (case-insensitive)."""
        return any(n in self.text().lower() for n in needles)

    def text(self) -> str:
        return self.message + " " + str(self.metadata.get("raw") or "")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


# (predicate, case) in order: the first match wins; the last rule of each status is that status's default.
# Used when the body has no `availability` object (older bodies and every non-availability error).
STATUS_RULES: list[tuple[Callable[[StatusView], bool], str]] = [
    (lambda s: s.status == 401 and s.mentions("no cookie auth", "no auth credentials", "missing authentication"),
     "no_key"),
    (lambda s: s.status == 401, "key_invalid"),
    (lambda s: s.status == 402 and s.metadata.get("limit_source") == "openrouter_key_limit", "key_limit"),
    (lambda s: s.status == 402 and s.mentions("never purchased credits"), "credits_never_purchased"),
    (lambda s: s.status == 402 and _afford(s) >= 10, "credits_max_tokens"),  # else too little to suggest
    (lambda s: s.status == 402, "credits_insufficient"),
    (lambda s: s.status == 403 and ("reasons" in s.metadata or s.mentions("moderation", "flagged")), "moderation"),
    (lambda s: s.status == 403 and ("patterns" in s.metadata or s.mentions("guardrail", "blocked")), "guardrail"),
    (lambda s: s.status == 403, "forbidden"),
    (lambda s: s.status == 400 and s.mentions("is not a valid model id"), "model_invalid"),
    (lambda s: s.status == 413 and s.mentions("image content cannot exceed"), "image_too_large"),
    (lambda s: s.status in (400, 413) and (s.metadata.get("error_type") == "context_length_exceeded"
                                           or s.mentions(*_CONTEXT_WORDS)), "context_exceeded"),
    (lambda s: s.status == 400, "bad_request"),
    # Feature refusals name the feature; before the generic no-endpoints rules (which would say "retired").
    (lambda s: s.status == 404 and s.mentions("no endpoints found that support tool use"), "no_tool_support"),
    (lambda s: s.status == 404 and s.mentions("no endpoints found that can handle the requested parameters"),
     "unsupported_parameters"),
    (lambda s: s.status == 404 and s.mentions("no endpoints found that support image input"), "no_image_input"),
    (lambda s: s.status == 404 and s.mentions("no endpoints found that support the requested output modalities"),
     "no_output_modality"),
    (lambda s: s.status == 404 and s.mentions("data policy"), "data_policy"),
    (lambda s: s.status == 404 and s.mentions("no allowed providers"), "no_allowed_providers"),
    (lambda s: s.status == 404 and s.mentions("no endpoints found") and _paid_only(s.model), "free_retired"),
    (lambda s: s.status == 404 and s.mentions("no endpoints found"), "no_endpoints"),
    (lambda s: s.status == 404 and _ENDPOINTS_PATH.search(s.path) is not None, "model_unknown"),
    (lambda s: s.status == 404, "not_found"),
    (lambda s: s.status == 408, "request_timeout"),
    (lambda s: s.status == 429 and (s.metadata.get("limit_source") == "upstream_provider_shared_pool"
                                    or s.mentions("provider returned error", "rate-limited upstream")),
     "rate_upstream"),
    (lambda s: s.status == 429 and s.mentions("per-day", "per day"), "rate_day"),
    (lambda s: s.status == 429 and (s.mentions("limit_rpm", "per minute") or _small_limit(s)), "rate_minute"),
    (lambda s: s.status == 429, "rate_limited"),
    (lambda s: s.status == 502, "provider_error"),
    (lambda s: s.status == 503, "no_provider"),
    (lambda s: s.status >= 500, "server_error"),
]


def status_view(exc: openai.APIStatusError) -> StatusView:
    """The parts of an HTTP error response the rules look at."""
    body = exc.body if isinstance(exc.body, dict) else {}
    metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    availability = body.get("availability")
    if not (isinstance(availability, dict) and isinstance(availability.get("code"), str)):
        availability = None  # an older body, or one whose object is unusable: the message rules decide
    headers = {k.lower(): v for k, v in exc.response.headers.items()}
    headers.update({k.lower(): str(v) for k, v in (metadata.get("headers") or {}).items()})
    path = exc.request.url.path if exc.request is not None else ""
    endpoints = _ENDPOINTS_PATH.search(path)
    model = _request_model(exc.request) or (endpoints.group(1) if endpoints else None)
    return StatusView(exc.status_code, str(body.get("message") or ""), metadata, availability, headers, model, path)


def status_case(s: StatusView, exc_type: str) -> tuple[str, dict[str, str]]:
    """The case of an HTTP error response and its values: by `availability.code` first, else by the rules."""
    if s.availability is not None:
        case = AVAILABILITY_CASES.get(s.availability["code"], "availability_other")
    else:
        case = next((case for rule, case in STATUS_RULES if rule(s)), "unknown")
    return case, _status_values(case, s, exc_type)


def _status_values(case: str, s: StatusView, exc_type: str) -> dict[str, str]:
    """Values for the placeholders of `case`'s message (unused ones are ignored)."""
    from .catalog import suggestions

    unknown = ERROR_FRAGMENTS["unknown_value"]
    values = {"type": exc_type, "status": str(s.status), "model": s.model or unknown,
              "provider": str(s.metadata.get("provider_name") or unknown), "suggestions": ""}
    if case == "credits_max_tokens":
        values.update(requested=_AFFORD.search(s.message).group(1), afford=str(_afford(s)),
                      suggested=str(_round_down(_afford(s))))
    elif case == "moderation":
        values["reasons"] = ERROR_FRAGMENTS["list_separator"].join(s.metadata.get("reasons") or []) or unknown
    elif case == "no_allowed_providers":
        values["available"] = ", ".join(s.metadata.get("available_providers") or []) or unknown
    elif case == "context_exceeded":
        context = _context_in_message(s.text()) or (suggestions.context_length_of(s.model) if s.model else None)
        values["context"] = ERROR_FRAGMENTS["context_tokens"].format(n=context) if context else ""
    elif case == "no_output_modality":
        # OpenRouter's message ends with the requested modalities, as the request listed them
        values["modalities"] = s.message.partition("modalities:")[2].strip() or unknown
    elif case.startswith("rate_"):
        values.update(_rate_values(case, s))
    if case in _MODEL_ID_CASES:
        match = _INVALID_MODEL.match(s.message)
        values["model"] = match.group(1) if match else values["model"]
        values.update(base=values["model"].removesuffix(":free"),
                      suggestions=suggestions.close_ids_hint(values["model"]))
    if s.availability is not None:
        values.update(_availability_values(s, values))
    return values


def _availability_values(s: StatusView, values: dict[str, str]) -> dict[str, str]:
    """The model, OpenRouter's suggested replacements, what excluded it and whether waiting helps."""
    from .catalog import suggestions

    a = s.availability or {}
    requested = [m for m in a.get("requested_models") or [] if isinstance(m, str)]
    model = values["model"]  # the request's own model; OpenRouter's list when the request named none
    if model == ERROR_FRAGMENTS["unknown_value"] and requested:
        model = requested[0]
    fallbacks = suggestions.fallback_hint(list(a.get("fallback_models") or []))
    excluded = [item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
                for item in a.get("excluded_by") or []]
    wait = _wait(a.get("retry_after") or s.header("retry-after"))
    retry = {True: ERROR_FRAGMENTS["retry_later"].format(wait=wait), False: ERROR_FRAGMENTS["retry_useless"]}
    return {"model": model, "base": model.removesuffix(":free"), "code": str(a["code"]),
            "suggestions": fallbacks or values["suggestions"], "wait": wait,
            "retry": retry.get(a.get("retryable"), ""),
            "excluded": ERROR_FRAGMENTS["excluded"].format(
                items=ERROR_FRAGMENTS["list_separator"].join(excluded)) if excluded else ""}


def _context_in_message(text: str) -> int | None:
    """The context length a provider's overflow message states ("maximum context length is 8192 tokens")."""
    match = _CONTEXT_IN_MESSAGE.search(text)
    return int(match.group(1).replace(",", "")) if match else None


def _rate_values(case: str, s: StatusView) -> dict[str, str]:
    """Limit, reset time (JST) and how long to wait, from X-RateLimit-* / Retry-After / metadata."""
    rpm = _RPM_IN_MESSAGE.search(s.message)
    limit = rpm.group(1) if rpm else s.header("x-ratelimit-limit")
    reset = _reset_time(s.header("x-ratelimit-reset"))
    retry_after = s.header("retry-after") or s.metadata.get("retry_after_seconds")
    if reset:
        wait = ERROR_FRAGMENTS["wait_until"].format(time=reset)
    else:
        wait = _wait(retry_after, minute=case == "rate_minute")
    upgrade = ERROR_FRAGMENTS["rate_day_at_max" if limit == "1000" else "rate_day_upgrade"]
    return {"limit": ERROR_FRAGMENTS["count"].format(n=limit) if limit else "", "wait": wait,
            "reset_at": ERROR_FRAGMENTS["reset_at"].format(time=reset) if reset else "", "upgrade": upgrade}


def _wait(seconds: object, minute: bool = False) -> str:
    """ "Wait N seconds, then" from a server's hint, else a general "wait a little / a minute"."""
    if seconds not in (None, ""):
        return ERROR_FRAGMENTS["wait_seconds"].format(seconds=seconds)
    return ERROR_FRAGMENTS["wait_minute" if minute else "wait_short"]


def _paid_only(model: str | None) -> bool:
    from .catalog import suggestions

    return suggestions.paid_only(model)


def _afford(s: StatusView) -> int:
    """How many tokens the credits pay for, from "… but can only afford N" (0 if not said)."""
    match = _AFFORD.search(s.message)
    return int(match.group(2)) if match else 0


def _small_limit(s: StatusView) -> bool:
    limit = s.header("x-ratelimit-limit")
    return bool(limit and limit.isdigit() and int(limit) <= FREE_RPM)


def _reset_time(value: str | None) -> str | None:
    """X-RateLimit-Reset (epoch milliseconds; seconds accepted) as Japanese time, rounded up to the minute."""
    if not value or not value.isdigit():
        return None
    seconds = int(value) / 1000 if int(value) > 10**11 else int(value)
    moment = datetime.fromtimestamp(seconds, JST)
    if moment.second or moment.microsecond:
        moment = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return ERROR_FRAGMENTS["date_time"].format(month=moment.month, day=moment.day, hour=moment.hour,
                                               minute=moment.minute)


def _round_down(afford: int) -> int:
    """A max_tokens comfortably below what the credits pay for (90 %, rounded down to 2 significant digits)."""
    target = int(afford * 0.9)
    step = 10 ** max(len(str(target)) - 2, 0)
    return max(target // step * step, 1)


def _request_model(request: httpx2.Request | None) -> str | None:
    """The `model` of the JSON request body, if any."""
    try:
        model = json.loads(request.content or b"{}").get("model")
    except (AttributeError, ValueError, TypeError):
        return None
    return model if isinstance(model, str) else None

