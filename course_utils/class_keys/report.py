"""`class-keys usage`: a table of the class keys and a small text chart; `doctor_lines()` for doctor."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from .. import text
from ..text_width import pad, width
from .api import ManagementClient, ManagementError, management_key
from .costs import usd
from .create import JST, class_name
from .terminal import say

T = text.CLASS_KEYS
PERIOD_FIELD = {"daily": "usage_daily", "weekly": "usage_weekly", "monthly": "usage_monthly"}
NEAR_LIMIT = 0.8  # doctor: a key that used 80% of its limit is "near its limit"
SOON = timedelta(days=7)
BUCKETS = (0.25, 0.5, NEAR_LIMIT, 1.0)


def is_class_key(name: str, prefix: str | None = None) -> bool:
    """Whether `name` is `<prefix>-NN` (any prefix when None)."""
    parsed = class_name(name)
    return parsed is not None and prefix in (None, parsed[0])


def _expires(key: dict) -> datetime | None:
    value = key.get("expires_at")
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _state(key: dict, now: datetime) -> str:
    expires = _expires(key)
    if expires is not None and expires <= now:
        return T["state"]["expired"]
    return T["state"]["disabled" if key["disabled"] else "active"]


def _share(key: dict) -> float | None:
    """Usage of the current period / limit, or None without a limit."""
    if not key.get("limit"):
        return None
    return float(key[PERIOD_FIELD.get(key.get("limit_reset") or "", "usage")]) / float(key["limit"])


def _bucket(share: float) -> int:
    """Which of the chart's bars a key's share of its limit falls in: <25%, <50%, <80%, <100%, used up."""
    return next((i for i, bound in enumerate(BUCKETS) if share < bound), len(BUCKETS))


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def usage_lines(keys: list[dict], now: datetime) -> list[str]:
    """The usage table (today, this period, limit, remaining, state, expiry) and a bar per key."""
    rows = [list(T["usage_columns"])]
    for key in keys:
        period = T["period_words"].get(key.get("limit_reset") or "", T["period_words"][""])
        expires = _expires(key)
        rows.append([key["name"], usd(key["usage_daily"]),
                     T["period_usage"].format(
                         usage=usd(key[PERIOD_FIELD.get(key.get("limit_reset") or "", "usage")]), period=period),
                     usd(key["limit"]) if key.get("limit") is not None else T["no_limit"],
                     usd(key["limit_remaining"]) if key.get("limit_remaining") is not None else T["no_limit"],
                     _state(key, now),
                     expires.astimezone(JST).strftime("%Y-%m-%d %H:%M") if expires else T["no_expiry"]])
    lines = _table(rows) + ["", T["chart_title"]]
    shares = [_share(key) for key in keys]
    widest = max(width(label) for label in T["chart_buckets"])
    for i, label in enumerate(T["chart_buckets"]):
        count = sum(share is not None and _bucket(share) == i for share in shares)
        lines.append(f"{pad(label, widest)} {'█' * count} {count}")
    total = sum(float(key["usage_daily"]) for key in keys)
    lines.append(T["usage_total"].format(count=len(keys), today=usd(total)))
    return lines


def run(client: ManagementClient, prefix: str | None, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> int:
    """The `usage` command; returns the exit status."""
    try:
        keys = [k for k in client.list_keys() if is_class_key(k["name"], prefix)]
    except ManagementError as exc:
        say(str(exc))
        return 1
    if not keys:
        say(T["no_keys"].format(prefix=prefix or "*"))
        return 1
    keys.sort(key=lambda k: k["name"])
    for line in usage_lines(keys, now()):
        say(line)
    return 0


def summary_lines(keys: list[dict], now: datetime) -> list[str]:
    """One Japanese line per class (prefix): how many keys, disabled, near their limit, expiring, expired."""
    classes: dict[str, list[dict]] = {}
    for key in keys:
        if is_class_key(key["name"]):
            classes.setdefault(class_name(key["name"])[0], []).append(key)
    lines = []
    for prefix, members in sorted(classes.items()):
        expiry = [_expires(k) for k in members]
        lines.append(T["doctor_line"].format(
            prefix=prefix, count=len(members), disabled=sum(bool(k["disabled"]) for k in members),
            near=sum((_share(k) or 0) >= NEAR_LIMIT for k in members),
            soon=sum(e is not None and now < e <= now + SOON for e in expiry),
            expired=sum(e is not None and e <= now for e in expiry)))
    return lines or [T["doctor_none"]]


def doctor_lines() -> list[tuple[str, str]]:
    """For `doctor`: ("info", line) per class, or ("problem", why) when the Management API refused or failed;
    nothing when OPENROUTER_MANAGEMENT_KEY is not set. Calls the network (not for `doctor --offline`)."""
    key = management_key()
    if key is None:
        return []
    client = ManagementClient(key)
    try:
        return [("info", line) for line in summary_lines(client.list_keys(), datetime.now(UTC))]
    except ManagementError as exc:
        return [("problem", str(exc))]
    finally:
        client.close()
