"""The counterparty card (requisites and facts, bank accounts, contracts, objects, supply points,
measuring complexes, hourly data by month, contract documents, payments with its INN) and the
contract card (lifecycle documents, the checklist of documents, tasks with deadlines, points;
approval of a draft). Reads: `sbyt.core.legal_cards`; approval: `sbyt.core.contracts.approve`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.screens.legal_docs import ContractDocsPane
from sbyt.console.widgets.dialogs import ConfirmDialog
from sbyt.console.widgets.format import day, kwh, money, month
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.tables import fill
from sbyt.core.contracts import changes_text
from sbyt.core.labels import label
from sbyt.core.legal_cards import ContractCard, CounterpartyCard, PointRow, contract_card, counterparty_card


def kw(value: Decimal | None) -> str:
    """Capacity «150», «12,5»."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def yes(flag: bool) -> str:
    return "да" if flag else "нет"


def _fill(screen: _LoadingScreen, tid: str, rows: list[tuple]) -> None:
    fill(screen.query_one(f"#{tid}", DataTable), screen.COLUMNS[tid], rows)


def _point_rows(points: list[PointRow]) -> list[tuple]:
    return [(p.contract, p.object_code, p.code, p.name or "", label("voltage", p.voltage) if p.voltage else "",
             kw(p.max_kw), str(p.price_category or ""), str(p.reliability or ""), day(p.facts_from),
             p.grid_company or "", p.head_point or "", day(p.closed)) for p in points]


POINT_COLUMNS = ("Договор", "Объект", "Точка", "Наименование", "Напр.", "Макс., кВт", "Кат.", "Надёжн.",
                 "Действует с", "Сетевая орг.", "Головная", "Закрыта")


class _LoadingScreen(ConsoleScreen):
    """A card filled from one service call in a thread worker; Esc goes back."""

    COLUMNS: dict[str, tuple[str, ...]] = {}

    def on_mount(self) -> None:
        for tid, names in self.COLUMNS.items():
            self.query_one(f"#{tid}", DataTable).add_columns(*names)
        self.load()

    def load(self) -> None:
        key = self.key()

        def fetch() -> None:
            data = self.app.call(self.SERVICE, key, self.app.today)
            self.post_message(self.Loaded(data))

        self.run_worker(fetch, thread=True, exclusive=True, group="legal-card", exit_on_error=False)

    def key(self) -> object:
        raise NotImplementedError

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab


