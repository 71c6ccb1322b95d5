"""Finding and checking the OpenRouter API key. Never prints, logs or returns any part of the key.

The key is read from the environment; `environment` is the module that writes it there (from .env, Colab's
secrets or the getpass prompt) and tells which of those the current value came from.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import environment, text
from .config import KEY_VAR, NO_DOTENV_VAR
from .course_errors import KeyProblem
from .environment import REPLAY_PLACEHOLDER
from .redact import KEY, KEY_HEX_LENGTH, KEY_PREFIX

__all__ = ["DOCUMENT_PLACEHOLDER", "KEY_MESSAGES", "REPLAY_PLACEHOLDER", "KeyLookup", "ask_api_key",
           "find_api_key", "key_status_ja", "unsendable_key_problem", "validate_key"]

DOCUMENT_PLACEHOLDER = text.DOCUMENT_PLACEHOLDER
KEY_MESSAGES = text.KEYS  # KeyProblem.code -> Japanese message
_KEY_LENGTH = len(KEY_PREFIX) + KEY_HEX_LENGTH


@dataclass(frozen=True)
class KeyLookup:
    """Where a key was found (never the key itself in any repr), whether it is usable, and notes on .env."""

    source: str  # "env" | "dotenv" | "colab" | "prompt" | "none"
    problem: KeyProblem | None = None
    notes: tuple[str, ...] = ()  # Japanese, for the banner: e.g. .env was read from another encoding

    @property
    def usable(self) -> bool:
        return self.source != "none" and self.problem is None


def validate_key(key: str | None) -> None:
    """Raise KeyProblem with a Japanese message if `key` is not a well-formed OpenRouter key."""
    def fail(code: str, **fmt: str) -> None:
        raise KeyProblem(code, KEY_MESSAGES[code].format(**fmt))

    if key is None:
        fail("missing")
    if not key.strip():
        fail("empty")
    if key != key.strip():
        fail("whitespace")
    if key[0] in "\"'" or key[-1] in "\"'":
        fail("quotes")
    if key == DOCUMENT_PLACEHOLDER or text.PLACEHOLDER_MARK in key:
        fail("placeholder")
    if not key.isascii():
        fail("non_ascii")
    if key.startswith("sk-or-"):
        if not KEY.fullmatch(key):
            fail("truncated" if len(key) < _KEY_LENGTH else "not_openrouter")
        return
    for prefix, service in text.OTHER_SERVICES:
        if key.startswith(prefix):
            fail("other_service", service=service)
    fail("not_openrouter")


def unsendable_key_problem(error: BaseException) -> KeyProblem | None:
    """The KeyProblem behind httpx's UnicodeEncodeError for an `api_key` it cannot put in a header, else None.

    A key with full-width characters (or the document's Japanese placeholder pasted into a cell) fails in
    openai before any request is sent; this names the case in Japanese without showing the key.
    """
    if not (isinstance(error, UnicodeEncodeError) and isinstance(error.object, str)
            and error.object.startswith("Bearer ")):
        return None
    try:
        validate_key(error.object[len("Bearer "):])
    except KeyProblem as problem:
        return problem
    return None


def _from_colab() -> str | None:
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        return userdata.get(KEY_VAR)
    except Exception:  # SecretNotFoundError / NotebookAccessError: the learner has not shared the secret
        return None


def _check(source: str, key: str | None, notes: tuple[str, ...] = ()) -> KeyLookup:
    try:
        validate_key(key)
    except KeyProblem as problem:
        return KeyLookup(source, problem, notes)
    return KeyLookup(source, notes=notes)


def find_api_key() -> KeyLookup:
    """Look for the key: environment, then .env (cwd upwards), then Colab secrets. Sets the env var if found."""
    environment.withdraw_stand_ins()  # an earlier setup()'s placeholder or Colab key: look again
    if os.environ.get(NO_DOTENV_VAR) == "1":
        env_key = os.environ.get(KEY_VAR)
        return KeyLookup("none") if env_key is None else _check(_source(), env_key)
    note = environment.apply_dotenv()
    notes = (note,) if note else ()
    key = os.environ.get(KEY_VAR)
    if key is not None:
        return _check(_source(), key, notes)
    key = _from_colab()
    if key is not None:
        environment.set_key(key, environment.COLAB)  # so the document's `os.getenv(...)` finds it
        return _check("colab", key, notes)
    return KeyLookup("none", notes=notes)


def _source() -> str:
    """The lookup source of the key now in the environment."""
    return {environment.DOTENV: "dotenv", environment.PROMPT: "prompt"}.get(environment.origin(KEY_VAR), "env")


def ask_api_key() -> KeyLookup:
    """Ask for the key without echoing it (for live coding on a projector); keeps it in this process only."""
    from getpass import getpass

    key = getpass(text.KEY_PROMPT)
    lookup = _check("prompt", key)
    if lookup.usable:
        environment.set_key(key, environment.PROMPT)
    return lookup


def key_status_ja(lookup: KeyLookup) -> str:
    """The only thing ever shown about a key: set or not set, and where from."""
    if lookup.source == "none":
        return text.KEY_STATUS["none"]
    where = text.KEY_SOURCES[lookup.source]
    return text.KEY_STATUS["problem" if lookup.problem else "set"].format(where=where)
