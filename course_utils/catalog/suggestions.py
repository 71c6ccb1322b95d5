"""Model ids to suggest when a model id is wrong or no longer served, from the offline catalogue.

Used by the error explanations and the exercises. Every function here answers from what is at hand and never
fails: an explanation must not break because the catalogue cannot be read (a missing hint is acceptable).
"""
from __future__ import annotations

import difflib
from typing import Any

from ..text import ERROR_FRAGMENTS

MAX_SUGGESTIONS = 3


def _catalogue(name: str, *args: Any) -> Any:
    """course_utils.catalog.<name>(*args), looked up at call time; None if the catalogue is missing or fails."""
    try:
        from .. import catalog  # the package this module belongs to (already imported when this runs)

        return getattr(catalog, name)(*args)
    except Exception:  # the explainer must never fail itself
        return None


def known_ids() -> list[str]:
    """Every model id the offline catalogue lists (empty if it cannot be read)."""
    return list(_catalogue("known_model_ids") or [])


def context_length_of(model: str) -> int | None:
    """The catalogue's context length of `model`, or None when unknown."""
    length = _catalogue("context_length", model)
    return length if isinstance(length, int) and length > 0 else None


def suggest_models(model: str) -> list[str]:
    """Up to three catalogue ids close to `model` (empty if the catalogue is unavailable)."""
    by_lower = {i.lower(): i for i in known_ids()}
    close = difflib.get_close_matches(model.lower(), by_lower, n=MAX_SUGGESTIONS, cutoff=0.6)
    return [by_lower[c] for c in close]


def close_ids_hint(model: str) -> str:
    """ "Close ids: …" for a next step, or "" when the catalogue has nothing close."""
    close = suggest_models(model)
    return ERROR_FRAGMENTS["suggestions"].format(ids=", ".join(close)) if close else ""


def fallback_hint(fallback_models: list[str]) -> str:
    """ "OpenRouter suggests: …" from an availability error's `fallback_models`, or "" when it names none."""
    ids = [m for m in fallback_models if isinstance(m, str) and m][:MAX_SUGGESTIONS]
    return ERROR_FRAGMENTS["fallbacks"].format(ids=", ".join(ids)) if ids else ""


def paid_only(model: str | None) -> bool:
    """Whether the catalogue lists `model` without its `:free` variant (False if no catalogue is at hand)."""
    if not model or not model.endswith(":free"):
        return False
    ids = set(known_ids())
    return model not in ids and model.removesuffix(":free") in ids
