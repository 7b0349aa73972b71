"""The shipped catalog loads cleanly; broken report files are caught by the loader, never at run time."""

from __future__ import annotations

from pathlib import Path

import pytest

from sbyt.core.errors import NotFoundError
from sbyt.reports.catalog import catalog, load_catalog, parse_report

GOOD = """\
-- name: sample
-- title: Пример
-- description: Первая строка
--   и продолжение.
-- param period: period = current | Период
-- param limit_kop: money = 1000,50 | Порог
-- column account_id: int | Счёт
-- column amount_rub: money total | Сумма
SELECT account_id AS account_id, CAST(sum(amount_kop) * 0.01 AS DECIMAL(18, 2)) AS amount_rub
FROM posting WHERE period = $period GROUP BY account_id HAVING sum(amount_kop) > $limit_kop
"""


def test_every_shipped_report_file_is_valid():
    cat = load_catalog()
    assert cat.errors == []
    assert {"turnover_by_account", "turnover_by_building", "turnover_by_district",
            "accruals_summary", "rejected_readings"} <= set(cat.reports)
    shipped = {p.stem for p in (Path(__file__).resolve().parents[2] / "sql" / "reports").glob("*.sql")}
    assert shipped == set(cat.reports)
    for report in cat.reports.values():
        assert report.title and report.columns
        assert all(c.title for c in report.columns)


def test_catalog_is_loaded_once():
    assert catalog() is catalog()


def test_header_is_parsed():
    r = parse_report(GOOD, "sample.sql")
    assert r.title == "Пример"
    assert r.description == "Первая строка и продолжение."
    assert [(p.name, p.type, p.default, p.title) for p in r.params] == [
        ("period", "period", "current", "Период"), ("limit_kop", "money", "1000,50", "Порог")]
    assert [(c.name, c.format, c.total, c.title) for c in r.columns] == [
        ("account_id", "int", False, "Счёт"), ("amount_rub", "money", True, "Сумма")]


@pytest.mark.parametrize("change, message", [
    (("-- name: sample", "-- name: other"), "должно совпадать с именем файла"),
    (("-- title: Пример\n", ""), "нет ключа «title:»"),
    (("param period:", "param month:"), "не используются: month"),
    (("-- param limit_kop: money = 1000,50 | Порог\n", ""), "не объявлены: limit_kop"),
    (("-- param limit_kop: money = 1000,50 | Порог\n", "-- param limit_kop: money = 1000,50 | Порог\n"
      "-- param extra: int = 1 | Лишний\n"), "не используются: extra"),
    (("money total", "rubles total"), "неизвестный формат колонки «rubles»"),
    (("money total", "money sum"), "неизвестный признак колонки"),
    (("period = current", "period = yesterday"), "не период"),
    (("money = 1000,50", "money = 10.001"), "точнее копейки"),
    (("period: period", "period: month"), "неизвестный тип параметра"),
    (("-- column amount_rub", "-- colum amount_rub"), "строка заголовка не по формату"),
    (("AS amount_rub\n", "AS amount\n"), "не совпадают с объявленными"),
    (("SELECT account_id AS account_id, CAST", "SELECT *, CAST"), "без *"),
    (("> $limit_kop\n", "> $limit_kop;\nDELETE FROM posting\n"), "ровно один запрос"),
    (("FROM posting", "FROM read_csv('/etc/passwd')"), "табличная функция read_csv запрещена"),
    (("WHERE period = $period", "WHERE period = ?"), "позиционные параметры"),
    (("HAVING sum(amount_kop) >", "HAVING sum(amount_kop) >>>"), "не разобран"),
])
def test_broken_report_files_are_reported_with_file_and_reason(tmp_path, change, message):
    old, new = change
    assert old in GOOD
    (tmp_path / "sample.sql").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "fine.sql").write_text(GOOD.replace("sample", "fine"), encoding="utf-8")
    cat = load_catalog(tmp_path)
    assert list(cat.reports) == ["fine"]
    assert len(cat.errors) == 1
    assert cat.errors[0].startswith("sample.sql:")
    assert message in cat.errors[0]


def test_unknown_report_is_not_found():
    with pytest.raises(NotFoundError, match="Отчёт «nope» не найден"):
        catalog().get("nope")


def test_example_values_are_checked(tmp_path):
    good = GOOD.replace("-- column account_id", "-- example: period=2026-11 limit_kop=0\n-- column account_id")
    assert parse_report(good, "sample.sql").example == (("period", "2026-11"), ("limit_kop", "0"))
    (tmp_path / "sample.sql").write_text(good.replace("period=2026-11", "period=2026-13"), encoding="utf-8")
    (tmp_path / "other.sql").write_text(good.replace("period=2026-11", "month=1").replace("sample", "other"),
                                        encoding="utf-8")
    errors = load_catalog(tmp_path).errors
    assert "example: Параметр period (Период): не период" in errors[1]
    assert "example: «month=1»" in errors[0]
