"""Fixtures of the ОДН tests: worked example 1 of docs/examples.md as a small SQL-loaded building."""

from __future__ import annotations

from pathlib import Path

import pytest

from sbyt.core.store import Store

HERE = Path(__file__).resolve().parent
PERIOD = 202611


def load_sql(store: Store, name: str, **subst: object) -> None:
    """Run a fixture file; a leading `-- include: other.sql` line runs that file first."""
    sql = (HERE / name).read_text(encoding="utf-8")
    first = sql.split("\n", 1)[0]
    if first.startswith("-- include: "):
        sql = (HERE / first.removeprefix("-- include: ").strip()).read_text(encoding="utf-8") + "\n" + sql
    for k, v in subst.items():
        sql = sql.replace("{" + k + "}", str(v))
    with store.transaction() as con:
        con.execute(sql)


@pytest.fixture
def odn_sql():
    """The SQL loader of this folder: odn_sql(store, "file.sql", name=value, ...)."""
    return load_sql


@pytest.fixture
def example1(store: Store) -> Store:
    """Worked example 1: common 12 000 kWh (ratio 10), non-residential 1 000, unmetered flats 4 000,
    metered flats 5 000 (flat 1: 150 kWh, 60 m²), all premises 2 400 m², tariff 1.936, direct management."""
    load_sql(store, "example1.sql", flat1_kwh=150, flat2_kwh=4850)
    return store
