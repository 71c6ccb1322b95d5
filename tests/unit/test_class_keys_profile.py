"""The class profile (COURSE_PROFILE=class): in live mode the lessons' free roles are the class's paid models,
which the class guardrail allows; replay and record keep the recorded models; the banner note says which."""
from __future__ import annotations

import os
from pathlib import Path

import openai
import pytest

import course_utils
from course_utils import config
from course_utils.__main__ import main
from course_utils.class_keys.api import MANAGEMENT_KEY_VAR
from course_utils.model_ids import CLASS_PROFILE, FREE_ROLES, PROFILE_VAR, load_models, profile_note
from fake_openrouter import FakeOpenRouter
from fake_openrouter.auth import MANAGEMENT_KEY

DEFAULT, CLASS = load_models(), load_models(CLASS_PROFILE)
PROMPT = "日本で一番高い山について、その標高と名前を教えてください。"


@pytest.fixture
def server():
    with FakeOpenRouter() as fake:
        yield fake


@pytest.fixture
def course(clean_env: Path, monkeypatch, server: FakeOpenRouter) -> Path:
    """setup() may run in this test: its mode and base URL are put back afterwards."""
    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    monkeypatch.setenv(config.BASE_URL_VAR, server.base_url)
    monkeypatch.setenv("COURSE_NO_DOTENV", "1")
    monkeypatch.delenv(PROFILE_VAR, raising=False)
    return clean_env


def test_the_class_profile_replaces_every_free_role_by_a_paid_catalogue_model(server: FakeOpenRouter) -> None:
    for role in FREE_ROLES:
        model = server.catalogue.get(getattr(CLASS, role))
        assert model is not None and float(model["pricing"]["completion"]) > 0, role
        assert getattr(DEFAULT, role).endswith(":free")
    assert {r: m for r, m in CLASS.as_dict().items() if r not in FREE_ROLES} == \
        {r: m for r, m in DEFAULT.as_dict().items() if r not in FREE_ROLES}


def test_a_student_with_a_class_key_runs_the_lessons_model_and_pays_a_little(course: Path, server: FakeOpenRouter,
                                                                             monkeypatch) -> None:
    monkeypatch.setenv(MANAGEMENT_KEY_VAR, MANAGEMENT_KEY)
    assert main(["class-keys", "create", "--count", "1", "--limit", "1", "--models", "course",
                 "--out", str(course / "keys"), "--yes"]) == 0
    key = (course / "keys" / "keys.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[1]
    monkeypatch.delenv(MANAGEMENT_KEY_VAR)
    (course / ".env").write_text(f"OPENROUTER_API_KEY={key}\nCOURSE_PROFILE=class\n", encoding="utf-8")
    monkeypatch.delenv("COURSE_NO_DOTENV")  # the student's .env, as the slip says

    course_utils.setup(quiet=True)
    assert course_utils.MODE == "live"
    assert course_utils.MODELS.free == CLASS.free
    assert course_utils.MODELS.as_dict()["small_free"] == CLASS.small_free
    assert CLASS.free in profile_note("live")
    client = openai.OpenAI(base_url=course_utils.BASE_URL, api_key=os.getenv(config.KEY_VAR), max_retries=0)
    answer = client.chat.completions.create(model=course_utils.MODELS.free,
                                            messages=[{"role": "user", "content": PROMPT}])
    assert answer.usage.cost > 0  # not "cost 0": the banner note says so
    with pytest.raises(openai.PermissionDeniedError):  # the lessons' usual :free model is not the class's
        client.chat.completions.create(model=DEFAULT.free, messages=[{"role": "user", "content": PROMPT}])


def test_replay_keeps_the_recorded_models(course: Path, monkeypatch) -> None:
    monkeypatch.setenv(PROFILE_VAR, "class")
    monkeypatch.setenv(config.MODE_VAR, "replay")
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"
    assert course_utils.MODELS.free == DEFAULT.free
    assert "ライブモード用の設定" in profile_note("replay")


def test_without_a_profile_or_with_an_unknown_one_the_default_models(course: Path, monkeypatch,
                                                                    fake_key: str) -> None:
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "live"
    assert course_utils.MODELS.free == DEFAULT.free and profile_note("live") is None
    monkeypatch.setenv(PROFILE_VAR, "klass")
    assert course_utils.MODELS.free == DEFAULT.free
    assert "COURSE_PROFILE='klass' は使えない値です" in profile_note("live")


def test_the_profile_is_read_from_dotenv_without_writing_the_environment(course: Path, monkeypatch) -> None:
    monkeypatch.delenv("COURSE_NO_DOTENV")
    (course / ".env").write_text("COURSE_PROFILE=class\n", encoding="utf-8")
    assert CLASS.free in profile_note("live")
    assert PROFILE_VAR not in os.environ
