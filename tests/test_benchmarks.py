"""The benchmark script runs and reports every figure issue #3 asks for (timings are not
asserted: they belong to the machine, not to the code)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_reports_every_figure() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--scenario", "tutorial",
         "--games", "20", "--memory-games", "30", "--json"],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=300)
    figures = json.loads(out.stdout)
    for key in ("games_per_s", "actions_per_s", "clone_us", "legal_us", "mcts_step_us",
                "save_ms", "load_ms", "peak_mb"):
        assert isinstance(figures[key], int | float) and figures[key] > 0, key
    assert figures["scenario"] == "tutorial" and figures["memory_games"] == 30
