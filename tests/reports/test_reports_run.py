"""Every catalog report runs; the turnover-balance sheet balances to the kopeck."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sbyt.core.errors import SbytError
from sbyt.reports import render
from sbyt.reports.catalog import catalog
from sbyt.reports.query import open_read_only, run_report

ALL = sorted(catalog().reports)
OURS = ["accruals_summary", "rejected_readings", "turnover_by_account", "turnover_by_building",
        "turnover_by_district"]
PLACEHOLDER = {"period": "current", "date": "today", "int": "0", "text": "", "money": "0", "bool": "нет"}
MONEY = ["opening_rub", "accrued_rub", "recalc_rub", "penalty_rub", "paid_rub", "other_rub", "closing_rub"]


def _sample_params(name: str) -> dict[str, str]:
    """The report's `example:` values; required parameters without one get a neutral value."""
    report = catalog().get(name)
    given = dict(report.example)
    for p in report.params:
        if p.required and p.name not in given:
            given[p.name] = PLACEHOLDER[p.type] if p.type not in ("period", "date") else {
                "period": "2026-11", "date": "2026-11-30"}[p.type]
    return given


def _run(db, name, params=None):
    con = open_read_only(db)
    try:
        return run_report(con, catalog().get(name), params or {})
    finally:
        con.close()


@pytest.mark.parametrize("name", ALL)
def test_every_report_runs_on_the_mini_store_in_every_format(mini_db, name, tmp_path):
    params = _sample_params(name)
    if any(p.name == "period_from" for p in catalog().get(name).params):
        params["period_from"] = "2026-10"
    table = _run(mini_db, name, params)
    if name in OURS:
        assert table.rows, name
    for fmt in ("table", "csv", "json"):
        assert render.to_text(table, fmt)
    for fmt in ("xlsx", "pdf"):
        assert render.write(table, fmt, tmp_path / f"{name}.{fmt}").stat().st_size > 1000


@pytest.mark.parametrize("name", ALL)
def test_every_report_runs_on_the_demo_store(demo_db, name):
    table = _run(demo_db, name, _sample_params(name))
    assert [c.name for c in table.columns] == [c.name for c in catalog().get(name).columns]
    render.to_text(table, "csv")


def _by(table):
    return table.records()


def test_turnover_balances_for_every_account(mini_db):
    rows = _by(_run(mini_db, "turnover_by_account", {"period_from": "2026-10", "period_to": "2026-11"}))
    for r in rows:
        assert (r["opening_rub"] + r["accrued_rub"] + r["recalc_rub"] + r["penalty_rub"] - r["paid_rub"]
                + r["other_rub"]) == r["closing_rub"], r
    first = rows[0]
    assert first["account_number"] == "1000000001"
    assert (first["opening_rub"], first["accrued_rub"], first["paid_rub"], first["closing_rub"]) == (
        Decimal("1000.00"), Decimal("866.21"), Decimal("1387.20"), Decimal("479.01"))
    assert "2000000002" not in {r["account_number"] for r in rows}        # no postings: not listed


def test_turnover_of_one_month_carries_the_earlier_month_into_the_opening(mini_db):
    rows = {r["account_number"]: r for r in _by(_run(mini_db, "turnover_by_account"))}   # default: open 2026-11
    acc = rows["1000000001"]
    assert acc["opening_rub"] == Decimal("387.20")                        # 1000 + 387.20 − 1000
    assert acc["accrued_rub"] == Decimal("479.01")
    assert acc["closing_rub"] == Decimal("479.01")
    odn_only = _by(_run(mini_db, "turnover_by_account", {"service": "odn"}))
    assert [(r["account_number"], r["accrued_rub"]) for r in odn_only] == [("1000000001", Decimal("96.80"))]


def test_grouped_sheets_add_up_to_the_account_sheet(mini_db):
    params = {"period_from": "2026-10", "period_to": "2026-11"}
    accounts = _run(mini_db, "turnover_by_account", params).totals()
    for name in ("turnover_by_building", "turnover_by_district"):
        table = _run(mini_db, name, params)
        totals = dict(zip([c.name for c in table.columns], table.totals()))
        acc = dict(zip([c.name for c in _run(mini_db, "turnover_by_account", params).columns], accounts))
        assert [totals[m] for m in MONEY] == [acc[m] for m in MONEY], name
        assert totals["accounts"] == 4


def test_turnover_totals_equal_the_ledger_on_the_demo_store(demo_db):
    import duckdb

    table = _run(demo_db, "turnover_by_district")
    totals = dict(zip([c.name for c in table.columns], table.totals()))
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        ledger_kop = con.execute("SELECT coalesce(sum(amount_kop), 0) FROM posting WHERE period <= "
                                 "(SELECT max(period) FROM billing_period WHERE status = 'open')").fetchone()[0]
    finally:
        con.close()
    assert totals["closing_rub"] == Decimal(ledger_kop) / 100


def test_accruals_summary(mini_db):
    rows = _by(_run(mini_db, "accruals_summary"))
    north = {(r["service"], r["method"]): r for r in rows if r["district"] == "Северный район"}
    assert north[("Электроснабжение", "по показаниям")]["volume_kwh"] == Decimal("150.000")
    assert north[("Электроэнергия на СОИ (ОДН)", "ОДН по ОДПУ")]["amount_rub"] == Decimal("96.80")
    assert north[("Электроснабжение", "перерасчёт")]["amount_rub"] == Decimal("-0.56")
    table = _run(mini_db, "accruals_summary", {"period": "2026-10"})
    assert table.totals()[[c.name for c in table.columns].index("amount_rub")] == Decimal("387.20")


def test_rejected_readings(mini_db):
    rows = _by(_run(mini_db, "rejected_readings", {"period_from": "2026-10", "period_to": "2026-11"}))
    assert [(r["account_number"], r["value"], r["source"]) for r in rows] == [
        ("2000000001", 99999, "файл"), ("1000000001", 150, "оператор"), (None, 10, "контролёр")]
    assert rows[2]["address"] == "ул. Ленина, д. 10"                         # the common meter's building
    assert len(_by(_run(mini_db, "rejected_readings"))) == 2                # default: the open month


@pytest.mark.parametrize("params, message", [
    ({"period": "2026-13"}, "Параметр period (Расчётный период): не период"),
    ({"month": "2026-11"}, "Неизвестный параметр: month (параметры отчёта: period)"),
])
def test_bad_parameters_are_refused(mini_db, params, message):
    with pytest.raises(SbytError) as info:
        _run(mini_db, "accruals_summary", params)
    assert message in info.value.message
