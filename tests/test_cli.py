"""The command line: ``powerplay validate``, ``schema``, ``info`` and ``--help``.

Most tests drive the typer app in-process with its CliRunner; the ones about start-up (imports
made for ``--help``, ``python -m game``) run a real subprocess.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from game.cli import app
from game.scenario.load import load_scenario
from game.scenario.schema import schema_text

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
BROKEN = ROOT / "tests" / "fixtures" / "broken"
BASE = ROOT / "tests" / "fixtures" / "scenarios" / "base.yaml"
SCHEMA_FILE = ROOT / "scenarios" / "scenario.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema="
DIAGNOSTIC = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>[a-z]+/[a-z0-9-]+)\]: (?P<msg>\S.*)$")
EXPECT = re.compile(r"^# expect: (\d+):(\d+) error\[([^\]]+)\]")
HEAVY = ("pydantic", "textual", "pygame", "game.scenario", "game.engine", "game.tui", "game.board")
"""Modules ``powerplay --help`` must not import (the issue names the first three)."""

runner = CliRunner()


def cli(*args: str) -> Any:
    """Run the app in-process from the repository root; the result has exit_code and stdout."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)


def subprocess_run(*args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False, **kw)


def expected_of(path: Path) -> list[tuple[int, int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted((int(m[1]), int(m[2]), m[3]) for line in lines if (m := EXPECT.match(line)))


# ----------------------------------------------------------------------------------- validate

def test_validate_every_shipped_scenario_exits_0() -> None:
    paths = [str(p.relative_to(ROOT)) for p in SCENARIOS]
    result = subprocess_run("-m", "game", "validate", *paths)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"{p}: ok" for p in paths]


def test_validate_by_id() -> None:
    result = cli("validate", "tutorial")
    assert (result.exit_code, result.stdout.strip()) == (0, "tutorial: ok")


def test_validate_broken_file_exits_1_with_positioned_lines() -> None:
    path = BROKEN / "many-problems.yaml"
    result = cli("validate", str(path.relative_to(ROOT)))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if not line.startswith("  hint: ")]
    found = [DIAGNOSTIC.match(line) for line in lines]
    assert all(found), lines
    assert {m["path"] for m in found if m} == {"tests/fixtures/broken/many-problems.yaml"}
    got = sorted((int(m["line"]), int(m["col"]), m["code"]) for m in found if m)
    assert got == expected_of(path)


def test_validate_prints_hints_under_their_error() -> None:
    result = cli("validate", "tests/fixtures/broken/unknown-track-effect.yaml")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert DIAGNOSTIC.match(lines[0]) and "error[scenario/unknown-track]" in lines[0]
    assert lines[1] == "  hint: did you mean 'tension'?"


def test_validate_good_and_bad_together_exits_1_and_reports_both() -> None:
    result = cli("validate", "scenarios/tutorial.yaml", "tests/fixtures/broken/bad-colour.yaml")
    assert result.exit_code == 1
    assert "scenarios/tutorial.yaml: ok" in result.stdout
    assert "tests/fixtures/broken/bad-colour.yaml:" in result.stdout


def test_validate_missing_file_and_unknown_id() -> None:
    result = cli("validate", "no/such/file.yaml", "tutorail")
    assert result.exit_code == 1
    assert "no/such/file.yaml:1:1: error[scenario/not-found]" in result.stdout
    assert "tutorail:1:1: error[scenario/not-found]" in result.stdout
    assert "did you mean 'tutorial'?" in result.stdout


def test_validate_json_for_machines() -> None:
    broken = "tests/fixtures/broken/dice-without-success.yaml"
    result = cli("validate", "--json", "scenarios/tutorial.yaml", broken)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    good, bad = report["files"]
    assert good == {"path": "scenarios/tutorial.yaml", "valid": True, "errors": [], "warnings": []}
    assert (bad["path"], bad["valid"]) == (broken, False)
    assert sorted((e["line"], e["col"], e["code"]) for e in bad["errors"]) == expected_of(
        ROOT / broken)
    for error in bad["errors"]:
        assert set(error) == {"path", "line", "col", "code", "message", "hint"}
        assert error["path"] == broken and error["message"]


def test_validate_json_all_good_exits_0() -> None:
    result = cli("validate", "--json", "tutorial")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "valid": True, "files": [{"path": "tutorial", "valid": True, "errors": [], "warnings": []}]}


def test_validate_needs_a_path() -> None:
    assert cli("validate").exit_code == 2


# ------------------------------------------------------------------------------------- schema

DRAFT7_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "examples",
    "readOnly", "writeOnly", "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum",
    "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "format", "items",
    "additionalItems", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties",
    "minProperties", "required", "properties", "patternProperties", "additionalProperties",
    "dependencies", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
    "definitions", "contentMediaType", "contentEncoding",
}
TYPES = {"null", "boolean", "object", "array", "number", "string", "integer"}


