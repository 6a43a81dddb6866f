"""The umpire's dock: injects to release, hold or skip; orders to rule on or override;
the control actors' moves in an orders phase; advance, adjust, undo, pause and end the game.

Every button is built from the umpire view's legal actions (``view.legal``), the one source
of truth for what may be done; override, adjust and 'End game…' (which ``legal`` does not
list: it needs a free-text reason) open a dialog that asks for a reason.
"""

from __future__ import annotations

import pygame

from game import present as P
from game.board import text
from game.board.cards import draw_cards, draw_orders_row
from game.board.layout import Layout
from game.board.overlays import roll_text
from game.board.panels import dock_inner, draw_dock_frame
from game.board.theme import GOOD, INK, MUTED, ORANGE, PAPER, SKY, YELLOW
from game.board.ui import Ui
from game.board.widgets import Click, Hit, button
from game.engine.actions import Action
from game.engine.views import InjectView, OrderView, View
from game.present import order_result, order_title, outcome_name

ADVANCE = "control: advance"


def control_actors_to_move(view: View) -> list[str]:
    """Control-cell actors the phase waits for (the umpire gives their orders)."""
    movers = {m.actor for m in view.moves}
    return [a for a in view.waiting_for if a in movers]


def is_review(view: View) -> bool:
    """Do the adjudication's rolls and rulings wait for the umpire to apply them? (The
    umpire may override an outcome first.)"""
    return view.phase_kind == "adjudication" and ADVANCE in view.legal


def dock_title(view: View) -> str:
    """What the umpire is doing now (the yellow dock and the UMPIRE badge say whose it is, so
    the title leaves room for 'End game…' beside it)."""
    if is_review(view):
        return "REVIEW THE RESULTS  ·  nothing is applied yet"
    names = {a.id: a.name for a in view.actors}
    waiting = ", ".join(names.get(w, "the umpire") for w in view.waiting_for) or "nobody"
    return f"{view.phase_name}  ·  waiting for {waiting}"


END_GAME_LABEL = "End game… (E)"


def umpire_dock_rects(layout: Layout) -> tuple[pygame.Rect, pygame.Rect, pygame.Rect,
                                                pygame.Rect]:
    """The umpire dock's body, its powers bar, and (when the umpire moves control actors) the
    cards and the orders row within the body."""
    ts = layout.type
    inner = dock_inner(layout)
    row_h = round(ts.body * 1.6)
    body = pygame.Rect(inner.x, inner.y + ts.pad, inner.width, inner.height - row_h - ts.pad * 2)
    bar = pygame.Rect(inner.x, inner.bottom - row_h, inner.width, row_h)
    orders_row = pygame.Rect(body.x, body.bottom - row_h, body.width, row_h)
    cards = pygame.Rect(body.x, body.y, body.width, body.height - row_h - ts.pad)
    return body, bar, cards, orders_row


def draw_umpire_dock(surface: pygame.Surface, view: View, layout: Layout, ui: Ui) -> list[Hit]:
    ts = layout.type
    end_w = text.width(END_GAME_LABEL, ts.small, True) + ts.pad * 4
    inner = draw_dock_frame(surface, layout, dock_title(view), YELLOW, reserve=end_w)
    end = pygame.Rect(layout.dock.right - end_w - ts.pad * 2, layout.dock.y + ts.pad, end_w,
                      inner.y - layout.dock.y - ts.pad)
    end_hits = button(surface, end, END_GAME_LABEL, ts.small, Hit(end, Click.END_GAME),
                      fill=PAPER, enabled=not view.over)
    body, bar, cards, orders_row = umpire_dock_rects(layout)
    hits = end_hits + draw_powers_bar(surface, view, layout, ui, bar)
    movers = control_actors_to_move(view)
    if movers:
        hits += draw_cards(surface, view, layout, ui, cards, movers)
        return hits + draw_orders_row(surface, view, layout, orders_row, movers)
    return hits + draw_umpire_rows(surface, view, layout, body, ui.page)


