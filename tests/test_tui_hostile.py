"""Text from a scenario is data in the terminal UI (issue 20): the tutorial with every name and
text hostile (tests/fixtures/hostile-text.yaml: console markup such as '[/b]' with no opening tag
and '[@click=app.quit]', right-to-left marks, zero-width characters) is played for a turn by two
teams and the umpire — move forms, rulings, the review and the results — without a markup error,
without a link that quits, with the brackets shown as written and control characters (an OSC 52
clipboard write) drawn as placeholders, never sent to the terminal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.textshot import screen_text

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

HOSTILE = Path(__file__).parent / "fixtures" / "hostile-text.yaml"
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What a terminal would obey rather than show."""


async def test_a_turn_of_a_hostile_scenario_shows_its_text_literally() -> None:
    app = PowerPlayApp(str(HOSTILE), 1, None, {})
    async with app.run_test(size=(120, 40)) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        team_screen = screen_text(app)
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
    # the move's text holds an OSC 52 sequence (write the clipboard): shown, not sent to obey
    assert "␛]52;c;cHduZWQ=" in team_screen
    obeyed = {f"U+{ord(c):04X}" for c in OBEYED.findall(team_screen + shown)}
    assert not obeyed, obeyed
