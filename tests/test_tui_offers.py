"""Pilot test: an offer made and answered through the terminal UI with no special screen —
the offer and its answers are moves like any other (issue 12; fixture
``tests/fixtures/scenarios/bargain.yaml``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

BARGAIN = str(Path(__file__).parent / "fixtures" / "scenarios" / "bargain.yaml")


async def test_a_team_makes_an_offer_and_the_other_accepts_it_from_its_menu() -> None:
    app = PowerPlayApp(BARGAIN, 1, None, {})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("WEST")
        await d.order("offer_deal", "a fair price", choices=(1,))  # export credit
        await d.finish()
        await d.sit_down("SOUTH")
        await d.expect("Accept Westland's deal", "an open offer")  # greyed out, with why
        await d.finish()
        await d.sit_down("EAST")
        await d.finish()
        await d.sit_down("the umpire")
        await d.apply_results()
        await d.skip_results()
        await d.sit_down("WEST")
        await d.finish()
        await d.sit_down("SOUTH")
        await d.expect("Accept Westland's deal", "✓ available")
        await d.tab("log")
        await d.expect("Westland offers Southland")  # its log tells it what is on the table
        await d.tab("moves")
        await d.order("take_deal", "the credit is worth it")
        await d.finish()
        await d.sit_down("EAST")
        await d.finish()
        await d.skip_results()  # the room sees the answer revealed
        await d.sit_down("the umpire")
        await d.apply_results()
        await d.skip_results()
    game = app.game
    assert game.engine.value("south_aid") == 2
    assert any("Southland accepts the offer of Westland" in x.text
               for x in game.view("WEST").log)
