"""``powerplay host`` end to end in a real browser: one flagship turn played by four teams, the
umpire and the room display, each in its own Chromium context (its own cookies and storage), over
a real uvicorn server on loopback. A bilateral message, a request for information, a ruling and
an inject are part of the turn; each screen is read for what it must and must not show.

Needs Debian's ``chromium`` and the ``playwright`` package (``.ci/run`` installs both; the test is
skipped without them, and fails instead when ``POWERPLAY_REQUIRE_BROWSER=1``)."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from game.engine.actions import CONTROL
from game.net.host import Host, links, running
from game.session import Game

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

if os.environ.get("POWERPLAY_REQUIRE_BROWSER") != "1" and (CHROMIUM is None or sync_playwright is None):
    pytest.skip("needs chromium and playwright (installed by .ci/run)", allow_module_level=True)

# What Chromium needs on a closed network, run as root, with no display.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TEAMS = ("EU", "ROK", "RUS", "DPRK")
WAIT = 20_000  # ms: generous for a loaded 2-core machine


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Host, dict[str, str]]]:
    game = Game.new("kursk-2024", seed=5, seats="control=human", review=True)
    host = Host(game, tmp_path / "host")
    host.persist()
    with running(host) as base:
        yield host, links(host, base)


def last_seq(host: Host) -> int:
    return host.game.engine.state.entries()[-1].seq


def give_order(page: Page, move_name: str, why: str) -> None:
    card = page.locator("#moves .card", has=page.locator("h3", has_text=move_name)).first
    card.locator("input").fill(why)
    card.get_by_role("button", name="Give this order").click()
    expect(page.locator("#orders li", has_text=move_name)).to_have_count(1, timeout=WAIT)


def test_one_flagship_turn_in_six_browser_contexts(served: tuple[Host, dict[str, str]],
                                                   tmp_path: Path) -> None:
    host, urls = served
    rules = host.game.rules
    name = {m.id: m.name for m in rules.moves}
    actor = {a.id: a.name for a in rules.actors}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pages: dict[str, Any] = {}
        for who in (*TEAMS, CONTROL, "room"):
            ctx = browser.new_context(viewport={"width": 1280, "height": 720})
            page = ctx.new_page()
            page.on("dialog", lambda d: d.dismiss())  # no alert may block a screen
            page.goto(urls[who])
            expect(page.locator("#status")).to_contain_text("Turn 1/", timeout=WAIT)
            pages[who] = page

        # Each team gives one order with its reasoning; the EU's goes to the umpire's ruling.
        eu_move = next(m for m in ("eu_csp", "eu_trilateral", "eu_persuade_rok")
                       if any(a.verb == m for a in host.game.legal_actions("EU")))
        give_order(pages["EU"], name[eu_move], "secret EU reasoning 4711")
        for team in TEAMS[1:]:
            first = next(a for a in host.game.legal_actions(team) if a.verb in name)
            give_order(pages[team], name[first.verb], f"reasoning of {team}")
        # A secret order is secret: the others see neither its move nor its reasoning.
        for team in TEAMS[1:]:
            expect(pages[team].locator("body")).not_to_contain_text("4711")
        expect(pages["room"].locator("body")).not_to_contain_text("4711")

        # A bilateral (EU → ROK) and a request for information (ROK → the umpire).
        eu = pages["EU"]
        eu.locator("#to").select_option("ROK")
        eu.locator("#say").fill("Seoul, can you move shells through Poland?")
        eu.locator("#send").click()
        expect(pages["ROK"].locator("#channels")).to_contain_text("through Poland", timeout=WAIT)
        expect(pages[CONTROL].locator("#channels")).to_contain_text("through Poland", timeout=WAIT)
        for other in ("RUS", "DPRK", "room"):
            expect(pages[other].locator("body")).not_to_contain_text("through Poland")
        rok = pages["ROK"]
        rok.locator("#to").select_option(CONTROL)
        rok.locator("#say").fill("RFI: how many DPRK troops are in Kursk now?")
        rok.locator("#send").click()
        expect(pages[CONTROL].locator("#channels")).to_contain_text("RFI: how many", timeout=WAIT)
        expect(pages["EU"].locator("body")).not_to_contain_text("RFI: how many")

        for team in TEAMS:
            pages[team].get_by_role("button", name="I have finished giving orders").click()
        umpire = pages[CONTROL]
        expect(umpire.locator("#status")).to_contain_text("Control cell moves", timeout=WAIT)

        # The umpire moves the game on, rules the EU's order, handles the inject, closes the turn.
        ruled = released = False
        for _ in range(12):
            if host.game.engine.state.turn > 1:
                break
            buttons = umpire.locator("#control-actions button")
            expect(buttons.first).to_be_visible(timeout=WAIT)
            labels = buttons.all_text_contents()
            pick = next((x for x in labels if x.startswith("Rule ")), None) \
                or next((x for x in labels if x.startswith("Release inject")), None) \
                or "Move the game on"
            ruled |= pick.startswith("Rule ")
            released |= pick.startswith("Release inject")
            before = last_seq(host)
            umpire.locator("#control-actions button", has_text=pick).first.click()
            deadline = time.monotonic() + WAIT / 1000
            while last_seq(host) == before:
                assert time.monotonic() < deadline, f"the umpire's '{pick}' changed nothing"
                time.sleep(0.05)
            # Wait until the umpire's screen shows the game after that decision.
            expect(umpire.locator("body")).to_have_attribute("data-seq", str(last_seq(host)),
                                                             timeout=WAIT)
        assert ruled, "no ruling was asked of the umpire"
        assert released, "no inject was offered to the umpire"
        assert host.game.engine.state.turn == 2

        # Every screen is on turn 2; the room shows the results in names, never the ids.
        for page in pages.values():
            expect(page.locator("#status")).to_contain_text("Turn 2/", timeout=WAIT)
        room_text = pages["room"].locator("body").inner_text()
        assert actor["EU"] in room_text
        for secret in ("through Poland", "RFI: how many"):
            assert secret not in room_text
        assert not re.search(r"\b(eu|rok|rus|dprk)_[a-z_]+\b", room_text), "an id reached the room"
        # The EU's order, revealed and ruled, reached the room's record by its name.
        assert name[eu_move] in room_text
        # The umpire saw every channel.
        expect(umpire.locator("#channels li")).to_have_count(2)
        pages["room"].screenshot(path=str(tmp_path / "room.png"))
        umpire.screenshot(path=str(tmp_path / "umpire.png"))
        browser.close()

    # What the browsers did is in the host's save: a restarted host carries on from there.
    again = Host.resume(host.state_dir)
    assert again.game.engine.state.turn == 2
    said = [d.action for d in again.game.decisions if " say " in d.action]
    assert said == ["EU: say to=ROK | Seoul, can you move shells through Poland?",
                    "ROK: say to=control | RFI: how many DPRK troops are in Kursk now?"]
