"""OpenRouter's Management API: `/keys`, `/keys/{hash}`, `/guardrails`, guardrail key assignments.

Follows the OpenAPI description of 2026-08-22 (`openapi-2026-08-22.yaml`): bodies wrapped in `{"data": …}`,
`POST /keys` answers 201 with the new key once (`key`, next to `data`), `DELETE /keys/{hash}` answers
`{"deleted": true}`, lists page by `offset` (100 keys a page, the newest first, as the docs' example says;
disabled keys only with `include_disabled=true`). Only `MANAGEMENT_KEY` may call them: any other accepted key
gets the documented 403, a revoked or malformed one the usual 401.

The keys created here are real keys of this server: `GET /key` with one shows its own limit, remaining and
usage, a chat completion with one is counted on it, a disabled, deleted or expired one is refused with 401,
and one assigned to a guardrail may call only the guardrail's allowed models. A management key cannot call
chat completions (OpenRouter: "Management keys cannot be used to make API calls to OpenRouter's completion
endpoints"); no captured body of that refusal exists, so its message is ours.
"""
from __future__ import annotations

import hashlib
import re
import secrets
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from werkzeug import Request, Response

from ..auth import MANAGEMENT_KEY, bearer_key, rejection
from ..catalogue import Catalogue
from ..completion import Generation
from ..errors import error_body, error_response, message_error
from ..ledger import Ledger
from ..wire import json_response

PAGE = 100
RESETS = ("daily", "weekly", "monthly", None)
ONLY_MANAGEMENT = "Only management keys can perform this operation"  # the OpenAPI 403 example
# Illustrative messages (no capture exists); the shapes are the documented ones.
NO_COMPLETIONS = "Management keys cannot be used for completions"
NOT_ALLOWED = "Model {model} is not allowed by the guardrail assigned to this key"
_USAGE = ("usage", "usage_daily", "usage_weekly", "usage_monthly")
_BYOK = ("byok_usage", "byok_usage_daily", "byok_usage_weekly", "byok_usage_monthly")
_KEY_PATH = re.compile(r"/api/v1/keys/([^/]+)$")
_ASSIGN_PATH = re.compile(r"/api/v1/guardrails/([^/]+)/assignments/keys$")
_GUARDRAIL_PATH = re.compile(r"/api/v1/guardrails/([^/]+)$")
_GUARDRAIL_FIELDS = ("description", "allowed_models", "allowed_providers", "ignored_models", "ignored_providers",
                     "enable_free_model_training", "enable_free_model_publication", "enable_paid_model_training",
                     "limit_usd", "reset_interval")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bad_request(message: str = "Invalid request parameters") -> Response:
    return error_response(message_error(400, message), 400)


def _not_found() -> Response:
    return error_response(message_error(404, "Resource not found"), 404)


