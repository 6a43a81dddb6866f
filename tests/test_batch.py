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


def test_records_count_each_move_and_objective_as_the_log_has_them() -> None:
    """A record's moves are the orders given (retracted ones left out) and their outcomes,
    from the log; its objectives sum to each actor's score."""
    g = Game.new("tutorial", 4, "all=random").play_out()
    from game.batch import game_record
    from game.engine.log import Kind

    r = game_record(g)
    orders = [e for e in g.engine.state.entries() if e.kind is Kind.ORDER]
    retracted = {e.get("order") for e in g.engine.state.entries() if e.kind is Kind.RETRACT}
    outcomes = [e for e in g.engine.state.entries() if e.kind is Kind.OUTCOME]
    assert sum(m["chosen"] for ms in r["moves"].values() for m in ms.values()) == len(
        [o for o in orders if o.get("order") not in retracted])
    assert sum(sum(m["outcomes"].values()) for ms in r["moves"].values()
               for m in ms.values()) == len(outcomes) > 0
    for actor, score in r["scores"].items():
        mine = [o.id for o in g.rules.objectives if g.rules.actors[o.actor].id == actor]
        assert sum(r["objectives"][o] for o in mine) == pytest.approx(score)


def test_the_summary_tables_are_tidy_named_and_at_declared_precision() -> None:
    from game.batch import Tally
    from game.scenario.compile import load_rules

    rules = load_rules("tutorial")
    records = list(play_batch("tutorial", range(12), "all=random", jobs=1))
    tally = Tally(rules)
    for r in records:
        tally.add(r)
    tables = tally.tables(["NORTH", "SOUTH"])
    moves = tables["moves"]
    names = {m.id: m.name for m in rules.moves}
    for row in moves:
        assert row["move_name"] == names[row["move"]] and row["team_name"] != row["team"]
    # per move, the outcome shares sum to one and the counts to the orders given
    for key in {(r["team"], r["move"]) for r in moves}:
        rows = [r for r in moves if (r["team"], r["move"]) == key]
        assert sum(r["count"] for r in rows) == rows[0]["chosen"]
        assert sum(r["share"] for r in rows) == pytest.approx(1, abs=1e-3)
        given = sum(rec["moves"].get(key[0], {}).get(key[1], {"chosen": 0})["chosen"]
                    for rec in records)
        assert rows[0]["chosen"] == given
        assert rows[0]["per_game"] == round(given / 12, 3)
    objectives = {r["objective"]: r for r in tables["objectives"]}
    assert set(objectives) == {o.id for o in rules.objectives}
    first = rules.objectives[0].id
    points = [rec["objectives"][first] for rec in records]
    assert objectives[first]["mean"] == round(sum(points) / 12, rules.score_precision + 1)
    assert objectives[first]["min"] == min(points) and objectives[first]["max"] == max(points)
    for t in rules.tracks:
        values = [r for r in tables["track_values"] if r["track"] == t.id]
        assert sum(r["games"] for r in values) == 12
        for r in values:  # at the track's declared precision: no float noise
            assert r["value"] == round(r["value"], t.precision)
            assert r["shown"] == (("yes" if r["value"] else "no") if t.is_flag
                                  else f"{r['value']:.{t.precision}f}")
        row = next(r for r in tables["tracks"] if r["track"] == t.id)
        finals = sorted(round(rec["tracks"][t.id], t.precision) for rec in records)
        assert row["min"] == finals[0] and row["max"] == finals[-1]
        assert finals[0] <= row["p10"] <= row["median"] <= row["p90"] <= finals[-1]


