"""The prompt sender and the comparison in replay mode, on the shipped recordings: a request the recordings
lack is explained against the widget's own 収録例 (which box differs, the system prompt included), typed
text that departs from an example is said at once, and the comparison explains it once for all columns."""
from __future__ import annotations

import html

import pytest

import course_utils
from course_utils import widgets
from course_utils.text import ERRORS

TEXT = widgets.TEXT
FREE = "google/gemma-4-31b-it:free"
TYPO = "google/gema-4-31b-it:free"  # lesson 04's deliberate typo, recorded as its 400 answer
MOUNTAIN = "日本で一番高い山について、その標高と名前を教えてください。"
ASSISTANT = "あなたは親切で優秀なアシスタントです。"
SKY = "空はなぜ青いのですか？"
PROVERB = "「情けは人のためならず」ということわざの意味を、よくある誤解にもふれて2〜3文で説明してください。"
BOX = "border-left:4px"  # the explanation box's frame


@pytest.fixture
def replay(clean_env, monkeypatch):
    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"


def _sender(model: str, prompt: str, system: str = "") -> widgets.PromptSender:
    sender = widgets.prompt_sender()
    sender.model.value, sender.prompt.value, sender.system.value = model, prompt, system
    return sender


def _status(sender: widgets.PromptSender) -> str:
    sender.send()
    return html.unescape(sender.status.value)


def test_a_changed_system_prompt_is_named_as_the_box_that_differs(replay):
    sender = _sender(FREE, SKY, "あなたは中学生に理科を教える先生です。")
    status = _status(sender)
    assert TEXT["not_recorded_what"] in status and TEXT["not_recorded_cause"] in status
    assert "「システム」欄が収録例と違います（収録例: あなたは" in status
    assert "いま: あなたは中学生に理科を教える先生です。" in status
    assert "「プロンプト」欄" not in status and "「モデル」欄が" not in status
    assert "収録済みの例" not in status  # replay's list for lesson cells, which held the very prompt that failed
    assert "トークン:" not in status and sender.answer.value == ""


def test_another_model_for_a_recorded_prompt_names_the_model_box_and_never_the_typo(replay):
    status = _status(_sender("openai/gpt-4o-mini", MOUNTAIN, ASSISTANT))
    recorded = f"{FREE} または google/gemma-3-27b-it"
    assert f"「モデル」欄が収録例と違います（収録例: {recorded} ／ いま: openai/gpt-4o-mini）" in status
    assert TYPO not in status


def test_typed_text_after_a_filled_prompt_is_said_at_once(replay):
    sender = widgets.prompt_sender()
    sender.examples.value = next(key for _, key in sender.examples.options if key and key[1] == SKY)
    assert html.unescape(sender.match.value) == TEXT["match_ok"]
    sender.prompt.value += "もっと詳しく"  # what a learner typing into the filled box gets
    shown = html.unescape(sender.match.value)
    assert shown.startswith(TEXT["match_differs"])
    assert "収録例の文のあとに、文が書き足されています（書き足した部分: もっと詳しく）" in shown
    assert "書き足した部分: もっと詳しく" in _status(sender)
    sender.model.value, sender.prompt.value, sender.system.value = "x/unknown", "まったく別の質問です", "別の役割"
    assert TEXT["differs_none"] in html.unescape(sender.match.value)


def test_recorded_examples_still_answer_and_their_time_is_not_called_a_response_time(replay):
    sender = _sender(FREE, MOUNTAIN, ASSISTANT)
    assert html.unescape(sender.match.value) == TEXT["match_ok"]
    status = _status(sender)
    assert "トークン:" in status and "応答時間:" in status
    assert "（収録の再生にかかった時間で、実際の応答時間ではありません）" in status
    assert "最初の文字まで" not in status


