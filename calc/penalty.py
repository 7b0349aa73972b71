"""The penalty step of the monthly calculation: one accrual line per account (service 'penalty',
method 'penalty') for the days of the calculated month, with its day ranges in `penalty_detail`.

Gathering is one streamed scan of the ledger (Arrow batches into Numba, no SQL GROUP BY over
account × month): per account and debt month the debt at the start of the month (postings dated
before it) and the changes dated inside it (payments reduce the debt on their day). Only months
already past their due date take part. Advances (negative month balances) are set against the late
months earliest first, so a month's debt is what is really unpaid; nothing is written to the ledger.
Due dates, fractions, the cap and the moratoria come from the dated rules; the kernels are in
`sbyt.calc.kernels.penalty`. Households only for now (the account table holds households); the kernel knows the legal
entity, managing-company and ТСЖ categories for when their contracts arrive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pyarrow as pa

import sbyt.calc.penalty_explain  # noqa: F401  (registers the explain formatter)
from sbyt.calc.context import CalcContext
from sbyt.calc.jit import round_div_array
from sbyt.calc.kernels.penalty import CATEGORIES, HOUSEHOLD as HOUSEHOLD_CAT, HOUSING, DayRules, PenaltyInputs, \
    PenaltyResult, build_timelines, compute_penalties, scatter_ledger, sort_events
from sbyt.calc.lines import S_PENALTY, LineBatch, method_code
from sbyt.core.collection_branches import penalty_stops
from sbyt.core.due import due_date
from sbyt.core.money import round_div
from sbyt.core.periods import days_in, first_day, last_day
from sbyt.core.store import Store

M_PENALTY = method_code("penalty")
BATCH_ROWS = 1 << 20        # postings per streamed Arrow batch
MONTH_RANGE = 48            # debt months kept as a dense range up to this many (else the months present)


@dataclass(frozen=True)
class PenaltyMonth:
    period: int
    account_id: np.ndarray       # int64, accounts with a non-zero penalty
    amount_kop: np.ndarray       # int64
    days: np.ndarray             # int16
    detail: pa.Table             # penalty_detail rows of the month
    timelines: int


def _empty(period: int) -> PenaltyMonth:
    z = np.zeros(0, np.int64)
    detail = pa.table({"period": pa.array(z.astype(np.int32)), "account_id": pa.array(z),
                       "debt_period": pa.array(z.astype(np.int32)), "due_off": pa.array(z.astype(np.int32)),
                       "from_off": pa.array(z.astype(np.int32)), "to_off": pa.array(z.astype(np.int32)),
                       "delay_from": pa.array(z.astype(np.int32)), "debt_kop": pa.array(z), "rate_milli": pa.array(z),
                       "den": pa.array(z), "amount_milli": pa.array(z)})
    return PenaltyMonth(period, z, z, np.zeros(0, np.int16), detail, 0)


def day_rules(store: Store, period: int, on: date | None = None) -> DayRules:
    """Per-day key rate, cap and moratoria of the month; per-category fractions on `on` (the
    calculation day: the month's last day)."""
    first, nd = first_day(period), days_in(period)
    calc_day = on or last_day(period)
    days = [first + timedelta(days=i) for i in range(nd)]
    rates = store.all("SELECT valid_from, rate FROM key_rate ORDER BY valid_from")
    key = np.zeros(nd, np.int64)
    for i, d in enumerate(days):
        r = [v for f, v in rates if f <= d]
        key[i] = int(Decimal(r[-1]) * 1000) if r else 0

    codes = ["penalty.rate_cap.housing", "moratorium.housing", "moratorium.general"] + [
        f"penalty.{cat}.{name}" for cat in CATEGORIES
        for name in ("grace_days", "stage1_until_day", "stage1_den", "stage2_den")]
    known: dict[str, list[tuple]] = {c: [] for c in codes}
    for code, valid_from, valid_to, value in store.all(
            "SELECT code, valid_from, valid_to, value FROM dated_rule WHERE code IN (SELECT unnest(?))"
            " ORDER BY valid_from DESC", [codes]):
        known[code].append((valid_from, valid_to, value))

    def on_day(code: str, d: date) -> Decimal | None:
        """`sbyt.core.reference.rule` over the rows fetched once: the latest rule in force on `d`."""
        for valid_from, valid_to, value in known[code]:
            if valid_from <= d and (valid_to is None or valid_to > d):
                return value
        return None

    def daily(code: str) -> np.ndarray:
        out = np.zeros(nd, np.int64)
        for i, d in enumerate(days):
            v = on_day(code, d)
            out[i] = int(Decimal(v) * 1000) if v is not None else 0
        return out

    cap = daily("penalty.rate_cap.housing")
    morat_h = daily("moratorium.housing") != 0
    morat_g = daily("moratorium.general") != 0

    def per_cat(name: str, default: int) -> np.ndarray:
        vals = []
        for cat in CATEGORIES:
            v = on_day(f"penalty.{cat}.{name}", calc_day)
            vals.append(int(v) if v is not None else default)
        return np.array(vals, np.int64)

    grace, until = per_cat("grace_days", 0), per_cat("stage1_until_day", 0)
    den1, den2 = per_cat("stage1_den", 130), per_cat("stage2_den", 130)
    lcm = math.lcm(*[int(x) for x in np.concatenate([den1, den2])])
    return DayRules(key, cap, morat_h, morat_g, grace.astype(np.int32), until.astype(np.int32), den1, den2,
                    np.array(HOUSING, np.bool_), lcm)


def _month_num(yyyymm: int) -> int:
    return (yyyymm // 100) * 12 + yyyymm % 100 - 1


def _gather(store: Store, period: int, rules: DayRules) -> tuple[PenaltyInputs, np.ndarray, np.ndarray, int] | None:
    """The month's timelines from one streamed scan of the ledger: (inputs, account id and debt
    month per timeline, groups), None when nothing is late."""
    con = store.con
    first, last = first_day(period), last_day(period)
    a0, a1, f0, f1 = con.execute(
        "SELECT min(account_id), max(account_id), min(for_period), max(for_period) FROM posting").fetchall()[0]
    if a0 is None:
        return None
    # debt-month columns: the whole range when short, else the months present
    m_base, m_span = _month_num(f0), _month_num(f1) - _month_num(f0) + 1
    if m_span <= MONTH_RANGE:
        months = [(m_base + i) // 12 * 100 + (m_base + i) % 12 + 1 for i in range(m_span)]
    else:
        months = [int(r[0]) for r in con.execute("SELECT DISTINCT for_period FROM posting ORDER BY 1").fetchall()]
    mcol = np.full(m_span, -1, np.int64)
    for i, m in enumerate(months):
        mcol[_month_num(m) - m_base] = i
    # account rows: id - a0 when the ids are dense enough, else positions in the sorted ids
    accounts = int(con.execute("SELECT count(*) FROM account").fetchall()[0][0])
    if a1 - a0 + 1 <= 2 * accounts + 65_536:
        ids = np.zeros(0, np.int64)
        rows = int(a1 - a0 + 1)
    else:
        ids = np.asarray(con.execute("SELECT DISTINCT account_id FROM posting ORDER BY 1").fetchnumpy()["account_id"],
                         np.int64)
        rows = len(ids)
    grid = np.zeros((rows, len(months)), np.int64)
    present = np.zeros(len(months), np.bool_)
    first_num = (first - date(1970, 1, 1)).days
    ev_parts: list[tuple[np.ndarray, ...]] = []
    reader = con.sql(f"SELECT account_id, for_period, amount_kop, op_date FROM posting"
                     f" WHERE service <> 'penalty' AND op_date <= DATE '{last}'").to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        n = batch.num_rows
        if n == 0:
            continue
        buf = (np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int32), np.empty(n, np.int64))
        k = scatter_ledger(batch.column(0).to_numpy(), batch.column(1).to_numpy(), batch.column(2).to_numpy(),
                           batch.column(3).view(pa.int32()).to_numpy(), first_num, int(a0), ids, m_base, mcol,
                           grid, present, *buf, 0)
        ev_parts.append(tuple(b[:k].copy() for b in buf))
    # late months: due date passed and the shortest grace ends inside this month
    grace = int(rules.grace[HOUSEHOLD_CAT])
    late = np.zeros(len(months), np.bool_)
    due_off = np.zeros(len(months), np.int32)
    for c, m in enumerate(months):
        if present[c] and m < period:
            due = due_date(store, m)
            if due + timedelta(days=grace) < last:
                late[c] = True
                due_off[c] = (due - first).days
    if not late.any():
        return None
    ev_row, ev_col, ev_day, ev_amt = (np.concatenate([p[i] for p in ev_parts]) if ev_parts else
                                      np.zeros(0, t) for i, t in enumerate((np.int64, np.int64, np.int32, np.int64)))
    order, ev_ptr = sort_events(rows, ev_row, ev_col, ev_day)
    e64, e32 = np.zeros(0, np.int64), np.zeros(0, np.int32)
    n_tl, n_ev = build_timelines(grid, late, due_off, ev_ptr, order, ev_col, ev_day, ev_amt, False,
                                 e64, e32, e64, e64, e64, e64, e32, e64)
    t_start, t_row, t_col, t_group = (np.zeros(n_tl, np.int64) for _ in range(4))
    t_due = np.zeros(n_tl, np.int32)
    t_evptr = np.zeros(n_tl + 1, np.int64)
    e_day, e_delta = np.zeros(n_ev, np.int32), np.zeros(n_ev, np.int64)
    build_timelines(grid, late, due_off, ev_ptr, order, ev_col, ev_day, ev_amt, True,
                    t_start, t_due, t_row, t_col, t_group, t_evptr, e_day, e_delta)
    del grid
    acc_ids = ids[t_row] if len(ids) else t_row + a0
    groups = int(t_group[-1]) + 1 if n_tl else 0
    inp = PenaltyInputs(t_start, t_due, np.zeros(n_tl, np.int8), t_group, t_evptr, e_day, e_delta)
    return inp, acc_ids, np.asarray(months, np.int32)[t_col], groups


def penalty_month(store: Store, period: int, rules: DayRules | None = None) -> PenaltyMonth:
    """Compute (not write) the month's penalties from the ledger."""
    rules = rules or day_rules(store, period)
    gathered = _gather(store, period, rules)
    if gathered is None:
        return _empty(period)
    inp, acc_ids, debt_period, groups = gathered
    n = len(acc_ids)
    res = compute_penalties(inp, rules, groups)
    change = np.ones(n, np.bool_)
    if n:
        change[1:] = inp.group[1:] != inp.group[:-1]
    group_acc = acc_ids[change]
    res = apply_stops(res, inp.group, group_acc, debt_period, penalty_stops(store, last_day(period)),
                      first_day(period), rules.lcm)
    keep = res.amount_kop != 0
    # day ranges only for the accounts charged a penalty
    sel = keep[inp.group[res.d_tl]]
    d_tl = res.d_tl[sel]
    detail = pa.table({
        "period": pa.array(np.full(len(d_tl), period, np.int32)),
        "account_id": pa.array(acc_ids[d_tl]),
        "debt_period": pa.array(debt_period[d_tl]),
        "due_off": pa.array(inp.due_off[d_tl]),
        "from_off": pa.array(res.d_from[sel]), "to_off": pa.array(res.d_to[sel]),
        "delay_from": pa.array(res.d_delay[sel]), "debt_kop": pa.array(res.d_debt[sel]),
        "rate_milli": pa.array(res.d_rate[sel]), "den": pa.array(res.d_den[sel]),
        # the range's exact share in 1/1000 kopeck, rounded half-up (display only)
        "amount_milli": pa.array(round_div_array(res.d_num[sel], np.int64(100 * rules.lcm))),
    })
    accounts = group_acc[keep]
    return PenaltyMonth(period, accounts, res.amount_kop[keep], res.days[keep], detail, n)


def apply_stops(res: PenaltyResult, tl_group: np.ndarray, group_acc: np.ndarray, tl_period: np.ndarray,
                stops: list[tuple[int, date, int | None]], first: date, lcm: int) -> PenaltyResult:
    """Penalties stopped for single debtors (a bankruptcy procedure for the months before the
    petition, a repayment schedule with frozen penalties): the day ranges of a stopped account and
    debt month are cut at the stop day — a range's numerator is the same every day, so the kept
    part is exact — and the account's penalty is rounded once again from what is left. Only the
    few stopped accounts are touched."""
    if not stops or len(group_acc) == 0:
        return res
    numerator, amount, days = res.numerator.copy(), res.amount_kop.copy(), res.days.copy()
    d_to, d_num = res.d_to.copy(), res.d_num.copy()
    keep = np.ones(len(d_num), np.bool_)
    row_group = tl_group[res.d_tl]
    pos = {int(a): g for g, a in enumerate(group_acc)}
    touched = set()
    for account, stop, before_period in stops:
        g = pos.get(int(account))
        if g is None:
            continue
        off = (stop - first).days          # the first day index without penalty
        rows = np.flatnonzero((row_group == g) & (res.d_to >= off))
        if before_period is not None:
            rows = rows[tl_period[res.d_tl[rows]] < before_period]
        for r in rows:
            length = int(res.d_to[r] - res.d_from[r] + 1)
            kept = max(0, off - int(res.d_from[r]))
            if kept == 0:
                keep[r] = False
                d_num[r] = 0
            else:
                d_num[r] = res.d_num[r] // length * kept
                d_to[r] = res.d_from[r] + kept - 1
        touched.add(g)
    scale = 100_000 * lcm
    for g in touched:
        rows = row_group == g
        numerator[g] = int(d_num[rows & keep].sum())
        amount[g] = round_div(int(numerator[g]), scale)
        days[g] = int((d_to[rows & keep] - res.d_from[rows & keep] + 1).max()) if (rows & keep).any() else 0
    return res._replace(numerator=numerator, amount_kop=amount, days=days, d_tl=res.d_tl[keep],
                        d_from=res.d_from[keep], d_to=d_to[keep], d_delay=res.d_delay[keep],
                        d_debt=res.d_debt[keep], d_rate=res.d_rate[keep], d_den=res.d_den[keep], d_num=d_num[keep])


DETAIL_SELECT = """
    SELECT period, account_id, debt_period,
           DATE '{first}' + due_off AS due_date, DATE '{first}' + from_off AS date_from,
           DATE '{first}' + to_off AS date_to, (to_off - from_off + 1) AS days, delay_from, debt_kop,
           (rate_milli / 1000.0)::DECIMAL(7, 3) AS rate, den, amount_milli
    FROM _pn_detail"""


def write_detail(store: Store, month: PenaltyMonth) -> None:
    """Replace the month's penalty_detail rows (one transaction)."""
    with store.transaction() as con:
        con.execute("DELETE FROM penalty_detail WHERE period = ?", [month.period])
        con.register("_pn_detail", month.detail)
        try:
            con.execute("INSERT INTO penalty_detail " + DETAIL_SELECT.format(first=first_day(month.period)))
        finally:
            con.unregister("_pn_detail")


def step(ctx: CalcContext) -> PenaltyMonth | None:
    """Pipeline step: penalties of the open month as accrual lines (service 'penalty'); returns the
    month, whose day ranges the write step writes to `penalty_detail`."""
    if ctx.recompute:
        return None
    store: Store = ctx.store
    month = penalty_month(store, ctx.period)
    n = len(month.account_id)
    ctx.extra["penalty"] = {"timelines": month.timelines, "lines": n, "amount_kop": int(month.amount_kop.sum())}
    if n == 0:
        return month
    ctx.lines.append(LineBatch.make(
        n, account_id=month.account_id, service=S_PENALTY, method=M_PENALTY,
        for_period=ctx.period, amount_kop=month.amount_kop, vat_kop=0, priced=True, days=month.days,
        month_days=days_in(ctx.period)))
    return month
