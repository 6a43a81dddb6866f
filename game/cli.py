"""The ``powerplay`` command line (typer). Heavy modules are imported inside each command so
that ``powerplay --help`` starts fast."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

app = typer.Typer(
    name="powerplay",
    help="Power Play: a tabletop wargame engine for political-military seminar games.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DEFAULT_SCENARIO = "kursk-2024"
FALLBACK_SCENARIO = "tutorial"


def _default_scenario() -> str:
    from game.scenario.load import available_scenarios

    return DEFAULT_SCENARIO if DEFAULT_SCENARIO in available_scenarios() else FALLBACK_SCENARIO


def _fail(message: str, code: int = 2) -> typer.Exit:
    """A usage mistake: one line on stderr, exit status 2."""
    typer.echo(f"powerplay: error[usage]: {message}", err=True)
    return typer.Exit(code)


EXIT_STATUS = {"scenario": 3, "save": 4, "seat": 5, "script": 5, "file": 6, "host": 7,
               "cluster": 8, "lab": 2}
"""Exit status by the family of an error's code (``scenario/too-big`` -> 3); any other error
the program knows (a rule, an action) exits 1, usage errors 2, an unexpected failure 70 and an
interruption 130."""
UNEXPECTED = 70


def error_line(exc: BaseException) -> tuple[str, int]:
    """The one line a known error is shown as, and the exit status it gives; ('', 0) for an
    exception the program does not know."""
    from game.agents.basic import ScriptError
    from game.engine.errors import EngineError
    from game.scenario.errors import ScenarioError
    from game.session import SeatError

    if isinstance(exc, ScenarioError):
        first = exc.diagnostics[0]
        more = len(exc.diagnostics) - 1
        text = (f"{first.path}:{first.line}:{first.col}: {first.message}"
                + (f" (hint: {first.hint})" if first.hint else "")
                + (f" — and {more} more (powerplay validate {first.path})" if more else ""))
        code = first.code
    elif isinstance(exc, EngineError):
        text, code = exc.message, exc.code
    elif isinstance(exc, (SeatError, ScriptError)):
        text, code = str(exc), exc.code
    elif isinstance(exc, OSError):  # a file the program did not check first: still one line
        name = exc.filename if isinstance(exc.filename, str) else ""
        text = f"{name[:200]}: {exc.strerror or exc}" if name else str(exc.strerror or exc)
        code = "file/io"
    else:
        return "", 0
    from game.textsafe import for_terminal

    text = for_terminal(" ".join(text.split()), keep_lines=False)  # one line, shown as written
    return f"powerplay: error[{code}]: {text}", EXIT_STATUS.get(code.partition("/")[0], 1)


F = TypeVar("F", bound=Callable[..., Any])


def _click() -> tuple[Any, Any]:
    """click's exceptions and globals modules: typer 0.2x carries its own copy of click."""
    try:
        from typer._click import exceptions, globals  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # an older typer, on the click package
        from click import exceptions, globals  # type: ignore[no-redef,unused-ignore]
    return exceptions, globals


def _debugging() -> bool:
    ctx = _click()[1].get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    return bool(root is not None and root.params.get("debug")) or bool(
        os.environ.get("POWERPLAY_DEBUG"))


