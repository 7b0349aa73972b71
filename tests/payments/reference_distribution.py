"""The original set-based SQL distribution (before the Numba kernel), kept as the reference for
`tests/payments/test_distribution_reference.py`. Not used by the program."""
from __future__ import annotations

from datetime import date

from sbyt.core.store import Store

ADVANCE_SERVICE = "electricity"     # the service an unallocated remainder (advance) is posted to
METHODS = {
    "earliest": "b.for_period, prio, b.service",
    "priority": "prio, b.for_period, b.service",
    "current_first": "b.for_period DESC, prio, b.service",
}


def distribution_method(store: Store, on: date) -> str:
    text = store.scalar(
        "SELECT text_value FROM dated_rule WHERE code = 'payment.distribution' AND valid_from <= ?"
        " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1", [on, on])
    return text if text in METHODS else "earliest"


def _priorities(store: Store, on: date) -> None:
    store.execute("""
        CREATE OR REPLACE TEMP TABLE _d_prio AS
        SELECT substr(code, length('payment.priority.') + 1) AS service, arg_max(value, valid_from)::INTEGER AS prio
        FROM dated_rule WHERE code LIKE 'payment.priority.%' AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)
        GROUP BY code""", [on, on])


def distribute(store: Store, payments, *, period: int, on: date, kind: str = "payment",
               batch_id: int | None = None, note: str | None = None) -> int:
    """Post `payments` (an Arrow table; columns payment_id, account_id, amount_kop, pay_date, for_period,
    for_service) as negative postings of `kind` in `period`; returns the number of postings.
    Must run inside the caller's transaction."""
    con = store.con
    con.register("_ref_payments", payments)
    _priorities(store, on)
    order = METHODS[distribution_method(store, on)]
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _d_pay AS
        SELECT payment_id, account_id, amount_kop, pay_date, for_period, for_service,
               row_number() OVER (PARTITION BY account_id ORDER BY pay_date, payment_id) AS rnd
        FROM _ref_payments""")
    con.unregister("_ref_payments")
    consume_advances(store, period=period, accounts="(SELECT DISTINCT account_id FROM _d_pay)")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _d_bucket AS
        SELECT account_id, service, for_period, sum(amount_kop)::BIGINT AS debt
        FROM posting WHERE account_id IN (SELECT DISTINCT account_id FROM _d_pay)
        GROUP BY ALL HAVING sum(amount_kop) > 0""")
    con.execute("CREATE OR REPLACE TEMP TABLE _d_alloc (payment_id BIGINT, account_id BIGINT, service VARCHAR,"
                " for_period INTEGER, amount_kop BIGINT, pay_date DATE)")
    rounds = con.execute("SELECT coalesce(max(rnd), 0) FROM _d_pay").fetchall()[0][0]
    for r in range(1, rounds + 1):
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _d_round AS
            WITH c AS (
                SELECT p.payment_id, p.account_id, p.amount_kop AS pay, p.pay_date, b.service, b.for_period, b.debt,
                       CASE WHEN (p.for_period IS NOT NULL OR p.for_service IS NOT NULL)
                             AND (p.for_period IS NULL OR b.for_period = p.for_period)
                             AND (p.for_service IS NULL OR b.service = p.for_service) THEN 0 ELSE 1 END AS des,
                       coalesce(pr.prio, 5) AS prio
                FROM _d_pay p JOIN _d_bucket b ON b.account_id = p.account_id
                LEFT JOIN _d_prio pr ON pr.service = b.service
                WHERE p.rnd = {r} AND b.debt > 0
            ), o AS (
                SELECT *, sum(debt) OVER (PARTITION BY payment_id ORDER BY des, {order}
                                          ROWS UNBOUNDED PRECEDING) - debt AS before
                FROM c b
            )
            SELECT payment_id, account_id, service, for_period, least(debt, pay - before)::BIGINT AS amount_kop, pay_date
            FROM o WHERE pay > before""")
        con.execute("INSERT INTO _d_alloc SELECT * FROM _d_round")
        con.execute("""
            UPDATE _d_bucket SET debt = _d_bucket.debt - a.amount_kop FROM _d_round a
            WHERE a.account_id = _d_bucket.account_id AND a.service = _d_bucket.service
              AND a.for_period = _d_bucket.for_period""")
    # What no debt took is an advance of the payment's own month.
    con.execute(f"""
        INSERT INTO _d_alloc
        SELECT p.payment_id, p.account_id,
               CASE WHEN p.for_service IS NULL OR p.for_service = 'penalty' THEN '{ADVANCE_SERVICE}' ELSE p.for_service END,
               {period}, p.amount_kop - coalesce(a.s, 0), p.pay_date
        FROM _d_pay p LEFT JOIN (SELECT payment_id, sum(amount_kop) AS s FROM _d_alloc GROUP BY payment_id) a
             ON a.payment_id = p.payment_id
        WHERE p.amount_kop > coalesce(a.s, 0)""")
    n = con.execute("SELECT count(*) FROM _d_alloc").fetchall()[0][0]
    base = store.next_id("posting")     # ids as calc.close assigns them: max + 1 onwards
    con.execute(f"""
        INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, vat_kop, op_date,
                             ref_id, batch_id, note)
        SELECT {base - 1} + row_number() OVER (ORDER BY account_id, payment_id, for_period, service), account_id,
               service, '{kind}', {period}, for_period, -amount_kop, 0, pay_date, payment_id, ?, ?
        FROM _d_alloc""", [batch_id, note])
    for t in ("_d_pay", "_d_bucket", "_d_alloc", "_d_round", "_d_prio"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return int(n)


def consume_advances(store: Store, *, period: int, accounts: str | None = None) -> int:
    """Move advances (negative month/service balances) onto debts of the same account, earliest debt
    first; two postings of kind 'payment' per move (−x on the debt, +x on the advance), so the
    account's total and its payments are unchanged while every month's debt becomes true.
    `accounts` is an SQL subquery of account ids to limit the work; None = every account."""
    con = store.con
    where = f"WHERE account_id IN {accounts}" if accounts else ""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _c_b AS
        SELECT account_id, service, for_period, sum(amount_kop)::BIGINT AS s,
               max(op_date) FILTER (WHERE amount_kop > 0) AS last_debit
        FROM posting {where} GROUP BY ALL HAVING sum(amount_kop) <> 0""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _c_acc AS
        SELECT account_id, least(sum(-s) FILTER (WHERE s < 0), sum(s) FILTER (WHERE s > 0)) AS moved
        FROM _c_b GROUP BY account_id
        HAVING count(*) FILTER (WHERE s < 0) > 0 AND count(*) FILTER (WHERE s > 0) > 0""")
    if not con.execute("SELECT count(*) FROM _c_acc").fetchall()[0][0]:
        con.execute("DROP TABLE IF EXISTS _c_b; DROP TABLE IF EXISTS _c_acc")
        return 0
    base = store.next_id("posting")
    con.execute(f"""
        INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, vat_kop, op_date, note)
        WITH side AS (
            SELECT b.account_id, b.service, b.for_period, b.s, b.last_debit, a.moved,
                   sum(abs(b.s)) OVER (PARTITION BY b.account_id, b.s > 0
                                       ORDER BY b.for_period, b.service ROWS UNBOUNDED PRECEDING) - abs(b.s) AS before
            FROM _c_b b JOIN _c_acc a USING (account_id)
        ), moves AS (
            SELECT account_id, service, for_period, s, last_debit, least(abs(s), moved - before) AS x
            FROM side WHERE moved > before
        ), dates AS (
            SELECT account_id, max(last_debit) FILTER (WHERE s > 0) AS day FROM moves GROUP BY account_id
        )
        SELECT {base - 1} + row_number() OVER (ORDER BY m.account_id, m.for_period, m.service), m.account_id,
               m.service, 'payment', {period}, m.for_period,
               CASE WHEN m.s > 0 THEN -m.x ELSE m.x END, 0,
               coalesce(CASE WHEN m.s > 0 THEN m.last_debit ELSE d.day END, DATE '{_first(period)}'),
               'Зачёт аванса'
        FROM moves m JOIN dates d USING (account_id)""")
    n = con.execute("SELECT count(*) FROM _c_acc").fetchall()[0][0]
    con.execute("DROP TABLE IF EXISTS _c_b; DROP TABLE IF EXISTS _c_acc")
    return int(n)


def _first(period: int) -> str:
    return f"{period // 100:04d}-{period % 100:02d}-01"
