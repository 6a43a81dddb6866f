"""The privacy hand-off: a neutral screen between two seats at one keyboard.

It is a fresh screen with nothing of the previous seat in it: the previous seat's screen and
its dialogs have been removed (not covered), and the app runs in the terminal's alternate
screen, so there is no scroll-back to page through either.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

HANDOFF_HELP = """\
Hand-off — the screen is blank between teams, so no team sees another's secrets.
Enter | the named team (or the umpire) is alone at the screen: show its view
Ctrl+S | save the game now
Ctrl+Q | quit (the game is saved first)"""


class HandoffScreen(Screen[None]):
    """'Pass to ROK — press Enter when only ROK is looking'."""

    HELP = HANDOFF_HELP
    BINDINGS = [Binding("enter", "go", "Show the screen")]
    DEFAULT_CSS = """
    HandoffScreen #card { width: auto; max-width: 76; height: auto; border: double $primary;
                          padding: 1 3; text-align: center; }
    """

    def __init__(self, seat_id: str, who: str, color: str, context: str,
                 on_enter: Callable[[], None]) -> None:
        super().__init__()
        self.on_enter = on_enter
        self.seat_id = seat_id
        self.who = who
        self.color = color
        self.context = context

    def compose(self) -> ComposeResult:
        card = Text(justify="center")
        card.append("Pass the keyboard to\n\n")
        if self.seat_id != "control":
            card.append("■ ", f"bold {self.color}" if self.color else "bold")
        card.append(f"{self.who}\n\n", "bold")
        card.append(f"Press Enter when only {self.who} is looking.\n\n", "bold")
        card.append(self.context, "dim")
        with Middle(), Center():
            yield Static(card, id="card")
        yield Footer()

    def action_go(self) -> None:
        self.on_enter()
