"""Lint: mistakes a scenario file may make that still load, found before anyone plays it.

``powerplay validate`` refuses what cannot run (an unknown track, a bad type). This module finds
what runs but cannot be meant: a reveal of a track every team already sees, a history value the
track cannot take, a move that costs more than its actor can ever hold, a prerequisite that can
never hold, a division by a track that can be 0. Each finding is a positioned
:class:`LintWarning` with a stable code (listed in :data:`CODES`) and a hint, e.g.::

    scenarios/my-crisis.yaml:88:26: warning[lint/division-by-zero]: 'nato_cohesion' can be 0 ...

The checks are static: they read the file, never play it. Whether a condition can hold is
decided by interval arithmetic over the tracks' declared ranges (:class:`Span`), narrowed by
the comparisons an ``and`` has already passed, so ``x > 0 and 6 / x > 2`` is safe while
``6 / x`` alone is not. Playing many games to see what actually happens is
:mod:`game.coverage`'s job.

>>> from game.scenario.load import load_scenario
>>> loaded = load_scenario("tutorial")
>>> lint(loaded.scenario, loaded.source)
[]
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from game.engine.wording import number
from game.scenario import model as m
from game.scenario.errors import Diagnostic
from game.scenario.yamlio import Loc, SourceMap

CODES: dict[str, str] = {
    "lint/reveal-public-track": "a reveal of a public track: every team sees it already",
    "lint/reveal-to-knower": "a reveal to an actor in the track's known_to: it sees it already",
    "lint/history-out-of-range": "a history value outside its track's range (or not 0/1 for a flag)",
    "lint/history-before-start": "a history entry dated before the game's start date",
    "lint/flag-value": "an effect that sets or adds a number other than 0 or 1 to a flag",
    "lint/value-out-of-range": "an effect that sets a track to a value outside its range",
    "lint/estimate-for-knower": "an estimate rule for an actor in known_to: it sees the truth",
    "lint/cost-above-max": "a cost above the most the resource can hold: never affordable",
    "lint/never-affordable": "a cost above what the actor starts with, with no income to reach it",
    "lint/requires-never-holds": "a prerequisite that can never hold: the move is never legal",
    "lint/umpire-one-outcome": "an umpire move with one outcome: nothing to rule on",
    "lint/division-by-zero": "a division whose divisor can be 0 (its track's range includes 0)",
    "lint/inject-never-fires": "an event whose trigger can never hold",
    "lint/condition-never-holds": "an effect, modifier or end condition whose 'when' never holds",
    "lint/phase-always-skipped": "a phase whose skip_if always holds: it never runs",
    "lint/track-unchanged": "a track no effect of any move or event changes",
    "lint/objective-unserved": "an objective whose score no move can change, or always 0",
    # found by playing (game.coverage)
    "lint/move-never-chosen": "in the playtest, a move no seat ever chose (and whether it was legal)",
    "lint/move-rarely-chosen": "in the playtest, a move chosen in fewer than 1 % of games",
    "lint/inject-never-fired": "in the playtest, an event that never fired",
    "lint/track-stuck": "in the playtest, a track at its min or max in over 90 % of final states",
    "lint/run-time-error": "in the playtest, a rule failed while a game was played",
}
"""Every lint code with what it means: the docs' table of warnings is checked against it."""


@dataclass(frozen=True, slots=True)
class LintWarning(Diagnostic):
    """One thing in a scenario file that loads but is probably a mistake (placed and coded as
    the loader's errors are; said as a warning, on one line)."""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: warning[{self.code}]: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def warning_at(smap: SourceMap, loc: Loc, code: str, message: str, hint: str | None = None,
               *, key: bool = False, offset: int | None = None) -> LintWarning:
    """A warning at ``loc`` in the file, positioned as the loader positions its errors."""
    assert code in CODES, code
    d = smap.diag(loc, code, message, hint, key=key, offset=offset)
    return LintWarning(d.path, d.line, d.col, code, message, hint)


# ------------------------------------------------------------------------------ value intervals

INF = math.inf


@dataclass(frozen=True, slots=True)
class Span:
    """What an expression can come to: a number in ``lo..hi``, and whether it can be true
    (non-zero) and false (zero). Text and anything unknown can be anything."""

    lo: float
    hi: float
    can_true: bool = True
    can_false: bool = True

    @staticmethod
    def number(lo: float, hi: float) -> Span:
        return Span(lo, hi, not lo == hi == 0, lo <= 0 <= hi)

    @staticmethod
    def truth(can_true: bool, can_false: bool) -> Span:
        return Span(0.0 if can_false else 1.0, 1.0 if can_true else 0.0, can_true, can_false)

    @property
    def is_point(self) -> bool:
        return self.lo == self.hi


