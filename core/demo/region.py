"""The demo's buildings and accounts: apartment buildings and private houses, premises (flats,
communal flats and their rooms, non-residential), building facts, direct contracts, supply points,
accounts and their facts, absences, metering points and supply states."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from sbyt.core.demo.shape import _arrow


@dataclass(frozen=True)
class _Region:
    """What the meter and reading stages need from the buildings-and-accounts stage."""

    n_buildings: int
    meter_points: np.ndarray       # metering points that get a meter (individual, shared, non-residential)
    meter_zones: np.ndarray
    meter_base: np.ndarray         # their base monthly consumption, kWh
    meter_building: np.ndarray
    unmetered_base: np.ndarray     # per building: base consumption of its unmetered dwellings, kWh
    common_mp: np.ndarray          # common metering points (ОДПУ) and their buildings
    common_b: np.ndarray
    access_refused: np.ndarray     # metering points with two acts of refused access


def _buildings_and_accounts(store, rng, pools, shape, urban_streets, rural_streets) -> _Region:
    con = store.con
    A = shape.accounts
    # -- apartment buildings: units are flats, some of them communal flats of 3 room-accounts
    n_comm = shape.communal_flats
    mkd_flat_accounts = shape.mkd_accounts - 3 * n_comm
    n_units = mkd_flat_accounts + n_comm
    sizes_choice = np.array([12, 18, 24, 36, 45, 60, 72, 80, 108, 144, 180], dtype=np.int64)
    sizes_p = np.array([6, 8, 10, 14, 12, 14, 10, 8, 8, 6, 4], dtype=float)
    sizes = rng.choice(sizes_choice, size=n_units // 12 + 10, p=sizes_p / sizes_p.sum())
    csum = np.cumsum(sizes)
    nb_mkd = int(np.searchsorted(csum, n_units) + 1)
    sizes = sizes[:nb_mkd].copy()
    sizes[-1] -= csum[nb_mkd - 1] - n_units
    if sizes[-1] <= 0:
        sizes[-2] += sizes[-1] - 1
        sizes[-1] = 1
    n_houses = A - shape.mkd_accounts
    NB = nb_mkd + n_houses
    b_id = np.arange(1, NB + 1, dtype=np.int64)
    is_mkd_b = b_id <= nb_mkd
    # MKD in towns; houses mostly in villages (15 % on the outskirts of towns)
    street = np.empty(NB, dtype=np.int64)
    street[:nb_mkd] = urban_streets[rng.integers(0, len(urban_streets), nb_mkd)]
    town_house = rng.random(n_houses) < 0.15
    street[nb_mkd:] = np.where(town_house, urban_streets[rng.integers(0, len(urban_streets), n_houses)],
                               rural_streets[rng.integers(0, len(rural_streets), n_houses)])
    # house numbers: running number within street, in id order
    order = np.lexsort((b_id, street))
    st_sorted = street[order]
    starts = np.r_[0, np.flatnonzero(np.diff(st_sorted)) + 1]
    run = np.arange(NB) - np.repeat(starts, np.diff(np.r_[starts, NB]))
    house_no = np.empty(NB, dtype=np.int64)
    house_no[order] = run + 1
    floors = np.where(is_mkd_b, np.select([sizes_full(sizes, NB) <= 24, sizes_full(sizes, NB) <= 80],
                                          [rng.choice([2, 3, 4], NB), rng.choice([5, 5, 9], NB)],
                                          rng.choice([9, 12, 16], NB)), rng.choice([1, 1, 2], NB))
    year = np.where(is_mkd_b, rng.integers(1955, 2024, NB), rng.integers(1950, 2024, NB))
    _arrow(con, "t_building", {"id": b_id, "street": street, "house_no": house_no, "mkd": is_mkd_b,
                               "floors": floors.astype(np.int16), "year": year.astype(np.int16)})
    con.execute("""
        INSERT INTO building SELECT id, 'B' || lpad(id::VARCHAR, 8, '0'), street,
            house_no::VARCHAR || CASE WHEN id % 23 = 0 AND mkd THEN ' к. 1' ELSE '' END,
            CASE WHEN mkd THEN 'mkd' ELSE 'house' END, floors, year, house_no, DATE '2010-01-01', NULL
        FROM t_building""")

    # -- premises: MKD units (flats; communal flats with 3 rooms), non-residential, houses
    unit_b = np.repeat(b_id[:nb_mkd], sizes)
    unit_starts = np.r_[0, np.cumsum(sizes)[:-1]]
    unit_no = np.arange(n_units) - np.repeat(unit_starts, sizes) + 1
    comm_units = np.sort(rng.choice(n_units, size=n_comm, replace=False)) if n_comm else np.empty(0, np.int64)
    unit_comm = np.zeros(n_units, dtype=bool)
    unit_comm[comm_units] = True
    unit_rooms = np.where(unit_comm, 3, rng.choice([1, 2, 3, 4], n_units, p=[0.3, 0.38, 0.25, 0.07]))
    unit_area = np.round(18 + unit_rooms * rng.uniform(12.0, 19.0, n_units), 1)
    # premise ids: units first, then rooms of communal flats, then houses, then non-residential
    unit_pid = np.arange(1, n_units + 1, dtype=np.int64)
    room_parent = np.repeat(unit_pid[unit_comm], 3)
    room_no = np.tile(np.arange(1, 4), n_comm)
    n_rooms = 3 * n_comm
    room_pid = np.arange(n_units + 1, n_units + n_rooms + 1, dtype=np.int64)
    room_b = np.repeat(unit_b[unit_comm], 3)
    room_area = np.round(np.repeat(unit_area[unit_comm], 3) * np.tile([0.27, 0.22, 0.18], n_comm), 1)
    unit_no_comm = np.repeat(unit_no[unit_comm], 3)
    house_pid = np.arange(n_units + n_rooms + 1, n_units + n_rooms + n_houses + 1, dtype=np.int64)
    house_area = np.round(rng.uniform(35.0, 160.0, n_houses), 1)
    house_rooms = rng.choice([1, 2, 3, 4], n_houses, p=[0.1, 0.3, 0.4, 0.2])
    house_b = b_id[nb_mkd:]
    n_nonres_b = rng.choice([0, 0, 1, 1, 2, 3], nb_mkd)
    nonres_b = np.repeat(b_id[:nb_mkd], n_nonres_b)
    n_nonres = len(nonres_b)
    nonres_pid = np.arange(house_pid[-1] + 1 if n_houses else n_units + n_rooms + 1,
                           (house_pid[-1] + 1 if n_houses else n_units + n_rooms + 1) + n_nonres, dtype=np.int64)
    nonres_start = np.r_[0, np.cumsum(n_nonres_b)[:-1]]
    nonres_no = np.arange(n_nonres) - np.repeat(nonres_start, n_nonres_b) + 1
    nonres_area = np.round(rng.uniform(40.0, 320.0, n_nonres), 1)
    meter_impossible_house = rng.random(n_houses) < 0.01

    p_id = np.concatenate([unit_pid, room_pid, house_pid, nonres_pid])
    p_b = np.concatenate([unit_b, room_b, house_b, nonres_b])
    p_kind = np.concatenate([np.zeros(n_units, np.int8), np.ones(n_rooms, np.int8),
                             np.zeros(n_houses, np.int8), np.full(n_nonres, 2, np.int8)])
    p_num = np.concatenate([unit_no, unit_no_comm, np.ones(n_houses, np.int64), nonres_no])
    p_sub = np.concatenate([np.zeros(n_units, np.int64), room_no, np.zeros(n_houses, np.int64),
                            np.zeros(n_nonres, np.int64)])
    p_parent = np.concatenate([np.zeros(n_units, np.int64), room_parent, np.zeros(n_houses + n_nonres, np.int64)])
    p_area = np.concatenate([unit_area, room_area, house_area, nonres_area])
    p_rooms = np.concatenate([unit_rooms, np.ones(n_rooms, np.int64), house_rooms, np.ones(n_nonres, np.int64)])
    p_comm = np.concatenate([unit_comm, np.zeros(n_rooms + n_houses + n_nonres, bool)])
    p_imposs = np.concatenate([np.zeros(n_units + n_rooms, bool), meter_impossible_house, np.zeros(n_nonres, bool)])
    _arrow(con, "t_premise", {"id": p_id, "b": p_b, "kind": p_kind, "num": p_num, "sub": p_sub,
                              "parent": p_parent, "area": p_area, "rooms": p_rooms.astype(np.int8),
                              "comm": p_comm, "imposs": p_imposs})
    con.execute("""
        INSERT INTO premise SELECT id, b,
            CASE kind WHEN 0 THEN num::VARCHAR WHEN 1 THEN num::VARCHAR || '-' || sub::VARCHAR
                      ELSE 'Н' || num::VARCHAR END,
            CASE kind WHEN 0 THEN 'flat' WHEN 1 THEN 'room' ELSE 'nonres' END,
            nullif(parent, 0), NULL, area::DECIMAL(12, 2), rooms, comm, imposs
        FROM t_premise""")

    # -- building facts: areas from premises, management, common area, soi category
    res_area = np.bincount(p_b[p_kind != 2] - 1, weights=np.where(p_parent[p_kind != 2] > 0, 0.0, p_area[p_kind != 2]), minlength=NB)
    nres_area = np.bincount(nonres_b - 1, weights=nonres_area, minlength=NB)
    common_area = np.round((res_area + nres_area) * rng.uniform(0.10, 0.18, NB), 1)
    mgmt_codes = np.array(["uk", "tszh", "zhsk", "direct", "none"])
    mgmt = rng.choice(5, NB, p=[0.68, 0.14, 0.05, 0.08, 0.05])
    manager = np.where(mgmt == 0, rng.choice([1, 2, 3], NB), np.where(mgmt == 1, 4, np.where(mgmt == 2, 5, 0)))
    _arrow(con, "t_bfact", {"id": b_id[:nb_mkd], "mgmt": mgmt_codes[mgmt[:nb_mkd]], "mgr": manager[:nb_mkd],
                            "res": np.round(res_area[:nb_mkd], 2), "nres": np.round(nres_area[:nb_mkd], 2),
                            "com": common_area[:nb_mkd], "lift": floors[:nb_mkd] >= 9})
    con.execute("""
        INSERT INTO building_fact SELECT id, DATE '2010-01-01', NULL, mgmt, nullif(mgr, 0),
            res::DECIMAL(12, 2), nres::DECIMAL(12, 2), com::DECIMAL(12, 2),
            CASE WHEN lift THEN 'lift' ELSE 'no_lift' END
        FROM t_bfact""")
    # direct management: the decision of the owners' general meeting; one supply point per building
    con.execute("""
        INSERT INTO building_direct_contract SELECT id, DATE '2018-07-01', NULL,
            'Решение общего собрания собственников № ' || (id % 97 + 1)::VARCHAR || ' от 15.06.2018'
        FROM t_bfact WHERE mgmt = 'direct'""")
    con.execute("""
        INSERT INTO supply_point SELECT id, id, 'TP' || lpad(id::VARCHAR, 8, '0'),
            'ВРУ-0,4 кВ дома, ТП-' || (id % 400 + 1)::VARCHAR, 'НН', DATE '2010-01-01', NULL
        FROM t_bfact""")

    # -- accounts: flats (not communal), rooms, houses — in premise id order
    acc_premise = np.concatenate([unit_pid[~unit_comm], room_pid, house_pid])
    assert len(acc_premise) == A, (len(acc_premise), A)
    acc_b = np.concatenate([unit_b[~unit_comm], room_b, house_b])
    acc_is_mkd = acc_b <= nb_mkd
    acc_id = np.arange(1, A + 1, dtype=np.int64)
    female = rng.random(A) < 0.55
    ln = rng.integers(0, 600, A); fn = rng.integers(0, 150, A); mn = rng.integers(0, 120, A)
    opened = (np.datetime64("2012-01-01") + rng.integers(0, 365 * 13, A).astype("timedelta64[D]"))
    opened = np.minimum(opened, np.datetime64("2025-06-01"))
    email = rng.random(A) < 0.35
    consent = email & (rng.random(A) < 0.7)
    for k in ("last_m", "last_f", "first_m", "first_f", "middle_m", "middle_f"):
        _arrow(con, f"t_{k}", {"i": np.arange(len(pools[k])), "v": pools[k]})
    _arrow(con, "t_acc", {"id": acc_id, "premise": acc_premise, "f": female, "ln": ln % 600, "fn": fn, "mn": mn,
                          "opened": opened, "email": email, "consent": consent,
                          "phone": rng.integers(9000000000, 9999999999, A)})
    con.execute(f"""
        INSERT INTO account
        SELECT a.id, '31' || lpad(a.id::VARCHAR, 8, '0'),
            CASE WHEN a.f THEN lf.v || ' ' || ff.v || ' ' || mf.v ELSE lm.v || ' ' || fm.v || ' ' || mm.v END,
            a.premise, a.opened, NULL,
            CASE WHEN a.email THEN 'ls' || a.id::VARCHAR || '@example.ru' END,
            '+7' || a.phone::VARCHAR, a.consent
        FROM t_acc a
        JOIN t_last_m lm ON lm.i = a.ln % {len(pools['last_m'])}
        JOIN t_last_f lf ON lf.i = a.ln % {len(pools['last_f'])}
        JOIN t_first_m fm ON fm.i = a.fn % {len(pools['first_m'])}
        JOIN t_first_f ff ON ff.i = a.fn % {len(pools['first_f'])}
        JOIN t_middle_m mm ON mm.i = a.mn % {len(pools['middle_m'])}
        JOIN t_middle_f mf ON mf.i = a.mn % {len(pools['middle_f'])}
        ORDER BY a.id""")

    # -- account facts: residents, equipment, tariff group; 2 % change residents mid-month
    residents = rng.choice([0, 1, 2, 3, 4, 5, 6], A, p=[0.05, 0.22, 0.30, 0.22, 0.13, 0.06, 0.02])
    b_year = year[acc_b - 1]
    stove = acc_is_mkd & (b_year >= 1975) & (rng.random(A) < 0.55)
    heating = (~acc_is_mkd) & (rng.random(A) < 0.12)
    equipment = np.where(heating, 2, np.where(stove | ((~acc_is_mkd) & (rng.random(A) < 0.3)), 1, 0))
    settlement_rural = np.isin(street[acc_b - 1], rural_streets)
    group = np.where(settlement_rural, 2, np.where(equipment > 0, 1, 0))
    owners = rng.choice([1, 1, 1, 2, 2, 3], A)
    registered = np.maximum(residents - (rng.random(A) < 0.1), 0)
    change = rng.random(A) < 0.02
    ch_day = np.datetime64("2025-12-01") + rng.integers(0, 360, A).astype("timedelta64[D]")
    ch_res = np.clip(residents + rng.choice([-1, 1, 2], A), 0, 8)
    eq_codes = np.array(["none", "stove", "stove_heating"])
    gr_codes = np.array(["urban", "urban_stove", "rural"])
    f_acc = np.concatenate([acc_id, acc_id[change]])
    f_from = np.concatenate([opened, ch_day[change]])
    f_to = np.concatenate([np.where(change, ch_day, np.datetime64("NaT")), np.full(change.sum(), np.datetime64("NaT"))])
    f_res = np.concatenate([residents, ch_res[change]])
    f_reg = np.concatenate([registered, ch_res[change]])
    _arrow(con, "t_fact", {"acc": f_acc, "vf": f_from.astype("datetime64[D]"),
                           "vt": pa.array(f_to.astype("datetime64[D]"), mask=np.isnat(f_to)),
                           "res": f_res.astype(np.int16), "reg": f_reg.astype(np.int16),
                           "own": np.concatenate([owners, owners[change]]).astype(np.int16),
                           "eq": eq_codes[np.concatenate([equipment, equipment[change]])],
                           "gr": gr_codes[np.concatenate([group, group[change]])]})
    con.execute("INSERT INTO account_fact SELECT acc, vf, vt, reg, res, own, eq, gr FROM t_fact")
    # temporary absences for unmetered houses where a meter cannot be installed
    imposs_acc = acc_id[np.isin(acc_premise, house_pid[meter_impossible_house])]
    if len(imposs_acc):
        absent = imposs_acc[rng.random(len(imposs_acc)) < 0.3]
        start = np.datetime64("2026-06-03") + rng.integers(0, 120, len(absent)).astype("timedelta64[D]")
        _arrow(con, "t_abs", {"acc": absent, "f": start, "t": start + rng.integers(5, 40, len(absent)).astype("timedelta64[D]")})
        con.execute("INSERT INTO absence SELECT acc, f, t, 'Справка о временном отсутствии' FROM t_abs")

    # -- metering points: one per account; rooms point to their communal flat's shared point
    mp_acc = acc_id
    n_shared = n_comm
    shared_mp = np.arange(A + 1, A + n_shared + 1, dtype=np.int64)
    parent = np.zeros(A, dtype=np.int64)
    n_flat_acc = mkd_flat_accounts
    parent[n_flat_acc:n_flat_acc + n_rooms] = np.repeat(shared_mp, 3)
    nonres_mp = np.arange(A + n_shared + 1, A + n_shared + n_nonres + 1, dtype=np.int64)
    has_common = rng.random(nb_mkd) < 0.88
    common_b = b_id[:nb_mkd][has_common]
    common_mp = np.arange(nonres_mp[-1] + 1 if n_nonres else A + n_shared + 1,
                          (nonres_mp[-1] + 1 if n_nonres else A + n_shared + 1) + len(common_b), dtype=np.int64)
    # zones by account: 1 (70 %), 2 (27 %), 3 (3 %)
    zones = rng.choice([1, 2, 3], A, p=[0.70, 0.27, 0.03])
    zones[n_flat_acc:n_flat_acc + n_rooms] = 1
    shared_zones = np.ones(n_shared, dtype=np.int64)
    connected = opened
    mp_id = np.concatenate([acc_id, shared_mp, nonres_mp, common_mp])
    mp_kind = np.concatenate([np.zeros(A, np.int8), np.ones(n_shared, np.int8), np.zeros(n_nonres, np.int8),
                              np.full(len(common_b), 2, np.int8)])
    mp_account = np.concatenate([mp_acc, np.zeros(n_shared + n_nonres + len(common_b), np.int64)])
    mp_premise = np.concatenate([acc_premise, unit_pid[unit_comm], nonres_pid, np.zeros(len(common_b), np.int64)])
    mp_building = np.concatenate([np.zeros(A + n_shared + n_nonres, np.int64), common_b])
    mp_parent = np.concatenate([parent, np.zeros(n_shared + n_nonres + len(common_b), np.int64)])
    mp_zones = np.concatenate([zones, shared_zones, np.ones(n_nonres, np.int64),
                               np.ones(len(common_b), np.int64)])
    mp_conn = np.concatenate([connected, np.full(n_shared + n_nonres + len(common_b), np.datetime64("2010-01-01"))])
    _arrow(con, "t_mp", {"id": mp_id, "kind": mp_kind, "acc": mp_account, "prem": mp_premise, "b": mp_building,
                         "parent": mp_parent, "zones": mp_zones.astype(np.int8), "conn": mp_conn.astype("datetime64[D]")})
    con.execute("""
        INSERT INTO metering_point SELECT id, CASE kind WHEN 0 THEN 'individual' WHEN 1 THEN 'shared' ELSE 'common' END,
            nullif(acc, 0), nullif(prem, 0), nullif(b, 0), nullif(parent, 0), 'electricity', zones, conn, NULL
        FROM t_mp""")
    # supply state: connected from the start; 0.4 % disconnected and 0.2 % restricted during the year
    disc = rng.random(A) < 0.006
    state_day = np.datetime64("2026-01-10") + rng.integers(0, 300, A).astype("timedelta64[D]")
    restricted = disc & (rng.random(A) < 0.33)
    _arrow(con, "t_ss", {"mp": acc_id, "conn": connected.astype("datetime64[D]"), "chg": disc,
                         "day": state_day.astype("datetime64[D]"), "restr": restricted})
    con.execute("""
        INSERT INTO supply_state SELECT mp, conn, CASE WHEN chg THEN day END, 'connected', NULL FROM t_ss
        UNION ALL
        SELECT mp, day, NULL, CASE WHEN restr THEN 'restricted' ELSE 'disconnected' END,
               'Задолженность: уведомление за 20 дней' FROM t_ss WHERE chg""")
    # the individual points of metered accounts: 80 % of regular accounts; rooms share their flat's meter
    metered = rng.random(A) < 0.80
    metered[n_flat_acc:n_flat_acc + n_rooms] = False
    metered &= ~np.isin(acc_premise, house_pid[meter_impossible_house])
    shared_metered = rng.random(n_shared) < 0.8
    metered_mp = np.where(metered, acc_id, 0)
    metered_mp[n_flat_acc:n_flat_acc + n_rooms] = np.where(np.repeat(shared_metered, 3), parent[n_flat_acc:n_flat_acc + n_rooms], 0)
    base_acc = 45 + 48 * np.maximum(residents, 1) + np.where(equipment == 1, 70, np.where(equipment == 2, 260, 0))
    base_shared = np.bincount(np.repeat(np.arange(n_shared), 3), weights=base_acc[n_flat_acc:n_flat_acc + n_rooms],
                              minlength=n_shared)
    unmetered = metered_mp == 0
    return _Region(
        n_buildings=NB,
        meter_points=np.concatenate([acc_id[metered], shared_mp[shared_metered], nonres_mp]),
        meter_zones=np.concatenate([zones[metered], shared_zones[shared_metered], np.ones(n_nonres, np.int64)]),
        # monthly base consumption per metered point, kWh
        meter_base=np.concatenate([base_acc[metered], base_shared[shared_metered], rng.uniform(300, 2500, n_nonres)]),
        meter_building=np.concatenate([acc_b[metered], unit_b[unit_comm][shared_metered], nonres_b]),
        unmetered_base=np.bincount(acc_b[unmetered] - 1, weights=base_acc[unmetered], minlength=NB),
        common_mp=common_mp,
        common_b=common_b,
        access_refused=acc_id[metered & (rng.random(A) < 0.002)],
    )


def sizes_full(sizes: np.ndarray, nb: int) -> np.ndarray:
    """Flats per building padded with zeros for private houses."""
    out = np.zeros(nb, dtype=np.int64)
    out[: len(sizes)] = sizes
    return out
