"""After an error explained by kindly(), a lesson goes on: later cells run and no cell raises.

Runs notebooks/04_python_api.ipynb top to bottom in a fresh kernel (replay mode, no key: see
conftest.py), the way a learner would, and inspects the outputs it produces.
"""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils.config import NOTEBOOK_VAR
from course_utils.text import ERROR_HEADINGS as HEADINGS

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04_python_api.ipynb"


def _text(output: dict) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    return str(output.get("data", {}).get("text/plain", ""))


@pytest.fixture(scope="module")
def executed() -> list:
    os.environ[NOTEBOOK_VAR] = NOTEBOOK.stem  # the kernel knows its lesson, as in JupyterLab
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _explained(cell) -> bool:
    return "course_utils.kindly()" in cell.source and any(HEADINGS["title"] in _text(o) for o in cell.outputs)


def test_no_cell_raises(executed):
    errors = [(cell.id, o.get("ename"), o.get("evalue")) for cell in executed for o in cell.outputs
              if o.get("output_type") == "error"]
    assert errors == []


def test_the_three_common_errors_are_explained_not_raised(executed):
    explained = [cell for cell in executed if _explained(cell)]
    statuses = " ".join(_text(o) for cell in explained for o in cell.outputs)
    assert len(explained) >= 3
    for status in ("401", "400", "429"):
        assert status in statuses


def test_the_cell_after_each_explained_error_produces_its_output(executed):
    following = [executed[i + 1] for i, cell in enumerate(executed[:-1]) if _explained(cell)]
    assert following, "the lesson shows no explained error"
    for cell in following:
        shown = "".join(_text(o) for o in cell.outputs)
        assert shown.strip(), f"cell {cell.id} after an explained error printed nothing"
        assert HEADINGS["title"] not in shown, f"cell {cell.id} (the fixed cell) still fails"


def test_the_lesson_runs_to_its_last_code_cell(executed):
    assert executed[-1].outputs and "ヒント" in "".join(_text(o) for o in executed[-1].outputs)
