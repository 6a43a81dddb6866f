"""The debrief: what each team believed beside what was true, the game beside the real record,
and every decision with its rationale and every ruling with its reason.

>>> from game.session import Game
>>> g = Game.new("tutorial", seed=2, seats="all=random").play_out()
>>> d = debrief(g)
>>> d.turns_played, len(d.timeline) >= 3
(3, True)
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game import present as P
from game.engine import wording as W
from game.engine.actions import CONTROL
from game.engine.log import BY_UMPIRE, Kind, describe, order_book
from game.engine.state import UNKNOWN
from game.session import Game
from game.textsafe import for_terminal


@dataclass(frozen=True)
class TrackNote:
    """What a reader of the debrief needs to say a track's numbers (as the board does: its
    name, the value at its precision, its unit)."""

    name: str
    unit: str
    precision: int
    is_flag: bool
    lo: float = 0.0
    steps: tuple[str, ...] = ()
    """The names of a ladder track's steps from ``lo`` up (the rules' ``Track.steps``): the
    tables read 'Reported', never '1'."""


@dataclass(frozen=True)
class BeliefRow:
    """What one actor believed of one hidden track at the start of a turn."""

    turn: int
    actor: str
    track: str
    status: str
    low: float | None
    high: float | None
    truth: float
    right: bool | None
    """Did the estimate contain the truth? (None when the actor had no idea.)"""
    actor_name: str = ""
    track_name: str = ""


@dataclass(frozen=True)
class HistoryRow:
    date: str
    turn: int
    text: str
    track: str
    real: float
    game: float | None
    source: str
    track_name: str = ""
    source_name: str = ""
    """The source as people cite it: its publisher (or title) and date."""


@dataclass(frozen=True)
class DecisionRow:
    turn: int
    actor: str
    move: str
    params: str
    rationale: str
    outcome: str
    actor_name: str = ""
    move_name: str = ""
    """The move as people read it, with its choices: 'Reinforce (Size: a brigade)'."""
    outcome_name: str = ""


@dataclass(frozen=True)
class RulingRow:
    turn: int
    kind: str
    text: str
    seq: int = -1
    """Its line in the umpire's log (-1 for a step that was undone)."""
    changed: tuple[int, ...] = ()
    """The track changes (:attr:`ChangeRow.seq`) it stands behind."""


class By(enum.StrEnum):
    """What set a track change going: an order's outcome, an event, the umpire's hand (a ruling,
    an override, an adjustment or a released inject on the way), or a rule of the turn."""

    ORDER = "order"
    EVENT = "event"
    UMPIRE = "umpire"
    RULE = "rule"


@dataclass(frozen=True)
class ChangeRow:
    """One change of a track and its causal trace (:meth:`game.session.Game.explain` as the
    umpire sees it): the outcome or event behind it, the roll (dice, target, modifiers), the
    umpire's ruling or override, back to the scenario rule."""

    turn: int
    seq: int
    """The change's line in the umpire's log (``Game.explain(seq, 'control')``)."""
    track: str
    track_name: str
    old: float
    new: float
    by: By
    cause: tuple[str, ...]
    """The causes, nearest first, each a sentence in names; the last names the rule."""


@dataclass(frozen=True)
class MessageRow:
    """One message on a channel (hosted games): who wrote to whom, in which turn."""

    turn: int
    sender: str
    to: str
    text: str
    said: str
    """The line as people read it: names, not ids."""


@dataclass(frozen=True)
class OfferRow:
    """An offer one team put to another, and what became of it."""

    turn: int
    """The turn it was made in."""
    actor: str
    to: str
    move: str
    offer: str
    """The offer move's name with its chosen parameters in words."""
    result: str
    """'accepted', 'declined', 'lapsed', or 'open' (the game ended first)."""
    closed: int | None
    """The turn it was answered or lapsed in."""
    actor_name: str = ""
    to_name: str = ""


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective, what it scored and when: why a team's score is what it is, its hidden
    agendas included."""

    actor: str
    actor_name: str
    objective: str
    name: str
    text: str
    """How it scores, in the scenario's words."""
    hidden: bool
    """A hidden agenda: only its team knew it during play."""
    points: float
    by_turn: tuple[tuple[int, float], ...]
    """The points it scored at the end of each turn (turns it scored nothing left out)."""
    at_end: float
    """The points it scored when the game ended."""


