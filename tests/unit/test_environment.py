"""The environment contract (what the course writes into os.environ, and that outside values win), a key that
cannot be sent (the document's Japanese placeholder, full-width characters) and .env files saved by Windows
editors (Shift-JIS, UTF-16)."""
from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from openai import OpenAI

import course_utils
from course_utils import environment, keys
from course_utils.config import KEY_VAR, MODE_VAR, NO_DOTENV_VAR, NOTEBOOK_VAR
from fake_openrouter import FakeOpenRouter
from tests.conftest import FAKE_KEY

FULL_WIDTH_KEY = FAKE_KEY[:-1] + "０"  # the last digit typed with the Japanese input method on
LESSON_04 = Path(__file__).resolve().parents[2] / "notebooks" / "04_python_api.ipynb"
DOTENV_TEXT = f"# OpenRouter のキー（日本語のコメント）\n{KEY_VAR}={FAKE_KEY}\n"


def _outputs_text(cell) -> str:
    return "".join(o.get("text", "") or str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def _printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


# -- the contract ----------------------------------------------------------------------------------------

def test_origin_names_what_the_course_wrote_and_forgets_values_changed_outside(clean_env, monkeypatch):
    (clean_env / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\nCOURSE_EXTRA=1\n", encoding="utf-8")
    environment.apply_dotenv()
    assert environment.origin(KEY_VAR) == environment.DOTENV and os.environ["COURSE_EXTRA"] == "1"
    monkeypatch.setenv("COURSE_EXTRA", "2")  # the learner sets it in the shell: it is theirs now
    (clean_env / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\n", encoding="utf-8")
    environment.apply_dotenv()
    assert environment.origin("COURSE_EXTRA") is None and os.environ["COURSE_EXTRA"] == "2"


def test_patched_restores_the_environment_and_what_the_course_wrote(clean_env, monkeypatch):
    monkeypatch.setenv(MODE_VAR, "replay")
    with environment.patched(**{MODE_VAR: None, "COURSE_PATCHED": "yes"}):
        assert MODE_VAR not in os.environ and os.environ["COURSE_PATCHED"] == "yes"
        environment.set_key(FAKE_KEY, environment.PROMPT)
    assert os.environ[MODE_VAR] == "replay" and "COURSE_PATCHED" not in os.environ
    assert KEY_VAR not in os.environ and environment.origin(KEY_VAR) is None


def test_the_getpass_key_is_named_as_typed_in_after_setup(clean_env, monkeypatch, capsys):
    monkeypatch.setattr("getpass.getpass", lambda prompt: FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "replay")  # nothing is sent: this is about the banner only
    course_utils.ask_api_key()
    assert "APIキー: 設定済み（入力）" in capsys.readouterr().out


def test_a_usable_key_is_left_alone_in_replay_mode(clean_env, monkeypatch):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "replay")
    course_utils.setup(quiet=True)
    assert os.environ[KEY_VAR] == FAKE_KEY


# -- a key that cannot be sent ------------------------------------------------------------------------------

@pytest.mark.parametrize("bad_key, code, words", [
    (keys.DOCUMENT_PLACEHOLDER, "placeholder", "見本の文字"),
    (FULL_WIDTH_KEY, "non_ascii", "全角文字"),
])
def test_an_unsendable_key_in_dotenv_is_explained_and_replay_gets_a_sendable_one(clean_env, capsys, bad_key, code,
                                                                                 words):
    (clean_env / ".env").write_text(f"{KEY_VAR}={bad_key}\n", encoding="utf-8")
    course_utils.setup()
    out = capsys.readouterr().out
    assert course_utils.MODE == "replay" and words in out and "APIキー: 形式に問題あり（.env ファイル）" in out
    # The document's `OpenAI(api_key=os.getenv(...))` must be able to build its request for the replayer.
    assert os.environ[KEY_VAR].isascii()
    course_utils.setup()  # the first cell run again, .env not fixed yet: the same explanation
    assert words in capsys.readouterr().out
    (clean_env / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\n", encoding="utf-8")
    assert keys.find_api_key().source == "dotenv" and os.environ[KEY_VAR] == FAKE_KEY


def test_an_unsendable_key_set_outside_the_course_is_still_reported_on_every_setup(clean_env, monkeypatch, capsys):
    monkeypatch.setenv(KEY_VAR, FULL_WIDTH_KEY)
    course_utils.setup()
    course_utils.setup()
    out = capsys.readouterr().out
    assert out.count("APIキー: 形式に問題あり（環境変数）") == 2 and "全角文字" in out
    assert keys.find_api_key().problem.code == "non_ascii" and os.environ[KEY_VAR] == FULL_WIDTH_KEY


def test_an_unsendable_colab_secret_is_named_as_the_secret_on_every_setup(clean_env, monkeypatch, capsys):
    colab = types.ModuleType("google.colab")
    colab.userdata = types.SimpleNamespace(get=lambda name: FULL_WIDTH_KEY)
    monkeypatch.setitem(sys.modules, "google", types.ModuleType("google"))
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    course_utils.setup()
    course_utils.setup()
    assert capsys.readouterr().out.count("APIキー: 形式に問題あり（Colab のシークレット）") == 2
    assert os.environ[KEY_VAR] == environment.REPLAY_PLACEHOLDER


def test_lesson_04_runs_on_with_the_document_placeholder_in_dotenv(tmp_path):
    """A learner pasted the document's sample line into .env: the banner says so, every API cell still runs."""
    (tmp_path / ".env").write_text(f"{KEY_VAR}={keys.DOCUMENT_PLACEHOLDER}\n", encoding="utf-8")
    committed = [cell for cell in nbformat.read(LESSON_04, as_version=4).cells if cell.cell_type == "code"]
    nb = nbformat.read(LESSON_04, as_version=4)
    with environment.patched(**{NO_DOTENV_VAR: None, MODE_VAR: None, KEY_VAR: None, NOTEBOOK_VAR: LESSON_04.stem}):
        NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    everything = "".join(_outputs_text(cell) for cell in cells)
    assert "見本の文字" in _outputs_text(cells[0]) and "【再生モード】" in _outputs_text(cells[0])
    assert [o.get("ename") for cell in cells for o in cell.outputs if o.get("output_type") == "error"] == []
    assert "UnicodeEncodeError" not in everything
    # After the banner, the lesson prints exactly what it prints without any key.
    assert [_printed(cell) for cell in cells[1:]] == [_printed(cell) for cell in committed[1:]]


@pytest.mark.parametrize("bad_key, code", [(keys.DOCUMENT_PLACEHOLDER, "placeholder"), (FULL_WIDTH_KEY, "non_ascii")])
def test_a_key_pasted_into_the_cell_is_never_sent_and_is_named(bad_key, code):
    """The document's first variant pastes the key into the code; openai fails before sending anything."""
    with FakeOpenRouter() as server:
        client = OpenAI(api_key=bad_key, base_url=server.base_url, max_retries=0)
        with pytest.raises(UnicodeEncodeError) as info:
            client.chat.completions.create(model="openrouter/free", messages=[{"role": "user", "content": "やあ"}])
        assert server.requests == []
    problem = keys.unsendable_key_problem(info.value)
    assert problem is not None and problem.code == code
    assert bad_key not in problem.message and FAKE_KEY[9:30] not in problem.message


def test_kindly_explains_a_key_pasted_into_the_cell_and_the_lesson_goes_on(capsys):
    with FakeOpenRouter() as server:
        client = OpenAI(api_key=FULL_WIDTH_KEY, base_url=server.base_url, max_retries=0)
        with course_utils.kindly():
            client.chat.completions.create(model="openrouter/free", messages=[{"role": "user", "content": "やあ"}])
        assert server.requests == []
    out = capsys.readouterr().out
    assert "全角文字" in out and FULL_WIDTH_KEY not in out and FAKE_KEY[9:30] not in out


def test_other_encoding_errors_are_not_taken_for_a_key():
    with FakeOpenRouter() as server:
        client = OpenAI(api_key=FAKE_KEY, base_url=server.base_url, default_headers={"X-Title": "日本語の講座"})
        with pytest.raises(UnicodeEncodeError) as info:
            client.models.list()
    assert keys.unsendable_key_problem(info.value) is None
    assert keys.unsendable_key_problem(ValueError("Bearer x")) is None


# -- .env from Windows editors -----------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, data, named", [
    ("Shift-JIS", DOTENV_TEXT.encode("cp932"), "Shift-JIS"),
    ("UTF-16 with BOM (Notepad's Unicode)", DOTENV_TEXT.encode("utf-16"), "UTF-16"),
    ("UTF-16 without BOM", DOTENV_TEXT.encode("utf-16-le"), "UTF-16"),
])
def test_dotenv_in_a_windows_encoding_is_read_and_the_learner_is_told(clean_env, capsys, encoding, data, named):
    (clean_env / ".env").write_bytes(data)
    course_utils.setup()
    out = capsys.readouterr().out
    assert course_utils.MODE == "live" and "APIキー: 設定済み（.env ファイル）" in out, encoding
    assert f".env ファイルは {named} で保存されていた" in out and "UTF-8" in out
    assert FAKE_KEY not in out


def test_dotenv_in_utf8_with_a_bom_is_read_without_a_note(clean_env):
    (clean_env / ".env").write_bytes(DOTENV_TEXT.encode("utf-8-sig"))
    lookup = keys.find_api_key()
    assert lookup.source == "dotenv" and lookup.usable and lookup.notes == ()


def test_an_unreadable_dotenv_is_explained_not_raised(clean_env, capsys):
    (clean_env / ".env").write_bytes(f"{KEY_VAR}=".encode() + b"\x81\x7f\xfc\xfc\n")
    course_utils.setup()
    out = capsys.readouterr().out
    assert course_utils.MODE == "replay" and "文字コードを読み取れなかった" in out and "UTF-8" in out
