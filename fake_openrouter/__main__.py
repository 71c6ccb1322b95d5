"""`python -m fake_openrouter --port 8765`: serve until Ctrl-C."""
from __future__ import annotations

import argparse
import threading

from .server import FakeOpenRouter


def main(argv: list[str] | None = None) -> None:
    """Start the server on 127.0.0.1, print its base URL and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m fake_openrouter", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="TCP port on 127.0.0.1 (0: any free port)")
    args = parser.parse_args(argv)
    with FakeOpenRouter(port=args.port) as server:
        print(server.base_url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
