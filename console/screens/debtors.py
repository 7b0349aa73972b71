"""F5 — «Работа с должниками» (docs/console.md, docs/collection.md): the workplace's tabs «Должники»
(the filters of the seed's workplace, households or legal entities, the list a page at a time, an
account expanded into its unpaid months, marks, «Начать претензионно-исковую работу» for the
marked, ЕПД of the marked, export to XLSX), «Задачи мне», «Задачи перенаправленные», «Документы к
согласованию», «Дела» (`sbyt.console.screens.collection`), and the case card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Footer, Input, Select, Static, TabbedContent, TabPane

from sbyt.console import services as sv
from sbyt.console.cli import files
from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.screens.collection import KIND_OPTIONS, ApprovalPane, CaseCardScreen, CasesPane, TasksPane
from sbyt.console.widgets.dialogs import ConfirmDialog, PromptDialog
from sbyt.console.widgets.format import day, money, month
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.paged_table import PagedTable
from sbyt.core import collection as pir
from sbyt.core.debtors import (Debtor, DebtorFilter, DebtPeriod, LegalDebtor, LegalDebtorFilter, debt_periods,
                               export_xlsx, find_debtors, find_legal_debtors)
from sbyt.core.labels import label
from sbyt.core.money import kop
from sbyt.core.periods import parse_date


COLUMNS = ("✓", "Лицевой счёт", "Абонент", "Долг, ₽", "Пени, ₽", "Дней", "Период", "Дело ПИР", "Адрес")
LEGAL_COLUMNS = ("✓", "Договор", "Контрагент", "Долг, ₽", "Пени, ₽", "Дней", "Период", "Дело ПИР", "ИНН")
TABS = ("w-debtors", "w-mine", "w-forwarded", "w-approval", "w-cases")
DEBTOR_ACTIONS = frozenset({"apply", "mark", "mark_all", "print_epd", "export", "start", "open_case"})


@dataclass
class Item:
    debtor: Debtor | LegalDebtor
    period: DebtPeriod | None = None     # a month row under an expanded debtor
    marked: bool = False
    expanded: bool = False
    case: tuple[str, str, str | None] | None = None    # the open case: number, stage, executor

    @property
    def debtor_id(self) -> int:
        d = self.debtor
        return d.account_id if isinstance(d, Debtor) else d.contract_id


class DebtorsScreen(ConsoleScreen):
    TITLE = "Работа с должниками"
    HELP = """
