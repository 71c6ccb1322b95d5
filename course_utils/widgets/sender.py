"""The prompt sender: system + user prompt, model and settings, 送信; the answer streams in as it arrives."""
from __future__ import annotations

import html
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import course_utils

from .. import config, retry_notice
from ..error_messages import MESSAGES
from ..exceptions import InputProblem
from ..text import WIDGETS as TEXT
from . import calls
from .formatting import Shown, answer_html, count, explain_html, money, pre, usage_value
from .picker import ModelPicker
from .recorded import Key, example_label, recorded_requests

if TYPE_CHECKING:
    import ipywidgets


@dataclass
class Reply:
    """What came back for one request, gathered chunk by chunk."""

    started: float
    text: str = ""
    finish: str | None = None
    provider: str | None = None
    usage: Any = None
    first_seconds: float | None = None
    seconds: float = 0.0
    thinking: bool = False

    def add(self, part: Any) -> str:
        """Take one streamed chunk (or a whole response); return its new answer text."""
        choice = part.choices[0] if part.choices else None
        message = getattr(choice, "delta", None) or getattr(choice, "message", None)
        new = getattr(message, "content", None) or ""
        if new and self.first_seconds is None:
            self.first_seconds = time.perf_counter() - self.started
        self.text += new
        self.thinking = bool(getattr(message, "reasoning", None)) and not self.text
        self.finish = getattr(choice, "finish_reason", None) or self.finish
        self.provider = getattr(part, "provider", None) or self.provider
        self.usage = part.usage or self.usage
        return new

    def usage_line(self) -> str:
        """Tokens, finish reason, provider, latency and cost in one line."""
        finish = TEXT["finish"].get(self.finish or "", self.finish or TEXT["unknown"])
        latency = TEXT["latency"].format(total=self.seconds, first=self.first_seconds or self.seconds)
        return TEXT["usage"].format(
            prompt=count(self.usage, "prompt_tokens"), completion=count(self.usage, "completion_tokens"),
            total=count(self.usage, "total_tokens"),
            finish=finish, provider=self.provider or TEXT["unknown"], latency=latency,
            cost=money(usage_value(self.usage, "cost")))


