"""FakeOpenRouter: a loopback server that answers like OpenRouter's API, for recordings and tests.

Built on pytest-httpserver (werkzeug in a background thread); each route is a handler function of
`routes/`. Everything the routes read (catalogue, answers, the account's ledger, the clock,
generations, faults) lives here so that tests can change it while the server runs.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pytest_httpserver import HTTPServer
from pytest_httpserver.httpserver import METHOD_ALL
from werkzeug import Request, Response
from werkzeug.http import http_date
from werkzeug.serving import WSGIRequestHandler

from .answers import ANSWERS_DIR, AnswerBook
from .auth import rejection
from .catalogue import Catalogue
from .faults import FaultQueue
from .ids import Clock
from .ledger import Ledger
from .routes import account
from .routes import catalogue as catalogue_routes
from .routes.chat import ChatState, chat
from .routes.management import Management
from .wire import EXAMPLE_SERVER_HEADER

API_PREFIX = "/api/v1"
Handler = Callable[[Request], Response]


def _handler_class(clock: Clock) -> type[WSGIRequestHandler]:
    """Werkzeug's request handler with OpenRouter's `Server` header and a `Date` from `clock`.

    Werkzeug always adds its own `Server` and the current `Date` (the application cannot replace
    them); the server's own clock keeps re-recorded example files identical and `Date` in step with
    the `created` of the chat responses.
    """

    class RecordingDayHandler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "cloudflare"

        def date_time_string(self, timestamp: float | None = None) -> str:
            return http_date(clock.now())

    return RecordingDayHandler


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    json: dict | None


class FakeOpenRouter:
    """OpenRouter's API on 127.0.0.1; use as a context manager or call start()/stop()."""

    def __init__(self, port: int = 0, answers_dir: Path = ANSWERS_DIR) -> None:
        self.catalogue = Catalogue()
        self.answers = AnswerBook(answers_dir)
        self.ledger = Ledger()
        self.requests: list[RecordedRequest] = []
        self._faults = FaultQueue()
        self._chat = ChatState(self.catalogue, self.answers, self.ledger, Clock(), generations={})
        self.management = Management(self.catalogue, self.ledger)  # class keys and guardrails
        self._http = HTTPServer("127.0.0.1", port, threaded=True)
        self._register_routes()

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/api/v1`, the value for `OpenAI(base_url=...)`."""
        return f"http://127.0.0.1:{self._http.port}{API_PREFIX}"

    def start(self) -> None:
        """Serve in a background thread."""
        self._http.start()
        self._http.server.RequestHandlerClass = _handler_class(self._chat.clock)

    def stop(self) -> None:
        """Stop serving."""
        self._http.stop()

    def __enter__(self) -> FakeOpenRouter:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def inject(self, kind: str, times: int = 1, seconds: float = 2.0) -> None:
        """Give the next `times` chat requests fault `kind` (see `faults.py`); `seconds` is for `slow`."""
        self._faults.inject(kind, times, seconds)

    def remove_model(self, model_id: str) -> None:
        """Retire a model from the catalogue (requests for it then get the 400 of an unknown id, or the 404
        "No endpoints found" for a `:free` variant whose paid model is still listed)."""
        self.catalogue.remove(model_id)

    def set_price(self, model_id: str, prompt: str, completion: str) -> None:
        """Change a model's price per token (strings, as in the catalogue)."""
        self.catalogue.set_price(model_id, prompt, completion)

    def _register_routes(self) -> None:
        routes: list[tuple[str | re.Pattern[str], str, Handler]] = [
            ("/models", "GET", lambda r: catalogue_routes.models(self.catalogue, r)),
            (re.compile(r"/api/v1/models/.+/endpoints$"), "GET",
             lambda r: catalogue_routes.endpoints(self.catalogue, r)),
            ("/key", "GET", _keyed(lambda r: self.management.key_info(r) or account.key(self.ledger, r))),
            ("/credits", "GET", _keyed(lambda r: account.credits(self.ledger, r))),
            ("/generation", "GET", _keyed(lambda r: account.generation(self._chat.generations, r))),
            ("/chat/completions", "POST", lambda r: self.management.chat(
                r, lambda: chat(self._chat, r, self._faults.take()), self._chat.generations)),
            *self.management.routes(),
            (re.compile(".*"), METHOD_ALL, catalogue_routes.not_found),
        ]
        for uri, method, handler in routes:
            path = API_PREFIX + uri if isinstance(uri, str) else uri
            self._http.expect_request(path, method=method).respond_with_handler(self._recorded(handler))

    def _recorded(self, handler: Handler) -> Handler:
        def record_then_handle(request: Request) -> Response:
            body = request.get_json(silent=True) if request.data else None
            self.requests.append(RecordedRequest(request.method, request.path, dict(request.headers),
                                                 body if isinstance(body, dict) else None))
            response = handler(request)
            # Lets the course's record command label what it recorded here as examples, not OpenRouter's.
            response.headers[EXAMPLE_SERVER_HEADER] = "fake_openrouter"
            return response
        return record_then_handle


def _keyed(handler: Handler) -> Handler:
    """`handler` behind the API-key check."""
    def check_then_handle(request: Request) -> Response:
        return rejection(request) or handler(request)
    return check_then_handle
