"""Which case an exception is, and the values its Japanese text needs: the rules (the text is text.ERRORS).

Course errors by class, `openai`/`httpx2` errors by class and (for HTTP errors) by status_rules, and the few
Python errors `openai` itself causes. `openai` and `httpx2` are imported only when an error is classified
(importing them here would add ~0.4 s to `import course_utils`); before that, none of their exceptions exist.
"""
from __future__ import annotations

import json
import os
import re
import sys
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .course_errors import (
    CompletionFailed,
    CourseError,
    InputProblem,
    KeyProblem,
    NotRecordedError,
    RecordWithoutKeyError,
    StreamIncomplete,
    UnexpectedResponse,
)
from .status_rules import status_case, status_view
from .text import ERROR_FRAGMENTS, ERRORS, KEYS, PLACEHOLDER_MARK

if TYPE_CHECKING:
    import httpx2

_WEB_PAGE = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<meta|<title)", re.IGNORECASE)
# Attributes lesson code reads on an answer: an AttributeError on a `str` for one of them is openai's text.
_ANSWER_ATTRIBUTES = {"choices", "usage", "model", "id", "provider", "created", "object"}
# OpenRouter's field for generated images: absent from a message when the request had no `modalities`.
_IMAGES = "images"


# -- what is explained --------------------------------------------------------------------------------

def caught(exc: BaseException) -> bool:
    """What kindly() explains: course and `openai` errors, httpx2 transport errors, the few Python errors
    that `openai` itself causes (a broken response, a lone surrogate, a web page handed back as text), and
    `message.images` read on an answer without images (the request had no `modalities`)."""
    openai, httpx2 = sys.modules.get("openai"), sys.modules.get("httpx2")
    return (isinstance(exc, CourseError) or _malformed_response(exc) or _unsendable(exc) is not None
            or answer_text(exc) is not None or _no_images(exc)
            or (openai is not None and isinstance(exc, openai.OpenAIError))
            or (httpx2 is not None and isinstance(exc, httpx2.TransportError)))


def is_web_page(text: str) -> bool:
    """Whether `text` is an HTML page (what a Wi-Fi login screen answers to every request)."""
    return bool(_WEB_PAGE.match(text))


def answer_text(exc: BaseException) -> str | None:
    """The text `openai` returned instead of an answer, when lesson code then read `.choices` (etc.) on it."""
    obj = getattr(exc, "obj", None)
    if isinstance(exc, AttributeError) and isinstance(obj, str) and exc.name in _ANSWER_ATTRIBUTES:
        return obj
    return None


def _no_images(exc: BaseException) -> bool:
    """Lesson code read `message.images` (or a delta's) on an answer that has none: no image was asked for."""
    obj = getattr(exc, "obj", None)
    return (isinstance(exc, AttributeError) and exc.name == _IMAGES
            and type(obj).__module__.startswith("openai.types.chat."))


def _raised_in_client(exc: BaseException) -> bool:
    """Whether `exc` was raised inside `openai` or `httpx2` (not in the learner's own code)."""
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if f"{os.sep}openai{os.sep}" in name or f"{os.sep}httpx2{os.sep}" in name:
            return True
        tb = tb.tb_next
    return False


def _malformed_response(exc: BaseException) -> bool:
    """A JSON error raised inside `openai` while parsing a response (not the learner's own json.loads)."""
    return isinstance(exc, json.JSONDecodeError) and _raised_in_client(exc)


def _unsendable(exc: BaseException) -> str | None:
    """The case of a request the client could not even encode: a lone surrogate, or a key with full-width
    characters (the Authorization header must be ASCII)."""
    if not isinstance(exc, UnicodeEncodeError) or not _raised_in_client(exc):
        return None
    if exc.reason == "surrogates not allowed":
        return "prompt_surrogate"
    return "key_malformed" if str(exc.object).startswith("Bearer ") else None


# -- classification ------------------------------------------------------------------------------------

def classify(exc: BaseException) -> tuple[str, dict[str, str]]:
    """The case code of `exc` and the values its message needs."""
    if isinstance(exc, CourseError):
        return _course_case(exc)
    if _malformed_response(exc):
        return "malformed_response", {}
    unsendable = _unsendable(exc)
    if unsendable is not None:
        placeholder = PLACEHOLDER_MARK in str(getattr(exc, "object", ""))  # the document's sample key, pasted
        return unsendable, {"message": KEYS["placeholder" if placeholder else "non_ascii"], "where": ""}
    text = answer_text(exc)
    if text is not None:
        return ("captive_portal" if is_web_page(text) else "malformed_response"), {}
    if _no_images(exc):
        return "no_images_returned", {}
    import httpx2
    import openai

    if isinstance(exc, openai.APIStatusError):
        return status_case(status_view(exc), type_name(exc))
    if isinstance(exc, openai.APITimeoutError):
        return "client_timeout", {}
    if isinstance(exc, openai.APIConnectionError):
        if isinstance(exc.__cause__, (httpx2.ReadError, httpx2.RemoteProtocolError)):
            return "stream_cut", {}
        return "connection", {"host": _host(exc.request)}
    if isinstance(exc, openai.APIError):  # an error event inside a stream (HTTP 200)
        body = exc.body if isinstance(exc.body, dict) else {}
        return "stream_error", {"code": str(body.get("code") or ERROR_FRAGMENTS["unknown_value"])}
    if isinstance(exc, httpx2.TimeoutException):
        return "client_timeout", {}
    if isinstance(exc, (httpx2.ReadError, httpx2.RemoteProtocolError)):
        return "stream_cut", {}
    if isinstance(exc, httpx2.TransportError):
        return "connection", {"host": _host(_request_of(exc))}
    if isinstance(exc, openai.OpenAIError) and "api_key" in str(exc) and (
            "Missing credentials" in str(exc) or "must be set" in str(exc)):
        return "no_key", {}
    return "unknown", {"type": type_name(exc)}


def _course_case(exc: CourseError) -> tuple[str, dict[str, str]]:
    if isinstance(exc, KeyProblem):
        return "key_malformed", {"message": exc.message}
    if isinstance(exc, NotRecordedError):
        if exc.recordings_problem == "missing":  # nothing the learner changed: the recordings are not there
            return "recordings_missing", {"message": str(exc)}
        chat = exc.path.endswith("/chat/completions")
        return "not_recorded" if chat else "not_recorded_lookup", {"message": str(exc)}
    if isinstance(exc, RecordWithoutKeyError):
        return "record_without_key", {}
    if isinstance(exc, InputProblem) and exc.code in ERRORS:
        return exc.code, {"message": str(exc), **exc.info}
    if isinstance(exc, StreamIncomplete):
        return "stream_cut", {}
    if isinstance(exc, CompletionFailed):
        return "completion_error", {}
    if isinstance(exc, UnexpectedResponse):
        return ("captive_portal" if is_web_page(exc.text) else "malformed_response"), {}
    return "unknown", {"type": type_name(exc)}


# -- small helpers ----------------------------------------------------------------------------------------

def type_name(exc: BaseException) -> str:
    """`openai.RateLimitError`-style name: top-level package and class."""
    cls = type(exc)
    return f"{cls.__module__.split('.')[0]}.{cls.__qualname__}"


def _request_of(exc: httpx2.TransportError) -> httpx2.Request | None:
    try:
        return exc.request
    except RuntimeError:  # httpx2 raises when the error was created without a request
        return None


def _host(request: httpx2.Request | None) -> str:
    return urlsplit(str(request.url)).netloc if request is not None else ERROR_FRAGMENTS["unknown_value"]


