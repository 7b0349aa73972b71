"""Acts of unmetered and non-contracted consumption (`sbyt act`, ПП 442 п. 195–196): the volume by the
maximum capacity or the cable formula, exact to the Wh; the caps of 1 and 3 years and cos φ as dated
rules; the refusals with nothing written; billing in the open month at the act month's prices
(`acts_for_billing`); cancelling while the month is open only; the printed calculation (golden)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.consumption_acts import act_volume, acts_for_billing, period_hours, to_wh
from sbyt.core.reference import install_reference
from sbyt.core.store import open_store
from sbyt.reports.act_print import act_pdf

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

SUPPLIER = """INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс»', '5612042824', '561201001',
    '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example')"""
DOCS = "register_extract,authority,title,grid_act,meter_act,capacity_doc"


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


def refused(db: str, code: int, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == code, r.output
    return r.output


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    """Open month 11.2026 (today is 05.12.2026); contract 77-001 signed from 01.02.2024 with point TP1
    (СН2, 150 kW, opened 15.01.2024); contract 77-002 still an application with point TP9; a second
    counterparty without any contract."""
    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    store = open_store(path)
    install_reference(store)
    store.execute("INSERT INTO billing_period (period, status) VALUES (202611, 'open')")
    store.execute(SUPPLIER)
    store.close()
    db = str(path)
    ok(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "ООО «Завод»",
       "--mobile", "+7 912 345-67-89", "--email", "energy@zavod.ru", "--date", "2024-01-01")
    ok(db, "counterparty", "add", "7707083893", "--kpp", "773601001", "--name", "ПАО «Склады»", "--date", "2024-01-01")
    ok(db, "contract", "apply", "77-001", "--counterparty", "7736207543", "--docs", DOCS, "--date", "2024-01-10")
    ok(db, "contract", "object", "77-001", "--code", "OB1", "--name", "Цех № 3",
       "--address", "г. Москва, ул. Льва Толстого, д. 16", "--date", "2024-01-15")
    ok(db, "contract", "point", "OB1", "--code", "TP1", "--voltage", "СН2", "--max-kw", "150", "--date", "2024-01-15")
    ok(db, "contract", "draft", "77-001", "--date", "2024-01-20")
    ok(db, "contract", "approve", "77-001", "--date", "2024-01-21")
    ok(db, "contract", "sign", "77-001", "--start", "2024-02-01", "--date", "2024-01-25")
    ok(db, "contract", "apply", "77-002", "--counterparty", "7707083893", "--date", "2024-01-10")
    ok(db, "contract", "object", "77-002", "--code", "OB9", "--name", "Склад", "--date", "2024-01-15")
    ok(db, "contract", "point", "OB9", "--code", "TP9", "--voltage", "НН", "--max-kw", "10", "--date", "2024-01-15")
    return path


@pytest.fixture
def db(_template, db_path):
    """A copy of the module's template store (built once, in file mode)."""
    shutil.copyfile(_template, db_path)
    return str(db_path)


def acts(db: str) -> list[tuple]:
    with open_store(db, read_only=True) as st:
        return st.all("SELECT act_no, kind, method, hours, max_kw, current_a, voltage_v, cos_phi, phases, volume_wh,"
                      " period, voltage, status FROM consumption_act ORDER BY id")


# ------------------------------------------------------------------------------------ the formulas
def test_the_formulas_exactly():
    assert period_hours(date(2026, 1, 1), date(2026, 12, 31)) == 8760
    assert period_hours(date(2024, 1, 1), date(2024, 12, 31)) == 8784          # a leap year
    assert period_hours(date(2026, 11, 20), date(2026, 11, 20)) == 24         # the act's day counts
    assert act_volume("max_capacity", 8760, max_kw=Decimal("150")) == Fraction(1_314_000)
    assert act_volume("max_capacity", 24, max_kw=Decimal("12.345")) == Fraction(296_280, 1000)
    three = act_volume("cable", 8760, phases=3, current_a=Decimal(100), voltage_v=Decimal(220), cos_phi=Decimal("0.9"))
    assert three == Fraction(520_344)                                          # 3 × 100 × 220 × 0,9 × 8 760 / 1000
    one = act_volume("cable", 24, phases=1, current_a=Decimal(16), voltage_v=Decimal(220), cos_phi=Decimal("0.9"))
    assert one == Fraction(76_032, 1000)
    odd = act_volume("cable", 1, phases=1, current_a=Decimal("10.01"), voltage_v=Decimal("220.5"),
                     cos_phi=Decimal("0.857"))
    assert odd == Fraction(1_891_574_685, 10**9) and to_wh(odd) == 1892        # 1 891,574685 Wh
    half = act_volume("cable", 1, phases=1, current_a=Decimal("0.01"), voltage_v=Decimal(50), cos_phi=Decimal(1))
    assert half == Fraction(1, 2000) and to_wh(half) == 1                      # 0,5 Wh: half-up
    assert to_wh(Fraction(1, 2001)) == 0


