"""Bank statements as spreadsheets (xlsx/xls): one row per operation, columns found by name.

The default mapping (`DEFAULT_COLUMNS`) knows the usual Russian column titles; a TOML mapping file
(`[xlsx]` table) can name the sheet, the header row and the titles of each field:

    [xlsx]
    sheet = 1                 # index from 1, or a sheet name
    header_row = 0            # 0 = find it among the first 20 rows
    [xlsx.columns]
    date = "Дата операции"
    amount = "Кредит"         # credits only: rows with an empty or zero amount are debits, skipped
    purpose = ["Назначение платежа", "Назначение"]

Only credited rows become records; what is matched and posted is decided by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sbyt.core.errors import RowError
from sbyt.io.payment_table import cell_date, cell_kop, cell_text, data_rows, find_header, read_sheet
from sbyt.io.registry import load_mapping

DEFAULT_COLUMNS: dict[str, list[str]] = {
    "date": ["Дата", "Дата операции", "Дата поступления", "Дата проводки", "Дата документа"],
    "amount": ["Кредит", "Поступление", "Сумма по кредиту", "Приход", "Сумма"],
    "payer": ["Плательщик", "Наименование плательщика", "Контрагент", "Корреспондент"],
    "payer_inn": ["ИНН плательщика", "ИНН контрагента", "ИНН"],
    "payer_account": ["Счет плательщика", "Счет контрагента", "Счет корреспондента"],
    "purpose": ["Назначение платежа", "Назначение", "Основание"],
    "doc_no": ["Номер документа", "№ документа", "Номер", "№ док."],
    "account": ["Лицевой счет", "ЛС"],
}
REQUIRED = {"date", "amount"}


@dataclass(frozen=True)
class XlsxMapping:
    sheet: int | str = 1
    header_row: int = 0
    columns: dict[str, list[str]] | None = None


@dataclass(frozen=True)
class StatementRow:
    row: int
    pay_date: date
    amount_kop: int
    payer_name: str
    payer_inn: str
    payer_account: str
    purpose: str
    doc_no: str
    account: str


def xlsx_mapping(data: bytes | None) -> XlsxMapping:
    if data is None:
        return XlsxMapping()
    m = load_mapping(data, "xlsx")
    cols = {k: ([v] if isinstance(v, str) else list(v)) for k, v in m.get("columns", {}).items()}
    bad = set(cols) - set(DEFAULT_COLUMNS)
    if bad:
        raise ValueError(f"[xlsx.columns]: неизвестные поля {sorted(bad)}; допустимы {sorted(DEFAULT_COLUMNS)}")
    merged = {**DEFAULT_COLUMNS, **cols}
    return XlsxMapping(sheet=m.get("sheet", 1), header_row=int(m.get("header_row", 0)), columns=merged)


def parse_statement_xlsx(data: bytes, file_name: str = "statement.xlsx",
                         mapping: XlsxMapping | None = None) -> tuple[list[StatementRow], list[RowError]]:
    m = mapping or XlsxMapping()
    cols = m.columns or DEFAULT_COLUMNS
    try:
        rows = read_sheet(data, m.sheet)
    except ValueError as exc:
        return [], [RowError(file_name, 1, str(exc))]
    found = find_header(rows, cols, REQUIRED, m.header_row)
    if found is None:
        need = "; ".join(f"{f}: {' / '.join(cols[f])}" for f in sorted(REQUIRED))
        return [], [RowError(file_name, m.header_row or 1, f"не найдена строка заголовка с колонками ({need})")]
    head, idx = found
    out: list[StatementRow] = []
    errors: list[RowError] = []

    for n, get in data_rows(rows, head, idx):
        try:
            amount = cell_kop(get("amount"))
        except ValueError as exc:
            errors.append(RowError(file_name, n, str(exc), "сумма"))
            continue
        if amount <= 0:          # a debit or a subtotal line without credit
            continue
        try:
            day = cell_date(get("date"))
        except ValueError as exc:
            label = cell_text(get("date")).lower()
            if not label or label.startswith(("итог", "всего", "оборот", "остаток")):   # total rows
                continue
            errors.append(RowError(file_name, n, str(exc), "дата"))
            continue
        out.append(StatementRow(n, day, amount, cell_text(get("payer")), cell_text(get("payer_inn")),
                                cell_text(get("payer_account")), cell_text(get("purpose")),
                                cell_text(get("doc_no")), cell_text(get("account"))))
    if not out and not errors:
        errors.append(RowError(file_name, head + 1, "в выписке нет ни одного поступления (все суммы пустые или нулевые)"))
    return (out if not errors else []), errors
