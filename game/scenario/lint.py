"""Lint: mistakes a scenario file may make that still load, found before anyone plays it.

``powerplay validate`` refuses what cannot run (an unknown track, a bad type). This module finds
what runs but cannot be meant: a reveal of a track every team already sees, a history value the
track cannot take, a move that costs more than its actor can ever hold, a prerequisite that can
never hold. Each finding is a positioned :class:`LintWarning` with a stable code (listed in
:data:`CODES`) and a hint, e.g.::

    scenarios/my-crisis.yaml:88:26: warning[lint/requires-never-holds]: 'x >= 3' can never hold ...

The checks are static: they read the file, never play it. Whether a condition can hold is
decided by interval arithmetic over the tracks' declared ranges
(:mod:`game.scenario.intervals`), narrowed by the comparisons an ``and`` has already passed.
Playing many games to see what actually happens is
:mod:`game.coverage`'s job.

>>> from game.scenario.load import load_scenario
>>> loaded = load_scenario("tutorial")
>>> lint(loaded.scenario, loaded.source)
[]
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from game.engine.wording import number
from game.paths import assets_dir
from game.scenario import model as m
from game.scenario.errors import ScenarioWarning
from game.scenario.intervals import (
    Analyzer,
    Bounds,
    all_effects,
    changed_tracks,
    declared_bounds,
    empty,
    expression_sites,
    integer_names,
    site_bounds,
)
from game.scenario.yamlio import Loc, SourceMap

CODES: dict[str, str] = {
    "lint/reveal-public-track": "a reveal of a public track: every team sees it already",
    "lint/reveal-to-knower": "a reveal to an actor in the track's known_to: it sees it already",
    "lint/history-out-of-range": "a history value outside its track's range (or not 0/1 for a flag)",
    "lint/history-before-start": "a history entry dated before the game's start date",
    "lint/flag-value": "an effect that sets or adds a number other than 0 or 1 to a flag",
    "lint/value-out-of-range": "an effect that sets (or drifts) a track to a value outside its range",
    "lint/estimate-for-knower": "an estimate rule for an actor in known_to: it sees the truth",
    "lint/cost-above-max": "a cost above the most the resource can hold: never affordable",
    "lint/never-affordable": "a cost above what the actor starts with, with no income to reach it",
    "lint/requires-never-holds": "a prerequisite that can never hold: the move is never legal",
    "lint/umpire-one-outcome": "an umpire move with one outcome: nothing to rule on",
    "lint/inject-never-fires": "an event whose trigger can never hold",
    "lint/condition-never-holds": "an effect, modifier or end condition whose 'when' never holds",
    "lint/phase-always-skipped": "a phase whose skip_if always holds: it never runs",
    "lint/track-unchanged": "a track no effect of any move or event changes",
    "lint/objective-unserved": "an objective whose score no move can change, or always 0",
    "lint/objective-no-text": "an objective without text: its team and the debrief read no rule",
    "lint/map-place-unused": "a map place with 'label: false' that no marker uses: never drawn",
    "lint/map-place-outside": "a map place outside the map's bounds: the board may not show it",
    "lint/marker-hidden-track": "a marker of a secret track drawn for a team that cannot see it",
    "lint/map-country-unknown": "a country in the map's tints that the map data does not have",
    # found by playing (game.coverage)
    "lint/move-never-chosen": "in the playtest, a move no seat ever chose (and whether it was legal)",
    "lint/move-rarely-chosen": "in the playtest, a move chosen in fewer than 1 % of games",
    "lint/inject-never-fired": "in the playtest, an event that never fired",
    "lint/track-stuck": "in the playtest, a track at its min or max in over 90 % of final states",
    "lint/run-time-error": "in the playtest, a rule failed while a game was played",
    "lint/estimate-never-missed": "in the playtest, an estimate declared to miss that never did",
}
"""Every lint code with what it means: the docs' table of warnings is checked against it."""


