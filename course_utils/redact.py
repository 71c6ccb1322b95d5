"""What an OpenRouter key looks like, and how course_utils keeps one out of what it saves or shows.

The one home of the key pattern: key validation, recordings, error boxes, the cell-error display, `doctor`,
`record` and the secrets test all use these definitions.
"""
from __future__ import annotations

import json
import os
import re

KEY_PREFIX = "sk-or-v1-"
KEY_HEX_LENGTH = 64
# A whole, well-formed OpenRouter key: the prefix and 64 lower-case hex digits.
KEY = re.compile(rf"{re.escape(KEY_PREFIX)}[0-9a-f]{{{KEY_HEX_LENGTH}}}")
# Any key material: `sk-or-` followed by at least one key character beyond a bare `v1-` (a partial, masked or
# other-version key). The bare prefix alone, as the lessons' prose writes it («sk-or-v1-» / sk-or-v1-…), is no
# secret, and neither is the course document's Japanese placeholder.
KEY_MATERIAL = re.compile(r"sk-or-(?:v1-[A-Za-z0-9]|(?!v1-)[A-Za-z0-9])[A-Za-z0-9._\-]*")
# A bearer token in a header or body ("Bearer [REDACTED]" is what scrubbing leaves).
BEARER = re.compile(r"Bearer\s+(?!\[REDACTED\])[^\s\"'\\]+")
REDACTED = "[REDACTED]"
_SHORTEST_KNOWN = 8  # a configured value shorter than this is no key worth replacing verbatim (e.g. "x")


def _known(extra: tuple[str | None, ...]) -> list[str]:
    """The secrets known by value: the key in the environment (if any) and those passed in."""
    from .config import KEY_VAR  # imported here: config imports nothing of ours, but keep this module leaf-level

    values = [os.environ.get(KEY_VAR), *extra]
    return [v for v in values if v and len(v) >= _SHORTEST_KNOWN]


def scrub(text: str, *known: str | None) -> str:
    """Replace every key (the configured one, `known` values, anything key-shaped) and bearer token."""
    for value in _known(known):
        text = text.replace(value, REDACTED)
    text = KEY_MATERIAL.sub(REDACTED, text)
    return BEARER.sub(f"Bearer {REDACTED}", text)


def contains_secret(text: str, *known: str | None) -> bool:
    """True when `text` holds key material or a bearer token (the checks behind record, doctor and the gate)."""
    if any(value in text for value in _known(known)):
        return True
    return bool(KEY_MATERIAL.search(text) or BEARER.search(text))


def stream_text(body: str) -> str:
    """The text a server-sent-events body carries, reassembled: a key split across chunks is whole here.

    The strings of every `data:` line's JSON are joined per field (all `choices.delta.content` pieces in
    order, all `reasoning` pieces, tool arguments, ...), one field per line, so
    `contains_secret(stream_text(body))` sees what a learner would have read.
    """
    fields: dict[str, list[str]] = {}
    for line in body.splitlines():
        if not line.startswith("data:"):
            continue
        payload = line[len("data:"):].strip()
        try:
            value = json.loads(payload)
        except ValueError:
            value = payload
        for path, text in _strings(value, ""):
            fields.setdefault(path, []).append(text)
    return "\n".join("".join(pieces) for pieces in fields.values())


def _strings(value: object, path: str) -> list[tuple[str, str]]:
    """(field path, string) pairs; list positions are left out of the path so that chunks line up."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _strings(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [pair for item in value for pair in _strings(item, path)]
    return []
