"""What an exercise cell says before the learner has written anything, and after a wrong answer.

A saved lesson runs every exercise cell as shipped: the line under an untouched cell must not read as if an
answer had been tried ("もう一息です" did), and a real wrong answer says "not right yet" with its hint.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import course_utils
from course_utils import exercises

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
BLANK, WRONG = "まだ答えが入っていません。ヒント:", "まだ正解ではありません。ヒント:"
_CHECK = re.compile(r'exercises\.check\("([0-9]{2}-[0-9])", answer\)')
_ANSWER = re.compile(r"^answer = (.+?)(?:\s+#.*)?$", re.MULTILINE)


def starting_answers() -> list[tuple[str, object]]:
    """(exercise id, the value of `answer = ...`) of every shipped cell that checks a plain `answer`."""
    found = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            check, answer = _CHECK.search(source), _ANSWER.search(source)
            if cell["cell_type"] == "code" and check and answer:
                found.append((check.group(1), ast.literal_eval(answer.group(1))))
    return found


STARTING = starting_answers()


@pytest.fixture
def replayed(clean_env, capsys):
    course_utils.setup(quiet=True)
    capsys.readouterr()


def test_the_lessons_have_untouched_answer_cells():
    ids = {exercise_id for exercise_id, _ in STARTING}
    assert {"01-1", "02-1", "03-1", "03-2", "07-2", "99-1"} <= ids  # None, 0 and "" starting values


@pytest.mark.parametrize("exercise_id, answer", STARTING, ids=[i for i, _ in STARTING])
def test_an_untouched_cell_says_nothing_is_answered_yet(replayed, capsys, exercise_id, answer):
    assert not exercises.check(exercise_id, answer)
    out = capsys.readouterr().out
    assert out.startswith(BLANK) and "もう一息" not in out, out


@pytest.mark.parametrize("exercise_id, answer, hint", [
    ("99-1", "z", "a・b・c"),
    ("03-2", "no/such-model", "カタログにない"),
])
def test_a_wrong_answer_says_not_right_yet(replayed, capsys, exercise_id, answer, hint):
    assert not exercises.check(exercise_id, answer)
    out = capsys.readouterr().out
    assert out.startswith(WRONG) and hint in out, out


def test_false_is_an_answer_not_a_blank(replayed, capsys):
    exercises.check("99-1", False)
    assert capsys.readouterr().out.startswith(WRONG)
