"""The words and numbers people read, decided once: names instead of ids, values at their
declared precision, odds in one phrasing.

The engine's log sentences use these, and so does every screen through :mod:`game.present`
(which re-exports them): two screens that phrase the same fact differently are a bug.

>>> number(13.273999999999997, 1), number(6.0, 0), number(0.35000000000000003, 2)
('13.3', '6', '0.35')
>>> odds(1.0), odds(0.0), odds(0.583), odds(0.996)
('certain', 'impossible', '58%', '>99%')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from game.engine.actions import CONTROL, EVERYONE
from game.engine.rules import Rules, step_of


def number(x: float, precision: int = 0, *, trim: bool = False) -> str:
    """``x`` with ``precision`` decimal places (no float noise, no '-0'); ``trim`` drops
    trailing zeros (for scores: '12.5', '12').

    >>> number(-0.04, 1), number(2.50, 2, trim=True), number(2.0, 2, trim=True)
    ('0.0', '2.5', '2')
    """
    text = f"{float(x):.{precision}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class Measure(Protocol):
    """What it takes to say a track's numbers: a viewer's :class:`TrackView`, the rules' track
    or the debrief's note of a track all have it."""

    @property
    def is_flag(self) -> bool: ...
    @property
    def precision(self) -> int: ...
    @property
    def unit(self) -> str: ...
    @property
    def lo(self) -> float: ...
    @property
    def steps(self) -> tuple[str, ...]: ...
    """The names of a ladder track's steps from ``lo`` up, () for a track read as a number
    (:func:`game.engine.rules.named_steps`)."""


def unit_after(t: Measure) -> str:
    """What follows a value of ``t`` where its unit is said: ' thousand', or '%' with no space
    (as odds are written, '58%'); '' for a flag, a ladder or a track without a unit.

    >>> from game.session import Game
    >>> rules = Game.new("kursk-2024", seed=1).rules
    >>> [unit_after(rules.tracks[rules.track_index[t]])
    ...  for t in ("dprk_troops", "rok_support", "tech_space")]
    [' thousand', '%', '']
    """
    if not t.unit or t.is_flag or t.steps:
        return ""
    return t.unit if t.unit == "%" else f" {t.unit}"


def value(track: Measure, x: float) -> str:
    """A value of ``track`` (the rules' or a viewer's) at its declared precision ('yes'/'no'
    for a flag; the name of the step reached for a ladder whose rungs name every step,
    'Reported' for 1)."""
    if track.is_flag:
        return "yes" if x >= 0.5 else "no"
    steps = track.steps
    if steps:
        return step_of(steps, track.lo, x)
    return number(x, track.precision)


def track_value(rules: Rules, tid: str, x: float) -> str:
    """A value of the track with id ``tid`` (plain formatting if no such track)."""
    i = rules.track_index.get(tid)
    return value(rules.tracks[i], x) if i is not None else number(x, 2, trim=True)


def track_unit(rules: Rules, tid: str) -> str:
    """' thousand' for a track with a unit ('' for a flag, a track without one, or no such
    track): said once after a value or the last of a range."""
    i = rules.track_index.get(tid)
    t = rules.tracks[i] if i is not None else None
    return unit_after(t) if t is not None else ""


def is_ladder(rules: Rules, tid: str) -> bool:
    """Does the track with id ``tid`` read by the names of its steps (no number beside them)?"""
    i = rules.track_index.get(tid)
    return i is not None and bool(rules.tracks[i].steps)


def points(x: float, precision: int) -> str:
    """Points as every screen and the debrief say them: at the scenario's score precision,
    trailing zeros dropped. The one way a score is written (:func:`score` and
    :func:`game.present.score` call it).

    >>> points(2.1111111, 1), points(3.0, 1), points(1.6666667, 2)
    ('2.1', '3', '1.67')
    """
    return number(x, precision, trim=True)


def score(rules: Rules, x: float) -> str:
    """Points at the scenario's score precision, trailing zeros dropped."""
    return points(x, rules.score_precision)


UNSEEN_POINTS = "depends on what you cannot see: scored at the debrief"
"""What a team is shown instead of the points of its own objective that reads a track it cannot
see (:mod:`game.engine.fog`, rule 1)."""
AS_FAR_AS_YOU_KNOW = "as far as you know"
"""Said after odds that leave out modifiers the team cannot see (fog rule 3)."""
UNSEEN_ROLL = "decided with factors you cannot see"
"""What a team is shown instead of a roll a factor it cannot see bore on (fog rule 2)."""


