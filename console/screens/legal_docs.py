"""A contract's settlement documents in the console (docs/legal_docs.md «В консоли оператора»):
the «Расчётные документы» tab of the contract card (`ContractDocsPane`: the documents of the
contract, the newest first, with their delivery, filtered by the month of issue) and a document
opened in full (`LegalDocScreen`, as `sbyt docs show`).

The actions are those of `sbyt docs`, through the same functions, as console services
(`sbyt.console.services`: `issue_contract_docs`, `legal_docs_pdf`, `send_legal_docs`, `correct`):
issuing, sending and correcting need the permission 'docs.issue', which the service checks — an
operator without it gets the refusal in the error dialog. A PDF comes back as bytes and is written
by the console (the operator's file).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import Worker

from sbyt.console.cli import files
from sbyt.console.screens.base import ConsoleScreen
from sbyt.console.services import (ContractDocs, DocRow, DocView, contract_docs, issue_contract_docs, legal_doc,
                                   legal_docs_pdf, send_legal_docs)
from sbyt.console.widgets.dialogs import ConfirmDialog, PromptDialog
from sbyt.console.widgets.format import day, money, month
from sbyt.console.widgets.nav_bar import NavBar
from sbyt.console.widgets.tables import fill
from sbyt.core.labels import label
from sbyt.core.legal_docs import doc_facts, doc_title
from sbyt.core.money import format_rub
from sbyt.core.periods import parse_period, period_iso, period_title

COLUMNS = ("✓", "Номер", "Дата", "Месяц", "Сумма, ₽", "НДС, ₽", "Вид", "Исправление", "Доставка")
FACT_COLUMNS = ("Поле", "Значение")
LINE_COLUMNS = ("№", "Наименование", "Ед.", "Количество", "Цена без НДС", "Стоимость без НДС", "Ставка", "НДС",
                "Всего")
HOUSEHOLDS = "Сводная запись книги продаж (население)"


def kind_text(kind: str, upd_status: int | None) -> str:
    """«Счёт-фактура», «Универсальный передаточный документ (статус 1)» (as `sbyt docs list`)."""
    return label("doc_kind", kind) + (f" (статус {upd_status})" if upd_status else "")


def number(value: Decimal | None) -> str:
    """A quantity or a price as the operator reads it: «10 000», «3,8»."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", "\u00a0")
    return sign + grouped + ("," + frac if frac else "")


def default_pdf(rows: list[DocRow], contract: str) -> Path:
    """`<kind>_<number>.pdf` of one document, `documents_<contract>.pdf` of several, in the current directory."""
    if len(rows) == 1:
        r = rows[0]
        return Path.cwd() / f"{r.kind}_{r.doc_no}{f'_{r.correction_no}' if r.correction_no else ''}.pdf"
    return Path.cwd() / f"documents_{contract}.pdf"


def issue_text(period: int, counts: dict[str, int], warnings: list[str], run_id: int | None) -> str:
    """What `sbyt docs issue` tells: its warnings, then the counts by kind (or that nothing was new)."""
    lines = list(warnings)
    title = f"{period_title(period)} г."
    if not sum(counts.values()):
        lines.append(f"Новых документов за {title} нет: всё уже выписано.")
        return "\n".join(lines)
    lines.append(f"Выписано документов за {title}: {sum(counts.values())} (выписка № {run_id}):")
    lines += [f"  {label('doc_kind', k) if k != 'households' else HOUSEHOLDS} — {n}" for k, n in counts.items()]
    return "\n".join(lines)


