"""The board's window and event loop: ``powerplay play --ui board``.

The loop is thin: it turns pygame events into :class:`~game.board.widgets.Click` values or
key commands, applies them to the :class:`~game.session.Game` (the one facade) or to the UI
state, and redraws only when something changed. Drawing is done by pure functions of the
view (:mod:`game.board.screen`). While nothing moves the loop sleeps in ``event.wait``.

Who is at the screen: the seat the game waits for. When that changes from one team to
another (or to the umpire), a hand-off screen hides the board until the next team clicks.
Before that, if results were applied since the room last looked, the room sees them: the
board of the public view (what every player team may know), its adjudication show, and a
Continue button that leads to the hand-off.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pygame

from game.board import text
from game.board.anim import Show, exact_values, make_show
from game.board.cards import cards_per_page, team_dock_rects
from game.board.changes import NO_CHANGES, PULSE_SECONDS, changes_since
from game.board.layout import Mode
from game.board.overlays import draw_handoff
from game.board.panels import gauge_page_of
from game.board.room import (
    Ending,
    briefing_pages,
    chart_area,
    chart_surface,
    draw_briefing,
    draw_game_over,
    ending,
    key_track_series,
)
from game.board.screen import (
    FrameCache,
    Scene,
    draw_board,
    layout_for,
    make_scene,
    mode_for,
)
from game.board.setup import SetupApp
from game.board.theme import YELLOW, hex_colour
from game.board.ui import Ui
from game.board.umpire import umpire_dock_rects
from game.board.widgets import Hit
from game.engine.actions import CONTROL, PUBLIC
from game.engine.errors import EngineError
from game.engine.log import Kind, kinds
from game.engine.views import View
from game.saves import autosave_folder
from game.seating import parse_seat_option
from game.session import Game, SeatError

FPS = 60
IDLE_WAIT_MS = 500
DEFAULT_SIZE = (1280, 720)
HANDOFF_GUARD = 0.6
"""Seconds the hand-off screen ignores input: a double click on Done does not open the next
team's screen."""
QUIT_WINDOW = 5.0
"""Seconds within which a second quit request quits (the first one asks)."""
QUIT_QUESTIONS = {True: "Quit? Press Ctrl+Q (or close the window) again to save and quit.",
                  False: "Quit? Press Ctrl+Q (or close the window) again."}
"""What the first quit request asks, by whether there is something unsaved; it leaves the
screen when the question lapses."""
ROOM_NEWS = kinds(where=lambda s: s.room)
"""Log kinds that mean results were applied: the room is shown them at the next change of
seat (the kinds' own declaration says which)."""
ROOM_SHOWN = ROOM_NEWS | {Kind.ROLL, Kind.REVEAL}
"""What a team's own screen does not replay once the room has been shown it."""


