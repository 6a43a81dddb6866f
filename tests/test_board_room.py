"""Screens for the room: the help lists every key whole at the three window sizes; a team's own
briefing (B) holds its private briefing and objectives and no other team's; the game-over
screen shows every team's score and every objective, hidden agendas marked, and the key tracks
as a chart drawn by matplotlib to the size of its place."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Iterator  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board import text  # noqa: E402
from game.board.app import BoardApp  # noqa: E402
from game.board.layout import Mode  # noqa: E402
from game.board.overlays import COMMON_KEYS, HELP_KEYS  # noqa: E402
from game.board.room import (  # noqa: E402
    HIDDEN_MARK,
    brief_paragraphs,
    chart_area,
    chart_surface,
    ending,
    key_track_series,
)
from game.board.screen import layout_for  # noqa: E402
from game.engine.actions import CONTROL  # noqa: E402
from game.session import Game  # noqa: E402


@pytest.fixture()
def screen() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode((1280, 720))
    pygame.quit()


def drawn(app: BoardApp, surface: pygame.Surface) -> list[str]:
    seen: list[str] = []
    text.recording(seen)
    try:
        app.render(surface)
    finally:
        text.recording(None)
    return seen


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768), (1920, 1080)])
def test_help_shows_every_key_whole(screen: pygame.Surface, size: tuple[int, int]) -> None:
    surface = pygame.Surface(size)
    app = BoardApp(Game.new("kursk-2024", seed=1, seats="control=human"), size)
    for seat, mode in (("EU", Mode.TEAM), (CONTROL, Mode.UMPIRE)):
        app.take_seat(seat)
        app.show, app.ui.popups, app.ui.show_help = None, [], True
        seen = drawn(app, surface)
        for key, what in (*HELP_KEYS[mode], *COMMON_KEYS):
            assert key in seen and what in seen, (size, seat, key)


def test_own_briefing_is_the_teams_own(screen: pygame.Surface) -> None:
    game = Game.new("kursk-2024", seed=1)
    eu, rok = game.view("EU"), game.view("ROK")
    title, paragraphs = brief_paragraphs(eu)
    body = "\n".join(paragraphs)
    assert "European Union" in title
    assert eu.actor("EU").private_briefing and eu.actor("EU").private_briefing in body
    hidden = [o for o in eu.objectives if o.actor == "EU" and o.hidden]
    assert hidden and all(o.name in body for o in hidden)
    rok_private = game.view("ROK").actor("ROK").private_briefing
    assert rok_private and rok_private not in body
    assert not any(o.name in body for o in rok.objectives if o.actor == "ROK" and o.hidden)
    # on the board (B opens it; the seminar test presses it) it is paged
    app = BoardApp(game, (1280, 720))
    app.take_seat("EU")
    app.show, app.ui.popups = None, []
    app.ui.brief_page = 0
    seen = drawn(app, screen)
    assert any(line.startswith("Page 1 of") for line in seen)


def test_game_over_screen(screen: pygame.Surface) -> None:
    game = Game.new("kursk-2024", seed=3, seats="control=auto,EU=greedy,ROK=greedy,"
                    "RUS=greedy,DPRK=greedy").play_out()
    app = BoardApp(game, (1280, 720))
    app.take_seat(CONTROL)
    app.show, app.ui.popups = None, []
    assert app.game_over_screen
    seen = drawn(app, screen)
    end = ending(game, game.view(CONTROL))
    for _, name, _, score, _ in end.teams:
        assert f"{score} pts" in " ".join(seen)
        assert any(name.startswith(line.rstrip("…")) for line in seen if line)
    hidden = [name for _, name, is_hidden, _ in end.objectives if is_hidden]
    assert hidden and any(line.startswith(HIDDEN_MARK) for line in seen)
    series = key_track_series(game)
    assert series and all(len(values) == game.rules.turns + 1 for _, _, _, values, _ in series)
    area = chart_area(layout_for(game.rules, (1280, 720), Mode.WATCH))
    chart = chart_surface(series, area.size, 19)
    assert chart.get_size() == area.size
    assert app.chart is not None and app.chart.get_size() == area.size
