"""The safe expression language of scenario files.

Scenario files carry small expressions for prerequisites, triggers, objective scores and
computed effect values, e.g. ``eu_rok_intel >= 3 and not martial_law`` or
``clamp(dprk_troops / 1000, 0, 10)``. They are written by teachers and passed between institutions,
so they are untrusted text: this module parses them with :func:`ast.parse` and compiles an
*allow-list* of node types into plain Python closures. Nothing is ever handed to ``eval``,
``exec`` or ``compile``; anything not on the list is refused at load time with an
:class:`ExprError` that has a stable code, a sentence a teacher can act on and the character
offset of the offending part. The language is described for authors in
``docs/expressions.md``.

>>> scope = Scope(tracks={"eu_rok_intel": 0, "martial_law": 1})
>>> e = compile_expr("eu_rok_intel >= 3 and not martial_law", scope, expect=Kind.BOOL)
>>> from types import SimpleNamespace
>>> e(SimpleNamespace(tracks=[4, 0], turn=1, params={}))
True
"""

from __future__ import annotations

import ast
import difflib
import enum
import operator
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, NoReturn, Protocol

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_NUMBER",
    "MAX_STRING",
    "RESERVED_NAMES",
    "Env",
    "Expr",
    "ExprError",
    "ExprRuntimeError",
    "Kind",
    "Scope",
    "compile_expr",
]

MAX_LENGTH = 500
"""Longest expression text, in characters."""
MAX_DEPTH = 32
"""Deepest nesting of brackets, and of operators/calls inside one another."""
MAX_NUMBER = 1e12
"""Largest magnitude of a number literal."""
MAX_STRING = 200
"""Longest text literal, in characters."""
FUNCTIONS = ("min", "max", "abs", "clamp")
"""The only functions an expression may call."""
RESERVED_NAMES = frozenset({"turn", "true", "false", "True", "False", *FUNCTIONS})
"""Names with a built-in meaning; a scenario should not reuse them for tracks, parameters or
constants (if it does, the scenario's name wins inside expressions)."""


# --------------------------------------------------------------------------------------- errors


class ExprError(Exception):
    """An expression was refused at load time.

    ``code`` is stable (``expr/syntax``, ``expr/unknown-name``, ``expr/forbidden``,
    ``expr/bad-call``, ``expr/type``, ``expr/too-long``, ``expr/too-deep``, ``expr/too-big``,
    ``expr/empty``);
    ``offset`` is the 0-based character offset of the offending part inside the expression text.
    """

    def __init__(self, code: str, message: str, offset: int = 0, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.message} [{self.code} at character {self.offset}]"
        return f"{text} ({self.hint})" if self.hint else text


class ExprRuntimeError(Exception):
    """An expression failed while being evaluated, e.g. a division by zero."""

    def __init__(self, problem: str, src: str) -> None:
        self.problem = problem
        self.src = src
        self.message = f"{problem} in expression {src!r}"
        super().__init__(self.message)


# ---------------------------------------------------------------------------------- public types


class Env(Protocol):
    """What an expression reads when it runs: the engine's state, seen through three attributes."""

    @property
    def tracks(self) -> Sequence[float]: ...

    @property
    def turn(self) -> int: ...

    @property
    def params(self) -> Mapping[str, str]: ...


Fn = Callable[[Env], Any]


class Kind(enum.Enum):
    """The static type of an expression."""

    NUMBER = "number"
    BOOL = "true/false"
    STRING = "text"


