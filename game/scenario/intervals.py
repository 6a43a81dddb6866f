"""What a scenario's expressions can come to, read from the file without playing it.

Interval arithmetic over the tracks' declared ranges (:class:`Span`), narrowed by the
comparisons an ``and`` has already passed, so ``x > 0 and 6 / x > 2`` is safe while ``6 / x``
alone is not. The loader uses it to refuse a division whose divisor can be 0
(:func:`division_problems`); :mod:`game.scenario.lint` to find conditions that can never hold.

>>> a = Analyzer("6 / x", {"x": (0.0, 5.0)}, frozenset(), {})
>>> a.span(), [d.divisor for d in a.divisions]
(Span(lo=-inf, hi=inf, can_true=True, can_false=True), ['x'])
>>> Analyzer("x > 0 and 6 / x > 2", {"x": (0.0, 5.0)}, frozenset({"x"}), {}).divisions
[]
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from game.engine import effects as E
from game.scenario import model as m
from game.scenario.errors import Diagnostic
from game.scenario.yamlio import Loc, SourceMap

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
EMPTY = "!empty"
"""A key saying a name was cut down to nothing (see :func:`empty`)."""


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
            can_true = all(p.can_true for p in parts) and not empty(self.narrow(node, b))
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
                if empty(bounds):
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
        return bounded(b, name, lo, hi)


def bounded(b: Bounds, name: str, lo: float, hi: float) -> Bounds:
    """``b`` with ``name`` in ``lo..hi``, marked empty when nothing is left (lo > hi)."""
    return {**b, name: (lo, hi), EMPTY: (1.0, 0.0)} if lo > hi else {**b, name: (lo, hi)}


def empty(b: Bounds) -> bool:
    """Whether no value of the names meets the conditions ``b`` was cut down by."""
    return EMPTY in b


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
        for op in E.AMOUNTS:
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
    """Tracks some effect of a move or event changes (an offer's flag too: the engine raises
    and lowers it with the offer)."""
    return ({eff.track for _, eff, _ in all_effects(scn) if eff.track is not None}
            | {mv.offer.flag for mv in scn.moves if mv.offer is not None and mv.offer.flag})


# ------------------------------------------------------------------------------ what the loader refuses


def declared_bounds(scn: m.Scenario) -> Bounds:
    """The range each track can take in play — any value of its declared range, since the
    umpire may set a track anywhere in it — and the turns the game runs."""
    bounds: Bounds = {"turn": (1.0, float(scn.meta.turns))}
    for t in scn.tracks:
        bounds[t.id] = (0.0, 1.0) if t.kind == "flag" else (float(t.min), float(t.max))
    return bounds


def integer_names(scn: m.Scenario) -> frozenset[str]:
    """Names that only take whole numbers: ``turn``, flags and integer tracks."""
    return frozenset(["turn", *(t.id for t in scn.tracks if t.kind == "flag"
                                or (t.integer and float(t.initial).is_integer()))])


def site_bounds(site: ExprSite, bounds: Bounds, analyzer: Callable[[str, Bounds], Analyzer]
                ) -> Bounds:
    """``bounds`` as they stand whenever ``site`` is evaluated: its turns, and cut down by
    the guards that hold then (empty if it is never evaluated)."""
    if site.turns is not None:
        bounds = bounded(bounds, "turn", float(site.turns[0]), float(site.turns[1]))
    for guard in site.guards:
        bounds = analyzer(guard, bounds).narrow_text(bounds)
    return bounds


def division_problems(scn: m.Scenario, smap: SourceMap) -> list[Diagnostic]:
    """Every division whose divisor can be 0 somewhere in the declared ranges, placed at the
    divisor: a scenario with one would stop a game in play, so the loader refuses it."""
    bounds, integers = declared_bounds(scn), integer_names(scn)
    names = {t.id: t.name for t in scn.tracks}

    def analyzer(text: str, b: Bounds) -> Analyzer:
        return Analyzer(text, b, integers, {"turns": float(scn.meta.turns)})

    problems = []
    for site in expression_sites(scn):
        if "/" not in site.text:
            continue  # no division in it (the quick test that keeps validate linear)
        b = site_bounds(site, bounds, analyzer)
        if empty(b):
            continue
        a = analyzer(site.text, b)
        a.span()
        for d in a.divisions:
            lo, hi = d.span.lo, d.span.hi
            if d.divisor in names:
                what = f"'{names[d.divisor]}' ({d.divisor}) can be 0 (its range is {lo:g} to {hi:g})"
            else:
                value = f"ranges {lo:g} to {hi:g}" if lo < hi else f"stays at {lo:g}"
                what = f"'{d.divisor}' can be 0 (it {value})"
            problems.append(smap.diag(
                site.loc, "scenario/division-by-zero",
                f"{what}, and a division by 0 would stop the game",
                "divide by max(1, ...), guard it with 'when: ... > 0' or '... > 0 and ...', "
                "or keep the track's range above 0", offset=d.offset))
    return problems
