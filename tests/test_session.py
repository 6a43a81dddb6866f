"""The Game facade: seats, submit, computer seats and scripts, pause, undo, fork, result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.agents.basic import ScriptError, parse_script
from game.engine.actions import CONTROL, Action
from game.engine.errors import IllegalAction
from game.engine.views import view_for
from game.scenario.compile import load_rules
from game.session import Game, SeatError, parse_seats


def state_of(g: Game) -> str:
    return json.dumps(g.engine.state.to_json(), sort_keys=True)


# ---------------------------------------------------------------------- seats


def test_default_seats() -> None:
    """By default player actors are human, control-cell actors are played by the umpire, and the
    umpire is automatic."""
    seats = parse_seats(None, load_rules("tutorial"))
    assert seats == {CONTROL: "auto", "NORTH": "human", "SOUTH": "human", "COUNCIL": "control"}


def test_seat_specifications() -> None:
    """'all=' sets every actor, 'players=' the player actors; a named actor wins over both."""
    rules = load_rules("tutorial")
    assert parse_seats("all=random,NORTH=greedy", rules) == {
        CONTROL: "auto", "NORTH": "greedy", "SOUTH": "random", "COUNCIL": "random"}
    assert parse_seats({"players": "greedy", CONTROL: "human"}, rules) == {
        CONTROL: "human", "NORTH": "greedy", "SOUTH": "greedy", "COUNCIL": "control"}


@pytest.mark.parametrize("spec, words", [("EU=random", "no actor 'EU'"),
                                         ("NORTH=genius", "seat kind 'genius'"),
                                         ("NORTH", "ACTOR=kind"),
                                         ("NORTH=", "ACTOR=kind"),
                                         ("NORTH=auto", "seat kind 'auto'")])
def test_bad_seat_specifications_are_refused_clearly(spec: str, words: str) -> None:
    """A seat for an unknown actor, of an unknown kind, or malformed, is a SeatError that says so."""
    with pytest.raises(SeatError) as info:
        parse_seats(spec, load_rules("tutorial"))
    assert words in str(info.value) and info.value.code == "seat/error"


def test_who_is_human() -> None:
    """A control-cell actor is human exactly when the umpire is; the game says which human
    seat it waits for."""
    g = Game.new("tutorial", 1, f"NORTH=random,{CONTROL}=human")
    assert g.is_human("SOUTH") and g.is_human("COUNCIL") and not g.is_human("NORTH")
    assert g.next_human() == "SOUTH"
    h = Game.new("tutorial", 1, "NORTH=random,SOUTH=random")
    assert h.seat_of("COUNCIL") == "greedy" and not h.is_human(CONTROL)


@pytest.mark.parametrize(("umpire", "policy"), [("auto", "greedy"), ("auto:passive", "passive"),
                                                ("auto:ismcts:50", "ismcts:50")])
def test_the_automatic_umpire_plays_the_control_cell_by_its_declared_policy(umpire: str,
                                                                            policy: str) -> None:
    """The automatic umpire plays the control-cell actors greedily unless the seats say how
    (``control=auto:KIND``); a whole game plays out and the Council gives orders."""
    g = Game.new("tutorial", 2, f"players=random,{CONTROL}={umpire}")
    assert g.seat_of("COUNCIL") == policy
    g.run_agents()
    assert g.is_over
    council_orders = [d for d in g.decisions if d.action.startswith("COUNCIL:")
                      and ": pass" not in d.action]
    assert bool(council_orders) == (policy != "passive")


def test_a_bad_automatic_umpire_policy_is_refused() -> None:
    with pytest.raises(SeatError, match="auto:KIND"):
        Game.new("tutorial", seats=f"{CONTROL}=auto:wild")


# ---------------------------------------------------------------------- playing


def test_submit_takes_text_or_actions_and_records_the_decision() -> None:
    """``submit`` accepts the text form or an Action, returns the Action and records it."""
    g = Game.new("tutorial", 1)
    a = g.submit("NORTH: propaganda audience=home | rally")
    assert a == Action.make("NORTH", "propaganda", audience="home")
    g.submit(Action("SOUTH", "pass"))
    assert [d.action for d in g.decisions] == ["NORTH: propaganda audience=home | rally",
                                               "SOUTH: pass"]
    assert g.view("SOUTH") == view_for(g.engine, "SOUTH")


def test_a_refused_decision_is_not_recorded() -> None:
    """An illegal decision leaves the game, its decision log and its undo stack as they were."""
    g = Game.new("tutorial", 1)
    g.submit("NORTH: mass_troops")
    before = state_of(g)
    with pytest.raises(IllegalAction):
        g.submit("NORTH: mass_troops")
    assert state_of(g) == before and len(g.decisions) == 1
    g.undo()
    assert g.decisions[-1].undo_to == 0 and g.engine.state.orders == ()


def test_computer_seats_play_until_a_human_is_needed() -> None:
    """``run_agents`` lets computer seats act and stops when a human seat must act;
    ``play_out`` refuses to finish a game that waits for a human."""
    g = Game.new("tutorial", 3, "NORTH=random,COUNCIL=random")
    g.run_agents()
    assert g.next_human() == "SOUTH" and not g.is_over
    with pytest.raises(SeatError):
        g.play_out()
    g.submit("SOUTH: pass")
    g.run_agents()
    assert g.next_human() in ("SOUTH", None)


def test_a_paused_game_does_not_let_computers_act() -> None:
    """While paused, computer seats wait; after resuming they go on."""
    g = Game.new("tutorial", 3, "all=random")
    g.pause()
    g.run_agents()
    assert g.decisions == []
    g.resume()
    g.run_agents()
    assert g.is_over


def test_turn_end_hooks_run_once_a_turn() -> None:
    """``on_turn_end`` hooks run at each turn's end (and at the game's end)."""
    g = Game.new("tutorial", 3, "all=random")
    turns: list[int] = []
    g.on_turn_end.append(lambda game: turns.append(game.engine.state.turn))
    g.play_out()
    assert turns == [2, 3, 3]


def test_the_result_names_winners_scores_and_reason() -> None:
    """A finished game's result gives scores, the player(s) with the top score, the reason it
    ended and a summary sentence."""
    g = Game.new("tutorial", 3, "all=random").play_out()
    r = g.result()
    players = {"NORTH", "SOUTH"}
    top = max(r.scores[p] for p in players)
    assert set(r.winners) == {p for p in players if r.scores[p] == top}
    assert r.reason == "last-turn"
    assert r.summary.startswith("The Border Crisis (tutorial): turn 3 of 3, ended: the last turn "
                                "(3) is over. Scores: Southland ")


def test_a_fork_is_independent() -> None:
    """Changing a fork does not change the original."""
    g = Game.new("tutorial", 3, "all=random")
    g.step_agent()
    before = state_of(g)
    f = g.fork()
    f.submit("control: adjust track=tension value=5 | only in the fork")
    f.run_agents()
    assert state_of(g) == before
    assert len(g.decisions) == 1


def test_undo_with_nothing_to_undo_is_refused() -> None:
    """Undo on a fresh game is refused with ``action/nothing-to-undo``."""
    with pytest.raises(IllegalAction) as info:
        Game.new("tutorial", 1).undo()
    assert info.value.code == "action/nothing-to-undo"


def test_undo_keeps_the_undone_entries_for_the_audit() -> None:
    """Undo restores the state before the last decision; the entries it removed are kept."""
    g = Game.new("tutorial", 1)
    g.submit("NORTH: mass_troops | leverage")
    before = state_of(g)
    g.submit("NORTH: pass")
    g.submit("SOUTH: pass")
    removed = g.engine.state.entries()[g.engine.state.nlog - 1:]
    g.undo()
    assert g.undone == removed
    g.undo()
    assert state_of(g) == before
    assert [e.kind for e in g.undone] == ["pass", "pass"]


def test_explain_for_a_viewer() -> None:
    """``Game.explain`` explains for the umpire by default, or for a team."""
    g = Game.new("tutorial", 1)
    g.submit("control: adjust track=tension value=4 | shots fired")
    change = next(e for e in g.engine.state.entries() if e.kind == "change")
    assert any("shots fired" in line for line in g.explain(change.seq))
    assert not any("shots fired" in line for line in g.explain(change.seq, "SOUTH"))


PLOT = """
meta: {id: plot, title: Plot, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 4}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
  - {id: B, name: Beta, kind: player, color: "#111111"}
