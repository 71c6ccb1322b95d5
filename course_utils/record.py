"""`python -m course_utils record`: re-record notebooks live, then refresh their committed outputs.

Pass 1 runs a notebook in record mode (real calls, key from the environment or .env) and writes its
recording. Pass 2 runs it again in replay mode, with no key in the kernel's environment, and saves the
outputs into the notebook, so the committed outputs are exactly what a learner without a key sees and
nbval stays green right after a re-record.
"""
from __future__ import annotations

import contextlib
import difflib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import config, replay
from .keys import find_api_key

# Learner/instructor-facing text.
TEXT = {
    "no_key": "録音にはAPIキーが必要です。.env に OPENROUTER_API_KEY を設定してから、もう一度実行してください。",
    "no_notebooks": "録音するノートブックが見つかりません: {paths}",
    "recording": "録音中",
    "replaying": "出力を更新中",
    "failed": "{name}: 実行に失敗しました（{error}）。録音データは更新していません。",
    "unsafe": "{name}: 録音データにAPIキーらしき文字列があったため、書き込みを中止しました。",
    "unchanged": "{name}: 変化なし（{count} 件のやりとり）",
    "changed": "{name}: 追加 {added} 件・削除 {removed} 件・応答の変化 {changed} 件",
    "done": "完了: {ok} 冊を再収録しました（失敗 {failed} 冊）。",
}


@dataclass
class RecordingDiff:
    """What changed between the previous and the new recording of one notebook."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, str] = field(default_factory=dict)  # request label -> unified diff of the response body
    total: int = 0


def find_notebooks(paths: list[str]) -> list[Path]:
    """Notebooks named, or found in the folders named, in lesson order."""
    found: list[Path] = []
    for p in map(Path, paths):
        found += sorted(p.glob("[0-9][0-9]_*.ipynb")) if p.is_dir() else [p] if p.suffix == ".ipynb" else []
    return found


@contextlib.contextmanager
def _environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) environment variables; kernels started inside inherit them."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def execute(path: Path, on_cell=None, timeout: int = 300):
    """Run a notebook top to bottom in a fresh kernel (its folder as working directory); return it."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # old timestamps would only add noise to diffs
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    if on_cell is not None:
        client.on_cell_executed = lambda **kw: on_cell()
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
    return nb


