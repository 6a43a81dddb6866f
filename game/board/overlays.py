"""What goes on top of the board: hand-off, dialogs, pop-ups, explanations, the log, help,
and the adjudication show's dice and banners."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game import present as P
from game.board import text
from game.board.anim import Beat, BeatKind
from game.board.layout import Layout, Mode
from game.board.theme import (
    CHROME,
    DANGER,
    GOOD,
    HIGHLIGHT,
    INK,
    MUTED,
    PANEL,
    PAPER,
    SHADE,
    Colour,
    ink_on,
)
from game.board.ui import Dialog, DialogKind, Popup, missing
from game.board.widgets import Click, Hit, button, panel, veil
from game.engine.state import OrderRoll
from game.engine.views import MoveOption, TrackView, View
from game.engine.wording import AS_FAR_AS_YOU_KNOW
from game.present import cost as cost_words
from game.present import now_and_span, order_title


def modal(surface: pygame.Surface, layout: Layout, w: float, h: float,
          edge: Colour = INK) -> pygame.Rect:
    """Veil the board and draw a centred paper box of ``w``×``h`` (fractions of the screen)."""
    veil(surface, SHADE)
    box = modal_rect(layout, w, h)
    panel(surface, box, fill=PAPER, edge=edge, radius=14, width=6)
    return box


def modal_rect(layout: Layout, w: float, h: float) -> pygame.Rect:
    """The centred box of ``w``×``h`` (fractions of the screen) that :func:`modal` draws."""
    sw, sh = layout.size
    box = pygame.Rect(0, 0, round(sw * w), round(sh * h))
    box.center = (sw // 2, sh // 2)
    return box


DIALOG_SIZE = (0.78, 0.84)
"""A dialog's box, as fractions of the screen."""


