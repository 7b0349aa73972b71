"""The due date of a month's bill: one rule, spelled once in Python and once in SQL.

A month's bill is due on day N of the following month, N being the dated rule `due_day.<kind>` in
force on that month's first day (kind: `household` — citizens, ПП 354 п. 66; `manager` — managing
companies and ТСЖ buying for their residents). A day past the month's end means its last day
(N = 31 in a 30-day month is the 30th). The SQL twin is the macro `due_date(for_period, kind)` of
migration `014_due_date.sql`; tests/test_rules.py binds the two.
"""

from __future__ import annotations

from datetime import date

from sbyt.core.errors import SbytError
from sbyt.core.periods import days_in, first_day, next_period
from sbyt.core.reference import rule

KINDS = ("household", "manager")


def due_on(debt_period: int, day: int) -> date:
    """Day `day` of the month after `debt_period`, clamped to that month's last day."""
    nxt = next_period(debt_period)
    return date(nxt // 100, nxt % 100, max(1, min(day, days_in(nxt))))


def due_date(store, debt_period: int, kind: str = "household") -> date:
    """The due date of the bill of `debt_period` for a consumer of `kind`."""
    if kind not in KINDS:
        raise ValueError(f"unknown consumer kind {kind!r}")
    code = f"due_day.{kind}"
    on = first_day(next_period(debt_period))
    day = rule(store, code, on)
    if day is None:
        raise SbytError(f"Не задан срок оплаты ({code}) на {on:%d.%m.%Y}: загрузите справочник правил (sbyt init).")
    return due_on(debt_period, int(day))
