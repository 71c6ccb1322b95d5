"""Record against a loopback server, then replay through the real `openai` client with no network."""
from __future__ import annotations

import json
import re
from pathlib import Path

import openai
import pytest
from openai import OpenAI

import course_utils
from course_utils import replay
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, NOTEBOOK_VAR, RECORDINGS_DIR_VAR
from course_utils.course_errors import NotRecordedError
from tests.conftest import FAKE_KEY

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
MESSAGES = [{"role": "system", "content": "あなたは親切で優秀なアシスタントです。"},
            {"role": "user", "content": "日本で一番高い山は？"}]


@pytest.fixture
def recordings(clean_env, monkeypatch):
    folder = clean_env / "recordings"
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(folder))
    return folder


@pytest.fixture
def upstream(httpserver):
    """A loopback server answering in OpenRouter's wire format (real sample bodies)."""
    def chat(request):
        from werkzeug import Response
        body = json.loads(request.data)
        if body["model"] == "nope/nope":
            return Response((DATA / "errors" / "400-invalid-model.json").read_bytes(), 400,
                            content_type="application/json")
        if body.get("stream"):
            return Response((DATA / "chat-stream-keepalive.sse.txt").read_bytes(),
                            content_type="text/event-stream")
        # Echo the key back in a body so that scrubbing is tested on response bodies too.
        data = json.loads((DATA / "chat-completion.json").read_text())
        data["system_fingerprint"] = request.headers["Authorization"]
        return Response(json.dumps(data), content_type="application/json",
                        headers={"Set-Cookie": "session=abc", "X-Generation-Id": data["id"]})

    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_handler(chat)
    httpserver.expect_request("/api/v1/models").respond_with_data(
        (DATA / "models.json").read_bytes(), content_type="application/json")
    return httpserver


def plain_client() -> OpenAI:
    """Exactly the document's client: the URL is OpenRouter's, whatever mode we are in."""
    import os
    return OpenAI(api_key=os.getenv("OPENROUTER_API_KEY"), base_url="https://openrouter.ai/api/v1")


def record_session(monkeypatch, upstream, notebook="lesson"):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "record")
    monkeypatch.setenv(NOTEBOOK_VAR, notebook)
    monkeypatch.setenv(BASE_URL_VAR, upstream.url_for("/api/v1"))
    course_utils.setup(quiet=True)
    client = OpenAI(api_key=FAKE_KEY, base_url=course_utils.BASE_URL, max_retries=0)
    completion = client.chat.completions.create(model="liquid/lfm-2.5-2.6b:free", messages=MESSAGES)
    chunks = list(client.chat.completions.create(model="liquid/lfm-2.5-2.6b:free", messages=MESSAGES,
                                                 stream=True))
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="nope/nope", messages=MESSAGES)
    client.models.list()
    replay.stop()
    return completion, chunks


def go_replay(monkeypatch):
    for name in (KEY_VAR, MODE_VAR, NOTEBOOK_VAR, BASE_URL_VAR):
        monkeypatch.delenv(name, raising=False)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"


def test_record_then_replay_round_trip(recordings, monkeypatch, upstream):
    recorded, recorded_chunks = record_session(monkeypatch, upstream)
    assert (recordings / "lesson.recording-in-progress.yaml").exists()
    (recordings / "lesson.recording-in-progress.yaml").rename(recordings / "lesson.yaml")
    upstream.clear()  # from now on nothing may reach the server
    go_replay(monkeypatch)

    client = plain_client()
    completion = client.chat.completions.create(model="liquid/lfm-2.5-2.6b:free", messages=MESSAGES,
                                                stream=False)
    assert isinstance(completion, openai.types.chat.ChatCompletion)
    assert completion.choices[0].message.content == recorded.choices[0].message.content == "pong"
    assert completion.usage.total_tokens == 96 and completion.provider == "Liquid"

    text = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model="liquid/lfm-2.5-2.6b:free", messages=MESSAGES, stream=True))
    assert text == "".join(c.choices[0].delta.content or "" for c in recorded_chunks) != ""

    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model="nope/nope", messages=MESSAGES)
    assert err.value.status_code == 400 and "not a valid model ID" in err.value.body["message"]

    # Re-running a cell replays again instead of failing.
    again = client.chat.completions.create(model="liquid/lfm-2.5-2.6b:free", messages=MESSAGES)
    assert again.id == completion.id
    assert len(upstream.log) == 0


def test_recordings_never_hold_credentials(recordings, monkeypatch, upstream):
    record_session(monkeypatch, upstream)
    written = b"".join(p.read_bytes() for p in recordings.iterdir())
    assert FAKE_KEY.encode() not in written
    assert FAKE_KEY[9:25].encode() not in written
    for needle in (b"sk-or-", b"authorization", b"Authorization", b"session=abc", b"Set-Cookie"):
        assert needle not in written, needle
    # The key the server echoed (its Authorization header) is kept only as "Bearer [REDACTED]".
    assert b"Bearer [REDACTED]" in written and not re.search(rb"Bearer\s+(?!\[REDACTED\])", written)
    # The loopback URL was rewritten to OpenRouter's, so replay works with the document's URL.
    assert b"127.0.0.1" not in written and b"https://openrouter.ai/api/v1/chat/completions" in written


