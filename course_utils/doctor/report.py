"""What the offline and live checks share: the report line (texts from `text.DOCTOR`) and the models checked."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model_ids import MODELS
from ..text import DOCTOR

# The course document's model, retired on purpose (lesson 04 shows its error): reported, never a problem.
RETIRED_ROLE = "document"


@dataclass(frozen=True)
class Finding:
    """One line of the report: `level` is "ok", "problem" or "info"; `more` are indented follow-up lines."""

    level: str
    message: str
    more: tuple[str, ...] = field(default=())

    def render(self) -> str:
        return "\n".join([DOCTOR[self.level] + self.message, *self.more])


def ok(key: str, **values: Any) -> Finding:
    """An [OK] line: DOCTOR[key] filled with `values`."""
    return Finding("ok", DOCTOR[key].format(**values))


def problem(key: str, *more: str, **values: Any) -> Finding:
    """A [問題] line, with follow-up lines `more`."""
    return Finding("problem", DOCTOR[key].format(**values), more)


def info(key: str, **values: Any) -> Finding:
    """An [情報] line."""
    return Finding("info", DOCTOR[key].format(**values))


def course_models() -> dict[str, str]:
    """Role -> model id of every model the course must still have (all but the retired document model)."""
    return {role: model for role, model in MODELS.as_dict().items() if role != RETIRED_ROLE}
