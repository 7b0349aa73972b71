"""Reading reduction: per meter and zone, the previous and current accepted readings and the
average-volume base, from an unsorted column of accepted readings (one pass per question).

Dates are day ordinals (days since 1970-01-01). A reading belongs to the month containing its date:
`prev` = the last reading before the month, `cur` = the last one inside it. A meter whose first
reading falls inside the month (installed in the month) takes that first reading as `prev`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sbyt.calc.jit import jit, rollover_volume, round_div


class ReadingStats(NamedTuple):
    """Per meter (rows) and zone (columns 0..2); -1 = none."""

    prev_value: np.ndarray   # int64 (n, 3)
    prev_ord: np.ndarray     # int32 (n, 3)
    cur_value: np.ndarray    # int64 (n, 3); -1 when no reading in the month after prev
    cur_ord: np.ndarray      # int32 (n, 3)
    last_ord: np.ndarray     # int32 (n, 3): last reading before the month (the average base end)
    avg_wh: np.ndarray       # int64 (n, 3): average monthly volume, Wh
    avg_months: np.ndarray   # int16 (n,): months in the average base (0 = no usable base)


@jit
def period_of_ord(ord_: int, month_ords: np.ndarray, base_period: int) -> int:
    """YYYYMM of a day ordinal; month_ords[k] = ordinal of the first day of base_period + k months."""
    k = np.searchsorted(month_ords, ord_, side="right") - 1
    y = base_period // 100
    m = base_period % 100 - 1 + k
    return (y + m // 12) * 100 + m % 12 + 1


@jit
def months_between(a: int, b: int) -> int:
    return (b // 100 - a // 100) * 12 + (b % 100 - a % 100)


@jit
def _pass1(meter, zone, ord_, value, start, end, prev_v, prev_o, cur_v, cur_o, first_v, first_o):
    """Last reading before the month, first and last inside it (ties on a day: the larger value wins)."""
    for i in range(len(meter)):
        m = meter[i]
        if m < 0:
            continue
        z = zone[i] - 1
        o = ord_[i]
        v = value[i]
        if o < start:
            if o > prev_o[m, z] or (o == prev_o[m, z] and v > prev_v[m, z]):
                prev_o[m, z] = o
                prev_v[m, z] = v
        elif o < end:
            if o > cur_o[m, z] or (o == cur_o[m, z] and v > cur_v[m, z]):
                cur_o[m, z] = o
                cur_v[m, z] = v
            if first_o[m, z] < 0 or o < first_o[m, z] or (o == first_o[m, z] and v < first_v[m, z]):
                first_o[m, z] = o
                first_v[m, z] = v


@jit
def _thresholds(prev_o, prev_v, old_value, old_ord, month_ords, base_period, base_months):
    """Merge readings older than the window; the base window start for each meter and zone."""
    n = prev_o.shape[0]
    thr = np.full((n, 3), -1, np.int32)
    for m in range(n):
        for z in range(3):
            if prev_o[m, z] < 0 and old_ord[m, z] >= 0:
                prev_o[m, z] = old_ord[m, z]
                prev_v[m, z] = old_value[m, z]
            if prev_o[m, z] >= 0:
                lp = period_of_ord(prev_o[m, z], month_ords, base_period)
                k = months_between(base_period, lp) - base_months
                thr[m, z] = month_ords[k] if k >= 0 else month_ords[0]
    return thr


@jit
def _pass2(meter, zone, ord_, value, start, thr, base_v, base_o):
    """The earliest reading inside the base window that ends at the last reading before the month."""
    for i in range(len(meter)):
        m = meter[i]
        if m < 0:
            continue
        z = zone[i] - 1
        o = ord_[i]
        if thr[m, z] >= 0 and thr[m, z] <= o < start:
            if base_o[m, z] < 0 or o < base_o[m, z] or (o == base_o[m, z] and value[i] < base_v[m, z]):
                base_o[m, z] = o
                base_v[m, z] = value[i]


@jit
def _finish(prev_v, prev_o, cur_v, cur_o, first_v, first_o, base_v, base_o, digits, ratio, month_ords,
            base_period, min_months):
    n = prev_o.shape[0]
    last_o = prev_o.copy()
    avg = np.full((n, 3), -1, np.int64)
    avg_months = np.zeros(n, np.int16)
    for m in range(n):
        if last_o[m, 0] >= 0 and base_o[m, 0] >= 0:
            months = months_between(period_of_ord(base_o[m, 0], month_ords, base_period),
                                    period_of_ord(last_o[m, 0], month_ords, base_period))
            if months >= min_months and months >= 1:
                avg_months[m] = months
                for z in range(3):
                    if last_o[m, z] >= 0 and base_o[m, z] >= 0:
                        d = rollover_volume(base_v[m, z], prev_v[m, z], digits[m])
                        if d >= 0:      # a backwards jump that is no rollover gives no average
                            avg[m, z] = round_div(d * ratio[m] * 1000, months)
    # a meter first read inside the month: its first reading is the start value
    for m in range(n):
        for z in range(3):
            if prev_o[m, z] < 0 and first_o[m, z] >= 0:
                prev_o[m, z] = first_o[m, z]
                prev_v[m, z] = first_v[m, z]
                if cur_o[m, z] == first_o[m, z]:
                    cur_o[m, z] = -1
                    cur_v[m, z] = -1
    return last_o, avg, avg_months


def reduce_reading_chunks(chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]], n: int,
                          start: int, end: int, digits: np.ndarray, ratio: np.ndarray, month_ords: np.ndarray,
                          base_period: int, base_months: int, min_months: int,
                          old_value: np.ndarray | None = None, old_ord: np.ndarray | None = None,
                          older=None, base_chunks=None, bad: np.ndarray | None = None) -> ReadingStats:  # noqa: ANN001 - callbacks
    """Readings in chunks of (meter index, zone, ordinal, value) arrays (any iterable: it is read once).

    `older(need)`: called after the first pass with a mask of meters read in the month but not before
    it inside the chunks; returns (old_value, old_ord) of their last earlier readings.
    `base_chunks(need)`: the chunks again, for the meters that need an average (no reading in the
    month or broken: mask `need`); by default `chunks` themselves (then they must be a list).
    """
    prev_v = np.full((n, 3), -1, np.int64)
    prev_o = np.full((n, 3), -1, np.int32)
    cur_v = np.full((n, 3), -1, np.int64)
    cur_o = np.full((n, 3), -1, np.int32)
    first_v = np.full((n, 3), -1, np.int64)
    first_o = np.full((n, 3), -1, np.int32)
    for meter, zone, ord_, value in chunks:
        _pass1(meter, zone, ord_, value, start, end, prev_v, prev_o, cur_v, cur_o, first_v, first_o)
    if older is not None:
        need = (prev_o[:, 0] < 0) & (first_o[:, 0] >= 0)
        if need.any():
            old_value, old_ord = older(need)
    if old_value is None:
        old_value = np.full((n, 3), -1, np.int64)
        old_ord = np.full((n, 3), -1, np.int32)
    thr = _thresholds(prev_o, prev_v, old_value, old_ord, month_ords, base_period, base_months)
    base_v = np.full((n, 3), -1, np.int64)
    base_o = np.full((n, 3), -1, np.int32)
    second = chunks
    if base_chunks is not None:
        need_avg = (cur_o[:, 0] < 0) | np.asarray(bad, dtype=bool) if bad is not None else (cur_o[:, 0] < 0)
        second = base_chunks(need_avg & (thr[:, 0] >= 0)) if need_avg.any() else []
    for meter, zone, ord_, value in second:
        _pass2(meter, zone, ord_, value, start, thr, base_v, base_o)
    last_o, avg, avg_months = _finish(prev_v, prev_o, cur_v, cur_o, first_v, first_o, base_v, base_o,
                                      digits.astype(np.int64, copy=False), ratio.astype(np.int64, copy=False),
                                      month_ords, base_period, min_months)
    return ReadingStats(prev_v, prev_o, cur_v, cur_o, last_o, avg, avg_months)


def reduce_readings(meter: np.ndarray, zone: np.ndarray, ord_: np.ndarray, value: np.ndarray, n: int,
                    start: int, end: int, digits: np.ndarray, ratio: np.ndarray, month_ords: np.ndarray,
                    base_period: int, base_months: int, min_months: int,
                    old_value: np.ndarray | None = None, old_ord: np.ndarray | None = None) -> ReadingStats:
    """One chunk of readings: `meter` holds dense meter indices (-1 = skip)."""
    chunk = (meter.astype(np.int32, copy=False), zone.astype(np.int8, copy=False),
             ord_.astype(np.int32, copy=False), value.astype(np.int64, copy=False))
    return reduce_reading_chunks([chunk], n, start, end, digits, ratio, month_ords, base_period, base_months,
                                 min_months, old_value, old_ord)
