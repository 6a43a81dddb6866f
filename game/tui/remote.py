"""``powerplay join URL``: the terminal UI as one seat of a game that ``powerplay host`` holds.

The screens are the hot-seat ones (:mod:`game.tui.screens`): a team's screen or the umpire's
console, drawn from a :class:`~game.engine.views.View` — here the one the host sent for this
seat, and nothing else (the host builds every frame from ``view_for(seat)``; nothing is filtered
on this side). Decisions go to the host as requests; its refusals come back as one line. The
connection lives in a background thread (:class:`game.tui.link.Link`) that reconnects by
itself; a line at the top says whether the screen is live, the phase timer, and the messages.

Besides the keys of the local screens: ``m`` opens the channels (read every message this seat
may read, write to a team or the umpire as the scenario allows), and the umpire's ``t`` sets
the phase timer. ``u`` (undo) keeps the messages sent since: they may already have been read.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from game.engine.actions import CONTROL
from game.engine.views import LogLine, View
from game.session import Result
from game.tui import render as R
from game.tui.app import APP_CSS, RESULT_KINDS
from game.tui.link import Frame, JoinError, Link, SeatLink, view_from_json
from game.tui.plain import PlainTextApp
from game.tui.screens.end import EndScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.modals import ConfirmDialog, FormDialog, PromptDialog, explain_dialog, field
from game.tui.screens.paused import PausedScreen
from game.tui.screens.results import ResultsScreen
from game.tui.screens.team import TEAM_HELP, SeatScreen, TeamScreen
from game.tui.screens.umpire import UMPIRE_HELP, UmpireScreen
from game.tui.widgets.choices import Choices

NET_CSS = """
#net { height: 1; background: $boost; padding: 0 1; }
#net.-down { background: $error 40%; }
"""

UNDO_QUESTION = ("Undo the last resolution of orders? Messages sent since stay in the game "
                 "(they may already have been read).")


class RemoteGame:
    """The game as this seat knows it: the latest frame the host sent (the seat's view, the
    pause, the timer, the channels it may write to)."""

    def __init__(self, frame: Frame) -> None:
        self.seat = str(frame["seat"])
        self.frame: Frame = {}
        self.current: View
        self.received = 0.0
        self.update(frame)

    def update(self, frame: Frame) -> None:
        self.current = view_from_json(frame["view"])
        self.frame = frame
        self.received = time.monotonic()

    def view(self, viewer: str) -> View:
        """This seat's view: the only one the host sends (asking for another is a bug)."""
        if viewer != self.current.viewer:
            raise KeyError(f"this screen holds the {self.current.viewer} view only, not {viewer}'s")
        return self.current

    @property
    def paused(self) -> bool:
        return bool(self.frame.get("paused"))

    def timer_left(self) -> tuple[float, str] | None:
        """Seconds left on the phase timer (counted down since the frame came) and what
        happens at zero, or None when no timer runs."""
        timer = self.frame.get("timer")
        if not isinstance(timer, dict):
            return None
        left = float(timer.get("left", 0)) - (time.monotonic() - self.received)
        return max(0.0, left), str(timer.get("expiry", "notify"))

    def write_to(self) -> list[tuple[str, str]]:
        """(seat, name) of everyone this seat may write to."""
        return [(str(w["seat"]), str(w["name"])) for w in self.frame.get("write_to", [])
                if isinstance(w, dict)]


def result_of(view: View) -> Result:
    """How the game ended, as far as this seat's view shows it (the end screen's figures)."""
    scores = {a.id: a.score for a in view.actors if a.score is not None}
    players = {a.id for a in view.actors if a.kind == "player"}
    ranked = {k: v for k, v in scores.items() if k in players} or scores
    top = max(ranked.values()) if ranked else 0.0
    winners = tuple(sorted(k for k, v in ranked.items() if v == top))
    summary = f"{view.title}: turn {view.turn} of {view.turns}, ended ({view.end_reason})."
    return Result(scores, winners, view.end_reason, summary)


def clock(seconds: float) -> str:
    """'4:05', '1:02:03'.

    >>> clock(245), clock(3723.4)
    ('4:05', '1:02:03')
    """
    s = int(seconds + 0.5)
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


# ---------------------------------------------------------------------- dialogs


