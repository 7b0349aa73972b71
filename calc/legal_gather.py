"""Gather for the legal-entity run: one month's supply points, their volumes (hourly matrix in
Moscow hours, integral readings by zone, contract volumes), prices, peak hours and windows, in
bulk SQL into NumPy arrays (no loop over points).

Volume of a supply point, in this order (research legal.md §A.5, §E.1–E.2):
  * `hourly`: the АСКУЭ hours of its meters (meter_hour, not rejected), shifted from the data's
    clock to Moscow hours (dated rule legal.msk_offset_hours), with each meter's loss to the
    boundary (loss_pct) applied per hour;
  * `integral`: reading differences × CT × VT (legal_reading_step), by zone, with the loss;
  * `contract_volume`: the object's declared energy for the month shared by its points without data;
  * none: the point gets no line and is reported.
Points of price categories 3–6 and points taking part in a transit pair need hours: an integral or
contract volume becomes hours by `integral_profile` (§A.5). A transit point's hours are subtracted
from its head point's hours (a negative hour is kept and flagged, not zeroed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pyarrow as pa

from sbyt.calc.jit import round_div_array
from sbyt.calc.kernels.legal import integral_profile
from sbyt.core.errors import MissingPricesError, SbytError
from sbyt.core.periods import days_in, first_day, last_day, period_label
from sbyt.core.reference import rule, text_rule
from sbyt.core.store import Store

VOLTAGES = ("VN", "SN1", "SN2", "NN")
VOLTAGE_RU = {"VN": "ВН", "SN1": "СН1", "SN2": "СН2", "NN": "НН"}
SOURCES = ("none", "hourly", "integral", "contract_volume")
SRC_NONE, SRC_HOURLY, SRC_INTEGRAL, SRC_CONTRACT = range(4)
HOURLY_CATEGORIES = (3, 4, 5, 6)

POINTS_SQL = """
SELECT p.id, p.object_id, o.contract_id, k.counterparty_id, k.kind = 'sale' AS sale, k.kind = 'manager' AS manager,
       coalesce(p.head_point_id, -1) AS head_id, f.price_category, f.voltage,
       CAST(list_position(['VN', 'SN1', 'SN2', 'NN'], f.voltage) - 1 AS TINYINT) AS vidx,
       CAST(round(f.max_kw * 1000) AS BIGINT) AS max_w, f.tariff_group, f.tariff_group IS NOT NULL AS equated
FROM legal_point p
JOIN calc_object o ON o.id = p.object_id
JOIN contract k ON k.id = o.contract_id
JOIN legal_point_fact f ON f.point_id = p.id
     AND f.valid_from <= greatest($first, p.opened) AND (f.valid_to IS NULL OR f.valid_to > greatest($first, p.opened))
WHERE k.state IN ('signed', 'terminated') AND k.starts IS NOT NULL AND k.starts <= $last
  AND (k.terminated_from IS NULL OR k.terminated_from > $first)
  AND p.opened <= $last AND (p.closed IS NULL OR p.closed > $first)
  AND o.opened <= $last AND (o.closed IS NULL OR o.closed > $first)
  AND ($contracts IS NULL OR list_contains($contracts, k.id) OR p.head_point_id IN (
      SELECT hp.id FROM legal_point hp JOIN calc_object ho ON ho.id = hp.object_id
      WHERE list_contains($contracts, ho.contract_id)))
