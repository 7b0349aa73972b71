"""Payments: import batches, cash entries, matching, the unidentified queue, refunds, transfers.

Every source arrives as a pyarrow table of payment rows (`PAYMENT_COLUMNS`) — built by the parsers'
adapter `sbyt.io.payments_file` for files, by `add_cash` for the cash desk, by the demo generator
for synthetic months (`post_payments`). One path writes them all: check the month is open, match
accounts (`payments_matching`), record the rows in `payment`, distribute the matched ones into
ledger postings (`payments_distribution`), register the import batch — in one transaction.

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
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pyarrow as pa

from sbyt.core import clock, labels
from sbyt.core.errors import NotFoundError, RefusedError, RowError, SbytError, ValidationError
from sbyt.core.money import format_rub
from sbyt.core.period_state import is_closed, open_period
from sbyt.core.periods import day_within, first_day, period_label, period_of, period_title, period_title_in
from sbyt.core.reference import rule
from sbyt.core.payments_distribution import consume_advances, distribute
from sbyt.core.payments_matching import match
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

    def message(self, file_name: str) -> str:
        parts = [f"Загружено платежей: {self.rows} на {format_rub(self.total_kop)} ₽ из «{file_name}»"
                 + (f" (партия {self.batch_id})" if self.batch_id else "") + ".",
                 f"Разнесено: {self.posted}, неопознано: {self.unidentified}"]
        if self.aggregate:
            parts.append(f", сводных перечислений агентов (детализированы реестром): {self.aggregate}")
        head = " ".join(parts[:1]) + " " + "".join(parts[1:]) + "."
        return "\n".join([head, *(self.dating.lines() if self.dating else [])])


@dataclass(frozen=True)
class CashResult:
    payment_id: int
    dating: Dating


def empty_table() -> pa.Table:
    return PAYMENT_SCHEMA.empty_table()


# --------------------------------------------------------------------------------------- imports
def import_payments(store: Store, parsed: ParsedPayments, progress: Progress | None = None, *,
                    today: date | None = None) -> ImportResult:
    """Import one parsed file as a batch: all or nothing; the same file (sha256) twice is refused.
    `today` (default `sbyt.core.clock.today`) bounds the payment days (`check_dates`)."""
    tick = progress or (lambda stage, frac: None)
    dup = store.one("SELECT id, file_name, created_at FROM import_batch WHERE kind = 'payments' AND sha256 = ?",
                    [parsed.sha256])
    if dup:
        raise RefusedError(f"Файл «{parsed.file_name}» уже загружен (партия {dup[0]}, «{dup[1]}», "
                           f"{dup[2]:%d.%m.%Y %H:%M}); повторная загрузка запрещена.")
    table = parsed.table.cast(PAYMENT_SCHEMA)
    if table.num_rows == 0:
        raise RefusedError(f"В файле «{parsed.file_name}» нет платежей. Ничего не записано.")
    dating = check_dates(store, table, parsed.file_name, today)
    period = dating.period
    if parsed.source in ("bank", "xlsx"):
        _check_repeated_documents(store, table, parsed.file_name)
    tick("Сопоставление", 0.1)
    with store.transaction() as con:
        batch_id = store.next_id("import_batch")
        result = _write(store, table, parsed.source, period, batch_id, parsed, tick)
        con.execute(
            "INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, total_kop, note)"
            " VALUES (?, 'payments', ?, ?, ?, ?, ?, ?)",
            [batch_id, parsed.file_name, parsed.sha256, store.user, result.rows, result.total_kop,
             f"{labels.label('payment_source', parsed.source)}; разнесено {result.posted}, неопознано {result.unidentified}"
             + (f"; датой закрытых периодов {sum(c for _, c in dating.late)}" if dating.late else "")
             + (f"; {parsed.note}" if parsed.note else "")])
        store.audit("command", "import_batch", batch_id, None, f'{{"payments": {result.rows}, "file": "{parsed.file_name}"}}')
    tick("Готово", 1.0)
    return replace(result, dating=dating)


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


def _check_repeated_documents(store: Store, table: pa.Table, file_name: str) -> None:
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


def _write(store: Store, table: pa.Table, source: str, period: int, batch_id: int | None,
           parsed: ParsedPayments | None, tick: Progress, *, matched_by: str | None = None,
           account_ids: pa.Array | None = None) -> ImportResult:
    """Match, record and distribute the rows of `table` (inside the caller's transaction)."""
    con = store.con
    con.register("_w_in", table)
    con.execute("CREATE OR REPLACE TEMP TABLE _m_pay AS SELECT row_number() OVER () AS row_id, * FROM _w_in")
    con.unregister("_w_in")
    if account_ids is None:
        match(store)
    else:
        con.register("_w_acc", pa.table({"account_id": account_ids}))
        con.execute("ALTER TABLE _m_pay ADD COLUMN account_id BIGINT")
        con.execute("ALTER TABLE _m_pay ADD COLUMN matched_by VARCHAR")
        con.execute("CREATE OR REPLACE TEMP TABLE _m_pay AS SELECT m.* EXCLUDE (account_id, matched_by),"
                    " a.account_id, ? AS matched_by FROM _m_pay m POSITIONAL JOIN _w_acc a", [matched_by])
        con.unregister("_w_acc")
    con.execute("ALTER TABLE _m_pay ADD COLUMN aggregate BOOLEAN DEFAULT false")
    aggregate = _transfers(store, source, batch_id, parsed)
    tick("Запись платежей", 0.4)
    base = store.next_id("payment")     # max + 1: no sequence round trip per row
    con.execute(f"""
        CREATE OR REPLACE TEMP VIEW _p_new AS
        SELECT {base - 1} + m.row_id AS id, m.*,
               CASE WHEN m.aggregate THEN 'aggregate' WHEN m.account_id IS NULL THEN 'unidentified' ELSE 'posted' END
                   AS status
        FROM _m_pay m ORDER BY row_id""")
    if aggregate:
        _link_transfers(store)
    con.execute("""
        INSERT INTO payment (id, batch_id, source, pay_date, period, amount_kop, account_id, status, matched_by,
                             for_period, for_service, raw_account, payer_name, payer_inn, payer_account, doc_no,
                             doc_date, purpose, row_no, created_by)
        SELECT id, ?, ?, pay_date, ?, amount_kop, CASE WHEN aggregate THEN NULL ELSE account_id END, status,
               CASE WHEN status = 'posted' THEN matched_by END, for_period, for_service,
               coalesce(nullif(raw_account, ''), nullif(els, '')), payer_name, payer_inn, payer_account, doc_no,
               doc_date, purpose, row_no, ?
        FROM _p_new""", [batch_id, source, period, store.user])
    tick("Разнесение", 0.6)
    con.execute("""CREATE OR REPLACE TEMP VIEW _p_posted AS
                   SELECT id AS payment_id, account_id, amount_kop, pay_date, for_period, for_service
                   FROM _p_new WHERE status = 'posted'""")
    postings = distribute(store, "_p_posted", period=period, on=period_first(period), batch_id=batch_id)
    row = con.execute("""
        SELECT count(*), coalesce(sum(amount_kop), 0), count(*) FILTER (WHERE status = 'posted'),
               count(*) FILTER (WHERE status = 'unidentified'), count(*) FILTER (WHERE status = 'aggregate')
        FROM _p_new""").fetchall()[0]
    con.execute("DROP VIEW IF EXISTS _p_posted")
    con.execute("DROP VIEW IF EXISTS _p_new")
    con.execute("DROP TABLE IF EXISTS _m_pay")
    return ImportResult(batch_id, int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]), postings)


