"""F4 — payments: import a file (picked in a directory tree), the batch result and the recent
batches; the unidentified queue (find the account, match)."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.dialogs import PromptDialog
from sbyt.console.widgets.file_picker import FilePickerDialog
from sbyt.console.widgets.format import day, money
from sbyt.console.widgets.nav_bar import NavBar


class PaymentsScreen(ConsoleScreen):
    TITLE = "Оплаты"
    HELP = """
O — загрузить файл платежей (выписка 1С, выписка Excel, реестр агента, ГИС ЖКХ):
выберите файл в дереве каталогов или введите путь. Загрузка — всё или ничего,
тот же файл повторно не принимается. Итог пачки — над списком последних пачек.
Вкладка «Неопознанные»: M — найти лицевой счёт (номер, ФИО или адрес) и разнести
выбранный платёж на него.
"""
    BINDINGS = [
        Binding("o,щ", "import_file", "Загрузить файл", id="payments.import"),
        Binding("m,ь", "match", "Разнести", id="payments.match"),
        Binding("ctrl+r", "refresh", "Обновить", id="payments.refresh"),
    ]

    class PaymentsImported(Message):
        def __init__(self, summary: str) -> None:
            super().__init__()
            self.summary = summary

    class QueueLoaded(Message):
        def __init__(self, batches: list[tuple], queue: list[tuple]) -> None:
            super().__init__()
            self.batches = batches
            self.queue = queue

    class PaymentMatched(Message):
        def __init__(self, payment_id: int, number: str) -> None:
            super().__init__()
            self.payment_id = payment_id
            self.number = number

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[tuple] = []

    def compose(self) -> ComposeResult:
        yield NavBar("payments", id="nav")
        with TabbedContent(id="payments-tabs"):
            with TabPane("Загрузка", id="tab-import"):
                yield Static("O — выбрать файл платежей", id="import-result", markup=False)
                yield DataTable(id="batches", cursor_type="row", zebra_stripes=True)
            with TabPane("Неопознанные", id="tab-unidentified"):
                yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#batches", DataTable).add_columns("Пачка", "Загружена", "Файл", "Строк", "Сумма, ₽", "Кто", "Итог")
        self.query_one("#queue", DataTable).add_columns("№", "Дата", "Сумма, ₽", "Источник", "Плательщик", "ИНН",
                                                        "Счёт в файле", "Назначение")
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="payments-load", exit_on_error=False)
    def load(self) -> None:
        from sbyt.console.services import payments_queue

        batches, queue = self.app.call(payments_queue)
        self.post_message(self.QueueLoaded(batches, queue))

    def on_payments_screen_queue_loaded(self, event: QueueLoaded) -> None:
        t = self.query_one("#batches", DataTable)
        t.clear()
        for bid, at, name, rows, total, by, note in event.batches:
            t.add_row(str(bid), at.strftime("%d.%m.%Y %H:%M"), name, str(rows), money(total), by, note)
        self.queue = event.queue
        q = self.query_one("#queue", DataTable)
        q.clear()
        for r in event.queue:
            q.add_row(str(r[0]), day(r[1]), money(r[2]), r[3], r[4], r[5], r[6], r[7], key=str(r[0]))
        self.query_one("#payments-tabs", TabbedContent).get_tab("tab-unidentified").label = \
            f"Неопознанные ({len(event.queue)})"

    # -- import ----------------------------------------------------------------------------------
    def action_import_file(self) -> None:
        self.app.push_screen(FilePickerDialog(title="Файл платежей"), self._picked)

    def _picked(self, path: Path | None) -> None:
        if path is not None:
            self.query_one("#import-result", Static).update(f"Загрузка {path.name}…")
            self.import_path(path)

    @work(thread=True, exclusive=True, group="payments-import", exit_on_error=False)
    def import_path(self, path: Path) -> None:
        from sbyt.console.services import import_payment_file

        summary = self.app.call(import_payment_file, str(path), path.read_bytes(), self.app.today)
        self.post_message(self.PaymentsImported(summary))

    def on_payments_screen_payments_imported(self, event: PaymentsImported) -> None:
        self.query_one("#import-result", Static).update(event.summary)
        self.load()

    # -- the unidentified queue ------------------------------------------------------------------
    def action_match(self) -> None:
        q = self.query_one("#queue", DataTable)
        if not self.queue or q.cursor_row < 0:
            self.app.show_error("Очередь неопознанных платежей пуста.")
            return
        self.query_one("#payments-tabs", TabbedContent).active = "tab-unidentified"
        payment = self.queue[q.cursor_row]
        hint = payment[6] or payment[4]
        self.app.push_screen(
            PromptDialog(f"Платёж {payment[0]} на {money(payment[2])} ₽: лицевой счёт (номер, ФИО или адрес)", value=hint),
            lambda text: text and self.match(int(payment[0]), text))

    @work(thread=True, exclusive=True, group="payments-match", exit_on_error=False)
    def match(self, payment_id: int, text: str) -> None:
        from sbyt.console.services import match_found

        number = self.app.call(match_found, payment_id, text, self.app.search_index_ready)
        self.post_message(self.PaymentMatched(payment_id, number))

    def on_payments_screen_payment_matched(self, event: PaymentMatched) -> None:
        self.notify(f"Платёж {event.payment_id} разнесён на счёт {event.number}")
        self.load()
