"""The analysis lab: fork a saved game at the start of a turn and play each alternative order
set of one team many times, to see what it changes.

    powerplay lab saves/game.json --turn 3 --team EU --games 40 -o lab/

The fork is the real game: the save is loaded (every decision replayed and checked against its
snapshot), and the decisions made before turn K are replayed on a fresh game with the seats
given for the continuations. Each continuation then

1. reseeds the game with its own seed (:meth:`game.session.Game.reseed`, recorded in the
   decision log), so the dice and the computer seats' choices from turn K on are its own;
2. lets the computer seats play until the chosen team is asked for its orders in turn K;
3. gives the alternative's orders for the team, then the team's pass;
4. plays to the end with the seats as given (the team too, after turn K).

The game after step 3 is the *fork* of that continuation: written as a save, ``powerplay run
--load FORK`` plays the same continuation again, bit for bit (same log digest). Every
alternative is played with the same seeds (``seed``, ``seed + 1``, ...), so two alternatives
are compared over the same draws of fortune where their games have not yet parted.

Continuations run where batch games run (:func:`game.batch.run_ordered`): in this process, in
local processes, or on a Dask cluster; the records come back in the same order either way.

>>> from game.session import Game
>>> g = Game.new("tutorial", seed=4, seats="all=random")
>>> while g.engine.state.turn < 2:
...     _ = g.step_agent()
>>> lab = Lab.from_game(g, turn=2, team="NORTH", seats="all=random",
...                     alternatives="pass", games=3)
>>> [r["seed"] for r in lab.run()], lab.alternatives[0].key
([0, 1, 2], 'pass')
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.batch import ScenarioSource, failed_record, game_record, run_ordered
from game.engine import wording as W
from game.engine.actions import PASS, RETRACT, SAY, Action
from game.engine.errors import EngineError, IllegalAction, did_you_mean
from game.session import Decision, Game

ALL = "all"
AS_PLAYED = "as-played"
MAX_GAMES = 100_000
MAX_ALTERNATIVES = 200
MAX_TRACKS = 8


class LabError(EngineError):
    """A lab that cannot be set up as asked (turn out of range, unknown team or move, ...)."""

    default_code = "lab/error"


@dataclass(frozen=True)
class Alternative:
    """One order set of the chosen team at the fork: ``orders`` in their text form (without
    the pass that ends them), ``key`` the short form the command line takes
    (``eu_sanctions+eu_intel target=ROK``, ``pass``), ``name`` in words."""

    key: str
    name: str
    orders: tuple[str, ...]


@dataclass(frozen=True)
class LabSetup:
    """Everything a continuation needs, sent once to each worker."""

    source: ScenarioSource
    seed: int
    seats: dict[str, str]
    scripts: dict[str, str]
    no_dice: bool
    review: bool
    prefix: tuple[dict[str, Any], ...]
    """The decisions before turn K, as saved."""
    turn: int
    team: str
    alternatives: tuple[Alternative, ...]
    ref: str = ""
    """The scenario as the save names it (an id or a path), kept in the fork saves."""
    key: str = ""
    """A digest of the above: workers keep one replayed fork per key."""


# ---------------------------------------------------------------- playing a continuation


def base_game(setup: LabSetup) -> Game:
    """The game at the start of turn K, with the continuations' seats (built once per
    process and forked for each continuation)."""
    game = _BASES.get(setup.key)
    if game is None:
        game = Game.from_rules(setup.source.rules(), setup.seed, setup.seats,
                               no_dice=setup.no_dice, review=setup.review,
                               scenario_ref=setup.ref or setup.source.shown,
                               scripts=setup.scripts)
        game.replay_decisions([_decision(d) for d in setup.prefix])
        _BASES.clear()
        _BASES[setup.key] = game
    return game


_BASES: dict[str, Game] = {}


def _decision(d: dict[str, Any]) -> Decision:
    return Decision(d.get("action") or "", -1 if d.get("undo_to") is None else d["undo_to"],
                    d.get("reseed"))


def fork(setup: LabSetup, alternative: int, seed: int) -> Game:
    """The fork of one continuation: the game at turn K reseeded with ``seed``, played by the
    computer seats up to the chosen team's orders in turn K, and those orders given."""
    g = base_game(setup).fork()
    g.reseed(seed)
    team, turn = setup.team, setup.turn
    while not g.is_over and g.engine.state.turn == turn and team not in g.waiting_for():
        if not g.step_agent():
            break
    if g.is_over or g.engine.state.turn != turn or team not in g.waiting_for():
        raise LabError("lab/no-orders", f"{W.actor_name(g.rules, team)} gives no orders in turn "
                                        f"{turn} of this game (it was not asked before the "
                                        "turn ended)")
    for order in setup.alternatives[alternative].orders:
        g.submit(order)
    if team in g.waiting_for() and g.engine.state.turn == turn:  # not done by its last order
        g.submit(Action(team, PASS))
    return g


