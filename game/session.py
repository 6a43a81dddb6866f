"""Game: the one facade front ends use — seats, submit, agents, umpire powers, undo, fork, saves.

>>> g = Game.new("tutorial", seed=7, seats="all=random")
>>> g.run_agents()
>>> g.is_over
True
>>> Game.new("tutorial", seed=7, seats="all=random").play_out().log_digest() == g.log_digest()
True
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.agents import Agent, make_agent
from game.agents.basic import (
    AutoUmpire,
    Divergence,
    GreedyAgent,
    ScriptAgent,
    believed_engine,
    parse_script,
)
from game.agents.ismcts import Budget, IsmctsAgent
from game.engine.actions import CONTROL, RETRACT, SAY, Action
from game.engine.core import Engine
from game.engine.describe import explain, viewer_need, visible
from game.engine.errors import IllegalAction
from game.engine.log import Kind
from game.engine.rules import Rules
from game.engine.state import Entry, State
from game.engine.views import View, view_for

HUMAN = "human"
AUTO = "auto"
AUTO_POLICY = "greedy"
"""How the automatic umpire plays the control-cell actors unless told (``control=auto:KIND``)."""


class SeatError(ValueError):
    """A seat specification that cannot be used (e.g. ``XX=random`` for an unknown actor)."""

    code = "seat/error"


def parse_seats(spec: str | Mapping[str, str] | None, rules: Rules) -> dict[str, str]:
    """Seats for every actor and the umpire from ``'all=random,EU=human'`` or a mapping.

    Defaults: player actors human, control-cell actors played by the umpire ('passive' when
    the umpire is automatic), the umpire ('control') automatic.

    >>> from game.scenario.compile import load_rules
    >>> parse_seats("all=random,NORTH=greedy", load_rules("tutorial"))["NORTH"]
    'greedy'
    """
    pairs: dict[str, str] = {}
    if isinstance(spec, str):
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, eq, value = part.partition("=")
            if not eq or not value:
                raise SeatError(f"seat '{part}' should look like ACTOR=kind (e.g. EU=random)")
            pairs[key.strip()] = value.strip()
    elif spec:
        pairs = dict(spec)
    known = {*rules.actor_index, CONTROL, "all", "players"}
    for key, value in pairs.items():
        if key not in known:
            raise SeatError(f"no actor '{key}' in {rules.id} (actors: "
                            f"{', '.join(rules.actor_index)}, control)")
        _check_kind(key, value)
    everyone = pairs.get("all")
    seats: dict[str, str] = {CONTROL: pairs.get(CONTROL, AUTO)}
    for a in rules.actors:
        default = everyone or (pairs.get("players") if a.is_player else None)
        if default is None:
            default = HUMAN if a.is_player else CONTROL
        seats[a.id] = pairs.get(a.id, default)
    return seats


def _check_kind(key: str, kind: str) -> None:
    from game.agents import AGENT_KINDS, check_kind

    allowed = {HUMAN, CONTROL, *AGENT_KINDS} | ({AUTO} if key == CONTROL else set())
    name, _, policy = kind.partition(":")
    try:
        if kind in allowed or kind.startswith("script:") or check_kind(kind):
            return
        if key == CONTROL and name == AUTO and policy != "human" and check_kind(policy):
            return
    except ValueError as exc:
        raise SeatError(f"seat {key}: {exc}") from None
    extra = ", auto:KIND (how the automatic umpire plays the control cell)" if key == CONTROL else ""
    raise SeatError(f"seat kind '{kind}' for {key} is not one of "
                    f"{', '.join(sorted(allowed))}, ismcts:BUDGET, script:FILE{extra}")


SCRIPT = "script:"
MAX_SCRIPT_BYTES = 1_000_000


def _script_paths(seats: Mapping[str, str]) -> list[str]:
    return sorted({k[len(SCRIPT):] for k in seats.values() if k.startswith(SCRIPT)})


def read_script(path: str) -> str:
    """The text of a ``script:FILE`` seat's file (a regular file of at most 1 MB)."""
    from game.fileio import FileError, read_text

    try:
        return read_text(path, what="script", limit=MAX_SCRIPT_BYTES)
    except FileError as exc:
        raise SeatError(exc.message) from None  # it names the script and its path


class MissingScript:
    """A script seat of a loaded game whose save does not hold the script (saves before format
    3 did not): the game can be replayed and reported, but the seat cannot play until its
    seats are given again."""

    needs_view = False

    def __init__(self, actor: str, path: str) -> None:
        self.actor, self.path = actor, path

    def choose(self, view: View | None, legal: Sequence[Action]) -> Action:
        raise SeatError(f"the save does not hold the script of {self.actor}'s seat "
                        f"(script:{self.path[:80]}), and a save never opens a file it names; "
                        f"give the seats again, e.g. --seats {self.actor}=script:FILE")


