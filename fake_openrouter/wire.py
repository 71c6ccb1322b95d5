"""Serialising bodies the way OpenRouter sends them: compact UTF-8 JSON, key order as given."""
from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path

from werkzeug import Response

DATA_DIR = Path(__file__).resolve().parent / "data"
JSON_TYPE = "application/json"
# On every response: the course's record command (course_utils.recording_source) marks what it recorded
# from this server as examples.
EXAMPLE_SERVER_HEADER = "X-Course-Example-Server"


def dumps(obj: object) -> str:
    """Compact JSON with non-ASCII text kept as is."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def load_data(name: str) -> dict:
    """A JSON file of `data/`, parsed (key order kept)."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def status_line(status: int) -> str:
    """`429 Too Many Requests`: the standard reason phrase (werkzeug, given a bare code, upper-cases it)."""
    return f"{status} {HTTPStatus(status).phrase}"


def json_response(obj: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response with OpenRouter's content type."""
    return Response(dumps(obj), status=status_line(status), headers=headers, content_type=JSON_TYPE)
