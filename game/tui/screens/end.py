"""The end screen: how the game ended, the scores, a short summary and the true board."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.engine.views import View
from game.session import Result
from game.tui import render as R
from game.tui.widgets.tables import TrackTable

END_HELP = """\
Game over — scores (hidden objectives included), a summary, the true board.
Ctrl+S | save the finished game (for the debrief)
q | quit"""


class EndScreen(Screen[None]):
    """Scores, winners, summary, and every track as it truly is."""

    HELP = END_HELP
    BINDINGS = [Binding("q", "app.quit", "Quit")]
    DEFAULT_CSS = """
    EndScreen #title { background: $boost; text-style: bold; padding: 0 1; }
    EndScreen TrackTable { max-height: 100%; }
    """

    def __init__(self, result: Result, view: View, *,
                 board_title: str = "The board as it truly is:") -> None:
        super().__init__()
        self.result = result
        self.view = view
        self.board_title = board_title

    def compose(self) -> ComposeResult:
        v = self.view
        yield Static(Text(f" GAME OVER — {v.title} — turn {v.turn} of {v.turns}"), id="title")
        with VerticalScroll():
            reason = next((line.text.removeprefix("GAME OVER — ").split(". Scores:")[0]
                           for line in reversed(v.log) if line.kind == "end"),
                          self.result.reason)
            yield Static(Group(
                Text(f"Ended: {reason}", "bold"),
                Text(""),
                Text("Scores (hidden objectives included):", "bold"),
                R.scores_table(v, self.result.scores, self.result.winners),
                Text(""),
                Text(self.result.summary),
                Text(""),
                Text(self.board_title, "bold"),
            ))
            yield TrackTable(id="final-board")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#final-board", TrackTable).show(self.view)
