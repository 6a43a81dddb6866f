"""``powerplay host``: tokens on every route, each seat's frames exactly its view, decisions in
the save before they are acknowledged, channels, resume."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from websockets.sync.client import ClientConnection, connect

from game.engine.actions import CONTROL, PUBLIC
from game.engine.views import view_for
from game.net.host import LOG_TAIL, OBSERVER, ROOM, Host, running
from game.saves import read_save
from game.scenario.load import find_scenario
from game.session import Game


def make_host(tmp_path: Path, scenario: str = "tutorial", seed: int = 3, **limits: float) -> Host:
    game = Game.new(scenario, seed=seed, seats="control=human", review=True)
    host = Host(game, tmp_path / "host", **limits)
    host.persist()
    return host


def expected(host: Host, who: str) -> Any:
    viewer = PUBLIC if who in (ROOM, OBSERVER) else who
    return json.loads(json.dumps(view_for(host.game.engine, viewer, log_limit=LOG_TAIL).to_json()))


class Client:
    """One seat's socket to a real host; every wait is bounded, so a frame that never comes
    fails the test instead of hanging it."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def send_json(self, msg: Any) -> None:
        self.ws.send(json.dumps(msg))

    def send_text(self, text: str) -> None:
        self.ws.send(text)

    def receive_json(self) -> Any:
        return json.loads(self.ws.recv(timeout=20))


@contextmanager
def seated(host: Host, *who: str) -> Iterator[list[Client]]:
    """Sockets for ``who`` on ``host`` served over loopback by one event loop (the test client
    gives each socket its own loop, which a host that broadcasts must never see)."""
    with running(host) as base, ExitStack() as stack:
        url = base.replace("http://", "ws://", 1)
        yield [Client(stack.enter_context(connect(f"{url}/ws?t={host.seats[w].token}",
                                                  open_timeout=20, max_size=None)))
               for w in who]


@pytest.mark.parametrize("path", ["/", "/app.js", "/style.css", "/state"])
def test_every_route_needs_a_valid_token(tmp_path: Path, path: str) -> None:
    """No token, a wrong token or a token of another game: refused, with a sentence."""
    host = make_host(tmp_path)
    client = TestClient(host.app())
    other = make_host(tmp_path / "other").seats[CONTROL].token
    for query in ("", "?t=", "?t=nope", f"?t={other}"):
        r = client.get(path + query)
        assert r.status_code == 403 and "not valid" in r.text, (path, query)
    token = host.seats[CONTROL].token
    assert client.get(f"{path}?t={token}").status_code == 200


