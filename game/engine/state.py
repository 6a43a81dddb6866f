"""The game state: compact, cheap to clone, and serialisable to plain JSON.

A :class:`State` holds only data. Lists that change on most steps (track values, resources,
objective scores) are copied on clone; everything else is immutable (ints, tuples, a persistent
linked log), so a clone shares it. Rules live elsewhere and are never copied.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from game.engine.knowledge import UNKNOWN, Rows, TurnKnowledge
from game.engine.log import Kind

__all__ = ["UNKNOWN", "Entry", "Offer", "Order", "OrderRoll", "Pending", "State"]


class OrderRoll(NamedTuple):
    """The chance that decided an order: the dice (or the number drawn against the teams'
    averaged estimates), the modifiers as (value, why), the total, the target and the odds."""

    dice: tuple[Any, ...]
    modifiers: tuple[tuple[int, str], ...]
    total: float
    target: float
    p: float


class Order(NamedTuple):
    """A move given by an actor, from submission to resolution."""

    seq: int
    actor: int
    move: int
    params: tuple[tuple[str, str], ...]
    rationale: str
    turn: int
    phase: int
    revealed: bool = False
    outcome: str | None = None
    """Proposed (then final) outcome id; None while a ruling is awaited."""
    roll: OrderRoll | None = None
    """The roll that decided it."""
    ruling: str = ""
    """How the umpire ruled (or overrode), with the reason."""
    cause: int = -1
    """seq of the latest log entry about it (reveal, roll, ruling): the cause of its outcome."""
    ruling_due: bool = False
    """Revealed at adjudication and decided by the umpire (matrix or umpire kind)."""
    ref: str = ""
    """How people and actions name it: the actor and its own count, e.g. 'EU-2'."""

    @property
    def needs_ruling(self) -> bool:
        return self.ruling_due and self.outcome is None


_ENTRY_TEXT = "Entry(seq=%r, turn=%r, phase=%r, kind=%r, mask=%r, cause=%r, data=%s)"
_DATA_TEMPLATES: dict[tuple[str, ...], str] = {}
"""Keys of a log entry -> the repr of its data as pairs, with a %r hole for each value."""


class _Hole:
    def __repr__(self) -> str:
        return "<hole>"


_HOLE = _Hole()


def _entry_text(seq: int, turn: int, phase: int, kind: str, mask: int, cause: int,
                keys: tuple[str, ...], values: tuple[Any, ...]) -> str:
    """An entry's canonical text: the repr of the named tuple with its data as pairs, made
    with one format (a template per set of keys) since digests format every entry."""
    template = _DATA_TEMPLATES.get(keys)
    if template is None:
        text = repr(tuple((k, _HOLE) for k in keys)).replace("%", "%%")
        template = _DATA_TEMPLATES[keys] = text.replace(repr(_HOLE), "%r")
    return _ENTRY_TEXT % (seq, turn, phase, kind, mask, cause, template % values)


class Entry(NamedTuple):
    """One record of the event log. ``mask``: actors who may see it (control sees all).

    Its data are ``keys`` naming ``values`` (kept apart because the engine makes hundreds of
    entries a game and the keys of each kind are one shared constant); read them as pairs
    with :attr:`data` or one at a time with :meth:`get`."""

    seq: int
    turn: int
    phase: int
    kind: Kind
    mask: int
    cause: int
    """seq of the entry that caused this one, or -1."""
    keys: tuple[str, ...]
    values: tuple[Any, ...]

    @property
    def data(self) -> tuple[tuple[str, Any], ...]:
        return tuple(zip(self.keys, self.values, strict=True))

    def get(self, key: str, default: Any = None) -> Any:
        for k, v in zip(self.keys, self.values, strict=True):
            if k == key:
                return v
        return default

    def __repr__(self) -> str:
        """The canonical text the log digest is taken over (data as pairs)."""
        return _entry_text(*self)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "turn": self.turn, "phase": self.phase, "kind": self.kind,
                "mask": self.mask, "cause": self.cause,
                "data": {k: _jsonable(v) for k, v in zip(self.keys, self.values, strict=True)}}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Entry:
        data = d["data"]
        return cls(d["seq"], d["turn"], d["phase"], Kind(d["kind"]), d["mask"], d["cause"],
                   tuple(data), tuple(_tupled(v) for v in data.values()))


_new_entry = tuple.__new__


class Pending(NamedTuple):
    """A delayed effect (or a turn of a multi-turn project) waiting for its turn."""

    due: int
    effect: int
    actor: int
    params: tuple[tuple[str, str], ...]
    cause: int


class Offer(NamedTuple):
    """An offer on the table: made by an order of a move with ``offer``, open to one actor
    until it is accepted, declined or lapses (see :mod:`game.engine.offers`)."""

    ref: str
    """The ref of the order that made it, e.g. 'EU-3' (how people and the log name it)."""
    actor: int
    """Who made it."""
    move: int
    to: int
    """Who may answer it."""
    params: tuple[tuple[str, str], ...]
    turn: int
    """The turn it was made in."""
    until: int
    """The last turn it is open in (it lapses at that turn's end)."""
    cause: int


Log = tuple[Any, ...] | None
"""A persistent linked list, newest first: appending never copies, clones share it. Each node
is an entry's eight fields followed by the rest of the list (one object per entry, not two:
games make hundreds of entries and every object is work for the garbage collector)."""


class State:
    """Everything that changes during a game."""

    __slots__ = ("tracks", "res", "scores", "turn", "phase", "rng", "orders", "done", "used",
                 "pending", "queue", "fired", "_known", "reveals", "beliefs", "log", "nlog", "over",
                 "end_reason", "next_order", "order_counts", "bias", "corrected", "offers")

    tracks: list[float]
    res: list[int]
    scores: list[float]
    turn: int
    phase: int
    rng: int
    orders: tuple[Order, ...]
    done: int
    used: dict[int, tuple[int, int, int]]
    """move * 64 + actor -> (uses in game, last turn used, uses in that turn)."""
    pending: tuple[Pending, ...]
    queue: tuple[tuple[int, str], ...]
    """Injects awaiting the umpire: (event index, 'pending' or 'held')."""
    fired: int
    _known: Rows | None
    """This turn's knowledge once worked out (see :attr:`known`)."""
    reveals: tuple[tuple[int, int], ...]
    """(actors mask, track) revealed this turn before its knowledge was worked out."""
    beliefs: tuple[TurnKnowledge, ...]
    """Per turn: (turn, what each actor knew at the start, the true values)."""
    log: Log
    nlog: int
    over: bool
    end_reason: str
    next_order: int
    order_counts: tuple[int, ...]
    """Orders each actor has given so far (for its order refs)."""
    bias: tuple[float, ...]
    """Per (estimated track, actor) pair: how that actor's estimates of it lean, -1..1 (empty
    when no estimate rule of the scenario leans; see :func:`game.engine.knowledge.pair`)."""
    corrected: int
    """Bits of the pairs whose next estimate holds the truth (a reveal or exact knowledge
    corrected them)."""
    offers: tuple[Offer, ...]
    """The offers on the table, oldest first."""

    @classmethod
    def start(cls, tracks: list[float], res: list[int], objectives: int, actors: int,
              rng: int, bias: tuple[float, ...]) -> State:
        """A game's state before its first turn starts: tracks and resources at their initial
        values, ``rng`` the seeded random state, ``bias`` the estimates' leans."""
        s = State.__new__(State)
        s.tracks = tracks
        s.res = res
        s.scores = [0.0] * objectives
        s.turn = 1
        s.phase = 0
        s.rng = rng
        s.orders = ()
        s.done = 0
        s.used = {}
        s.pending = ()
        s.queue = ()
        s.fired = 0
        s._known = None
        s.reveals = ()
        s.beliefs = ()
        s.log = None
        s.nlog = 0
        s.over = False
        s.end_reason = ""
        s.next_order = 1
        s.order_counts = (0,) * actors
        s.bias = bias
        s.corrected = 0
        s.offers = ()
        return s

    def copy(self) -> State:
        s = State.__new__(State)
        s.tracks = self.tracks.copy()
        s.res = self.res.copy()
        s.scores = self.scores.copy()
        s.turn = self.turn
        s.phase = self.phase
        s.rng = self.rng
        s.orders = self.orders
        s.done = self.done
        s.used = self.used.copy()
        s.pending = self.pending
        s.queue = self.queue
        s.fired = self.fired
        s._known = self._known
        s.reveals = self.reveals
        s.beliefs = self.beliefs
        s.log = self.log
        s.nlog = self.nlog
        s.over = self.over
        s.end_reason = self.end_reason
        s.next_order = self.next_order
        s.order_counts = self.order_counts
        s.bias = self.bias
        s.corrected = self.corrected
        s.offers = self.offers
        return s

    def tracks_at_end_of(self, turn: int) -> tuple[float, ...] | None:
        """Every track's value at the end of ``turn`` — where the game stands against a dated
        fact of the real record that falls in that turn (the debrief and the playtest's history
        check read it so). The value now while that turn runs, or when the game ended in it;
        None for a turn the game has not reached."""
        if turn > self.turn:
            return None
        for b in self.beliefs:
            if b.turn == turn + 1:
                return tuple(b.truth)
        return tuple(self.tracks)

    @property
    def known(self) -> Rows:
        """Per actor, per track: None (exact), (low, high) estimate, or UNKNOWN, for this turn:
        what the turn began with, less what intelligence has revealed since."""
        rows = self._known
        if rows is None:
            if not self.beliefs:
                return ()
            rows = self.beliefs[-1].known
            if self.reveals:
                grid = [list(r) for r in rows]
                for mask, t in self.reveals:
                    for a, row in enumerate(grid):
                        if mask >> a & 1:
                            row[t] = None
                rows = tuple(tuple(r) for r in grid)
            self._known = rows
        return rows

    def entries(self) -> list[Entry]:
        """The log, oldest first."""
        out = list(self.iter_recent())
        out.reverse()
        return out

    def iter_recent(self) -> Iterator[Entry]:
        """The log, newest first (cheap: no copy)."""
        node = self.log
        while node is not None:
            yield _new_entry(Entry, node[:8])
            node = node[8]

    def log_text(self) -> str:
        """The log's canonical text: the repr of the tuple of its entries (oldest first),
        written straight from the nodes. It holds only ints, floats (shortest round-trip
        repr), strings, booleans, None and tuples, so it is the same in every process and on
        every machine; the log digest is taken over it."""
        parts = []
        node = self.log
        while node is not None:
            parts.append(_entry_text(*node[:8]))
            node = node[8]
        parts.reverse()
        return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"

    def to_json(self, *, log: bool = True) -> dict[str, Any]:
        """A plain-JSON form that :meth:`from_json` restores exactly (``log=False`` leaves
        the log out: saves keep only its digest, since replaying the decisions rebuilds it)."""
        out = {key: write(getattr(self, key)) for key, write, _ in _JSON}
        if log:
            out["log"] = [e.to_json() for e in self.entries()]
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> State:
        s = State.__new__(State)
        for key, _, read in _JSON:
            setattr(s, "_known" if key == "known" else key, read(d[key]))
        s.reveals = ()
        log: Log = None
        for e in d.get("log", ()):
            log = (*Entry.from_json(e), log)
        s.log = log
        s.nlog = len(d.get("log", ()))
        return s


def _order(fields: tuple[Any, ...]) -> Order:
    o = Order(*fields)
    return o if o.roll is None else o._replace(roll=OrderRoll(*o.roll))


def _rows_json(rows: Rows) -> list[list[Any]]:
    """Knowledge rows as JSON lists (a quick :func:`_jsonable` for their known shape)."""
    return [[list(c) if c.__class__ is tuple else c for c in row] for row in rows]


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _tupled(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


def _same(x: Any) -> Any:
    return x


def _tuples(make: Any) -> Any:
    """Read a JSON list of lists as a tuple of ``make(*fields)``."""
    return lambda rows: tuple(make(*_tupled(row)) for row in rows)


def _lists(rows: Any) -> list[Any]:
    return [list(_jsonable(row)) for row in rows]


_JSON: tuple[tuple[str, Any, Any], ...] = (
    # (field, write, read): every field a save's snapshot holds, in its order. ``known`` is
    # written from the property that works it out and read into ``_known``. Not here: reveals
    # (empty between steps that save), log and nlog (rebuilt by replay, or written apart).
    ("tracks", list, lambda v: [float(x) for x in v]),
    ("res", list, lambda v: [int(x) for x in v]),
    ("scores", list, lambda v: [float(x) for x in v]),
    ("turn", _same, int),
    ("phase", _same, int),
    ("rng", str, int),  # a big integer: JSON numbers would lose digits
    ("orders", _lists, lambda v: tuple(_order(_tupled(o)) for o in v)),
    ("done", _same, int),
    ("used", lambda u: {str(k): list(v) for k, v in sorted(u.items())},
     lambda u: {int(k): (int(v[0]), int(v[1]), int(v[2])) for k, v in u.items()}),
    ("pending", _lists, _tuples(Pending)),
    ("queue", lambda q: [list(x) for x in q],
     lambda q: tuple((int(e), str(st)) for e, st in q)),
    ("fired", str, int),
    ("known", _rows_json, _tupled),
    ("beliefs", lambda bs: [[b.turn, _rows_json(b.known), list(b.truth)] for b in bs],
     lambda bs: tuple(TurnKnowledge.known_already(turn, _tupled(known), _tupled(truth))
                      for turn, known, truth in bs)),
    ("over", _same, bool),
    ("end_reason", _same, str),
    ("next_order", _same, int),
    ("order_counts", list, lambda v: tuple(int(x) for x in v)),
    ("bias", list, lambda v: tuple(float(x) for x in v)),
    ("corrected", str, int),
    ("offers", _lists, _tuples(Offer)),
)