@dataclass(frozen=True, slots=True)
class LintWarning(ScenarioWarning):
    """One thing in a scenario file that loads but lint finds probably a mistake."""


def warning_at(smap: SourceMap, loc: Loc, code: str, message: str, hint: str | None = None,
               *, key: bool = False, offset: int | None = None) -> LintWarning:
    """A warning at ``loc`` in the file, positioned as the loader positions its errors."""
    assert code in CODES, code
    d = smap.diag(loc, code, message, hint, key=key, offset=offset)
    return LintWarning(d.path, d.line, d.col, code, message, hint)


class Linter:
    """Walks a scenario once and collects its warnings."""

    def __init__(self, scn: m.Scenario, smap: SourceMap) -> None:
        self.scn = scn
        self.smap = smap
        self.out: list[LintWarning] = []
        self.tracks = {t.id: t for t in scn.tracks}
        self.actors = {a.id: a for a in scn.actors}
        self.changed = changed_tracks(scn)
        self.fired_by_effect = {eff.trigger for _, eff, _ in all_effects(scn) if eff.trigger} | {
            ev for t in scn.tracks for th in t.thresholds for ev in (th.on_up, th.on_down) if ev}
        """Events an effect or a threshold fires (whatever their own trigger says)."""
        self.fired_index = {i for i, e in enumerate(scn.events) if e.id in self.fired_by_effect}
        self.bounds = declared_bounds(scn)
        for t in scn.tracks:
            if t.id not in self.changed:  # nothing changes it: it keeps its initial value
                self.bounds[t.id] = (float(t.initial), float(t.initial))
        self.integers = integer_names(scn)

    def warn(self, loc: Loc, code: str, message: str, hint: str | None = None, *,
             key: bool = False, offset: int | None = None) -> None:
        self.out.append(warning_at(self.smap, loc, code, message, hint, key=key,
                                   offset=offset))

    def analyzer(self, text: str, bounds: Bounds | None = None) -> Analyzer:
        return Analyzer(text, bounds or self.bounds, self.integers,
                        {"turns": float(self.scn.meta.turns)})

    def name(self, track: str) -> str:
        t = self.tracks.get(track)
        return f"'{t.name}' ({track})" if t else f"'{track}'"


def lint(scenario: m.Scenario, source: SourceMap) -> list[LintWarning]:
    """Every lint warning of a scenario that loaded, in file order."""
    c = Linter(scenario, source)
    for check in CHECKS:
        check(c)
    return sorted(c.out, key=lambda w: (w.path, w.line, w.col, w.code))


# ------------------------------------------------------------------------------ the checks


def check_reveals(c: Linter) -> None:
    """A reveal of a public track, or to an actor who sees the track already."""
    for loc, eff, _ in all_effects(c.scn):
        t = c.tracks.get(eff.reveal or "")
        if t is None:
            continue
        if t.visibility == "public":
            c.warn((*loc, "reveal"), "lint/reveal-public-track",
                   f"{c.name(t.id)} is public: every team sees it already, so revealing it "
                   "does nothing", "reveal a secret track, or make this one 'visibility: secret'")
            continue
        for j, who in enumerate(eff.to):
            if who in t.known_to:
                c.warn((*loc, "to", j), "lint/reveal-to-knower",
                       f"{c.actors[who].name if who in c.actors else who} is in the known_to "
                       f"of {c.name(t.id)} and sees it already", "remove it from 'to'")


def _range_of(t: m.Track) -> tuple[float, float]:
    return (0.0, 1.0) if t.kind == "flag" else (float(t.min), float(t.max))


