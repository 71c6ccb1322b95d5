"""Interactive widgets for the lessons: a model picker, a prompt sender and a side-by-side comparison.

Each widget is one call from a notebook (`model_picker()`, `prompt_sender(picker)`, `compare_models(...)`)
and exposes the function its button calls (`send()`, `run()`), so tests and instructors can run it
without clicking. Requests are plain `openai` calls against `course_utils.BASE_URL` (`calls.client()`);
in replay mode they are answered from the recordings like any other call.

Modules, lowest first: formatting (numbers, answers, boxes), calls (client, bodies, plain code),
recorded (replay examples), picker, sender, comparison.
"""
from __future__ import annotations

from ..text import WIDGETS as TEXT
from .calls import plain_code
from .comparison import MAX_COMPARE_WORKERS, Comparison, ModelAnswer, compare_models
from .formatting import answer_html
from .picker import ModelPicker, model_picker
from .sender import PromptSender, prompt_sender

__all__ = ["TEXT", "MAX_COMPARE_WORKERS", "Comparison", "ModelAnswer", "ModelPicker", "PromptSender",
           "answer_html", "compare_models", "model_picker", "plain_code", "prompt_sender"]