ANY = Span(-INF, INF)
Bounds = dict[str, tuple[float, float]]
"""The range each name can take (tracks, ``turn``); a name with lo > hi cannot occur.
A key ``NONZERO + name`` says the name is known not to be 0 (``x != 0`` inside its range)."""
NONZERO = "!0:"


def _hull(values: list[float]) -> Span:
    """The span of a few candidate ends (anything, if one is undefined such as inf - inf)."""
    if any(math.isnan(v) for v in values):
        return Span.number(-INF, INF)
    return Span.number(min(values), max(values))


_ARITH: dict[type[ast.operator], Callable[[Span, Span], Span]] = {
    ast.Add: lambda a, b: _hull([a.lo + b.lo, a.hi + b.hi]),
    ast.Sub: lambda a, b: _hull([a.lo - b.hi, a.hi - b.lo]),
    ast.Mult: lambda a, b: _hull([a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]),
}


def _compare(a: Span, op: ast.cmpop, b: Span) -> Span:
    """Whether ``a op b`` can be true and can be false."""
    if isinstance(op, ast.Lt):
        return Span.truth(a.lo < b.hi, a.hi >= b.lo)
    if isinstance(op, ast.LtE):
        return Span.truth(a.lo <= b.hi, a.hi > b.lo)
    if isinstance(op, ast.Gt):
        return _compare(b, ast.Lt(), a)
    if isinstance(op, ast.GtE):
        return _compare(b, ast.LtE(), a)
    overlap = a.lo <= b.hi and b.lo <= a.hi
    same = a.is_point and b.is_point and a.lo == b.lo
    if isinstance(op, ast.Eq):
        return Span.truth(overlap, not same)
    if isinstance(op, ast.NotEq):
        return Span.truth(not same, overlap)
    return Span.truth(True, True)


@dataclass
class Division:
    """A division whose divisor can be 0: where it is in the text, and what the divisor is."""

    offset: int
    divisor: str
    span: Span


