"""Talking to the instructor at the terminal: confirmation, a progress bar, plain lines (never a key)."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

from .. import text

T = text.CLASS_KEYS
Item = TypeVar("Item")


def say(line: str = "") -> None:
    """Print one line for the instructor (stdout)."""
    print(line, flush=True)


def confirm(question: str, yes: bool) -> bool:
    """Ask `question` (y/N); `--yes` answers it. With no terminal to ask at, refuse and say why."""
    if yes:
        return True
    if not sys.stdin.isatty():
        say(T["no_tty"])
        return False
    try:
        answer = input(T["confirm"].format(question=question))
    except EOFError:
        answer = ""
    if answer.strip().lower() in T["yes_words"]:
        return True
    say(T["cancelled"])
    return False


def progress(items: Iterable[Item], total: int, label: str) -> Iterator[Item]:
    """`items` with a progress bar on stderr (key names at most: the bar never shows a key)."""
    return iter(tqdm(items, total=total, desc=label, unit=T["unit"], file=sys.stderr, leave=True,
                     disable=None))  # None: no bar when stderr is not a terminal (logs stay clean)
