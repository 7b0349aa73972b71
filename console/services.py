"""Everything the console asks of the store, as named functions `f(store, *args)`.

The screens never touch a connection: they run these through `App.call` (`sbyt.console.backend`).
Without a server the console runs them on its own cursor of the file; when `sbyt serve` owns the
store, their names and arguments go to the server, which runs only the functions listed in
`SERVICES` (its allow-list), as the connected user with that user's permissions, and sends the
result back. Arguments are plain values (numbers, text, dates, bytes, the dataclasses in `TYPES`),
never a path on the operator's machine: a file the operator picks is read by the console and sent
as bytes, a PDF comes back as bytes and is written by the console.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from sbyt.calc.explain import explain
from sbyt.calc.legal_docs import IssueResult, correct, issue
from sbyt.calc.payments import match_payment
from sbyt.calc.pipeline import calculate
from sbyt.calc.close import close_period
from sbyt.calc.recalc import add_manual
from sbyt.console.screens.readings_service import check_one, save
from sbyt.console.widgets.reading_dialog import ReadingEntry
from sbyt.core import access, jobs
from sbyt.core import legal_cards as legal
from sbyt.core import console_reads as view
from sbyt.core.contracts import approve
from sbyt.core.config import smtp_config
from sbyt.core import collection as pir
from sbyt.core.collection_docs import DebtDoc, approve_doc, doc_row, prepare_doc
from sbyt.core.collection_docs import docs as docs_of
from sbyt.core.debtors import DebtorFilter, LegalDebtorFilter, debt_periods, find_debtors, find_legal_debtors
from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.legal_docs import Doc, book_rows, load_docs, select_docs
from sbyt.core.period_state import open_period
from sbyt.core.payments import unidentified
from sbyt.core.readings import default_day
from sbyt.core.search import refresh_search_index, search, search_index_fresh
from sbyt.core.store import Store


def prepare_search(store: Store, status: Callable[[str], None]) -> None:
    """Refresh the search index if the data changed (telling `status`)."""
    if not search_index_fresh(store):
        status("Обновляется поисковый индекс…")
        refresh_search_index(store)


def calculate_month(store: Store, period: int, progress: Callable[[str, float], None]) -> None:
    """The month's calc with its progress (`sbyt calc`), also as the progress of its job under a
    server (`sbyt jobs`; nothing without one)."""
    def both(stage: str, fraction: float) -> None:
        jobs.report(stage, fraction)
        progress(stage, fraction)

    calculate(store, period, progress=both)


def payments_queue(store: Store) -> tuple[list[tuple], list[tuple]]:
    """The recent payment batches and the unidentified payments."""
    return view.import_batches(store, "payments"), unidentified(store)


def import_payment_file(store: Store, name: str, data: bytes, today: date | None = None) -> str:
    """Parse and import one payment file (its name and bytes) through the payments service; the batch message."""
    from sbyt.calc.payments import import_payments
    from sbyt.io.payments_file import read_payment_file

    parsed = read_payment_file(data, name, "auto", None)
    return import_payments(store, parsed, today=today).message(PurePath(name).name)


def match_found(store: Store, payment_id: int, text: str, use_index: bool) -> str:
    """Match a payment to the one account `text` finds; its number."""
    hits = search(store, text, limit=2, use_index=use_index)
    if len(hits) != 1:
        raise SbytError(f"По запросу «{text}» " + ("счёт не найден." if not hits else
                        "найдено несколько счетов; уточните (номер лицевого счёта)."))
    match_payment(store, payment_id, hits[0].number)
    return hits[0].number


def explanation(store: Store, number: str, period: int) -> str:
    return explain(store, number, period).text()


def epd_pdf(store: Store, account_ids: list[int], name: str, period: int | None = None) -> tuple[bytes, int]:
    """One PDF with the ЕПД of the given accounts for `period` (the last closed month by default):
    its bytes and its number of pages. Drawn in this process (a handful of pages)."""
    from sbyt.reports.epd_print import print_epd

    out: dict[str, bytes] = {}
    result = print_epd(store, name, period=period, accounts=view.account_numbers(store, account_ids), workers=1,
                       save=lambda _path, data: out.update(pdf=data))
    return out["pdf"], result.pages


def report_table(store: Store, name: str, given: dict[str, str]) -> Any:    # noqa: ANN401 - reports' Table
    """A catalog report with the operator's parameters, read as reports are (read-only, personal
    data masked for a session without the right)."""
    from sbyt.reports.catalog import catalog
    from sbyt.reports.query import run_report

    with access.reporting(store) as con:
        return run_report(con, catalog().get(name), given)


def place_options(store: Store, level: str, parent: int | None) -> list[tuple[int, str]]:
    """The choices of an address picker: districts, settlements of a district, streets, buildings."""
    if level == "district":
        return view.districts(store)
    if level == "settlement":
        return view.settlements(store, parent)
    if level == "street":
        return view.streets(store, parent)
    if level == "building":
        return view.buildings(store, parent)
    raise SbytError(f"Неизвестный уровень адреса «{level}»")


@dataclass(frozen=True)
class DocRow:
    """A document of a contract's «Расчётные документы» tab."""
    id: int
    kind: str
    doc_no: str
    doc_date: date
    year: int
    period: int
    for_period: int
    upd_status: int | None
    correction_no: int
    correction_date: date | None
    amount_kop: int
    vat_kop: int
    total_kop: int
    is_vat_invoice: bool
    delivery: str               # «e-mail: отправлено 05.04.2026; ЭДО: выгружено 06.04.2026», or ""


