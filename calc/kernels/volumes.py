"""Household volumes (docs/calculation.md): per metering point, day segment and zone, by exactly one method.

A month is split into day segments wherever anything that matters changes: the account's facts
(residents, equipment, tariff group), supply (connection, disconnection), the meter (installation,
removal, breakdown), a tampering window, temporary absence, or a tariff / normative date (global
breaks). Every segment gets its lines:

* readings  - the meter's month volume ((cur - prev, through a rollover) × ratio) allocated over
              the meter's billed days (cumulative rounding, so the parts sum exactly);
* average   - the meter's monthly average × days / month days, while the months since the last
              reading do not exceed `max_consecutive` and the base has at least `min_months`;
* normative - residents × normative(rooms, residents, equipment) × factor × days / month days,
              priced at the single-rate tariff; factor ×10 on tampering days, ×1.5 after refused
              accesses (since the last reading);
* recalc    - a late reading after months billed by average: minus the averaged volumes.

Every volume line also carries why its method was chosen (`basis`, the B_* codes): a reading in the
month; no reading (or a broken meter) and a usable average; no meter; no reading / broken with too
short a history or past the months allowed by average; tampering.

Communal flats: a 'shared' point computes the flat's volume (residents = the sum of its rooms'),
and every child point (a room's account) gets the share people-in-room / people-in-flat.

Everything is integer: volumes in Wh, prices in 1/10 000 RUB; one `round_div` per quantity.
The kernel runs in two passes over independent chunks of points (count, then fill).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sbyt.calc.jit import household_size, inline, nrt_free, pjit, rollover_volume, room_class, round_div
from sbyt.calc.kernels.readings import months_between

# method codes (sbyt.calc.lines.METHODS)
READINGS, AVERAGE, NORMATIVE, RECALC = 0, 1, 2, 3
# why the method was chosen (sbyt.calc.lines.METHOD_REASONS); -1 = not a household volume line
(B_READING, B_NO_READING_AVERAGE, B_BROKEN_AVERAGE, B_NO_METER, B_NO_READING_SHORT, B_NO_READING_EXPIRED,
 B_BROKEN_SHORT, B_BROKEN_EXPIRED, B_TAMPERING) = range(9)
# point kinds
INDIVIDUAL, SHARED, CHILD = 0, 1, 2
MAX_METERS = 8      # meters of one point in one month (replacements); checked by the wrapper


class VolumeInputs(NamedTuple):
    """Everything the volume kernel reads, as arrays. Day indices are 0..D-1 in the month."""

    period: int                 # YYYYMM
    D: int                      # days in the month
    month_end_ord: int          # ordinal of the last day
    # points
    pt_kind: np.ndarray         # int8
    pt_acc: np.ndarray          # int64 account index (-1 for shared points)
    pt_from: np.ndarray         # int32 first connected day
    pt_to: np.ndarray           # int32 end (exclusive)
    pt_rooms: np.ndarray        # int8 1..4
    pt_noinst: np.ndarray       # bool: a meter cannot be installed (absence applies)
    ch_ptr: np.ndarray          # int64 (n+1): children of shared points
    ch_idx: np.ndarray          # int64
    # account facts (CSR by account index)
    f_ptr: np.ndarray
    f_from: np.ndarray          # int32 days
    f_to: np.ndarray
    f_res: np.ndarray           # int16 residents (living, else registered, else owners)
    f_eq: np.ndarray            # int8 0 none, 1 stove, 2 stove_heating
    f_tg: np.ndarray            # int16 tariff group index
    # supply off intervals (CSR by point)
    s_ptr: np.ndarray
    s_from: np.ndarray
    s_to: np.ndarray
    # meters (CSR by point) and their reading statistics
    m_ptr: np.ndarray
    m_from: np.ndarray          # int32 installed day (clipped)
    m_to: np.ndarray            # int32 removed day (exclusive, clipped)
    m_bad_from: np.ndarray      # int32 first day broken/lost (D = working all month)
    m_digits: np.ndarray        # int64
    m_ratio: np.ndarray         # int64
    m_zones: np.ndarray         # int8
    r_prev: np.ndarray          # int64 (nm, 3)
    r_prev_ord: np.ndarray      # int32 (nm, 3)
    r_cur: np.ndarray           # int64 (nm, 3), -1 = none
    r_cur_ord: np.ndarray       # int32 (nm, 3)
    r_last_ord: np.ndarray      # int32 (nm, 3): last reading before the month
    r_last_period: np.ndarray   # int32 (nm,): its month, 0 = none
    avg_wh: np.ndarray          # int64 (nm, 3)
    avg_months: np.ndarray      # int16 (nm,)
    # averaged volumes already billed (CSR by point): for late readings
    la_ptr: np.ndarray
    la_period: np.ndarray       # int32
    la_zone: np.ndarray         # int8
    la_wh: np.ndarray           # int64
    # acts (CSR by point)
    a_ptr: np.ndarray
    a_kind: np.ndarray          # int8 0 access_refused, 1 tampering
    a_ord: np.ndarray           # int32 act date ordinal
    a_from: np.ndarray          # int32 tampering window days [from, to) clipped to the month
    a_to: np.ndarray
    # temporary absence (CSR by account), full days [from, to) clipped
    ab_ptr: np.ndarray
    ab_from: np.ndarray
    ab_to: np.ndarray
    # reference data by day
    brk: np.ndarray             # int8 (D,) 1 = a tariff or normative changes on this day
    price_e4: np.ndarray        # int64 (groups, 3 variants, 3 zones, D); -1 = no tariff
    norm_wh: np.ndarray         # int64 (4 rooms, 5 residents, 3 equipment, D); -1 = none
    # rules
    max_consecutive: int
    refused_count: int
    refused_milli: int
    tamper_milli: int


class VolumeLines(NamedTuple):
    point: np.ndarray           # int64 point index
    acc: np.ndarray             # int64 account index
    zone: np.ndarray            # int8
    method: np.ndarray          # int8
    seg_from: np.ndarray        # int32
    seg_to: np.ndarray          # int32
    volume_wh: np.ndarray       # int64
    price_e4: np.ndarray        # int64
    prev_value: np.ndarray      # int64
    cur_value: np.ndarray       # int64
    ratio: np.ndarray           # int32
    residents: np.ndarray       # int16
    normative_wh: np.ndarray    # int64
    factor_milli: np.ndarray    # int32
    base_months: np.ndarray     # int16
    days: np.ndarray            # int16
    month_days: np.ndarray      # int16
    meter: np.ndarray           # int64 meter index
    avg_wh: np.ndarray          # int64
    share_num: np.ndarray       # int16
    share_den: np.ndarray       # int16
    tg: np.ndarray              # int16
    basis: np.ndarray           # int8 why the method was chosen (B_*), -1 for recalc lines


def _alloc_lines(n: int) -> VolumeLines:
    return VolumeLines(
        np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int8), np.empty(n, np.int8),
        np.empty(n, np.int32), np.empty(n, np.int32), np.empty(n, np.int64), np.empty(n, np.int64),
        np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int32), np.empty(n, np.int16),
        np.empty(n, np.int64), np.empty(n, np.int32), np.empty(n, np.int16), np.empty(n, np.int16),
        np.empty(n, np.int16), np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int16),
        np.empty(n, np.int16), np.empty(n, np.int16), np.empty(n, np.int8),
    )


@inline
def _put(O, k, point, acc, zone, method, basis, s, e, vol, price, prev, cur, ratio, res, norm, factor,
         bmonths, days, mdays, meter, avg, snum, sden, tg):
    O.point[k] = point
    O.acc[k] = acc
    O.zone[k] = zone
    O.method[k] = method
    O.basis[k] = basis
    O.seg_from[k] = s
    O.seg_to[k] = e
    O.volume_wh[k] = vol
    O.price_e4[k] = price
    O.prev_value[k] = prev
    O.cur_value[k] = cur
    O.ratio[k] = ratio
    O.residents[k] = res
    O.normative_wh[k] = norm
    O.factor_milli[k] = factor
    O.base_months[k] = bmonths
    O.days[k] = days
    O.month_days[k] = mdays
    O.meter[k] = meter
    O.avg_wh[k] = avg
    O.share_num[k] = snum
    O.share_den[k] = sden
    O.tg[k] = tg


@inline
def _fact_on(I, acc, d):
    """The account's fact row in force on day d, or -1."""
    if acc < 0:
        return -1
    for f in range(I.f_ptr[acc], I.f_ptr[acc + 1]):
        if I.f_from[f] <= d < I.f_to[f]:
            return f
    return -1


