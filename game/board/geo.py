"""Geometry of the map: projections, the committed world map asset, screen transforms.

Pure Python (no pygame): the board draws with :mod:`game.board.mapdraw`; this module only
knows shapes and numbers, so tests, agents and the build script can use it without a display.

The asset ``assets/map/world.json`` is made by ``tools/build_map.py`` from Natural Earth
country shapes, in longitude/latitude. :func:`load_theatre` projects and clips it for one
region (a :class:`Region`: a projection and a box in its plane), once per region and process:
by default the Europe-to-Japan frame of :data:`DEFAULT_PROJECTION`; :func:`region_for` makes
the region of a scenario's map section (a box in degrees) with a projection centred on it.
:func:`project` turns a longitude/latitude into the default plane.

>>> x, y = project(70.0, 50.0)
>>> round(x), round(y)
(0, 0)
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from game.paths import ASSETS_ENV, assets_dir

__all__ = [
    "DEFAULT_PROJECTION",
    "DEFAULT_REGION",
    "Country",
    "GeoError",
    "LambertConformalConic",
    "Place",
    "Region",
    "Point",
    "Ring",
    "Theatre",
    "Transform",
    "bounds_of",
    "country_at",
    "country_by_name",
    "default_asset_path",
    "fit",
    "load_theatre",
    "point_in_rings",
    "project",
    "region_for",
    "unproject",
    "world_boxes",
]

Point = tuple[float, float]
Ring = tuple[Point, ...]
ScreenPoint = tuple[int, int]

_ASSET_RELATIVE = Path("map") / "world.json"


class GeoError(Exception):
    """A problem with the map asset: ``code`` is stable (``map/...``); the message says the fix."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


