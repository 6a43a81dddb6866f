"""Objectives graded with partial credit for coming close (game.agents.prospect) and the
ISMCTS judge that counts what a position promises."""

from __future__ import annotations

import pytest

from game.agents.ismcts import Judge
from game.agents.prospect import PARTIAL, REACH, Grader
from game.session import Game


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return Game.new("kursk-2024", seed=1).engine.rules


def grade(rules, src: str, turn: int = 1, **values: float) -> float:  # type: ignore[no-untyped-def]
    tracks = [t.initial for t in rules.tracks]
    for name, v in values.items():
        tracks[rules.track_index[name]] = v
    return Grader(rules).compile(src)(tracks, turn)


def test_a_threshold_met_counts_in_full_and_a_near_miss_in_part(rules) -> None:  # type: ignore[no-untyped-def]
    t = rules.track("eu_rok_partnership")
    width = REACH * (t.hi - t.lo)
    assert grade(rules, "eu_rok_partnership >= 7", eu_rok_partnership=7) == 1.0
    assert grade(rules, "eu_rok_partnership >= 7", eu_rok_partnership=9) == 1.0
    assert grade(rules, "eu_rok_partnership >= 7", eu_rok_partnership=6) == pytest.approx(
        PARTIAL * (1 - 1 / width))
    closer = grade(rules, "eu_rok_partnership >= 7", eu_rok_partnership=6)
    farther = grade(rules, "eu_rok_partnership >= 7", eu_rok_partnership=5)
    assert 0 < farther < closer < PARTIAL
    assert grade(rules, "eu_rok_partnership >= 7", eu_rok_partnership=0) == 0.0
    # the other way round, and strictly
    assert grade(rules, "kursk_held <= 300", kursk_held=300) == 1.0
    assert 0 < grade(rules, "kursk_held <= 300", kursk_held=320) < PARTIAL
    assert grade(rules, "eu_unity < 5", eu_unity=5) == PARTIAL
    assert grade(rules, "eu_unity < 5", eu_unity=4) == 1.0


def test_and_or_not_sums_and_ranges_follow_the_formula(rules) -> None:  # type: ignore[no-untyped-def]
    both = grade(rules, "rok_arms_ladder >= 2 and escalation <= 6", rok_arms_ladder=2,
                 escalation=3)
    half = grade(rules, "rok_arms_ladder >= 2 and escalation <= 6", rok_arms_ladder=1,
                 escalation=3)
    assert both == 1.0 and 0 < half < PARTIAL
    assert grade(rules, "rok_arms_ladder >= 2 or escalation <= 6", rok_arms_ladder=0,
                 escalation=3) == 1.0
    assert grade(rules, "3 * (not dprk_in_ukraine)", dprk_in_ukraine=1) == 0.0
    assert grade(rules, "3 * (not dprk_in_ukraine)", dprk_in_ukraine=0) == 3.0
    # a sum of thresholds: one met, one close
    two = grade(rules, "(rok_capital >= 4) + (rok_capital >= 8)", rok_capital=7)
    assert 1.0 < two < 1.0 + PARTIAL
    # inside a band counts in full; just outside in part
    assert grade(rules, "4 <= china_dependence <= 7", china_dependence=5) == 1.0
    assert 0 < grade(rules, "4 <= china_dependence <= 7", china_dependence=7.5) < PARTIAL
    # plain numbers are left as they are
    assert grade(rules, "2 * max(0, 2 - (tech_missiles + tech_space))", tech_missiles=1,
                 tech_space=0) == 2.0


@pytest.mark.parametrize("src", ["eu_unity / sanctions", "no_such_track >= 1", "'text' == 'x'"])
def test_what_cannot_be_graded_is_refused_by_name(rules, src: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="cannot grade"):
        Grader(rules).compile(src)


@pytest.mark.parametrize("scenario", ["kursk-2024", "red-sea-2024", "tutorial"])
def test_every_shipped_objective_is_graded(scenario: str) -> None:
    rules = Game.new(scenario, seed=1).engine.rules
    grader = Grader(rules)
    for o in rules.objectives:
        for expr in (o.per_turn, o.at_end):
            if expr is not None:
                grader.compile(expr.src)


def test_graded_points_are_the_exact_points_plus_credit_for_coming_close() -> None:
    """A met comparison counts in full and an unmet one not below 0: on the flagship (no
    formula takes a comparison away from something) graded points are never below the exact
    ones, and exceed them by at most 4 (the largest factor there) x PARTIAL per comparison."""
    g = Game.new("kursk-2024", seed=3)
    rules = g.engine.rules
    grader = Grader(rules)
    env = g.engine.env()
    s = g.engine.state
    for o in rules.objectives:
        for expr in (o.per_turn, o.at_end):
            if expr is None:
                continue
            exact = float(expr.fn(env))
            graded = grader.compile(expr.src)(s.tracks, s.turn)
            assert graded >= exact - 1e-9, (o.id, expr.src)  # never less than the truth
            comparisons = sum(expr.src.count(op) for op in ("<", ">", "=="))
            assert graded <= exact + 4 * PARTIAL * comparisons + 1e-9, (o.id, expr.src)


def test_the_judge_counts_per_turn_points_for_the_turns_left_and_scores_only_when_over() -> None:
    g = Game.new("kursk-2024", seed=3)
    eng = g.engine
    rules = eng.rules
    exact = Judge(rules, "EU", graded=False, persist=1)
    graded = Judge(rules, "EU", graded=True, persist=1000)
    eu = rules.actor_index["EU"]
    flat = exact.points(eng)[eu]
    # a per-turn objective met now is worth it for every turn still to be scored
    per_turn = sum(float(o.per_turn.fn(eng.env())) for o in rules.objectives
                   if o.actor == eu and o.per_turn is not None)
    turns_left = rules.turns - eng.state.turn + 1
    assert graded.points(eng)[eu] >= flat + (turns_left - 1) * per_turn - 1e-9
    done = eng.clone()
    done.state.over = True
    scored = sum(done.state.scores[o.idx] for o in rules.objectives if o.actor == eu)
    assert graded.points(done)[eu] == exact.points(done)[eu] == scored


def test_the_judge_without_grading_lead_or_persistence_values_as_the_greedy_seat() -> None:
    from game.agents.basic import objective_value

    g = Game.new("kursk-2024", seed=2, seats="all=greedy,control=auto")
    for _ in range(40):  # into turn 2, with scores and moved tracks
        g.step_agent()
    eng = g.engine
    judge = Judge(eng.rules, "ROK", graded=False, persist=1, margin=False)
    values = judge.values(eng)
    assert values["ROK"] == pytest.approx(objective_value(eng, "ROK"))
    assert Judge(eng.rules, "ROK").values(eng)["ROK"] != pytest.approx(values["ROK"])


def test_a_number_read_as_true_or_false_counts_at_most_one(rules) -> None:  # type: ignore[no-untyped-def]
    """'or' and 'and' read a plain number as true (1) or false (0), as the scenario does."""
    assert grade(rules, "eu_rok_partnership or escalation", eu_rok_partnership=6,
                 escalation=0) == 1.0
    assert grade(rules, "eu_rok_partnership and escalation", eu_rok_partnership=6,
                 escalation=0) == 0.0
