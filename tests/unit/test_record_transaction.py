"""The record command re-records a notebook all or nothing, against FakeOpenRouter with faults injected.

Every case starts from the same committed state (a notebook and its recording, recorded once for the module)
and checks what the instructor is told, the exit code, and that both files are byte for byte as they were
whenever the notebook was not re-recorded.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import nbformat
import pytest

from course_utils import MODELS, record
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, NO_DOTENV_VAR, RECORDINGS_DIR_VAR
from course_utils.record import transaction
from fake_openrouter import FakeOpenRouter
from tests.conftest import FAKE_KEY

PROMPTS = ("Reply with exactly: pong", "Reply with exactly: ping")
ASK = ("with course_utils.kindly():\n"
       "    reply = client.chat.completions.create(model=course_utils.MODELS.free,\n"
       "                                           messages=[{{'role': 'user', 'content': {prompt!r}}}])\n"
       "    print(reply.choices[0].message.content)")
CELLS = ["import course_utils; course_utils.setup()",
         "import os\nfrom openai import OpenAI\n"
         "client = OpenAI(api_key=os.getenv('OPENROUTER_API_KEY'), base_url=course_utils.BASE_URL, max_retries=0)",
         *(ASK.format(prompt=p) for p in PROMPTS)]
NAME = "01_demo"


def fake_server(answers: dict[str, str] | None = None) -> FakeOpenRouter:
    """The example server answering each prompt with its last word (or with `answers[word]`)."""
    server = FakeOpenRouter()
    for prompt in PROMPTS:
        word = prompt.rsplit(" ", 1)[-1]
        server.answers.add(MODELS.free, prompt, (answers or {}).get(word, word))
    return server


def use(folder: Path, server: FakeOpenRouter, monkeypatch) -> None:
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(folder / "recordings"))
    monkeypatch.setenv(BASE_URL_VAR, server.base_url)
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(NO_DOTENV_VAR, "1")
    monkeypatch.delenv(MODE_VAR, raising=False)


@pytest.fixture(scope="module")
def committed(tmp_path_factory) -> Path:
    """A course folder as committed: the notebook recorded once, outputs refreshed."""
    folder = tmp_path_factory.mktemp("committed")
    (folder / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbformat.write(nb, folder / "notebooks" / f"{NAME}.ipynb")
    with pytest.MonkeyPatch.context() as monkeypatch, fake_server() as server:
        use(folder, server, monkeypatch)
        assert record.main([str(folder / "notebooks")]) == 0
    outputs = [c.outputs for c in nbformat.read(folder / "notebooks" / f"{NAME}.ipynb", 4).cells]
    assert outputs[2][0]["text"] == "pong\n" and outputs[3][0]["text"] == "ping\n"
    return folder


@pytest.fixture
def answers() -> dict[str, str]:
    """Answers that differ from the committed recording's (none by default)."""
    return {}


@pytest.fixture
def course(committed, clean_env, monkeypatch, answers):
    """A copy of the committed course, a fresh server pointed at, and the files' bytes to compare with."""
    shutil.copytree(committed, clean_env / "course")
    folder = clean_env / "course"
    with fake_server(answers) as server:
        use(folder, server, monkeypatch)
        yield Course(folder, server)


class Course:
    def __init__(self, folder: Path, server: FakeOpenRouter) -> None:
        self.server = server
        self.notebook = folder / "notebooks" / f"{NAME}.ipynb"
        self.recording = folder / "recordings" / f"{NAME}.yaml"
        self.before = self.files()

    def files(self) -> dict[str, bytes]:
        folders = (self.notebook.parent, self.recording.parent)
        return {path.name: path.read_bytes() for folder in folders for path in folder.iterdir()}

    def record(self, capsys, **options) -> tuple[int, str]:
        code = record.main([str(self.notebook.parent)], **options)
        out = capsys.readouterr().out
        assert FAKE_KEY not in out
        return code, out

    def assert_kept(self, out: str) -> None:
        """Both files as they were, nothing left behind, and the summary says so."""
        assert self.files() == self.before
        assert "収録データと出力は元のままです。" in out and "完了" not in out and "失敗 0" not in out


