"""Faults against FakeOpenRouter in live mode: each ends in a specific Japanese explanation, no partial
answer passes as complete, and the next call in the same process works.

Retries and waits: the lessons' client is built here with `max_retries=0` and `timeout=TIMEOUT` (the
widgets' client likewise, through `with_options`). By default `openai` retries 429 and 5xx with
back-off and honours the fake's `Retry-After` (up to 60 s), so one fault would cost seconds. The
`slow` fault waits SLOW seconds, just past TIMEOUT. One test keeps the default retries on purpose: a
single transient 503 costs one back-off of at most 0.5 s.
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator

import openai
import pytest

import course_utils
from course_utils import catalog, config, widgets
from course_utils.course_errors import StreamIncomplete
from course_utils.error_box import explain
from course_utils.text import ERRORS
from fake_openrouter import FakeOpenRouter

TIMEOUT = 0.5
SLOW = 1.0
MODEL = course_utils.MODELS.free
PROMPT = "日本で一番高い山について、その標高と名前を教えてください。"
MESSAGES_JA = [{"role": "user", "content": PROMPT}]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenRouter]:
    """One server for the module (stopping one takes 0.5 s); each test uses up the faults it injects."""
    with FakeOpenRouter() as fake:
        yield fake


@pytest.fixture
def live(server, clean_env, monkeypatch, fake_key) -> FakeOpenRouter:
    """Live mode: setup() with a key and OPENROUTER_BASE_URL pointing at the server."""
    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    monkeypatch.setenv(config.BASE_URL_VAR, server.base_url)
    monkeypatch.setenv(config.KEY_VAR, fake_key)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "live"
    return server


@pytest.fixture
def quick_widgets(live, monkeypatch) -> FakeOpenRouter:
    """The widgets' own client, without retries and with the short timeout."""
    monkeypatch.setattr(widgets.calls, "STALL_SECONDS", {"sender": TIMEOUT, "comparison": TIMEOUT})
    monkeypatch.setattr(widgets.calls, "MAX_RETRIES", 0)
    return live


def lesson_client() -> openai.OpenAI:
    """The client the lessons write (`OpenAI(base_url=..., api_key=os.getenv(...))`), without retries."""
    return openai.OpenAI(base_url=course_utils.BASE_URL, api_key=os.getenv(config.KEY_VAR), max_retries=0,
                         timeout=TIMEOUT)


def ask(client: openai.OpenAI, stream: bool) -> str:
    """One chat call as the lessons make it; a stream is read to its end with finish_stream."""
    response = client.chat.completions.create(model=MODEL, messages=MESSAGES_JA, stream=stream)
    if stream:
        return course_utils.finish_stream(response)
    return course_utils.check_completion(response).choices[0].message.content


def full_answer(server: FakeOpenRouter) -> str:
    return server.answers.find(MODEL, PROMPT).text


def shows_case(text: str, case: str) -> bool:
    """Whether HTML `text` holds the explanation of `case` (its first sentence up to any placeholder)."""
    return html.escape(ERRORS[case]["what"].split("{")[0]) in text


FAULTS = [
    pytest.param("slow", False, "client_timeout", id="slow"),
    pytest.param("slow", True, "client_timeout", id="slow-stream"),
    pytest.param("429-free-per-minute", False, "rate_minute", id="429-minute"),
    pytest.param("429-free-per-day", True, "rate_day", id="429-day-stream"),
    pytest.param("502-provider-error", False, "provider_error", id="502"),
    pytest.param("503-service-unavailable", True, "temporarily_unavailable", id="503-stream"),
    pytest.param("reset", False, "stream_cut", id="reset"),
    pytest.param("reset", True, "stream_cut", id="reset-stream"),
    pytest.param("stream-cut", True, "stream_cut", id="stream-cut"),
    pytest.param("stream-error", True, "stream_error", id="stream-error"),
    pytest.param("stream-error", False, "completion_error", id="error-in-body"),
    pytest.param("malformed-json", False, "malformed_response", id="malformed-json"),
    pytest.param("malformed-json", True, "malformed_response", id="malformed-json-stream"),
]


@pytest.mark.parametrize("kind, stream, case", FAULTS)
def test_fault_is_explained_in_japanese_then_next_call_works(live, capsys, kind, stream, case):
    client = lesson_client()
    live.inject(kind, seconds=SLOW)
    answer = None
    with course_utils.kindly():
        answer = ask(client, stream)
    assert answer is None  # nothing was presented as an answer
    explanation = course_utils.last_explanation()
    assert explanation.case == case
    shown = capsys.readouterr().out
    assert explanation.what in shown and explanation.next_step in shown
    assert not re.search(r"\{\w+\}", explanation.what + explanation.next_step)  # every placeholder filled
    assert ask(client, stream) == full_answer(live)


