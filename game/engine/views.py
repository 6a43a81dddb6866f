"""Per-viewer views: the only way a team's screen, agent or export sees the world.

``view_for(engine, "ROK")`` gives what ROK may know — tracks exact, as an estimate range, or
unknown; its own orders and the revealed orders of others; the log filtered for ROK.
``view_for(engine, "control")`` is the umpire's omniscient view. Views are plain frozen data
that serialise to JSON (``view.to_json()``), so they can cross a network to another room.

>>> from game.scenario.compile import load_rules
>>> from game.engine.core import Engine
>>> eng = Engine.new(load_rules("tutorial"), seed=1)
>>> v = view_for(eng, "SOUTH")
>>> v.track("north_troops").status in ("estimate", "unknown")
True
>>> view_for(eng, "control").track("north_troops").value
6.0
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from game.engine import fog
from game.engine.actions import CONTROL, PUBLIC, Action
from game.engine.core import Engine
from game.engine.describe import plain, viewer_need, visible
from game.engine.log import Kind, KindSpec, attribution, describe, make_payload, order_book, spec
from game.engine.rules import PhaseKind, Rules, named_steps
from game.engine.state import UNKNOWN, Entry, OrderRoll
from game.engine.wording import move_with_choices


@dataclass(frozen=True)
class TrackView:
    id: str
    name: str
    theme: str
    unit: str
    lo: float
    hi: float
    is_flag: bool
    thresholds: tuple[tuple[float, str], ...]
    status: str
    """'exact', 'estimate' or 'unknown'."""
    value: float | None
    low: float | None
    high: float | None
    rung: str | None
    """Name of the highest threshold reached (when the value is known exactly)."""
    secret: bool
    description: str
    precision: int = 0
    """Decimal places people see."""
    falling: tuple[str, ...] = ()
    """Names of the rungs reached by falling to them (at or below their value)."""
    rung_at: float | None = None
    """Where the rung in ``rung`` lies."""
    umpire_note: str = ""
    """Umpire-only text: filled in the umpire's view only, '' for every team and the room."""
    seen: tuple[float, int] | None = None
    """The value last revealed to the viewer and the turn it was revealed, while the viewer
    knows the track only by an estimate or not at all: a reveal shows the truth for the rest of
    its turn, and a team remembers what it was shown (a detected transfer stays known as a
    fact of that turn when next turn's estimate is wide)."""

    @property
    def steps(self) -> tuple[str, ...]:
        """The names of a ladder track's steps from its minimum up ('None', 'Reported',
        'Confirmed'), () for a track read as a number: the rules' own test
        (:func:`game.engine.rules.named_steps`), worked out here, not sent in the JSON."""
        if self.is_flag:
            return ()
        return named_steps(self.lo, self.hi, self.precision,
                           ((at, name, name in self.falling) for at, name in self.thresholds))


@dataclass(frozen=True)
class ResourceView:
    id: str
    name: str
    value: int
    max: int | None
    per_turn: int


@dataclass(frozen=True)
class ObjectiveView:
    id: str
    actor: str
    name: str
    text: str
    hidden: bool
    score: float | None
    """None while the game runs if the score would give away a track the viewer cannot see."""
    unseen: bool = False
    """The viewer's own objective, whose points depend on what it cannot see: they come at the
    debrief (:mod:`game.engine.fog`, rule 1)."""


@dataclass(frozen=True)
class ActorView:
    id: str
    name: str
    kind: str
    color: str
    public_briefing: str
    private_briefing: str | None
    resources: tuple[ResourceView, ...] | None
    score: float | None
    """Total score if the viewer may know it (own or umpire); else the public part."""


@dataclass(frozen=True)
class OrderView:
    ref: str
    """The order's name in actions and the log, e.g. 'EU-2' (numbered per actor)."""
    actor: str
    move: str
    move_name: str
    params: tuple[tuple[str, str], ...]
    rationale: str | None
    status: str
    """'secret' (own, not yet revealed), 'revealed', 'awaiting ruling' or 'decided'."""
    outcome: str | None
    roll: OrderRoll | None
    adjudication: str
    outcomes: tuple[tuple[str, str], ...] = ()
    """(id, name) of the outcomes the umpire may rule or override to."""
    label: str = ""
    """The move's name with its chosen parameters in words, e.g. 'Reinforce (Size: brigade)'."""
    decided_by: str = ""
    """Who decided it when not the rules, in words ('overridden by the umpire', with the
    reason for the umpire only); '' when the dice or the rules did."""
    actor_name: str = ""
    unseen_factors: bool = False
    """A factor the viewer cannot see bore on the roll: it is shown the outcome only, and
    ``roll`` is None (:mod:`game.engine.fog`, rule 2)."""


