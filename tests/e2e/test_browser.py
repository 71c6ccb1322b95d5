"""JupyterLab in headless Chromium, started with course.py's settings (menus in Japanese).

Lesson 04 opened as saved (menus, widget placeholders, exercise level marks), then run in replay mode: pick a
model, send a recorded prompt, watch it stream. Lesson 09 run with Run All shows the generated image. One
JupyterLab serves the module's tests, with no key, COURSE_MODE=replay and the shipped recordings, so the kernels
talk to nobody. It serves copies of the lessons from a temporary folder, so nothing can save over the committed
notebooks.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pytest

import course_utils
from course_utils.widgets import TEXT
from fake_openrouter.answers import AnswerBook
from tests.e2e.jupyter_server import free_port, stop, wait_until_serving

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSON = Path("notebooks") / "04_python_api.ipynb"
IMAGES_LESSON = Path("notebooks") / "09_images.ipynb"
ARTIFACTS = ROOT / "tests" / "artifacts"
# Set to a file under bench/ and the lesson test writes how long opening the lesson took (bench/README.md);
# no timing is asserted here.
BENCH_OUT_VAR = "COURSE_BENCH_OUT"
SHOT = ARTIFACTS / "04_python_api-sender.png"
CHROMIUM = "/usr/lib/chromium/chromium"  # the real binary; /usr/bin/chromium is a shell wrapper
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The prompt the lesson's sender section sends (recorded in course_utils/recordings/04_python_api.yaml).
PROMPT = "APIキーを安全に扱うコツを、短い箇条書きで3つ教えてください。"
# Lesson 09's image request (model, prompt), recorded in course_utils/recordings/09_images.yaml.
DRAWING = ("google/gemini-3.1-flash-lite-image", "朝日と富士山の、シンプルなイラストを描いてください。")
SERVER_START_SECONDS = 60
LAB_SETTINGS = {
    # No "get notified about Jupyter news?" toast over the widgets.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    # Every cell in the DOM (no virtual scrolling), so the whole long lesson can be waited on and clicked.
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    # The run-all outputs stay in the browser; the served copy is never saved.
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}
# Wait until the notebook's kernel session is settled (JupyterLab may replace the first kernel), then run all.
RUN_ALL_WHEN_READY = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    await panel.sessionContext.session.kernel.info;
    await window.jupyterapp.commands.execute('notebook:run-all-cells');
}"""
ALL_CELLS_RAN = """(count) => {
    const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(e => e.textContent.trim());
    return p.length === count && p.every(t => /\\[\\d+\\]/.test(t)); }"""
# How many pixels of `text`, drawn in the font of the first heading containing it, are coloured: a colour emoji
# font draws the level marks in colour, a missing one draws an empty box (tofu) in the text colour.
COLOURED_PIXELS = """(text) => {
    const heading = [...document.querySelectorAll('.jp-RenderedMarkdown :is(h2, h3)')]
        .find(h => h.textContent.includes(text));
    const style = getComputedStyle(heading);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 64;
    const g = canvas.getContext('2d');
    g.font = `${style.fontWeight} 48px ${style.fontFamily}`;
    g.textBaseline = 'top';
    g.fillStyle = style.color;
    g.fillText(text, 4, 4);
    const d = g.getImageData(0, 0, 64, 64).data;
    let coloured = 0;
    for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) coloured++;
    }
    return coloured;
}"""
CLEAR_OUTPUTS_WHEN_READY = """async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs'); }"""
# The data: URLs of the output images the browser has decoded (a broken image has naturalWidth 0).
SHOWN_IMAGES = """() => [...document.querySelectorAll('.jp-OutputArea-output img')]
    .filter(i => i.src.startsWith('data:image/') && i.complete && i.naturalWidth > 0).map(i => i.src)"""
WATCH_ANSWER = """() => { window.answers = [];
    const box = document.querySelector('.course-answer');
    new MutationObserver(() => window.answers.push(box.textContent)).observe(
        box, {subtree: true, childList: true, characterData: true}); }"""
# True once the answer box, without whitespace and Markdown markers (as _plain), reads the whole answer.
ANSWER_IS = """(want) => document.querySelector('.course-answer').textContent.replace(/[*`\\s]/g, '') === want"""
STDERR = "application/vnd.jupyter.stderr"
# The settings JupyterLab gets from `python3 course.py`, the README's way to open the course.
_spec = importlib.util.spec_from_file_location("course", ROOT / "course.py")
course = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course)
COURSE_VARS = ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "COURSE_MODE", "COURSE_NOTEBOOK",
               "COURSE_RECORDINGS_DIR", "COURSE_NO_DOTENV", "JPY_SESSION_NAME")


