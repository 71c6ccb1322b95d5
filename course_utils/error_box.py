"""The Japanese error box: kindly(), the plain-cell error display, and the box as HTML or plain text.

Lessons wrap a call once: `with course_utils.kindly(): completion = client.chat.completions.create(...)`.
explanations.py decides which case an error is; this module fills the case's text (text.ERRORS), adds the
instructor's details and shows it. Nothing it shows or leaves in the notebook holds key material: every
string passes through redact.scrub, and so do the exception's own message and arguments.
"""
from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from .course_errors import CompletionFailed, CourseError, NotRecordedError, UnexpectedResponse
from .explanations import answer_text, caught, classify, type_name
from .redact import contains_secret, scrub
from .text import ERROR_DETAIL_LABELS, ERROR_HEADINGS, ERRORS, UNCAUGHT_LINE

_PLACEHOLDER = re.compile(r"\{(\w+)\}")  # only {name}: literal JSON such as {"models": ...} stays as written
_SHOWN_TEXT = 200  # characters of a non-answer body (a login page) shown in the details


@dataclass(frozen=True)
class Explanation:
    """A short Japanese explanation of one error; `details` is for the instructor (label -> value)."""

    case: str
    what: str
    cause: str
    next_step: str
    details: dict[str, str] = field(default_factory=dict)

    def to_text(self) -> str:
        """Plain text for consoles (no emoji, no markup)."""
        lines = [f"[{ERROR_HEADINGS['title']}]",
                 f"{ERROR_HEADINGS['what']}: {self.what}",
                 f"{ERROR_HEADINGS['cause']}: {self.cause}",
                 f"{ERROR_HEADINGS['next']}: {self.next_step}",
                 f"{ERROR_HEADINGS['details']}:"]
        lines += [f"  {label}: {value}" for label, value in self.details.items()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        def row(key: str, text: str) -> str:
            body = html.escape(text).replace("\n", "<br>")
            return f"<div style='margin:2px 0'><b>{ERROR_HEADINGS[key]}</b>: {body}</div>"

        items = "".join(f"<li>{html.escape(label)}: <code>{html.escape(value)}</code></li>"
                        for label, value in self.details.items())
        return ("<div style='border-left:4px solid #c0392b;background:#fdf2f0;color:#222;"
                "padding:8px 12px;margin:4px 0'>"
                + row("what", self.what) + row("cause", self.cause) + row("next", self.next_step)
                + f"<details><summary>{ERROR_HEADINGS['details']}</summary><ul>{items}</ul></details></div>")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.to_text())

    def __str__(self) -> str:
        return self.to_text()


_last: Explanation | None = None


@contextmanager
def kindly() -> Iterator[None]:
    """Show a short Japanese explanation instead of a traceback for API/course errors; the notebook goes on."""
    try:
        yield
    except Exception as exc:
        if not caught(exc):
            raise
        show(explain(exc))


def show_cell_error(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: int | None = None,
                    earlier: tuple[tuple[type, ...], Any] = ((), None)) -> None:
    """IPython custom exception handler (see setup()): a plain cell's API or course error is shown as the
    Japanese explanation and a one-line error instead of a traceback wall; anything else goes to `earlier`
    (the shell's previous handler and its exception types) or is shown exactly as IPython would show it.
    The cell still counts as failed, so "run all" stops where the learner must act. Key material is removed
    from the exception first: its message is what the notebook saves (`evalue`) and what `%tb` prints."""
    redact_exception(value)
    if not caught(value):
        if earlier[1] is not None and isinstance(value, earlier[0]):
            earlier[1](etype, value, tb, tb_offset=tb_offset)
        elif isinstance(value, SyntaxError):
            shell.showsyntaxerror()
        else:
            shell.showtraceback(running_compiled_code=True)
        return
    shell._get_exc_info((etype, value, tb))  # records it as the last exception: what %tb shows in full
    show(explain(value))
    shell._showtraceback(etype, value, [UNCAUGHT_LINE.format(name=etype.__name__)])


