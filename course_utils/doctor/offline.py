"""The offline half of `doctor`: what replay mode needs, with no key and no network.

Notebooks valid and executed, a recording for every notebook that calls the API, no key in any notebook or
recording (redact's patterns, streamed responses reassembled), the course models in the recorded catalogue.
"""
from __future__ import annotations

import re
from pathlib import Path

from .. import catalog, config, replay
from ..model_ids import MODELS
from ..record import check, find_notebooks
from ..text import DOCTOR
from .report import RETIRED_ROLE, Finding, course_models, info, ok, problem

# A notebook whose code matches this calls the API (directly or through course_utils) and needs a recording.
_API_CALL = re.compile(r"\bclient\.|chat\.completions|\bcatalog\.|\bwidgets\.")
_ERROR_CHARS = 200  # of a parse error shown in the report


def check_notebook(path: Path) -> list[Finding]:
    """Valid nbformat, every code cell executed, no key inside, and a recording if it calls the API."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # unreadable JSON and schema errors alike: report, go on with the next
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        return [problem("notebook_invalid", name=path.name, error=lines[0][:_ERROR_CHARS])]
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    unexecuted = sum(c.get("execution_count") is None for c in code)
    leaks = [(cells, DOCTOR[part]) for cells, part in ((check.key_cells(nb), "part_source"),
                                                       (check.key_outputs(nb), "part_output")) if cells]
    if leaks:
        findings = [problem("notebook_key", name=path.name, part=part,
                            cells=DOCTOR["cell_separator"].join(map(str, cells))) for cells, part in leaks]
    elif unexecuted:
        findings = [problem("notebook_unexecuted", name=path.name, count=unexecuted)]
    else:
        findings = [ok("notebook_ok", name=path.name)]
    recording = replay.recording_path(path.name)
    names = {"name": path.name, "recording": recording.name}
    if not any(_API_CALL.search(c.source) for c in code):
        findings.append(info("recording_not_needed", **names))
    elif recording.exists():
        findings.append(ok("recording_ok", **names))
    else:
        findings.append(problem("recording_missing", **names))
    return findings


def check_recordings() -> list[Finding]:
    """No recording holds key material (they are scrubbed on write; this catches hand edits and old files)."""
    files = replay.recording_files(config.recordings_dir())  # one being written by `record` is checked there
    findings = []
    for f in files:
        leaks = check.recording_leaks(f.read_text(encoding="utf-8"))
        if leaks:  # where, never the matched text
            findings.append(problem("recording_key", recording=f.name, where=DOCTOR["cell_separator"].join(leaks)))
    return findings or [ok("recordings_clean", count=len(files))]


def check_recorded_catalogue() -> list[Finding]:
    """Every course model (but the retired one) is in the catalogue the recordings replay."""
    ids = {m["id"] for m in catalog.recorded_catalogue()}
    if not ids:
        return [problem("catalogue_empty")]
    findings = [ok("catalogue_ok", role=role, model=model) if model in ids
                else problem("catalogue_missing", role=role, model=model)
                for role, model in course_models().items()]
    return findings + [info("document_retired", role=RETIRED_ROLE, model=MODELS.document)]


def offline_checks(paths: list[str]) -> list[Finding]:
    """Everything replay mode needs, with no key and no network."""
    notebooks = find_notebooks(paths)
    findings = [] if notebooks else [problem("no_notebooks", paths=" ".join(paths))]
    for path in notebooks:
        findings += check_notebook(path)
    return findings + check_recordings() + check_recorded_catalogue()
