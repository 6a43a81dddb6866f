"""The scenario format's optional ``map:`` section: checked at load with positions (an unknown
track, actor or place is a ``scenario/unknown-*`` error at its line), turned into the board's
hints, and a sensible default map when a scenario has none."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import pytest  # noqa: E402

from game.board.geo import load_theatre  # noqa: E402
from game.board.hints import BoardHints, MarkerKind, board_hints, default_hints  # noqa: E402
from game.scenario.compile import compile_rules, load_rules  # noqa: E402
from game.scenario.errors import ScenarioError  # noqa: E402
from game.scenario.load import SCENARIO_DIR, load_text  # noqa: E402

TUTORIAL = (SCENARIO_DIR / "tutorial.yaml").read_text(encoding="utf-8")

GOOD_MAP = """
map:
  bounds: [20.0, 40.0, 60.0, 60.0]
  ladder: tension
  themes: [military]
  places:
    - {id: north_city, name: Northgrad, lon: 40.0, lat: 55.0}
    - {id: border, name: Border villages, lon: 38.0, lat: 50.0, label: false}
    - {id: south_city, name: Southport, lon: 35.0, lat: 45.0}
  markers:
    - {track: north_troops, kind: deployment, at: border, actor: NORTH, label: Troops,
       offset: [0.5, -1.0]}
    - {track: south_intel, kind: transfer, at: south_city, to: north_city, actor: SOUTH,
       bend: -0.2}
  countries:
    RUS: NORTH
