"""Run every benchmark and write bench/RESULTS.md: `python bench/run.py` (see bench/README.md)."""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))  # fake_openrouter lives at the repo root

import calls  # noqa: E402
import catalogue  # noqa: E402
import startup  # noqa: E402
import whole_course  # noqa: E402
from common import ROOT, Result  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BROWSER = Path(__file__).resolve().parent / "browser_open.json"  # written by tests/e2e/test_browser.py
ANALYSIS_MARK = "<!-- analysis: written by hand below this line; bench/run.py keeps it -->"
PACKAGES = ("openai", "httpx2", "vcrpy", "ipykernel", "jupyter_client", "nbclient", "ipywidgets", "pydantic")


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "chunks":
        return f"{value:.0f} {unit}"
    return f"{value:.2f}×" if unit == "×" else f"{value:.2f} {unit}"


def _row(result: Result) -> str:
    met = {True: "yes", False: "**NO**", None: "—"}[result.met]
    goal = "—" if result.goal is None else "≤ " + _format(result.goal, result.unit)
    ratio = "—" if result.ratio is None else f"{result.ratio:.2f}"
    return (f"| {result.name} | {_format(result.measured, result.unit)} | {goal} | {ratio} | {met} "
            f"| {result.detail} |")


def _machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return [f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit `{commit}` (plus the working tree)",
            f"- Machine: {platform.platform()}; {os.cpu_count()} CPUs ({cpu}); load average "
            f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} at the end",
            f"- Python {platform.python_version()} ({sys.executable}); course_utils bytecode compiled first"
            f" (PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', 'unset')} here)",
            "- Packages: " + ", ".join(f"{name} {version(name)}" for name in PACKAGES)]


def _browser() -> tuple[list[Result], list[str]]:
    """Opening lesson 04 in JupyterLab, as tests/e2e/test_browser.py last measured it (COURSE_BENCH_OUT)."""
    if not BROWSER.exists():
        command = f"COURSE_BENCH_OUT={BROWSER.relative_to(ROOT)} pytest tests/e2e/test_browser.py"
        return [], [f"Not measured: run `{command}`."]
    found = json.loads(BROWSER.read_text(encoding="utf-8"))
    day = datetime.fromtimestamp(BROWSER.stat().st_mtime, UTC)
    detail = (f"`{found['lesson']}` in a fresh headless Chromium, kernel idle after {found['kernel_idle_s']:.1f} s; "
              f"tests/e2e/test_browser.py, {day:%Y-%m-%d %H:%M} UTC (one run, not from this command)")
    return [Result("Opening a lesson in JupyterLab until the setup banner shows (reference)",
                   found["setup_banner_s"], None, "s", detail)], []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="fresh kernels / course executions per measurement")
    parser.add_argument("--course-runs", type=int, default=3, help="executions of the whole course and its floor")
    parser.add_argument("--repeat", type=int, default=200, help="calls per per-call measurement")
    args = parser.parse_args()
    # A learner's Python caches the course's bytecode after the first run; a machine with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile course_utils from source in every kernel.
    compileall.compile_dir(ROOT / "course_utils", quiet=1)
    started = time.perf_counter()
    sections: list[tuple[str, list[Result], list[str]]] = []
    for title, bench, count in (("Catalogue", catalogue.run, args.repeat),
                                ("Replay", calls.run_replay, args.repeat),
                                ("Live overhead", calls.run_live, args.repeat),
                                ("Start-up", startup.run, args.runs),
                                ("Whole course", whole_course.run, args.course_runs),
                                ("Browser", lambda _: _browser(), 0)):
        print(f"{title} …", flush=True)
        results, notes = bench(count)
        sections.append((title, results, notes))
        for result in results:
            print("  " + _row(result), flush=True)
    lines = ["# Benchmark results", "",
             f"Written by `python bench/run.py --runs {args.runs} --course-runs {args.course_runs} "
             f"--repeat {args.repeat}` "
             f"in {time.perf_counter() - started:.0f} s. Every figure is a median (the whole course: a sum of "
             "per-notebook medians); **NO** marks a missed goal.", "",
             "| benchmark | measured | goal | ratio to goal | met | detail |", "|---|---|---|---|---|---|"]
    lines += [_row(result) for _, results, _ in sections for result in results]
    for title, _, notes in sections:
        if notes:
            lines += ["", f"## {title}", "", *notes]
    lines += ["", "## Environment", "", *_machine(), "", ANALYSIS_MARK]
    previous = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    analysis = previous.split(ANALYSIS_MARK, 1)[1] if ANALYSIS_MARK in previous else "\n"
    RESULTS.write_text("\n".join(lines) + analysis, encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
