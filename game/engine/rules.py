"""Compiled rules: the scenario as index-based plain objects the engine runs fast.

Built once per scenario by :func:`game.scenario.compile.compile_rules` and shared, never copied,
by every game and clone. Names become indices, expressions become closures, audiences become
bitmasks over actors. Nothing here knows about files or YAML.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.engine.actions import CONTROL, PASS, Action

Fn = Callable[[Any], Any]
"""A compiled expression: called with an environment (tracks, turn, params)."""

SELF = -1
"""Audience mask meaning 'the acting actor only' (control always sees everything)."""


class PhaseKind(enum.Enum):
    INFO = "info"
    ORDERS = "orders"
    ADJUDICATION = "adjudication"
    EVENTS = "events"
    REVIEW = "review"


MAX_ACTORS = 64
"""Most actors a scenario may have: the engine keys a move's uses and an actor's moves by
``index * 64 + actor`` (refused at load beyond it, never wrong in play)."""


@dataclass(frozen=True, slots=True)
class Expr:
    """A compiled expression with its source text (for messages and explanations)."""

    src: str
    fn: Fn
    names: frozenset[str] = frozenset()
    where: str = ""
    """file:line:col of the expression in the scenario file."""
    params: frozenset[str] = frozenset()
    """The move parameters (and 'actor') it reads."""


@dataclass(frozen=True, slots=True)
class Resource:
    idx: int
    """Index into the state's flat resource list."""
    id: str
    name: str
    initial: int
    per_turn: int
    max: int | None


@dataclass(frozen=True, slots=True)
class Actor:
    idx: int
    id: str
    name: str
    is_player: bool
    color: str
    resources: tuple[Resource, ...]
    public_briefing: str
    private_briefing: str

    @property
    def bit(self) -> int:
        return 1 << self.idx

    def resource(self, rid: str) -> Resource | None:
        for r in self.resources:
            if r.id == rid:
                return r
        return None


@dataclass(frozen=True, slots=True)
class Threshold:
    at: float
    name: str
    text: str
    falling: bool = False
    """Reached at or below ``at`` (a rung one falls to), not at or above it."""
    on_up: int = -1
    """Index of the event fired when the value rises across the rung (-1: none)."""
    on_down: int = -1
    """Index of the event fired when the value falls across the rung (-1: none)."""

    def holds(self, value: float) -> bool:
        """Does a track at ``value`` stand on (or beyond) this rung?"""
        return value <= self.at if self.falling else value >= self.at

    def crossed(self, old: float, new: float) -> bool:
        """Does a change from ``old`` to ``new`` reach this rung or leave it?"""
        return self.holds(old) != self.holds(new)


def scored_ids(actors: Iterable[tuple[str, bool]], with_goals: Collection[str]) -> list[str]:
    """The actors whose scores people are shown, in order: the teams, and an actor the umpire
    plays only if it has objectives (a 0 beside 'China' reads as a loss). ``actors`` are (id,
    is a team); ``with_goals`` the ids of the actors with objectives — all of them for the
    rules, those a viewer knows of for a screen (:func:`game.present.scored_actors`).

    >>> scored_ids([("EU", True), ("CHN", False), ("USA", False)], {"USA"})
    ['EU', 'USA']
    """
    return [aid for aid, team in actors if team or aid in with_goals]


STEP_FLOOR = "None"
"""How a ladder track's minimum reads when no rung names it: a technology track at 0 has
'None' of it."""


def named_steps(lo: float, hi: float, precision: int,
                rungs: Iterable[tuple[float, str, bool]]) -> tuple[str, ...]:
    """The names of a ladder's steps, from ``lo`` up, when its rising rungs name every whole
    step above its minimum (a rung at the minimum names it too; else :data:`STEP_FLOOR`);
    () for a track read as a number. ``rungs`` are (at, name, falling).

    Such a track reads by the name of the step reached ('Confirmed'), never '2'.

    >>> named_steps(0, 2, 0, [(1, "Reported", False), (2, "Confirmed", False)])
    ('None', 'Reported', 'Confirmed')
    >>> named_steps(0, 6, 0, [(3, "Standoff", False), (6, "Clashes", False)])
    ()
    """
    names: dict[int, str] = {}
    for at, name, falling in rungs:
        if falling or at != int(at) or not lo <= at <= hi:
            return ()
        names[int(at)] = name
    if precision != 0 or lo != int(lo) or hi != int(hi) or hi <= lo:
        return ()
    above = range(int(lo) + 1, int(hi) + 1)
    if any(k not in names for k in above):
        return ()
    return (names.get(int(lo), STEP_FLOOR), *(names[k] for k in above))