@dataclass(frozen=True)
class Scope:
    """The names an expression may use.

    ``tracks`` maps a track or flag name to its index in ``env.tracks``; ``params`` maps a move
    parameter to its allowed values (an empty tuple allows any text); ``constants`` are fixed
    values folded in at load time. ``turn``, ``true``/``false`` and ``True``/``False`` are always
    available.
    """

    tracks: Mapping[str, int]
    params: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    constants: Mapping[str, float | int | bool | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Expr:
    """A compiled expression: call it with an :class:`Env`.

    ``fn`` is the bare closure (fastest; divisions by zero already raise :class:`ExprRuntimeError`);
    calling the ``Expr`` itself also turns any other arithmetic failure into one.
    With ``expect`` given to :func:`compile_expr`, ``kind`` equals it and results have that type.
    """

    src: str
    fn: Fn = field(repr=False)
    kind: Kind
    names: frozenset[str]
    """The tracks it reads."""
    params: frozenset[str] = frozenset()
    """The move parameters it reads."""

    def __call__(self, env: Env) -> Any:
        try:
            return self.fn(env)
        except ArithmeticError as exc:  # a number grew beyond what a float can hold
            raise ExprRuntimeError(f"calculation failed ({exc})", self.src) from None


# ------------------------------------------------------------------------- closure shape tables
# Each table maps an operator to a factory that builds one tight closure for one operand shape:
# T = a bare track (env.tracks[i]), C = a constant, F = any compiled closure.

_CMP_TC: dict[type[ast.cmpop], Callable[[int, Any], Fn]] = {
    ast.Lt: lambda i, c: lambda env: env.tracks[i] < c,
    ast.LtE: lambda i, c: lambda env: env.tracks[i] <= c,
    ast.Gt: lambda i, c: lambda env: env.tracks[i] > c,
    ast.GtE: lambda i, c: lambda env: env.tracks[i] >= c,
    ast.Eq: lambda i, c: lambda env: env.tracks[i] == c,
    ast.NotEq: lambda i, c: lambda env: env.tracks[i] != c,
}
_CMP_FC: dict[type[ast.cmpop], Callable[[Fn, Any], Fn]] = {
    ast.Lt: lambda f, c: lambda env: f(env) < c,
    ast.LtE: lambda f, c: lambda env: f(env) <= c,
    ast.Gt: lambda f, c: lambda env: f(env) > c,
    ast.GtE: lambda f, c: lambda env: f(env) >= c,
    ast.Eq: lambda f, c: lambda env: f(env) == c,
    ast.NotEq: lambda f, c: lambda env: f(env) != c,
}
_CMP_FF: dict[type[ast.cmpop], Callable[[Fn, Fn], Fn]] = {
    ast.Lt: lambda f, g: lambda env: f(env) < g(env),
    ast.LtE: lambda f, g: lambda env: f(env) <= g(env),
    ast.Gt: lambda f, g: lambda env: f(env) > g(env),
    ast.GtE: lambda f, g: lambda env: f(env) >= g(env),
    ast.Eq: lambda f, g: lambda env: f(env) == g(env),
    ast.NotEq: lambda f, g: lambda env: f(env) != g(env),
}
_PARAM_EQ: dict[type[ast.cmpop], Callable[[str, str], Fn]] = {
    ast.Eq: lambda p, c: lambda env: env.params[p] == c,
    ast.NotEq: lambda p, c: lambda env: env.params[p] != c,
}
_RANGE_CTC: dict[tuple[type[ast.cmpop], type[ast.cmpop]], Callable[[Any, int, Any], Fn]] = {
    (ast.Lt, ast.Lt): lambda lo, i, hi: lambda env: lo < env.tracks[i] < hi,
    (ast.Lt, ast.LtE): lambda lo, i, hi: lambda env: lo < env.tracks[i] <= hi,
    (ast.LtE, ast.Lt): lambda lo, i, hi: lambda env: lo <= env.tracks[i] < hi,
    (ast.LtE, ast.LtE): lambda lo, i, hi: lambda env: lo <= env.tracks[i] <= hi,
}
_CMP_OP: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt,
    ast.GtE: operator.ge, ast.Eq: operator.eq, ast.NotEq: operator.ne,
}
_FLIP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Gt: ast.Lt, ast.GtE: ast.LtE,
    ast.Eq: ast.Eq, ast.NotEq: ast.NotEq,
}
_CMP_SYMBOL: dict[type[ast.cmpop], str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
}

