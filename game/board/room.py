"""Screens for the whole room: the opening briefing, a team's own briefing and objectives (on
demand, B), and the game-over screen (scores, hidden agendas revealed, each objective's points,
the key tracks over the turns as a chart).

The chart is drawn by matplotlib (as the HTML debrief's are) into an in-memory PNG and loaded
as a pygame surface; it is made once per game end and window size.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import pygame

from game.board import text
from game.board.layout import Layout
from game.board.overlays import close_button, modal
from game.board.panels import how_it_ended, nice_date
from game.board.theme import (
    CHROME,
    CHROME_2,
    DIM,
    HIGHLIGHT,
    INK,
    MUTED,
    PANEL,
    PAPER,
    Colour,
    hex_colour,
    ink_on,
)
from game.board.widgets import Click, Hit, button, chip, panel
from game.engine import wording as W
from game.engine.views import View
from game.session import Game

CHART_TRACKS = 4
"""Key tracks in the game-over chart (small multiples, 2×2)."""
HIDDEN_MARK = "◆ "


def teams_share(size: tuple[int, int]) -> float:
    """How much of the game-over screen's width the teams' blocks take (the chart the rest):
    more on a 4:3 screen, where the blocks would be too narrow for their objectives."""
    return 0.52 if size[0] / size[1] >= 1.6 else 0.6


# ---------------------------------------------------------------------------------- opening


@dataclass(frozen=True)
class BriefLine:
    """One line of the opening briefing, as it is drawn."""

    text: str
    size: int
    colour: Colour
    bold: bool = False
    chip: Colour | None = None
    """A team's colour, in a chip before the first line of its name."""
    indent: int = 0

    def height(self) -> int:
        return text.line_height(self.size, self.bold)


Block = list[BriefLine]
"""Lines kept on one page when they fit one: the situation, or one team's name and briefing."""


def briefing_area(layout: Layout) -> pygame.Rect:
    """Where the opening briefing's lines go: under its title and dates, above its buttons."""
    sw, sh = layout.size
    ts = layout.type
    top = ts.pad * 6 + text.line_height(ts.title, True) + text.line_height(ts.body)
    bottom = sh - round(ts.large * 1.7) - ts.pad * 7
    return pygame.Rect(ts.pad * 5, top, sw - ts.pad * 10, bottom - top)


def briefing_blocks(layout: Layout, view: View, about: str) -> list[Block]:
    """The situation, then each team's name and whole public briefing, wrapped to the page."""
    ts = layout.type
    area = briefing_area(layout)
    story = [BriefLine(line, ts.body, PAPER)
             for line in text.wrap(about.strip(), ts.body, area.width)]
    blocks = [story] if about.strip() else []
    indent = ts.body * 2 + ts.pad * 2
    for a in [a for a in view.actors if a.kind == "player"] or list(view.actors):
        colour = hex_colour(a.color, DIM)
        names = text.wrap(a.name, ts.body, area.width - indent, True)
        block = [BriefLine(line, ts.body, PAPER, True, colour if i == 0 else None, indent)
                 for i, line in enumerate(names)]
        block += [BriefLine(line, ts.small, DIM, indent=indent)
                  for line in text.wrap(a.public_briefing.strip(), ts.small, area.width - indent)
                  if a.public_briefing.strip()]
        blocks.append(block)
    return blocks


def briefing_pages(layout: Layout, view: View, about: str) -> list[Block]:
    """The opening briefing cut into pages that fit :func:`briefing_area`, each as full as
    whole blocks make it: a block goes whole to the next page when it does not fit the rest of
    this one (a block taller than a page is cut between its lines). The gap after a block is
    counted once (it was counted again before the next block, and the texts' final newlines
    were drawn as blank lines: page 1 of the flagship held the situation and the EU only,
    half the screen left empty)."""
    room = briefing_area(layout).height
    gap = layout.type.pad * 2
    pages: list[Block] = [[]]
    used = 0
    for block in briefing_blocks(layout, view, about):
        need = sum(line.height() for line in block)
        if pages[-1] and used + need > room:
            pages.append([])
            used = 0
        for line in block:
            if pages[-1] and used + line.height() > room:
                pages.append([])
                used = 0
            pages[-1].append(line)
            used += line.height()
        pages[-1].append(BriefLine("", 0, PAPER))  # the gap between blocks
        used += gap
    return pages


