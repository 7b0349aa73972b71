"""Bank statements in Excel and the ГИС ЖКХ payments workbook."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from sbyt.core.errors import ValidationError
from sbyt.calc.payments import import_payments
from sbyt.io.payments_file import read_payment_file
from sbyt.io.statement_xlsx import parse_statement_xlsx


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


STATEMENT = [
    ["Выписка по счёту 40702810000000000009"], [],
    ["Дата", "Номер документа", "Плательщик", "ИНН плательщика", "Дебет", "Кредит", "Назначение платежа"],
    [datetime(2026, 11, 3), "11", "Иванов", "", None, 1500.5, "л/с 1000000001 за октябрь"],
    [datetime(2026, 11, 3), "12", "ООО Ромашка", "7700000000", 300.0, None, "аренда"],
    ["04.11.2026", "13", "Петров", "", None, "99,99", "за свет"],
    ["Итого", None, None, None, 300.0, 1600.49, None],
]


def test_statement_xlsx_credits_only():
    recs, errors = parse_statement_xlsx(_xlsx(STATEMENT), "st.xlsx")
    assert errors == []
    assert [(r.row, r.pay_date, r.amount_kop, r.doc_no) for r in recs] == [
        (4, date(2026, 11, 3), 150050, "11"), (6, date(2026, 11, 4), 9999, "13")]


def test_statement_xlsx_import_with_a_mapping(pstore):
    rows = [["Дата опер.", "Сумма поступления", "Описание"], ["05.11.2026", 100, "ЛС 1000000002"]]
    mapping = '[xlsx]\n[xlsx.columns]\ndate = "Дата опер."\namount = "Сумма поступления"\npurpose = "Описание"\n'
    r = import_payments(pstore, read_payment_file(_xlsx(rows), "b.xlsx", "xlsx", mapping.encode()))
    assert (r.rows, r.posted) == (1, 1)


def test_statement_xlsx_bad_rows_all_reported():
    rows = STATEMENT[:3] + [[datetime(2026, 11, 3), "1", "x", "", None, 1.001, ""],
                            ["31.11.2026", "2", "x", "", None, 5, ""]]
    with pytest.raises(ValidationError) as exc:
        read_payment_file(_xlsx(rows), "st.xlsx", "xlsx")
    assert [str(e) for e in exc.value.errors] == [
        "st.xlsx:4:сумма: сумма 1.001 точнее копейки",
        "st.xlsx:5:дата: не дата: «31.11.2026» (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"]


def test_gis_workbook(pstore):
    pstore.execute("INSERT INTO payment_alias VALUES ('els', '12АБ345678', 3, NULL)")
    rows = [["Реестр платежей ГИС ЖКХ"],
            ["Номер лицевого счета", "ЕЛС", "Расчетный период", "Сумма, руб.", "Дата оплаты", "Идентификатор платежа"],
            ["1000000002", "", "10.2026", 50, "06.11.2026", "P1"],
            ["", "12АБ345678", "", 20, "06.11.2026", "P2"]]
    parsed = read_payment_file(_xlsx(rows), "gis_payments.xlsx")
    assert parsed.source == "gis"
    r = import_payments(pstore, parsed)
    assert (r.rows, r.posted, r.unidentified) == (2, 2, 0)
    assert pstore.all("SELECT account_id, matched_by, for_period FROM payment ORDER BY id") == [
        (2, "account", 202610), (3, "els", None)]
