"""The board's fixed panels: top bar, side column (ladder, gauges, actors) and log ticker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pygame

from game import present as P
from game.board import text
from game.board.gauges import (
    NO_TWEEN,
    draw_ladder,
    draw_tracks,
    ladder_height,
    ladder_track,
    theme_of,
)
from game.board.layout import Layout, Mode
from game.board.theme import (
    CHROME,
    CHROME_2,
    GOOD,
    INK,
    MUTED,
    PANEL,
    PANEL_EDGE,
    PAPER,
    YELLOW,
    TypeScale,
    hex_colour,
)
from game.board.widgets import Click, Hit, button, chip, panel
from game.engine.actions import CONTROL, PUBLIC
from game.engine.log import End, Kind, spec
from game.engine.views import ActorView, LogLine, View

TICKER_KINDS = frozenset({"outcome", "news", "event", "roll", "change", "threshold", "ruling",
                          "override", "adjust", "reveal", "inject", "end", "intel", "turn"})
"""Log lines worth a place in the ticker (phase changes and passes are not)."""


def nice_date(iso: str) -> str:
    """'2024-11-01' -> '1 Nov 2024' (unchanged if it is not a date)."""
    try:
        d = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%b')} {d.year}"


def viewer_label(view: View) -> tuple[str, tuple[int, int, int]]:
    if view.viewer == CONTROL:
        return "UMPIRE", YELLOW
    if view.viewer == PUBLIC:
        return "THE ROOM", PAPER
    a = view.actor(view.viewer)
    return a.name.upper(), hex_colour(a.color)


def badge_label(view: View, layout: Layout, room: int) -> tuple[str, int]:
    """The top bar's badge: whose screen this is, and its type size. The name in large type,
    or body type, when it fits ``room`` whole; else the team's short id ('DPRK', not
    'DEMOCRATIC PEOPL…')."""
    ts = layout.type
    label, _ = viewer_label(view)
    for size in (ts.large, ts.body):
        if text.width(label, size, True) + ts.pad * 6 <= room:
            return label, size
    return view.viewer.upper(), ts.large


def draw_top(surface: pygame.Surface, view: View, layout: Layout, *, paused: bool = False
             ) -> list[Hit]:
    """Title, turn, date and phase on the left; whose screen this is on the right. The line
    is in large type, else body type ('Turn 2 of 9  ·  27 Dec 2024  ·  Secret ord…' at
    1024×768), else without its last parts, never a part cut."""
    r = layout.top
    ts = layout.type
    pygame.draw.rect(surface, CHROME, r)
    _, colour = viewer_label(view)
    status = "GAME OVER" if view.over else view.phase_name
    line = f"Turn {view.turn} of {view.turns}  ·  {nice_date(view.date)}  ·  {status}"
    if paused:
        line = "PAUSED  ·  " + line
    room = max(r.width // 3, r.width - text.width(line, ts.large, True) - ts.pad * 8)
    label, size = badge_label(view, layout, room)
    badge_w = min(room, text.width(label, size, True) + ts.pad * 6)
    badge = pygame.Rect(r.right - badge_w - ts.pad, r.y + ts.pad, badge_w, r.height - 2 * ts.pad)
    chip(surface, badge, label, size, colour)
    room = badge.left - r.x - ts.pad * 4  # the phase is read whole: smaller type if need be
    size = ts.large if text.width(line, ts.large, True) <= room else ts.body
    text.draw(surface, text.fit_parts(line, size, room, True),
              (r.x + ts.pad * 2, r.y + (r.height - size) // 2 - 4), size, PAPER, bold=True)
    return []


def draw_ticker(surface: pygame.Surface, view: View, layout: Layout) -> list[Hit]:
    """The latest line of the log; click it for its explanation. Log and help buttons."""
    r = layout.ticker
    ts = layout.type
    pygame.draw.rect(surface, CHROME_2, r)
    hits: list[Hit] = []
    bw = text.width("Brief (B)", ts.small, True) + ts.pad * 4
    buttons = [("Help (H)", Click.HELP), ("Log (L)", Click.SHOW_LOG)]
    if view.viewer != PUBLIC:
        buttons.append(("Brief (B)", Click.BRIEF))
    for i, (label, click) in enumerate(buttons):
        b = pygame.Rect(r.right - (i + 1) * (bw + ts.pad), r.y + ts.pad, bw, r.height - 2 * ts.pad)
        hits += button(surface, b, label, ts.small, Hit(b, click), fill=CHROME)
    line = latest_line(view)
    if line is not None:
        room = pygame.Rect(r.x + ts.pad * 2, r.y, r.width - 3 * (bw + ts.pad) - ts.pad * 4,
                           r.height)
        text.draw(surface, line.text, (room.x, r.centery - ts.body // 2 - 3), ts.body,
                  PAPER, max_width=room.width)
        hits.append(Hit(room, Click.LOG, str(line.seq)))
    return hits


def latest_line(view: View) -> LogLine | None:
    for line in reversed(view.log):
        if line.kind in TICKER_KINDS:
            return line
    return None


def _side_rects(view: View, layout: Layout
                ) -> tuple[pygame.Rect | None, pygame.Rect, pygame.Rect]:
    """Where the ladder (if any), the gauges and the actors go in the side panel."""
    ts = layout.type
    inner = layout.side.inflate(-ts.pad * 4, -ts.pad * 3)
    actors_h = actors_height(view, layout)
    actors_rect = pygame.Rect(inner.x, inner.bottom - actors_h, inner.width, actors_h)
    y = inner.y
    lrect = None
    ladder = ladder_track(view, layout)
    if ladder is not None:
        room = round((inner.height - actors_h) * 0.42)
        lrect = pygame.Rect(inner.x, y, inner.width, ladder_height(layout, ladder, room))
        y += lrect.height + ts.pad * 2
    tracks_rect = pygame.Rect(inner.x, y, inner.width, actors_rect.y - y - ts.pad * 2)
    return lrect, tracks_rect, actors_rect


def gauge_page_of(view: View, layout: Layout, track: str) -> int | None:
    """The page of the gauges pager holding ``track`` (for turning to it after a change)."""
    return theme_of(view, layout, _side_rects(view, layout)[1], track)


def draw_side(surface: pygame.Surface, view: View, layout: Layout,
              shown: Mapping[str, float] = NO_TWEEN, theme: int = 0) -> list[Hit]:
    """Ladder on top, gauges in the middle, actors and scores at the bottom."""
    r = layout.side
    surface.fill(PANEL, r)
    pygame.draw.line(surface, PANEL_EDGE, r.topleft, r.bottomleft, 3)
    hits: list[Hit] = []
    lrect, tracks_rect, actors_rect = _side_rects(view, layout)
    ladder = ladder_track(view, layout)
    if ladder is not None and lrect is not None:
        hits += draw_ladder(surface, lrect, ladder, layout, shown.get(ladder.id))
    hits += draw_tracks(surface, view, layout, tracks_rect, shown, theme)
    hits += draw_actors(surface, view, layout, actors_rect)
    return hits


def shown_actors(view: View) -> list[ActorView]:
    """Players always; control-cell actors only when they have a score or it is the umpire."""
    return [a for a in view.actors if a.kind == "player" or view.viewer == CONTROL and a.score]


def actors_height(view: View, layout: Layout) -> int:
    ts = layout.type
    width = layout.side.inflate(-ts.pad * 4, 0).width
    own = 0 if view.viewer in (CONTROL, PUBLIC) else 1
    return text.line_height(ts.small, True) + sum(
        _actor_row(view, layout, a, width)[2] for a in shown_actors(view)) + own * ts.small * 2


def _actor_row(view: View, layout: Layout, a: ActorView, width: int
               ) -> tuple[int, tuple[str, ...], int]:
    """An actor's name on the scores list in a column ``width`` px wide: its type size, its
    lines and the row's height. In body type on one line where it fits, else small type,
    on two lines broken between whole words if one does not hold it ('Democratic People's' /
    'Republic of Korea'; it was cut to 'Democratic People's Republic…')."""
    ts = layout.type
    row_h = round(ts.body * 1.3)
    mine = a.id == view.viewer
    score = "" if a.score is None else P.score(view, a.score)
    name_w = width - row_h * 2 // 3 - ts.pad * 3 - text.width(score, ts.body, True)
    name = a.name + (" (you)" if mine else "")
    if text.width(name, ts.body, mine) <= name_w:
        return ts.body, (name,), row_h
    lines = text.wrap_whole(name, ts.small, name_w, mine)
    return ts.small, lines, max(row_h, len(lines) * text.line_height(ts.small, mine) + ts.pad)


def draw_actors(surface: pygame.Surface, view: View, layout: Layout, rect: pygame.Rect
                ) -> list[Hit]:
    """One row per actor: colour, name, score; the viewer's own resources under its row."""
    ts = layout.type
    text.draw(surface, "SCORES", (rect.x, rect.y), ts.small, MUTED, bold=True)
    pygame.draw.line(surface, PANEL_EDGE, (rect.x, rect.y + text.line_height(ts.small, True) - 2),
                     (rect.right, rect.y + text.line_height(ts.small, True) - 2))
    y = rect.y + text.line_height(ts.small, True)
    row_h = round(ts.body * 1.3)
    for a in shown_actors(view):
        sw = pygame.Rect(rect.x, y + row_h // 6, row_h * 2 // 3, row_h * 2 // 3)
        pygame.draw.rect(surface, hex_colour(a.color), sw, border_radius=4)
        pygame.draw.rect(surface, INK, sw, 2, border_radius=4)
        mine = a.id == view.viewer
        score = "" if a.score is None else P.score(view, a.score)
        text.draw(surface, score, (rect.right, y), ts.body, INK, bold=True, align="right")
        size, lines, h = _actor_row(view, layout, a, rect.width)  # a name, never the id
        lh = text.line_height(size, mine)
        top = y + (ts.body - size) // 2 if len(lines) == 1 else y
        for i, line in enumerate(lines):
            text.draw(surface, line, (sw.right + ts.pad, top + i * lh), size, INK, bold=mine)
        y += h
        if mine and a.resources:
            res = "   ".join(f"{r.name}: {r.value}" + (f"/{r.max}" if r.max else "")
                             for r in a.resources)
            text.draw(surface, res, (sw.right + ts.pad, y - ts.pad), ts.small, MUTED,
                      max_width=rect.width - sw.width - ts.pad)
            y += ts.small * 2
    return []


def draw_dock_frame(surface: pygame.Surface, layout: Layout, title: str,
                    colour: tuple[int, int, int], *, reserve: int = 0) -> pygame.Rect:
    """The dock's panel and title (leaving ``reserve`` pixels at its right for a button);
    returns the inner rect under the title."""
    r = layout.dock
    ts = layout.type
    panel(surface, r, fill=PANEL, edge=None, radius=0)
    pygame.draw.line(surface, PANEL_EDGE, (r.x, r.y + 1), (r.right - 1, r.y + 1), 3)  # inside
    pygame.draw.rect(surface, colour, (r.x, r.y, ts.pad, r.height))
    title = text.fit_parts(title, ts.body, r.width - ts.pad * 6 - reserve, True)
    text.draw(surface, title, (r.x + ts.pad * 3, r.y + ts.pad), ts.body, INK, bold=True)
    return dock_inner(layout)


def dock_inner(layout: Layout) -> pygame.Rect:
    """The dock's room under its title."""
    r = layout.dock
    ts = layout.type
    top = r.y + ts.pad + text.line_height(ts.body, True)
    return pygame.Rect(r.x + ts.pad * 3, top, r.width - ts.pad * 5, r.bottom - top - ts.pad)


WATCH_KINDS = ("outcome", "news", "event", "threshold", "end")
"""Log kinds the watch dock lists: what happened, not how it was decided."""


def how_it_ended(view: View) -> str:
    """How the game ended, in the words of the log's end line ('the umpire ended the game:
    out of time'); the end condition's id if the line is not there."""
    line = next((ln for ln in reversed(view.log) if ln.kind == Kind.END), None)
    if line is None:
        return view.end_reason
    end: End = line.payload
    return end.text


MORE = "  (more)"
"""Ends a dock line cut short: the rest is read by clicking it."""


def cut_at_word(line: str, size: int, room: int) -> str:
    """``line`` if it fits ``room`` px, else as many of its whole words as fit followed by
    :data:`MORE` ('EVENT — Martial law in Seoul: At 22:27  (more)'); '' if not even one does.

    >>> pygame.font.init()
    >>> cut_at_word("a b c", 20, 10_000)
    'a b c'
    >>> cut_at_word("Martial law in Seoul", 20, text.width("Martial law" + MORE, 20))
    'Martial law  (more)'
    """
    if text.width(line, size) <= room:
        return line
    words = line.split()
    for n in range(len(words) - 1, 0, -1):
        cut = " ".join(words[:n]).rstrip(":,;—–-") + MORE
        if text.width(cut, size) <= room:
            return cut
    return ""


def dock_line(line: LogLine, ts: TypeScale, room: int) -> tuple[int, tuple[str, ...]]:
    """How the watch dock shows a log line in ``room`` px: its type size and rows. Whole in
    body type, else cut at a word with a 'more' cue, an event's whole title kept ('EVENT —
    Martial law in Seoul'; it read 'EVENT — Martial law in Seoul: At 22:2…'): in small type
    if body type cannot keep it, on two rows at worst."""
    head = f"{spec(line.kind).mark} — {line.payload.name}" if line.kind is Kind.EVENT else ""
    for size in (ts.body, ts.small):
        cut = cut_at_word(line.text, size, room)
        if cut and cut.removesuffix(MORE).startswith(head):
            return size, (cut,)
    return ts.small, text.wrap_whole(head + MORE, ts.small, room)


def _dock_rows(lines: list[LogLine], ts: TypeScale, inner: pygame.Rect, narrow: int,
               below: int) -> list[tuple[LogLine, int, tuple[str, ...]]]:
    """``lines`` laid out top-down in ``inner`` (rows reaching under ``below`` only
    ``narrow`` px wide, beside the button): each line's size and rows; [] if they overflow."""
    out = []
    y = inner.y
    for line in lines:
        size, rows = dock_line(line, ts, inner.width)
        if y + len(rows) * text.line_height(size) > below:
            size, rows = dock_line(line, ts, narrow)
        y += len(rows) * text.line_height(size)
        out.append((line, size, rows))
    return out if y <= inner.bottom or len(lines) == 1 else []


def draw_watch_dock(surface: pygame.Surface, view: View, layout: Layout) -> list[Hit]:
    """When nobody here acts: the latest outcomes and events, each clickable. For the room
    (the public view) with a button that hands the board on."""
    if layout.mode is not Mode.WATCH:
        return []
    ts = layout.type
    room = view.viewer == PUBLIC
    if view.over:
        title = f"GAME OVER — {how_it_ended(view)}"
    elif room:
        title = "RESULTS FOR THE ROOM  ·  what every team may see"
    else:
        title = "WHAT HAPPENED LATELY"
    inner = draw_dock_frame(surface, layout, title, MUTED)
    hits: list[Hit] = []
    bw = bh = 0
    if room:
        label = "Continue ▶ (Space)"
        bw = text.width(label, ts.body, True) + ts.pad * 6
        bh = round(ts.body * 1.7)
        b = pygame.Rect(inner.right - bw, inner.bottom - bh, bw, bh)
        hits += button(surface, b, label, ts.body, Hit(b, Click.CONTINUE), fill=GOOD)
    narrow = inner.width - (bw + ts.pad * 2 if bw else 0)
    below = inner.bottom - (bh + ts.pad if bh else 0)  # rows under this y pass the button
    lines = [ln for ln in view.log if ln.kind in WATCH_KINDS]
    most = min(len(lines), inner.height // text.line_height(ts.small))  # a row each at best
    shown = next((laid for k in range(most, 0, -1)
                  if (laid := _dock_rows(lines[-k:], ts, inner, narrow, below))), [])
    y = inner.y
    for line, size, rows in shown:
        r = pygame.Rect(inner.x, y, 0, 0)
        for row in rows:
            r.union_ip(text.draw(surface, row, (inner.x, y), size, INK))
            y += text.line_height(size)
        hits.append(Hit(r, Click.LOG, str(line.seq)))
    if not lines:
        text.draw(surface, view.phase_text or "Waiting for the teams…", (inner.x, y), ts.body,
                  MUTED, max_width=inner.width)
    return hits
