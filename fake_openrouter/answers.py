"""Authored answers per (model, last user prompt), loaded from every `answers/*.yaml` file.

Each file (one per lesson) is a YAML list of entries:

    - model: google/gemma-4-31b-it:free   # or "*" for any model
      prompt: 日本で一番高い山について…       # the last user message, compared after stripping
      system: あなたは…                       # optional: only when the system prompt is this one
      answer: 富士山です。…                   # the reply (Japanese)
      reasoning: …                          # optional: streamed/returned before the answer
      slow_start: 2                         # optional: seconds of `: OPENROUTER PROCESSING` first
      tool_call:                            # optional: when the request offers `tools` and no tool result
        name: get_weather                   #   follows the last user message, call this tool instead;
        arguments: {city: 東京}              #   `answer` is then the reply once the tool result is sent
      image: iVBORw0KGgo…                   # optional: a base64 PNG returned in `message.images` when the
      image_tokens: 1290                    #   request asks for `modalities` with "image" (tokens billed)
    - model: liquid/lfm-2.5-2.6b:free
      prompt: …
      error: 429-free-per-minute            # answer with this error sample instead

An entry for the system prompt sent wins over one without `system`, then an entry for the exact model
wins over a "*" entry; an unknown prompt gets a stock answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import sample_names

ANSWERS_DIR = Path(__file__).resolve().parent / "answers"
ANY_MODEL = "*"
_FIELDS = {"model", "prompt", "system", "answer", "reasoning", "error", "slow_start", "tool_call", "image",
           "image_tokens"}


@dataclass(frozen=True)
class Answer:
    """What a model replies to a prompt (or the error sample it fails with)."""

    text: str = ""
    reasoning: str | None = None
    error: str | None = None
    slow_start: float = 0.0
    tool_call: dict | None = None
    image: str | None = None
    image_tokens: int = 0


def stock_answer(prompt: str) -> Answer:
    """The deterministic reply to a prompt no file has an answer for."""
    quoted = prompt.strip().replace("\n", " ")
    if len(quoted) > 30:
        quoted = quoted[:30] + "…"
    return Answer(text=f"これは講座の例示用サーバーが返す定型の回答です。「{quoted}」に対する回答例は"
                       "用意されていないため、実際のモデルの回答ではありません。")


class AnswerBook:
    """All authored answers, merged from the YAML files of a directory."""

    def __init__(self, directory: Path = ANSWERS_DIR) -> None:
        self._answers: dict[tuple[str, str | None, str], Answer] = {}
        for path in sorted(directory.glob("*.yaml")):
            for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                self.add(**_checked(entry, path))

    def add(self, model: str, prompt: str, answer: str = "", reasoning: str | None = None,
            error: str | None = None, slow_start: float = 0.0, system: str | None = None,
            tool_call: dict | None = None, image: str | None = None, image_tokens: int = 0) -> None:
        """Add one entry (as in a YAML file); a second entry for the same model, system and prompt is an error."""
        key = (model, _stripped(system), prompt.strip())
        if key in self._answers:
            raise ValueError(f"two answers for model {model!r} and prompt {prompt.strip()[:40]!r}")
        if error is not None and error not in sample_names():
            raise ValueError(f"unknown error sample {error!r}; choose one of {', '.join(sample_names())}")
        if tool_call is not None and (set(tool_call) != {"name", "arguments"}
                                      or not isinstance(tool_call["arguments"], dict)):
            raise ValueError(f"tool_call needs name and arguments (a mapping); got {tool_call!r}")
        self._answers[key] = Answer(answer, reasoning, error, float(slow_start), tool_call, image, int(image_tokens))

    def find(self, model: str, prompt: str, system: str | None = None) -> Answer:
        """The answer of `model` to `prompt` under `system`: for this system prompt, then for any; each for
        the exact model, then "*"; else the stock answer."""
        key, system = prompt.strip(), _stripped(system)
        for wanted_system in dict.fromkeys((system, None)):
            for wanted_model in (model, ANY_MODEL):
                found = self._answers.get((wanted_model, wanted_system, key))
                if found:
                    return found
        return stock_answer(prompt)


def _stripped(text: str | None) -> str | None:
    """A system prompt compared after stripping; empty counts as none."""
    return (text or "").strip() or None


def _checked(entry: dict, path: Path) -> dict:
    unknown = set(entry) - _FIELDS
    if unknown or "model" not in entry or "prompt" not in entry or ("answer" in entry) == ("error" in entry):
        raise ValueError(f"{path.name}: each entry needs model, prompt and either answer or error (optional: "
                         f"system, reasoning, slow_start, tool_call, image, image_tokens); got {sorted(entry)}")
    return entry
