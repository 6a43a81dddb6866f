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
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
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
        # a blank character wanted (e.g. an escaped carriage return) is its escape, if written so
        blank_wanted = offset < len(value) and value[offset].isspace()
        count = 0
        while pos < len(text):
            ch = text[pos]
            if ch.isspace():
                pos += 1
                continue
            if style == "double" and ch == "\\":
                length, blank = _escape_at(text, pos)
                if count == wanted and (not blank or blank_wanted):
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
    """Parse YAML text safely into plain data and a source map; raise ScenarioError.

    The data is built in one pass over the parser's events (no YAML node tree), with libyaml's
    parser where ruamel.yaml.clib is installed (the events come ~30 times faster) and
    ruamel's own otherwise; a file the fast pass cannot read is read again by ruamel's
    round-trip reader, whose diagnostics say exactly what is wrong and where."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ScenarioError([Diagnostic(path, 1, 1, "scenario/too-big",
                                        f"file is larger than {MAX_BYTES:,} bytes")])
    problems = _directives(text, path)
    if problems:
        raise ScenarioError(problems)
    if not _ONE_ONE_BREAKS.isdisjoint(text):  # libyaml (YAML 1.1) would count lines otherwise
        return _read_yaml_carefully(text, path)
    try:
        builder = _Builder(text, path)
        builder.run(_fast_events(text))
    except _Refused as refused:
        raise ScenarioError(refused.problems) from None
    except Exception:  # noqa: BLE001 (any parser failure: the careful reader says what)
        return _read_yaml_carefully(text, path)
    if builder.problems:
        raise ScenarioError(builder.problems)
    return builder.data, builder.smap


_ONE_ONE_BREAKS = frozenset("\x85\u2028\u2029")
"""Line breaks in YAML 1.1 (libyaml) but not in 1.2: with them, positions would differ."""


def _fast_events(text: str) -> Any:
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # no ruamel.yaml.clib here: ruamel's pure parser (slower, the same)
        return YAML(typ="safe", pure=True).parse(io.StringIO(text))
    parser = CParser(text)

    def events() -> Any:
        while True:
            event = parser.get_event()
            yield event
            if isinstance(event, StreamEndEvent):
                return

    return events()


class _Refused(Exception):
    def __init__(self, problems: list[Diagnostic]) -> None:
        self.problems = problems


_STYLE_OF = {"'": "single", '"': "double", "|": "literal", ">": "folded"}


class _Builder:
    """Plain data and its source map from a stream of YAML events, refusing what a scenario
    never needs and an attacker might use: anchors and aliases (alias bombs), explicit tags,
    YAML 1.1 documents, collections as keys, deep nesting and repeated keys."""

    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self.smap = SourceMap(path, text)
        self.problems: list[Diagnostic] = []
        self.data: Any = None
        self.resolver = VersionedResolver(version=(1, 2))
        self.constructor = YAML(typ="safe", pure=True).constructor
        self.typed_starts = frozenset(self.resolver.versioned_resolver)
        """First characters of the plain scalars YAML 1.2 may read as other than text."""
        self.resolved: dict[str, Any] = {}

    def at(self, event: Any, code: str, message: str, hint: str | None = None) -> None:
        mark = event.start_mark
        self.problems.append(Diagnostic(self.path, mark.line + 1, mark.column + 1, code,
                                        message, hint))

    def scalar(self, event: Any, loc: Loc | None) -> Any:
        """The value of a scalar; its text and style are recorded at ``loc`` (not for keys)."""
        value = event.value
        if loc is not None and event.style in _STYLE_OF:
            self.smap.styles[loc] = _STYLE_OF[event.style]
        if event.style or not _implicit(event):
            if loc is not None:
                self.smap.texts[loc] = value
            return value
        if value[:1] not in self.typed_starts and value:
            out: Any = value
        elif value in self.resolved:
            out = self.resolved[value]
        else:
            tag = self.resolver.resolve(ScalarNode, value, (True, False))
            out = self.resolved[value] = self.constructor.construct_object(ScalarNode(tag, value))
        if isinstance(out, str) and loc is not None:
            self.smap.texts[loc] = out
        elif isinstance(out, dt.datetime) and (out.hour, out.minute, out.second) == (0, 0, 0):
            out = out.date()
        return out

    def run(self, events: Any) -> None:
        # the stack holds, per open collection: [container, its loc, the key waiting for its
        # value (mappings), the key's event, the keys seen]
        stack: list[list[Any]] = []
        for event in events:
            kind = type(event)
            if kind is DocumentStartEvent and event.version not in (None, (1, 2)):
                line = _directive_line(self.text, event.start_mark.line)
                raise _Refused([Diagnostic(self.path, line + 1, 1, "scenario/yaml-version",
                                           "only YAML 1.2 is accepted",
                                           "remove the %YAML directive")])
            if not isinstance(event, NodeEvent):
                if kind is MappingEndEvent or kind is SequenceEndEvent:
                    self.finish(stack)
                continue
            if kind is AliasEvent:
                self.at(event, "scenario/yaml-alias", "YAML aliases (*name) are not allowed",
                        "write the value out in full")
                continue
            if event.anchor is not None:
                self.at(event, "scenario/yaml-alias", "YAML anchors (&name) are not allowed",
                        "write the value out in full where it is needed")
            tag = getattr(event, "tag", None)
            if tag is not None and not _implicit(event):
                self.at(event, "scenario/yaml-tag", f"YAML tags like '{tag}' are not allowed",
                        "remove the tag; scenario values are plain text, numbers, lists and "
                        "mappings")
            top = stack[-1] if stack else None
            as_key = top is not None and isinstance(top[0], dict) and top[2] is _NO_KEY
            if as_key and kind is not ScalarEvent:
                self.at(event, "scenario/wrong-type", "a mapping key must be text, not a list "
                        "or mapping", "check for a missing key before '[' or '{' on this line")
                raise _Refused(self.problems)
            if as_key:
                assert top is not None
                key = self.scalar(event, None)
                if not isinstance(key, str):
                    self.at(event, "scenario/wrong-type", f"mapping key {key!r} must be text")
                    key = str(key)
                if key in top[4]:
                    self.at(event, "scenario/duplicate-key",
                            f"key '{key}' appears twice in the same mapping", "keep one of them")
                top[4].add(key)
                top[2], top[3] = key, event
                continue
            loc = self.child_loc(top)
            mark = event.start_mark
            if loc:  # the document itself is placed at 1:1
                self.smap.values[loc] = (mark.line, mark.column)
            if top is not None and isinstance(top[0], dict):
                kmark = top[3].start_mark
                self.smap.keys[loc] = (kmark.line, kmark.column)
            if kind is ScalarEvent:
                self.place(top, self.scalar(event, loc))
            else:
                if len(stack) >= MAX_DEPTH:
                    self.at(event, "scenario/too-deep", f"nesting deeper than {MAX_DEPTH} levels")
                    raise _Refused(self.problems)
                container: Any = {} if kind is MappingStartEvent else []
                stack.append([container, loc, _NO_KEY, None, set()])

    def child_loc(self, top: list[Any] | None) -> Loc:
        if top is None:
            return ()
        container, loc = top[0], top[1]
        return (*loc, top[2]) if isinstance(container, dict) else (*loc, len(container))

    def place(self, top: list[Any] | None, value: Any) -> None:
        if top is None:
            self.data = value
        elif isinstance(top[0], dict):
            top[0][top[2]] = value
            top[2] = _NO_KEY
        else:
            top[0].append(value)

    def finish(self, stack: list[list[Any]]) -> None:
        done = stack.pop()
        self.place(stack[-1] if stack else None, done[0])


_NO_KEY = object()
"""The mark of a mapping waiting for its next key (not for a value)."""


def _read_yaml_carefully(text: str, path: str) -> tuple[Any, SourceMap]:
    """The round-trip reader: slower, but its errors say what is wrong and where."""
    try:
        problems = _scan_events(text, path)
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
    except ReaderError as exc:  # a character YAML does not allow: at its place in the file
        line, col = _pos_of(_line_starts(text), exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ScenarioError([Diagnostic(
            path, line + 1, col + 1, "scenario/bad-character",
            f"the character U+{code:04X} is not allowed in YAML",
            "delete it (most editors do not show it)")]) from None
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
