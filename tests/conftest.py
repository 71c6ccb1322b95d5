"""Shared fixtures: a clean environment (no key, no .env, no mode override) and a fake key."""
from __future__ import annotations

import os

import pytest

from course_utils import config, keys, replay

# The suite (and the notebook kernels nbval starts, which inherit this environment) always runs in
# replay mode with no key, whatever the developer's shell or .env holds.
for _name in (config.KEY_VAR, config.BASE_URL_VAR, config.NOTEBOOK_VAR, config.RECORDINGS_DIR_VAR):
    os.environ.pop(_name, None)
os.environ[config.MODE_VAR] = "replay"
os.environ[config.NO_DOTENV_VAR] = "1"
os.environ[config.REPLAY_PACE_VAR] = "0"  # headless: no pause per replayed chunk (a test sets its own)

# Built at run time so that no key-shaped literal sits in the repository (the secrets gate scans it).
FAKE_KEY = "sk-or-v1-" + "0123456789abcdef" * 4

COURSE_ENV_VARS = (config.KEY_VAR, config.BASE_URL_VAR, config.MODE_VAR, config.NOTEBOOK_VAR,
                   config.NO_DOTENV_VAR, config.RECORDINGS_DIR_VAR, "JPY_SESSION_NAME")


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No course variables set and a working directory without any .env above it.

    The whole environment is restored afterwards: setup(), .env loading and getpass set variables directly.
    """
    saved = dict(os.environ)
    for name in COURSE_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    _forget_loaded_keys()
    yield tmp_path
    replay.stop()
    os.environ.clear()
    os.environ.update(saved)
    _forget_loaded_keys()


def _forget_loaded_keys() -> None:
    """keys remembers which variables it set from .env or Colab; the environment is restored, so forget them."""
    keys._dotenv_set.clear()
    keys._colab_key = None


@pytest.fixture
def fake_key() -> str:
    return FAKE_KEY