@pytest.fixture
def chromium() -> str:
    """The system Chromium; skipped locally when missing, but a failure on CI (CI=true)."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (.ci/run installs it with the fonts the lessons need)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


def _lab_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in COURSE_VARS}
    settings = home / "settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env.update(COURSE_MODE="replay", COURSE_NO_DOTENV="1", PYTHONPATH=str(ROOT),
               JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    return env


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`jupyter lab` as course.py starts it (replay mode, no key, shipped recordings), on 127.0.0.1, shared by
    the module's tests (starting it takes seconds).

    It serves a course folder with the lessons, `.env.example` and the folders the file browser must hide.
    """
    tmp_path = tmp_path_factory.mktemp("lab")
    root = tmp_path / "root"
    (root / LESSON.parent).mkdir(parents=True)
    for lesson in (LESSON, IMAGES_LESSON):
        shutil.copy(ROOT / lesson, root / lesson)
    shutil.copy(ROOT / ".env.example", root / ".env.example")
    for hidden in (".git", ".venv", ".ipynb_checkpoints"):
        (root / hidden).mkdir()
    course.write_lab_overrides(tmp_path / "app-settings")
    port, token = free_port(), os.urandom(12).hex()
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--allow-root", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         f"--LabApp.app_settings_dir={tmp_path / 'app-settings'}", *course.LAB_OPTIONS],
        env=_lab_env(tmp_path), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        if not wait_until_serving(url, token, process, SERVER_START_SECONDS):
            pytest.fail("jupyter lab did not start:\n" + (tmp_path / "lab.log").read_text()[-3000:])
        yield url, token
    finally:
        stop(process)
        log.close()


@contextmanager
def _lesson_page(chromium: str, url: str, token: str, failed_shot: Path, lesson: Path = LESSON,
                 workspace: str = "") -> Iterator[Any]:
    """A lesson (04 unless told) open in a new headless Chromium with its kernel idle; a screenshot when the test
    fails in it. A named `workspace` opens the lesson alone, without the layout earlier tests left."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=30_000)
        page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="ja-JP")
        try:
            page.set_default_timeout(20_000)
            where = f"workspaces/{workspace}/tree" if workspace else "tree"
            page.goto(f"{url}/lab/{where}/{lesson.as_posix()}?token={token}", timeout=60_000)
            page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
            yield page
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(failed_shot))
            raise
        finally:
            browser.close()


def _bench_note(idle: float, banner: float) -> None:
    """Write the lesson's opening times to the file COURSE_BENCH_OUT names (under bench/), if it is set."""
    out = os.environ.get(BENCH_OUT_VAR)
    if out and (ROOT / "bench") in (ROOT / out).resolve().parents:
        (ROOT / out).write_text(json.dumps({"lesson": LESSON.name, "kernel_idle_s": round(idle, 2),
                                            "setup_banner_s": round(banner, 2)}) + "\n", encoding="utf-8")


def _plain(text: str) -> str:
    """Text without whitespace or Markdown markers: each streamed state of the answer is a prefix of the last."""
    return "".join(text.replace("*", "").replace("`", "").split())


def test_saved_lesson_opens_with_japanese_menus_widget_placeholders_and_level_marks(lab, chromium):
    """What a learner sees on opening lesson 04 before running anything (JupyterLab does not draw the widgets'
    saved state without a kernel; each widget's saved text says what will appear)."""
    from playwright.sync_api import expect

    url, token = lab
    with _lesson_page(chromium, url, token, ARTIFACTS / "04_python_api-saved-failed.png") as page:
        # The README's and lesson 02's path to a terminal, as the language pack names it.
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^ファイル$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^新規$")).hover()
        expect(page.locator(".lm-Menu-itemLabel", has_text=re.compile("^ターミナル$"))).to_be_visible()
        page.keyboard.press("Escape")

        # Lesson 04's exercises are 🐢 (basic); lesson 00 explains the marks by their look.
        expect(page.locator(".jp-RenderedMarkdown h3", has_text="🐢").first).to_be_attached()
        assert page.evaluate(COLOURED_PIXELS, "🐢") > 100, "the level mark is drawn without a colour emoji font"

        for widget in ("picker", "sender"):
            expect(page.get_by_text(TEXT["placeholder"][widget], exact=True)).to_be_visible()
        expect(page.get_by_text("VBox(children=")).to_have_count(0)


