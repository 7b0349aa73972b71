"""A synthetic store built by bulk SQL: a tiny one for the console tests, a big one for timing.

Periods 2025-11 … 2026-10 are closed (accruals posted, most accounts paid), 2026-11 is open.
Every 7th account stops paying in 2026-07 (a debtor); every 50th account's meter is disconnected.
Account 1 is «Иванов Иван Петрович», г. Гатчина, ул. Ленина, д. 1, кв. 1, number 1500000001.
"""

from __future__ import annotations

from pathlib import Path

from sbyt.core.reference import install_reference
from sbyt.core.store import Store, open_store

SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Попов", "Васильев", "Соколов",
            "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов"]
NAMES = ["Иван", "Пётр", "Сергей", "Андрей", "Алексей", "Дмитрий", "Николай", "Михаил", "Олег"]
PATRONYMICS = ["Петрович", "Иванович", "Сергеевич", "Андреевич", "Николаевич", "Олегович", "Юрьевич"]
STREETS = ["ул. Ленина", "ул. Мира", "пр. Победы", "ул. Садовая", "пер. Школьный", "ул. Гагарина",
           "ул. Советская", "ул. Набережная", "ул. Лесная", "ул. Полевая"]
SETTLEMENTS = [("Гатчина г.", 1, "urban"), ("Коммунар г.", 1, "urban"), ("Сиверский пгт", 1, "rural"),
               ("Луга г.", 2, "urban"), ("Толмачёво пгт", 2, "rural"), ("Кингисепп г.", 3, "urban")]
FLATS_PER_BUILDING = 40
CLOSED = [202511, 202512] + [202601 + i for i in range(10)]   # 2025-11 … 2026-10
OPEN_PERIOD = 202611


def _lst(values: list[str]) -> str:
    return "[" + ", ".join("'" + v + "'" for v in values) + "]"


