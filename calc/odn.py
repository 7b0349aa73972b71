"""The ОДН step of the monthly run: gather buildings and premises, run the kernel, write results.

Two ways in:
* `run_odn(store, period)` — standalone: individual volumes are taken from the period's
  electricity accrual lines already in the store (draft or posted). Writes everything, including
  the residents' 'odn' accrual lines (draft lines of the period are replaced).
* `odn_step(ctx)` — inside `sbyt.calc.pipeline`: individual volumes come from the volumes step's
  lines in the context; the 'odn' lines are handed back to the pipeline to write.

Rules and data contract: docs/odn.md. Everything is set-based SQL + one kernel call; the only
Python loops run over zero-length-or-few items (rules), never over accounts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sbyt.calc.context import CalcContext
from sbyt.calc.jit import round_div_array
from sbyt.calc.kernels.index import lut_lookup
from sbyt.calc.kernels.odn import (MODE_METER, MODE_NORMATIVE, OdnInputs, OdnOutputs, add_line_volumes, amounts,
                                   area_texts, compute_odn, first_open_account)
from sbyt.calc.lines import M_NORMATIVE, S_ELECTRICITY, S_ODN, LineBatch, method_code
from sbyt.core.money import rate_e2
from sbyt.core.period_state import ensure_open
from sbyt.core.periods import add_months, days_in, first_day, last_day, next_first_day
from sbyt.core.reference import rule, rule_int
from sbyt.core.store import Store

Progress = Callable[[str], None]

# Individual volumes from lines already in the store (standalone mode).
_LINES_FROM_STORE = """
SELECT account_id, volume_wh, method FROM accrual_line
WHERE period = {p} AND for_period = {p} AND service = 'electricity'
"""


@dataclass(frozen=True)
class OdnSummary:
    period: int
    buildings: int
    by_readings: int
    by_average: int
    by_normative: int
    imbalances: int
    residents_lines: int
    residents_wh: int
    residents_kop: int
    manager_wh: int


def _buildings_sql() -> str:
    # One row per apartment building open on the last day of the month with its characteristics,
    # the СОИ normative, its common meters' state and volumes, and the history needed for averages.
    return """
WITH b AS (
    SELECT b.id AS building_id, f.management, f.manager_id, f.area_common, f.soi_category,
           s.kwh_per_m2 AS soi
    FROM building b
    JOIN building_fact f ON f.building_id = b.id AND f.valid_from <= $dl AND (f.valid_to IS NULL OR f.valid_to > $dl)
    LEFT JOIN soi_normative s ON s.category = f.soi_category AND s.valid_from <= $dl
                              AND (s.valid_to IS NULL OR s.valid_to > $dl)
    WHERE b.kind = 'mkd' AND (b.opened IS NULL OR b.opened <= $dl) AND (b.closed IS NULL OR b.closed > $dl)
),
mv AS (SELECT * FROM odn_mv),
agg AS (
    SELECT building_id, service,
           bool_and(volume_wh IS NOT NULL AND NOT broken) AS ok,
           sum(volume_wh) AS vol,
           sum(volume_wh) FILTER (WHERE zone = 1) AS z1,
           sum(volume_wh) FILTER (WHERE zone = 2) AS z2,
           sum(volume_wh) FILTER (WHERE zone = 3) AS z3,
           max(zones) AS zones,
           min(metering_point_id) AS metering_point_id
    FROM mv GROUP BY building_id, service
),
win AS (
    -- accepted readings of the electricity common meters in the averaging window before the month
    SELECT m.building_id, m.meter_id, r.zone, m.ratio,
           arg_min(r.value, r.read_on) AS v0, min(r.read_on) AS d0,
           arg_max(r.value, r.read_on) AS v1, max(r.read_on) AS d1
    FROM (SELECT DISTINCT building_id, meter_id, ratio FROM mv WHERE service = 'electricity') m
    JOIN odn_rd r ON r.meter_id = m.meter_id AND r.read_on >= $w0 AND r.read_on < $d0
    GROUP BY ALL
),
hist AS (
    SELECT building_id,
           sum(greatest(v1 - v0, 0) * ratio * 1000) AS s,
           (year(max(d1)) * 12 + month(max(d1))) - (year(min(d0)) * 12 + month(min(d0))) AS n,
           (year($d0::DATE) * 12 + month($d0::DATE)) - (year(max(d1)) * 12 + month(max(d1))) - 1 AS run
    FROM win GROUP BY building_id
)
SELECT b.building_id, b.management, b.manager_id,
       CAST(round(b.area_common * 100) AS BIGINT) AS area_common_c,
       CAST(round(coalesce(b.soi, -1) * 10000) AS BIGINT) AS soi_e4,
       e.metering_point_id IS NOT NULL AS has_meter,
       coalesce(e.ok, false) AS meter_ok,
       coalesce(e.vol, 0) AS common_wh,
       coalesce(e.z1, 0) AS z1, coalesce(e.z2, 0) AS z2, coalesce(e.z3, 0) AS z3,
       coalesce(e.zones, 1) AS zones,
       e.metering_point_id,
       CASE WHEN h.ok THEN coalesce(h.vol, 0) ELSE 0 END AS heating_wh,
       coalesce(hist.n, 0) AS hist_n, coalesce(hist.s, 0) AS hist_s,
       coalesce(hist.run, 0) AS avg_run
