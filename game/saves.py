"""Save files: a versioned JSON envelope with a digest, written atomically, never pickled.

A save holds the scenario's id and content hash, the seed, the seats, the decision log, a
snapshot of the state (without the event log, which the replay rebuilds) and the digest of that
log. Loading checks the file's digest, migrates older formats step by step, replays every decision
through the checked apply and confirms that the replay reproduces the snapshot and the log digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import game
from game.engine.errors import EngineError
from game.session import Decision, Game

FORMAT = "powerplay-save"
VERSION = 2
"""Current save format (the first released). 1: decisions were plain action strings (no undo
records); it is migrated on load."""
MAX_SAVE_BYTES = 50_000_000


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
        "decisions": [d.to_json() for d in g.decisions],
        "turn": g.engine.state.turn,
        "log_digest": g.log_digest(),
        "snapshot": g.engine.state.to_json(log=False),
    }
    body["digest"] = hashlib.sha256(_canonical(body)).hexdigest()
    return body


def write_save(g: Game, path: Path) -> None:
    """Write atomically: temp file, fsync, keep the previous save as .bak, then replace."""
    data = _canonical(envelope(g))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            shutil.copy2(path, path.with_suffix(path.suffix + ".bak"))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise SaveError("save/io", f"could not write {path}: {exc.strerror or exc}; "
                                   "the previous save is untouched") from None


def _migrate_1_to_2(body: dict[str, Any]) -> dict[str, Any]:
    body = dict(body)
    body["decisions"] = [{"action": a} for a in body["decisions"]]
    body["version"] = 2
    return body


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}
"""version -> function that turns a save of that version into the next version."""


def read_envelope(path: Path) -> dict[str, Any]:
    """Read, check and migrate a save's JSON (no replay)."""
    try:
        if path.stat().st_size > MAX_SAVE_BYTES:
            raise SaveError("save/too-big", f"{path} is larger than {MAX_SAVE_BYTES:,} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise SaveError("save/io", f"could not read {path}: {exc.strerror or exc}") from None
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        stripped = raw.strip()
        ended_early = isinstance(exc, json.JSONDecodeError) and exc.pos >= len(exc.doc.rstrip())
        if stripped.startswith(b"{") and (ended_early or not stripped.endswith(b"}")):
            raise SaveError("save/truncated",
                            f"{path} is cut short (the write did not finish); "
                            f"try the backup {path.name}.bak") from None
        raise SaveError("save/not-a-save", f"{path} is not a Power Play save ({exc})") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise SaveError("save/not-a-save", f"{path} is not a Power Play save")
    version = body.get("version")
    if not isinstance(version, int):
        raise SaveError("save/not-a-save", f"{path} has no format version")
    if version > VERSION:
        raise SaveError("save/newer-format",
                        f"{path} was written by a newer Power Play (format {version}, this "
                        f"program reads up to {VERSION}); upgrade to load it")
    claimed = body.pop("digest", None)
    if claimed != hashlib.sha256(_canonical(body)).hexdigest():
        raise SaveError("save/digest-mismatch",
                        f"{path} has been changed or damaged since it was saved "
                        "(its digest does not match)")
    while version < VERSION:
        body = MIGRATIONS[version](body)
        version = int(body["version"])
    out: dict[str, Any] = body
    return out


def read_save(path: Path, *, seats: str | Mapping[str, str] | None = None,
              scenario: str | None = None) -> Game:
    """Load a save: check it, replay its decisions and verify the snapshot."""
    from game.scenario.compile import load_rules
    from game.scenario.errors import ScenarioError

    body = read_envelope(path)
    scn = body["scenario"]
    try:
        rules = load_rules(scenario or scn.get("ref") or scn["id"])
    except ScenarioError:
        rules = load_rules(scn["id"])
    if rules.digest != scn["digest"]:
        raise SaveError("save/scenario-changed",
                        f"scenario '{scn['id']}' has changed since {path.name} was saved; "
                        "the save cannot be replayed on the new rules (use the old file)")
    g = Game.from_rules(rules, body["seed"], seats or body["seats"], no_dice=body["no_dice"],
                        scenario_ref=scn.get("ref", scn["id"]),
                        review=bool(body.get("review", False)))
    decisions = [Decision(d.get("action", ""), d.get("undo_to", -1)) for d in body["decisions"]]
    try:
        g.replay_decisions(decisions)
    except EngineError as exc:
        raise SaveError("save/replay-failed",
                        f"{path}: replaying the decisions failed: {exc.message}") from None
    except ValueError as exc:  # a decision that is not an action at all
        raise SaveError("save/replay-failed", f"{path}: a decision cannot be read: {exc}") from None
    if (g.engine.state.to_json(log=False) != body["snapshot"]
            or g.log_digest() != body["log_digest"]):
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


def autosave_folder(folder: Path | None = None) -> Path:
    return (folder or saves_folder()) / "autosave"


def default_save_path(g: Game) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return saves_folder() / f"{g.rules.id}-turn{g.engine.state.turn}-{stamp}.json"


def autosave(g: Game, folder: Path, *, keep: int = 10) -> Path:
    """Save after a turn into ``folder`` and keep only the newest ``keep`` autosaves."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{g.rules.id}-turn{g.engine.state.turn:02d}-{stamp}.json"
    write_save(g, path)
    found = sorted(folder.glob(f"{g.rules.id}-turn*.json"), key=lambda p: p.stat().st_mtime)
    for old in found[:-keep]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json.bak").unlink(missing_ok=True)
    return path


def verify(path: Path) -> tuple[Game, dict[str, Any]]:
    """Replay a save and return the game with a small report (for ``powerplay replay``)."""
    g = read_save(path)
    return g, {"path": str(path), "scenario": g.rules.id, "decisions": len(g.decisions),
               "turn": g.engine.state.turn, "log_digest": g.log_digest(),
               "entries": len(g.engine.state.entries()), "verified": True}
