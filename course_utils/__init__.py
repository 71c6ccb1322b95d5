"""course_utils: what the OpenRouter course notebooks import.

`setup()` is the first line of every notebook: it finds the API key, picks live / replay / record
mode, starts replay or recording, and prints a Japanese banner. After it, plain `openai` code runs
unchanged in every mode.

Importing this package stays cheap: the catalogue, error explanations, exercises and widgets (and
through them `openai`, `ipywidgets`, ...) are imported on first use (PEP 562 `__getattr__`).
"""
from __future__ import annotations

import atexit
import importlib
import os
import sys
from typing import Any

from . import config, environment, replay, retry_notice
from .banner import render_banner
from .config import NOTEBOOK_VAR
from .course_errors import (
    CompletionFailed,
    CourseError,
    InputProblem,
    KeyProblem,
    NotRecordedError,
    RecordWithoutKeyError,
    StreamIncomplete,
)
from .keys import KeyLookup, find_api_key, key_status_ja
from .keys import ask_api_key as _ask_api_key
from .modes import RECORD, REPLAY, choose_mode

BASE_URL = config.base_url()
MODE = REPLAY

# Public names imported on first access: submodules, and name -> the submodule that defines it.
_LAZY_MODULES = ("catalog", "exercises", "widgets")
_LAZY_NAMES = {"MODELS": "model_ids", "kindly": "error_box", "explain": "error_box", "last_explanation": "error_box",
               "check_prompt": "guards", "finish_stream": "guards", "check_completion": "guards"}

__all__ = ["BASE_URL", "MODE", "MODELS", "setup", "ask_api_key", "catalog", "exercises", "widgets", "kindly",
           "explain", "last_explanation", "check_prompt", "finish_stream", "check_completion", "CourseError",
           "KeyProblem", "NotRecordedError", "RecordWithoutKeyError", "InputProblem", "StreamIncomplete",
           "CompletionFailed"]


def __getattr__(name: str) -> Any:
    """Import a lazily exported submodule or name when it is first used."""
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f".{_LAZY_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def setup(notebook: str | None = None, quiet: bool = False) -> None:
    """Find the key, choose the mode, start replay/recording and print the banner. Safe to run again."""
    global BASE_URL, MODE
    lookup = find_api_key()  # first: it loads .env, which may set OPENROUTER_BASE_URL and COURSE_MODE too
    BASE_URL = config.base_url()
    choice = choose_mode(lookup)
    MODE = choice.mode
    if MODE == REPLAY:
        # Lets the document's `os.getenv("OPENROUTER_API_KEY")` code run; replay sends nothing anywhere.
        environment.use_replay_placeholder()
    notebook = notebook or os.environ.get(NOTEBOOK_VAR) or os.environ.get("JPY_SESSION_NAME")
    session = replay.start(MODE, notebook)
    if MODE == RECORD and session is not None:
        _save_after_each_cell()
    _explain_cell_errors()
    retry_notice.install()
    if MODE != REPLAY:
        from .guards import stop_pointless_retries  # imports openai: live/record only (replay never retries)

        stop_pointless_retries()
    if not quiet:
        notes = (*choice.notes, *(session.notes if session is not None else ()))
        print(render_banner(MODE, BASE_URL, key_status_ja(lookup), notes))


def ask_api_key() -> None:
    """Ask for the key with getpass (never echoed or stored in the notebook), then set up again."""
    lookup: KeyLookup = _ask_api_key()
    if lookup.problem is not None:
        print(lookup.problem.message)
        return
    setup()


# A custom exception handler the shell had before setup() installed the course's, kept for what it handled.
_earlier_handler: tuple[tuple[type, ...], Any] = ((), None)


def _explain_cell_errors() -> None:
    """In IPython, show API and course errors of plain cells (no kindly()) in Japanese too.

    Registered for every exception because openai may not be imported yet; error_box.show_cell_error passes
    the others on to the handler the shell had before (if any) or to IPython's usual display.
    """
    global _earlier_handler
    shell = _ipython()
    if shell is None:
        return
    if getattr(shell, "_course_handler", False) is False:  # first setup() in this kernel
        _earlier_handler = (shell.custom_exceptions, shell.CustomTB)
    shell.set_custom_exc((Exception,), _show_cell_error)
    shell._course_handler = True


def _show_cell_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None) -> None:
    from .error_box import show_cell_error  # imported on the first error only: setup() stays cheap

    show_cell_error(shell, etype, value, tb, tb_offset, earlier=_earlier_handler)


def _ipython() -> Any:
    ipython = sys.modules.get("IPython")  # never import IPython outside a notebook or IPython shell
    return ipython.get_ipython() if ipython is not None else None


def _save_after_each_cell() -> None:
    """Save the recording after every cell (a killed kernel then loses nothing); registered once per kernel."""
    shell = _ipython()
    if shell is not None and _save_recording not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _save_recording)


def _save_recording(*_: Any) -> None:
    session = replay.active()
    if session is not None:
        session.save()


atexit.register(replay.stop)
