"""The usual YAML slips get a hint beside their type error: an unquoted '#' colour, a version
read as a number, a date not written YYYY-MM-DD."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.errors import ScenarioError
from game.scenario.load import load_text

TUTORIAL = (Path(__file__).parents[1] / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
HISTORY_LINE = TUTORIAL.splitlines().index("  - date: 2025-01-15") + 1
"""The tutorial's history entry (the file grows above it as the tutorial is edited)."""


def only_error(old: str, new: str) -> tuple[int, int, str, str | None]:
    assert old in TUTORIAL
    with pytest.raises(ScenarioError) as info:
        load_text(TUTORIAL.replace(old, new, 1), "slip.yaml")
    (d,) = info.value.diagnostics
    return d.line, d.col, d.code, d.hint


@pytest.mark.parametrize(("old", "new", "line", "hint"), [
    ('color: "#D55E00"', "color: #D55E00", 36,
     "'#' starts a comment in YAML, so the value is empty: write it in quotes, \"#D55E00\""),
    ('color: "#D55E00"', "color: #D55E00   # orange", 36,
     "'#' starts a comment in YAML, so the value is empty: write it in quotes, \"#D55E00\""),
    ('version: "1.0"', "version: 0.4", 14, 'YAML reads 0.4 as a number: write it in quotes, "0.4"'),
    ('version: "1.0"', "version: 1.10", 14,
     'YAML reads 1.10 as a number: write it in quotes, "1.10"'),
    ("start_date: 2025-01-01", "start_date: 13/09/2027", 19,
     "write dates as YYYY-MM-DD: 2027-09-13"),
    ("  - date: 2025-01-15", "  - date: 01/15/2025", HISTORY_LINE,
     "write dates as YYYY-MM-DD: 2025-01-15"),
    ("start_date: 2025-01-01", "start_date: 03.04.2027", 19,
     "write dates as YYYY-MM-DD, e.g. 2027-04-03 for 3 April 2027"),
])
def test_slip_gets_a_hint(old: str, new: str, line: int, hint: str) -> None:
    got_line, _, code, got_hint = only_error(old, new)
    assert (got_line, code, got_hint) == (line, "scenario/wrong-type", hint)


def test_a_plain_missing_value_gets_no_slip_hint() -> None:
    _, _, code, hint = only_error('title: "The Border Crisis (tutorial)"', "title:")
    assert code == "scenario/wrong-type" and hint is None


def test_a_move_in_an_adjudication_phase_reads_right() -> None:
    """'an adjudication phase', not 'a adjudication phase' (issue 16)."""
    old = "    actors: [NORTH]\n    phases: [orders]"
    assert old in TUTORIAL
    with pytest.raises(ScenarioError) as info:
        load_text(TUTORIAL.replace(old, "    actors: [NORTH]\n    phases: [adjudication]", 1))
    assert "'adjudication' is an adjudication phase" in str(info.value)
