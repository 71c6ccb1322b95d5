"""Replay mode: the recorded requests the widgets can send again (their 収録例 and 【収録あり】 marks)."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

import course_utils

from .. import replay
from ..text import WIDGETS as TEXT
from .calls import messages, system_of
from .formatting import Adjust

if TYPE_CHECKING:
    from ..error_box import Explanation

# (model, prompt, system prompt or "")
Key = tuple[str, str, str]


def recorded_requests(every_lesson: bool = False) -> dict[Key, dict]:
    """In replay mode: (model, prompt, system prompt or "") -> JSON body of its recorded chat request
    (streamed ones preferred). The running notebook's own recordings when they hold any (the examples its
    prose refers to; reading every lesson's costs a widget lesson 60-100 ms), else, or with `every_lesson`,
    every lesson's, the running notebook's first. The same question under two system prompts is two
    examples. Only requests the sender can send again and that were answered are offered: a
    conversation's later turn has more messages than its boxes hold, and a lesson's staged error (such as
    the document's retired model) would only show that error again."""
    session = replay.active()
    if course_utils.MODE != "replay" or session is None:
        return {}
    own = {} if every_lesson else _sendable(replay.recorded_chats(session, lesson_only=True))
    return own or _sendable(replay.recorded_chats(session))


def _sendable(chats: list[replay.RecordedChat]) -> dict[Key, dict]:
    found: dict[Key, dict] = {}
    for chat in chats:
        system = system_of(chat.body.get("messages") or [])
        if not chat.answered or chat.body.get("messages") != messages(system, chat.prompt):
            continue
        key = (chat.model, chat.prompt, system.strip())
        if key not in found or chat.body.get("stream"):
            found[key] = chat.body
    return found


def example_label(model: str, prompt: str, system: str) -> str:
    """How a recorded request is listed in the 収録例 box."""
    label = f"{model}: {prompt[:60]}"
    return label + TEXT["recorded_system"].format(system=system[:30]) if system else label


FIELDS = ("model", "prompt", "system")  # a Key's parts, named as their boxes are (TEXT[field])
MAX_SHOWN = 3  # recorded values named when several examples are equally near


def differences(key: Key, recorded: Iterable[Key]) -> list[str] | None:
    """Sentences naming each box in which `key` differs from the nearest recorded example: [] when it is
    one, None when no example shares a single box with it. The system prompt counts like the others."""
    examples = list(recorded)
    if key in examples:
        return []
    by_fields: dict[tuple[str, ...], list[Key]] = {}
    for example in examples:  # recorded order: the running notebook's examples first
        fields = tuple(f for f, sent, was in zip(FIELDS, key, example, strict=True) if sent != was)
        if len(fields) < len(FIELDS):
            by_fields.setdefault(fields, []).append(example)
    if not by_fields:
        return None
    fields = min(by_fields, key=len)
    near = by_fields[fields]
    return [_difference(f, key[FIELDS.index(f)], [example[FIELDS.index(f)] for example in near]) for f in fields]


def _difference(field: str, sent: str, recorded: list[str]) -> str:
    values = list(dict.fromkeys(recorded))[:MAX_SHOWN]
    if field == "prompt" and len(values) == 1 and values[0] and sent.startswith(values[0]):
        return TEXT["differs_appended"].format(added=_shown(sent[len(values[0]):]))
    return TEXT["differs"].format(field=TEXT[field], sent=_shown(sent),
                                  recorded=TEXT["or"].join(_shown(v) for v in values))


def _shown(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    if not text:
        return TEXT["blank"]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def in_examples(key: Key, recorded: Iterable[Key]) -> Adjust:
    """A request the recordings lack is explained against the sender's 収録例: which of its boxes differ."""
    def change(explanation: Explanation) -> Explanation:
        if explanation.case != "not_recorded":
            return explanation
        found = differences(key, recorded) or [TEXT["differs_none"]]
        return dataclasses.replace(explanation, what=TEXT["not_recorded_what"] + "".join(found),
                                   cause=TEXT["not_recorded_cause"], next_step=TEXT["not_recorded_next"])
    return change


def models_for(prompt: str, system: str) -> list[str]:
    """The models whose answer to this prompt (and system prompt) is recorded by any lesson, answered ones only."""
    return list(dict.fromkeys(m for m, p, s in recorded_requests(every_lesson=True)
                              if (p, s) == (prompt, system.strip())))
