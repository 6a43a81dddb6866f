"""Load a scenario file: read YAML safely, check its shape and its cross-references.

>>> from game.scenario.load import load_scenario
>>> loaded = load_scenario("tutorial")
>>> loaded.scenario.meta.id
'tutorial'
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from game.fileio import FileError, check_name, read_bytes
from game.paths import data_dir
from game.scenario import model as m
from game.scenario.errors import Diagnostic, ScenarioError, ScenarioWarning, did_you_mean
from game.scenario.intervals import division_problems
from game.scenario.slips import slip_hint
from game.scenario.yamlio import MAX_BYTES, Loc, SourceMap, read_yaml
from game.textsafe import find_unsafe, unsafe_char

SCENARIO_DIR = data_dir("scenarios")
"""The built-in scenarios (the repository's ``scenarios/`` folder; see :mod:`game.paths`)."""


@dataclass(frozen=True)
class LoadedScenario:
    """A checked scenario with where it came from."""

    scenario: m.Scenario
    source: SourceMap
    digest: str
    """sha256 of the file's text: saves use it to notice a changed scenario."""
    warnings: list[ScenarioWarning] = field(default_factory=list)
    """What loads but is probably a mistake (control characters in long text)."""

    @property
    def path(self) -> str:
        return self.source.path


def scenario_dirs() -> list[Path]:
    """Folders searched for a scenario id: ``$POWERPLAY_SCENARIOS`` (os.pathsep list), built-ins."""
    extra = [Path(p) for p in os.environ.get("POWERPLAY_SCENARIOS", "").split(os.pathsep) if p]
    return [*extra, SCENARIO_DIR]


def available_scenarios() -> list[str]:
    """Ids of the scenarios found in :func:`scenario_dirs` (by file name)."""
    ids = {p.stem for d in scenario_dirs() if d.is_dir() for p in d.glob("*.yaml")}
    return sorted(i for i in ids if "." not in i)


def find_scenario(ref: str | os.PathLike[str]) -> Path:
    """A scenario file from a path, or from an id such as ``kursk-2024``."""
    try:
        path = check_name(ref, "scenario")
    except FileError as exc:
        raise ScenarioError([Diagnostic(str(ref)[:60], 1, 1, exc.code, exc.message)]) from None
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise ScenarioError([Diagnostic(str(path), 1, 1, "scenario/not-found",
                                            "no such file")])
        return path
    for folder in scenario_dirs():
        candidate = folder / f"{ref}.yaml"
        if candidate.is_file():
            return candidate
    hint = did_you_mean(str(ref), available_scenarios())
    known = ", ".join(available_scenarios()) or "none"
    raise ScenarioError([Diagnostic(str(ref), 1, 1, "scenario/not-found",
                                    f"no scenario with id '{ref}' (known: {known})", hint)])


def load_scenario(ref: str | os.PathLike[str]) -> LoadedScenario:
    """Load and check a scenario by id or path; raise ScenarioError listing every problem."""
    path = find_scenario(ref)
    try:
        raw = read_bytes(path, what="scenario", limit=MAX_BYTES)
    except FileError as exc:
        code = {"file/too-big": "scenario/too-big",
                "file/not-found": "scenario/not-found"}.get(exc.code, exc.code)
        raise ScenarioError([Diagnostic(str(path), 1, 1, code, exc.message)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError([Diagnostic(str(path), line, 1, "scenario/encoding",
                                        "the file is not UTF-8 text",
                                        "save it as UTF-8 in your editor")]) from None
    return load_text(text, _shown(path))


def _shown(path: Path) -> str:
    """The path as messages show it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_text(text: str, path: str = "<text>") -> LoadedScenario:
    """Load and check scenario text (``path`` is used in messages only)."""
    data, smap = read_yaml(text, path)
    problems: list[Diagnostic] = []
    warnings: list[ScenarioWarning] = []
    _unsafe_text(data, smap, problems, warnings)
    parts = validate_parts(data, smap, problems)
    if parts is not None:
        from game.scenario.check import check_parts

        problems.extend(check_parts(parts, smap))
    if problems or parts is None:
        raise ScenarioError(problems or [smap.diag((), "scenario/empty", "the file is empty")])
    # an optional section left empty ('end:' with nothing under it) is the same as none
    scenario = m.Scenario.model_validate({k: v for k, v in data.items() if v is not None})
    if divisions := division_problems(scenario, smap):
        raise ScenarioError(divisions)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedScenario(scenario, smap, digest, warnings)


NAME_FIELDS = frozenset({"name", "title", "label"})
"""Fields people read as names and labels: no control, direction or zero-width characters."""


def _unsafe_text(node: Any, smap: SourceMap, problems: list[Diagnostic],
                 warnings: list[ScenarioWarning], loc: Loc = ()) -> None:
    """Refuse names holding a character a name must not hold (a terminal would obey an escape
    sequence; a direction override reorders what follows), and warn of such characters in
    longer text (shown as placeholders, but rarely meant: often pasted in unseen)."""
    if isinstance(node, dict):
        for key, value in node.items():
            at = (*loc, key)
            if not isinstance(value, str):
                _unsafe_text(value, smap, problems, warnings, at)
            elif key in NAME_FIELDS and (bad := unsafe_char(value)):
                problems.append(smap.diag(at, "scenario/bad-character", f"'{key}' holds {bad}",
                                          "delete it (most editors do not show it)"))
            elif found := find_unsafe(value, allowed="\n\t"):
                d = smap.diag(at, "scenario/control-character", f"'{key}' holds {found[1]}",
                              "delete it: screens show it as a placeholder such as ␛, and "
                              "most editors do not show it at all", offset=found[0])
                warnings.append(ScenarioWarning(d.path, d.line, d.col, d.code, d.message,
                                                d.hint))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _unsafe_text(value, smap, problems, warnings, (*loc, i))


@dataclass
class Parts:
    """The items of a scenario that passed the shape check, with their positions in the file."""

    meta: m.Meta | None
    items: dict[str, list[tuple[int, Any]]]
    ids: dict[str, list[str]]
    """Every id written in each section (and 'sources'), valid item or not, so a mistake in
    one item does not make every reference to it look wrong too."""

    map: m.MapSection | None = None
    """The board's map section, if the file has one that passed the shape check."""

    def of(self, section: str) -> list[tuple[int, Any]]:
        return self.items.get(section, [])


def validate_parts(data: Any, smap: SourceMap, problems: list[Diagnostic]) -> Parts | None:
    """Validate the meta section and each list item on its own, collecting every error."""
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(smap.diag((), "scenario/wrong-type",
                                  "a scenario file must be a mapping with sections like "
                                  "'meta:', 'actors:', 'tracks:'"))
        return None
    sections = ("meta", "map", *m.SECTIONS)
    for key in data:
        if key not in sections:
            problems.append(smap.diag((key,), "scenario/unknown-field",
                                      f"unknown section '{key}'", did_you_mean(key, sections),
                                      key=True))
    meta = _validate(m.Meta, data.get("meta"), ("meta",), smap, problems)
    if "meta" not in data:
        problems.append(smap.diag((), "scenario/missing-field", "the 'meta' section is missing"))
    items: dict[str, list[tuple[int, Any]]] = {}
    meta_raw = data.get("meta")
    ids = {"sources": _raw_ids(meta_raw.get("sources") if isinstance(meta_raw, dict) else None)}
    for section, cls in m.SECTIONS.items():
        ids[section] = _raw_ids(data.get(section))
        required = m.Scenario.model_fields[section].is_required()
        value = data.get(section)
        if value is None:
            if required:
                problems.append(smap.diag((), "scenario/missing-field",
                                          f"the '{section}' section is missing"))
            continue
        if not isinstance(value, list):
            problems.append(smap.diag((section,), "scenario/wrong-type",
                                      f"'{section}' must be a list (items start with '- ')"))
            continue
        if required and not value:
            problems.append(smap.diag((section,), "scenario/out-of-range",
                                      f"'{section}' needs at least one item"))
        items[section] = []
        for i, item in enumerate(value):
            model = _validate(cls, item, (section, i), smap, problems)
            if model is not None:
                items[section].append((i, model))
    board_map = None
    if data.get("map") is not None:
        board_map = _validate(m.MapSection, data["map"], ("map",), smap, problems)
    return Parts(meta, items, ids, board_map)


def _raw_ids(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [x["id"] for x in value if isinstance(x, dict) and isinstance(x.get("id"), str)]


def _validate(cls: type[BaseModel], value: Any, loc: Loc, smap: SourceMap,
              problems: list[Diagnostic]) -> Any:
    try:
        return cls.model_validate(value)
    except ValidationError as exc:
        problems.extend(pydantic_diagnostics(exc, loc, value, smap))
        return None


_CODES = {
    "missing": "scenario/missing-field",
    "extra_forbidden": "scenario/unknown-field",
    "literal_error": "scenario/bad-choice",
    "enum": "scenario/bad-choice",
    "string_pattern_mismatch": "scenario/bad-format",
    "greater_than": "scenario/out-of-range",
    "greater_than_equal": "scenario/out-of-range",
    "less_than": "scenario/out-of-range",
    "less_than_equal": "scenario/out-of-range",
    "too_short": "scenario/out-of-range",
    "too_long": "scenario/out-of-range",
    "string_too_long": "scenario/out-of-range",
    "string_too_short": "scenario/out-of-range",
    "value_error": "scenario/out-of-range",
    "finite_number": "scenario/out-of-range",
}


def _field_names() -> set[str]:
    names: set[str] = set()
    classes: tuple[type[m.Model], ...] = (
        m.Scenario, m.Meta, m.Source, m.Resource, m.Briefing, m.Threshold, m.Estimate, m.Choice,
        m.Param, m.Limits, m.Modifier, m.Adjudication, m.Effect, m.Outcome, m.Trigger,
        m.MapSection, m.MapPlace, m.MapMarker, *m.SECTIONS.values())
    for cls in classes:
        names.update(cls.model_fields)
    return names


def _indexes(node: Any, part: Any) -> bool:
    """Does ``part`` of a pydantic loc index into ``node`` (rather than name a union branch)?"""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _data_loc(value: Any, loc: tuple[Any, ...]) -> Loc:
    """Keep the parts of pydantic's loc that index into the data (drop union tags)."""
    out: list[str | int] = []
    node = value
    for part in loc:
        if _indexes(node, part):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and "[" not in part:
            out.append(part)  # a missing field, named
            break
    return tuple(out)


def pydantic_diagnostics(exc: ValidationError, prefix: Loc, value: Any,
                         smap: SourceMap) -> list[Diagnostic]:
    """Positioned diagnostics from a pydantic ValidationError, one per place in the file."""
    grouped: dict[Loc, list[Any]] = {}
    for err in exc.errors(include_url=False):
        loc = _data_loc(value, tuple(err["loc"]))
        grouped.setdefault(loc, []).append(err)
    out = []
    fields = _field_names()
    for loc, errs in grouped.items():
        full = (*prefix, *loc)
        name = str(loc[-1]) if loc else str(prefix[-1] if prefix else "file")
        err = errs[0]
        code = _CODES.get(err["type"], "scenario/wrong-type")
        if err["type"] == "missing":
            out.append(smap.diag(full[:-1], code, f"'{name}' is missing", key=True))
        elif err["type"] == "extra_forbidden":
            out.append(smap.diag(full, code, f"unknown field '{name}'",
                                 did_you_mean(name, fields), key=True))
        elif len(errs) > 1:
            options = "; or ".join(sorted({e["msg"] for e in errs}))
            out.append(smap.diag(full, "scenario/wrong-type",
                                 f"'{name}' is {_show(err.get('input'))}: {options}"))
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            out.append(smap.diag(full, code, f"'{name}' is {_show(err.get('input'))}: {msg}",
                                 slip_hint(err, full, smap)))
    return out


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
