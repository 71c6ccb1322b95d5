"""Lesson 04 exercises: point the plain `openai` client at OpenRouter, and read the token count.

The expected answers come from the course configuration and the (recorded or live) catalogue and
response, never from literals: the base URL from `config`, the model from the catalogue, the token
count from the learner's own completion object.
"""
from __future__ import annotations

from typing import Any

from .. import catalog, config
from ..catalog.suggestions import suggest_models
from . import Exercise, register
from .calls import limit_problem, messages_problem, record_call

# Learner-facing text.
HINTS = {
    "not_dict": '{"base_url": ..., "model": ...} の形の辞書を check に渡してください'
                '（セルの最後の行は書き換えなくて大丈夫です）。',
    "url_openai": "base_url が OpenAI のURLのままです。OpenRouter のエンドポイント（資料の「https://openrouter.ai/…」）に変えてください。",
    "url_other": "base_url は OpenRouter のエンドポイントです。資料のコードの base_url=... の行をよく見てください"
                 "（course_utils.BASE_URL と同じ値です）。",
    "url_path": "ドメインは合っています。URLの最後に「/api/v1」まで付いているか確かめてください。",
    "model_empty": "model にモデルIDを文字列で書いてください（例: 「開発元/モデル名:free」の形）。",
    "model_missing": "モデル「{model}」は今のカタログにありません。"
                     "{close}course_utils.catalog.get_model(...) で確かめられます。",
    "model_close": "近いIDの候補: {ids}。",
    "model_paid": "「{model}」はカタログにありますが有料モデルです。この演習では、"
                  "名前が「:free」で終わる無料モデルを指定してください。",
    "tokens_missing": "total_tokens にまだ値が入っていません。completion.usage の中を見てみましょう。",
    "tokens_not_number": "トークン数は整数です。文字列ではなく completion.usage.… の値そのものを入れてください。",
    "tokens_prompt": "それは入力（プロンプト）側のトークン数 prompt_tokens です。"
                     "入力と出力の合計を表す項目を探してください。",
    "tokens_completion": "それは出力（応答）側のトークン数 completion_tokens です。"
                         "入力と出力の合計を表す項目を探してください。",
    "tokens_wrong": "値が応答の usage と合いません。print(completion.usage) で中身を表示して、"
                    "合計の項目を探してください。",
    "no_completion": "check に渡す辞書の \"completion\" には、create(...) が返した応答オブジェクトを入れてください。",
}


def _same_url(a: str, b: str) -> bool:
    return a.strip().rstrip("/") == b.strip().rstrip("/")


def judge_client_settings(answer: Any) -> str | None:
    """Right when base_url is OpenRouter's (or the configured proxy's) and model is a free catalogue model."""
    if not isinstance(answer, dict):
        return HINTS["not_dict"]
    base_url = str(answer.get("base_url") or "")
    if not any(_same_url(base_url, ok) for ok in (config.DEFAULT_BASE_URL, config.base_url())):
        if "openai.com" in base_url:
            return HINTS["url_openai"]
        if "openrouter.ai" in base_url:
            return HINTS["url_path"]
        return HINTS["url_other"]
    model = answer.get("model")
    if not isinstance(model, str) or not model.strip():
        return HINTS["model_empty"]
    entry = catalog.get_model(model.strip())
    if entry is None:
        close = suggest_models(model.strip())
        return HINTS["model_missing"].format(
            model=model, close=HINTS["model_close"].format(ids=", ".join(close)) if close else "")
    if not catalog.is_free(entry):
        return HINTS["model_paid"].format(model=model)
    return None


