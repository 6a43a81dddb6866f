"""The order form: choose a move's parameters, write a rationale, see the odds, submit."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Static

from game.engine.actions import Action
from game.engine.adjudication import BY_KIND
from game.engine.views import MoveOption, ResourceView
from game.tui import render as R
from game.tui.screens.modals import FormDialog, field
from game.tui.widgets.choices import Choices


class MoveForm(FormDialog):
    """Fill in one move. Returns the action's text form, or None when cancelled.

    Only the legal combinations of choices can be submitted; for another the form says why not.
    """

    OK = "submit"
    DEFAULT_CSS = """
    MoveForm Choices { height: auto; width: 1fr; margin-bottom: 1; }
    MoveForm #legality { height: auto; }
    """

    def __init__(self, option: MoveOption, resources: Sequence[ResourceView] | None,
                 actor_name: str = "") -> None:
        super().__init__()
        self.option = option
        self.resources = resources
        self.actor_name = actor_name or option.actor

    def compose(self) -> ComposeResult:
        mo = self.option
        with Vertical(id="dialog"):
            # scenario text is data, never console markup (a name may hold '[/b]')
            yield Label(Text(f"{self.actor_name} orders: {mo.name}"), id="title")
            with VerticalScroll(id="body"):
                yield Static(R.move_detail(mo, self.resources))
                for pid, question, choices in R.param_labels(mo):
                    yield Label(Text(f"{question}:"))
                    yield Choices(*(name for _, name in choices), id=f"param-{pid}")
            argue = BY_KIND[mo.adjudication].argued
            yield field("Your argument" if argue else "Rationale (optional)",
                        Input(placeholder="the umpire judges it…" if argue else "why this move…",
                              id="rationale", compact=True))
            yield Static("", id="legality")
            with Horizontal(id="buttons"):
                yield Button("Submit ⏎", id="submit", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        first = self.query(Choices).first() if self.option.params else None
        (first or self.query_one("#rationale", Input)).focus()
        self._check()

    def chosen(self) -> Action:
        """The action the form describes now (without its rationale)."""
        params = {}
        for pid, ids in self.option.params:
            params[pid] = ids[self.query_one(f"#param-{pid}", Choices).index]
        return Action.make(self.option.actor, self.option.move, **params)

    def _check(self) -> bool:
        ok = str(self.chosen()) in self.option.actions
        reason = self.option.reason or "not available with these choices"
        self.query_one("#legality", Static).update(
            Text("✓ can be ordered") if ok else Text(f"✗ {reason}", "bold"))
        self.query_one("#submit", Button).disabled = not ok
        return ok

    def on_choices_changed(self) -> None:
        self._check()

    def on_choices_accepted(self) -> None:
        self._accept()

    def _accept(self) -> None:
        if not self._check():
            return
        rationale = self.query_one("#rationale", Input).value.strip()
        self.dismiss(str(self.chosen().with_rationale(rationale)))

