"""The streamed gathering (`penalty._gather`: one ledger scan + Numba) against the original
set-based SQL, kept here as the reference: same timelines, same events, on random ledgers."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pyarrow as pa
import pytest

from sbyt.calc import penalty
from sbyt.calc.kernels.penalty import HOUSEHOLD
from sbyt.core.due import due_date
from sbyt.core.period_state import start_period
from sbyt.core.periods import first_day, last_day


def reference(store, period: int, rules) -> list[tuple]:
    """The original two-query SQL gathering: [(account, month, due_off, start_debt, ((day, delta), ...))]."""
    con = store.con
    first, last = first_day(period), last_day(period)
    months = [int(r[0]) for r in store.all(
        "SELECT DISTINCT for_period FROM posting WHERE for_period < ? AND service <> 'penalty'", [period])]
    grace = int(rules.grace[HOUSEHOLD])
    dues = [(m, due_date(store, m)) for m in months]
    dues = [(m, d) for m, d in dues if d + timedelta(days=grace) < last]
    if not dues:
        return []
    con.register("_ref_due_in", pa.table({"for_period": pa.array([m for m, _ in dues], pa.int32()),
                                          "due": pa.array([d for _, d in dues], pa.date32())}))
    con.execute("CREATE OR REPLACE TEMP TABLE _ref_due AS SELECT * FROM _ref_due_in")
    con.unregister("_ref_due_in")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ref_tl AS
        WITH b AS (
            SELECT p.account_id, p.for_period,
                   coalesce(sum(p.amount_kop) FILTER (WHERE p.op_date < DATE '{first}'), 0)::BIGINT AS start_bal,
                   max(p.amount_kop) FILTER (WHERE p.op_date >= DATE '{first}') AS max_ev
            FROM posting p
            WHERE p.service <> 'penalty' AND p.op_date <= DATE '{last}'
              AND p.account_id IN (SELECT account_id FROM posting p2 JOIN _ref_due d2 ON d2.for_period = p2.for_period)
            GROUP BY p.account_id, p.for_period
        ), c AS (
            SELECT account_id, sum(-start_bal) AS credit FROM b WHERE start_bal < 0 GROUP BY account_id
        ), late AS (
            SELECT b.account_id, b.for_period, d.due, b.start_bal, b.max_ev, coalesce(c.credit, 0) AS credit,
                   coalesce(sum(greatest(b.start_bal, 0)) OVER (PARTITION BY b.account_id ORDER BY b.for_period
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM b JOIN _ref_due d ON d.for_period = b.for_period LEFT JOIN c ON c.account_id = b.account_id
        ), net AS (
            SELECT account_id, for_period, due, max_ev,
                   CASE WHEN start_bal <= 0 THEN start_bal
                        ELSE start_bal - least(start_bal, greatest(credit - before, 0)) END AS start_debt
            FROM late
        )
        SELECT account_id, for_period, (due - DATE '{first}')::INTEGER AS due_off, start_debt
        FROM net WHERE start_debt > 0 OR max_ev > 0""")
    ev = con.execute(f"""
        SELECT t.account_id, t.for_period, list((day, delta) ORDER BY day)
        FROM (SELECT p.account_id, p.for_period, (p.op_date - DATE '{first}')::INTEGER AS day,
                     sum(p.amount_kop)::BIGINT AS delta
              FROM posting p WHERE p.service <> 'penalty' AND p.op_date BETWEEN DATE '{first}' AND DATE '{last}'
              GROUP BY ALL HAVING sum(p.amount_kop) <> 0) e
        JOIN _ref_tl t USING (account_id, for_period) GROUP BY ALL""").fetchall()
    events = {(a, m): tuple((int(x["day"]) if isinstance(x, dict) else int(x[0]),
                             int(x["delta"]) if isinstance(x, dict) else int(x[1])) for x in lst) for a, m, lst in ev}
    rows = con.execute("SELECT * FROM _ref_tl ORDER BY account_id, for_period").fetchall()
    con.execute("DROP TABLE _ref_tl; DROP TABLE _ref_due")
    return [(int(a), int(m), int(d), int(s), events.get((a, m), ())) for a, m, d, s in rows]