def step_of(steps: tuple[str, ...], lo: float, x: float) -> str:
    """The name of the step a ladder track at ``x`` has reached (the highest at or below it).

    >>> step_of(('None', 'Reported', 'Confirmed'), 0, 1.0)
    'Reported'
    """
    i = int(x - lo + 1e-9) if x >= lo else 0
    return steps[max(0, min(len(steps) - 1, i))]


@dataclass(frozen=True, slots=True)
class EstimateRule:
    mask: int
    quality: Expr
    spread: float
    bias: float | None = 0.0
    """How its actors' estimates lean, -1 (run low) .. 1 (run high), until corrected; None:
    drawn once per actor at the start of the game (see :mod:`game.engine.knowledge`)."""
    miss: float = 0.0
    """The chance each turn that the range lies wholly beside the truth."""


@dataclass(frozen=True, slots=True)
class Track:
    idx: int
    id: str
    name: str
    is_flag: bool
    theme: str
    lo: float
    hi: float
    initial: float
    unit: str
    integer: bool
    thresholds: tuple[Threshold, ...]
    secret: bool
    known_mask: int
    """Actors that always see the true value (all actors when public)."""
    estimates: tuple[EstimateRule, ...]
    description: str
    source: str | None
    where: str
    precision: int = 0
    """Decimal places people see."""
    umpire_note: str = ""
    """Umpire-only text (the umpire and the debrief; never a team or the room)."""

    @property
    def steps(self) -> tuple[str, ...]:
        """The name of each whole step of a ladder track, from its minimum up (see
        :func:`named_steps`); () for any other track."""
        if self.is_flag:
            return ()
        return named_steps(self.lo, self.hi, self.precision,
                           ((th.at, th.name, th.falling) for th in self.thresholds))

    def rung(self, value: float) -> Threshold | None:
        """The rung a track at ``value`` stands on: the highest rising rung it holds, else the
        lowest falling one (a cohesion track at 8 between 'Frayed' (falling, 5) and 'Blood
        alliance' (rising, 9) stands on neither)."""
        up = [th for th in self.thresholds if not th.falling and th.holds(value)]
        if up:
            return max(up, key=lambda th: th.at)
        down = [th for th in self.thresholds if th.falling and th.holds(value)]
        return min(down, key=lambda th: th.at) if down else None


@dataclass(frozen=True, slots=True)
class Phase:
    idx: int
    id: str
    name: str
    kind: PhaseKind
    text: str
    actors: tuple[int, ...]
    actor_mask: int
    simultaneous: bool
    max_orders: int
    wait_for_control: bool
    skip_if: Expr | None
    next: int
    """Index of the following phase; -1 ends the turn."""


@dataclass(frozen=True, slots=True)
class Effect:
    idx: int
    """Global index in Rules.effects (saves refer to pending effects by it)."""
    op: str
    """Its operation: the name of its handler in :data:`game.engine.effects.BY_OP`."""
    target: int
    """Track index or event index (-1 for resource effects, which use ``rid``)."""
    rid: str
    actor: int
    """Actor index for resource effects; SELF for the acting actor."""
    values: tuple[float | Expr, ...]
    """Its amounts, in the order its handler declares them (numbers or expressions)."""
    fixed: tuple[float, ...] | None
    """The same when every one is a number (no expression to evaluate), else None."""
    to_mask: int
    when: Expr | None
    delay: int
    duration: int
    text: str
    where: str


@dataclass(frozen=True, slots=True)
class OfferRule:
    """What a move that puts an offer on the table declares (see :mod:`game.engine.offers`)."""

    to: int
    """The actor who may answer it."""
    expires: int
    """Turns after the one it is made in that it stays open (0: until the end of that turn)."""
    refund: bool
    """The maker gets its move's cost back when the offer is declined or lapses."""
    flag: int = -1
    """A flag track the engine keeps at 1 while the offer is open (-1: none)."""
    raise_flag: Effect | None = None
    """The effect that sets the flag to 1 when the offer opens (so the log names its rule)."""
    lower_flag: Effect | None = None
    """The effect that sets it back to 0 when the offer closes."""