_ARITH_TC: dict[type[ast.operator], Callable[[int, Any], Fn]] = {
    ast.Add: lambda i, c: lambda env: env.tracks[i] + c,
    ast.Sub: lambda i, c: lambda env: env.tracks[i] - c,
    ast.Mult: lambda i, c: lambda env: env.tracks[i] * c,
    ast.Div: lambda i, c: lambda env: env.tracks[i] / c,  # only used with a non-zero constant
}
_ARITH_FC: dict[type[ast.operator], Callable[[Fn, Any], Fn]] = {
    ast.Add: lambda f, c: lambda env: f(env) + c,
    ast.Sub: lambda f, c: lambda env: f(env) - c,
    ast.Mult: lambda f, c: lambda env: f(env) * c,
    ast.Div: lambda f, c: lambda env: f(env) / c,  # only used with a non-zero constant
}
_ARITH_CF: dict[type[ast.operator], Callable[[Any, Fn], Fn]] = {
    ast.Add: lambda c, f: lambda env: c + f(env),
    ast.Sub: lambda c, f: lambda env: c - f(env),
    ast.Mult: lambda c, f: lambda env: c * f(env),
}
_ARITH_FF: dict[type[ast.operator], Callable[[Fn, Fn], Fn]] = {
    ast.Add: lambda f, g: lambda env: f(env) + g(env),
    ast.Sub: lambda f, g: lambda env: f(env) - g(env),
    ast.Mult: lambda f, g: lambda env: f(env) * g(env),
}
_ARITH_OP: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
}
_ARITH_SYMBOL: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
}
_BAD_OPERATOR: dict[type[ast.AST], str] = {
    ast.Pow: "the power operator '**'",
    ast.Mod: "the remainder operator '%'",
    ast.FloorDiv: "whole-number division '//'",
    ast.MatMult: "the matrix operator '@'",
    ast.LShift: "the shift operator '<<'",
    ast.RShift: "the shift operator '>>'",
    ast.BitOr: "the bitwise operator '|'",
    ast.BitAnd: "the bitwise operator '&'",
    ast.BitXor: "the bitwise operator '^'",
    ast.Invert: "the bitwise operator '~'",
}
_FORBIDDEN_NODE: dict[type[ast.AST], str] = {
    ast.Subscript: "indexing with '[...]'",
    ast.Lambda: "a lambda function",
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string",
    ast.NamedExpr: "an assignment expression (':=')",
    ast.Starred: "unpacking with '*'",
    ast.Dict: "a dictionary ('{...: ...}')",
    ast.Set: "a set ('{...}')",
    ast.List: "a list ('[...]')",
    ast.Tuple: "a tuple ('(a, b)')",
    ast.IfExp: "a conditional expression ('a if c else b')",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield from'",
    ast.Slice: "a slice ('a:b')",
}
_ARITY: dict[str, tuple[int, int | None]] = {
    "min": (2, None), "max": (2, None), "abs": (1, 1), "clamp": (3, 3),
}
_USAGE = {"min": "min(a, b)", "max": "max(a, b)", "abs": "abs(x)", "clamp": "clamp(x, lo, hi)"}
_NOT_ALLOWED = " is not allowed in scenario expressions"


_Located = ast.expr | ast.keyword
"""AST nodes that carry a position."""


class _Node(NamedTuple):
    """A compiled sub-expression with what its parent needs to specialise its own closure."""

    kind: Kind
    fn: Fn
    is_const: bool = False
    value: Any = None
    track: int = -1  # the index if the node is a bare track name
    param: str | None = None  # the name if the node is a bare move parameter


def _const(value: Any) -> _Node:
    kind = (Kind.STRING if isinstance(value, str)
            else Kind.BOOL if isinstance(value, bool) else Kind.NUMBER)
    return _Node(kind, lambda env: value, True, value)


# ------------------------------------------------------------------------------------ compiling


def compile_expr(text: str, scope: Scope, *, expect: Kind | None = None) -> Expr:
    """Compile ``text`` into an :class:`Expr` over ``scope``, or raise :class:`ExprError`.

    ``expect=Kind.BOOL`` also accepts a number (non-zero is true) and converts it to a bool;
    ``expect=Kind.NUMBER`` also accepts true/false and converts it to 1/0.
    """
    if not isinstance(text, str):
        raise TypeError(f"expression text must be a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExprError(
            "expr/too-long",
            f"this expression is {len(text)} characters long; the limit is {MAX_LENGTH}",
            MAX_LENGTH, "split it up, e.g. into several prerequisites or a helper track")
    if not text.strip():
        raise ExprError("expr/empty", "the expression is empty; write a condition or a value here",
                        0, "e.g. eu_rok_intel >= 3")
    _check_characters(text)
    _check_brackets(text)
    tree = _parse(text)
    compiler = _Compiler(text, scope)
    compiler.check_depth(tree.body)
    root = compiler.build(tree.body)
    root = compiler.coerce(root, tree.body, expect)
    return Expr(text, root.fn, root.kind, frozenset(compiler.names),
                frozenset(compiler.param_names))


def _check_characters(text: str) -> None:
    """Refuse invisible control characters (newlines and tabs are whitespace, and fine)."""
    for i, c in enumerate(text):
        if c in "\t\n\r\f" or unicodedata.category(c) not in ("Cc", "Cs"):
            continue
        raise ExprError("expr/syntax", f"this expression contains an invisible or broken "
                        f"character (U+{ord(c):04X})", i, "delete it and retype that part")


def _check_brackets(text: str) -> None:
    """Refuse unbalanced and too deeply nested brackets before the parser sees them."""
    openers: list[int] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            i = _skip_string(text, i)
            continue
        if c == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "([{":
            openers.append(i)
            if len(openers) > MAX_DEPTH:
                raise ExprError(
                    "expr/too-deep",
                    f"brackets are nested more than {MAX_DEPTH} deep here", i,
                    "remove brackets that are not needed, or split the expression up")
        elif c in pairs:
            if not openers:
                raise ExprError("expr/syntax",
                                f"this '{c}' closes a bracket that was never opened", i,
                                "remove it, or add the opening bracket")
            if text[openers[-1]] != pairs[c]:
                raise ExprError("expr/syntax",
                                f"this '{c}' does not match the '{text[openers[-1]]}' it closes",
                                i, "use round brackets ( ) for grouping")
            openers.pop()
        i += 1
    if openers:
        raise ExprError("expr/syntax", f"this '{text[openers[-1]]}' is never closed", openers[-1],
                        "add the closing bracket")


