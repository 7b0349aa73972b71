"""One entry for payment files: detect the format, run its parser, hand the core a uniform table.

`read_payment_file(data, file_name, fmt, mapping)` -> `ParsedPayments` (no database). Formats:
`1c` (1CClientBankExchange), `registry` (agent's delimited registry), `xlsx` (bank statement
spreadsheet), `gis` (ГИС ЖКХ payments workbook); `auto` decides by the content and the name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa

from sbyt.core.errors import RefusedError, SbytError, ValidationError
from sbyt.core.money import format_rub
from sbyt.core.payments import PAYMENT_SCHEMA, ParsedPayments, Transfer
from sbyt.io import bank_1c, gis_payments, registry, statement_xlsx

FORMATS = ("auto", "1c", "xlsx", "registry", "gis")
_XLSX_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")     # zip (xlsx/ods), OLE2 (xls)


def detect(data: bytes, file_name: str) -> str:
    if bank_1c.looks_like(data):
        return "1c"
    if data.startswith(_XLSX_MAGIC):
        try:
            rows = statement_xlsx.read_sheet(data, 1)
        except ValueError:
            return "xlsx"
        found = statement_xlsx.find_header(rows, gis_payments.COLUMNS, {"amount", "date"})
        if found and ({"account", "els"} & set(found[1])) and "ГИС" in file_name.upper():
            return "gis"
        return "gis" if found and "els" in found[1] else "xlsx"
    if registry.looks_like(data):
        return "registry"
    raise SbytError(f"Не удалось определить формат файла «{file_name}»: укажите --format 1c|xlsx|registry|gis.")


def _table(rows: dict[str, list]) -> pa.Table:
    n = len(rows["amount_kop"])
    cols = {name: rows.get(name, [None] * n) for name in PAYMENT_SCHEMA.names}
    return pa.table(cols, schema=PAYMENT_SCHEMA)


def read_payment_file(data: bytes, file_name: str, fmt: str = "auto", mapping: bytes | None = None) -> ParsedPayments:
    if fmt not in FORMATS:
        raise SbytError(f"Неизвестный формат «{fmt}»: допустимы {', '.join(FORMATS)}.")
    name = Path(file_name).name
    sha = hashlib.sha256(data).hexdigest()
    kind = detect(data, name) if fmt == "auto" else fmt
    try:
        if kind == "1c":
            return _from_1c(data, name, sha)
        if kind == "registry":
            return _from_registry(data, name, sha, registry.registry_mapping(mapping))
        if kind == "xlsx":
            return _from_xlsx(data, name, sha, statement_xlsx.xlsx_mapping(mapping))
        return _from_gis(data, name, sha)
    except ValueError as exc:       # a bad mapping file
        raise SbytError(f"Файл сопоставления: {exc}") from None


def _from_1c(data: bytes, name: str, sha: str) -> ParsedPayments:
    st, errors = bank_1c.parse_bank_1c(data, name)
    if errors or st is None:
        raise ValidationError(errors, f"Выписка «{name}» не загружена: ошибок {len(errors)}. Ничего не записано.")
    docs = st.incoming
    if not docs:
        accounts = ", ".join(st.accounts) or "не указан"
        raise RefusedError(
            f"В выписке «{name}» нет поступлений на расчётный счёт {accounts}: все {len(st.documents)} "
            f"документов — списания (счёт получателя не совпадает со счётом выписки). Ничего не записано.")
    rows = {
        "row_no": [d.row for d in docs], "pay_date": [d.pay_date for d in docs],
        "amount_kop": [d.amount_kop for d in docs], "raw_account": [None] * len(docs),
        "payer_name": [d.payer_name for d in docs], "payer_inn": [d.payer_inn for d in docs],
        "payer_account": [d.payer_account for d in docs], "doc_no": [d.number for d in docs],
        "doc_date": [d.doc_date for d in docs], "purpose": [d.purpose for d in docs],
    }
    outgoing = len(st.documents) - len(docs)
    note = f"выписка 1С {st.version}, {st.encoding}; поступлений {len(docs)}, списаний пропущено {outgoing}"
    return ParsedPayments("bank", name, sha, _table(rows), None, note)


def _from_registry(data: bytes, name: str, sha: str, mapping: registry.RegistryMapping) -> ParsedPayments:
    reg, errors = registry.parse_registry(data, name, mapping)
    if errors or reg is None:
        raise ValidationError(errors, f"Реестр «{name}» не загружен: ошибок {len(errors)}. Ничего не записано.")
    t = reg.table
    n = t.num_rows
    null = pa.nulls(n, pa.string())
    table = pa.table({
        "row_no": t["row"], "pay_date": t["pay_date"], "amount_kop": t["amount_kop"], "raw_account": t["account"],
        "els": null, "payer_name": t["payer_name"], "payer_inn": null, "payer_account": null,
        "doc_no": t["receipt"], "doc_date": pa.nulls(n, pa.date32()), "purpose": t["purpose"],
        "for_period": t["period"], "for_service": t["service"]}, schema=PAYMENT_SCHEMA)
    h = reg.header
    transfer = None
    if h is not None and h.agent_inn and h.transfer_no:
        transfer = Transfer(h.agent_inn, h.transfer_no, h.transfer_date, reg.total_kop)
    note = f"реестр {h.agent_name if h else ''} № {h.number if h else ''} на {format_rub(reg.total_kop)} ₽".strip()
    return ParsedPayments("registry", name, sha, table, transfer, note)


def _from_xlsx(data: bytes, name: str, sha: str, mapping: statement_xlsx.XlsxMapping) -> ParsedPayments:
    recs, errors = statement_xlsx.parse_statement_xlsx(data, name, mapping)
    if errors:
        raise ValidationError(errors, f"Выписка «{name}» не загружена: ошибок {len(errors)}. Ничего не записано.")
    rows = {
        "row_no": [r.row for r in recs], "pay_date": [r.pay_date for r in recs],
        "amount_kop": [r.amount_kop for r in recs], "raw_account": [r.account or None for r in recs],
        "payer_name": [r.payer_name for r in recs], "payer_inn": [r.payer_inn for r in recs],
        "payer_account": [r.payer_account for r in recs], "doc_no": [r.doc_no for r in recs],
        "doc_date": [r.pay_date for r in recs], "purpose": [r.purpose for r in recs],
    }
    return ParsedPayments("xlsx", name, sha, _table(rows), None, f"выписка Excel, поступлений {len(recs)}")


def _from_gis(data: bytes, name: str, sha: str) -> ParsedPayments:
    recs, errors = gis_payments.parse_gis_payments(data, name)
    if errors:
        raise ValidationError(errors, f"Файл ГИС ЖКХ «{name}» не загружен: ошибок {len(errors)}. Ничего не записано.")
    rows = {
        "row_no": [r.row for r in recs], "pay_date": [r.pay_date for r in recs],
        "amount_kop": [r.amount_kop for r in recs], "raw_account": [r.account or None for r in recs],
        "els": [r.els or None for r in recs], "payer_name": [r.payer_name for r in recs],
        "doc_no": [r.payment_id for r in recs], "purpose": [r.purpose for r in recs],
        "for_period": [r.period for r in recs],
    }
    return ParsedPayments("gis", name, sha, _table(rows), None, f"платежи ГИС ЖКХ: {len(recs)}")
