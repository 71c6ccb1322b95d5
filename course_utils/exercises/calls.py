"""Offline checking of a learner's complete `client.chat.completions.create(...)` call.

The learner writes an ordinary call inside a function, e.g.
`def ask(client): return client.chat.completions.create(...)`.
`record_call` runs that function against a stand-in client that nothing leaves: it binds the keyword arguments to
the real `openai` signature (so an OpenRouter-only field passed directly raises the very TypeError a real client
raises) and records them. The lesson modules judge the recorded arguments.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Learner-facing text.
HINTS = {
    "not_function": "check には、def で作った関数（例: ask）をそのまま渡してください"
                    "（ask() のようにカッコは付けません）。",
    "no_call": "関数の中で client.chat.completions.create(...) を呼んでいません。"
               "return の後ろに呼び出しを書きましょう。",
    "openrouter_field": "{name} は OpenAI にはない OpenRouter だけの項目なので、create() に直接は書けません"
                        "（TypeError: unexpected keyword argument '{name}'）。"
                        "extra_body={{\"{name}\": ...}} の中に入れて渡します。",
    "unknown_field": "create() には {name} という引数はありません（TypeError: {error}）。つづりを確かめてください。",
    "missing": "create() には model=... と messages=... の両方が必要です。",
    "positional": "create() の引数は、model=... や messages=... のように「名前=値」の形で書きます。",
    "raised": "関数を実行したところでエラーになりました（{kind}: {error}）。エラーの行を直してください。",
    "practice_answer": "（練習用のクライアントなので、実際には送信していません）",
}

# Fields OpenRouter adds to the OpenAI request body; they belong in extra_body.
OPENROUTER_FIELDS = ("models", "provider", "plugins", "transforms", "usage", "reasoning", "route", "session_id")


@dataclass
class RecordedCall:
    """The keyword arguments of one `create(...)` call (extra_body merged the way it is sent)."""

    kwargs: dict[str, Any]
    body: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.body.get(name, default)


def _signature() -> inspect.Signature:
    from openai.resources.chat.completions import Completions

    return inspect.signature(Completions.create)


def _practice_reply(model: Any, stream: bool) -> Any:
    """A real openai object (or stream of chunks) so that code reading the answer keeps working."""
    from openai.types.chat import ChatCompletion, ChatCompletionChunk

    text, name = HINTS["practice_answer"], str(model)
    if stream:
        return iter([ChatCompletionChunk.model_validate({
            "id": "gen-practice", "object": "chat.completion.chunk", "created": 0, "model": name,
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": "stop"}]})])
    return ChatCompletion.model_validate({
        "id": "gen-practice", "object": "chat.completion", "created": 0, "model": name,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}})


class CallError(TypeError):
    """The TypeError of a wrong `create(...)` argument, raised by the practice client."""


class _Completions:
    def __init__(self, calls: list[RecordedCall]):
        self._calls = calls

    def create(self, *args: Any, **kwargs: Any) -> Any:
        try:
            _signature().bind(self, *args, **kwargs)
        except TypeError as error:  # what a real client raises for the same arguments
            raise CallError(f"Completions.create() {error}") from None
        if "model" not in kwargs or "messages" not in kwargs:
            raise CallError("Completions.create() missing required arguments: 'messages' and 'model'")
        body = {k: v for k, v in kwargs.items() if k not in ("extra_body", "extra_headers", "extra_query", "timeout")}
        body.update(kwargs.get("extra_body") or {})
        self._calls.append(RecordedCall(kwargs, body))
        return _practice_reply(kwargs.get("model"), bool(kwargs.get("stream")))


class PracticeClient:
    """Stands in for `OpenAI(...)`: `client.chat.completions.create(...)` records its arguments, sends nothing."""

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self.chat = type("Chat", (), {})()
        self.chat.completions = _Completions(self.calls)


def _call_error_hint(error: CallError) -> str:
    message = str(error)
    if "positional" in message:
        return HINTS["positional"]
    if "missing" in message:
        return HINTS["missing"]
    name = message.rsplit("'", 2)[-2] if message.count("'") >= 2 else ""
    if name in OPENROUTER_FIELDS:
        return HINTS["openrouter_field"].format(name=name)
    return HINTS["unknown_field"].format(name=name or "その名前", error=message)


def record_call(function: Any, *args: Any) -> tuple[RecordedCall | None, str | None]:
    """Run the learner's function with a practice client; return (the last call, None) or (None, a hint)."""
    if not callable(function):
        return None, HINTS["not_function"]
    client = PracticeClient()
    try:
        function(client, *args)
    except CallError as error:
        return None, _call_error_hint(error)
    except Exception as error:  # the learner's own code failed: name it, keep the lesson going
        return None, HINTS["raised"].format(kind=type(error).__name__, error=error)
    if not client.calls:
        return None, HINTS["no_call"]
    return client.calls[-1], None


def record_calls(function: Callable[..., Any], argument_sets: list[tuple]) -> tuple[list[RecordedCall], str | None]:
    """Like `record_call`, once per argument tuple (e.g. one model id each); stops at the first hint."""
    calls = []
    for arguments in argument_sets:
        call, problem = record_call(function, *arguments)
        if problem:
            return calls, problem
        calls.append(call)
    return calls, None


MESSAGE_HINTS = {
    "not_list": "messages は、{\"role\": ..., \"content\": ...} の辞書を [ ] で並べたリストにします。",
    "not_dict": "messages の中身は、{\"role\": \"user\", \"content\": \"…\"} の形の辞書にします。",
    "role": "role は \"system\"・\"user\"・\"assistant\" のどれかです（{role!r} になっています）。",
    "content": "content には、送る文章を文字列で書きます。",
    "no_user": "role が \"user\" の発言（質問）を messages に入れてください。",
}


def messages_problem(messages: Any) -> str | None:
    """A hint when `messages` is not a list of role/content dicts with at least one user turn."""
    if not isinstance(messages, list) or not messages:
        return MESSAGE_HINTS["not_list"]
    for message in messages:
        if not isinstance(message, dict):
            return MESSAGE_HINTS["not_dict"]
        if message.get("role") not in ("system", "user", "assistant"):
            return MESSAGE_HINTS["role"].format(role=message.get("role"))
        if not isinstance(message.get("content"), str) or not message["content"].strip():
            return MESSAGE_HINTS["content"]
    if not any(m["role"] == "user" for m in messages):
        return MESSAGE_HINTS["no_user"]
    return None


def output_limit(call: RecordedCall) -> Any:
    """The output limit the call sets (`max_tokens`, or the newer `max_completion_tokens`), None if unset."""
    return call.get("max_tokens", call.get("max_completion_tokens"))


def limit_problem(call: RecordedCall, expected: int, hints: dict[str, str]) -> str | None:
    """The exercise's hint when the call's output limit is missing or not `expected` (hints: limit_missing,
    limit_wrong with {value}); None when it is right. True/False are no limit, though `True == 1`."""
    limit = output_limit(call)
    if limit is None:
        return hints["limit_missing"]
    if limit != expected or isinstance(limit, bool):
        return hints["limit_wrong"].format(value=limit)
    return None
