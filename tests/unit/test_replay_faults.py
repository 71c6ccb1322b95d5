"""Replay and recording on a bad day: broken or missing recordings, a key split across a stream's chunks.

Every case runs against a loopback server that must see nothing in replay mode.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from openai import OpenAI

import course_utils
from course_utils import replay
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, NOTEBOOK_VAR, RECORDINGS_DIR_VAR
from course_utils.course_errors import NotRecordedError
from tests.conftest import FAKE_KEY

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
MODEL = "liquid/lfm-2.5-2.6b:free"
MESSAGES = [{"role": "user", "content": "日本で一番高い山は？"}]


def interaction(body: dict) -> dict:
    """One recorded chat completion (OpenRouter's URL, the sample answer)."""
    return {
        "request": {"method": "POST", "uri": "https://openrouter.ai/api/v1/chat/completions",
                    "body": json.dumps(body, ensure_ascii=False), "headers": {}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {"content-type": ["application/json"]},
                     "body": {"string": (DATA / "chat-completion.json").read_text(encoding="utf-8")}},
    }


def write_recording(path: Path, body: dict) -> str:
    text = yaml.safe_dump({"version": 1, "interactions": [interaction(body)]}, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return text


@pytest.fixture
def replaying(clean_env, monkeypatch, httpserver):
    """Replay mode over a temporary recordings folder; the client points at a loopback server that must stay idle."""
    folder = clean_env / "recordings"
    folder.mkdir()
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(folder))

    def start() -> OpenAI:
        course_utils.setup("01_good", quiet=True)
        assert course_utils.MODE == "replay"
        return OpenAI(api_key="placeholder", base_url=httpserver.url_for("/api/v1"), max_retries=0)

    yield folder, start
    assert httpserver.log == []  # nothing was sent, whatever the recordings' state


def test_a_truncated_recording_is_named_and_the_others_still_replay(replaying):
    folder, start = replaying
    write_recording(folder / "01_good.yaml", {"model": MODEL, "messages": MESSAGES})
    other = [{"role": "user", "content": "別"}]
    whole = write_recording(folder / "02_broken.yaml", {"model": MODEL, "messages": other})
    (folder / "02_broken.yaml").write_text(whole[: len(whole) // 2], encoding="utf-8")  # an interrupted copy

    client = start()  # no raw YAML error
    answer = client.chat.completions.create(model=MODEL, messages=MESSAGES)
    assert answer.choices[0].message.content  # the lesson's own recording replays
    assert replay.active().notes == []  # another lesson's file is read only when a request needs it
    with pytest.raises(NotRecordedError) as err:
        client.chat.completions.create(model=MODEL, messages=other)
    assert "収録ファイル 02_broken.yaml が壊れていて読み込めなかった" in str(err.value)
    assert replay.active().notes == [
        "収録ファイル 02_broken.yaml が壊れていて読み込めませんでした（ほかの収録は再生できます）。"
        "教材を取得し直すか、講師に知らせてください。"]


def test_a_request_of_another_lesson_replays_after_the_lessons_own_answers(replaying):
    folder, start = replaying
    write_recording(folder / "01_good.yaml", {"model": MODEL, "messages": MESSAGES})
    other = [{"role": "user", "content": "別の質問"}]
    write_recording(folder / "00_intro.yaml", {"model": MODEL, "messages": other})
    # Lesson 00 has recorded lesson 01's question too, with another answer: lesson 01 must replay its own.
    recorded = yaml.safe_load((folder / "00_intro.yaml").read_text(encoding="utf-8"))
    twin = interaction({"model": MODEL, "messages": MESSAGES})
    answer = json.loads(twin["response"]["body"]["string"])
    answer["choices"][0]["message"]["content"] = "レッスン00の答え"
    twin["response"]["body"]["string"] = json.dumps(answer, ensure_ascii=False)
    recorded["interactions"].append(twin)
    (folder / "00_intro.yaml").write_text(yaml.safe_dump(recorded, allow_unicode=True), encoding="utf-8")

    client = start()
    assert client.chat.completions.create(model=MODEL, messages=other).choices[0].message.content
    assert [c.prompt for c in replay.recorded_chats(replay.active())][-1] == "別の質問"  # 01's own come first
    again = client.chat.completions.create(model=MODEL, messages=MESSAGES).choices[0].message.content
    assert again and again != "レッスン00の答え"


def test_only_broken_recordings_send_nothing_and_say_so(replaying):
    folder, start = replaying
    (folder / "01_good.yaml").write_text("interactions:\n- request: {method: POST, uri: [", encoding="utf-8")
    (folder / "02_not_a_recording.yaml").write_text("just some text\n", encoding="utf-8")

    client = start()
    assert "収録ファイル 01_good.yaml が壊れていて" in replay.active().notes[0]  # the lesson's own, in the banner
    with pytest.raises(NotRecordedError) as err:
        client.chat.completions.create(model=MODEL, messages=MESSAGES)
    assert "01_good.yaml、02_not_a_recording.yaml が壊れていて" in str(err.value)
    assert "01_good.yaml、02_not_a_recording.yaml" in replay.active().notes[0]


def test_a_missing_recordings_folder_is_reported_as_missing(replaying, monkeypatch):
    folder, start = replaying
    folder.rmdir()

    client = start()
    with pytest.raises(NotRecordedError) as err:
        client.chat.completions.create(model=MODEL, messages=MESSAGES)
    message = str(err.value)
    assert message == (f"収録データ（{folder} の .yaml ファイル）が見つからないため、再生できるものがありません。"
                       "教材のフォルダを丸ごと取得し直すか、講師に知らせてください。")
    assert "収録と違います" not in message and "収録済みの例" not in message  # no hint to undo an edit
    assert replay.active().notes == [message]


# -- recording a key that a server streams back, split across chunks --------------------------------------

def sse(pieces: list[str]) -> str:
    """A chat completion stream whose content arrives in `pieces`, then a finish chunk and [DONE]."""
    def chunk(delta: dict, finish: str | None = None) -> str:
        body = {"id": "gen-1", "object": "chat.completion.chunk", "model": MODEL,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return "data: " + json.dumps(body, ensure_ascii=False) + "\n\n"
    return ("".join(chunk({"role": "assistant", "content": p}) for p in pieces)
            + chunk({"content": ""}, "stop") + "data: [DONE]\n\n")


@pytest.mark.parametrize("cut", [5, 12, 40], ids=["inside-prefix", "after-prefix", "inside-hex"])
def test_a_key_split_across_stream_chunks_is_not_recorded(clean_env, monkeypatch, httpserver, cut):
    # A proxy echoing the key (or an instructor's pasted key) streamed back in three pieces: none of them
    # looks like a key alone, so each chunk passes a per-chunk scrub.
    pieces = ["あなたの鍵は " + FAKE_KEY[:cut], FAKE_KEY[cut:cut + 20], FAKE_KEY[cut + 20:] + " です。"]
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_data(
        sse(pieces), content_type="text/event-stream")
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(clean_env / "recordings"))
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "record")
    monkeypatch.setenv(BASE_URL_VAR, httpserver.url_for("/api/v1"))
    course_utils.setup("echo", quiet=True)
    client = OpenAI(api_key=FAKE_KEY, base_url=course_utils.BASE_URL, max_retries=0)
    live = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model=MODEL, messages=MESSAGES, stream=True))
    assert FAKE_KEY in live  # the server did send it
    replay.stop()

    written = replay.recording_path("echo", in_progress=True).read_bytes()
    hex_part = FAKE_KEY.removeprefix("sk-or-v1-")
    assert b"sk-or" not in written and FAKE_KEY.encode() not in written
    assert not any(hex_part[i:i + 8].encode() in written for i in range(len(hex_part) - 8))  # no key fragment

    # The recording still replays as a stream, reading as the answer did, minus the key.
    replay.recording_path("echo", in_progress=True).rename(replay.recording_path("echo"))
    for name in (KEY_VAR, MODE_VAR, NOTEBOOK_VAR, BASE_URL_VAR):
        monkeypatch.delenv(name, raising=False)
    course_utils.setup("echo", quiet=True)
    replayed = OpenAI(api_key="placeholder", base_url="https://openrouter.ai/api/v1").chat.completions.create(
        model=MODEL, messages=MESSAGES, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in replayed) == "あなたの鍵は [REDACTED] です。"
