"""A slow, obviously correct pure-Python reference of the volume and amount kernels (Decimal kWh/RUB).

Scenarios describe metering points in plain Python (`Point`, `Meter`, `Fact`); `to_inputs` turns a
list of them into the kernel's `VolumeInputs`; `reference_lines` computes the expected lines day by
day with Decimal arithmetic and half-up rounding of each quantity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from sbyt.calc.kernels.volumes import CHILD, INDIVIDUAL, SHARED, VolumeInputs

KWH = Decimal("0.001")
KOP = Decimal("0.01")


def q(x: Decimal, unit: Decimal) -> Decimal:
    return x.quantize(unit, rounding=ROUND_HALF_UP)


@dataclass
class Fact:
    start: int
    end: int
    residents: int
    eq: int = 0
    tg: int = 0


@dataclass
class Meter:
    start: int
    end: int
    zones: int = 1
    digits: int = 6
    ratio: int = 1
    bad_from: int = 99
    prev: tuple[int, ...] = (0, 0, 0)
    cur: tuple[int, ...] | None = None           # None: no reading in the month
    last_period: int = 0                         # month of the last reading before this one (0 = none)
    avg_months: int = 0
    avg_kwh: tuple[Decimal, ...] = (Decimal(0),) * 3


@dataclass
class Point:
    kind: int = INDIVIDUAL
    facts: list[Fact] = field(default_factory=list)        # the account's (individual) facts
    children: list[list[Fact]] = field(default_factory=list)  # shared: the rooms' accounts' facts
    rooms: int = 1
    conn: tuple[int, int] = (0, 31)
    off: list[tuple[int, int]] = field(default_factory=list)
    meters: list[Meter] = field(default_factory=list)
    refused: int = 0                              # refused-access acts since the last reading
    tamper: tuple[int, int] | None = None         # tampering window (days)
    noinst: bool = False
    absence: list[tuple[int, int]] = field(default_factory=list)
    averaged: list[tuple[int, int, int]] = field(default_factory=list)  # (for_period, zone, wh) billed by average


@dataclass
class World:
    period: int
    D: int
    prices: np.ndarray        # Decimal-valued object array (groups, 3, 3, D)
    norms: np.ndarray         # object array (4, 5, 3, D) of Decimal kWh per person
    brk: list[int]
    max_consecutive: int = 3
    refused_count: int = 2
    refused_factor: Decimal = Decimal("1.5")
    tamper_factor: Decimal = Decimal(10)
    vat_rate: Decimal = Decimal(22)


def months_between(a: int, b: int) -> int:
    return (b // 100 - a // 100) * 12 + (b % 100 - a % 100)


# ------------------------------------------------------------------------------------ kernel inputs
def to_inputs(world: World, points: list[Point]) -> VolumeInputs:
    """Flatten points (shared points followed by their child points) into kernel arrays."""
    kinds, accs, pfrom, pto, rooms, noinst, parents = [], [], [], [], [], [], []
    acc_facts: list[list[Fact]] = []
    acc_absence: list[list[tuple[int, int]]] = []
    point_of: list[Point | None] = []
    for pt in points:
        me = len(kinds)
        kinds.append(pt.kind)
        point_of.append(pt)
        pfrom.append(pt.conn[0])
        pto.append(pt.conn[1])
        rooms.append(pt.rooms)
        noinst.append(pt.noinst)
        parents.append(-1)
        if pt.kind == INDIVIDUAL:
            accs.append(len(acc_facts))
            acc_facts.append(pt.facts)
            acc_absence.append(pt.absence)
        else:
            accs.append(-1)
            for ch in pt.children:
                kinds.append(CHILD)
                point_of.append(None)
                accs.append(len(acc_facts))
                acc_facts.append(ch)
                acc_absence.append([])
                pfrom.append(0)
                pto.append(world.D)
                rooms.append(1)
                noinst.append(False)
                parents.append(me)
    n = len(kinds)

    def csr(groups: list[list]) -> tuple[np.ndarray, list]:
        ptr = np.zeros(len(groups) + 1, np.int64)
        flat = []
        for i, g in enumerate(groups):
            ptr[i + 1] = ptr[i] + len(g)
            flat.extend(g)
        return ptr, flat

    ch_ptr, ch_flat = csr([[j for j in range(n) if parents[j] == i] for i in range(n)])
    f_ptr, facts = csr(acc_facts)
    s_ptr, offs = csr([list(p.off) if p else [] for p in point_of])
    m_ptr, meters = csr([list(p.meters) if p else [] for p in point_of])
    la_ptr, las = csr([list(p.averaged) if p else [] for p in point_of])
    acts = []
    for p in point_of:
        a = []
        if p is not None:
            a += [(0, 10**6, 0, 0)] * p.refused            # refused acts dated after any reading
            if p.tamper:
                a.append((1, 0, p.tamper[0], p.tamper[1]))
        acts.append(a)
    a_ptr, act_rows = csr(acts)
    ab_ptr, abs_rows = csr(acc_absence)
    nm = len(meters)
    r_prev = np.full((nm, 3), -1, np.int64)
    r_cur = np.full((nm, 3), -1, np.int64)
    avg = np.full((nm, 3), -1, np.int64)
    for i, m in enumerate(meters):
        for z in range(m.zones):
            r_prev[i, z] = m.prev[z]
            if m.cur is not None:
                r_cur[i, z] = m.cur[z]
            if m.avg_months:
                avg[i, z] = int(m.avg_kwh[z] * 1000)
    D = world.D
    price = np.array([[[[int(x * 10000) for x in zz] for zz in v] for v in g] for g in world.prices], np.int64)
    norm = np.array([[[[int(x * 1000) for x in e] for e in r] for r in rr] for rr in world.norms], np.int64)
    brk = np.zeros(D, np.int8)
    for d in world.brk:
        brk[d] = 1
    i32 = np.int32
    return VolumeInputs(
        period=world.period, D=D, month_end_ord=10**6,
        pt_kind=np.array(kinds, np.int8), pt_acc=np.array(accs, np.int64), pt_from=np.array(pfrom, i32),
        pt_to=np.array(pto, i32), pt_rooms=np.array(rooms, np.int8), pt_noinst=np.array(noinst, np.bool_),
        ch_ptr=ch_ptr, ch_idx=np.array(ch_flat, np.int64),
        f_ptr=f_ptr, f_from=np.array([f.start for f in facts], i32), f_to=np.array([f.end for f in facts], i32),
        f_res=np.array([f.residents for f in facts], np.int16), f_eq=np.array([f.eq for f in facts], np.int8),
        f_tg=np.array([f.tg for f in facts], np.int16),
        s_ptr=s_ptr, s_from=np.array([o[0] for o in offs], i32), s_to=np.array([o[1] for o in offs], i32),
        m_ptr=m_ptr, m_from=np.array([m.start for m in meters], i32), m_to=np.array([m.end for m in meters], i32),
        m_bad_from=np.array([min(m.bad_from, D) for m in meters], i32),
        m_digits=np.array([m.digits for m in meters], np.int64), m_ratio=np.array([m.ratio for m in meters], np.int64),
        m_zones=np.array([m.zones for m in meters], np.int8),
        r_prev=r_prev, r_prev_ord=np.zeros((nm, 3), i32), r_cur=r_cur, r_cur_ord=np.ones((nm, 3), i32),
        r_last_ord=np.zeros((nm, 3), i32), r_last_period=np.array([m.last_period for m in meters], i32),
        avg_wh=avg, avg_months=np.array([m.avg_months for m in meters], np.int16),
        la_ptr=la_ptr, la_period=np.array([x[0] for x in las], i32), la_zone=np.array([x[1] for x in las], np.int8),
        la_wh=np.array([x[2] for x in las], np.int64),
        a_ptr=a_ptr, a_kind=np.array([a[0] for a in act_rows], np.int8), a_ord=np.array([a[1] for a in act_rows], i32),
        a_from=np.array([a[2] for a in act_rows], i32), a_to=np.array([a[3] for a in act_rows], i32),
        ab_ptr=ab_ptr, ab_from=np.array([a[0] for a in abs_rows], i32), ab_to=np.array([a[1] for a in abs_rows], i32),
        brk=brk, price_e4=price, norm_wh=norm,
        max_consecutive=world.max_consecutive, refused_count=world.refused_count,
        refused_milli=int(world.refused_factor * 1000), tamper_milli=int(world.tamper_factor * 1000),
    )


# ------------------------------------------------------------------------------------ the reference
def _fact_on(facts: list[Fact], d: int) -> Fact | None:
    for f in facts:
        if f.start <= d < f.end:
            return f
    return None


def reference_lines(world: World, points: list[Point]) -> list[tuple]:
    """Lines as (point index, zone, method, seg_from, seg_to, volume_wh, amount_kop, vat_kop)."""
    out: list[tuple] = []
    index = 0
    for pt in points:
        children = [index + 1 + j for j in range(len(pt.children))] if pt.kind == SHARED else []
        out += _point_lines(world, pt, index, children)
        index += 1 + len(children)
    return out


def _point_lines(w: World, pt: Point, me: int, children: list[int]) -> list[tuple]:
    D = w.D
    rows: list[tuple] = []

    def fact(d: int):
        if pt.kind == INDIVIDUAL:
            return _fact_on(pt.facts, d)
        facts = [_fact_on(ch, d) for ch in pt.children]
        return tuple(facts) if any(f is not None for f in facts) else None

    def residents(d: int) -> int:
        if pt.kind == INDIVIDUAL:
            return fact(d).residents
        return sum(f.residents for f in (_fact_on(ch, d) for ch in pt.children) if f is not None)

    def meter_on(d: int) -> int | None:
        for k, m in enumerate(pt.meters):
            if m.start <= d < m.end:
                return k
        return None

    def state(d: int) -> tuple:
        on = pt.conn[0] <= d < pt.conn[1] and fact(d) is not None and not any(a <= d < b for a, b in pt.off)
        k = meter_on(d)
        bad = k is not None and d >= pt.meters[k].bad_from
        tam = pt.tamper is not None and pt.tamper[0] <= d < pt.tamper[1]
        absent = (pt.kind == INDIVIDUAL and not pt.meters and pt.noinst
                  and any(a <= d < b for a, b in pt.absence))
        f = fact(d)
        return (on, id(f) if not isinstance(f, tuple) else tuple(id(x) for x in f), k, bad, tam, absent)

    billed_days = {k: sum(1 for d in range(D) if (s := state(d))[0] and not s[4] and s[2] == k and not s[3])
                   for k in range(len(pt.meters))}
    cum_days = {k: 0 for k in range(len(pt.meters))}
    allocated: dict[tuple[int, int], Decimal] = {}
    late_done: set[int] = set()
    refused_factor = w.refused_factor if pt.refused >= w.refused_count else Decimal(1)

    def emit(d: int, e: int, method: int, basis: str | None, zone: int, vol_kwh: Decimal, variant: int) -> None:
        if pt.kind == INDIVIDUAL:
            tg = fact(d).tg
            rows.append(_priced(w, me, zone, method, basis, d, e, vol_kwh, w.prices[tg][variant - 1][zone - 1][d]))
            return
        present = [(c, f) for c, ch in zip(children, pt.children) if (f := _fact_on(ch, d)) is not None]
        total = sum(f.residents for _, f in present)
        for c, f in present:
            num, den = (f.residents, total) if total > 0 else (1, len(present))
            share = q(vol_kwh * num / den, KWH)
            rows.append(_priced(w, c, zone, method, basis, d, e, share, w.prices[f.tg][variant - 1][zone - 1][d]))

    d = 0
    while d < D:
        e = d + 1
        while e < D and e not in w.brk and state(e) == state(d):
            e += 1
        on, _, k, bad, tam, absent = state(d)
        days = e - d
        if on and not absent:
            m = pt.meters[k] if k is not None else None
            if tam:
                method, factor, basis = 2, w.tamper_factor, "tampering"
            elif m is not None and not bad and m.cur is not None:
                method, factor, basis = 0, None, "reading"
            elif m is not None and m.avg_months > 0 and m.last_period > 0 \
                    and months_between(m.last_period, w.period) <= w.max_consecutive:
                method, factor = 1, None
                basis = "broken_average" if bad else "no_reading_average"
            else:
                method, factor = 2, refused_factor
                if m is None:
                    basis = "no_meter"
                else:
                    short = m.avg_months == 0 or m.last_period == 0
                    basis = ("broken_" if bad else "no_reading_") + ("short" if short else "expired")
            if method == 0:
                cum_days[k] += days
                for z in range(m.zones):
                    diff = m.cur[z] - m.prev[z]
                    if diff < 0:
                        diff += 10 ** m.digits
                    target = q(Decimal(diff * m.ratio) * cum_days[k] / billed_days[k], KWH)
                    vol = target - allocated.get((k, z), Decimal(0))
                    allocated[(k, z)] = target
                    emit(d, e, 0, basis, z + 1, vol, m.zones)
                if k not in late_done and m.last_period and months_between(m.last_period, w.period) >= 2:
                    late_done.add(k)
                    for z in range(m.zones):
                        back = sum(wh for p, zz, wh in pt.averaged
                                   if zz == z + 1 and m.last_period < p < w.period)
                        if back:
                            emit(d, e, 3, None, z + 1, -Decimal(back) / 1000, m.zones)
            elif method == 1:
                for z in range(m.zones):
                    emit(d, e, 1, basis, z + 1, q(m.avg_kwh[z] * days / D, KWH), m.zones)
            else:
                r = residents(d)
                f0 = fact(d)
                eq = f0.eq if pt.kind == INDIVIDUAL else next(x for x in f0 if x is not None).eq
                if r > 0:
                    norm = w.norms[min(max(pt.rooms, 1), 4) - 1][min(r, 5) - 1][eq][d]
                    vol = q(r * norm * factor * days / D, KWH)
                else:
                    vol = Decimal(0)
                emit(d, e, 2, basis, 1, vol, 1)
        d = e
    return rows


def _priced(w: World, point: int, zone: int, method: int, basis: str | None, d: int, e: int, vol_kwh: Decimal,
            price: Decimal) -> tuple:
    amount = q(vol_kwh * price, KOP)
    vat = q(amount * w.vat_rate / (100 + w.vat_rate), KOP)
    return (point, zone, method, basis, d, e, int(vol_kwh * 1000), int(amount * 100), int(vat * 100))
