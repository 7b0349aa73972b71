"""Issuing legal-entity documents (`sbyt.calc.legal_docs`) on stores built through the commands:
legal.md W6 (VAT split), W7 (advance VAT at 22/122 and 20/120, the 2025 advance deducted at 20/120
at a 2026 shipment), W20 (a recalculation of a closed month down by 2 000.00 + VAT 440.00: one
corrective VAT invoice, purchase book code 18); numbering, reruns, chronology, corrections.

The stores are set up with the commands (a runner bound under another name than the CLI tests', so
these domain tests run once, not in both CLI modes)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner as Runner

from sbyt.calc.legal_docs import correct, issue
from sbyt.console.cli.main import app
from sbyt.core.errors import SbytError
from sbyt.core.legal_docs import find_doc, load_docs, select_docs
from sbyt.core.money import round_div, vat_part
from sbyt.core.store import open_store

runner = Runner()
NB = "\u00a0"
SUPPLIER = """INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс»', '5612042824', '561201001',
    '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example')"""


def cli(db, *args: str) -> str:
    res = runner.invoke(app, ["--db", str(db), *args])
    assert res.exit_code == 0, res.output
    return res.output.replace(NB, " ")


def prices(db, tmp_path, month: str, energy: str, network: str = "0") -> None:
    f = tmp_path / f"prices_{month}_{energy}.csv"
    f.write_text("period;category;voltage;component;zones;zone;value\n"
                 f"{month};1;СН2;energy;;;{energy}\n{month};1;СН2;network;;;{network}\n"
                 f"{month};1;СН2;markup;;;0\n{month};1;СН2;infra;;;0\n", encoding="utf-8")
    cli(db, "prices", "import", str(f))


def contract(db, number: str, inn: str, start: str) -> None:
    cli(db, "counterparty", "add", inn, "--kpp", "770401001", "--name", f"ООО «{number}»", "--date", "2024-01-01",
        "--mobile", "+79123456789", "--email", "buh@example.ru", "--address", "г. Курск, ул. Ленина, д. 1")
    cli(db, "contract", "apply", number, "--counterparty", inn, "--date", "2024-01-10", "--docs",
        "application,register_extract,authority,title,grid_act,meter_act,capacity_doc")
    cli(db, "contract", "draft", number, "--date", "2024-01-11")
    cli(db, "contract", "approve", number, "--date", "2024-01-12")
    cli(db, "contract", "sign", number, "--start", start, "--date", "2024-01-15")
    cli(db, "contract", "object", number, "--code", f"O-{number}", "--name", "Цех", "--date", "2024-01-15")
    cli(db, "contract", "point", f"O-{number}", "--code", f"T-{number}", "--voltage", "СН2", "--max-kw", "500",
        "--category", "1", "--date", "2024-01-15")
    cli(db, "contract", "meter", f"T-{number}", "--serial", f"S-{number}", "--installed", "2024-01-15")


def test_w6_vat_split_at_22_percent():
    """W6: net 250.00 → VAT 55.00 → 305.00; gross 305.00 × 22/122 = 55.00 (the functions the
    documents use: VAT on top of a shipment line, VAT inside an invoice for payment)."""
    assert round_div(25_000 * 22, 100) == 5_500
    assert vat_part(30_500, 2_200) == 5_500


@pytest.fixture
def w7(db_path, tmp_path):
    """Д-1 (from January 2026) prepays 1 220 000.00 in December 2025; Д-2 (from March 2026) prepays
    1 220 000.00 in February 2026. Д-1 takes 250 MWh in January at 4 000 RUB/MWh = 1 000 000.00 net."""
    db = db_path
    cli(db, "init")
    with open_store(db) as st:
        st.execute(SUPPLIER)
    cli(db, "period", "open", "2025-12")
    for month in ("2025-12", "2026-01", "2026-02"):
        prices(db, tmp_path, month, "3000", "1000")
    contract(db, "Д-1", "7736207543", "2026-01-01")
    contract(db, "Д-2", "7707083893", "2026-03-01")
    cli(db, "contract", "pay", "Д-1", "1220000", "--date", "2025-12-20", "--doc", "п/п № 501")
    cli(db, "calc")
    cli(db, "period", "close", "2025-12")
    cli(db, "readings", "legal-add", "T-Д-1", "0", "--date", "2026-01-01")
    cli(db, "readings", "legal-add", "T-Д-1", "250000", "--date", "2026-01-31")
    cli(db, "calc")
    cli(db, "period", "close", "2026-01")
    cli(db, "contract", "pay", "Д-2", "1220000", "--date", "2026-02-10", "--doc", "п/п № 77")
    cli(db, "calc")
    cli(db, "period", "close", "2026-02")
    return db


def test_w7_advance_invoices_at_20_120_and_22_122_and_the_2025_advance_deducted_at_20_120(w7):
    with open_store(w7) as st:
        dec = issue(st, 202512, today=date(2026, 1, 5))
        assert dec.counts == {"sf_advance": 1}
        adv = find_doc(st, "1", kind="sf_advance")
        assert (adv.doc_date, adv.total_kop, adv.vat_kop, adv.vat_rate) == (date(2025, 12, 31), 122_000_000,
                                                                           20_333_333, "20/120")
        assert [(r.ref_kind, r.ref_no, r.ref_date, r.amount_kop) for r in adv.refs] == [
            ("payment", "501", date(2025, 12, 20), 122_000_000)]
        jan = issue(st, 202601, today=date(2026, 2, 5))
        assert jan.counts["sf"] == 1 and "sf_advance" not in jan.counts      # the advance is used up
        sf = find_doc(st, "1", year=2026, kind="sf")
        assert (sf.amount_kop, sf.vat_kop, sf.total_kop, sf.vat_rate, sf.form) == (100_000_000, 22_000_000,
                                                                                  122_000_000, "22%", "1137")
        assert [(r.ref_no, r.ref_date, r.amount_kop) for r in sf.refs_of("advance_offset")] == [
            ("1", date(2025, 12, 31), 122_000_000)]
        feb = issue(st, 202602, today=date(2026, 3, 5))
        assert feb.counts.get("sf_advance") == 1
        adv2 = load_docs(st, select_docs(st, period=202602, kinds=["sf_advance"]))[0]
        assert (adv2.contract_no, adv2.total_kop, adv2.vat_kop, adv2.vat_rate) == ("Д-2", 122_000_000, 22_000_000,
                                                                                   "22/122")
        books = st.all("SELECT book, quarter, op_code, total_kop, vat_kop, vat_rate, offset_docs FROM vat_book"
                       " WHERE doc_id IS NOT NULL ORDER BY id")
    assert books == [
        ("sales", 20254, "02", 122_000_000, 20_333_333, "20/120", None),          # the December advance
        ("sales", 20261, "01", 122_000_000, 22_000_000, "22%", "1 от 31.12.2025"),  # the January shipment
        ("purchase", 20261, "22", 122_000_000, 20_333_333, "20/120", "1 от 31.01.2026"),  # its VAT deducted
        ("sales", 20261, "02", 122_000_000, 22_000_000, "22/122", None)]          # the February advance


@pytest.fixture
def w20(db_path, tmp_path):
    """March 2026: 10 000 kWh at 4 000 RUB/MWh (40 000.00 net); closed, its documents issued; then
    March's price is corrected to 3 800 RUB/MWh (the supplier republished it) and April is calculated:
    the recalculation lowers March by 2 000.00 + VAT 440.00, as W20's 500 kWh at 4.00 RUB (sbyt
    refuses new meter data for a closed month; a corrected price is what reaches a closed month)."""
    db = db_path
    cli(db, "init")
    with open_store(db) as st:
        st.execute(SUPPLIER)
    cli(db, "period", "open", "2026-03")
    for month in ("2026-03", "2026-04"):
        prices(db, tmp_path, month, "3000", "1000")
    contract(db, "Д-1", "7736207543", "2026-01-01")
    cli(db, "readings", "legal-add", "T-Д-1", "0", "--date", "2026-03-01")
    cli(db, "readings", "legal-add", "T-Д-1", "10000", "--date", "2026-03-31")
    cli(db, "calc")
    cli(db, "period", "close", "2026-03")
    with open_store(db) as st:
        issue(st, 202603, today=date(2026, 4, 2))
    prices(db, tmp_path, "2026-03", "2800", "1000")
    cli(db, "calc")
    cli(db, "period", "close", "2026-04")
    return db


def test_w20_a_recalculation_down_gives_one_corrective_invoice_in_the_purchase_book_with_code_18(w20):
    with open_store(w20) as st:
        sf = find_doc(st, "1", kind="sf")
        assert (sf.amount_kop, sf.vat_kop, sf.form) == (4_000_000, 880_000, "1137")
        res = issue(st, 202604, today=date(2026, 5, 4))
        assert res.counts.get("ksf") == 1 and res.counts.get("act_recalc") == 1
        ksf = load_docs(st, select_docs(st, period=202604, kinds=["ksf"]))[0]
        assert (ksf.base.doc_no, ksf.base.doc_date, ksf.for_period) == ("1", date(2026, 3, 31), 202603)
        assert (ksf.amount_kop, ksf.vat_kop, ksf.total_kop) == (-200_000, -44_000, -244_000)
        (line,) = ksf.lines
        assert (line.quantity_before, line.quantity_after, line.price_before, line.price) == (
            Decimal("10000"), Decimal("10000"), Decimal("4"), Decimal("3.8"))
        assert (line.amount_before_kop, line.amount_after_kop, line.vat_before_kop, line.vat_after_kop) == (
            4_000_000, 3_800_000, 880_000, 836_000)
        books = st.all("SELECT book, quarter, op_code, total_kop, base_kop, vat_kop FROM vat_book WHERE doc_id = ?",
                       [ksf.id])
        assert books == [("purchase", 20262, "18", 244_000, 200_000, 44_000)]
        assert issue(st, 202604, today=date(2026, 5, 4)).issued == 0       # a rerun issues nothing twice


def test_numbers_follow_the_dates_and_documents_are_immutable(w20):
    with open_store(w20) as st:
        # March's documents were issued; a document of the acts' series dated before them is refused
        from sbyt.core.legal_docs import check_chronology
        with pytest.raises(SbytError, match="хронологию нумерации"):
            check_chronology(st, "act", 2026, date(2026, 2, 28))
        issue(st, 202604, today=date(2026, 5, 4))
        seqs = st.all("SELECT series, list(seq ORDER BY seq) FROM legal_doc GROUP BY 1 ORDER BY 1")
        for _series, numbers in seqs:
            assert numbers == list(range(1, len(numbers) + 1))          # no gaps
    source = (__import__("pathlib").Path(__file__).parents[2] / "calc" / "legal_docs.py").read_text(encoding="utf-8")
    assert "UPDATE legal_doc" not in source and "DELETE FROM legal_doc" not in source


def test_a_correction_keeps_the_number_and_moves_the_book_entry(w20):
    with open_store(w20) as st:
        with pytest.raises(SbytError, match="исправлять нечего"):
            correct(st, "1", kind="sf", reason="опечатка", today=date(2026, 7, 10))
        st.execute("UPDATE counterparty_fact SET name = 'ООО «Завод»'")        # the buyer's card corrected
        c = correct(st, "1", kind="sf", reason="наименование покупателя", today=date(2026, 7, 10))
        assert (c.doc_no, c.correction_no, c.changed) == ("1", 1, ("покупатель",))
        doc = find_doc(st, "1", kind="sf")
        assert (doc.correction_no, doc.correction_date, doc.buyer.name, doc.total_kop) == (
            1, date(2026, 7, 10), "ООО «Завод»", 4_880_000)
        rows = st.all("SELECT quarter, extra_sheet, annul, for_quarter, total_kop FROM vat_book WHERE op_code = '01'"
                      " ORDER BY id")
    # the original in the I quarter's book, then the additional sheet of the I quarter: annulled, re-registered
    assert rows == [(20261, False, False, None, 4_880_000), (20261, True, True, 20261, -4_880_000),
                    (20261, True, False, 20261, 4_880_000)]
