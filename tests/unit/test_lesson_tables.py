"""Every place that lists the lessons lists all of them: the README's table, lesson 00's course table, lesson 99's
table of links and the instructor guide's time table (a new lesson once went missing from two of them)."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _markdown(notebook: str) -> str:
    cells = nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


def _table_rows(text: str, pattern: str) -> list[str]:
    """The notebook names the table rows of `text` name, by `pattern` (one group: the file name)."""
    return [m.group(1) for line in text.splitlines() if line.startswith("| ")
            for m in [re.search(pattern, line)] if m]


@pytest.mark.parametrize(("where", "text", "pattern"), [
    ("README.md", lambda: (ROOT / "README.md").read_text(encoding="utf-8"), r"^\| \d\d \| `notebooks/([^`]+)`"),
    ("00_introduction.ipynb", lambda: _markdown("00_introduction.ipynb"), r"^\| \d\d \| `([^`]+\.ipynb)`"),
    ("99_next_steps.ipynb", lambda: _markdown("99_next_steps.ipynb"), r"^\| \d\d \| \[[^\]]+\]\(([^)]+\.ipynb)\)"),
    ("docs/instructor_guide.md", lambda: (ROOT / "docs" / "instructor_guide.md").read_text(encoding="utf-8"),
     r"^\| \d\d \| `([^`]+\.ipynb)`"),
], ids=["readme", "lesson-00", "lesson-99", "guide"])
def test_the_table_lists_every_lesson_in_order(where, text, pattern):
    listed = _table_rows(text(), pattern)
    expected = [name for name in LESSONS if not (where == "99_next_steps.ipynb" and name == where)]
    assert listed == expected, f"{where}: the lesson table lists {listed}"
