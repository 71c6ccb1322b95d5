"""The record command end to end: live pass against a loopback server, scrubbing, diff summary,
refreshed outputs from a replay pass, and the refusal to record without a key."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course_utils import record
from course_utils.config import BASE_URL_VAR, KEY_VAR, MODE_VAR, NO_DOTENV_VAR, RECORDINGS_DIR_VAR
from course_utils.record.run import merge_streams
from tests.conftest import FAKE_KEY

DATA = Path(__file__).resolve().parents[2] / "fake_openrouter" / "data"

CELLS = [
    "import course_utils; course_utils.setup()",
    "import os\nfrom openai import OpenAI\n"
    "client = OpenAI(api_key=os.getenv('OPENROUTER_API_KEY'), base_url=course_utils.BASE_URL)\n"
    "completion = client.chat.completions.create(model='liquid/lfm-2.5-2.6b:free',\n"
    "    messages=[{'role': 'user', 'content': 'Reply with exactly: pong'}])\n"
    "print(completion.choices[0].message.content)",
]


@pytest.fixture
def lesson(clean_env, monkeypatch, httpserver):
    folder = clean_env / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nbformat.write(nb, folder / "01_demo.ipynb")
    monkeypatch.setenv(RECORDINGS_DIR_VAR, str(clean_env / "recordings"))
    monkeypatch.setenv(BASE_URL_VAR, httpserver.url_for("/api/v1"))
    monkeypatch.setenv(NO_DOTENV_VAR, "1")
    monkeypatch.delenv(MODE_VAR, raising=False)
    return folder


def serve(httpserver, content: str) -> None:
    body = json.loads((DATA / "chat-completion.json").read_text())
    body["choices"][0]["message"]["content"] = content
    httpserver.clear()
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_json(body)


def test_record_command_records_scrubs_and_refreshes_outputs(lesson, monkeypatch, httpserver, capsys):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    serve(httpserver, "pong")
    assert record.main([str(lesson)]) == 0
    out = capsys.readouterr()
    assert "01_demo.ipynb: 追加 1 件" in out.out and "完了: 1 冊" in out.out
    assert "収録中" in out.err  # the progress bar
    recording = (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8")
    assert FAKE_KEY not in recording and "sk-or-" not in recording and "Bearer" not in recording
    assert "https://openrouter.ai/api/v1/chat/completions" in recording
    nb = nbformat.read(lesson / "01_demo.ipynb", 4)
    banner = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "【再生モード】" in banner and "APIキー: 未設定" in banner  # outputs come from the replay pass
    assert nb.cells[1].outputs[0]["text"] == "pong\n"
    assert FAKE_KEY not in (lesson / "01_demo.ipynb").read_text(encoding="utf-8")

    # A second recording with a different answer is summarised as a readable diff.
    serve(httpserver, "ping")
    assert record.main([str(lesson)]) == 0
    out = capsys.readouterr().out
    assert "応答の変化 1 件" in out and "-" in out and "ping" in out
    assert nbformat.read(lesson / "01_demo.ipynb", 4).cells[1].outputs[0]["text"] == "ping\n"


def test_outputs_do_not_show_the_instructors_dotenv(lesson, monkeypatch, httpserver, capsys):
    """The README's way to record: key and base URL in .env, not in the environment."""
    base_url = httpserver.url_for("/api/v1")
    (lesson.parent / ".env").write_text(f"{KEY_VAR}={FAKE_KEY}\n{BASE_URL_VAR}={base_url}\n", encoding="utf-8")
    monkeypatch.delenv(BASE_URL_VAR)
    monkeypatch.delenv(NO_DOTENV_VAR)
    monkeypatch.chdir(lesson.parent)
    serve(httpserver, "pong")
    assert record.main([str(lesson)]) == 0
    assert "完了: 1 冊" in capsys.readouterr().out
    nb = nbformat.read(lesson / "01_demo.ipynb", 4)
    banner = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "APIキー: 未設定" in banner and "接続先: https://openrouter.ai/api/v1" in banner, banner
    assert base_url not in json.dumps(nb)


