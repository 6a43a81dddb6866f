"""The map panel: a cached base picture (sea, countries, tints, place dots) and live markers
with the place names over them.

The base depends only on the window size and the scenario, so it is painted once into a
surface and blitted each frame. Markers follow the viewer's knowledge of their tracks: a
disc for a known deployment, two rings (low and high) for an estimate, a striped '?' disc
for an unknown.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from functools import lru_cache

import pygame

from game.board import text
from game.board.gauges import NO_TWEEN, value_text
from game.board.geo import Theatre, Transform, bounds_of, fit
from game.board.hints import Marker, MarkerKind, Spot
from game.board.layout import Layout
from game.board.mapdraw import draw_map
from game.board.theme import (
    BORDER,
    HIGHLIGHT,
    INK,
    LAND,
    MUTED,
    PAPER,
    SEA,
    Colour,
    hex_colour,
    mix,
)
from game.board.widgets import Click, Hit, hatch
from game.engine.views import TrackView, View


def map_transform(theatre: Theatre, layout: Layout) -> Transform:
    """Fit the hinted focus or frame (or the whole theatre) to fill the map panel, no bands."""
    rect = layout.map
    if layout.hints.focus is not None:
        lon0, lat0, lon1, lat1 = layout.hints.focus
        corners = [theatre.project(lon, lat) for lon in (lon0, lon1, (lon0 + lon1) / 2)
                   for lat in (lat0, lat1)]
        box = bounds_of(corners)
    elif layout.hints.frame is not None:
        box = layout.hints.frame
    else:
        box = theatre.bounds
    box = _fill_aspect(box, rect.width / max(1, rect.height), theatre.bounds)
    return fit(theatre, (rect.x, rect.y, rect.width, rect.height), box)


def _fill_aspect(box: tuple[float, float, float, float], aspect: float,
                 limit: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A box of the panel's aspect ratio that shows all of ``box`` if the map has room
    around it, and otherwise fills the panel with as much of ``box`` as fits (cropping its
    longer side), always inside ``limit`` so no edge of the map data shows.
    """
    minx, miny, maxx, maxy = box
    w, h = maxx - minx, maxy - miny
    lw, lh = limit[2] - limit[0], limit[3] - limit[1]
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    if w > lw:
        w, h = lw, lw / aspect
    if h > lh:
        w, h = lh * aspect, lh
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    x0, x1 = _shift_into(cx - w / 2, cx + w / 2, limit[0], limit[2])
    y0, y1 = _shift_into(cy - h / 2, cy + h / 2, limit[1], limit[3])
    return x0, y0, x1, y1


def _shift_into(a: float, b: float, lo: float, hi: float) -> tuple[float, float]:
    if a < lo:
        return lo, lo + (b - a)
    if b > hi:
        return hi - (b - a), hi
    return a, b


def country_fills(view: View, layout: Layout) -> dict[str, Colour]:
    """Country key -> a light tint of its actor's colour (from the hints)."""
    colours = {a.id: hex_colour(a.color) for a in view.actors}
    return {k: mix(LAND, colours[a], 0.38) for k, a in layout.hints.countries.items()
            if a in colours}


def render_base(view: View, layout: Layout, t: Transform, names: PlaceNames) -> pygame.Surface:
    """The static map picture for this layout (blit it at ``layout.map.topleft``): the place
    dots; their names go over the markers each frame."""
    full = pygame.Surface(layout.size)
    full.fill(SEA)
    draw_map(full, t, fills=country_fills(view, layout), default_fill=LAND, border=BORDER,
             sea=SEA)
    for _, dot, _ in names:
        pygame.draw.circle(full, INK, dot, _dot_radius(layout))
    base = pygame.Surface(layout.map.size)
    base.blit(full, (0, 0), layout.map)
    pygame.draw.rect(base, INK, base.get_rect(), 2)
    return base


