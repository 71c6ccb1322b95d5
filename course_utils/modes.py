"""Choosing the course mode: live (a key is set), replay (no key) or record (an instructor re-recording)."""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import text
from .config import MODE_VAR
from .course_errors import RecordWithoutKeyError
from .keys import KeyLookup

LIVE, REPLAY, RECORD = "live", "replay", "record"


@dataclass(frozen=True)
class ModeChoice:
    """The chosen mode and any notes (Japanese) on why."""

    mode: str
    notes: tuple[str, ...] = ()


def choose_mode(lookup: KeyLookup) -> ModeChoice:
    """Pick the mode from COURSE_MODE (if set) and whether a usable key was found."""
    notes: list[str] = list(lookup.notes)
    wanted = (os.environ.get(MODE_VAR) or "").strip().lower()
    if wanted not in ("", LIVE, REPLAY, RECORD):
        notes.append(text.MODES["bad_value"].format(value=wanted))
        wanted = ""
    if lookup.problem is not None:
        notes.append(text.MODES["key_problem"].format(problem=lookup.problem.message))
    if wanted == RECORD:
        if not lookup.usable:
            raise RecordWithoutKeyError(text.MODES["record_without_key"])
        return ModeChoice(RECORD, tuple(notes))
    if wanted == REPLAY:
        return ModeChoice(REPLAY, tuple(notes))
    if lookup.usable:
        return ModeChoice(LIVE, tuple(notes))
    if wanted == LIVE and lookup.problem is None:
        notes.append(text.MODES["live_without_key"])
    return ModeChoice(REPLAY, tuple(notes))
