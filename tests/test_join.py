"""``powerplay join URL``: the terminal UI as one seat of a hosted game, driven by keys through
textual's pilot against a real host on loopback (one event loop in a thread, as served).

Each test checks the screens against the host: the seat's screen draws exactly the view the
host's ``view_for(seat)`` holds, and nothing of another team's secrets (its secret orders, its
request to the umpire, the exact value of a track the seat only estimates) ever reaches it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

from game.engine.actions import CONTROL
from game.engine.views import View, view_for
from game.net.host import LOG_TAIL, Host, running
from game.session import Game
from game.tui import link as client
from game.tui.drive import Driver
from game.tui.link import JoinError, parse_link, probe, view_from_json
from game.tui.remote import JoinApp, RemoteTeamScreen, RemoteUmpireScreen

pytestmark = pytest.mark.usefixtures("saves_dir")  # conftest.py

SIZE = (100, 30)
NORTH_PLAN = "SECRET-PLAN: strike before the council meets"
NORTH_RFI = "SECRET-RFI: does Southland know our numbers?"


def make_host(tmp_path: Path, seed: int = 3) -> Host:
    game = Game.new("tutorial", seed=seed, seats="control=human", review=True)
    host = Host(game, tmp_path / "host", rate=1e9, burst=1e9)
    host.persist()
    return host


def expected(host: Host, seat: str) -> View:
    return view_for(host.game.engine, seat, log_limit=LOG_TAIL)


def join_app(host: Host, base: str, seat: str) -> JoinApp:
    link = parse_link(f"{base}/?t={host.seats[seat].token}")
    return JoinApp(link, probe(link))


class Socket:
    """Another seat on a raw WebSocket (a browser, as far as the host can tell)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    def ask(self, **msg: Any) -> dict[str, Any]:
        """Send a request; its answer (frames before it are read and dropped)."""
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv(timeout=20))
            if reply["type"] != "state":
                return dict(reply)


@contextmanager
def socket(host: Host, base: str, seat: str) -> Iterator[Socket]:
    url = base.replace("http://", "ws://", 1)
    with connect(f"{url}/ws?t={host.seats[seat].token}", open_timeout=20, max_size=None,
                 proxy=None) as ws:
        json.loads(ws.recv(timeout=20))  # the first frame
        yield Socket(ws)


async def synced(d: Driver, host: Host, seat: str, within: float = 10.0) -> View:
    """Wait until the joined screen holds exactly the host's view for ``seat``; that view."""
    app = d.app
    assert isinstance(app, JoinApp)
    want = expected(host, seat)
    for _ in range(int(within / 0.05)):
        await d.pilot.pause(0.05)
        if app.remote.current == want:
            return want
        want = expected(host, seat)
    raise AssertionError(f"the {seat} screen never caught up with the host:\n{d.text()}")


async def told(d: Driver, needle: str, within: float = 10.0) -> None:
    """Wait until the player is told ``needle`` (a toast)."""
    app = d.app
    assert isinstance(app, JoinApp)
    for _ in range(int(within / 0.05)):
        if any(needle in line for line in app.told):
            return
        await d.pilot.pause(0.05)
    raise AssertionError(f"never told {needle!r}; told: {app.told}")


async def every_tab(d: Driver, tabs: tuple[str, ...]) -> str:
    """The text of every tab of the seat screen (what a player can page through)."""
    shown = ""
    for tab in tabs:
        await d.tab(tab)
        await d.pilot.pause()
        shown += "\n" + d.text()
    return shown