def play_continuation(setup: LabSetup, task: tuple[int, int]) -> dict[str, Any]:
    """Play continuation ``task`` = (alternative index, seed) to the end; its record: the
    batch record of the game (``seed`` is the continuation's; ``game_seed`` the save's),
    the alternative, and ``fork_decisions``, the decisions its fork save holds."""
    alternative, seed = task
    head = {"alternative": setup.alternatives[alternative].key}
    try:
        g = fork(setup, alternative, seed)
    except EngineError as exc:  # an order not legal in this continuation: listed, not fatal
        return {**head, "seed": seed, "error": {"code": exc.code, "message": exc.message},
                "turn": setup.turn}
    at = len(g.decisions)
    try:
        g.run_agents()
    except EngineError as exc:
        record = failed_record(g, exc)
    else:
        record = game_record(g)
    return {**head, **record, "seed": seed, "game_seed": g.seed, "fork_decisions": at}


# ---------------------------------------------------------------- setting a lab up


@dataclass
class Lab:
    """A lab run: the setup, the seeds, and (after :meth:`run`) the continuations' records."""

    setup: LabSetup
    seeds: tuple[int, ...]
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def alternatives(self) -> tuple[Alternative, ...]:
        return self.setup.alternatives

    @classmethod
    def from_save(cls, path: Path, *, turn: int, team: str | None = None,
                  seats: str | None = None, alternatives: str = ALL, games: int = 20,
                  first_seed: int = 0) -> Lab:
        """A lab on the save at ``path`` (loaded and verified whole first)."""
        from game.saves import read_save

        return cls.from_game(read_save(path), turn=turn, team=team, seats=seats,
                             alternatives=alternatives, games=games, first_seed=first_seed)

    @classmethod
    def from_game(cls, saved: Game, *, turn: int, team: str | None = None,
                  seats: str | None = None, alternatives: str = ALL, games: int = 20,
                  first_seed: int = 0) -> Lab:
        """A lab on ``saved`` (a loaded save or a game in play): fork at the start of ``turn``."""
        rules = saved.rules
        if not 1 <= games <= MAX_GAMES:
            raise LabError("lab/bad-games", f"--games must be 1 to {MAX_GAMES:,}, not {games}")
        team = _team(saved, team)
        prefix = _prefix(saved, turn)
        source = _source(saved)
        fork_seats, scripts = _seats(saved, seats)
        setup = LabSetup(source, saved.seed, fork_seats, scripts, saved.engine.no_dice,
                         saved.engine.review, tuple(d.to_json() for d in prefix), turn, team, (),
                         saved.scenario_ref or rules.id)
        setup = _keyed(setup)
        probe = fork_probe(setup, first_seed)
        alts = _alternatives(probe, saved, setup, alternatives, len(prefix))
        setup = _keyed(LabSetup(**{**setup.__dict__, "alternatives": alts, "key": ""}))
        for i in range(len(alts)):  # every alternative can be given at the fork
            try:
                fork(setup, i, first_seed)
            except IllegalAction as exc:
                raise LabError("lab/illegal-move", f"alternative '{alts[i].key}' cannot be "
                                                   f"given at the fork: {exc.message}") from None
        return cls(setup, tuple(range(first_seed, first_seed + games)))

    def tasks(self) -> Iterator[tuple[int, int]]:
        for i in range(len(self.alternatives)):
            for seed in self.seeds:
                yield i, seed

    def run(self, *, jobs: int = 1, scheduler: str | None = None,
            progress: Any = None) -> list[dict[str, Any]]:
        """Play every continuation (alternative by alternative, seed by seed); their records."""
        self.records = []
        for record in run_ordered(play_continuation, self.setup, self.tasks(), jobs=jobs,
                                  scheduler=scheduler, chunksize=1):  # a game is long
            self.records.append(record)
            if progress is not None:
                progress(len(self.records))
        return self.records

    def fork_game(self, alternative: str, seed: int) -> Game:
        """The fork of the continuation of ``alternative`` (its key) and ``seed``."""
        index = next(i for i, a in enumerate(self.alternatives) if a.key == alternative)
        return fork(self.setup, index, seed)


