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

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sized
from dataclasses import dataclass, field
from multiprocessing import Pool
from typing import Any

from game.engine.errors import EngineError
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
    """Play one game to its end with computer seats; its record. A rule that fails during
    the game (e.g. an expression dividing by zero) ends that game only: its record says
    where (``error``: code, message with the scenario position, turn) and the batch goes on."""
    g = Game.new(scenario, seed, seats, no_dice=no_dice)
    if any(kind == "human" for kind in g.seats.values()):
        raise SeatError("every seat of a batch must be a computer seat (e.g. --seats "
                        "all=random); the umpire seat 'control' must be 'auto'")
    try:
        g.run_agents()
    except EngineError as exc:
        return {"scenario": g.rules.id, "seed": seed, "seats": g.seats,
                "turn": g.engine.state.turn, "decisions": len(g.decisions),
                "error": {"code": exc.code, "message": exc.message}}
    return game_record(g)


def _play(job: tuple[str, int, str, bool]) -> dict[str, Any]:
    return play_one(*job)


def play_batch(scenario: str, seeds: Iterable[int], seats: str, *, jobs: int = 1,
               no_dice: bool = False) -> Iterator[dict[str, Any]]:
    """The records of the games of ``seeds``, in that order, played in ``jobs`` processes.

    The seeds are taken as the games are played, a window at a time, so a batch of a billion
    games holds no more than a window's work in memory."""
    work = ((scenario, seed, seats, no_dice) for seed in seeds)
    if jobs <= 1 or (isinstance(seeds, Sized) and len(seeds) <= 1):
        yield from map(_play, work)
        return
    with Pool(jobs) as pool:
        while window := list(itertools.islice(work, WINDOW)):
            yield from pool.imap(_play, window,
                                 chunksize=max(1, min(32, len(window) // (jobs * 8))))


WINDOW = 4096
"""Games handed to the processes at a time."""


@dataclass
class Spread:
    """Mean, population deviation and range of numbers seen one at a time (Welford)."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0
    lo: float = math.inf
    hi: float = -math.inf

    def add(self, x: float) -> None:
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self.m2 += delta * (x - self.mean)
        self.lo, self.hi = min(self.lo, x), max(self.hi, x)

    def summary(self) -> dict[str, float]:
        sd = math.sqrt(self.m2 / self.n) if self.n else 0.0
        return {"mean": round(self.mean, 3), "sd": round(sd, 3), "min": self.lo, "max": self.hi}


@dataclass
class Tally:
    """A batch's summary built one record at a time (records need not be kept)."""

    n: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    """The games a rule failed in: seed, turn, code and message (the first 100 are kept)."""
    failures: int = 0
    wins: dict[str, float] = field(default_factory=dict)
    scores: dict[str, Spread] = field(default_factory=dict)
    ends: Counter[str] = field(default_factory=Counter)
    turns: int = 0
    decisions: int = 0

    def add(self, r: dict[str, Any]) -> None:
        if "error" in r:
            self.failures += 1
            if len(self.failed) < 100:
                self.failed.append({"seed": r["seed"], "turn": r["turn"], **r["error"]})
            return
        self.n += 1
        for actor, points in r["scores"].items():
            self.scores.setdefault(actor, Spread()).add(points)
        for w in r["winners"]:
            self.wins[w] = self.wins.get(w, 0.0) + 1 / len(r["winners"])
        self.ends[r["end_reason"] or "unfinished"] += 1
        self.turns += r["turns_played"]
        self.decisions += r["decisions"]

    def summary(self, players: Iterable[str]) -> dict[str, Any]:
        n = self.n
        return {
            "games": n,
            "win_share": {a: round(self.wins.get(a, 0.0) / n, 4) if n else 0.0 for a in players},
            "scores": {a: v.summary() for a, v in sorted(self.scores.items())},
            "end_reasons": dict(self.ends.most_common()),
            "mean_turns": round(self.turns / n, 2) if n else 0,
            "mean_decisions": round(self.decisions / n, 1) if n else 0,
            "failed_games": self.failures,
            "failures": self.failed,
        }


def summarize(records: Iterable[dict[str, Any]], players: Iterable[str]) -> dict[str, Any]:
    """What a batch came to: per player the share of wins (ties split); per actor the mean,
    spread and range of the score; how the games ended; turns and decisions; the games a rule
    failed in (not counted in the rest)."""
    tally = Tally()
    for r in records:
        tally.add(r)
    return tally.summary(players)
