"""Lesson 05 exercise: extend a chat history with the assistant's reply and the next question."""
from __future__ import annotations

from typing import Any

from . import Exercise, register

ROLES = ("system", "user", "assistant")
# After the learner's two appends: user, assistant, user (turns 1-2 given) + assistant, user (added).
EXPECTED_TURNS = ("user", "assistant", "user", "assistant", "user")

# Learner-facing text.
TEXT = {
    "not_list": "messages はリスト（[...]）のまま渡してください。append で要素を1つずつ追加します。",
    "object": "返事のオブジェクトそのものが入っています。"
              "completion.choices[0].message.content の文字列（ここでは reply）を、"
              "{\"role\": \"assistant\", \"content\": reply} という辞書にして追加してください。",
    "not_dict": "messages の各要素は {\"role\": ..., \"content\": ...} の形の辞書にします。",
    "content": "\"content\" には文字列を入れます。返事なら reply、質問なら「\"...\"」で囲んだ文章です。",
    "bad_role": "role は \"system\"・\"user\"・\"assistant\" のどれかです（{role!r} になっています）。",
    "no_system": "最初のシステムプロンプトがなくなっています。messages を作り直さず、append で後ろに追加してください。",
    "too_short": "あと{missing}件足りません。2回目の返事（role \"assistant\"）"
                 "と、3つ目の質問（role \"user\"）の両方を追加してください。",
    "too_long": "要素が{extra}件多すぎます。同じセルを何回も実行すると、そのたびに append で要素が増えます。"
                "上の1つ目の質問のセル（messages = [...] で始まるセル）から順に実行し直してください。",
    "reply_as_user": "アシスタントの返事を role \"user\" で追加しています。AIの返事は role を \"assistant\" にします。",
    "ends_with_assistant": "最後の要素は、次に送る質問（role \"user\"）にします。",
    "order": "順番が違います。先に返事（assistant）、その後に新しい質問（user）を追加してください。",
    "empty": "空の content があります。返事には reply を、質問には文章を入れてください。",
    "placeholder": "「???」のままの部分があります。書き換えてから実行してください。",
    "same_reply": "1回目の返事がもう一度入っています。追加するのは2回目の返事（reply）です。",
    "echo": "アシスタントの content に質問の文章が入っています。content には AI の返事（reply）を入れてください。",
}


def _problem(messages: Any) -> str | None:
    if not isinstance(messages, list):
        return TEXT["not_list"]
    # First: items left over from earlier runs of the cell (e.g. a wrong role) are fixed by re-running from
    # the top, not by editing them, and the rest of the hints would point at the stale items.
    if len(messages) > 1 + len(EXPECTED_TURNS):
        return TEXT["too_long"].format(extra=len(messages) - 1 - len(EXPECTED_TURNS))
    for item in messages:
        if not isinstance(item, dict):
            return TEXT["object"] if hasattr(item, "content") or hasattr(item, "choices") else TEXT["not_dict"]
        if item.get("role") not in ROLES:
            return TEXT["bad_role"].format(role=item.get("role"))
        if not isinstance(item.get("content"), str):
            content = item.get("content")
            return TEXT["object"] if hasattr(content, "content") or hasattr(content, "choices") else TEXT["content"]
    if not messages or messages[0]["role"] != "system":
        return TEXT["no_system"]
    turns = messages[1:]
    roles = tuple(m["role"] for m in turns)
    if len(roles) < len(EXPECTED_TURNS):
        if roles[-2:] == ("user", "user") and len(roles) >= 4:
            return TEXT["reply_as_user"]
        return TEXT["too_short"].format(missing=len(EXPECTED_TURNS) - len(roles))
    if roles != EXPECTED_TURNS:
        if roles[3] == "user":
            return TEXT["reply_as_user"]
        if roles[-1] != "user":
            return TEXT["ends_with_assistant"]
        return TEXT["order"]
    contents = [m["content"] for m in turns]
    if any("???" in c for c in contents):
        return TEXT["placeholder"]
    if any(not c.strip() for c in contents):
        return TEXT["empty"]
    if contents[3] == contents[1]:
        return TEXT["same_reply"]
    if contents[3] in (contents[0], contents[2], contents[4]):
        return TEXT["echo"]
    return None


register(Exercise(
    id="05-1",
    title="会話の履歴に返事と次の質問を追加する",
    judge=_problem,
    hint=TEXT["order"],
    solution="""
messages.append({"role": "assistant", "content": reply})
messages.append({"role": "user", "content": "帰りに京都駅で買えるおみやげを1つ教えてください。"})
""",
    praise="この messages を送れば、AIはここまでの会話をすべて読んだうえで3つ目の質問に答えます。",
))


# Exercise 05-2: the learner writes a streaming call with a system prompt (checked offline, nothing is sent).
CALL_HINTS = {
    "model": "model には、この回で使っている変数 model（course_utils.MODELS.free）を渡してください。",
    "no_system": "messages の先頭に、{\"role\": \"system\", \"content\": \"…\"} のシステムプロンプトを置いてください。",
    "system_first": "システムプロンプト（role が \"system\"）は、messages の先頭（1番目）に置きます。",
    "no_stream": "答えを少しずつ受け取るには、stream=True を付けます。",
}


def judge_streaming_call(ask: Any) -> str | None:
    """Right when ask(client) streams from MODELS.free with a system prompt first and a user turn after it."""
    from ..model_ids import MODELS
    from .calls import messages_problem, record_call

    call, problem = record_call(ask)
    if problem:
        return problem
    if call.get("model") != MODELS.free:
        return CALL_HINTS["model"]
    messages = call.get("messages")
    problem = messages_problem(messages)
    if problem:
        return problem
    roles = [m["role"] for m in messages]
    if "system" not in roles:
        return CALL_HINTS["no_system"]
    if roles[0] != "system":
        return CALL_HINTS["system_first"]
    if call.get("stream") is not True:
        return CALL_HINTS["no_stream"]
    return None


register(Exercise(
    id="05-2",
    title="システムプロンプト付きのストリーミングの呼び出しを書く",
    judge=judge_streaming_call,
    hint="messages の先頭に role が \"system\" の辞書を足し、create(...) に stream=True を付けます。",
    solution='''
def ask(client):
    return client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": "あなたは小学生に理科を教える先生です。やさしく2文で答えてください。"},
            {"role": "user", "content": "虹はなぜ7色に見えるのですか？"},
        ],
        stream=True,
    )

course_utils.exercises.check("05-2", ask)

# ライブモードなら、本物のクライアントで受け取れます:
# for chunk in ask(client):
#     if chunk.choices:
#         print(chunk.choices[0].delta.content or "", end="", flush=True)
''',
    praise="システムプロンプトは先頭に、stream=True で答えは少しずつ届きます。",
))
