"""The penalty step of the monthly calculation: one accrual line per account (service 'penalty',
method 'penalty') for the days of the calculated month, with its day ranges in `penalty_detail`.

Gathering is two set-based queries over the ledger: per account and debt month the debt at the
start of the month (postings dated before it) and the changes dated inside it (payments reduce the
debt on their day). Only months already past their due date take part. Due dates, fractions, the
cap and the moratoria come from the dated rules; the kernel is `sbyt.calc.kernels.penalty`.
Advances (negative month balances) are set against the late months in the same query, earliest
first, so a month's debt is what is really unpaid; nothing is written to the ledger. Households only for now (the account table holds households); the kernel knows the legal
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
from sbyt.calc.kernels.penalty import CATEGORIES, HOUSEHOLD as HOUSEHOLD_CAT, HOUSING, DayRules, PenaltyInputs, \
    compute_penalties
from sbyt.calc.lines import LineBatch, method_code, S_PENALTY
from sbyt.core.periods import days_in, first_day, last_day, next_period
from sbyt.core.reference import rule
from sbyt.core.store import Store

M_PENALTY = method_code("penalty")


@dataclass(frozen=True)
class PenaltyMonth:
    period: int
    account_id: np.ndarray       # int64, accounts with a non-zero penalty
    amount_kop: np.ndarray       # int64
    days: np.ndarray             # int16
    reason: list[str]            # the day ranges in Russian, one text per line
    detail: pa.Table             # penalty_detail rows of the month
    timelines: int


def _empty(period: int) -> PenaltyMonth:
    z = np.zeros(0, np.int64)
    detail = pa.table({"period": pa.array(z.astype(np.int32)), "account_id": pa.array(z),
                       "debt_period": pa.array(z.astype(np.int32)), "due_off": pa.array(z.astype(np.int32)),
                       "from_off": pa.array(z.astype(np.int32)), "to_off": pa.array(z.astype(np.int32)),
                       "delay_from": pa.array(z.astype(np.int32)), "debt_kop": pa.array(z), "rate_milli": pa.array(z),
                       "den": pa.array(z), "amount_milli": pa.array(z)})
    return PenaltyMonth(period, z, z, np.zeros(0, np.int16), [], detail, 0)


def due_date(store: Store, debt_period: int, category: str = "household") -> date:
    """The due date of a month's debt: the due day (`due_day.<category>`, the rule in force in the
    following month) of the following month."""
    nxt = next_period(debt_period)
    code = "due_day.manager" if category in ("manager", "tszh") else "due_day.household"
    value = rule(store, code, first_day(nxt))
    day = int(value) if value is not None else 10
    return date(nxt // 100, nxt % 100, min(day, days_in(nxt)))


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

    def daily(code: str) -> np.ndarray:
        out = np.zeros(nd, np.int64)
        for i, d in enumerate(days):
            v = rule(store, code, d)
            out[i] = int(Decimal(v) * 1000) if v is not None else 0
        return out

    cap = daily("penalty.rate_cap.housing")
    morat_h = daily("moratorium.housing") != 0
    morat_g = daily("moratorium.general") != 0

    def per_cat(name: str, default: int) -> np.ndarray:
        vals = []
        for cat in CATEGORIES:
            v = rule(store, f"penalty.{cat}.{name}", calc_day)
            vals.append(int(v) if v is not None else default)
        return np.array(vals, np.int64)

    grace, until = per_cat("grace_days", 0), per_cat("stage1_until_day", 0)
    den1, den2 = per_cat("stage1_den", 130), per_cat("stage2_den", 130)
    lcm = math.lcm(*[int(x) for x in np.concatenate([den1, den2])])
    return DayRules(key, cap, morat_h, morat_g, grace.astype(np.int32), until.astype(np.int32), den1, den2,
                    np.array(HOUSING, np.bool_), lcm)


def penalty_month(store: Store, period: int, rules: DayRules | None = None) -> PenaltyMonth:
    """Compute (not write) the month's penalties from the ledger."""
    con = store.con
    first, last = first_day(period), last_day(period)
    rules = rules or day_rules(store, period)
    debt_months = [int(r[0]) for r in store.all(
        "SELECT DISTINCT for_period FROM posting WHERE for_period < ? AND service <> 'penalty'", [period])]
    dues = [(m, due_date(store, m)) for m in debt_months]
    # only months whose delay passes the shortest grace inside this month can accrue anything
    grace = int(rules.grace[HOUSEHOLD_CAT])
    dues = [(m, d) for m, d in dues if d + timedelta(days=grace) < last]
    con.register("_pn_due_in", pa.table({"for_period": pa.array([m for m, _ in dues], pa.int32()),
                                         "due": pa.array([d for _, d in dues], pa.date32())}))
    con.execute("CREATE OR REPLACE TEMP TABLE _pn_due AS SELECT * FROM _pn_due_in")
    con.unregister("_pn_due_in")
    if not dues:
        con.execute("DROP TABLE IF EXISTS _pn_due")
        return _empty(period)
    # One pass over the ledger: balance of every (account, month) at the start of the month and
    # whether it grows inside the month. Advances (negative month balances) are set against the
    # late months, earliest first, as `consume_advances` would post them.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _pn_tl AS
        WITH b AS (
            SELECT p.account_id, p.for_period,
                   coalesce(sum(p.amount_kop) FILTER (WHERE p.op_date < DATE '{first}'), 0)::BIGINT AS start_bal,
                   max(p.amount_kop) FILTER (WHERE p.op_date >= DATE '{first}') AS max_ev
            FROM posting p
            WHERE p.service <> 'penalty' AND p.op_date <= DATE '{last}'
              AND p.account_id IN (SELECT account_id FROM posting p2 JOIN _pn_due d2 ON d2.for_period = p2.for_period)
            GROUP BY p.account_id, p.for_period
        ), c AS (
            SELECT account_id, sum(-start_bal) AS credit FROM b WHERE start_bal < 0 GROUP BY account_id
        ), late AS (
            SELECT b.account_id, b.for_period, d.due, b.start_bal, b.max_ev, coalesce(c.credit, 0) AS credit,
                   coalesce(sum(greatest(b.start_bal, 0)) OVER (PARTITION BY b.account_id ORDER BY b.for_period
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM b JOIN _pn_due d ON d.for_period = b.for_period LEFT JOIN c ON c.account_id = b.account_id
        ), net AS (
            SELECT account_id, for_period, due, max_ev,
                   CASE WHEN start_bal <= 0 THEN start_bal
                        ELSE start_bal - least(start_bal, greatest(credit - before, 0)) END AS start_debt
            FROM late
        )
        SELECT (row_number() OVER (ORDER BY account_id, for_period) - 1)::BIGINT AS tl, account_id, for_period, due,
               start_debt
        FROM net WHERE start_debt > 0 OR max_ev > 0""")
    tl = con.execute("SELECT tl, account_id, for_period, (due - DATE '{0}')::INTEGER AS due_off, start_debt FROM _pn_tl"
                     " ORDER BY tl".format(first)).fetchnumpy()
    ev = con.execute(f"""
        SELECT t.tl, (p.op_date - DATE '{first}')::INTEGER AS day, sum(p.amount_kop)::BIGINT AS delta
        FROM posting p JOIN _pn_tl t ON t.account_id = p.account_id AND t.for_period = p.for_period
        WHERE p.service <> 'penalty' AND p.op_date BETWEEN DATE '{first}' AND DATE '{last}'
        GROUP BY ALL HAVING sum(p.amount_kop) <> 0 ORDER BY 1, 2""").fetchnumpy()
    n = len(tl["tl"])
    acc_ids = np.asarray(tl["account_id"], np.int64)
    change = np.ones(n, np.bool_)
    if n:
        change[1:] = acc_ids[1:] != acc_ids[:-1]
    group = np.cumsum(change) - 1
    groups = int(group[-1]) + 1 if n else 0
    ev_tl = np.asarray(ev["tl"], np.int64)
    ev_ptr = np.zeros(n + 1, np.int64)
    if n:
        ev_ptr[1:] = np.cumsum(np.bincount(ev_tl, minlength=n))
    inp = PenaltyInputs(np.asarray(tl["start_debt"], np.int64), np.asarray(tl["due_off"], np.int32),
                        np.zeros(n, np.int8), group.astype(np.int64), ev_ptr,
                        np.asarray(ev["day"], np.int32), np.asarray(ev["delta"], np.int64))
    res = compute_penalties(inp, rules, groups)
    group_acc = acc_ids[change] if n else np.zeros(0, np.int64)

    d_tl = res.d_tl
    detail = pa.table({
        "period": pa.array(np.full(len(d_tl), period, np.int32)),
        "account_id": pa.array(acc_ids[d_tl] if len(d_tl) else np.zeros(0, np.int64)),
        "debt_period": pa.array(np.asarray(tl["for_period"], np.int32)[d_tl] if len(d_tl) else np.zeros(0, np.int32)),
        "due_off": pa.array(inp.due_off[d_tl] if len(d_tl) else np.zeros(0, np.int32)),
        "from_off": pa.array(res.d_from), "to_off": pa.array(res.d_to),
        "delay_from": pa.array(res.d_delay), "debt_kop": pa.array(res.d_debt),
        "rate_milli": pa.array(res.d_rate), "den": pa.array(res.d_den),
        # the range's exact share in 1/1000 kopeck, rounded half-up (display only)
        "amount_milli": pa.array((2 * res.d_num + 100 * rules.lcm) // (200 * rules.lcm)),
    })
    keep = res.amount_kop != 0
    con.execute("DROP TABLE IF EXISTS _pn_tl")
    con.execute("DROP TABLE IF EXISTS _pn_due")
    accounts = group_acc[keep]
    return PenaltyMonth(period, accounts, res.amount_kop[keep], res.days[keep],
                        _reasons(store, period, detail, accounts), detail, n)


DETAIL_SELECT = """
    SELECT period, account_id, debt_period,
           DATE '{first}' + due_off AS due_date, DATE '{first}' + from_off AS date_from,
           DATE '{first}' + to_off AS date_to, (to_off - from_off + 1) AS days, delay_from, debt_kop,
           (rate_milli / 1000.0)::DECIMAL(7, 3) AS rate, den, amount_milli
    FROM _pn_detail"""


def _reasons(store: Store, period: int, detail: pa.Table, accounts: np.ndarray) -> list[str]:
    """The day ranges of each account in Russian (vectorised in SQL), in the order of `accounts`."""
    if len(accounts) == 0:
        return []
    con = store.con
    con.register("_pn_detail", detail)
    con.register("_pn_acc", pa.table({"account_id": pa.array(accounts), "ord": pa.array(np.arange(len(accounts)))}))
    rub = "(replace(format('{{:,}}', ({x}) // 100), ',', ' ') || ',' || lpad((({x}) % 100)::VARCHAR, 2, '0'))"
    rate = "replace(rtrim(rtrim(format('{:.3f}', rate), '0'), '.'), '.', ',')"
    try:
        rows = con.execute(f"""
            WITH d AS ({DETAIL_SELECT.format(first=first_day(period))})
            SELECT a.ord, string_agg(
                'долг за ' || lpad((d.debt_period % 100)::VARCHAR, 2, '0') || '.' || (d.debt_period // 100)::VARCHAR
                || ' (срок ' || strftime(d.due_date, '%d.%m.%Y') || ') '
                || strftime(d.date_from, '%d.%m') || '–' || strftime(d.date_to, '%d.%m.%Y') || ', '
                || d.days::VARCHAR || ' дн. (дни просрочки ' || d.delay_from::VARCHAR || '–'
                || (d.delay_from + d.days - 1)::VARCHAR || '): ' || {rub.format(x='d.debt_kop')} || ' ₽ × '
                || {rate} || ' % × 1/' || d.den::VARCHAR || ' × ' || d.days::VARCHAR || ' дн.',
                '; ' ORDER BY d.debt_period, d.date_from, d.debt_kop DESC)
            FROM d JOIN _pn_acc a ON a.account_id = d.account_id
            GROUP BY a.ord ORDER BY a.ord""").fetchall()
    finally:
        con.unregister("_pn_detail")
        con.unregister("_pn_acc")
    out = [""] * len(accounts)
    for o, text in rows:
        out[int(o)] = text
    return out


def write_detail(store: Store, month: PenaltyMonth) -> None:
    """Replace the month's penalty_detail rows (one transaction)."""
    with store.transaction() as con:
        con.execute("DELETE FROM penalty_detail WHERE period = ?", [month.period])
        con.register("_pn_detail", month.detail)
        try:
            con.execute("INSERT INTO penalty_detail " + DETAIL_SELECT.format(first=first_day(month.period)))
        finally:
            con.unregister("_pn_detail")


def step(ctx) -> None:  # noqa: ANN001 - sbyt.calc.context.CalcContext (the pipeline imports us lazily)
    """Pipeline step: penalties of the open month as accrual lines (service 'penalty')."""
    if ctx.recompute:
        return
    store: Store = ctx.store
    month = penalty_month(store, ctx.period)
    write_detail(store, month)
    n = len(month.account_id)
    ctx.extra["penalty"] = {"timelines": month.timelines, "lines": n, "amount_kop": int(month.amount_kop.sum())}
    if n == 0:
        return
    ctx.lines.append(LineBatch.make(
        n, reason=month.reason, account_id=month.account_id, service=S_PENALTY, method=M_PENALTY,
        for_period=ctx.period, amount_kop=month.amount_kop, vat_kop=0, priced=True, days=month.days,
        month_days=days_in(ctx.period)))