def _skip_string(text: str, i: int) -> int:
    """The index just past the quoted string starting at ``i`` (or where it breaks off)."""
    quote = text[i] * 3 if text.startswith(text[i] * 3, i) else text[i]
    j = i + len(quote)
    while j < len(text):
        if text[j] == "\\":
            j += 2
        elif text.startswith(quote, j):
            return j + len(quote)
        elif text[j] == "\n" and len(quote) == 1:
            return j  # unterminated: the parser reports it
        else:
            j += 1
    return len(text)


def _parse(text: str) -> ast.Expression:
    """Parse with newlines as plain whitespace, turning every parser failure into an ExprError."""
    wrapped = "(" + text.replace("\r", " ") + "\n)"  # brackets make newlines mere whitespace
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. an invalid escape '\d' becomes a SyntaxError
            return ast.parse(wrapped, mode="eval")
    except SyntaxError as exc:
        raise _syntax_error(text, wrapped, exc) from None
    except (RecursionError, MemoryError):
        raise ExprError("expr/too-deep", "this expression is nested too deeply to read", 0,
                        "split it up into simpler parts") from None
    except ValueError as exc:  # e.g. a lone surrogate character that cannot be encoded
        offset = exc.start - 1 if isinstance(exc, UnicodeEncodeError) else 0
        raise ExprError("expr/syntax", "this expression contains a character that is not allowed",
                        max(0, min(offset, len(text))),
                        "retype it using ordinary characters") from None


def _syntax_error(text: str, wrapped: str, exc: SyntaxError) -> ExprError:
    lines = wrapped.split("\n")
    offset = _error_offset(text, lines, exc.lineno, exc.offset)
    msg = exc.msg or "invalid syntax"
    if "forgot a comma" in msg:
        return ExprError("expr/syntax", "two values stand side by side here with nothing joining "
                         "them", _second_value(text, offset),
                         "add an operator such as 'and', 'or', '+' or '>=' before it")
    for needle, message, hint in _SYNTAX_MESSAGES:
        if needle in msg:
            return ExprError("expr/syntax", message.format(msg=msg), offset, hint)
    if offset >= len(text.rstrip()):
        return ExprError("expr/syntax", "the expression ends too early: something is missing at "
                         "its end", offset, "finish it, e.g. a value after the last operator")
    return ExprError("expr/syntax", f"this expression cannot be read here ({msg})", offset,
                     "check for a missing or extra operator, bracket or quote")


_SYNTAX_MESSAGES = (
    ("instead of '='", "'=' is not a comparison", "use '==' to test whether two things are equal"),
    ("invalid escape sequence", "a text in quotes contains an {msg}",
     "write '\\\\' for a backslash, or leave the backslash out"),
    ("unterminated", "a text in quotes is not closed", "add the closing quote"),
    ("non-printable character", "this expression contains an invisible character ({msg})",
     "delete it and type an ordinary space"),
)


def _error_offset(text: str, lines: list[str], lineno: int | None, col: int | None) -> int:
    """The 0-based offset in ``text`` of a parser position (1-based characters in ``lines``)."""
    if lineno is None or col is None:
        return len(text)
    line = min(max(lineno, 1), len(lines)) - 1
    start = sum(len(x) + 1 for x in lines[:line])
    return max(0, min(start + col - 2, len(text)))


def _second_value(text: str, start: int) -> int:
    """Where the second of two values standing side by side (``a b``) from ``start`` begins.

    That is just after the longest stretch from ``start`` that reads as an expression.
    """
    for p in range(len(text.rstrip()) - 1, start, -1):
        if not text[p].isspace() and _parses(text[start:p]):
            return p
    return start


