"""ГИС ЖКХ payments workbook: payments that consumers made through the state system's channels.

Documented layout (docs/payments.md): the first sheet; a header row (found among the first 20
rows) with the columns below; one payment per row. Titles compare case-insensitively, «ё» = «е».

| field      | column title (any of)                                         | required |
|------------|---------------------------------------------------------------|----------|
| account    | Номер лицевого счета / Лицевой счет                           | one of account, els |
| els        | ЕЛС / Единый лицевой счет                                     |          |
| amount     | Сумма, руб. / Сумма                                           | yes      |
| date       | Дата оплаты / Дата внесения платы / Дата                      | yes      |
| period     | Расчетный период / Период (ММ.ГГГГ)                           |          |
| payment_id | Идентификатор платежа / УИП / УИН                             |          |
| payer      | Плательщик / ФИО плательщика                                  |          |
| purpose    | Назначение платежа                                            |          |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sbyt.core.errors import RowError
from sbyt.io.payment_table import cell_date, cell_kop, cell_month, cell_text, data_rows, find_header, read_sheet

COLUMNS: dict[str, list[str]] = {
    "account": ["Номер лицевого счета", "Лицевой счет", "Номер ЛС"],
    "els": ["ЕЛС", "Единый лицевой счет"],
    "amount": ["Сумма, руб.", "Сумма платежа", "Сумма"],
    "date": ["Дата оплаты", "Дата внесения платы", "Дата"],
    "period": ["Расчетный период", "Период"],
    "payment_id": ["Идентификатор платежа", "УИП", "УИН"],
    "payer": ["Плательщик", "ФИО плательщика"],
    "purpose": ["Назначение платежа", "Назначение"],
}


@dataclass(frozen=True)
class GisPayment:
    row: int
    account: str
    els: str
    amount_kop: int
    pay_date: date
    period: int | None
    payment_id: str
    payer_name: str
    purpose: str


def parse_gis_payments(data: bytes, file_name: str = "gis.xlsx") -> tuple[list[GisPayment], list[RowError]]:
    try:
        rows = read_sheet(data, 1)
    except ValueError as exc:
        return [], [RowError(file_name, 1, str(exc))]
    found = find_header(rows, COLUMNS, {"amount", "date"})
    if found is None or not ({"account", "els"} & set(found[1])):
        return [], [RowError(file_name, 1, "не найдена строка заголовка ГИС ЖКХ: нужны колонки «Номер лицевого "
                                           "счета» (или «ЕЛС»), «Сумма, руб.», «Дата оплаты»")]
    head, idx = found
    out: list[GisPayment] = []
    errors: list[RowError] = []

    for n, get in data_rows(rows, head, idx):
        acc, els = cell_text(get("account")), cell_text(get("els"))
        if not acc and not els:
            errors.append(RowError(file_name, n, "нет ни лицевого счёта, ни ЕЛС", "лицевой счёт"))
            continue
        try:
            amount = cell_kop(get("amount"))
            if amount <= 0:
                raise ValueError("сумма должна быть больше нуля")
        except ValueError as exc:
            errors.append(RowError(file_name, n, str(exc), "сумма"))
            continue
        try:
            day = cell_date(get("date"))
        except ValueError as exc:
            errors.append(RowError(file_name, n, str(exc), "дата"))
            continue
        try:
            period = cell_month(get("period"))
        except ValueError as exc:
            errors.append(RowError(file_name, n, str(exc), "период"))
            continue
        out.append(GisPayment(n, acc, els, amount, day, period, cell_text(get("payment_id")),
                              cell_text(get("payer")), cell_text(get("purpose"))))
    if not out and not errors:
        errors.append(RowError(file_name, head + 1, "в файле ГИС ЖКХ нет ни одного платежа"))
    return (out if not errors else []), errors
