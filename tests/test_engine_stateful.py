"""Random legal play checked at every step (OpenSpiel ``games_sim_test.py``, STYLE.md 10).

A hypothesis ``RuleBasedStateMachine`` plays a scenario through the :class:`~game.session.Game`
facade — teams, control-cell actors and the umpire, including overrides, adjustments,
probability-estimate rulings and undo — and checks, at every step:

* every track stays within its range (whole numbers on integer tracks), resources within bounds;
* a clone equals the original and evolves identically under the same next action; so does a
  game rebuilt from the state's JSON; every few steps a full save -> load (``write_save`` /
  ``read_save``) gives the same game and continues identically;
* no view (``view_for``) holds a value or an order its actor may not know (checked against the
  rules, not against the view code): secret tracks exact only for ``known_to`` actors, reveals
  and perfect intelligence; estimates contain the truth (unless their rule may miss) and stay
  fixed for the turn; offers only to their two sides; other teams' unrevealed orders, their
  rationales and dice absent; log lines filtered by kind; other actors' hidden objectives,
  private briefings and resources absent;
* illegal actions (unknown actors, random moves and parameters, actions legal in another phase,
  umpire verbs used by teams, malformed umpire verbs) are refused with an ``IllegalAction``
  whose code is stable and agrees with ``why_not``, and change nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from game.agents.ismcts import Budget, IsmctsAgent
from game.engine.actions import CONTROL, CONTROL_VERBS, PASS, PUBLIC, RETRACT, Action
from game.engine.core import Engine, Env
from game.engine.errors import IllegalAction
from game.engine.knowledge import EXACT
from game.engine.rules import SELF, Objective, PhaseKind, Rules
from game.engine.state import Entry, State
from game.engine.views import View, view_for
from game.saves import read_save, write_save
from game.scenario.load import SCENARIO_DIR
from game.session import Game

SCENARIOS = [
    pytest.param("tutorial", id="tutorial"),
    pytest.param("kitchen-sink", id="kitchen-sink"),
    pytest.param("intel", id="intel"),  # estimates that lean and miss (fixture)
    pytest.param("bargain", id="bargain"),  # offers and their answers (fixture)
    pytest.param("kursk-2024", id="kursk-2024", marks=pytest.mark.skipif(
        not (SCENARIO_DIR / "kursk-2024.yaml").exists(), reason="scenarios/kursk-2024.yaml absent")),
]

KITCHEN_SINK = """\
# Every mechanic at once, for the machine: sequential and simultaneous orders phases, costs,
# limits, parameters, a secret track with estimates, reveals, a matrix argument, umpire rulings,
# delayed effects, a multi-turn project, triggered and chance events, an umpire inject, resource
# effects on another actor, a non-integer track, hidden objectives, an end condition.
meta: {id: kitchen-sink, title: Kitchen sink, version: "1", start_date: 2025-01-01,
       turn_length_days: 14, turns: 5}
actors:
  - id: A
    name: Alpha
    kind: player
    color: "#000000"
    resources: [{id: ap, name: Action points, initial: 3, per_turn: 1, max: 4}]
    briefing: {public: "Alpha is big.", private: "Alpha's secret plan: fill the depots."}
  - id: B
    name: Beta
    kind: player
    color: "#111111"
    resources: [{id: ap, name: Action points, initial: 2, per_turn: 2, max: 3}]
    briefing: {public: "Beta is small.", private: "Beta's secret plan: watch Alpha."}
  - id: C
    name: Council
    kind: control
    color: "#222222"
