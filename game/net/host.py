"""``powerplay host``: one game served to many rooms — each team, the umpire, the room display and
observers on their own laptops, in a browser, joined by a link carrying a secret token.

The engine adjudicates; the host only carries decisions in and views out. Every frame a seat
receives is built from ``view_for(seat)`` (nothing is filtered in the browser), every request and
socket must carry a valid token, and an accepted decision is in the host's save file before it is
acknowledged, so a host killed at any moment resumes with ``--resume`` and nothing acknowledged
lost.

Seats: each player team (its actor id), ``control`` (the umpire: rulings, overrides, adjustments,
injects, the control-cell actors, undo, pause, timers), ``room`` (the projector: the public view)
and ``observer`` (read-only public view). Channels: a team writes to another team (a bilateral)
or to the umpire (a request for information); the umpire writes to anyone or to all; the umpire
reads every channel; each message is kept with its turn and time, in the host's save.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
)
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from game import present as P
from game.engine import wording as W
from game.engine.actions import CONTROL, EVERYONE, PUBLIC, SAY, Action
from game.engine.errors import EngineError
from game.engine.views import View, view_for
from game.saves import read_save, write_save
from game.session import Game

ROOM = "room"
OBSERVER = "observer"
STATIC = Path(__file__).parent / "static"
MAX_FRAME = 16_384
"""Largest message a client may send (bytes of JSON); a larger one is answered 'too big'."""
TRANSPORT_LIMIT = 4 * MAX_FRAME
"""Beyond this the server closes the socket unread (a client that is not ours)."""
RATE = 10.0
BURST = 30.0
"""Messages per second a connection may send on average, and in a burst."""
MAX_TEXT = 2_000
"""Longest action a seat may send, rationale included (characters); a message's own limit is
the engine's (``MAX_MESSAGE``)."""
LOG_TAIL = 60
"""Log lines a frame carries (the newest; a screen shows these). The whole log is in the save
and the debrief; a frame that carried it all would grow with every turn of the game."""


def words(view: View) -> dict[str, Any]:
    """What the page writes for people, in the presentation layer's words (:mod:`game.present`):
    each track's value as the viewer knows it ('Reported', 'None to Confirmed', '≈2–4
    thousand'), its rung and what it was last shown, and each order's result by the outcome's
    name ('Success ✎ overridden by the umpire'). The page keeps only layout."""
    return {"tracks": {t.id: {"value": P.known(t), "rung": P.rung_text(t), "seen": P.seen(t)}
                       for t in view.tracks},
            "orders": {o.ref: P.order_result(o) for o in view.orders}}


class HostError(EngineError):
    default_code = "host/error"


@dataclass(frozen=True)
class Seat:
    """Who holds a token: an actor id, 'control', 'room' or 'observer'."""

    who: str
    token: str

    @property
    def viewer(self) -> str:
        """Whose view the seat sees."""
        return PUBLIC if self.who in (ROOM, OBSERVER) else self.who

    @property
    def acts(self) -> bool:
        return self.who not in (ROOM, OBSERVER)


@dataclass
class Timer:
    """A phase timer set by the umpire: when it runs out, 'notify' only tells everyone;
    'advance' moves the game on as the umpire would."""

    ends: float
    expiry: str
    phase: str
    turn: int

    def left(self) -> float:
        return max(0.0, self.ends - time.time())


@dataclass
class _Bucket:
    rate: float
    burst: float
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def new_seats(game: Game) -> dict[str, Seat]:
    """A fresh random token for every seat: each player team, the umpire, the room, observers."""
    who = [a.id for a in game.rules.actors if a.is_player] + [CONTROL, ROOM, OBSERVER]
    return {w: Seat(w, secrets.token_urlsafe(24)) for w in who}


