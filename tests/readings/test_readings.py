"""Reading control: every rule, rejected readings kept, file import, exact CLI messages."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.errors import RefusedError, SbytError, ValidationError
from sbyt.core.readings import add_reading, import_readings, reading_window
from sbyt.io.tabular import parse_bytes

runner = CliRunner()
JAN22 = date(2026, 1, 22)


def add(st, account: str, value: int, on: date = JAN22, **kw):  # noqa: ANN001, ANN201
    return add_reading(st, account, value, on=on, **kw)


def test_window_of_the_open_month(rstore) -> None:
    w = reading_window(rstore)
    assert (w.period, w.start, w.end) == (202601, date(2026, 1, 1), date(2026, 2, 25))


def test_accepted_reading_gives_consumption(rstore) -> None:
    r = add(rstore, "1000000001", 10300)
    assert (r.status, r.reason, r.prev_value, r.prev_date, r.consumption) == (
        "accepted", None, 10234, date(2025, 12, 25), 66)
    assert r.serial == "12345678"


@pytest.mark.parametrize(("account", "value", "on", "reason"), [
    ("1000000001", 10200, JAN22, "показание 10200 меньше предыдущего 10234 от 25.12.2025"),
    ("1000000002", 50000, JAN22, "показание 50000 меньше предыдущего 99950 от 25.12.2025"),
    ("1000000001", 20235, JAN22, "расход 10001 кВт·ч больше предела 10000 кВт·ч в месяц"),
    ("1000000001", 11235, JAN22, "расход 1001 кВт·ч больше 10 средних (среднемесячный 99 кВт·ч)"),
    ("1000000001", 10300, date(2026, 2, 26), "дата вне окна приёма показаний (01.01.2026 – 25.02.2026)"),
    ("1000000001", 10300, date(2025, 12, 28), "дата в закрытом периоде 12.2025"),
    ("1000000003", 600, JAN22, "прибор учёта снят 21.01.2026"),
    ("1000000002", 100000, JAN22, "показание больше разрядности прибора (5 знаков)"),
])
def test_rejections(rstore, account: str, value: int, on: date, reason: str) -> None:
    r = add(rstore, account, value, on)
    assert (r.status, r.reason) == ("rejected", reason)
    kept = rstore.one("SELECT status, reason, value, source FROM reading WHERE status = 'rejected'")
    assert kept == ("rejected", reason, value, "operator")


def test_rollover_by_the_digits_is_accepted(rstore) -> None:
    r = add(rstore, "1000000002", 30)
    assert (r.status, r.consumption) == ("accepted", 80)


def test_just_below_the_average_limit_is_accepted(rstore) -> None:
    assert add(rstore, "1000000001", 10234 + 990).status == "accepted"


def test_same_date_twice_and_comparison_with_the_new_reading(rstore) -> None:
    assert add(rstore, "1000000001", 10300).status == "accepted"
    r = add(rstore, "1000000001", 10300)
    assert r.reason == "на эту дату уже есть принятое показание (10300)"
    r = add(rstore, "1000000001", 10290, date(2026, 1, 23))
    assert r.reason == "показание 10290 меньше предыдущего 10300 от 22.01.2026"


def test_meter_replacement_starts_a_new_history(rstore) -> None:
    # a new meter on account 3 after the removal: its first reading is not compared with the old one
    mp = rstore.scalar("SELECT metering_point_id FROM meter WHERE serial = '777'")
    rstore.execute("INSERT INTO meter (id, metering_point_id, model, serial, installed) "
                   "VALUES (100, ?, 'Нева 101', '888', DATE '2026-01-21')", [mp])
    r = add(rstore, "1000000003", 5)
    assert (r.status, r.serial, r.prev_value) == ("accepted", "888", None)
    assert add(rstore, "1000000003", 600, serial="777").reason == "прибор учёта снят 21.01.2026"


def test_entry_errors(rstore) -> None:
    with pytest.raises(SbytError, match="^У ЛС 1000000004 нет прибора учёта$"):
        add(rstore, "1000000004", 1)
    with pytest.raises(SbytError, match="Лицевой счёт 1000000009 не найден"):
        add(rstore, "1000000009", 1)
    with pytest.raises(SbytError, match="^У прибора учёта 1 зон"):
        add(rstore, "1000000001", 10300, zone=2)


def _file(tmp_path: Path, name: str, *lines: str) -> Path:
    p = tmp_path / name
    p.write_text("\n".join(["account;serial;zone;date;value;source", *lines]) + "\n", encoding="utf-8")
    return p


def test_import_stores_rejections_and_refuses_the_same_file(rstore, tmp_path: Path) -> None:
    f = _file(tmp_path, "r.csv", "1000000001;;1;22.01.2026;10300;portal", "1000000002;555;;2026-01-23;30;",
              "1000000003;;1;2026-01-22;600;gis", "1000000001;;1;2026-01-24;10310;portal")
    rep = import_readings(rstore, parse_bytes(f.read_bytes(), f.name))
    assert (rep.rows, rep.accepted, rep.rejected) == (4, 3, 1)
    assert rstore.all("SELECT status, reason, source, batch_id FROM reading WHERE batch_id IS NOT NULL "
                      "AND source <> 'load' ORDER BY id") == [
        ("accepted", None, "portal", rep.batch_id), ("accepted", None, "file", rep.batch_id),
        ("rejected", "прибор учёта снят 21.01.2026", "gis", rep.batch_id), ("accepted", None, "portal", rep.batch_id)]
    assert rstore.one("SELECT kind, file_name, rows FROM import_batch WHERE id = ?", [rep.batch_id]) == (
        "readings", "r.csv", 4)
    with pytest.raises(RefusedError, match=r"^Файл r.csv уже загружен \(пакет \d+, тот же SHA-256\)"):
        import_readings(rstore, parse_bytes(f.read_bytes(), f.name))


def test_import_format_errors_write_nothing(rstore, tmp_path: Path) -> None:
    f = _file(tmp_path, "bad.csv", "1000000001;;1;2026-01-22;10300;", "1000000009;;1;2026-01-22;1;",
              "1000000001;;4;32.01.2026;-5;fax", "1000000004;;1;2026-01-22;1;", "1000000001;999;1;2026-01-22;1;")
    before = rstore.scalar("SELECT count(*) FROM reading")
    with pytest.raises(ValidationError) as exc:
        import_readings(rstore, parse_bytes(f.read_bytes(), f.name))
    assert [str(e) for e in exc.value.errors] == [
        "bad.csv:3:account: нет лицевого счёта «1000000009»",
        "bad.csv:4:zone: значение «4» больше 3",
        "bad.csv:4:date: не дата: «32.01.2026» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
        "bad.csv:4:value: значение «-5» меньше 0",
        "bad.csv:4:source: недопустимое значение «fax» (допустимо: operator — оператор, controller — контролёр, "
        "file — файл, gis — ГИС ЖКХ, portal — личный кабинет, askue — АСКУЭ)",
        "bad.csv:5:account: у ЛС 1000000004 нет прибора учёта",
        "bad.csv:6:serial: у ЛС 1000000001 нет прибора учёта № 999",
    ]
    assert rstore.scalar("SELECT count(*) FROM reading") == before
    assert rstore.scalar("SELECT count(*) FROM import_batch WHERE kind = 'readings'") == 0


def test_cli_add_messages(rdb: Path) -> None:
    ok = runner.invoke(app, ["--db", str(rdb), "readings", "add", "1000000001", "10300", "--date", "2026-01-22"])
    assert ok.exit_code == 0
    assert ok.stdout == ("Принято: ЛС 1000000001, прибор 12345678, зона 1, 22.01.2026: 10300 "
                         "(предыдущее 10234 от 25.12.2025, расход 66 кВт·ч); учитывается в расчёте за январь 2026.\n")
    bad = runner.invoke(app, ["--db", str(rdb), "readings", "add", "1000000001", "10200", "--date", "23.01.2026"])
    assert bad.exit_code == 3
    assert bad.stdout == ("Отклонено: ЛС 1000000001, прибор 12345678, зона 1, 23.01.2026: 10200 "
                          "(предыдущее 10300 от 22.01.2026)\n")
    assert bad.stderr == "Ошибка: Показание отклонено: показание 10200 меньше предыдущего 10300 от 22.01.2026\n"
    lst = runner.invoke(app, ["--db", str(rdb), "readings", "list", "1000000001", "--format", "csv"])
    assert lst.exit_code == 0
    assert lst.stdout.splitlines()[-2:] == [
        "2026-01-22;12345678;1;10300;очередное;оператор;принято;",
        "2026-01-23;12345678;1;10200;очередное;оператор;отклонено;показание 10200 меньше предыдущего 10300 от 22.01.2026",
    ]
    table = runner.invoke(app, ["--db", str(rdb), "readings", "list", "1000000001"])
    assert "│ очередное │ оператор │ отклонено │" in table.stdout and "regular" not in table.stdout
    js = runner.invoke(app, ["--db", str(rdb), "readings", "list", "1000000001", "--format", "json"])
    assert json.loads(js.stdout)[-1] | {"причина": ""} == {   # JSON is for programs: it keeps the codes
        "дата": "2026-01-23", "прибор": "12345678", "зона": 1, "показание": 10200, "вид": "regular",
        "источник": "operator", "статус": "rejected", "причина": ""}


def test_cli_add_without_a_date_counts_for_the_open_month(rdb: Path) -> None:
    """January is open. Today 20.01.2026: the reading is dated today; today 05.12.2026 (the tests'
    «today», long after January): dated 31.01.2026, so January is billed on it, not on the normative."""
    ok = runner.invoke(app, ["--db", str(rdb), "readings", "add", "1000000001", "10300"],
                       env={"SBYT_TODAY": "2026-01-20"})
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == ("Принято: ЛС 1000000001, прибор 12345678, зона 1, 20.01.2026: 10300 "
                         "(предыдущее 10234 от 25.12.2025, расход 66 кВт·ч); учитывается в расчёте за январь 2026.\n")
    ok = runner.invoke(app, ["--db", str(rdb), "readings", "add", "1000000001", "10310", "--zone", "1"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == ("Принято: ЛС 1000000001, прибор 12345678, зона 1, 31.01.2026: 10310 "
                         "(предыдущее 10300 от 20.01.2026, расход 10 кВт·ч); учитывается в расчёте за январь 2026.\n")
    ahead = runner.invoke(app, ["--db", str(rdb), "readings", "add", "1000000001", "10320", "--date", "03.02.2026"])
    assert ahead.exit_code == 0, ahead.output
    assert ahead.stdout.endswith("; учитывается в расчёте за февраль 2026.\n")


def test_cli_import_twice(rdb: Path, tmp_path: Path) -> None:
    f = _file(tmp_path, "r.csv", "1000000001;;1;2026-01-22;10300;", "1000000003;;1;2026-01-22;600;")
    res = runner.invoke(app, ["--db", str(rdb), "readings", "import", str(f), "--format", "csv"])
    assert res.exit_code == 0
    assert res.stdout == "строка;дата;зона;показание;причина\n3;2026-01-22;1;600;прибор учёта снят 21.01.2026\n"
    assert res.stderr.endswith("r.csv: показаний 2, принято 1, отклонено 1 (пакет 2).\n")
    again = runner.invoke(app, ["--db", str(rdb), "readings", "import", str(f)])
    assert again.exit_code == 3
    assert again.stderr == ("Ошибка: Файл r.csv уже загружен (пакет 2, тот же SHA-256): "
                            "повторная загрузка запрещена.\n")