class BoardApp:
    """One board window on one game (hot-seat: several teams share the screen)."""

    def __init__(self, game: Game, size: tuple[int, int] = DEFAULT_SIZE, *,
                 briefing: bool = False) -> None:
        self.game = game
        self.briefing = briefing
        """The room reads the opening briefing (a new game) before the first hand-off."""
        self.briefing_page = 0
        """The page of the opening briefing on show (Enter turns to the next, then begins)."""
        self.ending: Ending | None = None
        """What the game-over screen shows (read once, when the game has ended)."""
        self.chart: pygame.Surface | None = None
        self.chart_size: tuple[int, int] = (0, 0)
        self.final_board = False
        """At game over: the final board instead of the game-over screen (V)."""
        self.end_note = ""
        """At game over: where the debrief was written (or why it was not)."""
        self.size = size
        self.ui = Ui(viewer="")
        self.hits: list[Hit] = []
        self.scenes: dict[tuple[tuple[int, int], Mode], Scene] = {}
        self.seen: dict[str, int] = {}
        self.values: dict[str, dict[str, float]] = {}
        self.show: Show | None = None
        self.view: View | None = None
        self.stale = False
        """The game moved (computer seats) since the view on screen was read."""
        self.summoned = False
        """The umpire called to the screen out of turn (F9)."""
        self.frame_cache = FrameCache()
        self.dirty = True
        self.running = True
        self.clock = 0.0
        """Seconds of board time (the sum of the ticks' dt: tests pass a fixed dt)."""
        self.handoff_since = 0.0
        """When the hand-off screen appeared (it ignores input for HANDOFF_GUARD seconds)."""
        self.room_showed: set[str] = set()
        """Seats that have not looked since the room was shown the results: their own screen
        does not replay what the room saw."""
        self.saved = 0 if briefing else len(game.decisions)
        """Decisions in the game when it was last saved or loaded (a new game: none, so the
        computer teams' orders given before the board opened are saved on quitting too)."""
        self.saved_path: Path | None = None
        self.quit_asked: float | None = None
        """When (wall clock) a quit was asked for: a second request within QUIT_WINDOW seconds,
        with no other key or click between, quits."""
        self.wall: Callable[[], float] = time.monotonic
        # every seat has seen what happened before the board opened (a resumed game does not
        # replay its whole history to each team that sits down)
        for seat in (PUBLIC, CONTROL, *(a.id for a in game.rules.actors if a.is_player)):
            view = game.view(seat)
            self.seen[seat] = view.log[-1].seq if view.log else -1
            self.values[seat] = exact_values(view)

    # ------------------------------------------------------------------ who is at the screen

    def wanted_viewer(self) -> str | None:
        """The seat that should hold the screen now (None: computer seats are to move)."""
        g = self.game
        if g.is_over:
            return CONTROL
        if self.summoned and g.is_human(CONTROL):
            return CONTROL
        who = g.next_human()
        if who is None:
            return None
        if who != CONTROL and not g.rules.actors[g.rules.actor_index[who]].is_player:
            return CONTROL
        return who

    def sync(self) -> None:
        """Let computer seats move, then hand the screen to the seat that must act (after
        showing the room what was applied since it last looked)."""
        g = self.game
        if self.ui.viewer == PUBLIC or self.briefing:
            return  # the room keeps the board until someone clicks Continue
        computers = not g.paused and not g.is_over and not self.summoned \
            and g.next_human() is None
        if computers and g.step_agent():
            self.stale = True
            self.dirty = True
            return
        wanted = self.wanted_viewer()
        if wanted is None or self.ui.handoff_to == wanted:
            return
        if wanted == self.ui.viewer:
            if self.stale:
                self.refresh()
            return
        if self.room_has_news() and not self.summoned:
            self.take_seat(PUBLIC)
        elif g.is_over:
            self.take_seat(wanted)
        else:
            self.ask_handoff(wanted)

    def room_has_news(self) -> bool:
        """Were results applied that the room has not been shown yet?"""
        since = self.seen.get(PUBLIC, -1)
        return any(line.seq > since and line.kind in ROOM_NEWS
                   for line in self.game.view(PUBLIC).log)

    def leave_room(self) -> None:
        """The room has seen the results: hand the board to the seat that must act."""
        self.room_showed = {CONTROL, *self.game.rules.actor_index}
        self.ui.viewer = ""
        self.show = None
        self.dirty = True
        self.sync()

    @property
    def handoff_ready(self) -> bool:
        """Does the hand-off screen take input yet?"""
        return self.clock - self.handoff_since >= HANDOFF_GUARD

    @property
    def cards_per_page(self) -> int:
        """How many cards the dock shows at once (to turn to a chosen card's page)."""
        layout = layout_for(self.game.rules, self.size, self.ui.mode)
        if self.ui.mode is Mode.TEAM:
            return cards_per_page(team_dock_rects(layout)[0], layout)
        if self.ui.mode is Mode.UMPIRE:
            return cards_per_page(umpire_dock_rects(layout)[2], layout)
        return 0

    def ask_handoff(self, viewer: str) -> None:
        self.handoff_since = self.clock
        self.ui.hint = self.ui.digits = self.ui.flash = ""  # a team's message stays with it
        self.ui.handoff_to = viewer
        self.ui.dialog = None
        self.ui.popups.clear()
        self.ui.explain = None
        self.ui.show_log = self.ui.show_help = False
        self.show = None
        self.dirty = True

    def take_seat(self, viewer: str) -> None:
        """The next seat has the screen: show it what happened since it last looked."""
        self.ui.viewer = viewer
        self.ui.handoff_to = None
        self.ui.hint = self.ui.digits = self.ui.flash = ""
        self.ui.page = 0
        self.ui.changes = NO_CHANGES
        self.ui.pulse = None
        self.refresh()

    def refresh(self, *, animate: bool = True) -> None:
        """Re-read the view; start a show for the lines this viewer has not seen yet."""
        viewer = self.ui.viewer
        if not viewer:
            return
        view = self.game.view(viewer)
        self.view = view
        self.stale = False
        self.ui.paused = self.game.paused
        self.ui.mode = Mode.WATCH if view.over else mode_for(view, acting=True)
        last = view.log[-1].seq if view.log else -1
        since = self.seen.get(viewer, -1)
        before = self.values.get(viewer, exact_values(view))
        if last > since:
            start = since
            turns = [ln.seq for ln in view.log if ln.kind == Kind.TURN]
            if turns and turns[-1] > since and len(turns) > 1:
                # a new turn began: what changed over the last one (a seat that stayed at the
                # screen saw some of it already, and sees it again, with the rest)
                self.ui.changes = NO_CHANGES
                start = min(since, turns[-2])
            fresh = changes_since(view, start)
            if fresh:
                self.ui.changes = self.ui.changes.then(fresh)
                self.ui.pulse = 0.0
        if last > since and animate:
            seen = ROOM_SHOWN if viewer in self.room_showed else frozenset()
            show, popups = make_show(view, since, before, skip=seen,
                                      rules=self.game.rules)
            if show is not None:
                self.show = show
                self.turn_to_change(view, show)
            self.ui.popups.extend(popups)
        self.seen[viewer] = last
        self.room_showed.discard(viewer)
        self.values[viewer] = exact_values(view)
        self.dirty = True

    def turn_to_change(self, view: View, show: Show) -> None:
        """Show the theme of gauges where the first change happened, so the room sees it move."""
        layout = layout_for(self.game.rules, self.size, self.ui.mode)
        for track in show.end:
            index = gauge_page_of(view, layout, track)
            if index is not None:
                self.ui.theme = index
                return

    # ------------------------------------------------------------------ acting on the game

    def submit(self, action: str) -> bool:
        """Submit for the seat at the screen; a refusal goes to the flash line or the dialog."""
        seat = self.ui.viewer
        try:
            self.game.submit(action, seat=seat)
        except (EngineError, SeatError, ValueError) as exc:
            message = getattr(exc, "message", str(exc))
            if self.ui.dialog is not None:
                self.ui.dialog.error = message
            else:
                self.ui.flash = message
            self.dirty = True
            return False
        self.ui.flash = ""
        self.refresh()
        return True

    # ------------------------------------------------------------------ never lose a game

    @property
    def unsaved(self) -> bool:
        return len(self.game.decisions) != self.saved

    def save(self) -> Path | None:
        """Save the game to the saves folder (Ctrl+S, and on quitting); say where."""
        try:
            path = self.game.save()
        except OSError as exc:
            self.ui.flash = f"Could not save: {exc.strerror or exc} — the game is still open"
            self.dirty = True
            return None
        self.saved, self.saved_path = len(self.game.decisions), path
        self.ui.flash = f"Saved to {path}"
        self.dirty = True
        return path

    def request_quit(self) -> None:
        """Ctrl+Q or the window's close button: the first asks, a second straight after (within
        QUIT_WINDOW seconds, nothing else pressed between) saves what is unsaved and quits; a
        failed save keeps the board open."""
        now = self.wall()
        if self.quit_asked is None or now - self.quit_asked > QUIT_WINDOW:
            self.quit_asked = now
            self.ui.flash = QUIT_QUESTIONS[self.unsaved]
            self.dirty = True
            return
        if self.unsaved and self.save() is None:
            return
        self.running = False

    def lapse_quit(self) -> None:
        """QUIT_WINDOW seconds after a quit request its question leaves the screen, so that a
        Ctrl+Q then is seen to ask again rather than to do nothing."""
        if self.quit_asked is not None and self.wall() - self.quit_asked > QUIT_WINDOW:
            self.quit_asked = None
            if self.ui.flash in QUIT_QUESTIONS.values():
                self.ui.flash = ""
                self.dirty = True

    def umpire_power(self, power: Callable[[], None]) -> None:
        try:
            power()
        except EngineError as exc:
            self.ui.flash = exc.message
        self.show = None
        self.refresh(animate=False)

    # ------------------------------------------------------------------ drawing

    def scene(self) -> Scene:
        assert self.view is not None
        key = (self.size, self.ui.mode)
        scene = self.scenes.get(key)
        if scene is None:
            layout = layout_for(self.game.rules, self.size, self.ui.mode)
            scene = make_scene(self.view, layout)
            self.scenes[key] = scene
        return scene

    @property
    def game_over_screen(self) -> bool:
        """Is the game-over screen up (the game ended and its last results were shown)?"""
        return (self.view is not None and self.view.over and self.show is None
                and not self.ui.popups and self.ui.handoff_to is None and not self.final_board
                and self.ui.viewer != PUBLIC)

    def turn_briefing(self, step: int) -> None:
        """Show the opening briefing's next (+1) or previous (-1) page, if there is one."""
        layout = layout_for(self.game.rules, self.size, Mode.WATCH)
        pages = len(briefing_pages(layout, self.game.view(PUBLIC), self.game.rules.description))
        self.briefing_page = min(max(0, self.briefing_page + step), pages - 1)
        self.dirty = True

    def briefing_next(self) -> None:
        """Enter or the briefing's button: the next page, and on the last one, begin."""
        page = self.briefing_page
        self.turn_briefing(+1)
        if self.briefing_page == page:
            self.begin()

    def begin(self) -> None:
        """The room has read the opening briefing: the first seat takes the board."""
        self.briefing = False
        self.dirty = True
        self.sync()

    def write_debrief(self) -> None:
        """Game over: write the HTML debrief (game.report.html) beside the saves; say where."""
        from game.fileio import FileError, write_text
        from game.report.html import to_html
        from game.saves import saves_folder

        self.end_note = "Writing the debrief…"  # it takes a few seconds: say so first
        surface = pygame.display.get_surface()
        if surface is not None:
            self.render(surface)
            pygame.display.flip()
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = saves_folder() / f"{self.game.rules.id}-debrief-{stamp}.html"
        try:
            written = write_text(path, to_html(self.game), "debrief")
        except (FileError, OSError) as exc:
            self.end_note = f"Could not write the debrief: {getattr(exc, 'message', exc)}"
        else:
            self.end_note = f"Debrief written to {written}"
        self.dirty = True

    def render_game_over(self, surface: pygame.Surface) -> list[Hit]:
        assert self.view is not None
        layout = layout_for(self.game.rules, self.size, Mode.WATCH)
        if self.ending is None:
            self.ending = ending(self.game, self.view)
        area = chart_area(layout)
        if self.chart is None or self.chart_size != area.size:
            self.chart = chart_surface(key_track_series(self.game), area.size, layout.type.small)
            self.chart_size = area.size
        return draw_game_over(surface, layout, self.ending, self.chart, self.end_note)

    def render(self, surface: pygame.Surface) -> None:
        text.check_fonts()
        if self.briefing:
            layout = layout_for(self.game.rules, self.size, Mode.WATCH)
            self.hits = draw_briefing(surface, layout, self.game.view(PUBLIC),
                                      self.game.rules.description, self.briefing_page)
        elif self.game_over_screen:
            self.hits = self.render_game_over(surface)
        elif self.ui.handoff_to is not None:
            layout = layout_for(self.game.rules, self.size, Mode.WATCH)
            who, colour, line = self.handoff_text(self.ui.handoff_to)
            self.hits = draw_handoff(surface, layout, who, colour, line,
                                     self.ui.flash or self.ui.hint, self.handoff_ready,
                                     umpire=self.ui.handoff_to == CONTROL)
        elif self.view is not None:
            self.hits = draw_board(surface, self.view, self.scene(), self.ui, self.show,
                                   self.frame_cache)
        else:
            surface.fill((0, 0, 0))
            self.hits = []
        self.dirty = False

    def handoff_text(self, viewer: str) -> tuple[str, tuple[int, int, int], str]:
        rules = self.game.rules
        s = self.game.engine.state
        phase = self.game.engine.phase.name
        line = f"{rules.title}  ·  Turn {s.turn} of {rules.turns}  ·  {phase}"
        if viewer == CONTROL:
            return "THE UMPIRE", YELLOW, line
        actor = rules.actors[rules.actor_index[viewer]]
        return actor.name.upper(), hex_colour(actor.color), line

    # ------------------------------------------------------------------ time

    def tick(self, dt: float) -> None:
        """Advance the show by ``dt`` seconds, or let the game move on."""
        was_ready = self.handoff_ready
        self.clock += dt
        if self.ui.handoff_to is not None and self.handoff_ready != was_ready:
            self.dirty = True  # the hand-off button lights up
        if self.ui.dialog is not None:
            self.ui.dialog.echo = ""  # a key's text echo comes in the same batch of events
        self.lapse_quit()
        if self.show is not None:
            self.show.t += dt
            if self.show.done:
                self.show = None
            self.dirty = True
            return
        if self.ui.pulse is not None:  # the changed markers pulse once, after the show
            self.ui.pulse += dt
            if self.ui.pulse >= PULSE_SECONDS:
                self.ui.pulse = None
            self.dirty = True
        if not self.ui.has_overlay():
            self.sync()

    @property
    def animating(self) -> bool:
        """Does the loop run at full rate? (A show, computer seats moving, or the hand-off's
        guard running out: its button lights up on time, not at the next idle wake-up.)"""
        return self.show is not None or self.ui.pulse is not None or (self.game.next_human() is None
                                          and not self.game.is_over and not self.game.paused) \
            or (self.ui.handoff_to is not None and not self.handoff_ready)

    # ------------------------------------------------------------------ input

    def handle(self, event: pygame.event.Event) -> None:
        from game.board.input import handle_event

        handle_event(self, event)


