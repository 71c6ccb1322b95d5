"""Lesson 02 exercise, checked against the recorded GET /key answer (replay mode, no key)."""
from __future__ import annotations

import importlib

import pytest

import course_utils
from course_utils import catalog
from course_utils.exercises import all_exercises, check, solution


@pytest.fixture
def info(clean_env, capsys):
    # Load every lesson's exercises first (lazy loading happens only while the registry is empty), then make
    # sure this lesson's module is registered even if another test imported a single module before.
    all_exercises()
    importlib.import_module("course_utils.exercises.l02_account_and_key")
    course_utils.setup()
    capsys.readouterr()
    return catalog.key_info()


def test_remaining_right(info, capsys):
    assert check("02-1", info.free_model_daily_requests["remaining"])
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("field, hint", [("used", "使った回数"), ("limit", "1日の上限")])
def test_other_counter_fields_get_a_specific_hint(info, capsys, field, hint):
    assert not check("02-1", info.free_model_daily_requests[field])
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


@pytest.mark.parametrize("wrong, hint", [(None, "None のまま"), ("998", "整数"), (-1, "print して")])
def test_wrong_answers_print_a_hint(info, capsys, wrong, hint):
    assert not check("02-1", wrong)
    assert hint in capsys.readouterr().out


def test_solution_runs_and_is_right(info, capsys):
    solution("02-1")
    code = capsys.readouterr().out.split("\n", 1)[1]
    namespace = {"info": info}
    exec(code, namespace)
    assert check("02-1", namespace["answer"])
