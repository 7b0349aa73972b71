"""`sbyt load`: templates, validation of every kind, all or nothing, idempotent reloads."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.errors import ValidationError
from sbyt.core.loading import ENTITIES
from sbyt.core.store import open_store

from sbyt.core.loading import LoadReport, load_tables
from sbyt.core.store import Store
from sbyt.console.cli import files
from sbyt.io.tabular import parse_directory

runner = CliRunner()


def append(path: Path, *lines: str) -> None:
    """Add data rows to a template CSV (keeps its BOM and CRLF line ends)."""
    with path.open("ab") as f:
        for line in lines:
            f.write(line.encode("utf-8") + b"\r\n")


def load(store: Store, directory: Path, period: int | None = 202601) -> LoadReport:
    tables, sha = parse_directory(files.directory(directory))
    return load_tables(store, tables, source=directory.name, sha256=sha, period=period)


COUNTED = ["supplier", "district", "settlement", "street", "manager", "tariff_group", "tariff", "normative",
           "soi_normative", "building", "building_fact", "premise", "account", "account_fact", "absence",
           "metering_point", "supply_state", "meter", "seal", "reading", "meter_act", "posting", "import_batch",
           "billing_period"]


def counts(store: Store) -> dict[str, int]:
    return {t: store.scalar(f"SELECT count(*) FROM {t}") for t in COUNTED}


def errors_of(store, directory: Path, period: int | None = 202601) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        load(store, directory, period)
    return [str(e) for e in exc.value.errors]


def test_templates_have_bom_semicolons_and_one_sample_row(tpl: Path) -> None:
    names = sorted(p.stem for p in tpl.iterdir())
    assert names == sorted(e.name for e in ENTITIES)
    raw = (tpl / "accounts.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").splitlines()
    assert lines[0] == "number;holder_name;building;premise;opened;closed;email;phone;email_consent"
    assert len(lines) == 2


def test_templates_load_and_reload_changes_nothing(store, tpl: Path) -> None:
    first = load(store, tpl)
    assert first.changed and first.batch_id == 1
    assert all(c.inserted == 1 for c in first.counts)
    after_first = counts(store)
    assert after_first["account"] == 1 and after_first["reading"] == 1 and after_first["posting"] == 1
    assert after_first["billing_period"] == 1
    second = load(store, tpl)
    assert not second.changed
    assert all(c.unchanged == 1 and c.inserted == 0 and c.updated == 0 for c in second.counts)
    assert counts(store) == after_first
    posting = store.one("SELECT kind, period, for_period, amount_kop FROM posting")
    assert posting == ("opening", 202601, 202512, 152035)


def test_changed_row_is_updated_by_natural_key(store, tpl: Path) -> None:
    load(store, tpl)
    text = (tpl / "districts.csv").read_text(encoding="utf-8-sig").replace("Центральный район", "Северный район")
    (tpl / "districts.csv").write_text(text, encoding="utf-8-sig")
    rep = load(store, tpl)
    d = {c.entity: c for c in rep.counts}["districts"]
    assert (d.inserted, d.updated, d.unchanged) == (0, 1, 0)
    assert store.all("SELECT id, code, name FROM district") == [(1, "R01", "Северный район")]
    assert store.scalar("SELECT count(*) FROM settlement WHERE district_id = 1") == 1


def test_one_bad_row_reports_exactly_that_row_and_leaves_the_file_unchanged(tmp_path: Path, tpl: Path,
                                                                          store_template: Path) -> None:
    db = tmp_path / "s.duckdb"
    shutil.copyfile(store_template, db)         # a new store with its reference data
    append(tpl / "accounts.csv", "1000000002;Петров Пётр;B0001;12;30.02.2026;;;;нет")
    runner.invoke(app, ["--db", str(db), "period", "status"])  # a server registers its administrator on its first start
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    res = runner.invoke(app, ["--db", str(db), "load", str(tpl), "--period", "2026-01"])
    assert res.exit_code == 1
    assert res.output.splitlines()[-2:] == [
        "Ошибка: Найдено ошибок: 1. Ничего не записано.",
        "accounts.csv:3:opened: не дата: «30.02.2026» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
    ]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_cli_reports_error_and_exit_code(tmp_path: Path, tpl: Path) -> None:
    db = tmp_path / "s.duckdb"
    open_store(db).close()
    append(tpl / "districts.csv", "R01;Дубль")
    res = runner.invoke(app, ["--db", str(db), "load", str(tpl), "--period", "2026-01"])
    assert res.exit_code == 1
    assert res.output.splitlines()[-1] == "districts.csv:3:code: повтор: запись «R01» уже есть в строке 2"


def test_every_kind_of_error_at_once(store, tpl: Path) -> None:
    append(tpl / "settlements.csv", "S02;R99;с. Ивановка;rural", "S03;R01;с. Петровка;village")
    append(tpl / "account_facts.csv", "1000000001;2016-01-01;;1;1;1;none;urban")        # overlaps row 2
    append(tpl / "accounts.csv", "123;Сидоров;B0001;99;2020-01-01;2019-01-01;x@y;;")
    append(tpl / "tariffs.csv", "urban;1;2;2026-01-01;;6,5")
    errs = errors_of(store, tpl)
    assert errs == [
        "settlements.csv:3:district: нет района «R99» ни в файлах, ни в базе",
        "settlements.csv:4:kind: недопустимое значение «village» (допустимо: urban — город, rural — село)",
        "tariffs.csv:3:zone: номер зоны больше числа зон варианта",
        "accounts.csv:3:number: номер лицевого счёта должен состоять ровно из 10 цифр: «123»",
        "accounts.csv:3:email: не адрес электронной почты: «x@y»",
        "accounts.csv:3:premise: нет помещения «B0001 / 99» ни в файлах, ни в базе",
        "accounts.csv:3:closed: дата закрытия не позже даты открытия",
        "account_facts.csv:3:valid_from: период действия с 01.01.2016 пересекается со строкой 2 (с 01.03.2015)",
    ]


def test_references_to_the_store_and_overlaps_with_the_store(store, tpl: Path, tmp_path: Path) -> None:
    load(store, tpl)
    more = tmp_path / "more"
    more.mkdir()
    shutil.copy(tpl / "account_facts.csv", more / "account_facts.csv")
    (more / "account_facts.csv").write_text(
        "account;valid_from;valid_to;residents_living;tariff_group\n"
        "1000000001;2020-01-01;;3;urban\n"
        "1000000009;2020-01-01;;3;urban\n", encoding="utf-8")
    errs = errors_of(store, more)
    assert errs == [
        "account_facts.csv:2:valid_from: период действия с 01.01.2020 пересекается с записью в базе (с 01.03.2015)",
        "account_facts.csv:3:account: нет лицевого счёта «1000000009» ни в файлах, ни в базе",
    ]
    # closing the stored interval in the same file makes it valid
    (more / "account_facts.csv").write_text(
        "account;valid_from;valid_to;residents_living;tariff_group\n"
        "1000000001;2015-03-01;2020-01-01;2;urban\n"
        "1000000001;2020-01-01;;3;urban\n", encoding="utf-8")
    rep = load(store, more)
    c = rep.counts[0]
    assert (c.inserted, c.updated) == (1, 1)
    assert store.all("SELECT valid_from::VARCHAR, valid_to::VARCHAR, residents_living FROM account_fact "
                     "ORDER BY 1") == [("2015-03-01", "2020-01-01", 2), ("2020-01-01", None, 3)]


def test_header_errors(store, tpl: Path) -> None:
    (tpl / "districts.csv").write_text("code;title\nR01;Центр\n", encoding="utf-8")
    assert errors_of(store, tpl) == [
        "districts.csv:1:title: неизвестная колонка (ожидаются: code, name)",
        "districts.csv:1:name: нет обязательной колонки",
        "districts.csv:2:name: не заполнено обязательное поле",
    ]


def test_unknown_file(store, tpl: Path) -> None:
    (tpl / "acounts.csv").write_text("number\n1\n", encoding="utf-8")
    errs = errors_of(store, tpl)
    assert len(errs) == 1 and errs[0].startswith("acounts.csv:1: неизвестный файл: ожидаются supplier, districts")


def test_opening_balance_needs_a_period_and_is_not_rewritten(store, tpl: Path) -> None:
    assert errors_of(store, tpl, period=None) == [
        "opening_balances.csv:1: в базе нет открытого расчётного периода: укажите период входящего сальдо "
        "(--period ГГГГ-ММ)"]
    load(store, tpl)
    (tpl / "opening_balances.csv").write_text("account;amount\n1000000001;-10,5\n", encoding="utf-8")
    assert errors_of(store, tpl, period=None) == [
        "opening_balances.csv:2:amount: входящее сальдо по ЛС 1000000001 уже загружено с другой суммой "
        "(1520,35 ₽); исправьте перерасчётом"]


def test_xlsx_input(store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    d = tmp_path / "x"
    d.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name"])
    ws.append(["R01", "Центральный"])
    ws.append([7, "Числовой код"])
    ws.append([None, None])
    ws.append(["R03", None])
    wb.save(d / "districts.xlsx")
    assert errors_of(store, d) == ["districts.xlsx:5:name: не заполнено обязательное поле"]
    ws.delete_rows(5)
    wb.save(d / "districts.xlsx")
    load(store, d)
    assert store.all("SELECT id, code FROM district ORDER BY id") == [(1, "R01"), (2, "7")]


def test_meter_and_reading_rules(store, tpl: Path) -> None:
    append(tpl / "meters.csv", "1000000001;;;electricity;Нева 101;555;5;1;1;2016-01-01;2021-01-01;;;working;")
    append(tpl / "readings.csv", "12345678;Меркурий 201.8;2;2025-12-26;1;regular;load",
           "12345678;Меркурий 201.8;1;2019-01-01;5;regular;load",
           "555;Нева 101;1;2019-01-01;100000;regular;load",
           "555;Нева 101;1;2020-12-01;99999;regular;load")
    assert errors_of(store, tpl) == [
        "meters.csv:2:installed: период действия с 15.05.2020 пересекается со строкой 3 (с 01.01.2016)",
        "readings.csv:3:zone: зона 2 больше числа зон прибора (1)",
        "readings.csv:4:read_on: дата показания вне срока работы прибора (15.05.2020 – …)",
        "readings.csv:5:value: показание больше разрядности прибора (5 знаков)",
    ]


def test_help_texts() -> None:
    for args in (["load", "--help"], ["rates", "--help"], ["rates", "update", "--help"], ["readings", "--help"],
                 ["readings", "add", "--help"], ["readings", "import", "--help"], ["readings", "list", "--help"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0, args
        assert "Использование" in res.output


def test_docs_describe_every_column() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "loading.md").read_text(encoding="utf-8")
    for ent in ENTITIES:
        section = doc.split(f"### `{ent.name}`", 1)
        assert len(section) == 2, ent.name
        body = section[1].split("### ", 1)[0]
        for c in ent.columns:
            assert f"| `{c.name}` |" in body, (ent.name, c.name)


def test_templates_accept_the_russian_words_of_codes(store, tpl: Path) -> None:
    """Every enumerated cell of the sample rows rewritten as its Russian word (in upper case, «е» for
    «ё»): the load stores exactly what the codes would have stored."""
    from sbyt.core.labels import label

    changed = 0
    for ent in ENTITIES:
        path = tpl / f"{ent.name}.csv"
        header, row = path.read_text(encoding="utf-8-sig").splitlines()
        cells = row.split(";")
        for i, name in enumerate(header.split(";")):
            col = ent.col(name)
            if col.domain and cells[i]:
                cells[i] = label(col.domain, cells[i]).upper().replace("Ё", "Е")
                changed += 1
        path.write_text(f"{header}\r\n{';'.join(cells)}\r\n", encoding="utf-8-sig")
    assert changed >= 15
    assert "ЖИЛОЙ ДОМ" in (tpl / "buildings.csv").read_text(encoding="utf-8-sig") or \
        "МНОГОКВАРТИРНЫЙ ДОМ" in (tpl / "buildings.csv").read_text(encoding="utf-8-sig")
    load(store, tpl)
    assert store.all("SELECT kind FROM settlement") == [("urban",)]
    assert store.all("SELECT kind, state FROM meter JOIN metering_point mp ON mp.id = metering_point_id") \
        == [("individual", "working")]
    assert store.all("SELECT kind, source FROM reading") == [("regular", "load")]
    assert store.all("SELECT category FROM tariff_group") == [("urban",)]


def test_template_word_errors_name_codes_and_words(store, tpl: Path) -> None:
    append(tpl / "meters.csv", "1000000001;;;electricity;Нева 101;555;5;1;1;2016-01-01;2020-05-01;;;сломан;")
    assert errors_of(store, tpl) == [
        "meters.csv:3:state: недопустимое значение «сломан» (допустимо: working — исправен, broken — неисправен, "
        "lost — утрачен)"]


WARN_B0001 = ("Предупреждение: у дома B0001 нет характеристик на 01.2026 (building_facts: способ управления, "
              "площади) — ОДН по дому не рассчитывается.")


def test_load_warns_about_an_apartment_building_without_characteristics(tmp_path: Path, tpl: Path) -> None:
    db = tmp_path / "s.duckdb"
    runner.invoke(app, ["--db", str(db), "init"])
    (tpl / "building_facts.csv").unlink()
    res = runner.invoke(app, ["--db", str(db), "load", str(tpl), "--period", "2026-01"])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert lines[-2:] == [WARN_B0001, "Загружено (пакет 1)."]
    res = runner.invoke(app, ["--db", str(db), "load", str(tpl), "--period", "2026-01"])
    assert res.stderr.splitlines()[-2:] == [WARN_B0001, "Изменений нет: всё уже загружено."]


def test_load_warns_when_the_characteristics_ended_before_the_month(tmp_path: Path, tpl: Path) -> None:
    db = tmp_path / "s.duckdb"
    runner.invoke(app, ["--db", str(db), "init"])
    res = runner.invoke(app, ["--db", str(db), "load", str(tpl), "--period", "2026-01"])
    assert res.exit_code == 0 and "Предупреждение" not in res.stderr
    text = (tpl / "building_facts.csv").read_text(encoding="utf-8-sig")
    header, row = text.splitlines()[:2]
    cells = row.split(";")
    cells[header.split(";").index("valid_to")] = "2025-12-01"
    (tpl / "building_facts.csv").write_text(f"{header}\r\n{';'.join(cells)}\r\n", encoding="utf-8-sig")
    res = runner.invoke(app, ["--db", str(db), "load", str(tpl)])
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines()[-2:] == [WARN_B0001, "Загружено (пакет 2)."]


def _commands(block: str) -> list[list[str]]:
    import shlex

    return [shlex.split(line.split("#", 1)[0])[1:] for line in block.strip().splitlines() if line.startswith("sbyt ")]


def test_the_docs_start_with_sbyt_init_and_their_commands_run_as_written(tmp_path: Path, monkeypatch) -> None:
    """docs/loading.md's first commands, run as written in an empty directory: init, templates, load."""
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "loading.md").read_text(encoding="utf-8")
    commands = _commands(doc.split("```", 2)[1])
    assert [c[:2] for c in commands] == [["init"], ["load", "--templates"], ["load", "выгрузка/"]]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SBYT_DB", raising=False)
    messages = []
    for args in commands:
        res = runner.invoke(app, args)
        assert res.exit_code == 0, (args, res.output)
        messages.append(res.stderr.splitlines()[-1])
    assert re.fullmatch(r"База sbyt\.duckdb: схема актуальна; добавлено ключевых ставок: \d+, правил: \d+\.", messages[0])
    assert messages[1:] == [f"Записано шаблонов: {len(ENTITIES)} в каталог выгрузка", "Загружено (пакет 1)."]
    readme = (root / "README.md").read_text(encoding="utf-8")
    loading = readme[readme.index("Загрузка данных настоящего поставщика"):]
    assert loading.index("`sbyt init`") < loading.index("`sbyt load --templates КАТАЛОГ`") < loading.index("`sbyt load КАТАЛОГ")
