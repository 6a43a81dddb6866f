"""Save files: a versioned JSON envelope with a digest, written atomically, never pickled.

A save holds the scenario's id and content hash, the seed, the seats, the decision log, a
snapshot of the state (without the event log, which the replay rebuilds) and the digest of that
log. Loading checks the file's digest, migrates older formats step by step, replays every decision
through the checked apply and confirms that the replay reproduces the snapshot and the log digest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import game
from game.engine.errors import EngineError
from game.fileio import FileError, check_output, ensure_folder, read_bytes
from game.session import Decision, Game

FORMAT = "powerplay-save"
VERSION = 6
"""Current save format. 5: the state had no offers (6 adds the snapshot's 'offers',
:mod:`game.engine.offers`); 4: no estimate leans (5 adds the snapshot's 'bias' and
'corrected', :mod:`game.engine.knowledge`); 3: a decision was an action or an undo (4 adds the reseed of a lab
fork, :meth:`game.session.Game.reseed`); 2: script seats were saved as file names only (the loader does not
open them; such a seat must be given again to play on); 1: decisions were plain action strings
(no undo records). Older formats are migrated on load."""
MAX_SAVE_BYTES = 50_000_000
MAX_DEPTH = 64
"""How deeply a save's JSON may nest (a real save nests 6 deep)."""


class SaveError(EngineError):
    """A save file that cannot be written or used; ``code`` says which problem."""

    default_code = "save/error"


def _canonical(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def envelope(g: Game) -> dict[str, Any]:
    """The save as a JSON-ready dict (digest included)."""
    rules = g.rules
    body = {
        "format": FORMAT,
        "version": VERSION,
        "program": game.__version__,
        "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scenario": {"id": rules.id, "digest": rules.digest, "ref": g.scenario_ref,
                     "version": rules.version},
        "seed": g.seed,
        "no_dice": g.engine.no_dice,
        "review": g.engine.review,
        "seats": g.seats,
        "scripts": g.scripts,
        "decisions": [d.to_json() for d in g.decisions],
        "turn": g.engine.state.turn,
        "log_digest": g.log_digest(),
        "snapshot": g.engine.state.to_json(log=False),
    }
    body["digest"] = hashlib.sha256(_canonical(body)).hexdigest()
    return body


def backup_of(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_save(g: Game, path: Path) -> None:
    """Write atomically: temp file, fsync, rename. The previous save becomes the ``.bak``,
    also by an atomic rename (of a hard link, or of a synced copy where links are not
    possible), so after a crash at any point both the save and its ``.bak`` are whole saves.
    Temporary files left by a process killed while saving are removed."""
    data = _canonical(envelope(g))
    try:
        path = check_output(ensure_folder(path.parent, "save folder") / path.name, "save")
    except FileError as exc:
        raise SaveError("save/io", f"{exc.message}; nothing was saved") from None
    _remove_stale_temporaries(path)
    tmp = bak_tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:200]}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.is_file():
            bak_tmp = tmp.removesuffix(".tmp") + ".bak.tmp"
            try:
                os.link(path, bak_tmp)
            except OSError:  # no hard links here (e.g. some network or FAT file systems)
                with open(path, "rb") as src, open(bak_tmp, "wb") as dst:
                    dst.write(src.read())
                    dst.flush()
                    os.fsync(dst.fileno())
            os.replace(bak_tmp, backup_of(path))
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise SaveError("save/io", f"could not write {path}: {exc.strerror or exc}; "
                                   "the previous save is untouched") from None
    finally:
        for leftover in (tmp, bak_tmp):
            if leftover:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)


def _remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files a killed save of ``path`` left beside it."""
    with contextlib.suppress(OSError):
        for leftover in path.parent.glob(f".{glob_escape(path.name[:200])}.*.tmp"):
            leftover.unlink(missing_ok=True)


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _sync_folder(folder: Path) -> None:
    """fsync a folder so the renames in it survive a power cut (where the system allows)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _migrate_1_to_2(body: dict[str, Any]) -> dict[str, Any]:
    body = dict(body)
    decisions = body.get("decisions")
    if not isinstance(decisions, list):
        raise SaveError("save/bad-field", "field 'decisions': should be a list")
    body["decisions"] = [{"action": a} for a in decisions]
    body["version"] = 2
    return body


