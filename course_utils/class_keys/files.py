"""DIR/keys.csv and DIR/slips.html: where created keys go, readable by the owner only.

DIR is refused inside a git work tree unless git ignores both files (a key must never be committed). The CSV
gets one row right after each key is made (appended, never rewritten), so an interrupted or partly failed
run still holds every key it made; the slips are rebuilt from the whole CSV.
"""
from __future__ import annotations

import csv
import html
import io
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .. import text

T = text.CLASS_KEYS
CSV_NAME = "keys.csv"
SLIPS_NAME = "slips.html"
COLUMNS = ("name", "key", "limit", "reset", "expiry")
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700
# A4 pages, one slip each; the Japanese words come from text.CLASS_KEYS.
PAGE = """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; margin: 0; line-height: 1.6; }}
.slip {{ padding: 12mm; break-after: page; page-break-after: always; }}
.slip:last-child {{ break-after: auto; page-break-after: auto; }}
.key {{ font-family: monospace; font-size: 14pt; border: 1px solid #000; padding: 3mm; word-break: break-all; }}
h1 {{ font-size: 16pt; }} h2 {{ font-size: 13pt; }}
</style></head><body>
{slips}
</body></html>
"""
SLIP = """<section class="slip">
<h1>{title}</h1>
<p>{name_label}: <strong>{name}</strong></p>
<p>{key_label}</p>
<p class="key">{key}</p>
<h2>{steps_title}</h2>
<ol>{steps}</ol>
<p>{hub}</p>
<p>{limit}</p>
<p>{expiry}</p>
<p><strong>{personal}</strong></p>
</section>"""


@dataclass(frozen=True)
class Row:
    """One class key as the CSV holds it (`expiry` is the expiry shown to people, "" for none)."""

    name: str
    key: str
    limit: str
    reset: str
    expiry: str


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None  # no git here: nothing can be committed by accident either


def out_dir_problem(out: Path) -> str | None:
    """Why DIR cannot hold keys (Japanese), or None: inside a git work tree, both files must be git-ignored."""
    if out.exists() and not out.is_dir():
        return T["out_not_dir"].format(path=out)
    probe = out
    while not probe.exists():
        probe = probe.parent
    inside = _git(["rev-parse", "--is-inside-work-tree"], probe)
    if inside is None or inside.returncode != 0 or inside.stdout.strip() != "true":
        return None
    ignored = [_git(["check-ignore", "-q", str((out / name).resolve())], probe) for name in (CSV_NAME, SLIPS_NAME)]
    if all(result is not None and result.returncode == 0 for result in ignored):
        return None
    return T["out_in_git"].format(path=out)


def prepare_out_dir(out: Path) -> None:
    """Create DIR (and parents) if needed and make it the owner's only (0700)."""
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, PRIVATE_DIR)


def _private_open(path: Path, append: bool) -> io.TextIOWrapper:
    """Open for writing with mode 0600 from the start (no moment where another user could read it)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE)
    os.chmod(path, PRIVATE_FILE)  # a file that existed keeps its old mode otherwise
    return open(fd, "w", encoding="utf-8", newline="")


class KeyWriter:
    """Appends rows to DIR/keys.csv (the header first if the file is new), flushed row by row."""

    def __init__(self, out: Path) -> None:
        self.path = out / CSV_NAME
        new = not self.path.exists() or self.path.stat().st_size == 0
        self._file = _private_open(self.path, append=True)
        self._csv = csv.writer(self._file)
        if new:
            self._csv.writerow(COLUMNS)
            self._file.flush()

    def add(self, row: Row) -> None:
        """Write one key's row and flush it to disk at once."""
        self._csv.writerow([row.name, row.key, row.limit, row.reset, row.expiry])
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Close the file."""
        self._file.close()


def read_rows(out: Path) -> list[Row]:
    """Every row of DIR/keys.csv (empty when there is none)."""
    path = out / CSV_NAME
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return [Row(**{name: record.get(name) or "" for name in COLUMNS}) for record in csv.DictReader(f)]


def write_slips(out: Path, rows: list[Row]) -> Path:
    """DIR/slips.html: one printable Japanese slip per key (A4, page breaks between slips)."""
    path = out / SLIPS_NAME
    slips = "\n".join(_slip(row) for row in rows)
    with _private_open(path, append=False) as f:
        f.write(PAGE.format(title=html.escape(T["slip_title"]), slips=slips))
    return path


def _slip(row: Row) -> str:
    e = html.escape
    reset = T["slip_reset"].get(row.reset, T["slip_reset"][""])
    expiry = T["slip_expiry"].format(expiry=e(row.expiry)) if row.expiry else T["slip_no_expiry"]
    steps = "".join(f"<li>{step}</li>" for step in T["slip_steps"])
    return SLIP.format(title=e(T["slip_title"]), name=e(row.name), key=e(row.key), steps=steps,
                            limit=T["slip_limit"].format(limit=e(row.limit), reset=e(reset)), expiry=expiry,
                            hub=T["slip_hub"], personal=T["slip_personal"], key_label=T["slip_key_label"],
                            steps_title=T["slip_steps_title"], name_label=T["slip_name_label"])
