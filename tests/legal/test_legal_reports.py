"""The legal-entity reports (`sbyt report run`: contract volumes, the contract register, measuring
complexes due for verification, hourly consumption) on a small hand-built setup with exact values,
and `sbyt contract plan` (declared volumes by month) with its refusals. The register's deadlines are
those of `sbyt contract tasks`, across the May 2026 and the New Year holidays."""

from __future__ import annotations

import shutil
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.reference import install_reference
from sbyt.core.store import open_store

runner = CliRunner()
SARANSK = "80020_7703311228_20100714_12373_2100000600.xml"
TEST2021 = "80020_7713076301_20190101_6599155.xml"
ALL_DOCS = "register_extract,authority,title,grid_act,meter_act,capacity_doc"


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.output


def report(db: str, name: str, **params: str) -> list[dict]:
    args = [a for k, v in params.items() for a in ("-p", f"{k}={v}")]
    return json.loads(ok(db, "report", "run", name, *args, "-f", "json"))


def counterparty(db: str) -> None:
    ok(db, "counterparty", "add", "7736207543", "--kpp", "770401001", "--name", "МБУ «Школа № 1»", "--kind", "budget",
       "--budget", "local", "--financing", "Местный бюджет", "--mobile", "+7 912 345-67-89",
       "--email", "school@example.ru", "--date", "2026-01-01")


def signed(db: str, number: str, applied: str, signed_on: str, starts: str) -> None:
    ok(db, "contract", "apply", number, "--counterparty", "7736207543", "--docs", ALL_DOCS, "--date", applied)
    ok(db, "contract", "draft", number, "--date", applied)
    ok(db, "contract", "approve", number, "--date", applied)
    ok(db, "contract", "sign", number, "--start", starts, "--date", signed_on)


@pytest.fixture(scope="module")
def _template(tmp_path_factory):
    """Contracts at every step of the procedure; 77-005 signed with two objects, a point and four
    measuring complexes; 77-008 terminated from 01.09.2026. The open month is 05.2026."""
    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    store = open_store(path)
    install_reference(store)
    store.execute("INSERT INTO billing_period (period, status) VALUES (202605, 'open')")
    store.close()
    db = str(path)
    counterparty(db)
    # waits for the notice of missing documents: 29.04 + 5 working days (1 May a holiday) = 07.05
    ok(db, "contract", "apply", "77-001", "--counterparty", "7736207543", "--docs", "register_extract,title",
       "--date", "2026-04-29")
    # complete on 30.04: the draft within 30 days = 30.05
    ok(db, "contract", "apply", "77-002", "--counterparty", "7736207543", "--docs", ALL_DOCS, "--date", "2026-04-30")
    # disagreement on Friday 08.05: 10 working days (9–11 May days off) = 25.05
    ok(db, "contract", "apply", "77-003", "--counterparty", "7736207543", "--docs", ALL_DOCS, "--date", "2026-05-04")
    ok(db, "contract", "draft", "77-003", "--date", "2026-05-05")
    ok(db, "contract", "approve", "77-003", "--date", "2026-05-06")
    ok(db, "contract", "disagree", "77-003", "--date", "2026-05-08")
    # notice sent: waits for the documents, no deadline
    ok(db, "contract", "apply", "77-004", "--counterparty", "7736207543", "--date", "2026-04-29")
    ok(db, "contract", "notice", "77-004", "--date", "2026-05-06")
    signed(db, "77-005", "2026-05-04", "2026-05-20", "2026-06-01")
    ok(db, "contract", "object", "77-005", "--code", "OB1", "--name", "Здание школы", "--date", "2026-06-01")
    ok(db, "contract", "object", "77-005", "--code", "OB2", "--name", "Котельная", "--date", "2026-06-01")
    ok(db, "contract", "point", "OB1", "--code", "TP1", "--voltage", "СН2", "--max-kw", "150", "--date", "2026-06-01")
    for serial, verified, years in (("M1", "2018-06-01", "8"), ("M2", "2020-03-01", "6"), ("M3", "2022-01-01", "16")):
        ok(db, "contract", "meter", "TP1", "--serial", serial, "--installed", "2026-06-01", "--model", "Меркурий 230",
           "--accuracy", "0.5S", "--verified", verified, "--interval", years)
    ok(db, "contract", "meter", "TP1", "--serial", "M4", "--installed", "2026-06-01")
    # over the New Year holidays: the notice by 15.01.2027, the draft by 29.01.2027
    ok(db, "contract", "apply", "77-006", "--counterparty", "7736207543", "--docs", ALL_DOCS, "--date", "2026-12-30")
    ok(db, "contract", "apply", "77-007", "--counterparty", "7736207543", "--date", "2026-12-30")
    signed(db, "77-008", "2026-05-04", "2026-05-20", "2026-06-01")
    ok(db, "contract", "object", "77-008", "--code", "OB8", "--name", "Столовая", "--date", "2026-06-01")
    ok(db, "contract", "terminate", "77-008", "--from", "2026-09-01", "--date", "2026-08-01")
    return path


