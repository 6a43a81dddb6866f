"""Tracks as gauges grouped by theme, and the escalation ladder with its named rungs.

What a viewer may know decides what is drawn: an exact value fills the bar; an estimate is a
hatched band from its low to its high end with '≈ 8–14'; an unknown is a striped bar with '?'.
``shown`` lets the animation move a bar from its old value to the new one.
"""

from __future__ import annotations

from collections.abc import Mapping

import pygame

from game import present as P
from game.board import text
from game.board.layout import Layout
from game.board.theme import (
    DANGER,
    ESTIMATE,
    FILL,
    GAUGE_BG,
    INK,
    MUTED,
    PANEL,
    PANEL_EDGE,
    Colour,
    mix,
)
from game.board.widgets import Click, Hit, hatch
from game.engine.views import TrackView, View

NO_TWEEN: Mapping[str, float] = {}


def fmt_value(value: float, unit: str = "", precision: int = 1) -> str:
    """A value for the back of the room at its track's declared precision (whole numbers
    without decimals): '11,000', '2.5', '6 thousand', '0.3 thousand'.

    >>> fmt_value(11000.0), fmt_value(2.5), fmt_value(6.0, "thousand"), fmt_value(0.279, "thousand")
    ('11,000', '2.5', '6 thousand', '0.3 thousand')
    """
    body = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{precision}f}"
    return f"{body} {unit}".strip() if unit and len(unit) <= 12 else body


def value_text(t: TrackView, shown: float | None = None) -> str:
    """What a gauge says about a track, in the viewer's knowledge."""
    if t.status == "unknown":
        return "? unknown"
    if t.steps:  # a ladder by its steps' names: 'Reported', '≈ None to Confirmed'
        return P.known(t) if t.status != "exact" else \
            P.value(t, t.value if shown is None else _steady(t, shown))
    if t.status == "estimate" and t.low is not None and t.high is not None:
        if t.is_flag:
            return "yes?" if t.low >= 0.5 else "no?" if t.high < 0.5 else "yes or no?"
        return f"≈ {fmt_value(t.low, '', t.precision)}–{fmt_value(t.high, t.unit, t.precision)}"
    v = t.value if shown is None else _steady(t, shown)
    if v is None:
        return "?"
    if t.is_flag:
        return "YES" if v >= 0.5 else "no"
    return fmt_value(v, t.unit, t.precision)


def _steady(t: TrackView, shown: float) -> float:
    """A sliding value as text shows it: whole numbers for a whole-number track, so the
    text changes a few times during a slide, not every frame."""
    whole = t.value is None or float(t.value).is_integer()
    return float(round(shown)) if whole else round(shown, 1)


def ladder_track(view: View, layout: Layout) -> TrackView | None:
    """The escalation ladder: the hinted track, else the track with most rungs (at least 2)."""
    if layout.hints.ladder:
        return next((t for t in view.tracks if t.id == layout.hints.ladder), None)
    best = max(view.tracks, key=lambda t: len(t.thresholds), default=None)
    return best if best is not None and len(best.thresholds) >= 2 else None


def grouped(view: View, layout: Layout, skip: str | None) -> list[tuple[str, list[TrackView]]]:
    """Tracks by theme, themes in the hinted order then in scenario order."""
    groups: dict[str, list[TrackView]] = {}
    for theme in layout.hints.themes:
        groups[theme] = []
    for t in view.tracks:
        if t.id != skip:
            groups.setdefault(t.theme, []).append(t)
    return [(k, v) for k, v in groups.items() if v]


def _frac(t: TrackView, v: float) -> float:
    span = t.hi - t.lo
    return 0.0 if span <= 0 else max(0.0, min(1.0, (v - t.lo) / span))


