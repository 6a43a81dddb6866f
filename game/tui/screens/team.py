"""A team's screen: its view of the world, its moves, its orders, its briefing and log.

Everything here is drawn from ``game.view(actor)``; the screen is built fresh for each turn
at the keyboard and thrown away at the hand-off, so nothing of it survives for the next team.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from game import present as P
from game.engine.views import MoveOption, View
from game.tui import render as R
from game.tui.host import Host
from game.tui.screens.modals import ConfirmDialog
from game.tui.screens.moveform import MoveForm
from game.tui.widgets.loglist import LogList
from game.tui.widgets.tables import MoveTable, OrderTable, TrackTable

TEAM_HELP = """\
Team screen — your team's view only.
1-5 | tabs: Moves, Board, Orders, Briefing, Log
↑ ↓ | move in a list
Enter | order the highlighted move (Board, Log: why did it change?)
r | retract the highlighted secret order (Orders tab)
x | why? the causes of the highlighted log line, or of the highlighted track's last change
f | finish: your orders are in, hand the keyboard on
c | coach: what a computer player would order now, searching on your team's knowledge only
Values are exact, ≈low–high (an estimate: the truth is inside) or unknown. Gauge: █ the value, \
░ an estimate range, │ a rung of the escalation ladder."""


TRACK_KINDS = frozenset({"change", "adjust", "intel"})
"""Log kinds that set or reveal a track's value (their data name the track)."""


def last_change(view: View, track_id: str | None) -> int | None:
    """The log seq of the latest change to a track the viewer saw, if any."""
    if track_id is None:
        return None
    for line in reversed(view.log):
        if line.kind in TRACK_KINDS and line.data.get("track") == track_id:
            return line.seq
    return None


def orders_given(view: View, count: int) -> str:
    """'Orders given: 1 of 2' (just the count when the phase sets no limit)."""
    most = f" of {view.max_orders}" if view.max_orders else ""
    return f"Orders given: {count}{most}"


WIDE = 130
"""From this many columns, seat screens keep the board and the latest log beside the tabs."""


class SeatScreen(Screen[None]):
    """A screen that belongs to one seat (a team or the umpire); rebuilt at each hand-off.

    At 80×24 everything is in tabs; from :data:`WIDE` columns a side panel keeps the board
    and the latest log lines in view (for a projector or a large terminal).
    """

    seat: str = ""
    HELP = ""
    DEFAULT_CSS = """
    SeatScreen #body { height: 1fr; }
    SeatScreen #body > TabbedContent { width: 1fr; }
    SeatScreen #side { display: none; width: 50%; border-left: solid $primary-background; }
    SeatScreen.-wide #side { display: block; }
    SeatScreen .side-title { background: $boost; text-style: bold; padding: 0 1; }
    SeatScreen #side-tracks { max-height: 60%; }
    SeatScreen #side-log { padding: 0 1; }
    """

    def __init__(self, host: Host) -> None:
        super().__init__()
        self.host = host

    def side(self) -> ComposeResult:
        """The side panel (shown on wide terminals): the board and the latest log lines."""
        with Vertical(id="side"):
            yield Static("The board", classes="side-title")
            yield TrackTable(id="side-tracks")
            yield Static("Latest", classes="side-title")
            yield LogList(id="side-log")

    def on_mount(self) -> None:
        for widget in self.query("#side-tracks, #side-log"):
            widget.can_focus = False
        self.set_class(self.app.size.width >= WIDE, "-wide")

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= WIDE
        if wide and not self.has_class("-wide"):
            self.set_class(True, "-wide")
            self.show_side(self.current_view())
        self.set_class(wide, "-wide")

    def show_side(self, view: View) -> None:
        if not self.has_class("-wide"):
            return  # drawn when the terminal grows wide enough
        self.query_one("#side-tracks", TrackTable).show(view)
        self.query_one("#side-log", LogList).show(view.log, limit=60)

    def refresh_view(self) -> None:
        """Redraw from a fresh view (after an action)."""

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_tab(tab)

    def _focus_tab(self, tab: str) -> None:
        pane = self.query_one(f"#{tab}", TabPane)
        for widget in pane.query("DataTable, OptionList, VerticalScroll"):
            widget.focus()
            return

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        self.mark_active_tab()

    def mark_active_tab(self) -> None:
        """▸ before the active tab's name: visible without colour (NO_COLOR, screen text)."""
        tabs = self.query_one(TabbedContent)
        for pane in tabs.query(TabPane):
            if pane.id is None:
                continue
            tab = tabs.get_tab(pane.id)
            text = tab.label.plain.lstrip("▸ ")
            tab.label = ("▸" if pane.id == tabs.active else " ") + text

    def current_view(self) -> View:
        return self.host.game.view(self.seat)

    def action_explain(self) -> None:
        """Why? On the Log tab: the highlighted line; on the Board: the track's last change."""
        tab = self.query_one(TabbedContent).active
        if tab == "board":
            key = self.query_one("#track-table", TrackTable).highlighted_key()
            seq = last_change(self.current_view(), key)
            if seq is None:
                self.notify("No change to this track yet that you can see.")
                return
        else:
            seq = self.query_one("#log-list", LogList).highlighted_seq()
            if seq is None:
                return
        self.host.explain(seq, self.seat)

    def on_option_list_option_selected(self) -> None:
        self.action_explain()