class PromptSender(Shown):
    """System + user prompt, model, temperature, max tokens and 送信; the answer streams in as it arrives."""

    placeholder = "sender"

    def __init__(self, picker: ModelPicker | None = None):
        import ipywidgets as w

        wide = w.Layout(width="100%")
        self.picker = picker
        self.recorded = recorded_requests()
        self.system = w.Textarea(description=TEXT["system"], placeholder=TEXT["system_hint"], layout=wide)
        self.prompt = w.Textarea(description=TEXT["prompt"], placeholder=TEXT["prompt_hint"],
                                 layout=w.Layout(width="100%", height="6em"))
        self.model = w.Text(value=(picker.value if picker else None) or course_utils.MODELS.free,
                            description=TEXT["model"], layout=w.Layout(width="28em"))
        self.temperature = w.FloatSlider(value=0.7, min=0.0, max=2.0, step=0.1, description=TEXT["temperature"])
        self.max_tokens = w.BoundedIntText(value=512, min=1, max=32_000, step=64, description=TEXT["max_tokens"])
        self.button = w.Button(description=TEXT["send"], button_style="primary", icon="paper-plane")
        self.code_toggle = w.ToggleButton(description=TEXT["show_code"], icon="code")
        self.answer = w.HTML()
        self.status = w.HTML()
        self.code = w.HTML(layout=w.Layout(display="none"))
        self.answer.add_class("course-answer")
        self.status.add_class("course-status")
        self.code.add_class("course-code")
        self.last_body: dict | None = None
        self.updates = 0  # how many times the answer was redrawn while streaming
        self.button.on_click(lambda _: self.send())
        self.code_toggle.observe(lambda _: self._show_code(), names="value")
        if picker is not None:
            picker.observe(lambda model: setattr(self.model, "value", model or self.model.value))
        rows = [self.system, self.prompt, w.HBox([self.model, self.temperature, self.max_tokens]),
                w.HBox([self.button, self.code_toggle]), self.answer, self.status, self.code]
        self.examples: ipywidgets.Dropdown | None = None  # recorded prompts, replay mode only
        if course_utils.MODE == "replay":
            self.examples = w.Dropdown(description=TEXT["recorded_prompts"], layout=wide,
                                       options=[(TEXT["recorded_choose"], ())]
                                       + [(example_label(*key), key) for key in self.recorded])
            self.examples.observe(lambda change: self.use_recorded(change["new"]), names="value")
            rows = [w.HTML(TEXT["replay_hint"]), self.examples, *rows]
        self.widget = w.VBox(rows)

    def use_recorded(self, key: Key | tuple[()]) -> None:
        """Fill the boxes with a recorded request (replay mode): model, prompt, system prompt and settings."""
        body = self.recorded.get(key) if key else None
        if body is None:
            return
        self.model.value, self.prompt.value = key[:2]
        self.system.value = calls.system_of(body["messages"])
        self.temperature.value = body.get("temperature", self.temperature.value)
        self.max_tokens.value = body.get("max_tokens", self.max_tokens.value)

    def request_body(self) -> dict:
        """The JSON body `send()` posts; in replay mode a matching recording's exact body."""
        model, prompt = self.model.value.strip(), self.prompt.value
        recorded = self.recorded.get((model, prompt, self.system.value.strip()))
        if recorded is not None and calls.messages(self.system.value, prompt) == recorded["messages"]:
            return recorded
        return {"model": model, "messages": calls.messages(self.system.value, prompt),
                "temperature": self.temperature.value, "max_tokens": self.max_tokens.value, "stream": True}

    def send(self) -> None:
        """What 送信 does: check the model and prompt, stream the answer into the widget, then show usage."""
        from ..errors import check_prompt

        self.answer.value, self.updates = "", 0
        self.status.value = TEXT["waiting"]
        self.button.disabled = True
        model = self.model.value.strip()
        try:
            if not model:
                raise InputProblem("model_empty", MESSAGES["model_empty"]["what"])
            check_prompt(self.prompt.value, model)
            self.last_body = body = self.request_body()
            self._show_code()
            # openai's retry waits (a 429's Retry-After can take up to two minutes) are said in the status line.
            with retry_notice.shown_by(lambda text: setattr(self.status, "value", html.escape(text))):
                reply = self._receive(body)
            if not reply.text:
                self.answer.value = pre(TEXT["empty_answer"])
            self.status.value = html.escape(reply.usage_line())
        except Exception as exc:  # shown in Japanese inside the widget; the widget stays usable
            self.status.value = explain_html(exc, model_box=model)
        finally:
            self.button.disabled = False

    def _receive(self, body: dict) -> Reply:
        from ..errors import check_completion, finish_stream

        reply = Reply(started=time.perf_counter())
        result = calls.client().chat.completions.create(**calls.create_kwargs(body))
        if body.get("stream"):
            finish_stream(self._show_each(result, reply))  # raises if the stream broke off or ended in an error
        else:
            self._show(check_completion(result), reply)
        reply.seconds = time.perf_counter() - reply.started
        return reply

    def _show_each(self, stream: Iterable[Any], reply: Reply) -> Iterator[Any]:
        pace = config.replay_pace() if course_utils.MODE == "replay" else 0.0
        for chunk in stream:
            if self._show(chunk, reply):
                time.sleep(pace)
            yield chunk

    def _show(self, part: Any, reply: Reply) -> bool:
        """Redraw the answer if `part` added text (True), else say the model is thinking if it is."""
        if reply.add(part):
            self.answer.value, self.updates = answer_html(reply.text), self.updates + 1
            self.status.value = TEXT["streaming"]
            return True
        if reply.thinking:
            self.status.value = TEXT["thinking"]
        return False

    def code_text(self) -> str:
        """Plain `openai` code for the last request (or the current settings before the first send)."""
        return calls.plain_code(self.last_body or self.request_body(), course_utils.BASE_URL)

    def _show_code(self) -> None:
        shown = self.code_toggle.value
        self.code.layout.display = None if shown else "none"
        self.code.value = f"<pre>{html.escape(self.code_text())}</pre>" if shown else ""


def prompt_sender(picker: ModelPicker | None = None) -> PromptSender:
    """A prompt sender; with a picker, its model follows the picker's choice."""
    return PromptSender(picker)
