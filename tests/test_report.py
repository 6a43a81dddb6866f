"""The debrief: beliefs beside truth, the real record, decisions and rulings, exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from game.report.debrief import debrief, to_json_text, to_markdown, write_csv
from game.session import Game


def _game(seed: int = 4) -> Game:
    return Game.new("tutorial", seed=seed, seats="all=random").play_out()


def test_beliefs_record_estimates_beside_the_truth() -> None:
    """Each turn, what SOUTH believed of Northland's hidden troops sits beside the true value."""
    d = debrief(_game())
    rows = [b for b in d.beliefs if b.actor == "SOUTH" and b.track == "north_troops"]
    assert [b.turn for b in rows] == [1, 2, 3]
    for b in rows:
        assert b.status in ("estimate", "unknown", "exact")
        if b.status == "estimate":
            assert b.low is not None and b.high is not None
            assert b.right == (b.low <= b.truth <= b.high)


def test_history_rows_set_the_game_beside_the_record() -> None:
    """Every dated real value appears beside the game's value at that turn."""
    g = _game()
    d = debrief(g)
    assert [(h.track, h.real) for h in d.history] == [("tension", 2.0), ("talks", 1.0)]
    assert all(h.game is not None for h in d.history)


def massed_with(rationale: str) -> Game:
    """A tutorial game where Northland masses troops on turn 1 saying ``rationale``, then
    passes whenever it may."""
    g = Game.new("tutorial", seed=1, seats="SOUTH=random,COUNCIL=passive")
    g.submit(f"NORTH: mass_troops | {rationale}")
    g.submit("NORTH: pass")
    g.run_agents()
    while not g.is_over:
        who = g.next_human()
        assert who is not None
        legal = g.legal_actions(who)
        g.submit(next((a for a in legal if a.verb == "pass"), legal[0]))
        g.run_agents()
    return g


def test_decisions_carry_rationales_and_outcomes() -> None:
    """A rationale given with an order reaches the debrief with the order's outcome."""
    g = massed_with("leverage before the talks")
    rows = [r for r in debrief(g).decisions if r.move == "mass_troops"]
    assert rows[0].rationale == "leverage before the talks"
    assert rows[0].outcome == "success"


