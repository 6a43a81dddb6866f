"""The theatre map asset and the pure geometry around it (game.board.geo), plus one render."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from game.board import geo
from game.board.geo import (
    DEFAULT_PROJECTION,
    Country,
    GeoError,
    Theatre,
    bounds_of,
    country_at,
    country_by_name,
    fit,
    load_theatre,
    point_in_rings,
    project,
    unproject,
)
from game.paths import ASSETS_ENV

NEEDED = (
    "Russia", "Ukraine", "North Korea", "South Korea", "Japan", "China", "Mongolia",
    "Kazakhstan", "Belarus", "Poland", "Germany", "France", "Belgium", "United Kingdom",
    "Italy", "Spain", "Portugal", "Finland", "Norway", "Sweden", "Turkey",
)  # fmt: skip


@pytest.fixture(scope="module")
def theatre() -> Theatre:
    return load_theatre()


def lonlat_of(theatre: Theatre, place_id: str) -> tuple[float, float]:
    p = theatre.place(place_id)
    return p.lon, p.lat


def distance_to_border(country: Country, x: float, y: float) -> float:
    """Shortest distance (km) from a projected point to any edge of the country's rings."""
    best = math.inf
    for ring in country.rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = (
                0.0
                if length2 == 0
                else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
            )
            best = min(best, math.hypot(x - ax - t * dx, y - ay - t * dy))
    return best


# ---- the asset -------------------------------------------------------------------------------


def test_asset_is_small() -> None:
    """The committed asset (the whole world, in longitude/latitude) stays under 1 MB."""
    assert geo.default_asset_path().stat().st_size <= 1_000_000


def test_asset_loads_and_is_cached(theatre: Theatre) -> None:
    assert theatre.countries and theatre.places
    assert load_theatre() is theatre
    assert load_theatre(geo.default_asset_path()) is theatre


def test_asset_uses_the_shared_projection(theatre: Theatre) -> None:
    """The asset was built with the projection that project() uses, so markers fit coasts."""
    assert theatre.projection == DEFAULT_PROJECTION
    for p in theatre.places:
        x, y = project(p.lon, p.lat)
        assert math.isclose(p.x, x, abs_tol=0.1) and math.isclose(p.y, y, abs_tol=0.1)


def test_needed_countries_are_present(theatre: Theatre) -> None:
    for name in NEEDED:
        assert country_by_name(theatre, name).rings, name


def test_country_lookup_by_iso3_id_and_name(theatre: Theatre) -> None:
    russia = country_by_name(theatre, "Russia")
    assert country_by_name(theatre, "rus") is russia
    assert country_by_name(theatre, "643") is russia
    assert country_by_name(theatre, "PRK").name == "North Korea"
    with pytest.raises(KeyError, match="Atlantis"):
        country_by_name(theatre, "Atlantis")


def test_places_include_the_scenario_cities(theatre: Theatre) -> None:
    ids = {p.id for p in theatre.places}
    assert {
        "kursk", "sudzha", "moscow", "kyiv", "warsaw", "brussels", "berlin", "seoul",
        "pyongyang", "tokyo", "beijing", "vladivostok", "rason",
    } <= ids  # fmt: skip
    with pytest.raises(KeyError, match="known places"):
        theatre.place("atlantis")


def test_places_lie_inside_the_frame(theatre: Theatre) -> None:
    minx, miny, maxx, maxy = theatre.bounds
    for p in theatre.places:
        assert minx < p.x < maxx and miny < p.y < maxy, p.id


# ---- geography -------------------------------------------------------------------------------


def test_kursk_is_in_russia_near_ukraine(theatre: Theatre) -> None:
    """Kursk is Russian and ~90 km from the Ukrainian border; Sudzha sits on it."""
    russia = country_by_name(theatre, "Russia")
    ukraine = country_by_name(theatre, "Ukraine")
    for place, max_km in (("kursk", 130.0), ("sudzha", 25.0)):
        x, y = project(*lonlat_of(theatre, place))
        assert russia.contains(x, y)
        assert not ukraine.contains(x, y)
        assert distance_to_border(ukraine, x, y) < max_km, place


@pytest.mark.parametrize(
    ("place", "country"),
    [
        ("seoul", "South Korea"),
        ("pyongyang", "North Korea"),
        ("rason", "North Korea"),
        ("moscow", "Russia"),
        ("kyiv", "Ukraine"),
        ("warsaw", "Poland"),
        ("berlin", "Germany"),
        ("brussels", "Belgium"),
        ("beijing", "China"),
        ("tokyo", "Japan"),
    ],
)
def test_capitals_lie_in_their_countries(theatre: Theatre, place: str, country: str) -> None:
    x, y = project(*lonlat_of(theatre, place))
    assert country_by_name(theatre, country).contains(x, y)
    hit = country_at(theatre, x, y)
    assert hit is not None and hit.name == country


