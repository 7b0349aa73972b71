"""The reconciliation act (`sbyt contract recon`, the catalog report «Акт сверки») and the record of a
signed act (`sbyt contract recon-signed`): exact opening and closing balances, the shipment documents
on the accrual lines, the bank document on the payments, the PDF's text (golden, pdftotext), the XLSX
cells, the refusals with nothing written."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.legal_payments import add_payment

runner = CliRunner()
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
SUPPLIER = """INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс»', '5612042824', '561201001',
    '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example')"""


def _helpers(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"_h_{name}", Path(__file__).with_name(name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_s = _helpers("test_legal_schedule.py")
_t = _helpers("test_payment_target.py")
_g = _helpers("test_contract_print.py")


@pytest.fixture
def db(store, db_path):
    """Д-1 (p81): January 50 000 (before the act), February 100 000 with act А-2 and VAT invoice 2,
    March 120 000 without documents, a penalty of 1 234.56 for March; payments 50 000 on 10.02
    (п/п 11 of 09.02), 80 000 on 16.03 (п/п 12), 30 000.50 on 31.03 naming «С-5»."""
    st = store
    st.execute(SUPPLIER)
    st.execute("INSERT INTO billing_period (period, status) VALUES (202603, 'closed'), (202604, 'open')")
    _s.add_contract(st, 1, scheme="p81", starts=date(2026, 1, 1))
    st.execute("INSERT INTO counterparty_fact (counterparty_id, valid_from, name) VALUES (1, '2025-01-01', 'ООО «Ромашка»')")
    _s.post(st, 1, "accrual", 50_000_00, 202601)
    _s.post(st, 1, "accrual", 100_000_00, 202602)
    _s.post(st, 1, "accrual", 120_000_00, 202603)
    _s.post(st, 1, "penalty", 1_234_56, 202603)
    _t.add_doc(st, 1, 1, "act", "act", "А-2", date(2026, 2, 28), 202602, 100_000_00)
    _t.add_doc(st, 2, 1, "sf", "sf", "2", date(2026, 2, 28), 202602, 100_000_00)
    _t.add_doc(st, 3, 1, "bill_actual", "bill", "С-5", date(2026, 3, 31), 202603, 120_000_00)
    st.execute("INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop,"
               " op_date, note) VALUES (100, 1, 1, 'payment', 202602, 202602, -5000000, '2026-02-10',"
               " '{\"doc_no\": \"11\", \"doc_date\": \"2026-02-09\"}')")
    add_payment(st, "Д-1", 80_000_00, date(2026, 3, 16), None, "12", today=date(2026, 4, 5))
    add_payment(st, "Д-1", 30_000_50, date(2026, 3, 31), "по счёту С-5", "13", today=date(2026, 4, 5))
    st.close()
    return str(db_path)


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args], env={"SBYT_TODAY": "2026-04-20"})


def test_the_act_balances(db):
    from sbyt.core.store import open_store
    from sbyt.reports.recon_act import as_rows, recon_act

    with open_store(db) as st:
        a = recon_act(st, "Д-1", date(2026, 2, 1), date(2026, 3, 31))
    assert a.opening_kop == 50_000_00
    assert (a.debit_kop, a.credit_kop) == (221_234_56, 160_000_50)
    assert a.closing_kop == 50_000_00 + 221_234_56 - 160_000_50 == 111_234_06
    assert a.in_favour() == "На 31.03.2026 задолженность в пользу АО «Энергосбыт Плюс»: 111 234,06 руб."
    assert as_rows(a) == [
        ("", "Сальдо на 01.02.2026", "50 000,00", ""),
        ("10.02.2026", "Оплата (п/п № 11 от 09.02.2026)", "", "50 000,00"),
        ("28.02.2026", "Реализация за 02.2026: акт № А-2 от 28.02.2026, с/ф № 2 от 28.02.2026", "100 000,00", ""),
        ("16.03.2026", "Оплата (п/п № 12)", "", "80 000,00"),
        ("31.03.2026", "Реализация за 03.2026: начисление за месяц", "120 000,00", ""),
        ("31.03.2026", "Пени за 03.2026", "1 234,56", ""),
        ("31.03.2026", "Оплата (п/п № 13)", "", "30 000,50"),
        ("", "Обороты за период", "221 234,56", "160 000,50"),
        ("", "Сальдо на 31.03.2026", "111 234,06", "")]


def test_the_catalog_report_is_the_same_act(db):
    r = cli(db, "report", "run", "recon_act", "-p", "contract=Д-1", "-p", "date_from=2026-02-01",
            "-p", "date_to=2026-03-31", "-f", "json")
    assert r.exit_code == 0, r.output
    rows = [(x["line_no"], x["op_date"], x["document"], x["debit_rub"], x["credit_rub"]) for x in json.loads(r.stdout)]
    assert rows == [
        (1, None, "Сальдо на 01.02.2026", "50000.00", None),
        (2, "2026-02-10", "Оплата (п/п № 11 от 09.02.2026)", None, "50000.00"),
        (3, "2026-02-28", "Реализация за 02.2026: акт № А-2 от 28.02.2026, с/ф № 2 от 28.02.2026", "100000.00", None),
        (4, "2026-03-16", "Оплата (п/п № 12)", None, "80000.00"),
        (5, "2026-03-31", "Реализация за 03.2026: начисление за месяц", "120000.00", None),
        (6, "2026-03-31", "Пени за 03.2026", "1234.56", None),
        (7, "2026-03-31", "Оплата (п/п № 13)", None, "30000.50"),
        (8, None, "Сальдо на 31.03.2026", "111234.06", None)]


@needs_pdftotext
def test_pdf_and_xlsx(db, tmp_path):
    from openpyxl import load_workbook

    pdf, xlsx = tmp_path / "a.pdf", tmp_path / "a.xlsx"
    r = cli(db, "contract", "recon", "Д-1", "--from", "2026-02-01", "--to", "2026-03-31", "--pdf", str(pdf),
            "--xlsx", str(xlsx))
    assert r.exit_code == 0, r.output
    text = _g.pdf_text(pdf)
    _g.GOLDEN = Path(__file__).parent / "golden"
    _g.check_golden("recon_D-1.txt", text)
    assert "задолженность в пользу АО «Энергосбыт Плюс»: 111 234,06 руб." in " ".join(text.split())
    again = tmp_path / "b.pdf"
    cli(db, "contract", "recon", "Д-1", "--from", "2026-02-01", "--to", "2026-03-31", "--pdf", str(again))
    assert again.read_bytes() == pdf.read_bytes()
    ws = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    assert [c.value for c in ws[7]][:4] == [None, "Сальдо на 01.02.2026", 50000, None]
    assert [c.value for c in ws[9]][1:4] == ["Реализация за 02.2026: акт № А-2 от 28.02.2026, с/ф № 2 от 28.02.2026",
                                             100000, None]
    assert [c.value for c in ws[15]][1:4] == ["Сальдо на 31.03.2026", 111234.06, None]
    assert ws["A17"].value == "На 31.03.2026 задолженность в пользу АО «Энергосбыт Плюс»: 111 234,06 руб."


def test_recon_signed_is_recorded_and_audited(db):
    r = cli(db, "contract", "recon-signed", "Д-1", "--from", "2026-02-01", "--to", "2026-03-31",
            "--signed-on", "2026-04-15", "--signer", "Иванов И. И., директор", "--authorised")
    assert r.exit_code == 0, r.output
    assert "сальдо 111\u00a0234,06 ₽" in r.output
    bad = cli(db, "contract", "recon-signed", "Д-1", "--to", "2026-03-31", "--signed-on", "2026-03-30",
              "--signer", "Иванов")
    assert bad.exit_code == 1 and "не может быть подписан раньше" in bad.output
    from sbyt.core.store import open_store

    with open_store(db) as st:
        assert st.all("SELECT contract_id, date_from, date_to, signed_on, signer, authorised, balance_kop"
                      " FROM recon_act_signed") == [(1, date(2026, 2, 1), date(2026, 3, 31), date(2026, 4, 15),
                                                     "Иванов И. И., директор", True, 111_234_06)]
        assert st.scalar("SELECT count(*) FROM audit_log WHERE entity = 'recon_act_signed'") == 1
    r = cli(db, "contract", "recon", "Д-9", "--from", "2026-02-01", "--to", "2026-03-31")
    assert r.exit_code == 1 and "не найден" in r.output