@dataclass(frozen=True)
class Debrief:
    scenario: str
    title: str
    seed: int
    turns_played: int
    summary: str
    scores: dict[str, float]
    timeline: list[dict[str, Any]]
    """Per turn start (and the end): the true value of every track."""
    beliefs: list[BeliefRow]
    history: list[HistoryRow]
    decisions: list[DecisionRow]
    rulings: list[RulingRow]
    messages: list[MessageRow] = dataclasses.field(default_factory=list)
    changes: list[ChangeRow] = dataclasses.field(default_factory=list)
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    """Each actor's name by id (the scores are keyed by id)."""
    offers: list[OfferRow] = dataclasses.field(default_factory=list)
    tracks: dict[str, TrackNote] = dataclasses.field(default_factory=dict)
    """Each track's name, unit and precision by id (the tables' rows are keyed by id)."""
    objectives: list[ObjectiveRow] = dataclasses.field(default_factory=list)
    score_precision: int = 1
    """The decimal places people see in scores (the scenario's)."""
    players: tuple[str, ...] = ()
    """The teams' ids (not the control cell's actors), in the scenario's order."""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def debrief(game: Game) -> Debrief:
    """Build the debrief of a game (finished or not) from its state and log."""
    rules = game.rules
    s = game.engine.state
    def values(truth: Any) -> dict[str, float]:  # at each track's declared precision
        return {t.id: _at(t, truth[t.idx]) for t in rules.tracks}

    timeline = [{"turn": turn, "date": rules.date_of_turn(turn).isoformat(), **values(truth)}
                for turn, _, truth in s.beliefs]
    timeline.append({"turn": "end", "date": rules.date_of_turn(s.turn).isoformat(),
                     **values(s.tracks)})
    scored = set(rules.scored())
    return Debrief(
        scenario=rules.id, title=rules.title, seed=game.seed,
        turns_played=s.turn if s.over else s.turn - 1, summary=game.result().summary,
        scores={a: round(v, rules.score_precision)
                for a, v in game.engine.actor_scores().items() if a in scored}, timeline=timeline,
        beliefs=_beliefs(game), history=_history(game), decisions=_decisions(game),
        rulings=_rulings(game), messages=_messages(game), changes=_changes(game),
        names={a.id: a.name for a in rules.actors}, offers=_offers(game),
        tracks={t.id: TrackNote(t.name, t.unit, t.precision, t.is_flag, t.lo, t.steps)
                for t in rules.tracks},
        objectives=_objectives(game), score_precision=rules.score_precision,
        players=tuple(a.id for a in rules.actors if a.is_player))


def _at(t: Any, x: float | None) -> Any:
    """``x`` rounded to track ``t``'s declared precision (no float noise in the tables)."""
    if x is None:
        return None
    x = round(x, t.precision)
    return int(x) if t.precision == 0 else x


def _beliefs(game: Game) -> list[BeliefRow]:
    rules = game.rules
    out = []
    for turn, known, truth in game.engine.state.beliefs:
        for a in rules.actors:
            for t in rules.tracks:
                k = known[a.idx][t.idx]
                if k is None and not t.secret:
                    continue
                value = truth[t.idx]
                v = _at(t, value)
                names = (a.name, t.name)
                if k is None:
                    out.append(BeliefRow(turn, a.id, t.id, "exact", v, v, v, True, *names))
                elif k == UNKNOWN:
                    out.append(BeliefRow(turn, a.id, t.id, "unknown", None, None, v, None, *names))
                else:
                    lo, hi = k
                    out.append(BeliefRow(turn, a.id, t.id, "estimate", _at(t, lo), _at(t, hi), v,
                                         lo <= value <= hi, *names))
    return out


def _objectives(game: Game) -> list[ObjectiveRow]:
    """Every objective, the points it scored at each turn's end and at the game's end (from
    the log's score lines)."""
    rules = game.rules
    entries = game.engine.state.entries()
    at_end = _end_scores(game)
    by_turn: dict[str, dict[int, float]] = {o.id: {} for o in rules.objectives}
    ending: dict[str, float] = {}
    for e in entries:
        if e.kind is not Kind.SCORE:
            continue
        oid = e.get("objective")
        if e.seq in at_end:
            ending[oid] = ending.get(oid, 0.0) + e.get("points")
        else:
            by_turn[oid][e.turn] = by_turn[oid].get(e.turn, 0.0) + e.get("points")
    p = rules.score_precision
    rows = []
    for o in rules.objectives:
        aid = rules.actors[o.actor].id
        rows.append(ObjectiveRow(
            aid, W.actor_name(rules, aid), o.id, o.name, o.text, o.hidden,
            round(game.engine.state.scores[o.idx], p),
            tuple((t, round(v, p)) for t, v in sorted(by_turn[o.id].items())),
            round(ending.get(o.id, 0.0), p)))
    return rows


