"""The basic computer players: random, passive, greedy, the automatic umpire, and scripts."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from game.engine.actions import CONTROL, PASS, RETRACT, Action
from game.engine.core import Engine
from game.engine.state import UNKNOWN
from game.engine.views import View


def position_seed(seed: int, actor: str, position: int) -> int:
    """A seed for an agent's choice that depends only on the game and where it stands, so a
    game continued from a save makes the same choices as one played straight through."""
    return (seed * 1_000_003 + zlib.crc32(actor.encode()) * 7_919 + position) & (2**63 - 1)


class Reseeded:
    """Agents whose randomness is re-derived from the game position before each choice."""

    def __init__(self, actor: str, seed: int) -> None:
        self.actor = actor
        self.seed = seed
        self.rng = random.Random(position_seed(seed, actor, 0))

    def reseed(self, position: int) -> None:
        self.rng.seed(position_seed(self.seed, self.actor, position))


class RandomAgent(Reseeded):
    """Picks uniformly among the legal actions (never retracts: that only loops)."""

    needs_view = False

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action:
        options = [a for a in legal if a.verb != RETRACT] or list(legal)
        return self.rng.choice(options)


class PassiveAgent:
    """Always passes (an actor the umpire leaves idle)."""

    needs_view = False

    def __init__(self, actor: str) -> None:
        self.actor = actor

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action:
        for a in legal:
            if a.verb in (PASS, "advance"):
                return a
        return legal[0]


class AutoUmpire(Reseeded):
    """Runs the white cell unattended: releases injects, rules on arguments, moves on.

    Matrix arguments get a strength drawn from -1..+1 and umpire-kind moves a random
    outcome, from the umpire's own seeded generator, so batch runs explore both.
    """

    needs_view = False

    def __init__(self, seed: int) -> None:
        super().__init__(CONTROL, seed)

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action:
        releases = [a for a in legal if a.verb == "release"]
        if releases:
            return releases[0]
        rulings = [a for a in legal if a.verb == "rule"]
        if rulings:
            first = rulings[0].param("order")
            mine = [a for a in rulings if a.param("order") == first]
            strengths = [a for a in mine if a.param("strength") in ("-1", "0", "1")]
            return self.rng.choice(strengths or mine)
        for a in legal:
            if a.verb == "advance":
                return a
        return legal[0]


class GreedyAgent(Reseeded):
    """One-ply lookahead on its own objectives, in the world as its actor believes it.

    For each legal action it plays the action in a believed copy of the game (hidden values set
    to the middle of the actor's estimate, its own dice re-seeded), lets everyone pass to the end
    of the turn, and scores the result with the actor's objectives. Ties are broken
    at random; passing is chosen only when nothing scores better.
    """

    needs_view = False

    def __init__(self, actor: str, seed: int) -> None:
        super().__init__(actor, seed)
        self._believed: Callable[[], Engine] | None = None

    def bind(self, believed: Callable[[], Engine]) -> None:
        self._believed = believed

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action:
        options = [a for a in legal if a.verb != RETRACT] or list(legal)
        if self._believed is None or len(options) == 1:
            return self.rng.choice(options)
        base = self._believed()
        best: list[Action] = []
        best_value = float("-inf")
        for action in options:
            value = self._value(base, action)
            if value > best_value + 1e-9:
                best, best_value = [action], value
            elif abs(value - best_value) <= 1e-9:
                best.append(action)
        non_pass = [a for a in best if a.verb != PASS]
        return self.rng.choice(non_pass or best)

    def _value(self, base: Engine, action: Action) -> float:
        sim = base.clone()
        sim.state.rng = self.rng.getrandbits(64)
        sim._apply(action)
        finish_turn(sim, AutoUmpire(self.rng.getrandbits(32)))
        return objective_value(sim, self.actor)


def finish_turn(sim: Engine, umpire: AutoUmpire) -> None:
    """Play ``sim`` to the end of its turn (or of the game) with every seat passing and
    ``umpire`` running the white cell."""
    start_turn = sim.state.turn
    for _ in range(500):
        if sim.is_over or sim.state.turn != start_turn:
            break
        who = sim.waiting_for()[0]
        legal = sim.legal_actions(who)
        pick = umpire.choose(None, legal) if who == CONTROL else PassiveAgent(who).choose(
            None, legal)
        sim._apply(pick)


def objective_value(engine: Engine, actor: str) -> float:
    """Score so far plus what the actor's objectives would score on the current state."""
    a = engine.rules.actor_index[actor]
    env = engine.env()
    total = 0.0
    for o in engine.rules.objectives:
        if o.actor != a:
            continue
        total += engine.state.scores[o.idx]
        for expr in (o.per_turn, o.at_end):
            if expr is not None:
                total += float(expr.fn(env))
    return total


def believed_engine(engine: Engine, actor: str) -> Engine:
    """A copy of the game as ``actor`` believes it: hidden values at the middle of its
    estimates (unknown ones at their starting value); other teams' secret orders, others'
    delayed effects and the umpire's inject queue removed."""
    sim = engine.clone()
    s = sim.state
    a = engine.rules.actor_index[actor]
    known = s.known[a]
    for t in engine.rules.tracks:
        k = known[t.idx]
        if k is None:
            continue
        s.tracks[t.idx] = t.initial if k == UNKNOWN else (k[0] + k[1]) / 2
    s.orders = tuple(o for o in s.orders if o.actor == a or o.revealed)
    s.pending = tuple(p for p in s.pending if p.actor == a)  # others' schedules are theirs
    s.queue = ()  # injects waiting for the umpire are the umpire's business
    return sim


@dataclass(frozen=True)
class ScriptLine:
    number: int
    turn: int | None
    action: Action
    optional: bool = False
    """Written ``? EU: move``: played if legal when its turn comes, else a divergence."""


@dataclass(frozen=True)
class Divergence:
    """An optional script line the game did not allow when its turn came (a historical script
    whose game has gone another way): skipped and recorded, never an abort."""

    where: str
    turn: int
    action: Action

    def __str__(self) -> str:
        return f"{self.where}: '{self.action}' was not legal on turn {self.turn}: skipped"


class ScriptError(ValueError):
    """A script line that cannot be read or played; says file and line."""

    def __init__(self, where: str, message: str) -> None:
        self.code = "script/error"
        self.where, self.message = where, message
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[ScriptError], tuple[str, str]]:
        """Pickled as where and what (it crosses from a batch's worker processes)."""
        return type(self), (self.where, self.message)