def gathered(store, period: int, rules) -> list[tuple]:
    g = penalty._gather(store, period, rules)
    if g is None:
        return []
    inp, acc, months, groups = g
    out = []
    for i in range(len(acc)):
        lo, hi = inp.ev_ptr[i], inp.ev_ptr[i + 1]
        out.append((int(acc[i]), int(months[i]), int(inp.due_off[i]), int(inp.start_debt[i]),
                    tuple(zip(inp.ev_day[lo:hi].tolist(), inp.ev_delta[lo:hi].tolist()))))
    # groups number the accounts in order
    assert groups == len({a for a, *_ in out})
    assert list(inp.group) == list(np.cumsum([i == 0 or out[i][0] != out[i - 1][0] for i in range(len(out))]) - 1)
    return out


def random_ledger(store, seed: int, period: int, *, accounts: int = 40, sparse: bool = False,
                  ancient: bool = False) -> None:
    rng = np.random.default_rng(seed)
    ids = np.unique(rng.integers(1, 10**12, accounts)) if sparse else np.arange(1, accounts + 1)
    accounts = len(ids)
    store.con.executemany("INSERT INTO account (id, number, holder_name, premise_id, opened)"
                          " VALUES (?, ?, 'Тест', 1, DATE '2015-01-01')",
                          [(int(a), f"{i + 1:010d}") for i, a in enumerate(ids)])
    start_period(store, period)
    first = first_day(period)
    months = [202601 + i for i in range(10)] + ([201001] if ancient else [])
    rows = []
    for n in range(accounts * 12):
        acc = int(ids[rng.integers(accounts)])
        m = int(rng.choice(months + [period, 202612]))
        kind = rng.choice(["accrual", "payment", "opening", "penalty", "recalc"])
        service = "penalty" if kind == "penalty" or rng.random() < 0.05 else rng.choice(["electricity", "odn"])
        amount = int(rng.integers(1, 300_000)) * (-1 if kind == "payment" else 1)
        if kind == "recalc" and rng.random() < 0.5:
            amount = -amount
        # dated before the month, inside it (payments mostly), or after it
        day = first + timedelta(days=int(rng.integers(-200, 45)))
        rows.append((n + 1, acc, service, kind, period, m, amount, day))
    store.con.executemany("INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


@pytest.mark.parametrize("seed", range(6))
def test_gather_equals_sql_reference(store, seed):
    random_ledger(store, seed, 202611)
    rules = penalty.day_rules(store, 202611)
    ref = reference(store, 202611, rules)
    assert ref and gathered(store, 202611, rules) == ref


@pytest.mark.parametrize("seed", range(2))
def test_gather_sparse_account_ids_and_long_history(store, seed):
    random_ledger(store, 100 + seed, 202611, sparse=True, ancient=True)
    rules = penalty.day_rules(store, 202611)
    ref = reference(store, 202611, rules)
    assert ref and gathered(store, 202611, rules) == ref


def test_empty_ledger_and_nothing_late(store):
    start_period(store, 202611)
    rules = penalty.day_rules(store, 202611)
    assert penalty._gather(store, 202611, rules) is None
    store.execute("INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)"
                  " VALUES (1, 1, 'electricity', 'accrual', 202611, 202611, 100, DATE '2026-11-30')")
    assert penalty._gather(store, 202611, rules) is None
    assert penalty.penalty_month(store, 202611).account_id.size == 0


def test_detail_only_for_accounts_with_a_penalty(store):
    random_ledger(store, 7, 202611)
    month = penalty.penalty_month(store, 202611)
    assert set(month.detail.column("account_id").to_pylist()) == set(month.account_id.tolist())
    assert (month.amount_kop != 0).all()


@pytest.mark.parametrize("period", [202004, 202012, 202101, 202203, 202204, 202210, 202501, 202602, 202611])
def test_day_rules_read_once_equal_rule_per_day(store, period):
    from sbyt.core.periods import days_in
    from sbyt.core.reference import rule

    r = penalty.day_rules(store, period)
    days = [first_day(period) + timedelta(days=i) for i in range(days_in(period))]
    milli = lambda v: int(v * 1000) if v is not None else 0  # noqa: E731
    assert r.cap_milli.tolist() == [milli(rule(store, "penalty.rate_cap.housing", d)) for d in days]
    assert r.morat_housing.tolist() == [milli(rule(store, "moratorium.housing", d)) != 0 for d in days]
    assert r.morat_general.tolist() == [milli(rule(store, "moratorium.general", d)) != 0 for d in days]
    for i, cat in enumerate(("household", "legal", "manager", "tszh")):
        den1 = rule(store, f"penalty.{cat}.stage1_den", last_day(period))
        assert r.den1[i] == (int(den1) if den1 is not None else 130)
        grace = rule(store, f"penalty.{cat}.grace_days", last_day(period))
        assert r.grace[i] == (int(grace) if grace is not None else 0)
