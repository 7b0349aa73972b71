"""Gather: one month's calculation inputs from the store into NumPy arrays (bulk SQL, no loops over
accounts). Ids are mapped to dense indices; rows are grouped per point/account by counting sort.

Readings: one scan of the accepted readings in a window ending with the month (long enough for
the previous reading, the consecutive-average limit and the 6-month base), reduced per meter and
zone by a kernel; meters silent for longer get their last reading from a second, narrow query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from sbyt.calc.kernels.index import csr, dense_unique, lut_lookup
from sbyt.calc.kernels.readings import reduce_reading_chunks
from sbyt.calc.kernels.volumes import CHILD, INDIVIDUAL, SHARED, VolumeInputs
from sbyt.core.money import price_e4, rate_e2
from sbyt.core.periods import add_months, days_in, first_day, next_first_day
from sbyt.core.reference import rule
from sbyt.core.store import Store

EPOCH = date(1970, 1, 1)
EQUIPMENT = {"none": 0, "stove": 1, "stove_heating": 2}
MONTH_TABLE_BASE = 190001
READING_BATCH = 4_000_000   # readings per Arrow batch while streaming the reading window   # month_ords[k] = ordinal of the first day of 1900-01 + k months


def ordinal(day: date) -> int:
    return (day - EPOCH).days


class IdIndex:
    """Sorted unique ids -> dense indices 0..n-1 (a lookup table when ids are dense enough)."""

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        if len(self.ids) > 1 and not np.all(self.ids[1:] > self.ids[:-1]):
            self.ids = np.unique(self.ids)
        self._lut: np.ndarray | None = None
        if len(self.ids) and self.ids[0] >= 0 and self.ids[-1] < 4 * len(self.ids) + 1_000_000:
            lut = np.full(int(self.ids[-1]) + 1, -1, np.int64)
            lut[self.ids] = np.arange(len(self.ids), dtype=np.int64)
            self._lut = lut

    def __len__(self) -> int:
        return len(self.ids)

    def lookup(self, values: np.ndarray) -> np.ndarray:
        """Dense index of each value, -1 where unknown."""
        values = np.ascontiguousarray(values, dtype=np.int64)
        if self._lut is not None:
            return lut_lookup(self._lut, values)
        pos = np.searchsorted(self.ids, values)
        pos = np.minimum(pos, max(len(self.ids) - 1, 0))
        ok = (len(self.ids) > 0) & (self.ids[pos] == values) if len(self.ids) else np.zeros(len(values), bool)
        return np.where(ok, pos, -1).astype(np.int64)


@dataclass
class Gathered:
    """Inputs plus the id maps needed to write lines back."""

    inputs: VolumeInputs | None   # None once the volumes step has used them
    point_ids: np.ndarray        # int64 by point index
    account_ids: np.ndarray      # int64 by account index
    meter_ids: np.ndarray        # int64 by meter index
    tariff_groups: list[str]     # by tariff group index
    vat_rate_e2: int             # VAT percent × 100 in force on the first day of the month
    start: date
    end: date                    # exclusive


def month_ords(upto: int) -> np.ndarray:
    """Ordinals of first days of months from 1900-01 to `upto` + 2 years."""
    n = (upto // 100 - 1900 + 3) * 12
    return np.array([ordinal(first_day(add_months(MONTH_TABLE_BASE, k))) for k in range(n)], np.int32)


def _rule_int(store: Store, code: str, on: date, default: int) -> int:
    v = rule(store, code, on)
    return default if v is None else int(v)


def _np(store: Store, sql: str, params: list | None = None) -> dict[str, np.ndarray]:
    """Query -> dict of NumPy columns (through Arrow: numeric columns convert without copies)."""
    table = store.con.sql(sql, params=params or []).to_arrow_table()
    out = {}
    for name in table.column_names:
        col = table.column(name)
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
        out[name] = col.to_numpy(zero_copy_only=False)
    return out


def _unique(ids: np.ndarray) -> np.ndarray:
    """Sorted unique non-negative ids."""
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    top = int(ids.max(initial=-1)) + 1
    if top <= 4 * len(ids) + 1_000_000:
        return dense_unique(ids, top)
    return np.unique(ids[ids >= 0])


def gather(store: Store, period: int, progress=None) -> Gathered:  # noqa: ANN001 - optional callback
    start, end = first_day(period), next_first_day(period)
    D = days_in(period)
    last = end - timedelta(days=1)

    def day(col: str) -> str:
        """A date column as a day index clipped to [0, D]; NULL = open end."""
        return f"least(greatest(coalesce(date_diff('day', DATE '{start}', {col}), {D}), 0), {D})::INTEGER"

    # ---------------------------------------------------------------- tariff groups, reference data
    groups = [r[0] for r in store.all("SELECT code FROM tariff_group ORDER BY code")]
    gidx = {g: i for i, g in enumerate(groups)}
    price = np.full((max(len(groups), 1), 3, 3, D), -1, np.int64)
    brk = np.zeros(D, np.int8)
    for g, zones, zone, vf, vt, p in store.all(
            "SELECT tariff_group, zones, zone, valid_from, valid_to, price FROM tariff"
            " WHERE valid_from < ? AND (valid_to IS NULL OR valid_to > ?)", [end, start]):
        if g not in gidx:
            continue
        a = max((vf - start).days, 0)
        b = D if vt is None else min((vt - start).days, D)
        price[gidx[g], zones - 1, zone - 1, a:b] = price_e4(p)
        for x in (a, b):
            if 0 < x < D:
                brk[x] = 1
    norm = np.full((4, 5, 3, D), -1, np.int64)
    for rooms, residents, eq, vf, vt, kwh in store.all(
            "SELECT rooms, residents, equipment, valid_from, valid_to, kwh_per_person FROM normative"
            " WHERE valid_from < ? AND (valid_to IS NULL OR valid_to > ?)", [end, start]):
        a = max((vf - start).days, 0)
        b = D if vt is None else min((vt - start).days, D)
        norm[rooms - 1, residents - 1, EQUIPMENT[eq], a:b] = int(kwh * 1000)
        for x in (a, b):
            if 0 < x < D:
                brk[x] = 1
    base_months = _rule_int(store, "average.base_months", start, 6)
    min_months = _rule_int(store, "average.min_months", start, 3)
    max_consecutive = _rule_int(store, "average.max_consecutive", start, 3)
    refused_count = _rule_int(store, "factor.access_refused_count", last, 2)
    refused = rule(store, "factor.access_refused", last)
    refused_milli = 1000 if refused is None else int(refused * 1000)
    tamper = rule(store, "factor.tampering", last)
    tamper_milli = 1000 if tamper is None else int(tamper * 1000)
    tamper_months = _rule_int(store, "factor.tampering_months", last, 3)
    vat = rule(store, "vat.rate", start)
    vat_e2 = rate_e2(vat)
    if progress:
        progress("gather: points")

    # ---------------------------------------------------------------- metering points
    pts = _np(store, f"""
        SELECT mp.id, (mp.kind = 'shared')::BOOLEAN AS shared, coalesce(mp.account_id, -1) AS account_id, coalesce(mp.parent_id, -1) AS parent_id,
               {day('mp.connected')} AS d_from, {day('mp.disconnected')} AS d_to,
               coalesce(pr.rooms, 1)::TINYINT AS rooms, coalesce(pr.meter_impossible, false) AS noinst
        FROM metering_point mp
        LEFT JOIN account a ON a.id = mp.account_id
        LEFT JOIN premise pr ON pr.id = coalesce(mp.premise_id, a.premise_id)
        WHERE mp.kind IN ('individual', 'shared') AND mp.service = 'electricity'
          AND mp.connected < ? AND (mp.disconnected IS NULL OR mp.disconnected > ?)
        ORDER BY mp.id""", [end, start])
    point_ids = pts["id"].astype(np.int64)
    pidx = IdIndex(point_ids)
    n = len(point_ids)
    parent = pidx.lookup(pts["parent_id"]) if n else np.zeros(0, np.int64)
    pt_kind = np.where(pts["shared"], SHARED, np.where(parent >= 0, CHILD, INDIVIDUAL)).astype(np.int8)
    ch_ptr, ch_order = csr(np.where(pt_kind == CHILD, parent, -1), n)

    # ---------------------------------------------------------------- accounts and their facts
    acc_ids = _unique(pts["account_id"])
    aidx = IdIndex(acc_ids)
    pt_acc = aidx.lookup(pts["account_id"])
    facts = _np(store, f"""
        SELECT f.account_id,
               greatest({day('f.valid_from')}, {day('a.opened')}) AS d_from,
               least({day('f.valid_to')}, {day('a.closed')}) AS d_to,
               normative_residents(f.residents_living, f.residents_registered, f.owners)::SMALLINT AS res,
               (CASE f.equipment WHEN 'stove' THEN 1 WHEN 'stove_heating' THEN 2 ELSE 0 END)::TINYINT AS eq,
               coalesce(tg.idx, -1)::SMALLINT AS tg
        FROM account_fact f
        JOIN account a ON a.id = f.account_id
        LEFT JOIN (SELECT code, (row_number() OVER (ORDER BY code) - 1) AS idx FROM tariff_group) tg
               ON tg.code = f.tariff_group
        WHERE f.valid_from < ? AND (f.valid_to IS NULL OR f.valid_to > ?)
          AND a.opened < ? AND (a.closed IS NULL OR a.closed > ?)""", [end, start, end, start])
    f_ptr, f_order = csr(aidx.lookup(facts["account_id"]), len(aidx))
    f_from = facts["d_from"][f_order].astype(np.int32)
    f_to = facts["d_to"][f_order].astype(np.int32)

    # ---------------------------------------------------------------- supply off
    sup = _np(store, f"""
        SELECT metering_point_id AS pid, {day('valid_from')} AS d_from, {day('valid_to')} AS d_to
        FROM supply_state WHERE state = 'disconnected' AND valid_from < ? AND (valid_to IS NULL OR valid_to > ?)""",
              [end, start])
    s_ptr, s_order = csr(pidx.lookup(sup["pid"]), n)

    # ---------------------------------------------------------------- meters
    if progress:
        progress("gather: meters")
    mt = _np(store, f"""
        SELECT id, metering_point_id AS pid, {day('installed')} AS d_from, {day('removed')} AS d_to,
               (CASE WHEN state = 'working' THEN {D} ELSE {day('coalesce(state_since, installed)')} END) AS bad_from,
               digits, ratio, zones
        FROM meter WHERE installed < ? AND (removed IS NULL OR removed >= ?)
          AND metering_point_id IN (SELECT id FROM metering_point WHERE kind IN ('individual', 'shared'))""",
             [end, start])
    m_pidx = pidx.lookup(mt["pid"])
    m_ptr, m_order = csr(m_pidx, n)
    meter_ids = mt["id"][m_order].astype(np.int64)
    # meter index in point order: position of each meter id inside meter_ids (-1: its point is not
    # calculated this month, e.g. disconnected before it; its readings are skipped)
    m_pos = np.full(len(mt["id"]), -1, np.int64)
    m_pos[m_order] = np.arange(len(m_order))
    nm = len(meter_ids)
    digits = mt["digits"][m_order].astype(np.int64)
    ratio = mt["ratio"][m_order].astype(np.int64)

    # ---------------------------------------------------------------- readings
    if progress:
        progress("gather: readings")
    window_lo = first_day(add_months(period, -(max_consecutive + base_months + 1)))
    # meter id -> meter index in point order
    m_lut = np.full(int(mt["id"].max(initial=-1)) + 1, -1, np.int64)
    m_lut[mt["id"]] = m_pos
    def stream(sql: str, params: dict):
        """Readings as compact chunks (meter index in point order, zone, day ordinal, value)."""
        for batch in store.con.sql(sql, params=params).to_arrow_reader(READING_BATCH):
            meter = lut_lookup(m_lut, batch.column(0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False))
            yield (meter.astype(np.int32), batch.column(1).to_numpy(zero_copy_only=False).astype(np.int8),
                   batch.column(2).to_numpy(zero_copy_only=False).astype(np.int32),
                   batch.column(3).to_numpy(zero_copy_only=False).astype(np.int64))

    reading_sql = ("SELECT r.meter_id, r.zone, (r.read_on - DATE '1970-01-01')::INTEGER AS ord, r.value"
                   " FROM reading r {join} WHERE r.status = 'accepted' AND r.read_on >= $lo AND r.read_on < $end")
    chunks = stream(reading_sql.format(join=""), {"lo": window_lo, "end": end})

    def base_chunks(need: np.ndarray):
        """Second pass, only for meters that need an average: a semi-join scan of the base window."""
        import pyarrow as pa

        store.con.register("_sbyt_need_avg", pa.table({"meter_id": meter_ids[need]}))
        try:
            yield from stream(reading_sql.format(join="SEMI JOIN _sbyt_need_avg n ON n.meter_id = r.meter_id"),
                              {"lo": window_lo, "end": start})
        finally:
            store.con.unregister("_sbyt_need_avg")

    def older(need: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Last readings before the window of meters read in the month but not inside the window."""
        import pyarrow as pa

        old_v = np.full((nm, 3), -1, np.int64)
        old_o = np.full((nm, 3), -1, np.int32)
        store.con.register("_sbyt_need", pa.table({"meter_id": meter_ids[need]}))
        try:
            old = _np(store, """
                SELECT r.meter_id, r.zone, arg_max(r.value, r.read_on) AS value,
                       (max(r.read_on) - DATE '1970-01-01')::INTEGER AS ord
                FROM reading r SEMI JOIN _sbyt_need n ON n.meter_id = r.meter_id
                WHERE r.status = 'accepted' AND r.read_on < ? GROUP BY ALL""", [window_lo])
        finally:
            store.con.unregister("_sbyt_need")
        om = lut_lookup(m_lut, old["meter_id"].astype(np.int64))
        ok = om >= 0
        old_v[om[ok], old["zone"][ok].astype(np.int64) - 1] = old["value"][ok]
        old_o[om[ok], old["zone"][ok].astype(np.int64) - 1] = old["ord"][ok]
        return old_v, old_o

    mords = month_ords(period)
    bad = mt["bad_from"][m_order] < D
    stats = reduce_reading_chunks(chunks, nm, ordinal(start), ordinal(end), digits, ratio, mords,
                                  MONTH_TABLE_BASE, base_months, min_months, older=older, base_chunks=base_chunks,
                                  bad=bad)
    del chunks
    last_period = np.zeros(nm, np.int32)
    has_last = stats.last_ord[:, 0] >= 0
    if has_last.any():
        k = np.searchsorted(mords, stats.last_ord[has_last, 0], side="right") - 1
        y, mo = 1900 + k // 12, k % 12 + 1
        last_period[has_last] = (y * 100 + mo).astype(np.int32)

    # ---------------------------------------------------------------- averaged volumes (late readings)
    la = _np(store, """
        SELECT metering_point_id AS pid, zone, for_period, sum(volume_wh)::BIGINT AS wh
        FROM accrual_line
        WHERE method = 'average' AND service = 'electricity' AND status = 'posted'
          AND for_period >= ? AND for_period < ? AND metering_point_id IS NOT NULL
        GROUP BY ALL""", [add_months(period, -(max_consecutive + 2)), period])
    la_ptr, la_order = csr(pidx.lookup(la["pid"]), n)

    # ---------------------------------------------------------------- acts
    acts = _np(store, f"""
        SELECT metering_point_id AS pid, (CASE kind WHEN 'tampering' THEN 1 ELSE 0 END)::TINYINT AS kind,
               (act_date - DATE '1970-01-01')::INTEGER AS ord,
               {day(f"(act_date - INTERVAL {tamper_months} MONTH)::DATE")} AS d_from,
               {day("(act_date + INTERVAL 1 DAY)::DATE")} AS d_to
        FROM meter_act WHERE act_date <= ?
          AND (kind = 'access_refused' OR (act_date - INTERVAL {tamper_months} MONTH)::DATE < ?)""", [last, end])
    a_ptr, a_order = csr(pidx.lookup(acts["pid"]), n)

    # ---------------------------------------------------------------- temporary absence (full days)
    absn = _np(store, f"""
        SELECT account_id, {day('(date_from + INTERVAL 1 DAY)::DATE')} AS d_from, {day('date_to')} AS d_to
        FROM absence WHERE (date_from + INTERVAL 1 DAY)::DATE < ? AND date_to > ?""", [end, start])
    ab_ptr, ab_order = csr(aidx.lookup(absn["account_id"]), len(aidx))

    I = VolumeInputs(
        period=period, D=D, month_end_ord=ordinal(last),
        pt_kind=pt_kind, pt_acc=pt_acc, pt_from=pts["d_from"].astype(np.int32),
        pt_to=pts["d_to"].astype(np.int32), pt_rooms=pts["rooms"].astype(np.int8),
        pt_noinst=pts["noinst"].astype(np.bool_), ch_ptr=ch_ptr, ch_idx=ch_order,
        f_ptr=f_ptr, f_from=f_from, f_to=f_to, f_res=facts["res"][f_order].astype(np.int16),
        f_eq=facts["eq"][f_order].astype(np.int8), f_tg=facts["tg"][f_order].astype(np.int16),
        s_ptr=s_ptr, s_from=sup["d_from"][s_order].astype(np.int32), s_to=sup["d_to"][s_order].astype(np.int32),
        m_ptr=m_ptr, m_from=mt["d_from"][m_order].astype(np.int32), m_to=mt["d_to"][m_order].astype(np.int32),
        m_bad_from=mt["bad_from"][m_order].astype(np.int32), m_digits=digits, m_ratio=ratio,
        m_zones=mt["zones"][m_order].astype(np.int8),
        r_prev=stats.prev_value, r_prev_ord=stats.prev_ord, r_cur=stats.cur_value, r_cur_ord=stats.cur_ord,
        r_last_ord=stats.last_ord, r_last_period=last_period, avg_wh=stats.avg_wh, avg_months=stats.avg_months,
        la_ptr=la_ptr, la_period=la["for_period"][la_order].astype(np.int32),
        la_zone=la["zone"][la_order].astype(np.int8), la_wh=la["wh"][la_order].astype(np.int64),
        a_ptr=a_ptr, a_kind=acts["kind"][a_order].astype(np.int8), a_ord=acts["ord"][a_order].astype(np.int32),
        a_from=acts["d_from"][a_order].astype(np.int32), a_to=acts["d_to"][a_order].astype(np.int32),
        ab_ptr=ab_ptr, ab_from=absn["d_from"][ab_order].astype(np.int32),
        ab_to=absn["d_to"][ab_order].astype(np.int32),
        brk=brk, price_e4=price, norm_wh=norm,
        max_consecutive=max_consecutive, refused_count=refused_count, refused_milli=refused_milli,
        tamper_milli=tamper_milli,
    )
    return Gathered(I, point_ids, acc_ids, meter_ids, groups, vat_e2, start, end)
