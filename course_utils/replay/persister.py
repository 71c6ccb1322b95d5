"""The recordings folder as vcrpy's cassette: every file loaded as one library; one notebook's file saved."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from .. import recording_source
from ..redact import contains_secret, stream_text
from ..text import REPLAY
from .filters import origin
from .matching import body_text, request_key

IN_PROGRESS_SUFFIX = ".recording-in-progress.yaml"


def recording_files(folder: Path) -> list[Path]:
    """The finished recordings in `folder` (or `folder` itself if it is one file), in lesson order."""
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else [folder] if folder.is_file() else []
    return [f for f in files if not f.name.endswith(IN_PROGRESS_SUFFIX)]


def read_recordings(files: list[Path], serializer) -> tuple[list, list, dict[tuple, set[str]], list[str]]:
    """The requests and responses in `files`, in order; which files (stems) hold each request, by
    `request_key`; and the names of the files that could not be read (skipped, so the others still replay)."""
    import yaml
    from vcr.serialize import deserialize

    requests, responses, broken = [], [], []
    sources: dict[tuple, set[str]] = {}
    for f in files:
        try:
            reqs, resps = deserialize(f.read_text(encoding="utf-8"), serializer)[:2]
        # A truncated or hand-edited file: YAML errors, or YAML that is not a cassette (KeyError, TypeError).
        except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError):
            broken.append(f.name)
            continue
        requests += reqs
        responses += resps
        for r in reqs:
            sources.setdefault(request_key(r.method, r.uri, r.body), set()).add(f.stem)
    return requests, responses, sources, broken


class LibraryPersister:
    """Loads the recordings as one library (in replay, the running notebook's own first and the others when a
    request needs them); saves one notebook's recording, scrubbed."""

    # Which recordings (file stems) hold each request, by `request_key`, as loaded so far: the merged
    # library no longer says, and the running notebook's own examples are the ones to offer first.
    sources: dict[tuple, set[str]] = {}
    # The running notebook's recording (file stem) is loaded first. vcrpy plays the first recorded
    # response that matches, and the same request (GET /key, a repeated question) may be recorded by
    # several lessons with different answers: each lesson then replays its own.
    first: str | None = None
    # Replay of a known notebook: load only its own file (if it has one) and leave the others here until
    # `load_rest`. Parsing and filtering every lesson's recordings was most of setup(), and a lesson rarely
    # needs another's.
    later: list[Path] = []
    lazy = False
    # Recordings (file names) the loads so far could not read.
    broken: list[str] = []

    @classmethod
    def load_cassette(cls, cassette_path, serializer):
        from vcr.persisters.filesystem import CassetteNotFoundError

        files = recording_files(Path(cassette_path))
        files.sort(key=lambda f: f.stem != cls.first)  # stable: the others stay in lesson order
        lazy = cls.lazy and cls.first is not None
        now = [f for f in files if f.stem == cls.first] if lazy else files  # a lesson may have none (00, 99)
        cls.later = files[len(now):]
        requests, responses, cls.sources, cls.broken = read_recordings(now, serializer)
        if not requests:
            raise CassetteNotFoundError()
        return requests, responses

    @classmethod
    def load_rest(cls, serializer) -> tuple[list, list]:
        """The files `load_cassette` left for later (none after this), read; `sources` and `broken` grow."""
        files, cls.later = cls.later, []
        requests, responses, sources, broken = read_recordings(files, serializer)
        for key, stems in sources.items():
            cls.sources.setdefault(key, set()).update(stems)
        cls.broken += broken
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