class Analyzer:
    """Interval evaluation of one expression's text over the declared ranges of its names."""

    def __init__(self, text: str, bounds: Bounds, integers: frozenset[str],
                 constants: dict[str, float]) -> None:
        self.text = text
        self.bounds = bounds
        self.integers = integers
        self.constants = constants
        self.divisions: list[Division] = []
        wrapped = "(" + text.replace("\r", " ") + "\n)"
        self.lines = wrapped.split("\n")
        self.tree: ast.expr | None
        try:
            self.tree = ast.parse(wrapped, mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = None  # the loader reports it; lint has nothing to say

    def span(self) -> Span:
        return ANY if self.tree is None else self.evaluate(self.tree, self.bounds)

    def narrow_text(self, b: Bounds) -> Bounds:
        """``b`` cut down to what makes the whole expression true (see :meth:`narrow`)."""
        return b if self.tree is None else self.narrow(self.tree, b)

    def offset(self, node: ast.expr) -> int:
        start = sum(len(line) + 1 for line in self.lines[:node.lineno - 1])
        line = self.lines[node.lineno - 1]
        col = len(line.encode("utf-8", "surrogatepass")[:node.col_offset]
                  .decode("utf-8", "ignore"))
        return max(0, min(start + col - 1, len(self.text)))

    def source(self, node: ast.expr) -> str:
        return " ".join((ast.get_source_segment("(" + self.text + "\n)", node) or "").split())

    # -- evaluation

    def evaluate(self, node: ast.expr, b: Bounds) -> Span:
        if isinstance(node, ast.Constant):
            v = node.value
            if isinstance(v, bool | int | float):
                return Span.number(float(v), float(v))
            return ANY
        if isinstance(node, ast.Name):
            return self.name(node.id, b)
        if isinstance(node, ast.BoolOp):
            return self.boolop(node, b)
        if isinstance(node, ast.UnaryOp):
            inner = self.evaluate(node.operand, b)
            if isinstance(node.op, ast.Not):
                return Span.truth(inner.can_false, inner.can_true)
            return Span.number(-inner.hi, -inner.lo) if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            return self.binop(node, b)
        if isinstance(node, ast.Compare):
            spans = [self.evaluate(x, b) for x in (node.left, *node.comparators)]
            parts = [_compare(x, op, y) for x, op, y in zip(spans, node.ops, spans[1:],
                                                             strict=False)]
            can_true = all(p.can_true for p in parts) and not _empty(self.narrow(node, b))
            return Span.truth(can_true, any(p.can_false for p in parts))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.call(node.func.id, [self.evaluate(a, b) for a in node.args])
        return ANY

    def name(self, name: str, b: Bounds) -> Span:
        if name in b:
            lo, hi = b[name]
            return Span.number(lo, hi)
        if name in self.constants:
            v = self.constants[name]
            return Span.number(v, v)
        if name in ("true", "True"):
            return Span.number(1.0, 1.0)
        if name in ("false", "False"):
            return Span.number(0.0, 0.0)
        return ANY  # a move parameter (text)

    def boolop(self, node: ast.BoolOp, b: Bounds) -> Span:
        """``and`` looks at each part knowing the parts before it held (that an ``or``'s parts
        before did not hold is not used: a plain, sound over-approximation)."""
        spans = []
        bounds = b
        for value in node.values:
            spans.append(self.evaluate(value, bounds))
            if isinstance(node.op, ast.And):
                bounds = self.narrow(value, bounds)
                if _empty(bounds):
                    spans.append(Span.truth(False, True))
                    break
        if isinstance(node.op, ast.And):  # 'and' and 'or' give true or false (1 or 0)
            return Span.truth(all(s.can_true for s in spans), any(s.can_false for s in spans))
        return Span.truth(any(s.can_true for s in spans), all(s.can_false for s in spans))

    def binop(self, node: ast.BinOp, b: Bounds) -> Span:
        left, right = self.evaluate(node.left, b), self.evaluate(node.right, b)
        op = type(node.op)
        if op in _ARITH:
            return _ARITH[op](left, right)
        if op is not ast.Div:
            return ANY
        if isinstance(node.right, ast.Name) and NONZERO + node.right.id in b:
            return ANY  # known not to be 0 here ('x != 0 and 6 / x')
        if right.lo <= 0 <= right.hi:
            self.divisions.append(Division(self.offset(node.right), self.source(node.right),
                                           right))
            return ANY
        return _hull([left.lo / right.lo, left.lo / right.hi, left.hi / right.lo,
                      left.hi / right.hi])

    @staticmethod
    def call(name: str, args: list[Span]) -> Span:
        if name == "abs" and len(args) == 1:
            a = args[0]
            lo = 0.0 if a.lo <= 0 <= a.hi else min(abs(a.lo), abs(a.hi))
            return Span.number(lo, max(abs(a.lo), abs(a.hi)))
        if name in ("min", "max") and len(args) >= 2:
            pick = min if name == "min" else max
            return Span.number(pick(a.lo for a in args), pick(a.hi for a in args))
        if name == "clamp" and len(args) == 3:
            x, low, high = args
            return Span.number(min(max(x.lo, low.lo), high.lo), max(min(x.hi, high.hi), low.hi))
        return ANY

    # -- narrowing: what the names can be once a condition is known to hold

    def narrow(self, node: ast.expr, b: Bounds) -> Bounds:
        """``b`` cut down to what makes ``node`` true, as far as simple comparisons of a name
        with a fixed value tell (anything else leaves ``b`` as it is)."""
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            for value in node.values:
                b = self.narrow(value, b)
            return b
        if isinstance(node, ast.Name) and node.id in b:
            return self.cut(b, node.id, ast.NotEq(), 0.0)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) \
                and isinstance(node.operand, ast.Name) and node.operand.id in b:
            return self.cut(b, node.operand.id, ast.Eq(), 0.0)
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for left, op, right in zip(sides, node.ops, sides[1:], strict=False):
                b = self.narrow_pair(left, op, right, b)
        return b

    def narrow_pair(self, left: ast.expr, op: ast.cmpop, right: ast.expr, b: Bounds) -> Bounds:
        flipped = {ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE,
                   ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}
        if type(op) not in flipped:
            return b
        for name_node, other, o in ((left, right, op), (right, left, flipped[type(op)]())):
            if isinstance(name_node, ast.Name) and name_node.id in b:
                value = self.evaluate(other, b)
                if value.is_point:
                    return self.cut(b, name_node.id, o, value.lo)
        return b

    def cut(self, b: Bounds, name: str, op: ast.cmpop, c: float) -> Bounds:
        lo, hi = b[name]
        whole = name in self.integers
        up = math.floor(c) + 1.0 if whole else math.nextafter(c, INF)
        down = math.ceil(c) - 1.0 if whole else math.nextafter(c, -INF)
        if isinstance(op, ast.Gt):
            lo = max(lo, up)
        elif isinstance(op, ast.GtE):
            lo = max(lo, math.ceil(c) if whole else c)
        elif isinstance(op, ast.Lt):
            hi = min(hi, down)
        elif isinstance(op, ast.LtE):
            hi = min(hi, math.floor(c) if whole else c)
        elif isinstance(op, ast.Eq):
            lo, hi = max(lo, c), min(hi, c)
        elif isinstance(op, ast.NotEq) and whole:
            lo = lo + 1 if lo == c else lo
            hi = hi - 1 if hi == c else hi
        if isinstance(op, ast.NotEq) and c == 0 and lo <= 0 <= hi:
            return {**b, name: (lo, hi), NONZERO + name: (1.0, 1.0)}
        return {**b, name: (lo, hi)}


