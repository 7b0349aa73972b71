"""Closing a month: its draft lines go to the ledger, the month freezes, the next one opens.

All in one transaction. Postings are aggregated per account, service, kind and corrected month
(`ref_id` NULL); the lines themselves stay in `accrual_line` as the detail, marked 'posted'.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.core.access import requires
from sbyt.core import jobs
from sbyt.core.errors import ClosedPeriodError, SbytError
from sbyt.core.ledger import post
from sbyt.core.period_state import is_closed, open_period, start_period
from sbyt.core.periods import last_day, next_period, period_label
from sbyt.core.store import Store

POSTINGS_SQL = """
SELECT account_id, service, kind, for_period, amount AS amount_kop, vat AS vat_kop
FROM (
    SELECT account_id, service,
           CASE WHEN service = 'penalty' OR method = 'penalty' THEN 'penalty'
                WHEN method IN ('recalc', 'manual') OR for_period <> period THEN 'recalc'
                ELSE 'accrual' END AS kind,
           for_period, sum(amount_kop)::BIGINT AS amount, sum(vat_kop)::BIGINT AS vat
    FROM accrual_line WHERE period = ? AND status = 'draft'
    GROUP BY ALL)
WHERE amount <> 0 OR vat <> 0
ORDER BY account_id, service, kind, for_period
"""


LEGAL_POSTINGS_SQL = """
INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop, vat_kop,
                           op_date, created_by)
SELECT $base + row_number() OVER (ORDER BY counterparty_id, contract_id, kind, for_period) - 1,
       counterparty_id, contract_id, kind, $period, for_period, amount, vat, $op_date, $user
FROM (
    SELECT counterparty_id, contract_id,
           CASE WHEN component = 'penalty' THEN 'penalty'
                WHEN method IN ('recalc', 'manual') OR for_period <> period THEN 'recalc' ELSE 'accrual' END AS kind,
           for_period,
           sum(amount_kop + CASE WHEN vat_included THEN 0 ELSE vat_kop END)::BIGINT AS amount,
           sum(vat_kop)::BIGINT AS vat
    FROM legal_charge WHERE period = $period AND status = 'draft' GROUP BY ALL)
WHERE amount <> 0 OR vat <> 0
"""


def post_legal(store: Store, period: int) -> int:
    """The month's draft legal-entity lines into the contracts' ledger (one row per counterparty,
    contract, kind and corrected month, VAT included), lines marked 'posted'; joins the caller's
    transaction. Returns the postings written."""
    with store.transaction() as con:
        before = int(store.scalar("SELECT count(*) FROM legal_posting"))
        con.execute(LEGAL_POSTINGS_SQL, {"base": store.next_id("legal_posting"), "period": period,
                                         "op_date": last_day(period), "user": store.user or "system"})
        con.execute("UPDATE legal_charge SET status = 'posted' WHERE period = ? AND status = 'draft'", [period])
        return int(store.scalar("SELECT count(*) FROM legal_posting")) - before


@dataclass(frozen=True)
class CloseResult:
    period: int
    next_period: int
    lines: int
    postings: int
    amount_kop: int
    debt_started: int = 0           # ПИР cases started by the saved selections with automatic start
    schedules_broken: int = 0


@dataclass(frozen=True)
class PeriodStatus:
    period: int
    status: str
    calc_at: object
    closed_at: object
    draft_lines: int
    draft_kop: int
    posted_kop: int


@requires("period.close")
def open_first(store: Store, period: int) -> None:
    """`sbyt period open`: the first month of an empty store."""
    with store.transaction():
        start_period(store, period)
        store.audit("command", "billing_period", period, None, '{"status": "open"}')


def check_closable(store: Store, period: int) -> None:
    """Refuse closing `period` unless it is the open, calculated month."""
    current = open_period(store)
    if period != current:
        if is_closed(store, period):
            raise ClosedPeriodError(period)
        raise SbytError(f"Закрыть можно только открытый период {period_label(current)}.")
    calc_at = store.scalar("SELECT calc_at FROM billing_period WHERE period = ?", [period])
    if calc_at is None:
        raise SbytError(f"Период {period_label(period)} не рассчитан: выполните «sbyt calc».")


@requires("period.close")
def close_period(store: Store, period: int) -> CloseResult:
    check_closable(store, period)
    with jobs.exclusive(f"period:{period}", f"Закрытие периода {period_label(period)}"), store.transaction() as con:
        lines, total = store.one("SELECT count(*), coalesce(sum(amount_kop), 0)::BIGINT FROM accrual_line"
                                 " WHERE period = ? AND status = 'draft'", [period])
        rows = con.sql(POSTINGS_SQL, params=[period]).to_arrow_table()
        postings = post(store, rows, period=period, op_date=last_day(period))
        con.execute("UPDATE accrual_line SET status = 'posted' WHERE period = ? AND status = 'draft'", [period])
        postings += post_legal(store, period)
        con.execute("UPDATE billing_period SET status = 'closed', closed_at = current_timestamp, closed_by = ?"
                    " WHERE period = ?", [store.user, period])
        nxt = next_period(period)
        con.execute("INSERT INTO billing_period (period, status) VALUES (?, 'open')", [nxt])
        store.audit("command", "billing_period", period, '{"status": "open"}', '{"status": "closed"}')
    from sbyt.core import clock
    from sbyt.core.collection_branches import after_close

    started, broken = after_close(store, max(clock.today(), last_day(period)))
    return CloseResult(period, nxt, int(lines), int(postings), int(total), started, broken)


def draft_totals(store: Store, period: int) -> tuple[int, int]:
    """(amount in kopecks, number of lines) of a month's draft accrual lines."""
    total, lines = store.one("SELECT coalesce(sum(amount_kop), 0)::BIGINT, count(*) FROM accrual_line"
                             " WHERE period = ? AND status = 'draft'", [period])
    return int(total), int(lines)


def legal_draft_totals(store: Store, period: int) -> tuple[int, int, int]:
    """(amount without the VAT on top, VAT, lines) of a month's draft legal-entity lines; a line at
    household tariffs includes its VAT, so its amount without VAT is amount − VAT."""
    amount, vat, lines = store.one(
        "SELECT coalesce(sum(amount_kop - CASE WHEN vat_included THEN vat_kop ELSE 0 END), 0)::BIGINT,"
        " coalesce(sum(vat_kop), 0)::BIGINT, count(*) FROM legal_charge WHERE period = ? AND status = 'draft'",
        [period])
    return int(amount), int(vat), int(lines)


def period_status(store: Store) -> list[PeriodStatus]:
    rows = store.all("""
        SELECT b.period, b.status, b.calc_at, b.closed_at,
               count(l.id) FILTER (WHERE l.status = 'draft'),
               coalesce(sum(l.amount_kop) FILTER (WHERE l.status = 'draft'), 0)::BIGINT,
               coalesce(sum(l.amount_kop) FILTER (WHERE l.status = 'posted'), 0)::BIGINT
        FROM billing_period b LEFT JOIN accrual_line l ON l.period = b.period
        GROUP BY ALL ORDER BY b.period""")
    return [PeriodStatus(*r) for r in rows]
