"""The umpire's hand (the white cell): the rulings and inject decisions the game waits for,
and the umpire's checked actions — advance, rule, override, adjust, release/hold/skip an
inject, end the game. :class:`~game.engine.core.Engine` asks here for the umpire's legal
actions, why one is refused, and to apply one; everything it does is logged as the umpire's,
so every screen can mark the umpire's hand."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from game.engine import adjudication as A
from game.engine import log as L
from game.engine import rng as R
from game.engine import wording as W
from game.engine.actions import CONTROL, Action
from game.engine.errors import IllegalAction
from game.engine.log import Kind as K
from game.engine.rules import PhaseKind
from game.engine.state import Order, OrderRoll

if TYPE_CHECKING:
    from game.engine.core import Engine

ADVANCE = Action(CONTROL, "advance")


def control_actions(eng: Engine) -> list[Action]:
    """What the umpire may do now: rule on each order awaiting a ruling, release, hold or skip
    each waiting inject, and advance once nothing blocks it."""
    s = eng.state
    out: list[Action] = []
    for o in s.orders:
        if not o.needs_ruling:
            continue
        mv = eng.rules.moves[o.move]
        out.extend(A.BY_KIND[mv.adj].rulings(mv, o))
    for ev, status in s.queue:
        eid = eng.rules.events[ev].id
        verbs = ("release", "hold", "skip") if status == "pending" else ("release", "skip")
        out.extend(Action(CONTROL, v, (("event", eid),)) for v in verbs)
    if not out or all(a.verb != "rule" for a in out) and not any(
            st == "pending" for _, st in s.queue):
        out.append(ADVANCE)
    return out


def why_not(eng: Engine, action: Action) -> IllegalAction | None:
    """Why the umpire may not take ``action`` now, or None if it may (adjust, override, end
    and a ruling by estimates are checked here; the rest must be among the legal actions)."""
    verb = action.verb
    if verb == "adjust":
        return _check_adjust(eng, action)
    if verb == "end":
        if not action.rationale.strip():
            return IllegalAction("action/reason-required",
                                 "ending the game needs a reason: 'control: end | reason'")
        return None
    if verb == "override":
        return _check_override(eng, action)
    if verb == "rule" and action.param("estimates") is not None:
        return _check_estimates(eng, action)
    if action in control_actions(eng):
        return None
    if verb == "advance":
        return IllegalAction("action/ruling-pending",
                             "the umpire must rule on pending orders and injects first")
    if verb in ("release", "hold", "skip"):
        return IllegalAction("action/no-such-inject",
                             f"no inject '{action.param('event')}' is waiting for the umpire")
    if verb == "rule":
        return IllegalAction("action/no-ruling-needed",
                             f"order {action.param('order')} does not await a ruling of "
                             "that kind (matrix: strength=-2..2; umpire: outcome=<id>)")
    return IllegalAction("action/unknown-verb", f"the umpire has no action '{verb}'")


def _order(eng: Engine, action: Action) -> Order | None:
    ref = action.param("order")
    for o in eng.state.orders:
        if o.ref == ref:
            return o
    return None


def _check_adjust(eng: Engine, action: Action) -> IllegalAction | None:
    t = eng.rules.track_index.get(action.param("track") or "")
    if t is None:
        return IllegalAction("action/unknown-track", f"no track '{action.param('track')}'")
    try:
        value = float(action.param("value") or "")
    except ValueError:
        return IllegalAction("action/bad-param", "adjust needs value=<number>")
    track = eng.rules.tracks[t]
    if not track.lo <= value <= track.hi or math.isnan(value):
        return IllegalAction("action/out-of-range",
                             f"{track.id} runs from {W.value(track, track.lo)} to "
                             f"{W.value(track, track.hi)}")
    if not action.rationale.strip():
        return IllegalAction("action/reason-required",
                             "an adjustment needs a reason: '... | reason'")
    return None


def _check_override(eng: Engine, action: Action) -> IllegalAction | None:
    o = _order(eng, action)
    if eng.phase.kind is not PhaseKind.ADJUDICATION:
        return IllegalAction("action/wrong-phase",
                             "outcomes are overridden during adjudication, before they apply")
    if o is None or not o.revealed:
        return IllegalAction("action/no-such-order",
                             f"no revealed order {action.param('order')} awaits resolution")
    mv = eng.rules.moves[o.move]
    if mv.outcome(action.param("outcome") or "") is None:
        return IllegalAction("action/bad-param",
                             f"outcome must be one of {', '.join(x.id for x in mv.outcomes)}")
    if not action.rationale.strip():
        return IllegalAction("action/reason-required",
                             "an override needs a reason: '... | reason'")
    return None


def _check_estimates(eng: Engine, action: Action) -> IllegalAction | None:
    o = _order(eng, action)
    if o is None or not o.needs_ruling or not A.BY_KIND[eng.rules.moves[o.move].adj].argued:
        return IllegalAction("action/no-ruling-needed",
                             f"order {action.param('order')} is not a matrix argument "
                             "awaiting a ruling")
    try:
        values = [float(x) for x in (action.param("estimates") or "").split("/")]
    except ValueError:
        values = []
    if not values or not all(0 <= v <= 1 for v in values):
        return IllegalAction("action/bad-param",
                             "estimates are probabilities 0..1 separated by '/', e.g. "
                             "estimates=0.6/0.4/0.7")
    return None



def apply(eng: Engine, action: Action) -> None:
    """Apply the umpire's legal ``action`` (checked by :func:`why_not`), logged as the umpire's."""
    verb = action.verb
    s = eng.state
    if verb == "advance":
        eng._log(K.ADVANCE, eng.rules.all_mask, -1, L.ADVANCE_KEYS, (action.rationale,))
        ph = eng.phase
        if ph.kind is PhaseKind.ORDERS:
            s.done |= ph.actor_mask
        eng._next_phase()
    elif verb in ("release", "hold", "skip"):
        _decide_inject(eng, verb, action)
    elif verb == "rule":
        _rule(eng, action)
    elif verb == "override":
        o = _order(eng, action)
        assert o is not None
        outcome = action.param("outcome") or ""
        cause = eng._log(K.OVERRIDE, 0, o.cause, L.OVERRIDE_KEYS,
                          (o.ref, o.outcome, outcome, action.rationale))
        _replace_order(eng, o._replace(outcome=outcome, cause=cause,
                                       ruling=L.OVERRIDDEN + action.rationale))
    elif verb == "end":  # the turns not played weigh nothing: end-of-game points scale
        played, turns = eng.state.turn - 1, eng.rules.turns
        eng._finish("umpire", f"the umpire ended the game: {action.rationale} (end-of-game "
                               f"points count for the {played} of {turns} turns played)",
                     played / turns)
    elif verb == "adjust":
        t = eng.rules.track_index[action.param("track") or ""]
        cause = eng._log(K.ADJUST, 0, -1, L.ADJUST_KEYS,
                          (eng.rules.tracks[t].id, float(action.param("value") or 0), action.rationale))
        eng._set_track(t, float(action.param("value") or 0), cause)


def _replace_order(eng: Engine, new: Order) -> None:
    eng.state.orders = tuple(new if o.seq == new.seq else o for o in eng.state.orders)


def _decide_inject(eng: Engine, verb: str, action: Action) -> None:
    s = eng.state
    ev = eng.rules.event_index[action.param("event") or ""]
    entry = eng._log(K.INJECT, 0, -1, L.INJECT_KEYS,
                      (eng.rules.events[ev].id, verb, action.rationale))
    if verb == "hold":
        s.queue = tuple((e, "held" if e == ev else st) for e, st in s.queue)
        return
    s.queue = tuple((e, st) for e, st in s.queue if e != ev)
    if verb == "release":
        eng._apply_event(eng.rules.events[ev], entry)


def _rule(eng: Engine, action: Action) -> None:
    o = _order(eng, action)
    assert o is not None
    mv = eng.rules.moves[o.move]
    reason = action.rationale
    if action.param("outcome") is not None:
        outcome = action.param("outcome") or ""
        cause = eng._log(K.RULING, 0, o.cause, L.RULING_OUTCOME_KEYS,
                          (o.ref, outcome, reason))
        _replace_order(eng, o._replace(outcome=outcome, cause=cause,
                                       ruling=(L.RULED + reason).strip()))
        return
    estimates = action.param("estimates")
    if estimates is not None:
        values = tuple(float(x) for x in estimates.split("/"))
        p = sum(values) / len(values)
        cause = eng._log(K.RULING, 0, o.cause, L.RULING_ESTIMATES_KEYS,
                          (o.ref, values, reason))
        if eng.no_dice:
            ok = p >= 0.5
            roll = OrderRoll((), (), p, 0.5, p)
        else:
            u, eng.state.rng = R.uniform(eng.state.rng)
            ok = u < p
            roll = OrderRoll((round(u, 4),), (), round(u, 4), p, p)
        cause = eng._log(K.ROLL, eng._mask(mv.reveal_mask, o.actor), cause,
                          L.ROLL_ESTIMATE_KEYS, (o.ref, L.RollKind.ESTIMATE.value, p, roll[2], ok))
        _replace_order(eng, o._replace(outcome="success" if ok else "failure", roll=roll,
                                       ruling=f"estimates {estimates}", cause=cause))
        return
    strength = int(action.param("strength") or 0)
    cause = eng._log(K.RULING, 0, o.cause, L.RULING_STRENGTH_KEYS,
                      (o.ref, strength, reason))
    ok, roll, cause = eng._roll(mv, o, cause,
                                 extra=((strength, "umpire: strength of argument"),))
    _replace_order(eng, o._replace(outcome="success" if ok else "failure", roll=roll,
                                   ruling=f"strength {strength:+d}", cause=cause))