def draw_powers_bar(surface: pygame.Surface, view: View, layout: Layout, ui: Ui,
                    bar: pygame.Rect) -> list[Hit]:
    advance = "Apply ▶ (A)" if is_review(view) else "Advance ▶ (A)"
    specs = [
        (advance, Hit(bar, Click.ACT, ADVANCE), ADVANCE in view.legal, GOOD),
        ("Adjust… (J)", Hit(bar, Click.ADJUST, ""), not view.over, PAPER),
        ("Undo (U)", Hit(bar, Click.UNDO), True, PAPER),
        ("Resume (P)" if ui.paused else "Pause (P)", Hit(bar, Click.PAUSE), True,
         ORANGE if ui.paused else PAPER),
    ]
    rects, size = powers_bar_rects(layout, bar, [label for label, *_ in specs])
    hits: list[Hit] = []
    for r, (label, hit, enabled, fill) in zip(rects, specs, strict=True):
        hits += button(surface, r, label, size, Hit(r, hit.click, hit.arg), fill=fill,
                       enabled=enabled)
    return hits


def powers_bar_rects(layout: Layout, bar: pygame.Rect,
                     labels: list[str]) -> tuple[list[pygame.Rect], int]:
    """Buttons across ``bar``, each as wide as its label plus an equal share of what is left,
    and the largest type size at which every label, its key included, fits whole."""
    ts = layout.type
    n = max(1, len(labels))
    gap = ts.pad * 2
    room = bar.width - gap * (n - 1)
    size = 10
    for size in range(ts.body, 9, -1):
        need = [text.width(label, size, True) + 16 for label in labels]
        if sum(need) <= room:
            break
    need = [text.width(label, size, True) + 16 for label in labels]
    extra = max(0, room - sum(need)) // n
    rects = []
    x = bar.x
    for w in need:
        rects.append(pygame.Rect(x, bar.y, w + extra, bar.height))
        x = rects[-1].right + gap
    return rects, size


def button_rects(layout: Layout, width: int, labels: list[str]) -> list[pygame.Rect]:
    """Small buttons for ``labels``, each as wide as its label, in rows at most ``width`` wide
    from (0, 0): a button that does not fit beside the last starts the next row (at 1024×768
    an order awaiting a ruling lost 'Override…' past its five strengths; they now fit in one
    row there, and a longer row, as of outcomes' names, wraps)."""
    ts = layout.type
    h = round(ts.small * 1.6)
    rects: list[pygame.Rect] = []
    x = y = 0
    for label in labels:
        w = min(width, text.width(label, ts.small, True) + ts.pad * 3)
        if x and x + w > width:
            x, y = 0, y + h + ts.pad
        rects.append(pygame.Rect(x, y, w, h))
        x += w + ts.pad
    return rects


def _buttons_row(surface: pygame.Surface, layout: Layout, x: int, y: int, right: int,
                 specs: list[tuple[str, Hit]]) -> list[Hit]:
    """Small buttons from ``x`` to ``right`` at ``y``, in as many rows as they need."""
    ts = layout.type
    hits: list[Hit] = []
    rects = button_rects(layout, right - x, [label for label, _ in specs])
    for r, (label, hit) in zip(rects, specs, strict=True):
        r = r.move(x, y)
        hits += button(surface, r, label, ts.small, Hit(r, hit.click, hit.arg), fill=PAPER)
    return hits


def umpire_items(view: View) -> list[tuple[str, str, list[tuple[str, Hit]]]]:
    """(title, detail, buttons) for each inject and order that the umpire can act on."""
    legal = [Action.parse(a) for a in view.legal]
    held = [inj for inj in view.injects if inj.status == "held"]
    items = [_inject_item(inj, legal) for inj in view.injects if inj.status != "held"]
    items += [(_order_title(o), f"“{o.rationale}”" if o.rationale else "",
               _order_specs(view, o, legal)) for o in view.orders]
    # what the game waits for first; held injects (the umpire chose to wait) and orders that
    # can only be overridden after them
    items = sorted(items, key=lambda it: all(h.click is Click.OVERRIDE for _, h in it[2]))
    return items + [_inject_item(inj, legal) for inj in held]


def _inject_item(inj: InjectView, legal: list[Action]) -> tuple[str, str, list[tuple[str, Hit]]]:
    return _inject_title(inj), inj.text, _inject_specs(inj, legal)


def review_rows(view: View) -> list[tuple[str, str, list[tuple[str, Hit]]]]:
    """(what, its result, buttons) of each inject and order in the review, one line each."""
    legal = [Action.parse(a) for a in view.legal]
    rows = [(_inject_title(inj), "", _inject_specs(inj, legal)) for inj in view.injects]
    return rows + [(*_review_title(o), _order_specs(view, o, legal)) for o in view.orders]


def _inject_title(inj: InjectView) -> str:
    return f"INJECT ({inj.status}): {inj.name}"


def _inject_specs(inj: InjectView, legal: list[Action]) -> list[tuple[str, Hit]]:
    return [(a.verb.capitalize(), _act_hit(a)) for a in legal if a.param("event") == inj.event]


