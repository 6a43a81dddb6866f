"""The presentation layer every screen and the debrief share: how a value, a chance, a rung, a
move's odds, an umpire's hand and whose screen it is read to people.

Front ends (the terminal UI, the board, reports, the network client) keep only layout: they ask
here for words and numbers, and they ask a log line's declaration (:func:`game.engine.log.spec`)
what the line is to them. Nothing here prints or draws; everything is a function of a view.

>>> from game.session import Game
>>> g = Game.new("tutorial", seed=1)
>>> v = g.view("SOUTH")
>>> known(v.track("tension"))
'2'
>>> known(v.track("north_troops")).startswith("≈")
True
>>> odds_text(next(m for m in g.view("NORTH").moves if m.move == "mass_troops"))
'certain'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from game.engine import wording as W
from game.engine.actions import CONTROL, PUBLIC
from game.engine.adjudication import ADJUDICATORS, BY_KIND
from game.engine.log import Kind, attribution, spec
from game.engine.rules import scored_ids
from game.engine.state import OrderRoll
from game.engine.views import LogLine, MoveOption, OrderView, TrackView, View
from game.engine.wording import (
    AS_FAR_AS_YOU_KNOW,
    Measure,
    number,
    odds,
    percent,
    points,
    sentence,
    unit_after,
)

__all__ = [
    "ADJUDICATION_WORDS", "Measure", "amount", "attribution", "between", "change", "how_decided",
    "known", "log_mark", "number", "odds", "odds_text", "order_result", "room_news", "rung_text",
    "rung_where", "score", "seen", "short_cost", "span", "unit_after", "value", "whose_screen",
]

ADJUDICATION_WORDS = {a.kind: a.word for a in ADJUDICATORS}
"""How a move is decided, in one word each (menus, cards, the debrief): the adjudicators' words."""

UMPIRE_HAND = "✎"
"""The mark beside anything the umpire decided by hand (rulings, overrides, adjustments)."""


# ---------------------------------------------------------------- numbers


def value(t: Measure, x: float | None) -> str:
    """A value of track ``t`` at its declared precision ('yes'/'no' for a flag, '?' if None),
    or for a ladder whose rungs name every step, the name of the step reached.

    >>> from game.session import Game
    >>> v = Game.new("kursk-2024", seed=1).view("control")
    >>> value(v.track("poland_rok"), 13.273999999999997), value(v.track("poland_rok"), None)
    ('13.3', '?')
    >>> [value(v.track("tech_missiles"), x) for x in (0, 1, 2)]
    ['None', 'Reported', 'Confirmed']
    """
    return "?" if x is None else W.value(t, x)


def amount(t: Measure, x: float | None) -> str:
    """A value of track ``t`` as the board says it: at its precision, with its unit ('0.10
    thousand'; a flag 'yes' or 'no'; '?' if None)."""
    return "?" if x is None else value(t, x) + unit_after(t)


def between(t: Measure, low: float | None, high: float | None) -> str:
    """A range of track ``t``'s values, the unit said once: '0.00–5.25 thousand'; a ladder's
    in the names of its steps: 'None to Confirmed' (one name when both ends are one step).

    >>> from game.session import Game
    >>> t = Game.new("kursk-2024", seed=1).view("control").track("tech_space")
    >>> between(t, 0, 2), between(t, 1, 1)
    ('None to Confirmed', 'Reported')
    """
    if t.steps:
        a, b = value(t, low), value(t, high)
        return a if a == b else f"{a} to {b}"
    return f"{value(t, low)}–{value(t, high)}{unit_after(t)}"


def change(t: Measure, old: float | None, new: float | None) -> str:
    """A change of track ``t``, the unit said once: '16.6 → 23.1 $bn'."""
    return f"{value(t, old)} → {value(t, new)}{unit_after(t)}"


def known(t: TrackView, *, unit: bool = True) -> str:
    """What the viewer knows of a track: '3 thousand', '≈2.5–4.0 thousand' or 'unknown'; a
    ladder by the names of its steps: 'Reported', or through the fog '≈ None to Confirmed'."""
    if t.status == "unknown":
        return "unknown"
    if t.steps:  # the names of steps, no unit; an estimate marked as every estimate is
        return "≈ " + between(t, t.low, t.high) if t.status == "estimate" else value(t, t.value)
    if not unit:
        return f"≈{value(t, t.low)}–{value(t, t.high)}" if t.status == "estimate" \
            else value(t, t.value)
    if t.status == "estimate":
        return "≈" + between(t, t.low, t.high)
    return amount(t, t.value)


def seen(t: TrackView) -> str:
    """What the viewer was last shown of a track it now only estimates, and when: 'shown 1 in
    turn 1' ('' when nothing was revealed to it, or it sees the track now)."""
    if t.seen is None:
        return ""
    x, turn = t.seen
    return f"shown {amount(t, x)} in turn {turn}"