def _migrate_2_to_3(body: dict[str, Any]) -> dict[str, Any]:
    """Format 3 holds the scripts of script seats; 'review' and the scenario's 'ref' became
    required (early format-2 saves lack them)."""
    scenario = body.get("scenario")
    if isinstance(scenario, dict):
        scenario = {"ref": scenario.get("id", ""), **scenario}
    return {"review": False, **body, "scenario": scenario, "scripts": {}, "version": 3}


def _migrate_3_to_4(body: dict[str, Any]) -> dict[str, Any]:
    """Format 4 may hold reseeds among the decisions; a format-3 save has none."""
    return {**body, "version": 4}


def _migrate_4_to_5(body: dict[str, Any]) -> dict[str, Any]:
    """Format 5's snapshot holds how estimates lean and which are corrected; a format-4 game's
    scenario could declare neither, so none leans and none is corrected."""
    snapshot = body.get("snapshot")
    if isinstance(snapshot, dict):
        snapshot = {"bias": [], "corrected": "0", **snapshot}
    return {**body, "snapshot": snapshot, "version": 5}


def _migrate_5_to_6(body: dict[str, Any]) -> dict[str, Any]:
    """Format 6's snapshot holds the offers on the table; a format-5 game's scenario could
    make none."""
    snapshot = body.get("snapshot")
    if isinstance(snapshot, dict):
        snapshot = {"offers": [], **snapshot}
    return {**body, "snapshot": snapshot, "version": 6}


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4, 4: _migrate_4_to_5,
    5: _migrate_5_to_6}
"""version -> function that turns a save of that version into the next version."""

Text = Annotated[str, Field(max_length=200)]
Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SavedScenario(_Strict):
    id: Text
    digest: Digest
    ref: Annotated[str, Field(max_length=4096)]
    version: Text


class SavedDecision(_Strict):
    action: Annotated[str, Field(max_length=20_000)] | None = None
    undo_to: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    reseed: Annotated[int, Field(ge=-(2**63), lt=2**63)] | None = None


class SaveBody(_Strict):
    """The body of a save of the current format, checked whole before anything uses it."""

    format: Literal["powerplay-save"]
    version: Literal[6]
    program: Text
    saved_at: Text
    scenario: SavedScenario
    seed: Annotated[int, Field(ge=-(2**63), lt=2**63)]
    no_dice: bool
    review: bool
    seats: Annotated[dict[Text, Annotated[str, Field(max_length=4200)]], Field(max_length=200)]
    scripts: Annotated[dict[Annotated[str, Field(max_length=4096)],
                            Annotated[str, Field(max_length=1_000_000)]], Field(max_length=64)]
    decisions: Annotated[list[SavedDecision], Field(max_length=2_000_000)]
    turn: Annotated[int, Field(ge=0, le=100_000)]
    log_digest: Digest
    snapshot: dict[str, Any]


