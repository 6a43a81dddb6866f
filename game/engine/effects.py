"""Effect operations, each declared once: one handler object per operation, looked up by name.

A handler is everything the program knows about one kind of effect — which words of a scenario
file select it (its ``target`` key and its amount keys), what the loader checks beyond the
shape (:meth:`EffectHandler.check`), what it points at once compiled
(:meth:`EffectHandler.target_index`), what it does to a game (:meth:`EffectHandler.apply`), who
may learn that it was scheduled (:meth:`EffectHandler.audience`) and how it is named in an
explanation (:meth:`EffectHandler.describe`). The loader (:mod:`game.scenario.check`,
:mod:`game.scenario.compile`, :mod:`game.scenario.intervals`) and the engine
(:mod:`game.engine.core`) keep no list of operations of their own: they ask :data:`HANDLERS`.

Adding an operation is a handler here, its fields in :class:`game.scenario.model.Effect` (the
JSON schema is generated from them) and its line in docs/scenario-authoring.md.

The load-time methods see the scenario's checker and compiler through the small protocols
below: the engine imports nothing from the loader.

>>> [h.op for h in HANDLERS]
['add', 'set', 'mul', 'drift', 'resource', 'reveal', 'trigger']
>>> select("track", ["toward", "by"]).op
'drift'
>>> select("track", ["add", "set"]) is None
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from game.engine.errors import did_you_mean
from game.engine.log import Kind
from game.engine.rules import Effect, Rules

if TYPE_CHECKING:
    from game.engine.core import Engine

Loc = tuple[str | int, ...]
"""A place in the scenario file, as the loader's source map knows it."""


class Checker(Protocol):
    """What a handler may use of the loader's cross-reference checker."""

    @property
    def track_ids(self) -> Mapping[str, Any]: ...
    @property
    def actor_ids(self) -> Mapping[str, Any]: ...
    @property
    def event_ids(self) -> Mapping[str, Any]: ...
    @property
    def actors(self) -> Mapping[str, Any]:
        """Actor id -> its checked model (with ``resources``)."""
    @property
    def tracks(self) -> Mapping[str, Any]:
        """Track id -> its checked model (with ``integer``, ``kind``)."""

    def error(self, loc: Loc, code: str, message: str, hint: str | None = None, *,
              key: bool = False) -> None: ...

    def ref(self, loc: Loc, name: str | None, table: Mapping[str, Any] | set[str],
            what: str, *, key: bool = False) -> bool: ...

    def refs(self, loc: Loc, names: Sequence[str], table: Mapping[str, Any],
             what: str) -> None: ...


class Indexer(Protocol):
    """What a handler may use of the loader's compiler: names to indices."""

    @property
    def track_idx(self) -> Mapping[str, int]: ...
    @property
    def event_idx(self) -> Mapping[str, int]: ...


class EffectHandler:
    """One effect operation. Subclasses set the class constants and override what differs."""

    op: ClassVar[str] = ""
    """Its name: in compiled rules (``Effect.op``), saves' explanations and messages."""
    target: ClassVar[str] = ""
    """The key of an effect that names what it acts on: 'track', 'resource', 'reveal' ..."""
    amounts: ClassVar[tuple[str, ...]] = ()
    """The keys holding its numbers (each a number or an expression), all required; the first
    one selects it among the operations on the same target (none: the target alone does)."""
    what: ClassVar[str] = "track"
    """What its target key names, for 'unknown ...' errors: 'track' or 'event' ('' : none)."""

    def check(self, c: Checker, loc: Loc, eff: Any, movers: Sequence[str] | None) -> None:
        """Report what is wrong with ``eff`` beyond its shape (its target must exist ...);
        ``movers`` are the actors of the move it belongs to (None: an event's)."""
        if self.what == "track":
            c.ref((*loc, self.target), getattr(eff, self.target), c.track_ids, "track")
        elif self.what == "event":
            c.ref((*loc, self.target), getattr(eff, self.target), c.event_ids, "event")

    def target_index(self, c: Indexer, eff: Any) -> int:
        """The index its compiled form acts on (a track's, an event's; -1: none)."""
        name = getattr(eff, self.target)
        if self.what == "track":
            return c.track_idx[name]
        if self.what == "event":
            return c.event_idx[name]
        return -1

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        """Make the change; ``values`` are its amounts, evaluated now."""
        raise NotImplementedError

    def audience(self, rules: Rules, eff: Effect, actor: int) -> int:
        """Who may learn that it was scheduled (a bitmask of actors): by default the actor
        whose move it belongs to (nobody but the umpire for an event's)."""
        return 1 << actor if actor >= 0 else 0

    def describe(self, rules: Rules, eff: Effect) -> str:
        """What it is, in a few words, for an explanation's 'Rule:' line."""
        if self.what == "track":
            return f"{self.op} on {rules.tracks[eff.target].name}"
        if self.what == "event":
            return f"{self.op} of {rules.events[eff.target].name}"
        return self.op


