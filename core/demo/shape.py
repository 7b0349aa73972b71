"""The demo's calendar and size, the name pools drawn once from Faker, the Arrow helper every stage
writes through."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa


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