def _empty(b: Bounds) -> bool:
    return any(lo > hi for lo, hi in b.values())


# ------------------------------------------------------------------------------ the scenario walk


@dataclass(frozen=True)
class ExprSite:
    """One expression of the scenario: where it is, its text, what it is for."""

    loc: Loc
    text: str
    role: str
    """'requires', 'modifier', 'when', 'value', 'trigger', 'objective', 'end', 'skip_if',
    'quality'."""
    guards: tuple[str, ...] = ()
    """Conditions known to hold whenever this one is evaluated: an effect's 'when' for its
    value, and a move's earlier prerequisites (they are tested in order, and the first that
    fails stops the test)."""
    turns: tuple[int, int] | None = None
    """The turns at which a trigger's condition is looked at."""
    owner: str = ""
    """The name of what it belongs to (a move, an event, a modifier's reason ...)."""


def _effect_sites(loc: Loc, effects: list[m.Effect], owner: str) -> Iterator[ExprSite]:
    for k, eff in enumerate(effects):
        at = (*loc, k)
        if eff.when is not None:
            yield ExprSite((*at, "when"), eff.when, "when", owner=owner)
        for op in ("add", "set", "mul"):
            value = getattr(eff, op)
            if isinstance(value, str):
                yield ExprSite((*at, op), value, "value",
                               guards=(eff.when,) if eff.when is not None else ())


def expression_sites(scn: m.Scenario) -> Iterator[ExprSite]:
    """Every expression in the scenario with its place in the file."""
    for i, t in enumerate(scn.tracks):
        for j, est in enumerate(t.estimates):
            yield ExprSite(("tracks", i, "estimates", j, "quality"), est.quality, "quality")
    for i, ph in enumerate(scn.phases):
        if ph.skip_if is not None:
            yield ExprSite(("phases", i, "skip_if"), ph.skip_if, "skip_if")
    for i, mv in enumerate(scn.moves):
        for j, req in enumerate(mv.requires):
            yield ExprSite(("moves", i, "requires", j), req, "requires",
                           guards=tuple(mv.requires[:j]), owner=mv.name)
        for j, mod in enumerate(mv.adjudication.modifiers):
            yield ExprSite(("moves", i, "adjudication", "modifiers", j, "when"), mod.when,
                           "modifier", owner=mod.why)
        for j, out in enumerate(mv.outcomes):
            yield from _effect_sites(("moves", i, "outcomes", j, "effects"), out.effects,
                                     mv.name)
    for i, ev in enumerate(scn.events):
        if ev.trigger.when is not None:
            first = max(ev.trigger.from_turn, ev.trigger.turn or 1)
            last = ev.trigger.turn or scn.meta.turns
            yield ExprSite(("events", i, "trigger", "when"), ev.trigger.when, "trigger",
                           turns=(first, last), owner=ev.name)
        yield from _effect_sites(("events", i, "effects"), ev.effects, ev.name)
    for i, obj in enumerate(scn.objectives):
        for key in ("per_turn", "at_end"):
            text = getattr(obj, key)
            if text is not None:
                yield ExprSite(("objectives", i, key), text, "objective")
    for i, end in enumerate(scn.end):
        yield ExprSite(("end", i, "when"), end.when, "end", owner=end.id)


def all_effects(scn: m.Scenario) -> Iterator[tuple[Loc, m.Effect, m.Move | None]]:
    """Every effect with its place and the move it belongs to (None: an event's)."""
    for i, mv in enumerate(scn.moves):
        for j, out in enumerate(mv.outcomes):
            for k, eff in enumerate(out.effects):
                yield ("moves", i, "outcomes", j, "effects", k), eff, mv
    for i, ev in enumerate(scn.events):
        for k, eff in enumerate(ev.effects):
            yield ("events", i, "effects", k), eff, None


