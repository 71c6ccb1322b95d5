"""Lesson 06 exercise: the model with the fewest completion tokens, from replayed responses (no key)."""
from __future__ import annotations

import os

import pytest
from openai import OpenAI

import course_utils
from course_utils.exercises import check, solution

PROMPT = "「情けは人のためならず」ということわざの意味を、よくある誤解にもふれて2〜3文で説明してください。"


@pytest.fixture
def results(clean_env, capsys):
    """The notebook's comparison, replayed: model id -> ChatCompletion."""
    course_utils.setup()
    capsys.readouterr()
    client = OpenAI(api_key=os.getenv("OPENROUTER_API_KEY"), base_url=course_utils.BASE_URL)
    models = [course_utils.MODELS.small_free, course_utils.MODELS.large_free, course_utils.MODELS.paid]
    return {m: client.chat.completions.create(model=m, messages=[{"role": "user", "content": PROMPT}])
            for m in models}


def _by(results, name):
    return sorted(results, key=lambda m: getattr(results[m].usage, name))


def test_right_answer(results, capsys):
    fewest = _by(results, "completion_tokens")[0]
    assert check("06-1", (fewest, results))
    assert "正解です" in capsys.readouterr().out


def test_most_tokens_prints_a_hint(results, capsys):
    most = _by(results, "completion_tokens")[-1]
    assert not check("06-1", (most, results))
    out = capsys.readouterr().out
    assert "ヒント" in out and "min" in out


@pytest.mark.parametrize("answer, hint", [
    (None, "None のまま"), ("openai/gpt-5", "入っていません"), (3.5, "文字列"),
])
def test_wrong_answers_print_a_hint(results, capsys, answer, hint):
    assert not check("06-1", (answer, results))
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


def test_token_count_instead_of_id(results, capsys):
    fewest = _by(results, "completion_tokens")[0]
    assert not check("06-1", (results[fewest].usage.completion_tokens, results))
    assert "トークン数ではなく" in capsys.readouterr().out


def test_answer_without_results(results, capsys):
    assert not check("06-1", _by(results, "completion_tokens")[0])
    assert "(答え, results)" in capsys.readouterr().out


def test_solution_runs_and_is_right(results, capsys):
    solution("06-1")
    out = capsys.readouterr().out
    assert out.startswith("解答例（演習 06-1")
    namespace = {"results": results}
    exec(out.split("\n", 1)[1], namespace)
    assert check("06-1", (namespace["fewest"], results))
