"""Adjudication kinds, each declared once: how a move's outcome is decided, as one object.

An adjudicator says what the loader checks of a move's outcomes (:meth:`Adjudicator.check`),
what target a move gets when it names none, what happens when its order is revealed
(:meth:`Adjudicator.decide`: an outcome at once, a roll, or a ruling awaited), the odds a team
is shown (:meth:`Adjudicator.odds`), the rulings the umpire may give (:meth:`Adjudicator.rulings`)
and its words for people (menus, cards, the sentence of :func:`game.present.how_decided`). The
loader, the engine and every screen ask :data:`BY_KIND`; none keeps a list of kinds.

Adding a kind is an adjudicator here, its name in the ``kind`` of
:class:`game.scenario.model.Adjudication` (a test keeps the two the same; the JSON schema is
generated from the model) and its row in docs/scenario-authoring.md.

>>> [a.kind for a in ADJUDICATORS]
['automatic', 'dice', 'matrix', 'umpire']
>>> BY_KIND["matrix"].argued, BY_KIND["matrix"].default_target
(True, 7)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from game.engine.actions import CONTROL, Action
from game.engine.effects import Checker, Loc
from game.engine.rules import Move
from game.engine.state import Order

if TYPE_CHECKING:
    from game.engine.core import Engine

STRENGTHS = (-2, -1, 0, 1, 2)
"""Matrix-argument strength modifiers the umpire may give (weak ... strong)."""


class Adjudicator:
    """One adjudication kind. Subclasses set the class constants and override what differs."""

    kind: ClassVar[str] = ""
    word: ClassVar[str] = ""
    """How a move is decided, in a word or two (menus, the debrief): 'certain', 'dice' ..."""
    short: ClassVar[str] = ""
    """The same for a narrow column."""
    label: ClassVar[str] = ""
    """The same as a move card says it: 'happens for sure' ..."""
    certain: ClassVar[bool] = False
    """It always happens (no odds to show)."""
    chance: ClassVar[bool] = False
    """Decided by chance: its outcomes are 'success' (required) and 'failure'."""
    argued: ClassVar[bool] = False
    """The umpire judges a free-text argument (a strength, or the teams' estimates)."""
    needs_target: ClassVar[bool] = False
    default_target: ClassVar[int | None] = None

    def check(self, c: Checker, loc: Loc, move: Any) -> None:
        """Report what is wrong with a move's outcomes (and target) for this kind."""
        ids = [o.id for o in move.outcomes]
        if self.chance:
            if "success" not in ids:
                c.error((*loc, "outcomes"), "scenario/missing-outcome",
                        f"a {self.kind} move needs an outcome with id 'success'")
            for j, oid in enumerate(ids):
                if oid not in ("success", "failure"):
                    c.error((*loc, "outcomes", j, "id"), "scenario/bad-outcome",
                            f"a {self.kind} move's outcomes are 'success' and 'failure', not '{oid}'")
        if self.needs_target and move.adjudication.target is None:
            c.error((*loc, "adjudication"), "scenario/missing-field",
                    f"a {self.kind} move needs a 'target' (the total needed to succeed)")

    def decide(self, eng: Engine, mv: Move, o: Order, cause: int) -> Order:
        """The order once revealed: decided now, or awaiting the umpire's ruling."""
        return o._replace(revealed=True, cause=cause, ruling_due=True)

    def odds(self, eng: Engine, mv: Move, action: Action) -> float | None:
        """The chance that ``action`` succeeds as its actor can reckon it (None: the umpire
        decides)."""
        return eng._chance(mv, action)

    def rulings(self, mv: Move, o: Order) -> Sequence[Action]:
        """What the umpire may rule on ``o`` while it awaits a ruling: one of its outcomes."""
        return [Action(CONTROL, "rule", (("order", o.ref), ("outcome", oc.id)))
                for oc in mv.outcomes]

    def how(self, odds: str, unseen: str) -> str:
        """A sentence on how a move is decided, given its odds in words (and what they leave
        out, or '')."""
        raise NotImplementedError


class Automatic(Adjudicator):
    kind: ClassVar[str] = "automatic"
    word: ClassVar[str] = "certain"
    short: ClassVar[str] = "certain"
    label: ClassVar[str] = "happens for sure"
    certain: ClassVar[bool] = True

    def check(self, c: Checker, loc: Loc, move: Any) -> None:
        if len(move.outcomes) > 1:
            c.error((*loc, "outcomes", 1), "scenario/bad-outcome",
                    "an automatic move has exactly one outcome",
                    "use adjudication kind 'umpire' to let the umpire choose between outcomes")

    def decide(self, eng: Engine, mv: Move, o: Order, cause: int) -> Order:
        return o._replace(revealed=True, cause=cause, outcome=mv.outcomes[0].id)

    def odds(self, eng: Engine, mv: Move, action: Action) -> float | None:
        return 1.0

    def how(self, odds: str, unseen: str) -> str:
        return "Happens for certain."


class Dice(Adjudicator):
    kind: ClassVar[str] = "dice"
    word: ClassVar[str] = "dice"
    short: ClassVar[str] = "dice"
    label: ClassVar[str] = "chance on the dice"
    chance: ClassVar[bool] = True
    needs_target: ClassVar[bool] = True

    def decide(self, eng: Engine, mv: Move, o: Order, cause: int) -> Order:
        ok, roll, cause = eng._roll(mv, o, cause)
        return o._replace(revealed=True, outcome="success" if ok else "failure", roll=roll,
                          cause=cause)

    def how(self, odds: str, unseen: str) -> str:
        return f"Dice: chance of success now {odds}{unseen}."


class Matrix(Adjudicator):
    kind: ClassVar[str] = "matrix"
    word: ClassVar[str] = "argument"
    short: ClassVar[str] = "argument"
    label: ClassVar[str] = "argued; umpire weighs it"
    chance: ClassVar[bool] = True
    argued: ClassVar[bool] = True
    default_target: ClassVar[int | None] = 7

    def rulings(self, mv: Move, o: Order) -> Sequence[Action]:
        return [Action(CONTROL, "rule", (("order", o.ref), ("strength", str(k))))
                for k in STRENGTHS]

    def how(self, odds: str, unseen: str) -> str:
        return (f"Argument: the umpire weighs your case (your rationale); about {odds} "
                f"before the umpire's ± for a strong or weak argument{unseen}.")


class Umpire(Adjudicator):
    kind: ClassVar[str] = "umpire"
    word: ClassVar[str] = "umpire decides"
    short: ClassVar[str] = "umpire"
    label: ClassVar[str] = "the umpire decides"

    def odds(self, eng: Engine, mv: Move, action: Action) -> float | None:
        return None

    def how(self, odds: str, unseen: str) -> str:
        return "The umpire decides the outcome."


ADJUDICATORS: tuple[Adjudicator, ...] = (Automatic(), Dice(), Matrix(), Umpire())
"""Every adjudication kind, in the order the guide lists them."""

BY_KIND: dict[str, Adjudicator] = {a.kind: a for a in ADJUDICATORS}
"""Kind name -> its adjudicator."""
