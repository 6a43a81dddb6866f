"""Playtest coverage: play a scenario many times with computer seats and say what never happens.

``powerplay lint SCENARIO --games N`` plays N games (seeds 0..N-1, every actor and the control
cell played by random seats, the automatic umpire releasing every inject), in parallel
processes, and reports, as positioned lint warnings (:mod:`game.scenario.lint`):

* moves no seat ever chose, or chose in fewer than 1 % of games (and whether they were legal);
* events that never fired;
* number tracks at their min or max in more than 90 % of the games' final states;
* rules that failed while a game was played (e.g. a division by zero), with the seed and turn
  of the game and the place of the rule in the file; a failed game is counted and the others
  go on.

It also gives each team's share of wins (a tie splits the win).

>>> cov = playtest("tutorial", games=4, jobs=1)
>>> cov.games, round(sum(cov.win_share.values()), 6)
(4, 1.0)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from game.engine.wording import number
from game.scenario import model as m
from game.scenario.intervals import changed_tracks, expression_sites
from game.scenario.lint import (
    LintWarning,
    track_value,
    warning_at,
)
from game.scenario.load import LoadedScenario
from game.scenario.yamlio import Loc

SEATS = "all=random"
"""Every actor (player teams and the control cell) random; the umpire automatic."""
RARE = 0.01
"""A move chosen in fewer than this share of games is 'rarely chosen'."""
STUCK = 0.9
"""A track at a bound in more than this share of final states is 'stuck'."""


@dataclass
class GameRun:
    """What one playtest game showed."""

    seed: int
    chosen: set[str] = field(default_factory=set)
    legal: set[str] = field(default_factory=set)
    fired: set[str] = field(default_factory=set)
    final: dict[str, float] = field(default_factory=dict)
    winners: tuple[str, ...] = ()
    error: str | None = None
    turn: int = 0
    estimated: set[str] = field(default_factory=set)
    """Estimate rules that may miss ('track/index') and gave some actor a range."""
    missed: set[str] = field(default_factory=set)
    """Those of them whose range missed the truth at least once."""


@dataclass(frozen=True)
class RunError:
    """A game of the playtest that stopped on a failing rule."""

    seed: int
    turn: int
    message: str


@dataclass
class Coverage:
    """The playtest of one scenario, summed over its games."""

    games: int
    finished: int = 0
    win_share: dict[str, float] = field(default_factory=dict)
    """Player actor id -> share of the finished games won (ties split)."""
    chosen: Counter[str] = field(default_factory=Counter)
    """Move id -> games in which some seat chose it."""
    legal: Counter[str] = field(default_factory=Counter)
    """Move id -> games in which it was legal to some seat at some point."""
    fired: Counter[str] = field(default_factory=Counter)
    """Event id -> games in which it fired."""
    at_bound: dict[str, Counter[str]] = field(default_factory=dict)
    """Track id -> {'min': games ending at min, 'max': games ending at max}."""
    errors: list[RunError] = field(default_factory=list)
    estimated: Counter[str] = field(default_factory=Counter)
    """Estimate rule that may miss ('track/index') -> games in which it gave a range."""
    missed: Counter[str] = field(default_factory=Counter)
    """Estimate rule -> games in which one of its ranges missed the truth."""

    def to_json(self) -> dict[str, Any]:
        return {
            "games": self.games, "finished": self.finished,
            "seats": SEATS, "win_share": self.win_share,
            "moves": {k: {"chosen": self.chosen[k], "legal": self.legal[k]}
                      for k in sorted({*self.chosen, *self.legal})},
            "events": dict(sorted(self.fired.items())),
            "errors": [{"seed": e.seed, "turn": e.turn, "message": e.message}
                       for e in self.errors],
            "estimates": {k: {"ranges_in": self.estimated[k], "missed_in": self.missed[k]}
                          for k in sorted(self.estimated)},
        }


def play_game(job: tuple[str, int]) -> GameRun:
    """Play one game of ``scenario`` with seed ``seed``; a failing rule ends it with ``error``."""
    from game.scenario.compile import load_rules
    from game.session import Game

    scenario, seed = job
    run = GameRun(seed)
    game = None
    try:
        rules = load_rules(scenario)
        moves = {mv.id for mv in rules.moves}
        game = Game.from_rules(rules, seed, SEATS, scenario_ref=scenario)
        while not game.is_over:
            for who in game.waiting_for():
                run.legal.update(a.verb for a in game.legal_actions(who) if a.verb in moves)
            if not game.step_agent():
                raise RuntimeError("no seat could act and the game had not ended")
        result = game.result()
        run.winners = result.winners
        run.final = {t.id: game.engine.state.tracks[t.idx] for t in rules.tracks}
    except Exception as exc:  # one game's failure is reported; the others go on
        run.error = str(exc) or type(exc).__name__
        run.turn = game.engine.state.turn if game is not None else 0
    if game is not None:
        _misses(game, run)
        for e in game.engine.state.entries():
            if e.kind == "order":
                run.chosen.add(str(e.get("move")))
            elif e.kind == "event":
                run.fired.add(str(e.get("event")))
    return run


def _misses(game: Any, run: GameRun) -> None:
    """Which estimate rules that may miss gave ranges in the game, and which of them missed."""
    rules = game.rules
    for k in game.engine.state.beliefs:
        for t, per_actor in rules.estimate_plan:
            for a, rule_i in enumerate(per_actor):
                if rule_i < 0 or not t.estimates[rule_i].miss:
                    continue
                x = k.known[a][t.idx]
                if isinstance(x, tuple):
                    key = f"{t.id}/{rule_i}"
                    run.estimated.add(key)
                    if not x[0] <= k.truth[t.idx] <= x[1]:
                        run.missed.add(key)


def play_games(scenario: str, games: int, jobs: int = 2) -> Iterator[GameRun]:
    """The games of seeds 0..games-1, in seed order, in ``jobs`` processes."""
    work = [(scenario, seed) for seed in range(games)]
    if jobs <= 1 or games <= 1:
        yield from map(play_game, work)
        return
    from game.batch import fork_pool

    with fork_pool(jobs) as pool:
        yield from pool.imap(play_game, work, chunksize=max(1, min(16, games // (jobs * 8))))


def playtest(scenario: str, games: int = 200, jobs: int = 2) -> Coverage:
    """Play ``games`` games of a scenario (id or path) and sum up what happened."""
    from game.scenario.compile import load_rules

    rules = load_rules(scenario)
    players = [a.id for a in rules.actors if a.is_player]
    bounds = {t.id: (t.lo, t.hi) for t in rules.tracks if not t.is_flag}
    cov = Coverage(games)
    shares: dict[str, float] = dict.fromkeys(players, 0.0)
    for run in play_games(scenario, games, jobs):
        cov.chosen.update(run.chosen)
        cov.legal.update(run.legal)
        cov.fired.update(run.fired)
        cov.estimated.update(run.estimated)
        cov.missed.update(run.missed)
        if run.error is not None:
            cov.errors.append(RunError(run.seed, run.turn, run.error))
            continue
        cov.finished += 1
        for w in run.winners:
            shares[w] = shares.get(w, 0.0) + 1 / len(run.winners)
        for tid, (lo, hi) in bounds.items():
            v = run.final[tid]
            if v <= lo or v >= hi:
                cov.at_bound.setdefault(tid, Counter())["min" if v <= lo else "max"] += 1
    cov.win_share = {a: (shares[a] / cov.finished if cov.finished else 0.0) for a in shares}
    return cov


# ------------------------------------------------------------------------------ as warnings


def share_text(share: float) -> str:
    """A share as people read it: '40%', '2.5%', '0.5%'."""
    return f"{number(share * 100, 1, trim=True)}%"


def _share(n: int, total: int) -> str:
    return share_text(n / total if total else 0.0)


def coverage_warnings(cov: Coverage, loaded: LoadedScenario) -> list[LintWarning]:
    """The playtest's findings as positioned warnings, in file order."""
    scn, smap = loaded.scenario, loaded.source
    out: list[LintWarning] = []
    out += _move_warnings(cov, scn, loaded)
    for i, ev in enumerate(scn.events):
        if cov.games and not cov.fired[ev.id]:
            out.append(warning_at(smap, ("events", i, "id"), "lint/inject-never-fired",
                                  f"'{ev.name}' fired in none of the {cov.games} games",
                                  "check its trigger: its turn, condition and chance"))
    out += _stuck_warnings(cov, scn, loaded)
    out += _miss_warnings(cov, scn, loaded)
    out += _error_warnings(cov, scn, loaded)
    return sorted(out, key=lambda w: (w.path, w.line, w.col, w.code))