def _parses(part: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse("(" + part.replace("\r", " ") + "\n)", mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return bool(part.strip())


class _Compiler:
    """Compiles one parsed expression; remembers the track names it uses."""

    def __init__(self, text: str, scope: Scope) -> None:
        self.text = text
        self.scope = scope
        self.names: set[str] = set()
        self.param_names: set[str] = set()
        wrapped = "(" + text + "\n)"
        self.lines = wrapped.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    # -- positions and errors

    def _char(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1]
        if not line.isascii():
            col = len(line.encode("utf-8", "surrogatepass")[:col].decode("utf-8", "ignore"))
        return max(0, min(self.starts[lineno - 1] + col - 1, len(self.text)))

    def at(self, node: _Located) -> int:
        """The 0-based character offset of ``node`` in the original text."""
        return self._char(node.lineno, node.col_offset)

    def source(self, node: _Located) -> str:
        """The text of ``node`` as the author wrote it, shortened for messages."""
        end_line, end_col = node.end_lineno, node.end_col_offset
        start = self.at(node)
        end = self._char(end_line, end_col) if end_line and end_col is not None else start + 1
        seg = " ".join(self.text[start:end].split())
        return seg if len(seg) <= 40 else seg[:37] + "..."

    def quoted(self, node: _Located) -> str:
        """The author's text of ``node`` in quotes (a quoted text literal keeps its own)."""
        seg = self.source(node)
        return seg if seg[:1] in ("'", '"') else f"'{seg}'"

    def fail(self, code: str, message: str, node: _Located, hint: str | None = None) -> NoReturn:
        raise ExprError(code, message, self.at(node), hint)

    def forbid(self, what: str, node: _Located, hint: str | None = None) -> NoReturn:
        self.fail("expr/forbidden", what + _NOT_ALLOWED, node,
                  hint or "use names, numbers, 'text', and, or, not, comparisons, + - * / "
                  "and min, max, abs, clamp")

    def check_depth(self, root: ast.expr) -> None:
        """Refuse more than MAX_DEPTH levels of operators inside operators (iteratively)."""
        stack: list[tuple[ast.AST, int]] = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > MAX_DEPTH:
                assert isinstance(node, ast.expr)  # only expressions add a level
                self.fail("expr/too-deep",
                          f"this expression nests more than {MAX_DEPTH} operations inside "
                          "one another", node, "split it up into simpler parts")
            children = list(ast.iter_child_nodes(node))
            for child in reversed(children):  # so the leftmost is examined first
                stack.append((child, depth + 1 if isinstance(child, ast.expr) else depth))

    # -- type checks

    def need_number(self, node: _Node, where: ast.expr, what: str) -> None:
        if node.kind is Kind.STRING:
            self.fail("expr/type", f"{self.quoted(where)} is text, but {what} works only with "
                      "numbers and true/false", where,
                      "compare text with == or != instead, e.g. target == 'ROK'")

    def coerce(self, node: _Node, where: ast.expr, expect: Kind | None) -> _Node:
        """Check the result against ``expect`` and convert bool<->number results."""
        if expect is None or node.kind is expect:
            return node
        if expect is Kind.STRING or node.kind is Kind.STRING:
            self.fail("expr/type", f"this expression gives {node.kind.value}, but "
                      f"{expect.value} is needed here", where,
                      "compare text with ==, e.g. target == 'ROK'" if node.kind is Kind.STRING
                      else "write a text in quotes, e.g. 'ROK'")
        if expect is Kind.BOOL:
            return _Node(Kind.BOOL, self.truth(node), node.is_const, bool(node.value))
        if node.is_const:
            return _const(int(node.value))
        f = node.fn
        return _Node(Kind.NUMBER, lambda env: 1 if f(env) else 0)

    @staticmethod
    def truth(node: _Node) -> Fn:
        """A closure giving ``node``'s value as a bool."""
        if node.kind is Kind.BOOL:
            return node.fn
        if node.is_const:
            value = bool(node.value)
            return lambda env: value
        if node.track >= 0:
            i = node.track
            return lambda env: env.tracks[i] != 0
        f = node.fn
        return lambda env: f(env) != 0

    # -- dispatch

    def build(self, node: ast.expr) -> _Node:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BoolOp):
            return self.boolop(node)
        if isinstance(node, ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Attribute):
            self.forbid(f"attribute access ('.{node.attr}')", node,
                        "use a track, parameter or constant name on its own")
        what = _FORBIDDEN_NODE.get(type(node), f"this construct ({type(node).__name__})")
        self.forbid(what, node)

    # -- leaves

    def constant(self, node: ast.Constant) -> _Node:
        value = node.value
        if isinstance(value, bool):
            return _const(value)
        if isinstance(value, int | float):
            if not abs(value) <= MAX_NUMBER:
                self.fail("expr/too-big", f"the number {self.source(node)} is too big; numbers "
                          f"may be at most {MAX_NUMBER:,.0f} (a million millions)", node,
                          "use a smaller unit, e.g. thousands of troops")
            return _const(value)
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                self.fail("expr/too-big", f"this text is {len(value)} characters long; texts may "
                          f"be at most {MAX_STRING}", node, "shorten it")
            return _const(value)
        if value is None:
            self.forbid("'None'", node, "use 0 or false")
        if value is Ellipsis:
            self.forbid("'...'", node)
        if isinstance(value, bytes):
            self.forbid("a byte string (b'...')", node, "write plain text in quotes, e.g. 'ROK'")
        self.forbid(f"the value {self.source(node)} (complex number)", node, "use a plain number")

    def name(self, node: ast.Name) -> _Node:
        name, scope = node.id, self.scope
        if "__" in name:
            self.forbid(f"a name containing '__' ('{name}')", node)
        if name in scope.tracks:
            i = scope.tracks[name]
            self.names.add(name)
            return _Node(Kind.NUMBER, lambda env: env.tracks[i], track=i)
        if name in scope.params:
            self.param_names.add(name)
            return _Node(Kind.STRING, lambda env: env.params[name], param=name)
        if name in scope.constants:
            return _const(scope.constants[name])
        if name == "turn":
            return _Node(Kind.NUMBER, lambda env: env.turn)
        if name in ("true", "false"):
            return _const(name == "true")
        if name in FUNCTIONS:
            self.fail("expr/bad-call", f"'{name}' is a function; give it its values in brackets",
                      node, f"e.g. {_USAGE[name]}")
        known = [*scope.tracks, *scope.params, *scope.constants, "turn", "true", "false"]
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
        hint = "did you mean " + " or ".join(f"'{c}'" for c in close) + "?" if close else None
        self.fail("expr/unknown-name", f"'{name}' is not a track, flag, parameter or constant of "
                  "this scenario; check the spelling, or declare it in the scenario", node, hint)

    # -- operators

    def boolop(self, node: ast.BoolOp) -> _Node:
        word = "and" if isinstance(node.op, ast.And) else "or"
        parts = [self.build(v) for v in node.values]
        for part, value in zip(parts, node.values, strict=True):
            self.need_number(part, value, f"'{word}'")
        if all(p.is_const for p in parts):
            values = [bool(p.value) for p in parts]
            return _const(all(values) if word == "and" else any(values))
        fns = [self.truth(p) for p in parts]
        return _Node(Kind.BOOL, _and(fns) if word == "and" else _or(fns))

    def unary(self, node: ast.UnaryOp) -> _Node:
        if isinstance(node.op, ast.Invert):
            self.forbid(_BAD_OPERATOR[ast.Invert], node)
        inner = self.build(node.operand)
        i, f = inner.track, inner.fn
        if isinstance(node.op, ast.Not):
            self.need_number(inner, node.operand, "'not'")
            if inner.is_const:
                return _const(not inner.value)
            if i >= 0:
                return _Node(Kind.BOOL, lambda env: not env.tracks[i])
            return _Node(Kind.BOOL, lambda env: not f(env))
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        self.need_number(inner, node.operand, f"'{sign}'")
        if inner.is_const:
            return _const(-inner.value if sign == "-" else +inner.value)
        if sign == "+":
            return _Node(Kind.NUMBER, lambda env: +f(env))
        if i >= 0:
            return _Node(Kind.NUMBER, lambda env: -env.tracks[i])
        return _Node(Kind.NUMBER, lambda env: -f(env))

    def binop(self, node: ast.BinOp) -> _Node:
        op = type(node.op)
        if op not in _ARITH_OP:
            self.forbid(_BAD_OPERATOR.get(op, f"the operator {op.__name__}"), node,
                        "only + - * / are allowed for arithmetic")
        left, right = self.build(node.left), self.build(node.right)
        symbol = f"'{_ARITH_SYMBOL[op]}'"
        self.need_number(left, node.left, symbol)
        self.need_number(right, node.right, symbol)
        if left.is_const and right.is_const:
            try:
                return _const(_ARITH_OP[op](left.value, right.value))
            except ArithmeticError:
                pass  # e.g. 1 / 0: fails when evaluated, with the runtime error
        return _Node(Kind.NUMBER, self.arith_closure(op, left, right))

    def arith_closure(self, op: type[ast.operator], left: _Node, right: _Node) -> Fn:
        safe_const = right.is_const and (op is not ast.Div or right.value != 0)
        if safe_const and left.track >= 0:
            return _ARITH_TC[op](left.track, right.value)
        if safe_const:
            return _ARITH_FC[op](left.fn, right.value)
        if op is ast.Div:
            return _divide(left.fn, right.fn, self.text)
        if left.is_const:
            return _ARITH_CF[op](left.value, right.fn)
        return _ARITH_FF[op](left.fn, right.fn)

    def compare(self, node: ast.Compare) -> _Node:
        for op in node.ops:
            if type(op) not in _CMP_OP:
                self.forbid(f"the '{_CMP_SYMBOL[type(op)]}' comparison", node,
                            "compare with == != < <= > >=, and join tests with 'or'")
        parts = [self.build(node.left), *(self.build(c) for c in node.comparators)]
        wheres = [node.left, *node.comparators]
        for k, op in enumerate(node.ops):
            self.check_pair(parts[k], type(op), parts[k + 1], wheres[k], wheres[k + 1])
        ops = [type(op) for op in node.ops]
        if all(p.is_const for p in parts):
            return _const(all(_CMP_OP[o](a.value, b.value)
                              for o, a, b in zip(ops, parts, parts[1:], strict=False)))
        if len(ops) == 1:
            return _Node(Kind.BOOL, _compare_one(parts[0], ops[0], parts[1]))
        lo, mid, hi = parts[0], parts[1], parts[-1]
        if len(ops) == 2 and (ops[0], ops[1]) in _RANGE_CTC and lo.is_const and hi.is_const \
                and mid.track >= 0:
            return _Node(Kind.BOOL, _RANGE_CTC[ops[0], ops[1]](lo.value, mid.track, hi.value))
        return _Node(Kind.BOOL, _chain([_CMP_OP[o] for o in ops], [p.fn for p in parts]))

    def check_pair(self, a: _Node, op: type[ast.cmpop], b: _Node,
                   wa: ast.expr, wb: ast.expr) -> None:
        symbol = _CMP_SYMBOL[op]
        if op not in (ast.Eq, ast.NotEq):
            for part, where in ((a, wa), (b, wb)):
                if part.kind is Kind.STRING:
                    self.fail("expr/type", f"{self.quoted(where)} is text; text can only be "
                              f"compared with == or !=, not '{symbol}'", where,
                              "e.g. target == 'ROK'")
            return
        if (a.kind is Kind.STRING) != (b.kind is Kind.STRING):
            text_side, other = (wa, wb) if a.kind is Kind.STRING else (wb, wa)
            self.fail("expr/type", f"{self.quoted(text_side)} is text but "
                      f"{self.quoted(other)} is not; text can only be compared with text", wb,
                      "put the text in quotes, e.g. target == 'ROK'")
        for param, value, where in ((a, b, wb), (b, a, wa)):
            self.check_choice(param, value, where)

    def check_choice(self, param: _Node, value: _Node, where: ast.expr) -> None:
        """A parameter compared with fixed text must be compared with one of its choices."""
        if param.param is None or not value.is_const:
            return
        choices = self.scope.params[param.param]
        if not choices or value.value in choices:
            return
        listed = ", ".join(f"'{c}'" for c in choices)
        close = difflib.get_close_matches(value.value, list(choices), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.fail("expr/type", f"'{value.value}' is not one of the choices of parameter "
                  f"'{param.param}', so this test can never be true", where,
                  f"{hint}the choices are {listed}")

    # -- calls

    def call(self, node: ast.Call) -> _Node:
        func = node.func
        if not isinstance(func, ast.Name):
            self.build(func)  # a forbidden construct (attribute, lambda ...) reports itself
            self.fail("expr/bad-call", f"{self.quoted(func)} cannot be called; only min, max, "
                      "abs and clamp can", node)
        name = func.id
        if "__" in name:
            self.forbid(f"a name containing '__' ('{name}')", func)
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, FUNCTIONS, n=1, cutoff=0.6)
            self.fail("expr/bad-call", f"'{name}' is not a function you can use; the functions "
                      "are min, max, abs and clamp", func,
                      f"did you mean '{close[0]}'?" if close else None)
        self.check_args(name, node)
        args = [self.build(a) for a in node.args]
        for arg, where in zip(args, node.args, strict=True):
            self.need_number(arg, where, f"{name}()")
        if name == "clamp":
            return self.clamp(node, *args)
        if all(a.is_const for a in args):
            return _const(_FUNCS[name](*(a.value for a in args)))
        if name == "abs":
            return _Node(Kind.NUMBER, _abs(args[0]))
        return _Node(Kind.NUMBER, _min_max(name, args))

    def check_args(self, name: str, node: ast.Call) -> None:
        for kw in node.keywords:
            label = f"'{kw.arg}='" if kw.arg else "'**'"
            self.fail("expr/bad-call", f"{name}() takes its values in order, without names; "
                      f"remove {label}", kw, f"write {_USAGE[name]}")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.fail("expr/bad-call", f"unpacking with '*' is not allowed in {name}()", arg,
                          f"write {_USAGE[name]}")
        low, high = _ARITY[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            need = f"exactly {low}" if low == high else f"at least {low}"
            self.fail("expr/bad-call", f"{name}() needs {need} value{'s' * (low > 1)}, "
                      f"but was given {count}", node, f"write {_USAGE[name]}")

    def clamp(self, node: ast.Call, x: _Node, lo: _Node, hi: _Node) -> _Node:
        if lo.is_const and hi.is_const:
            low, high = lo.value, hi.value
            if low > high:
                self.fail("expr/bad-call", f"clamp(x, lo, hi) needs lo <= hi, but here lo is "
                          f"{low} and hi is {high}", node, "swap the two bounds")
            if x.is_const:
                return _const(_clamp(x.value, low, high))
            return _Node(Kind.NUMBER, _clamp_const(x, low, high))
        fx, flo, fhi, src = x.fn, lo.fn, hi.fn, self.text

        def clamp(env: Env) -> Any:
            low, high = flo(env), fhi(env)
            if low > high:
                raise ExprRuntimeError(
                    f"clamp with lower bound {low} above upper bound {high}", src)
            v = fx(env)
            return low if v < low else high if v > high else v

        return _Node(Kind.NUMBER, clamp)


# ------------------------------------------------------------------------ closure constructors


def _and(fns: list[Fn]) -> Fn:
    if len(fns) == 2:
        f, g = fns
        return lambda env: f(env) and g(env)
    if len(fns) == 3:
        f, g, h = fns
        return lambda env: f(env) and g(env) and h(env)

    def all_of(env: Env) -> bool:
        return all(f(env) for f in fns)

    return all_of


def _or(fns: list[Fn]) -> Fn:
    if len(fns) == 2:
        f, g = fns
        return lambda env: f(env) or g(env)
    if len(fns) == 3:
        f, g, h = fns
        return lambda env: f(env) or g(env) or h(env)

    def any_of(env: Env) -> bool:
        return any(f(env) for f in fns)

    return any_of


def _divide(f: Fn, g: Fn, src: str) -> Fn:
    def divide(env: Env) -> Any:
        try:
            return f(env) / g(env)
        except ZeroDivisionError:
            raise ExprRuntimeError("division by zero", src) from None

    return divide


def _compare_one(a: _Node, op: type[ast.cmpop], b: _Node) -> Fn:
    """One comparison, specialised on the shapes of its two sides."""
    if b.is_const:
        a_, b_ = a, b
    elif a.is_const:
        a_, b_, op = b, a, _FLIP[op]
    else:
        return _CMP_FF[op](a.fn, b.fn)
    if a_.track >= 0:
        return _CMP_TC[op](a_.track, b_.value)
    if a_.param is not None and op in _PARAM_EQ:
        return _PARAM_EQ[op](a_.param, b_.value)
    return _CMP_FC[op](a_.fn, b_.value)


def _chain(ops: list[Callable[[Any, Any], Any]], fns: list[Fn]) -> Fn:
    """A chained comparison such as ``0 < x <= 5``: each middle value is evaluated once."""
    if len(ops) == 2:
        op1, op2 = ops
        fa, fb, fc = fns

        def chain2(env: Env) -> Any:
            a = fa(env)
            b = fb(env)
            return op1(a, b) and op2(b, fc(env))

        return chain2
    first, rest = fns[0], list(zip(ops, fns[1:], strict=True))

    def chain(env: Env) -> bool:
        left = first(env)
        for op, fn in rest:
            right = fn(env)
            if not op(left, right):
                return False
            left = right
        return True

    return chain


def _clamp(v: Any, low: Any, high: Any) -> Any:
    return low if v < low else high if v > high else v


def _clamp_const(x: _Node, low: Any, high: Any) -> Fn:
    if x.track >= 0:
        i = x.track

        def clamp_track(env: Env) -> Any:
            v = env.tracks[i]
            return low if v < low else high if v > high else v

        return clamp_track
    f = x.fn

    def clamp(env: Env) -> Any:
        v = f(env)
        return low if v < low else high if v > high else v

    return clamp


def _abs(x: _Node) -> Fn:
    if x.track >= 0:
        i = x.track
        return lambda env: abs(env.tracks[i])
    f = x.fn
    return lambda env: abs(f(env))


def _min_max(name: str, args: list[_Node]) -> Fn:
    """min()/max() with the builtins' semantics (first of equals wins), inlined for two values."""
    if len(args) > 2:
        fns, builtin = [a.fn for a in args], _FUNCS[name]
        return lambda env: builtin([f(env) for f in fns])
    a, b = args
    if name == "min":
        if b.is_const:
            fa, cb = a.fn, b.value
            return lambda env: cb if cb < (v := fa(env)) else v
        if a.is_const:
            ca, fb = a.value, b.fn
            return lambda env: v if (v := fb(env)) < ca else ca
        fa, fb = a.fn, b.fn
        return lambda env: v if (v := fb(env)) < (u := fa(env)) else u
    if b.is_const:
        fa, cb = a.fn, b.value
        return lambda env: cb if cb > (v := fa(env)) else v
    if a.is_const:
        ca, fb = a.value, b.fn
        return lambda env: v if (v := fb(env)) > ca else ca
    fa, fb = a.fn, b.fn
    return lambda env: v if (v := fb(env)) > (u := fa(env)) else u


_FUNCS: dict[str, Callable[..., Any]] = {"min": min, "max": max, "abs": abs}
