"""The base of every console screen: worker failures go to the app's one error route.

Textual's `Worker.StateChanged` does not bubble, so each screen (and dialog running workers)
hands failed workers to `SbytConsole.worker_failed`, which shows the error dialog.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.worker import Worker


class ConsoleScreen(Screen):
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.worker_failed(event)
