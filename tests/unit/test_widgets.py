"""The widgets' Python side, driven without clicking, against a loopback server with real-format bodies."""
from __future__ import annotations

import html
import json
from pathlib import Path

import openai
import pytest
from werkzeug import Request, Response

import course_utils
from course_utils import catalog, replay, widgets
from course_utils.course_errors import InputProblem
from course_utils.text import ERRORS
from course_utils.widgets import calls
from course_utils.widgets import sender as sender_module
from tests.conftest import FAKE_KEY

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"
CHAT = "/api/v1/chat/completions"
STREAM_MODEL = "liquid/lfm-2.5-2.6b:free"
STREAM_TEXT = "Hello there, friend."
STREAM_PIECES = 5  # content-bearing chunks in chat-stream.sse.txt ("Hello", " there", ",", " friend", ".")


def _body(name: str) -> bytes:
    return (DATA / name).read_bytes()


def keep_course_state(monkeypatch) -> None:
    """Restore course_utils.BASE_URL and MODE after the test, whatever setup() sets them to."""
    monkeypatch.setattr(course_utils, "BASE_URL", course_utils.BASE_URL)
    monkeypatch.setattr(course_utils, "MODE", course_utils.MODE)


def serve_catalogue(server, monkeypatch) -> None:
    """Point the course at the loopback server with a fake key; the server answers GET /models."""
    monkeypatch.setenv("OPENROUTER_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENROUTER_BASE_URL", server.url_for("/api/v1"))
    server.expect_request("/api/v1/models").respond_with_data(_body("models.json"), content_type="application/json")


@pytest.fixture
def server(clean_env, monkeypatch, httpserver):
    """Live mode against the loopback server."""
    keep_course_state(monkeypatch)
    serve_catalogue(httpserver, monkeypatch)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "live"
    return httpserver


def _serve_stream(server) -> None:
    server.expect_request(CHAT, method="POST").respond_with_data(_body("chat-stream.sse.txt"),
                                                                 content_type="text/event-stream")


def _chat_requests(server) -> list[dict]:
    return [json.loads(req.data) for req, _ in server.log if req.path == CHAT]


def _sender(server, prompt: str = "Say hi") -> widgets.PromptSender:
    sender = widgets.prompt_sender(widgets.model_picker())
    sender.model.value = STREAM_MODEL
    sender.prompt.value = prompt
    return sender


def _explanation_of(exc_source) -> str:
    """The explanation HTML the errors module gives for what `exc_source()` raises."""
    from course_utils.error_box import explain

    with pytest.raises(Exception) as info:
        exc_source()
    return explain(info.value)._repr_html_()


# -- model picker ---------------------------------------------------------------------------------------

def test_picker_lists_catalogue_with_prices_and_context(server):
    picker = widgets.model_picker()
    total = len(json.loads(_body("models.json"))["data"])
    assert 0 < len(picker.select.options) <= total
    labels = dict((value, label) for label, value in picker.select.options)
    assert "$0.15 / $0.6" in labels["openai/gpt-4o-mini"] and "128K" in labels["openai/gpt-4o-mini"]
    assert "無料" in labels[STREAM_MODEL]
    assert picker.value in labels
    assert "application/vnd.jupyter.widget-view+json" in picker._repr_mimebundle_()


def test_saved_lessons_show_one_japanese_line_where_each_widget_will_be(server):
    """What JupyterLab draws without a live kernel, and what a notebook saves: not `VBox(children=(…`."""
    from IPython.core.formatters import DisplayFormatter

    picker = widgets.model_picker()
    shown = {"picker": picker, "sender": widgets.prompt_sender(picker),
             "comparison": widgets.compare_models([STREAM_MODEL, "openai/gpt-4o-mini"], "hi")}
    for name, widget in shown.items():
        bundle, _ = DisplayFormatter().format(widget)  # as the kernel displays a cell's last value
        assert bundle["text/plain"] == widgets.TEXT["placeholder"][name]
        assert "セルを実行してください" in bundle["text/plain"] and "VBox" not in bundle["text/plain"]
        view = bundle["application/vnd.jupyter.widget-view+json"]
        assert view["model_id"] == widget.widget.model_id  # a live kernel still draws the widget itself