class ContractDocsPane(Vertical):
    """The «Расчётные документы» tab of a contract card."""

    BINDINGS = [
        Binding("i,ш", "issue", "Выписать", id="ldocs.issue"),
        Binding("p,з", "print", "Печать", id="ldocs.print"),
        Binding("s,ы", "send", "Отправить", id="ldocs.send"),
        Binding("c,с", "correct", "Исправить", id="ldocs.correct"),
        Binding("space", "mark", "Отметить", id="ldocs.mark"),
        Binding("m,ь", "month", "Месяц", id="ldocs.month"),
    ]

    class Loaded(Message):
        def __init__(self, data: ContractDocs, period: int | None) -> None:
            super().__init__()
            self.data = data
            self.period = period

    class Done(Message):
        """An action finished: its report for the status line; reload when it changed the register."""

        def __init__(self, text: str, reload: bool) -> None:
            super().__init__()
            self.text = text
            self.reload = reload

    def __init__(self, contract: str, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.contract = contract
        self.period: int | None = None         # the month filter (None: all months)
        self.data: ContractDocs | None = None
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        with Horizontal(id="ldocs-bar"):
            yield Input(placeholder="месяц выписки ГГГГ-ММ (пусто — все)", id="ldocs-month", compact=True)
            yield Static("", id="ldocs-count")
        yield DataTable(id="ldocs-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="ldocs-status", classes="legal-note")

    def on_mount(self) -> None:
        self.query_one("#ldocs-table", DataTable).add_columns(*COLUMNS)
        self.load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.worker_failed(event)      # the event does not bubble: the app's one error route

    # -- reading ----------------------------------------------------------------------------------
    def load(self) -> None:
        number, period = self.contract, self.period

        def fetch() -> None:
            self.post_message(self.Loaded(self.app.call(contract_docs, number, period), period))

        self.run_worker(fetch, thread=True, exclusive=True, group="legal-docs", exit_on_error=False)

    def on_contract_docs_pane_loaded(self, event: Loaded) -> None:
        if event.period != self.period:
            return                              # a newer filter is on its way
        self.data = event.data
        ids = {r.id for r in event.data.rows}
        self.marked &= ids
        self._fill()
        where = f"выписано в {month(self.period)}" if self.period else "всего"
        self.query_one("#ldocs-count", Static).update(
            f"документов {where}: {len(event.data.rows)}" if event.data.rows else "документов нет")

    def _fill(self) -> None:
        fill(self.query_one("#ldocs-table", DataTable), COLUMNS, [
            ("✓" if r.id in self.marked else "", r.doc_no, day(r.doc_date), month(r.for_period), money(r.total_kop),
             money(r.vat_kop), kind_text(r.kind, r.upd_status),
             f"№ {r.correction_no} от {day(r.correction_date)}" if r.correction_no else "",
             r.delivery or "не отправлялся") for r in self.rows], keys=[str(r.id) for r in self.rows])

    @property
    def rows(self) -> list[DocRow]:
        return self.data.rows if self.data else []

    def current(self) -> DocRow | None:
        table = self.query_one("#ldocs-table", DataTable)
        if not self.rows or table.cursor_row < 0:
            return None
        return self.rows[table.cursor_row]

    def selected(self) -> list[DocRow]:
        """The marked documents (Space), or the one under the cursor."""
        if self.marked:
            return [r for r in self.rows if r.id in self.marked]
        row = self.current()
        return [row] if row else []

    def status(self, text: str) -> None:
        self.query_one("#ldocs-status", Static).update(Text(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "ldocs-month":
            return
        event.stop()
        text = event.value.strip()
        try:
            self.period = parse_period(text) if text else None
        except ValueError as exc:
            self.app.show_error(f"Месяц: {exc}")
            return
        self.marked.clear()
        self.load()
        self.query_one("#ldocs-table", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "ldocs-table" and event.row_key.value is not None:
            event.stop()
            self.app.push_screen(LegalDocScreen(int(event.row_key.value)))

    def action_month(self) -> None:
        self.query_one("#ldocs-month", Input).focus()

    def action_mark(self) -> None:
        row = self.current()
        if row is None:
            return
        self.marked.symmetric_difference_update({row.id})
        table = self.query_one("#ldocs-table", DataTable)
        table.update_cell(str(row.id), table.ordered_columns[0].key, "✓" if row.id in self.marked else "")

    def on_contract_docs_pane_done(self, event: Done) -> None:
        self.status(event.text)
        self.notify(event.text.splitlines()[-1] if event.text else "")
        if event.reload:
            self.load()

    def done(self, text: str, reload: bool = False) -> None:
        self.post_message(self.Done(text, reload))

    # -- issue ------------------------------------------------------------------------------------
    def action_issue(self) -> None:
        default = self.data.open_period if self.data and self.data.open_period else None
        self.app.push_screen(PromptDialog(f"Выписать документы по договору № {self.contract} за месяц (ГГГГ-ММ)",
                                          value=period_iso(default) if default else "", placeholder="ГГГГ-ММ"),
                             self._issue_month)

    def _issue_month(self, text: str | None) -> None:
        if not text:
            return
        try:
            period = parse_period(text)
        except ValueError as exc:
            self.app.show_error(f"Месяц: {exc}")
            return
        self.issue(period)

    @work(thread=True, exclusive=True, group="legal-docs-write", exit_on_error=False)
    def issue(self, period: int) -> None:
        res = self.app.call(issue_contract_docs, self.contract, period, self.app.today)
        self.done(issue_text(period, res.counts, res.warnings, res.run_id), reload=bool(res.issued))

    # -- print ------------------------------------------------------------------------------------
    def action_print(self) -> None:
        rows = self.selected()
        if not rows:
            self.app.show_error("Нет документов для печати.")
            return
        default = default_pdf(rows, self.contract)
        what = f"документ № {rows[0].doc_no}" if len(rows) == 1 else f"документы ({len(rows)})"
        self.app.push_screen(PromptDialog(f"Печать: {what} в файл PDF", value=str(default)),
                             lambda path: self.print_docs([r.id for r in rows], Path(path).expanduser())
                             if path else None)

    @work(thread=True, exclusive=True, group="legal-docs-print", exit_on_error=False)
    def print_docs(self, ids: list[int], out: Path) -> None:
        pdf, pages = self.app.call(legal_docs_pdf, ids)
        files.write(out, pdf)                  # the operator's file, on the operator's side
        self.done(f"Напечатано документов: {len(ids)}, страниц: {pages} — {out}")

    # -- send -------------------------------------------------------------------------------------
    def action_send(self) -> None:
        rows = self.selected()
        if not rows:
            self.app.show_error("Нет документов для отправки.")
            return
        ids = [r.id for r in rows]
        what = f"документ № {rows[0].doc_no}" if len(rows) == 1 else f"документы ({len(rows)})"
        self.app.push_screen(ConfirmDialog(f"Отправить {what} по e-mail контрагента? Уже отправленные повторно "
                                           "не отправляются."), lambda ok: self.send(ids) if ok else None)

    @work(thread=True, exclusive=True, group="legal-docs-write", exit_on_error=False)
    def send(self, ids: list[int]) -> None:
        res = self.app.call(send_legal_docs, ids)
        text = f"Документы: отправлено {res.sent}, ошибок {res.failed}, уже были отправлены ранее {res.skipped}."
        if res.failed:
            text += " Причины ошибок — в столбце «Доставка» (и в sbyt docs log)."
        self.done(text, reload=True)

    # -- correct ----------------------------------------------------------------------------------
    def action_correct(self) -> None:
        row = self.current()
        if row is None:
            return
        if not row.is_vat_invoice:
            self.app.show_error(f"Исправление выписывается к счёту-фактуре или УПД; № {row.doc_no} — "
                                f"{label('doc_kind', row.kind).lower()}. Для изменения стоимости — перерасчёт и "
                                "корректировочный счёт-фактура.")
            return
        self.app.push_screen(PromptDialog(f"Исправление счёта-фактуры № {row.doc_no} от {day(row.doc_date)}: "
                                          "что исправлено", placeholder="неверный КПП покупателя"),
                             lambda reason: self.correct(row, reason) if reason else None)

    @work(thread=True, exclusive=True, group="legal-docs-write", exit_on_error=False)
    def correct(self, row: DocRow, reason: str) -> None:
        from sbyt.calc.legal_docs import correct

        c = self.app.call(correct, row.doc_no, year=row.year, kind=row.kind, reason=reason, today=self.app.today)
        self.done(f"Выписано исправление № {c.correction_no} от {day(c.correction_date)} к документу № {c.doc_no}: "
                  f"изменились реквизиты ({', '.join(c.changed)}).", reload=True)


class LegalDocScreen(ConsoleScreen):
    """One document in full (`sbyt docs show`); P prints it."""

    TITLE = "Документ"
    HELP = """
Документ целиком, как «sbyt docs show»: вид, номер, дата (и исправление), договор, месяц,
продавец и покупатель, суммы без НДС, НДС и всего, срок оплаты, документ, к которому выписан
(корректировочный, исправление), форма счёта-фактуры, основание суммы, платёжные документы,
зачтённые авансы, записи книг продаж и покупок; ниже — строки документа.
P — печать в PDF. Esc — назад.
"""
    BINDINGS = [
        Binding("escape", "back", "Назад", id="ldoc.back"),
        Binding("p,з", "print", "Печать", id="ldoc.print"),
    ]

    class Loaded(Message):
        def __init__(self, data: DocView) -> None:
            super().__init__()
            self.data = data

    def __init__(self, doc_id: int) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.data: DocView | None = None

    def compose(self) -> ComposeResult:
        yield NavBar("legal", id="nav")
        yield Static("Загрузка…", id="legal-header")
        with Vertical(id="ldoc-body"):
            yield DataTable(id="ldoc-facts", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="ldoc-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="ldoc-status", classes="legal-note")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#ldoc-facts", DataTable).add_columns(*FACT_COLUMNS)
        self.query_one("#ldoc-lines", DataTable).add_columns(*LINE_COLUMNS)
        doc_id = self.doc_id

        def fetch() -> None:
            self.post_message(self.Loaded(self.app.call(legal_doc, doc_id)))

        self.run_worker(fetch, thread=True, exclusive=True, group="legal-doc", exit_on_error=False)

    def on_legal_doc_screen_loaded(self, event: Loaded) -> None:
        self.data = event.data
        d = event.data.doc
        self.sub_title = f"№ {d.doc_no}"
        t = Text()
        t.append(doc_title(d), style="bold")
        t.append(f"\nДоговор № {d.contract_no} · {d.buyer.name} · всего {format_rub(d.total_kop)} ₽")
        self.query_one("#legal-header", Static).update(t)
        facts = self.query_one("#ldoc-facts", DataTable)
        fill(facts, FACT_COLUMNS, doc_facts(d, event.data.books))
        fill(self.query_one("#ldoc-lines", DataTable), LINE_COLUMNS, [
            (str(ln.line_no), ln.name, ln.unit or "", number(ln.quantity), number(ln.price), money(ln.amount_kop),
             ln.vat_rate or "", money(ln.vat_kop), money(ln.total_kop)) for ln in d.lines])
        facts.focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_print(self) -> None:
        if self.data is None:
            return
        d = self.data.doc
        row = DocRow(d.id, d.kind, d.doc_no, d.doc_date, d.year, d.period, d.for_period, d.upd_status,
                     d.correction_no, d.correction_date, d.amount_kop, d.vat_kop, d.total_kop, d.is_vat_invoice, "")
        self.app.push_screen(PromptDialog(f"Печать: документ № {d.doc_no} в файл PDF",
                                          value=str(default_pdf([row], d.contract_no))),
                             lambda path: self.print_doc(Path(path).expanduser()) if path else None)

    @work(thread=True, exclusive=True, group="legal-doc-print", exit_on_error=False)
    def print_doc(self, out: Path) -> None:
        pdf, pages = self.app.call(legal_docs_pdf, [self.doc_id])
        files.write(out, pdf)
        text = f"Напечатано: {out} ({pages} стр.)"
        self.app.call_from_thread(self.query_one("#ldoc-status", Static).update, text)
        self.app.call_from_thread(self.notify, text)

