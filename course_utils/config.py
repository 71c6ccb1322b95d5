"""Course-wide settings: the API base URL, environment variable names and file locations."""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_BASE_URL = "https://openrouter.ai/api/v1"

# Environment variables the course reads.
KEY_VAR = "OPENROUTER_API_KEY"
BASE_URL_VAR = "OPENROUTER_BASE_URL"
MODE_VAR = "COURSE_MODE"
NOTEBOOK_VAR = "COURSE_NOTEBOOK"  # the running lesson: its recording file (record), its recordings first (replay)
NO_DOTENV_VAR = "COURSE_NO_DOTENV"  # "1": ignore .env and Colab secrets (the test suite sets it)

RECORDINGS_DIR_VAR = "COURSE_RECORDINGS_DIR"  # tests and the record command's dry runs point elsewhere
# Seconds the prompt sender waits after each replayed chunk, so a replayed answer visibly streams.
# Headless runs (the test suite, the record command, the benchmark) set it to 0: nobody is watching.
REPLAY_PACE_VAR = "COURSE_REPLAY_PACE"
DEFAULT_REPLAY_PACE = 0.04

PACKAGE_DIR = Path(__file__).resolve().parent

# The shipped example recordings: the catalogue they list is OpenRouter's real public model list of
# CATALOGUE_DATE; the answers are examples authored to the API's wire format and dated RECORDED_AT (the day
# a recording's own first line names wins; live re-recordings name theirs: see recording_source).
CATALOGUE_DATE = "2026-08-19"
RECORDED_AT = "2026-08-20"


def base_url() -> str:
    """The API base URL: OPENROUTER_BASE_URL if set (a school proxy, a test server), else OpenRouter's."""
    return (os.environ.get(BASE_URL_VAR) or DEFAULT_BASE_URL).strip().rstrip("/")


def replay_pace() -> float:
    """Pause per replayed chunk in seconds: COURSE_REPLAY_PACE if it is a number >= 0, else the default."""
    try:
        pace = float(os.environ.get(REPLAY_PACE_VAR, DEFAULT_REPLAY_PACE))
    except ValueError:
        return DEFAULT_REPLAY_PACE
    return pace if pace >= 0 else DEFAULT_REPLAY_PACE


def recordings_dir() -> Path:
    """Where recordings are replayed from and written to (the package's own folder by default)."""
    return Path(os.environ.get(RECORDINGS_DIR_VAR) or PACKAGE_DIR / "recordings")
