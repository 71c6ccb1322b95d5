"""Google Colab: the badges and first cells follow the one repository setting, and a lesson opened alone in an
environment without `course_utils` installs the course package and runs top to bottom in replay mode.

The Colab run: a fresh virtual environment without `course_utils`, a stub `google.colab` whose secrets hold no key,
the notebook alone in an empty folder, and COURSE_PACKAGE pointing at the checkout's last commit (what GitHub
serves; the lesson comes from it too). Like Colab, the runtime already has the libraries: the ones the course
package declares (and theirs), ipykernel and pip, linked from this test's environment into a folder the fresh
environment reads; nothing else. The first cell's pip then installs the course alone (a dependency missing from
pyproject.toml still fails the lesson); it needs the package index only for the build backend (setuptools, in
pip's isolated build environment). Without an index the test is skipped, except in CI.
"""
from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from course_utils import colab
from tests.e2e.test_repo2docker import index_reachable

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB_LESSONS = ("00_introduction.ipynb", "04_python_api.ipynb")
# Variables of the suite or the developer's shell that a Colab runtime does not have.
NOT_IN_COLAB = ("COURSE_MODE", "COURSE_NO_DOTENV", "COURSE_NOTEBOOK", "COURSE_RECORDINGS_DIR", "OPENROUTER_API_KEY",
                "OPENROUTER_BASE_URL", "PYTHONPATH", "VIRTUAL_ENV", "JPY_SESSION_NAME")
# Colab's secrets as a learner has them before adding the key: every lookup fails, and is written down.
USERDATA_STUB = """\
import os


class SecretNotFoundError(Exception):
    pass


def get(name):
    with open(os.environ["COLAB_STUB_LOG"], "a", encoding="utf-8") as log:
        log.write(name + "\\n")
    raise SecretNotFoundError(name)
"""
WHERE_FROM = "import sys, course_utils; print(sys.prefix); print(course_utils.__file__)"
# What the runtime has before the first cell besides the course's libraries: the kernel and pip.
PREINSTALLED = ("ipykernel", "pip")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_starts_with_the_colab_badge_and_the_first_cell_of_the_setting(path):
    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0].source
    assert colab.badges_in(title) == [colab.badge(path.name)], "run `python -m course_utils.colab` to update"
    assert title.split("\n")[2] == colab.badge(path.name), "the badge belongs on the line after the title"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source == colab.first_cell(), "run `python -m course_utils.colab` to update"
    assert colab.package_requirement() in first_code.source


def test_readme_table_has_one_badge_per_lesson_from_the_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert colab.badges_in(readme) == [colab.badge(p.name) for p in NOTEBOOKS]
    for path in NOTEBOOKS:
        row = next(line for line in readme.splitlines() if f"`notebooks/{path.name}`" in line)
        assert colab.badge(path.name) in row, row


