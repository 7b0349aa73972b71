"""Headless read side of the console: search, the account card's queries, debtors."""

from __future__ import annotations

from datetime import date

import openpyxl

from sbyt.core import console_reads as view
from sbyt.core.debtors import DebtorFilter, debt_periods, export_xlsx, find_debtors
from sbyt.core.due import due_date
from sbyt.core.search import refresh_search_index, search, search_index_fresh, words

AS_OF = date(2026, 11, 27)


def test_words():
    assert words(" ул.Ленина, 5  Иванов ") == ["ул.ленина", "5", "иванов"]


def test_search_by_number_prefix_name_and_address(cstore):
    hits = search(cstore, "150000000")
    assert [h.number for h in hits] == [f"150000000{i}" for i in range(1, 10)]
    assert search(cstore, "1500000001")[0].holder_name == "Иванов Иван Петрович"
    both = search(cstore, "волков ленина")
    assert both and all("Волков" in h.holder_name and "Ленина" in h.address for h in both)
    assert search(cstore, "нет-такого") == []
    assert search(cstore, "   ") == []


def test_index_is_stamped_and_equals_the_live_join(cstore):
    assert not search_index_fresh(cstore)
    live = search(cstore, "гатчина иванов", use_index=False)
    assert refresh_search_index(cstore) is True
    assert search_index_fresh(cstore)
    assert refresh_search_index(cstore) is False          # nothing changed: no rebuild
    assert search(cstore, "гатчина иванов", use_index=True) == live
    cstore.execute("UPDATE account SET holder_name = 'Зайцева Анна Львовна' WHERE id = 5")
    assert not search_index_fresh(cstore)                 # a renamed holder makes it stale
    assert search(cstore, "зайцева")[0].number == "1500000005"   # stale index: live join is used


def test_card_header_and_tabs(cstore):
    h = view.header(cstore, 1, AS_OF)
    assert (h.number, h.holder_name) == ("1500000001", "Иванов Иван Петрович")
    assert h.address == "Гатчина г., ул. Ленина, д. 1, кв. 1"
    assert h.balance_kop == cstore.scalar("SELECT sum(amount_kop) FROM posting WHERE account_id = 1")
    assert h.debt_age_days == (AS_OF - date(2026, 8, 15)).days    # 07.2026 unpaid, due 15.08
    assert h.residents == 1 and h.tariff_group == "U"
    meters = view.meters(cstore, 1, AS_OF)
    assert meters[0].serial == "SN100000" and meters[0].next_verification == date(2036, 1, 1)
    assert "П-700000" in meters[0].seals
    assert len(view.readings(cstore, 1)) == 12
    assert view.accruals(cstore, 1)[0].for_period == 202610
    assert all(p.kind == "payment" for p in view.payments(cstore, 1))
    assert [p.amount_kop for p in view.penalties(cstore, 1)] == [1234]
    series = view.consumption(cstore, 1)
    assert len(series) == 12 and series[-1] == (202610, 100_000)


def test_round_in_route_order(cstore):
    rows = view.round_meters(cstore, building_id=1)
    assert [int(r.flat) for r in rows] == list(range(1, 41))
    assert rows[0].last_value == 1000 + 12 * 100


def test_debtors_filters(cstore):
    every7 = {i + 1 for i in range(200) if i % 7 == 0}           # stopped paying in 07.2026
    four = find_debtors(cstore, DebtorFilter(min_periods=4), AS_OF)
    assert {d.account_id for d in four} == every7
    assert all(d.oldest_period == 202607 and d.unpaid_periods == 4 for d in four)
    d1 = next(d for d in four if d.account_id == 1)
    assert d1.debt_kop == 4 * 617_00 and d1.penalty_kop == 1234
    assert d1.debt_kop == sum(p.debt_kop for p in debt_periods(cstore, [1], AS_OF))
    assert [p.for_period for p in debt_periods(cstore, [1], AS_OF)] == [202607, 202608, 202609, 202610]
    connected = find_debtors(cstore, DebtorFilter(min_periods=4, exclude_disconnected=True), AS_OF)
    assert {d.account_id for d in connected} == every7 - {50}    # account 50 (i = 49) is disconnected
    big = find_debtors(cstore, DebtorFilter(min_periods=2, min_debt_kop=4 * 617_00 + 1), AS_OF)
    assert 1 not in {d.account_id for d in big} and big
    street = find_debtors(cstore, DebtorFilter(min_periods=4, street_id=1), AS_OF)
    assert street and all("ул. Ленина" in d.address for d in street)
    assert find_debtors(cstore, DebtorFilter(min_periods=4, district_id=3), AS_OF) == []
    assert find_debtors(cstore, DebtorFilter(min_periods=4, service="electricity"), AS_OF) == four
    assert find_debtors(cstore, DebtorFilter(min_periods=1, service="odn"), AS_OF) == []
    # before the due date of 10.2026 (15.11) that month is not overdue yet
    assert find_debtors(cstore, DebtorFilter(min_periods=4), date(2026, 11, 15)) == []


def test_due_date_is_dated(cstore):
    assert due_date(cstore, 202601) == date(2026, 2, 10)
    assert due_date(cstore, 202602) == date(2026, 3, 15)


def test_export_xlsx(cstore, tmp_path):
    debtors = find_debtors(cstore, DebtorFilter(min_periods=4), AS_OF)
    path = export_xlsx(debtors, tmp_path / "d.xlsx")
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Лицевой счёт" and len(rows) == len(debtors) + 1
    assert rows[1][0] == debtors[0].number and rows[1][3] == "07.2026"