@dataclass(frozen=True)
class Result:
    """How a finished game ended."""

    scores: dict[str, float]
    winners: tuple[str, ...]
    reason: str
    summary: str


@dataclass
class Decision:
    """One entry of the decision log: an action, an undo back to ``undo_to`` decisions, or a
    reseed (see :meth:`Game.reseed`)."""

    action: str = ""
    undo_to: int = -1
    reseed: int | None = None

    def to_json(self) -> dict[str, Any]:
        if self.reseed is not None:
            return {"reseed": self.reseed}
        return {"undo_to": self.undo_to} if self.undo_to >= 0 else {"action": self.action}


@dataclass
class Game:
    """A game in progress with its seats, decision log and undo snapshots."""

    engine: Engine
    seed: int
    seats: dict[str, str]
    scenario_ref: str = ""
    decisions: list[Decision] = field(default_factory=list)
    undone: list[Entry] = field(default_factory=list)
    """Log entries of undone steps, kept for the audit."""
    paused: bool = False
    autosave_dir: Path | None = None
    autosave_keep: int = 10
    on_turn_end: list[Callable[[Game], None]] = field(default_factory=list)
    scripts: dict[str, str] = field(default_factory=dict)
    """The text of each ``script:FILE`` seat's script, by FILE: read once when the seat is
    made, and saved with the game, so a loaded game never opens a path its save names."""
    agent_seed: int | None = None
    """The seed the computer seats draw from (None: the game's seed; set by a reseed)."""
    _snapshots: list[State] = field(default_factory=list)
    _agents: dict[str, Agent] = field(default_factory=dict)

    # ------------------------------------------------------------------ creation

    @classmethod
    def new(cls, scenario: str | os.PathLike[str] = "tutorial", seed: int = 0,
            seats: str | Mapping[str, str] | None = None, *, no_dice: bool = False,
            autosave_dir: Path | None = None, review: bool | None = None) -> Game:
        """A new game of a scenario (id or path) with the given seats.

        ``review``: adjudication waits for the umpire before outcomes apply (so a roll can be
        overridden); by default on when the umpire's seat is human."""
        from game.scenario.compile import load_rules

        rules = load_rules(scenario)
        return cls.from_rules(rules, seed, seats, no_dice=no_dice, autosave_dir=autosave_dir,
                              scenario_ref=str(scenario), review=review)

    @classmethod
    def from_rules(cls, rules: Rules, seed: int = 0, seats: str | Mapping[str, str] | None = None,
                   *, no_dice: bool = False, autosave_dir: Path | None = None,
                   scenario_ref: str = "", review: bool | None = None,
                   scripts: Mapping[str, str] | None = None) -> Game:
        """A new game of ``rules``. ``scripts`` (FILE -> text) given, the game's script seats
        are played from those texts and no file is opened (a loaded save); otherwise each
        ``script:FILE`` seat's file is read now."""
        seat_map = parse_seats(seats, rules)
        if review is None:
            review = seat_map[CONTROL] == HUMAN
        game = cls(Engine.new(rules, seed, no_dice=no_dice, review=review), seed, seat_map,
                   scenario_ref or rules.id, autosave_dir=autosave_dir)
        if scripts is None:
            game.scripts = {path: read_script(path) for path in _script_paths(seat_map)}
        else:
            game.scripts = {p: scripts[p] for p in _script_paths(seat_map) if p in scripts}
        game._make_agents()
        return game

    def _make_agents(self) -> None:
        self._agents = {}
        parsed: dict[str, list[Any]] = {}
        for actor, kind in self.seats.items():
            if kind in (HUMAN, CONTROL):
                continue
            if kind.partition(":")[0] == AUTO:
                self._agents[actor] = AutoUmpire(self.choice_seed)
            elif kind.startswith(SCRIPT):
                path = kind[len(SCRIPT):]
                if path not in self.scripts:
                    self._agents[actor] = MissingScript(actor, path)
                    continue
                if path not in parsed:
                    parsed[path] = parse_script(self.scripts[path], path)
                self._agents[actor] = ScriptAgent(actor, parsed[path], path, self.choice_seed)
            else:
                self._agents[actor] = self._computer(kind, actor)

    def _computer(self, kind: str, actor: str) -> Agent:
        """A computer player of ``kind`` for ``actor``, given what it may look at."""
        agent = make_agent(kind, actor, self.choice_seed)
        if isinstance(agent, GreedyAgent):
            agent.bind(functools.partial(self._believed, actor))
        elif isinstance(agent, IsmctsAgent):  # it reads only what the seat may know
            agent.bind(lambda: self.engine)
        return agent

    def _believed(self, actor: str) -> Engine:
        return believed_engine(self.engine, actor)

    @property
    def choice_seed(self) -> int:
        """The seed the computer seats' choices come from."""
        return self.seed if self.agent_seed is None else self.agent_seed

    @property
    def rules(self) -> Rules:
        return self.engine.rules

    @property
    def is_over(self) -> bool:
        return self.engine.is_over

    # ------------------------------------------------------------------ seats

    def seat_of(self, actor: str) -> str:
        """The seat kind that plays ``actor``: 'control' seats resolve to the umpire's — a
        human umpire plays them by hand, the automatic umpire by its declared policy
        (``control=auto:ismcts:500``; plain ``auto`` plays them greedily)."""
        kind = self.seats.get(actor, HUMAN)
        if kind == CONTROL:
            umpire = self.seats[CONTROL]
            return HUMAN if umpire == HUMAN else umpire.partition(":")[2] or AUTO_POLICY
        return kind

    def is_human(self, actor: str) -> bool:
        return self.seat_of(actor) == HUMAN

    def waiting_for(self) -> list[str]:
        return self.engine.waiting_for()

    def next_human(self) -> str | None:
        """The actor (or 'control') whose human seat must act now, if any."""
        for who in self.engine.waiting_for():
            if self.is_human(who):
                return who
        return None

    def _agent(self, who: str) -> Agent:
        agent = self._agents.get(who)
        if agent is None:
            kind = self.seat_of(who)
            agent = AutoUmpire(self.choice_seed) if who == CONTROL else self._computer(
                "passive" if kind == HUMAN else kind, who)
            self._agents[who] = agent
        return agent

    # ------------------------------------------------------------------ playing

    def view(self, viewer: str) -> View:
        return view_for(self.engine, viewer)

    def legal_actions(self, actor: str) -> list[Action]:
        return self.engine.legal_actions(actor)

    def may_act_for(self, seat: str, actor: str) -> bool:
        """May the holder of ``seat`` (an actor id or 'control') decide for ``actor``?

        A team decides for itself; the umpire for itself and for the control-cell actors."""
        if seat == actor:
            return True
        return seat == CONTROL and actor in self.rules.actor_index and not self.rules.actors[
            self.rules.actor_index[actor]].is_player

    def submit(self, action: Action | str, *, seat: str | None = None) -> Action:
        """Apply a decision (an Action or its text form); refuse illegal ones unchanged.

        ``seat`` names who is submitting (for networked or hot-seat front ends): a team may
        act only for itself, and only the umpire seat for 'control' and the control cell."""
        # the record keeps the text form, so apply what that text reads back as
        act = Action.parse(action if isinstance(action, str) else str(action))
        if seat is not None and not self.may_act_for(seat, act.actor):
            raise IllegalAction("action/not-your-seat",
                                f"the {seat} seat cannot act for {act.actor}")
        if self.paused and not act.is_control:
            raise IllegalAction("action/paused", "the umpire has paused the game")
        snapshot = self.engine.state.copy()
        turn = self.engine.state.turn
        self.engine.apply(act)
        self._snapshots.append(snapshot)
        self.decisions.append(Decision(str(act)))
        for agent in self._agents.values():
            if isinstance(agent, ScriptAgent):
                agent.observe(act)
        if self.engine.state.turn != turn or self.engine.is_over:
            self._turn_ended()
        return act

    def _turn_ended(self) -> None:
        for agent in self._agents.values():
            if isinstance(agent, ScriptAgent):
                agent.at_turn(self.engine.state.turn)
        if self.autosave_dir is not None:
            from game.saves import autosave

            autosave(self, self.autosave_dir, keep=self.autosave_keep)
        for hook in self.on_turn_end:
            hook(self)

    def step_agent(self) -> bool:
        """Let one computer seat act if one is waited for; True if it did."""
        for who in self.engine.waiting_for():
            if self.is_human(who):
                continue
            agent = self._agent(who)
            legal = self.engine.legal_actions(who)
            if not legal:
                continue
            view = self.view(who) if agent.needs_view else None
            reseed = getattr(agent, "reseed", None)
            if reseed is not None:
                reseed(self.engine.state.nlog)
            self.submit(agent.choose(view, legal))
            return True
        return False

    def run_agents(self, max_steps: int = 1_000_000) -> None:
        """Computer seats act until a human seat is needed or the game ends."""
        for _ in range(max_steps):
            if self.engine.is_over or self.paused or not self.step_agent():
                return

    def play_out(self) -> Game:
        """Run the computer seats to the end (all seats must be computer seats)."""
        self.run_agents()
        if not self.engine.is_over:
            who = self.next_human()
            raise SeatError(f"the game waits for a human seat ({who}); give it a computer kind")
        return self

    def reseed(self, seed: int) -> None:
        """From now on draw the dice and the computer seats' choices from ``seed``: the same
        game so far, another future (the analysis lab plays many continuations of one fork).
        It goes into the decision log, so a save of the game replays it; undo cannot go back
        past it."""
        from game.agents.basic import Reseeded
        from game.engine.rng import seed_state

        if not -(2**63) <= seed < 2**63:
            raise IllegalAction("action/bad-seed", f"a seed is a 64-bit integer, not {seed}")
        self.engine.state.rng = seed_state(seed)
        self.agent_seed = seed
        for agent in self._agents.values():
            for a in (agent, getattr(agent, "fallback", None)):
                if isinstance(a, Reseeded):
                    a.seed = seed
        self._snapshots.clear()
        self.decisions.append(Decision(reseed=seed))

    # ------------------------------------------------------------------ umpire powers

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def undo(self, *, keep_messages: bool = False) -> None:
        """Undo the last decision (the undone log entries are kept, marked, for the audit).

        ``keep_messages``: undo the last decision that is not a message, and send the messages
        made since again, in order (a hosted game: a message may already have been read, so
        it is never taken back)."""
        if not self._snapshots:
            raise IllegalAction("action/nothing-to-undo", "there is nothing to undo")
        index = len(self._snapshots) - 1
        if keep_messages:
            effective = self.effective_decisions()
            while index >= 0 and _is_message(effective[index]):
                index -= 1
            if index < 0:
                raise IllegalAction("action/nothing-to-undo", "there is nothing to undo but "
                                    "messages, and a message is never taken back")
        self._undo_keeping(index, keep_messages)

    def undo_resolution(self, *, keep_messages: bool = False) -> None:
        """Undo back to just before the last decision that resolved orders; ``keep_messages``
        as for :meth:`undo`."""
        entries = self.engine.state.entries()
        for i in range(len(self._snapshots) - 1, -1, -1):
            if any(e.kind == "outcome" for e in entries[self._snapshots[i].nlog:]):
                self._undo_keeping(i, keep_messages)
                return
        raise IllegalAction("action/nothing-to-undo", "no resolution to undo")

    def effective_decisions(self) -> list[str]:
        """The decisions in force, oldest first (an undo removes those after its mark): one
        for each undo snapshot."""
        out: list[str] = []
        for d in self.decisions:
            if d.undo_to >= 0:
                del out[d.undo_to:]
            else:
                out.append(d.action)
        return out

    def _undo_keeping(self, index: int, keep_messages: bool) -> None:
        later = ([a for a in self.effective_decisions()[index:] if _is_message(a)]
                 if keep_messages else [])
        self._undo_to(index)
        paused, self.paused = self.paused, False  # a message goes in while paused too
        try:
            for text in later:
                self.submit(text)
        finally:
            self.paused = paused

    def _undo_to(self, index: int) -> None:
        snapshot = self._snapshots[index]
        self.undone.extend(self.engine.state.entries()[snapshot.nlog:])
        self.engine.state = snapshot.copy()
        del self._snapshots[index:]
        self.decisions.append(Decision(undo_to=index))  # replay applies it the same way

    def coach(self, actor: str, budget: str = "", top: int = 3) -> list[str]:
        """A coach's hint for ``actor`` (a team at the keyboard): the options an ISMCTS search
        of ``budget`` (as in ``ismcts:BUDGET``; default 1,000 iterations) finds best now, in
        words, best first. The search reads only what the team may know and leaves the game
        unchanged; the same position gives the same hint."""
        options = [a for a in self.engine.legal_actions(actor) if a.verb != RETRACT]
        if not options:
            return []
        agent = IsmctsAgent(actor, self.choice_seed, Budget.parse(budget))
        agent.reseed(self.engine.state.nlog)
        agent.search(self.engine, options)
        return agent.explain(top)

    # ------------------------------------------------------------------ records

    def explain(self, seq: int, viewer: str = CONTROL) -> list[str]:
        """The causes of line ``seq`` of ``viewer``'s log (an actor, 'control' or 'public'; the
        numbering of that viewer's ``View.log``), as that viewer may follow them."""
        need = viewer_need(self.rules, viewer)
        entries = self.engine.state.entries()
        mine = [e for e in entries if visible(e, need)]
        if not 0 <= seq < len(mine):
            return []
        return explain(self.rules, entries, mine[seq].seq, need)

    @property
    def divergences(self) -> list[Divergence]:
        """Optional script lines (``? ...``) skipped because the game did not allow them when
        their turn came: where a historical script's game went another way."""
        return [d for agent in self._agents.values() if isinstance(agent, ScriptAgent)
                for d in agent.divergences]

    def log_digest(self) -> str:
        """sha256 of the canonical log: equal digests mean the same game, bit for bit."""
        return hashlib.sha256(self.engine.state.log_text().encode("utf-8")).hexdigest()

    def result(self) -> Result:
        scores = self.engine.actor_scores()
        players = {a.id for a in self.rules.actors if a.is_player}
        ranked = {k: v for k, v in scores.items() if k in players} or scores
        top = max(ranked.values()) if ranked else 0.0
        winners = tuple(sorted(k for k, v in ranked.items() if v == top))
        return Result(scores, winners, self.engine.state.end_reason, summary(self))

    def fork(self) -> Game:
        """An independent copy of this game from now on (same seats, same future dice)."""
        game = Game(self.engine.clone(), self.seed, dict(self.seats), self.scenario_ref,
                    list(self.decisions), list(self.undone), self.paused, None,
                    self.autosave_keep, scripts=dict(self.scripts),
                    agent_seed=self.agent_seed)
        game._snapshots = [s.copy() for s in self._snapshots]
        game._make_agents()
        return game

    def save(self, path: str | os.PathLike[str] | None = None) -> Path:
        from game.saves import default_save_path, write_save

        target = Path(path) if path is not None else default_save_path(self)
        write_save(self, target)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, seats: str | Mapping[str, str] | None = None,
             autosave_dir: Path | None = None) -> Game:
        """Load a save (checked and replayed); ``autosave_dir`` turns autosaving on."""
        from game.saves import read_save

        game = read_save(Path(path), seats=seats)
        game.autosave_dir = autosave_dir
        return game

    @staticmethod
    def latest_save(folder: Path | None = None) -> Path | None:
        """The save to resume: the newest autosave or save made by hand or on quitting
        (:func:`game.saves.latest_save`; ``folder`` is the saves folder)."""
        from game.saves import latest_save

        found = latest_save(folder)
        return found.path if found is not None else None

    def replay_decisions(self, decisions: list[Decision]) -> None:
        """Apply a decision log (as saved) to this fresh game, each decision checked."""
        for d in decisions:
            if d.reseed is not None:
                self.reseed(d.reseed)
            elif d.undo_to >= 0:
                if d.undo_to >= len(self._snapshots):
                    raise IllegalAction("action/nothing-to-undo",
                                        f"an undo back to decision {d.undo_to} of "
                                        f"{len(self._snapshots)} made")
                self._undo_to(d.undo_to)
            else:
                self.submit(d.action)


