"""Saves: a versioned JSON envelope with a digest, written atomically, replayed and verified.

Round trip; the atomic write keeps the previous save as ``.bak`` and survives a full disk; each
kind of bad file has its own code (``save/not-a-save``, ``save/truncated``,
``save/digest-mismatch``, ``save/newer-format``, ``save/scenario-changed``,
``save/replay-failed``, ``save/replay-mismatch``); older formats migrate; autosave keeps the
last ten; undo is recorded and replays; nothing is ever unpickled.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from game.engine.actions import Action
from game.saves import (
    VERSION,
    SaveError,
    _canonical,
    autosave,
    autosave_folder,
    latest_save,
    read_envelope,
    read_save,
    verify,
    write_save,
)
from game.scenario.load import SCENARIO_DIR
from game.session import Game

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "saves"


def played(seed: int = 5, steps: int = 14, scenario: str = "tutorial") -> Game:
    g = Game.new(scenario, seed, "all=random")
    for _ in range(steps):
        g.step_agent()
    return g


def state_of(g: Game) -> str:
    return json.dumps(g.engine.state.to_json(), sort_keys=True)


def load_code(path: Path) -> str:
    with pytest.raises(SaveError) as info:
        read_save(path)
    assert info.value.message
    return info.value.code


def rewrite(path: Path, change: Any, *, sign: bool = True) -> None:
    """Edit a save's JSON body with ``change(body)``; re-sign it as the program would."""
    body = json.loads(path.read_bytes())
    body.pop("digest")
    change(body)
    if sign:
        body["digest"] = hashlib.sha256(_canonical(body)).hexdigest()
    else:
        body["digest"] = json.loads(path.read_bytes())["digest"]
    path.write_bytes(_canonical(body))


# ---------------------------------------------------------------------- round trip


def test_a_save_loads_back_to_the_same_game(tmp_path: Path) -> None:
    """Save -> load gives the same state, log digest, decisions, seats and seed."""
    g = played()
    path = tmp_path / "game.json"
    g.save(path)
    h = Game.load(path)
    assert state_of(h) == state_of(g)
    assert h.log_digest() == g.log_digest()
    assert [d.to_json() for d in h.decisions] == [d.to_json() for d in g.decisions]
    assert (h.seed, h.seats, h.rules.id) == (g.seed, g.seats, g.rules.id)


def test_a_loaded_game_continues_as_the_original_would(tmp_path: Path) -> None:
    """After loading, the computer seats play on exactly as in the unsaved game."""
    g = played(seed=8, steps=9)
    g.save(tmp_path / "mid.json")
    h = Game.load(tmp_path / "mid.json")
    assert g.play_out().log_digest() == h.play_out().log_digest()


def test_the_envelope_names_what_it_holds(tmp_path: Path) -> None:
    """A save says its format, version, program, scenario (id, content hash), seed, seats,
    decisions, turn, log digest, snapshot and digest."""
    g = played()
    write_save(g, tmp_path / "s.json")
    body = json.loads((tmp_path / "s.json").read_bytes())
    assert body["format"] == "powerplay-save" and body["version"] == VERSION
    assert body["scenario"]["id"] == "tutorial" and body["scenario"]["digest"] == g.rules.digest
    assert {"program", "seed", "seats", "decisions", "turn", "log_digest", "snapshot",
            "digest"} <= set(body)
    assert body["log_digest"] == g.log_digest()


@pytest.mark.parametrize("rationale", ["  padded  ", "tab\t", "\u3000wide space\u3000"])
def test_any_rationale_survives_save_and_load(tmp_path: Path, rationale: str) -> None:
    """A decision submitted as an Action with any rationale text saves and loads back."""
    g = Game.new("tutorial", 1, "all=random")
    g.submit(Action("NORTH", "mass_troops", (), rationale))
    g.save(tmp_path / "s.json")
    assert Game.load(tmp_path / "s.json").log_digest() == g.log_digest()


