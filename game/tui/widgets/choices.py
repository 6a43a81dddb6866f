"""A one-of-several choice that reads without colour: ``◉`` marks the choice, ``○`` the rest.

↑/↓ (or a click) choose at once; Enter posts :class:`Choices.Accepted` so a dialog can submit.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import OptionList


class Choices(OptionList):
    """Pick one label; the highlighted option is the choice."""

    DEFAULT_CSS = """
    Choices { height: auto; max-height: 8; border: none; padding: 0; }
    Choices:focus { border: none; }
    """

    class Accepted(Message):
        """Enter (or a click) on the group."""

    def __init__(self, *labels: str, selected: int = 0, id: str | None = None) -> None:
        self.labels = list(labels)
        self._chosen = selected
        super().__init__(*self._prompts(), id=id)

    def _prompts(self) -> list[str]:
        return [("◉ " if i == self._chosen else "○ ") + label
                for i, label in enumerate(self.labels)]

    def on_mount(self) -> None:
        self.highlighted = self._chosen

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index == self._chosen:
            return
        self._chosen = event.option_index
        for i, prompt in enumerate(self._prompts()):
            self.replace_option_prompt_at_index(i, prompt)
        self.post_message(self.Changed())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Accepted())

    class Changed(Message):
        """The choice changed."""

    @property
    def index(self) -> int:
        """The chosen index."""
        return self._chosen
