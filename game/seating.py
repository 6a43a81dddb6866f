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

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from game.engine.actions import CONTROL
from game.engine.rules import Rules
from game.saves import SaveInfo, autosave_folder, latest_save
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


def save_words(info: SaveInfo, now: dt.datetime | None = None) -> str:
    """A save as a setup screen offers it: the game, where it stood, and when it was saved.

    >>> import datetime as dt; from pathlib import Path
    >>> at = dt.datetime(2026, 12, 4, 16, 45, tzinfo=dt.UTC)
    >>> info = SaveInfo(Path("saves/kursk-2024-turn2-x.json"), "kursk-2024", "kursk-2024",
    ...                 2, 2, False, at, False)
    >>> save_words(info, at + dt.timedelta(hours=1))  # doctest: +ELLIPSIS
    "Pyongyang's power play, turn 2 of 9 (Control cell moves), saved today at ..."
    """
    from game.scenario.compile import load_rules

    rules: Rules | None = None
    for ref in dict.fromkeys((info.ref, info.scenario)):
        try:
            rules = load_rules(ref)
            break
        except Exception:  # ScenarioError, OSError: the scenario has gone; say its id
            continue
    title = rules.title if rules is not None else info.scenario
    where = f"turn {info.turn}" + (f" of {rules.turns}" if rules is not None else "")
    if info.over:
        where = f"game over after {where}"
    elif rules is not None and 0 <= info.phase < len(rules.phases):
        where += f" ({rules.phases[info.phase].name})"
    how = "autosaved" if info.auto else "saved"
    return f"{title}, {where}, {how} {when_words(info.saved_at, now)}"


def when_words(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """A moment in the local time, as near as a person says it.

    >>> import datetime as dt
    >>> now = dt.datetime(2026, 12, 4, 17, 5)
    >>> when_words(dt.datetime(2026, 12, 4, 9, 30), now), when_words(dt.datetime(2026, 12, 3, 23, 1), now)
    ('today at 09:30', 'yesterday at 23:01')
    >>> when_words(dt.datetime(2026, 11, 28, 14, 0), now)
    'on 28 Nov 2026 at 14:00'
    """
    local = moment.astimezone() if moment.tzinfo is not None else moment
    today = (now.astimezone() if now is not None and now.tzinfo is not None
             else now or dt.datetime.now()).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today - dt.timedelta(days=1):
        return f"yesterday at {clock}"
    return f"on {local.day} {local:%b %Y} at {clock}"


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
           "default_seats", "kind_words", "latest_save", "load_game", "new_game",
           "next_kind", "parse_seat_option", "save_words", "scenario_choices", "seat_words",
           "when_words"]