def run_board(scenario: str | None, seed: int | None, load: str | None, seats: str | None,
              fullscreen: bool, size: tuple[int, int] | None) -> int:
    """Open the board window and play until it is closed; the exit code for the CLI.

    With no scenario and no save, the setup screen comes first (scenario, seed, seats, or
    resume a save)."""
    # an autosave after every turn and, in a new game, a human umpire at the board's dock unless
    # told otherwise, as in the terminal UI (a loaded game keeps the seats it was saved with)
    game: Game | None = None
    if load or scenario:
        try:
            game = Game.load(load, seats=seats, autosave_dir=autosave_folder()) if load \
                else Game.new(scenario or "tutorial", seed=seed or 0,
                              seats=seats or "control=human", autosave_dir=autosave_folder())
        except (EngineError, SeatError, OSError, ValueError) as exc:
            print(f"powerplay: {getattr(exc, 'message', exc)}")
            return 2
    pygame.init()
    pygame.display.set_caption("Power Play")
    flags = pygame.RESIZABLE | (pygame.FULLSCREEN if fullscreen else 0)
    screen = pygame.display.set_mode(size or (0, 0) if fullscreen else size or DEFAULT_SIZE,
                                     flags)
    app: BoardApp | None = None

    def stop(signum: int, frame: object) -> None:  # a kill or Ctrl+C in the terminal: save, go
        if app is not None:
            app.running = False
        elif setup is not None:
            setup.running = False

    setup: SetupApp | None = None
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)  # (SDL would make them a close request, which only asks)
    try:
        if game is None:
            setup = SetupApp(screen.get_size(), seed=seed, seats=parse_seat_option(seats))
            loop(setup, screen)
            game = setup.game
            if game is None:
                return 0
        pygame.display.set_caption(f"Power Play — {game.rules.title}")
        app = BoardApp(game, (pygame.display.get_surface() or screen).get_size(),
                       briefing=not (load or (setup is not None and setup.loaded)))
        loop(app, screen)
    finally:
        pygame.quit()
        if app is not None and app.unsaved:  # stopped by a signal or a crash
            app.save()
        if app is not None and app.saved_path is not None:
            print(f"Game saved to {app.saved_path}\nResume: powerplay play --ui board "
                  f"--load '{app.saved_path}'")
    return 0


