"""Engine speed and memory benchmarks (run by hand, not in the test suite).

    python benchmarks/bench.py [--scenario ID] [--games N] [--json]

Targets on the 2-core CI machine (issue #3): >= 1,000 random games/s (>= 100k actions/s) on one
core, clone <= 5 us, MCTS-style step (clone + legal + apply) <= 20 us, save <= 5 ms,
load+verify <= 10 ms, memory flat over 10,000 games.

"Random games" are played the way a search or batch run plays them: on the engine, choosing
uniformly among ``legal_actions`` of whoever the game waits for, applying with the unchecked
inner ``_apply`` (the checked ``apply`` is measured separately, as ``checked_actions_per_s``,
and so is the whole ``Game`` facade with its per-decision snapshots, ``facade_games_per_s``).

Run it in a venv with the compiled engine (docs/performance.md) to measure that build; the
report says which engine ran. Times are CPU time of this process (``time.process_time``), so
a busy machine slows the figures less than wall-clock time would; on an idle machine the two
agree. Rates are the best of three runs of the same games; micro-timings the median of five.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from game.engine import core
from game.engine.core import Engine
from game.engine.rules import Rules
from game.scenario.compile import load_rules
from game.session import Game


def random_game(rules: Rules, seed: int, rng: random.Random, checked: bool = False) -> int:
    """Play one game with uniform random choices; return the number of actions."""
    eng = Engine.new(rules, seed)
    n = 0
    apply = eng.apply if checked else eng._apply
    while not eng.state.over:
        who = eng.to_move()
        assert who is not None
        legal = eng.legal_actions(who)
        apply(legal[int(rng.random() * len(legal))])
        n += 1
    return n


def games_per_second(rules: Rules, games: int, checked: bool = False,
                     repeat: int = 3) -> tuple[float, float]:
    """Games and actions per second over ``games`` games: the best of ``repeat`` runs of the
    same games (as ``timeit`` does: the fastest run is the one least disturbed)."""
    best = 0.0
    actions = 0
    for _ in range(repeat):
        rng = random.Random(1)
        start = time.process_time()
        actions = sum(random_game(rules, s, rng, checked) for s in range(games))
        best = max(best, 1 / (time.process_time() - start))
    return games * best, actions * best


def facade_games_per_second(scenario: str, games: int) -> float:
    start = time.process_time()
    for s in range(games):
        Game.new(scenario, s, "all=random").run_agents()
    return games / (time.process_time() - start)


def mid_game(rules: Rules, seed: int = 3) -> Engine:
    """A game in its first orders phase with a player to move (where search happens)."""
    eng = Engine.new(rules, seed)
    rng = random.Random(seed)
    while not eng.state.over:
        who = eng.to_move()
        assert who is not None
        if who != "control" and eng.phase.kind.value == "orders" and len(
                eng.legal_actions(who)) > 2:
            return eng
        legal = eng.legal_actions(who)
        eng._apply(legal[rng.randrange(len(legal))])
    raise RuntimeError("no orders phase found")


def micro(fn: Any, repeat: int = 20_000) -> float:
    """Median of 5 runs of ``repeat`` calls, in microseconds per call."""
    runs = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(repeat):
            fn()
        runs.append((time.process_time() - start) / repeat * 1e6)
    return statistics.median(runs)


def mcts_step(eng: Engine, rng: random.Random) -> None:
    sim = eng.clone()
    who = sim.waiting_for()[0]
    legal = sim.legal_actions(who)
    sim._apply(legal[rng.randrange(len(legal))])


def save_load(scenario: str) -> tuple[float, float, int]:
    g = Game.new(scenario, 5, "all=random")
    g.run_agents()
    folder = Path(tempfile.mkdtemp())
    path = folder / "bench.json"
    saves, loads = [], []
    for _ in range(15):
        start = time.process_time()
        g.save(path)
        saves.append(time.process_time() - start)
        start = time.process_time()
        Game.load(path)
        loads.append(time.process_time() - start)
    return statistics.median(saves) * 1e3, statistics.median(loads) * 1e3, path.stat().st_size


def memory(rules: Rules, games: int) -> dict[str, float]:
    """Traced memory (MB) over ``games`` games: the peak during the first and during the last
    tenth of them (flat memory: the two agree), the peak overall, and what is still held
    after the last game once the collector has run (a leak would show here).

    CPython keeps freed small tuples on free lists for reuse and tracemalloc counts them as
    held, so the peaks include those lists filling up (bounded, and emptied by
    ``gc.collect()``, which runs before each tenth)."""
    gc.collect()
    tracemalloc.start()
    rng = random.Random(2)
    tenth = max(games // 10, 1)
    first = overall = 0.0
    for s in range(games):
        if s == games - tenth:
            overall = tracemalloc.get_traced_memory()[1]
            gc.collect()  # both tenths start with empty free lists
            tracemalloc.reset_peak()
        random_game(rules, s, rng)
        if s == tenth - 1:
            first = tracemalloc.get_traced_memory()[1]
    last = tracemalloc.get_traced_memory()[1]
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"peak_mb": round(max(overall, last) / 1e6, 2),
            "peak_mb_first_10pct": round(first / 1e6, 2),
            "peak_mb_last_10pct": round(last / 1e6, 2),
            "held_mb_after": round(held / 1e6, 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scenario", default="tutorial")
    ap.add_argument("--games", type=int, default=2000)
    ap.add_argument("--memory-games", type=int, default=10_000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rules = load_rules(args.scenario)
    random_game(rules, 0, random.Random(0))  # warm up
    gps, aps = games_per_second(rules, args.games)
    _, checked_aps = games_per_second(rules, max(args.games // 4, 50), checked=True, repeat=1)
    eng = mid_game(rules)
    who = eng.to_move() or "control"
    rng = random.Random(0)
    save_ms, load_ms, save_bytes = save_load(args.scenario)
    mem = memory(rules, args.memory_games)
    out = {
        "scenario": args.scenario,
        "python": sys.version.split()[0],
        "engine": "python" if core.__file__.endswith(".py") else "compiled (mypyc)",
        "games_per_s": round(gps, 1),
        "actions_per_s": round(aps),
        "checked_actions_per_s": round(checked_aps),
        "facade_games_per_s": round(facade_games_per_second(args.scenario,
                                                            max(args.games // 10, 20)), 1),
        "clone_us": round(micro(eng.clone), 2),
        "legal_us": round(micro(lambda: eng.legal_actions(who)), 2),
        "mcts_step_us": round(micro(lambda: mcts_step(eng, rng)), 2),
        "save_ms": round(save_ms, 2),
        "load_ms": round(load_ms, 2),
        "save_bytes": save_bytes,
        **mem,
        "memory_games": args.memory_games,
    }
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:>24}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
