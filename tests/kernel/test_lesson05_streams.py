"""Lesson 05's streaming cells, run live against the example server, with both shapes of a stream's last
chunk: one content-free choice (OpenRouter's captures) and an empty `choices` list (OpenAI's shape, and
OpenRouter's documented one). The learner's copy of the code must work with either."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

import course_utils
from course_utils import config
from fake_openrouter import FakeOpenRouter

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "05_streaming_and_chat.ipynb"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter() as fake:
        yield fake


def _streaming_cells() -> list[str]:
    """The client cell and every cell that streams, in lesson order."""
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code"]
    return [s for s in cells if "client = OpenAI(" in s or "stream=True" in s]


@pytest.mark.parametrize("last_chunk", ["one-choice", "usage-no-choices"])
def test_streaming_cells_run_with_either_last_chunk(server, clean_env, monkeypatch, fake_key, capsys, last_chunk):
    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    monkeypatch.setenv(config.BASE_URL_VAR, server.base_url)
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    course_utils.setup(quiet=True)
    cells = _streaming_cells()
    assert len(cells) >= 5
    if last_chunk == "usage-no-choices":
        server.inject("usage-no-choices", times=20)
    namespace: dict = {"course_utils": course_utils}
    for source in cells:
        exec(compile(source, str(NOTEBOOK), "exec"), namespace)
    out = capsys.readouterr().out
    model = course_utils.MODELS.free
    question = namespace["question"]
    assert server.answers.find(model, question).text in out  # the first cell printed the whole answer
    assert "完了理由: stop" in out and "最初の文字まで" in out
    for turn, text in enumerate(namespace["chat"][2::2]):
        assert text["role"] == "assistant" and text["content"], turn  # every chat turn got its answer
