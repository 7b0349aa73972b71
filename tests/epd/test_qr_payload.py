"""GOST R 56042-2014 payloads: the real sample parses, build/parse round trips in all encodings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sbyt.io.qr_gost56042 import (
    PaymentFields,
    PayloadError,
    build_payload,
    parse_fields,
    parse_payload,
    split_person_name,
)

FIELDS = PaymentFields(
    name="АО «Энергосбыт Плюс»", personal_acc="40702810900000012345", bank_name="ПАО Сбербанк",
    bic="044525225", corresp_acc="30101810400000000225", payee_inn="5612042824", kpp="561201001",
    pers_acc="1234567890", sum_kop=123456, purpose="Оплата электроэнергии за 10.2026, ЛС 1234567890",
    paym_period=202610, last_name="Иванов", first_name="Иван", middle_name="Иванович",
    payer_address="г. Оренбург, ул. Ленина, д. 1, кв. 2",
)


def test_sample_from_qrcoder_parses(samples: Path) -> None:
    data = (samples / "qr_gost56042" / "qrcoder_payload_win1251_ST00011.txt").read_bytes()
    payload, errors = parse_payload(data, "qrcoder")
    assert errors == []
    assert payload is not None and payload.encoding == "cp1251"
    assert payload.as_dict() == {
        "Name": "ООО «Три кита»", "PersonalAcc": "40702810138250123017", "BankName": 'ОАО "БАНК"',
        "BIC": "044525225", "CorrespAcc": "30101810965770000413",
    }
    fields, _ = parse_fields(data)
    assert fields is not None and fields.name == "ООО «Три кита»" and fields.sum_kop is None


@pytest.mark.parametrize("encoding, digit", [("cp1251", b"1"), ("utf-8", b"2"), ("koi8-r", b"3")])
def test_round_trip_each_encoding(encoding: str, digit: bytes) -> None:
    fields = replace(FIELDS, name='АО "Энергосбыт Плюс"')  # KOI8-R has no «»
    data = fields.to_bytes(encoding)  # type: ignore[arg-type]
    assert data[:7] == b"ST0001" + digit
    assert data.decode(encoding).count("|") == 15
    back, errors = parse_fields(data)
    assert errors == [] and back == fields


def test_auto_encoding_falls_back_to_utf8() -> None:
    assert FIELDS.to_bytes()[:7] == b"ST00011"
    data = build_payload({"Name": "ООО «Ω»", "PersonalAcc": "4" * 20, "BankName": "Б", "BIC": "0" * 9,
                          "CorrespAcc": "0"})
    assert data[:7] == b"ST00012" and "Ω" in data.decode("utf-8")


def test_separator_in_value_refused_or_replaced() -> None:
    pairs = {"Name": "ООО А|Б", "PersonalAcc": "4" * 20, "BankName": "Б", "BIC": "0" * 9, "CorrespAcc": "0"}
    with pytest.raises(PayloadError, match="запрещён"):
        build_payload(pairs)
    payload, errors = parse_payload(build_payload(pairs, on_separator="replace"))
    assert errors == [] and payload is not None and payload.get("Name") == "ООО А/Б"


def test_missing_required_and_bad_shapes_reported() -> None:
    with pytest.raises(PayloadError, match="BIC"):
        build_payload({"Name": "А", "PersonalAcc": "1", "BankName": "Б", "CorrespAcc": "0"})
    payload, errors = parse_payload("ST00012|Name=А|PersonalAcc=12|BankName=Б|Sum=1,5|paymPeriod=132026".encode())
    text = [str(e) for e in errors]
    assert "QR:1:BIC: нет обязательного реквизита BIC" in text
    assert "QR:1:PersonalAcc: PersonalAcc должен состоять из 20 цифр: «12»" in text
    assert any("Sum" in t for t in text) and any("paymPeriod" in t for t in text)


def test_not_a_payload() -> None:
    payload, errors = parse_payload(b"hello")
    assert payload is None and "не платёжный QR-код" in errors[0].message
    payload, errors = parse_payload(b"ST00011|Name=\x98")  # 0x98 is undefined in cp1251
    assert payload is None and "кодировке cp1251" in errors[0].message


def test_bom_and_line_breaks_tolerated() -> None:
    data = b"\xef\xbb\xbf" + FIELDS.to_bytes("utf-8") + b"|\r\n"
    back, errors = parse_fields(data)
    assert errors == [] and back == FIELDS


def test_unknown_keys_kept() -> None:
    f = PaymentFields(name="А", personal_acc="4" * 20, bank_name="Б", bic="0" * 9, corresp_acc="0",
                      extra=(("counterId", "123"), ("counterVal", "4567")))
    back, _ = parse_fields(f.to_bytes())
    assert back == f


def test_split_person_name() -> None:
    assert split_person_name("Иванов  Иван Иванович") == ("Иванов", "Иван", "Иванович")
    assert split_person_name("ООО Ромашка и партнёры") is None


_text = st.text(alphabet=st.characters(codec="cp1251", exclude_characters="|\r\n\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0",
                                       exclude_categories=("Cc", "Zs")), max_size=40)


@given(name=_text.filter(bool), purpose=_text, addr=_text, sum_kop=st.none() | st.integers(0, 10**15),
       period=st.none() | st.integers(2000, 2100).flatmap(lambda y: st.integers(1, 12).map(lambda m: y * 100 + m)),
       encoding=st.sampled_from(["cp1251", "utf-8", "auto"]))
def test_round_trip_property(name: str, purpose: str, addr: str, sum_kop: int | None, period: int | None,
                             encoding: str) -> None:
    f = PaymentFields(name=name, personal_acc="40702810900000012345", bank_name="Банк", bic="044525225",
                      corresp_acc="30101810400000000225", sum_kop=sum_kop, purpose=purpose,
                      paym_period=period, payer_address=addr)
    back, errors = parse_fields(f.to_bytes(encoding))  # type: ignore[arg-type]
    assert errors == [] and back == f
