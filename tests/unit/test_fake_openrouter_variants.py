"""The example server's echo fault and its variants (fake_openrouter/faults.py `echo`, variants.py).

- `echo`: a proxy that sends the request's key back in the answer, split across stream chunks; a recording
  made through it keeps no piece of the key, and the secrets gate's stream check finds the raw stream.
- `no-credits`: paid models answer the 402 of an account that never bought credits; free models answer.
- `minimal`: only the required fields, the answer itself (text, tool calls, images) kept.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import openai
import pytest
import yaml
from openai import OpenAI

import course_utils
from course_utils import redact, replay
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, RECORDINGS_DIR_VAR
from course_utils.record.check import leaking_streams, recording_leaks
from fake_openrouter import FakeOpenRouter
from fake_openrouter import __main__ as cli
from fake_openrouter.variants import VARIANTS

FREE, PAID = course_utils.MODELS.free, course_utils.MODELS.paid
MESSAGES = [{"role": "user", "content": "日本で一番高い山について、その標高と名前を教えてください。"}]


def _contents(stream) -> list[str]:
    return [c.choices[0].delta.content or "" for c in stream if c.choices]


def test_echo_streams_the_key_in_pieces_no_chunk_of_which_is_a_key(srv, client, fake_key):
    srv.inject("echo", times=2)
    pieces = _contents(client.chat.completions.create(model=FREE, messages=MESSAGES, stream=True))
    assert fake_key in "".join(pieces)
    assert not any(redact.contains_secret(piece) for piece in pieces)  # a per-chunk check sees nothing
    assert sum(bool(set(piece) & set(fake_key[9:])) for piece in pieces) > 10  # the key spans many chunks
    plain = client.chat.completions.create(model=FREE, messages=MESSAGES)
    assert fake_key in plain.choices[0].message.content
    assert fake_key not in client.chat.completions.create(model=FREE, messages=MESSAGES).choices[0].message.content


def test_a_recording_through_an_echoing_proxy_keeps_no_piece_of_the_key(srv, clean_env, monkeypatch, fake_key):
    """Record mode, as `python -m course_utils record` runs a lesson: the written recording is clean."""
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(clean_env / "recordings"))
    monkeypatch.setenv(KEY_VAR, fake_key)
    monkeypatch.setenv(MODE_VAR, "record")
    monkeypatch.setenv(BASE_URL_VAR, srv.base_url)
    course_utils.setup("echo", quiet=True)
    srv.inject("echo", times=2)
    recorder = OpenAI(api_key=fake_key, base_url=course_utils.BASE_URL, max_retries=0)
    shown = "".join(_contents(recorder.chat.completions.create(model=FREE, messages=MESSAGES, stream=True)))
    assert fake_key in shown  # the learner's cell did print it: the proxy sent it
    recorder.chat.completions.create(model=FREE, messages=MESSAGES)
    replay.stop()
    written = replay.recording_path("echo", in_progress=True).read_text(encoding="utf-8")
    hex_part = fake_key.removeprefix("sk-or-v1-")
    assert not any(hex_part[i:i + 8] in written for i in range(len(hex_part) - 8)), "a piece of the key was saved"
    assert recording_leaks(written) == [] and "[REDACTED]" in written


def test_the_secrets_gate_finds_the_key_in_an_unscrubbed_echoed_stream(srv, client, fake_key):
    """What a recorder that scrubbed chunk by chunk would save: no line holds the key, the joined stream does."""
    srv.inject("echo")
    with client.chat.completions.with_streaming_response.create(model=FREE, messages=MESSAGES, stream=True) as raw:
        body = raw.read().decode("utf-8")
    assert not any(redact.contains_secret(line) for line in body.splitlines())
    cassette = yaml.safe_dump({"interactions": [
        {"request": {"method": "POST", "uri": "https://openrouter.ai/api/v1/chat/completions", "body": "{}"},
         "response": {"status": {"code": 200}, "body": {"string": body}}}], "version": 1}, allow_unicode=True)
    assert leaking_streams(cassette) == [1]
    assert recording_leaks(cassette) == [course_utils.text.RECORD["leak_stream"].format(number=1)]


@pytest.fixture(scope="module")
def no_credits():
    with VARIANTS["no-credits"]() as server:
        yield server


def test_no_credits_refuses_paid_models_with_the_never_purchased_402(no_credits, fake_key):
    client = OpenAI(base_url=no_credits.base_url, api_key=fake_key, max_retries=0)
    with pytest.raises(openai.APIStatusError) as caught:
        client.chat.completions.create(model=PAID, messages=MESSAGES)
    assert caught.value.status_code == 402
    assert caught.value.body["message"].startswith("Insufficient credits. This account never purchased credits.")
    assert client.chat.completions.create(model=FREE, messages=MESSAGES).choices[0].finish_reason == "stop"
    assert [(r.path, r.json["model"]) for r in no_credits.requests[-2:]] == [
        ("/api/v1/chat/completions", PAID), ("/api/v1/chat/completions", FREE)]  # the refused one too
    key = client.get("/key", cast_to=object)["data"]
    assert key["is_free_tier"] is True and key["free_model_daily_requests"]["limit"] == 50
    assert client.get("/credits", cast_to=object)["data"] == {"total_credits": 0, "total_usage": 0}


def test_minimal_keeps_the_answer_and_drops_the_optional_fields(fake_key):
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
    weather = [{"role": "user", "content": "今の京都の天気を教えてください。"}]
    with VARIANTS["minimal"]() as server:
        client = OpenAI(base_url=server.base_url, api_key=fake_key, max_retries=0)
        plain = client.chat.completions.create(model=FREE, messages=MESSAGES)
        called = client.chat.completions.create(model=FREE, messages=weather, tools=tools)
        streamed = [c.choices[0].delta.tool_calls[0] for c in client.chat.completions.create(
            model=FREE, messages=weather, tools=tools, stream=True) if c.choices and c.choices[0].delta.tool_calls]
    assert plain.choices[0].message.content and plain.usage.total_tokens
    assert getattr(plain.usage, "cost", None) is None and getattr(plain, "provider", None) is None
    assert plain.usage.completion_tokens_details is None
    call = called.choices[0].message.tool_calls[0]
    assert (call.function.name, json.loads(call.function.arguments)) == ("get_weather", {"city": "京都"})
    assert streamed[0].id.startswith("call_") and streamed[0].function.name == "get_weather"
    assert json.loads("".join(d.function.arguments or "" for d in streamed)) == {"city": "京都"}


def test_the_command_line_serves_a_variant_with_faults(monkeypatch, capsys):
    started = []
    original_start = FakeOpenRouter.start

    def start(self):
        original_start(self)
        started.append(self)

    monkeypatch.setattr(FakeOpenRouter, "start", start)
    # Return at once instead of serving until Ctrl+C (only the command's own Event: the server's threads need theirs).
    monkeypatch.setattr(cli, "threading", SimpleNamespace(Event=lambda: SimpleNamespace(wait=lambda: True)))
    cli.main(["--port", "0", "--variant", "no-credits", "--fault", "echo"])
    assert [type(server).__name__ for server in started] == ["NoCreditsServer"]
    assert started[0]._faults.take().kind == "echo"
    assert capsys.readouterr().out == started[0].base_url + "\n"
