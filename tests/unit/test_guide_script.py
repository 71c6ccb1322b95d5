"""The instructor guide's teaching scripts name notebook sections by their heading text: every named heading exists.

A reference is written 〔04〕『見出し』 (lesson number, then the heading's text without the leading #). The scripts
also tell the instructor to skip every section whose heading ends in （発展）, so that mark must be used one way.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "instructor_guide.md"
NOTEBOOKS = ROOT / "notebooks"
REFERENCE = re.compile(r"〔(\d\d)〕『([^』]+)』")
OPTIONAL = "（発展）"


def notebook_for(lesson: str) -> Path:
    matches = sorted(NOTEBOOKS.glob(f"{lesson}_*.ipynb"))
    assert len(matches) == 1, f"lesson {lesson}: expected one notebook, found {matches}"
    return matches[0]


def headings(path: Path) -> list[str]:
    """Markdown headings of a notebook's markdown cells (lines inside code fences are not headings)."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            elif not fenced and re.match(r"#{1,6} ", line):
                found.append(line.lstrip("#").strip())
    return found


def script_references() -> list[tuple[str, str]]:
    return REFERENCE.findall(GUIDE.read_text(encoding="utf-8"))


def test_the_scripts_name_sections_of_most_lessons():
    lessons = {lesson for lesson, _ in script_references()}
    assert {"00", "01", "02", "03", "04", "05", "06", "07", "99"} <= lessons


@pytest.mark.parametrize("lesson,heading", sorted(set(script_references())))
def test_every_heading_the_guide_names_exists(lesson, heading):
    path = notebook_for(lesson)
    assert heading in headings(path), f"{path.name} has no heading 「{heading}」 (named in {GUIDE.name})"


def test_the_ninety_minute_script_does_not_ask_for_an_optional_section():
    text = GUIDE.read_text(encoding="utf-8")
    script = text[text.index("### 90分1コマの台本"):text.index("### 授業中にネットワークが止まったとき")]
    named = [heading for _, heading in REFERENCE.findall(script)]
    assert named and not [h for h in named if h.endswith(OPTIONAL)]


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_optional_sections_are_marked_one_way(path):
    for heading in headings(path):
        if "発展" in heading or "🐕" in heading:
            assert heading.endswith(OPTIONAL), f"{path.name}: 「{heading}」 should end with {OPTIONAL}"
