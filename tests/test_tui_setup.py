"""The terminal UI's setup screen as a facilitator meets it: where the keyboard starts, where Tab
goes, and that the focused control can be seen (a bar ``▌`` at its left, and nowhere else)."""

from __future__ import annotations

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.widgets.tables import KeyedTable

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

SIZE = (80, 24)

BAR = "▌"


def barred(text: str) -> list[str]:
    """What the screen's lines that carry the focus bar show after it."""
    return [" ".join(line.split(BAR, 1)[1].split()) for line in text.splitlines() if BAR in line]


async def test_focus_starts_on_the_first_seat_and_tab_goes_top_to_bottom_to_start() -> None:
    """The seats are what a facilitator sets first: the keyboard starts on the first seat, Enter
    changes it at once, and Tab runs down the screen (saved games, scenario, seed, seats) with
    Start last."""
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        await d.expect("Played by")
        seats = app.screen.query_one("#seats", KeyedTable)
        assert app.focused is seats and seats.highlighted_key() == "NORTH"
        await d.press("enter")
        await d.expect("NORTH Northland    computer")
        order = []
        for _ in range(5):
            await d.press("tab")
            order.append(app.focused.id or type(app.focused).__name__ if app.focused else None)
        # no save yet, so 'Resume the latest save' is disabled and Tab passes it by
        assert order == ["start", "load", "scenario", "seed", "seats"]


async def test_the_focused_control_and_only_it_carries_the_focus_bar() -> None:
    """Whatever has the focus shows a bar at its left edge (not a colour alone, which a
    projector or a monochrome terminal may lose); nothing else does."""
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        shown = await d.expect("Played by", settle=True)
        assert barred(shown) == ["Seat Played by", "■ NORTH Northland human team",
                                 "■ SOUTH Southland human team",
                                 "Umpire (white cell) human umpire"]
        await d.press("tab")
        assert barred(await d.settled()) == ["Start (s)"]
        await d.press("tab")
        assert barred(await d.settled()) == ["Load a save (l)"]
        await d.press("tab")
        assert barred(await d.settled()) == ["tutorial ▼ Seed 1"]
        await d.press("tab")
        assert barred(await d.settled()) == ["1"]
