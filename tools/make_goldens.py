"""Regenerate the golden playthroughs (OpenSpiel's ``integration_tests/playthroughs``).

Each file ``tests/golden/playthroughs/<scenario>-seed<N>.txt`` is one whole game with fixed
seeds and seats, played on a pinned copy of the scenario (``<scenario>.yaml`` beside it, copied
from ``scenarios/`` when this script runs, so the goldens watch the engine while the scenario's
authors go on tuning their file). A file holds a header, then for every decision the action
(``> ACTOR: verb ...``) and the log lines it produced — rendered with
:func:`game.engine.describe.describe`, each tagged with who may see it — and, at the start of
every turn, the key facts of each actor's view (tracks as that actor knows them, its resources
and score). ``tests/test_engine_golden.py`` replays the same games and diffs them against these
files, so any change in rules, dice, fog of war or wording shows up as a readable diff.

With ``--saves`` it also rewrites the format-1 save fixture of ``tests/test_saves.py``
(``tests/fixtures/saves/tutorial-v1.json``): only when the engine's log has changed on purpose,
since that fixture stands for a save written by an older program.

Usage::

    python tools/make_goldens.py              # re-pin the scenarios, rewrite every golden file
    python tools/make_goldens.py --keep-pins  # rewrite the goldens on the pinned scenarios
    python tools/make_goldens.py --check      # exit 1 if a golden differs from its replay
    python tools/make_goldens.py --saves      # also rewrite the old-format save fixture
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from game.engine.log import describe, order_book  # noqa: E402
from game.engine.views import View, view_for  # noqa: E402
from game.scenario.load import SCENARIO_DIR  # noqa: E402
from game.session import Game  # noqa: E402

GOLDEN_DIR = ROOT / "tests" / "golden" / "playthroughs"
FIXTURE_DIR = ROOT / "tests" / "fixtures" / "saves"
COMMAND = "python tools/make_goldens.py"


@dataclass(frozen=True)
class Config:
    """One golden game."""

    scenario: str
    seed: int
    seats: str
    no_dice: bool = False

    @property
    def name(self) -> str:
        return f"{self.scenario}-seed{self.seed}"

    @property
    def path(self) -> Path:
        return GOLDEN_DIR / f"{self.name}.txt"

    @property
    def source(self) -> Path:
        """The scenario file as it is now (copied to ``pinned`` when regenerating)."""
        return SCENARIO_DIR / f"{self.scenario}.yaml"

    @property
    def pinned(self) -> Path:
        """The copy of the scenario the golden game is played on."""
        return GOLDEN_DIR / f"{self.scenario}.yaml"

    @property
    def available(self) -> bool:
        return self.source.exists() or self.pinned.exists()


CONFIGS = (
    Config("tutorial", 1, "all=random"),
    Config("tutorial", 2, "players=greedy,control=auto"),
    Config("tutorial", 3, "NORTH=greedy,SOUTH=random,control=auto", no_dice=True),
    Config("kursk-2024", 1, "all=random"),
    Config("kursk-2024", 2, "EU=greedy,ROK=random,RUS=greedy,DPRK=random,control=auto"),
)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def audience(g: Game, mask: int) -> str:
    """Who may see a log entry: 'all', 'umpire' or the actor ids."""
    if mask == g.rules.all_mask:
        return "all"
    if mask == 0:
        return "umpire"
    return ",".join(a.id for a in g.rules.actors if mask >> a.idx & 1)


def view_facts(view: View) -> str:
    """One line of what a view shows: tracks as known, own resources, own score."""
    tracks = []
    for t in view.tracks:
        if t.status == "exact":
            assert t.value is not None
            tracks.append(f"{t.id}={_num(t.value)}")
        elif t.status == "estimate":
            assert t.low is not None and t.high is not None
            tracks.append(f"{t.id}~{_num(t.low)}..{_num(t.high)}")
        else:
            tracks.append(f"{t.id}=?")
    me = view.actor(view.viewer)
    res = " ".join(f"{r.id}={r.value}" for r in me.resources or ())
    return f"view {view.viewer}: {' '.join(tracks)} | {res or '-'} | score {_num(me.score or 0)}"


def playthrough(cfg: Config, scenario: Path | None = None) -> str:
    """The transcript of one golden game (played on ``scenario``, by default the pinned copy)."""
    g = Game.new(scenario or cfg.pinned, cfg.seed, cfg.seats, no_dice=cfg.no_dice)
    out = [
        f"# Power Play golden playthrough. Regenerate with: {COMMAND}",
        f"scenario: {g.rules.id} {g.rules.version}",
        f"seed: {cfg.seed}",
        f"seats: {cfg.seats}",
        f"no_dice: {str(cfg.no_dice).lower()}",
        "",
    ]
    done = 0

    def flush() -> None:
        nonlocal done
        entries = g.engine.state.entries()
        orders = order_book(entries)
        out.extend(f"  [{audience(g, e.mask)}] {describe(g.rules, e, orders)}"
                   for e in entries[done:])
        done = len(entries)

    flush()
    out.extend(turn_views(g))
    steps = 0
    while not g.is_over:
        turn = g.engine.state.turn
        if not g.step_agent():
            raise RuntimeError(f"{cfg.name}: the game waits for a human seat")
        out.append(f"> {g.decisions[-1].action}")
        flush()
        if g.engine.state.turn != turn and not g.is_over:
            out.extend(turn_views(g))
        steps += 1
        if steps > 100_000:
            raise RuntimeError(f"{cfg.name}: the game does not end")
    result = g.result()
    out += ["", f"result: {result.reason}; winners {', '.join(result.winners)}; scores "
            + ", ".join(f"{k} {_num(v)}" for k, v in sorted(result.scores.items())),
            f"decisions: {len(g.decisions)}", f"log entries: {g.engine.state.nlog}",
            f"log digest: {g.log_digest()}", ""]
    return "\n".join(out)


def turn_views(g: Game) -> list[str]:
    """The key facts of every actor's view at the start of a turn."""
    return [view_facts(view_for(g.engine, a.id)) for a in g.rules.actors]


