"""A ladder reads in words: a track whose rungs name every step of its range above the minimum
(the flagship's technology tracks, 0..2 with 'Reported' at 1 and 'Confirmed' at 2) reads by the
name of the step reached — 'None', 'Reported', 'Confirmed' — wherever a value is written for
people: the presentation layer, the log, the web pages' words, the debrief; an estimate through
the fog reads '≈ None to Confirmed' (the debrief's belief 'None to Confirmed'), never '≈0–2'.
The analysts' CSV keeps the numbers, with each track's unit and the step's name beside them.
And an outcome is named as the scenario names it on every screen the room reads, the roll's
too."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from game import present as P
from game.engine.actions import CONTROL, PUBLIC
from game.engine.rules import named_steps
from game.engine.views import view_for
from game.net.host import ROOM, Host
from game.report.debrief import debrief, to_markdown, write_csv
from game.report.html import to_html
from game.session import Game

TECH = ("tech_missiles", "tech_space", "tech_submarine", "tech_nuclear")


@pytest.fixture(scope="module")
def reported() -> Game:
    """The flagship at turn 1 after the umpire set Russian missile help at 'Reported' (1)."""
    g = Game.new("kursk-2024", seed=1, seats="control=human")
    g.submit("control: adjust track=tech_missiles value=1 | a transfer is reported")
    return g


def test_a_track_whose_rungs_name_every_step_is_a_ladder() -> None:
    """Every step above the minimum named: a ladder (its minimum 'None' unless a rung names
    it); a gap, a falling rung, a fractional track or a flag: read as a number."""
    assert named_steps(0, 2, 0, [(1, "Reported", False), (2, "Confirmed", False)]) == \
        ("None", "Reported", "Confirmed")
    assert named_steps(0, 2, 0, [(0, "Nothing", False), (1, "Some", False), (2, "All", False)]) \
        == ("Nothing", "Some", "All")
    assert named_steps(0, 3, 0, [(1, "A", False), (3, "C", False)]) == ()
    assert named_steps(0, 2, 0, [(1, "A", False), (2, "B", True)]) == ()
    assert named_steps(0, 2, 1, [(1, "A", False), (2, "B", False)]) == ()
    rules = Game.new("kursk-2024", seed=1).rules
    ladders = {t.id for t in rules.tracks if t.steps}
    assert set(TECH) <= ladders
    assert not any(t.steps for t in Game.new("tutorial", seed=1).rules.tracks)


def test_the_presentation_layer_says_the_step_reached(reported: Game) -> None:
    for viewer in ("control", "RUS", "DPRK"):
        v = reported.view(viewer)
        assert P.known(v.track("tech_missiles")) == "Reported"
        assert P.known(v.track("tech_space")) == "None"
        assert P.rung_text(v.track("tech_missiles")) == "▲ Reported"
    t = reported.view("control").track("tech_missiles")
    assert P.change(t, 0, 2) == "None → Confirmed"
    assert P.amount(t, 2) == "Confirmed"
    # the umpire's adjust dialog still says the numbers to type
    assert P.now_and_span(t) == "now Reported (1); runs 0 (None) to 2 (Confirmed)"


def test_an_estimate_through_the_fog_reads_in_the_same_words(reported: Game) -> None:
    """The EU and ROK estimate the technology tracks: '≈ None to Reported', not '≈0–1'."""
    for team in ("EU", "ROK"):
        for tid in TECH:
            t = reported.view(team).track(tid)
            assert t.status == "estimate", (team, tid)
            said = P.known(t)
            assert re.fullmatch(r"≈ (None|Reported|Confirmed)( to (Reported|Confirmed))?", said), \
                (team, tid, said)
            assert not re.search(r"\d", said)


def test_the_log_writes_the_step_not_the_number(reported: Game) -> None:
    lines = [ln.text for ln in reported.view(CONTROL).log]
    assert any(ln.startswith("Russian missile and drone technology for the DPRK ▲ None → "
                             "Reported") for ln in lines), lines[-5:]
    assert "Russian missile and drone technology for the DPRK reaches 'Reported'." in lines
    assert "Umpire sets Russian missile and drone technology for the DPRK to Reported — a " \
           "transfer is reported." in lines


def test_the_web_pages_get_their_words_from_the_presentation_layer(reported: Game,
                                                                   tmp_path: Path) -> None:
    """The host sends each seat the words of game.present beside its view; the page writes
    those (it keeps no number formatting of its own)."""
    host = Host(reported, tmp_path / "host")
    for seat in ("RUS", "EU", CONTROL, ROOM):
        frame = host.frame(host.seats[seat])
        view = view_for(reported.engine, PUBLIC if seat == ROOM else seat)
        for t in view.tracks:
            assert frame["words"]["tracks"][t.id]["value"] == P.known(t), (seat, t.id)
    assert host.frame(host.seats["RUS"])["words"]["tracks"]["tech_missiles"]["value"] == \
        "Reported"
    js = (Path(__file__).parents[1] / "game" / "net" / "static" / "app.js").read_text()
    assert "toFixed(precision" not in js.split("function known", 1)[1].split("\n}\n", 1)[0]


def test_the_debrief_reads_ladders_in_words_and_the_csv_keeps_numbers_and_units(
        reported: Game, tmp_path: Path) -> None:
    d = debrief(reported)
    md = to_markdown(d)
    row = next(ln for ln in md.splitlines() if ln.startswith("| 1 | Russian missile and drone"))
    assert "| None → Reported |" in row
    beliefs = [ln for ln in md.splitlines() if "| Russian space technology" in ln]
    assert beliefs and all(re.search(r"\| (None|Reported|Confirmed)( to \w+)? \|", ln)
                           for ln in beliefs), beliefs
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|svg)\b.*?</\1>", " ", to_html(reported),
                                          flags=re.S))
    assert "None → Reported" in text
    write_csv(d, tmp_path)
    with (tmp_path / "kursk-2024-changes.csv").open(encoding="utf-8") as fh:
        change = next(r for r in csv.DictReader(fh) if r["track"] == "tech_missiles")
    assert (change["old"], change["old_step"], change["new"], change["new_step"]) == \
        ("0", "None", "1", "Reported")
    with (tmp_path / "kursk-2024-beliefs.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    troops = next(r for r in rows if r["track"] == "dprk_troops")
    assert troops["unit"] == "thousand" and troops["truth_step"] == ""
    tech = next(r for r in rows if r["track"] == "tech_missiles" and r["actor"] == "EU")
    assert tech["unit"] == "" and tech["low_step"] in ("None", "Reported")
    with (tmp_path / "kursk-2024-timeline.csv").open(encoding="utf-8") as fh:
        head = next(csv.reader(fh))
    assert "dprk_troops (thousand)" in head and "poland_rok ($bn)" in head
    assert head[head.index("tech_missiles") + 1] == "tech_missiles step"
    with (tmp_path / "kursk-2024-history.csv").open(encoding="utf-8") as fh:
        assert "unit" in next(csv.reader(fh))


def test_a_units_column_in_every_table_of_values(tmp_path: Path) -> None:
    """The tutorial has no ladder: the tables gain the unit, no empty step columns."""
    d = debrief(Game.new("tutorial", seed=2, seats="all=random").play_out())
    write_csv(d, tmp_path)
    for name in ("beliefs", "history", "changes"):
        with (tmp_path / f"tutorial-{name}.csv").open(encoding="utf-8") as fh:
            head = next(csv.reader(fh))
        assert "unit" in head and not any(h.endswith("_step") for h in head), (name, head)
    with (tmp_path / "tutorial-beliefs.csv").open(encoding="utf-8") as fh:
        troops = next(r for r in csv.DictReader(fh) if r["track"] == "north_troops")
    assert troops["unit"] == "thousand"


def test_every_objective_of_the_shipped_tutorial_says_how_it_scores() -> None:
    """The debrief's 'how it scores' cell is never empty for the tutorial."""
    d = debrief(Game.new("tutorial", seed=2, seats="all=random").play_out())
    assert d.objectives and all(o.text.strip() for o in d.objectives)
    council = next(o for o in d.objectives if o.objective == "south_council")
    assert "Council" in council.text


