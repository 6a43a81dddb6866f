"""Actions: small frozen values whose text form parses back (STYLE.md 4; python-chess's
``Move.uci()`` / ``Move.from_uci``).

Properties: ``Action.parse(str(a)) == a`` for every well-formed action; the rationale survives
the round trip (only surrounding whitespace is stripped); the text form stays on one line
(scripts hold one action a line); text that is not an action raises ``action/syntax``.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from game.agents.basic import parse_script
from game.engine.actions import CONTROL, Action
from game.engine.errors import ActionSyntaxError
from game.scenario.compile import compile_rules, load_rules
from game.scenario.load import load_text

NAME = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,11}", fullmatch=True)
"""Actor ids, verbs and parameter names: a letter, then letters, digits or '_'."""

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Every character ``str.splitlines`` breaks a line at."""

VALUE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12
).filter(lambda v: not any(c.isspace() or c in "|=" for c in v))
"""Parameter values: anything but whitespace, '|' and '=' (unicode welcome)."""

RATIONALE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40,
).filter(lambda r: r == r.strip())
"""Rationales as the record keeps them: unicode, '|', '\\', line breaks inside; no surrounding
whitespace (that is stripped, see ``test_surrounding_whitespace_of_a_rationale_is_stripped``)."""

BREAKY = st.text(alphabet=st.sampled_from([*LINE_BREAKS, "a", "\\", "u", "0", "|"]),
                 max_size=12).map(lambda r: f"<{r}>")
"""Rationales made mostly of line breaks and escape-like text."""


@st.composite
def actions(draw: st.DrawFn, rationale: st.SearchStrategy[str] = RATIONALE) -> Action:
    """A well-formed action in canonical form (parameters sorted by name, as ``make`` does)."""
    actor = draw(st.one_of(NAME, st.just(CONTROL)))
    verb = draw(NAME)
    params = draw(st.dictionaries(NAME, VALUE, max_size=4))
    return Action(actor, verb, tuple(sorted(params.items())), draw(rationale))


@given(actions())
@example(Action("EU", "share_intelligence", (("target", "ROK"),), "keep Seoul close"))
@example(Action("EU", "arm", (), "a | b | c"))
@example(Action("EU", "arm", (), "line one\nline two\\n (a literal backslash-n)"))
@example(Action("EU", "arm", (), "ends with a backslash \\"))
@example(Action("EU", "arm", (), "looks escaped: \\u2028 \\n \\\\n"))
@example(Action("EU", "arm", (), "crlf\r\nline\u2028sep"))
@example(Action("DPRK", "deploy", (("where", "Курск"), ("x", "北")), "ünïcødé — 北朝鮮"))
@example(Action(CONTROL, "adjust", (("track", "tension"), ("value", "3")), "reason: 'it is'"))
def test_text_form_parses_back(a: Action) -> None:
    """``Action.parse(str(a)) == a``, and the rationale comes back exactly."""
    b = Action.parse(str(a))
    assert b == a
    assert b.rationale == a.rationale
    assert (b.actor, b.verb, b.params) == (a.actor, a.verb, a.params)


@given(st.one_of(actions(), actions(BREAKY)))
def test_text_form_is_one_line(a: Action) -> None:
    """The text form is a single line, whatever line breaks the rationale holds, and it
    parses back to the same rationale."""
    assert len(str(a).splitlines()) == 1
    assert Action.parse(str(a)).rationale == a.rationale


@pytest.mark.parametrize("brk", list(LINE_BREAKS), ids=[hex(ord(c)) for c in LINE_BREAKS])
def test_text_form_escapes_every_line_break(brk: str) -> None:
    """Every line-break character in a rationale is escaped: the action stays one script line."""
    a = Action("NORTH", "pass", (), f"one{brk}two")
    assert len(str(a).splitlines()) == 1
    (line,) = parse_script(str(a))
    assert line.action.rationale == a.rationale


@given(actions(), st.text(" \t\u3000\xa0", min_size=1, max_size=3),
       st.text(" \t\u3000\xa0", min_size=1, max_size=3))
def test_surrounding_whitespace_of_a_rationale_is_stripped(a: Action, pre: str, post: str) -> None:
    """Spaces around a rationale are not kept: the record holds the stripped text."""
    padded = a.with_rationale(pre + a.rationale + post)
    assert Action.parse(str(padded)).rationale == a.rationale


