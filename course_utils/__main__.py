"""Command line for instructors: `python -m course_utils record | doctor | solutions | class-keys`."""
from __future__ import annotations

import argparse
import sys

from .class_keys import cli as class_keys
from .text import CLI


def print_solutions(ids: list[str]) -> int:
    """Print the worked solution (and hint) of every registered exercise, or of the ones named."""
    from .exercises import all_exercises, solution

    chosen = [e for e in all_exercises() if not ids or e.id in ids]
    if not chosen:
        print(CLI["no_exercises"])
        return 1 if ids else 0
    for exercise in chosen:
        solution(exercise.id)
        print(CLI["hint"].format(hint=exercise.hint), end="\n\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the subcommand."""
    parser = argparse.ArgumentParser(prog="python -m course_utils", description=CLI["description"])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help=CLI["record"])
    rec.add_argument("paths", nargs="*", help=CLI["paths"])
    rec.add_argument("--accept-new-errors", action="store_true", help=CLI["accept_new_errors"])
    doc = sub.add_parser("doctor", help=CLI["doctor"])
    doc.add_argument("paths", nargs="*", help=CLI["paths"])
    doc.add_argument("--offline", action="store_true", help=CLI["offline"])
    sol = sub.add_parser("solutions", help=CLI["solutions"])
    sol.add_argument("ids", nargs="*", help=CLI["ids"])
    class_keys.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "class-keys":
        return class_keys.run(args)
    if args.command == "record":
        from .record import main as record

        return record(args.paths, accept_new_errors=args.accept_new_errors)
    if args.command == "doctor":
        from .doctor import main as doctor

        return doctor(args.paths, offline=args.offline)
    return print_solutions(args.ids)


if __name__ == "__main__":
    sys.exit(main())
