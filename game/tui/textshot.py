"""The screen as plain text: for golden-file tests and for looking at a screen in a script.

It renders the current screen stack the way the terminal shows it (like textual's
``export_screenshot``, which makes SVG) and keeps the characters only.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.app import App


def screen_text(app: App[Any]) -> str:
    """What the terminal shows now, one line per row, trailing spaces removed."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    update = app.screen._compositor.render_update(  # the same call export_screenshot makes
        full=True, screen_stack=app._background_screens)
    console.print(update)
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines())
