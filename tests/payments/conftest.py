"""Payments fixtures: a store with a few accounts, an open month and accruals, built through SQL."""

from __future__ import annotations

from datetime import date

import pytest

from sbyt.core.period_state import start_period
from sbyt.core.store import Store

OPEN = 202611
ACCOUNTS = ["1000000001", "1000000002", "1000000003", "1000000004"]


def add_accounts(store: Store, numbers: list[str]) -> None:
    store.con.executemany(
        "INSERT INTO account (id, number, holder_name, premise_id, opened) VALUES (?, ?, ?, ?, DATE '2020-01-01')",
        [(i + 1, n, f"Абонент {i + 1}", i + 1) for i, n in enumerate(numbers)])


def post(store: Store, account_id: int, for_period: int, amount_kop: int, kind: str = "accrual",
         service: str = "electricity", op_date: date | None = None, period: int | None = None) -> None:
    store.execute(
        "INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date)"
        " VALUES ((SELECT coalesce(max(id), 0) + 1 FROM posting), ?, ?, ?, ?, ?, ?, ?)",
        [account_id, service, kind, period or for_period, for_period, amount_kop,
         op_date or date(for_period // 100, for_period % 100, 28)])


@pytest.fixture
def pstore(store: Store) -> Store:
    """Open month 2026-11; account 1 owes 300.00 for 2026-09 and 200.00 for 2026-10 (+50.00 penalty)."""
    add_accounts(store, ACCOUNTS)
    start_period(store, OPEN)
    post(store, 1, 202609, 30000)
    post(store, 1, 202610, 20000)
    post(store, 1, 202610, 5000, kind="penalty", service="penalty")
    post(store, 2, 202610, 10000)
    return store


@pytest.fixture
def helpers():
    """The helpers above for test modules (importlib mode cannot import conftest)."""
    from types import SimpleNamespace

    return SimpleNamespace(add_accounts=add_accounts, post=post, ACCOUNTS=ACCOUNTS, OPEN=OPEN)