@dataclass(frozen=True, slots=True)
class Outcome:
    idx: int
    id: str
    name: str
    text: str
    effects: tuple[Effect, ...]
    mask: int
    """Who learns of it: bitmask of actors, or SELF."""


@dataclass(frozen=True, slots=True)
class Modifier:
    value: int
    when: Expr
    why: str
    seen_by: int = -1
    """Actors who see every track its condition reads (-1: everyone); only they may learn
    whether it applies."""


@dataclass(frozen=True, slots=True)
class Move:
    idx: int
    id: str
    name: str
    text: str
    actor_mask: int
    phase_mask: int
    cost: tuple[tuple[str, int], ...]
    costs: Mapping[int, tuple[tuple[int, int], ...]]
    """Actor index -> (flat resource index, amount) pairs."""
    requires: tuple[Expr, ...]
    params: tuple[tuple[str, tuple[str, ...]], ...]
    combos: tuple[tuple[tuple[str, str], ...], ...]
    """Every combination of parameter values, in declaration order."""
    per_game: int | None
    per_turn: int
    cooldown: int
    adj: str
    """How it is decided: the kind of its adjudicator in
    :data:`game.engine.adjudication.BY_KIND`."""
    dice: tuple[int, int]
    target: int | None
    modifiers: tuple[Modifier, ...]
    outcomes: tuple[Outcome, ...]
    reveal_mask: int
    source: str | None
    where: str
    labels: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = ()
    """For players: (parameter id, its question, ((choice id, choice name), ...)) per param."""
    offer: OfferRule | None = None
    """Making it (with any outcome but 'failure') puts an offer on the table."""
    answers: int = -1
    """Index of the offer move whose open offer it answers (-1: none)."""
    accepts: bool = False
    """It accepts that offer (with any outcome but 'failure'); else it declines it."""

    def outcome(self, oid: str) -> Outcome | None:
        for o in self.outcomes:
            if o.id == oid:
                return o
        return None


@dataclass(frozen=True, slots=True)
class Event:
    idx: int
    id: str
    name: str
    date: dt.date | None
    text: str
    turn: int | None
    when: Expr | None
    chance: float | None
    from_turn: int
    once: bool
    umpire: bool
    effects: tuple[Effect, ...]
    mask: int
    source: str | None
    where: str


@dataclass(frozen=True, slots=True)
class Objective:
    idx: int
    id: str
    actor: int
    name: str
    text: str
    hidden: bool
    per_turn: Expr | None
    at_end: Expr | None
    public: bool = True
    """Its points may be shown to everyone while the game runs: not hidden, and every track
    its per-turn scoring reads is public (otherwise the score would give the secret away)."""
    seen_by: int = -1
    """Actors who see every track its per-turn scoring reads (-1: everyone); only they may be
    told its points while the game runs (see :mod:`game.engine.fog`)."""


@dataclass(frozen=True, slots=True)
class EndCondition:
    id: str
    when: Expr
    text: str


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    date: dt.date
    turn: int
    text: str
    values: tuple[tuple[str, float], ...]
    source: str


MoveSlot = tuple[str, int, tuple[tuple[int, int], ...], int | None, int, int, tuple[Fn, ...], bool,
                 tuple[Action, ...], tuple[Mapping[str, str], ...]]
"""One move of one actor for the legal-move loop: (move id, key into the state's ``used``,
costs as (flat resource, amount), per_game, per_turn, cooldown, prerequisite closures, whether
they read the parameters, the actions (one per parameter combination), their parameters)."""