def _end_scores(game: Game) -> set[int]:
    """The seqs of the score lines the game's end wrote (its objectives' end-of-game points):
    the score lines just before the end line, read back while each is an end-of-game objective
    earlier in the scenario's list than the one after it (the turn's own points come before
    them, in the list's order too)."""
    rules = game.rules
    entries = game.engine.state.entries()
    ends = [i for i, e in enumerate(entries) if e.kind is Kind.END]
    if not ends:
        return set()
    index = {o.id: o for o in rules.objectives}
    out: set[int] = set()
    after = len(rules.objectives)
    for e in reversed(entries[:ends[-1]]):
        if e.kind is not Kind.SCORE:
            break
        o = index[e.get("objective")]
        if o.at_end is None or o.idx >= after:
            break
        out.add(e.seq)
        after = o.idx
    return out


def scored_when(o: ObjectiveRow, precision: int) -> str:
    """When an objective scored, turns of equal points together: 'turns 1–6 and 9: 1 each;
    turn 7: 2; at the end: 3', or 'never'."""
    groups: dict[float, list[int]] = {}
    for turn, points in o.by_turn:
        groups.setdefault(points, []).append(turn)
    parts = []
    for points, turns in groups.items():
        runs = _runs(turns)
        word = "turn" if len(turns) == 1 else "turns"
        each = "" if len(turns) == 1 else " each"
        parts.append(f"{word} {runs}: {W.points(points, precision)}{each}")
    if o.at_end:
        parts.append(f"at the end: {W.points(o.at_end, precision)}")
    return "; ".join(parts) or "never"


def _runs(turns: list[int]) -> str:
    """'1–6 and 9' for [1, 2, 3, 4, 5, 6, 9]; '3, 5 and 8' for [3, 5, 8]."""
    spans: list[list[int]] = []
    for t in sorted(turns):
        if spans and t == spans[-1][1] + 1:
            spans[-1][1] = t
        else:
            spans.append([t, t])
    said = [str(a) if a == b else f"{a}–{b}" for a, b in spans]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def _history(game: Game) -> list[HistoryRow]:
    rules = game.rules
    out = []
    for h in rules.history:
        truth = game.engine.state.tracks_at_end_of(h.turn)
        for tid, real in h.values:
            t = rules.tracks[rules.track_index[tid]]
            game_value = _at(t, truth[t.idx]) if truth is not None else None
            out.append(HistoryRow(h.date.isoformat(), h.turn, h.text, tid, real, game_value,
                                  h.source, t.name, W.source_name(rules, h.source)))
    return out


def _decisions(game: Game) -> list[DecisionRow]:
    rules = game.rules
    outcomes = {}
    rows = []
    entries = game.engine.state.entries()
    for e in entries:
        if e.kind == "outcome":
            outcomes[e.get("order")] = e.get("outcome")
    for e in entries:
        if e.kind == "order" and e.get("order") in outcomes:  # given, and not retracted
            params = " ".join(f"{k}={v}" for k, v in e.get("params") or ())
            mid, outcome = e.get("move"), outcomes[e.get("order")]
            rows.append(DecisionRow(e.turn, e.get("actor"), mid, params,
                                    e.get("rationale") or "", outcome,
                                    W.actor_name(rules, e.get("actor")),
                                    W.move_with_choices(rules, mid, e.get("params") or ()),
                                    W.outcome_name(rules, mid, outcome)))
    return rows


