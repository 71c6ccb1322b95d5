"""Lesson 05's streaming cells, run live against the example server, with both shapes of a stream's last
chunk: one content-free choice (OpenRouter's captures) and an empty `choices` list (OpenAI's shape, and
OpenRouter's documented one). The learner's copy of the code must work with either. A stream the server
breaks off (no chunk with a finish_reason: openai ends the loop quietly) must not pass for a whole answer."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

import course_utils
from course_utils import config
from fake_openrouter import FakeOpenRouter
from fake_openrouter.answers import ANSWERS_DIR

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "05_streaming_and_chat.ipynb"
CUT = "答えが途中で切れました"  # what the lesson's streaming cells print when no finish_reason came


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> Path:
    """The authored answers with their keep-alive pauses shortened (3 s to 0.1 s: still one comment line)."""
    folder = tmp_path_factory.mktemp("answers")
    for path in ANSWERS_DIR.glob("*.yaml"):
        text = re.sub(r"^(\s*slow_start:).*$", r"\1 0.1", path.read_text(encoding="utf-8"), flags=re.M)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(answers) -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter(answers_dir=answers) as fake:
        yield fake


def _streaming_cells() -> list[str]:
    """The client cell and every cell that streams, in lesson order."""
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    return [s for s in cells if "client = OpenAI(" in s or "stream=True" in s]


def _run(server: FakeOpenRouter, monkeypatch, fake_key: str, capsys) -> tuple[dict[str, str], dict]:
    """Each streaming cell's printed output (by source), and the namespace the cells ran in."""
    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    monkeypatch.setenv(config.BASE_URL_VAR, server.base_url)
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    course_utils.setup(quiet=True)
    cells = _streaming_cells()
    assert len(cells) >= 5
    namespace: dict = {"course_utils": course_utils}
    outputs = {}
    for source in cells:
        exec(compile(source, str(NOTEBOOK), "exec"), namespace)
        outputs[source] = capsys.readouterr().out
    return outputs, namespace


@pytest.mark.parametrize("last_chunk", ["one-choice", "usage-no-choices"])
def test_streaming_cells_run_with_either_last_chunk(server, clean_env, monkeypatch, fake_key, capsys, last_chunk):
    if last_chunk == "usage-no-choices":
        server.inject("usage-no-choices", times=20)
    outputs, namespace = _run(server, monkeypatch, fake_key, capsys)
    out = "".join(outputs.values())
    model = course_utils.MODELS.free
    question = namespace["question"]
    assert server.answers.find(model, question).text in out  # the first cell printed the whole answer
    assert "完了理由: stop" in out and "最初の文字まで" in out
    raw, timed = (next(o for src, o in outputs.items() if marker in src)
                  for marker in ("with_streaming_response", "perf_counter"))
    assert raw.startswith(": OPENROUTER PROCESSING")  # the keep-alive comment arrived ...
    assert "OPENROUTER" not in timed and server.answers.find(model, namespace["puzzle"]).text in timed  # ... unseen
    assert CUT not in out
    for turn, text in enumerate(namespace["chat"][2::2]):
        assert text["role"] == "assistant" and text["content"], turn  # every chat turn got its answer


def test_a_cut_stream_is_said_to_be_incomplete(answers, clean_env, monkeypatch, fake_key, capsys):
    with FakeOpenRouter(answers_dir=answers) as cutting:
        cutting.inject("stream-cut", times=20)
        outputs, namespace = _run(cutting, monkeypatch, fake_key, capsys)
        whole = cutting.answers.find(course_utils.MODELS.free, namespace["question"]).text
    answering = [s for s in outputs if "stream=True" in s and "with_streaming_response" not in s]
    assert len(answering) >= 4
    for source in answering:
        assert CUT in outputs[source], source  # each cell that shows an answer says it was cut
    assert whole[:20] in outputs[answering[0]] and whole not in outputs[answering[0]]
    assert namespace["chat"][-1]["role"] == "user"  # the cut answer was not added to the conversation