def _order_specs(view: View, o: OrderView, legal: list[Action]) -> list[tuple[str, Hit]]:
    """Rule buttons while the order awaits a ruling; 'Override…' during adjudication."""
    acts = [a for a in legal if a.verb == "rule" and a.param("order") == o.ref]
    specs = [(_rule_label(a, o), _act_hit(a)) for a in acts]
    if o.status in ("revealed", "decided", "awaiting ruling") and \
            view.phase_kind == "adjudication":
        specs.append(("Override…", Hit(pygame.Rect(0, 0, 0, 0), Click.OVERRIDE, o.ref)))
    return specs


def _act_hit(a: Action) -> Hit:
    return Hit(pygame.Rect(0, 0, 0, 0), Click.ACT, str(a))


def _rule_label(a: Action, o: OrderView) -> str:
    strength = a.param("strength")
    if strength is not None:
        n = int(strength)
        return {-2: "Weak −2", -1: "−1", 0: "Fair 0", 1: "+1", 2: "Strong +2"}.get(n, strength)
    return outcome_name(o, a.param("outcome")) if a.param("outcome") else a.verb


def _order_title(o: OrderView) -> str:
    out = f" → {order_result(o)}" if o.outcome else ""
    roll = f" ({roll_text(o.roll)})" if o.roll else ""
    return f"{order_title(o)} [{o.status}]{out}{roll}"


