"""Lesson 08 exercises: the hints a learner sees for a schema call and for the tool message."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

import course_utils
from course_utils.exercises.l08_structured_output_and_tools import HINTS, judge_schema_call, judge_tool_message

SCHEMA_MODEL = "google/gemma-4-26b-a4b-it:free"
NO_SCHEMA_MODEL = "google/gemma-4-31b-it:free"
SCHEMA = {"type": "object", "properties": {k: {"type": "string"} for k in ("word", "reading", "meaning", "example")},
          "required": ["word", "reading", "meaning", "example"]}
RIGHT_FORMAT = {"type": "json_schema", "json_schema": {"name": "word_card", "strict": True, "schema": SCHEMA}}
QUESTION = [{"role": "user", "content": "日本語の単語「夕焼け」について、読み方・意味・例文を教えてください。"}]


@pytest.fixture(autouse=True)
def replayed(clean_env, capsys):
    """The catalogue the checker reads is the recorded one (replay mode, no key)."""
    course_utils.setup()
    capsys.readouterr()


def asker(model=SCHEMA_MODEL, **kwargs):
    def ask(client):
        return client.chat.completions.create(model=model, messages=QUESTION, **kwargs)
    return ask


def test_a_schema_call_to_a_structured_outputs_model_is_right():
    assert judge_schema_call(asker(response_format=RIGHT_FORMAT)) is None


@pytest.mark.parametrize(("ask", "hint"), [
    (asker(NO_SCHEMA_MODEL, response_format=RIGHT_FORMAT), HINTS["model_no_schema"].format(model=NO_SCHEMA_MODEL)),
    (asker(), HINTS["format_missing"]),
    (asker(response_format={"type": "json_object"}), HINTS["format_json_object"]),
    (asker(response_format={"type": "json_schema", "json_schema": {"schema": SCHEMA}}), HINTS["schema_name"]),
    (asker(response_format={"type": "json_schema", "json_schema": {
        "name": "card", "schema": {**SCHEMA, "required": ["word"]}}}),
     HINTS["schema_fields"].format(fields="reading・meaning・example")),
], ids=["model-ignores-schema", "no-format", "json-object", "no-name", "missing-fields"])
def test_each_wrong_schema_call_gets_its_own_hint(ask, hint):
    assert judge_schema_call(ask) == hint


CALL = SimpleNamespace(id="call_abc")


def test_the_tool_message_with_the_calls_id_is_right():
    message = {"role": "tool", "tool_call_id": "call_abc", "content": '{"error": "那覇"}'}
    assert judge_tool_message({"message": message, "call": CALL}) is None


@pytest.mark.parametrize(("message", "hint"), [
    ({"role": "???", "tool_call_id": "???", "content": "{}"}, HINTS["tool_role"].format(value="???")),
    ({"role": "tool", "tool_call_id": "???", "content": "{}"}, HINTS["tool_id_placeholder"]),
    ({"role": "tool", "tool_call_id": "call_other", "content": "{}"}, HINTS["tool_id"]),
    ({"role": "tool", "tool_call_id": "call_abc", "content": {"a": 1}}, HINTS["tool_content"]),
], ids=["role", "id-placeholder", "other-id", "content-not-a-string"])
def test_each_wrong_tool_message_gets_its_own_hint(message, hint):
    assert judge_tool_message({"message": message, "call": CALL}) == hint