class Host:
    """The one game, its seats and their connections."""

    def __init__(self, game: Game, state_dir: Path, seats: dict[str, Seat] | None = None, *,
                 rate: float = RATE, burst: float = BURST) -> None:
        self.game = game
        self.rate, self.burst = rate, burst
        self.state_dir = state_dir
        self.seats = seats or new_seats(game)
        self.by_token = {s.token: s for s in self.seats.values()}
        self.timer: Timer | None = None
        self.clients: dict[WebSocket, Seat] = {}
        self.lock = asyncio.Lock()
        self._timer_task: asyncio.Task[None] | None = None
        self._tokens_written = False

    # ------------------------------------------------------------------ persistence

    @property
    def save_path(self) -> Path:
        return self.state_dir / "host-game.json"

    @property
    def sidecar_path(self) -> Path:
        return self.state_dir / "host-seats.json"

    def persist(self) -> None:
        """Write the game (messages included: they are decisions) atomically, and the seats'
        tokens the first time (they never change), in a file readable by its owner only."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        write_save(self.game, self.save_path)
        if self._tokens_written:
            return
        body = {"seats": {w: s.token for w, s in self.seats.items()}}
        tmp = self.sidecar_path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(body, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.sidecar_path)
        self._tokens_written = True

    @classmethod
    def resume(cls, state_dir: Path) -> Host:
        """The host as it was when last persisted (same tokens: links keep working)."""
        game = read_save(state_dir / "host-game.json")
        try:
            body = json.loads((state_dir / "host-seats.json").read_text(encoding="utf-8"))
            seats = {w: Seat(w, str(t)) for w, t in body["seats"].items()}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise HostError("host/bad-state", f"{state_dir / 'host-seats.json'}: cannot resume "
                            f"the host's seats ({exc})") from None
        return cls(game, state_dir, seats)

    # ------------------------------------------------------------------ what a seat receives

    def frame(self, seat: Seat, views: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        """Everything ``seat`` may know now: its view (the messages it may read among it) and
        the words the page shows of it (:func:`words`). ``views`` keeps the views made for one
        broadcast by viewer (the room and observers share the public one)."""
        views = {} if views is None else views
        view = views.get(seat.viewer)
        if view is None:
            made = view_for(self.game.engine, seat.viewer, log_limit=LOG_TAIL)
            view = views[seat.viewer] = {"view": made.to_json(), "words": words(made)}
        return {"type": "state", "seat": seat.who, "paused": self.game.paused,
                "view": view["view"], "words": view["words"],
                "timer": None if self.timer is None else
                {"left": round(self.timer.left()), "expiry": self.timer.expiry},
                "write_to": [{"seat": w, "name": self.seat_name(w)} for w in self.writes_to(seat)]}

    async def broadcast(self) -> None:
        """Send every client its seat's frame: each seat's frame is made once, however many
        screens share it (forty observers cost one view), and sent to all at once."""
        made: dict[str, str] = {}
        views: dict[str, dict[str, Any]] = {}
        targets = list(self.clients.items())
        for _, seat in targets:
            if seat.who not in made:
                made[seat.who] = json.dumps(self.frame(seat, views))

        async def send(ws: WebSocket, text: str) -> None:
            try:
                await ws.send_text(text)
            except Exception:  # a client gone away: it resyncs when it reconnects
                self.clients.pop(ws, None)

        await asyncio.gather(*(send(ws, made[seat.who]) for ws, seat in targets))

    # ------------------------------------------------------------------ what a seat sends

    async def handle(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        """Carry out one request of ``seat``; the reply for that seat alone."""
        kind = msg.get("type")
        handler = self._handlers().get(str(kind))
        if handler is None:
            return _error("host/unknown-request", f"no request '{kind}'")
        if not seat.acts and kind != "why":
            return _error("host/read-only", "this screen only watches the game")
        async with self.lock:
            reply = await handler(seat, msg)
            if reply.get("type") == "ok":
                self.persist()  # in the save before it is acknowledged
        if reply.get("type") == "ok":
            await self.broadcast()
        return reply

    def _handlers(self) -> dict[str, Callable[[Seat, dict[str, Any]], Awaitable[dict[str, Any]]]]:
        return {"act": self._act, "say": self._say, "why": self._why, "undo": self._undo,
                "pause": self._pause, "resume": self._resume, "timer": self._set_timer}

    async def _act(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        text = str(msg.get("action", ""))
        if len(text) > MAX_TEXT:
            return _error("host/too-long", f"an action is at most {MAX_TEXT} characters")
        try:
            act = self.game.submit(text, seat=seat.who)
        except EngineError as exc:
            return _error(exc.code, exc.message)
        return {"type": "ok", "action": str(act)}

    async def _say(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        to = str(msg.get("to", ""))
        text = str(msg.get("text", "")).strip()
        allowed = self.writes_to(seat)
        if to not in allowed:
            names = ", ".join(self.seat_name(w) for w in allowed) or "nobody"
            return _error("host/bad-channel", f"{self.seat_name(seat.who)} cannot write to "
                          f"{self.seat_name(to)}; only to: {names}")
        try:  # a message is a decision: in the log, the save and the debrief
            self.game.submit(Action.make(seat.who, SAY, text, to=to), seat=seat.who)
        except EngineError as exc:
            return _error(exc.code, exc.message)
        return {"type": "ok", "said": to}

    def writes_to(self, seat: Seat) -> list[str]:
        """The seats ``seat`` may write to, as the scenario's channels allow ('all': everyone,
        the umpire's announcement)."""
        rules = self.game.rules
        out = [w for w in self.seats if w not in (ROOM, OBSERVER) and rules.may_write(seat.who, w)]
        return [*out, EVERYONE] if seat.who == CONTROL else out

    def seat_name(self, who: str) -> str:
        """A seat as people call it: the actor's name, 'the umpire', 'everyone'."""
        return ({ROOM: "the room display", OBSERVER: "observers"}.get(who)
                or W.speaker(self.game.rules, who))

    async def _why(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        try:
            seq = int(msg.get("seq", -1))
        except (TypeError, ValueError):
            return _error("host/bad-request", "why? needs the log line's number")
        return {"type": "why", "seq": seq, "lines": self.game.explain(seq, seat.viewer)}

    def _umpire(self, seat: Seat) -> dict[str, Any] | None:
        if seat.who != CONTROL:
            return _error("host/umpire-only", "only the umpire may do that")
        return None

    async def _undo(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        """Undo the last decision that is not a message (``scope: resolution``: back to before
        the last resolution of orders); messages sent since are sent again, in order."""
        refused = self._umpire(seat)
        if refused:
            return refused
        resolution = msg.get("scope") == "resolution"
        before = self.game.effective_decisions()
        try:  # a message may have been read already: it is never taken back
            if resolution:
                self.game.undo_resolution(keep_messages=True)
            else:
                self.game.undo(keep_messages=True)
        except EngineError as exc:
            return _error(exc.code, exc.message)
        after = self.game.effective_decisions()
        same = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
                    min(len(before), len(after)))
        kept = len(after) - same  # the messages sent again after the undone decision
        what = "The last resolution of orders" if resolution else "The last decision"
        also = (f"; {kept} message{'s' if kept != 1 else ''} sent since "
                f"stay{'s' if kept == 1 else ''} in the game"
                if kept else "")
        return {"type": "ok", "undone": f"{what} is undone (the log keeps it, marked){also}."}

    async def _pause(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        refused = self._umpire(seat)
        if refused:
            return refused
        self.game.pause()
        return {"type": "ok", "paused": True}

    async def _resume(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        refused = self._umpire(seat)
        if refused:
            return refused
        self.game.resume()
        return {"type": "ok", "paused": False}

    async def _set_timer(self, seat: Seat, msg: dict[str, Any]) -> dict[str, Any]:
        refused = self._umpire(seat)
        if refused:
            return refused
        try:
            seconds = float(msg.get("seconds", 0))
        except (TypeError, ValueError):
            seconds = -1
        expiry = str(msg.get("expiry", "notify"))
        if seconds == 0:
            self.timer = None
            return {"type": "ok", "timer": None}
        if not 10 <= seconds <= 4 * 3600 or expiry not in ("notify", "advance"):
            return _error("host/bad-timer", "a timer runs 10 s to 4 h and at expiry either "
                          "'notify' or 'advance'")
        s = self.game.engine.state
        self.timer = Timer(time.time() + seconds, expiry, self.game.engine.phase.id, s.turn)
        if self._timer_task is not None:
            self._timer_task.cancel()
        self._timer_task = asyncio.create_task(self._expire(self.timer))
        return {"type": "ok", "timer": seconds}

    async def _expire(self, timer: Timer) -> None:
        await asyncio.sleep(timer.left())
        async with self.lock:
            if self.timer is not timer:
                return
            self.timer = None
            eng = self.game.engine
            same_phase = eng.phase.id == timer.phase and eng.state.turn == timer.turn
            if timer.expiry == "advance" and same_phase and not self.game.paused:
                with contextlib.suppress(EngineError):
                    self.game.submit(Action(CONTROL, "advance", (), "the phase timer ran out"))
            self.persist()
        await self.broadcast()

    # ------------------------------------------------------------------ the web app

    def seat_of(self, token: str | None) -> Seat | None:
        if not token:
            return None
        for known, seat in self.by_token.items():
            if secrets.compare_digest(known, token):
                return seat
        return None

    def app(self) -> Starlette:
        routes = [Route("/", self._page), Route("/app.js", self._static),
                  Route("/style.css", self._static), Route("/state", self._state),
                  WebSocketRoute("/ws", self._socket)]
        return Starlette(routes=routes)

    async def _page(self, request: Request) -> Response:
        seat = self.seat_of(request.query_params.get("t"))
        if seat is None:
            return _forbidden()
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        return HTMLResponse(page.replace("__TOKEN__", seat.token), headers=_NO_CACHE)

    async def _static(self, request: Request) -> Response:
        if self.seat_of(request.query_params.get("t")) is None:
            return _forbidden()
        return FileResponse(STATIC / request.url.path.lstrip("/"), headers=_NO_CACHE)

    async def _state(self, request: Request) -> Response:
        seat = self.seat_of(request.query_params.get("t"))
        if seat is None:
            return _forbidden()
        return JSONResponse(self.frame(seat), headers=_NO_CACHE)

    async def _socket(self, ws: WebSocket) -> None:
        seat = self.seat_of(ws.query_params.get("t"))
        origin = ws.headers.get("origin")
        host = ws.headers.get("host", "")
        if seat is None or (origin is not None and origin.split("://", 1)[-1] != host):
            await ws.close(code=4403)
            return
        await ws.accept()
        self.clients[ws] = seat
        bucket = _Bucket(self.rate, self.burst)
        try:
            await ws.send_text(json.dumps(self.frame(seat)))
            while True:
                text = await ws.receive_text()
                if len(text.encode()) > MAX_FRAME:
                    await ws.send_text(json.dumps(_error("host/too-big",
                                                         f"a request is at most {MAX_FRAME} bytes")))
                    continue
                if not bucket.take():
                    await ws.send_text(json.dumps(_error("host/too-fast",
                                                         "too many requests: slow down")))
                    continue
                try:
                    msg = json.loads(text)
                except ValueError:
                    msg = None
                if not isinstance(msg, dict):
                    await ws.send_text(json.dumps(_error("host/bad-request",
                                                         "a request is a JSON object")))
                    continue
                reply = await self.handle(seat, msg)
                await ws.send_text(json.dumps(reply))
        except WebSocketDisconnect:
            pass
        finally:
            self.clients.pop(ws, None)


_NO_CACHE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
             "Content-Security-Policy": "default-src 'self'; connect-src 'self' ws: wss:; "
                                        "img-src 'self' data:; style-src 'self'; script-src 'self'"}


def _forbidden() -> Response:
    return PlainTextResponse("This link is not valid for this game: ask the host for your "
                             "seat's link.", status_code=403)


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}


def links(host: Host, base: str) -> dict[str, str]:
    """The join link of every seat."""
    return {w: f"{base}/?t={s.token}" for w, s in host.seats.items()}


def write_links(host: Host, base: str) -> Path:
    """Write every seat's link to a file only its owner may read; its path."""
    host.state_dir.mkdir(parents=True, exist_ok=True)
    path = host.state_dir / "host-links.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for who, url in links(host, base).items():
            f.write(f"{who}\t{url}\n")
    return path


def serve(scenario: str, *, seed: int | None, seats: str | None, load: str | None, resume: bool,
          bind: str, port: int, state_dir: Path, echo: Callable[[str], None],
          tls: tuple[Path, Path] | None = None) -> None:
    """Start the host: make or resume the game, print and write every seat's link, serve
    (https and wss with ``tls`` = (certificate, private key), PEM files)."""
    import ipaddress

    import uvicorn

    if resume:
        host = Host.resume(state_dir)
    else:
        game = read_save(Path(load)) if load else Game.new(
            scenario, seed=seed if seed is not None else secrets.randbelow(10**6),
            seats=seats or "control=human", review=True)
        host = Host(game, state_dir)
    host.persist()
    shown = f"[{bind}]" if ":" in bind else bind
    scheme = "https" if tls else "http"
    base = f"{scheme}://{shown if bind not in ('0.0.0.0', '::') else 'THIS-MACHINE'}:{port}"
    path = write_links(host, base)
    try:
        local = ipaddress.ip_address(bind).is_loopback
    except ValueError:
        local = bind == "localhost"
    if not local and not tls:
        echo(f"WARNING: listening on {bind} without TLS: anyone on the network path can read the "
             "links and the game. On a network you do not control, use --certfile and --keyfile "
             "(see 'Teams in separate rooms' in docs/facilitator-guide.md).")
    echo(f"Power Play host: {host.game.rules.title} — links (also in {path}, readable by you only):")
    for who, url in links(host, base).items():
        echo(f"  {who:<9} {url}")
        echo(qr_text(url))
    uvicorn.run(host.app(), host=bind, port=port, log_level="warning", ws_max_size=TRANSPORT_LIMIT,
                ssl_certfile=str(tls[0]) if tls else None, ssl_keyfile=str(tls[1]) if tls else None)


@contextlib.contextmanager
def running(host: Host, *, bind: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``host`` from a background thread on ``port`` (0: a free one) of ``bind`` while the
    block lasts; yields its base URL. One event loop serves every connection, as ``serve`` does
    (for tests, benchmarks and a front end that hosts a game beside its own window)."""
    import socket
    import threading

    import uvicorn

    if not port:
        with socket.socket() as probe:
            probe.bind((bind, 0))
            port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(host.app(), host=bind, port=port, log_level="warning",
                                           ws_max_size=TRANSPORT_LIMIT))
    thread = threading.Thread(target=server.run, daemon=True, name="powerplay-host")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the host did not start on {bind}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{bind}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def qr_text(url: str) -> str:
    """``url`` as a QR code drawn with block characters (for a phone's camera), or '' when
    the optional qrcode package is missing."""
    try:
        import qrcode  # type: ignore[import-untyped]
    except ImportError:
        return ""
    qr = qrcode.QRCode(border=1)
    qr.add_data(url)
    qr.make(fit=True)
    rows = qr.get_matrix()
    out = []
    for top, bottom in zip(rows[::2], [*rows[1::2], [False] * len(rows[0])], strict=True):
        out.append("".join("█" if t and b else "▀" if t else "▄" if b else " "
                           for t, b in zip(top, bottom, strict=True)))
    return "\n".join(out)
