"""`python3 course.py`, the README's command to open the course: Ctrl+C twice closes JupyterLab kindly."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.jupyter_server import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60

pytestmark = pytest.mark.skipif(os.name == "nt", reason="sends SIGINT to a process group")


def test_ctrl_c_twice_closes_jupyterlab_with_a_japanese_goodbye(tmp_path):
    if not (ROOT / ".venv").exists():
        pytest.skip("course.py manages .venv; run the suite through `python3 course.py test`")
    port, token = free_port(), os.urandom(8).hex()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    process = subprocess.Popen(
        [sys.executable, "course.py", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert wait_until_serving(f"http://127.0.0.1:{port}", token, process, START_SECONDS), "JupyterLab did not start"
        # Ctrl+C in a terminal reaches every process of the foreground group: the launcher and JupyterLab.
        for _ in range(2):
            os.killpg(process.pid, signal.SIGINT)
            time.sleep(0.5)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert "JupyterLab を終了しました" in out
    assert "Traceback" not in out and "KeyboardInterrupt" not in out
