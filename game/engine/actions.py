"""Actions: small frozen values with a text form that parses back.

>>> a = Action.parse("EU: share_intelligence target=ROK | keep Seoul close")
>>> a.actor, a.verb, a.param("target"), a.rationale
('EU', 'share_intelligence', 'ROK', 'keep Seoul close')
>>> str(a)
'EU: share_intelligence target=ROK | keep Seoul close'
>>> Action.parse(str(a)) == a
True

The rationale (or, for the umpire, the reason) travels with the action into the record but is not
part of its identity: ``a`` equals the same action without a rationale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from game.engine.errors import ActionSyntaxError

CONTROL = "control"
"""Actor id of the umpire (white cell) seat."""

PUBLIC = "public"
"""Viewer id of the room: a shared screen shows only what every player team may know."""

PASS = "pass"
RETRACT = "retract"
SAY = "say"
"""A message on a channel ('EU: say to=ROK | text'): any time, by a team or the umpire."""
EVERYONE = "all"
"""The umpire's announcement goes ``to=all``."""
MAX_MESSAGE = 2_000
"""Longest message (characters)."""
CONTROL_VERBS = ("advance", "release", "hold", "skip", "rule", "override", "adjust", "end")
VERBS = (PASS, RETRACT, SAY, *CONTROL_VERBS)
"""Verbs that are not moves; a scenario may not use them as move ids."""

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_VALUE = re.compile(r"^[^\s|=]+$")


@dataclass(frozen=True, slots=True)
class Action:
    """One decision by one actor (or the umpire): a move with its parameters, or a verb."""

    actor: str
    verb: str
    params: tuple[tuple[str, str], ...] = ()
    rationale: str = field(default="", compare=False)

    @classmethod
    def make(cls, actor: str, verb: str, rationale: str = "", **params: object) -> Action:
        """Build an action with parameters in canonical (sorted) order."""
        return cls(actor, verb, tuple(sorted((k, str(v)) for k, v in params.items())), rationale)

    def param(self, key: str, default: str | None = None) -> str | None:
        for k, v in self.params:
            if k == key:
                return v
        return default

    def with_rationale(self, rationale: str) -> Action:
        return Action(self.actor, self.verb, self.params, rationale)

    @property
    def is_control(self) -> bool:
        return self.actor == CONTROL

    def __str__(self) -> str:
        body = " ".join([f"{self.actor}: {self.verb}", *(f"{k}={v}" for k, v in self.params)])
        if self.rationale:
            body += " | " + _escape(self.rationale)
        return body

    @classmethod
    def parse(cls, text: str) -> Action:
        """Parse the text form ``ACTOR: verb key=value ... | rationale``."""
        line = text.strip()
        actor, colon, rest = line.partition(":")
        actor = actor.strip()
        if not colon or not _NAME.match(actor):
            raise ActionSyntaxError("action/syntax",
                                    f"'{text}' is not an action: write 'ACTOR: move key=value'")
        body, bar, rationale = rest.partition("|")
        words = body.split()
        if not words:
            raise ActionSyntaxError("action/syntax", f"'{text}' names no move after '{actor}:'")
        verb, *pairs = words
        if not _NAME.match(verb):
            raise ActionSyntaxError("action/syntax", f"'{verb}' is not a move name")
        params = []
        for pair in pairs:
            key, eq, value = pair.partition("=")
            if not eq or not _NAME.match(key) or not _VALUE.match(value):
                raise ActionSyntaxError("action/syntax",
                                        f"'{pair}' in '{text}' should look like key=value")
            params.append((key, value))
        keys = [k for k, _ in params]
        if len(set(keys)) != len(keys):
            raise ActionSyntaxError("action/syntax", f"a parameter is given twice in '{text}'")
        return cls(actor, verb, tuple(sorted(params)), _unescape(rationale.strip()) if bar else "")


_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""Characters other than '\\n' that end a line for str.splitlines."""


def _escape(text: str) -> str:
    r"""Keep the text form on one line: backslash, newline and every other line break escaped.

    >>> _escape("a\\b\nc\u2028d")
    'a\\\\b\\nc\\u2028d'
    """
    out = text.replace("\\", "\\\\").replace("\n", "\\n")
    for ch in _BREAKS:
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return out


def _unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            code = text[i + 2:i + 6]
            if nxt == "u" and len(code) == 4 and all(c in "0123456789abcdef" for c in code):
                out.append(chr(int(code, 16)))
                i += 6
                continue
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)
