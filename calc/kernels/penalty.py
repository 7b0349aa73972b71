"""Penalty kernel: daily debt timelines of one month -> exact penalty numerators and day ranges.

A timeline is one late debt (an account's month of accruals, net of what was paid before) with its
due date and the changes during the calculated month. For every day d of the month:

    debt(d)  = max(0, start_debt + Σ changes dated before d)     (a payment counts on its own day)
    delay k  = d − due day                                       (k = 1: the day after the due date)
    fraction = 0 for k ≤ grace, 1/den1 for k ≤ until, 1/den2 after (per category, dated data)
    rate     = the key rate of the day the part of the debt is paid (the calculation day for what is
               still unpaid at the month's end), capped for housing debts by the cap of day d
    nothing accrues on moratorium days (housing moratoria for housing categories, general for all).

The debt of a day is split into the parts later payments of the month will pay (earliest payment
first) and the unpaid rest, each at its own rate. Money is integer: numerator = Σ part_kop ×
rate_milli × (L / den) over days, amount = round_div(numerator, 100 000 × L), rounded once per
account (L = a common multiple of every den).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sbyt.calc.jit import jit, round_div

HOUSEHOLD, LEGAL, MANAGER, TSZH = 0, 1, 2, 3
CATEGORIES = ("household", "legal", "manager", "tszh")
HOUSING = (True, False, True, True)       # housing-utility debts: the 9.5 % cap and housing moratoria


class PenaltyInputs(NamedTuple):
    start_debt: np.ndarray     # int64[n]  debt at the start of the month, kopecks
    due_off: np.ndarray        # int32[n]  due date as a day index of the month (may be negative)
    category: np.ndarray       # int8[n]   HOUSEHOLD, LEGAL, MANAGER, TSZH
    group: np.ndarray          # int64[n]  output line index (the account) of the timeline
    ev_ptr: np.ndarray         # int64[n+1] timeline i owns events ev_ptr[i]:ev_ptr[i+1]
    ev_day: np.ndarray         # int32[m]  day index of the change (sorted within a timeline)
    ev_delta: np.ndarray       # int64[m]  signed change (payments negative), effective the next day


class DayRules(NamedTuple):
    key_milli: np.ndarray      # int64[days] key rate × 1000 in force on each day of the month
    cap_milli: np.ndarray      # int64[days] housing cap × 1000 on each day, 0 = no cap
    morat_housing: np.ndarray  # bool[days]
    morat_general: np.ndarray  # bool[days]
    grace: np.ndarray          # int32[4] per category: days without penalty
    until: np.ndarray          # int32[4] last day of delay at 1/den1
    den1: np.ndarray           # int64[4]
    den2: np.ndarray           # int64[4]
    housing: np.ndarray        # bool[4]
    lcm: int                   # common multiple of every den


class PenaltyResult(NamedTuple):
    numerator: np.ndarray      # int64[groups] exact penalty × 100 000 × lcm
    amount_kop: np.ndarray     # int64[groups] rounded once
    days: np.ndarray           # int16[groups] days with accrual (max over the account's timelines)
    # day ranges (explain): one row per run of days with the same part, rate and fraction
    d_tl: np.ndarray           # int64  timeline index
    d_from: np.ndarray         # int32  first day index (inclusive)
    d_to: np.ndarray           # int32  last day index (inclusive)
    d_delay: np.ndarray        # int32  day of delay at d_from
    d_debt: np.ndarray         # int64  part of the debt, kopecks
    d_rate: np.ndarray         # int64  rate × 1000
    d_den: np.ndarray          # int64  fraction 1/den
    d_num: np.ndarray          # int64  numerator of the range (same scale as `numerator`)


@jit
def _scan(start_debt, due_off, category, group, ev_ptr, ev_day, ev_delta,
          key_milli, cap_milli, morat_housing, morat_general, grace, until, den1, den2, housing, lcm,
          numerator, days_out, fill, d_tl, d_from, d_to, d_delay, d_debt, d_rate, d_den, d_num):
    """One pass over all timelines; with fill=False only counts the day ranges."""
    nd = key_milli.shape[0]
    n = start_debt.shape[0]
    max_ev = 0
    for i in range(n):
        if ev_ptr[i + 1] - ev_ptr[i] > max_ev:
            max_ev = ev_ptr[i + 1] - ev_ptr[i]
    slots = max_ev + 1
    paid = np.zeros(slots, np.int64)          # part paid by event j (slot j), the rest: slot max_ev
    o_start = np.full(slots, -1, np.int32)    # open range per slot
    o_part = np.zeros(slots, np.int64)
    o_rate = np.zeros(slots, np.int64)
    o_den = np.zeros(slots, np.int64)
    o_delay = np.zeros(slots, np.int32)
    o_num = np.zeros(slots, np.int64)
    rows = 0
    calc_rate = key_milli[nd - 1]
    for i in range(n):
        c = category[i]
        e0 = ev_ptr[i]
        ne = ev_ptr[i + 1] - e0
        # parts paid by each payment of the month (a payment beyond the debt pays nothing more)
        bal = start_debt[i]
        for j in range(ne):
            dlt = ev_delta[e0 + j]
            before = bal if bal > 0 else 0
            bal += dlt
            after = bal if bal > 0 else 0
            paid[j] = before - after if dlt < 0 and before > after else 0
        for s in range(ne + 1):
            o_start[s] = -1
        acc_days = 0
        bal = start_debt[i]
        j_next = 0                            # first event not yet applied
        for d in range(nd):
            while j_next < ne and ev_day[e0 + j_next] < d:
                bal += ev_delta[e0 + j_next]
                j_next += 1
            k = d - due_off[i]
            debt = bal if bal > 0 else 0
            active = debt > 0 and k > grace[c] and not morat_general[d] and not (housing[c] and morat_housing[d])
            w = 0
            den = 0
            if active:
                den = den1[c] if k <= until[c] else den2[c]
                w = lcm // den
                acc_days += 1
            remaining = debt if active else 0
            for s in range(ne + 1):
                part = 0
                rate = 0
                if active and remaining > 0:
                    if s < ne:
                        if paid[s] > 0 and ev_day[e0 + s] >= d:
                            part = paid[s] if paid[s] < remaining else remaining
                            rate = key_milli[ev_day[e0 + s]]
                    else:
                        part = remaining
                        rate = calc_rate
                    if part > 0:
                        if housing[c] and cap_milli[d] > 0 and cap_milli[d] < rate:
                            rate = cap_milli[d]
                        remaining -= part
                if o_start[s] >= 0 and (part == 0 or part != o_part[s] or rate != o_rate[s] or den != o_den[s]):
                    if fill:
                        d_tl[rows] = i
                        d_from[rows] = o_start[s]
                        d_to[rows] = d - 1
                        d_delay[rows] = o_delay[s]
                        d_debt[rows] = o_part[s]
                        d_rate[rows] = o_rate[s]
                        d_den[rows] = o_den[s]
                        d_num[rows] = o_num[s]
                    rows += 1
                    o_start[s] = -1
                if part > 0:
                    v = part * rate * w
                    if fill:
                        numerator[group[i]] += v
                    if o_start[s] < 0:
                        o_start[s] = d
                        o_part[s] = part
                        o_rate[s] = rate
                        o_den[s] = den
                        o_delay[s] = k
                        o_num[s] = 0
                    o_num[s] += v
        for s in range(ne + 1):
            if o_start[s] >= 0:
                if fill:
                    d_tl[rows] = i
                    d_from[rows] = o_start[s]
                    d_to[rows] = nd - 1
                    d_delay[rows] = o_delay[s]
                    d_debt[rows] = o_part[s]
                    d_rate[rows] = o_rate[s]
                    d_den[rows] = o_den[s]
                    d_num[rows] = o_num[s]
                rows += 1
        if fill and acc_days > days_out[group[i]]:
            days_out[group[i]] = acc_days
    return rows


@jit
def _amounts(numerator, scale, out):
    for g in range(numerator.shape[0]):
        out[g] = round_div(numerator[g], scale)


def compute_penalties(inp: PenaltyInputs, rules: DayRules, groups: int) -> PenaltyResult:
    """Wrapper: validates shapes, counts the day ranges, allocates, fills, rounds once per group."""
    n = len(inp.start_debt)
    if len(inp.ev_ptr) != n + 1:
        raise ValueError("ev_ptr must have n + 1 entries")
    args = (inp.start_debt.astype(np.int64), inp.due_off.astype(np.int32), inp.category.astype(np.int8),
            inp.group.astype(np.int64), inp.ev_ptr.astype(np.int64), inp.ev_day.astype(np.int32),
            inp.ev_delta.astype(np.int64), rules.key_milli.astype(np.int64), rules.cap_milli.astype(np.int64),
            rules.morat_housing.astype(np.bool_), rules.morat_general.astype(np.bool_),
            rules.grace.astype(np.int32), rules.until.astype(np.int32), rules.den1.astype(np.int64),
            rules.den2.astype(np.int64), rules.housing.astype(np.bool_), np.int64(rules.lcm))
    numerator = np.zeros(groups, np.int64)
    days = np.zeros(groups, np.int16)
    e64, e32 = np.zeros(0, np.int64), np.zeros(0, np.int32)
    rows = _scan(*args, numerator, days, False, e64, e32, e32, e32, e64, e64, e64, e64)
    d_tl = np.zeros(rows, np.int64)
    d_from, d_to, d_delay = (np.zeros(rows, np.int32) for _ in range(3))
    d_debt, d_rate, d_den, d_num = (np.zeros(rows, np.int64) for _ in range(4))
    _scan(*args, numerator, days, True, d_tl, d_from, d_to, d_delay, d_debt, d_rate, d_den, d_num)
    amount = np.zeros(groups, np.int64)
    _amounts(numerator, np.int64(100_000 * rules.lcm), amount)
    return PenaltyResult(numerator, amount, days, d_tl, d_from, d_to, d_delay, d_debt, d_rate, d_den, d_num)


# --------------------------------------------------------------------------------------- gathering
# The daily debt timelines are built from one streamed scan of the ledger (no SQL GROUP BY over
# account × month): `scatter_ledger` adds every posting dated before the month into a dense
# account × debt-month grid and keeps those dated inside the month as events; `sort_events`
# orders the events by account (counting sort), then month and day; `build_timelines` nets the
# advances and emits the late months as `PenaltyInputs` rows.


@jit
def scatter_ledger(acc, fp, amt, day, first, a0, ids, m_base, mcol, grid, present,
                   ev_row, ev_col, ev_day, ev_amt, n_ev):
    """Add one batch of postings (account id, for_period YYYYMM, kopecks, op_date as days since
    1970) into `grid[row, month column]` (dated before `first`) or the event buffers (dated on or
    after it); returns the new event count. Rows are `acc - a0`, or the position in the sorted
    `ids` when it is not empty; month columns come from `mcol[year * 12 + month - 1 - m_base]`."""
    sparse = ids.shape[0] > 0
    for i in range(acc.shape[0]):
        r = np.searchsorted(ids, acc[i]) if sparse else acc[i] - a0
        f = fp[i]
        c = mcol[(f // 100) * 12 + f % 100 - 1 - m_base]
        present[c] = True
        d = day[i] - first
        if d < 0:
            grid[r, c] += amt[i]
        else:
            ev_row[n_ev] = r
            ev_col[n_ev] = c
            ev_day[n_ev] = d
            ev_amt[n_ev] = amt[i]
            n_ev += 1
    return n_ev


@jit
def sort_events(rows, ev_row, ev_col, ev_day):
    """Order of the events by (row, column, day): a counting sort on the row, then an insertion sort
    inside each row (a row holds a handful of events). Returns (order, row pointer[rows + 1])."""
    n = ev_row.shape[0]
    ptr = np.zeros(rows + 1, np.int64)
    for i in range(n):
        ptr[ev_row[i] + 1] += 1
    for r in range(rows):
        ptr[r + 1] += ptr[r]
    pos = ptr[:-1].copy()
    order = np.empty(n, np.int64)
    for i in range(n):
        r = ev_row[i]
        order[pos[r]] = i
        pos[r] += 1
    for r in range(rows):
        lo, hi = ptr[r], ptr[r + 1]
        if hi - lo > 64:
            keys = np.empty(hi - lo, np.int64)
            for k in range(lo, hi):
                keys[k - lo] = np.int64(ev_col[order[k]]) * 64 + ev_day[order[k]]
            sub = order[lo:hi][np.argsort(keys, kind="mergesort")]
            order[lo:hi] = sub
            continue
        for k in range(lo + 1, hi):
            x = order[k]
            kx = np.int64(ev_col[x]) * 64 + ev_day[x]
            m = k - 1
            while m >= lo and np.int64(ev_col[order[m]]) * 64 + ev_day[order[m]] > kx:
                order[m + 1] = order[m]
                m -= 1
            order[m + 1] = x
    return order, ptr


@jit
def build_timelines(grid, late, due_off, ev_ptr, order, ev_col, ev_day, ev_amt, fill,
                    t_start, t_due, t_row, t_col, t_group, t_evptr, e_day, e_delta):
    """Late months of every account as timelines, ordered by (row, column). Advances (negative month
    balances at the start of the month, any month) are set against the late months' positive
    balances earliest first. A late month is a timeline when its net debt is positive or a positive
    posting is dated inside the month; its events are the per-day sums (non-zero) of the month's
    postings. With fill=False only counts; returns (timelines, events)."""
    rows, cols = grid.shape
    n_tl = 0
    n_e = 0
    groups = 0
    for r in range(rows):
        credit = 0
        for c in range(cols):
            if grid[r, c] < 0:
                credit -= grid[r, c]
        before = 0
        j = ev_ptr[r]
        end = ev_ptr[r + 1]
        first_tl = True
        for c in range(cols):
            while j < end and ev_col[order[j]] < c:
                j += 1
            k = j
            positive = False
            while k < end and ev_col[order[k]] == c:
                if ev_amt[order[k]] > 0:
                    positive = True
                k += 1
            if not late[c]:
                j = k
                continue
            sb = grid[r, c]
            if sb <= 0:
                start = sb
            else:
                off = credit - before
                if off < 0:
                    off = 0
                start = sb - (sb if sb < off else off)
                before += sb
            if start > 0 or positive:
                if fill:
                    if first_tl:
                        groups += 1
                    t_start[n_tl] = start
                    t_due[n_tl] = due_off[c]
                    t_row[n_tl] = r
                    t_col[n_tl] = c
                    t_group[n_tl] = groups - 1
                    t_evptr[n_tl] = n_e
                first_tl = False
                # per-day sums of the month's events, zero sums dropped
                m = j
                while m < k:
                    d = ev_day[order[m]]
                    s = 0
                    while m < k and ev_day[order[m]] == d:
                        s += ev_amt[order[m]]
                        m += 1
                    if s != 0:
                        if fill:
                            e_day[n_e] = d
                            e_delta[n_e] = s
                        n_e += 1
                n_tl += 1
                if fill:
                    t_evptr[n_tl] = n_e
            j = k
    return n_tl, n_e
