"""The shipped course itself passes the instructor's offline check (notebooks, recordings, catalogue)."""
from __future__ import annotations

from pathlib import Path

from course_utils import doctor

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_course_passes_offline_doctor(capsys):
    assert doctor.main([str(ROOT / "notebooks")], offline=True) == 0, capsys.readouterr().out
