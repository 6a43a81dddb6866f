"""Draw the theatre map on a pygame surface.

The shapes and the screen transform come from :mod:`game.board.geo` (pure); this module only
paints. A board draws the map once per resize into a background surface and blits that each
frame; even so a full redraw stays cheap because :meth:`Transform.rings` caches screen points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import pygame
from pygame.typing import ColorLike

from game.board.geo import Place, Transform

__all__ = ["BORDER", "LAND", "SEA", "draw_map", "draw_places"]

SEA: ColorLike = (164, 196, 222)
LAND: ColorLike = (236, 231, 216)
BORDER: ColorLike = (120, 112, 100)

_NO_FILLS: Mapping[str, ColorLike] = MappingProxyType({})


def draw_map(
    surface: pygame.Surface,
    transform: Transform,
    *,
    fills: Mapping[str, ColorLike] = _NO_FILLS,
    default_fill: ColorLike = LAND,
    border: ColorLike | None = BORDER,
    sea: ColorLike | None = SEA,
    border_width: int = 1,
) -> pygame.Rect:
    """Paint sea, country fills and borders; return the screen rect the map covers.

    ``fills`` maps a country's ISO alpha-3 code, name or numeric id (e.g. ``"RUS"``,
    ``"Russia"``, ``"643"``) to its colour; others get ``default_fill``. Borders are
    antialiased when ``border_width`` is 1. Drawing is clipped to the map frame.
    """
    area = pygame.Rect(transform.map_rect)
    old_clip = surface.get_clip()
    surface.set_clip(area.clip(old_clip))
    try:
        if sea is not None:
            surface.fill(sea, area)
        for country in transform.theatre.countries:
            colour = next((fills[k] for k in country.keys if k in fills), default_fill)
            for ring in transform.rings(country):
                pygame.draw.polygon(surface, colour, ring)
        if border is not None:
            for country in transform.theatre.countries:
                for ring in transform.rings(country):
                    _outline(surface, border, ring, border_width)
    finally:
        surface.set_clip(old_clip)
    return area


def _outline(
    surface: pygame.Surface, colour: ColorLike, ring: list[tuple[int, int]], width: int
) -> None:
    if width <= 1:
        pygame.draw.aalines(surface, colour, True, ring)
    else:
        pygame.draw.lines(surface, colour, True, ring, width)


def draw_places(
    surface: pygame.Surface,
    transform: Transform,
    places: Iterable[Place] | None = None,
    *,
    colour: ColorLike = (40, 40, 40),
    radius: int = 5,
    font: pygame.font.Font | None = None,
    label_colour: ColorLike = (20, 20, 20),
) -> None:
    """Dot (and, given a font, label) each place; all of the theatre's places by default.

    Places outside the transform's view are skipped and drawing is clipped to the map, so
    this works for insets too. A label goes right of its dot, or left where it would not fit.
    """
    area = pygame.Rect(transform.map_rect)
    old_clip = surface.get_clip()
    surface.set_clip(area.clip(old_clip))
    try:
        for place in transform.theatre.places if places is None else places:
            x, y = transform.point(place.x, place.y)
            if not area.collidepoint(x, y):
                continue
            pygame.draw.circle(surface, colour, (x, y), radius)
            if font is not None:
                label = font.render(place.name, True, label_colour)
                lx = x + radius + 3
                if lx + label.get_width() > area.right:
                    lx = x - radius - 3 - label.get_width()
                surface.blit(label, (lx, y - label.get_height() // 2))
    finally:
        surface.set_clip(old_clip)
