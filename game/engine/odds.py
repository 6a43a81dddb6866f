"""Exact dice probabilities, so players see the odds before they commit.

>>> round(at_least(2, 6, 7), 4)   # 2d6 >= 7
0.5833
>>> at_least(2, 6, 2), at_least(2, 6, 13)
(1.0, 0.0)
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def distribution(n: int, sides: int) -> tuple[float, ...]:
    """P(sum of n dice with ``sides`` faces == k) for k = 0 .. n * sides."""
    dist = [1.0]
    for _ in range(n):
        nxt = [0.0] * (len(dist) + sides)
        for total, p in enumerate(dist):
            if p:
                for face in range(1, sides + 1):
                    nxt[total + face] += p / sides
        dist = nxt
    return tuple(dist)


@lru_cache(maxsize=4096)
def at_least(n: int, sides: int, need: int) -> float:
    """P(sum of n dice with ``sides`` faces >= need)."""
    dist = distribution(n, sides)
    if need <= n:
        return 1.0
    if need > n * sides:
        return 0.0
    return sum(dist[need:])
