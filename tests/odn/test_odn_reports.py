"""Every report of issue 5 runs on the demo store; its XLSX opens with openpyxl with the header."""

from __future__ import annotations

from io import BytesIO

import duckdb
import openpyxl
import pytest

from sbyt.reports.catalog import catalog
from sbyt.reports.query import run_report
from sbyt.reports.render import xlsx

REPORTS = ["odn_calc", "odn_detail", "odn_imbalance", "mkd_direct_contracts", "meters_summary", "meters_count",
           "meters_coverage", "meters_expired"]
TITLES = {
    "odn_calc": "Расчёт ОДН в МКД", "odn_detail": "Детализация ОДН по МКД",
    "odn_imbalance": "Ведомость распределения небаланса ОДН",
    "mkd_direct_contracts": "Количество МКД по прямым договорам",
    "meters_summary": "Сводный отчёт по приборам учёта", "meters_count": "Информация о количестве ПУ",
    "meters_coverage": "Оснащённость приборами учёта", "meters_expired": "Приборы с истёкшим сроком поверки",
}


def test_catalog_has_them_without_errors():
    cat = catalog()
    assert not [e for e in cat.errors if any(r in e for r in REPORTS)]
    assert {r: cat.get(r).title for r in REPORTS} == TITLES


@pytest.fixture(scope="module")
def demo_con(_demo_template):
    con = duckdb.connect(str(_demo_template), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("name", REPORTS)
def test_report_runs_on_demo_and_xlsx_has_header(demo_con, name):
    report = catalog().get(name)
    given = {}
    if name == "odn_detail":
        given["building"] = demo_con.execute(
            "SELECT b.code FROM odn_result r JOIN building b ON b.id = r.building_id "
            "ORDER BY r.period DESC, r.building_id LIMIT 1").fetchall()[0][0]
    if name == "odn_imbalance":
        given["period"] = str(demo_con.execute("SELECT coalesce(max(period), 202611) FROM odn_imbalance").fetchall()[0][0])
    table = run_report(demo_con, report, given)
    if name not in ("odn_imbalance",):
        assert table.rows, name
    out = BytesIO()
    xlsx.write(table, out)
    ws = openpyxl.load_workbook(BytesIO(out.getvalue())).active
    assert ws.cell(1, 1).value == TITLES[name]
    header = [ws.cell(xlsx.HEADER_ROW, i + 1).value for i in range(len(report.columns))]
    assert header == [c.title for c in report.columns]


def test_demo_has_odn_by_all_sources(demo_con):
    got = dict(demo_con.execute("SELECT source, count(*) FROM odn_result WHERE period = 202611 GROUP BY 1").fetchall())
    assert got.get("readings", 0) > 0
    # every building: the premises' shares add up to the building's ОДН
    bad = demo_con.execute("""SELECT count(*) FROM odn_result r JOIN (SELECT period, building_id, sum(odn_wh) s
                              FROM odn_share GROUP BY ALL) s USING (period, building_id) WHERE s.s <> r.odn_wh""").fetchall()[0]
    assert bad[0] == 0
