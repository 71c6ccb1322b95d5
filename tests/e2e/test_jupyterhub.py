"""A class on a real JupyterHub, as the instructor guide (section 8, JupyterHub) tells it.

jupyterhub from PyPI and its proxy configurable-http-proxy (from npm, .ci/run installs it) on 127.0.0.1, a dummy
authenticator and SimpleLocalProcessSpawner with each student's home under a temporary folder. The users'
environment is this test's own venv: it already has `pip install -r requirements.txt` and nbgitpuller (the guide's
step 1), so nothing is installed here. The example server stands in for openrouter.ai; the instructor makes the
class keys against it with the guide's `class-keys create` command (step 4.1), and student 2 runs the guide's
terminal lines (step 4.2) with the key from their slip: `~/.env` with the key and the class profile, mode 600.

1. Replay-only class (the guide's step 3 file, COURSE_MODE=replay for every spawned server). Three students log in
   and open the guide's nbgitpuller link (step 2) to a bare clone of this checkout over file://: each gets the
   course in their own home and lesson 00 opens. Students 1 and 2 run it: both replay, student 2 despite the key,
   and the example server gets no chat request.
2. The instructor switches to a live class (step 4: the step 3 file now holds the class profile, not
   COURSE_MODE), reloads the hub (its servers keep running, as on TLJH) and stops student 2's server (the Admin
   page's Stop, through the REST API it calls). Student 2 opens the link again and runs lesson 04 live with the
   class key (the banner's live mode and class profile, the example server's answers); at the same time student 1,
   whose server still has the replay-only environment, runs lesson 04 in replay mode. Neither shows an error.
3. Another unix user (nobody, as student 3 would be on TLJH) cannot read student 2's `.env`.
A second test checks that the guide's section holds these files, lines and link word for word.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from fake_openrouter import FakeOpenRouter
from fake_openrouter.answers import AnswerBook
from fake_openrouter.auth import MANAGEMENT_KEY
from tests.e2e.jupyter_server import free_port, stop
from tests.e2e.test_browser import (
    CHROMIUM_ARGS,
    COURSE_VARS,
    LAB_SETTINGS,
    RUN_ALL_WHEN_READY,
    _plain,
    chromium,  # noqa: F401  (the fixture: skip locally, fail on CI without Chromium)
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
REPO = "openrouter-course"  # the folder nbgitpuller makes in each home (the repository's name)
ARTIFACTS = ROOT / "tests" / "artifacts"
LESSON_00, LESSON_04 = "notebooks/00_introduction.ipynb", "notebooks/04_python_api.ipynb"
STUDENTS = ("student1", "student2", "student3")
# The guide's step 3 file (/opt/tljh/config/jupyterhub_config.d/course.py on TLJH), line for line: first the
# replay-only class, then (step 4) a live class with class keys.
REPLAY_CLASS = 'c.Spawner.environment = {"COURSE_MODE": "replay"}\n'
LIVE_CLASS = 'c.Spawner.environment = {"COURSE_PROFILE": "class"}\n'
# The guide's step 4.2: what a student runs in JupyterLab's terminal, their slip's key in place of 紙のキー.
SLIP_KEY = "紙のキー"
STUDENT_DOTENV = f"""echo "OPENROUTER_API_KEY={SLIP_KEY}" > ~/.env
echo "COURSE_PROFILE=class" >> ~/.env
chmod 600 ~/.env
"""
GUIDE = ROOT / "docs" / "instructor_guide.md"
# The guide's `class-keys create` command (fewer keys, a far expiry); the keys go to the instructor's folder.
CREATE_KEYS = ["class-keys", "create", "--count", "2", "--limit", "1", "--reset", "daily", "--expires",
               "2030-03-31", "--models", "course", "--no-training"]
PASSWORD = "class-password"  # pragma: allowlist secret (the dummy login of a loopback test hub)
HUB_START_SECONDS = 30
STDERR = "application/vnd.jupyter.stderr"
# Run all cells of the current notebook without waiting (two students' pages run at once); window.ranAll holds
# the run, so a failure shows when it is awaited.
RUN_ALL_NOW = f"() => {{ window.ranAll = ({RUN_ALL_WHEN_READY})(); return window.jupyterapp.shell.currentWidget.id; }}"
# Whether the current tab is the notebook at `path` (under the home) with its kernel idle.
OPEN_AND_IDLE = """(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    return !!(w && w.context && w.context.path === path && w.sessionContext.session
              && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'); }"""
# What a double click on a notebook in the file browser does (returns at once; OPEN_AND_IDLE waits).
OPEN = "(path) => { window.jupyterapp.commands.execute('docmanager:open', {path}); }"
# OPEN_AND_IDLE for a notebook just opened: a lab that was still restoring the link's lesson can bring that tab back
# to the front after the open (seen once on CI), so the notebook's tab is brought forward again, as a student clicks it.
OPENED_AND_IDLE = """(path) => { const app = window.jupyterapp, w = app && app.shell.currentWidget;
    if (w && w.context && w.context.path !== path) { app.commands.execute('docmanager:open', {path}); return false; }
    return !!(w && w.context && w.sessionContext.session && w.sessionContext.session.kernel
              && w.sessionContext.session.kernel.status === 'idle'); }"""
# Follow a link without waiting for the page (a hub answers a spawn only when the server is up, or after 10 s).
FOLLOW = "(url) => { setTimeout(() => { window.location.href = url; }, 0); }"
# Whether every code cell of the notebook panel `id` shows an execution count (other open tabs are not counted).
PANEL_RAN = """([id, count]) => {
    const p = [...document.getElementById(id).querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
        .map(e => e.textContent.trim());
    return p.length === count && p.every(t => /\\[\\d+\\]/.test(t)); }"""


def proxy() -> str:
    """configurable-http-proxy's path; skipped locally when missing, but a failure on CI (CI=true)."""
    found = shutil.which("configurable-http-proxy")
    if not found:
        message = "configurable-http-proxy not found (.ci/run installs it: npm install -g configurable-http-proxy)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def guide_link(hub: str, repo_url: str) -> str:
    """The guide's step 2 link, with this hub's address and the given repository."""
    return (f"{hub}/hub/user-redirect/git-pull?repo={urllib.parse.quote(repo_url, safe='')}&branch=main"
            f"&urlpath={urllib.parse.quote(f'lab/tree/{REPO}/{LESSON_00}', safe='')}")


def slip_keys(fake: FakeOpenRouter, out: Path) -> list[str]:
    """The keys on the printable slips that `class-keys create` (the guide's command) makes against `fake`."""
    env = {k: v for k, v in os.environ.items() if k not in COURSE_VARS}
    env.update(OPENROUTER_BASE_URL=fake.base_url, OPENROUTER_MANAGEMENT_KEY=MANAGEMENT_KEY, COURSE_NO_DOTENV="1")
    subprocess.run([sys.executable, "-m", "course_utils", *CREATE_KEYS, "--out", str(out), "--yes"],
                   env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    return re.findall(r'<p class="key">([^<]+)</p>', (out / "slips.html").read_text(encoding="utf-8"))


class Hub:
    """A JupyterHub on 127.0.0.1 that loads `course.py` (the guide's step 3 file); restart() is the guide's
    `sudo tljh-config reload`. As on TLJH, the students' servers outlive a reload (cleanup_servers False), so
    close() stops them itself."""

    def __init__(self, folder: Path, homes: Path, base_url: str) -> None:
        self.folder, self.homes, self.course = folder, homes, folder / "course.py"
        self.url = f"http://127.0.0.1:{free_port()}"
        self.token = secrets.token_hex(16)  # the instructor's admin token (the Admin page's rights)
        settings = folder / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values), encoding="utf-8")
        self.config = folder / "jupyterhub_config.py"
        self.config.write_text(f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {urllib.parse.urlsplit(self.url).port}
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{proxy()!r}]
c.JupyterHub.db_url = "sqlite:///{folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{folder / 'cookie_secret'}"
c.JupyterHub.cleanup_servers = False
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.services = [{{"name": "teacher", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{"name": "admin", "services": ["teacher"]}}]
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{homes}/{{username}}"
c.Spawner.cmd = [{str(Path(sys.executable).with_name("jupyterhub-singleuser"))!r}]
c.Spawner.args = ["--allow-root", "--LabApp.expose_app_in_browser=True"]  # test only: run-all from the page
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 60
load_subconfig({str(self.course)!r})
# Test only: every cell in the DOM, so a run-all can be waited on (tests/test_browser.py's settings), and the
# example server instead of openrouter.ai.
c.Spawner.environment["JUPYTERLAB_SETTINGS_DIR"] = "{settings}"
c.Spawner.environment["OPENROUTER_BASE_URL"] = "{base_url}"
""", encoding="utf-8")
        self.process: subprocess.Popen | None = None

    def start(self, course: str) -> None:
        self.course.write_text(course, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in COURSE_VARS}
        log = self.folder / "hub.log"
        with log.open("a") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(self.config)],
                                            cwd=self.folder, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + HUB_START_SECONDS
        while not self._routed():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("jupyterhub did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.2)

    def _routed(self) -> bool:
        """Whether the hub answers and the proxy routes to every running server (the hub adds those routes
        after it starts answering)."""
        try:
            running = {user["name"] for user in self.api("/users") if user["servers"]}
            routes = self.api("/proxy")
        except OSError:
            return False
        return all(f"/user/{name}/" in routes for name in running)

    def restart(self, course: str) -> None:
        stop(self.process, seconds=20)
        self.start(course)

    def api(self, path: str, method: str = "GET") -> dict | None:
        request = urllib.request.Request(f"{self.url}/hub/api{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop_server(self, user: str, seconds: float = 30) -> None:
        """What the Admin page's Stop Server does: DELETE the server, then wait until it has stopped."""
        self.api(f"/users/{user}/server", method="DELETE")
        deadline = time.monotonic() + seconds
        while self.api(f"/users/{user}")["servers"]:
            assert time.monotonic() < deadline, f"{user}'s server did not stop"
            time.sleep(0.2)

    def close(self) -> None:
        if self.process is not None:
            stop(self.process, seconds=20)
        # The servers the hub left running (cleanup_servers False): their process ids are in the hub's database.
        database = self.folder / "jupyterhub.sqlite"
        if not database.exists():
            return
        with sqlite3.connect(database) as db:
            pids = [json.loads(state or "{}").get("pid") for (state,) in db.execute("select state from spawners")]
        pids = [pid for pid in pids if pid]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 15)
        deadline = time.monotonic() + 15
        while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in pids:
            if _running(pid):
                os.kill(pid, 9)


def _running(pid: int) -> bool:
    """Whether process `pid` still runs (an exited one the hub did not reap is a zombie: not running)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


@pytest.fixture
def fake():
    with FakeOpenRouter() as server:
        yield server


@pytest.fixture
def hub(tmp_path, fake):
    """The hub, not started yet; yields it and stops it and the students' servers afterwards."""
    # Homes outside pytest's private tmp folder (mode 700), so another unix user can reach a home as on a hub.
    homes = Path(tempfile.mkdtemp(prefix="hub-homes-"))
    homes.chmod(0o711)
    hub = Hub(tmp_path, homes, fake.base_url)
    try:
        yield hub
    finally:
        hub.close()
        shutil.rmtree(homes)


def chats(fake: FakeOpenRouter, key: str) -> list:
    """The chat requests the example server got with `key`."""
    return [r for r in fake.requests
            if r.path.endswith("/chat/completions") and r.headers.get("Authorization") == f"Bearer {key}"]


def test_a_class_on_jupyterhub_replays_then_goes_live_with_a_class_key(hub, fake, chromium, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    started, laps = time.monotonic(), {}

    def lap(name: str) -> None:
        laps[name] = time.monotonic() - started - sum(laps.values())

    origin = tmp_path / "origin" / REPO  # no ".git": nbgitpuller names the home folder after the URL's last part
    subprocess.run(["git", "clone", "-q", "--bare", str(ROOT), str(origin)], check=True, timeout=60)
    link = guide_link(hub.url, origin.as_uri())

    # The instructor makes the class keys (step 4.1); student 2 runs step 4.2's lines with their slip's key.
    keys = slip_keys(fake, tmp_path / "class-keys")
    assert len(keys) == 2
    key = keys[1]
    dotenv = hub.homes / "student2" / ".env"
    dotenv.parent.mkdir(mode=0o755)
    (dotenv.parent / "notes.txt").write_text("shared\n", encoding="utf-8")  # mode 644: the control
    subprocess.run(["bash", "-e", "-c", STUDENT_DOTENV.replace(SLIP_KEY, key)], check=True, timeout=10,
                   env={**os.environ, "HOME": str(dotenv.parent)})
    assert dotenv.read_text(encoding="utf-8") == f"OPENROUTER_API_KEY={key}\nCOURSE_PROFILE=class\n"

    lap("keys")
    hub.start(REPLAY_CLASS)
    lap("hub")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=30_000)
        pages = {}

        def failed(student: str) -> None:
            ARTIFACTS.mkdir(exist_ok=True)
            pages[student].screenshot(path=str(ARTIFACTS / f"jupyterhub-{student}-failed.png"))

        def opened(student: str, notebook: str, by_link: bool = False, by_command: bool = False) -> None:
            """Wait until `notebook` is the student's current tab with its kernel idle (and, when they came by
            the link, until the page is the link's lesson; when opened by OPEN, bringing its tab forward)."""
            page = pages[student]
            try:
                if by_link:
                    page.wait_for_url(f"**/user/{student}/lab/tree/{REPO}/{notebook}", timeout=90_000)
                if by_command:  # polled twice a second: each poll may bring the tab forward again
                    page.wait_for_function(OPENED_AND_IDLE, arg=f"{REPO}/{notebook}", timeout=90_000, polling=500)
                else:
                    page.wait_for_function(OPEN_AND_IDLE, arg=f"{REPO}/{notebook}", timeout=90_000)
            except Exception:
                failed(student)
                raise

        def ran_all(student: str, panel: str, notebook: str):
            """Wait until every code cell of the student's `notebook` (their copy) has run; its panel locator."""
            page, path = pages[student], hub.homes / student / REPO / notebook
            count = sum(c.cell_type == "code" for c in nbformat.read(path, as_version=4).cells)
            try:
                page.wait_for_function(PANEL_RAN, arg=[panel, count], timeout=120_000)
                page.evaluate("() => window.ranAll")
            except Exception:
                failed(student)
                raise
            return page.locator(f"#{panel}")

        try:
            # 1. The replay-only class: all three log in at once through the link.
            for student in STUDENTS:
                page = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 1400}).new_page()
                page.set_default_timeout(30_000)
                pages[student] = page
                page.goto(f"{hub.url}/hub/login?next={urllib.parse.quote(link.removeprefix(hub.url), safe='')}")
                page.fill("#username_input", student)
                page.fill("#password_input", PASSWORD)
                page.click("#login_submit", no_wait_after=True)
            for student in STUDENTS:
                opened(student, LESSON_00, by_link=True)
                expect(pages[student].locator(".jp-RenderedMarkdown h1").first).to_be_visible()
                assert (hub.homes / student / REPO / LESSON_00).is_file(), f"{student} has no course in their home"
            lap("log in, lesson 00 open")
            panels = {student: pages[student].evaluate(RUN_ALL_NOW) for student in STUDENTS[:2]}
            for student, panel in panels.items():
                # Student 2 has a key in .env: the class file's COURSE_MODE=replay still wins.
                shown = ran_all(student, panel, LESSON_00)
                expect(shown.get_by_text("【再生モード】").first).to_be_visible()
            assert not chats(fake, key), "the replay-only class sent student 2's key to the API"

            # 2. A live class: the instructor rewrites the class file, reloads, stops student 2's server; student 2
            # opens the link again, student 1 (server still running) opens lesson 04.
            lap("lesson 00 run")
            hub.restart(LIVE_CLASS)
            hub.stop_server("student2")
            lap("reload, stop")
            # Student 1's page lost its server while the proxy restarted (a hub reload restarts it here; TLJH's
            # proxy runs on its own): student 1 opens lesson 04 afresh, student 2 by the file browser.
            pages["student2"].evaluate(FOLLOW, link)
            pages["student1"].goto(f"{hub.url}/user/student1/lab/tree/{REPO}/{LESSON_04}?reset")
            opened("student1", LESSON_04)
            panels = {"student1": pages["student1"].evaluate(RUN_ALL_NOW)}
            opened("student2", LESSON_00, by_link=True)
            pages["student2"].evaluate(OPEN, f"{REPO}/{LESSON_04}")
            opened("student2", LESSON_04, by_command=True)
            panels["student2"] = pages["student2"].evaluate(RUN_ALL_NOW)
            lap("student 2 back, lesson 04 open")
            replayed, live = (ran_all(student, panels[student], LESSON_04) for student in STUDENTS[:2])
            expect(replayed.get_by_text("【再生モード】").first).to_be_visible()
            expect(live.get_by_text("【ライブモード】").first).to_be_visible()
            expect(live.get_by_text("クラス用の設定（COURSE_PROFILE=class）").first).to_be_visible()
            for shown in (replayed, live):
                expect(shown.locator(f".jp-OutputArea-output[data-mime-type='{STDERR}']")).to_have_count(0)
            # The example server's answers, asked with student 2's key, are on student 2's page.
            # (The lesson's mistaken model ids get errors, not answers; a max_tokens answer is cut short.)
            sent = [r.json for r in chats(fake, key)
                    if r.json and fake.catalogue.get(r.json["model"]) and not r.json.get("max_tokens")]
            assert sent, "student 2's lesson 04 sent nothing with the class key"
            shown = _plain(live.inner_text())
            for request in sent:
                system = [m["content"] for m in request["messages"] if m["role"] == "system"]
                answer = AnswerBook().find(request["model"], request["messages"][-1]["content"], *system[:1]).text
                assert _plain(answer) in shown, f"the example server's answer is not on student 2's page: {answer}"
            lap("lesson 04 run")
        finally:
            browser.close()

    # 3. What the guide prescribes for the key file, and that it holds: another unix user cannot read it.
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    def read_as_nobody(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", str(path)],
                              capture_output=True, text=True, timeout=10)
    assert read_as_nobody(dotenv.parent / "notes.txt").returncode == 0, "the home itself is not reachable"
    denied = read_as_nobody(dotenv)
    assert denied.returncode != 0 and "Permission denied" in denied.stderr
    print(f"hub test: {time.monotonic() - started:.1f} s (" + ", ".join(f"{k} {v:.1f}" for k, v in laps.items()) + ")")


def test_the_guide_gives_the_hub_steps_this_test_takes():
    """The guide's JupyterHub section holds the files, lines and link this test uses, word for word."""
    section = GUIDE.read_text(encoding="utf-8").split("### JupyterHub / The Littlest JupyterHub", 1)[1]
    section = section.split("\n## ", 1)[0]
    for step in (REPLAY_CLASS.strip(), LIVE_CLASS.strip(), "/opt/tljh/config/jupyterhub_config.d/course.py",
                 "sudo tljh-config reload", "sudo -E pip install -r requirements.txt nbgitpuller", "class-keys create",
                 "「Stop Server」", "「【ライブモード】」と「クラス用の設定（COURSE_PROFILE=class）」"):
        assert step in section, f"the guide's JupyterHub section lacks: {step}"
    lines = [line.strip() for line in section.splitlines()]
    for line in STUDENT_DOTENV.splitlines():
        assert line in lines, f"the guide's step 4.2 lacks the line: {line}"
    link = guide_link("https://<ハブのアドレス>", "https://github.com/<OWNER>/<REPO>")
    link = link.replace("%3C", "<").replace("%3E", ">").replace(REPO, "<REPO>")
    assert link in section, f"the guide's step 2 link is not the one the test opens: {link}"
