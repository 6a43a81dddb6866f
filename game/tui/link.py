"""The terminal's end of ``powerplay host``: a seat's link, its frames, its requests.

``powerplay join URL`` (the terminal UI in another room) uses it: :func:`parse_link` reads the
link the host printed, :func:`probe` checks it once over HTTP (a bad token or a host that is
not there is one clear sentence before any screen opens), and :class:`Link` keeps a WebSocket
to the host in a background thread — frames in, requests out — reconnecting by itself when the
connection drops. :func:`view_from_json` turns a frame's view back into the
:class:`~game.engine.views.View` the screens draw: the host sends only ``view_for(seat)``, so
what a seat may see is decided in one place, the engine, and never filtered here.

>>> link = parse_link("http://127.0.0.1:8765/?t=abc")
>>> link.ws_url
'ws://127.0.0.1:8765/ws?t=abc'
>>> parse_link("https://host.example/?t=x").state_url
'https://host.example/state?t=x'
"""

from __future__ import annotations

import dataclasses
import enum
import json
import queue
import ssl
import threading
import types
import typing
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from game.engine.errors import EngineError
from game.engine.views import View

REQUEST_TIMEOUT = 15.0
"""Seconds a request waits for the host's answer before the screen says it did not come."""
MAX_FRAME_BYTES = 64 * 1024 * 1024
"""Largest frame taken from the host (the umpire's view of a big scenario is a few MB)."""
RETRY_FIRST, RETRY_MOST = 0.5, 5.0
"""Seconds between attempts to reconnect: doubling from the first to the most."""
BAD_LINK = ("this link is not valid for this game (the token was refused): ask the host for "
            "your seat's link; after 'powerplay host' starts a new game, the old links stop working")


class JoinError(EngineError):
    """A link that cannot be used or a host that cannot be reached (one sentence)."""

    default_code = "host/join"


@dataclass(frozen=True)
class SeatLink:
    """Where a seat's host is and the token that opens it."""

    base: str
    """scheme://host:port of the host (http or https)."""
    token: str

    @property
    def secure(self) -> bool:
        return self.base.startswith("https:")

    @property
    def ws_url(self) -> str:
        scheme = "wss" if self.secure else "ws"
        return f"{scheme}{self.base[self.base.index(':'):]}/ws?t={urllib.parse.quote(self.token)}"

    @property
    def state_url(self) -> str:
        return f"{self.base}/state?t={urllib.parse.quote(self.token)}"

    @property
    def where(self) -> str:
        """The host as people say it (no token): 'http://127.0.0.1:8765'."""
        return self.base


def parse_link(url: str) -> SeatLink:
    """The host and token of a join link (``http[s]://HOST:PORT/?t=TOKEN``, as the host prints)."""
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise JoinError("host/bad-link", f"'{text[:80]}' is not a link: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise JoinError("host/bad-link", f"'{text[:80]}' is not a join link: it should look like "
                        "http://HOST:PORT/?t=TOKEN, as 'powerplay host' prints it")
    tokens = urllib.parse.parse_qs(parts.query).get("t", [])
    if len(tokens) != 1 or not tokens[0].strip():
        raise JoinError("host/bad-link", "the link carries no seat token (the '?t=...' part): "
                        "copy the whole link 'powerplay host' printed for your seat")
    if parts.hostname.upper() == "THIS-MACHINE":
        raise JoinError("host/bad-link", "replace THIS-MACHINE in the link with the name or "
                        "address of the machine that runs 'powerplay host'")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    base = f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")
    return SeatLink(base, tokens[0].strip())


def tls_context(cafile: str | None) -> ssl.SSLContext:
    """The checks for an https host: the system's authorities, or ``cafile`` (PEM: the host's
    self-signed certificate for a closed exercise)."""
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as exc:
        raise JoinError("host/bad-certificate", f"--cafile {cafile}: cannot use it as a "
                        f"certificate authority ({exc})") from None


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in a few words."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        return _reason(exc.reason) if isinstance(exc.reason, BaseException) else str(exc.reason)
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is 'powerplay host' running there?)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"its certificate is not trusted ({exc.verify_message}); for a self-signed one "
                "give it with --cafile")
    if isinstance(exc, TimeoutError):
        return "no answer (timed out)"
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())[:160]


