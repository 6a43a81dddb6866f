"""Numbers people read, in one formatting (game.present): every track at its declared precision
with its unit, the same on every terminal screen as in the log and the debrief."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rich.console import Group
from rich.text import Text

from game import present as P
from game.engine.views import TrackView
from game.scenario.model import Track
from game.session import Game
from game.tui import render as R
from game.tui.app import PowerPlayApp
from game.tui.drive import Driver
from game.tui.gameapi import new_game
from game.tui.screens.rulings import editable

HUMANS = {"EU": "human", "ROK": "human", "RUS": "human", "DPRK": "human", "control": "human"}


def kursk_with_losses() -> Game:
    """The flagship at turn 1 with the losses of the facilitator's report: 760 casualties, 95
    of them killed."""
    game = new_game("kursk-2024", 1, HUMANS)
    game.submit("control: adjust track=dprk_casualties value=0.76 | MoD figures")
    game.submit("control: adjust track=dprk_killed value=0.095 | MoD figures")
    return game


def test_tracks_of_one_kind_read_at_one_precision() -> None:
    """DPRK killed and DPRK casualties (both thousands of soldiers) read at the same declared
    precision: '0.10 thousand' beside '0.76 thousand', not '0.095' beside '0.76'."""
    v = kursk_with_losses().view("control")
    killed, casualties = v.track("dprk_killed"), v.track("dprk_casualties")
    assert killed.precision == casualties.precision == 2
    assert R.track_value(killed).plain == "0.10 thousand"
    assert R.track_value(casualties).plain == "0.76 thousand"


def test_the_terminal_board_shows_every_track_as_present_says_it() -> None:
    """The terminal UI keeps no number formatting of its own: each track's value, its range
    and its rungs are the presentation layer's words at the track's precision."""
    for viewer in ("control", "EU", "ROK"):
        for t in kursk_with_losses().view(viewer).tracks:
            assert R.track_value(t).plain == P.known(t), (viewer, t.id)
            detail = R.track_detail(t)
            assert isinstance(detail, Group)
            texts = [part.plain for part in detail.renderables if isinstance(part, Text)]
            assert f"Range {P.span(t)}" in texts, (viewer, t.id)
            for at, name in t.thresholds:
                assert P.rung_where(t, at, name) in "\n".join(texts), (viewer, t.id)


def test_an_estimate_reads_at_the_precision_of_its_track() -> None:
    t = TrackView("k", "Killed", "", "thousand", 0, 5, False, (), "estimate", None, 0.0125,
                  0.3333, None, True, "", precision=2)
    assert R.track_value(t).plain == "≈0.01–0.33 thousand"


def test_without_a_declared_precision_a_small_range_gets_the_places_it_needs() -> None:
    """The default leaves one step at most a hundredth of the range: on a 0-5 track 0.095 reads
    '0.10' and 0.04 does not read as zero; whole-number tracks and flags keep none."""
    assert Track(id="k", name="K", integer=False, max=5).shown_precision() == 2
    assert Track(id="c", name="C", integer=False, max=15).shown_precision() == 1
    assert Track(id="s", name="S", integer=False, min=-1000, max=1000).shown_precision() == 0
    assert Track(id="w", name="W", max=50).shown_precision() == 0
    assert Track(id="f", name="F", kind="flag").shown_precision() == 0
    assert Track(id="d", name="D", integer=False, max=5, precision=3).shown_precision() == 3


def test_the_adjust_field_starts_at_the_tracks_precision() -> None:
    v = kursk_with_losses().view("control")
    assert editable(v.track("dprk_killed")) == "0.10"
    assert editable(v.track("acknowledged")) == "0"


@pytest.mark.usefixtures("saves_dir")
async def test_the_umpires_terminal_board_shows_killed_and_casualties_alike(
        saves_dir: Path) -> None:
    """The facilitator's report, at the umpire's terminal board: killed and casualties at one
    precision; the adjust dialog says the value and range so too, and sets what is typed (not
    the value cut to three digits)."""
    path = kursk_with_losses().save(saves_dir / "losses.json")
    app = PowerPlayApp(None, None, str(path), {})
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        d = Driver(app, pilot)
        await d.results()  # a loaded game first shows where it stands
        for who in ("EU", "ROK", "RUS", "DPRK"):
            await d.sit_down(who)
            await d.finish()
        await d.sit_down("the umpire")
        shown = await d.expect("DPRK soldiers killed", settle=True)
        assert "0.10 thousand" in line_of(shown, "DPRK soldiers killed")
        assert "0.76 thousand" in line_of(shown, "DPRK casualties (cumul")
        await d.tab("board")
        await d._goto_row("track-table", "dprk_killed")
        await d.press("enter")
        await d.expect("Adjust DPRK soldiers killed (cumulative) (now 0.10 thousand; runs 0.00 to "
                       "5.00 thousand)")
        await d.press("end", *["backspace"] * 4)
        await d.type("1.2345")
        await d.press("tab")
        await d.type("a recount")
        await d.press("enter")
        shown = await d.expect("1.23 thousand")
        assert "1.23 thousand" in line_of(shown, "DPRK soldiers killed")
    assert app.game.view("control").track("dprk_killed").value == pytest.approx(1.2345)


def line_of(shown: str, needle: str) -> str:
    return next(line for line in shown.splitlines() if needle in line)


def test_a_value_shown_to_a_team_is_said_beside_its_estimate() -> None:
    """A team shown a secret track's truth in turn 1 knows it by a range again in turn 2; the
    track's detail (terminal UI) says what it was shown and when, at the track's precision."""
    g = Game.new("kursk-2024", seed=1, seats="all=greedy,control=auto")
    while not (g.engine.state.turn == 2 and g.view("EU").phase_kind == "orders"):
        assert g.step_agent()
    t = g.view("EU").track("dprk_casualties")
    assert t.status == "estimate" and t.seen is not None
    assert P.seen(t) == f"shown {P.amount(t, t.seen[0])} in turn 1"
    assert P.seen(t).endswith("thousand in turn 1")
    detail = R.track_detail(t)
    assert isinstance(detail, Group)
    head = detail.renderables[0]
    assert isinstance(head, Text) and f"({P.seen(t)})" in head.plain
    assert P.seen(g.view("control").track("dprk_casualties")) == ""  # the umpire sees it


def test_a_draw_on_the_estimates_says_both_numbers_as_percents() -> None:
    """'Roll: drawn 0.86 vs 57%' mixed a decimal and a percent: the draw reads 'drawn 86% vs
    57%' on every screen (the board's dialogs and dock, the terminal UI's)."""
    from game.board.overlays import roll_text as board_roll
    from game.engine.state import OrderRoll

    draw = OrderRoll((0.8612,), (), 0.8612, 0.57, 0.57)
    assert P.roll_text(draw) == "drawn 86% vs 57%" == board_roll(draw)
    dice = OrderRoll((2, 5), ((1, "intel"),), 8, 8, 0.58)
    assert P.roll_text(dice) == "2+5 +1 = 8 vs 8" and board_roll(dice) == "rolled 2+5 +1 = 8 vs 8"


def test_how_often_is_said_in_words() -> None:
    from game.engine.wording import times

    assert [times(n, "turn") for n in (1, 2, 3)] == ["once a turn", "twice a turn",
                                                      "up to 3 times a turn"]
    assert times(1, "game") == "once a game"


def test_a_cost_in_a_narrow_column_says_the_resources_initials_not_their_ids() -> None:
    """The moves table's cost column: '1 AP, 2 PC' from the resources' names (the ids 'ap' and
    'pc' are the scenario's, not words); names sharing their initials are said whole."""
    g = Game.new("kursk-2024", seed=1)
    view = g.view("EU")
    names = {r.id: r.name for a in view.actors for r in a.resources or ()}
    listing = next(m for m in view.moves if m.move == "eu_sanctions")
    assert dict(listing.cost) == {"ap": 1, "pc": 2}
    assert P.short_cost(listing, names) == "1 AP, 2 PC"
    assert P.short_cost(listing, {"ap": "Action points", "pc": "Army pay"}) == (
        "1 Action points, 2 Army pay")
    free = dataclasses.replace(listing, cost=())
    assert P.short_cost(free, names) == "—"
