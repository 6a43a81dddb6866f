"""Batch runs: many games in parallel, each the same game ``run`` plays, summed up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from game.batch import play_batch, summarize
from game.cli import app
from game.session import Game, SeatError

runner = CliRunner()


def test_a_batch_plays_the_same_games_in_one_process_or_two() -> None:
    """Records come back in seed order, identical whatever the number of processes, and each
    is the game that seed plays on its own (same log digest)."""
    one = list(play_batch("tutorial", range(3, 9), "all=greedy", jobs=1))
    two = list(play_batch("tutorial", range(3, 9), "all=greedy", jobs=2))
    assert one == two
    assert [r["seed"] for r in one] == list(range(3, 9))
    for r in one:
        alone = Game.new("tutorial", r["seed"], "all=greedy")
        alone.run_agents()
        assert r["log_digest"] == alone.log_digest()
        assert r["over"] and r["winners"] == list(alone.result().winners)


def test_a_batch_refuses_human_seats() -> None:
    with pytest.raises(SeatError):
        list(play_batch("tutorial", range(1), "all=random,NORTH=human"))


def test_the_summary_splits_ties_and_counts_endings() -> None:
    def record(winners: list[str], north: float, south: float, end: str) -> dict[str, object]:
        return {"winners": winners, "scores": {"NORTH": north, "SOUTH": south},
                "end_reason": end, "turns_played": 3, "decisions": 20}

    summary = summarize([record(["NORTH"], 4, 1, "last-turn"),
                         record(["NORTH", "SOUTH"], 2, 2, "last-turn"),
                         record(["SOUTH"], 0, 5, "clashes"),
                         record(["SOUTH"], 1, 3, "last-turn")], ["NORTH", "SOUTH"])
    assert summary["games"] == 4
    assert summary["win_share"] == {"NORTH": 0.375, "SOUTH": 0.625}
    assert summary["scores"]["NORTH"] == {"mean": 1.75, "sd": 1.479, "min": 0, "max": 4}
    assert summary["end_reasons"] == {"last-turn": 3, "clashes": 1}


def test_the_batch_command_writes_a_record_per_game(tmp_path: Path) -> None:
    out = tmp_path / "runs.jsonl"
    result = runner.invoke(app, ["batch", "tutorial", "--games", "5", "--seed", "10",
                                 "--jobs", "2", "--json", "--out", str(out)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["games"] == 5 and summary["first_seed"] == 10
    assert sum(summary["win_share"].values()) == pytest.approx(1.0)
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["seed"] for r in lines] == [10, 11, 12, 13, 14]
    assert all(r["scenario"] == "tutorial" for r in lines)


@pytest.mark.parametrize("args, code, says", [
    (["--seats", "NORTH=human"], 2, "computer seat"),
    (["--games", "0"], 2, "at least 1"),
    (["--jobs", "0"], 2, "at least 1"),
])
def test_the_batch_command_refuses_what_it_cannot_play(args: list[str], code: int,
                                                        says: str) -> None:
    result = runner.invoke(app, ["batch", "tutorial", *args])
    assert result.exit_code == code
    assert says in result.output


def test_the_batch_command_names_an_unknown_scenario() -> None:
    result = runner.invoke(app, ["batch", "no-such-scenario", "--games", "2"])
    assert result.exit_code == 3 and "no-such-scenario" in result.output