def test_unrecorded_request_explains_in_japanese(recordings, monkeypatch, upstream):
    record_session(monkeypatch, upstream)
    (recordings / "lesson.recording-in-progress.yaml").rename(recordings / "lesson.yaml")
    go_replay(monkeypatch)
    client = plain_client()
    with pytest.raises(NotRecordedError) as err:
        client.chat.completions.create(model="liquid/lfm-2.5-2.6b:free",
                                       messages=[{"role": "user", "content": "別の質問"}])
    message = str(err.value)
    assert "収録されていません" in message and "日本で一番高い山は？" in message
    assert "OPENROUTER_API_KEY" not in message  # live mode is the explanation's next step, said there once
    assert err.value.prompt == "別の質問"
    # The kernel stays usable: the recorded request still replays afterwards.
    assert client.chat.completions.create(model="liquid/lfm-2.5-2.6b:free", messages=MESSAGES).id


def test_replayed_errors_are_not_retried(recordings, monkeypatch, httpserver):
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(
        # A per-minute limit: openai retries it (a per-day one is not retried at all in record mode).
        (DATA / "errors" / "429-free-per-minute.json").read_bytes(), status=429,
        content_type="application/json")
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "record")
    monkeypatch.setenv(BASE_URL_VAR, httpserver.url_for("/api/v1"))
    course_utils.setup("limits", quiet=True)
    monkeypatch.setattr(OpenAI, "_sleep_for_retry", lambda self, **kw: None, raising=False)
    with pytest.raises(openai.RateLimitError):  # retried twice while recording, as a learner's client would
        OpenAI(api_key=FAKE_KEY, base_url=course_utils.BASE_URL).chat.completions.create(
            model="m", messages=MESSAGES)
    assert len(httpserver.log) == 3
    replay.stop()
    recording = (recordings / "limits.recording-in-progress.yaml").read_text(encoding="utf-8")
    assert recording.count("- request:") == 1  # the retries' identical interactions are not stored
    (recordings / "limits.recording-in-progress.yaml").rename(recordings / "limits.yaml")
    go_replay(monkeypatch)
    calls = []
    monkeypatch.setattr(OpenAI, "_sleep_for_retry", lambda self, **kw: calls.append(kw), raising=False)
    with pytest.raises(openai.RateLimitError):
        plain_client().chat.completions.create(model="m", messages=MESSAGES)  # default max_retries=2
    assert calls == []


def test_replay_finds_every_shipped_recording_as_vcrpy_would(clean_env, monkeypatch):
    """Replay looks requests up by key (replay.session): each recorded request of the shipped lessons gets exactly
    the interactions vcrpy's own comparison with every recording gives, in the same order."""
    from vcr.cassette import Cassette

    for name in (KEY_VAR, MODE_VAR, BASE_URL_VAR, RECORDINGS_DIR_VAR):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(NOTEBOOK_VAR, "04_python_api")
    course_utils.setup(quiet=True)
    cassette = replay.active().cassette
    assert 0 < len(cassette.data) < 30 and "_responses" in vars(cassette)  # lesson 04's own, looked up by key
    first = cassette.data[0][0]
    unknown = type(first)("POST", first.uri, b'{"model": "nope/nope"}', {})
    assert list(cassette._responses(unknown)) == [] and unknown not in cassette
    assert len(cassette.data) > 50  # the miss loaded the other lessons' recordings before giving up
    for stored, _ in cassette.data:
        assert [i for i, _ in cassette._responses(stored)] == [i for i, _ in Cassette._responses(cassette, stored)]


def test_the_course_client_trusts_no_certificate_in_replay_and_gets_a_new_one_for_live(clean_env, monkeypatch):
    """Replay skips loading the CA certificates for the course's own client: its TLS context still demands a
    verified certificate but trusts none, so an escaped request would fail instead of going unverified. The
    same key and URL in live mode then get a client of their own that does trust the system's certificates."""
    import ssl

    from course_utils import catalog

    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "replay")
    course_utils.setup(quiet=True)
    replaying = catalog.openrouter_client()
    context = replaying._client._transport._pool._ssl_context  # httpx2's transport keeps it in its pool
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
    assert catalog.list_models()  # the catalogue still replays through it

    replay.stop()  # what live mode leaves: no replay session
    live = catalog.openrouter_client()
    assert live is not replaying
    assert live._client._transport._pool._ssl_context.cert_store_stats()["x509_ca"] > 0
