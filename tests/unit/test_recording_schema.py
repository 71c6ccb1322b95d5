"""Every recorded chat completion (JSON bodies and every SSE chunk, all lessons) against OpenRouter's OpenAPI schemas.

Schemas: `ChatResult` and `ChatStreamChunk` of OpenRouter's own `openapi-2026-08-22.yaml` (in the shared reference
folder next to the repository; the test is skipped where that folder is absent). Extra fields are allowed, as the
schemas themselves allow. Relaxed, because real bodies disagree with the description:
- `system_fingerprint` is not required: OpenRouter's own recorded responses (chat-fixtures-2026-01) lack it.
- a chunk's `system_fingerprint` may be null (the description says string; the 2026 captures send null).
- `provider` and `native_finish_reason` (in every real body, not in the schemas) need no relaxing: extras pass.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
OPENAPI = ROOT.parent / "shared" / "reference" / "openrouter" / "openapi" / "openapi-2026-08-22.yaml"
RECORDINGS = sorted((ROOT / "course_utils" / "recordings").glob("*.yaml"))


def _validators() -> dict[str, Draft202012Validator]:
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    schemas["ChatResult"]["required"] = [r for r in schemas["ChatResult"]["required"] if r != "system_fingerprint"]
    schemas["ChatStreamChunk"]["properties"]["system_fingerprint"]["type"] = ["string", "null"]
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(spec))
    return {name: Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{name}"}, registry=registry)
            for name in ("ChatResult", "ChatStreamChunk")}


def _chat_bodies() -> list[tuple[str, str, str]]:
    """(recording and index, schema name, JSON text) of every successful recorded chat completion and chunk."""
    found = []
    for path in RECORDINGS:
        for index, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]):
            request, response = item["request"], item["response"]
            if not request["uri"].endswith("/chat/completions") or response["status"]["code"] != 200:
                continue
            text = response["body"]["string"]
            where = f"{path.name}#{index}"
            if text.lstrip().startswith("{"):
                found.append((where, "ChatResult", text))
                continue
            found += [(f"{where} chunk {n}", "ChatStreamChunk", line.removeprefix("data: "))
                      for n, line in enumerate(text.splitlines())
                      if line.startswith("data: ") and line != "data: [DONE]"]
    return found


@pytest.mark.skipif(not OPENAPI.exists(), reason="OpenRouter's OpenAPI description is not next to the repository")
def test_every_recorded_chat_completion_matches_the_openapi_schemas():
    validators = _validators()
    bodies = _chat_bodies()
    assert len({where.split("#")[0] for where, _, _ in bodies}) >= 4  # lessons 04-08 record chat completions
    problems = [f"{where}: {error.json_path}: {error.message[:160]}"
                for where, name, text in bodies for error in validators[name].iter_errors(json.loads(text))]
    assert problems == []
