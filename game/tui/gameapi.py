"""The one place the terminal UI meets the game: the :class:`game.session.Game` facade.

Screens never touch the engine or its state; they ask the facade for views and submit actions
in their text form. This module adds the few things a shared screen needs on top: the seat
that must act, the log every team may see (for the public adjudication display), and where
saves go.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from game.engine.actions import CONTROL
from game.engine.errors import EngineError
from game.engine.views import LogLine, View
from game.saves import autosave_folder
from game.scenario.load import available_scenarios, find_scenario
from game.session import Game, parse_seats

__all__ = ["CONTROL", "EngineError", "Game", "View", "default_scenario", "load_game",
           "new_game", "parse_seats", "player_ids", "public_log", "public_explain",
           "scenario_choices", "seat_for"]

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
    game = Game.load(path)
    game.autosave_dir = autosave_folder()
    return game


def latest_autosave() -> Path | None:
    return Game.latest_autosave()


def seat_for(game: Game, who: str) -> str:
    """The screen that must act for ``who``: the actor's own, or 'control' for the umpire
    (who also plays the control-cell actors)."""
    if who == CONTROL:
        return CONTROL
    actor = game.rules.actors[game.rules.actor_index[who]]
    return who if actor.is_player else CONTROL


def player_ids(game: Game) -> list[str]:
    return [a.id for a in game.rules.actors if a.is_player]


def public_log(game: Game) -> list[LogLine]:
    """Log lines every player team may see: what a shared screen may show to the room."""
    views = [game.view(a) for a in player_ids(game)]
    if not views:
        return list(game.view(CONTROL).log)
    common = set.intersection(*({line.seq for line in v.log} for v in views))
    return [line for line in views[0].log if line.seq in common]


def public_explain(game: Game, seq: int) -> list[str]:
    """The causal chain of a public log line, cut where some team may not follow it."""
    chains = [game.explain(seq, a) for a in player_ids(game)] or [game.explain(seq)]
    out: list[str] = []
    for i, line in enumerate(chains[0]):
        if all(i < len(c) and c[i] == line for c in chains):
            out.append(line)
        else:
            out.append("(a cause not every team may see)")
            break
    return out


def waiting_text(view: View, seats: Sequence[str]) -> str:
    """'Waiting for NORTH, SOUTH' (for status lines)."""
    return ", ".join(seats) if seats else "nobody"
