"""The board's own state (what is selected, typed, shown on top), apart from the game's.

Drawing reads it; the event loop changes it. Nothing here knows pygame events.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from game.board.changes import NO_CHANGES, Changes
from game.board.layout import Mode

Choice = tuple[str, str, tuple[tuple[str, str], ...]]
"""One question of a dialog: (parameter id, its question, ((value, its name), ...))."""


class DialogKind(enum.Enum):
    MOVE = "move"
    """Parameters and rationale of a move before it is submitted."""
    OVERRIDE = "override"
    """The umpire changes an order's outcome, with a reason."""
    ADJUST = "adjust"
    """The umpire sets a track, with a reason."""
    END = "end"
    """The umpire ends the game now, with a reason (the engine checks it is given)."""


@dataclass
class Dialog:
    kind: DialogKind
    actor: str = ""
    move: str = ""
    params: dict[str, str] = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    """The questions with their allowed values and the names shown for them — for an
    override: ('outcome', 'Outcome', the order's outcomes)."""
    text: str = ""
    """The rationale (moves) or reason (umpire powers) being typed."""
    value: str = ""
    """The value being typed (adjust)."""
    field: str = "text"
    """Which text box has the keyboard: 'text' or 'value'."""
    error: str = ""
    page: int = 0
    """Which page of the choices is shown when they do not all fit (PgUp / PgDn)."""
    fresh: bool = False
    """The value box holds a prefilled value (the track's current one): the first digit typed
    replaces it instead of being appended to it."""
    echo: str = ""
    """The character of the key that opened the dialog: its text-input echo, arriving with
    the key press, is not typed into the dialog (cleared after that batch of events)."""

    def complete(self) -> bool:
        """Has every parameter a value (and, for the umpire's powers, a reason)? Until then
        the dialog's button is greyed and Enter does nothing (the dialog says what is missing:
        :func:`missing`)."""
        if any(pid not in self.params for pid, _, _ in self.choices):
            return False
        if self.kind is DialogKind.MOVE:
            return True
        if self.kind is DialogKind.ADJUST and not self.value.strip():
            return False
        return bool(self.text.strip())


REASON_WANTED = {
    DialogKind.END: "Write why the game ends: the reason goes in the record.",
    DialogKind.OVERRIDE: "Write why you override the outcome: the reason goes in the record.",
    DialogKind.ADJUST: "Write why you set the value: the reason goes in the record.",
}
"""What an umpire's dialog says while its reason is empty (its button greyed)."""


def missing(d: Dialog) -> str:
    """What the dialog still wants before it can be submitted, in words ('' when nothing, or
    when a choice is still to be made: the choices show that themselves)."""
    if any(pid not in d.params for pid, _, _ in d.choices):
        return ""
    if d.kind is DialogKind.ADJUST and not d.value.strip():
        return "Type the new value."
    if d.kind in REASON_WANTED and not d.text.strip():
        return REASON_WANTED[d.kind]
    return ""


@dataclass(frozen=True)
class Popup:
    title: str
    body: str
    colour: tuple[int, int, int]
    seq: int = -1
    """The log line it shows (click 'Why?' to explain it), or -1."""
    page: int = 0
    """The page of its text on show, when it takes more than one."""


@dataclass
class Ui:
    viewer: str
    mode: Mode = Mode.WATCH
    page: int = 0
    theme: int = 0
    """The first theme of gauges shown when they do not all fit (T turns on)."""
    dialog: Dialog | None = None
    handoff_to: str | None = None
    """Set while the hand-off screen waits for the next team to take the keyboard."""
    popups: list[Popup] = field(default_factory=list)
    explain: tuple[str, tuple[str, ...]] | None = None
    show_log: bool = False
    log_scroll: int = 0
    show_help: bool = False
    brief_page: int | None = None
    """The page of the seat's own briefing and objectives on show (B), or None."""
    paused: bool = False
    """Mirrors the game's pause (the umpire's P key)."""
    flash: str = ""
    """A short message (a refused action's reason) shown until the next click."""
    hint: str = ""
    """A neutral note on what a key is waiting for (a card number half typed, the hand-off
    key), shown until the next key."""
    digits: str = ""
    """The digits of a card number typed so far (with ten cards or more, '1' may begin '10')."""
    changes: Changes = NO_CHANGES
    """What changed since the seat at the screen last had it (highlighted on the map, listed in
    the "since last turn" strip)."""
    pulse: float | None = field(default=None, repr=False)
    """Seconds into the once-only pulse of the changed markers' rings (None: not pulsing).
    Left out of the repr, so the cached dock is not drawn again on every frame of it."""

    def has_overlay(self) -> bool:
        return bool(self.dialog or self.handoff_to or self.popups or self.explain
                    or self.show_log or self.show_help or self.brief_page is not None)