# ---------------------------------------------------------------- outcomes by their names


def _rolled_and_overridden() -> Game:
    """The tutorial, seed 3: Southland's 'Mediate talks' rolls a failure; the umpire, in its
    review, overrides it to success."""
    g = Game.new("tutorial", seed=3, seats="control=human", review=True)
    g.submit("SOUTH: mediate")
    g.submit("SOUTH: pass")
    g.submit("NORTH: pass")
    g.submit("COUNCIL: pass")
    while not any(o.status == "decided" for o in g.view(CONTROL).orders):
        g.submit("control: advance")
    (order,) = [o for o in g.view(CONTROL).orders if o.move == "mediate"]
    assert order.outcome == "failure"
    g.submit(f"control: override order={order.ref} outcome=success | the talks were agreed")
    return g


def test_the_room_reads_an_overridden_outcome_by_its_name(tmp_path: Path) -> None:
    """The room read the roll's 'failure' (the outcome's id) beside the umpire's 'Success':
    the roll now says the outcome it gave by its name too, on the room's page and every view."""
    g = _rolled_and_overridden()
    host = Host(g, tmp_path / "host")
    for seat in (ROOM, "SOUTH", "NORTH", CONTROL):
        frame = host.frame(host.seats[seat])
        rolls = [ln["text"] for ln in frame["view"]["log"] if ln["kind"] == "roll"]
        assert rolls and all(r.endswith("→ Failure.") for r in rolls), (seat, rolls)
        texts = " ".join(ln["text"] for ln in frame["view"]["log"])
        assert not re.search(r"\b(success|failure)\b", texts), (seat, texts)
    umpire = host.frame(host.seats[CONTROL])
    (result,) = umpire["words"]["orders"].values()
    assert result.startswith("Success ✎ overridden by the umpire")
    g.submit("control: advance")
    room = [ln.text for ln in view_for(g.engine, PUBLIC).log]
    assert any("Mediate talks: Success [overridden by the umpire]" in ln for ln in room)