tracks:
  - id: esc
    name: Escalation
    min: 0
    max: 10
    initial: 2
    thresholds: [{at: 3, name: Tense}, {at: 6, name: Crisis}, {at: 9, name: War}]
  - id: sa
    name: Alpha's depots
    min: 0
    max: 20
    initial: 6
    visibility: secret
    known_to: [A]
    thresholds: [{at: 10, name: Full}]
    estimates: [{actors: [B], quality: "intel / 3", spread: 0.8}]
  - {id: intel, name: Beta's intelligence, min: 0, max: 3, initial: 1}
  - {id: f, name: Talks, kind: flag, initial: 0}  # explicit: see test_engine_rules.py
  - {id: money, name: Money, min: 0, max: 100, initial: 50.5, integer: false}
phases:
  - {id: brief, name: Briefing, kind: info}
  - {id: open, name: Open orders, kind: orders, actors: [A, B], mode: sequential}
  - {id: secret, name: Secret orders, kind: orders, actors: [A, B, C], max_orders: 2}
  - {id: adj, name: Adjudication, kind: adjudication}
  - {id: ev, name: Events, kind: events}
  - {id: review, name: Review, kind: review, skip_if: "turn == turns"}
moves:
  - id: a_build
    name: Build depots
    actors: [A]
    phases: [secret]
    cost: {ap: 1}
    params: [{id: size, choices: [{id: small}, {id: big}]}]
    reveal_to: self
    outcomes:
      - id: success
        visible_to: self
        text: "Depots grow."
        effects:
          - {track: sa, add: 1, when: "size == 'small'"}
          - {track: sa, add: 3, when: "size == 'big'"}
          - {track: sa, add: 1, delay: 2, when: "size == 'big'"}
  - id: a_strike
    name: Strike
    actors: [A]
    phases: [open, secret]
    limits: {cooldown: 1}
    adjudication:
      kind: dice
      target: 8
      modifiers: [{value: 1, when: "sa >= 8", why: "Full depots"}, {value: -1, when: "f", why: "Talks"}]
    outcomes:
      - {id: success, text: "The strike lands.", effects: [{track: esc, add: 2}]}
      - {id: failure, text: "The strike fails.", effects: [{track: esc, add: -1}]}
  - id: talk
    name: Talk
    actors: [A, B]
    phases: [open]
    adjudication: {kind: matrix}
    outcomes:
      - {id: success, effects: [{track: f, set: 1}, {track: esc, add: -1}]}
      - {id: failure}
  - id: b_spy
    name: Spy
    actors: [B]
    phases: [secret]
    cost: {ap: 1}
    reveal_to: self
    outcomes: [{id: success, visible_to: self, effects: [{reveal: sa, to: [B]}]}]
  - id: b_invest
    name: Invest in intelligence
    actors: [B]
    phases: [secret]
    cost: {ap: 2}
    limits: {per_game: 2}
    outcomes: [{id: success, effects: [{track: intel, add: 1, duration: 2}]}]
  - id: b_pressure
    name: Pressure
    actors: [B]
    phases: [open, secret]
    requires: ["esc < 9"]
    params: [{id: target, choices: [{id: A}, {id: C}]}]
    adjudication: {kind: dice, dice: 1d6, target: 4}
    outcomes:
      - id: success
        effects:
          - {track: money, mul: 0.9, when: "target == 'A'"}
          - {trigger: crisis, delay: 1, when: "target == 'C'"}
      - {id: failure, effects: [{track: money, set: "money + 7.25"}]}
  - id: a_fund
    name: Fund proxies
    actors: [A]
    phases: [secret]
    cost: {ap: 2}
    reveal_to: [A, C]
    outcomes:
      - id: success
        effects:
          - {resource: ap, actor: B, add: -1}
          - {resource: ap, actor: self, add: 1}
  - id: c_rule
    name: Council ruling
    actors: [C]
    phases: [secret]
    adjudication: {kind: umpire}
    outcomes:
      - {id: calm, effects: [{track: esc, add: -2}]}
      - {id: stir, effects: [{track: esc, add: 2}]}
events:
  - {id: crisis, name: Crisis, text: "Crowds in the streets.", once: false,
     trigger: {when: "esc >= 6", chance: 0.5}, effects: [{track: esc, add: 1}]}
  - {id: leak, name: Leak, text: "Documents leak.", release: umpire, trigger: {turn: 2},
     effects: [{reveal: sa, to: [B, C]}]}
  - {id: windfall, name: Windfall, text: "Money arrives.", once: false,
     trigger: {from_turn: 2, chance: 0.3}, visible_to: [A],
     effects: [{resource: ap, actor: A, add: 1}]}
  - {id: boom, name: Depot fire, text: "A depot burns.", visible_to: [A],
     trigger: {when: "sa >= 12"}, effects: [{track: sa, add: -3}]}
objectives:
  - {id: a_hidden, actor: A, name: Fill the depots, hidden: true, per_turn: "sa >= 8",
     text: "Alpha's hidden agenda: depots at 8 or more."}
  - {id: a_open, actor: A, name: Pressure, per_turn: "esc >= 3 and esc < 9"}
  - {id: b_calm, actor: B, name: Calm, per_turn: "esc < 3", at_end: "f * 3"}
  - {id: b_money, actor: B, name: Money, at_end: "money / 10"}
end:
  - {id: war, when: "esc >= 10", text: "War."}
"""

STABLE_CODES = frozenset({
    "action/game-over", "action/unknown-actor", "action/wrong-phase", "action/bad-retract",
    "action/not-your-turn", "action/already-done", "action/illegal", "action/unknown-move",
    "action/not-your-move", "action/bad-param", "action/cannot-afford", "action/limit",
    "action/prerequisite", "action/ruling-pending", "action/no-such-inject",
    "action/no-ruling-needed", "action/unknown-verb", "action/unknown-track",
    "action/out-of-range", "action/reason-required", "action/no-such-order",
})
"""Every refusal code of the checked apply; a new code is a deliberate API change."""

REASONS = ("", "because", "unicode ünïcødé — 北 | with a bar", "two\nlines")
"""Rationales attached to actions (already in the normalised form the record keeps)."""


def snapshot(eng: Engine) -> str:
    """The whole state as canonical JSON text (a copy: ``to_json`` may share lists)."""
    return json.dumps(eng.state.to_json(), sort_keys=True)


class EngineMachine(RuleBasedStateMachine):
    """Random play of one scenario with every check of the module docstring."""

    scenario = "tutorial"

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="pp-stateful-"))
        self.game: Game
        self.history: list[str] = []
        """State JSON before each decision still on the undo stack."""
        self.pool: list[Action] = []
        """Actions seen legal at some point: later they may belong to another phase."""
        self.pool_keys: set[Action] = set()
        self.estimates: dict[tuple[int, str, str], tuple[float, float]] = {}
        self.saves = 0

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if hasattr(self, "game"):
            event("game over" if self.eng.is_over else f"stopped in turn {self.eng.state.turn}")

    # ------------------------------------------------------------------ set-up

    @initialize(seed=st.integers(0, 2**32), no_dice=st.sampled_from([False, False, False, True]),
                review=st.booleans())
    def start(self, seed: int, no_dice: bool, review: bool) -> None:
        self.game = Game.new(self.scenario, seed, "all=random", no_dice=no_dice, review=review)

    @property
    def eng(self) -> Engine:
        return self.game.engine

    def everyone(self) -> list[str]:
        return [*self.eng.rules.actor_index, CONTROL]

    # ------------------------------------------------------------------ applying, checked

    def apply_checked(self, action: Action) -> None:
        """Apply a legal action to the game, a clone and a JSON-rebuilt twin; all must agree."""
        eng = self.eng
        before = snapshot(eng)
        clone = eng.clone()
        assert snapshot(clone) == before, "a fresh clone differs from its original"
        twin = Engine(eng.rules, State.from_json(json.loads(before)), no_dice=eng.no_dice,
                      review=eng.review)
        assert snapshot(twin) == before, "the state's JSON does not rebuild the same state"
        self.game.submit(action)
        self.history.append(before)
        after = snapshot(self.eng)
        clone.apply(action)
        assert snapshot(clone) == after, f"a clone evolved differently under {action}"
        twin.apply(action)
        assert snapshot(twin) == after, f"a JSON-rebuilt game evolved differently under {action}"
        if action not in self.pool_keys:
            self.pool_keys.add(action)
            self.pool.append(action)

    # ------------------------------------------------------------------ legal play

    @precondition(lambda self: not self.eng.is_over)
    @rule(data=st.data())
    def play_a_legal_action(self, data: st.DataObject) -> None:
        """Anyone with a legal action (team, control-cell actor or umpire) makes one."""
        waiting = self.eng.waiting_for()
        who_pool = waiting if waiting and data.draw(st.integers(0, 3), "prefer waited") else \
            self.everyone()
        options = [a for w in who_pool for a in self.eng.legal_actions(w)]
        if not options:
            options = [a for w in self.everyone() for a in self.eng.legal_actions(w)]
        assert options, f"nobody can act in phase {self.eng.phase.id}, waiting for {waiting}"
        action = data.draw(st.sampled_from(options), "action")
        if action.verb != RETRACT:
            action = action.with_rationale(data.draw(st.sampled_from(REASONS), "rationale"))
        self.apply_checked(action)

    @precondition(lambda self: not self.eng.is_over and any(
        w != CONTROL for w in self.eng.waiting_for()))
    @rule(data=st.data())
    def an_ismcts_seat_decides(self, data: st.DataObject) -> None:
        """A team waited for is played by an ISMCTS seat (a small budget): its search leaves the
        game untouched, and it picks one of the legal actions, which then applies."""
        who = next(w for w in self.eng.waiting_for() if w != CONTROL)
        legal = self.eng.legal_actions(who)
        agent = IsmctsAgent(who, data.draw(st.integers(0, 2**16), "agent seed"), Budget(6))
        agent.bind(lambda: self.eng)
        before = snapshot(self.eng)
        action = agent.choose(None, legal)
        assert snapshot(self.eng) == before, "the search changed the game it searched"
        assert action in legal
        self.apply_checked(action)

    @precondition(lambda self: not self.eng.is_over)
    @rule(data=st.data())
    def umpire_adjusts_a_track(self, data: st.DataObject) -> None:
        """Control sets a track to a value in range, with a reason."""
        t = data.draw(st.sampled_from(self.eng.rules.tracks), "track")
        value = data.draw(st.integers(int(t.lo), int(t.hi)), "value")
        self.apply_checked(Action.make(CONTROL, "adjust", rationale="umpire's call",
                                       track=t.id, value=value))

    @precondition(lambda self: any(o.revealed for o in self.eng.state.orders)
                  and self.eng.phase.kind is PhaseKind.ADJUDICATION and not self.eng.is_over)
    @rule(data=st.data())
    def umpire_overrides_an_outcome(self, data: st.DataObject) -> None:
        """Control overrides a revealed order's outcome, with a reason."""
        o = data.draw(st.sampled_from([o for o in self.eng.state.orders if o.revealed]), "order")
        mv = self.eng.rules.moves[o.move]
        outcome = data.draw(st.sampled_from(mv.outcomes), "outcome")
        self.apply_checked(Action.make(CONTROL, "override", rationale="white cell decides",
                                       order=o.ref, outcome=outcome.id))

    @precondition(lambda self: any(o.needs_ruling and self.eng.rules.moves[o.move].adj ==
                                   "matrix" for o in self.eng.state.orders))
    @rule(data=st.data())
    def umpire_rules_by_estimates(self, data: st.DataObject) -> None:
        """Control rules on a matrix argument with the players' probability estimates."""
        o = next(o for o in self.eng.state.orders
                 if o.needs_ruling and self.eng.rules.moves[o.move].adj == "matrix")
        values = data.draw(st.lists(st.sampled_from(["0", "0.1", "0.5", "0.75", "1"]),
                                    min_size=1, max_size=4), "estimates")
        self.apply_checked(Action.make(CONTROL, "rule", order=o.ref, estimates="/".join(values)))

    @precondition(lambda self: bool(self.history))
    @rule()
    def umpire_undoes(self) -> None:
        """Undo restores the state before the last decision and keeps the undone log entries."""
        undone_before = len(self.game.undone)
        entries_before = self.eng.state.nlog
        self.game.undo()
        expected = self.history.pop()
        assert snapshot(self.eng) == expected
        assert len(self.game.undone) == undone_before + entries_before - self.eng.state.nlog
        turn = self.eng.state.turn
        self.estimates = {k: v for k, v in self.estimates.items() if k[0] <= turn}

    @precondition(lambda self: any(e.kind == "outcome" for e in self.eng.state.entries()))
    @rule()
    def umpire_undoes_the_last_resolution(self) -> None:
        """Undoing a resolution goes back to the state before the decision that resolved."""
        try:
            self.game.undo_resolution()
        except IllegalAction as exc:  # the resolution predates every decision still undoable
            assert exc.code == "action/nothing-to-undo"
            return
        index = self.game.decisions[-1].undo_to
        assert snapshot(self.eng) == self.history[index]
        del self.history[index:]
        turn = self.eng.state.turn
        self.estimates = {k: v for k, v in self.estimates.items() if k[0] <= turn}

    @precondition(lambda self: not self.eng.is_over)
    @rule(data=st.data())
    def paused_game_refuses_teams(self, data: st.DataObject) -> None:
        """While paused, every team action is refused with action/paused and changes nothing."""
        options = [a for w in self.eng.rules.actor_index for a in self.eng.legal_actions(w)]
        if not options:
            return
        before = snapshot(self.eng)
        self.game.pause()
        try:
            with pytest.raises(IllegalAction) as info:
                self.game.submit(data.draw(st.sampled_from(options), "paused action"))
            assert info.value.code == "action/paused"
        finally:
            self.game.resume()
        assert snapshot(self.eng) == before

    # ------------------------------------------------------------------ save and load

    @rule(data=st.data())
    def save_and_load(self, data: st.DataObject) -> None:
        """A save loads back to the same game, which then continues identically."""
        self.saves += 1
        path = self.tmp / f"save-{self.saves}.json"
        write_save(self.game, path)
        loaded = read_save(path)
        assert snapshot(loaded.engine) == snapshot(self.eng)
        assert loaded.log_digest() == self.game.log_digest()
        assert [d.to_json() for d in loaded.decisions] == [d.to_json() for d in self.game.decisions]
        assert (loaded.engine.review, loaded.engine.no_dice) == (self.eng.review, self.eng.no_dice)
        assert loaded.undone == self.game.undone
        if not self.eng.is_over:
            options = [a for w in self.everyone() for a in self.eng.legal_actions(w)]
            action = data.draw(st.sampled_from(options), "next action")
            loaded.submit(action)
            self.apply_checked(action)
            assert snapshot(loaded.engine) == snapshot(self.eng)
        self.game = loaded

    # ------------------------------------------------------------------ illegal actions

    def illegal_candidates(self, data: st.DataObject) -> list[Action]:
        rules = self.eng.rules
        actors = list(rules.actor_index)
        moves = [m.id for m in rules.moves]
        actor = data.draw(st.sampled_from(actors), "actor")
        mv = rules.moves[data.draw(st.integers(0, len(rules.moves) - 1), "move")]
        good = {p: data.draw(st.sampled_from(c), "value") for p, c in mv.params}
        out = [
            Action("ZZ_nobody", data.draw(st.sampled_from([*moves, PASS]), "verb")),
            Action.make(actor, mv.id, **good),
            Action.make(actor, mv.id, **{**good, "bogus": "1"}),
            Action.make(actor, "no_such_move"),
            Action.make(actor, RETRACT, order="NOBODY-9"),
            Action.make(actor, data.draw(st.sampled_from(CONTROL_VERBS), "control verb"),
                        rationale="I am the umpire now", order="NORTH-1", outcome="success",
                        track=rules.tracks[0].id, value=0, event="x"),
            Action.make(CONTROL, "rule", order="NOBODY-9", outcome="success"),
            Action.make(CONTROL, "release", event="no_such_event"),
            Action.make(CONTROL, "adjust", track=rules.tracks[0].id, value=rules.tracks[0].lo),
            Action.make(CONTROL, "adjust", rationale="why not", track=rules.tracks[0].id,
                        value=rules.tracks[0].hi + 1),
            Action.make(CONTROL, "adjust", rationale="why not", track="no_such_track", value=1),
            Action.make(CONTROL, "launch_everything", rationale="no such verb"),
            Action.make(CONTROL, "rule", order="NOBODY-9", estimates="0.5/2"),
        ]
        if mv.params:
            p, _ = mv.params[0]
            out.append(Action.make(actor, mv.id, **{**good, p: "not_a_choice"}))
            out.append(Action.make(actor, mv.id))
        for o in self.eng.state.orders:
            if o.revealed:
                out.append(Action.make(CONTROL, "override", order=o.ref,
                                       outcome=rules.moves[o.move].outcomes[0].id))
                out.append(Action.make(CONTROL, "override", rationale="x", order=o.ref,
                                       outcome="no_such_outcome"))
        if self.pool:
            out.extend(data.draw(st.lists(st.sampled_from(self.pool), max_size=4), "from pool"))
        return out

    @rule(data=st.data())
    def illegal_actions_are_refused_and_change_nothing(self, data: st.DataObject) -> None:
        eng = self.eng
        before = snapshot(eng)
        decisions = len(self.game.decisions)
        for action in self.illegal_candidates(data):
            err = eng.why_not(action)
            listed = action in eng.legal_actions(action.actor)
            if err is None:
                special = action.actor == CONTROL and (
                    action.verb in ("adjust", "override") or action.param("estimates"))
                assert listed or special, f"{action} is accepted but not in legal_actions"
                continue
            assert not listed, f"{action} is in legal_actions but refused: {err}"
            with pytest.raises(IllegalAction) as info:
                self.game.submit(action)
            assert info.value.code == err.code
            assert info.value.code in STABLE_CODES, info.value.code
            assert info.value.message and action.actor not in ("",)
            assert snapshot(self.eng) == before, f"refused {action} changed the game"
            assert len(self.game.decisions) == decisions

    # ------------------------------------------------------------------ invariants

    @invariant()
    def tracks_and_resources_in_range(self) -> None:
        if not hasattr(self, "game"):
            return
        rules, s = self.eng.rules, self.eng.state
        for t in rules.tracks:
            v = s.tracks[t.idx]
            assert t.lo <= v <= t.hi, f"{t.id}={v} outside {t.lo}..{t.hi}"
            if t.integer:
                assert v == int(v), f"{t.id}={v} is not whole"
        for a in rules.actors:
            for r in a.resources:
                assert s.res[r.idx] >= 0
                assert r.max is None or s.res[r.idx] <= r.max + max(0, r.initial - r.max)

    @invariant()
    def no_view_leaks(self) -> None:
        if not hasattr(self, "game"):
            return
        for actor in self.eng.rules.actor_index:
            check_view(self.eng, actor, self.estimates)
        check_public_view(self.eng)
        check_control_view(self.eng)


# ---------------------------------------------------------------------- view checks


def exact_allowed(eng: Engine, a: int, t_idx: int) -> bool:
    """May actor ``a`` know track ``t_idx`` exactly now? From the rules and the log only."""
    rules, s = eng.rules, eng.state
    t = rules.tracks[t_idx]
    if t.known_mask >> a & 1:
        return True
    bit = 1 << a
    for e in s.iter_recent():
        if e.turn != s.turn:
            break
        if e.kind == "intel" and e.mask & bit and e.get("track") == t.id:
            return True
    start_turn, _, truths = s.beliefs[-1]
    assert start_turn == s.turn
    rule = next((r for r in t.estimates if r.mask >> a & 1), None)
    # a quality of 1 on paper may come out as 0.9999999999999999: exact (knowledge.EXACT)
    return rule is not None and float(rule.quality.fn(Env(list(truths), s.turn, {}))) >= EXACT


def knowable_orders(eng: Engine, need: int, entries: Iterable[Entry]) -> dict[int, bool]:
    """For each order in the log: may every actor of ``need`` know of it (their own, or
    revealed to them all)?"""
    rules = eng.rules
    out: dict[str, bool] = {}
    for e in entries:
        if e.kind == "order":
            owner = rules.actors[rules.actor_index[e.get("actor")]]
            mv = rules.moves[rules.move_index[e.get("move")]]
            out[e.get("order")] = owner.bit == need or (
                mv.reveal_mask != SELF and mv.reveal_mask & need == need)
    return out


def seen_by_all(rules: Rules, need: int, names: Iterable[str]) -> bool:
    """Do all actors of ``need`` see every track among ``names`` exactly, always?"""
    return all(rules.track(n).known_mask & need == need for n in names if n in rules.track_index)


def is_public(rules: Rules, o: Objective) -> bool:
    """May an objective's points be shown to all during play: not hidden, and its per-turn
    scoring reads public tracks (its end-of-game points are scored when all is shown; see
    game.engine.fog, rule 1)."""
    names = o.per_turn.names if o.per_turn is not None else set()
    return not o.hidden and seen_by_all(rules, rules.all_mask, names)


def check_tracks(eng: Engine, view: View, a: int,
                 memo: dict[tuple[int, str, str], tuple[float, float]]) -> None:
    rules, s = eng.rules, eng.state
    start_truths = s.beliefs[-1][2]
    for tv in view.tracks:
        t = rules.track(tv.id)
        truth = s.tracks[t.idx]
        if tv.status == "exact":
            assert exact_allowed(eng, a, t.idx), f"{view.viewer} sees secret {t.id} exactly"
            assert tv.value == truth
        elif tv.status == "estimate":
            assert tv.value is None and tv.rung is None
            assert tv.low is not None and tv.high is not None
            slack = 1e-9  # test_engine_rules.py::test_an_estimate_of_a_fractional_track_...
            assert t.lo <= tv.low < tv.high <= t.hi
            rule = next(r for r in t.estimates if r.mask >> a & 1)
            if not rule.miss:  # a rule that may miss may lie beside the truth (test_engine_intel)
                assert tv.low <= start_truths[t.idx] + slack
                assert start_truths[t.idx] - slack <= tv.high
            key = (s.turn, view.viewer, t.id)
            first = memo.setdefault(key, (tv.low, tv.high))
            assert first == (tv.low, tv.high), (
                f"{view.viewer}'s estimate of {t.id} changed within turn {s.turn}: "
                f"{first} then {(tv.low, tv.high)}")
        else:
            assert tv.status == "unknown"
            assert tv.value is None and tv.low is None and tv.high is None and tv.rung is None
            assert not (t.known_mask >> a & 1)


def check_orders(eng: Engine, view: View, a: int) -> None:
    rules, s = eng.rules, eng.state
    shown = {ov.ref: ov for ov in view.orders}
    for o in s.orders:
        mv = rules.moves[o.move]
        own = o.actor == a
        revealed_to_me = o.revealed and mv.reveal_mask != SELF and bool(mv.reveal_mask >> a & 1)
        if own or revealed_to_me:
            assert o.ref in shown, f"{view.viewer} does not see order {o.ref} it may know"
        else:
            assert o.ref not in shown, f"{view.viewer} sees another team's secret order {o.ref}"
            continue
        ov = shown[o.ref]
        if not own:
            assert ov.rationale is None and ov.roll is None and ov.outcome is None
    assert set(shown) <= {o.ref for o in s.orders}


def check_log(eng: Engine, view: View, need: int) -> None:
    """The viewer's log holds exactly the entries all actors of ``need`` are told, numbered in
    its own sequence, and no entry of a kind or about a thing they may not know."""
    rules = eng.rules
    entries = eng.state.entries()
    mine = [e for e in entries if e.mask & need == need]
    assert [(line.seq, line.kind) for line in view.log] == [
        (i, e.kind) for i, e in enumerate(mine)], f"{view.viewer}'s log is not its share"
    orders = knowable_orders(eng, need, entries)
    moves = {e.get("order"): rules.moves[rules.move_index[e.get("move")]]
             for e in entries if e.kind == "order"}
    rationales = {e.get("order"): e.get("rationale") for e in entries if e.kind == "order"}
    for line, e in zip(view.log, mine, strict=True):
        where = f"{view.viewer} sees log #{e.seq} ({e.kind}: {line.text})"
        kind = e.kind
        if kind in ("order", "pass"):
            assert e.get("actor") == view.viewer, where
        elif kind == "retract":
            assert orders[e.get("order")] and e.mask == need, where
        elif kind in ("ruling", "override", "adjust", "inject"):
            raise AssertionError(f"{where}: umpire business")
        elif kind in ("change", "threshold"):
            assert rules.track(e.get("track")).known_mask & need == need, where
        elif kind in ("reveal", "roll", "outcome"):
            assert orders[e.get("order")], where
            why = rationales.get(e.get("order"), "")
            if why and e.get("actor") != view.viewer:
                assert why not in line.text, f"{where}: another team's rationale"
            if kind == "roll" and not e.get("hidden") and e.get("kind") != "estimate":
                mv = moves[e.get("order")]
                assert all(seen_by_all(rules, need, m.when.names) for m in mv.modifiers), (
                    f"{where}: modifiers reading tracks the viewer cannot see")
        elif kind == "score":
            o = next(o for o in rules.objectives if o.id == e.get("objective"))
            assert is_public(rules, o) or rules.actors[o.actor].bit == need, where
        elif kind == "offer":  # its maker and the one it goes to (or who answered too late)
            sides = rules.actor(e.get("actor")).bit | rules.actor(e.get("to")).bit
            assert need & ~sides == 0, where


def check_people(eng: Engine, view: View, a: int) -> None:
    rules, s = eng.rules, eng.state
    me = rules.actors[a]
    text = "\n".join([*(line.text for line in view.log), *(o.text for o in view.objectives),
                      *(x.private_briefing or "" for x in view.actors)])
    for other in rules.actors:
        av = view.actor(other.id)
        if other.idx == a:
            assert av.private_briefing == other.private_briefing
            assert av.resources is not None
            continue
        assert av.private_briefing is None and av.resources is None
        if other.private_briefing.strip() and other.private_briefing != me.private_briefing:
            assert other.private_briefing not in text, f"{me.id} reads {other.id}'s private brief"
        public = sum(s.scores[o.idx] for o in rules.objectives
                     if o.actor == other.idx and (is_public(rules, o) or s.over))
        assert av.score == public, f"{me.id} sees {other.id}'s secret-based score"
    for o in rules.objectives:
        if o.hidden and o.actor != a:
            assert all(ov.id != o.id for ov in view.objectives)
            if o.text.strip():
                assert o.text not in text, f"{me.id} reads {o.id}, a hidden objective of another"
    assert all(m.actor == me.id for m in view.moves)
    assert view.injects == ()
    assert set(view.legal) == {str(x) for x in eng.legal_actions(me.id)}


def check_view(eng: Engine, actor: str,
               memo: dict[tuple[int, str, str], tuple[float, float]]) -> None:
    """No value, order, log line, objective or briefing ``actor`` may not know."""
    a = eng.rules.actor_index[actor]
    view = view_for(eng, actor)
    check_tracks(eng, view, a, memo)
    check_orders(eng, view, a)
    check_log(eng, view, 1 << a)
    check_people(eng, view, a)
    sides = {o.ref for o in eng.state.offers if a in (o.actor, o.to)}
    assert {ov.ref for ov in view.offers} == sides, f"{actor} sees an offer between others"


def check_public_view(eng: Engine) -> None:
    """The room's view (the projector) holds only what every player team may know."""
    rules, s = eng.rules, eng.state
    need = sum(a.bit for a in rules.actors if a.is_player)
    view = view_for(eng, PUBLIC)
    for tv in view.tracks:
        t = rules.track(tv.id)
        known = t.known_mask & need == need
        assert tv.status == ("exact" if known else "unknown"), f"the room sees {t.id}"
        assert (tv.value == s.tracks[t.idx]) if known else tv.value is None
    check_log(eng, view, need)
    revealed = {o.ref for o in s.orders if o.revealed and rules.moves[o.move].reveal_mask != SELF
                and rules.moves[o.move].reveal_mask & need == need}
    assert {o.ref for o in view.orders} <= revealed
    assert all(o.rationale is None and o.roll is None for o in view.orders)
    for av in view.actors:
        assert av.private_briefing is None and av.resources is None
    assert not any(o.hidden for o in view.objectives)
    assert view.legal == () and view.moves == () and view.injects == () and view.offers == ()


def check_control_view(eng: Engine) -> None:
    """The umpire sees everything: every track exact, every order, the whole log."""
    view = view_for(eng, CONTROL)
    assert all(tv.status == "exact" and tv.value == eng.state.tracks[eng.rules.track(tv.id).idx]
               for tv in view.tracks)
    assert {ov.ref for ov in view.orders} == {o.ref for o in eng.state.orders}
    assert len(view.log) == eng.state.nlog
    assert len(view.objectives) == len(eng.rules.objectives)


# ---------------------------------------------------------------------- the test cases


def machine_for(scenario: str, examples: int, steps: int) -> Any:
    """A TestCase running the machine on ``scenario`` (an id or a path)."""
    machine = type(f"Machine_{Path(scenario).stem.replace('-', '_')}", (EngineMachine,),
                   {"scenario": scenario})
    case = machine.TestCase
    case.settings = settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.filter_too_much])
    return case


def pinned(scenario: str, folder: Path) -> str:
    """A private copy of the scenario file, so edits made to the working tree while the test
    runs (saves check the scenario's digest) cannot disturb it."""
    copy = folder / f"{scenario}.yaml"
    if scenario == "kitchen-sink":
        copy.write_text(KITCHEN_SINK, encoding="utf-8")
    elif scenario in ("intel", "bargain"):
        shutil.copyfile(Path(__file__).parent / "fixtures" / "scenarios" / f"{scenario}.yaml", copy)
    else:
        shutil.copyfile(SCENARIO_DIR / f"{scenario}.yaml", copy)
    return str(copy)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_random_play_keeps_every_invariant(scenario: str, tmp_path: Path) -> None:
    """The machine above, in the normal run (a few seconds per scenario)."""
    machine_for(pinned(scenario, tmp_path), examples=25, steps=70)("runTest").runTest()


@pytest.mark.soak
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_random_play_keeps_every_invariant_soak(scenario: str, tmp_path: Path) -> None:
    """The same machine with many more and longer runs (``pytest -m soak``)."""
    machine_for(pinned(scenario, tmp_path), examples=60, steps=120)("runTest").runTest()
