"""Lesson 99 recap quiz: every question accepts its right letter, explains each wrong one, and shows its solution."""
from __future__ import annotations

import re

import pytest

import course_utils
from course_utils import exercises
from course_utils.exercises.l99_next_steps import QUESTIONS

IDS = [q.id for q in QUESTIONS]


@pytest.fixture
def replayed(clean_env):
    course_utils.setup(quiet=True)
    yield


def test_quiz_covers_lessons_01_to_09():
    assert [f"99-{k}" for k in range(1, 10)] == IDS
    for k, q in enumerate(QUESTIONS, start=1):
        assert f"（0{k}回）" in q.title
        assert set(q.choices) == {"a", "b", "c"} and q.right in q.choices
        assert set(q.wrong) == set(q.choices) - {q.right}


@pytest.mark.parametrize("question", QUESTIONS, ids=IDS)
def test_right_letter_passes(replayed, capsys, question):
    assert exercises.check(question.id, question.right)
    assert exercises.check(question.id, f" {question.right.upper()} ")  # forgiving about case and spaces
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("question", QUESTIONS, ids=IDS)
def test_wrong_letters_get_their_own_hint(replayed, capsys, question):
    for letter, hint in question.wrong.items():
        assert not exercises.check(question.id, letter)
        out = capsys.readouterr().out
        assert "ヒント" in out and hint in out and re.search(r"0[1-9]回", out)  # says which lesson to review


@pytest.mark.parametrize("answer", ["", "d", 1, None, "ab"])
def test_not_a_choice(replayed, capsys, answer):
    assert not exercises.check("99-1", answer)
    assert "a・b・c のどれか" in capsys.readouterr().out


@pytest.mark.parametrize("question", QUESTIONS, ids=IDS)
def test_solution_names_the_right_choice(replayed, capsys, question):
    exercises.solution(question.id)
    out = capsys.readouterr().out
    assert f"正解: {question.right}（{question.choices[question.right]}）" in out
