"""The sales and purchase books (`sbyt vat-book`, reports/vat_books.py) and the catalog reports of the
legal-entity documents, on a quarter of hand-written documents and book entries with exact kopecks:
a shipment (01, 22 %) offsetting an advance (02, 22/122), the advance's VAT deducted at shipment
(22 with column 7а), a corrective increase of a 2025 shipment (01 at 20 %), a corrective decrease
(18 in the purchase book), the households' summary (26) and a correction of a I quarter invoice in
the additional sheet of the I quarter (the original annulled, the correction registered). Checked:
the rows' columns, the totals per rate, the XLSX cells read back, the PDF's text (golden), the CLI
(table, CSV, JSON, files, the quarter refused in Russian) and the reports' figures."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbyt.console.cli.main import app
from sbyt.core.store import open_store
from sbyt.reports import vat_books
from sbyt.reports.vat_books import HOUSEHOLDS, parse_quarter, purchase_book, sales_book

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

SUPPLIER = """INSERT INTO supplier VALUES ('2020-01-01', NULL, 'АО «Энергосбыт Плюс»', '5612042824', '561201001',
    '40702810900000012345', 'ПАО Сбербанк', '044525225', '30101810400000000225',
    '460024, г. Оренбург, ул. Аксакова, д. 3а', '8-800-000-00-00', 'info@sbyt.example', 'sbyt.example')"""
ZAVOD = '{"address": "г. Москва", "inn": "7736207543", "kpp": "770401001", "name": "ООО «Завод»"}'
ZAVOD_WRONG = '{"address": "г. Москва", "inn": "7736207534", "kpp": "770401001", "name": "ООО «Завод»"}'
SELLER = '{"address": "г. Оренбург", "inn": "5612042824", "kpp": "561201001", "name": "АО «Энергосбыт Плюс»"}'

# id, kind, series, year, seq, doc_no, doc_date, correction_no, correction_date, period, for_period,
# base_doc_id, amount, vat, total, rate, buyer
DOCS = [
    (1, "sf", "sf", 2026, 90, "90", "2026-03-31", 0, None, 202603, 202603, None, 1000000, 220000, 1220000, "22%",
     ZAVOD_WRONG),
    (2, "sf_advance", "sf", 2026, 101, "101", "2026-04-05", 0, None, 202604, 202604, None, 10000000, 2200000,
     12200000, "22/122", ZAVOD),
    (3, "sf", "sf", 2026, 150, "150", "2026-04-30", 0, None, 202604, 202604, None, 8000000, 1760000, 9760000,
     "22%", ZAVOD),
    (4, "ksf", "sf", 2026, 180, "180", "2026-05-15", 0, None, 202605, 202603, 1, -500000, -110000, -610000, "22%",
     ZAVOD),
    (5, "sf", "sf", 2026, 90, "90", "2026-03-31", 1, "2026-05-20", 202605, 202603, 1, 1000000, 220000, 1220000,
     "22%", ZAVOD),
    (6, "sf", "sf", 2025, 900, "900", "2025-12-31", 0, None, 202512, 202512, None, 5000000, 1000000, 6000000,
     "20%", ZAVOD),
    (7, "ksf", "sf", 2026, 181, "181", "2026-06-20", 0, None, 202606, 202512, 6, 100000, 20000, 120000, "20%",
     ZAVOD),
]
# id, book, quarter, entry_date, op_code, doc_id, extra_sheet, annul, for_quarter, total, base, vat, rate,
# payment_docs, offset_docs, note
BOOK = [
    (1, "sales", 20261, "2026-03-31", "01", 1, False, False, None, 1220000, 1000000, 220000, "22%", None, None, None),
    (2, "sales", 20262, "2026-04-05", "02", 2, False, False, None, 12200000, 10000000, 2200000, "22/122",
     "15 от 03.04.2026", None, None),
    (3, "sales", 20262, "2026-04-30", "01", 3, False, False, None, 9760000, 8000000, 1760000, "22%", None,
     "101 от 05.04.2026", None),
    (4, "purchase", 20262, "2026-04-30", "22", 2, False, False, None, 9760000, 8000000, 1760000, "22/122",
     "15 от 03.04.2026", "150 от 30.04.2026", None),
    (5, "purchase", 20262, "2026-05-15", "18", 4, False, False, None, 610000, 500000, 110000, "22%", None, None,
     None),
    (6, "sales", 20262, "2026-05-20", "01", 1, True, True, 20261, 1220000, 1000000, 220000, "22%", None, None,
     "аннулирование: неверный ИНН покупателя"),
    (7, "sales", 20262, "2026-05-20", "01", 5, True, False, 20261, 1220000, 1000000, 220000, "22%", None, None,
     None),
    (8, "sales", 20262, "2026-06-20", "01", 7, False, False, None, 120000, 100000, 20000, "20%", None, None, None),
    (9, "sales", 20262, "2026-06-30", "26", None, False, False, None, 122000000, 100000000, 22000000, "22/122",
     None, None, "Сводная справка № 6 от 30.06.2026"),
]
# legal-entity payments and the households' ones for the cash reports
POSTINGS = [
    (1, 1, 1, "payment", 202604, 202604, -12200000, "2026-04-03"),
    (2, 1, 1, "payment", 202605, 202605, -5000000, "2026-05-12"),
    (3, 1, 1, "payment", 202605, 202605, -1000000, "2026-05-12"),
    (4, 1, 1, "refund", 202606, 202606, 300000, "2026-06-10"),
    (5, 1, 1, "accrual", 202604, 202604, 9760000, "2026-04-30"),
]


def _fixture(st) -> None:
    st.execute(SUPPLIER)
    st.execute("INSERT INTO counterparty (id, kind, inn, kpp, registered) VALUES (1, 'legal', '7736207543', '770401001',"
               " '2020-01-01')")
    st.execute("INSERT INTO counterparty_fact (counterparty_id, valid_from, name) VALUES (1, '2020-01-01', 'ООО «Завод»')")
    st.execute("INSERT INTO contract (id, number, counterparty_id, kind, payment_scheme, state, applied_on, signed_on, starts)"
               " VALUES (1, 'Д-1', 1, 'supply', 'p82', 'signed', '2020-01-01', '2020-01-15', '2020-02-01')")
    for d in DOCS:
        (i, kind, series, year, seq, no, day, corr, corr_day, period, for_period, base, amount, vat, total, rate,
         buyer) = d
        st.execute("INSERT INTO legal_doc (id, kind, series, year, seq, doc_no, doc_date, correction_no, correction_date,"
                   " period, for_period, contract_id, counterparty_id, base_doc_id, amount_kop, vat_kop, total_kop,"
                   " vat_rate, seller, buyer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?)",
                   [i, kind, series, year, seq, no, day, corr, corr_day, period, for_period, base, amount, vat, total,
                    rate, SELLER, buyer])
    st.execute("INSERT INTO legal_doc_ref (doc_id, ref_kind, ref_id, ref_no, ref_date, amount_kop) VALUES"
               " (2, 'payment', 1, '15', '2026-04-03', 12200000), (3, 'advance_offset', 2, '101', '2026-04-05', 9760000)")
    for b in BOOK:
        st.execute("INSERT INTO vat_book (id, book, quarter, entry_date, op_code, doc_id, counterparty_id, extra_sheet,"
                   " annul, for_quarter, total_kop, base_kop, vat_kop, vat_rate, payment_docs, offset_docs, note)"
                   " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(b))
    for p in POSTINGS:
        st.execute("INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop,"
                   " op_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", list(p))


@pytest.fixture
def db(store, db_path):
    _fixture(store)
    store.close()
    return str(db_path)


def _open(db):
    return open_store(db, read_only=True)


def cli(db: str, *args: str):
    return runner.invoke(app, ["--db", db, *args])


def ok(db: str, *args: str) -> str:
    r = cli(db, *args)
    assert r.exit_code == 0, r.output
    return r.stdout


# ------------------------------------------------------------------------------------------- the rows
def _view(book, keys):
    return [tuple(r.cells.get(k) for k in keys) for r in book.rows]


def test_the_sales_book_rows_columns_and_totals(db):
    with _open(db) as st:
        book = sales_book(st, 20262)
    assert book.edition.name == "ПП 1137 в редакции ПП 26 от 23.01.2026"
    assert [c.no for c in book.columns] == ["1", "2", "3", "4", "5", "6", "7", "8", "11", "11а", "12", "13б",
                                            "14 (22 %)", "14", "15", "16", "17 (22 %)", "17", "18", "19"]
    keys = ("no", "op_code", "invoice", "correction", "corrective", "party", "party_inn", "payment_docs",
            "offset_docs", "total", "base_22", "base_20", "vat_22", "vat_20")
    assert _view(book, keys) == [
        ("1", "02", "101 от 05.04.2026", None, None, "ООО «Завод»", "7736207543/770401001", "15 от 03.04.2026", None,
         12200000, None, None, 2200000, None),                          # an advance: no base
        ("2", "01", "150 от 30.04.2026", None, None, "ООО «Завод»", "7736207543/770401001", None, "101 от 05.04.2026",
         9760000, 8000000, None, 1760000, None),
        ("3", "01", "900 от 31.12.2025", None, "181 от 20.06.2026", "ООО «Завод»", "7736207543/770401001", None, None,
         120000, None, 100000, None, 20000),                            # a corrective increase at 20 %
        ("4", "26", "Сводная справка № 6 от 30.06.2026", None, None, HOUSEHOLDS, None, None, None,
         122000000, 100000000, None, 22000000, None)]
    assert book.totals == {"total": 144080000, "base_22": 108000000, "base_20": 100000, "base_10": 0, "base_0": 0,
                           "vat_22": 25960000, "vat_20": 20000, "vat_10": 0, "exempt": 0}
    assert [(t.rate, t.total_kop, t.base_kop, t.vat_kop) for t in book.by_rate] == [
        ("22", 143960000, 108000000, 25960000), ("20", 120000, 100000, 20000)]
    assert book.party.name == "АО «Энергосбыт Плюс»" and book.party.inn_kpp == "5612042824/561201001"


def test_the_correction_goes_to_the_additional_sheet_of_its_quarter(db):
    with _open(db) as st:
        q2 = sales_book(st, 20262)
        q1 = sales_book(st, 20261)
    assert [r.id for r in q2.rows] == [2, 3, 8, 9]          # the sheet's rows are not in the main part
    assert len(q2.sheets) == 1 and q1.sheets == q2.sheets   # the I quarter's sheet, made in the II quarter
    sheet = q2.sheets[0]
    assert sheet.for_quarter == 20261 and str(sheet.made_on) == "2026-05-20"
    assert "11а" not in [c.no for c in sheet.columns]       # the I quarter's form: no column 11а
    keys = ("no", "invoice", "correction", "party_inn", "total", "base_22", "vat_22")
    assert [tuple(r.cells.get(k) for k in keys) for r in sheet.rows] == [
        ("1", "90 от 31.03.2026", None, "7736207534/770401001", -1220000, -1000000, -220000),   # annulled
        ("2", "90 от 31.03.2026", "1 от 20.05.2026", "7736207543/770401001", 1220000, 1000000, 220000)]
    assert (sheet.before["total"], sheet.before["base_22"], sheet.before["vat_22"]) == (1220000, 1000000, 220000)
    assert (sheet.after["total"], sheet.after["base_22"], sheet.after["vat_22"]) == (1220000, 1000000, 220000)
    assert [r.id for r in q1.rows] == [1]


def test_the_purchase_book(db):
    with _open(db) as st:
        book = purchase_book(st, 20262)
    assert [c.no for c in book.columns] == ["1", "2", "3", "4", "5", "6", "7", "7а", "8", "9", "10", "14", "15",
                                            "16"]
    keys = ("no", "op_code", "invoice", "corrective", "payment_docs", "offset_docs", "party", "party_inn", "total",
            "vat")
    assert _view(book, keys) == [
        ("1", "22", "101 от 05.04.2026", None, "15 от 03.04.2026", "150 от 30.04.2026", "ООО «Завод»",
         "7736207543/770401001", 9760000, 1760000),
        ("2", "18", "90 от 31.03.2026", "180 от 15.05.2026", None, None, "ООО «Завод»", "7736207543/770401001",
         610000, 110000)]
    assert book.totals == {"total": 10370000, "vat": 1870000}
    assert [(t.rate, t.total_kop, t.base_kop, t.vat_kop) for t in book.by_rate] == [("22", 10370000, 8500000, 1870000)]
    assert book.sheets == ()
    assert book.party.name == "АО «Энергосбыт Плюс»"


def test_editions_by_date_and_the_quarter_syntax():
    assert vat_books.edition_on(vat_books.quarter_bounds(20254)[0]).columns("purchase")[7].no == "8"   # no 7а
    assert "14 (22 %)" not in [c.no for c in vat_books.edition_on(vat_books.quarter_bounds(20254)[0]).sales]
    assert parse_quarter("2026-2") == 20262 and parse_quarter(" 2025-4 ") == 20254
    for bad in ("2026-5", "2026-II", "2026", "II-2026", ""):
        with pytest.raises(vat_books.SbytError, match="Квартал задаётся как ГГГГ-К"):
            parse_quarter(bad)


def test_the_summary_entry_of_the_issuing_is_named_by_its_month():
    from datetime import date

    assert vat_books.summary_title("period:202606", date(2026, 6, 30)) == "Сводная справка за 06.2026 от 30.06.2026"
    assert vat_books.summary_title(None, date(2026, 6, 30)) == "Сводный документ от 30.06.2026"


def test_an_unknown_rate_is_refused_in_russian(db):
    with open_store(db) as st:
        st.execute("UPDATE vat_book SET vat_rate = '18%' WHERE id = 8")
        with pytest.raises(vat_books.SbytError, match="Книга продаж: запись 8 от 20.06.2026 со ставкой «18%»"):
            sales_book(st, 20262)


# ------------------------------------------------------------------------------------------- the XLSX
def test_the_xlsx_cells(db, tmp_path):
    from openpyxl import load_workbook

    with _open(db) as st:
        book = sales_book(st, 20262)
    path = tmp_path / "sales.xlsx"
    vat_books.write_xlsx(book, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Книга продаж", "Доп. лист 1 за 2026-1"]
    ws = wb["Книга продаж"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][0] == "КНИГА ПРОДАЖ"
    assert rows[1][0] == "Продавец: АО «Энергосбыт Плюс»"
    assert rows[2][0] == "ИНН/КПП продавца: 5612042824/561201001"
    assert rows[3][0] == "Продажа за период с 01.04.2026 по 30.06.2026"
    assert rows[5][:3] == ["№ п/п", "Код вида операции", "Номер и дата счёта-фактуры продавца"]
    assert rows[6] == ["1", "2", "3", "4", "5", "6", "7", "8", "11", "11а", "12", "13б", "14 (22 %)*", "14", "15",
                       "16", "17 (22 %)*", "17", "18", "19"]
    data = rows[7:12]
    assert [r[1] for r in data] == ["02", "01", "01", "26", None]
    assert data[0][11] == 122000 and data[0][12] is None and data[0][16] == 22000
    assert data[1][9] == "101 от 05.04.2026" and data[1][12] == 80000 and data[1][16] == 17600
    assert data[2][4] == "181 от 20.06.2026" and data[2][13] == 1000 and data[2][17] == 200
    assert data[3][6] == HOUSEHOLDS and data[3][11] == 1220000
    assert data[4][6] == "Всего"
    assert [data[4][i] for i in range(11, 20)] == [1440800, 1080000, 1000, 0, 0, 259600, 200, 0, 0]
    assert ws.cell(8, 12).number_format == "#,##0.00"
    notes = [r[0] for r in rows[13:]]
    assert notes[0] == "Форма: ПП 1137 в редакции ПП 26 от 23.01.2026."
    assert notes[1].startswith("* Номер графы ставки 22 % не сверен")
    assert notes[3:] == ["22 %: 1 439 600,00 / 1 080 000,00 / 259 600,00", "20 %: 1 200,00 / 1 000,00 / 200,00"]
    extra = [[c.value for c in r] for r in wb["Доп. лист 1 за 2026-1"].iter_rows()]
    assert extra[0][0] == "ДОПОЛНИТЕЛЬНЫЙ ЛИСТ № 1 КНИГИ ПРОДАЖ"
    assert extra[3][0] == "Продажа за период с 01.01.2026 по 31.03.2026"
    assert extra[4][0] == "Дополнительный лист составлен: 20.05.2026"
    body = extra[8:12]
    assert [r[6] for r in body] == ["Итого", "ООО «Завод»", "ООО «Завод»", "Всего"]
    assert [(r[10], r[11], r[15]) for r in body] == [(12200, 10000, 2200), (-12200, -10000, -2200),
                                                    (12200, 10000, 2200), (12200, 10000, 2200)]


# -------------------------------------------------------------------------------------------- the PDF
def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@needs_pdftotext
@pytest.mark.parametrize("kind", ["sales", "purchase"])
def test_the_pdf_golden_text_landscape_same_bytes(db, tmp_path, kind):
    with _open(db) as st:
        book = vat_books.build_book(st, kind, 20262)
    path = tmp_path / f"{kind}.pdf"
    data, pages = vat_books.write_pdf(book, path)
    assert pages == (2 if kind == "sales" else 1)
    assert vat_books.write_pdf(book)[0] == data                  # the same book, the same bytes
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    assert "841.89 x 595.28 pts" in info                        # A4 landscape
    check_golden(f"vat_{kind}_2026-2.txt", pdf_text(path))


# -------------------------------------------------------------------------------------------- the CLI
def test_cli_csv_json_and_files(db, tmp_path):
    out = ok(db, "vat-book", "sales", "--quarter", "2026-2", "--format", "csv")
    blocks = [b for b in out.split("\n\n") if b.strip()]
    assert len(blocks) == 2                                      # the book and its additional sheet
    header, *rows = list(csv.reader(io.StringIO(blocks[0]), delimiter=";"))
    assert header[:3] == ["1 № п/п", "2 Код вида операции", "3 Номер и дата счёта-фактуры продавца"]
    assert [r[1] for r in rows] == ["02", "01", "01", "26", ""] and rows[-1][0] == "Итого"
    assert rows[-1][header.index("13б Стоимость продаж по счёту-фактуре (включая НДС) в рублях и копейках")] == \
        "1440800,00"
    data = json.loads(ok(db, "vat-book", "purchase", "--quarter", "2026-2", "--format", "json"))
    assert [r["op_code"] for r in data] == ["22", "18"]                  # JSON keys: the columns' names
    assert [r["vat"] for r in data] == ["17600.00", "1100.00"] and data[0]["offset_docs"] == "150 от 30.04.2026"
    xlsx, pdf = tmp_path / "p.xlsx", tmp_path / "p.pdf"
    r = cli(db, "vat-book", "purchase", "--quarter", "2026-2", "--xlsx", str(xlsx), "--pdf", str(pdf))
    assert r.exit_code == 0, r.output
    assert xlsx.stat().st_size > 3000 and pdf.read_bytes().startswith(b"%PDF")
    assert f"Книга покупок за II квартал 2026 г.: 2 записи, НДС 18\u00a0700,00 ₽. Записано: {xlsx}, {pdf} (1 стр.)." in r.stderr
    table = ok(db, "vat-book", "sales", "--quarter", "2026-2")
    assert "Физические лица (сводный документ)" in table


def test_cli_refuses_a_bad_quarter_in_russian(db):
    r = cli(db, "vat-book", "sales", "--quarter", "2026-II")
    assert r.exit_code == 1
    assert "Квартал задаётся как ГГГГ-К, например 2026-2 (II квартал 2026 г.), а не «2026-II»." in r.stderr


def test_cli_codes(db):
    data = json.loads(ok(db, "vat-book", "codes", "--format", "json"))
    assert [r["Код"] for r in data] == ["01", "02", "06", "18", "21", "22", "26"]
    assert data[0]["Действует с"] == "2016-07-01"


# ----------------------------------------------------------------------------------------- the reports
def report(db: str, name: str, **params: str) -> list[dict]:
    args = [a for k, v in params.items() for a in ("-p", f"{k}={v}")]
    return json.loads(ok(db, "report", "run", name, *args, "-f", "json"))


def test_book_summaries(db):
    rows = report(db, "vat_sales_summary", year="2026", quarter="2")
    assert [(r["quarter"], r["op_code"], r["vat_rate"], r["entries"], r["total_rub"], r["base_rub"], r["vat_rub"])
            for r in rows] == [
        ("2026-2", "01", "20%", 1, "1200.00", "1000.00", "200.00"),
        ("2026-2", "01", "22%", 1, "97600.00", "80000.00", "17600.00"),
        ("2026-2", "02", "22/122", 1, "122000.00", "100000.00", "22000.00"),
        ("2026-2", "26", "22/122", 1, "1220000.00", "1000000.00", "220000.00")]
    every = report(db, "vat_sales_summary", year="2026")
    assert [(r["quarter"], r["op_code"], r["sheet"]) for r in every][:2] == [("2026-1", "01", "основная"),
                                                                              ("2026-1", "01", "доп. лист")]
    sheet = every[1]
    assert (sheet["entries"], sheet["total_rub"], sheet["vat_rub"]) == (2, "0.00", "0.00")   # annulled + corrected
    rows = report(db, "vat_purchase_summary", year="2026", quarter="2")
    assert [(r["op_code"], r["vat_rate"], r["total_rub"], r["vat_rub"]) for r in rows] == [
        ("18", "22%", "6100.00", "1100.00"), ("22", "22/122", "97600.00", "17600.00")]


def test_advances_report(db):
    rows = report(db, "legal_advances", period_from="2026-04", period_to="2026-06")
    assert [(r["contract"], r["invoice"], r["invoice_date"], r["advance_rub"], r["vat_rub"], r["offset_rub"],
             r["left_rub"]) for r in rows] == [
        ("Д-1", "101", "2026-04-05", "122000.00", "22000.00", "97600.00", "24400.00")]


def test_receipts_and_cash_flow_reports(db):
    rows = report(db, "legal_receipts", period_from="2026-04", period_to="2026-06")
    assert [(r["pay_date"], r["contract"], r["payments"], r["amount_rub"], r["vat_rub"]) for r in rows] == [
        ("2026-04-03", "Д-1", 1, "122000.00", "22000.00"), ("2026-05-12", "Д-1", 2, "60000.00", "10819.67")]
    flow = report(db, "cash_flow", period_from="2026-04", period_to="2026-06")
    assert [(r["month"], r["households_rub"], r["legal_rub"], r["refunds_rub"], r["net_rub"]) for r in flow] == [
        (202604, "0.00", "122000.00", "0.00", "122000.00"), (202605, "0.00", "60000.00", "0.00", "60000.00"),
        (202606, "0.00", "0.00", "3000.00", "-3000.00")]


def test_legal_charges_report(db):
    with open_store(db) as st:
        st.execute("""INSERT INTO legal_charge (id, period, for_period, contract_id, counterparty_id, component, method,
                      volume_wh, amount_kop, vat_kop, vat_rate, vat_included, status) VALUES
                      (1, 202604, 202604, 1, 1, 'energy', 'hourly', 10000000, 3290940, 724007, 22, false, 'posted'),
                      (2, 202604, 202604, 1, 1, 'capacity', 'hourly', 0, 1000000, 220000, 22, false, 'posted'),
                      (3, 202604, 202604, 1, 1, 'energy', 'recalc', -1000000, -329094, -72401, 22, false, 'posted'),
                      (4, 202605, 202605, 1, 1, 'household', 'tariff', 2000000, 1220000, 220000, 22, true, 'posted'),
                      (5, 202605, 202605, 1, 1, 'energy', 'hourly', 5000, 99, 22, 22, false, 'draft')""")
    rows = report(db, "legal_charges", period_from="2026-04", period_to="2026-05")
    assert [(r["period"], r["contract"], r["component"], r["volume_kwh"], r["amount_rub"], r["vat_rub"],
             r["total_rub"]) for r in rows] == [
        (202604, "Д-1", "Мощность", "0.000", "10000.00", "2200.00", "12200.00"),
        (202604, "Д-1", "Электроэнергия", "9000.000", "29618.46", "6516.06", "36134.52"),
        (202605, "Д-1", "По тарифу населения", "2000.000", "10000.00", "2200.00", "12200.00")]   # VAT inside
    drafts = report(db, "legal_charges", period_from="2026-05", period_to="2026-05", drafts="да")
    assert [(r["component"], r["total_rub"]) for r in drafts] == [("По тарифу населения", "12200.00"),
                                                                  ("Электроэнергия", "1.21")]