class CounterpartyCardScreen(_LoadingScreen):
    TITLE = "Карточка контрагента"
    HELP = """
Шапка: наименование, вид, ИНН, КПП, ОГРН, адрес, телефон и e-mail для уведомлений, расчёты.
Вкладки (клавиши 1–8): договоры (Enter — карточка договора), объекты, точки поставки
(напряжение, максимальная мощность, ценовая категория на сегодня), приборы учёта (коэффициенты
трансформации, поверка, АСКУЭ), почасовые данные по месяцам (измерено, замещено, отклонено,
кВт·ч без отклонённых часов), документы договоров, реквизиты (сведения по датам и банковские
счета), поступления. Сальдо по договорам юрлиц пока не ведётся: начисления — следующий этап;
на вкладке «Поступления» — платежи с ИНН контрагента, как они есть в базе. Esc — назад.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад", id="cp.back"),
        Binding("1", "tab('cp-contracts')", "Договоры", show=False, id="cp.tab1"),
        Binding("2", "tab('cp-objects')", "Объекты", show=False, id="cp.tab2"),
        Binding("3", "tab('cp-points')", "Точки", show=False, id="cp.tab3"),
        Binding("4", "tab('cp-meters')", "ПУ", show=False, id="cp.tab4"),
        Binding("5", "tab('cp-hours')", "Почасовые", show=False, id="cp.tab5"),
        Binding("6", "tab('cp-docs')", "Документы", show=False, id="cp.tab6"),
        Binding("7", "tab('cp-requisites')", "Реквизиты", show=False, id="cp.tab7"),
        Binding("8", "tab('cp-payments')", "Поступления", show=False, id="cp.tab8"),
    ]
    SERVICE = staticmethod(counterparty_card)
    COLUMNS = {
        "cp-contracts-table": ("Договор", "Вид", "Состояние", "Заявка", "Комплект", "Подписан", "Поставка с",
                               "Срок по", "Расторгнут с", "ЭДО"),
        "cp-objects-table": ("Договор", "Код", "Наименование", "Адрес", "Дом", "Пом.", "Открыт", "Закрыт"),
        "cp-points-table": POINT_COLUMNS,
        "cp-meters-table": ("Точка", "Зав. №", "Модель", "Класс", "Kт", "Kн", "K", "Установлен", "Снят", "Поверка",
                            "След. поверка", "Потери, %", "АСКУЭ (точка / канал)"),
        "cp-hours-table": ("ПУ", "Месяц", "Часов", "Измерено", "Замещено", "Отклонено", "кВт·ч"),
        "cp-docs-table": ("Договор", "Дата", "Документ", "Номер", "Действует с", "Изменения", "Примечание", "Кто"),
        "cp-facts-table": ("С", "По", "Наименование", "Краткое", "Юр. адрес", "Почт. адрес", "Мобильный", "E-mail",
                           "Бюджет", "Финансирование", "Группа"),
        "cp-banks-table": ("БИК", "Банк", "Расчётный счёт", "Корр. счёт", "С", "По"),
        "cp-payments-table": ("Дата", "Сумма, ₽", "Статус", "ЛС", "Документ", "Назначение"),
    }

    class Loaded(Message):
        def __init__(self, data: CounterpartyCard) -> None:
            super().__init__()
            self.data = data

    def __init__(self, counterparty_id: int) -> None:
        super().__init__()
        self.counterparty_id = counterparty_id
        self.data: CounterpartyCard | None = None

    def key(self) -> object:
        return self.counterparty_id

    def compose(self) -> ComposeResult:
        yield NavBar("legal", id="nav")
        yield Static("Загрузка…", id="legal-header")
        with TabbedContent(id="legal-tabs"):
            with TabPane("Договоры", id="cp-contracts"):
                yield DataTable(id="cp-contracts-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Объекты", id="cp-objects"):
                yield DataTable(id="cp-objects-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Точки", id="cp-points"):
                yield DataTable(id="cp-points-table", cursor_type="row", zebra_stripes=True)
            with TabPane("ПУ", id="cp-meters"):
                yield DataTable(id="cp-meters-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Почасовые", id="cp-hours"):
                yield Static("", id="cp-hours-note", classes="legal-note")
                yield DataTable(id="cp-hours-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Документы", id="cp-docs"):
                yield DataTable(id="cp-docs-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Реквизиты", id="cp-requisites"):
                with Vertical():
                    yield DataTable(id="cp-facts-table", cursor_type="row", zebra_stripes=True)
                    yield DataTable(id="cp-banks-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Поступления", id="cp-payments"):
                yield Static("", id="cp-ledger-note", classes="legal-note")
                yield DataTable(id="cp-payments-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_counterparty_card_screen_loaded(self, event: Loaded) -> None:
        d = self.data = event.data
        f = d.facts
        name = f.name if f else ""
        self.sub_title = f"{d.inn} {name}"
        t = Text()
        t.append(name or "(нет сведений на сегодня)", style="bold")
        t.append(f"  {label('counterparty_kind', d.kind)}\n")
        t.append(f"ИНН {d.inn}" + (f" · КПП {d.kpp}" if d.kpp else "") + (f" · ОГРН {d.ogrn}" if d.ogrn else "")
                 + f" · в базе с {day(d.registered)}\n")
        contacts = [x for x in ((f.legal_address if f else None), (f"тел. {f.mobile}" if f and f.mobile else None),
                                (f.email if f else None)) if x]
        t.append((" · ".join(contacts) or "адрес и контакты не указаны") + "\n")
        t.append("Сальдо не ведётся (нет начислений юрлиц)", style="yellow")
        t.append(f" · с ИНН поступило {money(d.payments_kop)} ₽ ({len(d.payments)})")
        self.query_one("#legal-header", Static).update(t)

        _fill(self, "cp-contracts-table", [
            (c.number, label("contract_kind", c.kind), label("contract_state", c.state), day(c.applied_on),
             day(c.complete_on), day(c.signed_on), day(c.starts), day(c.ends) or ("бессрочно" if c.starts else ""),
             day(c.terminated_from), yes(c.edo)) for c in d.contracts])
        _fill(self, "cp-objects-table", [(o.contract, o.code, o.name, o.address or "", o.building or "",
                                          o.premise_no or "", day(o.opened), day(o.closed)) for o in d.objects])
        _fill(self, "cp-points-table", _point_rows(d.points))
        _fill(self, "cp-meters-table", [
            (m.point, m.serial, m.model or "", m.accuracy or "", str(m.ct_ratio), str(m.vt_ratio), str(m.ratio),
             day(m.installed), day(m.removed), day(m.verified), day(m.next_verification), kw(m.loss_pct),
             m.askue or "") for m in d.meters])
        self.query_one("#cp-hours-note", Static).update(
            f"Почасовые данные АСКУЭ с {day(d.hours_from)}: часов по статусам и объём (без отклонённых часов)")
        _fill(self, "cp-hours-table", [(h.serial, month(h.period), str(h.hours), str(h.measured), str(h.substituted),
                                        str(h.rejected), kwh(h.wh)) for h in d.hours])
        _fill(self, "cp-docs-table", [(x.contract, day(x.doc_date), label("contract_doc", x.kind), x.doc_no or "",
                                       day(x.effective), changes_text(x.changes) or "", x.note or "",
                                       x.created_by or "") for x in d.documents])
        _fill(self, "cp-facts-table", [
            (day(r.valid_from), day(r.valid_to), r.facts.name, r.facts.short_name or "", r.facts.legal_address or "",
             r.facts.postal_address or "", r.facts.mobile or "", r.facts.email or "", r.facts.budget_level or "",
             r.facts.financing_group or "", r.facts.consumer_group or "") for r in d.fact_history])
        _fill(self, "cp-banks-table", [(b.bik, b.bank_name or "", b.account, b.corr_account or "", day(b.valid_from),
                                        day(b.valid_to)) for b in d.banks])
        self.query_one("#cp-ledger-note", Static).update(d.ledger_note)
        _fill(self, "cp-payments-table", [(day(p.pay_date), money(p.amount_kop), label("payment_status", p.status),
                                           p.account or "", p.doc_no or "", p.purpose or "") for p in d.payments])
        self.query_one("#cp-contracts-table", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "cp-contracts-table" and self.data is not None and event.row_key.value is not None:
            self.app.push_screen(ContractCardScreen(self.data.contracts[int(event.row_key.value)].number))


class ContractCardScreen(_LoadingScreen):
    TITLE = "Карточка договора"
    HELP = """
