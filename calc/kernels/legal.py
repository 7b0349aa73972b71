"""Legal-entity kernel: hourly arrays of supply points (points × hours of the month) -> the exact
integer quantities of every price component of categories 3–6 (research legal.md §C.4).

For a point p with hourly volumes V(h) in Wh (Moscow hour-ending notation, h = 24·day + hour − 1)
and its price row k (category × voltage level; rates in RUB/MWh × 10⁴):

    energy       Σ_h V(h) × fact_k(h)                              -> kopecks: / 10⁸
    generation   Σ_{working d} V(d, peak(d))         over n working days (mean = Σ / n, in Wh per hour)
    network      Σ_{working d} max_{h ∈ window} V(d, h)   over n working days
    deviations   over(h) = max(V − plan, 0), under(h) = max(plan − V, 0):
                 Σ over(h) × over_k(h), Σ under(h) × under_k(h)    -> kopecks: / 10⁸

Products are summed as a quotient and a remainder of 10⁸ so that no sum leaves 64 bits; the one
rounding (half-up, away from zero) is done per line by `finish`. Capacity amounts are
`money.mul_div(Σ Wh, rate_e4, n × 10⁸)`: the mean is never rounded before the amount.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sbyt.calc.jit import jit, pjit

SCALE = 100_000_000          # Wh × (RUB/MWh × 10⁴) -> kopecks


class LegalHourInputs(NamedTuple):
    volume: np.ndarray       # int64[P, H] Wh per hour (may be negative for a transit head: flagged)
    price_row: np.ndarray    # int64[P] row of the rate matrices (category × voltage)
    fact: np.ndarray         # int64[K, H] RUB/MWh × 10⁴ for the actual hourly volume
    over: np.ndarray         # int64[K, H] categories 5, 6: actual above planned (0 elsewhere)
    under: np.ndarray        # int64[K, H] categories 5, 6: planned above actual
    plan_row: np.ndarray     # int64[P] row of `plan`, -1 = no plan (categories 3, 4)
    plan: np.ndarray         # int64[Q, H] planned Wh per hour
    working: np.ndarray      # bool[D] working days of the month (production calendar)
    peak: np.ndarray         # int64[D] the АТС peak hour of a working day, hour-ending 1..24 (0 = none)
    window: np.ndarray       # bool[24] the SO planned peak hours, index = hour-ending − 1


class LegalHourResult(NamedTuple):
    volume_wh: np.ndarray    # int64[P] Σ V
    energy_q: np.ndarray     # int64[P] Σ V × fact = q × 10⁸ + r
    energy_r: np.ndarray
    peak_wh: np.ndarray      # int64[P] Σ over working days of V in the peak hour
    max_wh: np.ndarray       # int64[P] Σ over working days of the window's maximum
    days: np.ndarray         # int64[P] working days counted (the same for every point)
    over_wh: np.ndarray      # int64[P]
    under_wh: np.ndarray
    over_q: np.ndarray
    over_r: np.ndarray
    under_q: np.ndarray
    under_r: np.ndarray
    negative: np.ndarray     # int64[P] hours with a negative volume


@jit
def finish(q: int, r: int) -> int:
    """Kopecks of the exact sum q × 10⁸ + r (any r), rounded half-up away from zero once."""
    q += r // SCALE
    r = r % SCALE
    if q >= 0:
        return q + (1 if 2 * r >= SCALE else 0)
    return q + (1 if 2 * r > SCALE else 0)


@pjit
def _hours(volume, price_row, fact, over, under, plan_row, plan, working, peak, window,
           volume_wh, energy_q, energy_r, peak_wh, max_wh, days, over_wh, under_wh,
           over_q, over_r, under_q, under_r, negative):
    n_points, n_hours = volume.shape
    n_days = n_hours // 24
    for p in numba.prange(n_points):
        k = price_row[p]
        pr = plan_row[p]
        vol = 0
        eq = 0
        er = 0
        pk = 0
        mx = 0
        nd = 0
        ow = 0
        uw = 0
        oq = 0
        orr = 0
        uq = 0
        ur = 0
        neg = 0
        for d in range(n_days):
            day_max = 0
            seen = False
            for hh in range(24):
                h = d * 24 + hh
                v = volume[p, h]
                vol += v
                if v < 0:
                    neg += 1
                if k >= 0:
                    t = v * fact[k, h]
                    eq += t // SCALE
                    er += t % SCALE
                if working[d]:
                    if window[hh] and (not seen or v > day_max):
                        day_max = v
                        seen = True
                    if peak[d] == hh + 1:
                        pk += v
                if pr >= 0 and k >= 0:
                    dv = v - plan[pr, h]
                    if dv > 0:
                        ow += dv
                        t = dv * over[k, h]
                        oq += t // SCALE
                        orr += t % SCALE
                    elif dv < 0:
                        uw -= dv
                        t = -dv * under[k, h]
                        uq += t // SCALE
                        ur += t % SCALE
            if working[d]:
                nd += 1
                mx += day_max
        volume_wh[p] = vol
        energy_q[p] = eq
        energy_r[p] = er
        peak_wh[p] = pk
        max_wh[p] = mx
        days[p] = nd
        over_wh[p] = ow
        under_wh[p] = uw
        over_q[p] = oq
        over_r[p] = orr
        under_q[p] = uq
        under_r[p] = ur
        negative[p] = neg


def hour_components(inp: LegalHourInputs) -> LegalHourResult:
    """Run the kernel: validates shapes, allocates, fills."""
    n, h = inp.volume.shape
    if h % 24 or len(inp.working) != h // 24 or len(inp.peak) != h // 24 or len(inp.window) != 24:
        raise ValueError("hourly arrays must cover whole days")
    if len(inp.price_row) != n or len(inp.plan_row) != n:
        raise ValueError("one price row and one plan row per point")
    out = [np.zeros(n, np.int64) for _ in LegalHourResult._fields]
    k = max(len(inp.fact), 1)

    def rates(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a, np.int64) if len(a) else np.zeros((k, h), np.int64)

    plan = np.ascontiguousarray(inp.plan, np.int64) if len(inp.plan) else np.zeros((1, h), np.int64)
    _hours(np.ascontiguousarray(inp.volume, np.int64), inp.price_row.astype(np.int64), rates(inp.fact),
           rates(inp.over), rates(inp.under), inp.plan_row.astype(np.int64), plan,
           inp.working.astype(np.bool_), inp.peak.astype(np.int64), inp.window.astype(np.bool_), *out)
    return LegalHourResult(*out)


@jit
def _spread(total, weights, out):
    """`total` Wh spread over the hours with weight 1 as evenly as integers allow (the first hours get
    the remainder); hours with weight 0 get nothing."""
    n = 0
    for w in weights:
        if w:
            n += 1
    if n == 0:
        return
    base = total // n
    rest = total - base * n
    for i in range(weights.shape[0]):
        if weights[i]:
            out[i] += base + (1 if rest > 0 else 0)
            if rest > 0:
                rest -= 1


@jit
def integral_profile(total_wh, max_wh_per_hour, peak_mask, out):
    """An integral (or contract) monthly volume as hours under a capacity rate (legal.md §A.5): in
    each SO planned peak hour of a working day min(total spread evenly over those hours, the
    volume of the maximum capacity); the rest spread evenly over the other hours. Without a
    capacity category (peak_mask all False) the volume is spread evenly over the month."""
    n_peak = 0
    for m in peak_mask:
        if m:
            n_peak += 1
    if n_peak == 0:
        ones = np.ones(out.shape[0], np.bool_)
        _spread(total_wh, ones, out)
        return
    per = total_wh // n_peak
    if max_wh_per_hour >= 0 and per > max_wh_per_hour:
        per = max_wh_per_hour
    rest_mask = ~peak_mask
    for i in range(out.shape[0]):
        if peak_mask[i]:
            out[i] += per
    left = total_wh - per * n_peak
    if rest_mask.any():
        _spread(left, rest_mask, out)
    else:
        _spread(left, peak_mask, out)
