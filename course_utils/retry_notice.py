"""Say when `openai` waits to retry a request (429, 5xx, connection errors), which it otherwise does silently.

A plain `OpenAI()` client retries twice and honours `Retry-After` (up to two minutes), so in live mode a
rate-limited cell can sit for a minute or more with no output. openai announces each wait in one INFO log
record; this module turns that record into one Japanese line in the cell's output.
"""
from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from . import text

# The INFO record `openai._base_client` writes before each retry's sleep.
_RETRYING = re.compile(r"Retrying request in (?P<seconds>[\d.]+) seconds \(retry (?P<n>\d+) of (?P<max>\d+)\)")

# Where a notice goes instead of the cell's output while a widget waits (see `shown_by`).
_show: Callable[[str], None] | None = None


class _RetryNotice(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        match = _RETRYING.fullmatch(record.getMessage())
        if match:
            seconds = max(1, round(float(match["seconds"])))
            notice = text.RETRY["waiting"].format(seconds=seconds, n=match["n"], max=match["max"])
            if _show is not None:
                _show(notice)
            else:
                print(notice, file=sys.stdout, flush=True)


@contextmanager
def shown_by(show: Callable[[str], None]) -> Iterator[None]:
    """Send the notices to `show` (e.g. a widget's status line) instead of the cell's output, inside the block."""
    global _show
    previous, _show = _show, show
    try:
        yield
    finally:
        _show = previous


def install() -> None:
    """Show openai's retry waits (once per process; openai need not be imported yet)."""
    logger = logging.getLogger("openai._base_client")
    if not any(isinstance(h, _RetryNotice) for h in logger.handlers):
        logger.addHandler(_RetryNotice(logging.INFO))
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