def check_draft7(node: Any, root: dict[str, Any], where: str = "#") -> None:
    """A structural check against draft-07: known keywords, value types, resolvable $refs."""
    assert isinstance(node, dict), where
    for key, value in node.items():
        at = f"{where}/{key}"
        assert key in DRAFT7_KEYWORDS, f"{at}: not a draft-07 keyword"
        if key in ("properties", "patternProperties", "definitions"):
            assert isinstance(value, dict), at
            for name, sub in value.items():
                if key == "patternProperties":
                    re.compile(name)
                check_draft7(sub, root, f"{at}/{name}")
        elif key in ("items", "additionalProperties", "propertyNames", "not", "contains"):
            if not isinstance(value, bool):
                check_draft7(value, root, at)
        elif key in ("allOf", "anyOf", "oneOf"):
            assert isinstance(value, list) and value, at
            for i, sub in enumerate(value):
                check_draft7(sub, root, f"{at}/{i}")
        elif key == "$ref":
            assert value.startswith("#/definitions/"), at
            assert value.removeprefix("#/definitions/") in root["definitions"], at
        elif key == "type":
            types = value if isinstance(value, list) else [value]
            assert set(types) <= TYPES, at
        elif key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            assert isinstance(value, int | float) and not isinstance(value, bool), at
        elif key in ("minLength", "maxLength", "minItems", "maxItems"):
            assert isinstance(value, int) and value >= 0, at
        elif key == "required":
            assert isinstance(value, list) and all(isinstance(v, str) for v in value), at
            assert set(value) <= set(node.get("properties", {})), at
        elif key == "pattern":
            re.compile(value)
        elif key == "enum":
            assert isinstance(value, list) and value, at
        elif key in ("title", "description"):
            assert isinstance(value, str) and value.strip(), at


def schema_from_cli() -> dict[str, Any]:
    result = cli("schema")
    assert result.exit_code == 0
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


def test_schema_is_draft7_json() -> None:
    schema = schema_from_cli()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["type"] == "object"
    assert "$defs" not in schema
    check_draft7(schema, schema)
    assert set(schema["properties"]) == {"meta", "actors", "tracks", "phases", "moves", "events",
                                         "objectives", "end", "history", "channels", "map"}
    assert schema["additionalProperties"] is False


def test_schema_has_hover_help() -> None:
    """The format has descriptions: the file, each part, and the fields an author asks about."""
    schema = schema_from_cli()
    assert "scenario-authoring.md" in schema["description"]
    defs = schema["definitions"]
    for name in ("Meta", "Actor", "Track", "Phase", "Move", "Effect", "Event", "Objective",
                 "HistoryEntry", "Estimate", "Trigger", "Outcome", "Modifier", "Resource"):
        assert defs[name].get("description"), name
    for model, field in [("Meta", "turns"), ("Meta", "turn_length_days"), ("Actor", "kind"),
                         ("Actor", "color"), ("Track", "visibility"), ("Track", "known_to"),
                         ("Estimate", "quality"), ("Estimate", "spread"), ("Phase", "kind"),
                         ("Phase", "mode"), ("Adjudication", "kind"), ("Adjudication", "target"),
                         ("Effect", "delay"), ("Effect", "duration"), ("Event", "release"),
                         ("Trigger", "chance"), ("Objective", "hidden"), ("Move", "reveal_to")]:
        assert defs[model]["properties"][field].get("description"), f"{model}.{field}"


def _undescribed(schema: dict[str, Any]) -> list[str]:
    missing = [f"Scenario.{p}" for p, v in schema["properties"].items() if "description" not in v]
    for name, d in schema["definitions"].items():
        if "description" not in d and "enum" not in d:
            missing.append(name)
        missing += [f"{name}.{p}" for p, v in d.get("properties", {}).items()
                    if "description" not in v]
    return missing


def test_every_field_of_the_schema_has_a_description() -> None:
    assert _undescribed(schema_from_cli()) == []


def test_schema_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "scenario.schema.json"
    result = cli("schema", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_text()


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "scenarios/scenario.schema.json is out of date with game/scenario/model.py; regenerate it "
        "with: powerplay schema -o scenarios/scenario.schema.json")


def test_schema_describes_the_shipped_scenarios() -> None:
    """Every top-level key and section item key of each scenario is a property of the schema."""
    from ruamel.yaml import YAML

    schema = schema_from_cli()
    defs = schema["definitions"]
    for path in SCENARIOS:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        assert set(data) <= set(schema["properties"]), path.name
        for section, items in data.items():
            if section == "meta":
                assert set(items) <= set(defs["Meta"]["properties"])
                continue
            if section == "map":
                assert set(items) <= set(defs["MapSection"]["properties"])
                for place in items.get("places", []):
                    assert set(place) <= set(defs["MapPlace"]["properties"]), place
                for marker in items.get("markers", []):
                    assert set(marker) <= set(defs["MapMarker"]["properties"]), marker
                continue
            ref = schema["properties"][section]["items"]["$ref"].rsplit("/", 1)[1]
            for item in items:
                assert set(item) <= set(defs[ref]["properties"]), (path.name, section, item)


# --------------------------------------------------------------------------- shipped scenarios

@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_file_starts_with_the_schema_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_LINE), first
    target = first.removeprefix(SCHEMA_LINE).strip()
    assert (path.parent / target).resolve() == SCHEMA_FILE.resolve()


