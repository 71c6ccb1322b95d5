"""Lesson 05 exercise: extending a chat history, with the replies replayed from the recordings (no key)."""
from __future__ import annotations

import os

import pytest
from openai import OpenAI

import course_utils
from course_utils.exercises import check, solution

SYSTEM = "あなたは日本の旅行に詳しいアシスタントです。答えは短く、要点をしぼってください。"
FIRST = "秋に京都を旅行します。紅葉がきれいな場所を3つ教えてください。"
SECOND = "2つ目の場所へは、京都駅からどうやって行けばいいですか？"
THIRD = "帰りに京都駅で買えるおみやげを1つ教えてください。"


@pytest.fixture
def history(clean_env, capsys):
    """The notebook's two turns, replayed: (messages ending with the second question, second reply)."""
    course_utils.setup()
    capsys.readouterr()
    client = OpenAI(api_key=os.getenv("OPENROUTER_API_KEY"), base_url=course_utils.BASE_URL)
    model = course_utils.MODELS.free
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": FIRST}]
    first = client.chat.completions.create(model=model, messages=messages)
    messages.append({"role": "assistant", "content": first.choices[0].message.content})
    messages.append({"role": "user", "content": SECOND})
    second = client.chat.completions.create(model=model, messages=messages)
    return messages, second.choices[0].message.content, second


def test_right_answer(history, capsys):
    messages, reply, _ = history
    messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": THIRD}]
    assert check("05-1", messages)
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("role_reply, role_question, hint", [
    ("???", "???", "'???'"),
    ("user", "user", "role \"user\" で追加"),
    ("assistant", "assistant", "最後の要素は"),
])
def test_wrong_roles_print_a_hint(history, capsys, role_reply, role_question, hint):
    messages, reply, _ = history
    messages += [{"role": role_reply, "content": reply}, {"role": role_question, "content": THIRD}]
    assert not check("05-1", messages)
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


def test_message_object_instead_of_text(history, capsys):
    messages, _, completion = history
    messages += [completion.choices[0].message, {"role": "user", "content": THIRD}]
    assert not check("05-1", messages)
    assert "message.content" in capsys.readouterr().out


def test_missing_question_and_repeated_cell(history, capsys):
    messages, reply, _ = history
    assert not check("05-1", messages + [{"role": "assistant", "content": reply}])
    assert "あと1件" in capsys.readouterr().out
    twice = messages + [{"role": "assistant", "content": reply}, {"role": "user", "content": THIRD}] * 2
    assert not check("05-1", twice)
    assert "実行し直して" in capsys.readouterr().out


def test_fixed_roles_after_a_wrong_run_point_to_the_stale_items(history, capsys):
    """The notebook's own path: the cell ran once with `???`, then again with the roles corrected."""
    messages, reply, _ = history
    messages += [{"role": "???", "content": reply}, {"role": "???", "content": THIRD}]
    messages += [{"role": "assistant", "content": reply}, {"role": "user", "content": THIRD}]
    assert not check("05-1", messages)
    out = capsys.readouterr().out
    assert "2件多すぎます" in out and "'???'" not in out


def test_solution_runs_and_is_right(history, capsys):
    messages, reply, _ = history
    solution("05-1")
    out = capsys.readouterr().out
    assert out.startswith("解答例（演習 05-1")
    exec(out.split("\n", 1)[1], {"messages": messages, "reply": reply})
    assert check("05-1", messages)