def test_a_socket_needs_a_valid_token_and_its_own_origin(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    client = TestClient(host.app())
    for url in ("/ws", "/ws?t=bad"):
        with pytest.raises(WebSocketDisconnect), client.websocket_connect(url) as ws:
            ws.receive_text()
    token = host.seats["NORTH"].token
    with pytest.raises(WebSocketDisconnect), client.websocket_connect(
            f"/ws?t={token}", headers={"origin": "http://evil.example"}) as ws:
        ws.receive_text()
    with client.websocket_connect(f"/ws?t={token}", headers={"origin": "http://testserver"}) as ws:
        assert ws.receive_json()["seat"] == "NORTH"


def test_the_page_carries_only_its_own_token_and_escapes_nothing_into_html(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    client = TestClient(host.app())
    page = client.get(f"/?t={host.seats['SOUTH'].token}").text
    assert host.seats["SOUTH"].token in page
    assert all(s.token not in page for w, s in host.seats.items() if w != "SOUTH")
    js = client.get(f"/app.js?t={host.seats['SOUTH'].token}").text
    assert "innerHTML" not in js  # scenario and player text is set as text, never parsed


def test_every_frame_a_seat_receives_is_exactly_its_view(tmp_path: Path) -> None:
    """A whole game played over the sockets by random teams and an umpire: after each accepted
    decision every connection's frame equals view_for(its seat) at that moment, so no team
    receives anything its view would not show it."""
    host = make_host(tmp_path, seed=5, rate=1e9, burst=1e9)  # a script acts faster than people
    rng = random.Random(5)
    who = ["NORTH", "SOUTH", CONTROL, ROOM, OBSERVER]
    with seated(host, *who) as clients:
        sockets = dict(zip(who, clients, strict=True))
        for w, ws in sockets.items():
            assert ws.receive_json()["view"] == expected(host, w)
        steps = 0
        while not host.game.is_over and steps < 400:
            actor = next(iter(host.game.waiting_for()))
            seat = actor if actor in ("NORTH", "SOUTH") else CONTROL
            legal = [a for a in host.game.legal_actions(actor) if a.verb != "retract"]
            sockets[seat].send_json({"type": "act", "action": str(rng.choice(legal))})
            for w, ws in sockets.items():
                frame = ws.receive_json()
                assert frame["type"] == "state" and frame["view"] == expected(host, w), (w, steps)
            assert sockets[seat].receive_json()["type"] == "ok"
            steps += 1
    assert host.game.is_over


def test_a_decision_is_in_the_save_before_it_is_acknowledged(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    client = TestClient(host.app())
    with client.websocket_connect(f"/ws?t={host.seats['NORTH'].token}") as ws:
        ws.receive_json()
        ws.send_json({"type": "act", "action": "NORTH: mass_troops | leverage"})
        ws.receive_json()
        assert ws.receive_json() == {"type": "ok", "action": "NORTH: mass_troops | leverage"}
        saved = read_save(host.save_path)
        assert [d.action for d in saved.decisions] == ["NORTH: mass_troops | leverage"]


def test_a_connection_that_sends_too_fast_is_told_to_slow_down_and_loses_nothing(
        tmp_path: Path) -> None:
    host = make_host(tmp_path, rate=0.001, burst=3)
    client = TestClient(host.app())
    with client.websocket_connect(f"/ws?t={host.seats['NORTH'].token}") as ws:
        ws.receive_json()
        for _ in range(3):  # the burst: each answered
            ws.send_json({"type": "why", "seq": 1})
            assert ws.receive_json()["type"] != "error"
        ws.send_json({"type": "act", "action": "NORTH: mass_troops | leverage"})
        assert ws.receive_json()["code"] == "host/too-fast"
    assert host.game.decisions == []
    assert read_save(host.save_path).decisions == []


def test_a_team_cannot_act_for_another_and_the_room_cannot_act(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    with seated(host, "NORTH", ROOM) as (ws, room):
        ws.receive_json()
        room.receive_json()
        ws.send_json({"type": "act", "action": "SOUTH: pass"})
        assert ws.receive_json()["code"] == "action/not-your-seat"
        ws.send_json({"type": "undo"})
        assert ws.receive_json()["code"] == "host/umpire-only"
        room.send_json({"type": "act", "action": "NORTH: pass"})
        assert room.receive_json()["code"] == "host/read-only"
        ws.send_text("x" * 20_000)
        assert ws.receive_json()["code"] == "host/too-big"
        ws.send_text("[1, 2]")
        assert ws.receive_json()["code"] == "host/bad-request"
    assert host.game.decisions == []


def test_channels_bilateral_rfi_and_announcements(tmp_path: Path) -> None:
    """A bilateral reaches both teams and the umpire; the umpire's announcement reaches every
    screen; a team cannot announce. Messages are decisions: in the game's log (each seat's view
    holds those it may read, with their turn), its save and so a resumed host."""
    host = make_host(tmp_path)
    with seated(host, "NORTH", CONTROL) as (north, umpire):
        north.receive_json()
        umpire.receive_json()
        north.send_json({"type": "say", "to": "SOUTH", "text": "talk? <b>now</b>"})
        said = umpire.receive_json()["view"]["messages"]
        assert [m["text"] for m in said] == ["Northland to Southland: “talk? <b>now</b>”"]
        north.receive_json()
        assert north.receive_json()["type"] == "ok"
        north.send_json({"type": "say", "to": "all", "text": "hello all"})
        assert north.receive_json()["code"] == "host/bad-channel"
        umpire.send_json({"type": "say", "to": "all", "text": "Cable: talks in Geneva"})
        umpire.receive_json()
        north.receive_json()
        umpire.receive_json()
    south = host.frame(host.seats["SOUTH"])["view"]["messages"]
    observer = host.frame(host.seats[OBSERVER])["view"]["messages"]
    assert [m["text"] for m in south] == ["Northland to Southland: “talk? <b>now</b>”",
                                          "The umpire to everyone: “Cable: talks in Geneva”"]
    # with two teams a bilateral is known to every team, so the room may show it (in the
    # flagship it may not: the browser test checks the room never shows the EU-ROK bilateral)
    assert [m["text"] for m in observer] == [m["text"] for m in south]
    assert all(m["turn"] == 1 and m["kind"] == "message" for m in south)
    again = Host.resume(host.state_dir)
    assert [str(d.action) for d in again.game.decisions] == [
        "NORTH: say to=SOUTH | talk? <b>now</b>", "control: say to=all | Cable: talks in Geneva"]


def test_channels_declared_by_the_scenario_decide_who_may_write_to_whom(tmp_path: Path) -> None:
    """With EU-ROK and RUS-DPRK declared, the EU may write to the ROK and the umpire only; the
    refusal names people, not ids; the umpire writes to anyone."""
    text = find_scenario("kursk-2024").read_text(encoding="utf-8")
    path = tmp_path / "channels.yaml"
    path.write_text(text + "\nchannels:\n  - {between: [EU, ROK], name: EU-ROK bilateral}\n"
                    "  - {between: [RUS, DPRK]}\n", encoding="utf-8")
    host = Host(Game.new(str(path), seed=1, seats="control=human", review=True), tmp_path / "h")
    eu = host.seats["EU"]
    assert [t["seat"] for t in host.frame(eu)["write_to"]] == ["ROK", CONTROL]
    assert [t["seat"] for t in host.frame(host.seats["DPRK"])["write_to"]] == ["RUS", CONTROL]
    assert [t["seat"] for t in host.frame(host.seats[CONTROL])["write_to"]] == [
        "EU", "ROK", "RUS", "DPRK", "all"]
    client = TestClient(host.app())
    with client.websocket_connect(f"/ws?t={eu.token}") as ws:
        ws.receive_json()
        ws.send_json({"type": "say", "to": "RUS", "text": "a word?"})
        refusal = ws.receive_json()
        assert refusal["code"] == "host/bad-channel"
        assert "European Union cannot write to Russia" in refusal["message"], refusal["message"]
        assert "the umpire" in refusal["message"] and "'RUS'" not in refusal["message"]
        ws.send_json({"type": "say", "to": "ROK", "text": "through Poland?"})
        ws.receive_json()
        assert ws.receive_json() == {"type": "ok", "said": "ROK"}
    assert [d.action for d in host.game.decisions] == ["EU: say to=ROK | through Poland?"]


def test_resume_continues_the_same_game_with_the_same_links(tmp_path: Path) -> None:
    host = make_host(tmp_path)
    host.game.submit("NORTH: mass_troops")
    host.persist()
    again = Host.resume(host.state_dir)
    assert again.game.log_digest() == host.game.log_digest()
    assert {w: s.token for w, s in again.seats.items()} == {w: s.token for w, s in host.seats.items()}
    assert (host.state_dir / "host-seats.json").stat().st_mode & 0o077 == 0


def test_the_umpires_undo_takes_back_decisions_never_messages(tmp_path: Path) -> None:
    """A message may already have been read, so Undo never 'unsends' one: it takes back the last
    decision that is not a message and the messages sent since stay, in order; with nothing but
    messages left it says so. The record replays to the same game (a resumed host)."""
    import asyncio

    host = make_host(tmp_path)
    seat = host.seats

    def ask(who: str, **msg: Any) -> dict[str, Any]:
        return asyncio.run(host.handle(seat[who], msg))

    assert ask(CONTROL, type="undo")["code"] == "action/nothing-to-undo"
    assert ask("SOUTH", type="say", to="NORTH", text="shall we talk?")["type"] == "ok"
    refused = ask(CONTROL, type="undo")
    assert refused["code"] == "action/nothing-to-undo" and "never taken back" in refused["message"]
    assert ask("NORTH", type="act", action="NORTH: mass_troops | leverage")["type"] == "ok"
    assert ask("NORTH", type="say", to="SOUTH", text="yes, tomorrow")["type"] == "ok"
    assert ask(CONTROL, type="say", to="all", text="talks at noon")["type"] == "ok"
    assert ask(CONTROL, type="pause")["type"] == "ok"  # undone while paused: it stays paused
    reply = ask(CONTROL, type="undo")
    assert reply["type"] == "ok"
    assert "2 messages sent since stay" in reply["undone"], reply
    assert host.game.paused
    north = view_for(host.game.engine, "NORTH")
    assert [o.move for o in north.orders] == []  # the order is taken back
    assert [m.text for m in north.messages] == [
        "Southland to Northland: “shall we talk?”", "Northland to Southland: “yes, tomorrow”",
        "The umpire to everyone: “talks at noon”"]
    assert host.game.effective_decisions() == [
        "SOUTH: say to=NORTH | shall we talk?", "NORTH: say to=SOUTH | yes, tomorrow",
        "control: say to=all | talks at noon"]
    # the undone order is kept for the audit, and a resumed host replays to the same game
    assert any(e.kind == "order" for e in host.game.undone)
    assert Host.resume(host.state_dir).game.log_digest() == host.game.log_digest()


def test_undo_of_a_resolution_keeps_the_messages_sent_since(tmp_path: Path) -> None:
    import asyncio

    host = make_host(tmp_path)
    seat = host.seats

    def ask(who: str, **msg: Any) -> dict[str, Any]:
        return asyncio.run(host.handle(seat[who], msg))

    assert ask(CONTROL, type="undo", scope="resolution")["code"] == "action/nothing-to-undo"
    ask("NORTH", type="act", action="NORTH: mass_troops")
    ask("NORTH", type="act", action="NORTH: pass")
    ask("SOUTH", type="act", action="SOUTH: pass")
    game = host.game
    for _ in range(10):  # the umpire moves on until the orders are resolved
        if any(e.kind == "outcome" for e in game.engine.state.entries()):
            break
        waiting = game.waiting_for()
        who = waiting[0]
        text = "control: advance" if who == CONTROL else f"{who}: pass"
        assert ask(CONTROL, type="act", action=text)["type"] == "ok", text
    assert any(e.kind == "outcome" for e in game.engine.state.entries())
    ask("SOUTH", type="say", to=CONTROL, text="what happened at the border?")
    reply = ask(CONTROL, type="undo", scope="resolution")
    assert reply["type"] == "ok"
    assert "1 message sent since stays" in reply["undone"] and "resolution" in reply["undone"]
    assert not any(e.kind == "outcome" for e in game.engine.state.entries())
    assert [m.text for m in view_for(game.engine, "SOUTH").messages] == [
        "Southland to the umpire: “what happened at the border?”"]
    assert Host.resume(host.state_dir).game.log_digest() == game.log_digest()