@pytest.mark.parametrize("control, value, check", [
    ("price", "free", lambda r: r.free),
    ("price", "paid", lambda r: not r.free),
    ("maker", "google", lambda r: r.maker == "google"),
    ("search", "gemma", lambda r: "gemma" in (r.id + r.name).lower()),
    ("max_price", 0.1, lambda r: r.free or (r.input_per_m is not None and r.input_per_m <= 0.1)),
    ("min_context", 1_000_000, lambda r: r.context_length >= 1_000_000),
])
def test_picker_filters_narrow_the_options(server, control, value, check):
    picker = widgets.model_picker()
    before = len(picker.select.options)
    getattr(picker, control).value = value
    assert 0 < len(picker.select.options) < before
    assert all(check(row) for row in picker.rows)
    assert picker.value in [row.id for row in picker.rows]


def test_picker_says_when_nothing_matches(server):
    picker = widgets.model_picker()
    picker.search.value = "no-such-model-anywhere"
    assert picker.select.options == () and picker.value is None
    assert picker.count.value == widgets.TEXT["no_match"]


def test_picker_explains_a_missing_catalogue(clean_env, monkeypatch, tmp_path):
    keep_course_state(monkeypatch)
    monkeypatch.setenv("COURSE_MODE", "replay")
    monkeypatch.setenv("COURSE_RECORDINGS_DIR", str(tmp_path))  # nothing recorded, not even /models
    monkeypatch.setenv("OPENROUTER_BASE_URL", "http://127.0.0.1:9/no-catalogue/api/v1")
    course_utils.setup(quiet=True)
    picker = widgets.model_picker()
    assert picker.value is None and picker.rows == []
    assert picker.count.value == _explanation_of(lambda: catalog.list_models(refresh=True))
    assert widgets.prompt_sender(picker).model.value == course_utils.MODELS.free


# -- prompt sender ----------------------------------------------------------------------------------------

def test_sender_streams_chunk_by_chunk_then_shows_usage(server):
    _serve_stream(server)
    sender = _sender(server)
    seen: list[str] = []
    sender.answer.observe(lambda change: seen.append(change["new"]), names="value")
    sender.send()
    assert [s for s in seen if s] == [widgets.answer_html(t) for t in ("Hello", "Hello there", "Hello there,",
                                                                "Hello there, friend", STREAM_TEXT)]
    assert sender.updates == STREAM_PIECES
    status = html.unescape(sender.status.value)
    assert "トークン: 入力 16 ／ 出力 60（合計 76）" in status
    for part in ("完了理由: stop（最後まで回答）", "プロバイダー: Liquid", "応答時間:", "秒（最初の文字まで ",
                 "費用: $0（無料）"):
        assert part in status
    (request,) = _chat_requests(server)
    assert request["stream"] is True and request["model"] == STREAM_MODEL
    assert request["messages"] == [{"role": "user", "content": "Say hi"}]


def test_sender_model_follows_the_picker(server):
    sender = widgets.prompt_sender(picker := widgets.model_picker())
    picker.value = "openai/gpt-4o-mini"
    assert sender.model.value == "openai/gpt-4o-mini"


def test_sender_error_is_explained_and_next_send_works(server):
    server.expect_oneshot_request(CHAT, method="POST").respond_with_data(
        _body("errors/401-invalid-key.json"), status=401, content_type="application/json")
    server.expect_oneshot_request(CHAT, method="POST").respond_with_data(
        _body("errors/401-invalid-key.json"), status=401, content_type="application/json")
    sender = _sender(server)
    sender.send()
    client = openai.OpenAI(base_url=course_utils.BASE_URL, api_key=FAKE_KEY)
    expected = _explanation_of(lambda: client.chat.completions.create(model=STREAM_MODEL, messages=[]))
    assert sender.status.value == expected
    assert not sender.button.disabled
    _serve_stream(server)
    sender.send()
    assert sender.answer.value == widgets.answer_html(STREAM_TEXT)
    assert "トークン:" in sender.status.value


