"""A turn of the flagship scenario through the terminal UI with all four teams human."""

from __future__ import annotations

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.gameapi import FLAGSHIP, default_scenario

pytestmark = [pytest.mark.skipif(default_scenario() != FLAGSHIP,
                                 reason=f"scenarios/{FLAGSHIP}.yaml is not installed"),
              pytest.mark.usefixtures("saves_dir")]

TEAMS = ("EU", "ROK", "RUS", "DPRK")


async def test_a_turn_of_kursk_with_four_human_teams() -> None:
    app = PowerPlayApp(None, 1, None, {})  # no scenario given: the flagship opens
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.expect("kursk-2024", *TEAMS, "human team", "human umpire")
        await d.start()
        given = {}
        for team in TEAMS:
            await d.sit_down(team)
            view = app.game.view(team)
            await d.expect(f"■ {team} │ Secret orders · turn 1/")
            move = next(m for m in view.moves if m.legal and not m.params)
            await d.order(move.move, f"{team}'s plan for turn one")
            await d.expect("Orders given: 1")
            given[team] = move
            await d.finish()
        await d.sit_down("the umpire")
        await d.expect("UMPIRE", "USA", "UKR", "CHN", "JPN")
        shown = await d.umpire_until_handoff()
        shown += await d.results()
        await d.expect("Pass the keyboard to", "EU", "turn 2/")
    assert "RESULTS, turn 1" in shown
    for team, move in given.items():  # every order went through adjudication
        assert any(line.kind == "outcome" and move.name in line.text
                   for line in app.game.view("control").log), (team, move.name)
