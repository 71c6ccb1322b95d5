"""Lesson 02 exercise: read today's remaining free-model requests from GET /key."""
from __future__ import annotations

from .. import catalog
from . import Exercise, register

# Learner-facing text.
TEXT = {
    "empty": "answer がまだ None のままです。「ここだけ書き換えてください」の行に、"
             "info から残り回数を取り出す式を書いてください。",
    "not_int": "回数は整数（例: 12）で答えてください。info.free_model_daily_requests は辞書なので、"
               "[\"キー名\"] で値を取り出します。",
    "used": "それは今日すでに使った回数（\"used\"）です。残りの回数は別のキーに入っています。",
    "limit": "それは1日の上限（\"limit\"）です。上限から使った回数を引いた「残り」を答えてください。",
    "other": "値が違います。info.free_model_daily_requests の中身を print して、どのキーが「残り」か確かめてください。",
    "no_counter": "このキーの情報には free_model_daily_requests がありません。ライブモードなら、"
                  "もう一度 catalog.key_info() を実行してから試してください。",
}


def _remaining(answer: object) -> str | None:
    if answer is None:
        return TEXT["empty"]
    if isinstance(answer, bool) or not isinstance(answer, int):
        return TEXT["not_int"]
    daily = catalog.key_info().free_model_daily_requests
    if not daily:
        return TEXT["no_counter"]
    if answer == daily.get("remaining"):
        return None
    if answer == daily.get("used"):
        return TEXT["used"]
    if answer == daily.get("limit"):
        return TEXT["limit"]
    return TEXT["other"]


register(Exercise(
    id="02-1",
    title="無料モデルを今日あと何回呼べる？",
    judge=_remaining,
    hint=TEXT["other"],
    praise="この回数は、アカウント全体で共有される1日の残りです（キーを増やしても増えません）。",
    solution='''
answer = info.free_model_daily_requests["remaining"]
''',
))
