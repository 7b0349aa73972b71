"""Legal-entity accrual end to end through the commands: prices and data imported, `sbyt calc`,
`sbyt explain`, the close. Worked examples: legal.md W8 (category 1 at the published components),
W16 (transformer ratios), example 7 / W13 (capacity and network capacity from hourly
data, a Saturday excluded), a purchase-sale contract, transit, population-equated points, acts,
`--only`, missing prices, and the ledger after the close."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store
from sbyt.io.askue80020 import Channel80020, Point80020, write_80020

runner = CliRunner()
NB = "\u00a0"

W8_PRICES = """period;category;voltage;component;zones;zone;value
2026-11;1;СН2;energy;;;1498,97
2026-11;1;СН2;network;;;1719,72
2026-11;1;СН2;markup;;;69,53
2026-11;1;СН2;infra;;;2,72
2026-11;3;СН2;capacity;;;950000
2026-11;3;СН2;network;;;1719,72
2026-11;4;СН2;capacity;;;950000
2026-11;4;СН2;network_capacity;;;1100000
2026-11;4;СН2;network_loss;;;100
"""


def cli(db, *args: str, ok: bool = True) -> str:
    res = runner.invoke(app, ["--db", str(db), *args])
    if ok:
        assert res.exit_code == 0, res.output
    return res.output.replace(NB, " ")


def _contract(db, number: str, inn: str, kind: str = "supply") -> None:
    cli(db, "counterparty", "add", inn, "--kpp", "770401001", "--name", f"ООО «{number}»", "--date", "2024-01-01",
        "--mobile", "+79123456789", "--email", "a@b.ru")
    cli(db, "contract", "apply", number, "--counterparty", inn, "--date", "2024-01-10", "--kind", kind, "--docs",
        "application,register_extract,authority,title,grid_act,meter_act,capacity_doc")
    cli(db, "contract", "draft", number, "--date", "2024-01-11")
    cli(db, "contract", "approve", number, "--date", "2024-01-12")
    cli(db, "contract", "sign", number, "--start", "2024-02-01", "--date", "2024-01-15")
    cli(db, "contract", "object", number, "--code", f"O-{number}", "--name", "Цех", "--date", "2024-01-15")


def _point(db, number: str, code: str, category: int, *extra: str, max_kw: str = "500") -> None:
    cli(db, "contract", "point", f"O-{number}", "--code", code, "--voltage", "СН2", "--max-kw", max_kw,
        "--category", str(category), "--date", "2024-01-15", *extra)


@pytest.fixture(scope="module")
def _legal_template(tmp_path_factory):
    """`init`, 2026-11 open, the W8 prices imported: built once per module, in file mode (`cli_mode`
    is function-scoped), and copied for each test."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.duckdb"
    cli(path, "init")
    cli(path, "period", "open", "2026-11")
    prices = folder / "prices.csv"
    prices.write_text(W8_PRICES, encoding="utf-8")
    cli(path, "prices", "import", str(prices))
    return path


@pytest.fixture
def legal_db(_legal_template, db_path):
    shutil.copyfile(_legal_template, db_path)
    return db_path


def _readings(db, code: str, serial: str, first: str, last: str, *meter: str) -> None:
    cli(db, "contract", "meter", code, "--serial", serial, "--installed", "2024-01-15", *meter)
    cli(db, "readings", "legal-add", code, first, "--date", "2026-11-01")
    cli(db, "readings", "legal-add", code, last, "--date", "2026-11-30")