# ------------------------------------------------------------------------------------ unmetered
def test_unmetered_by_the_points_capacity(db):
    out = ok(db, "act", "unmetered", "77-001", "TP1", "--no", "15", "--date", "2026-11-20", "--since", "2026-10-01")
    assert out == ("Акт безучётного потребления № 15 от 20.11.2026 зарегистрирован: договор № 77-001, точка поставки TP1.\n"
                   "Часы: 01.10.2026–20.11.2026: 51 сут. × 24 = 1 224 ч.\n"
                   "Объём: 150 кВт × 1 224 ч = 183 600,000 кВт·ч.\n"
                   "Начисляется в 11.2026 по ценам 11.2026, уровень напряжения СН2.\n")
    assert acts(db) == [("15", "unmetered", "max_capacity", 1224, Decimal("150.000"), None, None, None, None,
                         183_600_000, 202611, "SN2", "active")]
    with open_store(db, read_only=True) as st:
        audit = st.all("SELECT action, entity, entity_id FROM audit_log WHERE entity = 'consumption_act'")
    assert audit == [("insert", "consumption_act", "15")]


def test_unmetered_is_capped_at_a_year_and_takes_the_acts_capacity_and_voltage(db):
    out = ok(db, "act", "unmetered", "77-001", "TP1", "--no", "16", "--date", "2026-11-20", "--since", "2025-01-01",
             "--max-kw", "120,5", "--voltage", "СН1")
    assert out == ("Акт безучётного потребления № 16 от 20.11.2026 зарегистрирован: договор № 77-001, точка поставки TP1.\n"
                   "Часы: 01.01.2025–20.11.2026: 689 сут. × 24 = 16 536 ч, к расчёту не более 8 760 ч (ПП 442 п. 195).\n"
                   "Объём: 120,5 кВт × 8 760 ч = 1 055 580,000 кВт·ч.\n"
                   "Начисляется в 11.2026 по ценам 11.2026, уровень напряжения СН1.\n")
    assert acts(db)[0][3:5] + acts(db)[0][9:12] == (8760, Decimal("120.500"), 1_055_580_000, 202611, "SN1")


def test_unmetered_by_the_cable_single_phase(db):
    out = ok(db, "act", "unmetered", "77-001", "TP1", "--no", "17", "--date", "2026-11-20", "--since", "2026-11-01",
             "--current", "16", "--voltage-v", "220", "--phases", "1")
    assert out.splitlines()[1:3] == ["Часы: 01.11.2026–20.11.2026: 20 сут. × 24 = 480 ч.",
                                     "Объём: 1 × 16 А × 220 В × 0,9 × 480 ч / 1000 = 1 520,640 кВт·ч."]
    assert acts(db) == [("17", "unmetered", "cable", 480, None, Decimal("16.00"), Decimal("220.00"), Decimal("0.900"),
                         1, 1_520_640, 202611, "SN2", "active")]


def test_an_act_in_a_closed_month_is_billed_now_at_its_months_prices(db):
    with open_store(db) as st:     # October closed before November opened
        st.execute("INSERT INTO billing_period (period, status) VALUES (202610, 'closed')")
    ok(db, "act", "unmetered", "77-001", "TP1", "--no", "18", "--date", "2026-10-15", "--since", "2026-10-01")
    ok(db, "act", "noncontracted", "7707083893", "--no", "Б-1", "--date", "2026-11-20", "--since", "2026-11-20",
       "--current", "10", "--voltage-v", "220")
    ok(db, "act", "unmetered", "77-001", "TP1", "--no", "19", "--date", "2026-11-20", "--since", "2026-11-20")
    ok(db, "act", "cancel", "19", "--reason", "ошибка ввода")
    with open_store(db, read_only=True) as st:
        t = acts_for_billing(st, 202611)
        assert acts_for_billing(st, 202610).num_rows == 0
        cp = {r[0]: r[1] for r in st.all("SELECT inn, id FROM counterparty")}
        contract, point = st.one("SELECT k.id, p.id FROM contract k, legal_point p WHERE k.number = '77-001'"
                                 " AND p.code = 'TP1'")
    assert t.column_names == ["id", "kind", "contract_id", "counterparty_id", "point_id", "voltage", "volume_wh",
                              "price_period"]
    assert [{k: v for k, v in r.items() if k != "id"} for r in t.to_pylist()] == [
        {"kind": "unmetered", "contract_id": contract, "counterparty_id": cp["7736207543"], "point_id": point,
         "voltage": "SN2", "volume_wh": 150 * 15 * 24 * 1000, "price_period": 202610},
        {"kind": "noncontracted", "contract_id": None, "counterparty_id": cp["7707083893"], "point_id": None,
         "voltage": "NN", "volume_wh": 142_560, "price_period": 202611}]
    # 150 kW × 15 days × 24 h = 54 000 kWh; 3 × 10 А × 220 В × 0,9 × 24 h / 1000 = 142,56 kWh


