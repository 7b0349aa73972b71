"""ЭДО XML (sbyt.io.edo_xml): VAT invoices, УПД, advance and corrective invoices in the ФНС formats,
validated against the official XSD 5.03; the reader of the saved real УПД files; round trip and
golden files."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from sbyt.core.errors import SbytError
from sbyt.core.legal_docs import BaseDoc, Doc, DocLine, DocRef, Party
from sbyt.io.edo_xml import (UPD_SCHEMA, Signer, default_signer, doc_function, edo_file, read_upd, validate)

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = Path("/work/shared/samples/upd_xml")
NOW = datetime(2026, 5, 4, 10, 15, 30)
SENDER = "2BM-7701234567-770101001-201801010000000000001"
RECIPIENT = "2BM-7702345678-770201001-201901010000000000002"
SIGNER = Signer("Генеральный директор", "Демидов", "Олег", "Петрович")

SELLER = Party("АО «Демоэнергосбыт»", "7701234567", "770101001", "123456, г. Москва, ул. Энергетиков, д. 1",
               bank_account="40702810900000000001", bank_name="ПАО «Банк»", bic="044525225",
               corr_account="30101810400000000225", phone="+7 495 000-00-00", email="edo@demo.example")
BUYER = Party("ООО «Ромашка»", "7702345678", "770201001", "г. Москва, ул. Садовая, д. 5, пом. 3")

# 12 345,678 kWh × 5,123456 = 63 252,54; 0,025 MW × 950 123,45 = 23 753,09; 150 kWh × 12,34 = 1 851,00
LINES = (
    DocLine(1, "Электрическая энергия (ЦК 3, СН-2)", "energy", 0, "245", "кВт·ч", Decimal("12345.678000"),
            Decimal("5.123456"), 6325254, "22%", 1391556, 7716810),
    DocLine(2, "Мощность (ЦК 3, СН-2)", "capacity", 0, "215", "МВт", Decimal("0.025000"),
            Decimal("950123.450000"), 2375309, "22%", 522568, 2897877),
    DocLine(3, "Электрическая энергия сверх договорного объёма", "over", 0, "245", "кВт·ч", Decimal("150.000000"),
            Decimal("12.340000"), 185100, "22%", 40722, 225822),
)


def make_doc(kind: str, **kw) -> Doc:
    lines = kw.pop("lines", LINES)
    base = dict(id=17, kind=kind, series="sf", year=2026, seq=5, doc_no="5", doc_date=date(2026, 4, 30),
                correction_no=0, correction_date=None, period=202604, for_period=202604, contract_id=1,
                contract_no="77-001", contract_date=date(2025, 12, 20), counterparty_id=1, instalment=None,
                upd_status=None, form="1137-2026", due_date=None,
                amount_kop=sum(ln.amount_kop for ln in lines), vat_kop=sum(ln.vat_kop for ln in lines),
                total_kop=sum(ln.total_kop for ln in lines), vat_rate="22%", basis=None, seller=SELLER,
                buyer=BUYER, email=None, base=None, lines=lines, refs=())
    base.update(kw)
    return Doc(**base)


def export(doc: Doc):
    return edo_file(doc, sender_id=SENDER, recipient_id=RECIPIENT, now=NOW, signer=SIGNER)


ADVANCE_LINE = DocLine(1, "Предварительная оплата за электрическую энергию (мощность), май 2026", None, 0, None,
                       None, None, None, 1000000, "22/122", 220000, 1220000)
ADVANCE = make_doc("sf_advance", doc_no="6", id=18, vat_rate="22/122", lines=(ADVANCE_LINE,),
                   refs=(DocRef("payment", 41, "318", date(2026, 4, 28), 1220000),))


# ------------------------------------------------------------------------------------------- writing

@pytest.mark.parametrize("doc, function", [
    (make_doc("sf"), "СЧФ"),
    (make_doc("upd", upd_status=1), "СЧФДОП"),
    (make_doc("upd", upd_status=2, series="act", doc_no="А-5"), "ДОП"),
    (ADVANCE, "СЧФ"),
], ids=["sf", "upd1", "upd2", "advance"])
def test_each_function_validates_against_the_official_xsd(doc, function):
    f = export(doc)
    assert doc_function(doc) == function
    assert validate(f.data, UPD_SCHEMA) == []
    text = f.data.decode("cp1251")
    assert text.startswith('<?xml version="1.0" encoding="windows-1251"?>\n<Файл ')
    assert f'Функция="{function}"' in text and 'ВерсФорм="5.03"' in text and 'КНД="1115131"' in text
    assert f.name == f.file_id + ".xml"
    assert re.fullmatch(rf"ON_NSCHFDOPPR_{RECIPIENT}_{SENDER}_20260504_[0-9a-f-]{{36}}_0_0_0_0_0_00", f.file_id)
    assert f'ИдФайл="{f.file_id}"' in text
    assert ('НаимДокОпр=' in text) == (function != "СЧФ")       # the schema's rule: not on СЧФ
    assert ('<СвПродПер>' in text) == (function != "СЧФ")


def test_advance_invoice_has_the_calculated_rate_and_the_payment_document():
    text = export(ADVANCE).data.decode("cp1251")
    assert 'НалСт="22/122"' in text
    assert '<СвПРД НомерПРД="318" ДатаПРД="28.04.2026" СуммаПРД="12200.00" />' in text
    assert 'СпОбстФСЧФ="2"' in text
    assert "КолТов" not in text and "ЦенаТов" not in text and 'СтТовБезНДС=' not in text   # graph 5 empty
    r = read_upd(export(ADVANCE).data)
    assert [(ln.rate, ln.amount_kop, ln.vat_kop, ln.total_kop) for ln in r.lines] == [("22/122", None, 220000, 1220000)]
    assert (r.total_amount_kop, r.total_vat_kop, r.total_kop) == (None, 220000, 1220000)


def test_correction_carries_line_1a_and_the_advance_offsets():
    doc = make_doc("upd", upd_status=1, correction_no=2, correction_date=date(2026, 5, 12),
                   refs=(DocRef("advance_offset", 9, "3", date(2026, 3, 31), 1220000),
                         DocRef("advance_offset", 12, "4", date(2026, 4, 30), 244000)))
    f = export(doc)
    assert validate(f.data) == []
    text = f.data.decode("cp1251")
    assert '<ИспрДок НомИспр="2" ДатаИспр="12.05.2026" />' in text
    assert 'НомерДок="5" ДатаДок="30.04.2026"' in text           # the original's number and date
    r = read_upd(f.data)
    assert (r.correction_no, r.correction_date) == (2, date(2026, 5, 12))
    assert r.advance_offsets == ("№ 3 от 31.03.2026; сумма 12\u00a0200,00", "№ 4 от 30.04.2026; сумма 2\u00a0440,00")
    assert f.file_id != export(make_doc("upd", upd_status=1)).file_id   # another GUID per correction


def test_the_same_document_exports_to_the_same_bytes():
    a, b = export(make_doc("sf")), export(make_doc("sf"))
    assert a.data == b.data and a.file_id == b.file_id
    assert export(make_doc("sf", id=99)).file_id != a.file_id


def test_ids_default_to_inn_kpp_and_signer_to_the_dated_rules():
    f = edo_file(make_doc("sf"), sender_id=None, recipient_id=None, now=NOW)
    assert f.file_id.startswith("ON_NSCHFDOPPR_7702345678770201001_7701234567770101001_20260504_")
    assert default_signer(date(2026, 4, 30)) == Signer("Генеральный директор", "Демидов", "Олег", "Петрович")
    assert '<Подписант Должн="Генеральный директор" СпосПодтПолном="1">' in f.data.decode("cp1251")


def test_validator_rejects_a_broken_file():
    data = export(make_doc("upd", upd_status=1)).data
    broken = data.replace(' ИННЮЛ="7702345678"'.encode("cp1251"), b"", 1)     # a required attribute
    assert broken != data
    errors = validate(broken)
    assert len(errors) == 1 and "ИННЮЛ" in errors[0] and "/Файл/Документ/СвСчФакт/ГрузПолуч" in errors[0]
    assert validate(data.replace('НалСт="22%"'.encode("cp1251"), 'НалСт="21%"'.encode("cp1251"))) != []
    assert validate(b"<not xml")[0].startswith("XML не разобран")


def test_an_invalid_document_is_refused_with_its_number():
    bad = make_doc("sf", doc_no="7", buyer=replace(BUYER, inn="12345"))
    with pytest.raises(SbytError, match=r"документа № 7 от 30\.04\.2026 не соответствует схеме "
                                        r"ON_NSCHFDOPPR_1_997_01_05_03_05\.xsd: .*ИННЮЛ"):
        export(bad)
    with pytest.raises(SbytError, match="не выгружается в ЭДО"):
        export(make_doc("bill_actual"))


def test_golden_upd():
    f = export(make_doc("upd", upd_status=1))
    path = GOLDEN / "edo_upd_5.xml"
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.write_bytes(f.data)
    assert f.data == path.read_bytes()


# ------------------------------------------------------------------------------------------- ksf

KSF = make_doc("ksf", id=30, doc_no="12", doc_date=date(2026, 6, 10), period=202606, basis="перерасчёт за апрель 2026",
               base=BaseDoc(17, "sf", "5", date(2026, 4, 30), 1, date(2026, 5, 12)),
               lines=(DocLine(1, "Электрическая энергия (ЦК 3, СН-2)", "energy", 0, "245", "кВт·ч",
                              Decimal("-345.678000"), Decimal("5.123456"), -177108, "22%", -38964, -216072,
                              quantity_before=Decimal("12345.678000"), price_before=Decimal("5.123456"),
                              amount_before_kop=6325254, vat_before_kop=1391556, total_before_kop=7716810),
                      DocLine(2, "Мощность (ЦК 3, СН-2)", "capacity", 0, "215", "МВт", Decimal("0.005000"),
                              Decimal("950123.450000"), 475062, "22%", 104514, 579576,
                              quantity_before=Decimal("0.025000"), price_before=Decimal("950123.450000"),
                              amount_before_kop=2375309, vat_before_kop=522568, total_before_kop=2897877)))


def test_corrective_invoice_is_built_by_the_field_list():
    f = export(KSF)
    assert re.fullmatch(rf"ON_NKORSCHFDOPPR_{RECIPIENT}_{SENDER}_20260504_[0-9a-f-]{{36}}", f.file_id)
    text = f.data.decode("cp1251")
    assert 'КНД="1115133"' in text and 'Функция="КСЧФ"' in text and 'ВерсФорм="5.01"' in text
    assert '<СвКСчФ НомерКСчФ="12" ДатаКСчФ="10.06.2026" КодОКВ="643">' in text
    assert '<СчФ НомерСчФ="5" ДатаСчФ="30.04.2026">' in text
    assert '<ИспрСчФ НомИспрСчФ="1" ДатаИспрСчФ="12.05.2026" />' in text
    # line 1: 12 345,678 → 12 000 kWh, 63 252,54 → 61 481,46 (a decrease of 1 771,08)
    assert ('КолТовДо="12345.678" КолТовПосле="12000"' in text
            and '<СтТовБезНДС СтоимДоИзм="63252.54" СтоимПослеИзм="61481.46" СтоимУм="1771.08" />' in text)
    assert '<СтТовБезНДС СтоимДоИзм="23753.09" СтоимПослеИзм="28503.71" СтоимУвел="4750.62" />' in text
    assert ('<ВсегоУвел СтТовБезНДСВсего="4750.62" СтТовУчНалВсего="5795.76">' in text
            and '<ВсегоУм СтТовБезНДСВсего="1771.08" СтТовУчНалВсего="2160.72">' in text)
    assert validate(f.data) != []           # not a УПД: no XSD of the corrective format in the repository
    path = GOLDEN / "edo_ksf_12.xml"
    if os.environ.get("SBYT_UPDATE_GOLDEN"):
        path.write_bytes(f.data)
    assert f.data == path.read_bytes()


# ------------------------------------------------------------------------------------------- reading

def test_round_trip_gives_back_the_document_fields():
    for doc in (make_doc("upd", upd_status=1, refs=(DocRef("payment", 41, "318", date(2026, 4, 28), 500000),)),
                make_doc("sf", correction_no=1, correction_date=date(2026, 5, 12))):
        r = read_upd(export(doc).data)
        assert (r.version, r.function, r.number, r.day, r.currency) == ("5.03", doc_function(doc), doc.doc_no,
                                                                        doc.doc_date, "643")
        assert (r.correction_no or 0, r.correction_date) == (doc.correction_no, doc.correction_date)
        for side, party in ((r.seller, doc.seller), (r.buyer, doc.buyer)):
            assert (side.name, side.inn, side.kpp, side.address) == (party.name, party.inn, party.kpp, party.address)
        assert [(ln.line_no, ln.name, ln.okei, ln.unit, ln.quantity, ln.price, ln.amount_kop, ln.rate, ln.vat_kop,
                 ln.total_kop) for ln in r.lines] == [
            (ln.line_no, ln.name, ln.okei, ln.unit, ln.quantity, ln.price, ln.amount_kop, ln.vat_rate, ln.vat_kop,
             ln.total_kop) for ln in doc.lines]
        assert (r.total_amount_kop, r.total_vat_kop, r.total_kop) == (doc.amount_kop, doc.vat_kop, doc.total_kop)
        assert [(p.number, p.day, p.amount_kop) for p in r.payments] == [
            (x.ref_no, x.ref_date, x.amount_kop) for x in doc.refs_of("payment")]


def test_reads_the_real_503_sample_as_it_is():
    data = (SAMPLES / "vscherbo_example-upd_5.03.xml").read_bytes()
    assert validate(data) == []
    r = read_upd(data)
    assert (r.version, r.function, r.number, r.day, r.correction_no, r.currency) == (
        "5.03", "СЧФДОП", "1", date(2026, 8, 14), None, "643")
    assert (r.seller.name, r.seller.inn, r.seller.kpp) == ('ООО "Автоматика"', "7804431521", "780401001")
    assert r.seller.address == "194064, г. Санкт-Петербург, Политехническая, 29, 2, 53"
    assert (r.buyer.name, r.buyer.inn, r.buyer.kpp) == ('ООО "КИП СПБ"', "7805781663", "780501001")
    assert [(ln.line_no, ln.okei, ln.unit, ln.quantity, ln.price, ln.amount_kop, ln.rate, ln.vat_kop, ln.total_kop)
            for ln in r.lines] == [
        (1, "796", "шт", Decimal(2), Decimal("2451.64"), 490328, "22%", 107872, 598200),
        (2, "796", "шт", Decimal(3), Decimal("3871.31"), 1161393, "22%", 255507, 1416900)]
    assert r.lines[0].name.startswith("Реле времени  ARK5-S-A230")
    assert (r.total_amount_kop, r.total_vat_kop, r.total_kop) == (1651721, 363379, 2015100)
    assert r.payments == () and r.advance_offsets == ()


def test_reads_the_diadoc_970_draft_sample_as_it_is():
    r = read_upd((SAMPLES / "diadoc_generate_utd970_05_02_01_title0_resp.xml").read_bytes())
    assert (r.version, r.function, r.number, r.day, r.currency) == ("5.02", "СЧФДОП", "123", date(2023, 2, 1), "643")
    assert (r.seller.name, r.seller.inn, r.seller.kpp) == ("СвЮЛУч-НаимОрг", "9103624367", "187245452")
    assert (r.buyer.name, r.buyer.inn, r.buyer.kpp) == ("СвЮЛУч-НаимОрг", "1234567894", "667301001")
    assert r.buyer.address == "АдрИнф-АдрТекст"
    assert [(ln.line_no, ln.name, ln.okei, ln.unit, ln.quantity, ln.price, ln.amount_kop, ln.rate, ln.vat_kop,
             ln.total_kop) for ln in r.lines] == [
        (1, "СведТов-НаимТов", "113", "м3", Decimal(16), Decimal("200.00"), 65400, "20%", 100000, 78480),
        (2, "Product2 > 2.0 мм", "778", "упак", Decimal("114.100"), Decimal("516.67"), 5895167, "20%", 100000,
         7074200)]
    # the sample's placeholder totals, read as they are (they do not add up)
    assert (r.total_amount_kop, r.total_vat_kop, r.total_kop) == (896500, 45600, 1000000)
    assert [(p.number, p.day, p.amount_kop) for p in r.payments] == [("СЧФ/123/456", date(2023, 2, 1), 100000)]


def test_reads_format_501_attributes():
    data = ('<?xml version="1.0" encoding="windows-1251"?><Файл ИдФайл="X" ВерсФорм="5.01" ВерсПрог="t">'
            '<Документ КНД="1115131" Функция="СЧФ"><СвСчФакт НомерСчФ="А-9" ДатаСчФ="31.01.2021" КодОКВ="643">'
            '<ИспрСчФ НомИспрСчФ="1" ДатаИспрСчФ="05.02.2021"/>'
            '<СвПрод><ИдСв><СвЮЛУч НаимОрг="АО «Сбыт»" ИННЮЛ="7701234567" КПП="770101001"/></ИдСв>'
            '<Адрес><АдрРФ Индекс="123456" КодРегион="77" Город="Москва" Улица="Лесная" Дом="4"/></Адрес></СвПрод>'
            '<СвПокуп><ИдСв><СвИП ИННФЛ="500100732259"><ФИО Фамилия="Петров" Имя="Пётр"/></СвИП></ИдСв></СвПокуп>'
            '</СвСчФакт><ТаблСчФакт><СведТов НомСтр="1" НаимТов="Электроэнергия" ОКЕИ_Тов="245" КолТов="100" '
            'ЦенаТов="5.5" СтТовБезНДС="550.00" НалСт="20%" СтТовУчНал="660.00"><ДопСведТов НаимЕдИзм="кВт.ч"/>'
            '<СумНал><СумНал>110.00</СумНал></СумНал></СведТов><ВсегоОпл СтТовБезНДСВсего="550.00" '
            'СтТовУчНалВсего="660.00"><СумНалВсего><СумНал>110.00</СумНал></СумНалВсего></ВсегоОпл></ТаблСчФакт>'
            '</Документ></Файл>').encode("cp1251")
    r = read_upd(data)
    assert (r.version, r.number, r.day, r.correction_no, r.correction_date, r.currency) == (
        "5.01", "А-9", date(2021, 1, 31), 1, date(2021, 2, 5), "643")
    assert r.seller.address == "123456, Москва, Лесная, 4"
    assert (r.buyer.name, r.buyer.inn, r.buyer.kpp) == ("Петров Пётр", "500100732259", None)
    assert [(ln.unit, ln.quantity, ln.amount_kop, ln.vat_kop) for ln in r.lines] == [("кВт.ч", Decimal(100), 55000, 11000)]


def test_reader_refuses_what_is_not_an_invoice():
    with pytest.raises(SbytError, match="не разобран как XML"):
        read_upd("<Файл".encode())
    with pytest.raises(SbytError, match="КНД 1115133"):
        read_upd('<Файл><Документ КНД="1115133"/></Файл>'.encode())
