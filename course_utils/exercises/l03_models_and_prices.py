"""Lesson 03 (models and prices): the cost of one call by hand, and the cheapest paid long-context model.

Expected answers come from the same catalogue the lesson reads (`course_utils.catalog`), never literals.
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from ..catalog import estimate_cost, get_model, list_models, models_table
from ..model_ids import MODELS
from . import Exercise, register

INPUT_TOKENS = 1_000
OUTPUT_TOKENS = 500
MIN_CONTEXT = 1_000_000

# Learner-facing text.
TEXT = {
    "cost_title": "有料モデルで入力1,000トークン＋出力500トークンの料金（ドル）",
    "cost_hint": "pricing[\"prompt\"] と pricing[\"completion\"] は1トークンあたりのドル（文字列）です。"
                 "float() で数に直し、入力はトークン数 1,000 を、出力は 500 を掛けて足してください。",
    "cost_not_number": "answer には料金を数（ドル）で入れてください。"
                       "pricing の値は文字列なので、float() で数に直してから計算します。",
    "cost_zero": "answer が 0 のままです。有料モデル（paid_model）の pricing の値を使って、料金の式を書いてください。",
    "cost_per_million": "100万倍の値になっています。pricing の値はすでに「1トークンあたり」のドルなので、"
                        "1,000,000 を掛ける必要はありません（$/1M の値を使うなら、"
                        "トークン数を 1,000,000 で割ります）。",
    "cost_one_side": "入力か出力の片方だけになっています。入力の料金と出力の料金の両方を足してください。",
    "cost_swapped": "入力と出力が入れ替わっています。入力（prompt）"
                    "は1,000トークン、出力（completion）は500トークンです。",
    "cost_praise": "pricing の文字列から1回分の料金を計算できました。estimate_cost() も同じ計算をしています。",
    "cost_solution": """
pricing = course_utils.catalog.get_model(paid_model)["pricing"]
answer = float(pricing["prompt"]) * 1000 + float(pricing["completion"]) * 500
course_utils.exercises.check("03-1", answer)

# 同じ計算をする補助関数: course_utils.catalog.estimate_cost(paid_model, 1000, 500)
""",
    "cheap_title": "コンテキスト長が100万トークン以上の有料モデルで、入力料金がいちばん安いもの",
    "cheap_hint": "models_table(models, min_context=1_000_000, sort=\"price\") で絞り込み、"
                  "無料モデル（r.free が True の行）を除いた最初の行の id が答えです。",
    "cheap_not_id": "answer にはモデルIDを文字列で入れてください（例: \"google/gemma-3-27b-it\"）。",
    "cheap_unknown": "{answer!r} はカタログにないIDです。表の「モデルID」の列からコピーしてください。",
    "cheap_free": "{answer!r} は無料モデルです。この演習では有料モデルの中から選んでください（r.free が False の行）。",
    "cheap_short": "{answer!r} のコンテキスト長は {context:,} トークンで、100万に届きません。"
                   "min_context=1_000_000 で絞り込んでください。",
    "cheap_not_cheapest": "{answer!r} は条件に合いますが、もっと安いモデルがあります。"
                          "sort=\"price\" で並べた最初の有料モデルを選んでください。",
    "cheap_praise": "条件で絞り込んで並べ替えれば、カタログが変わっても同じ方法で選べます。",
    "cheap_solution": """
rows = course_utils.catalog.models_table(models, min_context=1_000_000, sort="price")
paid_rows = [r for r in rows if not r.free]
answer = paid_rows[0].id
course_utils.exercises.check("03-2", answer)
""",
}


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-15)


def judge_cost(answer: Any) -> str | None:
    """Right when `answer` is the USD cost of INPUT_TOKENS + OUTPUT_TOKENS on the course's paid model."""
    if isinstance(answer, bool) or not isinstance(answer, (int, float, Decimal)):
        return TEXT["cost_not_number"]
    value = float(answer)
    expected = estimate_cost(MODELS.paid, INPUT_TOKENS, OUTPUT_TOKENS)
    if _close(value, expected):
        return None
    if value == 0:
        return TEXT["cost_zero"]
    pricing = get_model(MODELS.paid)["pricing"]
    prompt, completion = float(pricing["prompt"]), float(pricing["completion"])
    if _close(value, expected * 1_000_000):
        return TEXT["cost_per_million"]
    if _close(value, prompt * INPUT_TOKENS) or _close(value, completion * OUTPUT_TOKENS):
        return TEXT["cost_one_side"]
    if _close(value, prompt * OUTPUT_TOKENS + completion * INPUT_TOKENS):
        return TEXT["cost_swapped"]
    return TEXT["cost_hint"]


def cheapest_long_context_paid() -> str:
    """The id of the paid model with context >= MIN_CONTEXT and the lowest price (input, then output)."""
    rows = models_table(list_models(), min_context=MIN_CONTEXT, sort="price")
    return next(r.id for r in rows if not r.free and r.input_per_m is not None)


def judge_cheapest(answer: Any) -> str | None:
    """Right when `answer` (an id, or a table row) is the cheapest paid model with a 1M-token context."""
    answer = getattr(answer, "id", answer)
    if not isinstance(answer, str) or not answer.strip():
        return TEXT["cheap_not_id"]
    answer = answer.strip()
    if answer == cheapest_long_context_paid():
        return None
    row = next(iter(models_table(m for m in list_models() if m.get("id") == answer)), None)
    if row is None:
        return TEXT["cheap_unknown"].format(answer=answer)
    if row.free:
        return TEXT["cheap_free"].format(answer=answer)
    if (row.context_length or 0) < MIN_CONTEXT:
        return TEXT["cheap_short"].format(answer=answer, context=row.context_length or 0)
    return TEXT["cheap_not_cheapest"].format(answer=answer)


register(Exercise(id="03-1", title=TEXT["cost_title"], judge=judge_cost, hint=TEXT["cost_hint"],
                  solution=TEXT["cost_solution"], praise=TEXT["cost_praise"]))
register(Exercise(id="03-2", title=TEXT["cheap_title"], judge=judge_cheapest, hint=TEXT["cheap_hint"],
                  solution=TEXT["cheap_solution"], praise=TEXT["cheap_praise"]))
