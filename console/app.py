"""The operator console: `sbyt console` (Textual, Russian, keyboard-first, 80×24 and up).

One screen per module (`sbyt.console.screens`), switched as modes by F2…F8 so each keeps its
state; the account card is pushed over the search. Blocking work runs in thread workers that
post typed messages; any worker failure reaches `on_worker_state_changed` here and becomes an
error dialog (a service's Russian message, never a traceback). Workers reach the store only
through `call(service, *args)` (`sbyt.console.services`), which runs the service on the file or,
when `sbyt serve` owns the store, on the server (`sbyt.console.backend`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from sbyt.console.backend import Backend, LocalBackend
from sbyt.console.widgets.dialogs import ErrorDialog
from sbyt.console.widgets.help_screen import HelpScreen
from sbyt.core import clock
from sbyt.core.errors import SbytError
from sbyt.core.store import Store, open_store


class SbytConsole(App[None]):
    TITLE = "sbyt — биллинг"
    CSS_PATH = "sbyt.tcss"
    ENABLE_COMMAND_PALETTE = False

    BINDINGS = [
        Binding("f1", "help", "Справка", show=False, id="app.help"),
        Binding("f2", "switch_mode('search')", "Поиск", show=False, id="app.search"),
        Binding("f3", "switch_mode('round')", "Обход", show=False, id="app.round"),
        Binding("f4", "switch_mode('payments')", "Оплаты", show=False, id="app.payments"),
        Binding("f5", "switch_mode('debtors')", "Должники", show=False, id="app.debtors"),
        Binding("f6", "switch_mode('reports')", "Отчёты", show=False, id="app.reports"),
        Binding("f7", "switch_mode('period')", "Период", show=False, id="app.period"),
        Binding("f8", "switch_mode('legal')", "Юрлица", show=False, id="app.legal"),
        Binding("ctrl+q,f10", "quit", "Выход", show=False, id="app.quit", priority=True),
    ]

    def __init__(self, db: str | Path | None = None, *, store: Store | None = None, backend: Backend | None = None,
                 strict: bool = False, today: date | None = None) -> None:
        """`backend`: where the services run (default: the file `db`, or `store`, opened here).
        `strict`: an unexpected exception in a handler still stops the app (tests); otherwise it
        is shown in the error dialog like a service error and the operator carries on."""
        super().__init__()
        self.strict = strict
        self.today = today or clock.today()  # «today» for overdue days, default dates, payment days (fixed in tests)
        self.errors: list[str] = []
        self.backend = backend or LocalBackend(store or open_store(db, create=False))
        self.search_index_ready = False
        from sbyt.console.screens.debtors import DebtorsScreen
        from sbyt.console.screens.legal_search import LegalSearchScreen
        from sbyt.console.screens.payments import PaymentsScreen
        from sbyt.console.screens.period import PeriodScreen
        from sbyt.console.screens.reports import ReportsScreen
        from sbyt.console.screens.round import RoundScreen
        from sbyt.console.screens.search import SearchScreen

        self._mode_screens = {"search": SearchScreen, "round": RoundScreen, "payments": PaymentsScreen,
                       "debtors": DebtorsScreen, "reports": ReportsScreen, "period": PeriodScreen,
                       "legal": LegalSearchScreen}

    # Modes are built here rather than in MODES so the screens' modules load after the store opens.
    def on_load(self) -> None:
        for name, screen in self._mode_screens.items():
            self.add_mode(name, screen)

    def on_mount(self) -> None:
        self.sub_title = self.backend.where
        self.switch_mode("search")

    def call(self, service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:   # noqa: ANN401
        """`service(store, *args, **kwargs)` (one of `sbyt.console.services.SERVICES`), from a worker thread."""
        return self.backend.call(service, *args, **kwargs)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def _handle_exception(self, error: Exception) -> None:
        """Errors raised in a handler (not a worker): a service's refusal is a dialog, not a crash."""
        if isinstance(error, SbytError) or not self.strict:
            self.show_error(error)
            return
        super()._handle_exception(error)

    def show_error(self, exc: BaseException | str) -> None:
        if isinstance(exc, SbytError):
            message = exc.message
        elif isinstance(exc, str):
            message = exc
        else:
            message = f"Непредвиденная ошибка: {type(exc).__name__}: {exc}"
        self.errors.append(message)
        self.push_screen(ErrorDialog(message))

    def worker_failed(self, event: Worker.StateChanged) -> None:
        """The one route of worker failures (screens forward theirs here): an error dialog."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_failed(event)

    def on_unmount(self) -> None:
        self.backend.close()


def run(db: str | Path | None = None) -> None:
    SbytConsole(db).run()