def span(t: TrackView) -> str:
    """The range a track runs over, at its precision and with its unit: '0.00 to 5.00
    thousand' ('0 (no) to 1 (yes)' for a flag).

    >>> from game.session import Game
    >>> span(Game.new("kursk-2024", seed=1).view("control").track("poland_rok"))
    '0.0 to 30.0 $bn'
    """
    if t.is_flag:
        return "0 (no) to 1 (yes)"
    if t.steps:  # the numbers the umpire types, with the names people read
        return f"{number(t.lo)} ({t.steps[0]}) to {number(t.hi)} ({t.steps[-1]})"
    return f"{value(t, t.lo)} to {value(t, t.hi)}{unit_after(t)}"


def now_and_span(t: TrackView) -> str:
    """What a track is and the range it runs over, as the umpire's adjust dialogs say it:
    'now 0.83 thousand; runs 0.00 to 30.00 thousand'; a ladder with the number to type:
    'now Reported (1); runs 0 (None) to 2 (Confirmed)'."""
    if t.steps and t.status == "exact" and t.value is not None:
        return f"now {known(t)} ({number(t.value)}); runs {span(t)}"
    return f"now {known(t)}; runs {span(t)}"


def score(view: View, x: float | None) -> str:
    """Points at the scenario's score precision ('?' when the viewer may not know them)."""
    if x is None:
        return "?"
    return points(x, view.score_precision)


# ---------------------------------------------------------------- rungs


def rung_text(t: TrackView) -> str:
    """The rung a track stands on, its arrow pointing the way it was reached: '▲ Standoff'
    (climbed to), '▼ Frayed' (fell to); 'below Standoff' before the first rising rung; '?'
    when the viewer does not know the value exactly; '' for a track without rungs."""
    if not t.thresholds:
        return ""
    if t.status != "exact":
        return "?"
    if t.rung:
        return f"{'▼' if t.rung in t.falling else '▲'} {t.rung}"
    rising = [(at, name) for at, name in t.thresholds if name not in t.falling]
    if rising:
        return f"below {min(rising)[1]}"
    return f"above {max(t.thresholds)[1]}"


def rung_where(t: TrackView, at: float, name: str) -> str:
    """Where one rung of a track lies, as a list of its rungs says it: 'Standoff: 3 or above',
    'Frayed: 5 or below'; a ladder's rung by its number, its name being the value people read
    ('Reported: 1 or above', never 'Reported: Reported or above').

    >>> from game.session import Game
    >>> v = Game.new("kursk-2024", seed=1).view("control")
    >>> rung_where(v.track("tech_missiles"), 1, "Reported")
    'Reported: 1 or above'
    """
    side = "or below" if name in t.falling else "or above"
    where = number(at, t.precision) if t.steps else value(t, at)
    return f"{name}: {where} {side}"


# ---------------------------------------------------------------- moves and orders


def odds_text(m: MoveOption, *, short: bool = False) -> str:
    """A move's chance of success as every menu and card shows it: 'certain', '58%', '58% as
    far as you know' when it leaves out factors the team cannot see (fog rule 3), or 'umpire
    decides'. ``short`` for a narrow column: 'umpire', '58%?'."""
    how = BY_KIND[m.adjudication]
    if how.certain or m.odds is None:
        return how.short if short else how.word
    if m.unseen_factors:
        return odds(m.odds) + ("?" if short else f" {AS_FAR_AS_YOU_KNOW}")
    return odds(m.odds)


def roll_text(roll: OrderRoll | None) -> str:
    """An order's roll as every screen says it: '2+5 +1 = 8 vs 8' (dice), 'drawn 41% vs 60%'
    (a draw against the teams' averaged estimates: both as percents), or '' without a roll.

    >>> from game.engine.state import OrderRoll
    >>> roll_text(OrderRoll((2, 5), ((1, "intel"),), 8, 8, 0.58))
    '2+5 +1 = 8 vs 8'
    >>> roll_text(OrderRoll((0.8612,), (), 0.8612, 0.57, 0.57))
    'drawn 86% vs 57%'
    """
    if not roll:
        return ""
    if roll.dice and all(isinstance(d, int) for d in roll.dice):
        plus = "".join(f" {v:+d}" for v, _ in roll.modifiers)
        return f"{'+'.join(str(d) for d in roll.dice)}{plus} = {number(roll.total)} vs " \
               f"{number(roll.target)}"
    return f"drawn {percent(roll.total)} vs {percent(roll.target)}"


def cost(m: MoveOption, names: Mapping[str, str]) -> str:
    """What a move costs in the resources' names, one of a kind said as one: '1 Action point,
    2 Political capital', or 'free'."""
    return ", ".join(f"{n} {_counted(names.get(rid, rid), n)}" for rid, n in m.cost) or "free"


def short_cost(m: MoveOption, names: Mapping[str, str]) -> str:
    """A cost for a narrow column, each resource by its name's initials: '1 AP, 2 PC' (Action
    points, Political capital), the whole name where two names share them; '—' if free."""
    initials = {rid: "".join(w[0] for w in name.split()).upper() for rid, name in names.items()}
    taken = list(initials.values())

    def said(rid: str) -> str:
        short = initials.get(rid)
        return short if short and taken.count(short) == 1 else names.get(rid, rid)

    return ", ".join(f"{n} {said(rid)}" for rid, n in m.cost) or "—"


