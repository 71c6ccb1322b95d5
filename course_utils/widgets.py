"""Interactive widgets for the lessons: a model picker, a prompt sender and a side-by-side comparison.

Each widget is one call from a notebook (`model_picker()`, `prompt_sender(picker)`, `compare_models(...)`)
and exposes the function its button calls (`send()`, `run()`), so tests and instructors can run it
without clicking. Requests are plain `openai` calls against `course_utils.BASE_URL`; in replay mode
they are answered from the recordings like any other call.
"""
from __future__ import annotations

import dataclasses
import functools
import html
import json
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import course_utils

from . import config, replay, retry_notice
from .catalog import ModelRow, list_models, makers_count, models_table
from .catalog import _client  # a plain openai.OpenAI for OpenRouter; KeyProblem when no key is set
from .exceptions import InputProblem

if TYPE_CHECKING:
    import ipywidgets

# Learner-facing text.
TEXT = {
    # model picker
    "price": "料金",
    "price_options": (("すべて", "all"), ("無料のみ", "free"), ("有料のみ", "paid")),
    "maker": "開発元",
    "maker_all": "すべて",
    "search": "検索",
    "search_hint": "名前やIDの一部（例: gemma）",
    "max_price": "料金の上限",
    "max_price_options": (("上限なし", 0.0), ("$0.1 まで", 0.1), ("$0.5 まで", 0.5), ("$1 まで", 1.0),
                          ("$5 まで", 5.0), ("$20 まで", 20.0)),
    "min_context": "コンテキスト長",
    "min_context_options": (("指定なし", 0), ("32K 以上", 32_000), ("128K 以上", 128_000),
                            ("1M 以上", 1_000_000)),
    "models": "モデル",
    "count": "{shown} / {total} 件　各行: 名前 ｜ 料金（100万トークンあたり 入力 / 出力） ｜ "
             "コンテキスト長 ｜ モデルID",
    "no_match": "条件に合うモデルがありません。条件をゆるめてください。",
    "free": "無料",
    "recorded_mark": "【収録あり】",
    "recorded_hint": "再生モード: 【収録あり】のモデルには収録済みの答えがあります。",
    "chosen": "選択中: <code>{model}</code>",
    # prompt sender
    "system": "システム",
    "system_hint": "（任意）AIの役割や話し方の指示。例: あなたは丁寧な日本語の先生です。",
    "prompt": "プロンプト",
    "prompt_hint": "AIへの質問や指示を書きます",
    "model": "モデル",
    "model_empty": "「モデル」欄が空です。",
    "fix_model_box": "{suggestions}https://openrouter.ai/models で今使えるモデルIDを確かめ、「モデル」欄を直してから、"
                     "もう一度「送信」を押してください。",
    "temperature": "温度",
    "max_tokens": "最大トークン",
    "send": "送信",
    "show_code": "コードを表示",
    "recorded_prompts": "収録例",
    "recorded_choose": "収録済みのプロンプトを選ぶ…",
    "recorded_system": "（システム: {system}）",
    "replay_hint": "再生モードでは収録済みのプロンプトだけが答えを返します。"
                   "ほかのプロンプトを試すにはAPIキーを設定してください。",
    "waiting": "送信しました。応答を待っています…",
    "thinking": "モデルが考えています…",
    "streaming": "受信中…",
    "empty_answer": "（応答の本文は空でした）",
    "usage": "トークン: 入力 {prompt} ／ 出力 {completion}（合計 {total}） ・ 完了理由: {finish} ・ "
             "プロバイダ: {provider} ・ 応答時間: {latency} ・ 費用: {cost}",
    "latency": "{total:.2f} 秒（最初の文字まで {first:.2f} 秒）",
    "finish": {"stop": "stop（最後まで回答）", "length": "length（最大トークンで打ち切り）",
               "content_filter": "content_filter（内容フィルターで停止）", "error": "error（途中でエラー）"},
    "cost_free": "$0（無料）",
    "unknown": "不明",
    # comparison
    "compare_run": "比較する",
    "compare_count": "比べるモデルが{n}個になっています（比べられるのは2〜4個です）。",
    "compare_prompt": "プロンプト: {prompt}",
    "running": "問い合わせ中…",
    "failed": "失敗",
    "columns": ("モデル", "応答時間", "トークン（入力 / 出力）", "費用"),
}