class Looped(Protocol):
    """What the loop runs: the board, or its setup screen."""

    running: bool
    dirty: bool

    @property
    def animating(self) -> bool: ...

    def handle(self, event: pygame.event.Event) -> None: ...

    def tick(self, dt: float) -> None: ...

    def render(self, surface: pygame.Surface) -> None: ...


def loop(app: Looped, screen: pygame.Surface, max_frames: int | None = None,
         fixed_dt: float | None = None) -> None:
    """Run until the window closes: 60 fps while animating, asleep in event.wait when idle.

    Tests pass ``max_frames`` and ``fixed_dt`` (seconds per frame) to run a known stretch.
    """
    clock = pygame.time.Clock()
    frames = 0
    last = time.perf_counter()
    while app.running and (max_frames is None or frames < max_frames):
        if not app.animating and not app.dirty and fixed_dt is None:
            first = pygame.event.wait(IDLE_WAIT_MS)
            events = [first] if first.type != pygame.NOEVENT else []
            events += pygame.event.get()
        else:
            events = pygame.event.get()
        for event in events:
            app.handle(event)
        now = time.perf_counter()
        app.tick(fixed_dt if fixed_dt is not None else min(0.1, now - last))
        last = now
        if app.dirty:
            screen = pygame.display.get_surface() or screen
            app.render(screen)
            pygame.display.flip()
        if app.animating and fixed_dt is None:
            clock.tick(FPS)
        frames += 1


def headless_env() -> None:
    """Use SDL's dummy drivers (tests, screenshots, benchmarks on machines with no display)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


__all__ = ["BoardApp", "headless_env", "loop", "run_board"]
