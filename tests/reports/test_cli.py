"""`sbyt report …` and `sbyt sql` through the real CLI: exact messages and exit codes."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sbyt.console.cli.main import app

RUN = ["report", "run", "turnover_by_district", "-p", "period_from=2026-10", "-p", "period_to=2026-11"]


def _invoke(db, *args):
    return CliRunner().invoke(app, ["--db", str(db), *args])


def test_report_list(mini_db):
    res = _invoke(mini_db, "report", "list", "--format", "json")
    assert res.exit_code == 0, res.output
    names = {r["name"]: r["title"] for r in json.loads(res.stdout)}
    assert names["turnover_by_account"] == "Оборотно-сальдовая ведомость по лицевым счетам"


def test_report_show(mini_db):
    res = _invoke(mini_db, "report", "show", "accruals_summary")
    assert res.exit_code == 0, res.output
    assert "  period (period, по умолчанию current) — Расчётный период" in res.stdout
    assert "  amount_rub (money, итог) — Начислено, руб." in res.stdout


def test_report_run_table_and_csv(mini_db):
    res = _invoke(mini_db, *RUN)
    assert res.exit_code == 0, res.output
    assert "Оборотно-сальдовая ведомость по районам" in res.stdout
    res = _invoke(mini_db, *RUN, "--format", "csv")
    assert res.stdout.splitlines()[-1] == "Итого;2;4;1050,55;1235834,11;-0,56;80,00;1887,21;-50,55;1235026,34"


def test_report_run_xlsx_goes_to_a_default_file(mini_db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = _invoke(mini_db, *RUN, "--format", "xlsx")
    assert res.exit_code == 0, res.output
    assert res.stderr == "Записано: turnover_by_district.xlsx\n"
    assert (tmp_path / "turnover_by_district.xlsx").exists()
    res = _invoke(mini_db, *RUN, "--format", "pdf", "--out", str(tmp_path / "osv.pdf"))
    assert res.exit_code == 0, res.output
    assert (tmp_path / "osv.pdf").read_bytes().startswith(b"%PDF")


def test_report_errors(mini_db, tmp_path):
    res = _invoke(mini_db, "report", "run", "nope")
    assert res.exit_code == 4
    assert res.stderr == "Ошибка: Отчёт «nope» не найден. Список отчётов: sbyt report list.\n"
    res = _invoke(mini_db, "report", "run", "accruals_summary", "-p", "period")
    assert res.exit_code == 1
    assert res.stderr == "Ошибка: Параметр задаётся как имя=значение, а не «period».\n"
    res = _invoke(mini_db, "report", "run", "accruals_summary", "-p", "period=13.2026")
    assert res.stderr.startswith("Ошибка: Параметр period (Расчётный период): не период")
    res = _invoke(tmp_path / "missing.duckdb", "report", "run", "accruals_summary")
    assert res.exit_code == 5
    assert "Файл базы не найден" in res.stderr


def test_sql_from_stdin_and_json(mini_db):
    res = CliRunner().invoke(app, ["--db", str(mini_db), "sql", "-", "-f", "json"],
                             input="SELECT count(*) AS n FROM account")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == [{"n": 5}]


METHODS_SQL = "SELECT l.method AS m, count(*) AS n FROM accrual_line l WHERE period = 202611 GROUP BY 1 ORDER BY 1"


def test_sql_shows_codes_as_words_to_people_and_codes_to_programs(mini_db):
    csv = _invoke(mini_db, "sql", METHODS_SQL, "-f", "csv")
    assert csv.exit_code == 0, csv.output
    assert csv.stdout.splitlines() == ["m;n", "по среднему;1", "по нормативу;1", "по ОДПУ;1", "по показаниям;1",
                                       "перерасчёт;1"]
    table = _invoke(mini_db, "sql", METHODS_SQL)
    assert "по показаниям" in table.stdout and "readings" not in table.stdout
    js = _invoke(mini_db, "sql", METHODS_SQL, "-f", "json")
    assert [r["m"] for r in json.loads(js.stdout)] == ["average", "normative", "odn_meter", "readings", "recalc"]
    # through a CTE too; an expression of a code (or a mix of domains) is no longer a code and stays as it is
    cte = _invoke(mini_db, "sql", "WITH x AS (SELECT status s, upper(status) u FROM accrual_line WHERE id = 6) "
                                  "SELECT s, u FROM x", "-f", "csv")
    assert cte.stdout.splitlines() == ["s;u", "проведено;POSTED"]
    # the store's macro gives the same words to any SQL
    macro = _invoke(mini_db, "sql", "SELECT label('accrual_method', 'odn_meter') AS l, label('service', 'x') AS u",
                    "-f", "json")
    assert json.loads(macro.stdout) == [{"l": "по ОДПУ", "u": "x"}]


def test_sql_duckdb_error_gets_a_russian_line(mini_db):
    res = _invoke(mini_db, "sql", "SELECT nosuch FROM account")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[:2] == [
        "Ошибка: Запрос не выполнен (неизвестное имя колонки или неверное выражение). Сообщение DuckDB:",
        'Binder Error: Referenced column "nosuch" not found in FROM clause!']