MAX_COMPARE_WORKERS = 4
# Explained cases whose next step (errors.py) says to fix the lesson's model cell: in the prompt sender
# the model comes from its モデル box instead.
_WRONG_MODEL_CASES = ("model_invalid", "free_retired", "no_endpoints")
_CREATE_ARGS = ("model", "messages", "temperature", "max_tokens", "stream")


# -- shared helpers -----------------------------------------------------------------------------------

def _explain_html(exc: BaseException, model_box: str | None = None) -> str:
    """The Japanese explanation box; given the sender's モデル value, a wrong model's next step names that box."""
    from .errors import close_ids_hint, explain

    explanation = explain(exc)
    if model_box is not None and explanation.case in _WRONG_MODEL_CASES:
        explanation = dataclasses.replace(
            explanation, next_step=TEXT["fix_model_box"].format(suggestions=close_ids_hint(model_box)))
    return explanation._repr_html_()


def _recorded_requests() -> dict[tuple[str, str, str], dict]:
    """In replay mode: (model, prompt, system prompt or "") -> JSON body of its recorded chat request
    (streamed ones preferred), the running notebook's first. The same question under two system prompts
    is two examples. Only requests the sender can send again and that were answered are offered: a
    conversation's later turn has more messages than its boxes hold, and a lesson's staged error (such as
    the document's retired model) would only show that error again."""
    session = replay.active()
    if course_utils.MODE != "replay" or session is None:
        return {}
    found: dict[tuple[str, str, str], dict] = {}
    for chat in replay.recorded_chats(session):
        system = _system_of(chat.body.get("messages") or [])
        if not chat.answered or chat.body.get("messages") != _messages(system, chat.prompt):
            continue
        key = (chat.model, chat.prompt, system.strip())
        if key not in found or chat.body.get("stream"):
            found[key] = chat.body
    return found


def _system_of(messages: list[dict]) -> str:
    """The first system message's text ("" if none)."""
    return next((m["content"] for m in messages if m.get("role") == "system" and isinstance(m.get("content"), str)),
                "")


def _example_label(model: str, prompt: str, system: str) -> str:
    label = f"{model}: {prompt[:60]}"
    return label + TEXT["recorded_system"].format(system=system[:30]) if system else label


def _create_kwargs(body: dict) -> dict:
    """`chat.completions.create` keyword arguments that send exactly this JSON body."""
    kwargs = {k: v for k, v in body.items() if k in _CREATE_ARGS}
    extra = {k: v for k, v in body.items() if k not in _CREATE_ARGS}
    if kwargs.get("stream") is False:  # openai only accepts a literal stream=True here
        extra["stream"] = kwargs.pop("stream")
    return {**kwargs, "extra_body": extra} if extra else kwargs


def plain_code(body: dict, base_url: str) -> str:
    """The plain `openai` code that sends `body`; reads the key from the environment, never embeds it."""
    kwargs = _create_kwargs(body)
    name = "stream" if kwargs.get("stream") else "response"
    lines = ["import os", "from openai import OpenAI", "", "client = OpenAI(", f"    base_url={base_url!r},",
             '    api_key=os.getenv("OPENROUTER_API_KEY"),', ")", f"{name} = client.chat.completions.create("]
    for key, value in kwargs.items():
        if key == "messages":
            lines += ["    messages=[", *(f"        {json.dumps(m, ensure_ascii=False)}," for m in value), "    ],"]
        else:
            lines.append(f"    {key}={value!r},")
    lines.append(")")
    if name == "stream":
        lines += ["for chunk in stream:", "    if chunk.choices and chunk.choices[0].delta.content:",
                  '        print(chunk.choices[0].delta.content, end="")']
    else:
        lines.append("print(response.choices[0].message.content)")
    return "\n".join(lines)


def _messages(system: str | None, prompt: str) -> list[dict]:
    messages = [{"role": "system", "content": system}] if system and system.strip() else []
    return messages + [{"role": "user", "content": prompt}]


def _money(cost: float | None) -> str:
    if cost is None:
        return TEXT["unknown"]
    if cost == 0:
        return TEXT["cost_free"]
    return "$" + f"{cost:.8f}".rstrip("0").rstrip(".")


def _price(value: float | None) -> str:
    if value is None:
        return "—"
    return "$" + (f"{value:,.4f}".rstrip("0").rstrip(".") or "0")


def _tokens(count: int | None) -> str:
    if not count:
        return "—"
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}".removesuffix(".0") + "M"
    return f"{count // 1000}K" if count >= 1000 else str(count)


