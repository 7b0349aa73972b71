"""The penalty kernel against a slow exact reference (`Fraction`: one sum, one half-up rounding); the
worked examples 4 and 5 of docs/penalties.md to the kopeck."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sbyt.calc.kernels.penalty import HOUSEHOLD, LEGAL, MANAGER, TSZH, DayRules, PenaltyInputs, compute_penalties


def rules(nd: int, key: list[int] | int = 16000, cap: list[int] | int = 0, mh=None, mg=None) -> DayRules:
    arr = lambda v: np.array(v if isinstance(v, list) else [v] * nd, np.int64)  # noqa: E731
    return DayRules(arr(key), arr(cap), np.array(mh or [False] * nd), np.array(mg or [False] * nd),
                    np.array([30, 0, 0, 30]), np.array([90, 0, 60, 90]), np.array([300, 130, 300, 300]),
                    np.array([130, 130, 130, 130]), np.array([True, False, True, True]), 3900)


def one(start: int, due_off: int, cat: int, events: list[tuple[int, int]], r: DayRules) -> int:
    inp = PenaltyInputs(np.array([start]), np.array([due_off]), np.array([cat]), np.array([0]),
                        np.array([0, len(events)]), np.array([d for d, _ in events], np.int32),
                        np.array([x for _, x in events], np.int64))
    return int(compute_penalties(inp, r, 1).amount_kop[0])


def test_example_4_household_45_days():
    # due date = the day before the month: day index 44 is the 45th day of delay
    assert one(1_000_000, -1, HOUSEHOLD, [], rules(45)) == 8000           # 80.00 RUB


def test_example_5_legal_entity_paid_30_days_late():
    assert one(10_000_000, -1, LEGAL, [(29, -10_000_000)], rules(31)) == 369231   # 3 692.31 RUB


def reference(start: int, due_off: int, cat: int, events: list[tuple[int, int]], r: DayRules) -> int:
    """Day by day, exactly: each part of the day's debt at the rate of the day it is paid, summed as a
    `Fraction` and rounded half-up once (a penalty is never negative)."""
    nd = len(r.key_milli)
    grace, until, den1, den2 = (int(a[cat]) for a in (r.grace, r.until, r.den1, r.den2))
    housing = bool(r.housing[cat])
    paid, bal = [], start
    for _, delta in events:
        before = max(bal, 0)
        bal += delta
        paid.append(before - max(bal, 0) if delta < 0 else 0)
    total = Fraction(0)
    for d in range(nd):
        debt = max(0, start + sum(x for day, x in events if day < d))
        k = d - due_off
        if debt == 0 or k <= grace or r.morat_general[d] or (housing and r.morat_housing[d]):
            continue
        den = den1 if k <= until else den2
        parts, rest = [], debt
        for (day, _), p in zip(events, paid):
            if p > 0 and day >= d and rest > 0:
                parts.append((min(p, rest), int(r.key_milli[day])))
                rest -= min(p, rest)
        if rest > 0:
            parts.append((rest, int(r.key_milli[nd - 1])))
        for part, rate in parts:
            if housing and r.cap_milli[d] > 0:
                rate = min(rate, int(r.cap_milli[d]))
            total += Fraction(part * rate, 1000 * 100 * den)
    return half_up(total)


def half_up(x: Fraction) -> int:
    assert x >= 0
    return math.floor(x + Fraction(1, 2))


@settings(max_examples=300, deadline=None)
@given(nd=st.integers(28, 31), start=st.integers(-50_000, 5_000_000), due_off=st.integers(-200, 30),
       cat=st.sampled_from([HOUSEHOLD, LEGAL, MANAGER, TSZH]),
       events=st.lists(st.tuples(st.integers(0, 30), st.integers(-3_000_000, 1_000_000)), max_size=4),
       key=st.lists(st.sampled_from([7500, 9500, 16000, 21000]), min_size=31, max_size=31),
       cap=st.sampled_from([0, 9500]), morat=st.lists(st.booleans(), min_size=31, max_size=31),
       general=st.booleans())
# 200 kop × 7.5 % / 130 × 13 days = exactly 1.5 kop: half-up gives 2 (a reference summing 13 inexact
# daily quotients got 1.4999… and 1)
@example(nd=28, start=200, due_off=14, cat=LEGAL, events=[], key=[7500] * 31, cap=0, morat=[False] * 31,
         general=False)
def test_kernel_equals_reference(nd, start, due_off, cat, events, key, cap, morat, general):
    events = sorted((min(d, nd - 1), x) for d, x in events if x != 0)
    m = morat[:nd]
    r = rules(nd, key[:nd], cap, mh=m if not general else None, mg=m if general else None)
    assert one(start, due_off, cat, events, r) == reference(start, due_off, cat, events, r)


def test_groups_sum_timelines_and_round_once():
    r = rules(30)
    # two debts of one account, each 1/3 kopeck-ish: rounding once per account, not per timeline
    inp = PenaltyInputs(np.array([1, 1]), np.array([-100, -100]), np.array([LEGAL, LEGAL]), np.array([0, 0]),
                        np.array([0, 0, 0]), np.zeros(0, np.int32), np.zeros(0, np.int64))
    res = compute_penalties(inp, r, 1)
    assert res.amount_kop[0] == half_up(Fraction(2 * 16 * 30, 100 * 130))
    assert len(res.d_tl) == 2 and list(res.d_den) == [130, 130]


def test_day_ranges_split_at_stage_change_and_payments():
    # household debt 1000.00 due the day before day 0 minus 80 days: day 0 = delay 81; stage 2 from delay 91
    res = compute_penalties(PenaltyInputs(np.array([100_000]), np.array([-81]), np.array([HOUSEHOLD]), np.array([0]),
                                          np.array([0, 1]), np.array([14], np.int32), np.array([-40_000])),
                            rules(30, key=[16000] * 14 + [21000] * 16), 1)
    ranges = sorted(zip(res.d_from, res.d_to, res.d_delay, res.d_debt, res.d_rate, res.d_den))
    assert ranges == [(0, 9, 81, 40_000, 21000, 300), (0, 9, 81, 60_000, 21000, 300),
                      (10, 14, 91, 40_000, 21000, 130), (10, 29, 91, 60_000, 21000, 130)]