def changed_tracks(scn: m.Scenario) -> set[str]:
    """Tracks some effect of a move or event changes."""
    return {eff.track for _, eff, _ in all_effects(scn) if eff.track is not None}


class Linter:
    """Walks a scenario once and collects its warnings."""

    def __init__(self, scn: m.Scenario, smap: SourceMap) -> None:
        self.scn = scn
        self.smap = smap
        self.out: list[LintWarning] = []
        self.tracks = {t.id: t for t in scn.tracks}
        self.actors = {a.id: a for a in scn.actors}
        self.changed = changed_tracks(scn)
        self.fired_by_effect = {eff.trigger for _, eff, _ in all_effects(scn) if eff.trigger}
        """Events an effect fires (whatever their own trigger says)."""
        self.fired_index = {i for i, e in enumerate(scn.events) if e.id in self.fired_by_effect}
        self.bounds: Bounds = {"turn": (1.0, float(scn.meta.turns))}
        for t in scn.tracks:
            lo, hi = (0.0, 1.0) if t.kind == "flag" else (float(t.min), float(t.max))
            if t.id not in self.changed:  # nothing changes it: it keeps its initial value
                lo = hi = float(t.initial)
            self.bounds[t.id] = (lo, hi)
        self.integers = frozenset(
            ["turn", *(t.id for t in scn.tracks if t.kind == "flag"
                       or (t.integer and float(t.initial).is_integer()))])

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
    """``set: 5`` on a flag; a fixed ``set`` outside a track's range."""
    for loc, eff, _ in all_effects(c.scn):
        t = c.tracks.get(eff.track or "")
        if t is None:
            continue
        lo, hi = _range_of(t)
        for op in ("set", "add"):
            value = getattr(eff, op)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if t.kind == "flag" and (value not in (0, 1) if op == "set"
                                     else abs(value) not in (0, 1)):
                c.warn((*loc, op), "lint/flag-value",
                       f"{c.name(t.id)} is a flag (0 or 1): '{op}: {value:g}' is cut to "
                       f"{min(max(value, 0), 1):g}",
                       "use 'set: 1' to raise a flag and 'set: 0' to lower it")
            elif t.kind != "flag" and op == "set" and not lo <= value <= hi:
                c.warn((*loc, op), "lint/value-out-of-range",
                       f"'set: {value:g}' is outside the range of {c.name(t.id)}, "
                       f"{lo:g} to {hi:g}, so it is cut to {min(max(value, lo), hi):g}",
                       "set a value within the range, or widen the range")


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
    """Conditions that can never hold, and divisions whose divisor can be 0."""
    for site in expression_sites(c.scn):
        bounds = c.bounds
        if site.turns is not None:
            bounds = {**bounds, "turn": (float(site.turns[0]), float(site.turns[1]))}
        guarded = bounds
        for guard in site.guards:
            guarded = c.analyzer(guard, guarded).narrow_text(guarded)
        if _empty(guarded):
            continue  # never evaluated: check_requires_together says why
        a = c.analyzer(site.text, guarded)
        span = a.span()
        for d in a.divisions:
            _warn_division(c, site, d)
        if site.role == "requires":  # alone; with the ones before it: check_requires_together
            span = c.analyzer(site.text, bounds).span()
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
    return number(x, t.precision if t.precision is not None else 0 if t.integer else 1)


def _warn_division(c: Linter, site: ExprSite, d: Division) -> None:
    lo, hi = d.span.lo, d.span.hi
    span = "ranges" if lo < hi else "stays at"
    value = f"{lo:g} to {hi:g}" if lo < hi else f"{lo:g}"
    where = (f"{c.name(d.divisor)} can be 0 (its range is {value})" if d.divisor in c.tracks
             else f"'{d.divisor}' can be 0 (it {span} {value})")
    c.warn(site.loc, "lint/division-by-zero",
           f"{where}, and a division by 0 stops the game", "divide by max(1, ...), guard it "
           "with 'when: ... > 0', or keep the track's range above 0", offset=d.offset)


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
            if not held or _empty(bounds):
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


CHECKS: tuple[Callable[[Linter], None], ...] = (
    check_reveals, check_history, check_flag_values, check_estimates, check_costs,
    check_umpire_moves, check_expressions, check_requires_together, check_triggers,
    check_unchanged_tracks, check_objectives)
