"""The replay banner says what the recordings are: the example server's examples, or OpenRouter's real
responses of the day an instructor re-recorded them, or a mix; the record command labels each recording."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest

import course_utils
from course_utils import record, recording_source, replay
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, NO_DOTENV_VAR, RECORDINGS_DIR_VAR
from fake_openrouter import FakeOpenRouter
from tests.conftest import FAKE_KEY

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
CALL = ("import os\nfrom openai import OpenAI\nimport course_utils; course_utils.setup()\n"
        "OpenAI(api_key=os.getenv('OPENROUTER_API_KEY'), base_url=course_utils.BASE_URL).chat.completions.create("
        "model='liquid/lfm-2.5-2.6b:free', messages=[{'role': 'user', 'content': 'Reply with exactly: pong'}])")


def _write(folder: Path, name: str, first_line: str) -> None:
    (folder / f"{name}.yaml").write_text(first_line + "interactions: []\nversion: 1\n", encoding="utf-8")


@pytest.mark.parametrize("lines, expected", [
    ({"04_a": "", "05_b": ""}, "収録データは見本です。モデル一覧と料金は OpenRouter の実際の公開データ"
                                "（2026-08-19 時点）、AIの応答文は API の形式に沿って作った例（2026-08-20 付）"),
    ({"04_a": recording_source.header_line("example", "2026-08-20")}, "作った例（2026-08-20 付）"),
    ({"04_a": recording_source.header_line("live", "2026-11-24"),
      "05_b": recording_source.header_line("live", "2026-11-25")},
     "収録データは、2026-11-24・2026-11-25 に OpenRouter から実際に収録した応答です"),
    ({"04_a": recording_source.header_line("live", "2026-11-25"), "05_b": ""},
     "OpenRouter から実際に収録した応答（04_a）と、API の形式に沿って作った見本（05_b）が混ざっています"),
])
def test_banner_says_what_the_recordings_are(clean_env, monkeypatch, capsys, lines, expected):
    for name, line in lines.items():
        _write(clean_env, name, line)
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(clean_env))
    course_utils.setup()
    banner = capsys.readouterr().out
    assert "【再生モード】" in banner and expected in banner


@pytest.fixture
def lesson(clean_env, monkeypatch):
    folder = clean_env / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CALL)]
    nbformat.write(nb, folder / "01_demo.ipynb")
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(clean_env / "recordings"))
    monkeypatch.setenv(NO_DOTENV_VAR, "1")
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.delenv(MODE_VAR, raising=False)
    return folder


def test_recording_from_the_example_server_is_labelled_example(lesson, monkeypatch):
    with FakeOpenRouter() as server:
        monkeypatch.setenv(BASE_URL_VAR, server.base_url)
        assert record.main([str(lesson)]) == 0
    first = (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# course-recording: source=example day=2026-08-20"  # the example server's own clock


def test_recording_from_elsewhere_is_labelled_live_with_its_day(lesson, monkeypatch, httpserver):
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_json(
        json.loads((DATA / "chat-completion.json").read_text()))
    monkeypatch.setenv(BASE_URL_VAR, httpserver.url_for("/api/v1"))
    assert record.main([str(lesson)]) == 0
    first = (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8").splitlines()[0]
    # The loopback server's Date is now (werkzeug sets it): today, in UTC.
    assert first == f"# course-recording: source=live day={datetime.now(UTC).date().isoformat()}"


def test_the_day_is_the_one_openrouters_date_header_gives():
    replay.origin.update(example=False, day="")
    replay.note_origin({"Date": ["Tue, 24 Nov 2026 23:59:59 GMT"], "Content-Type": ["application/json"]})
    assert replay.origin == {"example": False, "day": "2026-11-24"}
