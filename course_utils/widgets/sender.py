"""The prompt sender: system + user prompt, model and settings, 送信; the answer streams in as it arrives.

送信 starts the request on a background thread, so that the kernel can take the next click: while it
runs the button reads 止める, and the status line counts the seconds. A stopped run is left to end by
itself (a stalled read cannot be interrupted from another thread; its timeout ends it) and shows nothing
more: every update first checks that its run is still the sender's current one.
"""
from __future__ import annotations

import functools
import html
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import course_utils

from .. import config, retry_notice
from ..course_errors import InputProblem
from ..text import ERRORS
from ..text import WIDGETS as TEXT
from . import calls
from .formatting import Shown, answer_html, explain_html, images_html, in_model_box, pre, stalled
from .picker import ModelPicker
from .recorded import Key, differences, example_label, in_examples, recorded_requests
from .reply import Reply

if TYPE_CHECKING:
    import ipywidgets

TICK_SECONDS = 1.0  # how often the status line's elapsed seconds are redrawn while waiting


class Stopped(Exception):
    """Raised inside a run that 止める ended, to leave its stream."""


class Run:
    """One press of 送信: when it started, what the status line says, whether 止める ended it."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.phase = TEXT["waiting"]
        self.stopped = False
        self.done = threading.Event()

    def seconds(self) -> int:
        return int(time.perf_counter() - self.started)


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
        # shown only for a model that makes images (the catalogue's output_modalities)
        self.make_images = w.Checkbox(description=TEXT["make_images"], value=False, indent=False,
                                      layout=w.Layout(display="none"))
        self.button = w.Button()
        self.code_toggle = w.ToggleButton(description=TEXT["show_code"], icon="code")
        self.answer = w.HTML()
        self.status = w.HTML()
        self.code = w.HTML(layout=w.Layout(display="none"))
        self.match = w.HTML()  # replay mode: whether the boxes hold a 収録例, else which box differs
        self.answer.add_class("course-answer")
        self.status.add_class("course-status")
        self.code.add_class("course-code")
        self.last_body: dict | None = None
        self.updates = 0  # how many times the answer was redrawn while streaming
        self.run: Run | None = None  # the request under way
        self.worker: threading.Thread | None = None  # the thread of the last 送信 click
        self._lock = threading.RLock()  # one run's updates, a stop and the next run do not interleave
        self._ready()
        self.button.on_click(lambda _: self.click())
        self.code_toggle.observe(lambda _: self._show_code(), names="value")
        self.model.observe(lambda _: self._offer_images(), names="value")
        self._offer_images()
        if picker is not None:
            picker.observe(lambda model: setattr(self.model, "value", model or self.model.value))
        rows = [self.system, self.prompt, w.HBox([self.model, self.temperature, self.max_tokens]),
                w.HBox([self.button, self.code_toggle, self.make_images]), self.answer, self.status, self.code]
        self.examples: ipywidgets.Dropdown | None = None  # recorded prompts, replay mode only
        if course_utils.MODE == "replay":
            self.examples = w.Dropdown(description=TEXT["recorded_prompts"], layout=wide,
                                       options=[(TEXT["recorded_choose"], ())]
                                       + [(example_label(*key), key) for key in self.recorded])
            self.examples.observe(lambda change: self.use_recorded(change["new"]), names="value")
            for box in (self.model, self.prompt, self.system):  # typed text never departs from an example unsaid
                box.observe(lambda _: self._show_match(), names="value")
            rows = [w.HTML(TEXT["replay_hint"]), self.examples, *rows[:3], self.match, *rows[3:]]
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

    def key(self) -> Key:
        """What the boxes hold, as the 収録例 are keyed: (model, prompt, system prompt)."""
        return self.model.value.strip(), self.prompt.value, self.system.value.strip()

    def request_body(self) -> dict:
        """The JSON body `send()` posts; in replay mode a matching recording's exact body."""
        key, messages = self.key(), calls.messages(self.system.value, self.prompt.value)
        recorded = self.recorded.get(key) or self._recorded_elsewhere(key)
        if recorded is not None and messages == recorded["messages"]:
            return recorded
        body = {"model": key[0], "messages": messages, "temperature": self.temperature.value,
                "max_tokens": self.max_tokens.value, "stream": True}
        outputs = self._output_modalities()
        if self.make_images.value and "image" in outputs:
            body["modalities"] = ["image", "text"] if "text" in outputs else ["image"]
        return body

    @functools.cached_property
    def _every_lesson(self) -> dict[Key, dict]:
        """Every lesson's recorded requests (the 収録例 list only the running lesson's): read once, when the boxes
        first hold something the list lacks, instead of on every keystroke."""
        return recorded_requests(every_lesson=True)

    def _recorded_elsewhere(self, key: Key) -> dict | None:
        """Another lesson's recording of what the boxes hold."""
        return self._every_lesson.get(key)

    def _output_modalities(self) -> list[str]:
        """The chosen model's output_modalities in the catalogue ([] if unlisted or no catalogue)."""
        from ..catalog import get_model

        try:
            model = get_model(self.model.value.strip()) or {}
        except Exception:  # no catalogue (offline, not recorded): the checkbox is simply not offered
            return []
        return (model.get("architecture") or {}).get("output_modalities") or []

    def _offer_images(self) -> None:
        self.make_images.layout.display = None if "image" in self._output_modalities() else "none"

    def _show_match(self) -> None:
        if not self.prompt.value.strip():
            self.match.value = ""
            return
        key = self.key()
        found = differences(key, self.recorded)
        if found == []:
            text = TEXT["match_ok"]
        elif self._recorded_elsewhere(key):
            text = TEXT["match_elsewhere"]
        else:
            text = TEXT["match_differs"] + "".join(found or [TEXT["differs_none"]])
        self.match.value = html.escape(text)

    def click(self) -> None:
        """What the button does: 送信 starts a request in the background; 止める (while one runs) stops it."""
        with self._lock:
            if self.run is not None:
                self.stop()
                return
            run = self.run = Run()
        self.worker = threading.Thread(target=self._send, args=(run, True), daemon=True)
        self.worker.start()

    def send(self) -> None:
        """Send now and return when the answer is complete (what 送信 does, without the background thread)."""
        with self._lock:
            run = self.run = Run()
        self._send(run, stoppable=False)

    def stop(self) -> None:
        """What 止める does: end the running request; the widget is ready for the next 送信 at once."""
        with self._lock:
            run, self.run = self.run, None
            if run is None:
                return
            run.stopped = True
            self.status.value = html.escape(TEXT["stopped"].format(seconds=run.seconds()))
            self._ready()

    def _send(self, run: Run, stoppable: bool) -> None:
        """Check the model and prompt, stream the answer into the widget, then show usage (or explain)."""
        from ..guards import check_prompt

        with self._lock:
            if self.run is not run:  # 止める came before the thread started
                return
            self.answer.value, self.updates = "", 0
            self.button.description, self.button.icon, self.button.button_style = TEXT["stop"], "stop", "warning"
            self.button.disabled = not stoppable  # a direct send() holds the kernel: no click would arrive
        self._render(run)
        threading.Thread(target=self._tick, args=(run,), daemon=True).start()
        model, key = self.model.value.strip(), self.key()
        try:
            if not model:
                raise InputProblem("model_empty", ERRORS["model_empty"]["what"])
            check_prompt(self.prompt.value, model)
            self.last_body = body = self.request_body()
            self._show_code()
            # openai's retry waits (a 429's Retry-After can take up to two minutes) are said in the status line.
            with retry_notice.shown_by(lambda text: self._render(run, text)):
                reply = self._receive(body, run)
            if reply.images:
                self._update(run, self.answer, answer_html(reply.text) + images_html(reply.images))
            elif not reply.text:
                self._update(run, self.answer, pre(TEXT["empty_answer"]))
            outcome = html.escape(reply.usage_line(replayed=course_utils.MODE == "replay"))
        except Stopped:
            return
        except Exception as exc:  # shown in Japanese inside the widget; the widget stays usable
            outcome = explain_html(exc, in_model_box(model), stalled("sender", calls.STALL_SECONDS["sender"]),
                                   in_examples(key, self.recorded))
        finally:
            run.done.set()
        with self._lock:
            if self.run is run:  # not stopped: a stopped run's late error or answer is not shown
                self.status.value, self.run = outcome, None
                self._ready()

    def _receive(self, body: dict, run: Run) -> Reply:
        from ..guards import check_completion, finish_stream

        reply = Reply(started=time.perf_counter())
        result = calls.client("sender").chat.completions.create(**calls.create_kwargs(body))
        if body.get("stream"):
            try:
                # finish_stream raises if the stream broke off or ended in an error
                finish_stream(self._show_each(result, reply, run))
            finally:
                result.close()  # a stopped stream's connection is not left open
        else:
            self._show(check_completion(result), reply, run)
        reply.seconds = time.perf_counter() - reply.started
        return reply

    def _show_each(self, stream: Iterable[Any], reply: Reply, run: Run) -> Iterator[Any]:
        pace = config.replay_pace() if course_utils.MODE == "replay" else 0.0
        for chunk in stream:
            if self._show(chunk, reply, run):
                time.sleep(pace)
            yield chunk

    def _show(self, part: Any, reply: Reply, run: Run) -> bool:
        """Redraw the answer if `part` added text (True), else say the model is thinking if it is."""
        if reply.add(part):
            self._update(run, self.answer, answer_html(reply.text))
            self.updates += 1
            self._render(run, TEXT["streaming"])
            return True
        if reply.thinking:
            self._render(run, TEXT["thinking"])
        return False

    def _update(self, run: Run, box: Any, value: str) -> None:
        """Set `box.value` for `run`, or leave the run (Stopped) if 止める ended it."""
        with self._lock:
            if self.run is not run:
                raise Stopped
            box.value = value

    def _render(self, run: Run, phase: str | None = None) -> None:
        """The status line while `run` waits: what it waits for, and the seconds so far (from 1 s on)."""
        with self._lock:
            run.phase = phase or run.phase
            seconds = run.seconds()
            text = TEXT["elapsed"].format(status=run.phase, seconds=seconds) if seconds else run.phase
            if self.run is run:
                self.status.value = html.escape(text)

    def _tick(self, run: Run) -> None:
        while not run.done.wait(TICK_SECONDS):
            self._render(run)

    def _ready(self) -> None:
        self.button.description, self.button.icon, self.button.button_style = TEXT["send"], "paper-plane", "primary"
        self.button.disabled = False

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
