"""Lesson 10 exercises (mini-project, a Japanese study assistant): choose the model from the catalogue, then
write the assistant's two complete calls (a JSON schema call, and the same with the dictionary tool).

What counts as right comes from the (recorded or live) catalogue: the free models whose `supported_parameters`
list both `structured_outputs` and `tools`. The calls are run against the practice client (nothing is sent).
"""
from __future__ import annotations

from typing import Any

from .. import catalog
from . import Exercise, register
from .calls import messages_problem, record_call, record_calls
from .l08_structured_output_and_tools import schema_problem

NEEDED = ("structured_outputs", "tools")
TOOL_NAME = "look_up_word"
# Words the learner's ask_card is tried with: the word must reach the question.
TRY_WORDS = ("夕立", "紅葉")
# A conversation the learner's ask_with_tools is tried with: it must be sent as it is.
TRY_MESSAGES = (
    {"role": "system", "content": "あなたは日本語を学ぶ人のための学習アシスタントです。"},
    {"role": "user", "content": "日本語の単語「夕立」の単語カードを作ってください。"},
)

# Learner-facing text.
HINTS = {
    "not_list": "candidates は、モデルIDの文字列を並べたリストにします（m[\"id\"] を集めたもの）。",
    "not_free": "無料ではないモデル（{model}）が入っています。IDが \":free\" で終わるものだけにします。",
    "no_schema": "「{model}」は structured_outputs に対応していないので、JSON スキーマが無視されます。"
                 "if の条件に \"structured_outputs\" in m[\"supported_parameters\"] を足してください。",
    "json_object_only": "「{model}」の supported_parameters には response_format はありますが、structured_outputs が"
                        "ありません（JSONで答えるだけで、スキーマは守りません）。条件には \"structured_outputs\" を使います。",
    "no_tools": "「{model}」は tools に対応していません。if の条件に \"tools\" in m[\"supported_parameters\"] も足してください。",
    "missing": "条件に合うモデルのうち、{model} などが入っていません。条件を絞りすぎていないか確かめてください。",
    "model_placeholder": "model=... の「...」を、ステップ1で決めた assistant_model に書き換えてください。",
    "model_missing": "モデル「{model}」は今のカタログにありません。ステップ1で決めた assistant_model を指定してください。",
    "model_lacks": "「{model}」のカタログの supported_parameters に {feature} がありません。"
                   "ステップ1で決めた assistant_model を指定してください。",
    "word_unused": "質問の文に、引数の word が入っていません。f\"日本語の単語「{{word}}」について…\" のように"
                   "f文字列で word を埋め込みます（「{word}」で試すと、質問に「{word}」がありませんでした）。",
    "messages_changed": "messages=messages のように、引数の messages をそのまま渡してください"
                        "（あとで tool メッセージを足した履歴も、同じ関数で送れます）。",
    "tools_missing": "tools=... がまだありません。上のセルで作った tools を、create( のカッコの中に足してください。",
    "tools_wrong": f"tools には、上のセルで作った tools（関数 {TOOL_NAME} の説明のリスト）をそのまま渡してください。",
}


def _free_with(needed: tuple[str, ...]) -> list[str]:
    return [m["id"] for m in catalog.list_models()
            if m["id"].endswith(":free") and all(p in m.get("supported_parameters", []) for p in needed)]


def judge_candidates(candidates: Any) -> str | None:
    """Right when the list holds exactly the free models that list structured_outputs and tools."""
    if not isinstance(candidates, list) or not all(isinstance(c, str) for c in candidates):
        return HINTS["not_list"]
    for model in candidates:
        if not model.endswith(":free"):
            return HINTS["not_free"].format(model=model)
    for model in candidates:
        params = (catalog.get_model(model) or {}).get("supported_parameters", [])
        if "structured_outputs" not in params:
            return HINTS["json_object_only" if "response_format" in params else "no_schema"].format(model=model)
        if "tools" not in params:
            return HINTS["no_tools"].format(model=model)
    missing = [m for m in _free_with(NEEDED) if m not in candidates]
    return HINTS["missing"].format(model=missing[0]) if missing else None


