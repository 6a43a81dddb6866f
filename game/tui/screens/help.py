"""Help (the ? key): the keys of the screen in front of you and the words of the game."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Label, Static

from game.tui.screens.modals import Dialog

GENERAL_HELP = """\
Everywhere:  ?  this help   Ctrl+S  save   Ctrl+Q  quit (saves first)   Esc  close a dialog
Tab / Shift+Tab move between fields; the mouse works too (click tabs, rows and buttons).
Colours follow each actor's colour-blind-safe colour, but every value is also written in
words, so the game reads the same with NO_COLOR set."""


class HelpScreen(Dialog):
    """Keys for the current screen plus the general keys."""

    BINDINGS = [Binding("escape", "cancel", "Close"), Binding("question_mark", "cancel", "Close"),
                Binding("enter", "cancel", "Close", show=False)]

    def __init__(self, screen_help: str) -> None:
        super().__init__()
        self.screen_help = screen_help

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Help — Power Play", id="title")
            with VerticalScroll(id="body"):
                yield Static(Group(Text(self.screen_help), Text(""), Text(GENERAL_HELP)))
        yield Footer()
