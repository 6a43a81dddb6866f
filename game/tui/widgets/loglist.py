"""The log panel: the viewer's log, newest last; ``x`` or Enter explains the highlighted line."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from game.engine.views import LogLine
from game.tui import render as R


class LogList(OptionList):
    """Log lines (already filtered for the viewer by the view) as a selectable list.

    The scroll bar's column is kept whether or not it shows: a line is laid out once, at the
    width it first had, so a bar appearing later cut its last word off ('stands with NATO's'
    for '… NATO's leaders.')."""

    DEFAULT_CSS = """
    LogList { height: 1fr; border: none; padding: 0 0; scrollbar-gutter: stable; }
    LogList:focus { border: none; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._seqs: list[int] = []

    def show(self, lines: Sequence[LogLine], *, limit: int = 400, follow: bool = True) -> None:
        """Show the last ``limit`` lines; keep the highlight at the end when ``follow``.

        New lines are appended to what is shown (a log only grows); after an undo, or when
        the window slides, the list is rebuilt."""
        shown = list(lines)[-limit:]
        seqs = [line.seq for line in shown]
        old = self._seqs
        if old and seqs[:len(old)] == old:
            fresh = shown[len(old):]
        else:
            self.clear_options()
            fresh = shown
        self._seqs = seqs
        if fresh:
            self.add_options([Option(R.log_line(line), id=str(line.seq)) for line in fresh])
        if shown and follow:
            self.highlighted = len(shown) - 1

    def highlighted_seq(self) -> int | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return int(option.id) if option.id is not None else None
