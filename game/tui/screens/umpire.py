"""The umpire's console: the omniscient view and the white cell's powers.

Rule on arguments and umpire-decided moves, release/hold/skip injects, override an outcome or
adjust a track (with a reason), undo the last resolution, pause, end the game early (with a
reason), and play the control-cell actors. Drawn from ``game.view('control')``.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from game import present as P
from game.engine.actions import Action
from game.engine.adjudication import BY_KIND
from game.engine.views import MoveOption, OrderView, View
from game.tui import render as R
from game.tui.host import Host
from game.tui.screens.modals import ConfirmDialog
from game.tui.screens.moveform import MoveForm
from game.tui.screens.rulings import (
    AdjustDialog,
    EndGameDialog,
    InjectDialog,
    OverrideDialog,
    RulingDialog,
)
from game.tui.screens.team import SeatScreen
from game.tui.widgets.loglist import LogList
from game.tui.widgets.tables import InjectTable, MoveTable, OrderTable, TrackTable

UMPIRE_HELP = """\
Umpire console — sees everything: keep it off the projector while teams are secret.
1-6 | tabs: Rulings, Injects, Control actors, Board, Teams, Log
Enter | on an order awaiting a ruling: rule (an argument: strength -2..+2 or the teams' \
estimates like 0.6/0.4; an umpire move: its outcome)
o | override the highlighted order's outcome before it applies (adjudication; reason required)
r h k | release / hold / skip the highlighted inject
Enter, f | order a control actor's move; f: the control actors have finished
a | adjust the highlighted track (reason required)
n | move the game on (next phase or turn); in the review of results: apply them
u | undo the last resolution of orders (the log keeps it, marked)
p | pause the game
v | show the room the latest results
E | end the game now (Shift+E; reason required): the end-of-game objectives are scored
x | why? the causes of the highlighted log line or track's last change"""

TASK_TABS = ("rulings", "injects", "control", "board", "teams", "log")


def is_review(view: View) -> bool:
    """Do the adjudication's rolls and rulings wait for the umpire to apply them? (The
    umpire may override an outcome first.)"""
    return view.phase_kind == "adjudication" and "control: advance" in view.legal


class UmpireScreen(SeatScreen):
    """The white cell at the keyboard."""

    HELP = UMPIRE_HELP
    BINDINGS = [
        *(Binding(str(i + 1), f"tab('{t}')", t.title(), show=False)
          for i, t in enumerate(TASK_TABS)),
        Binding("n", "apply", "Apply results"),
        Binding("n", "advance", "Move on"),
        Binding("o", "override", "Override"),
        Binding("r", "inject('release')", "Release"),
        Binding("h", "inject('hold')", "Hold"),
        Binding("k", "inject('skip')", "Skip"),
        Binding("f", "finish_control", "Finish"),
        Binding("a", "adjust", "Adjust", show=False),
        Binding("x", "explain", "Explain"),
        Binding("E", "end_game", "End game", key_display="E"),
        Binding("E", "end_game(True)", "End game", show=False),  # where the footer is full
        Binding("u", "undo", "Undo", show=False),
        Binding("p", "pause", "Pause", show=False),
        Binding("v", "results", "Results", show=False),
    ]

    DEFAULT_CSS = """
    UmpireScreen #todo { background: $boost; padding: 0 1; }
    """

    def __init__(self, host: Host) -> None:
        super().__init__(host)
        self.seat = "control"
        self.view: View = host.game.view("control")
        self._job = ""
        self._keys_state = (False, False, False, False)
        self._popped: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Static(id="todo")
        with Horizontal(id="body"):
            with TabbedContent(initial="rulings"):
                with TabPane("1 Rulings", id="rulings"):
                    yield OrderTable(id="order-table", enter="Rule")
                    with VerticalScroll(classes="detail"):
                        yield Static(id="order-detail")
                with TabPane("2 Injects", id="injects"):
                    yield InjectTable(id="inject-table")
                    yield Static(id="injects-help", classes="detail")
                with TabPane("3 Control actors", id="control"):
                    yield MoveTable(id="move-table", with_actor=True)
                    with VerticalScroll(classes="detail"):
                        yield Static(id="move-detail")
                with TabPane("4 Board", id="board"):
                    yield TrackTable(id="track-table", enter="Adjust")
                    with VerticalScroll(classes="detail"):
                        yield Static(id="track-detail")
                with TabPane("5 Teams", id="teams"), VerticalScroll():
                    yield Static(id="teams-text")
                with TabPane("6 Log", id="log"):
                    yield LogList(id="log-list")
            yield from self.side()
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_view()

    # ------------------------------------------------------------------ drawing

    def refresh_view(self) -> None:
        v = self.view = self.host.game.view("control")
        self.query_one("#status", Static).update(R.status_line(v, "control"))
        todo, task = self._todo()
        self.query_one("#todo", Static).update(todo)
        self.query_one("#order-table", OrderTable).show(v)
        self.query_one("#inject-table", InjectTable).show(v.injects)
        self.query_one("#injects-help", Static).update(
            "Injects the scenario leaves to the umpire wait here: release one now, hold it for "
            "later, or skip it." if v.injects else
            "No inject is waiting. Events the scenario leaves to the umpire appear here (and "
            "pop up) when they trigger.")
        self.query_one("#move-table", MoveTable).show(v, self._control_moves())
        self.query_one("#track-table", TrackTable).show(v)
        self.query_one("#teams-text", Static).update(self._teams())
        self.query_one("#log-list", LogList).show(v.log)
        self.show_side(v)
        self._update_details()
        keys_state = ("control: advance" in v.legal, bool(v.injects), is_review(v),
                      v.phase_kind == "adjudication")
        if keys_state != self._keys_state:  # the footer shows only keys that work now
            self._keys_state = keys_state
            self.refresh_bindings()
        if task != self._job:
            self._job = task
            self.action_tab(task)
        if task == "rulings":
            self._cursor_to_ruling()
        self._pop_injects()

    def _todo(self) -> tuple[Text, str]:
        """What the umpire must do now, and the tab where it is done."""
        v = self.view
        control_actors = [a for a in v.waiting_for if a != "control"
                          and v.actor(a).kind != "player"]
        teams = [a for a in v.waiting_for if a != "control" and v.actor(a).kind == "player"]
        ruling = [o for o in v.orders if o.status == "awaiting ruling"]
        pending = [i for i in v.injects if i.status == "pending"]
        if v.over:
            return Text("The game is over."), "log"
        if control_actors:
            return Text(f"Play {', '.join(control_actors)}: Enter orders a move; "
                        "f when done."), "control"
        if ruling:
            return Text(f"Rule on {len(ruling)} order(s): Enter on an order awaiting a "
                        "ruling."), "rulings"
        if pending:
            return Text(f"Inject waiting: {pending[0].name} — r release, h hold, k skip."), \
                "injects"
        if teams:
            return Text(f"Waiting for {', '.join(teams)}. (n ends the orders phase now.)"), \
                "board"
        if is_review(v) and not v.orders:
            return Text("No orders to review this turn: n moves the game on."), "rulings"
        if is_review(v):
            return Text("Review the results: o overrides one (reason required); n applies "
                        "them.", "bold"), "rulings"
        return Text(f"{v.phase_name}: n moves the game on (u undoes the last resolution, "
                    "p pauses)."), "board"

    def _cursor_to_ruling(self) -> None:
        table = self.query_one("#order-table", OrderTable)
        current = self._highlighted_order()
        if current is not None and current.status == "awaiting ruling":
            return
        for row, o in enumerate(self.view.orders):
            if o.status == "awaiting ruling":
                table.move_cursor(row=row, animate=False)
                return

    def _control_moves(self) -> list[MoveOption]:
        return [m for m in self.view.moves if m.actor in self.view.waiting_for]

    def _teams(self) -> RenderableType:
        v = self.view
        parts: list[RenderableType] = []
        for a in v.actors:
            parts.append(R.briefing(v, a.id))
            parts.append(Text(""))
        return Group(*parts)

    def _highlighted_order(self) -> OrderView | None:
        key = self.query_one("#order-table", OrderTable).highlighted_key()
        return next((o for o in self.view.orders if o.ref == key), None)

    def _update_details(self) -> None:
        o = self._highlighted_order()
        self.query_one("#order-detail", Static).update(self._order_detail(o) if o else
                                                       "No orders this phase.")
        key = self.query_one("#move-table", MoveTable).highlighted_key()
        mo = next((m for m in self._control_moves() if MoveTable.key_of(m) == key), None)
        self.query_one("#move-detail", Static).update(
            R.move_detail(mo, self.view.actor(mo.actor).resources) if mo else
            "No control actor has moves now.")
        tkey = self.query_one("#track-table", TrackTable).highlighted_key()
        track = next((t for t in self.view.tracks if t.id == tkey), None)
        self.query_one("#track-detail", Static).update(R.track_detail(track) if track else "")

    def _order_detail(self, o: OrderView) -> RenderableType:
        lines = [Text.assemble((P.order_title(o), "bold"),
                               f"  ({BY_KIND[o.adjudication].label})")]
        if o.rationale:
            lines.append(Text(f"Rationale / argument: “{o.rationale}”"))
        lines.append(Text(f"Status: {o.status}; outcome: {P.order_result(o)}"))
        if o.roll:
            lines.append(Text(f"Roll: {P.roll_text(o.roll)}"))
        if is_review(self.view) and o.status != "secret":
            lines.append(Text("Not applied yet: o overrides it (with a reason); n applies "
                              "all results.", "italic"))
        return Group(*lines)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._update_details()

    def _pop_injects(self) -> None:
        for inject in self.view.injects:
            if inject.status == "pending" and inject.event not in self._popped:
                self._popped.add(inject.event)
                self.app.push_screen(InjectDialog(inject), self._submit)
                return

    # ------------------------------------------------------------------ acting

    def _submit(self, text: str | None) -> None:
        if text and self.host.submit(text):
            self.host.proceed()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        table = event.data_table.id
        if table == "order-table":
            self.action_rule()
        elif table == "move-table":
            self._order_control_move()
        elif table == "inject-table":
            self._decide_inject()
        elif table == "track-table":
            self.action_adjust()

    def action_rule(self) -> None:
        o = self._highlighted_order()
        if o is None or o.status != "awaiting ruling":
            self.notify("This order does not await a ruling (o overrides an outcome).")
            return
        prefix = f"control: rule order={o.ref} outcome="
        legal = {a[len(prefix):] for a in self.view.legal if a.startswith(prefix)}
        outcomes = [(oid, name) for oid, name in o.outcomes if oid in legal]
        self.app.push_screen(RulingDialog(o, outcomes, o.rationale), self._submit)

    def action_override(self) -> None:
        o = self._highlighted_order()
        if o is None or o.status == "secret":
            self.notify("Pick a revealed order on the Rulings tab (1) to override.")
            return
        self.app.push_screen(OverrideDialog(o, o.outcomes), self._submit)

    def _order_control_move(self) -> None:
        key = self.query_one("#move-table", MoveTable).highlighted_key()
        mo = next((m for m in self._control_moves() if MoveTable.key_of(m) == key), None)
        if mo is None:
            return
        if not mo.legal:
            self.notify(f"{mo.name}: {mo.reason or 'not available now'}", severity="warning",
                        markup=False)
            return
        actor = self.view.actor(mo.actor)
        self.app.push_screen(MoveForm(mo, actor.resources, actor.name), self._submit)

    def action_finish_control(self) -> None:
        actors = [a for a in self.view.waiting_for if a != "control"
                  and self.view.actor(a).kind != "player"]
        for a in actors:
            passing = str(Action(a, "pass"))  # the view is fresh after each: a turn order moves
            if passing in self.host.game.view("control").legal and not self.host.submit(passing):
                return
        self.host.proceed()

    def _decide_inject(self) -> None:
        key = self.query_one("#inject-table", InjectTable).highlighted_key()
        inject = next((i for i in self.view.injects if i.event == key), None)
        if inject is not None:
            self.app.push_screen(InjectDialog(inject), self._submit)

    def action_inject(self, verb: str) -> None:
        key = self.query_one("#inject-table", InjectTable).highlighted_key()
        text = f"control: {verb} event={key}"
        if key is None or text not in self.view.legal:
            self.notify(f"Cannot {verb} that inject now.")
            return
        self._submit(text)

    def action_adjust(self) -> None:
        key = self.query_one("#track-table", TrackTable).highlighted_key()
        track = next((t for t in self.view.tracks if t.id == key), None)
        if track is None:
            self.notify("Pick a track on the Board tab (4) to adjust.")
            return
        self.app.push_screen(AdjustDialog(track), self._submit)

    def action_advance(self) -> None:
        if "control: advance" not in self.view.legal:
            todo, _ = self._todo()
            self.notify(f"Not yet: {todo.plain}", severity="warning", markup=False)
            return
        teams = [a for a in self.view.waiting_for if a != "control"]
        if teams and self.view.phase_kind == "orders":
            self.app.push_screen(
                ConfirmDialog(f"{', '.join(teams)} have not finished. End the orders phase now?"),
                lambda ans: self._submit("control: advance") if ans == "yes" else None)
            return
        self._submit("control: advance")

    def action_apply(self) -> None:
        """In the review of an adjudication: apply the outcomes as they stand."""
        self._submit("control: advance")

    def action_undo(self) -> None:
        self.app.push_screen(ConfirmDialog("Undo the last resolution of orders?"),
                             lambda ans: self.host.undo_resolution() if ans == "yes" else None)

    def action_end_game(self, unlisted: bool = False) -> None:
        """End the game now, with a reason (asked for and checked in the dialog). ``unlisted``:
        the same key, left out of a footer that is full (the Injects tab while one waits)."""
        self.app.push_screen(EndGameDialog(self.host.try_submit),
                             lambda ended: self.host.proceed() if ended else None)

    def action_pause(self) -> None:
        self.host.pause()

    def action_results(self) -> None:
        self.host.show_results()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        tab = self.query_one(TabbedContent).active
        if action == "inject" and not self.view.injects:
            return False
        if action == "override":  # outcomes can be overridden only before they apply
            return tab == "rulings" and self.view.phase_kind == "adjudication"
        where = {"inject": "injects", "finish_control": "control", "adjust": "board"}
        if action in where:
            return tab == where[action]
        if action == "explain":
            return tab in ("log", "board")
        if action == "apply":
            return is_review(self.view)
        if action == "end_game":
            crowded = tab == "injects" and bool(self.view.injects)
            return not self.view.over and (bool(parameters) or not crowded)
        if action == "advance":
            if is_review(self.view):
                return False  # n is 'Apply results' now
            return True if "control: advance" in self.view.legal else None
        return True