async def test_a_team_plays_a_turn_from_another_room(tmp_path: Path) -> None:
    """Southland joins in the terminal while Northland plays on a socket: Southland's screen
    follows the host live and shows its own order, its message and its estimate, and never
    Northland's secret order, Northland's request to the umpire or the troops' true number."""
    host = make_host(tmp_path)
    truth = host.game.view(CONTROL).track("north_troops")
    with running(host) as base, socket(host, base, "NORTH") as north:
        app = join_app(host, base, "SOUTH")
        async with app.run_test(size=SIZE) as pilot:
            d = Driver(app, pilot)
            await d.expect("live", "SOUTH", "Mediate talks", "m Messages")
            assert isinstance(app.screen, RemoteTeamScreen)
            await synced(d, host, "SOUTH")
            # Northland acts in its room: a secret order and a request for information
            assert north.ask(type="act", action=f"NORTH: mass_troops | {NORTH_PLAN}")["type"] == "ok"
            assert north.ask(type="say", to=CONTROL, text=NORTH_RFI)["type"] == "ok"
            assert north.ask(type="say", to="SOUTH", text="shall we talk?")["type"] == "ok"
            await d.expect("m: messages (1, 1 new)")
            await told(d, "Northland to Southland: “shall we talk?”")
            await synced(d, host, "SOUTH")
            # Southland orders, writes back, finishes
            await d.order("mediate", "talk first")
            view = await synced(d, host, "SOUTH")
            assert [o.move for o in view.orders if o.actor == "SOUTH"] == ["mediate"]
            await d.press("m")
            await d.expect("Messages — every channel", "shall we talk?", "◉ Northland")
            await d.type("yes, in Geneva")
            await d.press("enter")
            await told(d, "Message sent to Northland")
            assert host.game.effective_decisions()[-1] == "SOUTH: say to=NORTH | yes, in Geneva"
            await d.press("m")
            history = await d.expect("yes, in Geneva")
            await d.press("escape")
            shown = history + await every_tab(d, ("moves", "board", "orders", "brief", "log"))
            await d.tab("board")
            board = await d.expect("Northland troops at the border  ≈")  # an estimate
            assert expected(host, "SOUTH").track("north_troops").status == "estimate"
            await d.finish()
            await told(d, "Your orders are in")
            await synced(d, host, "SOUTH")
            for secret in (NORTH_PLAN, NORTH_RFI, "SECRET"):
                assert secret not in shown + board, secret
            assert f"{truth.value:g} thousand" not in board
            assert app.remote.current.track("north_troops").value is None
            # everything the screen drew came from the host's view for SOUTH
            assert all(NORTH_RFI not in line.text for line in app.remote.current.log)
            assert "SOUTH: pass" in host.game.effective_decisions()
            # the umpire (in a browser) plays the council and applies the results: Southland's
            # screen shows them, as its team may see them
            assert north.ask(type="act", action="NORTH: pass")["type"] == "ok"
            with socket(host, base, CONTROL) as umpire:
                for _ in range(8):  # until the results are applied (the Control review)
                    if host.game.engine.phase.id == "review":
                        break
                    waiting = host.game.waiting_for()
                    text = next((f"{w}: pass" for w in waiting if w != CONTROL),
                                "control: advance")
                    assert umpire.ask(type="act", action=text)["type"] == "ok", text
                await d.expect("RESULTS, turn 1 — what your team may see", "Border incident")
                # while Southland reads, the umpire corrects a track: it comes next, not lost
                assert umpire.ask(type="act", action="control: adjust track=tension value=2 "
                                  "| a calmer week")["type"] == "ok"
                await synced(d, host, "SOUTH")
            results = await d.results()  # the event's pop-up, the list, continue
            assert "Mediate talks: Failure" in results and "More Northland troops" in results
            assert "[set by the umpire]" not in results
            assert NORTH_PLAN not in results and "SECRET" not in results
            await d.expect("RESULTS", "Border tension ▼ 4 → 2 [set by the umpire]")
            await d.press("c")
            await d.expect("Control review")
            await d.tab("log")  # why? asked of the host, answered as Southland may know it
            await d.press("x")
            why = await d.expect("Why? (causes, newest first)", "Border tension")
            assert NORTH_PLAN not in why and "a calmer week" not in why  # the umpire's reason
            await d.press("escape")
            assert isinstance(app.screen, RemoteTeamScreen)


async def play_orders(host: Host) -> None:
    """Both teams give their orders (the matrix argument NORTH-2 waits for a ruling)."""
    g = host.game
    for text in ("NORTH: mass_troops | leverage", f"NORTH: appeal | {NORTH_PLAN}",
                 "SOUTH: mediate | talk first", "SOUTH: pass"):
        g.submit(text, seat=text.partition(":")[0])
    g.submit(f"NORTH: say to=control | {NORTH_RFI}", seat="NORTH")
    host.persist()