def _is_message(text: str) -> bool:
    return Action.parse(text).verb == SAY


def summary(game: Game) -> str:
    """A short text summary of where the game stands (or how it ended), in names and at
    declared precision.

    >>> print(summary(Game.new("tutorial", seed=2, seats="all=random").play_out()))
    The Border Crisis (tutorial): turn 3 of 3, ended: the last turn (3) is over. Scores: ...
    """
    from game.engine import wording as W

    eng = game.engine
    rules = game.rules
    s = eng.state
    end = next((e for e in reversed(s.entries()) if e.kind is Kind.END), None) if s.over else None
    head = (f"{rules.title}: turn {s.turn} of {rules.turns}"
            + (f", ended: {end.get('text') or s.end_reason}" if end is not None else ""))
    scores = ", ".join(f"{W.actor_name(rules, k)} {W.score(rules, v)}"
                       for k, v in sorted(eng.actor_scores().items(), key=lambda kv: -kv[1])
                       if rules.actors[rules.actor_index[k]].is_player)
    rungs = []
    for t in rules.tracks:
        if t.thresholds:
            x = s.tracks[t.idx]
            rung = t.rung(x)  # a ladder's value is already its rung's name
            rungs.append(f"{t.name} at {W.value(t, x)}{W.unit_after(t)}"
                         + (f" ('{rung.name}')" if rung is not None and not t.steps else ""))
    return f"{head}. Scores: {scores}." + (f" {'; '.join(rungs[:3])}." if rungs else "")