def _depth(raw: bytes) -> int:
    """How deeply the JSON text nests (brackets outside strings), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        elif byte in (0x7D, 0x5D):
            depth -= 1
    return deepest


def _field_error(path: Path, exc: ValidationError) -> SaveError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "(the whole save)"
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return SaveError("save/bad-field", f"{path}: field '{where}': {first['msg']}{more}")


def read_envelope(path: Path) -> dict[str, Any]:
    """Read, check and migrate a save's JSON (no replay): a regular file of bounded size and
    nesting, a known format version, an intact digest, then every field checked against
    :class:`SaveBody`."""
    try:
        raw = read_bytes(path, what="save", limit=MAX_SAVE_BYTES)
    except FileError as exc:
        code = "save/too-big" if exc.code == "file/too-big" else "save/io"
        raise SaveError(code, exc.message) from None
    if _depth(raw) > MAX_DEPTH:
        raise SaveError("save/not-a-save", f"{path} nests deeper than any save ({MAX_DEPTH} levels)")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        stripped = raw.strip()
        ended_early = isinstance(exc, json.JSONDecodeError) and exc.pos >= len(exc.doc.rstrip())
        if stripped.startswith(b"{") and (ended_early or not stripped.endswith(b"}")):
            bak = backup_of(path)
            offer = f"; try the backup {bak.name}" if bak.is_file() else ""
            raise SaveError("save/truncated",
                            f"{path} is cut short (the write did not finish){offer}") from None
        raise SaveError("save/not-a-save", f"{path} is not a Power Play save ({exc})") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise SaveError("save/not-a-save", f"{path} is not a Power Play save")
    version = body.get("version")
    if type(version) is not int:
        raise SaveError("save/not-a-save", f"{path} has no format version")
    if version not in (*MIGRATIONS, VERSION):
        if version > VERSION:
            raise SaveError("save/newer-format",
                            f"{path} was written by a newer Power Play (format {version}, this "
                            f"program reads up to {VERSION}); upgrade to load it")
        raise SaveError("save/unknown-format",
                        f"{path} has format version {str(version)[:20]}, which no Power Play "
                        f"wrote (this program reads 1 to {VERSION})")
    claimed = body.pop("digest", None)
    if claimed != hashlib.sha256(_canonical(body)).hexdigest():
        raise SaveError("save/digest-mismatch",
                        f"{path} has been changed or damaged since it was saved "
                        "(its digest does not match)")
    try:
        while version < VERSION:
            body = MIGRATIONS[version](body)
            version = body["version"]
    except SaveError as exc:
        raise SaveError(exc.code, f"{path}: {exc.message}") from None
    try:
        checked = SaveBody.model_validate(body)
    except ValidationError as exc:
        raise _field_error(path, exc) from None
    for i, d in enumerate(checked.decisions):
        if sum(x is not None for x in (d.action, d.undo_to, d.reseed)) != 1:
            raise SaveError("save/bad-field", f"{path}: field 'decisions.{i}': a decision is "
                                              "an action, an undo_to or a reseed")
    out: dict[str, Any] = body
    return out


def read_save(path: Path, *, seats: str | Mapping[str, str] | None = None,
              scenario: str | None = None) -> Game:
    """Load a save: check it, replay its decisions and verify the snapshot.

    ``seats`` given, they replace the saved seats (and a ``script:FILE`` among them is read);
    otherwise the saved seats play on, script seats from the scripts the save holds — loading
    a save never opens a file the save names."""
    from game.scenario.compile import load_rules
    from game.scenario.errors import ScenarioError
    from game.session import SeatError

    body = read_envelope(path)
    scn = body["scenario"]
    try:
        rules = load_rules(scenario or scn["ref"] or scn["id"])
    except ScenarioError:
        rules = load_rules(scn["id"])
    if rules.digest != scn["digest"] or rules.id != scn["id"]:
        raise SaveError("save/scenario-changed",
                        f"scenario '{scn['id']}' has changed since {path.name} was saved; "
                        "the save cannot be replayed on the new rules (use the old file)")
    try:
        g = Game.from_rules(rules, body["seed"], seats or body["seats"], no_dice=body["no_dice"],
                            scenario_ref=scn["ref"] or scn["id"], review=body["review"],
                            scripts=None if seats else body["scripts"])
    except SeatError as exc:
        raise SaveError("save/bad-field", f"{path}: field 'seats': {exc}") from None
    decisions = [Decision(d.get("action") or "", -1 if d.get("undo_to") is None else d["undo_to"],
                          d.get("reseed")) for d in body["decisions"]]
    try:
        g.replay_decisions(decisions)
    except EngineError as exc:
        raise SaveError("save/replay-failed",
                        f"{path}: replaying the decisions failed: {exc.message}") from None
    except (ValueError, IndexError) as exc:  # a decision that is not an action, an undo too far
        raise SaveError("save/replay-failed", f"{path}: a decision cannot be replayed: {exc}"
                        ) from None
    if (g.engine.state.to_json(log=False) != body["snapshot"]
            or g.log_digest() != body["log_digest"] or g.engine.state.turn != body["turn"]):
        raise SaveError("save/replay-mismatch",
                        f"{path}: replaying the decisions does not reproduce the saved game")
    return g


def saves_folder() -> Path:
    """``$POWERPLAY_SAVES``, else the project's ``saves/`` folder, else ./saves."""
    env = os.environ.get("POWERPLAY_SAVES")
    if env:
        return Path(env)
    project = Path(__file__).resolve().parents[1] / "saves"
    return project if project.is_dir() else Path("saves")


