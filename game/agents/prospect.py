"""What a position promises a team: its objectives scored with partial credit for being close.

A search that values the end of a playout by the points the objectives would score sees no
difference between two positions that both miss a threshold, however far apart they are: on the
flagship most objectives score a threshold that one turn rarely crosses (``eu_rok_partnership
>= 7``, ``kursk_held <= 300``), so nearly every option of a turn came to the same points. Here
each comparison in an objective's formula counts in full when it holds and, when it does not,
``PARTIAL`` of a point shrinking to nothing over ``REACH`` of the compared values' span:

    eu_rok_partnership >= 7   (a track from 0 to 10: span 10, reach 2.5)
    at 7 or more: 1;  at 6: 0.5 * (1 - 1/2.5) = 0.3;  at 5: 0.1;  at 4.5 or less: 0

``and`` multiplies, ``or`` takes the largest, ``not`` takes from 1, and arithmetic,
``min``/``max``/``abs``/``clamp`` work on those values as on true/false. A formula this cannot
grade (text, move parameters, a name it does not know) is scored exactly.

A per-turn objective is counted for every turn still to be scored (the position assumed to
last), an end-of-game objective once: the points the game would end with if nothing changed.
The formulas are the scenario's own, already checked by the loader; this reads their syntax
tree, it never runs scenario text.

>>> from game.session import Game
>>> rules = Game.new("kursk-2024", seed=1).engine.rules
>>> grade = Grader(rules).compile("eu_rok_partnership >= 7")
>>> [round(grade([6.0 if t.id == "eu_rok_partnership" else 0.0 for t in rules.tracks], 1), 2)]
[0.3]
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Sequence

from game.engine.rules import Rules

PARTIAL = 0.5
"""What coming close to a threshold is worth at most, as a share of reaching it."""
REACH = 0.25
"""How close counts: the share of the compared values' span over which credit fades to 0."""

Graded = Callable[[Sequence[float], int], float]
"""A graded formula: (tracks, turn) -> points."""


class _Unsupported(Exception):
    """The formula uses something this module does not grade."""


_ARITH: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
}


