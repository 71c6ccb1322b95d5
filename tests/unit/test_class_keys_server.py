"""FakeOpenRouter's Management API as OpenRouter's OpenAPI description (2026-08-22) documents it."""
from __future__ import annotations

from collections.abc import Iterator

import httpx2
import openai
import pytest

from fake_openrouter import REVOKED_KEY, FakeOpenRouter
from fake_openrouter.auth import MANAGEMENT_KEY

# The fields every key record of GET/POST/PATCH /keys carries (the schema's `required`).
KEY_FIELDS = {"hash", "name", "label", "disabled", "limit", "limit_remaining", "limit_reset", "include_byok_in_limit",
              "usage", "usage_daily", "usage_weekly", "usage_monthly", "byok_usage", "byok_usage_daily",
              "byok_usage_weekly", "byok_usage_monthly", "created_at", "updated_at", "creator_user_id", "workspace_id"}


@pytest.fixture
def server() -> Iterator[FakeOpenRouter]:
    with FakeOpenRouter() as fake:
        yield fake


@pytest.fixture
def admin(server: FakeOpenRouter) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {MANAGEMENT_KEY}"}) as client:
        yield client


def test_create_answers_201_with_the_key_once(admin: httpx2.Client) -> None:
    created = admin.post("/keys", json={"name": "t-01", "limit": 2, "limit_reset": "weekly",
                                        "expires_at": "2030-01-01T00:00:00Z"})
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {"data", "key"} and set(body["data"]) >= KEY_FIELDS
    assert (body["data"]["limit"], body["data"]["limit_remaining"], body["data"]["limit_reset"]) == (2, 2, "weekly")
    assert created.text.count(body["key"]) == 1
    again = admin.get(f"/keys/{body['data']['hash']}")
    assert set(again.json()) == {"data"} and body["key"] not in again.text
    assert body["key"] not in admin.get("/keys").text


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x", "limit_reset": "yearly"},
                                  {"name": "x", "expires_at": "2030-01-01T09:00:00+09:00"}])
def test_create_refuses_what_the_description_forbids(admin: httpx2.Client, body: dict) -> None:
    answer = admin.post("/keys", json=body)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == 400


def test_list_pages_by_offset_and_hides_disabled_keys_unless_asked(admin: httpx2.Client) -> None:
    hashes = [admin.post("/keys", json={"name": f"p-{n:03d}"}).json()["data"]["hash"] for n in range(1, 103)]
    first, second = admin.get("/keys").json()["data"], admin.get("/keys", params={"offset": 100}).json()["data"]
    assert (len(first), len(second)) == (100, 2)
    assert first[0]["name"] == "p-102" and {k["name"] for k in second} == {"p-001", "p-002"}  # newest first
    assert admin.patch(f"/keys/{hashes[0]}", json={"disabled": True}).json()["data"]["disabled"] is True
    names = lambda params: {k["name"] for k in admin.get("/keys", params=params).json()["data"]}  # noqa: E731
    assert "p-001" not in names({"offset": 100}) and "p-001" in names({"offset": 100, "include_disabled": "true"})


def test_delete_and_unknown_hashes(admin: httpx2.Client) -> None:
    key_hash = admin.post("/keys", json={"name": "d-01"}).json()["data"]["hash"]
    assert admin.delete(f"/keys/{key_hash}").json() == {"deleted": True}
    for method in ("GET", "PATCH", "DELETE"):
        assert admin.request(method, f"/keys/{key_hash}", json={}).status_code == 404


def test_only_a_management_key_manages(server: FakeOpenRouter, fake_key: str) -> None:
    ordinary = httpx2.get(f"{server.base_url}/keys", headers={"Authorization": f"Bearer {fake_key}"})
    assert ordinary.status_code == 403
    assert ordinary.json()["error"]["message"] == "Only management keys can perform this operation"
    for key in (REVOKED_KEY, None):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        assert httpx2.post(f"{server.base_url}/guardrails", headers=headers, json={"name": "g"}).status_code == 401


def test_a_management_key_cannot_call_completions_but_knows_it_is_one(server: FakeOpenRouter) -> None:
    client = openai.OpenAI(base_url=server.base_url, api_key=MANAGEMENT_KEY, max_retries=0)
    with pytest.raises(openai.PermissionDeniedError):
        client.chat.completions.create(model="google/gemma-3-27b-it", messages=[{"role": "user", "content": "x"}])
    info = httpx2.get(f"{server.base_url}/key", headers={"Authorization": f"Bearer {MANAGEMENT_KEY}"}).json()["data"]
    assert info["is_management_key"] is True


def test_guardrail_assignment_limits_a_class_key_to_its_models(admin: httpx2.Client, server: FakeOpenRouter) -> None:
    assert admin.post("/guardrails", json={"name": "g", "allowed_models": ["no/such-model"]}).status_code == 400
    guardrail = admin.post("/guardrails", json={"name": "g", "allowed_models": ["google/gemma-3-27b-it"]})
    assert guardrail.status_code == 201
    gid = guardrail.json()["data"]["id"]
    made = admin.post("/keys", json={"name": "g-01", "limit": 1}).json()
    assert admin.post(f"/guardrails/{gid}/assignments/keys",
                      json={"key_hashes": [made["data"]["hash"]]}).json() == {"assigned_count": 1}
    listed = admin.get(f"/guardrails/{gid}/assignments/keys").json()
    assert listed["total_count"] == 1 and listed["data"][0]["key_name"] == "g-01"
    student = openai.OpenAI(base_url=server.base_url, api_key=made["key"], max_retries=0)
    answer = student.chat.completions.create(model="google/gemma-3-27b-it",
                                             messages=[{"role": "user", "content": "こんにちは"}])
    with pytest.raises(openai.PermissionDeniedError):
        student.chat.completions.create(model="anthropic/claude-haiku-4.5", messages=[{"role": "user", "content": "x"}])
    own = httpx2.get(f"{server.base_url}/key", headers={"Authorization": f"Bearer {made['key']}"}).json()["data"]
    assert own["usage"] == pytest.approx(answer.usage.cost)
    assert own["limit_remaining"] == pytest.approx(1 - answer.usage.cost)
    assert admin.delete(f"/guardrails/{gid}").json() == {"deleted": True}
