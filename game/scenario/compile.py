"""Compile a checked scenario into the engine's index-based rules (done once per load)."""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Iterable, Mapping
from typing import Any

from game.engine import adjudication as A
from game.engine import effects as E
from game.engine import rules as r
from game.engine.flow import PhaseDecl, build_machine, successor_table
from game.engine.offers import prerequisite as offer_prerequisite
from game.scenario import model as m
from game.scenario.expr import Kind, Scope, compile_expr
from game.scenario.load import LoadedScenario, find_scenario, load_scenario
from game.scenario.yamlio import Loc

_CACHE: dict[tuple[str, int, int], r.Rules] = {}


def load_rules(ref: str | os.PathLike[str]) -> r.Rules:
    """Load, check and compile a scenario by id or path.

    Cached per process by the file's path, size and modification time, so a batch of games
    pays for loading once and an edited file is loaded afresh."""
    path = find_scenario(ref)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _CACHE:
        _CACHE[key] = compile_rules(load_scenario(path))
    return _CACHE[key]


class _Compiler:
    def __init__(self, loaded: LoadedScenario) -> None:
        self.loaded = loaded
        self.scn = loaded.scenario
        self.actor_idx = {a.id: i for i, a in enumerate(self.scn.actors)}
        self.track_idx = {t.id: i for i, t in enumerate(self.scn.tracks)}
        self.event_idx = {e.id: i for i, e in enumerate(self.scn.events)}
        self.move_idx = {mv.id: i for i, mv in enumerate(self.scn.moves)}
        self.scope = Scope(tracks=self.track_idx, constants={"turns": self.scn.meta.turns})
        self.effects: list[r.Effect] = []

    def where(self, loc: Loc) -> str:
        d = self.loaded.source.diag(loc, "", "")
        return f"{d.path}:{d.line}:{d.col}"

    def expr(self, loc: Loc, text: str, expect: Kind,
             params: Mapping[str, tuple[str, ...]] | None = None) -> r.Expr:
        scope = self.scope if not params else Scope(self.scope.tracks, params,
                                                    self.scope.constants)
        compiled = compile_expr(text, scope, expect=expect)
        return r.Expr(text.strip(), compiled.fn, compiled.names, self.where(loc),
                      compiled.params)

    def mask(self, audience: m.Audience) -> int:
        if audience == "all":
            return (1 << len(self.scn.actors)) - 1
        if audience == "self":
            return r.SELF
        if audience == "control":
            return 0
        return _bits(self.actor_idx[a] for a in audience)

    def effect(self, loc: Loc, e: m.Effect, params: Mapping[str, tuple[str, ...]]) -> r.Effect:
        h = E.select(next(k for k in E.TARGETS if getattr(e, k) is not None),
                     [k for k in E.AMOUNTS if getattr(e, k) is not None])
        assert h is not None, "checked at load"
        values = tuple(self.expr((*loc, k), raw, Kind.NUMBER, params) if isinstance(raw, str)
                       else float(raw) for k in h.amounts for raw in [getattr(e, k)])
        fixed = None if any(isinstance(v, r.Expr) for v in values) else tuple(
            float(v) for v in values if isinstance(v, float))
        actor = r.SELF if e.actor in (None, "self") else self.actor_idx[e.actor]
        when = self.expr((*loc, "when"), e.when, Kind.BOOL, params) if e.when else None
        eff = r.Effect(len(self.effects), h.op, h.target_index(self, e), e.resource or "", actor,
                       values, fixed, _bits(self.actor_idx[a] for a in e.to), when, e.delay,
                       e.duration, e.text, self.where(loc))
        self.effects.append(eff)
        return eff

    def actors(self) -> tuple[r.Actor, ...]:
        out = []
        flat = 0
        for i, a in enumerate(self.scn.actors):
            res = []
            for x in a.resources:
                res.append(r.Resource(flat, x.id, x.name, x.initial, x.per_turn, x.max))
                flat += 1
            out.append(r.Actor(i, a.id, a.name, a.kind == "player", a.color, tuple(res),
                               a.briefing.public, a.briefing.private))
        return tuple(out)

    def tracks(self) -> tuple[r.Track, ...]:
        out = []
        everyone = (1 << len(self.scn.actors)) - 1
        for i, t in enumerate(self.scn.tracks):
            loc = ("tracks", i)
            secret = t.visibility == "secret"
            known = _bits(self.actor_idx[a] for a in t.known_to) if secret else everyone
            ests = tuple(
                r.EstimateRule(_bits(self.actor_idx[a] for a in e.actors),
                               self.expr((*loc, "estimates", j, "quality"), e.quality,
                                         Kind.NUMBER), e.spread,
                               None if e.bias == "random" else float(e.bias), float(e.miss))
                for j, e in enumerate(t.estimates))
            lo, hi = (0.0, 1.0) if t.kind == "flag" else (float(t.min), float(t.max))
            out.append(r.Track(i, t.id, t.name, t.kind == "flag", t.theme, lo, hi,
                               float(t.initial),
                               t.unit, t.integer or t.kind == "flag",
                               tuple(r.Threshold(x.at, x.name, x.text, x.reached == "falling",
                                                 self.event_idx.get(x.on_up or "", -1),
                                                 self.event_idx.get(x.on_down or "", -1))
                                     for x in t.thresholds),
                               secret, known, ests, t.description, t.source, self.where(loc),
                               t.shown_precision(), t.umpire_note))
        return tuple(out)

    def phases(self) -> tuple[r.Phase, ...]:
        ids = [p.id for p in self.scn.phases]
        table = successor_table(build_machine(phase_decls(self.scn)), ids)
        out = []
        for i, p in enumerate(self.scn.phases):
            kind = r.PhaseKind(p.kind)
            nxt = table[i]
            wait = p.wait_for_control if p.wait_for_control is not None else (
                kind is r.PhaseKind.REVIEW)
            skip = self.expr(("phases", i, "skip_if"), p.skip_if, Kind.BOOL) if p.skip_if else None
            actors = tuple(self.actor_idx[a] for a in p.actors)
            out.append(r.Phase(i, p.id, p.name, kind, p.text, actors,
                               _bits(actors), p.mode == "simultaneous",
                               p.max_orders, wait, skip, nxt))
        return tuple(out)

    def move(self, i: int, mv: m.Move, actors: tuple[r.Actor, ...]) -> r.Move:
        loc: Loc = ("moves", i)
        params = {"actor": tuple(mv.actors), **{p.id: tuple(c.id for c in p.choices)
                                                for p in mv.params}}
        phase_idx = {p.id: j for j, p in enumerate(self.scn.phases)}
        adj = mv.adjudication
        n, sides = (int(x) for x in adj.dice.split("d"))
        costs = {}
        for aid in mv.actors:
            a = actors[self.actor_idx[aid]]
            costs[a.idx] = tuple((next(x.idx for x in a.resources if x.id == rid), amount)
                                 for rid, amount in mv.cost.items())
        offered = mv.accepts or mv.declines  # an answer's effects read the offer's terms too
        terms = {p.id: tuple(c.id for c in p.choices)
                 for p in self.scn.moves[self.move_idx[offered]].params} if offered else {}
        outcomes = tuple(
            r.Outcome(j, o.id, o.name or o.id.replace("_", " ").capitalize(), o.text,
                      tuple(self.effect((*loc, "outcomes", j, "effects", k), e,
                                        {**terms, **params})
                            for k, e in enumerate(o.effects)),
                      self.mask(o.visible_to))
            for j, o in enumerate(mv.outcomes))
        kind = A.BY_KIND[adj.kind]
        target = adj.target if adj.target is not None else kind.default_target
        offer: r.OfferRule | None = None
        answers = -1
        if mv.offer is not None:
            o = mv.offer
            flags: list[r.Effect | None] = [None, None]
            if o.flag:
                for k, (value, text) in enumerate(((1, "The offer is on the table"),
                                                   (0, "The offer is off the table"))):
                    flags[k] = self.effect((*loc, "offer", "flag"),
                                           m.Effect(track=o.flag, set=value, text=text), {})
            offer = r.OfferRule(self.actor_idx[o.to], o.expires, o.refund,
                                self.track_idx[o.flag] if o.flag else -1, *flags)
        elif mv.accepts or mv.declines:
            answers = self.move_idx[mv.accepts or mv.declines or ""]
        made = r.Move(
            i, mv.id, mv.name, mv.text,
            _bits(self.actor_idx[a] for a in mv.actors),
            _bits(phase_idx[p] for p in mv.phases),
            tuple(mv.cost.items()), costs,
            tuple(self.expr((*loc, "requires", j), q, Kind.BOOL, params)
                  for j, q in enumerate(mv.requires)),
            tuple((p.id, tuple(c.id for c in p.choices)) for p in mv.params),
            tuple(tuple(sorted(zip([p.id for p in mv.params], combo, strict=True)))
                  for combo in itertools.product(*[[c.id for c in p.choices]
                                                   for p in mv.params])),
            mv.limits.per_game, mv.limits.per_turn, mv.limits.cooldown,
            kind.kind, (n, sides), target,
            tuple(self.modifier((*loc, "adjudication", "modifiers", j), x, params)
                  for j, x in enumerate(adj.modifiers)),
            outcomes, self.mask(mv.reveal_to), mv.source, self.where(loc),
            tuple((p.id, p.name or p.id.replace("_", " ").capitalize(),
                   tuple((c.id, c.name or c.id.replace("_", " ")) for c in p.choices))
                  for p in mv.params),
            offer, answers, bool(mv.accepts))
        if offer is None and answers < 0:
            return made
        # an offer, or an answer to one, has a prerequisite of its own (game.engine.offers)
        name = self.scn.moves[answers].name if answers >= 0 else ""
        req = offer_prerequisite(i, answers, name, self.actor_idx, self.where(loc))
        return dataclasses.replace(made, requires=(*made.requires, req))

    def objective(self, i: int, o: m.Objective) -> r.Objective:
        per_turn = (self.expr(("objectives", i, "per_turn"), o.per_turn, Kind.NUMBER)
                    if o.per_turn else None)
        at_end = (self.expr(("objectives", i, "at_end"), o.at_end, Kind.NUMBER)
                  if o.at_end else None)
        # while the game runs only the per-turn points are scored; the end's come when the
        # game is over and everything is shown (game.engine.fog, rule 1)
        seen_by = self.seen_by(per_turn.names) if per_turn is not None else -1
        return r.Objective(i, o.id, self.actor_idx[o.actor], o.name, o.text, o.hidden,
                           per_turn, at_end, not o.hidden and seen_by == -1, seen_by)

    def seen_by(self, names: frozenset[str]) -> int:
        """Actors who see every one of these tracks exactly (-1: everyone)."""
        everyone = (1 << len(self.scn.actors)) - 1
        mask = everyone
        for name in names:
            t = self.scn.tracks[self.track_idx[name]]
            if t.visibility == "secret":
                mask &= _bits(self.actor_idx[a] for a in t.known_to)
        return -1 if mask == everyone else mask

    def modifier(self, loc: Loc, x: m.Modifier, params: Mapping[str, tuple[str, ...]]
                 ) -> r.Modifier:
        when = self.expr((*loc, "when"), x.when, Kind.BOOL, params)
        return r.Modifier(x.value, when, x.why, self.seen_by(when.names))

    def event(self, i: int, e: m.Event) -> r.Event:
        loc: Loc = ("events", i)
        t = e.trigger
        when = self.expr((*loc, "trigger", "when"), t.when, Kind.BOOL) if t.when else None
        return r.Event(i, e.id, e.name, e.date, e.text, t.turn, when, t.chance, t.from_turn,
                       e.once, e.release == "umpire",
                       tuple(self.effect((*loc, "effects", k), x, {})
                             for k, x in enumerate(e.effects)),
                       self.mask(e.visible_to), e.source, self.where(loc))