@dataclass(frozen=True)
class ContractDocs:
    number: str
    open_period: int | None     # the default month of an issue
    rows: list[DocRow]          # newest first


def _delivery(store: Store, ids: list[int]) -> dict[int, str]:
    """The latest attempt of each channel per document, in words."""
    rows = store.all("SELECT doc_id, channel, arg_max(status, sent_at), arg_max(error, sent_at), max(sent_at)"
                     " FROM legal_doc_delivery WHERE list_contains(?, doc_id) GROUP BY doc_id, channel"
                     " ORDER BY doc_id, channel DESC", [ids])
    out: dict[int, list[str]] = {}
    for doc_id, channel, status, error, when in rows:
        what = "e-mail" if channel == "email" else "ЭДО"
        if status == "sent":
            text = f"{what}: {'отправлено' if channel == 'email' else 'выгружено'} {when:%d.%m.%Y}"
        else:
            text = f"{what}: ошибка — {error or 'причина не записана'}"
        out.setdefault(doc_id, []).append(text)
    return {k: "; ".join(v) for k, v in out.items()}


def contract_docs(store: Store, number: str, period: int | None = None) -> ContractDocs:
    """The documents of a contract (issued in `period`, or all), every correction as its own row,
    the newest first, with their delivery (`sbyt docs list --contract`, `sbyt docs log`)."""
    if store.scalar("SELECT count(*) FROM contract WHERE number = ?", [number]) == 0:
        raise SbytError(f"Договор № {number} не найден.")
    docs = load_docs(store, select_docs(store, period=period, contracts=[number], latest_only=False))
    sent = _delivery(store, [d.id for d in docs])
    rows = [DocRow(d.id, d.kind, d.doc_no, d.doc_date, d.year, d.period, d.for_period, d.upd_status, d.correction_no,
                   d.correction_date, d.amount_kop, d.vat_kop, d.total_kop, d.is_vat_invoice, sent.get(d.id, ""))
            for d in docs]
    rows.sort(key=lambda r: (r.doc_date, r.id), reverse=True)
    try:
        current = open_period(store)
    except SbytError:
        current = None
    return ContractDocs(number, current, rows)


@dataclass(frozen=True)
class DocView:
    doc: Doc
    books: list[tuple]          # (book, quarter, op_code, annul, extra_sheet, total_kop, vat_kop)


def legal_doc(store: Store, doc_id: int) -> DocView:
    """One document with its book entries (`sbyt docs show`)."""
    found = load_docs(store, [doc_id])
    if not found:
        raise SbytError("Документ не найден.")
    return DocView(found[0], book_rows(store, doc_id))


def issue_contract_docs(store: Store, number: str, period: int, today: date | None = None) -> IssueResult:
    """The month's documents of one contract (`sbyt docs issue --contract`), issued by the session's user."""
    return issue(store, period, contracts=[number], today=today, run_by=access.session_of(store).login)


def legal_docs_pdf(store: Store, ids: list[int]) -> tuple[bytes, int]:
    """One PDF of the documents (`sbyt docs print`): its bytes and its number of pages. Drawn in this
    process (a contract's handful of documents)."""
    from sbyt.reports.legal_doc_print import print_docs

    docs = load_docs(store, ids)
    if not docs:
        raise SbytError("Нет документов для печати.")
    out: dict[str, bytes] = {}
    res = print_docs(docs, "documents.pdf", workers=1, save=lambda _path, data: out.update(pdf=data))
    return out["pdf"], res.pages


def send_legal_docs(store: Store, ids: list[int]) -> Any:    # noqa: ANN401 - reports' DeliveryResult
    """E-mail the documents (`sbyt docs send`) with the SMTP settings beside the store."""
    from sbyt.reports.legal_doc_delivery import send_docs

    return send_docs(store, smtp_config(store.path), ids)


# ---------------------------------------------------------------- «Работа с должниками» (ПИР)

@dataclass(frozen=True)
class Rights:
    """Who works in the workplace: the login and the debt permissions of the session."""
    login: str
    role: str
    work: bool
    restrict: bool
    approve: bool
    role_names: dict[str, str]              # role code -> its Russian name (a task for a role)


def collection_rights(store: Store) -> Rights:
    s = access.session_of(store)
    return Rights(s.login, s.role, s.can("debt.work"), s.can("debt.restrict"), s.can("debt.approve"),
                  dict(store.all("SELECT code, name FROM role")))


@dataclass(frozen=True)
class CollectionOptions:
    """The choices of the workplace's filters."""
    managers: list[tuple[int, str]]
    grid_companies: list[str]
    users: list[str]
    stages: list[tuple[str, str]]           # (code, label) of both schemes, in order


