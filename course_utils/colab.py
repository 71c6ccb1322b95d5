"""Opening the lessons in Google Colab: the one repository setting, and the badges and first cell built from it.

In Colab (or wherever a notebook is opened alone) `course_utils` is not installed, so every lesson's first cell
installs the course package from GitHub, recordings included, before `setup()`. The badges (README table, top of
each lesson) and that cell are generated from REPOSITORY and BRANCH; `python -m course_utils.colab` rewrites them
after a change (close the notebooks in JupyterLab first), and tests/kernel/test_colab.py fails while they differ.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from .text import COLAB

# Where the course is published on GitHub (a fork sets its own, then runs `python -m course_utils.colab`).
REPOSITORY = "openrouter-course/openrouter-course"
BRANCH = "main"
# A pip requirement that replaces the GitHub source (a test points it at a checkout, an instructor at a fork).
PACKAGE_VAR = "COURSE_PACKAGE"

BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_TEXT = COLAB["badge"]
# Any Colab link to a lesson of this course, whatever repository or branch it names.
_LINK = re.compile(r"\[!\[[^\]]*\]\(" + re.escape(BADGE_IMAGE) + r"\)\]\(https://colab\.research\.google\.com/"
                   r"github/[^/]+/[^/]+/blob/[^/]+/notebooks/([^)]+\.ipynb)\)")

FIRST_CELL = COLAB["first_cell_comment"] + """
try:
    import course_utils
except ImportError:
    import os, subprocess, sys
    package = os.environ.get("{var}", "{requirement}")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)
    import course_utils
course_utils.setup()"""


def package_requirement() -> str:
    """The pip requirement the first cell installs when COURSE_PACKAGE is not set."""
    return f"course-utils @ git+https://github.com/{REPOSITORY}@{BRANCH}"


def notebook_url(notebook: str) -> str:
    """The Colab address that opens `notebook` (a file name in notebooks/) from the repository."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook}"


def badge(notebook: str) -> str:
    """The Markdown "Open in Colab" badge for `notebook`."""
    return f"[![{BADGE_TEXT}]({BADGE_IMAGE})]({notebook_url(notebook)})"


def badges_in(markdown: str) -> list[str]:
    """Every Colab badge in `markdown`, as written (to compare with badge())."""
    return [match.group(0) for match in _LINK.finditer(markdown)]


def first_cell() -> str:
    """The source of every lesson's first code cell."""
    return FIRST_CELL.format(var=PACKAGE_VAR, requirement=package_requirement())


def with_badge(title_cell: str, notebook: str) -> str:
    """The lesson's title cell with its badge on the line after the title (replacing an older badge)."""
    title, _, rest = title_cell.partition("\n")
    rest = _LINK.sub("", rest).lstrip("\n")
    return f"{title}\n\n{badge(notebook)}\n\n{rest}".rstrip("\n")


def sync(root: Path) -> list[Path]:
    """Rewrite the badges and first cells under `root` (README.md, notebooks/) from the setting; the files changed."""
    import nbformat

    changed = []
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        title = nb.cells[0]
        code = next(cell for cell in nb.cells if cell.cell_type == "code")
        source = (with_badge(title.source, path.name), first_cell())
        if (title.source, code.source) != source:
            title.source, code.source = source  # outputs stay: the cell prints the same banner
            nbformat.write(nb, path)
            changed.append(path)
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    updated = _LINK.sub(lambda match: badge(match.group(1)), text)
    if updated != text:
        readme.write_text(updated, encoding="utf-8")
        changed.append(readme)
    return changed


if __name__ == "__main__":
    for changed_path in sync(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()):
        print(changed_path)
