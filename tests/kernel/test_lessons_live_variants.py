"""Lessons 04-10 run live (a key and OPENROUTER_BASE_URL set, as a learner with an account runs them), top to
bottom in fresh kernels, against two servers unlike the recordings' (fake_openrouter/variants.py):

- `minimal`: only the fields OpenRouter's OpenAPI description requires (no `usage.cost`, sparse models, ...);
- `no-credits`: a student's own account that never bought credits: every paid model answers 402.

What the learner must see: "Run All" reaches the end (no cell ends with an error, which is what stops Run All and
nbclient with allow_errors=False; the run here goes on past one to name every such cell), no raw Python
traceback anywhere, and under no-credits the course's 402 explanation in each cell that asked a paid model.

Each lesson gets its own server (so that each request is the cell's that sent it) and kernel; the runs share
threads. openai's retry waits are zero in these kernels (an IPython startup file), so a retried error costs
no time.
"""
from __future__ import annotations

import html
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils import config
from course_utils.text import ERROR_HEADINGS, ERRORS
from fake_openrouter import FakeOpenRouter
from fake_openrouter.variants import VARIANTS

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ("04_python_api", "05_streaming_and_chat", "06_compare_models", "07_cost_limits_reliability",
           "08_structured_output_and_tools", "09_images", "10_mini_project")
KEY = "sk-or-v1-" + "5eed" * 16  # built at run time: no key-shaped literal in the repository
# The course's explanation of OpenRouter's 402 for an account without credits, as the learner reads it.
NO_CREDITS_BOX = ERRORS["credits_never_purchased"]["what"]
# A raw Python traceback as IPython prints it (header, `Cell In[n], line n`) or a bare built-in exception line.
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s*Cell In\[\d+\], line \d+"
                       r"|^(Type|Attribute|Key|Name|Value|Index|Syntax|Import|ModuleNotFound|JSONDecode)Error\b", re.M)
ANSI = re.compile(r"\x1b\[[0-9;]*m")
NO_RETRY_WAIT = "import openai._base_client as _b\n_b.BaseClient._calculate_retry_timeout = lambda *a, **k: 0\n"
TIMEOUT = 60  # seconds per cell


@dataclass
class Cell:
    index: int  # in the notebook, markdown cells included (what `nbformat` and a JupyterLab user count)
    source: str
    text: str  # everything the cell shows: streams, plain text, HTML without its tags, its widgets' values
    paid_models: list[str]  # paid models the cell's own chat requests asked for


@dataclass
class Run:
    lesson: str
    variant: str
    cells: list[Cell] = field(default_factory=list)
    stopped: list[tuple[int, str, str]] = field(default_factory=list)  # (cell index, ename, evalue)
    crash: str | None = None  # nbclient itself failed (a timeout, a dead kernel)

    def where(self, index: int) -> str:
        return f"{self.lesson}.ipynb, cell {index} ({self.variant} server)"


def _html_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _output_text(output: dict) -> str:
    """What JupyterLab shows for one output (colours removed)."""
    if output.get("output_type") == "stream":
        shown = output.get("text", "")
    elif output.get("output_type") == "error":
        shown = "\n".join(output.get("traceback", []))
    else:
        data = output.get("data", {})
        shown = "\n".join((str(data.get("text/plain", "")), _html_text(str(data.get("text/html", "")))))
    return ANSI.sub("", shown)


def _widget_text(outputs: list, states: dict) -> str:
    """The string values (labels, HTML, text boxes) of the widgets the outputs show, children included."""
    seen, todo, texts = set(), [], []
    for output in outputs:
        view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
        if view:
            todo.append(view["model_id"])
    while todo:
        model_id = todo.pop()
        if model_id in seen or model_id not in states:
            continue
        seen.add(model_id)
        state = states[model_id].get("state", {})
        for value in state.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item.startswith("IPY_MODEL_"):
                    todo.append(item.removeprefix("IPY_MODEL_"))
        for key in ("value", "description", "placeholder"):
            if isinstance(state.get(key), str):
                texts.append(_html_text(state[key]))
        for output in state.get("outputs", []):  # an Output widget's captured outputs
            texts.append(_output_text(output))
    return "\n".join(texts)


def _paid_models(server: FakeOpenRouter, requests: list) -> list[str]:
    models = []
    for request in requests:
        body = request.json or {}
        model_id = body.get("model") or next(iter(body.get("models") or []), None)
        entry = server.catalogue.get(model_id) if request.path.endswith("/chat/completions") else None
        if entry and any(float(price or 0) > 0 for price in entry["pricing"].values()):
            models.append(model_id)
    return models