@inline
def _emit(I, O, pos, write, p, fact, d, e, method, basis, zone, vol, variant, prev, cur, ratio, res, norm,
          factor, bmonths, days, mdays, meter, avg):
    """Emit a line of point p (or, for a shared point, one line per room account); returns count."""
    if I.pt_kind[p] != SHARED:
        tg = I.f_tg[fact]
        price = I.price_e4[tg, variant - 1, zone - 1, d]
        if write:
            _put(O, pos, p, I.pt_acc[p], zone, method, basis, d, e, vol, price, prev, cur, ratio, res, norm,
                 factor, bmonths, days, mdays, meter, avg, -1, -1, tg)
        return 1
    # communal flat: split among rooms by people living in each (equal shares if nobody lives)
    total = 0
    active = 0
    for j in range(I.ch_ptr[p], I.ch_ptr[p + 1]):
        c = I.ch_idx[j]
        fc = _fact_on(I, I.pt_acc[c], d)
        if fc >= 0:
            total += I.f_res[fc]
            active += 1
    k = 0
    for j in range(I.ch_ptr[p], I.ch_ptr[p + 1]):
        c = I.ch_idx[j]
        fc = _fact_on(I, I.pt_acc[c], d)
        if fc < 0:
            continue
        if total > 0:
            num = I.f_res[fc]
            den = total
        else:
            num = 1
            den = active
        if write:
            tg = I.f_tg[fc]
            price = I.price_e4[tg, variant - 1, zone - 1, d]
            _put(O, pos + k, c, I.pt_acc[c], zone, method, basis, d, e, round_div(vol * num, den), price, prev,
                 cur, ratio, res, norm, factor, bmonths, days, mdays, meter, avg, num, den, tg)
        k += 1
    return k