def _rulings(game: Game) -> list[RulingRow]:
    rules = game.rules
    kinds = (Kind.RULING, Kind.OVERRIDE, Kind.ADJUST, Kind.INJECT)
    entries = game.engine.state.entries()
    orders = order_book([*entries, *game.undone])
    behind: dict[int, list[int]] = {}
    by_seq = {e.seq: e for e in entries}
    for i, e in enumerate(entries):
        if e.kind is Kind.CHANGE:
            for c in chain(e, by_seq):
                behind.setdefault(c.seq, []).append(i)
    rows = [RulingRow(e.turn, e.kind, describe(rules, e, orders), i, tuple(behind.get(e.seq, ())))
            for i, e in enumerate(entries) if e.kind in kinds]
    rows.extend(RulingRow(e.turn, "undone", "UNDONE: " + describe(rules, e, orders))
                for e in game.undone if e.kind in (Kind.OUTCOME, Kind.CHANGE))
    # an undone step goes under the turn it was taken in, not after the whole game (stable sort)
    return sorted(rows, key=lambda r: r.turn)


UMPIRE_KINDS = frozenset({Kind.RULING, Kind.OVERRIDE, Kind.ADJUST, Kind.INJECT})


def _changes(game: Game) -> list[ChangeRow]:
    """Every change of a track in the game, with its causes from the engine's explain."""
    rules = game.rules
    entries = game.engine.state.entries()
    by_seq = {e.seq: e for e in entries}
    rows = []
    for i, e in enumerate(entries):  # the umpire sees every line: line i is entry i
        if e.kind is not Kind.CHANGE:
            continue
        t = rules.tracks[rules.track_index[e.get("track")]]
        cause = tuple(game.explain(i, CONTROL)[1:])
        rows.append(ChangeRow(e.turn, i, t.id, t.name, _at(t, e.get("old")),
                              _at(t, e.get("new")), _by(e, by_seq), cause))
    return rows


def chain(entry: Any, by_seq: dict[int, Any]) -> list[Any]:
    """The log entries behind ``entry``, nearest first (the links ``explain`` follows)."""
    out = []
    e = by_seq.get(entry.cause) if entry.cause >= 0 else None
    while e is not None:
        out.append(e)
        e = by_seq.get(e.cause) if e.cause >= 0 else None
    return out


def _by(change: Any, by_seq: dict[int, Any]) -> By:
    """What set ``change`` going, from the kinds on its chain of causes."""
    kinds = [e.kind for e in chain(change, by_seq)]
    if change.get("effect") == BY_UMPIRE or UMPIRE_KINDS & set(kinds):
        return By.UMPIRE
    if Kind.EVENT in kinds:
        return By.EVENT
    if Kind.OUTCOME in kinds:
        return By.ORDER
    return By.RULE


TRACE = " ← "
"""Between the causes of a change, where a table has one cell for them."""


def _offers(game: Game) -> list[OfferRow]:
    """Every offer made, with what became of it (from the log: an offer's entries name the
    order that made it)."""
    rules = game.rules
    rows: dict[str, OfferRow] = {}
    for e in game.engine.state.entries():
        if e.kind is not Kind.OFFER or not e.get("order"):
            continue
        ref, status = e.get("order"), e.get("status")
        if status == "open":
            actor, to = e.get("actor"), e.get("to")
            rows[ref] = OfferRow(e.turn, actor, to, e.get("move"),
                                 W.move_with_choices(rules, e.get("move"), e.get("params")),
                                 "open", None, W.actor_name(rules, actor), W.actor_name(rules, to))
        elif ref in rows:
            rows[ref] = dataclasses.replace(rows[ref], result=status, closed=e.turn)
    return list(rows.values())


