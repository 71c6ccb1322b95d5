"""Lesson 10 exercises (mini-project): the hints a learner sees while choosing the model and writing the calls."""
from __future__ import annotations

import pytest

import course_utils
from course_utils import catalog
from course_utils.exercises import l08_structured_output_and_tools as l08
from course_utils.exercises.calls import HINTS as CALL_HINTS
from course_utils.exercises.l10_mini_project import (
    HINTS,
    judge_candidates,
    judge_card_call,
    judge_tool_call,
)

MODEL = "google/gemma-4-26b-a4b-it:free"
FIELDS = ("word", "reading", "meaning", "example")
SCHEMA = {"type": "object", "properties": {k: {"type": "string"} for k in FIELDS}, "required": list(FIELDS)}
CARD_FORMAT = {"type": "json_schema", "json_schema": {"name": "word_card", "strict": True, "schema": SCHEMA}}
TOOLS = [{"type": "function", "function": {"name": "look_up_word", "description": "辞書",
          "parameters": {"type": "object", "properties": {"word": {"type": "string"}}, "required": ["word"]}}}]


@pytest.fixture(autouse=True)
def replayed(clean_env, capsys):
    """The catalogue the checkers read is the recorded one (replay mode, no key)."""
    course_utils.setup()
    capsys.readouterr()


def both_free() -> list[str]:
    return [m["id"] for m in catalog.list_models() if m["id"].endswith(":free")
            and {"structured_outputs", "tools"} <= set(m["supported_parameters"])]


def test_the_free_models_with_both_features_are_right_in_any_order():
    right = both_free()
    assert MODEL in right and "google/gemma-4-31b-it:free" not in right
    assert judge_candidates(right) is None
    assert judge_candidates(list(reversed(right))) is None


@pytest.mark.parametrize(("extra", "hint"), [
    ("google/gemma-4-26b-a4b-it", "not_free"),
    ("google/gemma-4-31b-it:free", "json_object_only"),        # response_format, no structured_outputs
    ("nvidia/nemotron-3.5-content-safety:free", "no_schema"),
], ids=["paid", "json-object-only", "neither"])
def test_a_model_that_does_not_fit_is_named(extra, hint):
    assert judge_candidates([*both_free(), extra]) == HINTS[hint].format(model=extra)


def test_a_model_without_tools_is_named(monkeypatch):
    real = catalog.get_model
    monkeypatch.setattr(catalog, "get_model", lambda model: {**real(model), "supported_parameters": [
        "structured_outputs"]} if model == MODEL else real(model))
    assert judge_candidates(both_free()) == HINTS["no_tools"].format(model=MODEL)


def test_a_short_list_names_a_missing_model():
    right = both_free()
    assert judge_candidates(right[1:]) == HINTS["missing"].format(model=right[0])
    assert judge_candidates("google/gemma-4-26b-a4b-it:free") == HINTS["not_list"]


def card_asker(model=MODEL, question="日本語の単語「{word}」について、読み方・意味・例文を教えてください。", **kwargs):
    def ask_card(client, word):
        return client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": question.format(word=word)}], **kwargs)
    return ask_card


def test_the_card_call_with_the_word_and_the_schema_is_right():
    assert judge_card_call(card_asker(response_format=CARD_FORMAT)) is None


def test_the_untouched_card_cell_asks_for_messages():
    def ask_card(client, word):
        return client.chat.completions.create(model=...)
    assert judge_card_call(ask_card) == CALL_HINTS["missing"]


@pytest.mark.parametrize(("ask", "hint"), [
    (card_asker(model=..., response_format=CARD_FORMAT), HINTS["model_placeholder"]),
    (card_asker(model="google/gemma-4-31b-it:free", response_format=CARD_FORMAT),
     HINTS["model_lacks"].format(model="google/gemma-4-31b-it:free", feature="structured_outputs")),
    (card_asker(question="日本語の単語「花火」について教えてください。", response_format=CARD_FORMAT),
     HINTS["word_unused"].format(word="夕立")),
    (card_asker(), l08.HINTS["format_missing"]),
    (card_asker(response_format={"type": "json_object"}), l08.HINTS["format_json_object"]),
], ids=["placeholder-model", "model-ignores-schema", "fixed-word", "no-format", "json-object"])
def test_each_wrong_card_call_gets_its_own_hint(ask, hint):
    assert judge_card_call(ask) == hint


def tool_asker(model=MODEL, same_messages=True, **kwargs):
    def ask_with_tools(client, messages):
        sent = messages if same_messages else [{"role": "user", "content": "時雨のカードを作って"}]
        return client.chat.completions.create(model=model, messages=sent, **kwargs)
    return ask_with_tools


def test_the_call_with_the_tool_and_the_schema_is_right():
    assert judge_tool_call(tool_asker(tools=TOOLS, response_format=CARD_FORMAT)) is None


@pytest.mark.parametrize(("ask", "hint"), [
    (tool_asker(), HINTS["tools_missing"]),
    (tool_asker(tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}],
                response_format=CARD_FORMAT), HINTS["tools_wrong"]),
    (tool_asker(tools=TOOLS), l08.HINTS["format_missing"]),
    (tool_asker(same_messages=False, tools=TOOLS, response_format=CARD_FORMAT), HINTS["messages_changed"]),
    (tool_asker(model="google/gemma-3-4b-it", tools=TOOLS, response_format=CARD_FORMAT),
     HINTS["model_lacks"].format(model="google/gemma-3-4b-it", feature="tools")),
], ids=["untouched", "other-tool", "no-format", "own-messages", "model-without-tools"])
def test_each_wrong_tool_call_gets_its_own_hint(ask, hint):
    assert judge_tool_call(ask) == hint
