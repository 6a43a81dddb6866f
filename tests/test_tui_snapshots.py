"""Golden text of the main screens at 80×24, compared with ``tests/snapshots/tui/*.txt``.

Regenerate after a deliberate change with::

    POWERPLAY_UPDATE_SNAPSHOTS=1 pytest tests/test_tui_snapshots.py

and read the diff before committing it. Games are set up through the facade and saved, then
opened in the UI, so each screen is reached in a few keys.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from game.session import Game
from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.gameapi import new_game

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

GOLDEN = Path(__file__).parent / "snapshots" / "tui"
UPDATE = bool(os.environ.get("POWERPLAY_UPDATE_SNAPSHOTS"))
SIZE = (80, 24)


def check(name: str, text: str) -> None:
    """Compare the screen with its golden file (or write it when updating)."""
    path = GOLDEN / f"{name}.txt"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote a new golden file {path}; check it and commit it")
        return
    assert text + "\n" == path.read_text(encoding="utf-8"), (
        f"{name} differs from {path} (set POWERPLAY_UPDATE_SNAPSHOTS=1 to regenerate)")


def tutorial(actions: Iterable[str]) -> Game:
    game = new_game("tutorial", 1, {"control": "human"})
    for action in actions:
        game.submit(action)
    return game


TURN_1 = ["NORTH: mass_troops | leverage", "NORTH: appeal | the villages are ours",
          "SOUTH: mediate | talk first", "SOUTH: spy_flight", "COUNCIL: council_statement",
          "COUNCIL: pass"]


async def test_setup_handoff_and_team_screens() -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        check("setup", await d.expect("POWER PLAY", settle=True))
        await d.start()
        check("handoff", await d.expect("Pass the keyboard to", settle=True))
        await d.press("enter")
        check("team_moves", await d.expect("Mass troops", settle=True))
        await d.press("down", "down", "enter")
        check("move_form", await d.expect("Your argument", settle=True))
        await d.press("escape")
        await d.tab("board")
        check("team_board", await d.expect("Border tension", settle=True))
        await d.tab("brief")
        check("team_briefing", await d.expect("Private briefing", settle=True))
        await d.press("question_mark")
        check("help_team", await d.expect("Help", settle=True))


async def test_umpire_console_rulings_and_results(saves_dir: Path) -> None:
    path = tutorial(TURN_1).save(saves_dir / "turn1.json")
    app = PowerPlayApp(None, None, str(path), {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        await d.skip_results()
        await d.sit_down("the umpire")
        check("umpire_rulings", await d.expect("Rule on 2 order(s)", settle=True))
        await d.press("enter")
        check("ruling_dialog", await d.expect("Strength of the argument", settle=True))
        await d.press("escape")
        await d.rule("NORTH-2", strength=1)
        await d.rule("COUNCIL-1", outcome=0)
        check("umpire_review", await d.expect("Review the results", settle=True))
        await d.apply_results()
        await d.tab("board")
        check("umpire_board", await d.expect("Control review", settle=True))
        await d.press("n")
        check("results_event", await d.expect("RESULTS, turn 1", "EVENT", settle=True))
        await d.press("enter")
        check("results", await d.expect("RESULTS, turn 1", settle=True))


async def test_inject_and_end_screens(saves_dir: Path) -> None:
    game = tutorial([*TURN_1, "control: rule order=NORTH-2 strength=1", "control: rule order=COUNCIL-1 "
                     "outcome=firm", "control: advance", "control: advance", "NORTH: pass",
                     "SOUTH: pass", "COUNCIL: pass"])  # no orders: no review to advance
    app = PowerPlayApp(None, None, str(game.save(saves_dir / "turn2.json")), {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        await d.skip_results()
        await d.sit_down("the umpire")
        check("inject_dialog", await d.expect("Inject waiting: Refugee convoy", settle=True))

    for action in ["control: release event=refugee_convoy", "control: advance",
                   "NORTH: pass", "SOUTH: pass", "COUNCIL: pass"]:
        game.submit(action)
    app = PowerPlayApp(None, None, str(game.save(saves_dir / "end.json")), {})
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        await d.skip_results()
        check("end", await d.expect("GAME OVER", settle=True))
