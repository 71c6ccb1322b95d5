"""The Management API client: `/keys`, `/keys/{hash}`, `/guardrails`, guardrail key assignments, `/key`.

Plain HTTP with httpx2 (installed as openai's transport), not the `openai` client: these endpoints are not
part of the OpenAI API the client wraps, and its automatic retries would repeat a `POST /keys` that may
already have made a key. Fields follow OpenRouter's OpenAPI description of 2026-08-22.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx2

from .. import text
from ..config import NO_DOTENV_VAR, base_url
from ..redact import scrub

MANAGEMENT_KEY_VAR = "OPENROUTER_MANAGEMENT_KEY"
PAGE = 100  # GET /keys answers 100 keys a page (OpenRouter's docs: "List the most recent 100 API keys")
TIMEOUT = 30.0
T = text.CLASS_KEYS


def management_key() -> str | None:
    """OPENROUTER_MANAGEMENT_KEY from the environment, else from the nearest .env (read, never applied)."""
    value = os.environ.get(MANAGEMENT_KEY_VAR)
    if value is None and os.environ.get(NO_DOTENV_VAR) != "1":
        from dotenv import find_dotenv

        from ..environment import read_dotenv

        path = find_dotenv(usecwd=True)
        value = read_dotenv(Path(path))[0].get(MANAGEMENT_KEY_VAR) if path else None
    return value.strip() or None if value else None


class ManagementError(Exception):
    """A Management API call failed; `str()` is the Japanese explanation (never any part of a key)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def explain_status(status: int, detail: str) -> str:
    """The Japanese explanation of an error status of the Management API."""
    template = T["http"].get(status) or (T["http"]["5xx"] if status >= 500 else T["http"]["other"])
    return template.format(status=status, detail=detail, var=MANAGEMENT_KEY_VAR)


class ManagementClient:
    """Calls the Management API with one Management key; every failure raises ManagementError."""

    def __init__(self, key: str, url: str | None = None, transport: httpx2.BaseTransport | None = None) -> None:
        self._key = key
        self.base_url = url or base_url()
        self._http = httpx2.Client(base_url=self.base_url, timeout=TIMEOUT, transport=transport,
                                   headers={"Authorization": f"Bearer {key}"})

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> dict:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx2.HTTPError as exc:
            raise ManagementError(T["unreachable"].format(url=self.base_url, error=type(exc).__name__)) from None
        if response.status_code >= 400:
            try:
                detail = str(response.json()["error"]["message"])
            except (ValueError, KeyError, TypeError):
                detail = response.reason_phrase
            raise ManagementError(explain_status(response.status_code, scrub(detail, self._key)),
                                  response.status_code)
        try:
            return response.json()
        except ValueError:
            raise ManagementError(T["not_json"].format(status=response.status_code)) from None

    def current_key(self) -> dict:
        """`GET /key`: what OpenRouter says about the key in use (`is_management_key`, ...)."""
        return self._call("GET", "/key")["data"]

    def list_keys(self) -> list[dict]:
        """Every API key of the account, disabled ones included (`GET /keys`, 100 a page by `offset`)."""
        keys: list[dict] = []
        while True:
            page = self._call("GET", "/keys", params={"include_disabled": "true", "offset": len(keys)})["data"]
            keys += page
            if len(page) < PAGE:
                return keys

    def create_key(self, name: str, limit: float, reset: str | None, expires_at: str | None) -> tuple[dict, str]:
        """`POST /keys`: the new key's record and the key itself (OpenRouter shows it this once)."""
        body = {"name": name, "limit": limit, "limit_reset": reset, "expires_at": expires_at}
        answer = self._call("POST", "/keys", json=body)
        return answer["data"], answer["key"]

    def update_key(self, key_hash: str, **fields: Any) -> dict:
        """`PATCH /keys/{hash}` with `disabled`, `limit`, `limit_reset` or `name`."""
        return self._call("PATCH", f"/keys/{key_hash}", json=fields)["data"]

    def delete_key(self, key_hash: str) -> None:
        """`DELETE /keys/{hash}`."""
        self._call("DELETE", f"/keys/{key_hash}")

    def list_guardrails(self) -> list[dict]:
        """Every guardrail of the account (`GET /guardrails`, paged by `offset` up to `total_count`)."""
        rows: list[dict] = []
        while True:
            answer = self._call("GET", "/guardrails", params={"offset": len(rows), "limit": PAGE})
            rows += answer["data"]
            if not answer["data"] or len(rows) >= answer["total_count"]:
                return rows

    def create_guardrail(self, body: dict) -> dict:
        """`POST /guardrails` (`name`, `allowed_models`, `enable_*_training`, ...): the new guardrail."""
        return self._call("POST", "/guardrails", json=body)["data"]

    def assign_keys(self, guardrail_id: str, key_hashes: list[str]) -> int:
        """`POST /guardrails/{id}/assignments/keys`: how many keys were assigned."""
        answer = self._call("POST", f"/guardrails/{guardrail_id}/assignments/keys", json={"key_hashes": key_hashes})
        return int(answer["assigned_count"])

    def delete_guardrail(self, guardrail_id: str) -> None:
        """`DELETE /guardrails/{id}`."""
        self._call("DELETE", f"/guardrails/{guardrail_id}")
