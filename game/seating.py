"""Setting up a game, shared by the terminal UI's and the board's setup screens: who may play a
seat, what each choice is called, the seats a new game starts with, and what a setup screen
decided (a new game or a save to resume).

>>> next_kind("EU", "human"), next_kind("control", "human"), next_kind("EU", "passive")
('random', 'auto', 'script')
>>> next_kind("EU", "passive", scripts=False)
'human'
>>> seat_words("control", "human"), kind_words("greedy")
('human umpire', 'computer: greedy')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.actions import CONTROL
from game.engine.rules import Rules
from game.saves import autosave_folder
from game.scenario.load import available_scenarios, find_scenario
from game.session import Game

FLAGSHIP = "kursk-2024"
FALLBACK = "tutorial"

PLAYER_KINDS = ("human", "random", "greedy", "ismcts", "passive", "script")
"""A team's seat cycles through these; 'script' asks for the file of orders to play."""
UMPIRE_KINDS = ("human", "auto")
KIND_WORDS = {"human": "human team", "random": "computer: random", "greedy": "computer: greedy",
              "ismcts": "computer: thinks ahead",
              "passive": "computer: passive (always passes)", "auto": "automatic umpire",
              "control": "the umpire"}


@dataclass
class SetupChoice:
    """What a setup screen decided: a new game, or a save to load."""

    scenario: str = ""
    seed: int = 1
    seats: dict[str, str] = field(default_factory=dict)
    load: Path | None = None


def kind_words(kind: str) -> str:
    """How a seat's player is named on a setup screen."""
    if kind.startswith("script:"):
        return f"script {Path(kind[len('script:'):]).name}"
    if kind.startswith("ismcts:"):
        return f"{KIND_WORDS['ismcts']}, budget {kind[len('ismcts:'):]}"
    return KIND_WORDS.get(kind, kind)


def seat_words(seat: str, kind: str) -> str:
    """``kind_words``, with the umpire's human seat called what it is."""
    return "human umpire" if (seat, kind) == (CONTROL, "human") else kind_words(kind)


def default_seats(rules: Rules, preset: Mapping[str, str] | None = None) -> dict[str, str]:
    """The seats of a new game: every team human and a human umpire, unless ``preset`` says
    otherwise (the umpire last)."""
    preset = preset or {}
    seats = {a.id: preset.get(a.id, "human") for a in rules.actors if a.is_player}
    seats[CONTROL] = preset.get(CONTROL, "human")
    return seats


def next_kind(seat: str, current: str, *, scripts: bool = True) -> str:
    """The next choice for ``seat`` after ``current`` (a script seat goes back to human;
    ``scripts=False``: a screen that cannot ask for a file skips 'script')."""
    kinds: tuple[str, ...] = UMPIRE_KINDS if seat == CONTROL else PLAYER_KINDS
    if not scripts:
        kinds = tuple(k for k in kinds if k != "script")
    now = current.split(":")[0]
    return kinds[(kinds.index(now) + 1) % len(kinds)] if now in kinds else kinds[0]


def default_scenario() -> str:
    """The flagship scenario if it is installed, else the tutorial."""
    try:
        find_scenario(FLAGSHIP)
    except Exception:  # ScenarioError: not installed (yet)
        return FALLBACK
    return FLAGSHIP


def scenario_choices() -> list[str]:
    """Scenario ids to offer on a setup screen, the default first."""
    first = default_scenario()
    return [first, *(s for s in available_scenarios() if s != first)]


def new_game(scenario: str, seed: int, seats: dict[str, str] | str | None) -> Game:
    """A new game that autosaves after every turn."""
    return Game.new(scenario, seed=seed, seats=seats, autosave_dir=autosave_folder())


def load_game(path: str | Path) -> Game:
    """A saved game, resumed with autosaves on."""
    return Game.load(path, autosave_dir=autosave_folder())


def latest_autosave() -> Path | None:
    return Game.latest_autosave()


def parse_seat_option(seats: str | None) -> dict[str, str]:
    """``'NORTH=human,SOUTH=random'`` → a mapping (checked when the scenario is known).

    >>> parse_seat_option("NORTH=human, SOUTH=random")
    {'NORTH': 'human', 'SOUTH': 'random'}
    """
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in (seats or "").split(","))):
        key, _, value = part.partition("=")
        out[key.strip()] = value.strip()
    return out


__all__ = ["KIND_WORDS", "PLAYER_KINDS", "UMPIRE_KINDS", "SetupChoice", "default_scenario",
           "default_seats", "kind_words", "latest_autosave", "load_game", "new_game",
           "next_kind", "parse_seat_option", "scenario_choices", "seat_words"]
