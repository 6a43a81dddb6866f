"""Information-set Monte Carlo tree search (Cowling, Powley & Whitehouse 2012, "Information
Set Monte Carlo Tree Search", IEEE TCIAIG 4(2)): a computer player that thinks ahead without
looking at what its team may not know.

Each iteration samples one world consistent with what the seat knows — hidden tracks drawn
within its estimate ranges (anywhere in their range when unknown), other teams' secret orders of
this phase taken back so they are chosen again, their resources, hidden scores, scheduled
effects and the umpire's inject queue replaced by what the seat can assume, and fresh dice — then
plays that world forward: through the tree while its statistics say where to go, then to the
end of the turn with a cheap default policy (its own orders at random; the other seats give the
orders a one-turn look values most for them, :data:`MODEL_OTHERS`), where the objectives value
the position for each seat: the points it would end the game with if the position lasted, a
threshold not yet reached counting in part as it comes close (:mod:`game.agents.prospect`), less
the best other team's (its lead), counting of another team only the objectives the seat may know
of (:class:`Judge`).

Decisions are kept per seat and per what that seat has *observed* (its own actions, the public
ones, and "another team gave a secret order" without which): a team choosing its secret order
cannot condition on another team's secret order of the same phase. Each seat picks by UCB1 on its
own statistics (decoupled UCT), counting how often each action was available (the ISMCTS
"availability" correction, since the legal actions differ from one sampled world to another).

Seeded: with a budget in iterations the same position gives the same decision.

>>> from game.session import Game
>>> g = Game.new("tutorial", seed=1, seats="NORTH=ismcts:60,SOUTH=greedy")
>>> str(g.legal_actions("NORTH")[0]) != ""
True
>>> g.step_agent()
True
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from game.agents.basic import AutoUmpire, Reseeded, finish_turn
from game.agents.prospect import Grader
from game.engine.actions import CONTROL, PASS, RETRACT, Action
from game.engine.core import Engine
from game.engine.rules import Expr, PhaseKind, Rules
from game.engine.state import UNKNOWN
from game.engine.views import View
from game.engine.wording import move_with_choices, score
from game.scenario.expr import Env

DEFAULT_ITERATIONS = 1000
HORIZON_TURNS = 0
"""How far a playout goes: to the end of the turn being played (0), or that many turns more.
The turn's adjudication is most of a playout's cost: one turn more of random orders takes about
1.6 times as long per iteration (docs/performance.md)."""
MARGIN = True
"""Value a team's playouts by its lead over the best other team (True, the default: a game is
won by scoring more than the others) or by its own points (False, as the greedy seat does): with
the graded judge, the lead won more games for Russia and the DPRK, whose moves also feed each
other's objectives (docs/performance.md)."""
GRADED = True
"""Score the objectives at a playout's end with partial credit for coming close to a threshold
(True, the default: :mod:`game.agents.prospect`) or exactly (False, as the greedy seat does)."""
PERSIST = 1_000
"""For how many of the turns still to be scored a per-turn objective is counted, as if the
position lasted that long (1: once, as the greedy seat does)."""
MODEL_OTHERS = True
"""How the other seats give orders in a playout: in the order a one-turn look values them for
that seat (True, the default; see :meth:`IsmctsAgent._ranked`) or at random, passing half the
time (False). The DPRK, whose points hang on Moscow's pay, needs it: against greedy teams over
200 fresh flagship games (seeds 301 to 500) it won 32.1 % with the model, greedy 22.4 % in the
same seat; the other teams win clearly more than greedy either way, and think about a fifth
slower with it (docs/performance.md)."""
UCB_C = 0.7
"""Exploration constant of UCB1 on rewards scaled to 0..1."""


