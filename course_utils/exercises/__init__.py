"""Exercise checking: each lesson registers its exercises (check, hint, solution) in its own module here.

Learners call `check("01-1", answer)`; a wrong answer prints a hint, and `solution("01-1")` shows the
worked solution only when asked. Expected answers are computed from the same (recorded or live) API data
the lesson uses, never hard-coded.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Learner-facing text.
TEXT = {
    "right": "正解です！ {praise}",
    "wrong": "まだ正解ではありません。ヒント: {hint}",
    "blank": "まだ答えが入っていません。ヒント: {hint}",
    "unknown": "演習「{id}」は見つかりません。番号を確認してください（例: \"01-1\"）。",
    "solution_header": "解答例（演習 {id}: {title}）",
}


@dataclass(frozen=True)
class Exercise:
    """One exercise: `judge(answer)` returns None when right, or a specific hint when wrong."""

    id: str
    title: str
    judge: Callable[[Any], str | None]
    hint: str
    solution: str
    praise: str = ""


_REGISTRY: dict[str, Exercise] = {}
_loaded = False


class CheckResult:
    """The outcome of `check`: truthy when right. Shows nothing in a notebook (the message is printed)."""

    __slots__ = ("ok",)

    def __init__(self, ok: bool):
        self.ok = ok

    def __bool__(self) -> bool:
        return self.ok

    def __eq__(self, other: object) -> bool:
        return bool(self) == other if isinstance(other, (bool, CheckResult)) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.ok)

    def __repr__(self) -> str:
        return f"CheckResult({self.ok})"

    def _ipython_display_(self) -> None:
        """Display nothing: a bare True/False under the printed praise or hint would only confuse."""


def register(exercise: Exercise) -> Exercise:
    """Add an exercise (called by the lesson modules in this package)."""
    _REGISTRY[exercise.id] = exercise
    return exercise


def _find(exercise_id: str) -> Exercise | None:
    global _loaded
    if not _loaded:  # import every lesson module once, whichever was imported first
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return _REGISTRY.get(exercise_id)


def check(exercise_id: str, answer: Any) -> CheckResult:
    """Check a learner's answer offline; print praise or a hint (never the solution)."""
    exercise = _find(exercise_id)
    if exercise is None:
        print(TEXT["unknown"].format(id=exercise_id))
        return CheckResult(False)
    problem = exercise.judge(answer)
    if problem is None:
        print(TEXT["right"].format(praise=exercise.praise).rstrip())
        return CheckResult(True)
    print(TEXT["blank" if _is_blank(answer) else "wrong"].format(hint=problem or exercise.hint))
    return CheckResult(False)


def _is_blank(answer: Any) -> bool:
    """Whether `answer` is still what an exercise cell starts with (None, "" or 0), i.e. nothing answered yet:
    a saved lesson runs every exercise cell untouched, and "not right yet" would misstate that."""
    return answer is None or (type(answer) in (str, int, float) and not answer)


def solution(exercise_id: str) -> None:
    """Print the worked solution of an exercise (only when a learner or instructor asks for it)."""
    exercise = _find(exercise_id)
    if exercise is None:
        print(TEXT["unknown"].format(id=exercise_id))
        return
    print(TEXT["solution_header"].format(id=exercise.id, title=exercise.title))
    print(exercise.solution.strip("\n"))


def all_exercises() -> list[Exercise]:
    """Every registered exercise, in id order (for the instructor's overview and tests)."""
    _find("")
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]
