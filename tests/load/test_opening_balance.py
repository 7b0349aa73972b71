"""The first month after migration: the balance loaded with `sbyt load` is the opening balance of
the ЕПД, of `sbyt balance` and of the ОСВ alike (one definition: the store's macro brought_forward)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store
from sbyt.reports.epd_data import gather

runner = CliRunner()
NBSP = "\u00a0"


def _ok(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.output


@pytest.fixture
def migrated(tmp_path: Path, tpl: Path) -> Path:
    """The templates' account with 1 520,35 ₽ of electricity and 100,00 ₽ of penalties brought from
    the old system, 100 kWh read in January 2026 (643,00 ₽); January calculated and closed."""
    def append(name: str, line: str) -> None:
        with (tpl / name).open("ab") as f:
            f.write(line.encode("utf-8") + b"\r\n")

    append("readings.csv", "12345678;Меркурий 201.8;1;2026-01-25;10334;regular;load")
    append("opening_balances.csv", "1000000001;penalty;100,00")
    db = tmp_path / "m.duckdb"
    base = ["--db", str(db)]
    _ok(*base, "init")
    _ok(*base, "load", str(tpl), "--period", "2026-01")
    _ok(*base, "calc")
    _ok(*base, "period", "close", "2026-01")
    return db


def test_the_loaded_balance_is_the_opening_of_the_epd_the_balance_and_the_turnover_sheet(migrated: Path,
                                                                                          tmp_path: Path):
    base = ["--db", str(migrated)]
    opening = 152035 + 10000
    # ОСВ
    osv = _ok(*base, "report", "run", "turnover_by_account", "--param", "period_from=2026-01",
              "--param", "period_to=2026-01", "--format", "csv").splitlines()
    assert osv[0] == ("Лицевой счёт;Потребитель;Адрес;Сальдо на начало;Начислено;Перерасчёт;Пени;Оплачено;Прочее;"
                      "Сальдо на конец")
    assert osv[1] == ("1000000001;Иванов Иван Иванович;ул. Ленина, д. 10к2, кв. 12;"
                      "1620,35;643,00;0,00;0,00;0,00;0,00;2263,35")
    # sbyt balance: the turnover row of the month
    row = [line for line in _ok(*base, "balance", "1000000001", "--period", "2026-01").splitlines()
           if "01.2026" in line and "│" in line][0]
    assert [c.strip() for c in row.strip("│ ").split("│")] == [
        "01.2026", f"1{NBSP}620,35", "643,00", "0,00", "0,00", "0,00", "0,00", f"2{NBSP}263,35"]
    # ЕПД data: brought forward, nothing left unexplained in section 3
    with open_store(migrated, read_only=True) as st:
        e = gather(st, 202601, [st.scalar("SELECT id FROM account WHERE number = '1000000001'")])[0]
    assert (e.opening_kop, e.accrued_kop, e.paid_kop, e.closing_kop, e.other_kop) == (opening, 64300, 0, 226335, 0)
    assert [(r.service, r.method, r.amount_kop) for r in e.rows] == [("electricity", "readings", 64300)]
    # the printed ЕПД
    out = tmp_path / "epd.pdf"
    _ok(*base, "epd", "print", "--out", str(out), "--period", "2026-01")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Задолженность на начало периода 1 620,35" in text
    assert "Всего начислено за расчётный период 643,00" in text
    assert "ИТОГО К ОПЛАТЕ 2 263,35" in text
    assert "Прочие корректировки" not in text


def test_sql_users_see_the_same_definition(migrated: Path):
    out = _ok("--db", str(migrated), "sql", "--format", "csv",
              "SELECT sum(amount_kop) FILTER (WHERE brought_forward(period, kind, 202601)) AS bf,"
              " (SELECT opening_kop FROM turnover(202601, 202601, '')) AS osv FROM posting")
    assert out.splitlines()[1:] == ["162035;162035"]