def draw_umpire_rows(surface: pygame.Surface, view: View, layout: Layout, rect: pygame.Rect,
                     page: int = 0) -> list[Hit]:
    if is_review(view):
        return draw_review_rows(surface, view, layout, rect, page)
    ts = layout.type
    items = umpire_items(view)
    hits: list[Hit] = []
    y = rect.y
    if not items:
        names = {a.id: a.name for a in view.actors}
        teams = [names.get(a, a) for a in view.waiting_for if a != "control"]
        msg = f"Waiting for orders from {', '.join(teams)}. Advance (A) would end this " \
            "phase now." if teams else "Nothing waits for a ruling. Advance (A) when the " \
            "room is ready."
        text.draw_block(surface, msg, pygame.Rect(rect.x, y, rect.width, rect.height), ts.body,
                        MUTED, max_lines=max(2, rect.height // text.line_height(ts.body)))
        return hits
    line_h = text.line_height(ts.small, True)
    x = rect.x + ts.pad * 2

    def buttons_h(item: tuple[str, str, list[tuple[str, Hit]]]) -> int:
        rects = button_rects(layout, rect.right - x, [label for label, _ in item[2]])
        return max([round(ts.small * 1.6), *(r.bottom for r in rects)])

    def words(item: tuple[str, str, list[tuple[str, Hit]]]) -> tuple[tuple[str, ...], ...]:
        """The title's lines and the detail's, broken between whole words (the title was
        cut: 'European Union, order 1: Persuade Seoul to arm Ukrain…')."""
        return (text.wrap_whole(item[0], ts.small, rect.right - x, True),
                text.wrap_whole(item[1], ts.small, rect.right - x) if item[1] else ())

    def height(item: tuple[str, str, list[tuple[str, Hit]]]) -> int:
        return line_h * sum(map(len, words(item))) + buttons_h(item) + ts.pad * 2

    pages: list[list[tuple[str, str, list[tuple[str, Hit]]]]] = [[]]
    room = rect.height - line_h  # a line kept for 'page 1 of 2'
    used = 0
    for item in items:  # a page holds what fits (at least one item)
        if pages[-1] and used + height(item) > room:
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += height(item)
    page = min(max(0, page), len(pages) - 1)
    if len(pages) > 1:
        text.draw(surface, f"page {page + 1} of {len(pages)}  ·  PgUp / PgDn",
                  (rect.right, rect.bottom - line_h), ts.small, INK, bold=True, align="right")
    for item in pages[page]:
        title, detail, specs = item
        item_h = height(item)
        accent = SKY if title.startswith("INJECT") else YELLOW
        pygame.draw.rect(surface, accent, (rect.x, y, ts.pad, item_h - ts.pad))
        title_lines, detail_lines = words(item)
        for i, line in enumerate(title_lines):
            text.draw(surface, line, (x, y + i * line_h), ts.small, INK, bold=True)
        for i, line in enumerate(detail_lines, len(title_lines)):
            text.draw(surface, line, (x, y + i * line_h), ts.small, MUTED)
        top = y + item_h - buttons_h(item) - ts.pad * 2
        hits += _buttons_row(surface, layout, x, top, rect.right, specs)
        y += item_h
    return hits


def draw_review_rows(surface: pygame.Surface, view: View, layout: Layout, rect: pygame.Rect,
                     page: int = 0) -> list[Hit]:
    """The review of an adjudication: what to do, then one row per result (its outcome and
    roll, 'Override…'), a page at a time (PgUp/PgDn) when they do not all fit."""
    ts = layout.type
    rows = review_rows(view)
    one = round(ts.small * 1.6) + ts.pad
    top = rect.y + text.line_height(ts.small) + ts.pad

    def row_h(item: tuple[str, str, list[tuple[str, Hit]]]) -> int:
        lines = sum(map(len, _review_lines(layout, rect, *item)))
        return one + (lines - 1) * text.line_height(ts.small)

    pages: list[list[tuple[str, str, list[tuple[str, Hit]]]]] = [[]]
    used = 0
    for item in rows:  # a page holds what fits (at least one row)
        if pages[-1] and top + used + row_h(item) > rect.bottom:
            pages.append([])
            used = 0
        pages[-1].append(item)
        used += row_h(item)
    page = min(max(0, page), len(pages) - 1)
    note = ("Override… any result (a reason is required), then Apply ▶ (A)."
            if rows else "No orders to review this turn: Apply ▶ (A) moves on.")
    more = f"{page + 1}/{len(pages)}  PgUp / PgDn" if len(pages) > 1 else ""
    more_w = text.width(more, ts.small, True) + ts.pad * 2 if more else 0
    text.draw(surface, note, (rect.x, rect.y), ts.small, INK, max_width=rect.width - more_w)
    if more:
        text.draw(surface, more, (rect.right, rect.y), ts.small, INK, bold=True, align="right")
    hits: list[Hit] = []
    y = top
    for item in pages[page]:
        h = row_h(item)
        hits += _review_row(surface, layout, pygame.Rect(rect.x, y, rect.width, h), *item)
        y += h
    return hits


def _review_title(o: OrderView) -> tuple[str, str]:
    """('South, order 2: Appeal to the council', 'Success  6+3 +2 = 11 vs 7')."""
    roll = f"  {P.roll_text(o.roll)}" if o.roll else ""
    return order_title(o), f"{order_result(o) if o.outcome else o.status}{roll}"


def _review_lines(layout: Layout, row: pygame.Rect, title: str, result: str,
                  specs: list[tuple[str, Hit]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A review row's title and result in the room its buttons leave: on one line if both
    fit it, else the title then the result under it, each broken between whole words (the
    title was cut: 'Russian Federation, order 1: Request a new DPRK conti…')."""
    ts = layout.type
    widths = [r.width for r in button_rects(layout, row.width, [label for label, _ in specs])]
    room = max(1, row.right - sum(widths) - ts.pad * len(widths) - row.x - ts.pad * 4)
    if text.width(title, ts.small) + ts.pad * 2 + text.width(result, ts.small, True) <= room:
        return (title,), ()
    return (text.wrap_whole(title, ts.small, room),
            text.wrap_whole(result, ts.small, room, True) if result else ())


def _review_row(surface: pygame.Surface, layout: Layout, row: pygame.Rect, title: str,
                result: str, specs: list[tuple[str, Hit]]) -> list[Hit]:
    """One row: what, its result (in full, before the buttons or under what), the buttons."""
    ts = layout.type
    widths = [r.width for r in button_rects(layout, row.width, [label for label, _ in specs])]
    buttons_x = row.right - sum(widths) - ts.pad * len(widths)
    accent = SKY if title.startswith("INJECT") else YELLOW
    pygame.draw.rect(surface, accent, (row.x, row.y, ts.pad, row.height - ts.pad))
    x = row.x + ts.pad * 2
    y = row.y + ts.pad // 2
    lh = text.line_height(ts.small)
    titles, results = _review_lines(layout, row, title, result, specs)
    if result and not results:  # beside the title
        text.draw(surface, result, (buttons_x - ts.pad * 2, y), ts.small, INK, bold=True,
                  align="right")
    for i, line in enumerate(titles):
        text.draw(surface, line, (x, y + i * lh), ts.small, INK)
    for i, line in enumerate(results, len(titles)):
        text.draw(surface, line, (x, y + i * lh), ts.small, INK, bold=True)
    return _buttons_row(surface, layout, buttons_x, row.y, row.right, specs)