class _TrackChange(EffectHandler):
    """A change to a track: whoever sees the track may learn that one is due."""

    target: ClassVar[str] = "track"

    def audience(self, rules: Rules, eff: Effect, actor: int) -> int:
        return rules.tracks[eff.target].known_mask


class Add(_TrackChange):
    op: ClassVar[str] = "add"
    amounts: ClassVar[tuple[str, ...]] = ("add",)

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        eng._set_track(eff.target, eng.state.tracks[eff.target] + values[0], cause, eff)


class Set(_TrackChange):
    op: ClassVar[str] = "set"
    amounts: ClassVar[tuple[str, ...]] = ("set",)

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        eng._set_track(eff.target, values[0], cause, eff)


class Mul(_TrackChange):
    op: ClassVar[str] = "mul"
    amounts: ClassVar[tuple[str, ...]] = ("mul",)

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        eng._set_track(eff.target, eng.state.tracks[eff.target] * values[0], cause, eff)


class Drift(_TrackChange):
    """A track moves toward a level by at most a step each time it applies (it never goes
    past the level): sanctions that erode, a dependence that reverts. Given a ``duration`` it
    applies every turn of it; from an event that fires every turn, every turn."""

    op: ClassVar[str] = "drift"
    amounts: ClassVar[tuple[str, ...]] = ("toward", "by")

    def check(self, c: Checker, loc: Loc, eff: Any, movers: Sequence[str] | None) -> None:
        super().check(c, loc, eff, movers)
        by = eff.by
        if isinstance(by, int | float) and by <= 0:
            c.error((*loc, "by"), "scenario/bad-effect",
                    f"a drift moves by a step above 0, not {by:g}",
                    "write the size of one turn's step, e.g. 'by: 0.5'")
            return
        track = c.tracks.get(eff.track)
        whole = track is not None and (track.integer or track.kind == "flag")
        if whole and isinstance(by, int | float) and by != int(by):
            c.error((*loc, "by"), "scenario/bad-effect",
                    f"'{eff.track}' is a whole-number track, so a drift by {by:g} is rounded "
                    "away (or doubled) at every step",
                    "drift by a whole number, or give the track 'integer: false'")

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        toward, by = values
        step = by if by > 0 else 0.0
        old = eng.state.tracks[eff.target]
        new = max(toward, old - step) if old > toward else min(toward, old + step)
        eng._set_track(eff.target, new, cause, eff)


class Resource(EffectHandler):
    op: ClassVar[str] = "resource"
    target: ClassVar[str] = "resource"
    amounts: ClassVar[tuple[str, ...]] = ("add",)
    what: ClassVar[str] = ""

    def check(self, c: Checker, loc: Loc, eff: Any, movers: Sequence[str] | None) -> None:
        actor = eff.actor or ("self" if movers is not None else None)
        if actor is None:
            c.error(loc, "scenario/missing-field", "a resource effect of an event needs 'actor'")
            return
        if actor == "self" and movers is None:
            c.error((*loc, "actor"), "scenario/bad-effect",
                    "'self' only means something in a move")
            return
        if actor != "self" and not c.ref((*loc, "actor"), actor, c.actor_ids, "actor"):
            return
        for who in (movers or []) if actor == "self" else [actor]:
            if who not in c.actors:
                continue
            have = {r.id for r in c.actors[who].resources}
            if eff.resource not in have:
                c.error((*loc, "resource"), "scenario/unknown-resource",
                        f"'{who}' has no resource '{eff.resource}'",
                        did_you_mean(eff.resource or "", sorted(have)))
                return

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        eng._change_resource(eff, actor, int(values[0]), cause)

    def describe(self, rules: Rules, eff: Effect) -> str:
        return f"{self.op} {eff.rid}"


