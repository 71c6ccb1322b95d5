"""`POST /chat/completions`: validation, model fallbacks, provider routing, answers and faults."""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from werkzeug import Request, Response

from .. import auth, sse, tokens
from ..answers import AnswerBook
from ..catalogue import Catalogue
from ..completion import Attempt, Generation, generate
from ..errors import error_body, error_response, message_error, sample_names, sample_response, status_of
from ..faults import ECHO, USAGE_NO_CHOICES, Fault, reset_connection
from ..ids import Clock, prefixed_id, request_digest
from ..ledger import Ledger
from ..routing import NoAllowedProviders, rank
from ..wire import JSON_TYPE, dumps, json_response

IN_BODY_ERROR = "200-error-in-body"
_ROUTING_HINT = "{what}. To learn more about provider routing, visit: https://openrouter.ai/docs/guides/routing/provider-selection"
_MAX_IMAGE_BYTES = 30 * 1024 * 1024
# Faults after which the client has no complete answer: such a completion is not counted as successful.
_UNFINISHED = (IN_BODY_ERROR, "stream-cut", "stream-error", "malformed-json")


@dataclass
class ChatState:
    """What the chat handler reads and writes on the server."""

    catalogue: Catalogue
    answers: AnswerBook
    ledger: Ledger
    clock: Clock
    generations: dict[str, Generation]


@dataclass(frozen=True)
class _Request:
    """The parts of one chat request the handler works with."""

    body: dict
    digest: bytes
    created: int
    generation_id: str

    def model_error(self, name: str, state: ChatState, model_id: str) -> Response:
        model = state.catalogue.get(model_id) or {}
        return sample_response(name, created=self.created, generation_id=self.generation_id, model=model_id,
                               permaslug=model.get("canonical_slug"))


def chat(state: ChatState, request: Request, fault: Fault | None) -> Response:
    """Answer one chat request (with `fault` applied, if one was injected for it)."""
    kind = fault.kind if fault else None
    if kind == "reset":
        return reset_connection(request)
    if kind == "slow":
        time.sleep(fault.seconds)
        kind = None
    rejected = auth.rejection(request)
    if rejected:
        return rejected
    body = request.get_json(silent=True) or {}
    digest = request_digest(body)
    created, serial = state.clock.take(digest)
    req = _Request(body, digest, created, prefixed_id("gen", serial, created))
    if not body.get("messages"):
        return error_response(error_body("400-missing-messages"), 400, req.generation_id)
    candidates = list(dict.fromkeys(([body["model"]] if body.get("model") else []) + (body.get("models") or [])))
    if not candidates:
        return error_response(message_error(400, "No models provided", with_user=True), 400, req.generation_id)
    unknown = next((m for m in candidates
                    if state.catalogue.get(m) is None and not state.catalogue.retired_free(m)), None)
    if unknown:
        return error_response(error_body("400-invalid-model", unknown), 400, req.generation_id)
    if kind in sample_names() and kind != IN_BODY_ERROR:
        return req.model_error(kind, state, candidates[0])
    served = _serve(state, req, candidates, request)
    if isinstance(served, Response):
        return served
    gen, answer_error, slow_start = served
    if kind == ECHO:
        gen, kind = _echoing(gen, auth.bearer_key(request) or ""), None
    state.generations[gen.id] = gen
    kind = kind or answer_error
    if kind not in _UNFINISHED:
        state.ledger.charge(gen.cost, free_model=gen.model["id"].endswith(":free"))
    headers = {"X-Generation-Id": gen.id}
    if body.get("stream"):
        return Response(_stream(gen, kind, slow_start), content_type=sse.CONTENT_TYPE,
                        headers={**headers, "Cache-Control": "no-cache"})
    time.sleep(slow_start)
    return _json(gen, kind, headers)


def _serve(state: ChatState, req: _Request, candidates: list[str],
           request: Request) -> tuple[Generation, str | None, float] | Response:
    """Try each model in turn (the `models` fallback list); the first that serves wins."""
    texts = [_text(m.get("content")) for m in req.body["messages"]]
    prompt = next((_text(m.get("content")) for m in reversed(req.body["messages"]) if m.get("role") == "user"), "")
    system = next((_text(m.get("content")) for m in req.body["messages"] if m.get("role") == "system"), None)
    attempts: list[Attempt] = []
    failure: Response | None = None
    for model_id in candidates:
        model = state.catalogue.get(model_id)
        if model is None:  # a retired free variant: unknown ids were refused before
            failure = error_response(error_body("404-no-endpoints", model_id), 404, req.generation_id)
            continue
        try:
            endpoint = rank(state.catalogue.endpoints(model), req.body.get("provider"), req.digest, model_id)[0]
        except NoAllowedProviders as exc:
            failure = error_response(exc.body, 404, req.generation_id)
            continue
        refused = capability_error(model, req.body)
        if refused:
            failure = error_response(refused[1], refused[0], req.generation_id)
            continue
        answer = state.answers.find(model_id, prompt, system)
        if answer.error and answer.error != IN_BODY_ERROR:
            attempts.append(Attempt(model, endpoint, status_of(answer.error)))
            failure = req.model_error(answer.error, state, model_id)
            continue
        gen = generate(generation_id=req.generation_id, model=model, endpoint=endpoint, answer=answer, texts=texts,
                       max_tokens=req.body.get("max_completion_tokens") or req.body.get("max_tokens"),
                       digest=req.digest, created=req.created, streamed=bool(req.body.get("stream")),
                       request_headers=dict(request.headers), session_id=req.body.get("session_id"),
                       attempts=attempts, call_tool=_wants_tool_call(req.body),
                       with_image="image" in (req.body.get("modalities") or []))
        return gen, answer.error, answer.slow_start
    return failure


