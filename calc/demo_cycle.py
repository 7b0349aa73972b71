"""The demo region's monthly cycle: calculate the open month, take its payments, close it.

Runs `months` cycles on a store built by `sbyt.core.demo.build_demo`, then calculates the open
month and takes its payments so far, so the store ends with closed months to report and print and
a calculated open month. Payments are synthetic but shaped like a real region's: most households
pay what their last ЕПД asked for, some round it up, some pay half, some pay nothing, a few pay
in advance; they go through the same distribution as any imported payment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from sbyt.calc.close import close_period
from sbyt.calc.pipeline import calculate
from sbyt.calc.payments import post_payments
from sbyt.core.period_state import open_period
from sbyt.core.periods import days_in, first_day, last_day
from sbyt.core.store import Store

Progress = Callable[[str, float], None]

DEMO_TODAY = date(2026, 11, 27)


def run_demo_cycle(store: Store, months: int, seed: int, progress: Progress | None = None) -> None:
    tick = progress or (lambda stage, frac: None)
    steps = months + 1
    for i in range(months):
        period = open_period(store)
        tick(f"Расчёт {period}", i / steps)
        calculate(store, period)
        tick(f"Оплаты {period}", (i + 0.6) / steps)
        _payments(store, period, seed)
        tick(f"Закрытие {period}", (i + 0.8) / steps)
        close_period(store, period)
    period = open_period(store)
    tick(f"Оплаты {period}", months / steps)
    _payments(store, period, seed)
    tick(f"Расчёт {period}", (months + 0.5) / steps)
    calculate(store, period)
    tick("Готово", 1.0)


def _payments(store: Store, period: int, seed: int) -> None:
    """Synthetic payments of one month: most households pay what their last ЕПД asked for."""
    bills = store.con.execute(
        """
        SELECT a.id AS acc,
               coalesce(sum(p.amount_kop) FILTER (WHERE brought_forward(p.period, p.kind, ?)), 0) AS debt
        FROM account a LEFT JOIN posting p ON p.account_id = a.id
        GROUP BY a.id ORDER BY a.id
        """,
        [period],
    ).fetchnumpy()
    acc = np.asarray(bills["acc"], dtype=np.int64)
    debt = np.asarray(bills["debt"], dtype=np.int64)
    rng = np.random.default_rng([seed, period])
    n = len(acc)
    due = np.maximum(debt, 0)   # what the ЕПД asked for: everything posted before this month
    kind = rng.choice(5, n, p=[0.64, 0.12, 0.06, 0.13, 0.05])  # in full, rounded up, half, nothing, with advance
    amount = np.select(
        [kind == 0, kind == 1, kind == 2, kind == 3],
        [due, (due // 10_000 + 1) * 10_000 * (due > 0), due // 2, np.zeros(n, np.int64)],
        due + rng.integers(1, 30, n) * 10_000,
    ).astype(np.int64)
    pay = amount > 0
    last = min(days_in(period), 28)
    if first_day(period) <= DEMO_TODAY < first_day(period) + timedelta(days=days_in(period)):
        last = DEMO_TODAY.day - 1
    day = np.datetime64(first_day(period)) + rng.integers(0, last, n).astype("timedelta64[D]")
    table = pa.table({"account_id": pa.array(acc[pay]), "amount_kop": pa.array(amount[pay]),
                      "pay_date": pa.array(day[pay])})
    if table.num_rows:
        post_payments(store, table, source="demo", today=min(last_day(period), DEMO_TODAY))

