"""Lesson 03 exercises, checked in replay mode against the recorded catalogue: right, wrong (hint), solution."""
from __future__ import annotations

import pytest

import course_utils
from course_utils import catalog, exercises
from course_utils.exercises import l03_models_and_prices as l03


@pytest.fixture
def replayed(clean_env, monkeypatch):
    """Replay mode after setup(), with a fresh catalogue cache, as in the notebook."""
    catalog.clear_cache()
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"
    return catalog.list_models()


def paid_pricing() -> tuple[float, float]:
    pricing = catalog.get_model(course_utils.MODELS.paid)["pricing"]
    return float(pricing["prompt"]), float(pricing["completion"])


def test_cost_right_answer_by_hand(replayed, capsys):
    prompt, completion = paid_pricing()
    assert bool(exercises.check("03-1", prompt * 1000 + completion * 500)) is True
    assert "正解です！" in capsys.readouterr().out


def test_cost_right_answer_matches_estimate_cost(replayed):
    assert l03.judge_cost(catalog.estimate_cost(course_utils.MODELS.paid, 1000, 500)) is None


# The cell starts with `answer = 0`: left as it is, the learner has answered nothing yet.
BLANK, WRONG = "まだ答えが入っていません。ヒント:", "まだ正解ではありません。ヒント:"


@pytest.mark.parametrize("make_answer, lead, expected", [
    (lambda p, c: 0, BLANK, "0 のまま"),
    (lambda p, c: "0.0003", WRONG, "数（ドル）"),
    (lambda p, c: (p * 1000 + c * 500) * 1_000_000, WRONG, "100万倍"),
    (lambda p, c: p * 1000, WRONG, "片方だけ"),
    (lambda p, c: p * 500 + c * 1000, WRONG, "入れ替わって"),
    (lambda p, c: 1.0, WRONG, "float() で数に直し"),
])
def test_cost_wrong_answers_get_specific_hints(replayed, capsys, make_answer, lead, expected):
    assert bool(exercises.check("03-1", make_answer(*paid_pricing()))) is False
    out = capsys.readouterr().out
    assert out.startswith(lead) and expected in out
    assert "解答例" not in out and "もう一息" not in out


def test_cheapest_right_answer(replayed, capsys):
    rows = catalog.models_table(replayed, min_context=l03.MIN_CONTEXT, sort="price")
    answer = [r for r in rows if not r.free][0]
    assert bool(exercises.check("03-2", answer.id)) is True
    assert bool(exercises.check("03-2", answer)) is True  # a table row is accepted too
    assert "正解です！" in capsys.readouterr().out


def test_cheapest_is_computed_from_the_catalogue(replayed):
    expected = l03.cheapest_long_context_paid()
    entry = catalog.get_model(expected)
    assert not catalog.is_free(entry) and entry["context_length"] >= l03.MIN_CONTEXT
    for other in catalog.models_table(replayed, min_context=l03.MIN_CONTEXT):
        if not other.free and other.input_per_m is not None:
            assert other.input_per_m >= catalog.price_per_million(entry["pricing"]["prompt"])


def test_cheapest_wrong_answers_get_specific_hints(replayed, capsys):
    free_long = next(r.id for r in catalog.models_table(replayed, free_only=True, min_context=l03.MIN_CONTEXT))
    cheapest_any = next(r.id for r in catalog.models_table(replayed, sort="price") if not r.free)
    pricier = [r.id for r in catalog.models_table(replayed, min_context=l03.MIN_CONTEXT, sort="price")
               if not r.free and r.input_per_m is not None][-1]
    cases = [("", BLANK, "文字列で"), ("no/such-model", WRONG, "カタログにない"), (free_long, WRONG, "無料モデル"),
             (cheapest_any, WRONG, "100万に届きません"), (pricier, WRONG, "もっと安い")]
    for answer, lead, expected in cases:
        assert bool(exercises.check("03-2", answer)) is False
        out = capsys.readouterr().out
        assert out.startswith(lead) and expected in out, (answer, out)


@pytest.mark.parametrize("exercise_id", ["03-1", "03-2"])
def test_solution_path(replayed, capsys, exercise_id):
    exercises.check(exercise_id, None)
    assert "answer =" not in capsys.readouterr().out  # a wrong answer never shows the solution
    exercises.solution(exercise_id)
    out = capsys.readouterr().out
    assert f"解答例（演習 {exercise_id}" in out and "answer =" in out


@pytest.mark.parametrize("exercise_id", ["03-1", "03-2"])
def test_printed_solution_is_right(replayed, capsys, exercise_id):
    code = exercises._find(exercise_id).solution
    namespace = {"course_utils": course_utils, "paid_model": course_utils.MODELS.paid, "models": replayed}
    exec(code, namespace)
    assert "正解です！" in capsys.readouterr().out
