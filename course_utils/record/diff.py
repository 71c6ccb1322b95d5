"""What a re-recording changed: interactions added, removed or answered differently, and what fails now."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import replay, text
from .run import cell_id, error_cell_ids

_DIFF_LINES = 40  # of one changed response body: enough to see what changed, short enough to read


@dataclass(frozen=True)
class Interaction:
    """One recorded response: HTTP status and body."""

    status: int
    body: str

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class RecordingDiff:
    """What changed between the previous and the new recording of one notebook."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)  # request label -> unified diff of the response
    # label -> (status before, status now) of the requests answered with success before and an error now
    failing: dict[str, tuple[int, int]] = field(default_factory=dict)
    total: int = 0


def interactions(path: Path | None) -> dict[str, Interaction]:
    """Request label -> response, for a recording file (empty if there is none)."""
    if path is None or not path.exists():
        return {}
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result: dict[str, Interaction] = {}
    for item in data.get("interactions", []):
        req, resp = item["request"], item["response"]
        label = f"{req['method']} {req['uri'].split('/api/v1', 1)[-1]} {_request_summary(req.get('body'))}".strip()
        repeat, base = 2, label
        while label in result:  # requests differing only in other fields (max_tokens, stream…) stay apart
            label, repeat = f"{base} ({repeat})", repeat + 1
        result[label] = Interaction(resp["status"]["code"], resp.get("body", {}).get("string", ""))
    return result


def _request_summary(body: str | bytes | None) -> str:
    if not body:
        return ""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    return f"[{data.get('model', '')}] {replay.shorten(replay.last_user_prompt(data))}"


def diff_recordings(old: Path | None, new: Path | None) -> RecordingDiff:
    """Compare two recordings by request: added, removed, responses that differ, and successes now failing."""
    before, after = interactions(old), interactions(new)
    result = RecordingDiff(total=len(after))
    result.added = [k for k in after if k not in before]
    result.removed = [k for k in before if k not in after]
    for label in after.keys() & before.keys():
        if after[label] != before[label]:
            lines = difflib.unified_diff(_shown(before[label]), _shown(after[label]),
                                         text.RECORD["diff_before"], text.RECORD["diff_after"], lineterm="", n=1)
            result.changed[label] = "\n".join(list(lines)[:_DIFF_LINES])
        if before[label].succeeded and not after[label].succeeded:
            result.failing[label] = (before[label].status, after[label].status)
    return result


def _shown(interaction: Interaction) -> list[str]:
    return [str(interaction.status), *interaction.body.splitlines()]


def newly_failing_cells(before, after) -> list[int]:
    """Numbers (from 1) of the cells that show an error now and, with the same code, showed none before.

    `before` is the notebook as committed, `after` the refreshed one. A cell the instructor changed or added
    is not counted: it has no earlier result to lose.
    """
    old_sources = {cell_id(c, i): c.source for i, c in enumerate(before.cells) if c.get("outputs")}
    failing_before = error_cell_ids(before)
    failing_now = error_cell_ids(after)
    return [index + 1 for index, cell in enumerate(after.cells)
            if (key := cell_id(cell, index)) in failing_now and key not in failing_before
            and old_sources.get(key) == cell.source]


def summarise(name: str, diff: RecordingDiff) -> str:
    """A short Japanese summary plus the readable diffs."""
    if not (diff.added or diff.removed or diff.changed):
        return text.RECORD["unchanged"].format(name=name, count=diff.total)
    lines = [text.RECORD["changed"].format(name=name, added=len(diff.added), removed=len(diff.removed),
                                           changed=len(diff.changed))]
    lines += [f"  + {label}" for label in diff.added]
    lines += [f"  - {label}" for label in diff.removed]
    for label, body in diff.changed.items():
        lines += [f"  ~ {label}", *("    " + line for line in body.splitlines())]
    return "\n".join(lines)