async def test_the_umpire_rules_from_another_room_and_undo_keeps_messages(tmp_path: Path) -> None:
    """The umpire joins in the terminal: plays the council, rules on the argument, applies the
    results, answers an RFI; Undo takes back the resolution but not the message sent since
    (the question says so); the team's screen then shows the results of its turn."""
    host = make_host(tmp_path)
    await play_orders(host)
    with running(host) as base:
        app = join_app(host, base, CONTROL)
        async with app.run_test(size=(120, 34)) as pilot:
            d = Driver(app, pilot)
            await d.expect("UMPIRE", "live", "Play COUNCIL", "m: messages (1)")
            assert isinstance(app.screen, RemoteUmpireScreen)
            await d.order("council_statement", "calm everyone")
            await d.finish()
            await d.expect("Rule on 2 order(s)", NORTH_PLAN)  # the umpire reads every rationale
            await d.rule("NORTH-2", strength=1, reason="a fair point")
            await d.rule("COUNCIL-1", outcome=0)
            await d.apply_results()
            await d.expect("Control review")
            await d.press("v")
            shown = await d.results()
            assert "RESULTS, turn 1 — as the umpire sees it" in shown and "a fair point" in shown
            await d.expect("Control review")
            view = await synced(d, host, CONTROL)
            assert any(line.kind == "outcome" for line in view.log)
            assert any(e.kind == "outcome" for e in host.game.engine.state.entries())
            await d.press("m")
            await d.expect(NORTH_RFI, "◉ Northland")
            await d.type("they estimate, they do not know")
            await d.press("enter")
            await told(d, "Message sent to Northland")
            await d.press("u")
            question = await d.expect("Undo the last resolution", "Messages sent since stay")
            assert d.screen_name == "ConfirmDialog", question
            await d.press("y")
            await told(d, "last resolution of orders is undone")
            await told(d, "1 message sent since stays")
            view = await synced(d, host, CONTROL)
            assert not any(e.kind == "outcome" for e in host.game.engine.state.entries())
            said = [m.text for m in view.messages]
            assert said[-1] == "The umpire to Northland: “they estimate, they do not know”"
            # the results again, and the turn moves on
            for _ in range(12):
                v = await synced(d, host, CONTROL)
                if v.turn == 2:
                    break
                ruling = [o for o in v.orders if o.status == "awaiting ruling"]
                if ruling:
                    await d.rule(ruling[0].ref, strength=0 if ruling[0].adjudication == "matrix"
                                 else None)
                elif d.screen_name == "InjectDialog":
                    await d.press("r")
                else:
                    await d.press("n")
            assert host.game.engine.state.turn == 2
        # the team sees its results when it joins again: what Northland may see, no more
        team = join_app(host, base, "SOUTH")
        async with team.run_test(size=SIZE) as pilot:
            d = Driver(team, pilot)
            await d.expect("live", "turn 2/3")
            view = await synced(d, host, "SOUTH")
            shown = await every_tab(d, ("moves", "board", "orders", "brief", "log"))
            assert any("Northland: Appeal to the council" in x.text for x in view.log)
            assert NORTH_RFI not in shown and NORTH_PLAN not in shown
            assert all(NORTH_RFI not in m.text for m in view.messages)


