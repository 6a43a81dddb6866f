"""The debrief's numbers read as the board reads them: the track's name, the value at its
declared precision, its unit — in the Markdown tables and on the HTML page, never an id."""

from __future__ import annotations

import dataclasses
import re

import pytest

from game.engine.wording import unit_after
from game.report.debrief import BeliefRow, debrief, to_markdown
from game.report.html import to_html
from game.session import Game


@pytest.fixture(scope="module")
def game() -> Game:
    """Kursk 2024, two turns of the program's play, after the umpire set the DPRK's losses."""
    g = Game.new("kursk-2024", seed=3, seats="all=greedy")
    g.submit("control: adjust track=dprk_casualties value=0.76 | MoD figures")
    g.submit("control: adjust track=dprk_killed value=0.095 | MoD figures")
    while g.engine.state.turn <= 2 and g.step_agent():
        pass
    return g


def _rows(md: str, heading: str) -> list[list[str]]:
    """The cells of the Markdown table under ``heading``."""
    section = md.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return [[c.strip() for c in line.strip("|").split(" | ")]
            for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]


def test_belief_rows_give_believed_and_truth_with_the_tracks_unit(game: Game) -> None:
    d = debrief(game)
    last = max(b.turn for b in d.beliefs)
    rows = _rows(to_markdown(d), f"What the teams believed at the start of turn {last}")
    assert rows
    units = {t.name: t.unit for t in game.rules.tracks}
    for _actor, track, believed, truth, _right in rows:
        unit = units[track]
        if unit:
            said = unit if unit == "%" else f" {unit}"  # '26%', as odds are written
            assert truth.endswith(said), (track, truth)
            assert believed == "unknown" or believed.endswith(said), (track, believed)
    casualties = [r for r in rows if r[1] == "DPRK casualties (cumulative)"]
    assert casualties and all(re.fullmatch(r"\d+\.\d\d thousand", r[3]) for r in casualties)


def test_change_rows_give_old_and_new_with_the_tracks_unit(game: Game) -> None:
    d = debrief(game)
    rows = _rows(to_markdown(d), "What changed, and why")
    by_name = {t.name: t for t in game.rules.tracks}
    assert any(by_name[r[1]].unit for r in rows)
    for _turn, track, change, *_ in rows:
        t = by_name[track]
        if t.unit and not t.is_flag:  # a percent sign as odds write it, '28 → 26%'
            assert re.fullmatch(rf"[\d.]+ → [\d.]+{re.escape(unit_after(t))}", change), \
                (track, change)
    adjusted = next(r for r in rows if r[1] == "DPRK soldiers killed (cumulative)")
    assert adjusted[2] == "0.00 → 0.10 thousand"  # at the declared precision, not '0 → 0.095'


def test_the_page_says_changes_misses_and_the_record_with_units(game: Game) -> None:
    d = debrief(game)
    missed = BeliefRow(1, "EU", "dprk_killed", "estimate", 0.3, 0.9, 0.1, False,
                       "European Union", "DPRK soldiers killed (cumulative)")
    page = to_html(game, dataclasses.replace(d, beliefs=[*d.beliefs, missed]))
    text = re.sub(r"<[^>]+>", "|", re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S))
    assert "DPRK soldiers killed (cumulative):| |0.00 → 0.10 thousand" in text
    assert "Turn 1: DPRK soldiers killed (cumulative) 0.00 → 0.10 thousand" in text
    assert "|0.30–0.90 thousand||0.10 thousand|" in text  # the miss: believed, truth
    assert "|11 thousand|" in text  # the real record: troops sent
    assert "dprk_killed" not in text


def test_the_markdown_says_none_for_a_section_with_nothing_in_it() -> None:
    """A section with no rows says so in a sentence, not an empty table: a tutorial stopped
    before anyone moved has no decisions and no changes (and, without its history, no real
    record to compare)."""
    d = debrief(Game.new("tutorial", seed=1))
    assert d.history
    text = to_markdown(dataclasses.replace(d, history=type(d.history)()))
    for heading, said in (("## Decisions and their reasons", "- none: no orders were given."),
                          ("## What changed, and why", "- none: no track changed."),
                          ("## The game beside the real record",
                           "- none: the scenario gives no real values to compare.")):
        after = text.split(heading, 1)[1].lstrip("\n")
        assert after.startswith(said), (heading, after[:80])
