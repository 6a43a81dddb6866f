"""How fast the ISMCTS seat thinks (run by hand, not in the test suite).

    python benchmarks/ismcts_speed.py [--scenarios kursk-2024,tutorial] [--games 3]
                                      [--budget 1000] [--json]

For each scenario and each player team, ``--games`` games (seeds 1..N) with that team played
by ``ismcts:BUDGET`` and every other seat greedy (control cell: the automatic umpire). It reports
per scenario, in CPU time of this process (one core): search iterations per second, time per
decision (median, 95th percentile, longest) and per game; then, for each team's first decision
of game 1 searched again under tracemalloc, the memory of one search (the peak while it runs:
the tree and the sampled worlds) and the number of information sets in its tree. Run it in a
venv with the compiled engine (docs/performance.md) to measure that build; the report says which
engine ran.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import tracemalloc
from typing import Any

from game.agents.ismcts import IsmctsAgent
from game.session import Game


def engine_kind() -> str:
    from game.engine import core

    return "python" if core.__file__.endswith(".py") else "compiled (mypyc)"


def measure(scenario: str, games: int, budget: int) -> dict[str, Any]:
    teams = [a.id for a in Game.new(scenario).rules.actors if a.is_player]
    times: list[float] = []
    iterations = 0
    game_s: list[float] = []
    peaks: list[float] = []
    nodes: list[int] = []
    for team in teams:
        for seed in range(1, games + 1):
            g = Game.new(scenario, seed=seed,
                         seats=f"all=greedy,{team}=ismcts:{budget},control=auto")
            agent = g._agents[team]
            assert isinstance(agent, IsmctsAgent)
            start = time.process_time()
            while not g.is_over:
                t0 = time.process_time()
                if not g.step_agent():
                    break
                if agent.iterations:
                    times.append(time.process_time() - t0)
                    iterations += agent.iterations
                    agent.iterations = 0
            game_s.append(time.process_time() - start)
        # memory: the team's first decision of game 1 again, searched under tracemalloc
        g = Game.new(scenario, seed=1, seats=f"all=greedy,{team}=ismcts:{budget},control=auto")
        agent = g._agents[team]
        assert isinstance(agent, IsmctsAgent)
        while team not in g.waiting_for():
            g.step_agent()
        agent.reseed(0)
        options = [a for a in g.legal_actions(team) if a.verb != "retract"]
        tracemalloc.start()
        agent.search(g.engine, options)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
        tracemalloc.stop()
        nodes.append(agent.nodes)
    times.sort()
    return {"scenario": scenario, "budget": budget, "games": len(game_s),
            "decisions_timed": len(times),
            "iterations_per_s": round(iterations / sum(times)),
            "s_per_decision_median": round(statistics.median(times), 3),
            "s_per_decision_p95": round(times[int(0.95 * (len(times) - 1))], 3),
            "s_per_decision_max": round(times[-1], 3),
            "s_per_game": round(statistics.mean(game_s), 2),
            "tree_mb_peak_median": round(statistics.median(peaks), 2),
            "tree_mb_peak_max": round(max(peaks), 2),
            "tree_nodes_median": int(statistics.median(nodes))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenarios", default="kursk-2024,tutorial")
    ap.add_argument("--games", type=int, default=3, help="games per team")
    ap.add_argument("--budget", type=int, default=1000, help="iterations per decision")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = [measure(s, args.games, args.budget) for s in args.scenarios.split(",")]
    if args.json:
        print(json.dumps({"engine": engine_kind(), "rows": rows}))
        return
    print(f"engine: {engine_kind()}")
    for r in rows:
        print(f"  {r['scenario']}: ismcts:{r['budget']}, {r['games']} games, "
              f"{r['iterations_per_s']} iterations/s, decision median "
              f"{r['s_per_decision_median']} s, p95 {r['s_per_decision_p95']} s, longest "
              f"{r['s_per_decision_max']} s, {r['s_per_game']} s/game; one search's peak memory "
              f"{r['tree_mb_peak_median']} MB (max {r['tree_mb_peak_max']}), "
              f"{r['tree_nodes_median']} information sets")


if __name__ == "__main__":
    main()