# ------------------------------------------------------------------------------------ non-contracted
def test_noncontracted_is_capped_at_three_years(db):
    out = ok(db, "act", "noncontracted", "7707083893", "--no", "Б-2", "--date", "2026-11-20", "--since", "2020-01-01",
             "--current", "100", "--voltage-v", "220", "--address", "г. Москва, ул. Лесная, д. 4")
    assert out == ("Акт бездоговорного потребления № Б-2 от 20.11.2026 зарегистрирован: ПАО «Склады» (ИНН 7707083893, "
                   "КПП 773601001), г. Москва, ул. Лесная, д. 4.\n"
                   "Часы: 01.01.2020–20.11.2026: 2 516 сут. × 24 = 60 384 ч, к расчёту не более 26 280 ч (ПП 442 п. 196).\n"
                   "Объём: 3 × 100 А × 220 В × 0,9 × 26 280 ч / 1000 = 1 561 032,000 кВт·ч.\n"
                   "Начисляется в 11.2026 по ценам 11.2026, уровень напряжения НН.\n")
    assert acts(db) == [("Б-2", "noncontracted", "cable", 26280, None, Decimal("100.00"), Decimal("220.00"),
                         Decimal("0.900"), 3, 1_561_032_000, 202611, "NN", "active")]


def test_cos_phi_and_the_caps_are_dated_rules(db):
    with open_store(db) as st:
        st.execute("UPDATE dated_rule SET valid_to = '2026-11-01' WHERE code IN ('act.cos_phi', 'act.noncontracted.max_hours')")
        st.execute("INSERT INTO dated_rule (code, valid_from, value) VALUES ('act.cos_phi', '2026-11-01', 0.85),"
                   " ('act.noncontracted.max_hours', '2026-11-01', 100)")
    out = ok(db, "act", "noncontracted", "7707083893", "--no", "Б-3", "--date", "2026-11-20", "--since", "2026-11-01",
             "--current", "100", "--voltage-v", "230", "--voltage", "СН2")
    assert out.splitlines()[1:] == [
        "Часы: 01.11.2026–20.11.2026: 20 сут. × 24 = 480 ч, к расчёту не более 100 ч (ПП 442 п. 196).",
        "Объём: 3 × 100 А × 230 В × 0,85 × 100 ч / 1000 = 5 865,000 кВт·ч.",
        "Начисляется в 11.2026 по ценам 11.2026, уровень напряжения СН2."]
    out = ok(db, "act", "noncontracted", "7707083893", "--no", "Б-4", "--date", "2026-10-31", "--since", "2026-10-31",
             "--current", "100", "--voltage-v", "230", "--cos", "0,8")       # stated by the act; the old cap
    assert out.splitlines()[1:3] == ["Часы: 31.10.2026–31.10.2026: 1 сут. × 24 = 24 ч.",
                                     "Объём: 3 × 100 А × 230 В × 0,8 × 24 ч / 1000 = 1 324,800 кВт·ч."]