@dataclass(frozen=True)
class Budget:
    """How long the search may think: a number of iterations (repeatable) or seconds."""

    iterations: int | None = DEFAULT_ITERATIONS
    seconds: float | None = None

    @classmethod
    def parse(cls, text: str) -> Budget:
        """'' (the default), '5000' (iterations) or '2s' (seconds of thinking).

        >>> Budget.parse("2s"), Budget.parse("500")
        (Budget(iterations=None, seconds=2.0), Budget(iterations=500, seconds=None))
        """
        text = text.strip()
        if not text:
            return cls()
        try:
            if text.endswith("s"):
                seconds = float(text[:-1])
                if not 0 < seconds <= 600:
                    raise ValueError
                return cls(None, seconds)
            iterations = int(text)
            if not 1 <= iterations <= 10_000_000:
                raise ValueError
            return cls(iterations, None)
        except ValueError:
            raise ValueError(f"an ismcts budget is a number of iterations (1 to 10,000,000, "
                             f"e.g. ismcts:5000) or seconds (e.g. ismcts:2s), not '{text}'") from None


@dataclass(frozen=True)
class Alternative:
    """One of the root's options after the search: how often it was tried, its mean value to
    the seat (its lead over the best other team at the horizon, or its points: see
    :class:`Judge`) and its share of the visits."""

    action: Action
    visits: int
    mean: float
    share: float


class _Stats:
    """A seat's statistics at one information set: per action [visits, value sum, available]."""

    __slots__ = ("arms",)

    def __init__(self) -> None:
        self.arms: dict[Action, list[float]] = {}


