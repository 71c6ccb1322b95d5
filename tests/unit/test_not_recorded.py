"""Replay mode's "not recorded" message: short, and fitted to the request that was sent.

The recordings are written here (two notebooks' files in a temporary folder), so each test knows
exactly what the library holds.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from openai import OpenAI
from vcr.request import Request
from vcr.serialize import serialize
from vcr.serializers import yamlserializer

import course_utils
from course_utils import catalog, replay
from course_utils.config import NOTEBOOK_VAR, RECORDINGS_DIR_VAR
from course_utils.course_errors import NotRecordedError
from course_utils.error_box import explain, kindly

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
API = "https://openrouter.ai/api/v1"
MODEL = "google/gemma-4-31b-it:free"
TYPO_MODEL = "google/gema-4-31b-it:free"  # lesson 04's deliberate typo, recorded with its 400


def chat(prompt: str, status: int = 200, **fields) -> tuple[Request, dict]:
    """A recorded chat completion: the request body, and a success (or an error with `status`)."""
    body = {"model": MODEL, "messages": [{"role": "user", "content": prompt}], **fields}
    answer = (DATA / "chat-completion.json").read_text() if status == 200 else (
        DATA / "errors" / "400-invalid-model.json").read_text()
    return (Request("POST", f"{API}/chat/completions", json.dumps(body, ensure_ascii=False),
                    {"content-type": "application/json"}),
            {"status": {"code": status, "message": ""}, "headers": {"content-type": ["application/json"]},
             "body": {"string": answer}})


def write(folder: Path, notebook: str, *interactions: tuple[Request, dict]) -> None:
    requests, responses = zip(*interactions, strict=True)
    data = serialize({"requests": list(requests), "responses": list(responses)}, yamlserializer)
    (folder / f"{notebook}.yaml").write_text(data, encoding="utf-8")


@pytest.fixture
def library(clean_env, monkeypatch):
    """Replay of two notebooks' recordings; the running notebook is "mine" (the record command's variable)."""
    folder = clean_env / "recordings"
    folder.mkdir()
    write(folder, "other", *(chat(f"ほかの回の質問{i}") for i in range(6)))
    follow_up = chat("続きの質問")
    follow_up[0].body = json.dumps({"model": MODEL, "messages": [
        {"role": "user", "content": "この回の質問"}, {"role": "assistant", "content": "答え"},
        {"role": "user", "content": "続きの質問"}]}, ensure_ascii=False).encode()
    write(folder, "mine", chat("失敗する質問", status=400, model=TYPO_MODEL), chat("この回の質問", temperature=0.7),
          chat("この回の質問", temperature=1.0), follow_up)
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(folder))
    monkeypatch.setenv(NOTEBOOK_VAR, "mine")
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"


def not_recorded(**changes) -> NotRecordedError:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "この回の質問"}], **changes}
    with pytest.raises(NotRecordedError) as err:
        OpenAI(base_url=API, api_key="x").chat.completions.create(**body)
    return err.value


def test_a_recording_that_differs_in_a_field_or_two_says_which(library):
    message = str(not_recorded(temperature=0.5))
    assert "temperature が収録と違います（収録: 0.7、1.0 ／ 今回: 0.5）。" in message
    assert "収録済みの例" not in message
    message = str(not_recorded(temperature=0.7, max_tokens=100))
    assert message.endswith("max_tokens が収録と違います（収録: 指定なし ／ 今回: 100）。")
    assert "temperature" not in message


def test_other_prompts_list_a_few_examples_of_this_notebook_first(library):
    err = not_recorded(messages=[{"role": "user", "content": "収録していない質問"}])
    lines = [line for line in str(err).splitlines() if line.startswith("  ・")]
    assert lines == [f"  ・{MODEL}: 「この回の質問」"] + [f"  ・{MODEL}: 「ほかの回の質問{i}」" for i in range(4)]
    assert "失敗する質問" not in str(err)  # recorded with an error answer: no example to try
    assert "続きの質問" not in str(err)  # a conversation's second turn: not sent again by itself


def test_a_recorded_error_is_no_near_miss_to_suggest(library):
    """04 sends its messages to a typo model on purpose: the same messages to a real model are not told
    that the model differs from the recording (that would suggest the typo)."""
    message = str(not_recorded(messages=[{"role": "user", "content": "失敗する質問"}]))
    assert TYPO_MODEL not in message and "が収録と違います" not in message
    assert f"  ・{MODEL}: 「この回の質問」" in message  # the answered examples instead


def test_missing_recordings_do_not_blame_the_learners_edits(clean_env, monkeypatch, capsys):
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(clean_env / "no-recordings-here"))
    course_utils.setup(quiet=True)
    err = not_recorded()
    assert err.recordings_problem == "missing"
    explanation = explain(err)
    assert explanation.case == "recordings_missing"
    shown = explanation.what + explanation.cause + explanation.next_step
    assert "見つかりません" in explanation.cause and "丸ごと取得し直して" in explanation.next_step
    for blame in ("変えたところ", "元に戻して", "収録とすべて同じ"):
        assert blame not in shown


def test_the_explanation_says_each_thing_once(library):
    explanation = explain(not_recorded(messages=[{"role": "user", "content": "収録していない質問"}]))
    shown = explanation.what + explanation.cause + explanation.next_step
    assert shown.count("OPENROUTER_API_KEY") == 1 and shown.count("収録されていません") == 1
    assert len(explanation.what.splitlines()) <= 1 + 1 + replay.MAX_EXAMPLES


def test_an_unrecorded_lookup_speaks_of_its_id_not_of_prompts(library, capsys):
    with pytest.raises(NotRecordedError) as err:
        catalog.generation("gen-123")
    message = str(err.value)
    assert message.startswith("この問い合わせ（GET /generation?id=gen-123）は収録されていません。")
    explanation = explain(err.value)
    assert explanation.case == "not_recorded_lookup"
    shown = explanation.what + explanation.cause + explanation.next_step
    assert "IDを受け取ったセル" in shown and "ライブモード" in shown
    for chat_word in ("プロンプト", "temperature", "モデル:", "収録済みの例"):
        assert chat_word not in shown
    with kindly():
        catalog.generation("gen-123")
    out = capsys.readouterr().out
    assert out.count("GET /generation?id=gen-123") == 1 and "リクエスト: GET /api/v1/generation" in out


@pytest.mark.parametrize("notebook, usage", [("02_first", 0), ("07_later", 0.0042), (None, 0)])
def test_a_request_recorded_by_several_lessons_replays_the_running_lessons_answer(
        clean_env, monkeypatch, notebook, usage):
    """GET /key is recorded early in the course and again after paid calls: each lesson shows its own."""
    folder = clean_env / "recordings"
    folder.mkdir()
    key = json.loads((DATA / "key.json").read_text())
    for name, spent in (("02_first", 0), ("07_later", 0.0042)):
        key["data"]["usage"] = spent
        write(folder, name, (Request("GET", f"{API}/key", "", {}),
                             {"status": {"code": 200, "message": "OK"},
                              "headers": {"content-type": ["application/json"]}, "body": {"string": json.dumps(key)}}))
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(folder))
    if notebook:
        monkeypatch.setenv(NOTEBOOK_VAR, notebook)
    course_utils.setup(quiet=True)
    assert catalog.key_info().usage == usage  # without a lesson name: the first lesson's, in lesson order
