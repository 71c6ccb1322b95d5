"""The Japanese banner `setup()` prints: mode, honesty about recordings, base URL and key status."""
from __future__ import annotations

from . import recording_source, text
from .config import CATALOGUE_DATE, RECORDED_AT, recordings_dir
from .model_ids import profile_note


def render_banner(mode: str, base_url: str, key_status: str, notes: tuple[str, ...] = ()) -> str:
    """The banner text for a mode; never contains any part of a key (only its status)."""
    recordings = recording_source.banner_line(recordings_dir(), CATALOGUE_DATE, RECORDED_AT) if mode == "replay" else ""
    lines = [line.format(recordings=recordings) for line in text.BANNER[mode]]
    lines += [text.BANNER_NOTE.format(note=note) for note in notes]
    profile = profile_note(mode)
    if profile:
        lines.append(text.BANNER_NOTE.format(note=profile))
    lines.append(text.BANNER_FOOTER.format(base_url=base_url, key_status=key_status))
    return "\n".join(lines)
