"""The analysis lab: fork a saved game at a turn, play each alternative of a team many times;
the fork is the real game and every continuation replays from its fork save."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from game.cli import app
from game.lab import Lab, LabError, default_tracks, summarize_lab
from game.saves import VERSION, read_envelope, read_save
from game.session import Game

runner = CliRunner()


def save_at(tmp: Path, scenario: str, turn: int, seed: int = 5, seats: str = "all=greedy") -> Path:
    """A save of ``scenario`` at the start of ``turn``, played by computer seats."""
    g = Game.new(scenario, seed, seats)
    while g.engine.state.turn < turn and not g.is_over:
        assert g.step_agent()
    return g.save(tmp / f"{scenario}-turn{turn}.json")


@pytest.fixture(scope="module")
def kursk_turn3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_at(tmp_path_factory.mktemp("kursk"), "kursk-2024", 3)


def test_every_continuation_of_a_kursk_lab_replays_from_its_fork(kursk_turn3: Path,
                                                                  tmp_path: Path) -> None:
    """A lab from a turn-3 save of the flagship gives per-alternative distributions whose
    games each replay exactly with 'powerplay run --load' of their fork."""
    out = tmp_path / "lab"
    result = runner.invoke(app, ["lab", str(kursk_turn3), "--turn", "3", "--team", "EU",
                                 "--alternatives", "eu_ip4,pass", "--games", "2", "--seed", "11",
                                 "--seats", "all=greedy", "--jobs", "1", "-o", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "lab.json").read_text())
    assert [a["key"] for a in data["alternatives"]] == ["eu_ip4", "pass"]
    assert [(c["alternative"], c["seed"]) for c in data["continuations"]] == [
        ("eu_ip4", 11), ("eu_ip4", 12), ("pass", 11), ("pass", 12)]
    for alt in ("eu_ip4", "pass"):  # a distribution of each team's score per alternative
        scores = [r for r in data["summary"] if r["alternative"] == alt and r["measure"] == "score"]
        assert {r["id"] for r in scores} == {"EU", "ROK", "RUS", "DPRK"}
        for r in scores:
            assert r["games"] == 2 and r["ci_low"] <= r["mean"] <= r["ci_high"]
    saved = read_envelope(kursk_turn3)["decisions"]
    for c in data["continuations"]:
        fork = out / c["fork"]
        body = read_envelope(fork)
        # the fork is the real game: the saved decisions, then the continuation's reseed
        assert body["decisions"][:len(saved)] == saved
        assert body["decisions"][len(saved)] == {"reseed": c["seed"]}
        assert len(body["decisions"]) == c["fork_decisions"]
        replay = runner.invoke(app, ["run", "--load", str(fork), "--json"],
                               catch_exceptions=False)
        assert replay.exit_code == 0, replay.output
        again = json.loads(replay.stdout)
        assert again["log_digest"] == c["log_digest"] and again["scores"] == c["scores"]
    # the orders given at the fork are the alternative's
    ip4 = read_save(out / data["continuations"][0]["fork"])
    assert "EU: eu_ip4" in [d.action for d in ip4.decisions[len(saved):]]
    for name in ("lab.html", "lab.md", "lab-summary.csv", "lab-values.csv", "continuations.jsonl"):
        assert (out / name).stat().st_size > 0


def test_forking_earlier_replays_the_real_game_to_that_turn(tmp_path: Path) -> None:
    """Forked at turn 2 of a turn-3 save, the lab starts from the state the real game had at
    the start of turn 2."""
    path = save_at(tmp_path, "tutorial", 3, seed=3, seats="all=random")
    lab = Lab.from_save(path, turn=2, team="NORTH", seats="all=random", alternatives="pass",
                        games=1)
    real = Game.new("tutorial", 3, "all=random")
    while real.engine.state.turn < 2:
        assert real.step_agent()
    from game.lab import base_game

    assert base_game(lab.setup).engine.state.to_json() == real.engine.state.to_json()


def test_all_alternatives_are_the_legal_moves_no_orders_and_the_orders_played(
        tmp_path: Path) -> None:
    path = save_at(tmp_path, "tutorial", 3, seed=8, seats="all=random")
    lab = Lab.from_save(path, turn=2, team="NORTH", seats="all=random", games=1)
    from game.lab import fork_probe

    probe = fork_probe(lab.setup, 0)
    legal = {str(a) for a in probe.legal_actions("NORTH")
             if a.verb not in ("pass", "retract", "say")}
    singles = {a.orders[0] for a in lab.alternatives if len(a.orders) == 1}
    assert legal <= singles
    keys = [a.key for a in lab.alternatives]
    assert "pass" in keys and len(keys) == len(set(keys))
    # what NORTH really ordered on turn 2 is there, said to be what was played
    real = read_save(path)
    replay = Game.new("tutorial", 8, "all=passive")
    played: list[str] = []
    for d in real.decisions:
        if replay.engine.state.turn == 2 and d.action.startswith("NORTH:"):
            if d.action.startswith("NORTH: pass"):
                break
            played.append(d.action)
        replay.submit(d.action)
    marked = [a for a in lab.alternatives if "as played" in a.name.lower()]
    assert len(marked) == 1 and sorted(marked[0].orders) == sorted(played)
    for alt in lab.alternatives:  # names, not ids
        for mid in (m.id for m in real.rules.moves):
            assert not re.search(rf"\b{mid}\b", alt.name)


def test_the_summary_is_the_records_counted(tmp_path: Path) -> None:
    path = save_at(tmp_path, "tutorial", 2, seed=1, seats="all=random")
    lab = Lab.from_save(path, turn=2, team="SOUTH", seats="all=random", games=6)
    records = lab.run(jobs=1)
    assert len(records) == 6 * len(lab.alternatives)
    tracks = default_tracks(lab.setup.source.rules())
    summary = summarize_lab(lab, tracks)
    for alt in lab.alternatives:
        mine = [r for r in records if r["alternative"] == alt.key]
        assert [r["seed"] for r in mine] == list(range(6))
        row = next(r for r in summary.rows if r["alternative"] == alt.key
                   and r["measure"] == "score" and r["id"] == "NORTH")
        scores = [r["scores"]["NORTH"] for r in mine]
        assert row["mean"] == pytest.approx(sum(scores) / 6, abs=0.01)
        assert row["min"] == min(scores) and row["max"] == max(scores)
        assert row["ci_low"] <= row["mean"] <= row["ci_high"]
        wins = [r for r in summary.rows if r["alternative"] == alt.key
                and r["measure"] == "win_share"]
        assert sum(r["mean"] for r in wins) == pytest.approx(1, abs=1e-3)


def test_a_lab_on_a_dask_cluster_gives_the_local_records(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    path = save_at(tmp_path, "tutorial", 2, seed=2, seats="all=random")
    lab = Lab.from_save(path, turn=2, team="NORTH", seats="all=greedy", games=3)
    local = lab.run(jobs=2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = lab.run(scheduler=cluster.scheduler_address)
    assert remote == local


def test_the_lab_page_has_charts_and_names_not_ids(tmp_path: Path) -> None:
    path = save_at(tmp_path, "tutorial", 2, seed=2, seats="all=random")
    out = tmp_path / "lab"
    result = runner.invoke(app, ["lab", str(path), "--turn", "2", "--team", "NORTH",
                                 "--seats", "all=random", "--games", "3", "--jobs", "1",
                                 "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    page = (out / "lab.html").read_text()
    assert page.count("<svg") >= 3 and "<script" not in page
    for section in ("alternatives", "scores", "wins", "tracks", "continuations"):
        assert f"id='{section}'" in page
    rules = read_save(path).rules
    # what people read (commands and file names aside) names moves and teams, never their ids
    text = re.sub(r"<code>.*?</code>|<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", page,
                  flags=re.S)
    for ident in [i for i in [m.id for m in rules.moves] + [t.id for t in rules.tracks]
                  if "_" in i]:  # ('tension' is a word as well as an id)
        assert not re.search(rf"\b{re.escape(ident)}\b", text), ident
    assert rules.actors[0].name in text


@pytest.mark.parametrize("args, code, says", [
    (["--turn", "0"], "lab/turn-out-of-range", "out of range"),
    (["--turn", "7"], "lab/turn-out-of-range", "1..2"),
    (["--turn", "2", "--team", "NOBODY"], "lab/unknown-team", "NOBODY"),
    (["--turn", "2", "--team", "NORTH", "--alternatives", "fly_to_mars"],
     "lab/unknown-move", "fly_to_mars"),
    (["--turn", "2", "--team", "NORTH", "--alternatives", "pass", "--tracks", "nope"],
     "lab/unknown-track", "nope"),
    (["--turn", "2", "--seats", "NORTH=human"], "lab/human-seat", "--seats"),
    (["--turn", "2", "--scheduler", "no address"], "cluster/bad-address", "tcp://"),
])
def test_bad_lab_input_is_one_error_line(tmp_path: Path, args: list[str], code: str,
                                          says: str) -> None:
    path = save_at(tmp_path, "tutorial", 2, seed=2, seats="all=random")
    result = runner.invoke(app, ["lab", str(path), "--games", "1", "--jobs", "1", *args])
    assert result.exit_code != 0
    assert result.output.count("\n") == 1, result.output
    assert f"error[{code}]" in result.output and says in result.output
    assert "Traceback" not in result.output


def test_a_missing_or_broken_save_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["lab", str(tmp_path / "none.json"), "--turn", "1"])
    assert result.exit_code == 4 and result.output.count("\n") == 1
    assert "error[save/" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{\"format\": \"powerplay-save\"")
    result = runner.invoke(app, ["lab", str(bad), "--turn", "1"])
    assert result.exit_code == 4 and result.output.count("\n") == 1


def test_an_order_not_legal_at_the_fork_is_refused_with_the_legal_forms(tmp_path: Path) -> None:
    path = save_at(tmp_path, "tutorial", 2, seed=2, seats="all=random")
    rules = read_save(path).rules
    north = rules.actor_index["NORTH"]
    theirs = next(m.id for m in rules.moves if not m.actor_mask >> north & 1)
    with pytest.raises(LabError) as info:
        Lab.from_save(path, turn=2, team="NORTH", seats="all=random", alternatives=theirs,
                      games=1)
    assert info.value.code == "lab/unknown-move"


def test_a_reseed_is_a_decision_a_save_replays_and_undo_stops_at(tmp_path: Path) -> None:
    """The same game reseeded with the same seed has the same future, with another seed
    another one; the reseed is in the decision log (so a save replays it), a fork keeps it,
    and undo cannot go back past it."""
    from game.engine.errors import IllegalAction

    def reseeded(seed: int) -> Game:
        g = Game.new("tutorial", 6, "all=random")
        for _ in range(6):
            assert g.step_agent()
        g.reseed(seed)
        return g

    a, b, c = reseeded(41), reseeded(41), reseeded(42)
    forked = a.fork()
    assert a.decisions[-1].to_json() == {"reseed": 41}
    with pytest.raises(IllegalAction):
        a.undo()
    loaded = read_save(a.save(tmp_path / "r.json"))
    digests = {g.play_out().log_digest() for g in (a, b, forked, loaded)}
    assert len(digests) == 1
    assert c.play_out().log_digest() not in digests
    assert read_envelope(tmp_path / "r.json")["version"] == VERSION


def test_the_lab_command_on_a_cluster_writes_the_local_records(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    path = save_at(tmp_path, "tutorial", 2, seed=2, seats="all=random")
    args = ["lab", str(path), "--turn", "2", "--team", "SOUTH", "--seats", "all=greedy",
            "--games", "2", "--no-forks"]
    local = runner.invoke(app, [*args, "--jobs", "1", "-o", str(tmp_path / "a")],
                          catch_exceptions=False)
    assert local.exit_code == 0, local.output
    assert "powerplay run --load DIR/forks/" in local.stdout  # no forks: how to make one
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        remote = runner.invoke(app, [*args, "--scheduler", cluster.scheduler_address,
                                     "-o", str(tmp_path / "b")], catch_exceptions=False)
    assert remote.exit_code == 0, remote.output
    assert ((tmp_path / "a" / "continuations.jsonl").read_text()
            == (tmp_path / "b" / "continuations.jsonl").read_text() != "")