def collection_options(store: Store) -> CollectionOptions:
    stages: dict[str, str] = {}
    for code, in store.all("SELECT code FROM debt_stage GROUP BY code ORDER BY min(seq), code"):
        stages[code] = label("debt_stage", code)
    grids = [r[0] for r in store.all("SELECT DISTINCT g FROM (SELECT grid_company AS g FROM building_grid UNION ALL"
                                     " SELECT grid_company FROM legal_point) WHERE g IS NOT NULL ORDER BY 1")]
    return CollectionOptions(
        [(int(i), n) for i, n in store.all("SELECT id, name FROM manager ORDER BY name")], grids,
        [r[0] for r in store.all("SELECT login FROM app_user WHERE NOT disabled ORDER BY login")], list(stages.items()))


def my_tasks(store: Store, tab: str) -> list[pir.Task]:
    """«Задачи мне» ('mine') or «Задачи перенаправленные» ('forwarded') of the session's user."""
    return pir.tasks(store, login=access.session_of(store).login, tab=tab)


def open_cases_of(store: Store, kind: str, ids: list[int]) -> dict[int, tuple[str, str, str | None]]:
    """The open case of each debtor (account or contract id): (number, stage, executor)."""
    col = "account_id" if kind == pir.HOUSEHOLD else "contract_id"
    return {int(r[0]): (r[1], r[2], r[3]) for r in store.all(
        f"SELECT {col}, number, stage, executor FROM debt_case WHERE status = 'open' AND list_contains(?, {col})",
        [[int(i) for i in ids]])}


DebtDocRow = DebtDoc


def debt_docs(store: Store, status: str | None = "approval", case_id: int | None = None) -> list[DebtDocRow]:
    """A case's documents, or those waiting for approval (the «Документы к согласованию» tab)."""
    return docs_of(store, status=status, case_id=case_id)


@dataclass(frozen=True)
class CaseCard:
    case: pir.Case
    stage_name: str
    next_stages: list[tuple[str, str]]      # where the case may go from its stage: (code, name)
    periods: list[tuple]                    # (for_period, debt_kop, penalty_kop, due, limitation_end)
    events: list[tuple]                     # (id, event_date, kind, stage, amount_kop, channel, note, created_by)
    tasks: list[pir.Task]
    docs: list[DebtDocRow]


def case_card(store: Store, key: str | int) -> CaseCard:
    """A case with its months, events, tasks and documents (`sbyt debt show`)."""
    case = pir.find_case(store, key)
    sts = pir.stages(store, case.scheme)
    here = sts[case.stage]
    nxt = [(c, sts[c].name) for c in here.next_stages if c in sts] if case.status == "open" else []
    return CaseCard(case, here.name, nxt, pir.case_periods(store, case.id), pir.events(store, case.id),
                    pir.tasks(store, tab="case", case_id=case.id), debt_docs(store, None, case.id))


def prepare_stage_doc(store: Store, key: str | int, on: date) -> str:
    """The document of the case's current stage, prepared on `on` for approval; its number."""
    case = pir.find_case(store, key)
    kind = pir.stages(store, case.scheme)[case.stage].document
    if kind is None:
        raise SbytError(f"На этапе «{label('debt_stage', case.stage)}» документ не готовится.")
    return doc_row(store, prepare_doc(store, case.id, kind, on))[3]


def approve_debt_doc(store: Store, doc_id: int, reject: bool = False) -> str:
    """Approve (or reject) a document on approval (right debt.approve); its number."""
    return approve_doc(store, doc_id, reject=reject)


def name_of(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


SERVICES: dict[str, Callable[..., Any]] = {name_of(f): f for f in (
    view.periods, calculate_month, close_period,
    prepare_search, view.warm_up, search, view.load_card,
    view.streets, view.buildings, view.round_meters, check_one, save,
    payments_queue, import_payment_file, match_found,
    place_options, find_debtors, debt_periods, epd_pdf,
    explanation, default_day, add_manual, report_table,
    legal.find_counterparties, legal.counterparty_card, legal.contract_card, approve,
    contract_docs, legal_doc, issue_contract_docs, legal_docs_pdf, send_legal_docs, correct,
    find_legal_debtors, collection_rights, collection_options, my_tasks, open_cases_of, debt_docs, case_card,
    pir.start_cases, pir.cases, pir.finish_task, pir.forward_task, pir.add_event, pir.set_stage,
    prepare_stage_doc, approve_debt_doc,
)}
"""The console's services by name: the server runs these and nothing else."""

LONG = frozenset(name_of(f) for f in (calculate_month, close_period, import_payment_file, epd_pdf, legal_docs_pdf,
                                      send_legal_docs))
"""Services that run as a job of the server (listed by `sbyt jobs`, with their progress)."""

TYPES: dict[str, type] = {name_of(t): t for t in (ReadingEntry, DebtorFilter, LegalDebtorFilter)}
"""The dataclasses a service may take as an argument."""