def draw_bar(surface: pygame.Surface, rect: pygame.Rect, t: TrackView,
             shown: float | None = None) -> None:
    """The bar of one gauge: filled, a range band, or stripes for unknown."""
    pygame.draw.rect(surface, GAUGE_BG, rect, border_radius=4)
    if t.status == "unknown":
        hatch(surface, rect, MUTED, step=max(8, rect.height // 2))
    elif t.status == "estimate" and t.low is not None and t.high is not None:
        x0 = rect.x + round(rect.width * _frac(t, t.low))
        x1 = rect.x + max(3, round(rect.width * _frac(t, t.high)))
        band = pygame.Rect(x0, rect.y, max(4, x1 - x0), rect.height)
        pygame.draw.rect(surface, ESTIMATE, band)
        hatch(surface, band, FILL, step=max(6, rect.height // 2))
        for x in (band.left, band.right - 1):
            pygame.draw.line(surface, INK, (x, rect.y - 3), (x, rect.bottom + 2), 3)
    else:
        v = t.value if shown is None else shown
        if v is not None:
            fill = pygame.Rect(rect.x, rect.y, round(rect.width * _frac(t, v)), rect.height)
            pygame.draw.rect(surface, FILL, fill, border_radius=4)
    for at, _name in t.thresholds:
        x = rect.x + round(rect.width * _frac(t, at))
        pygame.draw.line(surface, INK, (x, rect.y - 4), (x, rect.bottom + 3), 2)
    pygame.draw.rect(surface, INK, rect, 2, border_radius=4)


def draw_gauge(surface: pygame.Surface, rect: pygame.Rect, t: TrackView, layout: Layout,
               shown: float | None = None) -> None:
    """One track: its name over a bar, and what the viewer knows of its value to the right;
    a name too long for one line beside the value goes on more lines, the value beside the
    last, or on a row of its own with the bar (broken only between whole words; it was cut
    to 'DPRK combat troops…'; :func:`gauge_name`)."""
    ts = layout.type
    value = value_text(t, shown)
    name_w = _name_width(layout, t, rect.width)
    lines, value_row = gauge_name(layout, t, rect.width)
    lh = text.line_height(ts.small)
    for i, line in enumerate(lines):
        text.draw(surface, line, (rect.x, rect.y + i * lh), ts.small, INK)
    colour = MUTED if t.status == "unknown" else INK
    vh = text.line_height(ts.body, True)
    last = rect.y + (len(lines) - 1) * lh
    vy = rect.y + len(lines) * lh if value_row else (last + rect.bottom) // 2 - vh // 2
    text.draw(surface, value, (rect.right, vy), ts.body, colour, bold=True, align="right")
    if t.is_flag and t.status != "estimate":
        return
    bar_h = _bar_h(layout)
    bar_y = vy + (vh - bar_h) // 2 if value_row else rect.bottom - bar_h - 2
    draw_bar(surface, pygame.Rect(rect.x, bar_y, name_w, bar_h), t, shown)


def _name_width(layout: Layout, t: TrackView, width: int) -> int:
    """Room for a gauge's name beside its value (at rest)."""
    ts = layout.type
    return width - text.width(value_text(t), ts.body, True) - ts.pad * 3


def gauge_name(layout: Layout, t: TrackView, width: int) -> tuple[tuple[str, ...], bool]:
    """A gauge's name in lines of small type, broken only between whole words, and whether
    the value needs a row of its own under them: the lowest of the name beside the value,
    the name across the gauge's ``width`` with its last line beside the value, or the name
    across the width over the value's row.

    >>> pygame.font.init()
    >>> from game.board.layout import make_layout, Mode
    >>> t = TrackView("t", "DPRK combat troops sent to Russia", "military", "thousand", 0.0,
    ...               20.0, False, (), "exact", 11.0, None, None, None, False, "")
    >>> gauge_name(make_layout((1024, 768), Mode.TEAM), t, 340)
    (('DPRK combat troops sent to Russia',), True)
    """
    name = f"{t.name} (secret)" if t.secret and t.status == "exact" else t.name
    size = layout.type.small
    room = _name_width(layout, t, width)
    beside = text.wrap_whole(name, size, max(1, room))
    above = text.wrap_whole(name, size, width)
    ways = [(beside, False), (above, False), (above, True)]
    rooms = [(room, room), (width, room), (width, width)]  # for the lines, for the last

    def fits(lines: tuple[str, ...], most: int, last: int) -> bool:
        return all(text.width(ln, size) <= most for ln in lines[:-1]) and \
            text.width(lines[-1], size) <= last

    can = [way for way, (most, last) in zip(ways, rooms, strict=True) if fits(way[0], most, last)]
    return min(can or [(above, True)], key=lambda way: _height(layout, t, *way))


def _height(layout: Layout, t: TrackView, lines: tuple[str, ...], value_row: bool) -> int:
    ts = layout.type
    lh = text.line_height(ts.small) * len(lines)
    if value_row:
        return lh + text.line_height(ts.body, True)
    return max(text.line_height(ts.body, True), lh + (0 if t.is_flag else _bar_h(layout) + 4))


def _bar_h(layout: Layout) -> int:
    return max(8, layout.type.small // 2)


def gauge_height(layout: Layout, t: TrackView, width: int) -> int:
    """A gauge's height in a column ``width`` px wide: its name's lines, its bar and value."""
    return _height(layout, t, *gauge_name(layout, t, width))


def _group_height(layout: Layout, tracks: list[TrackView], width: int) -> int:
    ts = layout.type
    return text.line_height(ts.small, True) + ts.pad // 2 + ts.pad + sum(
        gauge_height(layout, t, width) + ts.pad for t in tracks)


Page = tuple[str, list[TrackView]]
"""A theme's heading and the gauges drawn under it on one page of the pager."""


def pages(view: View, layout: Layout, rect: pygame.Rect) -> list[Page]:
    """The theme groups as the pager turns them: a group too tall for ``rect`` goes on as
    many pieces as it needs, each headed with its part ('MILITARY 1/2'), so every gauge
    can be reached with T (a group that did not fit showed only its first gauges)."""
    ladder = ladder_track(view, layout)
    groups = grouped(view, layout, ladder.id if ladder else None)
    ts = layout.type
    head = text.line_height(ts.small, True) + ts.pad // 2
    room = rect.height - text.line_height(ts.small, True) - ts.pad - head
    out: list[Page] = []
    for theme, tracks in groups:
        parts: list[list[TrackView]] = [[]]
        used = 0
        for t in tracks:
            gh = gauge_height(layout, t, rect.width)
            if parts[-1] and used + gh > room:
                parts.append([])
                used = 0
            parts[-1].append(t)
            used += gh + ts.pad
        name = theme.replace("_", " ").upper()
        out += [(name if len(parts) == 1 else f"{name} {i}/{len(parts)}", part)
                for i, part in enumerate(parts, 1)]
    return out


def draw_tracks(surface: pygame.Surface, view: View, layout: Layout, rect: pygame.Rect,
                shown: Mapping[str, float] = NO_TWEEN, first: int = 0) -> list[Hit]:
    """Gauges grouped by theme inside ``rect``; a hit per gauge (click: why it changed).

    When the themes do not all fit, they are shown from page ``first`` of :func:`pages`
    on, and a last line names the pages not shown (click it, or press T, for the next).
    """
    ts = layout.type
    ladder = ladder_track(view, layout)
    groups = grouped(view, layout, ladder.id if ladder else None)
    if not groups:
        return []
    hits: list[Hit] = []
    fits = sum(_group_height(layout, g, rect.width) for _, g in groups) <= rect.height
    order: list[Page] = [(th.replace("_", " ").upper(), g) for th, g in groups]
    if not fits:
        paged = pages(view, layout, rect)
        first = first % len(paged)
        order = paged[first:] + paged[:first]
    more_h = 0 if fits else text.line_height(ts.small, True) + ts.pad
    bottom = rect.bottom - more_h
    y = rect.y
    shown_themes = 0
    for theme, tracks in order:
        whole = _group_height(layout, tracks, rect.width) - ts.pad * 2
        if shown_themes and y + whole > bottom:
            break  # the next page starts with it: a group is never cut short
        y, row_hits = _draw_group(surface, layout, rect, y, bottom, theme, tracks, shown)
        hits += row_hits
        shown_themes += 1
    if not fits:
        rest = [th for th, _ in order[max(1, shown_themes):]]
        line = more_themes(rest, ts.small, rect.width)
        r = text.draw(surface, line, (rect.x, bottom + ts.pad // 2), ts.small, INK, bold=True)
        hits.append(Hit(r.inflate(0, ts.pad), Click.THEME, str(first + max(1, shown_themes))))
    return hits


def more_themes(rest: list[str], size: int, room: int) -> str:
    """The line naming the themes not shown, as many whole names as fit ``room`` px, the
    rest counted ('▶ T: TRANSFERS, TECHNOLOGY +1 more'; it was cut to '…TECHNOLOGY, KO…').

    >>> pygame.font.init()
    >>> more_themes(["TRANSFERS", "TECHNOLOGY", "KOREA"], 20, 10_000)
    '▶ T: TRANSFERS, TECHNOLOGY, KOREA'
    """
    for n in range(len(rest), 0, -1):
        line = "▶ T: " + ", ".join(rest[:n]) + (f" +{len(rest) - n} more" if n < len(rest) else "")
        if text.width(line, size, True) <= room:
            return line
    return f"▶ T: {len(rest)} more themes"


def _draw_group(surface: pygame.Surface, layout: Layout, rect: pygame.Rect, y: int,
                bottom: int, theme: str, tracks: list[TrackView],
                shown: Mapping[str, float]) -> tuple[int, list[Hit]]:
    ts = layout.type
    head_h = text.line_height(ts.small, True)
    if y + head_h + ts.pad // 2 + gauge_height(layout, tracks[0], rect.width) <= bottom:
        text.draw(surface, theme, (rect.x, y), ts.small, MUTED, bold=True)
        pygame.draw.line(surface, PANEL_EDGE, (rect.x, y + head_h - 2),
                         (rect.right, y + head_h - 2))
        y += head_h + ts.pad // 2  # else a gauge taller than its page goes without heading
    hits: list[Hit] = []
    for t in tracks:
        gh = gauge_height(layout, t, rect.width)
        if y + gh > bottom:
            break
        row = pygame.Rect(rect.x, y, rect.width, gh)
        draw_gauge(surface, row, t, layout, shown.get(t.id))
        hits.append(Hit(row, Click.TRACK, t.id))
        y += gh + ts.pad
    return y + ts.pad, hits


def theme_of(view: View, layout: Layout, rect: pygame.Rect, track: str) -> int | None:
    """Index of the page holding ``track`` in a gauges' ``rect`` (for turning to it after a
    change)."""
    for i, (_, tracks) in enumerate(pages(view, layout, rect)):
        if any(t.id == track for t in tracks):
            return i
    return None


def ladder_height(layout: Layout, track: TrackView, room: int) -> int:
    """Height of the ladder: rows of body type if they fit in ``room``, else smaller."""
    ts = layout.type
    rows = len(track.thresholds) + 1
    head = text.line_height(ts.large, True) + ts.pad
    row_h = min(round(ts.body * 1.3), max(round(ts.small * 1.15), (room - head) // rows))
    return head + rows * row_h


def draw_ladder(surface: pygame.Surface, rect: pygame.Rect, t: TrackView, layout: Layout,
                shown: float | None = None) -> list[Hit]:
    """The escalation ladder: rungs top-down, the reached ones filled, 'now' marked."""
    ts = layout.type
    head_h = text.line_height(ts.large, True)
    v = t.value if shown is None else shown
    head_value = value_text(t, shown) if t.status != "exact" or v is None or t.steps else \
        f"{fmt_value(v if shown is None else _steady(t, shown), '', t.precision)} of " \
        f"{fmt_value(t.hi, '', t.precision)}"
    vr = text.draw(surface, head_value, (rect.right, rect.y), ts.large, INK, bold=True,
                   align="right")
    text.draw(surface, t.name, (rect.x, rect.y + (ts.large - ts.body) // 2), ts.body, INK,
              bold=True, max_width=vr.x - rect.x - ts.pad)
    rungs = ladder_rungs(t)
    rows = len(rungs)
    now = _rung_index(rungs, v) if t.status == "exact" and v is not None else None
    body = pygame.Rect(rect.x, rect.y + head_h + ts.pad, rect.width,
                       rect.height - head_h - ts.pad)
    size, rects = ladder_rows(body, layout, rows, now)
    for i, rung in enumerate(rungs):
        _draw_rung(surface, rects[i], layout, t, rung, (i, rows, now), size)
    return [Hit(pygame.Rect(rect), Click.TRACK, t.id)]


def ladder_rungs(t: TrackView) -> list[tuple[float, str]]:
    """The ladder's rungs top-down, and the row below the lowest."""
    rungs = [(at, name) for at, name in sorted(t.thresholds, reverse=True)]
    rungs.append((t.lo, f"Below '{rungs[-1][1]}'" if rungs else "Start"))
    return rungs


LADDER_GAP = 3
"""Pixels between two rungs."""
NOW_EDGE = 4
"""Width of the frame around the current rung (the others have 1)."""


def ladder_rows(body: pygame.Rect, layout: Layout, rows: int,
                now: int | None) -> tuple[int, list[pygame.Rect]]:
    """The type size of the rungs and each rung's rectangle within ``body``: the largest size
    whose line fits inside every row's frame, the current rung (``now``) taller when needed so
    that its bold label clears its thick frame whole."""
    ts = layout.type
    rows = max(1, rows)
    even = body.height // rows
    size = 10
    now_h = even
    for candidate in [ts.body, ts.small, *range(ts.small - 1, 9, -1)]:
        # a line's letters, descenders included, span about 1.1 × the type size (the font's
        # line height adds leading); the current rung adds its thick frame above and below
        need_now = round(candidate * 1.15) + NOW_EDGE * 2 + LADDER_GAP
        need = round(candidate * 1.1) + LADDER_GAP
        now_h = max(even, need_now) if now is not None else even
        other = (body.height - (now_h if now is not None else 0)) // \
            max(1, rows - (1 if now is not None else 0))
        if other >= need:
            size = candidate
            break
    others = rows - (1 if now is not None else 0)
    other_h = (body.height - (now_h if now is not None else 0)) // max(1, others)
    out = []
    y = body.y
    for i in range(rows):
        h = now_h if i == now else other_h
        out.append(pygame.Rect(body.x, y, body.width, h - LADDER_GAP))
        y += h
    return size, out


def _rung_index(rungs: list[tuple[float, str]], v: float) -> int:
    for i, (at, _name) in enumerate(rungs):
        if v >= at:
            return i
    return len(rungs) - 1


def _draw_rung(surface: pygame.Surface, row: pygame.Rect, layout: Layout, t: TrackView,
               rung: tuple[float, str], where: tuple[int, int, int | None], size: int
               ) -> pygame.Rect:
    """Draw one rung; the rect its name's letters cover (centred by their ink, so that the
    current rung's bold name clears its thick frame)."""
    ts = layout.type
    at, name = rung
    i, rows, now = where
    heat = (rows - 1 - i) / max(1, rows - 1)
    reached = now is not None and i >= now
    fill: Colour = mix(PANEL, DANGER, 0.25 + 0.75 * heat) if reached else PANEL
    pygame.draw.rect(surface, fill, row, border_radius=5)
    if t.status == "estimate" and t.low is not None and t.high is not None:
        if t.low < rung_top(t, at) and t.high >= at:
            hatch(surface, row, ESTIMATE, step=12, width=3)
    elif t.status == "unknown":
        hatch(surface, row, GAUGE_BG, step=12, width=3)
    is_now = now == i
    pygame.draw.rect(surface, INK, row, NOW_EDGE if is_now else 1, border_radius=5)
    ink = INK if not reached or heat < 0.6 else (255, 255, 255)
    label = f"{fmt_value(at, '', t.precision)}+" if i < rows - 1 else ""
    lh = text.line_height(size)
    text.draw(surface, label, (row.x + ts.pad, row.centery - lh // 2), size, ink)
    name_x = row.x + ts.pad * 2 + text.width("00+", size)
    suffix = "  ◀ NOW" if is_now else ""
    label = text.fit(name + suffix, size, row.right - name_x - ts.pad, is_now)
    if not label:
        return pygame.Rect(name_x, row.centery, 0, 0)
    img = text.render(label, size, ink, is_now)
    letters = img.get_bounding_rect()
    pos = (name_x, row.centery - letters.centery)
    surface.blit(img, pos)
    return letters.move(pos)


def rung_top(t: TrackView, at: float) -> float:
    """The value where the rung starting at ``at`` ends: the next rung up, or past the top."""
    higher = sorted(a for a, _ in t.thresholds if a > at)
    return higher[0] if higher else t.hi + 1
