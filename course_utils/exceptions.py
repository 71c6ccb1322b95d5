"""Temporary alias of course_errors (the module's old name) until every import uses the new one."""
from __future__ import annotations

from .course_errors import (
                            CompletionFailed,
                            CourseError,
                            InputProblem,
                            KeyProblem,
                            NotRecordedError,
                            RecordWithoutKeyError,
                            StreamIncomplete,
                            UnexpectedResponse,
)

__all__ = ["CompletionFailed", "CourseError", "InputProblem", "KeyProblem", "NotRecordedError",
           "RecordWithoutKeyError", "StreamIncomplete", "UnexpectedResponse"]