def check_history(c: Linter) -> None:
    """History values the track cannot take; history dated before the game starts."""
    start = c.scn.meta.start_date
    for i, entry in enumerate(c.scn.history):
        if entry.date < start:
            c.warn(("history", i, "date"), "lint/history-before-start",
                   f"{entry.date.isoformat()} is before the game starts "
                   f"({start.isoformat()}); the debrief would show it at a turn before turn 1",
                   "date it on or after the start date, or leave it out: the briefing can "
                   "tell what came before")
        for name, value in entry.values.items():
            t = c.tracks.get(name)
            if t is None:
                continue
            lo, hi = _range_of(t)
            if t.kind == "flag" and value not in (0, 1):
                c.warn(("history", i, "values", name), "lint/history-out-of-range",
                       f"{c.name(name)} is a flag (0 or 1), but the history gives {value:g}",
                       "write 1 for yes and 0 for no")
            elif not lo <= value <= hi:
                c.warn(("history", i, "values", name), "lint/history-out-of-range",
                       f"{value:g} is outside the range of {c.name(name)}, {lo:g} to {hi:g}",
                       "widen the track's range, or check the value's unit")


def check_flag_values(c: Linter) -> None:
    """``set: 5`` on a flag; a fixed ``set`` or drift ``toward`` outside a track's range."""
    for loc, eff, _ in all_effects(c.scn):
        t = c.tracks.get(eff.track or "")
        if t is None:
            continue
        lo, hi = _range_of(t)
        for op in ("set", "add", "toward"):
            value = getattr(eff, op)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if t.kind == "flag" and (value not in (0, 1) if op != "add"
                                     else abs(value) not in (0, 1)):
                c.warn((*loc, op), "lint/flag-value",
                       f"{c.name(t.id)} is a flag (0 or 1): '{op}: {value:g}' is cut to "
                       f"{min(max(value, 0), 1):g}",
                       "use 'set: 1' to raise a flag and 'set: 0' to lower it")
            elif t.kind != "flag" and op != "add" and not lo <= value <= hi:
                c.warn((*loc, op), "lint/value-out-of-range",
                       f"'{op}: {value:g}' is outside the range of {c.name(t.id)}, "
                       f"{lo:g} to {hi:g}, so it is cut to {min(max(value, lo), hi):g}",
                       "give a value within the range, or widen the range")


def check_estimates(c: Linter) -> None:
    """An estimate rule for an actor who sees the track exactly."""
    for i, t in enumerate(c.scn.tracks):
        for j, est in enumerate(t.estimates):
            for k, who in enumerate(est.actors):
                if who in t.known_to:
                    c.warn(("tracks", i, "estimates", j, "actors", k), "lint/estimate-for-knower",
                           f"{c.actors[who].name if who in c.actors else who} is in the "
                           f"known_to of {c.name(t.id)}, so it sees the true value and this "
                           "estimate is never used",
                           "remove it from the estimate, or from known_to")


def _income(c: Linter, actor: str, resource: str) -> bool:
    """Can ``actor``'s ``resource`` grow during the game (an income or an effect adding to it)?"""
    res = next((r for r in c.actors[actor].resources if r.id == resource), None)
    if res is None or res.per_turn > 0:
        return True
    for _, eff, move in all_effects(c.scn):
        if eff.resource != resource:
            continue
        who = eff.actor or "self"
        mine = who == actor or (who == "self" and move is not None and actor in move.actors)
        if mine and (not isinstance(eff.add, int | float) or eff.add > 0):
            return True
    return False


def check_costs(c: Linter) -> None:
    """A cost no actor of the move can ever pay."""
    for i, mv in enumerate(c.scn.moves):
        for res_id, amount in mv.cost.items():
            for actor in mv.actors:
                res = next((r for r in c.actors[actor].resources if r.id == res_id), None)
                if res is None:
                    continue
                if res.max is not None and amount > res.max:
                    c.warn(("moves", i, "cost", res_id), "lint/cost-above-max",
                           f"'{mv.name}' costs {amount} {res.name}, but {c.actors[actor].name} "
                           f"can hold at most {res.max}: it can never be made",
                           "lower the cost or raise the resource's max")
                    break
                if amount > res.initial and not _income(c, actor, res_id):
                    c.warn(("moves", i, "cost", res_id), "lint/never-affordable",
                           f"'{mv.name}' costs {amount} {res.name}; {c.actors[actor].name} starts "
                           f"with {res.initial} and nothing adds to it: it can never be made",
                           "lower the cost, or give the resource a per_turn income")
                    break


