"""Several months of accruals, penalties and payments: the turnover invariant holds per account."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
import pyarrow as pa

from sbyt.calc import penalty
from sbyt.calc.close import close_period
from sbyt.calc.write import lines_table, write_lines
from sbyt.calc import payments
from sbyt.core import balance
from sbyt.core.period_state import start_period
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
        write_lines(store, period, lines_table(ctx.lines, []), replace=False)     # appends: no stamp
        store.execute("UPDATE billing_period SET calc_at = current_timestamp WHERE period = ?", [period])
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
    z = lambda v: v or 0  # noqa: E731
    for acc, opening, accrued, recalc, pen, paid, other, closing in rows:
        assert z(opening) + z(accrued) + z(recalc) + z(pen) - z(paid) + z(other) == closing
    for p in range(202601, period + 1):
        if p % 100 > 12:
            continue
        this = {r[0]: r for r in balance.turnover_all(store, p)}
        nxt = {r[0]: r for r in balance.turnover_all(store, next_period(p))}
        assert all((this[a][7] or 0) == (nxt[a][1] or 0) for a in this)
    total = sum(r[7] or 0 for r in rows)
    assert total == store.scalar("SELECT sum(amount_kop) FROM posting")
    paid = store.scalar("SELECT sum(amount_kop) FROM payment WHERE status = 'posted'")
    assert -store.scalar("SELECT sum(amount_kop) FROM posting WHERE kind = 'payment'") == paid


def test_turnover_sheet_total_equals_the_sum_over_accounts(store, helpers):
    from sbyt.reports.catalog import catalog
    from sbyt.reports.query import run_report

    helpers.add_accounts(store, ["3000000001", "3000000002"])
    start_period(store, 202611)
    helpers.post(store, 1, 202610, 12345, period=202610)
    helpers.post(store, 2, 202610, 500, period=202610)
    payments.add_cash(store, "3000000001", 20000, date(2026, 11, 3))
    payments.add_cash(store, "3000000002", 300, date(2026, 11, 3))
    payments.refund(store, "3000000001", 1000, date(2026, 11, 4), "заявление")
    table = run_report(store.con, catalog().get("turnover_by_account"),
                       {"period_from": "2026-11", "period_to": "2026-11"})
    names = [c.name for c in table.columns]
    # money columns come back as unscaled integers (kopecks) with their scale beside them
    assert table.columns[names.index("closing_rub")].scale == 2
    osv = sum(r[names.index("closing_rub")] for r in table.rows)
    mine = sum(r[7] for r in balance.turnover_all(store, 202611))
    assert osv == mine == 12345 + 500 - 20000 - 300 + 1000


def test_payment_reports_run_and_add_up(store, helpers):
    from sbyt.reports.catalog import catalog
    from sbyt.reports.query import run_report

    helpers.add_accounts(store, ["3000000001", "3000000002"])
    start_period(store, 202611)
    helpers.post(store, 1, 202610, 12345, period=202610)
    payments.add_cash(store, "3000000001", 20000, date(2026, 11, 3))
    payments.add_cash(store, "3000000002", 300, date(2026, 11, 5))

    def run(name: str, **params: str):
        t = run_report(store.con, catalog().get(name), params)
        return [c.name for c in t.columns], t.rows

    cols, rows = run("payments", period="2026-11")
    assert [r[cols.index("account")] for r in rows] == ["3000000001", "3000000002"]
    assert sum(r[cols.index("amount_rub")] for r in rows) == 20300          # kopecks (scale 2)
    cols, rows = run("payments_registry", period="2026-11")
    assert [(r[cols.index("loaded")], r[cols.index("payments")]) for r in rows] == [("03.11.2026", 1), ("05.11.2026", 1)]
    cols, rows = run("collection", period_from="2026-10", period_to="2026-11")
    assert [(r[cols.index("period")], r[cols.index("paid_rub")]) for r in rows] == [(202610, 0), (202611, 20300)]
