"""Kind Japanese explanations of API and course errors instead of tracebacks.

Lessons wrap a call once: `with course_utils.kindly(): completion = client.chat.completions.create(...)`.
Matching uses the real `openai` exception class, the HTTP status and OpenRouter's error body
(`e.body` is the inner `error` object); all learner-facing text lives in error_messages.py.
`openai` and `httpx2` are imported only when an error is explained (importing them here would add
~0.4 s to `import course_utils`); before they are imported, none of their exceptions can exist.
"""
from __future__ import annotations

import difflib
import html
import importlib
import json
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from urllib.parse import urlsplit

from .config import KEY_VAR
from .error_messages import DETAIL_LABELS, FRAGMENTS, HEADINGS, MESSAGES, UNCAUGHT_LINE
from .exceptions import (CompletionFailed, CourseError, InputProblem, KeyProblem, NotRecordedError,
                         RecordWithoutKeyError, StreamIncomplete)

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
_PLACEHOLDER = re.compile(r"\{(\w+)\}")  # only {name}: literal JSON such as {"models": ...} stays as written
_KEY_LIKE = re.compile(r"sk-or-v1-[0-9a-fA-F]{6,}")


@dataclass(frozen=True)
class Explanation:
    """A short Japanese explanation of one error; `details` is for the instructor (label -> value)."""

    case: str
    what: str
    cause: str
    next_step: str
    details: dict[str, str] = field(default_factory=dict)

    def to_text(self) -> str:
        """Plain text for consoles (no emoji, no markup)."""
        lines = [f"[{HEADINGS['title']}]",
                 f"{HEADINGS['what']}: {self.what}",
                 f"{HEADINGS['cause']}: {self.cause}",
                 f"{HEADINGS['next']}: {self.next_step}",
                 f"{HEADINGS['details']}:"]
        lines += [f"  {label}: {value}" for label, value in self.details.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        def row(key: str, text: str) -> str:
            body = html.escape(text).replace("\n", "<br>")
            return f"<div style='margin:2px 0'><b>{HEADINGS[key]}</b>: {body}</div>"

        items = "".join(f"<li>{html.escape(label)}: <code>{html.escape(value)}</code></li>"
                        for label, value in self.details.items())
        return ("<div style='border-left:4px solid #c0392b;background:#fdf2f0;color:#222;"
                "padding:8px 12px;margin:4px 0'>"
                + row("what", self.what) + row("cause", self.cause) + row("next", self.next_step)
                + f"<details><summary>{HEADINGS['details']}</summary><ul>{items}</ul></details></div>")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.to_text())

    def __str__(self) -> str:
        return self.to_text()


_last: Explanation | None = None


# -- public API ---------------------------------------------------------------------------------------

@contextmanager
def kindly() -> Iterator[None]:
    """Show a short Japanese explanation instead of a traceback for API/course errors; the notebook goes on."""
    try:
        yield
    except Exception as exc:
        if not _caught(exc):
            raise
        show(explain(exc))


def show_cell_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None,
                    earlier: tuple[tuple[type, ...], Any] = ((), None)) -> None:
    """IPython custom exception handler (see setup()): a plain cell's API or course error is shown as the
    Japanese explanation and a one-line error instead of a traceback wall; anything else goes to `earlier`
    (the shell's previous handler and its exception types) or is shown exactly as IPython would show it.
    The cell still counts as failed, so "run all" stops where the learner must act."""
    if not _caught(value):
        if earlier[1] is not None and isinstance(value, earlier[0]):
            earlier[1](etype, value, tb, tb_offset=tb_offset)
        elif isinstance(value, SyntaxError):
            shell.showsyntaxerror()
        else:
            shell.showtraceback(running_compiled_code=True)
        return
    shell._get_exc_info((etype, value, tb))  # records it as the last exception: what %tb shows in full
    show(explain(value))
    shell._showtraceback(etype, value, [UNCAUGHT_LINE.format(name=etype.__name__)])


