"""A plain cell (no kindly()) that hits an API or course error shows the Japanese explanation, not a
traceback wall; every other error looks exactly as it does without the course.

Runs small notebooks in fresh kernels with nbclient, as a learner's Jupyter would.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils.text import ERROR_HEADINGS as HEADINGS
from course_utils.text import UNCAUGHT_LINE
from tests.conftest import FAKE_KEY

ERRORS = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data" / "errors"
SETUP = "import course_utils; course_utils.setup(quiet=True)"
PLAIN_CALL = """import os
from openai import OpenAI
client = OpenAI(base_url=course_utils.BASE_URL, api_key=os.getenv("OPENROUTER_API_KEY"), max_retries=0)
client.chat.completions.create(model="google/gemma-4-31b-it:free",
                               messages=[{"role": "user", "content": "こんにちは"}])"""
OTHER_ERRORS = ["1/0", "def broken(:\n    pass", "import json\njson.loads('{')"]


def _run(*sources: str) -> list:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute()
    return nb.cells


def _text(cell) -> str:
    return "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def _errors(cell) -> list:
    return [o for o in cell.outputs if o.output_type == "error"]


def _explained_not_dumped(cell, ename: str, *phrases: str) -> None:
    assert HEADINGS["title"] in _text(cell) and all(p in _text(cell) for p in phrases)
    [error] = _errors(cell)  # the cell still fails, so "run all" stops where the learner must act
    assert error.ename == ename
    assert error.traceback == [UNCAUGHT_LINE.format(name=ename)]


def test_replay_unrecorded_plain_call_is_explained_and_the_next_cell_runs():
    cells = _run(SETUP, PLAIN_CALL, "%tb", "print('つづき')")
    _explained_not_dumped(cells[1], "NotRecordedError", "収録されていません")
    assert len(_errors(cells[2])[0].traceback) > 1, "%tb shows the full Python traceback on request"
    assert _text(cells[3]).strip() == "つづき"


@pytest.mark.parametrize("status, body, ename, phrase", [
    (401, "401-invalid-key.json", "AuthenticationError", "APIキー"),
    (429, "429-free-per-minute.json", "RateLimitError", "1分"),
])
def test_live_api_error_in_a_plain_cell_is_explained(httpserver, monkeypatch, status, body, ename, phrase):
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_data(
        (ERRORS / body).read_bytes(), status=status, content_type="application/json")
    monkeypatch.delenv("COURSE_MODE")
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENROUTER_BASE_URL", httpserver.url_for("/api/v1"))
    cells = _run(SETUP, "print(course_utils.MODE)", PLAIN_CALL)
    assert _text(cells[1]).strip() == "live"
    _explained_not_dumped(cells[2], ename, phrase)
    assert FAKE_KEY not in _text(cells[2]) and FAKE_KEY not in str(_errors(cells[2]))


def test_wifi_login_page_in_a_plain_cell_is_explained(httpserver, monkeypatch):
    """School Wi-Fi before login: every request gets a 200 HTML page, openai returns it as a str and the lesson's
    next line raises AttributeError. The box says what to do; a learner's own AttributeError stays as it is."""
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_data(
        "<!DOCTYPE html><html><head><title>Wi-Fi Login</title></head><body>同意する</body></html>",
        content_type="text/html")
    monkeypatch.delenv("COURSE_MODE")
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENROUTER_BASE_URL", httpserver.url_for("/api/v1"))
    read_answer = PLAIN_CALL.replace("client.chat", "completion = client.chat") + \
        "\nprint(completion.choices[0].message.content)"
    cells = _run(SETUP, read_answer, "'答え'.content")
    _explained_not_dumped(cells[1], "AttributeError", "Wi-Fi のログイン画面")
    assert HEADINGS["title"] not in _text(cells[2]) and len(_errors(cells[2])[0].traceback) > 1


def test_a_key_in_an_error_is_neither_shown_nor_saved(httpserver, monkeypatch):
    """A proxy that echoes the key into its error: the box, the saved evalue, %tb and the exception are clean."""
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_json(
        {"error": {"message": f"Invalid key {FAKE_KEY} for this proxy", "code": 401}}, status=401)
    monkeypatch.delenv("COURSE_MODE")
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENROUTER_BASE_URL", httpserver.url_for("/api/v1"))
    cells = _run(SETUP, PLAIN_CALL, "%tb", "import sys; print(repr(sys.last_value), sys.last_value.body)",
                 "raise ValueError('echoed: ' + os.environ['OPENROUTER_API_KEY'])", "%tb")
    _explained_not_dumped(cells[1], "AuthenticationError", "APIキー")
    assert len(_errors(cells[2])[0].traceback) > 1 and "[REDACTED]" in str(cells[2].outputs)
    assert "[REDACTED]" in _text(cells[3])
    assert _errors(cells[4])[0].evalue == "echoed: [REDACTED]"  # not a course error: shown as usual, but clean
    saved = nbformat.writes(nbformat.v4.new_notebook(cells=cells))
    assert FAKE_KEY not in saved and FAKE_KEY[len("sk-or-v1-"):][:16] not in saved


def test_other_errors_look_exactly_as_without_the_course():
    with_course = _run(SETUP, *OTHER_ERRORS)[1:]
    without = _run("pass", *OTHER_ERRORS)[1:]
    for course_cell, plain_cell in zip(with_course, without, strict=True):
        assert [(e.ename, e.traceback) for e in _errors(course_cell)] == \
               [(e.ename, e.traceback) for e in _errors(plain_cell)]
        assert _errors(course_cell) and HEADINGS["title"] not in _text(course_cell)


def test_a_handler_the_shell_had_before_keeps_its_exceptions():
    """Hosted notebooks may register their own handler; setup() must not swallow what it handled."""
    cells = _run("def mine(self, etype, value, tb, tb_offset=None):\n    print('mine:', value)\n"
                 "get_ipython().set_custom_exc((KeyError,), mine)",
                 SETUP, SETUP, "raise KeyError('k')", PLAIN_CALL)
    assert _text(cells[3]).strip() == "mine: 'k'"
    _explained_not_dumped(cells[4], "NotRecordedError", "収録されていません")
