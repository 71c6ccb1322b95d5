"""The model picker: the catalogue filtered by price, maker, text, max price and context length."""
from __future__ import annotations

import html
from collections.abc import Callable

import course_utils

from ..catalog import ModelRow, list_models, makers_count, models_table
from ..text import WIDGETS as TEXT
from .formatting import Shown, explain_html, price, tokens
from .recorded import recorded_requests


class ModelPicker(Shown):
    """Filters the catalogue (free/paid, maker, text, max price, min context); `.value` is the chosen id."""

    placeholder = "picker"

    def __init__(self, models: list[dict] | None = None):
        import ipywidgets as w

        try:
            self.models, problem = list_models() if models is None else models, None
        except Exception as exc:  # no catalogue (offline, not recorded): explained in the picker, no traceback
            self.models, problem = [], exc
        self.recorded = {model for model, _, _ in recorded_requests()}
        labelled = {"style": {"description_width": "initial"}}
        self.price = w.ToggleButtons(options=TEXT["price_options"], value="all", description=TEXT["price"],
                                     **labelled)
        # No None among option values: ipywidgets reads value None as "nothing selected" (a blank box).
        makers = [(TEXT["maker_option"].format(maker=m, n=n), m) for m, n in makers_count(self.models)]
        self.maker = w.Dropdown(options=[(TEXT["maker_all"], ""), *makers], description=TEXT["maker"], **labelled)
        self.search = w.Text(description=TEXT["search"], placeholder=TEXT["search_hint"], **labelled)
        self.max_price = w.Dropdown(options=TEXT["max_price_options"], description=TEXT["max_price"], **labelled)
        self.min_context = w.Dropdown(options=TEXT["min_context_options"], description=TEXT["min_context"],
                                      **labelled)
        self.features = {name: w.ToggleButton(description=label, value=False)
                         for name, label in TEXT["feature_filters"].items()}
        self.select = w.Select(rows=10, layout=w.Layout(width="98%"))
        self.count = w.HTML()
        self.chosen = w.HTML()
        self.rows: list[ModelRow] = []
        for control in (self.price, self.maker, self.search, self.max_price, self.min_context,
                        *self.features.values()):
            control.observe(lambda _: self.refresh(), names="value")
        self.select.observe(lambda _: self._show_choice(), names="value")
        hint = [w.HTML(TEXT["recorded_hint"])] if course_utils.MODE == "replay" else []
        self.widget = w.VBox([self.price, w.HBox([self.maker, self.search]),
                              w.HBox([self.max_price, self.min_context]), w.HBox(list(self.features.values())),
                              self.count, self.select,
                              self.chosen, *hint])
        self.refresh()
        if problem is not None:
            self.count.value = explain_html(problem)

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
        price_filter = self.price.value
        rows = models_table(self.models, free_only=price_filter == "free", maker=self.maker.value or None,
                            search=self.search.value.strip(), max_price=self.max_price.value or None,
                            min_context=self.min_context.value or None)
        wanted = [name for name, toggle in self.features.items() if toggle.value]
        by_id = {m.get("id"): m for m in self.models}
        self.rows = [r for r in rows if not (price_filter == "paid" and r.free)
                     and all(has_feature(by_id.get(r.id) or {}, name) for name in wanted)]
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
        shown_price = TEXT["free"] if row.free else f"{price(row.input_per_m)} / {price(row.output_per_m)}"
        return TEXT["model_row"].format(mark=mark, name=row.name, price=shown_price,
                                        context=tokens(row.context_length), id=row.id)

    def _show_choice(self) -> None:
        self.chosen.value = TEXT["chosen"].format(model=html.escape(self.value)) if self.value else ""


def has_feature(model: dict, feature: str) -> bool:
    """Whether a catalogue entry reads images ("image_in"), makes images ("image_out") or takes tools ("tools")."""
    architecture = model.get("architecture") or {}
    if feature == "tools":
        return "tools" in (model.get("supported_parameters") or [])
    side = "input_modalities" if feature == "image_in" else "output_modalities"
    return "image" in (architecture.get(side) or [])


def model_picker(models: list[dict] | None = None) -> ModelPicker:
    """A model picker over the catalogue (or the given OpenRouter model dicts)."""
    return ModelPicker(models)
