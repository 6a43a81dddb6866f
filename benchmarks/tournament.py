"""A tournament of computer players (run by hand, not in the test suite).

    python benchmarks/tournament.py [--scenario ID] [--games N] [--first-seed S]
                                    [--kinds greedy,ismcts:1000,random] [--teams EU,ROK]
                                    [--set NAME=VALUE,...] [--jobs J] [--out FILE.jsonl] [--json]
    python benchmarks/tournament.py --summary FILE.jsonl [--json]

For each player team and each kind, N games (seeds S..S+N-1, from 1 by default) with that team
played by the kind and every other seat greedy (the control-cell actors too, with the automatic
umpire): the share of games the team wins (a tie split among the winners), with a 95 % Wilson
interval, its mean lead at the end (its points less the best other team's, with the standard error: finer than
the wins for comparing two players over few games), each kind's difference from greedy in the
same seat with a 95 % Newcombe interval, and the ISMCTS search speed (iterations per second of
CPU, CPU time per decision). Target (issue 14): ismcts:1000 wins a clearly larger share than
greedy in the same seat, and beats random by more still.

With ``--out`` every finished game is appended to the file as one JSON line at once, so a long
run can be watched (``--summary``) and, if stopped, resumed: games already in the file are not
played again. Games are handed out seed by seed across every team and kind, so a run stopped
early still has about as many games of each.

``--set`` plays a variant of the search: module constants of :mod:`game.agents.ismcts`
(e.g. ``--set HORIZON_TURNS=1,MODEL_OTHERS=1``) set in every worker, the variant written into the
kind of each record (``ismcts:1000[HORIZON_TURNS=1,MODEL_OTHERS=1]``), so one file can hold and
compare several.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
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


def newcombe(w1: float, n1: int, w2: float, n2: int) -> tuple[float, float]:
    """95 % interval of the difference of two shares (Newcombe 1998, method 10: from the two
    Wilson intervals)."""
    p1, p2 = w1 / n1, w2 / n2
    l1, u1 = wilson(w1, n1)
    l2, u2 = wilson(w2, n2)
    d = p1 - p2
    return (d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def engine_kind() -> str:
    from game.engine import core

    return "python" if core.__file__.endswith(".py") else "compiled (mypyc)"


def variant(text: str) -> dict[str, int | float]:
    """``NAME=VALUE,...`` to the module constants of game.agents.ismcts it sets (numbers; 0
    and 1 for False and True), or a ValueError naming what is wrong."""
    from game.agents import ismcts

    out: dict[str, int | float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        if not name.isupper() or not hasattr(ismcts, name):
            raise ValueError(f"--set {part}: game.agents.ismcts has no constant '{name}'")
        try:
            out[name] = int(value) if value.lstrip("-").isdigit() else float(value)
        except ValueError:
            raise ValueError(f"--set {part}: '{value}' is not a number") from None
    return out


def labelled(kind: str, settings: dict[str, int | float]) -> str:
    """The kind as the records name it: a variant's settings after an ismcts kind."""
    if not settings or not kind.startswith("ismcts"):
        return kind
    return f"{kind}[{','.join(f'{k}={v}' for k, v in settings.items())}]"


def play(scenario: str, team: str, kind: str, seed: int,
         settings: dict[str, int | float] | None = None) -> dict[str, Any]:
    if settings:
        from game.agents import ismcts

        for name, value in settings.items():
            setattr(ismcts, name, type(getattr(ismcts, name))(value))
    seats = f"all=greedy,{team}={kind},control=auto"
    start = time.process_time()
    g = Game.new(scenario, seed=seed, seats=seats)
    agent = g._agents.get(team)
    iterations = decisions = 0
    thinking = longest = 0.0
    while not g.is_over:
        t0 = time.process_time()
        if not g.step_agent():
            break
        if isinstance(agent, IsmctsAgent) and agent.iterations:
            took = time.process_time() - t0
            thinking += took
            longest = max(longest, took)
            iterations += agent.iterations
            decisions += 1
            agent.iterations = 0
    r = g.result()
    share = 1 / len(r.winners) if team in r.winners else 0.0
    players = {a.id for a in g.rules.actors if a.is_player}
    points = {k: v for k, v in g.engine.actor_scores().items() if k in players}
    return {"team": team, "kind": labelled(kind, settings or {}), "seed": seed, "win": share,
            "winners": list(r.winners), "points": points,
            "iterations": iterations, "decisions": decisions, "thinking_s": round(thinking, 4),
            "longest_decision_s": round(longest, 4),
            "game_s": round(time.process_time() - start, 4), "engine": engine_kind()}


