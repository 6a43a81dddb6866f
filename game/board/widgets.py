"""Small drawing helpers shared by the board's panels: boxes, buttons, hit regions.

Drawing functions return the clickable regions they drew as :class:`Hit` values; the event
loop keeps the last frame's hits and looks clicks up in them, so geometry lives in one place.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pygame

from game.board import text
from game.board.theme import (
    CHROME,
    DISABLED,
    INK,
    MUTED,
    PANEL,
    PANEL_EDGE,
    PAPER,
    Colour,
    ink_on,
)


class Click(enum.Enum):
    """What a click on a region does (the ``arg`` of the :class:`Hit` says to what)."""

    CARD = "card"  # arg: "ACTOR:move"
    PARAM = "param"  # arg: "pid=value"
    SUBMIT = "submit"
    CANCEL = "cancel"
    RETRACT = "retract"  # arg: action text
    DONE = "done"  # arg: actor id
    PAGE = "page"  # arg: "+1" / "-1"
    LOG = "log"  # arg: log seq
    TRACK = "track"  # arg: track id
    THEME = "theme"  # arg: index of the theme to show first
    ACT = "act"  # arg: a complete action text (umpire buttons)
    OVERRIDE = "override"  # arg: order seq
    ADJUST = "adjust"  # arg: track id or ""
    UNDO = "undo"
    PAUSE = "pause"
    END_GAME = "end_game"  # the umpire's 'End game…': opens the reason dialog
    CONTINUE = "continue"  # pop-ups, beats, the room's results
    HANDOFF = "handoff"  # the next seat takes the screen (its own button, never Space)
    SHOW_LOG = "show_log"
    HELP = "help"
    FIELD = "field"  # arg: which text field gets the keyboard
    BRIEF = "brief"  # the seat's own briefing and objectives
    DEBRIEF = "debrief"  # game over: write the HTML debrief
    FINAL_BOARD = "final_board"  # game over: the final board instead of the scores (again: back)


@dataclass(frozen=True)
class Hit:
    rect: pygame.Rect
    click: Click
    arg: str = ""


def find_hit(hits: list[Hit], pos: tuple[int, int]) -> Hit | None:
    """The topmost region under ``pos`` (later hits are drawn on top)."""
    for hit in reversed(hits):
        if hit.rect.collidepoint(pos):
            return hit
    return None


def panel(surface: pygame.Surface, rect: pygame.Rect, fill: Colour = PANEL,
          edge: Colour | None = PANEL_EDGE, radius: int = 6, width: int = 2) -> None:
    pygame.draw.rect(surface, fill, rect, border_radius=radius)
    if edge is not None:
        pygame.draw.rect(surface, edge, rect, width, border_radius=radius)


def button(
    surface: pygame.Surface,
    rect: pygame.Rect,
    label: str,
    size: int,
    hit: Hit | None,
    *,
    fill: Colour = CHROME,
    enabled: bool = True,
    selected: bool = False,
) -> list[Hit]:
    """A labelled button; returns ``[hit]`` when enabled (so callers can ``hits += ...``)."""
    bg = fill if enabled else DISABLED
    fg = ink_on(bg) if enabled else MUTED
    pygame.draw.rect(surface, bg, rect, border_radius=8)
    edge = (240, 228, 66) if selected else (INK if enabled else PANEL_EDGE)
    pygame.draw.rect(surface, edge, rect, 4 if selected else 2, border_radius=8)
    label = text.fit(label, size, rect.width - 8, bold=True)
    img = text.render(label, size, fg, True)
    surface.blit(img, img.get_rect(center=rect.center))
    return [hit] if enabled and hit is not None else []


def chip(surface: pygame.Surface, rect: pygame.Rect, label: str, size: int, fill: Colour) -> None:
    """A filled label (team badges, outcome tags)."""
    pygame.draw.rect(surface, fill, rect, border_radius=rect.height // 3)
    img = text.render(text.fit(label, size, rect.width - 6, True), size, ink_on(fill), True)
    surface.blit(img, img.get_rect(center=rect.center))


def hatch(surface: pygame.Surface, rect: pygame.Rect, colour: Colour, step: int = 10,
          width: int = 2) -> None:
    """Diagonal stripes inside ``rect`` (the board's sign for 'unknown')."""
    old = surface.get_clip()
    surface.set_clip(rect.clip(old))
    for x in range(rect.left - rect.height, rect.right, step):
        pygame.draw.line(surface, colour, (x, rect.bottom), (x + rect.height, rect.top), width)
    surface.set_clip(old)


def veil(surface: pygame.Surface, colour: tuple[int, int, int, int]) -> None:
    """Darken the whole surface (behind dialogs)."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill(colour)
    surface.blit(shade, (0, 0))


def card_box(surface: pygame.Surface, rect: pygame.Rect, accent: Colour,
             fill: Colour = PAPER) -> pygame.Rect:
    """A card with a coloured top band; returns the inner rect below the band."""
    panel(surface, rect, fill=fill, edge=INK, radius=10, width=2)
    band = pygame.Rect(rect.x, rect.y, rect.width, max(6, rect.height // 14))
    pygame.draw.rect(surface, accent, band, border_top_left_radius=10, border_top_right_radius=10)
    return pygame.Rect(rect.x + 10, band.bottom + 6, rect.width - 20, rect.bottom - band.bottom - 12)
