"""Choosing the course mode: live (a key is set), replay (no key) or record (an instructor re-recording)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from .config import MODE_VAR
from .exceptions import RecordWithoutKeyError
from .keys import KeyLookup

LIVE, REPLAY, RECORD = "live", "replay", "record"

# Learner-facing notes about how the mode was chosen.
MODE_NOTES = {
    "bad_value": "COURSE_MODE={value!r} は使えない値です（live / replay / record のどれかを指定します）。モードは自動で選びます。",
    "live_without_key": "COURSE_MODE=live が指定されていますが、使えるAPIキーがないため再生モードで続けます。",
    "key_problem": "APIキーに問題があるため、再生モードで続けます: {problem}",
    "record_without_key": "録音モード（COURSE_MODE=record）には、正しい形式のAPIキーが必要です。"
                          ".env に OPENROUTER_API_KEY を設定してから、もう一度実行してください。",
}


@dataclass(frozen=True)
class ModeChoice:
    """The chosen mode and any notes (Japanese) on why."""

    mode: str
    notes: tuple[str, ...] = ()


def choose_mode(lookup: KeyLookup) -> ModeChoice:
    """Pick the mode from COURSE_MODE (if set) and whether a usable key was found."""
    notes: list[str] = []
    wanted = (os.environ.get(MODE_VAR) or "").strip().lower()
    if wanted not in ("", LIVE, REPLAY, RECORD):
        notes.append(MODE_NOTES["bad_value"].format(value=wanted))
        wanted = ""
    if lookup.problem is not None:
        notes.append(MODE_NOTES["key_problem"].format(problem=lookup.problem.message))
    if wanted == RECORD:
        if not lookup.usable:
            raise RecordWithoutKeyError(MODE_NOTES["record_without_key"])
        return ModeChoice(RECORD, tuple(notes))
    if wanted == REPLAY:
        return ModeChoice(REPLAY, tuple(notes))
    if lookup.usable:
        return ModeChoice(LIVE, tuple(notes))
    if wanted == LIVE and lookup.problem is None:
        notes.append(MODE_NOTES["live_without_key"])
    return ModeChoice(REPLAY, tuple(notes))
