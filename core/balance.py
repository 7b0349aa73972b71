"""Balances from the ledger: per account, service and month, and the turnover of a posting period.

Every figure is a sum of postings (positive = debt). The turnover of a period is the store's table
macro `turnover(p_from, p_to, service)` (migrations 020, 021) — the one definition shared with the
turnover-balance sheet (sql/reports/turnover_by_*.sql); its opening column is the store's macro
`brought_forward(period, kind, p_from)`, which the ЕПД uses too. Kinds fall into the columns:

    opening       brought forward: postings of earlier periods, plus kind 'opening' (balances
                  from the old system, loaded into the first month)
    accrued       accrual
    recalculated  recalc
    penalty       penalty
    paid          −payment (advance set-offs are two payment postings that cancel out)
    other         refund + transfer + writeoff

so that opening + accrued + recalculated + penalty − paid + other = closing for every account and
period.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.core.payments import account_id
from sbyt.core.store import Store

MONEY_IN = ("payment", "transfer", "refund")     # what `debts` shows as paid per month


def _in(kinds: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{k}'" for k in kinds) + ")"


TURNOVER_SQL = "SELECT * FROM turnover($p, $p, '')"


@dataclass(frozen=True)
class Turnover:
    period: int
    opening_kop: int
    accrued_kop: int
    recalculated_kop: int
    penalty_kop: int
    paid_kop: int
    other_kop: int
    closing_kop: int


def turnover(store: Store, account: str, period: int) -> Turnover:
    acc = account_id(store, account)
    row = store.all(TURNOVER_SQL + " WHERE account_id = $a", {"p": period, "a": acc})
    if not row:
        return Turnover(period, 0, 0, 0, 0, 0, 0, 0)
    r = row[0]
    return Turnover(period, *(int(v or 0) for v in r[1:]))


def turnover_all(store: Store, period: int) -> list[tuple]:
    """(account_id, opening, accrued, recalculated, penalty, paid, other, closing) per account."""
    return store.all(TURNOVER_SQL + " ORDER BY account_id", {"p": period})


def debts(store: Store, account: str) -> list[tuple[int, str, int, int, int]]:
    """(for_period, service, charged, paid, balance) per month and service with anything on it."""
    acc = account_id(store, account)
    return [(int(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])) for r in store.all(f"""
        SELECT for_period, service,
               coalesce(sum(amount_kop) FILTER (WHERE kind NOT IN {_in(MONEY_IN)}), 0)::BIGINT,
               coalesce(-sum(amount_kop) FILTER (WHERE kind IN {_in(MONEY_IN)}), 0)::BIGINT,
               sum(amount_kop)::BIGINT
        FROM posting WHERE account_id = ?
        GROUP BY ALL HAVING count(*) > 0 ORDER BY for_period, service""", [acc])]


def account_total(store: Store, account: str) -> int:
    acc = account_id(store, account)
    return int(store.scalar("SELECT coalesce(sum(amount_kop), 0) FROM posting WHERE account_id = ?", [acc]))