def test_w8_category_1_and_w16_transformer_ratios(legal_db):
    """W8: 10.000 MWh at 3 290.94 RUB/MWh = 32 909.40, VAT 22 % 7 240.07, total 40 149.47.
    W16: CT 150/5 (30), readings 12 345 → 13 579: 37 020 kWh; with VT 6000/100 (60) as well a 50 kWh
    difference gives 90 000 kWh (the example's 2 221 200 kWh exceeds what 500 kW can take in a month)."""
    db = legal_db
    _contract(db, "Д-1", "7736207543")
    _point(db, "Д-1", "TP1", 1)
    _readings(db, "TP1", "1", "1000", "11000")
    _point(db, "Д-1", "TP2", 1)
    _readings(db, "TP2", "2", "12345", "13579", "--ct", "30")
    _point(db, "Д-1", "TP3", 1)
    _readings(db, "TP3", "3", "12345", "12395", "--ct", "30", "--vt", "60")
    out = cli(db, "calc")
    assert "юридические лица — строк 4" in out      # and the penalty on the unpaid interim payments
    with open_store(db) as st:
        rows = st.all("SELECT p.code, c.volume_wh, c.amount_kop, c.vat_kop FROM legal_charge c"
                      " JOIN legal_point p ON p.id = c.point_id ORDER BY p.code")
    assert rows == [("TP1", 10_000_000, 3_290_940, 724_007),
                    ("TP2", 37_020_000, 12_183_060, 2_680_273),      # 37.02 MWh × 3 290.94 = 121 830.60
                    ("TP3", 90_000_000, 29_618_460, 6_516_061)]      # 90 MWh × 3 290.94 = 296 184.60
    text = cli(db, "explain", "TP1", "--format", "csv")
    assert "Электроэнергия: 10 МВт·ч × 3 290,94 ₽/МВт·ч = 32 909,40 ₽" in text
    assert ";32909,40;7240,07;40149,47" in text
    assert "объём — интегральные показания × КТТ × КТН" in text


def _hours_file(tmp_path, day: date, code: str, values_wh: list[int]) -> str:
    data = write_80020(f"{day:%Y%m%d}", day, "ГП", "7700000000", "7736207543", "Завод",
                       [Point80020(code, "Ввод 1", [Channel80020("01", "A+", values_wh)])])
    path = tmp_path / f"80020_7736207543_{day:%Y%m%d}_1.xml"
    path.write_bytes(data)
    return str(path)


def _hourly_contract(db, tmp_path, category: int, kind: str = "supply") -> None:
    """Example 7 over November 2026 (20 working days): the peak-hour consumption of the working days
    repeats 100, 120, 110, 130, 90 kW (mean 110 kW), the window maxima 150, 160, 140, 170, 130 kW
    (mean 150 kW); Saturday 07.11 has 500 kW in the peak hour: not a working day, not counted."""
    _contract(db, "Ч-1", "7707083893", kind)
    _point(db, "Ч-1", "TH1", category, max_kw="600")
    cli(db, "contract", "meter", "TH1", "--serial", "H1", "--installed", "2024-01-15", "--askue", "770000000000001",
        "--channel", "01")
    with open_store(db) as st:
        working = [d for (d,) in st.all("SELECT day FROM production_calendar WHERE working AND day BETWEEN"
                                       " DATE '2026-11-01' AND DATE '2026-11-30' ORDER BY day")]
    assert len(working) == 20
    peak = tmp_path / "202611_MOSENERG_46_calcfacthour.csv"
    peak.write_text("Ежемесячный отчет по часам пиковой нагрузки для субъектов Российской Федерации\n\nДата;Час\n" +
                    "".join(f"{d:%d.%m.%Y};18\n" for d in working), encoding="utf-8")
    cli(db, "prices", "import", str(peak))
    rates = tmp_path / "rates.csv"
    lines = ["category;voltage;rate;date;hour;value"]
    for d in range(30):
        day = date(2026, 11, 1) + timedelta(days=d)
        lines += [f"{category};СН2;fact;{day:%d.%m.%Y};{h};3000" for h in range(1, 25)]
    rates.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli(db, "prices", "import", str(rates))
    files = []
    for d in range(30):
        day = date(2026, 11, 1) + timedelta(days=d)
        hours = [0] * 24
        if day in working:
            k = working.index(day) % 5
            hours[17] = [100, 120, 110, 130, 90][k] * 1000       # hour-ending 18: the АТС peak hour
            hours[9] = [150, 160, 140, 170, 130][k] * 1000       # hour-ending 10: the window maximum
        elif day == date(2026, 11, 7):
            hours[17] = 500_000
        files.append(_hours_file(tmp_path, day, "770000000000001", hours))
    cli(db, "readings", "import", *files)


