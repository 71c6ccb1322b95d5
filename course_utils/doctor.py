"""`python -m course_utils doctor`: is the course ready to teach?

With a key (environment or .env) it checks OpenRouter live: reachable, key valid (limits and remaining
credit), and every course model still listed and, for the free roles, still free; for a model that has gone
it suggests replacements from the live catalogue. Without a key (or with `--offline`) it checks what
replay mode needs: notebooks valid and executed, a recording for every notebook that calls the API, the
course models in the recorded catalogue, and no key material in any recording. Never prints the key.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import catalog, config, replay
from .keys import find_api_key, key_status_ja
from .models import MODELS
from .record import find_notebooks

# Roles whose model must cost nothing; `document` is the course document's model, retired on purpose.
FREE_ROLES = ("free", "small_free", "large_free")
RETIRED_ROLE = "document"
TIMEOUT_SECONDS = 10.0  # per request, one retry: the live check stays well under a minute
SUGGESTIONS = 3
# Models that classify or embed text rather than answer it (content-safety checkers, guards, embeddings).
_NOT_FOR_CHAT = re.compile(r"guard|safety|moderation|embed|rerank", re.IGNORECASE)

# A notebook whose code matches this calls the API (directly or through course_utils) and needs a recording.
_API_CALL = re.compile(r"\bclient\.|chat\.completions|\bcatalog\.|\bwidgets\.")
# Recordings are scrubbed on write, so any of these left in one is key material.
_RECORDING_SECRET = re.compile(r"sk-or-|Bearer\s+(?!\[REDACTED\])\S|authorization:", re.IGNORECASE)
# Notebooks may mention the prefix in prose; only a whole key is a leak there.
_NOTEBOOK_SECRET = re.compile(r"sk-or-v1-[0-9a-f]{64}")

# Instructor-facing text.
TEXT = {
    "title_live": "講座の点検（ライブ: {url}）",
    "title_offline": "講座の点検（オフライン: 再生モードの準備）",
    "ok": "[OK]   ",
    "problem": "[問題] ",
    "info": "[情報] ",
    "key_found": "APIキー: {status}",
    "key_malformed": "APIキーの形式に問題があります: {message}",
    "reachable": "OpenRouter に接続できました（モデル {count} 件）。",
    "unreachable": "OpenRouter（{url}）に接続できません: {error}。ネットワーク・プロキシ（OPENROUTER_BASE_URL）を確認して"
                   "ください。授業は再生モード（COURSE_MODE=replay）で行えます。",
    "key_valid": "APIキーは有効です。",
    "key_invalid": "APIキーが受け付けられませんでした（{status}）。https://openrouter.ai/settings/keys で確認し、"
                   "新しいキーを .env に設定してください。",
    "key_error": "キーの情報（GET /key）を取得できませんでした: {error}",
    "limit": "キーの利用上限: {limit}（残り {remaining}、リセット: {reset}）",
    "usage": "これまでの使用額: ${usage}（今日 ${daily}）",
    "free_requests": "無料モデルの今日の利用: {used} 回 / 上限 {limit} 回（残り {remaining} 回）",
    "free_tier": "このアカウントはクレジット未購入のため、無料モデルは1日50回までです（10クレジット以上購入で1000回）。",
    "unlimited": "なし",
    "unknown": "不明",
    "model_ok": "{role}: {model}（コンテキスト長 {context}）",
    "model_ok_free": "{role}: {model}（無料、コンテキスト長 {context}）",
    "model_gone": "{role}: {model} がカタログにありません（退役した可能性があります）。",
    "model_not_free": "{role}: {model} が無料ではなくなりました（入力 ${input}/1M・出力 ${output}/1M）。",
    "document_retired": "{role}: {model} は配布資料のモデルで、意図的に退役済みとして扱っています（04回でエラーを確かめる教材）。",
    "document_back": "{role}: {model} がカタログに戻っています。04回の「退役したモデル」の説明を見直してください。",
    "suggest": "    候補（同じ開発元の無料モデル、コンテキスト長が近い順）: {ids}",
    "suggest_other": "    同じ開発元に無料モデルがありません。ほかの開発元の候補: {ids}",
    "suggest_none": "    代わりになる無料モデルが見つかりません。",
    "fix_model": "    直し方: course_utils/course_models.toml の {role} の行を書き換え、"
                 "python -m course_utils record notebooks/ で再収録してください。",
    "no_notebooks": "ノートブックが見つかりません: {paths}",
    "notebook_invalid": "{name}: ノートブックの形式が正しくありません（nbformat）: {error}",
    "notebook_unexecuted": "{name}: 出力が保存されていないセルがあります（{count} 個）。"
                           "python -m course_utils record notebooks/ で出力を更新してください。",
    "notebook_ok": "{name}: 形式・出力 OK",
    "notebook_key": "{name}: ノートブックにAPIキーが含まれています。すぐにキーを無効化し、そのセルと出力を消してください。",
    "recording_missing": "{name}: APIを呼び出すのに、収録データ {recording} がありません。"
                         "python -m course_utils record notebooks/{name} で収録してください。",
    "recording_ok": "{name}: 収録データ {recording} あり",
    "recording_not_needed": "{name}: APIを呼び出さないため、収録データは不要です",
    "recording_key": "{recording}: 収録データにAPIキーらしき文字列（{what}）があります。このファイルを消してキーを無効化し、"
                     "再収録してください。",
    "recordings_clean": "収録データ {count} 件にAPIキーらしき文字列はありません。",
    "catalogue_empty": "収録データにモデル一覧（GET /models）がありません。"
                       "モデル一覧を使うノートブックを python -m course_utils record で収録してください。",
    "catalogue_missing": "{role}: {model} が収録済みのモデル一覧にありません。再生モードで使えません。",
    "catalogue_ok": "{role}: {model} は収録済みのモデル一覧にあります",
    "summary_ok": "問題はありません。",
    "summary_problems": "問題が {count} 件あります。",
}


@dataclass(frozen=True)
class Finding:
    """One line of the report: `level` is "ok", "problem" or "info"; `more` are indented follow-up lines."""

    level: str
    message: str
    more: tuple[str, ...] = field(default=())

    def render(self) -> str:
        return "\n".join([TEXT[self.level] + self.message, *self.more])


def _ok(key: str, **values: Any) -> Finding:
    return Finding("ok", TEXT[key].format(**values))


def _problem(key: str, *more: str, **values: Any) -> Finding:
    return Finding("problem", TEXT[key].format(**values), more)


def _info(key: str, **values: Any) -> Finding:
    return Finding("info", TEXT[key].format(**values))


def _course_models() -> dict[str, str]:
    """Role -> model id of every model the course must still have (all but the retired document model)."""
    return {role: model for role, model in MODELS.as_dict().items() if role != RETIRED_ROLE}


# -- offline ----------------------------------------------------------------------------------------

def check_notebook(path: Path) -> list[Finding]:
    """Valid nbformat, every code cell executed, no key inside, and a recording if it calls the API."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # unreadable JSON and schema errors alike: report, go on with the next
        return [_problem("notebook_invalid", name=path.name, error=str(exc).splitlines()[0][:200])]
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    findings = []
    unexecuted = sum(c.get("execution_count") is None for c in code)
    if _NOTEBOOK_SECRET.search(path.read_text(encoding="utf-8")):
        findings.append(_problem("notebook_key", name=path.name))
    elif unexecuted:
        findings.append(_problem("notebook_unexecuted", name=path.name, count=unexecuted))
    else:
        findings.append(_ok("notebook_ok", name=path.name))
    recording = replay.recording_path(path.name)
    names = {"name": path.name, "recording": recording.name}
    if not any(_API_CALL.search(c.source) for c in code):
        findings.append(_info("recording_not_needed", **names))
    elif recording.exists():
        findings.append(_ok("recording_ok", **names))
    else:
        findings.append(_problem("recording_missing", **names))
    return findings


