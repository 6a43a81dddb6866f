"""The import contract of the package, checked on the source (no tool needed): each layer
imports only itself and the layers below it, and the front ends never import each other. The
engine at the bottom imports nothing of the game above it, so a search player or a cluster
worker can take the engine alone."""

from __future__ import annotations

import ast
from pathlib import Path

GAME = Path(__file__).resolve().parents[1] / "game"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("game.engine",),
    ("game.scenario", "game.paths", "game.fileio", "game.textsafe"),
    ("game.agents",),
    # session and saves are one layer: Game.save() and autosave reach into game.saves, which
    # reads and writes Games (the imports in session are inside functions).
    ("game.session", "game.saves", "game"),
    ("game.present", "game.batch", "game.coverage", "game.seating", "game.lab"),
    # the debrief is written by the command line and by the front ends at game over
    ("game.report",),
    ("game.net", "game.tui", "game.board"),
    ("game.cli_run", "game.cli_lint", "game.cli", "game.__main__"),
)
FRONT_ENDS = {"game.net", "game.tui", "game.board"}


def unit(module: str) -> str:
    """The part of the package a module belongs to: 'game.engine', 'game.session', ..."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def imports() -> list[tuple[str, int, str]]:
    """(module, line, imported module) for every import of the game, anywhere in a module."""
    found = []
    for path in sorted(GAME.rglob("*.py")):
        module = ".".join(path.relative_to(GAME.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [(module, node.lineno, n) for n in names
                      if n == "game" or n.startswith("game.")]
    return found


def test_every_part_of_the_package_has_a_layer() -> None:
    units = {unit(m) for m, _, _ in imports()} | {unit(n) for _, _, n in imports()}
    assert units <= set(LAYER_OF), f"no layer for {sorted(units - set(LAYER_OF))}"


def violations(found: list[tuple[str, int, str]]) -> list[str]:
    wrong = []
    for module, line, name in found:
        src, dst = unit(module), unit(name)
        if LAYER_OF[dst] > LAYER_OF[src] or (src in FRONT_ENDS and dst in FRONT_ENDS - {src}):
            wrong.append(f"{module}:{line} imports {name}")
    return wrong


def test_each_layer_imports_only_itself_and_below_and_front_ends_not_each_other() -> None:
    wrong = violations(imports())
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_the_contract_catches_an_upward_import_and_a_front_end_importing_another() -> None:
    found = [("game.engine.core", 1, "game.session"), ("game.tui.app", 2, "game.board.theme"),
             ("game.tui.app", 3, "game.engine.views"), ("game.cli", 4, "game.tui")]
    assert violations(found) == ["game.engine.core:1 imports game.session",
                                 "game.tui.app:2 imports game.board.theme"]
