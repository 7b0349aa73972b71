"""`sbyt docs` on the demo region (two closed months, the open 2026-11): issue, list, show, export,
correct, log — exact messages; every exported file validates against the ФНС schema."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store
from sbyt.io.edo_xml import read_upd, validate

runner = CliRunner()
NB = "\u00a0"


def cli(db, *args: str, code: int = 0) -> str:
    res = runner.invoke(app, ["--db", str(db), *args])
    assert res.exit_code == code, res.output
    return res.output.replace(NB, " ")


@pytest.fixture
def docs_db(demo_db):
    cli(demo_db, "docs", "issue", "--period", "2026-10")
    return demo_db


def test_issue_a_closed_month_then_nothing_twice(docs_db):
    with open_store(docs_db) as st:
        counts = dict(st.all("SELECT kind, count(*) FROM legal_doc GROUP BY 1"))
        contracts = st.scalar("SELECT count(DISTINCT contract_id) FROM legal_charge WHERE period = 202610"
                              " AND component <> 'penalty'")
        posted = st.scalar("SELECT sum(amount_kop) FROM legal_posting WHERE kind = 'accrual' AND period = 202610")
        sales = st.scalar("SELECT sum(total_kop) FROM vat_book WHERE op_code = '01' AND quarter = 20264")
    assert counts["act"] == counts["sf"] == contracts
    assert sales == posted                    # the sales book agrees with the contracts' ledger to the kopeck
    assert cli(docs_db, "docs", "issue", "--period", "2026-10") == "Новых документов за октябрь 2026 г. нет: всё уже выписано.\n"


def test_shipment_documents_of_the_open_month_are_refused(docs_db):
    out = cli(docs_db, "docs", "issue", "--period", "2026-11", "--kind", "shipment", code=1)
    assert out == ("Ошибка: Месяц ноябрь 2026 г. не закрыт: по нему выписываются только счета на промежуточные "
                   "платежи (документы об отгрузке — после закрытия месяца).\n")


def test_list_show_and_export(docs_db, tmp_path):
    with open_store(docs_db) as st:
        number, sf_no, total = st.one("SELECT c.number, d.doc_no, d.total_kop FROM legal_doc d"
                                      " JOIN contract c ON c.id = d.contract_id WHERE d.kind = 'sf' ORDER BY d.seq LIMIT 1")
    listed = cli(docs_db, "docs", "list", "--contract", number, "--format", "csv")
    rub = f"{total // 100},{total % 100:02d}"
    assert f"{sf_no};2026-10-31;Счёт-фактура;{number};10.2026;{rub};" in listed
    shown = cli(docs_db, "docs", "show", sf_no, "--kind", "sf", "--format", "csv")
    assert f"Документ;Счёт-фактура № {sf_no} от 31.10.2026" in shown and "Книга продаж;2026-4 кв., код 01" in shown
    out = tmp_path / "edo"
    text = cli(docs_db, "docs", "export", "--period", "2026-10", "--kind", "sf", "--out", str(out))
    files = sorted(out.iterdir())
    assert text.startswith(f"Выгружено файлов ЭДО: {len(files)} в {out}")
    for f in files:
        assert validate(f.read_bytes()) == [], f.name
    first = read_upd(files[0].read_bytes())
    assert first.function == "СЧФ"
    again = cli(docs_db, "docs", "export", "--period", "2026-10", "--kind", "sf", "--out", str(out))
    assert again == f"Выгружено файлов ЭДО: 0 в {out}; выгружены ранее: {len(files)}.\n"
    log = cli(docs_db, "docs", "log", "--format", "csv")
    assert log.count(";edo;") == len(files)


def test_correct_refuses_when_nothing_changed(docs_db):
    with open_store(docs_db) as st:
        sf_no = st.scalar("SELECT doc_no FROM legal_doc WHERE kind = 'sf' ORDER BY seq LIMIT 1")
    out = cli(docs_db, "docs", "correct", sf_no, "--kind", "sf", "--reason", "проверка", code=1)
    assert out.startswith(f"Ошибка: Реквизиты продавца и покупателя в документе № {sf_no} от 31.10.2026 не "
                          f"отличаются от текущих: исправлять нечего.")
