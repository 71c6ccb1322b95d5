"""What every benchmark shares: the result record, timing helpers and the offline course environment."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# The course's environment variables (the other bench modules take them from here); the bench never reads a key
# or a .env.
from course_utils.config import (
    BASE_URL_VAR,
    KEY_VAR,
    MODE_VAR,
    NO_DOTENV_VAR,
    NOTEBOOK_VAR,
    REPLAY_PACE_VAR,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Result:
    """One measured row of RESULTS.md. `ratio` = measured / goal (<= 1 meets the goal); no goal: reference only."""

    name: str
    measured: float
    goal: float | None
    unit: str
    detail: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.goal else self.measured / self.goal  # a goal of 0 (none allowed) has no ratio

    @property
    def met(self) -> bool | None:
        return None if self.goal is None else self.measured <= self.goal


def median_ms(samples: list[float]) -> float:
    """Median of durations in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    """Durations (seconds) of `repeat` calls of `function`."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


@contextmanager
def offline_replay_env(paced: bool = False, notebook: str | None = None) -> Iterator[None]:
    """Replay mode with no key, no .env and the default base URL, for this process and its kernels.

    `notebook` names the lesson the kernels run (as JupyterLab does), so replay prefers its recordings.

    Headless, like the test suite and the record command: the prompt sender does not pause between
    replayed chunks. `paced=True` keeps the pause a learner watching the notebook sees.
    """
    from course_utils import environment

    with environment.patched(**{KEY_VAR: None, BASE_URL_VAR: None, MODE_VAR: "replay", NO_DOTENV_VAR: "1",
                                NOTEBOOK_VAR: Path(notebook).stem if notebook else None,
                                REPLAY_PACE_VAR: None if paced else "0"}):
        yield
