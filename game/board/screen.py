"""One whole board frame, composed from the panels: ``draw_board(surface, view, layout, ...)``.

A :class:`Scene` holds what does not change while the window keeps its size: the map's
base picture and its screen transform. Everything else is drawn from the view and the UI
state, and the function returns the frame's clickable regions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game.board import text
from game.board.anim import Show
from game.board.cards import draw_team_dock
from game.board.changes import PULSE_SECONDS, strip_lines
from game.board.geo import Theatre, Transform, load_theatre
from game.board.hints import BoardHints, board_hints, theatre_for
from game.board.layout import Layout, Mode, make_layout
from game.board.mapview import (
    PlaceNames,
    city_labels,
    draw_map_note,
    draw_markers,
    draw_since,
    map_transform,
    render_base,
)
from game.board.overlays import (
    draw_beat,
    draw_dialog,
    draw_explain,
    draw_flash,
    draw_help,
    draw_log,
    draw_paused,
    draw_popup,
)
from game.board.panels import draw_side, draw_ticker, draw_top, draw_watch_dock
from game.board.room import brief_paragraphs, draw_document
from game.board.theme import HIGHLIGHT
from game.board.ui import Ui
from game.board.umpire import draw_umpire_dock
from game.board.widgets import Hit
from game.engine.actions import CONTROL, PUBLIC
from game.engine.rules import PhaseKind, Rules
from game.engine.views import View


@dataclass
class Layer:
    """Pixels and hits of parts of the board drawn for one view and UI state, to blit again
    while only other parts change (a show's sliding tracks leave the dock, top bar and ticker
    as they were)."""

    view: View | None = None
    """The view they were drawn for (kept, so that it is compared by identity, not by an id
    a later view may reuse)."""
    key: str = ""
    parts: list[tuple[pygame.Rect, pygame.Surface]] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    def fresh(self, view: View, key: str) -> bool:
        return self.view is view and self.key == key and bool(self.parts)

    def keep(self, surface: pygame.Surface, view: View, key: str, rects: list[pygame.Rect],
             hits: list[Hit]) -> None:
        bounds = surface.get_rect()
        self.view, self.key, self.hits = view, key, hits
        self.parts = [(r, surface.subsurface(r.clip(bounds)).copy()) for r in rects]

    def blit(self, surface: pygame.Surface) -> list[Hit]:
        for r, img in self.parts:
            surface.blit(img, r.topleft)
        return list(self.hits)


@dataclass(frozen=True)
class Scene:
    layout: Layout
    base: pygame.Surface
    transform: Transform
    names: PlaceNames
    """Where the labelled places' names go (worked out once per layout)."""
    chrome: Layer = field(default_factory=Layer, compare=False)
    """The dock, top bar and ticker as last drawn (they do not change while tracks slide)."""


def hints_for(rules: Rules) -> BoardHints:
    """The board hints of a scenario: its map section, or the default map (kept per scenario
    file: its id and the digest of its text)."""
    key = (rules.id, rules.digest)
    hints = _HINTS.get(key)
    if hints is None:
        hints = _HINTS[key] = board_hints(rules, load_theatre())
    return hints


_HINTS: dict[tuple[str, str], BoardHints] = {}


def layout_for(rules: Rules, size: tuple[int, int], mode: Mode) -> Layout:
    return make_layout(size, mode, hints_for(rules))


def mode_for(view: View, acting: bool) -> Mode:
    """Umpire for the white cell; team when the viewer gives orders now; else watch."""
    if view.viewer == CONTROL:
        return Mode.UMPIRE
    if acting and view.phase_kind == PhaseKind.ORDERS.value and view.viewer in view.waiting_for:
        return Mode.TEAM
    return Mode.WATCH


def make_scene(view: View, layout: Layout, theatre: Theatre | None = None) -> Scene:
    theatre = theatre or theatre_for(layout.hints)
    transform = map_transform(theatre, layout)
    names = city_labels(layout, transform)
    return Scene(layout, render_base(view, layout, transform, names), transform, names)


@dataclass
class FrameCache:
    """The last board drawn under the show's beats, to reuse while only the dice move."""

    key: tuple[object, ...] = ()
    surface: pygame.Surface | None = None
    hits: list[Hit] | None = None