def _source(saved: Game) -> ScenarioSource:
    """The text of the saved game's scenario, as the save names it (else by its id)."""
    from game.saves import SaveError
    from game.scenario.errors import ScenarioError

    for ref in dict.fromkeys((saved.scenario_ref, saved.rules.id)):
        try:
            source = ScenarioSource.of(ref)
        except ScenarioError:
            continue
        if source.rules().digest == saved.rules.digest:
            return source
    raise SaveError("save/scenario-changed", f"scenario '{saved.rules.id}' has changed since "
                                             "the game was saved; the lab needs the same rules")


def _keyed(setup: LabSetup) -> LabSetup:
    text = json.dumps([setup.source.shown, hashlib.sha256(setup.source.text.encode()).hexdigest(),
                       setup.seed, setup.seats, setup.scripts, setup.no_dice, setup.review,
                       setup.prefix, setup.turn, setup.team, setup.ref,
                       [a.__dict__ for a in setup.alternatives]], sort_keys=True)
    return LabSetup(**{**setup.__dict__, "key": hashlib.sha256(text.encode()).hexdigest()})


def _team(saved: Game, team: str | None) -> str:
    rules = saved.rules
    players = [a.id for a in rules.actors if a.is_player]
    if team is None:
        return players[0]
    if team not in rules.actor_index:
        hint = did_you_mean(team, rules.actor_index)
        raise LabError("lab/unknown-team", f"no team '{team[:40]}' in {rules.id} (teams: "
                                           f"{', '.join(players)})" + (f"; {hint}" if hint else ""))
    return team


def _prefix(saved: Game, turn: int) -> list[Decision]:
    """The saved decisions made before turn ``turn`` began (checked: the turn was reached)."""
    reached = saved.engine.state.turn
    if not 1 <= turn <= reached or turn > saved.rules.turns:
        raise LabError("lab/turn-out-of-range",
                       f"turn {turn} is out of range: the save reached turn {reached} of "
                       f"{saved.rules.turns} (give --turn 1..{min(reached, saved.rules.turns)})")
    replay = Game.from_rules(saved.rules, saved.seed, {"all": "passive"},
                             no_dice=saved.engine.no_dice, review=saved.engine.review)
    prefix: list[Decision] = []
    for d in saved.decisions:
        if replay.engine.state.turn >= turn:
            break
        replay.replay_decisions([d])
        prefix.append(d)
    if replay.is_over or replay.engine.state.turn != turn:
        raise LabError("lab/turn-out-of-range", f"the saved game ended before turn {turn} began")
    return prefix