def guarded(fn: F) -> F:
    """Run a command so that every error ends as one line on stderr and an exit status: the
    known ones (scenario, save, seat, script, file, rule) as ``powerplay: error[code]: ...``,
    anything else as one line pointing to ``--debug``, which shows the traceback instead."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            typer.echo("powerplay: interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # the reader went away ('powerplay lint ... | head'): not an
            # error; stdout goes to /dev/null so the flush at exit does not complain again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except Exception as exc:
            if _debugging():
                raise
            line, status = error_line(exc)
            if not line:
                detail = " ".join(str(exc).split())[:300]
                line = (f"powerplay: internal error: {type(exc).__name__}"
                        + (f": {detail}" if detail else "")
                        + " (run again with 'powerplay --debug ...' to see where, and report it)")
                status = UNEXPECTED
            typer.echo(line, err=True)
            raise typer.Exit(status) from None

    return run  # type: ignore[return-value]


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """``app.command`` for a :func:`guarded` command."""

    def register(fn: F) -> F:
        app.command(*args, **kwargs)(guarded(fn))
        return fn

    return register


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an unexpected "
                                        "error (also POWERPLAY_DEBUG=1).")] = False,
) -> None:
    """Power Play: a tabletop wargame engine for political-military seminar games."""


@command()
def play(
    scenario: Annotated[str | None, typer.Argument(help="Scenario id or path.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the dice.")] = None,
    seats: Annotated[str | None, typer.Option(help="e.g. 'EU=human,ROK=greedy,control=auto'.")
                     ] = None,
    load: Annotated[Path | None, typer.Option(help="Resume a save.")] = None,
    ui: Annotated[str, typer.Option(help="'tui' (terminal) or 'board' (pygame).")] = "tui",
    fullscreen: Annotated[bool, typer.Option("--fullscreen/--windowed",
                                             help="Board only.")] = False,
    size: Annotated[str | None, typer.Option(help="Board window size, e.g. 1280x720.")] = None,
) -> None:
    """Play interactively (default: the flagship scenario in the terminal UI)."""
    name = scenario or _default_scenario()
    if ui == "tui":
        if not (sys.stdin.isatty() and sys.stdout.isatty()):  # it would draw into a pipe and wait
            raise _fail("the terminal UI needs a terminal for its input and output; for a game "
                        "without one use 'powerplay run' (computer seats or a script), or "
                        "'--ui board' for the board")
        from game.tui.app import run_tui

        raise typer.Exit(run_tui(name, seed, str(load) if load else None, seats))
    if ui == "board":
        from game.board.app import run_board

        # no scenario and no save: the board's setup screen asks
        raise typer.Exit(run_board(scenario, seed, str(load) if load else None, seats, fullscreen,
                                   _size(size) if size else None))
    raise _fail(f"--ui must be 'tui' or 'board', not '{ui[:20]}'")


MAX_SIZE = (7680, 4320)
MIN_SIZE = (320, 240)


def _size(text: str) -> tuple[int, int]:
    """'1920x1080' as (1920, 1080), between MIN_SIZE and MAX_SIZE (8K)."""
    w, x, h = text.lower().partition("x")
    if not x or not w.isdigit() or not h.isdigit() or len(text) > 20:
        raise _fail(f"size '{text[:20]}' should look like 1920x1080")
    size = int(w), int(h)
    if not all(lo <= n <= hi for n, lo, hi in zip(size, MIN_SIZE, MAX_SIZE, strict=True)):
        raise _fail(f"size {text} is outside "
                    f"{MIN_SIZE[0]}x{MIN_SIZE[1]}..{MAX_SIZE[0]}x{MAX_SIZE[1]}")
    return size


@command()
def validate(
    paths: Annotated[list[str], typer.Argument(help="Scenario files (or ids) to check.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Check scenario files; print every problem as path:line:col: error[code]: message."""
    from game.scenario.errors import ScenarioError
    from game.scenario.load import load_scenario
    from game.textsafe import for_terminal

    report = []
    ok = True
    for path in paths:
        try:
            loaded = load_scenario(path)
            report.append({"path": path, "valid": True, "errors": [],
                           "warnings": [w.to_json() for w in loaded.warnings]})
            if not as_json:
                for w in loaded.warnings:
                    typer.echo(for_terminal(str(w)))
                count = len(loaded.warnings)
                typer.echo(f"{path}: ok" + (f" ({count} warning{'s' * (count != 1)})"
                                            if count else ""))
        except ScenarioError as exc:
            ok = False
            report.append({"path": path, "valid": False,
                           "errors": [d.to_json() for d in exc.diagnostics], "warnings": []})
            if not as_json:
                typer.echo(for_terminal(str(exc)))
    if as_json:
        typer.echo(json.dumps({"valid": ok, "files": report}, indent=2))
    raise typer.Exit(0 if ok else 1)


