"""The adjudication show: what happened since a viewer last looked, played as beats.

A *show* is made from the log lines a viewer has not seen yet: a roll becomes dice that
tumble and settle on the real faces, an outcome or a rung reached becomes a banner, and
every track the viewer knows exactly slides from the value it last saw to the new one.
Events become pop-ups (they wait for a click). Time is passed in, never read, so tests and
screenshots can stop a show at any instant.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

from game import present as P
from game.board.theme import DANGER, GOOD, INK, Colour
from game.board.ui import Popup
from game.engine.log import OVERRIDDEN, End, EventFired, Inject, Kind, Outcome, Roll
from game.engine.rules import Rules
from game.engine.views import LogLine, View
from game.engine.wording import outcome_name

DICE_SECONDS = 1.6
BANNER_SECONDS = 1.5
TWEEN_SECONDS = 1.0
MAX_BEATS = 8
"""A viewer coming back after a long turn sees at most this many beats (the log has all)."""

BANNER_KINDS = frozenset({Kind.OUTCOME, Kind.NEWS, Kind.THRESHOLD, Kind.OVERRIDE, Kind.ADJUST})
"""Log kinds shown as a banner in the show (a roll is dice; events and the end are pop-ups)."""


class BeatKind(enum.Enum):
    DICE = "dice"
    BANNER = "banner"


@dataclass(frozen=True)
class Beat:
    kind: BeatKind
    seq: int
    text: str
    dice: tuple[int, ...] = ()
    total: int = 0
    target: int = 0
    success: bool | None = None
    colour: Colour = INK
    verdict: str = ""
    """What the settled dice come to, in words: '7 vs 7   SUCCESS', or when the umpire
    overrode the outcome, '7 vs 7 — overridden by the umpire: Failure' (in its colour)."""

    @property
    def seconds(self) -> float:
        return DICE_SECONDS if self.kind is BeatKind.DICE else BANNER_SECONDS


@dataclass
class Show:
    beats: list[Beat]
    start: Mapping[str, float] = field(default_factory=dict)
    end: Mapping[str, float] = field(default_factory=dict)
    t: float = 0.0
    """Seconds since the show began."""

    @property
    def length(self) -> float:
        return sum(b.seconds for b in self.beats) + TWEEN_SECONDS

    @property
    def done(self) -> bool:
        return self.t >= self.length

    def current(self) -> tuple[Beat, float] | None:
        """The beat playing now and how far into it (0..1), or None in the final slide."""
        t = self.t
        for b in self.beats:
            if t < b.seconds:
                return b, t / b.seconds
            t -= b.seconds
        return None

    def shown(self) -> dict[str, float]:
        """Track values to draw now: they move during the show's last second."""
        slide_from = self.length - TWEEN_SECONDS
        p = 0.0 if self.t <= slide_from else min(1.0, (self.t - slide_from) / TWEEN_SECONDS)
        p = 1 - (1 - p) ** 3
        return {k: self.start[k] + (v - self.start[k]) * p for k, v in self.end.items()
                if k in self.start}

    def skip_beat(self) -> None:
        """Jump to the start of the next beat (Space)."""
        t = 0.0
        for b in self.beats:
            t += b.seconds
            if self.t < t:
                self.t = t
                return
        self.t = self.length


def parse_roll(line: LogLine) -> Beat:
    """A roll line as a dice beat (a banner if it carries no dice, e.g. an estimate draw), from
    the entry's facts, never its sentence."""
    p: Roll = line.payload
    colour = GOOD if p.success else DANGER
    if not p.dice or p.kind == "estimate":
        return Beat(BeatKind.BANNER, line.seq, line.text, success=p.success, colour=colour)
    total, target = int(p.total), int(p.target)
    verdict = f"{total} vs {target}   {'SUCCESS' if p.success else 'FAILURE'}"
    return Beat(BeatKind.DICE, line.seq, line.text, tuple(int(x) for x in p.dice), total,
                target, p.success, colour, verdict)


