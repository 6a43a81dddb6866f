"""What each actor knows of each track in a turn, worked out only when someone asks.

At the start of every turn each actor's knowledge of the tracks it cannot see is fixed: an
estimate range placed at random around the truth, or nothing at all (see the scenario's
``estimates``). An estimate rule may lean (``bias``: the agency's estimates of the track run
high or low, turn after turn, until a reveal or exact knowledge corrects it) and may miss
(``miss``: the chance each turn that the range lies wholly beside the truth, on the side it
leans to). Most games never look (a search or a batch run plays on without views), so the
engine does not draw the ranges then: it keeps what they depend on (the true values, the
quality of each estimate, and where the random stream stood) in a :class:`TurnKnowledge`,
moves the stream on past the draws the ranges will use, and the ranges are drawn from that
saved position the first time a view, an agent or the debrief asks. The values are the same
as if they had been drawn at once; a turn's knowledge is worked out at most once per line of play.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from game.engine import rng as R

if TYPE_CHECKING:
    from game.engine.rules import Track

UNKNOWN = "?"
"""Knowledge entry: the actor has no idea of the value."""
EXACT = 1 - 1e-9
"""A quality at or above this is exact knowledge: a formula that is 1 on paper can come out as
0.9999999999999999, which would give a 'range' of zero width."""

Rows = tuple[tuple[Any, ...], ...]
"""Per actor, per track: None (exact), a (low, high) estimate, or UNKNOWN."""

Plan = tuple[tuple["Track", tuple[int, ...]], ...]
"""The rules' ``estimate_plan``: each track some actor cannot see, with per actor the index of
its estimate rule (-1 sees it exactly, -2 has no rule)."""


class TurnKnowledge:
    """What every actor knew at the start of one turn, with the truth beside it.

    Unpacks like the tuple ``(turn, known, truth)`` it stands for (the debrief and the tests
    read it so); ``known`` is drawn on first use and kept.
    """

    __slots__ = ("turn", "truth", "_rng", "_quals", "_plan", "_actors", "_rows", "_bias",
                 "_sure")

    def __init__(self, turn: int, truth: tuple[float, ...], rng: int,
                 quals: tuple[tuple[float, ...], ...], plan: Plan, actors: int,
                 bias: tuple[float, ...] = (), sure: int = 0) -> None:
        self.turn = turn
        self.truth = truth
        self._rng = rng
        self._quals = quals
        """Per plan entry, per estimate rule of its track: the quality this turn."""
        self._plan = plan
        self._actors = actors
        self._rows: Rows | None = None
        self._bias = bias
        """Per plan entry and actor (see :func:`pair`): how the estimate leans, -1..1 (empty:
        no lean anywhere)."""
        self._sure = sure
        """Bits of the (plan entry, actor) pairs whose range holds the truth this turn (a
        reveal or exact knowledge last turn corrected them)."""

    @classmethod
    def known_already(cls, turn: int, known: Rows, truth: tuple[float, ...]) -> TurnKnowledge:
        """A turn whose knowledge is given (read back from a save)."""
        k = cls(turn, truth, 0, (), (), len(known))
        k._rows = known
        return k

    @property
    def known(self) -> Rows:
        rows = self._rows
        if rows is None:
            rows = self._rows = self._draw()
        return rows

    def _draw(self) -> Rows:
        state = self._rng
        n = self._actors
        rows: list[list[Any]] = [[None] * len(self.truth) for _ in range(n)]
        for i, ((t, per_actor), quals) in enumerate(zip(self._plan, self._quals, strict=True)):
            for a, rule_i in enumerate(per_actor):
                if rule_i == -1:
                    continue
                if rule_i == -2:
                    rows[a][t.idx] = UNKNOWN
                    continue
                q = quals[rule_i]
                if q <= 0:
                    rows[a][t.idx] = UNKNOWN
                elif q < EXACT:
                    rule = t.estimates[rule_i]
                    u, state = R.uniform(state)
                    lean = self._bias[i * n + a] if self._bias else 0.0
                    side = 0
                    if rule.miss > 0:  # a second draw: does it miss, and to which side
                        v, state = R.uniform(state)
                        if v < rule.miss and not self._sure >> (i * n + a) & 1:
                            side = (1 if lean > 0 else -1) if lean else (
                                1 if v / rule.miss < 0.5 else -1)  # no lean: either side
                    rows[a][t.idx] = _estimate_range(t, self.truth[t.idx], q, rule.spread, u,
                                                     lean, side)
        return tuple(tuple(r) for r in rows)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.turn, self.known, self.truth))

    def __getitem__(self, i: int) -> Any:
        return (self.turn, self.known, self.truth)[i]

    def __len__(self) -> int:
        return 3

    def __repr__(self) -> str:
        return f"TurnKnowledge(turn={self.turn})"


def draws_needed(plan: Plan, quals: tuple[tuple[float, ...], ...]) -> int:
    """How many random draws the turn's estimate ranges take (one per range, two when its
    rule may miss)."""
    n = 0
    for (t, per_actor), q in zip(plan, quals, strict=True):
        for rule_i in per_actor:
            if rule_i >= 0 and 0 < q[rule_i] < EXACT:
                n += 2 if t.estimates[rule_i].miss > 0 else 1
    return n


def pair(plan_i: int, actor: int, actors: int) -> int:
    """The index of (plan entry, actor) in the state's ``bias`` and bit in ``corrected``."""
    return plan_i * actors + actor