def test_sender_midstream_error_is_explained(server):
    server.expect_request(CHAT, method="POST").respond_with_data(
        _body("chat-stream-midstream-error.sse.txt"), content_type="text/event-stream")
    sender = _sender(server)
    sender.send()
    status = html.unescape(sender.status.value)
    assert "429" in status and "Rate limit exceeded" in status and "トークン:" not in status
    assert not sender.button.disabled


def test_empty_prompt_is_caught_before_any_request(server):
    from course_utils.guards import check_prompt

    sender = _sender(server, prompt="   ")
    sender.send()
    assert sender.status.value == _explanation_of(lambda: check_prompt("   ", STREAM_MODEL))
    assert _chat_requests(server) == []


def test_empty_model_is_caught_before_any_request(server):
    sender = _sender(server)
    sender.model.value = "  "
    sender.send()
    assert ERRORS["model_empty"]["what"] in html.unescape(sender.status.value)
    assert _chat_requests(server) == [] and not sender.button.disabled


def test_unknown_model_is_fixed_in_the_model_box(server):
    """The lesson's advice (fix the model_name cell) does not apply: the widget's モデル box holds the id."""
    server.expect_request(CHAT, method="POST").respond_with_data(
        _body("errors/400-invalid-model.json"), status=400, content_type="application/json")
    sender = _sender(server)
    sender.model.value = "nonexistent/not-a-model:free"
    sender.send()
    status = html.unescape(sender.status.value)
    assert "is not a valid model ID" in status and "「モデル」欄を直して" in status
    assert "model_name" not in status


def test_code_toggle_shows_plain_openai_code_without_key(server):
    _serve_stream(server)
    sender = _sender(server)
    sender.system.value = "あなたは親切な先生です。"
    sender.send()
    assert sender.code.layout.display == "none"
    sender.code_toggle.value = True
    code = html.unescape(sender.code.value)
    assert 'api_key=os.getenv("OPENROUTER_API_KEY")' in code
    assert "client.chat.completions.create(" in code and f"model={STREAM_MODEL!r}" in code
    assert '{"role": "system", "content": "あなたは親切な先生です。"}' in code and "stream=True" in code
    assert FAKE_KEY not in code and "sk-or-" not in code and "Bearer" not in code
    compile(sender.code_text(), "<shown code>", "exec")
    sender.code_toggle.value = False
    assert sender.code.layout.display == "none" and sender.code.value == ""


def test_plain_code_for_a_non_streamed_body():
    body = {"model": "m/x", "messages": [{"role": "user", "content": "こんにちは"}], "stream": False, "top_k": 3}
    code = widgets.plain_code(body, "https://openrouter.ai/api/v1")
    compile(code, "<shown code>", "exec")
    assert "print(response.choices[0].message.content)" in code
    assert "extra_body={'top_k': 3, 'stream': False}" in code and "stream=" not in code
    assert calls.create_kwargs(body) == {"model": "m/x", "messages": body["messages"],
                                             "extra_body": {"top_k": 3, "stream": False}}


MARKDOWN_ANSWER = ("コツは3つです。\n\n* **直接書かない:** `.env` に入れます。\n"
                   "* <script>alert('x')</script> を避けます。\n* [詳しく](javascript:alert(1)) / [公式](https://openrouter.ai/docs)")


def _markdown_completion(request: Request) -> Response:
    body = json.loads(_body("chat-completion.json"))
    body["choices"][0]["message"]["content"] = MARKDOWN_ANSWER
    return Response(json.dumps(body), content_type="application/json")