FROM b
LEFT JOIN agg e ON e.building_id = b.building_id AND e.service = 'electricity'
LEFT JOIN agg h ON h.building_id = b.building_id AND h.service = 'heating'
LEFT JOIN hist ON hist.building_id = b.building_id
ORDER BY b.building_id
"""


# Volume of every common meter and zone over the month. Three temp tables, built once per run:
# odn_m (the meters), odn_rd (their accepted readings up to the month end: one scan of `reading`),
# odn_mv (meter × zone volumes; read by the building query, the premises and the Ф-83 rows).
_METER_VOLUMES_SQL = ["""
CREATE OR REPLACE TEMP TABLE odn_m AS
WITH mp AS (
    SELECT id, building_id, service, NULL::BIGINT AS premise_id FROM metering_point
    WHERE kind = 'common' AND building_id IS NOT NULL AND service IN ('electricity', 'heating')
      AND connected <= DATE '{dl}' AND (disconnected IS NULL OR disconnected > DATE '{d0}')
    UNION ALL
    -- non-residential premises metered without a household account (the legal-entity side)
    SELECT mp.id, p.building_id, 'nonres', mp.premise_id FROM metering_point mp
    JOIN premise p ON p.id = mp.premise_id AND p.kind = 'nonres'
    WHERE mp.kind = 'individual' AND mp.account_id IS NULL
      AND mp.connected <= DATE '{dl}' AND (mp.disconnected IS NULL OR mp.disconnected > DATE '{d0}')
)
SELECT m.id, m.metering_point_id, m.zones, m.digits, m.ratio, mp.building_id, mp.service, mp.premise_id,
       (m.state <> 'working' AND (m.state_since IS NULL OR m.state_since <= DATE '{dl}')) AS broken
FROM meter m JOIN mp ON m.metering_point_id = mp.id
WHERE m.installed <= DATE '{dl}' AND (m.removed IS NULL OR m.removed >= DATE '{d0}')
""", """
CREATE OR REPLACE TEMP TABLE odn_rd AS
SELECT r.meter_id, r.zone, r.read_on, r.value,
       (date_diff('day', DATE '1970-01-01', r.read_on)::HUGEINT << 64) + r.id AS k   -- order: date, id
FROM reading r
WHERE r.status = 'accepted' AND r.read_on <= DATE '{dl}' AND r.meter_id IN (SELECT id FROM odn_m)
""", """
CREATE OR REPLACE TEMP TABLE odn_mv AS
WITH m AS (SELECT * FROM odn_m),
z AS (SELECT m.*, unnest(range(1, m.zones + 1)) AS zone FROM m),
ra AS (
    -- readings ordered by k = (date, id): the latest in the month, the latest before it, the first one
    SELECT meter_id, zone,
           arg_max(value, k) FILTER (WHERE read_on >= DATE '{d0}') AS cur_value,
           max(read_on) FILTER (WHERE read_on >= DATE '{d0}') AS cur_on,
           count(*) FILTER (WHERE read_on >= DATE '{d0}') AS n_cur,
           arg_max(value, k) FILTER (WHERE read_on < DATE '{d0}') AS before_value,
           max(read_on) FILTER (WHERE read_on < DATE '{d0}') AS before_on,
           arg_min(value, k) AS first_value, min(read_on) AS first_on
    FROM odn_rd GROUP BY meter_id, zone
),
j AS (
    -- previous reading: the latest before the month, else (a meter installed this month) the first
    -- of the month when the month has more than one
    SELECT z.building_id, z.service, z.premise_id, z.metering_point_id, z.id AS meter_id, z.zone, z.zones, z.digits,
           z.ratio, z.broken, ra.cur_value, ra.cur_on,
           CASE WHEN ra.before_value IS NOT NULL THEN ra.before_value
                WHEN ra.n_cur > 1 THEN ra.first_value END AS prev_value,
           CASE WHEN ra.before_value IS NOT NULL THEN ra.before_on
                WHEN ra.n_cur > 1 THEN ra.first_on END AS prev_on
    FROM z LEFT JOIN ra ON ra.meter_id = z.id AND ra.zone = z.zone
)
SELECT *,
       CASE WHEN cur_value IS NULL OR prev_value IS NULL THEN NULL
            ELSE nullif(rollover_volume(prev_value, cur_value, digits), -1) * ratio * 1000
       END AS volume_wh
FROM j
"""]
_TEMP_TABLES = ("odn_mv", "odn_rd", "odn_m")

# Premises sharing ОДН: every premise of the building except a communal flat whose rooms are
# premises themselves (the rooms carry the area). Numeric columns only; kind: 0 flat, 1 room, 2 nonres.
_PREMISES_SQL = """
SELECT p.id AS premise_id, s.b, CAST(CASE p.kind WHEN 'flat' THEN 0 WHEN 'room' THEN 1 ELSE 2 END AS TINYINT) AS kind,
       CAST(round(p.area * 100) AS BIGINT) AS area_c
