"""How wide text is on a terminal or in nbval's text output: CJK characters take two columns."""
from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Columns `text` takes in a monospaced font (wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """`text` with spaces after it up to `columns` columns."""
    return text + " " * (columns - width(text))
