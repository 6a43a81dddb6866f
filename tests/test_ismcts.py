"""The ISMCTS seat: seeded, within its budget, and blind to what its team may not know."""

from __future__ import annotations

import pytest

from game.agents.ismcts import Budget, IsmctsAgent, determinize
from game.engine.actions import PASS, Action
from game.engine.core import Engine
from game.engine.rules import PhaseKind
from game.session import Game, SeatError


def flagship_at_turn_2_orders() -> Game:
    """The flagship at turn 2's secret orders, Russia and the DPRK having given theirs."""
    g = Game.new("kursk-2024", seed=5, seats="all=passive,control=auto")
    while not (g.engine.state.turn == 2 and g.engine.phase.kind is PhaseKind.ORDERS):
        assert g.step_agent()
    for team in ("RUS", "DPRK"):
        move = next(a for a in g.legal_actions(team) if a.verb not in (PASS, "retract"))
        g.submit(move)
    assert "EU" in g.waiting_for()
    return g


def decide(engine: Engine, iterations: int = 120) -> tuple[Action, list[tuple[str, int, float]]]:
    agent = IsmctsAgent("EU", seed=9, budget=Budget(iterations))
    options = [a for a in engine.legal_actions("EU") if a.verb != "retract"]
    choice = agent.search(engine, options)
    return choice, [(str(x.action), x.visits, round(x.mean, 9)) for x in agent.last]


@pytest.mark.parametrize("model_others", [False, True])
def test_the_decision_does_not_depend_on_what_the_seat_cannot_know(
        model_others: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing every hidden value the EU cannot know — secret tracks within what its estimates
    allow, others' resources, others' secret orders, hidden scores, the dice to come, the
    umpire's queue — leaves its search, and so its decision, exactly as it was (with the other
    seats played at random in the playouts, and by the model of them)."""
    monkeypatch.setattr("game.agents.ismcts.MODEL_OTHERS", model_others)
    g = flagship_at_turn_2_orders()
    eng = g.engine
    eu = eng.rules.actor_index["EU"]
    known_before = eng.state.known[eu]
    before = decide(eng)

    other = eng.clone()
    s = other.state
    hidden = [t for t in eng.rules.tracks if known_before[t.idx] is not None]
    assert hidden, "the flagship keeps secrets from the EU"
    for t in hidden:
        s.tracks[t.idx] = t.hi if s.tracks[t.idx] != t.hi else t.lo
    for a in eng.rules.actors:
        if a.id != "EU":
            for r in a.resources:
                s.res[r.idx] = max(0, s.res[r.idx] - 1)
    for o in eng.rules.objectives:
        if eng.rules.actors[o.actor].id != "EU" and o.hidden:
            s.scores[o.idx] += 7
    s.rng ^= 0x5DEECE66D
    dprk = next(o for o in s.orders if eng.rules.actors[o.actor].id == "DPRK")
    other._apply(Action("DPRK", "retract", (("order", dprk.ref),)))
    alt = [a for a in other.legal_actions("DPRK") if a.verb not in (PASS, "retract")]
    other._apply(alt[-1])
    assert other.state.known[eu] == known_before  # the EU knows exactly what it knew
    assert decide(other) == before


def test_the_search_reads_what_the_seat_knows() -> None:
    """The check above can fail: a value the EU sees exactly changes what its search finds."""
    g = flagship_at_turn_2_orders()
    eng = g.engine
    eu = eng.rules.actor_index["EU"]
    before = decide(eng)
    other = eng.clone()
    seen = [t for t in eng.rules.tracks if other.state.known[eu][t.idx] is None and not t.is_flag]
    for t in seen:
        other.state.tracks[t.idx] = t.hi
    assert decide(other)[1] != before[1]


def test_a_world_to_search_keeps_what_the_seat_knows_and_resamples_the_rest() -> None:
    """A sampled world: tracks the EU sees are the truth; estimated ones lie in its range;
    other teams' secret orders of this phase are taken back and they may order again."""
    import random

    g = flagship_at_turn_2_orders()
    eng = g.engine
    eu = eng.rules.actor_index["EU"]
    known = eng.state.known[eu]
    world = determinize(eng, "EU", random.Random(1))
    for t in eng.rules.tracks:
        k = known[t.idx]
        if k is None:
            assert world.state.tracks[t.idx] == eng.state.tracks[t.idx], t.id
        elif k != (None,) and isinstance(k, tuple) and len(k) == 2 and k[0] is not None:
            assert k[0] - 0.5 <= world.state.tracks[t.idx] <= k[1] + 0.5, t.id
    assert all(o.actor == eu or o.revealed for o in world.state.orders)
    assert {"RUS", "DPRK"} <= set(world.waiting_for())


def test_seeded_and_budgeted() -> None:
    """The same position, seed and iteration budget give the same decision and statistics;
    the root's visits add up to the budget."""
    g = flagship_at_turn_2_orders()
    a, stats_a = decide(g.engine, 80)
    b, stats_b = decide(g.engine, 80)
    assert a == b and stats_a == stats_b
    assert sum(v for _, v, _ in stats_a) == 80


def test_an_ismcts_seat_plays_a_whole_game() -> None:
    """Seats name it with a budget; a tutorial game with one ISMCTS team plays to the end and
    replays to the same digest from its decisions."""
    g = Game.new("tutorial", seed=4, seats="NORTH=ismcts:40,SOUTH=greedy,control=auto")
    g.run_agents()
    assert g.is_over
    again = Game.new("tutorial", seed=4, seats="NORTH=ismcts:40,SOUTH=greedy,control=auto")
    again.run_agents()
    assert again.log_digest() == g.log_digest()


