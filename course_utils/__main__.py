"""Command line for instructors: `python -m course_utils record | doctor | solutions | class-keys`."""
from __future__ import annotations

import argparse
import sys

from .class_keys import cli as class_keys

HELP = {
    "description": "OpenRouter講座の講師用コマンド",
    "record": "ノートブックをライブで再収録し、コミットする出力（再生モード）も更新します",
    "paths": "ノートブックまたはフォルダ（省略時: notebooks/）",
    "doctor": "授業の前の点検: キーがあれば OpenRouter・キー・講座のモデルを、なければ再生モードの準備を調べます",
    "offline": "キーがあってもオフラインの点検（収録データとノートブック）だけを行います",
    "solutions": "登録されている演習の解答例をすべて表示します（講師用。学習者のノートブックには出しません）",
    "ids": "表示する演習の番号（例: 01-1）。省略時はすべて",
    "no_exercises": "登録されている演習はありません。",
    "hint": "ヒント: {hint}",
}


def print_solutions(ids: list[str]) -> int:
    """Print the worked solution (and hint) of every registered exercise, or of the ones named."""
    from .exercises import all_exercises, solution

    chosen = [e for e in all_exercises() if not ids or e.id in ids]
    if not chosen:
        print(HELP["no_exercises"])
        return 1 if ids else 0
    for exercise in chosen:
        solution(exercise.id)
        print(HELP["hint"].format(hint=exercise.hint), end="\n\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the subcommand."""
    parser = argparse.ArgumentParser(prog="python -m course_utils", description=HELP["description"])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help=HELP["record"])
    rec.add_argument("paths", nargs="*", help=HELP["paths"])
    doc = sub.add_parser("doctor", help=HELP["doctor"])
    doc.add_argument("paths", nargs="*", help=HELP["paths"])
    doc.add_argument("--offline", action="store_true", help=HELP["offline"])
    sol = sub.add_parser("solutions", help=HELP["solutions"])
    sol.add_argument("ids", nargs="*", help=HELP["ids"])
    class_keys.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "class-keys":
        return class_keys.run(args)
    if args.command == "record":
        from .record import main as record

        return record(args.paths)
    if args.command == "doctor":
        from .doctor import main as doctor

        return doctor(args.paths, offline=args.offline)
    return print_solutions(args.ids)


if __name__ == "__main__":
    sys.exit(main())
