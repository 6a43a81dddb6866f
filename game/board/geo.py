"""Geometry of the theatre map: projection, the committed map asset, screen transforms.

Pure Python (no pygame): the board draws with :mod:`game.board.mapdraw`; this module only
knows shapes and numbers, so tests, agents and the build script can use it without a display.

The asset ``assets/map/theatre.json`` is made by ``tools/build_map.py`` from Natural Earth
country shapes. Its coordinates are already projected (kilometres, north up) with
:data:`DEFAULT_PROJECTION`; :func:`project` turns a longitude/latitude into the same plane,
so a scenario can put a marker anywhere by its real coordinates.

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
    "Country",
    "GeoError",
    "LambertConformalConic",
    "Place",
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
    "unproject",
]

Point = tuple[float, float]
Ring = tuple[Point, ...]
ScreenPoint = tuple[int, int]

_ASSET_RELATIVE = Path("map") / "theatre.json"


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
    """``map/theatre.json`` in the assets folder (see :mod:`game.paths`)."""
    return assets_dir() / _ASSET_RELATIVE


def load_theatre(path: str | os.PathLike[str] | None = None) -> Theatre:
    """Load (once; later calls share the cached result) the theatre map asset."""
    resolved = Path(path) if path is not None else default_asset_path()
    return _load_cached(resolved.resolve())


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> Theatre:
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
        return _theatre_from_dict(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise GeoError(
            "map/asset-corrupt",
            f"{path}: unexpected content ({exc!r}); rebuild it with tools/build_map.py",
        ) from None


def _theatre_from_dict(raw: Mapping[str, Any]) -> Theatre:
    minx, miny, maxx, maxy = (float(v) for v in raw["bounds"])
    return Theatre(
        projection=LambertConformalConic.from_dict(raw["projection"]),
        bounds=(minx, miny, maxx, maxy),
        countries=tuple(_country_from_dict(c) for c in raw["countries"]),
        places=tuple(
            Place(
                id=str(p["id"]),
                name=str(p["name"]),
                lon=float(p["lon"]),
                lat=float(p["lat"]),
                x=float(p["x"]),
                y=float(p["y"]),
            )
            for p in raw["places"]
        ),
        source=str(raw.get("source", "")),
    )


def _country_from_dict(data: Mapping[str, Any]) -> Country:
    rings = tuple(tuple((float(x), float(y)) for x, y in ring) for ring in data["rings"])
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    iso3 = data.get("iso3")
    return Country(
        id=str(data["id"]),
        name=str(data["name"]),
        iso3=str(iso3) if iso3 else None,
        rings=rings,
        bbox=(min(xs), min(ys), max(xs), max(ys)),
    )


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
