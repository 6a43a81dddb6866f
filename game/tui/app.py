"""The terminal UI application and its flow: setup → (hand-off → seat screen)* → results → end.

``run_tui`` is what ``powerplay play`` calls. The app keeps no game state of its own besides the
:class:`~game.session.Game` facade; every screen draws a view from it.

Privacy: each seat's screen is created when its team sits down and *removed* (with any dialog
over it) before the neutral hand-off screen is shown, so no widget of the previous team survives;
textual runs in the terminal's alternate screen, which has no scroll-back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from game.engine.errors import EngineError
from game.engine.views import LogLine
from game.scenario.errors import ScenarioError
from game.seating import SetupChoice, parse_seat_option
from game.session import Game
from game.tui import render as R
from game.tui.gameapi import CONTROL, PUBLIC, load_game, new_game, seat_for
from game.tui.plain import PlainTextApp
from game.tui.screens.end import EndScreen
from game.tui.screens.handoff import HandoffScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.modals import ConfirmDialog, coach_dialog, explain_dialog
from game.tui.screens.paused import PausedScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.setup import SetupScreen
from game.tui.screens.team import SeatScreen, TeamScreen
from game.tui.screens.umpire import UmpireScreen

RESULT_KINDS = R.HEADLINE_KINDS | {"turn", "score"}
"""Public log kinds shown on the results screen (headlines plus turn markers and scores)."""

RESOLVED_KINDS = frozenset({"reveal", "roll", "outcome"})
"""Log kinds that show a turn's orders being resolved (a resumed turn with none of them yet is
shown after the last turn's results)."""

FOCUS_CSS = """
DataTable, OptionList, Input, Button, Tabs, TabPane > VerticalScroll, Dialog #body {
    border-left: blank;  /* room for the focus bar: nothing moves when it shows */
}
DataTable:focus, OptionList:focus, Input:focus, Button:focus, Tabs:focus,
TabPane > VerticalScroll:focus, Dialog #body:focus {
    border-left: outer $accent;
}
TabPane .detail { border-left: none; }  /* its rule on top: the bar goes over its margin */
TabPane .detail:focus { border-left: none; outline-left: outer $accent; }
.-suspended DataTable:focus, .-suspended OptionList:focus, .-suspended Input:focus,
.-suspended Button:focus, .-suspended Tabs:focus, .-suspended TabPane > VerticalScroll:focus {
    border-left: blank;  /* a screen under a dialog: the keys go to the dialog */
}
.-suspended TabPane .detail:focus { border-left: none; outline-left: none; }
Toast.-information { border-left: tall $success; }  /* ▊, not the focus bar's ▌: a toast */
Toast.-warning { border-left: tall $warning; }     /* never holds the keys */
Toast.-error { border-left: tall $error; }
.-suspended DataTable:focus > .datatable--cursor,
.-suspended OptionList:focus > .option-list--option-highlighted,
.-suspended Input:focus, .-suspended Button:focus, .-suspended Tabs:focus .-active {
    background: $block-cursor-blurred-background; color: $foreground; text-style: none;
}
DataTable:focus > .datatable--cursor, OptionList:focus > .option-list--option-highlighted,
Input:focus, Button:focus, Tabs:focus .-active {
    background: $accent; color: black; text-style: bold;
}
"""
"""The focus, on every screen the same (the setup screen showed it first): a bar ``▌`` at the
focused widget's left (seen without colour) and its cursor, tab or text in the accent colour, so
a player at the keyboard always sees where the keys go. A screen under a dialog shows none (the
keys go to the dialog): the apps mark it ``-suspended`` (:class:`~game.tui.plain.PlainTextApp`)."""

APP_CSS = FOCUS_CSS + """
Screen { layers: base; }
#status { background: $primary-background; color: $text; height: 1; }
TabbedContent { height: 1fr; }
TabPane { padding: 0 0; }
.detail { height: 1fr; padding: 0 1; border-top: solid $primary-background; }
#moves-head, #orders-help { padding: 0 1; height: auto; }
"""


