"""ОДН inputs from SQL as NumPy columns: the common meters' month, the buildings, their premises.

`build_meter_volumes` fills three temp tables with the common meters' volumes (read by the building
query, the premises and the Ф-83 rows; `drop_meter_volumes` removes them); `load_buildings` gives one
row per apartment building, `load_premises` the premises sorted by building and premise id with their
individual volumes and, in billed buildings, the residents' account, tariff group and price. Joins by
id happen in NumPy/Numba over dense id maps, never per account in Python. Used by `sbyt.calc.odn`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sbyt.calc.kernels.index import lut_lookup
from sbyt.calc.kernels.odn import add_line_volumes, first_open_account
from sbyt.core.periods import add_months, first_day, last_day
from sbyt.core.store import Store


# Individual volumes from lines already in the store (standalone mode).
_LINES_FROM_STORE = """
SELECT account_id, volume_wh, method FROM accrual_line
WHERE period = {p} AND for_period = {p} AND service = 'electricity'
"""


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

# Volumes of non-residential premises measured without a household account, or, for a premise
# billed on a legal-entity contract, the legal side's `nonres_volume` of the month (if defined) in
# their place: they make the premise metered.
_NONRES_SQL = """
SELECT premise_id, CAST(coalesce(sum(volume_wh), 0) AS BIGINT) AS volume_wh FROM (
    SELECT premise_id, coalesce(volume_wh, 0) AS volume_wh FROM odn_mv WHERE service = 'nonres'
    {extra}
) GROUP BY premise_id
"""
_LEGAL_NONRES = ("AND premise_id NOT IN (SELECT premise_id FROM {src} WHERE period = {period})"
                 " UNION ALL SELECT premise_id, volume_wh FROM {src} WHERE period = {period}")

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
    nr_sql = _NONRES_SQL.replace("{extra}", _LEGAL_NONRES.format(src=extra, period=int(period)) if extra else "")
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


def nonres_source(store: Store) -> str | None:
    """Optional volumes of non-residential premises from the legal-entity side (a view or table
    `nonres_volume(period, premise_id, volume_wh)`), added to the premises' individual volumes."""
    exists = store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'nonres_volume'")
    return "nonres_volume" if exists else None


def individual_volumes(store: Store, period: int, lines_sql: str | None = None,
                       lines_table: pa.Table | None = None) -> list[VolumeChunk]:
    """`lines_table` (account_id, volume_wh, method) if given, else `lines_sql`, else the period's
    electricity accrual lines in the store."""
    return _table_volumes(lines_table) if lines_table is not None else \
        _store_volumes(store, lines_sql or _LINES_FROM_STORE.format(p=period))


def build_meter_volumes(store: Store, period: int) -> None:
    """The temp tables odn_m, odn_rd, odn_mv of the month (see `_METER_VOLUMES_SQL`)."""
    d0, dl = first_day(period), last_day(period)
    for sql in _METER_VOLUMES_SQL:
        store.con.execute(sql.format(d0=d0.isoformat(), dl=dl.isoformat()))


def load_buildings(store: Store, period: int, base_months: int) -> dict[str, np.ndarray]:
    """One row per apartment building (`_buildings_sql`); averages over `base_months` before the month."""
    params = {"dl": last_day(period), "d0": first_day(period), "w0": first_day(add_months(period, -base_months))}
    return store.con.execute(_buildings_sql(), params).fetchnumpy()


def load_premises(store: Store, period: int, b_id: np.ndarray, b_billed: np.ndarray, volumes: list[VolumeChunk],
                  extra: str | None) -> dict[str, np.ndarray]:
    """`_premises` of the buildings `b_id` (in building order), with each premise's building id."""
    con = store.con
    n_b = len(b_id)
    con.register("odn_bsel", pa.table({"building_id": pa.array(b_id, pa.int64()),
                                       "b": pa.array(np.arange(n_b, dtype=np.int32))}))
    p = _premises(store, period, b_billed, volumes, extra)
    con.unregister("odn_bsel")
    p["building_id"] = b_id[p["b"]] if n_b else np.zeros(0, np.int64)
    return p


def meter_rows(store: Store) -> pa.Table:
    """The month's volume of every common meter and zone (the odn_meter_volume rows, without the period)."""
    return store.con.sql(
        "SELECT building_id, meter_id, service, zone, prev_value, prev_on, cur_value, cur_on, ratio, "
        "coalesce(volume_wh, 0) AS volume_wh FROM odn_mv WHERE service <> 'nonres'").to_arrow_table()


def drop_meter_volumes(store: Store) -> None:
    for t in _TEMP_TABLES:
        store.con.execute(f"DROP TABLE IF EXISTS temp.{t}")