def summarize(records: Iterable[dict[str, Any]], teams: list[str] | None = None,
              kinds: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per team and kind: games, win share and its interval, difference from greedy in
    the same seat, and the search's speed."""
    records = list(records)
    teams = teams or list(dict.fromkeys(r["team"] for r in records))
    kinds = kinds or list(dict.fromkeys(r["kind"] for r in records))
    out = []
    for t in teams:
        base = [r for r in records if r["team"] == t and r["kind"] == "greedy"]
        for k in kinds:
            mine = [r for r in records if r["team"] == t and r["kind"] == k]
            if not mine:
                continue
            wins = sum(r["win"] for r in mine)
            lo, hi = wilson(wins, len(mine))
            row: dict[str, Any] = {"team": t, "kind": k, "games": len(mine),
                                   "win_share": round(wins / len(mine), 3),
                                   "ci95": [round(lo, 3), round(hi, 3)]}
            leads = [r["points"][t] - max(v for p, v in r["points"].items() if p != t)
                     for r in mine if "points" in r]
            if len(leads) == len(mine) > 1:  # the team's points less the best other team's
                row["lead"] = round(statistics.mean(leads), 2)
                row["lead_se"] = round(statistics.stdev(leads) / math.sqrt(len(leads)), 2)
            if base and k != "greedy":
                d_lo, d_hi = newcombe(wins, len(mine), sum(r["win"] for r in base), len(base))
                row["vs_greedy"] = round(wins / len(mine) - sum(r["win"] for r in base)
                                         / len(base), 3)
                row["vs_greedy_ci95"] = [round(d_lo, 3), round(d_hi, 3)]
            its = sum(r["iterations"] for r in mine)
            if its:
                think = sum(r["thinking_s"] for r in mine)
                row["iterations_per_s"] = round(its / think)
                row["s_per_decision"] = round(think / sum(r["decisions"] for r in mine), 3)
                row["longest_decision_s"] = max(r.get("longest_decision_s", 0.0) for r in mine)
                row["s_per_game"] = round(sum(r.get("game_s", 0.0) for r in mine) / len(mine), 2)
            out.append(row)
    return out


def show(rows: list[dict[str, Any]], title: str) -> None:
    print(title)
    for row in rows:
        vs = (f"  vs greedy {row['vs_greedy']:+.1%} [{row['vs_greedy_ci95'][0]:+.1%}, "
              f"{row['vs_greedy_ci95'][1]:+.1%}]" if "vs_greedy" in row else "")
        extra = (f"  {row['iterations_per_s']} it/s, {row['s_per_decision']} s/decision "
                 f"(longest {row['longest_decision_s']} s), {row['s_per_game']} s/game"
                 if "iterations_per_s" in row else "")
        lead = (f"  lead {row['lead']:+.2f} ± {row['lead_se']:.2f}" if "lead" in row else "")
        print(f"  {row['team']:>5} {row['kind']:<12} {row['games']:>4} games  wins "
              f"{row['win_share']:.1%} [{row['ci95'][0]:.1%}, {row['ci95'][1]:.1%}]{vs}{lead}"
              f"{extra}")


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default="kursk-2024")
    ap.add_argument("--games", type=int, default=200, help="games per team and kind")
    ap.add_argument("--first-seed", type=int, default=1, help="the first game's seed")
    ap.add_argument("--kinds", default="greedy,ismcts:1000,random")
    ap.add_argument("--set", default="", help="a variant of the search: NAME=VALUE,... of "
                                              "game.agents.ismcts's constants")
    ap.add_argument("--teams", default="", help="player teams (default: all)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", type=Path, help="append each game to this JSON-lines file "
                                              "(and skip games already in it)")
    ap.add_argument("--summary", type=Path, help="only summarize this JSON-lines file")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.summary:
        records = read(args.summary)
        rows = summarize(records)
        scenario = args.scenario
    else:
        rules = Game.new(args.scenario).rules
        teams = args.teams.split(",") if args.teams else [a.id for a in rules.actors
                                                          if a.is_player]
        try:
            settings = variant(args.set)
        except ValueError as e:
            ap.error(str(e))
        kinds = args.kinds.split(",")
        records = read(args.out) if args.out else []
        done = {(r["team"], r["kind"], r["seed"]) for r in records}
        seeds = range(args.first_seed, args.first_seed + args.games)
        work = [(args.scenario, t, k, s, settings) for s in seeds for t in teams
                for k in kinds if (t, labelled(k, settings), s) not in done]
        sink = args.out.open("a") if args.out else None
        with ProcessPoolExecutor(args.jobs) as pool:
            futures = [pool.submit(play, *w) for w in work]
            for f in as_completed(futures):
                r = f.result()
                records.append(r)
                if sink is not None:
                    sink.write(json.dumps(r) + "\n")
                    sink.flush()
        if sink is not None:
            sink.close()
        kinds = [labelled(k, settings) for k in kinds]
        records = [r for r in records if r["team"] in teams and r["kind"] in kinds
                   and r["seed"] in seeds]
        rows = summarize(records, teams, kinds)
        scenario = args.scenario
    engines = sorted({r.get("engine", "python") for r in records})
    if args.json:
        print(json.dumps({"scenario": scenario, "engine": engines, "rows": rows}))
        return
    show(rows, f"{scenario}: games with the team played by each kind, every other seat greedy "
               f"(engine: {', '.join(engines)})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
