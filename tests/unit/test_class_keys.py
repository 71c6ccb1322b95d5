"""`python -m course_utils class-keys` against FakeOpenRouter's Management API: what the instructor sees, what
the files hold, what OpenRouter was asked, and that no key shows anywhere but in DIR."""
from __future__ import annotations

import csv
import html
import io
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx2
import pytest
import yaml

from course_utils.__main__ import main
from course_utils.class_keys import costs
from course_utils.class_keys.api import MANAGEMENT_KEY_VAR
from course_utils.class_keys.report import doctor_lines, summary_lines
from course_utils.model_ids import CLASS_PROFILE, PROFILE_VAR, load_models
from fake_openrouter import REVOKED_KEY, FakeOpenRouter
from fake_openrouter.auth import MANAGEMENT_KEY

CLASS_FREE = load_models(CLASS_PROFILE).free
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
OTHER_MODEL = "meta-llama/llama-3.1-8b-instruct"  # in the catalogue, not a course model
PROMPT = "日本で一番高い山について、その標高と名前を教えてください。"


@pytest.fixture
def server() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter() as fake:
        yield fake


@pytest.fixture
def env(clean_env: Path, monkeypatch, server: FakeOpenRouter) -> Path:
    """The working directory (no git, no .env); the Management key set; the example server as OpenRouter."""
    monkeypatch.setenv("OPENROUTER_BASE_URL", server.base_url)
    monkeypatch.setenv(MANAGEMENT_KEY_VAR, MANAGEMENT_KEY)
    monkeypatch.setenv("COURSE_NO_DOTENV", "1")
    monkeypatch.delenv(PROFILE_VAR, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal unless a test provides one
    return clean_env


def create(out: Path, *extra: str, count: int = 3) -> int:
    return main(["class-keys", "create", "--count", str(count), "--limit", "1", "--reset", "daily",
                 "--expires", "2030-03-31", "--out", str(out), *extra])


def rows(out: Path) -> list[dict]:
    with open(out / "keys.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def chat(server: FakeOpenRouter, key: str, model: str) -> httpx2.Response:
    return httpx2.post(f"{server.base_url}/chat/completions", headers={"Authorization": f"Bearer {key}"},
                       json={"model": model, "messages": [{"role": "user", "content": PROMPT}]})


def own_key_info(server: FakeOpenRouter, key: str) -> httpx2.Response:
    return httpx2.get(f"{server.base_url}/key", headers={"Authorization": f"Bearer {key}"})


def test_round_trip_create_usage_disable_enable_delete(env: Path, server: FakeOpenRouter, capfd) -> None:
    out = env / "class-keys"
    assert create(out, "--models", "course", "--no-training", "--yes") == 0
    made = rows(out)
    assert [r["name"] for r in made] == ["class-01", "class-02", "class-03"]
    assert {(r["limit"], r["reset"], r["expiry"]) for r in made} == {("1", "daily", "2030-03-31 23:59（日本時間）まで")}
    records = {k["name"]: k for k in server.management.keys.values()}
    assert sorted(records) == ["class-01", "class-02", "class-03"]
    # 23:59 in Japan is 14:59 UTC; OpenRouter takes UTC only.
    assert {(k["limit"], k["limit_reset"], k["expires_at"]) for k in records.values()} == {
        (1, "daily", "2030-03-31T14:59:59Z")}
    (guardrail,) = server.management.guardrails.values()
    assert guardrail["name"] == "class"
    assert server.catalogue.get(CLASS_FREE)["canonical_slug"] in guardrail["allowed_models"]
    assert (guardrail["enable_free_model_training"], guardrail["enable_free_model_publication"],
            guardrail["enable_paid_model_training"]) == (False, False, False)
    assert set(server.management.assignments) == {k["hash"] for k in records.values()}
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert {stat.S_IMODE((out / name).stat().st_mode) for name in ("keys.csv", "slips.html")} == {0o600}

    # A student's key works for the class's model, not for others, and GET /key shows its own limit.
    student = made[1]["key"]
    assert chat(server, student, CLASS_FREE).status_code == 200
    assert chat(server, student, OTHER_MODEL).status_code == 403
    info = own_key_info(server, student).json()["data"]
    assert (info["limit"], info["limit_reset"]) == (1, "daily")
    assert info["usage"] > 0 and info["limit_remaining"] == pytest.approx(1 - info["usage"])

    capfd.readouterr()
    assert main(["class-keys", "usage", "--prefix", "class"]) == 0
    shown = capfd.readouterr().out
    used = f"${Decimal(str(info['usage'])):,.4f}"
    row = rf"class-02\s+{re.escape(used)}\s+{re.escape(used)}（今日）\s+\$1\.00\s+\S+\s+有効\s+2030-03-31 23:59"
    assert re.search(row, shown), shown
    assert re.search(r"25%未満\s+███ 3", shown), shown  # the chart: all three keys used less than a quarter

    assert main(["class-keys", "disable", "--prefix", "class"]) == 0
    assert own_key_info(server, student).status_code == 401
    assert chat(server, student, CLASS_FREE).status_code == 401
    capfd.readouterr()
    assert main(["class-keys", "usage"]) == 0
    assert len(re.findall(r"^class-0\d .* 無効 ", capfd.readouterr().out, re.M)) == 3
    assert main(["class-keys", "enable", "--prefix", "class"]) == 0
    assert own_key_info(server, student).status_code == 200

    assert main(["class-keys", "delete", "--prefix", "class", "--yes"]) == 0
    assert server.management.keys == {} and server.management.guardrails == {}
    assert own_key_info(server, student).status_code == 401
    assert chat(server, student, CLASS_FREE).status_code == 401

    # No key on the terminal, and none in any file outside DIR.
    captured = capfd.readouterr()
    keys = [r["key"] for r in made]
    terminal = captured.out + captured.err
    assert not any(key in terminal for key in keys)
    outside = [p for p in env.rglob("*") if p.is_file() and out not in p.parents]
    assert not any(key in p.read_text(encoding="utf-8", errors="replace") for p in outside for key in keys)


def test_csv_and_slips(env: Path) -> None:
    out = env / "keys"
    assert create(out, "--yes", count=2) == 0
    made = rows(out)
    assert list(made[0]) == ["name", "key", "limit", "reset", "expiry"]
    assert all(re.fullmatch(r"sk-or-v1-[0-9a-f]{64}", r["key"]) for r in made)
    slips = (out / "slips.html").read_text(encoding="utf-8")
    assert slips.count('<section class="slip">') == 2
    for r in made:
        assert f'<p class="key">{r["key"]}</p>' in slips and f"<strong>{r['name']}</strong>" in slips
    text = html.unescape(re.sub(r"<[^>]+>", "", slips))
    for words in ("あなた専用", "OPENROUTER_API_KEY=", "COURSE_PROFILE=class", "course_utils.setup()",
                  "course_utils.ask_api_key()",
                  "このキーで使える金額は 1 ドルまでです（毎日、日本時間の9時に0から数え直します）",
                  "有効期限: 2030-03-31 23:59（日本時間）まで"):
        assert words in text, words


def test_dry_run_shows_the_plan_and_the_arithmetic(env: Path, server: FakeOpenRouter, monkeypatch, capsys) -> None:
    monkeypatch.delenv(MANAGEMENT_KEY_VAR)  # a dry run needs no Management key
    # One price for every model the class uses: the expected total is then tokens × price.
    for model in set(load_models(CLASS_PROFILE).as_dict().values()):
        if server.catalogue.get(model):
            server.set_price(model, "0.000001", "0.000004")
    out = env / "keys"
    assert create(out, "--dry-run", "--models", "course", count=40) == 0
    shown = capsys.readouterr().out
    assert not out.exists() and server.management.keys == {}

    # Lesson 04's row, recomputed from its recording at the class model's text prices (lesson 09's image tokens
    # have their own price, so the total is not one formula).
    prompt = completion = calls = 0
    for item in yaml.safe_load((costs.RECORDINGS / "04_python_api.yaml").read_text(encoding="utf-8"))["interactions"]:
        if item["request"]["uri"].endswith("/chat/completions"):
            calls += 1
            body = item["response"]["body"]["string"]
            found = re.findall(r'"prompt_tokens":(\d+),"completion_tokens":(\d+)', body)
            if found and item["response"]["status"]["code"] == 200:
                prompt, completion = prompt + int(found[-1][0]), completion + int(found[-1][1])
    lesson = Decimal("0.000001") * prompt + Decimal("0.000004") * completion
    row = f"04_python_api ｜ {calls}回 ｜ {prompt} / {completion} ｜ {costs.usd(lesson)} ｜ {costs.usd(lesson * 40)}"
    assert row in shown, shown
    one = Decimal(re.search(r"合計 ｜ \d+回 ｜ ｜ \$([0-9.]+) ｜", shown).group(1))
    assert f"上限まで約 {int(1 / one)} 周分" in shown
    assert "40人 × 上限 $1.00 ＝ $40.00" in shown
    assert f"「無料」の役のモデルは {CLASS_FREE} で計算" in shown


def test_a_lesson_is_priced_as_the_class_model_of_its_role() -> None:
    default = load_models()
    table = {CLASS_FREE: (Decimal("0.000002"), Decimal("0.00001")), default.free: (Decimal(0), Decimal(0))}
    (row,) = costs.lesson_costs([costs.RecordedCall("04", default.free, 100, 300)], table)
    assert (row.calls, row.usd) == (1, Decimal("0.000002") * 100 + Decimal("0.00001") * 300)


def test_partial_failure_keeps_the_keys_made_and_the_rerun_continues(env: Path, server: FakeOpenRouter,
                                                                     capsys) -> None:
    out = env / "keys"
    server.management.fail_create(3)
    assert create(out, "--yes", count=5) == 1
    shown = capsys.readouterr().out
    assert "5本のうち 2本を作成したところで、class-03 の作成に失敗しました" in shown
    assert "--count 3" in shown
    assert [r["name"] for r in rows(out)] == ["class-01", "class-02"]
    assert create(out, "--yes", count=3) == 0
    assert [r["name"] for r in rows(out)] == [f"class-0{n}" for n in range(1, 6)]
    assert (out / "slips.html").read_text(encoding="utf-8").count('<section class="slip">') == 5
    assert len({r["key"] for r in rows(out)}) == 5


@pytest.mark.parametrize(("key", "expected"), [
    ("ordinary", "ふつうのAPIキー（Keys ページで作るキー）のようです"),
    (REVOKED_KEY, "Management キーが受け付けられませんでした（401: User not found.）"),
])
def test_401_and_403_are_explained(env: Path, monkeypatch, capsys, fake_key: str, key: str, expected: str) -> None:
    monkeypatch.setenv(MANAGEMENT_KEY_VAR, fake_key if key == "ordinary" else key)
    assert main(["class-keys", "usage"]) == 1
    assert expected in capsys.readouterr().out
    out = env / "keys"
    assert create(out, "--yes") == 1
    assert expected in capsys.readouterr().out
    assert not out.exists()


def test_create_and_delete_ask_first(env: Path, server: FakeOpenRouter, monkeypatch, capsys) -> None:
    out = env / "keys"
    assert create(out) == 1  # no terminal, no --yes
    assert "--yes を付けて実行してください" in capsys.readouterr().out
    assert server.management.keys == {}

    answers = iter(["n", "y", "y"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert create(out) == 1 and server.management.keys == {}
    assert create(out) == 0 and len(server.management.keys) == 3
    assert main(["class-keys", "delete", "--prefix", "class"]) == 0 and server.management.keys == {}


def test_dir_inside_a_git_work_tree_must_be_ignored(env: Path, capsys) -> None:
    subprocess.run(["git", "init", "-q", str(env)], check=True)
    assert create(env / "keys", "--dry-run") == 2
    assert ".gitignore で除外されていません" in capsys.readouterr().out
    (env / ".gitignore").write_text("keys/\n", encoding="utf-8")
    assert create(env / "keys", "--dry-run") == 0


def test_management_key_from_dotenv_is_read_not_applied(env: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv(MANAGEMENT_KEY_VAR)
    monkeypatch.delenv("COURSE_NO_DOTENV")
    (env / ".env").write_text(f"# 講師用\n{MANAGEMENT_KEY_VAR}={MANAGEMENT_KEY}\n", encoding="utf-8")
    assert create(env / "keys", "--yes", count=1) == 0
    assert MANAGEMENT_KEY_VAR not in os.environ
    (env / ".env").unlink()
    assert main(["class-keys", "usage"]) == 2
    assert "Management キーが設定されていません" in capsys.readouterr().out


def test_summary_for_doctor() -> None:
    keys = [{"name": "a-01", "disabled": True, "limit": 1, "limit_reset": None, "usage": 0.9, "expires_at": None},
            {"name": "a-02", "disabled": False, "limit": 1, "limit_reset": None, "usage": 0.1,
             "expires_at": "2026-12-03T00:00:00Z"},
            {"name": "personal", "disabled": False, "limit": None, "usage": 5, "expires_at": None}]
    from datetime import UTC, datetime

    (line,) = summary_lines(keys, datetime(2026, 12, 1, tzinfo=UTC))
    assert line == "クラスキー「a」: 2本（無効 1本、上限の8割以上を使用 1本、7日以内に期限切れ 1本、期限切れ 0本）"


def test_doctor_lines_against_the_server(env: Path, monkeypatch, fake_key: str) -> None:
    assert create(env / "keys", "--yes", count=2) == 0
    assert main(["class-keys", "disable", "--prefix", "class"]) == 0
    assert doctor_lines() == [("info", "クラスキー「class」: 2本（無効 2本、上限の8割以上を使用 0本、"
                                       "7日以内に期限切れ 0本、期限切れ 0本）")]
    monkeypatch.setenv(MANAGEMENT_KEY_VAR, fake_key)
    ((level, message),) = doctor_lines()
    assert level == "problem" and "ふつうのAPIキー" in message
    monkeypatch.delenv(MANAGEMENT_KEY_VAR)
    assert doctor_lines() == []


def test_doctor_reports_the_class_keys(env: Path, capsys) -> None:
    """`python -m course_utils doctor` with a Management key lists the class keys; `--offline` does not call it."""
    assert create(env / "keys", "--yes", count=2) == 0
    capsys.readouterr()
    assert main(["doctor", str(NOTEBOOKS)]) in (0, 1)
    assert "クラスキー「class」: 2本" in capsys.readouterr().out
    main(["doctor", "--offline", str(NOTEBOOKS)])
    assert "クラスキー" not in capsys.readouterr().out


def test_dry_run_prices_from_the_recorded_catalogue_when_openrouter_is_unreachable(env: Path, monkeypatch,
                                                                                    capsys) -> None:
    monkeypatch.setenv("OPENROUTER_BASE_URL", "http://127.0.0.1:9/api/v1")  # the discard port: nothing listens
    assert create(env / "keys", "--dry-run", "--models", "course", count=10) == 0
    shown = capsys.readouterr().out
    assert "料金は収録したモデル一覧（2026-08-19 時点）の値" in shown
    assert re.search(r"合計 ｜ \d+回 ｜ ｜ \$0\.0\d*[1-9]\d* ｜ ", shown), shown  # priced, not zero