FROM premise p JOIN odn_bsel s ON s.building_id = p.building_id
WHERE p.id NOT IN (SELECT parent_id FROM premise WHERE kind = 'room' AND parent_id IS NOT NULL)
"""
KINDS = ("flat", "room", "nonres")
K_NONRES = 2

# Volumes of non-residential premises measured without a household account (+ the legal-entity
# side's `nonres_volume`, if defined): they make the premise metered.
_NONRES_SQL = """
SELECT premise_id, CAST(coalesce(sum(volume_wh), 0) AS BIGINT) AS volume_wh FROM (
    SELECT premise_id, coalesce(volume_wh, 0) AS volume_wh FROM odn_mv WHERE service = 'nonres'
    {extra}
) GROUP BY premise_id
"""

# Every account: its premise and whether it is open on the last day of the month.
_ACCOUNTS_SQL = """
SELECT id, premise_id, coalesce(opened <= $dl AND (closed IS NULL OR closed > $dl), false) AS open FROM account
"""

# Tariff group of the billed accounts (registered `odn_acc`) on the last day of the month.
_FACTS_SQL = """
SELECT f.account_id, f.tariff_group FROM account_fact f
WHERE f.valid_from <= $dl AND (f.valid_to IS NULL OR f.valid_to > $dl)
  AND f.account_id IN (SELECT account_id FROM odn_acc)
"""

# Single-rate price of each tariff group on the last day (the lowest zone variant if none).
_PRICES_SQL = """
SELECT tariff_group, CAST(round(arg_min(price, zones * 10 + zone) * 10000) AS BIGINT) AS price_e4 FROM tariff
WHERE valid_from <= $dl AND (valid_to IS NULL OR valid_to > $dl) GROUP BY tariff_group
"""


def _nonres_extra(store: Store) -> str | None:
    """Optional volumes of non-residential premises from the legal-entity side (a view or table
    `nonres_volume(period, premise_id, volume_wh)`), added to the premises' individual volumes."""
    exists = store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'nonres_volume'")
    return "nonres_volume" if exists else None


@dataclass
class OdnRun:
    """Everything the step computed for one period (columnar), before it is written."""

    period: int
    buildings: dict[str, np.ndarray]
    premises: dict[str, np.ndarray]   # sorted by building, premise id; see `_premises`
    out: OdnOutputs
    source: np.ndarray          # object array: readings | average | normative
    billed: np.ndarray          # bool per building: residents billed (direct / none)
    meter_rows: pa.Table
    lines: pa.Table             # the 'odn' accrual lines (no ids yet)
    line_tg: np.ndarray | None = None   # int32 per line: index into `tg_names` (−1: none)
    tg_names: list[str] | None = None


# One chunk of individual volumes: account id, Wh, method code, the code meaning «normative».
VolumeChunk = tuple[np.ndarray, np.ndarray, np.ndarray, int]


class _IdMap:
    """Unique ids (any order) -> int64 values, −1 for unknown ids (a lookup table when dense)."""

    def __init__(self, ids: np.ndarray, values: np.ndarray) -> None:
        ids = np.ascontiguousarray(ids, np.int64)
        values = np.asarray(values, np.int64)
        self.lut: np.ndarray | None = None
        if len(ids) and ids.min() >= 0 and ids.max() < 4 * len(ids) + 1_000_000:
            self.lut = np.full(int(ids.max()) + 1, -1, np.int64)
            self.lut[ids] = values
        else:
            order = np.argsort(ids, kind="stable")
            self.keys, self.values = ids[order], values[order]

    def get(self, query: np.ndarray) -> np.ndarray:
        query = np.ascontiguousarray(query, np.int64)
        if self.lut is not None:
            return lut_lookup(self.lut, query)
        if len(self.keys) == 0:
            return np.full(len(query), -1, np.int64)
        pos = np.minimum(np.searchsorted(self.keys, query), len(self.keys) - 1)
        return np.where(self.keys[pos] == query, self.values[pos], -1)


def _arrow_np(store: Store, sql: str, params: dict | None = None) -> dict[str, np.ndarray]:
    """Query -> NumPy columns through Arrow (numeric columns without copies; no Python objects)."""
    table = store.con.sql(sql, params=params or {}).to_arrow_table()
    return {name: table.column(name).combine_chunks().to_numpy(zero_copy_only=False) for name in table.column_names}


def _store_volumes(store: Store, sql: str) -> list[VolumeChunk]:
    """Individual volumes from SQL returning (account_id, volume_wh, method)."""
    v = _arrow_np(store, f"""SELECT account_id, volume_wh,
        CAST(CASE WHEN method IS NULL OR method = 'normative' THEN 0 ELSE 1 END AS TINYINT) AS code
        FROM ({sql}) WHERE account_id IS NOT NULL AND volume_wh IS NOT NULL""")
    return [(v["account_id"], v["volume_wh"], v["code"], 0)]


def _table_volumes(table: pa.Table) -> list[VolumeChunk]:
    code = pc.fill_null(pc.not_equal(table["method"], "normative"), False)
    return [(table["account_id"].to_numpy(), table["volume_wh"].to_numpy(),
             np.asarray(code.to_numpy(zero_copy_only=False), np.int8), 0)]


