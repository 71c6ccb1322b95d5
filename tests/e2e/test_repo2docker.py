"""The course builds the way repo2docker (Binder, JupyterHub images) builds it, and runs from that build.

repo2docker copies the repository's committed files, picks the Python of `runtime.txt`, runs
`pip install -r requirements.txt` in it (which installs `course_utils` with `-e .`), then `postBuild` if there
is one. This test does the same in a fresh
virtual environment in a temporary folder, checks it holds the learner set only (no test tools), then runs the first
lessons there in replay mode with nbclient.
It needs the package index (pip's local cache makes it fast); without one it is skipped, except in CI.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("00_introduction.ipynb", "01_providers.ipynb")  # the second one only if it is committed
COURSE_VARS = ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "COURSE_RECORDINGS_DIR", "COURSE_NOTEBOOK",
               "PYTHONPATH", "VIRTUAL_ENV")

# The installed distributions' names, normalised (PEP 503).
INSTALLED = ("import importlib.metadata as m, re\n"
             "print(*sorted({re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() for d in m.distributions()}))")
DEV_ONLY = {"playwright", "pytest-httpserver", "detect-secrets", "ruff"}

# Runs inside the new environment: every notebook in replay mode, then where course_utils came from.
RUN_NOTEBOOKS = """
import json, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient
report = {}
for path in map(Path, sys.argv[1:]):
    nb = nbformat.read(path, as_version=4)
    where_from = "import sys, course_utils; print(sys.prefix); print(course_utils.__file__)"
    nb.cells.append(nbformat.v4.new_code_cell(where_from))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]
    report[path.name] = outputs
print(json.dumps(report))
"""


def index_reachable() -> bool:
    """Can pip reach its package index (PIP_INDEX_URL or PyPI)?"""
    url = urlsplit(os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple")
    try:
        socket.create_connection((url.hostname, url.port or 443), timeout=5).close()
    except OSError:
        return False
    return True


def committed_copy(target: Path) -> Path:
    """The repository's tracked files (what repo2docker clones), copied to `target`."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in filter(None, files.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # tracked but deleted in the working tree: not part of the build
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_runtime_txt_names_a_python_the_course_supports():
    version = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    assert version.startswith("python-3.") and int(version.split(".")[1]) >= 11  # requires-python >= 3.11


def test_course_builds_like_repo2docker_and_runs_in_replay_mode(tmp_path):
    if not index_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("CI: the package index is unreachable, so the repo2docker build cannot be checked")
        pytest.skip("the package index is unreachable")
    repo = committed_copy(tmp_path / "repo")
    env_dir = tmp_path / "env"
    # No pip inside the new environment (saves ~10 s); the test's own pip installs into it via --python.
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in COURSE_VARS}
    env.update(COURSE_MODE="replay", COURSE_NO_DOTENV="1", PATH=f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "-r", "requirements.txt"], cwd=repo, env=env, check=True, timeout=600)
    if (repo / "postBuild").exists():
        subprocess.run(["bash", "postBuild"], cwd=repo, env=env, check=True, timeout=300)

    # The learner set: JupyterLab in Japanese, none of the developers' test tools (requirements-dev.txt).
    listed = subprocess.run([str(python), "-c", INSTALLED], capture_output=True, text=True, check=True)
    installed = listed.stdout.split()
    assert "jupyterlab-language-pack-ja-jp" in installed
    assert not set(installed) & DEV_ONLY, set(installed) & DEV_ONLY

    notebooks = [str(repo / "notebooks" / n) for n in NOTEBOOKS if (repo / "notebooks" / n).exists()]
    assert notebooks, "notebooks/00_introduction.ipynb is not committed"
    run = subprocess.run([str(python), "-c", RUN_NOTEBOOKS, *notebooks], cwd=repo, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.splitlines()[-1])
    for name, outputs in report.items():
        assert "【再生モード】" in outputs[0], (name, outputs[0])
        prefix, module = outputs[-1].split()
        assert Path(prefix) == env_dir and Path(module).is_relative_to(repo), (name, outputs[-1])
