"""The event log's vocabulary, declared once: every kind of entry with its payload, what it
is to the screens (a headline? room news? the umpire's hand? which track?) and its sentence.

The engine records an entry as its kind, a shared tuple of keys and a tuple of values (cheap on
the hot path); :func:`payload` turns them into the kind's named payload, and :func:`describe`
into a sentence in names, never ids. Front ends ask :func:`spec` about a kind; they keep no list
of kinds of their own and never read a sentence back.

>>> from game.scenario.compile import load_rules
>>> from game.engine.core import Engine
>>> eng = Engine.new(load_rules("tutorial"), seed=1)
>>> first = eng.state.entries()[0]
>>> first.kind is Kind.TURN, payload(first).date
(True, '2025-01-01')
>>> describe(eng.rules, first)
'Turn 1 begins (2025-01-01).'
>>> spec(Kind.OUTCOME).room, spec(Kind.ORDER).room
(True, False)
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from game.engine import wording as W
from game.engine.rules import Rules


class Kind(enum.StrEnum):
    """What a log entry records. Its value is the text saves and digests have always used."""

    TURN = "turn"
    PHASE = "phase"
    SKIP = "skip"
    PASS = "pass"
    ORDER = "order"
    RETRACT = "retract"
    REVEAL = "reveal"
    NEWS = "news"
    ROLL = "roll"
    RULING = "ruling"
    OVERRIDE = "override"
    ADVANCE = "advance"
    ADJUST = "adjust"
    OUTCOME = "outcome"
    CHANGE = "change"
    THRESHOLD = "threshold"
    RESOURCE = "resource"
    INTEL = "intel"
    SCHEDULED = "scheduled"
    EVENT = "event"
    INJECT = "inject"
    SCORE = "score"
    END = "end"
    MESSAGE = "message"
    OFFER = "offer"

    def __repr__(self) -> str:  # the log's canonical text (and so its digest) shows the value
        return repr(self.value)


# ---------------------------------------------------------------- payloads


class Turn(NamedTuple):
    turn: int
    date: str


class PhaseEntered(NamedTuple):
    phase: str


class Passed(NamedTuple):
    actor: str


class OrderGiven(NamedTuple):
    order: str
    actor: str
    move: str
    params: tuple[tuple[str, str], ...]
    rationale: str


class Retracted(NamedTuple):
    order: str
    move: str


class Revealed(NamedTuple):
    order: str
    actor: str
    move: str
    params: tuple[tuple[str, str], ...]


class News(NamedTuple):
    text: str


class RollKind(enum.StrEnum):
    """How an order was decided by chance."""

    DICE = "dice"
    MATRIX = "matrix"
    NO_DICE = "no-dice"
    ESTIMATE = "estimate"


class Modifier(NamedTuple):
    value: int
    why: str


class Roll(NamedTuple):
    """A roll (or a draw against the players' averaged estimates) and its result. ``hidden``:
    a factor the viewer cannot see bore on it, so the viewer sees the result only."""

    order: str
    kind: str
    success: bool
    dice: tuple[int, ...] = ()
    modifiers: tuple[Modifier, ...] = ()
    total: float = 0
    target: float = 0
    p: float = 0.0
    hidden: bool = False
    drawn: float = 0.0


class Ruling(NamedTuple):
    """The umpire's ruling on an order: an outcome, a matrix strength or the teams' estimates."""

    order: str
    reason: str
    outcome: str | None = None
    strength: int | None = None
    estimates: tuple[float, ...] | None = None


class Override(NamedTuple):
    order: str
    was: str | None
    to: str
    reason: str


class Advance(NamedTuple):
    reason: str


class Message(NamedTuple):
    sender: str
    to: str
    text: str


class Adjust(NamedTuple):
    track: str
    value: float
    reason: str


class Outcome(NamedTuple):
    order: str
    actor: str
    move: str
    outcome: str
    text: str
    ruling: str = ""


class Change(NamedTuple):
    """A track changed; ``effect`` is the scenario effect behind it, or :data:`BY_UMPIRE`."""

    track: str
    old: float
    new: float
    effect: int


class Rung(NamedTuple):
    track: str
    rung: str
    at: float
    up: bool


class ResourceChange(NamedTuple):
    actor: str
    resource: str
    old: int
    new: int


class Intel(NamedTuple):
    track: str
    value: float


class Scheduled(NamedTuple):
    effect: int
    turns: tuple[int, ...]


class EventFired(NamedTuple):
    event: str
    name: str
    text: str


class Inject(NamedTuple):
    event: str
    status: str
    """'queued', then the umpire's 'release', 'hold' or 'skip'."""
    reason: str


class Score(NamedTuple):
    objective: str
    actor: str
    points: float
    total: float


class End(NamedTuple):
    reason: str
    text: str
    scores: tuple[tuple[str, float], ...]


class OfferStatus(enum.StrEnum):
    """What became of an offer (see :mod:`game.engine.offers`)."""

    OPEN = "open"
    """Put on the table."""
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"
    """Not answered in time."""
    CLOSED = "closed"
    """An answer came when it was no longer open (answered already, or lapsed)."""


class OfferNews(NamedTuple):
    """An offer put on the table, answered or lapsed: ``order`` made it, ``answer`` is the
    order that answered it ('' for none), ``until`` the last turn it is open in."""

    order: str
    actor: str
    to: str
    move: str
    params: tuple[tuple[str, str], ...]
    status: str
    until: int
    answer: str = ""


class OrderRef(NamedTuple):
    """Who gave an order and what it was: what people are told instead of its ref."""

    actor: str
    move: str
    params: tuple[tuple[str, str], ...]


Orders = Mapping[str, OrderRef]
"""An order's ref -> who gave it and what it was (see :func:`order_book`)."""


BY_UMPIRE = -1
"""The ``effect`` of a change the umpire made by hand (an adjustment)."""
OVERRIDDEN = "overridden: "
"""How an order's ruling starts when the umpire overrode its outcome (then the reason)."""
RULED = "umpire: "
"""How it starts when the umpire ruled its outcome."""


# ---------------------------------------------------------------- the keys each call site logs
# An entry's keys name its values; each is a shared constant, checked against the payload below.

TURN_KEYS = ("turn", "date")
PHASE_KEYS = ("phase",)
PASS_KEYS = ("actor",)
ORDER_KEYS = ("order", "actor", "move", "params", "rationale")
RETRACT_KEYS = ("order", "move")
REVEAL_KEYS = ("order", "actor", "move", "params")
NEWS_KEYS = ("text",)
ROLL_KEYS = ("order", "kind", "dice", "modifiers", "total", "target", "p", "success")
ROLL_HIDDEN_KEYS = ("order", "kind", "dice", "hidden", "success")
ROLL_ESTIMATE_KEYS = ("order", "kind", "p", "drawn", "success")
RULING_OUTCOME_KEYS = ("order", "outcome", "reason")
RULING_STRENGTH_KEYS = ("order", "strength", "reason")
RULING_ESTIMATES_KEYS = ("order", "estimates", "reason")
OVERRIDE_KEYS = ("order", "from", "to", "reason")
ADVANCE_KEYS = ("reason",)
ADJUST_KEYS = ("track", "value", "reason")
MESSAGE_KEYS = ("sender", "to", "text")
OUTCOME_KEYS = ("order", "actor", "move", "outcome", "text", "ruling")
OUTCOME_BARE_KEYS = ("order", "actor", "move", "outcome", "text")
CHANGE_KEYS = ("track", "old", "new", "effect")
RUNG_KEYS = ("track", "rung", "at", "up")
RESOURCE_KEYS = ("actor", "resource", "old", "new")
INTEL_KEYS = ("track", "value")
SCHEDULED_KEYS = ("effect", "turns")
EVENT_KEYS = ("event", "name", "text")
INJECT_KEYS = ("event", "status", "reason")
SCORE_KEYS = ("objective", "actor", "points", "total")
END_KEYS = ("reason", "text", "scores")
OFFER_KEYS = ("order", "actor", "to", "move", "params", "status", "until", "answer")

_RENAMED = {"from": "was"}
"""Keys the log has always used that are not Python names: key -> payload field."""


# ---------------------------------------------------------------- sentences


def _turn(rules: Rules, p: Turn, orders: Orders) -> str:
    return f"Turn {p.turn} begins ({p.date})."


def _phase(rules: Rules, p: PhaseEntered, orders: Orders) -> str:
    return f"Phase: {W.phase_name(rules, p.phase)}."


def _skip(rules: Rules, p: PhaseEntered, orders: Orders) -> str:
    return f"Phase skipped: {W.phase_name(rules, p.phase)}."


def _pass(rules: Rules, p: Passed, orders: Orders) -> str:
    return f"{W.actor_name(rules, p.actor)} has finished giving orders."


def order_name(rules: Rules, orders: Orders, ref: str) -> str:
    """An order as people know it: 'European Union — Sanctions listings'; without the order in
    ``orders``, 'European Union's order no. 3' (never its ref, 'EU-3').

    >>> from game.scenario.compile import load_rules
    >>> rules = load_rules("tutorial")
    >>> order_name(rules, {"SOUTH-1": OrderRef("SOUTH", "mediate", ())}, "SOUTH-1")
    'Southland — Mediate talks'
    >>> order_name(rules, {}, "SOUTH-2")
    "Southland's order no. 2"
    """
    o = orders.get(ref)
    if o is not None:
        return f"{W.actor_name(rules, o.actor)} — {W.move_name(rules, o.move)}"
    actor, _, n = ref.rpartition("-")
    return f"{W.actor_name(rules, actor)}'s order no. {n}"


def _outcome_of(rules: Rules, orders: Orders, ref: str, oid: str | None) -> str:
    """The scenario's name of outcome ``oid`` of order ``ref`` ('undecided' for none)."""
    if not oid:
        return "undecided"
    o = orders.get(ref)
    return W.outcome_name(rules, o.move, oid) if o is not None else oid


def _order(rules: Rules, p: OrderGiven, orders: Orders) -> str:
    why = f' — "{p.rationale}"' if p.rationale else ""
    return (f"{W.actor_name(rules, p.actor)} gives an order: "
            f"{W.move_with_choices(rules, p.move, p.params)}{why}.")


def _retract(rules: Rules, p: Retracted, orders: Orders) -> str:
    actor = p.order.rpartition("-")[0]
    return f"{W.actor_name(rules, actor)} retracts the order {W.move_name(rules, p.move)}."


def _reveal(rules: Rules, p: Revealed, orders: Orders) -> str:
    return f"{W.actor_name(rules, p.actor)}: {W.move_with_choices(rules, p.move, p.params)}."


def _news(rules: Rules, p: News, orders: Orders) -> str:
    return f"NEWS — {p.text}"


def roll_sentence(p: Roll, order: str, result: str = "") -> str:
    """A roll in words (the log's sentence and every screen's); ``order`` names the order
    (:func:`order_name`), ``result`` the outcome the roll gave by its scenario name ('Success';
    'success' or 'failure' when the order is not known)."""
    result = result or W.success(p.success)
    if p.kind == RollKind.ESTIMATE:
        return (f"{order}: the teams' estimates average {W.odds(p.p)}, drawn "
                f"{W.number(p.drawn, 2)} → {result}.")
    if p.hidden:  # the outcome only (game.engine.fog, rule 2)
        return f"{order}: decided with factors you cannot see → {result}."
    if p.kind == RollKind.NO_DICE:
        return (f"{order}: no dice — odds {W.odds(p.p)}, so the most likely outcome: "
                f"{result}.")
    mods = "".join(f" {m[0]:+d} ({m[1]})" for m in p.modifiers)
    dice = "+".join(str(x) for x in p.dice)
    return (f"{order}: rolled {dice}{mods} = {W.number(p.total)} vs "
            f"{W.number(p.target)} (odds {W.odds(p.p)}) → {result}.")


def _roll(rules: Rules, p: Roll, orders: Orders) -> str:
    """The roll and the outcome it gave, by the outcome's name as the outcome line and an
    override say it ('→ Failure', then 'Failure → Success' when the umpire overrides it;
    the id 'failure' beside the name read as two different things in the room)."""
    o = orders.get(p.order)
    result = _outcome_of(rules, orders, p.order, W.success(p.success)) if o is not None else ""
    return roll_sentence(p, order_name(rules, orders, p.order), result)


def _ruling(rules: Rules, p: Ruling, orders: Orders) -> str:
    if p.outcome is not None:
        what = _outcome_of(rules, orders, p.order, p.outcome)
    elif p.strength is not None:
        what = f"argument strength {p.strength:+d}"
    else:
        what = "the teams' estimates " + "/".join(W.odds(x) for x in p.estimates or ())
    reason = f" — {p.reason}" if p.reason else ""
    return f"Umpire ruled on {order_name(rules, orders, p.order)}: {what}{reason}."


def _override(rules: Rules, p: Override, orders: Orders) -> str:
    was = _outcome_of(rules, orders, p.order, p.was)
    to = _outcome_of(rules, orders, p.order, p.to)
    reason = f" — {p.reason}" if p.reason else ""
    return (f"{order_name(rules, orders, p.order)} overridden by the umpire: "
            f"{was} → {to}{reason}.")


def _advance(rules: Rules, p: Advance, orders: Orders) -> str:
    return "The umpire moves the game on."


def _message(rules: Rules, p: Message, orders: Orders) -> str:
    said = f"{W.speaker(rules, p.sender)} to {W.speaker(rules, p.to)}: “{p.text}”"
    return said[0].upper() + said[1:]


def _adjust(rules: Rules, p: Adjust, orders: Orders) -> str:
    return (f"Umpire sets {W.track_name(rules, p.track)} to "
            f"{W.track_value(rules, p.track, p.value)} — {p.reason}.")


def attribution(ruling: str, *, reason: bool = True) -> str:
    """Who decided an order's outcome, for people: '' when the rules did (dice, automatic).
    Teams and the room are told that the umpire decided, not why (``reason=False``): the
    umpire's reasons stay with the umpire and the debrief.

    >>> attribution("overridden: the intelligence was stale")
    'overridden by the umpire — the intelligence was stale'
    >>> attribution("overridden: the intelligence was stale", reason=False)
    'overridden by the umpire'
    >>> attribution("umpire: the cables settle it")
    'ruled by the umpire — the cables settle it'
    >>> attribution("strength +1")
    'the umpire ruled the argument strength +1'
    """
    if ruling.startswith(OVERRIDDEN):
        why = ruling.removeprefix(OVERRIDDEN)
        return "overridden by the umpire" + (f" — {why}" if why and reason else "")
    if ruling.startswith(RULED.strip()):
        why = ruling.removeprefix(RULED.strip()).strip()
        return "ruled by the umpire" + (f" — {why}" if why and reason else "")
    if ruling.startswith("strength"):
        return f"the umpire ruled the argument {ruling}"
    if ruling.startswith("estimates"):
        return "decided on the teams' estimates"
    return ""


def _outcome(rules: Rules, p: Outcome, orders: Orders) -> str:
    text = f" {p.text}" if p.text else ""
    who = attribution(p.ruling, reason=False)
    hand = f" [{who}]" if who else ""
    return (f"{W.actor_name(rules, p.actor)} — {W.move_name(rules, p.move)}: "
            f"{W.outcome_name(rules, p.move, p.outcome)}{hand}.{text}")


def _change(rules: Rules, p: Change, orders: Orders) -> str:
    i = rules.track_index.get(p.track)
    flag = i is not None and rules.tracks[i].is_flag
    arrow = ":" if flag else " ▲" if p.new > p.old else " ▼"
    hand = " [set by the umpire]" if p.effect == BY_UMPIRE else ""
    return (f"{W.track_name(rules, p.track)}{arrow} {W.track_value(rules, p.track, p.old)} → "
            f"{W.track_value(rules, p.track, p.new)}{W.track_unit(rules, p.track)}{hand}.")


def _rung(rules: Rules, p: Rung, orders: Orders) -> str:
    i = rules.track_index.get(p.track)
    falling = i is not None and any(th.falling and th.name == p.rung
                                    for th in rules.tracks[i].thresholds)
    way = ("falls to" if not p.up else "recovers from") if falling else \
          ("reaches" if p.up else "falls back below")
    where = "" if W.is_ladder(rules, p.track) else \
        f" ({W.track_value(rules, p.track, p.at)}{W.track_unit(rules, p.track)})"
    return f"{W.track_name(rules, p.track)} {way} '{p.rung}'{where}."


def _resource(rules: Rules, p: ResourceChange, orders: Orders) -> str:
    return (f"{W.actor_name(rules, p.actor)} {W.resource_name(rules, p.actor, p.resource)}: "
            f"{p.old} → {p.new}.")


def _intel(rules: Rules, p: Intel, orders: Orders) -> str:
    return (f"Intelligence: {W.track_name(rules, p.track)} is "
            f"{W.track_value(rules, p.track, p.value)}{W.track_unit(rules, p.track)}.")


def _scheduled(rules: Rules, p: Scheduled, orders: Orders) -> str:
    turns = ", ".join(str(t) for t in p.turns)
    return f"Effect scheduled for turn {turns}."


def _event(rules: Rules, p: EventFired, orders: Orders) -> str:
    return f"EVENT — {p.name}: {p.text}"


_INJECT_WORDS = {"queued": "waits for the umpire", "release": "released by the umpire",
                 "hold": "held by the umpire", "skip": "skipped by the umpire"}


def _inject(rules: Rules, p: Inject, orders: Orders) -> str:
    reason = f" — {p.reason}" if p.reason else ""
    return (f"Inject '{W.event_name(rules, p.event)}' "
            f"{_INJECT_WORDS.get(p.status, p.status)}{reason}.")


def _score(rules: Rules, p: Score, orders: Orders) -> str:
    return (f"{W.actor_name(rules, p.actor)} scores {W.score(rules, p.points)} "
            f"({W.objective_name(rules, p.objective)}), total {W.score(rules, p.total)}.")


def _end(rules: Rules, p: End, orders: Orders) -> str:
    shown = rules.scored()  # the teams (not an umpire's actor without objectives)
    scores = ", ".join(f"{W.actor_name(rules, a)} {W.score(rules, s)}" for a, s in p.scores
                       if a in shown)
    return f"GAME OVER — {W.sentence(p.text)} Scores: {scores}."


def _offer(rules: Rules, p: OfferNews, orders: Orders) -> str:
    maker, to = W.actor_name(rules, p.actor), W.actor_name(rules, p.to)
    what = W.move_with_choices(rules, p.move, p.params)
    if p.status == OfferStatus.OPEN:
        return f"{maker} offers {to}: {what} — open until the end of turn {p.until}."
    if p.status in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
        verb = "accepts" if p.status == OfferStatus.ACCEPTED else "declines"
        return f"{to} {verb} the offer of {maker}: {what}."
    if p.status == OfferStatus.LAPSED:
        return f"The offer of {maker} to {to} lapses unanswered: {what}."
    return (f"{to} answers too late: the offer of {maker} ({what}) is no longer open, so "
            "the answer does nothing.")


# ---------------------------------------------------------------- the table


@dataclass(frozen=True, slots=True)
class KindSpec:
    """Everything about one log kind. Flags say what the entry is to the screens:

    ``headline``: worth showing among a turn's results; ``room``: news for the room (the
    projector's strip); ``umpire``: the umpire's hand (marked wherever shown); ``popup``: shown as
    a pop-up when it arrives; ``strong``: set in bold; ``track``: the payload field naming the
    track it is about, if any; ``mark``: the word a log line starts with (no colour needed)."""

    kind: Kind
    payload: type[Any]
    describe: Callable[[Rules, Any, Orders], str]
    mark: str = ""
    headline: bool = False
    room: bool = False
    umpire: bool = False
    popup: bool = False
    strong: bool = False
    track: str | None = None
    keys: tuple[tuple[str, ...], ...] = ()
    """Every key tuple the engine logs this kind with (checked against the payload)."""


_SPECS = (
    KindSpec(Kind.TURN, Turn, _turn, "TURN", strong=True, keys=(TURN_KEYS,)),
    KindSpec(Kind.PHASE, PhaseEntered, _phase, keys=(PHASE_KEYS,)),
    KindSpec(Kind.SKIP, PhaseEntered, _skip, keys=(PHASE_KEYS,)),
    KindSpec(Kind.PASS, Passed, _pass, keys=(PASS_KEYS,)),
    KindSpec(Kind.ORDER, OrderGiven, _order, "ORDER", keys=(ORDER_KEYS,)),
    KindSpec(Kind.RETRACT, Retracted, _retract, "ORDER", keys=(RETRACT_KEYS,)),
    KindSpec(Kind.REVEAL, Revealed, _reveal, "ORDER", headline=True, keys=(REVEAL_KEYS,)),
    KindSpec(Kind.NEWS, News, _news, "NEWS", headline=True, room=True,
             keys=(NEWS_KEYS,)),
    KindSpec(Kind.ROLL, Roll, _roll, "ROLL", headline=True,
             keys=(ROLL_KEYS, ROLL_HIDDEN_KEYS, ROLL_ESTIMATE_KEYS)),
    KindSpec(Kind.RULING, Ruling, _ruling, "UMPIRE", headline=True, umpire=True,
             keys=(RULING_OUTCOME_KEYS, RULING_STRENGTH_KEYS, RULING_ESTIMATES_KEYS)),
    KindSpec(Kind.OVERRIDE, Override, _override, "UMPIRE", headline=True, umpire=True,
             keys=(OVERRIDE_KEYS,)),
    KindSpec(Kind.ADVANCE, Advance, _advance, "UMPIRE", umpire=True, keys=(ADVANCE_KEYS,)),
    KindSpec(Kind.ADJUST, Adjust, _adjust, "UMPIRE", headline=True, umpire=True,
             track="track", keys=(ADJUST_KEYS,)),
    KindSpec(Kind.MESSAGE, Message, _message, "MESSAGE", keys=(MESSAGE_KEYS,)),
    KindSpec(Kind.OUTCOME, Outcome, _outcome, "RESULT", headline=True, room=True,
             keys=(OUTCOME_KEYS, OUTCOME_BARE_KEYS)),
    KindSpec(Kind.CHANGE, Change, _change, "CHANGE", headline=True, room=True, track="track",
             keys=(CHANGE_KEYS,)),
    KindSpec(Kind.THRESHOLD, Rung, _rung, "RUNG", headline=True, room=True, strong=True,
             track="track", keys=(RUNG_KEYS,)),
    KindSpec(Kind.RESOURCE, ResourceChange, _resource, "COST", keys=(RESOURCE_KEYS,)),
    KindSpec(Kind.INTEL, Intel, _intel, "INTEL", headline=True, track="track",
             keys=(INTEL_KEYS,)),
    KindSpec(Kind.SCHEDULED, Scheduled, _scheduled, keys=(SCHEDULED_KEYS,)),
    KindSpec(Kind.EVENT, EventFired, _event, "EVENT", headline=True, room=True, popup=True,
             strong=True, keys=(EVENT_KEYS,)),
    KindSpec(Kind.INJECT, Inject, _inject, "INJECT", headline=True, umpire=True,
             keys=(INJECT_KEYS,)),
    KindSpec(Kind.SCORE, Score, _score, "SCORE", keys=(SCORE_KEYS,)),
    KindSpec(Kind.OFFER, OfferNews, _offer, "OFFER", headline=True, keys=(OFFER_KEYS,)),
    KindSpec(Kind.END, End, _end, "END", headline=True, room=True, popup=True, strong=True,
             keys=(END_KEYS,)),
)
SPECS: dict[Kind, KindSpec] = {s.kind: s for s in _SPECS}


def _check_table() -> None:
    """Every kind is declared once, and every key tuple names fields of its payload."""
    assert set(SPECS) == set(Kind), set(Kind) - set(SPECS)
    for s in _SPECS:
        fields = set(s.payload._fields)
        for keys in s.keys:
            assert {_RENAMED.get(k, k) for k in keys} <= fields, (s.kind, keys)


_check_table()


def spec(kind: str) -> KindSpec:
    """The declaration of a log kind (given as a :class:`Kind` or its text)."""
    return SPECS[Kind(kind)]


def kinds(*, where: Callable[[KindSpec], bool]) -> frozenset[Kind]:
    """The kinds whose declaration satisfies ``where``, e.g. ``kinds(where=lambda s: s.room)``."""
    return frozenset(s.kind for s in _SPECS if where(s))


def make_payload(kind: str, pairs: Iterable[tuple[str, Any]]) -> Any:
    """The named payload of a ``kind`` entry from its (key, value) pairs (lists from JSON are
    turned back into tuples)."""
    cls = SPECS[Kind(kind)].payload
    return cls(**{_RENAMED.get(k, k): _tupled(v) for k, v in pairs})


def payload(entry: Any) -> Any:
    """The named payload of a log :class:`~game.engine.state.Entry`."""
    return make_payload(entry.kind, zip(entry.keys, entry.values, strict=True))


def describe(rules: Rules, entry: Any, orders: Orders | None = None) -> str:
    """One sentence for a log entry, in names (never ids) and at declared precision.
    ``orders`` (from :func:`order_book` of the log) lets a roll, ruling or override name the
    team and the move of its order; without it they say whose order it was."""
    s = SPECS[Kind(entry.kind)]
    return s.describe(rules, payload(entry), orders or {})


def order_book(entries: Iterable[Any]) -> dict[str, OrderRef]:
    """Every order given in a log: its ref -> who gave it and what it was (the log keeps the
    orders; the state forgets them after their turn)."""
    out: dict[str, OrderRef] = {}
    for e in entries:
        if e.kind is Kind.ORDER:
            v = e.values  # ORDER_KEYS: order, actor, move, params, rationale
            out[v[0]] = OrderRef(v[1], v[2], _tupled(v[3]) or ())
    return out


def _tupled(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_tupled(x) for x in v)
    return v
