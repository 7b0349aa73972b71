"""The demo's reference data: the supplier, tariff groups and tariffs by validity step and zone,
normatives, the СОИ normatives, the managing organisations."""

from __future__ import annotations

from datetime import date

import numpy as np

from sbyt.core.demo.shape import DemoShape
from sbyt.core.store import Store


def _inn10(rng: np.random.Generator) -> str:
    """A 10-digit legal-entity INN with a valid check digit."""
    digits = [int(d) for d in f"{rng.integers(10**8, 10**9):09d}"]
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(w * d for w, d in zip(weights, digits)) % 11 % 10
    return "".join(map(str, digits)) + str(check)


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