def test_example_7_capacity_and_network_capacity_through_import_calc_explain(legal_db, tmp_path):
    db = legal_db
    _hourly_contract(db, tmp_path, 4)
    cli(db, "calc", "--only", "legal")
    with open_store(db) as st:
        got = dict(st.all("SELECT component, amount_kop FROM legal_charge ORDER BY component"))
    volume_kwh = 20 * (110 + 150) + 500
    assert got["capacity"] == 10_450_000             # 0.110 MW × 950 000 = 104 500.00
    assert got["network_capacity"] == 16_500_000     # 0.150 MW × 1 100 000 = 165 000.00
    assert got["energy"] == volume_kwh * 300          # kWh × 3 000 RUB/MWh = kWh × 3.00 RUB
    assert got["network_loss"] == volume_kwh * 10     # kWh × 100 RUB/MWh
    text = cli(db, "explain", "Ч-1", "--format", "csv")
    assert "Мощность: 0,110 МВт × 950 000,00 ₽/МВт·мес = 104 500,00 ₽ (среднее за 20 раб. дн." in text
    assert "Сетевая мощность: 0,150 МВт × 1 100 000,00 ₽/МВт·мес = 165 000,00 ₽" in text
    assert "Плановые часы пиковой нагрузки СО (1-я ценовая зона), часы по окончании, МСК: 8–11, 16–21." in text
    assert "07.11.2026" not in text                  # the Saturday is not a working day


def test_purchase_sale_contract_excludes_transmission(legal_db, tmp_path):
    """Category 3 under a purchase-sale contract: the hourly rate's transmission part is deducted."""
    db = legal_db
    _hourly_contract(db, tmp_path, 3, kind="sale")
    cli(db, "calc", "--only", "legal")
    with open_store(db) as st:
        got = dict(st.all("SELECT component, amount_kop FROM legal_charge"))
    volume_kwh = 20 * (110 + 150) + 500
    assert got["network_deduct"] == -round(volume_kwh * 171.972)     # kWh × 1 719.72 RUB/MWh, in kopecks
    assert "network_capacity" not in got


def test_missing_prices_leave_the_households_and_refuse_only_legal(db_path):
    db = db_path
    cli(db, "init")
    cli(db, "period", "open", "2026-11")
    _contract(db, "Д-1", "7736207543")
    _point(db, "Д-1", "TP1", 1)
    _readings(db, "TP1", "1", "1000", "11000")
    out = cli(db, "calc")
    assert "Внимание: юридические лица не рассчитаны — Нет цен за 11.2026 (1): 1 ЦК СН2: energy." in out
    res = runner.invoke(app, ["--db", str(db), "calc", "--only", "legal"])
    assert res.exit_code != 0
    assert "Нет цен за 11.2026 (1): 1 ЦК СН2: energy. Загрузите таблицу цен (sbyt prices import)" in \
        res.output.replace(NB, " ")


def test_the_close_posts_the_lines_with_vat_into_the_contracts_ledger(legal_db):
    db = legal_db
    _contract(db, "Д-1", "7736207543")
    _point(db, "Д-1", "TP1", 1)
    _readings(db, "TP1", "1", "1000", "11000")
    cli(db, "calc")
    cli(db, "period", "close", "2026-11")
    with open_store(db) as st:
        penalty = st.scalar("SELECT amount_kop FROM legal_charge WHERE component = 'penalty'")
        assert penalty > 0      # the interim payments of the 10th and the 25th were not paid
        assert st.all("SELECT kind, for_period, amount_kop, vat_kop FROM legal_posting ORDER BY kind") == [
            ("accrual", 202611, 4_014_947, 724_007), ("penalty", 202611, penalty, 0)]
        assert st.scalar("SELECT count(*) FROM legal_charge WHERE status = 'draft'") == 0


