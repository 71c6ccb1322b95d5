"""The whole course offline: every notebook executed in replay mode with nbclient, against its floor.

The floor (issue 19) is the same notebooks with every code cell replaced by `pass`, except that a
notebook whose lesson loads `openai` still imports it: kernel start, cell round trips, nbclient's own
work and the library the lessons teach, which no course code can avoid. The course runs headless, like
nbval and the record command (no pause between replayed chunks); reference rows add the all-`pass`
floor and the run a learner watching sees (paced). Runs of the course and of the floors alternate, so
a change in machine load affects all.

Now and then a kernel does not exit within half of jupyter_client's 5 s `shutdown_wait_time` after its
shutdown request, and is then sent SIGTERM: a stall of about 2.5 s, seen with `pass` cells as often as
with the course (1 to 6 of about 150 executions in a run here). Such an execution is run again, on both sides alike,
and the count is reported.
"""
from __future__ import annotations

import copy
import statistics
import time
from dataclasses import dataclass
from datetime import datetime

import nbformat
from common import NOTEBOOKS, Result, offline_replay_env
from jupyter_client.manager import AsyncKernelManager, _ShutdownStatus
from nbclient import NotebookClient

from course_utils.config import DEFAULT_REPLAY_PACE

# Appended to the course run: did the lesson load openai? (Then its floor imports it too.)
PROBE = "import sys; print('openai' in sys.modules)"

GOAL_RATIO = 1.2
CELL_TIMEOUT = 300
MAX_TRIES = 4  # executions of one notebook when its kernel's shutdown keeps stalling


class _WatchedKernelManager(AsyncKernelManager):
    """Counts the kernels that had to be sent SIGTERM because they had not exited after the shutdown request."""

    stalls = 0

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        await super().shutdown_kernel(now=now, restart=restart)
        if self._shutdown_status in (_ShutdownStatus.SigtermRequest, _ShutdownStatus.SigkillRequest):
            _WatchedKernelManager.stalls += 1


@dataclass
class CellTimes:
    """One code cell's execution times over the runs of the course."""

    notebook: str
    index: int
    first_line: str
    seconds: list[float]


def _floor(notebook: nbformat.NotebookNode, first: str = "pass") -> nbformat.NotebookNode:
    """The notebook with every code cell `pass`, except the first, which runs `first`."""
    empty = copy.deepcopy(notebook)
    for cell in empty.cells:
        if cell.cell_type == "code":
            cell.source, first = first, "pass"
    return empty


def _with_probe(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    probed = copy.deepcopy(notebook)
    probed.cells.append(nbformat.v4.new_code_cell(PROBE))
    return probed


def _loads_openai(executed: nbformat.NotebookNode) -> bool:
    return "True" in "".join(o.get("text", "") for o in executed.cells[-1].get("outputs", []))


def _execute(notebook: nbformat.NotebookNode) -> tuple[float, nbformat.NotebookNode]:
    """Wall time of executing a copy of `notebook` in a fresh kernel (cwd: notebooks/), and the copy; run
    again when the kernel's shutdown stalled (see above)."""
    for _ in range(MAX_TRIES):
        run = copy.deepcopy(notebook)
        client = NotebookClient(run, timeout=CELL_TIMEOUT, kernel_name="python3", record_timing=True,
                                kernel_manager_class=_WatchedKernelManager,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        stalls = _WatchedKernelManager.stalls
        started = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - started
        if _WatchedKernelManager.stalls == stalls:
            break
    return seconds, run


def _add_cell_times(cells: dict[tuple[str, int], CellTimes], name: str, notebook: nbformat.NotebookNode) -> None:
    """Add each executed code cell's time (from nbclient's timing metadata) to `cells`."""
    for index, cell in enumerate(notebook.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if cell.cell_type != "code" or "shell.execute_reply" not in timing or cell.source == PROBE:
            continue
        seconds = (datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                   - datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))).total_seconds()
        first_line = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
        cells.setdefault((name, index), CellTimes(name, index, first_line[:60], [])).seconds.append(seconds)


def run(runs: int) -> tuple[list[Result], list[str]]:
    """The course/floor ratios (sums of per-notebook medians) and notes: per-notebook times, slowest cells."""
    notebooks = {path.name: nbformat.read(path, as_version=4) for path in sorted(NOTEBOOKS.glob("*.ipynb"))}
    kinds = ("course", "paced", "floor", "imports floor")
    per_notebook: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in kinds} for name in notebooks}
    cells: dict[tuple[str, int], CellTimes] = {}
    for _ in range(runs):
        for name, notebook in notebooks.items():
            with offline_replay_env(notebook=name):
                seconds, executed = _execute(_with_probe(notebook))
                floor_seconds, _ = _execute(_floor(notebook))
                imports_first = "import openai" if _loads_openai(executed) else "pass"
                imports_seconds, _ = _execute(_floor(notebook, imports_first))
            with offline_replay_env(paced=True, notebook=name):
                paced_seconds, _ = _execute(notebook)
            _add_cell_times(cells, name, executed)
            for kind, value in zip(kinds, (seconds, paced_seconds, floor_seconds, imports_seconds), strict=True):
                per_notebook[name][kind].append(value)
    # Sum of per-notebook medians: a kernel start now and then takes seconds longer (seen in the floor as
    # often as in the course), and one such start in every run would move a median of whole-run totals.
    total = {kind: sum(statistics.median(times[kind]) for times in per_notebook.values()) for kind in kinds}
    notes = ["| notebook | course (s) | paced (s) | `pass` floor (s) | floor with `import openai` (s) |",
             "|---|---|---|---|---|"]
    for name, times in per_notebook.items():
        notes.append(f"| `{name}` | " + " | ".join(f"{statistics.median(times[k]):.2f}" for k in kinds) + " |")
    slowest = sorted(cells.values(), key=lambda c: statistics.median(c.seconds), reverse=True)[:8]
    notes += ["", "Slowest cells of the headless course (median):"]
    notes += [f"- {statistics.median(c.seconds):.2f} s: `{c.notebook}` cell {c.index}: `{c.first_line}`"
              for c in slowest]
    executions = runs * len(notebooks) * len(kinds) + _WatchedKernelManager.stalls
    notes += ["", f"Executions run again after a kernel shutdown stall: {_WatchedKernelManager.stalls} of "
              f"{executions}."]
    count = f"{len(notebooks)} notebooks, sum of per-notebook medians of {runs} runs"
    return [
        Result("Whole course offline (replay, headless) / floor (every cell `pass`, the lesson's `import openai` "
               "kept)", total["course"] / total["imports floor"], GOAL_RATIO, "×",
               f"course {total['course']:.1f} s vs floor {total['imports floor']:.1f} s ({count})"),
        Result("… / a floor of only `pass` cells (reference)", total["course"] / total["floor"], None, "×",
               f"course {total['course']:.1f} s vs {total['floor']:.1f} s"),
        Result("… as a learner watching sees it (paced replay) / floor (reference)",
               total["paced"] / total["imports floor"], None, "×",
               f"course {total['paced']:.1f} s vs floor {total['imports floor']:.1f} s; pause "
               f"{DEFAULT_REPLAY_PACE} s per replayed chunk in the prompt sender"),
    ], notes
