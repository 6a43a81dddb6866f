"""The umpire's dialogs: rule on an argument, override an outcome, adjust a track, decide an
inject, end the game early. Each returns the umpire's action in its text form
(``control: ...``), or None; ending the game submits its action itself (see
:class:`EndGameDialog`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from game import present as P
from game.engine.adjudication import BY_KIND
from game.engine.views import InjectView, OrderView, TrackView
from game.tui.screens.modals import Dialog, FormDialog, field
from game.tui.widgets.choices import Choices

STRENGTH_WORDS = {-2: "very weak", -1: "weak", 0: "fair", 1: "strong", 2: "very strong"}


def _reason_suffix(reason: str) -> str:
    return f" | {reason}" if reason else ""


class RulingDialog(FormDialog):
    """Rule on an order awaiting the umpire.

    A matrix argument gets a strength (-2 very weak … +2 very strong, added to 2d6 ≥ 7) or the
    teams' probability estimates (e.g. ``0.6/0.4``, averaged); an umpire-kind move gets an outcome.
    """

    DEFAULT_CSS = "RulingDialog Choices { height: auto; margin-bottom: 1; }"

    def __init__(self, order: OrderView, outcomes: Sequence[tuple[str, str]],
                 rationale: str | None) -> None:
        super().__init__()
        self.order = order
        self.outcomes = list(outcomes)
        """(id, name) of the outcomes the umpire may rule."""
        self.rationale = rationale

    @property
    def is_matrix(self) -> bool:
        return BY_KIND[self.order.adjudication].argued

    def compose(self) -> ComposeResult:
        o = self.order
        with Vertical(id="dialog"):
            yield Label(Text(f"Rule on {P.order_title(o)}"), id="title")
            if self.rationale:
                yield Static(Text.assemble(("Argument: ", "bold"), f"“{self.rationale}”"))
            if self.is_matrix:
                yield Label("Strength of the argument (added to 2d6, needs 7):")
                yield Choices(*(f"{k:+d} {w}" for k, w in STRENGTH_WORDS.items()),
                              selected=2, id="choice")
                yield Label("…or, instead of dice, the teams' probability estimates:")
                yield field("Estimates", Input(placeholder="e.g. 0.6/0.4 (empty: roll dice)",
                                               id="estimates", compact=True))
            else:
                yield Label("Outcome:")
                yield Choices(*(name for _, name in self.outcomes), id="choice")
            yield field("Reason (optional)", Input(id="reason", compact=True))
            yield Label("", id="error", classes="error")
            with Horizontal(id="buttons"):
                yield Button("Rule ⏎", id="ok", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#choice", Choices).focus()

    def _action(self) -> str | None:
        choice = self.query_one("#choice", Choices).index
        reason = self.query_one("#reason", Input).value.strip()
        head = f"control: rule order={self.order.ref}"
        if not self.is_matrix:
            return f"{head} outcome={self.outcomes[choice][0]}{_reason_suffix(reason)}"
        est = self.query_one("#estimates", Input).value.strip().replace(",", "/")
        est = "/".join(p for p in est.replace(" ", "/").split("/") if p)
        if est:
            return f"{head} estimates={est}{_reason_suffix(reason)}"
        strength = list(STRENGTH_WORDS)[choice]
        return f"{head} strength={strength}{_reason_suffix(reason)}"

    def _accept(self) -> None:
        self.dismiss(self._action())

    def on_choices_accepted(self) -> None:
        self._accept()


class _ReasonDialog(FormDialog):
    """A dialog whose action needs a reason (the record keeps it)."""

    def _reason(self) -> str | None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.show_error("A reason is required: it goes in the record.")
            return None
        return reason

    def _buttons(self, label: str) -> ComposeResult:
        yield field("Reason (required)", Input(id="reason", compact=True))
        yield Label("", id="error", classes="error")
        with Horizontal(id="buttons"):
            yield Button(f"{label} ⏎", id="ok", variant="primary", compact=True)
            yield Button("Cancel (Esc)", id="cancel", compact=True)

    def _action(self) -> str | None:
        raise NotImplementedError

    def _accept(self) -> None:
        action = self._action()
        if action is not None:
            self.dismiss(action)

    def on_choices_accepted(self) -> None:
        reason = self.query_one("#reason", Input)
        if reason.value.strip():
            self._accept()
        else:
            reason.focus()


class OverrideDialog(_ReasonDialog):
    """Replace a revealed order's outcome (before it is resolved)."""

    DEFAULT_CSS = "OverrideDialog Choices { height: auto; margin-bottom: 1; }"

    def __init__(self, order: OrderView, outcomes: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.order = order
        self.outcomes = list(outcomes)
        """(id, name) of the outcomes to choose from."""

    def compose(self) -> ComposeResult:
        o = self.order
        now = P.outcome_name(o) if o.outcome else "undecided"
        with Vertical(id="dialog"):
            yield Label(Text(f"Override {P.order_title(o)} (now: {now})"),
                        id="title")
            if o.roll:
                yield Label(Text(f"Roll: {P.roll_text(o.roll)}"))
            yield Choices(*(name for _, name in self.outcomes), id="choice")
            yield from self._buttons("Override")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#choice", Choices).focus()

    def _action(self) -> str | None:
        reason = self._reason()
        if reason is None:
            return None
        idx = self.query_one("#choice", Choices).index
        oid = self.outcomes[idx][0]
        return f"control: override order={self.order.ref} outcome={oid} | {reason}"


def editable(t: TrackView) -> str:
    """A track's value as the adjust field starts with it: at its precision, a flag as 0 or 1.

    >>> from game.session import Game
    >>> v = Game.new("kursk-2024", seed=1).view("control")
    >>> editable(v.track("dprk_casualties")), editable(v.track("acknowledged"))
    ('0.10', '0')
    """
    return P.number(t.value or 0.0, 0 if t.is_flag else t.precision)


class AdjustDialog(_ReasonDialog):
    """Set a track to a value by hand."""

    def __init__(self, track: TrackView) -> None:
        super().__init__()
        self.track = track

    def compose(self) -> ComposeResult:
        t = self.track
        with Vertical(id="dialog"):
            yield Label(Text(f"Adjust {t.name} ({P.now_and_span(t)})"),
                        id="title")
            yield field("New value", Input(editable(t), id="value", compact=True))
            yield from self._buttons("Adjust")
        yield Footer()

    def _action(self) -> str | None:
        raw = self.query_one("#value", Input).value.strip()
        try:
            value = float(raw)
        except ValueError:
            self.show_error(f"'{raw}' is not a number.")
            return None
        if not self.track.lo <= value <= self.track.hi:
            self.show_error(
                f"{self.track.name} runs from {P.span(self.track)}.")
            return None
        reason = self._reason()
        if reason is None:
            return None
        return f"control: adjust track={self.track.id} value={P.number(value, 6, trim=True)} | {reason}"


class InjectDialog(Dialog):
    """An inject waits for the umpire: release it now, hold it, or skip it."""

    BINDINGS = [Binding("escape", "cancel", "Later"), Binding("r", "decide('release')", "Release"),
                Binding("h", "decide('hold')", "Hold"), Binding("k", "decide('skip')", "Skip")]

    def __init__(self, inject: InjectView) -> None:
        super().__init__()
        self.inject = inject

    def compose(self) -> ComposeResult:
        i = self.inject
        with Vertical(id="dialog"):
            yield Label(Text(f"⚑ Inject waiting: {i.name} ({i.status})"), id="title")
            yield Static(i.text)
            with Horizontal(id="buttons"):
                yield Button("Release (r)", id="release", variant="primary", compact=True)
                if i.status == "pending":
                    yield Button("Hold (h)", id="hold", compact=True)
                yield Button("Skip (k)", id="skip", compact=True)
                yield Button("Later (Esc)", id="cancel", compact=True)
        yield Footer()

    def action_decide(self, verb: str) -> None:
        if verb == "hold" and self.inject.status != "pending":
            return
        self.dismiss(f"control: {verb} event={self.inject.event}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.action_decide(str(event.button.id))


def end_action(reason: str) -> str:
    """The umpire's action that ends the game now (the engine refuses it without a reason).

    >>> end_action("out of time"), end_action("")
    ('control: end | out of time', 'control: end')
    """
    return f"control: end{_reason_suffix(reason.strip())}"


class EndGameDialog(FormDialog):
    """End the game now (a seminar out of time): the end-of-game objectives are scored.

    The reason goes to the engine as typed, through ``attempt`` (which submits an action and
    returns the engine's refusal, or None), so an empty reason is refused with the engine's own
    message, shown here; the dialog closes with 'ended' only once the game is over."""

    def __init__(self, attempt: Callable[[str], str | None]) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("End the game now? The end-of-game objectives are scored.", id="title")
            yield field("Reason", Input(placeholder="why stop now? (required, goes in the record)",
                                        id="reason", compact=True))
            yield Label("", id="error", classes="error")
            with Horizontal(id="buttons"):
                yield Button("End the game ⏎", id="ok", variant="error", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)
        yield Footer()

    def _accept(self) -> None:
        refusal = self.attempt(end_action(self.query_one("#reason", Input).value))
        if refusal is not None:
            self.show_error(refusal)
            return
        self.dismiss("ended")
