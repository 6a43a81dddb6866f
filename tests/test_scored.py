"""Whose scores people are shown is one rule, stated once (game.engine.rules.scored_ids): the
rules' list (the debrief, the log's end line) and every screen's (game.present.scored_actors)
apply it, a screen to the objectives its viewer knows of."""

from __future__ import annotations

from pathlib import Path

import pytest

from game import present as P
from game.engine.actions import CONTROL, PUBLIC
from game.engine.rules import scored_ids
from game.session import Game

ROOT = Path(__file__).resolve().parents[1]
COUNCIL_GOAL = ('''  - id: south_council
    actor: SOUTH''', '''  - id: council_calm
    actor: COUNCIL
    name: Calm on the border
    hidden: HIDDEN
    text: "1 point a turn with tension below 3."
    per_turn: "tension < 3"
  - id: south_council
    actor: SOUTH''')


def test_the_rule() -> None:
    """The teams always; an actor the umpire plays only with objectives, in the actors' order."""
    assert scored_ids([("CHN", False), ("EU", True), ("USA", False)], {"USA", "EU"}) == \
        ["EU", "USA"]
    assert scored_ids([("CHN", False)], set()) == []


@pytest.mark.parametrize("scenario", ["tutorial", "kursk-2024", "red-sea-2024"])
def test_every_screen_and_the_rules_agree_in_the_shipped_scenarios(scenario: str) -> None:
    g = Game.new(scenario, seed=1)
    for viewer in (CONTROL, PUBLIC, *(a.id for a in g.rules.actors)):
        assert P.scored_actors(g.view(viewer)) == g.rules.scored(), viewer


@pytest.mark.parametrize("hidden", [False, True])
def test_an_umpires_actor_with_objectives_is_scored(hidden: bool, tmp_path: Path) -> None:
    """The Council given an objective is scored by the rules and on the umpire's screen; a team
    shown it as well when the objective is public, not when it is the Council's hidden agenda
    (the team would read a bare score it cannot explain)."""
    old, new = COUNCIL_GOAL
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "council.yaml"
    path.write_text(text.replace(old, new.replace("HIDDEN", str(hidden).lower())),
                    encoding="utf-8")
    g = Game.new(str(path), seed=1)
    assert g.rules.scored() == ["NORTH", "SOUTH", "COUNCIL"]
    assert P.scored_actors(g.view(CONTROL)) == ["NORTH", "SOUTH", "COUNCIL"]
    team = ["NORTH", "SOUTH"] + ([] if hidden else ["COUNCIL"])
    assert P.scored_actors(g.view("SOUTH")) == team
