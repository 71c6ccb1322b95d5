"""The recordings folder as vcrpy's cassette: every file loaded as one library; one notebook's file saved."""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from .. import recording_source
from ..redact import contains_secret, stream_text
from ..text import REPLAY
from .filters import origin
from .matching import body_text, request_key

IN_PROGRESS_SUFFIX = ".recording-in-progress.yaml"
CACHE_FOLDER = "__pycache__"  # beside the recordings, like Python's bytecode (git ignores it)
_DIGEST_SIZE = 16


def recording_files(folder: Path) -> list[Path]:
    """The finished recordings in `folder` (or `folder` itself if it is one file), in lesson order."""
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else [folder] if folder.is_file() else []
    return [f for f in files if not f.name.endswith(IN_PROGRESS_SUFFIX)]


class LibraryPersister:
    """Loads every recording in the folder as one library; saves one notebook's recording, scrubbed."""

    # Which recordings (file stems) hold each request, by `request_key`, as last loaded: the merged
    # library no longer says, and the running notebook's own examples are the ones to offer first.
    sources: dict[tuple, set[str]] = {}
    # The running notebook's recording (file stem) is loaded first. vcrpy plays the first recorded
    # response that matches, and the same request (GET /key, a repeated question) may be recorded by
    # several lessons with different answers: each lesson then replays its own.
    first: str | None = None
    # Recordings (file names) the last load could not read: skipped, so that the others still replay.
    broken: list[str] = []

    @classmethod
    def load_cassette(cls, cassette_path, serializer):
        import yaml
        from vcr.persisters.filesystem import CassetteNotFoundError

        files = recording_files(Path(cassette_path))
        files.sort(key=lambda f: f.stem != cls.first)  # stable: the others stay in lesson order
        requests, responses, broken = [], [], []
        sources: dict[tuple, set[str]] = {}
        for f in files:
            try:
                reqs, resps = _interactions(_parsed(f, serializer))
            # A truncated or hand-edited file: YAML errors, or YAML that is not a cassette (KeyError, TypeError).
            except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError):
                broken.append(f.name)
                continue
            requests += reqs
            responses += resps
            for r in reqs:
                sources.setdefault(request_key(r.method, r.uri, r.body), set()).add(f.stem)
        cls.broken = broken
        cls.sources = sources
        if not requests:
            raise CassetteNotFoundError()
        return requests, responses

    @staticmethod
    def save_cassette(cassette_path, cassette_dict, serializer):
        from vcr.serialize import serialize

        source = recording_source.EXAMPLE if origin["example"] else recording_source.LIVE
        day = str(origin["day"] or datetime.now(UTC).date().isoformat())
        kept = without_retries(cassette_dict)
        data = recording_source.header_line(source, day) + serialize(kept, serializer)
        path = Path(cassette_path)
        # Checked on the file's text and on each response as a learner would read it (streams reassembled).
        if contains_secret(data) or any(contains_secret(stream_text(body_text(r.get("body", {}).get("string"))))
                                        for r in kept["responses"]):
            raise RuntimeError(REPLAY["unsafe_recording"].format(path=path.name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")


def _parsed(path: Path, serializer) -> dict:
    """The recording as vcrpy's YAML serializer reads it; from a cache beside it while the file's bytes are unchanged.

    Every kernel loads every recording (2 MB of YAML, about 25 ms of parsing): the cache (marshal, keyed by a hash
    of the file and the Python version) makes that a few milliseconds after the first kernel. A folder that
    cannot be written only means no cache.
    """
    data = path.read_bytes()
    digest = hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()
    cache = path.parent / CACHE_FOLDER / f"{path.stem}.{sys.implementation.cache_tag}.marshal"
    try:
        cached = cache.read_bytes()
        if cached[:_DIGEST_SIZE] == digest:
            return marshal.loads(cached[_DIGEST_SIZE:])
    except (OSError, EOFError, ValueError, TypeError):
        pass
    parsed = serializer.deserialize(data.decode("utf-8"))
    try:
        cache.parent.mkdir(exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        partial.write_bytes(digest + marshal.dumps(parsed))
        partial.replace(cache)  # whole or not at all, also with several kernels starting at once
    except (OSError, ValueError):
        pass
    return parsed


def _interactions(data: dict) -> tuple[list, list]:
    """vcrpy's requests and responses from a parsed recording (what vcr.serialize.deserialize returns)."""
    from vcr.request import Request
    from vcr.serializers import compat

    return ([Request._from_dict(r["request"]) for r in data["interactions"]],
            [compat.convert_to_bytes(r["response"]) for r in data["interactions"]])


def without_retries(cassette_dict: dict) -> dict:
    """Drop an interaction identical to the one just before it: `openai` retried a 429/5xx while recording."""
    kept: dict = {"requests": [], "responses": []}
    previous = None
    for request, response in zip(cassette_dict["requests"], cassette_dict["responses"], strict=True):
        current = (request.method, request.uri, request.body, sorted(request.headers.items()), repr(response))
        if current != previous:
            kept["requests"].append(request)
            kept["responses"].append(response)
        previous = current
    return {**cassette_dict, **kept}

