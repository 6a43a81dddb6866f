"""The one place the terminal UI meets the game: the :class:`game.session.Game` facade.

Screens never touch the engine or its state; they ask the facade for views and submit actions
in their text form. This module adds the few things a shared screen needs on top: the seat
that must act, the room's view (``game.view(PUBLIC)``: what every player team may see, for the
public adjudication display), and where saves go.
"""

from __future__ import annotations

from game.engine.actions import CONTROL, PUBLIC
from game.engine.errors import EngineError
from game.engine.views import View
from game.seating import (
    FALLBACK,
    FLAGSHIP,
    default_scenario,
    latest_save,
    load_game,
    new_game,
    save_words,
    scenario_choices,
)
from game.session import Game, parse_seats

__all__ = ["CONTROL", "FALLBACK", "FLAGSHIP", "PUBLIC", "EngineError", "Game", "View",
           "default_scenario",
           "latest_save", "load_game", "new_game", "parse_seats", "save_words", "scenario_choices",
           "seat_for"]
"""The setup helpers live in game.seating, shared with the board's setup screen."""


def seat_for(game: Game, who: str) -> str:
    """The screen that must act for ``who``: the actor's own, or 'control' for the umpire
    (who also plays the control-cell actors)."""
    if who == CONTROL:
        return CONTROL
    actor = game.rules.actors[game.rules.actor_index[who]]
    return who if actor.is_player else CONTROL


