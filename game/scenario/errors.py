"""Positioned diagnostics for scenario files.

Every problem in a scenario file becomes a :class:`Diagnostic` that names the file, line and column
(1-based), a stable code and a message a scenario author can act on, e.g.::

    scenarios/kursk-2024.yaml:12:14: error[scenario/unknown-track]: 'eu_rok_intl' is not a track
      hint: did you mean 'eu_rok_intel'?
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from game.engine.errors import did_you_mean as did_you_mean  # the loader's and checker's hints


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One error found in a scenario file."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: error[{self.code}]: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class ScenarioWarning(Diagnostic):
    """Something in a scenario file that loads but is probably a mistake (placed and coded as
    the loader's errors are; said as a warning, on one line)."""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: warning[{self.code}]: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ScenarioError(Exception):
    """A scenario file could not be loaded; ``diagnostics`` holds every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=lambda d: (d.path, d.line, d.col, d.code))
        assert self.diagnostics, "ScenarioError needs at least one diagnostic"
        self.code = self.diagnostics[0].code
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[list[Diagnostic]]]:
        """Pickled as its diagnostics (it crosses from a batch's worker processes)."""
        return type(self), (self.diagnostics,)


