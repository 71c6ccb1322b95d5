"""Charts for the catalogue lessons, with Japanese labels. matplotlib is imported only when drawing."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .text import CHARTS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .catalog import EndpointRow


def _figure(rows: int) -> tuple[Figure, object]:
    import matplotlib.pyplot as plt
    import matplotlib_fontja  # noqa: F401  (importing it switches matplotlib to a Japanese font)

    fig, ax = plt.subplots(figsize=(7, 0.9 + 0.4 * max(rows, 1)))
    # Closed at once: the returned figure is then shown exactly once in Jupyter and leaks nothing in tests.
    plt.close(fig)
    return fig, ax


def plot_makers(counts: Sequence[tuple[str, int]], top: int = 10) -> Figure:
    """Horizontal bars of models per maker (from `catalog.makers_count`), largest at the top."""
    shown = list(counts[:top])
    fig, ax = _figure(len(shown))
    names = [name for name, _ in reversed(shown)]
    bars = ax.barh(names, [n for _, n in reversed(shown)])
    ax.bar_label(bars, padding=3)
    ax.set_title(CHARTS["makers_title"].format(shown=len(shown), total=len(counts)))
    ax.set_xlabel(CHARTS["makers_xlabel"])
    fig.tight_layout()
    return fig


def plot_endpoint_prices(rows: Sequence[EndpointRow]) -> Figure:
    """Input and output price ($/1M tokens) of each provider (from `catalog.endpoints`), side by side."""
    fig, ax = _figure(2 * len(rows))
    positions = range(len(rows))
    height = 0.4
    for offset, label, attr in ((-height / 2, CHARTS["input"], "input_per_m"),
                                (height / 2, CHARTS["output"], "output_per_m")):
        values = [getattr(r, attr) for r in rows]
        bars = ax.barh([p + offset for p in positions], [v or 0 for v in values], height=height, label=label)
        ax.bar_label(bars, labels=[CHARTS["missing"] if v is None else f"{v:g}" for v in values], padding=3)
    ax.set_yticks(list(positions), [r.provider_name for r in rows])
    ax.invert_yaxis()  # cheapest (first row) at the top
    ax.set_title(CHARTS["prices_title"])
    ax.set_xlabel(CHARTS["prices_xlabel"])
    ax.legend()
    fig.tight_layout()
    return fig
