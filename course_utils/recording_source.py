"""Where the recordings came from: the example server (authored examples) or OpenRouter itself (live).

The record command writes one comment line at the top of each recording, e.g.
`# course-recording: source=example day=2026-08-20`; the replay banner reads those lines, so that it
calls the shipped examples examples, and an instructor's live re-recording real responses of its day.
Recordings without the line (older files) count as examples.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import text

# Sent by fake_openrouter on every response (it names the same header); nothing else sends it.
EXAMPLE_SERVER_HEADER = "x-course-example-server"
EXAMPLE, LIVE = "example", "live"
_LINE = re.compile(r"# course-recording: source=(?P<source>\w+) day=(?P<day>[\d-]+)")


def header_line(source: str, day: str) -> str:
    """The first line the record command writes into a recording."""
    return f"# course-recording: source={source} day={day}\n"


def read(folder: Path) -> dict[str, tuple[str, str]]:
    """Recording name -> (source, day) from the first line of each recording in `folder`."""
    found = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.endswith(".recording-in-progress.yaml"):
            continue
        with path.open(encoding="utf-8") as f:
            match = _LINE.match(f.readline())
        found[path.stem] = (match["source"], match["day"]) if match else (EXAMPLE, "")
    return found


def banner_line(folder: Path, catalogue_date: str, example_day: str) -> str:
    """What the replay banner says about the recordings in `folder`."""
    sources = read(folder)
    days = {source: sorted({day or example_day for s, day in sources.values() if s == source})
            for source in (EXAMPLE, LIVE)}
    line = text.RECORDINGS_LINE
    sep = line["day_separator"]
    if not days[LIVE]:
        return line[EXAMPLE].format(catalogue_date=catalogue_date, days=sep.join(days[EXAMPLE] or [example_day]))
    if not days[EXAMPLE]:
        return line[LIVE].format(days=sep.join(days[LIVE]))
    live = sep.join(name for name, (s, _) in sources.items() if s == LIVE)
    example = sep.join(name for name, (s, _) in sources.items() if s == EXAMPLE)
    return line["mixed"].format(live=live, example=example)
