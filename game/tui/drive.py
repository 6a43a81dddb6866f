"""Drive the terminal UI with keys, as a player would: for pilot tests and scripted demos.

In a pilot test (``async``, so shown rather than run as a doctest)::

    async with app.run_test(size=(80, 24)) as pilot:
        d = Driver(app, pilot)
        await d.start(); await d.sit_down("NORTH"); await d.order("mass_troops", "leverage")

Every step presses keys only (never calls the game directly) and :meth:`Driver.text` returns the
screen as the players see it, so tests assert on what is shown.
"""

from __future__ import annotations

import time

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from game.engine.adjudication import BY_KIND
from game.tui.screens.team import SeatScreen
from game.tui.textshot import screen_text
from game.tui.widgets.tables import KeyedTable


class Driver:
    """Key-level steps of a game: start, hand-offs, orders, rulings, results."""

    def __init__(self, app: App[int], pilot: Pilot[int]) -> None:
        self.app = app
        self.pilot = pilot
        app.animation_level = "none"  # screens are read between frames: nothing mid-slide

    def text(self) -> str:
        return screen_text(self.app)

    @property
    def screen_name(self) -> str:
        return type(self.app.screen).__name__

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        """Type into the focused text field (inserted at once: keys one by one are slow)."""
        if not text:
            return
        focused = self.app.focused
        if isinstance(focused, Input):
            focused.insert_text_at_cursor(text)
            await self.pilot.pause()
        else:
            await self.press(*text)

    async def settled(self, tries: int = 20) -> str:
        """The screen once two frames in a row look the same (for golden files)."""
        shown = self.text()
        for _ in range(tries):
            await self.pilot.pause(0.02)
            again = self.text()
            if again == shown:
                break
            shown = again
        return shown

    async def expect(self, *needles: str, settle: bool = False, within: float = 10.0) -> str:
        """Wait until the screen shows every needle (polling, so a loaded machine only makes it
        slower, not wrong); fail with the screen after ``within`` seconds. Returns the text."""
        deadline = time.monotonic() + within
        while True:
            await self.pilot.pause()
            shown = await self.settled() if settle else self.text()
            missing = [n for n in needles if n not in shown]
            if not missing:
                return shown
            assert time.monotonic() < deadline, f"{missing[0]!r} not on screen:\n{shown}"
            await self.pilot.pause(0.05)

    async def start(self) -> None:
        """Setup screen: start with the seats as they are."""
        assert self.screen_name == "SetupScreen", self.text()
        await self.press("s")

    async def sit_down(self, who: str) -> str:
        """At the hand-off for ``who`` (an actor id or 'the umpire'): press Enter."""
        shown = await self.expect("Pass the keyboard to", who)
        await self.press("enter")
        return shown

    async def _select_row(self, table_id: str, key_suffix: str) -> None:
        """Choose a row as a player would: click it (a click on the highlighted row selects
        it), else Enter."""
        before = self.app.screen
        await self._goto_row(table_id, key_suffix)
        if self.app.screen is before:
            await self.press("enter")

    async def _goto_row(self, table_id: str, key_suffix: str) -> None:
        """Put the cursor on a row: a mouse click if the row is in view, else arrow keys."""
        table = self.app.screen.query_one(f"#{table_id}", KeyedTable)
        keys = [str(k.value) for k in table.rows]
        index = next(i for i, k in enumerate(keys) if k == key_suffix
                     or k.endswith(f":{key_suffix}"))
        if index + 1 < table.scrollable_content_region.height:
            await self.pilot.click(table, offset=(2, index + 1))
            table.focus()
        else:
            table.focus()
            await self.press("ctrl+home", *(["down"] * index))

    async def tab(self, tab: str) -> None:
        screen = self.app.screen
        assert isinstance(screen, SeatScreen), self.text()
        names = [p.id for p in screen.query_one(TabbedContent).query("TabPane")]
        await self.press(str(names.index(tab) + 1))

    async def order(self, move: str, rationale: str = "", choices: tuple[int, ...] = ()) -> None:
        """Give an order from the moves table: Enter on it, pick choices, write, submit."""
        screen = self.app.screen
        await self.tab("control" if screen.query("#control") else "moves")
        await self._select_row("move-table", move)
        await self.expect("orders:")
        for steps in choices:
            await self.press(*(["down"] * steps), "tab")
        await self.type(rationale)
        await self.press("enter")

    async def finish(self) -> None:
        await self.press("f")
        if self.screen_name == "ConfirmDialog":
            await self.press("y")

    async def rule(self, ref: str, *, strength: int | None = None, outcome: int = 0,
                   estimates: str | None = None, reason: str = "") -> None:
        """Umpire: rule on order ``ref`` (matrix: strength or estimates; umpire: outcome)."""
        await self.tab("rulings")
        await self._select_row("order-table", ref)
        await self.expect("Rule on ", f", order {ref.rsplit('-', 1)[-1]}: ")
        if strength is not None:
            await self.press(*(["down" if strength > 0 else "up"] * abs(strength)))
        else:
            await self.press(*(["down"] * outcome))
        await self.press("tab")
        if estimates is not None or strength is not None:
            await self.type(estimates or "")
            await self.press("tab")
        await self.type(reason)
        await self.press("enter")

    async def apply_results(self) -> str:
        """Umpire, at the review of an adjudication (rolls and rulings in, outcomes not yet
        applied): check the console says so, then apply them (n); return the screen."""
        shown = await self.expect("Review the results", "n applies them")
        await self.press("n")
        return shown

    async def skip_results(self) -> str:
        """Continue past a results screen (and its pop-ups) if one is showing."""
        await self.pilot.pause()
        if self.screen_name in ("ResultsScreen", "MessageDialog"):
            return await self.results()
        return ""

    async def results(self) -> str:
        """On the results screen: close any event pop-ups, read it, continue."""
        await self.pilot.pause()
        shown = self.text()
        while self.screen_name == "MessageDialog":
            await self.press("enter")
            shown += "\n" + self.text()
        assert self.screen_name == "ResultsScreen", self.text()
        shown += "\n" + self.text()
        await self.press("c")
        return shown

    async def umpire_until_handoff(self, *, limit: int = 40) -> str:
        """Umpire: release injects, rule on everything with the defaults (a fair argument,
        the first outcome), move on, until the screen leaves the console; return what was
        shown on the way."""
        shown = ""
        for _ in range(limit):
            await self.pilot.pause()
            shown += "\n" + self.text()
            name = self.screen_name
            if name == "InjectDialog":
                await self.press("r")
            elif name != "UmpireScreen":
                return shown
            else:
                view = self.app.game.view("control")  # type: ignore[attr-defined]
                ruling = [o for o in view.orders if o.status == "awaiting ruling"]
                if ruling:
                    matrix = BY_KIND[ruling[0].adjudication].argued
                    await self.rule(ruling[0].ref, strength=0 if matrix else None)
                elif any(a != "control" for a in view.waiting_for):
                    await self.finish()
                else:
                    await self.press("n")
        raise AssertionError(f"the umpire never handed on:\n{self.text()}")
