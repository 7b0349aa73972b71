"""The GOST R 56042-2014 payment QR payload printed on the ЕПД (fields from the document)."""

from __future__ import annotations

from sbyt.io.qr_gost56042 import PaymentFields, split_person_name
from sbyt.reports.epd import purpose
from sbyt.reports.epd_data import Epd


def payment_fields(epd: Epd) -> PaymentFields:
    s = epd.supplier
    parts = split_person_name(epd.holder_name)
    last, first, middle = parts or ("", "", "")
    return PaymentFields(
        name=s.name, personal_acc=s.bank_account, bank_name=s.bank_name, bic=s.bic, corresp_acc=s.corr_account,
        payee_inn=s.inn, kpp=s.kpp, pers_acc=epd.number, sum_kop=epd.to_pay_kop or None, purpose=purpose(epd),
        paym_period=epd.period, last_name=last, first_name=first, middle_name=middle,
        payer_name="" if parts else epd.holder_name, payer_address=epd.address,
    )


def epd_payload(epd: Epd) -> bytes:
    """The QR payload printed on the ЕПД (Windows-1251 unless a character needs UTF-8)."""
    return payment_fields(epd).to_bytes()