class IsmctsAgent(Reseeded):
    """Plays one team (or control-cell actor) by ISMCTS on its own information."""

    needs_view = False

    def __init__(self, actor: str, seed: int, budget: Budget | None = None,
                 horizon_turns: int | None = None) -> None:
        super().__init__(actor, seed)
        self.budget = budget or Budget()
        self.horizon_turns = HORIZON_TURNS if horizon_turns is None else horizon_turns
        self._engine: Callable[[], Engine] | None = None
        self.last: list[Alternative] = []
        """The root's options from the last decision, most visited first (for coach hints)."""
        self.iterations = 0
        self.nodes = 0
        """Information sets in the last search's tree (all seats')."""
        self.searched = 0
        """Iterations of the last search (``iterations`` is reset by whoever counts them)."""
        self._rules: Rules | None = None
        self._margin = False
        self._when = ""
        self._ranks: dict[tuple[str, int, int], list[Action]] = {}
        """The other seats' options ranked for playouts, by seat, turn and phase (one search)."""

    def bind(self, engine: Callable[[], Engine]) -> None:
        """Where the live game is. The search reads from it only what the seat may know (see
        :func:`determinize`)."""
        self._engine = engine

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action:
        options = [a for a in legal if a.verb != RETRACT] or list(legal)
        if self._engine is None or len(options) == 1:
            self.last = []
            return options[0] if len(options) == 1 else self.rng.choice(options)
        return self.search(self._engine(), options)

    # ------------------------------------------------------------------ the search

    def search(self, engine: Engine, options: Sequence[Action]) -> Action:
        """The option most tried at the root (``last`` lists them all, the chosen one first).
        Passing is chosen only when no order came to as much on average: many objectives score
        a threshold that no one turn crosses, so within a turn orders often tie with passing,
        and an order given now counts towards the next turns' thresholds (the greedy seat also
        passes only when nothing scores better)."""
        me = self.actor
        tree: dict[tuple[str, int], _Stats] = {}
        scale: dict[str, list[float]] = {}
        umpire = AutoUmpire(self.rng.getrandbits(32))
        deadline = (time.process_time() + self.budget.seconds) if self.budget.seconds else None
        limit = self.budget.iterations or 10_000_000
        players = [a.id for a in engine.rules.actors]
        judge = Judge(engine.rules, me)
        worlds = Worlds(engine, me)
        root_options = set(options)
        hidden = {p: hash((p, "acted")) for p in players}
        self._ranks = {}
        n = 0
        while n < limit and (deadline is None or time.process_time() < deadline):
            world = worlds.sample(self.rng)
            self._iterate(world, tree, scale, umpire, players, root_options, judge, hidden)
            n += 1
        self.iterations = self.searched = n
        self.nodes = len(tree)
        self._rules = engine.rules
        self._when = ("by the game's end" if judge.persist >= judge.turns else "after this turn"
                      if judge.persist == 1 else f"over the next {judge.persist} turns")
        self._margin = judge.margin and len(judge.players) > 1 and engine.rules.actors[
            engine.rules.actor_index[me]].is_player
        root = tree.get((me, 0))
        arms = root.arms if root is not None else {}
        lo, hi = scale.get(me, [0.0, 0.0])
        self.last = sorted(
            (Alternative(a, int(arms[a][0]), arms[a][1] / arms[a][0], arms[a][0] / n)
             for a in options if a in arms and arms[a][0]),
            key=lambda x: (-x.visits, -x.mean, str(x.action)))
        if not self.last:
            return self.rng.choice(list(options))
        best = self.last[0]
        if best.action.verb == PASS:  # pass only when no order came to as much
            order = next((x for x in self.last if x.action.verb != PASS), None)
            if order is not None and order.mean >= best.mean - 1e-9:
                self.last.remove(order)
                self.last.insert(0, order)
        return self.last[0].action

    def _iterate(self, sim: Engine, tree: dict[tuple[str, int], _Stats],
                 scale: dict[str, list[float]], umpire: AutoUmpire, players: list[str],
                 root_options: set[Action], judge: Judge, hidden: dict[str, int]) -> None:
        rng = self.rng
        keys = dict.fromkeys(players, 0)
        path: list[tuple[str, _Stats, Action]] = []
        in_tree = True
        st = sim.state  # _apply changes the state in place
        stop_turn = st.turn + self.horizon_turns
        first = True
        given: set[tuple[str, Action]] = set()  # the modelled seats' orders of this playout
        for _ in range(2_000):
            if st.over or st.turn > stop_turn:
                break
            who = self.actor if first else sim.to_move()
            if who is None:
                break
            legal = sim.legal_actions(who)
            if not legal:
                break
            if who == CONTROL:
                action = umpire.choose(None, legal)
            else:
                options = [a for a in legal if a.verb != RETRACT] or legal
                if first:  # the root: exactly the options the real game offers the seat
                    options = [a for a in options if a in root_options] or options
                    first = False
                if in_tree:
                    stats = tree.get((who, keys[who]))
                    if stats is None:
                        stats = tree[(who, keys[who])] = _Stats()
                        in_tree = False  # expand this one node, then play out
                    action = _select(stats, options, scale.get(who), rng)
                    path.append((who, stats, action))
                elif MODEL_OTHERS and who != self.actor:
                    action = self._modelled(sim, who, options, judge, umpire, given)
                else:
                    action = _default(options, rng)
            if in_tree:  # the keys only find nodes of the tree: a playout needs none
                _observe(sim, who, action, keys, hidden)
            sim._apply(action)
        values = judge.values(sim) if path else {}
        for who, stats, action in path:
            value = values[who]
            bounds = scale.setdefault(who, [value, value])
            bounds[0] = min(bounds[0], value)
            bounds[1] = max(bounds[1], value)
            arm = stats.arms[action]
            arm[0] += 1
            arm[1] += value

    def _modelled(self, sim: Engine, who: str, options: Sequence[Action], judge: Judge,
                  umpire: AutoUmpire, given: set[tuple[str, Action]]) -> Action:
        """Another seat's order in a playout: the best of its options by :meth:`_ranked` that it
        has not given yet in this playout (passing if passing ranks higher)."""
        st = sim.state
        key = (who, st.turn, st.phase)
        ranked = self._ranks.get(key)
        if ranked is None:
            ranked = self._ranks[key] = self._ranked(sim, who, options, judge, umpire)
        for a in ranked:
            if a in options and (who, a) not in given:
                given.add((who, a))
                return a
        return _default(options, self.rng)

    @staticmethod
    def _ranked(sim: Engine, who: str, options: Sequence[Action], judge: Judge,
                umpire: AutoUmpire) -> list[Action]:
        """``who``'s options, best first, as a one-turn look values them: each played on a copy
        of ``sim`` (a sampled world, so nothing the searching seat cannot know), everyone passing
        to the end of the turn, valued by ``judge`` for ``who`` (the objectives of its that the
        searching seat may know of); an order before passing on a tie. Worked out once per
        search for each seat and phase, on the first world that reaches it."""
        values = []
        for a in options:
            probe = sim.clone()
            probe._apply(a)
            finish_turn(probe, umpire)
            values.append(judge.values(probe)[who])
        order = sorted(range(len(options)),
                       key=lambda i: (-values[i], options[i].verb == PASS))
        return [options[i] for i in order]

    def explain(self, top: int = 3) -> list[str]:
        """The best options of the last decision in words, for a coach hint: the move's name
        and chosen parameters (never ids), how often the search tried it and the points it
        came to on average (at the scenario's score precision): its lead over the best other
        team, or its own points when the search values those (:data:`MARGIN`):
        'Share intelligence (With: South Korea) — tried 212 of 1,000 times, 2.1 points ahead of
        the best other team by the game's end on average'."""
        rules = self._rules
        if rules is None:
            return []
        return [f"{action_words(rules, alt.action)} — tried {alt.visits:,} of "
                f"{self.searched:,} times, {self._outcome(rules, alt.mean)}"
                for alt in self.last[:top]]

    def _outcome(self, rules: Rules, mean: float) -> str:
        if not self._margin:
            return f"{score(rules, mean)} points {self._when} on average"
        other = "the other team" if sum(a.is_player for a in rules.actors) == 2 \
            else "the best other team"
        lead = score(rules, abs(mean))
        if float(lead) == 0:
            return f"level with {other} {self._when} on average"
        points = "point" if lead == "1" else "points"
        return (f"{lead} {points} {'ahead of' if mean > 0 else 'behind'} {other} {self._when} "
                "on average")