def test_the_comparison_explains_missing_recordings_once_and_its_times_are_not_real(replay):
    models = ["liquid/lfm-2.5-2.6b:free", "openai/gpt-4o-mini", "x-ai/grok-4"]
    comparison = widgets.compare_models(models, PROVERB)
    comparison.run()
    status = html.unescape(comparison.status.value)
    assert status.count(BOX) == 1
    assert TEXT["compare_not_recorded"].format(models="openai/gpt-4o-mini, x-ai/grok-4") in status
    assert "このプロンプトで収録済みのモデルは liquid/lfm-2.5-2.6b:free, nvidia/nemotron-3-super-120b-a12b:free, " \
           "google/gemma-3-27b-it です。" in status
    for model in models[1:]:
        assert comparison.answers[model].value == html.escape(TEXT["not_recorded_column"])
    assert "<p>" in comparison.answers[models[0]].value  # the recorded answer, rendered
    table = html.unescape(comparison.table.value)
    assert TEXT["replay_times"] in table and table.count(TEXT["not_recorded_cell"]) == 2


def test_a_comparison_fully_recorded_has_no_shared_message(replay):
    comparison = widgets.compare_models(["liquid/lfm-2.5-2.6b:free", "google/gemma-3-27b-it"], PROVERB)
    comparison.run()
    assert comparison.status.value == "" and TEXT["not_recorded_cell"] not in comparison.table.value
    assert ERRORS["not_recorded"]["cause"] not in comparison.answers["google/gemma-3-27b-it"].value


def test_a_recorded_image_request_shows_the_generated_image_under_the_answer(replay):
    sender = _sender("google/gemini-3.1-flash-lite-image", "朝日と富士山の、シンプルなイラストを描いてください。")
    assert sender.request_body()["modalities"] == ["image", "text"]  # the recorded body is sent
    status = _status(sender)
    assert '<img src="data:image/png;base64,' in sender.answer.value
    assert BOX not in status and TEXT["empty_answer"] not in sender.answer.value
    assert "画像トークン 1290" in status


def test_make_images_is_offered_only_for_an_image_model_and_sends_modalities(replay):
    sender = _sender(FREE, "猫の絵を描いてください。")
    assert sender.make_images.layout.display == "none"
    sender.model.value = "google/gemini-3.1-flash-lite-image"
    assert sender.make_images.layout.display is None
    sender.make_images.value = True
    assert sender.request_body()["modalities"] == ["image", "text"]


def test_the_picker_filters_by_feature():
    models = [{"id": "a/reads", "name": "A", "architecture": {"input_modalities": ["text", "image"],
                                                              "output_modalities": ["text"]},
               "supported_parameters": ["tools"], "pricing": {"prompt": "0", "completion": "0"}},
              {"id": "b/draws", "name": "B", "architecture": {"input_modalities": ["text"],
                                                              "output_modalities": ["image", "text"]},
               "supported_parameters": [], "pricing": {"prompt": "0", "completion": "0"}}]
    picker = widgets.model_picker(models)
    listed = lambda: [r.id for r in picker.rows]  # noqa: E731
    assert listed() == ["a/reads", "b/draws"]
    picker.features["image_out"].value = True
    assert listed() == ["b/draws"]
    picker.features["image_out"].value, picker.features["tools"].value = False, True
    assert listed() == ["a/reads"]
    picker.features["image_in"].value = True
    assert listed() == ["a/reads"]


def test_a_lesson_offers_its_own_examples_and_still_replays_another_lessons(clean_env, monkeypatch):
    """Lesson 05's sender lists lesson 05's recorded prompts only (without reading the other lessons' files); a
    prompt recorded by lesson 04, typed in, still replays. A notebook without recordings lists every lesson's."""
    from course_utils import replay as replaying
    from course_utils.config import NOTEBOOK_VAR

    monkeypatch.setenv(NOTEBOOK_VAR, "05_streaming_and_chat")
    course_utils.setup(quiet=True)
    sender = widgets.prompt_sender()
    offered = {key[1] for _, key in sender.examples.options if key}
    assert SKY in offered and MOUNTAIN not in offered  # 05's question; 04's
    assert replaying.LibraryPersister.later  # the other lessons' recordings are not read yet
    sender.model.value, sender.prompt.value, sender.system.value = FREE, MOUNTAIN, ASSISTANT
    assert html.unescape(sender.match.value) == TEXT["match_elsewhere"]  # not "differs": it will answer
    status = _status(sender)
    assert "トークン:" in status and sender.answer.value  # lesson 04's recording answered

    monkeypatch.setenv(NOTEBOOK_VAR, "00_introduction")
    course_utils.setup(quiet=True)
    assert {SKY, MOUNTAIN} <= {key[1] for _, key in widgets.prompt_sender().examples.options if key}