class TeamScreen(SeatScreen):
    """One team at the keyboard."""

    HELP = TEAM_HELP
    DONE_HINT = "Orders in: f hands on"
    """What the moves' heading says once the team's orders are in."""
    BINDINGS = [
        Binding("1", "tab('moves')", "Moves", show=False),
        Binding("2", "tab('board')", "Board", show=False),
        Binding("3", "tab('orders')", "Orders", show=False),
        Binding("4", "tab('brief')", "Briefing", show=False),
        Binding("5", "tab('log')", "Log", show=False),
        Binding("r", "retract", "Retract"),
        Binding("x", "explain", "Explain"),
        Binding("f", "finish", "Finish"),
        Binding("c", "coach", "Coach"),
    ]

    def __init__(self, host: Host, actor: str) -> None:
        super().__init__(host)
        self.seat = actor
        self.view: View = host.game.view(actor)
        self._could_retract = False

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(id="body"):
            with TabbedContent(initial="moves"):
                with TabPane("1 Moves", id="moves"):
                    yield Static(id="moves-head")
                    yield MoveTable(id="move-table")
                    with VerticalScroll(classes="detail"):
                        yield Static(id="move-detail")
                with TabPane("2 Board", id="board"):
                    yield TrackTable(id="track-table", enter="Why?")
                    with VerticalScroll(classes="detail"):
                        yield Static(id="track-detail")
                with TabPane("3 Orders", id="orders"):
                    yield OrderTable(id="order-table")
                    yield Static(id="orders-help")
                with TabPane("4 Briefing", id="brief"), VerticalScroll():
                    yield Static(id="briefing")
                    yield Static(id="others")
                with TabPane("5 Log", id="log"):
                    yield LogList(id="log-list")
            yield from self.side()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()
        self.query_one("#move-table", MoveTable).focus()

    # ------------------------------------------------------------------ drawing

    def refresh_view(self) -> None:
        v = self.view = self.host.game.view(self.seat)
        me = v.actor(self.seat)
        self.query_one("#status", Static).update(R.status_line(v, self.seat))
        mine = [o for o in v.orders if o.actor == self.seat and o.status == "secret"]
        given = sum(1 for o in v.orders if o.actor == self.seat)
        head = Text.assemble(f"{orders_given(v, given)}  │  ",
                             R.resources_text(me.resources or (), compact=True))
        if self.seat not in v.waiting_for:
            head.append(f"   {self.DONE_HINT}", "bold")
        self.query_one("#moves-head", Static).update(head)
        self.query_one("#move-table", MoveTable).show(v, self._moves())
        self.query_one("#track-table", TrackTable).show(v)
        self.query_one("#order-table", OrderTable).show(v)
        self.query_one("#orders-help", Static).update(
            "Secret orders stay hidden from the other teams until they are revealed. "
            "Press r to retract the highlighted secret order." if mine else
            "No secret orders yet this phase.")
        self.query_one("#briefing", Static).update(R.briefing(v, self.seat))
        self.query_one("#others", Static).update(R.others_text(v))
        self.query_one("#log-list", LogList).show(v.log)
        self.show_side(v)
        if bool(mine) != self._could_retract:  # retract comes and goes with secret orders
            self._could_retract = bool(mine)
            self.refresh_bindings()
        self._update_move_detail()
        self._update_track_detail()

    def _moves(self) -> list[MoveOption]:
        return [m for m in self.view.moves if m.actor == self.seat]

    def _highlighted_move(self) -> MoveOption | None:
        key = self.query_one("#move-table", MoveTable).highlighted_key()
        return next((m for m in self._moves() if MoveTable.key_of(m) == key), None)

    def _update_move_detail(self) -> None:
        mo = self._highlighted_move()
        me = self.view.actor(self.seat)
        self.query_one("#move-detail", Static).update(
            R.move_detail(mo, me.resources) if mo else
            Text("No moves in this phase." if not self._moves() else ""))

    def _update_track_detail(self) -> None:
        key = self.query_one("#track-table", TrackTable).highlighted_key()
        track = next((t for t in self.view.tracks if t.id == key), None)
        self.query_one("#track-detail", Static).update(R.track_detail(track) if track else "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "move-table":
            self._update_move_detail()
        elif event.data_table.id == "track-table":
            self._update_track_detail()

    # ------------------------------------------------------------------ acting

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "move-table":
            self.choose_move()
        elif event.data_table.id == "track-table":
            self.action_explain()

    def choose_move(self) -> None:
        mo = self._highlighted_move()
        if mo is None:
            return
        if not mo.legal:
            self.notify(f"{mo.name}: {mo.reason or 'not available now'}", severity="warning",
                        markup=False)
            return
        me = self.view.actor(self.seat)

        def done(text: str | None) -> None:
            if text and self.host.submit(text):
                self.notify(f"Order given: {mo.name}", markup=False)
                self.host.proceed()

        self.app.push_screen(MoveForm(mo, me.resources, me.name), done)

    def action_retract(self) -> None:
        key = self.query_one("#order-table", OrderTable).highlighted_key()
        text = f"{self.seat}: retract order={key}"
        if key is None or text not in self.view.legal:
            self.notify("Pick one of your secret orders on the Orders tab (3) to retract.")
            return
        order = next(o for o in self.view.orders if o.ref == key)
        if self.host.submit(text):
            self.notify(f"Retracted {P.order_title(order)}", markup=False)
            self.host.proceed()

    def action_finish(self) -> None:
        waiting = self.seat in self.view.waiting_for
        given = sum(1 for o in self.view.orders if o.actor == self.seat and o.status == "secret")

        def done(answer: str | None) -> None:
            if answer != "yes":
                return
            if f"{self.seat}: pass" in self.view.legal and not self.host.submit(
                    f"{self.seat}: pass"):
                return
            self.host.hand_on()

        if waiting and given == 0:
            self.app.push_screen(ConfirmDialog("Finish without giving any order?"), done)
        else:
            done("yes")

    def action_coach(self) -> None:
        self.host.coach(self.seat)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        tab = self.query_one(TabbedContent).active if self.is_mounted else "moves"
        if action == "retract":
            return tab == "orders" and any(a.startswith(f"{self.seat}: retract")
                                           for a in self.view.legal)
        if action == "explain":
            return tab in ("log", "board")
        return True