class Judge:
    """How a playout's end is valued for each seat, as the searching seat ``me`` can reckon it.

    A seat's points: its score so far plus what its objectives promise on the position, as if
    it lasted: each per-turn objective for the turns still to be scored (at most
    :data:`PERSIST` of them) and each end-of-game objective once; with :data:`GRADED` a
    comparison not met counts in part as it comes close (:mod:`game.agents.prospect`). Of another
    team it counts only the objectives ``me`` may know of (not hidden ones: their scoring is that
    team's secret). With ``margin`` (:data:`MARGIN`, the default) a player team's value is its
    points minus the best other player team's. Control-cell actors are valued by their points.
    With ``graded=False, persist=1, margin=False`` it values a position as the greedy seat does.
    """

    def __init__(self, rules: Rules, me: str, margin: bool | None = None,
                 graded: bool | None = None, persist: int | None = None) -> None:
        a = rules.actor_index[me]
        self.ids = [x.id for x in rules.actors]
        self.players = [x.idx for x in rules.actors if x.is_player]
        self.margin = MARGIN if margin is None else margin
        self.graded = GRADED if graded is None else graded
        self.persist = PERSIST if persist is None else persist
        self.turns = rules.turns
        grader = Grader(rules)
        self.terms: list[tuple[int, int, _Term | None, _Term | None]] = [
            (o.actor, o.idx, _term(grader, o.per_turn, self.graded),
             _term(grader, o.at_end, self.graded))
            for o in rules.objectives if o.actor == a or not o.hidden]
        self._exact = any(isinstance(f, _Exact) for _, _, *fs in self.terms for f in fs)

    def points(self, sim: Engine) -> list[float]:
        """Each actor's points on ``sim`` (by actor index)."""
        out = [0.0] * len(self.ids)
        s = sim.state
        scores = s.scores
        if s.over:  # everything is scored
            for actor, idx, _, _ in self.terms:
                out[actor] += scores[idx]
            return out
        tracks, turn = s.tracks, s.turn
        env = sim.env() if self._exact else None
        repeat = max(1, min(self.turns - turn + 1, self.persist))
        for actor, idx, per_turn, at_end in self.terms:
            total = scores[idx]
            if per_turn is not None:
                total += repeat * per_turn(tracks, turn, env)
            if at_end is not None:
                total += at_end(tracks, turn, env)
            out[actor] += total
        return out

    def values(self, sim: Engine) -> dict[str, float]:
        """Each seat's value of ``sim``, by actor id."""
        pts = self.points(sim)
        out = dict(zip(self.ids, pts, strict=True))
        if self.margin and len(self.players) > 1:
            for p in self.players:
                out[self.ids[p]] = pts[p] - max(pts[q] for q in self.players if q != p)
        return out


