"""A stalled connection in the prompt sender: explained well under a minute, seconds counted, 止める ends it.

The loopback server here takes a request and then sends nothing (or one chunk of the answer, then
nothing) until the test releases it, as a dropped school Wi-Fi or a stuck provider does.
"""
from __future__ import annotations

import html
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import course_utils
from course_utils import config, widgets
from course_utils.text import ERRORS
from course_utils.widgets import calls
from course_utils.widgets import sender as sender_module

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
STREAM = (DATA / "chat-stream.sse.txt").read_bytes()
FIRST_TEXT = b'"content":"Hello"'
STALL = 1.0  # the widgets' wait in these tests (the course's is calls.STALL_SECONDS)


class Stalling(ThreadingHTTPServer):
    """POST /chat/completions: "stall" (no headers), "midstream" (the answer's first text, then nothing)
    or "answer" (the whole recorded-format stream); a stall lasts until `release` is set."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "stall"
        self.posts = 0
        self.release = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/v1"


class _Handler(BaseHTTPRequestHandler):
    server: Stalling

    def log_message(self, *args: object) -> None:  # keep pytest's output clean
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.server.posts += 1
        if self.server.mode == "stall":
            self.server.release.wait(10)
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        if self.server.mode == "answer":
            self.wfile.write(STREAM)
            return
        first = STREAM.index(b"\n\n", STREAM.index(FIRST_TEXT)) + 2
        self.wfile.write(STREAM[:first])
        self.wfile.flush()
        self.server.release.wait(10)


@pytest.fixture
def stalling(clean_env, monkeypatch, fake_key) -> Iterator[Stalling]:
    """Live mode against the stalling server, the widgets waiting STALL seconds, ticking every 0.05 s."""
    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    monkeypatch.setattr(calls, "STALL_SECONDS", {"sender": STALL, "comparison": STALL})
    monkeypatch.setattr(sender_module, "TICK_SECONDS", 0.05)
    server = Stalling()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(config.BASE_URL_VAR, server.base_url)
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "live"
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def _sender() -> widgets.PromptSender:
    sender = widgets.prompt_sender()
    sender.model.value, sender.prompt.value = course_utils.MODELS.free, "こんにちは"
    return sender


def _statuses(sender: widgets.PromptSender) -> list[str]:
    seen: list[str] = []
    sender.status.observe(lambda change: seen.append(html.unescape(change["new"])), names="value")
    return seen


def _wait_for(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def test_the_shipped_sender_gives_up_on_a_stall_well_under_a_minute(clean_env, monkeypatch, fake_key):
    """openai's defaults (600 s per read, 3 tries) are replaced: every try ends after the read timeout."""
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    client = calls.client("sender")
    assert client.max_retries == 1
    assert client.timeout.read * (1 + client.max_retries) + 2 < 60  # openai's back-off is under 2 s a try


def test_a_stalled_request_is_explained_with_the_seconds_counted(stalling):
    sender = _sender()
    seen = _statuses(sender)
    started = time.monotonic()
    sender.send()
    waited = time.monotonic() - started
    assert waited < STALL * 2 + 3  # two tries of STALL seconds and openai's back-off, not 600 s x 3
    assert stalling.posts == 2  # openai tried once more (MAX_RETRIES), then the widget explained
    status = html.unescape(sender.status.value)
    assert ERRORS["client_timeout"]["what"] in status
    assert widgets.TEXT["stalled_cause"].format(seconds=round(STALL)) in status
    assert widgets.TEXT["stalled_next"]["sender"] in status
    assert "timeout=60" not in status  # the lesson's advice about its own timeout= does not fit the widget
    assert any("（1 秒経過）" in s and widgets.TEXT["waiting"] in s for s in seen), seen
    assert not sender.button.disabled and sender.button.description == widgets.TEXT["send"]


def test_a_stream_that_stalls_midway_is_not_shown_as_complete(stalling):
    stalling.mode = "midstream"
    sender = _sender()
    sender.send()
    assert "Hello" in sender.answer.value
    status = html.unescape(sender.status.value)
    assert ERRORS["client_timeout"]["what"] in status and "トークン:" not in status


def test_stop_ends_a_stalled_request_at_once_and_the_next_send_works(stalling):
    sender = _sender()
    sender.button.click()  # 送信: the request runs in the background
    _wait_for(lambda: stalling.posts == 1)
    assert sender.button.description == widgets.TEXT["stop"] and not sender.button.disabled
    _wait_for(lambda: "秒経過" in html.unescape(sender.status.value) or sender.run is None)
    sender.button.click()  # 止める
    assert sender.run is None and sender.button.description == widgets.TEXT["send"]
    stopped = html.unescape(sender.status.value)
    assert stopped.startswith("「止める」で送信を取りやめました（")
    stalling.release.set()  # the abandoned request ends; it must not overwrite what the learner sees
    sender.worker.join(10)
    assert not sender.worker.is_alive()
    assert html.unescape(sender.status.value) == stopped and sender.answer.value == ""
    stalling.mode = "answer"
    sender.button.click()
    sender.worker.join(10)
    assert sender.answer.value == widgets.answer_html("Hello there, friend.")
    assert "トークン:" in sender.status.value


def test_stop_during_a_stream_keeps_what_arrived_and_nothing_after(stalling):
    stalling.mode = "midstream"
    sender = _sender()
    sender.button.click()
    _wait_for(lambda: "Hello" in sender.answer.value)
    sender.button.click()
    stalling.release.set()
    sender.worker.join(10)
    assert sender.answer.value == widgets.answer_html("Hello")
    assert html.unescape(sender.status.value).startswith("「止める」で送信を取りやめました")