# --------------------------------------------------------------------------------------------
# Projection
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LambertConformalConic:
    """Spherical Lambert conformal conic projection, output in kilometres.

    Why this projection and these numbers: the theatre runs 150 degrees of longitude, from
    Lisbon to Tokyo, between latitudes ~30 and ~72, and must fill a 16:9 projector frame.

    * Conformal, so coastlines keep their familiar shapes everywhere: Korea looks like Korea
      and Britain like Britain, which matters more on a seminar board than true areas.
    * A conic, not Mercator: Mercator (a cone constant n = 0) would blow up the Russian
      Arctic to 2.3 times the scale of Korea; a conic lets the meridians converge northward.
    * But a flat cone, n = 0.34 (one standard parallel at 20 N), not the atlas-style 35/60
      (n = 0.74): on a conic a place is turned by n * (lon - lon0), and with n = 0.74 and
      lon0 = 70 Brussels lies turned 49 degrees and Tokyo 52, so Europe reads on its side
      (we rendered it and it did). With n = 0.34 the turn is ~23 degrees at both ends, Europe
      and Japan read as on an atlas page, and Korea still gets ~130 px of height on a 1080p
      board (it gets about the same with n = 0.74: the frame's width is set by the ends).
    * lon0 = 70 sits halfway between Brussels (4 E) and Tokyo (140 E), so both ends turn alike.
    * k0 = 0.856 makes the scale true at 50 N (Kursk, Kyiv, Brussels): kilometres on the map
      are real kilometres there; 11 % short at 35 N (Seoul, Tokyo), 16 % long at 60 N,
      47 % long at 70 N (the Arctic coast, drawn larger than it is).

    Meridians are straight lines meeting at the pole, parallels are arcs. The origin (0, 0) is
    at (lon0, lat0); x grows east, y grows north.
    """

    lon0: float = 70.0
    lat0: float = 50.0
    lat1: float = 20.0
    lat2: float = 20.0
    k0: float = 0.856
    radius_km: float = 6371.0

    @property
    def kind(self) -> str:
        return "lambert_conformal_conic"

    @property
    def _n(self) -> float:
        p1, p2 = math.radians(self.lat1), math.radians(self.lat2)
        if math.isclose(p1, p2):
            return math.sin(p1)
        return math.log(math.cos(p1) / math.cos(p2)) / math.log(_t(p2) / _t(p1))

    @property
    def _f(self) -> float:
        n = self._n
        return float(math.cos(math.radians(self.lat1)) * _t(math.radians(self.lat1)) ** n / n)

    def _rho(self, lat: float) -> float:
        return float(self.k0 * self.radius_km * self._f / _t(math.radians(lat)) ** self._n)

    def forward(self, lon: float, lat: float) -> Point:
        """Project degrees to kilometres. Longitudes wrap around the central meridian."""
        lat = max(-89.9, min(89.9, lat))
        dlon = (lon - self.lon0 + 180.0) % 360.0 - 180.0
        theta = self._n * math.radians(dlon)
        rho = self._rho(lat)
        return rho * math.sin(theta), self._rho(self.lat0) - rho * math.cos(theta)

    def forward_many(self, points: Iterable[Point]) -> list[Point]:
        """:meth:`forward` of many points at once (the constants worked out once)."""
        n = self._n
        big = self.k0 * self.radius_km * self._f
        rho0 = self._rho(self.lat0)
        lon0 = self.lon0
        rad, tan, sin, cos, quarter = math.radians, math.tan, math.sin, math.cos, math.pi / 4.0
        out: list[Point] = []
        for lon, lat in points:
            lat = max(-89.9, min(89.9, lat))
            theta = n * rad((lon - lon0 + 180.0) % 360.0 - 180.0)
            rho = big / tan(quarter + rad(lat) / 2.0) ** n
            out.append((rho * sin(theta), rho0 - rho * cos(theta)))
        return out

    def inverse(self, x: float, y: float) -> Point:
        """Kilometres back to (lon, lat) degrees; the inverse of :meth:`forward`."""
        n = self._n
        dy = self._rho(self.lat0) - y
        rho = math.copysign(math.hypot(x, dy), n)
        theta = math.atan2(x * math.copysign(1, n), dy * math.copysign(1, n))
        t = float((self.k0 * self.radius_km * self._f / rho) ** (1.0 / n))
        lat = math.degrees(2.0 * math.atan(t) - math.pi / 2.0)
        lon = self.lon0 + math.degrees(theta / n)
        return (lon + 180.0) % 360.0 - 180.0, lat

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "lon0": self.lon0,
            "lat0": self.lat0,
            "lat1": self.lat1,
            "lat2": self.lat2,
            "k0": self.k0,
            "radius_km": self.radius_km,
            "units": "km",
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LambertConformalConic:
        if data.get("kind") != "lambert_conformal_conic":
            raise GeoError(
                "map/bad-projection",
                f"unsupported projection kind {data.get('kind')!r}; "
                "rebuild the asset with tools/build_map.py",
            )
        return cls(
            lon0=float(data["lon0"]),
            lat0=float(data["lat0"]),
            lat1=float(data["lat1"]),
            lat2=float(data["lat2"]),
            k0=float(data["k0"]),
            radius_km=float(data["radius_km"]),
        )


def _t(phi: float) -> float:
    return math.tan(math.pi / 4.0 + phi / 2.0)


DEFAULT_PROJECTION = LambertConformalConic()
"""The projection of the committed asset (the build script imports it from here)."""


def project(lon: float, lat: float) -> Point:
    """Project a longitude/latitude in degrees to the asset's plane (km, north up)."""
    return DEFAULT_PROJECTION.forward(lon, lat)


def unproject(x: float, y: float) -> Point:
    """Turn a point of the asset's plane back into (lon, lat) degrees."""
    return DEFAULT_PROJECTION.inverse(x, y)


# --------------------------------------------------------------------------------------------
# Theatre: countries and places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """One country's shape, cut to the map frame. ``rings`` follow the even-odd rule."""

    id: str
    name: str
    iso3: str | None
    rings: tuple[Ring, ...]
    bbox: tuple[float, float, float, float]

    def contains(self, x: float, y: float) -> bool:
        """Is the projected point inside this country (even-odd over all rings)?"""
        minx, miny, maxx, maxy = self.bbox
        if not (minx <= x <= maxx and miny <= y <= maxy):
            return False
        return point_in_rings(x, y, self.rings)

    def contains_lonlat(self, lon: float, lat: float) -> bool:
        """Is the point inside this country? (For a country of the default region's map.)"""
        return self.contains(*project(lon, lat))

    @property
    def keys(self) -> tuple[str, ...]:
        """Every name this country answers to in colour maps: iso3, name and numeric id."""
        return tuple(k for k in (self.iso3, self.name, self.id) if k)


