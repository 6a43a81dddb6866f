"""A tiny seeded generator whose whole state is one integer kept inside the game state.

SplitMix64 (Steele, Lea and Flood, 2014): fast, good enough for dice, and trivially copied,
saved and restored, so clones, forks, saves and replays reproduce every roll.

>>> state = seed_state(42)
>>> value, state = next_u64(state)
>>> 0 <= value < 2**64
True
"""

from __future__ import annotations

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def seed_state(seed: int) -> int:
    """The generator state for a seed (any int; negative and huge seeds are folded)."""
    return (seed * GOLDEN) & MASK


def next_u64(state: int) -> tuple[int, int]:
    """The next 64-bit value and the new state."""
    state = (state + GOLDEN) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31), state


def roll_die(state: int, sides: int) -> tuple[int, int]:
    """A roll of one die with ``sides`` faces (1..sides) and the new state."""
    value, state = next_u64(state)
    return 1 + value % sides, state


def skip(state: int, n: int) -> int:
    """The state after ``n`` more values (each value moves the state on by the same step).

    >>> s = seed_state(7)
    >>> skip(s, 2) == next_u64(next_u64(s)[1])[1]
    True
    """
    return (state + n * GOLDEN) & MASK


def roll_dice(state: int, n: int, sides: int) -> tuple[tuple[int, ...], int]:
    """``n`` rolls of a die with ``sides`` faces and the new state (the same as ``n`` calls
    of :func:`roll_die`, in one call).

    >>> s = seed_state(3)
    >>> a, s1 = roll_die(s, 6); b, s2 = roll_die(s1, 6)
    >>> roll_dice(s, 2, 6) == ((a, b), s2)
    True
    """
    out = []
    for _ in range(n):
        state = (state + GOLDEN) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        out.append(1 + (z ^ (z >> 31)) % sides)
    return tuple(out), state


def uniform(state: int) -> tuple[float, int]:
    """A float in [0, 1) and the new state."""
    value, state = next_u64(state)
    return (value >> 11) / float(1 << 53), state
