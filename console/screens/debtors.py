"""F5 — «Работа с должниками»: filters, the debtor list (a page at a time), an account expanded into
its unpaid months, marks, ЕПД of the marked, export to XLSX."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Footer, Input, Select, Static

from sbyt.console.cli import files
from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.widgets.dialogs import PromptDialog
from sbyt.console.widgets.format import money, month
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.paged_table import PagedTable
from sbyt.core.debtors import Debtor, DebtorFilter, DebtPeriod, debt_periods, export_xlsx, find_debtors
from sbyt.core.labels import label
from sbyt.core.money import kop


COLUMNS = ("✓", "Лицевой счёт", "Абонент", "Долг, ₽", "Пени, ₽", "Дней", "Период", "Адрес")


@dataclass
class Item:
    debtor: Debtor
    period: DebtPeriod | None = None     # a month row under an expanded debtor
    marked: bool = False
    expanded: bool = False


class DebtorsScreen(ConsoleScreen):
    TITLE = "Работа с должниками"
    HELP = """
Отборы: район, населённый пункт, улица, дом, услуга, неоплаченных периодов (≥),
задолженность (≥, руб.), исключать отключённых. Ctrl+R (или кнопка) — применить.
В списке: Enter — раскрыть/свернуть счёт по периодам, Пробел — отметить,
Ctrl+A — отметить всех, P — ЕПД отмеченных в PDF, X — выгрузить список в XLSX.
[ и ] — страницы списка. Долг периода — начисления минус распределённые оплаты;
просрочка — со дня после срока оплаты (датированное правило due_day.household).
"""
    BINDINGS = [
        Binding("ctrl+r", "apply", "Применить", id="debtors.apply"),
        Binding("space", "mark", "Отметить", id="debtors.mark"),
        Binding("ctrl+a", "mark_all", "Все", id="debtors.mark_all"),
        Binding("p,з", "print_epd", "ЕПД", id="debtors.print"),
        Binding("x,ч", "export", "XLSX", id="debtors.export"),
    ]

    class DebtorsFound(Message):
        def __init__(self, debtors: list[Debtor]) -> None:
            super().__init__()
            self.debtors = debtors

    class PeriodsFound(Message):
        def __init__(self, account_id: int, periods: list[DebtPeriod]) -> None:
            super().__init__()
            self.account_id = account_id
            self.periods = periods

    class PickersLoaded(Message):
        def __init__(self, target: str, options: list[tuple[int, str]]) -> None:
            super().__init__()
            self.target = target
            self.options = options

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Item] = []

    def compose(self) -> ComposeResult:
        yield NavBar("debtors", id="nav")
        with Vertical(id="debtors-body"):
            with Horizontal(classes="form-row"):
                yield Select([], prompt="Район", id="f-district", compact=True)
                yield Select([], prompt="Нас. пункт", id="f-settlement", compact=True)
                yield Select([], prompt="Улица", id="f-street", compact=True)
                yield Select([], prompt="Дом", id="f-building", compact=True)
            with Horizontal(classes="form-row"):
                yield Select([(label("service", k), k) for k in ("electricity", "odn")], prompt="Услуга", id="f-service", compact=True)
                yield Input("1", placeholder="Периодов ≥", id="f-periods", classes="short", compact=True)
                yield Input("", placeholder="Долг ≥, ₽", id="f-debt", compact=True)
                yield Checkbox("Без отключённых", id="f-disconnected", compact=True)
                yield Button("Применить", id="f-apply", variant="primary", compact=True)
            yield PagedTable(id="debtors-table", page_size=100)
            yield Static("", id="debtors-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(PagedTable).show(COLUMNS, [])
        self.load_pickers("f-district", None)

    # -- pickers -----------------------------------------------------------------------------------
    @work(thread=True, group="debtors-pickers", exit_on_error=False)
    def load_pickers(self, target: str, parent: int | None) -> None:
        from sbyt.console.services import place_options

        opts = self.app.call(place_options, target.removeprefix("f-"), parent)
        self.post_message(self.PickersLoaded(target, opts))

    def on_debtors_screen_pickers_loaded(self, event: PickersLoaded) -> None:
        self.query_one(f"#{event.target}", Select).set_options([(label, i) for i, label in event.options])

    def on_select_changed(self, event: Select.Changed) -> None:
        chain = {"f-district": "f-settlement", "f-settlement": "f-street", "f-street": "f-building"}
        nxt = chain.get(event.select.id or "")
        if nxt and event.value is not Select.NULL:
            self.load_pickers(nxt, int(event.value))

    def _sel(self, wid: str) -> int | str | None:
        v = self.query_one(f"#{wid}", Select).value
        return None if v is Select.NULL else v

    def current_filter(self) -> DebtorFilter:
        periods_text = self.query_one("#f-periods", Input).value.strip() or "1"
        debt_text = self.query_one("#f-debt", Input).value.strip() or "0,01"
        if not periods_text.isdigit():
            raise ValueError(f"неоплаченных периодов — целое число, а не «{periods_text}»")
        try:
            min_debt = kop(debt_text)
        except ValueError as exc:
            raise ValueError(f"задолженность: {exc}") from None
        sv = lambda k: None if self._sel(k) is None else int(self._sel(k))  # noqa: E731
        return DebtorFilter(district_id=sv("f-district"), settlement_id=sv("f-settlement"),
                            street_id=sv("f-street"), building_id=sv("f-building"),
                            service=self._sel("f-service"), min_periods=max(1, int(periods_text)),
                            min_debt_kop=max(1, min_debt),
                            exclude_disconnected=self.query_one("#f-disconnected", Checkbox).value)

    # -- the list ----------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "f-apply":
            self.action_apply()

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        try:
            flt = self.current_filter()
        except ValueError as exc:
            self.app.show_error(f"Отбор: {exc}")
            return
        self.query_one("#debtors-status", Static).update("Отбор…")
        self.select(flt)

    @work(thread=True, exclusive=True, group="debtors", exit_on_error=False)
    def select(self, flt: DebtorFilter) -> None:
        found = self.app.call(find_debtors, flt, self.app.today)
        self.post_message(self.DebtorsFound(found))

    def on_debtors_screen_debtors_found(self, event: DebtorsFound) -> None:
        self.items = [Item(d) for d in event.debtors]
        self._show(reset=True)
        total = sum(d.debt_kop for d in event.debtors)
        self.query_one("#debtors-status", Static).update(
            f"Должников: {len(event.debtors)} · долг {money(total)} ₽")
        if self.items:
            self.query_one(PagedTable).focus()

    def _row(self, it: Item) -> tuple:
        if it.period is not None:
            p = it.period
            return ("", "", "", money(p.debt_kop), money(p.penalty_kop) if p.penalty_kop else "",
                    str(max(p.days_overdue, 0)), month(p.for_period), "")
        d = it.debtor
        sign = "−" if it.expanded else "+"
        return ("✓" if it.marked else " ", f"{sign} {d.number}", d.holder_name, money(d.debt_kop),
                money(d.penalty_kop), str(d.days_overdue), f"с {month(d.oldest_period)} ({d.unpaid_periods})", d.address)

    def _show(self, reset: bool = False) -> None:
        table = self.query_one(PagedTable)
        if reset:
            table.show(COLUMNS, self.items, fmt=self._row)
        else:
            table.refill(self.items)

    def _current(self) -> Item | None:
        return self.query_one(PagedTable).current_row()  # type: ignore[return-value]

    def on_data_table_row_selected(self, _event) -> None:  # noqa: ANN001
        it = self._current()
        if it is None or it.period is not None:
            return
        if it.expanded:
            idx = self.items.index(it)
            end = idx + 1
            while end < len(self.items) and self.items[end].period is not None:
                end += 1
            del self.items[idx + 1:end]
            it.expanded = False
            self._show()
        else:
            self.expand(it.debtor.account_id)

    @work(thread=True, group="debtors-expand", exit_on_error=False)
    def expand(self, account_id: int) -> None:
        ps = self.app.call(debt_periods, [account_id], self.app.today)
        self.post_message(self.PeriodsFound(account_id, ps))

    def on_debtors_screen_periods_found(self, event: PeriodsFound) -> None:
        for idx, it in enumerate(self.items):
            if it.period is None and it.debtor.account_id == event.account_id and not it.expanded:
                it.expanded = True
                self.items[idx + 1:idx + 1] = [Item(it.debtor, p) for p in event.periods]
                self._show()
                return

    def action_mark(self) -> None:
        it = self._current()
        if it is None or it.period is not None:
            return
        it.marked = not it.marked
        table = self.query_one(PagedTable)
        table.refill(self.items)
        if table.cursor_row + 1 < table.row_count:
            table.move_cursor(row=table.cursor_row + 1)

    def action_mark_all(self) -> None:
        heads = [it for it in self.items if it.period is None]
        state = not all(it.marked for it in heads)
        for it in heads:
            it.marked = state
        self._show()

    def marked(self) -> list[Debtor]:
        return [it.debtor for it in self.items if it.period is None and it.marked]

    # -- ЕПД and export ----------------------------------------------------------------------------
    def action_print_epd(self) -> None:
        chosen = self.marked() or ([self._current().debtor] if self._current() else [])
        if not chosen:
            self.app.show_error("Отметьте должников (Пробел).")
            return
        self.app.push_screen(PromptDialog(f"ЕПД {len(chosen)} счетов: файл PDF",
                                          value=str(Path.cwd() / "epd_debtors.pdf")),
                             lambda p: p and self.print_epd([d.account_id for d in chosen], Path(p)))

    @work(thread=True, exclusive=True, group="debtors-epd", exit_on_error=False)
    def print_epd(self, ids: list[int], out: Path) -> None:
        from sbyt.console.services import epd_pdf

        pdf, pages = self.app.call(epd_pdf, ids, out.name)
        files.write(out, pdf)                   # the operator's file, on the operator's side
        self.app.call_from_thread(self.notify, f"ЕПД: {out} ({pages} стр.)")

    def action_export(self) -> None:
        debtors = [it.debtor for it in self.items if it.period is None]
        if not debtors:
            self.app.show_error("Список пуст: сначала примените отбор (Ctrl+R).")
            return
        self.app.push_screen(PromptDialog("Выгрузка в XLSX: файл", value=str(Path.cwd() / "debtors.xlsx")),
                             lambda p: p and self.export(debtors, Path(p)))

    @work(thread=True, exclusive=True, group="debtors-export", exit_on_error=False)
    def export(self, debtors: list[Debtor], out: Path) -> None:
        export_xlsx(debtors, out)
        self.app.call_from_thread(self.notify, f"Список выгружен: {out} ({len(debtors)} строк)")
