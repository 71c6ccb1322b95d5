"""Set up and open the course, or run its tests, with one command on Linux, macOS and Windows.

    python3 course.py          # create .venv, install the learner set, open JupyterLab (in Japanese) at lesson 00
    python3 course.py test     # the same .venv plus the developers' tools, then `ruff check .` and every test

Needs only Python 3.11 or newer. On Windows use `py course.py`.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# Which version of the learner set (requirements.txt) and of the developer set (requirements-dev.txt) is installed.
STAMP = VENV / ".course-requirements.sha256"
DEV_STAMP = VENV / ".course-dev-requirements.sha256"
FIRST_LESSON = "notebooks/00_introduction.ipynb"
# Learners copy .env.example to .env inside JupyterLab, so its file browser must list dot files; the server
# hides them by default. Folders no learner should open stay hidden (with the server's own default globs).
LAB_OPTIONS = (
    "--ContentsManager.allow_hidden=True",
    *(f"--ContentsManager.hide_globs={name}" for name in (
        "__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", ".git", ".venv", ".ci", ".pytest_cache",
        ".ipynb_checkpoints", "*.egg-info")),
)
# JupyterLab settings the course's environment starts with: the file browser's own switch for dot files, and
# the menus in Japanese (jupyterlab-language-pack-ja-JP, in requirements.txt), as the lessons name them.
LAB_OVERRIDES = {
    "@jupyterlab/filebrowser-extension:browser": {"showHiddenFiles": True},
    "@jupyterlab/translation-extension:plugin": {"locale": "ja_JP"},
}

TEXT = {
    "old_python": ("Python 3.11 以上が必要です（いまは {version}）。"
                   "https://www.python.org/downloads/ から入れてください。"),
    "venv": "仮想環境 .venv を作成しています…",
    "install": "必要なライブラリをインストールしています（初回は1〜2分かかります）…",
    "open": "JupyterLab を開きます。終了するときは、この画面で Ctrl+C を2回続けて押してください。",
    "closed": "JupyterLab を終了しました。また始めるときは、同じコマンドを実行してください。",
    "install_dev": "テスト用のツールをインストールしています（初回は1分ほどかかります）…",
    "lint_failed": "ruff check がコードの問題を見つけました（上の一覧）。直してから、もう一度実行してください。",
}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _digest(*names: str) -> str:
    return hashlib.sha256(b"".join((ROOT / name).read_bytes() for name in names)).hexdigest()


def _install(requirements: str, stamp: Path, digest: str, message: str) -> None:
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(message, flush=True)
    subprocess.run([str(venv_python()), "-m", "pip", "install", "-q", "-r", requirements], cwd=ROOT, check=True)
    stamp.write_text(digest)


def ensure_environment(developer: bool = False) -> None:
    """Create .venv; install the learner set, or with `developer` the developer set (which includes it),
    when those files changed since they were last installed."""
    # The learner's own python3 runs this file, so it may be older than the course's requires-python.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit(TEXT["old_python"].format(version=sys.version.split()[0]))
    if not venv_python().exists():
        print(TEXT["venv"], flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    learner = _digest("requirements.txt", "pyproject.toml")
    if developer:
        _install("requirements-dev.txt", DEV_STAMP, _digest("requirements-dev.txt") + learner, TEXT["install_dev"])
        STAMP.write_text(learner)  # the learner set came with it: `python3 course.py` installs nothing more
    else:
        _install("requirements.txt", STAMP, learner, TEXT["install"])


PARALLEL = ("-n", "2", "--dist", "loadfile")


def run_tests(args: list[str]) -> int:
    """`ruff check .` first (a lint finding fails the command), then pytest with `args`.

    Two pytest-xdist workers, one file each at a time (a notebook's cells share one kernel): most tests wait on
    kernels, browsers and pip, so two workers halve the wall time on the 2-core machines the course is tested on.
    """
    if subprocess.call([str(venv_python()), "-m", "ruff", "check", "."], cwd=ROOT) != 0:
        print(TEXT["lint_failed"], flush=True)
        return 1
    return subprocess.call([str(venv_python()), "-m", "pytest", *PARALLEL, *args], cwd=ROOT)


def write_lab_overrides(settings_dir: Path) -> None:
    """Write LAB_OVERRIDES as JupyterLab's `overrides.json` in `settings_dir` (its app settings folder)."""
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2), encoding="utf-8")


# JupyterLab's main, then Ctrl+C ignored: a Ctrl+C that lands while the stopped server's Python exits (joining
# its threads) would print an English KeyboardInterrupt traceback under the launcher's goodbye.
LAB_MAIN = ("import signal\nfrom jupyterlab.labapp import main\n"
            "try:\n    main()\nfinally:\n    signal.signal(signal.SIGINT, signal.SIG_IGN)")


def main(argv: list[str]) -> int:
    testing = argv[:1] == ["test"]
    ensure_environment(developer=testing)
    if testing:
        return run_tests(argv[1:])
    print(TEXT["open"], flush=True)
    # Root at the course folder (not notebooks/), so .env.example and the docs show in the file browser.
    write_lab_overrides(VENV / "share" / "jupyter" / "lab" / "settings")
    lab = [str(venv_python()), "-c", LAB_MAIN, f"--ServerApp.root_dir={ROOT}", *LAB_OPTIONS, FIRST_LESSON, *argv]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        lab.append("--allow-root")  # containers and CI run as root; Jupyter refuses it otherwise
    process = subprocess.Popen(lab, cwd=ROOT)
    while True:
        try:
            code = process.wait()
            break
        except KeyboardInterrupt:
            # JupyterLab got the same Ctrl+C and handles it (a second one within 5 s stops it): wait for it,
            # instead of killing it and printing a traceback.
            continue
    print(TEXT["closed"], flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
