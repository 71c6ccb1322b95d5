"""OpenRouter's model catalogue, providers, key limits and call costs, as data and Japanese tables.

Every call goes through a plain `openai.OpenAI` client (`client.get(...)`), so replay (vcrpy) and live
mode work the same. Prices arrive as strings in USD per token; the course shows USD per 1M tokens.
A server that leaves optional fields out gets "unknown" or a dash (text.CATALOG) in the results, never a KeyError.

Modules, lowest first: client (the openai client), pricing, models (the catalogue), providers, costs,
account (/key, /generation), tables. The notebooks use the names below as `catalog.X`.
"""
from __future__ import annotations

from .account import Fields, KeyInfo, generation, key_info
from .client import get_data, openrouter_client
from .costs import estimate_cost, usd_to_jpy
from .models import (
    ModelRow,
    clear_cache,
    context_length,
    get_model,
    known_model_ids,
    list_models,
    maker_of,
    makers_count,
    models_table,
    recorded_catalogue,
)
from .pricing import PER_MILLION, is_free, price_per_million
from .providers import EndpointRow, endpoints
from .tables import Table, show_endpoints, show_key_info, show_models

__all__ = [
    "PER_MILLION", "EndpointRow", "Fields", "KeyInfo", "ModelRow", "Table", "clear_cache", "context_length",
    "endpoints", "estimate_cost", "generation", "get_data", "get_model", "is_free", "key_info", "known_model_ids",
    "list_models", "maker_of", "makers_count", "models_table", "openrouter_client", "price_per_million",
    "recorded_catalogue", "show_endpoints", "show_key_info", "show_models", "usd_to_jpy",
]
