"""`sbyt explain` for penalty lines: the day ranges, rates and fractions behind the amount.

The penalty step stores the ranges in `penalty_detail`; the Russian rendering is made here on
demand, for the account being explained (rendering it for every charged account in every run cost
more than the penalty kernel itself). Kept apart from `sbyt.calc.penalty` so that registering it
does not load the Numba kernel.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pyarrow as pa

from sbyt.calc.explain_format import formatter, rub
from sbyt.core.periods import days_in, first_day, period_label
from sbyt.core.store import Store

DETAIL_OF_ACCOUNT = """
    SELECT account_id, debt_period, (due_date - DATE '{first}')::INTEGER AS due_off,
           (date_from - DATE '{first}')::INTEGER AS from_off, (date_to - DATE '{first}')::INTEGER AS to_off,
           delay_from, debt_kop, (rate * 1000)::BIGINT AS rate_milli, den
    FROM penalty_detail WHERE period = ? AND account_id = ?"""


def penalty_reason(store: Store, period: int, account_id: int) -> str | None:
    """The day ranges of one account's penalty line of `period`, from `penalty_detail`."""
    detail = store.con.sql(DETAIL_OF_ACCOUNT.format(first=first_day(period)), params=[period, account_id]).to_arrow_table()
    if detail.num_rows == 0:
        return None
    return penalty_reasons(period, detail, np.array([account_id], np.int64))[0]


def penalty_reasons(period: int, detail: pa.Table, accounts: np.ndarray) -> list[str]:
    """The day ranges of each account in Russian, in the order of `accounts` (ascending ids); ranges
    ordered by debt month, first day, larger part first."""
    if len(accounts) == 0:
        return []
    col = {name: detail.column(name).to_numpy() for name in
           ("account_id", "debt_period", "due_off", "from_off", "to_off", "delay_from", "debt_kop", "rate_milli", "den")}
    pos = np.searchsorted(accounts, col["account_id"])
    order = np.lexsort((-col["debt_kop"], col["from_off"], col["debt_period"], pos))
    first = first_day(period)
    day_short = [f"{first + timedelta(days=i):%d.%m}" for i in range(days_in(period))]
    day_long = [f"{first + timedelta(days=i):%d.%m.%Y}" for i in range(days_in(period))]
    months = {int(m): period_label(int(m)) for m in np.unique(col["debt_period"])}
    dues = {int(o): f"{first + timedelta(days=int(o)):%d.%m.%Y}" for o in np.unique(col["due_off"])}
    rates = {int(r): f"{r // 1000}.{r % 1000:03d}".rstrip("0").rstrip(".").replace(".", ",")
             for r in np.unique(col["rate_milli"])}
    out = [""] * len(accounts)
    parts: list[str] = []
    cur = -1
    rows = zip(*(col[c][order].tolist() for c in ("debt_period", "due_off", "from_off", "to_off", "delay_from",
                                                   "debt_kop", "rate_milli", "den")), pos[order].tolist())
    for dp, due_off, f, t, k, x, rm, den, p in rows:
        if p != cur:
            if parts:
                out[cur] = "; ".join(parts)
            parts, cur = [], p
        days = t - f + 1
        rub = f"{x // 100:,}".replace(",", " ")
        parts.append(f"долг за {months[dp]} (срок {dues[due_off]}) {day_short[f]}–{day_long[t]}, {days} дн. "
                     f"(дни просрочки {k}–{k + days - 1}): {rub},{x % 100:02d} ₽ × {rates[rm]} % × 1/{den} × {days} дн.")
    if parts:
        out[cur] = "; ".join(parts)
    return out



@formatter("penalty")
def explain_penalty(line: dict) -> str:
    detail = line.get("reason")
    if not detail:
        return f"Пени: {rub(line['amount_kop'])}"
    return f"Пени (доля ключевой ставки за каждый день просрочки): {detail} = {rub(line['amount_kop'])}"
