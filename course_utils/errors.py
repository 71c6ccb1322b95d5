"""Temporary alias of the modules errors.py was split into (error_box, explanations, guards, catalog.suggestions),
kept until every import uses the new homes."""
from __future__ import annotations

from .catalog.suggestions import close_ids_hint, suggest_models
from .error_box import Explanation, explain, kindly, last_explanation, show, show_cell_error
from .guards import check_completion, check_prompt, estimate_tokens, finish_stream

__all__ = ["Explanation", "check_completion", "check_prompt", "close_ids_hint", "estimate_tokens", "explain",
           "finish_stream", "kindly", "last_explanation", "show", "show_cell_error", "suggest_models"]
