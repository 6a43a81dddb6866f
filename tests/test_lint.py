"""``powerplay lint``: each silent mistake of a scenario file is a positioned warning.

Every file in ``tests/fixtures/lint/`` is the tutorial with one mistake that still loads; its
header lists the warnings lint must give: ``# expect:`` lines from the static checks (exactly
those, no others), ``# expect-playtest:`` lines from playing 20 games (at least those).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from game.cli import app
from game.coverage import coverage_warnings, error_site, playtest
from game.scenario.errors import ScenarioError
from game.scenario.expr import ExprError, ExprRuntimeError, Scope, compile_expr
from game.scenario.intervals import Analyzer
from game.scenario.lint import CODES, lint
from game.scenario.load import SCENARIO_DIR, load_scenario, load_text

LINT = Path(__file__).parent / "fixtures" / "lint"
DOCS = Path(__file__).parents[1] / "docs"
EXPECT = re.compile(r"^# (expect|expect-playtest): (\d+):(\d+) warning\[(lint/[a-z0-9-]+)\]$")
LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): warning\[(?P<code>lint/[a-z0-9-]+)\]: "
                  r"(?P<message>.+) \((?P<hint>.+)\)$")
PLAYTEST_CODES = {"lint/move-never-chosen", "lint/move-rarely-chosen", "lint/inject-never-fired",
                  "lint/track-stuck", "lint/run-time-error",
                  "lint/estimate-never-missed"}

Expected = set[tuple[int, int, str]]


def expected(path: Path) -> tuple[Expected, Expected]:
    """The (line, col, code) a fixture's header expects from the static checks and from play."""
    static: Expected = set()
    played: Expected = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if m := EXPECT.match(line):
            (static if m[1] == "expect" else played).add((int(m[2]), int(m[3]), m[4]))
    return static, played


def fixtures() -> list[Path]:
    return sorted(LINT.glob("*.yaml"))


def static_warnings(path: Path) -> Expected:
    loaded = load_scenario(path)
    return {(w.line, w.col, w.code) for w in lint(loaded.scenario, loaded.source)}


@pytest.mark.parametrize("path", fixtures(), ids=lambda p: p.stem)
def test_fixture_gives_exactly_its_static_warnings(path: Path) -> None:
    """The file loads (validate is clean), and lint's static checks give exactly the warnings
    its header lists, at their line and column."""
    static, _ = expected(path)
    assert static_warnings(path) == static


def test_every_static_code_has_a_fixture() -> None:
    """Each silent mistake the static checks know has a fixture showing it."""
    shown = {code for p in fixtures() for _, _, code in expected(p)[0]}
    assert set(CODES) - PLAYTEST_CODES <= shown
    shown_by_play = {code for p in fixtures() for _, _, code in expected(p)[1]}
    # a rarely chosen move is shown from tallies: see test_a_move_chosen_in_under_1_percent...
    assert shown_by_play >= PLAYTEST_CODES - {"lint/move-rarely-chosen"}


@pytest.mark.parametrize("scenario", sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml")
                                            if "." not in p.stem))
def test_shipped_scenarios_lint_clean(scenario: str) -> None:
    loaded = load_scenario(scenario)
    assert [str(w) for w in lint(loaded.scenario, loaded.source)] == []


@pytest.mark.parametrize("name", ["run-time-overflow", "playtest-coverage", "estimate-never-missed"])
def test_playtest_finds_what_only_playing_shows(name: str) -> None:
    path = LINT / f"{name}.yaml"
    _, played = expected(path)
    cov = playtest(str(path), games=20, jobs=1)
    got = {(w.line, w.col, w.code) for w in coverage_warnings(cov, load_scenario(path))}
    assert played <= got


