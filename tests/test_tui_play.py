"""Pilot tests: whole games through the terminal UI, driven by keys, checked on the screen.

The tutorial is played from the setup screen to the end screen by two human teams and a human
umpire: hand-offs, secret orders, dice, a matrix argument ruled by strength and one by the
teams' estimates, an umpire-decided move, the turn-2 inject released from the console and shown
to the room as a pop-up, a save in the middle, and the rest played after loading that save.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.widgets.loglist import LogList

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

SIZE = (80, 24)


async def play_turn_1(d: Driver) -> None:
    await d.start()
    await d.sit_down("NORTH")
    await d.expect("Mass troops at the border", "certain", "58%", "Action points 2/3")
    await d.order("mass_troops", "leverage before talks")
    await d.order("appeal", "the villages were always ours")
    await d.tab("orders")
    await d.expect("Mass troops at the border", "secret until revealed", "Appeal to the council")
    await d.finish()

    await d.sit_down("SOUTH")
    await d.tab("board")
    await d.expect("Northland troops at the border  ≈")  # a range, not the truth
    await d.order("mediate", "talk first")
    await d.order("spy_flight")
    await d.finish()

    await d.sit_down("the umpire")
    await d.expect("UMPIRE", "Play COUNCIL")
    await d.order("council_statement", "calm everyone")
    await d.finish()
    await d.expect("Rule on 2 order(s)", "awaiting ruling", "the villages were always ours")
    await d.rule("NORTH-2", strength=1, reason="a fair point, well made")
    await d.rule("COUNCIL-1", outcome=0)  # firm
    # the review: every roll and ruling is in, nothing applied yet; n applies them
    await d.expect("Mediate talks", "vs 8", "Firm")
    assert not any(x.kind == "outcome" for x in d.app.game.view("control").log)
    await d.apply_results()
    await d.expect("Control review", "n moves the game on")
    await d.press("n")
    shown = await d.results()
    assert "RESULTS, turn 1" in shown
    assert "rolled" in shown and "vs 8" in shown  # the mediation dice, with the target
    assert "Border tension ▲" in shown
    assert "Council statement: Firm" in shown
    assert "troops at the border ▲" not in shown  # a secret track stays secret


async def play_turn_2_save_and_see_the_inject(d: Driver) -> Path:
    await d.sit_down("NORTH")
    await d.order("propaganda", "", choices=(1,))  # aimed at the Council
    await d.finish()
    await d.sit_down("SOUTH")
    await d.order("build_intel", "listen")
    await d.finish()
    await d.sit_down("the umpire")
    await d.finish()  # the Council gives no order this turn
    await d.expect("Claim the villages", "Build a listening network")
    await d.apply_results()
    await d.expect("Inject waiting: Refugee convoy", "Release (r)", "Hold (h)", "Skip (k)")
    await d.press("r")
    await d.expect("Control review")
    await d.press("ctrl+s")
    await d.expect("Saved to")
    app = d.app
    assert isinstance(app, PowerPlayApp) and app.saved_to is not None
    await d.press("n")
    assert d.screen_name == "MessageDialog"  # the inject pops up for the room
    await d.expect("EVENT", "Refugee convoy", "Villagers flee south")
    shown = await d.results()
    assert "RESULTS, turn 2" in shown and "Council support for Southland ▲" in shown
    await d.expect("Pass the keyboard to", "NORTH", "turn 3/3")
    return app.saved_to


async def play_turn_3_from_save(d: Driver) -> str:
    shown = await d.results()  # a resumed game first shows the room its turn so far
    assert "RESUMED — turn 2/3, Control review: turn 2 so far." in shown
    assert "Refugee convoy" in shown
    await d.sit_down("the umpire")
    await d.expect("Control review", "turn 2/3")
    await d.press("n")
    shown = await d.results()
    assert "Southland intelligence ▲ 2 → 3" in shown  # the listening network, second turn
    await d.sit_down("NORTH")
    await d.finish()  # no orders: confirm
    await d.sit_down("SOUTH")
    await d.order("appeal", "the convoy was seen by all")
    await d.finish()
    await d.sit_down("the umpire")
    await d.finish()
    appeal = next(o.ref for o in d.app.game.view("control").orders if o.move == "appeal")
    await d.rule(appeal, estimates="0.7/0.5", reason="the teams' estimates")
    await d.apply_results()
    shown = await d.results()
    assert "the teams' estimates average 60%" in shown
    return await d.expect("GAME OVER", "Scores", "winner", "The board as it truly is")


async def test_whole_tutorial_game_with_save_and_resume() -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        d = Driver(app, pilot)
        await play_turn_1(d)
        path = await play_turn_2_save_and_see_the_inject(d)
    assert path.is_file()

    resumed = PowerPlayApp(None, None, str(path), {})
    async with resumed.run_test(size=SIZE, notifications=True) as pilot:
        end = await play_turn_3_from_save(Driver(resumed, pilot))
    assert "Ended: the last turn (3) is over" in end
    assert "Northland troops at the border" in end  # the truth, revealed for the debrief


async def test_resume_takes_up_the_save_made_on_quitting(saves_dir: Path) -> None:
    """A turn ends → an autosave; in the next turn a team gives an order and the game is quit
    at the next hand-off (saved first). 'Resume' on the setup screen takes up that newer save,
    says which game, turn and time it is, and the order is still there (it resumed the turn's
    autosave, and the order was lost)."""
    app = PowerPlayApp("tutorial", 3, None, {"control": "auto"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        for team in ("NORTH", "SOUTH"):
            await d.sit_down(team)
            await d.finish()  # confirm: no orders
        await d.results()
        await d.expect("Pass the keyboard to", "turn 2/3")
        assert list((saves_dir / "autosave").glob("tutorial-turn02-*.json"))
        await d.sit_down("NORTH")
        await d.order("mass_troops", "before the talks")
        await d.finish()
        await d.expect("Pass the keyboard to", "SOUTH")
        await d.press("ctrl+q")
        await d.expect("The game is saved first")
        await d.press("y")
    (quit_save,) = saves_dir.glob("tutorial-turn2-*.json")

    again = PowerPlayApp(None, None, None, {})
    async with again.run_test(size=(110, 30), notifications=True) as pilot:
        d = Driver(again, pilot)
        await d.expect("POWER PLAY", "Resume the latest save", "The Border Crisis (tutorial), turn 2 of 3",
                       "saved today at", quit_save.name)
        await d.press("r")
        await d.expect("RESUMED — turn 2/3, Secret orders")
        await d.press("c")
        await d.expect("Pass the keyboard to", "SOUTH", "turn 2/3")
        orders = again.game.view("NORTH").orders
        assert [o.move for o in orders] == ["mass_troops"]


async def quit_in_turn_2_after_an_order(d: Driver, saves_dir: Path) -> Path:
    """Turn 1: Northland masses troops, Southland mediates (an automatic umpire); turn 2:
    Northland gives an order and the game is quit at Southland's hand-off."""
    await d.start()
    await d.sit_down("NORTH")
    await d.order("mass_troops", "leverage")
    await d.finish()
    await d.sit_down("SOUTH")
    await d.order("mediate", "talk first")
    await d.finish()
    await d.results()
    await d.sit_down("NORTH")
    await d.order("propaganda", "", choices=(1,))
    await d.finish()
    await d.expect("Pass the keyboard to", "SOUTH")
    await d.press("ctrl+q")
    await d.expect("The game is saved first")
    await d.press("y")
    (path,) = saves_dir.glob("tutorial-turn2-*.json")
    return path