@pytest.fixture
def db(_template, db_path):
    """A copy of the module's template store (built once, in file mode)."""
    shutil.copyfile(_template, db_path)
    return str(db_path)


# ------------------------------------------------------------------------------- sbyt contract plan
YEAR = "1200 1100 1000 900 800 700 700 800 900 1000 1100 1200,5"


def test_plan_sets_a_year_by_month_and_lists_it(db):
    r = cli(db, "contract", "plan", "77-005", "--year", "2027", "--object", "OB1", "--values", YEAR)
    assert r.exit_code == 0, r.output
    assert r.stderr == "Договорные объёмы по договору № 77-005, объект OB1 (Электроэнергия): заявлено месяцев 12.\n"
    ok(db, "contract", "plan", "77-005", "--year", "2027", "--object", "OB1", "--service", "мощность",
       "--month", "01=150", "--month", "12=149,5")
    out = ok(db, "contract", "plan", "77-005", "--year", "2027", "--object", "OB2", "--values",
             "10;10;10;10;10;10;10;10;10;10;10;10")
    r = cli(db, "contract", "plan", "77-005", "--year", "2027", "-f", "csv")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.splitlines() == [
        "Объект;Наименование;Услуга;Ед.;Январь;Февраль;Март;Апрель;Май;Июнь;Июль;Август;Сентябрь;Октябрь;Ноябрь;"
        "Декабрь;За год",
        "OB1;Здание школы;Электроэнергия;кВт·ч;1200,000;1100,000;1000,000;900,000;800,000;700,000;700,000;800,000;"
        "900,000;1000,000;1100,000;1200,500;11400,500",
        "OB1;Здание школы;Мощность;кВт;150,000;;;;;;;;;;;149,500;",
        "OB2;Котельная;Электроэнергия;кВт·ч;10,000;10,000;10,000;10,000;10,000;10,000;10,000;10,000;10,000;10,000;"
        "10,000;10,000;120,000"]
    assert "Договорные объёмы по договору № 77-005 на 2027 год" in out
    # a month declared again is replaced; the document keeps the previous value
    ok(db, "contract", "plan", "77-005", "--year", "2027", "--object", "OB1", "--month", "03=950", "--date", "2026-05-25",
       "--doc", "исх. 12")
    rows = json.loads(ok(db, "contract", "plan", "77-005", "--year", "2027", "-f", "json"))
    assert rows[0]["Март"] == "950.000" and rows[0]["За год"] == "11350.500" and rows[0]["Услуга"] == "energy"
    history = json.loads(ok(db, "contract", "history", "77-005", "-f", "json"))
    assert history[-1] == {"Дата": "2026-05-25", "Документ": "volumes", "Номер": "исх. 12", "Действует с": None,
                           "Изменения": "object: OB1; previous: 03.2027: 1000.000; service: energy; "
                                        "volumes: 03.2027: 950.000",
                           "Примечание": None, "Кто": history[-1]["Кто"]}
    with open_store(db, read_only=True) as st:
        assert st.scalar("SELECT count(*) FROM contract_doc WHERE kind = 'volumes'") == 4
        assert st.scalar("SELECT count(*) FROM audit_log WHERE entity = 'contract'"
                         " AND json_extract_string(new_value, '$.doc') = 'volumes'") == 4
        assert st.scalar("SELECT count(*) FROM contract_volume") == 26
        doc = st.scalar("SELECT max(id) FROM contract_doc WHERE kind = 'volumes'")
        assert st.all("SELECT period, volume, doc_id = ? FROM contract_volume WHERE period = 202703"
                      " AND service = 'energy' ORDER BY object_id", [doc]) == [
            (202703, Decimal("950.000"), True), (202703, Decimal("10.000"), False)]


