"""Readings of legal-entity measuring complexes (issue 13, item 4): integral readings entered and from
the XLSX template, the monthly volume with the transformer ratios, the control (below the previous,
over the maximum capacity) with rejected readings kept with their reason, the hourly-volumes
template through the 80020 control and the substitute rule, every bad row named, twice refused,
closed months refused."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.reference import install_reference
from sbyt.core.store import open_store

runner = CliRunner()


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    """November 2026 open (October and earlier closed). TP1: 150 kW, meter 012345 with CT 150/5 (30);
    TP2: 5 000 kW, meter 777 with CT 30 and VT 6000/100 (60); TP3: 10 kW, a five-digit meter 555.
    Built once per module, in file mode (`cli_mode` is function-scoped), and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    store = open_store(path)
    install_reference(store)
    store.close()
    db = str(path)
    ok(db, "period", "open", "2026-11")
    ok(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "ООО «Завод»", "--date", "2026-01-01")
    ok(db, "contract", "apply", "Д-1", "--counterparty", "7736207543", "--date", "2026-01-11")
    ok(db, "contract", "object", "Д-1", "--code", "OB1", "--name", "Завод", "--date", "2026-01-11")
    for point, kw, cat in (("TP1", "150", "1"), ("TP2", "5000", "4"), ("TP3", "10", "2")):
        ok(db, "contract", "point", "OB1", "--code", point, "--voltage", "СН2", "--max-kw", kw, "--category", cat,
           "--date", "2026-01-11")
    ok(db, "contract", "meter", "TP1", "--serial", "012345", "--installed", "2026-06-01", "--ct", "30")
    ok(db, "contract", "meter", "TP2", "--serial", "777", "--installed", "2026-06-01", "--ct", "30", "--vt", "60")
    ok(db, "contract", "meter", "TP3", "--serial", "555", "--installed", "2026-06-01", "--digits", "5")
    return path


@pytest.fixture
def db(_template, db_path):
    """A copy of the module's template store."""
    shutil.copyfile(_template, db_path)
    return str(db_path)


def xlsx(path, rows: list[list[object]]) -> str:
    book = Workbook()
    for r in rows:
        book.active.append(r)
    buf = BytesIO()
    book.save(buf)
    path.write_bytes(buf.getvalue())
    return str(path)


def readings_of(db: str) -> list[tuple]:
    with open_store(db, read_only=True) as st:
        return st.all("SELECT m.serial, r.zone, r.read_on, r.value, r.source, r.status, r.reason FROM legal_reading r"
                      " JOIN legal_meter m ON m.id = r.meter_id ORDER BY r.id")


def volumes(db: str, point: str, period: str = "2026-11") -> list[dict]:
    return json.loads(ok(db, "readings", "legal-list", point, "--period", period, "-f", "json"))


def test_entered_readings_give_the_volume_with_both_ratios(db):
    """W16 of the research: 12 345 -> 13 579 with CT 30 is 37 020 kWh; with VT 60 as well 2 221 200 kWh."""
    ok(db, "readings", "legal-add", "TP1", "12345", "--date", "2026-11-01")
    out = ok(db, "readings", "legal-add", "012345", "13579", "--date", "2026-11-30", "--source", "controller")
    assert out.strip() == ("Принято: точка TP1, прибор 012345, зона 1, 30.11.2026: 13579 (предыдущее 12345 от "
                           "01.11.2026, расход 37020 кВт·ч с коэффициентами).")
    ok(db, "readings", "legal-add", "TP2", "12345", "--date", "2026-11-01")
    ok(db, "readings", "legal-add", "TP2", "13579", "--date", "2026-11-30")
    v1, = volumes(db, "TP1")
    assert (v1["зона"], Decimal(v1["разность"]), Decimal(v1["объём, кВт·ч"])) == (1, 1234, 37020)
    v2, = volumes(db, "TP2")
    assert (Decimal(v2["Ктт"]), Decimal(v2["Ктн"]), Decimal(v2["объём, кВт·ч"])) == (30, 60, 2221200)
    # a fraction on the dial is exact: 0,01 × 1 800 = 18 kWh
    ok(db, "readings", "legal-add", "TP2", "13579,01", "--date", "2026-12-01")
    v2, = volumes(db, "TP2", "2026-12")
    assert Decimal(v2["объём, кВт·ч"]) == 18
    assert [r[4] for r in readings_of(db)] == ["manual", "controller", "manual", "manual", "manual"]


