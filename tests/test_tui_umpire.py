"""The umpire's powers through the console: override and adjust (each needs a reason), the review
of an adjudication before its outcomes apply, undo the last resolution, pause and resume, end the
game early (with a reason) — and the explanation of a change."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.gameapi import new_game

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

TURN_1 = ["NORTH: mass_troops | leverage", "NORTH: appeal | the villages are ours",
          "SOUTH: mediate | talk first", "SOUTH: spy_flight", "COUNCIL: council_statement",
          "COUNCIL: pass"]


@asynccontextmanager
async def umpire_at(saves_dir: Path, actions: Sequence[str] = TURN_1,
                    name: str = "t1.json") -> AsyncIterator[tuple[PowerPlayApp, Driver]]:
    """The tutorial after ``actions``, saved and opened in the terminal UI at 80×24, the room's
    results skipped and the umpire sitting down."""
    game = new_game("tutorial", 1, {"control": "human"})
    for action in actions:
        game.submit(action)
    app = PowerPlayApp(None, None, str(game.save(saves_dir / name)), {})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.skip_results()
        await d.sit_down("the umpire")
        yield app, d


async def test_override_undo_adjust_pause_and_explain(saves_dir: Path) -> None:
    async with umpire_at(saves_dir) as (app, d):

        # override the failed mediation: a reason is required
        await d.tab("rulings")
        await d._goto_row("order-table", "SOUTH-1")
        await d.press("o")
        await d.expect("Override Southland, order 1: ", "(now: Failure)", "Roll: 2+5 = 7 vs 8")
        await d.press("enter")  # 'success' chosen; the cursor moves to the empty reason
        await d.press("enter")
        await d.expect("A reason is required")
        await d.type("the talks were agreed in the corridor")
        await d.press("enter")
        await d.expect("■ SOUTH    1      Mediate talks", "Success")

        await d.rule("NORTH-2", strength=-2, reason="a weak case")
        await d.rule("COUNCIL-1", outcome=1)  # weak
        await d.apply_results()
        await d.expect("Control review")
        await d.tab("board")
        await d.expect("Talks under way                 yes")

        # undo the resolution: back to the review, where an outcome can still be overridden
        await d.press("u", "y")
        await d.expect("Reveal and adjudication", "Review the results", "Weak")
        await d._goto_row("order-table", "COUNCIL-1")
        await d.press("o")
        await d.expect("Override Regional Council, order 1: Council statement (now:", "Weak)")
        await d.press("enter")  # 'Firm' chosen
        await d.type("the Council spoke firmly after all")
        await d.press("enter")
        await d.expect("decided  Firm ✎ overridden")
        await d.apply_results()
        await d.expect("Control review")

        # adjust a track by hand: a reason is required, and the range is checked
        await d.tab("board")
        await d._goto_row("track-table", "tension")
        await d.press("enter")
        await d.expect("Adjust Border tension")
        await d.press("end", "backspace", "backspace")
        await d.type("9")
        await d.press("enter")
        await d.expect("Border tension runs from 0 to 6")
        await d.press("backspace")
        await d.type("5")
        await d.press("tab", "enter")
        await d.expect("A reason is required")
        await d.type("skirmish reported by both sides")
        await d.press("enter")
        await d.expect("Border tension                  5")

        # the log explains the last change: back to the adjustment and its reason
        await d.tab("log")
        await d.press("x")
        await d.expect("Why?", "Border tension", "Umpire sets Border tension to 5")
        await d.press("escape")

        # pause: a neutral screen until the umpire resumes
        await d.press("p")
        await d.expect("PAUSED by the umpire")
        await d.press("enter")
        await d.skip_results()  # the room sees the results the umpire has made so far
        await d.sit_down("the umpire")
        await d.expect("Control review")
    log = [line.text for line in app.game.view("control").log]
    assert any("Southland — Mediate talks overridden by the umpire: Failure → Success — the talks "
               "were agreed" in t for t in log)
    assert any("overridden by the umpire: Weak → Firm — the Council spoke firmly" in t
               for t in log)
    assert any("Umpire sets Border tension to 5 — skirmish reported" in t for t in log)
    assert app.game.undone  # the undone resolution is kept for the audit


async def test_hold_an_inject_then_release_it_later(saves_dir: Path) -> None:
    turn_2 = [*TURN_1, "control: rule order=NORTH-2 strength=0", "control: rule order=COUNCIL-1 "
              "outcome=firm", "control: advance", "control: advance", "NORTH: pass", "SOUTH: pass",
              "COUNCIL: pass"]
    async with umpire_at(saves_dir, turn_2, "t2.json") as (app, d):
        # nobody gave an order in turn 2: no review, the game goes straight to the inject
        await d.expect("Inject waiting: Refugee convoy")
        await d.press("h")  # hold it: the game moves on to the review
        await d.expect("Control review")
        await d.tab("injects")
        await d.expect("Refugee convoy  held")
        await d.press("r")  # release it now, from the events list
        await d.expect("Control review")
        await d.tab("log")
        await d.expect("Refugee convoy", "Council support for Southland ▲")


async def test_end_the_game_early_with_a_reason(saves_dir: Path) -> None:
    """E asks for a reason; an empty one is refused with the engine's message and changes
    nothing, Esc changes nothing, and a reason ends the game: the room's results, then the end
    screen, and the log's end line keeps the reason."""
    async with umpire_at(saves_dir) as (app, d):
        await d.expect("Rule on 2 order(s)", "E End game")
        before = app.game.log_digest()

        await d.press("E")
        await d.expect("End the game now? The end-of-game objectives are scored.", "Reason ▸")
        await d.press("enter")  # no reason: the engine refuses, the dialog says why
        await d.expect("ending the game needs a reason")
        assert d.screen_name == "EndGameDialog"
        assert not app.game.is_over and app.game.log_digest() == before
        await d.press("escape")  # cancel: back to the console, nothing changed
        await d.expect("Rule on 2 order(s)")
        assert not app.game.is_over and app.game.log_digest() == before

        await d.press("E")
        await d.type("the seminar is out of time")
        await d.press("enter")
        shown = await d.skip_results()
        assert "the umpire ended the game: the seminar is out of time" in shown
        await d.expect("GAME OVER", "Ended: the umpire ended the game: the seminar is out of time",
                       "Scores (hidden objectives included)")
        assert d.screen_name == "EndScreen"
    assert app.game.is_over
    end = [line.text for line in app.game.view("control").log if line.kind == "end"]
    assert len(end) == 1 and "the umpire ended the game: the seminar is out of time" in end[0]


async def test_the_rulings_table_says_whose_order_and_its_number_in_words(saves_dir: Path) -> None:
    """Each order reads as its title does ('Northland, order 2'): the actor, then the number
    under 'Order' (a bare '#' first was read as the row's number: the rows went 1 2 1 2 1)."""
    async with umpire_at(saves_dir) as (app, d):
        await d.tab("rulings")
        shown = await d.expect("Appeal to the co", settle=True)
    rows = shown.replace("▌", " ").splitlines()  # the table has the focus: its bar
    head = next(i for i, line in enumerate(rows) if "Move" in line and "Status" in line)
    assert rows[head].split() == ["Actor", "Order", "Move", "Status", "Outcome"]
    assert [line.split()[1:3] for line in rows[head + 1:head + 6]] == [
        ["NORTH", "1"], ["NORTH", "2"], ["SOUTH", "1"], ["SOUTH", "2"], ["COUNCIL", "1"]]
    assert "Northland, order 2: Appeal to the council" in shown
