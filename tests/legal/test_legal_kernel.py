"""The legal-entity kernel (categories 3–6) against a slow, obviously correct Fraction reference on
random inputs, and example 7 / W13 of docs/legal_calc.md (capacity and network capacity)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings, strategies as st

from sbyt.calc.kernels.legal import LegalHourInputs, finish, hour_components, integral_profile
from sbyt.calc.legal import mul_div_rows

SCALE = 100_000_000


def half_up(x: Fraction) -> int:
    """Kopecks rounded half away from zero."""
    sign = -1 if x < 0 else 1
    return sign * int(abs(x) + Fraction(1, 2))


def reference(volume_wh, fact, over, under, plan, working, peak, window, cap, netcap, loss):
    """One point in natural units: kWh, RUB/MWh, RUB/MW·month, RUB; one rounding per line."""
    kwh = [Fraction(v, 1000) for v in volume_wh]
    days = len(volume_wh) // 24
    energy = sum(kwh[h] / 1000 * Fraction(fact[h], 10_000) for h in range(len(kwh)))
    work = [d for d in range(days) if working[d]]
    peak_kw = [kwh[d * 24 + peak[d] - 1] if peak[d] else Fraction(0) for d in work]
    max_kw = [max([kwh[d * 24 + hh] for hh in range(24) if window[hh]], default=Fraction(0)) for d in work]
    n = len(work)
    gen_mw = sum(peak_kw) / n / 1000 if n else Fraction(0)
    net_mw = sum(max_kw) / n / 1000 if n else Fraction(0)
    out = {"energy": half_up(energy * 100),
           "capacity": half_up(gen_mw * Fraction(cap, 10_000) * 100),
           "network_capacity": half_up(net_mw * Fraction(netcap, 10_000) * 100),
           "network_loss": half_up(sum(kwh) / 1000 * Fraction(loss, 10_000) * 100)}
    if plan is not None:
        o = sum(max(kwh[h] - Fraction(plan[h], 1000), 0) / 1000 * Fraction(over[h], 10_000) for h in range(len(kwh)))
        u = sum(max(Fraction(plan[h], 1000) - kwh[h], 0) / 1000 * Fraction(under[h], 10_000) for h in range(len(kwh)))
        out["over"], out["under"] = half_up(o * 100), half_up(u * 100)
    return out


def kernel(points, fact, over, under, plans, working, peak, window, cap, netcap, loss):
    volume = np.array(points, np.int64)
    n, h = volume.shape
    plan_row = np.array([i if plans[i] is not None else -1 for i in range(n)], np.int64)
    plan = np.array([p if p is not None else [0] * h for p in plans], np.int64)
    res = hour_components(LegalHourInputs(volume, np.arange(n, dtype=np.int64), np.array(fact, np.int64),
                                          np.array(over, np.int64), np.array(under, np.int64), plan_row, plan,
                                          np.array(working), np.array(peak, np.int64), np.array(window)))
    days = np.maximum(res.days, 1)
    out = []
    for i in range(n):
        line = {"energy": finish(res.energy_q[i], res.energy_r[i]),
                "capacity": int(mul_div_rows(res.peak_wh[i:i + 1], cap[i], days[i] * SCALE)[0]),
                "network_capacity": int(mul_div_rows(res.max_wh[i:i + 1], netcap[i], days[i] * SCALE)[0]),
                "network_loss": int(mul_div_rows(res.volume_wh[i:i + 1], loss[i], SCALE)[0])}
        if plans[i] is not None:
            line["over"] = finish(res.over_q[i], res.over_r[i])
            line["under"] = finish(res.under_q[i], res.under_r[i])
        out.append(line)
    return out


@st.composite
def months(draw):
    days = draw(st.integers(1, 4))
    h = days * 24
    n = draw(st.integers(1, 3))
    vol = st.integers(-2_000_000, 50_000_000)      # Wh per hour; negative: a transit head's hour
    rate = st.integers(0, 100_000_000)              # RUB/MWh × 10⁴ (up to 10 000 RUB/MWh)
    points = [draw(st.lists(vol, min_size=h, max_size=h)) for _ in range(n)]
    fact = [draw(st.lists(rate, min_size=h, max_size=h)) for _ in range(n)]
    over = [draw(st.lists(rate, min_size=h, max_size=h)) for _ in range(n)]
    under = [draw(st.lists(rate, min_size=h, max_size=h)) for _ in range(n)]
    plans = [draw(st.one_of(st.none(), st.lists(st.integers(0, 50_000_000), min_size=h, max_size=h)))
             for _ in range(n)]
    working = draw(st.lists(st.booleans(), min_size=days, max_size=days))   # any day may be a working Saturday
    peak = [draw(st.integers(1, 24)) if w else 0 for w in working]          # may fall outside the window
    window = draw(st.lists(st.booleans(), min_size=24, max_size=24))
    big = st.integers(0, 20_000_000_000)            # RUB/MW·month × 10⁴ (up to 2 000 000)
    cap = [draw(big) for _ in range(n)]
    netcap = [draw(big) for _ in range(n)]
    loss = [draw(rate) for _ in range(n)]
    return points, fact, over, under, plans, working, peak, window, cap, netcap, loss


@settings(max_examples=150, deadline=None)
@given(months())
def test_kernel_equals_the_fraction_reference_on_random_months(m):
    points, fact, over, under, plans, working, peak, window, cap, netcap, loss = m
    got = kernel(*m)
    for i in range(len(points)):
        assert got[i] == reference(points[i], fact[i], over[i], under[i], plans[i], working, peak, window,
                                   cap[i], netcap[i], loss[i])


def test_a_missing_hour_counts_as_nothing_and_the_peak_of_a_day_off_is_not_counted():
    h = 24 * 2
    v = [1000] * h
    v[5] = 0                                   # a missing hour
    v[24 + 11] = 500_000                       # day 2 is a day off: its 500 kW hour does not count
    got = kernel([v], [[10_000_000] * h], [[0] * h], [[0] * h], [None], [True, False], [6, 0],
                 [True] * 24, [9_500_000_000], [11_000_000_000], [0])[0]
    # peak hour of day 1 is hour 6 = index 5 = the missing hour: 0 kW
    assert got["capacity"] == 0
    assert got["network_capacity"] == 110_000   # max 1 kW on day 1: 0.001 MW × 1 100 000 = 1 100.00 RUB


def test_domain_example_7_and_w13_capacity_and_network_capacity():
    """Five working days: peak-hour consumption 100, 120, 110, 130, 90 kW → 0.110 MW × 950 000 =
    104 500.00 RUB; daily maxima in the window 150, 160, 140, 170, 130 kW → 0.150 MW × 1 100 000 =
    165 000.00 RUB. A Saturday with 500 kW is excluded unless it is a working Saturday."""
    days = 6
    peak_kw = [100, 120, 110, 130, 90]
    max_kw = [150, 160, 140, 170, 130]
    v = [0] * (days * 24)
    for d in range(5):
        v[d * 24 + 11] = peak_kw[d] * 1000          # hour-ending 12: the АТС peak hour
        v[d * 24 + 15] = max_kw[d] * 1000           # hour-ending 16: the window's maximum
    v[5 * 24 + 11] = 500_000                        # Saturday
    window = [9 <= hh + 1 <= 20 for hh in range(24)]
    args = ([v], [[0] * len(v)], [[0] * len(v)], [[0] * len(v)], [None])
    rates = ([9_500_000_000], [11_000_000_000], [0])
    off = kernel(*args, [True] * 5 + [False], [12] * 5 + [0], window, *rates)[0]
    assert off["capacity"] == 10_450_000 and off["network_capacity"] == 16_500_000
    on = kernel(*args, [True] * 6, [12] * 6, window, *rates)[0]    # a working Saturday counts
    assert on["capacity"] == half_up(Fraction(100 + 120 + 110 + 130 + 90 + 500, 6 * 1000) * 950_000 * 100)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**10), st.integers(-1, 10**7), st.lists(st.booleans(), min_size=48, max_size=48))
def test_integral_profile_keeps_the_volume_and_caps_peak_hours(total, max_wh, mask):
    out = np.zeros(48, np.int64)
    peak = np.array(mask)
    integral_profile(np.int64(total), np.int64(max_wh), peak, out)
    assert int(out.sum()) == total and (out >= 0).all()
    if peak.any() and max_wh >= 0 and (~peak).any():
        assert (out[peak] <= max(max_wh, total // int(peak.sum()))).all()
        assert (out[peak] <= max_wh).all() or total // int(peak.sum()) <= max_wh
