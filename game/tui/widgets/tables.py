"""Tables drawn from a view: tracks (the board), moves (the menu), orders, injects.

Each table keeps the row key of the thing it shows (a track id, a move id, an order number), so a
screen can act on the highlighted row without keeping any state of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable

from game import present as P
from game.engine.views import InjectView, MoveOption, OrderView, TrackView, View
from game.engine.wording import UNSEEN_ROLL
from game.tui import render as R


class KeyedTable(DataTable[Text | str]):
    """A row-cursor DataTable that keeps the cursor on the same key across refreshes."""

    DEFAULT_CSS = """
    KeyedTable { height: auto; max-height: 14; width: 1fr; }
    """

    def __init__(self, *columns: str, id: str | None = None, enter: str | None = None,
                 limits: Sequence[int | None] = (), flex_min: int = 24) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._columns = columns
        self.limits = tuple(limits) or (None,) + (40,) * (len(columns) - 1)
        """Widest each column may be; the one None column takes the width that is left."""
        self.flex_min = flex_min
        self._rows: Sequence[tuple[str, Sequence[Text | str]]] = ()
        self._fitted_to = 0
        if enter:  # show what Enter does on this table in the footer
            self._bindings.key_to_bindings["enter"] = [
                Binding("enter", "select_cursor", enter, show=True)]

    def on_mount(self) -> None:
        self.add_columns(*self._columns)

    def highlighted_key(self) -> str | None:
        """Key of the row under the cursor, or None for an empty table."""
        if not self.row_count:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        key = self.coordinate_to_cell_key((row, 0)).row_key.value  # type: ignore[arg-type]
        return str(key) if key is not None else None

    def _available_width(self) -> int:
        parent = self.parent
        room = (parent.scrollable_content_region.width if isinstance(parent, Widget) else 0) \
            or self.app.size.width
        return room - self.styles.gutter.width  # the focus bar's column is not the table's

    def _scroll_bar_room(self, rows: int) -> int:
        """Columns for the vertical scroll bar: its width if the rows (and the header) will not
        all fit, else none (a column kept for it was lost to the names: 'Northland troops at
        the bord…')."""
        most = self.styles.max_height
        parent = self.parent
        room = (most.value if most is not None and most.is_cells else
                parent.scrollable_content_region.height if isinstance(parent, Widget) else 0)
        return self.styles.scrollbar_size_vertical if rows + 1 > room else 0

    def on_resize(self) -> None:
        """Fit the columns again when the space changes (e.g. the first layout)."""
        if self._rows and self._available_width() != self._fitted_to:
            self.fill(self._rows)

    def _fit(self, rows: Sequence[Sequence[Text | str]]) -> tuple[list[int], list[list[Text]]]:
        """Cut cells to fit the terminal's width (with …), so no column falls off the edge."""
        texts = [[c if isinstance(c, Text) else Text(c) for c in cells] for cells in rows]
        longest = [max([len(self._columns[i])] + [t[i].cell_len for t in texts])
                   for i in range(len(self._columns))]
        widths = [min(n, lim) if lim is not None else n for n, lim in zip(longest, self.limits,
                                                                          strict=True)]
        width = self._fitted_to = self._available_width()
        bar = self._scroll_bar_room(len(rows))
        spare = width - 2 * len(widths) - bar - sum(w for w, lim in zip(widths, self.limits,
                                                                      strict=True)
                                                  if lim is not None)
        flex = self.limits.index(None) if None in self.limits else -1
        while flex >= 0 and spare < min(self.flex_min, longest[flex]):  # narrow: squeeze the others
            widest = max((i for i in range(len(widths)) if i != flex),
                         key=lambda i: widths[i])
            if widths[widest] <= 8:
                break
            widths[widest] -= 1
            spare += 1
        widths = [max(12, min(w, spare)) if lim is None else w
                  for w, lim in zip(widths, self.limits, strict=True)]
        left = width - 2 * len(widths) - bar - sum(widths)
        for i, lim in enumerate(self.limits):  # room to spare: uncut the capped columns
            if lim is not None and left > 0 and longest[i] > widths[i]:
                grow = min(left, longest[i] - widths[i])
                widths[i] += grow
                left -= grow
        out = []
        for row in texts:
            cut = []
            for cell, w in zip(row, widths, strict=True):
                cell = cell.copy()
                cell.truncate(w, overflow="ellipsis")
                cut.append(cell)
            out.append(cut)
        return widths, out

    def fill(self, rows: Sequence[tuple[str, Sequence[Text | str]]]) -> None:
        """Replace the rows, keeping the cursor on the same key if it is still there."""
        keep = self.highlighted_key()
        self._rows = rows
        self.clear()
        widths, fitted = self._fit([c for _, c in rows])
        for column, width in zip(self.ordered_columns, widths, strict=True):
            column.auto_width = False  # fixed widths: the table never lags behind its rows
            column.width = width
        for (key, _), cells in zip(rows, fitted, strict=True):
            self.add_row(*cells, key=key)
        keys = [k for k, _ in rows]
        if keep in keys:
            self.move_cursor(row=keys.index(keep), animate=False)


class TrackTable(KeyedTable):
    """The board: every track with what the viewer knows of it."""

    def __init__(self, id: str | None = None, enter: str | None = None) -> None:
        super().__init__("Track", "Value", "Gauge", "Rung", id=id, enter=enter,
                         limits=(None, 18, 12, 16))

    def show(self, view: View, tracks: Sequence[TrackView] | None = None) -> None:
        rows = [(t.id, (Text(t.name), R.track_value(t), R.track_gauge(t), R.track_rung(t)))
                for t in (tracks if tracks is not None else view.tracks)]
        self.fill(rows)


class MoveTable(KeyedTable):
    """The moves an actor has in this phase: available or not and why, cost and odds."""

    def __init__(self, id: str | None = None, *, with_actor: bool = False) -> None:
        cols = ("Actor", "Move", "Cost", "Odds", "Status") if with_actor else \
            ("Move", "Cost", "Odds", "Status")
        limits = (None, 12, 7, 24)
        super().__init__(*cols, id=id, enter="Choose",
                         limits=(10, *limits) if with_actor else limits)
        self.with_actor = with_actor

    @staticmethod
    def key_of(mo: MoveOption) -> str:
        return f"{mo.actor}:{mo.move}"

    def show(self, view: View, moves: Sequence[MoveOption]) -> None:
        rows = []
        names = {r.id: r.name for a in view.actors for r in a.resources or ()}
        for mo in moves:
            name = Text(mo.name, "" if mo.legal else "dim")
            cells: list[Text | str] = [name, P.short_cost(mo, names), P.odds_text(mo, short=True),
                                       R.move_status(mo)]
            if self.with_actor:
                cells.insert(0, R.actor_label(view, mo.actor))
            rows.append((self.key_of(mo), cells))
        self.fill(rows)


class OrderTable(KeyedTable):
    """Orders the viewer may see: its own (secret or not) and the revealed ones of others. Each
    reads as :func:`game.present.order_title` names it: the actor, then its order number (the
    actor's own count, under 'Order': a bare '#' was read as the row's number)."""

    def __init__(self, id: str | None = None, enter: str | None = None) -> None:
        super().__init__("Actor", "Order", "Move", "Status", "Outcome", id=id, enter=enter,
                         limits=(10, 5, None, 15, 24), flex_min=16)

    def show(self, view: View, orders: Sequence[OrderView] | None = None) -> None:
        rows = []
        for o in orders if orders is not None else view.orders:
            move = o.label or o.move_name
            outcome = P.order_result(o)
            if o.roll:
                outcome += f" [{P.roll_text(o.roll)}]"
            elif o.unseen_factors:
                outcome += f" [{UNSEEN_ROLL}]"
            number = o.ref.rsplit("-", 1)[-1]  # the actor's own count: 'EU, order 2'
            rows.append((o.ref, (R.actor_label(view, o.actor), number, move, o.status, outcome)))
        self.fill(rows)


class InjectTable(KeyedTable):
    """The umpire's events list: injects waiting to be released, held or skipped."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("Inject", "Status", "Text", id=id, enter="Decide",
                         limits=(24, 8, None))

    def show(self, injects: Sequence[InjectView]) -> None:
        self.fill([(i.event, (Text(i.name, "bold"), i.status, i.text)) for i in injects])