def test_below_the_previous_is_rejected_and_kept_unless_the_dial_rolled_over(db):
    ok(db, "readings", "legal-add", "TP1", "13579", "--date", "2026-11-01")
    r = cli(db, "readings", "legal-add", "TP1", "13500", "--date", "2026-11-30")
    assert r.exit_code == 3
    assert "Показание отклонено: показание 13500 меньше предыдущего 13579 от 01.11.2026" in r.output
    assert readings_of(db)[-1] == ("012345", 1, date(2026, 11, 30), Decimal("13500"), "manual", "rejected",
                                   "показание 13500 меньше предыдущего 13579 от 01.11.2026")
    r = cli(db, "readings", "legal-list", "TP1", "--period", "2026-11")
    assert r.exit_code == 1 and "нет принятых показаний" in r.output
    # a five-digit dial: 99 950 -> 20 is a rollover of 70 kWh
    ok(db, "readings", "legal-add", "TP3", "99950", "--date", "2026-11-01")
    ok(db, "readings", "legal-add", "TP3", "20", "--date", "2026-11-30")
    v, = volumes(db, "TP3")
    assert Decimal(v["объём, кВт·ч"]) == 70
    r = cli(db, "readings", "legal-add", "TP3", "100000", "--date", "2026-12-01")
    assert r.exit_code == 3 and "больше разрядности прибора (5 знаков до запятой)" in r.output


def test_a_volume_over_the_maximum_capacity_is_rejected(db):
    """TP1: 150 kW × 24 h = 3 600 kWh a day; with CT 30 that is 120 on the dial."""
    ok(db, "readings", "legal-add", "TP1", "1000", "--date", "2026-11-01")
    ok(db, "readings", "legal-add", "TP1", "1120", "--date", "2026-11-02")
    r = cli(db, "readings", "legal-add", "TP1", "1240,5", "--date", "2026-11-03")
    assert r.exit_code == 3
    assert ("расход 3615 кВт·ч больше возможного при максимальной мощности 150 кВт за 24 ч" in r.output)


def test_the_closed_month_is_refused(db):
    r = cli(db, "readings", "legal-add", "TP1", "1000", "--date", "2026-10-31")
    assert r.exit_code == 3 and "закрыт" in r.output
    assert readings_of(db) == []


def test_the_integral_template_loads_readings_by_zone_and_rejects_the_implausible(db, tmp_path):
    ok(db, "readings", "legal-add", "TP2", "4000", "--date", "2026-11-01", "--zone", "1")
    ok(db, "readings", "legal-add", "TP2", "2000", "--date", "2026-11-01", "--zone", "2")
    path = xlsx(tmp_path / "показания.xlsx", [
        ["Точка поставки", "Прибор учёта", "Дата", "Зона", "Показание"],
        ["TP2", None, date(2026, 11, 30), 1, 4512.5],
        [None, "777", date(2026, 11, 30), 2, 2210],
        ["TP1", "012345", "30.11.2026", None, "500"],
        ["TP1", None, "2026-11-15", 1, 600],          # the file's own earlier reading: 500 is below it
    ])
    r = cli(db, "readings", "import", path, "-f", "csv")
    assert r.exit_code == 0, r.output
    assert "интегральные показания ЮЛ 4, принято 3, отклонено 1" in r.output
    assert "показание 500 меньше предыдущего 600 от 15.11.2026" in r.output
    got = {(v["прибор"], v["зона"]): Decimal(v["объём, кВт·ч"]) for v in volumes(db, "TP2")}
    assert got == {("777", 1): Decimal("512.5") * 1800, ("777", 2): Decimal(210) * 1800}
    assert {r[4] for r in readings_of(db)[2:]} == {"template"}
    r = cli(db, "readings", "import", path)
    assert r.exit_code == 3 and "уже загружен" in r.output and "повторная загрузка запрещена" in r.output


