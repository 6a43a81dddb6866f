"""Move cards: what a team (or the umpire for a control actor) may order now.

A card shows the move's name, cost, odds and how it is decided; a move that is not available
is greyed with the engine's reason (an unmet prerequisite, a limit, not enough points). Clicks
and the number keys choose a card; the team's secret orders sit under the cards with a
'Retract' button each, and 'Done' ends the team's orders.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pygame

from game.board import text
from game.board.layout import Layout
from game.board.panels import dock_inner, draw_dock_frame
from game.board.theme import (
    DANGER,
    DISABLED,
    GOOD,
    INK,
    MUTED,
    PANEL_EDGE,
    PAPER,
    hex_colour,
)
from game.board.ui import Ui
from game.board.widgets import Click, Hit, button, card_box, chip
from game.engine.actions import CONTROL
from game.engine.adjudication import BY_KIND
from game.engine.views import MoveOption, View
from game.engine.wording import AS_FAR_AS_YOU_KNOW
from game.present import cost as cost_words
from game.present import odds_text


def grid(rect: pygame.Rect, layout: Layout) -> tuple[int, int]:
    """Columns and rows of cards that fit ``rect`` legibly."""
    ts = layout.type
    cols = max(1, rect.width // max(1, ts.body * 8))
    rows = max(1, rect.height // max(1, round(ts.body * 5.2)))
    return min(cols, 4), min(rows, 3)


def options_for(view: View, actors: list[str]) -> list[MoveOption]:
    """The cards of ``actors`` in the order they are numbered (card n is ``[n - 1]``)."""
    return [m for m in view.moves if m.actor in actors]


def cards_per_page(rect: pygame.Rect, layout: Layout) -> int:
    cols, rows = grid(rect, layout)
    return cols * rows


def unavailable_text(m: MoveOption, number: int) -> str:
    """Why a greyed card cannot be chosen, as the flash line says it."""
    reason = m.reason or "not available now"
    return f"Card {number}, {m.name}, is not available: {reason.split(' now: ', 1)[-1]}"


def cost_text(m: MoveOption, view: View) -> str:
    """What the move costs in its resources' names, as the order dialog says it ('1 Action
    point, 2 Political capital'; 'free')."""
    actor = next((a for a in view.actors if a.id == m.actor), None)
    return cost_words(m, {r.id: r.name for r in actor.resources or ()} if actor else {})


def cost_lines(layout: Layout, odds: str, odds_size: int, cost: str,
               width: int) -> tuple[str, ...]:
    """The cost's lines under the odds, or none when it fits whole beside them (with four
    cards across at 1920×1080 it was cut to '1…' there)."""
    ts = layout.type
    beside = text.width(odds, odds_size, True) + ts.pad * 2 + text.width(cost, ts.small)
    if beside <= width:
        return ()
    parts = cost.split(", ")
    lines: list[str] = []
    for i, part in enumerate(parts):  # a resource's amount and name together where they fit
        piece = part + ("," if i < len(parts) - 1 else "")
        trial = f"{lines[-1]} {piece}" if lines else piece
        if lines and text.width(trial, ts.small) <= width:
            lines[-1] = trial
        else:
            lines += text.wrap(piece, ts.small, width)
    return tuple(lines)


