"""Numba kernels of the payment distribution (`sbyt.calc.distribution`): arrays in, arrays out.

`scatter` adds a batch of postings into the account × (service, month) grid of balances with the
latest day a debt grew; `walk` sets off advances and then takes each account's payments in order
of day and id over the debts in the rule's order (docs/payments.md). No database, no Python objects.
"""

from __future__ import annotations

import numpy as np

from sbyt.calc.jit import jit

NO_DAY = np.iinfo(np.int32).min     # a cell without a debit


@jit
def scatter(acc, svc, fp, amt, day, a0, row_of, ids, m_base, mcol, n_months, cell):
    """Add a batch of postings into cell[row, service * n_months + month, 0] and keep the latest day of
    a positive posting in cell[..., 1] (side by side: one cache line per posting). Rows:
    `row_of[acc - a0]` (dense) or the position in the sorted `ids`; other accounts are skipped."""
    sparse = ids.shape[0] > 0
    for i in range(acc.shape[0]):
        a = acc[i]
        if sparse:
            r = np.searchsorted(ids, a)
            if r >= ids.shape[0] or ids[r] != a:
                continue
        else:
            k = a - a0
            if k < 0 or k >= row_of.shape[0]:
                continue
            r = row_of[k]
            if r < 0:
                continue
        f = fp[i]
        c = svc[i] * n_months + mcol[(f // 100) * 12 + f % 100 - 1 - m_base]
        cell[r, c, 0] += amt[i]
        if amt[i] > 0 and day[i] > cell[r, c, 1]:
            cell[r, c, 1] = day[i]


@jit
def _before(a_des, a_m, a_p, a_s, b_des, b_m, b_p, b_s, method):
    """Ordering of two debts for a payment: designated first, then by the method."""
    if a_des != b_des:
        return a_des < b_des
    if method == 1:
        if a_p != b_p:
            return a_p < b_p
        if a_m != b_m:
            return a_m < b_m
        return a_s < b_s
    if a_m != b_m:
        return a_m > b_m if method == 2 else a_m < b_m
    if a_p != b_p:
        return a_p < b_p
    return a_s < b_s


@jit
def walk(cell, n_months, prio, method, first_num, p_ptr, p_amt, p_month, p_svc, p_adv_svc, period_col, fill,
          c_row, c_cell, c_amt, c_day, d_pay, d_cell, d_amt):
    """Every account row: advance set-off, then its payments (p_ptr[row]:p_ptr[row + 1], already in
    order of day and id). Set-off moves: (row, cell, signed amount, day); allocations: (payment
    index, cell, amount) with the advance last. With fill=False only counts; returns (moves, allocations)."""
    rows, cells = cell.shape[0], cell.shape[1]
    s = np.zeros(cells, np.int64)
    cand = np.zeros(cells, np.int64)
    des = np.zeros(cells, np.int64)
    nc = 0
    nd = 0
    for r in range(rows):
        for c in range(cells):
            s[c] = cell[r, c, 0]
        # advance set-off: both sides in order of (month, service), the smaller total moves
        neg = 0
        pos = 0
        for c in range(cells):
            if s[c] < 0:
                neg -= s[c]
            elif s[c] > 0:
                pos += s[c]
        if neg > 0 and pos > 0:
            moved = neg if neg < pos else pos
            day = NO_DAY
            left_pos = moved
            for m in range(n_months):
                for sv in range(cells // n_months):
                    c = sv * n_months + m
                    if s[c] > 0 and left_pos > 0 and cell[r, c, 1] > day:
                        day = cell[r, c, 1]
                    if s[c] > 0 and left_pos > 0:
                        left_pos -= s[c] if s[c] < left_pos else left_pos
            if day == NO_DAY:
                day = first_num
            left_pos = moved
            left_neg = moved
            for m in range(n_months):
                for sv in range(cells // n_months):
                    c = sv * n_months + m
                    x = 0
                    d = day
                    if s[c] > 0 and left_pos > 0:
                        x = s[c] if s[c] < left_pos else left_pos
                        left_pos -= x
                        d = cell[r, c, 1] if cell[r, c, 1] != NO_DAY else first_num
                        s[c] -= x
                        x = -x
                    elif s[c] < 0 and left_neg > 0:
                        x = -s[c] if -s[c] < left_neg else left_neg
                        left_neg -= x
                        s[c] += x
                    if x != 0:
                        if fill:
                            c_row[nc] = r
                            c_cell[nc] = c
                            c_amt[nc] = x
                            c_day[nc] = d
                        nc += 1
        # the payments of the account, each over the debts left by the earlier ones
        for p in range(p_ptr[r], p_ptr[r + 1]):
            k = 0
            designated = p_month[p] != -1 or p_svc[p] != -1
            for c in range(cells):
                if s[c] > 0:
                    m = c % n_months
                    sv = c // n_months
                    ok = designated and (p_month[p] == -1 or p_month[p] == m) and (p_svc[p] == -1 or p_svc[p] == sv)
                    dc = 0 if ok else 1
                    # insertion into the ordered candidates
                    j = k
                    while j > 0:
                        o = cand[j - 1]
                        if _before(dc, m, prio[sv], sv, des[j - 1], o % n_months, prio[o // n_months], o // n_months,
                                   method):
                            cand[j] = cand[j - 1]
                            des[j] = des[j - 1]
                            j -= 1
                        else:
                            break
                    cand[j] = c
                    des[j] = dc
                    k += 1
            rest = p_amt[p]
            for j in range(k):
                if rest <= 0:
                    break
                c = cand[j]
                x = s[c] if s[c] < rest else rest
                s[c] -= x
                rest -= x
                if fill:
                    d_pay[nd] = p
                    d_cell[nd] = c
                    d_amt[nd] = x
                nd += 1
            if rest > 0:
                if fill:
                    d_pay[nd] = p
                    d_cell[nd] = p_adv_svc[p] * n_months + period_col
                    d_amt[nd] = rest
                nd += 1
    return nc, nd