Вкладки (клавиши 1–5 вне полей ввода): «Должники», «Задачи мне», «Задачи перенаправленные»,
«Документы к согласованию», «Дела».
Должники. Отборы: район, населённый пункт, улица, дом; вид (граждане или юрлица), услуга,
неоплаченных периодов (≥), задолженность (≥, руб.), этап ПИР («без дела» — ещё не в работе);
организация (управляющая), сетевая организация, ответственный (исполнитель дела), исполнитель
ОРП; исключать отключённых, зарегистрированное отсутствие, технически невозможное ограничение;
«выше порога ОРП» — долг больше N месячных начислений по нормативу (правило
debt.restriction_months.household); запланированные на ОРП с … по …. Для юрлиц действуют вид,
периоды, задолженность, сетевая организация, этап и ответственный. Ctrl+R (или кнопка) — применить.
В списке: Enter — раскрыть/свернуть счёт по периодам, Пробел — отметить, Ctrl+A — отметить всех,
S — начать претензионно-исковую работу по отмеченным (с подтверждением; право debt.work),
O — карточка дела должника, P — ЕПД отмеченных в PDF, X — выгрузить список в XLSX.
[ и ] — страницы списка. Долг периода — начисления минус распределённые оплаты;
просрочка — со дня после срока оплаты (датированное правило due_day.household).
Задачи: Enter — карточка дела, D — выполнено, G — перенаправить пользователю.
Документы к согласованию: Enter — карточка дела, A — согласовать, J — отклонить (право debt.approve).
Дела: отбор по виду, этапу, исполнителю; Ctrl+R — применить, Enter — карточка дела.
"""
    BINDINGS = [
        Binding("ctrl+r", "apply", "Применить", id="debtors.apply"),
        Binding("space", "mark", "Отметить", id="debtors.mark"),
        Binding("ctrl+a", "mark_all", "Все", id="debtors.mark_all"),
        Binding("s,ы", "start", "Начать ПИР", id="debtors.start"),
        Binding("o,щ", "open_case", "Дело", id="debtors.case"),
        Binding("p,з", "print_epd", "ЕПД", id="debtors.print"),
        Binding("x,ч", "export", "XLSX", id="debtors.export"),
        Binding("1", "tab('w-debtors')", "Должники", show=False, id="debtors.tab1"),
        Binding("2", "tab('w-mine')", "Задачи мне", show=False, id="debtors.tab2"),
        Binding("3", "tab('w-forwarded')", "Перенаправленные", show=False, id="debtors.tab3"),
        Binding("4", "tab('w-approval')", "К согласованию", show=False, id="debtors.tab4"),
        Binding("5", "tab('w-cases')", "Дела", show=False, id="debtors.tab5"),
    ]
    DEFAULT_CSS = """
    DebtorsScreen #debtors-tabs { height: 1fr; }
    DebtorsScreen #debtors-tabs ContentSwitcher, DebtorsScreen #debtors-tabs TabPane { height: 1fr; }
    DebtorsScreen #w-debtors > Vertical { height: 1fr; }
    DebtorsScreen .form-row .date { width: 14; }
    """

    class DebtorsFound(Message):
        def __init__(self, debtors: list[Debtor | LegalDebtor], cases: dict[int, tuple]) -> None:
            super().__init__()
            self.debtors = debtors
            self.cases = cases

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
        self.kind = pir.HOUSEHOLD           # of the list shown
        self.rights: sv.Rights | None = None
        self.note = ""                      # the result of starting cases, shown with the next list

    def compose(self) -> ComposeResult:
        yield NavBar("debtors", id="nav")
        with TabbedContent(id="debtors-tabs", initial="w-debtors"):
            with TabPane("Должники", id="w-debtors"), Vertical(id="debtors-body"):
                with Horizontal(classes="form-row"):
                    yield Select([], prompt="Район", id="f-district", compact=True)
                    yield Select([], prompt="Нас. пункт", id="f-settlement", compact=True)
                    yield Select([], prompt="Улица", id="f-street", compact=True)
                    yield Select([], prompt="Дом", id="f-building", compact=True)
                with Horizontal(classes="form-row"):
                    yield Select(KIND_OPTIONS, value=pir.HOUSEHOLD, allow_blank=False, id="f-kind", compact=True)
                    yield Select([(label("service", k), k) for k in ("electricity", "odn")], prompt="Услуга",
                                 id="f-service", compact=True)
                    yield Input("1", placeholder="Периодов ≥", id="f-periods", classes="short", compact=True)
                    yield Input("", placeholder="Долг ≥, ₽", id="f-debt", compact=True)
                    yield Select([], prompt="Этап", id="f-stage", compact=True)
                with Horizontal(classes="form-row"):
                    yield Select([], prompt="Организация", id="f-manager", compact=True)
                    yield Select([], prompt="Сетевая орг.", id="f-grid", compact=True)
                    yield Select([], prompt="Ответственный", id="f-responsible", compact=True)
                    yield Select([], prompt="Исполнитель ОРП", id="f-executor", compact=True)
                with Horizontal(classes="form-row"):
                    yield Checkbox("Без отключённых", id="f-disconnected", compact=True)
                    yield Checkbox("Без отсутств.", id="f-absent", compact=True)
                    yield Checkbox("Без невозм. ОРП", id="f-no-restriction", compact=True)
                    yield Checkbox("Выше порога ОРП", id="f-threshold", compact=True)
                with Horizontal(classes="form-row"):
                    yield Input("", placeholder="ОРП с", id="f-planned-from", classes="date", compact=True)
                    yield Input("", placeholder="ОРП по", id="f-planned-to", classes="date", compact=True)
                    yield Button("Применить", id="f-apply", variant="primary", compact=True)
                yield PagedTable(id="debtors-table", page_size=100)
                yield Static("", id="debtors-status", markup=False)
            with TabPane("Задачи мне", id="w-mine"):
                yield TasksPane("mine", id="pane-mine")
            with TabPane("Задачи перенаправленные", id="w-forwarded"):
                yield TasksPane("forwarded", id="pane-forwarded")
            with TabPane("Документы к согласованию", id="w-approval"):
                yield ApprovalPane(id="pane-approval")
            with TabPane("Дела", id="w-cases"):
                yield CasesPane(id="pane-cases")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(PagedTable).show(COLUMNS, [])
        self.load_pickers("f-district", None)
        self.load_options()

    @property
    def active_tab(self) -> str:
        return self.query_one("#debtors-tabs", TabbedContent).active

    def action_tab(self, tab: str) -> None:
        self.query_one("#debtors-tabs", TabbedContent).active = tab

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in DEBTOR_ACTIONS and self.is_mounted and self.active_tab != "w-debtors":
            return False
        return True

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id != "debtors-tabs":
            return
        self.refresh_bindings()
        pane = self._pane(event.pane.id or "")
        if pane is not None:
            pane.reload()
            pane.table.focus()

    def _pane(self, tab: str):  # noqa: ANN202
        panes = {"w-mine": "#pane-mine", "w-forwarded": "#pane-forwarded", "w-approval": "#pane-approval",
                 "w-cases": "#pane-cases"}
        return self.query_one(panes[tab]) if tab in panes else None

    # -- pickers -----------------------------------------------------------------------------------
    @work(thread=True, group="debtors-pickers", exit_on_error=False)
    def load_pickers(self, target: str, parent: int | None) -> None:
        opts = self.app.call(sv.place_options, target.removeprefix("f-"), parent)
        self.post_message(self.PickersLoaded(target, opts))

    def on_debtors_screen_pickers_loaded(self, event: PickersLoaded) -> None:
        self.query_one(f"#{event.target}", Select).set_options([(label, i) for i, label in event.options])

    @work(thread=True, group="debtors-options", exit_on_error=False)
    def load_options(self) -> None:
        rights = self.app.call(sv.collection_rights)
        opts = self.app.call(sv.collection_options)
        self.app.call_from_thread(self._options, rights, opts)

    def _options(self, rights: sv.Rights, opts: sv.CollectionOptions) -> None:
        self.rights = rights
        self.query_one("#f-stage", Select).set_options([("без дела", "none"), *[(n, c) for c, n in opts.stages]])
        self.query_one("#f-manager", Select).set_options([(n, i) for i, n in opts.managers])
        self.query_one("#f-grid", Select).set_options([(g, g) for g in opts.grid_companies])
        self.query_one("#f-responsible", Select).set_options([(u, u) for u in opts.users])
        self.query_one("#f-executor", Select).set_options([(u, u) for u in opts.users])
        self.query_one(CasesPane).set_options(opts)
        self.refresh_bindings()

    def on_select_changed(self, event: Select.Changed) -> None:
        chain = {"f-district": "f-settlement", "f-settlement": "f-street", "f-street": "f-building"}
        nxt = chain.get(event.select.id or "")
        if nxt and event.value is not Select.NULL:
            self.load_pickers(nxt, int(event.value))

    def _sel(self, wid: str) -> int | str | None:
        v = self.query_one(f"#{wid}", Select).value
        return None if v is Select.NULL else v

    def _day(self, wid: str, what: str) -> date | None:
        text = self.query_one(f"#{wid}", Input).value.strip()
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise ValueError(f"{what}: {exc}") from None

    def current_filter(self) -> DebtorFilter | LegalDebtorFilter:
        periods_text = self.query_one("#f-periods", Input).value.strip() or "1"
        debt_text = self.query_one("#f-debt", Input).value.strip() or "0,01"
        if not periods_text.isdigit():
            raise ValueError(f"неоплаченных периодов — целое число, а не «{periods_text}»")
        try:
            min_debt = kop(debt_text)
        except ValueError as exc:
            raise ValueError(f"задолженность: {exc}") from None
        sv_ = lambda k: None if self._sel(k) is None else int(self._sel(k))  # noqa: E731
        text = lambda k: None if self._sel(k) is None else str(self._sel(k))  # noqa: E731
        if self._sel("f-kind") == pir.LEGAL:
            return LegalDebtorFilter(grid_company=text("f-grid"), min_periods=max(1, int(periods_text)),
                                     min_debt_kop=max(1, min_debt), stage=text("f-stage"),
                                     responsible=text("f-responsible"))
        planned_from = self._day("f-planned-from", "запланированные на ОРП с")
        planned_to = self._day("f-planned-to", "запланированные на ОРП по")
        check = lambda k: self.query_one(f"#{k}", Checkbox).value  # noqa: E731
        return DebtorFilter(district_id=sv_("f-district"), settlement_id=sv_("f-settlement"),
                            street_id=sv_("f-street"), building_id=sv_("f-building"),
                            service=self._sel("f-service"), min_periods=max(1, int(periods_text)),
                            min_debt_kop=max(1, min_debt), exclude_disconnected=check("f-disconnected"),
                            manager_id=sv_("f-manager"), grid_company=text("f-grid"),
                            responsible=text("f-responsible"), stage=text("f-stage"),
                            exclude_absent=check("f-absent"), exclude_no_restriction=check("f-no-restriction"),
                            restriction_executor=text("f-executor"), planned_from=planned_from,
                            planned_to=planned_to, over_threshold=check("f-threshold"))

    # -- the list ----------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "f-apply":
            self.action_apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if (event.input.id or "").startswith("f-"):
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
    def select(self, flt: DebtorFilter | LegalDebtorFilter) -> None:
        if isinstance(flt, LegalDebtorFilter):
            found = self.app.call(find_legal_debtors, flt, self.app.today)
            ids = [d.contract_id for d in found]
            kind = pir.LEGAL
        else:
            found = self.app.call(find_debtors, flt, self.app.today)
            ids = [d.account_id for d in found]
            kind = pir.HOUSEHOLD
        cases = self.app.call(sv.open_cases_of, kind, ids) if ids else {}
        self.post_message(self.DebtorsFound(found, cases))

    def on_debtors_screen_debtors_found(self, event: DebtorsFound) -> None:
        self.kind = pir.LEGAL if event.debtors and isinstance(event.debtors[0], LegalDebtor) else (
            pir.LEGAL if self._sel("f-kind") == pir.LEGAL else pir.HOUSEHOLD)
        marked = {it.debtor_id for it in self.items if it.period is None and it.marked}
        self.items = [Item(d) for d in event.debtors]
        for it in self.items:
            it.case = event.cases.get(it.debtor_id)
            it.marked = it.debtor_id in marked
        self._show(reset=True)
        total = sum(d.debt_kop for d in event.debtors)
        in_work = sum(1 for it in self.items if it.case)
        self.query_one("#debtors-status", Static).update(
            (f"{self.note} " if self.note else "")
            + f"Должников: {len(event.debtors)} · долг {money(total)} ₽ · в работе: {in_work}")
        self.note = ""
        if self.items:
            self.query_one(PagedTable).focus()

    def _case_text(self, it: Item) -> str:
        if it.case is None:
            return ""
        _number, stage, executor = it.case
        return label("debt_stage", stage) + (f" · {executor}" if executor else "")

    def _row(self, it: Item) -> tuple:
        if it.period is not None:
            p = it.period
            return ("", "", "", money(p.debt_kop), money(p.penalty_kop) if p.penalty_kop else "",
                    str(max(p.days_overdue, 0)), month(p.for_period), "", "")
        d = it.debtor
        mark = "✓" if it.marked else " "
        if isinstance(d, LegalDebtor):
            return (mark, d.contract, d.counterparty or "", money(d.debt_kop), money(d.penalty_kop),
                    str(d.days_overdue), f"с {month(d.oldest_period)} ({d.unpaid_periods})", self._case_text(it), d.inn)
        sign = "−" if it.expanded else "+"
        return (mark, f"{sign} {d.number}", d.holder_name, money(d.debt_kop),
                money(d.penalty_kop), str(d.days_overdue), f"с {month(d.oldest_period)} ({d.unpaid_periods})",
                self._case_text(it), d.address)

    def _show(self, reset: bool = False) -> None:
        table = self.query_one(PagedTable)
        if reset:
            table.show(LEGAL_COLUMNS if self.kind == pir.LEGAL else COLUMNS, self.items, fmt=self._row)
        else:
            table.refill(self.items)

    def _current(self) -> Item | None:
        return self.query_one(PagedTable).current_row()  # type: ignore[return-value]

    def on_data_table_row_selected(self, event) -> None:  # noqa: ANN001
        if event.data_table.id != "debtors-table":
            return
        it = self._current()
        if it is None or it.period is not None or not isinstance(it.debtor, Debtor):
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
            if it.period is None and isinstance(it.debtor, Debtor) and it.debtor.account_id == event.account_id \
                    and not it.expanded:
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

    def marked(self) -> list[Debtor | LegalDebtor]:
        return [it.debtor for it in self.items if it.period is None and it.marked]

    def _chosen(self) -> list[Item]:
        """The marked debtors, or the one under the cursor."""
        heads = [it for it in self.items if it.period is None and it.marked]
        if heads:
            return heads
        cur = self._current()
        if cur is None:
            return []
        return [next(it for it in self.items if it.period is None and it.debtor is cur.debtor)]

    # -- ПИР ---------------------------------------------------------------------------------------
    def action_start(self) -> None:
        chosen = self._chosen()
        if not chosen:
            self.app.show_error("Отметьте должников (Пробел): список пуст — примените отбор (Ctrl+R).")
            return
        kind = self.kind
        ids = [it.debtor_id for it in chosen]
        busy = sum(1 for it in chosen if it.case)
        who = "граждане" if kind == pir.HOUSEHOLD else "юридические лица"
        question = (f"Начать претензионно-исковую работу на {day(self.app.today)}?\nДолжников: {len(ids)} ({who})."
                    + (f"\nУже в работе: {busy} — по ним новое дело не начинается." if busy else ""))
        self.app.push_screen(ConfirmDialog(question), lambda ok: ok and self.start(kind, ids))

    @work(thread=True, exclusive=True, group="debtors-start", exit_on_error=False)
    def start(self, kind: str, ids: list[int]) -> None:
        res = self.app.call(pir.start_cases, kind, ids, self.app.today)
        if res.started:
            span = res.first if res.first == res.last else f"{res.first} … {res.last}"
            text = f"Начата ПИР: дел {res.started} ({span})"
        else:
            text = "Новых дел нет"
        if res.skipped:
            text += f"; пропущено {res.skipped} (уже в работе или без просроченного долга)"
        self.app.call_from_thread(self._started, text + ".")

    def _started(self, text: str) -> None:
        """The result stays on the status line over the list selected again (the new cases in it)."""
        self.notify(text)
        for it in self.items:
            it.marked = False
        self.note = text
        self.action_apply()

    def action_open_case(self) -> None:
        cur = self._current()
        if cur is None:
            self.app.show_error("Список пуст: сначала примените отбор (Ctrl+R).")
            return
        head = next(it for it in self.items if it.period is None and it.debtor is cur.debtor)
        if head.case is None:
            self.app.show_error("У должника нет дела ПИР в работе: начните работу (S).")
            return
        self.app.push_screen(CaseCardScreen(head.case[0], self.rights), lambda _: self.action_apply())

    # -- ЕПД and export ----------------------------------------------------------------------------
    def action_print_epd(self) -> None:
        if self.kind == pir.LEGAL:
            self.app.show_error("ЕПД печатается для граждан; документы юрлиц — в карточке договора (F8).")
            return
        chosen = self.marked() or ([self._current().debtor] if self._current() else [])
        if not chosen:
            self.app.show_error("Отметьте должников (Пробел).")
            return
        self.app.push_screen(PromptDialog(f"ЕПД {len(chosen)} счетов: файл PDF",
                                          value=str(Path.cwd() / "epd_debtors.pdf")),
                             lambda p: p and self.print_epd([d.account_id for d in chosen], Path(p)))

    @work(thread=True, exclusive=True, group="debtors-epd", exit_on_error=False)
    def print_epd(self, ids: list[int], out: Path) -> None:
        pdf, pages = self.app.call(sv.epd_pdf, ids, out.name)
        files.write(out, pdf)                   # the operator's file, on the operator's side
        self.app.call_from_thread(self.notify, f"ЕПД: {out} ({pages} стр.)")

    def action_export(self) -> None:
        if self.kind == pir.LEGAL:
            self.app.show_error("Выгрузка в XLSX — для списка граждан; для юрлиц — отчёт «Реестр дебиторов» (F6).")
            return
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
