"""Board hints: how a scenario's tracks appear on the map (data, not code).

The scenario file says what the world is; how the board pictures it lives beside it in
``assets/board/<scenario-id>.json`` — which track is the escalation ladder, which track is a
deployment at Kursk or a transfer from Rason to Vladivostok, which countries are tinted in
which actor's colour. The drawing code knows marker *kinds*, never track names. A scenario
without a hints file still plays: its tracks show as gauges grouped by theme, the ladder is
the track with the most named thresholds, and the map is drawn plain.

File shape (every key optional)::

    {"ladder": "escalation",
     "focus": [lon_min, lat_min, lon_max, lat_max],
     "themes": ["military", "diplomacy"],
     "places": [{"id": "pokrovsk", "name": "Pokrovsk", "lon": 37.18, "lat": 48.28}],
     "labels": ["kursk", "moscow", "seoul"],
     "countries": {"RUS": "RUS", "PRK": "DPRK"},
     "markers": [{"track": "dprk_troops", "kind": "deployment", "at": "kursk",
                  "actor": "DPRK", "label": "DPRK troops", "offset": [0, -1]},
                 {"track": "shells", "kind": "transfer", "from": "rason", "to": "vladivostok"}]}
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.board.geo import Theatre
from game.paths import assets_dir


class MarkerKind(enum.Enum):
    DEPLOYMENT = "deployment"
    """A force at a place: a disc whose area follows the track."""
    TRANSFER = "transfer"
    """A flow from one place to another: an arrow whose width follows the track."""
    PARTNERSHIP = "partnership"
    """A tie between two places: a dashed arc whose weight follows the track."""
    STATUS = "status"
    """A state at a place: a badge with the track's rung name or value."""


class HintsError(Exception):
    """A hints file that cannot be used; ``code`` is stable (``board/...``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


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


@dataclass(frozen=True)
class BoardHints:
    ladder: str | None = None
    focus: tuple[float, float, float, float] | None = None
    themes: tuple[str, ...] = ()
    labels: tuple[Spot, ...] = ()
    countries: Mapping[str, str] = field(default_factory=dict)
    markers: tuple[Marker, ...] = ()


def hints_dir() -> Path:
    return assets_dir() / "board"


def hints_path(scenario_id: str) -> Path:
    return hints_dir() / f"{scenario_id}.json"


def load_hints(
    scenario_id: str, theatre: Theatre, tracks: Iterable[str], actors: Iterable[str] = ()
) -> BoardHints:
    """The hints for ``scenario_id`` (empty hints if it has no file).

    Markers and country tints naming a track or actor the scenario does not have are
    dropped, so a board survives a scenario's evolution; :func:`check_hints` reports them.
    """
    path = hints_path(scenario_id)
    if not path.exists():
        return BoardHints()
    raw = _read(path)
    return parse_hints(raw, theatre, set(tracks), set(actors), where=str(path))


def _read(path: Path) -> Mapping[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise HintsError("board/hints-corrupt",
                         f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise HintsError("board/hints-corrupt", f"{path}: expected a JSON object")
    return raw


def parse_hints(
    raw: Mapping[str, Any],
    theatre: Theatre,
    tracks: set[str],
    actors: set[str],
    *,
    where: str = "hints",
) -> BoardHints:
    spots = _spots(raw, theatre, where)
    markers = tuple(
        _marker(m, spots, where) for m in raw.get("markers", ())
        if not tracks or m.get("track") in tracks
    )
    countries = {
        str(k): str(v) for k, v in dict(raw.get("countries", {})).items()
        if not actors or v in actors
    }
    ladder = raw.get("ladder")
    focus = raw.get("focus")
    return BoardHints(
        ladder=str(ladder) if ladder and (not tracks or ladder in tracks) else None,
        focus=(float(focus[0]), float(focus[1]), float(focus[2]), float(focus[3]))
        if focus else None,
        themes=tuple(str(t) for t in raw.get("themes", ())),
        labels=tuple(_spot(p, spots, where) for p in raw.get("labels", ())),
        countries=countries,
        markers=markers,
    )


def _spots(raw: Mapping[str, Any], theatre: Theatre, where: str) -> dict[str, Spot]:
    spots = {p.id: Spot(p.id, p.name, p.lon, p.lat) for p in theatre.places}
    for p in raw.get("places", ()):
        try:
            spots[str(p["id"])] = Spot(str(p["id"]), str(p.get("name", p["id"])),
                                       float(p["lon"]), float(p["lat"]))
        except (KeyError, TypeError, ValueError):
            raise HintsError("board/bad-place",
                             f"{where}: a place needs id, lon and lat: {p!r}") from None
    return spots


def _spot(ref: Any, spots: Mapping[str, Spot], where: str) -> Spot:
    spot = spots.get(str(ref))
    if spot is None:
        known = ", ".join(sorted(spots))
        raise HintsError("board/unknown-place",
                         f"{where}: no place {ref!r}; known places: {known} "
                         "(or add it under 'places' with lon and lat)")
    return spot


def _marker(m: Mapping[str, Any], spots: Mapping[str, Spot], where: str) -> Marker:
    try:
        kind = MarkerKind(m.get("kind", "deployment"))
    except ValueError:
        kinds = ", ".join(k.value for k in MarkerKind)
        raise HintsError("board/bad-marker",
                         f"{where}: marker kind {m.get('kind')!r} is not one of {kinds}") from None
    at = _spot(m.get("at", m.get("from")), spots, where)
    to = _spot(m["to"], spots, where) if m.get("to") else None
    if kind in (MarkerKind.TRANSFER, MarkerKind.PARTNERSHIP) and to is None:
        raise HintsError("board/bad-marker",
                         f"{where}: a {kind.value} marker for {m.get('track')!r} needs 'to'")
    dx, dy = m.get("offset", (0.0, 0.0))
    bend = m.get("bend")
    return Marker(str(m["track"]), kind, at, to, str(m.get("label", "")),
                  str(m["actor"]) if m.get("actor") else None, (float(dx), float(dy)),
                  float(bend) if bend is not None else None)


def check_hints(scenario_id: str, tracks: Iterable[str], actors: Iterable[str]) -> list[str]:
    """Problems of a hints file against its scenario (for tests and authors); [] if fine."""
    path = hints_path(scenario_id)
    if not path.exists():
        return []
    raw = _read(path)
    track_set, actor_set = set(tracks), set(actors)
    out = [f"{path}: marker names unknown track {m.get('track')!r}"
           for m in raw.get("markers", ()) if m.get("track") not in track_set]
    out += [f"{path}: marker names unknown actor {m.get('actor')!r}"
            for m in raw.get("markers", ()) if m.get("actor") and m["actor"] not in actor_set]
    out += [f"{path}: country {k} tinted for unknown actor {v!r}"
            for k, v in dict(raw.get("countries", {})).items() if v not in actor_set]
    if raw.get("ladder") and raw["ladder"] not in track_set:
        out.append(f"{path}: ladder names unknown track {raw['ladder']!r}")
    return out
