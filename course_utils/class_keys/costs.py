"""The dry run's cost arithmetic: students × the lessons' recorded calls × the class's model prices.

Calls and tokens come from the recordings (`course_utils/recordings/*.yaml`: one chat request per
interaction, its tokens from the recorded `usage`; a recorded error costs nothing). Each recorded model is
priced as the class profile's model of the same role (the "free" roles become the class's paid models),
at the catalogue's price per token (GET /models, public; the recorded catalogue when it cannot be reached).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx2
import yaml

from .. import text
from ..config import CATALOGUE_DATE, PACKAGE_DIR, base_url
from ..model_ids import CLASS_PROFILE, DEFAULT_PROFILE, load_models

T = text.CLASS_KEYS
RECORDINGS = PACKAGE_DIR / "recordings"  # the shipped recordings, whatever COURSE_RECORDINGS_DIR says
Prices = dict[str, tuple[Decimal, Decimal]]


@dataclass(frozen=True)
class RecordedCall:
    """One recorded chat request: its lesson, model and billed tokens (0 and 0 for a recorded error)."""

    lesson: str
    model: str
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class LessonCost:
    """One lesson's calls, tokens and cost for one student under the class's models."""

    lesson: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    usd: Decimal


def _usage(body: str) -> dict | None:
    """The `usage` of a JSON body or of a stream's last usage chunk, or None (an error)."""
    try:
        return json.loads(body).get("usage")
    except ValueError:
        pass
    for line in reversed(body.splitlines()):
        if line.startswith("data: {"):
            chunk = json.loads(line[len("data: "):])
            if chunk.get("usage"):
                return chunk["usage"]
    return None


def _interactions(path: Path) -> list[dict]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("interactions") or []


def recorded_calls(folder: Path = RECORDINGS) -> list[RecordedCall]:
    """Every chat request of the recordings, lesson by lesson (file name order)."""
    calls = []
    for path in sorted(folder.glob("*.yaml")):
        for item in _interactions(path):
            if not item["request"]["uri"].endswith("/chat/completions"):
                continue
            model = json.loads(item["request"]["body"]).get("model", "")
            usage = _usage(item["response"]["body"]["string"]) if item["response"]["status"]["code"] == 200 else None
            usage = usage or {}
            calls.append(RecordedCall(path.stem, model, usage.get("prompt_tokens", 0),
                                      usage.get("completion_tokens", 0)))
    return calls


def catalogue(folder: Path = RECORDINGS) -> tuple[list[dict], str]:
    """The model catalogue and where it came from: GET /models now, else the recordings' copy."""
    try:
        response = httpx2.get(f"{base_url()}/models", timeout=30.0)
        response.raise_for_status()
        return response.json()["data"], T["prices_live"]
    except (httpx2.HTTPError, ValueError, KeyError):
        pass
    for path in sorted(folder.glob("*.yaml")):
        for item in _interactions(path):
            if item["request"]["uri"].endswith("/models"):
                return json.loads(item["response"]["body"]["string"])["data"], \
                    T["prices_recorded"].format(date=CATALOGUE_DATE)
    return [], T["prices_none"]


def prices(models: list[dict]) -> Prices:
    """Model id -> (USD per prompt token, USD per completion token); models without fixed prices are left out."""
    table = {}
    for model in models:
        try:
            table[model["id"]] = (Decimal(model["pricing"]["prompt"]), Decimal(model["pricing"]["completion"]))
        except (KeyError, ArithmeticError, TypeError):
            continue
    return {model_id: pair for model_id, pair in table.items() if min(pair) >= 0}


def class_model(model_id: str) -> str:
    """The class profile's model of the role `model_id` plays by default (itself when it plays none)."""
    default, chosen = load_models(DEFAULT_PROFILE).as_dict(), load_models(CLASS_PROFILE).as_dict()
    role = next((r for r, m in default.items() if m == model_id), None)
    return chosen[role] if role else model_id


def lesson_costs(calls: list[RecordedCall], table: Prices) -> list[LessonCost]:
    """Per lesson: calls, tokens and one student's cost under the class's models (unpriced models cost 0)."""
    lessons: dict[str, list[RecordedCall]] = {}
    for call in calls:
        lessons.setdefault(call.lesson, []).append(call)
    rows = []
    for lesson, items in lessons.items():
        usd = Decimal(0)
        for call in items:
            prompt, completion = table.get(class_model(call.model), (Decimal(0), Decimal(0)))
            usd += prompt * call.prompt_tokens + completion * call.completion_tokens
        rows.append(LessonCost(lesson, len(items), sum(c.prompt_tokens for c in items),
                               sum(c.completion_tokens for c in items), usd))
    return rows


def usd(amount: Decimal | float) -> str:
    """`$0.0123`: four decimals below a dollar (lesson costs are fractions of a cent), else two."""
    amount = Decimal(str(amount))
    return f"${amount:,.4f}" if abs(amount) < 1 else f"${amount:,.2f}"


def arithmetic(rows: list[LessonCost], students: int, limit: float, reset: str | None, source: str) -> list[str]:
    """The Japanese lines of the dry run's cost arithmetic."""
    free = load_models(CLASS_PROFILE).free
    lines = [T["cost_title"].format(source=source, free=free)]
    lines.append(T["cost_header"])
    for row in rows:
        lines.append(T["cost_row"].format(lesson=row.lesson, calls=row.calls, prompt=row.prompt_tokens,
                                          completion=row.completion_tokens, one=usd(row.usd),
                                          all=usd(row.usd * students), students=students))
    per_student = sum((row.usd for row in rows), Decimal(0))
    calls = sum(row.calls for row in rows)
    lines.append(T["cost_total"].format(calls=calls, one=usd(per_student), all=usd(per_student * students),
                                        students=students))
    lines.append(T["cost_formula"].format(students=students, calls=calls, one=usd(per_student),
                                          all=usd(per_student * students)))
    period = T["reset_words"].get(reset or "", T["reset_words"][""])
    if per_student > 0:
        rounds = int(Decimal(str(limit)) / per_student)
        lines.append(T["cost_vs_limit"].format(limit=usd(limit), period=period, one=usd(per_student), rounds=rounds))
    lines.append(T["cost_cap"].format(students=students, limit=usd(limit), cap=usd(Decimal(str(limit)) * students),
                                      period=period))
    return lines
