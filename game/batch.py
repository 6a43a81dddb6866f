"""Batch runs: many headless games of one scenario, in parallel, summed up for analysts.

    powerplay batch kursk-2024 --games 1000 --seats all=greedy --jobs 2 --out runs.jsonl
    powerplay batch kursk-2024 --games 1000 --scheduler tcp://10.0.0.5:8786 --tables stats/

Game ``k`` of a batch is the game of seed ``first_seed + k`` with the given seats, exactly as
``powerplay run --seed`` would play it (same log digest), whatever runs it — one process, local
processes, or the workers of a Dask cluster (:func:`run_ordered`); records come back in seed
order. Each record is the final state of one game in plain JSON (one line each in ``--out``):
tracks, scores, the points of each objective and, per team and move, how often it was chosen
and how it came out. The summary (:class:`Tally`) gives per player the share of wins (a tie
splits the win) and the score distribution, per move its use and outcomes, per objective its
points, per track its distribution at the end, how games ended and how long they ran — as tidy
tables (:meth:`Tally.tables`) for a spreadsheet or pandas.

>>> records = list(play_batch("tutorial", range(3), "all=random", jobs=1))
>>> [r["seed"] for r in records], summarize(records, ["NORTH", "SOUTH"])["games"]
([0, 1, 2], 3)
"""

from __future__ import annotations

import itertools
import math
import multiprocessing.pool
import re
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import Pool
from typing import Any, TypeVar

from game.engine import wording as W
from game.engine.errors import EngineError
from game.engine.log import Kind
from game.engine.rules import Rules
from game.session import Game, SeatError


def game_record(g: Game) -> dict[str, Any]:
    """One game's outcome as plain JSON: seed, seats, turns, how it ended, the true final
    tracks, every actor's score, each objective's points, the winners, the moves each team
    chose and how they came out, the number of decisions and the log digest."""
    s = g.engine.state
    result = g.result()
    return {
        "scenario": g.rules.id, "seed": g.seed, "seats": g.seats,
        "turns_played": s.turn if s.over else s.turn - 1,
        "over": s.over, "end_reason": s.end_reason,
        "tracks": {t.id: s.tracks[t.idx] for t in g.rules.tracks},
        "scores": result.scores,
        "objectives": {o.id: s.scores[o.idx] for o in g.rules.objectives},
        "winners": list(result.winners) if s.over else [],
        "moves": moves_made(g),
        "decisions": len(g.decisions),
        "log_digest": g.log_digest(),
    }


def moves_made(g: Game) -> dict[str, dict[str, dict[str, Any]]]:
    """Per actor and move: how many orders were given (``chosen``, retracted ones left out)
    and how many came out each way (``outcomes``, by outcome id; an order the game ended
    before resolving has none), from the log."""
    given: dict[int, tuple[str, str]] = {}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for e in g.engine.entries((Kind.ORDER, Kind.RETRACT, Kind.OUTCOME)):
        if e.kind is Kind.ORDER:
            given[e.get("order")] = (e.get("actor"), e.get("move"))
        elif e.kind is Kind.RETRACT:
            given.pop(e.get("order"), None)
        else:
            slot = out.setdefault(e.get("actor"), {}).setdefault(
                e.get("move"), {"chosen": 0, "outcomes": {}})
            slot["outcomes"][e.get("outcome")] = slot["outcomes"].get(e.get("outcome"), 0) + 1
    for actor, move in given.values():
        out.setdefault(actor, {}).setdefault(move, {"chosen": 0, "outcomes": {}})["chosen"] += 1
    return {a: dict(sorted(ms.items())) for a, ms in sorted(out.items())}