def initial_bias(plan: Plan, actors: int, rng: int) -> tuple[tuple[float, ...], int]:
    """Each (plan entry, actor) pair's lean at the start of a game: its rule's declared
    ``bias``, or one drawn from the game's generator for ``bias: random`` (uniform in -1..1,
    drawn once and kept); and the generator's new state. Empty (and no draw) when no rule
    leans."""
    if not any(e.bias != 0 for t, _ in plan for e in t.estimates):
        return (), rng
    out = []
    for t, per_actor in plan:
        for rule_i in per_actor:
            b = t.estimates[rule_i].bias if rule_i >= 0 else 0.0
            if b is None:
                u, rng = R.uniform(rng)
                b = 2 * u - 1
            out.append(b)
    return tuple(out), rng


def corrected(plan: Plan, actors: int, bias: tuple[float, ...], fixed: int, mask: int,
              track: int) -> tuple[tuple[float, ...], int]:
    """``bias`` and ``fixed`` after the actors in ``mask`` learnt the truth of ``track``: their
    lean is gone, and their next range holds the truth (marked only where a rule may miss)."""
    for i, (t, per_actor) in enumerate(plan):
        if t.idx != track:
            continue
        cells = list(bias)
        for a, rule_i in enumerate(per_actor):
            if mask >> a & 1 and rule_i >= 0:
                if t.estimates[rule_i].miss > 0:
                    fixed |= 1 << pair(i, a, actors)
                if cells:
                    cells[pair(i, a, actors)] = 0.0
        return tuple(cells), fixed
    return bias, fixed


def exact_now(plan: Plan, quals: tuple[tuple[float, ...], ...], actors: int,
              bias: tuple[float, ...]) -> tuple[tuple[float, ...], int]:
    """``bias`` with the lean of every pair that knows its track exactly this turn gone, and
    the bits of those pairs whose rule may miss (their next range holds the truth)."""
    fixed = 0
    cells: list[float] | None = None
    for i, ((t, per_actor), q) in enumerate(zip(plan, quals, strict=True)):
        for a, rule_i in enumerate(per_actor):
            if rule_i >= 0 and q[rule_i] >= EXACT:
                if t.estimates[rule_i].miss > 0:
                    fixed |= 1 << pair(i, a, actors)
                if bias and bias[pair(i, a, actors)]:
                    cells = cells if cells is not None else list(bias)
                    cells[pair(i, a, actors)] = 0.0
    return (tuple(cells) if cells is not None else bias), fixed


def _estimate_range(t: Track, truth: float, q: float, spread: float, u: float,
                    lean: float = 0.0, side: int = 0) -> tuple[float, float]:
    """A range of width ``spread * (1 - q) * range`` placed at ``u`` around the truth.

    ``lean`` (-1..1) moves where the truth falls in it: 0 anywhere, 0.5 in its lower half (the
    estimate runs high), 1 at its low end; -0.5 in its upper half. ``side`` 1 (or -1) makes it
    miss: the range lies wholly above (below) the truth, at least one shown unit away, if the
    track has room there for the whole range (else, without a lean, on the other side; else it
    holds the truth after all).

    >>> from game.engine.rules import Track
    >>> t = Track(0, "x", "X", False, "", 0.0, 20.0, 0.0, "", True, (), True, 0, (), "", None, "")
    >>> _estimate_range(t, 6.0, 0.5, 0.6, 0.5)
    (3.0, 9.0)
    >>> _estimate_range(t, 6.0, 0.5, 0.6, 0.5, lean=1.0)
    (6.0, 12.0)
    >>> _estimate_range(t, 6.0, 0.5, 0.6, 0.0, side=1)
    (7.0, 13.0)
    >>> _estimate_range(t, 19.0, 0.5, 0.6, 0.0, side=1)
    (12.0, 18.0)
    >>> _estimate_range(t, 19.0, 0.5, 0.6, 0.0, lean=0.5, side=1)
    (14.0, 20.0)
    """
    width = spread * (1 - q) * (t.hi - t.lo)
    if side:
        missed = _missed_range(t, truth, width, u, side)
        if missed is None and not lean:  # no lean: either side will do
            missed = _missed_range(t, truth, width, u, -side)
        if missed is not None:
            return missed
    if lean:  # where the truth sits in the range, 0 (its low end) .. 1 (its high end)
        u = u * (1 - abs(lean)) + (-lean if lean < 0 else 0.0)
    lo = truth - u * width
    lo = max(t.lo, min(lo, t.hi - width))
    hi = min(t.hi, lo + width)
    if t.integer:
        return float(math.floor(lo)), float(math.ceil(hi))
    # shown to 3 decimals, rounded outwards so the range still holds the truth
    return math.floor(lo * 1000) / 1000, math.ceil(hi * 1000) / 1000


def _missed_range(t: Track, truth: float, width: float, u: float,
                  side: int) -> tuple[float, float] | None:
    """A range ``width`` wide lying wholly above (``side`` 1) or below (-1) the truth, its near
    end ``u`` of a width (and a shown unit and a half) away, or nearer if the track's bound
    leaves no room; None when the track has no room there for the whole range. It is as wide
    as a range that holds the truth and rounded the same way (outwards), so neither its width
    nor its place at a bound tells a team that it missed; and the near end stays beside the
    truth even as people see it (to the track's precision)."""
    step = 1.0 if t.integer else 1.5 * 10.0 ** -t.precision + 0.001
    room = t.hi - truth if side > 0 else truth - t.lo
    if room < width + step:
        return None
    gap = min(step + u * width, room - width)
    if side > 0:
        lo = truth + gap
        hi = lo + width
    else:
        hi = truth - gap
        lo = hi - width
    if t.integer:
        return float(math.floor(lo)), float(math.ceil(hi))
    return math.floor(lo * 1000) / 1000, math.ceil(hi * 1000) / 1000