@pytest.mark.parametrize("bad", ["ismcts:0", "ismcts:lots", "ismcts:-2s", "ismcts:9999s"])
def test_a_bad_budget_is_refused_with_what_a_budget_looks_like(bad: str) -> None:
    with pytest.raises(SeatError, match="iterations"):
        Game.new("tutorial", seats=f"NORTH={bad}")


def test_another_teams_hidden_objectives_are_not_read() -> None:
    """The search values other teams (to foresee their moves) only by the objectives the seat
    may know of: another team's hidden objective is that team's secret."""
    from game.agents.ismcts import Judge

    g = flagship_at_turn_2_orders()
    rules = g.rules
    eu = rules.actor_index["EU"]
    judge = Judge(rules, "EU")
    counted = {idx for _, idx, _, _ in judge.terms}
    for o in rules.objectives:
        assert (o.idx in counted) == (o.actor == eu or not o.hidden), o.id
    assert any(o.hidden and o.actor != eu for o in rules.objectives)


def test_the_coach_names_moves_and_leaves_the_game_as_it_was() -> None:
    """A coach's hint reads the moves' names (never ids), how often each was tried and what
    it came to; asking changes nothing in the game, and the same position gives the same hint."""
    g = flagship_at_turn_2_orders()
    before = g.log_digest()
    hint = g.coach("EU", "200")
    assert 1 <= len(hint) <= 3 and g.log_digest() == before
    assert hint == g.coach("EU", "200")
    names = {m.name for m in g.view("EU").moves} | {"Give no more orders (pass)"}
    ids = {m.id for m in g.rules.moves}
    for line in hint:
        assert any(line.startswith(n) for n in names), line
        assert not any(i in line.split() for i in ids), line
        assert " of 200 times" in line and "on average" in line


def test_it_passes_only_when_every_order_came_to_less() -> None:
    """Passing gives up an order that counts towards later thresholds: the search passes only
    when every order it tried came to less on average than passing; otherwise it orders."""
    g = flagship_at_turn_2_orders()
    chosen = []
    for team in ("EU", "ROK"):
        for seed in range(3):
            agent = IsmctsAgent(team, seed=seed, budget=Budget(60))
            options = [a for a in g.legal_actions(team) if a.verb != "retract"]
            choice = agent.search(g.engine, options)
            assert agent.last[0].action == choice
            chosen.append(choice.verb)
            if choice.verb == PASS:
                assert all(x.mean < agent.last[0].mean for x in agent.last[1:]), agent.last
    assert any(v != PASS for v in chosen)


def test_an_offer_between_two_other_teams_is_not_in_a_world_searched() -> None:
    """An offer is shown only to its two sides: a third team's sampled world has none, the
    sides' worlds keep it (the bargain fixture: Westland offers Southland a deal)."""
    import random
    from pathlib import Path

    g = Game.new(str(Path(__file__).parent / "fixtures" / "scenarios" / "bargain.yaml"), 1,
                 "all=passive")
    g.submit("WEST: offer_deal give=market")
    for who in ("WEST", "SOUTH", "EAST"):
        if who in g.waiting_for():
            g.submit(Action(who, PASS))
    assert g.engine.state.offers
    assert determinize(g.engine, "EAST", random.Random(1)).state.offers == ()
    for side in ("WEST", "SOUTH"):
        assert determinize(g.engine, side, random.Random(1)).state.offers == g.engine.state.offers


def test_other_seats_are_played_in_a_playout_by_their_best_looking_orders() -> None:
    """With the model of the other seats (``MODEL_OTHERS``), in a playout another team gives
    its orders in the order a one-turn look values them for it (each option played with
    everyone else passing to the turn's end, valued by what the searching seat may know of that
    team's objectives), each order once, and a search with that model finds other figures than
    one with random others."""
    import random

    import game.agents.ismcts as ismcts
    from game.agents.basic import AutoUmpire, finish_turn
    from game.agents.ismcts import Judge

    g = flagship_at_turn_2_orders()
    world = determinize(g.engine, "EU", random.Random(2))
    judge = Judge(g.rules, "EU")
    options = [a for a in world.legal_actions("ROK") if a.verb != "retract"]
    ranked = IsmctsAgent._ranked(world, "ROK", options, judge, AutoUmpire(3))
    assert sorted(map(str, ranked)) == sorted(map(str, options))
    umpire = AutoUmpire(3)  # the same draws as the ranking's, option by option
    values = {}
    for a in options:
        probe = world.clone()
        probe._apply(a)
        finish_turn(probe, umpire)
        values[a] = judge.values(probe)["ROK"]
    in_order = [values[a] for a in ranked]
    assert in_order == sorted(in_order, reverse=True) and len(set(in_order)) > 1

    agent = IsmctsAgent("EU", seed=1)
    given: set[tuple[str, Action]] = set()
    played = [agent._modelled(world, "ROK", options, judge, AutoUmpire(3), given)
              for _ in range(3)]
    assert agent._ranks[("ROK", 2, world.state.phase)] == ranked
    assert played == ranked[:3]  # the best first, each once

    default = ismcts.MODEL_OTHERS
    try:
        ismcts.MODEL_OTHERS = False
        at_random = decide(g.engine)
        ismcts.MODEL_OTHERS = True
        assert decide(g.engine)[1] != at_random[1]
    finally:
        ismcts.MODEL_OTHERS = default
