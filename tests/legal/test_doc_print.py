"""Printed forms of legal-entity documents (`sbyt.reports.legal_doc_print`): the page text of a bill,
a VAT invoice of each edition (line 5б only in the 2026 one), a corrective VAT invoice with its rows
А/Б/В/Г, an acceptance act and a УПД (golden, read back with pdftotext), the same bytes on every run,
the page count of a print of several documents, and the amount in words."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sbyt.core.legal_docs import BaseDoc, Doc, DocLine, DocRef, Party
from sbyt.reports.legal_doc_print import doc_pdf, print_docs, render
from sbyt.reports.legal_doc_print_forms import ksf_rows, ksf_totals
from sbyt.reports.legal_doc_print_words import rub_words

GOLDEN = Path(__file__).parent / "golden"
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

SELLER = Party("АО «Энергосбыт Плюс»", "5612042824", "561201001", "460024, г. Оренбург, ул. Аксакова, д. 3а",
               "40702810900000012345", "ПАО Сбербанк", "044525225", "30101810400000000225", "8-800-000-00-00",
               "info@sbyt.example")
BUYER = Party("ООО «Завод металлоконструкций»", "7736207543", "770401001",
              "119021, г. Москва, ул. Льва Толстого, д. 16", "40702810500000001234", "ПАО Сбербанк", "044525225",
              "30101810400000000225")


def head(kind: str, series: str, seq: int, no: str, day: date, **kw) -> Doc:
    base = dict(id=seq, kind=kind, series=series, year=day.year, seq=seq, doc_no=no, doc_date=day, correction_no=0,
                correction_date=None, period=202606, for_period=202606, contract_id=1, contract_no="77-001",
                contract_date=date(2026, 5, 25), counterparty_id=1, instalment=None, upd_status=None, form=None,
                due_date=None, amount_kop=0, vat_kop=0, total_kop=0, vat_rate=None, basis=None, seller=SELLER,
                buyer=BUYER, email=None, base=None, lines=(), refs=())
    base.update(kw)
    return Doc(**base)


def line(no: int, name: str, okei: str, unit: str, q: str, p: str, amount: int, vat: int, **kw) -> DocLine:
    return DocLine(no, name, None, 0, okei, unit, Decimal(q), Decimal(p), amount, "22%", vat, amount + vat, **kw)


# 150 000 kWh × 5,712345 = 856 851,75 ₽; VAT 22 % = 188 507,39; 210 kW × 1 234,56 = 259 257,60; VAT 57 036,67
SHIPMENT_LINES = (
    line(1, "Электрическая энергия (ЦК 3, СН-2)", "245", "кВт·ч", "150000", "5.712345", 85685175, 18850739),
    line(2, "Мощность (ЦК 3, СН-2)", "214", "кВт", "210", "1234.56", 25925760, 5703667),
)
SHIP_AMOUNT = 85685175 + 25925760
SHIP_VAT = 18850739 + 5703667


def bill() -> Doc:
    return head("bill_advance", "bill", 12, "С-12", date(2026, 6, 1), instalment="p82_10", due_date=date(2026, 6, 10),
                amount_kop=8600000, vat_kop=1896721, total_kop=10496721, vat_rate="22/122",
                basis="30 % стоимости потребления за май 2026 г.: 349 890,70 руб. × 30 % = 104 967,21 руб.",
                lines=(DocLine(1, "Электрическая энергия (мощность) за июнь 2026 г., первый промежуточный платёж",
                               None, 0, None, None, None, None, 8600000, "22/122", 1896721, 10496721),))


def shipment(form: str, day: date, seq: int, **kw) -> Doc:
    kw.setdefault("refs", (DocRef("shipment", None, "А-31", day, SHIP_AMOUNT + SHIP_VAT),))
    return head("sf", "sf", seq, str(seq), day, form=form, amount_kop=SHIP_AMOUNT, vat_kop=SHIP_VAT,
                total_kop=SHIP_AMOUNT + SHIP_VAT, vat_rate="22%", lines=SHIPMENT_LINES, **kw)


def sf_1137() -> Doc:
    return shipment("1137", date(2026, 3, 31), 310, period=202603, for_period=202603)


def sf_2026() -> Doc:
    return shipment("1137-2026", date(2026, 6, 30), 655, refs=(
        DocRef("shipment", None, "А-31", date(2026, 6, 30), SHIP_AMOUNT + SHIP_VAT),
        DocRef("advance_offset", 601, "601", date(2026, 5, 31), 5000000),
        DocRef("advance_offset", 640, "640", date(2026, 6, 15), 3050000)))


def ksf() -> Doc:
    # energy: 150 000 -> 152 400 kWh at 5,712345: 856 851,75 -> 870 561,38 (+13 709,63; VAT +3 016,12)
    # capacity: 210 -> 205 kW at 1 234,56: 259 257,60 -> 253 084,80 (−6 172,80; VAT −1 358,02)
    lines = (
        DocLine(1, "Электрическая энергия (ЦК 3, СН-2)", "energy", 0, "245", "кВт·ч", Decimal("2400"),
                Decimal("5.712345"), 1370963, "22%", 301612, 1672575, Decimal("150000"), Decimal("5.712345"),
                85685175, 18850739, 104535914),
        DocLine(2, "Мощность (ЦК 3, СН-2)", "capacity", 0, "214", "кВт", Decimal("-5"), Decimal("1234.56"),
                -617280, "22%", -135802, -753082, Decimal("210"), Decimal("1234.56"), 25925760, 5703667, 31629427),
    )
    return head("ksf", "sf", 702, "702", date(2026, 7, 20), period=202607, form="1137-2026",
                amount_kop=1370963 - 617280, vat_kop=301612 - 135802, total_kop=1672575 - 753082, vat_rate="22%",
                basis="Перерасчёт июня 2026 г.: уточнённые почасовые объёмы", lines=lines,
                base=BaseDoc(655, "sf", "655", date(2026, 6, 30), 1, date(2026, 7, 2)))


def act() -> Doc:
    return head("act", "act", 31, "А-31", date(2026, 6, 30), amount_kop=SHIP_AMOUNT, vat_kop=SHIP_VAT,
                total_kop=SHIP_AMOUNT + SHIP_VAT, vat_rate="22%", lines=SHIPMENT_LINES)


def upd() -> Doc:
    return replace(sf_2026(), kind="upd", upd_status=1, seq=656, doc_no="656", id=656)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@needs_pdftotext
@pytest.mark.parametrize("name, build", [("bill", bill), ("sf_1137", sf_1137), ("sf_1137-2026", sf_2026),
                                         ("ksf", ksf), ("act", act), ("upd", upd)])
def test_the_printed_text(name, build, tmp_path):
    text = pdf_text(doc_pdf(build()), tmp_path)
    check_golden(f"doc_{name}.txt", text)


@needs_pdftotext
def test_line_5b_only_in_the_2026_edition(tmp_path):
    old, new = pdf_text(doc_pdf(sf_1137()), tmp_path), pdf_text(doc_pdf(sf_2026()), tmp_path)
    assert "(5б)" not in old and "(в ред. постановления от 23.01.2026 № 26)" not in " ".join(old.split())
    assert "№ 601 от 31.05.2026; № 640 от 15.06.2026" in new and "(5б)" in new


def test_corrective_rows_and_totals():
    d = ksf()
    energy, capacity = (ksf_rows(d, ln) for ln in d.lines)
    assert energy[0][:3] == ("150 000", "5,712345", "856 851,75")
    assert energy[1][:3] == ("152 400", "5,712345", "870 561,38")
    assert energy[2] == ("2 400", "—", "13 709,63", "X", "X", "3 016,12", "16 725,75")
    assert energy[3] == ("—", "—", "—", "X", "X", "—", "—")
    assert capacity[1][:3] == ("205", "1234,56", "253 084,80")
    assert capacity[3] == ("5", "—", "6 172,80", "X", "X", "1 358,02", "7 530,82")
    assert ksf_totals(d) == ((1370963, 301612, 1672575), (617280, 135802, 753082))


def test_same_document_same_bytes():
    assert doc_pdf(sf_2026()) == doc_pdf(sf_2026())
    assert doc_pdf(bill()) != doc_pdf(replace(bill(), total_kop=10496722))


def test_a_print_of_several_documents(tmp_path):
    long_act = replace(act(), lines=tuple(replace(SHIPMENT_LINES[0], line_no=i) for i in range(1, 61)))
    r = print_docs([bill(), long_act, upd()], tmp_path / "docs.pdf")
    assert (r.documents, r.pages) == (3, 4)      # the act of 60 lines continues on a second page
    assert render([bill(), long_act, upd()]).pages == 4
    assert (tmp_path / "docs.pdf").read_bytes().startswith(b"%PDF")


def test_amount_in_words():
    assert rub_words(10496721) == "Сто четыре тысячи девятьсот шестьдесят семь рублей 21 копейка"
    assert rub_words(200211) == "Две тысячи два рубля 11 копеек"
    assert rub_words(2000001200) == "Двадцать миллионов двенадцать рублей 00 копеек"
    assert rub_words(101) == "Один рубль 01 копейка"
