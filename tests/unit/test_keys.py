"""Key lookup order, every malformed-key case, and that key material is never shown."""
from __future__ import annotations

import os
import sys
import types

import pytest

from course_utils import keys
from course_utils.config import KEY_VAR
from course_utils.course_errors import KeyProblem
from tests.conftest import FAKE_KEY

OTHER_KEY = "sk-or-v1-" + "fedcba9876543210" * 4


def problem_of(key):
    with pytest.raises(KeyProblem) as info:
        keys.validate_key(key)
    return info.value


def test_well_formed_key_passes():
    keys.validate_key(FAKE_KEY)


@pytest.mark.parametrize("key, code, words", [
    ("", "empty", "空"),
    ("   ", "empty", "空"),
    (FAKE_KEY + "\n", "whitespace", "空白"),
    (" " + FAKE_KEY, "whitespace", "空白"),
    ('"' + FAKE_KEY + '"', "quotes", "引用符"),
    (keys.DOCUMENT_PLACEHOLDER, "placeholder", "見本"),
    ("sk-or-v1-ここにキー", "placeholder", "見本"),
    (FAKE_KEY[:-1] + "０", "non_ascii", "全角"),
    ("sk-proj-" + "a" * 40, "other_service", "OpenAI"),
    ("sk-ant-api03-" + "a" * 40, "other_service", "Anthropic"),
    (FAKE_KEY[:30], "truncated", "途中で切れて"),
    ("hello", "not_openrouter", "sk-or-v1-"),
    (None, "missing", "設定されていません"),
])
def test_malformed_keys_get_their_own_japanese_message(key, code, words):
    problem = problem_of(key)
    assert problem.code == code
    assert words in problem.message


def test_messages_never_contain_the_key():
    secret_part = FAKE_KEY[len("sk-or-v1-"):][:10]
    for bad in (FAKE_KEY + " ", '"' + FAKE_KEY + '"', FAKE_KEY[:40], FAKE_KEY + "x"):
        assert secret_part not in problem_of(bad).message


def test_environment_wins_over_dotenv(clean_env, monkeypatch):
    (clean_env / ".env").write_text(f"{KEY_VAR}={OTHER_KEY}\n", encoding="utf-8")
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    lookup = keys.find_api_key()
    assert lookup.source == "env" and lookup.usable
    assert os.environ[KEY_VAR] == FAKE_KEY


def test_dotenv_found_from_a_subfolder_and_read_as_utf8(clean_env):
    (clean_env / ".env").write_text(f"# 日本語のコメント\n{KEY_VAR}={FAKE_KEY}\n", encoding="utf-8")
    sub = clean_env / "notebooks"
    sub.mkdir()
    os.chdir(sub)
    lookup = keys.find_api_key()
    assert lookup.source == "dotenv" and lookup.usable
    assert os.environ[KEY_VAR] == FAKE_KEY


def test_colab_secret_is_used_when_nothing_else(clean_env, monkeypatch):
    userdata = types.SimpleNamespace(get=lambda name: FAKE_KEY if name == KEY_VAR else None)
    colab = types.ModuleType("google.colab")
    colab.userdata = userdata
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    lookup = keys.find_api_key()
    assert lookup.source == "colab" and lookup.usable
    assert os.environ[KEY_VAR] == FAKE_KEY
    assert keys.find_api_key().source == "colab", "running setup() again still names the secret as the source"


def test_no_key_anywhere_means_none(clean_env):
    lookup = keys.find_api_key()
    assert lookup.source == "none" and not lookup.usable
    assert keys.key_status_ja(lookup) == "未設定"


def test_dotenv_placeholder_from_env_example_is_reported_empty(clean_env):
    (clean_env / ".env").write_text(f"{KEY_VAR}=\n", encoding="utf-8")
    lookup = keys.find_api_key()
    assert lookup.problem is not None and lookup.problem.code == "empty"


def test_replay_placeholder_is_not_taken_for_a_key(clean_env, monkeypatch):
    monkeypatch.setenv(KEY_VAR, keys.REPLAY_PLACEHOLDER)
    (clean_env / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\n", encoding="utf-8")
    lookup = keys.find_api_key()
    assert lookup.source == "dotenv" and lookup.usable


def test_getpass_prompt_sets_the_key_for_this_process_only(clean_env, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: FAKE_KEY)
    lookup = keys.ask_api_key()
    assert lookup.source == "prompt" and lookup.usable
    assert os.environ[KEY_VAR] == FAKE_KEY
    assert FAKE_KEY not in keys.key_status_ja(lookup) and "設定済み" in keys.key_status_ja(lookup)


def test_getpass_with_a_bad_key_does_not_set_it(clean_env, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "sk-proj-abc")
    lookup = keys.ask_api_key()
    assert not lookup.usable and KEY_VAR not in os.environ


def test_fixing_dotenv_and_running_setup_again_uses_the_new_key(clean_env):
    """A learner fixes a wrong key in .env and re-runs the first cell: no kernel restart needed."""
    dotenv = clean_env / ".env"
    dotenv.write_text(f"{KEY_VAR}=sk-or-v1-ここにあなたのAPIキーを貼り付けてください\n", encoding="utf-8")
    first = keys.find_api_key()
    assert first.source == "dotenv" and first.problem is not None and first.problem.code == "placeholder"
    dotenv.write_text(f"{KEY_VAR}={FAKE_KEY}\n", encoding="utf-8")
    second = keys.find_api_key()
    assert second.source == "dotenv" and second.usable and os.environ[KEY_VAR] == FAKE_KEY
    assert keys.key_status_ja(keys.find_api_key()) == "設定済み（.env ファイル）"  # still from .env on a third run
    dotenv.write_text("# キーの行を消した\n", encoding="utf-8")
    assert keys.find_api_key().source == "none" and KEY_VAR not in os.environ


def test_a_variable_set_outside_the_course_is_never_replaced_by_dotenv(clean_env, monkeypatch):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    (clean_env / ".env").write_text(f"{KEY_VAR}={OTHER_KEY}\n", encoding="utf-8")
    keys.find_api_key()
    (clean_env / ".env").write_text("", encoding="utf-8")
    assert keys.find_api_key().source == "env" and os.environ[KEY_VAR] == FAKE_KEY


def test_base_url_from_dotenv_applies_on_the_first_setup(clean_env, monkeypatch):
    import course_utils

    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    (clean_env / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\nOPENROUTER_BASE_URL=http://127.0.0.1:9/api/v1\n"
                                    "COURSE_MODE=replay\n", encoding="utf-8")
    course_utils.setup(quiet=True)
    assert course_utils.BASE_URL == "http://127.0.0.1:9/api/v1" and course_utils.MODE == "replay"