@dataclass(frozen=True)
class Place:
    """A named point (a city, a port) with its real and projected coordinates."""

    id: str
    name: str
    lon: float
    lat: float
    x: float
    y: float


@dataclass(frozen=True)
class Theatre:
    """The map: countries (largest first, so enclaves draw on top) and named places."""

    projection: LambertConformalConic
    bounds: tuple[float, float, float, float]
    countries: tuple[Country, ...]
    places: tuple[Place, ...]
    source: str = ""

    @property
    def width(self) -> float:
        return self.bounds[2] - self.bounds[0]

    @property
    def height(self) -> float:
        return self.bounds[3] - self.bounds[1]

    def place(self, place_id: str) -> Place:
        for p in self.places:
            if p.id == place_id:
                return p
        known = ", ".join(p.id for p in self.places)
        raise KeyError(f"no place {place_id!r} on the map; known places: {known}")

    def project(self, lon: float, lat: float) -> Point:
        return self.projection.forward(lon, lat)

    def __iter__(self) -> Iterator[Country]:
        return iter(self.countries)


def point_in_rings(x: float, y: float, rings: Sequence[Sequence[Point]]) -> bool:
    """Even-odd ray casting over all rings: holes (and holes in holes) work.

    >>> square = [((0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0))]
    >>> point_in_rings(1, 1, square), point_in_rings(5, 1, square)
    (True, False)
    """
    inside = False
    for ring in rings:
        n = len(ring)
        j = n - 1
        for i in range(n):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def country_by_name(theatre: Theatre, name: str) -> Country:
    """Find a country by name, ISO alpha-3 or ISO numeric id (case-insensitive).

    Raises ``KeyError`` naming close matches when nothing fits.
    """
    wanted = name.strip().casefold()
    for c in theatre.countries:
        if any(k.casefold() == wanted for k in c.keys):
            return c
    close = [c.name for c in theatre.countries if wanted[:3] in c.name.casefold()]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise KeyError(f"no country {name!r} on the map{hint}")


def country_at(theatre: Theatre, x: float, y: float) -> Country | None:
    """The country under a projected point (smallest wins, so enclaves beat their host)."""
    for c in reversed(theatre.countries):
        if c.contains(x, y):
            return c
    return None


# --------------------------------------------------------------------------------------------
# Loading the asset
# --------------------------------------------------------------------------------------------


def default_asset_path() -> Path:
    """``map/world.json`` in the assets folder (see :mod:`game.paths`)."""
    return assets_dir() / _ASSET_RELATIVE


# The default region (a scenario without a map section, the board's tests): it must show
# these points (west coast of Portugal and Ireland, North Cape, Cyprus, Kyushu, eastern
# Hokkaido, northern Sakhalin), padded, then widened or heightened to 16:9 around their
# centre. A 16:9 rectangle is what a projector shows, and the conic's fan means the corners
# hold North Africa and the South China Sea; that is land and sea that reads as a map.
FRAME_MUST_SHOW: tuple[Point, ...] = (
    (-10.5, 38.7),  # Cabo da Roca, Portugal
    (-6.0, 36.0),  # Strait of Gibraltar
    (-10.5, 52.0),  # west coast of Ireland
    (25.8, 71.2),  # North Cape, Norway
    (24.0, 34.8),  # Crete
    (33.0, 34.6),  # Cyprus
    (70.0, 73.5),  # Yamal peninsula
    (130.6, 31.0),  # southern Kyushu
    (140.9, 35.7),  # Boso peninsula, east of Tokyo
    (145.8, 43.4),  # eastern Hokkaido
    (142.7, 54.4),  # northern Sakhalin
)
FRAME_PAD_KM = 200.0
FRAME_ASPECT = 16.0 / 9.0
# The frame holds the must-show points with spare height; the spare goes this share to the
# south (India, the Gulf, the Yellow Sea) and the rest to the Arctic Ocean in the north.
FRAME_SPARE_SOUTH = 0.6
# Rings further than this from a projection's central meridian are on the back of the globe
# (the Americas, seen from Kursk): they are left out, so no ring wraps across the cut.
MAX_DLON = 150.0
# A region's projection has its standard parallel at the region's middle latitude, but no
# nearer the equator than this (a conic's cone flattens into a cylinder there).
MIN_PARALLEL = 5.0
# A region's plane holds its box and this many times its longer side around it, so a board
# panel of any shape can be filled with map (see mapview._fill_aspect).
REGION_MARGIN = 1.0