def odds(p: float | None) -> str:
    """A chance of success in words: 'certain', 'impossible', '58%', '>99%', '<1%', or
    'umpire decides' when no chance can be reckoned."""
    if p is None:
        return "umpire decides"
    if p >= 1:
        return "certain"
    if p <= 0:
        return "impossible"
    pct = round(p * 100)
    if pct >= 100:
        return ">99%"
    if pct <= 0:
        return "<1%"
    return f"{pct}%"


def percent(x: float) -> str:
    """A share as a whole percent, as a chance is said: '41%' (a draw on the teams' estimates
    is said so beside the chance it is drawn against, never as '0.41')."""
    return f"{number(x * 100)}%"


def times(n: int, per: str) -> str:
    """How often something may be done, in words: 'once a turn', 'twice a game', 'up to 3
    times a turn' (never '1 time(s)').

    >>> times(1, "turn"), times(2, "game"), times(3, "turn")
    ('once a turn', 'twice a game', 'up to 3 times a turn')
    """
    said = {1: "once", 2: "twice"}.get(n, f"up to {n} times")
    return f"{said} a {per}"


def success(ok: bool) -> str:
    return "success" if ok else "failure"


# ---------------------------------------------------------------- names


def sentence(text: str) -> str:
    """``text`` ended with one full stop, whether or not the author wrote one.

    >>> sentence("the crisis has become a regional war."), sentence("the last turn is over")
    ('the crisis has become a regional war.', 'the last turn is over.')
    """
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def actor_name(rules: Rules, aid: str) -> str:
    i = rules.actor_index.get(aid)
    return rules.actors[i].name if i is not None else aid


def speaker(rules: Rules, who: str) -> str:
    """Who writes or is written to on a channel: a team's name, 'the umpire', 'everyone'."""
    return {CONTROL: "the umpire", EVERYONE: "everyone"}.get(who) or actor_name(rules, who)


def move_name(rules: Rules, mid: str) -> str:
    i = rules.move_index.get(mid)
    return rules.moves[i].name if i is not None else mid


def track_name(rules: Rules, tid: str) -> str:
    i = rules.track_index.get(tid)
    return rules.tracks[i].name if i is not None else tid


def event_name(rules: Rules, eid: str) -> str:
    i = rules.event_index.get(eid)
    return rules.events[i].name if i is not None else eid


def phase_name(rules: Rules, pid: str) -> str:
    i = rules.phase_index.get(pid)
    return rules.phases[i].name if i is not None else pid


def outcome_name(rules: Rules, mid: str, oid: str) -> str:
    """The scenario's name of outcome ``oid`` of move ``mid`` ('success'/'failure' stay)."""
    i = rules.move_index.get(mid)
    o = rules.moves[i].outcome(oid) if i is not None else None
    return o.name if o is not None else oid


def resource_name(rules: Rules, aid: str, rid: str) -> str:
    i = rules.actor_index.get(aid)
    r = rules.actors[i].resource(rid) if i is not None else None
    return r.name if r is not None else rid


def objective_name(rules: Rules, oid: str) -> str:
    return next((o.name for o in rules.objectives if o.id == oid), oid)


def source_name(rules: Rules, sid: str) -> str:
    """A source of the real record as people cite it: 'European Council on Foreign
    Relations, 2024-11-07' (its publisher, else its title, and its date)."""
    src = next((s for s in rules.sources if s.get("id") == sid), None)
    if src is None:
        return sid
    who = str(src.get("publisher") or src.get("title") or sid)
    return f"{who}, {src['date']}" if src.get("date") else who


Params = Iterable[tuple[str, str]] | None


def choices(rules: Rules, mid: str, params: Params) -> str:
    """A move's chosen parameters in words, e.g. ' (Aimed at: The Council)'; '' for none."""
    pairs = tuple(params or ())
    if not pairs:
        return ""
    i = rules.move_index.get(mid)
    names = {pid: (q, dict(cs)) for pid, q, cs in rules.moves[i].labels} if i is not None else {}
    words = [f"{names[k][0]}: {names[k][1].get(v, v)}" if k in names else f"{k}: {v}"
             for k, v in pairs]
    return f" ({'; '.join(words)})"


def move_with_choices(rules: Rules, mid: str, params: Params) -> str:
    """'Reinforce (Size: a brigade)': a move's name and its chosen parameters."""
    return move_name(rules, mid) + choices(rules, mid, params)