def test_the_batch_command_prints_names_and_writes_csv_tables(tmp_path: Path) -> None:
    import csv

    result = runner.invoke(app, ["batch", "tutorial", "--games", "6", "--jobs", "1",
                                 "--tables", str(tmp_path / "t")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    from game.scenario.compile import load_rules

    rules = load_rules("tutorial")
    text = result.stdout
    assert "Moves:" in text and "Objectives:" in text and "Tracks at the end" in text
    assert rules.moves[0].name in text or any(m.name in text for m in rules.moves)
    for t in rules.tracks:
        assert t.name in text
    with open(tmp_path / "t" / "tutorial-moves.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"team", "team_name", "move", "move_name", "outcome", "share"} <= set(rows[0])
    names = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert names == sorted(f"tutorial-{n}.csv" for n in
                           ("teams", "moves", "objectives", "tracks", "track_values"))
    summary = runner.invoke(app, ["batch", "tutorial", "--games", "6", "--jobs", "1", "--json"])
    tables = json.loads(summary.stdout)["tables"]
    assert {r["team"] for r in tables["teams"]} == {"NORTH", "SOUTH"}


def test_a_batch_on_a_dask_cluster_gives_exactly_the_local_records() -> None:
    """Same seeds, same records, in seed order, whichever engine runs them (two small
    in-process workers stand for the machines of a cluster)."""
    distributed = pytest.importorskip("distributed")
    local = list(play_batch("tutorial", range(20, 32), "all=greedy", jobs=2))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        from game.batch import BatchSetup, ScenarioSource, play_seed, run_ordered

        remote = list(play_batch("tutorial", range(20, 32), "all=greedy",
                                 scheduler=cluster.scheduler_address))
        # windows smaller than the batch: the next window is out while this one comes back
        setup = BatchSetup(ScenarioSource.of("tutorial"), "all=greedy", False, "tutorial")
        windowed = list(run_ordered(play_seed, setup, range(20, 32),
                                    scheduler=cluster.scheduler_address, window=5))
    assert remote == local == windowed
    assert [r["seed"] for r in remote] == list(range(20, 32))


@pytest.mark.parametrize("address, code", [
    ("not an address", "cluster/bad-address"),
    ("tcp://localhost", "cluster/bad-address"),
    ("tcp://127.0.0.1:99999", "cluster/bad-address"),
])
def test_the_batch_command_names_a_bad_scheduler_address(address: str, code: str) -> None:
    result = runner.invoke(app, ["batch", "tutorial", "--games", "2", "--scheduler", address])
    assert result.exit_code == 8
    assert result.output.count("\n") == 1 and f"error[{code}]" in result.output


def test_an_unreachable_scheduler_is_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import game.batch

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(game.batch, "CONNECT_TIMEOUT", 1.0)
    result = runner.invoke(app, ["batch", "tutorial", "--games", "2", "--scheduler",
                                 f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 8 and result.output.count("\n") == 1
    assert "error[cluster/unreachable]" in result.output and "dask scheduler" in result.output


def test_errors_survive_the_trip_back_from_a_worker_process() -> None:
    """A batch's worker sends its exception back pickled: each of the game's errors comes back
    whole (a ScenarioError used to come back as a crash in the pool's result thread)."""
    import pickle

    from game.agents.basic import ScriptError
    from game.engine.errors import IllegalAction, RuleError
    from game.scenario.errors import Diagnostic, ScenarioError

    for error in (ScenarioError([Diagnostic("x.yaml", 3, 4, "scenario/bad-format", "bad")]),
                  RuleError("rule/expression", "x.yaml:1:2: expression 'a' came to no number"),
                  IllegalAction("", "not now"), ScriptError("plan.txt:2", "not legal now")):
        back = pickle.loads(pickle.dumps(error))
        assert (type(back), str(back), back.code) == (type(error), str(error), error.code)



def in_a_child_with_its_own_handlers(defs: str, main: str) -> str:
    """What a child Python process prints that runs ``defs`` then, as its main module, sets
    no-op SIGTERM/SIGINT handlers (as pytest-xdist, a Dask client or a server set their own)
    and runs ``main``; this test's own process is untouched. A hang fails at the timeout."""
    import subprocess
    import sys
    import textwrap

    code = (textwrap.dedent(defs) + "if __name__ == '__main__':\n"
            "    signal.signal(signal.SIGTERM, lambda *a: None)\n"
            "    signal.signal(signal.SIGINT, lambda *a: None)\n"
            + textwrap.indent(textwrap.dedent(main), "    "))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    return out.stdout.strip() + out.stderr


def test_pool_workers_take_back_the_default_signal_actions() -> None:
    """A batch's worker processes are forks of a process that may have its own SIGTERM/SIGINT
    handlers; they take back the default actions, so the pool's terminate() ends a worker even
    if it is stuck (game.batch.plain_signals). Without plain_signals the child never ends: the
    pool's terminate() at the end of run_ordered waits for workers that ignore its SIGTERM (the
    hang once seen in CI), and the timeout fails it."""
    shown = in_a_child_with_its_own_handlers("""\
        import signal
        from game.batch import run_ordered
        def handlers(shared, task):
            return (signal.getsignal(signal.SIGTERM) is signal.SIG_DFL,
                    signal.getsignal(signal.SIGINT) is signal.SIG_DFL)
        """, """\
        print(sorted(set(run_ordered(handlers, None, range(8), jobs=2, chunksize=1))),
              signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)
        """)
    # the workers: default actions; the parent keeps its own handler
    assert shown == "[(True, True)] False", shown


def test_a_worker_told_to_stop_before_its_initializer_ran_still_stops() -> None:
    """A pool ended before a worker's initializer has run (its tasks all done by the other
    worker) sends that worker SIGTERM while it still has its parent's handler. The workers
    are forked with SIGTERM blocked (game.batch.fork_pool), so the signal waits for the
    initializer's default action and ends the worker; before, the no-op handler swallowed it
    and the pool's terminate() waited for ever — CI's hang, made certain here by an
    initializer that starts late."""
    shown = in_a_child_with_its_own_handlers("""\
        import signal, time
        from game.batch import fork_pool, plain_signals
        def late():
            time.sleep(1.0)
            plain_signals()
        """, """\
        with fork_pool(2, late) as pool:
            pass
        print('ended')
        """)
    assert shown == "ended", shown
