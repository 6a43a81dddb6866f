"""Golden playthroughs (OpenSpiel ``integration_tests/playthroughs``; STYLE.md 10).

Each game of ``tools/make_goldens.py`` is played again, on the scenario copy pinned beside it,
and its transcript diffed against the file in ``tests/golden/playthroughs/``. A difference means
the engine's rules, dice, fog of war or wording changed: read the diff; if the change is
intended, regenerate with ``python tools/make_goldens.py`` and commit the new files with it.
(Editing a scenario in ``scenarios/`` does not disturb its golden until it is regenerated.)
"""

from __future__ import annotations

import difflib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from game.engine.actions import Action
from game.session import Game

ROOT = Path(__file__).resolve().parents[1]


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_goldens", ROOT / "tools" / "make_goldens.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_goldens", module)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _param(cfg: object) -> object:
    marks = [] if cfg.available else [  # type: ignore[attr-defined]
        pytest.mark.skip(reason=f"scenario {cfg.scenario} absent")]  # type: ignore[attr-defined]
    return pytest.param(cfg, id=cfg.name, marks=marks)  # type: ignore[attr-defined]


@pytest.mark.parametrize("cfg", [_param(c) for c in tool.CONFIGS])
def test_playthrough_matches_its_golden_file(cfg: object) -> None:
    """The game replays exactly as recorded in its golden file."""
    path: Path = cfg.path  # type: ignore[attr-defined]
    for needed in (path, cfg.pinned):  # type: ignore[attr-defined]
        assert needed.exists(), f"{needed.relative_to(ROOT)} is missing: run {tool.COMMAND}"
    expected = path.read_text(encoding="utf-8")
    actual = tool.playthrough(cfg)
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"{path.name} (golden)", tofile=f"{path.name} (now)", n=2))[:80])
        pytest.fail(f"{path.relative_to(ROOT)} differs from the game as played now.\n"
                    f"If the change is intended, regenerate with: {tool.COMMAND}\n\n{diff}",
                    pytrace=False)


@pytest.mark.parametrize("cfg", [_param(c) for c in tool.CONFIGS if c.scenario == "tutorial"])
def test_golden_actions_replay_through_the_checked_apply(cfg: object) -> None:
    """The actions of a golden file, submitted one by one as text to a fresh game with the same
    seed, are all legal and end in the recorded log digest (the file is a valid script)."""
    text = cfg.path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    actions = [line[2:] for line in text.splitlines() if line.startswith("> ")]
    digest = next(line.split(": ")[1] for line in text.splitlines()
                  if line.startswith("log digest: "))
    g = Game.new(cfg.pinned, cfg.seed, cfg.seats, no_dice=cfg.no_dice)  # type: ignore
    for line in actions:
        g.submit(Action.parse(line))
    assert g.is_over
    assert g.log_digest() == digest


def test_golden_configurations_are_distinct() -> None:
    """Each golden game has its own file."""
    names = [c.name for c in tool.CONFIGS]
    assert len(names) == len(set(names))
