"""Board hints: how a scenario's tracks appear on the map (data, not code).

The scenario file says how the board pictures it in its optional ``map:`` section (see
``docs/scenario-authoring.md``): the region to show, the places, which track is a deployment at
Kursk or a transfer from Rason to Kursk, which countries are tinted in which actor's colour,
which track is the escalation ladder. The loader checks every name in it
(:mod:`game.scenario.check`); this module turns it into drawing hints. The drawing code knows
marker *kinds*, never track names. A scenario without a map section still plays: its actors'
countries are tinted and framed if they are countries (else the whole map shows), its tracks
show as gauges grouped by theme, and the ladder is the track with the most named thresholds.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from game.board.geo import MAX_DLON, Region, Theatre, load_theatre, region_for, world_boxes
from game.engine.actions import CONTROL
from game.engine.rules import Rules


class MarkerKind(enum.Enum):
    DEPLOYMENT = "deployment"
    """A force at a place: a disc whose area follows the track."""
    TRANSFER = "transfer"
    """A flow from one place to another: an arrow whose width follows the track."""
    PARTNERSHIP = "partnership"
    """A tie between two places: a dashed arc whose weight follows the track."""
    STATUS = "status"
    """A state at a place: a badge with the track's rung name or value."""


@dataclass(frozen=True)
class Spot:
    """A named point of the map, by longitude and latitude."""

    id: str
    name: str
    lon: float
    lat: float


@dataclass(frozen=True)
class Marker:
    track: str
    kind: MarkerKind
    at: Spot
    to: Spot | None
    label: str
    actor: str | None
    """Whose colour the marker takes (None: neutral ink)."""
    offset: tuple[float, float] = (0.0, 0.0)
    """Where the label goes from its default spot, in lines of body text (right, down)."""
    bend: float | None = None
    """How much a link bows sideways, as a share of its length (sign: which side)."""
    shown_to: frozenset[str] = frozenset()
    """The teams whose board draws it (empty: everyone; the umpire always sees it)."""

    def shown(self, viewer: str) -> bool:
        return not self.shown_to or viewer in self.shown_to or viewer == CONTROL


@dataclass(frozen=True)
class BoardHints:
    ladder: str | None = None
    focus: tuple[float, float, float, float] | None = None
    themes: tuple[str, ...] = ()
    labels: tuple[Spot, ...] = ()
    countries: Mapping[str, str] = field(default_factory=dict)
    markers: tuple[Marker, ...] = ()
    frame: tuple[float, float, float, float] | None = None
    """The region to show in the map's projected coordinates, when ``focus`` (degrees) is
    not given (the default map frames the actors' countries)."""
    note: str = ""
    """What the map cannot show as asked (a region beyond the map data), said on the map."""
    lon0: float | None = None
    """The meridian the map's projection keeps straight up (default: the focus's middle)."""
    parallel: float | None = None
    """The projection's standard parallel (default: the focus's middle latitude)."""

    @property
    def region(self) -> Region | None:
        """The region of the map section's bounds (None: the default map, Europe to Japan)."""
        if self.focus is None:
            return None
        return region_for(self.focus, self.lon0, self.parallel)


def theatre_for(hints: BoardHints) -> Theatre:
    """The map data projected and cut for these hints' region (cached per region)."""
    return load_theatre(region=hints.region)


def board_hints(rules: Rules, theatre: Theatre) -> BoardHints:
    """How ``rules``' scenario appears on the board: its map section (checked when the scenario
    was loaded: every track, actor and place it names exists), or the default map."""
    if rules.board_map is None:
        return default_hints(theatre, [(a.id, a.name) for a in rules.actors])
    hints = parse_map(rules.board_map)
    if hints.focus is not None and _share_drawn(hints) < 0.9:
        lon0, lat0, lon1, lat1 = hints.focus
        hints = replace(hints, note=(
            f"One map cannot show all of this region ({lon0:g}…{lon1:g}°E, "
            f"{lat0:g}…{lat1:g}°N): the part near its middle is shown"))
    return hints