ORDER BY p.id
"""


def parse_hours(text: str) -> list[int]:
    """'8-13, 17-21' / '24,1-7' -> hour-ending numbers 1..24 (inclusive ranges)."""
    out: list[int] = []
    for part in text.replace("–", "-").replace(" ", "").split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        a, b = int(lo), int(hi or lo)
        if not (1 <= a <= 24 and 1 <= b <= 24 and a <= b):
            raise SbytError(f"Часы «{text}»: ожидаются числа 1–24 и диапазоны «8-13».")
        out.extend(range(a, b + 1))
    return out


@dataclass
class Prices:
    """Prices of one month in integers (RUB/MWh × 10⁴, RUB/MW·month × 10⁴)."""

    period: int
    components: dict[tuple[int, str, str, int, int], int]        # (category, voltage, component, zones, zone)
    batches: dict[tuple[int, str], int]                          # (category, voltage) -> price table batch
    hour_keys: list[tuple[int, str]]                             # rows of the rate matrices
    fact: np.ndarray                                             # int64[K, H]
    over: np.ndarray
    under: np.ndarray
    hour_batches: dict[tuple[int, str], int]

    def component(self, category: int, voltage: str, name: str, zones: int = 0, zone: int = 0) -> int | None:
        return self.components.get((category, voltage, name, zones, zone))


@dataclass
class LegalGathered:
    period: int
    start: date
    hours: int                               # hours of the month (days × 24)
    point_id: np.ndarray                     # int64[P]
    object_id: np.ndarray
    contract_id: np.ndarray
    counterparty_id: np.ndarray
    sale: np.ndarray                         # bool[P]: purchase-sale contract (no transmission)
    manager: np.ndarray                      # bool[P]: a managing company's contract
    head: np.ndarray                         # int64[P] index of the head point, -1
    category: np.ndarray                     # int8[P]
    voltage: np.ndarray                      # object[P] 'VN' | 'SN1' | 'SN2' | 'NN'
    vidx: np.ndarray                         # int8[P] index of the voltage in VOLTAGES
    max_w: np.ndarray                        # int64[P] maximum capacity, W
    tariff_group: np.ndarray                 # object[P] population-equated: the household tariff group, None
    equated: np.ndarray                      # bool[P] population-equated
    source: np.ndarray                       # int8[P] SRC_*
    volume_wh: np.ndarray                    # int64[P] the month's volume (after transit)
    zone_wh: np.ndarray                      # int64[P, 3] category 2: volume by zone
    zones: np.ndarray                        # int8[P] category 2: zone variant 2 or 3 (0 = none)
    profile_row: np.ndarray                  # int64[P] row in `hours_wh`, -1
    hours_wh: np.ndarray                     # int64[R, H] hours of the points that need them (Moscow)
    measured_hours: np.ndarray               # int64[P] hours with data (hourly points)
    negative_hours: np.ndarray               # int64[P] hours below zero after transit
    plan_row: np.ndarray                     # int64[P] row in `plan_wh`, -1
    plan_wh: np.ndarray                      # int64[Q, H]
    planned_hours: np.ndarray                # int64[P] hours with a submitted plan (categories 5–6)
    working: np.ndarray                      # bool[D]
    peak: np.ndarray                         # int64[D] АТС peak hour (hour-ending), 0 = none
    window: np.ndarray                       # bool[24]
    region: str | None
    price_zone: int
    prices: Prices | None
    offset_hours: int
    warnings: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.point_id)


def _arrow(con, name: str, cols: dict[str, np.ndarray]) -> None:
    con.register(name, pa.table({k: pa.array(v) for k, v in cols.items()}))


def load_prices(store: Store, period: int, keys: set[tuple[int, str]]) -> Prices:
    """The month's price components and, for the (category, voltage) pairs of categories 3–6 in
    `keys`, the hourly rate matrices."""
    comps: dict[tuple[int, str, str, int, int], int] = {}
    batches: dict[tuple[int, str], int] = {}
    for cat, volt, comp, zones, zone, value, batch in store.all(
            "SELECT category, voltage, component, zones, zone, value, batch_id FROM price_component"
            " WHERE period = ?", [period]):
        comps[(int(cat), volt, comp, int(zones), int(zone))] = int(Decimal(value) * 10_000)
        batches[(int(cat), volt)] = int(batch)
    hour_keys = sorted(k for k in keys if k[0] in HOURLY_CATEGORIES)
    h = days_in(period) * 24
    mats = {r: np.zeros((len(hour_keys), h), np.int64) for r in ("fact", "over", "under")}
    have = {r: np.zeros((len(hour_keys), h), np.bool_) for r in ("fact", "over", "under")}
    hour_batches: dict[tuple[int, str], int] = {}
    if hour_keys:
        con = store.con
        _arrow(con, "_lg_keys", {"category": np.array([k[0] for k in hour_keys], np.int8),
                                 "voltage": np.array([k[1] for k in hour_keys], object),
                                 "row": np.arange(len(hour_keys), dtype=np.int64)})
        try:
            t = con.execute("""
                SELECT k.row, h.rate, (h.day - ?::DATE) * 24 + h.hour - 1 AS idx,
                       CAST(round(h.value * 10000) AS BIGINT) AS e4, h.batch_id
                FROM price_hour h JOIN _lg_keys k ON k.category = h.category AND k.voltage = h.voltage
                WHERE h.period = ?""", [first_day(period), period]).fetchnumpy()
        finally:
            con.unregister("_lg_keys")
        for r in ("fact", "over", "under"):
            sel = t["rate"] == r
            rows, idx = t["row"][sel].astype(np.int64), t["idx"][sel].astype(np.int64)
            ok = (idx >= 0) & (idx < h)
            mats[r][rows[ok], idx[ok]] = t["e4"][sel][ok]
            have[r][rows[ok], idx[ok]] = True
        rows_seen, first_at = np.unique(t["row"].astype(np.int64), return_index=True)
        for row, batch in zip(rows_seen, t["batch_id"][first_at]):     # one per (category, voltage)
            hour_batches[hour_keys[int(row)]] = int(batch)
    missing = []
    for i, (cat, volt) in enumerate(hour_keys):
        need = ["fact"] + (["over", "under"] if cat in (5, 6) else [])
        for r in need:
            gap = int((~have[r][i]).sum())
            if gap:
                missing.append(f"{cat} ЦК {VOLTAGE_RU[volt]}: ставка «{r}» — нет {gap} ч из {h}")
    if missing:
        raise MissingPricesError(f"Нет почасовых ставок за {period_label(period)}: " + "; ".join(missing[:10]) +
                        ". Загрузите их: sbyt prices import.")
    return Prices(period, comps, batches, hour_keys, mats["fact"], mats["over"], mats["under"], hour_batches)


def _calendar(store: Store, period: int) -> np.ndarray:
    first, last = first_day(period), last_day(period)
    rows = store.all("SELECT day, working FROM production_calendar WHERE day BETWEEN ? AND ? ORDER BY day",
                     [first, last])
    if len(rows) != days_in(period):
        from sbyt.core.workdays import is_working_day
        return np.array([is_working_day(first + timedelta(days=i)) for i in range(days_in(period))], np.bool_)
    return np.array([bool(r[1]) for r in rows], np.bool_)


def _peak_and_window(store: Store, period: int, working: np.ndarray, need_peak: bool, need_window: bool,
                     warnings: list[str]) -> tuple[np.ndarray, np.ndarray, str | None, int]:
    first = first_day(period)
    zone_rule = rule(store, "legal.price_zone", first)
    price_zone = int(zone_rule) if zone_rule is not None else 1
    region = text_rule(store, "legal.ats_region", first)
    if region is None:
        regions = [r[0] for r in store.all("SELECT DISTINCT region FROM peak_hour WHERE period = ?", [period])]
        region = regions[0] if len(regions) == 1 else None
    peak = np.zeros(len(working), np.int64)
    for day, hour in store.all("SELECT day, hour FROM peak_hour WHERE period = ? AND region = ?", [period, region]):
        peak[(day - first).days] = int(hour)
    window = np.zeros(24, np.bool_)
    for (hour,) in store.all("SELECT hour FROM so_window WHERE period = ? AND price_zone = ?", [period, price_zone]):
        window[int(hour) - 1] = True
    if need_peak:
        gaps = [first + timedelta(days=int(d)) for d in np.flatnonzero(working & (peak == 0))]
        if gaps:
            days = ", ".join(f"{d:%d.%m}" for d in gaps[:10])
            raise MissingPricesError(f"Нет часов пиковой нагрузки АТС за {period_label(period)} (регион {region or '—'}) "
                            f"для рабочих дней {days}: загрузите файл calcfacthour (sbyt prices import).")
    if need_window and not window.any():
        raise MissingPricesError(f"Нет плановых часов пиковой нагрузки СО за {period_label(period)} ({price_zone}-я "
                        "ценовая зона): загрузите их (sbyt prices import).")
    if window.any():
        outside = [first + timedelta(days=int(d)) for d in np.flatnonzero(working & (peak > 0))
                   if not window[peak[d] - 1]]
        if outside:
            warnings.append("Час пиковой нагрузки АТС вне плановых часов СО: " +
                            ", ".join(f"{d:%d.%m}" for d in outside[:10]) + " — проверьте файл.")
    return peak, window, region, price_zone


def gather_legal(store: Store, period: int, contracts: list[int] | None = None) -> LegalGathered:
    """All inputs of the month's legal-entity run, or of the given contracts only (`sbyt explain`:
    with the transit points behind their points, whose hours the heads' hours are net of)."""
    con = store.con
    first, last = first_day(period), last_day(period)
    nd = days_in(period)
    h = nd * 24
    pts = con.execute(POINTS_SQL.replace("$first", "$1").replace("$last", "$2").replace("$contracts", "$3"),
                      [first, last, contracts]).fetchnumpy()
    point_id = np.asarray(pts["id"], np.int64)
    n = len(point_id)
    head_id = np.asarray(pts["head_id"], np.int64)
    head = np.full(n, -1, np.int64)             # the head point's index (ids are sorted), -1
    if n:
        pos = np.minimum(np.searchsorted(point_id, head_id), n - 1)
        match = point_id[pos] == head_id
        head[match] = pos[match]
    category = np.asarray(pts["price_category"], np.int8)
    voltage = np.asarray(pts["voltage"], object)
    vidx = np.asarray(pts["vidx"], np.int8)
    max_w = np.asarray(pts["max_w"], np.int64)
    equated = np.asarray(pts["equated"], np.bool_)
    tariff_group = np.where(equated, np.ma.getdata(pts["tariff_group"]).astype(object), None)
    warnings: list[str] = []
    off = rule(store, "legal.msk_offset_hours", first)
    offset = int(off) if off is not None else 0

    # meters of the points
    if n:
        _arrow(con, "_lg_points", {"id": point_id, "idx": np.arange(n, dtype=np.int64)})
    try:
        meters = con.execute("""
            SELECT m.id, p.idx, CAST(round(m.loss_pct * 1000) AS BIGINT) AS loss_milli
            FROM legal_meter m JOIN _lg_points p ON p.id = m.point_id
            WHERE m.installed <= ? AND (m.removed IS NULL OR m.removed >= ?) ORDER BY m.id""",
                             [last, first]).fetchnumpy() if n else None
        hourly = None
        steps = None
        if meters is not None and len(meters["id"]):
            _arrow(con, "_lg_meters", {"id": meters["id"].astype(np.int64),
                                       "pidx": meters["idx"].astype(np.int64),
                                       "loss": meters["loss_milli"].astype(np.int64)})
            try:
                hourly = con.execute("""
                    SELECT m.pidx, m.loss, (h.day - ?::DATE) * 24 + h.hour - 1 - ? AS idx, h.value_wh
                    FROM meter_hour h JOIN _lg_meters m ON m.id = h.meter_id
                    WHERE h.day BETWEEN ?::DATE - 1 AND ?::DATE + 1 AND h.status <> 'rejected'""",
                                     [first, offset, first, last]).fetchnumpy()
                steps = con.execute("""
                    SELECT m.pidx, m.loss, s.zone, s.meter_id,
                           CAST(round(sum(s.diff) * lm.ct_ratio * lm.vt_ratio * 1000) AS BIGINT) AS wh,
                           bool_and(s.diff IS NOT NULL) AS ok
                    FROM legal_reading_step s JOIN _lg_meters m ON m.id = s.meter_id
                    JOIN legal_meter lm ON lm.id = s.meter_id
                    WHERE s.period = ?
                      AND NOT EXISTS (SELECT 1 FROM meter_hour x WHERE x.meter_id = s.meter_id
                                      AND x.day BETWEEN ? AND ? AND x.status <> 'rejected')
                    GROUP BY m.pidx, m.loss, s.zone, s.meter_id, lm.ct_ratio, lm.vt_ratio""",
                                    [period, first, last]).fetchnumpy()
            finally:
                con.unregister("_lg_meters")
        cv = con.execute("""
            SELECT v.object_id, CAST(round(v.volume * 1000) AS BIGINT) AS wh FROM contract_volume v
            WHERE v.service = 'energy' AND v.period = ? AND v.object_id IN (SELECT DISTINCT o.id FROM calc_object o
                JOIN legal_point lp ON lp.object_id = o.id JOIN _lg_points p ON p.id = lp.id)""",
                         [period]).fetchall() if n else []
    finally:
        if n:
            con.unregister("_lg_points")

    # hourly data: one dense matrix for the points that have hours
    source = np.zeros(n, np.int8)
    measured = np.zeros(n, np.int64)
    hour_mat = np.zeros((0, h), np.int64)
    hour_row = np.full(n, -1, np.int64)
    if hourly is not None and len(hourly["pidx"]):
        idx = hourly["idx"].astype(np.int64)
        ok = (idx >= 0) & (idx < h)
        pidx = hourly["pidx"].astype(np.int64)[ok]
        idx = idx[ok]
        loss = hourly["loss"].astype(np.int64)[ok]
        wh = round_div_array(hourly["value_wh"].astype(np.int64)[ok] * (100_000 + loss), np.int64(100_000))
        have = np.unique(pidx)
        hour_row[have] = np.arange(len(have))
        hour_mat = np.zeros((len(have), h), np.int64)
        np.add.at(hour_mat, (hour_row[pidx], idx), wh)
        seen = np.zeros((len(have), h), np.bool_)
        seen[hour_row[pidx], idx] = True
        measured[have] = seen.sum(axis=1)
        source[have] = SRC_HOURLY

    # integral readings by zone
    zone_wh = np.zeros((n, 3), np.int64)
    zones = np.zeros(n, np.int8)
    if steps is not None and len(steps["pidx"]):
        good = np.asarray(steps["ok"], bool)
        p_i = steps["pidx"].astype(np.int64)
        z = steps["zone"].astype(np.int64)
        wh = round_div_array(steps["wh"].astype(np.int64) * (100_000 + steps["loss"].astype(np.int64)),
                             np.int64(100_000))
        bad = np.unique(p_i[~good])
        sel = good & ~np.isin(p_i, bad) & (source[p_i] != SRC_HOURLY)
        np.add.at(zone_wh, (p_i[sel], z[sel] - 1), wh[sel])
        got = np.unique(p_i[sel])
        source[got] = SRC_INTEGRAL
        zmax = np.zeros(n, np.int8)
        np.maximum.at(zmax, p_i[sel], z[sel].astype(np.int8))
        zones[got] = np.where(zmax[got] >= 3, 3, np.where(zmax[got] == 2, 2, 0))
        if len(bad):
            warnings.append(f"Показания с переходом через ноль, не подтверждённым разрядностью: точек {len(bad)}.")
    volume = zone_wh.sum(axis=1)
    if len(hour_mat):
        volume[hour_row >= 0] = hour_mat[hour_row[hour_row >= 0]].sum(axis=1)

    # contract volumes for the points without data
    object_id = np.asarray(pts["object_id"], np.int64)
    if cv:
        declared = {int(o): int(w) for o, w in cv}
        empty = np.flatnonzero(source == SRC_NONE)
        objs = object_id[empty]
        for o in np.unique(objs):       # per object with a declared volume (few): share it
            if int(o) not in declared:
                continue
            members = empty[objs == o]
            base, rest = divmod(declared[int(o)], len(members))
            volume[members] = base
            volume[members[:rest]] += 1
            source[members] = SRC_CONTRACT

    working = _calendar(store, period)
    transit = head >= 0
    need_hours = np.isin(category, HOURLY_CATEGORIES) & ~equated
    need_hours[transit] = True
    need_hours[head[transit]] = True
    need_hours &= source != SRC_NONE
    cats = {int(c) for c in category[need_hours & ~equated]}
    peak, window, region, price_zone = _peak_and_window(
        store, period, working, need_peak=bool(cats & set(HOURLY_CATEGORIES)),
        need_window=bool(cats & set(HOURLY_CATEGORIES)), warnings=warnings)
    peak_mask = np.repeat(working, 24) & np.tile(window, nd)

    # the hours of every point that needs them: its measured hours, else a profile of its volume
    rows_needed = np.flatnonzero(need_hours)
    profile_row = np.full(n, -1, np.int64)
    profile_row[rows_needed] = np.arange(len(rows_needed))
    hours_wh = np.zeros((len(rows_needed), h), np.int64)
    measured_rows = rows_needed[hour_row[rows_needed] >= 0]
    hours_wh[profile_row[measured_rows]] = hour_mat[hour_row[measured_rows]]
    no_capacity = np.zeros(h, np.bool_)
    for p in rows_needed[hour_row[rows_needed] < 0]:     # integral or contract volumes (few): §A.5 profiles
        capacity = int(category[p]) in HOURLY_CATEGORIES and not equated[p]
        integral_profile(np.int64(volume[p]), np.int64(max_w[p] if capacity else -1),
                         peak_mask if capacity else no_capacity, hours_wh[profile_row[p]])

    # category 2: the volume by zone (integral points have it from their readings)
    hourly2 = np.flatnonzero((category == 2) & (hour_row >= 0))
    zones[hourly2] = np.where(zones[hourly2] == 0, 2, zones[hourly2])
    for z in (2, 3):
        sel = hourly2[zones[hourly2] == z]
        if len(sel):
            by_hour = hour_mat[hour_row[sel]].reshape(len(sel), nd, 24).sum(axis=1)
            zone_wh[sel, :z] = by_hour @ zone_masks(store, first, z).T.astype(np.int64)
    contract2 = (category == 2) & (source == SRC_CONTRACT)
    zones[contract2] = 2
    zone_wh[contract2, 0] = volume[contract2]
    del hour_mat

    # transit: the head's hours less its transit points' hours
    negative = np.zeros(n, np.int64)
    kids = np.flatnonzero(transit & (profile_row >= 0))
    kids = kids[profile_row[head[kids]] >= 0]
    for c in kids:                                         # transit pairs (few)
        hp = head[c]
        kid = hours_wh[profile_row[c]]
        hours_wh[profile_row[hp]] -= kid
        if int(category[hp]) == 2:
            zone_wh[hp, :zones[hp]] -= (kid.reshape(nd, 24).sum(axis=0)[None, :] *
                                        zone_masks(store, first, int(zones[hp]))).sum(axis=1)
    for hp in np.unique(head[kids]):
        row = hours_wh[profile_row[hp]]
        volume[hp] = int(row.sum())
        negative[hp] = int((row < 0).sum())
    if negative.any():
        codes = ", ".join(str(int(point_id[i])) for i in np.flatnonzero(negative)[:10])
        warnings.append(f"Объём головной точки за вычетом транзита отрицателен в отдельные часы (точки {codes}): "
                        "проверьте данные учёта.")

    # categories 5–6: planned hours (submitted, else the default share of the contract volume)
    plan_points = np.flatnonzero(np.isin(category, (5, 6)) & (profile_row >= 0))
    plan_row = np.full(n, -1, np.int64)
    plan_row[plan_points] = np.arange(len(plan_points))
    plan_wh = np.zeros((len(plan_points), h), np.int64)
    planned = np.zeros(n, np.int64)
    if len(plan_points):
        _arrow(con, "_lg_plan", {"id": point_id[plan_points], "row": np.arange(len(plan_points), dtype=np.int64)})
        try:
            t = con.execute("""SELECT p.row, (h.day - ?::DATE) * 24 + h.hour - 1 AS idx, h.value_wh
                               FROM hour_plan h JOIN _lg_plan p ON p.id = h.point_id
                               WHERE h.day BETWEEN ? AND ?""", [first, first, last]).fetchnumpy()
        finally:
            con.unregister("_lg_plan")
        given = np.zeros((len(plan_points), h), np.bool_)
        if len(t["row"]):
            plan_wh[t["row"].astype(np.int64), t["idx"].astype(np.int64)] = t["value_wh"].astype(np.int64)
            given[t["row"].astype(np.int64), t["idx"].astype(np.int64)] = True
        planned[plan_points] = given.sum(axis=1)
        rule_share = rule(store, "legal.default_plan_share", first)
        share = Fraction(str(rule_share)) if rule_share is not None else Fraction(1, 2)
        cv_obj = np.array([o for o, _ in cv], np.int64)
        cv_wh = np.array([w for _, w in cv], np.int64)
        order = np.argsort(cv_obj)
        cv_obj, cv_wh = cv_obj[order], cv_wh[order]
        objs = object_id[plan_points]
        at = np.minimum(np.searchsorted(cv_obj, objs), max(len(cv_obj) - 1, 0))
        declared = np.where((cv_obj[at] == objs) if len(cv_obj) else np.zeros(len(objs), bool),
                            cv_wh[at] if len(cv_obj) else 0, 0)
        # the default plan of an hour: declared × share / hours, half-up once (money rule of rounding)
        default = round_div_array(declared * share.numerator, np.int64(share.denominator * h))
        plan_wh[:] = np.where(given, plan_wh, default[:, None])

    combos = np.unique(category[~equated].astype(np.int64) * 10 + vidx[~equated])
    keys = {(int(c) // 10, VOLTAGES[int(c) % 10]) for c in combos}
    prices = load_prices(store, period, keys) if n else None
    return LegalGathered(
        period=period, start=first, hours=h, point_id=point_id, object_id=object_id,
        contract_id=np.asarray(pts["contract_id"], np.int64), counterparty_id=np.asarray(pts["counterparty_id"], np.int64),
        sale=np.asarray(pts["sale"], np.bool_), manager=np.asarray(pts["manager"], np.bool_),
        head=head, category=category, voltage=voltage, vidx=vidx, max_w=max_w, tariff_group=tariff_group,
        equated=equated,
        source=source, volume_wh=volume, zone_wh=zone_wh, zones=zones, profile_row=profile_row, hours_wh=hours_wh,
        measured_hours=measured, negative_hours=negative, plan_row=plan_row, plan_wh=plan_wh, planned_hours=planned,
        working=working, peak=peak, window=window, region=region, price_zone=price_zone, prices=prices,
        offset_hours=offset, warnings=warnings)


def zone_masks(store: Store, on: date, zones: int) -> np.ndarray:
    """bool[zones, 24]: the hours (index hour-ending − 1) of each zone of a zone variant (dated rules)."""
    masks = np.zeros((zones, 24), np.bool_)
    for z in range(1, zones + 1):
        text = text_rule(store, f"legal.zone_hours.{zones}.{z}", on)
        if text is None:
            raise SbytError(f"Нет правила часов зоны {z} для {zones}-зонного учёта (legal.zone_hours.{zones}.{z}).")
        for hour in parse_hours(text):
            masks[z - 1, hour - 1] = True
    return masks