def probe(link: SeatLink, context: ssl.SSLContext | None = None, timeout: float = 10.0
          ) -> dict[str, Any]:
    """The seat's current frame over HTTP: proof that the host is there and takes the token.
    No proxy is used (a proxy would see the token)."""
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]
    if link.secure:
        handlers.append(urllib.request.HTTPSHandler(context=context or tls_context(None)))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(link.state_url, timeout=timeout) as reply:
            body = reply.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 403:
            raise JoinError("host/bad-token", BAD_LINK) from None
        raise JoinError("host/unreachable", f"{link.where} answered {exc.code} {exc.reason}: "
                        "is that a Power Play host?") from None
    except (OSError, ValueError) as exc:
        raise JoinError("host/unreachable", f"cannot reach the host at {link.where}: "
                        f"{_reason(exc)}") from None
    try:
        frame = json.loads(body)
        if not isinstance(frame, dict) or frame.get("type") != "state":
            raise ValueError("not a state frame")
        view_from_json(frame["view"])
    except (ValueError, KeyError, TypeError) as exc:
        raise JoinError("host/bad-frame", f"{link.where} did not answer as a Power Play host "
                        f"does ({exc})") from None
    return frame


# ---------------------------------------------------------------------- views from JSON

_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _decode(tp: Any, value: Any) -> Any:
    """``value`` (plain JSON data) as type ``tp`` of the view's dataclasses."""
    if tp is Any or value is None:
        return value
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], value) if len(inner) == 1 else value
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], v) for v in value)
        if len(args) != len(value):
            raise TypeError(f"expected {len(args)} items, got {len(value)}")
        return tuple(_decode(a, v) for a, v in zip(args, value, strict=True))
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError(f"expected an object, got {type(value).__name__}")
        return dict(value)
    if isinstance(tp, type):
        named = issubclass(tp, tuple) and hasattr(tp, "_fields")
        if named and isinstance(value, (list, tuple)):  # a NamedTuple travels as a list
            hints = _hints(tp)
            fields = [f for f in tp._fields if f in hints]  # type: ignore[attr-defined]
            return tp(*(_decode(hints[f], v) for f, v in zip(fields, value, strict=False)))
        if dataclasses.is_dataclass(tp) or named:
            if not isinstance(value, dict):
                raise TypeError(f"expected an object for {tp.__name__}")
            hints = _hints(tp)
            return tp(**{k: _decode(hints[k], v) for k, v in value.items() if k in hints})
        if issubclass(tp, enum.Enum):
            return tp(value)
        if tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if tp in (str, int, bool) and type(value) is tp:
            return value
        if tp is tuple and isinstance(value, (list, tuple)):  # a bare hint: what mypyc leaves
            return _tuples(value)  # of a compiled NamedTuple's tuple[...] fields (OrderRoll)
        raise TypeError(f"expected {tp.__name__}, got {type(value).__name__}")
    return value


def _tuples(value: list[Any] | tuple[Any, ...]) -> tuple[Any, ...]:
    """JSON lists back to tuples, all the way down."""
    return tuple(_tuples(v) if isinstance(v, (list, tuple)) else v for v in value)


def view_from_json(data: Any) -> View:
    """A :class:`View` from what ``View.to_json()`` gave (after a trip through JSON).

    >>> from game.session import Game
    >>> v = Game.new("tutorial", seed=1).view("SOUTH")
    >>> view_from_json(json.loads(json.dumps(v.to_json()))) == v
    True
    """
    view = _decode(View, data)
    assert isinstance(view, View)
    return view


# ---------------------------------------------------------------------- the connection

Frame = dict[str, Any]


def error(code: str, message: str) -> Frame:
    return {"type": "error", "code": code, "message": message}