def test_there_are_scenarios() -> None:
    assert "tutorial" in {p.stem for p in SCENARIOS}


# --------------------------------------------------------------------------------------- info

def info_json(ref: str) -> dict[str, Any]:
    result = cli("info", ref, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_info_json_of_the_tutorial() -> None:
    data = info_json("tutorial")
    scn = load_scenario("tutorial").scenario
    assert data["id"] == "tutorial"
    assert data["title"] == scn.meta.title
    assert [(a["id"], a["kind"]) for a in data["actors"]] == [(a.id, a.kind) for a in scn.actors]
    assert {a["kind"] for a in data["actors"]} == {"player", "control"}
    counts = data["counts"]
    assert {"tracks", "moves", "moves_by_actor", "events", "objectives", "history",
            "sources"} <= set(counts)
    assert counts["tracks"] == len(scn.tracks) == 5
    assert counts["moves"] == len(scn.moves) == 7
    assert counts["moves_by_actor"] == {"NORTH": 3, "SOUTH": 4, "COUNCIL": 1}
    assert counts["events"] == 3 and counts["objectives"] == 4
    assert counts["history"] == 1 and counts["sources"] == 2


def test_info_finds_a_scenario_by_id_and_by_path() -> None:
    assert info_json("tutorial") == info_json("scenarios/tutorial.yaml")
    assert info_json("tutorial") == info_json(str(ROOT / "scenarios" / "tutorial.yaml"))


def test_info_text() -> None:
    result = cli("info", "tutorial")
    assert result.exit_code == 0
    assert "The Border Crisis (tutorial)" in result.stdout
    assert "NORTH" in result.stdout and "control" in result.stdout


def test_info_unknown_id_exits_3_with_a_hint() -> None:
    """A scenario error is one line with its code, position and hint; exit status 3."""
    result = cli("info", "tutorail")
    assert result.exit_code == 3
    assert result.output.startswith("powerplay: error[scenario/not-found]: tutorail:1:1: ")
    assert "did you mean 'tutorial'?" in result.output and result.output.count("\n") == 1


def test_info_of_a_broken_file_exits_3_with_positions() -> None:
    result = cli("info", "tests/fixtures/broken/bad-colour.yaml")
    [(line, col, code)] = expected_of(BROKEN / "bad-colour.yaml")
    assert result.exit_code == 3
    assert (f"powerplay: error[{code}]: tests/fixtures/broken/bad-colour.yaml:{line}:{col}: "
            in result.output)


def test_scenario_found_by_id_in_POWERPLAY_SCENARIOS(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "my-class.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("POWERPLAY_SCENARIOS", str(tmp_path))
    assert info_json("my-class")["id"] == "base"
    assert cli("validate", "my-class").exit_code == 0


# --------------------------------------------------------------------------------- start-up

def test_help_lists_the_commands() -> None:
    result = subprocess_run("-m", "game", "--help")
    assert result.returncode == 0, result.stderr
    for command in ("validate", "schema", "info", "play", "run"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.M), command


def test_console_script_help() -> None:
    script = Path(sys.executable).parent / "powerplay"
    if not script.exists():
        pytest.skip("the powerplay console script is not installed in this environment")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0 and "validate" in result.stdout


def test_help_imports_no_heavy_modules() -> None:
    """``powerplay --help`` imports no pydantic, textual or pygame, and none of the engine."""
    code = (
        "import sys\n"
        "sys.argv = ['powerplay', '--help']\n"
        "from game import cli\n"
        "try:\n    cli.main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m.startswith({HEAVY!r})])\n"
    )
    result = subprocess_run("-c", code)
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_python_m_game_help_imports_no_heavy_modules() -> None:
    """The same seen through ``-X importtime`` of ``python -m game --help``."""
    result = subprocess_run("-X", "importtime", "-m", "game", "--help")
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()
                if line.startswith("import time:")}
    assert "game.cli" in imported
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == []


def test_the_terminal_ui_without_a_terminal_says_so_and_exits() -> None:
    """'powerplay play' with its output in a pipe drew the terminal UI into the pipe and waited
    for ever; it now refuses in one line, naming what to use instead."""
    result = cli("play", "tutorial")
    assert result.exit_code == 2
    assert "needs a terminal" in result.output and "powerplay run" in result.output


def test_run_says_each_turn_in_names_not_ids() -> None:
    """'powerplay run' prints each turn's scores and moves as the debrief names them: the
    team's, the move's and the outcome's names, a team to a line (it printed
    'EU:eu_air_defence=failure, ROK:rok_nato=success')."""
    out = cli("run", "kursk-2024", "--seed", "7", "--seats", "all=greedy", "--turns", "1").stdout
    assert "eu_air_defence" not in out and "EU:" not in out and "=failure" not in out
    assert ("Turn 1: scores European Union 1, Republic of Korea 1, Russian Federation 3, "
            "Democratic People's Republic of Korea 2") in out
    assert ("  European Union: Offer to finance an air-defence route for Korean systems — "
            "Failure; Intelligence cooperation with the NIS — Failure") in out
