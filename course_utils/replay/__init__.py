"""Replay and record OpenRouter HTTP traffic through the real `openai` client, with vcrpy.

vcrpy patches the httpx2 transport that `openai` >= 3 uses, so replayed calls return the real
`openai` objects and raise the real `openai` exceptions. Replay merges every recording in
`course_utils/recordings/`; record mode writes one file per notebook and scrubs credentials.
"""
from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from . import recording_source
from .config import DEFAULT_BASE_URL, KEY_VAR, base_url, recordings_dir
from .exceptions import NotRecordedError

IN_PROGRESS_SUFFIX = ".recording-in-progress.yaml"
_KEY_PATTERN = re.compile(r"Bearer\s+[^\s\"']+|sk-or-[A-Za-z0-9._\-]*")
_SCRUBBED = "[REDACTED]"
# Response headers worth keeping in a recording; everything else (cookies, cf-ray, dates) is dropped.
# vcrpy also applies this filter to loaded interactions, so the replay-only header must survive it.
_KEEP_RESPONSE_HEADERS = {"content-type", "x-generation-id", "retry-after", "x-ratelimit-limit",
                          "x-ratelimit-remaining", "x-ratelimit-reset", "x-should-retry"}
# Request headers a recording keeps (app attribution is taught); credentials and client fingerprints
# (user-agent, x-stainless-*) are dropped, so recordings hold no secrets and do not change per machine.
_KEEP_REQUEST_HEADERS = {"content-type", "http-referer", "x-openrouter-title", "x-title",
                         "x-openrouter-categories"}

MAX_EXAMPLES = 5  # recorded prompts a not-recorded message lists
MAX_DIFFERENT_FIELDS = 3  # a recording differing in more body fields than this is no "near miss"

# Learner-facing text. errors.py shows a NotRecordedError's message as "what happened", next to its own
# cause and next step (edit back, or live mode): so the message says only what is particular to this request.
TEXT = {
    "not_recorded": "このリクエスト（モデル: {model}）は収録されていません。{recorded}",
    "differs": "{field} が収録と違います（収録: {recorded} ／ 今回: {sent}）。",
    "unset": "指定なし",
    "or": "、",
    "examples": "\n収録済みの例:\n{lines}",
    "example": "  ・{model}: 「{prompt}」",
    "lookup": "この問い合わせ（{request}）は収録されていません。",
    "other": "このリクエスト（{request}）は収録されていません。",
    "unsafe_recording": "録音データにAPIキーらしき文字列が残っていたため、{path} を書き込みませんでした。",
}
NOT_RECORDED_MESSAGE = TEXT["not_recorded"]  # tests/test_errors.py builds its example from it


# -- request normalisation and matching -------------------------------------------------------------

def _canonical_uri(uri: str) -> str:
    """Rewrite the configured base URL (proxy, loopback server) to OpenRouter's, so recordings look real."""
    current = base_url()
    if uri.startswith(current):
        return DEFAULT_BASE_URL + uri[len(current):]
    return uri


def _scrub_text(text: str) -> str:
    key = os.environ.get(KEY_VAR)
    if key and len(key) > 8:
        text = text.replace(key, _SCRUBBED)
    return _KEY_PATTERN.sub(_SCRUBBED, text)


def _body_text(body: Any) -> str:
    if body is None:
        return ""
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def _before_record_request(request):  # vcr.request.Request -> vcr.request.Request
    request = request.__class__(request.method, _canonical_uri(request.uri), request.body,
                                dict(request.headers))
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    if request.body:
        request.body = _scrub_text(_body_text(request.body)).encode("utf-8")
    return request


# Where the responses being recorded come from (written at the top of the recording; see recording_source).
_origin: dict[str, str | bool] = {"example": False, "day": ""}


def _note_origin(headers: dict) -> None:
    """Remember whether the example server answered, and the day its `Date` header (or OpenRouter's) gives."""
    lower = {k.lower(): v[0] if isinstance(v, list) else v for k, v in headers.items()}
    if recording_source.EXAMPLE_SERVER_HEADER in lower:
        _origin["example"] = True
    try:
        _origin["day"] = parsedate_to_datetime(lower["date"]).date().isoformat()
    except (KeyError, TypeError, ValueError):
        pass