def _dot_radius(layout: Layout) -> int:
    return max(3, layout.type.pad // 2 + 1)


PlaceNames = list[tuple[Spot, tuple[int, int], pygame.Rect]]
"""Each labelled place with its dot and the box of its name, in screen pixels."""


def _overlap(box: pygame.Rect, rects: list[pygame.Rect]) -> int:
    """Pixels of ``box`` that ``rects`` cover (counting twice where they overlap)."""
    return sum(box.clip(r).width * box.clip(r).height for r in rects)


def city_labels(layout: Layout, transform: Transform) -> PlaceNames:
    """Where each labelled place's dot and name go: the name beside its dot, on the first side
    (right, left, above, below, then the corners; further out where all are taken) where it
    stays on the map and clear of the other dots, names and the largest deployment discs (a
    place under a disc is named beyond its rim); where none is clear, where it overlaps least,
    names counting most."""
    ts = layout.type
    dot_r = _dot_radius(layout)
    disc_r = _radius(layout, 1.0)
    rim = {m.at.id: disc_r for m in layout.hints.markers if m.kind is MarkerKind.DEPLOYMENT}
    spots = [(spot, _px(transform, spot)) for spot in layout.hints.labels]
    taken = [pygame.Rect(x - dot_r, y - dot_r, 2 * dot_r, 2 * dot_r) for _, (x, y) in spots]
    for m in layout.hints.markers:
        if m.kind is MarkerKind.DEPLOYMENT:
            x, y = _px(transform, m.at)
            taken.append(pygame.Rect(x - disc_r, y - disc_r, 2 * disc_r, 2 * disc_r))
    inside = layout.map.inflate(-4, -4)

    def candidates(spot: Spot, x: int, y: int) -> list[pygame.Rect]:
        w, h = text.width(spot.name, ts.small) + 4, text.line_height(ts.small) + 2
        out = []
        for far in (1, 2, 3):
            gap = (rim.get(spot.id, dot_r) + ts.pad // 2 + 1) * far
            diag = round(gap * 0.7)
            out += [
                pygame.Rect(x + gap, y - h // 2, w, h), pygame.Rect(x - gap - w, y - h // 2, w, h),
                pygame.Rect(x - w // 2, y - gap - h, w, h), pygame.Rect(x - w // 2, y + gap, w, h),
                pygame.Rect(x + diag, y - diag - h, w, h), pygame.Rect(x + diag, y + diag, w, h),
                pygame.Rect(x - diag - w, y - diag - h, w, h),
                pygame.Rect(x - diag - w, y + diag, w, h)]
        return [c for c in out if inside.contains(c)] or out[:1]

    def place(order: list[int]) -> tuple[int, dict[int, pygame.Rect]]:
        named: dict[int, pygame.Rect] = {}
        total = 0
        for i in order:
            spot, (x, y) = spots[i]
            others = list(named.values())
            scored = [(_overlap(c, taken) + 4 * _overlap(c, others), k, c)
                      for k, c in enumerate(candidates(spot, x, y))]
            cost, _, box = min(scored)  # the nearest of the least overlapping
            named[i] = box
            total += cost
        return total, named

    # Greedy, first in the hints' order, then with the most crowded or cornered places first
    # (their few clear sides go to them), keeping the placing that overlaps least.
    def crowding(i: int) -> int:
        x, y = spots[i][1]
        return -sum(abs(x - u) + abs(y - v) < 12 * ts.pad for _, (u, v) in spots)

    def cornered(i: int) -> int:
        x, y = spots[i][1]
        return min(x - inside.left, inside.right - x, y - inside.top, inside.bottom - y)

    base = list(range(len(spots)))
    _, named = min((place(order) for order in (base, sorted(base, key=crowding),
                                                sorted(base, key=cornered))),
                   key=lambda placed: placed[0])
    return [(spot, xy, named[i]) for i, (spot, xy) in enumerate(spots)]


def _halo_text(surface: pygame.Surface, label: str, pos: tuple[int, int], size: int,
               colour: Colour, halo: Colour = PAPER) -> pygame.Rect:
    """Text with a light outline so it reads on any background (drawn once per text, size
    and colours, then one blit)."""
    img = _halo_image(label, size, colour, halo)
    return surface.blit(img, (pos[0] - HALO, pos[1] - HALO)).inflate(-2 * HALO, -2 * HALO)


HALO = 2
"""Pixels of the light outline around map text."""


@lru_cache(maxsize=512)
def _halo_image(label: str, size: int, colour: Colour, halo: Colour) -> pygame.Surface:
    under = text.render(label, size, halo)
    img = pygame.Surface((under.get_width() + 2 * HALO, under.get_height() + 2 * HALO),
                         pygame.SRCALPHA)
    for dx, dy in ((-2, 0), (2, 0), (0, -2), (0, 2), (-1, -1), (1, 1), (-1, 1), (1, -1)):
        img.blit(under, (HALO + dx, HALO + dy))
    img.blit(text.render(label, size, colour), (HALO, HALO))
    return img


def _known(t: TrackView, shown: float | None) -> tuple[float | None, float | None, float | None]:
    """(value, low, high) as fractions 0..1 of the track's range; None where not known."""
    span = (t.hi - t.lo) or 1.0

    def f(v: float | None) -> float | None:
        return None if v is None else max(0.0, min(1.0, (v - t.lo) / span))

    if t.status == "exact":
        return f(t.value if shown is None else shown), None, None
    if t.status == "estimate":
        return None, f(t.low), f(t.high)
    return None, None, None


def draw_markers(surface: pygame.Surface, view: View, layout: Layout, transform: Transform,
                 names: PlaceNames, shown: Mapping[str, float] = NO_TWEEN,
                 changed: Collection[str] = (), pulse: float | None = None) -> list[Hit]:
    """Every hinted marker whose track the scenario has; a hit per marker (click: explain).

    Markers of the ``changed`` tracks stand out: a highlight ring (a glow along an arrow) and a
    highlighted label; ``pulse`` (0..1, once when a seat sits down) sends a ring outwards.
    """
    tracks = {t.id: t for t in view.tracks}
    colours = {a.id: hex_colour(a.color) for a in view.actors}
    hits: list[Hit] = []
    placed: list[pygame.Rect] = []
    tags: list[pygame.Rect] = []
    old = surface.get_clip()
    surface.set_clip(layout.map)
    try:
        drawn = []
        for m in layout.hints.markers:
            t = tracks.get(m.track)
            if t is None or not m.shown(view.viewer):
                continue
            colour = colours.get(m.actor or "", INK)
            lit = t.id in changed
            area = _draw_marker(surface, m, t, layout, transform, colour, shown.get(t.id), lit)
            if lit:
                _ring(surface, area, layout, pulse, steady=m.kind in STEADY_RINGS)
            placed.append(area)
            drawn.append((m, t, area, colour))
        for spot, _, box in names:  # over the discs and arrows, under the tags
            _halo_text(surface, spot.name, (box.x + 2, box.y + 1), layout.type.small, INK)
        for m, t, area, colour in drawn:
            tag = _place_tag(surface, m, t, area, layout, colour, shown.get(t.id), placed,
                             (tags, [box for _, _, box in names]), t.id in changed)
            placed.append(tag)
            tags.append(tag)
            hits.append(Hit(area.union(tag), Click.TRACK, t.id))
    finally:
        surface.set_clip(old)
    return hits


STEADY_RINGS = (MarkerKind.DEPLOYMENT, MarkerKind.STATUS)
"""Markers ringed all turn when changed (an arrow or a tie glows along its length instead)."""


def _ring(surface: pygame.Surface, area: pygame.Rect, layout: Layout,
          pulse: float | None, *, steady: bool = True) -> None:
    """The highlight around a changed marker (``steady``); while ``pulse`` runs (0..1), a ring
    grows outwards from it and fades."""
    pad = layout.type.pad
    r = max(area.width, area.height) // 2 + pad + 3
    if steady:
        pygame.draw.circle(surface, INK, area.center, r + 3, 2)
        pygame.draw.circle(surface, HIGHLIGHT, area.center, r + 1, 5)
        pygame.draw.circle(surface, INK, area.center, r - 4, 2)
    if pulse is not None and 0.0 <= pulse < 1.0:
        grow = r + round(pulse * 4 * pad + pulse * r)
        width = max(2, round(8 * (1 - pulse)))
        pygame.draw.circle(surface, mix(HIGHLIGHT, PAPER, pulse * 0.6), area.center, grow, width)


def draw_since(surface: pygame.Surface, layout: Layout, title: str, lines: list[str],
               avoid: Collection[pygame.Rect] = ()) -> pygame.Rect | None:
    """The "since last turn" strip in a corner of the map (the one covering least of ``avoid``,
    the markers; the lower left when all are clear): a title and the changes, as many as fit
    (the rest counted, with where to read them); None when there is nothing to list."""
    if not lines:
        return None
    ts = layout.type
    area = layout.map.inflate(-2 * ts.pad, -2 * ts.pad)
    width = min(area.width, max(area.width * 2 // 5, 22 * ts.small))
    line_h = text.line_height(ts.small)
    head_h = text.line_height(ts.small, True)
    room = max(2, (area.height * 2 // 5 - head_h - 2 * ts.pad) // line_h)
    shown = lines if len(lines) <= room else lines[:room - 1]
    more = len(lines) - len(shown)
    rows = shown + ([f"+{more} more — L: the log"] if more else [])
    box = pygame.Rect(0, 0, width, head_h + len(rows) * line_h + 2 * ts.pad)
    corners = []
    for k, corner in enumerate(("bottomleft", "bottomright", "topleft", "topright")):
        placed = box.copy()
        setattr(placed, corner, getattr(area, corner))
        corners.append((_overlap(placed, list(avoid)), k, placed))
    box = min(corners)[2]
    pygame.draw.rect(surface, PAPER, box, border_radius=6)
    pygame.draw.rect(surface, INK, box, 2, border_radius=6)
    pygame.draw.rect(surface, HIGHLIGHT, (box.x, box.y, 10, box.height),
                     border_top_left_radius=6, border_bottom_left_radius=6)
    x, y = box.x + 10 + ts.pad, box.y + ts.pad
    inner = box.right - ts.pad - x
    text.draw(surface, text.fit(title, ts.small, inner, bold=True), (x, y), ts.small, INK,
              bold=True)
    y += head_h
    for i, row in enumerate(rows):
        colour = MUTED if more and i == len(rows) - 1 else INK
        text.draw(surface, text.fit(row, ts.small, inner), (x, y), ts.small, colour)
        y += line_h
    return box


def draw_map_note(surface: pygame.Surface, layout: Layout, note: str) -> pygame.Rect:
    """A line across the top of the map saying what it cannot show as the scenario asks."""
    ts = layout.type
    area = layout.map.inflate(-2 * ts.pad, -2 * ts.pad)
    line = text.fit(note, ts.small, area.width - 2 * ts.pad)
    box = pygame.Rect(area.x, area.y, text.width(line, ts.small) + 2 * ts.pad,
                      text.line_height(ts.small) + ts.pad)
    pygame.draw.rect(surface, PAPER, box, border_radius=6)
    pygame.draw.rect(surface, INK, box, 2, border_radius=6)
    text.draw(surface, line, (box.x + ts.pad, box.y + ts.pad // 2), ts.small, INK)
    return box


def _draw_marker(surface: pygame.Surface, m: Marker, t: TrackView, layout: Layout,
                 transform: Transform, colour: Colour, shown: float | None,
                 lit: bool = False) -> pygame.Rect:
    """The marker's shape; returns the rect its label should sit beside."""
    a = _px(transform, m.at)
    if m.kind is MarkerKind.DEPLOYMENT:
        return _deployment(surface, a, t, layout, colour, shown)
    if m.kind is MarkerKind.STATUS:
        pygame.draw.circle(surface, INK, a, layout.type.pad)
        return pygame.Rect(a[0] - 6, a[1] - 6, 12, 12)
    assert m.to is not None
    return _link(surface, a, _px(transform, m.to), m, t, layout, colour, shown, lit)


def marker_label(m: Marker, t: TrackView, shown: float | None) -> str:
    """'DPRK troops: 11 thousand', or the rung name for a track with named thresholds."""
    value = t.rung if t.rung and t.status == "exact" and shown is None else value_text(t, shown)
    return f"{m.label}: {value}" if m.label else value


def tag_lines(label: str, size: int, max_width: int) -> tuple[str, ...]:
    """A marker's label in lines of at most ``max_width`` px where it can be, never cut: on one
    line when it fits, else its name on the first line(s) and its value whole on the last
    ('DPRK troops:' / '11 thousand'; it was cut to 'DPRK troops: 11 thousa…'). A word or a
    value wider than ``max_width`` stands whole on its own line.

    >>> pygame.font.init()
    >>> tag_lines("DPRK troops: 11 thousand", 20, 200)
    ('DPRK troops:', '11 thousand')
    """
    if text.width(label, size, True) <= max_width:
        return (label,)
    name, colon, value = label.partition(": ")
    if not colon:
        return text.wrap_whole(label, size, max_width, True)
    return (*text.wrap_whole(name + ":", size, max_width, True), value)


def _place_tag(surface: pygame.Surface, m: Marker, t: TrackView, area: pygame.Rect,
               layout: Layout, colour: Colour, shown: float | None,
               placed: list[pygame.Rect],
               words: tuple[list[pygame.Rect], list[pygame.Rect]],
               lit: bool = False) -> pygame.Rect:
    """Put the label where it overlaps nothing drawn so far and no place name, on one line if
    a spot holds it so, else in its two-line form; else where it hides the least of the tags
    before it (their numbers), then of the place names, then of what else is drawn (the
    hint's spot first). ``words``: the tags so far and the place names. Never cut
    (:func:`tag_lines`)."""
    tags, names = words
    ts = layout.type
    label = marker_label(m, t, shown)
    forms = [tag_lines(label, ts.small, layout.map.width // 2),
             tag_lines(label, ts.small, layout.map.width // 3)]
    options = [(k, spot, lines) for k, lines in enumerate(dict.fromkeys(forms))
               for spot in _tag_spots(m, area, layout, lines)]
    free = [o for o in options if o[1].collidelist(placed) < 0 and o[1].collidelist(names) < 0]
    _, box, lines = free[0] if free else min(options, key=lambda o: (
        _overlap(o[1], tags), _overlap(o[1], names), _overlap(o[1], placed), o[0]))
    if not box.inflate(ts.pad * 4, ts.pad * 4).colliderect(area):
        end = (max(box.left, min(area.centerx, box.right)),
               max(box.top, min(area.centery, box.bottom)))
        pygame.draw.line(surface, PAPER, area.center, end, 5)
        pygame.draw.line(surface, INK, area.center, end, 2)
    if lit:
        pygame.draw.rect(surface, HIGHLIGHT, box.inflate(8, 8), 5, border_radius=9)
        pygame.draw.rect(surface, INK, box.inflate(12, 12), 2, border_radius=10)
    return _tag(surface, lines, box, layout, colour, t.status)


def _tag_spots(m: Marker, area: pygame.Rect, layout: Layout, lines: tuple[str, ...]
               ) -> list[pygame.Rect]:
    """Where a tag of ``lines`` may go, inside the map, best first: at the hint's offset right
    of the marker, above or below that, left of it, over it, under it, then those shifted."""
    ts = layout.type
    w = max(text.width(line, ts.small, True) for line in lines) + ts.pad * 2 + 8
    h = text.line_height(ts.small, True) * len(lines) + ts.pad
    dx, dy = round(m.offset[0] * ts.body), round(m.offset[1] * ts.body * 1.3)
    wanted = pygame.Rect(area.right + ts.pad + dx, area.centery - h // 2 + dy, w, h)
    candidates = [wanted] + [wanted.move(0, k * h * s) for k in (1, 2, 3) for s in (-1, 1)] + [
        pygame.Rect(area.left - w - ts.pad, area.centery - h // 2, w, h),
        pygame.Rect(area.centerx - w // 2, area.top - h - ts.pad, w, h),
        pygame.Rect(area.centerx - w // 2, area.bottom + ts.pad, w, h)]
    left = candidates[7]
    candidates += [wanted.move(x * w // 2, k * h) for x in (-1, 1, -2) for k in (0, -1, 1, -2, 2)]
    candidates += [left.move(0, k * h * s) for k in (1, 2, 3) for s in (-1, 1)]
    inside = layout.map.inflate(-4, -4)
    return [c.clamp(inside) for c in candidates]


def _px(transform: Transform, spot: Spot) -> tuple[int, int]:
    return transform.lonlat(spot.lon, spot.lat)


def _radius(layout: Layout, frac: float) -> int:
    r_min, r_max = layout.type.pad + 2, max(14, layout.map.height // 12)
    return round(r_min + (r_max - r_min) * math.sqrt(max(0.0, frac)))


def _deployment(surface: pygame.Surface, c: tuple[int, int], t: TrackView, layout: Layout,
                colour: Colour, shown: float | None) -> pygame.Rect:
    value, low, high = _known(t, shown)
    if value is not None:
        r = _radius(layout, value)
        if value > 0:
            pygame.draw.circle(surface, colour, c, r)
        pygame.draw.circle(surface, INK, c, r, 3)
    elif low is not None and high is not None:
        r = _radius(layout, high)
        pygame.draw.circle(surface, mix(colour, PAPER, 0.55), c, r)
        pygame.draw.circle(surface, colour, c, _radius(layout, low))
        _dashed_circle(surface, INK, c, r, 3)
    else:
        r = _radius(layout, 0.5)
        disc = pygame.Rect(0, 0, 2 * r, 2 * r)
        disc.center = c
        pygame.draw.circle(surface, PAPER, c, r)
        hatch(surface, disc.inflate(-r // 2, -r // 2), MUTED, step=8)
        _dashed_circle(surface, INK, c, r, 3)
        text.draw(surface, "?", (c[0], c[1] - layout.type.large // 2 - 4), layout.type.large,
                  INK, bold=True, align="center")
    return pygame.Rect(c[0] - r, c[1] - r, 2 * r, 2 * r)


def _dashed_circle(surface: pygame.Surface, colour: Colour, c: tuple[int, int], r: int,
                   width: int) -> None:
    steps = max(12, r // 2)
    for i in range(0, steps, 2):
        a0, a1 = 2 * math.pi * i / steps, 2 * math.pi * (i + 1) / steps
        p0 = (c[0] + r * math.cos(a0), c[1] + r * math.sin(a0))
        p1 = (c[0] + r * math.cos(a1), c[1] + r * math.sin(a1))
        pygame.draw.line(surface, colour, p0, p1, width)


@lru_cache(maxsize=256)
def _arc(a: tuple[int, int], b: tuple[int, int], bend: float, n: int = 24
         ) -> list[tuple[float, float]]:
    """A gentle quadratic curve from a to b, bulging left of the direction of travel."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    cx, cy = mx - dy * bend, my + dx * bend
    pts = []
    for i in range(n + 1):
        s = i / n
        x = (1 - s) ** 2 * a[0] + 2 * (1 - s) * s * cx + s * s * b[0]
        y = (1 - s) ** 2 * a[1] + 2 * (1 - s) * s * cy + s * s * b[1]
        pts.append((x, y))
    return pts


def _link(surface: pygame.Surface, a: tuple[int, int], b: tuple[int, int], m: Marker,
          t: TrackView, layout: Layout, colour: Colour, shown: float | None,
          lit: bool = False) -> pygame.Rect:
    kind = m.kind
    value, low, high = _known(t, shown)
    frac = value if value is not None else high if high is not None else 0.0
    known = value is not None
    width = 2 + round(frac * max(6, layout.type.pad * 2)) if known or high else 3
    bend = m.bend if m.bend is not None else 0.18 if kind is MarkerKind.TRANSFER else -0.12
    pts = _arc(a, b, bend, 48)
    dashed = kind is MarkerKind.PARTNERSHIP or not known or frac <= 0
    line_colour = colour if (known and frac > 0) or high else MUTED
    pieces = [pts[i:i + 3] for i in range(0, len(pts) - 2, 3)] if dashed else [pts]
    if lit:  # a glow along the whole arrow, under its dashes
        pygame.draw.lines(surface, INK, False, pts, width + 14)
        pygame.draw.lines(surface, HIGHLIGHT, False, pts, width + 10)
    for piece in pieces:
        pygame.draw.lines(surface, INK, False, piece, width + 4)
    for piece in pieces:
        pygame.draw.lines(surface, line_colour, False, piece, width)
    if kind is MarkerKind.TRANSFER:
        _arrow_head(surface, pts[-3], pts[-1], line_colour, width + layout.type.pad * 2)
    for p in (a, b):
        pygame.draw.circle(surface, INK, p, layout.type.pad)
    mid = pts[len(pts) // 2]
    return pygame.Rect(round(mid[0]) - 8, round(mid[1]) - 8, 16, 16)


def _arrow_head(surface: pygame.Surface, p0: tuple[float, float], p1: tuple[float, float],
                colour: Colour, size: int) -> None:
    ang = math.atan2(p1[1] - p0[1], p1[0] - p0[0])
    left = (p1[0] - size * math.cos(ang - 0.45), p1[1] - size * math.sin(ang - 0.45))
    right = (p1[0] - size * math.cos(ang + 0.45), p1[1] - size * math.sin(ang + 0.45))
    pygame.draw.polygon(surface, colour, [p1, left, right])
    pygame.draw.polygon(surface, INK, [p1, left, right], 2)


def _tag(surface: pygame.Surface, lines: tuple[str, ...], box: pygame.Rect, layout: Layout,
         colour: Colour, status: str) -> pygame.Rect:
    """A label (one line or more, each centred) on a white box with the actor's colour as its
    left edge."""
    ts = layout.type
    pygame.draw.rect(surface, PAPER, box, border_radius=6)
    pygame.draw.rect(surface, INK, box, 2, border_radius=6)
    pygame.draw.rect(surface, colour, (box.x, box.y, 8, box.height), border_top_left_radius=6,
                     border_bottom_left_radius=6)
    lh = text.line_height(ts.small, True)
    top = box.centery - lh * len(lines) // 2
    for i, line in enumerate(lines):
        img = text.render(line, ts.small, INK if status != "unknown" else MUTED, True)
        surface.blit(img, img.get_rect(center=(box.centerx + 4, top + i * lh + lh // 2)))
    return box