@given(actions(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)))
def test_a_parsed_action_is_a_fixed_point(a: Action) -> None:
    """Whatever the rationale, parsing once normalises it: a second round trip changes
    nothing, so a decision log read back writes out the same text."""
    b = Action.parse(str(a))
    c = Action.parse(str(b))
    assert c == b and c.rationale == b.rationale and str(c) == str(b)


@given(actions())
def test_rationale_is_not_part_of_identity(a: Action) -> None:
    """The rationale travels with the action but two actions differing only in it are equal."""
    assert a.with_rationale("something else") == a
    assert hash(a.with_rationale("x")) == hash(a)


@given(NAME, NAME, st.dictionaries(NAME, VALUE, max_size=4))
def test_make_sorts_parameters(actor: str, verb: str, params: dict[str, str]) -> None:
    """``Action.make`` gives the canonical form: the one ``parse`` gives back."""
    a = Action.make(actor, verb, **params)
    assert [k for k, _ in a.params] == sorted(params)
    assert Action.parse(str(a)) == a


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "no colon here",
    "EU:",
    "EU:   | only a rationale",
    ": arm",
    "1EU: arm",
    "E U: arm",
    "EU: 1arm",
    "EU: arm-now",
    "EU: arm target",
    "EU: arm target=",
    "EU: arm =ROK",
    "EU: arm 2x=ROK",
    "EU: arm target=a=b",
    "EU: arm target=ROK target=JPN",
])
def test_syntax_errors_have_code_action_syntax(text: str) -> None:
    """Text that is not an action is refused with ``action/syntax`` and a sentence."""
    with pytest.raises(ActionSyntaxError) as info:
        Action.parse(text)
    assert info.value.code == "action/syntax"
    assert isinstance(info.value, ValueError)
    assert info.value.message


@given(st.text(max_size=30))
def test_parse_never_fails_otherwise(text: str) -> None:
    """Any text either parses or raises ``action/syntax`` — never another exception."""
    try:
        a = Action.parse(text)
    except ActionSyntaxError as exc:
        assert exc.code == "action/syntax"
    else:
        assert Action.parse(str(a)) == a


def test_parse_accepts_spacing_variants() -> None:
    """Extra spaces around the actor, verb, parameters and bar do not matter."""
    a = Action.parse("  EU :   share_intelligence    target=ROK   |   keep Seoul close  ")
    assert a == Action.make("EU", "share_intelligence", target="ROK")
    assert a.rationale == "keep Seoul close"


def test_every_legal_action_of_the_tutorial_round_trips() -> None:
    """The actions ``legal_actions`` hands out parse back from their text form."""
    from game.session import Game

    g = Game.new("tutorial", seed=4, seats="all=random")
    seen = 0
    while not g.is_over:
        for who in [*g.rules.actor_index, CONTROL]:
            for a in g.legal_actions(who):
                assert Action.parse(str(a)) == a, str(a)
                seen += 1
        g.step_agent()
    assert seen > 50


TWO_PARAMS = """
meta: {id: two-params, title: Two params, version: "1", start_date: 2025-01-01,
       turn_length_days: 30, turns: 1}
actors:
  - {id: A, name: A, kind: player, color: "#000000"}
tracks:
  - {id: t, name: T, min: 0, max: 10, initial: 5}
phases:
  - {id: orders, name: Orders, kind: orders, actors: [A]}
  - {id: adj, name: Adjudication, kind: adjudication}
moves:
  - id: strike
    name: Strike
    actors: [A]
    phases: [orders]
    params:
      - {id: zeta, choices: [{id: x}, {id: y}]}
      - {id: alpha, choices: [{id: p}]}
    outcomes: [{id: success, effects: [{track: t, add: 1}]}]
"""


def test_legal_actions_with_two_parameters_round_trip() -> None:
    """A move with several parameters, declared in any order, round-trips and stays legal."""
    from game.engine.core import Engine

    eng = Engine.new(compile_rules(load_text(TWO_PARAMS)), seed=1)
    moves = [a for a in eng.legal_actions("A") if a.verb == "strike"]
    assert len(moves) == 2
    for a in moves:
        back = Action.parse(str(a))
        assert back == a
        assert eng.why_not(back) is None


def test_text_form_matches_documented_grammar() -> None:
    """``ACTOR: verb key=value ... | rationale``."""
    rules = load_rules("tutorial")
    a = Action.make("NORTH", "propaganda", audience="home", rationale="rally")
    assert "propaganda" in rules.move_index
    assert re.fullmatch(r"NORTH: propaganda audience=home \| rally", str(a))
