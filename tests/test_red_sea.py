"""The second shipped scenario, ``red-sea-2024``: it loads with the size the issue asks for, a
seeded game plays to its end, lint is clean (static and in play), and the board draws its own
region (Suez to Hormuz, from the world map data) with its markers."""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.board.hints import theatre_for  # noqa: E402
from game.board.layout import Mode  # noqa: E402
from game.board.mapview import map_transform  # noqa: E402
from game.board.screen import draw_board, layout_for, make_scene  # noqa: E402
from game.board.shot import play_to  # noqa: E402
from game.board.theme import LAND, SEA  # noqa: E402
from game.board.ui import Ui  # noqa: E402
from game.board.widgets import Click  # noqa: E402
from game.coverage import coverage_warnings, playtest  # noqa: E402
from game.scenario.compile import load_rules  # noqa: E402
from game.scenario.lint import lint  # noqa: E402
from game.scenario.load import SCENARIO_DIR, available_scenarios, load_scenario  # noqa: E402
from game.session import Game  # noqa: E402

SCENARIO = "red-sea-2024"
HISTORY = SCENARIO_DIR / "red-sea-2024.history.txt"
PLAYERS = ("USA", "EU", "HOUTHI", "IRN")


def test_it_is_shipped_and_loads_with_the_size_asked_for() -> None:
    assert SCENARIO in available_scenarios()
    rules = load_rules(SCENARIO)
    loaded = load_scenario(SCENARIO)
    scn = loaded.scenario
    assert [a.id for a in scn.actors if a.kind == "player"] == list(PLAYERS)
    assert {a.id for a in scn.actors if a.kind == "control"} == {"EGY", "SAU", "SHIP", "CHN"}
    assert len(rules.tracks) >= 20
    for team in PLAYERS:
        assert sum(team in mv.actors for mv in scn.moves) >= 6, team
        assert any(o.actor == team for o in scn.objectives), team
    assert any(e.release == "umpire" for e in scn.events)  # injects of the real record
    # dated history checkpoints within the game, each citing a declared source
    sources = {s.id for s in scn.meta.sources}
    assert len(scn.history) >= 5
    for entry in scn.history:
        assert scn.meta.start_date <= entry.date <= scn.meta.start_date + dt.timedelta(
            days=scn.meta.turns * scn.meta.turn_length_days)
        assert entry.source in sources and entry.values
    # every track and every move cites a source (or the declared design judgement)
    assert all(t.source in sources for t in scn.tracks)
    assert all(mv.source in sources for mv in scn.moves)
    assert all(s.url for s in scn.meta.sources if s.id != "design")


def test_a_seeded_game_plays_to_its_end() -> None:
    game = Game.new(SCENARIO, seed=7, seats="all=greedy")
    while not game.is_over:
        assert game.step_agent()
    result = game.result()
    assert game.engine.state.turn == 8 or result.reason
    assert set(result.winners) <= set(PLAYERS) and result.winners
    again = Game.new(SCENARIO, seed=7, seats="all=greedy")
    while not again.is_over:
        again.step_agent()
    assert again.result().scores == result.scores  # the same seed plays the same game


def test_lint_is_clean_static_and_in_play() -> None:
    loaded = load_scenario(SCENARIO)
    assert [str(w) for w in lint(loaded.scenario, loaded.source)] == []
    cov = playtest(SCENARIO, games=24, jobs=1)
    assert not cov.errors
    assert sum(cov.win_share.values()) == pytest.approx(1.0)
    # run-time problems and never-legal moves would show in 24 games already
    assert [w.code for w in coverage_warnings(cov, loaded)
            if w.code in ("lint/run-time-error", "lint/move-never-chosen")] == []


@pytest.mark.parametrize("viewer", ["control", "EU"])
def test_the_board_draws_the_red_sea_with_its_markers(viewer: str) -> None:
    pygame.init()
    try:
        game = play_to(SCENARIO, 1, 2)
        view = game.view(viewer)
        lay = layout_for(game.rules, (1920, 1080),
                         Mode.UMPIRE if viewer == "control" else Mode.TEAM)
        assert lay.hints.focus == (30.0, 9.0, 58.0, 33.0) and lay.hints.note == ""
        surface = pygame.Surface(lay.size)
        scene = make_scene(view, lay)
        hits = draw_board(surface, view, scene, Ui(viewer=viewer, mode=lay.mode))
        # the region's own projection, centred on the Red Sea, not the flagship's
        t = map_transform(theatre_for(lay.hints), lay)
        assert t.theatre.projection.lon0 == 44.0 and scene.transform.view == t.view
        on_map = {h.arg for h in hits if h.click is Click.TRACK and lay.map.contains(h.rect)}
        assert {"houthi_attacks", "opg_warships", "eu_warships", "suez_transits"} <= on_map
        # Bab el-Mandeb, Suez and Bandar Abbas are on the map; the Red Sea is sea, Sudan land,
        # Saudi Arabia tinted in its actor's colour
        for lon, lat in ((43.33, 12.58), (32.55, 29.97), (56.27, 27.18)):
            assert lay.map.collidepoint(t.lonlat(lon, lat))
        # (read on the map's base picture, under the markers and their labels)

        def base(lon: float, lat: float) -> tuple[int, ...]:
            x, y = t.lonlat(lon, lat)
            return tuple(scene.base.get_at((x - lay.map.x, y - lay.map.y)))[:3]

        assert base(38.2, 20.5) == SEA and base(48.0, 12.8) == SEA  # Red Sea, Gulf of Aden
        assert base(31.0, 16.0) == LAND
        assert base(44.0, 24.0) not in (LAND, SEA)
    finally:
        pygame.quit()


def play_history(seed: int) -> Game:
    seats = f"all=script:{HISTORY},control=script:{HISTORY}"
    game = Game.new(SCENARIO, seed=seed, seats=seats)
    game.play_out()
    return game


@pytest.mark.parametrize("seed", [2024, 1, 5])
def test_the_historical_script_plays_to_the_end_near_the_record(seed: int) -> None:
    """The real path (the moves each side made, the injects that happened) plays all eight turns
    without a refused line and without the regional war that did not happen; the dated
    checkpoints of the history land near the game's values (mean gap under a fifth of each
    track's range), the flags exactly."""
    game = play_history(seed)
    assert game.is_over and game.engine.state.end_reason == "last-turn"
    rules = game.rules
    gaps = []
    for point in rules.history:
        values = game.engine.state.tracks_at_end_of(rules.turn_of_date(point.date))
        assert values is not None
        for track, real in point.values:
            t = rules.track(track)
            got = float(values[rules.track_index[track]])
            if t.is_flag:
                assert got == real, (point.date, track)
            gaps.append(abs(got - real) / (t.hi - t.lo))
    assert len(gaps) >= 9 and sum(gaps) / len(gaps) < 0.2
