"""Lesson 04 exercises, checked in replay mode with no key against the lesson's recorded calls."""
from __future__ import annotations

import os

import pytest
from openai import OpenAI

import course_utils
from course_utils import config
from course_utils.exercises import check, solution

DOCUMENT_MESSAGES = [
    {"role": "system", "content": "あなたは親切で優秀なアシスタントです。"},
    {"role": "user", "content": "日本で一番高い山について、その標高と名前を教えてください。"},
]


@pytest.fixture
def replayed(clean_env, capsys):
    course_utils.setup()
    capsys.readouterr()


@pytest.fixture
def completion(replayed):
    """The lesson's recorded answer of the course's free model (a real openai object)."""
    client = OpenAI(api_key=os.getenv("OPENROUTER_API_KEY"), base_url=course_utils.BASE_URL)
    return client.chat.completions.create(model=course_utils.MODELS.free, messages=DOCUMENT_MESSAGES)


def _solution_namespace(exercise_id: str, capsys, **names) -> dict:
    solution(exercise_id)
    header, code = capsys.readouterr().out.split("\n", 1)
    assert exercise_id in header
    namespace = dict(names)
    exec(code, namespace)
    return namespace


@pytest.mark.parametrize("base_url", [config.DEFAULT_BASE_URL, config.DEFAULT_BASE_URL + "/"])
def test_client_settings_right(replayed, capsys, base_url):
    assert check("04-1", {"base_url": base_url, "model": course_utils.MODELS.free})
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("answer, hint", [
    ({"base_url": "https://api.openai.com/v1", "model": course_utils.MODELS.free}, "OpenAI のURLのまま"),
    ({"base_url": "https://openrouter.ai", "model": course_utils.MODELS.free}, "/api/v1"),
    ({"base_url": "http://localhost", "model": course_utils.MODELS.free}, "course_utils.BASE_URL"),
    ({"base_url": config.DEFAULT_BASE_URL, "model": ""}, "文字列で"),
    ({"base_url": config.DEFAULT_BASE_URL, "model": course_utils.MODELS.document}, "今のカタログにありません"),
    ({"base_url": config.DEFAULT_BASE_URL, "model": course_utils.MODELS.paid}, "有料モデル"),
    ("https://openrouter.ai/api/v1", "辞書"),
])
def test_client_settings_wrong_prints_a_specific_hint(replayed, capsys, answer, hint):
    assert not check("04-1", answer)
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


def test_retired_model_hint_names_the_successor(replayed, capsys):
    check("04-1", {"base_url": config.DEFAULT_BASE_URL, "model": course_utils.MODELS.document})
    assert course_utils.MODELS.free in capsys.readouterr().out


def test_total_tokens_right(completion, capsys):
    usage = completion.usage
    assert check("04-2", {"completion": completion, "total_tokens": usage.prompt_tokens + usage.completion_tokens})
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("pick, hint", [
    (lambda u: None, "まだ値が入っていません"), (lambda u: str(u.total_tokens), "整数"),
    (lambda u: u.prompt_tokens, "prompt_tokens"), (lambda u: u.completion_tokens, "completion_tokens"),
    (lambda u: u.total_tokens + 1, "合いません"),
])
def test_total_tokens_wrong_prints_a_specific_hint(completion, capsys, pick, hint):
    assert not check("04-2", {"completion": completion, "total_tokens": pick(completion.usage)})
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


def test_total_tokens_without_a_completion_says_what_to_pass(replayed, capsys):
    assert not check("04-2", {"completion": None, "total_tokens": 3})
    assert "応答オブジェクト" in capsys.readouterr().out


def test_solutions_run_and_are_right(completion, capsys):
    first = _solution_namespace("04-1", capsys, course_utils=course_utils)
    assert check("04-1", {"base_url": first["my_base_url"], "model": first["my_model"]})
    capsys.readouterr()
    second = _solution_namespace("04-2", capsys, completion=completion)
    assert check("04-2", {"completion": completion, "total_tokens": second["total_tokens"]})