# ------------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize(("args", "code", "message"), [
    (["noncontracted", "7702070139", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01", "--current", "10",
      "--voltage-v", "220"], 4, "Контрагент с ИНН 7702070139 не найден: зарегистрируйте его (sbyt counterparty add)."),
    (["unmetered", "77-001", "TP9", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01"], 3,
     "Точка поставки «TP9» не относится к договору № 77-001."),
    (["unmetered", "77-001", "TP7", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01"], 4,
     "Точка поставки «TP7» не найдена."),
    (["unmetered", "77-002", "TP9", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01"], 3,
     "Договор № 77-002 на 20.11.2026 не действует (состояние «заявка»): безучётное потребление оформляется по "
     "действующему договору, без договора — акт бездоговорного потребления (sbyt act noncontracted)."),
    (["unmetered", "77-001", "TP1", "--no", "1", "--date", "2026-12-06", "--since", "2026-11-01"], 3,
     "Акт датирован 06.12.2026 — позже сегодняшнего дня (05.12.2026)."),
    (["unmetered", "77-001", "TP1", "--no", "1", "--date", "2026-12-01", "--since", "2026-11-01"], 3,
     "Акт от 01.12.2026 позже открытого периода 11.2026: зарегистрируйте его, когда откроется 12.2026."),
    (["unmetered", "77-001", "TP1", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-21"], 1,
     "Начало потребления 21.11.2026 позже даты акта 20.11.2026."),
    (["unmetered", "77-001", "TP1", "--no", "1", "--date", "2026-11-20", "--since", "2024-01-31"], 3,
     "Безучётное потребление не может начинаться раньше начала поставки по договору № 77-001 (01.02.2024): "
     "указано 31.01.2024."),
    (["unmetered", "77-001", "TP1", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01", "--max-kw", "10",
      "--current", "10", "--voltage-v", "220"], 1,
     "Укажите либо максимальную мощность (--max-kw), либо данные кабеля (--current, --voltage-v), но не то и другое."),
    (["unmetered", "77-001", "TP1", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01", "--current", "10"], 1,
     "Для расчёта по кабелю укажите допустимую длительную токовую нагрузку (--current, А) и фазное напряжение "
     "(--voltage-v, В)."),
    (["unmetered", "77-001", "TP1", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01", "--max-kw", "0"], 1,
     "Максимальная мощность, кВт: 0 — нужно число больше нуля и не больше 1 000 000."),
    (["noncontracted", "7707083893", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01", "--current", "10",
      "--voltage-v", "220", "--phases", "2"], 1, "Число фаз 2: допустимо 1 (однофазный ввод) или 3 (трёхфазный)."),
    (["noncontracted", "7707083893", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01", "--current", "10",
      "--voltage-v", "220", "--cos", "1,2"], 1, "Коэффициент мощности: 1,2 — нужно число больше нуля и не больше 1."),
    (["noncontracted", "7707083893", "--no", "1", "--date", "2026-11-20", "--since", "2026-11-01", "--current",
      "10,125", "--voltage-v", "220"], 1, "Допустимая токовая нагрузка кабеля, А: 10,125 — не более 2 знаков после запятой."),
])
def test_refusals_write_nothing(db, args, code, message):
    assert refused(db, code, "act", *args) == f"Ошибка: {message}\n"
    assert acts(db) == []


def test_a_number_is_taken_once_and_a_terminated_contract_refuses(db):
    ok(db, "act", "unmetered", "77-001", "TP1", "--no", "15", "--date", "2026-11-20", "--since", "2026-11-01")
    assert refused(db, 3, "act", "noncontracted", "7707083893", "--no", "15", "--date", "2026-11-20", "--since",
                   "2026-11-01", "--current", "10", "--voltage-v", "220") == \
        "Ошибка: Акт № 15 уже зарегистрирован (безучётное потребление, от 20.11.2026).\n"
    ok(db, "contract", "terminate", "77-001", "--from", "2026-11-10", "--date", "2026-11-01")
    out = refused(db, 3, "act", "unmetered", "77-001", "TP1", "--no", "16", "--date", "2026-11-20", "--since",
                  "2026-11-01")
    assert out.startswith("Ошибка: Договор № 77-001 на 20.11.2026 не действует (состояние «расторгнут», поставка с "
                          "01.02.2024, расторгнут с 10.11.2026)")
    assert len(acts(db)) == 1


# ------------------------------------------------------------------------------------ cancel, list
def test_cancel_while_the_month_is_open_and_not_after_the_close(db):
    ok(db, "act", "unmetered", "77-001", "TP1", "--no", "15", "--date", "2026-11-20", "--since", "2026-11-01")
    assert refused(db, 1, "act", "cancel", "15", "--reason", " ") == "Ошибка: Укажите причину отмены акта (--reason).\n"
    assert refused(db, 4, "act", "cancel", "99", "--reason", "x") == "Ошибка: Акт № 99 не найден.\n"
    assert ok(db, "act", "cancel", "15", "--reason", "акт отозван сетевой организацией") == (
        "Акт безучётного потребления № 15 от 20.11.2026 отменён: акт отозван сетевой организацией. "
        "Объём 72 000,000 кВт·ч не начисляется в 11.2026.\n")
    assert refused(db, 3, "act", "cancel", "15", "--reason", "ещё раз") == \
        "Ошибка: Акт № 15 уже отменён: акт отозван сетевой организацией.\n"
    ok(db, "act", "unmetered", "77-001", "TP1", "--no", "16", "--date", "2026-11-20", "--since", "2026-11-01")
    with open_store(db) as st:     # the close of November (sbyt period close) as its effect on billing_period
        st.execute("UPDATE billing_period SET status = 'closed' WHERE period = 202611")
        st.execute("INSERT INTO billing_period (period, status) VALUES (202612, 'open')")
    assert refused(db, 3, "act", "cancel", "16", "--reason", "ошибка") == (
        "Ошибка: Акт № 16 начислен в закрытом периоде 11.2026: отменить его нельзя, нужен перерасчёт.\n")
    assert [(a[0], a[-1]) for a in acts(db)] == [("15", "cancelled"), ("16", "active")]
    with open_store(db, read_only=True) as st:
        assert st.all("SELECT action, old_value, new_value FROM audit_log WHERE entity = 'consumption_act'"
                      " AND action = 'update'") == [
            ("update", '{"status": "active"}', '{"reason": "акт отозван сетевой организацией", "status": "cancelled"}')]


def test_the_list_in_csv(db):
    assert cli(db, "act", "list").output == "Актов нет.\n"
    ok(db, "act", "unmetered", "77-001", "TP1", "--no", "15", "--date", "2026-11-20", "--since", "2026-11-01")
    ok(db, "act", "noncontracted", "7707083893", "--no", "Б-1", "--date", "2026-11-19", "--since", "2026-11-01",
       "--current", "10", "--voltage-v", "220", "--address", "ул. Лесная, 4")
    ok(db, "act", "cancel", "Б-1", "--reason", "дубль")
    r = cli(db, "act", "list", "--period", "2026-11", "-f", "csv")
    assert r.exit_code == 0, r.output
    assert r.stdout == (
        "№ акта;Вид;Дата акта;ИНН/КПП;Договор;Точка поставки;Адрес;Напряжение;С;По;Часов к расчёту;Способ;"
        "Объём, кВт·ч;Начисляется в;Цены за;Статус;Причина отмены\n"
        "15;безучётное потребление;2026-11-20;7736207543/770401001;77-001;TP1;;СН2;2026-11-01;2026-11-20;480;"
        "по максимальной мощности;72000,000;11.2026;11.2026;действует;\n"
        "Б-1;бездоговорное потребление;2026-11-19;7707083893/773601001;;;ул. Лесная, 4;НН;2026-11-01;2026-11-19;456;"
        "по пропускной способности кабеля;2708,640;11.2026;11.2026;отменён;дубль\n")
    assert cli(db, "act", "list", "--period", "2026-10").output == "Актов, начисляемых в 10.2026, нет.\n"


# ------------------------------------------------------------------------------------ the printed calculation
def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@needs_pdftotext
def test_the_printed_calculations(db, tmp_path):
    ok(db, "act", "unmetered", "77-001", "TP1", "--no", "16", "--date", "2026-11-20", "--since", "2025-01-01",
       "--current", "100", "--voltage-v", "220", "--note", "пломба сорвана")
    ok(db, "act", "noncontracted", "7707083893", "--no", "Б-2", "--date", "2026-11-20", "--since", "2020-01-01",
       "--current", "100", "--voltage-v", "220", "--address", "г. Москва, ул. Лесная, д. 4")
    ok(db, "act", "cancel", "Б-2", "--reason", "договор заключён задним числом")
    out = tmp_path / "out" / "16.pdf"
    out.parent.mkdir()
    assert ok(db, "act", "print", "16", str(out)) == \
        f"Акт безучётного потребления № 16 от 20.11.2026: расчёт объёма, 1 стр. в {out}.\n"
    check_golden("act_16.txt", pdf_text(out))
    ok(db, "act", "print", "Б-2", str(tmp_path / "b2.pdf"))
    check_golden("act_B-2.txt", pdf_text(tmp_path / "b2.pdf"))
    with open_store(db, read_only=True) as st:
        assert act_pdf(st, "16") == act_pdf(st, "16") == out.read_bytes()        # the same bytes every time
    assert refused(db, 4, "act", "print", "99", str(tmp_path / "x.pdf")) == "Ошибка: Акт № 99 не найден.\n"
    assert not (tmp_path / "x.pdf").exists()