def draw_briefing(surface: pygame.Surface, layout: Layout, view: View, about: str,
                  page: int = 0) -> list[Hit]:
    """The opening screen for the room: the scenario, its situation, the teams and their public
    briefings (what every team may know: the public view), whole, a page at a time; Next page,
    then Begin."""
    sw, sh = layout.size
    ts = layout.type
    pad = ts.pad
    surface.fill(CHROME)
    pages = briefing_pages(layout, view, about)
    page = min(max(0, page), len(pages) - 1)
    text.draw(surface, view.title, (pad * 5, pad * 3), ts.title, HIGHLIGHT, bold=True,
              max_width=sw - pad * 10)
    y = pad * 4 + text.line_height(ts.title, True)
    more = f"page {page + 1} of {len(pages)}" if len(pages) > 1 else ""
    more_w = text.width(more, ts.body, True) + pad * 4 if more else 0
    text.draw(surface, f"{view.turns} turns  ·  starts {nice_date(view.date)}", (pad * 5, y),
              ts.body, DIM, max_width=sw - pad * 10 - more_w)
    if more:
        text.draw(surface, more, (sw - pad * 5, y), ts.body, HIGHLIGHT, bold=True, align="right")
    area = briefing_area(layout)
    y = area.y
    for line in pages[page]:
        if not line.size:
            y += pad * 2
            continue
        if line.chip is not None:
            chip(surface, pygame.Rect(area.x, y + 4, ts.body * 2, ts.body), "", ts.small,
                 line.chip)
        text.draw(surface, line.text, (area.x + line.indent, y), line.size, line.colour,
                  bold=line.bold)
        y += line.height()
    return _briefing_buttons(surface, layout, page, len(pages))