tracks:
  - {id: t, name: Public, min: 0, max: 10, initial: 5}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A, B]}
  - {id: adj, name: Adjudication, kind: adjudication}
moves:
  - id: plot
    name: Plot
    actors: [A]
    phases: [orders]
    reveal_to: self
    outcomes: [{id: success, visible_to: self, effects: [{track: t, add: 1, delay: 2}]}]
  - id: ease
    name: Ease
    actors: [B]
    phases: [orders]
    outcomes: [{id: success, effects: [{track: t, add: -1}]}]
objectives:
  - {id: steady, actor: B, name: Steady, per_turn: "t == 5"}
"""


def test_a_greedy_seat_decides_only_on_what_its_actor_may_know() -> None:
    """A computer seat's choice does not depend on another team's secret move."""
    from game.scenario.compile import compile_rules
    from game.scenario.load import load_text

    rules = compile_rules(load_text(PLOT))
    choices = []
    for first in ("A: plot", "A: pass"):
        g = Game.from_rules(rules, 1, "B=greedy,A=human")
        g.submit(first)
        g.submit("B: pass")
        g.submit("A: pass")
        assert g.engine.state.turn == 2 and g.waiting_for() == ["B"]
        g.step_agent()
        choices.append(g.decisions[-1].action)
    assert choices[0] == choices[1]


# ---------------------------------------------------------------------- scripts


SCRIPT = """\
# the tutorial, scripted
NORTH: mass_troops | leverage
SOUTH: build_intel
== turn 2
SOUTH: spy_flight | count them
"""


def test_a_script_seat_plays_its_lines_in_order(tmp_path: Path) -> None:
    """A script seat plays its actor's lines in order, waits for a line's turn marker, and
    passes when it has nothing for now."""
    path = tmp_path / "plan.txt"
    path.write_text(SCRIPT, encoding="utf-8")
    g = Game.new("tutorial", 2, f"NORTH=script:{path},SOUTH=script:{path},COUNCIL=passive")
    g.play_out()
    made = [(e.turn, e.get("actor"), e.get("move")) for e in g.engine.state.entries()
            if e.kind == "order"]
    assert made == [(1, "NORTH", "mass_troops"), (1, "SOUTH", "build_intel"),
                    (2, "SOUTH", "spy_flight")]


def test_a_script_line_that_is_not_legal_names_file_and_line(tmp_path: Path) -> None:
    """A script line that is not legal when its turn comes is a ScriptError at file:line."""
    path = tmp_path / "bad.txt"
    path.write_text("SOUTH: mediate\nSOUTH: mediate\n", encoding="utf-8")
    g = Game.new("tutorial", 2, f"SOUTH=script:{path},NORTH=passive,COUNCIL=passive")
    with pytest.raises(ScriptError) as info:
        g.play_out()
    assert f"{path}:2" in str(info.value)


def test_an_optional_script_line_that_is_not_legal_is_a_divergence(tmp_path: Path) -> None:
    """A line marked '?' that is not legal when its turn comes is skipped and recorded (a
    historical script whose game went another way), and the script goes on."""
    path = tmp_path / "history.txt"
    path.write_text("SOUTH: mediate\n? SOUTH: mediate | again, if still allowed\n"
                    "== turn 2\nSOUTH: spy_flight\n", encoding="utf-8")
    g = Game.new("tutorial", 2, f"SOUTH=script:{path},NORTH=passive,COUNCIL=passive")
    g.play_out()
    made = [(e.turn, e.get("move")) for e in g.engine.state.entries()
            if e.kind == "order" and e.get("actor") == "SOUTH"]
    assert made == [(1, "mediate"), (2, "spy_flight")]
    (d,) = g.divergences
    assert (d.where, d.turn, d.action.verb) == (f"{path}:2", 1, "mediate")
    assert str(d) == (f"{path}:2: 'SOUTH: mediate | again, if still allowed' was not legal "
                      "on turn 1: skipped")


@pytest.mark.parametrize("text, where", [("NORTH mass_troops\n", ":1"),
                                         ("# ok\n== turn two\n", ":2"),
                                         ("NORTH: pass\nSOUTH: x=1\n", ":2")])
def test_script_syntax_errors_name_the_line(text: str, where: str) -> None:
    """A malformed script line or turn marker is reported with its line number."""
    with pytest.raises(ScriptError) as info:
        parse_script(text, "plan.txt")
    assert f"plan.txt{where}" in str(info.value)


def test_the_summary_says_a_tracks_unit() -> None:
    """The one-line summary (powerplay run, the debrief's first paragraph) says each value with
    its unit and the rung it stands on ('DPRK casualties (cumulative) at 5.21 thousand ('Thousands
    lost')'; it said '5.21 ('Thousands lost')')."""
    from game.session import summary

    g = Game.new("kursk-2024", seed=3, seats="all=greedy").play_out()
    text = summary(g)
    assert "DPRK casualties (cumulative) at 5.21 thousand ('Thousands lost')" in text, text