def test_upstream_going_away_mid_run_keeps_both_files(course, capsys):
    course.server.inject("die-after", times=1)  # pong is answered, ping's connection is reset
    code, out = course.record(capsys)
    assert code == 1
    assert "01_demo.ipynb: 前回は成功していたものが、今回は失敗しました" in out
    assert "4 番目のセル: 前回は出ていなかったエラーの説明が出ています" in out
    assert "--accept-new-errors" in out and "0 冊を再収録し、1 冊は元のままです" in out
    course.assert_kept(out)


def test_5xx_in_a_cell_that_succeeded_before_keeps_both_files_unless_accepted(course, capsys):
    course.server.inject("pass")
    course.server.inject("502-provider-error")  # the second question: ping
    code, out = course.record(capsys)
    assert code == 1
    assert f"! POST /chat/completions [{MODELS.free}] {PROMPTS[1]}（200 → 502）" in out
    assert "! 4 番目のセル" in out
    course.assert_kept(out)

    course.server.inject("pass")
    course.server.inject("502-provider-error")
    code, out = course.record(capsys, accept_new_errors=True)
    assert code == 0 and "完了: 1 冊を再収録しました。" in out
    assert "前回は成功していたもののうち 2 件が失敗しましたが、--accept-new-errors の指定どおり" in out
    assert "code: 502" in course.recording.read_text(encoding="utf-8")
    shown = nbformat.read(course.notebook, 4).cells[3].outputs[0]["data"]["text/plain"]
    assert shown.startswith("[エラーの説明]")


def test_ctrl_c_during_the_live_pass_keeps_both_files(course, capsys):
    """A real SIGINT while a request is waiting for its answer: the kernel stops, nothing crashes."""
    course.server.inject("slow", seconds=5.0)

    def press_ctrl_c_once_a_question_is_sent() -> None:
        deadline = time.monotonic() + 60
        while not any(r.path.endswith("/chat/completions") for r in course.server.requests):
            if time.monotonic() > deadline:
                return
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=press_ctrl_c_once_a_question_is_sent, daemon=True).start()
    code, out = course.record(capsys)
    assert code == 130
    assert "中断しました（Ctrl+C）。01_demo.ipynb の収録データと出力は元のままです。" in out
    assert "再収録 0 冊・元のまま 1 冊・実行しなかったもの 0 冊。" in out
    course.assert_kept(out)


def test_ctrl_c_during_the_replay_pass_keeps_both_files(course, capsys, monkeypatch):
    real, calls = record.execute, []

    def execute(path, **kw):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(path, **kw)

    monkeypatch.setattr(record, "execute", execute)
    code, out = course.record(capsys)
    assert code == 130 and len(calls) == 2
    course.assert_kept(out)


REFUSED = "に書き込めませんでした（PermissionError: [Errno 13] Permission denied）"


@pytest.mark.parametrize("answers", [{"pong": "PONG"}])  # so that the new recording differs
@pytest.mark.parametrize("error, code, message", [
    (KeyboardInterrupt, 130, "中断しました（Ctrl+C）"), (PermissionError(13, "Permission denied"), 1, REFUSED),
], ids=["ctrl-c", "refused"])
def test_failure_while_moving_the_files_puts_the_recording_back(course, capsys, monkeypatch, error, code, message):
    """The recording is moved first; when the notebook's move fails, the old recording is put back."""
    real, moves = transaction.move, []

    def move(source, target):
        moves.append(target)
        if target.suffix == ".ipynb":
            raise error
        real(source, target)

    monkeypatch.setattr(transaction, "move", move)
    result, out = course.record(capsys)
    assert result == code and message in out
    assert [p.suffix for p in moves] == [".yaml", ".ipynb", ".yaml"]  # new recording, notebook, old one back
    course.assert_kept(out)


def test_read_only_notebook_is_refused_before_anything_runs(course, capsys):
    course.notebook.chmod(0o444)
    immutable = False
    try:
        course.notebook.open("ab").close()
    except PermissionError:
        pass
    else:  # root ignores the mode: make the file immutable instead, if the file system allows
        immutable = subprocess.run(["chattr", "+i", str(course.notebook)], capture_output=True).returncode == 0
        if not immutable:
            pytest.skip("no way to make a file read-only for this user here")
    try:
        code, out = course.record(capsys)
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(course.notebook)], check=True)
        course.notebook.chmod(0o644)
    assert code == 1
    assert f"01_demo.ipynb: {course.notebook} に書き込めませんでした（PermissionError" in out
    assert "書き込み権限を確かめてから" in out
    assert not course.server.requests  # refused in a second, before two passes
    course.assert_kept(out)