def _before_record_response(response: dict) -> dict:
    _note_origin(response["headers"])
    response["headers"] = {k: v for k, v in response["headers"].items()
                           if k.lower() in _KEEP_RESPONSE_HEADERS}
    body = response.get("body", {}).get("string")
    if body:
        response["body"]["string"] = _scrub_text(_body_text(body)).encode("utf-8")
    return response


@functools.lru_cache(maxsize=512)
def _request_key(method: str, uri: str, body: bytes | str | None) -> tuple:
    """What makes two requests the same: method, path, query and the body as JSON.

    Key order, spacing and `stream=False` (the default, so the same as leaving it out) do not matter.
    Cached because vcrpy compares each request with every recorded one, several times per call.
    """
    parts = urlsplit(uri)
    text = _body_text(body)
    try:
        data = json.loads(text or "null")
    except ValueError:
        canonical = text
    else:
        if isinstance(data, dict):
            data = _without_default_stream(data)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return method.upper(), parts.path, tuple(sorted(parse_qsl(parts.query))), canonical


def _same_request(r1, r2) -> bool:
    """vcrpy matcher: see `_request_key`."""
    return _request_key(r1.method, r1.uri, r1.body) == _request_key(r2.method, r2.uri, r2.body)


def _no_retry_on_replay(request, response: dict):
    """Replayed errors must not be retried: `openai` honours `x-should-retry: false` (no back-off waits)."""
    response["headers"]["x-should-retry"] = ["false"]
    return request, response


# -- persisters ---------------------------------------------------------------------------------------

