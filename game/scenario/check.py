"""Cross-reference checks: every name in a scenario must point at something that exists.

Runs on the items that passed the shape check (:func:`game.scenario.load.validate_parts`), so a
file with a bad track still gets its moves checked. Each problem is a positioned Diagnostic.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Mapping
from typing import Any

from game.engine import adjudication as A
from game.engine import effects as E
from game.engine.rules import MAX_ACTORS
from game.scenario import model as m
from game.scenario.errors import Diagnostic, did_you_mean
from game.scenario.expr import ExprError, Kind, Scope, compile_expr
from game.scenario.load import Parts
from game.scenario.yamlio import Loc, SourceMap

RESERVED = frozenset({"turn", "turns", "true", "false", "True", "False", "None", "min", "max",
                      "abs", "clamp", "self", "all", "control", "actor", *keyword.kwlist})
"""Names a track, flag or parameter may not take: the expression language uses them."""


class Checker:
    """Collects diagnostics while walking the parts of a scenario."""

    def __init__(self, parts: Parts, smap: SourceMap) -> None:
        self.parts = parts
        self.smap = smap
        self.problems: list[Diagnostic] = []
        # the items that passed the shape check, for looking inside them ...
        self.actors = {a.id: a for _, a in parts.of("actors")}
        self.phases = {p.id: p for _, p in parts.of("phases")}
        self.tracks = {t.id: t for _, t in parts.of("tracks")}
        # ... and every id written, for checking that a name exists
        self.actor_ids = dict.fromkeys(parts.ids.get("actors", []))
        self.track_ids = dict.fromkeys(parts.ids.get("tracks", []))
        self.phase_ids = dict.fromkeys(parts.ids.get("phases", []))
        self.event_ids = dict.fromkeys(parts.ids.get("events", []))
        self.source_ids = dict.fromkeys(parts.ids.get("sources", []))
        turns = parts.meta.turns if parts.meta else 100
        self.scope = Scope(tracks={t: i for i, t in enumerate(self.track_ids)},
                           constants={"turns": turns})

    def error(self, loc: Loc, code: str, message: str, hint: str | None = None,
              *, key: bool = False) -> None:
        self.problems.append(self.smap.diag(loc, code, message, hint, key=key))

    def ref(self, loc: Loc, name: str | None, table: Mapping[str, Any] | set[str],
            what: str, *, key: bool = False) -> bool:
        """Check that ``name`` is one of ``table``; report it (at the key if ``key``) if not."""
        if name is None or name in table:
            return True
        kind = what.replace(" ", "-")
        self.error(loc, f"scenario/unknown-{kind}", f"'{name}' is not a known {what}",
                   did_you_mean(name, table), key=key)
        return False

    def refs(self, loc: Loc, names: Iterable[str], table: Mapping[str, Any], what: str) -> None:
        for i, name in enumerate(names):
            self.ref((*loc, i), name, table, what)

    def audience(self, loc: Loc, value: m.Audience) -> None:
        if isinstance(value, list):
            self.refs(loc, value, self.actor_ids, "actor")

    def expr(self, loc: Loc, text: str | None, expect: Kind,
             params: Mapping[str, tuple[str, ...]] | None = None) -> None:
        """Compile an expression now so its mistakes are reported with a column."""
        if text is None:
            return
        scope = self.scope if not params else Scope(self.scope.tracks, params,
                                                    self.scope.constants)
        try:
            compile_expr(text, scope, expect=expect)
        except ExprError as exc:
            self.problems.append(self.smap.diag(loc, exc.code, exc.message, exc.hint,
                                                offset=exc.offset))

    def unique(self, section: str, items: Iterable[tuple[int, Any]], what: str) -> None:
        seen: set[str] = set()
        for i, item in items:
            if item.id in seen:
                self.error((section, i, "id"), "scenario/duplicate-id",
                           f"{what} id '{item.id}' is used twice", "give each one its own id")
            seen.add(item.id)

    def unique_in(self, loc: Loc, items: Iterable[Any], what: str) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                self.error((*loc, i, "id"), "scenario/duplicate-id",
                           f"{what} id '{item.id}' is used twice here")
            seen.add(item.id)


def check_parts(parts: Parts, smap: SourceMap) -> list[Diagnostic]:
    """Every cross-reference problem in the parts of a scenario."""
    c = Checker(parts, smap)
    if parts.meta:
        c.unique_in(("meta", "sources"), parts.meta.sources, "source")
    for section, what in (("actors", "actor"), ("tracks", "track"), ("phases", "phase"),
                          ("moves", "move"), ("events", "event"), ("objectives", "objective"),
                          ("end", "end condition")):
        c.unique(section, parts.of(section), what)
    if len(parts.ids.get("actors", [])) > MAX_ACTORS:
        c.error(("actors",), "scenario/too-many-actors",
                f"{len(parts.ids['actors'])} actors: a scenario has at most {MAX_ACTORS}")
    for i, actor in parts.of("actors"):
        _check_actor(c, ("actors", i), actor)
    for i, track in parts.of("tracks"):
        _check_track(c, ("tracks", i), track)
    for i, phase in parts.of("phases"):
        _check_phase(c, ("phases", i), phase)
    _check_flow(c, parts.of("phases"))
    for i, move in parts.of("moves"):
        _check_move(c, ("moves", i), move)
    _check_offers(c, parts.of("moves"), {t.id: t for _, t in parts.of("tracks")})
    for i, event in parts.of("events"):
        _check_event(c, ("events", i), event)
    for i, obj in parts.of("objectives"):
        loc = ("objectives", i)
        c.ref((*loc, "actor"), obj.actor, c.actor_ids, "actor")
        if obj.per_turn is None and obj.at_end is None:
            c.error(loc, "scenario/missing-field",
                    f"objective '{obj.id}' needs 'per_turn' or 'at_end' to score anything")
        c.expr((*loc, "per_turn"), obj.per_turn, Kind.NUMBER)
        c.expr((*loc, "at_end"), obj.at_end, Kind.NUMBER)
    for i, cond in parts.of("end"):
        c.expr(("end", i, "when"), cond.when, Kind.BOOL)
    kind_of = {a.id: a.kind for _, a in parts.of("actors")}
    for i, channel in parts.of("channels"):
        for j, who in enumerate(channel.between):
            at: Loc = ("channels", i, "between", j)
            if c.ref(at, who, c.actor_ids, "actor") and kind_of.get(who) == "control":
                c.error(at, "scenario/not-a-team",
                        f"'{who}' is played by the control cell: the umpire already writes to "
                        "anyone, so channels list player teams only")
    for i, entry in parts.of("history"):
        c.ref(("history", i, "source"), entry.source, c.source_ids, "source")
        for name in entry.values:
            c.ref(("history", i, "values", name), name, c.track_ids, "track", key=True)
    if parts.map is not None:
        _check_map(c, parts.map)
    return c.problems


def _check_map(c: Checker, section: m.MapSection) -> None:
    """The map section names tracks, actors and its own places; its region is a real box."""
    loc: Loc = ("map",)
    c.unique_in((*loc, "places"), section.places, "place")
    places = {p.id: p for p in section.places}
    if section.bounds is not None:
        lon0, lat0, lon1, lat1 = section.bounds
        if not (-180 <= lon0 < lon1 <= 180 and -90 <= lat0 < lat1 <= 90):
            c.error((*loc, "bounds"), "scenario/out-of-range",
                    f"bounds {list(section.bounds)} is not a region",
                    "write [lon_min, lat_min, lon_max, lat_max] in degrees, each min below "
                    "its max (longitudes -180..180, latitudes -90..90)")
    if section.projection is not None and section.bounds is None:
        c.error((*loc, "projection"), "scenario/missing-field",
                "a projection lays the region of 'bounds' flat, and there are no bounds",
                "add bounds: [lon_min, lat_min, lon_max, lat_max], or drop the projection")
    c.ref((*loc, "ladder"), section.ladder, c.track_ids, "track")
    for i, mk in enumerate(section.markers):
        at: Loc = (*loc, "markers", i)
        c.ref((*at, "track"), mk.track, c.track_ids, "track")
        c.ref((*at, "actor"), mk.actor, c.actor_ids, "actor")
        c.refs((*at, "shown_to"), mk.shown_to, c.actor_ids, "actor")
        for key, name in (("at", mk.at), ("to", mk.to)):
            if name is not None and name not in places:
                c.error((*at, key), "scenario/unknown-place",
                        f"'{name}' is not a place of the map section",
                        did_you_mean(name, places)
                        or "add it under map: places: with its name, lon and lat")
        if mk.kind in ("transfer", "partnership") and mk.to is None:
            c.error(at, "scenario/missing-field",
                    f"a {mk.kind} marker goes from 'at' to somewhere: it needs 'to'")
    for country, actor in section.countries.items():
        c.ref((*loc, "countries", country), actor, c.actor_ids, "actor")


def _check_actor(c: Checker, loc: Loc, actor: m.Actor) -> None:
    c.unique_in((*loc, "resources"), actor.resources, "resource")
    for j, res in enumerate(actor.resources):
        if res.max is not None and res.initial > res.max:
            c.error((*loc, "resources", j, "initial"), "scenario/initial-out-of-range",
                    f"initial {res.initial} is above max {res.max}")


def _check_track(c: Checker, loc: Loc, track: m.Track) -> None:
    if track.id in RESERVED:
        c.error((*loc, "id"), "scenario/reserved-name",
                f"'{track.id}' is a word of the expression language", "choose another id")
    lo, hi = (0.0, 1.0) if track.kind == "flag" else (track.min, track.max)
    if track.kind == "flag" and (track.min, track.max) != (0, 1):
        c.error((*loc, "max"), "scenario/bad-range", "a flag's range is 0 to 1",
                "remove 'min' and 'max' from the flag")
    elif lo >= hi:
        c.error((*loc, "max"), "scenario/bad-range",
                f"max ({track.max:g}) must be greater than min ({track.min:g})")
    if not lo <= track.initial <= hi:
        c.error((*loc, "initial"), "scenario/initial-out-of-range",
                f"initial value {track.initial:g} is outside the range {lo:g} to {hi:g}")
    for j, rung in enumerate(track.thresholds):
        if not lo <= rung.at <= hi:
            c.error((*loc, "thresholds", j, "at"), "scenario/out-of-range",
                    f"threshold '{rung.name}' at {rung.at:g} is outside {lo:g} to {hi:g}")
        for key in ("on_up", "on_down"):
            c.ref((*loc, "thresholds", j, key), getattr(rung, key), c.event_ids, "event")
    c.refs((*loc, "known_to"), track.known_to, c.actor_ids, "actor")
    if track.visibility == "public":
        for key in ("known_to", "estimates"):
            if getattr(track, key):
                c.error((*loc, key), "scenario/bad-visibility",
                        f"'{key}' only matters for a secret track; '{track.id}' is public, so "
                        "every team sees it", "add 'visibility: secret' (or remove it)")
    for j, est in enumerate(track.estimates):
        c.refs((*loc, "estimates", j, "actors"), est.actors, c.actor_ids, "actor")
        c.expr((*loc, "estimates", j, "quality"), est.quality, Kind.NUMBER)
    c.ref((*loc, "source"), track.source, c.source_ids, "source")


def _check_phase(c: Checker, loc: Loc, phase: m.Phase) -> None:
    c.refs((*loc, "actors"), phase.actors, c.actor_ids, "actor")
    if phase.kind == "orders" and not phase.actors:
        c.error(loc, "scenario/phase-without-actors",
                f"orders phase '{phase.id}' names no actors", "add 'actors: [...]'")
    if phase.kind != "orders" and phase.actors:
        c.error((*loc, "actors"), "scenario/bad-phase",
                f"only orders phases take 'actors' ('{phase.id}' is {phase.kind})")
    c.ref((*loc, "next"), phase.next, c.phase_ids, "phase")
    c.expr((*loc, "skip_if"), phase.skip_if, Kind.BOOL)


def _check_flow(c: Checker, phases: list[tuple[int, m.Phase]]) -> None:
    """Following 'next' from any phase must reach the end of the turn (a cycle never ends)."""
    order = [p.id for _, p in phases]
    succ = {p.id: p.next or (order[k + 1] if k + 1 < len(order) else None)
            for k, (_, p) in enumerate(phases)}
    where = {p.id: i for i, p in phases}
    reported: set[str] = set()
    for start in order:
        seen: list[str] = []
        pid: str | None = start
        while pid is not None and pid in succ and pid not in seen:
            seen.append(pid)
            pid = succ[pid]
        if pid is None or pid not in succ:
            continue
        cycle = seen[seen.index(pid):]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        last = cycle[-1]
        c.error(("phases", where[last], "next"), "scenario/bad-phase",
                f"phase '{last}' leads back to '{pid}' ({' → '.join([*cycle, pid])}), so the "
                "turn would never end", "point the last phase's 'next' elsewhere or remove it")


def _check_move(c: Checker, loc: Loc, move: m.Move) -> None:
    c.refs((*loc, "actors"), move.actors, c.actor_ids, "actor")
    for j, pid in enumerate(move.phases):
        if not c.ref((*loc, "phases", j), pid, c.phase_ids, "phase") or pid not in c.phases:
            continue
        phase = c.phases[pid]
        if phase.kind != "orders":
            c.error((*loc, "phases", j), "scenario/bad-phase",
                    f"moves are given in orders phases; '{pid}' is "
                    f"{'an' if phase.kind[0] in 'aeiou' else 'a'} {phase.kind} phase")
            continue
        for actor in move.actors:
            if actor in c.actors and actor not in phase.actors:
                c.error((*loc, "phases", j), "scenario/actor-not-in-phase",
                        f"'{actor}' may make '{move.id}' in '{pid}' but does not act there",
                        f"add '{actor}' to the actors of phase '{pid}'")
    for res in move.cost:
        for actor in move.actors:
            have = {r.id for r in c.actors[actor].resources} if actor in c.actors else {res}
            if res not in have:
                c.error((*loc, "cost", res), "scenario/unknown-resource",
                        f"'{actor}' has no resource '{res}'", did_you_mean(res, have), key=True)
    c.unique_in((*loc, "params"), move.params, "parameter")
    params: dict[str, tuple[str, ...]] = {"actor": tuple(move.actors)}
    for j, param in enumerate(move.params):
        c.unique_in((*loc, "params", j, "choices"), param.choices, "choice")
        if param.id in RESERVED or param.id in c.track_ids:
            c.error((*loc, "params", j, "id"), "scenario/reserved-name",
                    f"parameter '{param.id}' clashes with a track or a reserved word")
        params[param.id] = tuple(ch.id for ch in param.choices)
    for j, req in enumerate(move.requires):
        c.expr((*loc, "requires", j), req, Kind.BOOL, params)
    adj = move.adjudication
    for j, mod in enumerate(adj.modifiers):
        c.expr((*loc, "adjudication", "modifiers", j, "when"), mod.when, Kind.BOOL, params)
    _check_outcomes(c, loc, move)
    terms = _offer_terms(c, loc, move)
    for j, out in enumerate(move.outcomes):
        for k, eff in enumerate(out.effects):
            _check_effect(c, (*loc, "outcomes", j, "effects", k), eff, {**terms, **params},
                          movers=move.actors)
        c.audience((*loc, "outcomes", j, "visible_to"), out.visible_to)
    c.audience((*loc, "reveal_to"), move.reveal_to)
    c.ref((*loc, "source"), move.source, c.source_ids, "source")


def _check_outcomes(c: Checker, loc: Loc, move: m.Move) -> None:
    """Outcome ids are unique; what else a move's outcomes need, its adjudicator says."""
    c.unique_in((*loc, "outcomes"), move.outcomes, "outcome")
    A.BY_KIND[move.adjudication.kind].check(c, loc, move)