def test_run_time_error_names_seed_turn_and_rule_and_the_other_games_go_on() -> None:
    path = LINT / "run-time-overflow.yaml"
    cov = playtest(str(path), games=20, jobs=1)
    assert cov.errors, "some game multiplies a council support other than 0 past what a float holds"
    assert 0 < cov.finished < 20
    assert cov.finished + len(cov.errors) == 20
    first = cov.errors[0]
    assert first.turn >= 1 and "too big to hold" in first.message
    warnings = [w for w in coverage_warnings(cov, load_scenario(path))
                if w.code == "lint/run-time-error"]  # one per message: inf and -inf
    assert sum(int(w.message.split(" of 20 games")[0]) for w in warnings) == len(cov.errors)
    (warning,) = [w for w in warnings if f"seed {first.seed}, turn {first.turn}" in w.message]
    assert f"--seed {first.seed}" in (warning.hint or "")


def test_error_site_finds_the_failing_expression() -> None:
    loaded = load_scenario(LINT / "run-time-overflow.yaml")
    failing = next(e.add for e in loaded.scenario.events[1].effects)
    msg = (f"[rule/expression] run-time-overflow.yaml:262:39: expression '{failing}' "
           "came to a number too big to hold (inf) on turn 2")
    loc = error_site(msg, loaded.scenario)
    assert loc[:2] == ("events", 1) and loc[-1] == "add"
    assert error_site("[flow/error] something else", loaded.scenario) == ()
    # a quote inside the expression does not cut it short
    assert error_site("x.yaml:1:1: expression 'actor == 'SOUTH'' failed on turn 1: it broke",
                      loaded.scenario) == ("moves", 5, "outcomes", 0, "effects", 0, "when")
    assert error_site("y.yaml:9:9: expression 'max(0, council_support)' failed on turn 3: "
                      "it broke", loaded.scenario) == ("objectives", 3, "at_end")


def test_a_run_time_error_in_no_expression_is_placed_where_the_rule_says() -> None:
    from game.coverage import Coverage, RunError

    loaded = load_scenario("tutorial")
    cov = Coverage(games=3, finished=2, errors=[RunError(1, 2, "[rule/expression] "
                                                         "scenarios/tutorial.yaml:140:5: a rule "
                                                         "failed on turn 2: it broke")])
    (w,) = [w for w in coverage_warnings(cov, loaded) if w.code == "lint/run-time-error"]
    assert (w.line, w.col) == (140, 5)
    assert w.message.startswith("1 of 3 games stopped: [rule/expression] a rule failed on turn 2")


def test_cli_tutorial_playtest_win_shares_sum_to_one() -> None:
    result = CliRunner().invoke(app, ["lint", "tutorial", "--games", "20", "--jobs", "1",
                                      "--json"])
    assert result.exit_code in (0, 1), result.output
    (report,) = json.loads(result.output)
    play = report["playtest"]
    assert play["games"] == play["finished"] == 20
    assert set(play["win_share"]) == {"NORTH", "SOUTH"}
    assert sum(play["win_share"].values()) == pytest.approx(1.0)
    assert play["errors"] == []


def test_cli_text_lines_and_exit_status() -> None:
    runner = CliRunner()
    clean = runner.invoke(app, ["lint", "tutorial", "--games", "0"])
    assert clean.exit_code == 0, clean.output
    assert clean.output.strip().endswith("0 warnings")
    path = LINT / "cost-above-max.yaml"
    warned = runner.invoke(app, ["lint", str(path), "--games", "0"])
    assert warned.exit_code == 1
    first = warned.output.splitlines()[0]
    m = LINE.match(first)
    assert m, first
    (line, col, code), = expected(path)[0]
    assert (int(m["line"]), int(m["col"]), m["code"]) == (line, col, code)
    assert "Mass troops at the border" in m["message"] and m["hint"]


def test_cli_file_that_does_not_load_exits_3_with_validate_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((LINT / "cost-above-max.yaml").read_text().replace("kind: player", "kind: plyer", 1))
    result = CliRunner().invoke(app, ["lint", str(bad), "tutorial", "--games", "0"])
    assert result.exit_code == 3
    assert "error[scenario/bad-choice]" in result.output
    out = CliRunner().invoke(app, ["lint", str(bad), "--games", "0", "--json"])
    (report,) = json.loads(out.output)
    assert report["valid"] is False and report["errors"][0]["code"] == "scenario/bad-choice"