def test_record_refuses_without_a_key(lesson, capsys):
    assert record.main([str(lesson)]) == 2
    assert "APIキーが必要" in capsys.readouterr().out
    assert not (lesson.parent / "recordings").exists()


def test_failed_notebook_is_reported_and_keeps_the_old_recording(lesson, monkeypatch, httpserver, capsys):
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    serve(httpserver, "pong")
    assert record.main([str(lesson)]) == 0
    before = (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8")
    httpserver.clear()  # the server now answers 500 to everything: the notebook fails
    assert record.main([str(lesson)]) == 1
    assert "実行に失敗しました" in capsys.readouterr().out
    assert (lesson.parent / "recordings" / "01_demo.yaml").read_text(encoding="utf-8") == before
    assert not list((lesson.parent / "recordings").glob("*in-progress*"))


def test_recording_is_saved_after_each_cell_even_when_setup_runs_again(lesson, monkeypatch, httpserver):
    """A kernel killed mid-lesson loses nothing: the call is on disk right after its cell, once per kernel."""
    from nbclient import NotebookClient

    serve(httpserver, "pong")
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    monkeypatch.setenv(MODE_VAR, "record")
    monkeypatch.setenv("COURSE_NOTEBOOK", "01_demo")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (CELLS[0], CELLS[0], CELLS[1], (
        "print(sum(getattr(c, '__name__', '') == '_save_recording'"
        " for c in get_ipython().events.callbacks['post_run_cell']))"))]
    partial = lesson.parent / "recordings" / "01_demo.recording-in-progress.yaml"
    client = NotebookClient(nb, timeout=120, kernel_name="python3")
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells[:3]):
            client.execute_cell(cell, index)
        saved = partial.read_text(encoding="utf-8")  # the kernel is still running
        client.execute_cell(nb.cells[3], 3)
    assert "Reply with exactly: pong" in saved and FAKE_KEY not in saved
    assert nb.cells[3].outputs[0]["text"].strip() == "1"


def test_consecutive_pieces_of_one_stream_are_joined():
    """nbclient may split one print into two outputs; the committed notebook must not change with that."""
    out = nbformat.v4.new_output
    merged = merge_streams([out("stream", name="stdout", text="ab"), out("stream", name="stdout", text="c\n"),
                            out("stream", name="stderr", text="w\n"), out("stream", name="stdout", text="d\n"),
                            out("display_data", data={"text/plain": "x"}), out("stream", name="stdout", text="e")])
    assert [(o.get("name"), o.get("text")) for o in merged] == [
        ("stdout", "abc\n"), ("stderr", "w\n"), ("stdout", "d\n"), (None, None), ("stdout", "e")]


def test_notebook_with_a_key_in_a_cell_is_refused_before_anything_runs(lesson, monkeypatch, httpserver, capsys):
    """The course document's first variant pastes the key into the code: recording it would publish the key."""
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    nb = nbformat.read(lesson / "01_demo.ipynb", 4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(f'api_key = "{FAKE_KEY}"'))
    nbformat.write(nb, lesson / "01_demo.ipynb")
    before = (lesson / "01_demo.ipynb").read_bytes()
    assert record.main([str(lesson)]) == 1
    out = capsys.readouterr().out
    assert "01_demo.ipynb: 2 番目のセルにAPIキーが書かれているため、このノートブックは収録しません。" in out
    assert "収録データと出力は元のままです。" in out and ".env の OPENROUTER_API_KEY" in out
    assert "0 冊を再収録し、1 冊は元のままです" in out and "完了" not in out
    assert FAKE_KEY not in out and not httpserver.log  # nothing was sent
    assert (lesson / "01_demo.ipynb").read_bytes() == before and not (lesson.parent / "recordings").exists()