def parse_script(text: str, path: str = "<script>") -> list[ScriptLine]:
    """Read a script: one action per line (``EU: move key=value | why``), ``# comments``,
    turn markers ``== turn 3`` that say from which turn the following lines apply, and lines
    marked optional with a leading ``?`` (played if legal, else skipped as a divergence)."""
    from game.engine.errors import ActionSyntaxError

    lines: list[ScriptLine] = []
    turn: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("=="):
            words = line.strip("= ").split()
            if len(words) != 2 or words[0].lower() != "turn" or not words[1].isdigit():
                raise ScriptError(f"{path}:{number}", f"'{line}' should be '== turn N'")
            turn = int(words[1])
            continue
        optional = line.startswith("?")
        try:
            lines.append(ScriptLine(number, turn, Action.parse(line.removeprefix("?").strip()),
                                    optional))
        except ActionSyntaxError as exc:
            raise ScriptError(f"{path}:{number}", exc.message) from None
    return lines


class ScriptAgent:
    """Plays the lines of a script that belong to its actor, in order.

    A line marked for a later turn waits; when the actor must act and has no line for now, it
    passes (the umpire: moves on, or rules as the automatic umpire would). A line that is not
    legal when its turn comes raises a ScriptError naming the file and line — unless it is
    optional (``?``): then it is skipped and kept in :attr:`divergences`.
    """

    needs_view = False

    def __init__(self, actor: str, lines: Sequence[ScriptLine], path: str, seed: int) -> None:
        self.actor = actor
        self.path = path
        self.lines = [x for x in lines if x.action.actor == actor]
        self.pos = 0
        self.turn = 1
        self.fallback = AutoUmpire(seed) if actor == CONTROL else PassiveAgent(actor)
        self.divergences: list[Divergence] = []

    def observe(self, action: Action) -> None:
        """Note a decision of the game: a line of ours that was played moves the script on."""
        if self.pos < len(self.lines) and self.lines[self.pos].action == action:
            self.pos += 1

    def reseed(self, position: int) -> None:
        if isinstance(self.fallback, AutoUmpire):
            self.fallback.reseed(position)

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action:
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.turn is not None and line.turn > self.turn:
                break
            if line.action in legal or line.action.verb in ("adjust", "override") \
                    or line.action.param("estimates"):
                return line.action
            if not line.optional:
                raise ScriptError(f"{self.path}:{line.number}",
                                  f"'{line.action}' is not legal now (legal: "
                                  f"{', '.join(str(a) for a in legal[:8])})")
            self.divergences.append(Divergence(f"{self.path}:{line.number}", self.turn,
                                               line.action))
            self.pos += 1
        return self.fallback.choose(view, legal)

    def at_turn(self, turn: int) -> None:
        self.turn = turn