def _transfers(store: Store, source: str, batch_id: int | None, parsed: ParsedPayments | None) -> int:
    """Reconcile agents' aggregated transfers between statements and registries."""
    con = store.con
    if source == "registry" and parsed is not None and parsed.transfer is not None and parsed.transfer.doc_no:
        t = parsed.transfer
        if t.amount_kop != int(parsed.table.column("amount_kop").to_numpy().sum()):
            raise SbytError("Сумма реестра не равна сумме его строк.")
        known = store.one("SELECT amount_kop, statement_payment_id, registry_batch_id FROM payment_transfer"
                          " WHERE agent_inn = ? AND doc_no = ?", [t.agent_inn, t.doc_no])
        if known and known[2] is not None:
            raise RefusedError(f"Перечисление агента ИНН {t.agent_inn} по п/п № {t.doc_no} уже детализировано "
                               f"реестром (партия {known[2]}). Ничего не записано.")
        stmt = store.one(
            "SELECT id, amount_kop, status, account_id FROM payment WHERE source IN ('bank', 'xlsx')"
            " AND payer_inn = ? AND doc_no = ? AND (? IS NULL OR doc_date = ?) ORDER BY id LIMIT 1",
            [t.agent_inn, t.doc_no, t.doc_date, t.doc_date])
        if stmt:
            if stmt[1] != t.amount_kop:
                raise RefusedError(
                    f"Реестр не сходится с выпиской: п/п № {t.doc_no} агента ИНН {t.agent_inn} в выписке на "
                    f"{format_rub(stmt[1])} ₽, а в реестре {format_rub(t.amount_kop)} ₽. Ничего не записано.")
            if stmt[2] == "posted":
                raise RefusedError(
                    f"П/п № {t.doc_no} агента ИНН {t.agent_inn} (платёж {stmt[0]}) уже разнесён на лицевой счёт; "
                    "перенесите его («sbyt pay transfer») прежде чем загружать реестр. Ничего не записано.")
            con.execute("UPDATE payment SET status = 'aggregate', account_id = NULL WHERE id = ?", [stmt[0]])
        con.execute("INSERT OR REPLACE INTO payment_transfer VALUES (?, ?, ?, ?, ?, ?)",
                    [t.agent_inn, t.doc_no, t.doc_date, t.amount_kop, stmt[0] if stmt else None, batch_id])
        return 0
    if source in ("bank", "xlsx"):
        pairs = con.execute("""
            SELECT m.row_id, m.row_no, m.amount_kop, t.amount_kop, t.agent_inn, t.doc_no, t.registry_batch_id
            FROM _m_pay m JOIN payment_transfer t
              ON t.agent_inn = trim(m.payer_inn) AND t.doc_no = trim(m.doc_no)
             AND (t.doc_date IS NULL OR t.doc_date = m.doc_date)
            WHERE t.statement_payment_id IS NULL AND t.registry_batch_id IS NOT NULL""").fetchall()
        errors = [RowError(parsed.file_name if parsed else "", int(r[1]),
                           f"перечисление агента ИНН {r[4]} по п/п № {r[5]} на {format_rub(r[2])} ₽ не сходится "
                           f"с его реестром (партия {r[6]}) на {format_rub(r[3])} ₽")
                  for r in pairs if r[2] != r[3]]
        if errors:
            raise ValidationError(errors, "Выписка не сходится с реестрами агентов. Ничего не записано.")
        for r in pairs:
            con.execute("UPDATE _m_pay SET aggregate = true WHERE row_id = ?", [r[0]])
        # the payment ids are assigned later: link them after the insert
        if pairs:
            con.execute("""CREATE OR REPLACE TEMP TABLE _t_link AS
                           SELECT row_id, trim(payer_inn) AS inn, trim(doc_no) AS doc FROM _m_pay WHERE aggregate""")
        return len(pairs)
    return 0