def test_transit_point_is_subtracted_from_its_head(legal_db):
    db = legal_db
    _contract(db, "Д-1", "7736207543")
    _point(db, "Д-1", "TP1", 1)
    _readings(db, "TP1", "1", "1000", "11000")
    _contract(db, "Д-2", "7707083893")
    _point(db, "Д-2", "TT1", 1, "--head", "TP1")
    _readings(db, "TT1", "2", "0", "4000")
    cli(db, "calc", "--only", "legal")
    with open_store(db) as st:
        got = dict(st.all("SELECT p.code, c.volume_wh FROM legal_charge c JOIN legal_point p ON p.id = c.point_id"))
    assert got == {"TP1": 6_000_000, "TT1": 4_000_000}


def test_corrected_prices_of_a_closed_month_become_a_recalculation_in_the_open_one(legal_db, tmp_path):
    db = legal_db
    _contract(db, "Д-1", "7736207543")
    _point(db, "Д-1", "TP1", 1)
    _readings(db, "TP1", "1", "1000", "11000")
    cli(db, "contract", "pay", "Д-1", "1000000", "--date", "2026-11-05")
    cli(db, "calc")
    cli(db, "period", "close", "2026-11")
    december = tmp_path / "prices_12.csv"
    december.write_text(W8_PRICES.replace("2026-11", "2026-12"), encoding="utf-8")
    cli(db, "prices", "import", str(december))
    corrected = tmp_path / "prices_11_corrected.csv"       # energy 1 498,97 -> 1 598,97: +100 RUB/MWh
    corrected.write_text(W8_PRICES.replace("1498,97", "1598,97"), encoding="utf-8")
    assert "Месяц 11.2026 закрыт: разница войдёт в перерасчёт." in cli(db, "prices", "import", str(corrected))
    cli(db, "calc")
    cli(db, "calc")                                         # a rerun does not double the difference
    with open_store(db) as st:
        rows = st.all("SELECT for_period, component, method, volume_wh, amount_kop, vat_kop, reason FROM legal_charge"
                      " WHERE period = 202612 AND method = 'recalc'")
    assert rows == [(202611, "energy", "recalc", 0, 100_000, 22_000,
                     "перерасчёт за 11.2026: изменились цены или часы пиковой нагрузки")]   # 10 MWh × 100 RUB
    text = cli(db, "explain", "Д-1", "--format", "csv")
    assert "Электроэнергия: перерасчёт за 11.2026 — 1 000,00 ₽ (перерасчёт за 11.2026: изменились цены" in text


def test_population_equated_point_pays_the_household_tariff_with_vat_inside(legal_db):
    db = legal_db
    with open_store(db) as st:
        st.execute("INSERT INTO tariff_group VALUES ('urban', 'Городское население', 'urban')")
        st.execute("INSERT INTO tariff VALUES ('urban', 1, 1, DATE '2026-01-01', NULL, 6.10)")
    _contract(db, "Д-1", "7736207543")
    _point(db, "Д-1", "TP1", 1, "--tariff-group", "urban")
    _readings(db, "TP1", "1", "1000", "2000")
    cli(db, "calc", "--only", "legal")
    with open_store(db) as st:
        got = st.all("SELECT component, method, volume_wh, amount_kop, vat_kop, vat_included FROM legal_charge"
                     " WHERE point_id IS NOT NULL")
    assert got == [("household", "tariff", 1_000_000, 610_000, 110_000, True)]   # 6 100.00 incl. VAT 22/122


