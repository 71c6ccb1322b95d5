"""The shipped recordings really carry the features the lessons teach, with the response shapes OpenRouter sends.

Reads every `course_utils/recordings/*.yaml` (vcrpy cassettes) as YAML: streams (lesson 05), multi-turn chats
(05), `models` fallbacks, `provider` routing, app-attribution headers, `plugins` and the deprecated
`usage: {include: true}` flag (07).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pytest
import yaml

from course_utils import config


@dataclass(frozen=True)
class Interaction:
    """One recorded request and its response, as the cassette stores them."""

    file: str
    request_headers: dict[str, list[str]]
    request: dict
    status: int
    response_text: str

    def response_json(self) -> dict:
        return json.loads(self.response_text)


def _text(value: str | bytes | None) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value or ""


@cache
def interactions() -> tuple[Interaction, ...]:
    """Every chat-completion interaction of every recording."""
    found = []
    for path in sorted(config.recordings_dir().glob("*.yaml")):
        cassette = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in cassette.get("interactions") or []:
            request, response = item["request"], item["response"]
            if not request["uri"].rstrip("/").endswith("/chat/completions"):
                continue
            found.append(Interaction(
                file=path.name,
                request_headers={k.lower(): v for k, v in (request.get("headers") or {}).items()},
                request=json.loads(_text(request.get("body")) or "{}"),
                status=response["status"]["code"],
                response_text=_text(response["body"]["string"])))
    return tuple(found)


def _with(predicate) -> list[Interaction]:
    return [i for i in interactions() if predicate(i)]


def _sse_events(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if block.strip()]


def test_recordings_exist():
    assert interactions(), "no chat completions recorded in course_utils/recordings/"


# -- streams and multi-turn chats (lesson 05) ------------------------------------------------------------

def _streams() -> list[Interaction]:
    return _with(lambda i: i.request.get("stream") is True and i.status == 200)


def test_a_streamed_request_is_recorded():
    assert _streams(), 'no request with "stream": true in any recording'


def test_streams_end_with_a_usage_chunk_with_cost_and_done():
    # Streams cut off on purpose (the errors lessons) have no [DONE]; every finished one has the full ending.
    finished = [s for s in _streams() if _sse_events(s.response_text)[-1] == "data: [DONE]"]
    assert finished, "no recorded stream ends with data: [DONE]"
    for stream in finished:
        data = [e for e in _sse_events(stream.response_text) if e.startswith("data: ") and e != "data: [DONE]"]
        chunks = [json.loads(e.removeprefix("data: ")) for e in data]
        assert "cost" in chunks[-1].get("usage", {}), f"{stream.file}: the last chunk must carry usage.cost"
        assert any(c.get("finish_reason") for chunk in chunks for c in chunk.get("choices") or []), \
            f"{stream.file}: a finished stream has a chunk with finish_reason"


def test_a_stream_has_keepalive_comments():
    with_comments = [s for s in _streams() if ": OPENROUTER PROCESSING" in _sse_events(s.response_text)]
    assert with_comments, "no recorded stream shows the ': OPENROUTER PROCESSING' keep-alive comments"
    first = _sse_events(with_comments[0].response_text)[0]
    assert first == ": OPENROUTER PROCESSING", "keep-alive comments come before the first data event"


def test_a_multi_turn_chat_is_recorded():
    def multi_turn(i: Interaction) -> bool:
        roles = [m.get("role") for m in i.request.get("messages") or []]
        return roles.count("user") >= 2 and "assistant" in roles[roles.index("user"):]
    chats = _with(lambda i: multi_turn(i) and i.status == 200)
    assert chats, "no request whose messages hold two user turns with an assistant turn between them"


# -- reliability and cost features (lesson 07) -----------------------------------------------------------

def test_models_fallback_is_served_by_a_later_model():
    fallbacks = _with(lambda i: isinstance(i.request.get("models"), list) and len(i.request["models"]) >= 2)
    assert fallbacks, 'no request with a "models" fallback list'
    served = [i for i in fallbacks if i.status == 200]
    assert served, "no fallback request was answered"
    switched = [i for i in served if i.response_json()["model"] != (i.request.get("model") or i.request["models"][0])]
    assert switched, "no recorded fallback shows a response model that differs from the first requested model"
    for i in switched:
        assert i.response_json()["model"] in i.request["models"], "the serving model must come from the list"
    # The primary alone fails in the same recordings, so the lesson shows why the list helps.
    primaries = {(i.request.get("model"), i.request["messages"][-1]["content"]) for i in switched}
    assert _with(lambda i: i.status >= 500 and "models" not in i.request
                 and (i.request.get("model"), i.request["messages"][-1]["content"]) in primaries)


def test_provider_routing_order_and_sort():
    routed = _with(lambda i: isinstance(i.request.get("provider"), dict) and i.status == 200)
    assert routed, 'no request with "provider" preferences'
    pinned = [i for i in routed
              if i.request["provider"].get("order") and i.request["provider"].get("allow_fallbacks") is False]
    assert pinned, 'no request with provider "order" and "allow_fallbacks": false'
    for i in pinned:
        slug = i.request["provider"]["order"][0].split("/", 1)[0].lower()
        assert i.response_json()["provider"].lower().replace(" ", "") == slug.replace("-", "")
    assert [i for i in routed if i.request["provider"].get("sort") == "price"], \
        'no request with provider "sort": "price"'
    assert all(i.response_json().get("provider") for i in routed), "routed responses name their provider"


def test_app_attribution_headers_are_recorded():
    named = _with(lambda i: "http-referer" in i.request_headers and "x-openrouter-title" in i.request_headers)
    assert named, "no request carries both HTTP-Referer and X-OpenRouter-Title"
    for i in named:
        assert i.request_headers["http-referer"][0].startswith("https://")
        assert i.request_headers["x-openrouter-title"][0].strip()
        assert i.status == 200


def test_context_compression_plugin_is_recorded():
    plugins = _with(lambda i: any(isinstance(p, dict) and p.get("id") == "context-compression"
                                  for p in i.request.get("plugins") or []))
    assert plugins, 'no request with plugins: [{"id": "context-compression"}]'
    assert any(i.status == 200 for i in plugins)


def test_deprecated_usage_include_flag_changes_nothing():
    flagged = _with(lambda i: i.request.get("usage") == {"include": True} and i.status == 200)
    assert flagged, 'no request with the deprecated usage: {"include": true}'
    for i in flagged:
        assert "cost" in i.response_json()["usage"]
        same_without = _with(lambda j, i=i: j.status == 200 and "usage" not in j.request
                             and not j.request.get("stream") and j.request.get("model") == i.request.get("model")
                             and j.request.get("messages") == i.request.get("messages"))
        assert same_without, "the same request without the flag is recorded too"
        assert all("cost" in j.response_json()["usage"] for j in same_without), "usage.cost comes without the flag"


@pytest.mark.parametrize("status", [429, 503])
def test_error_responses_keep_openrouters_error_body(status):
    errors = _with(lambda i: i.status == status)
    assert errors, f"no recorded {status}"
    for i in errors:
        assert i.response_json()["error"]["code"] == status
