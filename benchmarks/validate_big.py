"""How long ``validate`` takes on big scenario files (issue 17): it must stay linear in the
file's size, about 2 s or less for a 2 MB file on the 2-core CI machine; files above the cap
(``game.scenario.yamlio.MAX_BYTES``) are refused at once.

    python benchmarks/validate_big.py [--sizes 0.25,0.5,1,2] [--json]

Each file is the tutorial with N extra tracks and N extra moves (each move with a dice roll,
two outcomes and effects), so every section of the loader and the checks have work; the size
in MB picks N. Times are the best of three, of ``load_scenario`` (what ``powerplay
validate`` runs), and of compiling the rules on top: CPU time of this process
(``time.process_time``), so a busy machine slows the figures less than wall-clock time would.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from game.scenario.compile import compile_rules
from game.scenario.errors import ScenarioError
from game.scenario.load import load_scenario
from game.scenario.yamlio import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]

TRACK = """  - id: extra_{i}
    name: Extra track {i}
    theme: general
    min: 0
    max: 10
    initial: {init}
    description: "A track added to make the file big ({i})."
    source: design
"""
MOVE = """  - id: extra_move_{i}
    name: Extra move {i}
    actors: [NORTH, SOUTH]
    phases: [orders]
    text: "A move added to make the file big ({i})."
    cost: {{ap: 1}}
    requires: ["extra_{i} < 9 and tension < 6"]
    adjudication:
      kind: dice
      dice: 2d6
      target: 7
      modifiers:
        - {{when: "extra_{i} >= 5", value: 1, why: "Momentum"}}
    outcomes:
      - id: success
        text: "It works ({i})."
        effects:
          - {{track: extra_{i}, add: 1}}
          - {{track: tension, add: 1, when: "extra_{i} > 3"}}
      - id: failure
        text: "It fails ({i})."
        effects:
          - {{track: extra_{i}, add: -1}}
    source: design
"""


def big_scenario(n: int) -> str:
    text = (ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    tracks = "".join(TRACK.format(i=i, init=i % 10) for i in range(n))
    moves = "".join(MOVE.format(i=i) for i in range(n))
    text = text.replace("\ntracks:\n", "\ntracks:\n" + tracks, 1)
    return text.replace("\nmoves:\n", "\nmoves:\n" + moves, 1)


def sized(megabytes: float) -> str:
    per = len(big_scenario(11)) - len(big_scenario(1))
    base = len(big_scenario(0))
    n = max(1, int((megabytes * 1_000_000 - base) / (per / 10)))
    return big_scenario(n)


def best(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()  # type: ignore[operator]
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="0.25,0.5,1,2", help="file sizes in MB")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in (float(x) for x in args.sizes.split(",")):
            text = sized(mb)
            path = Path(tmp) / f"big-{mb}.yaml"
            path.write_text(text, encoding="utf-8")
            if len(text.encode()) > MAX_BYTES:
                start = time.perf_counter()
                try:
                    load_scenario(path)
                except ScenarioError as exc:
                    rows.append({"mb": round(len(text.encode()) / 1e6, 2), "refused":
                                 exc.diagnostics[0].code,
                                 "seconds": round(time.perf_counter() - start, 3)})
                continue
            loaded = load_scenario(path)
            seconds = best(lambda p=path: load_scenario(p))
            compiled = best(lambda lo=loaded: compile_rules(lo))
            items = len(loaded.scenario.tracks) + len(loaded.scenario.moves)
            rows.append({"mb": round(len(text.encode()) / 1e6, 2), "items": items,
                         "validate_s": round(seconds, 3), "compile_s": round(compiled, 3),
                         "us_per_kb": round(seconds / (len(text.encode()) / 1000) * 1e6)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for r in rows:
        if "refused" in r:
            print(f"{r['mb']:>5} MB: refused ({r['refused']}) in {r['seconds']} s")
        else:
            print(f"{r['mb']:>5} MB, {r['items']:>5} items: validate {r['validate_s']:.3f} s "
                  f"({r['us_per_kb']} us/KB), compile {r['compile_s']:.3f} s")


if __name__ == "__main__":
    main()
