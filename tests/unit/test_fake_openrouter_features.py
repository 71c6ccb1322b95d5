"""The example server's tool calls, images and feature refusals, through the real `openai` client."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import openai
import pytest

FREE = "google/gemma-4-31b-it:free"
IMAGE_MODEL = "google/gemini-3.1-flash-lite-image"
WEATHER = "今の京都の天気を教えてください。"
DRAW = "朝日と富士山の、シンプルなイラストを描いてください。"
TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "天気", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
FRUITS = Path(__file__).resolve().parents[2] / "course_utils" / "assets" / "fruits.png"


def test_a_tool_is_called_then_its_result_answered(client):
    messages = [{"role": "user", "content": WEATHER}]
    first = client.chat.completions.create(model=FREE, messages=messages, tools=TOOLS)
    call = first.choices[0].message.tool_calls[0]
    assert first.choices[0].finish_reason == "tool_calls" and first.choices[0].message.content == ""
    assert (call.function.name, json.loads(call.function.arguments)) == ("get_weather", {"city": "京都"})
    assert first.usage.completion_tokens > 0
    messages += [first.choices[0].message, {"role": "tool", "tool_call_id": call.id, "content": '{"weather":"くもり"}'}]
    final = client.chat.completions.create(model=FREE, messages=messages, tools=TOOLS)
    assert final.choices[0].finish_reason == "stop" and "くもり" in final.choices[0].message.content


def test_streamed_tool_call_deltas_join_to_the_arguments(client):
    stream = client.chat.completions.create(model=FREE, messages=[{"role": "user", "content": WEATHER}],
                                            tools=TOOLS, stream=True)
    chunks = list(stream)
    deltas = [c.choices[0].delta.tool_calls[0] for c in chunks if c.choices and c.choices[0].delta.tool_calls]
    assert deltas[0].id.startswith("call_") and deltas[0].function.name == "get_weather"
    assert json.loads("".join(d.function.arguments or "" for d in deltas)) == {"city": "京都"}
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason][0] == "tool_calls"


def test_an_image_model_returns_an_image_only_with_modalities_and_bills_its_tokens(client):
    asked = client.chat.completions.create(model=IMAGE_MODEL, messages=[{"role": "user", "content": DRAW}],
                                           extra_body={"modalities": ["image", "text"]})
    url = asked.choices[0].message.images[0]["image_url"]["url"]
    assert base64.b64decode(url.split(",", 1)[1]).startswith(b"\x89PNG")
    assert asked.usage.completion_tokens_details.image_tokens == 1290
    assert asked.usage.cost > 1290 * 0.00003  # the catalogue's image_output price per image token
    plain = client.chat.completions.create(model=IMAGE_MODEL, messages=[{"role": "user", "content": DRAW}])
    assert getattr(plain.choices[0].message, "images", None) is None and plain.usage.cost < 0.001


def test_an_image_part_is_read_by_a_vision_model(client):
    data = base64.b64encode(FRUITS.read_bytes()).decode()
    parts = [{"type": "text", "text": "この画像に何が写っていますか？果物の種類と数を答えてください。"},
             {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}}]
    answer = client.chat.completions.create(model=FREE, messages=[{"role": "user", "content": parts}])
    assert "りんご" in answer.choices[0].message.content


@pytest.mark.parametrize(("model", "extra", "status", "message"), [
    ("google/gemma-3-4b-it", {"tools": TOOLS}, 404, "No endpoints found that support tool use"),
    ("liquid/lfm-2.5-2.6b:free", {"image": "aGk="}, 404, "No endpoints found that support image input"),
    ("liquid/lfm-2.5-2.6b:free", {"image": "A" * (31 * 1024 * 1024 * 4 // 3)}, 404, "support image input"),
    (FREE, {"image": "A" * (31 * 1024 * 1024 * 4 // 3)}, 413, "Downloaded image content cannot exceed 30MB"),
    (FREE, {"extra_body": {"modalities": ["image", "text"]}}, 404,
     "No endpoints found that support the requested output modalities: image, text"),
    (FREE, {"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}},
            "extra_body": {"provider": {"require_parameters": True}}}, 404,
     "No endpoints found that can handle the requested parameters"),
], ids=["no-tools", "no-image-input", "no-image-input-first", "image-too-large", "no-image-output", "required-schema"])
def test_features_a_model_lacks_are_refused_as_openrouter_does(client, model, extra, status, message):
    content: object = WEATHER
    if "image" in extra:
        content = [{"type": "text", "text": WEATHER},
                   {"type": "image_url", "image_url": {"url": "data:image/png;base64," + extra.pop("image")}}]
    with pytest.raises(openai.APIStatusError) as raised:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": content}], **extra)
    assert raised.value.status_code == status and message in raised.value.message


def test_a_schema_to_a_model_without_structured_outputs_is_ignored_without_require_parameters(client):
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}
    answer = client.chat.completions.create(model=FREE, messages=[{"role": "user", "content": WEATHER}],
                                            response_format=fmt)
    assert answer.choices[0].finish_reason == "stop"
