"""The replay or record session: a vcrpy cassette over the recordings, and the course's view of it."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ..config import recordings_dir
from ..text import REPLAY
from .filters import before_record_request, before_record_response, origin
from .matching import no_retry_on_replay, request_key, same_request
from .not_recorded import broken_files_note, not_recorded
from .persister import IN_PROGRESS_SUFFIX, LibraryPersister, recording_files

# HTTP libraries vcrpy imports (and patches) if they are installed. The course only replays `openai`'s
# httpx2 traffic, so vcrpy is imported with these hidden (about 60 ms of imports, half of setup()) and
# told to patch httpx2 alone; the httplib patch is skipped too, since its real-request path expects the
# hidden libraries' originals.
_UNUSED_HTTP_LIBRARIES = ("requests", "urllib3", "tornado", "httpx", "botocore", "httplib2", "aiohttp",
                          "httpx_curl_cffi", "pyreqwest")


def _import_vcr():
    """Import vcrpy without loading the HTTP libraries the course does not replay (see above)."""
    import sys

    if "vcr" in sys.modules:
        return sys.modules["vcr"]
    hidden = [name for name in _UNUSED_HTTP_LIBRARIES if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import vcr
    finally:
        for name in hidden:
            del sys.modules[name]
    return vcr


class Session:
    """An active vcrpy cassette plus the transport wrapper that turns 'not recorded' into NotRecordedError.

    In replay mode nothing reaches the network: vcrpy (record_mode "none") refuses every request it has no
    recording for, even when the recordings are missing or broken.
    """

    def __init__(self, mode: str, path: Path, notebook: str | None = None):
        vcr = _import_vcr()
        from vcr.patch import PATCHER_NAMES

        self.mode = mode
        self.path = path
        self.notebook = Path(notebook).stem if notebook else None  # whose recordings and examples come first
        self.folder_missing = False  # replay: no recording file at all (set on entering)
        self.broken: list[str] = []  # replay: recording files that could not be read and were skipped
        LibraryPersister.first = self.notebook
        LibraryPersister.lazy = mode == "replay"
        self._loading = threading.Lock()  # the comparison widget replays from several threads at once
        recorder = vcr.VCR(
            record_mode="none" if mode == "replay" else "all",
            match_on=["same_request"],
            before_record_request=before_record_request,
            before_record_response=before_record_response,
            decode_compressed_response=True,
            skip_patchers=[name for name in PATCHER_NAMES if name != "httpx2"],
        )
        recorder.register_matcher("same_request", same_request)
        recorder.register_persister(LibraryPersister)
        self._context = recorder.use_cassette(
            str(path), allow_playback_repeats=True,
            after_load_interaction=no_retry_on_replay if mode == "replay" else None)
        self._patched: dict[str, Any] = {}

    def __enter__(self) -> Session:
        LibraryPersister.broken = []
        self.cassette = self._context.__enter__()
        if self.mode == "replay":
            self.folder_missing = not recording_files(self.path)
            self.broken = list(LibraryPersister.broken)
            _look_up_by_key(self)
            self._wrap_transports()
        return self

    @property
    def notes(self) -> list[str]:
        """Japanese notes for the banner about the recordings themselves (missing, or files skipped)."""
        if self.folder_missing:
            return [REPLAY["folder_missing"].format(path=self.path)]
        return [broken_files_note(self.broken)] if self.broken else []

    def load_rest(self) -> None:
        """Replay: add the recordings of the other lessons, if they are not loaded yet (after the running
        lesson's own, so that its answers still come first), and name any that could not be read."""
        from vcr.serializers import yamlserializer

        with self._loading:
            if not LibraryPersister.later:
                return
            requests, responses = LibraryPersister.load_rest(yamlserializer)
            for request, response in zip(requests, responses, strict=True):
                self.cassette.append(*no_retry_on_replay(request, response))  # vcrpy's load-time filters too
            self.cassette.dirty = False
            self.broken = list(LibraryPersister.broken)

    def _wrap_transports(self) -> None:
        import httpx2
        from vcr.errors import CannotOverwriteExistingCassetteException as NotInCassette

        sync_send = httpx2.HTTPTransport.handle_request
        async_send = httpx2.AsyncHTTPTransport.handle_async_request

        def handle_request(transport, request):
            try:
                return sync_send(transport, request)
            except NotInCassette as err:
                raise not_recorded(err, self) from None

        async def handle_async_request(transport, request):
            try:
                return await async_send(transport, request)
            except NotInCassette as err:
                raise not_recorded(err, self) from None

        self._patched = {"handle_request": sync_send, "handle_async_request": async_send}
        httpx2.HTTPTransport.handle_request = handle_request
        httpx2.AsyncHTTPTransport.handle_async_request = handle_async_request

    def save(self) -> None:
        """Write what was recorded so far (record mode); a killed kernel then loses nothing."""
        if self.mode == "record" and self.cassette.dirty:
            self.cassette._save(force=True)

    def __exit__(self, *exc_info) -> None:
        if self._patched:
            import httpx2

            httpx2.HTTPTransport.handle_request = self._patched["handle_request"]
            httpx2.AsyncHTTPTransport.handle_async_request = self._patched["handle_async_request"]
            self._patched = {}
        self._context.__exit__(*exc_info)


def _look_up_by_key(session: Session) -> None:
    """Find a replayed request's recordings by its `request_key` instead of comparing it with every one.

    vcrpy's `Cassette._responses` runs the matcher against each recorded interaction, twice per call (80+
    interactions: about half of replay's cost per call). The only matcher is `same_request`, i.e. equal
    keys, so an index gives the same answers in the same order. A key the loaded recordings lack loads the
    other lessons' first. Replay only: nothing else is appended then.
    """
    cassette = session.cassette
    index: dict[tuple, list[int]] = {}
    indexed = 0

    def add_new() -> None:
        nonlocal indexed
        with session._loading:
            for position in range(indexed, len(cassette.data)):
                stored = cassette.data[position][0]
                index.setdefault(request_key(stored.method, stored.uri, stored.body), []).append(position)
            indexed = len(cassette.data)

    def responses(request: Any) -> Any:
        request = cassette._before_record_request(request)
        if not request:
            return
        key = request_key(request.method, request.uri, request.body)
        if key not in index:
            session.load_rest()
            add_new()
        for position in index.get(key, ()):
            yield position, cassette.data[position][1]

    add_new()
    cassette._responses = responses


_active: Session | None = None


def start(mode: str, notebook: str | None = None) -> Session | None:
    """Start replay (all recordings, `notebook`'s own first) or record (into
    `<notebook>.recording-in-progress.yaml`); stop otherwise."""
    global _active
    stop()
    if mode == "replay":
        _active = Session("replay", recordings_dir(), notebook).__enter__()
    elif mode == "record":
        origin.update(example=False, day="")
        _active = Session("record", recording_path(notebook or "scratch", in_progress=True)).__enter__()
    return _active


def stop() -> None:
    """Stop any active replay or recording, saving a recording."""
    global _active
    if _active is not None:
        session, _active = _active, None
        session.save()
        session.__exit__(None, None, None)


def active() -> Session | None:
    """The running replay/record session, if any."""
    return _active


def recording_path(notebook: str, in_progress: bool = False) -> Path:
    """Where a notebook's recording lives (or is written while recording)."""
    stem = Path(notebook).stem
    return recordings_dir() / (stem + (IN_PROGRESS_SUFFIX if in_progress else ".yaml"))