async def test_the_screen_reconnects_by_itself_and_a_new_game_is_one_clear_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The host goes away: the top line says so, an order is refused with a sentence (nothing
    sent); the host comes back (as after --resume) having moved on: the screen reconnects and
    shows the game as it is now. A host that started a new game refuses the old link: one line."""
    monkeypatch.setattr(client, "RETRY_FIRST", 0.1)
    monkeypatch.setattr(client, "RETRY_MOST", 0.3)
    host = make_host(tmp_path)
    stack = ExitStack()
    base = stack.enter_context(running(host))
    port = int(base.rsplit(":", 1)[1])
    app = join_app(host, base, "SOUTH")
    async with app.run_test(size=SIZE) as pilot:
        d = Driver(app, pilot)
        await d.expect("live")
        stack.close()  # the host is gone
        await d.expect("cannot reach the host")
        assert not app.submit("SOUTH: spy_flight")
        await told(d, "nothing was sent")
        host.game.submit("SOUTH: spy_flight | while you were away", seat="SOUTH")
        with running(host, port=port):
            await told(d, "Connected to the host again")
            await d.expect("live")
            view = await synced(d, host, "SOUTH")
            assert [o.rationale for o in view.orders] == ["while you were away"]
            await d.tab("orders")
            await d.expect("Reconnaissance flight")
        other = make_host(tmp_path / "new")
        with running(other, port=port):
            await d.expect("✖ this link is not valid for this game")
            await told(d, "Cannot go on: this link is not valid")
            assert "Traceback" not in d.text()
        assert app.remote.current == view  # the last state it knew stays on screen


async def test_a_team_sees_the_end_as_its_team_saw_the_board(tmp_path: Path) -> None:
    """The umpire ends the game (in a browser): the team's screen shows the end, the scores, and
    the board as its team saw it, labelled so (its estimates, not the truth)."""
    host = make_host(tmp_path)
    truth = host.game.view(CONTROL).track("north_troops")
    with running(host) as base, socket(host, base, CONTROL) as umpire:
        app = join_app(host, base, "SOUTH")
        async with app.run_test(size=(100, 40)) as pilot:
            d = Driver(app, pilot)
            await d.expect("live")
            assert umpire.ask(type="act", action="control: end | out of time")["type"] == "ok"
            shown = await d.expect("GAME OVER", "out of time", "as your team saw it",
                                   "Northland troops at the border  ≈")
            assert "as it truly is" not in shown and f"{truth.value:g} thousand" not in shown
            assert d.screen_name == "EndScreen"


def test_a_bad_link_or_token_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong token, a link without one, the room's link and an absent host: each one line on
    stderr with its reason, exit status 7, no traceback and no screen."""
    from game.cli import main

    host = make_host(tmp_path)

    def join(url: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.argv", ["powerplay", "join", url])
        with pytest.raises(SystemExit) as exit_:
            main()
        err = capsys.readouterr().err
        return int(exit_.value.code or 0), err

    with running(host) as base:
        with pytest.raises(JoinError, match="not valid for this game"):
            probe(parse_link(f"{base}/?t=wrong"))
        for url, says in ((f"{base}/?t=wrong", "not valid for this game"),
                          (f"{base}/", "carries no seat token"),
                          ("ftp://example/?t=x", "not a join link"),
                          ("http://THIS-MACHINE:8765/?t=x", "replace THIS-MACHINE"),
                          (f"{base}/?t={host.seats['room'].token}", "open it in a browser")):
            status, err = join(url)
            assert status == 7 and says in err, (url, err)
            assert err.count("\n") == 1 and "Traceback" not in err
            assert host.seats["room"].token not in err and "wrong" not in err
    status, err = join(f"{base}/?t={host.seats['NORTH'].token}")  # the host has stopped
    assert status == 7 and "cannot reach the host" in err and "connection refused" in err


def test_views_cross_the_network_whole() -> None:
    """view_from_json gives back the very View the host serialised, for every viewer at every
    step of a random tutorial game (the screens draw from it, so nothing is lost or added)."""
    game = Game.new("tutorial", seed=11, seats="all=random")
    rng = random.Random(11)
    viewers = [CONTROL, "public", *game.rules.actor_index]
    while not game.is_over:
        viewer = rng.choice(viewers)
        view = game.view(viewer)
        assert view_from_json(json.loads(json.dumps(view.to_json()))) == view
        game.step_agent()


def test_the_joined_screens_help_speaks_of_rooms_not_of_a_shared_keyboard() -> None:
    for screen in (RemoteTeamScreen, RemoteUmpireScreen):
        assert "m | messages" in screen.HELP and "top says whether the screen is live" in screen.HELP
    assert "hand the keyboard on" not in RemoteTeamScreen.HELP
    assert "messages stay" in RemoteUmpireScreen.HELP and "t | set the phase timer" in \
        RemoteUmpireScreen.HELP
    assert "show the room the latest results" not in RemoteUmpireScreen.HELP