def _merge_streams(outputs: list) -> list:
    """Join consecutive pieces of the same stream: nbclient sometimes splits one print into two."""
    merged: list = []
    for out in outputs:
        last = merged[-1] if merged else None
        if (last is not None and out.get("output_type") == "stream" and last.get("output_type") == "stream"
                and out.get("name") == last.get("name")):
            last["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def _interactions(path: Path) -> dict[str, str]:
    """Request label -> response body, for a recording file (empty if there is none)."""
    if not path.exists():
        return {}
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result: dict[str, str] = {}
    for item in data.get("interactions", []):
        req, resp = item["request"], item["response"]
        label = f"{req['method']} {req['uri'].split('/api/v1', 1)[-1]} {_request_summary(req.get('body'))}".strip()
        repeat, base = 2, label
        while label in result:  # requests differing only in other fields (max_tokens, stream…) stay apart
            label, repeat = f"{base} ({repeat})", repeat + 1
        body = resp.get("body", {}).get("string", "")
        result[label] = f"{resp['status']['code']}\n{body}"
    return result


def _request_summary(body: str | bytes | None) -> str:
    if not body:
        return ""
    try:
        data = json.loads(body)
    except ValueError:
        return ""
    prompt = replay._last_user_prompt(data) if isinstance(data, dict) else ""
    return f"[{data.get('model', '')}] {replay._shorten(prompt)}" if isinstance(data, dict) else ""


def diff_recordings(old: Path, new: Path) -> RecordingDiff:
    """Compare two recordings by request: added, removed, and responses that differ (readable diff)."""
    before, after = _interactions(old), _interactions(new)
    result = RecordingDiff(total=len(after))
    result.added = [k for k in after if k not in before]
    result.removed = [k for k in before if k not in after]
    for label in after.keys() & before.keys():
        if after[label] != before[label]:
            lines = difflib.unified_diff(before[label].splitlines(), after[label].splitlines(),
                                         "前回", "今回", lineterm="", n=1)
            result.changed[label] = "\n".join(list(lines)[:40])
    return result


def summarise(name: str, diff: RecordingDiff) -> str:
    """A short Japanese summary plus the readable diffs."""
    if not (diff.added or diff.removed or diff.changed):
        return TEXT["unchanged"].format(name=name, count=diff.total)
    lines = [TEXT["changed"].format(name=name, added=len(diff.added), removed=len(diff.removed),
                                    changed=len(diff.changed))]
    lines += [f"  + {label}" for label in diff.added]
    lines += [f"  - {label}" for label in diff.removed]
    for label, text in diff.changed.items():
        lines += [f"  ~ {label}", *("    " + line for line in text.splitlines())]
    return "\n".join(lines)


def record_notebook(path: Path, progress=None) -> str:
    """Record one notebook live, move the recording into place, refresh its outputs; return the summary."""
    import nbformat

    final = replay.recording_path(path.name)
    partial = replay.recording_path(path.name, in_progress=True)
    partial.unlink(missing_ok=True)
    tick = progress.update if progress is not None else None
    with _environment(**{config.MODE_VAR: "record", config.NOTEBOOK_VAR: path.stem}):
        execute(path, on_cell=(lambda: tick(1)) if tick else None)
    diff = RecordingDiff()
    if partial.exists():  # a notebook that makes no API call has nothing to record
        text = partial.read_text(encoding="utf-8")
        key = os.environ.get(config.KEY_VAR, "")
        if "sk-or-" in text or (key and key in text):
            partial.unlink()
            raise RuntimeError(TEXT["unsafe"].format(name=path.name))
        diff = diff_recordings(final, partial)
        partial.replace(final)
    # Pass 2: the committed outputs are those of a learner with no key (replay mode); the kernels must not
    # read the instructor's .env either, or its key status and base URL would land in the outputs.
    with _environment(**{config.MODE_VAR: "replay", config.KEY_VAR: None, config.BASE_URL_VAR: None,
                         config.NOTEBOOK_VAR: path.stem, config.REPLAY_PACE_VAR: "0", config.NO_DOTENV_VAR: "1"}):
        nb = execute(path, on_cell=(lambda: tick(1)) if tick else None)
    nbformat.write(nb, path)
    return summarise(path.name, diff)


def main(paths: list[str]) -> int:
    """Re-record the given notebooks (default: notebooks/); exit code 0 when all succeeded."""
    from tqdm.auto import tqdm

    if not find_api_key().usable:
        print(TEXT["no_key"])
        return 2
    notebooks = find_notebooks(paths or ["notebooks"])
    if not notebooks:
        print(TEXT["no_notebooks"].format(paths=" ".join(paths or ["notebooks"])))
        return 2
    import nbformat

    cells = sum(2 * sum(c.cell_type == "code" for c in nbformat.read(p, 4).cells) for p in notebooks)
    ok = failed = 0
    with tqdm(total=cells, desc=TEXT["recording"], unit="セル") as bar:
        for path in notebooks:
            bar.set_postfix_str(path.name)
            try:
                summary = record_notebook(path, bar)
                ok += 1
            except Exception as exc:  # report and go on with the next notebook
                summary = TEXT["failed"].format(name=path.name, error=str(exc).splitlines()[0][:200])
                replay.recording_path(path.name, in_progress=True).unlink(missing_ok=True)
                failed += 1
            bar.write(summary)
    print(TEXT["done"].format(ok=ok, failed=failed))
    return 0 if failed == 0 else 1