def draw_board(surface: pygame.Surface, view: View, scene: Scene, ui: Ui,
               show: Show | None = None, cache: FrameCache | None = None) -> list[Hit]:
    """Draw the whole board for ``view``; returns the clickable regions, topmost last.

    With a ``cache``, a frame whose board is the same as the last one (same view, UI state
    and track values; only the dice or a banner moving) blits the last board instead.
    """
    text.check_fonts()
    if ui.paused:  # nothing of the game stays on the projector; nothing but Resume is live
        hits = draw_paused(surface, scene.layout, umpire=scene.layout.mode is Mode.UMPIRE)
        return hits + (draw_flash(surface, scene.layout, ui.flash, above=scene.layout.ticker)
                       if ui.flash else [])
    shown = show.shown() if show is not None else {}
    beat = show.current() if show is not None else None
    if cache is None or beat is None:
        hits = _draw_all(surface, view, scene, ui, shown)
    else:
        key = (id(view), id(scene), repr(ui), tuple(sorted(shown.items())))
        if cache.key != key or cache.surface is None or cache.hits is None:
            hits = _draw_all(surface, view, scene, ui, shown)
            cache.key, cache.surface, cache.hits = key, surface.copy(), hits
        else:
            surface.blit(cache.surface, (0, 0))
            hits = list(cache.hits)
    if beat is not None:
        return hits + draw_beat(surface, scene.layout, *beat)
    return hits + draw_overlays(surface, view, scene.layout, ui)


def _draw_all(surface: pygame.Surface, view: View, scene: Scene, ui: Ui,
              shown: dict[str, float]) -> list[Hit]:
    layout = scene.layout
    surface.blit(scene.base, layout.map.topleft)
    pulse = None if ui.pulse is None else ui.pulse / PULSE_SECONDS
    hits = draw_markers(surface, view, layout, scene.transform, scene.names, shown,
                        ui.changes.tracks, pulse)
    draw_since(surface, layout, since_title(view), strip_lines(view, ui.changes),
               [h.rect for h in hits])
    if layout.hints.note:
        draw_map_note(surface, layout, layout.hints.note)
    hits += draw_side(surface, view, layout, shown, ui.theme)
    key = repr(ui)
    if scene.chrome.fresh(view, key):
        return hits + scene.chrome.blit(surface)
    chrome = draw_dock(surface, view, layout, ui)
    chrome += draw_top(surface, view, layout, paused=ui.paused)
    chrome += draw_ticker(surface, view, layout)
    scene.chrome.keep(surface, view, key, [layout.dock, layout.top, layout.ticker], chrome)
    return hits + chrome


def since_title(view: View) -> str:
    """The strip's title, in the words of whoever sits at the screen."""
    if view.viewer == PUBLIC:
        return "Since the room last looked"
    return "Since your last turn"


def draw_dock(surface: pygame.Surface, view: View, layout: Layout, ui: Ui) -> list[Hit]:
    if layout.mode is Mode.TEAM:
        return draw_team_dock(surface, view, layout, ui)
    if layout.mode is Mode.UMPIRE:
        return draw_umpire_dock(surface, view, layout, ui)
    return draw_watch_dock(surface, view, layout)


def draw_overlays(surface: pygame.Surface, view: View, layout: Layout, ui: Ui) -> list[Hit]:
    """At most one overlay, in order of urgency, then the flash message."""
    hits: list[Hit] = []
    if ui.popups:
        hits = draw_popup(surface, layout, ui.popups[0])
    elif ui.explain is not None:
        hits = draw_explain(surface, layout, *ui.explain)
    elif ui.dialog is not None:
        hits = draw_dialog(surface, view, layout, ui.dialog)
    elif ui.show_log:
        hits = draw_log(surface, view, layout, ui.log_scroll)
    elif ui.show_help:
        hits = draw_help(surface, layout)
    elif ui.brief_page is not None:
        title, paragraphs = brief_paragraphs(view)
        hits, pages = draw_document(surface, layout, title, paragraphs, ui.brief_page)
        ui.brief_page = min(ui.brief_page, pages - 1)
    if ui.flash:
        hits += draw_flash(surface, layout, ui.flash)
    elif ui.hint:
        hits += draw_flash(surface, layout, ui.hint, HIGHLIGHT)
    return hits
