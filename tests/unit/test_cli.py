"""`python -m course_utils`: the subcommands are wired up (record, doctor, solutions)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from course_utils.__main__ import main
from course_utils.exercises import _REGISTRY, Exercise, all_exercises


def test_help_lists_every_subcommand():
    out = subprocess.run([sys.executable, "-m", "course_utils", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert "record" in out and "doctor" in out and "solutions" in out


def test_record_still_refuses_without_a_key(clean_env, capsys):
    assert main(["record", str(clean_env)]) == 2
    assert "APIキーが必要" in capsys.readouterr().out


def test_doctor_subcommand_runs_offline(clean_env, capsys):
    assert main(["doctor", "--offline", str(clean_env / "none")]) == 1
    assert "ノートブックが見つかりません" in capsys.readouterr().out


def test_solutions_prints_every_registered_solution_and_hint(capsys):
    assert main(["solutions"]) == 0
    out = capsys.readouterr().out
    for exercise in all_exercises():
        assert f"解答例（演習 {exercise.id}: {exercise.title}）" in out
        assert exercise.solution.strip().splitlines()[0] in out and f"ヒント: {exercise.hint}" in out


@pytest.fixture
def one_exercise(monkeypatch):
    all_exercises()  # load the lesson modules before adding ours
    monkeypatch.setitem(_REGISTRY, "99-9", Exercise("99-9", "テスト用", lambda a: None, "ヒント文", "answer = 42\n"))


def test_solutions_of_named_exercises_only(one_exercise, capsys):
    assert main(["solutions", "99-9"]) == 0
    out = capsys.readouterr().out
    assert out == "解答例（演習 99-9: テスト用）\nanswer = 42\nヒント: ヒント文\n\n"
    assert main(["solutions", "00-0"]) == 1
    assert "登録されている演習はありません" in capsys.readouterr().out


def test_record_passes_accept_new_errors_on(monkeypatch):
    seen = {}
    monkeypatch.setattr("course_utils.record.main",
                        lambda paths, accept_new_errors=False: seen.update(paths=paths, accept=accept_new_errors) or 0)
    assert main(["record", "--accept-new-errors", "notebooks"]) == 0
    assert seen == {"paths": ["notebooks"], "accept": True}
    assert main(["record"]) == 0 and seen == {"paths": [], "accept": False}
