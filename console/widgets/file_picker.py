"""A file picker: a DirectoryTree plus a path line (type a path or pick a file in the tree)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Label


class FilePickerDialog(ModalScreen[Path | None]):
    """Returns the chosen file, or None on Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "Отмена", id="picker.cancel"),
        Binding("backspace", "parent", "Вверх", id="picker.parent", show=False),
    ]

    def __init__(self, start: Path | None = None, title: str = "Выберите файл") -> None:
        super().__init__()
        self.start = (start or Path.cwd()).resolve()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.title_text, classes="dialog-title")
            yield DirectoryTree(self.start, id="picker-tree")
            yield Input(str(self.start) + "/", placeholder="Путь к файлу", id="picker-path", compact=True)

    def on_mount(self) -> None:
        self.query_one(DirectoryTree).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))

    def on_directory_tree_directory_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#picker-path", Input).value = str(event.path) + "/"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if path.is_dir():
            self.query_one(DirectoryTree).path = path
        elif path.is_file():
            self.dismiss(path)
        else:
            self.notify(f"Файл не найден: {path}", severity="error")

    def action_parent(self) -> None:
        tree = self.query_one(DirectoryTree)
        tree.path = Path(tree.path).parent

    def action_cancel(self) -> None:
        self.dismiss(None)
