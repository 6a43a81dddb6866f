"""Where the keys go, on every screen of a game: the focused widget carries a bar ``▌`` at its
left (seen without colour; its cursor is in the accent colour too) and nothing else does — the
setup screen's focus style, now on the team screen's tabs, tables, panes and log, the results,
the order form and the umpire's console. (Only the setup screen had it: a keyboard-only player
on the moves table could not tell the table from its detail pane or the tab bar.)"""

from __future__ import annotations

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

SIZE = (100, 30)

BAR = "▌"


def barred(text: str) -> list[str]:
    """What the screen's lines that carry the focus bar show after it (as test_tui_setup; a
    dialog's right edge left out)."""
    return [" ".join(line.split(BAR, 1)[1].split()).rstrip(" █") for line in text.splitlines()
            if BAR in line]


async def test_the_team_screen_shows_where_the_focus_is() -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        shown = await d.expect("Mass troops at the border", settle=True)
        bars = barred(shown)
        assert bars[0].startswith("Move Cost Odds Status")  # the moves table, its header on
        assert any(line.startswith("Mass troops at the border") for line in bars)
        assert not any("Orders given" in line or "1 Moves" in line for line in bars)
        await d.press("tab")  # the move's detail pane
        bars = barred(await d.settled())
        assert bars and not any(line.startswith("Move Cost") for line in bars)
        assert any("Cost:" in line for line in bars)
        await d.press("tab")  # the tab bar
        assert barred(await d.settled())[0].startswith("▸1 Moves 2 Board")
        await d.tab("log")
        bars = barred(await d.settled())
        assert any(line.startswith("TURN Turn 1 begins") for line in bars)
        await d.tab("orders")
        assert barred(await d.settled())[0].startswith("Actor Order Move Status")
        await d.tab("board")
        bars = barred(await d.settled())
        assert bars[0].startswith("Track Value Gauge Rung") and len(bars) > 3


async def test_the_order_form_results_and_umpire_console_show_the_focus() -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d._select_row("move-table", "mass_troops")
        shown = await d.expect("orders:", settle=True)
        assert barred(shown) == ["why this move…"]  # the rationale, not the table under it
        await d.press("tab")
        assert barred(await d.settled()) == ["Submit ⏎ Cancel (Esc)"]
        await d.press("escape")
        await d.order("mass_troops")
        await d.finish()
        await d.sit_down("SOUTH")
        await d.finish()
        await d.sit_down("the umpire")
        shown = await d.expect("UMPIRE", settle=True)
        bars = barred(shown)
        assert bars and bars[0].startswith("Actor Move Cost Odds Status")  # Play COUNCIL
        await d.finish()
        await d.apply_results()
        await d.expect("Control review")
        await d.press("n")
        shown = await d.expect("RESULTS, turn 1", "Border incident", settle=True)
        assert barred(shown) == ["Continue ⏎"], app.focused  # the event's pop-up, not the list under it
        await d.press("enter")
        await d.expect("RESULTS, turn 1")
        bars = barred(await d.settled())
        assert bars and bars[0].startswith("TURN Turn 1 begins"), shown


async def test_a_toast_does_not_look_like_the_focus() -> None:
    """A toast's edge is not the focus bar (textual draws it with the same ▌): after an order,
    only the moves table carries the bar, not the 'Order given' toast beside it."""
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d.order("mass_troops")
        shown = await d.expect("Order given", settle=True)
        assert not any("Order given" in line for line in barred(shown))
