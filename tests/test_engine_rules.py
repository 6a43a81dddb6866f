"""One test per rule clause, the clause as the docstring (diplomacy's DATC tests; STYLE.md 10).

Most clauses are shown on the tutorial ("The Border Crisis": NORTH, SOUTH, the COUNCIL played
by the umpire); some on tiny scenarios written inline. Dice are forced through the engine's own
generator module, so outcomes are exact, not statistical.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from game.engine import rng
from game.engine.actions import CONTROL, Action
from game.engine.core import Engine
from game.engine.errors import FlowError, IllegalAction
from game.engine.log import Kind
from game.engine.odds import at_least
from game.engine.rules import PhaseKind, Rules
from game.engine.state import Entry
from game.engine.views import move_options, view_for
from game.scenario.compile import compile_rules, load_rules
from game.scenario.errors import ScenarioError
from game.scenario.load import SCENARIO_DIR, load_text
from game.session import Game

TEAMS = ("NORTH", "SOUTH", "COUNCIL")


# ---------------------------------------------------------------------- helpers


def tutorial(seed: int = 1, **kw: object) -> Game:
    """A tutorial game driven by hand (no agent acts unless asked)."""
    return Game.new("tutorial", seed, "all=passive", **kw)  # type: ignore[arg-type]


def mini(text: str, seed: int = 1) -> Game:
    """A game of a scenario written inline."""
    return Game.from_rules(compile_rules(load_text(text, "<mini>")), seed, "all=passive")


def play(g: Game, *lines: str) -> None:
    for line in lines:
        g.submit(line)


def all_pass(g: Game) -> None:
    """Every team still giving orders passes."""
    for who in list(g.waiting_for()):
        if who != CONTROL and who in g.waiting_for():
            g.submit(Action(who, "pass"))


def drive(g: Game, until: Callable[[Game], bool], limit: int = 500) -> None:
    """Teams pass; the umpire releases injects, rules (strength 0 / first outcome) and moves on."""
    for _ in range(limit):
        if until(g) or g.is_over:
            return
        who = g.waiting_for()[0]
        legal = g.legal_actions(who)
        if who != CONTROL:
            g.submit(Action(who, "pass"))
            continue
        pick = (next((a for a in legal if a.verb == "release"), None)
                or next((a for a in legal if a.verb == "rule" and a.param("strength")
                         in (None, "0")), None)
                or next(a for a in legal if a.verb == "advance"))
        g.submit(pick)
    raise AssertionError("drive() did not reach its goal")


def to_turn(g: Game, turn: int) -> None:
    drive(g, lambda x: x.engine.state.turn >= turn and x.engine.phase.kind.value == "orders")


def entries(g: Game, kind: str, **match: object) -> list[Entry]:
    return [e for e in g.engine.state.entries()
            if e.kind == kind and all(e.get(k) == v for k, v in match.items())]


def log_text(g: Game, viewer: str) -> str:
    return "\n".join(line.text for line in view_for(g.engine, viewer).log)


def refused(g: Game, action: str, code: str) -> IllegalAction:
    """``action`` is refused with ``code`` and the game is left exactly as it was."""
    before = json.dumps(g.engine.state.to_json(), sort_keys=True)
    n = len(g.decisions)
    with pytest.raises(IllegalAction) as info:
        g.submit(action)
    assert info.value.code == code, info.value
    assert json.dumps(g.engine.state.to_json(), sort_keys=True) == before
    assert len(g.decisions) == n
    return info.value


def order_seq(g: Game, actor: str, move: str) -> str:
    """The name ('NORTH-1') of ``actor``'s pending order of ``move``."""
    return next(o.ref for o in g.engine.state.orders
                if g.rules.actors[o.actor].id == actor and g.rules.moves[o.move].id == move)