def judge_total_tokens(answer: Any) -> str | None:
    """Right when total_tokens equals prompt + completion tokens of the learner's own completion."""
    if not isinstance(answer, dict) or getattr(answer.get("completion"), "usage", None) is None:
        return HINTS["no_completion"]
    usage = answer["completion"].usage
    value = answer.get("total_tokens")
    if value is None:
        return HINTS["tokens_missing"]
    if isinstance(value, bool) or not isinstance(value, int):
        return HINTS["tokens_not_number"]
    if value == usage.prompt_tokens + usage.completion_tokens:
        return None
    if value == usage.prompt_tokens:
        return HINTS["tokens_prompt"]
    if value == usage.completion_tokens:
        return HINTS["tokens_completion"]
    return HINTS["tokens_wrong"]


register(Exercise(
    id="04-1",
    title="OpenAI 用のコードを OpenRouter 向けに直す",
    judge=judge_client_settings,
    hint="base_url は OpenRouter のエンドポイント、model はカタログにある無料モデルのIDです。",
    solution='''
my_base_url = "https://openrouter.ai/api/v1"   # または course_utils.BASE_URL
my_model = course_utils.MODELS.free            # カタログにある無料モデルのID

# OpenAI 用のコードとの違いは base_url だけです。モデルIDは「開発元/モデル名」の形で、
# 無料版は「:free」で終わります。今使えるかは course_utils.catalog.get_model(my_model) で確かめられます。
''',
    praise="base_url を OpenRouter に向け、今のカタログにあるモデルを選べました。",
))

register(Exercise(
    id="04-2",
    title="応答から合計トークン数を読み取る",
    judge=judge_total_tokens,
    hint="completion.usage の中に、入力と出力を合わせたトークン数があります。",
    solution='''
total_tokens = completion.usage.total_tokens

# usage には prompt_tokens（入力）、completion_tokens（出力）、total_tokens（合計）が入っています。
# total_tokens は prompt_tokens + completion_tokens と同じ値です。
''',
    praise="usage.total_tokens は、入力と出力のトークン数の合計です。",
))


# Exercise 04-3: the learner writes a whole create(...) call; it is checked offline by calls.record_call.
CALL_HINTS = {
    "model_empty": "model=... の「...」を、モデルIDに書き換えてください"
                   "（この回の無料モデル course_utils.MODELS.free）。",
    "model_other": "model には、この回の無料モデル course_utils.MODELS.free（{model}）を指定してください。",
    "limit_missing": "答えの長さの上限がまだありません。max_tokens=... を足してください。",
    "limit_wrong": "max_tokens は 100 にします（いまは {value!r} です）。",
}
CALL_LIMIT = 100


def judge_written_call(ask: Any) -> str | None:
    """Right when ask(client) calls create(model=MODELS.free, messages=[... a user turn ...], max_tokens=100)."""
    from ..model_ids import MODELS

    call, problem = record_call(ask)
    if problem:
        return problem
    model = call.get("model")
    if not isinstance(model, str) or not model.strip():
        return CALL_HINTS["model_empty"]
    if model.strip() != MODELS.free:
        checked = judge_client_settings({"base_url": config.DEFAULT_BASE_URL, "model": model.strip()})
        return checked or CALL_HINTS["model_other"].format(model=MODELS.free)
    problem = messages_problem(call.get("messages"))
    if problem:
        return problem
    return limit_problem(call, CALL_LIMIT, CALL_HINTS)


register(Exercise(
    id="04-3",
    title="呼び出しを自分で書く",
    judge=judge_written_call,
    hint="client.chat.completions.create( の中に、model=...、messages=[...]、max_tokens=... の3つを書きます。",
    solution='''
def ask(client):
    return client.chat.completions.create(
        model=course_utils.MODELS.free,
        messages=[{"role": "user", "content": "OpenRouter を一言で説明してください。"}],
        max_tokens=100,
    )

course_utils.exercises.check("04-3", ask)

# ライブモードなら、本物のクライアントで送れます:
# print(ask(client).choices[0].message.content)
''',
    praise="model・messages・max_tokens のそろった呼び出しが書けました。"
           "ライブモードなら ask(client) で実際に送れます。",
))
