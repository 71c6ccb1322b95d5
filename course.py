"""Set up and open the course, or run its tests, with one command on Linux, macOS and Windows.

    python3 course.py          # create .venv, install, open JupyterLab at the first lesson
    python3 course.py test     # create .venv, install, run every test (notebooks included)

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
STAMP = VENV / ".course-requirements.sha256"
FIRST_LESSON = "notebooks/00_introduction.ipynb"
# Learners copy .env.example to .env inside JupyterLab, so its file browser must list dot files; the server
# hides them by default. Folders no learner should open stay hidden (with the server's own default globs).
LAB_OPTIONS = (
    "--ContentsManager.allow_hidden=True",
    *(f"--ContentsManager.hide_globs={name}" for name in (
        "__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", ".git", ".venv", ".ci", ".pytest_cache",
        ".ipynb_checkpoints", "*.egg-info")),
)
# JupyterLab settings the course's environment starts with (the file browser's own switch for dot files).
LAB_OVERRIDES = {"@jupyterlab/filebrowser-extension:browser": {"showHiddenFiles": True}}

TEXT = {
    "old_python": "Python 3.11 以上が必要です（いまは {version}）。https://www.python.org/downloads/ から入れてください。",
    "venv": "仮想環境 .venv を作成しています…",
    "install": "必要なライブラリをインストールしています（初回は1〜2分かかります）…",
    "open": "JupyterLab を開きます。終了するときは、この画面で Ctrl+C を2回続けて押してください。",
    "closed": "JupyterLab を終了しました。また始めるときは、同じコマンドを実行してください。",
}


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> None:
    """Create .venv and install requirements.txt when it is new or has changed."""
    if sys.version_info < (3, 11):
        sys.exit(TEXT["old_python"].format(version=sys.version.split()[0]))
    if not venv_python().exists():
        print(TEXT["venv"], flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes()
                            + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        print(TEXT["install"], flush=True)
        subprocess.run([str(venv_python()), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
                       cwd=ROOT, check=True)
        STAMP.write_text(digest)


def write_lab_overrides(settings_dir: Path) -> None:
    """Write LAB_OVERRIDES as JupyterLab's `overrides.json` in `settings_dir` (its app settings folder)."""
    settings_dir.mkdir(parents=True, exist_ok=True)
    (settings_dir / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2), encoding="utf-8")


def main(argv: list[str]) -> int:
    ensure_environment()
    if argv[:1] == ["test"]:
        return subprocess.call([str(venv_python()), "-m", "pytest", *argv[1:]], cwd=ROOT)
    print(TEXT["open"], flush=True)
    # Root at the course folder (not notebooks/), so .env.example and the docs show in the file browser.
    write_lab_overrides(VENV / "share" / "jupyter" / "lab" / "settings")
    lab = [str(venv_python()), "-m", "jupyterlab", f"--ServerApp.root_dir={ROOT}", *LAB_OPTIONS, FIRST_LESSON, *argv]
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
