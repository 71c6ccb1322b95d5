"""Key checks of notebooks and recordings, shared by `record` (before it runs or writes) and `doctor`.

The patterns are redact's. A recording is checked as saved and, for streamed responses, as reassembled from
its chunks: a key split across chunks is whole only there. Findings say where, never what matched.
"""
from __future__ import annotations

import json

from .. import redact, text


def key_cells(nb) -> list[int]:
    """Numbers (from 1) of the cells whose source holds key material (a pasted key, a bearer token)."""
    return [index for index, cell in enumerate(nb.cells, 1) if redact.contains_secret(cell.source)]


def key_outputs(nb) -> list[int]:
    """Numbers (from 1) of the code cells whose saved outputs hold key material."""
    return [index for index, cell in enumerate(nb.cells, 1)
            if any(redact.contains_secret(json.dumps(o, ensure_ascii=False)) for o in cell.get("outputs", []))]


def recording_leaks(content: str) -> list[str]:
    """Where a recording's text holds key material (Japanese, for the instructor); empty when clean."""
    found = [text.RECORD["leak_file"]] if redact.contains_secret(content) else []
    return found + [text.RECORD["leak_stream"].format(number=n) for n in leaking_streams(content)]


def leaking_streams(content: str) -> list[int]:
    """Numbers (from 1) of the interactions whose streamed response, its chunks joined, holds key material."""
    import yaml

    try:
        data = yaml.safe_load(content) or {}
    except yaml.YAMLError:
        return []  # unreadable: only the check of the raw text can say anything
    items = data.get("interactions", []) if isinstance(data, dict) else []
    return [number for number, item in enumerate(items, 1)
            if "data:" in (body := _response_body(item)) and redact.contains_secret(redact.stream_text(body))]


def _response_body(item: object) -> str:
    body = item.get("response", {}).get("body", {}).get("string", "") if isinstance(item, dict) else ""
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