def _check_effect(c: Checker, loc: Loc, eff: m.Effect, params: Mapping[str, tuple[str, ...]],
                  *, movers: list[str] | None) -> None:
    """Check one effect; ``movers`` are the actors of the move it belongs to (None: an event).
    Which operation it is, and what each one checks, the handlers say (:mod:`game.engine.effects`)."""
    targets = [k for k in E.TARGETS if getattr(eff, k)]
    if len(targets) != 1:
        c.error(loc, "scenario/bad-effect",
                f"an effect names exactly one of {E.words(E.TARGETS)}"
                + (f" (this one names {', '.join(targets)})" if targets else ""))
        return
    target = targets[0]
    given = [k for k in E.AMOUNTS if getattr(eff, k) is not None]
    handler = E.select(target, given)
    if handler is None:
        keys = E.choices(target)
        c.error(loc, "scenario/bad-effect",
                f"a {target} effect needs exactly one of {E.words(keys)}" if len(keys) > 1
                else f"a {target} effect needs {E.words(keys)} (and only {E.words(keys)})")
    else:
        handler.check(c, loc, eff, movers)
        for k in handler.amounts:
            if getattr(eff, k) is None:
                c.error(loc, "scenario/missing-field",
                        f"a {handler.op} effect needs {E.words(handler.amounts, 'and')}")
                break
        for k in given:
            if k not in handler.amounts:
                owner = next(h for h in E.HANDLERS if k in h.amounts)
                c.error((*loc, k), "scenario/bad-effect",
                        f"'{k}' does not belong beside '{handler.amounts[0]}'" if handler.amounts
                        else f"'{k}' does not belong in a {handler.op} effect",
                        f"'{k}' goes with {E.words(owner.amounts, 'and')} (a {owner.op} effect)",
                        key=True)
    for k in given:
        value = getattr(eff, k)
        if isinstance(value, str):
            c.expr((*loc, k), value, Kind.NUMBER, params)
    c.expr((*loc, "when"), eff.when, Kind.BOOL, params)


