"""Estimates that can miss (issue 12): an agency's estimates lean one way turn after turn
(``bias``), a declared chance makes the range miss the truth (``miss``), and a reveal or exact
knowledge corrects both. One test per clause, the clause as the docstring; the fixture is
``tests/fixtures/scenarios/intel.yaml`` (Westland counts Eastland's casualties, low).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from test_engine_rules import play, to_turn

from game.engine.views import view_for
from game.report.debrief import debrief, to_markdown
from game.saves import read_save, write_save
from game.scenario.compile import compile_rules
from game.scenario.errors import ScenarioError
from game.scenario.load import load_text
from game.session import Game

FIXTURE = Path(__file__).parent / "fixtures" / "scenarios" / "intel.yaml"
TEXT = FIXTURE.read_text(encoding="utf-8")


def game(seed: int = 1, **rule: str) -> Game:
    """The fixture with its estimate rule's fields replaced (e.g. ``miss="1"``)."""
    text = TEXT
    for key, value in rule.items():
        line = next(x for x in text.splitlines() if x.strip().startswith(f"{key}:"))
        text = text.replace(line, f"        {key}: {value}")
    return Game.from_rules(compile_rules(load_text(text, "<intel>")), seed, "all=passive")


def west_range(g: Game) -> tuple[float, float]:
    tv = view_for(g.engine, "WEST").track("losses")
    assert tv.status == "estimate" and tv.low is not None and tv.high is not None
    return tv.low, tv.high


def next_turn(g: Game) -> None:
    """Everyone passes, the umpire moves on: the orders phase of the next turn."""
    to_turn(g, g.engine.state.turn + 1)


def holds(g: Game) -> bool:
    lo, hi = west_range(g)
    return lo <= g.engine.value("losses") <= hi


def test_a_range_that_misses_lies_wholly_beside_the_truth_on_the_side_it_leans_to() -> None:
    """With ``miss: 1`` every range misses; with the count running low (``bias`` < 0) it lies
    below the truth, its top at least one unit under it."""
    for seed in range(20):
        g = game(seed, miss="1")
        for _ in range(5):
            lo, hi = west_range(g)
            truth = g.engine.value("losses")
            assert lo < hi <= truth - 1, (seed, lo, hi, truth)
            next_turn(g)


def test_a_lean_without_misses_keeps_the_truth_in_the_range_on_one_side() -> None:
    """``bias: 1`` (the estimate runs high) puts the truth at the range's low end, ``bias: -1``
    at its high end; with ``miss: 0`` every range holds the truth."""
    for seed in range(10):
        high, low = game(seed, bias="1", miss="0"), game(seed, bias="-1", miss="0")
        truth = high.engine.value("losses")
        assert west_range(high)[0] == truth
        assert west_range(low)[1] == truth or west_range(low)[0] == 0  # or held by the floor


def test_the_miss_chance_is_what_the_rule_declares() -> None:
    """Over many turns the share of ranges that miss is about ``miss`` (0.25 here)."""
    ranges = missed = 0
    for seed in range(80):
        g = game(seed, bias="0")
        for _ in range(5):
            ranges += 1
            missed += not holds(g)
            next_turn(g)
    assert ranges == 400 and 0.17 < missed / ranges < 0.33, missed


def test_a_random_lean_is_drawn_once_and_kept() -> None:
    """``bias: random`` draws one lean per actor at the start of the game from the game's own
    generator: the same seed gives the same lean, it stays through the game, and games differ."""
    leans = set()
    for seed in range(12):
        g = game(seed, bias="random", miss="0")
        first = g.engine.state.bias
        assert len(first) == 2 and first == game(seed, bias="random", miss="0").engine.state.bias
        for _ in range(4):
            next_turn(g)
            assert g.engine.state.bias == first
        leans.add(round(sum(first), 6))
    assert len(leans) == 12


def test_a_reveal_corrects_the_lean_and_the_next_range_holds_the_truth() -> None:
    """After a reveal of the track the actor's lean is gone (0) and its next range holds the
    truth even though the rule always misses; the turn after, it may miss again."""
    g = game(3, miss="1")
    assert not holds(g) and g.engine.state.bias[1] == pytest.approx(-0.6)
    play(g, "WEST: recon", "EAST: pass")
    assert view_for(g.engine, "WEST").track("losses").status == "exact"
    assert g.engine.state.bias[1] == 0.0
    next_turn(g)
    assert holds(g)
    next_turn(g)
    assert not holds(g)


def test_exact_knowledge_corrects_the_lean() -> None:
    """A turn of exact knowledge (quality 1) corrects like a reveal: no lean afterwards and the
    next range holds the truth."""
    g = game(4, miss="1")
    play(g, "control: adjust track=west_intel value=4 | a source inside Eastland's staff")
    next_turn(g)
    assert view_for(g.engine, "WEST").track("losses").status == "exact"
    assert g.engine.state.bias[1] == 0.0
    play(g, "control: adjust track=west_intel value=1 | the source is lost")
    next_turn(g)
    assert holds(g)


