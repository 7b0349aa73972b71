"""Payment rows and their checks: the row schema every source is turned into, the parsed file,
the batch results, the checks of days and repeated bank documents, the unidentified queue.
Writing them into `payment` and the ledger is `sbyt.calc.payments`.

Postings of a payment: kind 'payment', negative amounts, service and for_period from the
distribution, op_date = the payment day, period = the month it is posted in, ref_id = payment.id.
Every payment is posted in the open month with its real day (the penalty timeline and the
distribution use the day; the ledger's period is the month it was booked in). A payment dated in a
closed month — a bank statement with the 30th and 31st reaching the office after the close — is
accepted, posted in the open month and counted in the batch result; a day after today is refused
(every such row named, nothing written); a day before the store's first month, or older than the
dated setting `payment.max_age_days`, is accepted with a warning naming the row (`check_dates`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa

from sbyt.core import clock, labels
from sbyt.core.errors import NotFoundError, RowError, ValidationError
from sbyt.core.money import format_rub
from sbyt.core.period_state import open_period
from sbyt.core.periods import first_day, period_label, period_title, period_title_in
from sbyt.core.reference import rule
from sbyt.core.store import Store

Progress = Callable[[str, float], None]

PAYMENT_SCHEMA = pa.schema([
    ("row_no", pa.int32()), ("pay_date", pa.date32()), ("amount_kop", pa.int64()),
    ("raw_account", pa.string()), ("els", pa.string()), ("payer_name", pa.string()),
    ("payer_inn", pa.string()), ("payer_account", pa.string()), ("doc_no", pa.string()),
    ("doc_date", pa.date32()), ("purpose", pa.string()), ("for_period", pa.int32()),
    ("for_service", pa.string()),
])
PAYMENT_COLUMNS = PAYMENT_SCHEMA.names
SOURCES = labels.codes("payment_source")
SERVICES = {"electricity", "odn", "penalty"}
WARN_ROWS = 100     # rows with a far-past day named one by one in a batch result (the rest counted)


@dataclass(frozen=True)
class Transfer:
    """The bank transfer (payment order) that carries a registry's money."""

    agent_inn: str
    doc_no: str
    doc_date: date | None
    amount_kop: int


@dataclass(frozen=True)
class ParsedPayments:
    source: str                       # bank | xlsx | registry | gis
    file_name: str
    sha256: str
    table: pa.Table                   # PAYMENT_SCHEMA
    transfer: Transfer | None = None  # a registry's aggregated transfer
    note: str = ""


@dataclass(frozen=True)
class Dating:
    """Where the payments of a batch are posted and what the operator is told about their days."""

    period: int                                 # the open month: every payment is posted in it
    rows: int = 0                               # payments of the batch
    late: tuple[tuple[int, int], ...] = ()      # (month, payments) dated in closed months
    ahead: tuple[tuple[int, int], ...] = ()     # (month, payments) dated after the open month, not after today
    warnings: tuple[RowError, ...] = ()         # days far in the past: accepted, to be checked (first WARN_ROWS)
    warned: int = 0                             # how many rows have such a day

    def lines(self) -> list[str]:
        """Russian lines for the batch result (none when every day is in the open month)."""
        out = []
        for months, one, several in ((self.late, "закрытого периода", "закрытых периодов"),
                                     (self.ahead, "после открытого периода", "после открытого периода")):
            if not months:
                continue
            n = sum(c for _, c in months)
            listed = (period_title(months[0][0]) if len(months) == 1
                      else ", ".join(f"{period_title(m)} — {c}" for m, c in months))
            which = one if len(months) == 1 else several
            if n == self.rows == 1:
                who, verb = "Платёж", "учтён"
            elif n == self.rows:
                who, verb = f"Все {n} {_payments_word(n)}", "учтены"
            else:
                who = f"Из них {n} {_payments_word(n)}"
                verb = "учтён" if _payments_word(n) == "платёж" else "учтены"
            out.append(f"{who} датой {which} ({listed}) {verb} в {period_title_in(self.period)}.")
        if self.warned:
            out.append(f"Платежи с давней датой приняты, проверьте даты: {self.warned}.")
            out.extend(str(w) for w in self.warnings)
            if self.warned > len(self.warnings):
                out.append(f"… и ещё {self.warned - len(self.warnings)} (всего {self.warned}).")
        return out


def _payments_word(n: int) -> str:
    """1 платёж, 2 платежа, 5 платежей."""
    if n % 10 == 1 and n % 100 != 11:
        return "платёж"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "платежа"
    return "платежей"


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    rows: int
    total_kop: int
    posted: int
    unidentified: int
    aggregate: int
    postings: int
    dating: Dating | None = None
    legal: int = 0                              # rows routed to legal-entity contracts (`legal_payments.route_statement`)
    legal_warnings: tuple[str, ...] = ()

    def message(self, file_name: str) -> str:
        parts = [f"Загружено платежей: {self.rows} на {format_rub(self.total_kop)} ₽ из «{file_name}»"
                 + (f" (партия {self.batch_id})" if self.batch_id else "") + ".",
                 f"Разнесено: {self.posted}, неопознано: {self.unidentified}"]
        if self.aggregate:
            parts.append(f", сводных перечислений агентов (детализированы реестром): {self.aggregate}")
        if self.legal:
            parts.append(f", по договорам юридических лиц: {self.legal}")
        head = " ".join(parts[:1]) + " " + "".join(parts[1:]) + "."
        return "\n".join([head, *(self.dating.lines() if self.dating else []), *self.legal_warnings])


