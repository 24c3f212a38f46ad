"""Shared test set-up: skip ``needs_dot`` tests where Graphviz is not installed."""

from __future__ import annotations

import shutil

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which("dot") is not None:
        return
    skip = pytest.mark.skip(reason="Graphviz `dot` is not installed")
    for item in items:
        if "needs_dot" in item.keywords:
            item.add_marker(skip)
