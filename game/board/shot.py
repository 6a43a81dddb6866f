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
from game.engine.rules import Rules
from game.fileio import atomic_output, check_output
from game.session import Game, SeatError

SHOT_SEATS = "all=random,control=auto"


def play_to(scenario: str, seed: int, turn: int | None) -> Game:
    """A game with random seats and the automatic umpire, stopped when ``turn`` begins."""
    return advance(Game.new(scenario, seed=seed, seats=SHOT_SEATS), turn)


def advance(game: Game, turn: int | None) -> Game:
    """``game`` played on by its computer seats until ``turn`` (default 1) begins."""
    target = turn or 1
    while not game.is_over and game.engine.state.turn < target:
        if not game.step_agent():
            break
    return game


def check_viewer(rules: Rules, viewer: str) -> None:
    if viewer not in (CONTROL, PUBLIC) and viewer not in rules.actor_index:
        known = ", ".join([*rules.actor_index, CONTROL, PUBLIC])
        raise SeatError(f"no viewer '{viewer[:40]}' in {rules.id} (choose one of {known})")


def render_view(game: Game, viewer: str, size: tuple[int, int]) -> pygame.Surface:
    """The board as ``viewer`` (an actor, 'control' or 'public': the room) sees it now, as if
    that seat were at the screen."""
    check_viewer(game.rules, viewer)
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
    check_output(out, "picture")
    game = Game.new(scenario, seed=seed, seats=SHOT_SEATS)
    check_viewer(game.rules, viewer)  # before the game is played
    pygame.font.init()
    advance(game, turn)
    surface = render_view(game, viewer, size)
    with atomic_output(out, "picture") as fh:
        pygame.image.save(surface, fh, "shot.png")


__all__ = ["Mode", "board_shot", "play_to", "render_view"]
