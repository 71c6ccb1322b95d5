"""Running a notebook for the record command: a fresh kernel, top to bottom, Ctrl+C honoured.

nbclient is driven from a worker thread. In the main thread nbclient replaces Ctrl+C with its own handler,
which kills the kernel and surfaces as an unrelated error (a dead kernel, an assertion in its clean-up); the
record command must know the instructor interrupted it. Here Ctrl+C stays a KeyboardInterrupt in the main
thread, and the kernel is stopped before it propagates.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from .. import text

# How long the main thread waits between checks for Ctrl+C, and for the worker after stopping the kernel.
_POLL_SECONDS = 0.1
_STOP_SECONDS = 15.0


def execute(path: Path, on_cell: Callable[[], None] | None = None, timeout: int = 300):
    """Run a notebook top to bottom in a fresh kernel (its folder as working directory); return it.

    Raises what the run raised (nbclient's CellExecutionError for a failing cell); KeyboardInterrupt on
    Ctrl+C, with the kernel stopped.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # old timestamps would only add noise to diffs
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    if on_cell is not None:
        client.on_cell_executed = lambda **kw: on_cell()
    failure: list[BaseException] = []

    def run() -> None:
        try:
            client.execute()
        except BaseException as exc:  # handed to the main thread, which raises it
            failure.append(exc)

    worker = threading.Thread(target=run, name=f"record {path.name}", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(_POLL_SECONDS)
    except KeyboardInterrupt:
        _stop_kernel(client)
        worker.join(_STOP_SECONDS)
        raise
    if failure:
        raise failure[0]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    return nb


def _stop_kernel(client) -> None:
    """Kill the kernel of an interrupted run; the worker then ends with a dead kernel, which is ignored."""
    provisioner = getattr(client.km, "provisioner", None) if client.km is not None else None
    pid = getattr(provisioner, "pid", None)
    if pid:
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.kill(pid, signal.SIGKILL)


def merge_streams(outputs: list) -> list:
    """Join consecutive pieces of the same stream: nbclient sometimes splits one print into two."""
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (last is not None and out.get("output_type") == "stream" and last.get("output_type") == "stream"
                and out.get("name") == last.get("name")):
            last["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def error_cell_ids(nb) -> set[str]:
    """Ids of the code cells whose outputs show an error (the course's explanation box or a traceback)."""
    title = f"[{text.ERROR_HEADINGS['title']}]"

    def shows_error(output) -> bool:
        plain = output.get("data", {}).get("text/plain", "") if output.get("output_type") == "display_data" else ""
        plain = "".join(plain) if isinstance(plain, list) else plain
        return output.get("output_type") == "error" or plain.startswith(title)

    return {cell_id(cell, index) for index, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and any(shows_error(o) for o in cell.get("outputs", []))}


def cell_id(cell, index: int) -> str:
    """A cell's id (nbformat 4.5); its position for older notebooks."""
    return cell.get("id") or f"#{index}"
