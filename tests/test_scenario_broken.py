"""The corpus of broken scenario files: each reports exactly its expected code, line and column.

Every file in ``tests/fixtures/broken/`` is the small valid ``tests/fixtures/scenarios/base.yaml``
with a mistake; its header comments list the diagnostics the loader must give (see the README
there). A header ``# xfail:`` line marks a file whose expectation states the right behaviour that
the loader does not meet yet (a strict xfail: it fails loudly once the loader is fixed).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from game.scenario.errors import Diagnostic, ScenarioError
from game.scenario.load import load_scenario, load_text
from game.scenario.yamlio import MAX_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = FIXTURES / "broken"
BASE = FIXTURES / "scenarios" / "base.yaml"

EXPECT = re.compile(r"^# expect: (\d+):(\d+) error\[([a-z]+/[a-z0-9-]+)\](?: ~ (.+))?$")
XFAIL = re.compile(r"^# xfail(-all)?: (.+)$")
LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>[a-z]+/[a-z0-9-]+)\]: \S")
CODE = re.compile(r"^(scenario|expr)/[a-z0-9]+(-[a-z0-9]+)*$")


def header(path: Path) -> tuple[list[tuple[int, int, str, str | None]], str | None, bool]:
    """The expected diagnostics (line, col, code, words) of a fixture, its xfail reason, and
    whether that reason covers every test of the file (``# xfail-all:``, for a crash)."""
    expected: list[tuple[int, int, str, str | None]] = []
    reason = None
    everywhere = False
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        if not line.startswith("#"):
            break
        if m := EXPECT.match(line):
            expected.append((int(m[1]), int(m[2]), m[3], m[4]))
        elif m := XFAIL.match(line):
            reason, everywhere = m[2], bool(m[1])
    return expected, reason, everywhere


def fixture_params(*, exact: bool) -> list[object]:
    """One param per fixture; strict xfail where the header says the loader is not right yet."""
    params = []
    for path in sorted(BROKEN.glob("*.yaml")):
        _, reason, everywhere = header(path)
        xfail = reason if exact or everywhere else None
        marks = [pytest.mark.xfail(reason=xfail, strict=True)] if xfail else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def diagnostics_of(path: Path) -> list[Diagnostic]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.diagnostics


def test_corpus_is_large_and_every_file_says_what_it_expects() -> None:
    files = sorted(BROKEN.glob("*.yaml"))
    assert len(files) >= 45
    for path in files:
        expected, _, _ = header(path)
        assert expected, f"{path.name} has no '# expect:' line"


def test_base_of_the_corpus_is_valid() -> None:
    loaded = load_scenario(BASE)
    assert loaded.scenario.meta.id == "base"


@pytest.mark.parametrize("path", fixture_params(exact=True))
def test_broken_file_reports_exact_codes_and_positions(path: Path) -> None:
    """Each broken file reports exactly the listed (line, column, code) diagnostics."""
    expected, _, _ = header(path)
    diags = diagnostics_of(path)
    got = sorted((d.line, d.col, d.code) for d in diags)
    assert got == sorted((line, col, code) for line, col, code, _ in expected), "\n".join(
        str(d) for d in diags)
    for line, col, code, words in expected:
        if words:
            match = [d for d in diags if (d.line, d.col, d.code) == (line, col, code)]
            assert any(words in f"{d.message} {d.hint or ''}" for d in match), (words, match)


@pytest.mark.parametrize("path", fixture_params(exact=False))
def test_messages_are_sentences_not_tracebacks(path: Path) -> None:
    """Every diagnostic names the file, has a stable code and a one-line human message."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value)
    assert "Traceback" not in text and 'File "' not in text
    for d in info.value.diagnostics:
        assert Path(d.path).resolve() == path.resolve()
        assert d.line >= 1 and d.col >= 1
        assert CODE.match(d.code), d.code
        for words in (d.message, d.hint):
            if words is None:
                continue
            assert words.strip() == words and words, repr(words)
            assert "\n" not in words and len(words) < 300, words
            for leak in ("Traceback", "errors.pydantic.dev", "object at 0x", "<class", "Error("):
                assert leak not in words, words
        assert LINE.match(str(d).splitlines()[0]), str(d)
    lines = [line for line in text.splitlines() if not line.startswith("  hint: ")]
    assert len(lines) == len(info.value.diagnostics)
    assert all(LINE.match(line) for line in lines)


def test_a_file_with_several_problems_reports_every_one() -> None:
    """Problems in five different sections are all reported, in file order, not just the first."""
    diags = diagnostics_of(BROKEN / "many-problems.yaml")
    assert len(diags) == 5
    assert [d.line for d in diags] == sorted(d.line for d in diags)
    assert {d.code for d in diags} == {"scenario/initial-out-of-range", "scenario/bad-choice",
                                       "scenario/unknown-actor", "expr/unknown-name",
                                       "scenario/unknown-source"}


def test_shape_errors_in_many_items_are_all_reported() -> None:
    """Each list item is validated on its own: bad fields in three sections give three errors."""
    text = BASE.read_text(encoding="utf-8").split("history:")[0]  # no source references
    text = text.replace("turns: 3", "turns: 0").replace("name: Calm", "name: [Calm]")
    text = text.replace("kind: adjudication}", "kind: adjudication, colour: red}")
    codes = [d.code for d in pytest.raises(ScenarioError, load_text, text).value.diagnostics]
    assert codes == ["scenario/out-of-range", "scenario/unknown-field", "scenario/wrong-type"]


# ---------------------------------------------------------------------------------- YAML 1.2

def test_yaml_1_1_booleans_stay_text() -> None:
    """YAML 1.2: NO (Norway), yes, on, off and y are text, not booleans."""
    text = BASE.read_text(encoding="utf-8")
    text = text.replace("{id: RED, name: Red,", "{id: NO, name: yes,").replace("[RED", "[NO")
    text = text.replace("actor: RED", "actor: NO").replace("title: Base", "title: on")
    text = text.replace("name: Tension", "name: off").replace("name: AP", "name: y")
    scn = load_text(text).scenario
    assert scn.actors[0].id == "NO" and scn.actors[0].name == "yes"
    assert scn.meta.title == "on"
    assert scn.tracks[0].name == "off"
    assert scn.actors[0].resources[0].name == "y"


@pytest.mark.parametrize("directive", ["%YAML 1.1", "%YAML 1.0", "%YAML 1.3"])
def test_only_yaml_1_2_documents_are_read(directive: str) -> None:
    """A YAML 1.1 document (where NO is false) is refused; its exact position is pinned by the
    fixture yaml-version-1-1.yaml."""
    text = f"{directive}\n---\n" + BASE.read_text(encoding="utf-8")
    diags = pytest.raises(ScenarioError, load_text, text).value.diagnostics
    assert [(d.code, d.col) for d in diags] == [("scenario/yaml-version", 1)]
    assert diags[0].line in (1, 2)
    assert load_text("%YAML 1.2\n---\n" + BASE.read_text(encoding="utf-8")).scenario


def test_yaml_1_2_numbers() -> None:
    """YAML 1.2: 010 is ten, not octal eight."""
    text = BASE.read_text(encoding="utf-8").replace("max: 20", "max: 010")
    assert load_text(text).scenario.tracks[1].max == 10


# ---------------------------------------------------------------------- files that are not text

def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    [d] = diagnostics_of(path)
    assert (d.line, d.col, d.code) == (1, 1, "scenario/empty")


def test_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    [d] = diagnostics_of(path)
    assert (d.line, d.col, d.code) == (1, 1, "scenario/too-big")


def test_text_over_the_size_cap_is_refused() -> None:
    with pytest.raises(ScenarioError) as info:
        load_text("a: " + "x" * MAX_BYTES)
    assert [d.code for d in info.value.diagnostics] == ["scenario/too-big"]


def test_a_file_at_the_size_cap_is_read(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8")
    padding = MAX_BYTES - len(text.encode("utf-8"))
    path = tmp_path / "full.yaml"
    path.write_text(text + "#" * (padding - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES
    assert load_scenario(path).scenario.meta.id == "base"


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("meta:\n  title: Café\n".encode("latin-1"))
    [d] = diagnostics_of(path)
    assert (d.line, d.code) == (2, "scenario/encoding")
    assert d.hint and "UTF-8" in d.hint


# --------------------------------------------------------------------------- loading runs no code

def test_python_tags_never_run_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A !!python/object/apply tag is refused before anything is built: os.system is never called."""
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    diags = diagnostics_of(BROKEN / "yaml-tag-python.yaml")
    assert [d.code for d in diags] == ["scenario/yaml-tag"]
    assert calls == []


@pytest.mark.parametrize("payload", [
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/object/new:subprocess.Popen [['echo', 'pwned']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
])
def test_every_explicit_tag_is_refused(payload: str) -> None:
    text = BASE.read_text(encoding="utf-8").replace("title: Base", f"title: {payload}")
    codes = {d.code for d in pytest.raises(ScenarioError, load_text, text).value.diagnostics}
    assert codes == {"scenario/yaml-tag"}


def test_alias_bomb_is_refused_quickly() -> None:
    """A nine-level 'billion laughs' is refused at its anchors, never expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    with pytest.raises(ScenarioError) as info:
        load_text("\n".join(lines) + "\n")
    assert {d.code for d in info.value.diagnostics} == {"scenario/yaml-alias"}


def test_scenario_error_without_diagnostics_is_a_programming_error() -> None:
    with pytest.raises(AssertionError):
        ScenarioError([])
