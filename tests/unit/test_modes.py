"""Mode choice and overrides, and the banner a learner sees after setup()."""
from __future__ import annotations

import os

import pytest

import course_utils
from course_utils import modes
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR
from course_utils.course_errors import KeyProblem, RecordWithoutKeyError
from course_utils.keys import REPLAY_PLACEHOLDER, KeyLookup
from tests.conftest import FAKE_KEY

USABLE = KeyLookup("env")
NONE = KeyLookup("none")
BAD = KeyLookup("env", KeyProblem("truncated", "途中で切れています"))


@pytest.mark.parametrize("lookup, forced, expected", [
    (USABLE, "", "live"), (NONE, "", "replay"), (BAD, "", "replay"),
    (USABLE, "replay", "replay"), (USABLE, "record", "record"), (NONE, "live", "replay"),
    (USABLE, "LIVE", "live"), (USABLE, "nonsense", "live"),
])
def test_mode_choice(monkeypatch, lookup, forced, expected):
    monkeypatch.setenv(MODE_VAR, forced)
    assert modes.choose_mode(lookup).mode == expected


def test_record_without_key_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(MODE_VAR, "record")
    with pytest.raises(RecordWithoutKeyError, match="APIキーが必要"):
        modes.choose_mode(NONE)


def test_notes_explain_fallbacks(monkeypatch):
    monkeypatch.setenv(MODE_VAR, "live")
    assert "再生モードで続けます" in modes.choose_mode(NONE).notes[0]
    monkeypatch.setenv(MODE_VAR, "")
    assert "途中で切れています" in modes.choose_mode(BAD).notes[0]


def test_setup_without_key_replays_and_says_so(clean_env, capsys):
    course_utils.setup()
    out = capsys.readouterr().out
    assert course_utils.MODE == "replay"
    assert "【再生モード】" in out and "見本" in out and "python -m course_utils record" in out
    assert "APIキー: 未設定" in out and "https://openrouter.ai/api/v1" in out
    # The document's `api_key = os.getenv("OPENROUTER_API_KEY")` must find something to run unchanged.
    assert os.environ[KEY_VAR] == REPLAY_PLACEHOLDER


def test_setup_with_key_goes_live_and_never_prints_the_key(clean_env, monkeypatch, capsys):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    course_utils.setup()
    out = capsys.readouterr().out
    assert course_utils.MODE == "live" and "【ライブモード】" in out and "設定済み" in out
    for fragment in (FAKE_KEY, FAKE_KEY[:12], FAKE_KEY[-6:], FAKE_KEY[9:17]):
        assert fragment not in out


def test_setup_with_malformed_key_explains_and_replays(clean_env, monkeypatch, capsys):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY[:25])
    course_utils.setup()
    out = capsys.readouterr().out
    assert course_utils.MODE == "replay" and "途中で切れている" in out
    assert FAKE_KEY[:25] not in out


def test_base_url_override_is_exported_and_shown(clean_env, monkeypatch, capsys):
    monkeypatch.setenv(BASE_URL_VAR, "http://127.0.0.1:9/api/v1/")
    course_utils.setup()
    assert course_utils.BASE_URL == "http://127.0.0.1:9/api/v1"
    assert "接続先: http://127.0.0.1:9/api/v1" in capsys.readouterr().out


def test_setup_again_after_adding_a_key_switches_to_live(clean_env, capsys):
    course_utils.setup()
    (clean_env / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\n", encoding="utf-8")
    course_utils.setup()
    assert course_utils.MODE == "live"
    assert course_utils.replay.active() is None
