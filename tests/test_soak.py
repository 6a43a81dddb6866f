"""Soak tests (``pytest -m soak``; CI runs them with a time budget): many whole games."""

from __future__ import annotations

import random

import pytest

from game.engine.core import Engine
from game.scenario.compile import load_rules
from game.scenario.load import available_scenarios
from game.session import Game

SCENARIOS = [s for s in available_scenarios() if s in ("tutorial", "kursk-2024", "red-sea-2024")]


@pytest.mark.soak
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_thousand_random_games_keep_every_invariant(scenario: str) -> None:
    """1,000 random games per scenario: tracks stay in range, games end, clones agree."""
    rules = load_rules(scenario)
    rng = random.Random(11)
    for seed in range(1000):
        eng = Engine.new(rules, seed)
        steps = 0
        while not eng.is_over:
            who = eng.to_move()
            assert who is not None
            legal = eng.legal_actions(who)
            assert legal, f"seed {seed}: {who} waited for with no legal action"
            action = legal[rng.randrange(len(legal))]
            if steps % 17 == 0:
                twin = eng.clone()
                twin.apply(action)
            eng.apply(action)
            if steps % 17 == 0:
                assert twin.state.to_json() == eng.state.to_json()
            steps += 1
            assert steps < 20_000
        for t in rules.tracks:
            assert t.lo <= eng.state.tracks[t.idx] <= t.hi


@pytest.mark.soak
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_greedy_and_mixed_games_replay_from_their_saves(scenario: str, tmp_path: object) -> None:
    """Greedy and mixed seats: every game saved at the end loads back to the same digest."""
    from pathlib import Path

    folder = Path(str(tmp_path))
    for seed, seats in enumerate(["all=greedy", "all=random", "players=greedy,control=auto"] * 5):
        g = Game.new(scenario, seed, seats).play_out()
        path = g.save(folder / f"{seed}.json")
        assert Game.load(path).log_digest() == g.log_digest()
