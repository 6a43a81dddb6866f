"""The game is paused by the umpire: a neutral screen until the umpire resumes it."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Static

PAUSED_HELP = """\
Paused — the umpire has stopped the game; nothing can be ordered until it resumes.
Enter | (umpire) resume the game"""


class PausedScreen(Screen[None]):
    HELP = PAUSED_HELP
    BINDINGS = [Binding("enter", "resume", "Resume (umpire)")]
    DEFAULT_CSS = """
    PausedScreen #card { width: auto; border: double $warning; padding: 1 3;
                         text-style: bold; }
    """

    def __init__(self, on_resume: Callable[[], None]) -> None:
        super().__init__()
        self.on_resume = on_resume

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static("⏸  PAUSED by the umpire\n\nThe umpire presses Enter to resume.",
                         id="card")
        yield Footer()

    def action_resume(self) -> None:
        self.on_resume()