def draw_handoff(surface: pygame.Surface, layout: Layout, who: str, colour: Colour,
                 line: str, hint: str = "", ready: bool = True, umpire: bool = False
                 ) -> list[Hit]:
    """A full screen in the next team's colour that shows nothing secret. Only its button (or
    O) opens the team's screen: Space and Enter, which close pop-ups, do not."""
    surface.fill(CHROME)
    sw, sh = layout.size
    ts = layout.type
    band = pygame.Rect(0, sh // 4, sw, sh // 2)
    pygame.draw.rect(surface, colour, band)
    ink = ink_on(colour)
    text.draw(surface, "PASS THE BOARD TO", (sw // 2, band.y + ts.pad * 3), ts.large, ink,
              bold=True, align="center")
    name = handoff_name_rect(layout)
    size, lines = text.fit_lines(who, (ts.huge, ts.title, ts.large), name.width, name.height,
                                 bold=True)
    lh = text.line_height(size, True)
    y = name.centery - lh * len(lines) // 2
    for part in lines:
        text.draw(surface, part, (sw // 2, y), size, ink, bold=True, align="center")
        y += lh
    text.draw(surface, "Everyone else, please look away.", (sw // 2, band.bottom - ts.body * 2),
              ts.body, ink, align="center")
    size, (top,) = text.fit_lines(line, (ts.large, ts.body), sw - ts.pad * 8,
                                  text.line_height(ts.large, True), bold=True)
    text.draw(surface, top, (sw // 2, ts.large), size, PAPER, bold=True, align="center",
              max_width=sw - ts.pad * 8)
    label = ("I am ready: open the umpire's screen (O)" if umpire
             else "We are ready: open our screen (O)")
    bw = min(sw - ts.pad * 8, text.width(label, ts.large, True) + ts.pad * 8)
    bh = round(ts.large * 1.8)
    b = pygame.Rect(0, 0, bw, bh)
    b.center = (sw // 2, band.bottom + (sh - band.bottom) // 2)
    button(surface, b, label, ts.large, None, fill=HIGHLIGHT, enabled=ready)
    hits = [Hit(b, Click.HANDOFF)]  # greyed for a moment: a click then is swallowed
    if hint:
        text.draw(surface, hint, (sw // 2, sh - ts.body - ts.pad * 2), ts.body, PAPER,
                  align="center", max_width=sw - ts.pad * 8)
    return hits


def handoff_name_rect(layout: Layout) -> pygame.Rect:
    """Where the hand-off screen writes the next seat's name: across the coloured band, between
    'PASS THE BOARD TO' and 'Everyone else, please look away.' (a long name is wrapped, or set
    smaller, never cut: 'DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA')."""
    sw, sh = layout.size
    ts = layout.type
    band = pygame.Rect(0, sh // 4, sw, sh // 2)
    top = band.y + ts.pad * 3 + text.line_height(ts.large, True)
    bottom = band.bottom - ts.body * 2 - ts.pad
    return pygame.Rect(ts.pad * 4, top, sw - ts.pad * 8, bottom - top)


def _field(surface: pygame.Surface, rect: pygame.Rect, label: str, value: str, size: int,
           focused: bool, name: str, label_size: int) -> list[Hit]:
    text.draw(surface, label, (rect.x, rect.y - label_size - 8), label_size, MUTED, bold=True,
              max_width=rect.width)
    pygame.draw.rect(surface, (255, 255, 255), rect, border_radius=6)
    pygame.draw.rect(surface, HIGHLIGHT if focused else INK, rect, 5 if focused else 2,
                     border_radius=6)
    shown = value + ("▏" if focused else "")
    room = rect.width - 16
    while shown and text.width(shown, size) > room:
        shown = shown[1:]
    text.draw(surface, shown, (rect.x + 8, rect.centery - size // 2 - 3), size, INK)
    return [Hit(rect, Click.FIELD, name)]


@dataclass(frozen=True)
class DialogGeometry:
    """Where each part of a dialog goes, all inside ``box`` (pure: rectangles only). From the
    bottom up: the buttons, the error line above them (clear of them), the text field(s) with
    their labels, and the choices in what is left."""

    box: pygame.Rect
    ok: pygame.Rect
    cancel: pygame.Rect
    error: pygame.Rect
    reason: pygame.Rect
    value: pygame.Rect | None
    """The adjust dialog's 'New value' box, on the reason's row."""
    choices: pygame.Rect
    """The room for the choices, below the title and blurb."""


def dialog_geometry(layout: Layout, box: pygame.Rect, kind: DialogKind, top: int,
                    ok_label: str) -> DialogGeometry:
    ts = layout.type
    x, right = box.x + ts.pad * 4, box.right - ts.pad * 4
    bh = round(ts.body * 1.7)
    bw = text.width(ok_label, ts.body, True) + ts.pad * 6
    cw = text.width("Cancel (Esc)", ts.body, True) + ts.pad * 6
    by = box.bottom - bh - ts.pad * 3
    ok = pygame.Rect(right - bw, by, bw, bh)
    cancel = pygame.Rect(ok.x - cw - ts.pad * 3, by, cw, bh)
    err_h = text.line_height(ts.small, True) * 2
    error = pygame.Rect(x, by - ts.pad - err_h, right - x, err_h)
    fh = round(ts.body * 1.6)
    field_y = error.y - ts.pad - fh
    value = None
    reason_x = x
    if kind is DialogKind.ADJUST:
        vw = max(text.width("New value", ts.small, True), (right - x) // 3)  # and its unit
        value = pygame.Rect(x, field_y, vw, fh)
        reason_x = value.right + ts.pad * 4
    reason = pygame.Rect(reason_x, field_y, right - reason_x, fh)
    label_top = field_y - ts.small - 8
    choices = pygame.Rect(x, top, right - x, max(0, label_top - ts.pad * 2 - top))
    return DialogGeometry(box, ok, cancel, error, reason, value, choices)


def choice_grid(layout: Layout, area: pygame.Rect, count: int, page: int
                ) -> tuple[list[pygame.Rect], int, int]:
    """A page of ``count`` equal buttons in columns within ``area`` (below one line for the
    question): their rects, the index of the first, and the number of pages."""
    ts = layout.type
    bh = round(ts.small * 1.6)
    cols = max(2, min(3, area.width // (ts.small * 16)))  # names stay readable
    gap = ts.pad * 2
    cw = (area.width - gap * (cols - 1)) // cols
    top = area.y + text.line_height(ts.small, True) + ts.pad
    rows = max(1, (area.bottom - top + ts.pad) // (bh + ts.pad))
    per_page = rows * cols
    pages = max(1, -(-count // per_page))
    page = min(max(0, page), pages - 1)
    first = page * per_page
    rects = []
    for i in range(min(per_page, count - first)):
        r, c = divmod(i, cols)
        rects.append(pygame.Rect(area.x + c * (cw + gap), top + r * (bh + ts.pad), cw, bh))
    return rects, first, pages


def _choice_rows(surface: pygame.Surface, layout: Layout, d: Dialog, area: pygame.Rect
                 ) -> list[Hit]:
    """Each question and its values as buttons; when they do not fit in ``area`` (the adjust
    dialog's tracks), a grid of smaller buttons a page at a time (PgUp / PgDn)."""
    ts = layout.type
    hits: list[Hit] = []
    x, right, y = area.x, area.right, area.y
    for n, (pid, question, values) in enumerate(d.choices):
        flow = _flow(layout, values, pygame.Rect(x, y + ts.small + ts.pad * 2, right - x, 0))
        size = ts.body
        more = ""
        if n == len(d.choices) - 1 and flow and flow[-1].bottom > area.bottom:
            flow, first, pages = choice_grid(layout, pygame.Rect(x, y, right - x,
                                                                 area.bottom - y),
                                             len(values), d.page)
            d.page = first // max(1, len(flow)) if pages > 1 else 0
            values = values[first:first + len(flow)]
            size = ts.small
            more = f"page {d.page + 1} of {pages}  ·  PgUp / PgDn" if pages > 1 else ""
        more_w = text.width(more, ts.small, True) + ts.pad * 2 if more else 0
        chosen_name = dict(d.choices[n][2]).get(d.params.get(pid, ""), "")
        if chosen_name and more:  # the choice may be on another page: say what it is
            question = f"{question}: {chosen_name}"
        text.draw(surface, question, (x, y), ts.small, MUTED, bold=True,
                  max_width=right - x - more_w)
        if more:
            text.draw(surface, more, (right, y), ts.small, INK, bold=True, align="right")
        for r, (v, name) in zip(flow, values, strict=True):
            chosen = d.params.get(pid) == v
            hits += button(surface, r, name, size, Hit(r, Click.PARAM, f"{pid}={v}"),
                           fill=HIGHLIGHT if chosen else PANEL, selected=chosen)
        y = (flow[-1].bottom if flow else y + ts.small + ts.pad * 2) + ts.pad * 3
    return hits


def _flow(layout: Layout, values: tuple[tuple[str, str], ...], start: pygame.Rect
          ) -> list[pygame.Rect]:
    """Buttons for ``values`` left to right from ``start``, wrapping at its right edge."""
    ts = layout.type
    bh = round(ts.body * 1.5)
    bx, y = start.x, start.y
    out = []
    for _v, name in values:
        w = min(text.width(name, ts.body, True) + ts.pad * 4, start.width)
        if bx + w > start.right:
            bx, y = start.x, y + bh + ts.pad
        out.append(pygame.Rect(bx, y, w, bh))
        bx += w + ts.pad
    return out


def dialog_title(d: Dialog, view: View) -> tuple[str, str]:
    if d.kind is DialogKind.MOVE:
        m = next((m for m in view.moves if m.actor == d.actor and m.move == d.move), None)
        return (m.name, m.text) if m else (d.move, "")
    if d.kind is DialogKind.OVERRIDE:
        o = next((o for o in view.orders if o.ref == d.params.get("order")), None)
        if o is None:
            return f"Override order {d.params.get('order', '?')}", ""
        now = dict(o.outcomes).get(o.outcome or "", o.outcome or "undecided")
        roll = f" ({roll_text(o.roll)})" if o.roll else ""
        return f"Override {order_title(o)}", \
            f"Now: {now}{roll}. Choose the outcome to impose and give the reason (it goes " \
            "in the record)."
    if d.kind is DialogKind.END:
        return "End the game now?", "The end-of-game objectives are scored and the game is " \
            "over. Give the reason (it goes in the record)."
    t = adjusted_track(d, view)
    if t is None:
        return "Adjust a track", "Choose a track, type its new value and the reason for the " \
            "record."
    return "Adjust a track", f"{t.name}: {now_and_span(t)}. Type its new value and the " \
        "reason for the record (or choose another track)."


def adjusted_track(d: Dialog, view: View) -> TrackView | None:
    """The track an adjust dialog has chosen (None before a choice, or for another dialog)."""
    if d.kind is not DialogKind.ADJUST:
        return None
    return next((t for t in view.tracks if t.id == d.params.get("track")), None)


def value_label(t: TrackView | None) -> str:
    """The adjust dialog's value box, with the track's unit: 'New value (thousand)'."""
    if t is not None and t.is_flag:
        return "New value (1 yes, 0 no)"
    return f"New value ({t.unit})" if t is not None and t.unit else "New value"


def roll_text(roll: OrderRoll | None) -> str:
    """'rolled 2+5 +1 = 8 vs 8' (dice), 'drawn 41% vs 60%' (estimates), or ''.

    >>> roll_text(OrderRoll((2, 5), ((1, "intel"),), 8, 8, 0.58))
    'rolled 2+5 +1 = 8 vs 8'
    """
    said = P.roll_text(roll)
    return said if not said or said.startswith("drawn ") else f"rolled {said}"


def move_facts(d: Dialog, view: View) -> list[str]:
    """Cost, odds, modifiers and conditions of the move a dialog is about (nothing for umpire
    powers)."""
    if d.kind is not DialogKind.MOVE:
        return []
    m = next((m for m in view.moves if m.actor == d.actor and m.move == d.move), None)
    if m is None:
        return []
    actor = next((a for a in view.actors if a.id == d.actor), None)
    cost = cost_words(m, {r.id: r.name for r in actor.resources or ()} if actor else {})
    facts = [f"Cost: {cost}   ·   {chance(m)}"]
    facts += [f"{v:+d}: {why}" for v, why in m.modifiers]
    facts += [f"Needs {need}" for need in m.needs]  # whole here when the card counts them
    return facts


def chance(m: MoveOption) -> str:
    """A move's odds as the cards and menus say them (present.odds_text), with how it is
    decided: '58% to succeed (dice)', '58% to succeed as far as you know (argument)',
    'certain', 'umpire decides'."""
    how = P.ADJUDICATION_WORDS.get(m.adjudication, m.adjudication)
    if m.odds is None or P.odds_text(m) == how:
        return P.odds_text(m)
    unseen = f" {AS_FAR_AS_YOU_KNOW}" if m.unseen_factors else ""
    return f"{P.odds(m.odds)} to succeed{unseen} ({how})"


def draw_dialog(surface: pygame.Surface, view: View, layout: Layout, d: Dialog) -> list[Hit]:
    """Parameters, text boxes, and Submit/Cancel for a move or an umpire power."""
    ts = layout.type
    box = modal(surface, layout, *DIALOG_SIZE, HIGHLIGHT)
    x, right = box.x + ts.pad * 4, box.right - ts.pad * 4
    title, blurb = dialog_title(d, view)
    text.draw(surface, title, (x, box.y + ts.pad * 3), ts.large, INK, bold=True,
              max_width=right - x)
    y = box.y + ts.pad * 4 + ts.large + ts.pad
    ok_label = "End game (Enter)" if d.kind is DialogKind.END else "Submit (Enter)"
    facts = move_facts(d, view)
    # the blurb takes the room the facts and the choices (a few rows) leave above the fields
    line = text.line_height(ts.body)
    bottom = dialog_geometry(layout, box, d.kind, y, ok_label).choices.bottom
    keep = line * len(facts) + (round(ts.body * 1.5) + ts.pad) * 3 * bool(d.choices)
    lines = max(2, min(8, (bottom - y - keep - ts.pad * 4) // line))
    y = text.draw_block(surface, blurb, pygame.Rect(x, y, right - x, line * lines), ts.body,
                        INK, max_lines=lines) + ts.pad
    for fact in facts:
        y = text.draw_block(surface, fact, pygame.Rect(x, y, right - x, ts.body * 2), ts.body,
                            MUTED, max_lines=1)
    y += ts.pad * 3
    g = dialog_geometry(layout, box, d.kind, y, ok_label)
    hits = _choice_rows(surface, layout, d, g.choices)
    if g.value is not None:
        hits += _field(surface, g.value, value_label(adjusted_track(d, view)), d.value, ts.body,
                       d.field == "value",
                       "value", ts.small)
    label = "Rationale (optional, goes in the record)" if d.kind is DialogKind.MOVE else \
        "Reason (required, goes in the record)"
    hits += _field(surface, g.reason, label, d.text, ts.body, d.field == "text", "text",
                   ts.small)
    return hits + _dialog_buttons(surface, layout, g, d, ok_label)


def _dialog_buttons(surface: pygame.Surface, layout: Layout, g: DialogGeometry, d: Dialog,
                    label: str) -> list[Hit]:
    ts = layout.type
    hits = button(surface, g.ok, label, ts.body, Hit(g.ok, Click.SUBMIT), fill=GOOD,
                  enabled=d.complete())
    hits += button(surface, g.cancel, "Cancel (Esc)", ts.body, Hit(g.cancel, Click.CANCEL),
                   fill=PANEL)
    if d.error:
        text.draw_block(surface, d.error, g.error, ts.small, DANGER, bold=True, max_lines=2)
    elif wanted := missing(d):
        text.draw_block(surface, wanted, g.error, ts.small, MUTED, bold=True, max_lines=2)
    return hits


def draw_explain(surface: pygame.Surface, layout: Layout, title: str, lines: tuple[str, ...]
                 ) -> list[Hit]:
    """'Why?': the chain of causes of a change, newest first, back to the rule."""
    ts = layout.type
    box = modal(surface, layout, 0.8, 0.8)
    x, w = box.x + ts.pad * 4, box.width - ts.pad * 8
    text.draw(surface, "WHY? " + title, (x, box.y + ts.pad * 3), ts.large, INK, bold=True,
              max_width=w)
    y = box.y + ts.pad * 5 + ts.large
    for i, line in enumerate(lines):
        marker = "•" if i else "▶"
        colour = MUTED if line.startswith("Rule:") else INK
        rect = pygame.Rect(x + ts.body, y, w - ts.body, box.bottom - y - ts.body * 3)
        if rect.height < ts.body:
            break
        text.draw(surface, marker, (x, y), ts.body, colour)
        y = text.draw_block(surface, line, rect, ts.body, colour, max_lines=3) + ts.pad
    return close_button(surface, layout, box)


def close_button(surface: pygame.Surface, layout: Layout, box: pygame.Rect,
                  label: str = "Close (Esc)") -> list[Hit]:
    ts = layout.type
    bw = text.width(label, ts.body, True) + ts.pad * 6
    bh = round(ts.body * 1.7)
    r = pygame.Rect(box.right - bw - ts.pad * 4, box.bottom - bh - ts.pad * 3, bw, bh)
    return [Hit(box, Click.CANCEL)] + button(surface, r, label, ts.body,
                                             Hit(r, Click.CONTINUE), fill=PANEL)


POPUP_MORE = "popup+1"
"""The argument of a pop-up's 'More' button (Space and PgDn turn its page too)."""


@dataclass(frozen=True)
class PopupText:
    """How a pop-up's text is laid out in its box: the title's size and lines (in the band),
    the body's size and its lines page by page."""

    title_size: int
    title: tuple[str, ...]
    body_size: int
    pages: tuple[tuple[str, ...], ...]


def popup_text(layout: Layout, box: pygame.Rect, p: Popup) -> PopupText:
    """The title whole in title type, else large type on up to two lines; the body whole in
    large type, else in body type, else in body type a page at a time (an event's text was cut
    with '…' where the box ended)."""
    ts = layout.type
    title_w = box.width - ts.pad * 6
    tsize, title = text.fit_lines(p.title, (ts.title, ts.large, ts.body), title_w,
                                  2 * text.line_height(ts.large, True), bold=True)
    body = popup_body_rect(layout, box, tsize, len(title))
    for size in (ts.large, ts.body):
        lines = text.wrap(p.body.strip(), size, body.width)
        whole = all(text.width(w, size) <= body.width for w in p.body.split())
        if whole and len(lines) * text.line_height(size) <= body.height:
            return PopupText(tsize, title, size, (lines,))
    room = max(1, body.height // text.line_height(ts.body))
    lines = text.wrap_hyphen(p.body.strip(), ts.body, body.width)  # a word too long: broken
    pages = tuple(lines[i:i + room] for i in range(0, len(lines), room)) or ((),)
    return PopupText(tsize, title, ts.body, pages)


def popup_band(layout: Layout, box: pygame.Rect, title_size: int, title_lines: int
               ) -> pygame.Rect:
    ts = layout.type
    h = text.line_height(title_size, True) * title_lines + ts.pad * 3
    return pygame.Rect(box.x, box.y, box.width, h)


def popup_body_rect(layout: Layout, box: pygame.Rect, title_size: int, title_lines: int
                    ) -> pygame.Rect:
    """Where a pop-up's text goes: under its band, above its buttons."""
    ts = layout.type
    band = popup_band(layout, box, title_size, title_lines)
    top = band.bottom + ts.pad * 3
    bottom = box.bottom - round(ts.body * 1.7) - ts.pad * 5
    return pygame.Rect(box.x + ts.pad * 5, top, box.width - ts.pad * 10, bottom - top)


def draw_popup(surface: pygame.Surface, layout: Layout, p: Popup) -> list[Hit]:
    """An inject or event card in the middle of the board, its text whole: in smaller type
    when it needs, a page at a time when it needs more ('page 1 of 2', and 'More ▶ (Space)'
    where 'Continue' stands until the last page)."""
    ts = layout.type
    box = modal(surface, layout, 0.7, 0.66, p.colour)
    laid = popup_text(layout, box, p)
    band = popup_band(layout, box, laid.title_size, len(laid.title))
    pygame.draw.rect(surface, p.colour, band, border_top_left_radius=14,
                     border_top_right_radius=14)
    lh = text.line_height(laid.title_size, True)
    for i, line in enumerate(laid.title):
        text.draw(surface, line, (band.centerx, band.y + ts.pad * 2 + i * lh), laid.title_size,
                  ink_on(p.colour), bold=True, align="center")
    body = popup_body_rect(layout, box, laid.title_size, len(laid.title))
    page = min(max(0, p.page), len(laid.pages) - 1)
    y = body.y
    for line in laid.pages[page]:
        text.draw(surface, line, (body.x, y), laid.body_size, INK)
        y += text.line_height(laid.body_size)
    last = page == len(laid.pages) - 1
    if last:
        hits = close_button(surface, layout, box, "Continue (Space)")
    else:
        hits = [Hit(box, Click.CANCEL)] + _popup_more(surface, layout, box)
    left = box.x + ts.pad * 4
    if p.seq >= 0:
        bw = text.width("Why? (W)", ts.body, True) + ts.pad * 6
        bh = round(ts.body * 1.7)
        r = pygame.Rect(left, box.bottom - bh - ts.pad * 3, bw, bh)
        hits += button(surface, r, "Why? (W)", ts.body, Hit(r, Click.LOG, str(p.seq)),
                       fill=PANEL)
        left = r.right
    if len(laid.pages) > 1:  # between the buttons
        right = hits[1].rect.left
        count = f"page {page + 1} of {len(laid.pages)}"
        if text.width(count, ts.body, True) > right - left - ts.pad * 2:
            count = f"{page + 1}/{len(laid.pages)}"
        text.draw(surface, count, ((left + right) // 2, hits[1].rect.centery - ts.body * 2 // 3),
                  ts.body, MUTED, bold=True, align="center")
    return hits


def _popup_more(surface: pygame.Surface, layout: Layout, box: pygame.Rect) -> list[Hit]:
    """'More ▶ (Space)' where the pop-up's Continue button stands."""
    ts = layout.type
    label = "More ▶ (Space)"
    bw = text.width(label, ts.body, True) + ts.pad * 6
    bh = round(ts.body * 1.7)
    r = pygame.Rect(box.right - bw - ts.pad * 4, box.bottom - bh - ts.pad * 3, bw, bh)
    return button(surface, r, label, ts.body, Hit(r, Click.PAGE, POPUP_MORE), fill=HIGHLIGHT)


def draw_log(surface: pygame.Surface, view: View, layout: Layout, scroll: int) -> list[Hit]:
    """The whole log the viewer may see, newest at the bottom; click a line to explain it."""
    ts = layout.type
    box = modal(surface, layout, 0.9, 0.9)
    x, w = box.x + ts.pad * 4, box.width - ts.pad * 8
    text.draw(surface, "LOG  —  click a line to see why it happened  (↑/↓ scroll, Esc close)",
              (x, box.y + ts.pad * 3), ts.body, INK, bold=True, max_width=w)
    lh = text.line_height(ts.small) + 2
    top = box.y + ts.pad * 5 + ts.body
    rows = max(1, (box.bottom - top - ts.body * 3) // lh)
    lines = list(view.log)
    end = max(0, len(lines) - scroll)
    hits: list[Hit] = [Hit(box, Click.CANCEL)]
    for i, line in enumerate(lines[max(0, end - rows):end]):
        y = top + i * lh
        label = f"T{line.turn}  {line.text}"
        r = text.draw(surface, label, (x, y), ts.small, INK if line.cause >= 0 else MUTED,
                      max_width=w)
        hits.append(Hit(pygame.Rect(x, y, w, lh), Click.LOG, str(line.seq)))
        del r
    return hits + close_button(surface, layout, box)


HELP_KEYS: dict[Mode, tuple[tuple[str, str], ...]] = {
    Mode.TEAM: (("1, 2 … 10", "choose the card with that number"), ("PgUp / PgDn", "more cards"),
                ("Enter", "submit the move"), ("Esc", "cancel / close"),
                ("D", "done: end your orders"), ("R", "retract your last order")),
    Mode.UMPIRE: (("A", "advance (in the review: apply the results)"),
                  ("PgUp / PgDn", "more results to review"),
                  ("J", "adjust a track (with a reason)"),
                  ("U", "undo the last resolution"), ("P", "pause / resume"),
                  ("E", "end the game now (with a reason)"),
                  ("1, 2 …", "the control actors' card with that number"),
                  ("D", "the control actor named on Done passes")),
    Mode.WATCH: (),
}
COMMON_KEYS = (("T", "more gauges (next theme)"), ("L", "the log (click a line: why?)"),
               ("W", "why? for the latest line"),
               ("Space", "continue / skip the animation"),
               ("O", "on the hand-off screen: open the next team's screen"),
               ("F11", "full screen"),
               ("Ctrl+S", "save the game (it also saves itself after every turn)"),
               ("Ctrl+Q twice", "save and quit (closing the window asks the same)"),
               ("B", "your briefing and objectives"),
               ("F9", "call the umpire to the screen (again: hand it back)"),
               ("H or F1", "this help"))


def draw_help(surface: pygame.Surface, layout: Layout) -> list[Hit]:
    ts = layout.type
    box = modal(surface, layout, 0.7, 0.86)
    x = box.x + ts.pad * 5
    text.draw(surface, "KEYBOARD", (x, box.y + ts.pad * 3), ts.large, INK, bold=True)
    top = box.y + ts.pad * 5 + ts.large
    rows = (*HELP_KEYS[layout.mode], *COMMON_KEYS)
    room = box.bottom - ts.body * 3 - top
    # the largest type, in one column or two, at which every key shows
    tiny = round(ts.small * 0.85)
    size, cols = next(((s, c) for s, c in ((ts.body, 1), (ts.small, 1), (tiny, 1), (ts.small, 2))
                       if -(-len(rows) // c) * (text.line_height(s) + 2) <= room), (tiny, 2))
    lh = text.line_height(size) + 2
    per_col = -(-len(rows) // cols)
    col_w = (box.right - ts.pad * 5 - x) // cols
    key_w = max(text.width(k, size, True) for k, _ in rows) + ts.pad * 3
    for i, (key, what) in enumerate(rows):
        cx, y = x + (i // per_col) * col_w, top + (i % per_col) * lh
        text.draw(surface, key, (cx, y), size, INK, bold=True, max_width=key_w)
        text.draw(surface, what, (cx + key_w, y), size, INK, max_width=col_w - key_w - ts.pad * 2)
    return close_button(surface, layout, box)


def draw_flash(surface: pygame.Surface, layout: Layout, message: str,
               colour: Colour = DANGER, *, above: pygame.Rect | None = None) -> list[Hit]:
    """A refused action's reason in a red strip (a hint: in yellow), standing on ``above``
    across its width: by default the dock, so that the strip lies over the map's foot and
    never over the buttons it speaks of (the umpire's Advance and Adjust, a team's Done)."""
    ts = layout.type
    base = above if above is not None else layout.dock
    lines = flash_lines(layout, message, base.width)
    lh = text.line_height(ts.body, True)
    r = flash_rect(layout, len(lines), base)
    pygame.draw.rect(surface, colour, r)
    for i, line in enumerate(lines):
        text.draw(surface, line, (r.x + ts.pad * 4, r.y + ts.pad + i * lh), ts.body,
                  ink_on(colour), bold=True)
    return [Hit(r, Click.CANCEL)]


FLASH_LINES = 3


def flash_lines(layout: Layout, message: str, width: int) -> list[str]:
    """The flash message wrapped to a strip ``width`` wide (at most FLASH_LINES lines, the
    last one cut with an ellipsis if the message is longer)."""
    ts = layout.type
    room = width - ts.pad * 8
    lines = list(text.wrap(message, ts.body, room, True))
    if len(lines) > FLASH_LINES:
        lines = lines[:FLASH_LINES]
        lines[-1] = text.fit(lines[-1] + " " + text.ELLIPSIS, ts.body, room, True)
    return lines


def flash_rect(layout: Layout, lines: int, above: pygame.Rect) -> pygame.Rect:
    """The flash strip of ``lines`` lines standing on ``above``, as wide as it."""
    ts = layout.type
    h = lines * text.line_height(ts.body, True) + ts.pad * 2
    return pygame.Rect(above.x, above.y - h, above.width, h)


def _pips(n: int) -> list[tuple[float, float]]:
    table = {1: [(.5, .5)], 2: [(.25, .25), (.75, .75)], 3: [(.25, .25), (.5, .5), (.75, .75)],
             4: [(.25, .25), (.75, .25), (.25, .75), (.75, .75)],
             5: [(.25, .25), (.75, .25), (.5, .5), (.25, .75), (.75, .75)],
             6: [(.25, .22), (.75, .22), (.25, .5), (.75, .5), (.25, .78), (.75, .78)]}
    return table.get(n, [])


def draw_die(surface: pygame.Surface, rect: pygame.Rect, face: int, angle: float = 0.0) -> None:
    """A die showing ``face`` (pips for 1-6, the number otherwise), tilted by ``angle``."""
    die = pygame.Surface(rect.size, pygame.SRCALPHA)
    r = die.get_rect()
    pygame.draw.rect(die, PAPER, r, border_radius=r.width // 6)
    pygame.draw.rect(die, INK, r, max(3, r.width // 20), border_radius=r.width // 6)
    pips = _pips(face)
    if pips:
        for px, py in pips:
            pygame.draw.circle(die, INK, (round(px * r.width), round(py * r.height)),
                               max(3, r.width // 10))
    else:
        size = r.height // 2
        img = text.render(str(face), size, INK, True)
        die.blit(img, img.get_rect(center=r.center))
    if angle:
        die = pygame.transform.rotate(die, angle)
    surface.blit(die, die.get_rect(center=rect.center))


def draw_beat(surface: pygame.Surface, layout: Layout, beat: Beat, progress: float) -> list[Hit]:
    """One beat of the adjudication show, drawn over the map. A click on it skips to the next
    beat; a click anywhere else acts on what is there (the show ends first)."""
    ts = layout.type
    area = layout.map
    if beat.kind is BeatKind.BANNER:
        return _banner(surface, layout, beat, progress)
    box = pygame.Rect(0, 0, round(area.width * 0.8), round(area.height * 0.8))
    box.center = area.center
    panel(surface, box, fill=PAPER, edge=INK, radius=14, width=5)
    y = box.y + ts.pad * 2
    for line, size in beat_title(layout, box, beat):
        text.draw(surface, line, (box.centerx, y), size, INK, bold=True, align="center")
        y += text.line_height(size, True)
    settled = progress >= 0.6
    n = max(1, len(beat.dice))
    bottom = box.bottom - ts.pad * 4 - max(ts.title, 2 * text.line_height(ts.large, True))
    side = max(ts.body, min(box.height // 2, (box.width - ts.pad * 8) // (n + 1),
                            bottom - y - ts.pad * 2))
    for i, face in enumerate(beat.dice):
        cx = box.centerx + round((i - (n - 1) / 2) * side * 1.3)
        r = pygame.Rect(0, 0, side, side)
        r.center = (cx, (y + bottom) // 2)
        if settled:
            draw_die(surface, r, face)
        else:
            tumble = int(progress * 30) + i * 7
            draw_die(surface, r, tumble % 6 + 1, math.sin(progress * 25 + i) * 25)
    if settled:
        _verdict(surface, layout, box, beat)
    return [Hit(box, Click.CONTINUE)]  # the dock and the rest stay live under the show


def beat_title(layout: Layout, box: pygame.Rect, beat: Beat) -> list[tuple[str, int]]:
    """The dice card's title (who orders what) whole: in large type on up to two lines, else
    body or small type on up to three, each with its size (it was cut to 'European Union — Push
    NATO-IP…')."""
    ts = layout.type
    title = beat.text.split(":")[0]
    room = max(2 * text.line_height(ts.large, True), 3 * text.line_height(ts.body, True))
    size, lines = text.fit_lines(title, (ts.large, ts.body, ts.small), box.width - ts.pad * 4,
                                 room, bold=True)
    return [(line, size) for line in lines]


def _verdict(surface: pygame.Surface, layout: Layout, box: pygame.Rect, beat: Beat) -> None:
    """What the dice came to, at the box's foot: in title type when it fits on a line, else
    (an overridden outcome) in large type on up to two lines."""
    ts = layout.type
    room = box.width - ts.pad * 6
    line = beat.verdict or f"{beat.total} vs {beat.target}"
    if text.width(line, ts.title, True) <= room:
        text.draw(surface, line, (box.centerx, box.bottom - ts.title - ts.pad * 3), ts.title,
                  beat.colour, bold=True, align="center")
        return
    lines = text.wrap(line, ts.large, room, True)[:2]
    step = text.line_height(ts.large, True)
    y = box.bottom - ts.pad * 3 - step * len(lines)
    for part in lines:
        text.draw(surface, part, (box.centerx, y), ts.large, beat.colour, bold=True,
                  align="center", max_width=room)
        y += step


def _banner(surface: pygame.Surface, layout: Layout, beat: Beat, progress: float) -> list[Hit]:
    ts = layout.type
    area = layout.map
    lines = text.wrap(beat.text, ts.large, area.width - ts.pad * 12, True)[:4]
    h = len(lines) * text.line_height(ts.large, True) + ts.pad * 6
    slide = min(1.0, progress * 5)
    box = pygame.Rect(area.x + ts.pad * 3, 0, area.width - ts.pad * 6, h)
    box.centery = round(area.bottom - (area.height / 2) * slide)
    panel(surface, box, fill=PAPER, edge=beat.colour if beat.colour != INK else INK, radius=12,
          width=6)
    y = box.y + ts.pad * 3
    for line in lines:
        text.draw(surface, line, (box.centerx, y), ts.large, INK, bold=True, align="center")
        y += text.line_height(ts.large, True)
    return [Hit(box, Click.CONTINUE)]


def draw_paused(surface: pygame.Surface, layout: Layout, *, umpire: bool) -> list[Hit]:
    """The paused board: a neutral screen over everything (no track, order or secret stays on
    the projector), and for the umpire the one way on: Resume."""
    ts = layout.type
    surface.fill(CHROME)
    cx, cy = layout.screen.center
    text.draw(surface, "PAUSED", (cx, cy - ts.title * 2), ts.title, HIGHLIGHT, bold=True,
              align="center")
    text.draw(surface, "The umpire has paused the game.", (cx, cy - ts.title // 2), ts.large,
              PAPER, align="center")
    if not umpire:
        return []
    r = pygame.Rect(0, 0, max(ts.large * 10, 240), ts.large * 2 + ts.pad * 2)
    r.midtop = (cx, cy + ts.title)
    return button(surface, r, "Resume (P)", ts.large, Hit(r, Click.PAUSE), fill=HIGHLIGHT)

