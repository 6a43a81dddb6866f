"""``powerplay host`` killed with SIGKILL at random moments during play and restarted with
``--resume``: every decision the host acknowledged is in the resumed game, in order, and the
saved game replays to its recorded log digest (``read_save`` checks it). The same links (tokens)
work after every restart. A few kills in the suite; 50 in the soak run."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from game.engine.actions import CONTROL
from game.saves import read_save

SCENARIO = "tutorial"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(saves: Path, port: int, *, resume: bool, extra: tuple[str, ...] = ()
          ) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "game.cli", "host", SCENARIO, "--seed", "11", "--port", str(port),
           *extra]
    if resume:
        cmd.append("--resume")
    env = {**os.environ, "POWERPLAY_SAVES": str(saves)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(f"the host ended: {proc.stderr.read().decode()[-2000:]}"
                                     if proc.stderr else "the host ended") from None
            assert time.monotonic() < deadline, "the host did not start listening"
            time.sleep(0.05)


def tokens(saves: Path) -> dict[str, str]:
    lines = (saves / "host" / "host-links.txt").read_text().splitlines()
    return {who: url.rsplit("t=", 1)[1] for who, url in (line.split("\t") for line in lines)}


def state(port: int, token: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/state?t={token}", timeout=10) as r:
        return dict(json.loads(r.read()))


def play(port: int, seats: dict[str, str], rng: random.Random, acked: list[str],
         stop: threading.Event) -> None:
    """Decide for whoever is waited for until the host dies (or the game ends); record each
    action the host acknowledged."""
    socks: dict[str, Any] = {}
    with contextlib.ExitStack() as stack, contextlib.suppress(Exception):
        # any exception: the host was killed under us, which is the test
        while not stop.is_set():
            view = state(port, seats[CONTROL])["view"]
            if view["over"]:
                return
            who = next((w for w in view["waiting_for"] if w in seats), CONTROL)
            if who not in socks:
                socks[who] = stack.enter_context(
                    connect(f"ws://127.0.0.1:{port}/ws?t={seats[who]}", open_timeout=10))
                socks[who].recv(timeout=10)  # its first frame
            legal = state(port, seats[who])["view"]["legal"]
            mine = [a for a in legal if a.split(":", 1)[0] in (who, *view["waiting_for"])]
            action = rng.choice(mine or legal)
            socks[who].send(json.dumps({"type": "act", "action": action}))
            while True:  # frames may come before the reply
                reply = json.loads(socks[who].recv(timeout=10))
                if reply["type"] in ("ok", "error"):
                    break
            if reply["type"] == "ok":
                acked.append(reply["action"])


def kill_and_resume(tmp_path: Path, kills: int, seed: int) -> None:
    rng = random.Random(seed)
    saves = tmp_path / "saves"
    port = free_port()
    proc = start(saves, port, resume=False)
    seats = tokens(saves)
    acked: list[str] = []
    done = total = 0
    try:
        while done < kills:
            before = len(acked)
            stop = threading.Event()
            player = threading.Thread(target=play, args=(port, seats, rng, acked, stop))
            player.start()
            time.sleep(rng.uniform(0.05, 0.8))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            stop.set()
            player.join(30)
            done += 1
            total += len(acked) - before
            # Everything acknowledged is in the save, in order; the save replays to its digest.
            game = read_save(saves / "host" / "host-game.json")
            got = [d.action for d in game.decisions]
            assert got[:len(acked)] == acked, f"kill {done}: an acknowledged decision was lost"
            assert len(got) <= len(acked) + 1, "the save holds decisions nobody sent"
            acked = got  # at most one decision was saved but not acknowledged before the kill
            if game.engine.state.over:
                (saves / "host").rename(tmp_path / f"finished-{done}")
                proc = start(saves, port, resume=False)
                seats = tokens(saves)
                acked = []
            else:
                proc = start(saves, port, resume=True)
                assert tokens(saves) == seats, "the links changed on resume"
                view = state(port, seats[CONTROL])["view"]
                assert view["turn"] == game.engine.state.turn
    finally:
        proc.kill()
        proc.wait(10)
    assert total > kills, "too few decisions were made between the kills to test anything"


def test_a_killed_host_resumes_with_nothing_acknowledged_lost(tmp_path: Path) -> None:
    kill_and_resume(tmp_path, kills=3, seed=1)


@pytest.mark.soak
def test_fifty_kills(tmp_path: Path) -> None:
    kill_and_resume(tmp_path, kills=50, seed=2)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a certificate")
def test_a_host_given_a_certificate_serves_only_https_and_wss(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    saves, port = tmp_path / "saves", free_port()
    proc = start(saves, port, resume=False, extra=("--certfile", str(cert), "--keyfile", str(key)))
    try:
        links = (saves / "host" / "host-links.txt").read_text()
        assert f"https://127.0.0.1:{port}/?t=" in links and "http://" not in links
        token = tokens(saves)[CONTROL]
        trust = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/state?t={token}", timeout=10,
                                    context=trust) as r:
            assert json.loads(r.read())["view"]["turn"] == 1
        with connect(f"wss://127.0.0.1:{port}/ws?t={token}", ssl=trust, open_timeout=10) as ws:
            assert json.loads(ws.recv(timeout=10))["type"] == "state"
        with pytest.raises(OSError):  # plain http on the TLS port gets no game
            state(port, token)
    finally:
        proc.kill()
        proc.wait(10)
