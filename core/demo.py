"""A synthetic but realistic demo region, built in bulk and deterministically from a seed.

The region: a few districts, each with a town and villages; apartment buildings (МКД) with flats,
communal flats and non-residential premises; private houses; about 80 % metered accounts with
13 months of reading history (single-, two- and three-zone meters, non-submitters, broken and
expired meters, replacements with rollover), unmetered dwellings, mid-month changes of residents,
common meters (ОДПУ) on most apartment buildings, opening balances.

Everything is generated with NumPy from one `numpy.random.Generator` and written through Arrow in
a few bulk INSERT ... SELECT statements, so 1 000 000 accounts take seconds, not hours. Names come
from pools drawn once from Faker's ru_RU provider (seeded), never from a per-row Faker call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from sbyt.core.money import format_rub
from sbyt.core.periods import add_months, first_day, period_label
from sbyt.core.reference import install_reference
from sbyt.core.search import refresh_search_index
from sbyt.core.store import Store

Progress = Callable[[str, float], None]  # (stage description, fraction done 0..1)

# The demo's "today": the open month is November 2026, readings run from November 2025.
OPEN_PERIOD = 202611
HISTORY_MONTHS = 13            # 202511 .. 202611 inclusive: 202511 gives the baseline reading
MAX_CYCLE_MONTHS = HISTORY_MONTHS - 2   # the first calculated month needs the baseline before it
READ_DAY_MIN, READ_DAY_MAX = 18, 25
CHUNK = 1_000_000              # meters per chunk when generating readings


@dataclass(frozen=True)
class DemoShape:
    accounts: int
    districts: int
    mkd_accounts: int
    communal_flats: int


def _shape(accounts: int) -> DemoShape:
    districts = int(min(60, max(3, accounts // 150_000)))
    communal = accounts // 400
    mkd = int(round(accounts * 0.72))
    return DemoShape(accounts, districts, mkd, communal)


# ------------------------------------------------------------------------------------------- pools
def _pools(seed: int) -> dict[str, list[str]]:
    from faker import Faker

    fk = Faker("ru_RU")
    fk.seed_instance(seed)

    def uniq(fn: Callable[[], str], n: int, ok: Callable[[str], bool] = lambda s: True) -> list[str]:
        seen: dict[str, None] = {}
        for _ in range(n * 4):
            v = fn()
            if ok(v):
                seen.setdefault(v, None)
            if len(seen) >= n:
                break
        return list(seen)

    plain = lambda s: "(" not in s and "-" not in s and len(s) < 16  # noqa: E731
    return {
        "last_m": uniq(fk.last_name_male, 600),
        "last_f": uniq(fk.last_name_female, 600),
        "first_m": uniq(fk.first_name_male, 150),
        "first_f": uniq(fk.first_name_female, 150),
        "middle_m": uniq(fk.middle_name_male, 120),
        "middle_f": uniq(fk.middle_name_female, 120),
        "street": uniq(fk.street_title, 400, plain),
        "city": uniq(fk.city_name, 400, plain),
        "company": uniq(fk.last_name_male, 50),
    }


def _arrow(con, name: str, columns: dict[str, np.ndarray | list]) -> None:
    con.register(name, pa.table({k: pa.array(v) for k, v in columns.items()}))


def _inn10(rng: np.random.Generator) -> str:
    """A 10-digit legal-entity INN with a valid check digit."""
    digits = [int(d) for d in f"{rng.integers(10**8, 10**9):09d}"]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(w * d for w, d in zip(weights, digits)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


# ------------------------------------------------------------------------------------ reference
TARIFF_GROUPS = [
    ("urban", "Городское население", "urban"),
    ("urban_stove", "Городское население с электроплитами и (или) электроотоплением", "urban_stove"),
    ("rural", "Сельское население", "rural"),
]
# Single-rate prices incl. VAT, RUB/kWh, by validity start: the January 2026 step (VAT 22 %) and
# the October 2026 indexation.
TARIFF_STEPS = [
    (date(2025, 7, 1), {"urban": 6.43, "urban_stove": 4.50, "rural": 4.50}),
    (date(2026, 1, 1), {"urban": 6.54, "urban_stove": 4.58, "rural": 4.58}),
    (date(2026, 10, 1), {"urban": 7.32, "urban_stove": 5.13, "rural": 5.13}),
]
ZONE_FACTORS = {1: [1.0], 2: [1.16, 0.52], 3: [1.27, 1.0, 0.52]}
NORM_BASE = {"none": [102, 128, 145, 158], "stove": [133, 166, 188, 205], "stove_heating": [226, 282, 320, 350]}
NORM_SIZE = [1.0, 0.62, 0.48, 0.39, 0.34]


def _reference(store: Store, rng: np.random.Generator, pools: dict[str, list[str]], shape: DemoShape) -> None:
    con = store.con
    con.execute(
        "INSERT INTO supplier VALUES (DATE '2015-01-01', NULL, 'АО «Демоэнергосбыт»', ?, '770101001',"
        " '40702810938000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',"
        " '123100, г. Москва, ул. Энергетиков, д. 1', '+7 (800) 555-35-35', 'info@demo-sbyt.ru', 'demo-sbyt.ru')",
        [_inn10(rng)],
    )
    con.executemany("INSERT INTO tariff_group VALUES (?, ?, ?)", TARIFF_GROUPS)
    rows = []
    for i, (start, prices) in enumerate(TARIFF_STEPS):
        end = TARIFF_STEPS[i + 1][0] if i + 1 < len(TARIFF_STEPS) else None
        for group, single in prices.items():
            for zones, factors in ZONE_FACTORS.items():
                for zone, f in enumerate(factors, start=1):
                    rows.append((group, zones, zone, start, end, round(single * f, 2)))
    con.executemany("INSERT INTO tariff VALUES (?, ?, ?, ?, ?, ?)", rows)
    norms = []
    for equipment, base in NORM_BASE.items():
        for rooms in range(1, 5):
            for residents in range(1, 6):
                norms.append((rooms, residents, equipment, date(2017, 1, 1), None,
                              round(base[rooms - 1] * NORM_SIZE[residents - 1])))
    con.executemany("INSERT INTO normative VALUES (?, ?, ?, ?, ?, ?)", norms)
    con.executemany("INSERT INTO soi_normative VALUES (?, ?, ?, ?)",
                    [("lift", date(2017, 1, 1), None, 1.34), ("no_lift", date(2017, 1, 1), None, 0.62)])
    managers = [(1, "UK1", f"ООО «УК {pools['company'][0]}»", "uk", _inn10(rng), "770101001"),
                (2, "UK2", f"ООО «Жилсервис {pools['company'][1]}»", "uk", _inn10(rng), "770101001"),
                (3, "UK3", "ООО «УК Комфорт»", "uk", _inn10(rng), "770101001"),
                (4, "TSZH1", f"ТСЖ «{pools['street'][0]}»", "tszh", _inn10(rng), "770101001"),
                (5, "ZHSK1", "ЖСК «Энергетик»", "zhsk", _inn10(rng), "770101001")]
    con.executemany("INSERT INTO manager VALUES (?, ?, ?, ?, ?, ?)", managers)


# ------------------------------------------------------------------------------------ addresses
def _district_name(town: str) -> str:
    """«Апшеронск» -> «Апшеронский район», «Владимир» -> «Владимирский район», else «Район «Тверь»»."""
    if town.endswith("ск"):
        return f"{town}ий район"
    if town[-1] in "бвгдзклмнпрстфхцчшщ":
        return f"{town}ский район"
    return f"Район «{town}»"


def _addresses(store: Store, rng: np.random.Generator, pools: dict[str, list[str]], shape: DemoShape):
    """Districts, settlements and streets. Returns (urban street ids, rural street ids)."""
    con = store.con
    cities = pools["city"]
    districts, settlements, streets = [], [], []
    urban_streets, rural_streets = [], []
    sid = 0
    st_id = 0
    street_kinds = ["ул.", "ул.", "ул.", "пр-т", "пер.", "ш.", "б-р"]
    per_town = max(12, shape.accounts // shape.districts // 900)
    ci = 0
    for d in range(1, shape.districts + 1):
        town = cities[ci % len(cities)]; ci += 1
        districts.append((d, f"D{d:02d}", _district_name(town)))
        n_villages = 4
        for s in range(n_villages + 1):
            sid += 1
            urban = s == 0
            name = f"г. {town}" if urban else f"{'с.' if s % 2 else 'д.'} {cities[ci % len(cities)]}"
            if not urban:
                ci += 1
            settlements.append((sid, f"S{sid:04d}", d, name, "urban" if urban else "rural"))
            n_streets = per_town if urban else max(3, per_town // 6)
            for k in range(n_streets):
                st_id += 1
                base = pools["street"][(st_id * 7 + k) % len(pools["street"])]
                kind = street_kinds[(st_id + k) % len(street_kinds)]
                streets.append((st_id, f"ST{st_id:06d}", sid, f"{kind} {base}"))
                (urban_streets if urban else rural_streets).append(st_id)
    con.executemany("INSERT INTO district VALUES (?, ?, ?)", districts)
    con.executemany("INSERT INTO settlement VALUES (?, ?, ?, ?, ?)", settlements)
    _arrow(con, "t_street", {"id": [s[0] for s in streets], "code": [s[1] for s in streets],
                             "sid": [s[2] for s in streets], "name": [s[3] for s in streets]})
    con.execute("INSERT INTO street SELECT id, code, sid, name FROM t_street")
    return np.array(urban_streets, dtype=np.int64), np.array(rural_streets, dtype=np.int64)


# ------------------------------------------------------------------------------------ the region
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


def build_demo(store: Store, accounts: int, seed: int = 7, months: int = 0,
               progress: Progress | None = None) -> dict[str, object]:
    """Fill an empty store with a demo region; returns a deterministic summary.

    The first open period is `months` months before 2026-11, so that the demo's monthly cycle
    (`sbyt.calc.demo_cycle`, which needs the engine and lives above core) can then calculate,
    take payments and close `months` months, ending with the open month 2026-11.
    """
    if not 0 <= months <= MAX_CYCLE_MONTHS:
        raise ValueError(f"демо-регион: от 0 до {MAX_CYCLE_MONTHS} месяцев цикла")
    if accounts < 100:
        raise ValueError("демо-регион: не меньше 100 лицевых счетов")
    if store.scalar("SELECT count(*) FROM account"):
        from sbyt.core.errors import RefusedError

        raise RefusedError(f"База {store.path} уже содержит лицевые счета: демо-регион строится только в пустой базе.")
    tick = progress or (lambda stage, frac: None)
    rng = np.random.default_rng(seed)
    shape = _shape(accounts)
    pools = _pools(seed)
    first_period = add_months(OPEN_PERIOD, -months)
    install_reference(store)
    with store.transaction():
        tick("Справочники", 0.0)
        _reference(store, rng, pools, shape)
        urban_streets, rural_streets = _addresses(store, rng, pools, shape)
        tick("Дома и помещения", 0.05)
        region = _buildings_and_accounts(store, rng, pools, shape, urban_streets, rural_streets)
        tick("Приборы учёта", 0.35)
        _meters_and_readings(store, rng, region, tick)
        tick("Сальдо на начало", 0.95)
        _opening_balances(store, rng, accounts, first_period)
        store.execute("INSERT INTO billing_period (period, status) VALUES (?, 'open')", [first_period])
        _sync_sequences(store)
        store.set_meta("demo", f"accounts={accounts};seed={seed}")
    tick("Поисковый индекс", 0.98)
    refresh_search_index(store)
    tick("Готово", 1.0)
    return summary(store)


def _sync_sequences(store: Store) -> None:
    """After bulk inserts with explicit ids, restart the sequences past the highest id."""
    for seq, table in [("reading_seq", "reading"), ("posting_seq", "posting"), ("seal_seq", "seal"),
                       ("meter_act_seq", "meter_act"), ("import_batch_seq", "import_batch"),
                       ("audit_log_seq", "audit_log")]:
        nxt = store.next_id(table)
        store.execute(f"CREATE OR REPLACE SEQUENCE {seq} START {nxt}")


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


def _opening_balances(store: Store, rng: np.random.Generator, accounts: int, first_period: int) -> None:
    """Debts (and a few advances) brought from the old system at the start of the first period.

    Most debts are last month's bill; a quarter of the debtors owe for 2 to 12 months, one posting
    per month owed, so that penalties accrue from the first calculated month as in a real region.
    """
    has = rng.random(accounts) < 0.55
    amount = np.where(rng.random(accounts) < 0.12, -rng.integers(100, 150_00, accounts),
                      rng.integers(50_00, 600_00, accounts) * np.where(rng.random(accounts) < 0.08, 8, 1))
    ids = np.flatnonzero(has) + 1
    amount = amount[has]
    months = np.where((amount > 0) & (rng.random(len(ids)) < 0.25), rng.integers(2, 13, len(ids)), 1)
    acc = np.repeat(ids, months)
    age = np.arange(len(acc)) - np.repeat(np.cumsum(months) - months, months) + 1     # 1 .. months
    part = np.repeat(amount // months, months)
    part[np.cumsum(months) - 1] += amount - (amount // months) * months               # remainder to the last
    for_period = np.array([add_months(first_period, -int(k)) for k in range(1, 13)], dtype=np.int32)[age - 1]
    _arrow(store.con, "t_open", {"acc": acc.astype(np.int64), "amt": part.astype(np.int64), "fp": for_period})
    store.execute(f"""
        INSERT INTO posting SELECT row_number() OVER (ORDER BY acc, fp), acc, 'electricity', 'opening', {first_period},
            fp, amt, 0, DATE '{first_day(first_period).isoformat()}', NULL, NULL,
            'Сальдо на начало из прежней системы', current_timestamp
        FROM t_open""")


def _open_label(period: int | None) -> str:
    return period_label(period) if period else "нет"


def summary(store: Store) -> dict[str, object]:
    """Counts and totals that depend only on the store's content (deterministic for a seed)."""
    q = store.scalar
    return {
        "Районов": q("SELECT count(*) FROM district"),
        "Населённых пунктов": q("SELECT count(*) FROM settlement"),
        "Улиц": q("SELECT count(*) FROM street"),
        "МКД": q("SELECT count(*) FROM building WHERE kind = 'mkd'"),
        "Частных домов": q("SELECT count(*) FROM building WHERE kind = 'house'"),
        "Помещений": q("SELECT count(*) FROM premise"),
        "Лицевых счетов": q("SELECT count(*) FROM account"),
        "Коммунальных квартир": q("SELECT count(*) FROM premise WHERE communal"),
        "Приборов учёта (ИПУ)": q("SELECT count(*) FROM meter m JOIN metering_point p ON p.id = m.metering_point_id WHERE p.kind <> 'common'"),
        "ОДПУ": q("SELECT count(*) FROM meter m JOIN metering_point p ON p.id = m.metering_point_id WHERE p.kind = 'common'"),
        "Показаний": q("SELECT count(*) FROM reading"),
        "Открытый период": _open_label(q("SELECT max(period) FROM billing_period WHERE status = 'open'")),
        "Закрытых периодов": q("SELECT count(*) FROM billing_period WHERE status = 'closed'"),
        "Сальдо, ₽": format_rub(int(q("SELECT coalesce(sum(amount_kop), 0) FROM posting"))),
    }
