"""Sentences for log entries, and ``explain``: the chain of causes behind a change.

>>> from game.scenario.compile import load_rules
>>> from game.engine.core import Engine
>>> eng = Engine.new(load_rules("tutorial"), seed=1)
>>> describe(eng.rules, eng.state.entries()[0])
'Turn 1 begins (2025-01-01).'
"""

from __future__ import annotations

import re
from typing import Any

from game.engine.rules import Rules
from game.engine.state import Entry


def _fmt(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, float):
        return f"{x:.3g}"
    return str(x)


def _params(params: Any) -> str:
    return "".join(f" {k}={v}" for k, v in params or ())


def _choices(rules: Rules, mid: str, params: Any) -> str:
    """The chosen parameters in words, e.g. ' (Aimed at: The Council)'."""
    i = rules.move_index.get(mid)
    if i is None or not params:
        return _params(params)
    names = {pid: (question, dict(choices)) for pid, question, choices in rules.moves[i].labels}
    words = [f"{names[k][0]}: {names[k][1].get(v, v)}" if k in names else f"{k}={v}"
             for k, v in params]
    return f" ({'; '.join(words)})"


def _move_name(rules: Rules, mid: str) -> str:
    i = rules.move_index.get(mid)
    return rules.moves[i].name if i is not None else mid


def _track(rules: Rules, tid: str) -> str:
    i = rules.track_index.get(tid)
    return rules.tracks[i].name if i is not None else tid


_WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
_SIGNS = ((" >= ", " ≥ "), (" <= ", " ≤ "), (" != ", " ≠ "), (" == ", " = "))


def plain(rules: Rules, text: str) -> str:
    """A rule or a refusal for people: track ids become the tracks' names and comparisons
    their signs (scripts and the scenario file keep the ids).

    >>> from game.scenario.compile import load_rules
    >>> plain(load_rules("tutorial"), "south_intel >= 2 and tension < 5")
    'Southland intelligence ≥ 2 and Border tension < 5'
    """
    out = _WORD.sub(lambda m: _track(rules, m.group(0)), text)
    for op, sign in _SIGNS:
        out = out.replace(op, sign)
    return out


def describe(rules: Rules, e: Entry) -> str:
    """One sentence for a log entry."""
    d = dict(e.data)
    k = e.kind
    if k == "turn":
        return f"Turn {d['turn']} begins ({d['date']})."
    if k == "phase":
        return f"Phase: {rules.phases[rules.phase_index[d['phase']]].name}."
    if k == "skip":
        return f"Phase skipped: {rules.phases[rules.phase_index[d['phase']]].name}."
    if k == "pass":
        return f"{d['actor']} has finished giving orders."
    if k == "order":
        why = f' — "{d["rationale"]}"' if d.get("rationale") else ""
        return f"{d['actor']} gives order {d['order']}: {_move_name(rules, d['move'])}" \
               f"{_choices(rules, d['move'], d['params'])}{why}."
    if k == "retract":
        return f"Order {d['order']} ({_move_name(rules, d['move'])}) retracted."
    if k == "reveal":
        return f"{d['actor']}: {_move_name(rules, d['move'])}" \
               f"{_choices(rules, d['move'], d['params'])}."
    if k == "news":
        return f"NEWS — {d['text']}"
    if k == "roll":
        return _describe_roll(d)
    if k in _UMPIRE_KINDS:
        return _describe_umpire(rules, k, d)
    if k == "outcome":
        text = f" {d['text']}" if d.get("text") else ""
        return f"{d['actor']} {_move_name(rules, d['move'])}: {d['outcome']}.{text}"
    if k == "change":
        arrow = "▲" if d["new"] > d["old"] else "▼"
        return f"{_track(rules, d['track'])} {arrow} {_fmt(d['old'])} → {_fmt(d['new'])}."
    if k == "threshold":
        way = "reaches" if d["up"] else "falls below"
        return f"{_track(rules, d['track'])} {way} '{d['rung']}' ({_fmt(d['at'])})."
    if k == "resource":
        return f"{d['actor']} {d['resource']}: {d['old']} → {d['new']}."
    if k == "intel":
        return f"Intelligence: {_track(rules, d['track'])} is {_fmt(d['value'])}."
    if k == "scheduled":
        turns = ", ".join(str(t) for t in d["turns"])
        return f"Effect scheduled for turn {turns}."
    if k == "event":
        return f"EVENT — {d['name']}: {d['text']}"
    if k == "inject":
        reason = f" — {d['reason']}" if d.get("reason") else ""
        return f"Inject '{d['event']}' {d['status']}{reason}."
    if k == "score":
        return f"{d['actor']} scores {_fmt(d['points'])} ({d['objective']}), total {_fmt(d['total'])}."
    if k == "end":
        scores = ", ".join(f"{a} {_fmt(s)}" for a, s in d["scores"])
        return f"GAME OVER — {d['text']}. Scores: {scores}."
    return f"{k}: {d}"