@dataclass(frozen=True)
class Rules:
    """Everything the engine needs to play one scenario."""

    id: str
    title: str
    version: str
    description: str
    start_date: dt.date
    turn_days: int
    turns: int
    dice: bool
    digest: str
    actors: tuple[Actor, ...]
    tracks: tuple[Track, ...]
    phases: tuple[Phase, ...]
    moves: tuple[Move, ...]
    events: tuple[Event, ...]
    objectives: tuple[Objective, ...]
    end: tuple[EndCondition, ...]
    history: tuple[HistoryPoint, ...]
    effects: tuple[Effect, ...]
    sources: tuple[Mapping[str, Any], ...]
    path: str = ""
    channels: tuple[frozenset[str], ...] = ()
    """Groups of player teams any two of whom may write to each other (none: all may)."""
    board_map: Mapping[str, Any] | None = None
    """The scenario's map section as plain data (region, places, markers, tints): the board
    draws it; the engine never reads it. None: the board's default map."""
    score_precision: int = 1
    actor_index: dict[str, int] = field(default_factory=dict)
    track_index: dict[str, int] = field(default_factory=dict)
    phase_index: dict[str, int] = field(default_factory=dict)
    move_index: dict[str, int] = field(default_factory=dict)
    event_index: dict[str, int] = field(default_factory=dict)
    n_resources: int = 0
    res_flat: dict[tuple[int, str], int] = field(default_factory=dict)
    """(actor index, resource id) -> index into the state's flat resource list."""
    moves_for: dict[tuple[int, int], tuple[Move, ...]] = field(default_factory=dict)
    """(phase index, actor index) -> the moves that actor may give in that phase."""
    actions_for: dict[tuple[int, int], tuple[Action, ...]] = field(default_factory=dict)
    """(move index, actor index) -> its actions, one per parameter combination (built once:
    legal_actions hands out these shared frozen values instead of making new ones)."""
    pass_actions: tuple[Action, ...] = ()
    retract_actions: dict[str, Action] = field(default_factory=dict)
    """Order ref -> the action retracting it, made once when first needed (a cache)."""
    move_slots: dict[int, tuple[MoveSlot, ...]] = field(default_factory=dict)
    """phase index * 64 + actor index -> that actor's moves in that phase, flattened for the
    engine's legal-move loop (see :data:`MoveSlot`)."""
    res_span: tuple[tuple[int, int], ...] = ()
    """Per actor: where its resources lie in the state's flat resource list (start, end)."""
    affordable: dict[tuple[int, ...], tuple[MoveSlot, ...]] = field(default_factory=dict)
    """(move slot, the actor's resource amounts...) -> the moves it can afford with them: a
    cache keyed by everything affordability depends on, shared by every game and clone."""
    _iso_dates: dict[int, str] = field(default_factory=dict, repr=False)
    """Cache of :meth:`iso_date_of_turn`."""
    _events_on: dict[int, tuple[Event, ...]] = field(default_factory=dict, repr=False)
    """Cache of :meth:`events_on_turn`."""
    params_for: dict[tuple[int, int], tuple[Mapping[str, str], ...]] = field(default_factory=dict)
    """(move index, actor index) -> the expression parameters of each combination (with
    'actor'), aligned with ``actions_for``; shared and never changed."""
    plain_words: dict[str, str] = field(default_factory=dict, repr=False)
    """Cache of the words :func:`game.engine.describe.plain` puts for ids (filled when first used)."""
    estimate_plan: tuple[tuple[Track, tuple[int, ...]], ...] = ()
    """Tracks some actor cannot see, each with, per actor, the index of the estimate rule
    that applies to it (-1: sees it exactly, -2: no rule, so unknown)."""
    player_mask: int = 0
    """The bits of the player teams (what the room may see, every team sees)."""
    estimates_may_miss: bool = False
    """Some estimate rule has a chance to miss (else a game without leans has no corrections
    to keep: the engine skips that bookkeeping)."""

    def __post_init__(self) -> None:
        self.actor_index.update({x.id: i for i, x in enumerate(self.actors)})
        self.track_index.update({x.id: i for i, x in enumerate(self.tracks)})
        self.phase_index.update({x.id: i for i, x in enumerate(self.phases)})
        self.move_index.update({x.id: i for i, x in enumerate(self.moves)})
        self.event_index.update({x.id: i for i, x in enumerate(self.events)})
        object.__setattr__(self, "n_resources",
                           sum(len(a.resources) for a in self.actors))
        self.res_flat.update({(a.idx, r.id): r.idx for a in self.actors for r in a.resources})
        for ph in self.phases:
            for a in self.actors:
                self.moves_for[(ph.idx, a.idx)] = tuple(
                    m for m in self.moves if m.actor_mask >> a.idx & 1 and m.phase_mask >> ph.idx & 1)
        for m in self.moves:
            for a in self.actors:
                if m.actor_mask >> a.idx & 1:
                    self.actions_for[(m.idx, a.idx)] = tuple(Action(a.id, m.id, c)
                                                             for c in m.combos)
                    self.params_for[(m.idx, a.idx)] = tuple({**dict(c), "actor": a.id}
                                                            for c in m.combos)
        object.__setattr__(self, "pass_actions", tuple(Action(a.id, PASS) for a in self.actors))
        object.__setattr__(self, "res_span", tuple(
            (a.resources[0].idx, a.resources[-1].idx + 1) if a.resources else (0, 0)
            for a in self.actors))
        for (ph_i, a_i), mvs in self.moves_for.items():
            self.move_slots[ph_i * 64 + a_i] = tuple(
                (m.id, m.idx * 64 + a_i, m.costs[a_i], m.per_game, m.per_turn, m.cooldown,
                 tuple(x.fn for x in m.requires), any(x.params for x in m.requires),
                 self.actions_for[(m.idx, a_i)], self.params_for[(m.idx, a_i)])
                for m in mvs)
        plan = []
        for t in self.tracks:
            if t.known_mask == self.all_mask:
                continue
            per_actor = []
            for a in self.actors:
                rule = next((i for i, e in enumerate(t.estimates) if e.mask >> a.idx & 1), -2)
                per_actor.append(-1 if t.known_mask >> a.idx & 1 else rule)
            plan.append((t, tuple(per_actor)))
        object.__setattr__(self, "estimate_plan", tuple(plan))
        object.__setattr__(self, "player_mask", sum(a.bit for a in self.actors if a.is_player))
        object.__setattr__(self, "estimates_may_miss",
                           any(e.miss > 0 for t, _ in plan for e in t.estimates))

    @property
    def all_mask(self) -> int:
        return (1 << len(self.actors)) - 1

    def scored(self) -> list[str]:
        """The actors whose scores people are shown (:func:`scored_ids`), of every objective."""
        goals = {self.actors[o.actor].id for o in self.objectives}
        return scored_ids(((a.id, a.is_player) for a in self.actors), goals)

    def may_write(self, sender: str, to: str) -> bool:
        """Whether ``sender`` may write to ``to`` in a hosted game (actor ids or 'control';
        'all' is the umpire's announcement): anyone to the umpire, the umpire to anyone, a
        team to another team when the scenario declares no channels or one holds both."""
        if sender == to:
            return False
        if CONTROL in (sender, to):
            return True
        teams = {a.id for a in self.actors if a.is_player}
        if sender not in teams or to not in teams:
            return False
        return not self.channels or any(sender in ch and to in ch for ch in self.channels)

    def date_of_turn(self, turn: int) -> dt.date:
        """Calendar date at which ``turn`` starts."""
        return self.start_date + dt.timedelta(days=self.turn_days * (turn - 1))

    def iso_date_of_turn(self, turn: int) -> str:
        """The same, as YYYY-MM-DD (remembered: the log writes it every turn)."""
        iso = self._iso_dates.get(turn)
        if iso is None:
            iso = self._iso_dates[turn] = self.date_of_turn(turn).isoformat()
        return iso

    def events_on_turn(self, turn: int) -> tuple[Event, ...]:
        """The events that may happen on ``turn`` by their turn and from_turn, in scenario
        order (which of them do, the engine decides). An event with no turn, condition or
        chance is never among them: only an effect or a threshold fires it."""
        evs = self._events_on.get(turn)
        if evs is None:
            evs = self._events_on[turn] = tuple(
                ev for ev in self.events
                if (ev.turn is None or ev.turn == turn) and turn >= ev.from_turn
                and (ev.turn is not None or ev.when is not None or ev.chance is not None))
        return evs

    def turn_of_date(self, date: dt.date) -> int:
        """The turn in which ``date`` falls (may be before 1 or after the last turn)."""
        return (date - self.start_date).days // self.turn_days + 1

    def actor(self, aid: str) -> Actor:
        return self.actors[self.actor_index[aid]]

    def track(self, tid: str) -> Track:
        return self.tracks[self.track_index[tid]]
