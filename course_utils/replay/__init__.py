"""Replay and record OpenRouter HTTP traffic through the real `openai` client, with vcrpy.

vcrpy patches the httpx2 transport that `openai` >= 3 uses, so replayed calls return the real
`openai` objects and raise the real `openai` exceptions. Replay merges every recording in
`course_utils/recordings/`, the running notebook's own first and the others when a request needs them
(skipping, and naming, a file it cannot read); record mode writes one file per
notebook and scrubs credentials (`redact`), streamed answers also as reassembled text.

Modules, lowest first: matching (when two requests are the same), filters (what a recording keeps),
persister (the recordings folder as one cassette), not_recorded (the learner's message), session.
"""
from __future__ import annotations

from ..text import REPLAY
from .filters import note_origin, origin
from .matching import request_key
from .not_recorded import MAX_EXAMPLES, RecordedChat, last_user_prompt, recorded_chats, shorten
from .persister import IN_PROGRESS_SUFFIX, LibraryPersister, read_recordings, recording_files
from .session import Session, active, recording_path, start, stop

NOT_RECORDED_MESSAGE = REPLAY["not_recorded"]  # tests/unit/test_errors.py builds its example from it

__all__ = ["IN_PROGRESS_SUFFIX", "MAX_EXAMPLES", "NOT_RECORDED_MESSAGE", "LibraryPersister", "RecordedChat",
           "Session", "active", "last_user_prompt", "note_origin", "origin", "read_recordings", "recorded_chats",
           "recording_files", "recording_path", "request_key", "shorten", "start", "stop"]
