"""The demo's opening balances: debts and advances brought from the old system."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sbyt.core.ledger import post
from sbyt.core.periods import add_months, first_day
from sbyt.core.store import Store


def _opening_balances(store: Store, rng: np.random.Generator, accounts: int, first_period: int) -> None:
    """Debts (and a few advances) brought from the old system at the start of the first period.

    Most debts are last month's bill; a quarter of the debtors owe for 2 to 12 months, one posting
    per month owed, so that penalties accrue from the first calculated month as in a real region.
    """
    has = rng.random(accounts) < 0.55
    amount = np.where(rng.random(accounts) < 0.12, -rng.integers(100, 150_00, accounts),
                      rng.integers(50_00, 600_00, accounts) * np.where(rng.random(accounts) < 0.08, 8, 1))
    ids = np.flatnonzero(has) + 1
    amount = amount[has]
    months = np.where((amount > 0) & (rng.random(len(ids)) < 0.25), rng.integers(2, 13, len(ids)), 1)
    acc = np.repeat(ids, months)
    age = np.arange(len(acc)) - np.repeat(np.cumsum(months) - months, months) + 1     # 1 .. months
    part = np.repeat(amount // months, months)
    part[np.cumsum(months) - 1] += amount - (amount // months) * months               # remainder to the last
    for_period = np.array([add_months(first_period, -int(k)) for k in range(1, 13)], dtype=np.int32)[age - 1]
    order = np.lexsort((for_period, acc))
    post(store, pa.table({"account_id": acc[order].astype(np.int64), "for_period": for_period[order],
                          "amount_kop": part[order].astype(np.int64)}),
         service="electricity", kind="opening", period=first_period, op_date=first_day(first_period),
         note="Сальдо на начало из прежней системы")