@pytest.mark.parametrize("args, code, message", [
    (["77-999", "--object", "OB1", "--month", "06=1"], 4, "Договор № 77-999 не найден."),
    (["77-005", "--object", "OB9", "--month", "06=1"], 4, "Объект с кодом «OB9» не найден."),
    (["77-001", "--object", "OB1", "--month", "06=1"], 3, "Объект «OB1» не относится к договору № 77-001."),
    (["77-005", "--object", "OB1", "--month", "07=-5"], 1,
     "Договорный объём за 07.2026 отрицательный (-5): объём — ноль или больше."),
    (["77-005", "--object", "OB1", "--month", "07=1,2345"], 1,
     "Договорный объём за 07.2026 (1.2345): не более трёх знаков после запятой."),
    (["77-005", "--object", "OB1", "--values", YEAR], 3,
     "Поставка по договору № 77-005 начинается 01.06.2026: объём за 01.2026 не заявляется."),
    (["77-008", "--object", "OB8", "--month", "08=1", "--month", "09=1"], 3,
     "Договор № 77-008 расторгнут с 01.09.2026: объём за 09.2026 не заявляется."),
    (["77-005", "--object", "OB1", "--service", "вода", "--month", "06=1"], 1,
     "Услуга: «вода» — нет такого значения; допустимы: energy — Электроэнергия, capacity — Мощность."),
    (["77-005", "--object", "OB1", "--values", "1 2 3"], 1, "Ожидается 12 объёмов (январь–декабрь), а указано 3."),
    (["77-005", "--object", "OB1", "--month", "06=abc"], 1, "Объём за 06.2026: не число «abc»."),
    (["77-005", "--object", "OB1", "--month", "13=1"], 1, "--month «13=1»: ожидается ММ=значение, месяц 01–12."),
    (["77-005", "--object", "OB1", "--month", "06=1", "--month", "6=2"], 1, "--month: месяц 06 указан дважды."),
    (["77-005", "--month", "06=1"], 1, "Укажите объект расчёта, объёмы которого заявляются: --object КОД."),
    (["77-005", "--object", "OB1"], 1, "Укажите объёмы: --values (12 значений) или --month ММ=значение."),
])
def test_plan_refuses_with_the_reason_and_writes_nothing(db, args, code, message):
    r = cli(db, "contract", "plan", args[0], "--year", "2026", *args[1:])
    assert (r.exit_code, r.output) == (code, f"Ошибка: {message}\n")
    with open_store(db, read_only=True) as st:
        assert st.scalar("SELECT count(*) FROM contract_volume") == 0
        assert st.scalar("SELECT count(*) FROM contract_doc WHERE kind = 'volumes'") == 0


def test_plan_refuses_a_closed_month_and_an_unchanged_declaration(db):
    ok(db, "contract", "plan", "77-008", "--year", "2026", "--object", "OB8", "--month", "08=5")
    r = cli(db, "contract", "plan", "77-008", "--year", "2026", "--object", "OB8", "--month", "08=5,000")
    assert (r.exit_code, r.output) == (3, "Ошибка: Эти объёмы уже заявлены: изменений нет.\n")
    with open_store(db) as st:                      # 05.2026 closed, 06.2026 open (as `sbyt period close` leaves them)
        st.execute("UPDATE billing_period SET status = 'closed' WHERE period = 202605")
        st.execute("INSERT INTO billing_period (period, status) VALUES (202606, 'open')")
    ok(db, "contract", "apply", "77-009", "--counterparty", "7736207543", "--date", "2026-04-01")
    ok(db, "contract", "object", "77-009", "--code", "OB9", "--name", "Гараж", "--date", "2026-04-01")
    r = cli(db, "contract", "plan", "77-009", "--year", "2026", "--object", "OB9", "--month", "05=1", "--month", "06=1")
    assert (r.exit_code, r.output) == (3, "Ошибка: Период 05.2026 закрыт: изменения в закрытом периоде запрещены\n")
    ok(db, "contract", "plan", "77-009", "--year", "2026", "--object", "OB9", "--month", "06=1")  # an application may
    with open_store(db, read_only=True) as st:
        assert st.all("SELECT period FROM contract_volume ORDER BY period") == [(202606,), (202608,)]


