"""F7 — the billing period: status, the month's calculation with a progress bar, closing."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, ProgressBar, Static

from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.dialogs import ConfirmDialog
from sbyt.console.widgets.format import month
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.core import console_reads as view
from sbyt.core.periods import period_label, period_title


class PeriodScreen(ConsoleScreen):
    TITLE = "Расчётный период"
    HELP = """
Открытый месяц и история периодов. C — рассчитать открытый месяц (можно повторять:
черновые начисления заменяются), ход расчёта — на полосе прогресса.
Z — закрыть месяц после подтверждения: начисления проводятся, месяц замораживается,
открывается следующий. Изменения в закрытом месяце невозможны.
"""
    BINDINGS = [
        Binding("c,с", "calc", "Рассчитать", id="period.calc"),
        Binding("z,я", "close_month", "Закрыть месяц", id="period.close"),
        Binding("ctrl+r", "refresh", "Обновить", id="period.refresh"),
    ]

    class PeriodsLoaded(Message):
        def __init__(self, rows: list[tuple]) -> None:
            super().__init__()
            self.rows = rows

    class CalculationFinished(Message):
        def __init__(self, summary: str) -> None:
            super().__init__()
            self.summary = summary

    class PeriodClosed(Message):
        def __init__(self, period: int) -> None:
            super().__init__()
            self.period = period

    def compose(self) -> ComposeResult:
        yield NavBar("period", id="nav")
        with Vertical():
            yield Static("", id="period-status")
            yield ProgressBar(total=100, show_eta=False, id="period-progress")
            yield Static("", id="period-stage", markup=False)
            yield DataTable(id="period-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#period-table", DataTable).add_columns(
            "Период", "Состояние", "Открыт", "Рассчитан", "Закрыт", "Кем")
        self.action_refresh()

    def open_period(self) -> int | None:
        rows = [r for r in getattr(self, "_rows", []) if r[1] == "open"]
        return int(rows[0][0]) if rows else None

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="period-load", exit_on_error=False)
    def load(self) -> None:
        rows = self.app.call(view.periods)
        self.post_message(self.PeriodsLoaded(rows))

    def on_period_screen_periods_loaded(self, event: PeriodsLoaded) -> None:
        self._rows = event.rows
        table = self.query_one("#period-table", DataTable)
        table.clear()
        ts = lambda v: "" if v is None else v.strftime("%d.%m.%Y %H:%M")  # noqa: E731
        for p, status, opened, calc_at, closed, by in event.rows:
            table.add_row(month(p), "открыт" if status == "open" else "закрыт", ts(opened), ts(calc_at), ts(closed), by)
        op = self.open_period()
        self.query_one("#period-status", Static).update(
            f"Открытый период: {period_title(op)} ({period_label(op)})" if op else "Открытого периода нет")

    def _progress(self, stage: str, fraction: float) -> None:
        def show() -> None:
            self.query_one(ProgressBar).update(progress=round(fraction * 100))
            self.query_one("#period-stage", Static).update(stage)
        self.app.call_from_thread(show)

    def action_calc(self) -> None:
        op = self.open_period()
        if op is None:
            self.app.show_error("Нет открытого периода.")
            return
        self.query_one(ProgressBar).update(progress=0)
        self.calc(op)

    @work(thread=True, exclusive=True, group="period-run", exit_on_error=False)
    def calc(self, period: int) -> None:
        from sbyt.console.services import calculate_month

        self.app.call(calculate_month, period, self._progress)
        self.post_message(self.CalculationFinished(f"Расчёт {period_label(period)} выполнен"))

    def on_period_screen_calculation_finished(self, event: CalculationFinished) -> None:
        self.query_one(ProgressBar).update(progress=100)
        self.notify(event.summary)
        self.load()

    def action_close_month(self) -> None:
        op = self.open_period()
        if op is None:
            self.app.show_error("Нет открытого периода.")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.close_month(op)

        self.app.push_screen(ConfirmDialog(
            f"Закрыть {period_title(op)}? Начисления будут проведены, месяц станет неизменяемым, "
            "откроется следующий."), answered)

    @work(thread=True, exclusive=True, group="period-run", exit_on_error=False)
    def close_month(self, period: int) -> None:
        from sbyt.calc.close import close_period

        self.app.call(close_period, period)
        self.post_message(self.PeriodClosed(period))

    def on_period_screen_period_closed(self, event: PeriodClosed) -> None:
        self.notify(f"Период {period_label(event.period)} закрыт")
        self.load()