# ---------------------------------------------------------------------- save fixtures


V1_KEYS = frozenset({"format", "version", "program", "saved_at", "scenario", "seed", "no_dice",
                     "seats", "decisions", "turn", "log_digest", "snapshot"})
"""The fields a format-1 save had."""


def v1_save() -> dict[str, object]:
    """A format-1 save of the tutorial (decisions as plain action strings), as the program of
    that format wrote it: the current envelope, converted back and signed."""
    from game.saves import _canonical, envelope

    g = Game.new("tutorial", 11, "all=random")
    for _ in range(14):
        g.step_agent()
    body = {k: v for k, v in envelope(g).items() if k in V1_KEYS}
    body["version"] = 1
    body["decisions"] = [d["action"] for d in body["decisions"]]
    body["saved_at"] = "2025-01-01T00:00:00+00:00"
    body["digest"] = hashlib.sha256(_canonical(body)).hexdigest()
    return body


def fixtures() -> dict[Path, str]:
    return {FIXTURE_DIR / "tutorial-v1.json": json.dumps(v1_save(), indent=1, sort_keys=True,
                                                         ensure_ascii=False) + "\n"}


def wanted(*, repin: bool, saves: bool = False) -> dict[Path, str]:
    """Every file this script writes, with its content: with ``repin`` the scenarios are pinned
    as they are now in ``scenarios/``, otherwise the pinned copies are kept."""
    files: dict[Path, str] = {}
    for cfg in CONFIGS:
        use_source = cfg.source.exists() and (repin or not cfg.pinned.exists())
        scenario = cfg.source if use_source else cfg.pinned
        if not scenario.exists():
            continue
        files[cfg.pinned] = scenario.read_text(encoding="utf-8")
        files[cfg.path] = playthrough(cfg, scenario)
    if saves:
        files.update(fixtures())
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report goldens that differ from their replay (pins kept)")
    parser.add_argument("--keep-pins", action="store_true",
                        help="regenerate on the pinned scenario copies (do not re-pin)")
    parser.add_argument("--saves", action="store_true",
                        help="also rewrite the format-1 save fixture")
    args = parser.parse_args(argv)
    changed = []
    for path, text in wanted(repin=not (args.check or args.keep_pins), saves=args.saves).items():
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old == text:
            continue
        changed.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in changed:
        print(f"{'would change' if args.check else 'wrote'} {path.relative_to(ROOT)}")
    if not changed:
        print("all golden files are up to date")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
