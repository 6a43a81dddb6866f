"""The board's cached layers (the dock, top bar and ticker drawn once per view and UI state;
map names drawn with their halo once) give the same pixels as drawing afresh, and a layer drawn
for one team is never shown to another."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"


import pygame  # noqa: E402

from game.board.screen import draw_board, layout_for, make_scene, mode_for  # noqa: E402
from game.board.shot import play_to  # noqa: E402
from game.board.ui import Ui  # noqa: E402

SIZE = (1280, 720)


def test_layers_draw_what_a_fresh_board_draws(screen: pygame.Surface) -> None:
    game = play_to("kursk-2024", 1, 2)
    eu, rok = game.view("EU"), game.view("ROK")
    mode = mode_for(eu, acting=True)
    layout = layout_for(game.rules, SIZE, mode)
    shared = make_scene(eu, layout)

    def drawn(view_: object, scene: object, page: int = 0) -> bytes:
        surface = pygame.Surface(SIZE)
        ui = Ui(viewer=view_.viewer, mode=mode, page=page)  # type: ignore[attr-defined]
        draw_board(surface, view_, scene, ui)  # type: ignore[arg-type]
        return pygame.image.tobytes(surface, "RGB")

    first = drawn(eu, shared)
    assert shared.chrome.view is eu
    assert drawn(eu, shared) == first  # from the layer
    assert drawn(eu, make_scene(eu, layout)) == first  # afresh
    # another team's view on the same scene: its own dock, not the EU's layer
    assert drawn(rok, shared) == drawn(rok, make_scene(rok, layout)) != first
    assert shared.chrome.view is rok
    # the UI state changed (another page of cards): drawn again
    assert drawn(rok, shared, page=1) == drawn(rok, make_scene(rok, layout), page=1)
