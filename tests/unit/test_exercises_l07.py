"""Lesson 07 exercises: right answers pass, wrong ones print a specific hint, solutions print on request."""
from __future__ import annotations

import pytest

import course_utils
from course_utils import MODELS, catalog, exercises
from course_utils.exercises import l07_cost_limits_reliability as l07


@pytest.fixture
def replayed(clean_env):
    course_utils.setup(quiet=True)
    yield


def test_fallback_list_right(replayed, capsys):
    answer = {"models": [MODELS.free, MODELS.small_free, MODELS.open_model]}
    assert exercises.check("07-1", answer)
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("answer, hint", [
    ({"models": []}, "1番目（無料）"),
    ({"model": [MODELS.free]}, "\"models\""),
    ([MODELS.free, MODELS.small_free, MODELS.open_model], "辞書"),
    ({"models": [MODELS.open_model, MODELS.small_free, MODELS.free]}, "順に試されます"),
    ({"models": [MODELS.free, MODELS.small_free, "nobody/no-such-model"]}, "カタログにない"),
    ({"models": MODELS.free}, "リスト"),
    ({"models": [MODELS.free, MODELS.small_free, MODELS.open_model, MODELS.large_free]}, "余分"),
])
def test_fallback_list_wrong_gives_hint(replayed, capsys, answer, hint):
    assert not exercises.check("07-1", answer)
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


def test_budget_right_from_catalogue_prices(replayed, capsys):
    b = l07.BUDGET
    usd = catalog.estimate_cost(MODELS.paid, b["prompt_tokens"], b["completion_tokens"])
    answer = catalog.usd_to_jpy(usd * b["students"] * b["requests_each"], b["yen_per_usd"])
    assert answer > 0
    assert exercises.check("07-2", answer)
    assert exercises.check("07-2", round(answer, 2))
    assert "正解です" in capsys.readouterr().out


@pytest.mark.parametrize("transform, hint", [
    (lambda yen, b: yen / b["yen_per_usd"], "ドルのまま"),
    (lambda yen, b: yen / (b["students"] * b["requests_each"]), "1回分"),
    (lambda yen, b: yen / b["students"], "1人分"),
    (lambda yen, b: yen * 3, "1回あたりの費用"),
    (lambda yen, b: "13円", "数（円）"),
])
def test_budget_wrong_gives_hint(replayed, capsys, transform, hint):
    answer = transform(l07.expected_budget_yen(), l07.BUDGET)
    assert not exercises.check("07-2", answer)
    out = capsys.readouterr().out
    assert "ヒント" in out and hint in out


@pytest.mark.parametrize("exercise_id, fragment", [("07-1", "MODELS.small_free"), ("07-2", "estimate_cost")])
def test_solutions_print_only_when_asked(replayed, capsys, exercise_id, fragment):
    exercises.solution(exercise_id)
    out = capsys.readouterr().out
    assert f"演習 {exercise_id}" in out and fragment in out


def test_solution_of_07_1_is_right(replayed, capsys):
    namespace = {"course_utils": course_utils}
    exec(next(e for e in exercises.all_exercises() if e.id == "07-1").solution, namespace)
    assert "正解です" in capsys.readouterr().out


def test_solution_of_07_2_is_right(replayed, capsys):
    b = l07.BUDGET
    namespace = {"course_utils": course_utils, "students": b["students"], "requests_each": b["requests_each"],
                 "yen_per_usd": b["yen_per_usd"]}
    exec(next(e for e in exercises.all_exercises() if e.id == "07-2").solution, namespace)
    assert "正解です" in capsys.readouterr().out