def _move_warnings(cov: Coverage, scn: m.Scenario, loaded: LoadedScenario) -> list[LintWarning]:
    out = []
    n = cov.games
    for i, mv in enumerate(scn.moves):
        chosen, legal = cov.chosen[mv.id], cov.legal[mv.id]
        if not n or chosen >= RARE * n:
            continue
        if chosen == 0 and legal == 0:
            code, text = "lint/move-never-chosen", f"'{mv.name}' was never legal in {n} games"
            hint = "check its prerequisites, cost, limits and phases"
        elif chosen == 0:
            code, text = "lint/move-never-chosen", (
                f"'{mv.name}' was chosen in none of the {n} games (legal in {legal})")
            hint = "random seats choose among the legal moves: it is rarely legal for long"
        else:
            code, text = "lint/move-rarely-chosen", (
                f"'{mv.name}' was chosen in {chosen} of {n} games ({_share(chosen, n)}; legal "
                f"in {legal})")
            hint = "it is rarely legal: check its prerequisites and cost"
        out.append(warning_at(loaded.source, ("moves", i, "id"), code, text, hint))
    return out


def _stuck_warnings(cov: Coverage, scn: m.Scenario, loaded: LoadedScenario) -> list[LintWarning]:
    out = []
    changed = changed_tracks(scn)  # an unchanged track is the static check's business
    for i, t in enumerate(scn.tracks):
        counts = cov.at_bound.get(t.id)
        if not counts or not cov.finished or t.id not in changed:
            continue
        side, games = counts.most_common(1)[0]
        if games > STUCK * cov.finished:
            value = track_value(t, t.min if side == "min" else t.max)
            out.append(warning_at(
                loaded.source, ("tracks", i, side if side in t.model_fields_set else "id"),
                "lint/track-stuck",
                f"'{t.name}' ended at its {side} ({value}) in {games} of {cov.finished} games "
                f"({_share(games, cov.finished)})",
                "its range may be too narrow, or the effects on it too strong or one-sided"))
    return out


