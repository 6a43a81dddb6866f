"""A tournament of computer players (run by hand, not in the test suite).

    python benchmarks/tournament.py [--scenario ID] [--games N] [--kinds greedy,ismcts:1000,random]
                                    [--jobs J] [--json]

For each player team and each kind, N games (seeds 1..N) with that team played by the kind
and every other seat greedy (the control-cell actors too, with the automatic umpire): the share
of games the team wins (ties split), with a 95 % Wilson interval, and the ISMCTS search speed
(iterations per second of CPU, time per decision). Target (issue 14): ismcts:1000 wins a clearly
larger share than greedy in the same seat, and beats random by more still.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from game.agents.ismcts import IsmctsAgent
from game.session import Game


def wilson(wins: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a share."""
    if n == 0:
        return 0.0, 1.0
    p = wins / n
    d = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, centre - half), min(1.0, centre + half)


def play(scenario: str, team: str, kind: str, seed: int) -> dict[str, Any]:
    seats = f"all=greedy,{team}={kind},control=auto"
    g = Game.new(scenario, seed=seed, seats=seats)
    agent = g._agents.get(team)
    iterations = decisions = 0
    thinking = 0.0
    while not g.is_over:
        t0 = time.process_time()
        if not g.step_agent():
            break
        if isinstance(agent, IsmctsAgent) and agent.iterations:
            thinking += time.process_time() - t0
            iterations += agent.iterations
            decisions += 1
            agent.iterations = 0
    r = g.result()
    share = 1 / len(r.winners) if team in r.winners else 0.0
    return {"team": team, "kind": kind, "seed": seed, "win": share, "iterations": iterations,
            "decisions": decisions, "thinking_s": thinking}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="kursk-2024")
    ap.add_argument("--games", type=int, default=200)
    ap.add_argument("--kinds", default="greedy,ismcts:1000,random")
    ap.add_argument("--teams", default="")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rules = Game.new(args.scenario).rules
    teams = args.teams.split(",") if args.teams else [a.id for a in rules.actors if a.is_player]
    kinds = args.kinds.split(",")
    work = [(args.scenario, t, k, s) for t in teams for k in kinds for s in range(1, args.games + 1)]
    with ProcessPoolExecutor(args.jobs) as pool:
        records = list(pool.map(play, *zip(*work, strict=True)))
    out = []
    for t in teams:
        for k in kinds:
            mine = [r for r in records if r["team"] == t and r["kind"] == k]
            wins = sum(r["win"] for r in mine)
            lo, hi = wilson(wins, len(mine))
            row: dict[str, Any] = {"team": t, "kind": k, "games": len(mine),
                                   "win_share": round(wins / len(mine), 3),
                                   "ci95": [round(lo, 3), round(hi, 3)]}
            its = sum(r["iterations"] for r in mine)
            if its:
                think = sum(r["thinking_s"] for r in mine)
                row["iterations_per_s"] = round(its / think)
                row["s_per_decision"] = round(think / sum(r["decisions"] for r in mine), 3)
            out.append(row)
    if args.json:
        print(json.dumps({"scenario": args.scenario, "rows": out}))
        return
    print(f"{args.scenario}: {args.games} games per team and kind, others greedy")
    for row in out:
        extra = (f"  {row['iterations_per_s']} it/s, {row['s_per_decision']} s/decision"
                 if "iterations_per_s" in row else "")
        print(f"  {row['team']:>5} {row['kind']:<12} wins {row['win_share']:.1%}"
              f"  [{row['ci95'][0]:.1%}, {row['ci95'][1]:.1%}]{extra}")


if __name__ == "__main__":
    main()