def phase_decls(scn: m.Scenario) -> list[PhaseDecl]:
    """The phases as the flow machine sees them."""
    return [PhaseDecl(p.id, p.name, p.kind, p.next, p.skip_if) for p in scn.phases]


def compile_rules(loaded: LoadedScenario) -> r.Rules:
    """Turn a checked scenario into engine rules."""
    c = _Compiler(loaded)
    scn = c.scn
    actors = c.actors()
    moves = tuple(c.move(i, mv, actors) for i, mv in enumerate(scn.moves))
    events = tuple(c.event(i, e) for i, e in enumerate(scn.events))
    objectives = tuple(c.objective(i, o) for i, o in enumerate(scn.objectives))
    start = scn.meta.start_date
    days = scn.meta.turn_length_days
    history = tuple(
        r.HistoryPoint(h.date, (h.date - start).days // days + 1, h.text,
                       tuple(h.values.items()), h.source)
        for h in sorted(scn.history, key=lambda h: h.date))
    sources: tuple[dict[str, Any], ...] = tuple(
        s.model_dump(mode="json") for s in scn.meta.sources)
    return r.Rules(
        id=scn.meta.id, title=scn.meta.title, version=scn.meta.version,
        description=scn.meta.description, start_date=start, turn_days=days,
        turns=scn.meta.turns, dice=scn.meta.dice, digest=loaded.digest,
        score_precision=scn.meta.score_precision,
        actors=actors, tracks=c.tracks(), phases=c.phases(), moves=moves, events=events,
        objectives=objectives,
        end=tuple(r.EndCondition(x.id, c.expr(("end", i, "when"), x.when, Kind.BOOL), x.text)
                  for i, x in enumerate(scn.end)),
        history=history, effects=tuple(c.effects), sources=sources, path=loaded.path,
        channels=tuple(frozenset(ch.between) for ch in scn.channels),
        board_map=scn.map.model_dump(mode="json") if scn.map is not None else None)


def _bits(indices: Iterable[int]) -> int:
    """The bitmask of ``indices`` (an index listed twice is still one bit)."""
    mask = 0
    for i in indices:
        mask |= 1 << i
    return mask
