"""`sbyt rates update FILE`: new dates added, history not rewritten, all or nothing, same file refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store

runner = CliRunner()


def _db(tmp_path: Path, template: Path) -> Path:
    """A new store with its reference data: a copy of conftest's `store_template`."""
    db = tmp_path / "s.duckdb"
    shutil.copyfile(template, db)
    return db


def test_update_adds_new_rates_and_refuses_the_same_file(tmp_path: Path, store_template: Path) -> None:
    db = _db(tmp_path, store_template)
    f = tmp_path / "rates.csv"
    f.write_text("valid_from;rate\n2026-02-16;15,50\n27.04.2026;15.00\n", encoding="utf-8")
    res = runner.invoke(app, ["--db", str(db), "rates", "update", str(f)])
    assert res.exit_code == 0
    assert res.stderr == "Ключевая ставка: строк в файле 2, добавлено 1 (пакет 1).\n"
    again = runner.invoke(app, ["--db", str(db), "rates", "update", str(f)])
    assert again.exit_code == 3
    assert again.stderr == "Ошибка: Файл rates.csv уже загружен (тот же SHA-256): повторная загрузка запрещена.\n"
    st = open_store(db, read_only=True)
    assert str(st.scalar("SELECT rate FROM key_rate WHERE valid_from = DATE '2026-04-27'")) == "15.000"
    assert st.one("SELECT kind, file_name, rows FROM import_batch") == ("rates", "rates.csv", 1)
    st.close()


def test_bad_file_reports_every_row_and_writes_nothing(tmp_path: Path, store_template: Path) -> None:
    db = _db(tmp_path, store_template)
    f = tmp_path / "bad.csv"
    f.write_text("valid_from;rate\n2026-02-16;15,2\n2026-13-01;x\n2026-06-01;16\n2026-06-01;16\n2026-07-01;120\n",
                 encoding="utf-8")
    runner.invoke(app, ["--db", str(db), "period", "status"])  # a server registers its administrator on its first start
    before = db.read_bytes()
    res = runner.invoke(app, ["--db", str(db), "rates", "update", str(f)])
    assert res.exit_code == 1
    assert res.stderr.splitlines() == [
        "Ошибка: Найдено ошибок: 5. Ничего не записано.",
        "bad.csv:2:rate: в базе ставка с 16.02.2026 равна 15,5 %, в файле 15,2 %: изменять историю ставок нельзя",
        "bad.csv:3:valid_from: не дата: «2026-13-01» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
        "bad.csv:3:rate: не число (до 3 знаков после запятой): «x»",
        "bad.csv:5:valid_from: повтор даты: она уже есть в строке 4",
        "bad.csv:6:rate: значение «120» больше 100",
    ]
    assert db.read_bytes() == before