def test_the_debrief_says_an_estimate_missed() -> None:
    """The debrief lists the ranges that missed the truth (not one that held it), and its
    'right?' column reads NO for the last turn's range that missed."""
    g = game(2, miss="1")
    play(g, "WEST: recon", "EAST: pass")
    next_turn(g)  # turn 2: corrected, the range holds the truth
    next_turn(g)
    rows = [b for b in debrief(g).beliefs if b.actor == "WEST" and b.track == "losses"]
    assert [b.right for b in rows] == [False, True, False]
    text = to_markdown(debrief(g)).splitlines()
    missed = [line.split(" | ")[0] for line in text
              if " | Westland | Eastland casualties | " in line]
    assert missed == ["| 1", "| 3"]  # the misses, turn by turn; turn 2's range held the truth
    row = next(line for line in text if line.startswith("| Westland | Eastland casualties |"))
    assert row.endswith("| NO |")  # the last turn's belief, in the table of the teams' beliefs


def test_a_team_cannot_tell_that_its_estimate_missed() -> None:
    """Nothing a team is shown says its estimate missed: the view of a range that missed has the
    same fields, status and log as one that did not (only the numbers differ), and nothing in
    it gives the lean or the truth."""
    for seed in range(6):
        hit, miss = game(seed, miss="0"), game(seed, miss="1")
        for g in (hit, miss):
            play(g, "EAST: offensive", "WEST: pass")
        a, b = view_for(hit.engine, "WEST"), view_for(miss.engine, "WEST")
        ta, tb = a.track("losses"), b.track("losses")
        assert dataclasses.replace(ta, low=None, high=None) == dataclasses.replace(
            tb, low=None, high=None)
        assert [x.text for x in a.log] == [x.text for x in b.log]
        shown = json.dumps(b.to_json())
        truth = miss.engine.value("losses")
        assert '"bias"' not in shown and '"corrected"' not in shown and '"miss"' not in shown
        assert tb.low is not None and tb.high is not None and not tb.low <= truth <= tb.high


def test_same_seed_same_estimates_and_a_clone_draws_the_same() -> None:
    """Misses and leans come from the game's seeded generator: the same seed gives the same
    ranges, and a clone made before a range is drawn draws it the same."""
    a, b = game(7, bias="random"), game(7, bias="random")
    c = a.engine.clone()
    for _ in range(4):
        assert west_range(a) == west_range(b)
        next_turn(a)
        next_turn(b)
    assert view_for(c, "WEST").track("losses") == view_for(
        game(7, bias="random").engine, "WEST").track("losses")


def test_a_save_keeps_leans_and_corrections(tmp_path: Path) -> None:
    """A save of a game with a random lean and a pending correction reloads to the same state."""
    g = Game.new(str(FIXTURE), 5, "all=passive")
    play(g, "WEST: recon", "EAST: offensive")
    assert g.engine.state.corrected
    write_save(g, tmp_path / "s.json")
    back = read_save(tmp_path / "s.json")
    assert back.engine.state.to_json() == g.engine.state.to_json()
    next_turn(g)
    next_turn(back)
    assert west_range(g) == west_range(back)


@pytest.mark.parametrize("field, value, where, code", [
    ("bias", "2", ":29:15", None),
    ("bias", "sometimes", ":29:15", None),
    ("miss", "-0.1", ":30:15", "scenario/out-of-range"),
])
def test_a_bad_lean_or_miss_chance_is_refused_at_its_line_and_column(
        field: str, value: str, where: str, code: str | None) -> None:
    text = TEXT.replace(next(x for x in TEXT.splitlines() if x.strip().startswith(f"{field}:")),
                        f"        {field}: {value}")
    with pytest.raises(ScenarioError) as info:
        load_text(text, "intel.yaml")
    message = str(info.value)
    assert f"intel.yaml{where}" in message, message
    if code:
        assert code in message


def test_a_range_that_missed_is_as_wide_as_one_that_held() -> None:
    """Its width cannot give a miss away: over many turns (the losses climbing towards the
    track's top, where ranges meet its bound), the widths of the ranges that missed are widths
    that ranges holding the truth have too."""
    held: set[float] = set()
    missed: set[float] = set()
    for seed in range(60):
        g = game(seed, bias="0")
        for _ in range(5):
            lo, hi = west_range(g)
            (held if holds(g) else missed).add(hi - lo)
            play(g, "control: adjust track=losses value=" f"{48 + seed % 12} | the front moves")
            next_turn(g)
    assert missed and missed <= held, (missed, held)


def test_the_playtest_counts_the_games_in_which_an_estimate_missed() -> None:
    """``powerplay lint``'s playtest counts, per estimate rule that may miss, the games in which
    it gave a range and those in which one missed; a rule with room to miss gets no warning."""
    from game.coverage import coverage_warnings, playtest
    from game.scenario.load import load_scenario

    cov = playtest(str(FIXTURE), games=20, jobs=1)
    counts = cov.to_json()["estimates"]["losses/0"]
    assert counts["ranges_in"] == 20 and 0 < counts["missed_in"] <= 20
    codes = {w.code for w in coverage_warnings(cov, load_scenario(FIXTURE))}
    assert "lint/estimate-never-missed" not in codes
