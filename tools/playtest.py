"""Playtest a scenario headless and write a report (default: kursk-2024).

    python tools/playtest.py                      # 2,000 games per seat mix, 2 processes
    python tools/playtest.py --games 200 --out /tmp/report.md

Three seat mixes are played: all-random, all-greedy and mixed (players alternate greedy and
random by seed). Control-cell actors (USA, UKR, CHN, JPN) are greedy in all-greedy and random in
the other mixes, and the umpire is the automatic one (it releases every inject and rules matrix
arguments at -1..+1). `--history-seeds N` also plays the historical script with N seeds and
counts the dated checkpoints that land within tolerance of the real value. The report
gives per-actor score distributions and win shares, how often each move is legal and chosen, how
often each inject fires, the range each track reaches and how long it sits at a bound, and the
history check of the historical script (how far the game lands from the real values).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import statistics
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from game.batch import fork_pool  # noqa: E402
from game.engine.actions import PASS, RETRACT  # noqa: E402
from game.engine.core import Engine  # noqa: E402
from game.engine.rules import Rules  # noqa: E402
from game.session import Game  # noqa: E402

SCENARIO = "kursk-2024"
HISTORY_SCRIPT = ROOT / "scenarios" / "kursk-2024.history.txt"
HISTORY_SEED = 2024
MIXES = ("all-random", "all-greedy", "mixed")


# ------------------------------------------------------------------------------ history check


@dataclass(frozen=True)
class Checkpoint:
    """One real value beside the game's value at the same date."""

    date: dt.date
    turn: int
    track: str
    real: float
    game: float
    source: str

    @property
    def gap(self) -> float:
        return self.game - self.real


def play_history(seed: int = HISTORY_SEED, script: Path = HISTORY_SCRIPT,
                 scenario: str = SCENARIO) -> Game:
    """Play the historical script to the end (every seat, the umpire included, scripted)."""
    seats = f"all=script:{script},control=script:{script}"
    game = Game.new(scenario, seed=seed, seats=seats)
    game.play_out()
    return game


def value_at(engine: Engine, track: str, date: dt.date) -> float:
    """The game's value of ``track`` against a real ``date``: at the end of the turn the date
    falls in, as the debrief reads it (``State.tracks_at_end_of``)."""
    rules = engine.rules
    values = engine.state.tracks_at_end_of(rules.turn_of_date(date))
    assert values is not None, f"turn of {date} not reached"
    return float(values[rules.track_index[track]])


def history_check(engine: Engine) -> list[Checkpoint]:
    """Every real value of the scenario's history beside the game's value at that date."""
    out = []
    for point in engine.rules.history:
        for track, real in point.values:
            if point.turn > engine.state.turn:
                continue
            out.append(Checkpoint(point.date, point.turn, track, float(real),
                                  value_at(engine, track, point.date), point.source))
    return out


def history_table(points: Sequence[Checkpoint], rules: Rules) -> list[str]:
    """The history check as markdown table lines."""
    lines = ["| date | turn | track | real | game | gap | gap / range |",
             "|---|---:|---|---:|---:|---:|---:|"]
    for p in points:
        t = rules.tracks[rules.track_index[p.track]]
        share = abs(p.gap) / (t.hi - t.lo)
        lines.append(f"| {p.date} | {p.turn} | {p.track} | {_num(p.real)} | {_num(p.game)} | "
                     f"{p.gap:+.1f} | {share:.0%} |")
    return lines


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


# ------------------------------------------------------------------------------ batch games


@dataclass
class GameStats:
    """What one game contributes to the report."""

    scores: dict[str, float]
    winners: tuple[str, ...]
    end_reason: str
    legal: set[str] = field(default_factory=set)
    chosen: collections.Counter[str] = field(default_factory=collections.Counter)
    fired: collections.Counter[str] = field(default_factory=collections.Counter)
    track_min: dict[str, float] = field(default_factory=dict)
    track_max: dict[str, float] = field(default_factory=dict)
    at_bound: dict[str, int] = field(default_factory=dict)
    turns: int = 0
    end_values: dict[str, float] = field(default_factory=dict)
    missed: bool = False
    greedy: frozenset[str] = frozenset()


