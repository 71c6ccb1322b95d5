"""What came back for one prompt-sender request, gathered chunk by chunk, and its one-line summary."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..text import WIDGETS as TEXT
from .formatting import count, money, usage_value


@dataclass
class Reply:
    """What came back for one request, gathered chunk by chunk."""

    started: float
    text: str = ""
    finish: str | None = None
    provider: str | None = None
    usage: Any = None
    first_seconds: float | None = None
    seconds: float = 0.0
    thinking: bool = False
    images: list[str] = field(default_factory=list)  # data URLs of generated images (message.images)

    def add(self, part: Any) -> str:
        """Take one streamed chunk (or a whole response); return its new answer text."""
        choice = part.choices[0] if part.choices else None
        message = getattr(choice, "delta", None) or getattr(choice, "message", None)
        new = getattr(message, "content", None) or ""
        if new and self.first_seconds is None:
            self.first_seconds = time.perf_counter() - self.started
        self.text += new
        self.images += [url for url in map(image_url, getattr(message, "images", None) or []) if url]
        self.thinking = bool(getattr(message, "reasoning", None)) and not self.text
        self.finish = getattr(choice, "finish_reason", None) or self.finish
        self.provider = getattr(part, "provider", None) or self.provider
        self.usage = part.usage or self.usage
        return new

    def usage_line(self, replayed: bool = False) -> str:
        """Tokens, finish reason, provider, latency and cost in one line (a replayed latency said to be one)."""
        finish = TEXT["finish"].get(self.finish or "", self.finish or TEXT["unknown"])
        latency = TEXT["latency_replayed" if replayed else "latency"].format(
            total=self.seconds, first=self.first_seconds or self.seconds)
        return TEXT["usage"].format(
            prompt=count(self.usage, "prompt_tokens"), completion=count(self.usage, "completion_tokens"),
            total=count(self.usage, "total_tokens"),
            finish=finish, provider=self.provider or TEXT["unknown"], latency=latency,
            cost=money(usage_value(self.usage, "cost"))) + self._image_tokens()

    def _image_tokens(self) -> str:
        """「画像トークン n」 when the answer made images (they are billed at their own price)."""
        details = usage_value(self.usage, "completion_tokens_details")
        n = getattr(details, "image_tokens", None) if details is not None else None
        return TEXT["image_tokens"].format(n=n) if isinstance(n, int) and n > 0 else ""


def image_url(item: Any) -> str | None:
    """The data URL of one `message.images` entry (a dict from openai's extra fields, or an object)."""
    part = item.get("image_url") if isinstance(item, dict) else getattr(item, "image_url", None)
    url = part.get("url") if isinstance(part, dict) else getattr(part, "url", None)
    # only inline images are shown: a remote URL would be fetched by the learner's browser
    return url if isinstance(url, str) and url.startswith("data:image/") else None
