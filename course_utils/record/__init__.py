"""`python -m course_utils record`: re-record notebooks live, then refresh their committed outputs.

Pass 1 runs a notebook in record mode (real calls, key from the environment or .env) into a recording in
progress. Pass 2 runs it again in replay mode against that new recording, with no key in the kernel's
environment, so the committed outputs are exactly what a learner without a key sees and nbval stays green.
Each notebook is one transaction (see `transaction`): the new recording and the new outputs are moved into
place together, and only when both passes succeeded, nothing key-like was recorded and nothing that
succeeded before fails now (unless `accept_new_errors`). Otherwise both files stay as they were.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import config, environment, redact, replay, text
from ..keys import find_api_key
from . import check, transaction
from .diff import RecordingDiff, diff_recordings, newly_failing_cells, summarise
from .run import execute

__all__ = ["find_notebooks", "main", "record_notebook"]

_ERROR_CHARS = 200  # of an error shown in the one-line reason


class Kept(Exception):
    """A notebook was not re-recorded; the message (Japanese) says why and what to do. Both files are as they were."""


@dataclass(frozen=True)
class Recorded:
    """A notebook re-recorded: its summary, and whether Ctrl+C arrived while its files were being moved."""

    summary: str
    interrupted: bool = False


def find_notebooks(paths: list[str]) -> list[Path]:
    """Notebooks named, or found in the folders named, in lesson order."""
    found: list[Path] = []
    for p in map(Path, paths):
        found += sorted(p.glob("[0-9][0-9]_*.ipynb")) if p.is_dir() else [p] if p.suffix == ".ipynb" else []
    return found


def _kept(message: str, next_step: str) -> Kept:
    return Kept(f"{message}{text.RECORD['kept']}\n  {next_step}")


@contextlib.contextmanager
def _recordings_with(stem: str, new: Path | None) -> Iterator[Path]:
    """A copy of the recordings folder in which `stem`'s recording is the new one: what pass 2 replays."""
    with tempfile.TemporaryDirectory(prefix="course-record-") as folder:
        for f in replay.recording_files(config.recordings_dir()):
            shutil.copy2(f, folder)
        if new is not None:
            shutil.copy2(new, Path(folder) / f"{stem}.yaml")
        yield Path(folder)


def record_notebook(path: Path, progress=None, accept_new_errors: bool = False) -> Recorded:
    """Re-record one notebook as one transaction (see the module docstring); raise Kept when it was not."""
    import nbformat

    committed = nbformat.read(path, as_version=4)
    leaked = check.key_cells(committed)
    if leaked:
        cells = text.RECORD["separator"].join(map(str, leaked))
        raise _kept(text.RECORD["key_in_source"].format(name=path.name, cells=cells), text.RECORD["key_in_source_next"])
    final = replay.recording_path(path.name)
    partial = replay.recording_path(path.name, in_progress=True)
    transaction.check_writable(path, final)
    tick = (lambda: progress.update(1)) if progress is not None else None
    partial.unlink(missing_ok=True)
    try:
        _describe(progress, "recording")
        with environment.patched(**{config.MODE_VAR: "record", config.NOTEBOOK_VAR: path.stem}):
            execute(path, on_cell=tick)
        new = partial if partial.exists() else None  # a notebook that makes no API call records nothing
        leaks = check.recording_leaks(new.read_text(encoding="utf-8")) if new is not None else []
        if leaks:
            raise _kept(text.RECORD["unsafe"].format(name=path.name, where=text.RECORD["separator"].join(leaks)),
                        text.RECORD["unsafe_next"])
        # Pass 2: a learner with no key (replay mode); the kernels must not read the instructor's .env either,
        # or its key status and base URL would land in the outputs.
        _describe(progress, "replaying")
        with _recordings_with(path.stem, new) as folder, environment.patched(**{
                config.MODE_VAR: "replay", config.KEY_VAR: None, config.BASE_URL_VAR: None,
                config.NOTEBOOK_VAR: path.stem, config.REPLAY_PACE_VAR: "0", config.NO_DOTENV_VAR: "1",
                config.RECORDINGS_DIR_VAR: str(folder)}):
            refreshed = execute(path, on_cell=tick)
        diff = diff_recordings(final, new) if new is not None else RecordingDiff()
        failing = [text.RECORD["new_error_request"].format(label=label, before=before, after=after)
                   for label, (before, after) in diff.failing.items()]
        failing += [text.RECORD["new_error_cell"].format(cell=n) for n in newly_failing_cells(committed, refreshed)]
        if failing and not accept_new_errors:
            raise _kept("\n".join([text.RECORD["new_errors"].format(name=path.name, count=len(failing)), *failing,
                                   ""]), text.RECORD["new_errors_next"])
        content = nbformat.writes(refreshed)
        interrupted = transaction.commit(path, content if content.endswith("\n") else content + "\n", final, new)
    finally:
        partial.unlink(missing_ok=True)
    summary = summarise(path.name, diff)
    if failing:
        summary += "\n" + "\n".join([text.RECORD["accepted_errors"].format(name=path.name, count=len(failing)),
                                     *failing])
    return Recorded(summary, interrupted)


