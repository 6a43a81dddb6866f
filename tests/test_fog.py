"""The fog of war holds against inference (issue 17; the rule is :mod:`game.engine.fog`).

Over many random games of the shipped scenarios and of a crafted one (a team's own objective
and a team's own roll that read a track it cannot see), every view of every team is checked
(what a view shows of the tracks themselves, estimates or nothing, is tested in
tests/test_engine_rules.py and tests/test_tui_privacy.py):

- no score that reads a track it cannot see, its own included (marked "unseen" instead), and no
  log line of such points;
- no dice, modifiers, total or target of a roll a modifier it cannot see bore on, its own or
  another team's: the outcome only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from game.engine import fog
from game.engine.actions import PUBLIC
from game.engine.log import Kind
from game.session import Game

ROOT = Path(__file__).resolve().parents[1]

CRAFT = [
    # Southland scores while Northland keeps few troops at the border (a track only North sees)
    ('''  - id: south_council
    actor: SOUTH''', '''  - id: south_watch
    actor: SOUTH
    name: Troops stay home
    text: "1 point a turn while Northland has fewer than 8 thousand troops at the border."
    per_turn: "north_troops < 8"
  - id: south_council
    actor: SOUTH'''),
    # ... and its talks go worse when the troops mass (a modifier it cannot see)
    ('''        - {value: -1, when: "tension >= 4", why: "Too much tension for talks"}''',
     '''        - {value: -1, when: "tension >= 4", why: "Too much tension for talks"}
        - {value: -3, when: "north_troops >= 8", why: "Troops massing at the border"}'''),
]


@pytest.fixture(scope="module")
def crafted(tmp_path_factory: pytest.TempPathFactory) -> str:
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    for old, new in CRAFT:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path_factory.mktemp("fog") / "crafted.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def move_of_orders(g: Game) -> dict[str, int]:
    """Order ref -> move index, from the whole log (orders leave the state after a turn)."""
    rules = g.rules
    out = {}
    for e in g.engine.state.entries():
        ref, move = e.get("order"), e.get("move")
        if ref and move in rules.move_index:
            out[ref] = rules.move_index[move]
    return out


def blind(rules: Any, names: Iterable[str], who: int) -> bool:
    """Does actor ``who`` (-1: the room) miss one of these tracks? (Worked out here from the
    tracks' visibility, apart from game.engine.fog, so the test does not trust what it tests.)"""
    for name in names:
        t = rules.tracks[rules.track_index[name]]
        if t.known_mask != rules.all_mask and (who < 0 or not t.known_mask >> who & 1):
            return True
    return False


def objective_blind(rules: Any, o: Any, who: int) -> bool:
    """Only per-turn points are scored while the game runs (the end's when all is shown)."""
    names = o.per_turn.names if o.per_turn is not None else set()
    return blind(rules, names, who) or (who >= 0 and o.hidden and o.actor != who)


def roll_blind(rules: Any, mv: Any, who: int) -> bool:
    return blind(rules, set().union(*(m.when.names for m in mv.modifiers)), who)


def check_views(g: Game) -> list[str]:
    """Every way the views of ``g`` now break the rule, in words."""
    rules, s = g.rules, g.engine.state
    moves = move_of_orders(g)
    wrong = []
    for viewer in [*(a.id for a in rules.actors if a.is_player), PUBLIC]:
        who = rules.actor_index.get(viewer, -1)
        v = g.view(viewer)
        for ov in v.objectives:
            o = rules.objectives[[x.id for x in rules.objectives].index(ov.id)]
            allowed = s.over or not objective_blind(rules, o, who)
            if ov.score is not None and not allowed:
                wrong.append(f"{viewer} sees the points of {o.id} (turn {s.turn})")
            if ov.unseen != (ov.actor == viewer and not allowed):
                wrong.append(f"{viewer}: {o.id} unseen={ov.unseen}")
        for order in v.orders:
            mv = rules.moves[rules.move_index[order.move]]
            if order.roll is not None and roll_blind(rules, mv, who):
                wrong.append(f"{viewer} sees the roll of its order {order.ref} ({mv.id})")
        for line in v.log:
            if line.kind is Kind.SCORE and not s.over:
                o = rules.objectives[[x.id for x in rules.objectives].index(line.data["objective"])]
                if objective_blind(rules, o, who):
                    wrong.append(f"{viewer} is told the points of {o.id}: {line.text}")
            if line.kind is Kind.ROLL and "order" in line.data:
                ref = line.data["order"]
                shown_dice = bool(line.data.get("dice")) or "target" in line.data
                mv_idx = moves.get(ref)
                if mv_idx is None:
                    continue
                mv = rules.moves[mv_idx]
                if shown_dice and roll_blind(rules, mv, who):
                    wrong.append(f"{viewer} is shown the dice of {ref} ({mv.id}): {line.text}")
    return wrong


def play_and_check(scenario: str, seeds: range, *, every_step: bool) -> tuple[int, list[str]]:
    """Random games; views checked at every decision (or at every turn's start and the end).
    Returns how many checks were made and what broke the rule."""
    checks, wrong = 0, []
    for seed in seeds:
        g = Game.new(scenario, seed, "all=random")
        turn = 0
        while not g.is_over and g.step_agent():
            if every_step or g.engine.state.turn != turn:
                turn = g.engine.state.turn
                found = check_views(g)
                checks += 1
                wrong += [f"seed {seed}: {w}" for w in found[:3]]
        wrong += [f"seed {seed} (end): {w}" for w in check_views(g)[:3]]
        checks += 1
    return checks, wrong


def test_the_crafted_scenario_exercises_the_rule(crafted: str) -> None:
    """The crafted scenario has what the rule is about, so the leak tests can fail."""
    g = Game.new(crafted, 0, "all=random")
    rules = g.rules
    south = rules.actor_index["SOUTH"]
    watch = rules.objectives[[o.id for o in rules.objectives].index("south_watch")]
    mediate = rules.moves[rules.move_index["mediate"]]
    assert not fog.score_shown(rules, watch, south, False)
    assert not fog.roll_shown(mediate, south) and fog.roll_shown(mediate, None)
    g.run_agents()
    assert g.view("SOUTH").objectives  # and at the end everything is shown
    assert all(o.score is not None for o in g.view("SOUTH").objectives)


def test_no_view_breaks_the_rule_in_random_games(crafted: str) -> None:
    """Crafted: every decision of 40 games; tutorial 20 and the flagship 4 at each turn."""
    for scenario, seeds, every in ((crafted, range(40), True), ("tutorial", range(20), False),
                                   ("kursk-2024", range(4), False)):
        checks, wrong = play_and_check(scenario, seeds, every_step=every)
        assert checks > len(seeds) and not wrong, "\n".join(wrong[:20])


def test_the_rule_shows_the_outcome_of_a_hidden_roll_but_not_its_dice(crafted: str) -> None:
    """Find a game where Southland's talks were rolled with the troops massing: the umpire's
    log has the dice and the -3; Southland's has the outcome only; Southland's order shows no
    roll and says a factor it cannot see bore on it."""
    for seed in range(200):
        g = Game.new(crafted, seed, "all=random")
        g.run_agents()
        umpire = [x for x in g.view("control").log if x.kind is Kind.ROLL
                  and "Troops massing" in x.text]
        if not umpire:
            continue
        ref = umpire[0].data["order"]
        south = [x for x in g.view("SOUTH").log if x.kind is Kind.ROLL
                 and x.data.get("order") == ref]
        assert south and all(x.data.get("hidden") and not x.data.get("dice") for x in south)
        assert all("cannot see" in x.text and "rolled" not in x.text for x in south)
        return
    pytest.fail("no game of 200 rolled the talks with the troops massing")


@pytest.mark.soak
@pytest.mark.parametrize("which", ["crafted", "tutorial", "kursk-2024"])
def test_soak_no_view_breaks_the_rule_in_1000_games(crafted: str, which: str) -> None:
    scenario = crafted if which == "crafted" else which
    checks, wrong = play_and_check(scenario, range(1000), every_step=False)
    assert checks >= 1000 and not wrong, "\n".join(wrong[:20])


def test_no_estimate_is_a_range_of_zero_width() -> None:
    """A quality formula that is 1 on paper may come out as 0.9999999999999999: that is exact
    knowledge, not a 'range' with low = high (issue 20 found 174 in 5,000 flagship games; the
    note gives the count over 5,000, here a sample of 150 games)."""
    zero = 0
    for seed in range(150):
        g = Game.new("kursk-2024", seed, "all=random")
        g.run_agents()
        for k in g.engine.state.beliefs:
            zero += sum(1 for row in k.known for x in row
                        if isinstance(x, tuple) and x[0] >= x[1])
    assert zero == 0


# ------------------------------------------------------------------ rule 4: the order of the log

COVERT = """
meta: {id: covert, title: Covert, version: "1", start_date: 2025-01-01, turn_length_days: 30,
       turns: 2}
actors:
  - {id: A, name: Alpha, kind: player, color: "#000000"}
  - {id: B, name: Bravo, kind: player, color: "#111111"}
  - {id: C, name: Charlie, kind: player, color: "#222222"}
tracks:
  - {id: noise, name: Noise, max: 10, initial: 0}
  - {id: tension, name: Tension, max: 10, initial: 0}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A, B, C]}
  - {id: adj, name: Adjudication, kind: adjudication}
moves:
  - {id: speak, name: Speak out, actors: [A, B, C], phases: [orders],
     outcomes: [{id: success, effects: [{track: noise, add: 1}]}]}
  - {id: stir, name: Stir trouble, actors: [A, B, C], phases: [orders], reveal_to: self,
     outcomes: [{id: success, visible_to: self, effects: [{track: tension, add: 2}]}]}
"""


def _room_lines(covert_actor: str) -> list[str]:
    from test_engine_rules import mini

    g = mini(COVERT)
    for who in ("A", "B", "C"):
        g.submit(f"{who}: {'stir' if who == covert_actor else 'speak'}")
    return [line.text for line in g.view("public").log if line.turn == 1]


def test_the_room_cannot_tell_from_the_log_which_hidden_order_changed_a_public_track() -> None:
    """Orders resolve in actor order, so a covert order's change to a public track used to sit
    between the results of the orders around it, naming its maker. The room now reads it at the
    end of the phase, and the same lines whoever made it."""
    lines = {who: _room_lines(who) for who in ("A", "B", "C")}
    first = lines["A"]
    tension = [i for i, text in enumerate(first) if "Tension" in text]
    spoke = [i for i, text in enumerate(first) if "Speak out" in text or "Noise" in text]
    assert tension and spoke and min(tension) > max(spoke), first
    masked = {who: [t.replace("Alpha", "X").replace("Bravo", "X").replace("Charlie", "X")
                    for t in ls] for who, ls in lines.items()}
    assert masked["A"] == masked["B"] == masked["C"], masked


@pytest.mark.parametrize("scenario", ["tutorial", "kursk-2024"])
def test_no_result_the_room_reads_follows_a_hidden_orders_change(scenario: str) -> None:
    """Random games: in each phase, every outcome every team reads comes before anything a
    hidden order set off that a viewer sees (so the public results' values carry no trace of
    it); and the flagship's random games do have such changes."""
    from game.engine.describe import viewer_need, visible

    found = 0
    for seed in range(4):
        g = Game.new(scenario, seed, "all=random")
        g.run_agents()
        entries = g.engine.state.entries()
        need = viewer_need(g.rules, "public")
        hidden = {e.seq for e in entries if not visible(e, need) and e.kind is not Kind.ORDER
                  and e.mask != 0}  # another team's secret, not a submission or the umpire's note
        moved: set[int] = set()
        for e in entries:
            if visible(e, need) and (e.cause in hidden or e.cause in moved):
                moved.add(e.seq)
        last_moved: dict[tuple[int, int], int] = {}
        for e in entries:
            block = (e.turn, e.phase)
            if e.seq in moved:
                last_moved.setdefault(block, e.seq)
            elif e.kind is Kind.OUTCOME and visible(e, need):
                assert block not in last_moved, (seed, e, last_moved[block])
        found += len(moved)
    assert found or scenario == "tutorial"


# ------------------------------------------------------------------ estimates that miss


def _without_ranges(view: Any) -> Any:
    data = view.to_json()
    for t in data["tracks"]:
        t["low"] = t["high"] = None
    return data


def test_a_team_cannot_tell_that_its_estimate_missed(tmp_path: Path) -> None:
    """In random games of the intel fixture, at every decision, Westland's view when its count
    always misses (``miss: 1``) is its view when it never does (``miss: 0``) but for the numbers
    of its range: no field, status or log line tells it the range lies beside the truth."""
    text = (ROOT / "tests" / "fixtures" / "scenarios" / "intel.yaml").read_text(encoding="utf-8")
    paths = []
    for miss in ("0", "1"):
        path = tmp_path / f"intel-{miss}.yaml"
        path.write_text(text.replace("miss: 0.25", f"miss: {miss}"), encoding="utf-8")
        paths.append(str(path))
    missed = steps = 0
    for seed in range(15):
        hit, miss = (Game.new(p, seed, "all=random") for p in paths)
        while not hit.is_over:
            assert _without_ranges(hit.view("WEST")) == _without_ranges(miss.view("WEST"))
            tv = miss.view("WEST").track("losses")
            if tv.status == "estimate":
                truth = miss.engine.value("losses")
                missed += not (tv.low or 0) <= truth <= (tv.high or 0)
            steps += 1
            assert hit.step_agent() and miss.step_agent()
        assert miss.is_over
    assert steps > 100 and missed > 20