@command()
def lint(
    paths: Annotated[list[str], typer.Argument(help="Scenario files (or ids) to check.")],
    games: Annotated[int, typer.Option(min=0, max=100_000,
                                       help="Playtest games to play (0: static checks only).")
                     ] = 200,
    jobs: Annotated[int, typer.Option(min=1, max=64, help="Processes to play them in.")] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Find likely mistakes that still load; print path:line:col: warning[code]: message.
    Exit 0 clean, 1 warnings, 3 a file does not load."""
    from game.cli_lint import run_lint

    raise typer.Exit(run_lint(paths, games, jobs, as_json))


@command()
def schema(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to FILE.")] = None,
) -> None:
    """Print the JSON Schema of the scenario format (draft-07, for yaml-language-server)."""
    from game.fileio import write_text
    from game.scenario.schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        typer.echo(f"wrote {write_text(output, text, 'schema')}")


@command()
def info(
    scenario: Annotated[str, typer.Argument(help="Scenario id or path.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Title, actors and counts of a scenario."""
    from game.scenario.load import load_scenario

    scn = load_scenario(scenario).scenario
    by_actor = {a.id: sum(1 for m in scn.moves if a.id in m.actors) for a in scn.actors}
    counts: dict[str, Any] = {
        "tracks": len(scn.tracks), "moves": len(scn.moves), "moves_by_actor": by_actor,
        "events": len(scn.events), "objectives": len(scn.objectives),
        "history": len(scn.history), "sources": len(scn.meta.sources),
        "phases": len(scn.phases)}
    data = {
        "id": scn.meta.id, "title": scn.meta.title, "version": scn.meta.version,
        "turns": scn.meta.turns, "start_date": scn.meta.start_date.isoformat(),
        "actors": [{"id": a.id, "name": a.name, "kind": a.kind} for a in scn.actors],
        "counts": counts,
    }
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    from game.textsafe import for_terminal as safe

    c = counts
    typer.echo(safe(f"{scn.meta.title} [{scn.meta.id} v{scn.meta.version}]: {scn.meta.turns} "
                    f"turns of {scn.meta.turn_length_days} days from {scn.meta.start_date}"))
    for a in scn.actors:
        typer.echo(safe(f"  {a.id:<8} {a.kind:<8} {a.name} — {by_actor[a.id]} moves"))
    typer.echo(f"  tracks {c['tracks']}, moves {c['moves']}, events {c['events']}, "
               f"objectives {c['objectives']}, history {c['history']}, sources {c['sources']}")


@command()
def diagram(scenario: Annotated[str, typer.Argument(help="Scenario id or path.")]) -> None:
    """Print the phase machine as a mermaid state diagram."""
    from game.engine.flow import build_machine, mermaid
    from game.scenario.compile import phase_decls
    from game.scenario.load import load_scenario

    loaded = load_scenario(scenario)
    decls = phase_decls(loaded.scenario)
    sys.stdout.write(mermaid(build_machine(decls), decls, loaded.scenario.meta.turns))


@command()
def run(
    scenario: Annotated[str, typer.Argument(help="Scenario id or path.")] = FALLBACK_SCENARIO,
    seed: Annotated[int, typer.Option(help="Seed for the dice and the computer players.")] = 0,
    seats: Annotated[str | None, typer.Option(
        help="'all=random' (the default for a new game; a loaded game keeps its seats) or "
             "'EU=greedy,ROK=script:FILE,...'")] = None,
    turns: Annotated[int | None, typer.Option(help="Stop after this many turns.")] = None,
    save: Annotated[Path | None, typer.Option(help="Save the game here at the end.")] = None,
    load: Annotated[Path | None, typer.Option(help="Continue a saved game.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_dice: Annotated[bool, typer.Option("--no-dice", help="Most likely outcomes.")] = False,
) -> None:
    """Play headless with computer seats and print a turn-by-turn summary."""
    from game.cli_run import run_headless

    raise typer.Exit(run_headless(scenario, seed, seats, turns, save, load, as_json, no_dice))


@command()
def batch(
    scenario: Annotated[str, typer.Argument(help="Scenario id or path.")] = FALLBACK_SCENARIO,
    games: Annotated[int, typer.Option(help="How many games.")] = 100,
    seed: Annotated[int, typer.Option(help="Seed of the first game (then seed+1, ...).")] = 0,
    seats: Annotated[str, typer.Option(
        help="'all=random', 'all=greedy' or 'EU=greedy,ROK=random,...' (computer seats)")
    ] = "all=random",
    jobs: Annotated[int, typer.Option(help="Processes to play them in.")] = 2,
    out: Annotated[Path | None, typer.Option(help="Write each game's record as a JSON line.")
                   ] = None,
    tables: Annotated[Path | None, typer.Option(
        help="Write the summary's tidy tables (teams, moves, objectives, tracks) as CSV files "
             "into this folder.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    no_dice: Annotated[bool, typer.Option("--no-dice", help="Most likely outcomes.")] = False,
    scheduler: Annotated[str | None, typer.Option(
        help="Run the games on the Dask cluster whose scheduler is at this address "
             "(tcp://HOST:8786; see docs/cluster.md) instead of local processes.")] = None,
) -> None:
    """Play many games headless, in parallel: win shares and scores per player, each move's
    use and outcomes, each objective's points, each track's distribution at the end."""
    from game.cli_run import run_batch

    raise typer.Exit(run_batch(scenario, games, seed, seats, jobs, out, as_json, no_dice,
                               tables=tables, scheduler=scheduler))


@command()
def lab(
    save: Annotated[Path, typer.Argument(help="A save file.")],
    turn: Annotated[int, typer.Option(help="Fork the game at the start of this turn.")],
    team: Annotated[str | None, typer.Option(
        help="The team whose choices are compared (default: the first team).")] = None,
    alternatives: Annotated[str, typer.Option(
        help="'all' (each legal move, no orders, and the orders as played) or order sets "
             "separated by commas, the orders of a set joined by '+': "
             "'eu_sanctions,eu_nis_intel+eu_ip4,pass,as-played'.")] = "all",
    games: Annotated[int, typer.Option(help="Continuations per alternative.")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the first continuation (then seed+1, "
                                           "...; the same for every alternative).")] = 0,
    seats: Annotated[str | None, typer.Option(
        help="Seats for the continuations, e.g. 'all=greedy' (default: the save's; every "
             "seat must be a computer seat).")] = None,
    tracks: Annotated[str | None, typer.Option(
        help="Tracks to report, e.g. 'escalation,sanctions' (default: the ladders and the "
             "tracks of the real record).")] = None,
    jobs: Annotated[int, typer.Option(help="Processes to play them in.")] = 2,
    scheduler: Annotated[str | None, typer.Option(
        help="Run the continuations on the Dask cluster whose scheduler is at this address "
             "(docs/cluster.md).")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Folder for lab.html, lab.md, lab.json, CSV tables, the "
                               "records and a fork save per continuation.")] = None,
    forks: Annotated[bool, typer.Option("--forks/--no-forks",
                                        help="Write each continuation's fork save.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Fork a saved game at a turn and play each alternative of one team many times: scores,
    win shares and tracks at the end per alternative, with 95 % intervals."""
    from game.cli_run import run_lab

    raise typer.Exit(run_lab(save, turn, team, alternatives, games, seed, seats, tracks, jobs,
                             scheduler, output, forks, as_json))


@command()
def replay(
    save: Annotated[Path, typer.Argument(help="A save file.")],
    verify: Annotated[bool, typer.Option("--verify", help="Only check, print the verdict.")
                      ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Replay a save's decisions and confirm they reproduce its snapshot."""
    from game.cli_run import replay_save

    raise typer.Exit(replay_save(save, verify, as_json))


@command()
def report(
    save: Annotated[Path, typer.Argument(help="A save file.")],
    fmt: Annotated[str, typer.Option("--format", help="md, json, csv or html.")] = "md",
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="File (md, json) or folder (csv).")] = None,
) -> None:
    """The debrief of a saved game: beliefs beside truth, the real record, decisions, rulings
    (html: one page with charts for the hotwash)."""
    from game.fileio import check_output, ensure_folder, write_text
    from game.report.debrief import debrief, to_json_text, to_markdown, write_csv
    from game.saves import read_save

    if fmt not in ("md", "json", "csv", "html"):
        raise _fail(f"--format must be md, json, csv or html, not '{fmt[:20]}'")
    if output is not None and fmt == "csv":  # checked before the replay, which takes a while
        ensure_folder(output, "report folder")
    elif output is not None:
        check_output(output, "report")
    game = read_save(save)
    d = debrief(game)
    if fmt == "csv":
        for path in write_csv(d, output or Path(".")):
            typer.echo(f"wrote {path}")
        return
    if fmt == "html":
        from game.report.html import to_html

        text = to_html(game, d)
    else:
        text = to_markdown(d) if fmt == "md" else to_json_text(d)
    if output is None:
        sys.stdout.write(text)
    else:
        typer.echo(f"wrote {write_text(output, text, 'report')}")


@command("board-shot")
def board_shot(
    scenario: Annotated[str, typer.Argument(help="Scenario id or path.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG file to write.")],
    seed: Annotated[int, typer.Option(help="Seed.")] = 0,
    turn: Annotated[int | None, typer.Option(help="Play (randomly) up to this turn.")] = None,
    viewer: Annotated[str, typer.Option(
        "--as", help="Actor id, 'control' (the umpire) or 'public' (the room).")] = "control",
    size: Annotated[str, typer.Option(help="e.g. 1920x1080.")] = "1920x1080",
) -> None:
    """Render the board for a viewer to a PNG, headless."""
    from game.board.shot import board_shot as shot

    shot(scenario, seed, turn, viewer, str(output), _size(size))
    typer.echo(f"wrote {output}")


@command()
def host(
    scenario: Annotated[str | None, typer.Argument(help="Scenario id or path.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for the dice.")] = None,
    seats: Annotated[str | None, typer.Option(help="Computer seats, e.g. 'CHN=greedy'; teams "
                                                  "and the umpire are people by default.")] = None,
    load: Annotated[str | None, typer.Option(help="Start from this save.")] = None,
    resume: Annotated[bool, typer.Option(help="Resume the last hosted game (same links).")] = False,
    bind: Annotated[str, typer.Option(help="Address to listen on (localhost unless told).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    certfile: Annotated[Path | None, typer.Option(help="TLS certificate (PEM): serve https/wss.")] = None,
    keyfile: Annotated[Path | None, typer.Option(help="TLS private key (PEM) for --certfile.")] = None,
) -> None:
    """Host a game for teams in separate rooms: prints a link (and QR code) per seat."""
    from game.net.host import serve
    from game.saves import saves_folder

    if (certfile is None) != (keyfile is None):
        raise _fail("host: --certfile and --keyfile go together (TLS needs both)")
    for what, path in (("--certfile", certfile), ("--keyfile", keyfile)):
        if path is not None and not path.is_file():
            raise _fail(f"host: {what} {path}: no such file")
    tls = (certfile, keyfile) if certfile and keyfile else None
    serve(scenario or _default_scenario(), seed=seed, seats=seats, load=load, resume=resume,
          bind=bind, port=port, state_dir=saves_folder() / "host", echo=typer.echo, tls=tls)


@command()
def join(
    url: Annotated[str, typer.Argument(help="Your seat's link, as 'powerplay host' printed it "
                                            "(http://HOST:PORT/?t=TOKEN).")],
    cafile: Annotated[Path | None, typer.Option(help="Certificate (PEM) to trust for an https "
                                                     "host with a self-signed certificate.")] = None,
) -> None:
    """Join a hosted game in the terminal, as a team or the umpire (the link says which)."""
    from game.tui.remote import run_join

    if cafile is not None and not cafile.is_file():
        raise _fail(f"join: --cafile {cafile}: no such file")
    raise typer.Exit(run_join(url, str(cafile) if cafile else None))


def main() -> None:
    """The ``powerplay`` program: a usage mistake is one line too (click would print three)."""
    click, _ = _click()
    try:
        status = app(standalone_mode=False)
    except getattr(click, "NoArgsIsHelpError", ()) as exc:  # 'powerplay' alone: the help
        typer.echo(exc.ctx.get_help())
        status = 0
    except click.UsageError as exc:
        cmd = exc.ctx.command_path if exc.ctx is not None else "powerplay"
        typer.echo(f"powerplay: error[usage]: {' '.join(exc.format_message().split())} "
                   f"(see '{cmd} --help')", err=True)
        status = exc.exit_code
    except click.ClickException as exc:
        typer.echo(f"powerplay: error: {' '.join(exc.format_message().split())}", err=True)
        status = exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("powerplay: interrupted", err=True)
        status = 130
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