def _caught(exc: BaseException) -> bool:
    """What kindly() explains: course errors, `openai` errors and httpx2 transport errors; nothing else."""
    openai, httpx2 = sys.modules.get("openai"), sys.modules.get("httpx2")
    return (isinstance(exc, CourseError) or _malformed_response(exc)
            or (openai is not None and isinstance(exc, openai.OpenAIError))
            or (httpx2 is not None and isinstance(exc, httpx2.TransportError)))


def _malformed_response(exc: BaseException) -> bool:
    """A JSON error raised inside `openai` while parsing a response (not the learner's own json.loads)."""
    if not isinstance(exc, json.JSONDecodeError):
        return False
    tb = exc.__traceback__
    while tb is not None:
        if f"{os.sep}openai{os.sep}" in tb.tb_frame.f_code.co_filename:
            return True
        tb = tb.tb_next
    return False


def explain(exc: BaseException) -> Explanation:
    """The Japanese explanation of `exc` (the `unknown` case only for errors no other case describes)."""
    case, values = _classify(exc)
    text = {part: _scrub(_fill(MESSAGES[case][part], values)) for part in ("what", "cause", "next")}
    return Explanation(case=case, what=text["what"], cause=text["cause"], next_step=text["next"],
                       details={label: _scrub(value) for label, value in _details(exc).items()})


def show(explanation: Explanation) -> None:
    """Display as HTML in a notebook, print as plain text elsewhere; remember it for last_explanation()."""
    global _last
    _last = explanation
    if _in_notebook():
        from IPython.display import display

        display(explanation)
    else:
        print(explanation.to_text())


def last_explanation() -> Explanation | None:
    """The explanation kindly() showed most recently (for tests and widgets)."""
    return _last


def check_prompt(prompt_or_messages: str | list[dict[str, Any]] | None, model: str | None = None) -> None:
    """Raise InputProblem before any request if the prompt is empty or clearly too long for `model`."""
    text = _prompt_text(prompt_or_messages)
    if not text.strip():
        raise InputProblem("prompt_empty", MESSAGES["prompt_empty"]["what"])
    context = _from_catalog("context_length", model) if model else None
    estimate = estimate_tokens(text)
    if context and estimate > context:
        info = {"model": model or "", "context": str(context), "estimate": str(estimate)}
        raise InputProblem("prompt_too_long", _fill(MESSAGES["prompt_too_long"]["what"], info), **info)


def estimate_tokens(text: str) -> int:
    """A deliberately low token estimate (4 ASCII or 2 other characters per token): never blocks a prompt that fits."""
    ascii_chars = sum(c.isascii() for c in text)
    return ascii_chars // 4 + (len(text) - ascii_chars) // 2


def finish_stream(stream: Iterable[Any], echo: bool = False) -> str:
    """Read a chat stream to its end and return the text; raise StreamIncomplete if no finish_reason came."""
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
        raise StreamIncomplete(MESSAGES["stream_cut"]["what"], "".join(parts))
    return "".join(parts)


def check_completion(completion: Any) -> Any:
    """Return `completion`, or raise CompletionFailed if a choice ended with finish_reason "error" (HTTP 200)."""
    for choice in completion.choices or []:
        _raise_if_failed(choice)
    return completion


def _raise_if_failed(choice: Any) -> None:
    """OpenRouter reports a failure after HTTP 200 as finish_reason "error" plus an `error` object on the choice."""
    if choice.finish_reason == "error":
        raise CompletionFailed(MESSAGES["completion_error"]["what"], (choice.model_extra or {}).get("error"))


# -- matching -----------------------------------------------------------------------------------------

@dataclass
class _Status:
    """What an HTTP error response says: status, OpenRouter's message and metadata, headers, request model."""

    status: int
    message: str
    metadata: dict[str, Any]
    headers: dict[str, str]
    model: str | None
    path: str

    def mentions(self, *needles: str) -> bool:
        """Whether the message or the upstream `metadata.raw` contains any needle (case-insensitive)."""
        text = (self.message + " " + str(self.metadata.get("raw") or "")).lower()
        return any(n in text for n in needles)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


