"""The comparison: one prompt to 2-4 models at once, answers side by side, then latency, tokens and cost."""
from __future__ import annotations

import dataclasses
import html
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import course_utils

from ..course_errors import InputProblem, NotRecordedError
from ..text import ERRORS
from ..text import WIDGETS as TEXT
from . import calls
from .formatting import Adjust, Shown, answer_html, count, explain_html, money, stalled, usage_value
from .recorded import models_for

if TYPE_CHECKING:
    from ..error_box import Explanation

MAX_COMPARE_WORKERS = 4


@dataclass
class ModelAnswer:
    """One model's answer in a comparison (or the error it raised)."""

    model: str
    text: str = ""
    seconds: float | None = None
    usage: Any = None
    error: Exception | None = None


def ask(model: str, messages: list[dict]) -> ModelAnswer:
    """One model's answer to `messages` (non-streamed); an error is kept in the answer, not raised."""
    from ..guards import check_completion

    started = time.perf_counter()
    try:
        response = check_completion(calls.client("comparison").chat.completions.create(model=model, messages=messages))
    except Exception as exc:  # one failing model must not stop the others
        return ModelAnswer(model, seconds=time.perf_counter() - started, error=exc)
    return ModelAnswer(model, response.choices[0].message.content or "", time.perf_counter() - started,
                       response.usage)


class Comparison(Shown):
    """One prompt to 2-4 models at once; answers side by side, then latency, tokens and cost in a table."""

    placeholder = "comparison"

    def __init__(self, models: list[str], prompt: str, system: str | None = None):
        import ipywidgets as w

        if not 2 <= len(models) <= MAX_COMPARE_WORKERS:
            n = str(len(models))
            raise InputProblem("compare_count", ERRORS["compare_count"]["what"].format(n=n), n=n)
        self.models, self.messages = list(models), calls.messages(system, prompt)
        self.prompt, self.system = prompt, system or ""
        self.results: dict[str, ModelAnswer] = {}
        self.button = w.Button(description=TEXT["compare_run"], button_style="primary", icon="columns")
        self.button.on_click(lambda _: self.run())
        self.answers = {m: w.HTML() for m in self.models}
        for box in self.answers.values():
            box.add_class("course-answer")
        columns = [w.VBox([w.HTML(f"<b>{html.escape(m)}</b>"), self.answers[m]],
                          layout=w.Layout(border="1px solid #ddd", padding="4px"))
                   for m in self.models]
        self.table = w.HTML()
        self.status = w.HTML()
        grid = w.GridBox(columns, layout=w.Layout(grid_template_columns=f"repeat({len(columns)}, 1fr)",
                                                   grid_gap="8px"))
        self.widget = w.VBox([w.HTML(html.escape(TEXT["compare_prompt"].format(prompt=prompt))), self.button,
                              self.status, grid, self.table])

    def run(self) -> None:
        """What 比較する does: ask every model concurrently and fill each column as its answer arrives."""
        from ..guards import check_prompt

        self.results, self.table.value, self.status.value = {}, "", ""
        try:
            check_prompt(self.messages[-1]["content"], self.models[0])
        except Exception as exc:
            self.status.value = explain_html(exc)
            return
        self.button.disabled = True
        for box in self.answers.values():
            box.value = TEXT["running"]
        try:
            with ThreadPoolExecutor(max_workers=MAX_COMPARE_WORKERS) as pool:
                futures = [pool.submit(ask, m, self.messages) for m in self.models]
                for future in as_completed(futures):  # widgets are updated from this thread only
                    answer = future.result()
                    self.results[answer.model] = answer
                    self.answers[answer.model].value = self._answer_html(answer)
        finally:
            self.button.disabled = False
        missing = [m for m in self.models if self._not_recorded(self.results[m])]
        if missing:  # one explanation above the columns, not the same long box in each narrow one
            self.status.value = explain_html(self.results[missing[0]].error, self._in_recordings(missing))
        self.table.value = self._table_html()

    @staticmethod
    def _not_recorded(answer: ModelAnswer) -> bool:
        return isinstance(answer.error, NotRecordedError)

    def _answer_html(self, answer: ModelAnswer) -> str:
        if answer.error is None:
            return answer_html(answer.text)
        if self._not_recorded(answer):
            return html.escape(TEXT["not_recorded_column"])
        return explain_html(answer.error, stalled("comparison", calls.STALL_SECONDS["comparison"]))

    def _in_recordings(self, missing: list[str]) -> Adjust:
        """Which of the models are not recorded for this prompt, and which are (answered recordings only)."""
        recorded = models_for(self.prompt, self.system)
        found = (TEXT["compare_recorded_models"].format(models=", ".join(recorded)) if recorded
                 else TEXT["compare_no_recorded_models"])

        def change(explanation: Explanation) -> Explanation:
            return dataclasses.replace(
                explanation, what=TEXT["compare_not_recorded"].format(models=", ".join(missing)) + found,
                cause=TEXT["compare_not_recorded_cause"], next_step=TEXT["compare_not_recorded_next"])
        return change

    def _table_html(self) -> str:
        head = "".join(f"<th>{c}</th>" for c in TEXT["columns"])
        rows = []
        for model in self.models:
            a = self.results[model]
            missing = self._not_recorded(a)
            seconds = TEXT["seconds"].format(seconds=a.seconds) if a.seconds is not None and not missing else "—"
            tokens = f"{count(a.usage, 'prompt_tokens')} / {count(a.usage, 'completion_tokens')}"
            cost = (TEXT["not_recorded_cell"] if missing else TEXT["failed"] if a.error
                    else money(usage_value(a.usage, "cost")))
            rows.append(f"<tr><td>{html.escape(model)}</td><td>{seconds}</td><td>{tokens}</td><td>{cost}</td></tr>")
        # Replayed answers are read from a file: their times say nothing about the models.
        note = f"<p>{html.escape(TEXT['replay_times'])}</p>" if course_utils.MODE == "replay" else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"


def compare_models(models: list[str], prompt: str, system: str | None = None) -> Comparison:
    """Send one prompt to 2-4 models at once and show the answers side by side."""
    return Comparison(models, prompt, system)
