"""The adjudication display for the room: what every team may see of what just happened.

Revealed orders, dice rolls with their target and modifiers, outcomes, track changes with
arrows, thresholds crossed and events. ``x`` (or Enter on a line) shows why a line happened;
each event pops up first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from game.engine.views import LogLine
from game.tui.screens.modals import events_dialog, explain_dialog
from game.tui.widgets.loglist import LogList

RESULTS_HELP = """\
Results — what every team may see of the latest adjudication (safe for the projector).
↑ ↓ | move through the lines
x | why did this happen? (the chain of causes)
c, Enter | continue"""


class ResultsScreen(Screen[None]):
    """A public list of results; continue with c (or Enter)."""

    HELP = RESULTS_HELP
    BINDINGS = [Binding("c", "done", "Continue"), Binding("enter", "done", "Continue", show=False),
                Binding("x", "explain", "Explain")]
    DEFAULT_CSS = """
    ResultsScreen #title { background: $boost; text-style: bold; padding: 0 1; }
    """

    def __init__(self, title: str, lines: Sequence[LogLine],
                 explain: Callable[[int], list[str]], on_done: Callable[[], None], *,
                 resumed: bool = False) -> None:
        """``resumed``: where a loaded game stands; the list opens at its newest line and the
        events already shown in the game do not pop up again (they are in the list)."""
        super().__init__()
        self.resumed = resumed
        self.on_done = on_done
        self.title_text = title
        self.lines = list(lines)
        self.explain_fn = explain

    def compose(self) -> ComposeResult:
        yield Static(Text(self.title_text), id="title")
        yield LogList(id="results")
        yield Footer()

    def on_mount(self) -> None:
        results = self.query_one("#results", LogList)
        results.show(self.lines, follow=self.resumed)
        if not self.resumed:
            results.highlighted = 0 if self.lines else None
        results.focus()
        events = [(str(line.data["name"]), str(line.data["text"]))  # the facts, not the sentence
                  for line in self.lines if line.kind == "event"]
        if events and not self.resumed:
            self.app.push_screen(events_dialog(events))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_done()

    def action_explain(self) -> None:
        seq = self.query_one("#results", LogList).highlighted_seq()
        if seq is not None:
            self.app.push_screen(explain_dialog(self.explain_fn(seq)))

    def action_done(self) -> None:
        self.on_done()