def _counted(name: str, n: int) -> str:
    """'Action points' for one: 'Action point' (a last word ending in one 's')."""
    if n == 1 and name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def how_decided(m: MoveOption) -> str:
    """A sentence on how a move is decided and at what odds now."""
    unseen = " (it leaves out factors you cannot see)" if m.unseen_factors else ""
    return BY_KIND[m.adjudication].how(odds_text(m), unseen)


def outcome_name(o: OrderView, outcome: str | None = None) -> str:
    """The scenario's name of an order's outcome."""
    oid = o.outcome if outcome is None else outcome
    return dict(o.outcomes).get(oid or "", oid or "—")


def order_title(o: OrderView) -> str:
    """An order as a person names it, never by its ref: 'European Union, order 3:
    Reinforce (Size: brigade)' (the number counts the team's own orders)."""
    who = o.actor_name or o.actor
    return f"{who}, order {o.ref.rsplit('-', 1)[-1]}: {o.label or o.move_name}"


def order_result(o: OrderView) -> str:
    """Where an order stands, with the umpire's hand marked: 'secret until revealed', 'awaits
    the umpire', 'Firm', 'Success ✎ overridden by the umpire — reason'."""
    if o.status == "secret":
        return "secret until revealed"
    if o.status == "awaiting ruling":
        return "awaits the umpire"
    if not o.outcome:
        return "—"
    return outcome_name(o) + (f" {UMPIRE_HAND} {o.decided_by}" if o.decided_by else "")


# ---------------------------------------------------------------- the log


def log_mark(line: LogLine) -> str:
    """The word a log line starts with, with the umpire's hand marked: 'RESULT', '✎ UMPIRE'.
    A change the umpire made by hand and an outcome the umpire decided carry the hand too."""
    s = spec(line.kind)
    hand = s.umpire or _by_umpire(line)
    return f"{UMPIRE_HAND} {s.mark or line.kind.upper()}" if hand else (s.mark or line.kind.upper())


def _by_umpire(line: LogLine) -> bool:
    if line.kind is Kind.CHANGE:
        return bool(line.data.get("effect") == -1)
    if line.kind is Kind.OUTCOME:
        return bool(attribution(str(line.data.get("ruling") or ""), reason=False))
    return False


def body(line: LogLine) -> str:
    """A log line's sentence without the 'EVENT — ' / 'NEWS — ' lead its mark already says."""
    text = line.text.strip()
    if line.kind is Kind.EVENT:
        return text.removeprefix("EVENT — ")
    if line.kind is Kind.NEWS:
        return text.removeprefix("NEWS — ")
    return text


def room_news(lines: Iterable[LogLine], since: int = -1) -> list[LogLine]:
    """The lines after seq ``since`` that are news for the room (results, changes, rungs,
    events, the end): what the room has not yet seen."""
    return [ln for ln in lines if ln.seq > since and spec(ln.kind).room]


def headlines(lines: Iterable[LogLine], since: int = -1) -> list[LogLine]:
    """The lines after seq ``since`` worth showing among a turn's results."""
    return [ln for ln in lines if ln.seq > since and spec(ln.kind).headline]


# ---------------------------------------------------------------- the end


def scored_actors(view: View) -> list[str]:
    """The actors whose scores people are shown, by the rule the debrief and the log's end
    line use (:func:`game.engine.rules.scored_ids`: the teams, and an actor the umpire plays
    only if it has objectives), applied to the objectives this viewer knows of."""
    return scored_ids(((a.id, a.kind == "player") for a in view.actors),
                      {o.actor for o in view.objectives})


def ending(view: View, text: str, scores: Iterable[tuple[str, float]]) -> str:
    """How the game ended and the scores, best first, of :func:`scored_actors` only: 'The
    umpire ended the game: out of time. Scores: European Union 12, Russian Federation 9.5.'"""
    shown = set(scored_actors(view))
    ranked = sorted(((s, a) for a, s in scores if a in shown), key=lambda sa: -sa[0])
    said = ", ".join(f"{actor_name(view, a)} {score(view, s)}" for s, a in ranked)
    head = sentence(text[:1].upper() + text[1:])
    return f"{head} Scores: {said}." if said else head


# ---------------------------------------------------------------- whose screen


def whose_screen(view: View) -> str:
    """Who this screen is for, as a header says it: 'UMPIRE — sees everything', 'The room',
    'European Union (EU)'."""
    if view.viewer == CONTROL:
        return "UMPIRE — sees everything"
    if view.viewer == PUBLIC:
        return "The room — what every team may see"
    a = view.actor(view.viewer)
    return a.name if a.name == a.id else f"{a.name} ({a.id})"


def actor_name(view: View, aid: str) -> str:
    """An actor's name as people know it ('the umpire' for control)."""
    if aid == CONTROL:
        return "the umpire"
    return next((a.name for a in view.actors if a.id == aid), aid)
