"""`python -m course_utils doctor`: is the course ready to teach?

With a key (environment or .env) it checks OpenRouter live (`live`); without a key, or with `--offline`, what
replay mode needs (`offline`). Prints a Japanese report, never the key.
"""
from __future__ import annotations

import os

from .. import config
from ..keys import find_api_key, key_status_ja
from ..text import DOCTOR
from .live import SUGGESTIONS, costs_nothing, live_checks, suggest_replacements
from .offline import offline_checks
from .report import Finding, info, problem

__all__ = ["SUGGESTIONS", "Finding", "costs_nothing", "live_checks", "main", "offline_checks",
           "suggest_replacements"]


def main(paths: list[str], offline: bool = False) -> int:
    """Run the checks (live with a key, else offline), print the Japanese report; 1 if anything is wrong."""
    lookup = find_api_key()
    live = lookup.usable and not offline
    print(DOCTOR["title_live"].format(url=config.base_url()) if live else DOCTOR["title_offline"])
    if lookup.problem is not None and not offline:
        findings = [problem("key_malformed", message=lookup.problem.message)]
    elif live:
        findings = [info("key_found", status=key_status_ja(lookup)), *live_checks(os.environ[config.KEY_VAR])]
    else:
        findings = offline_checks(paths or ["notebooks"])
    if not offline:  # class keys (with OPENROUTER_MANAGEMENT_KEY): how many, disabled, near their limit, expiring
        from ..class_keys.report import doctor_lines

        findings += [Finding(level, message) for level, message in doctor_lines()]
    for finding in findings:
        print(finding.render())
    problems = sum(f.level == "problem" for f in findings)
    print(DOCTOR["summary_problems"].format(count=problems) if problems else DOCTOR["summary_ok"])
    return 1 if problems else 0