def _link_transfers(store: Store) -> None:
    con = store.con
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = '_t_link' AND temporary").fetchall()[0][0]
    if not exists:
        return
    con.execute("""
        UPDATE payment_transfer SET statement_payment_id = p.id
        FROM _t_link l JOIN _p_new p ON p.row_id = l.row_id
        WHERE payment_transfer.agent_inn = l.inn AND payment_transfer.doc_no = l.doc""")
    con.execute("DROP TABLE _t_link")


def period_first(period: int) -> date:
    return date(period // 100, period % 100, 1)


# --------------------------------------------------------------------------------------- the cash desk
def account_id(store: Store, number: str) -> int:
    acc = store.scalar("SELECT id FROM account WHERE number = ?", [number.strip()])
    if acc is None:
        raise NotFoundError(f"Лицевой счёт {number} не найден.")
    return int(acc)


def add_cash(store: Store, account: str, amount_kop: int, day: date | None = None, *,
             for_period: int | None = None, for_service: str | None = None, purpose: str | None = None,
             today: date | None = None) -> CashResult:
    """A cash-desk payment (default day: today), posted at once to the account in the open month;
    the same date rules as a file (`check_dates`). Returns the payment id and its dating."""
    if amount_kop <= 0:
        raise SbytError("Сумма оплаты должна быть больше нуля.")
    if for_service is not None and for_service not in SERVICES:
        raise SbytError(f"Неизвестная услуга «{for_service}»: допустимы {', '.join(sorted(SERVICES))}.")
    acc = account_id(store, account)
    today = today or clock.today()
    day = day or today
    table = pa.table({
        "row_no": [1], "pay_date": [day], "amount_kop": [amount_kop], "raw_account": [account.strip()], "els": [None],
        "payer_name": [None], "payer_inn": [None], "payer_account": [None], "doc_no": [None], "doc_date": [None],
        "purpose": [purpose], "for_period": [for_period], "for_service": [for_service]}, schema=PAYMENT_SCHEMA)
    dating = check_dates(store, table, "касса", today)
    period = dating.period
    with store.transaction():
        _write(store, table, "cash", period, None, None, lambda s, f: None, matched_by="account",
               account_ids=pa.array([acc], pa.int64()))
        pid = int(store.scalar("SELECT max(id) FROM payment WHERE source = 'cash' AND account_id = ?", [acc]))
        store.audit("insert", "payment", pid, None, f'{{"account": "{account}", "amount_kop": {amount_kop}}}')
    return CashResult(pid, dating)


def post_payments(store: Store, table: pa.Table, source: str = "demo", *, batch_id: int | None = None,
                  progress: Progress | None = None, today: date | None = None) -> ImportResult:
    """Bulk API (demo generator, portal feeds): post many already-identified payments at once.

    `table` columns: `account_id` (int64), `amount_kop` (int64, > 0), `pay_date` (date32), and
    optionally `for_period` (int32), `for_service` (string), `purpose` (string). The days follow
    the rules of every payment (`check_dates`: posted in the open month, none after `today`).
    Matching is skipped (the accounts are given); distribution is the same as for any payment.
    Runs in its own transaction (or joins the caller's).
    """
    n = table.num_rows
    if n == 0:
        return ImportResult(batch_id, 0, 0, 0, 0, 0, 0)

    def col(name: str, typ: pa.DataType) -> pa.Array:
        if name in table.column_names:
            return table.column(name).cast(typ)
        return pa.nulls(n, typ)

    if source not in SOURCES:
        raise SbytError(f"Неизвестный источник «{source}».")
    amounts = table.column("amount_kop").cast(pa.int64())
    import pyarrow.compute as pc

    if pc.min(amounts).as_py() <= 0:
        raise SbytError("Сумма оплаты должна быть больше нуля.")
    payments = pa.table({
        "row_no": pa.array(range(1, n + 1), pa.int32()), "pay_date": col("pay_date", pa.date32()),
        "amount_kop": amounts, "raw_account": col("raw_account", pa.string()), "els": pa.nulls(n, pa.string()),
        "payer_name": col("payer_name", pa.string()), "payer_inn": pa.nulls(n, pa.string()),
        "payer_account": pa.nulls(n, pa.string()), "doc_no": col("doc_no", pa.string()),
        "doc_date": pa.nulls(n, pa.date32()), "purpose": col("purpose", pa.string()),
        "for_period": col("for_period", pa.int32()), "for_service": col("for_service", pa.string())},
        schema=PAYMENT_SCHEMA)
    dating = check_dates(store, payments, labels.label("payment_source", source), today)
    ids = table.column("account_id").cast(pa.int64()).combine_chunks()
    with store.transaction():
        result = _write(store, payments, source, dating.period, batch_id, None, progress or (lambda s, f: None),
                        matched_by="account", account_ids=ids)
    return replace(result, dating=dating)


# --------------------------------------------------------------------------------------- the queue
def unidentified(store: Store) -> list[tuple]:
    return store.all("""
        SELECT p.id, p.pay_date, p.amount_kop, p.source, coalesce(p.payer_name, ''), coalesce(p.payer_inn, ''),
               coalesce(p.raw_account, ''), coalesce(p.purpose, ''), coalesce(b.file_name, '')
        FROM payment p LEFT JOIN import_batch b ON b.id = p.batch_id
        WHERE p.status = 'unidentified' ORDER BY p.pay_date, p.id""")


def match_payment(store: Store, payment_id: int, account: str, *, remember_inn: bool = False) -> int:
    """An operator matches an unidentified payment: it is posted to the account in the open month."""
    row = store.one("SELECT status, amount_kop, pay_date, for_period, for_service, payer_inn FROM payment WHERE id = ?",
                    [payment_id])
    if row is None:
        raise NotFoundError(f"Платёж {payment_id} не найден.")
    if row[0] != "unidentified":
        raise RefusedError(f"Платёж {payment_id} не в очереди неопознанных (состояние: {row[0]}).")
    acc = account_id(store, account)
    period = open_period(store)
    with store.transaction() as con:
        con.execute("UPDATE payment SET account_id = ?, status = 'posted', matched_by = 'manual', period = ? WHERE id = ?",
                    [acc, period, payment_id])
        n = _distribute_one(store, payment_id, period)
        if remember_inn and row[5]:
            con.execute("INSERT OR IGNORE INTO payment_alias VALUES ('inn', ?, ?, 'запомнено при ручном разнесении')",
                        [row[5], acc])
        store.audit("update", "payment", payment_id, '{"status": "unidentified"}',
                    f'{{"status": "posted", "account": "{account}"}}')
    return n


def _distribute_one(store: Store, payment_id: int, period: int, kind: str = "payment") -> int:
    store.con.execute(f"""CREATE OR REPLACE TEMP TABLE _one AS SELECT id AS payment_id, account_id, amount_kop,
                          pay_date, for_period, for_service FROM payment WHERE id = {int(payment_id)}""")
    n = distribute(store, "_one", period=period, on=period_first(period), kind=kind)
    store.con.execute("DROP TABLE _one")
    return n


# --------------------------------------------------------------------------------------- refunds, transfers
def _balances(store: Store, acc: int) -> list[tuple[str, int, int]]:
    return store.all("""SELECT service, for_period, sum(amount_kop)::BIGINT FROM posting WHERE account_id = ?
                        GROUP BY ALL HAVING sum(amount_kop) <> 0 ORDER BY for_period DESC, service""", [acc])


def refund(store: Store, account: str, amount_kop: int, day: date | None = None, reason: str = "") -> date:
    """Return an overpayment to the consumer: positive postings of kind 'refund' on the advance, dated
    `day` (default: today moved into the open month). Returns the day."""
    if amount_kop <= 0:
        raise SbytError("Сумма возврата должна быть больше нуля.")
    if not reason:
        raise SbytError("Укажите основание возврата (--reason).")
    acc = account_id(store, account)
    period = open_period(store)
    day = day or day_within(period, clock.today())
    _check_day(store, day, period)
    with store.transaction() as con:
        consume_advances(store, period=period, accounts=f"({acc})")
        credit = -sum(s for _, _, s in _balances(store, acc))
        if amount_kop > credit:
            raise RefusedError(f"Переплата по лицевому счёту {account} — {format_rub(max(credit, 0))} ₽: "
                               f"вернуть {format_rub(amount_kop)} ₽ нельзя.")
        left = amount_kop
        rows = []
        for service, for_period, s in _balances(store, acc):
            if s < 0 and left > 0:
                x = min(-s, left)
                rows.append((acc, service, period, for_period, x, day, f"Возврат: {reason}"))
                left -= x
        base = store.next_id("posting")
        con.executemany("""INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date, note)
                           VALUES (?, ?, ?, 'refund', ?, ?, ?, ?, ?)""", [(base + i, *r) for i, r in enumerate(rows)])
        store.audit("insert", "refund", acc, None, f'{{"amount_kop": {amount_kop}, "reason": "{reason}"}}')
    return day


def transfer(store: Store, payment_id: int, to_account: str, amount_kop: int | None = None,
             day: date | None = None, reason: str = "") -> int:
    """Move (part of) a posted payment to another account: its postings are reversed (latest months
    first) with kind 'transfer', and the amount is distributed on the other account as a new payment
    (source 'transfer', postings of kind 'transfer'). Returns the new payment id."""
    row = store.one("SELECT status, account_id, amount_kop FROM payment WHERE id = ?", [payment_id])
    if row is None:
        raise NotFoundError(f"Платёж {payment_id} не найден.")
    if row[0] != "posted":
        raise RefusedError(f"Платёж {payment_id} не разнесён (состояние: {row[0]}): переносить нечего; "
                           "неопознанный платёж разносится командой «sbyt pay match».")
    if not reason:
        raise SbytError("Укажите основание переноса (--reason).")
    src = int(row[1])
    dst = account_id(store, to_account)
    if dst == src:
        raise SbytError("Перенос на тот же лицевой счёт не имеет смысла.")
    period = open_period(store)
    day = day or day_within(period, clock.today())
    _check_day(store, day, period)
    with store.transaction() as con:
        parts = con.execute("""SELECT service, for_period, -sum(amount_kop)::BIGINT FROM posting
                               WHERE ref_id = ? AND account_id = ? AND kind IN ('payment', 'transfer')
                               GROUP BY ALL HAVING sum(amount_kop) < 0 ORDER BY for_period DESC, service""",
                            [payment_id, src]).fetchall()
        available = sum(p[2] for p in parts)
        amount = available if amount_kop is None else amount_kop
        if amount <= 0 or amount > available:
            raise RefusedError(f"С платежа {payment_id} можно перенести не больше {format_rub(available)} ₽.")
        left, rows = amount, []
        for service, for_period, x in parts:
            if left <= 0:
                break
            y = min(x, left)
            rows.append((src, service, period, for_period, y, day, payment_id, f"Перенос: {reason}"))
            left -= y
        base = store.next_id("posting")
        con.executemany("""INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date,
                                                ref_id, note)
                           VALUES (?, ?, ?, 'transfer', ?, ?, ?, ?, ?, ?)""", [(base + i, *r) for i, r in enumerate(rows)])
        new_id = store.next_id("payment")
        con.execute("""INSERT INTO payment (id, source, pay_date, period, amount_kop, account_id, status, matched_by,
                                            purpose, doc_no, created_by)
                       VALUES (?, 'transfer', ?, ?, ?, ?, 'posted', 'manual', ?, ?, ?)""",
                    [new_id, day, period, amount, dst, f"Перенос с платежа {payment_id}: {reason}", str(payment_id),
                     store.user])
        _distribute_one(store, new_id, period, kind="transfer")
        store.audit("insert", "transfer", payment_id, None,
                    f'{{"to": "{to_account}", "amount_kop": {amount}, "reason": "{reason}"}}')
    return new_id


def _check_day(store: Store, day: date, period: int) -> None:
    if period_of(day) != period:
        m = period_of(day)
        why = "закрыт" if is_closed(store, m) else "ещё не открыт"
        raise RefusedError(f"Дата {day:%d.%m.%Y}: период {period_label(m)} {why}; открыт {period_label(period)}.")
