"""A tiny store with every hard case of a payment document, built with plain SQL inserts.

Period 2026-10 is closed. Accounts:
  1000000001  a flat in a direct-managed building: long name and address, two-zone meter read, ОДН,
              a recalculation of 08.2026 with its reason, a penalty, an advance brought forward, a
              payment; e-mail consent.
  1000000002  a private house without a meter: normative ×1.5, ends the month in advance (to pay 0).
  1000000003  closed before the period: never printed.
  1000000004  another district, e-mail consent with an address the test SMTP server refuses.
"""

from __future__ import annotations

import pytest

from sbyt.core.store import Store

LONG_NAME = ("Белозерская-Оболенская Мария-Антуанетта Константиновна "
             "(законный представитель Петрова-Водкина Анастасия Кирилловна)")
SETTLEMENT = "г. Новоалександровск-на-Амуре (городской округ Новоалександровский)"
STREET = "ул. Героев Краснодона и Молодогвардейцев"

SQL = f"""
INSERT INTO billing_period (period, status) VALUES (202609, 'closed'), (202610, 'closed'), (202611, 'open');
INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс» (гарантирующий поставщик)', '5612042824',
    '561201001', '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example');
INSERT INTO district VALUES (1, 'D1', 'Амурский район'), (2, 'D2', 'Северный район');
INSERT INTO settlement VALUES (1, 'S1', 1, '{SETTLEMENT}', 'urban'), (2, 'S2', 2, 'с. Берёзовка', 'rural');
INSERT INTO street VALUES (1, 'ST1', 1, '{STREET}'), (2, 'ST2', 2, 'ул. Полевая');
INSERT INTO building VALUES (1, 'B1', 1, '101к2', 'mkd', 9, 1985, 1, '2000-01-01', NULL),
    (2, 'B2', 2, '7', 'house', 1, 1960, 1, '2000-01-01', NULL),
    (3, 'B3', 1, '9', 'mkd', 5, 1970, 2, '2000-01-01', NULL);
INSERT INTO building_fact VALUES (1, '2000-01-01', NULL, 'direct', NULL, 2100, 300, 300, 'lift');
INSERT INTO premise (id, building_id, number, kind, area, rooms) VALUES
    (1, 1, '127', 'flat', 54.30, 2), (2, 2, '', 'flat', 80.00, 3), (3, 3, '5', 'flat', 30.00, 1),
    (4, 3, '6', 'flat', 42.00, 2);
INSERT INTO account (id, number, holder_name, premise_id, opened, closed, email, email_consent) VALUES
    (1, '1000000001', '{LONG_NAME}', 1, '2020-01-01', NULL, 'maria@example.org', true),
    (2, '1000000002', 'Петров Пётр Петрович', 2, '2020-01-01', NULL, NULL, false),
    (3, '1000000003', 'Сидоров Сидор', 3, '2020-01-01', '2026-05-31', 'sid@example.org', true),
    (4, '1000000004', 'Кузнецова Анна Ивановна', 4, '2020-01-01', NULL, 'refuse@example.org', true);
INSERT INTO account_fact (account_id, valid_from, residents_registered, residents_living, owners, equipment,
    tariff_group) VALUES
    (1, '2020-01-01', 2, 3, 1, 'none', 'urban'), (2, '2020-01-01', 2, 2, 1, 'stove', 'rural'),
    (3, '2020-01-01', 1, 1, 1, 'none', 'urban'), (4, '2020-01-01', 1, 1, 1, 'none', 'urban');
INSERT INTO tariff_group VALUES ('urban', 'Городское население', 'urban'), ('rural', 'Сельское население', 'rural');
INSERT INTO normative VALUES (2, 3, 'none', '2026-01-01', NULL, 70.000), (3, 2, 'stove', '2026-01-01', NULL, 91.000),
    (2, 1, 'none', '2026-01-01', NULL, 110.000);
INSERT INTO soi_normative VALUES ('lift', '2020-01-01', NULL, 0.5230);
INSERT INTO metering_point (id, kind, account_id, premise_id, zones, connected) VALUES
    (1, 'individual', 1, 1, 2, '2020-01-01'), (2, 'individual', 2, 2, 1, '2020-01-01'),
    (4, 'individual', 4, 4, 1, '2020-01-01');
INSERT INTO meter (id, metering_point_id, model, serial, zones, installed, verified, verification_years) VALUES
    (1, 1, 'Меркурий 201.8', '12345678', 2, '2020-01-01', '2020-01-01', 16),
    (4, 4, 'Нева 101', '555', 1, '2020-01-01', NULL, NULL);
INSERT INTO reading (id, meter_id, zone, read_on, value, source, status) VALUES
    (1, 1, 1, '2026-09-24', 1000, 'portal', 'accepted'), (2, 1, 2, '2026-09-24', 500, 'portal', 'accepted'),
    (3, 1, 1, '2026-10-24', 1150, 'portal', 'accepted'), (4, 1, 2, '2026-10-24', 560, 'portal', 'accepted'),
    (5, 1, 1, '2026-10-25', 999999, 'portal', 'rejected'), (6, 4, 1, '2026-10-20', 4321, 'operator', 'accepted');
INSERT INTO odn_result (period, building_id, method, source, management, billed_to, common_wh, raw_wh, cap_wh,
    odn_wh, area_total, area_common, soi_kwh_per_m2, premises) VALUES
    (202610, 1, 'odn_meter', 'readings', 'direct', 'residents', 12000000, 480000, 156900, 156900, 2400, 300,
     0.5230, 40);
"""