# (predicate, case) in order: the first match wins; the last rule of each status is that status's default.
_STATUS_RULES: list[tuple[Callable[[_Status], bool], str]] = [
    (lambda s: s.status == 401 and s.mentions("no cookie auth", "no auth credentials", "missing authentication"),
     "no_key"),
    (lambda s: s.status == 401, "key_invalid"),
    (lambda s: s.status == 402 and s.metadata.get("limit_source") == "openrouter_key_limit", "key_limit"),
    (lambda s: s.status == 402 and _afford(s) >= 10, "credits_max_tokens"),  # else too little to suggest
    (lambda s: s.status == 402, "credits_insufficient"),
    (lambda s: s.status == 403 and ("reasons" in s.metadata or s.mentions("moderation", "flagged")), "moderation"),
    (lambda s: s.status == 403 and ("patterns" in s.metadata or s.mentions("guardrail", "blocked")), "guardrail"),
    (lambda s: s.status == 403, "forbidden"),
    (lambda s: s.status == 400 and s.mentions("is not a valid model id"), "model_invalid"),
    (lambda s: s.status == 400 and s.mentions("context length"), "context_exceeded"),
    (lambda s: s.status == 400, "bad_request"),
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


def _classify(exc: BaseException) -> tuple[str, dict[str, str]]:
    """The case code of `exc` and the values its message needs."""
    if isinstance(exc, CourseError):
        return _course_case(exc)
    if _malformed_response(exc):
        return "malformed_response", {}
    import httpx2
    import openai

    if isinstance(exc, openai.APIStatusError):
        status = _status_view(exc)
        case = next((case for rule, case in _STATUS_RULES if rule(status)), "unknown")
        return case, _status_values(case, status, exc)
    if isinstance(exc, openai.APITimeoutError):
        return "client_timeout", {}
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        if isinstance(cause, (httpx2.ReadError, httpx2.RemoteProtocolError)):
            return "stream_cut", {}
        return "connection", {"host": _host(exc.request)}
    if isinstance(exc, openai.APIError):  # an error event inside a stream (HTTP 200)
        body = exc.body if isinstance(exc.body, dict) else {}
        return "stream_error", {"code": str(body.get("code") or FRAGMENTS["unknown_value"])}
    if isinstance(exc, httpx2.TimeoutException):
        return "client_timeout", {}
    if isinstance(exc, (httpx2.ReadError, httpx2.RemoteProtocolError)):
        return "stream_cut", {}
    if isinstance(exc, httpx2.TransportError):
        return "connection", {"host": _host(_request_of(exc))}
    if isinstance(exc, openai.OpenAIError) and "api_key" in str(exc) and (
            "Missing credentials" in str(exc) or "must be set" in str(exc)):
        return "no_key", {}
    return "unknown", {"type": _type_name(exc)}


def _course_case(exc: CourseError) -> tuple[str, dict[str, str]]:
    if isinstance(exc, KeyProblem):
        return "key_malformed", {"message": exc.message}
    if isinstance(exc, NotRecordedError):
        chat = exc.path.endswith("/chat/completions")
        return "not_recorded" if chat else "not_recorded_lookup", {"message": str(exc)}
    if isinstance(exc, RecordWithoutKeyError):
        return "record_without_key", {}
    if isinstance(exc, InputProblem) and exc.code in MESSAGES:
        return exc.code, {"message": str(exc), **exc.info}
    if isinstance(exc, StreamIncomplete):
        return "stream_cut", {}
    if isinstance(exc, CompletionFailed):
        return "completion_error", {}
    return "unknown", {"type": _type_name(exc)}


def _status_view(exc: openai.APIStatusError) -> _Status:
    body = exc.body if isinstance(exc.body, dict) else {}
    metadata = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    headers = {k.lower(): v for k, v in exc.response.headers.items()}
    headers.update({k.lower(): str(v) for k, v in (metadata.get("headers") or {}).items()})
    path = exc.request.url.path if exc.request is not None else ""
    endpoints = _ENDPOINTS_PATH.search(path)
    model = _request_model(exc.request) or (endpoints.group(1) if endpoints else None)
    return _Status(exc.status_code, str(body.get("message") or ""), metadata, headers, model, path)


def _status_values(case: str, s: _Status, exc: openai.APIStatusError) -> dict[str, str]:
    """Values for the placeholders of `case`'s message (unused ones are ignored)."""
    unknown = FRAGMENTS["unknown_value"]
    values = {"type": _type_name(exc), "status": str(s.status), "model": s.model or unknown,
              "provider": str(s.metadata.get("provider_name") or unknown)}
    if case == "credits_max_tokens":
        values.update(requested=_AFFORD.search(s.message).group(1), afford=str(_afford(s)),
                      suggested=str(_round_down(_afford(s))))
    elif case == "moderation":
        values["reasons"] = FRAGMENTS["list_separator"].join(s.metadata.get("reasons") or []) or unknown
    elif case in ("model_invalid", "model_unknown", "free_retired"):
        match = _INVALID_MODEL.match(s.message)
        values["model"] = match.group(1) if match else values["model"]
        values.update(base=values["model"].removesuffix(":free"), suggestions=close_ids_hint(values["model"]))
    elif case == "no_allowed_providers":
        values["available"] = ", ".join(s.metadata.get("available_providers") or []) or unknown
    elif case.startswith("rate_"):
        values.update(_rate_values(case, s))
    return values


def _rate_values(case: str, s: _Status) -> dict[str, str]:
    """Limit, reset time (JST) and how long to wait, from X-RateLimit-* / Retry-After / metadata."""
    rpm = _RPM_IN_MESSAGE.search(s.message)
    limit = rpm.group(1) if rpm else s.header("x-ratelimit-limit")
    reset = _reset_time(s.header("x-ratelimit-reset"))
    retry_after = s.header("retry-after") or s.metadata.get("retry_after_seconds")
    if reset:
        wait = FRAGMENTS["wait_until"].format(time=reset)
    elif retry_after:
        wait = FRAGMENTS["wait_seconds"].format(seconds=retry_after)
    else:
        wait = FRAGMENTS["wait_minute" if case == "rate_minute" else "wait_short"]
    upgrade = FRAGMENTS["rate_day_at_max" if limit == "1000" else "rate_day_upgrade"]
    return {"limit": FRAGMENTS["count"].format(n=limit) if limit else "", "wait": wait,
            "reset_at": FRAGMENTS["reset_at"].format(time=reset) if reset else "", "upgrade": upgrade}


def close_ids_hint(model: str) -> str:
    """ "Close ids: …" for a next step, or "" when the catalogue has nothing close."""
    close = suggest_models(model)
    return FRAGMENTS["suggestions"].format(ids=", ".join(close)) if close else ""


def _paid_only(model: str | None) -> bool:
    """Whether the catalogue lists `model` without its `:free` variant (False if no catalogue is at hand)."""
    if not model or not model.endswith(":free"):
        return False
    ids = set(_from_catalog("known_model_ids") or [])
    return model not in ids and model.removesuffix(":free") in ids


def _afford(s: _Status) -> int:
    """How many tokens the credits pay for, from "… but can only afford N" (0 if not said)."""
    match = _AFFORD.search(s.message)
    return int(match.group(2)) if match else 0


def _small_limit(s: _Status) -> bool:
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
    return f"{moment.month}月{moment.day}日 {moment.hour}:{moment.minute:02d}"


def _round_down(afford: int) -> int:
    """A max_tokens comfortably below what the credits pay for (90 %, rounded down to 2 significant digits)."""
    target = int(afford * 0.9)
    step = 10 ** max(len(str(target)) - 2, 0)
    return max(target // step * step, 1)


def suggest_models(model: str) -> list[str]:
    """Up to three catalogue ids close to `model` (empty if the catalogue is unavailable)."""
    ids = _from_catalog("known_model_ids") or []
    by_lower = {i.lower(): i for i in ids}
    close = difflib.get_close_matches(model.lower(), by_lower, n=3, cutoff=0.6)
    return [by_lower[c] for c in close]


def _from_catalog(name: str, *args: Any) -> Any:
    """Call course_utils.catalog.<name>(*args) (offline); None if the catalogue is missing or fails."""
    try:
        catalog = importlib.import_module(".catalog", __package__)
        return getattr(catalog, name)(*args)
    except Exception:  # the explainer must never fail itself; a missing hint is acceptable
        return None


# -- details for the instructor -------------------------------------------------------------------------

def _details(exc: BaseException) -> dict[str, str]:
    """Exception type, HTTP status, OpenRouter's message and metadata, and the underlying cause."""
    details = {DETAIL_LABELS["type"]: _type_name(exc)}
    body: Any = getattr(exc, "body", None)
    if isinstance(exc, CompletionFailed):
        body = exc.error
    if _is_status_error(exc):
        details[DETAIL_LABELS["status"]] = str(exc.status_code)
    elif isinstance(body, dict) and body.get("code") is not None:
        details[DETAIL_LABELS["code"]] = str(body["code"])
    if isinstance(body, dict) and body.get("message"):
        details[DETAIL_LABELS["message"]] = str(body["message"])
    elif isinstance(exc, NotRecordedError):  # its message is already "what happened"
        details[DETAIL_LABELS["request"]] = f"{exc.method} {exc.path}"
    elif not isinstance(exc, CourseError):  # the course's own messages are Japanese and already shown above
        details[DETAIL_LABELS["exception_message"]] = str(exc)
    metadata = body.get("metadata") if isinstance(body, dict) else None
    if isinstance(metadata, dict):
        if metadata.get("provider_name"):
            details[DETAIL_LABELS["provider"]] = str(metadata["provider_name"])
        details[DETAIL_LABELS["metadata"]] = _shorten(json.dumps(metadata, ensure_ascii=False))
    if exc.__cause__ is not None:
        details[DETAIL_LABELS["cause"]] = f"{_type_name(exc.__cause__)}: {exc.__cause__}"
    return details


def _is_status_error(exc: BaseException) -> bool:
    """isinstance(exc, openai.APIStatusError), without importing openai for course errors."""
    openai = sys.modules.get("openai")
    return openai is not None and isinstance(exc, openai.APIStatusError)


def _fill(template: str, values: dict[str, str]) -> str:
    """Fill `{name}` placeholders; an unknown name stays visible rather than failing the explainer."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _scrub(text: str) -> str:
    """Remove key material: the configured key and anything shaped like an OpenRouter key."""
    key = os.environ.get(KEY_VAR)
    if key and len(key) > 8:
        text = text.replace(key, "[REDACTED]")
    return _KEY_LIKE.sub("[REDACTED]", text)


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    return f"{cls.__module__.split('.')[0]}.{cls.__qualname__}"


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- small helpers ----------------------------------------------------------------------------------------

def _request_of(exc: httpx2.TransportError) -> httpx2.Request | None:
    try:
        return exc.request
    except RuntimeError:  # httpx2 raises when the error was created without a request
        return None


def _host(request: httpx2.Request | None) -> str:
    return urlsplit(str(request.url)).netloc if request is not None else FRAGMENTS["unknown_value"]


def _request_model(request: httpx2.Request | None) -> str | None:
    """The `model` of the JSON request body, if any."""
    try:
        model = json.loads(request.content or b"{}").get("model")
    except (AttributeError, ValueError, TypeError):
        return None
    return model if isinstance(model, str) else None


def _prompt_text(prompt_or_messages: str | list[dict[str, Any]] | None) -> str:
    """All text of a prompt string or a `messages` list (string contents and text parts)."""
    if prompt_or_messages is None or isinstance(prompt_or_messages, str):
        return prompt_or_messages or ""
    texts: list[str] = []
    for message in prompt_or_messages:
        content = message.get("content")
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [part.get("text") or "" for part in content if isinstance(part, dict)]
    return "\n".join(texts)


def _in_notebook() -> bool:
    """True inside a Jupyter/Colab kernel (which can render HTML), False in a terminal or plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return getattr(shell, "kernel", None) is not None