AUTOSAVES = "autosave"
"""The saves folder's subfolder for autosaves."""


def autosave_folder(folder: Path | None = None) -> Path:
    return (folder or saves_folder()) / AUTOSAVES


@dataclass(frozen=True)
class SaveInfo:
    """A save on disk as a setup screen offers it to resume (read from its envelope; its
    decisions are not replayed)."""

    path: Path
    scenario: str
    """The scenario's id (``ref`` says where its file was)."""
    ref: str
    turn: int
    phase: int
    """The index of the phase the game was in (its name is in the scenario's rules)."""
    over: bool
    """Had the game ended?"""
    saved_at: dt.datetime
    """When it was written (timezone-aware)."""
    auto: bool
    """An autosave at a turn's end, else a save made by hand (Ctrl+S) or on quitting."""


def save_info(path: Path) -> SaveInfo:
    """What a save holds, checked as :func:`read_envelope` checks it (a ``SaveError`` if it is
    not a whole save)."""
    body = read_envelope(path)
    scn, snapshot = body["scenario"], body["snapshot"]
    try:
        saved_at = dt.datetime.fromisoformat(body["saved_at"])
    except ValueError:
        saved_at = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    if saved_at.tzinfo is None:
        saved_at = saved_at.replace(tzinfo=dt.UTC)
    phase = snapshot.get("phase")
    return SaveInfo(path, scn["id"], scn["ref"] or scn["id"], body["turn"],
                    phase if type(phase) is int else -1, snapshot.get("over") is True, saved_at,
                    path.parent.name == AUTOSAVES)


SAVE_NAMES = "*-turn*.json"
"""The names Power Play gives the saves it writes by itself (:func:`default_save_path`,
:func:`autosave`): other JSON files in the folder are not offered to resume."""


def latest_save(folder: Path | None = None) -> SaveInfo | None:
    """The save to resume: the newest of the autosaves and of the saves written by hand or on
    quitting (which hold the orders given since the last turn's autosave), by when the file was
    written; a file that is not a whole save is passed over.

    ``folder`` is the saves folder (default :func:`saves_folder`); its autosaves are in
    :func:`autosave_folder`."""
    top = folder or saves_folder()
    found: list[tuple[int, str, Path]] = []
    for where in (top, autosave_folder(top)):
        with contextlib.suppress(OSError):
            for path in where.glob(SAVE_NAMES):
                with contextlib.suppress(OSError):
                    if path.is_file():
                        found.append((path.stat().st_mtime_ns, path.name, path))
    for _, _, path in sorted(found, reverse=True):
        try:
            return save_info(path)
        except SaveError:
            continue
    return None


def default_save_path(g: Game) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return saves_folder() / f"{g.rules.id}-turn{g.engine.state.turn}-{stamp}.json"


def autosave(g: Game, folder: Path, *, keep: int = 10) -> Path:
    """Save after a turn into ``folder`` and keep only the newest ``keep`` autosaves."""
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # what an autosave killed mid-write left behind
        for leftover in folder.glob(f".{glob_escape(g.rules.id)}-turn*.tmp"):
            leftover.unlink(missing_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{g.rules.id}-turn{g.engine.state.turn:02d}-{stamp}.json"
    write_save(g, path)
    found = sorted(folder.glob(f"{g.rules.id}-turn*.json"), key=lambda p: p.stat().st_mtime)
    for old in found[:-keep]:
        old.unlink(missing_ok=True)
        backup_of(old).unlink(missing_ok=True)
    return path


def verify(path: Path) -> tuple[Game, dict[str, Any]]:
    """Replay a save and return the game with a small report (for ``powerplay replay``)."""
    g = read_save(path)
    return g, {"path": str(path), "scenario": g.rules.id, "decisions": len(g.decisions),
               "turn": g.engine.state.turn, "log_digest": g.log_digest(),
               "entries": len(g.engine.state.entries()), "verified": True}
