"""Putting a re-recorded notebook in place: recording and outputs together, or neither.

Everything new is written next to its target first (same folder, so the final step is a rename). The two
renames run with Ctrl+C held back; if the second fails (or an interrupt is raised there anyway), the first is
undone, so the recording and the committed outputs always come from the same run.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

STAGED_SUFFIX = ".record-new"
BACKUP_SUFFIX = ".record-old"


class SaveRefused(OSError):
    """A target could not be written; nothing was changed. `path` is the file that refused."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error))
        self.path = path
        self.error = error


def check_writable(*paths: Path) -> None:
    """Raise SaveRefused unless every path (an existing file, or a new one in its folder) can be written.

    Checked before the notebook runs, so that a read-only file fails in a second, not after two passes.
    """
    for path in paths:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists():
                with open(path, "ab"):  # opening for append writes nothing and changes nothing
                    pass
            with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".record-check-"):
                pass
        except OSError as exc:
            raise SaveRefused(path, exc) from None


def move(source: Path, target: Path) -> None:
    """Rename `source` over `target` (atomic within one folder)."""
    os.replace(source, target)


@contextlib.contextmanager
def interrupts_held() -> Iterator[list[int]]:
    """Hold Ctrl+C back inside the block (main thread only); the list says whether one arrived."""
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: arrived.append(signum))
    try:
        yield arrived
    finally:
        signal.signal(signal.SIGINT, previous)


def commit(notebook: Path, notebook_text: str, recording: Path, new_recording: Path | None) -> bool:
    """Write `notebook_text` as `notebook` and move `new_recording` (if any) over `recording`, both or neither.

    Raises SaveRefused (or a KeyboardInterrupt raised inside) with both files as they were. Returns True
    when Ctrl+C was pressed during the renames: it was held back until both were done.
    """
    staged = notebook.with_name(notebook.name + STAGED_SUFFIX)
    backup = recording.with_name(recording.name + BACKUP_SUFFIX)
    try:
        try:
            staged.write_text(notebook_text, encoding="utf-8")
        except OSError as exc:
            raise SaveRefused(notebook, exc) from None
        if new_recording is not None and recording.exists():
            try:
                shutil.copy2(recording, backup)
            except OSError as exc:
                raise SaveRefused(recording, exc) from None
        with interrupts_held() as arrived:
            _swap(notebook, staged, recording, new_recording, backup)
    finally:
        staged.unlink(missing_ok=True)
        backup.unlink(missing_ok=True)
    return bool(arrived)


def _swap(notebook: Path, staged: Path, recording: Path, new_recording: Path | None, backup: Path) -> None:
    """The two renames; the first is undone if the second does not happen."""
    moved_recording = False
    try:
        if new_recording is not None:
            move(new_recording, recording)
            moved_recording = True
        try:
            move(staged, notebook)
        except OSError as exc:
            raise SaveRefused(notebook, exc) from None
    except BaseException:
        if moved_recording:
            if backup.exists():
                move(backup, recording)
            else:
                recording.unlink()
        raise
