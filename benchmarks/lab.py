"""Lab throughput: continuations a second in local processes and on a Dask cluster, and what
the cluster path costs over local processes (run by hand, not in the test suite).

    python benchmarks/lab.py [--scenario kursk-2024] [--turn 3] [--team EU] [--games 20]
                             [--alternatives all] [--workers 2] [--repeat R] [--json]

A save of the scenario at the start of ``--turn`` is made (seed 5, every seat greedy); the lab
forks it there and plays every alternative ``--games`` times, the seats greedy:

- locally in ``--workers`` processes (the ``--jobs`` path), and
- on a ``distributed.LocalCluster`` of ``--workers`` worker processes of one thread each,
  reached through its scheduler address as ``--scheduler`` reaches a real cluster.

Each path is timed from the first continuation handed out to the last record back (the fork
set-up and the cluster's start are timed apart), the two alternated ``--repeat`` times (medians
reported); the two must return the same records (checked). Overhead = cluster time / local
time - 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from game.batch import run_ordered
from game.lab import Lab, play_continuation
from game.session import Game


def timed(setup: Any, task: tuple[int, int]) -> tuple[dict[str, Any], float]:
    """A continuation's record and the CPU seconds its worker spent on it (the same work on
    either path; wall time is what the machine's other load and the cluster add)."""
    cpu = time.process_time()
    record = play_continuation(setup, task)
    return record, time.process_time() - cpu


def make_save(folder: Path, scenario: str, turn: int) -> Path:
    g = Game.new(scenario, 5, "all=greedy")
    while g.engine.state.turn < turn and not g.is_over:
        g.step_agent()
    return g.save(folder / f"{scenario}-turn{turn}.json")


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    with tempfile.TemporaryDirectory() as tmp:
        save = make_save(Path(tmp), args.scenario, args.turn)
        start = time.perf_counter()
        lab = Lab.from_save(save, turn=args.turn, team=args.team, seats="all=greedy",
                            alternatives=args.alternatives, games=args.games)
        setup_s = time.perf_counter() - start
    n = len(lab.alternatives) * len(lab.seeds)

    local_times, cluster_times = [], []
    local_cpu: list[float] = []
    cluster_cpu: list[float] = []
    start = time.perf_counter()
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        with Client(cluster.scheduler_address) as client:  # workers up before timing
            client.wait_for_workers(args.workers)
        cluster_up_s = time.perf_counter() - start
        for _ in range(args.repeat):  # alternated, so a busy spell of the machine hits both
            start = time.perf_counter()
            local = list(run_ordered(timed, lab.setup, lab.tasks(), jobs=args.workers,
                                     chunksize=1))
            local_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            remote = list(run_ordered(timed, lab.setup, lab.tasks(),
                                      scheduler=cluster.scheduler_address))
            cluster_times.append(time.perf_counter() - start)
            local_cpu += [cpu for _, cpu in local]
            cluster_cpu += [cpu for _, cpu in remote]
    local_s, cluster_s = statistics.median(local_times), statistics.median(cluster_times)
    if [r for r, _ in remote] != [r for r, _ in local] or [r for r, _ in local] != lab.run():
        raise SystemExit("the cluster returned other records than the local processes")
    return {"scenario": args.scenario, "turn": args.turn, "team": lab.setup.team,
            "alternatives": len(lab.alternatives), "games_per_alternative": args.games,
            "continuations": n, "workers": args.workers, "fork_setup_s": round(setup_s, 2),
            "local_s": round(local_s, 2), "local_per_s": round(n / local_s, 2),
            "cluster_start_s": round(cluster_up_s, 2), "cluster_s": round(cluster_s, 2),
            "cluster_per_s": round(n / cluster_s, 2),
            "cluster_overhead": round(cluster_s / local_s - 1, 3), "same_records": True,
            "repeats": args.repeat, "local_runs_s": [round(x, 2) for x in local_times],
            "cluster_runs_s": [round(x, 2) for x in cluster_times],
            "cpu_per_continuation_local_s": round(statistics.median(local_cpu), 3),
            "cpu_per_continuation_cluster_s": round(statistics.median(cluster_cpu), 3),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="kursk-2024")
    ap.add_argument("--turn", type=int, default=3)
    ap.add_argument("--team", default="EU")
    ap.add_argument("--games", type=int, default=20)
    ap.add_argument("--alternatives", default="all")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1,
                    help="alternate the two paths this many times; report the medians")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    figures = measure(args)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    f = figures
    print(f"{f['scenario']}, fork at turn {f['turn']} ({f['team']}): {f['alternatives']} "
          f"alternatives x {f['games_per_alternative']} = {f['continuations']} continuations "
          f"(fork set-up {f['fork_setup_s']} s)")
    print(f"  local, {f['workers']} processes:     {f['local_s']:>7} s  "
          f"{f['local_per_s']:>6} continuations/s")
    print(f"  LocalCluster, {f['workers']} workers:  {f['cluster_s']:>7} s  "
          f"{f['cluster_per_s']:>6} continuations/s  (cluster start {f['cluster_start_s']} s)")
    print(f"  cluster overhead against local processes: {f['cluster_overhead']:+.1%}; "
          "same records: yes")
    print(f"  CPU a continuation (median): local {f['cpu_per_continuation_local_s']} s, "
          f"cluster {f['cpu_per_continuation_cluster_s']} s; load average "
          f"{', '.join(map(str, f['load_average']))}; runs local {f['local_runs_s']} s, "
          f"cluster {f['cluster_runs_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