class LibraryPersister:
    """Loads every recording in the folder as one library; saves one notebook's recording, scrubbed."""

    # Which recordings (file stems) hold each request, by `_request_key`, as last loaded: the merged
    # library no longer says, and the running notebook's own examples are the ones to offer first.
    sources: dict[tuple, set[str]] = {}
    # The running notebook's recording (file stem) is loaded first. vcrpy plays the first recorded
    # response that matches, and the same request (GET /key, a repeated question) may be recorded by
    # several lessons with different answers: each lesson then replays its own.
    first: str | None = None

    @classmethod
    def load_cassette(cls, cassette_path, serializer):
        from vcr.persisters.filesystem import CassetteNotFoundError
        from vcr.serializers.compat import convert_to_unicode  # noqa: F401  (vcrpy's own format)
        from vcr.serialize import deserialize

        path = Path(cassette_path)
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path] if path.is_file() else []
        files = [f for f in files if not f.name.endswith(IN_PROGRESS_SUFFIX)]
        files.sort(key=lambda f: f.stem != cls.first)  # stable: the others stay in lesson order
        requests, responses = [], []
        sources: dict[tuple, set[str]] = {}
        for f in files:
            reqs, resps = deserialize(f.read_text(encoding="utf-8"), serializer)
            requests += reqs
            responses += resps
            for r in reqs:
                sources.setdefault(_request_key(r.method, r.uri, r.body), set()).add(f.stem)
        if not requests:
            raise CassetteNotFoundError()
        cls.sources = sources
        return requests, responses

    @staticmethod
    def save_cassette(cassette_path, cassette_dict, serializer):
        from vcr.serialize import serialize

        source = recording_source.EXAMPLE if _origin["example"] else recording_source.LIVE
        day = str(_origin["day"] or datetime.now(timezone.utc).date().isoformat())
        data = recording_source.header_line(source, day) + serialize(_without_retries(cassette_dict), serializer)
        path = Path(cassette_path)
        key = os.environ.get(KEY_VAR)
        if (key and key in data) or "sk-or-" in data or "Bearer " in data:
            raise RuntimeError(TEXT["unsafe_recording"].format(path=path.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")


def _without_retries(cassette_dict: dict) -> dict:
    """Drop an interaction identical to the one just before it: `openai` retried a 429/5xx while recording."""
    kept: dict = {"requests": [], "responses": []}
    previous = None
    for request, response in zip(cassette_dict["requests"], cassette_dict["responses"]):
        current = (request.method, request.uri, request.body, sorted(request.headers.items()), repr(response))
        if current != previous:
            kept["requests"].append(request)
            kept["responses"].append(response)
        previous = current
    return {**cassette_dict, **kept}


@dataclass(frozen=True)
class RecordedChat:
    """One recorded chat completion request."""

    model: str
    prompt: str  # the last user message
    body: dict  # the JSON body as sent
    answered: bool  # the recorded response is HTTP 200, not one of the lessons' staged errors
    here: bool  # recorded by the notebook that is running


def recorded_chats(session: _Session) -> list[RecordedChat]:
    """Every chat completion request the session replays, in recorded order, the running notebook's first."""
    chats = []
    for request, response in zip(session.cassette.requests, session.cassette.responses):
        if not request.path.endswith("/chat/completions"):
            continue
        try:
            body = json.loads(_body_text(request.body))
        except ValueError:
            continue
        if not isinstance(body, dict):
            continue
        origins = LibraryPersister.sources.get(_request_key(request.method, request.uri, request.body), ())
        chats.append(RecordedChat(str(body.get("model")), _last_user_prompt(body), body,
                                  response["status"]["code"] == 200, session.notebook in origins))
    return sorted(chats, key=lambda chat: not chat.here)  # stable: recorded order otherwise


def _last_user_prompt(body: dict) -> str:
    for message in reversed(body.get("messages") or []):
        if message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return ""


def _not_recorded(err, session: _Session) -> NotRecordedError:
    """The learner-facing error for a request the recordings lack (the message fits what was sent)."""
    request = err.failed_request
    path = urlsplit(request.uri).path
    chats = recorded_chats(session)
    examples = list(dict.fromkeys((c.model, c.prompt) for c in chats if c.answered and _one_question(c.body)))
    try:
        body = json.loads(_body_text(request.body) or "{}")
    except ValueError:
        body = None
    if not path.endswith("/chat/completions") or not isinstance(body, dict):
        target = _canonical_uri(request.uri).removeprefix(DEFAULT_BASE_URL)
        message = TEXT["lookup" if request.method == "GET" else "other"].format(request=f"{request.method} {target}")
        return NotRecordedError(message, request.method, path, None, None, examples)
    hint = _differences(body, chats) or _examples(examples)
    message = TEXT["not_recorded"].format(model=body.get("model") or "—", recorded=hint)
    return NotRecordedError(message, request.method, path, body.get("model"), _last_user_prompt(body), examples)


def _one_question(body: dict) -> bool:
    """A single question (after an optional system prompt), not a conversation's later turn: an example
    a learner can send again by itself."""
    return [m.get("role") for m in body.get("messages") or []] in (["user"], ["system", "user"])


_MISSING = object()


def _differences(sent: dict, chats: list[RecordedChat]) -> str:
    """Which top-level fields keep `sent` from matching the nearest recording with the same messages
    ("" if none is that near). A changed prompt is not named: the examples say more than its text."""
    sent = _without_default_stream(sent)
    near: dict[tuple[str, ...], list[dict]] = {}
    for chat in chats:
        recorded = _without_default_stream(chat.body)
        if recorded.get("messages") != sent.get("messages"):
            continue
        fields = tuple(f for f in dict.fromkeys([*sent, *recorded])
                       if sent.get(f, _MISSING) != recorded.get(f, _MISSING))
        if 0 < len(fields) <= MAX_DIFFERENT_FIELDS:
            near.setdefault(fields, []).append(recorded)
    if not near:
        return ""
    fields = min(near, key=len)  # the first of the nearest: the running notebook's, if it has one
    return "".join(TEXT["differs"].format(
        field=f, sent=_shown(sent, f),
        recorded=TEXT["or"].join(dict.fromkeys(_shown(recorded, f) for recorded in near[fields])))
        for f in fields)


def _without_default_stream(body: dict) -> dict:
    """`stream: false` is the default, so the same as leaving it out."""
    return {k: v for k, v in body.items() if not (k == "stream" and v is False)}


def _shown(body: dict, field: str) -> str:
    """A body field as the learner wrote it in Python (True, 0.7, 'text' without quotes)."""
    value = body.get(field, _MISSING)
    if value is _MISSING:
        return TEXT["unset"]
    return _shorten(value if isinstance(value, str) else repr(value))


def _examples(examples: list[tuple[str, str]]) -> str:
    lines = [TEXT["example"].format(model=m, prompt=_shorten(p)) for m, p in examples[:MAX_EXAMPLES]]
    return TEXT["examples"].format(lines="\n".join(lines)) if lines else ""


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- sessions -----------------------------------------------------------------------------------------

# HTTP libraries vcrpy imports (and patches) if they are installed. The course only replays `openai`'s
# httpx2 traffic, so vcrpy is imported with these hidden (about 60 ms of imports, half of setup()) and
# told to patch httpx2 alone; the httplib patch is skipped too, since its real-request path expects the
# hidden libraries' originals.
_UNUSED_HTTP_LIBRARIES = ("requests", "urllib3", "tornado", "httpx", "botocore", "httplib2", "aiohttp",
                          "httpx_curl_cffi", "pyreqwest")


def _import_vcr():
    """Import vcrpy without loading the HTTP libraries the course does not replay (see above)."""
    import sys

    if "vcr" in sys.modules:
        return sys.modules["vcr"]
    hidden = [name for name in _UNUSED_HTTP_LIBRARIES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import vcr
    finally:
        for name in hidden:
            del sys.modules[name]
    return vcr


class _Session:
    """An active vcrpy cassette plus the transport wrapper that turns 'not recorded' into NotRecordedError."""

    def __init__(self, mode: str, path: Path, notebook: str | None = None):
        vcr = _import_vcr()
        from vcr.patch import PATCHER_NAMES

        self.mode = mode
        self.path = path
        self.notebook = Path(notebook).stem if notebook else None  # whose recordings and examples come first
        LibraryPersister.first = self.notebook
        recorder = vcr.VCR(
            record_mode="none" if mode == "replay" else "all",
            match_on=["same_request"],
            before_record_request=_before_record_request,
            before_record_response=_before_record_response,
            decode_compressed_response=True,
            skip_patchers=[name for name in PATCHER_NAMES if name != "httpx2"],
        )
        recorder.register_matcher("same_request", _same_request)
        recorder.register_persister(LibraryPersister)
        self._context = recorder.use_cassette(
            str(path), allow_playback_repeats=True,
            after_load_interaction=_no_retry_on_replay if mode == "replay" else None)
        self._patched: dict[str, Any] = {}

    def __enter__(self) -> "_Session":
        self.cassette = self._context.__enter__()
        if self.mode == "replay":
            self._wrap_transports()
        return self

    def _wrap_transports(self) -> None:
        import httpx2
        from vcr.errors import CannotOverwriteExistingCassetteException as NotInCassette

        sync_send = httpx2.HTTPTransport.handle_request
        async_send = httpx2.AsyncHTTPTransport.handle_async_request

        def handle_request(transport, request):
            try:
                return sync_send(transport, request)
            except NotInCassette as err:
                raise _not_recorded(err, self) from None

        async def handle_async_request(transport, request):
            try:
                return await async_send(transport, request)
            except NotInCassette as err:
                raise _not_recorded(err, self) from None

        self._patched = {"handle_request": sync_send, "handle_async_request": async_send}
        httpx2.HTTPTransport.handle_request = handle_request
        httpx2.AsyncHTTPTransport.handle_async_request = handle_async_request

    def save(self) -> None:
        """Write what was recorded so far (record mode); a killed kernel then loses nothing."""
        if self.mode == "record" and self.cassette.dirty:
            self.cassette._save(force=True)

    def __exit__(self, *exc_info) -> None:
        if self._patched:
            import httpx2

            httpx2.HTTPTransport.handle_request = self._patched["handle_request"]
            httpx2.AsyncHTTPTransport.handle_async_request = self._patched["handle_async_request"]
            self._patched = {}
        self._context.__exit__(*exc_info)


_active: _Session | None = None


def start(mode: str, notebook: str | None = None) -> _Session | None:
    """Start replay (all recordings, `notebook`'s own first) or record (into
    `<notebook>.recording-in-progress.yaml`); stop otherwise."""
    global _active
    stop()
    if mode == "replay":
        _active = _Session("replay", recordings_dir(), notebook).__enter__()
    elif mode == "record":
        _origin.update(example=False, day="")
        _active = _Session("record", recording_path(notebook or "scratch", in_progress=True)).__enter__()
    return _active


def stop() -> None:
    """Stop any active replay or recording, saving a recording."""
    global _active
    if _active is not None:
        session, _active = _active, None
        session.save()
        session.__exit__(None, None, None)


def active() -> _Session | None:
    """The running replay/record session, if any."""
    return _active


def recording_path(notebook: str, in_progress: bool = False) -> Path:
    """Where a notebook's recording lives (or is written while recording)."""
    stem = Path(notebook).stem
    return recordings_dir() / (stem + (IN_PROGRESS_SUFFIX if in_progress else ".yaml"))
