"""Text from a scenario is data in the terminal UI (issue 20): the tutorial with every name and
text hostile (tests/fixtures/hostile-text.yaml: console markup such as '[/b]' with no opening tag
and '[@click=app.quit]', right-to-left marks, zero-width characters) is played for a turn by two
teams and the umpire — move forms, rulings, the review and the results — without a markup error,
without a link that quits, and with the brackets shown as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

HOSTILE = Path(__file__).parent / "fixtures" / "hostile-text.yaml"


async def test_a_turn_of_a_hostile_scenario_shows_its_text_literally() -> None:
    app = PowerPlayApp(str(HOSTILE), 1, None, {})
    async with app.run_test(size=(120, 40)) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d.order("mass_troops", "[b]leverage[/b] [@click=app.quit]")
        await d.order("appeal", "the villages [/]")
        await d.finish()
        await d.sit_down("SOUTH")
        await d.order("mediate", "talk first")
        await d.finish()
        await d.sit_down("the umpire")
        await d.order("council_statement", "calm")
        await d.finish()
        shown = await d.expect("Rule on 2 order(s)")
        await d.rule("NORTH-2", strength=1, reason="fair [/b]")
        await d.rule("COUNCIL-1", outcome=0)
        await d.apply_results()
        await d.press("n")
        shown += await d.results()
        assert app.is_running, "a name's [@click=app.quit] must not quit the game"
        assert app.game is not None and app.game.engine.state.turn == 2
    said = {d.action for d in app.game.decisions}
    assert "NORTH: mass_troops | [b]leverage[/b] [@click=app.quit]" in said
    assert "[/b]" in shown or "[/]" in shown, "bracketed text is shown as written"
