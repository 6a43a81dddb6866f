"""Effect operations and adjudication kinds declared once (game/engine/effects.py,
game/engine/adjudication.py): each registry, the scenario model, the schema and the guide agree;
the drift effect, added in the handler shape, does what the guide says; and a threshold's on_up
and on_down fire their events when the track crosses it."""

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


def test_every_adjudication_kind_is_a_kind_of_the_model_and_of_the_guide() -> None:
    """The model's adjudication kinds (and so the schema's) are the adjudicators', and the
    guide has a row for each."""
    import typing

    from game.engine.adjudication import ADJUDICATORS, BY_KIND

    kinds = typing.get_args(m.Adjudication.model_fields["kind"].annotation)
    assert set(kinds) == set(BY_KIND) and len(BY_KIND) == len(ADJUDICATORS)
    schema = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text("utf-8"))
    assert set(schema["definitions"]["Adjudication"]["properties"]["kind"]["enum"]) == set(kinds)
    guide = (ROOT / "docs" / "scenario-authoring.md").read_text("utf-8")
    for a in ADJUDICATORS:
        assert f"\n| `{a.kind}`" in guide, a.kind
        assert a.word and a.short and a.label, a.kind


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


# ---------------------------------------------------------------- rung consequences

RUNGS = HEAD + """
tracks:
  - id: tension
    name: Tension
    max: 10
    initial: 2
    thresholds:
      - {at: 4, name: Crisis, on_up: alarm, on_down: relief}
      - {at: 7, name: War scare, on_up: scare}
  - id: cohesion
    name: Cohesion
    max: 10
    initial: 5
    thresholds: [{at: 3, name: Frayed, reached: falling, on_down: fray, on_up: mend}]
  - id: ping
    name: Ping
    max: 10
    initial: 2
    thresholds: [{at: 5, name: Bounce, on_up: bounce, on_down: unbounce}]
  - {id: alarms, name: Alarms, max: 100}
  - {id: reliefs, name: Reliefs, max: 100}
  - {id: scares, name: Scares, max: 100}
  - {id: frays, name: Frays, max: 100}
  - {id: mends, name: Mends, max: 100}
events:
  - {id: alarm, name: Alarm raised, once: false, effects: [{track: alarms, add: 1}]}
  - {id: relief, name: Relief, once: false, effects: [{track: reliefs, add: 1}]}
  - {id: scare, name: War scare, effects: [{track: scares, add: 1}]}
  - {id: fray, name: Alliance frays, once: false, effects: [{track: frays, add: 1}]}
  - {id: mend, name: Alliance mends, once: false, effects: [{track: mends, add: 1}]}
  - {id: bounce, name: Bounce, once: false, effects: [{track: ping, add: -4}]}
  - {id: unbounce, name: Unbounce, once: false, effects: [{track: ping, add: 4}]}
"""


def rung_game() -> Game:
    return Game.from_rules(rules_of(RUNGS), 1, "all=passive")


def adjust(g: Game, track: str, value: float) -> None:
    g.submit(f"control: adjust track={track} value={value:g} | test")


def counts(g: Game) -> dict[str, float]:
    return {t: g.engine.value(t) for t in ("alarms", "reliefs", "scares", "frays", "mends")}


def fired(g: Game) -> list[str]:
    return [e.values[0] for e in g.engine.state.entries() if e.kind is Kind.EVENT]


def test_crossing_a_rung_up_fires_its_on_up_event_caused_by_the_rung() -> None:
    """2 → 5 crosses 'Crisis' (4) upward: 'alarm' fires once, its cause the rung entry, whose
    cause is the change; the explanation runs from the event back to the umpire's adjustment."""
    g = rung_game()
    adjust(g, "tension", 5)
    assert counts(g)["alarms"] == 1 and fired(g) == ["alarm"]
    entries = g.engine.state.entries()
    by_seq = {e.seq: e for e in entries}
    event = next(e for e in entries if e.kind is Kind.EVENT)
    rung = by_seq[event.cause]
    change = by_seq[rung.cause]
    assert rung.kind is Kind.THRESHOLD and rung.values[:2] == ("tension", "Crisis")
    assert change.kind is Kind.CHANGE and change.values[:3] == ("tension", 2.0, 5.0)
    log = g.view("control").log
    seq = next(i for i, line in enumerate(log) if line.kind is Kind.EVENT)
    lines = g.explain(seq)
    assert lines[0].startswith("EVENT — Alarm raised")
    assert any("reaches 'Crisis'" in line for line in lines)
    assert any("Tension ▲ 2 → 5" in line for line in lines)