def test_lesson_04_sender_streams_a_recorded_answer(lab, chromium):
    from playwright.sync_api import expect

    url, token = lab
    code_cells = sum(c.cell_type == "code" for c in nbformat.read(ROOT / LESSON, as_version=4).cells)
    free, paid = course_utils.MODELS.free, course_utils.MODELS.paid
    answer = AnswerBook().find(free, PROMPT).text
    started = time.monotonic()
    with _lesson_page(chromium, url, token, SHOT.with_name(SHOT.stem + "-failed.png")) as page:
        idle = time.monotonic()
        page.evaluate(RUN_ALL_WHEN_READY)
        expect(page.get_by_text("【再生モード】")).to_be_visible(timeout=120_000)
        _bench_note(idle - started, time.monotonic() - started)
        page.wait_for_function(ALL_CELLS_RAN, arg=code_cells, timeout=120_000)
        expect(page.get_by_text("【再生モード】")).to_be_visible()
        expect(page.locator(f".jp-OutputArea-output[data-mime-type='{STDERR}']")).to_have_count(0)

        # The picker's choice is shown under its list and fills the sender's model box.
        chosen = page.locator(".widget-html", has_text=TEXT["chosen"].split("<")[0].strip()).locator("code")
        model_label = page.locator("label", has_text=re.compile(f"^{TEXT['model']}$"))
        model_box = page.locator(".widget-text", has=model_label)
        models = page.locator(".widget-select select")
        for model in (paid, free):
            option = models.locator("option", has_text=f"｜ {model}").first
            models.select_option(value=option.get_attribute("value"))
            expect(chosen).to_have_text(model)
            expect(model_box.locator("input")).to_have_value(model)

        examples = page.locator(".widget-dropdown", has=page.locator("label", has_text=TEXT["recorded_prompts"]))
        examples.locator("select").select_option(value=f"{free}: {PROMPT}")
        expect(page.get_by_placeholder(TEXT["prompt_hint"])).to_have_value(PROMPT)

        page.evaluate(WATCH_ANSWER)
        page.get_by_role("button", name=TEXT["send"]).click()
        status = page.locator(".course-status")
        expect(status).to_contain_text(re.compile(r"トークン: 入力 \d+ ／ 出力 \d+"), timeout=30_000)
        expect(status).to_contain_text(TEXT["finish"]["stop"])
        # The answer's Markdown is rendered: a list of three items with bold titles, no `**` left.
        shown = page.locator(".course-answer")
        expect(shown.locator("li")).to_have_count(3)
        expect(shown.locator("li strong").first).to_have_text("コードに直接書かない:")
        # The status line and the answer box are separate widgets: the last answer update may land just after.
        page.wait_for_function(ANSWER_IS, arg=_plain(answer), timeout=10_000)
        seen = [t for t in dict.fromkeys(page.evaluate("window.answers")) if t]
        assert len(seen) >= 3, f"the answer did not stream in pieces: {seen}"
        assert all(_plain(answer).startswith(_plain(t)) for t in seen), "a partial answer is not a prefix"

        ARTIFACTS.mkdir(exist_ok=True)
        # The picker's first row at the top: the picker, the sender and the streamed answer in one shot.
        page.locator(".widget-toggle-buttons").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(SHOT))
    print(f"browser part: {time.monotonic() - started:.1f} s")


def test_file_browser_lists_env_example_for_the_key_steps(lab, chromium):
    """Lessons 00 and 02 have learners copy .env.example to .env in JupyterLab: both dot files must be listed."""
    from playwright.sync_api import expect, sync_playwright

    url, token = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=30_000)
        try:
            page = browser.new_page(locale="ja-JP")
            page.goto(f"{url}/lab/workspaces/files/tree?token={token}", timeout=60_000)  # not the lessons left open
            names = page.locator(".jp-DirListing-itemText")
            expect(names.filter(has_text=re.compile(r"^\.env\.example$"))).to_have_count(1, timeout=60_000)
            expect(names.filter(has_text=re.compile(r"^notebooks$"))).to_have_count(1)
            listed = {n.strip() for n in names.all_text_contents()}
            assert not listed & {".git", ".venv", ".ipynb_checkpoints"}, listed
        finally:
            browser.close()


def test_lesson_09_run_all_shows_the_generated_image(lab, chromium):
    """The lesson's saved outputs are cleared first, so the image on the page is the one the replayed answer's
    `message.images` data URL produced; the cell that forgets `modalities` shows its explanation and Run All goes on."""
    from playwright.sync_api import expect

    url, token = lab
    lesson = nbformat.read(ROOT / IMAGES_LESSON, as_version=4)
    code_cells = sum(c.cell_type == "code" for c in lesson.cells)
    drawn = AnswerBook().find(*DRAWING)
    started = time.monotonic()
    shot = ARTIFACTS / "09_images-failed.png"
    with _lesson_page(chromium, url, token, shot, IMAGES_LESSON, workspace="lesson09") as page:
        page.evaluate(CLEAR_OUTPUTS_WHEN_READY)
        expect(page.locator(".jp-OutputArea-output img")).to_have_count(0)
        page.evaluate(RUN_ALL_WHEN_READY)
        page.wait_for_function(ALL_CELLS_RAN, arg=code_cells, timeout=120_000)
        expect(page.get_by_text("【再生モード】")).to_be_visible()
        expect(page.locator(f".jp-OutputArea-output[data-mime-type='{STDERR}']")).to_have_count(0)
        page.wait_for_function(f"() => ({SHOWN_IMAGES})().length > 0", timeout=20_000)
        assert page.evaluate(SHOWN_IMAGES) == ["data:image/png;base64," + drawn.image]
        expect(page.get_by_text("答えに画像が入っていません", exact=False)).to_be_visible()
    print(f"lesson 09 in the browser: {time.monotonic() - started:.1f} s")