def _premises(store: Store, period: int, b_billed: np.ndarray, volumes: list[VolumeChunk],
              extra: str | None) -> dict[str, np.ndarray]:
    """Premises of the selected buildings (registered `odn_bsel`: building_id, b) sorted by building
    and premise id, with their individual volumes and, in billed buildings, the residents' account,
    tariff group and price. Joins by id happen in NumPy/Numba over dense id maps (no joins of
    millions of rows in SQL, no Python objects per premise)."""
    con = store.con
    dl = last_day(period)
    p = _arrow_np(store, _PREMISES_SQL)
    order = np.lexsort((p["premise_id"], p["b"]))
    p = {k: np.ascontiguousarray(v[order]) for k, v in p.items()}
    n_p = len(p["premise_id"])
    p_pos = _IdMap(p["premise_id"], np.arange(n_p))

    # individual volumes: the month's electricity lines of the accounts on the premise
    acc = _arrow_np(store, _ACCOUNTS_SQL, {"dl": dl})
    acc_pos = p_pos.get(acc["premise_id"])
    acc_map = _IdMap(acc["id"], acc_pos)
    indiv = np.zeros(n_p, np.int64)
    metered = np.zeros(n_p, np.bool_)
    for acc_id, wh, code, unmetered_code in volumes:
        if len(acc_id):
            add_line_volumes(acc_map.get(acc_id), np.ascontiguousarray(wh, np.int64),
                             np.ascontiguousarray(code, np.int8), unmetered_code, indiv, metered)
    nr_sql = _NONRES_SQL.replace("{extra}", f"UNION ALL SELECT premise_id, volume_wh FROM {extra} WHERE period = "
                                 f"{int(period)}" if extra else "")
    nr = _arrow_np(store, nr_sql)
    pos = p_pos.get(nr["premise_id"])
    ok = pos >= 0
    np.add.at(indiv, pos[ok], nr["volume_wh"][ok].astype(np.int64))
    metered[pos[ok]] = True

    # billed buildings: the lowest open account of each residential premise, its tariff group and price
    wanted = b_billed[p["b"]] & (p["kind"] != K_NONRES) if n_p else np.zeros(0, bool)
    account = np.full(n_p, -1, np.int64)
    first_open_account(np.ascontiguousarray(acc["id"], np.int64), acc_pos, acc["open"], wanted, account)
    del acc, acc_pos
    has = account >= 0
    con.register("odn_acc", pa.table({"account_id": pa.array(account[has], pa.int64())}))
    facts = con.sql(_FACTS_SQL, params={"dl": dl}).to_arrow_table()
    con.unregister("odn_acc")
    tg_col = pc.dictionary_encode(facts["tariff_group"]).combine_chunks()
    tg_names = [str(x) for x in tg_col.dictionary.to_pylist()]
    f_tg = np.asarray(tg_col.indices.fill_null(-1).to_numpy(zero_copy_only=False), np.int32)
    prices = dict(store.all(_PRICES_SQL, {"dl": dl}))
    price_of = np.array([-1 if prices.get(g) is None else prices[g] for g in tg_names] + [-1], np.int64)
    f_pos = _IdMap(account[has], np.flatnonzero(has)).get(facts["account_id"].to_numpy())
    tg = np.full(n_p, -1, np.int32)
    ok = (f_pos >= 0) & (f_tg >= 0)
    tg[f_pos[ok]] = f_tg[ok]
    price = price_of[tg]           # tg −1 -> the trailing −1
    p.update(individual_wh=indiv, metered=metered, account_id=account, tg=tg, price_e4=price)
    p["tg_names"] = np.asarray(tg_names, dtype=object)
    return p


