"""The benchmark still runs: every section with tiny counts (no timing is asserted; speed lives in bench/)."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))  # bench/ modules import each other as top-level modules

import calls  # noqa: E402
import catalogue  # noqa: E402
import startup  # noqa: E402
import whole_course  # noqa: E402
from common import Result  # noqa: E402
from run import _row  # noqa: E402


def _check(results: list) -> None:
    assert results
    for result in results:
        assert result.measured >= 0 and result.name and result.unit
        assert result.met in (True, False, None) and (result.met is None) == (result.goal is None)
        assert _row(result).count("|") == 7


@pytest.mark.parametrize("measured, goal, met, ratio, shown", [
    (1.5, 2.0, True, 0.75, "| x | 1.50 ms | ≤ 2.00 ms | 0.75 | yes |"),
    (2.0, 2.0, True, 1.0, "| x | 2.00 ms | ≤ 2.00 ms | 1.00 | yes |"),  # exactly on the goal meets it
    (2.5, 2.0, False, 1.25, "| x | 2.50 ms | ≤ 2.00 ms | 1.25 | **NO** |"),
    (0.0, 0.0, True, None, "| x | 0.00 ms | ≤ 0.00 ms | — | yes |"),  # "none allowed", and none seen
    (1.0, 0.0, False, None, "| x | 1.00 ms | ≤ 0.00 ms | — | **NO** |"),
    (3.0, None, None, None, "| x | 3.00 ms | — | — | — |"),  # reference row: no goal
])
def test_a_result_meets_its_goal_when_at_or_under_it(measured, goal, met, ratio, shown):
    result = Result("x", measured, goal, "ms", "detail")
    assert result.met is met and result.ratio == ratio
    assert _row(result) == shown + " detail |"


@pytest.mark.parametrize("section, count", [(catalogue.run, 2), (calls.run_replay, 2), (calls.run_live, 4),
                                            (startup.run, 1)], ids=["catalogue", "replay", "live", "startup"])
def test_each_section_measures_and_states_its_goal(section, count):
    results, notes = section(count)
    _check(results)
    assert all(isinstance(note, str) for note in notes)


def test_streaming_section_counts_every_chunk_as_redrawn():
    results, _ = calls.run_live(4)
    buffered = next(r for r in results if "buffered" in r.name)
    assert buffered.measured == 0 and buffered.met


def test_whole_course_floors_follow_what_each_notebook_imports(tmp_path, monkeypatch):
    """The imports floor runs `import openai` only for a notebook whose lesson loaded it."""
    for name, source in (("01_uses_openai.ipynb", "import course_utils; course_utils.setup()\nimport openai"),
                         ("02_plain.ipynb", "print('こんにちは')")):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell(source)]
        nbformat.write(nb, tmp_path / name)
    monkeypatch.setattr(whole_course, "NOTEBOOKS", tmp_path)
    executed: list[str] = []
    real_execute = whole_course._execute

    def recording_execute(notebook):
        executed.append(next(c.source for c in notebook.cells if c.cell_type == "code"))
        return real_execute(notebook)

    monkeypatch.setattr(whole_course, "_execute", recording_execute)
    results, notes = whole_course.run(1)
    _check(results)
    assert len(results) == 3 and results[0].goal == whole_course.GOAL_RATIO
    assert executed.count("import openai") == 1  # the first notebook's imports floor only
    assert executed.count("pass") == 3  # two `pass` floors and the plain notebook's imports floor
    assert any("`01_uses_openai.ipynb`" in line for line in notes)


def test_an_execution_whose_kernel_shutdown_stalls_is_run_again_and_counted(tmp_path):
    """A kernel that has not exited 2.5 s after its shutdown request (jupyter_client then sends SIGTERM) is noise
    of the machine, not of the course: that execution is run again."""
    marker = tmp_path / "stalled-once"
    stall_once = (f"import pathlib, threading, time\nmarker = pathlib.Path({str(marker)!r})\n"
                  "if not marker.exists():\n    marker.touch()\n"
                  "    threading.Thread(target=time.sleep, args=(4,)).start()  # not a daemon: exit waits for it\n"
                  "print('ran')")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(stall_once)]
    before = whole_course._WatchedKernelManager.stalls
    seconds, executed = whole_course._execute(nb)
    assert whole_course._WatchedKernelManager.stalls == before + 1
    assert executed.cells[0].outputs[0]["text"] == "ran\n" and seconds < 2.5  # the second, clean execution's