def test_sea_is_no_country(theatre: Theatre) -> None:
    for lonlat in ((135.0, 40.0), (20.0, 35.0), (5.0, 56.0)):  # Sea of Japan, Med, North Sea
        assert country_at(theatre, *project(*lonlat)) is None, lonlat


def test_crimea_is_drawn_as_ukraine(theatre: Theatre) -> None:
    """Recognised borders (UN GA res. 68/262); see tools/build_map.py CRIMEA_PROBE."""
    assert country_by_name(theatre, "Ukraine").contains_lonlat(34.10, 44.95)


def test_point_in_rings_even_odd_with_a_hole() -> None:
    outer = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))
    hole = ((4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0))
    assert point_in_rings(2, 2, [outer, hole])
    assert not point_in_rings(5, 5, [outer, hole])
    assert not point_in_rings(11, 5, [outer, hole])


def test_enclaves_are_drawn_after_their_host(theatre: Theatre) -> None:
    """Uzbekistan's enclaves are holes in Kyrgyzstan: Uzbekistan must paint over them."""
    names = [c.name for c in theatre.countries]
    assert names.index("Uzbekistan") > names.index("Kyrgyzstan")


# ---- projection ------------------------------------------------------------------------------


def test_projection_origin_and_orientation() -> None:
    assert project(70.0, 50.0) == pytest.approx((0.0, 0.0), abs=1e-6)
    x_west, _ = project(30.0, 50.0)
    _, y_north = project(70.0, 60.0)
    assert x_west < 0 < y_north


def test_projection_round_trips() -> None:
    for lon, lat in ((-9.1, 38.7), (36.19, 51.73), (126.98, 37.57), (145.0, 70.0)):
        back = unproject(*project(lon, lat))
        assert back == pytest.approx((lon, lat), abs=1e-9)


def test_projection_scale_is_true_at_50n() -> None:
    """One degree of latitude (~111.2 km) measures ~111 km at 50 N."""
    _, y1 = project(70.0, 49.5)
    _, y2 = project(70.0, 50.5)
    assert y2 - y1 == pytest.approx(111.2, rel=0.01)


def test_projection_survives_a_dict_round_trip() -> None:
    again = type(DEFAULT_PROJECTION).from_dict(DEFAULT_PROJECTION.to_dict())
    assert again == DEFAULT_PROJECTION
    with pytest.raises(GeoError) as err:
        type(DEFAULT_PROJECTION).from_dict({"kind": "mercator"})
    assert err.value.code == "map/bad-projection"


# ---- transform -------------------------------------------------------------------------------


@pytest.mark.parametrize("rect", [(0, 0, 1920, 1080), (100, 50, 800, 800), (0, 0, 3000, 600)])
def test_fit_keeps_aspect_and_stays_in_rect(
    theatre: Theatre, rect: tuple[int, int, int, int]
) -> None:
    t = fit(theatre, rect)
    left, top, width, height = t.map_rect
    rx, ry, rw, rh = rect
    assert rx <= left and ry <= top and left + width <= rx + rw and top + height <= ry + rh
    assert width == rw or height == rh or abs(width - rw) <= 1 or abs(height - rh) <= 1
    assert width / height == pytest.approx(theatre.width / theatre.height, rel=0.01)
    for p in theatre.places:
        px, py = t.point(p.x, p.y)
        assert left <= px <= left + width and top <= py <= top + height, p.id


def test_transform_puts_north_up_and_inverts(theatre: Theatre) -> None:
    t = fit(theatre, (0, 0, 1920, 1080))
    moscow, seoul = theatre.place("moscow"), theatre.place("seoul")
    assert t.point(moscow.x, moscow.y)[1] < t.point(seoul.x, seoul.y)[1]  # Moscow is north
    x, y = t.inverse(*t.point(seoul.x, seoul.y))
    assert math.hypot(x - seoul.x, y - seoul.y) < 1.0 / t.scale
    assert t.lonlat(seoul.lon, seoul.lat) == t.point(seoul.x, seoul.y)


def test_transform_caches_screen_rings(theatre: Theatre) -> None:
    t = fit(theatre, (0, 0, 1920, 1080))
    korea = country_by_name(theatre, "KOR")
    rings = t.rings(korea)
    assert rings and all(len(r) >= 3 for r in rings)
    assert t.rings(korea) is rings


def test_fit_a_view_for_an_inset(theatre: Theatre) -> None:
    view = bounds_of([project(30.0, 48.0), project(40.0, 54.0)], pad=50.0)
    t = fit(theatre, (0, 0, 800, 600), view)
    kx, ky = t.point(theatre.place("kursk").x, theatre.place("kursk").y)
    sx, sy = t.point(theatre.place("sudzha").x, theatre.place("sudzha").y)
    assert 0 <= kx < 800 and 0 <= ky < 600
    assert math.hypot(kx - sx, ky - sy) > 20  # apart enough to label both
    with pytest.raises(ValueError):
        fit(theatre, (0, 0, 0, 600))