def _classic_frame() -> tuple[float, float, float, float]:
    """The 16:9 Europe-to-Japan frame in the default projection's km (see FRAME_MUST_SHOW)."""
    pts = [DEFAULT_PROJECTION.forward(lon, lat) for lon, lat in FRAME_MUST_SHOW]
    minx = min(x for x, _ in pts) - FRAME_PAD_KM
    maxx = max(x for x, _ in pts) + FRAME_PAD_KM
    miny = min(y for _, y in pts) - FRAME_PAD_KM
    maxy = max(y for _, y in pts) + FRAME_PAD_KM
    w, h = maxx - minx, maxy - miny
    if w / h > FRAME_ASPECT:
        spare = w / FRAME_ASPECT - h
        miny -= spare * FRAME_SPARE_SOUTH
        maxy += spare * (1.0 - FRAME_SPARE_SOUTH)
    else:
        spare = h * FRAME_ASPECT - w
        minx -= spare / 2.0
        maxx += spare / 2.0
    return round(minx), round(miny), round(maxx), round(maxy)


@dataclass(frozen=True)
class Region:
    """What one board map shows: a projection and the box of its plane the map data is cut to
    (the view a board fits into its panel lies inside it)."""

    projection: LambertConformalConic
    bounds: tuple[float, float, float, float]


DEFAULT_REGION = Region(DEFAULT_PROJECTION, _classic_frame())
"""Europe to Japan (the flagship's theatre; the map of a scenario without a map section)."""


def region_for(
    box: tuple[float, float, float, float],
    lon0: float | None = None,
    parallel: float | None = None,
) -> Region:
    """The region of a map section's ``bounds`` ([lon_min, lat_min, lon_max, lat_max]): a
    Lambert conic centred on it (or on ``lon0``, with its standard parallel at ``parallel``
    when given), and a plane reaching :data:`REGION_MARGIN` times the box's longer side
    beyond it on every side.

    >>> r = region_for((30.0, 10.0, 60.0, 32.0))
    >>> r.projection.lon0, r.projection.lat1
    (45.0, 21.0)
    """
    lon_min, lat_min, lon_max, lat_max = box
    mid_lat = (lat_min + lat_max) / 2.0
    par = mid_lat if parallel is None else parallel
    par = math.copysign(max(MIN_PARALLEL, abs(par)), par if par else 1.0)
    proj = LambertConformalConic(
        lon0=(lon_min + lon_max) / 2.0 if lon0 is None else lon0,
        lat0=mid_lat,
        lat1=par,
        lat2=par,
        k0=1.0,
    )
    steps = [i / 8 for i in range(9)]
    grid = [(lon_min + (lon_max - lon_min) * i, lat_min + (lat_max - lat_min) * j)
            for i in steps for j in steps]
    if (proj.lon0, par) == (DEFAULT_PROJECTION.lon0, DEFAULT_PROJECTION.lat1):
        # the default's shape, and a box mostly inside its frame: the default map (the
        # flagship's, whose box reaches a little beyond the frame at Japan's south-east)
        d = DEFAULT_REGION.bounds
        inside = sum(d[0] <= x <= d[2] and d[1] <= y <= d[3]
                     for x, y in DEFAULT_PROJECTION.forward_many(grid))
        if inside >= 0.9 * len(grid):
            return DEFAULT_REGION
    pts = proj.forward_many(grid)
    x0, y0, x1, y1 = bounds_of(pts)
    grow = REGION_MARGIN * max(x1 - x0, y1 - y0)
    return Region(proj, (x0 - grow, y0 - grow, x1 + grow, y1 + grow))