class Reveal(EffectHandler):
    op: ClassVar[str] = "reveal"
    target: ClassVar[str] = "reveal"

    def check(self, c: Checker, loc: Loc, eff: Any, movers: Sequence[str] | None) -> None:
        super().check(c, loc, eff, movers)
        if not eff.to:
            c.error(loc, "scenario/bad-effect", "a reveal needs 'to: [actors]'")
        c.refs((*loc, "to"), eff.to, c.actor_ids, "actor")

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        eng._reveal_track(eff, cause)


class Trigger(EffectHandler):
    op: ClassVar[str] = "trigger"
    target: ClassVar[str] = "trigger"
    what: ClassVar[str] = "event"

    def apply(self, eng: Engine, eff: Effect, actor: int, values: tuple[float, ...],
              cause: int) -> None:
        eng._fire(eng.rules.events[eff.target], cause)


HANDLERS: tuple[EffectHandler, ...] = (Add(), Set(), Mul(), Drift(), Resource(), Reveal(),
                                       Trigger())
"""Every effect operation, in the order the loader tries them."""

BY_OP: dict[str, EffectHandler] = {h.op: h for h in HANDLERS}
"""Operation name -> its handler (what the engine looks an effect up by)."""

TARGETS: tuple[str, ...] = tuple(dict.fromkeys(h.target for h in HANDLERS))
"""The keys that name what an effect acts on, one of which each effect names."""

AMOUNTS: tuple[str, ...] = tuple(dict.fromkeys(k for h in HANDLERS for k in h.amounts))
"""Every key that holds a number or an expression of some operation."""


def select(target: str, given: Sequence[str]) -> EffectHandler | None:
    """The operation an effect naming ``target`` with the amount keys ``given`` is, or None
    when it names none of that target's operations or more than one."""
    found = [h for h in HANDLERS
             if h.target == target and (not h.amounts or h.amounts[0] in given)]
    return found[0] if len(found) == 1 else None


def choices(target: str) -> tuple[str, ...]:
    """The keys that select each operation on ``target`` (for 'needs one of ...' messages)."""
    return tuple(h.amounts[0] for h in HANDLERS if h.target == target and h.amounts)


def words(keys: Sequence[str], last: str = "or") -> str:
    """``'a', 'b' or 'c'``."""
    quoted = [f"'{k}'" for k in keys]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {last} {quoted[-1]}"



# ---------------------------------------------------------------- rung consequences


def fire_rungs(eng: Engine, crossed: list[tuple[float, int, int]], up: bool) -> None:
    """Fire the events of the rungs a change crossed — ``(at, event index, the rung's log
    entry)`` — in the order the value passed them, each caused by its rung's entry (so an
    explanation runs from the event back through the rung to the change). An event already
    fired that fires once, an inject already waiting for the umpire, and an event that is
    itself among the causes of this change (a rung's event whose effects cross the rung back
    would otherwise go round for ever) are not fired again."""
    s = eng.state
    for _, ev_i, seq in sorted(crossed, reverse=not up):
        ev = eng.rules.events[ev_i]
        if ev.once and s.fired >> ev_i & 1:
            continue
        if any(e == ev_i for e, _ in s.queue) or _caused_by(eng, seq, ev.id):
            continue
        eng._fire(ev, seq)


def _caused_by(eng: Engine, seq: int, event: str) -> bool:
    """Is event ``event`` on the chain of causes of log entry ``seq``?"""
    want = seq
    for e in eng.state.iter_recent():  # newest first; a cause is always an earlier entry
        if want < 0:
            break
        if e.seq == want:
            if e.kind == Kind.EVENT and e.values[0] == event:
                return True
            want = e.cause
    return False
