"""Typed engine errors with stable codes.

Every refusal says what was refused, why, and (where it helps) what would make it possible:

>>> str(IllegalAction("action/prerequisite", "EU cannot 'arm' now: needs rok_ladder >= 2 (is 1)"))
"[action/prerequisite] EU cannot 'arm' now: needs rok_ladder >= 2 (is 1)"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import ClassVar


class EngineError(Exception):
    """Base of engine errors. ``code`` is stable (tests and front ends key on it)."""

    default_code: ClassVar[str] = "engine/error"

    def __init__(self, code: str, message: str) -> None:
        self.code = code or self.default_code
        self.message = message
        super().__init__(f"[{self.code}] {message}")

    def __reduce__(self) -> tuple[type[EngineError], tuple[str, str]]:
        """Pickled as its code and message (it crosses from a batch's worker processes)."""
        return type(self), (self.code, self.message)


class IllegalAction(EngineError, ValueError):
    """An action that is not legal now; the game is left unchanged."""

    default_code: ClassVar[str] = "action/illegal"


class ActionSyntaxError(EngineError, ValueError):
    """Text that is not an action (see :meth:`game.engine.actions.Action.parse`)."""

    default_code: ClassVar[str] = "action/syntax"


class RuleError(EngineError):
    """A scenario rule failed while being applied (e.g. division by zero in an expression)."""

    default_code: ClassVar[str] = "rule/error"


class FlowError(EngineError):
    """The phase flow cannot go on (e.g. a loop of automatic transitions that does nothing)."""

    default_code: ClassVar[str] = "flow/error"


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """A hint naming the closest known names, or None.

    >>> did_you_mean("eu_rok_intl", ["eu_rok_intel", "escalation"])
    "did you mean 'eu_rok_intel'?"
    """
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        return None
    return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