@dataclass(frozen=True)
class MoveOption:
    """A move as a menu shows it: available or not and why, cost, odds, parameters."""

    actor: str
    move: str
    name: str
    text: str
    cost: tuple[tuple[str, int], ...]
    adjudication: str
    legal: bool
    reason: str | None
    actions: tuple[str, ...]
    odds: float | None
    params: tuple[tuple[str, tuple[str, ...]], ...]
    modifiers: tuple[tuple[int, str], ...]
    requires: tuple[str, ...]
    """The prerequisites, as written in the scenario."""
    outcomes: tuple[tuple[str, str], ...]
    """(id, name) of each possible outcome."""
    labels: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = ()
    """(parameter id, question, ((choice id, choice name), ...)) for each parameter."""
    unseen_factors: bool = False
    """Some modifier reads what this actor cannot see: the odds leave it out."""
    needs: tuple[str, ...] = ()
    """The prerequisites for people: track names, signs for comparisons."""


@dataclass(frozen=True)
class OfferView:
    """An offer on the table, as its maker, its receiver and the umpire see it (nobody else
    is shown it)."""

    ref: str
    """The ref of the order that made it, e.g. 'EU-3'."""
    actor: str
    actor_name: str
    to: str
    to_name: str
    move: str
    label: str
    """The offer move's name with its chosen parameters in words."""
    text: str
    """The offer move's text: what is on offer."""
    made: int
    """The turn it was made in."""
    until: int
    """The last turn it is open in."""
    answers: tuple[str, ...] = ()
    """The receiver's moves that answer it (for the receiver and the umpire)."""


@dataclass(frozen=True)
class InjectView:
    event: str
    name: str
    text: str
    status: str


@dataclass(frozen=True)
class LogLine:
    """One line of a viewer's log. ``seq`` and ``cause`` count only the lines this viewer
    sees (so they reveal nothing of hidden entries); ``Game.explain(seq, viewer)`` takes them."""

    seq: int
    turn: int
    kind: Kind
    text: str
    cause: int
    data: dict[str, Any]
    """The entry's facts (e.g. track, old, new for a change; dice, total, target, success for a
    roll), so front ends can animate without reading the sentence."""

    @property
    def spec(self) -> KindSpec:
        """What this kind of line is to a screen (headline, room news, the umpire's hand ...)."""
        return spec(self.kind)

    @property
    def payload(self) -> Any:
        """The line's facts as its kind's named payload (see :mod:`game.engine.log`)."""
        return make_payload(self.kind, self.data.items())


@dataclass(frozen=True)
class View:
    """Everything one viewer may know at this moment."""

    scenario: str
    title: str
    viewer: str
    turn: int
    turns: int
    date: str
    phase: str
    phase_name: str
    phase_kind: str
    phase_text: str
    waiting_for: tuple[str, ...]
    over: bool
    end_reason: str
    tracks: tuple[TrackView, ...]
    actors: tuple[ActorView, ...]
    objectives: tuple[ObjectiveView, ...]
    orders: tuple[OrderView, ...]
    moves: tuple[MoveOption, ...]
    legal: tuple[str, ...]
    """What the viewer may do now (the umpire's include the control-cell actors')."""
    injects: tuple[InjectView, ...]
    log: tuple[LogLine, ...]
    max_orders: int = 0
    """Most orders one actor may give in this phase (0 outside orders phases)."""
    score_precision: int = 1
    """Decimal places people see in scores."""
    messages: tuple[LogLine, ...] = ()
    """Every message on a channel this viewer may read, whole even when ``log`` is a tail."""
    offers: tuple[OfferView, ...] = ()
    """The offers on the table this viewer made or may answer (the umpire: all)."""

    def track(self, tid: str) -> TrackView:
        return next(t for t in self.tracks if t.id == tid)

    def actor(self, aid: str) -> ActorView:
        return next(a for a in self.actors if a.id == aid)

    def to_json(self) -> dict[str, Any]:
        """The view as plain data (what ``dataclasses.asdict`` gives, a few times faster: a
        hosted game makes one per seat after every decision)."""
        out = _plain(self)
        assert isinstance(out, dict)
        return out


_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(x: Any) -> Any:
    """Dataclasses as dicts, recursively; tuples stay tuples, lists lists (as ``asdict``)."""
    cls = type(x)
    if cls in (str, int, float, bool) or x is None:
        return x
    names = _FIELDS.get(cls)
    if names is None and dataclasses.is_dataclass(x):
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(x))
    if names is not None:
        return {n: _plain(getattr(x, n)) for n in names}
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return cls(*(_plain(v) for v in x))
    if isinstance(x, (tuple, list)):
        return cls(_plain(v) for v in x)
    if isinstance(x, dict):
        return {_plain(k): _plain(v) for k, v in x.items()}
    return x


