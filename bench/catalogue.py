"""Filtering the real 414-model catalogue (OpenRouter GET /models, 2026-08-19) with `catalog.models_table`."""
from __future__ import annotations

import json

from common import DATA, Result, median_ms, timed

from course_utils.catalog import models_table

GOAL_MS = 20.0
SNAPSHOT = DATA / "models-full-2026-08-19.json"
# What the model picker and the lessons ask for.
FILTERS = {
    "all, by price": {},
    "free only": {"free_only": True},
    "maker google, by context": {"maker": "google", "sort": "context"},
    "search 'llama'": {"search": "llama"},
    "≤ $1/1M input, ≥ 128K context, by name": {"max_price": 1.0, "min_context": 128_000, "sort": "name"},
}


def run(repeat: int) -> tuple[list[Result], list[str]]:
    models = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["data"]
    timings = {label: median_ms(timed(lambda kw=kw: models_table(models, **kw), repeat))
               for label, kw in FILTERS.items()}
    slowest = max(timings, key=timings.get)
    notes = [f"- {label}: {ms:.2f} ms ({len(models_table(models, **FILTERS[label]))} rows)"
             for label, ms in timings.items()]
    return [Result(f"`catalog.models_table` over {len(models)} models (slowest filter: {slowest})",
                   timings[slowest], GOAL_MS, "ms", f"median of {repeat} per filter")], notes
