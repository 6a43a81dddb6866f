"""``powerplay board-shot``: play a game headless with computer seats, then draw one viewer's
board to a PNG (for tests, docs and handouts).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "b.png"
>>> board_shot("tutorial", 1, 2, "SOUTH", str(out), (640, 360))
>>> out.stat().st_size > 1000
True
"""

from __future__ import annotations

import os

import pygame

from game.board.layout import Mode
from game.board.screen import draw_board, layout_for, make_scene, mode_for
from game.board.ui import Ui
from game.engine.actions import CONTROL, PUBLIC
from game.session import Game

SHOT_SEATS = "all=random,control=auto"


def play_to(scenario: str, seed: int, turn: int | None) -> Game:
    """A game with random seats and the automatic umpire, stopped when ``turn`` begins."""
    game = Game.new(scenario, seed=seed, seats=SHOT_SEATS)
    target = turn or 1
    while not game.is_over and game.engine.state.turn < target:
        if not game.step_agent():
            break
    return game


def render_view(game: Game, viewer: str, size: tuple[int, int]) -> pygame.Surface:
    """The board as ``viewer`` (an actor, 'control' or 'public': the room) sees it now, as if
    that seat were at the screen."""
    if viewer not in (CONTROL, PUBLIC) and viewer not in game.rules.actor_index:
        known = ", ".join([*game.rules.actor_index, CONTROL, PUBLIC])
        raise ValueError(f"no viewer '{viewer}' in {game.rules.id} (choose one of {known})")
    view = game.view(viewer)
    mode = mode_for(view, acting=True)
    layout = layout_for(game.rules, size, mode)
    surface = pygame.Surface(layout.size)
    ui = Ui(viewer=viewer, mode=mode, paused=game.paused)
    draw_board(surface, view, make_scene(view, layout), ui)
    return surface


def board_shot(scenario: str, seed: int, turn: int | None, viewer: str, out: str,
               size: tuple[int, int]) -> None:
    """Write ``out`` (PNG): ``viewer``'s board at the start of ``turn`` (default: turn 1)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    pygame.font.init()
    game = play_to(scenario, seed, turn)
    surface = render_view(game, viewer, size)
    pygame.image.save(surface, out)


__all__ = ["Mode", "board_shot", "play_to", "render_view"]
