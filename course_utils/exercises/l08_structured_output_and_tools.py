"""Lesson 08 exercises: a call with a JSON schema (checked offline), and the `tool` message of a tool result.

What counts as right comes from the (recorded or live) catalogue — the model must list `structured_outputs` in its
`supported_parameters` — and from the learner's own tool call object (its `id`), never from literals.
"""
from __future__ import annotations

import json
from typing import Any

from .. import catalog
from . import Exercise, register
from .calls import messages_problem, record_call

# Fields the word card of the lesson asks for.
CARD_FIELDS = ("word", "reading", "meaning", "example")

# Learner-facing text.
HINTS = {
    "model_missing": "モデル「{model}」は今のカタログにありません。この回で使った schema_model を指定してください。",
    "model_no_schema": "「{model}」のカタログの supported_parameters に structured_outputs がないので、"
                       "スキーマは無視されてしまいます。structured_outputs に対応したモデル（schema_model）にしてください。",
    "format_missing": "response_format=... がまだありません。create( のカッコの中に足してください。",
    "format_not_dict": "response_format は {\"type\": \"json_schema\", \"json_schema\": {...}} の形の辞書にします。",
    "format_json_object": "\"json_object\" は「JSONで答える」だけで、項目の名前までは決められません。"
                          "type を \"json_schema\" にして、スキーマを渡してください。",
    "format_type": "response_format の \"type\" は \"json_schema\" にします（いまは {value!r} です）。",
    "schema_name": "json_schema には名前 \"name\"（例: \"word_card\"）が必要です。",
    "schema_missing": "json_schema の \"schema\" に、この回の word_schema（JSON スキーマ）を入れてください。",
    "schema_fields": "スキーマの \"required\" に {fields} が足りません。word_schema をそのまま使えば入っています。",
    "tool_not_dict": "{\"role\": ..., \"tool_call_id\": ..., \"content\": ...} の形の辞書を tool_message にしてください。",
    "tool_no_call": "check に渡す辞書の \"call\" には、message.tool_calls[0]（上のセルの call）を入れてください。",
    "tool_role": "関数の結果を伝えるメッセージの role は \"tool\" です（いまは {value!r} です）。",
    "tool_id_placeholder": "tool_call_id の「???」を、AIの呼び出しの id（call.id）に書き換えてください。",
    "tool_id": "tool_call_id が、AIの呼び出しの id と違います。call.id をそのまま入れてください"
               "（AIはこの id で、どの呼び出しの結果かを見分けます）。",
    "tool_content": "content には関数の結果を文字列にして入れます。json.dumps(result, ensure_ascii=False) のままにしてください。",
}


def schema_problem(response_format: Any) -> str | None:
    """The hint when `response_format` is not a named json_schema whose schema requires the card's fields."""
    if response_format is None:
        return HINTS["format_missing"]
    if not isinstance(response_format, dict):
        return HINTS["format_not_dict"]
    kind = response_format.get("type")
    if kind == "json_object":
        return HINTS["format_json_object"]
    if kind != "json_schema":
        return HINTS["format_type"].format(value=kind)
    config = response_format.get("json_schema")
    if not isinstance(config, dict) or not isinstance(config.get("name"), str) or not config["name"].strip():
        return HINTS["schema_name"]
    schema = config.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return HINTS["schema_missing"]
    missing = [name for name in CARD_FIELDS if name not in (schema.get("required") or [])]
    if missing:
        return HINTS["schema_fields"].format(fields="・".join(missing))
    return None


def judge_schema_call(ask: Any) -> str | None:
    """Right when ask(client) asks a structured_outputs model with a json_schema response_format for the card."""
    call, problem = record_call(ask)
    if problem:
        return problem
    problem = messages_problem(call.get("messages"))
    if problem:
        return problem
    model = str(call.get("model") or "").strip()
    entry = catalog.get_model(model)
    if entry is None:
        return HINTS["model_missing"].format(model=model)
    if "structured_outputs" not in entry.get("supported_parameters", []):
        return HINTS["model_no_schema"].format(model=model)
    return schema_problem(call.get("response_format"))


def judge_tool_message(answer: Any) -> str | None:
    """Right when the message is {"role": "tool", "tool_call_id": <the call's id>, "content": <a string>}."""
    if not isinstance(answer, dict) or not isinstance(answer.get("message"), dict):
        return HINTS["tool_not_dict"]
    call_id = getattr(answer.get("call"), "id", None)
    if not call_id:
        return HINTS["tool_no_call"]
    message = answer["message"]
    if message.get("role") != "tool":
        return HINTS["tool_role"].format(value=message.get("role"))
    if message.get("tool_call_id") == "???":
        return HINTS["tool_id_placeholder"]
    if message.get("tool_call_id") != call_id:
        return HINTS["tool_id"]
    content = message.get("content")
    if not isinstance(content, str) or not content.strip():
        return HINTS["tool_content"]
    try:
        json.loads(content)
    except ValueError:
        return HINTS["tool_content"]
    return None


register(Exercise(
    id="08-1",
    title="JSON スキーマ付きの呼び出しを書く",
    judge=judge_schema_call,
    hint="model を structured_outputs に対応した schema_model にし、response_format=... を足します。",
    solution='''
def ask(client):
    return client.chat.completions.create(
        model=schema_model,   # structured_outputs に対応したモデル
        messages=[{"role": "user", "content": "日本語の単語「夕焼け」について、読み方・意味・例文を教えてください。"}],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "word_card", "strict": True, "schema": word_schema},
        },
    )

course_utils.exercises.check("08-1", ask)

# ライブモードなら json.loads(ask(client).choices[0].message.content) で辞書にできます。
''',
    praise="スキーマに対応したモデルに、json_schema の response_format を付けて呼び出せました。",
))

register(Exercise(
    id="08-2",
    title="関数の結果を tool メッセージにする",
    judge=judge_tool_message,
    hint="role は \"tool\"、tool_call_id は AI の呼び出しの id（call.id）です。",
    solution='''
tool_message = {"role": "tool", "tool_call_id": call.id, "content": json.dumps(result, ensure_ascii=False)}

course_utils.exercises.check("08-2", {"message": tool_message, "call": call})

# AIは1回の返事で関数をいくつも呼ぶことがあります。tool_call_id で、どの呼び出しへの結果かを伝えます。
''',
    praise="role \"tool\" と tool_call_id で、どの呼び出しの結果かをAIに伝えられます。",
))