def _pre(text: str) -> str:
    return f'<div style="white-space: pre-wrap; line-height: 1.6">{html.escape(text)}</div>'


def _answer_html(text: str) -> str:
    """A model's answer as HTML: its Markdown (lists, bold, code, tables) rendered, as chat sites show it.

    Raw HTML in the answer is escaped and javascript:/data: links are disabled (mistune's escape and
    safe-URL rules), so nothing a model writes runs in the learner's browser.
    """
    return f'<div style="line-height: 1.6">{_markdown()(text)}</div>'


@functools.lru_cache(maxsize=1)
def _markdown() -> Callable[[str], str]:
    import mistune

    return mistune.create_markdown(escape=True, hard_wrap=True, plugins=["strikethrough", "table"])


def _usage_value(usage: Any, name: str) -> Any:
    return getattr(usage, name, None) if usage is not None else None


def _count(usage: Any, name: str) -> str:
    value = _usage_value(usage, name)
    return "—" if value is None else str(value)


class _Shown:
    """Mixin: a notebook cell that ends with the object displays its widget."""

    widget: "ipywidgets.Widget"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        return self.widget._repr_mimebundle_(**kwargs)


# -- model picker -------------------------------------------------------------------------------------

class ModelPicker(_Shown):
    """Filters the catalogue (free/paid, maker, text, max price, min context); `.value` is the chosen id."""

    def __init__(self, models: list[dict] | None = None):
        import ipywidgets as w

        try:
            self.models, problem = list_models() if models is None else models, None
        except Exception as exc:  # no catalogue (offline, not recorded): explained in the picker, no traceback
            self.models, problem = [], exc
        self.recorded = {model for model, _, _ in _recorded_requests()}
        labelled = {"style": {"description_width": "initial"}}
        self.price = w.ToggleButtons(options=TEXT["price_options"], value="all", description=TEXT["price"],
                                     **labelled)
        # No None among option values: ipywidgets reads value None as "nothing selected" (a blank box).
        self.maker = w.Dropdown(options=[(TEXT["maker_all"], "")]
                                + [(f"{m}（{n}）", m) for m, n in makers_count(self.models)],
                                description=TEXT["maker"], **labelled)
        self.search = w.Text(description=TEXT["search"], placeholder=TEXT["search_hint"], **labelled)
        self.max_price = w.Dropdown(options=TEXT["max_price_options"], description=TEXT["max_price"], **labelled)
        self.min_context = w.Dropdown(options=TEXT["min_context_options"], description=TEXT["min_context"],
                                      **labelled)
        self.select = w.Select(rows=10, layout=w.Layout(width="98%"))
        self.count = w.HTML()
        self.chosen = w.HTML()
        self.rows: list[ModelRow] = []
        for control in (self.price, self.maker, self.search, self.max_price, self.min_context):
            control.observe(lambda _: self.refresh(), names="value")
        self.select.observe(lambda _: self._show_choice(), names="value")
        hint = [w.HTML(TEXT["recorded_hint"])] if course_utils.MODE == "replay" else []
        self.widget = w.VBox([self.price, w.HBox([self.maker, self.search]),
                              w.HBox([self.max_price, self.min_context]), self.count, self.select,
                              self.chosen, *hint])
        self.refresh()
        if problem is not None:
            self.count.value = _explain_html(problem)

    @property
    def value(self) -> str | None:
        """The chosen model id (use it as `model=picker.value`)."""
        return self.select.value

    @value.setter
    def value(self, model_id: str) -> None:
        self.select.value = model_id

    def observe(self, handler: Callable[[str | None], None]) -> None:
        """Call `handler(model_id)` whenever the choice changes."""
        self.select.observe(lambda change: handler(change["new"]), names="value")

    def refresh(self) -> None:
        """Apply the filters to the catalogue and rebuild the list (keeping the choice if still listed)."""
        price = self.price.value
        rows = models_table(self.models, free_only=price == "free", maker=self.maker.value or None,
                            search=self.search.value.strip(), max_price=self.max_price.value or None,
                            min_context=self.min_context.value or None)
        self.rows = [r for r in rows if not (price == "paid" and r.free)]
        ids = [r.id for r in self.rows]
        keep = self.select.value if self.select.value in ids else self._default(ids)
        self.select.options = [(self._label(r), r.id) for r in self.rows]
        self.select.value = keep
        self.count.value = (TEXT["count"].format(shown=len(self.rows), total=len(self.models))
                            if self.rows else TEXT["no_match"])
        self._show_choice()

    def _default(self, ids: list[str]) -> str | None:
        preferred = [m for m in ids if m in self.recorded] + [course_utils.MODELS.free] + ids
        return next((m for m in preferred if m in ids), None)

    def _label(self, row: ModelRow) -> str:
        mark = TEXT["recorded_mark"] if row.id in self.recorded else ""
        price = TEXT["free"] if row.free else f"{_price(row.input_per_m)} / {_price(row.output_per_m)}"
        return f"{mark}{row.name} ｜ {price} ｜ {_tokens(row.context_length)} ｜ {row.id}"

    def _show_choice(self) -> None:
        self.chosen.value = TEXT["chosen"].format(model=html.escape(self.value)) if self.value else ""


