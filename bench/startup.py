"""`import course_utils` + `setup()` (replay mode) in a fresh kernel, and in a bare interpreter.

Three measurements, each the median over fresh processes:
- kernel: on top of a bare ipykernel (what a learner's first cell costs);
- kernel, openai imported first: only what course_utils adds to a lesson, since every lesson imports
  `openai` (and with it httpx2) anyway; this is the figure the goal is about;
- interpreter: `python -c` without a kernel, for reference (no goal);
and, for reference, `import openai` alone in a bare kernel.
The code inside the kernel also reports the largest packages setup() imports. Each kernel runs lesson 04, as
JupyterLab names the notebook (its session name): replay loads that lesson's recording at once, the others'
when a request needs them. A kernel that names no notebook (a notebook run by hand with `jupyter console`, say)
loads every recording: the last reference row.
"""
from __future__ import annotations

import json
import subprocess
import sys

from common import Result, offline_replay_env
from jupyter_client.manager import start_new_kernel

GOAL_MS = 150.0
MEASURE = """
import json as _json, sys as _sys, time as _time
_before = set(_sys.modules)
_started = _time.perf_counter()
import course_utils
_imported = _time.perf_counter()
course_utils.setup(quiet=True)
_done = _time.perf_counter()
print(_json.dumps({"import_ms": (_imported - _started) * 1000, "setup_ms": (_done - _imported) * 1000,
                   "new": sorted({m.split(".")[0] for m in set(_sys.modules) - _before})}))
"""


OPENAI_ONLY = """
import json as _json, time as _time
_started = _time.perf_counter()
import openai
print(_json.dumps({"import_ms": (_time.perf_counter() - _started) * 1000, "setup_ms": 0.0, "new": []}))
"""


def _in_kernel(code: str) -> dict:
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        lines: list[str] = []
        client.execute_interactive(code, timeout=120,
                                   output_hook=lambda msg: lines.append(msg["content"].get("text", "")))
        return json.loads("".join(lines).strip().splitlines()[-1])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _in_interpreter() -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median_total(samples: list[dict]) -> tuple[float, float, float]:
    """(total, import, setup) of the sample with the median total, in ms."""
    ordered = sorted(samples, key=lambda s: s["import_ms"] + s["setup_ms"])
    middle = ordered[len(ordered) // 2]
    return middle["import_ms"] + middle["setup_ms"], middle["import_ms"], middle["setup_ms"]


def _public(packages: list[str]) -> str:
    return ", ".join(p for p in packages if not p.startswith("_"))


LESSON = "04_python_api.ipynb"


def run(runs: int) -> tuple[list[Result], list[str]]:
    with offline_replay_env(notebook=LESSON):
        bare = [_in_kernel(MEASURE) for _ in range(runs)]
        after_openai = [_in_kernel("import openai\n" + MEASURE) for _ in range(runs)]
        interpreter = [_in_interpreter() for _ in range(runs)]
        openai_only = [_in_kernel(OPENAI_ONLY) for _ in range(runs)]
    with offline_replay_env():
        unnamed = [_in_kernel("import openai\n" + MEASURE) for _ in range(runs)]
    results = []
    goal: float | None
    for name, samples, goal in (
            ("`import course_utils` + `setup()` on top of a bare kernel, openai already imported (goal)",
             after_openai, GOAL_MS),
            ("`import course_utils` + `setup()` on top of a bare kernel (includes httpx2)", bare, GOAL_MS),
            ("`import course_utils` + `setup()` in a bare interpreter (`python -c`, reference)",
             interpreter, None),
            ("`import openai` alone on top of a bare kernel (reference: every lesson pays it)", openai_only, None),
            ("… openai imported first, in a kernel that names no notebook: every recording loaded (reference)",
             unnamed, None)):
        total, imported, setup = _median_total(samples)
        split = f"import {imported:.0f} ms + setup {setup:.0f} ms, " if setup else ""
        results.append(Result(name, total, goal, "ms", f"{split}median of {runs} processes"))
    notes = [f"Packages `import course_utils` + `setup()` loads in a bare kernel: {_public(bare[0]['new'])}.",
             f"With openai already imported: {_public(after_openai[0]['new'])}."]
    return results, notes
