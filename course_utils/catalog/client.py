"""The plain `openai.OpenAI` client every catalogue call (and the widgets) goes through, so replay and live
mode work the same."""
from __future__ import annotations

import os
from typing import Any

from .. import config
from ..course_errors import KeyProblem
from ..keys import KEY_MESSAGES

_clients: dict[tuple[str, str], Any] = {}


def openrouter_client() -> Any:
    """A plain OpenAI client for OpenRouter; the key only ever comes from the environment.

    One client per (base URL, key) is reused: building one costs 20-45 ms (bench/RESULTS.md).
    Raises KeyProblem (explained in Japanese) when no key is set.
    """
    from openai import OpenAI

    key = os.environ.get(config.KEY_VAR)
    if not key:
        # Without this, openai would fall back to OPENAI_API_KEY and send it to OpenRouter.
        raise KeyProblem("missing", KEY_MESSAGES["missing"])
    url = config.base_url()
    if (url, key) not in _clients:
        _clients[(url, key)] = OpenAI(base_url=url, api_key=key)
    return _clients[(url, key)]


def get_data(path: str, params: dict[str, str] | None = None) -> Any:
    """GET an OpenRouter info endpoint and unwrap its `{"data": ...}` envelope."""
    options = {"params": params} if params else {}
    body = openrouter_client().get(path, cast_to=object, options=options)
    return body.get("data") if isinstance(body, dict) else body