def model_picker(models: list[dict] | None = None) -> ModelPicker:
    """A model picker over the catalogue (or the given OpenRouter model dicts)."""
    return ModelPicker(models)


# -- prompt sender ------------------------------------------------------------------------------------

@dataclass
class _Reply:
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
        finish = TEXT["finish"].get(self.finish or "", self.finish or TEXT["unknown"])
        latency = TEXT["latency"].format(total=self.seconds, first=self.first_seconds or self.seconds)
        return TEXT["usage"].format(
            prompt=_count(self.usage, "prompt_tokens"), completion=_count(self.usage, "completion_tokens"),
            total=_count(self.usage, "total_tokens"),
            finish=finish, provider=self.provider or TEXT["unknown"], latency=latency,
            cost=_money(_usage_value(self.usage, "cost")))


class PromptSender(_Shown):
    """System + user prompt, model, temperature, max tokens and 送信; the answer streams in as it arrives."""

    def __init__(self, picker: ModelPicker | None = None):
        import ipywidgets as w

        wide = w.Layout(width="100%")
        self.picker = picker
        self.recorded = _recorded_requests()
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
                                       + [(_example_label(*key), key) for key in self.recorded])
            self.examples.observe(lambda change: self.use_recorded(change["new"]), names="value")
            rows = [w.HTML(TEXT["replay_hint"]), self.examples, *rows]
        self.widget = w.VBox(rows)

    def use_recorded(self, key: tuple[str, str, str] | tuple[()]) -> None:
        """Fill the boxes with a recorded request (replay mode): model, prompt, system prompt and settings."""
        body = self.recorded.get(key) if key else None
        if body is None:
            return
        self.model.value, self.prompt.value = key[:2]
        self.system.value = _system_of(body["messages"])
        self.temperature.value = body.get("temperature", self.temperature.value)
        self.max_tokens.value = body.get("max_tokens", self.max_tokens.value)

    def request_body(self) -> dict:
        """The JSON body `send()` posts; in replay mode a matching recording's exact body."""
        model, prompt = self.model.value.strip(), self.prompt.value
        recorded = self.recorded.get((model, prompt, self.system.value.strip()))
        if recorded is not None and _messages(self.system.value, prompt) == recorded["messages"]:
            return recorded
        return {"model": model, "messages": _messages(self.system.value, prompt),
                "temperature": self.temperature.value, "max_tokens": self.max_tokens.value, "stream": True}

    def send(self) -> None:
        """What 送信 does: check the model and prompt, stream the answer into the widget, then show usage."""
        from .errors import check_prompt

        self.answer.value, self.updates = "", 0
        self.status.value = TEXT["waiting"]
        self.button.disabled = True
        model = self.model.value.strip()
        try:
            if not model:
                raise InputProblem("model_empty", TEXT["model_empty"])
            check_prompt(self.prompt.value, model)
            self.last_body = body = self.request_body()
            self._show_code()
            # openai's retry waits (a 429's Retry-After can take up to two minutes) are said in the status line.
            with retry_notice.shown_by(lambda text: setattr(self.status, "value", html.escape(text))):
                reply = self._receive(body)
            if not reply.text:
                self.answer.value = _pre(TEXT["empty_answer"])
            self.status.value = html.escape(reply.usage_line())
        except Exception as exc:  # shown in Japanese inside the widget; the widget stays usable
            self.status.value = _explain_html(exc, model_box=model)
        finally:
            self.button.disabled = False

    def _receive(self, body: dict) -> _Reply:
        from .errors import check_completion, finish_stream

        reply = _Reply(started=time.perf_counter())
        result = _client().chat.completions.create(**_create_kwargs(body))
        if body.get("stream"):
            finish_stream(self._show_each(result, reply))  # raises if the stream broke off or ended in an error
        else:
            self._show(check_completion(result), reply)
        reply.seconds = time.perf_counter() - reply.started
        return reply

    def _show_each(self, stream: Iterable[Any], reply: _Reply) -> Iterator[Any]:
        pace = config.replay_pace() if course_utils.MODE == "replay" else 0.0
        for chunk in stream:
            if self._show(chunk, reply):
                time.sleep(pace)
            yield chunk

    def _show(self, part: Any, reply: _Reply) -> bool:
        """Redraw the answer if `part` added text (True), else say the model is thinking if it is."""
        if reply.add(part):
            self.answer.value, self.updates = _answer_html(reply.text), self.updates + 1
            self.status.value = TEXT["streaming"]
            return True
        if reply.thinking:
            self.status.value = TEXT["thinking"]
        return False

    def code_text(self) -> str:
        """Plain `openai` code for the last request (or the current settings before the first send)."""
        return plain_code(self.last_body or self.request_body(), course_utils.BASE_URL)

    def _show_code(self) -> None:
        shown = self.code_toggle.value
        self.code.layout.display = None if shown else "none"
        self.code.value = f"<pre>{html.escape(self.code_text())}</pre>" if shown else ""