# ---- bad assets ------------------------------------------------------------------------------


def test_missing_asset_has_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(GeoError) as err:
        load_theatre(tmp_path / "nope.json")
    assert err.value.code == "map/asset-missing"


def test_corrupt_asset_has_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"countries": [', encoding="utf-8")
    with pytest.raises(GeoError) as err:
        load_theatre(bad)
    assert err.value.code == "map/asset-corrupt"
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"countries": []}), encoding="utf-8")
    with pytest.raises(GeoError) as err:
        load_theatre(wrong)
    assert err.value.code == "map/asset-corrupt"


def test_assets_folder_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ASSETS_ENV, str(tmp_path))
    assert geo.default_asset_path() == tmp_path / "map" / "world.json"


# ---- rendering -------------------------------------------------------------------------------


def test_render_map_land_and_sea(theatre: Theatre) -> None:
    """Drawn at 1920x1080, Seoul and Moscow are land and the Sea of Japan is sea."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    from game.board.mapdraw import draw_map

    land, sea, border = (230, 220, 200), (40, 90, 160), (90, 80, 70)
    korea = (200, 60, 60)
    surface = pygame.Surface((1920, 1080))
    t = fit(theatre, (0, 0, 1920, 1080))
    area = draw_map(surface, t, fills={"PRK": korea}, default_fill=land, border=border, sea=sea)
    assert area == pygame.Rect(t.map_rect)

    def pixel(lon: float, lat: float) -> tuple[int, int, int]:
        colour = surface.get_at(t.lonlat(lon, lat))
        return colour.r, colour.g, colour.b

    assert pixel(*lonlat_of(theatre, "seoul")) == land
    assert pixel(*lonlat_of(theatre, "moscow")) == land
    assert pixel(*lonlat_of(theatre, "pyongyang")) == korea
    assert pixel(135.0, 40.0) == sea  # Sea of Japan


# ---- regions ---------------------------------------------------------------------------------


def test_a_region_is_projected_around_its_middle() -> None:
    region = geo.region_for((30.0, 10.0, 60.0, 32.0))
    assert region.projection.lon0 == 45.0 and region.projection.lat1 == 21.0
    x, y = region.projection.forward(45.0, 21.0)
    assert abs(x) < 1e-6 and abs(y) < 1e-6  # the middle is the plane's origin
    # near the equator the cone stays a cone
    assert geo.region_for((-10.0, -3.0, 10.0, 3.0)).projection.lat1 == geo.MIN_PARALLEL


def test_the_flagships_projection_keeps_the_default_frame() -> None:
    assert geo.region_for((8.0, 32.0, 142.0, 62.0), 70.0, 20.0) is geo.DEFAULT_REGION
    assert geo.region_for((8.0, 32.0, 142.0, 62.0)) is not geo.DEFAULT_REGION


def test_the_red_sea_region_has_its_coasts(theatre: Theatre) -> None:
    """Beyond the old Europe-to-Japan data: Bab el-Mandeb, the Horn of Africa and Suez."""
    red_sea = load_theatre(region=geo.region_for((30.0, 10.0, 60.0, 32.0)))
    assert red_sea is load_theatre(region=geo.region_for((30.0, 10.0, 60.0, 32.0)))  # cached
    assert red_sea is not theatre and red_sea.projection.lon0 == 45.0
    for iso3, lon, lat in (("YEM", 44.21, 15.35), ("ERI", 38.93, 15.32), ("DJI", 42.6, 11.6),
                           ("EGY", 31.24, 30.04), ("SAU", 39.83, 21.42), ("SOM", 45.2, 4.7)):
        country = country_by_name(red_sea, iso3)
        assert country.contains(*red_sea.project(lon, lat)), iso3
    # the middle of the Red Sea and the Gulf of Aden are sea
    for lon, lat in ((38.5, 20.0), (48.0, 12.5)):
        assert country_at(red_sea, *red_sea.project(lon, lat)) is None
    # the far side of the globe is left out, not wrapped across the map
    assert not any(c.iso3 in ("USA", "BRA", "MEX") for c in red_sea.countries)


def test_every_ring_of_a_region_lies_in_its_plane() -> None:
    region = geo.region_for((-80.0, 10.0, -60.0, 30.0))  # the Caribbean
    caribbean = load_theatre(region=region)
    minx, miny, maxx, maxy = region.bounds
    assert country_by_name(caribbean, "Cuba").contains(*caribbean.project(-79.0, 21.8))
    for c in caribbean.countries:
        for ring in c.rings:
            assert all(minx - 1e-6 <= x <= maxx + 1e-6 and miny - 1e-6 <= y <= maxy + 1e-6
                       for x, y in ring)
