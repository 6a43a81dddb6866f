"""Same scenario + seed + seats + decisions = the same game, bit for bit — across processes,
across a save and a load, and across a fork (DESIGN.md "Everything is recorded").

The command-line checks run ``python -m game`` in fresh processes with different hash seeds, so
nothing may depend on set or dict order, addresses or the clock.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from game.scenario.load import SCENARIO_DIR
from game.session import Game

SCENARIOS = [
    pytest.param("tutorial", id="tutorial"),
    pytest.param("kursk-2024", id="kursk-2024", marks=pytest.mark.skipif(
        not (SCENARIO_DIR / "kursk-2024.yaml").exists(), reason="scenarios/kursk-2024.yaml absent")),
]


def pinned(scenario: str, folder: Path) -> str:
    """A private copy of the scenario file (edits to the working tree cannot disturb a test)."""
    copy = folder / f"{scenario}.yaml"
    if not copy.exists():
        shutil.copyfile(SCENARIO_DIR / f"{scenario}.yaml", copy)
    return str(copy)


def powerplay(*args: str, hash_seed: str = "0", cwd: Path | None = None
              ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120, check=False)


def run_json(*args: str, hash_seed: str = "0", cwd: Path | None = None) -> dict[str, Any]:
    proc = powerplay("run", *args, "--json", hash_seed=hash_seed, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("seed, seats", [(3, "all=random"),
                                         (8, "players=greedy,control=auto")])
def test_same_seed_same_game_across_processes(scenario: str, seed: int, seats: str,
                                              tmp_path: Path) -> None:
    """Two processes (with different hash seeds) play the same game: same JSON summary, same
    log digest."""
    path = pinned(scenario, tmp_path)
    a = run_json(path, "--seed", str(seed), "--seats", seats, hash_seed="1", cwd=tmp_path)
    b = run_json(path, "--seed", str(seed), "--seats", seats, hash_seed="2", cwd=tmp_path)
    assert a == b
    assert a["over"] and len(a["log_digest"]) == 64
    here = Game.new(path, seed, seats).play_out()
    assert here.log_digest() == a["log_digest"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_run_saved_and_continued_equals_one_run(scenario: str, tmp_path: Path) -> None:
    """``run --turns 2 --save S`` then ``run --load S`` ends in the same log digest as one
    uninterrupted run; ``replay S --verify`` confirms the save."""
    path = pinned(scenario, tmp_path)
    save = tmp_path / "mid.json"
    whole = run_json(path, "--seed", "5", cwd=tmp_path)
    first = run_json(path, "--seed", "5", "--turns", "2", "--save", str(save), cwd=tmp_path)
    assert not first["over"] and first["turns_played"] == 2
    rest = run_json("--load", str(save), hash_seed="3", cwd=tmp_path)
    assert rest["log_digest"] == whole["log_digest"]
    assert rest["tracks"] == whole["tracks"] and rest["scores"] == whole["scores"]
    verified = powerplay("replay", str(save), "--verify", cwd=tmp_path)
    assert verified.returncode == 0, verified.stderr
    assert "verified" in verified.stdout
    report = json.loads(powerplay("replay", str(save), "--json", cwd=tmp_path).stdout)
    assert report["verified"] is True and report["turn"] == 3


def test_a_loaded_run_keeps_its_saved_seats(tmp_path: Path) -> None:
    """``run --load S`` continues with the seats the game was saved with."""
    path = pinned("tutorial", tmp_path)
    save = tmp_path / "mid.json"
    seats = "players=greedy,control=auto"
    whole = run_json(path, "--seed", "5", "--seats", seats, cwd=tmp_path)
    run_json(path, "--seed", "5", "--seats", seats, "--turns", "2", "--save", str(save),
             cwd=tmp_path)
    rest = run_json("--load", str(save), cwd=tmp_path)
    assert rest["seats"] == whole["seats"]
    assert rest["log_digest"] == whole["log_digest"]


def test_replay_verify_fails_on_a_damaged_save(tmp_path: Path) -> None:
    """``replay --verify`` exits non-zero on a damaged save and says why."""
    save = tmp_path / "s.json"
    Game.new("tutorial", 1, "all=random").play_out().save(save)
    data = save.read_bytes()
    save.write_bytes(data.replace(b'"seed":1', b'"seed":2'))
    proc = powerplay("replay", str(save), "--verify", cwd=tmp_path)
    assert proc.returncode != 0
    assert "save/digest-mismatch" in proc.stderr
    out = json.loads(powerplay("replay", str(save), "--json", cwd=tmp_path).stdout)
    assert out["verified"] is False and out["code"] == "save/digest-mismatch"


@pytest.mark.parametrize("seats", ["all=random", "players=greedy,control=auto",
                                   "NORTH=greedy,SOUTH=random,control=auto"])
def test_same_seed_same_game_in_process(seats: str) -> None:
    """For many seeds, two games with the same seed and seats have the same log digest, and
    different seeds give different games."""
    digests = []
    for seed in range(12):
        a = Game.new("tutorial", seed, seats).play_out().log_digest()
        assert Game.new("tutorial", seed, seats).play_out().log_digest() == a
        digests.append(a)
    assert len(set(digests)) > 6


def test_a_fork_evolves_as_the_original(tmp_path: Path) -> None:
    """A fork made mid-game plays on exactly as the original (same future dice and choices)."""
    g = Game.new("tutorial", 6, "all=random")
    for _ in range(8):
        g.step_agent()
    f = g.fork()
    assert f.play_out().log_digest() == g.play_out().log_digest()


def test_the_no_dice_mode_is_deterministic_and_different() -> None:
    """No-dice games are as repeatable as dice games (and usually differ from them)."""
    a = Game.new("tutorial", 2, "all=random", no_dice=True).play_out()
    b = Game.new("tutorial", 2, "all=random", no_dice=True).play_out()
    assert a.log_digest() == b.log_digest()
    assert all(e.get("kind") == "no-dice" for e in a.engine.state.entries() if e.kind == "roll")


def reference_text(entries: list[Any]) -> str:
    """What digests were first taken over: the repr of the tuple of entries as named tuples
    whose data is a tuple of (key, value) pairs (written out here independently)."""
    def one(e: Any) -> str:
        return (f"Entry(seq={e.seq!r}, turn={e.turn!r}, phase={e.phase!r}, kind={e.kind!r}, "
                f"mask={e.mask!r}, cause={e.cause!r}, data={e.data!r})")
    texts = [one(e) for e in entries]
    return f"({texts[0]},)" if len(texts) == 1 else f"({', '.join(texts)})"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_log_text_is_the_repr_of_the_entries(scenario: str) -> None:
    """The digest's canonical text, written straight from the log's nodes, is exactly the
    repr of the log's entries with their data as pairs (what older saves' digests were
    taken over)."""
    for seed in (1, 2):
        g = Game.new(scenario, seed, "all=random")
        assert g.engine.state.log_text() == reference_text(g.engine.state.entries())
        g.run_agents()
        entries = g.engine.state.entries()
        assert g.engine.state.log_text() == reference_text(entries) == repr(tuple(entries))


def test_the_log_text_of_short_and_odd_logs() -> None:
    """No entry, one entry (a one-tuple's trailing comma), and keys or values with '%'."""
    from game.engine.state import Entry, State

    s = State.__new__(State)
    s.log = None
    assert s.log_text() == "()"
    odd = Entry(0, 1, 0, "x", 1, -1, ("a%s", "b%%r"), ("v%d", (1.5, "q%")))
    s.log = (*odd, None)
    assert s.log_text() == reference_text([odd])
    s.log = (*odd._replace(seq=1), s.log)
    assert s.log_text() == reference_text([odd, odd._replace(seq=1)])
