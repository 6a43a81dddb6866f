"""The hand-off keeps each team's secrets: nothing of the previous team is left on screen,
in a dialog or toast, or in any screen kept below — the next team's screen is built afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.gameapi import new_game
from game.tui.screens.results import ResultsScreen
from game.tui.screens.team import TeamScreen

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

SECRET_RATIONALE = "XYZZY keep the brigade hidden"
NORTH_PRIVATE = "You want the villages without a war"
NORTH_HIDDEN_OBJECTIVE = "Split the Council"


def north_secrets(app: PowerPlayApp) -> list[str]:
    """What NORTH knows and SOUTH must not see: its private briefing, hidden objective, its
    secret order and rationale, and the exact number of its troops."""
    troops = app.game.view("NORTH").track("north_troops")
    assert troops.status == "exact"
    return [SECRET_RATIONALE, NORTH_PRIVATE, NORTH_HIDDEN_OBJECTIVE, "Mass troops at the border",
            f"{troops.value:g} thousand"]


async def test_handoff_leaves_nothing_of_the_previous_team() -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d.order("mass_troops", SECRET_RATIONALE)
        secrets = north_secrets(app)
        await d.tab("brief")
        await d.expect(NORTH_PRIVATE, NORTH_HIDDEN_OBJECTIVE)
        await d.tab("board")
        await d.expect(secrets[-1])  # NORTH sees its own troops exactly
        await d.tab("orders")
        await d.expect("Mass troops at the border")
        await d.finish()  # hand on with one order (confirm not needed) — a toast was up

        shown = await d.expect("Pass the keyboard to", "SOUTH")
        for secret in secrets:
            assert secret not in shown, secret
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "HandoffScreen"]
        assert not app.query(TeamScreen) and not app.screen.query("DataTable, OptionList")

        await d.press("enter")  # SOUTH sits down: every tab of its screen is clean too
        for tab in ("moves", "board", "orders", "brief", "log"):
            await d.tab(tab)
            shown = await d.expect("■ SOUTH │")
            for secret in secrets:
                assert secret not in shown, (tab, secret)
        await d.tab("board")
        await d.expect("Northland troops at the", "≈")  # an estimate, never the truth


async def test_help_and_save_on_the_handoff_screen_show_no_secrets() -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d.order("mass_troops", SECRET_RATIONALE)
        secrets = north_secrets(app)
        await d.finish()
        await d.press("ctrl+s", "question_mark")
        shown = await d.expect("Help", "Hand-off", "Saved to")
        for secret in secrets:
            assert secret not in shown, secret


async def test_the_rooms_results_explain_only_what_every_team_may_follow(
        tmp_path: Path) -> None:
    """The results screen is the room's view: its 'why?' follows the causes every team may
    see and says where the chain goes on out of sight (here: the umpire's ruling)."""
    game = new_game("tutorial", 1, {"control": "human"})
    for action in ["NORTH: mass_troops | XYZZY", "NORTH: pass", "SOUTH: pass",
                   "COUNCIL: council_statement", "COUNCIL: pass",
                   "control: rule order=COUNCIL-1 outcome=firm | the room never hears this",
                   "control: advance"]:
        game.submit(action)
    app = PowerPlayApp(None, None, str(game.save(tmp_path / "t1.json")), {})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        d = Driver(app, pilot)
        while d.screen_name == "MessageDialog":  # the turn's event, for the room
            await d.press("enter")
        shown = await d.expect("RESUMED — turn 1/3", "Council statement: Firm")
        assert "XYZZY" not in shown and "Mass troops" not in shown  # NORTH's secret move
        screen = app.screen
        assert isinstance(screen, ResultsScreen)
        index = next(i for i, line in enumerate(screen.lines)
                     if line.kind == "outcome" and "Council statement" in line.text)
        await d.press("home", *["down"] * index, "x")
        shown = await d.expect("Why?", "Council statement: Firm",
                               "(a cause not every team may see)")
        assert "the room never hears this" not in shown
