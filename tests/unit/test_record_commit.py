"""The record command's last step: the new recording and notebook replace the old ones together, or neither does."""
from __future__ import annotations

import os
import signal

import pytest

from course_utils.record import transaction


@pytest.fixture
def files(tmp_path):
    notebook, recording, new = tmp_path / "nb" / "01.ipynb", tmp_path / "rec" / "01.yaml", tmp_path / "rec" / "01.new"
    for path, content in ((notebook, "old notebook"), (recording, "old recording"), (new, "new recording")):
        path.parent.mkdir(exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return notebook, recording, new


def leftovers(*folders) -> list[str]:
    return sorted(p.name for folder in folders for p in folder.iterdir()
                  if p.name.endswith((transaction.STAGED_SUFFIX, transaction.BACKUP_SUFFIX)))


def test_both_files_are_replaced(files):
    notebook, recording, new = files
    assert transaction.commit(notebook, "new notebook", recording, new) is False
    assert notebook.read_text() == "new notebook" and recording.read_text() == "new recording"
    assert not new.exists() and not leftovers(notebook.parent, recording.parent)


def test_ctrl_c_while_moving_waits_until_both_are_in_place(files, monkeypatch):
    notebook, recording, new = files
    real = transaction.move

    def move(source, target):
        if target == recording:
            os.kill(os.getpid(), signal.SIGINT)  # held back: a KeyboardInterrupt here would split the pair
        real(source, target)

    monkeypatch.setattr(transaction, "move", move)
    assert transaction.commit(notebook, "new notebook", recording, new) is True
    assert notebook.read_text() == "new notebook" and recording.read_text() == "new recording"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl+C works again afterwards


@pytest.mark.parametrize("had_recording", [True, False], ids=["re-record", "first-recording"])
def test_a_refused_notebook_puts_the_old_recording_back(files, monkeypatch, had_recording):
    notebook, recording, new = files
    if not had_recording:
        recording.unlink()
    real = transaction.move

    def move(source, target):
        if target == notebook:
            raise OSError(28, "No space left on device")
        real(source, target)

    monkeypatch.setattr(transaction, "move", move)
    with pytest.raises(transaction.SaveRefused) as info:
        transaction.commit(notebook, "new notebook", recording, new)
    assert info.value.path == notebook
    assert notebook.read_text() == "old notebook"
    assert recording.read_text() == "old recording" if had_recording else not recording.exists()
    assert not leftovers(notebook.parent, recording.parent)


def test_a_notebook_without_api_calls_replaces_only_the_notebook(files):
    notebook, recording, _ = files
    assert transaction.commit(notebook, "new notebook", recording, None) is False
    assert notebook.read_text() == "new notebook" and recording.read_text() == "old recording"
