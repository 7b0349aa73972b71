"""F1: the keys of the screen underneath (every binding with an id) and a word on what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static


def _key_label(key: str) -> str:
    names = {"right_square_bracket": "]", "left_square_bracket": "[", "escape": "Esc", "enter": "Enter",
             "space": "Пробел", "delete": "Del", "backspace": "Backspace", "tab": "Tab"}
    out = []
    for k in key.split(","):
        k = k.strip()
        out.append(names.get(k, k.upper() if k.startswith("f") and k[1:].isdigit() else k))
    return " / ".join(out)


def bindings_of(screen: Screen) -> list[tuple[str, str]]:
    """(keys, description) of the app's and the screen's bindings that carry an id."""
    seen: set[str] = set()
    rows: list[tuple[str, str]] = []
    for source in (screen, *screen.query("*"), screen.app):
        for b in getattr(source, "BINDINGS", []):
            if not isinstance(b, Binding) or not b.id or b.id in seen:
                continue
            seen.add(b.id)
            rows.append((_key_label(b.key), b.description))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Закрыть", id="help.close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        title = getattr(self.target, "TITLE", None) or "sbyt"
        text = getattr(self.target, "HELP", "") or ""
        width = max((len(k) for k, _ in bindings_of(self.target)), default=4)
        keys = "\n".join(f"{k:<{width}}  {d}" for k, d in bindings_of(self.target))
        with VerticalScroll(classes="dialog help"):
            yield Label(f"Справка: {title}", classes="dialog-title")
            yield Static(text.strip(), markup=False, id="help-text")
            yield Label("Клавиши", classes="dialog-title")
            yield Static(keys, markup=False, id="help-keys")
