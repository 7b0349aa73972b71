"""The commands `sbyt debt fssp …` (console/cli/debt_fssp.py): identity
set and shown, the export refused then made, the list, the import of answers and its refusal of the
same file twice — in file and server mode. The services: tests/collection/test_fssp.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.collection import add_event, find_case, start_cases
from sbyt.core.store import open_store
from sbyt.io import fssp

ACCOUNTS = ("3100000025", "3100000030", "3100000033")
COURT = "Мировой судья судебного участка № 3 Гатчинского района Ленинградской области"
WRITS = [(1, "court_order", "2-1101/2026", 196_844, 2_000_00), (2, "writ", "ФС № 045123789", 424_060, 4_000_00),
         (3, "court_order", "2-1103/2026", 124_785, 2_000_00)]


@pytest.fixture
def db(demo_db: Path) -> Path:
    """Three household cases at the stage «исполнительный документ», each with its document."""
    with open_store(demo_db) as st:
        ids = [r[0] for r in st.all("SELECT id FROM account WHERE number IN (SELECT unnest(?)) ORDER BY number",
                                    [list(ACCOUNTS)])]
        start_cases(st, "household", ids, date(2026, 11, 16))
        for (wid, kind, no, amount, duty), acc in zip(WRITS, ACCOUNTS):
            case = find_case(st, acc)
            add_event(st, case.number, "filed", date(2026, 11, 18))
            add_event(st, case.number, "writ_received", date(2026, 12, 1))
            st.execute("INSERT INTO debt_writ (id, case_id, doc_kind, doc_no, court, court_case_no, act_date,"
                       " amount_kop, duty_kop) VALUES (?, ?, ?, ?, ?, ?, DATE '2026-11-25', ?, ?)",
                       [wid, case.id, kind, no, COURT, no, amount, duty])
    return demo_db


# ---------------------------------------------------------------------------------------- commands

def test_fssp_commands(db, tmp_path, cli_mode):
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, ["--db", str(db), "debt", "fssp", *args])

    res = run("export", "--out", str(tmp_path / "a.xml"), "--date", "04.12.2026")
    assert res.exit_code == 1 and "ошибками 3" in res.output and not (tmp_path / "a.xml").exists()
    for acc, extra in (("3100000025", ["--snils", "112-233-445 95"]), ("3100000030", ["--passport", "4510 123456"]),
                       ("3100000033", ["--inn", "500100732259", "--vehicle-cert", "77 УХ 123456"])):
        res = run("identity", acc, "--birth-date", "01.02.1980", "--birth-place", "г. Гатчина", *extra)
        assert res.exit_code == 0, res.output
    res = run("identity", "3100000033", "--format", "csv")
    assert res.exit_code == 0 and "свидетельство о регистрации ТС;77УХ123456" in res.stdout
    assert "для ФССП не хватает;—" in res.stdout
    res = run("identity", "3100000025", "--snils", "123")
    assert res.exit_code == 1 and "СНИЛС должен состоять из 11 цифр" in res.output
    res = run("list", "--unsent", "--format", "csv")
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("документ;вид;дата акта;дело;должник;ФИО / наименование;сумма, ₽;госпошлина, ₽")
    assert len(lines) == 4 and lines[2].startswith("ФС № 045123789;исполнительный лист;2026-11-25;ПИР-2026-000002;"
                                                   "3100000030;")
    res = run("export", "--out", str(tmp_path / "a.xml"), "--date", "04.12.2026", "--writ", "2-1101/2026")
    assert res.exit_code == 0, res.output
    assert "Заявлений в ФССП: 1 (дел 1) на 3\u00a0968,44 руб." in res.output
    assert fssp.validate((tmp_path / "a.xml").read_bytes()) == []
    answers = tmp_path / "answers.csv"
    answers.write_text("doc_no;proceedings_no;status;status_date;recovered_rub\n"
                       "2-1101/2026;23545/26/47025-ИП;opened;05.12.2026;100\n", encoding="utf-8")
    res = run("import", str(answers))
    assert res.exit_code == 0, res.output
    assert "ответов 1, документов изменено 1" in res.output and "взыскано дополнительно 100,00 руб." in res.output
    res = run("import", str(answers))
    assert res.exit_code == 3 and "уже загружен" in res.output
    res = run("list", "--status", "возбуждено", "--format", "csv")
    rows = res.stdout.strip().splitlines()
    assert len(rows) == 2 and ";23545/26/47025-ИП;возбуждено;2026-12-05;100,00;есть" in rows[1]