def prompt_sender(picker: ModelPicker | None = None) -> PromptSender:
    """A prompt sender; with a picker, its model follows the picker's choice."""
    return PromptSender(picker)


# -- comparison ---------------------------------------------------------------------------------------

@dataclass
class ModelAnswer:
    """One model's answer in a comparison (or the error it raised)."""

    model: str
    text: str = ""
    seconds: float | None = None
    usage: Any = None
    error: Exception | None = None


def _ask(model: str, messages: list[dict]) -> ModelAnswer:
    from .errors import check_completion

    started = time.perf_counter()
    try:
        response = check_completion(_client().chat.completions.create(model=model, messages=messages))
    except Exception as exc:  # one failing model must not stop the others
        return ModelAnswer(model, seconds=time.perf_counter() - started, error=exc)
    return ModelAnswer(model, response.choices[0].message.content or "", time.perf_counter() - started,
                       response.usage)


class Comparison(_Shown):
    """One prompt to 2-4 models at once; answers side by side, then latency, tokens and cost in a table."""

    def __init__(self, models: list[str], prompt: str, system: str | None = None):
        import ipywidgets as w

        if not 2 <= len(models) <= MAX_COMPARE_WORKERS:
            count = str(len(models))
            raise InputProblem("compare_count", TEXT["compare_count"].format(n=count), n=count)
        self.models, self.messages = list(models), _messages(system, prompt)
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
        from .errors import check_prompt

        self.results, self.table.value, self.status.value = {}, "", ""
        try:
            check_prompt(self.messages[-1]["content"], self.models[0])
        except Exception as exc:
            self.status.value = _explain_html(exc)
            return
        self.button.disabled = True
        for box in self.answers.values():
            box.value = TEXT["running"]
        try:
            with ThreadPoolExecutor(max_workers=MAX_COMPARE_WORKERS) as pool:
                futures = [pool.submit(_ask, m, self.messages) for m in self.models]
                for future in as_completed(futures):  # widgets are updated from this thread only
                    answer = future.result()
                    self.results[answer.model] = answer
                    self.answers[answer.model].value = (_explain_html(answer.error) if answer.error
                                                        else _answer_html(answer.text))
        finally:
            self.button.disabled = False
        self.table.value = self._table_html()

    def _table_html(self) -> str:
        head = "".join(f"<th>{c}</th>" for c in TEXT["columns"])
        rows = []
        for model in self.models:
            a = self.results[model]
            seconds = f"{a.seconds:.2f} 秒" if a.seconds is not None else "—"
            tokens = f"{_count(a.usage, 'prompt_tokens')} / {_count(a.usage, 'completion_tokens')}"
            cost = TEXT["failed"] if a.error else _money(_usage_value(a.usage, "cost"))
            rows.append(f"<tr><td>{html.escape(model)}</td><td>{seconds}</td><td>{tokens}</td><td>{cost}</td></tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def compare_models(models: list[str], prompt: str, system: str | None = None) -> Comparison:
    """Send one prompt to 2-4 models at once and show the answers side by side."""
    return Comparison(models, prompt, system)
