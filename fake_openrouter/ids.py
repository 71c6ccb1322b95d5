"""Deterministic ids and timestamps: the same sequence of requests always gets the same ids and times.

Re-recording the course's examples must give identical files, so nothing here reads the system clock
or a random source. Instead a `Clock` moves forward by 40-90 s per chat request, from 00:30 UTC on
2026-08-20 (the date the shipped recordings claim; 09:30 in Japan, a morning class), so a whole course
run of about a hundred requests stays on that day. Concurrent requests take their places in arrival
order. Values that need no order (latency, the load-balanced provider) come from the request body alone.
"""
from __future__ import annotations

import hashlib
import json
import string
import threading
from datetime import UTC, datetime

RECORDED_DAY_START = int(datetime(2026, 8, 20, tzinfo=UTC).timestamp())
SECONDS_PER_DAY = 86_400
FIRST_CREATED = RECORDED_DAY_START + 30 * 60
_STEP_SECONDS = (40, 90)  # between two chat requests: a learner reads the answer, then sends the next
_ALNUM = string.ascii_letters + string.digits


class Clock:
    """The `created` time of each chat request, in the order the server takes them (thread-safe)."""

    def __init__(self) -> None:
        self._latest = self._next = FIRST_CREATED
        self._taken = 0
        self._lock = threading.Lock()

    def now(self) -> int:
        """Unix seconds of the latest request taken (FIRST_CREATED before any)."""
        return self._latest

    def take(self, digest: bytes) -> tuple[int, bytes]:
        """`created` for the request with `digest`, and a digest of this request at this place in the
        sequence (identical requests then still get different ids)."""
        low, high = _STEP_SECONDS
        with self._lock:
            self._latest, number = self._next, self._taken
            self._next += low + int(fraction(digest, "step") * (high - low + 1))
            self._taken += 1
            created = self._latest
        return created, hashlib.sha256(digest + number.to_bytes(8, "big")).digest()


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


def prefixed_id(prefix: str, digest: bytes, created: int) -> str:
    """`<prefix>-<unix>-<20 alphanumerics>`, e.g. `gen-1787212345-AbC…` or `req-…`."""
    return f"{prefix}-{created}-{alphanumeric(digest, prefix)}"


def iso_timestamp(unix_ms: int) -> str:
    """`2026-08-20T12:34:56.789Z`, the timestamp style of `/generation`."""
    moment = datetime.fromtimestamp(unix_ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{unix_ms % 1000:03d}Z"
