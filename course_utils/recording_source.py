"""Where the recordings came from: the example server (authored examples) or OpenRouter itself (live).

The record command writes one comment line at the top of each recording, e.g.
`# course-recording: source=example day=2026-08-20`; the replay banner reads those lines, so that it
calls the shipped examples examples, and an instructor's live re-recording real responses of its day.
Recordings without the line (older files) count as examples.
"""
from __future__ import annotations

import re
from pathlib import Path

# Sent by fake_openrouter on every response (it names the same header); nothing else sends it.
EXAMPLE_SERVER_HEADER = "x-course-example-server"
EXAMPLE, LIVE = "example", "live"
_LINE = re.compile(r"# course-recording: source=(?P<source>\w+) day=(?P<day>[\d-]+)")

# Learner-facing text: the banner line about the recordings, by what they hold.
TEXT = {
    EXAMPLE: "・収録データは見本です。モデル一覧と料金は OpenRouter の実際の公開データ（{catalogue_date} 時点）、"
             "AIの応答文は API の形式に沿って作った例（{days} 付）で、実際の応答とは異なります。",
    LIVE: "・収録データは、{days} に OpenRouter から実際に収録した応答です（モデル一覧・料金・応答文はその日のもの）。",
    "mixed": "・収録データには、OpenRouter から実際に収録した応答（{live}）と、API の形式に沿って作った見本（{example}）が"
             "混ざっています。",
    "day_separator": "・",
}


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
    sep = TEXT["day_separator"]
    if not days[LIVE]:
        return TEXT[EXAMPLE].format(catalogue_date=catalogue_date, days=sep.join(days[EXAMPLE] or [example_day]))
    if not days[EXAMPLE]:
        return TEXT[LIVE].format(days=sep.join(days[LIVE]))
    live = sep.join(name for name, (s, _) in sources.items() if s == LIVE)
    example = sep.join(name for name, (s, _) in sources.items() if s == EXAMPLE)
    return TEXT["mixed"].format(live=live, example=example)