def _share_drawn(hints: BoardHints) -> float:
    """About how much of the focus (a lon/lat box) lies on the near side of its projection's
    globe, where the map draws land (0..1), on a grid."""
    region = hints.region
    assert region is not None and hints.focus is not None
    lon0, lat0, lon1, lat1 = hints.focus
    centre = region.projection.lon0
    points = [lon0 + (lon1 - lon0) * i / 8 for i in range(9) for _ in range(9)]
    return sum(abs((lon - centre + 180.0) % 360.0 - 180.0) <= MAX_DLON
               for lon in points) / len(points)


def parse_map(raw: Mapping[str, Any]) -> BoardHints:
    """Board hints from a scenario's map section as plain data (``MapSection.model_dump``)."""
    spots = {str(p["id"]): Spot(str(p["id"]), str(p["name"]), float(p["lon"]), float(p["lat"]))
             for p in raw.get("places") or ()}
    labels = tuple(spots[str(p["id"])] for p in raw.get("places") or () if p.get("label", True))
    markers = tuple(_marker(mk, spots) for mk in raw.get("markers") or ())
    bounds = raw.get("bounds")
    ladder = raw.get("ladder")
    projection = raw.get("projection") or {}
    lon0, parallel = projection.get("lon0"), projection.get("parallel")
    return BoardHints(
        ladder=str(ladder) if ladder else None,
        focus=(float(bounds[0]), float(bounds[1]), float(bounds[2]), float(bounds[3]))
        if bounds else None,
        themes=tuple(str(t) for t in raw.get("themes") or ()),
        labels=labels,
        countries={str(k): str(v) for k, v in dict(raw.get("countries") or {}).items()},
        markers=markers,
        lon0=float(lon0) if lon0 is not None else None,
        parallel=float(parallel) if parallel is not None else None,
    )


def _marker(mk: Mapping[str, Any], spots: Mapping[str, Spot]) -> Marker:
    dx, dy = mk.get("offset") or (0.0, 0.0)
    bend = mk.get("bend")
    to = mk.get("to")
    return Marker(str(mk["track"]), MarkerKind(mk.get("kind", "deployment")), spots[str(mk["at"])],
                  spots[str(to)] if to else None, str(mk.get("label") or ""),
                  str(mk["actor"]) if mk.get("actor") else None, (float(dx), float(dy)),
                  float(bend) if bend is not None else None,
                  frozenset(str(a) for a in mk.get("shown_to") or ()))


def default_hints(theatre: Theatre, actors: Iterable[tuple[str, str]]) -> BoardHints:
    """The map of a scenario without a map section: the countries its actors are (an actor
    whose id is a country's ISO code, e.g. 'RUS', or whose name is a country's name), tinted
    in their colours and framed; the whole theatre when no actor is a country. When one of
    them lies beyond ``theatre`` (the default map, Europe to Japan), the region around all of
    them is shown instead, from the world map data."""
    actors = list(actors)
    countries: dict[str, str] = {}
    boxes = []
    for aid, name in actors:
        wanted = {aid.casefold(), name.casefold()}
        for country in theatre.countries:
            if any(k.casefold() in wanted for k in country.keys):
                countries[country.keys[0]] = aid
                boxes.append(country.bbox)
    world = world_boxes()
    found = {world[k][0]: (aid, world[k][1]) for aid, name in actors
             for k in (aid.casefold(), name.casefold()) if k in world}
    if len(found) > len(countries):  # a country the default map does not hold
        countries = {key: aid for key, (aid, _) in found.items()}
        beyond = [box for _, box in found.values()]
        pad = DEFAULT_PAD_DEGREES
        focus = (max(-180.0, min(b[0] for b in beyond) - pad),
                 max(-90.0, min(b[1] for b in beyond) - pad),
                 min(180.0, max(b[2] for b in beyond) + pad),
                 min(90.0, max(b[3] for b in beyond) + pad))
        return BoardHints(countries=countries, focus=focus)
    if not boxes:
        return BoardHints()
    frame = (min(b[0] for b in boxes), min(b[1] for b in boxes),
             max(b[2] for b in boxes), max(b[3] for b in boxes))
    return BoardHints(countries=countries, frame=frame)


DEFAULT_PAD_DEGREES = 3.0
"""Degrees of map shown around the actors' countries when the default map frames a region."""
