"""The setup screen: scenario, seed, who plays each actor, or resume/load a saved game."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from game.engine.rules import Rules
from game.seating import PLAYER_KINDS, SetupChoice, default_seats, kind_words, next_kind, seat_words
from game.tui.gameapi import latest_save, save_words, scenario_choices
from game.tui.screens.modals import PromptDialog
from game.tui.widgets.tables import KeyedTable

SEAT_CYCLE = " → ".join("a script file of orders" if kind == "script" else kind_words(kind)
                       for kind in PLAYER_KINDS)
"""What Enter on a team's seat goes through, said from the one list of kinds (game.seating)."""

SETUP_HELP = f"""\
Setup — choose the scenario, the seed and who plays each actor.
Tab | move on, top to bottom: saved games, scenario, seed, seats, Start (the seats come first)
↑ ↓ | choose a seat
Enter | on a seat: change who plays it ({SEAT_CYCLE})
s | start the game
r | resume the latest save (the newest autosave, or the save made on quitting)
l | load a save file
Control-cell actors are played by the umpire. An automatic umpire rules and moves on by itself."""

class SetupScreen(Screen[None]):
    """Pick a scenario and seats; Start (s), Resume (r) or Load (l)."""

    HELP = SETUP_HELP
    BINDINGS = [Binding("s", "start", "Start"), Binding("r", "resume", "Resume"),
                Binding("l", "load", "Load save")]
    DEFAULT_CSS = """
    SetupScreen #title { background: $boost; text-style: bold; padding: 0 1; }
    SetupScreen VerticalScroll { max-width: 110; }
    SetupScreen .row { height: auto; margin: 0 1; }
    SetupScreen .row Label { width: 10; padding-top: 0; }
    SetupScreen Select { width: 40; }
    SetupScreen #seed { width: 16; }
    SetupScreen #about { margin: 0 1; height: auto; max-height: 4; color: $text-muted; }
    SetupScreen #seats { margin: 0 1; }
    SetupScreen #saved { height: auto; margin: 0 1; }
    SetupScreen #latest { height: auto; margin: 0 1 1 1; color: $text-muted; }
    SetupScreen #saved Label { width: auto; }
    SetupScreen #buttons { height: auto; margin: 1 1 0 1; }
    SetupScreen Button { margin-right: 2; }
    SetupScreen Select, SetupScreen #seed, SetupScreen KeyedTable, SetupScreen #saved Button,
    SetupScreen #buttons Button {
        border-left: blank !important;  /* room for the focus bar: nothing moves when it shows */
    }
    SetupScreen Select:focus, SetupScreen #seed:focus, SetupScreen KeyedTable:focus,
    SetupScreen #saved Button:focus, SetupScreen #buttons Button:focus {
        border-left: outer $accent !important;
    }
    SetupScreen Select:focus > SelectCurrent, SetupScreen Select:focus SelectCurrent Static,
    SetupScreen #seed:focus, SetupScreen #saved Button:focus, SetupScreen #buttons Button:focus,
    SetupScreen KeyedTable:focus > .datatable--cursor {
        background: $accent !important; color: black !important; text-style: bold !important;
    }
    SetupScreen KeyedTable > .datatable--cursor { background: $surface; }
    """

    def __init__(self, on_choice: Callable[[SetupChoice], None], scenario: str | None = None,
                 seed: int | None = None, seats: dict[str, str] | None = None) -> None:
        super().__init__()
        self.on_choice = on_choice
        self.choices = scenario_choices()
        if scenario and scenario not in self.choices:
            self.choices.insert(0, scenario)
        self.scenario = scenario or self.choices[0]
        self.seed = 1 if seed is None else seed
        self.preset = dict(seats or {})
        self.seats: dict[str, str] = {}
        self.rules: Rules | None = None

    def compose(self) -> ComposeResult:
        yield Static(" POWER PLAY — set up a game", id="title")
        with VerticalScroll() as form:
            form.can_focus = False  # a tab stop that showed nothing: Tab goes from control to control
            with Horizontal(id="saved"):
                yield Label("Go on with a saved game: ")
                yield Button("Resume the latest save (r)", id="resume", compact=True)
                yield Button("Load a save (l)", id="load", compact=True)
            yield Static(id="latest")
            with Horizontal(classes="row"):
                yield Label("Scenario")
                yield Select([(c, c) for c in self.choices], value=self.scenario,
                             allow_blank=False, compact=True, id="scenario")
                yield Label(" Seed")
                yield Input(str(self.seed), type="integer", compact=True, id="seed")
            yield Static(id="about")
            yield KeyedTable("Seat", "Played by", id="seats", enter="Change seat")
            yield Static(id="note")
            with Horizontal(id="buttons"):
                yield Button("Start (s)", id="start", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._load_scenario(self.scenario)
        latest = latest_save()
        self.query_one("#resume", Button).disabled = latest is None
        self.query_one("#latest", Static).update(
            f"Resume takes up {save_words(latest)} ({latest.path.name})." if latest
            else "No saved game to resume yet.")
        self.query_one("#seats", KeyedTable).focus()  # who plays what is set first; Start last

    def _load_scenario(self, ref: str) -> None:
        from game.scenario.compile import load_rules

        try:
            rules = load_rules(ref)
        except Exception as exc:  # a broken scenario file: say so, keep the screen
            self.query_one("#about", Static).update(Text(f"Cannot load {ref}: {exc}", "bold"))
            self.rules = None
            self.query_one("#seats", KeyedTable).fill([])
            return
        self.rules = rules
        self.scenario = ref
        self.query_one("#about", Static).update(
            Text(f"{rules.title} — {rules.turns} turns", "bold"))
        self.seats = default_seats(rules, self.preset)
        controls = [a.name for a in rules.actors if not a.is_player]
        self.query_one("#note", Static).update(
            (f"Played by the umpire: {', '.join(controls)}. " if controls else "")
            + "Press Enter on a seat to change who plays it; Tab goes on to Start.")
        self._draw_seats()

    def _draw_seats(self) -> None:
        rules = self.rules
        rows: list[tuple[str, tuple[Text | str, ...]]] = []
        for aid, kind in self.seats.items():
            if aid == "control":
                label = Text("Umpire (white cell)", "bold")
            else:
                assert rules is not None
                actor = rules.actors[rules.actor_index[aid]]
                label = Text.assemble(("■ ", f"bold {actor.color}" if actor.color else "bold"),
                                      (aid, "bold"), f" {actor.name}")
            words = seat_words(aid, kind)
            rows.append((aid, (label, words)))
        self.query_one("#seats", KeyedTable).fill(rows)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "scenario" and isinstance(event.value, str) \
                and event.value != self.scenario:
            self._load_scenario(event.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None:
            return
        nxt = next_kind(key, self.seats[key])
        if nxt != "script":
            self.seats[key] = nxt
            self._draw_seats()
            return

        def done(path: str | None) -> None:
            self.seats[key] = f"script:{path}" if path else "human"
            self._draw_seats()

        self.app.push_screen(PromptDialog(f"{key} plays from a script",
                                          "Script file (one order a line)", ""), done)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"start": self.action_start, "resume": self.action_resume,
         "load": self.action_load}[str(event.button.id)]()

    def action_start(self) -> None:
        if self.rules is None:
            self.notify("Choose a scenario that loads first.", severity="error")
            return
        raw = self.query_one("#seed", Input).value.strip()
        seed = int(raw) if raw.lstrip("-").isdigit() else 1
        self.on_choice(SetupChoice(self.scenario, seed, dict(self.seats)))

    def action_resume(self) -> None:
        latest = latest_save()
        if latest is None:
            self.notify("There is no saved game yet.", severity="warning")
            return
        self.on_choice(SetupChoice(load=latest.path))

    def action_load(self) -> None:
        def done(answer: str | None) -> None:
            if answer:
                self.on_choice(SetupChoice(load=Path(answer).expanduser()))

        self.app.push_screen(PromptDialog("Load a saved game", "Path of the save file:",
                                          str(latest.path if (latest := latest_save())
                                              else "saves/")), done)
