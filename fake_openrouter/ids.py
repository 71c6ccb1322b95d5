"""Deterministic ids and timestamps: the same request body always gets the same id and `created`.

Re-recording the course's examples must give identical files, so nothing here reads the clock or a
random source. Every `created` falls inside 2026-08-20 (UTC), the date the shipped recordings claim.
"""
from __future__ import annotations

import hashlib
import json
import string
from datetime import datetime, timezone

RECORDED_DAY_START = int(datetime(2026, 8, 20, tzinfo=timezone.utc).timestamp())
SECONDS_PER_DAY = 86_400
# Keep `created` an hour before midnight so that latencies and rate-limit resets stay on the same day.
_LAST_SECOND = SECONDS_PER_DAY - 3_600
_ALNUM = string.ascii_letters + string.digits


def request_digest(body: object) -> bytes:
    """A stable digest of a JSON request body (key order does not matter)."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).digest()


def fraction(digest: bytes, salt: str) -> float:
    """A number in [0, 1) derived from the digest; `salt` picks an independent value."""
    value = hashlib.sha256(digest + salt.encode("utf-8")).digest()
    return int.from_bytes(value[:8], "big") / 2**64


def alphanumeric(digest: bytes, salt: str, length: int = 20) -> str:
    """`length` letters and digits derived from the digest, like the random part of OpenRouter ids."""
    number = int.from_bytes(hashlib.sha256(digest + salt.encode("utf-8")).digest(), "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(_ALNUM))
        chars.append(_ALNUM[index])
    return "".join(chars)


def created_at(digest: bytes) -> int:
    """Unix seconds inside 2026-08-20 (UTC)."""
    return RECORDED_DAY_START + int(fraction(digest, "created") * _LAST_SECOND)


def prefixed_id(prefix: str, digest: bytes, created: int) -> str:
    """`<prefix>-<unix>-<20 alphanumerics>`, e.g. `gen-1787212345-AbC…` or `req-…`."""
    return f"{prefix}-{created}-{alphanumeric(digest, prefix)}"


def iso_timestamp(unix_ms: int) -> str:
    """`2026-08-20T12:34:56.789Z`, the timestamp style of `/generation`."""
    moment = datetime.fromtimestamp(unix_ms / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{unix_ms % 1000:03d}Z"