class ChannelsDialog(FormDialog):
    """The messages this seat may read, and a message to write: to whom (↑ ↓), the text,
    Enter sends. ``send(to, text)`` returns the host's refusal or None."""

    DEFAULT_CSS = """
    ChannelsDialog #history { height: auto; max-height: 25vh; margin-bottom: 1; }
    ChannelsDialog Choices { max-height: 4; }
    """

    def __init__(self, messages: Sequence[LogLine], write_to: Sequence[tuple[str, str]],
                 send: Callable[[str, str], str | None]) -> None:
        super().__init__()
        self.messages = list(messages)
        self.targets = list(write_to)
        self.send = send

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Messages — every channel you may read (newest last)", id="title")
            history = Text()
            for i, line in enumerate(self.messages[-60:]):
                if i:
                    history.append("\n")
                history.append(f"T{line.turn} ", "dim")
                history.append(line.text)
            with VerticalScroll(id="history"):
                yield Static(history if self.messages else Text("No messages yet.", "italic"))
            if self.targets:
                yield Label("To (↑ ↓):")
                yield Choices(*(name for _, name in self.targets), id="to")
                yield field("Message", Input(placeholder="what to say (Enter sends)", id="text",
                                             max_length=2000, compact=True))
            yield Label("", id="error", classes="error")
            with Horizontal(id="buttons"):
                if self.targets:
                    yield Button("Send ⏎", id="ok", variant="primary", compact=True)
                yield Button("Close (Esc)", id="cancel", compact=True)
        yield Footer()

    BINDINGS = [Binding("up", "pick(-1)", "To: previous", show=False),
                Binding("down", "pick(1)", "To: next", show=False)]

    def action_pick(self, step: int) -> None:
        """↑ ↓ choose the addressee wherever the cursor is (the text keeps its place)."""
        if self.targets:
            to = self.query_one("#to", Choices)
            to.highlighted = (to.index + step) % len(self.targets)

    def on_mount(self) -> None:
        self.query_one("#history", VerticalScroll).scroll_end(animate=False)
        if self.targets:
            self.query_one("#text", Input).focus()

    def on_choices_accepted(self, event: Choices.Accepted) -> None:
        self.query_one("#text", Input).focus()

    def _accept(self) -> None:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            self.show_error("Write the message first (↑ ↓ above choose to whom).")
            return
        to = self.targets[self.query_one("#to", Choices).index][0]
        refusal = self.send(to, text)
        if refusal is not None:
            self.show_error(refusal)
            return
        self.dismiss("sent")


# ---------------------------------------------------------------------- the seat screens

REMOTE_KEYS = "m | messages: read the channels, write to a team or the umpire"
JOINED = ("Joined from another room: the line at the top says whether the screen is live, the "
          "phase timer, and the messages.")


def remote_help(text: str, *keys: str) -> str:
    """A local screen's help for the joined screen: its keys, then ``keys``, then the rest."""
    lines = text.splitlines()
    last = max(i for i, line in enumerate(lines) if " | " in line)
    return "\n".join([*lines[:last + 1], *keys, *lines[last + 1:], JOINED])


TEAM_REMOTE_HELP = remote_help(
    TEAM_HELP.replace("finish: your orders are in, hand the keyboard on",
                      "finish: your orders are in (the game goes on when all are in)"),
    REMOTE_KEYS)


def joined(screen: Screen[Any]) -> JoinApp:
    app = screen.app
    assert isinstance(app, JoinApp)
    return app


class RemoteTeamScreen(TeamScreen):
    """A team's screen, joined: the line about the connection on top, and ``m``."""

    HELP = TEAM_REMOTE_HELP
    DONE_HINT = "Done for now"
    BINDINGS = [Binding("m", "messages", "Messages")]
    DEFAULT_CSS = NET_CSS

    def compose(self) -> ComposeResult:
        yield Static(id="net")
        yield from super().compose()

    def action_messages(self) -> None:
        joined(self).open_channels()


class RemoteUmpireScreen(UmpireScreen):
    """The umpire's console, joined: the connection line, ``m``, the timer (``t``), and an undo
    that keeps the messages."""

    HELP = remote_help(UMPIRE_HELP.replace(
        "u | undo the last resolution of orders (the log keeps it, marked)",
        "u | undo the last resolution of orders (the log keeps it, marked; messages stay)").replace(
        "v | show the room the latest results",
        "v | the latest results (the room display, in a browser, shows them by itself)"),
        REMOTE_KEYS, "t | set the phase timer (minutes; 'advance' moves on at zero; 0 stops it)")
    BINDINGS = [Binding("m", "messages", "Messages"), Binding("t", "timer", "Timer", show=False)]
    DEFAULT_CSS = NET_CSS

    def compose(self) -> ComposeResult:
        yield Static(id="net")
        yield from super().compose()

    def action_messages(self) -> None:
        joined(self).open_channels()

    def action_undo(self) -> None:
        self.app.push_screen(ConfirmDialog(UNDO_QUESTION),
                             lambda ans: self.host.undo_resolution() if ans == "yes" else None)

    def action_timer(self) -> None:
        joined(self).ask_timer()