def _check_event(c: Checker, loc: Loc, event: m.Event) -> None:
    trig = event.trigger
    triggered = any(eff.trigger == event.id for section in ("moves", "events")
                    for _, item in c.parts.of(section)
                    for eff in (item.effects if section == "events"
                                else [e for o in item.outcomes for e in o.effects])) or any(
        event.id in (th.on_up, th.on_down) for _, t in c.parts.of("tracks") for th in t.thresholds)
    if trig.turn is None and trig.when is None and trig.chance is None and not triggered:
        c.error((*loc, "trigger"), "scenario/bad-trigger",
                f"event '{event.id}' never fires: give its trigger a 'turn', 'when' or 'chance', "
                "or fire it with a 'trigger:' effect or a threshold's 'on_up' or 'on_down'")
    turns = c.parts.meta.turns if c.parts.meta else None
    for key in ("turn", "from_turn"):
        value = getattr(trig, key)
        if turns is not None and value is not None and value > turns:
            c.error((*loc, "trigger", key), "scenario/out-of-range",
                    f"{key} {value} is after the last turn ({turns}): the event never fires")
    c.expr((*loc, "trigger", "when"), trig.when, Kind.BOOL)
    for k, eff in enumerate(event.effects):
        _check_effect(c, (*loc, "effects", k), eff, {}, movers=None)
    c.audience((*loc, "visible_to"), event.visible_to)
    if event.visible_to == "self":
        c.error((*loc, "visible_to"), "scenario/bad-audience",
                "an event has no acting actor, so 'self' means nobody but the umpire",
                "use 'control', 'all' or a list of actors")
    c.ref((*loc, "source"), event.source, c.source_ids, "source")


