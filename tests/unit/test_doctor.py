"""The doctor command: the offline checks of replay mode and the live checks against a loopback server."""
from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
import yaml

from course_utils import config, doctor, redact
from course_utils.config import BASE_URL_VAR, KEY_VAR, RECORDINGS_DIR_VAR
from course_utils.model_ids import MODELS
from fake_openrouter import FakeOpenRouter
from tests.conftest import FAKE_KEY

CATALOGUE = json.loads((Path(__file__).resolve().parents[2] / "fake_openrouter" / "data" / "models.json")
                       .read_text(encoding="utf-8"))
API_CELL = ("from openai import OpenAI\nclient = OpenAI(base_url=course_utils.BASE_URL, api_key='x')\n"
            "print(client.chat.completions.create(model=MODELS.free, messages=[]))")


def write_notebook(path: Path, *sources: str, executed: bool = True) -> None:
    nb = nbformat.v4.new_notebook()
    for n, source in enumerate(sources, 1):
        cell = nbformat.v4.new_code_cell(source, execution_count=n if executed else None)
        if executed:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok\n")]
        nb.cells.append(cell)
    nbformat.write(nb, path)


def write_recording(path: Path, models: list[dict], request_headers: dict | None = None) -> None:
    interaction = {
        "request": {"body": None, "headers": request_headers or {}, "method": "GET",
                    "uri": "https://openrouter.ai/api/v1/models"},
        "response": {"body": {"string": json.dumps({"data": models})},
                     "headers": {"content-type": ["application/json"]}, "status": {"code": 200, "message": "OK"}},
    }
    path.write_text(yaml.safe_dump({"interactions": [interaction], "version": 1}), encoding="utf-8")


@pytest.fixture
def course(clean_env, monkeypatch) -> Path:
    """A healthy offline setup: one notebook without API calls, one with calls and its recording."""
    notebooks, recordings = clean_env / "notebooks", clean_env / "recordings"
    notebooks.mkdir()
    recordings.mkdir()
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(recordings))
    write_notebook(notebooks / "00_intro.ipynb", "import course_utils; course_utils.setup()")
    write_notebook(notebooks / "01_calls.ipynb", "import course_utils; course_utils.setup()", API_CELL)
    write_recording(recordings / "01_calls.yaml", CATALOGUE["data"])
    return notebooks


def run(paths: list[str], capsys, offline: bool = False) -> tuple[int, str]:
    code = doctor.main(paths, offline=offline)
    out = capsys.readouterr().out
    assert FAKE_KEY not in out and not re.search(r"sk-or-v1-[0-9a-f]{4}", out)  # never any key material
    return code, out


def test_healthy_offline_setup_passes(course, capsys):
    # A recording the record command is still writing is not part of the setup yet.
    write_recording(config.recordings_dir() / "02_x.recording-in-progress.yaml", [])
    code, out = run([str(course)], capsys)
    assert code == 0, out
    assert "収録データ 1 件にAPIキーらしき文字列はありません。" in out
    assert "講座の点検（オフライン" in out and "問題はありません。" in out
    assert "00_intro.ipynb: APIを呼び出さないため、収録データは不要です" in out
    assert "01_calls.ipynb: 収録データ 01_calls.yaml あり" in out
    assert f"small_free: {MODELS.small_free} は収録済みのモデル一覧にあります" in out
    assert f"document: {MODELS.document} は配布資料のモデルで、わざと提供終了のまま使っています" in out


def test_missing_recording_fails(course, capsys):
    write_notebook(course / "02_more.ipynb", "from course_utils import catalog\nmodels = catalog.list_models()")
    code, out = run([str(course)], capsys)
    assert code == 1
    assert "[問題] 02_more.ipynb: APIを呼び出すのに、収録データ 02_more.yaml がありません。" in out
    assert "問題が 1 件あります。" in out


