"""One served chat completion: tokens, cost and the bodies OpenRouter reports about it.

A `Generation` is built once per successful request; the JSON response, the SSE stream and the
`GET /generation` record are all views of it, so they always agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import tokens
from .answers import Answer
from .ids import alphanumeric, fraction, iso_timestamp, prefixed_id
from .wire import dumps

_ZERO_WORKSPACE = "00000000-0000-0000-0000-000000000000"
_DEFAULT_THROUGHPUT = 60  # tokens per second when an endpoint has no statistics
# `native_finish_reason` is the provider's own word. Google's (Gemini API `FinishReason`: a real
# Google AI Studio /generation record says "STOP") and Anthropic's (Messages API `stop_reason`) differ
# from OpenRouter's; the other providers are OpenAI-compatible and say `stop` / `length` themselves.
_GOOGLE_FINISH = {"stop": "STOP", "length": "MAX_TOKENS"}
_NATIVE_FINISH = {"Google AI Studio": _GOOGLE_FINISH, "Google Vertex": _GOOGLE_FINISH,
                  "Anthropic": {"stop": "end_turn", "length": "max_tokens"}}


@dataclass(frozen=True)
class Attempt:
    """One provider attempt of a request (failed fallbacks included), for `provider_responses`."""

    model: dict
    endpoint: dict
    status: int


@dataclass
class Generation:
    """Everything about one served completion."""

    id: str
    created: int
    model: dict
    endpoint: dict
    content: str
    reasoning: str | None
    finish_reason: str
    prompt_tokens: int
    reasoning_tokens: int
    content_tokens: int
    latency_ms: int
    streamed: bool
    request_headers: dict[str, str]
    session_id: str | None
    attempts: list[Attempt] = field(default_factory=list)
    tool_calls: list[dict] | None = None  # the assistant's `tool_calls` (then `content` is empty)
    images: list[str] | None = None  # data URLs of generated images, for `message.images`
    image_tokens: int = 0

    @property
    def completion_tokens(self) -> int:
        return self.reasoning_tokens + self.content_tokens + self.image_tokens

    @property
    def native_finish_reason(self) -> str:
        """The serving provider's raw finish reason."""
        return _NATIVE_FINISH.get(self.endpoint["provider_name"], {}).get(self.finish_reason, self.finish_reason)

    @property
    def cost(self) -> float | int:
        """USD, as `usage.cost` shows it."""
        return self._costs()[0]

    def _costs(self) -> tuple[float | int, float | int, float | int]:
        pricing = self.endpoint["pricing"]
        prompt = max(Decimal(0), Decimal(pricing["prompt"])) * self.prompt_tokens
        text_tokens = self.completion_tokens - self.image_tokens
        completion = max(Decimal(0), Decimal(pricing["completion"])) * text_tokens
        # Image models price generated image tokens apart (the catalogue's `image_output`, USD per token).
        completion += Decimal(pricing.get("image_output") or 0) * self.image_tokens
        return _number(prompt + completion), _number(prompt), _number(completion)

    def usage(self) -> dict:
        """The `usage` object of the 2026 captures."""
        total, prompt_cost, completion_cost = self._costs()
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "cost": total,
            "is_byok": False,
            "prompt_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0, "audio_tokens": 0,
                                      "video_tokens": 0},
            "cost_details": {"upstream_inference_cost": total, "upstream_inference_prompt_cost": prompt_cost,
                             "upstream_inference_completions_cost": completion_cost},
            "completion_tokens_details": {"reasoning_tokens": self.reasoning_tokens,
                                          "image_tokens": self.image_tokens,
                                          "audio_tokens": 0},
        }

    def message(self) -> dict:
        """The assistant message of the non-streaming body."""
        message = {"role": "assistant", "content": self.content, "refusal": None, "reasoning": self.reasoning}
        if self.reasoning:
            message["reasoning_details"] = [reasoning_detail(self.reasoning)]
        if self.tool_calls:
            message["tool_calls"] = self.tool_calls
        if self.images:
            message["images"] = [image_part(url, index) for index, url in enumerate(self.images)]
        return message

    def envelope(self, obj: str) -> dict:
        """The leading keys every completion body and chunk share."""
        return {"id": self.id, "object": obj, "created": self.created, "model": self.model["id"],
                "provider": self.endpoint["provider_name"]}

    def completion_body(self) -> dict:
        """The non-streaming `chat.completion` body (2026 key order)."""
        return {**self.envelope("chat.completion"), "system_fingerprint": None, "service_tier": None,
                "choices": [{"index": 0, "logprobs": None, "finish_reason": self.finish_reason,
                             "native_finish_reason": self.native_finish_reason, "message": self.message()}],
                "usage": self.usage()}

    def record(self) -> dict:
        """The `GET /generation` data (field order of the real capture)."""
        total = self.cost
        throughput = (self.endpoint["throughput_last_30m"] or {}).get("p50") or _DEFAULT_THROUGHPUT
        generation_ms = self.latency_ms + round(1000 * self.completion_tokens / throughput)
        permaslug = self.model["canonical_slug"]
        upstream_id = prefixed_id("chatcmpl", self.id.encode(), self.created)
        return {
            "created_at": iso_timestamp(self.created * 1000 + self.latency_ms % 1000),
            "model": permaslug, "app_id": None, "external_user": None,
            "streamed": self.streamed, "cancelled": False,
            "latency": self.latency_ms, "moderation_latency": None, "generation_time": generation_ms,
            "tokens_prompt": self.prompt_tokens, "tokens_completion": self.completion_tokens,
            "native_tokens_prompt": self.prompt_tokens, "native_tokens_completion": self.completion_tokens,
            "native_tokens_completion_images": None, "native_tokens_reasoning": self.reasoning_tokens,
            "native_tokens_cached": 0, "num_media_prompt": None, "num_input_audio_prompt": None,
            "num_media_completion": 0, "num_search_results": None, "num_fetches": None,
            "web_search_engine": None, "origin": "", "is_byok": False,
            "finish_reason": self.finish_reason, "native_finish_reason": self.native_finish_reason,
            "service_tier": None, "usage": total, "router": None,
            "user_agent": self.request_headers.get("User-Agent", ""),
            "http_referer": self.request_headers.get("Http-Referer"),
            "request_id": prefixed_id("req", self.id.encode(), self.created),
            "session_id": self.session_id, "preset_id": None, "api_type": "completions",
            "id": self.id, "upstream_id": upstream_id,
            "provider_responses": [_provider_response(a, upstream_id, self.latency_ms) for a in self.attempts],
            "total_cost": total, "cache_discount": None, "upstream_inference_cost": total,
            "provider_name": self.endpoint["provider_name"], "response_cache_source_id": None,
            "data_region": "global", "workspace_id": _ZERO_WORKSPACE,
        }


