"""Replay mode: the recorded requests the widgets can send again (their 収録例 and 【収録あり】 marks)."""
from __future__ import annotations

import course_utils

from .. import replay
from ..text import WIDGETS as TEXT
from .calls import messages, system_of

# (model, prompt, system prompt or "")
Key = tuple[str, str, str]


def recorded_requests() -> dict[Key, dict]:
    """In replay mode: (model, prompt, system prompt or "") -> JSON body of its recorded chat request
    (streamed ones preferred), the running notebook's first. The same question under two system prompts
    is two examples. Only requests the sender can send again and that were answered are offered: a
    conversation's later turn has more messages than its boxes hold, and a lesson's staged error (such as
    the document's retired model) would only show that error again."""
    session = replay.active()
    if course_utils.MODE != "replay" or session is None:
        return {}
    found: dict[Key, dict] = {}
    for chat in replay.recorded_chats(session):
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
