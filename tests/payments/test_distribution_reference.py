"""The Numba distribution against the original SQL one (`reference_distribution.py`): the same
postings — ids, accounts, services, months, amounts, days — on random ledgers and payment batches,
for every distribution method, with designations, several payments per account, advances to set off."""

from __future__ import annotations

import importlib.util
import shutil
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from sbyt.calc import distribution, payments
from sbyt.core.period_state import start_period
from sbyt.core.store import open_store

_spec = importlib.util.spec_from_file_location("reference_distribution", Path(__file__).with_name("reference_distribution.py"))
reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference)

OPEN = 202611


def ledger(template: Path, path: Path, seed: int, accounts: int, sparse: bool, method: str | None):
    """A copy of `template` (a new store with its reference data, conftest `store_template`) at
    `path` with a random ledger; a random payment batch for it."""
    shutil.copyfile(template, path)
    store = open_store(path)
    rng = np.random.default_rng(seed)
    ids = np.unique(rng.integers(1, 10**12, accounts)) if sparse else np.arange(1, accounts + 1)
    store.con.executemany("INSERT INTO account (id, number, holder_name, premise_id, opened)"
                          " VALUES (?, ?, 'Тест', 1, DATE '2015-01-01')",
                          [(int(a), f"{i + 1:010d}") for i, a in enumerate(ids)])
    start_period(store, OPEN)
    if method:
        store.execute("INSERT INTO dated_rule VALUES ('payment.distribution', DATE '2026-01-01', NULL, NULL, ?, NULL)",
                      [method])
    rows = []
    for n in range(len(ids) * 8):
        m = int(rng.choice([202601 + i for i in range(11)]))
        kind = str(rng.choice(["accrual", "accrual", "payment", "opening", "penalty", "recalc"]))
        service = "penalty" if kind == "penalty" else str(rng.choice(["electricity", "odn"]))
        amount = int(rng.integers(1, 200_000)) * (-1 if kind == "payment" else 1)
        day = date(m // 100, m % 100, 1) + timedelta(days=int(rng.integers(0, 60)))
        rows.append((n + 1, int(rng.choice(ids)), service, kind, m, m, amount, day))
    store.con.executemany("INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    k = len(ids) * 2
    svc = rng.choice(np.array([None, None, None, "electricity", "odn", "penalty", "water"], object), k)
    per = rng.choice(np.array([None, None, None, 202603, 202609, 202611, 201001], object), k)
    batch = pa.table({
        "account_id": pa.array(rng.choice(ids, k), pa.int64()),
        "amount_kop": pa.array(rng.integers(1, 300_000, k), pa.int64()),
        "pay_date": pa.array([date(2026, 11, 1) + timedelta(days=int(d)) for d in rng.integers(0, 5, k)], pa.date32()),
        "for_period": pa.array(list(per), pa.int32()), "for_service": pa.array(list(svc), pa.string())})
    return store, batch


def postings(store) -> tuple[list, list]:
    rows = store.all("SELECT id, account_id, service, kind, period, for_period, amount_kop, op_date, ref_id, note"
                     " FROM posting ORDER BY id")
    # an allocation and an advance of one payment may share (account, payment, month, service): their
    # relative id order is arbitrary in the SQL reference, so compare ids per key and amounts per key
    ids = sorted((r[1:6] + r[7:], r[0]) for r in rows)
    amounts = sorted((r[1:6] + r[7:], r[6]) for r in rows)
    return [(k, i) for k, i in ids], amounts


@pytest.mark.parametrize("seed,method,sparse", [(0, None, False), (1, "priority", False), (2, "current_first", False),
                                                (3, None, True), (4, "earliest", False)])
def test_post_payments_equals_sql_reference(tmp_path, monkeypatch, store_template, seed, method, sparse):
    new, batch = ledger(store_template, tmp_path / "new.duckdb", seed, 30, sparse, method)
    old, _ = ledger(store_template, tmp_path / "old.duckdb", seed, 30, sparse, method)
    payments.post_payments(new, batch)
    monkeypatch.setattr(payments, "distribute", reference.distribute)
    payments.post_payments(old, batch)
    a, b = postings(new), postings(old)
    assert len(a[0]) >= 30 * 8 + 60      # the ledger plus at least one posting per payment
    assert a == b
    new.close()
    old.close()


@pytest.mark.parametrize("seed", [5, 6])
def test_consume_advances_equals_sql_reference(tmp_path, store_template, seed):
    new, _ = ledger(store_template, tmp_path / "new.duckdb", seed, 40, seed == 6, None)
    old, _ = ledger(store_template, tmp_path / "old.duckdb", seed, 40, seed == 6, None)
    assert distribution.consume_advances(new, period=OPEN) == reference.consume_advances(old, period=OPEN) > 0
    assert postings(new) == postings(old)
    some = "(SELECT id FROM account ORDER BY id LIMIT 3)"
    new.execute("INSERT INTO posting VALUES (10**7, (SELECT min(id) FROM account), 'odn', 'payment', 202611, 202611,"
                " -50000, 0, DATE '2026-11-02', NULL, NULL, NULL, current_timestamp)")
    old.execute("INSERT INTO posting VALUES (10**7, (SELECT min(id) FROM account), 'odn', 'payment', 202611, 202611,"
                " -50000, 0, DATE '2026-11-02', NULL, NULL, NULL, current_timestamp)")
    first = np.array([r[0] for r in new.all(some[1:-1])], np.int64)
    assert (distribution.consume_advances(new, period=OPEN, accounts=first)
            == reference.consume_advances(old, period=OPEN, accounts=some))
    assert postings(new) == postings(old)
    new.close()
    old.close()