def test_course_model_absent_from_recorded_catalogue_fails(course, capsys):
    models = [m for m in CATALOGUE["data"] if m["id"] != MODELS.large_free]
    write_recording(Path(config.recordings_dir()) / "01_calls.yaml", models)
    code, out = run([str(course)], capsys)
    assert code == 1
    assert f"[問題] large_free: {MODELS.large_free} が収録済みのモデル一覧にありません。" in out


def test_no_catalogue_at_all_fails(course, capsys):
    (config.recordings_dir() / "01_calls.yaml").unlink()
    code, out = run([str(course)], capsys)
    assert code == 1
    assert "収録データにモデル一覧（GET /models）がありません" in out and "01_calls.yaml がありません" in out


def test_recording_with_key_material_fails_without_showing_it(course, capsys):
    write_recording(config.recordings_dir() / "01_calls.yaml", CATALOGUE["data"],
                    {"Authorization": ["Bearer " + FAKE_KEY]})
    code, out = run([str(course)], capsys)
    assert code == 1
    assert "[問題] 01_calls.yaml: 収録データにAPIキーらしき文字列があります（ファイルの本文）" in out


def stream_recording(path: Path, pieces: list[str]) -> None:
    """A recording of one streamed chat answer whose content arrives in `pieces`, one SSE chunk each."""
    chunks = [{"choices": [{"index": 0, "delta": {"role": "assistant", "content": piece}}]} for piece in pieces]
    body = "".join(f"data: {json.dumps(chunk)}\n\n" for chunk in chunks) + "data: [DONE]\n\n"
    interaction = {
        "request": {"body": json.dumps({"model": MODELS.free, "stream": True}), "headers": {}, "method": "POST",
                    "uri": "https://openrouter.ai/api/v1/chat/completions"},
        "response": {"body": {"string": body}, "headers": {"content-type": ["text/event-stream"]},
                     "status": {"code": 200, "message": "OK"}},
    }
    path.write_text(yaml.safe_dump({"interactions": [interaction], "version": 1}), encoding="utf-8")


def test_recording_whose_stream_chunks_join_into_a_key_fails(course, capsys):
    """No chunk holds more than a few characters of the key; the answer a learner reads holds all of it."""
    pieces = ["キーは ", *(FAKE_KEY[i:i + 4] for i in range(0, len(FAKE_KEY), 4)), " です"]
    assert not any(redact.contains_secret(piece) for piece in pieces)
    stream_recording(config.recordings_dir() / "02_stream.yaml", pieces)
    code, out = run([str(course)], capsys)
    assert code == 1
    assert ("[問題] 02_stream.yaml: 収録データにAPIキーらしき文字列があります"
            "（1 番目のやりとりのストリーム応答（チャンクをつなげた本文））") in out
    stream_recording(config.recordings_dir() / "02_stream.yaml", ["sk-or-", "v1-", "…", "と書かれたキー"])
    assert run([str(course)], capsys)[0] == 0  # the prefix the lessons write about is no key


def test_unexecuted_invalid_and_leaking_notebooks_fail(course, capsys):
    write_notebook(course / "02_fresh.ipynb", "print(1)", executed=False)
    (course / "03_broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    write_notebook(course / "04_leak.ipynb", "key = '" + FAKE_KEY + "'")
    code, out = run([str(course)], capsys)
    assert code == 1
    assert "02_fresh.ipynb: 出力が保存されていないセルがあります（1 個）" in out
    assert "03_broken.ipynb: ノートブックの形式が正しくありません" in out
    assert "04_leak.ipynb: 1 番目のセル（コード）にAPIキーが含まれています" in out


def test_key_in_a_saved_output_is_named_by_cell(course, capsys):
    write_notebook(course / "02_output.ipynb", "print(1)", "print(2)")
    nb = nbformat.read(course / "02_output.ipynb", 4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"key: {FAKE_KEY[:20]}\n")]
    nbformat.write(nb, course / "02_output.ipynb")
    code, out = run([str(course)], capsys)
    assert code == 1 and "02_output.ipynb: 2 番目のセル（出力）にAPIキーが含まれています" in out