def _miss_warnings(cov: Coverage, scn: m.Scenario, loaded: LoadedScenario) -> list[LintWarning]:
    """An estimate rule declared to miss whose ranges never missed in any game."""
    out = []
    for i, t in enumerate(scn.tracks):
        for j, est in enumerate(t.estimates):
            key = f"{t.id}/{j}"
            ranges = cov.estimated[key]
            if not est.miss or not ranges or cov.missed[key]:
                continue
            out.append(warning_at(
                loaded.source, ("tracks", i, "estimates", j, "miss"), "lint/estimate-never-missed",
                f"the estimate of '{t.name}' (miss: {est.miss:g}) never missed the truth in the "
                f"{ranges} games it gave a range in",
                "a range misses only where its whole width fits between the truth and the "
                "track's min or max (on the side it leans to): widen the track's range, narrow "
                "the estimate (spread), or lean it towards the room"))
    return out


_WHERE = re.compile(r"^(\[[a-z]+/[a-z0-9-]+\] )?(.+?):(\d+):(\d+): ")
"""The place a rule error names at its start: '[rule/expression] scenarios/x.yaml:12:5: '."""


def error_site(message: str, scn: m.Scenario) -> Loc:
    """Where in the file the failing rule of a run-time error message is: the expression the
    message quotes (the longest, if several match); () if it quotes none."""
    best: tuple[int, Loc] = (0, ())
    for site in expression_sites(scn):
        src = site.text.strip()
        for form in (f"expression '{src}'", f"expression {src!r}"):
            if form in message and len(form) > best[0]:
                best = (len(form), site.loc)
    return best[1]


def _error_warnings(cov: Coverage, scn: m.Scenario, loaded: LoadedScenario) -> list[LintWarning]:
    groups: dict[str, list[RunError]] = {}
    for err in cov.errors:
        groups.setdefault(err.message, []).append(err)
    out = []
    for message, errs in groups.items():
        first = errs[0]
        seeds = ", ".join(str(e.seed) for e in errs[:5]) + (", ..." if len(errs) > 5 else "")
        named = _WHERE.match(message)
        said = _WHERE.sub(lambda mt: mt[1] or "", message, count=1)  # the place is the warning's
        text = (f"{len(errs)} of {cov.games} games stopped: {said} (seed {first.seed}, turn "
                f"{first.turn}; seeds {seeds})")
        hint = f"replay it: powerplay run {loaded.path} --seed {first.seed}"
        loc = error_site(message, scn)
        if not loc and named:  # the rule said where it is
            out.append(LintWarning(loaded.path, int(named[3]), int(named[4]),
                                   "lint/run-time-error", text, hint))
            continue
        out.append(warning_at(loaded.source, loc, "lint/run-time-error", text, hint,
                              offset=0 if loc else None))
    return out

