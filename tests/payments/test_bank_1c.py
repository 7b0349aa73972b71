"""1CClientBankExchange parser on the real samples, truncated copies and arbitrary bytes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sbyt.io.bank_1c import parse_bank_1c

FILES = ["kilylabs_one_day_cp1251.txt", "kilylabs_one_day_utf8.txt", "xini1_sample5.txt"]


def test_kilylabs_both_encodings_give_the_same_statement(samples):
    a, ea = parse_bank_1c((samples / "bank_1c" / FILES[0]).read_bytes(), FILES[0])
    b, eb = parse_bank_1c((samples / "bank_1c" / FILES[1]).read_bytes(), FILES[1])
    assert ea == [] and eb == []
    assert (a.encoding, b.encoding) == ("cp1251", "utf-8")
    assert a.declared_encoding == b.declared_encoding == "Windows"
    assert a.accounts == ("40702810200000000001",)
    assert [d.amount_kop for d in a.incoming] == [600000, 1400000, 2000000]
    assert a.documents == b.documents
    sec = a.sections[0]
    assert sec.opening_kop + sec.credits_kop - sec.debits_kop == sec.closing_kop == 4414591
    assert len(a.documents) == 13 and all(d.payer_name == "Some random payer" for d in a.incoming)


def test_xini1_is_utf8_lower_case_windows_and_has_no_incoming(samples):
    s, errors = parse_bank_1c((samples / "bank_1c" / FILES[2]).read_bytes(), FILES[2])
    assert errors == []
    assert s.version == "1.03" and s.declared_encoding == "windows" and s.encoding == "utf-8"
    assert len(s.documents) == 6 and s.incoming == ()
    assert s.documents[-1].purpose.startswith("Расчет по договору N Н 394/536-10-16")


def test_lf_and_crlf_give_the_same_documents(samples):
    raw = (samples / "bank_1c" / FILES[0]).read_bytes()
    a, _ = parse_bank_1c(raw, "a")
    b, _ = parse_bank_1c(raw.replace(b"\r\n", b"\n"), "a")
    assert a.documents == b.documents


def test_truncated_copies_say_where_they_broke(samples):
    raw = (samples / "bank_1c" / FILES[1]).read_bytes()
    s, errors = parse_bank_1c(raw[: len(raw) // 2], "half.txt")
    assert s is None
    assert [str(e) for e in errors] == [
        "half.txt:218: файл оборван после строки 218: документ, начатый в строке 206, не закрыт «КонецДокумента»"]
    s, errors = parse_bank_1c(raw[:-5], "tail.txt")    # cut inside «КонецФайла»
    assert s is None and [str(e) for e in errors] == ["tail.txt:423: файл оборван после строки 423: нет «КонецФайла»"]


def test_unbalanced_section_is_an_error(samples):
    raw = (samples / "bank_1c" / FILES[0]).read_bytes().replace(b"=44145.91", b"=44145.90")
    s, errors = parse_bank_1c(raw, "bad.txt")
    assert s is None
    assert "остатки не сходятся" in str(errors[0]) and str(errors[0]).startswith("bad.txt:11:")


def test_a_missing_document_breaks_the_turnover(samples):
    text = (samples / "bank_1c" / FILES[0]).read_bytes()
    start = text.index("СекцияДокумент=Платежное поручение\r\nНомер=5".encode("cp1251"))
    end = text.index(b"\r\n", text.index("КонецДокумента".encode("cp1251"), start)) + 2
    s, errors = parse_bank_1c(text[:start] + text[end:], "cut.txt")
    assert s is None
    assert "документов поступления на 34\u00a0000,00, а в секции остатков «ВсегоПоступило» 40\u00a0000,00" in str(errors[0])


def test_not_a_statement():
    s, errors = parse_bank_1c(b"hello", "x.txt")
    assert s is None and str(errors[0]) == "x.txt:1: не выписка 1С: первая строка должна быть «1CClientBankExchange»"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    s, errors = parse_bank_1c(b"1CClientBankExchange\r\n" + data, "f")
    assert (s is None) == bool(errors)