class Management:
    """The class keys and guardrails of the example account; tests may call `fail_create` and `charge`."""

    def __init__(self, catalogue: Catalogue, ledger: Ledger) -> None:
        self._catalogue = catalogue
        self._ledger = ledger
        self.keys: dict[str, dict] = {}  # hash -> the record the API lists (creation order)
        self._secrets: dict[str, str] = {}  # key -> hash
        self._deleted: set[str] = set()
        self.guardrails: dict[str, dict] = {}
        self.assignments: dict[str, str] = {}  # key hash -> guardrail id (a key holds at most one)
        self._failures: dict[int, int] = {}  # n-th coming POST /keys -> status it answers with
        self._creates = 0
        self._lock = threading.Lock()

    # -- scenario controls -------------------------------------------------------------------------------

    def fail_create(self, nth: int, status: int = 500) -> None:
        """Make the `nth` coming `POST /keys` (1 = the next one) fail with `status` (500 or 429)."""
        self._failures[self._creates + nth] = status

    def charge(self, name: str, cost: float) -> None:
        """Count `cost` USD of usage on the class key named `name` (as if its student had called a model)."""
        key_hash = next(h for h, k in self.keys.items() if k["name"] == name)
        self._charge(key_hash, cost)

    # -- registration (server.py) ------------------------------------------------------------------------

    def routes(self) -> list[tuple[str | re.Pattern[str], str, Callable[[Request], Response]]]:
        """The routes for the server's table (paths relative to /api/v1 or whole-path patterns)."""
        return [("/keys", "GET", self._managed(self._list)), ("/keys", "POST", self._managed(self._create)),
                (_KEY_PATH, "GET", self._managed(self._get)), (_KEY_PATH, "PATCH", self._managed(self._update)),
                (_KEY_PATH, "DELETE", self._managed(self._delete)),
                ("/guardrails", "GET", self._managed(self._list_guardrails)),
                ("/guardrails", "POST", self._managed(self._create_guardrail)),
                (_ASSIGN_PATH, "GET", self._managed(self._list_assignments)),
                (_ASSIGN_PATH, "POST", self._managed(self._assign)),
                (_GUARDRAIL_PATH, "DELETE", self._managed(self._delete_guardrail))]

    def key_info(self, request: Request) -> Response | None:
        """`GET /key` for a management or class key; None for the example key (the ledger answers)."""
        key = bearer_key(request) or ""
        data = self._ledger.key_data(f"{key[:12]}...{key[-3:]}")
        if key == MANAGEMENT_KEY:
            data.update(is_management_key=True, is_provisioning_key=True, limit=None, limit_remaining=None)
            return json_response({"data": data})
        record = self._record_of(key)
        if record is None:
            return error_response(error_body("401-invalid-key"), 401) if key in self._deleted else None
        if record["disabled"] or self._expired(record):
            return error_response(error_body("401-invalid-key"), 401)
        for name in ("limit", "limit_reset", "limit_remaining", "include_byok_in_limit", *_USAGE, *_BYOK,
                     "expires_at", "creator_user_id"):
            data[name] = record[name]
        return json_response({"data": data})

    def chat(self, request: Request, serve: Callable[[], Response], generations: dict[str, Generation]) -> Response:
        """Refuse what a management, disabled or guardrailed key may not do; count a class key's usage."""
        key = bearer_key(request) or ""
        if key == MANAGEMENT_KEY:
            return error_response(message_error(403, NO_COMPLETIONS), 403)
        record = self._record_of(key)
        if record is None:
            return error_response(error_body("401-invalid-key"), 401) if key in self._deleted else serve()
        if record["disabled"] or self._expired(record):
            return error_response(error_body("401-invalid-key"), 401)
        body = request.get_json(silent=True) or {}
        refused = self._guardrail_refusal(record["hash"], body)
        if refused:
            return refused
        response = serve()
        gen = generations.get(response.headers.get("X-Generation-Id", ""))
        if response.status_code == 200 and gen is not None:
            self._charge(record["hash"], gen.cost)
        return response

    # -- keys ----------------------------------------------------------------------------------------------

    def _managed(self, handler: Callable[..., Response]) -> Callable[[Request], Response]:
        def check_then_handle(request: Request) -> Response:
            refused = rejection(request)
            if refused:
                return refused
            if bearer_key(request) != MANAGEMENT_KEY:
                return error_response(message_error(403, ONLY_MANAGEMENT), 403)
            return handler(request)
        return check_then_handle

    def _list(self, request: Request) -> Response:
        try:
            offset = int(request.args.get("offset") or 0)
        except ValueError:
            return _bad_request()
        with_disabled = request.args.get("include_disabled", "false").lower() == "true"
        with self._lock:
            shown = [k for k in reversed(self.keys.values()) if with_disabled or not k["disabled"]]
            return json_response({"data": [dict(k) for k in shown[offset:offset + PAGE]]})

    def _create(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
            return _bad_request()
        limit, reset, expires = body.get("limit"), body.get("limit_reset"), body.get("expires_at")
        if (limit is not None and (not isinstance(limit, int | float) or limit < 0)) or reset not in RESETS:
            return _bad_request()
        if expires is not None and not _utc_timestamp(expires):
            return _bad_request("expires_at must be an ISO 8601 UTC timestamp")
        with self._lock:
            self._creates += 1
            failure = self._failures.pop(self._creates, None)
            if failure:
                message = "Rate limit exceeded" if failure == 429 else "Internal Server Error"
                return error_response(message_error(failure, message), failure)
            key = "sk-or-v1-" + secrets.token_hex(32)
            key_hash = hashlib.sha256(key.encode()).hexdigest()
            now = _now()
            record = {"hash": key_hash, "name": body["name"], "label": f"{key[:12]}...{key[-4:]}", "disabled": False,
                      "limit": limit, "limit_remaining": limit, "limit_reset": reset,
                      "include_byok_in_limit": bool(body.get("include_byok_in_limit", False)),
                      **dict.fromkeys(_USAGE + _BYOK, 0), "created_at": now, "updated_at": None,
                      "creator_user_id": "user_REDACTED", "workspace_id": "00000000-0000-0000-0000-000000000000",
                      "expires_at": expires}
            self.keys[key_hash] = record
            self._secrets[key] = key_hash
            return json_response({"data": dict(record), "key": key}, 201)

    def _get(self, request: Request) -> Response:
        record = self.keys.get(_KEY_PATH.search(request.path).group(1))
        return json_response({"data": dict(record)}) if record else _not_found()

    def _update(self, request: Request) -> Response:
        record = self.keys.get(_KEY_PATH.search(request.path).group(1))
        body = request.get_json(silent=True)
        if record is None:
            return _not_found()
        if not isinstance(body, dict) or body.get("limit_reset", None) not in RESETS:
            return _bad_request()
        with self._lock:
            for name in ("disabled", "include_byok_in_limit", "name", "limit", "limit_reset"):
                if name in body:
                    record[name] = body[name]
            record["limit_remaining"] = _remaining(record)
            record["updated_at"] = _now()
            return json_response({"data": dict(record)})

    def _delete(self, request: Request) -> Response:
        key_hash = _KEY_PATH.search(request.path).group(1)
        with self._lock:
            if self.keys.pop(key_hash, None) is None:
                return _not_found()
            self.assignments.pop(key_hash, None)
            gone = [k for k, h in self._secrets.items() if h == key_hash]
            self._deleted.update(gone)  # OpenRouter no longer knows a deleted key: 401 from now on
            self._secrets = {k: h for k, h in self._secrets.items() if h != key_hash}
        return json_response({"deleted": True})

    # -- guardrails ------------------------------------------------------------------------------------------

    def _list_guardrails(self, request: Request) -> Response:
        rows = list(self.guardrails.values())
        return json_response({"data": rows, "total_count": len(rows)})

    def _create_guardrail(self, request: Request) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
            return _bad_request()
        allowed = body.get("allowed_models")
        if allowed is not None:
            models = [self._catalogue.get(m) or self._catalogue.find(m) for m in allowed]
            if not all(models):
                return _bad_request()
            # Stored as canonical slugs, as the list answers them ("immutable identifiers").
            body["allowed_models"] = list(dict.fromkeys(m["canonical_slug"] for m in models))
        guardrail = {"id": str(uuid.uuid4()), "name": body["name"],
                     **{name: body.get(name) for name in _GUARDRAIL_FIELDS}, "include_byok_in_budgets": False,
                     "created_at": _now(), "updated_at": None, "workspace_id": "00000000-0000-0000-0000-000000000000"}
        self.guardrails[guardrail["id"]] = guardrail
        return json_response({"data": guardrail}, 201)

    def _delete_guardrail(self, request: Request) -> Response:
        guardrail_id = _GUARDRAIL_PATH.search(request.path).group(1)
        if self.guardrails.pop(guardrail_id, None) is None:
            return _not_found()
        self.assignments = {h: g for h, g in self.assignments.items() if g != guardrail_id}
        return json_response({"deleted": True})

    def _assign(self, request: Request) -> Response:
        guardrail_id = _ASSIGN_PATH.search(request.path).group(1)
        body = request.get_json(silent=True)
        if guardrail_id not in self.guardrails:
            return _not_found()
        if not isinstance(body, dict) or not isinstance(body.get("key_hashes"), list):
            return _bad_request()
        known = [h for h in body["key_hashes"] if h in self.keys]
        for key_hash in known:
            self.assignments[key_hash] = guardrail_id
        return json_response({"assigned_count": len(known)})

    def _list_assignments(self, request: Request) -> Response:
        guardrail_id = _ASSIGN_PATH.search(request.path).group(1)
        if guardrail_id not in self.guardrails:
            return _not_found()
        rows = [{"id": f"{guardrail_id}:{h}", "key_hash": h, "guardrail_id": guardrail_id,
                 "key_name": self.keys[h]["name"], "key_label": self.keys[h]["label"], "assigned_by": "user_REDACTED",
                 "created_at": self.guardrails[guardrail_id]["created_at"]}
                for h, g in self.assignments.items() if g == guardrail_id]
        return json_response({"data": rows, "total_count": len(rows)})

    # -- helpers -----------------------------------------------------------------------------------------------

    def _record_of(self, key: str) -> dict | None:
        key_hash = self._secrets.get(key)
        return self.keys.get(key_hash) if key_hash else None

    def _expired(self, record: dict) -> bool:
        return record["expires_at"] is not None and record["expires_at"] <= _now()

    def _guardrail_refusal(self, key_hash: str, body: dict) -> Response | None:
        guardrail = self.guardrails.get(self.assignments.get(key_hash, ""))
        allowed = guardrail and guardrail["allowed_models"]
        if not allowed:
            return None
        for model_id in [body.get("model"), *(body.get("models") or [])]:
            # An id the catalogue does not list gets the chat route's own 400/404, as without a guardrail.
            model = self._catalogue.get(model_id) if isinstance(model_id, str) else None
            if model is not None and model["canonical_slug"] not in allowed:
                return error_response(message_error(403, NOT_ALLOWED.format(model=model_id)), 403)
        return None

    def _charge(self, key_hash: str, cost: float) -> None:
        with self._lock:
            record = self.keys[key_hash]
            for name in _USAGE:
                record[name] = float(Decimal(str(record[name])) + Decimal(str(cost)))
            record["limit_remaining"] = _remaining(record)


def _remaining(record: dict) -> float | None:
    if record["limit"] is None:
        return None
    return max(0.0, float(Decimal(str(record["limit"])) - Decimal(str(record["usage"]))))


def _utc_timestamp(value: object) -> bool:
    """Whether `value` is an ISO 8601 timestamp in UTC (OpenRouter rejects other time zones)."""
    if not isinstance(value, str) or not value.endswith("Z"):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