@inline
def _is_simple(I, p, nobrk):
    """One fact, connected, at most one working meter all month, no acts, absence or breaks: the
    whole month is one segment (most points), so the day arrays are not needed."""
    if not nobrk or I.pt_kind[p] != INDIVIDUAL or I.pt_from[p] > 0 or I.pt_to[p] < I.D:
        return False
    a = I.pt_acc[p]
    if I.f_ptr[a + 1] - I.f_ptr[a] != 1:
        return False
    f = I.f_ptr[a]
    if I.f_from[f] > 0 or I.f_to[f] < I.D:
        return False
    if I.s_ptr[p + 1] != I.s_ptr[p] or I.a_ptr[p + 1] != I.a_ptr[p] or I.ab_ptr[a + 1] != I.ab_ptr[a]:
        return False
    nm = I.m_ptr[p + 1] - I.m_ptr[p]
    if nm > 1:
        return False
    if nm == 1:
        m = I.m_ptr[p]
        if I.m_from[m] > 0 or I.m_to[m] < I.D or I.m_bad_from[m] < I.D:
            return False
    return True


@inline
def _point(I, O, p, pos, write, nobrk, fact, res, key2, on, mtr, bad, tam, ab, mdays, mcum, mall, mlate):
    """Lines of one point: returns their number; writes them at O[pos:] when `write`."""
    D = I.D
    kind = I.pt_kind[p]
    if kind == CHILD:
        return 0
    simple = _is_simple(I, p, nobrk)
    for d in range(1 if simple else D):
        fact[d] = -1
        res[d] = 0
        key2[d] = 0
        on[d] = 0
        mtr[d] = -1
        bad[d] = 0
        tam[d] = 0
        ab[d] = 0
    # facts: own account, or the rooms of a communal flat
    if simple:
        f = I.f_ptr[I.pt_acc[p]]
        fact[0] = f
        res[0] = I.f_res[f]
        on[0] = 1
    elif kind == INDIVIDUAL:
        a = I.pt_acc[p]
        for f in range(I.f_ptr[a], I.f_ptr[a + 1]):
            for d in range(I.f_from[f], I.f_to[f]):
                fact[d] = f
                res[d] = I.f_res[f]
    else:
        for j in range(I.ch_ptr[p], I.ch_ptr[p + 1]):
            a = I.pt_acc[I.ch_idx[j]]
            for f in range(I.f_ptr[a], I.f_ptr[a + 1]):
                for d in range(I.f_from[f], I.f_to[f]):
                    if fact[d] < 0:
                        fact[d] = f
                    res[d] += I.f_res[f]
                    key2[d] = key2[d] * 1000003 + f + 1
    if not simple:
        for d in range(I.pt_from[p], I.pt_to[p]):
            if fact[d] >= 0:
                on[d] = 1
        for s in range(I.s_ptr[p], I.s_ptr[p + 1]):
            for d in range(I.s_from[s], I.s_to[s]):
                on[d] = 0
    nm = I.m_ptr[p + 1] - I.m_ptr[p]
    last_read = -1
    for k in range(nm):
        m = I.m_ptr[p] + k
        if simple:
            mtr[0] = k
        else:
            for d in range(I.m_from[m], I.m_to[m]):
                mtr[d] = k
                if d >= I.m_bad_from[m]:
                    bad[d] = 1
        o = I.r_cur_ord[m, 0] if I.r_cur[m, 0] >= 0 else I.r_prev_ord[m, 0]
        if o > last_read:
            last_read = o
        mdays[k] = 0
        mcum[k] = 0
        mlate[k] = 0
        for z in range(3):
            mall[k, z] = 0
    refused = 0
    for a_ in range(I.a_ptr[p], I.a_ptr[p + 1]):
        if I.a_kind[a_] == 1:
            for d in range(I.a_from[a_], I.a_to[a_]):
                tam[d] = 1
        elif I.a_ord[a_] > last_read and I.a_ord[a_] <= I.month_end_ord:
            refused += 1
    refused_factor = I.refused_milli if refused >= I.refused_count else 1000
    if not simple and kind == INDIVIDUAL and nm == 0 and I.pt_noinst[p]:
        a = I.pt_acc[p]
        for b in range(I.ab_ptr[a], I.ab_ptr[a + 1]):
            for d in range(I.ab_from[b], I.ab_to[b]):
                ab[d] = 1
    # days on which each meter's readings volume is billed
    if simple:
        if nm == 1:
            mdays[0] = D
    else:
        for d in range(D):
            if on[d] and not tam[d] and mtr[d] >= 0 and not bad[d]:
                mdays[mtr[d]] += 1
    count = 0
    d = 0
    while d < D:
        e = D if simple else d + 1
        while not simple and e < D and I.brk[e] == 0 and fact[e] == fact[d] and key2[e] == key2[d] and on[e] == on[d] \
                and mtr[e] == mtr[d] and bad[e] == bad[d] and tam[e] == tam[d] and ab[e] == ab[d]:
            e += 1
        if on[d] and not ab[d]:
            days = e - d
            k = mtr[d]
            m = I.m_ptr[p] + k if k >= 0 else -1
            method = NORMATIVE
            basis = B_NO_METER
            factor = refused_factor
            if tam[d]:
                factor = I.tamper_milli
                basis = B_TAMPERING
            elif k >= 0 and not bad[d] and I.r_cur[m, 0] >= 0:
                method = READINGS
                basis = B_READING
            elif k >= 0 and I.avg_months[m] > 0 and I.r_last_period[m] > 0 \
                    and months_between(I.r_last_period[m], I.period) <= I.max_consecutive:
                method = AVERAGE
                basis = B_BROKEN_AVERAGE if bad[d] else B_NO_READING_AVERAGE
            elif k >= 0:
                short = I.avg_months[m] == 0 or I.r_last_period[m] == 0
                if bad[d]:
                    basis = B_BROKEN_SHORT if short else B_BROKEN_EXPIRED
                else:
                    basis = B_NO_READING_SHORT if short else B_NO_READING_EXPIRED
            f0 = fact[d]
            if method == READINGS:
                zones = I.m_zones[m]
                cum = mcum[k] + days
                for z in range(zones):
                    # validation accepts no backwards jump but a rollover; one edited in directly counts 0
                    total = max(rollover_volume(I.r_prev[m, z], I.r_cur[m, z], I.m_digits[m]), 0) * I.m_ratio[m] * 1000
                    target = round_div(total * cum, mdays[k])
                    vol = target - mall[k, z]
                    if write:
                        mall[k, z] = target
                    count += _emit(I, O, pos + count, write, p, f0, d, e, READINGS, basis, z + 1, vol, zones,
                                   I.r_prev[m, z], I.r_cur[m, z], I.m_ratio[m], -1, -1, -1, -1,
                                   days, mdays[k], m, -1)
                mcum[k] = cum
                # a late reading after months billed by average: take the averaged volumes back
                lp = I.r_last_period[m]
                if mlate[k] == 0 and lp > 0 and months_between(lp, I.period) >= 2:
                    mlate[k] = 1
                    for z in range(zones):
                        back = 0
                        months = 0
                        for j in range(I.la_ptr[p], I.la_ptr[p + 1]):
                            if I.la_zone[j] == z + 1 and lp < I.la_period[j] < I.period:
                                back += I.la_wh[j]
                                months += 1
                        if back != 0:
                            count += _emit(I, O, pos + count, write, p, f0, d, e, RECALC, -1, z + 1, -back,
                                           zones, I.r_prev[m, z], I.r_cur[m, z], I.m_ratio[m], -1, -1,
                                           -1, months, -1, -1, m, -1)
            elif method == AVERAGE:
                zones = I.m_zones[m]
                for z in range(zones):
                    avg = I.avg_wh[m, z]
                    if avg < 0:
                        avg = 0
                    count += _emit(I, O, pos + count, write, p, f0, d, e, AVERAGE, basis, z + 1,
                                   round_div(avg * days, D), zones, -1, -1, -1, -1, -1, -1,
                                   I.avg_months[m], days, D, m, avg)
            else:
                r = res[d]
                eq = I.f_eq[f0]
                norm = I.norm_wh[room_class(I.pt_rooms[p]) - 1, household_size(r) - 1, eq, d] if r > 0 else 0
                vol = round_div(r * norm * factor * days, 1000 * D) if r > 0 else 0
                count += _emit(I, O, pos + count, write, p, f0, d, e, NORMATIVE, basis, 1, vol, 1, -1, -1, -1,
                               r, norm, factor, -1, days, D, m, -1)
        d = e
    return count