def check_recordings() -> list[Finding]:
    """No recording holds key material (they are scrubbed on write; this catches hand edits and old files)."""
    files = [f for f in sorted(config.recordings_dir().glob("*.yaml"))
             if not f.name.endswith(replay.IN_PROGRESS_SUFFIX)]  # being written by `record`, checked there
    findings = []
    for f in files:
        hit = _RECORDING_SECRET.search(f.read_text(encoding="utf-8"))
        if hit:
            # Name only the kind of match, never the matched text.
            findings.append(_problem("recording_key", recording=f.name, what=hit.group(0)[:6] + "…"))
    return findings or [_ok("recordings_clean", count=len(files))]


def check_recorded_catalogue() -> list[Finding]:
    """Every course model (but the retired one) is in the catalogue the recordings replay."""
    ids = {m["id"] for m in catalog._recorded_catalogue()}
    if not ids:
        return [_problem("catalogue_empty")]
    findings = [_ok("catalogue_ok", role=role, model=model) if model in ids
                else _problem("catalogue_missing", role=role, model=model)
                for role, model in _course_models().items()]
    return findings + [_info("document_retired", role=RETIRED_ROLE, model=MODELS.document)]


def offline_checks(paths: list[str]) -> list[Finding]:
    """Everything replay mode needs, with no key and no network."""
    notebooks = find_notebooks(paths)
    findings = [] if notebooks else [_problem("no_notebooks", paths=" ".join(paths))]
    for path in notebooks:
        findings += check_notebook(path)
    return findings + check_recordings() + check_recorded_catalogue()


