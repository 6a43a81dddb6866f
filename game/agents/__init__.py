"""Computer players behind one protocol: ``choose(view, legal) -> action``.

An agent sees only its actor's :class:`~game.engine.views.View` (or None when it declares
``needs_view = False``, which saves time in batch runs) and the legal actions. Agents that look
ahead (``greedy``) get a simulator built from their view — hidden values replaced by what the
actor believes — never the true state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from game.engine.actions import Action
from game.engine.views import View


class Agent(Protocol):
    """A computer seat."""

    needs_view: bool

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action: ...


AGENT_KINDS = ("random", "greedy", "passive")
"""Kinds a seat may name (besides human, auto for the umpire, and script:FILE)."""


def make_agent(kind: str, actor: str, seed: int) -> Agent:
    """An agent of ``kind`` for ``actor``; ``seed`` makes its choices repeatable."""
    from game.agents.basic import GreedyAgent, PassiveAgent, RandomAgent

    if kind == "random":
        return RandomAgent(actor, seed)
    if kind == "greedy":
        return GreedyAgent(actor, seed)
    if kind == "passive":
        return PassiveAgent(actor)
    raise ValueError(f"unknown agent kind '{kind}' (known: {', '.join(AGENT_KINDS)})")