def _run(lesson: str, variant: str, ipython_dir: Path) -> Run:
    run = Run(lesson, variant)
    path = ROOT / "notebooks" / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    with VARIANTS[variant]() as server:
        env = {**os.environ, config.KEY_VAR: KEY, config.BASE_URL_VAR: server.base_url, config.MODE_VAR: "live",
               config.NOTEBOOK_VAR: lesson, config.NO_DOTENV_VAR: "1", config.REPLAY_PACE_VAR: "0",
               "IPYTHONDIR": str(ipython_dir)}
        sent_before: dict[int, int] = {}
        requests: dict[int, list] = {}

        def before(cell, cell_index):
            sent_before[cell_index] = len(server.requests)

        def after(cell, cell_index, execute_reply):
            requests[cell_index] = server.requests[sent_before[cell_index]:]

        def failed(cell, cell_index, execute_reply):
            content = execute_reply["content"]
            run.stopped.append((cell_index, content.get("ename", ""), content.get("evalue", "")))

        client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", allow_errors=True,
                                on_cell_execute=before, on_cell_executed=after, on_cell_error=failed,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(env=env)
        except Exception as exc:  # noqa: BLE001  (reported as the run's failure, with the cell it reached)
            run.crash = f"{type(exc).__name__}: {str(exc)[:500]}"
        states = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            text = "\n".join(_output_text(o) for o in cell.outputs) + "\n" + _widget_text(cell.outputs, states)
            run.cells.append(Cell(index, cell.source, text, _paid_models(server, requests.get(index, []))))
    return run


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str], Run]:
    ipython_dir = tmp_path_factory.mktemp("ipython")
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-no-retry-wait.py").write_text(NO_RETRY_WAIT, encoding="utf-8")
    jobs = [(lesson, variant) for variant in ("minimal", "no-credits") for lesson in LESSONS]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        done = pool.map(lambda job: _run(*job, ipython_dir), jobs)
        return {(run.lesson, run.variant): run for run in done}


CASES = [pytest.param(lesson, variant, id=f"{lesson}-{variant}")
         for variant in ("minimal", "no-credits") for lesson in LESSONS]


@pytest.mark.parametrize(("lesson", "variant"), CASES)
def test_run_all_reaches_the_end_without_a_traceback(runs, lesson, variant):
    run = runs[lesson, variant]
    problems = [f"{run.where(i)}: ends with {name}: {value[:200]} (Run All stops here)"
                for i, name, value in run.stopped]
    problems += [f"{run.where(c.index)}: shows a Python traceback:\n{c.text[:600]}"
                 for c in run.cells if TRACEBACK.search(c.text)]
    if run.crash:
        problems.append(f"{lesson}.ipynb ({variant} server): the run did not finish: {run.crash}")
    assert not problems, "\n".join(problems)
    assert run.cells and run.cells[-1].text.strip(), f"{run.where(run.cells[-1].index)}: the last cell shows nothing"


@pytest.mark.parametrize("lesson", LESSONS)
def test_without_credits_each_paid_cell_explains_the_402(runs, lesson):
    run = runs[lesson, "no-credits"]
    paid = [c for c in run.cells if c.paid_models]
    missing = [f"{run.where(c.index)}: asked {', '.join(sorted(set(c.paid_models)))} but shows no 402 explanation "
               f"(「{NO_CREDITS_BOX}」); it shows:\n{c.text.strip()[:400] or '(nothing)'}"
               for c in paid if NO_CREDITS_BOX not in c.text]
    assert not missing, "\n".join(missing)
    free_only = [c for c in run.cells if not c.paid_models and NO_CREDITS_BOX in c.text]
    assert not free_only, "\n".join(f"{run.where(c.index)}: a 402 explanation without a paid request"
                                    for c in free_only)


def test_without_credits_the_free_models_still_answer(runs):
    """The lessons' free-model cells answer as usual: the student without credits still learns from them."""
    run = runs["04_python_api", "no-credits"]
    question_cell = next(c for c in run.cells if c.source.startswith("messages = [") and "日本で一番高い山" in c.source)
    assert "完了理由: stop" in question_cell.text, run.where(question_cell.index)
    assert ERROR_HEADINGS["what"] not in question_cell.text


def test_the_runs_asked_paid_models(runs):
    """The 402 test checks something: lessons 04, 06, 07 and 09 ask paid models."""
    asked = {lesson for (lesson, variant), run in runs.items()
             if variant == "no-credits" and any(c.paid_models for c in run.cells)}
    assert asked >= {"04_python_api", "06_compare_models", "07_cost_limits_reliability", "09_images"}, asked