def test_json_lists_each_warning_with_position_and_hint() -> None:
    path = LINT / "reveal-public-track.yaml"
    result = CliRunner().invoke(app, ["lint", str(path), "--games", "0", "--json"])
    assert result.exit_code == 1
    (report,) = json.loads(result.output)
    (w,) = report["warnings"]
    (line, col, code), = expected(path)[0]
    assert (w["line"], w["col"], w["code"]) == (line, col, code)
    assert w["hint"] and "public" in w["message"]
    assert report["playtest"] is None


BOUNDS = {"x": (0.0, 5.0), "y": (1.0, 5.0), "turn": (1.0, 3.0)}


@pytest.mark.parametrize(("text", "divides_by_zero", "can_hold"), [
    ("6 / x", True, True),
    ("6 / y", False, True),
    ("6 / max(1, x)", False, True),
    ("6 / (x + 1)", False, True),
    ("6 / (x - 1)", True, True),
    ("x > 0 and 6 / x > 1", False, True),
    ("x >= 1 and 6 / x > 1", False, True),
    ("x != 0 and 6 / x > 1", False, True),
    ("y - 1 and 6 / (y - 1) > 1", True, True),
    ("(y - 1) and 6 / y > 1", False, True),
    ("x > 5", False, False),
    ("x >= 3 and x < 2", False, False),
    ("2 < x < 3", False, False),  # x is a whole number
    ("turn > 3", False, False),
    ("x == 6 or y == 5", False, True),
    ("not (y >= 1)", False, False),
    ("clamp(x, 2, 4) < 2", False, False),
])
def test_interval_analysis(text: str, divides_by_zero: bool, can_hold: bool) -> None:
    """Whether a division can hit 0 and a condition can hold, from the names' ranges."""
    a = Analyzer(text, BOUNDS, frozenset({"x", "turn"}), {"turns": 3.0})
    span = a.span()
    assert bool(a.divisions) is divides_by_zero
    assert span.can_true is can_hold


def test_docs_list_every_lint_code() -> None:
    text = (DOCS / "scenario-authoring.md").read_text(encoding="utf-8")
    assert "powerplay lint" in text
    missing = [code for code in CODES if f"`{code}`" not in text]
    assert missing == []


# -------------------------------------------------------------------- soundness, by property

