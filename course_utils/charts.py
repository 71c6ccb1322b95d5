"""Bar charts for the catalogue lessons, with Japanese labels, drawn as HTML by the course (no plotting library).

Jupyter shows a chart as an HTML table whose bars are coloured boxes with a width in pixels: it needs no font
file (the browser draws the Japanese labels) and only tags and styles that JupyterLab keeps in a saved,
untrusted notebook (no SVG, no script). `print` and nbval see the same chart as text bars.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .text import CHARTS
from .text_width import pad, width

if TYPE_CHECKING:
    from .catalog import EndpointRow

BAR_PX = 320  # the longest bar in the HTML chart
BAR_CHARS = 30  # the longest bar in the text chart
COLORS = ("#1f77b4", "#ff7f0e")  # one per series (matplotlib's first two, the course's earlier charts)


@dataclass(frozen=True)
class Series:
    """One set of bars: its legend name ("" when the chart has only one) and one value per label (None: unknown)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one group per label (top to bottom), one bar per series, each with its value written."""

    title: str
    xlabel: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def largest(self) -> float:
        return max((v for s in self.series for v in s.values if v is not None and v > 0), default=0.0)

    def length(self, value: float | None, full: int) -> int:
        """The bar's length for `value` when the largest value is `full` long (0 for none or unknown)."""
        if not value or value < 0 or not self.largest:
            return 0
        return max(1, round(full * value / self.largest))

    @staticmethod
    def value_text(value: float | None) -> str:
        return CHARTS["missing"] if value is None else f"{value:g}"

    def __repr__(self) -> str:
        label_width = max((width(label) for label in self.labels), default=0)
        name_width = max(width(s.name) for s in self.series)
        lines = [self.title]
        for i, label in enumerate(self.labels):
            for j, series in enumerate(self.series):
                value = series.values[i]
                head = pad(label if j == 0 else "", label_width)
                name = f" {pad(series.name, name_width)}" if name_width else ""
                bar = "█" * self.length(value, BAR_CHARS)
                lines.append(f"{head}{name} |{bar} {self.value_text(value)}")
        lines.append(CHARTS["text_axis"].format(xlabel=self.xlabel))
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        legend = ""
        if len(self.series) > 1:
            legend = "<div>" + " &nbsp; ".join(
                f'{_box(COLORS[j], 12)} {html.escape(s.name)}' for j, s in enumerate(self.series)) + "</div>"
        rows = []
        for i, label in enumerate(self.labels):
            bars = "".join(
                f'<div style="white-space: nowrap">{_box(COLORS[j], self.length(s.values[i], BAR_PX))} '
                f"{html.escape(self.value_text(s.values[i]))}</div>" for j, s in enumerate(self.series))
            rows.append(f'<tr><th style="text-align: right">{html.escape(label)}</th>'
                        f'<td style="text-align: left">{bars}</td></tr>')
        return (f'<div><div style="font-weight: bold">{html.escape(self.title)}</div>{legend}'
                f'<table><thead><tr><th></th><th style="text-align: left">{html.escape(self.xlabel)}</th></tr>'
                f'</thead><tbody>{"".join(rows)}</tbody></table></div>')


def _box(color: str, px: int) -> str:
    return (f'<span style="display: inline-block; width: {px}px; height: 12px; '
            f'background-color: {color}"></span>')


def plot_makers(counts: Sequence[tuple[str, int]], top: int = 10) -> BarChart:
    """Bars of models per maker (from `catalog.makers_count`), the largest at the top."""
    shown = list(counts[:top])
    return BarChart(CHARTS["makers_title"].format(shown=len(shown), total=len(counts)), CHARTS["makers_xlabel"],
                    tuple(name for name, _ in shown), (Series("", tuple(n for _, n in shown)),))


def plot_endpoint_prices(rows: Sequence[EndpointRow]) -> BarChart:
    """Input and output price ($/1M tokens) of each provider (from `catalog.endpoints`), in the rows' order."""
    return BarChart(CHARTS["prices_title"], CHARTS["prices_xlabel"], tuple(r.provider_name for r in rows),
                    (Series(CHARTS["input"], tuple(r.input_per_m for r in rows)),
                     Series(CHARTS["output"], tuple(r.output_per_m for r in rows))))
