"""What the flagship's screens say, read whole and in names (no id, no word cut off): the umpire
plays the control-cell actors of kursk-2024 at 120×40, the four teams are computer players."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from game.engine.log import Kind
from game.engine.views import LogLine
from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.gameapi import FLAGSHIP, default_scenario, new_game
from game.tui.textshot import screen_text
from game.tui.widgets.loglist import LogList

pytestmark = [pytest.mark.skipif(default_scenario() != FLAGSHIP,
                                 reason=f"scenarios/{FLAGSHIP}.yaml is not installed"),
              pytest.mark.usefixtures("saves_dir")]

SEATS = {team: "greedy" for team in ("EU", "ROK", "RUS", "DPRK")}


async def test_the_umpires_moves_say_their_cost_in_names() -> None:
    """The highlighted control actor's move says its cost in the resource's name ('Cost: 1
    Action point'; it read '1 ap', the id), as a team's does."""
    app = PowerPlayApp(FLAGSHIP, 1, None, SEATS)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("the umpire")
        shown = await d.expect("Press for ceasefire talks", settle=True)
        assert "Cost: 1 Action point" in shown and "1 ap" not in shown


async def test_a_log_line_keeps_its_last_word_when_the_list_grows_a_scroll_bar() -> None:
    """A line that fits the whole width is shown whole once the list has more lines than room
    and a scroll bar takes two columns (it lost its last word: 'The Korean president stands
    with NATO's' for '… NATO's leaders.', kursk-2024's results at 120 columns)."""
    width = 60
    last = "x" * (width - 7 - len(" leaders.")) + " leaders."  # 7: the kind's word and a gap

    class Lines(App[None]):
        def compose(self) -> ComposeResult:
            yield LogList(id="log")

    app = Lines()
    async with app.run_test(size=(width, 10)) as pilot:
        log = app.query_one(LogList)
        log.show([LogLine(0, 1, Kind.OUTCOME, last, -1, {})])
        await pilot.pause()
        log.show([LogLine(i, 1, Kind.OUTCOME, last if i == 0 else f"line {i}", -1, {})
                  for i in range(30)], follow=False)
        await pilot.pause()
        shown = screen_text(app)
    assert "leaders." in shown, shown


async def test_a_retracted_order_is_named_as_its_title_reads() -> None:
    """r on a secret order says which, as the order's title reads ('Retracted Northland,
    order 1: Mass troops at the border'; it said 'Order #NORTH-1 retracted', the ref)."""
    app = PowerPlayApp("tutorial", 1, None, {})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("NORTH")
        await d.order("mass_troops")
        await d.tab("orders")
        await d.press("r")
        shown = await d.expect("Retracted Northland, order 1:", "Mass troops at the border")
        assert "NORTH-1" not in shown


async def test_an_events_name_with_a_colon_is_read_whole_in_the_pop_up() -> None:
    """The events' pop-up takes each event's name and text from the log line's facts: a name
    with a colon in it ('Moscow answers: a new nuclear doctrine and the Oreshnik') was cut at
    the colon, its rest run into the text ('⚑ Moscow answers' / 'a new nuclear doctrine and
    the Oreshnik: Two days after …')."""
    seats = {**SEATS, "control": "auto"}
    seats["EU"] = "human"
    app = PowerPlayApp(FLAGSHIP, 1, None, seats)
    async with app.run_test(size=(120, 60), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.start()
        await d.sit_down("EU")
        await d.finish()
        shown = await d.expect("EVENTS", "Moscow answers", settle=True)
        assert "⚑ Moscow answers: a new nuclear doctrine and the Oreshnik" in shown
        assert "a new nuclear doctrine and the Oreshnik: Two days" not in " ".join(shown.split())


async def test_every_log_line_starts_with_its_kinds_word(tmp_path: Path) -> None:
    """The word before a log line is the one the log's vocabulary declares for its kind (the
    terminal UI kept its own list, which lacked the umpire's 'moves the game on': it stood
    with no word, like a phase line)."""
    game = new_game("tutorial", 1, {"control": "human"})
    for action in ["NORTH: pass", "SOUTH: pass", "COUNCIL: pass", "control: advance"]:
        game.submit(action)
    app = PowerPlayApp(None, None, str(game.save(tmp_path / "t1.json")), {})
    async with app.run_test(size=(100, 40)) as pilot:
        d = Driver(app, pilot)
        await d.expect("RESUMED")
        await d.press("c")
        await d.sit_down("NORTH")
        await d.tab("log")
        shown = await d.expect("The umpire moves the game on.")
    assert "UMPIRE The umpire moves the game on." in " ".join(shown.split())
