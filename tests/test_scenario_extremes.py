"""What validates also runs (issue 17): scenarios with extreme numbers and dates either fail
validation with a positioned error, or play whole games without an exception; an expression
whose divisor can be 0 is refused at load; a rule that still fails at run time (a product too big
for a float) is a positioned scenario error naming the turn, and in a batch it ends that game only.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scenario_fuzz import TUTORIAL_DATA, _get, _places, check_diagnostics, dump

from game.batch import play_batch, summarize
from game.engine.errors import RuleError
from game.scenario.errors import ScenarioError
from game.scenario.load import load_text
from game.session import Game

ROOT = Path(__file__).resolve().parents[1]
POSITION = re.compile(r"^\S+:\d+:\d+: ")

NUMBERS = [loc for loc in _places(TUTORIAL_DATA) if loc
           and type(_get(TUTORIAL_DATA, loc)) in (int, float)]
DATES = [loc for loc in _places(TUTORIAL_DATA) if loc
         and isinstance(_get(TUTORIAL_DATA, loc), dt.date)]
EXTREME = st.one_of(
    st.sampled_from([1e308, -1e308, 1.7976931348623157e308, float("inf"), float("-inf"),
                     float("nan"), 10**30, -(10**30), 2**63, 10**18, 1e15, -1e15, 1e12,
                     -1e12, 999_999_999_999, 1e-300, 0, -1, 100, 10_000]),
    st.integers(), st.floats(),
)
FAR_DATES = st.one_of(st.sampled_from([dt.date(9999, 12, 31), dt.date(9999, 1, 1),
                                       dt.date(1, 1, 1), dt.date(9990, 6, 1)]),
                      st.dates())


@st.composite
def extreme_tutorial(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(TUTORIAL_DATA)
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()) or not DATES:
            loc, value = draw(st.sampled_from(NUMBERS)), draw(EXTREME)
        else:
            loc, value = draw(st.sampled_from(DATES)), draw(FAR_DATES)
        _get(data, loc[:-1])[loc[-1]] = value
    return data


def validates_or_runs(data: Any, tmp: Path) -> str:
    text = dump(data)
    try:
        load_text(text, "extreme.yaml")
    except ScenarioError as exc:
        check_diagnostics(exc, text.count("\n") + 1)
        return "refused"
    path = tmp / "extreme.yaml"
    path.write_text(text, encoding="utf-8")
    for seed in range(2):
        g = Game.new(str(path), seed, "all=random")
        try:
            g.run_agents()
        except RuleError as exc:  # allowed only as a positioned scenario error
            assert POSITION.match(exc.message) and "turn" in exc.message, exc.message
            return "rule error"
        for viewer in ("public", "NORTH", "SOUTH", "control"):
            g.view(viewer)
        g.result()
    return "ran"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=extreme_tutorial())
def test_extreme_numbers_and_dates_are_refused_or_played(data: Any, tmp_path: Path) -> None:
    validates_or_runs(data, tmp_path)


@pytest.mark.soak
@settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=extreme_tutorial())
def test_soak_extreme_numbers_and_dates(data: Any, tmp_path: Path) -> None:
    validates_or_runs(data, tmp_path)


@pytest.mark.parametrize("change, where, says", [
    (("meta", "start_date", dt.date(9999, 12, 1)), "turns", "past the last date"),
    (("tracks", 0, "max", 1e308), "max", "less than or equal to 1000000000000"),
    (("tracks", 0, "max", float("inf")), "max", "finite number"),
    (("tracks", 0, "initial", float("nan")), "initial", "finite number"),
])
def test_the_cases_the_issue_found_are_refused_with_a_position(change: tuple[Any, ...],
                                                              where: str, says: str) -> None:
    data = copy.deepcopy(TUTORIAL_DATA)
    *loc, value = change
    _get(data, tuple(loc[:-1]))[loc[-1]] = value
    text = dump(data)
    with pytest.raises(ScenarioError) as info:
        load_text(text, "x.yaml")
    d = info.value.diagnostics[0]
    assert d.code == "scenario/out-of-range" and f"'{where}'" in d.message and says in d.message
    assert text.splitlines()[d.line - 1].strip().startswith(f"{where}:")


OVERFLOW = " * ".join(["1e12"] * 26)
"""A product of numbers each small enough for a scenario, whose result no float holds (1e312)."""
TALKS_REFUSED = '''        text: "Northland refuses to talk."
        effects:
          - {track: council_support, add: 1}'''


def tutorial_adding(tmp: Path, value: str) -> Path:
    """The tutorial where Northland's refusal to talk adds ``value`` to council support."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    assert TALKS_REFUSED in text
    path = tmp / "changed.yaml"
    path.write_text(text.replace(TALKS_REFUSED, TALKS_REFUSED.replace("add: 1", f'add: "{value}"')),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("value", "refused"), [
    ("6 / (tension - 2)", True), ("6 / council_support", True), ("6 / max(1, tension)", False),
    ("tension > 2 and 6 / (tension - 2)", False), ("6 / (tension + 1)", False)])
