"""The demo's meters and readings: individual meters with 13 months of readings (non-submitters,
broken meters, replacements with rollover, a few rejected readings), seals, acts of refused access,
and the common meters (ОДПУ) with their readings."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sbyt.core.demo.region import _Region
from sbyt.core.demo.shape import CHUNK, HISTORY_MONTHS, READ_DAY_MAX, READ_DAY_MIN, Progress, _arrow
from sbyt.core.periods import add_months, first_day
from sbyt.core.store import Store


SEASON = np.array([1.25, 1.35, 1.35, 1.2, 1.05, 0.9, 0.82, 0.8, 0.82, 0.9, 1.05, 1.2, 1.25])  # Nov .. Nov


def _meters_and_readings(store: Store, rng: np.random.Generator, region: _Region, tick: Progress) -> None:
    con = store.con
    mps = region.meter_points
    zones = region.meter_zones
    n = len(mps)
    M = HISTORY_MONTHS
    # meters: one per metered point, installed before the history; 1 % replaced during the year
    digits = np.where(rng.random(n) < 0.12, 5, 6)
    installed = np.datetime64("2014-01-01") + rng.integers(0, 365 * 11, n).astype("timedelta64[D]")
    installed = np.minimum(installed, np.datetime64("2025-05-01"))
    verif_years = np.where(rng.random(n) < 0.5, 16, 10)
    verified = installed + np.where(rng.random(n) < 0.07, -365 * 12, 0).astype("timedelta64[D]")
    broken = rng.random(n) < 0.01
    broken_month = rng.integers(5, M, n)
    replaced = (rng.random(n) < 0.01) & ~broken
    replace_month = rng.integers(3, M - 1, n)   # the new meter works from this month
    start_value = np.where(digits == 5, rng.integers(80_000, 99_000, n), rng.integers(0, 40_000, n))
    # consumption per month and zone
    zone_share = {1: np.array([1.0]), 2: np.array([0.68, 0.32]), 3: np.array([0.22, 0.48, 0.30])}
    nonsub = rng.random(n) < 0.10            # occasional non-submitters
    stopped = rng.random(n) < 0.03           # stopped submitting 4-7 months ago
    stop_month = rng.integers(M - 7, M - 3, n)
    meter_id = np.arange(1, n + 1, dtype=np.int64)
    new_meter_id = np.arange(n + 1, n + 1 + int(replaced.sum()), dtype=np.int64)
    new_of = np.zeros(n, dtype=np.int64)
    new_of[replaced] = new_meter_id
    month_first = np.array([np.datetime64(first_day(add_months(202511, m)).isoformat()) for m in range(M)])
    removal_day = month_first[replace_month] + rng.integers(3, 16, n).astype("timedelta64[D]")
    models = np.array(["Меркурий 201.8", "Меркурий 200.02", "Нева 101 1SO", "Энергомера CE101", "Меркурий 231 AT-01",
                       "Энергомера CE301", "Милур 107"])
    model_idx = np.where(zones == 1, rng.choice([0, 2, 3, 6], n), np.where(zones == 2, rng.choice([1, 4], n), 5))
    serial = rng.integers(10_000_000, 99_999_999, n)
    state = np.where(broken, "broken", "working")
    state_since = np.where(broken, month_first[broken_month] + np.timedelta64(5, "D"), np.datetime64("NaT"))
    ratio = np.ones(n, dtype=np.int64)
    _arrow(con, "t_meter", {
        "id": np.concatenate([meter_id, new_meter_id]),
        "mp": np.concatenate([mps, mps[replaced]]),
        "model": np.concatenate([models[model_idx], models[model_idx[replaced]]]),
        "serial": np.concatenate([serial, serial[replaced] + 7]).astype(str),
        "digits": np.concatenate([digits, np.full(replaced.sum(), 6)]).astype(np.int8),
        "zones": np.concatenate([zones, zones[replaced]]).astype(np.int8),
        "ratio": np.concatenate([ratio, ratio[replaced]]).astype(np.int32),
        "inst": np.concatenate([installed, removal_day[replaced]]).astype("datetime64[D]"),
        "rem": pa.array(np.concatenate([np.where(replaced, removal_day, np.datetime64("NaT")),
                                        np.full(replaced.sum(), np.datetime64("NaT"))]).astype("datetime64[D]"),
                        mask=np.concatenate([~replaced, np.ones(replaced.sum(), bool)])),
        "verified": np.concatenate([verified, removal_day[replaced]]).astype("datetime64[D]"),
        "vy": np.concatenate([verif_years, np.full(replaced.sum(), 16)]).astype(np.int8),
        "state": np.concatenate([state, np.full(replaced.sum(), "working")]),
        "since": pa.array(np.concatenate([state_since, np.full(replaced.sum(), np.datetime64("NaT"))]).astype("datetime64[D]"),
                          mask=np.concatenate([~broken, np.ones(replaced.sum(), bool)])),
    })
    con.execute("INSERT INTO meter SELECT id, mp, model, serial, digits, zones, ratio, inst, rem, verified, vy, state, since FROM t_meter")
    con.execute("""
        INSERT INTO seal SELECT id, id, 'П' || lpad((id * 7919 % 10000000)::VARCHAR, 7, '0'),
            'А-' || id::VARCHAR, inst, inst, NULL FROM t_meter""")
    n_all = n + int(replaced.sum())

    # readings, chunk by chunk: cumulative per zone, one reading per month on day 18..25
    rid = 1
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        k = hi - lo
        z = zones[lo:hi]
        base = region.meter_base[lo:hi]
        cons = np.maximum(0, np.round(base[:, None] * SEASON[None, :M] * rng.lognormal(0, 0.18, (k, M)))).astype(np.int64)
        cons[:, 0] = 0
        submit = np.ones((k, M), dtype=bool)
        submit[nonsub[lo:hi]] = rng.random((int(nonsub[lo:hi].sum()), M)) > 0.2
        months_idx = np.arange(M)[None, :]
        submit &= ~(stopped[lo:hi, None] & (months_idx >= stop_month[lo:hi, None]))
        submit &= ~(broken[lo:hi, None] & (months_idx >= broken_month[lo:hi, None]))
        submit[:, 0] = True
        day = rng.integers(READ_DAY_MIN, READ_DAY_MAX + 1, (k, M))
        rep = replaced[lo:hi]
        rmon = replace_month[lo:hi]
        mid = meter_id[lo:hi]
        new_mid = new_of[lo:hi]
        rows_meter, rows_zone, rows_day, rows_val, rows_kind = [], [], [], [], []
        for zi in range(3):
            has = z > zi
            if not has.any():
                continue
            share = np.select([z == 1, z == 2, z == 3], [zone_share[1][min(zi, 0)], zone_share[2][min(zi, 1)],
                                                         zone_share[3][zi]])
            zc = np.round(cons * share[:, None]).astype(np.int64)
            start = start_value[lo:hi] // (zi + 1)
            cum = start[:, None] + np.cumsum(zc, axis=1)
            limit = np.where(digits[lo:hi] == 5, 100_000, 1_000_000)
            # the replaced meter: its months from `rmon` on belong to the new meter starting at 0
            after = rep[:, None] & (months_idx >= rmon[:, None])
            before_cum = np.take_along_axis(cum, np.maximum(rmon - 1, 0)[:, None], axis=1)
            value = np.where(after, cum - before_cum, cum % limit[:, None])
            meter_of = np.where(after, new_mid[:, None], mid[:, None])
            keep = submit & has[:, None]
            rows_meter.append(meter_of[keep]); rows_zone.append(np.full(int(keep.sum()), zi + 1, np.int8))
            rows_day.append((month_first[None, :] + day.astype("timedelta64[D]"))[keep])
            rows_val.append(value[keep]); rows_kind.append(np.zeros(int(keep.sum()), np.int8))
            # removal reading of the old meter and install reading of the new one
            r_idx = np.flatnonzero(rep & has)
            if len(r_idx):
                rem_val = before_cum[r_idx, 0] % limit[r_idx]
                rows_meter += [mid[r_idx], new_mid[r_idx]]
                rows_zone += [np.full(len(r_idx), zi + 1, np.int8)] * 2
                rd = removal_day[lo:hi][r_idx]
                rows_day += [rd, rd]
                rows_val += [rem_val, np.zeros(len(r_idx), np.int64)]
                rows_kind += [np.full(len(r_idx), 2, np.int8), np.full(len(r_idx), 1, np.int8)]
        r_meter = np.concatenate(rows_meter)
        r_cnt = len(r_meter)
        _arrow(con, "t_read", {"id": np.arange(rid, rid + r_cnt, dtype=np.int64), "meter": r_meter,
                               "zone": np.concatenate(rows_zone), "day": np.concatenate(rows_day).astype("datetime64[D]"),
                               "value": np.concatenate(rows_val), "kind": np.concatenate(rows_kind)})
        con.execute("""
            INSERT INTO reading SELECT id, meter, zone, day, value,
                CASE kind WHEN 0 THEN 'regular' WHEN 1 THEN 'install' ELSE 'removal' END,
                CASE WHEN kind > 0 THEN 'controller' WHEN id % 5 = 0 THEN 'portal' WHEN id % 7 = 0 THEN 'gis'
                     WHEN id % 11 = 0 THEN 'controller' ELSE 'operator' END,
                'accepted', NULL, NULL, day::TIMESTAMP + INTERVAL 10 HOUR, 'demo'
            FROM t_read""")
        rid += r_cnt
        con.unregister("t_read")
        tick("Показания", 0.35 + 0.55 * hi / max(n, 1))
    # a few rejected readings: lower than the previous one, typed by mistake
    con.execute(f"""
        INSERT INTO reading SELECT {rid} + row_number() OVER (ORDER BY id) - 1, meter_id, zone, read_on + 1,
            value // 10, 'regular', 'operator', 'rejected',
            'Показание меньше предыдущего (' || value::VARCHAR || ') и не является переходом через ноль',
            NULL, read_on::TIMESTAMP + INTERVAL 11 HOUR, 'demo'
        FROM reading WHERE id % 997 = 0 AND kind = 'regular' AND value > 1000""")
    # common meters (ОДПУ): building sum of flats × (1 + ОДН share); 12 % of them broken some months
    _common_meter_readings(store, rng, region, n_all)
    # acts of refused access (two each) on a few metered points
    acc = region.access_refused
    if len(acc):
        _arrow(con, "t_act", {"mp": np.repeat(acc, 2), "d": np.tile(np.array(["2026-03-14", "2026-06-16"], dtype="datetime64[D]"), len(acc))})
        con.execute("""INSERT INTO meter_act SELECT row_number() OVER (), mp, 'access_refused', d,
                           'ОД-' || mp::VARCHAR || '-' || month(d)::VARCHAR, 'Потребитель не обеспечил допуск к ПУ' FROM t_act""")


def _common_meter_readings(store: Store, rng: np.random.Generator, region: _Region, first_meter_id: int) -> None:
    con = store.con
    nb = region.n_buildings
    M = HISTORY_MONTHS
    common_b = region.common_b
    n = len(common_b)
    if n == 0:
        return
    # monthly building volume from its premises' bases (metered and unmetered), plus common needs
    metered_base = np.bincount(region.meter_building - 1, weights=region.meter_base, minlength=nb)
    building_base = metered_base + region.unmetered_base
    odn_share = np.where(rng.random(n) < 0.1, rng.uniform(-0.08, -0.01, n), rng.uniform(0.02, 0.09, n))
    vol = np.round(building_base[common_b - 1][:, None] * SEASON[None, :M] * (1 + odn_share[:, None])).astype(np.int64)
    ratio = rng.choice([1, 20, 40, 60], n, p=[0.3, 0.3, 0.3, 0.1])
    meter_ids = np.arange(first_meter_id + 1, first_meter_id + n + 1, dtype=np.int64)
    vol[:, 0] = 0
    cum = rng.integers(1000, 20000, n)[:, None] + np.cumsum(vol // ratio[:, None], axis=1)
    broken = rng.random(n) < 0.06
    _arrow(con, "t_cm", {"id": meter_ids, "mp": region.common_mp, "ratio": ratio.astype(np.int32),
                         "broken": broken, "serial": rng.integers(100_000_000, 999_999_999, n).astype(str)})
    con.execute("""
        INSERT INTO meter SELECT id, mp, CASE WHEN ratio > 1 THEN 'Меркурий 234 ARTM-03 (ТТ)' ELSE 'Меркурий 234 ARTM-01' END,
            serial, 6, 1, ratio, DATE '2019-03-01', NULL, DATE '2019-03-01', 16,
            CASE WHEN broken THEN 'broken' ELSE 'working' END, CASE WHEN broken THEN DATE '2026-08-03' END
        FROM t_cm""")
    base_rid = store.next_id("reading")
    month_first = np.array([np.datetime64(first_day(add_months(202511, m)).isoformat()) for m in range(M)])
    keep = np.ones((n, M), dtype=bool)
    keep[broken, 9:] = False                        # no readings after August 2026
    idx_b, idx_m = np.nonzero(keep)
    _arrow(con, "t_cr", {"id": np.arange(base_rid, base_rid + len(idx_b), dtype=np.int64), "meter": meter_ids[idx_b],
                         "day": (month_first[idx_m] + np.timedelta64(24, "D")).astype("datetime64[D]"),
                         "value": cum[idx_b, idx_m]})
    con.execute("""INSERT INTO reading SELECT id, meter, 1, day, value, 'regular', 'askue', 'accepted', NULL, NULL,
                       day::TIMESTAMP + INTERVAL 1 HOUR, 'demo' FROM t_cr""")