def view_for(engine: Engine, viewer: str, *, log_limit: int | None = None) -> View:
    """What ``viewer`` may know now: an actor id, 'control' (the umpire: everything) or
    'public' (the room: only what every player team may know)."""
    rules = engine.rules
    s = engine.state
    if viewer not in (CONTROL, PUBLIC) and viewer not in rules.actor_index:
        raise KeyError(f"'{viewer}' is not an actor of {rules.id}")
    need = viewer_need(rules, viewer)
    ph = engine.phase
    entries = [e for e in s.entries() if visible(e, need)]
    # a viewer's log is numbered in its own sequence: gaps would count the hidden entries
    local = {e.seq: i for i, e in enumerate(entries)}
    orders = order_book(s.entries())  # names a roll's order; a roll one sees is of a revealed move

    def line(e: Entry) -> LogLine:
        return LogLine(local[e.seq], e.turn, e.kind, describe(rules, e, orders),
                       local.get(e.cause, -1),
                       e.to_json()["data"])

    messages = tuple(line(e) for e in entries if e.kind is Kind.MESSAGE)
    revealed = _revealed(entries)  # the whole log's, before a tail is cut
    if log_limit is not None:
        entries = entries[-log_limit:]
    actors = ([] if viewer == PUBLIC else [viewer] if viewer != CONTROL
              else [a.id for a in rules.actors if not a.is_player])
    deciders = [] if viewer == PUBLIC else list(dict.fromkeys([viewer, *actors]))
    return View(
        scenario=rules.id, title=rules.title, viewer=viewer, turn=s.turn, turns=rules.turns,
        date=rules.date_of_turn(s.turn).isoformat(), phase=ph.id, phase_name=ph.name,
        phase_kind=ph.kind.value, phase_text=ph.text,
        waiting_for=tuple(engine.waiting_for()), over=s.over, end_reason=s.end_reason,
        tracks=tuple(_track_views(engine, viewer, revealed)),
        actors=tuple(_actor_views(engine, viewer)),
        objectives=tuple(_objective_views(engine, viewer)),
        orders=tuple(_order_views(engine, viewer)),
        moves=tuple(o for a in actors for o in move_options(engine, a)),
        legal=tuple(str(a) for who in deciders for a in engine.legal_actions(who)),
        injects=tuple(_inject_views(engine)) if viewer == CONTROL else (),
        log=tuple(line(e) for e in entries), messages=messages,
        max_orders=ph.max_orders if ph.kind is PhaseKind.ORDERS else 0,
        score_precision=rules.score_precision,
        offers=tuple(_offer_views(engine, viewer)),
    )


def _revealed(entries: list[Entry]) -> dict[str, tuple[float, int]]:
    """Each track's value last revealed in ``entries`` (a viewer's), with the turn."""
    return {e.values[0]: (e.values[1], e.turn) for e in entries if e.kind is Kind.INTEL}


def _track_views(engine: Engine, viewer: str,
                 revealed: dict[str, tuple[float, int]] | None = None) -> list[TrackView]:
    rules = engine.rules
    s = engine.state
    if viewer == PUBLIC:
        need = viewer_need(rules, PUBLIC)
        known: tuple[Any, ...] | None = tuple(
            None if t.known_mask & need == need else UNKNOWN for t in rules.tracks)
    else:
        known = s.known[rules.actor_index[viewer]] if viewer != CONTROL else None
    out = []
    for t in rules.tracks:
        k = None if known is None else known[t.idx]
        value = low = high = None
        if k is None:
            status, value = "exact", s.tracks[t.idx]
        elif k == UNKNOWN:
            status = "unknown"
        else:
            status, (low, high) = "estimate", k
        on = t.rung(value) if value is not None else None
        out.append(TrackView(t.id, t.name, t.theme, t.unit, t.lo, t.hi, t.is_flag,
                             tuple((th.at, th.name) for th in t.thresholds), status, value, low,
                             high, on.name if on else None, t.secret, t.description,
                             t.precision, tuple(th.name for th in t.thresholds if th.falling),
                             on.at if on else None,
                             t.umpire_note if viewer == CONTROL else "",
                             None if status == "exact" or not revealed else revealed.get(t.id)))
    return out


def _fog_actor(rules: Rules, viewer: str) -> int | None:
    """``viewer`` as game.engine.fog takes it: None for the umpire, -1 for the room."""
    return None if viewer == CONTROL else rules.actor_index.get(viewer, -1)


