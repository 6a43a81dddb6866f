"""The rules engine: legal actions, the checked apply, the phase flow, adjudication and effects
(the umpire's actions in :mod:`game.engine.umpire`, effect operations in
:mod:`game.engine.effects`, adjudication kinds in :mod:`game.engine.adjudication`).

An :class:`Engine` pairs shared compiled :class:`~game.engine.rules.Rules` with its own
:class:`~game.engine.state.State`. ``legal_actions`` lists what an actor may do; ``apply`` refuses
anything else with a typed error and leaves the game unchanged; ``clone`` is cheap.

>>> from game.scenario.compile import load_rules
>>> eng = Engine.new(load_rules("tutorial"), seed=1)
>>> eng.phase.id
'orders'
>>> any(a.verb == "mass_troops" for a in eng.legal_actions("NORTH"))
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from game.engine import adjudication as A
from game.engine import effects as E
from game.engine import fog
from game.engine import knowledge as KN
from game.engine import log as L
from game.engine import offers as OF
from game.engine import rng as R
from game.engine import umpire as U
from game.engine import wording as W
from game.engine.actions import CONTROL, EVERYONE, MAX_MESSAGE, PASS, RETRACT, SAY, Action
from game.engine.errors import FlowError, IllegalAction, RuleError, did_you_mean
from game.engine.knowledge import UNKNOWN, TurnKnowledge, draws_needed
from game.engine.log import Kind as K
from game.engine.odds import at_least
from game.engine.rules import (
    SELF,
    Effect,
    Event,
    Expr,
    Move,
    Phase,
    PhaseKind,
    Rules,
    Track,
)
from game.engine.state import Entry, Offer, Order, OrderRoll, Pending, State


class Env:
    """What an expression sees: track values, the turn, the move's parameters (and the offers
    on the table, which the prerequisites of offers and their answers read)."""

    __slots__ = ("tracks", "turn", "params", "offers")

    def __init__(self, tracks: list[float], turn: int, params: Mapping[str, str],
                 offers: tuple[Offer, ...] = ()) -> None:
        self.tracks = tracks
        self.turn = turn
        self.params = params
        self.offers = offers


_NO_PARAMS: Mapping[str, str] = {}
_new_order = tuple.__new__
"""Build an Order from a ready tuple of all its fields, without the named-tuple constructor's
Python call."""


class Engine:
    """One game of one scenario: rules (shared) plus state (owned)."""

    __slots__ = ("rules", "state", "no_dice", "review")

    def __init__(self, rules: Rules, state: State, *, no_dice: bool = False,
                 review: bool = False) -> None:
        self.rules = rules
        self.state = state
        self.no_dice = no_dice or not rules.dice
        self.review = review
        """Adjudication waits for the umpire to go on, so rolls can be overridden before they
        apply (a human white cell wants this; an automatic one does not need it)."""

    # ------------------------------------------------------------------ creation and copies

    @classmethod
    def new(cls, rules: Rules, seed: int = 0, *, no_dice: bool = False,
            review: bool = False) -> Engine:
        """A new game at the start of turn 1, settled to the first phase that waits."""
        bias, rng = KN.initial_bias(rules.estimate_plan, len(rules.actors), R.seed_state(seed))
        s = State.start([t.initial for t in rules.tracks],
                        [r.initial for a in rules.actors for r in a.resources],
                        len(rules.objectives), len(rules.actors), rng, bias)
        eng = cls(rules, s, no_dice=no_dice, review=review)
        eng._start_turn()
        eng._settle(entering=True)
        return eng

    def clone(self) -> Engine:
        """An independent copy that evolves exactly as this game would."""
        return Engine(self.rules, self.state.copy(), no_dice=self.no_dice, review=self.review)

    # ------------------------------------------------------------------ queries

    @property
    def phase(self) -> Phase:
        return self.rules.phases[self.state.phase]

    @property
    def is_over(self) -> bool:
        return self.state.over

    def env(self, params: Mapping[str, str] = _NO_PARAMS) -> Env:
        return Env(self.state.tracks, self.state.turn, params, self.state.offers)

    def value(self, track: str) -> float:
        """True value of a track (umpire's knowledge; views decide what teams see)."""
        return self.state.tracks[self.rules.track_index[track]]

    def resource(self, actor: str, rid: str) -> int:
        return self.state.res[self.rules.res_flat[(self.rules.actor_index[actor], rid)]]

    def actor_scores(self) -> dict[str, float]:
        """Each actor's total score so far."""
        out = {a.id: 0.0 for a in self.rules.actors}
        for o in self.rules.objectives:
            out[self.rules.actors[o.actor].id] += self.state.scores[o.idx]
        return out

    def to_move(self) -> str | None:
        """The first of those the game waits for (the fast question for playouts)."""
        s = self.state
        if s.over:
            return None
        ph = self.rules.phases[s.phase]
        if ph.kind is PhaseKind.ORDERS:
            for a in ph.actors:
                if not s.done >> a & 1:
                    return self.rules.actors[a].id
        return CONTROL

    def waiting_for(self) -> list[str]:
        """Who the current phase waits for (actor ids, or 'control')."""
        s = self.state
        if s.over:
            return []
        ph = self.phase
        out = []
        if ph.kind is PhaseKind.ORDERS:
            if not ph.simultaneous:
                cur = self._current_actor(ph)
                out = [self.rules.actors[cur].id] if cur >= 0 else []
            else:
                out = [self.rules.actors[a].id for a in ph.actors if not s.done >> a & 1]
        needs = (self._waits_for_control(ph) or any(o.needs_ruling for o in s.orders)
                 or any(st == "pending" for _, st in s.queue))
        if needs and not out:
            out.append(CONTROL)
        return out

    # ------------------------------------------------------------------ legal actions

    def legal_actions(self, actor: str) -> list[Action]:
        """Every action ``actor`` (or ``'control'``) may take now; the one source of truth."""
        s = self.state
        if s.over:
            return []
        if actor == CONTROL:
            return U.control_actions(self)
        a = self.rules.actor_index.get(actor)
        if a is None:
            return []
        ph = self.rules.phases[s.phase]
        if ph.kind is not PhaseKind.ORDERS or not ph.actor_mask >> a & 1:
            return []
        out: list[Action] = []
        here = 0  # orders a has given in this phase
        if s.orders:
            retracts = self.rules.retract_actions
            for o in s.orders:
                if o.actor == a and o.phase == ph.idx:
                    here += 1
                    if ph.simultaneous and not o.revealed:
                        r = retracts.get(o.ref)
                        if r is None:
                            r = retracts[o.ref] = Action(actor, RETRACT, (("order", o.ref),))
                        out.append(r)
        if s.done >> a & 1 or (not ph.simultaneous and self._current_actor(ph) != a):
            return out
        if here < ph.max_orders:
            out += self._move_actions(a, ph)
        out.append(self.rules.pass_actions[a])
        return out

    def _move_actions(self, a: int, ph: Phase) -> list[Action]:
        """The legal move actions of actor ``a``, who may give another order (the hot path of
        search and batch runs; ``_blocker`` and ``_unmet`` put its refusals in words: the limits
        are one test, :func:`_limit_hit`; affordability and prerequisites are read from the
        rules' precompiled tables here)."""
        s = self.state
        rules = self.rules
        used, turn = s.used, s.turn
        slot = ph.idx * 64 + a
        lo, hi = rules.res_span[a]
        affordable = (slot, *s.res[lo:hi])  # the actor's resources decide what it can afford
        slots = rules.affordable.get(affordable)
        if slots is None:
            res = s.res
            slots = rules.affordable[affordable] = tuple(
                m for m in rules.move_slots[slot] if all(res[f] >= n for f, n in m[2]))
        env: Env | None = None
        out: list[Action] = []
        mid = ""
        try:
            for (mid, key, _, per_game, per_turn, cooldown, reqs,  # noqa: B007 (mid: below)
                 by_params, actions, params) in slots:
                u = used.get(key)
                if u is not None and _limit_hit(u, per_game, per_turn, cooldown, turn):
                    continue
                if not reqs:
                    out += actions
                    continue
                if env is None:
                    env = Env(s.tracks, turn, params[0], s.offers)
                if by_params:
                    for p, action in zip(params, actions, strict=True):
                        env.params = p
                        for fn in reqs:
                            if not fn(env):
                                break
                        else:
                            out.append(action)
                else:  # the same answer for every parameter combination
                    for fn in reqs:
                        if not fn(env):
                            break
                    else:
                        out += actions
        except Exception as exc:  # an expression failing at run time (e.g. division by zero)
            where = next((f"{m.where}: " for m in rules.moves if m.id == mid), "")
            raise RuleError("rule/expression", f"{where}a prerequisite of '{mid}' failed on "
                                               f"turn {turn}: {exc}") from None
        return out

    def _orders_here(self, a: int) -> int:
        ph = self.state.phase
        return sum(1 for o in self.state.orders if o.actor == a and o.phase == ph)

    def _blocker(self, mv: Move, a: int, here: int) -> str | None:
        """Why ``mv`` is unavailable to actor ``a`` (who has given ``here`` orders in this
        phase) regardless of parameters, or None."""
        s = self.state
        ph = self.rules.phases[s.phase]
        if here >= ph.max_orders:
            return f"has given its {ph.max_orders} order(s) this phase"
        for flat, amount in mv.costs[a]:
            if s.res[flat] < amount:
                res = next(r for r in self.rules.actors[a].resources if r.idx == flat)
                return f"needs {amount} {res.name} (has {s.res[flat]})"
        used = s.used.get(mv.idx * 64 + a)
        hit = 0 if used is None else _limit_hit(used, mv.per_game, mv.per_turn, mv.cooldown,
                                               s.turn)
        if hit == _PER_GAME:
            assert mv.per_game is not None
            return f"may be made {W.times(mv.per_game, 'game')} (already made)"
        if hit == _PER_TURN:
            assert mv.per_turn is not None
            return f"may be made {W.times(mv.per_turn, 'turn')}"
        if hit == _COOLING:
            assert used is not None
            return f"cooling down: last made on turn {used[1]}, again from turn " \
                   f"{used[1] + mv.cooldown + 1}"
        return None

    def _unmet(self, mv: Move, a: int, combo: tuple[tuple[str, str], ...]) -> str | None:
        """The first prerequisite of ``mv`` that does not hold (its source), or None."""
        if not mv.requires:
            return None
        params = dict(combo)
        params["actor"] = self.rules.actors[a].id
        env = Env(self.state.tracks, self.state.turn, params, self.state.offers)
        for req in mv.requires:
            if not self._eval(req, env):
                return req.src
        return None

    def _eval(self, e: Expr, env: Env) -> Any:
        """``e``'s value; a failure (division by zero, a number beyond what a float holds) is a
        RuleError naming the expression, its place in the scenario and the turn."""
        try:
            value = e.fn(env)
        except Exception as exc:  # an expression failing at run time (e.g. division by zero)
            problem = getattr(exc, "problem", exc)  # ExprRuntimeError names the expression too
            raise RuleError("rule/expression", f"{e.where}: expression '{e.src}' failed on "
                                               f"turn {self.state.turn}: {problem}") from None
        if value.__class__ is float and not math.isfinite(value):
            what = "no number (nan)" if value != value else f"a number too big to hold ({value})"
            raise RuleError("rule/expression", f"{e.where}: expression '{e.src}' came to {what} "
                                               f"on turn {self.state.turn}")
        return value

    # ------------------------------------------------------------------ why not

    def why_not(self, action: Action) -> IllegalAction | None:
        """The error the checked apply would raise for ``action``, or None if it is legal."""
        s = self.state
        rules = self.rules
        if s.over:
            return IllegalAction("action/game-over", "the game is over")
        if action.verb == SAY:
            return self._why_not_say(action)
        if action.actor == CONTROL:
            return U.why_not(self, action)
        a = rules.actor_index.get(action.actor)
        if a is None:
            return IllegalAction("action/unknown-actor",
                                 f"'{action.actor}' is not an actor of this scenario "
                                 f"(actors: {', '.join(rules.actor_index)})")
        if action in self.legal_actions(action.actor):
            return None
        ph = self.phase
        who = action.actor
        if ph.kind is not PhaseKind.ORDERS or not ph.actor_mask >> a & 1:
            return IllegalAction("action/wrong-phase",
                                 f"{who} gives no orders in the '{ph.name}' phase")
        if action.verb == RETRACT:
            return IllegalAction("action/bad-retract",
                                 f"{who} has no secret order {action.param('order')} to retract")
        if not ph.simultaneous and self._current_actor(ph) != a:
            cur = self._current_actor(ph)
            return IllegalAction("action/not-your-turn",
                                 f"it is {rules.actors[cur].id}'s turn to give orders, not {who}'s")
        if s.done >> a & 1:
            return IllegalAction("action/already-done",
                                 f"{who} has finished giving orders this phase")
        if action.verb == PASS:
            return IllegalAction("action/illegal", f"{who} cannot pass now")
        return self._why_not_move(action, a, ph)

    def _why_not_move(self, action: Action, a: int, ph: Phase) -> IllegalAction:
        rules = self.rules
        who = action.actor
        mi = rules.move_index.get(action.verb)
        if mi is None:
            names = [m.id for m in rules.moves if m.actor_mask >> a & 1]
            hint = did_you_mean(action.verb, names)
            return IllegalAction("action/unknown-move",
                                 f"'{action.verb}' is not a move of {who}"
                                 + (f"; {hint}" if hint else ""))
        mv = rules.moves[mi]
        if not mv.actor_mask >> a & 1:
            return IllegalAction("action/not-your-move", f"{who} cannot make '{mv.id}'")
        if not mv.phase_mask >> ph.idx & 1:
            return IllegalAction("action/wrong-phase",
                                 f"'{mv.id}' cannot be made in the '{ph.name}' phase")
        given = dict(action.params)
        for pid, choices in mv.params:
            if given.get(pid) not in choices:
                return IllegalAction("action/bad-param",
                                     f"'{mv.id}' needs {pid}= one of {', '.join(choices)}")
        extra = set(given) - {p for p, _ in mv.params}
        if extra:
            return IllegalAction("action/bad-param",
                                 f"'{mv.id}' takes no parameter {', '.join(sorted(extra))}")
        blocker = self._blocker(mv, a, self._orders_here(a))
        if blocker is not None:
            code = "action/cannot-afford" if blocker.startswith("needs") else "action/limit"
            return IllegalAction(code, f"{who} cannot make '{mv.id}' now: {blocker}")
        unmet = self._unmet(mv, a, action.params)
        if unmet is not None:
            return IllegalAction("action/prerequisite",
                                 f"{who} cannot make '{mv.id}' now: needs {unmet} "
                                 f"({self._values_for(unmet, a)})")
        return IllegalAction("action/illegal", f"{who} cannot make '{mv.id}' now")

    def _values_for(self, src: str, a: int) -> str:
        """Current values of the tracks named in ``src``, as actor ``a`` may know them."""
        parts = []
        known = self.state.known[a]
        for t in self.rules.tracks:
            if t.id not in src.replace("(", " ").replace(")", " ").split():
                continue
            k = known[t.idx]
            if k is None:
                parts.append(f"{t.id} is {W.value(t, self.state.tracks[t.idx])}")
            elif k == UNKNOWN:
                parts.append(f"{t.id} is unknown to you")
            else:
                parts.append(f"{t.id} is estimated {W.value(t, k[0])} to {W.value(t, k[1])}")
        return "; ".join(parts) or "not met"

    def _why_not_say(self, action: Action) -> IllegalAction | None:
        """A message: any time, on a channel the scenario allows, 1 to MAX_MESSAGE characters."""
        rules = self.rules
        sender, to = action.actor, action.param("to") or ""
        if {k for k, _ in action.params} != {"to"}:
            return IllegalAction("action/bad-param", "a message takes to=WHO and nothing else")
        if not action.rationale.strip() or len(action.rationale) > MAX_MESSAGE:
            return IllegalAction("action/bad-message",
                                 f"a message is 1 to {MAX_MESSAGE} characters: 'EU: say to=ROK | text'")
        if not (rules.may_write(sender, to) or (sender == CONTROL and to == EVERYONE)):
            return IllegalAction("action/bad-channel",
                                 f"{W.speaker(rules, sender)} cannot write to {W.speaker(rules, to)}")
        return None

    # ------------------------------------------------------------------ apply

    def apply(self, action: Action) -> None:
        """Apply ``action`` if legal; otherwise raise IllegalAction and change nothing."""
        err = self.why_not(action)
        if err is not None:
            raise err
        before = self.state.copy()
        try:
            self._apply(action)
        except Exception:
            self.state = before
            raise

    def _apply(self, action: Action) -> None:
        """Apply a legal action (unchecked: the fast inner path used by search)."""
        if action.verb == SAY:  # a message moves nothing on
            self._say(action)
            return
        if action.actor == CONTROL:
            U.apply(self, action)
        else:
            s = self.state
            a = self.rules.actor_index[action.actor]
            verb = action.verb
            if verb == PASS:
                s.done |= 1 << a
                self._log(K.PASS, 1 << a, -1, L.PASS_KEYS, (action.actor,))
            elif verb == RETRACT:
                self._retract(a, action.param("order") or "")
            else:
                self._submit(a, action)
            mask = self.rules.phases[s.phase].actor_mask
            if s.done & mask != mask:  # others still to give orders: nothing moves on yet
                return
        self._settle()

    def _submit(self, a: int, action: Action) -> None:
        s = self.state
        rules = self.rules
        mv = rules.moves[rules.move_index[action.verb]]
        ph = rules.phases[s.phase]
        for flat, amount in mv.costs[a]:
            s.res[flat] -= amount
        key = mv.idx * 64 + a
        turn = s.turn
        u = s.used.get(key)
        s.used[key] = ((1, turn, 1) if u is None
                       else (u[0] + 1, turn, u[2] + 1 if u[1] == turn else 1))
        seq = s.next_order
        s.next_order = seq + 1
        counts = list(s.order_counts)
        n = counts[a] = counts[a] + 1
        s.order_counts = tuple(counts)
        ref = f"{action.actor}-{n}"  # numbered per actor: others' orders leave no gap
        cause = self._log(K.ORDER, 1 << a, -1, L.ORDER_KEYS,
                          (ref, action.actor, mv.id, action.params, action.rationale))
        revealed = not ph.simultaneous
        if revealed:  # the rationale stays with the team (and the umpire)
            cause = self._log(K.REVEAL, self._mask(mv.reveal_mask, a), cause, L.REVEAL_KEYS,
                              (ref, action.actor, mv.id, action.params))
        here = 1
        for o in s.orders:
            if o.actor == a and o.phase == ph.idx:
                here += 1
        s.orders = (*s.orders, _new_order(Order, (
            seq, a, mv.idx, action.params, action.rationale, turn, ph.idx, revealed, None, None,
            "", cause, False, ref)))
        if here >= ph.max_orders:
            s.done |= 1 << a

    def _retract(self, a: int, ref: str) -> None:
        s = self.state
        order = next(o for o in s.orders if o.ref == ref)
        mv = self.rules.moves[order.move]
        for flat, amount in mv.costs[a]:
            s.res[flat] += amount
        key = mv.idx * 64 + a
        count, last, this_turn = s.used[key]
        if count <= 1:
            del s.used[key]
        else:
            s.used[key] = (count - 1, last, this_turn - 1)
        s.orders = tuple(o for o in s.orders if o.ref != ref)
        s.done &= ~(1 << a)
        self._log(K.RETRACT, 1 << a, -1, L.RETRACT_KEYS, (ref, mv.id))

    def _say(self, action: Action) -> None:
        """Log a message for whoever may read it: both ends of a bilateral, the writer of a
        request for information, every team for an announcement (the umpire reads all)."""
        index = self.rules.actor_index
        sender, to = action.actor, action.param("to") or ""
        if to == EVERYONE:
            mask = self.rules.all_mask
        else:
            mask = sum(1 << index[w] for w in {sender, to} if w in index)
        self._log(K.MESSAGE, mask, -1, L.MESSAGE_KEYS, (sender, to, action.rationale))

    # ------------------------------------------------------------------ dice

    def modifiers(self, mv: Move, a: int, params: tuple[tuple[str, str], ...],
                  *, seen_by: int = 0) -> list[tuple[int, str]]:
        """The modifiers of ``mv`` that apply now, as (value, why); with ``seen_by`` (an actor
        bit), only those whose condition that actor can see."""
        if not mv.modifiers:
            return []
        p = dict(params)
        p["actor"] = self.rules.actors[a].id
        env = Env(self.state.tracks, self.state.turn, p)
        return [(m.value, m.why) for m in mv.modifiers
                if (not seen_by or m.seen_by & seen_by) and self._eval(m.when, env)]

    def has_unseen_modifiers(self, mv: Move, a: int) -> bool:
        """Does some modifier of ``mv`` read a track actor ``a`` cannot see?"""
        return any(not m.seen_by >> a & 1 for m in mv.modifiers)

    def odds(self, action: Action) -> float | None:
        """Probability that ``action`` succeeds if made now, as its actor can reckon it: a
        modifier that reads a track the actor cannot see is left out (None when the umpire
        decides)."""
        mv = self.rules.moves[self.rules.move_index[action.verb]]
        return A.BY_KIND[mv.adj].odds(self, mv, action)

    def _chance(self, mv: Move, action: Action) -> float:
        """The chance a dice roll of ``mv`` reaches its target, with the modifiers that apply
        to ``action`` and that its actor can see."""
        a = self.rules.actor_index[action.actor]
        mod = sum(v for v, _ in self.modifiers(mv, a, action.params, seen_by=1 << a))
        n, sides = mv.dice
        target = mv.target if mv.target is not None else 7
        p = at_least(n, sides, target - mod)
        if self.no_dice:
            return 1.0 if p >= 0.5 else 0.0
        return p

    def _roll(self, mv: Move, o: Order, cause: int,
              extra: tuple[tuple[int, str], ...] = ()) -> tuple[bool, OrderRoll, int]:
        if mv.modifiers or extra:
            mods = (*self.modifiers(mv, o.actor, o.params), *extra)
            total_mod = sum(v for v, _ in mods)
        else:
            mods, total_mod = (), 0
        n, sides = mv.dice
        target = mv.target if mv.target is not None else 7
        p = at_least(n, sides, target - total_mod)
        s = self.state
        dice: tuple[int, ...]
        if self.no_dice:
            ok = p >= 0.5
            dice = ()
            total = 0
        else:
            dice, s.rng = R.roll_dice(s.rng, n, sides)
            total = sum(dice) + total_mod
            ok = total >= target
        roll = OrderRoll(dice, mods, total, target, p)
        kind = L.RollKind.NO_DICE.value if self.no_dice else mv.adj
        audience = self._mask(mv.reveal_mask, o.actor)
        full = audience & fog.roll_audience(mv)
        seq = self._log(K.ROLL, full, cause, L.ROLL_KEYS,
                        (o.ref, kind, dice, mods, total, target, p, ok))
        if audience & ~full:  # the outcome only: the dice would show what a secret added
            self._log(K.ROLL, audience & ~full, cause, L.ROLL_HIDDEN_KEYS,
                      (o.ref, kind, (), True, ok))
        return ok, roll, seq

    # ------------------------------------------------------------------ flow

    def _current_actor(self, ph: Phase) -> int:
        for a in ph.actors:
            if not self.state.done >> a & 1:
                return a
        return -1

    def _waits_for_control(self, ph: Phase) -> bool:
        """Does the phase wait for the umpire to go on? (Review: only if there is something
        to review.)"""
        return ph.wait_for_control or (self.review and ph.kind is PhaseKind.ADJUDICATION
                                       and bool(self.state.orders))

    def _complete(self) -> bool:
        s = self.state
        ph = self.rules.phases[s.phase]
        if self._waits_for_control(ph):
            return False
        if ph.kind is PhaseKind.ORDERS:
            return s.done & ph.actor_mask == ph.actor_mask
        if ph.kind is PhaseKind.ADJUDICATION:
            return not any(o.needs_ruling for o in s.orders)
        if ph.kind is PhaseKind.EVENTS:
            return not any(st == "pending" for _, st in s.queue)
        return True

    def _settle(self, *, entering: bool = False) -> None:
        """Run automatic transitions until a phase waits for someone or the game ends."""
        if entering:
            self._enter()
        guard = 0
        limit = 2 * len(self.rules.phases) + 2
        start_turn = self.state.turn
        s = self.state
        while not s.over and self._complete():
            self._next_phase()
            if s.turn != start_turn:
                start_turn = s.turn
                guard = 0
            guard += 1
            if guard > limit:
                raise FlowError("flow/auto-loop",
                                f"phases keep moving on their own without anything happening "
                                f"(around '{self.phase.id}'): check the 'next' and 'skip_if' "
                                f"of the scenario's phases")

    def _next_phase(self) -> None:
        """Leave the current phase and enter the next (ending the turn after the last)."""
        ph = self.phase
        if ph.kind is PhaseKind.ADJUDICATION:
            self._resolve_orders()
        if self.state.over:
            return
        if ph.next < 0:
            if not self._wrap_turn():
                return
        else:
            self.state.phase = ph.next
        self._enter()

    def _wrap_turn(self) -> bool:
        """End the turn and start the next one at its first phase; False if the game ended."""
        self._end_turn()
        if self.state.over:
            return False
        self.state.phase = 0
        self._start_turn()
        return True

    def _enter(self) -> None:
        s = self.state
        ph = self.phase
        while ph.skip_if is not None and self._eval(ph.skip_if, self.env()):
            self._log(K.SKIP, self.rules.all_mask, -1, L.PHASE_KEYS, (ph.id,))
            if ph.next < 0:
                if not self._wrap_turn():
                    return
            else:
                s.phase = ph.next
            ph = self.phase
        self._log(K.PHASE, self.rules.all_mask, -1, L.PHASE_KEYS, (ph.id,))
        s.done = 0
        if ph.kind is PhaseKind.ADJUDICATION:
            self._reveal_orders()
        elif ph.kind is PhaseKind.EVENTS:
            self._run_events()

    def _start_turn(self) -> None:
        s = self.state
        self._log(K.TURN, self.rules.all_mask, -1, L.TURN_KEYS,
                  (s.turn, self.rules.iso_date_of_turn(s.turn)))
        due = [p for p in s.pending if p.due <= s.turn]
        if due:
            s.pending = tuple(p for p in s.pending if p.due > s.turn)
            for p in due:
                self._apply_effect(self.rules.effects[p.effect], p.actor, p.params, p.cause,
                                   scheduled=True)
        self._estimate()

    def _end_turn(self) -> None:
        s = self.state
        if s.offers:
            OF.lapse(self)
        env = self.env()
        for obj in self.rules.objectives:
            if obj.per_turn is not None:
                self._score(obj.idx, float(self._eval(obj.per_turn, env)))
        if self._check_end():
            return
        for a in self.rules.actors:
            for r in a.resources:
                if r.per_turn:
                    new = s.res[r.idx] + r.per_turn
                    s.res[r.idx] = new if r.max is None else min(new, r.max)
        if s.turn >= self.rules.turns:
            self._finish("last-turn", f"the last turn ({self.rules.turns}) is over")
            return
        s.turn += 1

    def _check_end(self) -> bool:
        env = self.env()
        for cond in self.rules.end:
            if self._eval(cond.when, env):
                self._finish(cond.id, cond.text or cond.when.src)
                return True
        return False

    def _finish(self, reason: str, text: str, share: float = 1.0) -> None:
        """End the game; ``share`` of each objective's end-of-game points is scored (less than
        all when the umpire stops before the last turn: the per-turn points of the turns not
        played are missing too, so neither kind of objective gains by an early stop)."""
        s = self.state
        env = self.env()
        for obj in self.rules.objectives:
            if obj.at_end is not None:
                self._score(obj.idx, share * float(self._eval(obj.at_end, env)))
        s.over = True
        s.end_reason = reason
        scores = tuple(sorted(self.actor_scores().items()))
        self._log(K.END, self.rules.all_mask, -1, L.END_KEYS,
                  (reason, text, scores))

    def _score(self, obj: int, points: float) -> None:
        if not points:
            return
        o = self.rules.objectives[obj]
        self.state.scores[obj] += points
        self._log(K.SCORE, fog.score_audience(self.rules, o), -1, L.SCORE_KEYS,
                  (o.id, self.rules.actors[o.actor].id, points, self.state.scores[obj]))

    # ------------------------------------------------------------------ adjudication

    def _reveal_orders(self) -> None:
        s = self.state
        rules = self.rules
        done: dict[int, Order] = {}
        for o in sorted(s.orders, key=_actor_then_seq):
            mv = rules.moves[o.move]
            cause = o.cause
            if not o.revealed:
                cause = self._log(K.REVEAL, self._mask(mv.reveal_mask, o.actor), cause,
                                  L.REVEAL_KEYS,
                                  (o.ref, rules.actors[o.actor].id, mv.id, o.params))
            o = A.BY_KIND[mv.adj].decide(self, mv, o, cause)
            done[o.seq] = o
        s.orders = tuple(done[o.seq] for o in s.orders)

    def _resolve_orders(self) -> None:
        """Apply the outcomes of the phase's orders: first those every team learns of, then the
        others (each set in actor order). So a hidden order's changes to a public track come
        after every result the room reads, and neither their place among those results nor the
        values those results show tells which order — or which team — caused them (the fog of
        war's rule 4, :mod:`game.engine.fog`)."""
        s = self.state
        rules = self.rules
        orders = sorted(s.orders, key=lambda o: (not self._public_result(o), o.actor, o.seq))
        s.orders = ()
        for o in orders:
            mv = rules.moves[o.move]
            if mv.answers >= 0:  # the offer's terms join its parameters; too late: nothing
                answering = OF.answering(self, o, mv)
                if answering is None:
                    continue
                o = answering
            outcome = mv.outcome(o.outcome or "failure")
            knows = self._mask(mv.reveal_mask, o.actor)
            if outcome is None:  # a dice move without a failure branch: nothing happens
                entry = self._log(K.OUTCOME, knows, o.cause, L.OUTCOME_BARE_KEYS,
                                  (o.ref, rules.actors[o.actor].id, mv.id, o.outcome or "failure", ""))
                if mv.answers >= 0:  # a declining move declines all the same
                    OF.after_outcome(self, o, mv, "failure", entry)
                continue
            told = self._mask(outcome.mask, o.actor)
            entry = self._log(K.OUTCOME, told & knows, o.cause, L.OUTCOME_KEYS,
                              (o.ref, rules.actors[o.actor].id, mv.id, outcome.id, outcome.text, o.ruling))
            if told & ~knows and outcome.text:  # they see what happened, not who did it
                self._log(K.NEWS, told & ~knows, entry, L.NEWS_KEYS, (outcome.text,))
            for eff in outcome.effects:
                self._apply_effect(eff, o.actor, o.params, entry)
            if mv.offer is not None or mv.answers >= 0:
                OF.after_outcome(self, o, mv, outcome.id, entry)
        self._check_end()

    def _public_result(self, o: Order) -> bool:
        """Does every player team learn that ``o`` was made and how it came out?"""
        mv = self.rules.moves[o.move]
        outcome = mv.outcome(o.outcome or "failure")
        told = self._mask(mv.reveal_mask, o.actor)
        if outcome is not None:
            told &= self._mask(outcome.mask, o.actor)
        players = self.rules.player_mask
        return told & players == players

    # ------------------------------------------------------------------ events

    def _run_events(self) -> None:
        s = self.state
        env = self.env()
        for ev in self.rules.events_on_turn(s.turn):
            if ev.once and s.fired >> ev.idx & 1:
                continue
            if s.queue and any(e == ev.idx for e, _ in s.queue):
                continue
            if ev.when is not None and not self._eval(ev.when, env):
                continue
            if ev.chance is not None:
                u, s.rng = R.uniform(s.rng)
                if u >= ev.chance:
                    continue
            self._fire(ev, -1)
        self._check_end()

    def _fire(self, ev: Event, cause: int) -> None:
        s = self.state
        s.fired |= 1 << ev.idx
        if ev.umpire:
            s.queue = (*s.queue, (ev.idx, "pending"))
            self._log(K.INJECT, 0, cause, L.INJECT_KEYS, (ev.id, "queued", ""))
            return
        self._apply_event(ev, cause)

    def _apply_event(self, ev: Event, cause: int) -> None:
        entry = self._log(K.EVENT, self._mask(ev.mask, -1), cause, L.EVENT_KEYS,
                          (ev.id, ev.name, ev.text))
        for eff in ev.effects:
            self._apply_effect(eff, -1, (), entry)

    # ------------------------------------------------------------------ effects

    def _apply_effect(self, eff: Effect, actor: int, params: tuple[tuple[str, str], ...],
                      cause: int, *, scheduled: bool = False) -> None:
        s = self.state
        if not scheduled and (eff.delay or eff.duration > 1):
            first = s.turn + eff.delay
            later = tuple(Pending(t, eff.idx, actor, params, cause)
                          for t in range(first + (0 if eff.delay else 1), first + eff.duration))
            s.pending = (*s.pending, *later)
            if later:
                self._log(K.SCHEDULED, E.BY_OP[eff.op].audience(self.rules, eff, actor), cause,
                          L.SCHEDULED_KEYS, (eff.idx, tuple(p.due for p in later)))
            if eff.delay:
                return
        values = eff.fixed
        if eff.when is not None or values is None:
            p = dict(params)
            if actor >= 0:
                p["actor"] = self.rules.actors[actor].id
            env = Env(s.tracks, s.turn, p)
            if eff.when is not None and not self._eval(eff.when, env):
                return
            if values is None:
                values = tuple(v if isinstance(v, float) else float(self._eval(v, env))
                               for v in eff.values)
        E.BY_OP[eff.op].apply(self, eff, actor, values, cause)

    def _set_track(self, i: int, new: float, cause: int, eff: Effect | None = None) -> None:
        s = self.state
        t: Track = self.rules.tracks[i]
        new = t.lo if new < t.lo else t.hi if new > t.hi else new
        if t.integer:
            new = float(math.floor(new + 0.5))
        old = s.tracks[i]
        if new == old:
            return
        s.tracks[i] = new
        entry = self._log(K.CHANGE, t.known_mask, cause, L.CHANGE_KEYS,
                          (t.id, old, new, eff.idx if eff else L.BY_UMPIRE))
        fire: list[tuple[float, int, int]] | None = None
        for rung in t.thresholds:
            if rung.crossed(old, new):
                seq = self._log(K.THRESHOLD, t.known_mask, entry, L.RUNG_KEYS,
                                (t.id, rung.name, rung.at, new > old))
                ev = rung.on_up if new > old else rung.on_down
                if ev >= 0:
                    fire = [] if fire is None else fire
                    fire.append((rung.at, ev, seq))
        if fire is not None:
            E.fire_rungs(self, fire, new > old)

    def _change_resource(self, eff: Effect, actor: int, amount: int, cause: int) -> None:
        a = actor if eff.actor == SELF else eff.actor
        if a < 0:
            return
        self._add_resource(a, self.rules.res_flat[(a, eff.rid)], amount, cause)

    def _add_resource(self, a: int, flat: int, amount: int, cause: int) -> None:
        """Add ``amount`` to actor ``a``'s resource at ``flat`` (kept within 0..its max), logged."""
        s = self.state
        res = next(r for r in self.rules.actors[a].resources if r.idx == flat)
        old = s.res[flat]
        new = max(0, old + amount)
        if res.max is not None:
            new = min(new, res.max)
        s.res[flat] = new
        self._log(K.RESOURCE, 1 << a, cause, L.RESOURCE_KEYS,
                  (self.rules.actors[a].id, res.id, old, new))

    def _reveal_track(self, eff: Effect, cause: int) -> None:
        s = self.state
        if s._known is None:  # not worked out yet: remember the reveal for when it is
            s.reveals = (*s.reveals, (eff.to_mask, eff.target))
        else:
            known = list(s._known)
            for a in range(len(known)):
                if eff.to_mask >> a & 1:
                    row = list(known[a])
                    row[eff.target] = None
                    known[a] = tuple(row)
            s._known = tuple(known)
        if s.bias or self.rules.estimates_may_miss:
            s.bias, s.corrected = KN.corrected(self.rules.estimate_plan, len(self.rules.actors),
                                               s.bias, s.corrected, eff.to_mask, eff.target)
        t = self.rules.tracks[eff.target]
        self._log(K.INTEL, eff.to_mask, cause, L.INTEL_KEYS, (t.id, s.tracks[t.idx]))

    def _estimate(self) -> None:
        """Fix each actor's knowledge of each track for this turn (and keep it for the debrief).

        An estimate is a range of width ``spread * (1 - quality) * range`` placed at random
        around the truth (leaning as its rule's ``bias`` says, and beside the truth with the
        chance ``miss`` unless corrected since); quality 1 or more means exact, 0 or less
        unknown. The qualities are reckoned now; the ranges are drawn when first asked for
        (:mod:`game.engine.knowledge`)."""
        s = self.state
        plan = self.rules.estimate_plan
        env = self.env()
        seen: dict[str, float] = {}  # scenarios repeat one quality rule over many tracks
        quals = []
        for t, _ in plan:
            row = []
            for rule in t.estimates:
                q = seen.get(rule.quality.src)
                if q is None:
                    q = seen[rule.quality.src] = float(
                        self._eval(rule.quality, env))
                row.append(q)
            quals.append(tuple(row))
        n = len(self.rules.actors)
        bias, exact = (KN.exact_now(plan, tuple(quals), n, s.bias)
                       if s.bias or self.rules.estimates_may_miss else (s.bias, 0))
        k = TurnKnowledge(s.turn, tuple(s.tracks), s.rng, tuple(quals), plan, n, s.bias,
                          s.corrected)
        s.bias, s.corrected = bias, exact
        s.rng = R.skip(s.rng, draws_needed(plan, k._quals))
        s._known = None
        s.reveals = ()
        s.beliefs = (*s.beliefs, k)

    # ------------------------------------------------------------------ log

    def _mask(self, mask: int, actor: int) -> int:
        if mask == SELF:
            return 1 << actor if actor >= 0 else 0
        return mask

    def _log(self, kind: K, mask: int, cause: int, keys: tuple[str, ...],
             values: tuple[Any, ...]) -> int:
        """Record an entry (``keys`` name its ``values``); its seq, for causes to point to."""
        s = self.state
        seq = s.nlog
        s.log = (seq, s.turn, s.phase, kind, mask, cause, keys, values, s.log)
        s.nlog = seq + 1
        return seq

    def entries(self, kinds: Iterable[str] | None = None) -> list[Entry]:
        wanted = set(kinds) if kinds is not None else None
        return [e for e in self.state.entries() if wanted is None or e.kind in wanted]


_PER_GAME, _PER_TURN, _COOLING = 1, 2, 3


def _limit_hit(used: tuple[int, int, int], per_game: int | None, per_turn: int, cooldown: int,
               turn: int) -> int:
    """Which of a move's limits its uses so far (in the game, last turn used, uses in that
    turn) reach on ``turn``: 0 none, else _PER_GAME, _PER_TURN or _COOLING. The one test of
    limits, for the legal actions' hot path and for the words of a refusal."""
    count, last, this_turn = used
    if per_game is not None and count >= per_game:
        return _PER_GAME
    if last == turn and this_turn >= per_turn:
        return _PER_TURN
    if last != turn and cooldown and turn - last <= cooldown:
        return _COOLING
    return 0


def _actor_then_seq(o: Order) -> tuple[int, int]:
    """Orders are revealed and resolved actor by actor, each actor's in the order given."""
    return o.actor, o.seq

