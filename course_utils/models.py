"""The model ids the course uses, read from `course_models.toml` (the one place to change them)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields

from .config import PACKAGE_DIR


@dataclass(frozen=True)
class CourseModels:
    """Model ids by role; each lesson names its model once from here."""

    document: str
    free: str
    small_free: str
    large_free: str
    paid: str
    open_model: str
    compare_paid: str

    def as_dict(self) -> dict[str, str]:
        """Role -> model id."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def load_models() -> CourseModels:
    """Read the course's model ids from `course_models.toml`."""
    with open(PACKAGE_DIR / "course_models.toml", "rb") as f:
        return CourseModels(**tomllib.load(f))


MODELS = load_models()