def _seats(saved: Game, seats: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """The continuations' seats: as given, else the save's; every one a computer seat."""
    from game.session import HUMAN, parse_seats, read_script

    chosen = parse_seats(seats, saved.rules) if seats else dict(saved.seats)
    people = [a for a, kind in chosen.items() if kind == HUMAN]
    if people:
        raise LabError("lab/human-seat",
                       f"the continuations are played by computer seats, but {', '.join(people)} "
                       f"{'is' if len(people) == 1 else 'are'} a person's seat; give --seats "
                       "(e.g. --seats all=greedy)")
    paths = sorted({k[7:] for k in chosen.values() if k.startswith("script:")})
    scripts = {p: saved.scripts[p] if not seats and p in saved.scripts else read_script(p)
               for p in paths}
    return chosen, scripts


def fork_probe(setup: LabSetup, seed: int) -> Game:
    """The game of ``seed`` at the chosen team's orders in turn K (no alternative given)."""
    g = base_game(setup).fork()
    g.reseed(seed)
    while not g.is_over and setup.team not in g.waiting_for():
        if g.engine.state.turn != setup.turn or not g.step_agent():
            break
    if setup.team not in g.waiting_for() or g.engine.state.turn != setup.turn:
        raise LabError("lab/no-orders", f"{W.actor_name(g.rules, setup.team)} gives no orders "
                                        f"in turn {setup.turn}")
    return g


def _alternatives(probe: Game, saved: Game, setup: LabSetup, spec: str,
                  skip: int) -> tuple[Alternative, ...]:
    """The alternatives asked for: each legal move at the fork and no orders ('all'), or the
    listed order sets; the orders the team really gave in turn K join as 'as-played' when the
    save holds them."""
    team = setup.team
    rules = probe.rules
    played = _as_played(saved, team, setup.turn, skip)
    out: list[Alternative] = []
    items = [x.strip() for x in spec.split(",") if x.strip()] or [ALL]
    for item in items:
        if item == ALL:
            legal = [a for a in probe.legal_actions(team) if a.verb not in (PASS, RETRACT, SAY)]
            out += [_named(rules, (str(a),)) for a in legal]
            out.append(_named(rules, ()))
            if played is not None:
                out.append(played)
        elif item == AS_PLAYED:
            if played is None:
                raise LabError("lab/not-played", f"the save does not hold {team}'s orders of "
                                                 f"turn {setup.turn}, so there is no 'as-played'")
            out.append(played)
        else:
            out.append(_named(rules, tuple(_order(probe, team, part)
                                           for part in item.split("+") if part.strip() != PASS)))
    seen: dict[tuple[str, ...], Alternative] = {}
    for alt in out:
        same = tuple(sorted(alt.orders))
        if same in seen and alt.key == AS_PLAYED and seen[same].key != AS_PLAYED:
            first = seen[same]  # the same orders: one alternative, said to be the ones played
            seen[same] = Alternative(first.key, f"{first.name} (as played)", first.orders)
        seen.setdefault(same, alt)
    if len(seen) > MAX_ALTERNATIVES:
        raise LabError("lab/too-many", f"{len(seen)} alternatives: at most {MAX_ALTERNATIVES}")
    return tuple(seen.values())


def _order(probe: Game, team: str, text: str) -> str:
    """An order of ``team`` from 'move key=value', checked against the scenario's moves."""
    rules = probe.rules
    words = text.strip()
    try:
        action = Action.parse(words if ":" in words else f"{team}: {words}")
    except EngineError as exc:
        raise LabError("lab/bad-alternative", f"alternative '{text[:60]}': {exc.message}") from None
    if action.actor != team:
        raise LabError("lab/bad-alternative", f"alternative '{text[:60]}' is an order of "
                                              f"{action.actor}, not of {team}")
    mine = [m.id for m in rules.moves if m.actor_mask >> rules.actor_index[team] & 1]
    if action.verb not in mine:
        hint = did_you_mean(action.verb, mine)
        raise LabError("lab/unknown-move", f"{team} has no move '{action.verb[:40]}'"
                                           + (f"; {hint}" if hint else f" (moves: {', '.join(mine)})"))
    legal = [a for a in probe.legal_actions(team) if a.verb == action.verb]
    if action not in legal:
        why = probe.engine.why_not(action)
        forms = ", ".join(_key(a) for a in legal) or "none now"
        raise LabError("lab/illegal-move", f"'{_key(action)}' cannot be given by {team} at the "
                                           f"start of turn {probe.engine.state.turn}: "
                                           f"{why.message if why else 'not legal'} (legal forms: "
                                           f"{forms})")
    return str(action)


def _key(a: Action) -> str:
    return " ".join([a.verb, *(f"{k}={v}" for k, v in a.params)])


def _named(rules: Any, orders: tuple[str, ...]) -> Alternative:
    if not orders:
        return Alternative(PASS, "No orders (pass)", ())
    actions = [Action.parse(o) for o in orders]
    return Alternative("+".join(_key(a) for a in actions),
                       " + ".join(W.move_with_choices(rules, a.verb, a.params) for a in actions),
                       orders)


def _as_played(saved: Game, team: str, turn: int, skip: int) -> Alternative | None:
    """The orders ``team`` really gave when first asked in turn ``turn``, up to its pass or
    its last order (None if the save stops before, or a retraction muddles them)."""
    g = Game.from_rules(saved.rules, saved.seed, {"all": "passive"},
                        no_dice=saved.engine.no_dice, review=saved.engine.review)
    g.replay_decisions(saved.decisions[:skip])
    orders: list[str] = []
    for d in saved.decisions[skip:]:
        if g.engine.state.turn != turn or g.is_over:
            return None
        act = Action.parse(d.action) if d.action and d.undo_to < 0 and d.reseed is None else None
        g.replay_decisions([d])
        if act is None or act.actor != team or act.verb == SAY:
            continue
        if act.verb == RETRACT:
            return None
        if act.verb != PASS:
            orders.append(str(Action(act.actor, act.verb, act.params)))
        if act.verb == PASS or team not in g.waiting_for():
            alt = _named(saved.rules, tuple(orders))
            return Alternative(AS_PLAYED, f"As played: {alt.name}", alt.orders)
    return None


# ---------------------------------------------------------------- what the continuations show


T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
         9: 2.262, 10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 25: 2.060, 30: 2.042,
         40: 2.021, 60: 2.000, 120: 1.980}