def test_crossing_down_fires_the_other_event_and_back_and_forth_fires_each_time() -> None:
    """Down across 'Crisis' fires 'relief'; up, down, up again fires 'alarm' twice and 'relief'
    once more (both fire at every crossing: once: false). A change that stays on one side of
    the rung fires nothing."""
    g = rung_game()
    adjust(g, "tension", 5)
    adjust(g, "tension", 3)
    assert (counts(g)["alarms"], counts(g)["reliefs"]) == (1, 1)
    adjust(g, "tension", 6)
    adjust(g, "tension", 5)  # above the rung both times: no crossing
    adjust(g, "tension", 1)
    assert fired(g) == ["alarm", "relief", "alarm", "relief"]


def test_a_change_across_several_rungs_fires_them_in_the_order_passed_and_once_holds() -> None:
    """2 → 8 passes 'Crisis' then 'War scare': 'alarm' then 'scare'. 'scare' fires once (its
    default once: true): climbing past it again fires only 'alarm'."""
    g = rung_game()
    adjust(g, "tension", 8)
    adjust(g, "tension", 1)
    adjust(g, "tension", 9)
    assert fired(g) == ["alarm", "scare", "relief", "alarm"]
    assert counts(g)["scares"] == 1


def test_a_clamped_value_fires_when_it_crosses_and_not_when_it_stays() -> None:
    """An effect adding 20 to a 0..10 track at 2 is clamped to 10 and crosses both rungs; adding
    5 at 10 leaves it at 10 (no change, no crossing, nothing fired); taking 30 clamps it to 0,
    falling across 'Crisis'."""
    text = RUNGS + """
  - {id: surge, name: Surge, trigger: {turn: 1}, effects: [{track: tension, add: 20}]}
  - {id: push, name: Push, trigger: {turn: 2}, effects: [{track: tension, add: 5}]}
  - {id: slump, name: Slump, trigger: {turn: 3}, effects: [{track: tension, add: -30}]}
"""
    g = Game.from_rules(rules_of(text), 1, "all=passive")
    g.play_out()
    assert fired(g) == ["surge", "alarm", "scare", "push", "slump", "relief"]
    assert g.engine.value("tension") == 0


def test_a_falling_rung_fires_on_down_when_reached_and_on_up_when_left() -> None:
    g = rung_game()
    adjust(g, "cohesion", 3)  # at 'at' counts as reached for a falling rung
    adjust(g, "cohesion", 4)
    assert (counts(g)["frays"], counts(g)["mends"]) == (1, 1)


def test_rungs_that_set_each_other_off_stop() -> None:
    """'bounce' (on up across 5) takes 4 off, which crosses back down and fires 'unbounce',
    which adds 4 and crosses up again: 'bounce' is already among the causes, so it does not
    fire again, and the game goes on."""
    g = rung_game()
    adjust(g, "ping", 6)
    assert fired(g) == ["bounce", "unbounce"]
    assert g.engine.value("ping") == 6
    g.play_out()
    assert g.is_over


def test_an_inject_fired_by_a_rung_waits_for_the_umpire_and_is_queued_once() -> None:
    text = RUNGS.replace("{id: alarm, name: Alarm raised, once: false,",
                         "{id: alarm, name: Alarm raised, once: false, release: umpire,")
    g = Game.from_rules(rules_of(text), 1, "all=passive")
    adjust(g, "tension", 5)
    adjust(g, "tension", 3)
    adjust(g, "tension", 5)
    assert g.engine.state.queue == ((g.rules.event_index["alarm"], "pending"),)
    assert counts(g)["alarms"] == 0
