"""The account card: header, tabs (services and meters, readings, accruals with explanation,
payments, penalties, consumption) and actions (add a reading, manual recalculation, ЕПД)."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from sbyt.console.cli import files
from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.account_header import AccountHeaderView
from sbyt.console.widgets.consumption_chart import ConsumptionChart
from sbyt.console.widgets.dialogs import PromptDialog
from sbyt.console.widgets.format import day, kwh, money, month, price
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.reading_dialog import ReadingDialog, ReadingEntry
from sbyt.console.widgets.tables import fill as fill_table
from sbyt.core import console_reads as view
from sbyt.core.console_reads import CardData, load_card
from sbyt.core.labels import label
from sbyt.core.money import kop, rub


class CardScreen(ConsoleScreen):
    TITLE = "Карточка лицевого счёта"
    HELP = """
Шапка: номер, абонент, адрес, площадь, проживающие, тарифная группа, сальдо и срок
просрочки. Вкладки переключаются стрелками влево/вправо на заголовке или клавишами 1–7;
«История изменений» — кто, когда и какой командой менял данные счёта.
На вкладке «Начисления» под таблицей — расшифровка выбранной строки.
Действия: A — ввести показание (с контролем перед записью), R — ручной перерасчёт,
P — печать ЕПД в PDF. Русская раскладка: Ф, К, З. Esc — назад к поиску.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад", id="card.back"),
        Binding("a,ф", "add_reading", "Показание", id="card.add_reading"),
        Binding("r,к", "recalc", "Перерасчёт", id="card.recalc"),
        Binding("p,з", "print_epd", "ЕПД", id="card.print_epd"),
        Binding("1", "tab('tab-meters')", "ПУ", show=False, id="card.tab1"),
        Binding("2", "tab('tab-readings')", "Показания", show=False, id="card.tab2"),
        Binding("3", "tab('tab-accruals')", "Начисления", show=False, id="card.tab3"),
        Binding("4", "tab('tab-payments')", "Оплаты", show=False, id="card.tab4"),
        Binding("5", "tab('tab-penalties')", "Пени", show=False, id="card.tab5"),
        Binding("6", "tab('tab-chart')", "График", show=False, id="card.tab6"),
        Binding("7", "tab('tab-history')", "История", show=False, id="card.tab7"),
    ]

    class CardLoaded(Message):
        def __init__(self, data: CardData) -> None:
            super().__init__()
            self.data = data

    class ReadingSaved(Message):
        def __init__(self, summary: str) -> None:
            super().__init__()
            self.summary = summary

    class LineExplained(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, account_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.data: CardData | None = None
        self._pending: CardData | None = None
        self._ready = False
        self._requested: int | None = None

    def open(self, account_id: int) -> None:
        """Show another account in this (installed, reused) card: composing the card's tabs and
        tables costs more than loading an account, so the screen is built once per session; the
        first time, the account loads while the screen is being built."""
        self.account_id = account_id
        self.data = None
        if self._ready:
            self.query_one(AccountHeaderView).update("Загрузка…")
            self.query_one("#explain", Static).update("")
        self.load()

    def compose(self) -> ComposeResult:
        yield NavBar("search", id="nav")
        yield AccountHeaderView("Загрузка…", id="card-header")
        with TabbedContent(id="card-tabs"):
            with TabPane("ПУ", id="tab-meters"):
                yield DataTable(id="meters", cursor_type="row")
            with TabPane("Показания", id="tab-readings"):
                yield DataTable(id="readings", cursor_type="row", zebra_stripes=True)
            with TabPane("Начисления", id="tab-accruals"):
                yield DataTable(id="accruals", cursor_type="row", zebra_stripes=True)
                yield Static("", id="explain", markup=False)
            with TabPane("Оплаты", id="tab-payments"):
                yield DataTable(id="payments", cursor_type="row", zebra_stripes=True)
            with TabPane("Пени", id="tab-penalties"):
                yield DataTable(id="penalties", cursor_type="row", zebra_stripes=True)
            with TabPane("Потребление", id="tab-chart"):
                yield ConsumptionChart(id="chart")
            with TabPane("История изменений", id="tab-history"):
                yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    COLUMNS = {
        "meters": ("Услуга", "Подача", "ПУ", "Зав. №", "Зон", "Коэф.", "Установлен", "Поверка", "След. поверка", "Пломбы"),
        "readings": ("Дата", "ПУ", "Зона", "Показание", "Статус", "Причина", "Источник"),
        "accruals": ("Период", "За", "Услуга", "Способ", "Объём, кВт·ч", "Тариф", "Сумма, ₽", "Статус"),
        "payments": ("Дата", "Период", "За", "Услуга", "Вид", "Сумма, ₽", "Пачка", "Примечание"),
        "penalties": ("Дата", "Период", "За", "Сумма, ₽", "Примечание"),
        "history": ("Когда", "Пользователь", "Команда", "Действие", "Объект", "Было", "Стало"),
    }

    def on_mount(self) -> None:
        for tid, names in self.COLUMNS.items():
            self.query_one(f"#{tid}", DataTable).add_columns(*names)
        self._ready = True
        if self._pending is not None:
            self._show(self._pending)
        elif self.account_id is not None and self._requested != self.account_id:
            self.load()  # built with an account and pushed directly, not through open()

    def load(self) -> None:
        """Fetch the account in a thread worker owned by the app (so it can run before this screen
        is mounted); failures reach the app's error dialog."""
        account_id = self._requested = self.account_id
        if account_id is None:
            return

        def fetch() -> None:
            data = self.app.call(load_card, account_id, self.app.today)
            self.app.call_from_thread(self._arrived, data)

        self.app.run_worker(fetch, thread=True, exclusive=True, group="card", exit_on_error=False)

    def _arrived(self, data: CardData) -> None:
        if data.header.account_id != self.account_id:
            return  # an earlier account's data arriving late
        if self._ready:
            self._show(data)
        else:
            self._pending = data

    def _show(self, data: CardData) -> None:
        self._pending = None
        self.post_message(self.CardLoaded(data))

    def on_card_screen_card_loaded(self, event: CardLoaded) -> None:
        if event.data.header.account_id != self.account_id:
            return  # an earlier account's data arriving late
        d = self.data = event.data
        self.query_one(AccountHeaderView).show(d.header)
        self.sub_title = f"{d.header.number} {d.header.holder_name}"

        def fill(tid: str, rows: list[tuple]) -> None:
            fill_table(self.query_one(f"#{tid}", DataTable), self.COLUMNS[tid], rows)

        fill("meters", [(label("service", m.service), label("supply_state", m.supply), m.model, m.serial,
                         str(m.zones), str(m.ratio), day(m.installed), day(m.verified), day(m.next_verification),
                         m.seals) for m in d.meters])
        fill("readings", [(day(r.read_on), r.serial, str(r.zone), str(r.value), label("reading_status", r.status),
                           r.reason, label("reading_source", r.source)) for r in d.readings])
        fill("accruals", [(month(a.period), month(a.for_period), label("service", a.service),
                           label("accrual_method", a.method), kwh(a.volume_wh), price(a.price), money(a.amount_kop),
                           label("accrual_status", a.status)) for a in d.accruals])
        fill("payments", [(day(p.op_date), month(p.period), month(p.for_period), label("service", p.service),
                           label("posting_kind", p.kind), money(p.amount_kop), str(p.batch_id or ""), p.note)
                          for p in d.payments])
        fill("penalties", [(day(p.op_date), month(p.period), month(p.for_period), money(p.amount_kop), p.note)
                           for p in d.penalties])
        self.query_one(ConsumptionChart).show(d.consumption)
        fill("history", [(f"{h[1]:%d.%m.%Y %H:%M:%S}", h[2], h[3], label("audit_action", h[4]), h[5], h[7], h[8])
                         for h in d.history])

    # -- explanation of the highlighted accrual line ---------------------------------------------
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "accruals" or self.data is None or event.row_key.value is None:
            return
        line = self.data.accruals[int(event.row_key.value)]
        self.explain(line)

    @work(thread=True, exclusive=True, group="explain", exit_on_error=False)
    def explain(self, line: view.AccrualRow) -> None:
        """The engine's explanation (its formatter registry) of the month the line was calculated in."""
        from sbyt.console.services import explanation

        text = self.app.call(explanation, self.data.header.number, line.period)
        self.post_message(self.LineExplained(text))

    def on_card_screen_line_explained(self, event: LineExplained) -> None:
        self.query_one("#explain", Static).update(event.text)

    # -- actions ---------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_add_reading(self) -> None:
        if self.data is None:
            return
        from sbyt.core.readings import default_day

        day = self.app.call(default_day, self.app.today)
        self.app.push_screen(ReadingDialog(self.data.meters, day), self._reading_entered)

    def _reading_entered(self, entry: ReadingEntry | None) -> None:
        if entry is not None:
            self.save_reading(entry)

    @work(thread=True, exclusive=True, group="card-write", exit_on_error=False)
    def save_reading(self, entry: ReadingEntry) -> None:
        from sbyt.console.screens.readings_service import save

        result = self.app.call(save, [entry], source="operator")[0]
        self.post_message(self.ReadingSaved(f"Показание {entry.value} записано. {result}"))

    def on_card_screen_reading_saved(self, event: ReadingSaved) -> None:
        self.notify(event.summary)
        self.load()

    def action_recalc(self) -> None:
        self.app.push_screen(PromptDialog("Ручной перерасчёт: сумма в рублях (минус — уменьшение) и причина через «;»",
                                          placeholder="-150,00; ошибка в показании"), self._recalc_entered)

    def _recalc_entered(self, text: str | None) -> None:
        if not text:
            return
        amount, _, reason = text.partition(";")
        try:
            amount_kop = kop(amount)
        except ValueError as exc:
            self.app.show_error(f"Сумма перерасчёта: {exc}")
            return
        if not reason.strip():
            self.app.show_error("Укажите причину перерасчёта после «;».")
            return
        self.recalc(amount_kop, reason.strip())

    @work(thread=True, exclusive=True, group="card-write", exit_on_error=False)
    def recalc(self, amount_kop: int, reason: str) -> None:
        from sbyt.calc.recalc import add_manual

        self.app.call(add_manual, self.data.header.number, amount=rub(amount_kop), reason=reason)
        self.post_message(self.ReadingSaved(f"Перерасчёт {money(amount_kop)} ₽ записан"))

    def action_print_epd(self) -> None:
        if self.data is None:
            return
        default = str(Path.cwd() / f"epd_{self.data.header.number}.pdf")
        self.app.push_screen(PromptDialog("Печать ЕПД: файл PDF", value=default), self._epd_path)

    def _epd_path(self, path: str | None) -> None:
        if path:
            self.print_epd(Path(path))

    @work(thread=True, exclusive=True, group="card-epd", exit_on_error=False)
    def print_epd(self, out: Path) -> None:
        from sbyt.console.services import epd_pdf

        pdf, pages = self.app.call(epd_pdf, [self.account_id], out.name)
        files.write(out, pdf)                   # the operator's file, on the operator's side
        self.app.call_from_thread(self.notify, f"ЕПД: {out} ({pages} стр.)")