def _echoing(gen: Generation, key: str) -> Generation:
    """`gen` as a proxy that echoes the request's key would pass it on: the key appended to the answer's text."""
    content = f"{gen.content}\n\n（プロキシーが受け取ったキー: {key}）"
    counted = tokens.count_tokens(content, gen.model["architecture"]["tokenizer"])
    return replace(gen, content=content, content_tokens=counted)


def _wants_tool_call(body: dict) -> bool:
    """Tools are offered and no tool result has come back since the last user message."""
    roles = [m.get("role") for m in body["messages"]]
    last_user = max((i for i, role in enumerate(roles) if role == "user"), default=-1)
    return bool(body.get("tools")) and "tool" not in roles[last_user + 1:]


def _image_urls(messages: list[dict]) -> list[str]:
    """The `image_url` content parts' URLs (data URLs included) of every message."""
    return [part["image_url"].get("url", "") for m in messages if isinstance(m.get("content"), list)
            for part in m["content"] if isinstance(part, dict) and part.get("type") == "image_url"
            and isinstance(part.get("image_url"), dict)]


def _data_url_bytes(url: str) -> int:
    """The decoded size of a base64 data URL (0 for an http URL)."""
    if not url.startswith("data:") or ";base64," not in url:
        return 0
    return len(url.split(",", 1)[1]) * 3 // 4


def capability_error(model: dict, body: dict) -> tuple[int, dict] | None:
    """What OpenRouter answers when no endpoint of `model` can serve the request's features, else None.

    Messages as OpenRouter words them (quoted in public bug reports): tools to a model without `tools`, image parts
    to a model without image input, output `modalities` the model lacks (with its routing funnel), a JSON schema
    with `provider.require_parameters` to a model without `structured_outputs` (without it the field is ignored),
    and an image over 30 MB (413)."""
    supported = model["supported_parameters"]
    architecture = model["architecture"]
    if body.get("tools") and "tools" not in supported:
        return 404, message_error(404, _ROUTING_HINT.format(what="No endpoints found that support tool use"))
    urls = _image_urls(body["messages"])
    if urls and "image" not in architecture["input_modalities"]:
        return 404, message_error(404, "No endpoints found that support image input")
    if any(_data_url_bytes(url) > _MAX_IMAGE_BYTES for url in urls):
        return 413, {"error": {"message": "Downloaded image content cannot exceed 30MB", "code": 413,
                               "metadata": {"provider_name": None}}}
    wanted = body.get("modalities") or []
    if any(m not in architecture["output_modalities"] for m in wanted):
        return 404, {"error": {"message": "No endpoints found that support the requested output modalities: "
                                          + ", ".join(wanted), "code": 404,
                               "metadata": {"routing_funnel": [{"step": "Initial Endpoints", "endpoint_count": 1}],
                                            "failed_routing_step": "Filter by Model Output Modalities"}}}
    schema = (body.get("response_format") or {}).get("type") == "json_schema"
    if schema and "structured_outputs" not in supported and (body.get("provider") or {}).get("require_parameters"):
        return 404, message_error(404, _ROUTING_HINT.format(
            what="No endpoints found that can handle the requested parameters"))
    return None


def _text(content: object) -> str:
    """The text of a message's `content` (a string or a list of parts)."""
    if isinstance(content, list):
        return "\n".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def _json(gen: Generation, kind: str | None, headers: dict[str, str]) -> Response:
    """The non-streaming body; stream faults map to what they would do to a plain body."""
    body = gen.completion_body()
    if kind in ("malformed-json", "stream-cut"):
        text = dumps(body)
        return Response(text[:len(text) // 2], headers=headers, content_type=JSON_TYPE)
    if kind in (IN_BODY_ERROR, "stream-error"):
        sample_choice = error_body(IN_BODY_ERROR)["choices"][0]
        choice = body["choices"][0]
        choice["message"]["content"] = gen.content[:len(gen.content) // 2]
        choice.update(finish_reason="error", native_finish_reason="error", error=sample_choice["error"])
    return json_response(body, headers=headers)


def _stream(gen: Generation, kind: str | None, slow_start: float) -> Iterator[str]:
    """The SSE body, possibly broken off or ended by an error event."""
    if slow_start:
        yield from sse.keepalives(slow_start)
    events = sse.token_events(gen)
    if kind in (None, USAGE_NO_CHOICES):
        yield from events + sse.closing_events(gen, usage_choice=kind is None)
        return
    yield from events[:len(events) // 2]
    if kind in ("stream-error", IN_BODY_ERROR):
        yield sse.midstream_error_event(gen)
    elif kind == "malformed-json":
        yield "data: " + dumps(gen.usage())[:20] + "\n\n"
