"""The whole course offline: every notebook executed in replay mode with nbclient, against its floor.

The floor is the same notebooks with every code cell replaced by `pass`: kernel start, cell round
trips and nbclient's own work, which no course code can avoid. Runs of the course and of the floor
alternate, so a change in machine load affects both.
"""
from __future__ import annotations

import copy
import statistics
import time
from dataclasses import dataclass
from datetime import datetime

import nbformat
from nbclient import NotebookClient

from common import NOTEBOOKS, Result, offline_replay_env

GOAL_RATIO = 1.3
CELL_TIMEOUT = 300


@dataclass
class CellTimes:
    """One code cell's execution times over the runs of the course."""

    notebook: str
    index: int
    first_line: str
    seconds: list[float]


def _floor(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    empty = copy.deepcopy(notebook)
    for cell in empty.cells:
        if cell.cell_type == "code":
            cell.source = "pass"
    return empty


def _execute(notebook: nbformat.NotebookNode) -> tuple[float, nbformat.NotebookNode]:
    """Wall time of executing a copy of `notebook` in a fresh kernel (cwd: notebooks/), and the copy."""
    run = copy.deepcopy(notebook)
    client = NotebookClient(run, timeout=CELL_TIMEOUT, kernel_name="python3", record_timing=True,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    started = time.perf_counter()
    client.execute()
    return time.perf_counter() - started, run


def _add_cell_times(cells: dict[tuple[str, int], CellTimes], name: str, notebook: nbformat.NotebookNode) -> None:
    """Add each executed code cell's time (from nbclient's timing metadata) to `cells`."""
    for index, cell in enumerate(notebook.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type != "code" or "shell.execute_reply" not in timing:
            continue
        seconds = (datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                   - datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))).total_seconds()
        first_line = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
        cells.setdefault((name, index), CellTimes(name, index, first_line[:60], [])).seconds.append(seconds)


def run(runs: int) -> tuple[list[Result], list[str]]:
    """The course/floor ratio (median total times) and notes: per-notebook times and the slowest cells."""
    notebooks = {path.name: nbformat.read(path, as_version=4) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}
    course_totals, floor_totals = [], []
    per_notebook: dict[str, list[tuple[float, float]]] = {name: [] for name in notebooks}
    cells: dict[tuple[str, int], CellTimes] = {}
    with offline_replay_env():
        for _ in range(runs):
            course_total = floor_total = 0.0
            for name, notebook in notebooks.items():
                seconds, executed = _execute(notebook)
                floor_seconds, _ = _execute(_floor(notebook))
                per_notebook[name].append((seconds, floor_seconds))
                _add_cell_times(cells, name, executed)
                course_total += seconds
                floor_total += floor_seconds
            course_totals.append(course_total)
            floor_totals.append(floor_total)
    course, floor = statistics.median(course_totals), statistics.median(floor_totals)
    ratio = course / floor
    notes = ["| notebook | course (s) | floor (s) |", "|---|---|---|"]
    for name, pairs in per_notebook.items():
        notes.append(f"| `{name}` | {statistics.median(c for c, _ in pairs):.2f} "
                     f"| {statistics.median(f for _, f in pairs):.2f} |")
    slowest = sorted(cells.values(), key=lambda c: statistics.median(c.seconds), reverse=True)[:8]
    notes += ["", "Slowest cells (median):"]
    notes += [f"- {statistics.median(c.seconds):.2f} s: `{c.notebook}` cell {c.index}: `{c.first_line}`"
              for c in slowest]
    detail = f"course {course:.1f} s vs floor {floor:.1f} s ({len(notebooks)} notebooks, median of {runs} runs)"
    return [Result("Whole course offline (replay) / floor", ratio, GOAL_RATIO, "×", detail)], notes