def test_a_division_that_can_meet_0_is_refused_at_its_divisor(tmp_path: Path, value: str,
                                                              refused: bool) -> None:
    """The loader works out what a divisor can come to over the tracks' whole declared ranges
    (the umpire may set a track anywhere in them): a possible 0 is refused, placed at the
    divisor and saying how to guard it; a guarded or safe division loads."""
    path = tutorial_adding(tmp_path, value)
    if not refused:
        load_text(path.read_text(encoding="utf-8"), str(path))
        return
    with pytest.raises(ScenarioError) as info:
        load_text(path.read_text(encoding="utf-8"), str(path))
    (d,) = info.value.diagnostics
    line = path.read_text(encoding="utf-8").splitlines()[d.line - 1]
    divisor = value.split("/ ", 1)[1].lstrip("(")  # placed inside its brackets
    assert d.code == "scenario/division-by-zero" and line[d.col - 1:].startswith(divisor)
    assert "can be 0" in d.message and "max(1, ...)" in (d.hint or "")


def test_a_rule_failing_in_play_ends_that_game_only_and_is_listed(tmp_path: Path) -> None:
    """A product too big for a float in the games where tension is not 2 then."""
    path = tutorial_adding(tmp_path, f"(tension - 2) * {OVERFLOW}")
    records = list(play_batch(str(path), range(30), "all=random", jobs=2))
    failed = [r for r in records if "error" in r]
    assert [r["seed"] for r in records] == list(range(30)) and 0 < len(failed) < 30
    line = next(i for i, x in enumerate(path.read_text().splitlines(), 1) if "(tension - 2)" in x)
    for r in failed:
        assert r["error"]["code"] == "rule/expression"
        assert re.match(rf"^\S*changed.yaml:{line}:\d+: expression '\(tension - 2\) \* 1e12 .*' "
                        rf"came to a number too big to hold \(-?inf\) on turn {r['turn']}$",
                        r["error"]["message"])
    for r in records:
        if "error" not in r:  # the others are the games 'run' plays
            alone = Game.new(str(path), r["seed"], "all=random")
            alone.run_agents()
            assert alone.log_digest() == r["log_digest"]
    summary = summarize(records, ["NORTH", "SOUTH"])
    assert summary["games"] == 30 - len(failed) and summary["failed_games"] == len(failed)
    assert [f["seed"] for f in summary["failures"]] == [r["seed"] for r in failed]
    assert abs(sum(summary["win_share"].values()) - 1) < 1e-3


# ------------------------------------------------------------------------- big and broken files

def test_a_character_yaml_forbids_is_reported_where_it_is() -> None:
    """A NUL byte at offset 1392 of the tutorial (line 34, column 8) was reported at 1:1."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    for bad in ("\0", "\x07", "\ufffe"):
        with pytest.raises(ScenarioError) as info:
            load_text(text[:1392] + bad + text[1392:], "x.yaml")
        [d] = info.value.diagnostics
        assert (d.line, d.col, d.code) == (34, 8, "scenario/bad-character")
        assert f"U+{ord(bad):04X}" in d.message


@pytest.mark.parametrize(("written", "found"), [
    ("\\e]0;owned\\a", "U+001B (a control character)"), ("\\r", "U+000D (a control character)"),
    ("\\u202e", "U+202E (a text-direction override)"), ("\\x9b31m", "U+009B (a control character)")])
def test_control_characters_in_long_text_are_warned_of_where_they_are(written: str,
                                                                      found: str) -> None:
    """Text people read at length may hold a control character (often pasted in unseen): the
    scenario loads, with a warning placed at the escape as written; a name may not (refused)."""
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    old = 'text: "Northland refuses to talk."'
    changed = text.replace(old, f'text: "Northland {written} refuses to talk."')
    (w,) = load_text(changed, "x.yaml").warnings
    line = changed.splitlines()[w.line - 1]
    assert (w.code, w.message) == ("scenario/control-character", f"'text' holds {found}")
    assert line[w.col - 1:].startswith(written) and "delete it" in (w.hint or "")
    assert str(w).startswith(f"x.yaml:{w.line}:{w.col}: warning[scenario/control-character]")
    with pytest.raises(ScenarioError) as info:
        load_text(text.replace("    name: Northland\n", f'    name: "North{written}land"\n', 1),
                  "x.yaml")
    (d,) = info.value.diagnostics
    assert (d.line, d.col, d.code) == (34, 11, "scenario/bad-character") and found in d.message
    assert load_text(text, "x.yaml").warnings == []


@pytest.mark.parametrize("cut, line", [("meta:\n  id: [\n...\n", 3), ("[\n...\n", 2),
                                       ("meta:\n  title: 'never closed\n", 3)])
def test_a_document_cut_short_is_reported_where_it_ends(cut: str, line: int) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(cut, "x.yaml")
    d = info.value.diagnostics[0]
    assert d.code == "scenario/yaml-syntax" and d.line == line, str(d)


def test_a_big_scenario_loads_the_same_as_its_parts() -> None:
    """The one-pass reader (libyaml's events where installed) gives the data and positions
    ruamel's round-trip reader gave: same data, every value and key at the same place."""
    from game.scenario.yamlio import _read_yaml_carefully, read_yaml

    for name in ("tutorial", "kursk-2024"):
        text = (ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")
        fast, fmap = read_yaml(text, "x.yaml")
        slow, smap = _read_yaml_carefully(text, "x.yaml")
        assert fast == slow
        assert fmap.values == smap.values and fmap.keys == smap.keys
        assert fmap.styles == smap.styles and fmap.texts == smap.texts