def seats_for(mix: str, seed: int, rules: Rules) -> str:
    """The seat string of a mix: players random, greedy, or alternating by seed."""
    players = [a.id for a in rules.actors if a.is_player]
    controls = [a.id for a in rules.actors if not a.is_player]
    kinds = {}
    for k, actor in enumerate(players):
        if mix == "all-random":
            kinds[actor] = "random"
        elif mix == "all-greedy":
            kinds[actor] = "greedy"
        else:
            kinds[actor] = "greedy" if (seed + k) % 2 == 0 else "random"
    for actor in controls:
        kinds[actor] = "greedy" if mix == "all-greedy" else "random"
    return ",".join(f"{a}={k}" for a, k in kinds.items())


def play_one(args: tuple[str, int, str]) -> GameStats:
    """Play one game of a mix with a seed and collect its statistics."""
    scenario, seed, mix = args
    from game.scenario.compile import load_rules

    rules = load_rules(scenario)
    game = Game.from_rules(rules, seed, seats_for(mix, seed, rules), scenario_ref=scenario)
    legal: set[str] = set()
    players = {a.id for a in rules.actors if a.is_player}
    bounds = collections.Counter[str]()
    turn = 1
    for _ in range(100_000):
        if game.is_over:
            break
        for who in game.engine.waiting_for():
            if who in players:
                legal.update(a.verb for a in game.engine.legal_actions(who)
                             if a.verb not in (PASS, RETRACT))
        if not game.step_agent():
            break
        if game.engine.state.turn != turn or game.is_over:
            turn = game.engine.state.turn
            _count_bounds(game.engine, bounds)
    result = game.result()
    stats = GameStats(result.scores, result.winners, result.reason, legal,
                      turns=game.engine.state.turn)
    for e in game.engine.state.entries():
        if e.kind == "order" and e.get("actor") in players:
            stats.chosen[str(e.get("move"))] += 1
        elif e.kind == "event":
            stats.fired[str(e.get("event"))] += 1
    _track_extremes(game.engine, stats)
    stats.at_bound = dict(bounds)
    stats.end_values = {t.id: game.engine.state.tracks[t.idx] for t in rules.tracks}
    stats.missed = _missed(game.engine, players)
    stats.greedy = frozenset(part.split("=")[0] for part in seats_for(mix, seed, rules).split(",")
                             if part.endswith("=greedy"))
    return stats


def _missed(engine: Engine, players: set[str]) -> bool:
    """Whether a player team's estimate missed the truth in some turn (the debrief's 'NO')."""
    rules = engine.rules
    for _, known, truth in engine.state.beliefs:
        for a in rules.actors:
            if a.id not in players:
                continue
            for t in rules.tracks:
                k = known[a.idx][t.idx]
                if isinstance(k, tuple) and len(k) == 2 and not k[0] <= truth[t.idx] <= k[1]:
                    return True
    return False


def _count_bounds(engine: Engine, bounds: collections.Counter[str]) -> None:
    for t in engine.rules.tracks:
        v = engine.state.tracks[t.idx]
        if not t.is_flag and (v <= t.lo or v >= t.hi):
            bounds[t.id] += 1


def _track_extremes(engine: Engine, stats: GameStats) -> None:
    rows = [tracks for _, _, tracks in engine.state.beliefs] + [tuple(engine.state.tracks)]
    for t in engine.rules.tracks:
        values = [row[t.idx] for row in rows]
        stats.track_min[t.id] = min(values)
        stats.track_max[t.id] = max(values)


