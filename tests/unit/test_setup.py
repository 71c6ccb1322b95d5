"""What setup() wires together, seen from a lesson: banner notes, the class profile, retries in live mode."""
from __future__ import annotations

import time

import openai
import pytest
from openai import OpenAI, _base_client

import course_utils
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, RECORDINGS_DIR_VAR
from fake_openrouter import FakeOpenRouter

MODEL = "liquid/lfm-2.5-2.6b:free"


@pytest.fixture
def openai_retries_as_shipped(monkeypatch):
    """openai's own retry decision, whatever an earlier test installed (restored afterwards)."""
    current = _base_client.BaseClient._should_retry
    monkeypatch.setattr(_base_client.BaseClient, "_should_retry", getattr(current, "__wrapped__", current))


def test_live_setup_stops_openai_retrying_a_per_day_limit(clean_env, monkeypatch, fake_key,
                                                          openai_retries_as_shipped):
    with FakeOpenRouter() as server:
        monkeypatch.setenv(BASE_URL_VAR, server.base_url)
        monkeypatch.setenv(KEY_VAR, fake_key)
        course_utils.setup(quiet=True)
        assert course_utils.MODE == "live"
        client = OpenAI(base_url=server.base_url, api_key=fake_key)  # the lessons' client: max_retries=2
        server.inject("429-free-per-day", times=3)
        started = time.monotonic()
        with pytest.raises(openai.RateLimitError):
            client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "こんにちは"}])
        assert time.monotonic() - started < 5
        assert sum(r.path.endswith("/chat/completions") for r in server.requests) == 1


def test_replay_setup_leaves_openai_retries_alone(clean_env, openai_retries_as_shipped):
    before = _base_client.BaseClient._should_retry
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"
    assert _base_client.BaseClient._should_retry is before  # replay never imports or patches openai for this


def test_the_banner_names_a_broken_recording(clean_env, monkeypatch, capsys):
    folder = clean_env / "recordings"
    folder.mkdir()
    (folder / "01_broken.yaml").write_text("interactions:\n- request: {method: POST\n", encoding="utf-8")
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(folder))
    course_utils.setup("01_broken")
    banner = capsys.readouterr().out
    assert "01_broken.yaml" in banner and "再生モード" in banner


def test_the_banner_says_when_the_class_profile_is_active(clean_env, monkeypatch, fake_key, capsys):
    with FakeOpenRouter() as server:
        monkeypatch.setenv(BASE_URL_VAR, server.base_url)
        monkeypatch.setenv(KEY_VAR, fake_key)
        monkeypatch.setenv("COURSE_PROFILE", "class")
        course_utils.setup()
        assert "クラス用の設定" in capsys.readouterr().out
        monkeypatch.setenv(MODE_VAR, "replay")
        course_utils.setup()
        assert "クラス用の設定（COURSE_PROFILE=class）" not in capsys.readouterr().out