def _model_problem(model: Any, needed: tuple[str, ...]) -> str | None:
    if model is Ellipsis:
        return HINTS["model_placeholder"]
    entry = catalog.get_model(str(model or "").strip())
    if entry is None:
        return HINTS["model_missing"].format(model=model)
    lacking = [p for p in needed if p not in entry.get("supported_parameters", [])]
    return HINTS["model_lacks"].format(model=model, feature="・".join(lacking)) if lacking else None


def judge_card_call(ask_card: Any) -> str | None:
    """Right when ask_card(client, word) asks a structured_outputs model about `word` with the card's schema."""
    calls, problem = record_calls(ask_card, [(word,) for word in TRY_WORDS])
    if problem:
        return problem
    for word, call in zip(TRY_WORDS, calls, strict=True):
        problem = messages_problem(call.get("messages")) or _model_problem(call.get("model"), NEEDED[:1])
        if problem:
            return problem
        if not any(word in m["content"] for m in call.get("messages") if m["role"] == "user"):
            return HINTS["word_unused"].format(word=word)
    return schema_problem(calls[0].get("response_format"))


def _offers_the_tool(tools: Any) -> bool:
    return isinstance(tools, list) and any(
        isinstance(t, dict) and t.get("type") == "function" and isinstance(t.get("function"), dict)
        and t["function"].get("name") == TOOL_NAME and isinstance(t["function"].get("parameters"), dict)
        for t in tools)


def judge_tool_call(ask_with_tools: Any) -> str | None:
    """Right when ask_with_tools(client, messages) sends the messages as given to a model with both features,
    offering the dictionary tool and asking for the card's schema."""
    messages = [dict(m) for m in TRY_MESSAGES]
    call, problem = record_call(ask_with_tools, messages)
    if problem:
        return problem
    problem = _model_problem(call.get("model"), NEEDED)
    if problem:
        return problem
    if call.get("messages") != list(TRY_MESSAGES):
        return HINTS["messages_changed"]
    if call.get("tools") is None:
        return HINTS["tools_missing"]
    if not _offers_the_tool(call.get("tools")):
        return HINTS["tools_wrong"]
    return schema_problem(call.get("response_format"))


register(Exercise(
    id="10-1",
    title="構造化出力とツールの両方に対応した無料モデルを集める",
    judge=judge_candidates,
    hint="if の条件に、\"structured_outputs\" と \"tools\" が supported_parameters にあることを足します。",
    solution='''
candidates = [m["id"] for m in course_utils.catalog.list_models()
              if m["id"].endswith(":free")
              and "structured_outputs" in m["supported_parameters"]
              and "tools" in m["supported_parameters"]]

course_utils.exercises.check("10-1", candidates)
''',
    praise="カタログの supported_parameters で、アシスタントに使えるモデルだけを選び出せました。",
))

register(Exercise(
    id="10-2",
    title="単語カードを JSON で受け取る呼び出しを書く",
    judge=judge_card_call,
    hint="model=assistant_model、messages=[...]（word を埋め込んだ質問）、response_format=...（word_schema を使う）の3つを書きます。",
    solution='''
def ask_card(client, word):
    return client.chat.completions.create(
        model=assistant_model,
        messages=[{"role": "user", "content": f"日本語の単語「{word}」について、読み方・意味・例文を教えてください。"}],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "word_card", "strict": True, "schema": word_schema},
        },
    )

course_utils.exercises.check("10-2", ask_card)
''',
    praise="引数の単語を質問に埋め込み、スキーマ付きで呼び出せました。これがアシスタントの1つ目の部品です。",
))

register(Exercise(
    id="10-3",
    title="辞書のツールを付けた呼び出しを書く",
    judge=judge_tool_call,
    hint="model=assistant_model、messages=messages、tools=tools、response_format=card_format の4つを書きます。",
    solution='''
def ask_with_tools(client, messages):
    return client.chat.completions.create(
        model=assistant_model,
        messages=messages,
        tools=tools,
        response_format=card_format,
    )

course_utils.exercises.check("10-3", ask_with_tools)
''',
    praise="ツールとスキーマを両方付けた呼び出しが書けました。履歴ごと渡すので、ツールの結果を足したあとも同じ関数で送れます。",
))
