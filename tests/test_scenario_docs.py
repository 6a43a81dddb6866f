"""docs/scenario-authoring.md: its complete example is a valid, playable scenario that uses every
part of the format, and the guide names every field and every error code of the loader."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from game.cli import app
from game.scenario import model as m
from game.scenario.load import LoadedScenario, load_text

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "scenario-authoring.md"
TEXT = GUIDE.read_text(encoding="utf-8")
SCHEMA_LINE = "# yaml-language-server: $schema="


def fenced(language: str) -> list[str]:
    """The code blocks of ``language`` in the guide (also those indented in a list), dedented."""
    blocks = re.findall(rf"^( *)```{language}\n(.*?)^\1```$", TEXT, flags=re.M | re.S)
    return [textwrap.dedent(body) for _, body in blocks]


def example_text() -> str:
    [example] = [block for block in fenced("yaml") if block.startswith(SCHEMA_LINE) and
                 "\nmeta:" in block]
    return example


@pytest.fixture(scope="module")
def example() -> LoadedScenario:
    return load_text(example_text(), "docs/scenario-authoring.md#example")


def test_the_guide_has_one_complete_example(example: LoadedScenario) -> None:
    assert example.scenario.meta.id == "harbour-dispute"


def test_the_example_uses_every_part_of_the_format(example: LoadedScenario) -> None:
    scn = example.scenario
    assert {a.kind for a in scn.actors} == {"player", "control"}
    assert any(a.resources and a.briefing.private for a in scn.actors)
    assert {mv.adjudication.kind for mv in scn.moves} == {"automatic", "dice", "matrix", "umpire"}
    assert any(mv.adjudication.modifiers for mv in scn.moves)
    assert any(mv.params for mv in scn.moves) and any(mv.requires for mv in scn.moves)
    assert any(mv.offer for mv in scn.moves) and any(mv.accepts for mv in scn.moves)
    assert any(mv.declines for mv in scn.moves)
    assert any(mv.limits.per_game for mv in scn.moves) and any(mv.limits.cooldown for mv in scn.moves)
    effects = [e for mv in scn.moves for o in mv.outcomes for e in o.effects]
    effects += [e for ev in scn.events for e in ev.effects]
    assert any(e.delay for e in effects) and any(e.duration > 1 for e in effects)
    assert any(e.reveal for e in effects) and any(e.resource for e in effects)
    assert any(isinstance(e.add, str) for e in effects)
    assert any(t.visibility == "secret" and t.estimates for t in scn.tracks)
    assert any(e.bias and e.miss for t in scn.tracks for e in t.estimates)
    assert any(t.kind == "flag" for t in scn.tracks) and any(t.thresholds for t in scn.tracks)
    assert {p.kind for p in scn.phases} == {"info", "orders", "adjudication", "events", "review"}
    assert any(p.skip_if for p in scn.phases)
    triggers = [ev.trigger for ev in scn.events]
    assert all(any(getattr(t, k) is not None for t in triggers) for k in ("turn", "when", "chance"))
    assert any(ev.release == "umpire" for ev in scn.events)
    assert any(o.hidden for o in scn.objectives)
    assert any(o.per_turn for o in scn.objectives) and any(o.at_end for o in scn.objectives)
    assert scn.end and scn.history and scn.meta.sources
    assert scn.map is not None and scn.map.bounds and scn.map.countries and scn.map.ladder
    assert {mk.kind for mk in scn.map.markers} == {"deployment", "transfer", "status"}
    assert any(not p.label for p in scn.map.places)


def test_the_example_plays_to_the_end(tmp_path: Path) -> None:
    from game.session import Game

    path = tmp_path / "harbour-dispute.yaml"
    path.write_text(example_text(), encoding="utf-8")
    for seed in range(3):
        game = Game.new(path, seed=seed, seats="all=random")
        game.play_out()
        assert game.is_over


def test_the_info_shown_in_the_guide_is_what_powerplay_prints(tmp_path: Path) -> None:
    path = tmp_path / "harbour-dispute.yaml"
    path.write_text(example_text(), encoding="utf-8")
    result = CliRunner().invoke(app, ["info", str(path)])
    assert result.exit_code == 0
    [shown] = [block for block in fenced("console") if "$ powerplay info" in block]
    assert shown.splitlines()[1:] == result.stdout.splitlines()


def test_other_yaml_snippets_are_yaml() -> None:
    for block in fenced("yaml"):
        YAML(typ="safe", pure=True).load(block)


def _fields() -> dict[str, set[str]]:
    models: list[type[m.Model]] = [m.Meta, m.Source, m.Resource, m.Briefing, m.Threshold,
                                   m.Estimate, m.Choice, m.Param, m.Limits, m.Modifier,
                                   m.Adjudication, m.Effect, m.Outcome, m.Trigger, m.OfferTerms,
                                   m.MapSection, m.MapPlace, m.MapMarker, *m.SECTIONS.values()]
    return {cls.__name__: set(cls.model_fields) for cls in models}


def test_the_guide_names_every_section_and_field() -> None:
    named = set(re.findall(r"`([a-z_]+)(?::[^`]*)?`", TEXT))
    assert set(m.Scenario.model_fields) <= named
    missing = {f"{model}.{field}" for model, fields in _fields().items() for field in fields
               if field not in named}
    assert not missing, f"fields not explained in {GUIDE.name}: {sorted(missing)}"


def _codes(pattern: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "game" / "scenario").glob("*.py"):
        found |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return found


def test_the_guide_lists_every_scenario_error_code() -> None:
    codes = _codes(r'"(scenario/[a-z0-9-]+)"')
    codes |= {f"scenario/unknown-{kind}" for kind in
              ("actor", "track", "phase", "event", "resource", "source", "place")}
    assert len(codes) > 25
    missing = sorted(c for c in codes if f"`{c}`" not in TEXT)
    assert not missing, f"error codes not explained in {GUIDE.name}: {missing}"


def test_every_expression_error_code_is_documented() -> None:
    codes = _codes(r'"(expr/[a-z0-9-]+)"')
    assert codes
    expressions = (ROOT / "docs" / "expressions.md").read_text(encoding="utf-8")
    for code in codes:
        assert f"`{code}`" in expressions and code in TEXT, code


def _slug(heading: str) -> str:
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def test_the_guide_links_resolve() -> None:
    anchors = {_slug(h) for h in re.findall(r"^#+ (.+)$", TEXT, flags=re.M)}
    for target in re.findall(r"\]\(#([^)]+)\)", TEXT):
        assert target in anchors, target
    for target in re.findall(r"\]\(([\w./-]+\.md)(?:#[^)]*)?\)", TEXT):
        assert (GUIDE.parent / target).is_file(), target


def _every_string(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _every_string(v)]
    if isinstance(node, list):
        return [s for v in node for s in _every_string(v)]
    return [node] if isinstance(node, str) else []


def test_the_example_is_fictional_and_the_engine_knows_nothing_of_it() -> None:
    """A teacher's scenario is data only: none of its ids appears in the engine's code."""
    data = YAML(typ="safe", pure=True).load(example_text())
    ids = {s for s in _every_string(data) if re.fullmatch(r"[a-z]+_[a-z_]+", s)}
    engine = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "game").rglob("*.py"))
    assert ids and not {i for i in ids if i in engine}