class Grader:
    """Compiles objective formulas of one scenario to graded closures."""

    def __init__(self, rules: Rules) -> None:
        self.index = rules.track_index
        self.bounds = {t.idx: (t.lo, t.hi) for t in rules.tracks}
        self.turns = rules.turns

    def compile(self, src: str) -> Graded:
        """The graded closure of ``src``; raises ValueError if it cannot be graded."""
        try:
            fn, _, _ = self._node(ast.parse(src.strip(), mode="eval").body)
        except (_Unsupported, SyntaxError, RecursionError) as exc:
            raise ValueError(f"cannot grade {src!r}") from exc
        return fn

    # Each node gives (closure, low, high): the closure and the interval of its values.
    def _node(self, node: ast.expr) -> tuple[Graded, float, float]:  # noqa: C901 (one dispatch)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool | int | float):
            v = float(node.value)
            return (lambda t, turn: v), v, v
        if isinstance(node, ast.Name):
            return self._name(node.id)
        if isinstance(node, ast.BoolOp):
            parts = [self._node(v)[0] for v in node.values]
            if isinstance(node.op, ast.And):
                return _product(parts), 0.0, 1.0
            return (lambda t, turn: max(_truth(f(t, turn)) for f in parts)), 0.0, 1.0
        if isinstance(node, ast.UnaryOp):
            f, lo, hi = self._node(node.operand)
            if isinstance(node.op, ast.Not):
                return (lambda t, turn: 1.0 - _truth(f(t, turn))), 0.0, 1.0
            if isinstance(node.op, ast.USub):
                return (lambda t, turn: -f(t, turn)), -hi, -lo
            if isinstance(node.op, ast.UAdd):
                return f, lo, hi
            raise _Unsupported
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            return self._call(node.func.id, [self._node(a) for a in node.args])
        raise _Unsupported

    def _name(self, name: str) -> tuple[Graded, float, float]:
        if name in self.index:
            i = self.index[name]
            lo, hi = self.bounds[i]
            return (lambda t, turn: t[i]), lo, hi
        if name == "turn":
            return (lambda t, turn: float(turn)), 1.0, float(self.turns)
        if name == "turns":
            n = float(self.turns)
            return (lambda t, turn: n), n, n
        if name in ("true", "false", "True", "False"):
            v = float(name.lower() == "true")
            return (lambda t, turn: v), v, v
        raise _Unsupported

    def _binop(self, node: ast.BinOp) -> tuple[Graded, float, float]:
        f, a, b = self._node(node.left)
        g, c, d = self._node(node.right)
        if isinstance(node.op, ast.Div):
            if not (isinstance(node.right, ast.Constant) and c == d != 0):
                raise _Unsupported  # a division by a value: graded exactly instead
            k = c
            return (lambda t, turn: f(t, turn) / k), min(a / k, b / k), max(a / k, b / k)
        op = _ARITH.get(type(node.op))
        if op is None:
            raise _Unsupported
        corners = [op(x, y) for x in (a, b) for y in (c, d)]
        return (lambda t, turn: op(f(t, turn), g(t, turn))), min(corners), max(corners)

    def _compare(self, node: ast.Compare) -> tuple[Graded, float, float]:
        parts = [self._node(node.left), *(self._node(c) for c in node.comparators)]
        tests = [_ramp(type(op), f, g, max(hf, hg) - min(lf, lg))
                 for op, (f, lf, hf), (g, lg, hg) in zip(node.ops, parts[:-1], parts[1:],
                                                             strict=True)]
        return (tests[0] if len(tests) == 1 else _product(tests)), 0.0, 1.0

    def _call(self, name: str, args: list[tuple[Graded, float, float]]
              ) -> tuple[Graded, float, float]:
        fns = [f for f, _, _ in args]
        if name in ("min", "max") and len(args) >= 2:
            pick = min if name == "min" else max
            return ((lambda t, turn: pick(f(t, turn) for f in fns)),
                    pick(lo for _, lo, _ in args), pick(hi for _, _, hi in args))
        if name == "abs" and len(args) == 1:
            f, lo, hi = args[0]
            top = max(abs(lo), abs(hi))
            return (lambda t, turn: abs(f(t, turn))), (0.0 if lo <= 0 <= hi else
                                                       min(abs(lo), abs(hi))), top
        if name == "clamp" and len(args) == 3:
            f, lo, hi = args[0]
            g, h = fns[1], fns[2]
            return ((lambda t, turn: min(max(f(t, turn), g(t, turn)), h(t, turn))),
                    max(lo, args[1][1]), min(hi, args[2][2]))
        raise _Unsupported


def _truth(x: float) -> float:
    """A number read as true/false, a graded value kept as it is."""
    return x if 0.0 <= x <= 1.0 else 1.0 if x else 0.0


def _product(parts: list[Graded]) -> Graded:
    def product(t: Sequence[float], turn: int) -> float:
        out = 1.0
        for f in parts:
            out *= _truth(f(t, turn))
        return out

    return product


def _ramp(op: type[ast.cmpop], f: Graded, g: Graded, span: float) -> Graded:
    """One comparison graded: 1 when it holds, else up to PARTIAL fading over REACH * span."""
    width = max(REACH * span, 1e-9)
    if op in (ast.LtE, ast.Lt):  # f <= g is g >= f
        f, g, op = g, f, ast.GtE if op is ast.LtE else ast.Gt
    if op in (ast.GtE, ast.Gt):  # f >= g: short by g - f
        strict = op is ast.Gt

        def at_least(t: Sequence[float], turn: int) -> float:
            d = f(t, turn) - g(t, turn)
            if d > 0 or (d == 0 and not strict):
                return 1.0
            return PARTIAL * max(0.0, 1.0 + d / width)

        return at_least
    if op is ast.Eq:
        def equal(t: Sequence[float], turn: int) -> float:
            d = abs(f(t, turn) - g(t, turn))
            return 1.0 if d == 0 else PARTIAL * max(0.0, 1.0 - d / width)

        return equal
    if op is ast.NotEq:
        return lambda t, turn: float(f(t, turn) != g(t, turn))
    raise _Unsupported
