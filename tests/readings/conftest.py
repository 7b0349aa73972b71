"""A small store for the reading-control tests, built once through `sbyt load` and copied per test.

Accounts (open period 2026-01; window 01.01.2026 – 25.02.2026):
  1000000001 — meter 12345678, 6 digits, monthly readings 9734 … 10234 (25.07–25.12.2025, ~99 kWh/month);
  1000000002 — meter 555, 5 digits, last reading 99950 (near the end of the dial);
  1000000003 — meter 777 removed on 21.01.2026;
  1000000004 — no meter.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sbyt.console.cli import files
from sbyt.console.cli.load import write_templates
from sbyt.core.loading import load_tables
from sbyt.core.reference import install_reference
from sbyt.core.store import Store, open_store
from sbyt.io.tabular import parse_directory


def _append(path: Path, *lines: str) -> None:
    with path.open("ab") as f:
        for line in lines:
            f.write(line.encode("utf-8") + b"\r\n")


@pytest.fixture(scope="session")
def readings_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("readings")
    tpl = base / "tpl"
    write_templates(tpl)
    _append(tpl / "premises.csv", *(f"B0001;{n};flat;;;40;1;нет;нет" for n in (13, 14, 15)))
    _append(tpl / "accounts.csv", *(f"100000000{i};Абонент {i};B0001;{11 + i};2015-03-01;;;;нет" for i in (2, 3, 4)))
    _append(tpl / "account_facts.csv", *(f"100000000{i};2015-03-01;;1;1;1;none;urban" for i in (2, 3, 4)))
    _append(tpl / "metering_points.csv", *(f"individual;100000000{i};;;electricity;1;2015-03-01;;" for i in (2, 3, 4)))
    _append(tpl / "meters.csv", "1000000002;;;electricity;Нева 101;555;5;1;1;2016-01-01;;;;working;",
            "1000000003;;;electricity;Нева 101;777;6;1;1;2016-01-01;2026-01-21;;;working;")
    _append(tpl / "readings.csv", *(f"12345678;Меркурий 201.8;1;2025-{m:02d}-25;{9734 + 100 * (m - 7)};regular;load"
                                    for m in range(7, 12)),
            "555;Нева 101;1;2025-12-25;99950;regular;load", "777;Нева 101;1;2025-12-25;500;regular;load")
    db = base / "r.duckdb"
    st = open_store(db)
    install_reference(st)
    tables, sha = parse_directory(files.directory(tpl))
    load_tables(st, tables, source="tpl", sha256=sha, period=202601)
    st.close()
    return db


@pytest.fixture
def rdb(readings_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "r.duckdb"
    shutil.copy(readings_db, db)
    return db


@pytest.fixture
def rstore(rdb: Path) -> Store:
    st = open_store(rdb)
    yield st
    st.close()