def _briefing_buttons(surface: pygame.Surface, layout: Layout, page: int, pages: int
                      ) -> list[Hit]:
    sw, sh = layout.size
    ts = layout.type
    pad = ts.pad
    label = "Begin the game (Enter)" if page == pages - 1 else "Next page ▶ (Enter)"
    bh = round(ts.large * 1.7)
    b = pygame.Rect(0, 0, min(sw - pad * 10, text.width(label, ts.large, True) + pad * 10), bh)
    b.midbottom = (sw // 2, sh - pad * 4)
    hits = button(surface, b, label, ts.large, Hit(b, Click.CONTINUE), fill=HIGHLIGHT)
    if page > 0:
        back = "◀ Back (PgUp)"
        r = pygame.Rect(pad * 5, b.y, text.width(back, ts.body, True) + pad * 6, bh)
        hits += button(surface, r, back, ts.body, Hit(r, Click.PAGE, "-1"), fill=PANEL)
    return hits


# ---------------------------------------------------------------------------------- own brief


def brief_paragraphs(view: View) -> tuple[str, list[str]]:
    """A seat's own briefing and objectives, as its view holds them (a team: its own private
    briefing and objectives, hidden agenda included; the umpire: every team's)."""
    if view.viewer in {a.id for a in view.actors}:
        actors = [view.actor(view.viewer)]
        title = f"{actors[0].name}: your briefing and objectives"
    else:
        actors = [a for a in view.actors if a.kind == "player"]
        title = "Every team's briefing and objectives (umpire)"
    out: list[str] = []
    for a in actors:
        if len(actors) > 1:
            out.append(f"■ {a.name}")
        out.append(a.public_briefing)
        if a.private_briefing:
            out.append(f"Only for you: {a.private_briefing}" if len(actors) == 1
                       else f"Private: {a.private_briefing}")
        for o in view.objectives:
            if o.actor == a.id:
                secret = "Hidden agenda — " if o.hidden else ""
                out.append(f"★ {secret}{o.name}: {o.text}")
    return title, [p for p in out if p]


def draw_document(surface: pygame.Surface, layout: Layout, title: str, paragraphs: list[str],
                  page: int) -> tuple[list[Hit], int]:
    """Paragraphs in a box, a page at a time (PgDn / PgUp); the hits and the page count."""
    ts = layout.type
    box = modal(surface, layout, 0.86, 0.88)
    x, w = box.x + ts.pad * 4, box.width - ts.pad * 8
    text.draw(surface, title, (x, box.y + ts.pad * 3), ts.large, INK, bold=True, max_width=w)
    top = box.y + ts.pad * 5 + ts.large
    bottom = box.bottom - round(ts.body * 1.7) - ts.pad * 5
    lh = text.line_height(ts.body)
    lines: list[tuple[str, bool]] = []
    for p in paragraphs:
        bold = p.startswith(("★", "■"))
        lines += [*((line, bold) for line in text.wrap(p.strip(), ts.body, w, bold)), ("", False)]
    per_page = max(1, (bottom - top) // lh)
    pages = max(1, -(-len(lines) // per_page))
    page = min(max(0, page), pages - 1)
    y = top
    for line, bold in lines[page * per_page:(page + 1) * per_page]:
        text.draw(surface, line, (x, y), ts.body, INK, bold=bold)
        y += lh
    if pages > 1:
        text.draw(surface, f"Page {page + 1} of {pages} — PgDn / PgUp", (x, bottom + ts.pad * 2),
                  ts.small, MUTED)
    return close_button(surface, layout, box), pages


# ---------------------------------------------------------------------------------- game over


@dataclass(frozen=True)
class Ending:
    """What the game-over screen shows, read once when the game ends."""

    title: str
    reason: str
    teams: tuple[tuple[str, str, tuple[int, int, int], str, bool], ...]
    """(id, name, colour, score, won) per team, best first."""
    objectives: tuple[tuple[str, str, bool, str], ...]
    """(team id, objective name, hidden, points) per objective."""


def ending(game: Game, view: View) -> Ending:
    """The scores, winners and each objective's points, from the umpire's view at the end."""
    rules = game.rules
    result = game.result()
    players = [a for a in view.actors if a.kind == "player"]
    ranked = sorted(players, key=lambda a: -result.scores.get(a.id, 0.0))
    teams = tuple((a.id, a.name, hex_colour(a.color, DIM), W.score(rules, result.scores.get(
        a.id, 0.0)), a.id in result.winners) for a in ranked)
    objectives = tuple((o.actor, o.name, o.hidden, W.score(rules, o.score or 0.0))
                       for o in view.objectives)
    reason = how_it_ended(view) or result.reason
    return Ending(view.title, reason, teams, objectives)


Series = list[tuple[str, str, list[str], list[float], tuple[float, float, int]]]
"""Per key track: name, unit, x labels, values, and (low end, high end, precision)."""


def key_track_series(game: Game) -> Series:
    """The key tracks (as the debrief picks them) over the turns: (name, unit, x labels,
    values) — the truth at the start of each turn, then at the end."""
    from game.report.html import Charts

    s = game.engine.state
    rules = game.rules
    labels = [str(k.turn) for k in s.beliefs] + ["end"]
    out = []
    for i in Charts(game).key_tracks()[:CHART_TRACKS]:
        t = rules.tracks[i]
        values = [float(k.truth[i]) for k in s.beliefs] + [float(s.tracks[i])]
        out.append((t.name, t.unit, labels, values, (t.lo, t.hi, t.precision)))
    return out


def chart_surface(series: Series, size: tuple[int, int], font_px: int) -> pygame.Surface:
    """The key tracks as small multiples, drawn by matplotlib into a PNG of ``size`` pixels."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    dpi = 100
    pt = font_px * 72 / dpi
    fig = Figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi, facecolor="#FAFAF7")
    if size[0] < size[1] * 0.8:  # a tall, narrow place (a 4:3 screen): one column of two
        series = series[:2]
    n = max(1, len(series))
    cols = 1 if n == 1 or size[0] < size[1] * 0.8 else 2
    rows = -(-n // cols)
    chars = max(12, round(size[0] / cols / (font_px * 0.62)))
    for k, (name, unit, labels, values, (lo, hi, precision)) in enumerate(series):
        ax = fig.add_subplot(rows, cols, k + 1)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=precision == 0))
        if max(values) - min(values) < 1e-9:  # a flat line: a sensible band around it
            margin = max((hi - lo) * 0.05, 10.0 ** -precision)
            ax.set_ylim(values[0] - margin, values[0] + margin)
        ax.plot(range(len(values)), values, color="#0072B2", linewidth=3, marker="o",
                markersize=6)
        step = 1 if len(labels) * font_px * 1.7 <= size[0] / cols else 2  # room for every turn?
        ticks = [i for i in range(len(labels)) if i % step == 0 or i == len(labels) - 1]
        if step > 1 and len(ticks) > 1 and ticks[-1] - ticks[-2] < step:
            ticks.pop(-2)  # keep 'end' clear of the turn before it
        ax.set_xticks(ticks, [labels[i] for i in ticks], fontsize=pt * 0.75)
        ax.tick_params(axis="y", labelsize=pt * 0.75)
        if k >= (rows - 1) * cols:
            ax.set_xlabel("turn", fontsize=pt * 0.75)
        title = name if not unit else f"{name} ({unit})"
        ax.set_title("\n".join(textwrap.wrap(title, chars)[:3]), fontsize=pt * 0.9, loc="left",
                     fontweight="bold")
        ax.grid(True, alpha=.3)
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout(pad=0.6)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    buf.seek(0)
    return pygame.image.load(buf, "chart.png")


def draw_game_over(surface: pygame.Surface, layout: Layout, end: Ending,
                   chart: pygame.Surface | None, note: str = "") -> list[Hit]:
    """Scores, winners, each team's objectives with their points (hidden agendas revealed),
    the key tracks as a chart; buttons: write the debrief, see the final board."""
    sw, sh = layout.size
    ts = layout.type
    pad = ts.pad
    surface.fill(CHROME)
    text.draw(surface, f"GAME OVER — {end.title}", (pad * 4, pad * 2), ts.title, HIGHLIGHT,
              bold=True, max_width=sw - pad * 8)
    y = pad * 3 + text.line_height(ts.title, True)
    y = text.draw_block(surface, f"Ended: {end.reason}. {HIDDEN_MARK}marks a hidden agenda, "
                        "revealed now.", pygame.Rect(pad * 4, y, sw - pad * 8, ts.body * 2 + pad),
                        ts.body, PAPER, max_lines=2)
    bh = round(ts.body * 1.8)
    bottom = sh - bh - pad * 4
    area = pygame.Rect(pad * 4, y + pad * 2, round(sw * teams_share(layout.size)),
                       bottom - y - pad * 4)
    _team_blocks(surface, layout, end, area)
    chart_rect = chart_area(layout, area)
    if chart is not None:
        panel(surface, chart_rect.inflate(8, 8), fill=PAPER, edge=None)
        surface.blit(chart, chart.get_rect(center=chart_rect.center))
    hits: list[Hit] = []
    labels = [("Write the debrief (R)", Click.DEBRIEF), ("See the final board (V)",
                                                        Click.FINAL_BOARD)]
    x = pad * 4
    for label, kind in labels:
        w = text.width(label, ts.body, True) + pad * 6
        r = pygame.Rect(x, bottom + pad, w, bh)
        hits += button(surface, r, label, ts.body, Hit(r, kind),
                       fill=HIGHLIGHT if kind is Click.DEBRIEF else PANEL)
        x = r.right + pad * 3
    shown = note or "Ctrl+Q twice saves the game and quits."
    lines = text.wrap(shown, ts.small, sw - x - pad * 5)[:2]
    y = bottom + pad + (bh - text.line_height(ts.small) * len(lines)) // 2
    for line in lines:
        text.draw(surface, line, (x + pad, y), ts.small, PAPER, max_width=sw - x - pad * 5)
        y += text.line_height(ts.small)
    return hits


def chart_area(layout: Layout, teams: pygame.Rect | None = None) -> pygame.Rect:
    """Where the chart goes: right of the teams' blocks."""
    sw, sh = layout.size
    ts = layout.type
    pad = ts.pad
    if teams is None:
        top = pad * 5 + text.line_height(ts.title, True) + ts.body * 2
        teams = pygame.Rect(pad * 4, top, round(sw * teams_share(layout.size)),
                            sh - round(ts.body * 1.8) - pad * 8 - top)
    return pygame.Rect(teams.right + pad * 4, teams.y, sw - teams.right - pad * 8, teams.height)


def _team_blocks(surface: pygame.Surface, layout: Layout, end: Ending, area: pygame.Rect
                 ) -> None:
    ts = layout.type
    pad = ts.pad
    n = max(1, len(end.teams))
    cols = 1 if n == 1 else 2
    rows = -(-n // cols)
    bw = (area.width - pad * 2 * (cols - 1)) // cols
    bh = (area.height - pad * 2 * (rows - 1)) // rows
    for i, (aid, name, colour, score, won) in enumerate(end.teams):
        r = pygame.Rect(area.x + (i % cols) * (bw + pad * 2), area.y + (i // cols) * (bh + pad * 2),
                        bw, bh)
        panel(surface, r, fill=CHROME_2, edge=colour, width=4)
        head = ("★ won  " if won else "") + f"{score} pts"
        room = r.width - text.width(head, ts.body, True) - pad * 6
        lh = text.line_height(ts.body, True)
        two = text.width(name, ts.body, True) > room  # the name over two lines
        band = pygame.Rect(r.x, r.y, r.width, lh * (2 if two else 1) + pad * 2)
        pygame.draw.rect(surface, colour, band, border_top_left_radius=6,
                         border_top_right_radius=6)
        ink = ink_on(colour)
        first, *rest = text.wrap(name, ts.body, r.width - pad * 4, True) if two else [name]
        text.draw(surface, first, (r.x + pad * 2, band.y + pad), ts.body, ink, bold=True,
                  max_width=r.width - pad * 4)
        if rest:
            text.draw(surface, " ".join(rest), (r.x + pad * 2, band.y + pad + lh), ts.body, ink,
                      bold=True, max_width=room)
        text.draw(surface, head, (r.right - pad * 2, band.bottom - pad - lh), ts.body, ink,
                  bold=True, align="right")
        _objective_rows(surface, layout, [o for o in end.objectives if o[0] == aid],
                        pygame.Rect(r.x + pad * 2, band.bottom + pad, r.width - pad * 4,
                                    r.bottom - band.bottom - pad * 2))


def _objective_rows(surface: pygame.Surface, layout: Layout,
                    rows: list[tuple[str, str, bool, str]], box: pygame.Rect) -> None:
    """A team's objectives and their points: names on two lines where the box has room."""
    size = layout.type.small
    lh = text.line_height(size)
    gap = layout.type.pad * 2
    pw = max((text.width(p, size, True) for *_, p in rows), default=0)
    w = box.width - pw - gap
    names = [(HIDDEN_MARK if hidden else "") + name for _, name, hidden, _ in rows]
    wrapped = [text.wrap(n, size, w, hidden) for n, (_, _, hidden, _) in zip(names, rows,
                                                                                strict=True)]
    spare = box.height // lh - len(rows)  # lines left for second lines, given in order
    y = box.y
    for lines, (_, _, hidden, points) in zip(wrapped, rows, strict=True):
        if y + lh > box.bottom:
            break
        two = len(lines) > 1 and spare > 0
        spare -= 1 if two else 0
        shown = list(lines[:2]) if two else [lines[0]]
        if len(lines) > len(shown):
            shown[-1] = text.fit(" ".join(lines[len(shown) - 1:]), size, w, hidden)
        colour = HIGHLIGHT if hidden else PAPER
        text.draw(surface, points, (box.right, y), size, PAPER if points != "0" else DIM,
                  bold=True, align="right")
        for line in shown:
            text.draw(surface, line, (box.x, y), size, colour, bold=hidden, max_width=w)
            y += lh


__all__ = ["Ending", "brief_paragraphs", "briefing_pages", "chart_area", "chart_surface",
           "draw_briefing", "draw_document", "draw_game_over", "ending", "key_track_series"]
