"""The call-writing exercises of lessons 04–07: the learner's own create(...) call is checked offline.

Each learner cell is run here as the notebook ships it (the starting code), with the printed solution, and with
typical mistakes. Nothing is sent: the tests run in replay mode, where any real request not recorded would fail.
"""
from __future__ import annotations

import pytest

import course_utils
from course_utils import exercises
from course_utils.exercises.calls import PracticeClient, record_call

# The learner cells' starting code, as in the notebooks (only the function; the cell then calls check).
STARTING_CODE = {
    "04-3": '''
def ask(client):
    return client.chat.completions.create(
        model=...,
    )
''',
    "05-2": '''
def ask(client):
    return client.chat.completions.create(
        model=model,
        messages=[
            {"role": "user", "content": "虹はなぜ7色に見えるのですか？"},
        ],
    )
''',
    "06-2": '''
def ask(client, model_id):
    return client.chat.completions.create(
        model="google/gemma-3-27b-it",
        messages=[{"role": "user", "content": prompt}],
    )
''',
    "07-3": '''
def ask(client):
    return client.chat.completions.create(
        model=model,
        messages=messages,
        provider={"sort": "price"},
    )
''',
}
FIRST_HINT = {"04-3": "model=... と messages=... の両方", "05-2": "システムプロンプト",
              "06-2": "同じモデルに送ってしまいます", "07-3": "extra_body"}


@pytest.fixture
def replayed(clean_env, capsys):
    course_utils.setup()
    capsys.readouterr()


def lesson_names() -> dict:
    """The variables the lessons define before their exercise cells."""
    return {"course_utils": course_utils, "prompt": "「情けは人のためならず」の意味を説明してください。",
            "messages": [{"role": "user", "content": "トークンとは何ですか？2文で説明してください。"}],
            "model": None}


def names_for(exercise_id: str) -> dict:
    names = lesson_names()
    names["model"] = course_utils.MODELS.open_model if exercise_id == "07-3" else course_utils.MODELS.free
    return names


def run_cell(exercise_id: str, code: str) -> bool:
    namespace = names_for(exercise_id)
    exec(code, namespace)
    return bool(exercises.check(exercise_id, namespace["ask"]))


@pytest.mark.parametrize("exercise_id", sorted(STARTING_CODE))
def test_the_starting_code_gets_its_first_hint(replayed, capsys, exercise_id):
    assert not run_cell(exercise_id, STARTING_CODE[exercise_id])
    out = capsys.readouterr().out
    assert out.startswith("まだ正解ではありません。ヒント:") and FIRST_HINT[exercise_id] in out
    assert "正解です" not in out


@pytest.mark.parametrize("exercise_id", sorted(STARTING_CODE))
def test_the_printed_solution_is_right(replayed, capsys, exercise_id):
    exercises.solution(exercise_id)
    code = capsys.readouterr().out.split("\n", 1)[1]
    namespace = names_for(exercise_id)
    exec(code, namespace)
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id, code, hint", [
    ("04-3", "def ask(client):\n    return client.chat.completions.create(model=course_utils.MODELS.paid, "
             "messages=[{'role': 'user', 'content': 'こんにちは'}], max_tokens=100)", "有料モデル"),
    ("04-3", "def ask(client):\n    return client.chat.completions.create(model=course_utils.MODELS.free, "
             "messages=[{'role': 'user', 'content': 'こんにちは'}])", "max_tokens=..."),
    ("04-3", "def ask(client):\n    return client.chat.completions.create(model=course_utils.MODELS.free, "
             "messages=[{'role': 'user', 'content': 'こんにちは'}], max_tokens=50)", "100"),
    ("04-3", "def ask(client):\n    return client.chat.completions.create(model=course_utils.MODELS.free, "
             "messages={'role': 'user', 'content': 'こんにちは'}, max_tokens=100)", "リスト"),
    ("04-3", "def ask(client):\n    client.chat.completions.create(model=course_utils.MODELS.free, "
             "messages=[{'role': 'use', 'content': 'こんにちは'}], max_tokens=100)", "'use'"),
    ("04-3", "def ask(client):\n    return None", "呼んでいません"),
    ("05-2", "def ask(client):\n    return client.chat.completions.create(model=model, messages=["
             "{'role': 'system', 'content': '先生です。'}, {'role': 'user', 'content': '虹は？'}])", "stream=True"),
    ("05-2", "def ask(client):\n    return client.chat.completions.create(model=model, stream=True, messages=["
             "{'role': 'user', 'content': '虹は？'}, {'role': 'system', 'content': '先生です。'}])", "先頭"),
    ("06-2", "def ask(client, model_id):\n    return client.chat.completions.create(model=model_id, "
             "messages=[{'role': 'user', 'content': model_id}])", "同じ messages"),
    ("07-3", "def ask(client):\n    return client.chat.completions.create(model=model, messages=messages, "
             "extra_body={'provider': {'sort': 'price'}})", "max_tokens=200"),
    ("07-3", "def ask(client):\n    return client.chat.completions.create(model=model, messages=messages, "
             "max_tokens=200, extra_body={'provider': {'sort': 'throughput'}})", "'throughput'"),
    ("07-3", "def ask(client):\n    return client.chat.completions.create(model=model, messages=messages, "
             "max_tokens=200, models=[model])", "extra_body"),
])
def test_typical_mistakes_get_a_specific_hint(replayed, capsys, exercise_id, code, hint):
    assert not run_cell(exercise_id, code)
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out, out


def test_floor_variant_counts_as_sorting_by_price(replayed, capsys):
    code = ("def ask(client):\n    return client.chat.completions.create(model=model + ':floor', "
            "messages=messages, max_tokens=200)")
    assert run_cell("07-3", code)


def test_the_practice_client_rejects_what_a_real_client_rejects():
    """An OpenRouter-only field passed as a keyword is a TypeError in the real openai client too."""
    from openai import OpenAI

    real = OpenAI(api_key="sk-or-v1-" + "0" * 64, base_url="http://127.0.0.1:9/api/v1", max_retries=0)
    with pytest.raises(TypeError, match="models"):
        real.chat.completions.create(model="a/b", messages=[], models=["a/b"])
    call, hint = record_call(lambda client: client.chat.completions.create(model="a/b", messages=[], models=["a/b"]))
    assert call is None and "extra_body" in hint


def test_the_practice_client_returns_readable_answers():
    client = PracticeClient()
    reply = client.chat.completions.create(model="a/b", messages=[{"role": "user", "content": "x"}])
    assert reply.choices[0].message.content
    chunks = list(client.chat.completions.create(model="a/b", messages=[], stream=True))
    assert chunks[0].choices[0].delta.content and len(client.calls) == 2