# ------------------------------------------------------------------------------- contract_volumes
def test_contract_volumes_as_the_seed_screen(db):
    ok(db, "contract", "plan", "77-005", "--year", "2027", "--object", "OB1", "--values", YEAR)
    ok(db, "contract", "plan", "77-005", "--year", "2027", "--object", "OB1", "--service", "capacity",
       "--month", "01=150")
    ok(db, "contract", "plan", "77-005", "--year", "2028", "--object", "OB2", "--month", "01=7")  # another year
    rows = report(db, "contract_volumes", year="2027")
    assert [r["number"] for r in rows] == ["77-001", "77-002", "77-003", "77-004", "77-005", "77-005", "77-005",
                                          "77-006", "77-007", "77-008"]
    months = [f"m{m:02d}" for m in range(1, 13)]
    energy, capacity, boiler = rows[4:7]
    assert {k: energy[k] for k in ("contract", "counterparty", "number", "contract_date", "financing_group", "object",
                                   "service", "unit", "year_total")} == {
        "contract": "Договор № 77-005 от 20.05.2026", "counterparty": "МБУ «Школа № 1»", "number": "77-005",
        "contract_date": "2026-05-20", "financing_group": "Местный бюджет", "object": "Здание школы",
        "service": "Электроэнергия", "unit": "кВт·ч", "year_total": "11400.500"}
    assert [energy[m] for m in months] == ["1200.000", "1100.000", "1000.000", "900.000", "800.000", "700.000",
                                           "700.000", "800.000", "900.000", "1000.000", "1100.000", "1200.500"]
    assert (capacity["service"], capacity["unit"], capacity["m01"], capacity["m02"], capacity["year_total"]) == (
        "Мощность", "кВт", "150.000", None, None)
    assert (boiler["object"], boiler["service"], boiler["m01"]) == ("Котельная", None, None)   # nothing in 2027
    assert (rows[0]["contract"], rows[0]["contract_date"], rows[0]["object"]) == ("Договор № 77-001", None, None)
    assert [r["number"] for r in report(db, "contract_volumes", year="2028", contract="77-005")] == ["77-005"] * 2


# ------------------------------------------------------------------------------- contract_register
def tasks(db: str, on: str) -> list[dict]:
    return json.loads(ok(db, "contract", "tasks", "--date", on, "-f", "json"))


def test_the_register_lists_every_contract_with_its_next_step(db):
    rows = {r["number"]: r for r in report(db, "contract_register", on_date="2026-05-26")}
    step = {n: (r["state"], r["next_step"], r["due"], r["overdue_days"]) for n, r in rows.items()}
    assert step == {
        "77-001": ("заявка", "направить уведомление о недостающих документах", "2026-05-07", 19),
        "77-002": ("заявка", "направить проект договора", "2026-05-30", 0),
        "77-003": ("протокол разногласий", "ответить на протокол разногласий", "2026-05-25", 1),
        "77-004": ("заявка", "получить недостающие документы", None, None),
        "77-005": ("подписан", None, None, None),
        "77-006": ("заявка", "направить проект договора", "2027-01-29", 0),
        "77-007": ("заявка", "направить уведомление о недостающих документах", "2027-01-15", 0),
        "77-008": ("расторгнут", None, None, None)}
    assert rows["77-008"] == {
        "number": "77-008", "counterparty": "МБУ «Школа № 1»", "inn": "7736207543", "kind": "энергоснабжения",
        "state": "расторгнут", "applied_on": "2026-05-04", "complete_on": "2026-05-04", "signed_on": "2026-05-20",
        "starts": "2026-06-01", "ends": None, "terminated_from": "2026-09-01", "next_step": None, "due": None,
        "overdue_days": None}
    assert [r["number"] for r in report(db, "contract_register", on_date="2026-05-26", state="подписан")] == ["77-005"]