@dataclass(frozen=True)
class CashResult:
    payment_id: int
    dating: Dating


def empty_table() -> pa.Table:
    return PAYMENT_SCHEMA.empty_table()


# --------------------------------------------------------------------------------------- checks
def check_dates(store: Store, table: pa.Table, file_name: str, today: date | None = None) -> Dating:
    """The days of a batch's payments (`row_no`, `pay_date`) against the open month and today.

    A day after `today` is refused: every such row is named and nothing is written. Every other
    day is posted in the open month; days in closed months and after the open month are counted
    for the batch result, and a day before the store's first month or older than the dated setting
    `payment.max_age_days` (in force today) is accepted with a warning naming the row."""
    today = today or clock.today()
    op = open_period(store)
    first = int(store.scalar("SELECT min(period) FROM billing_period"))
    max_age = rule(store, "payment.max_age_days", today)
    bound = first_day(first) if max_age is None else max(first_day(first), today - timedelta(days=int(max_age)))
    store.con.register("_chk_pay", table.select(["row_no", "pay_date"]))
    try:
        future = store.all("SELECT row_no, pay_date FROM _chk_pay WHERE pay_date > ? ORDER BY row_no", [today])
        if future:
            errors = [RowError(file_name, int(r), f"платёж от {d:%d.%m.%Y}: дата позже сегодняшней") for r, d in future]
            raise ValidationError(errors, f"Платежи с датой позже сегодняшней ({today:%d.%m.%Y}): {len(errors)}. "
                                          "Ничего не записано.")
        months = store.all("SELECT year(pay_date) * 100 + month(pay_date) AS m, count(*) FROM _chk_pay"
                           " WHERE m <> ? GROUP BY m ORDER BY m", [op])
        warned = int(store.scalar("SELECT count(*) FROM _chk_pay WHERE pay_date < ?", [bound]))
        old = store.all(f"SELECT row_no, pay_date FROM _chk_pay WHERE pay_date < ? ORDER BY row_no LIMIT {WARN_ROWS}",
                        [bound]) if warned else []
    finally:
        store.con.unregister("_chk_pay")
    warnings = []
    for row_no, day in old:
        why = (f"раньше первого месяца базы ({period_label(first)})" if day < first_day(first)
               else f"старше {int(max_age)} дн. (на {today:%d.%m.%Y} — {(today - day).days} дн.)")
        warnings.append(RowError(file_name, int(row_no), f"платёж от {day:%d.%m.%Y}: дата {why}"))
    return Dating(op, table.num_rows, tuple((int(m), int(c)) for m, c in months if m < op),
                  tuple((int(m), int(c)) for m, c in months if m > op), tuple(warnings), warned)


def check_repeated_documents(store: Store, table: pa.Table, file_name: str) -> None:
    """A bank document already loaded from another statement (overlapping periods, the same statement
    re-exported in another encoding) would be counted twice: refuse it."""
    store.con.register("_chk_doc", table.select(["row_no", "doc_no", "doc_date", "amount_kop", "payer_account",
                                                 "payer_inn"]))
    try:
        rows = store.all("""
            SELECT c.row_no, c.doc_no, c.doc_date, c.amount_kop, p.batch_id
            FROM _chk_doc c JOIN payment p
              ON p.source IN ('bank', 'xlsx') AND p.doc_no = c.doc_no AND p.doc_date = c.doc_date
             AND p.amount_kop = c.amount_kop AND coalesce(p.payer_account, '') = coalesce(c.payer_account, '')
             AND coalesce(p.payer_inn, '') = coalesce(c.payer_inn, '')
            WHERE coalesce(c.doc_no, '') <> '' ORDER BY c.row_no""")
    finally:
        store.con.unregister("_chk_doc")
    if rows:
        errors = [RowError(file_name, int(r[0]), f"документ № {r[1]} от {r[2]:%d.%m.%Y} на {format_rub(r[3])} ₽ "
                                                 f"уже загружен (партия {r[4]})") for r in rows]
        raise ValidationError(errors, f"Документы выписки уже загружены: {len(errors)}. Ничего не записано.")


def account_id(store: Store, number: str) -> int:
    acc = store.scalar("SELECT id FROM account WHERE number = ?", [number.strip()])
    if acc is None:
        raise NotFoundError(f"Лицевой счёт {number} не найден.")
    return int(acc)


def unidentified(store: Store) -> list[tuple]:
    return store.all("""
        SELECT p.id, p.pay_date, p.amount_kop, p.source, coalesce(p.payer_name, ''), coalesce(p.payer_inn, ''),
               coalesce(p.raw_account, ''), coalesce(p.purpose, ''), coalesce(b.file_name, '')
        FROM payment p LEFT JOIN import_batch b ON b.id = p.batch_id
        WHERE p.status = 'unidentified' ORDER BY p.pay_date, p.id""")
