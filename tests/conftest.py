"""Shared fixtures: a clean environment (no key, no .env, no mode override) and a fake key."""
from __future__ import annotations

import os
import sys

import pytest

from course_utils import config, environment, replay

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
    for name in COURSE_ENV_VARS:  # through monkeypatch, so that a test's own setenv is undone in order
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    environment.forget()  # what an earlier setup() wrote is not this test's
    with environment.patched():
        try:
            yield tmp_path
        finally:
            replay.stop()
    environment.forget()
    catalog = sys.modules.get("course_utils.catalog")
    if catalog is not None:  # a catalogue fetched from this test's server is not the next test's
        catalog.clear_cache()


@pytest.fixture
def fake_key() -> str:
    return FAKE_KEY