def run_mix(scenario: str, mix: str, games: int, processes: int) -> list[GameStats]:
    jobs = [(scenario, seed, mix) for seed in range(games)]
    if processes <= 1:
        return [play_one(j) for j in jobs]
    with fork_pool(processes) as pool:
        return pool.map(play_one, jobs, chunksize=max(1, games // (processes * 8)))


# ------------------------------------------------------------------------------ the report


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def score_section(rules: Rules, results: dict[str, list[GameStats]]) -> list[str]:
    players = [a.id for a in rules.actors if a.is_player]
    lines = ["## Scores and wins", "",
             "Win = the highest total among the player actors (a tie splits the win).", ""]
    for mix, stats in results.items():
        lines += [f"### {mix} ({len(stats)} games)", "",
                  "| actor | mean | sd | min | p10 | median | p90 | max | wins |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        wins = collections.Counter[str]()
        for s in stats:
            for w in s.winners:
                wins[w] += 1 / len(s.winners)
        for actor in players:
            xs = sorted(s.scores.get(actor, 0.0) for s in stats)
            q = _quantiles(xs)
            lines.append(f"| {actor} | {statistics.fmean(xs):.1f} | {statistics.pstdev(xs):.1f} | "
                         f"{xs[0]:g} | {q[0]:g} | {q[1]:g} | {q[2]:g} | {xs[-1]:g} | "
                         f"{_pct(wins[actor] / len(stats))} |")
        ends = collections.Counter(s.end_reason for s in stats)
        lines += ["", "Game ends: " + ", ".join(f"{k} {_pct(v / len(stats))}"
                                                 for k, v in ends.most_common()), ""]
    return lines


def _quantiles(xs: Sequence[float]) -> tuple[float, float, float]:
    n = len(xs)
    return xs[n // 10], xs[n // 2], xs[min(n - 1, 9 * n // 10)]


def move_section(rules: Rules, results: dict[str, list[GameStats]]) -> list[str]:
    lines = ["## Moves: how often legal and chosen", "",
             "Share of games in which the move was legal at least once, and in which it was "
             "chosen at least once; 'orders/game' counts every time it was chosen.", "",
             "| actor | move | " + " | ".join(f"{m} legal | {m} chosen | {m} orders/game"
                                              for m in results) + " |",
             "|---|---|" + "---:|---:|---:|" * len(results)]
    for mv in rules.moves:
        actors = [a.id for a in rules.actors if mv.actor_mask >> a.idx & 1]
        if not any(rules.actors[rules.actor_index[a]].is_player for a in actors):
            continue
        cells = []
        for stats in results.values():
            n = len(stats)
            legal = sum(1 for s in stats if mv.id in s.legal) / n
            chosen = sum(1 for s in stats if s.chosen[mv.id]) / n
            per = sum(s.chosen[mv.id] for s in stats) / n
            cells.append(f"{_pct(legal)} | {_pct(chosen)} | {per:.2f}")
        lines.append(f"| {'/'.join(actors)} | {mv.id} | " + " | ".join(cells) + " |")
    return lines + [""]


def event_section(rules: Rules, results: dict[str, list[GameStats]]) -> list[str]:
    lines = ["## Events and injects: how often they fire", "",
             "Share of games in which the event fired at least once (released injects count; the "
             "automatic umpire releases every inject), and firings per game.", "",
             "| event | release | " + " | ".join(f"{m} games | {m} per game" for m in results)
             + " |", "|---|---|" + "---:|---:|" * len(results)]
    for ev in rules.events:
        cells = []
        for stats in results.values():
            n = len(stats)
            cells.append(f"{_pct(sum(1 for s in stats if s.fired[ev.id]) / n)} | "
                         f"{sum(s.fired[ev.id] for s in stats) / n:.2f}")
        lines.append(f"| {ev.id} | {'umpire' if ev.umpire else 'auto'} | "
                     + " | ".join(cells) + " |")
    return lines + [""]


def track_section(rules: Rules, results: dict[str, list[GameStats]]) -> list[str]:
    lines = ["## Tracks: range reached and time at a bound", "",
             "Lowest and highest value seen across the games (p10 of per-game minima, p90 of "
             "per-game maxima), and the share of turn-ends spent at the track's minimum or "
             "maximum (flags are 0/1 and always at a bound, so they are left out).", "",
             "| track | range | " + " | ".join(f"{m} low p10 | {m} high p90 | {m} at bound"
                                             for m in results) + " |",
             "|---|---|" + "---:|---:|---:|" * len(results)]
    for t in rules.tracks:
        if t.is_flag:
            continue
        cells = []
        for stats in results.values():
            lows = sorted(s.track_min[t.id] for s in stats)
            highs = sorted(s.track_max[t.id] for s in stats)
            turns = sum(s.turns for s in stats)
            bound = sum(s.at_bound.get(t.id, 0) for s in stats) / max(1, turns)
            cells.append(f"{_num(lows[len(lows) // 10])} | "
                         f"{_num(highs[min(len(highs) - 1, 9 * len(highs) // 10)])} | "
                         f"{_pct(bound)}")
        lines.append(f"| {t.id} | {_num(t.lo)}-{_num(t.hi)} | " + " | ".join(cells) + " |")
    return lines + [""]


@dataclass
class Verdict:
    name: str
    ok: bool
    detail: str


def move_shares(rules: Rules, games: list[GameStats]) -> dict[str, float]:
    """For each move of a player team, the share of ``games`` in which it was chosen."""
    players = [a.idx for a in rules.actors if a.is_player]
    return {mv.id: sum(1 for s in games if s.chosen[mv.id]) / len(games) for mv in rules.moves
            if any(mv.actor_mask >> a & 1 for a in players)}


def thresholds(rules: Rules, results: dict[str, list[GameStats]]) -> list[Verdict]:
    """The design thresholds of issue #4, checked on the results."""
    out = []
    rnd = results.get("all-random", [])
    if rnd:
        shares = move_shares(rules, rnd)
        worst = min(shares, key=lambda k: shares[k])
        out.append(Verdict("every player move chosen in >= 1 % of random games",
                           shares[worst] >= 0.01,
                           f"least chosen: {worst} in {_pct(shares[worst])} of games"))
    every = [s for stats in results.values() for s in stats]
    never = [ev.id for ev in rules.events if not any(s.fired[ev.id] for s in every)]
    out.append(Verdict("every inject fires in some games", not never,
                       "never fired: " + (", ".join(never) or "none")))
    greedy = results.get("all-greedy", [])
    if greedy:
        wins = collections.Counter[str]()
        for s in greedy:
            for w in s.winners:
                wins[w] += 1 / len(s.winners)
        top, count = wins.most_common(1)[0]
        out.append(Verdict("no actor wins >= 60 % under all-greedy play",
                           count / len(greedy) < 0.6,
                           f"most wins: {top} {_pct(count / len(greedy))}"))
    worst_bound = ("", 0.0)
    for t in rules.tracks:
        if t.is_flag:
            continue
        turns = sum(s.turns for s in every)
        share = sum(s.at_bound.get(t.id, 0) for s in every) / max(1, turns)
        if share > worst_bound[1]:
            worst_bound = (t.id, share)
    out.append(Verdict("no track pinned at a bound for most of the game",
                       worst_bound[1] < 0.5,
                       f"most at a bound: {worst_bound[0]} {_pct(worst_bound[1])} of turn-ends"))
    return out


def issue12_verdicts(rules: Rules, results: dict[str, list[GameStats]]) -> list[Verdict]:
    """The figures of issue 12's 'Done when', checked on the results."""
    out: list[Verdict] = []
    players = [a.id for a in rules.actors if a.is_player]
    for mix, lo, hi in (("all-greedy", 0.15, 0.35), ("all-random", 0.10, 1.0)):
        stats = results.get(mix, [])
        if not stats:
            continue
        wins = collections.Counter[str]()
        for s in stats:
            for w in s.winners:
                wins[w] += 1 / len(s.winners)
        shares = {a: wins[a] / len(stats) for a in players}
        ok = all(lo <= v <= hi for v in shares.values())
        span = f"{lo:.0%}-{hi:.0%}" if hi < 1 else f">= {lo:.0%}"
        out.append(Verdict(f"{mix}: every player team wins {span}", ok,
                           ", ".join(f"{a} {_pct(v)}" for a, v in shares.items())))
    every = [s for stats in results.values() for s in stats]
    if every:
        worst = ("", 0.0)
        for t in rules.tracks:
            if t.is_flag:  # a flag ends at 0 or 1: its end value says little
                continue
            common = collections.Counter(round(s.end_values[t.id], 3) for s in every)
            share = common.most_common(1)[0][1] / len(every)
            if share > worst[1]:
                worst = (t.id, share)
        out.append(Verdict("no track (flags aside) ends at one value in >= 90 % of games", worst[1] < 0.9,
                           f"most common end value: {worst[0]} in {_pct(worst[1])} of games"))
    greedy = results.get("all-greedy", [])
    if greedy:
        shares = move_shares(rules, greedy)
        low = sorted((v, k) for k, v in shares.items() if v < 0.05)
        out.append(Verdict("every player move chosen in >= 5 % of greedy games", not low,
                           "below 5 %: " + (", ".join(f"{k} {_pct(v)}" for v, k in low)
                                            or "none")))
        esc = sum(1 for s in greedy if s.track_max.get("escalation", 0) >= 7) / len(greedy)
        out.append(Verdict("all-greedy: escalation reaches >= 7 in 5-30 % of games",
                           0.05 <= esc <= 0.30, _pct(esc)))
    if "RUS" in players and every:
        rus = [s for s in every if "RUS" in s.greedy]
        if rus:
            kursk = sum(1 for s in rus if s.fired["kursk_retaken"]) / len(rus)
            out.append(Verdict("Kursk retaken in >= 40 % of games where Russia plays greedily",
                               kursk >= 0.40, f"{_pct(kursk)} of {len(rus)} games"))
        missed = sum(1 for s in every if s.missed) / len(every)
        out.append(Verdict("a team's estimate missed the truth in >= 1 game in 10",
                           missed >= 0.10, f"{_pct(missed)} of games"))
    return out


def _history_one(seed: int) -> list[Checkpoint]:
    return history_check(play_history(seed).engine)


def history_seeds(rules: Rules, seeds: int, processes: int) -> tuple[list[str], list[Verdict]]:
    """The historical script over many seeds: the share of dated checkpoints within tolerance
    of the real value (flags: equal; numbers: within a tenth of the track's range, as the
    format gives one real value, not a range), overall and for the checkpoints the dice move
    (whose game value differs between seeds)."""
    if processes <= 1:
        runs = [_history_one(seed) for seed in range(seeds)]
    else:
        with fork_pool(processes) as pool:
            runs = pool.map(_history_one, range(seeds))
    by_key: dict[tuple[dt.date, str], list[Checkpoint]] = collections.defaultdict(list)
    for run in runs:
        for p in run:
            by_key[(p.date, p.track)].append(p)

    def inside(p: Checkpoint) -> bool:
        t = rules.tracks[rules.track_index[p.track]]
        return p.gap == 0 if t.is_flag else abs(p.gap) <= 0.1 * (t.hi - t.lo) + 1e-9

    lines = [f"## History check over {seeds} seeds", "",
             "The historical script played with seeds 0-" + str(seeds - 1) + ". A checkpoint is "
             "*inside* when the game's value at the end of its turn is within a tenth of the "
             "track's range of the real value (flags: equal); *dice* marks checkpoints whose game "
             "value differs between seeds.", "",
             "| date | track | real | game median | inside | dice |", "|---|---|---:|---:|---:|---|"]
    shares, dice_shares = [], []
    for (date, track), ps in sorted(by_key.items()):
        share = sum(1 for p in ps if inside(p)) / len(ps)
        varies = len({p.game for p in ps}) > 1
        shares.append(share)
        if varies:
            dice_shares.append(share)
        med = sorted(p.game for p in ps)[len(ps) // 2]
        lines.append(f"| {date} | {track} | {_num(ps[0].real)} | {_num(med)} | {_pct(share)} | "
                     f"{'yes' if varies else ''} |")
    lines.append("")
    overall = statistics.fmean(shares) if shares else 0.0
    dice = statistics.fmean(dice_shares) if dice_shares else 1.0
    verdicts = [Verdict(f"history over {seeds} seeds: >= 85 % of checkpoints inside",
                        overall >= 0.85, _pct(overall)),
                Verdict(f"history over {seeds} seeds: >= 75 % of dice-dependent checkpoints "
                        "inside", dice >= 0.75, f"{_pct(dice)} ({len(dice_shares)} checkpoints)")]
    return lines, verdicts


def history_section(rules: Rules) -> list[str]:
    game = play_history()
    points = history_check(game.engine)
    mean = statistics.fmean(abs(p.gap) / _span(rules, p.track) for p in points)
    lines = ["## History check", "",
             f"The historical script `scenarios/kursk-2024.history.txt` played with seed "
             f"{HISTORY_SEED} (dice still roll). Each real value beside the game's value at the "
             f"end of the turn its date falls in, as the debrief reads it. Mean gap: "
             f"{mean:.1%} of each track's range. Game over: {game.engine.state.end_reason}; "
             f"scores {', '.join(f'{k} {v:g}' for k, v in game.result().scores.items() if v)}. "
             f"Optional lines (`?`) the game did not allow: "
             f"{'; '.join(str(d) for d in game.divergences) or 'none'}.",
             ""]
    return lines + history_table(points, rules) + [""]


def _span(rules: Rules, track: str) -> float:
    t = rules.tracks[rules.track_index[track]]
    return t.hi - t.lo


def write_report(path: Path, rules: Rules, results: dict[str, list[GameStats]],
                 seconds: float, games: int,
                 history: tuple[list[str], list[Verdict]] | None = None) -> None:
    verdicts = thresholds(rules, results) + issue12_verdicts(rules, results)
    if history is not None:
        verdicts += history[1]
    lines = [f"# Playtest report: {rules.title} ({rules.id} v{rules.version})", "",
             f"Generated by `python tools/playtest.py --games {games}"
             f"{f' --history-seeds {history_n(history)}' if history else ''}` "
             f"({sum(len(v) for v in results.values())} games in {seconds:.0f} s). Do not edit "
             "by hand: re-run the script.", "",
             "Seats: players all `random`, all `greedy` (one-ply lookahead on the believed "
             "state, see `game/agents/basic.py`) or mixed (greedy and random alternating by seed "
             "and seat); the control-cell actors USA, UKR, CHN and JPN are `greedy` in all-greedy "
             "and `random` in the other mixes; "
             "the umpire is automatic (releases every inject, rules matrix arguments -1..+1, "
             "umpire moves at random).", "",
             "## Thresholds", "", "| threshold | met | figure |", "|---|---|---|"]
    lines += [f"| {v.name} | {'yes' if v.ok else 'NO'} | {v.detail} |" for v in verdicts]
    lines.append("")
    lines += score_section(rules, results)
    lines += move_section(rules, results)
    lines += event_section(rules, results)
    lines += track_section(rules, results)
    lines += history_section(rules)
    if history is not None:
        lines += history[0]
    path.write_text("\n".join(lines), encoding="utf-8")


def history_n(history: tuple[list[str], list[Verdict]]) -> int:
    """The number of seeds a history-over-seeds section was played with (from its heading)."""
    return int(history[0][0].split(" over ")[1].split()[0])


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=SCENARIO)
    parser.add_argument("--games", type=int, default=2000, help="games per seat mix")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--mix", action="append", choices=MIXES, help="only these mixes")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "kursk-2024-playtest.md")
    parser.add_argument("--history-seeds", type=int, default=0,
                        help="also play the historical script with this many seeds")
    args = parser.parse_args(list(argv) if argv is not None else None)
    from game.scenario.compile import load_rules

    rules = load_rules(args.scenario)
    start = time.time()
    results: dict[str, list[GameStats]] = {}
    for mix in args.mix or MIXES:
        results[mix] = run_mix(args.scenario, mix, args.games, args.processes)
        print(f"{mix}: {args.games} games, {time.time() - start:.0f} s", file=sys.stderr)
    history = history_seeds(rules, args.history_seeds, args.processes) \
        if args.history_seeds else None
    write_report(args.out, rules, results, time.time() - start, args.games, history)
    for v in thresholds(rules, results) + issue12_verdicts(rules, results) + \
            (history[1] if history else []):
        print(f"{'ok ' if v.ok else 'NO '} {v.name}: {v.detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