def test_answers_show_markdown_rendered_and_model_html_inert(server):
    """Lists, bold and code are rendered as on a chat site; a model's <script> or javascript: link does nothing."""
    server.expect_request(CHAT, method="POST").respond_with_handler(_markdown_completion)
    comparison = widgets.compare_models([STREAM_MODEL, "openai/gpt-4o-mini"], "APIキーのコツは？")
    comparison.run()
    shown = comparison.answers[STREAM_MODEL].value
    assert "<li><strong>直接書かない:</strong> <code>.env</code> に入れます。</li>" in shown
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "javascript:" not in shown and '<a href="https://openrouter.ai/docs">公式</a>' in shown
    assert "**" not in shown


# -- comparison ----------------------------------------------------------------------------------------------

def _answer_by_model(request: Request) -> Response:
    if json.loads(request.data)["model"] == "nonexistent/not-a-model:free":
        return Response(_body("errors/400-invalid-model.json"), status=400, content_type="application/json")
    return Response(_body("chat-completion.json"), content_type="application/json")


def test_comparison_keeps_other_answers_when_one_model_fails(server):
    server.expect_request(CHAT, method="POST").respond_with_handler(_answer_by_model)
    models = [STREAM_MODEL, "nonexistent/not-a-model:free", "openai/gpt-4o-mini"]
    comparison = widgets.compare_models(models, "Reply with exactly: pong", system="短く答えてください。")
    comparison.run()
    assert comparison.answers[STREAM_MODEL].value == widgets.answer_html("pong")
    assert comparison.answers["openai/gpt-4o-mini"].value == widgets.answer_html("pong")
    failed = comparison.results["nonexistent/not-a-model:free"]
    assert isinstance(failed.error, openai.BadRequestError)
    from course_utils.error_box import explain
    assert comparison.answers["nonexistent/not-a-model:free"].value == explain(failed.error)._repr_html_()
    table = comparison.table.value
    assert table.count("<tr>") == 4 and "16 / 80" in table and widgets.TEXT["failed"] in table
    assert widgets.TEXT["replay_times"] not in table  # live times are real
    assert len(_chat_requests(server)) == 3
    assert all(r["messages"][0] == {"role": "system", "content": "短く答えてください。"}
               for r in _chat_requests(server))
    assert not comparison.button.disabled


def test_comparison_needs_two_to_four_models(capsys):
    with pytest.raises(InputProblem) as info:
        widgets.compare_models(["a/b"], "hi")
    assert info.value.code == "compare_count" and info.value.info == {"n": "1"}
    assert str(info.value) == "比べるモデルが1個になっています（比べられるのは2〜4個です）。"
    with course_utils.kindly():  # a course error: explained in Japanese, no English traceback
        widgets.compare_models(["a/b"], "hi")
    assert str(info.value) in capsys.readouterr().out


def test_comparison_empty_prompt_sends_nothing(server):
    comparison = widgets.compare_models([STREAM_MODEL, "openai/gpt-4o-mini"], "")
    comparison.run()
    assert comparison.status.value and comparison.results == {}
    assert _chat_requests(server) == []


# -- replay mode ---------------------------------------------------------------------------------------------

def record_send(server, monkeypatch, folder: Path, prompt: str) -> None:
    """Record mode: the catalogue and one streamed send into `folder`, kept as the record command keeps them."""
    monkeypatch.setenv("COURSE_RECORDINGS_DIR", str(folder))
    monkeypatch.setenv("COURSE_MODE", "record")
    monkeypatch.setenv("COURSE_NOTEBOOK", "widgets_demo")
    course_utils.setup(quiet=True)
    _serve_stream(server)
    sender = widgets.prompt_sender(widgets.model_picker(catalog.list_models(refresh=True)))
    sender.model.value, sender.prompt.value = STREAM_MODEL, prompt
    sender.send()
    replay.stop()
    replay.recording_path("widgets_demo", in_progress=True).rename(replay.recording_path("widgets_demo"))


@pytest.mark.parametrize("setting, expected", [(None, 0.04), ("0.1", 0.1), ("0", None), ("fast", 0.04),
                                               ("-1", 0.04)])
