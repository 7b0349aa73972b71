"""Report fixtures: a tiny hand-made store with every hard case of the catalog reports.

Two districts (one without buildings), a block of flats and a private house, accounts with a
long Cyrillic name, a negative balance (advance), kopeck-exact amounts, a recalculation, a
penalty, a write-off, two months of postings, accrual lines by several methods and rejected
readings. Amounts are chosen so that totals are easy to check by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sbyt.core.store import open_store

MINI_SQL = """
INSERT INTO billing_period VALUES (202610, 'closed', TIMESTAMP '2026-10-01 00:00:00', NULL, NULL, 'test'),
                                  (202611, 'open',   TIMESTAMP '2026-11-01 00:00:00', NULL, NULL, NULL);
INSERT INTO district VALUES (1, 'N', 'Северный район'), (2, 'S', 'Южный район'), (3, 'E', 'Пустой район');
INSERT INTO settlement VALUES (1, 'N1', 1, 'г. Северск', 'urban'), (2, 'S1', 2, 'с. Южное', 'rural');
INSERT INTO street VALUES (1, 'N1-1', 1, 'ул. Ленина'), (2, 'S1-1', 2, 'пер. Школьный');
INSERT INTO building (id, code, street_id, house_no, kind, route_order) VALUES
    (1, 'B1', 1, '10', 'mkd', 1), (2, 'B2', 2, '3а', 'house', 1);
INSERT INTO premise (id, building_id, number, kind, area) VALUES
    (1, 1, '1', 'flat', 45.5), (2, 1, '2', 'flat', 60), (3, 1, '3', 'flat', 30), (4, 2, '1', 'flat', 80);
INSERT INTO account (id, number, holder_name, premise_id, opened) VALUES
    (1, '1000000001', 'Иванов Иван Иванович', 1, DATE '2020-01-01'),
    (2, '1000000002', 'Константинопольская-Щербатова Александра Вячеславовна', 2, DATE '2020-01-01'),
    (3, '1000000003', 'Петров П. П.', 3, DATE '2020-01-01'),
    (4, '2000000001', 'Сидорова Анна', 4, DATE '2020-01-01'),
    (5, '2000000002', 'Без движения', 4, DATE '2020-01-01');
-- kind: opening, accrual, recalc, payment, penalty, refund, transfer, writeoff (payments negative)
INSERT INTO posting (id, account_id, service, kind, period, for_period, amount_kop, op_date) VALUES
    (1, 1, 'electricity', 'opening', 202610, 202609, 100000, DATE '2026-10-01'),
    (2, 1, 'electricity', 'accrual', 202610, 202610, 38720, DATE '2026-10-31'),
    (3, 1, 'electricity', 'payment', 202610, 202610, -100000, DATE '2026-10-15'),
    (4, 1, 'electricity', 'accrual', 202611, 202611, 38221, DATE '2026-11-30'),
    (5, 1, 'odn', 'accrual', 202611, 202611, 9680, DATE '2026-11-30'),
    (6, 1, 'electricity', 'payment', 202611, 202611, -38720, DATE '2026-11-10'),
    (7, 2, 'electricity', 'accrual', 202610, 202610, 123456789, DATE '2026-10-31'),
    (8, 2, 'electricity', 'accrual', 202611, 202611, 1, DATE '2026-11-30'),
    (9, 2, 'electricity', 'recalc', 202611, 202610, -56, DATE '2026-11-30'),
    (10, 2, 'penalty', 'penalty', 202611, 202611, 8000, DATE '2026-11-30'),
    (11, 3, 'electricity', 'payment', 202611, 202611, -50001, DATE '2026-11-05'),
    (12, 4, 'electricity', 'opening', 202610, 202609, 5055, DATE '2026-10-01'),
    (13, 4, 'electricity', 'writeoff', 202611, 202609, -5055, DATE '2026-11-30'),
    (14, 4, 'electricity', 'accrual', 202611, 202611, 40000, DATE '2026-11-30');
INSERT INTO accrual_line (id, period, for_period, account_id, service, method, volume_wh, amount_kop, vat_kop, status) VALUES
    (1, 202611, 202611, 1, 'electricity', 'readings', 150000, 38221, 6892, 'draft'),
    (2, 202611, 202611, 1, 'odn', 'odn_meter', 50000, 9680, 1746, 'draft'),
    (3, 202611, 202611, 2, 'electricity', 'normative', 1, 1, 0, 'draft'),
    (4, 202611, 202610, 2, 'electricity', 'recalc', -29, -56, -10, 'draft'),
    (5, 202611, 202611, 4, 'electricity', 'average', 130000, 40000, 7213, 'draft'),
    (6, 202610, 202610, 1, 'electricity', 'readings', 200000, 38720, 6982, 'posted');
INSERT INTO metering_point (id, kind, account_id, connected) VALUES (1, 'individual', 1, DATE '2020-01-01'),
                                                                   (2, 'individual', 4, DATE '2020-01-01');
INSERT INTO metering_point (id, kind, building_id, connected) VALUES (3, 'common', 1, DATE '2020-01-01');
INSERT INTO meter (id, metering_point_id, model, serial, installed) VALUES
    (1, 1, 'Меркурий 201', 'SN-001', DATE '2020-01-01'), (2, 2, 'Нева 101', 'SN-002', DATE '2020-01-01'),
    (3, 3, 'ЦЭ6803', 'ODPU-1', DATE '2020-01-01');
INSERT INTO reading (id, meter_id, zone, read_on, value, source, status, reason) VALUES
    (1, 1, 1, DATE '2026-11-20', 1500, 'portal', 'accepted', NULL),
    (2, 1, 1, DATE '2026-11-21', 150, 'operator', 'rejected', 'Показание меньше предыдущего (1 500)'),
    (3, 2, 1, DATE '2026-10-25', 99999, 'file', 'rejected', 'Расход больше допустимого'),
    (4, 3, 1, DATE '2026-11-25', 10, 'controller', 'rejected', 'Показание меньше предыдущего');
"""


def build_mini(path: Path) -> Path:
    with open_store(path) as st, st.transaction() as con:
        con.execute(MINI_SQL)
    return path


@pytest.fixture(scope="session")
def _mini_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini(tmp_path_factory.mktemp("mini") / "mini.duckdb")


@pytest.fixture
def mini_db(_mini_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the tiny report store (open period 2026-11)."""
    import shutil

    path = tmp_path / "mini.duckdb"
    shutil.copyfile(_mini_template, path)
    return path