def check_umpire_moves(c: Linter) -> None:
    """An umpire move with one outcome leaves the umpire nothing to decide."""
    for i, mv in enumerate(c.scn.moves):
        if mv.adjudication.kind == "umpire" and len(mv.outcomes) == 1:
            c.warn(("moves", i, "adjudication", "kind"), "lint/umpire-one-outcome",
                   f"'{mv.name}' is ruled by the umpire but has one outcome, so there is "
                   "nothing to choose", "add another outcome, or make it 'automatic'")


def check_expressions(c: Linter) -> None:
    """Conditions that can never hold (a division whose divisor can be 0 the loader refuses)."""
    for site in expression_sites(c.scn):
        guarded = site_bounds(site, c.bounds, c.analyzer)
        if empty(guarded):
            continue  # never evaluated: check_requires_together says why
        if site.role == "requires":  # alone; with the ones before it: check_requires_together
            guarded = c.bounds
        span = c.analyzer(site.text, guarded).span()
        fired = site.role == "trigger" and site.loc[1] in c.fired_index
        if site.role == "skip_if" and not span.can_false:
            phase = c.scn.phases[int(site.loc[1])]
            c.warn(site.loc, "lint/phase-always-skipped",
                   f"'{' '.join(site.text.split())}' always holds, so the {phase.kind} phase "
                   f"'{phase.name}' never runs", _never_hint(c, site.text, "remove 'skip_if' or "
                   "make it a condition that can fail"), offset=0)
        if site.role in NEVER and not span.can_true and not fired:
            code, what = NEVER[site.role]
            c.warn(site.loc, code, f"'{' '.join(site.text.split())}' can never hold, so "
                   f"{what.format(site.owner)}", _never_hint(c, site.text), offset=0)


def _never_hint(c: Linter, text: str, otherwise: str | None = None) -> str:
    """Why a condition is fixed: the tracks it reads that nothing changes, else their ranges."""
    read = sorted(n for n in _names(text) if n in c.tracks)
    fixed = [n for n in read if n not in c.changed]
    if fixed:
        return "; ".join(f"nothing changes {c.name(n)}, so it stays at "
                         f"{track_value(c.tracks[n], c.tracks[n].initial)}" for n in fixed)
    spans = [f"{n} runs from {track_value(c.tracks[n], _range_of(c.tracks[n])[0])} to "
             f"{track_value(c.tracks[n], _range_of(c.tracks[n])[1])}" for n in read]
    if "turn" in _names(text):
        spans.append(f"turn runs from 1 to {c.scn.meta.turns}")
    if otherwise is not None or not spans:
        return otherwise or "check the comparison"
    return f"{', '.join(spans)}: compare within the range"


def track_value(t: m.Track, x: float) -> str:
    """A value of track ``t`` at its declared precision, as the board shows it."""
    if t.kind == "flag":
        return "yes" if x >= 0.5 else "no"
    return number(x, t.shown_precision())


NEVER: dict[str, tuple[str, str]] = {
    "requires": ("lint/requires-never-holds", "'{}' is never legal"),
    "trigger": ("lint/inject-never-fires", "'{}' never fires"),
    "when": ("lint/condition-never-holds", "this effect of '{}' never applies"),
    "modifier": ("lint/condition-never-holds", "the modifier '{}' never applies"),
    "end": ("lint/condition-never-holds", "the end condition '{}' never ends the game"),
}


