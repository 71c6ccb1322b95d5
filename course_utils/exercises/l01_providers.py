"""Lesson 01 exercises: models per maker in the catalogue, and one open model's provider prices."""
from __future__ import annotations

import math

from .. import catalog
from ..model_ids import MODELS
from . import Exercise, register

# The maker whose models exercise 01-1 counts.
MAKER = "anthropic"
# How close a price ratio must be (learners may round to one decimal place).
RATIO_TOLERANCE = 0.05

# Learner-facing text.
TEXT = {
    "empty": "answer がまだ None のままです。「ここだけ書き換えてください」の行に、答えを求める式を書いてください。",
    "not_int": "モデルの数は整数（例: 7）で答えてください。"
               "文字列やリストではなく、len(...) や辞書から取り出した数です。",
    "all_models": "それはカタログ全体のモデル数です。開発元が \"{maker}\" のモデルだけを数えてください。",
    "makers": "それは開発元の数（makers_count の長さ）です。\"{maker}\" のモデル数を取り出してください。",
    "count_other": "数が違います。dict(counts)[\"{maker}\"] で、\"{maker}\" のモデル数を取り出せます。",
    "not_number": "比は数（例: 2.5）で答えてください。高い方の入力料金 ÷ 安い方の入力料金です。",
    "reversed": "1 より小さくなっています。割る順番が逆です（いちばん高い入力料金 ÷ いちばん安い入力料金）。",
    "output": "それは出力（output_per_m）の料金の比です。入力（input_per_m）の料金で比べてください。",
    "price": "それは料金そのものです。いちばん高い入力料金を、いちばん安い入力料金で割った「何倍か」を答えてください。",
    "ratio_other": "値が違います。rows の各行の input_per_m から max(...) と min(...) を求め、割り算してください。",
}


def _maker_count(answer: object) -> str | None:
    if answer is None:
        return TEXT["empty"]
    if isinstance(answer, bool) or not isinstance(answer, int):
        return TEXT["not_int"]
    models = catalog.list_models()
    counts = catalog.makers_count(models)
    if answer == dict(counts).get(MAKER, 0):
        return None
    if answer == len(models):
        return TEXT["all_models"].format(maker=MAKER)
    if answer == len(counts):
        return TEXT["makers"].format(maker=MAKER)
    return TEXT["count_other"].format(maker=MAKER)


def _ratio(prices: list[float | None]) -> float | None:
    known = [p for p in prices if p is not None]
    if not known or min(known) <= 0:
        return None
    return max(known) / min(known)


def _close(value: float, target: float | None) -> bool:
    return target is not None and math.isclose(value, target, rel_tol=0.01, abs_tol=RATIO_TOLERANCE)


def _price_ratio(answer: object) -> str | None:
    if answer is None:
        return TEXT["empty"]
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return TEXT["not_number"]
    rows = catalog.endpoints(MODELS.open_model)
    inputs = [r.input_per_m for r in rows]
    ratio = _ratio(inputs)
    if _close(answer, ratio):
        return None
    if ratio and answer > 0 and _close(1 / answer, ratio):
        return TEXT["reversed"]
    if _close(answer, _ratio([r.output_per_m for r in rows])):
        return TEXT["output"]
    if any(math.isclose(answer, p, rel_tol=1e-6) for p in inputs if p is not None):
        return TEXT["price"]
    if 0 < answer < 1:
        return TEXT["reversed"]
    return TEXT["ratio_other"]


register(Exercise(
    id="01-1",
    title=f"開発元 \"{MAKER}\" のモデルは何個？",
    judge=_maker_count,
    hint=TEXT["count_other"].format(maker=MAKER),
    praise="モデルIDの「/」の前が開発元です。ライブモードでは今日の全モデルで数え直せます。",
    solution=f'''
counts = catalog.makers_count(models)   # (開発元, モデル数) の組のリスト。多い順に並んでいます
answer = dict(counts)["{MAKER}"]
# 別解: answer = len(catalog.models_table(models, maker="{MAKER}"))
''',
))

register(Exercise(
    id="01-2",
    title="同じモデルの入力料金は、プロバイダーによって最大何倍違う？",
    judge=_price_ratio,
    hint=TEXT["ratio_other"],
    praise="同じモデルでも、どのプロバイダーが動かすかで料金がこれだけ変わります。",
    solution='''
prices = [r.input_per_m for r in rows if r.input_per_m is not None]
answer = max(prices) / min(prices)
''',
))
