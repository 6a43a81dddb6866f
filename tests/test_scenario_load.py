"""Loader corners found by fuzzing, kept as plain regression tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.rules import MAX_ACTORS
from game.scenario.errors import ScenarioError
from game.scenario.load import load_text

BASE = (Path(__file__).parent / "fixtures" / "scenarios" / "base.yaml").read_text(encoding="utf-8")


def test_an_empty_optional_section_is_the_same_as_none() -> None:
    """'end:' with nothing under it loads as no end conditions (not a crash)."""
    text = BASE.replace('end:\n  - {id: war, when: "tension >= 6"}', "end:")
    assert "end:\n" in text and "id: war" not in text
    assert load_text(text).scenario.end == []


def test_more_actors_than_the_engine_keys_is_refused_at_load_with_its_position() -> None:
    blue = '  - {id: BLUE, name: Blue, kind: control, color: "#0072B2"}\n'
    extra = "".join(f'  - {{id: C{i}, name: Cell {i}, kind: control, color: "#0072B2"}}\n'
                    for i in range(MAX_ACTORS - 2))
    assert load_text(BASE.replace(blue, blue + extra)).scenario.actors[-1].id == f"C{MAX_ACTORS - 3}"
    with pytest.raises(ScenarioError) as info:
        load_text(BASE.replace(blue, blue + extra + '  - {id: ONE_TOO_MANY, name: X, kind: '
                               'control, color: "#0072B2"}\n'), "many.yaml")
    (d,) = info.value.diagnostics
    assert d.code == "scenario/too-many-actors" and f"at most {MAX_ACTORS}" in d.message
    assert str(d).startswith("many.yaml:12:")
