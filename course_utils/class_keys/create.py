"""`class-keys create`: N keys `<prefix>-01`…, one guardrail for all of them, keys.csv and the slips.

Numbering continues after the prefix's highest existing key, so running the command again after a partial
failure makes the rest (`--count` the missing number) and appends them to the same keys.csv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from .. import text
from ..model_ids import CLASS_PROFILE, load_models
from . import costs, files
from .api import ManagementClient, ManagementError
from .terminal import confirm, progress, say

T = text.CLASS_KEYS
JST = timezone(timedelta(hours=9), "JST")  # the course's instructors give dates in Japan time
PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
GUARDRAIL_DESCRIPTION = "course_utils class-keys"
NO_TRAINING = {"enable_free_model_training": False, "enable_free_model_publication": False,
               "enable_paid_model_training": False}


@dataclass(frozen=True)
class Plan:
    """What `create` was asked for."""

    count: int
    limit: float
    reset: str | None
    expires: date | None
    prefix: str
    models: str | None  # "course", "id,id,...", or None (no model restriction)
    no_training: bool
    out: Path

    @property
    def expires_at(self) -> str | None:
        """The end of the expiry day in Japan time, as the UTC timestamp OpenRouter requires."""
        if self.expires is None:
            return None
        end = datetime.combine(self.expires, time(23, 59, 59), JST)
        return end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def expiry_shown(self) -> str:
        """The expiry as slips and the CSV show it ("" for none)."""
        return T["expiry_shown"].format(date=self.expires.isoformat()) if self.expires else ""


def plan_problem(plan: Plan, today: date) -> str | None:
    """Why the plan cannot run (Japanese), or None."""
    if not 1 <= plan.count <= 500:
        return T["bad_count"]
    if not plan.limit > 0:
        return T["bad_limit"]
    if plan.expires is not None and plan.expires < today:
        return T["bad_expires"].format(date=plan.expires.isoformat())
    if not PREFIX.fullmatch(plan.prefix):
        return T["bad_prefix"].format(prefix=plan.prefix)
    return files.out_dir_problem(plan.out)


def class_name(name: str) -> tuple[str, int] | None:
    """(prefix, N) of a class key's name `<prefix>-N`, else None."""
    head, _, tail = name.rpartition("-")
    return (head, int(tail)) if head and tail.isdigit() else None


def key_number(name: str, prefix: str) -> int | None:
    """N of a key named `<prefix>-N`, else None."""
    parsed = class_name(name)
    return parsed[1] if parsed and parsed[0] == prefix else None


def new_names(existing: list[str], prefix: str, count: int) -> list[str]:
    """The next `count` names after the prefix's highest existing number, zero-padded to 2 digits or more."""
    start = max((n for n in (key_number(name, prefix) for name in existing) if n is not None), default=0) + 1
    width = max(2, len(str(start + count - 1)))
    return [f"{prefix}-{n:0{width}d}" for n in range(start, start + count)]


def allowed_models(spec: str, known: set[str]) -> tuple[list[str], list[str]]:
    """(allowed ids, unknown ids) for `--models course` (the class profile's models) or `--models ID,ID`."""
    if spec == "course":
        wanted = list(dict.fromkeys(load_models(CLASS_PROFILE).as_dict().values()))
        return [m for m in wanted if m in known], []  # the document's retired model is no model to allow
    wanted = list(dict.fromkeys(part.strip() for part in spec.split(",") if part.strip()))
    return [m for m in wanted if m in known], [m for m in wanted if m not in known]


def describe(plan: Plan, models: list[str] | None) -> list[str]:
    """The Japanese summary of what would be created."""
    reset = T["reset_words"].get(plan.reset or "", T["reset_words"][""])
    lines = [T["plan"].format(count=plan.count, prefix=plan.prefix, limit=costs.usd(plan.limit),
                              reset=reset, expiry=plan.expiry_shown or T["no_expiry"], out=plan.out)]
    if models is not None or plan.no_training:
        shown = ", ".join(models) if models else T["any_model"]
        lines.append(T["plan_guardrail"].format(name=plan.prefix, models=shown))
    if plan.no_training:
        lines.append(T["plan_no_training"])
    return lines


def run(plan: Plan, client: ManagementClient | None, dry_run: bool, yes: bool, today: date) -> int:
    """The whole `create` command; returns the exit status."""
    problem = plan_problem(plan, today)
    if problem:
        say(problem)
        return 2
    models: list[str] | None = None
    catalogue, source = costs.catalogue()
    if plan.models:
        models, unknown = allowed_models(plan.models, {m["id"] for m in catalogue})
        if unknown or not models:
            say(T["unknown_models"].format(models=", ".join(unknown) or plan.models))
            return 2
    for line in describe(plan, models):
        say(line)
    if dry_run:
        rows = costs.lesson_costs(costs.recorded_calls(), costs.prices(catalogue))
        for line in costs.arithmetic(rows, plan.count, plan.limit, plan.reset, source):
            say(line)
        say(T["dry_run_done"])
        return 0
    assert client is not None  # the command line makes one whenever it is not a dry run
    if not confirm(T["confirm_create"].format(count=plan.count), yes):
        return 1
    try:
        return _create(plan, client, models)
    except ManagementError as exc:
        say(str(exc))
        return 1


def _guardrail(plan: Plan, client: ManagementClient, models: list[str] | None) -> dict | None:
    """The class's guardrail (named after the prefix; reused if it exists), or None when none was asked for."""
    if models is None and not plan.no_training:
        return None
    found = next((g for g in client.list_guardrails() if g.get("name") == plan.prefix), None)
    if found:
        say(T["guardrail_reused"].format(name=plan.prefix))
        return found
    body = {"name": plan.prefix, "description": GUARDRAIL_DESCRIPTION, "allowed_models": models}
    if plan.no_training:
        body.update(NO_TRAINING)
    return client.create_guardrail(body)


def _create(plan: Plan, client: ManagementClient, models: list[str] | None) -> int:
    existing = [k["name"] for k in client.list_keys()]
    names = new_names(existing, plan.prefix, plan.count)
    guardrail = _guardrail(plan, client, models)
    files.prepare_out_dir(plan.out)
    writer = files.KeyWriter(plan.out)
    made: list[str] = []  # hashes
    failure: tuple[str, str] | None = None
    try:
        for name in progress(names, len(names), T["progress_create"]):
            try:
                record, key = client.create_key(name, plan.limit, plan.reset, plan.expires_at)
            except ManagementError as exc:
                failure = (name, str(exc))
                break
            writer.add(files.Row(name, key, f"{plan.limit:g}", plan.reset or "", plan.expiry_shown))
            made.append(record["hash"])
    finally:
        writer.close()
        slips = files.write_slips(plan.out, files.read_rows(plan.out))
    status = 0
    if guardrail and made:
        try:
            client.assign_keys(guardrail["id"], made)
        except ManagementError as exc:
            say(T["assign_failed"].format(name=plan.prefix, error=exc))
            status = 1
    say(T["created"].format(count=len(made), csv=writer.path, slips=slips))
    if failure:
        name, error = failure
        say(T["partial"].format(done=len(made), total=plan.count, name=name, error=error,
                                rest=plan.count - len(made), prefix=plan.prefix))
        status = 1
    return status
