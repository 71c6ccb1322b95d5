"""JupyterLab in headless Chromium: run the widgets demo notebook in replay mode, pick, send, watch it stream.

A send is recorded first (in this process, against the loopback server) into a temporary recordings
folder; JupyterLab then runs with no key and COURSE_MODE=replay, so the kernel talks to nobody.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from course_utils.widgets import TEXT
from tests.test_widgets import STREAM_MODEL, STREAM_TEXT, keep_course_state, record_send, serve_catalogue

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "tests" / "notebooks" / "widgets_demo.ipynb"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/lib/chromium/chromium"  # the real binary; /usr/bin/chromium is a shell wrapper
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PROMPT = "挨拶して"
SERVER_START_SECONDS = 60
# No "get notified about Jupyter news?" toast over the widgets.
LAB_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"}}
# Wait until the notebook's kernel session is settled (JupyterLab may replace the first kernel), then run all.
RUN_ALL_WHEN_READY = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    await panel.sessionContext.session.kernel.info;
    await window.jupyterapp.commands.execute('notebook:run-all-cells');
}"""
COURSE_VARS = ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "COURSE_MODE", "COURSE_NOTEBOOK",
               "COURSE_RECORDINGS_DIR", "JPY_SESSION_NAME")


@pytest.fixture
def chromium() -> str:
    """The system Chromium; skipped locally when missing, but a failure on CI (CI=true)."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium fonts-noto-cjk)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lab_env(home: Path, recordings: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in COURSE_VARS}
    settings = home / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env.update(COURSE_MODE="replay", COURSE_RECORDINGS_DIR=str(recordings), PYTHONPATH=str(ROOT),
               JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    return env


@pytest.fixture
def lab(tmp_path, clean_env, monkeypatch, httpserver):
    """A recorded send, then `jupyter lab` (replay mode, no key) on 127.0.0.1 with a random port and token."""
    keep_course_state(monkeypatch)
    serve_catalogue(httpserver, monkeypatch)
    recordings = tmp_path / "recordings"
    record_send(httpserver, monkeypatch, recordings, PROMPT)
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    port, token = _free_port(), os.urandom(12).hex()
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True"],
        env=_lab_env(tmp_path, recordings), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("jupyter lab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:])
                time.sleep(0.2)
        yield url, token
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def test_widgets_demo_streams_a_recorded_answer(lab, chromium):
    from playwright.sync_api import expect, sync_playwright

    url, token = lab
    started = time.monotonic()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1500}, locale="ja-JP")
            page.set_default_timeout(20_000)
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}", timeout=60_000)
            page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
            page.evaluate(RUN_ALL_WHEN_READY)
            page.wait_for_function("""() => {
                const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                    .map(e => e.textContent.trim());
                return p.length === 3 && p.every(t => /\\[\\d+\\]/.test(t)); }""", timeout=60_000)
            expect(page.get_by_text("【再生モード】")).to_be_visible()

            for label, shown in ((TEXT["maker"], TEXT["maker_all"]),
                                 (TEXT["max_price"], TEXT["max_price_options"][0][0]),
                                 (TEXT["min_context"], TEXT["min_context_options"][0][0])):
                box = page.locator(".widget-dropdown", has=page.locator("label", has_text=label))
                expect(box.locator("select")).to_have_value(shown)  # a filter box is never blank
            page.get_by_placeholder(TEXT["search_hint"]).fill("lfm")
            option = page.locator(".widget-select select option", has_text=STREAM_MODEL)
            page.locator(".widget-select select").select_option(value=option.get_attribute("value"))
            expect(page.locator("code", has_text=STREAM_MODEL)).to_be_visible()

            examples = page.locator(".widget-dropdown", has=page.locator("label", has_text=TEXT["recorded_prompts"]))
            examples.locator("select").select_option(value=f"{STREAM_MODEL}: {PROMPT}")
            expect(page.locator(".widget-textarea textarea").nth(1)).to_have_value(PROMPT)

            page.evaluate("""() => { window.answers = [];
                new MutationObserver(() => window.answers.push(
                    document.querySelector('.course-answer').textContent)).observe(
                    document.querySelector('.course-answer'), {subtree: true, childList: true,
                                                                characterData: true}); }""")
            page.get_by_role("button", name=TEXT["send"]).click()
            expect(page.locator(".course-answer")).to_have_text(STREAM_TEXT, timeout=15_000)
            expect(page.locator(".course-status")).to_contain_text("トークン: 入力 16", timeout=15_000)
            seen = set(page.evaluate("window.answers"))
            assert len(seen - {""}) >= 3, f"the answer did not stream in pieces: {seen}"

            ARTIFACTS.mkdir(exist_ok=True)
            page.locator(".course-status").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "widgets_demo.png"))
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "widgets_demo-failed.png"))
            raise
        finally:
            browser.close()
    print(f"browser part: {time.monotonic() - started:.1f} s")