Шапка: номер, вид и состояние договора, контрагент, порядок оплаты, даты шагов.
Вкладки (клавиши 1–5): документы договора по порядку (заявка, документы, уведомление, проект,
согласование, разногласия, подписание, доп. соглашения, расторжение), комплект документов
заявителя (обязательные и полученные), задачи со сроком (просроченные — красным), точки поставки,
расчётные документы (счета, счета-фактуры, акты, УПД — новые сверху; M — отбор по месяцу выписки,
Enter — документ целиком, Пробел — отметить несколько; I — выписать документы месяца, P — печать
в PDF, S — отправить по e-mail, C — исправить счёт-фактуру; выписка, отправка и исправление —
право docs.issue). A — согласовать проект (право contracts.approve). Esc — назад.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад", id="contract.back"),
        Binding("a,ф", "approve", "Согласовать", id="contract.approve"),
        Binding("1", "tab('ct-docs')", "Документы", show=False, id="contract.tab1"),
        Binding("2", "tab('ct-items')", "Комплект", show=False, id="contract.tab2"),
        Binding("3", "tab('ct-tasks')", "Задачи", show=False, id="contract.tab3"),
        Binding("4", "tab('ct-points')", "Точки", show=False, id="contract.tab4"),
        Binding("5", "tab('ct-ldocs')", "Расчётные документы", show=False, id="contract.tab5"),
    ]
    SERVICE = staticmethod(contract_card)
    COLUMNS = {
        "ct-docs-table": ("Дата", "Документ", "Номер", "Действует с", "Изменения", "Примечание", "Кто"),
        "ct-items-table": ("Документ", "Обязательный", "Получен"),
        "ct-tasks-table": ("Задача", "Срок", "Просрочка"),
        "ct-points-table": POINT_COLUMNS,
    }

    class Loaded(Message):
        def __init__(self, data: ContractCard) -> None:
            super().__init__()
            self.data = data

    class Approved(Message):
        def __init__(self, number: str) -> None:
            super().__init__()
            self.number = number

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.data: ContractCard | None = None

    def key(self) -> object:
        return self.number

    def compose(self) -> ComposeResult:
        yield NavBar("legal", id="nav")
        yield Static("Загрузка…", id="legal-header")
        with TabbedContent(id="legal-tabs"):
            with TabPane("Документы", id="ct-docs"):
                yield DataTable(id="ct-docs-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Комплект", id="ct-items"):
                yield DataTable(id="ct-items-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Задачи", id="ct-tasks"):
                yield DataTable(id="ct-tasks-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Точки поставки", id="ct-points"):
                yield DataTable(id="ct-points-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Расчётные документы", id="ct-ldocs"):
                yield ContractDocsPane(self.number, id="ct-ldocs-pane")
        yield Footer(compact=True)

    def on_contract_card_screen_loaded(self, event: Loaded) -> None:
        d = self.data = event.data
        c = d.contract
        today: date = self.app.today
        self.sub_title = f"№ {c.number}"
        t = Text()
        t.append(f"Договор № {c.number}", style="bold")
        t.append(f" {label('contract_kind', c.kind)} · ")
        t.append(label("contract_state", c.state), style="bold")
        t.append(f"\n{d.name} · ИНН {d.inn}" + (f"/{d.kpp}" if d.kpp else "") + "\n")
        steps = [f"заявка {day(c.applied_on)}"]
        steps += [f"{w} {day(v)}" for w, v in (("комплект", c.complete_on), ("подписан", c.signed_on),
                                               ("поставка с", c.starts), ("по", c.ends),
                                               ("расторгнут с", c.terminated_from)) if v]
        scheme = label("payment_scheme", c.payment_scheme).split(":")[0]     # «п. 82: 30 % до 10-го…» -> «п. 82»
        t.append(" · ".join(steps) + f" · оплата {scheme}" + (" · ЭДО" if c.edo else ""))
        missing = d.missing
        if missing and c.state == "application":
            t.append(f"\nНе хватает ({len(missing)}): " + ", ".join(label("contract_item", i) for i in missing),
                     style="red")
        self.query_one("#legal-header", Static).update(t)

        _fill(self, "ct-docs-table", [(day(x.doc_date), label("contract_doc", x.kind), x.doc_no or "",
                                       day(x.effective), changes_text(x.changes) or "", x.note or "",
                                       x.created_by or "") for x in d.documents])
        _fill(self, "ct-items-table", [
            (label("contract_item", i.item), yes(i.required),
             day(i.received) if i.received else Text("не получен", style="bold red" if i.required else ""))
            for i in d.checklist])
        _fill(self, "ct-tasks-table", [
            (k.task, day(k.due), Text(f"просрочено {k.overdue_days} дн.", style="bold red") if k.overdue_days
             else f"осталось {(k.due - today).days} дн.") for k in d.tasks])
        _fill(self, "ct-points-table", _point_rows(d.points))
        if not d.tasks:
            self.query_one("#ct-tasks-table", DataTable).border_subtitle = "задач нет"

    # -- approval ---------------------------------------------------------------------------------
    def action_approve(self) -> None:
        if self.data is None:
            return
        c = self.data.contract
        if c.state not in ("draft", "disagreement"):
            self.app.show_error(f"Договор № {c.number} в состоянии «{label('contract_state', c.state)}»: "
                                "согласовать можно проект или договор с протоколом разногласий.")
            return

        def answered(ok: bool | None) -> None:
            if ok:
                self.approve(c.number)

        self.app.push_screen(ConfirmDialog(f"Согласовать проект договора № {c.number} датой "
                                           f"{day(self.app.today)}?"), answered)

    def approve(self, number: str) -> None:
        from sbyt.core.contracts import approve

        def run() -> None:
            self.app.call(approve, number, self.app.today)
            self.post_message(self.Approved(number))

        self.run_worker(run, thread=True, exclusive=True, group="legal-write", exit_on_error=False)

    def on_contract_card_screen_approved(self, event: Approved) -> None:
        self.notify(f"Договор № {event.number} согласован")
        self.load()