@dataclass(frozen=True)
class ScenarioSource:
    """A scenario as text, with the path its messages name: what a worker process or a
    cluster machine compiles, so it needs no copy of the file and every worker names the same
    file and line in an error."""

    text: str
    shown: str

    @classmethod
    def of(cls, ref: str) -> ScenarioSource:
        """The source of the scenario with id or path ``ref`` (checked: it must load)."""
        from game.fileio import read_text
        from game.scenario.compile import load_rules
        from game.scenario.load import _shown, find_scenario
        from game.scenario.yamlio import MAX_BYTES

        load_rules(ref)  # a scenario that does not load fails here, once, with its message
        path = find_scenario(ref)
        return cls(read_text(path, what="scenario", limit=MAX_BYTES), _shown(path))

    def rules(self) -> Rules:
        """The compiled rules (once per process)."""
        key = (self.shown, len(self.text), hash(self.text))
        rules = _RULES.get(key)
        if rules is None:
            from game.scenario.compile import compile_rules
            from game.scenario.load import load_text

            rules = _RULES[key] = compile_rules(load_text(self.text, self.shown))
        return rules


_RULES: dict[tuple[str, int, int], Rules] = {}


@dataclass(frozen=True)
class BatchSetup:
    """What every game of a batch shares."""

    source: ScenarioSource
    seats: str
    no_dice: bool = False
    ref: str = ""


def play_one(scenario: str, seed: int, seats: str, no_dice: bool = False) -> dict[str, Any]:
    """Play one game to its end with computer seats; its record (see :func:`play_seed`)."""
    return play_seed(BatchSetup(ScenarioSource.of(scenario), seats, no_dice, scenario), seed)


def play_seed(setup: BatchSetup, seed: int) -> dict[str, Any]:
    """Play the game of ``seed`` to its end with computer seats; its record. A rule that
    fails during the game (e.g. an expression dividing by zero) ends that game only: its
    record says where (``error``: code, message with the scenario position, turn) and the
    batch goes on."""
    g = Game.from_rules(setup.source.rules(), seed, setup.seats, no_dice=setup.no_dice,
                        scenario_ref=setup.ref or setup.source.shown)
    if any(kind == "human" for kind in g.seats.values()):
        raise SeatError("every seat of a batch must be a computer seat (e.g. --seats "
                        "all=random); the umpire seat 'control' must be 'auto'")
    try:
        g.run_agents()
    except EngineError as exc:
        return failed_record(g, exc)
    return game_record(g)


def failed_record(g: Game, exc: EngineError) -> dict[str, Any]:
    """The record of a game a rule failed in: seed, turn, code and message."""
    return {"scenario": g.rules.id, "seed": g.seed, "seats": g.seats,
            "turn": g.engine.state.turn, "decisions": len(g.decisions),
            "error": {"code": exc.code, "message": exc.message}}


def play_batch(scenario: str, seeds: Iterable[int], seats: str, *, jobs: int = 1,
               no_dice: bool = False, scheduler: str | None = None
               ) -> Iterator[dict[str, Any]]:
    """The records of the games of ``seeds``, in that order, played in ``jobs`` local
    processes, or on the Dask cluster whose scheduler is at ``scheduler``.

    The seeds are taken as the games are played, a window at a time, so a batch of a billion
    games holds no more than a window's work in memory."""
    setup = BatchSetup(ScenarioSource.of(scenario), seats, no_dice, scenario)
    return run_ordered(play_seed, setup, seeds, jobs=jobs, scheduler=scheduler)


# ---------------------------------------------------------------- where the games run

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")


class ClusterError(EngineError):
    """A Dask cluster that cannot be used: a bad address, no scheduler answering, a worker
    that cannot run the games."""

    default_code = "cluster/error"


CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler to answer."""
WORKER_TIMEOUT = 30.0
"""Seconds to wait for a first worker to join the scheduler."""
_ADDRESS = re.compile(r"^(?:(tcp|tls|inproc|ucx|ws|wss)://)?([^\s/:]+|\[[0-9a-fA-F:]+\])"
                      r"(?::(\d{1,5}))?(?:/[\w.-]*)*$")


def check_address(address: str) -> str:
    """A scheduler address as Dask takes it ('tcp://host:8786', 'host:8786', 'inproc://...');
    a ClusterError saying what an address looks like otherwise.

    >>> check_address("10.0.0.5:8786"), check_address("tcp://sched.lan:8786")
    ('10.0.0.5:8786', 'tcp://sched.lan:8786')
    """
    m = _ADDRESS.match(address.strip())
    port = m.group(3) if m else None
    if (not m or len(address) > 300 or (port is not None and not 0 < int(port) < 65536)
            or (m.group(1) in (None, "tcp", "tls") and port is None)):
        raise ClusterError("cluster/bad-address",
                           f"'{address[:80]}' is not a scheduler address: give one like "
                           "tcp://HOST:8786 (what 'dask scheduler' prints)")
    return address.strip()


def connect(address: str, timeout: float | None = None) -> Any:
    """A Dask client of the scheduler at ``address`` (distributed's ``Client``)."""
    address = check_address(address)
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError("cluster/not-installed",
                           "--scheduler needs Dask distributed: pip install 'powerplay[cluster]'"
                           ) from None
    try:
        return Client(address, timeout=timeout or CONNECT_TIMEOUT,  # type: ignore[no-untyped-call]
                      set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = " ".join(str(exc).split())[:160]
        raise ClusterError("cluster/unreachable",
                           f"no Dask scheduler answers at {address} ({detail}); start one with "
                           "'dask scheduler' and its workers with 'dask worker ADDRESS' "
                           "(docs/cluster.md)") from None


def run_ordered(fn: Callable[[S, T], R], shared: S, tasks: Iterable[T], *, jobs: int = 1,
                scheduler: str | None = None, window: int | None = None,
                chunksize: int | None = None) -> Iterator[R]:
    """``fn(shared, task)`` for each task, results in the tasks' order: in this process
    (``jobs`` 1), in ``jobs`` local processes, or on the Dask cluster at ``scheduler``.
    ``fn`` must be a module-level function; ``shared`` is sent to each worker once. Local
    processes take ``chunksize`` tasks at a time (by default up to 32, for short games;
    long tasks want 1, so that no process idles while another finishes a chunk)."""
    if scheduler is not None:
        yield from _on_cluster(fn, shared, tasks, scheduler, window or CLUSTER_WINDOW)
    elif jobs <= 1:
        yield from (fn(shared, t) for t in tasks)
    else:
        with fork_pool(jobs, _remember, (fn, shared)) as pool:
            it = iter(tasks)
            while batch := list(itertools.islice(it, window or WINDOW)):
                yield from pool.imap(_call, batch, chunksize=chunksize or max(
                    1, min(32, len(batch) // (jobs * 8))))


_WORK: list[Any] = []
"""The function and shared value of this worker process (set by the pool's initializer)."""


_STOPS = {signal.SIGTERM, signal.SIGINT}


def fork_pool(jobs: int, initializer: Callable[..., None] | None = None,
              initargs: tuple[Any, ...] = ()) -> multiprocessing.pool.Pool:
    """A pool of ``jobs`` worker processes whose initializer (``plain_signals`` unless it
    calls it itself) gives SIGTERM and SIGINT their default actions. The workers are forked
    with both signals blocked: one that reaches a worker before its initializer has run
    waits, and the initializer lets it through. Without the block a worker not yet
    initialized ran this process's own handler, so a pool ended early (its tasks done before
    the second worker started) sent a SIGTERM that the worker ignored, and terminate() waited
    for ever (seen in CI)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        return Pool(jobs, initializer=initializer or plain_signals, initargs=initargs)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _remember(fn: Callable[[Any, Any], Any], shared: Any) -> None:
    plain_signals()
    _WORK[:] = [fn, shared]


def plain_signals() -> None:
    """In a forked worker process: SIGTERM and SIGINT do what they do by default, and are let
    through if the fork blocked them. A worker is a fork of a process that may have set its
    own handlers (a test runner, a Dask client, a server), and a fork can inherit a lock
    another thread held at that moment; with a Python handler the pool's terminate() then
    waited for ever on a worker stuck on that lock (seen in CI), while the default action
    ends it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


def _call(task: Any) -> Any:
    fn, shared = _WORK
    return fn(shared, task)


def _on_cluster(fn: Callable[[S, T], R], shared: S, tasks: Iterable[T], scheduler: str,
                window: int) -> Iterator[R]:
    """Tasks on a Dask cluster, a window at a time (the next window is handed out while the
    results of this one come back), results in order."""
    client = connect(scheduler)
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except (OSError, TimeoutError):
            raise ClusterError("cluster/no-workers",
                               f"the scheduler at {scheduler} has no workers (none came in "
                               f"{WORKER_TIMEOUT:g} s); start some with 'dask worker "
                               f"{scheduler}'") from None
        try:
            ref = client.scatter(shared, broadcast=True, hash=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError("cluster/unreachable", f"the scheduler at {scheduler} stopped "
                                                      f"answering ({exc})") from None
        it = iter(tasks)

        def submit() -> list[Any]:
            batch = list(itertools.islice(it, window))
            return client.map(fn, [ref] * len(batch), batch, pure=False) if batch else []

        current = submit()
        while current:
            ahead = submit()
            for future in current:
                yield _result(future, scheduler)
            current = ahead
    finally:
        client.close()


def _result(future: Any, scheduler: str) -> Any:
    """A task's result; a failure of the cluster (not of the game) as a ClusterError."""
    from game.agents.basic import ScriptError

    try:
        return future.result()
    except (EngineError, SeatError, ScriptError):  # the game's own refusals keep their type
        raise
    except Exception as exc:
        detail = " ".join(str(exc).split())[:200]
        raise ClusterError("cluster/worker-failed",
                           f"a worker of {scheduler} could not run a game ({type(exc).__name__}: "
                           f"{detail}); each worker needs this version of powerplay installed"
                           ) from None


WINDOW = 4096
"""Games handed to the local processes at a time."""
CLUSTER_WINDOW = 1024
"""Games handed to a cluster at a time (two windows are out at once)."""


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

    @property
    def sd(self) -> float:
        return math.sqrt(self.m2 / self.n) if self.n else 0.0

    def summary(self) -> dict[str, float]:
        return {"mean": round(self.mean, 3), "sd": round(self.sd, 3), "min": self.lo,
                "max": self.hi}

    def rounded(self, precision: int) -> dict[str, float]:
        """Mean and spread one place finer than ``precision``, the range at it."""
        if not self.n:
            return {"mean": 0.0, "sd": 0.0, "min": 0.0, "max": 0.0}
        return {"mean": _round(self.mean, precision + 1), "sd": _round(self.sd, precision + 1),
                "min": _round(self.lo, precision), "max": _round(self.hi, precision)}


def _round(x: float, places: int) -> float:
    """``x`` at ``places`` decimals, without float noise or '-0'."""
    return float(W.number(x, places))


@dataclass
class Tally:
    """A batch's summary built one record at a time (records need not be kept). With the
    scenario's ``rules`` it also counts the moves, objectives and final tracks, for
    :meth:`tables`."""

    rules: Rules | None = None
    n: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    """The games a rule failed in: seed, turn, code and message (the first 100 are kept)."""
    failures: int = 0
    wins: dict[str, float] = field(default_factory=dict)
    scores: dict[str, Spread] = field(default_factory=dict)
    ends: Counter[str] = field(default_factory=Counter)
    turns: int = 0
    decisions: int = 0
    moves: dict[tuple[str, str], MoveUse] = field(default_factory=dict)
    objectives: dict[str, Spread] = field(default_factory=dict)
    tracks: dict[str, Counter[float]] = field(default_factory=dict)
    """Per track, how many games ended at each value (at the track's declared precision)."""

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
        if self.rules is not None:
            self._add_details(r, self.rules)

    def _add_details(self, r: dict[str, Any], rules: Rules) -> None:
        for actor, moves in r.get("moves", {}).items():
            for move, made in moves.items():
                self.moves.setdefault((actor, move), MoveUse()).add(made)
        for oid, points in r.get("objectives", {}).items():
            self.objectives.setdefault(oid, Spread()).add(points)
        for t in rules.tracks:
            if t.id in r["tracks"]:
                value = round(r["tracks"][t.id], t.precision)
                self.tracks.setdefault(t.id, Counter())[value] += 1

    def summary(self, players: Iterable[str]) -> dict[str, Any]:
        n = self.n
        out = {
            "games": n,
            "win_share": {a: round(self.wins.get(a, 0.0) / n, 4) if n else 0.0 for a in players},
            "scores": {a: v.summary() for a, v in sorted(self.scores.items())},
            "end_reasons": dict(self.ends.most_common()),
            "mean_turns": round(self.turns / n, 2) if n else 0,
            "mean_decisions": round(self.decisions / n, 1) if n else 0,
            "failed_games": self.failures,
            "failures": self.failed,
        }
        if self.rules is not None:
            out["tables"] = self.tables(players)
        return out

    def tables(self, players: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """The summary as tidy tables (one row per observation, ids beside names, numbers
        at the declared precision — a mean or spread one place finer), for CSV and pandas:
        ``teams``, ``moves``, ``objectives``, ``tracks`` and ``track_values``."""
        assert self.rules is not None, "tables need the scenario's rules"
        return {"teams": self._teams(self.rules, list(players)),
                "moves": self._moves(self.rules),
                "objectives": self._objectives(self.rules),
                "tracks": [row for t in self.rules.tracks if t.id in self.tracks
                           for row in [track_row(t, self.tracks[t.id])]],
                "track_values": [row for t in self.rules.tracks if t.id in self.tracks
                                 for row in value_rows(t, self.tracks[t.id])]}

    def _teams(self, rules: Rules, players: list[str]) -> list[dict[str, Any]]:
        p = rules.score_precision
        return [{"team": a, "team_name": W.actor_name(rules, a), "games": self.n,
                 "win_share": round(self.wins.get(a, 0.0) / self.n, 4) if self.n else 0.0,
                 **self.scores.get(a, Spread()).rounded(p)} for a in players]

    def _moves(self, rules: Rules) -> list[dict[str, Any]]:
        rows = []
        order = {(a.id, m.id): (a.idx, m.idx) for a in rules.actors for m in rules.moves}
        for (actor, move), use in sorted(self.moves.items(),
                                         key=lambda kv: order.get(kv[0], (999, 999))):
            head = {"team": actor, "team_name": W.actor_name(rules, actor), "move": move,
                    "move_name": W.move_name(rules, move), "chosen": use.chosen,
                    "per_game": round(use.chosen / self.n, 3) if self.n else 0.0,
                    "games_chosen_share": round(use.games / self.n, 4) if self.n else 0.0}
            resolved = sum(use.outcomes.values())
            mi = rules.move_index.get(move)
            rank = {o.id: o.idx for o in rules.moves[mi].outcomes} if mi is not None else {}
            outcomes = sorted(use.outcomes.items(), key=lambda kv: (rank.get(kv[0], 99), kv[0]))
            if use.chosen > resolved:
                outcomes.append(("unresolved", use.chosen - resolved))
            for oid, count in outcomes:
                rows.append({**head, "outcome": oid,
                             "outcome_name": "not resolved before the end" if oid == "unresolved"
                             else W.outcome_name(rules, move, oid),
                             "count": count, "share": round(count / use.chosen, 4)
                             if use.chosen else 0.0})
        return rows

    def _objectives(self, rules: Rules) -> list[dict[str, Any]]:
        p = rules.score_precision
        return [{"team": rules.actors[o.actor].id,
                 "team_name": rules.actors[o.actor].name, "objective": o.id,
                 "objective_name": o.name, "hidden": o.hidden,
                 **self.objectives[o.id].rounded(p)}
                for o in rules.objectives if o.id in self.objectives]


@dataclass
class MoveUse:
    """How one team used one move over the games: orders given, games it was given in, and
    its outcomes by id."""

    chosen: int = 0
    games: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    def add(self, made: dict[str, Any]) -> None:
        self.chosen += made["chosen"]
        self.games += made["chosen"] > 0
        self.outcomes.update(made["outcomes"])


def quantile(counts: Counter[float], q: float) -> float:
    """The ``q`` quantile (lower value at a tie) of values counted in ``counts``.

    >>> quantile(Counter({1.0: 2, 3.0: 1, 5.0: 1}), 0.5)
    1.0
    """
    total = sum(counts.values())
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= q * total:
            return value
    return max(counts)


def track_row(t: Any, counts: Counter[float]) -> dict[str, Any]:
    """A track's distribution at the end in one row: mean, spread, range and deciles."""
    spread = Spread()
    for value, k in counts.items():
        for _ in range(k):
            spread.add(value)
    return {"track": t.id, "track_name": t.name, "unit": t.unit, "games": spread.n,
            **spread.rounded(t.precision),
            "p10": quantile(counts, 0.1), "median": quantile(counts, 0.5),
            "p90": quantile(counts, 0.9)}


def value_rows(t: Any, counts: Counter[float]) -> list[dict[str, Any]]:
    """A track's values at the end, each with the games that ended there and the rung."""
    total = sum(counts.values())
    rows = []
    for value in sorted(counts):
        rung = t.rung(value)
        rows.append({"track": t.id, "track_name": t.name, "value": value,
                     "shown": W.value(t, value), "rung": rung.name if rung else "",
                     "games": counts[value], "share": round(counts[value] / total, 4)})
    return rows


def write_tables(tables: dict[str, list[dict[str, Any]]], folder: Any, prefix: str
                 ) -> list[Any]:
    """Write tidy tables as CSV files ``PREFIX-NAME.csv`` into ``folder`` (each whole, through
    the atomic writer); their paths."""
    import csv
    import io
    from pathlib import Path

    from game.fileio import ensure_folder, write_text

    folder = ensure_folder(Path(folder), "tables folder")
    paths = []
    for name, rows in tables.items():
        out = io.StringIO(newline="")
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        paths.append(write_text(folder / f"{prefix}-{name}.csv", out.getvalue(), "table"))
    return paths


def summary_lines(tables: dict[str, list[dict[str, Any]]], rules: Rules) -> list[str]:
    """The moves, objectives and final tracks of a summary as lines people read: names,
    numbers at their declared precision."""
    p = rules.score_precision
    lines = ["Moves: how often each team chose them a game, and how they came out:"]
    team = move = ""
    for row in tables["moves"]:
        if row["team"] != team:
            team = row["team"]
            lines.append(f"  {row['team_name']}")
        if row["move"] != move or row["team"] != team:
            move = row["move"]
            outs = [f"{o['outcome_name']} {W.number(o['share'] * 100, 0)}%"
                    for o in tables["moves"] if o["team"] == team and o["move"] == move]
            lines.append(f"    {row['move_name']}: {W.number(row['per_game'], 2, trim=True)} a "
                         f"game (in {W.number(row['games_chosen_share'] * 100, 0)}% of games) "
                         f"— {', '.join(outs)}")
    lines.append("Objectives: points (mean ± spread, range):")
    for row in tables["objectives"]:
        hidden = " [hidden agenda]" if row["hidden"] and "hidden" not in row[
            "objective_name"].lower() else ""
        lines.append(f"  {row['team_name']} — {row['objective_name']}{hidden}: "
                     f"{W.number(row['mean'], p + 1, trim=True)} ± "
                     f"{W.number(row['sd'], p + 1, trim=True)} ({W.score(rules, row['min'])}.."
                     f"{W.score(rules, row['max'])})")
    lines.append("Tracks at the end: median (10%–90% of games), mean:")
    for row in tables["tracks"]:
        t = rules.tracks[rules.track_index[row["track"]]]
        unit = W.unit_after(t)
        if t.is_flag:
            lines.append(f"  {row['track_name']}: yes in {W.number(row['mean'] * 100, 0)}% of "
                         "games")
            continue
        lines.append(f"  {row['track_name']}: {W.value(t, row['median'])}{unit} "
                     f"({W.value(t, row['p10'])}–{W.value(t, row['p90'])}), mean "
                     f"{W.number(row['mean'], t.precision + 1)}")
    return lines


def summarize(records: Iterable[dict[str, Any]], players: Iterable[str],
              rules: Rules | None = None) -> dict[str, Any]:
    """What a batch came to: per player the share of wins (ties split); per actor the mean,
    spread and range of the score; how the games ended; turns and decisions; the games a rule
    failed in (not counted in the rest); with ``rules``, the tidy tables of
    :meth:`Tally.tables` too."""
    tally = Tally(rules)
    for r in records:
        tally.add(r)
    return tally.summary(players)
