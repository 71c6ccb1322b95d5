"""Hooks for every test item, the notebooks nbval collects from notebooks/ included (tests/conftest.py
holds the suite's fixtures and environment; its hooks would not reach notebooks/)."""
from __future__ import annotations

import os

import pytest

from course_utils import config


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tell a notebook's kernel which lesson it runs, as JupyterLab does (JPY_SESSION_NAME), so that replay
    prefers the lesson's own recordings. Runs before nbval starts the kernel for the notebook's first cell."""
    if item.path.suffix == ".ipynb":
        os.environ[config.NOTEBOOK_VAR] = item.path.stem
    else:
        os.environ.pop(config.NOTEBOOK_VAR, None)
