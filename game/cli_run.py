"""Headless play, batches and replay for the command line (``powerplay run``, ``batch``,
``replay``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.engine import wording as W
from game.engine.errors import RuleError
from game.fileio import check_output, open_stream
from game.session import Game
from game.textsafe import for_terminal as safe

MAX_GAMES = 10_000_000
"""The most games one ``batch`` plays (at ~200 games/s, about 14 hours)."""


def _turn_lines(g: Game) -> list[str]:
    """What a turn came to, in names: the teams' scores, then each actor's moves and their
    outcomes ('  European Union: Leaders' contact with Seoul — Success; ...')."""
    rules, s = g.rules, g.engine.state
    turn = s.turn - (0 if s.over else 1)
    scores = ", ".join(f"{W.actor_name(rules, a)} {W.score(rules, v)}"
                       for a, v in g.engine.actor_scores().items()
                       if rules.actors[rules.actor_index[a]].is_player)
    entries = s.entries()
    params = {e.get("order"): e.get("params") or () for e in entries if e.kind == "order"}
    made: dict[str, list[str]] = {}
    for e in entries:
        if e.kind == "outcome" and e.turn == turn:
            mid = e.get("move")
            made.setdefault(e.get("actor"), []).append(
                f"{W.move_with_choices(rules, mid, params.get(e.get('order')))} — "
                f"{W.outcome_name(rules, mid, e.get('outcome'))}")
    return [f"Turn {turn}: scores {scores}"] + [
        f"  {W.actor_name(rules, a.id)}: {'; '.join(made[a.id])}"
        for a in rules.actors if a.id in made]


def run_headless(scenario: str, seed: int, seats: str | None, turns: int | None,
                 save: Path | None,
                 load: Path | None, as_json: bool, no_dice: bool) -> int:
    """Play with computer seats; print a summary per turn (or one JSON object). Errors are
    raised for the command line's one error path (:func:`game.cli.guarded`)."""
    if save is not None:
        check_output(save, "save")  # before the game, not after it
    if load is not None:
        from game.saves import read_save

        g = read_save(load, seats=seats)
    else:
        g = Game.new(scenario, seed, seats or "all=random", no_dice=no_dice)
    if g.next_human() is not None or any(k == "human" for k in g.seats.values()):
        print("powerplay: error[usage]: every seat must be a computer seat for 'run' "
              "(e.g. --seats all=random)", file=sys.stderr)
        return 2
    lines: list[str] = []
    if not as_json:
        g.on_turn_end.append(lambda game: lines.extend(_turn_lines(game)))
    try:
        while not g.is_over and (turns is None or g.engine.state.turn <= turns):
            if not g.step_agent():
                break
    except RuleError as exc:  # the scenario's fault: say which game, too
        raise RuleError(exc.code, f"{exc.message} (game of seed {g.seed})") from None
    if save is not None:
        g.save(save)
    if as_json:
        from game.batch import game_record

        print(json.dumps(game_record(g), indent=2))
    else:
        _print_summary(g, lines, save)
    return 0


def _print_summary(g: Game, lines: list[str], save: Path | None) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        console = Console()
        for line in lines:
            console.print(safe(line), markup=False, highlight=False)
        table = Table(title=Text(safe(g.result().summary) if g.is_over else "Tracks (truth)"))
        table.add_column("track")
        table.add_column("value", justify="right")
        for t in g.rules.tracks:
            table.add_row(Text(safe(t.name)),
                          Text(safe(W.value(t, g.engine.state.tracks[t.idx])
                                    + W.unit_after(t))))
        console.print(table)
    else:
        print(safe("\n".join(lines)))
        print(safe(g.result().summary) if g.is_over else f"stopped at turn {g.engine.state.turn}")
    print(f"log digest: {g.log_digest()}")
    if save is not None:
        print(f"saved: {save}")


def replay_save(path: Path, verify: bool, as_json: bool) -> int:
    """Replay a save; exit 0 if it reproduces its snapshot."""
    from game.saves import SaveError
    from game.saves import verify as verify_save
    from game.scenario.errors import ScenarioError

    try:
        g, report = verify_save(path)
    except (SaveError, ScenarioError) as exc:
        if not as_json:
            raise
        print(json.dumps({"path": str(path), "verified": False,
                          "code": getattr(exc, "code", "save/error"), "error": str(exc)}))
        return 1
    if as_json:
        print(json.dumps(report, indent=2))
    elif verify:
        print(f"{path}: verified — {report['decisions']} decisions replay to the saved game "
              f"(turn {report['turn']}, log digest {report['log_digest'][:16]}…)")
    else:
        from game.engine.log import describe, order_book

        orders = order_book(g.engine.state.entries())
        for e in g.engine.state.entries():
            print(safe(f"[t{e.turn}] {describe(g.rules, e, orders)}"))
    return 0


def run_batch(scenario: str, games: int, first_seed: int, seats: str, jobs: int,
              out: Path | None, as_json: bool, no_dice: bool, *, tables: Path | None = None,
              scheduler: str | None = None) -> int:
    """Play ``games`` games (seeds ``first_seed``...) in ``jobs`` processes (or on the Dask
    cluster at ``scheduler``); print what they came to, write each game's record as a JSON
    line to ``out`` and the summary's tidy tables as CSV files into ``tables``."""
    import time

    from game.batch import Tally, check_address, play_batch, summary_lines, write_tables

    if not 1 <= games <= MAX_GAMES or not 1 <= jobs <= 256:
        print(f"powerplay: error[usage]: --games must be at least 1 and at most {MAX_GAMES:,}, "
              "--jobs at least 1 and at most 256", file=sys.stderr)
        return 2
    if scheduler is not None:
        check_address(scheduler)
    if out is not None:
        check_output(out, "records file")
    if tables is not None:
        from game.fileio import ensure_folder

        ensure_folder(tables, "tables folder")
    probe = Game.new(scenario, first_seed, seats, no_dice=no_dice)
    if any(kind == "human" for kind in probe.seats.values()):
        print("powerplay: error[usage]: every seat must be a computer seat for 'batch' "
              "(e.g. --seats all=random)", file=sys.stderr)
        return 2
    players = [a.id for a in probe.rules.actors if a.is_player]
    ref = probe.scenario_ref
    start = time.perf_counter()
    tally = Tally(probe.rules)
    sink = open_stream(out, "records file") if out is not None else None
    progress = _progress(games)
    try:
        for record in play_batch(ref, range(first_seed, first_seed + games), seats, jobs=jobs,
                                 no_dice=no_dice, scheduler=scheduler):
            tally.add(record)
            if sink is not None:  # a line per game as it ends: an interrupted batch keeps them
                sink.write(json.dumps(record) + "\n")
                sink.flush()
            progress(tally.n)
    finally:
        progress(-1)
        if sink is not None:
            sink.close()
    seconds = time.perf_counter() - start
    summary = {"scenario": probe.rules.id, "scenario_ref": ref, "first_seed": first_seed, "seats": seats,
               "jobs": jobs, "scheduler": scheduler, **tally.summary(players),
               "seconds": round(seconds, 2), "games_per_s": round(games / seconds, 1)}
    if tables is not None:
        written = write_tables(summary["tables"], tables, probe.rules.id)
    if as_json:
        print(json.dumps(summary, indent=2))
    else:
        _print_batch(summary, players, probe.rules.title)
        print(safe("\n".join(summary_lines(summary["tables"], probe.rules))))
    if tables is not None:
        print(f"tables: {', '.join(str(p) for p in written)}",
              file=sys.stderr if as_json else sys.stdout)
    if out is not None:
        print(f"records: {out}", file=sys.stderr if as_json else sys.stdout)
    return 0


def _progress(total: int) -> Callable[[int], None]:
    """A progress bar on a terminal's stderr (nothing otherwise): call with the games done,
    and with -1 to take it away."""
    if not sys.stderr.isatty():
        return lambda done: None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("games", total=total)
    bar.start()

    def update(done: int) -> None:
        if done < 0:
            bar.stop()
        else:
            bar.update(task, completed=done)

    return update


def probe_rules(summary: dict[str, Any]) -> Any:
    """The rules of the summary's scenario (for names and precision), or None."""
    from game.scenario.compile import load_rules
    from game.scenario.errors import ScenarioError

    try:
        return load_rules(summary["scenario_ref"])
    except (ScenarioError, KeyError):
        return None


def _print_batch(summary: dict[str, Any], players: list[str], title: str) -> None:
    played = summary["games"] + summary["failed_games"]
    head = (f"{safe(title)}: {summary['games']} games (seeds {summary['first_seed']}.."
            f"{summary['first_seed'] + played - 1}), seats {summary['seats']}")
    rules = probe_rules(summary)
    p = rules.score_precision if rules is not None else 1
    teams = {row["team"]: row for row in summary.get("tables", {}).get("teams", [])}
    rows = []
    for a in players:
        s = teams.get(a) or {"team_name": a, **summary["scores"][a]}
        rows.append((s["team_name"], f"{W.number(summary['win_share'][a] * 100, 1)}%",
                     W.number(s["mean"], p + 1, trim=True), W.number(s["sd"], p + 1, trim=True),
                     f"{W.points(s['min'], p)}..{W.points(s['max'], p)}"))
    ended = ", ".join(f"{k} {v}" for k, v in summary["end_reasons"].items())
    failed = [f"  seed {f['seed']}, turn {f['turn']}: error[{f['code']}]: {f['message']}"
              for f in summary["failures"][:10]]
    if summary["failed_games"]:
        more = summary["failed_games"] - len(failed)
        failed = [f"{summary['failed_games']} game(s) stopped on a rule error (not counted "
                  "above):", *failed, *([f"  ... and {more} more (--out has them all)"]
                                        if more else [])]
    tail = (f"ended: {ended}; mean {summary['mean_turns']:g} turns, "
            f"{summary['mean_decisions']:g} decisions; {summary['seconds']:g} s "
            f"({summary['games_per_s']:g} games/s, "
            + (f"cluster {summary['scheduler']})" if summary["scheduler"]
               else f"{summary['jobs']} processes)"))
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table()
        for col in ("team", "wins", "mean score", "sd", "range"):
            table.add_column(col, justify="left" if col == "team" else "right")
        for row in rows:
            table.add_row(*(Text(safe(c)) for c in row))
        console = Console()
        console.print(head, markup=False, highlight=False)
        console.print(table)
        console.print(tail)
        for line in failed:
            console.print(line, markup=False, highlight=False)
    else:
        print(head)
        for a, win, mean, sd, span in rows:
            print(safe(f"  {a}: wins {win}, score {mean} (sd {sd}, {span})"))
        print(tail)
        for line in failed:
            print(line)


def run_lab(save: Path, turn: int, team: str | None, alternatives: str, games: int,
            first_seed: int, seats: str | None, tracks: str | None, jobs: int,
            scheduler: str | None, output: Path | None, forks: bool, as_json: bool) -> int:
    """Fork ``save`` at the start of ``turn``, play each alternative of ``team`` ``games``
    times; print the tables and write the page, tables, records and fork saves to
    ``output``."""
    from game.batch import check_address
    from game.fileio import ensure_folder
    from game.lab import Lab, check_tracks, summarize_lab
    from game.report.lab import LabReport, write_lab
    from game.saves import read_save

    if not 1 <= jobs <= 256:
        print("powerplay: error[usage]: --jobs must be at least 1 and at most 256",
              file=sys.stderr)
        return 2
    if scheduler is not None:
        check_address(scheduler)
    if output is not None:
        ensure_folder(output, "lab folder")
    saved = read_save(save)
    lab = Lab.from_game(saved, turn=turn, team=team, seats=seats, alternatives=alternatives,
                        games=games, first_seed=first_seed)
    chosen = check_tracks(saved.rules, tracks)
    total = len(lab.alternatives) * len(lab.seeds)
    progress = _progress(total)
    try:
        lab.run(jobs=jobs, scheduler=scheduler, progress=progress)
    finally:
        progress(-1)
    written: dict[tuple[str, int], str] = {}
    if output is not None and forks:
        folder = ensure_folder(output / "forks", "forks folder")
        for r in lab.records:
            if "error" in r and "fork_decisions" not in r:
                continue
            path = folder / f"{_slug(r['alternative'])}-seed{r['seed']}.json"
            lab.fork_game(r["alternative"], r["seed"]).save(path)
            written[(r["alternative"], r["seed"])] = str(path.relative_to(output))
    report = LabReport(lab, summarize_lab(lab, chosen), chosen, save=str(save), forks=written)
    if as_json:
        sys.stdout.write(report.json_text())
    else:
        sys.stdout.write(report.text())
    if output is not None:
        paths = write_lab(report, lab.fork_game(lab.alternatives[0].key, lab.seeds[0]), output)
        print(f"wrote {', '.join(str(p) for p in paths)}"
              + (f" and {len(written)} fork saves in {output / 'forks'} (replay one with "
                 f"'cd {output} && powerplay run --load forks/FILE')" if written else ""),
              file=sys.stderr if as_json else sys.stdout)
    return 0


def _slug(key: str) -> str:
    """A file name part from an alternative's key ('eu_x size=big+pass' -> 'eu_x-size-big_pass')."""
    out = "".join(c if c.isalnum() or c in "_-" else "-" if c in " =" else "_" for c in key)
    return out[:80] or "alternative"
