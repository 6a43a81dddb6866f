"""Tests for the safe expression language (game/scenario/expr.py).

Each refusal is checked for its exact code and character offset, because the scenario loader turns
the offset into the line and column it shows the author.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from game.scenario import expr as expr_module
from game.scenario.expr import (
    Expr,
    ExprError,
    ExprRuntimeError,
    Kind,
    Scope,
    compile_expr,
)


@dataclass
class Env:
    tracks: list[float]
    turn: int = 1
    params: dict[str, str] = field(default_factory=dict)


TRACKS = {"eu_rok_intel": 0, "martial_law": 1, "dprk_troops": 2, "escalation": 3, "sanctions": 4}
SCOPE = Scope(
    tracks=TRACKS,
    params={"target": ("ROK", "UKR", "EU"), "note": ()},
    constants={"turns": 8, "ratio": 0.5, "hard_mode": True, "home": "ROK"},
)
ENV = Env([4, 0, 11000, 2, 1.5], turn=3, params={"target": "ROK", "note": "anything"})


def run(text: str, env: Env = ENV, expect: Kind | None = None) -> Any:
    return compile_expr(text, SCOPE, expect=expect)(env)


def refuse(text: str, scope: Scope = SCOPE, expect: Kind | None = None) -> ExprError:
    with pytest.raises(ExprError) as info:
        compile_expr(text, scope, expect=expect)
    return info.value


# ----------------------------------------------------------------------------------- happy paths


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("eu_rok_intel >= 3 and not martial_law", True, Kind.BOOL),
        ("eu_rok_intel >= 5 or martial_law", False, Kind.BOOL),
        ("clamp(dprk_troops / 1000, 0, 10)", 10, Kind.NUMBER),
        ("clamp(dprk_troops / 10000, 0, 10)", 1.1, Kind.NUMBER),
        ("clamp(-escalation, 0, 10)", 0, Kind.NUMBER),
        ("target == 'ROK'", True, Kind.BOOL),
        ("target != 'ROK'", False, Kind.BOOL),
        ("'UKR' == target", False, Kind.BOOL),
        ('target == "ROK"', True, Kind.BOOL),
        ("note == 'anything'", True, Kind.BOOL),
        ("eu_rok_intel", 4, Kind.NUMBER),
        ("turn", 3, Kind.NUMBER),
        ("turns - turn", 5, Kind.NUMBER),
        ("ratio * 10", 5.0, Kind.NUMBER),
        ("hard_mode and true", True, Kind.BOOL),
        ("home == 'ROK'", True, Kind.BOOL),
        ("home", "ROK", Kind.STRING),
        ("True", True, Kind.BOOL),
        ("false or False", False, Kind.BOOL),
        ("min(eu_rok_intel, escalation)", 2, Kind.NUMBER),
        ("min(eu_rok_intel, 2.5)", 2.5, Kind.NUMBER),
        ("min(10, eu_rok_intel)", 4, Kind.NUMBER),
        ("max(eu_rok_intel, escalation, sanctions)", 4, Kind.NUMBER),
        ("max(1, 2)", 2, Kind.NUMBER),
        ("max(1, eu_rok_intel)", 4, Kind.NUMBER),
        ("max(eu_rok_intel, 9)", 9, Kind.NUMBER),
        ("min(sanctions, escalation, 7, 1)", 1, Kind.NUMBER),
        ("abs(escalation - 10)", 8, Kind.NUMBER),
        ("abs(-3)", 3, Kind.NUMBER),
        ("-eu_rok_intel + +escalation", -2, Kind.NUMBER),
        ("clamp(eu_rok_intel, escalation, 10)", 4, Kind.NUMBER),
        ("clamp(eu_rok_intel, 0, 3)", 3, Kind.NUMBER),
        ("clamp(5, 0, 3)", 3, Kind.NUMBER),
        ("true + true", 2, Kind.NUMBER),
        ("not 0", True, Kind.BOOL),
        ("not sanctions", False, Kind.BOOL),
        ("(eu_rok_intel > 1) * 10", 10, Kind.NUMBER),
        ("'a' == 'a'", True, Kind.BOOL),
        ("1 / 4", 0.25, Kind.NUMBER),
        ("10 / sanctions", 10 / 1.5, Kind.NUMBER),
        ("sanctions / 3", 0.5, Kind.NUMBER),
        ("100 - dprk_troops", -10900, Kind.NUMBER),
        ("2 * eu_rok_intel", 8, Kind.NUMBER),
        ("eu_rok_intel - escalation", 2, Kind.NUMBER),
        ("escalation * sanctions", 3.0, Kind.NUMBER),
        ("eu_rok_intel / escalation", 2.0, Kind.NUMBER),
        ("1e12", 1e12, Kind.NUMBER),
        ("-1e12", -1e12, Kind.NUMBER),
        ("eu_rok_intel > escalation and escalation < eu_rok_intel", True, Kind.BOOL),
        ("martial_law or sanctions or false", True, Kind.BOOL),
        ("martial_law and sanctions and true", False, Kind.BOOL),
        ("eu_rok_intel and sanctions and escalation and turn", True, Kind.BOOL),
        ("martial_law or 0 or false or turn == 4", False, Kind.BOOL),
        ("'dunder __class__ as data' == home", False, Kind.BOOL),
    ],
)
def test_happy_paths(text: str, value: Any, kind: Kind) -> None:
    """Each allowed construct computes the value Python would, with the static kind shown."""
    e = compile_expr(text, SCOPE)
    assert e.kind is kind
    assert e.src == text
    result = e(ENV)
    assert result == value
    assert type(result) in (int, float, bool, str)
    if kind is Kind.BOOL:
        assert type(result) is bool


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0 < escalation <= 5", True),
        ("0 <= escalation < 2", False),
        ("2 <= escalation <= 2", True),
        ("0 < escalation < 2", False),
        ("5 > escalation > 0", True),
        ("0 < escalation < eu_rok_intel < 5", True),
        ("0 < escalation < eu_rok_intel < 4", False),
        ("1 < 2 < 3", True),
        ("3 > 2 > 2", False),
        ("escalation < eu_rok_intel <= dprk_troops", True),
        ("escalation == 2 == 2.0", True),
        ("turn < turns != 8", False),
    ],
)
def test_chained_comparisons(text: str, value: bool) -> None:
    """`a < b <= c` means `a < b and b <= c`, as in mathematics."""
    assert run(text) is value


def test_chain_evaluates_middle_once_and_short_circuits() -> None:
    """A chain stops at the first false link: the division by zero after it is never reached."""
    assert run("escalation > 5 > 1 / martial_law") is False
    assert run("0 < escalation < 1 < 1 / martial_law < 6") is False
    with pytest.raises(ExprRuntimeError):
        run("0 < escalation < 1 / martial_law")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),
        ("12 / 3 / 2", 2.0),
        ("-2 * 3", -6),
        ("- (2 + 3)", -5),
        ("2 + 3 > 4", True),
        ("not 1 > 2", True),
        ("not eu_rok_intel > 2", False),
        ("true or false and false", True),
        ("(true or false) and false", False),
        ("not false and false", False),
        ("not (false and false)", True),
        ("1 < 2 == true", False),  # a chain: 1 < 2 and 2 == true
        ("eu_rok_intel - escalation * 2", 0),
    ],
)
def test_precedence(text: str, value: Any) -> None:
    """Operators bind as in ordinary arithmetic and as in Python: * / before + -, then
    comparisons, then not, and, or."""
    assert run(text) == value


def test_whitespace_and_newlines_are_allowed() -> None:
    """YAML multi-line strings bring leading, trailing and inner newlines; they are whitespace."""
    assert run("  \n  eu_rok_intel >= 3\n  and not martial_law\n") is True
    assert run("\teu_rok_intel\r\n + 1 ") == 5
    assert run("eu_rok_intel  # a comment for the reader") == 4


def test_names_lists_the_tracks_used() -> None:
    """`names` lists the tracks and flags read, for dependency checks (not params or constants)."""
    e = compile_expr("eu_rok_intel >= turns and not martial_law or target == 'EU'", SCOPE)
    assert e.names == frozenset({"eu_rok_intel", "martial_law"})
    assert compile_expr("1 + turn", SCOPE).names == frozenset()


def test_track_closure_reads_only_the_track() -> None:
    """A bare track compiles to an index lookup: an env with nothing but `tracks` suffices."""
    e = compile_expr("escalation", SCOPE)
    assert e.fn(SimpleNamespace(tracks=[0, 0, 0, 7])) == 7
    e = compile_expr("escalation >= 3 and not martial_law", SCOPE)
    assert e.fn(SimpleNamespace(tracks=[0, 0, 0, 7])) is True


def test_constants_are_folded() -> None:
    """An expression of constants only never reads the env."""
    e = compile_expr("clamp(turns * ratio + 1, 0, 3) + max(1, 2)", SCOPE)
    assert e.fn(None) == 5  # type: ignore[arg-type]


def test_scenario_name_beats_built_in_name() -> None:
    """A track called `turn` is read as the track (the loader should warn about the clash)."""
    scope = Scope(tracks={"turn": 0})
    assert compile_expr("turn", scope)(Env([42], turn=1)) == 42
    assert "turn" in expr_module.RESERVED_NAMES


def test_scope_defaults() -> None:
    scope = Scope(tracks={"a": 0})
    assert scope.params == {} and scope.constants == {}
    assert compile_expr("a + turn", scope)(Env([1], turn=2)) == 3


# ----------------------------------------------------------------------------- expect and kinds


@pytest.mark.parametrize(
    ("text", "expect", "value"),
    [
        ("eu_rok_intel", Kind.BOOL, True),
        ("martial_law", Kind.BOOL, False),
        ("escalation - 2", Kind.BOOL, False),
        ("7", Kind.BOOL, True),
        ("eu_rok_intel > 3", Kind.NUMBER, 1),
        ("martial_law > 3", Kind.NUMBER, 0),
        ("true", Kind.NUMBER, 1),
        ("eu_rok_intel * 2", Kind.NUMBER, 8),
        ("eu_rok_intel > 2", Kind.BOOL, True),
        ("home", Kind.STRING, "ROK"),
    ],
)
def test_expect_converts_between_bool_and_number(text: str, expect: Kind, value: Any) -> None:
    """expect=BOOL accepts numbers (non-zero is true); expect=NUMBER accepts true/false as 1/0;
    either way the result has the expected type."""
    e = compile_expr(text, SCOPE, expect=expect)
    assert e.kind is expect
    result = e(ENV)
    assert result == value
    assert type(result) is {Kind.BOOL: bool, Kind.NUMBER: int, Kind.STRING: str}[expect]


@pytest.mark.parametrize(
    ("text", "expect", "offset"),
    [
        ("target", Kind.BOOL, 0),
        ("  home", Kind.NUMBER, 2),
        ("eu_rok_intel", Kind.STRING, 0),
        ("eu_rok_intel > 1", Kind.STRING, 0),
    ],
)
def test_expect_refuses_text_for_numbers_and_numbers_for_text(
    text: str, expect: Kind, offset: int
) -> None:
    err = refuse(text, expect=expect)
    assert (err.code, err.offset) == ("expr/type", offset)


# ------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("text", "code", "offset", "words"),
    [
        # names
        ("eu_rok_intl > 2", "expr/unknown-name", 0, "'eu_rok_intl' is not a track"),
        ("martial_law and escalaton > 1", "expr/unknown-name", 16, "'escalaton'"),
        ("x.y", "expr/forbidden", 0, "attribute access ('.y')"),
        ("__import__", "expr/forbidden", 0, "'__import__'"),
        ("a__b", "expr/forbidden", 0, "'__'"),
        ("min", "expr/bad-call", 0, "'min' is a function"),
        ("None", "expr/forbidden", 0, "'None'"),
        # operators
        ("2 ** 3", "expr/forbidden", 0, "'**'"),
        ("eu_rok_intel % 2", "expr/forbidden", 0, "'%'"),
        ("eu_rok_intel // 2", "expr/forbidden", 0, "'//'"),
        ("1 | 2", "expr/forbidden", 0, "'|'"),
        ("1 & 2", "expr/forbidden", 0, "'&'"),
        ("1 ^ 2", "expr/forbidden", 0, "'^'"),
        ("1 << 2", "expr/forbidden", 0, "'<<'"),
        ("1 >> 2", "expr/forbidden", 0, "'>>'"),
        ("~1", "expr/forbidden", 0, "'~'"),
        ("escalation @ 2", "expr/forbidden", 0, "'@'"),
        ("escalation in (1, 2)", "expr/forbidden", 0, "'in'"),
        ("escalation not in (1, 2)", "expr/forbidden", 0, "'not in'"),
        ("escalation is 1", "expr/forbidden", 0, "'is'"),
        ("escalation is not 1", "expr/forbidden", 0, "'is not'"),
        # displays and other constructs
        ("[1, 2]", "expr/forbidden", 0, "a list"),
        ("(1, 2)", "expr/forbidden", 0, "a tuple"),
        ("{1, 2}", "expr/forbidden", 0, "a set"),
        ("{1: 2}", "expr/forbidden", 0, "a dictionary"),
        ("escalation[0]", "expr/forbidden", 0, "indexing"),
        ("1 if true else 2", "expr/forbidden", 0, "a conditional expression"),
        ("lambda: 1", "expr/forbidden", 0, "a lambda function"),
        ("[x for x in turns]", "expr/forbidden", 0, "a list comprehension"),
        ("{x for x in turns}", "expr/forbidden", 0, "a set comprehension"),
        ("{x: 1 for x in turns}", "expr/forbidden", 0, "a dict comprehension"),
        ("1 + (x for x in turns)", "expr/forbidden", 4, "a generator expression"),
        ("f'{turn}'", "expr/forbidden", 0, "an f-string"),
        ("(x := 1)", "expr/forbidden", 1, "an assignment expression (':=')"),
        ("await turn", "expr/forbidden", 0, "'await'"),
        ("(yield)", "expr/forbidden", 1, "'yield'"),
        ("(yield from turn)", "expr/forbidden", 1, "'yield from'"),
        ("b'ROK'", "expr/forbidden", 0, "a byte string"),
        ("...", "expr/forbidden", 0, "'...'"),
        ("2j", "expr/forbidden", 0, "complex number"),
        # calls
        ("foo(1)", "expr/bad-call", 0, "'foo' is not a function"),
        ("min(1)", "expr/bad-call", 0, "at least 2 values"),
        ("max()", "expr/bad-call", 0, "at least 2 values"),
        ("abs(1, 2)", "expr/bad-call", 0, "exactly 1 value"),
        ("clamp(1, 2)", "expr/bad-call", 0, "exactly 3 values"),
        ("clamp(turn, lo=0, hi=3)", "expr/bad-call", 12, "remove 'lo='"),
        ("min(turn, *turns)", "expr/bad-call", 10, "unpacking with '*'"),
        ("max(turn, **turns)", "expr/bad-call", 10, "remove '**'"),
        ("clamp(turn, 5, 1)", "expr/bad-call", 0, "needs lo <= hi"),
        ("(1)(2)", "expr/bad-call", 0, "'1' cannot be called"),
        ("'abc'()", "expr/bad-call", 0, "'abc' cannot be called"),
        # types
        ("target + 1", "expr/type", 0, "'target' is text"),
        ("1 - home", "expr/type", 4, "'home' is text"),
        ("-target", "expr/type", 1, "'target' is text"),
        ("not target", "expr/type", 4, "'target' is text"),
        ("target and true", "expr/type", 0, "'and'"),
        ("false or target", "expr/type", 9, "'or'"),
        ("target < 'ROK'", "expr/type", 0, "only be compared with == or !="),
        ("1 < 2 <= 'a'", "expr/type", 9, "'a' is text"),
        ("target == 3", "expr/type", 10, "only be compared with text"),
        ("escalation != 'high'", "expr/type", 14, "only be compared with text"),
        ("abs(home)", "expr/type", 4, "'home' is text"),
        ("clamp(1, target, 2)", "expr/type", 9, "'target' is text"),
        ("target == 'RUS'", "expr/type", 10, "not one of the choices"),
        ("'DPRK' != target", "expr/type", 0, "not one of the choices"),
        ("target == home and target == 'UK'", "expr/type", 29, "not one of the choices"),
        ("'a' * 3", "expr/type", 0, "'a' is text"),
        # literals
        ("1000000000001", "expr/too-big", 0, "too big"),
        ("1e13", "expr/too-big", 0, "too big"),
        ("turn * -2e12", "expr/too-big", 8, "too big"),
        ("1e400", "expr/too-big", 0, "too big"),
        ("'" + "a" * 201 + "'", "expr/too-big", 0, "201 characters"),
        # syntax
        ("eu_rok_intel >=", "expr/syntax", 15, "ends too early"),
        ("eu_rok_intel = 3", "expr/syntax", 0, "'=' is not a comparison"),
        ("eu_rok_intel 3", "expr/syntax", 13, "side by side"),
        ("min(1, 2) max(1, 2)", "expr/syntax", 10, "side by side"),
        ("(1 + 2", "expr/syntax", 0, "never closed"),
        ("min(1, (2)", "expr/syntax", 3, "never closed"),
        ("1 + 2)", "expr/syntax", 5, "never opened"),
        ("(1 + 2]", "expr/syntax", 6, "does not match"),
        ("target == 'ROK", "expr/syntax", 10, "not closed"),
        ("home == '\\d'", "expr/syntax", 8, "invalid escape sequence"),
        ("1 +\x00 2", "expr/syntax", 3, "U+0000"),
        ("1 + \u00a02", "expr/syntax", 4, "invisible"),
        ("1 + \ud800", "expr/syntax", 4, "U+D800"),
        ("x !", "expr/syntax", 2, "cannot be read"),
        ("and", "expr/syntax", 0, "cannot be read"),
        # empty and limits
        ("", "expr/empty", 0, "empty"),
        ("  \n\t ", "expr/empty", 0, "empty"),
        ("1 +" * 200, "expr/too-long", 500, "600 characters"),
        ("(" * 33 + "1" + ")" * 33, "expr/too-deep", 32, "brackets"),
        ("[" * 40, "expr/too-deep", 32, "brackets"),
        ("-" * 499 + "1", "expr/too-deep", 32, "more than 32"),
        ("not " * 124 + "x", "expr/too-deep", 128, "more than 32"),
        ("1" + " + 1" * 32, "expr/too-deep", 0, "more than 32"),
        ("min(1, " * 40 + "1" + ")" * 40, "expr/too-deep", 227, "brackets"),
    ],
)
def test_refusals(text: str, code: str, offset: int, words: str) -> None:
    """Everything outside the allow-list is refused with a stable code, the offset of the
    offending part and a message that names it."""
    err = refuse(text)
    assert (err.code, err.offset) == (code, offset), err.message
    assert words in err.message
    assert str(err).startswith(err.message)


def test_forbidden_message_reads_as_a_sentence() -> None:
    err = refuse("().__class__")
    assert err.message == "attribute access ('.__class__') is not allowed in scenario expressions"


def test_limits_allow_up_to_the_caps() -> None:
    """Exactly at the limits is fine."""
    text = "1" + " + 1" * 30  # 31 levels of operators
    text += " " * (500 - len(text))
    assert len(text) == 500 and run(text) == 31
    assert run("(" * 32 + "1" + ")" * 32) == 1
    assert run("'" + "a" * 200 + "' != home") is True
    assert run("-" * 31 + "1") == -1


# ------------------------------------------------------------------------------ hints, offsets


def test_did_you_mean_hint() -> None:
    err = refuse("eu_rok_intl >= 3")
    assert err.hint == "did you mean 'eu_rok_intel'?"
    assert refuse("escalaton > 1").hint == "did you mean 'escalation'?"
    assert refuse("zzzz > 1").hint is None
    assert refuse("clmap(turn, 0, 1)").hint == "did you mean 'clamp'?"


def test_param_choice_hint_lists_the_choices() -> None:
    err = refuse("target == 'ROKK'")
    assert err.code == "expr/type"
    assert err.hint == "did you mean 'ROK'? the choices are 'ROK', 'UKR', 'EU'"
    err = refuse("target != 'China'")
    assert err.hint == "the choices are 'ROK', 'UKR', 'EU'"


def test_param_without_choices_accepts_any_text() -> None:
    assert run("note == 'anything'") is True


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("  \n  eu_rok_intl > 1", 5),
        ("eu_rok_intel > 1\n  and\n  not escalaton", 29),
        ("'été' == home and x.y", 18),
        ("'한국' == home and\n  ﬁre > 1", 19),
        ("home == '北朝鮮' and 1 ** 2", 18),
        ("\r\nturn +\r\n  tarrget", 12),
        ("'é' != home and\n\t'ü' == home and  \n zz", 36),
    ],
)
def test_offsets_count_characters_in_the_original_text(text: str, offset: int) -> None:
    """Offsets are characters (not UTF-8 bytes) into the text as written, across newlines."""
    err = refuse(text)
    assert err.offset == offset
    assert not text[err.offset].isspace()


def test_str_of_error_has_code_offset_and_hint() -> None:
    err = refuse("eu_rok_intl >= 3")
    assert str(err) == (
        "'eu_rok_intl' is not a track, flag, parameter or constant of this scenario; check the "
        "spelling, or declare it in the scenario [expr/unknown-name at character 0] "
        "(did you mean 'eu_rok_intel'?)"
    )


def test_non_text_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        compile_expr(3, SCOPE)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- sandbox escapes

ESCAPES = [
    # attribute chains to __globals__ / __builtins__ / __subclasses__
    ("().__class__.__bases__[0].__subclasses__()", "expr/forbidden", 0, "'.__subclasses__'"),
    ("().__class__.__base__.__subclasses__()", "expr/forbidden", 0, "attribute access"),
    ("''.__class__.__mro__[1].__subclasses__()", "expr/forbidden", 0, "attribute access"),
    ("[c for c in ().__class__.__base__.__subclasses__()]", "expr/forbidden", 0, "comprehension"),
    ("(lambda: 0).__globals__", "expr/forbidden", 0, "'.__globals__'"),
    ("(lambda: 0).__globals__['__builtins__']", "expr/forbidden", 0, "indexing"),
    ("turn.__class__", "expr/forbidden", 0, "'.__class__'"),
    ("min.__self__", "expr/forbidden", 0, "'.__self__'"),
    ("__builtins__", "expr/forbidden", 0, "'__builtins__'"),
    ("__builtins__['eval']('1')", "expr/forbidden", 0, "indexing"),
    # format-string tricks
    ("'{0.__class__}'.format(turn)", "expr/forbidden", 0, "'.format'"),
    ("'{0.__init__.__globals__}'.format(min)", "expr/forbidden", 0, "'.format'"),
    ("f'{turn.__class__}'", "expr/forbidden", 0, "f-string"),
    ("f'{(lambda: 0).__globals__}'", "expr/forbidden", 0, "f-string"),
    ("'%s' % turn", "expr/forbidden", 0, "'%'"),
    # generator frames
    ("(x for x in ()).gi_frame.f_back", "expr/forbidden", 0, "'.f_back'"),
    ("(x for x in ()).gi_frame.f_back.f_globals", "expr/forbidden", 0, "'.f_globals'"),
    # imports and reflection
    ("__import__('os')", "expr/forbidden", 0, "'__import__'"),
    ("__import__('os').system('ls')", "expr/forbidden", 0, "'.system'"),
    ("getattr(turn, 'y')", "expr/bad-call", 0, "'getattr' is not a function"),
    ("eval('1')", "expr/bad-call", 0, "'eval'"),
    ("exec('1')", "expr/bad-call", 0, "'exec'"),
    ("compile('1', '', 'eval')", "expr/bad-call", 0, "'compile'"),
    ("open('/etc/passwd')", "expr/bad-call", 0, "'open'"),
    ("type(turn)", "expr/bad-call", 0, "'type'"),
    ("ｅｖａｌ('1')", "expr/bad-call", 0, "'eval'"),  # NFKC-normalised identifiers
    ("＿＿import＿＿('os')", "expr/syntax", 0, "invalid character"),
    # resource exhaustion
    ("9**9**9", "expr/forbidden", 0, "'**'"),
    ("'a' * 10**9", "expr/forbidden", 6, "'**'"),
    ("'a' * 1000000000", "expr/type", 0, "'a' is text"),
    ("(" * 5000 + "1" + ")" * 5000, "expr/too-long", 500, "characters long"),
    ("-" * 5000 + "1", "expr/too-long", 500, "characters long"),
    ("not " * 5000 + "x", "expr/too-long", 500, "characters long"),
    ("1" + "+1" * 100_000, "expr/too-long", 500, "characters long"),
    # walrus, subscripts
    ("(turn := 1)", "expr/forbidden", 1, "':='"),
    ("[turn := 1]", "expr/forbidden", 0, "a list"),
    ("turns[0]", "expr/forbidden", 0, "indexing"),
    ("home[0:1]", "expr/forbidden", 0, "indexing"),
]


@pytest.mark.parametrize(("text", "code", "offset", "words"), ESCAPES)
def test_known_sandbox_escapes_are_refused(text: str, code: str, offset: int, words: str) -> None:
    """Payloads from the simpleeval and asteval advisories never compile."""
    err = refuse(text)
    assert (err.code, err.offset) == (code, offset), err.message
    assert words in err.message


@pytest.mark.parametrize(
    ("text", "offset"),
    [("(" * 5000 + "1" + ")" * 5000, 32), ("[" * 10_000, 32), ("(" * 100_000, 32)],
)
def test_deep_brackets_past_a_raised_length_cap(
    monkeypatch: pytest.MonkeyPatch, text: str, offset: int
) -> None:
    """Even without the length cap, deep brackets are stopped before the parser sees them."""
    monkeypatch.setattr(expr_module, "MAX_LENGTH", 10**7)
    err = refuse(text)
    assert (err.code, err.offset) == ("expr/too-deep", offset)


@pytest.mark.parametrize("text", ["-" * 5000 + "1", "not " * 5000 + "x", "+" * 100_000 + "1"])
def test_deep_operators_past_a_raised_length_cap(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """Without the length cap, the parser itself may run out of stack; that is still a clean
    too-deep error (at the start if the parser gave up, else at the 33rd level)."""
    monkeypatch.setattr(expr_module, "MAX_LENGTH", 10**7)
    err = refuse(text)
    assert err.code == "expr/too-deep"
    step = 4 if text.startswith("not") else 1
    assert err.offset in (0, 32 * step)


@pytest.mark.parametrize("failure", [RecursionError, MemoryError])
def test_parser_exhaustion_becomes_too_deep(
    monkeypatch: pytest.MonkeyPatch, failure: type[BaseException]
) -> None:
    def exhausted(*args: object, **kwargs: object) -> ast.Expression:
        raise failure()

    monkeypatch.setattr(ast, "parse", exhausted)
    err = refuse("1 + 1")
    assert (err.code, err.offset) == ("expr/too-deep", 0)


def test_module_never_evaluates_code() -> None:
    """The compiler uses no eval/exec/compile/__import__ and no pickle."""
    source = Path(expr_module.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__", "getattr", "setattr"}
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not imported & {"pickle", "marshal", "importlib"}


# ---------------------------------------------------------------------------------- runtime


@pytest.mark.parametrize(
    "text",
    ["1 / martial_law", "eu_rok_intel / martial_law", "1 / 0", "turn / (escalation - 2)",
     "clamp(1 / martial_law, 0, 1)", "min(1, 2 / martial_law)"],
)
def test_division_by_zero_is_a_runtime_error_naming_the_expression(text: str) -> None:
    e = compile_expr(text, SCOPE)
    with pytest.raises(ExprRuntimeError) as info:
        e(ENV)
    assert str(info.value) == f"division by zero in expression {text!r}"
    with pytest.raises(ExprRuntimeError):
        e.fn(ENV)  # the bare closure is just as safe


def test_clamp_with_crossed_bounds_at_runtime() -> None:
    e = compile_expr("clamp(turn, escalation, 1)", SCOPE)
    with pytest.raises(ExprRuntimeError) as info:
        e(ENV)
    assert "clamp" in str(info.value) and "clamp(turn, escalation, 1)" in str(info.value)


def test_number_overflow_is_a_runtime_error() -> None:
    """Whole numbers can grow past what a float holds; mixing one with a float then fails."""
    text = "turn" + " * 1000000000000" * 26 + " + 0.5"
    e = compile_expr(text, SCOPE)
    with pytest.raises(ExprRuntimeError):
        e(ENV)


# ------------------------------------------------------------------------------- properties

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _check_compiles_or_refuses(text: str) -> None:
    try:
        e = compile_expr(text, SCOPE)
    except ExprError as err:
        assert err.code.startswith("expr/")
        assert 0 <= err.offset <= len(text)
        assert err.message
        return
    assert isinstance(e, Expr)
    try:
        result = e(ENV)
    except ExprRuntimeError:
        return
    assert type(result) in (int, float, bool, str)


@PROPERTY_SETTINGS
@given(st.text(max_size=600))
def test_random_text_only_ever_raises_expr_error(text: str) -> None:
    _check_compiles_or_refuses(text)


TOKENS = [
    "eu_rok_intel", "martial_law", "target", "home", "turn", "turns", "ratio", "x", "__class__",
    "0", "1", "2.5", "1e12", "1e13", "'ROK'", "'UKR'", '"é"', "'", "true", "False", "None",
    "+", "-", "*", "/", "**", "%", "//", "<", "<=", "==", "!=", ">", ">=", "=", ":=",
    "and", "or", "not", "in", "is", "if", "else", "for", "lambda", ":", ",", ".", "(", ")",
    "[", "]", "{", "}", "min", "max", "abs", "clamp", "getattr", "\n", "#", "\\", "f'", "yield",
]


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40), st.sampled_from([" ", ""]))
def test_token_soup_only_ever_raises_expr_error(tokens: list[str], sep: str) -> None:
    _check_compiles_or_refuses(sep.join(tokens))


# A tiny grammar of well-formed expressions, each kept as a tree so that the expected value is
# computed by a separate reference evaluator (below), not by the compiler under test.

NUM_LEAF = st.one_of(
    st.integers(0, 1000).map(lambda n: ("lit", n)),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False).map(lambda x: ("lit", x)),
    st.sampled_from(sorted(TRACKS)).map(lambda name: ("name", name)),
    st.sampled_from(["turn", "turns", "ratio"]).map(lambda name: ("name", name)),
)


def _num_branches(child: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    bounds = st.tuples(st.integers(-50, 50), st.integers(0, 50)).map(lambda t: (t[0], t[0] + t[1]))
    return st.one_of(
        st.tuples(st.just("bin"), st.sampled_from("+-*/"), child, child),
        st.tuples(st.just("neg"), child),
        st.tuples(st.just("abs"), child),
        st.tuples(st.just("minmax"), st.sampled_from(["min", "max"]),
                  st.lists(child, min_size=2, max_size=3)),
        st.tuples(st.just("clamp"), child, bounds),
    )


NUM = st.recursive(NUM_LEAF, _num_branches, max_leaves=8)

BOOL_LEAF = st.one_of(
    st.tuples(st.just("cmp"), NUM, st.lists(st.tuples(st.sampled_from(
        ["<", "<=", ">", ">=", "==", "!="]), NUM), min_size=1, max_size=2)),
    st.sampled_from([("lit", True), ("lit", False)]),
    st.tuples(st.just("param"), st.sampled_from(["==", "!="]), st.sampled_from(["ROK", "UKR"])),
    st.tuples(st.just("truthy"), NUM),
)


def _bool_branches(child: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.tuples(st.just("not"), child),
        st.tuples(st.just("bool"), st.sampled_from(["and", "or"]),
                  st.lists(child, min_size=2, max_size=4)),
    )


BOOL = st.recursive(BOOL_LEAF, _bool_branches, max_leaves=6)


def render(tree: Any) -> str:
    tag = tree[0]
    if tag == "lit":
        return "true" if tree[1] is True else "false" if tree[1] is False else repr(tree[1])
    if tag == "name":
        return str(tree[1])
    if tag == "bin":
        return f"({render(tree[2])} {tree[1]} {render(tree[3])})"
    if tag == "neg":
        return f"-{render(tree[1])}"
    if tag == "abs":
        return f"abs({render(tree[1])})"
    if tag == "minmax":
        return f"{tree[1]}({', '.join(render(a) for a in tree[2])})"
    if tag == "clamp":
        return f"clamp({render(tree[1])}, {tree[2][0]}, {tree[2][1]})"
    if tag == "cmp":
        return "(" + render(tree[1]) + "".join(f" {op} {render(t)}" for op, t in tree[2]) + ")"
    if tag == "param":
        return f"(target {tree[1]} '{tree[2]}')"
    if tag == "truthy":
        return render(tree[1])
    if tag == "not":
        return f"(not {render(tree[1])})"
    assert tag == "bool"
    return "(" + f" {tree[1]} ".join(render(t) for t in tree[2]) + ")"


VALUES: dict[str, Any] = {
    **{name: ENV.tracks[i] for name, i in TRACKS.items()},
    "turn": ENV.turn, "turns": 8, "ratio": 0.5,
}
CMP = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
       ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}


def reference(tree: Any) -> Any:
    """Evaluate a generated tree directly (raises ZeroDivisionError like Python)."""
    tag = tree[0]
    if tag == "lit":
        return tree[1]
    if tag == "name":
        return VALUES[tree[1]]
    if tag == "bin":
        a, b = reference(tree[2]), reference(tree[3])
        return {"+": a + b, "-": a - b, "*": a * b}[tree[1]] if tree[1] != "/" else a / b
    if tag == "neg":
        return -reference(tree[1])
    if tag == "abs":
        return abs(reference(tree[1]))
    if tag == "minmax":
        return (min if tree[1] == "min" else max)(*(reference(a) for a in tree[2]))
    if tag == "clamp":
        return max(tree[2][0], min(tree[2][1], reference(tree[1])))
    if tag == "cmp":
        left = reference(tree[1])
        for op, t in tree[2]:
            right = reference(t)
            if not CMP[op](left, right):
                return False
            left = right
        return True
    if tag == "param":
        return CMP[tree[1]](ENV.params["target"], tree[2])
    if tag == "truthy":
        return bool(reference(tree[1]))
    if tag == "not":
        return not reference(tree[1])
    assert tag == "bool"
    if tree[1] == "and":
        return all(reference(t) for t in tree[2])
    return any(reference(t) for t in tree[2])


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return bool(actual == expected)


@PROPERTY_SETTINGS
@given(NUM)
def test_generated_number_expressions_match_the_reference(tree: Any) -> None:
    text = render(tree)
    assume(len(text) <= 500)
    e = compile_expr(text, SCOPE, expect=Kind.NUMBER)
    try:
        expected = reference(tree)
    except ZeroDivisionError:
        with pytest.raises(ExprRuntimeError):
            e(ENV)
        return
    assert _same(e(ENV), expected), text


@PROPERTY_SETTINGS
@given(BOOL)
def test_generated_conditions_match_the_reference(tree: Any) -> None:
    text = render(tree)
    assume(len(text) <= 500)
    e = compile_expr(text, SCOPE, expect=Kind.BOOL)
    try:
        expected = reference(tree)
    except ZeroDivisionError:
        with pytest.raises(ExprRuntimeError):
            e(ENV)
        return
    result = e(ENV)
    assert type(result) is bool
    assert result is bool(expected), text
