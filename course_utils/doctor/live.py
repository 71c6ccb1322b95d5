"""The live half of `doctor`: OpenRouter reachable, the key valid (limits, remaining credit), every course model
still listed and, for the free roles, still free; for a model that has gone, replacements from the live
catalogue. Never prints the key.
"""
from __future__ import annotations

import re
from typing import Any

from .. import catalog, config
from ..model_ids import MODELS
from ..text import DOCTOR
from .report import RETIRED_ROLE, Finding, course_models, info, ok, problem

# Roles whose model must cost nothing.
FREE_ROLES = ("free", "small_free", "large_free")
TIMEOUT_SECONDS = 10.0  # per request, one retry: the live check stays well under a minute
SUGGESTIONS = 3
# Models that classify or embed text rather than answer it (content-safety checkers, guards, embeddings).
_NOT_FOR_CHAT = re.compile(r"guard|safety|moderation|embed|rerank", re.IGNORECASE)


def _client(key: str):
    from openai import OpenAI

    return OpenAI(base_url=config.base_url(), api_key=key, timeout=TIMEOUT_SECONDS, max_retries=1)


def _data(client, path: str) -> Any:
    body = client.get(path, cast_to=object)
    return body.get("data") if isinstance(body, dict) else body


def _money(value: float | None) -> str:
    return DOCTOR["unknown"] if value is None else f"{value:,.4f}".rstrip("0").rstrip(".")


def check_key(client) -> list[Finding]:
    """GET /key: valid or not; limits, remaining credit and the free-model daily counter. Never the label."""
    import openai

    try:
        data = _data(client, "/key") or {}
    except openai.AuthenticationError as exc:
        return [problem("key_invalid", status=exc.status_code)]
    except openai.OpenAIError as exc:
        return [problem("key_error", error=type(exc).__name__)]
    limit = data.get("limit")
    findings = [
        ok("key_valid"),
        info("limit", limit=DOCTOR["unlimited"] if limit is None else f"${_money(limit)}",
              remaining=DOCTOR["unlimited"] if data.get("limit_remaining") is None
              else f"${_money(data['limit_remaining'])}", reset=data.get("limit_reset") or DOCTOR["unlimited"]),
        info("usage", usage=_money(data.get("usage")), daily=_money(data.get("usage_daily"))),
    ]
    daily = data.get("free_model_daily_requests")
    if isinstance(daily, dict):
        findings.append(info("free_requests", **{k: daily.get(k, DOCTOR["unknown"])
                                                  for k in ("used", "limit", "remaining")}))
    if data.get("is_free_tier"):
        findings.append(info("free_tier"))
    return findings


def costs_nothing(model: dict) -> bool:
    """Whether a catalogue entry charges nothing for input and output."""
    # Price, not the `:free` suffix: a free variant that starts charging keeps its id.
    pricing = model.get("pricing") or {}
    return catalog.price_per_million(pricing.get("prompt")) == 0 \
        and catalog.price_per_million(pricing.get("completion")) == 0


def _chat_model(model: dict) -> bool:
    # Text in, text out, not a router (openrouter/…) and not a classifier: something a lesson can chat with.
    architecture = model.get("architecture") or {}
    text_only_out = architecture.get("output_modalities", ["text"]) == ["text"]
    text_in = "text" in architecture.get("input_modalities", ["text"])
    return (catalog.maker_of(model["id"]) != "openrouter" and text_only_out and text_in
            and not _NOT_FOR_CHAT.search(model["id"]))


def suggest_replacements(model_id: str, models: list[dict]) -> list[str]:
    """Free models from the live catalogue: same maker first, closest context length to the one replaced."""
    entry = next((m for m in models if m["id"] == model_id), None)
    target = (entry or {}).get("context_length") or catalog.context_length(model_id) or 0
    candidates = [m for m in models if m["id"] != model_id and costs_nothing(m) and _chat_model(m)]

    def closest(pool: list[dict]) -> list[str]:
        rows = catalog.models_table(pool, sort="id")
        return [r.id for r in sorted(rows, key=lambda r: abs((r.context_length or 0) - target))][:SUGGESTIONS]

    maker = catalog.maker_of(model_id)
    return closest([m for m in candidates if catalog.maker_of(m["id"]) == maker]) or closest(candidates)


def _replacement_lines(role: str, model_id: str, models: list[dict]) -> tuple[str, ...]:
    ids = suggest_replacements(model_id, models)
    same_maker = bool(ids) and catalog.maker_of(ids[0]) == catalog.maker_of(model_id)
    line = (DOCTOR["suggest"] if same_maker else DOCTOR["suggest_other"]).format(ids=", ".join(ids)) if ids \
        else DOCTOR["suggest_none"]
    return line, DOCTOR["fix_model"].format(role=role)


def check_models(models: list[dict]) -> list[Finding]:
    """Every course model still listed; free roles still free; the document's model reported as retired."""
    by_id = {m["id"]: m for m in models}
    findings = []
    for role, model_id in course_models().items():
        entry = by_id.get(model_id)
        if entry is None:
            findings.append(problem("model_gone", *_replacement_lines(role, model_id, models),
                                     role=role, model=model_id))
        elif role in FREE_ROLES and not costs_nothing(entry):
            row = catalog.models_table([entry])[0]
            findings.append(problem("model_not_free", *_replacement_lines(role, model_id, models),
                                     role=role, model=model_id, input=_money(row.input_per_m),
                                     output=_money(row.output_per_m)))
        else:
            context = f"{entry.get('context_length') or 0:,}"
            findings.append(ok("model_ok_free" if role in FREE_ROLES else "model_ok",
                                role=role, model=model_id, context=context))
    back = MODELS.document in by_id
    findings.append(info("document_back" if back else "document_retired", role=RETIRED_ROLE,
                          model=MODELS.document))
    return findings


def live_checks(key: str) -> list[Finding]:
    """Reachability (GET /models), the key (GET /key) and the course models against the live catalogue."""
    import openai

    client = _client(key)
    try:
        models = list(_data(client, "/models") or [])
    except openai.OpenAIError as exc:
        return [problem("unreachable", url=config.base_url(), error=type(exc).__name__)]
    return [ok("reachable", count=len(models)), *check_key(client), *check_models(models)]