_ATOMS = st.sampled_from(["x", "y", "turn", "turns", "0", "1", "2", "3", "5", "-1", "0.5",
                          "true", "false"])


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "<", "<=", ">", ">=", "==",
                                               "!=", "and", "or"]), inner)
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda a: f"(not {a})"),
        inner.map(lambda a: f"(-{a})"),
        inner.map(lambda a: f"abs({a})"),
        st.tuples(st.sampled_from(["min", "max"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, st.integers(-2, 3), st.integers(0, 4)).map(
            lambda t: f"clamp({t[0]}, {min(t[1], t[2])}, {max(t[1], t[2])})"),
        st.tuples(st.integers(-1, 3), inner, st.integers(2, 6)).map(
            lambda t: f"({t[0]} < {t[1]} <= {t[2]})"),
    )


EXPRESSIONS = st.recursive(_ATOMS, _combine, max_leaves=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS, st.integers(0, 5), st.floats(1, 5), st.integers(1, 3))
def test_interval_analysis_is_sound(text: str, x: int, y: float, turn: int) -> None:
    """Whatever values the names take within their ranges, the real result lies in the span
    lint works out, its truth is one lint allows, and a division by 0 was foreseen."""
    scope = Scope(tracks={"x": 0, "y": 1}, constants={"turns": 3})
    try:
        expr = compile_expr(text, scope)
    except ExprError:
        return  # e.g. text compared with a number: the loader refuses it
    a = Analyzer(text, BOUNDS, frozenset({"x", "turn"}), {"turns": 3.0})
    span = a.span()
    try:
        value = expr(SimpleNamespace(tracks=[float(x), y], turn=turn, params={}))
    except ExprRuntimeError:
        assert a.divisions, f"{text} divided by 0 at x={x}, y={y}, turn={turn}"
        return
    v = float(value)
    assert span.lo - 1e-9 <= v <= span.hi + 1e-9, (text, v, span)
    assert span.can_true if value else span.can_false, (text, value, span)


def _lint_text(text: str) -> list[str]:
    loaded = load_text(text, "guarded.yaml")
    return [w.code for w in lint(loaded.scenario, loaded.source)]


TUTORIAL_TEXT = (SCENARIO_DIR / "tutorial.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "refused"), [
    # an effect's 'when' guards its value
    ("- {track: council_support, add: 1}\n    source: design\n  - id: council_summit",
     "- {track: council_support, add: \"6 / council_support\", when: \"council_support > 0\"}\n"
     "    source: design\n  - id: council_summit", False),
    ("- {track: council_support, add: 1}\n    source: design\n  - id: council_summit",
     "- {track: council_support, add: \"6 / council_support\", when: \"tension > 0\"}\n"
     "    source: design\n  - id: council_summit", True),
    # a move's earlier prerequisites guard the later ones (tested in order)
    ('requires: ["not talks"]', 'requires: ["council_support != 0", "6 / council_support > 1"]',
     False),
    ('requires: ["not talks"]', 'requires: ["6 / council_support > 1", "council_support != 0"]',
     True),
    ('requires: ["not talks"]', 'requires: ["council_support > 0 and 6 / council_support > 1"]',
     False),
])
def test_guards_keep_a_division_safe(old: str, new: str, refused: bool) -> None:
    """What the loader's division check reads as a guard (the same intervals lint reasons with)."""
    assert old in TUTORIAL_TEXT
    text = TUTORIAL_TEXT.replace(old, new, 1)
    if refused:
        with pytest.raises(ScenarioError) as info:
            load_text(text, "guarded.yaml")
        assert [d.code for d in info.value.diagnostics] == ["scenario/division-by-zero"]
    else:
        assert _lint_text(text) == []


def test_the_guides_lint_example_is_what_lint_prints() -> None:
    """The run shown in docs/scenario-authoring.md is real (200 games, as it says)."""
    text = (DOCS / "scenario-authoring.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ powerplay lint (\S+)\n(.*?)```", text, re.S)
    assert block, "the guide shows a lint run"
    result = CliRunner().invoke(app, ["lint", block[1], "--jobs", "1"])
    assert result.exit_code == 1
    assert result.output == block[2]


def test_a_move_chosen_in_under_1_percent_of_games_is_rarely_chosen() -> None:
    """Reporting, from a playtest's tallies: 1 game in 200 is rare, 2 are not."""
    from collections import Counter

    from game.coverage import Coverage

    loaded = load_scenario("tutorial")
    moves = [mv.id for mv in loaded.scenario.moves]
    cov = Coverage(games=200, finished=200, win_share={"NORTH": 0.5, "SOUTH": 0.5},
                   chosen=Counter(dict.fromkeys(moves, 2)), legal=Counter(dict.fromkeys(moves, 9)),
                   fired=Counter({e.id: 5 for e in loaded.scenario.events}))
    cov.chosen["mediate"] = 1
    (w,) = coverage_warnings(cov, loaded)
    line = TUTORIAL_TEXT.splitlines().index("  - id: mediate") + 1
    assert (w.code, w.line, w.col) == ("lint/move-rarely-chosen", line, 9)
    assert w.message == "'Mediate talks' was chosen in 1 of 200 games (0.5%; legal in 9)"


def test_the_guides_complete_example_lints_clean() -> None:
    """Authors start from the guide's example: it must not teach a silent mistake."""
    text = (DOCS / "scenario-authoring.md").read_text(encoding="utf-8")
    (example,) = [b for b in re.findall(r"^```yaml\n(.*?)^```$", text, flags=re.M | re.S)
                  if "\nmeta:" in b]
    loaded = load_text(example, "docs/scenario-authoring.md#example")
    assert [str(w) for w in lint(loaded.scenario, loaded.source)] == []
