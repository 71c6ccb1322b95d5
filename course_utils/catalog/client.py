"""The plain `openai.OpenAI` client every catalogue call (and the widgets) goes through, so replay and live
mode work the same."""
from __future__ import annotations

import os
from typing import Any

from .. import config, replay
from ..course_errors import KeyProblem
from ..keys import KEY_MESSAGES

_clients: dict[tuple[str, str, bool], Any] = {}


def openrouter_client() -> Any:
    """A plain OpenAI client for OpenRouter; the key only ever comes from the environment.

    One client per (base URL, key, replay or not) is reused: building one costs 20-45 ms (bench/RESULTS.md).
    Raises KeyProblem (explained in Japanese) when no key is set.
    """
    from openai import OpenAI

    key = os.environ.get(config.KEY_VAR)
    if not key:
        # Without this, openai would fall back to OPENAI_API_KEY and send it to OpenRouter.
        raise KeyProblem("missing", KEY_MESSAGES["missing"])
    url = config.base_url()
    session = replay.active()
    replaying = session is not None and session.mode == "replay"
    if (url, key, replaying) not in _clients:
        options = {"http_client": _replay_http_client()} if replaying else {}
        _clients[(url, key, replaying)] = OpenAI(base_url=url, api_key=key, **options)
    return _clients[(url, key, replaying)]


def _replay_http_client() -> Any:
    """openai's own HTTP client, minus the 20-40 ms of loading the system's CA certificates.

    In replay no request leaves the machine (vcrpy answers or refuses each one), so the certificates are never
    used. The TLS context still requires a verified certificate and trusts none: a request that did get out
    would fail rather than go unverified. Live mode (a new client: see the cache key) loads them as usual.
    """
    import ssl

    from openai import DefaultHttpxClient

    return DefaultHttpxClient(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))


def get_data(path: str, params: dict[str, str] | None = None) -> Any:
    """GET an OpenRouter info endpoint and unwrap its `{"data": ...}` envelope."""
    options = {"params": params} if params else {}
    body = openrouter_client().get(path, cast_to=object, options=options)
    return body.get("data") if isinstance(body, dict) else body