# -- live -------------------------------------------------------------------------------------------

def _client(key: str):
    from openai import OpenAI

    return OpenAI(base_url=config.base_url(), api_key=key, timeout=TIMEOUT_SECONDS, max_retries=1)


def _data(client, path: str) -> Any:
    body = client.get(path, cast_to=object)
    return body.get("data") if isinstance(body, dict) else body


def _money(value: float | None) -> str:
    return TEXT["unknown"] if value is None else f"{value:,.4f}".rstrip("0").rstrip(".")


def check_key(client) -> list[Finding]:
    """GET /key: valid or not; limits, remaining credit and the free-model daily counter. Never the label."""
    import openai

    try:
        data = _data(client, "/key") or {}
    except openai.AuthenticationError as exc:
        return [_problem("key_invalid", status=exc.status_code)]
    except openai.OpenAIError as exc:
        return [_problem("key_error", error=type(exc).__name__)]
    limit = data.get("limit")
    findings = [
        _ok("key_valid"),
        _info("limit", limit=TEXT["unlimited"] if limit is None else f"${_money(limit)}",
              remaining=TEXT["unlimited"] if data.get("limit_remaining") is None
              else f"${_money(data['limit_remaining'])}", reset=data.get("limit_reset") or TEXT["unlimited"]),
        _info("usage", usage=_money(data.get("usage")), daily=_money(data.get("usage_daily"))),
    ]
    daily = data.get("free_model_daily_requests")
    if isinstance(daily, dict):
        findings.append(_info("free_requests", **{k: daily.get(k, TEXT["unknown"])
                                                  for k in ("used", "limit", "remaining")}))
    if data.get("is_free_tier"):
        findings.append(_info("free_tier"))
    return findings


def _costs_nothing(model: dict) -> bool:
    # Price, not the `:free` suffix: a free variant that starts charging keeps its id.
    pricing = model.get("pricing") or {}
    return catalog.price_per_million(pricing.get("prompt")) == 0 \
        and catalog.price_per_million(pricing.get("completion")) == 0


def _chat_model(model: dict) -> bool:
    # Text in, text out, not a router (openrouter/…) and not a classifier: something a lesson can chat with.
    architecture = model.get("architecture") or {}
    text_only_out = architecture.get("output_modalities", ["text"]) == ["text"]
    text_in = "text" in architecture.get("input_modalities", ["text"])
    return (catalog.maker_of(model["id"]) != "openrouter" and text_only_out and text_in
            and not _NOT_FOR_CHAT.search(model["id"]))


