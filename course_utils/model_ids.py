"""The model ids the course uses, read from `course_models.toml` (the one place to change them).

The file's top level is the default profile; a table such as `[class]` is a profile that replaces some roles.
`COURSE_PROFILE` (environment or `.env`) chooses it. A profile other than the default applies in live mode
only: replay and record mode use the default roles, because the recordings are of those models.
`MODELS.free` etc. look the active profile up on each access, so a lesson that ran `setup()` sees its mode's.
"""
from __future__ import annotations

import importlib
import os
import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from . import text
from .config import NO_DOTENV_VAR, PACKAGE_DIR

PROFILE_VAR = "COURSE_PROFILE"
DEFAULT_PROFILE = "default"
CLASS_PROFILE = "class"
FREE_ROLES = ("free", "small_free", "large_free")


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


@cache
def _toml() -> dict:
    with open(PACKAGE_DIR / "course_models.toml", "rb") as f:
        return tomllib.load(f)


def profile_names() -> tuple[str, ...]:
    """The profiles `course_models.toml` defines, the default first."""
    return (DEFAULT_PROFILE, *(name for name, value in _toml().items() if isinstance(value, dict)))


def load_models(profile: str = DEFAULT_PROFILE) -> CourseModels:
    """The course's model ids under `profile` (the default roles, with the profile's table applied)."""
    data = _toml()
    roles = {name: value for name, value in data.items() if isinstance(value, str)}
    if profile != DEFAULT_PROFILE:
        roles.update(data[profile])
    return CourseModels(**roles)


def requested_profile() -> str | None:
    """The COURSE_PROFILE value as set (environment first, else the nearest .env), or None; not validated.

    `.env` is read, never applied: the environment is environment.py's to write (setup() applies .env).
    """
    value = os.environ.get(PROFILE_VAR)
    if value is None and os.environ.get(NO_DOTENV_VAR) != "1":
        from dotenv import find_dotenv

        from .environment import read_dotenv

        path = find_dotenv(usecwd=True)
        value = read_dotenv(Path(path))[0].get(PROFILE_VAR) if path else None
    return value.strip() or None if value is not None else None


def active_profile() -> str:
    """The profile COURSE_PROFILE names if `course_models.toml` has it, else the default."""
    wanted = requested_profile()
    return wanted if wanted in profile_names() else DEFAULT_PROFILE


def _course_mode() -> str:
    """The mode setup() chose (the package's public MODE; replay until setup() ran)."""
    return importlib.import_module(__package__).MODE


def current() -> CourseModels:
    """The roles in effect now: the active profile in live mode, the default one otherwise."""
    from .modes import LIVE

    return load_models(active_profile() if _course_mode() == LIVE else DEFAULT_PROFILE)


def profile_note(mode: str) -> str | None:
    """The banner's Japanese note about COURSE_PROFILE for `mode`, or None under the default profile."""
    from .modes import LIVE

    wanted = requested_profile()
    if wanted is None or wanted == DEFAULT_PROFILE:
        return None
    if wanted not in profile_names():
        return text.CLASS_KEYS["profile_unknown"].format(value=wanted, names=" / ".join(profile_names()))
    if mode != LIVE:
        return text.CLASS_KEYS["profile_not_live"].format(profile=wanted)
    models = load_models(wanted)
    return text.CLASS_KEYS["profile_live"].format(profile=wanted, free=models.free)


class ActiveModels:
    """`MODELS`: the role ids of `current()`, looked up on each access (`MODELS.free`, `MODELS.as_dict()`)."""

    def __getattr__(self, role: str) -> str:
        return getattr(current(), role)

    def as_dict(self) -> dict[str, str]:
        """Role -> model id under the roles in effect now."""
        return current().as_dict()

    def __repr__(self) -> str:
        return repr(current())


MODELS = ActiveModels()