def compute(store: Store, period: int, lines_sql: str | None = None,
            lines_table: pa.Table | None = None, progress: Progress | None = None,
            volumes: list[VolumeChunk] | None = None) -> OdnRun:
    """Gather and compute ОДН for `period` without writing anything.

    Individual volumes: `volumes` (chunks of account id, Wh, method code) if given, else
    `lines_table` (account_id, volume_wh, method), else `lines_sql`, else the period's electricity
    accrual lines in the store.
    """
    con = store.con
    d0, d1, dl = first_day(period), next_first_day(period), last_day(period)
    if volumes is None:
        volumes = _table_volumes(lines_table) if lines_table is not None else \
            _store_volumes(store, lines_sql or _LINES_FROM_STORE.format(p=period))
    extra = _nonres_extra(store)
    if progress:
        progress("ОДН: общедомовые приборы учёта")
    for sql in _METER_VOLUMES_SQL:
        con.execute(sql.format(d0=d0.isoformat(), dl=dl.isoformat()))
    base_months = rule_int(store, "average.base_months", dl, 6)
    max_avg = rule_int(store, "odn.meter_average_months", dl, 3)
    params = {"dl": dl, "d0": d0, "w0": first_day(add_months(period, -base_months))}
    b = con.execute(_buildings_sql(), params).fetchnumpy()
    n_b = len(b["building_id"])
    b_id = np.asarray(b["building_id"], np.int64)
    management = np.asarray(b["management"], dtype=object)
    billed = np.isin(management, ["direct", "none"])
    con.register("odn_bsel", pa.table({"building_id": pa.array(b_id, pa.int64()),
                                       "b": pa.array(np.arange(n_b, dtype=np.int32))}))
    if progress:
        progress("ОДН: помещения")
    p = _premises(store, period, billed, volumes, extra)
    con.unregister("odn_bsel")
    p_b = p["b"]
    p["building_id"] = b_id[p_b] if n_b else np.zeros(0, np.int64)

    has_meter = np.asarray(b["has_meter"], bool)
    meter_ok = np.asarray(b["meter_ok"], bool)
    hist_n = np.asarray(b["hist_n"], np.int64)
    hist_s = np.asarray(b["hist_s"], np.int64)
    run = np.asarray(b["avg_run"], np.int64)
    by_readings = has_meter & meter_ok
    by_average = has_meter & ~meter_ok & (hist_n > 0) & (run < max_avg)
    mode = np.where(by_readings | by_average, MODE_METER, MODE_NORMATIVE).astype(np.int8)
    common = np.asarray(b["common_wh"], np.int64).copy()
    safe_n = np.maximum(hist_n, 1)
    avg = round_div_array(hist_s, safe_n)
    common = np.where(by_average, avg, common)
    common = np.where(mode == MODE_NORMATIVE, 0, common)
    src_code = np.where(by_readings, 0, np.where(by_average, 1, 2)).astype(np.int8)
    source = np.asarray(SOURCES, dtype=object)[src_code]
    soi_e4 = np.asarray(b["soi_e4"], np.int64)
    area_common_c = np.asarray(b["area_common_c"], np.int64)
    # N_soi (kWh/m² ×10⁴) × S_common (m² ×10²) → Wh: × 1000 / 10⁶
    cap = np.where(soi_e4 >= 0, round_div_array(soi_e4 * area_common_c, 1000), -1).astype(np.int64)
    zone_wh = np.stack([np.asarray(b[k], np.int64) for k in ("z1", "z2", "z3")], axis=1) if n_b else \
        np.zeros((0, 3), np.int64)
    zones = np.asarray(b["zones"], np.int8).copy()
    zones[~by_readings] = 1
    heating = np.asarray(b["heating_wh"], np.int64)

    b_start = np.searchsorted(p_b, np.arange(n_b + 1)).astype(np.int64)
    nonres = p["kind"] == K_NONRES
    inp = OdnInputs(
        b_mode=mode, b_common_wh=common, b_heating_wh=heating, b_cap_wh=cap, b_zone_wh=zone_wh, b_zones=zones,
        b_start=b_start, p_id=p["premise_id"], p_area_c=p["area_c"], p_nonres=nonres, p_metered=p["metered"],
        p_indiv_wh=p["individual_wh"],
    )
    if progress:
        progress("ОДН: расчёт")
    out = compute_odn(inp)

    # residents' lines: billed buildings, residential premises with an account and a price, volume > 0
    sel = (billed[p_b] if len(p_b) else np.zeros(0, bool)) & (p["account_id"] >= 0) & (p["price_e4"] >= 0) \
        & (out.p_odn_wh > 0) & ~nonres
    vat_pct = rule(store, "vat.rate", dl)
    vol = out.p_odn_wh[sel]
    n = len(vol)
    price_sel = p["price_e4"][sel]
    amt, vat = amounts(vol, price_sel, np.full(n, rate_e2(vat_pct), np.int64))
    mp_id = b["metering_point_id"]
    mp_arr = np.asarray(np.ma.filled(mp_id, -1), np.int64) if isinstance(mp_id, np.ma.MaskedArray) else \
        np.asarray([-1 if x is None else x for x in mp_id], np.int64)
    line_b = p_b[sel]
    line_mode = mode[line_b]
    line_meter = line_mode == MODE_METER
    line_tg = p["tg"][sel]
    tg_names = list(p["tg_names"])
    reason = _reasons(source, common, heating, out, cap, line_b, p["area_c"][sel])
    line_cap = cap[line_b]
    lines = pa.table({
        "period": pa.array(np.full(n, period, np.int32)),
        "for_period": pa.array(np.full(n, period, np.int32)),
        "account_id": pa.array(p["account_id"][sel]),
        "metering_point_id": pa.array(np.where(line_meter, mp_arr[line_b], -1), pa.int64()),
        "service": _repeat("odn", n),
        "zone": pa.array(np.ones(n, np.int8)),
        "method": pa.array(["odn_meter", "odn_normative"], pa.string()).take(pa.array(np.where(line_meter, 0, 1))),
        "seg_from": pa.array(np.full(n, (d0 - EPOCH).days, np.int32)).cast(pa.date32()),
        "seg_to": pa.array(np.full(n, (d1 - EPOCH).days, np.int32)).cast(pa.date32()),
        "volume_wh": pa.array(vol),
        "price_e4": pa.array(price_sel),
        "amount_kop": pa.array(amt),
        "vat_kop": pa.array(vat),
        "tariff_group": pa.array(tg_names + [None], pa.string()).take(pa.array(np.where(line_tg < 0, len(tg_names), line_tg))),
        "avg_wh": pa.array(out.b_odn_wh[line_b]),
        "normative_wh": pa.array(line_cap, mask=line_cap < 0),
        "base_method": pa.array(SOURCES, pa.string()).take(pa.array(src_code[line_b])),
        "reason": reason,
    })
    meter_rows = con.sql(
        "SELECT building_id, meter_id, service, zone, prev_value, prev_on, cur_value, cur_on, ratio, "
        "coalesce(volume_wh, 0) AS volume_wh FROM odn_mv WHERE service <> 'nonres'").to_arrow_table()
    for t in _TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.{t}")
    return OdnRun(period, b, p, out, source, billed, meter_rows, lines, line_tg, tg_names)


SOURCES = ("readings", "average", "normative")
EPOCH = date(1970, 1, 1)