def serve_stream(httpserver, pieces) -> None:
    """Streamed answers whose content chunks are `pieces(request)` (the request lets a piece echo its key)."""
    from werkzeug import Response

    def answer(request):
        chunks = [{"id": "gen-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
                   "choices": [{"index": 0, "delta": {"role": "assistant", "content": p}, "finish_reason": None}]}
                  for p in pieces(request)]
        chunks.append({**chunks[0], "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
        return Response(body, content_type="text/event-stream")

    httpserver.clear()
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_handler(answer)


STREAM_CELL = ("import os\nfrom openai import OpenAI\n"
               "client = OpenAI(api_key=os.getenv('OPENROUTER_API_KEY'), base_url=course_utils.BASE_URL)\n"
               "stream = client.chat.completions.create(model='liquid/lfm-2.5-2.6b:free', stream=True,\n"
               "    messages=[{'role': 'user', 'content': 'Say hello'}])\n"
               "print(''.join(c.choices[0].delta.content or '' for c in stream if c.choices))")


def test_key_echoed_across_stream_chunks_is_never_written(lesson, monkeypatch, httpserver, capsys):
    """A proxy that echoes the Authorization key a few characters per chunk: no chunk alone looks like a key."""
    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (CELLS[0], STREAM_CELL)]
    nbformat.write(nb, lesson / "01_demo.ipynb")
    serve_stream(httpserver, lambda request: ["Hel", "lo"])
    assert record.main([str(lesson)]) == 0
    recording = lesson.parent / "recordings" / "01_demo.yaml"
    before = {path: path.read_bytes() for path in (recording, lesson / "01_demo.ipynb")}
    capsys.readouterr()

    def echo(request):
        key = request.headers["Authorization"].removeprefix("Bearer ")
        return ["あなたのキー: ", *(key[i:i + 4] for i in range(0, len(key), 4))]

    serve_stream(httpserver, echo)
    code = record.main([str(lesson)])
    out = capsys.readouterr().out
    written = {path: path.read_bytes() for path in before}
    assert FAKE_KEY not in out and FAKE_KEY[20:40] not in out
    for content in written.values():  # whatever happened, no piece of the key was saved
        assert FAKE_KEY[9:29].encode() not in content and FAKE_KEY[-20:].encode() not in content
    if code == 1:  # the check caught it: both files as they were
        assert "今回の収録データにAPIキーらしき文字列がありました（1 番目のやりとりのストリーム応答" in out
        assert "収録データと出力は元のままです。" in out and written == before
    else:  # the recorder scrubbed the joined answer before writing it
        assert code == 0 and "[REDACTED]" in written[recording].decode()
    assert not list((lesson.parent / "recordings").glob("*in-progress*"))


def test_recording_whose_joined_stream_holds_the_key_is_not_moved_into_place(lesson, monkeypatch, capsys):
    """The last gate before a recording is committed, even if the recorder's own scrubbing missed a key."""
    import yaml

    monkeypatch.setenv(KEY_VAR, FAKE_KEY)
    before = (lesson / "01_demo.ipynb").read_bytes()
    body = "".join(f"data: {json.dumps({'choices': [{'delta': {'content': FAKE_KEY[i:i + 4]}}]})}\n\n"
                   for i in range(0, len(FAKE_KEY), 4))
    leaking = yaml.safe_dump({"interactions": [{"request": {"method": "POST", "uri": "u", "body": "{}"},
                                                "response": {"status": {"code": 200}, "body": {"string": body}}}]})
    runs = []

    def execute(path, **kw):  # pass 1 as a recorder that scrubbed each chunk alone would leave it
        runs.append(path)
        record.replay.recording_path(path.name, in_progress=True).write_text(leaking, encoding="utf-8")

    monkeypatch.setattr(record, "execute", execute)
    assert record.main([str(lesson)]) == 1
    out = capsys.readouterr().out
    assert ("01_demo.ipynb: 今回の収録データにAPIキーらしき文字列がありました（1 番目のやりとりのストリーム応答"
            "（チャンクをつなげた本文））。書き込みを中止しました。収録データと出力は元のままです。") in out
    assert len(runs) == 1 and FAKE_KEY not in out  # no replay pass, nothing shown
    assert (lesson / "01_demo.ipynb").read_bytes() == before
    assert not list((lesson.parent / "recordings").iterdir())  # neither a recording nor the one in progress
