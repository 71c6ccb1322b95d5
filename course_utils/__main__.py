"""Command line: `python -m course_utils record [notebooks...]` (and more subcommands as they come)."""
from __future__ import annotations

import argparse
import sys

HELP = {
    "description": "OpenRouter講座の講師用コマンド",
    "record": "ノートブックをライブで再収録し、コミットする出力（再生モード）も更新します",
    "paths": "ノートブックまたはフォルダ（省略時: notebooks/）",
}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the subcommand."""
    parser = argparse.ArgumentParser(prog="python -m course_utils", description=HELP["description"])
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("record", help=HELP["record"])
    rec.add_argument("paths", nargs="*", help=HELP["paths"])
    args = parser.parse_args(argv)
    if args.command == "record":
        from .record import main as record

        return record(args.paths)
    return 2


if __name__ == "__main__":
    sys.exit(main())