# ---------------------------------------------------------------------- the app


class JoinApp(PlainTextApp):
    """One seat (a team or the umpire) of a hosted game, in the terminal."""

    TITLE = "Power Play"
    ENABLE_COMMAND_PALETTE = False
    CSS = APP_CSS
    BINDINGS = [
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+s", "save", "Save", show=False),
        Binding("ctrl+q", "quit_game", "Quit", priority=True),
    ]

    def __init__(self, link: SeatLink, first: Frame, *, context: ssl.SSLContext | None = None
                 ) -> None:
        super().__init__()
        self.told: list[str] = []
        self.remote = RemoteGame(first)
        self.seat = self.remote.seat
        if self.remote.current.viewer != self.seat:  # the room display and observers: a browser
            raise JoinError("host/not-a-seat", "this link is the room display's or an "
                            "observer's: open it in a browser (the terminal joins as a team "
                            "or the umpire)")
        self.link = link
        self.net = Link(link, self._frame_from_thread, self._status_from_thread, context=context)
        self.status = "connecting…"
        self.down = True
        self.fatal = False
        self._drawn = 0
        self._heard = self._toasted = len(self.remote.current.messages)
        self.shown_upto = self._last_seq()  # what happened before is in the log (tab 5)
        self._showing_upto = self.shown_upto

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Toasts show game text literally: no console markup. The last ones are kept in
        :attr:`told` (what the player was told, for scripts and tests)."""
        self.told = [*self.told[-19:], message]
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ------------------------------------------------------------------ the seam

    @property
    def game(self) -> RemoteGame:
        return self.remote

    def submit(self, text: str) -> bool:
        refusal = self.try_submit(text)
        if refusal is not None:
            self.notify(refusal, title="Not allowed", severity="error", timeout=8)
        return refusal is None

    def try_submit(self, text: str) -> str | None:
        return self._ask({"type": "act", "action": text})

    def proceed(self) -> None:
        self._flow()

    def hand_on(self) -> None:
        if self.seat != CONTROL and self.seat not in self.remote.current.waiting_for:
            self.notify("Your orders are in. The screen follows the game as it goes on.")
        self._flow()

    def explain(self, seq: int, viewer: str) -> None:
        self.push_screen(explain_dialog(self._why(seq)))

    def pause(self) -> None:
        if self._ask_or_say({"type": "pause"}):
            self._flow()

    def undo_resolution(self) -> None:
        reply = self.net.request({"type": "undo", "scope": "resolution"})
        if reply.get("type") != "ok":
            self.notify(str(reply.get("message", "")), severity="error", timeout=8)
            return
        self._take(self.net.latest)
        self.shown_upto = min(self.shown_upto, self._last_seq())
        self.notify(str(reply.get("undone") or "Undone."), timeout=10)
        self._flow()

    def show_results(self) -> None:
        log = self.remote.current.log
        turn = log[-1].turn if log else 0
        lines = [x for x in log if x.kind in RESULT_KINDS and x.turn >= turn - 1]
        self.push_screen(self._results_screen(lines, self._after_results))

    # ------------------------------------------------------------------ talking to the host

    def _ask(self, msg: Frame) -> str | None:
        """Send a request; None when the host took it (its new frame is drawn from now on),
        else the host's refusal in a sentence."""
        reply = self.net.request(msg)
        if reply.get("type") == "error":
            return str(reply.get("message") or reply.get("code") or "refused")
        self._take(self.net.latest)
        return None

    def _ask_or_say(self, msg: Frame) -> bool:
        refusal = self._ask(msg)
        if refusal is not None:
            self.notify(refusal, severity="error", timeout=8)
        return refusal is None

    def _why(self, seq: int) -> list[str]:
        reply = self.net.request({"type": "why", "seq": seq})
        if reply.get("type") == "why":
            return [str(x) for x in reply.get("lines", [])] or ["Nothing to explain here."]
        return [f"Cannot ask the host: {reply.get('message', 'no answer')}"]

    def _send(self, to: str, text: str) -> str | None:
        refusal = self._ask({"type": "say", "to": to, "text": text})
        if refusal is None:
            self._heard = self._toasted = len(self.remote.current.messages)  # ours: no news
            name = dict(self.remote.write_to()).get(to, to)
            self.notify(f"Message sent to {name}.")
            self._flow()
        return refusal

    def open_channels(self) -> None:
        self._heard = len(self.remote.current.messages)
        self._draw_net()
        self.push_screen(ChannelsDialog(self.remote.current.messages, self.remote.write_to(),
                                        self._send))

    def ask_timer(self) -> None:
        def done(answer: str | None) -> None:
            if answer is None:
                return
            minutes, _, expiry = answer.strip().partition(" ")
            try:
                seconds = float(minutes) * 60
            except ValueError:
                self.notify(f"'{minutes[:20]}' is not a number of minutes", severity="error")
                return
            want = "advance" if expiry.strip().startswith("a") else "notify"
            if self._ask_or_say({"type": "timer", "seconds": seconds, "expiry": want}):
                self._flow()

        self.push_screen(PromptDialog("Phase timer: minutes, then 'advance' to move on at zero "
                                      "(else everyone is told). 0 stops it.",
                                      "Minutes", "10"), done)

    # ------------------------------------------------------------------ frames from the host

    class FrameArrived(Message):
        """The host sent a new frame (posted from the connection's thread)."""

    class StatusChanged(Message):
        """The connection's state changed (posted from the connection's thread)."""

        def __init__(self, text: str, fatal: bool) -> None:
            super().__init__()
            self.text, self.fatal = text, fatal

    def _frame_from_thread(self, frame: Frame) -> None:
        # posting is thread-safe and never waits: the UI may be waiting for this thread
        self.post_message(self.FrameArrived())

    def _status_from_thread(self, text: str, fatal: bool) -> None:
        self.post_message(self.StatusChanged(text, fatal))

    def on_join_app_frame_arrived(self, message: FrameArrived) -> None:
        self._take_and_flow()

    def on_join_app_status_changed(self, message: StatusChanged) -> None:
        self._set_status(message.text, message.fatal)

    def _take(self, frame: Frame | None) -> bool:
        """Draw from ``frame`` from now on if it is newer than the one drawn; True if it was."""
        number = self.net.frames
        if frame is None or number == self._drawn:
            return False
        self._drawn = number
        try:
            self.remote.update(frame)
        except (KeyError, TypeError, ValueError) as exc:
            self.notify(f"The host sent a screen this version cannot read ({exc}).",
                        severity="error", timeout=10)
            return False
        return True

    def _take_and_flow(self) -> None:
        if self._take(self.net.latest):
            self._news()
            self._flow()

    def _news(self) -> None:
        """A toast for each message that arrived for this seat since it last looked."""
        messages = self.remote.current.messages
        for line in messages[self._toasted:][-3:]:
            self.notify(line.text, title="Message (m: channels)", timeout=12)
        self._toasted = len(messages)
        self._draw_net()

    def _set_status(self, text: str, fatal: bool) -> None:
        was_down = self.down
        self.status = text
        self.down = not text.startswith("connected")
        self.fatal = self.fatal or fatal
        self._draw_net()
        if fatal:
            self.notify(f"Cannot go on: {text}. Ctrl+Q quits.", severity="error", timeout=3600)
        elif self.down and not was_down:
            self.notify(text, severity="warning", timeout=6)
        elif was_down and not self.down and self._drawn:
            self.notify("Connected to the host again: the screen shows the game as it is now.",
                        timeout=6)

    def _net_text(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.fatal:
            line.append(f"✖ {self.status}", "bold")
            return line
        line.append("● " if not self.down else "○ ", "bold")
        line.append(f"{self.link.where}: {self.status}" if self.down else
                    f"live — {self.link.where}")
        left = self.remote.timer_left()
        if left is not None:
            seconds, expiry = left
            then = "then the phase moves on" if expiry == "advance" else "then everyone is told"
            line.append(f" │ ⏱ {clock(seconds)} left ({then})", "bold")
        count = len(self.remote.current.messages)
        new = count - self._heard
        line.append(" │ m: messages" + (f" ({count}" if count else ""))
        if new > 0:
            line.append(f", {new} new", "bold reverse")
        line.append(")" if count else "")
        return line

    def _draw_net(self) -> None:
        text = self._net_text()
        for screen in self.screen_stack:
            if isinstance(screen, (RemoteTeamScreen, RemoteUmpireScreen)):
                for widget in screen.query("#net"):
                    if isinstance(widget, Static):
                        widget.update(text)
                        widget.set_class(self.down or self.fatal, "-down")

    # ------------------------------------------------------------------ the flow

    def on_mount(self) -> None:
        self.net.start()
        self._flow()
        self.set_interval(1.0, self._draw_net)

    def on_unmount(self) -> None:
        self.net.close()

    def _show(self, screen: Screen[Any]) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def _seat_screen(self) -> SeatScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, SeatScreen):
                return screen
        return None

    def _flow(self) -> None:
        g = self.remote
        v = g.current
        if g.paused:
            if not any(isinstance(s, PausedScreen) for s in self.screen_stack):
                self._show(PausedScreen(self._resume))
            return
        if v.over:
            if not isinstance(self.screen, EndScreen):
                board = ("The board as it truly is:" if self.seat == CONTROL else
                         "The board as your team saw it (the debrief shows it as it truly was):")
                self._show(EndScreen(result_of(v), v, board_title=board))
            return
        current = self._seat_screen()
        if current is None:
            screen: SeatScreen = (RemoteUmpireScreen(self) if self.seat == CONTROL
                                  else RemoteTeamScreen(self, self.seat))
            self._show(screen)
        elif current.is_mounted:  # else it draws the latest view when it mounts
            current.refresh_view()
        self._draw_net()
        if any(isinstance(s, ResultsScreen) for s in self.screen_stack):
            return
        fresh = self._fresh_results()
        if fresh:
            self.push_screen(self._results_screen(fresh, self._after_results))

    def _resume(self) -> None:
        if self.seat != CONTROL:
            self.notify("Only the umpire can resume the game.")
            return
        if self._ask_or_say({"type": "resume"}):
            self._flow()

    def _last_seq(self) -> int:
        log = self.remote.current.log
        return log[-1].seq if log else -1

    def _fresh_results(self) -> list[LogLine]:
        """A team's new results, once the umpire has applied them (the umpire's console shows
        them as they come; ``v`` shows them as a list)."""
        if self.seat == CONTROL or self.remote.current.phase_kind == "adjudication":
            return []
        lines = [x for x in self.remote.current.log if x.seq > self.shown_upto
                 and x.kind in RESULT_KINDS]
        return lines if any(x.kind in R.HEADLINE_KINDS for x in lines) else []

    def _results_screen(self, lines: list[LogLine], on_done: Callable[[], None]
                        ) -> ResultsScreen:
        heads = [x.turn for x in lines if x.kind in R.HEADLINE_KINDS]
        span = f"turn {heads[0]}" if heads else f"turn {self.remote.current.turn}"
        whose = "as the umpire sees it" if self.seat == CONTROL else "what your team may see"
        title = f" RESULTS, {span} — {whose}.  x: why?   c: continue"
        self._showing_upto = max((x.seq for x in lines), default=self._last_seq())
        return ResultsScreen(title, lines, self._why, on_done)

    def _after_results(self) -> None:
        # lines that came while the results were read are shown next
        self.shown_upto = max(self.shown_upto, self._showing_upto)
        if isinstance(self.screen, ResultsScreen):
            self.pop_screen()
        self._flow()

    # ------------------------------------------------------------------ app keys

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(str(getattr(self.screen, "HELP", ""))))

    def action_save(self) -> None:
        self.notify("The host keeps the game: every decision is in its save as soon as it is "
                    "made. Nothing to save here.")

    def action_quit_game(self) -> None:
        if self.fatal or self.remote.current.over:
            self.exit(0)
            return

        def done(answer: str | None) -> None:
            if answer == "yes":
                self.exit(0)

        self.push_screen(ConfirmDialog("Leave the game? It goes on at the host; join again with "
                                       "the same link."), done)


def run_join(url: str, cafile: str | None = None) -> int:
    """``powerplay join URL``: check the link, then run the seat's screens until the player
    quits (blocking); the exit code. A bad link or an absent host raises :class:`JoinError`."""
    from game.tui.link import parse_link, probe, tls_context

    link = parse_link(url)
    context = tls_context(cafile) if link.secure or cafile else None
    first = probe(link, context)
    app = JoinApp(link, first, context=context)
    return int(app.run() or 0)
