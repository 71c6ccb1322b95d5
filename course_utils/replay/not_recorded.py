"""The learner's view of the recordings: which chats they hold, and why a request is not among them."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..config import DEFAULT_BASE_URL
from ..course_errors import NotRecordedError
from ..text import REPLAY
from .filters import canonical_uri
from .matching import body_text, request_key, without_default_stream
from .persister import LibraryPersister

if TYPE_CHECKING:
    from .session import Session

MAX_EXAMPLES = 5  # recorded prompts a not-recorded message lists
MAX_DIFFERENT_FIELDS = 3  # a recording differing in more body fields than this is no "near miss"


@dataclass(frozen=True)
class RecordedChat:
    """One recorded chat completion request."""

    model: str
    prompt: str  # the last user message
    body: dict  # the JSON body as sent
    answered: bool  # the recorded response is HTTP 200, not one of the lessons' staged errors
    here: bool  # recorded by the notebook that is running


def recorded_chats(session: Session, lesson_only: bool = False) -> list[RecordedChat]:
    """Every chat completion request the session replays, in recorded order, the running notebook's first.

    `lesson_only`: only the running notebook's own, read without loading the other lessons' recordings.
    """
    if not lesson_only:
        session.load_rest()
    chats = []
    for request, response in zip(session.cassette.requests, session.cassette.responses, strict=True):
        if not request.path.endswith("/chat/completions"):
            continue
        try:
            body = json.loads(body_text(request.body))
        except ValueError:
            continue
        if not isinstance(body, dict):
            continue
        origins = LibraryPersister.sources.get(request_key(request.method, request.uri, request.body), ())
        here = session.notebook in origins
        if here or not lesson_only:
            chats.append(RecordedChat(str(body.get("model")), last_user_prompt(body), body,
                                      response["status"]["code"] == 200, here))
    return sorted(chats, key=lambda chat: not chat.here)  # stable: recorded order otherwise


def last_user_prompt(body: dict) -> str:
    """The last user message of a chat request body ("" if none), as text."""
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return ""


def not_recorded(err, session: Session) -> NotRecordedError:
    """The learner-facing error for a request the recordings lack (the message fits what was sent)."""
    request = err.failed_request
    path = urlsplit(request.uri).path
    if session.folder_missing:
        message = REPLAY["folder_missing"].format(path=session.path)
        return NotRecordedError(message, request.method, path, None, None, [], recordings_problem="missing")
    chats = recorded_chats(session)
    examples = list(dict.fromkeys((c.model, c.prompt) for c in chats if c.answered and _one_question(c.body)))
    broken = REPLAY["broken_here"].format(files=_files(session.broken)) if session.broken else ""
    try:
        body = json.loads(body_text(request.body) or "{}")
    except ValueError:
        body = None
    if not path.endswith("/chat/completions") or not isinstance(body, dict):
        target = canonical_uri(request.uri).removeprefix(DEFAULT_BASE_URL)
        message = REPLAY["lookup" if request.method == "GET" else "other"].format(request=f"{request.method} {target}")
        return NotRecordedError(message + broken, request.method, path, None, None, examples)
    hint = _differences(body, chats) or _examples(examples)
    message = REPLAY["not_recorded"].format(model=body.get("model") or "—", recorded=hint) + broken
    return NotRecordedError(message, request.method, path, body.get("model"), last_user_prompt(body), examples)


def broken_files_note(names: list[str]) -> str:
    """The banner note naming recordings that could not be read ("" if none)."""
    return REPLAY["broken_files"].format(files=_files(names)) if names else ""


def _files(names: list[str]) -> str:
    return REPLAY["file_separator"].join(names)


def _one_question(body: dict) -> bool:
    """A single question (after an optional system prompt), not a conversation's later turn: an example
    a learner can send again by itself."""
    messages = body.get("messages") or []
    return [m.get("role") if isinstance(m, dict) else None for m in messages] in (["user"], ["system", "user"])


_MISSING = object()


def _differences(sent: dict, chats: list[RecordedChat]) -> str:
    """Which top-level fields keep `sent` from matching the nearest recording with the same messages
    ("" if none is that near). A changed prompt is not named: the examples say more than its text."""
    sent = without_default_stream(sent)
    near: dict[tuple[str, ...], list[dict]] = {}
    for chat in chats:
        if not chat.answered:  # a lesson's staged error (04's typo model) is no model to suggest
            continue
        recorded = without_default_stream(chat.body)
        if recorded.get("messages") != sent.get("messages"):
            continue
        fields = tuple(f for f in dict.fromkeys([*sent, *recorded])
                       if sent.get(f, _MISSING) != recorded.get(f, _MISSING))
        if 0 < len(fields) <= MAX_DIFFERENT_FIELDS:
            near.setdefault(fields, []).append(recorded)
    if not near:
        return ""
    fields = min(near, key=len)  # the first of the nearest: the running notebook's, if it has one
    return "".join(REPLAY["differs"].format(
        field=f, sent=_shown(sent, f),
        recorded=REPLAY["or"].join(dict.fromkeys(_shown(recorded, f) for recorded in near[fields])))
        for f in fields)


def _shown(body: dict, field: str) -> str:
    """A body field as the learner wrote it in Python (True, 0.7, 'text' without quotes)."""
    value = body.get(field, _MISSING)
    if value is _MISSING:
        return REPLAY["unset"]
    return shorten(value if isinstance(value, str) else repr(value))


def _examples(examples: list[tuple[str, str]]) -> str:
    lines = [REPLAY["example"].format(model=m, prompt=shorten(p)) for m, p in examples[:MAX_EXAMPLES]]
    return REPLAY["examples"].format(lines="\n".join(lines)) if lines else ""


def shorten(text: str, limit: int = 40) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
