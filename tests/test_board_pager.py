"""The side panel's gauges pager: every gauge a viewer may see can be reached with T."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board.layout import Mode  # noqa: E402
from game.board.panels import draw_side, gauge_page_of  # noqa: E402
from game.board.screen import layout_for  # noqa: E402
from game.board.widgets import Click  # noqa: E402
from game.session import Game  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def fonts() -> None:
    pygame.font.init()


def _reached(game: Game, viewer: str, size: tuple[int, int]) -> tuple[set[str], list[int]]:
    """The tracks drawn on every page T turns to, from page 0 until it comes back."""
    view = game.view(viewer)
    mode = Mode.UMPIRE if viewer == "control" else Mode.TEAM if viewer != "public" \
        else Mode.WATCH
    layout = layout_for(game.rules, size, mode)
    surface = pygame.Surface(layout.size)
    seen: set[str] = set()
    page, turned = 0, [0]
    for _ in range(40):
        hits = draw_side(surface, view, layout, theme=page)
        seen |= {h.arg for h in hits if h.click is Click.TRACK}
        more = next((h for h in hits if h.click is Click.THEME), None)
        if more is None:
            break
        page = int(more.arg)
        if page in turned or page == 0:
            break
        turned.append(page)
    return seen, turned


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_paging_with_t_reaches_every_gauge(size: tuple[int, int]) -> None:
    """For each team and the room on the flagship, paging with T through every page draws
    every track the viewer may see at least once (at 1024×768 the DPRK's MILITARY group
    showed one gauge, and the others could not be reached at all); a change turns to the
    page holding its gauge."""
    game = Game.new("kursk-2024", seed=1, seats="all=greedy")
    teams = [a.id for a in game.view("control").actors if a.kind == "player"]
    assert len(teams) >= 4
    for viewer in [*teams, "public"]:
        view = game.view(viewer)
        seen, _ = _reached(game, viewer, size)
        missing = {t.id for t in view.tracks} - seen
        assert not missing, (viewer, size, missing)
        layout = layout_for(game.rules, size, Mode.TEAM)
        for t in view.tracks:
            page = gauge_page_of(view, layout, t.id)
            if page is not None:
                hits = draw_side(pygame.Surface(layout.size), view, layout, theme=page)
                assert any(h.click is Click.TRACK and h.arg == t.id for h in hits), t.id