@pytest.mark.parametrize("on", ["2026-05-06", "2026-05-08", "2026-05-25", "2026-05-26", "2026-06-30", "2027-01-20"])
def test_the_register_and_contract_tasks_give_the_same_deadlines(db, on):
    register = {(r["number"], r["inn"], r["next_step"], r["due"], r["overdue_days"])
                for r in report(db, "contract_register", on_date=on) if r["due"] is not None}
    listed = {(t["Договор"], t["ИНН"], t["Задача"], t["Срок"], t["Просрочено, дн."]) for t in tasks(db, on)}
    assert register == listed and len(listed) == 5


def test_the_calendar_table_is_the_production_calendar(db):
    """Every day of the store's calendar is rated as sbyt.core.workdays rates it, and the SQL twin of
    add_working_days gives its days for every start of 2026 and 2027."""
    from sbyt.core.reference import CALENDAR_YEARS, install_reference
    from sbyt.core.workdays import add_working_days, is_working_day

    with open_store(db) as st:
        days = st.all("SELECT day, working FROM production_calendar ORDER BY day")
        assert (days[0][0], days[-1][0], len(days)) == (date(CALENDAR_YEARS[0], 1, 1), date(CALENDAR_YEARS[1], 12, 31),
                                                         (date(CALENDAR_YEARS[1], 12, 31) - date(CALENDAR_YEARS[0], 1, 1)).days + 1)
        assert all(w == is_working_day(d) for d, w in days)
        starts = [date(2026, 1, 1) + timedelta(days=i) for i in range(730)]
        got = st.all("SELECT d, working_day_after(d, 5), working_day_after(d, 10) FROM"
                     " (SELECT unnest(?::DATE[]) AS d) ORDER BY d", [starts])
        assert got == [(d, add_working_days(d, 5), add_working_days(d, 10)) for d in starts]
        # a changed day (the Government moves a day off) is brought back by the next `sbyt init`
        st.execute("UPDATE production_calendar SET working = NOT working WHERE day = DATE '2026-05-12'")
        assert install_reference(st)["calendar"] > 0
        assert st.scalar("SELECT working FROM production_calendar WHERE day = DATE '2026-05-12'") is True
        assert install_reference(st)["calendar"] == 0


# ------------------------------------------------------------------------------- legal_meters_expired
def test_measuring_complexes_due_for_verification(db):
    assert report(db, "legal_meters_expired", on_date="2026-02-28") == []
    rows = report(db, "legal_meters_expired", on_date="2026-06-30")
    assert rows == [
        {"counterparty": "МБУ «Школа № 1»", "inn": "7736207543", "number": "77-005", "object": "Здание школы",
         "point": "TP1", "serial": "M2", "model": "Меркурий 230", "accuracy": "0.5S", "installed": "2026-06-01",
         "verified": "2020-03-01", "interval_years": 6, "due": "2026-03-01", "overdue_days": 121},
        {"counterparty": "МБУ «Школа № 1»", "inn": "7736207543", "number": "77-005", "object": "Здание школы",
         "point": "TP1", "serial": "M1", "model": "Меркурий 230", "accuracy": "0.5S", "installed": "2026-06-01",
         "verified": "2018-06-01", "interval_years": 8, "due": "2026-06-01", "overdue_days": 29}]
    assert [r["serial"] for r in report(db, "legal_meters_expired", on_date="2026-05-31")] == []   # not installed
    assert report(db, "legal_meters_expired", on_date="2026-06-30", contract="77-008") == []


# ------------------------------------------------------------------------------- hourly_consumption
@pytest.fixture
def askue_db(store, db_path, samples):
    """A point with two measuring complexes of the Saransk sample (14.07.2010) and a point of the 2021
    sample with a gap (20.03.2021); TPH's maximum capacity 1 400 kW rejects two hours of SA."""
    store.close()
    db = str(db_path)
    counterparty(db)
    ok(db, "contract", "apply", "Д-1", "--counterparty", "7736207543", "--date", "2010-01-11")
    ok(db, "contract", "object", "Д-1", "--code", "OB1", "--name", "Завод", "--date", "2010-01-11")
    for point, max_kw in (("TPH", "1400"), ("TPG", "5000")):
        ok(db, "contract", "point", "OB1", "--code", point, "--voltage", "ВН", "--max-kw", max_kw, "--category", "4",
           "--date", "2010-01-11")
    for serial, point, code, channel in (("SA", "TPH", "131040001114001", "04"), ("SC", "TPH", "131040001114001", "03"),
                                         ("SG", "TPG", "333258", "01")):
        ok(db, "contract", "meter", point, "--serial", serial, "--installed", "2010-01-11", "--askue", code,
           "--channel", channel)
    ok(db, "readings", "import", str(samples / "askue_80020" / SARANSK), str(samples / "askue_80020" / TEST2021))
    return db