def test_a_bad_integral_template_names_every_row_and_writes_nothing(db, tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", [
        ["Точка поставки", "Прибор учета", "Дата", "Зона", "Показание"],
        ["TP1", None, date(2026, 11, 30), 1, 100],
        ["TPX", None, date(2026, 11, 30), 1, 100],
        ["TP1", None, "31.02.2026", 1, 100],
        ["TP1", None, date(2026, 11, 30), 4, -5],
        ["TP1", "999", date(2026, 11, 30), 1, 100],
        [None, None, date(2026, 11, 30), 1, 100],
        ["TP1", None, date(2026, 10, 30), 1, "12,34567"],
    ])
    r = cli(db, "readings", "import", path)
    assert r.exit_code == 1
    for line in ("bad.xlsx:3:точка поставки: нет точки поставки «TPX»",
                 "bad.xlsx:4:дата: не дата: «31.02.2026»",
                 "bad.xlsx:5:зона: значение «4» больше 3",
                 "bad.xlsx:5:показание: значение «-5» меньше 0",
                 "bad.xlsx:6:прибор учёта: в точке поставки TP1 нет прибора учёта № 999",
                 "bad.xlsx:7:точка поставки: укажите код точки поставки или заводской номер прибора учёта",
                 "bad.xlsx:8:дата: месяц 10.2026 закрыт: загрузка в закрытый период запрещена",
                 "bad.xlsx:8:показание: не число (до 4 знаков после запятой): «12,34567»"):
        assert line in r.output, r.output
    assert "bad.xlsx:2" not in r.output
    assert readings_of(db) == []
    with open_store(db, read_only=True) as st:
        assert st.scalar("SELECT count(*) FROM import_batch") == 0


def hourly_rows(day: date, values: list[object], point: str | None = "TP1", serial: str | None = None) -> list:
    return [point, serial, day, *values]


HEAD = ["Точка поставки", "Прибор учёта", "Дата", *range(1, 25)]


def meter_hours(db: str) -> list[tuple]:
    with open_store(db, read_only=True) as st:
        return st.all("SELECT day, hour, value_wh, status, reason FROM meter_hour ORDER BY day, hour")


def test_the_hourly_template_rejects_an_hour_over_capacity_and_substitutes_gaps(db, tmp_path):
    """Day 1 full; hour 20 empty on days 2 and 3 (the substitute is day 1's hour 20, from the same file);
    day 5 hour 3 empty with no day 4 (0); day 2 hour 10 at 150,001 kWh over TP1's 150 kW."""
    day1 = [Decimal(40) + Decimal("2.5") * h for h in range(1, 25)]
    day2 = list(day1)
    day2[19] = None
    day2[9] = "150,001"
    day5 = list(day1)
    day5[2] = None
    path = xlsx(tmp_path / "часы.xlsx", [HEAD, hourly_rows(date(2026, 11, 1), [float(v) for v in day1]),
                                          hourly_rows(date(2026, 11, 2), day2, None, "012345"),
                                          hourly_rows(date(2026, 11, 3), day2[:9] + [1] + day2[10:]),
                                          hourly_rows(date(2026, 11, 5), day5)])
    r = cli(db, "readings", "import", path)
    assert r.exit_code == 0, r.output
    assert "часы.xlsx: почасовые объёмы, часов 96: измерено 92, замещено 3, отклонено 1." in r.output
    hours = {(d.day, h): (wh, s, why) for d, h, wh, s, why in meter_hours(db)}
    assert hours[(1, 20)] == (90_000, "measured", None)
    assert hours[(2, 20)] == (90_000, "substituted", "нет данных за час")
    assert hours[(3, 20)] == (90_000, "substituted", "нет данных за час")
    assert hours[(5, 3)] == (0, "substituted", "нет данных за час")
    assert hours[(2, 10)] == (150_001, "rejected", "больше максимальной мощности 150.000 кВт")
    assert hours[(3, 10)] == (1_000, "measured", None)
    day = json.loads(ok(db, "contract", "volumes", "TP1", "--from", "2026-11-01", "--to", "2026-11-01", "-f", "json"))
    assert Decimal(day[0]["Измерено, кВт·ч"]) == sum(day1)
    r = cli(db, "readings", "import", path)
    assert r.exit_code == 3 and "уже загружен" in r.output


