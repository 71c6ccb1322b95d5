"""The requests the widgets send: their client, the JSON bodies, and the plain `openai` code for a body."""
from __future__ import annotations

import json
from typing import Any

from ..catalog import openrouter_client  # a plain openai.OpenAI for OpenRouter; KeyProblem when no key is set

CREATE_ARGS = ("model", "messages", "temperature", "max_tokens", "stream")

# openai's defaults wait 600 s for each read and try 3 times: a stalled connection (school Wi-Fi dropping,
# a stuck provider) would leave a widget silent for half an hour. A stream gets bytes all along (OpenRouter
# sends keep-alive comments while a model thinks), so the sender gives up after STALL_SECONDS without one;
# a comparison answer arrives whole, after the model wrote all of it, so it may take longer.
STALL_SECONDS = {"sender": 20.0, "comparison": 60.0}
CONNECT_SECONDS = 10.0
MAX_RETRIES = 1  # one more try after a timeout or a 429/5xx; each wait shows in the widget (retry_notice)


# (the shared OpenRouter client, stall seconds, retries) -> its copy with those options: openai's
# `with_options` builds a new client object, so it is made once, not on every click.
_clients: dict[tuple[Any, float, int], Any] = {}


def client(widget: str) -> Any:
    """The OpenAI client the "sender" or "comparison" widget sends with (its timeouts and retries above).

    Built once per OpenRouter client (one per base URL and key, see `openrouter_client`) and options.
    """
    key = (openrouter_client(), STALL_SECONDS[widget], MAX_RETRIES)
    if key not in _clients:
        import httpx2  # openai's HTTP library, imported with openai when the first request is made

        base, stall, retries = key
        timeout = httpx2.Timeout(stall, connect=min(CONNECT_SECONDS, stall))
        _clients[key] = base.with_options(timeout=timeout, max_retries=retries)
    return _clients[key]


def messages(system: str | None, prompt: str) -> list[dict]:
    """The chat messages for an optional system prompt and one user prompt."""
    found = [{"role": "system", "content": system}] if system and system.strip() else []
    return found + [{"role": "user", "content": prompt}]


def system_of(messages: list[dict]) -> str:
    """The first system message's text ("" if none)."""
    return next((m["content"] for m in messages if m.get("role") == "system" and isinstance(m.get("content"), str)),
                "")


def create_kwargs(body: dict) -> dict:
    """`chat.completions.create` keyword arguments that send exactly this JSON body."""
    kwargs = {k: v for k, v in body.items() if k in CREATE_ARGS}
    extra = {k: v for k, v in body.items() if k not in CREATE_ARGS}
    if kwargs.get("stream") is False:  # openai only accepts a literal stream=True here
        extra["stream"] = kwargs.pop("stream")
    return {**kwargs, "extra_body": extra} if extra else kwargs


def plain_code(body: dict, base_url: str) -> str:
    """The plain `openai` code that sends `body`; reads the key from the environment, never embeds it."""
    kwargs = create_kwargs(body)
    name = "stream" if kwargs.get("stream") else "response"
    lines = ["import os", "from openai import OpenAI", "", "client = OpenAI(", f"    base_url={base_url!r},",
             '    api_key=os.getenv("OPENROUTER_API_KEY"),', ")", f"{name} = client.chat.completions.create("]
    for key, value in kwargs.items():
        if key == "messages":
            lines += ["    messages=[", *(f"        {json.dumps(m, ensure_ascii=False)}," for m in value), "    ],"]
        else:
            lines.append(f"    {key}={value!r},")
    lines.append(")")
    if name == "stream":
        lines += ["for chunk in stream:", "    if chunk.choices and chunk.choices[0].delta.content:",
                  '        print(chunk.choices[0].delta.content, end="")']
    else:
        lines.append("print(response.choices[0].message.content)")
    return "\n".join(lines)
