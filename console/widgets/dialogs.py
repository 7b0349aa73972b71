"""Modal dialogs: an error, a confirmation, a line of text (a path, an account number)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class ErrorDialog(ModalScreen[None]):
    """A service error in Russian; Enter or Esc closes it. Never a traceback."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Закрыть", id="error.close")]

    def __init__(self, message: str, title: str = "Ошибка") -> None:
        super().__init__()
        self.message = message
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Button("Закрыть", id="error-close", variant="error", compact=True)

    def on_button_pressed(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; «Да» only by an explicit choice."""

    BINDINGS = [
        Binding("y,н", "answer(True)", "Да", id="confirm.yes"),
        Binding("n,т,escape", "answer(False)", "Нет", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, id="confirm-question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Да (Y)", id="yes", variant="warning", compact=True)
                yield Button("Нет (N)", id="no", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class PromptDialog(ModalScreen[str | None]):
    """One line of text: Enter returns it, Esc cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Отмена", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
