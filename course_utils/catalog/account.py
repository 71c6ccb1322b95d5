"""The key's spending and limits (GET /key) and one finished call's record (GET /generation)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..text import CATALOG, KEY_FIELDS
from .client import get_data

# The fields GET /generation documents as always present (OpenAPI `GenerationResponse.data.required`), so the
# lessons read them by name: a server that leaves one out gives CATALOG["unknown"] instead of a KeyError.
GENERATION_FIELDS = frozenset((
    "id", "upstream_id", "total_cost", "cache_discount", "upstream_inference_cost", "created_at", "model", "app_id",
    "streamed", "cancelled", "provider_name", "latency", "moderation_latency", "generation_time", "finish_reason",
    "service_tier", "tokens_prompt", "tokens_completion", "native_tokens_prompt", "native_tokens_completion",
    "native_tokens_completion_images", "native_tokens_reasoning", "native_tokens_cached", "num_media_prompt",
    "num_input_audio_prompt", "num_media_completion", "num_search_results", "num_fetches", "web_search_engine",
    "origin", "usage", "is_byok", "native_finish_reason", "external_user", "api_type", "preset_id", "router",
    "provider_responses", "user_agent", "http_referer", "data_region", "workspace_id"))
DAILY_FIELDS = frozenset(("used", "limit", "remaining"))  # of /key's free_model_daily_requests


class Fields(dict):
    """A response's JSON object in which a documented field the server left out reads as CATALOG["unknown"].

    Any other missing name still raises KeyError, so a misspelt field is not hidden.
    """

    def __init__(self, data: object, documented: frozenset[str]):
        super().__init__(data if isinstance(data, dict) else {})
        self.documented = documented

    def __missing__(self, name: str) -> str:
        if name in self.documented:
            return CATALOG["unknown"]
        raise KeyError(name)


@dataclass(frozen=True)
class KeyInfo:
    """What GET /key says about the key's spending and limits. Holds no part of the key (`label` is dropped)."""

    usage: float | None
    usage_daily: float | None
    usage_monthly: float | None
    limit: float | None
    limit_remaining: float | None
    limit_reset: str | None
    is_free_tier: bool | None
    free_model_daily_requests: Fields  # used / limit / remaining; CATALOG["unknown"] for those the server left out
    expires_at: str | None
    present: tuple[str, ...] = field(default=(), repr=False)  # KEY_FIELDS the response had: the table lists only those


def key_info() -> KeyInfo:
    """GET /key: usage, limits and the free-model daily counter of the key in the environment."""
    data = get_data("/key")
    data = data if isinstance(data, dict) else {}
    return KeyInfo(
        usage=data.get("usage"), usage_daily=data.get("usage_daily"), usage_monthly=data.get("usage_monthly"),
        limit=data.get("limit"), limit_remaining=data.get("limit_remaining"),
        limit_reset=data.get("limit_reset"), is_free_tier=data.get("is_free_tier"),
        free_model_daily_requests=Fields(data.get("free_model_daily_requests"), DAILY_FIELDS),
        expires_at=data.get("expires_at"), present=tuple(name for name in KEY_FIELDS if name in data))


def generation(gen_id: str) -> Fields:
    """GET /generation?id=...: tokens, cost (USD) and provider of one finished call.

    Right after a call OpenRouter may still answer 404 (`openai.NotFoundError`); run it again a moment later.
    """
    return Fields(get_data("/generation", params={"id": gen_id}), GENERATION_FIELDS)
