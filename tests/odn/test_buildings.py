"""Building lifecycle, common meters and their readings (entry and import), through the CLI."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core import buildings as svc
from sbyt.core import common_meters
from sbyt.io import gis_meter_readings, odpu_readings

runner = CliRunner()


@pytest.fixture
def region(store, db_path):
    store.execute("INSERT INTO billing_period (period, status) VALUES (202611, 'open')")
    store.execute("INSERT INTO district VALUES (1, 'D1', 'Центральный')")
    store.execute("INSERT INTO settlement VALUES (1, 'S1', 1, 'г. Энск', 'urban')")
    store.execute("INSERT INTO street VALUES (1, 'ST1', 1, 'ул. Мира')")
    store.execute("INSERT INTO manager VALUES (1, 'UK1', 'ООО «УК Мир»', 'uk', NULL, NULL)")
    store.execute("INSERT INTO soi_normative VALUES ('lift', DATE '2017-01-01', NULL, 1.34)")
    store.close()
    return str(db_path)


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def test_open_fact_meter_reading_close(region):
    r = cli(region, "building", "open", "M1", "--street", "ST1", "--house", "5", "--date", "01.11.2026",
            "--management", "uk", "--manager", "UK1", "--area-res", "2000", "--area-nonres", "400",
            "--area-common", "300", "--soi", "lift")
    assert r.exit_code == 0, r.output
    assert "Дом M1 открыт с 01.11.2026." in r.output
    r = cli(region, "building", "fact", "M1", "--date", "2026-11-15", "--management", "direct")
    assert r.exit_code == 0, r.output
    r = cli(region, "building", "meter-install", "M1", "--serial", "S-1", "--model", "Меркурий 234",
            "--date", "2026-11-01", "--value", "100", "--ratio", "20", "--seal", "П-1", "--verified", "2026-10-01",
            "--interval", "16")
    assert r.exit_code == 0, r.output
    r = cli(region, "building", "reading", "S-1", "--date", "2026-11-25", "--value", "150")
    assert r.exit_code == 0 and "приняты (1)" in r.output
    r = cli(region, "building", "reading", "S-1", "--date", "2026-11-26", "--value", "120")
    assert r.exit_code == 1
    assert "Отклонено: Т1: показание 120 меньше предыдущего 150 от 25.11.2026" in r.output
    r = cli(region, "building", "close", "M1", "--date", "2026-11-30")
    assert r.exit_code == 0, r.output
    r = cli(region, "building", "close", "M1", "--date", "2026-11-30")
    assert r.exit_code == 3 and "Ошибка: Дом «M1» уже закрыт с 30.11.2026." in r.output

    from sbyt.core.store import open_store

    with open_store(region) as st:
        facts = st.all("SELECT valid_from, valid_to, management, manager_id FROM building_fact ORDER BY valid_from")
        assert facts == [(date(2026, 11, 1), date(2026, 11, 15), "uk", 1), (date(2026, 11, 15), None, "direct", None)]
        assert st.all("SELECT kind FROM building_doc ORDER BY id") == [("open",), ("fact",), ("meter_install",),
                                                                       ("close",)]
        assert st.scalar("SELECT count(*) FROM audit_log WHERE entity IN ('building', 'building_fact', 'meter')") == 4
        assert st.all("SELECT status FROM reading ORDER BY id") == [("accepted",), ("accepted",), ("rejected",)]


def test_open_refuses_bad_input(region):
    r = cli(region, "building", "open", "M2", "--street", "ST1", "--house", "1", "--date", "2026-11-01",
            "--management", "uk")
    assert r.exit_code == 1
    assert "Ошибка: Для управления УК, ТСЖ или ЖСК укажите управляющую организацию (--manager)." in r.output
    r = cli(region, "building", "open", "M2", "--street", "ST9", "--house", "1", "--date", "2026-11-01",
            "--management", "none")
    assert r.exit_code == 4 and "Улица с кодом «ST9» не найдена." in r.output
    r = cli(region, "building", "open", "M2", "--street", "ST1", "--house", "1", "--date", "2026-10-01",
            "--management", "none")
    assert r.exit_code == 3 and "закрыт" in r.output


@pytest.fixture
def with_meters(region):
    from sbyt.core.store import open_store

    with open_store(region) as st:
        for code in ("M1", "M2"):
            svc.open_building(st, code, "ST1", code[1:], date(2026, 11, 1), svc.BuildingFacts("direct"))
        common_meters.install_common_meter(st, "M1", common_meters.CommonMeter("A1", "Меркурий", date(2026, 11, 1),
                                                                                ratio=10), [1000])
        common_meters.install_common_meter(st, "M2", common_meters.CommonMeter("A2", "Меркурий", date(2026, 11, 1),
                                                                                zones=2), [50, 20])
    return region


def test_import_template_all_rows_reported_then_ok(with_meters, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Код МКД;Заводской номер;Дата;Т1;Т2;Т3\n"
                   "M1;A1;25.11.2026;900;;\n"           # lower than 1000
                   "M2;A2;25.11.2026;60;;\n"            # 2 zones, 1 value
                   "M1;ZZ;25.11.2026;1;;\n"             # unknown serial
                   "M2;A1;25.11.2026;1100;;\n"          # wrong building
                   ";A1;32.11.2026;1,5;;\n", encoding="utf-8")
    r = cli(with_meters, "building", "import", str(bad))
    assert r.exit_code == 1
    out = r.output
    assert "Найдено ошибок: 6. Ничего не записано." in out
    assert "bad.csv:2:Т1: показание 900 меньше предыдущего 1000" in out
    assert "bad.csv:3:Т1: у ОДПУ «A2» 2 зон(ы), а показаний 1" in out
    assert "bad.csv:4:Заводской номер: ОДПУ с таким заводским номером не найден: «ZZ»" in out
    assert "bad.csv:5:Код МКД: ОДПУ «A1» стоит на доме «M1», а не «M2»" in out
    assert "bad.csv:6:Дата: не дата" in out and "bad.csv:6:Т1: показание «1,5» должно быть целым" in out
    good = tmp_path / "good.csv"
    good.write_text("Код МКД;Заводской номер;Дата;Т1;Т2;Т3\nM1;A1;25.11.2026;1200;;\nM2;A2;2026-11-25;80;30;\n",
                    encoding="utf-8")
    r = cli(with_meters, "building", "import", str(good))
    assert r.exit_code == 0, r.output
    assert "Загружено: строк 2, показаний 3" in r.output
    r = cli(with_meters, "building", "import", str(good))
    assert r.exit_code == 3 and "Этот файл уже загружен" in r.output


def _gis_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Импорт показаний ПУ"
    ws.append(["Шаблон импорта показаний приборов учёта"])
    ws.append([])
    ws.append(["№ п/п", "Номер ПУ в ГИС ЖКХ", "Заводской (серийный) номер ПУ", "Вид коммунального ресурса",
               "Показания", None, None, "Дата снятия показаний", "Статус обработки"])
    ws.append([None, None, None, None, "Т1", "Т2", "Т3", None, None])
    ws.append([1, "ГИС-1", "A1", "Электрическая энергия", 1300, None, None, "25.11.2026", None])
    ws.append([2, "ГИС-2", "A2", "Электрическая энергия", 90, 35, None, "25.11.2026", None])
    ws.append([3, "ГИС-3", "W-1", "Холодная вода", 12, None, None, "25.11.2026", None])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_gis_workbook_parser_and_import(with_meters, tmp_path):
    data = _gis_workbook()
    records, errors, skipped = gis_meter_readings.parse(data, "gis.xlsx")
    assert errors == [] and skipped == 1
    assert [(r.row, r.serial, r.values, r.gis_id) for r in records] == [
        (5, "A1", (1300, None, None), "ГИС-1"), (6, "A2", (90, 35, None), "ГИС-2")]
    path = tmp_path / "gis.xlsx"
    path.write_bytes(data)
    r = cli(with_meters, "building", "import", str(path), "--format", "gis")
    assert r.exit_code == 0, r.output
    assert "пропущено строк других ресурсов 1" in r.output


def test_template_xlsx_parser():
    wb = openpyxl.Workbook()
    wb.active.append(["Код МКД", "Заводской номер", "Дата", "Т1"])
    wb.active.append(["M1", "A1", date(2026, 11, 25), 1234])
    buf = BytesIO()
    wb.save(buf)
    records, errors = odpu_readings.parse(buf.getvalue(), "t.xlsx")
    assert errors == [] and records[0].read_on == date(2026, 11, 25) and records[0].values == (1234, None, None)


def test_odn_average_then_normative(with_meters):
    """A common meter without readings: average of earlier months up to the limit, then normative."""
    from sbyt.calc.odn import compute
    from sbyt.core.store import open_store

    with open_store(with_meters) as st:
        mid = st.scalar("SELECT id FROM meter WHERE serial = 'A1'")
        # readings July..October (3 months of volume: 300 kWh × 10 per month)
        st.execute("DELETE FROM reading WHERE meter_id = ?", [mid])
        st.execute("UPDATE meter SET installed = DATE '2026-01-01' WHERE id = ?", [mid])
        for i, m in enumerate((7, 8, 9, 10)):
            st.execute("INSERT INTO reading VALUES (?, ?, 1, ?, ?, 'regular', 'operator', 'accepted', NULL, NULL, "
                       "current_timestamp, 't')", [100 + i, mid, date(2026, m, 25), 1000 + 300 * i])
        st.execute("UPDATE building_fact SET area_common = 100, soi_category = 'lift'")
        st.execute("INSERT INTO premise VALUES (1, 1, '1', 'flat', NULL, NULL, 50, 1, false, false)")
        run = compute(st, 202611)
        src = dict(zip(run.buildings["building_id"].tolist(), run.source.tolist()))
        assert src[1] == "average"
        assert run.out.b_raw_wh[0] == 3_000_000        # (1900 − 1000) × 10 / 3 months, in Wh
        assert run.out.b_odn_wh[0] == 134_000          # capped: 1.34 × 100 m²
        # readings stopped in July → Aug, Sep, Oct by average → November by normative
        st.execute("DELETE FROM reading WHERE meter_id = ? AND read_on > DATE '2026-07-31'", [mid])
        st.execute("INSERT INTO reading VALUES (200, ?, 1, DATE '2026-06-25', 700, 'regular', 'operator', "
                   "'accepted', NULL, NULL, current_timestamp, 't')", [mid])
        run = compute(st, 202611)
        assert dict(zip(run.buildings["building_id"].tolist(), run.source.tolist()))[1] == "normative"