def redact_exception(exc: BaseException) -> None:
    """Scrub key material from `exc` and the exceptions it was chained from, in place: their arguments,
    `message` and OpenRouter `body` (what str(exc), IPython's evalue and `%tb` are made of)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if any(isinstance(arg, str) and contains_secret(arg) for arg in current.args):
            current.args = tuple(scrub(arg) if isinstance(arg, str) else arg for arg in current.args)
        for name in ("message", "body"):
            value = getattr(current, name, None)
            text = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (dict, list)) else value
            if isinstance(text, str) and contains_secret(text):
                with suppress(AttributeError):  # a read-only property: its text comes from the args scrubbed above
                    setattr(current, name, _scrubbed(value))
        current = current.__cause__ or current.__context__


def _scrubbed(value: Any) -> Any:
    """`value` with every string in it scrubbed (dicts and lists walked)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    return value


def explain(exc: BaseException) -> Explanation:
    """The Japanese explanation of `exc` (the `unknown` case only for errors no other case describes)."""
    case, values = classify(exc)
    text = {part: scrub(fill(ERRORS[case][part], values)) for part in ("what", "cause", "next")}
    return Explanation(case=case, what=text["what"], cause=text["cause"], next_step=text["next"],
                       details={label: scrub(value) for label, value in details(exc).items()})


def show(explanation: Explanation) -> None:
    """Display as HTML in a notebook, print as plain text elsewhere; remember it for last_explanation()."""
    global _last
    _last = explanation
    if _in_notebook():
        from IPython.display import display

        display(explanation)
    else:
        print(explanation.to_text())


def last_explanation() -> Explanation | None:
    """The explanation kindly() showed most recently (for tests and widgets)."""
    return _last


def fill(template: str, values: dict[str, str]) -> str:
    """Fill `{name}` placeholders; an unknown name stays visible rather than failing the explainer."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def details(exc: BaseException) -> dict[str, str]:
    """For the instructor: exception type, HTTP status, OpenRouter's message, metadata and availability,
    and the underlying cause (scrubbed by the caller)."""
    result = {ERROR_DETAIL_LABELS["type"]: type_name(exc)}
    body: Any = getattr(exc, "body", None)
    if isinstance(exc, CompletionFailed):
        body = exc.error
    if _is_status_error(exc):
        result[ERROR_DETAIL_LABELS["status"]] = str(exc.status_code)
    elif isinstance(body, dict) and body.get("code") is not None:
        result[ERROR_DETAIL_LABELS["code"]] = str(body["code"])
    if isinstance(body, dict) and body.get("message"):
        result[ERROR_DETAIL_LABELS["message"]] = str(body["message"])
    elif isinstance(exc, NotRecordedError):  # its message is already "what happened"
        result[ERROR_DETAIL_LABELS["request"]] = f"{exc.method} {exc.path}"
    elif not isinstance(exc, CourseError):  # the course's own messages are Japanese and already shown above
        result[ERROR_DETAIL_LABELS["exception_message"]] = str(exc)
    received = exc.text if isinstance(exc, UnexpectedResponse) else answer_text(exc)
    if received is not None:
        result[ERROR_DETAIL_LABELS["received"]] = _shorten(" ".join(received.split()), _SHOWN_TEXT)
    if isinstance(body, dict):
        metadata, availability = body.get("metadata"), body.get("availability")
        if isinstance(metadata, dict) and metadata.get("provider_name"):
            result[ERROR_DETAIL_LABELS["provider"]] = str(metadata["provider_name"])
        if isinstance(availability, dict):
            result[ERROR_DETAIL_LABELS["availability"]] = _shorten(json.dumps(availability, ensure_ascii=False))
        if isinstance(metadata, dict):
            result[ERROR_DETAIL_LABELS["metadata"]] = _shorten(json.dumps(metadata, ensure_ascii=False))
    if exc.__cause__ is not None:
        result[ERROR_DETAIL_LABELS["cause"]] = f"{type_name(exc.__cause__)}: {exc.__cause__}"
    return result


def _is_status_error(exc: BaseException) -> bool:
    """isinstance(exc, openai.APIStatusError), without importing openai for course errors."""
    openai = sys.modules.get("openai")
    return openai is not None and isinstance(exc, openai.APIStatusError)


def _shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _in_notebook() -> bool:
    """True inside a Jupyter/Colab kernel (which can render HTML), False in a terminal or plain Python."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return getattr(shell, "kernel", None) is not None
