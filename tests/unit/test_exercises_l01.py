"""Lesson 01 exercises, checked against the recorded catalogue and endpoints (replay mode, no key)."""
from __future__ import annotations

import importlib

import pytest

import course_utils
from course_utils import catalog
from course_utils.exercises import all_exercises, check, solution

MAKER = "anthropic"


@pytest.fixture
def replayed(clean_env, capsys):
    # Load every lesson's exercises first (lazy loading happens only while the registry is empty), then make
    # sure this lesson's module is registered even if another test imported a single module before.
    all_exercises()
    importlib.import_module("course_utils.exercises.l01_providers")
    course_utils.setup()
    capsys.readouterr()
    return catalog.list_models()


def test_maker_count_right(replayed, capsys):
    assert importlib.import_module("course_utils.exercises.l01_providers").MAKER == MAKER
    expected = len(catalog.models_table(replayed, maker=MAKER))
    assert expected > 0
    assert check("01-1", expected)
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, hint", [
    (None, "None のまま"), ("5", "整数"), (-1, "dict(counts)"),
])
def test_maker_count_wrong_prints_a_hint(replayed, capsys, wrong, hint):
    assert not check("01-1", wrong)
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


def test_maker_count_all_models_is_named(replayed, capsys):
    assert not check("01-1", len(replayed))
    assert "カタログ全体のモデル数" in capsys.readouterr().out


def test_price_ratio_right_and_rounded(replayed, capsys):
    prices = [r.input_per_m for r in catalog.endpoints(course_utils.MODELS.open_model) if r.input_per_m is not None]
    ratio = max(prices) / min(prices)
    assert check("01-2", ratio)
    assert check("01-2", round(ratio, 1))
    assert capsys.readouterr().out.count("正解です") == 2


def test_price_ratio_wrong_prints_a_specific_hint(replayed, capsys):
    prices = [r.input_per_m for r in catalog.endpoints(course_utils.MODELS.open_model) if r.input_per_m is not None]
    assert not check("01-2", min(prices) / max(prices))
    assert "逆" in capsys.readouterr().out
    assert not check("01-2", max(prices))
    assert "料金そのもの" in capsys.readouterr().out


@pytest.mark.parametrize("exercise_id", ["01-1", "01-2"])
def test_solution_runs_and_is_right(replayed, capsys, exercise_id):
    solution(exercise_id)
    code = capsys.readouterr().out.split("\n", 1)[1]
    namespace = {"catalog": catalog, "models": replayed, "rows": catalog.endpoints(course_utils.MODELS.open_model)}
    exec(code, namespace)
    assert check(exercise_id, namespace["answer"])