"""Student's t, 97.5th percentile, by degrees of freedom (for 95 % intervals of a mean)."""


def t975(df: int) -> float:
    """The two-sided 95 % t quantile for ``df`` degrees of freedom (the next tabled lower df,
    which errs wide; 1.96 beyond 120).

    >>> t975(1), t975(11), t975(1000)
    (12.706, 2.228, 1.96)
    """
    if df > 120:
        return 1.96
    return T_975[max(k for k in T_975 if k <= max(df, 1))]


def mean_ci(values: Sequence[float]) -> tuple[float, float, float, float]:
    """Mean, sample deviation and the 95 % confidence interval of the mean (Student's t).

    >>> [round(x, 3) for x in mean_ci([1.0, 2.0, 3.0])]
    [2.0, 1.0, -0.484, 4.484]
    """
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, 0.0, mean, mean
    sd = math.sqrt(sum((x - mean) ** 2 for x in values) / (n - 1))
    half = t975(n - 1) * sd / math.sqrt(n)
    return mean, sd, mean - half, mean + half


def wilson(k: float, n: int) -> tuple[float, float]:
    """The 95 % Wilson interval of a share ``k`` of ``n``.

    >>> [round(x, 3) for x in wilson(5, 10)]
    [0.237, 0.763]
    """
    if n == 0:
        return 0.0, 1.0
    z = 1.96
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """The lower quartile, median and upper quartile (linear between order statistics)."""
    xs = sorted(values)

    def at(q: float) -> float:
        pos = q * (len(xs) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)

    return at(0.25), at(0.5), at(0.75)


def default_tracks(rules: Any) -> list[str]:
    """Tracks the lab reports unless told: those with rungs (the ladders), then those in the
    real record; at most MAX_TRACKS."""
    laddered = [t.id for t in rules.tracks if t.thresholds and not t.is_flag]
    recorded = [tid for h in rules.history for tid, _ in h.values]
    out: list[str] = []
    for tid in [*laddered, *recorded]:
        if tid not in out:
            out.append(tid)
    return out[:MAX_TRACKS]