def check_requires_together(c: Linter) -> None:
    """A move's prerequisites that hold one by one but never all together
    (e.g. ``x >= 3`` and ``x < 2``)."""
    for i, mv in enumerate(c.scn.moves):
        bounds = c.bounds
        for j, req in enumerate(mv.requires):
            if not c.analyzer(req).span().can_true:
                break  # reported on its own
            a = c.analyzer(req, bounds)
            held = a.span().can_true
            bounds = a.narrow_text(bounds)
            if not held or empty(bounds):
                c.warn(("moves", i, "requires", j), "lint/requires-never-holds",
                       f"'{' '.join(req.split())}' can never hold together with the "
                       f"prerequisites before it, so '{mv.name}' is never legal",
                       "check the comparisons: together they leave no value possible",
                       offset=0)
                break


def check_triggers(c: Linter) -> None:
    """An event whose own trigger cannot fire (turn before from_turn, or after the last)."""
    for i, ev in enumerate(c.scn.events):
        trig = ev.trigger
        if ev.id in c.fired_by_effect:
            continue
        if trig.turn is not None and trig.turn < trig.from_turn:
            c.warn(("events", i, "trigger", "turn"), "lint/inject-never-fires",
                   f"'{ev.name}' fires at turn {trig.turn} but not before turn "
                   f"{trig.from_turn}: it never fires", "remove 'from_turn' or change 'turn'")


def check_unchanged_tracks(c: Linter) -> None:
    """A track that no move or event changes stays at its initial value all game."""
    for i, t in enumerate(c.scn.tracks):
        if t.id not in c.changed:
            c.warn(("tracks", i, "id"), "lint/track-unchanged",
                   f"no move or event changes {c.name(t.id)}: it stays at "
                   f"{track_value(t, t.initial)} all game",
                   "add an effect that changes it, or remove it if it is not needed")