_UMPIRE_KINDS = ("ruling", "override", "advance", "adjust")


def _describe_umpire(rules: Rules, k: str, d: dict[str, Any]) -> str:
    """Sentences for the umpire's own entries."""
    if k == "ruling":
        what = (f"outcome {d['outcome']}" if "outcome" in d else
                f"strength {d['strength']:+d}" if "strength" in d else
                f"estimates {'/'.join(_fmt(x) for x in d['estimates'])}")
        reason = f" — {d['reason']}" if d.get("reason") else ""
        return f"Umpire rules on order {d['order']}: {what}{reason}."
    if k == "override":
        return f"Umpire overrides order {d['order']}: {d['from']} → {d['to']} — {d['reason']}."
    if k == "advance":
        return "The umpire moves the game on."
    if k == "adjust":
        return f"Umpire sets {_track(rules, d['track'])} to {_fmt(d['value'])} — {d['reason']}."
    return f"{k}: {d}"


def _describe_roll(d: dict[str, Any]) -> str:
    if d["kind"] == "estimate":
        return (f"Order {d['order']}: players' estimate {d['p']:.0%}, drawn {_fmt(d['drawn'])}"
                f" → {'success' if d['success'] else 'failure'}.")
    if d.get("hidden"):
        dice = "+".join(str(x) for x in d["dice"]) or "no dice"
        return (f"Order {d['order']}: rolled {dice}, with factors you cannot see → "
                f"{'success' if d['success'] else 'failure'}.")
    if d["kind"] == "no-dice":
        return (f"Order {d['order']}: no dice — odds {d['p']:.0%}, so the most likely outcome: "
                f"{'success' if d['success'] else 'failure'}.")
    mods = "".join(f" {v:+d} ({why})" for v, why in d["modifiers"])
    dice = "+".join(str(x) for x in d["dice"])
    return (f"Order {d['order']}: rolled {dice}{mods} = {d['total']} vs {d['target']} "
            f"(odds {d['p']:.0%}) → {'success' if d['success'] else 'failure'}.")


HIDDEN_FROM_YOU = "(a cause you cannot see)"
HIDDEN_FROM_ROOM = "(a cause not every team may see)"


def visible(e: Entry, need: int) -> bool:
    """May a viewer see this entry? ``need`` holds the actors who must all be in its audience:
    an actor's own bit, every player's bit for the room, or 0 for the umpire, who sees all."""
    return e.mask & need == need


def viewer_need(rules: Rules, viewer: str) -> int:
    """The ``need`` of :func:`visible` for an actor id, 'control' or 'public'."""
    if viewer == "control":
        return 0
    if viewer == "public":
        return sum(a.bit for a in rules.actors if a.is_player)
    return rules.actors[rules.actor_index[viewer]].bit


def explain(rules: Rules, entries: list[Entry], seq: int, viewer_bit: int = 0) -> list[str]:
    """The chain of causes of entry ``seq``, newest first, back to the rule and the dice.

    Each line is a sentence; the last names the scenario rule (file:line:col) behind it.
    Entries the viewer may not see are shown as 'a hidden cause'.
    """
    by_seq = {e.seq: e for e in entries}
    lines: list[str] = []
    e = by_seq.get(seq)
    rule_where = ""
    while e is not None:
        if visible(e, viewer_bit):
            lines.append(describe(rules, e))
            rule_where = rule_where or _rule_of(rules, e)
        elif e.kind != "order":  # another team's secret submission: its reveal said enough
            several = viewer_bit & (viewer_bit - 1)  # the room: every player team at once
            lines.append(HIDDEN_FROM_ROOM if several else HIDDEN_FROM_YOU)
            break
        else:
            break
        e = by_seq.get(e.cause) if e.cause >= 0 else None
    if rule_where:
        lines.append(f"Rule: {rule_where}")
    return lines


def _rule_of(rules: Rules, e: Entry) -> str:
    eff = e.get("effect")
    if e.kind == "change" and isinstance(eff, int) and eff >= 0:
        effect = rules.effects[eff]
        return f"{effect.where} ({effect.op.value} on {_track(rules, e.get('track'))})"
    if e.kind in ("outcome", "reveal", "roll") and e.get("move"):
        mv = rules.moves[rules.move_index[e.get("move")]]
        return f"{mv.where} (move '{mv.id}')"
    if e.kind == "event":
        ev = rules.events[rules.event_index[e.get("event")]]
        return f"{ev.where} (event '{ev.id}')"
    return ""