# ---------------------------------------------------------------------- atomic write


def test_writing_over_a_save_keeps_the_previous_one_as_bak(tmp_path: Path) -> None:
    """The previous save is kept as ``<name>.bak``; no temporary file is left behind."""
    path = tmp_path / "game.json"
    g = played(steps=5)
    write_save(g, path)
    first = path.read_bytes()
    g.step_agent()
    write_save(g, path)
    assert (tmp_path / "game.json.bak").read_bytes() == first
    assert path.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json", "game.json.bak"]
    assert read_save(tmp_path / "game.json.bak").engine.state.nlog < read_save(
        path).engine.state.nlog


class FullDisk:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fh, name)


def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_full_disk_keeps_the_previous_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             where: str) -> None:
    """A disk-full error while saving raises ``save/io`` and leaves the previous save intact and
    loadable (its backup is a loadable save too), with no temporary file left behind."""
    path = tmp_path / "game.json"
    g = played(steps=5)
    write_save(g, path)
    g.step_agent()
    write_save(g, path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    g.step_agent()
    if where == "write":
        real = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: FullDisk(real(*a, **k)))
    else:
        monkeypatch.setattr(os, where, _enospc)
    with pytest.raises(SaveError) as info:
        write_save(g, path)
    monkeypatch.undo()
    assert info.value.code == "save/io"
    assert "No space left" in info.value.message and "untouched" in info.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(before)
    assert path.read_bytes() == before["game.json"]
    assert read_save(path).engine.state.nlog < g.engine.state.nlog
    read_save(tmp_path / "game.json.bak")


# ---------------------------------------------------------------------- bad files


@pytest.mark.parametrize("content", [
    b"hello, world\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"[1, 2, 3]",
    b'{"format": "something-else", "version": 1}',
    b'{"format": "powerplay-save"}',
    b'{"format": "powerplay-save", "version": "2"}',
    "\ufeff\u00e9t\u00e9".encode("latin-1", errors="ignore"),
])
def test_a_file_that_is_not_a_save(tmp_path: Path, content: bytes) -> None:
    """Anything that is not a Power Play save is ``save/not-a-save``."""
    path = tmp_path / "x.json"
    path.write_bytes(content)
    assert load_code(path) == "save/not-a-save"


def test_a_missing_file_is_an_io_error(tmp_path: Path) -> None:
    """A save that cannot be read is ``save/io`` naming the file."""
    with pytest.raises(SaveError) as info:
        read_save(tmp_path / "nope.json")
    assert info.value.code == "save/io" and "nope.json" in info.value.message


def test_a_truncated_save(tmp_path: Path) -> None:
    """A save cut short (the write did not finish) is ``save/truncated``; it points to the
    .bak only when there is one."""
    path = tmp_path / "game.json"
    write_save(played(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SaveError) as info:
        read_save(path)
    assert info.value.code == "save/truncated" and ".bak" not in info.value.message
    write_save(played(), path)
    write_save(played(), path)  # the second write keeps the first as game.json.bak
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SaveError) as info:
        read_save(path)
    assert info.value.code == "save/truncated" and "game.json.bak" in info.value.message
    assert read_save(tmp_path / "game.json.bak").engine.state.turn >= 1


