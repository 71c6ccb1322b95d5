"""Temporary alias: the error texts now live in text.py (ERRORS, ERROR_FRAGMENTS, ERROR_HEADINGS, ...)."""
from __future__ import annotations

from .text import ERROR_DETAIL_LABELS as DETAIL_LABELS
from .text import ERROR_FRAGMENTS as FRAGMENTS
from .text import ERROR_HEADINGS as HEADINGS
from .text import ERRORS as MESSAGES
from .text import UNCAUGHT_LINE

__all__ = ["DETAIL_LABELS", "FRAGMENTS", "HEADINGS", "MESSAGES", "UNCAUGHT_LINE"]
