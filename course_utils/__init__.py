"""course_utils: what the OpenRouter course notebooks import.

`setup()` is the first line of every notebook: it finds the API key, picks live / replay / record
mode, starts replay or recording, and prints a Japanese banner. After it, plain `openai` code runs
unchanged in every mode.
"""
from __future__ import annotations

import atexit
import os

from . import catalog, config, exercises, replay
from .banner import render_banner
from .config import KEY_VAR, NOTEBOOK_VAR
from .errors import check_completion, check_prompt, explain, finish_stream, kindly, last_explanation
from .exceptions import (CompletionFailed, CourseError, InputProblem, KeyProblem, NotRecordedError,
                         RecordWithoutKeyError, StreamIncomplete)
from .keys import REPLAY_PLACEHOLDER, KeyLookup, find_api_key, key_status_ja
from .keys import ask_api_key as _ask_api_key
from .models import MODELS
from .modes import LIVE, RECORD, REPLAY, choose_mode

BASE_URL = config.base_url()
MODE = REPLAY

__all__ = ["BASE_URL", "MODE", "MODELS", "setup", "ask_api_key", "catalog", "exercises", "kindly", "explain",
           "last_explanation", "check_prompt", "finish_stream", "check_completion", "CourseError", "KeyProblem",
           "NotRecordedError", "RecordWithoutKeyError", "InputProblem", "StreamIncomplete", "CompletionFailed"]


def setup(notebook: str | None = None, quiet: bool = False) -> None:
    """Find the key, choose the mode, start replay/recording and print the banner. Safe to run again."""
    global BASE_URL, MODE
    BASE_URL = config.base_url()
    lookup = find_api_key()
    choice = choose_mode(lookup)
    MODE = choice.mode
    if MODE == REPLAY and not os.environ.get(KEY_VAR):
        # Lets the document's `os.getenv("OPENROUTER_API_KEY")` code run; replay sends nothing anywhere.
        os.environ[KEY_VAR] = REPLAY_PLACEHOLDER
    notebook = notebook or os.environ.get(NOTEBOOK_VAR) or os.environ.get("JPY_SESSION_NAME")
    session = replay.start(MODE, notebook)
    if MODE == RECORD and session is not None:
        _save_after_each_cell(session)
    if not quiet:
        print(render_banner(MODE, BASE_URL, key_status_ja(lookup), choice.notes))


def ask_api_key() -> None:
    """Ask for the key with getpass (never echoed or stored in the notebook), then set up again."""
    lookup: KeyLookup = _ask_api_key()
    if lookup.problem is not None:
        print(lookup.problem.message)
        return
    setup()


def _save_after_each_cell(session: "replay._Session") -> None:
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.events.register("post_run_cell", lambda *_: session.save())


atexit.register(replay.stop)
