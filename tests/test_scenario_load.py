"""Loader corners found by fuzzing, kept as plain regression tests."""

from __future__ import annotations

from pathlib import Path

from game.scenario.load import load_text

BASE = (Path(__file__).parent / "fixtures" / "scenarios" / "base.yaml").read_text(encoding="utf-8")


def test_an_empty_optional_section_is_the_same_as_none() -> None:
    """'end:' with nothing under it loads as no end conditions (not a crash)."""
    text = BASE.replace('end:\n  - {id: war, when: "tension >= 6"}', "end:")
    assert "end:\n" in text and "id: war" not in text
    assert load_text(text).scenario.end == []