def _repeat(text: str, n: int) -> pa.Array:
    return pa.array([text], pa.string()).take(pa.array(np.zeros(n, np.int32)))


def _area_text(area_c: np.ndarray) -> pa.Array:
    """centi-m² -> «60,00» (Arrow compute, no Python strings per value)."""
    whole = pc.cast(pa.array(area_c // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(area_c % 100), pa.string()), width=2, padding="0")
    return pc.binary_join_element_wise(whole, frac, ",")


def _reasons(source: np.ndarray, common: np.ndarray, heating: np.ndarray, out: OdnOutputs, cap: np.ndarray,
             line_b: np.ndarray, line_area: np.ndarray) -> pa.Array:
    """The inputs of each ОДН line in words (printed by `sbyt explain`): the building part is
    formatted once per building that has lines, the premise's area part in Arrow."""
    if len(line_b) == 0:
        return pa.array([], pa.string())
    with_lines = np.unique(line_b)
    head = []
    for k in with_lines.tolist():       # per building billed to residents (thousands), never per account
        odn = _kwh(int(out.b_odn_wh[k]))
        limit = f"; предел норматив СОИ × S МОП {_kwh(int(cap[k]))}" if cap[k] >= 0 else ""
        if source[k] == "normative":
            head.append(f"по нормативу СОИ × S МОП: {odn} на дом")
        else:
            base = "ОДПУ" if source[k] == "readings" else "средний объём ОДПУ"
            prem = int(out.b_nonres_wh[k] + out.b_unmetered_wh[k] + out.b_metered_wh[k])
            heat = f" − отопление {_kwh(int(heating[k]))}" if heating[k] else ""
            head.append(f"{base} {_kwh(int(common[k]))} − помещения {_kwh(prem)}{heat}"
                        f" = {_kwh(int(out.b_raw_wh[k]))}{limit}; к распределению {odn}")
    line_head = np.searchsorted(with_lines, line_b)
    line_total = out.b_area_c[line_b]
    parts = (" × ", " / ", " м²")
    if (line_area < 0).any() or (line_total < 0).any():   # never in practice: lines have an area
        heads = pa.array(head, pa.string()).take(pa.array(line_head))
        return pc.binary_join_element_wise(heads, parts[0], _area_text(line_area), parts[1],
                                           _area_text(line_total), parts[2], "")
    head_b, head_off = _utf8(head)
    sep, sep_off = _utf8(list(parts))
    off, data = area_texts(head_b, head_off, line_head.astype(np.int64), np.ascontiguousarray(line_area, np.int64),
                           np.ascontiguousarray(line_total, np.int64), sep, sep_off)
    if off[-1] < 2**31:
        return pa.Array.from_buffers(pa.string(), len(line_b), [None, pa.py_buffer(off.astype(np.int32)),
                                                                pa.py_buffer(data)])
    return pa.Array.from_buffers(pa.large_string(), len(line_b), [None, pa.py_buffer(off), pa.py_buffer(data)])


def _utf8(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Texts as one UTF-8 byte array and int64 offsets."""
    encoded = [t.encode("utf-8") for t in texts]
    off = np.zeros(len(encoded) + 1, np.int64)
    off[1:] = np.cumsum([len(e) for e in encoded])
    return np.frombuffer(b"".join(encoded), np.uint8).copy(), off


def _kwh(wh: int) -> str:
    whole, frac = divmod(abs(wh), 1000)
    text = f"{whole:,}".replace(",", "\u00a0") + (f",{frac:03d}".rstrip("0") if frac else "")
    return ("−" if wh < 0 else "") + text + "\u00a0кВт·ч"


def write(store: Store, run: OdnRun, write_lines: bool = True) -> OdnSummary:
    """Replace the period's ОДН results (and, if asked, its draft 'odn' lines) in one transaction."""
    period = run.period
    ensure_open(store, period)
    b, p, out = run.buildings, run.premises, run.out
    n_b = len(b["building_id"])
    dl = last_day(period)
    max_avg = rule_int(store, "odn.meter_average_months", dl, 3)  # noqa: F841 (documented in odn_result)
    mode = np.where(run.source == "normative", "odn_normative", "odn_meter").astype(object)
    n_prem = np.bincount(p["b"], minlength=n_b) if n_b else np.zeros(0, np.int64)
    p_ids = np.asarray(p["premise_id"], np.int64)
    rem_idx = out.b_remainder_idx
    rem_pid = np.where(rem_idx >= 0, p_ids[np.maximum(rem_idx, 0)] if len(p_ids) else -1, -1)
    soi_e4 = np.asarray(b["soi_e4"], np.int64)
    cap = np.where(soi_e4 >= 0, round_div_array(soi_e4 * np.asarray(b["area_common_c"], np.int64), 1000), -1)
    hist_n = np.asarray(b["hist_n"], np.int64)
    common = np.asarray(b["common_wh"], np.int64)
    safe_n = np.maximum(hist_n, 1)
    avg = round_div_array(np.asarray(b["hist_s"], np.int64), safe_n)
    common_used = np.where(run.source == "readings", common, np.where(run.source == "average", avg, -1))
    is_avg = run.source == "average"
    mgr = b["manager_id"]
    mgr_arr = np.asarray(np.ma.filled(mgr, -1), np.int64) if isinstance(mgr, np.ma.MaskedArray) else \
        np.asarray([-1 if x is None else x for x in mgr], np.int64)

    def nullable(arr: np.ndarray, null_mask: np.ndarray, typ: pa.DataType) -> pa.Array:
        return pa.array(arr, typ, mask=null_mask)

    result = pa.table({
        "period": pa.array(np.full(n_b, period, np.int32)),
        "building_id": pa.array(np.asarray(b["building_id"], np.int64)),
        "method": pa.array(mode, pa.string()),
        "source": pa.array(run.source, pa.string()),
        "management": pa.array(np.asarray(b["management"], object), pa.string()),
        "manager_id": nullable(mgr_arr, mgr_arr < 0, pa.int32()),
        "billed_to": pa.array(np.where(run.billed, "residents", "manager").astype(object), pa.string()),
        "common_wh": nullable(common_used, common_used < 0, pa.int64()),
        "heating_wh": pa.array(np.asarray(b["heating_wh"], np.int64)),
        "nonres_wh": pa.array(out.b_nonres_wh), "unmetered_wh": pa.array(out.b_unmetered_wh),
        "metered_wh": pa.array(out.b_metered_wh), "raw_wh": pa.array(out.b_raw_wh),
        "cap_wh": nullable(cap, cap < 0, pa.int64()),
        "odn_wh": pa.array(out.b_odn_wh),
        "area_total_c": pa.array(out.b_area_c),
        "area_common_c": pa.array(np.asarray(b["area_common_c"], np.int64)),
        "soi_e4": nullable(soi_e4, soi_e4 < 0, pa.int64()),
        "average_months": nullable(hist_n.astype(np.int16), ~is_avg, pa.int16()),
        "average_run": nullable((np.asarray(b["avg_run"], np.int64) + 1).astype(np.int16), ~is_avg, pa.int16()),
        "premises": pa.array(n_prem.astype(np.int32)),
        "remainder_premise_id": nullable(rem_pid.astype(np.int64), rem_pid < 0, pa.int64()),
        "remainder_wh": pa.array(out.b_remainder_wh),
    })
    # account: set only for residential premises of billed buildings (see `_premises`)
    acc_billed = p["account_id"]
    shares = pa.table({
        "building_id": pa.array(p["building_id"]),
        "premise_id": pa.array(p_ids),
        "account_id": nullable(acc_billed, acc_billed < 0, pa.int64()),
        "kind": pa.DictionaryArray.from_arrays(pa.array(p["kind"]), pa.array(KINDS, pa.string())),
        "area_c": pa.array(p["area_c"]),
        "metered": pa.array(p["metered"]),
        "individual_wh": pa.array(p["individual_wh"]),
        "odn_wh": pa.array(out.p_odn_wh),
        "zone1_wh": pa.array(out.p_zone_wh[:, 0]), "zone2_wh": pa.array(out.p_zone_wh[:, 1]),
        "zone3_wh": pa.array(out.p_zone_wh[:, 2]),
    })
    con = store.con
    with store.transaction():
        for t in ("odn_result", "odn_meter_volume", "odn_share", "odn_imbalance", "odn_manager_volume"):
            con.execute(f"DELETE FROM {t} WHERE period = ?", [period])
        con.register("odn_w_result", result)
        con.execute("""
            INSERT INTO odn_result (period, building_id, method, source, management, manager_id, billed_to,
                common_wh, heating_wh, nonres_wh, unmetered_wh, metered_wh, raw_wh, cap_wh, odn_wh, area_total,
                area_common, soi_kwh_per_m2, average_months, average_run, premises, remainder_premise_id,
                remainder_wh)
            SELECT period, building_id, method, source, management, manager_id, billed_to, common_wh, heating_wh,
                nonres_wh, unmetered_wh, metered_wh, raw_wh, cap_wh, odn_wh,
                CAST(area_total_c AS DECIMAL(18, 0)) / 100, CAST(area_common_c AS DECIMAL(18, 0)) / 100,
                CAST(soi_e4 AS DECIMAL(18, 0)) / 10000, average_months, average_run, premises,
                remainder_premise_id, remainder_wh
            FROM odn_w_result""")
        con.register("odn_w_meter", run.meter_rows)
        con.execute(f"""
            INSERT INTO odn_meter_volume SELECT {period}, building_id, meter_id, service, zone, prev_value, prev_on,
                cur_value, cur_on, ratio, volume_wh FROM odn_w_meter""")
        con.register("odn_w_share", shares)
        con.execute(f"""
            INSERT INTO odn_share SELECT {period}, building_id, premise_id, account_id, kind,
                CAST(area_c AS DECIMAL(18, 0)) / 100, metered, individual_wh, odn_wh, zone1_wh, zone2_wh, zone3_wh
            FROM odn_w_share""")
        con.execute("""
            INSERT INTO odn_imbalance
            SELECT period, building_id, common_wh, nonres_wh + unmetered_wh + metered_wh + heating_wh, -raw_wh
            FROM odn_result WHERE period = ? AND raw_wh < 0 AND method = 'odn_meter'""", [period])
        carry_on = (rule(store, "odn.manager_carry", dl) or 0) > 0
        prev = add_months(period, -1)
        con.execute(f"""
            INSERT INTO odn_manager_volume
            SELECT r.period, r.building_id, r.manager_id, r.raw_wh, coalesce(c.carry_in, 0),
                   greatest(r.raw_wh + coalesce(c.carry_in, 0), 0), least(r.raw_wh + coalesce(c.carry_in, 0), 0),
                   r.source
            FROM odn_result r
            LEFT JOIN (SELECT building_id, CASE WHEN {str(carry_on).lower()} THEN carry_out_wh ELSE 0 END AS carry_in
                       FROM odn_manager_volume WHERE period = {prev}) c ON c.building_id = r.building_id
            WHERE r.period = ? AND r.billed_to = 'manager'""", [period])
        if write_lines:     # standalone: the monthly run writes its lines and stamp itself
            con.execute("DELETE FROM accrual_line WHERE period = ? AND service = 'odn' AND status = 'draft'", [period])
            insert_lines(store, run.lines)
            con.execute("UPDATE billing_period SET calc_at = current_timestamp WHERE period = ?", [period])
        for name in ("odn_w_result", "odn_w_meter", "odn_w_share"):
            con.unregister(name)
    src = run.source
    return OdnSummary(
        period=period, buildings=n_b, by_readings=int((src == "readings").sum()),
        by_average=int((src == "average").sum()), by_normative=int((src == "normative").sum()),
        imbalances=int((out.b_raw_wh < 0).sum()), residents_lines=run.lines.num_rows,
        residents_wh=int(np.asarray(run.lines["volume_wh"]).sum()) if run.lines.num_rows else 0,
        residents_kop=int(np.asarray(run.lines["amount_kop"]).sum()) if run.lines.num_rows else 0,
        manager_wh=int(out.b_odn_wh[~run.billed].sum()) if n_b else 0,
    )


def insert_lines(store: Store, lines: pa.Table) -> None:
    """Append 'odn' accrual lines (draft) with fresh ids (standalone mode)."""
    if lines.num_rows == 0:
        return
    con = store.con
    have = {r[0] for r in store.all(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'accrual_line'")}
    extra = [c for c in ("avg_wh", "base_method", "tariff_group") if c in have]
    first = store.next_id("accrual_line")
    con.register("odn_w_lines", lines)
    cols = "".join(", " + c for c in extra)
    con.execute(f"""
        INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, zone, method,
            seg_from, seg_to, volume_wh, price, amount_kop, vat_kop, normative_wh, reason, status{cols})
        SELECT {first} + row_number() OVER () - 1, period, for_period, account_id,
            CASE WHEN metering_point_id < 0 THEN NULL ELSE metering_point_id END, service, zone, method,
            seg_from, seg_to, volume_wh, CAST(price_e4 AS DECIMAL(18, 0)) / 10000, amount_kop, vat_kop,
            normative_wh, reason, 'draft'{cols}
        FROM odn_w_lines""")
    con.unregister("odn_w_lines")


def run_odn(store: Store, period: int, progress: Progress | None = None) -> OdnSummary:
    """Standalone ОДН run for an open period (individual volumes from the stored electricity lines)."""
    ensure_open(store, period)
    run = compute(store, period, progress=progress)
    return write(store, run, write_lines=True)




# ---------------------------------------------------------------------------- the pipeline step
def step(ctx: CalcContext) -> OdnRun | None:
    """ОДН step of `sbyt.calc.pipeline`: individual volumes from the volumes step's electricity lines
    of the month; appends the residents' 'odn' lines (priced by the amounts step) and returns the
    run, which the write step writes. Recomputations of closed months leave ОДН alone."""
    if ctx.recompute:
        return None

    volumes: list[VolumeChunk] = []
    for batch in ctx.lines:
        c = batch.cols
        m = (c["service"] == S_ELECTRICITY) & (c["for_period"] == ctx.period)
        if m.all():
            volumes.append((c["account_id"], c["volume_wh"], c["method"], M_NORMATIVE))
        elif m.any():
            volumes.append((c["account_id"][m], c["volume_wh"][m], c["method"][m], M_NORMATIVE))
    run = compute(ctx.store, ctx.period, progress=ctx.say, volumes=volumes)
    ln = run.lines
    n = ln.num_rows
    groups = list(ctx.gathered.tariff_groups) if ctx.gathered else []
    lookup = {g: i for i, g in enumerate(groups)}
    to_ctx = np.array([lookup.get(g, -1) for g in run.tg_names] + [-1], np.int16)
    tg = to_ctx[run.line_tg]               # line_tg −1 -> the trailing −1
    meter_code, norm_code = method_code("odn_meter"), method_code("odn_normative")
    method = np.where(pc.equal(ln["method"], "odn_meter").to_numpy(), meter_code, norm_code).astype(np.int8)
    normative = ln["normative_wh"].fill_null(-1).to_numpy()
    ctx.lines.append(LineBatch.make(
        n, reason=ln["reason"], base_method=ln["base_method"],
        account_id=ln["account_id"].to_numpy(), metering_point_id=ln["metering_point_id"].to_numpy(),
        service=S_ODN, zone=1, method=method, for_period=ctx.period, seg_from=0, seg_to=days_in(ctx.period),
        volume_wh=ln["volume_wh"].to_numpy(), price_e4=ln["price_e4"].to_numpy(),
        avg_wh=ln["avg_wh"].to_numpy(), normative_wh=np.asarray(normative, np.int64), tariff_group=tg,
    ))
    return run