_Term = Callable[[Sequence[float], int, Env | None], float]
"""An objective's formula as the judge runs it: (tracks, turn, env) -> points."""


class _Exact:
    """A formula scored exactly, as the scenario does (reads the engine's env)."""

    __slots__ = ("fn",)

    def __init__(self, expr: Expr) -> None:
        self.fn = expr.fn

    def __call__(self, tracks: Sequence[float], turn: int, env: Env | None) -> float:
        return float(self.fn(env))


def _term(grader: Grader, expr: Expr | None, graded: bool) -> _Term | None:
    """``expr`` graded when it can be (see :mod:`game.agents.prospect`), else exactly."""
    if expr is None:
        return None
    if graded:
        try:
            g = grader.compile(expr.src)
        except ValueError:
            pass
        else:
            return lambda tracks, turn, env: g(tracks, turn)
    return _Exact(expr)


def action_words(rules: Rules, action: Action) -> str:
    """A team's option as people read it: the move's name and its chosen parameters, or
    'Give no more orders (pass)'."""
    if action.verb == PASS:
        return "Give no more orders (pass)"
    return move_with_choices(rules, action.verb, action.params)


def _select(stats: _Stats, options: Sequence[Action], bounds: list[float] | None,
            rng: random.Random) -> Action:
    """UCB1 with availability counts; an option never tried here is tried first."""
    arms = stats.arms
    untried: list[Action] = []
    got = []
    for a in options:
        arm = arms.get(a)
        if arm is None:
            arm = arms[a] = [0.0, 0.0, 1.0]
        else:
            arm[2] += 1
        if not arm[0]:
            untried.append(a)
        got.append(arm)
    if untried:
        return rng.choice(untried)
    lo, hi = bounds if bounds else (0.0, 1.0)
    span = (hi - lo) or 1.0
    best, best_score = options[0], -math.inf
    log, sqrt = math.log, math.sqrt
    for a, (n, w, avail) in zip(options, got, strict=True):
        score = ((w / n) - lo) / span + UCB_C * sqrt(log(avail) / n)
        if score > best_score:
            best, best_score = a, score
    return best


def _default(options: Sequence[Action], rng: random.Random) -> Action:
    """The cheap playout policy: pass half the time, otherwise a random order."""
    moves = [a for a in options if a.verb != PASS]
    if not moves or (len(moves) < len(options) and rng.random() < 0.5):
        return next((a for a in options if a.verb == PASS), options[0])
    return rng.choice(moves)