@pytest.fixture
def dice(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Faces the next dice show, in order (then the seeded generator takes over again)."""
    faces: list[int] = []
    real = rng.roll_die

    def forced(state: int, n: int, sides: int) -> tuple[tuple[int, ...], int]:
        out = []
        for _ in range(n):
            if faces:
                _, state = rng.next_u64(state)
                out.append(faces.pop(0))
            else:
                face, state = real(state, sides)
                out.append(face)
        return tuple(out), state

    monkeypatch.setattr(rng, "roll_dice", forced)
    return faces


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Values the next uniform draws give, in order (then the seeded generator again)."""
    values: list[float] = []
    real = rng.uniform

    def forced(state: int) -> tuple[float, int]:
        if values:
            _, state = rng.next_u64(state)
            return values.pop(0), state
        return real(state)

    monkeypatch.setattr(rng, "uniform", forced)
    return values


def exact_odds(n: int, sides: int, need: int) -> Fraction:
    """P(n dice with ``sides`` faces sum to at least ``need``), by counting every throw."""
    throws = list(itertools.product(range(1, sides + 1), repeat=n))
    return Fraction(sum(1 for t in throws if sum(t) >= need), len(throws))


# ====================================================================== secret orders


def test_secret_orders_are_hidden_from_others_until_the_adjudication_phase() -> None:
    """In a simultaneous orders phase an order is secret: other teams see neither the order nor
    a log line about it until the adjudication phase reveals it; the umpire sees it at once."""
    g = tutorial()
    play(g, "NORTH: propaganda audience=home | rally the base")
    assert [o.move for o in view_for(g.engine, "SOUTH").orders] == []
    assert "Claim the villages" not in log_text(g, "SOUTH")
    assert [(o.move, o.status) for o in view_for(g.engine, "NORTH").orders] == [
        ("propaganda", "secret")]
    assert [o.move for o in view_for(g.engine, CONTROL).orders] == ["propaganda"]
    play(g, "COUNCIL: council_statement")  # the umpire must rule: adjudication waits
    all_pass(g)
    assert g.engine.phase.kind.value == "adjudication"
    seen = {o.move: o for o in view_for(g.engine, "SOUTH").orders}
    assert seen["propaganda"].status == "decided"
    assert seen["propaganda"].rationale is None and seen["propaganda"].outcome is None
    assert "Northland: Claim the villages (Aimed at: Home audience)" in log_text(g, "SOUTH")


def test_a_rationale_stays_with_its_team() -> None:
    """An order's rationale is for its own team and the umpire (and the debrief): the reveal
    shows other teams the move, not the reasoning."""
    g = tutorial()
    play(g, "NORTH: propaganda audience=home | rally the base")
    all_pass(g)
    assert "rally the base" in log_text(g, "NORTH")
    assert "rally the base" in log_text(g, CONTROL)
    assert "rally the base" not in log_text(g, "SOUTH")


def test_an_order_revealed_only_to_its_actor_stays_hidden_from_others() -> None:
    """A move with ``reveal_to: self`` is never shown to other teams as an order or a reveal."""
    g = tutorial()
    play(g, "NORTH: mass_troops", "COUNCIL: council_statement")
    all_pass(g)
    assert g.engine.phase.kind.value == "adjudication"
    assert all(o.move != "mass_troops" for o in view_for(g.engine, "SOUTH").orders)
    assert "Northland: Mass troops at the border" not in log_text(g, "SOUTH")
    assert any(o.move == "mass_troops" for o in view_for(g.engine, "NORTH").orders)


def test_outcome_of_an_unrevealed_order_is_hidden() -> None:
    """Other teams do not learn who made an order that was not revealed to them, nor can they
    trace a public change back to it with ``explain``; they may read what happened as news."""
    g = tutorial()
    play(g, "NORTH: mass_troops")
    drive(g, lambda x: x.engine.state.turn == 2)
    assert "Mass troops" not in log_text(g, "SOUTH")
    assert "NEWS — More Northland troops arrive at the border." in log_text(g, "SOUTH")
    assert "NEWS" not in log_text(g, "NORTH")
    change = entries(g, "change", track="tension")[0]
    assert not any("Mass troops" in line for line in g.explain(change.seq, "SOUTH"))


def test_orders_are_revealed_and_resolved_in_the_scenarios_order() -> None:
    """Secret orders may be given in any order; they are revealed in the order the scenario
    lists the actors (then in the order each actor gave them), and resolved in that order too,
    first those whose result every team learns, then the others (fog rule 4: here the
    listening network only Southland is told of)."""
    g = tutorial()
    play(g, "SOUTH: build_intel", "COUNCIL: council_statement", "NORTH: propaganda audience=home",
         "NORTH: appeal")
    all_pass(g)
    reveals = [(e.get("actor"), e.get("move")) for e in entries(g, "reveal")]
    assert reveals == [("NORTH", "propaganda"), ("NORTH", "appeal"), ("SOUTH", "build_intel"),
                       ("COUNCIL", "council_statement")]
    drive(g, lambda x: x.engine.phase.id == "review")
    outcomes = [e.get("move") for e in entries(g, "outcome")]
    assert outcomes == ["propaganda", "appeal", "council_statement", "build_intel"]


def test_retract_refunds_the_cost_and_the_use() -> None:
    """Retracting a secret order gives back its cost and its use against the limits, and the
    retraction is seen only by its actor (and the umpire)."""
    g = tutorial()
    play(g, "NORTH: mass_troops")
    assert g.engine.resource("NORTH", "ap") == 1
    assert Action.parse("NORTH: mass_troops") not in g.legal_actions("NORTH")  # once a turn
    seq = order_seq(g, "NORTH", "mass_troops")
    play(g, f"NORTH: retract order={seq}")
    assert g.engine.resource("NORTH", "ap") == 2
    assert Action.parse("NORTH: mass_troops") in g.legal_actions("NORTH")
    assert g.engine.state.orders == ()
    assert "Northland retracts the order Mass troops" in log_text(g, "NORTH")
    assert "retracts" not in log_text(g, "SOUTH")


def test_retract_is_allowed_until_the_phase_resolves() -> None:
    """An actor may retract even after passing (it is then no longer done), but not once the
    orders phase has ended."""
    g = tutorial()
    play(g, "NORTH: mass_troops", "NORTH: pass")
    assert "NORTH" not in g.waiting_for()
    seq = order_seq(g, "NORTH", "mass_troops")
    assert g.legal_actions("NORTH") == [Action.make("NORTH", "retract", order=seq)]
    play(g, f"NORTH: retract order={seq}", "NORTH: mass_troops")
    assert "NORTH" in g.waiting_for()
    seq = order_seq(g, "NORTH", "mass_troops")
    play(g, "COUNCIL: council_statement")
    all_pass(g)
    assert g.engine.phase.kind.value == "adjudication"
    refused(g, f"NORTH: retract order={seq}", "action/wrong-phase")


def test_retracting_an_unknown_or_foreign_order_is_refused() -> None:
    """Only one's own secret orders can be retracted."""
    g = tutorial()
    play(g, "SOUTH: build_intel")
    seq = order_seq(g, "SOUTH", "build_intel")
    refused(g, f"NORTH: retract order={seq}", "action/bad-retract")
    refused(g, "NORTH: retract order=99", "action/bad-retract")


def test_an_actor_gives_at_most_max_orders_per_phase() -> None:
    """After ``max_orders`` orders an actor is done for the phase; a further order is refused."""
    g = tutorial()
    play(g, "NORTH: propaganda audience=home", "NORTH: appeal")
    assert "NORTH" not in g.waiting_for()
    err = refused(g, "NORTH: mass_troops", "action/already-done")
    assert "NORTH" in err.message


SEQUENTIAL = """
meta: {id: sequential, title: Sequential, version: "1", start_date: 2025-01-01,
       turn_length_days: 30, turns: 2}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
  - {id: B, name: Beta, kind: player, color: "#111111"}
tracks:
  - {id: t, name: T, min: 0, max: 10, initial: 5}
phases:
  - {id: orders, name: Open orders, kind: orders, actors: [A, B], mode: sequential}
  - {id: adj, name: Adjudication, kind: adjudication}
moves:
  - {id: push, name: Push, actors: [A, B], phases: [orders],
     outcomes: [{id: success, effects: [{track: t, add: 1}]}]}
"""


def test_sequential_phases_enforce_the_order_of_play() -> None:
    """In a sequential phase actors give orders in the listed order, openly: B may not act before
    A has finished, and sees A's order at once."""
    g = mini(SEQUENTIAL)
    assert g.waiting_for() == ["A"]
    assert g.legal_actions("B") == []
    err = refused(g, "B: push", "action/not-your-turn")
    assert "A's turn" in err.message
    play(g, "A: push | first")
    assert g.waiting_for() == ["B"]
    assert [o.actor for o in view_for(g.engine, "B").orders] == ["A"]
    assert "Alpha: Push" in log_text(g, "B")
    assert "B's turn" in refused(g, "A: push", "action/not-your-turn").message
    play(g, "B: push")
    assert g.engine.state.turn == 2 and g.engine.value("t") == 7


def test_an_automatic_order_in_a_sequential_phase_awaits_no_ruling() -> None:
    """An openly given automatic move is not something the umpire rules on; the umpire may still
    move the game on."""
    g = mini(SEQUENTIAL)
    play(g, "A: push")
    assert [o.status for o in view_for(g.engine, "B").orders] == ["revealed"]
    assert [a.verb for a in g.legal_actions(CONTROL)] == ["advance"]


# ====================================================================== limits and costs


LIMITS = """
meta: {id: limits, title: Limits, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 4}
actors:
  - id: A
    name: Alpha
    kind: player
    color: "#000000"
    resources: [{id: ap, name: Action points, initial: 1}]
tracks:
  - {id: t, name: T, min: 0, max: 100, initial: 0}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A], max_orders: 3}
  - {id: adj, name: Adjudication, kind: adjudication}
moves:
  - {id: once, name: Once a game, actors: [A], phases: [orders], limits: {per_game: 1},
     outcomes: [{id: success}]}
  - {id: twice, name: Twice a turn, actors: [A], phases: [orders], limits: {per_turn: 2},
     outcomes: [{id: success}]}
  - {id: cool, name: Cooling down, actors: [A], phases: [orders], limits: {cooldown: 1},
     outcomes: [{id: success}]}
  - {id: costly, name: Costly, actors: [A], phases: [orders], cost: {ap: 1},
     limits: {per_turn: 3}, outcomes: [{id: success}]}
"""


def next_turn(g: Game) -> None:
    turn = g.engine.state.turn
    all_pass(g)
    assert g.engine.state.turn == turn + 1


def test_per_game_limit() -> None:
    """A move limited to N uses per game is refused after N uses, in any later turn."""
    g = mini(LIMITS)
    play(g, "A: once")
    next_turn(g)
    err = refused(g, "A: once", "action/limit")
    assert "may be made once a game" in err.message
    assert all(a.verb != "once" for a in g.legal_actions("A"))


def test_per_turn_limit() -> None:
    """A move limited to N uses per turn is refused the N+1th time that turn, allowed next turn."""
    g = mini(LIMITS)
    play(g, "A: twice", "A: twice")
    err = refused(g, "A: twice", "action/limit")
    assert "may be made twice a turn" in err.message
    next_turn(g)
    play(g, "A: twice")


def test_cooldown() -> None:
    """A move with cooldown K made on turn T may be made again from turn T+K+1, and the refusal
    says from when."""
    g = mini(LIMITS)
    play(g, "A: cool")
    next_turn(g)
    err = refused(g, "A: cool", "action/limit")
    assert "again from turn 3" in err.message
    next_turn(g)
    play(g, "A: cool")


def test_cost_must_be_affordable() -> None:
    """A move costs resources; without enough the refusal names the need and the holding."""
    g = mini(LIMITS)
    play(g, "A: costly")
    assert g.engine.resource("A", "ap") == 0
    err = refused(g, "A: costly", "action/cannot-afford")
    assert "needs 1 Action points (has 0)" in err.message


# ====================================================================== prerequisites


def test_prerequisite_refusal_names_the_expression_and_current_value() -> None:
    """A move whose prerequisite fails is refused with code ``action/prerequisite``; the message
    names the expression and the current value of its tracks, and the menu shows the reason
    with the tracks' names, as it shows the move's prerequisites."""
    g = tutorial()
    play(g, "control: adjust track=north_troops value=20 | all reserves at the border")
    err = refused(g, "NORTH: mass_troops", "action/prerequisite")
    assert "north_troops < 20" in err.message
    assert "north_troops is 20" in err.message
    option = next(o for o in move_options(g.engine, "NORTH") if o.move == "mass_troops")
    troops = g.rules.track("north_troops").name
    assert not option.legal and option.reason == err.message.replace(
        "north_troops", troops).removeprefix("NORTH cannot make 'mass_troops' now: ")
    assert option.requires == ("north_troops < 20",) and option.needs == (f"{troops} < 20",)


SECRET_PREREQ = """
meta: {id: secret-prereq, title: Secret prerequisite, version: "1", start_date: 2025-01-01,
       turn_length_days: 30, turns: 2}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
  - {id: B, name: Beta, kind: player, color: "#111111"}
tracks:
  - id: stock
    name: Alpha's stockpile
    min: 0
    max: 10
    initial: 7
    visibility: secret
    known_to: [A]
    ESTIMATES
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A, B]}
  - {id: adj, name: Adjudication, kind: adjudication}
moves:
  - {id: strike, name: Strike, actors: [B], phases: [orders], requires: ["stock < 4"],
     outcomes: [{id: success}]}
"""


@pytest.mark.parametrize("estimates, shows", [
    ("estimates: []", "stock is unknown to you"),
    ("estimates: [{actors: [B], quality: '0.5', spread: 0.9}]", "stock is estimated"),
])
def test_prerequisite_refusal_does_not_leak_a_secret_value(estimates: str, shows: str) -> None:
    """When the failed prerequisite names a track the actor cannot see, the refusal gives what
    the actor knows of it (unknown, or its estimate), never the true value."""
    g = mini(SECRET_PREREQ.replace("ESTIMATES", estimates))
    err = refused(g, "B: strike", "action/prerequisite")
    assert "stock < 4" in err.message
    assert shows in err.message
    assert "stock is 7" not in err.message
    option = next(o for o in move_options(g.engine, "B") if o.move == "strike")
    assert option.reason is not None and "Alpha's stockpile < 4" in option.reason  # for people
    assert "is 7" not in option.reason


# ====================================================================== non-interference

WORLDS = """
meta: {id: worlds, title: Two worlds, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 4}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000",
     briefing: {private: "Alpha's plan: build the stockpile."}}
  - {id: B, name: Beta, kind: player, color: "#111111"}
tracks:
  - {id: stock, name: Alpha's stockpile, min: 0, max: 20, initial: SECRET, visibility: secret,
     known_to: [A], thresholds: [{at: 9, name: Full}]}
  - {id: t, name: Public track, min: 0, max: 10, initial: 5}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A, B], max_orders: 2}
  - {id: adj, name: Adjudication, kind: adjudication}
  - {id: ev, name: Events, kind: events}
moves:
  - id: stockpile
    name: Stockpile
    actors: [A]
    phases: [orders]
    reveal_to: self
    outcomes: [{id: success, visible_to: self, effects: [{track: stock, add: 2},
                                                         {track: stock, add: 1, delay: 1}]}]
  - id: gamble
    name: Gamble
    actors: [A]
    phases: [orders]
    adjudication: {kind: dice, target: 7}
    outcomes: [{id: success, effects: [{track: t, add: 1}]}, {id: failure}]
  - id: probe
    name: Probe
    actors: [B]
    phases: [orders]
    adjudication: {kind: dice, target: 7}
    outcomes: [{id: success, effects: [{track: t, add: -1}]}, {id: failure}]
events:
  - {id: overflow, name: Overflow, text: "The depots are full.", trigger: {when: "stock >= 9"},
     visible_to: [A], effects: [{track: stock, add: -1}]}
objectives:
  - {id: a_secret, actor: A, name: Stock up, hidden: true, per_turn: "stock >= 9"}
  - {id: b_public, actor: B, name: Calm, per_turn: "t <= 5"}
EXTRA
"""


def two_worlds(extra: str = "") -> tuple[Game, Game]:
    """The same game in two worlds that differ only in a track only A can see (7 or 3)."""
    games = []
    for secret in (7, 3):
        text = WORLDS.replace("SECRET", str(secret)).replace("EXTRA", extra)
        games.append(mini(text, seed=4))
    return games[0], games[1]


def b_sees(g: Game, *, renumber: bool = True) -> str:
    """B's whole view as text; with ``renumber`` the log's sequence numbers (which count every
    entry, hidden ones included) are replaced by positions in B's own log."""
    view = view_for(g.engine, "B").to_json()
    if renumber:
        rank = {line["seq"]: i for i, line in enumerate(view["log"])}
        for line in view["log"]:
            line["seq"] = rank[line["seq"]]
            line["cause"] = rank.get(line["cause"], "hidden" if line["cause"] >= 0 else -1)
    return json.dumps(view, sort_keys=True, default=str)


def test_a_teams_view_does_not_depend_on_a_secret_it_cannot_see() -> None:
    """Non-interference: two games that differ only in a value B cannot see look exactly the
    same to B, turn after turn — whatever A does with it in secret (log lines compared by their
    place in B's log; see the next test for their global numbers)."""
    hi, lo = two_worlds()
    for line in ["A: stockpile", "A: gamble", "B: probe", None, "A: stockpile", "B: pass",
                 "A: pass", None]:
        assert b_sees(hi) == b_sees(lo)
        for g in (hi, lo):
            if line is None:
                drive(g, lambda x, t=g.engine.state.turn: x.engine.state.turn > t)
            else:
                g.submit(line)
    assert b_sees(hi) == b_sees(lo)
    assert hi.engine.value("stock") != lo.engine.value("stock")
    assert not hi.is_over  # at the end the totals, hidden agendas included, are disclosed


def test_log_numbers_do_not_reveal_hidden_entries() -> None:
    """The numbers of the log lines B sees do not depend on a value B cannot see."""
    hi, lo = two_worlds()
    for g in (hi, lo):
        play(g, "A: stockpile", "B: probe")
        all_pass(g)
    assert b_sees(hi, renumber=False) == b_sees(lo, renumber=False)


def test_a_hidden_order_leaves_no_trace_in_other_views() -> None:
    """Whether A gave an order hidden from B makes no difference to anything B sees."""
    made, idle = two_worlds()[0], two_worlds()[0]
    play(made, "A: stockpile")
    for g in (made, idle):
        play(g, "B: probe")
        all_pass(g)
    made_view = b_sees(made)
    assert made.engine.value("stock") != idle.engine.value("stock")
    assert made_view == b_sees(idle)


def test_the_odds_a_team_sees_do_not_depend_on_a_secret() -> None:
    """The odds and modifiers a team sees for its own move do not reveal a value it cannot see."""
    mod = '[{value: 2, when: "stock >= 5", why: "They are overstretched"}]'
    hi, lo = two_worlds()
    text = WORLDS.replace("adjudication: {kind: dice, target: 7}\n    outcomes: [{id: success, "
                          "effects: [{track: t, add: -1}]}",
                          f"adjudication: {{kind: dice, target: 7, modifiers: {mod}}}\n"
                          "    outcomes: [{id: success, effects: [{track: t, add: -1}]}")
    hi, lo = (mini(text.replace("SECRET", v).replace("EXTRA", ""), seed=4) for v in ("7", "3"))
    shown = [next((o.odds, o.modifiers) for o in view_for(g.engine, "B").moves
                  if o.move == "probe") for g in (hi, lo)]
    assert shown[0] == shown[1]


def test_a_revealed_roll_does_not_reveal_a_secret_through_its_modifiers() -> None:
    """Another team's roll, revealed to B, does not tell B a value it cannot see."""
    mod = '[{value: 2, when: "stock >= 5", why: "Plenty in store"}]'
    text = WORLDS.replace("adjudication: {kind: dice, target: 7}\n    outcomes: [{id: success, "
                          "effects: [{track: t, add: 1}]}",
                          f"adjudication: {{kind: dice, target: 7, modifiers: {mod}}}\n"
                          "    outcomes: [{id: success, effects: [{track: t, add: 1}]}")
    hi, lo = (mini(text.replace("SECRET", v).replace("EXTRA", ""), seed=4) for v in ("7", "3"))
    rolls = []
    for g in (hi, lo):
        play(g, "A: gamble")
        all_pass(g)
        rolls.append([line.text for line in view_for(g.engine, "B").log if line.kind == "roll"])
    assert "Plenty in store" not in "".join(rolls[0] + rolls[1])


def test_scores_during_play_do_not_reveal_a_secret() -> None:
    """What B learns of scores during play does not depend on a value B cannot see."""
    extra = '  - {id: a_open, actor: A, name: Open goal, per_turn: "stock >= 5"}'
    hi, lo = two_worlds(extra.replace("  - ", "  - ", 1))
    for g in (hi, lo):
        drive(g, lambda x: x.engine.state.turn == 2)
    assert b_sees(hi) == b_sees(lo)


# ====================================================================== dice


@pytest.mark.parametrize("n, sides", [(1, 6), (2, 6), (3, 6), (2, 10), (1, 20)])
def test_odds_are_the_exact_probability(n: int, sides: int) -> None:
    """``odds`` of NdM >= target equals the exact share of all throws that reach the target."""
    for need in range(0, n * sides + 3):
        assert at_least(n, sides, need) == pytest.approx(float(exact_odds(n, sides, need)),
                                                         abs=1e-12)


def test_odds_shown_before_committing_include_the_modifiers() -> None:
    """The odds a team sees for a dice move are the exact probability with the modifiers that
    apply now (Mediate talks: 2d6 >= 8; +1 with intelligence 2+; -1 with tension 4+)."""
    g = tutorial()
    mediate = Action("SOUTH", "mediate")
    assert g.engine.odds(mediate) == pytest.approx(float(exact_odds(2, 6, 8)))  # 15/36
    play(g, "control: adjust track=south_intel value=2 | new sources")
    assert g.engine.odds(mediate) == pytest.approx(float(exact_odds(2, 6, 7)))  # 21/36
    play(g, "control: adjust track=tension value=4 | skirmish")
    assert g.engine.odds(mediate) == pytest.approx(float(exact_odds(2, 6, 8)))
    option = next(o for o in view_for(g.engine, "SOUTH").moves if o.move == "mediate")
    assert option.odds == pytest.approx(15 / 36)
    assert sorted(option.modifiers) == [(-1, "Too much tension for talks"),
                                        (1, "You know what Northland can live with")]


@pytest.mark.parametrize("faces, success", [([6, 2], True), ([5, 2], False), ([1, 1], False)])
def test_a_forced_roll_gives_the_expected_outcome(dice: list[int], faces: list[int],
                                                  success: bool) -> None:
    """A dice move succeeds when the dice total (plus modifiers) reaches the target; the roll is
    recorded with its dice, modifiers, total, target and the odds."""
    g = tutorial()
    play(g, "SOUTH: mediate")
    dice.extend(faces)
    all_pass(g)
    (roll,) = entries(g, "roll")
    assert roll.get("dice") == tuple(faces)
    assert roll.get("total") == sum(faces) and roll.get("target") == 8
    assert roll.get("modifiers") == () and roll.get("success") is success
    assert roll.get("p") == pytest.approx(15 / 36)
    (outcome,) = entries(g, "outcome", move="mediate")
    assert outcome.get("outcome") == ("success" if success else "failure")
    assert g.engine.value("talks") == (1.0 if success else 0.0)


def test_modifiers_apply_to_the_roll(dice: list[int]) -> None:
    """A modifier whose condition holds is added to the dice total and recorded with its why."""
    g = tutorial()
    play(g, "control: adjust track=south_intel value=2 | new sources", "SOUTH: mediate")
    dice.extend([3, 4])  # 7, +1 = 8 >= 8
    all_pass(g)
    (roll,) = entries(g, "roll")
    assert roll.get("modifiers") == ((1, "You know what Northland can live with"),)
    assert roll.get("total") == 8 and roll.get("success") is True


def test_no_dice_mode_takes_the_most_likely_outcome() -> None:
    """Without dice a dice move succeeds exactly when its odds are at least one half; nothing is
    drawn from the generator, and the shown odds are 0 or 1."""
    g = tutorial(no_dice=True)
    assert g.engine.odds(Action("SOUTH", "mediate")) == 0.0  # 15/36
    play(g, "SOUTH: mediate")
    state = g.engine.state.rng
    all_pass(g)
    (roll,) = entries(g, "roll")
    assert roll.get("kind") == "no-dice" and roll.get("success") is False
    assert g.engine.state.rng == state
    h = tutorial(no_dice=True)
    play(h, "control: adjust track=south_intel value=2 | new sources")
    assert h.engine.odds(Action("SOUTH", "mediate")) == 1.0  # 21/36
    play(h, "SOUTH: mediate")
    all_pass(h)
    assert entries(h, "roll")[0].get("success") is True and h.engine.value("talks") == 1


def test_a_scenario_can_switch_dice_off() -> None:
    """``meta.dice: false`` puts every game of the scenario in no-dice mode."""
    text = (SCENARIO_DIR / "tutorial.yaml").read_text(encoding="utf-8")
    assert "  dice: true\n" in text
    rules = compile_rules(load_text(text.replace("  dice: true\n", "  dice: false\n")))
    assert Engine.new(rules, 1).no_dice


# ====================================================================== matrix and umpire


def test_matrix_argument_waits_for_a_strength_ruling(dice: list[int]) -> None:
    """A matrix argument waits for the umpire to rate it (-2 weak .. +2 strong); then 2d6 plus the
    strength must reach 7. Teams cannot move the game on meanwhile."""
    g = tutorial()
    play(g, "SOUTH: appeal | the villages were always ours")
    all_pass(g)
    seq = order_seq(g, "SOUTH", "appeal")
    assert g.waiting_for() == [CONTROL]
    rulings = {a.param("strength") for a in g.legal_actions(CONTROL) if a.verb == "rule"}
    assert rulings == {"-2", "-1", "0", "1", "2"}
    refused(g, "control: advance", "action/ruling-pending")
    refused(g, f"control: rule order={seq} outcome=success", "action/no-ruling-needed")
    dice.extend([2, 3])
    play(g, f"control: rule order={seq} strength=2 | a strong case")
    (roll,) = entries(g, "roll")
    assert roll.get("modifiers") == ((2, "umpire: strength of argument"),)
    assert roll.get("total") == 7 and roll.get("target") == 7 and roll.get("success") is True
    assert g.engine.value("council_support") == 2


@pytest.mark.parametrize("drawn, success", [(0.79, True), (0.81, False)])
def test_matrix_argument_by_averaged_probability_estimates(draws: list[float], drawn: float,
                                                           success: bool) -> None:
    """The umpire may instead rule with the players' probability estimates: their average is the
    chance of success, drawn from the game's generator."""
    g = tutorial()
    play(g, "SOUTH: appeal")
    all_pass(g)
    seq = order_seq(g, "SOUTH", "appeal")
    refused(g, f"control: rule order={seq} estimates=0.9/1.5", "action/bad-param")
    refused(g, f"control: rule order={seq} estimates=lots", "action/bad-param")
    draws.append(drawn)
    play(g, f"control: rule order={seq} estimates=0.9/0.7/0.8 | three tables")
    (roll,) = entries(g, "roll")
    assert roll.get("kind") == "estimate" and roll.get("p") == pytest.approx(0.8)
    assert roll.get("success") is success
    (ruling,) = entries(g, "ruling")
    assert ruling.get("estimates") == (0.9, 0.7, 0.8) and ruling.mask == 0


def test_umpire_kind_moves_take_the_outcome_the_umpire_rules() -> None:
    """An umpire-adjudicated move waits for the umpire to choose one of its outcomes, whose
    effects then apply; the ruling is logged for the umpire only."""
    g = tutorial()
    play(g, "COUNCIL: council_statement")
    all_pass(g)
    seq = order_seq(g, "COUNCIL", "council_statement")
    choices = {a.param("outcome") for a in g.legal_actions(CONTROL) if a.verb == "rule"}
    assert choices == {"firm", "weak"}
    refused(g, f"control: rule order={seq} outcome=lukewarm", "action/no-ruling-needed")
    play(g, f"control: rule order={seq} outcome=firm | both sides listened")
    assert g.engine.value("tension") == 1
    assert entries(g, "ruling")[0].mask == 0
    assert "both sides listened" not in log_text(g, "SOUTH")


def test_override_requires_a_reason_and_changes_the_outcome(dice: list[int]) -> None:
    """The umpire may override a revealed order's outcome, only with a reason; the override is
    logged (for the umpire) with the reason, and the new outcome's effects apply."""
    g = tutorial()
    play(g, "SOUTH: mediate", "COUNCIL: council_statement")
    dice.extend([1, 1])
    all_pass(g)
    seq = order_seq(g, "SOUTH", "mediate")
    assert entries(g, "roll")[0].get("success") is False
    refused(g, f"control: override order={seq} outcome=success", "action/reason-required")
    refused(g, f"control: override order={seq} outcome=maybe | x", "action/bad-param")
    refused(g, "control: override order=99 outcome=success | x", "action/no-such-order")
    play(g, f"control: override order={seq} outcome=success | the capitals agreed anyway")
    (override,) = entries(g, "override")
    assert override.get("reason") == "the capitals agreed anyway" and override.mask == 0
    assert (override.get("from"), override.get("to")) == ("failure", "success")
    play(g, f"control: rule order={order_seq(g, 'COUNCIL', 'council_statement')} outcome=weak")
    assert entries(g, "outcome", move="mediate")[0].get("outcome") == "success"
    assert g.engine.value("talks") == 1


def test_in_review_mode_results_wait_for_the_umpire(dice: list[int]) -> None:
    """With review on (the default when the umpire's seat is human) adjudication waits for the
    umpire once the orders are revealed and rolled, so a result can be overridden before it
    applies; 'advance' applies them. A turn without orders does not stop for review."""
    g = Game.new("tutorial", 1, "all=passive", review=True)
    assert g.engine.review
    play(g, "SOUTH: mediate")
    dice.extend([1, 1])
    all_pass(g)
    assert g.engine.phase.kind.value == "adjudication" and g.waiting_for() == [CONTROL]
    assert entries(g, "roll")[0].get("success") is False and entries(g, "outcome") == []
    seq = order_seq(g, "SOUTH", "mediate")
    play(g, f"control: override order={seq} outcome=success | the room agreed")
    play(g, "control: advance")
    assert entries(g, "outcome", move="mediate")[0].get("outcome") == "success"
    drive(g, lambda x: x.engine.state.turn == 2)
    all_pass(g)
    assert g.engine.phase.kind.value != "adjudication"
    assert Game.new("tutorial", 1, f"all=passive,{CONTROL}=human").engine.review
    assert not Game.new("tutorial", 1, "all=passive").engine.review


def test_the_umpire_may_end_the_game_early_with_a_reason() -> None:
    """'control: end | reason' ends the game at once (the reason in the record); the end
    objectives count for the share of turns played, as the per-turn objectives of the turns
    not played are missing too; without a reason it is refused."""
    g = tutorial()
    drive(g, lambda x: x.engine.state.turn == 2)
    play(g, "control: adjust track=council_support value=3 | a good start")
    refused(g, "control: end", "action/reason-required")
    play(g, "control: end | the bell rang")
    assert g.is_over and g.engine.state.end_reason == "umpire"
    (end,) = entries(g, "end")
    assert "the bell rang" in end.get("text") and "the 1 of 3 turns played" in end.get("text")
    assert [e.get("points") for e in entries(g, "score", objective="south_council")] == [1.0]
    refused(g, "control: advance", "action/game-over")


def test_adjust_requires_a_reason_stays_in_range_and_is_logged() -> None:
    """The umpire may set a track, only with a reason and only within the track's range (an
    out-of-range value is refused and names the range); the adjustment is logged with the
    reason, and the change it makes is shown to those who see the track."""
    g = tutorial()
    refused(g, "control: adjust track=tension value=4", "action/reason-required")
    err = refused(g, "control: adjust track=tension value=9 | escalate", "action/out-of-range")
    assert "0 to 6" in err.message
    refused(g, "control: adjust track=tension value=-1 | calm", "action/out-of-range")
    refused(g, "control: adjust track=tension value=nan | ?", "action/out-of-range")
    refused(g, "control: adjust track=tension value=high | ?", "action/bad-param")
    refused(g, "control: adjust track=morale value=1 | ?", "action/unknown-track")
    play(g, "control: adjust track=tension value=4 | a shooting at the crossing")
    assert g.engine.value("tension") == 4
    (adjust,) = entries(g, "adjust")
    assert adjust.get("reason") == "a shooting at the crossing" and adjust.mask == 0
    (change,) = entries(g, "change", track="tension")
    assert change.cause == adjust.seq
    assert "Border tension ▲ 2 → 4" in log_text(g, "SOUTH")
    play(g, "control: adjust track=north_troops value=12 | satellite count")
    assert "Northland troops" not in log_text(g, "SOUTH")


# ====================================================================== injects


def to_refugee_inject(g: Game) -> None:
    drive(g, lambda x: bool(x.engine.state.queue))
    assert g.engine.state.turn == 2 and g.engine.phase.kind.value == "events"


def test_an_umpire_inject_waits_to_be_released() -> None:
    """An inject marked ``release: umpire`` is queued when it triggers, seen only by the umpire,
    and holds the events phase until released; released, its effects apply and all see it."""
    g = tutorial()
    to_refugee_inject(g)
    assert g.waiting_for() == [CONTROL]
    assert [(i.event, i.status) for i in view_for(g.engine, CONTROL).injects] == [
        ("refugee_convoy", "pending")]
    assert "refugee" not in log_text(g, "SOUTH").lower()
    refused(g, "control: advance", "action/ruling-pending")
    refused(g, "control: release event=border_incident", "action/no-such-inject")
    before = g.engine.value("council_support")
    play(g, "control: release event=refugee_convoy | cameras are rolling")
    assert g.engine.value("council_support") == before + 1
    assert "EVENT — Refugee convoy" in log_text(g, "SOUTH")
    assert g.engine.state.queue == ()


def test_a_held_inject_stays_queued_and_may_be_released_later() -> None:
    """Holding an inject lets the game go on; the umpire may release (or skip) it later."""
    g = tutorial()
    to_refugee_inject(g)
    before = g.engine.value("council_support")
    play(g, "control: hold event=refugee_convoy | not yet")
    assert g.engine.phase.id == "review"
    assert g.engine.state.queue == ((g.rules.event_index["refugee_convoy"], "held"),)
    assert {a.verb for a in g.legal_actions(CONTROL)} == {"release", "skip", "advance"}
    play(g, "control: release event=refugee_convoy | now")
    assert g.engine.value("council_support") == before + 1


def test_a_skipped_inject_never_happens() -> None:
    """Skipping an inject drops it: no effect, no event line, and it does not come back."""
    g = tutorial()
    to_refugee_inject(g)
    before = g.engine.value("council_support")
    play(g, "control: skip event=refugee_convoy | off-topic for this class")
    assert g.engine.value("council_support") == before
    assert entries(g, "event", event="refugee_convoy") == []
    drive(g, lambda x: x.is_over)
    assert entries(g, "event", event="refugee_convoy") == []


# ====================================================================== effects


def test_a_delayed_effect_fires_on_the_right_turn(dice: list[int]) -> None:
    """An effect with ``delay: 1`` applies at the start of the next turn, caused by the outcome."""
    g = tutorial()
    play(g, "SOUTH: mediate")
    dice.extend([6, 6])
    all_pass(g)
    assert g.engine.value("tension") == 1
    (outcome,) = entries(g, "outcome", move="mediate")
    to_turn(g, 2)
    later = [e for e in entries(g, "change", track="tension") if e.turn == 2]
    assert [(e.get("old"), e.get("new"), e.cause) for e in later] == [(1.0, 0.0, outcome.seq)]
    assert g.engine.value("tension") == 0


def test_a_multi_turn_project_applies_each_turn() -> None:
    """An effect with ``duration: 2`` applies when resolved and again at the next turn's start,
    then stops."""
    g = tutorial()
    play(g, "SOUTH: build_intel")
    all_pass(g)
    assert g.engine.value("south_intel") == 2
    to_turn(g, 2)
    assert g.engine.value("south_intel") == 3
    to_turn(g, 3)
    assert g.engine.value("south_intel") == 3
    assert [(e.turn, e.get("new")) for e in entries(g, "change", track="south_intel")] == [
        (1, 2.0), (2, 3.0)]


def test_crossing_a_threshold_is_logged_both_ways() -> None:
    """A change that crosses a named rung logs the crossing, upwards and downwards."""
    g = tutorial()
    play(g, "NORTH: mass_troops")
    all_pass(g)
    (up,) = entries(g, "threshold")
    assert (up.get("rung"), up.get("up")) == ("Standoff", True)
    assert "Border tension reaches 'Standoff' (3)." in log_text(g, "SOUTH")
    play(g, "control: adjust track=tension value=1 | cooler heads")
    down = entries(g, "threshold")[-1]
    assert (down.get("rung"), down.get("up")) == ("Standoff", False)
    assert view_for(g.engine, "SOUTH").track("tension").rung is None


def test_a_jump_over_several_rungs_logs_each_and_changes_clamp_to_the_range() -> None:
    """A change that jumps several rungs logs every rung crossed, in order; an effect that would
    leave a track's range stops at its bound."""
    g = tutorial()
    play(g, "control: adjust track=tension value=6 | open clashes")
    assert [e.get("rung") for e in entries(g, "threshold")] == ["Standoff", "Clashes"]
    h = tutorial()
    play(h, "control: adjust track=north_troops value=18 | reinforcements", "NORTH: mass_troops")
    all_pass(h)
    assert h.engine.value("north_troops") == 20
    assert entries(h, "change", track="north_troops")[-1].get("new") == 20


OVERFLOW = " * ".join(["1e12"] * 26)
"""A product of numbers each small enough for a scenario, whose result no float holds (1e312)."""

BLOW_UP = f"""
meta: {{id: blow-up, title: Blow up, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 2}}
actors:
  - {{id: A, name: Alpha, kind: player, color: "#000000"}}
tracks:
  - {{id: t, name: T, min: 0, max: 10, initial: 0}}
  - {{id: u, name: U, min: 0, max: 10, initial: 1}}
phases:
  - {{id: orders, name: Orders, kind: orders, actors: [A]}}
  - {{id: adj, name: Adjudication, kind: adjudication}}
moves:
  - {{id: split, name: Split, actors: [A], phases: [orders],
     outcomes: [{{id: success, effects: [{{track: u, add: 2}}, {{track: u, set: "u * {OVERFLOW}"}}]}}]}}
"""


def test_a_rule_that_fails_while_applied_changes_nothing() -> None:
    """If a scenario expression fails while a decision is applied (here a product too big for a
    float at resolution), the decision is refused with ``rule/expression`` naming the expression, and the
    game — including the effects already applied — is left as it was."""
    from game.engine.errors import RuleError

    g = mini(BLOW_UP)
    before = json.dumps(g.engine.state.to_json(), sort_keys=True)
    with pytest.raises(RuleError) as info:
        g.submit("A: split")  # its only order: the phase resolves at once
    assert info.value.code == "rule/expression" and "too big to hold" in info.value.message
    assert json.dumps(g.engine.state.to_json(), sort_keys=True) == before
    assert g.decisions == []


def test_a_reveal_gives_exact_knowledge_for_the_turn() -> None:
    """A reveal effect shows the true value to its audience for the rest of the turn; next turn
    the audience is back to its intelligence estimate."""
    g = tutorial(seed=5)
    assert view_for(g.engine, "SOUTH").track("north_troops").status == "estimate"
    play(g, "SOUTH: spy_flight")
    all_pass(g)
    tv = view_for(g.engine, "SOUTH").track("north_troops")
    assert (tv.status, tv.value) == ("exact", g.engine.value("north_troops"))
    assert view_for(g.engine, "NORTH").track("north_troops").status == "exact"
    assert "Intelligence: Northland troops at the border is 6 thousand." in log_text(g, "SOUTH")
    assert "photographs" not in log_text(g, "NORTH")
    to_turn(g, 2)
    assert view_for(g.engine, "SOUTH").track("north_troops").status == "estimate"


def width_at_intel(seed: int, intel: int) -> float | None:
    """Width of SOUTH's estimate of Northland's troops on turn 2 with intelligence ``intel``
    (None: unknown; 0: exact)."""
    g = tutorial(seed)
    play(g, f"control: adjust track=south_intel value={intel} | test")
    to_turn(g, 2)
    tv = view_for(g.engine, "SOUTH").track("north_troops")
    if tv.status == "unknown":
        return None
    if tv.status == "exact":
        return 0.0
    assert tv.low is not None and tv.high is not None
    assert tv.low <= g.engine.value("north_troops") <= tv.high
    return tv.high - tv.low


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_estimates_narrow_with_better_intelligence(seed: int) -> None:
    """With no intelligence a secret track is unknown; better intelligence gives a narrower range
    around the truth; perfect intelligence shows it exactly."""
    widths = [width_at_intel(seed, k) for k in range(5)]
    assert widths[0] is None and widths[4] == 0.0
    w1, w2, w3 = widths[1:4]
    assert w1 is not None and w2 is not None and w3 is not None
    assert w1 > w2 > w3 > 0


def test_an_estimate_is_fixed_for_the_turn() -> None:
    """Asking for a view twice in the same turn — or after other steps of that turn, or on a
    fork — gives the same estimate: averaging repeated looks cannot reveal the truth."""
    g = tutorial(seed=9)
    first = view_for(g.engine, "SOUTH").track("north_troops")
    assert first.status == "estimate"
    assert view_for(g.engine, "SOUTH").track("north_troops") == first
    assert view_for(g.fork().engine, "SOUTH").track("north_troops") == first
    play(g, "NORTH: propaganda audience=home", "SOUTH: appeal")
    assert view_for(g.engine, "SOUTH").track("north_troops") == first
    others = {(view_for(tutorial(seed=s).engine, "SOUTH").track("north_troops").low)
              for s in range(20)}
    assert len(others) > 1, "estimates should differ between games"


FRACTIONS = """
meta: {id: fractions, title: Fractions, version: "1", start_date: 2025-01-01,
       turn_length_days: 30, turns: 3}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
  - {id: B, name: Beta, kind: player, color: "#111111"}
tracks:
  - {id: x, name: Casualties, min: 0, max: 15, initial: 1, integer: false, visibility: secret,
     known_to: [A], estimates: [{actors: [B], quality: "0.5", spread: 0.5}]}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A, B]}
"""


def test_an_estimate_of_a_fractional_track_contains_the_truth(draws: list[float]) -> None:
    """However it is rounded for display, an estimate range contains the true value."""
    g = mini(FRACTIONS)
    play(g, "control: adjust track=x value=1.6179999999999999 | a casualty report")
    draws.append(0.0)  # the range starts exactly at the truth
    all_pass(g)
    assert g.engine.state.turn == 2
    tv = view_for(g.engine, "B").track("x")
    assert tv.low is not None and tv.high is not None
    assert tv.low <= g.engine.value("x") <= tv.high


def test_beliefs_are_kept_for_the_debrief() -> None:
    """At the start of each turn the engine records what each actor knew and the truth."""
    g = tutorial(seed=2)
    to_turn(g, 3)
    beliefs = g.engine.state.beliefs
    assert [b[0] for b in beliefs] == [1, 2, 3]
    south = g.rules.actor_index["SOUTH"]
    troops = g.rules.track_index["north_troops"]
    for _, known, truth in beliefs:
        low, high = known[south][troops]
        assert low <= truth[troops] <= high


@pytest.mark.parametrize("seed", [3, 8])
def test_knowledge_worked_out_late_is_the_same_as_at_once(seed: int) -> None:
    """Estimate ranges are drawn when first asked for. One game reads its knowledge after
    every step (so intelligence reveals land on ranges already drawn); its twin never does
    (reveals wait for the draw), and only a throwaway clone of the twin is asked at each step.
    They know the same at every step and end with the same beliefs, rolls and log."""
    import random

    rules = load_rules("kursk-2024")
    eager, lazy = Engine.new(rules, seed), Engine.new(rules, seed)
    pick = random.Random(seed)
    while not eager.state.over:
        assert lazy.clone().state.known == eager.state.known
        who = eager.to_move()
        assert who is not None
        legal = eager.legal_actions(who)
        action = legal[pick.randrange(len(legal))]
        eager._apply(action)
        lazy._apply(action)
    assert any(e.kind == "intel" for e in lazy.state.entries())
    assert lazy.state._known is None  # the twin itself never worked it out
    assert (json.dumps(lazy.state.to_json(), sort_keys=True)
            == json.dumps(eager.state.to_json(), sort_keys=True))


# ====================================================================== scores and the end


def test_objectives_score_each_turn_and_at_the_end() -> None:
    """Per-turn objectives score at each turn's end, end objectives when the game ends; a hidden
    objective's points are logged for its actor only."""
    g = tutorial()
    play(g, "control: adjust track=council_support value=-2 | NORTH lobbied")
    drive(g, lambda x: x.is_over)
    per_turn = [(e.turn, e.get("points")) for e in entries(g, "score", objective="south_calm")]
    assert per_turn == [(1, 1.0), (2, 1.0), (3, 1.0)]
    (hidden,) = entries(g, "score", objective="north_council")
    assert entries(g, "event", event="refugee_convoy")  # council_support back to -1
    assert hidden.get("points") == 1.0 and hidden.mask == 1 << g.rules.actor_index["NORTH"]
    assert g.engine.actor_scores() == {"NORTH": 1.0, "SOUTH": 3.0, "COUNCIL": 0.0}
    assert "north_council" not in log_text(g, "SOUTH")
    result = g.result()
    assert result.winners == ("SOUTH",) and result.reason == "last-turn"


def test_an_end_condition_ends_the_game() -> None:
    """When an end condition holds after a resolution, the game ends with that reason, end
    objectives are scored, and nothing more may be done."""
    g = tutorial()
    play(g, "control: adjust track=tension value=5 | skirmishes", "NORTH: mass_troops")
    drive(g, lambda x: x.is_over)
    assert g.engine.state.turn == 1 and g.engine.state.end_reason == "clashes"
    assert entries(g, "end")[0].get("reason") == "clashes"
    assert all(g.legal_actions(w) == [] for w in (*TEAMS, CONTROL))
    refused(g, "NORTH: pass", "action/game-over")
    refused(g, "control: advance", "action/game-over")


def test_the_last_turn_ends_the_game() -> None:
    """The game ends after its last turn, skipping the final control review."""
    g = tutorial()
    drive(g, lambda x: x.is_over)
    s = g.engine.state
    assert (s.turn, s.over, s.end_reason) == (3, True, "last-turn")
    assert [e.turn for e in entries(g, "skip", phase="review")] == [3]
    assert g.waiting_for() == []


# ====================================================================== flow


LOOP = """
meta: {id: loop, title: Loop, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 2}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
tracks:
  - {id: t, name: T, min: 0, max: 10, initial: 5}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A]}
  - {id: one, name: One, kind: info, next: two}
  - {id: two, name: Two, kind: info, next: one}
"""


def test_a_next_cycle_is_refused_when_the_scenario_loads() -> None:
    """A ``next`` cycle among phases (the turn would never end) is an error of the scenario
    file, reported with its position before any game starts."""
    with pytest.raises(ScenarioError) as info:
        load_text(LOOP, "<loop>")
    (diag,) = [d for d in info.value.diagnostics if d.code == "scenario/bad-phase"]
    assert "one" in diag.message and "two" in diag.message and diag.line > 1


def looping(rules: Rules) -> Rules:
    """``rules`` with phases 'one' and 'two' leading to each other (as if the loader had let
    such a file through)."""
    one, two = rules.phase_index["one"], rules.phase_index["two"]
    phases = list(rules.phases)
    phases[one] = dataclasses.replace(phases[one], next=two)
    phases[two] = dataclasses.replace(phases[two], next=one)
    return dataclasses.replace(rules, phases=tuple(phases), actor_index={}, track_index={},
                               phase_index={}, move_index={}, event_index={}, res_flat={},
                               moves_for={}, actions_for={}, params_for={})


def test_a_flow_cycle_that_does_nothing_raises_instead_of_hanging() -> None:
    """Should phases keep moving on their own (a ``next`` cycle with nothing to wait for), the
    engine raises ``FlowError`` with code ``flow/auto-loop`` naming a phase, instead of hanging,
    and the game is left unchanged."""
    rules = looping(compile_rules(load_text(LOOP.replace(", next: two", "").replace(
        ", next: one", ""))))
    g = Game.from_rules(rules, 1, "all=passive")
    before = json.dumps(g.engine.state.to_json(), sort_keys=True)
    with pytest.raises(FlowError) as info:
        g.submit("A: pass")
    assert info.value.code == "flow/auto-loop"
    assert "'one'" in info.value.message or "'two'" in info.value.message
    assert json.dumps(g.engine.state.to_json(), sort_keys=True) == before


def test_the_phase_machine_prints_as_a_mermaid_diagram() -> None:
    """``powerplay diagram tutorial`` prints the phase machine as a mermaid state diagram."""
    from typer.testing import CliRunner

    from game.cli import app

    result = CliRunner().invoke(app, ["diagram", "tutorial"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "    [*] --> briefing" in lines
    for a, b in [("briefing", "orders"), ("orders", "adjudication"), ("adjudication", "events"),
                 ("events", "review"), ("review", "end_of_turn")]:
        assert f"    {a} --> {b}" in lines
    assert "    review --> end_of_turn : skip if turn == turns" in lines
    assert "    end_of_turn --> briefing : next turn" in lines
    assert any(line.startswith("    end_of_turn --> game_over") for line in lines)
    assert "    game_over --> [*]" in lines


# ====================================================================== the record


def rule_line(where: str) -> str:
    """The scenario text at a ``file:line:col`` position (a file's bare name: a shipped
    scenario)."""
    path, line, col = where.rsplit(":", 2)
    assert "/" not in path, where  # people read the file's name, not this machine's path
    text = (Path(__file__).parents[1] / "scenarios" / path).read_text("utf-8")
    return text.splitlines()[int(line) - 1][int(col) - 1:]


def test_explain_walks_back_from_a_change_to_the_rule_and_the_dice(dice: list[int]) -> None:
    """``explain(seq)`` of a track change gives the chain of causes — the outcome, the roll,
    the reveal, the order — and names the scenario rule behind the change as file:line:col."""
    g = tutorial()
    play(g, "SOUTH: mediate | talk first")
    dice.extend([6, 6])
    all_pass(g)
    change = entries(g, "change", track="talks")[0]
    lines = g.explain(change.seq)
    assert lines[0] == "Talks under way: no → yes."
    assert lines[1].startswith("Southland — Mediate talks: Success.")
    assert lines[2].startswith("Southland — Mediate talks: rolled 6+6 = 12 vs 8")
    assert lines[3] == "Southland: Mediate talks."
    assert lines[4] == 'Southland gives an order: Mediate talks — "talk first".'
    m = re.fullmatch(r"Rule: (.+:\d+:\d+) \(set on Talks under way\)", lines[-1])
    assert m, lines[-1]
    assert rule_line(m.group(1)).startswith("{track: talks, set: 1}")


def test_explain_of_a_matrix_outcome_names_the_ruling(dice: list[int]) -> None:
    """For a matrix argument the chain goes through the roll and the umpire's ruling back to the
    reveal and the order."""
    g = tutorial()
    play(g, "SOUTH: appeal")
    all_pass(g)
    dice.extend([6, 6])
    play(g, f"control: rule order={order_seq(g, 'SOUTH', 'appeal')} strength=1 | fair point")
    change = entries(g, "change", track="council_support")[0]
    kinds = [line.split(":")[0] for line in g.explain(change.seq)]
    text = "\n".join(g.explain(change.seq))
    assert ("Umpire ruled on Southland — Appeal to the council: argument strength +1 — fair "
            "point.") in text
    assert "Southland: Appeal to the council." in text
    assert "Southland gives an order: Appeal to the council" in text
    assert kinds[-1] == "Rule"


def test_explain_for_a_team_hides_what_it_may_not_see(dice: list[int]) -> None:
    """Explained to a team, the chain shows what that team may see (here: no umpire ruling)."""
    g = tutorial()
    play(g, "SOUTH: appeal")
    all_pass(g)
    dice.extend([6, 6])
    play(g, f"control: rule order={order_seq(g, 'SOUTH', 'appeal')} strength=1 | fair point")
    change = next(line for line in view_for(g.engine, "NORTH").log
                  if line.kind == "change" and line.data["track"] == "council_support")
    text = "\n".join(g.explain(change.seq, "NORTH"))  # in NORTH's own numbering
    assert "fair point" not in text
    assert "Council support for Southland ▲ 0 → 2." in text


def test_the_log_digest_is_the_same_for_the_same_game() -> None:
    """The same scenario, seed and decisions give the same log digest; another seed does not."""
    a = Game.new("tutorial", 3, "all=random").play_out()
    b = Game.new("tutorial", 3, "all=random").play_out()
    c = Game.new("tutorial", 4, "all=random").play_out()
    assert a.log_digest() == b.log_digest() != c.log_digest()


def test_a_state_snapshot_does_not_change_afterwards() -> None:
    """``State.to_json()`` is a snapshot: later play does not alter it."""
    g = tutorial()
    snap = g.engine.state.to_json()
    frozen = json.loads(json.dumps(snap))
    play(g, "control: adjust track=tension value=5 | x")
    assert snap == frozen


DEFAULTS = """
meta: {id: defaults, title: Defaults, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 2}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
tracks:
  - {id: f, name: A flag left at its default, kind: flag}
  - {id: n, name: A number with the default minimum, max: 10, initial: 5, integer: false}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A]}
  - {id: adj, name: Adjudication, kind: adjudication}
moves:
  - {id: go, name: Go, actors: [A], phases: [orders],
     outcomes: [{id: success, effects: [{track: f, set: 1}, {track: n, add: -9}]}]}
"""


def test_a_game_rebuilt_from_its_json_is_the_same_game() -> None:
    """``State.from_json(state.to_json())`` is the same state: it evolves into the same log."""
    from game.engine.state import State

    rules = compile_rules(load_text(DEFAULTS))
    eng = Engine.new(rules, 1)
    twin = Engine(rules, State.from_json(json.loads(json.dumps(eng.state.to_json()))))
    assert json.dumps(twin.state.to_json()) == json.dumps(eng.state.to_json())
    for e in (eng, twin):
        e.apply(Action("A", "go"))
        e.apply(Action("A", "pass"))
    assert twin.state.log_text() == eng.state.log_text()


# ====================================================================== umpire powers


def test_undo_resolution_restores_the_state_before_it_and_keeps_the_undone_steps() -> None:
    """``Game.undo_resolution()`` puts the game back to just before the decision that resolved
    the orders; the undone log entries are kept in ``game.undone`` for the audit, and the undo
    is itself a recorded decision."""
    g = tutorial(seed=3)
    play(g, "NORTH: mass_troops", "SOUTH: spy_flight", "COUNCIL: council_statement")
    all_pass(g)
    before = json.dumps(g.engine.state.to_json(), sort_keys=True)
    n = g.engine.state.nlog
    play(g, f"control: rule order={order_seq(g, 'COUNCIL', 'council_statement')} outcome=firm")
    resolved = g.engine.state.entries()[n:]
    assert any(e.kind == "outcome" for e in resolved)
    g.undo_resolution()
    assert json.dumps(g.engine.state.to_json(), sort_keys=True) == before
    assert g.undone == resolved
    assert g.decisions[-1].undo_to >= 0
    assert g.waiting_for() == [CONTROL]
    with pytest.raises(IllegalAction) as info:
        tutorial().undo_resolution()
    assert info.value.code == "action/nothing-to-undo"


def test_a_paused_game_refuses_team_actions() -> None:
    """While the umpire has paused the game, team actions are refused with ``action/paused``
    (the game unchanged); the umpire may still act; resuming lets teams act again."""
    g = tutorial()
    g.pause()
    err = refused(g, "NORTH: mass_troops", "action/paused")
    assert "paused" in err.message
    play(g, "control: adjust track=tension value=3 | while paused")
    g.resume()
    play(g, "NORTH: mass_troops")


@pytest.mark.parametrize("verb", ["advance", "rule order=1 outcome=firm",
                                  "adjust track=tension value=0", "override order=1 outcome=weak",
                                  "release event=refugee_convoy", "hold event=refugee_convoy",
                                  "skip event=refugee_convoy"])
def test_only_control_may_use_umpire_verbs(verb: str) -> None:
    """A team using an umpire verb as itself is refused, and the game is unchanged."""
    g = tutorial()
    play(g, "COUNCIL: council_statement")
    with pytest.raises(IllegalAction):
        g.submit(f"NORTH: {verb} | I am in charge now")
    refused(g, f"NORTH: {verb} | I am in charge now", g.engine.why_not(
        Action.parse(f"NORTH: {verb}")).code)  # type: ignore[union-attr]


def test_only_the_umpire_seat_may_act_for_control() -> None:
    """A seat may act only for its own actor; the umpire seat also for the control-cell actors."""
    g = tutorial()
    refused_seat = [("NORTH", "control: advance"), ("NORTH", "SOUTH: pass"),
                    ("control", "NORTH: pass"), ("SOUTH", "COUNCIL: pass")]
    for seat, line in refused_seat:
        before = json.dumps(g.engine.state.to_json(), sort_keys=True)
        with pytest.raises(IllegalAction) as info:
            g.submit(line, seat=seat)
        assert info.value.code == "action/not-your-seat"
        assert json.dumps(g.engine.state.to_json(), sort_keys=True) == before
    g.submit("COUNCIL: council_statement", seat=CONTROL)
    g.submit("NORTH: pass", seat="NORTH")


def test_unknown_actors_and_viewers_are_refused() -> None:
    """An action by an actor the scenario does not have is refused naming the actors; a view for
    an unknown viewer is a KeyError."""
    g = tutorial()
    err = refused(g, "EU: pass", "action/unknown-actor")
    assert "NORTH" in err.message
    assert g.legal_actions("EU") == []
    with pytest.raises(KeyError):
        view_for(g.engine, "EU")


def test_an_unknown_move_suggests_the_closest() -> None:
    """A misspelt move is refused with ``action/unknown-move`` and a suggestion."""
    g = tutorial()
    err = refused(g, "NORTH: mass_trops", "action/unknown-move")
    assert "mass_troops" in err.message


def test_a_move_of_another_actor_or_phase_is_refused() -> None:
    """A move belonging to another actor, or given outside its phase, is refused."""
    g = tutorial()
    refused(g, "NORTH: mediate", "action/not-your-move")
    all_pass(g)
    assert g.engine.phase.id == "review"
    refused(g, "NORTH: mass_troops", "action/wrong-phase")


def test_bad_parameters_are_refused_naming_the_choices() -> None:
    """A parameter outside its choices, a missing one, or an unknown one is ``action/bad-param``."""
    g = tutorial()
    err = refused(g, "NORTH: propaganda audience=moon", "action/bad-param")
    assert "home, council" in err.message
    refused(g, "NORTH: propaganda", "action/bad-param")
    refused(g, "NORTH: mass_troops size=big", "action/bad-param")


def rules_of(g: Game) -> Rules:
    return g.rules


def iter_views(g: Game) -> Iterator[str]:
    for who in (*TEAMS, CONTROL):
        yield json.dumps(view_for(g.engine, who).to_json(), default=str)


def test_views_are_plain_data() -> None:
    """A view serialises to JSON (it can cross a network) and is the same when asked twice."""
    g = tutorial()
    first = list(iter_views(g))
    assert first == list(iter_views(g))
    assert rules_of(g).id == "tutorial"
    assert load_rules("tutorial") is rules_of(g)


TWICE = """
meta: {id: twice, title: Twice, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 2}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
  - {id: B, name: Beta, kind: player, color: "#111111"}
  - {id: C, name: Gamma, kind: player, color: "#222222"}
tracks:
  - {id: x, name: X, max: 10, visibility: secret, known_to: [A, A],
     estimates: [{actors: [B, B], quality: "0.5", spread: 0.5}]}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A, B, B, C]}
moves:
  - {id: go, name: Go, actors: [A, A], phases: [orders, orders],
     outcomes: [{id: success, visible_to: [A, A], effects: [{track: x, add: 1}]}]}
"""


def test_a_name_listed_twice_counts_once() -> None:
    """An actor or phase listed twice in a scenario list is the same one bit, not another
    actor's (found by the soak fuzzer: a move listed for [A, A] was given to B)."""
    g = mini(TWICE)
    go = g.rules.moves[0]
    assert (go.actor_mask, go.phase_mask) == (0b001, 0b1)
    assert g.rules.tracks[0].known_mask == 0b001
    assert g.rules.tracks[0].estimates[0].mask == 0b010
    assert any(a.verb == "go" for a in g.engine.legal_actions("A"))
    assert not any(a.verb == "go" for a in g.engine.legal_actions("B") + g.engine.legal_actions("C"))


def test_a_team_remembers_a_value_it_was_shown() -> None:
    """A reveal shows a secret track's truth for the rest of its turn; on later turns the team
    knows it again only by its estimate, and its view keeps what it was shown and when (the
    value last revealed to it), which a team not told and the room do not have."""
    g = Game.new("kursk-2024", seed=1, seats="all=greedy,control=auto")
    while not (g.engine.state.turn == 2 and g.engine.phase.kind is PhaseKind.ORDERS):
        assert g.step_agent()
    told = [e for e in g.engine.state.entries() if e.kind is Kind.INTEL]
    eu = 1 << g.rules.actor_index["EU"]
    shown = {e.values[0]: (e.values[1], e.turn) for e in told if e.mask & eu}
    assert shown, "the EU was shown a secret track in turn 1 of this game"
    eu_view = g.view("EU")
    for tid, (value, turn) in shown.items():
        t = eu_view.track(tid)
        assert t.status != "exact" and t.seen == (value, turn) and turn == 1, t
    for viewer in ("public", "control"):
        assert all(t.seen is None for t in g.view(viewer).tracks)
    rok = 1 << g.rules.actor_index["ROK"]
    not_rok = set(shown) - {e.values[0] for e in told if e.mask & rok}
    assert not_rok and all(g.view("ROK").track(tid).seen is None for tid in not_rok)
