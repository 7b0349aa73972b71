"""Timing of the turnover-balance sheet on a synthetic store (run by hand, not collected by pytest).

    .venv/bin/python tests/reports/bench_turnover.py /tmp/bench.duckdb 1000000 12

Builds (once) accounts, premises, 1 000-flat… buildings and a ledger of `months` months (an opening
balance, one accrual and one payment per account and month, some recalculations and penalties),
then times each ОСВ report for the last month and for the whole range, as `sbyt report run` does.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from sbyt.core.store import open_store
from sbyt.reports import render
from sbyt.reports.catalog import catalog
from sbyt.reports.query import open_read_only, run_report


def build(path: Path, accounts: int, months: int) -> None:
    with open_store(path) as st:
        con = st.con
        con.execute(f"""
        INSERT INTO district SELECT i, 'D' || i, 'Район ' || i FROM range(1, 21) t(i);
        INSERT INTO settlement SELECT i, 'S' || i, 1 + i % 20, 'Населённый пункт ' || i, 'urban' FROM range(1, 201) t(i);
        INSERT INTO street SELECT i, 'ST' || i, 1 + i % 200, 'ул. Улица ' || i FROM range(1, 4001) t(i);
        INSERT INTO building (id, code, street_id, house_no, kind)
            SELECT i, 'B' || i, 1 + i % 4000, (1 + i % 150)::VARCHAR, 'mkd' FROM range(1, {accounts // 50 + 2}) t(i);
        INSERT INTO premise (id, building_id, number, kind, area)
            SELECT i, 1 + i // 50, (1 + i % 50)::VARCHAR, 'flat', 50 FROM range(1, {accounts + 1}) t(i);
        INSERT INTO account (id, number, holder_name, premise_id, opened)
            SELECT i, lpad(i::VARCHAR, 10, '0'), 'Потребитель ' || i, i, DATE '2020-01-01' FROM range(1, {accounts + 1}) t(i);
        INSERT INTO billing_period SELECT (2026 - 1) * 100 + 12 + 0, 'closed', now(), NULL, NULL, NULL;
        """)
        first = 202601
        periods = [first + m for m in range(months)]
        con.execute(f"INSERT INTO billing_period SELECT p, 'closed', now(), NULL, NULL, NULL FROM unnest({periods[:-1]}) t(p)")
        con.execute(f"INSERT INTO billing_period VALUES ({periods[-1]}, 'open', now(), NULL, NULL, NULL)")
        con.execute(f"""INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)
            SELECT i, i, 'electricity', 'opening', {first}, {first}, (hash(i) % 100000)::BIGINT, DATE '2026-01-01'
            FROM range(1, {accounts + 1}) t(i)""")
        for k, p in enumerate(periods):
            base = (k * 3 + 1) * accounts + 1
            con.execute(f"""INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)
                SELECT {base} + i, i, 'electricity', 'accrual', {p}, {p}, 30000 + (hash(i, {p}) % 70000)::BIGINT, DATE '2026-01-28'
                FROM range(1, {accounts + 1}) t(i)""")
            con.execute(f"""INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)
                SELECT {base + accounts} + i, i, 'electricity', 'payment', {p}, {p}, -(25000 + (hash(i, {p}, 1) % 70000))::BIGINT, DATE '2026-01-15'
                FROM range(1, {accounts + 1}) t(i) WHERE i % 7 <> 0""")
            con.execute(f"""INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)
                SELECT {base + 2 * accounts} + i, i, CASE WHEN i % 2 = 0 THEN 'penalty' ELSE 'electricity' END,
                       CASE WHEN i % 2 = 0 THEN 'penalty' ELSE 'recalc' END, {p}, {p}, (hash(i, {p}, 2) % 5000)::BIGINT - 2500,
                       DATE '2026-01-28'
                FROM range(1, {accounts + 1}) t(i) WHERE i % 10 = 0""")
        con.execute("CHECKPOINT")


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    path, accounts, months = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    if not path.exists():
        t = time.perf_counter()
        build(path, accounts, months)
        print(f"built {accounts} accounts x {months} months in {time.perf_counter() - t:.1f} s")
    con = open_read_only(path)
    print("postings:", con.execute("SELECT count(*) FROM posting").fetchone()[0])
    last = con.execute("SELECT max(period) FROM billing_period").fetchone()[0]
    first = con.execute("SELECT min(period) FROM billing_period").fetchone()[0]
    for name in ("turnover_by_account", "turnover_by_building", "turnover_by_district"):
        for params in ({}, {"period_from": str(first), "period_to": str(last)}):
            t, c = time.perf_counter(), cpu()
            table = run_report(con, catalog().get(name), params)
            q, qc = time.perf_counter() - t, cpu() - c
            t = time.perf_counter()
            table.totals()
            tt = time.perf_counter() - t
            print(f"{name:22} {str(params or 'open month'):>45}: query {q:5.2f} s (cpu {qc:5.2f} s), {len(table.rows):8} rows, totals {tt:4.2f} s")
    table = run_report(con, catalog().get("turnover_by_account"), {})
    for fmt, out in (("csv", "/tmp/bench_osv.csv"), ("xlsx", "/tmp/bench_osv.xlsx")):
        t, c = time.perf_counter(), cpu()
        render.write(table, fmt, out)
        print(f"turnover_by_account -> {fmt}: {time.perf_counter() - t:.1f} s (cpu {cpu() - c:.1f} s)")
    con.close()


if __name__ == "__main__":
    main()