@nrt_free
def _chunk(I, O, offsets, write, lo, hi, fact, res, key2, on, mtr, bad, tam, ab, mdays, mcum, mall, mlate):
    """Points lo..hi-1 sequentially; `_point` is inlined here, and nothing is reference-counted."""
    D = I.D
    nobrk = True
    for d in range(D):
        if I.brk[d]:
            nobrk = False
    for p in range(lo, hi):
        cnt = _point(I, O, p, offsets[p], write, nobrk, fact, res, key2, on, mtr, bad, tam, ab, mdays, mcum,
                     mall, mlate)
        if not write:
            offsets[p] = cnt


@pjit
def _run(I, O, offsets, write, chunks):
    n = len(I.pt_kind)
    D = I.D
    step = (n + chunks - 1) // chunks
    for c in numba.prange(chunks):
        # per-chunk scratch: day arrays and per-meter accumulators
        fact = np.empty(D, np.int64)
        res = np.empty(D, np.int64)
        key2 = np.empty(D, np.int64)
        on = np.empty(D, np.int8)
        mtr = np.empty(D, np.int64)
        bad = np.empty(D, np.int8)
        tam = np.empty(D, np.int8)
        ab = np.empty(D, np.int8)
        mdays = np.empty(MAX_METERS, np.int64)
        mcum = np.empty(MAX_METERS, np.int64)
        mall = np.empty((MAX_METERS, 3), np.int64)
        mlate = np.empty(MAX_METERS, np.int8)
        _chunk(I, O, offsets, write, c * step, min(n, (c + 1) * step), fact, res, key2, on, mtr, bad, tam, ab,
               mdays, mcum, mall, mlate)


def compute_volumes(I: VolumeInputs, chunks: int = 64) -> VolumeLines:
    """Wrapper: validates, counts lines per point, allocates, fills."""
    n = len(I.pt_kind)
    per_point = np.diff(I.m_ptr)
    if n and per_point.max(initial=0) > MAX_METERS:
        raise ValueError(f"more than {MAX_METERS} meters on one metering point in one month")
    counts = np.zeros(n + 1, np.int64)
    dummy = _alloc_lines(0)
    _run(I, dummy, counts, False, max(1, min(chunks, n)))
    offsets = np.zeros(n + 1, np.int64)
    np.cumsum(counts[:n], out=offsets[1:])
    out = _alloc_lines(int(offsets[n]))
    _run(I, out, offsets, True, max(1, min(chunks, n)))
    return out
