"""A loopback server that answers exactly like OpenRouter's API (see `server.py`)."""
from .auth import REVOKED_KEY
from .server import FakeOpenRouter, RecordedRequest

__all__ = ["REVOKED_KEY", "FakeOpenRouter", "RecordedRequest"]
