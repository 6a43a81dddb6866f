"""``powerplay lint``: the static checks of :mod:`game.scenario.lint` and the playtest coverage
of :mod:`game.coverage`, for one or more scenario files.

Exit status: 0 when every file is clean, 1 when there are warnings, 3 when a file does not
load (its errors are printed as ``powerplay validate`` prints them)."""

from __future__ import annotations

import json
from typing import Any

import typer


def lint_one(ref: str, games: int, jobs: int) -> dict[str, Any]:
    """The lint report of one scenario (id or path) as plain JSON."""
    from game.coverage import coverage_warnings, playtest
    from game.scenario.errors import ScenarioError
    from game.scenario.lint import lint
    from game.scenario.load import load_scenario

    try:
        loaded = load_scenario(ref)
    except ScenarioError as exc:
        return {"path": ref, "valid": False, "errors": [d.to_json() for d in exc.diagnostics],
                "warnings": [], "playtest": None, "text": str(exc)}
    warnings = [*loaded.warnings, *lint(loaded.scenario, loaded.source)]
    cov = None
    if games > 0:
        cov = playtest(str(loaded.path), games, jobs)
        warnings = sorted([*warnings, *coverage_warnings(cov, loaded)],
                          key=lambda w: (w.path, w.line, w.col, w.code))
    names = {a.id: a.name for a in loaded.scenario.actors}
    return {"path": loaded.path, "valid": True, "errors": [],
            "warnings": [w.to_json() for w in warnings],
            "playtest": cov.to_json() | {"names": names} if cov else None,
            "lines": [str(w) for w in warnings]}


def _summary(report: dict[str, Any]) -> str:
    from game.coverage import share_text

    count = len(report["warnings"])
    text = f"{report['path']}: {count} warning{'s' * (count != 1)}"
    play = report["playtest"]
    if play:
        wins = ", ".join(f"{play['names'].get(a, a)} {share_text(s)}"
                         for a, s in play["win_share"].items())
        failed = play["games"] - play["finished"]
        text += (f"; {play['games']} playtest games (every seat random)"
                 + (f", {failed} stopped by an error" if failed else "")
                 + (f"; wins: {wins}" if wins and play["finished"] else ""))
    return text


def run_lint(paths: list[str], games: int, jobs: int, as_json: bool) -> int:
    """Lint every path; print the report; the exit status."""
    reports = [lint_one(p, games, jobs) for p in paths]
    if as_json:
        typer.echo(json.dumps([{k: v for k, v in r.items() if k not in ("text", "lines")}
                               for r in reports], indent=2))
    else:
        for r in reports:
            if not r["valid"]:
                typer.echo(r["text"])
                continue
            for line in r["lines"]:
                typer.echo(line)
            typer.echo(_summary(r))
    if any(not r["valid"] for r in reports):
        return 3  # as every scenario error of the command line
    return 1 if any(r["warnings"] for r in reports) else 0
