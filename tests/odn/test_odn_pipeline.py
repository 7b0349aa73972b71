"""Worked example 1 of docs/examples.md through load (SQL) → the monthly pipeline → the Ф-83 report and explain."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from sbyt.reports.catalog import catalog
from sbyt.reports.query import run_report
from sbyt.reports.render import xlsx

pipeline = pytest.importorskip("sbyt.calc.pipeline")


@pytest.fixture
def calculated(store, odn_sql):
    odn_sql(store, "example1_full.sql", flat1_kwh=150, flat2_kwh=4850)
    pipeline.calculate(store)
    return store


def test_example1_through_the_run(calculated):
    st = calculated
    assert st.all("SELECT service, volume_wh, amount_kop FROM accrual_line WHERE account_id = 1 ORDER BY service") == [
        ("electricity", 150_000, 29_040), ("odn", 50_000, 9_680)]                 # 290.40 + 96.80 = 387.20
    from sbyt.calc.explain import explain

    text = explain(st, "1500000001").text()
    assert "ОДН по ОДПУ" in text and "96,80" in text and "Итого: 387,20" in text


def test_example1_detail_report(calculated):
    table = run_report(calculated.con, catalog().get("odn_detail"), {"building": "B1", "period": "2026-11"})
    scales = [getattr(c, "scale", None) for c in table.columns]

    def plain(row: tuple) -> tuple:
        """Report values as numbers (DECIMAL columns may come back unscaled with their scale)."""
        return tuple(Decimal(v).scaleb(-s) if s and isinstance(v, int) else v for v, s in zip(row, scales))

    rows = {r[1]: plain(r) for r in table.rows}
    flat = rows["Квартира 1"]
    assert flat[2] == "1500000001" and flat[4] == Decimal("60.00")
    assert flat[8] == Decimal("150.000") and flat[12] == Decimal("50.000")
    assert rows["Объём потребления МКД"][8] == Decimal("12000.000")
    assert rows["Объём ОДН к распределению"][12] == Decimal("2000.000")
    meter = [plain(r) for r in table.rows if r[0] == "ОДПУ"][0]
    assert (meter[2], meter[5], meter[6], meter[7]) == ("OD-0005", 10, 5000, 6200)
    out = BytesIO()
    xlsx.write(table, out)
    ws = openpyxl.load_workbook(BytesIO(out.getvalue())).active
    assert ws.cell(1, 1).value == "Детализация ОДН по МКД"
