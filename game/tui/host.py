"""What screens need from the application: the game's views, a checked submit, and the flow.

Two applications give it: :class:`game.tui.app.PowerPlayApp` (hot-seat play of a local
:class:`~game.session.Game`) and :class:`game.tui.remote.JoinApp` (one seat of a game hosted by
``powerplay host``, whose views arrive over the network). Screens draw only from
``host.game.view(their seat)`` and act only through ``submit``, so they work with either.
"""

from __future__ import annotations

from typing import Protocol

from game.engine.views import View


class Table(Protocol):
    """The game as a screen sees it: a view for its seat (a local ``Game`` or a remote one)."""

    def view(self, viewer: str) -> View: ...


class Host(Protocol):
    """The running app as screens see it (see :class:`game.tui.app.PowerPlayApp`)."""

    @property
    def game(self) -> Table: ...

    def submit(self, text: str) -> bool:
        """Submit an action in text form; show the error and return False if it is refused."""
        ...

    def try_submit(self, text: str) -> str | None:
        """Submit an action in text form; return the engine's message if it is refused (for
        a dialog to show in place), None if it was applied."""
        ...

    def proceed(self) -> None:
        """Redraw after an action, or move the flow on if this seat has nothing left to do."""
        ...

    def hand_on(self) -> None:
        """This seat is finished: move on to the next seat (hand-off, results, end)."""
        ...

    def explain(self, seq: int, viewer: str) -> None:
        """Show why log entry ``seq`` happened, as ``viewer`` may know it."""
        ...

    def coach(self, actor: str) -> None:
        """Show ``actor``'s team a coach's hint: what a computer player searching on the
        team's own knowledge would order now."""
        ...

    def pause(self) -> None:
        """The umpire pauses the game (a neutral screen until resumed)."""
        ...

    def undo_resolution(self) -> None:
        """The umpire undoes the last resolution of orders."""
        ...

    def show_results(self) -> None:
        """Show the room what every team may see of the latest adjudication."""
        ...
