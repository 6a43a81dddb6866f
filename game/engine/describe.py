"""Who may see a log entry, rules and refusals in plain words, and ``explain``: the chain of
causes behind a change. (Each entry's own sentence is declared with its kind in
:mod:`game.engine.log`.)"""

from __future__ import annotations

import re

from game.engine import effects as E
from game.engine.log import Kind, describe, order_book
from game.engine.rules import Rules
from game.engine.state import Entry
from game.engine.wording import move_name

_TOKEN = re.compile(r"'([^']*)'|\"([^\"]*)\"|\b([A-Za-z_][A-Za-z0-9_]*)\b")
_SIGNS = ((" >= ", " ≥ "), (" <= ", " ≤ "), (" != ", " ≠ "), (" == ", " = "))


def _words(rules: Rules) -> dict[str, str]:
    """Names people know for the words of rules: tracks, move parameters (their question) and
    their choices (quoted in expressions), worked out once per scenario."""
    words = rules.plain_words
    if not words:
        for m in rules.moves:
            for pid, question, choices in m.labels:
                words.setdefault(pid, question)
                for cid, name in choices:
                    words.setdefault(f"'{cid}'", f"'{name}'")
        words.update({t.id: t.name for t in rules.tracks})
        words["actor"] = "the acting team"
    return words


_COMPARISON = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.0+)?)\b"
                         r"(?![.\d])")
_STEP_WORDS = {">=": "at '{}' or above", ">": "above '{}'", "<=": "at '{}' or below",
               "<": "below '{}'", "==": "at '{}'", "!=": "not at '{}'"}


def _ladder_comparisons(rules: Rules, text: str) -> str:
    """A ladder track compared with a whole number, in the name of that step: 'ROK arms
    ladder >= 2' reads 'rok_arms_ladder at 'Observers and intelligence' or above' (the id is
    named after)."""

    def said(m: re.Match[str]) -> str:
        i = rules.track_index.get(m.group(1))
        steps = rules.tracks[i].steps if i is not None else ()
        k = int(float(m.group(3)) - rules.tracks[i].lo) if steps and i is not None else -1
        if not 0 <= k < len(steps):
            return m.group(0)
        return f"{m.group(1)} {_STEP_WORDS[m.group(2)].format(steps[k])}"

    return _COMPARISON.sub(said, text)


def plain(rules: Rules, text: str) -> str:
    """A rule or a refusal for people: track ids become the tracks' names, parameters and
    their quoted choices the words the menus use, comparisons their signs (scripts and the
    scenario file keep the ids).

    >>> from game.scenario.compile import load_rules
    >>> plain(load_rules("tutorial"), "south_intel >= 2 and tension < 5")
    'Southland intelligence ≥ 2 and Border tension < 5'
    >>> plain(load_rules("tutorial"), "audience == 'council'")
    "Aimed at = 'The Council'"
    >>> plain(load_rules("kursk-2024"), "tech_space < 2")
    "Russian space technology for the DPRK below 'Confirmed'"
    """
    words = _words(rules)
    text = _ladder_comparisons(rules, text)

    def name(m: re.Match[str]) -> str:
        if m.group(3) is not None:
            return words.get(m.group(3), m.group(3))
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        return words.get(f"'{quoted}'", m.group(0))

    out = _TOKEN.sub(name, text)
    for op, sign in _SIGNS:
        out = out.replace(op, sign)
    return out


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
        return rules.player_mask
    return rules.actors[rules.actor_index[viewer]].bit


def explain(rules: Rules, entries: list[Entry], seq: int, viewer_bit: int = 0) -> list[str]:
    """The chain of causes of entry ``seq``, newest first, back to the rule and the dice.

    Each line is a sentence; the last names the scenario rule (file:line:col) behind it.
    Entries the viewer may not see are shown as 'a hidden cause'.
    """
    by_seq = {e.seq: e for e in entries}
    orders = order_book(entries)
    lines: list[str] = []
    e = by_seq.get(seq)
    rule_where = ""
    while e is not None:
        if visible(e, viewer_bit):
            lines.append(describe(rules, e, orders))
            rule_where = rule_where or _rule_of(rules, e)
        elif e.kind is not Kind.ORDER:  # another team's secret submission: its reveal said enough
            several = viewer_bit & (viewer_bit - 1)  # the room: every player team at once
            lines.append(HIDDEN_FROM_ROOM if several else HIDDEN_FROM_YOU)
            break
        else:
            break
        e = by_seq.get(e.cause) if e.cause >= 0 else None
    if rule_where:
        lines.append(f"Rule: {rule_where}")
    return lines


def _file_line(where: str) -> str:
    """A rule's place as people read it: the scenario file's name, line and column
    ('kursk-2024.yaml:1305:54'), not the path it was loaded from on this machine (a debrief is
    printed and projected).

    >>> _file_line("/work/main/scenarios/kursk-2024.yaml:1305:54")
    'kursk-2024.yaml:1305:54'
    """
    return where.replace("\\", "/").rsplit("/", 1)[-1]


def _rule_of(rules: Rules, e: Entry) -> str:
    eff = e.get("effect")
    if e.kind is Kind.CHANGE and isinstance(eff, int) and eff >= 0:
        effect = rules.effects[eff]
        return f"{_file_line(effect.where)} ({E.BY_OP[effect.op].describe(rules, effect)})"
    if e.kind in (Kind.OUTCOME, Kind.REVEAL, Kind.ROLL) and e.get("move"):
        mv = rules.moves[rules.move_index[e.get("move")]]
        return f"{_file_line(mv.where)} (move '{move_name(rules, mv.id)}')"
    if e.kind is Kind.EVENT:
        ev = rules.events[rules.event_index[e.get("event")]]
        return f"{_file_line(ev.where)} (event '{ev.name}')"
    return ""
