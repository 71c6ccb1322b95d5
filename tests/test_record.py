"""The record command end to end: live pass against a loopback server, scrubbing, diff summary,
refreshed outputs from a replay pass, and the refusal to record without a key."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course_utils import record
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, NO_DOTENV_VAR, RECORDINGS_DIR_VAR
from tests.conftest import FAKE_KEY

DATA = Path(__file__).resolve().parent.parent / "fake_openrouter" / "data"

CELLS = [
    "import course_utils; course_utils.setup()",
    "import os\nfrom openai import OpenAI\n"
    "client = OpenAI(api_key=os.getenv('OPENROUTER_API_KEY'), base_url=course_utils.BASE_URL)\n"
    "completion = client.chat.completions.create(model='liquid/lfm-2.5-2.6b:free',\n"
    "    messages=[{'role': 'user', 'content': 'Reply with exactly: pong'}])\n"
    "print(completion.choices[0].message.content)",
]


@pytest.fixture
def lesson(clean_env, monkeypatch, httpserver):
    folder = clean_env / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nbformat.write(nb, folder / "01_demo.ipynb")
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(clean_env / "recordings"))
    monkeypatch.setenv(BASE_URL_VAR, httpserver.url_for("/api/v1"))
    monkeypatch.setenv(NO_DOTENV_VAR, "1")
    monkeypatch.delenv(MODE_VAR, raising=False)
    return folder


def serve(httpserver, content: str) -> None:
    body = json.loads((DATA / "chat-completion.json").read_text())
    body["choices"][0]["message"]["content"] = content
    httpserver.clear()
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_json(body)


def test_record_command_records_scrubs_and_refreshes_outputs(lesson, monkeypatch, httpserver, capsys):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    serve(httpserver, "pong")
    assert record.main([str(lesson)]) == 0
    out = capsys.readouterr()
    assert "01_demo.ipynb: 追加 1 件" in out.out and "完了: 1 冊" in out.out
    assert "録音中" in out.err  # the progress bar
    recording = (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8")
    assert FAKE_KEY not in recording and "sk-or-" not in recording and "Bearer" not in recording
    assert "https://openrouter.ai/api/v1/chat/completions" in recording
    nb = nbformat.read(lesson / "01_demo.ipynb", 4)
    banner = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "【再生モード】" in banner and "APIキー: 未設定" in banner  # outputs come from the replay pass
    assert nb.cells[1].outputs[0]["text"] == "pong\n"
    assert FAKE_KEY not in (lesson / "01_demo.ipynb").read_text(encoding="utf-8")

    # A second recording with a different answer is summarised as a readable diff.
    serve(httpserver, "ping")
    assert record.main([str(lesson)]) == 0
    out = capsys.readouterr().out
    assert "応答の変化 1 件" in out and "-" in out and "ping" in out
    assert nbformat.read(lesson / "01_demo.ipynb", 4).cells[1].outputs[0]["text"] == "ping\n"


def test_outputs_do_not_show_the_instructors_dotenv(lesson, monkeypatch, httpserver, capsys):
    """The README's way to record: key and base URL in .env, not in the environment."""
    base_url = httpserver.url_for("/api/v1")
    (lesson.parent / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\n{BASE_URL_VAR}={base_url}\n", encoding="utf-8")
    monkeypatch.delenv(BASE_URL_VAR)
    monkeypatch.delenv(NO_DOTENV_VAR)
    monkeypatch.chdir(lesson.parent)
    serve(httpserver, "pong")
    assert record.main([str(lesson)]) == 0
    assert "完了: 1 冊" in capsys.readouterr().out
    nb = nbformat.read(lesson / "01_demo.ipynb", 4)
    banner = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "APIキー: 未設定" in banner and "接続先: https://openrouter.ai/api/v1" in banner, banner
    assert base_url not in json.dumps(nb)


def test_record_refuses_without_a_key(lesson, capsys):
    assert record.main([str(lesson)]) == 2
    assert "APIキーが必要" in capsys.readouterr().out
    assert not (lesson.parent / "recordings").exists()


def test_failed_notebook_is_reported_and_keeps_the_old_recording(lesson, monkeypatch, httpserver, capsys):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    serve(httpserver, "pong")
    assert record.main([str(lesson)]) == 0
    before = (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8")
    httpserver.clear()  # the server now answers 500 to everything: the notebook fails
    assert record.main([str(lesson)]) == 1
    assert "実行に失敗しました" in capsys.readouterr().out
    assert (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8") == before
    assert not list((lesson.parent / "recordings").glob("*in-progress*"))


def test_recording_is_saved_after_each_cell_even_when_setup_runs_again(lesson, monkeypatch, httpserver):
    """A kernel killed mid-lesson loses nothing: the call is on disk right after its cell, once per kernel."""
    from nbclient import NotebookClient

    serve(httpserver, "pong")
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "record")
    monkeypatch.setenv("COURSE_NOTEBOOK", "01_demo")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (CELLS[0], CELLS[0], CELLS[1], (
        "print(sum(getattr(c, '__name__', '') == '_save_recording'"
        " for c in get_ipython().events.callbacks['post_run_cell']))"))]
    partial = lesson.parent / "recordings" / "01_demo.recording-in-progress.yaml"
    client = NotebookClient(nb, timeout=120, kernel_name="python3")
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells[:3]):
            client.execute_cell(cell, index)
        saved = partial.read_text(encoding="utf-8")  # the kernel is still running
        client.execute_cell(nb.cells[3], 3)
    assert "Reply with exactly: pong" in saved and FAKE_KEY not in saved
    assert nb.cells[3].outputs[0]["text"].strip() == "1"