class PowerPlayApp(PlainTextApp):
    """Hot-seat play of one game: teams, the umpire and computer seats at one terminal."""

    TITLE = "Power Play"
    ENABLE_COMMAND_PALETTE = False
    CSS = APP_CSS
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+q", "quit_game", "Quit", priority=True),
    ]

    def __init__(self, scenario: str | None = None, seed: int | None = None,
                 load: str | Path | None = None, seats: dict[str, str] | None = None) -> None:
        super().__init__()
        self.start_scenario = scenario
        self.start_seed = seed
        self.start_load = load
        self.start_seats = seats
        self._game: Game | None = None
        self.seat: str | None = None
        self.shown_upto = -1
        self.saved_to: Path | None = None

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Toasts show game text (orders, errors) literally: no console markup by default."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ------------------------------------------------------------------ host protocol

    @property
    def game(self) -> Game:
        assert self._game is not None, "no game yet"
        return self._game

    def submit(self, text: str) -> bool:
        refusal = self.try_submit(text)
        if refusal is not None:
            self.notify(refusal, title="Not allowed", severity="error", timeout=8)
        return refusal is None

    def try_submit(self, text: str) -> str | None:
        try:
            self.game.submit(text)
        except EngineError as exc:
            return exc.message
        return None

    def proceed(self) -> None:
        self._flow(stay=True)

    def hand_on(self) -> None:
        self._flow(stay=False)

    def explain(self, seq: int, viewer: str) -> None:
        self.push_screen(explain_dialog(self.game.explain(seq, viewer)))

    def coach(self, actor: str) -> None:
        lines = self.game.coach(actor)
        if not lines:
            self.notify("Nothing to choose now: your orders are in.")
            return
        team = self.game.rules.actors[self.game.rules.actor_index[actor]].name
        self.push_screen(coach_dialog(team, lines))

    def pause(self) -> None:
        self.game.pause()
        self._flow(stay=False)

    def undo_resolution(self) -> None:
        try:
            self.game.undo_resolution()
        except EngineError as exc:
            self.notify(exc.message, severity="error")
            return
        entries = self.game.view(CONTROL).log
        self.shown_upto = min(self.shown_upto, entries[-1].seq if entries else -1)
        self.notify("The last resolution is undone (the log keeps it, marked).")
        self._flow(stay=True)

    def show_results(self) -> None:
        lines = self._fresh_results() or self._turn_results()

        def done() -> None:
            self._mark_shown()
            self.pop_screen()

        self.push_screen(self._results_screen(lines, done))

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        if self.start_load is not None:
            self._open(SetupChoice(load=Path(self.start_load)))
        else:
            self._setup()

    def _setup(self) -> None:
        self._show(SetupScreen(self._open, self.start_scenario, self.start_seed,
                               self.start_seats))

    def _open(self, choice: SetupChoice) -> None:
        try:
            if choice.load is not None:
                game = load_game(choice.load)
            else:
                game = new_game(choice.scenario, choice.seed, choice.seats)
        except (EngineError, ScenarioError, OSError, ValueError) as exc:
            message = exc.message if isinstance(exc, EngineError) else str(exc)
            self.notify(message, title="Cannot open the game", severity="error", timeout=10)
            self._setup()
            return
        self._game = game
        self.seat = None
        self.shown_upto = -1
        if choice.load is not None:
            self._mark_shown()  # a resumed game shows where it stands, then goes on
            if not game.is_over:
                self._show(ResultsScreen(self._resumed_title(), self._turn_so_far(),
                                         self._room_explain, self._after_results, resumed=True))
                return
        self._flow(stay=False)

    # ------------------------------------------------------------------ the flow

    def _show(self, screen: Screen[Any]) -> None:
        """Remove every screen above the base (their widgets go), then show ``screen``.

        Flow screens call back into the app directly (not through dismiss callbacks, whose
        requester may be a screen removed here)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def _seat_screen(self) -> SeatScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, SeatScreen):
                return screen
        return None

    def _flow(self, *, stay: bool) -> None:
        g = self.game
        try:
            g.run_agents()
        except EngineError as exc:
            self.notify(f"A computer seat failed: {exc.message}", severity="error", timeout=10)
        if g.paused:
            self.clear_notifications()
            self.seat = None
            self._show(PausedScreen(self._resume))
            return
        who = g.next_human()
        seat = seat_for(g, who) if who else None
        current = self._seat_screen()
        if stay and current is not None and self._stays(current.seat, seat):
            current.refresh_view()
            return
        fresh = self._fresh_results()
        if fresh:
            self.clear_notifications()
            self._show(self._results_screen(fresh, self._after_results))
            return
        if g.is_over:
            self.seat = None
            self._show(EndScreen(g.result(), g.view(CONTROL), g, self.save_finished))
            return
        if seat is None:
            self.notify("Nobody can act: the computer seats are stuck.", severity="error")
            return
        self._handoff(seat)

    def _stays(self, current: str, nxt: str | None) -> bool:
        """Does the seat at the keyboard keep it? (A team may still retract orders.)"""
        if current == nxt:
            return True
        g = self.game
        return current != CONTROL and not g.is_over and bool(g.legal_actions(current))

    def _handoff(self, seat: str) -> None:
        self.clear_notifications()  # a toast may name the previous team's order
        self.seat = seat
        view = self.game.view(CONTROL if seat == CONTROL else seat)
        who = "the umpire" if seat == CONTROL else f"{seat} ({view.actor(seat).name})"
        color = "" if seat == CONTROL else view.actor(seat).color
        context = f"{view.title} — turn {view.turn}/{view.turns}, {view.phase_name}"
        self._show(HandoffScreen(seat, who, color, context, lambda: self._sit_down(seat)))

    def _sit_down(self, seat: str) -> None:
        screen: SeatScreen = UmpireScreen(self) if seat == CONTROL else TeamScreen(self, seat)
        self._show(screen)

    def _resume(self) -> None:
        self.game.resume()
        self._flow(stay=False)

    # ------------------------------------------------------------------ results

    def _fresh_results(self) -> list[LogLine]:
        lines = [x for x in self._room_log() if x.seq > self.shown_upto
                 and x.kind in RESULT_KINDS]
        return lines if any(x.kind in R.HEADLINE_KINDS for x in lines) else []

    def _room_log(self) -> tuple[LogLine, ...]:
        """The log lines every player team may see: what the room may be shown."""
        return self.game.view(PUBLIC).log

    def _turn_results(self) -> list[LogLine]:
        log = self._room_log()
        turn = log[-1].turn if log else 0
        return [x for x in log if x.kind in RESULT_KINDS and x.turn >= turn - 1]

    def _turn_so_far(self) -> list[LogLine]:
        """Where a resumed game stands, for the room: every line of the turn so far (its
        opening, its phases, what was revealed and resolved), and before it, while nothing of
        this turn has been resolved yet, the last turn's results."""
        log = self._room_log()
        turn = self.game.view(PUBLIC).turn
        now = [x for x in log if x.turn >= turn]
        if any(x.kind in RESOLVED_KINDS for x in now):
            return now
        return [x for x in log if x.turn == turn - 1 and x.kind in RESULT_KINDS] + now

    def _resumed_title(self) -> str:
        v = self.game.view(PUBLIC)
        shown = {x.turn for x in self._turn_so_far()}
        last = f"turn {v.turn - 1}'s results, then " if v.turn - 1 in shown else ""
        return (f" RESUMED — turn {v.turn}/{v.turns}, {v.phase_name}: {last}turn {v.turn} so "
                "far.")  # x and c are in the footer: on 80 columns a hint here broke in two

    def _results_screen(self, lines: list[LogLine], on_done: Callable[[], None]
                        ) -> ResultsScreen:
        heads = [x.turn for x in lines if x.kind in R.HEADLINE_KINDS]
        span = f"turn {heads[0]}" if heads else f"turn {self.game.view(CONTROL).turn}"
        title = f" RESULTS, {span} — what every team may see.  x: why?   c: continue"
        return ResultsScreen(title, lines, self._room_explain, on_done)

    def _room_explain(self, seq: int) -> list[str]:
        """The causes of a public log line, as far as every team may follow them."""
        return self.game.explain(seq, PUBLIC)

    def _mark_shown(self) -> None:
        log = self._room_log()
        self.shown_upto = max(self.shown_upto, log[-1].seq if log else -1)

    def _after_results(self) -> None:
        self._mark_shown()
        self._flow(stay=False)

    # ------------------------------------------------------------------ app keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self._game is not None
        # the end screen has its own q
        return not (action == "quit_game" and isinstance(self.screen, EndScreen))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(str(getattr(self.screen, "HELP", ""))))

    def action_save(self) -> None:
        if self._game is None:
            self.notify("No game to save yet.")
            return
        try:
            path = self._game.save()
        except (EngineError, OSError) as exc:
            self.notify(f"Could not save: {exc}", severity="error", timeout=10)
            return
        self.saved_to = path
        self.notify(f"Saved to {path}", title="Saved")

    def save_finished(self) -> Path:
        """Save the finished game (its debrief goes beside the save) and remember where."""
        assert self._game is not None
        self.saved_to = self._game.save()
        return self.saved_to

    def action_quit_game(self) -> None:
        if self._game is None or self._game.is_over:
            self.exit(0)
            return

        def done(answer: str | None) -> None:
            if answer == "yes":
                self.action_save()
                self.exit(0)

        self.push_screen(ConfirmDialog("Quit now? The game is saved first, to resume later."),
                         done)


def run_tui(scenario: str | None, seed: int | None, load: str | None, seats: str | None) -> int:
    """Run the terminal UI until the players quit (blocking); return the exit code."""
    app = PowerPlayApp(scenario, seed, load, parse_seat_option(seats))
    code = app.run()
    if app.saved_to is not None:
        print(f"Game saved to {app.saved_to}\nResume it with: powerplay play --load {app.saved_to}")
    return int(code or 0)