def _observe(sim: Engine, who: str, action: Action, keys: dict[str, int],
             hidden: dict[str, int]) -> None:
    """Move each seat's information-set key on by what it observes of ``action``: its own
    action and public ones in full; another team's order in a simultaneous (secret) phase only as
    'that team acted' (``hidden[who]``); the umpire's actions not at all (their effects are
    sampled, like dice)."""
    if who == CONTROL:
        return
    ph = sim.rules.phases[sim.state.phase]
    full = hash(action)
    if ph.kind is PhaseKind.ORDERS and ph.simultaneous:
        acted = hidden[who]
        for seat, key in keys.items():
            keys[seat] = hash((key, full if seat == who else acted))
    else:
        for seat, key in keys.items():
            keys[seat] = hash((key, full))


class Worlds:
    """:func:`determinize` for many iterations of one search: what does not depend on the
    random draws (others' secret orders taken back, resources, scores, schedules, the queue) is
    done once; each :meth:`sample` copies that and draws the hidden tracks and the dice, exactly
    as :func:`determinize` would with the same generator."""

    def __init__(self, engine: Engine, actor: str) -> None:
        base = self.base = engine.clone()
        s = base.state
        rules = engine.rules
        a = rules.actor_index[actor]
        known = s.known[a]
        self.draws = [(t.idx, *((t.lo, t.hi) if known[t.idx] == UNKNOWN else known[t.idx]),
                       t.integer) for t in rules.tracks if known[t.idx] is not None]
        _forget(base, a)

    def sample(self, rng: random.Random) -> Engine:
        sim = self.base.clone()
        tracks = sim.state.tracks
        uniform = rng.uniform
        for idx, lo, hi, integer in self.draws:
            x = uniform(lo, hi)
            tracks[idx] = float(round(x)) if integer else x
        sim.state.rng = rng.getrandbits(64)
        return sim


def determinize(engine: Engine, actor: str, rng: random.Random) -> Engine:
    """One world consistent with what ``actor`` knows, to search in: a copy of the game in which
    nothing the actor cannot know is left as it truly is.

    - tracks it sees exactly stay; tracks it estimates are drawn within its range; tracks it
      does not know at all are drawn anywhere in their range;
    - other actors' secret orders of this phase are taken back (and their costs refunded) and
      all of them may give orders again, so they choose anew (whether one passed or ordered is
      its secret); their secret orders of earlier phases are dropped;
    - other actors' resources are set to their starting amounts, scores the actor may not see
      to 0, other actors' scheduled effects, offers between other actors and the umpire's inject
      queue removed;
    - the dice are fresh (the random stream is the future)."""
    sim = engine.clone()
    s = sim.state
    rules = engine.rules
    a = rules.actor_index[actor]
    known = s.known[a]
    for t in rules.tracks:
        k = known[t.idx]
        if k is None:
            continue
        lo, hi = (t.lo, t.hi) if k == UNKNOWN else k
        x = rng.uniform(lo, hi)
        s.tracks[t.idx] = float(round(x)) if t.integer else x
    _forget(sim, a)
    s.rng = rng.getrandbits(64)
    return sim


def _forget(sim: Engine, a: int) -> None:
    """Take out of ``sim`` what actor ``a`` cannot know but the tracks (see :func:`determinize`)."""
    s = sim.state
    rules = sim.rules
    ph = sim.phase
    for o in s.orders:
        if o.actor != a and not o.revealed and o.phase == ph.idx:
            sim._apply(Action(rules.actors[o.actor].id, RETRACT, (("order", o.ref),)))
    s.orders = tuple(o for o in s.orders if o.actor == a or o.revealed)
    if ph.kind is PhaseKind.ORDERS and ph.simultaneous:
        s.done &= 1 << a  # whether another team passed or gave secret orders is its secret
    for other in rules.actors:
        if other.idx != a:
            for r in other.resources:
                s.res[r.idx] = r.initial
    for obj in rules.objectives:
        if obj.actor != a and (obj.hidden or not obj.public):
            s.scores[obj.idx] = 0.0
    s.pending = tuple(p for p in s.pending if p.actor == a)
    s.queue = ()
    s.offers = tuple(o for o in s.offers if a in (o.actor, o.to))  # others' are between them