@dataclass(frozen=True)
class _WorldCountry:
    id: str
    name: str
    iso3: str | None
    rings: tuple[Ring, ...]  # (lon, lat) degrees
    boxes: tuple[tuple[float, float, float, float], ...]  # each ring's lon/lat box


@dataclass(frozen=True)
class _World:
    countries: tuple[_WorldCountry, ...]
    places: tuple[tuple[str, str, float, float], ...]
    source: str


def load_theatre(
    path: str | os.PathLike[str] | None = None, region: Region | None = None
) -> Theatre:
    """The map of ``region`` (default: Europe to Japan), projected and clipped from the world
    asset; made once per asset and region, later calls share it."""
    resolved = Path(path) if path is not None else default_asset_path()
    return _theatre_cached(resolved.resolve(), region or DEFAULT_REGION)


@lru_cache(maxsize=16)
def _theatre_cached(path: Path, region: Region) -> Theatre:
    world = _load_world(path)
    proj = region.projection
    minx, miny, maxx, maxy = region.bounds
    lat_lo, lat_hi, dlon_lo, dlon_hi = _envelope(region)
    countries = []
    for wc in world.countries:
        rings: list[Ring] = []
        for ring, (lon_a, lat_a, lon_b, lat_b) in zip(wc.rings, wc.boxes, strict=True):
            if lat_b < lat_lo or lat_a > lat_hi:
                continue
            if lon_b - lon_a < 180.0:  # the usual ring: its box says where it lies
                da = (lon_a - proj.lon0 + 180.0) % 360.0 - 180.0
                db = da + (lon_b - lon_a)
                if da < -MAX_DLON or db > MAX_DLON or db < dlon_lo or da > dlon_hi:
                    continue  # beyond the back-of-globe cut, or outside the region
            elif any(abs((lon - proj.lon0 + 180.0) % 360.0 - 180.0) > MAX_DLON
                     for lon, _ in ring):
                continue  # a ring reaching the antimeridian (Chukotka) seen from behind
            pts = proj.forward_many(ring)
            xs = [x for x, _ in pts]
            ys = [y for _, y in pts]
            if max(xs) < minx or min(xs) > maxx or max(ys) < miny or min(ys) > maxy:
                continue
            clipped = clip_ring(pts, region.bounds)
            if len(clipped) >= 3:
                rings.append(tuple(clipped))
        if rings:
            countries.append(_country(wc.id, wc.name, wc.iso3, tuple(rings)))
    places = []
    for pid, name, lon, lat in world.places:
        x, y = proj.forward(lon, lat)
        places.append(Place(pid, name, lon, lat, round(x, 1), round(y, 1)))
    return Theatre(
        projection=proj,
        bounds=region.bounds,
        countries=tuple(countries),
        places=tuple(places),
        source=world.source,
    )


def _envelope(region: Region) -> tuple[float, float, float, float]:
    """About the latitudes and the longitudes (from the central meridian) the region's box
    spans, from points along its edges, with a margin; everything where a pole is inside."""
    proj = region.projection
    minx, miny, maxx, maxy = region.bounds
    for pole in (89.9, -89.9):
        px, py = proj.forward(proj.lon0, pole)
        if minx <= px <= maxx and miny <= py <= maxy:
            return -90.0, 90.0, -180.0, 180.0
    edge = []
    for i in range(65):
        s = i / 64
        edge += [(minx + (maxx - minx) * s, miny), (minx + (maxx - minx) * s, maxy),
                 (minx, miny + (maxy - miny) * s), (maxx, miny + (maxy - miny) * s)]
    lonlat = [proj.inverse(x, y) for x, y in edge]
    dlons = [(lon - proj.lon0 + 180.0) % 360.0 - 180.0 for lon, _ in lonlat]
    lats = [lat for _, lat in lonlat]
    return min(lats) - 2.0, max(lats) + 2.0, min(dlons) - 2.0, max(dlons) + 2.0


