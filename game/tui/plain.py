"""The terminal UI's last line of defence for text that is data (issue 20).

Scenario and player text reaches the screen through many widgets; markup is already kept out
(``Text`` objects, ``markup=False``), but a control character inside a name or a briefing would
still reach the terminal, which obeys it: an OSC 52 sequence writes the clipboard, CSI 2J clears
the screen, and a right-to-left override reorders the line. Every line the app draws passes
through :class:`ShowControlCharacters`, a textual line filter (``App.get_line_filters``), which
draws each such character as the visible placeholder :func:`game.textsafe.for_terminal` gives
it, keeping the line's width. Only the text of segments changes; the app's own styling is
written by textual from the segments' styles, not from their text.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter

from game.textsafe import for_terminal, is_plain


class ShowControlCharacters(LineFilter):
    """Draws control characters and direction overrides in a line as visible placeholders."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if all(seg.control or is_plain(seg.text) for seg in segments):
            return segments
        width = Segment.get_line_length(segments)
        shown = [seg if seg.control or is_plain(seg.text)
                 else Segment(for_terminal(seg.text, keep_lines=False), seg.style)
                 for seg in segments]
        return list(Segment.adjust_line_length(shown, width))


class PlainTextApp(App[int]):
    """The app every terminal screen of Power Play runs in (hot seat and ``powerplay join``):
    every line it draws passes :class:`ShowControlCharacters`. A screen under another (a dialog)
    is marked ``-suspended``, so the focus it keeps for later is not drawn as where the keys go."""

    SUSPENDED_SCREEN_CLASS = "-suspended"

    def __init__(self) -> None:
        super().__init__()
        self.show_controls = ShowControlCharacters()

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), self.show_controls]
