"""The examples in the docstrings run, and say what they show (``Action.parse(str(a)) == a``
among them): every module of ``game`` with a ``>>>`` example is tested here."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parents[1] / "game"
MODULES = sorted(
    ".".join(path.relative_to(GAME.parent).with_suffix("").parts)
    for path in GAME.rglob("*.py") if ">>> " in path.read_text(encoding="utf-8"))


def test_the_examples_are_found() -> None:
    assert "game.engine.actions" in MODULES and len(MODULES) >= 20


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_in_a_module_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
    compiled = str(getattr(module, "__file__", "")).endswith((".so", ".pyd"))
    assert result.attempted > 0 or compiled, f"{name} has examples but none ran"
