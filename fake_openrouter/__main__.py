"""`python -m fake_openrouter --port 8765 [--variant NAME] [--fault KIND ...]`: serve until Ctrl-C.

Each `--fault` fails one of the next chat requests, in the given order (kinds: see `faults.py`), e.g. to show
an error live in class without a real rate limit. `--variant` serves one of `variants.py`'s servers instead:
`no-credits` (a student's account without credits: paid models answer 402) or `minimal` (only the fields
OpenRouter's OpenAPI description requires).
"""
from __future__ import annotations

import argparse
import contextlib
import threading

from .faults import fault_kinds
from .server import FakeOpenRouter
from .variants import VARIANTS


def main(argv: list[str] | None = None) -> None:
    """Start the server on 127.0.0.1, print its base URL and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m fake_openrouter", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--fault", action="append", default=[], choices=fault_kinds(), metavar="KIND",
                        help="fail the next chat request with KIND (repeatable, applied in order): "
                             + ", ".join(fault_kinds()))
    parser.add_argument("--variant", choices=sorted(VARIANTS), help="serve a variant of the example server")
    args = parser.parse_args(argv)
    server_class = VARIANTS[args.variant] if args.variant else FakeOpenRouter
    with server_class(port=args.port) as server:
        for kind in args.fault:
            server.inject(kind)
        print(server.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C ends the server quietly
            threading.Event().wait()


if __name__ == "__main__":
    main()