def _describe(progress, stage: str) -> None:
    if progress is not None:
        progress.set_description(text.RECORD[stage])


def _reason(path: Path, exc: Exception) -> str:
    """Why a notebook was kept, for an error that is not a Kept (a failing cell, a refused save, ...)."""
    if isinstance(exc, transaction.SaveRefused):
        message = text.RECORD["save_refused"].format(name=path.name, path=exc.path, error=_one_line(exc.error))
        return f"{message}{text.RECORD['kept']}\n  {text.RECORD['save_refused_next']}"
    name, value = getattr(exc, "ename", None), getattr(exc, "evalue", None)  # nbclient's CellExecutionError
    error = f"{name}: {value}" if name else _one_line(exc)
    message = text.RECORD["failed"].format(name=path.name, error=redact.scrub(error)[:_ERROR_CHARS])
    return f"{message}{text.RECORD['kept']}\n  {text.RECORD['failed_next']}"


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def main(paths: list[str], accept_new_errors: bool = False) -> int:
    """Re-record the notebooks (default: notebooks/); 0 when all were, 1 when any was kept, 130 on Ctrl+C."""
    from tqdm.auto import tqdm

    if not find_api_key().usable:
        print(text.RECORD["no_key"])
        return 2
    notebooks = find_notebooks(paths or ["notebooks"])
    if not notebooks:
        print(text.RECORD["no_notebooks"].format(paths=" ".join(paths or ["notebooks"])))
        return 2
    import nbformat

    cells = sum(2 * sum(c.cell_type == "code" for c in nbformat.read(p, 4).cells) for p in notebooks)
    ok = kept = 0
    interrupted = False
    with tqdm(total=cells, desc=text.RECORD["recording"], unit=text.RECORD["unit"]) as bar:
        for path in notebooks:
            bar.set_postfix_str(path.name)
            try:
                outcome = record_notebook(path, bar, accept_new_errors)
            except KeyboardInterrupt:
                bar.write(text.RECORD["interrupted"].format(name=path.name))
                kept, interrupted = kept + 1, True
                break
            except Kept as exc:
                bar.write(str(exc))
                kept += 1
                continue
            except Exception as exc:  # report and go on with the next notebook
                bar.write(_reason(path, exc))
                kept += 1
                continue
            ok += 1
            bar.write(outcome.summary)
            if outcome.interrupted:
                bar.write(text.RECORD["interrupted_after_save"].format(name=path.name))
                interrupted = True
                break
    if interrupted:
        print(text.RECORD["done_interrupted"].format(ok=ok, kept=kept, left=len(notebooks) - ok - kept))
        return 130
    print(text.RECORD["done"].format(ok=ok) if not kept else text.RECORD["done_with_kept"].format(ok=ok, kept=kept))
    return 0 if not kept else 1
