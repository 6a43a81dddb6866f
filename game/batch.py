"""Batch runs: many headless games of one scenario, in parallel, summed up for analysts.

    powerplay batch kursk-2024 --games 1000 --seats all=greedy --jobs 2 --out runs.jsonl

Game ``k`` of a batch is the game of seed ``first_seed + k`` with the given seats, exactly as
``powerplay run --seed`` would play it (same log digest), whatever the number of processes;
records come back in seed order. Each record is the final state of one game in plain JSON (one
line each in ``--out``); the summary gives per player the share of wins (a tie splits the win),
the score distribution, how games ended and how long they ran.

>>> records = list(play_batch("tutorial", range(3), "all=random", jobs=1))
>>> [r["seed"] for r in records], summarize(records, ["NORTH", "SOUTH"])["games"]
([0, 1, 2], 3)
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from multiprocessing import Pool
from typing import Any

from game.session import Game, SeatError


def game_record(g: Game) -> dict[str, Any]:
    """One game's outcome as plain JSON: seed, seats, turns, how it ended, the true final
    tracks, every actor's score, the winners, the number of decisions and the log digest."""
    s = g.engine.state
    result = g.result()
    return {
        "scenario": g.rules.id, "seed": g.seed, "seats": g.seats,
        "turns_played": s.turn if s.over else s.turn - 1,
        "over": s.over, "end_reason": s.end_reason,
        "tracks": {t.id: s.tracks[t.idx] for t in g.rules.tracks},
        "scores": result.scores,
        "winners": list(result.winners) if s.over else [],
        "decisions": len(g.decisions),
        "log_digest": g.log_digest(),
    }


def play_one(scenario: str, seed: int, seats: str, no_dice: bool = False) -> dict[str, Any]:
    """Play one game to its end with computer seats; its record."""
    g = Game.new(scenario, seed, seats, no_dice=no_dice)
    if any(kind == "human" for kind in g.seats.values()):
        raise SeatError("every seat of a batch must be a computer seat (e.g. --seats "
                        "all=random); the umpire seat 'control' must be 'auto'")
    g.run_agents()
    return game_record(g)


def _play(job: tuple[str, int, str, bool]) -> dict[str, Any]:
    return play_one(*job)


def play_batch(scenario: str, seeds: Iterable[int], seats: str, *, jobs: int = 1,
               no_dice: bool = False) -> Iterator[dict[str, Any]]:
    """The records of the games of ``seeds``, in that order, played in ``jobs`` processes."""
    work = [(scenario, seed, seats, no_dice) for seed in seeds]
    if jobs <= 1 or len(work) <= 1:
        yield from map(_play, work)
        return
    with Pool(jobs) as pool:
        yield from pool.imap(_play, work, chunksize=max(1, min(32, len(work) // (jobs * 8))))


def summarize(records: Iterable[dict[str, Any]], players: Iterable[str]) -> dict[str, Any]:
    """What a batch came to: per player the share of wins (ties split); per actor the mean,
    spread and range of the score; how the games ended; turns and decisions."""
    records = list(records)
    wins: dict[str, float] = {}
    scores: dict[str, list[float]] = {}
    for r in records:
        for actor, points in r["scores"].items():
            scores.setdefault(actor, []).append(points)
        for w in r["winners"]:
            wins[w] = wins.get(w, 0.0) + 1 / len(r["winners"])
    n = len(records)
    return {
        "games": n,
        "win_share": {a: round(wins.get(a, 0.0) / n, 4) if n else 0.0 for a in players},
        "scores": {a: {"mean": round(statistics.fmean(v), 3),
                       "sd": round(statistics.pstdev(v), 3),
                       "min": min(v), "max": max(v)} for a, v in sorted(scores.items())},
        "end_reasons": dict(Counter(r["end_reason"] or "unfinished" for r in records)
                            .most_common()),
        "mean_turns": round(statistics.fmean(r["turns_played"] for r in records), 2) if n else 0,
        "mean_decisions": round(statistics.fmean(r["decisions"] for r in records), 1) if n else 0,
    }
