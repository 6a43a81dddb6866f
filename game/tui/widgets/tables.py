"""Tables drawn from a view: tracks (the board), moves (the menu), orders, injects.

Each table keeps the row key of the thing it shows (a track id, a move id, an order number), so a
screen can act on the highlighted row without keeping any state of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from game.engine.views import InjectView, MoveOption, OrderView, TrackView, View
from game.tui import render as R


class KeyedTable(DataTable[Text | str]):
    """A row-cursor DataTable that keeps the cursor on the same key across refreshes."""

    DEFAULT_CSS = """
    KeyedTable { height: auto; max-height: 14; }
    """

    def __init__(self, *columns: str, id: str | None = None, enter: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._columns = columns
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

    def fill(self, rows: Sequence[tuple[str, Sequence[Text | str]]]) -> None:
        """Replace the rows, keeping the cursor on the same key if it is still there."""
        keep = self.highlighted_key()
        self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        keys = [k for k, _ in rows]
        if keep in keys:
            self.move_cursor(row=keys.index(keep), animate=False)


class TrackTable(KeyedTable):
    """The board: every track with what the viewer knows of it."""

    def __init__(self, id: str | None = None, enter: str | None = None) -> None:
        super().__init__("Track", "Value", "Gauge", "Rung", id=id, enter=enter)

    def show(self, view: View, tracks: Sequence[TrackView] | None = None) -> None:
        rows = [(t.id, (Text(t.name), R.track_value(t), R.track_gauge(t), R.track_rung(t)))
                for t in (tracks if tracks is not None else view.tracks)]
        self.fill(rows)


class MoveTable(KeyedTable):
    """The moves an actor has in this phase: available or not and why, cost and odds."""

    def __init__(self, id: str | None = None, *, with_actor: bool = False) -> None:
        cols = ("Actor", "Move", "Cost", "Odds", "Status") if with_actor else \
            ("Move", "Cost", "Odds", "Status")
        super().__init__(*cols, id=id, enter="Choose")
        self.with_actor = with_actor

    @staticmethod
    def key_of(mo: MoveOption) -> str:
        return f"{mo.actor}:{mo.move}"

    def show(self, view: View, moves: Sequence[MoveOption]) -> None:
        rows = []
        for mo in moves:
            name = Text(mo.name, "" if mo.legal else "dim")
            cells: list[Text | str] = [name, R.short_cost(mo), R.odds_text(mo),
                                       R.move_status(mo)]
            if self.with_actor:
                cells.insert(0, R.actor_label(view, mo.actor))
            rows.append((self.key_of(mo), cells))
        self.fill(rows)


class OrderTable(KeyedTable):
    """Orders the viewer may see: its own (secret or not) and the revealed ones of others."""

    def __init__(self, id: str | None = None, enter: str | None = None) -> None:
        super().__init__("#", "Actor", "Move", "Status", "Outcome", id=id, enter=enter)

    def show(self, view: View, orders: Sequence[OrderView] | None = None) -> None:
        rows = []
        for o in orders if orders is not None else view.orders:
            move = o.move_name + (f" ({R.params_text(o.params)})" if o.params else "")
            outcome = R.order_outcome(o)
            if o.roll:
                outcome += f" [{R.roll_text(o.roll)}]"
            rows.append((str(o.seq), (str(o.seq), R.actor_label(view, o.actor), move,
                                      o.status, outcome)))
        self.fill(rows)


class InjectTable(KeyedTable):
    """The umpire's events list: injects waiting to be released, held or skipped."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__("Inject", "Status", "Text", id=id, enter="Decide")

    def show(self, injects: Sequence[InjectView]) -> None:
        self.fill([(i.event, (Text(i.name, "bold"), i.status, i.text)) for i in injects])