def build(store: Store, accounts: int) -> None:
    """Fill an empty store (reference data installed) with `accounts` households."""
    n = accounts
    nb = (n + FLATS_PER_BUILDING - 1) // FLATS_PER_BUILDING
    con = store.con
    sql = [
        "INSERT INTO supplier VALUES (DATE '2020-01-01', NULL, 'АО «Тестовая энергосбытовая компания»',"
        " '7800000001', '780001001', '40702810900000000001', 'ПАО «Банк»', '044525000', '30101810400000000225',"
        " 'г. Гатчина, ул. Ленина, д. 10', '+7 800 000-00-00', 'info@example.ru', NULL)",
        "INSERT INTO district VALUES (1, 'GAT', 'Гатчинский'), (2, 'LUG', 'Лужский'), (3, 'KIN', 'Кингисеппский')",
        "INSERT INTO tariff_group VALUES ('U', 'Городское население', 'urban'),"
        " ('R', 'Сельское население', 'rural')",
        "INSERT INTO tariff VALUES ('U', 1, 1, DATE '2025-07-01', NULL, 6.1700),"
        " ('R', 1, 1, DATE '2025-07-01', NULL, 4.3200)",
        "INSERT INTO settlement VALUES " + ", ".join(
            f"({i + 1}, 'S{i + 1}', {d}, '{name}', '{kind}')" for i, (name, d, kind) in enumerate(SETTLEMENTS)),
        f"INSERT INTO street SELECT i + 1, 'ST' || (i + 1), i // 10 + 1, ({_lst(STREETS)})[i % 10 + 1]"
        f" FROM range({len(SETTLEMENTS) * 10}) t(i)",
        # buildings spread round-robin over the streets; route order = index within the street
        f"INSERT INTO building SELECT b + 1, 'B' || (b + 1), b % {len(SETTLEMENTS) * 10} + 1,"
        f" CAST(b // {len(SETTLEMENTS) * 10} + 1 AS VARCHAR), 'mkd', 5, 1975, b // {len(SETTLEMENTS) * 10} + 1,"
        f" DATE '2000-01-01', NULL FROM range({nb}) t(b)",
        f"INSERT INTO premise SELECT i + 1, i // {FLATS_PER_BUILDING} + 1, CAST(i % {FLATS_PER_BUILDING} + 1 AS VARCHAR),"
        f" 'flat', NULL, NULL, 30 + (i % 50), 1 + i % 3, false, false FROM range({n}) t(i)",
        f"INSERT INTO account SELECT i + 1, CAST(1500000001 + i AS VARCHAR),"
        f" ({_lst(SURNAMES)})[i % {len(SURNAMES)} + 1] || ' ' || ({_lst(NAMES)})[i // {len(SURNAMES)} % {len(NAMES)} + 1]"
        f" || ' ' || ({_lst(PATRONYMICS)})[i // 7 % {len(PATRONYMICS)} + 1],"
        f" i + 1, DATE '2020-01-01', NULL, NULL, NULL, false FROM range({n}) t(i)",
        f"INSERT INTO account_fact SELECT i + 1, DATE '2020-01-01', NULL, 1 + i % 4, 1 + i % 4, 1, 'none',"
        f" CASE WHEN (i // {FLATS_PER_BUILDING}) % 60 // 10 IN (2, 4) THEN 'R' ELSE 'U' END FROM range({n}) t(i)",
        f"INSERT INTO metering_point SELECT i + 1, 'individual', i + 1, i + 1, NULL, NULL, 'electricity', 1,"
        f" DATE '2020-01-01', CASE WHEN i % 50 = 49 THEN DATE '2026-09-15' END FROM range({n}) t(i)",
        f"INSERT INTO supply_state SELECT i + 1, DATE '2026-09-15', NULL, 'disconnected', 'Долг'"
        f" FROM range({n}) t(i) WHERE i % 50 = 49",
        f"INSERT INTO meter SELECT i + 1, i + 1, 'Меркурий 201', 'SN' || (100000 + i), 6, 1, 1,"
        f" DATE '2020-01-01', NULL, DATE '2020-01-01', 16, 'working', NULL FROM range({n}) t(i)",
        f"INSERT INTO seal SELECT i + 1, i + 1, 'П-' || (700000 + i), 'А-' || (i + 1), DATE '2020-01-01',"
        f" DATE '2020-01-01', NULL FROM range({n}) t(i)",
        # monthly readings: account i consumes 100 + i % 200 kWh a month; read on the 22nd
        f"CREATE TEMP TABLE _months AS SELECT unnest({CLOSED}) AS period,"
        f" generate_subscripts({CLOSED}, 1) AS k",
        f"INSERT INTO reading SELECT row_number() OVER (), a.i + 1, 1,"
        f" make_date(m.period // 100, m.period % 100, 22), 1000 + m.k * (100 + a.i % 200), 'regular', 'load',"
        f" 'accepted', NULL, NULL, TIMESTAMP '2026-01-01', 'load' FROM range({n}) a(i), _months m",
        f"INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, zone, method,"
        f" seg_from, seg_to, volume_wh, price, amount_kop, vat_kop, prev_value, cur_value, ratio, days,"
        f" month_days, status)"
        f" SELECT row_number() OVER (), m.period, m.period, a.i + 1, a.i + 1, 'electricity', 1, 'readings',"
        f" make_date(m.period // 100, m.period % 100, 1), NULL, (100 + a.i % 200) * 1000, 6.1700,"
        f" (100 + a.i % 200) * 617, ((100 + a.i % 200) * 617 * 22 + 61) // 122,"
        f" 1000 + (m.k - 1) * (100 + a.i % 200), 1000 + m.k * (100 + a.i % 200), 1, 30, 30, 'posted'"
        f" FROM range({n}) a(i), _months m",
        "INSERT INTO posting SELECT id, account_id, service, 'accrual', period, for_period, amount_kop, vat_kop,"
        " last_day(make_date(period // 100, period % 100, 1)), id, NULL, NULL, TIMESTAMP '2026-01-01'"
        " FROM accrual_line",
        # payments on the 12th of the next month; debtors (every 7th) stop paying from 2026-07 on
        "INSERT INTO posting SELECT (SELECT max(id) FROM posting) + row_number() OVER (), account_id,"
        " 'electricity', 'payment', CAST(strftime(op, '%Y%m') AS INTEGER), for_period, -amount_kop, 0, op,"
        " NULL, NULL, 'Оплата', TIMESTAMP '2026-01-01'"
        " FROM (SELECT *, make_date(for_period // 100, for_period % 100, 12) + INTERVAL 1 MONTH AS op"
        "       FROM accrual_line) x"
        " WHERE for_period < 202610 AND NOT ((account_id - 1) % 7 = 0 AND for_period >= 202607)",
        # a penalty line for each debtor
        f"INSERT INTO posting SELECT (SELECT max(id) FROM posting) + row_number() OVER (), i + 1, 'penalty',"
        f" 'penalty', 202610, 202610, 1234, 0, DATE '2026-10-31', NULL, NULL, NULL, TIMESTAMP '2026-01-01'"
        f" FROM range({n}) t(i) WHERE i % 7 = 0",
        "INSERT INTO billing_period (period, status, closed_at, closed_by) SELECT period, 'closed',"
        " TIMESTAMP '2026-01-01', 'load' FROM _months",
        f"INSERT INTO billing_period (period, status) VALUES ({OPEN_PERIOD}, 'open')",
        "DROP TABLE _months",
    ]
    with store.transaction():
        for s in sql:
            con.execute(s)


def build_file(path: str | Path, accounts: int) -> Path:
    st = open_store(path)
    install_reference(st)
    build(st, accounts)
    st.close()
    return Path(path)


if __name__ == "__main__":  # python tests/console/storegen.py /tmp/x.duckdb 1000000
    import sys

    build_file(sys.argv[1], int(sys.argv[2]))
