"""Several months of accruals, penalties and payments: the turnover invariant holds per account."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
import pyarrow as pa

from sbyt.calc import penalty
from sbyt.calc.close import close_period
from sbyt.calc.write import lines_table, write_lines
from sbyt.core import balance, payments
from sbyt.core.period import start_period
from sbyt.core.periods import next_period


def _accrue(store, period: int, n: int, rng) -> None:
    amounts = rng.integers(10_00, 3000_00, n)
    store.con.register("_acc", pa.table({"acc": np.arange(1, n + 1), "amt": amounts}))
    store.execute(f"""INSERT INTO accrual_line (id, period, for_period, account_id, service, method, amount_kop)
                      SELECT (SELECT coalesce(max(id), 0) FROM accrual_line) + acc, {period}, {period}, acc,
                             'electricity', 'manual', amt FROM _acc""")
    store.con.unregister("_acc")


def test_months_of_payments_keep_the_invariant(store, helpers):
    n = 40
    helpers.add_accounts(store, [f"20000000{i:02d}" for i in range(1, n + 1)])
    rng = np.random.default_rng(5)
    period = 202601
    start_period(store, period)
    seen_penalty = 0
    for _ in range(6):
        _accrue(store, period, n, rng)
        ctx = SimpleNamespace(store=store, period=period, post_period=period, recompute=False, lines=[], extra={})
        penalty.step(ctx)
        seen_penalty += ctx.extra["penalty"]["lines"]
        write_lines(store, period, lines_table(ctx.lines, []), replace=False)
        close_period(store, period)
        period = next_period(period)
        who = np.flatnonzero(rng.random(n) < 0.6) + 1
        t = pa.table({"account_id": who, "amount_kop": rng.integers(1_00, 4000_00, len(who)),
                      "pay_date": pa.array([date(period // 100, period % 100, int(d)) for d in rng.integers(1, 28, len(who))],
                                           pa.date32())})
        payments.post_payments(store, t)
    assert seen_penalty > 0
    rows = balance.turnover_all(store, period)
    assert len(rows) == n
    for acc, opening, accrued, recalc, paid, closing in rows:
        assert (opening or 0) + (accrued or 0) + (recalc or 0) - (paid or 0) == closing
    for p in range(202601, period + 1):
        if p % 100 > 12:
            continue
        this = {r[0]: r for r in balance.turnover_all(store, p)}
        nxt = {r[0]: r for r in balance.turnover_all(store, next_period(p))}
        assert all((this[a][5] or 0) == (nxt[a][1] or 0) for a in this)
    total = sum(r[5] or 0 for r in rows)
    assert total == store.scalar("SELECT sum(amount_kop) FROM posting")
    paid = store.scalar("SELECT sum(amount_kop) FROM payment WHERE status = 'posted'")
    assert -store.scalar("SELECT sum(amount_kop) FROM posting WHERE kind = 'payment'") == paid