def overridden(beat: Beat, outcome: str, name: str) -> Beat:
    """A roll's beat whose outcome the umpire overrode: it says so, in the outcome's colour
    (the raw roll's green 'SUCCESS' before 'Failure [overridden by the umpire]' read as a
    contradiction on a projector)."""
    colour = GOOD if outcome == "success" else DANGER if outcome == "failure" else INK
    said = f"overridden by the umpire: {name}"
    if beat.kind is not BeatKind.DICE:  # a draw on the estimates: a banner of its sentence
        return replace(beat, text=f"{beat.text.rstrip('.')} — {said}.", colour=colour)
    return replace(beat, colour=colour, verdict=f"{beat.total} vs {beat.target} — {said}")


def _overrides(lines: list[LogLine], view: View | None,
               rules: Rules | None = None) -> dict[str, tuple[str, str]]:
    """The orders among ``lines`` whose outcome the umpire overrode: (outcome id, its name,
    from the view's order, else the scenario's, e.g. for the room, which sees no orders)."""
    names = {o.ref: dict(o.outcomes) for o in view.orders} if view is not None else {}
    out = {}
    for line in lines:
        if line.kind == Kind.OUTCOME:
            p: Outcome = line.payload
            if p.ruling.startswith(OVERRIDDEN):
                name = names.get(p.order, {}).get(p.outcome) or (
                    outcome_name(rules, p.move, p.outcome) if rules is not None
                    else p.outcome.replace("_", " ").capitalize())
                out[p.order] = (p.outcome, name)
    return out


def beats_from(lines: list[LogLine], view: View | None = None,
               rules: Rules | None = None) -> list[Beat]:
    """The show's beats for ``lines``: dice for a roll (saying so when the umpire overrode its
    outcome), a banner for an outcome, news, a rung, an override or an adjustment."""
    beats: list[Beat] = []
    overrides = _overrides(lines, view, rules)
    for line in lines:
        if line.kind == Kind.ROLL:
            beat = parse_roll(line)
            roll: Roll = line.payload
            if roll.order in overrides:
                beat = overridden(beat, *overrides[roll.order])
            beats.append(beat)
        elif line.kind in BANNER_KINDS:
            colour = DANGER if line.kind == Kind.THRESHOLD else INK
            beats.append(Beat(BeatKind.BANNER, line.seq, line.text, colour=colour))
    return beats[-MAX_BEATS:]


def popups_from(lines: list[LogLine], view: View) -> list[Popup]:
    """The pop-ups for ``lines``: events, injects waiting for the umpire, the game's end (its
    scores those of the teams, and of an actor the umpire plays only if it has objectives)."""
    viewer_is_umpire = view.viewer == "control"
    out: list[Popup] = []
    for line in lines:
        if line.kind == Kind.EVENT:
            ev: EventFired = line.payload
            out.append(Popup(ev.name, ev.text or line.text, DANGER, line.seq))
        elif line.kind == Kind.INJECT and viewer_is_umpire:
            inject: Inject = line.payload
            if inject.status == "queued":
                out.append(Popup("Inject waiting for you", line.text, (86, 180, 233), line.seq))
        elif line.kind == Kind.END:
            end: End = line.payload
            out.append(Popup("Game over", P.ending(view, end.text, end.scores), INK, line.seq))
    return out


def exact_values(view: View) -> dict[str, float]:
    return {t.id: t.value for t in view.tracks if t.status == "exact" and t.value is not None}


def make_show(view: View, since: int, before: Mapping[str, float],
              skip: Collection[str] = (), rules: Rules | None = None
              ) -> tuple[Show | None, list[Popup]]:
    """The show and pop-ups for the lines of ``view`` after seq ``since``, leaving out lines of
    the kinds in ``skip`` (what the room was already shown: a team does not replay it).

    ``before`` holds the track values the viewer saw last; None when nothing moved.
    """
    fresh = [ln for ln in view.log if ln.seq > since and ln.kind not in skip]
    beats = beats_from(fresh, view, rules)
    popups = popups_from(fresh, view)
    after = exact_values(view)
    moved = {k: v for k, v in after.items() if k in before and before[k] != v}
    if not beats and not moved:
        return None, popups
    return Show(beats, dict(before), moved), popups