def test_stream_cut_keeps_the_partial_text_apart(live):
    live.inject("stream-cut")
    stream = lesson_client().chat.completions.create(model=MODEL, messages=MESSAGES_JA, stream=True)
    with pytest.raises(StreamIncomplete) as info:
        course_utils.finish_stream(stream)
    partial, full = info.value.partial_text, full_answer(live)
    assert partial and full.startswith(partial) and partial != full
    assert explain(info.value).case == "stream_cut"


def test_rate_limit_carries_retry_after_and_says_when(live):
    live.inject("429-free-per-minute")
    with pytest.raises(openai.RateLimitError) as info:
        ask(lesson_client(), stream=False)
    assert 0 < int(info.value.response.headers["retry-after"]) <= 60
    explanation = explain(info.value)
    assert explanation.case == "rate_minute"
    assert "8" in explanation.what  # the per-minute limit OpenRouter stated
    assert "日本時間" in explanation.next_step  # when to try again, from X-RateLimit-Reset


def test_default_retries_absorb_one_transient_503_and_say_they_wait(live, capsys):
    before = len(live.requests)
    live.inject("503-service-unavailable")
    response = catalog.openrouter_client().chat.completions.create(model=MODEL, messages=MESSAGES_JA)
    assert response.choices[0].message.content == full_answer(live)
    assert len(live.requests) - before == 2  # the 503, then the retry that succeeded
    # openai waits silently before a retry (up to a minute for a 429's Retry-After): the cell says so.
    assert capsys.readouterr().out.count("秒後に自動で送り直します。2回のうち1回目の再試行です") == 1


# -- widgets -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, case", [
    ("slow", "client_timeout"), ("429-free-per-minute", "rate_minute"), ("502-provider-error", "provider_error"),
    ("reset", "stream_cut"), ("stream-cut", "stream_cut"), ("stream-error", "stream_error"),
    ("malformed-json", "malformed_response"),
])
def test_prompt_sender_explains_a_fault_and_sends_again(quick_widgets, kind, case):
    sender = widgets.prompt_sender()
    sender.model.value, sender.prompt.value = MODEL, PROMPT
    quick_widgets.inject(kind, seconds=SLOW)
    sender.send()
    assert shows_case(sender.status.value, case)
    assert "トークン:" not in sender.status.value  # no usage line: the answer is not shown as complete
    assert sender.answer.value != widgets.answer_html(full_answer(quick_widgets))
    assert not sender.button.disabled
    sender.send()
    assert sender.answer.value == widgets.answer_html(full_answer(quick_widgets))
    assert "トークン:" in sender.status.value


def test_prompt_sender_says_when_openai_waits_to_retry(live, capsys):
    """The widget's own client keeps openai's retries: the wait shows in its status line, not in the log."""
    sender = widgets.prompt_sender()
    sender.model.value, sender.prompt.value = MODEL, PROMPT
    seen: list[str] = []
    sender.status.observe(lambda change: seen.append(change["new"]), names="value")
    live.inject("503-service-unavailable")
    sender.send()
    assert any("秒後に自動で送り直します。1回のうち1回目の再試行です" in html.unescape(s) for s in seen), seen
    assert sender.answer.value == widgets.answer_html(full_answer(live)) and "トークン:" in sender.status.value
    assert "送り直します" not in capsys.readouterr().out


@pytest.mark.parametrize("kind, case", [("502-provider-error", "provider_error"), ("reset", "stream_cut"),
                                        ("slow", "client_timeout"), ("stream-error", "completion_error")])
def test_comparison_keeps_the_other_answers_when_one_model_faults(quick_widgets, kind, case):
    models = [MODEL, course_utils.MODELS.small_free, course_utils.MODELS.large_free]
    comparison = widgets.compare_models(models, PROMPT)
    quick_widgets.inject(kind, seconds=SLOW)  # the first request to arrive gets it, whichever model
    comparison.run()
    failed = [m for m in models if comparison.results[m].error is not None]
    assert len(failed) == 1
    assert explain(comparison.results[failed[0]].error).case == case
    assert shows_case(comparison.answers[failed[0]].value, case)
    for model in set(models) - set(failed):
        answer = quick_widgets.answers.find(model, PROMPT).text
        assert comparison.answers[model].value == widgets.answer_html(answer)
    assert widgets.TEXT["failed"] in comparison.table.value
    assert not comparison.button.disabled
