"""Effect operations declared once (game/engine/effects.py): the registry, the scenario model and
the schema agree, and the drift effect — added in the handler shape — does what the guide says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.engine import effects as E
from game.engine.core import Engine
from game.engine.log import Kind
from game.engine.rules import Rules
from game.scenario import model as m
from game.scenario.compile import compile_rules
from game.scenario.load import load_text
from game.session import Game

ROOT = Path(__file__).resolve().parents[1]

HEAD = """
meta: {id: effects-mini, title: Effects, version: "1", start_date: 2025-01-01,
       turn_length_days: 30, turns: 6}
actors:
  - {id: RED, name: Red, kind: player, color: "#D55E00"}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [RED]}
  - {id: events, name: Events, kind: events}
moves:
  - {id: wait, name: Wait, actors: [RED], phases: [orders], outcomes: [{id: done}]}
"""

DRIFT = HEAD + """
tracks:
  - {id: sanctions, name: Sanctions, max: 10, initial: 5, integer: false}
  - {id: dependence, name: Dependence, max: 10, initial: 1}
  - {id: pressure, name: Pressure, max: 10, initial: 8, integer: false}
events:
  - id: erosion
    name: Sanctions erode
    trigger: {turn: 1}
    effects: [{track: sanctions, toward: 3, by: 0.5, duration: 6}]
  - id: revert
    name: Dependence reverts
    once: false
    trigger: {when: "turn >= 1"}
    effects: [{track: dependence, toward: 3, by: 1}]
  - id: squeeze
    name: Squeeze
    trigger: {turn: 1}
    effects: [{track: pressure, toward: 20, by: "turn", duration: 3}]
"""


def rules_of(text: str) -> Rules:
    return compile_rules(load_text(text, "<effects-mini>"))


def values_by_turn(rules: Rules, *tracks: str) -> dict[int, tuple[float, ...]]:
    """Each track's value as each turn's orders phase opens (teams pass, the umpire moves on)."""
    eng = Engine.new(rules, 1)
    out: dict[int, tuple[float, ...]] = {}
    while not eng.state.over:
        if eng.phase.kind.value == "orders":
            out.setdefault(eng.state.turn, tuple(eng.value(t) for t in tracks))
        who = eng.to_move()
        assert who is not None
        legal = eng.legal_actions(who)
        pick = next(a for v in ("pass", "release", "advance") for a in legal if a.verb == v)
        eng.apply(pick)
    out[eng.state.turn + 1] = tuple(eng.value(t) for t in tracks)  # after the last turn
    return out


# ---------------------------------------------------------------- the registry


def test_every_operation_is_named_by_fields_of_the_model_and_the_schema() -> None:
    """Each handler's target and amount keys are fields of an effect, in the model and in the
    committed schema (generated from the model); and every number field of an effect belongs
    to some operation."""
    schema = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text("utf-8"))
    props = set(schema["definitions"]["Effect"]["properties"])
    fields = set(m.Effect.model_fields)
    for h in E.HANDLERS:
        assert {h.target, *h.amounts} <= fields & props, h.op
    assert set(E.BY_OP) == {h.op for h in E.HANDLERS}, "two handlers share a name"
    amount = m.Effect.model_fields["add"].annotation  # a number or an expression
    numbers = {k for k, f in m.Effect.model_fields.items() if f.annotation == amount}
    assert numbers == set(E.AMOUNTS)


def test_the_guide_shows_every_operation() -> None:
    guide = (ROOT / "docs" / "scenario-authoring.md").read_text("utf-8")
    for h in E.HANDLERS:
        for key in (h.target, *h.amounts):
            assert f"`{key}" in guide, (h.op, key)


def test_an_effect_selects_one_operation() -> None:
    assert E.select("track", ["add"]) is E.BY_OP["add"]
    assert E.select("track", ["toward", "by"]) is E.BY_OP["drift"]
    assert E.select("track", ["by"]) is None  # a step with nothing to step toward
    assert E.select("track", ["add", "mul"]) is None
    assert E.select("reveal", []) is E.BY_OP["reveal"]
    assert E.choices("track") == ("add", "set", "mul", "toward")


# ---------------------------------------------------------------- drift


def test_a_drift_moves_by_its_step_each_turn_and_rests_at_its_level() -> None:
    """`{track: sanctions, toward: 3, by: 0.5, duration: 6}` from 5: 4.5 now, then 4, 3.5, 3,
    and 3 from then on (never past the level)."""
    seen = values_by_turn(rules_of(DRIFT), "sanctions")
    # the event fires in turn 1's events phase; the later steps come at the start of turns
    assert [seen[t][0] for t in range(1, 8)] == [5.0, 4.0, 3.5, 3.0, 3.0, 3.0, 3.0]


def test_a_drift_rises_toward_a_level_above_and_every_turn_from_a_repeating_event() -> None:
    """From below the level the track rises; an event with once: false drifts it every turn."""
    seen = values_by_turn(rules_of(DRIFT), "dependence")
    assert [seen[t][0] for t in range(1, 8)] == [1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0]


def test_a_drift_toward_a_level_beyond_the_range_stops_at_the_range() -> None:
    """`toward: 20` on a track whose max is 10, by `turn` (an expression): 8 → 9 (turn 1, by 1)
    → 10 (turn 2, by 2, clamped), and it stays at 10."""
    seen = values_by_turn(rules_of(DRIFT), "pressure")
    assert [seen[t][0] for t in range(1, 6)] == [8.0, 10.0, 10.0, 10.0, 10.0]


def test_a_drift_is_logged_and_explained_as_a_drift() -> None:
    """Each step is a change in the log whose explanation names the drift rule."""
    g = Game.from_rules(rules_of(DRIFT), 1, "all=passive")
    g.play_out()
    entries = g.engine.state.entries()
    steps = [e for e in entries if e.kind is Kind.CHANGE and e.values[0] == "sanctions"]
    assert [(e.values[1], e.values[2]) for e in steps] == [(5.0, 4.5), (4.5, 4.0), (4.0, 3.5),
                                                           (3.5, 3.0)]
    umpire_log = g.view("control").log
    seq = next(i for i, line in enumerate(umpire_log)
               if line.kind is Kind.CHANGE and line.data.get("track") == "sanctions")
    lines = g.explain(seq)
    assert lines[0] == "Sanctions ▼ 5.0 → 4.5."
    assert lines[-1].startswith("Rule: <effects-mini>:") and lines[-1].endswith(
        "(drift on Sanctions)")
    assert any("Sanctions erode" in line for line in lines)


@pytest.mark.parametrize("by", ["-1", "'0 - turn'"])
def test_a_step_below_zero_in_play_does_not_move_the_track(by: str) -> None:
    """A step that an expression makes 0 or less leaves the track where it is (the loader
    refuses a fixed one)."""
    text = DRIFT.replace("by: 0.5, duration: 6", f"by: {by}, duration: 6")
    if by == "-1":
        with pytest.raises(Exception, match="step above 0"):
            rules_of(text)
        return
    seen = values_by_turn(rules_of(text), "sanctions")
    assert {seen[t][0] for t in range(1, 8)} == {5.0}