class Link:
    """One seat's WebSocket to the host, kept open by a background thread.

    Frames (``{"type": "state", ...}``) go to ``on_frame`` and are kept in :attr:`latest`;
    ``on_status`` hears about the connection in a sentence (``fatal`` when the host refuses the
    token: no point retrying). :meth:`request` sends one request and waits for its answer;
    the host sends a decision's new frame before its acknowledgement, so when ``request``
    returns 'ok', :attr:`latest` already shows the decision. Callbacks run on the thread: they
    must not wait for the caller of ``request``.
    """

    def __init__(self, link: SeatLink, on_frame: Callable[[Frame], None],
                 on_status: Callable[[str, bool], None], *,
                 context: ssl.SSLContext | None = None) -> None:
        self.link = link
        self.on_frame = on_frame
        self.on_status = on_status
        self.context = context if context is not None or not link.secure else tls_context(None)
        self.latest: Frame | None = None
        self.frames = 0
        """Frames received so far (a frame's number tells a screen whether it drew it yet)."""
        self.connected = False
        self._ws: Any = None
        self._replies: queue.Queue[Frame] = queue.Queue()
        self._asking = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="powerplay-join")

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        ws = self._ws
        if ws is not None:
            ws.close()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(2)  # a connect in progress gives up by itself (daemon thread)

    def drop(self) -> None:
        """Close the current connection as if the network dropped it (it reconnects)."""
        ws = self._ws
        if ws is not None:
            ws.close()

    def request(self, msg: Frame, timeout: float = REQUEST_TIMEOUT) -> Frame:
        """Send ``msg``; the host's answer ('ok', 'why' or 'error'), or an error saying why
        none came."""
        with self._asking:
            ws = self._ws
            if ws is None or not self.connected:
                return error("host/offline", "not connected to the host (reconnecting): nothing "
                             "was sent; try again when the line at the top says live")
            while not self._replies.empty():  # an answer that came too late for its request
                self._replies.get_nowait()
            try:
                ws.send(json.dumps(msg))
            except Exception:  # closed under us: the reader thread reconnects
                return error("host/offline", "the connection to the host dropped: nothing was "
                             "sent; try again when it is back")
            try:
                return self._replies.get(timeout=timeout)
            except queue.Empty:
                return error("host/no-answer", f"the host did not answer within {timeout:.0f} s: "
                             "look at the screen once it updates to see whether it went in")

    def _run(self) -> None:
        from websockets.exceptions import InvalidStatus
        from websockets.sync.client import connect

        delay = RETRY_FIRST
        lost = False
        while not self._stop.is_set():
            try:
                with connect(self.link.ws_url, ssl=self.context, proxy=None, open_timeout=10,
                             max_size=MAX_FRAME_BYTES, compression=None) as ws:
                    delay = RETRY_FIRST
                    self._serve(ws, lost)
            except InvalidStatus as exc:
                if exc.response.status_code == 403:
                    self.on_status(BAD_LINK, True)
                    return
                self.on_status(f"the host at {self.link.where} refused the connection "
                               f"({exc.response.status_code}); trying again", False)
            except Exception as exc:  # OSError, a handshake that failed: the host is away
                self.on_status(f"cannot reach the host at {self.link.where}: {_reason(exc)}; "
                               f"trying again every {RETRY_MOST:.0f} s", False)
            else:
                lost = True
                if not self._stop.is_set():
                    self.on_status("the connection to the host dropped: reconnecting…", False)
                continue
            self._stop.wait(delay)
            delay = min(delay * 2, RETRY_MOST)

    def _serve(self, ws: Any, again: bool) -> None:
        self._ws = ws
        self.connected = True
        self.on_status("connected again" if again else "connected", False)
        try:
            for text in ws:
                try:
                    msg = json.loads(text)
                except ValueError:
                    continue
                if not isinstance(msg, dict):
                    continue
                if msg.get("type") == "state":
                    self.latest = msg
                    self.frames += 1
                    self.on_frame(msg)
                else:
                    self._replies.put(msg)
        except Exception:  # the connection closed: the caller reconnects
            pass
        finally:
            self.connected = False
            self._ws = None
            self._replies.put(error("host/offline", "the connection dropped before the host "
                                    "answered: look at the screen once it reconnects to see "
                                    "whether it went in"))
            ws.close()
