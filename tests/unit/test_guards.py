"""The checks around one call (course_utils.guards): bad input is refused before sending, a 200 that carries no
answer is caught after, and `openai` does not retry what waiting seconds cannot fix.

Faults are served by loopback servers: pytest-httpserver for one response, the course's example server
(fake_openrouter) for OpenRouter's real per-day 429.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator

import openai
import pytest
from openai import OpenAI

from course_utils import guards
from course_utils.course_errors import InputProblem, UnexpectedResponse
from course_utils.error_box import explain
from course_utils.guards import check_completion, check_prompt, finish_stream, pointless_retry
from fake_openrouter import FakeOpenRouter
from fake_openrouter.errors import error_body

CHAT = "/api/v1/chat/completions"
MODEL = "google/gemma-4-31b-it:free"
LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Campus Wi-Fi</title></head><body>ログイン</body></html>"


@pytest.mark.parametrize("messages, problem", [
    pytest.param(["こんにちは"], "1番目の要素が辞書ではなく str です", id="list-of-strings"),
    pytest.param([{"role": "user", "content": "a"}, ("user", "b")], "2番目の要素が辞書ではなく tuple です",
                 id="a-tuple-among-dicts"),
    pytest.param({"role": "user", "content": "こんにちは"}, "リストではなく dict です", id="one-dict"),
    pytest.param(42, "リストではなく int です", id="a-number"),
])
def test_messages_that_are_not_a_list_of_dicts(messages, problem):
    with pytest.raises(InputProblem) as info:
        check_prompt(messages)
    exp = explain(info.value)
    assert exp.case == "messages_shape"
    assert problem in exp.what and 'messages=[{"role": "user", "content": "質問"}]' in exp.next_step


@pytest.mark.parametrize("prompt", ["絵文字 \ud83d です", [{"role": "user", "content": "ok"},
                                                         {"role": "user", "content": "x\udc00"}]])
def test_lone_surrogate_is_refused_before_sending(prompt):
    with pytest.raises(InputProblem) as info:
        check_prompt(prompt)
    exp = explain(info.value)
    assert exp.case == "prompt_surrogate" and "文字目" in exp.what and "絵文字" in exp.next_step
    exp.to_text().encode("utf-8")  # the box itself holds no broken character


def test_a_prompt_with_real_emoji_passes():
    check_prompt("絵文字 😀 です")


@pytest.fixture
def client(httpserver, fake_key) -> OpenAI:
    return OpenAI(base_url=httpserver.url_for("/api/v1"), api_key=fake_key, max_retries=0)


def test_check_completion_names_a_login_page(httpserver, client):
    httpserver.expect_request(CHAT).respond_with_data(LOGIN_PAGE, content_type="text/html")
    completion = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(UnexpectedResponse) as info:
        check_completion(completion)
    exp = explain(info.value)
    assert exp.case == "captive_portal" and "Wi-Fi のログイン画面" in exp.cause
    assert "Campus Wi-Fi" in exp.to_text()


def test_finish_stream_names_a_login_page_instead_of_a_cut_stream(httpserver, client):
    httpserver.expect_request(CHAT).respond_with_data(LOGIN_PAGE, content_type="text/html; charset=utf-8")
    stream = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True)
    with pytest.raises(UnexpectedResponse) as info:
        finish_stream(stream)
    assert explain(info.value).case == "captive_portal"


# -- retries -------------------------------------------------------------------------------------------

def _body(name: str) -> bytes:
    return json.dumps(error_body(name)).encode()


NOW = 1_788_800_000.0  # a moment on the day of the per-day sample (its reset is the next 0:00 UTC)


@pytest.mark.parametrize("status, headers, body, pointless", [
    pytest.param(429, {}, _body("429-free-per-day"), True, id="per-day-sample"),
    pytest.param(429, {"X-RateLimit-Reset": str(int(NOW + 3600) * 1000)}, b"{}", True, id="resets-in-an-hour"),
    pytest.param(429, {"X-RateLimit-Reset": str(int(NOW + 20) * 1000)}, b"{}", False, id="resets-in-20-seconds"),
    pytest.param(429, {}, _body("429-free-per-minute"), False, id="per-minute-sample"),
    pytest.param(429, {}, _body("429-capacity-exhausted"), False, id="capacity-retryable"),
    pytest.param(503, {}, _body("503-service-unavailable"), False, id="503-retryable"),
    pytest.param(404, {}, _body("404-no-endpoints"), True, id="not-retryable-availability"),
    pytest.param(500, {}, b"<html>oops</html>", False, id="unreadable-body"),
])
def test_which_errors_are_not_worth_a_retry(status, headers, body, pointless):
    assert pointless_retry(status, headers, body, now=NOW) is pointless


@pytest.fixture
def server() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter() as fake:
        yield fake


def _chat_requests(server: FakeOpenRouter) -> int:
    return sum(r.path.endswith("/chat/completions") for r in server.requests)


def test_per_day_429_is_raised_at_once_in_live_mode(server, fake_key):
    """openai's default client retries a 429 twice; with the course's guard the per-day limit is one request."""
    guards.stop_pointless_retries()
    guards.stop_pointless_retries()  # installing twice wraps once
    client = OpenAI(base_url=server.base_url, api_key=fake_key)  # the default max_retries=2, as lessons use it
    server.inject("429-free-per-day", times=3)
    started = time.monotonic()
    with pytest.raises(openai.RateLimitError) as info:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "こんにちは"}])
    assert time.monotonic() - started < 2
    assert _chat_requests(server) == 1
    assert explain(info.value).case == "rate_day"  # the body was read by the guard and is still there


def test_a_retryable_429_is_still_retried(server, fake_key):
    guards.stop_pointless_retries()
    client = OpenAI(base_url=server.base_url, api_key=fake_key, max_retries=1)
    server.inject("429-capacity-exhausted", times=1)
    completion = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "こんにちは"}])
    assert completion.choices[0].message.content
    assert _chat_requests(server) == 2