def suggest_replacements(model_id: str, models: list[dict]) -> list[str]:
    """Free models from the live catalogue: same maker first, closest context length to the one replaced."""
    entry = next((m for m in models if m["id"] == model_id), None)
    target = (entry or {}).get("context_length") or catalog.context_length(model_id) or 0
    candidates = [m for m in models if m["id"] != model_id and _costs_nothing(m) and _chat_model(m)]

    def closest(pool: list[dict]) -> list[str]:
        rows = catalog.models_table(pool, sort="id")
        return [r.id for r in sorted(rows, key=lambda r: abs((r.context_length or 0) - target))][:SUGGESTIONS]

    maker = catalog.maker_of(model_id)
    return closest([m for m in candidates if catalog.maker_of(m["id"]) == maker]) or closest(candidates)


def _replacement_lines(role: str, model_id: str, models: list[dict]) -> tuple[str, ...]:
    ids = suggest_replacements(model_id, models)
    same_maker = bool(ids) and catalog.maker_of(ids[0]) == catalog.maker_of(model_id)
    line = (TEXT["suggest"] if same_maker else TEXT["suggest_other"]).format(ids=", ".join(ids)) if ids \
        else TEXT["suggest_none"]
    return line, TEXT["fix_model"].format(role=role)


def check_models(models: list[dict]) -> list[Finding]:
    """Every course model still listed; free roles still free; the document's model reported as retired."""
    by_id = {m["id"]: m for m in models}
    findings = []
    for role, model_id in _course_models().items():
        entry = by_id.get(model_id)
        if entry is None:
            findings.append(_problem("model_gone", *_replacement_lines(role, model_id, models),
                                     role=role, model=model_id))
        elif role in FREE_ROLES and not _costs_nothing(entry):
            row = catalog.models_table([entry])[0]
            findings.append(_problem("model_not_free", *_replacement_lines(role, model_id, models),
                                     role=role, model=model_id, input=_money(row.input_per_m),
                                     output=_money(row.output_per_m)))
        else:
            context = f"{entry.get('context_length') or 0:,}"
            findings.append(_ok("model_ok_free" if role in FREE_ROLES else "model_ok",
                                role=role, model=model_id, context=context))
    back = MODELS.document in by_id
    findings.append(_info("document_back" if back else "document_retired", role=RETIRED_ROLE,
                          model=MODELS.document))
    return findings


def live_checks(key: str) -> list[Finding]:
    """Reachability (GET /models), the key (GET /key) and the course models against the live catalogue."""
    import openai

    client = _client(key)
    try:
        models = list(_data(client, "/models") or [])
    except openai.OpenAIError as exc:
        return [_problem("unreachable", url=config.base_url(), error=type(exc).__name__)]
    return [_ok("reachable", count=len(models)), *check_key(client), *check_models(models)]


# -- command ----------------------------------------------------------------------------------------

def main(paths: list[str], offline: bool = False) -> int:
    """Run the checks (live with a key, else offline), print the Japanese report; 1 if anything is wrong."""
    lookup = find_api_key()
    live = lookup.usable and not offline
    print(TEXT["title_live"].format(url=config.base_url()) if live else TEXT["title_offline"])
    if lookup.problem is not None and not offline:
        findings = [_problem("key_malformed", message=lookup.problem.message)]
    elif live:
        findings = [_info("key_found", status=key_status_ja(lookup)), *live_checks(os.environ[config.KEY_VAR])]
    else:
        findings = offline_checks(paths or ["notebooks"])
    for finding in findings:
        print(finding.render())
    problems = sum(f.level == "problem" for f in findings)
    print(TEXT["summary_problems"].format(count=problems) if problems else TEXT["summary_ok"])
    return 1 if problems else 0