def _messages(game: Game) -> list[MessageRow]:
    return [MessageRow(e.turn, e.get("sender"), e.get("to"), e.get("text"), describe(game.rules, e))
            for e in game.engine.state.entries() if e.kind is Kind.MESSAGE]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet would run a text cell starting so as a formula (CSV injection)."""


def _cell(value: Any) -> Any:
    """A CSV cell: text a spreadsheet would run as a formula gets a leading apostrophe, and
    control characters are shown, not kept (see :mod:`game.textsafe`)."""
    if isinstance(value, tuple):  # a change's causes; a ruling's changes (their seqs)
        value = " ".join(map(str, value)) if value and not isinstance(value[0], str) \
            else TRACE.join(value)
    if not isinstance(value, str):
        return value
    value = for_terminal(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _step(d: Debrief, tid: str, x: Any) -> str:
    """The name of the step a ladder track's value has reached ('' for other tracks, or no
    value)."""
    t = d.tracks.get(tid)
    return P.value(t, x) if t is not None and t.steps and x is not None else ""


def _has_ladders(d: Debrief) -> bool:
    return any(t.steps for t in d.tracks.values())


def _with_unit(d: Debrief, row: Any, values: Sequence[str]) -> dict[str, Any]:
    """A table's row with the track's declared unit after its name, and, in a scenario with
    ladder tracks, the name of each value's step beside it ('truth_step': 'Reported'): the
    numbers stay for analysis, the words say what they mean."""
    out: dict[str, Any] = {}
    for key, x in dataclasses.asdict(row).items():
        out[key] = x
        if key == "track_name":
            t = d.tracks.get(row.track)
            out["unit"] = t.unit if t is not None and not t.is_flag else ""
        if key in values and _has_ladders(d):
            out[f"{key}_step"] = _step(d, row.track, x)
    return out


def _timeline_row(d: Debrief, row: dict[str, Any]) -> dict[str, Any]:
    """A timeline row with each track's unit in its column's name ('north_troops (thousand)')
    and, beside a ladder track's number, the name of its step ('tech_missiles step')."""
    out: dict[str, Any] = {}
    for key, x in row.items():
        t = d.tracks.get(key)
        if t is None:
            out[key] = x
            continue
        out[f"{key} ({t.unit})" if t.unit and not t.is_flag and not t.steps else key] = x
        if t.steps:
            out[f"{key} step"] = _step(d, key, x)
    return out


def write_csv(d: Debrief, folder: Path) -> list[Path]:
    """Write the debrief's tables as CSV files into ``folder`` (each written whole, through
    the atomic writer); return their paths."""
    from game.fileio import ensure_folder, write_text

    ensure_folder(folder, "report folder")
    tables: dict[str, list[dict[str, Any]]] = {
        "timeline": [_timeline_row(d, r) for r in d.timeline],
        "beliefs": [_with_unit(d, r, ("low", "high", "truth")) for r in d.beliefs],
        "history": [_with_unit(d, r, ("real", "game")) for r in d.history],
        "decisions": [dataclasses.asdict(r) for r in d.decisions],
        "rulings": [dataclasses.asdict(r) for r in d.rulings],
        "messages": [dataclasses.asdict(r) for r in d.messages],
        "changes": [_with_unit(d, r, ("old", "new")) for r in d.changes],
    }
    if d.offers:  # a table of its own only in a game with offers
        tables["offers"] = [dataclasses.asdict(r) for r in d.offers]
    paths = []
    for name, rows in tables.items():
        out = io.StringIO(newline="")
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        paths.append(write_text(folder / f"{d.scenario}-{name}.csv", out.getvalue(),
                                "report table"))
    return paths


def to_markdown(d: Debrief) -> str:
    """A readable debrief for the hotwash: teams, moves, tracks and sources by name."""
    lines = [f"# Debrief: {d.title}", "", d.summary, "", "## Scores", ""]
    lines += [f"- {d.names.get(a, a)}: {W.points(v, d.score_precision)}"
              for a, v in sorted(d.scores.items(), key=lambda kv: -kv[1])]
    lines += ["", "## Decisions and their reasons", ""]
    lines += _md_table(("turn", "actor", "move", "outcome", "rationale"), [
        f"| {r.turn} | {_md(r.actor_name)} | {_md(r.move_name)} | {_md(r.outcome_name)} "
        f"| {_md(r.rationale)} |" for r in d.decisions], "no orders were given")
    if d.offers:
        lines += ["", "## Offers and what became of them", "",
                  "| turn | from | to | offer | result |", "|---|---|---|---|---|"]
        lines += [f"| {o.turn} | {_md(o.actor_name)} | {_md(o.to_name)} | {_md(o.offer)} "
                  f"| {o.result}{f' (turn {o.closed})' if o.closed is not None else ''} |"
                  for o in d.offers]
    lines += _objectives_md(d)
    lines += _beliefs_md(d)
    lines += ["", "## The game beside the real record", ""]
    lines += _md_table(("date", "turn", "track", "real", "game", "source"), [
        f"| {h.date} | {h.turn} | {_md(h.track_name)} "
        f"| {_md(P.amount(d.tracks[h.track], h.real))} "
        f"| {_md('—' if h.game is None else P.amount(d.tracks[h.track], h.game))} "
        f"| {_md(h.source_name)} |" for h in d.history],
        "the scenario gives no real values to compare")
    lines += ["", "## What changed, and why", ""]
    lines += _md_table(("turn", "track", "change", "by", "cause"), [
        f"| {c.turn} | {_md(c.track_name)} | {_md(P.change(d.tracks[c.track], c.old, c.new))} "
        f"| {c.by} | {_md(TRACE.join(c.cause))} |" for c in d.changes], "no track changed")
    lines += ["", "## Rulings, injects and adjustments", ""]
    lines += [f"- turn {r.turn}: {r.text}" for r in d.rulings] or ["- none"]
    lines += ["", "## Messages on the channels", ""]
    lines += [f"- turn {m.turn}: {m.said}" for m in d.messages] or ["- none"]
    return for_terminal("\n".join(lines) + "\n")