def check_tracks(rules: Any, spec: str | None) -> list[str]:
    """The tracks named in ``spec`` ('a,b'), checked; the default ones when None."""
    if not spec:
        return default_tracks(rules)
    out = []
    for tid in (x.strip() for x in spec.split(",") if x.strip()):
        if tid not in rules.track_index:
            hint = did_you_mean(tid, rules.track_index)
            known = ", ".join(list(rules.track_index)[:12]) + (
                ", ..." if len(rules.track_index) > 12 else "")
            raise LabError("lab/unknown-track", f"no track '{tid[:40]}' in {rules.id}"
                                                + (f"; {hint}" if hint else f" (tracks: {known})"))
        out.append(tid)
    return out[:MAX_TRACKS * 4]


@dataclass
class Summary:
    """Per alternative: each team's score and win share, and each chosen track at the end,
    with 95 % intervals — as tidy rows (``rows``) and value counts (``values``)."""

    rows: list[dict[str, Any]]
    values: list[dict[str, Any]]
    failed: list[dict[str, Any]]


def summarize_lab(lab: Lab, tracks: Sequence[str]) -> Summary:
    rules = lab.setup.source.rules()
    players = [a for a in rules.actors if a.is_player]
    p = rules.score_precision
    rows: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    failed = [r for r in lab.records if "error" in r]
    for alt in lab.alternatives:
        done = [r for r in lab.records if r["alternative"] == alt.key and "error" not in r]
        head = {"alternative": alt.key, "alternative_name": alt.name, "games": len(done)}
        if not done:
            continue
        for a in players:
            xs = [r["scores"][a.id] for r in done]
            rows.append({**head, "measure": "score", "id": a.id, "name": a.name,
                         **_stats(xs, p)})
            wins = sum(1 / len(r["winners"]) for r in done if a.id in r["winners"])
            lo, hi = wilson(wins, len(done))
            rows.append({**head, "measure": "win_share", "id": a.id, "name": a.name,
                         "mean": round(wins / len(done), 4), "sd": None,
                         "ci_low": round(lo, 4), "ci_high": round(hi, 4), "min": None,
                         "q1": None, "median": None, "q3": None, "max": None})
        for tid in tracks:
            t = rules.tracks[rules.track_index[tid]]
            xs = [round(r["tracks"][tid], t.precision) for r in done]
            rows.append({**head, "measure": "track", "id": tid, "name": t.name,
                         **_stats(xs, t.precision, (t.lo, t.hi))})
            for value, k in sorted(Counter(xs).items()):
                values.append({"alternative": alt.key, "alternative_name": alt.name,
                               "measure": "track", "id": tid,
                               "name": t.name, "value": value, "shown": W.value(t, value),
                               "games": k, "share": round(k / len(done), 4)})
        for a in players:
            for value, k in sorted(Counter(round(r["scores"][a.id], p) for r in done).items()):
                values.append({"alternative": alt.key, "alternative_name": alt.name,
                               "measure": "score", "id": a.id,
                               "name": a.name, "value": value, "shown": W.score(rules, value),
                               "games": k, "share": round(k / len(done), 4)})
    return Summary(rows, values, failed)


def _stats(xs: Sequence[float], precision: int,
           bounds: tuple[float, float] = (-math.inf, math.inf)) -> dict[str, Any]:
    """Mean, deviation, 95 % interval (inside ``bounds``, the values a track can take),
    range and quartiles; a mean one place finer than ``precision``."""
    mean, sd, lo, hi = mean_ci(xs)
    lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    q1, med, q3 = quartiles(xs)
    r = precision + 1

    def f(x: float, places: int = r) -> float:
        return float(W.number(x, places))

    return {"mean": f(mean), "sd": f(sd), "ci_low": f(lo), "ci_high": f(hi),
            "min": f(min(xs), precision), "q1": f(q1), "median": f(med), "q3": f(q3),
            "max": f(max(xs), precision)}