def _names(text: str) -> set[str]:
    try:
        tree = ast.parse("(" + text.replace("\r", " ") + "\n)", mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def move_reach(scn: m.Scenario) -> set[str]:
    """Tracks a move changes, directly or through the events its effects trigger."""
    events = {e.id: e for e in scn.events}
    out: set[str] = set()
    todo = [eff for mv in scn.moves for o in mv.outcomes for eff in o.effects]
    seen: set[str] = set()
    while todo:
        eff = todo.pop()
        if eff.track:
            out.add(eff.track)
        if eff.trigger and eff.trigger in events and eff.trigger not in seen:
            seen.add(eff.trigger)
            todo.extend(events[eff.trigger].effects)
    return out


def check_objectives(c: Linter) -> None:
    """An objective whose score reads no track that any move can change, or that always
    scores 0 (e.g. a count of turns with a track above its max)."""
    reach = move_reach(c.scn)
    for i, obj in enumerate(c.scn.objectives):
        texts = [x for x in (obj.per_turn, obj.at_end) if x]
        if not any(c.analyzer(x).span().can_true for x in texts):
            c.warn(("objectives", i, "id"), "lint/objective-unserved",
                   f"'{obj.name}' always scores 0, whatever the teams do",
                   _never_hint(c, " ".join(texts)))
            continue
        read = set().union(*(_names(x) for x in texts))
        tracks = read & set(c.tracks)
        if tracks & reach:
            continue
        what = (f"it reads {', '.join(sorted(c.name(t) for t in tracks))}, which no move changes"
                if tracks else "it reads no track")
        c.warn(("objectives", i, "id"), "lint/objective-unserved",
               f"no move can change the score of '{obj.name}': {what}",
               "score it on tracks the teams' moves change")


def check_objective_texts(c: Linter) -> None:
    """An objective without ``text``: the team's briefing lists its name alone, and the
    debrief's 'how it scores' cell is empty, so nobody can tell at the hotwash why it scored."""
    for i, obj in enumerate(c.scn.objectives):
        if not obj.text.strip():
            c.warn(("objectives", i, "name"), "lint/objective-no-text",
                   f"'{obj.name}' has no text: its team's briefing gives its name alone and "
                   "the debrief's 'how it scores' cell is empty",
                   "say in 'text' how it scores, in the team's words, e.g. '1 point per turn "
                   "with tension below 3'")


def check_map(c: Linter) -> None:
    """The map section: hidden places no marker uses, places outside the region, markers that
    tell a team a secret track exists, tints of countries the map data does not have."""
    section = c.scn.map
    if section is None:
        return
    used = {p for mk in section.markers for p in (mk.at, mk.to) if p}
    if section.bounds is not None:
        lon0, lat0, lon1, lat1 = section.bounds
        mx, my = (lon1 - lon0) * OUTSIDE_MARGIN, (lat1 - lat0) * OUTSIDE_MARGIN
    for i, place in enumerate(section.places):
        loc: Loc = ("map", "places", i)
        if not place.label and place.id not in used:
            c.warn((*loc, "label"), "lint/map-place-unused",
                   f"place '{place.id}' has 'label: false' and no marker uses it, so the map "
                   "never draws it", "use it in a marker's 'at' or 'to', label it, or remove it")
        if section.bounds is not None and not (lon0 - mx <= place.lon <= lon1 + mx
                                               and lat0 - my <= place.lat <= lat1 + my):
            c.warn((*loc, "lon"), "lint/map-place-outside",
                   f"{place.name} ({place.lon:g}°E, {place.lat:g}°N) lies outside the map's "
                   f"bounds {[float(b) for b in section.bounds]}: the board may not show it",
                   "widen bounds, or check the coordinates (east and north are positive; "
                   "lon comes before lat)")
    teams = [a.id for a in c.scn.actors if a.kind == "player"]
    for i, mk in enumerate(section.markers):
        t = c.tracks.get(mk.track)
        if t is None or t.visibility != "secret":
            continue
        sees = set(t.known_to) | {a for e in t.estimates for a in e.actors}
        for _, eff, _ in all_effects(c.scn):
            if eff.reveal == t.id:
                sees |= set(eff.to) if eff.to else set(teams)
        blind = [a for a in (mk.shown_to or teams) if a in teams and a not in sees]
        if blind:
            names = ", ".join(c.actors[a].name for a in blind)
            where = (("map", "markers", i, "shown_to") if mk.shown_to
                     else ("map", "markers", i, "track"))
            c.warn(where, "lint/marker-hidden-track",
                   f"the marker of {c.name(t.id)}, a secret track, is drawn for {names}, "
                   "who cannot see it, estimate it or have it revealed: a '?' on their map "
                   "tells them it exists",
                   "list the teams that know or estimate it in the marker's shown_to, or give "
                   "the others an estimate")
    known = map_country_keys()
    if known:
        for key in section.countries:
            if key.casefold() not in known:
                c.warn(("map", "countries", key), "lint/map-country-unknown",
                       f"'{key}' is not a country of the map data, so nothing is tinted for it",
                       "use the ISO 3166 alpha-3 code (e.g. 'YEM') or the map's English name "
                       "(e.g. 'Bosnia and Herz.')", key=True)


OUTSIDE_MARGIN = 0.1
"""A place may lie this share of the bounds' width (or height) beyond them before lint warns:
the board widens the region to its panel's shape, so a place just outside still shows."""


@lru_cache(maxsize=1)
def map_country_keys() -> frozenset[str]:
    """Every ISO code, name and id of the board's map data, casefolded (empty when the asset
    is missing: then the board says so itself)."""
    path = assets_dir() / "map" / "world.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return frozenset(str(k).casefold() for cty in raw["countries"]
                         for k in (cty.get("iso3"), cty.get("name"), cty.get("id")) if k)
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()


CHECKS: tuple[Callable[[Linter], None], ...] = (
    check_reveals, check_history, check_flag_values, check_estimates, check_costs,
    check_umpire_moves, check_expressions, check_requires_together, check_triggers,
    check_unchanged_tracks, check_objectives, check_objective_texts, check_map)
