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


AGENT_KINDS = ("random", "greedy", "passive", "ismcts")
"""Kinds a seat may name (besides human, auto for the umpire, and script:FILE); ``ismcts``
takes a budget: ``ismcts:5000`` (iterations) or ``ismcts:2s`` (seconds)."""


def check_kind(kind: str) -> bool:
    """Is ``kind`` an agent kind (with a well-formed budget)? Raises ValueError for a bad
    ismcts budget, saying what a budget looks like."""
    name, _, budget = kind.partition(":")
    if name == "ismcts":
        from game.agents.ismcts import Budget

        Budget.parse(budget)
        return True
    return kind in AGENT_KINDS


def make_agent(kind: str, actor: str, seed: int) -> Agent:
    """An agent of ``kind`` for ``actor``; ``seed`` makes its choices repeatable."""
    from game.agents.basic import GreedyAgent, PassiveAgent, RandomAgent

    name, _, budget = kind.partition(":")
    if name == "ismcts":
        from game.agents.ismcts import Budget, IsmctsAgent

        return IsmctsAgent(actor, seed, Budget.parse(budget))
    if kind == "random":
        return RandomAgent(actor, seed)
    if kind == "greedy":
        return GreedyAgent(actor, seed)
    if kind == "passive":
        return PassiveAgent(actor)
    raise ValueError(f"unknown agent kind '{kind}' (known: {', '.join(AGENT_KINDS)})")
