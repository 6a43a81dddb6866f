"""What a seminar facilitator found projecting the flagship at 1280×800, checked as geometry at
that size and the others the board is used at: long names and briefings are read whole, the
umpire's cards hold their text, a refusal's strip leaves the buttons it speaks of clickable,
and a click during the adjudication show acts.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Iterator  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board.layout import Mode  # noqa: E402
from game.board.screen import draw_board, layout_for, make_scene  # noqa: E402
from game.board.ui import Ui  # noqa: E402
from game.board.widgets import Click, Hit, find_hit  # noqa: E402
from game.engine.actions import CONTROL  # noqa: E402
from game.engine.errors import EngineError  # noqa: E402
from game.session import Game  # noqa: E402

SIZES = [(1024, 768), (1280, 720), (1280, 800), (1920, 1080)]
TEAMS_BY_COMPUTER = "EU=greedy,ROK=greedy,RUS=greedy,DPRK=greedy,control=human"
"""The facilitator's seats: computer teams, a human umpire who plays the control cell."""


@pytest.fixture(autouse=True)
def fonts() -> Iterator[None]:
    pygame.font.init()
    yield


def umpire_waits(seats: str, ready: object = None) -> Game:
    """The flagship played by its computer seats until the human umpire must act (and, with
    ``ready``, until ``ready(view)`` holds: the umpire advances meanwhile)."""
    game = Game.new("kursk-2024", seed=1, seats=seats)
    for _ in range(400):
        if game.step_agent():
            continue
        view = game.view(CONTROL)
        if ready is None or ready(view):  # type: ignore[operator]
            return game
        rule = next((a for a in view.legal if a.startswith("control: rule")), None)
        game.submit(rule or "control: advance")
    raise AssertionError("the umpire was never asked")


def draw_umpire(game: Game, size: tuple[int, int], ui: Ui | None = None
                ) -> tuple[pygame.Surface, list[Hit]]:
    view = game.view(CONTROL)
    layout = layout_for(game.rules, size, Mode.UMPIRE)
    surface = pygame.Surface(layout.size)
    ui = ui or Ui(viewer=CONTROL, mode=Mode.UMPIRE)
    return surface, draw_board(surface, view, make_scene(view, layout), ui)


# ---- 3. the refusal's strip leaves the umpire's buttons clickable ------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_the_refusal_strip_does_not_cover_the_umpires_buttons(size: tuple[int, int]) -> None:
    """Advance refused ('the umpire must rule … first'): the red strip says so, and every button
    of the dock is still the topmost region under its own centre."""
    game = umpire_waits("all=greedy,control=human")
    with pytest.raises(EngineError) as refused:
        game.submit("control: advance")
    ui = Ui(viewer=CONTROL, mode=Mode.UMPIRE, flash=refused.value.message)
    _, hits = draw_umpire(game, size, ui)
    layout = layout_for(game.rules, size, Mode.UMPIRE)
    strip = hits[-1]
    assert strip.click is Click.CANCEL and layout.screen.contains(strip.rect)
    assert not strip.rect.colliderect(layout.dock), (size, strip.rect, layout.dock)
    buttons = [h for h in hits if layout.dock.contains(h.rect)]
    assert {h.click for h in buttons} >= {Click.ADJUST, Click.UNDO, Click.PAUSE, Click.END_GAME}
    for h in buttons:
        assert find_hit(hits, h.rect.center) == h, (size, h)