def image_part(url: str, index: int) -> dict:
    """One `message.images` item (OpenAPI `ChatAssistantImages`; OpenRouter's docs add `type` and `index`)."""
    return {"type": "image_url", "image_url": {"url": url}, "index": index}


def tool_call(call_id: str, name: str, arguments: dict) -> dict:
    """One `tool_calls` item; `arguments` is a JSON string, as in OpenAI's format."""
    return {"id": call_id, "type": "function", "index": 0,
            "function": {"name": name, "arguments": dumps(arguments)}}


def reasoning_detail(text: str) -> dict:
    """One `reasoning_details` item as real reasoning models send it."""
    return {"type": "reasoning.text", "text": text, "format": "unknown", "index": 0}


def generate(*, generation_id: str, model: dict, endpoint: dict, answer: Answer, texts: list[str],
             max_tokens: int | None, digest: bytes, created: int, streamed: bool, request_headers: dict[str, str],
             session_id: str | None, attempts: list[Attempt], call_tool: bool = False,
             with_image: bool = False) -> Generation:
    """Serve `answer` from `endpoint`: count tokens, apply `max_tokens` (reasoning spends it first).

    `call_tool`: answer with the entry's tool call instead of its text; `with_image`: add its image."""
    tokenizer = model["architecture"]["tokenizer"]
    reasoning, content = answer.reasoning or None, answer.text
    calls = None
    if call_tool and answer.tool_call:
        calls = [tool_call(f"call_{alphanumeric(digest, 'call', 24)}", answer.tool_call["name"],
                           answer.tool_call["arguments"])]
        content = calls[0]["function"]["arguments"]  # counted as output tokens, then not shown as text
    images = [f"data:image/png;base64,{answer.image}"] if with_image and answer.image else None
    reasoning_tokens = tokens.count_tokens(reasoning or "", tokenizer)
    content_tokens = tokens.count_tokens(content, tokenizer)
    finish_reason = "stop"
    if max_tokens is not None and reasoning_tokens + content_tokens > max_tokens:
        finish_reason = "length"
        if reasoning_tokens > max_tokens:
            reasoning = tokens.truncate(reasoning or "", tokenizer, max_tokens)
        reasoning_tokens = min(reasoning_tokens, max_tokens)
        content = tokens.truncate(content, tokenizer, max_tokens - reasoning_tokens)
        content_tokens = max_tokens - reasoning_tokens if content else 0
    if calls:
        content, finish_reason = "", "tool_calls"
    return Generation(
        id=generation_id, created=created, model=model, endpoint=endpoint,
        content=content, reasoning=reasoning, finish_reason=finish_reason,
        prompt_tokens=tokens.count_prompt_tokens(texts, tokenizer), reasoning_tokens=reasoning_tokens,
        content_tokens=content_tokens, latency_ms=250 + int(fraction(digest, "latency") * 900),
        streamed=streamed, request_headers=request_headers, session_id=session_id,
        attempts=[*attempts, Attempt(model, endpoint, 200)], tool_calls=calls, images=images,
        image_tokens=answer.image_tokens if images else 0)


def _number(amount: Decimal) -> float | int:
    """USD as JSON shows it: `0` for free, else a float such as `3.15e-05`."""
    return float(amount) if amount else 0


def _provider_response(attempt: Attempt, upstream_id: str, latency_ms: int) -> dict:
    return {"endpoint_id": _ZERO_WORKSPACE, "id": upstream_id if attempt.status == 200 else None,
            "is_byok": False, "latency": latency_ms, "model_permaslug": attempt.model["canonical_slug"],
            "provider_name": attempt.endpoint["provider_name"], "status": attempt.status}
