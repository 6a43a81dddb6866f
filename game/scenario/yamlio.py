"""Safe YAML reading with positions.

Scenario files are YAML 1.2 read by ruamel.yaml. Before anything is built we scan the event
stream and refuse what a scenario never needs and an attacker might use: anchors and aliases
(alias bombs), explicit tags (``!!python/object``), YAML 1.1 documents (where ``NO`` is false),
deep nesting and oversized files. The loaded tree is turned into plain Python data plus a
:class:`SourceMap` that remembers where each value and key stood, so later checks can point
at a line and column.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, DocumentStartEvent, NodeEvent
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from game.scenario.errors import Diagnostic, ScenarioError

MAX_BYTES = 2_000_000
"""Largest scenario file accepted (a big scenario is ~200 KB)."""
MAX_DEPTH = 40
"""Deepest nesting of mappings and lists accepted."""

Loc = tuple[str | int, ...]
Pos = tuple[int, int]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a YAML document stood, 0-based."""

    path: str
    text: str
    values: dict[Loc, Pos] = field(default_factory=dict)
    keys: dict[Loc, Pos] = field(default_factory=dict)
    styles: dict[Loc, str] = field(default_factory=dict)
    texts: dict[Loc, str] = field(default_factory=dict)

    def at(self, loc: Loc, *, key: bool = False) -> Pos:
        """Position of the value (or key) at ``loc``, else of its nearest ancestor."""
        table = self.keys if key else self.values
        for n in range(len(loc), -1, -1):
            pos = table.get(loc[:n]) or self.values.get(loc[:n])
            if pos is not None:
                return pos
        return (0, 0)

    def expr_at(self, loc: Loc, offset: int) -> Pos:
        """Position in the file of character ``offset`` of the string value at ``loc``.

        YAML folds lines, strips indentation and decodes escapes, so the value's characters do
        not sit one to one on the file's. Expressions' mistakes point at a token, so we count
        the non-blank characters before ``offset`` in the value and find the same count of
        non-blank characters in the file after the value starts (a doubled quote or a
        backslash escape counting as one)."""
        line, col = self.at(loc)
        style = self.styles.get(loc, "plain")
        value = self.texts.get(loc, "")
        text = self.text
        starts = _line_starts(text)
        pos = starts[line] + col if line < len(starts) else len(text)
        if style in ("single", "double"):
            pos += 1
        elif style in ("literal", "folded"):
            nl = text.find("\n", pos)
            pos = len(text) if nl < 0 else nl + 1
        wanted = sum(1 for ch in value[:offset] if not ch.isspace())
        count = 0
        while pos < len(text):
            ch = text[pos]
            if ch.isspace():
                pos += 1
                continue
            if style == "double" and ch == "\\":
                length, blank = _escape_at(text, pos)
                if not blank and count == wanted:
                    break
                pos += length
                count += 0 if blank else 1
                continue
            if count == wanted:
                break
            pos += 2 if style == "single" and text.startswith("''", pos) else 1
            count += 1
        return _pos_of(starts, pos)

    def diag(self, loc: Loc, code: str, message: str, hint: str | None = None,
             *, key: bool = False, offset: int | None = None) -> Diagnostic:
        """A diagnostic pointing at ``loc`` (1-based line and column in the output)."""
        line, col = self.expr_at(loc, offset) if offset is not None else self.at(loc, key=key)
        return Diagnostic(self.path, line + 1, col + 1, code, message, hint)


