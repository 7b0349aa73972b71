"""Volume and amount kernels against the slow Decimal reference (tests/calc/reference.py), on random
scenarios: missing readings, rollovers, replacements, mid-month changes, zero residents, communal
flats, tampering, refused access, absence, disconnections, late readings after averaged months."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbyt.calc.kernels.amounts import line_amounts
from sbyt.calc.kernels.readings import reduce_readings
from sbyt.calc.kernels.volumes import INDIVIDUAL, SHARED, compute_volumes
from sbyt.calc.lines import METHOD_REASONS

_spec = importlib.util.spec_from_file_location("calc_reference", Path(__file__).with_name("reference.py"))
ref = importlib.util.module_from_spec(_spec)
sys.modules["calc_reference"] = ref
_spec.loader.exec_module(ref)

PERIOD = 202611


def kernel_lines(world, points):
    I = ref.to_inputs(world, points)
    v = compute_volumes(I, chunks=3)
    n = len(v.point)
    amount = np.zeros(n, np.int64)
    vat = np.zeros(n, np.int64)
    missing = line_amounts(v.volume_wh, v.price_e4, np.full(n, int(world.vat_rate * 100), np.int64), amount, vat,
                           np.ones(n, np.bool_))
    assert missing == 0
    return [(int(v.point[i]), int(v.zone[i]), int(v.method[i]), METHOD_REASONS[v.basis[i]] if v.basis[i] >= 0 else None,
             int(v.seg_from[i]), int(v.seg_to[i]), int(v.volume_wh[i]), int(amount[i]), int(vat[i])) for i in range(n)]


# ------------------------------------------------------------------------------------ strategies
prices = st.integers(100, 99999).map(lambda c: Decimal(c) / 100 if c % 3 else Decimal(c) / 10000 * 7)


@st.composite
def splits(draw, D: int, max_parts: int = 3) -> list[tuple[int, int]]:
    cuts = sorted(set(draw(st.lists(st.integers(1, D - 1), max_size=max_parts - 1))))
    edges = [0, *cuts, D]
    return list(zip(edges[:-1], edges[1:]))


@st.composite
def facts(draw, D: int) -> list:
    parts = draw(splits(D))
    out = []
    for a, b in parts:
        if draw(st.integers(0, 9)) == 0:        # a gap: the account closed / not yet opened
            continue
        out.append(ref.Fact(a, b, draw(st.integers(0, 6)), draw(st.integers(0, 2)), draw(st.integers(0, 1))))
    return out


@st.composite
def meter(draw, D: int, start: int, end: int) -> ref.Meter:
    zones = draw(st.integers(1, 3))
    digits = draw(st.integers(4, 6))
    prev = tuple(draw(st.integers(0, 10**digits - 1)) for _ in range(3))
    cur = None
    if draw(st.booleans()):
        cur = tuple((p + draw(st.integers(0, 900))) % 10**digits for p in prev)
    months = draw(st.integers(0, 6))
    return ref.Meter(
        start, end, zones=zones, digits=digits, ratio=draw(st.sampled_from([1, 1, 10, 40])),
        bad_from=draw(st.sampled_from([99, 99, 99, draw(st.integers(0, D - 1))])), prev=prev, cur=cur,
        last_period=0 if months == 0 else (202610 if months == 1 else 202611 - months),
        avg_months=draw(st.sampled_from([0, 3, 4, 6])),
        avg_kwh=tuple(Decimal(draw(st.integers(0, 500_000))) / 1000 for _ in range(3)),
    )


@st.composite
def point(draw, D: int) -> ref.Point:
    shared = draw(st.integers(0, 4)) == 0
    pt = ref.Point(kind=SHARED if shared else INDIVIDUAL, rooms=draw(st.integers(1, 5)))
    if shared:
        pt.children = [draw(facts(D)) for _ in range(draw(st.integers(1, 3)))]
    else:
        pt.facts = draw(facts(D))
    a = draw(st.sampled_from([0, 0, 0, draw(st.integers(0, D - 1))]))
    b = draw(st.sampled_from([D, D, D, draw(st.integers(a + 1, D))]))
    pt.conn = (a, b)
    if draw(st.integers(0, 5)) == 0:
        x = draw(st.integers(0, D - 1))
        pt.off = [(x, draw(st.integers(x + 1, D)))]
    n_meters = draw(st.sampled_from([0, 1, 1, 1, 2]))
    if n_meters == 1:
        s = draw(st.sampled_from([0, 0, draw(st.integers(0, D - 1))]))
        pt.meters = [draw(meter(D, s, D))]
    elif n_meters == 2:
        x = draw(st.integers(1, D - 1))
        pt.meters = [draw(meter(D, 0, x)), draw(meter(D, x, D))]
    pt.refused = draw(st.sampled_from([0, 0, 1, 2, 3]))
    if draw(st.integers(0, 5)) == 0:
        x = draw(st.integers(0, D - 1))
        pt.tamper = (x, draw(st.integers(x + 1, D)))
    pt.noinst = draw(st.booleans())
    if pt.noinst and draw(st.booleans()):
        x = draw(st.integers(0, D - 1))
        pt.absence = [(x, draw(st.integers(x + 1, D)))]
    for m in pt.meters:
        if m.last_period and draw(st.booleans()):
            pt.averaged += [(p, z + 1, draw(st.integers(1, 300_000)))
                            for p in range(m.last_period + 1, 202611) for z in range(m.zones)]
    return pt


@st.composite
def worlds(draw):
    D = draw(st.sampled_from([28, 30, 31]))
    brk = sorted(set(draw(st.lists(st.integers(1, D - 1), max_size=2))))
    prices_arr = np.empty((2, 3, 3, D), object)
    for g in range(2):
        for v in range(3):
            for z in range(3):
                p1, p2 = draw(prices), draw(prices)
                cut = brk[0] if brk else D
                prices_arr[g, v, z, :] = [p1 if d < cut else p2 for d in range(D)]
    norms = np.empty((4, 5, 3, D), object)
    base = Decimal(draw(st.integers(30_000, 200_000))) / 1000
    for r in range(4):
        for n in range(5):
            for e in range(3):
                norms[r, n, e, :] = base + r * 10 - n * 5 + e * 20
    world = ref.World(PERIOD, D, prices_arr, norms, brk,
                      max_consecutive=draw(st.sampled_from([3, 6])),
                      vat_rate=draw(st.sampled_from([Decimal(20), Decimal(22)])))
    pts = draw(st.lists(point(D), min_size=1, max_size=4))
    return world, pts


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds())
def test_volume_kernel_matches_reference(case):
    world, pts = case
    assert kernel_lines(world, pts) == ref.reference_lines(world, pts)


def test_worked_normative_line():
    """2 rooms, stove, 3 residents × 91 kWh at 1.40 ₽ = 273 kWh, 382.20 ₽ (docs/examples.md, example 2)."""
    D = 30
    prices_arr = np.full((2, 3, 3, D), Decimal("1.40"), object)
    norms = np.full((4, 5, 3, D), Decimal(91), object)
    world = ref.World(PERIOD, D, prices_arr, norms, [])
    pts = [ref.Point(facts=[ref.Fact(0, D, 3, 1, 0)], rooms=2, conn=(0, D))]
    assert kernel_lines(world, pts) == [(0, 1, 2, "no_meter", 0, 30, 273000, 38220, 6892)]


# ------------------------------------------------------------------------------------ readings reduction
def _ord(y: int, m: int, d: int) -> int:
    from datetime import date

    return (date(y, m, d) - date(1970, 1, 1)).days


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 14), st.integers(1, 28), st.integers(0, 99999)),
                max_size=40))
def test_readings_reduction_matches_reference(rows):
    """prev = last before the month, cur = last inside (first inside when nothing before), average base."""
    from sbyt.calc.gather import MONTH_TABLE_BASE, month_ords

    months = [add(202511, k) for k in range(15)]
    meter = np.array([r[0] for r in rows], np.int64)
    zone = np.ones(len(rows), np.int8)
    ords = np.array([_ord(months[r[1]] // 100, months[r[1]] % 100, r[2]) for r in rows], np.int32)
    value = np.array([r[3] for r in rows], np.int64)
    period = 202611
    start, end = _ord(2026, 11, 1), _ord(2026, 12, 1)
    digits = np.full(3, 6, np.int64)
    ratio = np.ones(3, np.int64)
    s = reduce_readings(meter, zone, ords, value, 3, start, end, digits, ratio, month_ords(period),
                        MONTH_TABLE_BASE, 6, 3)
    for m in range(3):
        mine = sorted((o, v) for mm, o, v in zip(meter, ords, value) if mm == m)
        before = [x for x in mine if x[0] < start]
        inside = [x for x in mine if start <= x[0] < end]
        last = max(before, key=lambda x: (x[0], x[1])) if before else None
        if last:
            prev, cur = last, (max(inside, key=lambda x: (x[0], x[1])) if inside else None)
        elif inside:
            prev = min(inside, key=lambda x: (x[0], x[1]))
            cur = max(inside, key=lambda x: (x[0], x[1]))
            cur = None if cur[0] == prev[0] else cur
        else:
            prev = cur = None
        assert (s.prev_value[m, 0], s.cur_value[m, 0]) == (prev[1] if prev else -1, cur[1] if cur else -1)
        if last:
            lp = months_of(last[0])
            lo = _ord(*divmod_period(add(lp, -6)), 1)
            base = [x for x in before if x[0] >= lo]
            first = min(base, key=lambda x: (x[0], x[1]))
            n = (lp // 100 - months_of(first[0]) // 100) * 12 + lp % 100 - months_of(first[0]) % 100
            if n >= 3:
                diff = int(last[1] - first[1])
                if diff < 0:    # through zero only from the dial's top tenth to its bottom tenth
                    diff = diff + 10**6 if first[1] >= 900_000 and last[1] < 100_000 else None
                assert s.avg_months[m] == n
                want = -1 if diff is None else int(ref.q(Decimal(diff) / n, ref.KWH) * 1000)
                assert s.avg_wh[m, 0] == want
            else:
                assert s.avg_months[m] == 0


def months_of(o: int) -> int:
    from datetime import date, timedelta

    d = date(1970, 1, 1) + timedelta(days=int(o))
    return d.year * 100 + d.month


def add(p: int, n: int) -> int:
    from sbyt.core.periods import add_months

    return add_months(p, n)


def divmod_period(p: int) -> tuple[int, int]:
    return p // 100, p % 100
