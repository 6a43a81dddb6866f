"""The end screen: how the game ended, the scores, a short summary and the true board; and
the debrief page (HTML, charts included) written beside a save of the finished game."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from game.engine.errors import EngineError
from game.engine.log import Kind
from game.engine.views import View
from game.report.html import write_beside
from game.session import Game, Result
from game.tui import render as R
from game.tui.widgets.tables import TrackTable

END_HELP = """\
Game over — scores (hidden objectives included), a summary, the true board.
Ctrl+S | save the finished game (for the debrief)
d | write the debrief page (HTML with charts) beside a save of the finished game
q | quit"""


DEBRIEF_HINT = "d writes the debrief page (HTML, charts) beside a save of the game"


class EndScreen(Screen[None]):
    """Scores, winners, summary, and every track as it truly is."""

    HELP = END_HELP
    BINDINGS = [Binding("d", "debrief", "Write the debrief (HTML)"),
                Binding("q", "app.quit", "Quit")]
    DEFAULT_CSS = """
    EndScreen #title { background: $boost; text-style: bold; padding: 0 1; }
    EndScreen #debrief { color: $text-muted; padding: 0 1; }
    EndScreen TrackTable { max-height: 100%; }
    """

    def __init__(self, result: Result, view: View, game: Game | None = None,
                 save: Callable[[], Path] | None = None, *,
                 board_title: str = "The board as it truly is:") -> None:
        """``save`` saves the finished ``game`` and says where (the page goes beside it)."""
        super().__init__()
        self.result = result
        self.view = view
        self.game = game
        self.save = save
        self.written: Path | None = None
        """Where the debrief page was written, once it was."""
        self.board_title = board_title

    def compose(self) -> ComposeResult:
        v = self.view
        yield Static(Text(f" GAME OVER — {v.title} — turn {v.turn} of {v.turns}"), id="title")
        yield Static(Text(DEBRIEF_HINT if self.save is not None else ""), id="debrief")
        with VerticalScroll():
            reason = next((str(line.data.get("text") or self.result.reason)
                           for line in reversed(v.log) if line.kind is Kind.END),
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

    def action_debrief(self) -> None:
        if self.game is None or self.save is None:
            self.notify("No game to write a debrief of.", severity="warning")
            return
        self.notify("Writing the debrief page (charts take a few seconds)…")
        self.run_worker(self._write, thread=True, exclusive=True, group="debrief")

    def _write(self) -> None:
        """Save the finished game, then write its page beside the save (in a thread: the
        charts take a moment and the screen stays live)."""
        assert self.game is not None and self.save is not None
        try:
            page = write_beside(self.game, self.save())
        except (EngineError, OSError) as exc:
            self.app.call_from_thread(self.notify, f"Could not write the debrief: {exc}",
                                      severity="error", timeout=15)
            return
        self.written = page
        said = f"Debrief written to {page} — open it in a web browser."
        self.app.call_from_thread(self._written, said)

    def _written(self, said: str) -> None:
        self.query_one("#debrief", Static).update(Text(said))
        self.notify(said, title="Debrief", timeout=30)