def test_a_bad_hourly_template_names_every_row_and_writes_nothing(db, tmp_path):
    ok(db, "readings", "import", xlsx(tmp_path / "first.xlsx", [HEAD, hourly_rows(date(2026, 11, 1), [1] * 24)]))
    path = xlsx(tmp_path / "bad.xlsx", [
        HEAD,
        hourly_rows(date(2026, 11, 2), [1] * 24),
        hourly_rows(date(2026, 11, 2), [2] * 24, None, "012345"),
        hourly_rows(date(2026, 11, 1), [1] * 24),
        hourly_rows(date(2026, 11, 3), [1] * 23 + ["abc"]),
        hourly_rows(date(2026, 10, 3), [1] * 24),
        hourly_rows(date(2026, 5, 3), [1] * 24, "TP2"),
    ])
    r = cli(db, "readings", "import", path)
    assert r.exit_code == 1
    for line in ("bad.xlsx:3: повтор: прибор учёта № 012345 за 02.11.2026 уже есть в строке 2",
                 "bad.xlsx:4: почасовые объёмы прибора учёта № 012345 за 01.11.2026 уже загружены (пакет 1)",
                 "bad.xlsx:5:24: не число (до 3 знаков после запятой): «abc»",
                 "bad.xlsx:6:дата: месяц 10.2026 закрыт: загрузка в закрытый период запрещена",
                 "bad.xlsx:7:прибор учёта: прибор учёта № 777 на 03.05.2026 не работает (установлен 01.06.2026)"):
        assert line in r.output, r.output
    assert "bad.xlsx:2" not in r.output
    assert len(meter_hours(db)) == 24
    r = cli(db, "readings", "import", xlsx(tmp_path / "cols.xlsx", [HEAD[:-1], hourly_rows(date(2026, 11, 2), [1] * 23)]))
    assert r.exit_code == 1 and "cols.xlsx:1:24: нет обязательной колонки" in r.output


def test_the_written_templates_load_as_they_are(db, tmp_path):
    """`sbyt readings legal-template` writes what `sbyt readings import` takes: its sample rows are TP1
    (meter 012345) and TP2 of this store."""
    ok(db, "readings", "legal-template", "integral", str(tmp_path / "i.xlsx"))
    ok(db, "readings", "legal-template", "hourly", str(tmp_path / "h.xlsx"))
    out = ok(db, "readings", "import", str(tmp_path / "i.xlsx"))
    assert "интегральные показания ЮЛ 3, принято 3, отклонено 0" in out
    out = ok(db, "readings", "import", str(tmp_path / "h.xlsx"))
    assert "часов 48: измерено 47, замещено 1, отклонено 0." in out
    listed = json.loads(ok(db, "readings", "legal-list", "TP2", "-f", "json"))
    assert [(x["зона"], Decimal(x["показание"]), x["источник"], x["статус"]) for x in listed] == [
        (1, Decimal("4512.5"), "template", "accepted"), (2, Decimal(2210), "template", "accepted")]
    assert "шаблон XLSX;принято" in ok(db, "readings", "legal-list", "TP2", "-f", "csv")


def test_the_households_readings_file_is_not_taken_for_a_legal_template():
    from sbyt.io.legal_templates import HOURLY, INTEGRAL, detect
    from sbyt.io.tabular import parse_bytes

    def kind(header: str) -> str | None:
        return detect(parse_bytes(f"{header}\n".encode(), "f.csv"))

    assert kind("account;serial;zone;date;value;source") is None
    assert kind("Точка поставки;Дата;Показание") == INTEGRAL
    assert kind("Прибор учета;Дата;Зона;Показания") == INTEGRAL
    assert kind("Прибор учёта;Дата;" + ";".join(str(h) for h in range(1, 25))) == HOURLY