def test_sync_rewrites_badges_and_first_cells_after_a_change_of_setting(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    lesson = tmp_path / "notebooks" / "04_python_api.ipynb"
    lesson.write_bytes((ROOT / "notebooks" / lesson.name).read_bytes())
    (tmp_path / "README.md").write_text(f"| 04 | {colab.badge(lesson.name)} |\n", encoding="utf-8")
    monkeypatch.setattr(colab, "REPOSITORY", "someone/fork")
    monkeypatch.setattr(colab, "BRANCH", "spring")

    assert colab.sync(tmp_path) == [lesson, tmp_path / "README.md"]
    url = "https://colab.research.google.com/github/someone/fork/blob/spring/notebooks/04_python_api.ipynb"
    assert url in (tmp_path / "README.md").read_text(encoding="utf-8")
    nb = nbformat.read(lesson, as_version=4)
    assert colab.badges_in(nb.cells[0].source) == [colab.badge(lesson.name)] and url in nb.cells[0].source
    assert "git+https://github.com/someone/fork@spring" in nb.cells[1].source
    assert nb.cells[1].outputs == nbformat.read(ROOT / "notebooks" / lesson.name, as_version=4).cells[1].outputs
    assert colab.sync(tmp_path) == []


def _closure(requirements: list[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions `requirements` name, and theirs, recursively (extras as requested)."""
    found: dict[str, importlib.metadata.Distribution] = {}
    todo = [Requirement(r) for r in requirements]
    while todo:
        req = todo.pop()
        if canonicalize_name(req.name) in found:
            continue
        dist = found[canonicalize_name(req.name)] = importlib.metadata.distribution(req.name)
        for wanted in map(Requirement, dist.requires or []):
            extras = [""] + sorted(req.extras)
            if wanted.marker is None or any(wanted.marker.evaluate({"extra": e}) for e in extras):
                todo.append(wanted)
    return list(found.values())


def _link_libraries(requirements: list[str], site: Path) -> None:
    """Link the top-level files and folders of `requirements`' distributions (this environment's) into `site`."""
    site.mkdir()
    for dist in _closure(requirements):
        root = Path(dist.locate_file(""))
        for top in {f.parts[0] for f in dist.files or [] if f.parts[0] not in ("..", "__pycache__")}:
            if not top.endswith(".pth") and not (site / top).exists():
                (site / top).symlink_to(root / top)


@pytest.fixture(scope="module")
def colab_runtime(tmp_path_factory):
    """A fresh environment with the libraries but no course_utils, a stub google.colab and a course copy."""
    if not index_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("CI: the package index is unreachable, so the Colab install cannot be checked")
        pytest.skip("the package index is unreachable")
    base = tmp_path_factory.mktemp("colab")
    started = time.monotonic()
    course = base / "course"
    course.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(course)], input=archive, check=True)
    venv.EnvBuilder(with_pip=False).create(base / "env")
    python = base / "env" / "bin" / "python"
    declared = tomllib.loads((course / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    _link_libraries([*declared, *PREINSTALLED], base / "libraries")
    # A path line in a .pth file: the folder joins sys.path (its own .pth files are not run); pip sees its
    # libraries as installed outside the environment and never removes them.
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (base / "env" / "lib" / version / "site-packages" / "libraries.pth").write_text(
        f"{base / 'libraries'}\n", encoding="utf-8")
    print(f"colab runtime: {time.monotonic() - started:.1f} s")
    stub = base / "stub" / "google" / "colab"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("", encoding="utf-8")
    (stub / "userdata.py").write_text(USERDATA_STUB, encoding="utf-8")
    kernel = base / "kernels" / "colab"
    kernel.mkdir(parents=True)
    (kernel / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab (stub)", "language": "python"}), encoding="utf-8")
    return {"base": base, "python": python, "stub": base / "stub", "kernels": base / "kernels", "course": course}


@pytest.mark.parametrize("lesson", COLAB_LESSONS)
def test_lesson_opened_alone_in_colab_installs_the_course_and_runs_in_replay_mode(lesson, colab_runtime, tmp_path,
                                                                                  monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    runtime = colab_runtime
    # Each lesson installs the course itself, as in a new Colab runtime (the libraries it needs may stay).
    subprocess.run([str(runtime["python"]), "-m", "pip", "uninstall", "-q", "-y", "course-utils"], check=True,
                   timeout=120)
    folder = tmp_path / "alone"
    folder.mkdir()
    missing = subprocess.run([str(runtime["python"]), "-c", "import course_utils"], cwd=folder, capture_output=True)
    assert missing.returncode != 0, "the fresh environment already has course_utils"
    (folder / lesson).write_bytes((runtime["course"] / "notebooks" / lesson).read_bytes())
    for name in NOT_IN_COLAB:
        monkeypatch.delenv(name, raising=False)
    log = tmp_path / "secrets-asked.txt"
    monkeypatch.setenv("PYTHONPATH", str(runtime["stub"]))
    monkeypatch.setenv("COLAB_STUB_LOG", str(log))
    monkeypatch.setenv(colab.PACKAGE_VAR, str(runtime["course"]))
    monkeypatch.setenv("COURSE_REPLAY_PACE", "0")
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")

    nb = nbformat.read(folder / lesson, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(WHERE_FROM))
    manager = KernelManager(kernel_name="colab", kernel_spec_manager=KernelSpecManager(
        kernel_dirs=[str(runtime["kernels"])]))
    started = time.monotonic()
    NotebookClient(nb, km=manager, timeout=300, resources={"metadata": {"path": str(folder)}}).execute()
    print(f"{lesson} in the Colab runtime: {time.monotonic() - started:.1f} s")

    code = [c for c in nb.cells if c.cell_type == "code"]
    banner = "".join(o.get("text", "") for o in code[0].outputs)
    assert "【再生モード】" in banner and "APIキー: 未設定" in banner, banner
    assert "OPENROUTER_API_KEY" in log.read_text(encoding="utf-8").split(), "setup() did not ask Colab's secrets"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    prefix, module = "".join(o.get("text", "") for o in code[-1].outputs).split()
    assert Path(prefix) == runtime["base"] / "env", prefix
    assert Path(module).is_relative_to(runtime["base"] / "env"), module