def test_unmetered_act_is_billed_at_the_category_1_price_of_its_month(legal_db):
    db = legal_db
    _contract(db, "Д-1", "7736207543")
    _point(db, "Д-1", "TP1", 1)
    _readings(db, "TP1", "1", "1000", "1000")
    cli(db, "act", "unmetered", "Д-1", "TP1", "--no", "А-1", "--date", "2026-11-10", "--since", "2026-11-01",
        "--max-kw", "10", "--voltage", "СН2")
    cli(db, "calc", "--only", "legal")
    with open_store(db) as st:
        got = st.all("SELECT component, method, volume_wh, amount_kop FROM legal_charge WHERE act_id IS NOT NULL")
    assert got == [("unmetered", "act", 2_400_000, 789_826)]   # 10 kW × 240 h = 2.4 MWh × 3 290.94 = 7 898.26


def _half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


def test_demo_managing_companies_buy_the_buildings_volume_at_the_residents_tariff(demo_db):
    """Each managing company's line is its building's volume for common property (with the
    negative carry-forward) × the residents' single-rate tariff, VAT 22/122 inside; and the demo's
    two closed months are recalculated without differences (nothing changed since)."""
    cli(demo_db, "calc")
    with open_store(demo_db) as st:
        rows = st.all("""
            SELECT c.volume_wh, c.price, c.amount_kop, c.vat_kop, v.volume_wh, v.carry_in_wh
            FROM legal_charge c JOIN odn_manager_volume v ON v.building_id = c.building_id AND v.period = c.period
            WHERE c.component = 'manager' AND c.period = 202611""")
        recalc = st.scalar("SELECT count(*) FROM legal_charge WHERE method = 'recalc'")
        kinds = dict(st.all("SELECT component, count(*) FROM legal_charge WHERE period = 202611 GROUP BY 1"))
    assert rows and recalc == 0
    for volume, price, amount, vat, building_volume, carry in rows:
        assert volume == building_volume >= 0 and carry <= 0
        assert amount == _half_up(Fraction(volume, 1000) * Fraction(price) * 100)
        assert vat == _half_up(Fraction(amount * 22, 122))
    assert {"energy", "capacity", "network_capacity", "network_loss", "over", "under", "manager"} <= set(kinds)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 10**11), min_size=1, max_size=50),
       st.lists(st.integers(0, 50_000_000), min_size=4, max_size=4), st.booleans())
def test_category_1_and_2_lines_equal_a_fraction_reference(volumes, components, sale):
    """volume × Σ components (without transmission for a purchase-sale contract), rounded once."""
    from sbyt.calc.legal import final_price_e4, mul_div_rows
    from sbyt.calc.legal_gather import Prices

    energy, network, markup, infra = components
    comps = {(1, "SN2", "energy", 0, 0): energy, (1, "SN2", "network", 0, 0): network,
             (1, "SN2", "markup", 0, 0): markup, (1, "SN2", "infra", 0, 0): infra}
    prices = Prices(202611, comps, {}, [], np.zeros((0, 0)), np.zeros((0, 0)), np.zeros((0, 0)), {})
    price = final_price_e4(prices, 1, "SN2", sale)
    got = mul_div_rows(np.array(volumes, np.int64), price, 100_000_000)
    rub_mwh = Fraction(energy + markup + infra + (0 if sale else network), 10_000)
    assert [int(x) for x in got] == [_half_up(Fraction(v, 1_000_000) * rub_mwh * 100) for v in volumes]


def test_explain_names_the_hours_without_data(legal_db, tmp_path):
    db = legal_db
    _hourly_contract(db, tmp_path, 3)
    with open_store(db) as st:     # a day the АСКУЭ never sent
        st.execute("DELETE FROM meter_hour WHERE day = DATE '2026-11-15'")
    cli(db, "calc", "--only", "legal")
    out = cli(db, "explain", "TH1", "--format", "csv")
    assert "Точка TH1: нет почасовых данных за 24 ч из 720 (они приняты равными нулю" in out