def _md_table(head: Sequence[str], rows: list[str], empty: str) -> list[str]:
    """A Markdown table of ``rows`` under ``head``, or '- none: ``empty``.' when it has none."""
    if not rows:
        return [f"- none: {empty}."]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *rows]


def _objectives_md(d: Debrief) -> list[str]:
    """Each team's objectives, its hidden agendas marked, with the points each scored and
    when (why a score jumped: the end-of-game points come last)."""
    p = d.score_precision
    lines = ["", "## Objectives and hidden agendas", "",
             "Each team's objectives, with the points each scored and when (the points the end "
             "of the game brought come last). A hidden agenda was known only to its team while "
             "the game ran."]
    for aid in dict.fromkeys(o.actor for o in d.objectives):
        mine = [o for o in d.objectives if o.actor == aid]
        total = W.points(d.scores.get(aid, sum(o.points for o in mine)), p)
        lines += ["", f"### {_md(mine[0].actor_name)}: {total} points", "",
                  "| objective | hidden agenda? | how it scores | points | when |",
                  "|---|---|---|---|---|"]
        lines += [f"| {_md(o.name)} | {'**yes**' if o.hidden else ''} | {_md(o.text)} "
                  f"| {W.points(o.points, p)} | {_md(scored_when(o, p))} |"
                  for o in mine]
    if not d.objectives:
        lines += ["", "- The scenario has no objectives."]
    return lines


def _beliefs_md(d: Debrief) -> list[str]:
    """The teams' beliefs at the last turn's start and every estimate that missed the truth;
    the section says what it leaves out and where that is."""
    last = max((b.turn for b in d.beliefs), default=None)
    lines = ["", "## What each team believed, beside the truth", "",
             f"Every estimate that missed the truth, then what the teams believed of the tracks "
             f"they could not see exactly at the start of the last turn (turn {last}). Left out "
             "here: the estimates of earlier turns that held the truth, and the beliefs of the "
             "actors the umpire played; every actor's belief of every hidden track at the start "
             f"of every turn is in the table `{d.scenario}-beliefs.csv` "
             "(`powerplay report SAVE --format csv`) and under `beliefs` in the JSON "
             "(`--format json`).", "", "### Estimates that missed the truth", ""]
    misses = [b for b in d.beliefs if b.right is False]
    lines += _md_table(("turn", "actor", "track", "believed", "truth"), [
        f"| {b.turn} | {_md(b.actor_name)} | {_md(b.track_name)} | {_md(_believed(d, b))} "
        f"| {_md(P.amount(d.tracks[b.track], b.truth))} |" for b in misses],
        "every estimate held the truth")
    lines += ["", f"### What the teams believed at the start of turn {last}", ""]
    held = [b for b in d.beliefs if b.turn == last and b.actor in d.players
            and not (b.status == "exact" and b.right)]
    lines += _md_table(("team", "track", "believed", "truth", "right?"), [
        f"| {_md(b.actor_name)} | {_md(b.track_name)} | {_md(_believed(d, b))} "
        f"| {_md(P.amount(d.tracks[b.track], b.truth))} "
        f"| {'—' if b.right is None else ('yes' if b.right else 'NO')} |" for b in held],
        "every team saw every track exactly")
    return lines


def _believed(d: Debrief, b: BeliefRow) -> str:
    return "unknown" if b.status == "unknown" else P.between(d.tracks[b.track], b.low, b.high)


def _md(text: Any) -> str:
    """Text for a Markdown table cell: a '|' would end the cell, a line break the row."""
    return " ".join(str(text).split()).replace("|", "\\|")


def to_json_text(d: Debrief) -> str:
    return json.dumps(d.to_json(), indent=2, ensure_ascii=False) + "\n"
