"""The learner environment against the development one: disk size, package count and install time.

    .venv/bin/python bench/install_size.py

Each set is installed as `python3 course.py` (requirements.txt) and `python3 course.py test` (requirements-dev.txt)
install it: a new virtual environment with pip, then `pip install -q -r <file>`, here in a temporary copy of the
last commit (its `-e .` points there). The time includes the venv and depends on pip's cache and the network;
on a class's shared Wi-Fi the size is what counts. Prints a Markdown table for bench/RESULTS.md.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = {"learner (`python3 course.py`)": "requirements.txt",
        "development (`python3 course.py test`)": "requirements-dev.txt"}


def tree_size(path: Path) -> int:
    """Bytes of every file under `path` (symbolic links not followed)."""
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def install(requirements: str, course: Path, target: Path) -> dict[str, float]:
    """Install `requirements` as course.py does into a new venv at `target`; its size, packages and seconds."""
    started = time.monotonic()
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", requirements], cwd=course, check=True)
    seconds = time.monotonic() - started
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], capture_output=True, text=True,
                            check=True).stdout
    return {"mb": tree_size(target) / 1e6, "packages": len(json.loads(listed)), "seconds": seconds}


def main() -> None:
    if os.name == "nt":
        sys.exit("bench/install_size.py runs on Linux or macOS (bin/python)")
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        course.mkdir()
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(course)], input=archive, check=True)
        results = {name: install(file, course, Path(tmp) / f"env-{n}") for n, (name, file) in enumerate(SETS.items())}
    print(f"load average at the end: {os.getloadavg()[0]:.2f}\n")
    print("| environment | size | packages | install time (venv included) |")
    print("|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['mb']:.0f} MB | {r['packages']} | {r['seconds']:.0f} s |")


if __name__ == "__main__":
    main()
