"""Per-call costs: a replayed `chat.completions.create`, and the course's live client path against a
plain `openai` client on the same FakeOpenRouter (non-streamed calls, and a stream's first chunk)."""
from __future__ import annotations

import json
import os
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx2
from common import BASE_URL_VAR, KEY_VAR, MODE_VAR, Result, median_ms, offline_replay_env, timed
from openai import OpenAI

import course_utils
from course_utils import environment, replay, widgets
from course_utils.widgets import calls as widget_calls
from course_utils.widgets import comparison
from fake_openrouter import FakeOpenRouter

REPLAY_GOAL_MS = 2.0
LIVE_GOAL_RATIO = 1.05
MESSAGES = [{"role": "user", "content": "日本で一番高い山について、その標高と名前を教えてください。"}]


# -- replay ----------------------------------------------------------------------------------------------

def _recorded_calls() -> list[tuple[dict, dict]]:
    """(request body, recorded response) of every successful non-streamed chat call in the recordings."""
    calls = []
    for request, response in replay.active().cassette.data:
        body = json.loads(request.body) if request.path.endswith("/chat/completions") else {}
        if body and not body.get("stream") and response["status"]["code"] == 200:
            calls.append((body, response))
    return calls


def _create(client: OpenAI, body: dict) -> Callable[[], object]:
    """A call of `create` that sends exactly `body`."""
    rest = {k: v for k, v in body.items() if k not in ("model", "messages")}
    return lambda: client.chat.completions.create(model=body["model"], messages=body["messages"], extra_body=rest)


def _mock_client(response: dict) -> OpenAI:
    """A client whose transport hands back `response` at once: openai's own cost, no replay."""
    content = response["body"]["string"]
    content = content.encode("utf-8") if isinstance(content, str) else content
    headers = {"content-type": "application/json"}
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, headers=headers, content=content))
    return OpenAI(base_url=course_utils.BASE_URL, api_key="unused", http_client=httpx2.Client(transport=transport))


def run_replay(repeat: int) -> tuple[list[Result], list[str]]:
    with offline_replay_env():
        course_utils.setup(quiet=True)
        try:
            calls = _recorded_calls()
            interactions = len(replay.active().cassette.data)
            client = OpenAI(base_url=course_utils.BASE_URL, api_key=os.environ[KEY_VAR])
            per_call = [timed(_create(client, body), repeat) for body, _ in calls]
        finally:
            replay.stop()
        floor = [timed(_create(_mock_client(response), body), repeat) for body, response in calls]
    every = [s for samples in per_call for s in samples]
    # Replay finds a request by its key (replay.session), so where a call sits among the recordings does not
    # matter; the slowest call is the one whose response openai takes longest to parse.
    slowest = max(range(len(calls)), key=lambda i: median_ms(per_call[i]))
    notes = [f"Replay looks each request up by its key: the call recorded first takes {median_ms(per_call[0]):.2f} ms, "
             f"the one recorded last {median_ms(per_call[-1]):.2f} ms; openai's own work is "
             f"{median_ms(sum(floor, [])):.2f} ms."]
    results = [
        Result("Replayed `chat.completions.create`, per call (all recorded calls)", median_ms(every),
               REPLAY_GOAL_MS, "ms", f"{len(calls)} recorded non-streamed calls × {repeat}; "
                                     f"{interactions} recorded interactions in all"),
        Result("… the slowest recorded call (reference)", median_ms(per_call[slowest]), None, "ms",
               f"{calls[slowest][0]['model']}; openai's own work for it {median_ms(floor[slowest]):.2f} ms"),
        Result("… the same calls without replay (httpx2.MockTransport: openai's own cost, reference)",
               median_ms(sum(floor, [])), None, "ms"),
    ]
    return results, notes


# -- live ------------------------------------------------------------------------------------------------

@contextmanager
def _live() -> Iterator[FakeOpenRouter]:
    """Live mode (setup() with a fake key built here) against FakeOpenRouter."""
    with FakeOpenRouter() as server, environment.patched(**{
            MODE_VAR: None, KEY_VAR: "sk-or-v1-" + secrets.token_hex(32), BASE_URL_VAR: server.base_url}):
        course_utils.setup(quiet=True)
        assert course_utils.MODE == "live"
        yield server


