"""The one place the terminal UI meets the game: the :class:`game.session.Game` facade.

Screens never touch the engine or its state; they ask the facade for views and submit actions
in their text form. This module adds the few things a shared screen needs on top: the seat
that must act, the room's view (``game.view(PUBLIC)``: what every player team may see, for the
public adjudication display), and where saves go.
"""

from __future__ import annotations

from pathlib import Path

from game.engine.actions import CONTROL, PUBLIC
from game.engine.errors import EngineError
from game.engine.views import View
from game.saves import autosave_folder
from game.scenario.load import available_scenarios, find_scenario
from game.session import Game, parse_seats

__all__ = ["CONTROL", "PUBLIC", "EngineError", "Game", "View", "default_scenario", "load_game",
           "new_game", "parse_seats", "scenario_choices", "seat_for"]

FLAGSHIP = "kursk-2024"
FALLBACK = "tutorial"


def default_scenario() -> str:
    """The flagship scenario if it is installed, else the tutorial."""
    try:
        find_scenario(FLAGSHIP)
    except Exception:  # ScenarioError: not installed (yet)
        return FALLBACK
    return FLAGSHIP


def scenario_choices() -> list[str]:
    """Scenario ids to offer on the setup screen, the default first."""
    first = default_scenario()
    return [first, *(s for s in available_scenarios() if s != first)]


def new_game(scenario: str, seed: int, seats: dict[str, str] | str | None) -> Game:
    """A new game that autosaves after every turn."""
    return Game.new(scenario, seed=seed, seats=seats, autosave_dir=autosave_folder())


def load_game(path: str | Path) -> Game:
    """A saved game, resumed with autosaves on."""
    return Game.load(path, autosave_dir=autosave_folder())


def latest_autosave() -> Path | None:
    return Game.latest_autosave()


def seat_for(game: Game, who: str) -> str:
    """The screen that must act for ``who``: the actor's own, or 'control' for the umpire
    (who also plays the control-cell actors)."""
    if who == CONTROL:
        return CONTROL
    actor = game.rules.actors[game.rules.actor_index[who]]
    return who if actor.is_player else CONTROL


