"""Small dialogs: explain a log line, pop up an inject, confirm, ask for a line of text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

DIALOG_CSS = """
Dialog { align: center middle; background: $background 60%; }
Dialog > #dialog {
    width: 90%; max-width: 100; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 0 1;
}
Dialog #title { text-style: bold; width: 1fr; margin-bottom: 1; }
Dialog #body { height: auto; max-height: 60vh; }
Dialog #buttons { height: auto; margin-top: 1; }
Dialog #buttons Button { margin-right: 2; min-width: 10; }
Dialog .error { color: $error; text-style: bold; display: none; }
Dialog .error.-shown { display: block; }
Dialog .field { height: 1; margin-bottom: 1; }
Dialog .field Label { width: auto; text-style: bold; }
Dialog .field Input { width: 1fr; }
"""


def field(label: str, widget: Input) -> Horizontal:
    """A labelled one-line input: ``Reason ▸ [.........]`` (readable without colour)."""
    return Horizontal(Label(f"{label} ▸ "), widget, classes="field")


class Dialog(ModalScreen[str | None]):
    """A centred dialog; Escape cancels (returns None)."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def show_error(self, text: str) -> None:
        """Say what is wrong under the fields (the ``#error`` label)."""
        label = self.query_one("#error", Label)
        label.update(text)
        label.add_class("-shown")

    def action_cancel(self) -> None:
        self.dismiss(None)


class FormDialog(Dialog):
    """A dialog with fields: Enter in a field or the ``OK`` button accepts (:meth:`_accept`
    says what that means and may refuse in ``#error``); any other button cancels.

    Subclasses define ``_accept`` only: textual calls a message's handler in every class of
    the MRO, so a subclass's own ``on_button_pressed`` would run as well as this one."""

    OK: ClassVar[str] = "ok"

    def _accept(self) -> None:
        raise NotImplementedError

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._accept()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.OK:
            self._accept()
        else:
            self.dismiss(None)


class MessageDialog(Dialog):
    """A message to read (an explanation, an inject): Enter or Escape closes it."""

    BINDINGS = [Binding("escape", "cancel", "Close", show=False),
                Binding("enter", "cancel", "Close")]

    def __init__(self, title: str, body: RenderableType, *, label: str = "Close") -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.label = label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="title")
            with VerticalScroll(id="body"):
                yield Static(self.body)
            with Horizontal(id="buttons"):
                yield Button(f"{self.label} ⏎", id="ok", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_button)

    def _focus_button(self) -> None:
        """A text too long for the dialog keeps the focus (↑ ↓ scroll it); else the button
        takes it, so where the keys go shows."""
        if not self.query_one("#body", VerticalScroll).max_scroll_y:
            self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)


def explain_dialog(lines: Sequence[str]) -> MessageDialog:
    """Why did this happen? The chain of causes, newest first, down to the rule."""
    body = Text()
    for i, line in enumerate(lines):
        if i:
            body.append("\n")
        if line.startswith("Rule:"):
            body.append(line, "italic")
        else:
            body.append("↑ " if i else "• ", "bold")
            body.append(line)
    return MessageDialog("Why? (causes, newest first)", body)


def coach_dialog(team: str, lines: Sequence[str]) -> MessageDialog:
    """A coach's hint for a team: the options a computer player found best, best first."""
    body = Text()
    for i, line in enumerate(lines, start=1):
        body.append(f"{i}. ", "bold")
        body.append(line + "\n")
    body.append("\nA computer player (information-set Monte Carlo tree search) played each "
                "option out in worlds drawn from what your team knows, never from what it "
                "cannot see. A hint, not an order.", "italic")
    return MessageDialog(f"Coach for {team}: what a computer player would order", body)


def events_dialog(events: Sequence[tuple[str, str]]) -> MessageDialog:
    """The turn's events and injects, (name, text) each, in one pop-up for the room."""
    body = Text()
    for i, (name, text) in enumerate(events):
        if i:
            body.append("\n\n")
        body.append(f"⚑ {name}\n", "bold")
        body.append(text.strip())
    title = "EVENT" if len(events) == 1 else f"{len(events)} EVENTS"
    return MessageDialog(title, body, label="Continue")


class ConfirmDialog(Dialog):
    """A yes/no question; returns 'yes' or None."""

    BINDINGS = [Binding("escape", "cancel", "No"), Binding("n", "cancel", "No"),
                Binding("y", "yes", "Yes")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="title")
            with Horizontal(id="buttons"):
                yield Button("Yes (y)", id="yes", variant="primary", compact=True)
                yield Button("No (n)", id="no", compact=True)
        yield Footer()

    def action_yes(self) -> None:
        self.dismiss("yes")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss("yes" if event.button.id == "yes" else None)


class PromptDialog(FormDialog):
    """Ask for one line of text (a file path, a reason); Enter accepts."""

    def __init__(self, title: str, label: str, value: str = "", *,
                 required: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.value = value
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="title")
            yield field(self.label, Input(self.value, id="answer", compact=True))
            yield Label("", id="error", classes="error")
            with Horizontal(id="buttons"):
                yield Button("OK ⏎", id="ok", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)
        yield Footer()

    def _accept(self) -> None:
        answer = self.query_one("#answer", Input).value.strip()
        if self.required and not answer:
            self.show_error("Please write something first.")
            return
        self.dismiss(answer)
