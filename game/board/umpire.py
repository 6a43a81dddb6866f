"""The umpire's dock: injects to release, hold or skip; orders to rule on or override;
the control actors' moves in an orders phase; advance, adjust, undo and pause.

Every button is built from the umpire view's legal actions (``view.legal``), the one source
of truth for what may be done; override and adjust open a dialog that asks for a reason.
"""

from __future__ import annotations

import pygame

from game.board import text
from game.board.cards import draw_cards, draw_orders_row
from game.board.layout import Layout
from game.board.panels import draw_dock_frame
from game.board.theme import GOOD, INK, MUTED, ORANGE, PAPER, SKY, YELLOW
from game.board.ui import Ui
from game.board.widgets import Click, Hit, button
from game.engine.actions import Action
from game.engine.views import OrderView, View


def control_actors_to_move(view: View) -> list[str]:
    """Control-cell actors the phase waits for (the umpire gives their orders)."""
    movers = {m.actor for m in view.moves}
    return [a for a in view.waiting_for if a in movers]


def draw_umpire_dock(surface: pygame.Surface, view: View, layout: Layout, ui: Ui) -> list[Hit]:
    ts = layout.type
    waiting = ", ".join(view.waiting_for) or "nobody"
    inner = draw_dock_frame(surface, layout, f"UMPIRE  ·  {view.phase_name}  ·  waiting for "
                            f"{waiting}", YELLOW)
    row_h = round(ts.body * 1.6)
    body = pygame.Rect(inner.x, inner.y + ts.pad, inner.width, inner.height - row_h - ts.pad * 2)
    bar = pygame.Rect(inner.x, inner.bottom - row_h, inner.width, row_h)
    hits = draw_powers_bar(surface, view, layout, ui, bar)
    movers = control_actors_to_move(view)
    if movers:
        orders_row = pygame.Rect(body.x, body.bottom - row_h, body.width, row_h)
        cards = pygame.Rect(body.x, body.y, body.width, body.height - row_h - ts.pad)
        hits += draw_cards(surface, view, layout, ui, cards, movers)
        return hits + draw_orders_row(surface, view, layout, orders_row, movers)
    return hits + draw_umpire_rows(surface, view, layout, body)


def draw_powers_bar(surface: pygame.Surface, view: View, layout: Layout, ui: Ui,
                    bar: pygame.Rect) -> list[Hit]:
    ts = layout.type
    specs = [
        ("Advance ▶ (A)", Hit(bar, Click.ACT, "control: advance"), "control: advance" in view.legal,
         GOOD),
        ("Adjust… (J)", Hit(bar, Click.ADJUST, ""), not view.over, PAPER),
        ("Undo (U)", Hit(bar, Click.UNDO), True, PAPER),
        ("Resume (P)" if ui.paused else "Pause (P)", Hit(bar, Click.PAUSE), True,
         ORANGE if ui.paused else PAPER),
    ]
    w = (bar.width - ts.pad * 2 * (len(specs) - 1)) // len(specs)
    hits: list[Hit] = []
    for i, (label, hit, enabled, fill) in enumerate(specs):
        r = pygame.Rect(bar.x + i * (w + ts.pad * 2), bar.y, w, bar.height)
        hits += button(surface, r, label, ts.body, Hit(r, hit.click, hit.arg), fill=fill,
                       enabled=enabled)
    return hits


def _buttons_row(surface: pygame.Surface, layout: Layout, x: int, y: int, right: int,
                 specs: list[tuple[str, Hit]]) -> list[Hit]:
    """A row of small buttons from ``x`` to ``right`` at ``y``."""
    ts = layout.type
    hits: list[Hit] = []
    h = round(ts.small * 1.6)
    for label, hit in specs:
        w = text.width(label, ts.small, True) + ts.pad * 4
        if x + w > right:
            break
        r = pygame.Rect(x, y, w, h)
        hits += button(surface, r, label, ts.small, Hit(r, hit.click, hit.arg), fill=PAPER)
        x = r.right + ts.pad
    return hits


def umpire_items(view: View) -> list[tuple[str, str, list[tuple[str, Hit]]]]:
    """(title, detail, buttons) for each inject and order that the umpire can act on."""
    items: list[tuple[str, str, list[tuple[str, Hit]]]] = []
    legal = [Action.parse(a) for a in view.legal]
    for inj in view.injects:
        acts = [a for a in legal if a.param("event") == inj.event]
        specs = [(a.verb.capitalize(), _act_hit(a)) for a in acts]
        items.append((f"INJECT ({inj.status}): {inj.name}", inj.text, specs))
    for o in view.orders:
        acts = [a for a in legal if a.verb == "rule" and a.param("order") == str(o.seq)]
        specs = [(_rule_label(a), _act_hit(a)) for a in acts]
        if o.status in ("revealed", "decided", "awaiting ruling") and view.phase_kind == \
                "adjudication":
            specs.append(("Override…", Hit(pygame.Rect(0, 0, 0, 0), Click.OVERRIDE, str(o.seq))))
        items.append((_order_title(o), f"“{o.rationale}”" if o.rationale else "", specs))
    return sorted(items, key=lambda it: all(h.click is Click.OVERRIDE for _, h in it[2]))


def _act_hit(a: Action) -> Hit:
    return Hit(pygame.Rect(0, 0, 0, 0), Click.ACT, str(a))


def _rule_label(a: Action) -> str:
    strength = a.param("strength")
    if strength is not None:
        n = int(strength)
        return {-2: "Weak −2", -1: "−1", 0: "Fair 0", 1: "+1", 2: "Strong +2"}.get(n, strength)
    return a.param("outcome") or a.verb


def _order_title(o: OrderView) -> str:
    params = " ".join(v for _, v in o.params)
    out = f" → {o.outcome}" if o.outcome else ""
    return f"#{o.seq} {o.actor}: {o.move_name}{' (' + params + ')' if params else ''}" \
           f" [{o.status}]{out}"


def draw_umpire_rows(surface: pygame.Surface, view: View, layout: Layout, rect: pygame.Rect
                     ) -> list[Hit]:
    ts = layout.type
    items = umpire_items(view)
    hits: list[Hit] = []
    y = rect.y
    if not items:
        teams = [a for a in view.waiting_for if a != "control"]
        msg = f"Waiting for orders from {', '.join(teams)}. Advance (A) would end this " \
            "phase now." if teams else "Nothing waits for a ruling. Advance (A) when the " \
            "room is ready."
        text.draw_block(surface, msg, pygame.Rect(rect.x, y, rect.width, ts.body * 3), ts.body,
                        MUTED, max_lines=2)
        return hits
    line_h = text.line_height(ts.small, True)
    button_h = round(ts.small * 1.6)
    for title, detail, specs in items:
        item_h = line_h * (2 if detail else 1) + button_h + ts.pad * 2
        if y + item_h > rect.bottom:
            text.draw(surface, "… more below: deal with these first", (rect.x, y), ts.small,
                      MUTED)
            break
        accent = SKY if title.startswith("INJECT") else YELLOW
        pygame.draw.rect(surface, accent, (rect.x, y, ts.pad, item_h - ts.pad))
        x = rect.x + ts.pad * 2
        text.draw(surface, title, (x, y), ts.small, INK, bold=True, max_width=rect.right - x)
        if detail:
            text.draw(surface, detail, (x, y + line_h), ts.small, MUTED,
                      max_width=rect.right - x)
        hits += _buttons_row(surface, layout, x, y + item_h - button_h - ts.pad * 2, rect.right,
                             specs)
        y += item_h
    return hits