def test_exports_write_markdown_json_and_csv(tmp_path: Path) -> None:
    """The debrief exports to markdown, JSON and one CSV per table."""
    d = debrief(_game())
    md = to_markdown(d)
    assert md.startswith("# Debrief: The Border Crisis")
    assert "What each team believed" in md
    data = json.loads(to_json_text(d))
    assert data["scenario"] == "tutorial" and data["turns_played"] == 3
    paths = write_csv(d, tmp_path)
    assert {p.name for p in paths} == {f"tutorial-{n}.csv" for n in
                                       ("timeline", "beliefs", "history", "decisions", "rulings",
                                        "messages", "changes")}
    with (tmp_path / "tutorial-timeline.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["turn"] == "1" and rows[-1]["turn"] == "end"
    assert "north_troops (thousand)" in rows[0]  # the unit in the column's name


def test_messages_on_the_channels_reach_the_debrief_with_their_turn_and_names(tmp_path: Path) -> None:
    """A hosted game's bilaterals, requests for information and announcements are decisions:
    the debrief lists every one, in names, and the CSV keeps the ids for analysis."""
    g = Game.new("kursk-2024", seed=3, seats="control=human", review=True)
    g.submit("EU: say to=ROK | can you move shells through Poland?")
    g.submit("control: say to=all | Cable: talks in Geneva")
    d = debrief(g)
    assert [(m.turn, m.sender, m.to) for m in d.messages] == [(1, "EU", "ROK"), (1, "control", "all")]
    md = to_markdown(d)
    assert "- turn 1: European Union to Republic of Korea: “can you move shells through Poland?”" in md
    assert "- turn 1: The umpire to everyone: “Cable: talks in Geneva”" in md
    write_csv(d, tmp_path)
    with (tmp_path / "kursk-2024-messages.csv").open(encoding="utf-8") as fh:
        assert [r["sender"] for r in csv.DictReader(fh)] == ["EU", "control"]


def test_tables_hold_whatever_a_rationale_says_and_numbers_carry_no_float_noise(
        tmp_path: Path) -> None:
    """A '|' or a line break in a rationale stays in its Markdown cell; a rationale that starts
    like a formula is not run by a spreadsheet; values are at their tracks' precision."""
    d = debrief(massed_with('=HYPERLINK("x") | a pipe'))
    row = next(line for line in to_markdown(d).splitlines() if "HYPERLINK" in line)
    assert row.count(" | ") == 4 and "\\| a pipe" in row and "Northland" in row
    assert "mass_troops" not in row
    write_csv(d, tmp_path)
    with (tmp_path / "tutorial-decisions.csv").open() as fh:
        cells = next(r for r in csv.DictReader(fh) if r["move"] == "mass_troops")
    assert cells["rationale"].startswith("'=HYPERLINK") and cells["actor_name"] == "Northland"
    numbers = [v for r in d.timeline for v in r.values() if isinstance(v, float)]
    numbers += [x for b in d.beliefs for x in (b.low, b.high, b.truth) if isinstance(x, float)]
    assert all(len(repr(x).split(".")[-1]) <= 6 for x in numbers), numbers


def test_the_scores_name_the_teams_not_the_umpires_actors() -> None:
    """The flagship's control-cell actors (USA, Ukraine, China, Japan) have no objectives: the
    debrief's scores list the four teams only (a 0 beside 'United States' read as a loss)."""
    g = Game.new("kursk-2024", seed=2, seats="all=random").play_out()
    d = debrief(g)
    teams = {a.id for a in g.rules.actors if a.is_player}
    assert set(d.scores) == teams
    text = to_markdown(d)
    scores = text.split("## Scores")[1].split("##")[0]
    assert "United States" not in scores and "European Union" in scores


def _kursk7() -> Game:
    return Game.new("kursk-2024", seed=7, seats="all=greedy").play_out()


def test_markdown_gives_each_teams_objectives_hidden_ones_marked_with_points_and_when() -> None:
    """The Markdown debrief has the page's 'Objectives and hidden agendas': by team, hidden
    agendas marked, the points each scored and when (the end-of-game points said apart, so a
    teacher sees why a score jumped in the last turn)."""
    g = _kursk7()
    d = debrief(g)
    md = to_markdown(d)
    section = md.split("## Objectives and hidden agendas")[1].split("\n## ")[0]
    assert "### European Union: 28 points" in section
    assert ("| A seat at the Asian table (hidden) | **yes** | At the end: 2 points if IP4 "
            "integration is 8 or more, 2 if sanctions enforcement is 6 or more. | 2 "
            "| at the end: 2 |") in section
    assert ("| Keep the losses containable at home |  | 1 point each turn home-front legitimacy "
            "is 4 or more; 3 at the end if the army stayed out of Ukraine proper. | 12 "
            "| turns 1–9: 1 each; at the end: 3 |") in section
    assert "| Split the Union (hidden) | **yes** |" in section and "| 0 | never |" in section
    for o in d.objectives:  # each objective's points are its turns' and its end's
        assert o.points == sum(p for _, p in o.by_turn) + o.at_end, o
    for team, score in d.scores.items():
        assert score == sum(o.points for o in d.objectives if o.actor == team)


def test_markdown_beliefs_are_the_misses_and_the_last_turn_and_say_where_the_rest_is() -> None:
    """'What each team believed' was ~760 rows (every estimate of every actor at every turn):
    it gives the estimates that missed, and the teams' beliefs at the last turn's start, and
    says what it leaves out and where the full table is."""
    d = debrief(_kursk7())
    md = to_markdown(d)
    section = md.split("## What each team believed, beside the truth")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert 20 < len(rows) < 60, len(rows)
    assert "Left out here: the estimates of earlier turns that held the truth" in section
    assert "`kursk-2024-beliefs.csv`" in section and "`--format json`" in section
    assert ("| 4 | European Union | DPRK casualties (cumulative) | 4.78–10.03 thousand "
            "| 3.24 thousand |") in section
    assert ("| Republic of Korea | DPRK combat troops sent to Russia | 16–18 thousand "
            "| 17 thousand | yes |") in section
    assert "| United States |" not in section.split("### What the teams believed")[1]
