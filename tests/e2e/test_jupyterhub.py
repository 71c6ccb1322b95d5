"""A class on a real JupyterHub, as the instructor guide (section 8, JupyterHub) tells it.

jupyterhub from PyPI and its proxy configurable-http-proxy (from npm, .ci/run installs it) on 127.0.0.1, a dummy
authenticator and SimpleLocalProcessSpawner with each student's home under a temporary folder. The users'
environment is this test's own venv: it already has `pip install -r requirements.txt` and nbgitpuller (the guide's
step 1), so nothing is installed here. The hub loads the guide's class file (step 3: COURSE_MODE=replay for every
spawned server). Three students log in and open the guide's nbgitpuller link (step 2) pointing at a bare clone of
this checkout over file://; each gets the course in their own home and lesson 00 opens and runs in replay mode.
Student 2 has a class key (from `class-keys create` against the example server) in their home `.env` with the
class profile, mode 600 as the guide says, and still replays; another unix user (nobody) cannot read that file.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from fake_openrouter import FakeOpenRouter
from fake_openrouter.auth import MANAGEMENT_KEY
from tests.e2e.jupyter_server import free_port, stop
from tests.e2e.test_browser import (
    ALL_CELLS_RAN,
    CHROMIUM_ARGS,
    COURSE_VARS,
    LAB_SETTINGS,
    RUN_ALL_WHEN_READY,
    chromium,  # noqa: F401  (the fixture: skip locally, fail on CI without Chromium)
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
REPO = "openrouter-course"  # the folder nbgitpuller makes in each home (the repository's name)
ARTIFACTS = ROOT / "tests" / "artifacts"
LESSON_00 = "notebooks/00_introduction.ipynb"
# The guide's step 3 file (/opt/tljh/config/jupyterhub_config.d/course.py on TLJH), line for line.
CLASS_CONFIG = 'c.Spawner.environment = {"COURSE_MODE": "replay"}\n'
PASSWORD = "class-password"  # pragma: allowlist secret (the dummy login of a loopback test hub)
HUB_START_SECONDS = 30


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


def class_key(tmp: Path) -> str:
    """One key made by `class-keys create` against the example server, read from its keys.csv."""
    out = tmp / "class-keys"
    with FakeOpenRouter() as fake:
        env = {k: v for k, v in os.environ.items() if k not in COURSE_VARS}
        env.update(OPENROUTER_BASE_URL=fake.base_url, OPENROUTER_MANAGEMENT_KEY=MANAGEMENT_KEY, COURSE_NO_DOTENV="1")
        subprocess.run([sys.executable, "-m", "course_utils", "class-keys", "create", "--count", "1", "--limit", "1",
                        "--reset", "daily", "--expires", "2030-03-31", "--out", str(out), "--yes"],
                       env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
    with open(out / "keys.csv", encoding="utf-8", newline="") as f:
        return next(csv.DictReader(f))["key"]


@pytest.fixture
def hub(tmp_path):
    """A JupyterHub on 127.0.0.1 with the guide's class file; yields its address and the homes' folder."""
    # Homes outside pytest's private tmp folder (mode 700), so another unix user can reach a home as on a hub.
    homes, settings = Path(tempfile.mkdtemp(prefix="hub-homes-")), tmp_path / "lab-settings"
    homes.chmod(0o711)
    for name, values in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values), encoding="utf-8")
    (tmp_path / "course.py").write_text(CLASS_CONFIG, encoding="utf-8")
    port = free_port()
    config = tmp_path / "jupyterhub_config.py"
    config.write_text(f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{proxy()!r}]
c.JupyterHub.db_url = "sqlite:///{tmp_path / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{tmp_path / 'cookie_secret'}"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{homes}/{{username}}"
c.Spawner.cmd = [{str(Path(sys.executable).with_name("jupyterhub-singleuser"))!r}]
c.Spawner.args = ["--allow-root", "--LabApp.expose_app_in_browser=True"]  # test only: run-all from the page
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 60
load_subconfig({str(tmp_path / 'course.py')!r})
# Test only: every cell in the DOM, so a run-all can be waited on (tests/test_browser.py's settings).
c.Spawner.environment["JUPYTERLAB_SETTINGS_DIR"] = "{settings}"
""", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in COURSE_VARS}
    log = (tmp_path / "hub.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=tmp_path, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HUB_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/hub/api", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("jupyterhub did not start:\n" + (tmp_path / "hub.log").read_text()[-3000:])
                time.sleep(0.2)
        yield url, homes
    finally:
        stop(process, seconds=20)
        log.close()
        shutil.rmtree(homes)


def test_three_students_open_the_nbgitpuller_link_and_the_class_replays(hub, chromium, tmp_path):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    url, homes = hub
    started = time.monotonic()
    origin = tmp_path / "origin" / REPO  # no ".git": nbgitpuller names the home folder after the URL's last part
    subprocess.run(["git", "clone", "-q", "--bare", str(ROOT), str(origin)], check=True, timeout=60)
    link = guide_link(url, origin.as_uri())

    # Student 2's home .env, as the class-key slip and the guide say: key, class profile, chmod 600.
    key = class_key(tmp_path)
    dotenv = homes / "student2" / ".env"
    dotenv.parent.mkdir(mode=0o755)
    (dotenv.parent / "notes.txt").write_text("shared\n", encoding="utf-8")  # mode 644: the control
    dotenv.write_text(f"OPENROUTER_API_KEY={key}\nCOURSE_PROFILE=class\n", encoding="utf-8")
    dotenv.chmod(0o600)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True, timeout=30_000)
        try:
            for student in ("student1", "student2", "student3"):
                page = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 1400}).new_page()
                page.set_default_timeout(30_000)
                page.goto(f"{url}/hub/login?next={urllib.parse.quote(link.removeprefix(url), safe='')}")
                page.fill("#username_input", student)
                page.fill("#password_input", PASSWORD)
                page.click("#login_submit")
                page.wait_for_url(f"**/user/{student}/lab/tree/{REPO}/{LESSON_00}", timeout=90_000)
                try:
                    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
                except Exception:
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / f"jupyterhub-{student}-failed.png"))
                    raise
                expect(page.locator(".jp-RenderedMarkdown h1").first).to_be_visible()
                assert (homes / student / REPO / LESSON_00).is_file(), f"{student} has no course in their home"
                if student != "student3":
                    page.evaluate(RUN_ALL_WHEN_READY)
                    page.wait_for_function(ALL_CELLS_RAN, arg=2, timeout=60_000)
                    # Student 2 has a key in .env: the class file's COURSE_MODE=replay still wins.
                    expect(page.get_by_text("【再生モード】").first).to_be_visible()
                page.context.close()
        finally:
            browser.close()

    # What the guide prescribes for the key file, and that it holds: another unix user cannot read it.
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    def read_as_nobody(path: Path) -> subprocess.CompletedProcess:
        return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "cat", str(path)],
                              capture_output=True, text=True, timeout=10)
    assert read_as_nobody(dotenv.parent / "notes.txt").returncode == 0, "the home itself is not reachable"
    denied = read_as_nobody(dotenv)
    assert denied.returncode != 0 and "Permission denied" in denied.stderr
    print(f"hub test: {time.monotonic() - started:.1f} s")