def _paired(plain: Callable[[], object], course: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median ms of each, timed alternately (and each first in every other round: the call that follows
    the other one on the loopback server was seen to be faster) so that load changes affect both alike."""
    plain_samples, course_samples = [], []
    for round_ in range(repeat):
        if round_ % 2:
            course_samples += timed(course, 1)
        plain_samples += timed(plain, 1)
        if not round_ % 2:
            course_samples += timed(course, 1)
    return median_ms(plain_samples), median_ms(course_samples)


def _lesson_call(client: OpenAI) -> None:
    """A lesson's call through the course helpers: kindly() around it, check_completion() on it."""
    with course_utils.kindly():
        course_utils.check_completion(client.chat.completions.create(model=course_utils.MODELS.free,
                                                                     messages=MESSAGES))


def _first_chunk(client: OpenAI) -> tuple[float, int]:
    """Seconds until the first chunk with text arrives from a plain stream, and how many chunks carry text."""
    started = time.perf_counter()
    first, pieces = None, 0
    for chunk in client.chat.completions.create(model=course_utils.MODELS.free, messages=MESSAGES, stream=True):
        if chunk.choices and chunk.choices[0].delta.content:
            first = first or time.perf_counter() - started
            pieces += 1
    return first, pieces


class _ArrivalClock:
    """Wraps the sender's client: notes when openai hands over the first chunk that carries text."""

    def __init__(self, client: OpenAI):
        self.client, self.arrived = client, None
        self.chat = self.completions = self  # so `clock.chat.completions.create(...)` reaches `create`

    def create(self, **kwargs: object) -> Iterator[object]:
        for chunk in self.client.chat.completions.create(**kwargs):
            if self.arrived is None and chunk.choices and chunk.choices[0].delta.content:
                self.arrived = time.perf_counter()
            yield chunk


def _sender_first_update(sender: widgets.PromptSender) -> tuple[float, float, int]:
    """From 送信: seconds until the answer area first shows text, seconds from that text's arrival (out of
    openai's stream) to the screen, and how many times the answer was redrawn."""
    shown: list[float] = []
    clock = _ArrivalClock(widget_calls.client("sender"))

    def watch(change: dict) -> None:
        if change["new"]:
            shown.append(time.perf_counter())

    sender.answer.observe(watch, names="value")
    original, widget_calls.client = widget_calls.client, lambda widget: clock
    started = time.perf_counter()
    try:
        sender.send()
    finally:
        widget_calls.client = original
        sender.answer.unobserve(watch, names="value")
    return shown[0] - started, shown[0] - clock.arrived, sender.updates


def run_live(repeat: int) -> tuple[list[Result], list[str]]:
    with _live() as server:
        plain = OpenAI(base_url=server.base_url, api_key=os.environ[KEY_VAR])
        lesson = OpenAI(base_url=course_utils.BASE_URL, api_key=os.environ[KEY_VAR])
        create = _create(plain, {"model": course_utils.MODELS.free, "messages": MESSAGES})
        create()  # warm up the connection and the catalogue cache
        comparison.ask(course_utils.MODELS.free, MESSAGES)
        plain_ms, lesson_ms = _paired(create, lambda: _lesson_call(lesson), repeat)
        _, widget_ms = _paired(create, lambda: comparison.ask(course_utils.MODELS.free, MESSAGES), repeat)
        sender = widgets.prompt_sender()
        sender.model.value, sender.prompt.value = course_utils.MODELS.free, MESSAGES[0]["content"]
        _sender_first_update(sender)
        firsts, handoffs, updates = [], [], []
        for _ in range(max(repeat // 4, 5)):
            first, pieces = _first_chunk(plain)
            shown, handoff, redraws = _sender_first_update(sender)
            firsts.append((first, shown))
            handoffs.append(handoff)
            updates.append((pieces, redraws))
        construct_ms = median_ms(timed(lambda: OpenAI(base_url=server.base_url, api_key="unused"), 20))
    first_plain = statistics.median(f for f, _ in firsts) * 1000
    first_sender = statistics.median(s for _, s in firsts) * 1000
    total_chunks = sum(pieces for pieces, _ in updates)
    buffered = sum(max(pieces - redraws, 0) for pieces, redraws in updates)
    handoff_ms = statistics.median(handoffs) * 1000
    results = [
        Result("Live, non-streamed: lesson call (`kindly()` + `check_completion`) / plain client",
               lesson_ms / plain_ms, LIVE_GOAL_RATIO, "×",
               f"{lesson_ms:.2f} ms vs {plain_ms:.2f} ms, median of {repeat}"),
        Result("Live, non-streamed: comparison widget's call (`widgets.comparison.ask`) / plain client",
               widget_ms / plain_ms, LIVE_GOAL_RATIO, "×", f"{widget_ms:.2f} ms vs {plain_ms:.2f} ms"),
        Result("Live, streamed: text chunks the prompt sender did not redraw at once (buffered)",
               buffered, 0, "chunks",
               f"{total_chunks} text chunks over {len(updates)} sends; the first one reaches the screen "
               f"{handoff_ms:.2f} ms after openai yields it (median)"),
        Result("Live, streamed: prompt sender's first text on screen / plain client's first text chunk (reference)",
               first_sender / first_plain, None, "×",
               f"{first_sender:.2f} ms from 送信 (prompt checks included) vs {first_plain:.2f} ms from `create`, "
               f"median of {len(firsts)}"),
    ]
    notes = [f"Constructing an `OpenAI` client takes {construct_ms:.1f} ms here (httpx2 builds its SSL context); "
             "a path that builds a client per call pays it on every call."]
    return results, notes