def _hours(path: Path, code: str, channel: str) -> dict[int, Decimal]:
    """kWh by hour 1..24 of one point and channel, read from the file independently of sbyt.io."""
    import xml.etree.ElementTree as ET

    text = path.read_bytes().decode("cp1251")
    root = ET.fromstring(text.split("?>", 1)[1] if text.startswith("<?xml") else text)
    out: dict[int, Decimal] = defaultdict(Decimal)
    for mp in root.iter("measuringpoint"):
        if mp.get("code") == code:
            for ch in mp.iter("measuringchannel"):
                if ch.get("code") == channel:
                    for p in ch.iter("period"):
                        out[int(p.get("start")[:2]) + 1] += Decimal(p.find("value").text)
    return out


def test_hourly_consumption_of_a_point_and_of_one_meter(askue_db, samples):
    src = samples / "askue_80020" / SARANSK
    a, c = _hours(src, "131040001114001", "04"), _hours(src, "131040001114001", "03")
    rejected = [h for h in range(1, 25) if a[h] > 1400]
    assert rejected == [2, 7]
    (row,) = report(askue_db, "hourly_consumption", point="TPH", date_from="2010-07-01", date_to="2010-07-31")
    expected = {h: (c[h] if h in rejected else a[h] + c[h]) for h in range(1, 25)}
    assert row["day"] == "2010-07-14"
    assert {h: Decimal(row[f"h{h:02d}"]) for h in range(1, 25)} == expected
    assert Decimal(row["h15"]) == Decimal("190")                       # 161 + 29: both meters of the point
    assert Decimal(row["total_kwh"]) == sum(expected.values())
    assert (row["substituted"], row["rejected"], Decimal(row["rejected_kwh"]), row["marks"]) == (
        0, 2, a[2] + a[7], "отклонены: 2, 7")
    (one,) = report(askue_db, "hourly_consumption", point="TPH", meter="SA", date_from="2010-07-14",
                    date_to="2010-07-14")
    assert (one["h01"], one["h02"], one["h07"]) == (f"{a[1]:.3f}", None, None)   # a rejected hour is not consumption
    assert Decimal(one["total_kwh"]) == sum(a[h] for h in range(1, 25) if h not in rejected)
    assert report(askue_db, "hourly_consumption", point="TPH", date_from="2010-07-15", date_to="2010-07-31") == []


def test_hourly_consumption_marks_substituted_hours(askue_db):
    (row,) = report(askue_db, "hourly_consumption", point="TPG", date_from="2021-03-01", date_to="2021-03-31")
    assert row["day"] == "2021-03-20"
    assert [row[f"h{h:02d}"] for h in (19, 20, 21, 22)] == ["3.000", "0.000", "0.000", "3.000"]   # no previous day: 0
    assert (row["total_kwh"], row["substituted"], row["rejected"], row["rejected_kwh"], row["marks"]) == (
        "66.000", 2, 0, "0.000", "замещены: 20, 21")


def test_every_legal_report_renders_in_every_format(askue_db, tmp_path):
    for name, params in (("contract_volumes", ["year=2010"]), ("contract_register", ["on_date=2010-02-01"]),
                         ("legal_meters_expired", []),
                         ("hourly_consumption", ["point=TPH", "date_from=2010-07-14", "date_to=2010-07-14"])):
        for fmt in ("table", "csv", "xlsx", "pdf"):
            out = tmp_path / f"{name}.{fmt}"
            args = [a for p in params for a in ("-p", p)]
            r = cli(askue_db, "report", "run", name, *args, "-f", fmt, "-o", str(out))
            assert r.exit_code == 0, r.output
            assert out.stat().st_size > (1000 if fmt in ("xlsx", "pdf") else 10), (name, fmt)