def world_boxes(
    path: str | os.PathLike[str] | None = None,
) -> dict[str, tuple[str, tuple[float, float, float, float]]]:
    """Every country of the world map data by each of its keys (ISO alpha-3, name, numeric id,
    casefolded) -> its first key as the board's fills use it (e.g. 'YEM') and its
    (lon_min, lat_min, lon_max, lat_max) box in degrees."""
    resolved = Path(path) if path is not None else default_asset_path()
    return _world_boxes(resolved.resolve())


@lru_cache(maxsize=4)
def _world_boxes(path: Path) -> dict[str, tuple[str, tuple[float, float, float, float]]]:
    out: dict[str, tuple[str, tuple[float, float, float, float]]] = {}
    for c in _load_world(path).countries:
        box = (min(b[0] for b in c.boxes), min(b[1] for b in c.boxes),
               max(b[2] for b in c.boxes), max(b[3] for b in c.boxes))
        keys = [k for k in (c.iso3, c.name, c.id) if k]
        for key in keys:
            out.setdefault(key.casefold(), (keys[0], box))
    return out


@lru_cache(maxsize=4)
def _load_world(path: Path) -> _World:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GeoError(
            "map/asset-missing",
            f"map asset not found at {path}; set {ASSETS_ENV} to the folder holding map/ "
            "or rebuild it with tools/build_map.py",
        ) from None
    except json.JSONDecodeError as exc:
        raise GeoError(
            "map/asset-corrupt",
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); "
            "rebuild it with tools/build_map.py",
        ) from None
    try:
        return _world_from_dict(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise GeoError(
            "map/asset-corrupt",
            f"{path}: unexpected content ({exc!r}); rebuild it with tools/build_map.py",
        ) from None


def _world_from_dict(raw: Mapping[str, Any]) -> _World:
    countries = []
    for data in raw["countries"]:
        rings = tuple(tuple((float(x), float(y)) for x, y in ring) for ring in data["rings"])
        iso3 = data.get("iso3")
        countries.append(_WorldCountry(
            id=str(data["id"]),
            name=str(data["name"]),
            iso3=str(iso3) if iso3 else None,
            rings=rings,
            boxes=tuple(bounds_of(ring) for ring in rings),
        ))
    places = tuple(
        (str(p["id"]), str(p["name"]), float(p["lon"]), float(p["lat"])) for p in raw["places"]
    )
    return _World(tuple(countries), places, str(raw.get("source", "")))


def _country(cid: str, name: str, iso3: str | None, rings: tuple[Ring, ...]) -> Country:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return Country(
        id=cid, name=name, iso3=iso3, rings=rings, bbox=(min(xs), min(ys), max(xs), max(ys))
    )


def clip_ring(ring: Sequence[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland-Hodgman clip of a ring to an axis-aligned box (fine for filled drawing).

    >>> clip_ring([(0.0, 0.0), (4.0, 0.0), (4.0, 4.0)], (0.0, 0.0, 2.0, 2.0))
    [(2.0, 2.0), (0.0, 0.0), (2.0, 0.0)]
    """
    minx, miny, maxx, maxy = box
    out = list(ring)
    for axis, limit, keep_above in (
        (0, minx, True),
        (0, maxx, False),
        (1, miny, True),
        (1, maxy, False),
    ):
        out = _clip_side(out, axis, limit, keep_above)
    return out


def _clip_side(pts: list[Point], axis: int, limit: float, keep_above: bool) -> list[Point]:
    def inside(p: Point) -> bool:
        return p[axis] >= limit if keep_above else p[axis] <= limit

    def cut(a: Point, b: Point) -> Point:
        t = (limit - a[axis]) / (b[axis] - a[axis])
        other = 1 - axis
        v = a[other] + t * (b[other] - a[other])
        return (limit, v) if axis == 0 else (v, limit)

    out: list[Point] = []
    if not pts:
        return out
    prev = pts[-1]
    for cur in pts:
        if inside(cur):
            if not inside(prev):
                out.append(cut(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cut(prev, cur))
        prev = cur
    return out


# --------------------------------------------------------------------------------------------
# Screen transform
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transform:
    """Maps the theatre's plane into a screen rectangle: uniform scale, north up, centred.

    Screen rings are computed once per country and kept, so a 60 fps loop does not re-project.
    """

    theatre: Theatre
    rect: tuple[int, int, int, int]
    view: tuple[float, float, float, float]  # the projected box shown (minx, miny, maxx, maxy)
    scale: float  # pixels per km
    origin_x: float  # screen x of projected x = 0
    origin_y: float  # screen y of projected y = 0
    _cache: dict[str, list[list[ScreenPoint]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def point(self, x: float, y: float) -> ScreenPoint:
        """Projected km to a screen pixel."""
        return round(self.origin_x + x * self.scale), round(self.origin_y - y * self.scale)

    def lonlat(self, lon: float, lat: float) -> ScreenPoint:
        """Longitude/latitude straight to a screen pixel."""
        return self.point(*self.theatre.project(lon, lat))

    def inverse(self, px: float, py: float) -> Point:
        """A screen pixel back to projected km (for clicks)."""
        return (px - self.origin_x) / self.scale, (self.origin_y - py) / self.scale

    def rings(self, country: Country) -> list[list[ScreenPoint]]:
        """The country's rings in screen pixels (cached; consecutive duplicates dropped)."""
        cached = self._cache.get(country.id)
        if cached is None:
            cached = [self._ring(ring) for ring in country.rings]
            self._cache[country.id] = [r for r in cached if len(r) >= 3]
            cached = self._cache[country.id]
        return cached

    def _ring(self, ring: Ring) -> list[ScreenPoint]:
        out: list[ScreenPoint] = []
        for x, y in ring:
            p = self.point(x, y)
            if not out or out[-1] != p:
                out.append(p)
        return out

    @property
    def map_rect(self) -> tuple[int, int, int, int]:
        """The screen rectangle the view actually covers (inside ``rect``)."""
        minx, miny, maxx, maxy = self.view
        left, top = self.point(minx, maxy)
        right, bottom = self.point(maxx, miny)
        return left, top, right - left, bottom - top


def fit(
    theatre: Theatre,
    rect: tuple[int, int, int, int],
    view: tuple[float, float, float, float] | None = None,
) -> Transform:
    """A transform that fits ``view`` (default: the whole map frame) into ``rect`` (x, y, w, h).

    The scale is uniform (the shape is kept) and the view is centred in ``rect``; pass a
    smaller ``view`` (see :func:`bounds_of`) for an inset such as the Kursk salient.
    """
    rx, ry, rw, rh = rect
    if rw <= 0 or rh <= 0:
        raise ValueError(f"cannot fit the map into an empty rect {rect}")
    minx, miny, maxx, maxy = theatre.bounds if view is None else view
    if maxx <= minx or maxy <= miny:
        raise ValueError(f"cannot fit an empty view {view}")
    scale = min(rw / (maxx - minx), rh / (maxy - miny))
    cx, cy = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    return Transform(
        theatre=theatre,
        rect=rect,
        view=(minx, miny, maxx, maxy),
        scale=scale,
        origin_x=rx + rw / 2.0 - cx * scale,
        origin_y=ry + rh / 2.0 + cy * scale,
    )


def bounds_of(points: Iterable[Point], pad: float = 0.0) -> tuple[float, float, float, float]:
    """The box around projected points, grown by ``pad`` km on every side (for ``fit``).

    >>> bounds_of([(0.0, 0.0), (10.0, 5.0)], pad=1.0)
    (-1.0, -1.0, 11.0, 6.0)
    """
    pts = list(points)
    if not pts:
        raise ValueError("bounds_of needs at least one point")
    xs = [x for x, _ in pts]
    ys = [y for _, y in pts]
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad
