"""The SSE stream of a generation, framed like `data/chat-stream.sse.txt` (LF only, `data: [DONE]`).

Every delta repeats `role` and `content`; reasoning is streamed before the content, generated images and tool
calls (OpenAI's delta shape: id and name first, then the arguments in pieces) after it; a finish chunk
is followed by a separate usage chunk that still has one choice (none, OpenAI's way, on request).
"""
from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator

from .completion import Generation, image_part, reasoning_detail
from .wire import DATA_DIR, dumps

KEEPALIVE = ": OPENROUTER PROCESSING\n\n"
DONE = "data: [DONE]\n\n"
CONTENT_TYPE = "text/event-stream"
# Piece sizes in characters, cycled: real streams deliver one token, i.e. a few characters, per chunk.
_PIECE_SIZES = (3, 2, 4, 3, 5, 2)


def event(obj: dict) -> str:
    """One `data:` event."""
    return f"data: {dumps(obj)}\n\n"


def pieces(text: str) -> list[str]:
    """`text` split into chunks of a few characters."""
    result, start, index = [], 0, 0
    while start < len(text):
        size = _PIECE_SIZES[index % len(_PIECE_SIZES)]
        result.append(text[start:start + size])
        start, index = start + size, index + 1
    return result


def token_events(gen: Generation) -> list[str]:
    """The reasoning and content chunks, before any finish chunk."""
    envelope = gen.envelope("chat.completion.chunk")

    def chunk(delta: dict) -> str:
        return event({**envelope, "choices": [{"index": 0, "delta": delta, "finish_reason": None,
                                               "native_finish_reason": None}]})

    reasoning = [chunk({"content": "", "role": "assistant", "reasoning": piece,
                        "reasoning_details": [reasoning_detail(piece)]}) for piece in pieces(gen.reasoning or "")]
    content = [chunk({"content": piece, "role": "assistant"}) for piece in pieces(gen.content)]
    images = [chunk({"content": "", "role": "assistant", "images": [image_part(url, index)]})
              for index, url in enumerate(gen.images or [])]
    return reasoning + content + images + [chunk({"content": "", "role": "assistant", "tool_calls": [delta]})
                                           for delta in tool_call_deltas(gen.tool_calls or [])]


def tool_call_deltas(calls: list[dict]) -> list[dict]:
    """OpenAI's streamed tool calls: the id, type and name first, then the JSON arguments in pieces."""
    deltas = []
    for index, call in enumerate(calls):
        function = call["function"]
        deltas.append({"index": index, "id": call["id"], "type": "function",
                       "function": {"name": function["name"], "arguments": ""}})
        deltas += [{"index": index, "function": {"arguments": piece}} for piece in pieces(function["arguments"])]
    return deltas


def closing_events(gen: Generation, usage_choice: bool = True) -> list[str]:
    """The finish chunk, the usage chunk (with its one choice, or `"choices": []`) and `[DONE]`."""
    envelope = {**gen.envelope("chat.completion.chunk"), "system_fingerprint": None}
    reason = {"finish_reason": gen.finish_reason, "native_finish_reason": gen.native_finish_reason}
    finish = {**envelope, "choices": [{"index": 0, "delta": {"content": "", "role": "assistant", "reasoning": None},
                                       **reason}]}
    choices = [{"index": 0, "delta": {"content": "", "role": "assistant"}, **reason}] if usage_choice else []
    usage = {**envelope, "service_tier": None, "choices": choices, "usage": gen.usage()}
    return [event(finish), event(usage), DONE]


def midstream_error_event(gen: Generation) -> str:
    """The error event of `chat-stream-midstream-error.sse.txt`, for this generation's stream."""
    text = (DATA_DIR / "chat-stream-midstream-error.sse.txt").read_text(encoding="utf-8")
    sample = json.loads(text.strip().removeprefix("data: "))
    return event({**gen.envelope("chat.completion.chunk"), "error": sample["error"], "choices": sample["choices"]})


def keepalives(seconds: float) -> Iterator[str]:
    """`: OPENROUTER PROCESSING` comments spread over `seconds` (about one a second, at least one)."""
    count = max(1, math.ceil(seconds))
    for _ in range(count):
        yield KEEPALIVE
        time.sleep(seconds / count)
