"""The one writer of the process environment (`os.environ`) in course_utils.

What the course writes, and when:
- `apply_dotenv()` (every `setup()`): the variables of the nearest `.env` (searched from the working directory
  upwards). It runs again on every `setup()`, so a learner who fixes `.env` re-runs the first cell, not the
  kernel: a variable the course took from `.env` follows the file (changed or removed with its line).
  UTF-8 is expected; a file Windows editors saved as Shift-JIS or UTF-16 is read too, with a note for the banner.
- `set_key(key, origin)`: the key from Colab's secrets or from `ask_api_key()`'s getpass prompt, so that the
  document's `os.getenv("OPENROUTER_API_KEY")` finds it.
- `use_replay_placeholder()` (`setup()` in replay mode): `REPLAY_PLACEHOLDER` when there is no key, or when
  the key cannot even be put into an HTTP header (full-width characters, the document's Japanese placeholder):
  the document's plain code then runs against the recordings. Replay sends nothing anywhere.
- `withdraw_stand_ins()` (before every key lookup): removes the placeholder (whoever set it: a kernel inherits
  it from the process that started it) and the Colab key, and puts back a value the placeholder stood in for,
  so that each lookup sees what the learner set.

Values set outside the course (the shell, Jupyter's environment, a test) always win: `.env` never replaces
them and nothing here removes them. The one exception is a key that cannot be sent, hidden behind the
placeholder in replay mode until the next lookup. `origin(name)` tells whether the current value is one the
course wrote, and from where; that is the course state the rest of course_utils reads.

Code that needs other values for a while (the record command's kernels, the benchmark, the tests) uses
`patched(NAME=value, OTHER=None)`: inside the block the values are set (None removes), afterwards the whole
environment and this module's bookkeeping are as they were.
"""
from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import text
from .config import KEY_VAR

# Set in replay mode so that the document's `api_key = os.getenv("OPENROUTER_API_KEY")` runs unchanged.
REPLAY_PLACEHOLDER = "replay-mode-no-real-key"

# Where a value the course wrote came from (what origin() returns).
DOTENV, COLAB, PROMPT, PLACEHOLDER = "dotenv", "colab", "prompt", "placeholder"

# name -> (origin, value) for every variable the course wrote; stale once the value changed outside.
_written: dict[str, tuple[str, str]] = {}
# The key the placeholder stands in for, and its origin (None: set outside the course).
_hidden: tuple[str, str | None] | None = None


def origin(name: str) -> str | None:
    """Where the current value of `name` came from if the course wrote it, else None (unset or set outside)."""
    written = _written.get(name)
    return written[0] if written is not None and os.environ.get(name) == written[1] else None


def _write(name: str, value: str, source: str) -> None:
    os.environ[name] = value
    _written[name] = (source, value)


def _remove(name: str) -> None:
    os.environ.pop(name, None)
    _written.pop(name, None)


def set_key(key: str, source: str) -> None:
    """Put the key from Colab (`COLAB`) or the getpass prompt (`PROMPT`) into the environment."""
    _write(KEY_VAR, key, source)


def sendable(key: str) -> bool:
    """Whether httpx can put `key` into the Authorization header (only ASCII can be encoded there)."""
    return key.isascii()


def use_replay_placeholder() -> None:
    """Replay mode: set the placeholder if there is no key or the key cannot be sent (it is put back later)."""
    global _hidden
    current = os.environ.get(KEY_VAR)
    if current and sendable(current):
        return
    if current is not None and origin(KEY_VAR) != PLACEHOLDER:
        _hidden = (current, origin(KEY_VAR))
    _write(KEY_VAR, REPLAY_PLACEHOLDER, PLACEHOLDER)


def withdraw_stand_ins() -> None:
    """Remove what an earlier setup() set only for its own mode (placeholder, Colab key); restore a hidden key."""
    global _hidden
    # The placeholder whoever set it: a kernel inherits it from a process that ran setup() (record, tests).
    if os.environ.get(KEY_VAR) == REPLAY_PLACEHOLDER:
        _remove(KEY_VAR)
    if _hidden is not None:
        value, source = _hidden
        _hidden = None
        if KEY_VAR not in os.environ:  # nobody set another key meanwhile
            os.environ[KEY_VAR] = value
            if source is not None:
                _written[KEY_VAR] = (source, value)
    if origin(KEY_VAR) == COLAB:  # asked again: the learner may have changed or unshared the secret
        _remove(KEY_VAR)


def apply_dotenv() -> str | None:
    """Apply the nearest .env as described above; return a Japanese note about its encoding, if any."""
    from dotenv import find_dotenv

    path = find_dotenv(usecwd=True)
    values, note = read_dotenv(Path(path)) if path else ({}, None)
    for name, (source, value) in list(_written.items()):
        if source != DOTENV:
            continue
        if os.environ.get(name) != value:  # changed outside the course since: no longer ours
            del _written[name]
        elif name not in values:  # the line was removed from .env
            _remove(name)
    for name, value in values.items():
        if name not in os.environ or origin(name) == DOTENV:
            _write(name, value, DOTENV)
    return note


def read_dotenv(path: Path) -> tuple[dict[str, str], str | None]:
    """The variables of a .env file and a Japanese note when it was not plain UTF-8 (or not readable at all).

    Windows editors save Japanese text as Shift-JIS (Notepad's "ANSI") or UTF-16 ("Unicode"); both are read.
    """
    from dotenv import dotenv_values

    decoded = _decode(path.read_bytes())
    if decoded is None:
        return {}, text.DOTENV["unreadable"]
    content, encoding = decoded
    values = {k: v for k, v in dotenv_values(stream=io.StringIO(content)).items() if v is not None}
    note = None if encoding == "UTF-8" else text.DOTENV["other_encoding"].format(encoding=encoding)
    return values, note


def _decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name as the learner's editor calls it), trying what Windows editors write; None if none fits."""
    if data.startswith(codecs.BOM_UTF8):
        attempts = [("utf-8-sig", "UTF-8")]  # a BOM is still UTF-8 for every tool that matters
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        attempts = [("utf-16", "UTF-16")]
    elif b"\x00" in data:  # UTF-16 without a BOM: every ASCII character has a zero byte next to it
        attempts = [("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be", "UTF-16")]
    else:
        attempts = [("utf-8", "UTF-8"), ("cp932", "Shift-JIS")]
    for codec, name in attempts:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    return None


def forget() -> None:
    """Forget which values the course wrote (the tests start each case from a known environment)."""
    global _hidden
    _written.clear()
    _hidden = None


@contextmanager
def patched(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) variables inside the block; afterwards everything is as it was.

    Child processes started inside (notebook kernels) inherit the values.
    """
    global _hidden
    from unittest.mock import patch  # here: it imports asyncio, too slow for `import course_utils`

    saved = dict(_written), _hidden
    with patch.dict(os.environ):
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        try:
            yield
        finally:
            _written.clear()
            _written.update(saved[0])
            _hidden = saved[1]
