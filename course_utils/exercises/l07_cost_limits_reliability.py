"""Exercises of lesson 07 (cost, limits, reliability): a fallback list and a class budget.

Expected answers come from `course_models.toml` and the (recorded or live) catalogue prices.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Any

from .. import catalog
from ..model_ids import MODELS
from . import Exercise, register

# The class of exercise 07-2 (the notebook states the same values).
BUDGET = {"students": 30, "requests_each": 10, "prompt_tokens": 400, "completion_tokens": 600,
          "yen_per_usd": 150}

# Learner-facing text.
HINTS = {
    "fallback": "extra_body は {\"models\": [1番目のモデル, 2番目のモデル, ...]} という形の辞書です。",
    "not_dict": "extra_body は辞書（{ } で囲んだもの）で作ります。例: {\"models\": [...]}",
    "no_models": "キーの名前は \"models\"（複数形の s つき）です。",
    "not_list": "\"models\" の値は、モデルIDの文字列を [ ] で並べたリストにします。",
    "not_str": "リストの中身はモデルIDの文字列にします（例: course_utils.MODELS.free）。",
    "unknown": "{model!r} はカタログにないモデルIDです。course_utils.MODELS.～ の値を使いましょう。",
    "missing": "{role}のモデル（{model}）が入っていません。",
    "extra": "リストに入れるのは3つのモデルだけです。余分なモデルを消しましょう。",
    "order": "モデルは並べた順に試されます。無料の MODELS.free を先頭に、次に MODELS.small_free、"
             "最後に有料の MODELS.open_model の順に並べましょう。",
    "extra_keys": "この演習では \"models\" だけを入れます（{keys} は不要です）。",
    "budget": "1回あたりの費用（ドル）× 人数 × 回数 を計算してから、円に換算します。",
    "not_number": "答えは数（円）で入れてください。例: answer = 12.3",
    "in_dollars": "ドルのままになっています。"
                  "最後に course_utils.catalog.usd_to_jpy(ドル, yen_per_usd) で円にしましょう。",
    "one_request": "1回分の費用になっています。人数（students）と1人あたりの回数（requests_each）もかけましょう。",
    "one_student": "1人分になっています。人数（students）もかけましょう。",
    "prompt_only": "入力トークンの分だけになっています。"
                   "出力トークンの料金も足しましょう（estimate_cost が両方を計算します）。",
}


def _judge_fallback(answer: Any) -> str | None:
    expected = [MODELS.free, MODELS.small_free, MODELS.open_model]
    roles = {MODELS.free: "1番目（無料）", MODELS.small_free: "2番目（小さな無料モデル）",
             MODELS.open_model: "3番目（有料）"}
    if not isinstance(answer, dict):
        return HINTS["not_dict"]
    if "models" not in answer:
        return HINTS["no_models"]
    if set(answer) != {"models"}:
        return HINTS["extra_keys"].format(keys=", ".join(repr(k) for k in answer if k != "models"))
    models = answer["models"]
    if not isinstance(models, list):
        return HINTS["not_list"]
    if not all(isinstance(m, str) for m in models):
        return HINTS["not_str"]
    known = set(catalog.known_model_ids())
    unknown = next((m for m in models if known and m not in known), None)
    if unknown:
        return HINTS["unknown"].format(model=unknown)
    missing = next((m for m in expected if m not in models), None)
    if missing:
        return HINTS["missing"].format(role=roles[missing], model=missing)
    if len(models) != len(expected):
        return HINTS["extra"]
    if models != expected:
        return HINTS["order"]
    return None


def expected_budget_yen() -> float:
    """The class budget of exercise 07-2 in yen, from the catalogue price of MODELS.paid."""
    b = BUDGET
    per_request = catalog.estimate_cost(MODELS.paid, b["prompt_tokens"], b["completion_tokens"])
    return catalog.usd_to_jpy(per_request * b["students"] * b["requests_each"], b["yen_per_usd"])


def _close(value: float, target: float) -> bool:
    return math.isclose(value, target, rel_tol=0.01, abs_tol=0.005)


def _judge_budget(answer: Any) -> str | None:
    if isinstance(answer, bool) or not isinstance(answer, Real):
        return HINTS["not_number"]
    value, b = float(answer), BUDGET
    expected = expected_budget_yen()
    if _close(value, expected):
        return None
    requests = b["students"] * b["requests_each"]
    prompt_only = catalog.usd_to_jpy(catalog.estimate_cost(MODELS.paid, b["prompt_tokens"], 0) * requests,
                                     b["yen_per_usd"])
    for wrong, hint in ((expected / b["yen_per_usd"], "in_dollars"), (expected / requests, "one_request"),
                        (expected / b["students"], "one_student"), (prompt_only, "prompt_only")):
        if _close(value, wrong):
            return HINTS[hint]
    return HINTS["budget"]


register(Exercise(
    id="07-1",
    title="予備のモデルを並べた extra_body を作る",
    judge=_judge_fallback,
    hint=HINTS["fallback"],
    solution='''
extra_body = {
    "models": [
        course_utils.MODELS.free,        # まずは無料モデル
        course_utils.MODELS.small_free,  # 使えなければ小さな無料モデル
        course_utils.MODELS.open_model,  # それも使えなければ有料の Llama 3.3 70B（料金がかかります）
    ]
}
course_utils.exercises.check("07-1", extra_body)
''',
    praise="リクエストのたびに、この順番でモデルが試されます。"
           "応答の completion.model で、実際に答えたモデルを確かめましょう。"
           "3番目の有料モデルが答えたときは、その料金がかかります。",
))

register(Exercise(
    id="07-2",
    title="クラス全体の費用を見積もる",
    judge=_judge_budget,
    hint=HINTS["budget"],
    solution='''
per_request = course_utils.catalog.estimate_cost(course_utils.MODELS.paid, 400, 600)  # 1回あたり（ドル）
total_usd = per_request * students * requests_each                                       # クラス全体（ドル）
answer = course_utils.catalog.usd_to_jpy(total_usd, yen_per_usd)                         # 円に換算
course_utils.exercises.check("07-2", answer)
''',
    praise="人数や回数、モデルを変えて、授業の予算に収まるか確かめてみましょう。",
))


# Exercise 07-3: OpenRouter-only fields go in extra_body (checked offline; a direct keyword raises TypeError).
CALL_HINTS = {
    "model": "model には、この回の変数 model（有料の Llama 3.3 70B、course_utils.MODELS.open_model）を渡してください。",
    "no_sort": "いちばん安いプロバイダーから試すには、extra_body={\"provider\": {\"sort\": \"price\"}} を付けます。",
    "sort_value": "provider の \"sort\" は \"price\"（安い順）にします（いまは {value!r} です）。",
    "limit_missing": "答えの長さの上限がまだありません。max_tokens=200 を足してください"
                     "（max_tokens は OpenAI にもある項目です）。",
    "limit_wrong": "max_tokens は 200 にします（いまは {value!r} です）。",
}
CALL_LIMIT = 200


def judge_extra_body_call(ask: Any) -> str | None:
    """Right when ask(client) calls MODELS.open_model sorted by price (extra_body or :floor) with max_tokens=200."""
    from .calls import limit_problem, messages_problem, record_call

    call, problem = record_call(ask)
    if problem:
        return problem
    model = call.get("model")
    floor = isinstance(model, str) and model.endswith(":floor")
    if not isinstance(model, str) or model.removesuffix(":floor") != MODELS.open_model:
        return CALL_HINTS["model"]
    problem = messages_problem(call.get("messages"))
    if problem:
        return problem
    provider = call.get("provider")
    if not floor:
        if not isinstance(provider, dict) or "sort" not in provider:
            return CALL_HINTS["no_sort"]
        if provider["sort"] != "price":
            return CALL_HINTS["sort_value"].format(value=provider["sort"])
    return limit_problem(call, CALL_LIMIT, CALL_HINTS)


register(Exercise(
    id="07-3",
    title="OpenRouter だけの項目を extra_body で渡す",
    judge=judge_extra_body_call,
    hint="provider は OpenRouter だけの項目なので extra_body={...} の中に、max_tokens は OpenAI にもある項目なので"
         "そのまま create(...) に書きます。",
    solution='''
def ask(client):
    return client.chat.completions.create(
        model=model,
        messages=messages,
        max_tokens=200,                                # OpenAI にもある項目は、そのまま書きます
        extra_body={"provider": {"sort": "price"}},    # OpenRouter だけの項目は extra_body の中に
    )

course_utils.exercises.check("07-3", ask)

# 別解: model=model + ":floor" と書いても、"sort": "price" と同じ意味になります。
''',
    praise="OpenRouter だけの項目は extra_body に入れる、という書き分けができました。",
))