def test_no_notebooks_fails(course, capsys):
    code, out = run([str(course.parent / "nowhere")], capsys)
    assert code == 1 and "ノートブックが見つかりません" in out


# -- live -------------------------------------------------------------------------------------------

@pytest.fixture
def server(course, monkeypatch):
    with FakeOpenRouter() as fake:
        monkeypatch.setenv(BASE_URL_VAR, fake.base_url)
        monkeypatch.setenv(KEY_VAR, FAKE_KEY)
        yield fake


def test_healthy_live_run_passes(server, capsys):
    code, out = run([], capsys)
    assert code == 0, out
    assert f"講座の点検（ライブ: {server.base_url}）" in out
    assert "APIキー: 設定済み（環境変数）" in out and "APIキーは有効です。" in out
    assert "OpenRouter に接続できました（モデル 98 件）" in out
    assert "キーの利用上限:" in out and "無料モデルの今日の利用:" in out
    assert f"[OK]   free: {MODELS.free}（無料、コンテキスト長" in out
    assert f"document: {MODELS.document} は配布資料のモデルで、わざと提供終了のまま使っています" in out
    assert [r.path for r in server.requests] == ["/api/v1/models", "/api/v1/key"]


def test_removed_and_no_longer_free_models_are_reported_with_suggestions(server, capsys):
    server.remove_model(MODELS.small_free)
    server.set_price(MODELS.free, prompt="0.0000001", completion="0.0000004")
    code, out = run([], capsys)
    assert code == 1
    assert f"[問題] small_free: {MODELS.small_free} がカタログにありません" in out
    assert f"[問題] free: {MODELS.free} が無料ではなくなりました（入力 $0.1/1M・出力 $0.4/1M）" in out
    # Same maker first (google still has a free Gemma); liquid has no other free model, so other makers.
    assert "候補（同じ開発元の無料モデル、コンテキスト長が近い順）: google/gemma-4-26b-a4b-it:free" in out
    assert "同じ開発元に無料モデルがありません。ほかの開発元の候補: " in out
    assert out.count("直し方: course_utils/course_models.toml の") == 2
    assert "問題が 2 件あります。" in out


def test_suggestions_are_free_chat_models_closest_in_context():
    models = CATALOGUE["data"]
    suggested = doctor.suggest_replacements(MODELS.large_free, models)
    assert suggested and MODELS.large_free not in suggested and len(suggested) <= doctor.SUGGESTIONS
    by_id = {m["id"]: m for m in models}
    assert all(doctor.costs_nothing(by_id[i]) and i.startswith("nvidia/") for i in suggested)
    safety = "nvidia/nemotron-3.5-content-safety:free"
    assert safety in by_id and doctor.costs_nothing(by_id[safety]), "the catalogue has a free classifier"
    assert all("safety" not in i for i in doctor.suggest_replacements("nvidia/retired-chat-model:free", models))


def test_revoked_key_is_reported(server, capsys, monkeypatch):
    from fake_openrouter import REVOKED_KEY

    monkeypatch.setenv(KEY_VAR, REVOKED_KEY)
    code, out = run([], capsys)
    assert code == 1 and "APIキーが受け付けられませんでした（401）" in out


def test_unreachable_server_is_reported(course, capsys, monkeypatch):
    monkeypatch.setenv(BASE_URL_VAR, "http://127.0.0.1:9/api/v1")
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    code, out = run([], capsys)
    assert code == 1 and "に接続できません: APIConnectionError" in out and "COURSE_MODE=replay" in out


def test_malformed_key_is_reported_and_offline_flag_ignores_the_key(course, capsys, monkeypatch):
    monkeypatch.setenv(KEY_VAR, " " + FAKE_KEY)
    code, out = run([str(course)], capsys)
    assert code == 1 and "APIキーの形式に問題があります: APIキーの前後に空白" in out
    code, out = run([str(course)], capsys, offline=True)
    assert code == 0 and "オフライン" in out
