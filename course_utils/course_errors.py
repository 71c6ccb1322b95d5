"""The exceptions course_utils itself raises; each carries what its Japanese explanation needs.

Explained by explanations.py (which case) and shown by error_box.py (the box); raised by keys, modes,
replay, catalog, widgets and guards.
"""
from __future__ import annotations


class CourseError(Exception):
    """Base class: a problem course_utils detected before or instead of an API call."""


class KeyProblem(CourseError):
    """The API key is missing or malformed. `code` names the case (see keys.KEY_MESSAGES)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class RecordWithoutKeyError(CourseError):
    """COURSE_MODE=record was asked for, but no usable key is set."""


class NotRecordedError(CourseError):
    """Replay mode: this request has no recording (the prompt or model was changed, or, when
    `recordings_problem` is "missing", the course has no recordings at all)."""

    def __init__(self, message: str, method: str, path: str, model: str | None, prompt: str | None,
                 recorded: list[tuple[str, str]], recordings_problem: str | None = None):
        super().__init__(message)
        self.method = method
        self.path = path
        self.model = model
        self.prompt = prompt
        self.recorded = recorded  # (model, prompt) pairs that do have recordings
        self.recordings_problem = recordings_problem


class InputProblem(CourseError, ValueError):
    """A value the learner passed cannot be used as it is (an empty prompt, a prompt longer than the model's
    context, a malformed model id, ...). `code` names the case. A ValueError too, which it is."""

    def __init__(self, code: str, message: str, **info: str):
        super().__init__(message)
        self.code = code
        self.info = info  # values for the Japanese explanation (model, context, estimate)


class StreamIncomplete(CourseError):
    """A streamed answer ended without any finish_reason: it was cut off."""

    def __init__(self, message: str, partial_text: str):
        super().__init__(message)
        self.partial_text = partial_text


class CompletionFailed(CourseError):
    """HTTP 200, but a choice ended with finish_reason "error" (`error` holds OpenRouter's error object)."""

    def __init__(self, message: str, error: dict | None):
        super().__init__(message)
        self.error = error or {}


class UnexpectedResponse(CourseError):
    """HTTP 200, but the body is no API answer: `openai` handed back the text (a Wi-Fi login page, ...)."""

    def __init__(self, message: str, text: str):
        super().__init__(message)
        self.text = text
