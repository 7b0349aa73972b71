"""The top line: the console's sections and their keys (F2…F7, the current one highlighted), F1, Ctrl+Q.

The footer of an 80-column terminal has no room for both a screen's own keys and the section
keys, so the section keys live here and the footer shows the screen's keys plus F1 and Ctrl+Q.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


SECTIONS = [("F2", "Поиск", "search"), ("F3", "Обход", "round"), ("F4", "Оплаты", "payments"),
            ("F5", "Должники", "debtors"), ("F6", "Отчёты", "reports"), ("F7", "Период", "period"),
            ("F8", "Юрлица", "legal")]


class NavBar(Static):
    def __init__(self, current: str, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.current = current

    def on_mount(self) -> None:
        self._draw(self.app.size.width)

    def on_resize(self, event) -> None:  # noqa: ANN001 - textual.events.Resize
        self._draw(event.size.width)

    def _draw(self, width: int) -> None:
        """The full line, or without the words after F1 and ^Q when it is wider than the terminal
        (80 columns hold the sections' names but not those words too)."""
        full = sum(len(k) + len(title) + 2 for k, title, _ in SECTIONS) + len("F1 Справка ^Q Выход")
        short = full > width
        t = Text()
        for key, title, mode in SECTIONS:
            style = "bold reverse" if mode == self.current else ""
            t.append(f"{key}", style="bold " + ("reverse" if mode == self.current else "yellow"))
            t.append(f" {title}", style=style)
            t.append(" ")
        t.append("F1", style="bold yellow")
        t.append(" " if short else " Справка ")
        t.append("^Q", style="bold yellow")
        if not short:
            t.append(" Выход")
        self.update(t)
