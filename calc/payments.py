"""Payments into the ledger: import batches, cash entries, manual matching, refunds, transfers.

Every source arrives as a pyarrow table of payment rows (`sbyt.core.payments.PAYMENT_SCHEMA`) —
built by the parsers' adapter `sbyt.io.payments_file` for files, by `add_cash` for the cash desk, by
the demo generator for synthetic months (`post_payments`). One path writes them all: check the
days (`sbyt.core.payments.check_dates`), match accounts (`sbyt.core.payments_matching`), record
the rows in `payment`, distribute the matched ones into ledger postings (`sbyt.calc.distribution`),
register the import batch — in one transaction. The rules of days and postings are in
`sbyt.core.payments`' docstring and docs/payments.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sbyt.core.access import requires
from sbyt.calc.distribution import consume_advances, distribute
from sbyt.core import clock, labels
from sbyt.core.errors import NotFoundError, RefusedError, RowError, SbytError, ValidationError
from sbyt.core.ledger import post
from sbyt.core.legal_payments import route_statement
from sbyt.core.money import format_rub
from sbyt.core.payments import (PAYMENT_SCHEMA, SERVICES, SOURCES, CashResult, ImportResult, ParsedPayments, Progress,
                                account_id, check_dates, check_repeated_documents)
from sbyt.core.payments_matching import match
from sbyt.core.period_state import is_closed, open_period
from sbyt.core.periods import day_within, first_day, period_label, period_of
from sbyt.core.store import Store


# --------------------------------------------------------------------------------------- imports
@requires("payments.enter")
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
        check_repeated_documents(store, table, parsed.file_name)
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
    legal = (route_statement(store, period, batch_id, parsed.file_name)
             if source in ("bank", "xlsx") and parsed is not None and account_ids is None else None)
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
    posted = con.sql("""SELECT id AS payment_id, account_id, amount_kop, pay_date, for_period, for_service
                        FROM _p_new WHERE status = 'posted'""").to_arrow_table()
    postings = distribute(store, posted, period=period, on=first_day(period), batch_id=batch_id)
    row = con.execute("""
        SELECT count(*), coalesce(sum(amount_kop), 0), count(*) FILTER (WHERE status = 'posted'),
               count(*) FILTER (WHERE status = 'unidentified'), count(*) FILTER (WHERE status = 'aggregate')
        FROM _p_new""").fetchall()[0]
    con.execute("DROP VIEW IF EXISTS _p_new")
    con.execute("DROP TABLE IF EXISTS _m_pay")
    if legal is not None and legal.rows:
        return ImportResult(batch_id, int(row[0]) + legal.rows, int(row[1]) + legal.total_kop, int(row[2]), int(row[3]),
                            int(row[4]), postings, legal=legal.rows, legal_warnings=legal.warnings)
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


# --------------------------------------------------------------------------------------- the cash desk
@requires("payments.enter")
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


@requires("payments.enter")
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
@requires("payments.enter")
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
    one = store.con.sql("""SELECT id AS payment_id, account_id, amount_kop, pay_date, for_period, for_service
                               FROM payment WHERE id = ?""", params=[payment_id]).to_arrow_table()
    return distribute(store, one, period=period, on=first_day(period), kind=kind)


# --------------------------------------------------------------------------------------- refunds, transfers
def _balances(store: Store, acc: int) -> list[tuple[str, int, int]]:
    return store.all("""SELECT service, for_period, sum(amount_kop)::BIGINT FROM posting WHERE account_id = ?
                        GROUP BY ALL HAVING sum(amount_kop) <> 0 ORDER BY for_period DESC, service""", [acc])


@requires("payments.enter")
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
    with store.transaction():
        consume_advances(store, period=period, accounts=np.array([acc], np.int64))
        credit = -sum(s for _, _, s in _balances(store, acc))
        if amount_kop > credit:
            raise RefusedError(f"Переплата по лицевому счёту {account} — {format_rub(max(credit, 0))} ₽: "
                               f"вернуть {format_rub(amount_kop)} ₽ нельзя.")
        left = amount_kop
        rows: dict[str, list] = {"service": [], "for_period": [], "amount_kop": []}
        for service, for_period, s in _balances(store, acc):
            if s < 0 and left > 0:
                x = min(-s, left)
                for name, value in zip(rows, (service, for_period, x)):
                    rows[name].append(value)
                left -= x
        post(store, pa.table(rows), account_id=acc, kind="refund", period=period, op_date=day,
             note=f"Возврат: {reason}")
        store.audit("insert", "refund", acc, None, f'{{"amount_kop": {amount_kop}, "reason": "{reason}"}}')
    return day


@requires("payments.enter")
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
        left = amount
        rows: dict[str, list] = {"service": [], "for_period": [], "amount_kop": []}
        for service, for_period, x in parts:
            if left <= 0:
                break
            y = min(x, left)
            for name, value in zip(rows, (service, for_period, y)):
                rows[name].append(value)
            left -= y
        post(store, pa.table(rows), account_id=src, kind="transfer", period=period, op_date=day, ref_id=payment_id,
             note=f"Перенос: {reason}")
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
