"""The demo's addresses: districts, each with a town and villages, and their streets."""

from __future__ import annotations

import numpy as np

from sbyt.core.demo.shape import DemoShape, _arrow
from sbyt.core.store import Store


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
