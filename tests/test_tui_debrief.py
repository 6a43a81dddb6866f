"""At game over the terminal UI writes the debrief page (issue 13): 'd' on the end screen saves
the finished game and writes its HTML page beside the save, and says where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from game.report.html import debrief_path
from game.session import Game
from game.tui.app import PowerPlayApp
from game.tui.drive import Driver

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py


def said(app: PowerPlayApp) -> list[str]:
    """The messages the app will show as toasts (recorded as they are sent)."""
    told: list[str] = []
    real = app.notify

    def spy(message: str, **kw: Any) -> None:
        told.append(message)
        real(message, **kw)

    app.notify = spy  # type: ignore[method-assign]
    return told


async def test_the_end_screen_writes_the_debrief_beside_the_save(saves_dir: Path) -> None:
    game = Game.new("tutorial", seed=3, seats="all=random").play_out()
    loaded = game.save(saves_dir / "over.json")
    app = PowerPlayApp(None, None, str(loaded), {})
    told = said(app)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.skip_results()
        await d.expect("GAME OVER", "Scores (hidden objectives included)",
                       "d writes the debrief page")
        assert d.screen_name == "EndScreen"
        await d.press("d")
        await d.expect("Debrief written to", within=60)
        assert app.saved_to is not None and app.saved_to != loaded  # the finished game, saved
        page = debrief_path(app.saved_to)
        assert page.parent == app.saved_to.parent and page.exists()
        assert f"Debrief written to {page} — open it in a web browser." in told  # says where
        shown = "".join(d.text().split())  # the path wraps on an 100-column screen
        assert "".join(f"Debrief written to {page}".split()) in shown  # and the screen keeps it
        text = page.read_text("utf-8")
        assert text.startswith("<!DOCTYPE html>") and "id='causes'" in text
        assert Game.load(app.saved_to).log_digest() == game.log_digest()


async def test_a_debrief_that_cannot_be_written_says_why(saves_dir: Path) -> None:
    """A folder in the way of the page: an error naming it on screen, the save kept, the end
    screen still there."""
    game = Game.new("tutorial", seed=2, seats="all=random").play_out()
    app = PowerPlayApp(None, None, str(game.save(saves_dir / "t.json")), {})
    told = said(app)
    fixed = saves_dir / "fixed.json"
    debrief_path(fixed).mkdir()  # a folder where the page should go
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.skip_results()
        await d.expect("GAME OVER")
        app.screen.save = lambda: game.save(fixed)  # type: ignore[attr-defined]
        await d.press("d")
        await d.expect("Could not write the debrief", within=60)
        assert d.screen_name == "EndScreen"
    error = next(m for m in told if m.startswith("Could not write the debrief"))
    assert debrief_path(fixed).name in error
    assert Game.load(fixed).log_digest() == game.log_digest()  # the save is whole