@pytest.mark.parametrize("how", ["--load", "Resume"])
async def test_a_resumed_game_shows_where_it_stands_then_whose_turn_it_is(
        saves_dir: Path, how: str) -> None:
    """A game resumed (``powerplay play --load``, or Resume on the setup screen) in turn 2,
    before any order of it is resolved, opens on the room's page of where it stands: turn 1's
    results, then turn 2 so far (its opening, its phases), at its newest line, with no pop-up
    of events already shown; c goes on to the hand-off of the seat the game waits for. (It
    opened on 'RESULTS, turn 2' holding only the turn's opening lines.)"""
    app = PowerPlayApp("tutorial", 3, None, {"control": "auto"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        path = await quit_in_turn_2_after_an_order(Driver(app, pilot), saves_dir)

    again = PowerPlayApp(None, None, str(path) if how == "--load" else None, {})
    async with again.run_test(size=(110, 40), notifications=True) as pilot:
        d = Driver(again, pilot)
        if how == "Resume":
            await d.expect("Resume the latest save")
            await d.press("r")
        shown = await d.expect("RESUMED — turn 2/3, Secret orders: turn 1's results, then "
                               "turn 2 so far.", settle=True)
        assert d.screen_name == "ResultsScreen"
        for line in ("Turn 1 begins", "Mediate talks: Failure", "Council statement: Weak",
                     "Turn 2 begins", "Phase: Secret orders."):
            assert line in shown, line
        assert "Claim the villages" not in shown  # Northland's turn-2 order is still secret
        results = again.screen.query_one("#results", LogList)
        assert results.highlighted == results.option_count - 1  # at its newest line
        await d.press("c")
        await d.expect("Pass the keyboard to", "SOUTH", "turn 2/3")
        await d.press("enter")
        await d.expect("■ SOUTH │ Secret orders · turn 2/3")


async def test_unavailable_move_is_explained_not_ordered() -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d.order("mass_troops")
        await d.expect("✗ may be made once a turn")
        await d.press("enter")  # the cursor is still on it
        assert d.screen_name == "TeamScreen"
        await d.expect("Not available: may be made once a turn")
        assert len(app.game.view("NORTH").orders) == 1


async def test_a_team_asks_the_coach_and_reads_names() -> None:
    """c on a team's screen shows the options a computer player finds best, by their names
    (never ids), with how often it tried them; the game is unchanged and the team still
    chooses."""
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        before = app.game.log_digest()
        await d.press("c")
        shown = await d.expect("Coach for Northland", "1. ", "tried", "on average")
        assert "mass_troops" not in shown and "NORTH:" not in shown
        names = {m.name for m in app.game.view("NORTH").moves} | {"Give no more orders (pass)"}
        assert any(n in shown for n in names)
        await d.press("enter")
        assert d.screen_name == "TeamScreen"
        assert app.game.log_digest() == before


async def test_bad_save_file_is_reported_on_the_setup_screen(saves_dir: Path) -> None:
    bad = saves_dir / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    app = PowerPlayApp(None, None, str(bad), {})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.expect("POWER PLAY — set up a game", "Cannot open the game")


async def test_no_color_keeps_the_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR the app draws in greys; every value is still written out in words and
    signs (✓ ✗ ≈ ▲ █ │, actor ids), so nothing is carried by colour alone."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        assert any(type(f).__name__ in ("Monochrome", "NoColor") for f in app._filters)
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d.order("mass_troops")
        await d.expect("■ NORTH │", "✓ available", "✗ may be made once a turn")
        await d.tab("board")
        await d.expect("█", "│", "below Standoff", "6 thousand")


async def test_a_seat_can_be_given_a_script_and_a_missing_one_is_reported(
        saves_dir: Path) -> None:
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        d = Driver(app, pilot)
        await d._goto_row("seats", "SOUTH")
        await d.press(*["enter"] * 5)  # human → random → greedy → ismcts → passive → script…
        await d.expect("SOUTH plays from a script")
        await d.type(str(saves_dir / "missing.txt"))
        await d.press("enter")
        await d.expect("script missing.txt")
        await d.press("s")
        await d.expect("Cannot open the game", "POWER PLAY — set up a game")