def test_a_moves_needs_and_its_refusal_name_the_step(reported: Game) -> None:
    """'ROK arms ladder ≥ 2 (ROK arms ladder is Indirect)' mixed a number with a name: a ladder
    compared with a whole number reads in the name of that step, in the cards and refusals."""
    moves = {m.move: m for a in ("ROK", "DPRK") for m in reported.view(a).moves}
    lethal = moves["rok_lethal_aid"]
    assert "ROK arms-to-Ukraine ladder at 'Observers and intelligence' or above" in lethal.needs
    assert lethal.reason is not None and "at 'Observers and intelligence' or above" in \
        lethal.reason and "is Indirect" in lethal.reason
    assert moves["dprk_demand_tech"].needs == (
        "Russian missile and drone technology for the DPRK below 'Confirmed' or Russian space "
        "technology for the DPRK below 'Confirmed'",)
    assert not any(re.search(r"(ladder|technology for the DPRK) [<>≤≥=]", n)
                   for m in moves.values() for n in m.needs)


def test_a_list_of_rungs_says_where_each_lies(reported: Game) -> None:
    """A ladder's rung is placed by its number (its name is already the value): what a
    screen's list of rungs takes from the presentation layer (game.tui.render.ladder said
    'Reported: Reported or above' through present.value)."""
    v = reported.view(CONTROL)
    tech, tension = v.track("tech_missiles"), Game.new("tutorial", seed=1).view(CONTROL)
    assert [P.rung_where(tech, at, name) for at, name in tech.thresholds] == \
        ["Reported: 1 or above", "Confirmed: 2 or above"]
    t = tension.track("tension")
    assert P.rung_where(t, 3, "Standoff") == "Standoff: 3 or above"
    from game.tui.render import ladder

    listed = ladder(tech).plain  # the terminal UI's track detail takes it from there
    assert "Reported: 1 or above" in listed and "Reported: Reported" not in listed