"""


def _load(map_text: str) -> list[tuple[int, str, str]]:
    """(line, code, message) of each problem the map section has, [] if it loads."""
    try:
        load_text(TUTORIAL + map_text, "tutorial-with-map.yaml")
    except ScenarioError as exc:
        return [(d.line, d.code, d.message) for d in exc.diagnostics]
    return []


def _line_of(map_text: str, needle: str) -> int:
    return (TUTORIAL + map_text).splitlines().index(
        next(ln for ln in (TUTORIAL + map_text).splitlines() if needle in ln)) + 1


def test_a_map_section_becomes_the_boards_hints() -> None:
    rules = compile_rules(load_text(TUTORIAL + GOOD_MAP, "tutorial-with-map.yaml"))
    hints = board_hints(rules, load_theatre())
    assert hints.focus == (20.0, 40.0, 60.0, 60.0) and hints.ladder == "tension"
    assert hints.themes == ("military",)
    assert [s.name for s in hints.labels] == ["Northgrad", "Southport"]  # in order, not 'border'
    troops, intel = hints.markers
    assert troops.kind is MarkerKind.DEPLOYMENT and troops.at.name == "Border villages"
    assert troops.actor == "NORTH" and troops.label == "Troops" and troops.offset == (0.5, -1.0)
    assert intel.kind is MarkerKind.TRANSFER and intel.to is not None
    assert (intel.at.id, intel.to.id, intel.bend) == ("south_city", "north_city", -0.2)
    assert dict(hints.countries) == {"RUS": "NORTH"}


@pytest.mark.parametrize(("bad", "good", "code"), [
    ("track: north_troops, kind", "track: north_trops, kind", "scenario/unknown-track"),
    ("actor: NORTH, label", "actor: NORHT, label", "scenario/unknown-actor"),
    ("at: border,", "at: atlantis,", "scenario/unknown-place"),
    ("to: north_city", "to: north_cty", "scenario/unknown-place"),
    ("ladder: tension", "ladder: tensions", "scenario/unknown-track"),
    ("RUS: NORTH", "RUS: NOBODY", "scenario/unknown-actor"),
    ("bend: -0.2}", "bend: -0.2, shown_to: [SOUTH, WEST]}", "scenario/unknown-actor"),
    ("bounds: [20.0, 40.0, 60.0, 60.0]", "bounds: [60.0, 40.0, 20.0, 60.0]",
     "scenario/out-of-range"),
    ("kind: transfer, at: south_city, to: north_city,", "kind: transfer, at: south_city,",
     "scenario/missing-field"),
    ("kind: deployment", "kind: fleet", "scenario/bad-choice"),
    ("lat: 45.0}", "lat: 95.0}", "scenario/out-of-range"),
])
def test_map_mistakes_are_positioned_errors(bad: str, good: str, code: str) -> None:
    assert bad in GOOD_MAP
    text = GOOD_MAP.replace(bad, good)
    problems = _load(text)
    assert [p[1] for p in problems] == [code], problems
    line = problems[0][0]
    assert line == _line_of(text, good.split(",")[0].strip()) or code in (
        "scenario/missing-field", "scenario/bad-choice")
    assert line > TUTORIAL.count("\n")  # in the map section, not elsewhere


def test_an_unknown_place_names_the_closest_and_how_to_add_one() -> None:
    try:
        load_text(TUTORIAL + GOOD_MAP.replace("at: border,", "at: bordr,"), "t.yaml")
    except ScenarioError as exc:
        [d] = exc.diagnostics
        assert d.code == "scenario/unknown-place" and d.hint == "did you mean 'border'?"
    else:
        raise AssertionError("an unknown place loaded")


def test_without_a_map_section_the_actors_countries_are_shown() -> None:
    theatre = load_theatre()
    hints = default_hints(theatre, [("RUS", "Russian Federation"), ("X", "Japan"), ("Y", "Nobody")])
    assert set(hints.countries.values()) == {"RUS", "X"}
    assert hints.frame is not None and hints.focus is None
    # the frame holds both countries and is smaller than the whole map
    w = theatre.bounds[2] - theatre.bounds[0]
    assert hints.frame[2] - hints.frame[0] <= w
    japan = next(c for c in theatre.countries if c.iso3 == "JPN")
    assert hints.frame[0] <= japan.bbox[0] and japan.bbox[2] <= hints.frame[2]
    # no actor is a country (the tutorial's Northland and Southland): the whole map
    assert board_hints(load_rules("tutorial"), theatre) == BoardHints()


def test_the_flagship_map_lives_in_its_scenario() -> None:
    rules = load_rules("kursk-2024")
    assert rules.board_map is not None
    hints = board_hints(rules, load_theatre())
    assert hints.ladder == "escalation" and hints.focus == (8.0, 32.0, 142.0, 62.0)
    assert len(hints.markers) == 10 and len(hints.labels) == 9
    assert hints.countries["PRK"] == "DPRK" and hints.countries["POL"] == "EU"


def test_a_marker_shown_to_some_teams_is_drawn_for_them_and_the_umpire_only() -> None:
    import pygame

    from game.board.screen import draw_board, layout_for, make_scene, mode_for
    from game.board.ui import Ui
    from game.board.widgets import Click
    from game.session import Game

    text = TUTORIAL + GOOD_MAP.replace("bend: -0.2}", "bend: -0.2, shown_to: [SOUTH]}")
    rules = compile_rules(load_text(text, "tutorial-shown-to.yaml"))
    game = Game.new("tutorial", seed=1)  # the same tracks and actors, for the views
    drawn: dict[str, set[str]] = {}
    pygame.init()
    try:
        for viewer in ("SOUTH", "NORTH", "control"):
            view = game.view(viewer)
            layout = layout_for(rules, (1280, 720), mode_for(view, acting=True))
            hits = draw_board(pygame.Surface((1280, 720)), view, make_scene(view, layout),
                              Ui(viewer=viewer, mode=layout.mode))
            drawn[viewer] = {h.arg for h in hits
                             if h.click is Click.TRACK and layout.map.contains(h.rect)}
    finally:
        pygame.quit()
    assert "south_intel" in drawn["SOUTH"] and "south_intel" in drawn["control"]
    assert "south_intel" not in drawn["NORTH"]
    assert "north_troops" in drawn["NORTH"]  # a marker for everyone


def test_the_red_sea_is_drawn_from_the_world_map() -> None:
    """The board's map data is the whole world: a scenario framing the Red Sea gets the Red
    Sea (land where Yemen and Eritrea are, sea between them), with no note."""
    import pygame

    from game.board.hints import theatre_for
    from game.board.mapview import map_transform
    from game.board.screen import draw_board, layout_for, make_scene, mode_for
    from game.board.theme import LAND, SEA
    from game.board.ui import Ui
    from game.session import Game

    red_sea = GOOD_MAP.replace("bounds: [20.0, 40.0, 60.0, 60.0]", "bounds: [32.0, 11.0, 45.0, 30.0]")
    rules = compile_rules(load_text(TUTORIAL + red_sea, "red-sea.yaml"))
    hints = board_hints(rules, load_theatre())
    assert hints.note == "" and theatre_for(hints).projection.lon0 == 38.5
    view = Game.new("tutorial", seed=1).view("SOUTH")
    pygame.init()
    try:
        layout = layout_for(rules, (1280, 720), mode_for(view, acting=True))
        surface = pygame.Surface((1280, 720))
        scene = make_scene(view, layout)
        draw_board(surface, view, scene, Ui(viewer="SOUTH", mode=layout.mode))
        t = map_transform(theatre_for(layout.hints), layout)
        assert scene.transform.view == t.view
        yemen, eritrea, sea = t.lonlat(44.2, 15.4), t.lonlat(38.9, 15.3), t.lonlat(39.0, 19.0)
        assert all(layout.map.collidepoint(p) for p in (yemen, eritrea, sea))
        assert tuple(surface.get_at(yemen))[:3] == LAND
        assert tuple(surface.get_at(eritrea))[:3] == LAND
        assert tuple(surface.get_at(sea))[:3] == SEA
    finally:
        pygame.quit()


def test_a_region_wider_than_one_side_of_the_globe_is_said_on_the_map() -> None:
    """One conic shows ~300 degrees of longitude at most: a wider region is told so on the map
    (the part near its middle is drawn)."""
    import pygame

    from game.board.screen import draw_board, layout_for, make_scene, mode_for
    from game.board.ui import Ui
    from game.session import Game

    theatre = load_theatre()
    world = GOOD_MAP.replace("bounds: [20.0, 40.0, 60.0, 60.0]", "bounds: [-175.0, -50.0, 175.0, 70.0]")
    far = board_hints(compile_rules(load_text(TUTORIAL + world, "world.yaml")), theatre)
    near = board_hints(compile_rules(load_text(TUTORIAL + GOOD_MAP, "near.yaml")), theatre)
    assert "cannot show all of this region" in far.note and "-175…175°E" in far.note
    assert near.note == ""
    rules = compile_rules(load_text(TUTORIAL + world, "world.yaml"))
    view = Game.new("tutorial", seed=1).view("SOUTH")
    pygame.init()
    try:
        layout = layout_for(rules, (1280, 720), mode_for(view, acting=True))
        with_note = pygame.Surface((1280, 720))
        draw_board(with_note, view, make_scene(view, layout), Ui(viewer="SOUTH", mode=layout.mode))
        top = pygame.Rect(layout.map.x, layout.map.y, layout.map.width, 40)
        colours = {tuple(with_note.get_at((x, y)))[:3] for x in range(top.left + 12, top.right, 7)
                   for y in range(top.top + 10, top.bottom, 5)}
    finally:
        pygame.quit()
    assert (250, 250, 247) in colours  # the note's paper box over the map's top edge


def test_a_projection_needs_bounds() -> None:
    text = GOOD_MAP.replace("  bounds: [20.0, 40.0, 60.0, 60.0]\n",
                            "  projection: {lon0: 40.0, parallel: 50.0}\n")
    problems = _load(text)
    assert [(code, line) for line, code, _ in problems] == [
        ("scenario/missing-field", _line_of(text, "projection:"))]


def test_without_a_map_section_actors_beyond_europe_to_japan_get_their_region() -> None:
    """Actors that are countries outside the default map (Yemen, Eritrea) are framed from the
    world map data: a region around them all, tinted, in its own projection."""
    from game.board.hints import theatre_for

    theatre = load_theatre()
    hints = default_hints(theatre, [("YEM", "Yemen"), ("X", "Eritrea"), ("SAU", "Saudi"),
                                    ("Y", "Nobody")])
    assert hints.countries == {"YEM": "YEM", "ERI": "X", "SAU": "SAU"}
    assert hints.frame is None and hints.focus is not None
    lon0, lat0, lon1, lat1 = hints.focus
    assert lon0 < 37.0 and lon1 > 55.0 and lat0 < 12.0 and lat1 > 32.0
    region = theatre_for(hints)
    for iso3, lon, lat in (("YEM", 44.2, 15.4), ("ERI", 38.9, 15.3)):
        country = next(c for c in region.countries if c.iso3 == iso3)
        assert country.contains(*region.project(lon, lat))