def test_a_save_cut_anywhere_is_truncated(tmp_path: Path) -> None:
    """Whichever byte a save is cut at, the error is ``save/truncated``."""
    path = tmp_path / "game.json"
    write_save(played(steps=3), path)
    data = path.read_bytes()
    cuts = [i for i in range(1, len(data)) if data[i - 1:i] == b"}"][:20]
    cuts += list(range(1, len(data), max(1, len(data) // 50)))
    wrong = []
    for cut in cuts:
        path.write_bytes(data[:cut])
        with pytest.raises(SaveError) as info:
            read_envelope(path)
        if info.value.code != "save/truncated":
            wrong.append((cut, info.value.code))
    assert wrong == []


def test_a_damaged_save_fails_its_digest(tmp_path: Path) -> None:
    """A save changed after it was written (digest not renewed) is ``save/digest-mismatch``."""
    path = tmp_path / "game.json"
    write_save(played(), path)
    rewrite(path, lambda b: b.update(seed=b["seed"] + 1), sign=False)
    assert load_code(path) == "save/digest-mismatch"
    write_save(played(), path)
    rewrite(path, lambda b: b["decisions"].pop(), sign=False)
    assert load_code(path) == "save/digest-mismatch"


def test_a_save_from_a_newer_program(tmp_path: Path) -> None:
    """A save of a newer format is ``save/newer-format`` naming both versions."""
    path = tmp_path / "game.json"
    write_save(played(), path)
    rewrite(path, lambda b: b.update(version=VERSION + 1))
    with pytest.raises(SaveError) as info:
        read_save(path)
    assert info.value.code == "save/newer-format"
    assert str(VERSION + 1) in info.value.message and str(VERSION) in info.value.message


def test_a_save_whose_scenario_changed(tmp_path: Path) -> None:
    """A save of a scenario file edited since is ``save/scenario-changed``: its decisions would
    not mean the same on the new rules."""
    scenario = tmp_path / "border.yaml"
    shutil.copyfile(SCENARIO_DIR / "tutorial.yaml", scenario)
    g = Game.new(scenario, 3, "all=random")
    for _ in range(6):
        g.step_agent()
    path = tmp_path / "game.json"
    g.save(path)
    assert Game.load(path).log_digest() == g.log_digest()
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("    initial: 2\n", "    initial: 3\n", 1)
                        + "# edited after the save\n", encoding="utf-8")
    assert load_code(path) == "save/scenario-changed"


def test_a_save_whose_snapshot_does_not_match_its_replay(tmp_path: Path) -> None:
    """A (re-signed) save whose decisions do not reproduce its snapshot or its log digest is
    ``save/replay-mismatch``."""
    path = tmp_path / "game.json"
    write_save(played(), path)
    rewrite(path, lambda b: b["snapshot"]["tracks"].__setitem__(0, 5.0))
    assert load_code(path) == "save/replay-mismatch"
    write_save(played(), path)
    rewrite(path, lambda b: b.update(log_digest="0" * 64))
    assert load_code(path) == "save/replay-mismatch"


@pytest.mark.parametrize("decision", ["not an action", "NORTH: no_such_move",
                                      "GHOST: pass", "control: rule order=99 outcome=firm"])
def test_a_save_whose_decisions_do_not_replay(tmp_path: Path, decision: str) -> None:
    """A (re-signed) save holding a decision the game cannot take is ``save/replay-failed``."""
    path = tmp_path / "game.json"
    write_save(played(), path)
    rewrite(path, lambda b: b["decisions"].insert(0, {"action": decision}))
    assert load_code(path) == "save/replay-failed"


def test_a_save_with_an_illegal_decision_does_not_verify(tmp_path: Path) -> None:
    """Loading (and so ``replay --verify``) replays every decision through the checked apply: a
    re-signed save whose decisions break the rules — even with a snapshot and log digest that
    match them — is refused with ``save/replay-failed``."""
    from game.session import Decision

    g = Game.new("tutorial", 1, "all=random")
    for _ in range(3):  # over NORTH's per-turn limit, its orders and its action points
        action = Action("NORTH", "mass_troops")
        g.engine._apply(action)  # the unchecked inner apply: what a hand-edit amounts to
        g.decisions.append(Decision(str(action)))
    assert g.engine.resource("NORTH", "ap") < 0
    path = tmp_path / "cheat.json"
    write_save(g, path)
    with pytest.raises(SaveError) as info:
        verify(path)
    assert info.value.code == "save/replay-failed"


# ---------------------------------------------------------------------- older formats


def test_a_version_1_save_migrates_and_loads() -> None:
    """A format-1 save (decisions as plain action strings) is migrated step by step and loads
    to the game it recorded. (Fixture written by ``python tools/make_goldens.py --saves``.)"""
    path = FIXTURES / "tutorial-v1.json"
    raw = json.loads(path.read_bytes())
    assert raw["version"] == 1 and all(isinstance(d, str) for d in raw["decisions"])
    body = read_envelope(path)
    assert body["version"] == VERSION
    assert body["decisions"] == [{"action": d} for d in raw["decisions"]]
    try:
        g = read_save(path)
    except SaveError as exc:
        pytest.fail(f"{exc}\nIf the engine's log changed on purpose, old saves no longer replay: "
                    "regenerate the fixture with python tools/make_goldens.py --saves",
                    pytrace=False)
    assert g.log_digest() == raw["log_digest"]
    assert [d.action for d in g.decisions] == raw["decisions"]


def test_a_save_from_a_development_build_is_refused_clearly() -> None:
    """Format 2 was settled during development (before any release): a save written by the
    build at 1b7c8dd, whose game replays differently today, is refused with a clear error
    naming the file, never loaded as a different game."""
    with pytest.raises(SaveError) as info:
        read_save(FIXTURES / "tutorial-v2-1b7c8dd.json")
    # the tutorial itself has changed since (its objectives' texts): refused for that first
    assert info.value.code in ("save/replay-mismatch", "save/replay-failed",
                               "save/scenario-changed")
    assert "tutorial-v2-1b7c8dd.json" in info.value.message


# ---------------------------------------------------------------------- autosave and undo


def test_autosave_keeps_the_last_ten(tmp_path: Path) -> None:
    """Autosaves beyond the newest ten are removed (with their backups)."""
    g = played(steps=3)
    written = []
    for _ in range(13):
        written.append(autosave(g, tmp_path, keep=10))
        g.step_agent()
    left = sorted(p for p in tmp_path.iterdir() if p.suffix == ".json")
    assert left == sorted(written[-10:])
    assert not any(p.name.endswith(".bak") for p in tmp_path.iterdir())


def test_a_game_autosaves_after_every_turn(tmp_path: Path) -> None:
    """With an autosave folder a game saves itself at each turn's end; each save loads."""
    folder = tmp_path / "autosave"
    g = Game.new("tutorial", 2, "all=random", autosave_dir=folder)
    g.play_out()
    saves = sorted(folder.glob("*.json"))
    assert [json.loads(p.read_bytes())["turn"] for p in saves] == [2, 3, 3]
    assert read_save(saves[-1]).log_digest() == g.log_digest()
    latest = Game.latest_save(tmp_path)
    assert latest is not None and Game.load(latest).is_over


def test_resume_takes_up_the_newest_save_a_quit_save_included(tmp_path: Path) -> None:
    """The save to resume is the newest of the autosaves and the saves made by hand or on
    quitting: a save made mid-turn holds orders the turn's autosave lacks. A file that is not a
    whole save is passed over; what it holds is said without replaying it."""
    g = Game.new("tutorial", 2, "NORTH=human,SOUTH=human,control=auto",
                 autosave_dir=autosave_folder(tmp_path))
    assert latest_save(tmp_path) is None
    g.submit("NORTH: pass")
    g.submit("SOUTH: pass")
    while g.step_agent():  # the council and the umpire: turn 1 ends, the autosave is written
        pass
    assert g.engine.state.turn == 2 and "NORTH" in g.waiting_for()
    auto = latest_save(tmp_path)
    assert auto is not None and auto.auto and auto.turn == 2
    g.submit("NORTH: mass_troops | before the talks")
    quit_save = g.save(tmp_path / "tutorial-turn2-20261204-164547.json")
    os.utime(auto.path, (1, 1))  # the autosave is older, whatever the clock's resolution
    latest = latest_save(tmp_path)
    assert latest is not None and latest.path == quit_save and not latest.auto
    assert (latest.scenario, latest.turn, latest.over) == ("tutorial", 2, False)
    assert [o.move for o in Game.load(latest.path).view("NORTH").orders] == ["mass_troops"]
    (tmp_path / "tutorial-turn3-20261204-170000.json").write_text('{"cut short', "utf-8")
    (tmp_path / "notes.json").write_text("{}", "utf-8")
    latest = latest_save(tmp_path)
    assert latest is not None and latest.path == quit_save


def test_undo_is_recorded_and_replays(tmp_path: Path) -> None:
    """An undo is a recorded decision: the save replays it (and the undone steps are kept)."""
    g = Game.new("tutorial", 4, "all=random")
    for _ in range(6):
        g.step_agent()
    g.undo()
    g.undo()
    who = g.waiting_for()[0]
    g.submit(g.legal_actions(who)[-1].with_rationale("changed my mind"))
    g.step_agent()
    assert any(d.undo_to >= 0 for d in g.decisions)
    g.save(tmp_path / "undo.json")
    h = Game.load(tmp_path / "undo.json")
    assert state_of(h) == state_of(g)
    assert [d.to_json() for d in h.decisions] == [d.to_json() for d in g.decisions]
    assert h.undone == g.undone and len(g.undone) > 0


# ---------------------------------------------------------------------- never pickle


def test_no_module_of_the_program_uses_pickle() -> None:
    """No pickle, marshal or shelve in ``game/``, nor eval/exec, nor PyYAML or an unsafe
    ruamel loader (ruamel's round-trip loader builds only plain data)."""
    bad = re.compile(r"^\s*(import|from)\s+(pickle|cPickle|marshal|shelve|dill|cloudpickle|yaml)\b"
                     r"|\bpickle\.loads?\(|\bmarshal\.loads?\(|(?<![\w.])(eval|exec)\("
                     r"|\bunsafe_load\(|UnsafeLoader|FullLoader|typ=['\"]unsafe['\"]", re.M)
    found = [f"{p.relative_to(ROOT)}: {m.group(0).strip()}"
             for p in sorted((ROOT / "game").rglob("*.py"))
             for m in bad.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_loading_never_unpickles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saving and loading work with every unpickling entry point disabled."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pickle used")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    g = played()
    g.save(tmp_path / "s.json")
    assert Game.load(tmp_path / "s.json").log_digest() == g.log_digest()
    assert verify(tmp_path / "s.json")[1]["verified"] is True


def test_every_state_field_is_started_copied_and_saved() -> None:
    """State's fields are listed in state.py only: its slots, State.start, copy() and the
    snapshot table agree, so a new field cannot be left out of one of them unnoticed."""
    from game.engine import state as S

    # its slots; compiled (mypyc) it has none, and lists its attributes in __mypyc_attrs__
    slots = set(getattr(S.State, "__slots__", ()) or getattr(S.State, "__mypyc_attrs__", ()))
    assert len(slots) > 20
    not_saved = {"reveals", "log", "nlog"}  # see the snapshot table's comment
    saved = {"_known" if key == "known" else key for key, _, _ in S._JSON}
    assert saved | not_saved == slots and not saved & not_saved
    fresh = S.State.start([1.0, 2.0], [3], 2, 1, 7, (0.5,))
    assert all(hasattr(fresh, name) for name in slots), slots - {n for n in slots
                                                                 if hasattr(fresh, n)}
    g = played(seed=3, steps=20, scenario="kursk-2024")
    s = g.engine.state
    copy = s.copy()
    for name in slots:
        assert getattr(copy, name) == getattr(s, name), name
    snapshot = s.to_json()
    assert S.State.from_json(json.loads(json.dumps(snapshot))).to_json() == snapshot
