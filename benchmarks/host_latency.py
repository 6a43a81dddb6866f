"""How fast a hosted game reaches every screen: ``powerplay host`` on loopback with the four
teams, the umpire and N observers connected (40 by default); for each decision, the time from
the submit to the moment every client has the new frame (median, p95, max), and the host's
resident memory.

    python benchmarks/host_latency.py [--observers 40] [--decisions 60] [--scenario kursk-2024]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def state(port: int, token: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/state?t={token}", timeout=10) as r:
        return dict(json.loads(r.read()))


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--observers", type=int, default=40)
    ap.add_argument("--decisions", type=int, default=60)
    ap.add_argument("--scenario", default="kursk-2024")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    port = free_port()
    env = {**os.environ, "POWERPLAY_SAVES": str(folder)}
    proc = subprocess.Popen([sys.executable, "-m", "game.cli", "host", args.scenario, "--seed", "1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        lines = (folder / "host" / "host-links.txt").read_text().splitlines()
        tokens = {w: u.rsplit("t=", 1)[1] for w, u in (ln.split("\t") for ln in lines)}
        seats = [w for w in tokens if w not in ("room", "observer")]
        clients: dict[str, ClientConnection] = {}
        watchers: list[ClientConnection] = []
        for w in seats:
            clients[w] = await connect(f"ws://127.0.0.1:{port}/ws?t={tokens[w]}", max_size=None)
            await clients[w].recv()
        for _ in range(args.observers):
            ws = await connect(f"ws://127.0.0.1:{port}/ws?t={tokens['observer']}", max_size=None)
            await ws.recv()
            watchers.append(ws)
        idle = rss_mb(proc.pid)
        rng = random.Random(1)
        lat: list[float] = []
        everyone = list(clients.values()) + watchers
        for _ in range(args.decisions):
            view = state(port, tokens["control"])["view"]
            if view["over"]:
                break
            who = next((w for w in view["waiting_for"] if w in clients), "control")
            legal = state(port, tokens[who])["view"]["legal"]
            action = rng.choice(legal)

            async def next_state(ws: ClientConnection) -> None:
                while json.loads(await ws.recv()).get("type") != "state":
                    pass

            t0 = time.perf_counter()
            await clients[who].send(json.dumps({"type": "act", "action": action}))
            await asyncio.gather(*(next_state(ws) for ws in everyone))
            lat.append((time.perf_counter() - t0) * 1000)
            # drain the reply of the one who acted
            if json.loads(await clients[who].recv()).get("type") == "error":
                print("refused:", action)
        lat.sort()
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        print(f"{len(everyone)} clients ({len(clients)} seats, {len(watchers)} observers), "
              f"{len(lat)} decisions on {args.scenario}")
        print(f"submit → every client updated: median {statistics.median(lat):.1f} ms, "
              f"p95 {p95:.1f} ms, max {lat[-1]:.1f} ms")
        print(f"host memory: {idle:.0f} MB with everyone connected, {rss_mb(proc.pid):.0f} MB at the end")
        for ws in everyone:
            await ws.close()
    finally:
        proc.kill()
        proc.wait()


if __name__ == "__main__":
    asyncio.run(main())