def _actor_views(engine: Engine, viewer: str) -> list[ActorView]:
    rules = engine.rules
    s = engine.state
    out = []
    who = _fog_actor(rules, viewer)
    for a in rules.actors:
        mine = viewer in (CONTROL, a.id)
        score = sum(s.scores[o.idx] for o in rules.objectives
                    if o.actor == a.idx and fog.score_shown(rules, o, who, s.over))
        resources = tuple(ResourceView(r.id, r.name, s.res[r.idx], r.max, r.per_turn)
                          for r in a.resources) if mine else None
        out.append(ActorView(a.id, a.name, "player" if a.is_player else "control", a.color,
                             a.public_briefing, a.private_briefing if mine else None, resources,
                             score))
    return out


def _objective_views(engine: Engine, viewer: str) -> list[ObjectiveView]:
    rules = engine.rules
    who = _fog_actor(rules, viewer)
    over = engine.state.over
    out = []
    for o in rules.objectives:
        owner = rules.actors[o.actor].id
        if o.hidden and viewer not in (CONTROL, owner):
            continue
        shown = fog.score_shown(rules, o, who, over)
        out.append(ObjectiveView(o.id, owner, o.name, o.text, o.hidden,
                                 engine.state.scores[o.idx] if shown else None,
                                 viewer == owner and not shown))
    return out


def _order_views(engine: Engine, viewer: str) -> list[OrderView]:
    rules = engine.rules
    need = viewer_need(rules, viewer)
    out = []
    who = _fog_actor(rules, viewer)
    for o in engine.state.orders:
        mv = rules.moves[o.move]
        own = viewer in (CONTROL, rules.actors[o.actor].id)
        whole = own and o.roll is not None and fog.roll_shown(mv, who)
        reveal_ok = mv.reveal_mask != -1 and mv.reveal_mask & need == need
        if not own and not (o.revealed and reveal_ok):
            continue
        status = ("secret" if not o.revealed else "awaiting ruling" if o.needs_ruling
                  else "decided" if o.outcome else "revealed")
        out.append(OrderView(o.ref, rules.actors[o.actor].id, mv.id, mv.name, o.params,
                             o.rationale if own else None, status,
                             o.outcome if own or viewer == CONTROL else None,
                             o.roll if whole else None, mv.adj,
                             tuple((x.id, x.name) for x in mv.outcomes),
                             move_with_choices(rules, mv.id, o.params),
                             attribution(o.ruling, reason=viewer == CONTROL) if own else "",
                             rules.actors[o.actor].name,
                             own and o.roll is not None and not whole))
    return out


def move_options(engine: Engine, actor: str) -> list[MoveOption]:
    """Every move ``actor`` has in this phase, available or not, with the reason if not."""
    rules = engine.rules
    a = rules.actor_index[actor]
    ph = engine.phase
    if ph.kind is not PhaseKind.ORDERS or not ph.actor_mask >> a & 1:
        return []
    legal = engine.legal_actions(actor)
    out = []
    for mv in rules.moves:
        if not (mv.actor_mask >> a & 1 and mv.phase_mask >> ph.idx & 1):
            continue
        acts = tuple(str(x) for x in legal if x.verb == mv.id)
        reason = None
        if not acts:
            probe = Action(actor, mv.id, mv.combos[0])
            err = engine.why_not(probe)
            reason = plain(rules, err.message.removeprefix(f"{actor} cannot make '{mv.id}' now: ")
                           ) if err else None
        sample = Action(actor, mv.id, mv.combos[0])
        odds = engine.odds(sample)
        mods = tuple(engine.modifiers(mv, a, mv.combos[0], seen_by=1 << a))
        out.append(MoveOption(actor, mv.id, mv.name, mv.text, mv.cost, mv.adj,
                              bool(acts), reason, acts, odds, mv.params, mods,
                              tuple(r.src for r in mv.requires),
                              tuple((o.id, o.name) for o in mv.outcomes), mv.labels,
                              engine.has_unseen_modifiers(mv, a),
                              tuple(plain(rules, r.src) for r in mv.requires)))
    return out


def _offer_views(engine: Engine, viewer: str) -> list[OfferView]:
    rules = engine.rules
    out = []
    for o in engine.state.offers:
        maker, to = rules.actors[o.actor], rules.actors[o.to]
        if viewer not in (CONTROL, maker.id, to.id):
            continue
        mv = rules.moves[o.move]
        answers = tuple(m.id for m in rules.moves if m.answers == o.move) \
            if viewer != maker.id else ()
        out.append(OfferView(o.ref, maker.id, maker.name, to.id, to.name, mv.id,
                             move_with_choices(rules, mv.id, o.params), mv.text, o.turn,
                             o.until, answers))
    return out


def _inject_views(engine: Engine) -> list[InjectView]:
    out = []
    for ev_idx, status in engine.state.queue:
        ev = engine.rules.events[ev_idx]
        out.append(InjectView(ev.id, ev.name, ev.text, status))
    return out