# (id, period, for_period, account, mp, service, zone, method, volume_wh, price, amount, prev, cur,
#  residents, normative_wh, factor_milli, reason)
LINES = [
    (1, 202610, 202610, 1, 1, "electricity", 1, "readings", 150000, "5.71", 85650, 1000, 1150, None, None, None, None),
    (2, 202610, 202610, 1, 1, "electricity", 2, "readings", 60000, "3.20", 19200, 500, 560, None, None, None, None),
    (3, 202610, 202610, 1, 1, "odn", 1, "odn_meter", 12345, "5.71", 7049, None, None, None, None, None, None),
    (4, 202610, 202608, 1, 1, "electricity", 1, "recalc", -20000, "5.71", -11420, None, None, None, None, None,
     "Показания 08.2026 поступили после начисления по среднему"),
    (5, 202610, 202610, 1, None, "penalty", 1, "penalty", 0, None, 1234, None, None, None, None, None, None),
    (6, 202610, 202610, 2, 2, "electricity", 1, "normative", 182000, "5.71", 155883, None, None, 2, 91000, 1500,
     None),
    (7, 202610, 202610, 4, 4, "electricity", 1, "readings", 100000, "5.71", 57100, 4221, 4321, None, None, None,
     None),
]
# Earlier months of account 1 for the consumption chart.
HISTORY = {202511: 190000, 202601: 240000, 202605: 130000, 202609: 205000}
# (account, kind, service, period, for_period, amount)
POSTINGS = [
    (1, "accrual", "electricity", 202609, 202609, 50000), (1, "payment", "electricity", 202609, 202609, -80000),
    (1, "accrual", "electricity", 202610, 202610, 104850), (1, "accrual", "odn", 202610, 202610, 7049),
    (1, "recalc", "electricity", 202610, 202608, -11420), (1, "penalty", "penalty", 202610, 202610, 1234),
    (1, "payment", "electricity", 202610, 202610, -20000),
    (2, "opening", "electricity", 202609, 202609, -200000), (2, "accrual", "electricity", 202610, 202610, 155883),
    (4, "accrual", "electricity", 202610, 202610, 57100),
    (1, "payment", "electricity", 202611, 202611, -51713),  # next month: must not show
]


def fill(store: Store) -> None:
    with store.transaction() as con:
        con.execute(SQL)
        con.executemany(
            "INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, zone, method,"
            " volume_wh, price, amount_kop, prev_value, cur_value, residents, normative_wh, factor_milli, reason,"
            " status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'posted')", LINES)
        con.executemany(
            "INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, method,"
            " volume_wh, price, amount_kop, status) VALUES (?, ?, ?, 1, 1, 'electricity', 'readings', ?, 5.71, 0,"
            " 'posted')", [(100 + i, p, p, v) for i, (p, v) in enumerate(HISTORY.items())])
        con.executemany(
            "INSERT INTO posting (id, account_id, kind, service, period, for_period, amount_kop, op_date)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, '2026-10-31')", [(i + 1, *p) for i, p in enumerate(POSTINGS)])


@pytest.fixture
def epd_store(store: Store) -> Store:
    fill(store)
    return store
