"""Offers: one team puts a proposal on the table, another team's move accepts or declines it.

A move with ``offer`` (see :class:`~game.engine.rules.OfferRule`) is an ordinary order: it is
given, revealed and adjudicated as any other, and its maker pays its cost when giving it. When it
resolves with any outcome but ``failure`` the offer is put on the table (a
:class:`~game.engine.state.Offer` in the state): both the maker and the receiver (and the umpire)
are told, whatever the move's ``reveal_to``. While it is open:

- the receiver may make the moves that answer it (``accepts:`` / ``declines:`` it): ordinary
  moves, in menus and ``legal_actions`` like any other, each with the prerequisite "an open offer
  to you", so a front end or a computer player needs nothing special to answer;
- the maker may not make the same offer again;
- the offer's ``flag`` track, if it has one, is 1 (expressions read it like any flag).

An answer takes effect when it resolves: an accepting move with any outcome but ``failure``
accepts (its outcome's effects are the bargain: both sides' changes, e.g. the maker's resource
through ``actor:``; they may read the offer's parameters, its terms, by their ids), a declining
move declines. Either closes the offer; an answer that resolves
after the offer closed (a second answer given in the same phase) does nothing and its cost is
refunded. An offer not answered by the end of turn ``made + expires`` lapses. On a decline or a
lapse a ``refund: true`` offer gives the maker its move's cost back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from game.engine import log as L
from game.engine.log import Kind as K
from game.engine.log import OfferStatus
from game.engine.rules import Expr, Move
from game.engine.state import Offer, Order

if TYPE_CHECKING:
    from game.engine.core import Engine


def prerequisite(move: int, answers: int, offer_name: str, actors: Mapping[str, int],
                 where: str) -> Expr:
    """The prerequisite of move ``move`` when it makes an offer (``answers`` -1): that no offer
    of it by the same actor is still open; or when it answers the offer of move ``answers``
    (named ``offer_name``): that such an offer is open to the acting actor."""
    fn: Callable[[Any], bool]
    if answers < 0:
        src = "no offer of this move still open"

        def fn(env: Any) -> bool:
            a = actors[env.params["actor"]]
            return not any(o.move == move and o.actor == a for o in env.offers)
    else:
        src = f"an open offer of '{offer_name}' to you"

        def fn(env: Any) -> bool:
            a = actors[env.params["actor"]]
            return any(o.move == answers and o.to == a for o in env.offers)
    return Expr(src, fn, frozenset(), where, frozenset({"actor"}))


def _news(eng: Engine, offer: Offer, status: OfferStatus, cause: int, answer: str = "") -> int:
    rules = eng.rules
    mask = 1 << offer.actor | 1 << offer.to
    return eng._log(K.OFFER, mask, cause, L.OFFER_KEYS,
                    (offer.ref, rules.actors[offer.actor].id, rules.actors[offer.to].id,
                     rules.moves[offer.move].id, offer.params, status.value, offer.until,
                     answer))


def _close(eng: Engine, offer: Offer, status: OfferStatus, cause: int, answer: str = "") -> None:
    """Take ``offer`` off the table: log it, lower its flag, refund the maker if it says so."""
    s = eng.state
    rules = eng.rules
    s.offers = tuple(o for o in s.offers if o.ref != offer.ref)
    entry = _news(eng, offer, status, cause, answer)
    rule = rules.moves[offer.move].offer
    assert rule is not None
    if rule.refund and status is not OfferStatus.ACCEPTED:
        _refund(eng, rules.moves[offer.move], offer.actor, entry)
    if rule.flag >= 0 and not any(o.move == offer.move for o in s.offers):
        eng._set_track(rule.flag, 0.0, entry, rule.lower_flag)


def _refund(eng: Engine, mv: Move, actor: int, cause: int) -> None:
    for flat, amount in mv.costs[actor]:
        if amount:
            eng._add_resource(actor, flat, amount, cause)


def _open_to(state_offers: tuple[Offer, ...], mv: Move, actor: int) -> Offer | None:
    return next((o for o in state_offers if o.move == mv.answers and o.to == actor), None)


def answering(eng: Engine, o: Order, mv: Move) -> Order | None:
    """Before an answer's outcome applies: the answering order with the offer's parameters
    (its terms) added to its own, for its effects to read; or, if the offer it answers is no
    longer open, None, after logging that and refunding the answer's cost."""
    offer = _open_to(eng.state.offers, mv, o.actor)
    if offer is not None:
        return o._replace(params=(*o.params, *offer.params)) if offer.params else o
    rules = eng.rules
    made = rules.moves[mv.answers]
    maker = next(a.idx for a in rules.actors if made.actor_mask >> a.idx & 1)
    entry = eng._log(K.OFFER, 1 << o.actor, o.cause, L.OFFER_KEYS,
                     ("", rules.actors[maker].id, rules.actors[o.actor].id, made.id, (),
                      OfferStatus.CLOSED.value, o.turn, o.ref))
    _refund(eng, mv, o.actor, entry)
    return None


def after_outcome(eng: Engine, o: Order, mv: Move, outcome: str, cause: int) -> None:
    """After an order's outcome applied: an offer move puts its offer on the table, an answer
    closes the offer it answers (a failed acceptance leaves it open)."""
    s = eng.state
    if mv.offer is not None and outcome != "failure":
        until = s.turn + mv.offer.expires
        offer = Offer(o.ref, o.actor, mv.idx, mv.offer.to, o.params, s.turn, until, cause)
        s.offers = (*s.offers, offer)
        entry = _news(eng, offer, OfferStatus.OPEN, cause)
        if mv.offer.flag >= 0:
            eng._set_track(mv.offer.flag, 1.0, entry, mv.offer.raise_flag)
    elif mv.answers >= 0 and (outcome != "failure" or not mv.accepts):
        answered = _open_to(s.offers, mv, o.actor)
        if answered is not None:
            status = OfferStatus.ACCEPTED if mv.accepts else OfferStatus.DECLINED
            _close(eng, answered, status, cause, o.ref)


def lapse(eng: Engine) -> None:
    """At the end of a turn: the offers whose time is up lapse."""
    s = eng.state
    for offer in [o for o in s.offers if o.until <= s.turn]:
        _close(eng, offer, OfferStatus.LAPSED, offer.cause)
