"""Help (the ? key): the keys of the screen in front of you and the words of the game."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Label, Static

from game.tui.screens.modals import Dialog

GENERAL_HELP = """\
Everywhere:
? | this help
Ctrl+S | save
Ctrl+Q | quit (the game is saved first)
Esc | close a dialog
Tab | next field (Shift+Tab: back); the mouse works too: click tabs, rows, buttons
Each actor has its scenario colour (colour-blind-safe), but every value is also written in \
words and signs, so the game reads the same with NO_COLOR set."""


def help_text(text: str) -> Group:
    """Help text: ``key | what it does`` lines as a two-column table, others as paragraphs."""
    parts: list[RenderableType] = []
    grid: Table | None = None
    for i, line in enumerate(text.splitlines()):
        key, bar, what = line.partition(" | ")
        if not bar:
            parts.append(Text(line, "bold" if i == 0 else "italic"))
            grid = None
            continue
        if grid is None:
            grid = Table.grid(padding=(0, 2), expand=True)
            grid.add_column(no_wrap=True, style="bold")
            grid.add_column(ratio=1)
            parts.append(grid)
        grid.add_row(key, what)
    return Group(*parts)


class HelpScreen(Dialog):
    """Keys for the current screen plus the general keys."""

    BINDINGS = [Binding("escape", "cancel", "Close"), Binding("question_mark", "cancel", "Close"),
                Binding("enter", "cancel", "Close", show=False)]

    DEFAULT_CSS = "HelpScreen #body { max-height: 80vh; }"

    def on_mount(self) -> None:
        self.query_one("#body").focus()  # ↑ ↓ scroll the help

    def __init__(self, screen_help: str) -> None:
        super().__init__()
        self.screen_help = screen_help

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Help — Power Play", id="title")
            with VerticalScroll(id="body"):
                yield Static(Group(help_text(self.screen_help), Text(""),
                                   help_text(GENERAL_HELP)))
        yield Footer()