def _check_offers(c: Checker, moves: list[tuple[int, m.Move]], tracks: Mapping[str, m.Track]
                  ) -> None:
    """An offer goes to one actor who does not make it, its flag is a flag, and an answer
    names an offer move and is made by the actor the offer goes to."""
    offers = {mv.id: mv for _, mv in moves if mv.offer is not None}
    taken = {mv.accepts for _, mv in moves}
    for i, mv in moves:
        if mv.offer is not None and mv.id not in taken:
            c.error(("moves", i, "offer"), "scenario/bad-offer",
                    f"no move accepts the offer of '{mv.id}', so it can only be declined or lapse",
                    f"add a move of '{mv.offer.to}' with 'accepts: {mv.id}'")
        loc: Loc = ("moves", i)
        if mv.offer is not None:
            at: Loc = (*loc, "offer")
            if c.ref((*at, "to"), mv.offer.to, c.actor_ids, "actor") and mv.offer.to in mv.actors:
                c.error((*at, "to"), "scenario/bad-offer",
                        f"'{mv.id}' is made by '{mv.offer.to}', so it cannot be offered to it",
                        "offer it to another actor")
            flag = mv.offer.flag
            if flag is not None and c.ref((*at, "flag"), flag, c.track_ids, "track") and \
                    flag in tracks and tracks[flag].kind != "flag":
                c.error((*at, "flag"), "scenario/bad-offer",
                        f"'{flag}' is a number track; an offer's flag is a flag track",
                        "declare it with 'kind: flag'")
        answers = [k for k in ("accepts", "declines") if getattr(mv, k) is not None]
        if len(answers) > 1 or (answers and mv.offer is not None):
            c.error((*loc, answers[-1]), "scenario/bad-offer",
                    f"'{mv.id}' both makes and answers offers, or accepts and declines at once",
                    "give each of offering, accepting and declining a move of its own")
            continue
        if not answers:
            continue
        key = answers[0]
        target = getattr(mv, key)
        if target not in offers:
            c.error((*loc, key), "scenario/bad-offer",
                    f"'{target}' is not a move that makes an offer",
                    did_you_mean(target, offers) or "name a move that has an 'offer'")
            continue
        to = offers[target].offer
        assert to is not None
        for j, actor in enumerate(mv.actors):
            if actor != to.to:
                c.error((*loc, "actors", j), "scenario/bad-offer",
                        f"'{target}' is offered to '{to.to}', so only '{to.to}' can answer it",
                        f"make '{mv.id}' a move of '{to.to}' only")


def _offer_terms(c: Checker, loc: Loc, move: m.Move) -> dict[str, tuple[str, ...]]:
    """The parameters of the offer an answering move answers (its effects read them), each
    with its choices; an answer's own parameter of the same id is refused."""
    offered = move.accepts or move.declines
    made = next((mv for _, mv in c.parts.of("moves") if mv.id == offered and mv.offer), None)
    if made is None:
        return {}
    terms = {p.id: tuple(ch.id for ch in p.choices) for p in made.params}
    for j, p in enumerate(move.params):
        if p.id in terms:
            c.error((*loc, "params", j, "id"), "scenario/bad-offer",
                    f"parameter '{p.id}' is also a term of the offer '{made.id}' it answers",
                    "give it another id: the answer's effects read the offer's terms by theirs")
    return terms