def draw_card(surface: pygame.Surface, rect: pygame.Rect, m: MoveOption, view: View,
              layout: Layout, key: int | None, selected: bool) -> pygame.Rect:
    """One move card: number key, name, cost and how it is decided, odds, and a note; returns
    the rect its text takes, always inside the card. A short card (the umpire's dock holds a
    row of buttons more than a team's) gives up, in this order, the note, the line that says
    how the move is decided, the odds' large type and the title's second line."""
    ts = layout.type
    accent = hex_colour(view.actor(m.actor).color) if m.legal else PANEL_EDGE
    inner = card_box(surface, rect, accent, fill=PAPER if m.legal else DISABLED)
    if selected:
        pygame.draw.rect(surface, (240, 228, 66), rect.inflate(6, 6), 6, border_radius=12)
    ink = INK if m.legal else MUTED
    name_rect = pygame.Rect(inner.x, inner.y, inner.width, text.line_height(ts.body, True) * 2)
    if key is not None:
        badge_w = max(ts.body, text.width(str(key), ts.small, True) + ts.pad * 2)
        badge = pygame.Rect(inner.x, inner.y + 2, badge_w, ts.body)
        chip(surface, badge, str(key), ts.small, INK if m.legal else MUTED)
        name_rect.x += badge.width + ts.pad
        name_rect.width -= badge.width + ts.pad
    size, title = card_title(m.name, ts.body, ts.small, name_rect)
    odds, cost = odds_text(m, short=True), cost_text(m, view)
    rows = card_rows(layout, inner, size, len(title), odds, cost)
    top = max(inner.y + rows.title_lines * text.line_height(size, True),
              inner.y + text.line_height(ts.body, True))
    smaller = replace(rows, odds_size=ts.body,
                      cost_lines=cost_lines(layout, odds, ts.body, cost, inner.width))
    if rows.odds_size > ts.body and not _note_is_whole(m, layout, inner, top, rows) and \
            _note_is_whole(m, layout, inner, top, smaller):
        rows = smaller  # the odds give their large type to the note, if it then reads whole
    y = _draw_title(surface, title, rows.title_lines, name_rect, size, ink)
    y = max(y, inner.y + text.line_height(ts.body, True))
    good = m.legal and m.odds is not None and m.odds >= 0.5 and m.adjudication == "dice"
    odds_r = text.draw(surface, odds, (inner.x, y), rows.odds_size, GOOD if good else ink,
                       bold=True, max_width=inner.width)
    if not rows.cost_lines:  # beside the odds, whole
        text.draw(surface, cost, (odds_r.right + ts.pad * 2, y + (rows.odds_size - ts.small) // 2),
                  ts.small, ink, max_width=inner.right - odds_r.right - ts.pad * 2)
    cost_y = y + text.line_height(rows.odds_size, True)
    for i, line in enumerate(rows.cost_lines):  # under the odds, whole
        text.draw(surface, line, (inner.x, cost_y + i * text.line_height(ts.small)),
                  ts.small, ink, max_width=inner.width)
    y += odds_height(layout, rows)
    how = BY_KIND[m.adjudication].label
    lh = text.line_height(ts.small)
    room = (inner.bottom - y) // lh
    note = card_note(m, ts.small, inner.width, room)
    whole = card_note(m, ts.small, inner.width, room - 1) if rows.how else note
    if rows.how and text.width(how, ts.small) <= inner.width and whole == note:
        text.draw(surface, how, (inner.x, y), ts.small, ink)  # else the note takes its line
        y += lh
        room -= 1
    colour = DANGER if not m.legal else MUTED
    for line in note[:max(0, room)]:
        text.draw(surface, line, (inner.x, y), ts.small, colour)
        y += lh
    return pygame.Rect(inner.x, inner.y, inner.width, y - inner.y)


def _note_is_whole(m: MoveOption, layout: Layout, inner: pygame.Rect, y: int,
                   rows: CardRows) -> bool:
    """Whether the card's note reads whole under odds laid out as ``rows`` from ``y``."""
    ts = layout.type
    room = (inner.bottom - y - odds_height(layout, rows)) // text.line_height(ts.small)
    lead, parts, sep = _note_parts(m)
    said = " ".join(card_note(m, ts.small, inner.width, room))
    return said == " ".join(f"{lead}{sep.join(parts)}".split())


def card_note(m: MoveOption, size: int, width: int, room: int) -> tuple[str, ...]:
    """A card's note in at most ``room`` lines ``width`` px wide, broken between whole words:
    why the move cannot be made, what it needs, what moves its odds. A condition or modifier
    is never cut: as many as fit, the rest counted ('needs EU-ROK partnership depth ≥ 3 +1
    more'; it was cut to 'needs EU-ROK partnershi…'); a sentence too long ends in '…' after
    a whole word."""
    lead, parts, sep = _note_parts(m)
    if room <= 0 or not parts:
        return ()
    for n in range(len(parts), 0, -1):
        rest = len(parts) - n
        line = lead + sep.join(parts[:n]) + (f" +{rest} more" if rest else "")
        lines = text.wrap_whole(line, size, width)
        if len(lines) <= room and all(text.width(ln, size) <= width for ln in lines):
            return lines
    if lead:  # not even one condition fits: how many, read whole when the card is opened
        n = len(parts)
        return text.wrap_whole(f"{lead}{n} condition{'s' if n > 1 else ''} (click)", size,
                               width)[:room]
    said = text.wrap_whole(lead + sep.join(parts), size, width)[:room]
    last = said[-1] if said else ""
    while " " in last and text.width(f"{last} {text.ELLIPSIS}", size) > width:
        last = last.rsplit(" ", 1)[0]
    return (*said[:-1], text.fit(f"{last} {text.ELLIPSIS}", size, width)) if said else ()


def _note_parts(m: MoveOption) -> tuple[str, tuple[str, ...], str]:
    """A card's note as its lead, its parts and what joins them."""
    if not m.legal:
        reason = (m.reason or "not available now").split(" now: ", 1)[-1]
        unmet = tuple(n for n in m.needs if n in reason) if reason.startswith("needs ") else ()
        return ("needs ", unmet, " and ") if unmet else ("", (reason,), "")
    if m.needs:
        return "needs ", tuple(m.needs), " and "
    if m.unseen_factors:  # the '?' after the odds: what it means, on the card itself
        return "", (f"odds {AS_FAR_AS_YOU_KNOW}",), ""
    if m.modifiers:
        return "", tuple(f"{v:+d} {why}" for v, why in m.modifiers), "  "
    return "", (), ""


@dataclass(frozen=True)
class CardRows:
    """What a card of a given height holds under its number: the title's lines, the odds'
    type size, the cost's lines under the odds (none: it stands beside them), and whether the
    line saying how the move is decided fits."""

    title_lines: int
    odds_size: int
    how: bool
    cost_lines: tuple[str, ...] = ()


def card_rows(layout: Layout, inner: pygame.Rect, title_size: int, title_lines: int,
              odds: str, cost: str) -> CardRows:
    """The fullest card that fits ``inner`` (the card's room under its band) for a title of
    ``title_lines`` lines at ``title_size``: the odds large and the line saying how the move is
    decided, or less, as :func:`draw_card` gives it up, then as many of the title's lines as
    fit (it went to one line at once). The cost is never given up: it stands
    whole beside the odds, or under them in as many lines as it needs."""
    ts = layout.type
    title_h = text.line_height(title_size, True)
    first = max(title_h, text.line_height(ts.body, True))  # the number's chip sets a floor
    how = text.line_height(ts.small)
    for lines, odds_size, with_how in ((title_lines, ts.large, True),
                                       (title_lines, ts.body, True),
                                       *((n, ts.body, False) for n in range(title_lines, 0, -1))):
        under = cost_lines(layout, odds, odds_size, cost, inner.width)
        used = max(first, title_h * lines) + odds_height(layout, CardRows(1, odds_size, False,
                                                                          under))
        if used + (how if with_how else 0) <= inner.height:
            return CardRows(max(1, lines), odds_size, with_how, under)
    return CardRows(1, ts.small, False, cost_lines(layout, odds, ts.small, cost, inner.width))


def odds_height(layout: Layout, rows: CardRows) -> int:
    """The height of the odds' line and the cost's lines under it (the odds' descenders are
    left room above the cost: 'umpire' ran into it)."""
    ts = layout.type
    odds_h = text.line_height(rows.odds_size, True)
    if not rows.cost_lines:
        return odds_h - ts.pad
    return odds_h + len(rows.cost_lines) * text.line_height(ts.small)


def card_title(name: str, body: int, small: int, room: pygame.Rect) -> tuple[int, tuple[str, ...]]:
    """A card's title in the room of two lines of body type: the largest size from body down to
    small at which every word stands whole in as many lines as the room holds; else small type,
    a word too long for the card broken with a hyphen ('Reconnais-' / 'sance flight'; it was
    cut to 'Reconnaissa…'). Its lines (more than fit only when even that is too long)."""
    for size in range(body, small - 1, -1):
        lines = text.wrap(name, size, room.width, True)
        whole = all(text.width(w, size, True) <= room.width for w in name.split())
        if whole and len(lines) <= max(2, room.height // text.line_height(size, True)):
            return size, lines
    return small, text.wrap_hyphen(name, small, room.width, True)


def _draw_title(surface: pygame.Surface, title: tuple[str, ...], room: int, rect: pygame.Rect,
                size: int, ink: tuple[int, int, int]) -> int:
    """The title's lines, as many as ``room``, the last ending in an ellipsis after its last
    whole word that leaves room for it if some are left over; the y under them."""
    lines = list(title[:max(1, room)])
    if len(title) > len(lines):
        last = lines[-1].removesuffix("-")
        while " " in last and text.width(f"{last} {text.ELLIPSIS}", size, True) > rect.width:
            last = last.rsplit(" ", 1)[0]
        lines[-1] = text.fit(f"{last} {text.ELLIPSIS}", size, rect.width, True)
    y = rect.y
    for line in lines:
        text.draw(surface, line, (rect.x, y), size, ink, bold=True)
        y += text.line_height(size, True)
    return y


def draw_cards(surface: pygame.Surface, view: View, layout: Layout, ui: Ui, rect: pygame.Rect,
               actors: list[str]) -> list[Hit]:
    """A page of cards for ``actors`` in ``rect``, with page arrows when they do not fit.

    Each card carries its number among all the cards (not within its page): the number key
    that chooses it, whichever page is shown."""
    ts = layout.type
    options = options_for(view, actors)
    cols, rows = grid(rect, layout)
    per_page = cols * rows
    pages = max(1, -(-len(options) // per_page))
    page = min(ui.page, pages - 1)
    hits: list[Hit] = []
    arrows_w = ts.body * 2 if pages > 1 else 0
    area = pygame.Rect(rect.x, rect.y, rect.width - arrows_w, rect.height)
    cw = (area.width - (cols - 1) * ts.pad * 2) // cols
    ch = (area.height - (rows - 1) * ts.pad * 2) // rows
    selected = ui.dialog.move if ui.dialog else ""
    for i, m in enumerate(options[page * per_page:(page + 1) * per_page]):
        r, c = divmod(i, cols)
        cr = pygame.Rect(area.x + c * (cw + ts.pad * 2), area.y + r * (ch + ts.pad * 2), cw, ch)
        draw_card(surface, cr, m, view, layout, page * per_page + i + 1, m.move == selected)
        hits.append(Hit(cr, Click.CARD, f"{m.actor}:{m.move}"))  # a greyed card says why
    if pages > 1:
        hits += _page_arrows(surface, layout, rect, page, pages)
    return hits


def _page_arrows(surface: pygame.Surface, layout: Layout, rect: pygame.Rect, page: int,
                 pages: int) -> list[Hit]:
    """▲ and ▼ at the right of the cards, and the page count ('1/3') in ink between them (it
    was drawn in white on the ▲, unreadable when that was greyed on the first page)."""
    ts = layout.type
    w = ts.body * 2 - ts.pad
    count_h = text.line_height(ts.small, True)
    arrow_h = (rect.height - count_h) // 2 - ts.pad
    up = pygame.Rect(rect.right - w, rect.y, w, arrow_h)
    down = pygame.Rect(rect.right - w, rect.bottom - arrow_h, w, arrow_h)
    hits = button(surface, up, "▲", ts.body, Hit(up, Click.PAGE, "-1"), enabled=page > 0)
    hits += button(surface, down, "▼", ts.body, Hit(down, Click.PAGE, "+1"),
                   enabled=page < pages - 1)
    text.draw(surface, f"{page + 1}/{pages}", (up.centerx, up.bottom + ts.pad), ts.small, INK,
              bold=True, align="center")
    return hits


def draw_orders_row(surface: pygame.Surface, view: View, layout: Layout, rect: pygame.Rect,
                    actors: list[str]) -> list[Hit]:
    """The actors' orders not yet revealed, each with 'Retract', and a 'Done' button each."""
    ts = layout.type
    hits: list[Hit] = []
    x = rect.x
    actor = next((a for a in actors if f"{a}: pass" in view.legal
                  or (view.viewer == CONTROL and a in view.waiting_for)), None)
    if actor is not None:  # one Done at a time: the key D is never shared
        label = "Done ✓ (D)" if view.viewer == actor else f"{_name(view, actor)} done ✓ (D)"
        done_w = min(text.width(label, ts.body, True) + ts.pad * 4, rect.width // 2)
        b = pygame.Rect(rect.right - done_w, rect.y, done_w, rect.height)
        hits += button(surface, b, label, ts.body, Hit(b, Click.DONE, actor), fill=GOOD)
        rect = pygame.Rect(rect.x, rect.y, b.x - rect.x - ts.pad, rect.height)
    secret = [o for o in view.orders if o.actor in actors and o.status == "secret"]
    if not secret:
        text.draw(surface, "No orders yet: choose a card (click it or type its number), "
                  "then Done.",
                  (x, rect.centery - ts.small // 2 - 2), ts.small, MUTED, max_width=rect.width)
        return hits
    for o in secret:
        label = f"{o.ref.rsplit('-', 1)[-1]}. {o.label or o.move_name}"
        lw = min(text.width(label, ts.small, True) + ts.pad * 2, rect.right - x - ts.body * 5)
        if lw <= ts.body * 2:
            break
        text.draw(surface, label, (x, rect.centery - ts.small // 2 - 2), ts.small, INK, bold=True,
                  max_width=lw)
        b = pygame.Rect(x + lw, rect.y + 2, ts.body * 4, rect.height - 4)
        retract = f"{o.actor}: retract order={o.ref}"
        hits += button(surface, b, "Retract", ts.small, Hit(b, Click.RETRACT, retract),
                       fill=PAPER)
        x = b.right + ts.pad * 3
    return hits


def _name(view: View, actor: str) -> str:
    a = next((a for a in view.actors if a.id == actor), None)
    return a.name if a is not None and len(a.name) <= 16 else actor


def orders_given(view: View, actor: str) -> str:
    """'orders given: 1 of 2' in an orders phase that sets a limit ('' otherwise)."""
    if not view.max_orders:
        return ""
    given = sum(1 for o in view.orders if o.actor == actor)
    return f"orders given: {given} of {view.max_orders}"


def team_dock_rects(layout: Layout) -> tuple[pygame.Rect, pygame.Rect]:
    """Where a team's cards go, and the row of its orders under them."""
    ts = layout.type
    inner = dock_inner(layout)
    row_h = round(ts.body * 1.6)
    cards = pygame.Rect(inner.x, inner.y + ts.pad, inner.width, inner.height - row_h - ts.pad * 2)
    return cards, pygame.Rect(inner.x, inner.bottom - row_h, inner.width, row_h)


def draw_team_dock(surface: pygame.Surface, view: View, layout: Layout, ui: Ui) -> list[Hit]:
    """The acting team's hand: its cards, its secret orders and 'Done'."""
    me = view.actor(view.viewer)
    parts = ["YOUR MOVES", orders_given(view, view.viewer)]
    parts += [f"{r.name}: {r.value}" for r in me.resources or ()]
    title = "  ·  ".join(p for p in parts if p)
    draw_dock_frame(surface, layout, title, hex_colour(me.color))
    cards, row = team_dock_rects(layout)
    hits = draw_cards(surface, view, layout, ui, cards, [view.viewer])
    return hits + draw_orders_row(surface, view, layout, row, [view.viewer])
