"""Faults injected into the next chat requests: error samples and broken transports.

Kinds: every error sample name (`429-free-per-day`, …, `200-error-in-body`) plus
`slow` (wait `seconds` before answering), `reset` (close the connection without a response),
`stream-cut` (stop a stream mid-way: no finish, usage or [DONE]), `stream-error` (a mid-stream
error event), `malformed-json` (200 with a broken body) and `usage-no-choices` (a complete stream
whose final usage chunk has `"choices": []`, as OpenAI sends it and OpenRouter's docs describe; real
OpenRouter captures have one choice there, the default; a non-streamed answer is unaffected).
`echo` is a proxy that echoes the request's key: the answer's text ends with the `Authorization` header's key,
streamed a few characters per chunk like any text (no chunk alone looks like a key, the joined text holds it
whole; a non-streamed answer holds it in `message.content`), to test that the key never reaches a recording.
Two kinds shape when faults happen rather than what they are: `pass` (serve normally; queued before another
fault it makes that one hit a later request: `inject("pass", times=2)` then `inject("502-provider-error")`
is a 502 on the third request) and `die-after` (serve the next `times` chat requests, then reset the
connection of every later one: the upstream went away mid-run).
"""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

from werkzeug import Request, Response

from .errors import sample_names

TRANSPORT_FAULTS = ("slow", "reset", "stream-cut", "stream-error", "malformed-json")
USAGE_NO_CHOICES = "usage-no-choices"
ECHO = "echo"
PASS = "pass"
DIE_AFTER = "die-after"


def fault_kinds() -> tuple[str, ...]:
    """Every kind `inject` accepts."""
    return sample_names() + TRANSPORT_FAULTS + (USAGE_NO_CHOICES, ECHO, PASS, DIE_AFTER)


@dataclass(frozen=True)
class Fault:
    """One injected fault; `seconds` is the delay of `slow`."""

    kind: str
    seconds: float = 0.0


class FaultQueue:
    """Faults waiting for the next chat requests, one per request, in injection order."""

    def __init__(self) -> None:
        self._pending: list[Fault] = []
        self._serving_left: int | None = None  # requests still served after `die-after`; None: not dying
        self._lock = threading.Lock()

    def inject(self, kind: str, times: int = 1, seconds: float = 2.0) -> None:
        """Queue `kind` for the next `times` chat requests."""
        if kind not in fault_kinds():
            raise ValueError(f"unknown fault {kind!r}; choose one of {', '.join(fault_kinds())}")
        with self._lock:
            if kind == DIE_AFTER:
                self._serving_left = times
            else:
                self._pending += [Fault(kind, seconds)] * times

    def take(self) -> Fault | None:
        """The fault for the request being served, if any."""
        with self._lock:
            if self._serving_left == 0:
                return Fault("reset")
            if self._serving_left is not None:
                self._serving_left -= 1
            fault = self._pending.pop(0) if self._pending else None
            return None if fault is None or fault.kind == PASS else fault


def reset_connection(request: Request) -> Response:
    """Close the client's connection before any byte of a response.

    Werkzeug has no way to drop a connection, so this reaches the raw socket it exposes in the
    WSGI environ. After the shutdown the returned response cannot be written; werkzeug treats the
    failed write as a client that went away.
    """
    request.environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
    return Response(status=500)
