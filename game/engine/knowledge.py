"""What each actor knows of each track in a turn, worked out only when someone asks.

At the start of every turn each actor's knowledge of the tracks it cannot see is fixed: an
estimate range placed at random around the truth, or nothing at all (see the scenario's
``estimates``). Most games never look (a search or a batch run plays on without views), so the
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

    __slots__ = ("turn", "truth", "_rng", "_quals", "_plan", "_actors", "_rows")

    def __init__(self, turn: int, truth: tuple[float, ...], rng: int,
                 quals: tuple[tuple[float, ...], ...], plan: Plan, actors: int) -> None:
        self.turn = turn
        self.truth = truth
        self._rng = rng
        self._quals = quals
        """Per plan entry, per estimate rule of its track: the quality this turn."""
        self._plan = plan
        self._actors = actors
        self._rows: Rows | None = None

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
        rows: list[list[Any]] = [[None] * len(self.truth) for _ in range(self._actors)]
        for (t, per_actor), quals in zip(self._plan, self._quals, strict=True):
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
                    u, state = R.uniform(state)
                    rows[a][t.idx] = _estimate_range(t, self.truth[t.idx], q,
                                                     t.estimates[rule_i].spread, u)
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
    """How many random draws the turn's estimate ranges take (one per range)."""
    n = 0
    for (_, per_actor), q in zip(plan, quals, strict=True):
        for rule_i in per_actor:
            if rule_i >= 0 and 0 < q[rule_i] < EXACT:
                n += 1
    return n


def _estimate_range(t: Track, truth: float, q: float, spread: float,
                    u: float) -> tuple[float, float]:
    """A range of width ``spread * (1 - q) * range`` placed at ``u`` around the truth."""
    width = spread * (1 - q) * (t.hi - t.lo)
    lo = truth - u * width
    lo = max(t.lo, min(lo, t.hi - width))
    hi = min(t.hi, lo + width)
    if t.integer:
        return float(math.floor(lo)), float(math.ceil(hi))
    # shown to 3 decimals, rounded outwards so the range still holds the truth
    return math.floor(lo * 1000) / 1000, math.ceil(hi * 1000) / 1000
