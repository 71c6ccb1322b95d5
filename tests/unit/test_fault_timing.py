"""FakeOpenRouter's faults that choose *when* something fails: `pass` (a later request) and `die-after`."""
from __future__ import annotations

import openai
import pytest

from course_utils import MODELS
from fake_openrouter import FakeOpenRouter
from tests.conftest import FAKE_KEY


@pytest.fixture
def client():
    with FakeOpenRouter() as server:
        yield server, openai.OpenAI(base_url=server.base_url, api_key=FAKE_KEY, max_retries=0, timeout=5)


def ask(client: openai.OpenAI) -> str:
    messages = [{"role": "user", "content": "こんにちは"}]
    return client.chat.completions.create(model=MODELS.free, messages=messages).choices[0].message.content


def test_pass_makes_the_next_fault_hit_a_later_request(client):
    server, api = client
    server.inject("pass", times=2)
    server.inject("502-provider-error")
    assert ask(api) and ask(api)
    with pytest.raises(openai.InternalServerError) as info:
        ask(api)
    assert info.value.status_code == 502
    assert ask(api)  # the fault was used up


def test_die_after_serves_n_requests_then_none(client):
    server, api = client
    server.inject("die-after", times=1)
    assert ask(api)
    for _ in range(2):
        with pytest.raises(openai.APIConnectionError):
            ask(api)
