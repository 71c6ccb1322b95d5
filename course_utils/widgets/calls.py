"""The requests the widgets send: their client, the JSON bodies, and the plain `openai` code for a body."""
from __future__ import annotations

import json
from typing import Any

from ..catalog import _client  # a plain openai.OpenAI for OpenRouter; KeyProblem when no key is set

CREATE_ARGS = ("model", "messages", "temperature", "max_tokens", "stream")


def client() -> Any:
    """The OpenAI client the widgets send with (looked up on this module, so tests can replace it)."""
    return _client()


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
