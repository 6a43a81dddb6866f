"""Where each part of the board goes, for a window size (pure: rectangles and numbers).

::

    +-----------------------------------------------------------+
    | top bar: title · turn · date · phase            | badge   |
    +-------------------------------------+---------------------+
    |                                     | escalation ladder   |
    |               map                   | gauges by theme     |
    |                                     |                     |
    +-------------------------------------+                     |
    | dock: move cards / umpire / outcome | actors and scores   |
    +-------------------------------------+---------------------+
    | ticker: the latest event                  [L]og  [H]elp   |
    +-----------------------------------------------------------+
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import pygame

from game.board.hints import BoardHints
from game.board.theme import TypeScale


class Mode(enum.Enum):
    TEAM = "team"
    """A team gives orders: the dock holds its move cards."""
    UMPIRE = "umpire"
    """The white cell: omniscient view, the dock holds the umpire's powers."""
    WATCH = "watch"
    """Nobody at this screen acts now: a bigger map, the dock shows the latest outcomes."""


@dataclass(frozen=True)
class Layout:
    size: tuple[int, int]
    mode: Mode
    type: TypeScale
    top: pygame.Rect
    map: pygame.Rect
    dock: pygame.Rect
    side: pygame.Rect
    ticker: pygame.Rect
    hints: BoardHints = field(default_factory=BoardHints)

    @property
    def pad(self) -> int:
        return self.type.pad

    @property
    def screen(self) -> pygame.Rect:
        return pygame.Rect((0, 0), self.size)


def make_layout(
    size: tuple[int, int],
    mode: Mode,
    hints: BoardHints | None = None,
) -> Layout:
    """Cut a window of ``size`` into the board's regions for ``mode``.

    >>> lay = make_layout((1920, 1080), Mode.TEAM)
    >>> lay.map.right == lay.dock.right and lay.side.left == lay.map.right
    True
    """
    w, h = max(640, size[0]), max(360, size[1])
    ts = TypeScale.for_height(h)
    top_h = round(ts.large * 1.7)
    ticker_h = round(ts.body * 1.9)
    mid_top, mid_h = top_h, h - top_h - ticker_h
    side_w = round(w * (0.34 if w / h >= 1.6 else 0.38))
    left_w = w - side_w
    dock_share = {Mode.TEAM: 0.46, Mode.UMPIRE: 0.46, Mode.WATCH: 0.24}[mode]
    dock_h = round(mid_h * dock_share)
    return Layout(
        size=(w, h),
        mode=mode,
        type=ts,
        top=pygame.Rect(0, 0, w, top_h),
        map=pygame.Rect(0, mid_top, left_w, mid_h - dock_h),
        dock=pygame.Rect(0, mid_top + mid_h - dock_h, left_w, dock_h),
        side=pygame.Rect(left_w, mid_top, side_w, mid_h),
        ticker=pygame.Rect(0, h - ticker_h, w, ticker_h),
        hints=hints or BoardHints(),
    )