def test_replayed_stream_pauses_after_each_text_chunk(server, monkeypatch, tmp_path, setting, expected):
    """In replay mode the sender pauses COURSE_REPLAY_PACE seconds per text chunk (0: none; bad value: default)."""
    record_send(server, monkeypatch, tmp_path / "recordings", "挨拶して")
    monkeypatch.delenv("OPENROUTER_API_KEY")
    monkeypatch.setenv("COURSE_MODE", "replay")
    if setting is None:
        monkeypatch.delenv("COURSE_REPLAY_PACE", raising=False)
    else:
        monkeypatch.setenv("COURSE_REPLAY_PACE", setting)
    course_utils.setup(quiet=True)
    pauses: list[float] = []
    monkeypatch.setattr(sender_module.time, "sleep", pauses.append)
    sender = widgets.prompt_sender(widgets.model_picker())
    sender.model.value, sender.prompt.value = STREAM_MODEL, "挨拶して"
    sender.send()
    assert sender.answer.value == widgets.answer_html(STREAM_TEXT)
    assert [p for p in pauses if p] == ([] if expected is None else [expected] * STREAM_PIECES)


def test_replay_offers_recorded_catalogue_prompts_and_streams(server, monkeypatch, tmp_path):
    """Record one streamed send, then replay it with no key: marks, examples, paced stream, nothing sent."""
    record_send(server, monkeypatch, tmp_path / "recordings", "挨拶して")
    monkeypatch.delenv("OPENROUTER_API_KEY")
    monkeypatch.setenv("COURSE_MODE", "replay")
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"
    requests_before = len(server.log)
    picker = widgets.model_picker()
    assert picker.value == STREAM_MODEL
    label = next(label for label, value in picker.select.options if value == STREAM_MODEL)
    assert label.startswith(widgets.TEXT["recorded_mark"])
    sender = widgets.prompt_sender(picker)
    assert widgets.TEXT["replay_hint"] in [getattr(c, "value", None) for c in sender.widget.children]
    sender.examples.value = (STREAM_MODEL, "挨拶して", "")
    assert sender.prompt.value == "挨拶して" and sender.model.value == STREAM_MODEL
    sender.send()
    assert sender.updates == STREAM_PIECES and sender.answer.value == widgets.answer_html(STREAM_TEXT)
    assert "トークン: 入力 16" in sender.status.value
    sender.prompt.value = "収録していない質問"
    sender.send()
    status = html.unescape(sender.status.value)
    assert widgets.TEXT["not_recorded_what"] in status and "トークン:" not in status
    assert "「プロンプト」欄が収録例と違います（収録例: 挨拶して ／ いま: 収録していない質問）" in status
    assert len(server.log) == requests_before  # replay sent nothing


def test_replay_examples_keep_the_same_question_under_two_system_prompts_apart(clean_env, monkeypatch):
    """Lesson 05 asks one question as a primary-school and as a university teacher: two examples, two answers."""
    keep_course_state(monkeypatch)
    course_utils.setup(quiet=True)
    assert course_utils.MODE == "replay"
    sender = widgets.prompt_sender()
    sky = [(label, key) for label, key in sender.examples.options if key and key[1] == "空はなぜ青いのですか？"]
    assert len(sky) == 2 and all("（システム: あなたは" in label for label, _ in sky)
    university = next(key for _, key in sky if "大学で物理" in key[2])
    sender.examples.value = university
    assert sender.system.value == university[2] and sender.model.value == university[0]
    sender.send()
    assert "レイリー散乱" in sender.answer.value and "トークン:" in sender.status.value


def test_replay_examples_are_only_requests_recorded_with_an_answer(clean_env, monkeypatch):
    """Lesson 04's staged errors (the document's retired model, a 429) are no examples: each one offered answers."""
    keep_course_state(monkeypatch)
    course_utils.setup(quiet=True)
    sender = widgets.prompt_sender()
    offered = [key for _, key in sender.examples.options if key]
    assert offered and "google/gemma-3-27b-it:free" not in {model for model, _, _ in offered}
    for key in offered:
        sender.examples.value = key
        sender.send()
        assert "トークン:" in sender.status.value, key

