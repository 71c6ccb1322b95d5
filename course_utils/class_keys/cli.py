"""The `class-keys` subcommand of `python -m course_utils`: its arguments and dispatch."""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from .. import text

T = text.CLASS_KEYS
RESETS = ("daily", "weekly", "monthly")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(T["bad_date"].format(value=value)) from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `class-keys create | usage | disable | enable | delete` under the course's command line."""
    parser = sub.add_parser("class-keys", help=T["help"]["class_keys"], description=T["help"]["class_keys"])
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help=T["help"]["create"], description=T["help"]["create"])
    create.add_argument("--count", type=int, required=True, help=T["help"]["count"])
    create.add_argument("--limit", type=float, required=True, help=T["help"]["limit"])
    create.add_argument("--reset", choices=RESETS, help=T["help"]["reset"])
    create.add_argument("--expires", type=_date, help=T["help"]["expires"])
    create.add_argument("--prefix", default="class", help=T["help"]["prefix"])
    create.add_argument("--models", help=T["help"]["models"])
    create.add_argument("--no-training", action="store_true", help=T["help"]["no_training"])
    create.add_argument("--out", type=Path, required=True, help=T["help"]["out"])
    create.add_argument("--dry-run", action="store_true", help=T["help"]["dry_run"])
    create.add_argument("--yes", action="store_true", help=T["help"]["yes"])
    usage = actions.add_parser("usage", help=T["help"]["usage"], description=T["help"]["usage"])
    usage.add_argument("--prefix", help=T["help"]["prefix"])
    for action in ("disable", "enable", "delete"):
        act = actions.add_parser(action, help=T["help"][action], description=T["help"][action])
        act.add_argument("--prefix", required=True, help=T["help"]["prefix"])
        act.add_argument("--yes", action="store_true", help=T["help"]["yes"])


def run(args: argparse.Namespace) -> int:
    """Run the chosen action; returns the exit status."""
    from . import create, manage, report
    from .api import ManagementClient, management_key
    from .terminal import say

    key = management_key()
    dry_run = args.action == "create" and args.dry_run
    if key is None and not dry_run:
        say(T["no_management_key"])
        return 2
    client = ManagementClient(key) if key else None
    try:
        if args.action == "create":
            plan = create.Plan(count=args.count, limit=args.limit, reset=args.reset, expires=args.expires,
                               prefix=args.prefix, models=args.models, no_training=args.no_training, out=args.out)
            return create.run(plan, client, dry_run=dry_run, yes=args.yes, today=date.today())
        if args.action == "usage":
            return report.run(client, args.prefix)
        return manage.run(args.action, client, args.prefix, args.yes)
    finally:
        if client is not None:
            client.close()