_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n",
                   "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", " ": " ", "N": "\x85",
                   "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _escape_at(text: str, pos: int) -> tuple[int, bool]:
    """Length in the file of the double-quoted escape at ``pos`` (a backslash), and whether it
    stands for a blank (or nothing: an escaped line break)."""
    nxt = text[pos + 1:pos + 2]
    if nxt in ("\n", "\r", ""):
        return 2, True
    if nxt in _HEX_ESCAPES:
        digits = text[pos + 2:pos + 2 + _HEX_ESCAPES[nxt]]
        try:
            return 2 + len(digits), chr(int(digits, 16)).isspace()
        except ValueError:
            return 2, False
    return 2, _SIMPLE_ESCAPES.get(nxt, nxt).isspace()


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _pos_of(starts: list[int], pos: int) -> Pos:
    """(line, col), 0-based, of character index ``pos``."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo, pos - starts[lo]


def _scan_events(text: str, path: str) -> list[Diagnostic]:
    """Refuse anchors, aliases, tags, YAML 1.1 and deep nesting before building anything."""
    problems: list[Diagnostic] = []
    depth = 0
    maps: list[list[bool]] = []
    """For each open collection: [is a mapping, the next node is a key]."""

    def at(event: Any, code: str, message: str, hint: str | None = None) -> None:
        mark = event.start_mark
        problems.append(Diagnostic(path, mark.line + 1, mark.column + 1, code, message, hint))

    for event in YAML(typ="rt").parse(io.StringIO(text)):
        if isinstance(event, DocumentStartEvent) and event.version not in (None, (1, 2)):
            line = _directive_line(text, event.start_mark.line)
            problems.append(Diagnostic(path, line + 1, 1, "scenario/yaml-version",
                                       "only YAML 1.2 is accepted",
                                       "remove the %YAML directive"))
        if isinstance(event, NodeEvent) and maps and maps[-1][0]:
            if maps[-1][1] and isinstance(event, CollectionStartEvent):
                at(event, "scenario/wrong-type", "a mapping key must be text, not a list or "
                   "mapping", "check for a missing key before '[' or '{' on this line")
            maps[-1][1] = not maps[-1][1]
        if isinstance(event, AliasEvent):
            at(event, "scenario/yaml-alias", "YAML aliases (*name) are not allowed",
               "write the value out in full")
            continue
        if isinstance(event, NodeEvent) and event.anchor is not None:
            at(event, "scenario/yaml-alias", "YAML anchors (&name) are not allowed",
               "write the value out in full where it is needed")
        tag = getattr(event, "tag", None)
        if isinstance(event, NodeEvent) and tag is not None and not _implicit(event):
            at(event, "scenario/yaml-tag", f"YAML tags like '{tag}' are not allowed",
               "remove the tag; scenario values are plain text, numbers, lists and mappings")
        if isinstance(event, CollectionStartEvent):
            depth += 1
            maps.append([type(event).__name__ == "MappingStartEvent", True])
            if depth > MAX_DEPTH:
                at(event, "scenario/too-deep", f"nesting deeper than {MAX_DEPTH} levels")
                break
        elif type(event).__name__ in ("MappingEndEvent", "SequenceEndEvent"):
            depth -= 1
            maps.pop()
    return problems


def _directives(text: str, path: str) -> list[Diagnostic]:
    """Refuse a %YAML directive for any version but 1.2 (the parser itself asserts on some)."""
    for n, line in enumerate(text.split("\n")):  # YAML 1.2 breaks lines at \n (and \r\n) only
        line = line.lstrip("\ufeff")
        if line.startswith("---"):
            break
        if line.startswith("%YAML") and line.split()[1:2] != ["1.2"]:
            return [Diagnostic(path, n + 1, 1, "scenario/yaml-version",
                               "only YAML 1.2 is accepted", "remove the %YAML directive")]
    return []


def _directive_line(text: str, before: int) -> int:
    """The line of the last %YAML directive before line ``before`` (0-based)."""
    lines = text.split("\n")
    for n in range(min(before, len(lines) - 1), -1, -1):
        if lines[n].startswith("%YAML"):
            return n
    return before


def _implicit(event: Any) -> bool:
    implicit = getattr(event, "implicit", None)
    if isinstance(implicit, tuple):
        return bool(implicit[0] or implicit[1])
    return bool(implicit)


_STYLES: tuple[tuple[type, str], ...] = (
    (SingleQuotedScalarString, "single"),
    (DoubleQuotedScalarString, "double"),
    (LiteralScalarString, "literal"),
    (FoldedScalarString, "folded"),
)


def _plain(node: Any, loc: Loc, smap: SourceMap, problems: list[Diagnostic]) -> Any:
    """Turn ruamel's round-trip tree into plain Python data, recording positions."""
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            sub = (*loc, str(key))
            kl, kc = node.lc.key(key)
            vl, vc = node.lc.value(key)
            smap.keys[sub] = (kl, kc)
            smap.values[sub] = (vl, vc)
            if not isinstance(key, str):
                problems.append(Diagnostic(smap.path, kl + 1, kc + 1, "scenario/wrong-type",
                                           f"mapping key {key!r} must be text"))
            out[str(key)] = _plain(value, sub, smap, problems)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, value in enumerate(node):
            sub = (*loc, i)
            line, col = node.lc.item(i)
            smap.values[sub] = (line, col)
            items.append(_plain(value, sub, smap, problems))
        return items
    if isinstance(node, str):
        for cls, style in _STYLES:
            if isinstance(node, cls):
                smap.styles[loc] = style
        smap.texts[loc] = str(node)
        return str(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return node.date() if (node.hour, node.minute, node.second) == (0, 0, 0) else node
    if isinstance(node, dt.date):
        return node
    return str(node)


def read_yaml(text: str, path: str) -> tuple[Any, SourceMap]:
    """Parse YAML text safely into plain data and a source map; raise ScenarioError."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ScenarioError([Diagnostic(path, 1, 1, "scenario/too-big",
                                        f"file is larger than {MAX_BYTES:,} bytes")])
    try:
        problems = _directives(text, path) or _scan_events(text, path)
        if problems:
            raise ScenarioError(problems)
        # round-trip reader: plain data with positions; tags and aliases were refused above,
        # so nothing but maps, lists and scalars is built
        reader = YAML(typ="rt")
        reader.preserve_quotes = True
        reader.allow_duplicate_keys = False
        tree = reader.load(text)
    except MarkedYAMLError as exc:
        raise ScenarioError([_yaml_diagnostic(exc, path)]) from None
    except YAMLError as exc:
        raise ScenarioError([Diagnostic(path, 1, 1, "scenario/yaml-syntax", str(exc))]) from None
    except RecursionError:
        raise ScenarioError([Diagnostic(path, 1, 1, "scenario/too-deep",
                                        "the file is nested too deeply")]) from None
    except (AssertionError, TypeError, ValueError, IndexError) as exc:  # the parser's own
        # inner checks, and its own slips (ruamel 0.19 indexes past the end of '+_' as a number)
        raise ScenarioError([Diagnostic(path, 1, 1, "scenario/yaml-syntax",
                                        f"the YAML parser could not read the file ({exc})",
                                        "check the first lines for stray characters")]) from None
    smap = SourceMap(path, text)
    problems = []
    data = _plain(tree, (), smap, problems)
    if problems:
        raise ScenarioError(problems)
    return data, smap


def _yaml_diagnostic(exc: MarkedYAMLError, path: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "duplicate key" in problem or type(exc).__name__ == "DuplicateKeyError":
        key = problem.split('"')[1] if '"' in problem else ""
        return Diagnostic(path, line, col, "scenario/duplicate-key",
                          f"key '{key}' appears twice in the same mapping".replace(" '' ", " "),
                          "keep one of them")
    context = f" ({exc.context})" if exc.context else ""
    return Diagnostic(path, line, col, "scenario/yaml-syntax", f"{problem}{context}",
                      "check indentation, colons and quotes on this line and the one above")
