"""The board's setup screen: scenario, seed, who plays each seat (a human umpire by default),
or resume the latest save (an autosave, or the save made on quitting) or a save file — the
terminal UI's choices (the seat logic is :mod:`game.seating`, which also opens the games, for
both screens).

``powerplay play --ui board`` with no scenario or save opens it. It runs in the board's loop
(:func:`game.board.app.loop`) like the board itself, and hands over the :class:`Game` it
opened in ``game``.

Keys: ← → scenario · Tab seed (digits, Enter) · 1–9 change who plays team n (a script asks for
its file: type the path, Enter) · U the umpire · Enter or S start · R resume the latest save ·
L load a save (type its path, Enter).
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.board import text
from game.board.theme import (
    CHROME,
    CHROME_2,
    DANGER,
    DIM,
    HIGHLIGHT,
    INK,
    PAPER,
    SHADE,
    TypeScale,
    hex_colour,
)
from game.board.widgets import Click, Hit, button, chip, find_hit, panel, veil
from game.engine.actions import CONTROL
from game.engine.errors import EngineError
from game.engine.rules import Rules
from game.scenario.errors import ScenarioError
from game.seating import (
    SetupChoice,
    default_seats,
    latest_save,
    load_game,
    new_game,
    next_kind,
    save_words,
    scenario_choices,
    seat_words,
)
from game.session import Game, SeatError, read_script

SEED_DIGITS = 9


class SetupApp:
    """The setup screen's state and input (the board loop's protocol: ``running``, ``dirty``,
    ``animating``, ``handle``, ``tick``, ``render``)."""

    def __init__(self, size: tuple[int, int], scenario: str | None = None,
                 seed: int | None = None, seats: dict[str, str] | None = None) -> None:
        self.size = size
        self.choices = scenario_choices()
        if scenario and scenario not in self.choices:
            self.choices.insert(0, scenario)
        self.preset = dict(seats or {})
        self.seed = str(1 if seed is None else seed)
        self.seats: dict[str, str] = {}
        self.rules: Rules | None = None
        self.scenario = ""
        self.error = ""
        self.field = ""
        """Which text box has the keyboard: '' (none), 'seed', 'load' or 'script'."""
        self.load_path = ""
        self.script_seat = ""
        """The team whose script file is being asked for."""
        self.script_path = ""
        self.game: Game | None = None
        """The game the screen opened (the board takes it from here)."""
        self.loaded = False
        """Was ``game`` resumed from a save (no opening briefing then)?"""
        self.hits: list[Hit] = []
        self.running = True
        self.dirty = True
        self.animating = False
        self.latest = latest_save()
        """The save Resume takes up (the newest, an autosave or one made on quitting)."""
        self.select(scenario or self.choices[0])

    # ------------------------------------------------------------------ choices

    def select(self, ref: str) -> None:
        from game.scenario.compile import load_rules

        self.scenario = ref
        try:
            self.rules = load_rules(ref)
        except (ScenarioError, EngineError, OSError, ValueError) as exc:
            self.rules = None
            self.seats = {}
            self.error = f"Cannot load {ref}: {getattr(exc, 'message', exc)}"
            return
        self.error = ""
        self.seats = default_seats(self.rules, self.preset)
        self.dirty = True

    def turn_scenario(self, step: int) -> None:
        i = self.choices.index(self.scenario) if self.scenario in self.choices else 0
        self.select(self.choices[(i + step) % len(self.choices)])

    def cycle(self, seat: str) -> None:
        if seat not in self.seats:
            return
        kind = next_kind(seat, self.seats[seat])
        if kind == "script":  # which file: asked for in a box, the seat set once it reads
            self.field, self.script_seat = "script", seat
            pygame.key.start_text_input()
            return
        self.seats[seat] = self.preset[seat] = kind

    def use_script(self) -> None:
        """The typed script file plays the seat, if it can be read; else say why, in the box."""
        path = self.script_path.strip()
        try:
            read_script(path)
        except SeatError as exc:
            self.error = str(exc) if path else "Type the path of a script file."
            return
        self.seats[self.script_seat] = self.preset[self.script_seat] = f"script:{path}"
        self.close_box()

    def close_box(self) -> None:
        """Leave the text box; a script given up, its seat moves on past 'script' (to human)."""
        if self.field == "script" and not self.seats[self.script_seat].startswith("script:"):
            seat = self.script_seat
            self.seats[seat] = self.preset[seat] = next_kind(seat, "script:")
        self.field = ""
        self.error = ""
        pygame.key.stop_text_input()

    def team_seats(self) -> list[str]:
        return [s for s in self.seats if s != CONTROL]

    def open(self, choice: SetupChoice) -> None:
        """Open the chosen game; a refusal stays on this screen, in its words."""
        try:
            if choice.load is not None:
                self.game, self.loaded = load_game(choice.load), True
            else:
                self.game = new_game(choice.scenario, choice.seed, choice.seats)
        except (EngineError, SeatError, OSError, ValueError) as exc:
            self.error = str(getattr(exc, "message", exc))
            self.dirty = True
            return
        self.running = False

    def start(self) -> None:
        if self.rules is None:
            self.error = "Choose a scenario that loads first."
            return
        seed = int(self.seed) if self.seed.isdigit() else 1
        self.open(SetupChoice(self.scenario, seed, dict(self.seats)))

    def resume(self) -> None:
        self.latest = latest_save()
        if self.latest is None:
            self.error = "There is no saved game yet."
            return
        self.open(SetupChoice(load=self.latest.path))

    def ask_load(self) -> None:
        self.field = "load"
        self.load_path = str(self.latest.path if self.latest else "saves/")
        pygame.key.start_text_input()

    def load(self) -> None:
        path = self.load_path.strip()
        if not path:
            self.error = "Type the path of a save file."
            return
        self.open(SetupChoice(load=Path(path).expanduser()))

    # ------------------------------------------------------------------ input

    def handle(self, event: pygame.event.Event) -> None:
        self.dirty = True
        if event.type == pygame.QUIT:
            self.running = False  # nothing to lose yet
        elif event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            surface = pygame.display.get_surface()
            self.size = surface.get_size() if surface is not None else (event.x, event.y)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = find_hit(self.hits, event.pos)
            if hit is not None:
                self.click(hit.click, hit.arg)
        elif event.type == pygame.TEXTINPUT and self.field:
            self.type_text(event.text)
        elif event.type == pygame.KEYDOWN:
            self.key(event.key, event.mod)

    def type_text(self, chars: str) -> None:
        if self.field == "seed":
            self.seed = (self.seed + "".join(c for c in chars if c.isdigit()))[:SEED_DIGITS]
        elif self.field == "load":
            self.load_path = (self.load_path + chars)[:500]
        elif self.field == "script":
            self.script_path = (self.script_path + chars)[:500]

    def click(self, what: Click, arg: str) -> None:
        self.error = ""
        if what is Click.PAGE:
            self.turn_scenario(int(arg))
        elif what is Click.ACT:
            self.cycle(arg)
        elif what is Click.FIELD:
            self.focus(arg)
        elif what is Click.SUBMIT:
            {"start": self.start, "resume": self.resume, "load": self.ask_load,
             "open": self.load, "script": self.use_script}[arg]()
        elif what is Click.CANCEL:
            self.close_box()

    def focus(self, field: str) -> None:
        self.field = field
        if field == "seed":
            self.seed = ""  # typed digits replace the seed shown
        pygame.key.start_text_input()

    def key(self, k: int, mod: int) -> None:
        if k == pygame.K_q and mod & pygame.KMOD_CTRL:
            self.running = False
            return
        if self.field:
            self.field_key(k)
            return
        self.error = ""
        teams = self.team_seats()
        digit = k - pygame.K_1
        if 0 <= digit < min(9, len(teams)):
            self.cycle(teams[digit])
        elif k == pygame.K_u:
            self.cycle(CONTROL)
        elif k in (pygame.K_LEFT, pygame.K_RIGHT):
            self.turn_scenario(1 if k == pygame.K_RIGHT else -1)
        elif k == pygame.K_TAB:
            self.focus("seed")
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_s):
            self.start()
        elif k == pygame.K_r:
            self.resume()
        elif k == pygame.K_l:
            self.ask_load()

    def field_key(self, k: int) -> None:
        if k == pygame.K_ESCAPE or (k in (pygame.K_TAB, pygame.K_RETURN, pygame.K_KP_ENTER)
                                    and self.field == "seed"):
            if self.field == "seed" and not self.seed:
                self.seed = "1"
            self.close_box()
        elif k in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.field == "script":
                self.use_script()
            else:
                self.load()
        elif k == pygame.K_BACKSPACE:
            if self.field == "seed":
                self.seed = self.seed[:-1]
            elif self.field == "script":
                self.script_path = self.script_path[:-1]
            else:
                self.load_path = self.load_path[:-1]

    def tick(self, dt: float) -> None:
        """Nothing moves on the setup screen."""

    # ------------------------------------------------------------------ drawing

    def render(self, surface: pygame.Surface) -> None:
        self.size = surface.get_size()
        self.hits = draw_setup(surface, self)
        self.dirty = False


def draw_setup(surface: pygame.Surface, s: SetupApp) -> list[Hit]:
    """The setup screen for ``s``; the clickable regions."""
    text.check_fonts()
    sw, sh = surface.get_size()
    ts = TypeScale.for_height(sh)
    pad = ts.pad
    surface.fill(CHROME)
    hits: list[Hit] = []
    text.draw(surface, "POWER PLAY — set up a game", (pad * 4, pad * 2), ts.title, PAPER,
              bold=True, max_width=sw - pad * 8)
    y = pad * 3 + text.line_height(ts.title, True)
    bh = round(ts.body * 1.7)
    # scenario: ‹ id ›, its title and length
    left = pygame.Rect(pad * 4, y, bh * 2, bh)
    hits += button(surface, left, "◀ ←", ts.body, Hit(left, Click.PAGE, "-1"))
    name = s.rules.title if s.rules else s.scenario
    text.draw(surface, name, (left.right + pad * 3, y + (bh - ts.large) // 2),
              ts.large, HIGHLIGHT, bold=True, max_width=sw // 2)
    right = pygame.Rect(left.right + pad * 6 + min(sw // 2, text.width(name, ts.large, True)),
                        y, bh * 2, bh)
    hits += button(surface, right, "→ ▶", ts.body, Hit(right, Click.PAGE, "+1"))
    y += bh + pad * 2
    seed_label = "Seed (Tab)"
    seed_box = pygame.Rect(sw - pad * 4 - ts.body * 7, y - pad, ts.body * 7, bh)
    text.draw(surface, seed_label, (seed_box.x - pad * 2, seed_box.centery - ts.body // 2 - 2),
              ts.body, DIM, align="right")
    hits += _box(surface, seed_box, s.seed + ("▏" if s.field == "seed" else ""), ts.body,
                 s.field == "seed", Hit(seed_box, Click.FIELD, "seed"))
    about = f"{s.rules.turns} turns · {len(s.team_seats())} teams · scenario file " \
        f"{s.scenario}" if s.rules else ""
    text.draw(surface, about, (pad * 4, y), ts.body, PAPER,
              max_width=seed_box.x - text.width(seed_label, ts.body) - pad * 8)
    y = max(y + text.line_height(ts.body), seed_box.bottom) + pad * 2
    y = _seat_rows(surface, s, ts, y, hits)
    _buttons(surface, s, ts, hits)
    if s.error:
        text.draw_block(surface, s.error, pygame.Rect(pad * 4, sh - bh * 2 - ts.body * 3 - pad * 4,
                                                      sw - pad * 8, ts.body * 3), ts.body, DANGER,
                        bold=True)
    if s.field == "load":
        hits = _path_box(surface, s, ts, "Load a saved game: the path of the save file",
                         s.load_path, "load", ("Load (Enter)", "open"))
    elif s.field == "script" and s.rules is not None:
        name = s.rules.actors[s.rules.actor_index[s.script_seat]].name
        hits = _path_box(surface, s, ts, f"{name} plays from a script: the path of its file",
                         s.script_path, "script", ("Use (Enter)", "script"))
    return hits


def _box(surface: pygame.Surface, rect: pygame.Rect, value: str, size: int, focused: bool,
         hit: Hit) -> list[Hit]:
    pygame.draw.rect(surface, (255, 255, 255), rect, border_radius=6)
    pygame.draw.rect(surface, HIGHLIGHT if focused else INK, rect, 4 if focused else 2,
                     border_radius=6)
    text.draw(surface, value, (rect.x + 8, rect.y + (rect.height - size) // 2 - 2), size, INK,
              max_width=rect.width - 16)
    return [hit]


def _seat_rows(surface: pygame.Surface, s: SetupApp, ts: TypeScale, y: int,
               hits: list[Hit]) -> int:
    """One row per seat: its key, colour, name and who plays it (a click changes that)."""
    sw, sh = surface.get_size()
    pad = ts.pad
    rows = [*s.team_seats(), CONTROL] if s.seats else []
    bottom = sh - round(ts.body * 1.7) * 3 - ts.body * 3 - pad * 6
    rh = max(ts.small + pad, min(round(ts.body * 2.2), (bottom - y) // max(1, len(rows))))
    size = ts.body if rh >= ts.body * 1.5 else ts.small
    box = pygame.Rect(pad * 4, y, sw - pad * 8, rh * len(rows) + pad * 2)
    panel(surface, box, fill=CHROME_2, edge=None)
    kw = text.width("umpire U", size, True) + pad * 2
    name_w = box.width * 3 // 5 - kw
    for i, seat in enumerate(rows):
        r = pygame.Rect(box.x + pad, box.y + pad + i * rh, box.width - pad * 2, rh - pad)
        key = "U" if seat == CONTROL else str(i + 1) if i < 9 else ""
        text.draw(surface, key, (r.x + kw // 2, r.centery - size // 2 - 2), size, HIGHLIGHT,
                  bold=True, align="center")
        if seat == CONTROL:
            label, colour = "The umpire (white cell)", PAPER
        else:
            assert s.rules is not None
            actor = s.rules.actors[s.rules.actor_index[seat]]
            label, colour = actor.name, hex_colour(actor.color, DIM)
        chip(surface, pygame.Rect(r.x + kw, r.y + 4, rh // 2, r.height - 8), "", size, colour)
        text.draw(surface, label, (r.x + kw + rh // 2 + pad * 2, r.centery - size // 2 - 2), size,
                  PAPER, bold=True, max_width=name_w - rh // 2 - pad * 3)
        b = pygame.Rect(box.right - box.width * 2 // 5, r.y, box.width * 2 // 5 - pad * 2,
                        r.height)
        hits += button(surface, b, seat_words(seat, s.seats[seat]), size,
                       Hit(b, Click.ACT, seat), fill=PAPER)
    note = "Click a seat (or press its key) to change who plays it. Actors that are not " \
           "teams are played by the umpire."
    return text.draw_block(surface, note, pygame.Rect(box.x, box.bottom + pad, box.width,
                                                      ts.small * 3), ts.small, DIM)


def _buttons(surface: pygame.Surface, s: SetupApp, ts: TypeScale, hits: list[Hit]) -> None:
    sw, sh = surface.get_size()
    pad = ts.pad
    bh = round(ts.large * 1.6)
    labels = [("start", "Start (Enter)", s.rules is not None),
              ("resume", "Resume the latest save (R)", s.latest is not None),
              ("load", "Load a save… (L)", True)]
    gap = pad * 3
    bw = (sw - pad * 8 - gap * 2) // 3
    size = next((z for z in (ts.body, ts.small) if all(
        text.width(label, z, True) + pad * 2 <= bw for _, label, _ in labels)), ts.small)
    for i, (arg, label, enabled) in enumerate(labels):
        r = pygame.Rect(pad * 4 + i * (bw + gap), sh - bh - pad * 4, bw, bh)
        hits += button(surface, r, label, size, Hit(r, Click.SUBMIT, arg),
                       fill=HIGHLIGHT if arg == "start" else PAPER, enabled=enabled)
    if s.latest is not None:  # which save Resume takes up, whole: on two lines if need be
        said = f"Resume takes up {save_words(s.latest)} ({s.latest.path.name})."
        lines = min(2, len(text.wrap(said, ts.small, sw - pad * 8)))
        top = sh - bh - pad * 5 - text.line_height(ts.small) * lines
        text.draw_block(surface, said, pygame.Rect(pad * 4, top, sw - pad * 8, sh - top),
                        ts.small, DIM, max_lines=2)


def _path_box(surface: pygame.Surface, s: SetupApp, ts: TypeScale, title: str, path: str,
              field_name: str, ok_button: tuple[str, str]) -> list[Hit]:
    """A question for a file over the screen (a save to load, a team's script): a path, OK
    and Cancel."""
    sw, sh = surface.get_size()
    pad = ts.pad
    veil(surface, SHADE)
    box = pygame.Rect(0, 0, round(sw * 0.8), round(ts.body * 9))
    box.center = (sw // 2, sh // 2)
    panel(surface, box, fill=PAPER, edge=INK, radius=14, width=6)
    text.draw(surface, title, (box.x + pad * 3, box.y + pad * 3), ts.large, INK, bold=True,
              max_width=box.width - pad * 6)
    field = pygame.Rect(box.x + pad * 3, box.y + pad * 5 + ts.large, box.width - pad * 6,
                        round(ts.body * 1.6))
    value = text.fit(path + "▏", ts.body, field.width - 16)
    hits = _box(surface, field, value, ts.body, True, Hit(field, Click.FIELD, field_name))
    bh = round(ts.body * 1.7)
    ok = pygame.Rect(box.right - pad * 3 - ts.body * 8, box.bottom - pad * 3 - bh, ts.body * 8, bh)
    no = pygame.Rect(ok.x - pad * 3 - ts.body * 8, ok.y, ts.body * 8, bh)
    hits += button(surface, ok, ok_button[0], ts.body, Hit(ok, Click.SUBMIT, ok_button[1]),
                   fill=HIGHLIGHT)
    hits += button(surface, no, "Cancel (Esc)", ts.body, Hit(no, Click.CANCEL))
    if s.error:
        text.draw(surface, s.error, (box.x + pad * 3, field.bottom + pad), ts.small, DANGER,
                  bold=True, max_width=box.width - pad * 6)
    return hits


__all__ = ["SetupApp", "draw_setup"]
