"""Headless play and replay for the command line (``powerplay run`` / ``powerplay replay``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from game.engine.errors import EngineError
from game.scenario.errors import ScenarioError
from game.session import Game, SeatError


def _turn_line(g: Game) -> str:
    s = g.engine.state
    scores = ", ".join(f"{a} {v:g}" for a, v in g.engine.actor_scores().items()
                       if g.rules.actors[g.rules.actor_index[a]].is_player)
    moves = [e for e in s.entries() if e.kind == "outcome" and e.turn == s.turn - (
        0 if s.over else 1)]
    made = ", ".join(f"{e.get('actor')}:{e.get('move')}={e.get('outcome')}" for e in moves)
    return f"turn {s.turn - (0 if s.over else 1)}: scores {scores}" + (
        f" | {made}" if made else "")


def run_headless(scenario: str, seed: int, seats: str | None, turns: int | None,
                 save: Path | None,
                 load: Path | None, as_json: bool, no_dice: bool) -> int:
    """Play with computer seats; print a summary per turn (or one JSON object)."""
    try:
        if load is not None:
            from game.saves import read_save

            g = read_save(load, seats=seats)
        else:
            g = Game.new(scenario, seed, seats or "all=random", no_dice=no_dice)
    except (ScenarioError, SeatError, EngineError, OSError) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if g.next_human() is not None or any(k == "human" for k in g.seats.values()):
        print("every seat must be a computer seat for 'run' (e.g. --seats all=random)",
              file=sys.stderr)
        return 2
    lines: list[str] = []
    if not as_json:
        g.on_turn_end.append(lambda game: lines.append(_turn_line(game)))
    try:
        while not g.is_over and (turns is None or g.engine.state.turn <= turns):
            if not g.step_agent():
                break
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:  # a script line that is not legal
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if save is not None:
        g.save(save)
    if as_json:
        print(json.dumps(_summary_json(g), indent=2))
    else:
        _print_summary(g, lines, save)
    return 0


def _summary_json(g: Game) -> dict[str, Any]:
    s = g.engine.state
    return {
        "scenario": g.rules.id, "seed": g.seed, "seats": g.seats,
        "turns_played": s.turn if s.over else s.turn - 1,
        "over": s.over, "end_reason": s.end_reason,
        "tracks": {t.id: s.tracks[t.idx] for t in g.rules.tracks},
        "scores": g.engine.actor_scores(),
        "decisions": len(g.decisions),
        "log_digest": g.log_digest(),
    }


def _print_summary(g: Game, lines: list[str], save: Path | None) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        console = Console()
        for line in lines:
            console.print(line)
        table = Table(title=g.result().summary if g.is_over else "Tracks (truth)")
        table.add_column("track")
        table.add_column("value", justify="right")
        for t in g.rules.tracks:
            table.add_row(t.name, f"{g.engine.state.tracks[t.idx]:g} {t.unit}".strip())
        console.print(table)
    else:
        print("\n".join(lines))
        print(g.result().summary if g.is_over else f"stopped at turn {g.engine.state.turn}")
    print(f"log digest: {g.log_digest()}")
    if save is not None:
        print(f"saved: {save}")


def replay_save(path: Path, verify: bool, as_json: bool) -> int:
    """Replay a save; exit 0 if it reproduces its snapshot."""
    from game.saves import SaveError
    from game.saves import verify as verify_save

    try:
        g, report = verify_save(path)
    except (SaveError, ScenarioError) as exc:
        if as_json:
            print(json.dumps({"path": str(path), "verified": False,
                              "code": getattr(exc, "code", "save/error"), "error": str(exc)}))
        else:
            print(str(exc), file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps(report, indent=2))
    elif verify:
        print(f"{path}: verified — {report['decisions']} decisions replay to the saved game "
              f"(turn {report['turn']}, log digest {report['log_digest'][:16]}…)")
    else:
        for e in g.engine.state.entries():
            from game.engine.describe import describe

            print(f"[t{e.turn}] {describe(g.rules, e)}")
    return 0
