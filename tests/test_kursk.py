"""The flagship scenario, kursk-2024: its size, its rules clause by clause, and random playouts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from game.engine.actions import Action
from game.engine.core import Engine
from game.engine.rules import Rules
from game.scenario.compile import load_rules
from game.scenario.load import load_scenario

PLAYERS = ("EU", "ROK", "RUS", "DPRK")


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules("kursk-2024")


def fresh(rules: Rules, seed: int = 1, **tracks: float) -> Engine:
    """A new game at turn 1's orders phase, with some tracks set by hand."""
    eng = Engine.new(rules, seed=seed)
    for name, value in tracks.items():
        eng.state.tracks[rules.track_index[name]] = float(value)
    return eng


def legal_moves(eng: Engine, actor: str) -> set[str]:
    return {a.verb for a in eng.legal_actions(actor)}


# ------------------------------------------------------------------------------------ size


def test_counts(rules: Rules) -> None:
    """The scenario has >= 25 tracks, >= 7 moves per player, >= 14 events, >= 10 history
    entries with values and >= 15 sources (as `powerplay info` reports)."""
    assert len(rules.tracks) >= 25
    for actor in PLAYERS:
        bit = 1 << rules.actor_index[actor]
        assert sum(1 for m in rules.moves if m.actor_mask & bit) >= 7, actor
    assert len(rules.events) >= 14
    assert sum(1 for h in rules.history if h.values) >= 10
    assert len(rules.sources) >= 15


def test_every_control_actor_has_moves(rules: Rules) -> None:
    """The umpire can play each control-cell actor (USA, UKR, CHN, JPN)."""
    for actor in ("USA", "UKR", "CHN", "JPN"):
        bit = 1 << rules.actor_index[actor]
        assert any(m.actor_mask & bit for m in rules.moves), actor


def test_each_player_has_a_hidden_objective(rules: Rules) -> None:
    """Every player actor has at least one hidden agenda."""
    for actor in PLAYERS:
        a = rules.actor_index[actor]
        assert any(o.hidden for o in rules.objectives if o.actor == a), actor


def test_sources_have_urls_and_are_used() -> None:
    """Every source but the design note has a url, and every source is cited somewhere."""
    scn = load_scenario("kursk-2024").scenario
    cited = {t.source for t in scn.tracks} | {m.source for m in scn.moves} | {
        e.source for e in scn.events} | {h.source for h in scn.history}
    for src in scn.meta.sources:
        if src.id != "design":
            assert src.url, src.id
    body = Path(load_scenario("kursk-2024").source.path).read_text(encoding="utf-8")
    for src in scn.meta.sources:
        assert src.id in cited or body.count(src.id) > 1, f"source {src.id} is never cited"


def test_first_line_names_the_schema() -> None:
    """The file starts with the yaml-language-server schema line (editor autocompletion)."""
    path = load_scenario("kursk-2024").source.path
    with open(path, encoding="utf-8") as f:
        assert f.readline().strip() == "# yaml-language-server: $schema=./scenario.schema.json"


def test_event_turns_match_their_dates(rules: Rules) -> None:
    """An event scheduled by turn fires in the turn its real date falls in."""
    for ev in rules.events:
        if ev.turn is not None and ev.date is not None:
            assert rules.turn_of_date(ev.date) == ev.turn, ev.id


# ------------------------------------------------------------------------- random playouts


@pytest.mark.parametrize("seed", range(6))
def test_random_games_finish(rules: Rules, seed: int) -> None:
    """Random play (umpire included) always reaches the end without a refusal or an error."""
    eng = Engine.new(rules, seed=seed)
    rng = random.Random(seed)
    for _ in range(5000):
        if eng.is_over:
            break
        who = eng.waiting_for()[0]
        options = [a for a in eng.legal_actions(who) if a.verb != "retract"]
        eng.apply(rng.choice(options))
    assert eng.is_over
    assert set(eng.actor_scores()) >= set(PLAYERS)


def test_action_text_round_trips(rules: Rules) -> None:
    """Every legal action of the opening position parses back from its text form."""
    eng = Engine.new(rules, seed=3)
    for actor in PLAYERS:
        for a in eng.legal_actions(actor):
            assert Action.parse(str(a)) == a
