"""Fixtures the example-server tests share: one server per test module and a client without retries."""
from __future__ import annotations

import pytest
from openai import OpenAI

from fake_openrouter import FakeOpenRouter


@pytest.fixture(scope="module")
def srv():
    with FakeOpenRouter() as server:
        yield server


@pytest.fixture
def client(srv, fake_key) -> OpenAI:
    return OpenAI(base_url=srv.base_url, api_key=fake_key, max_retries=0)
