"""The sales book and the purchase book of a quarter (docs/vat_books.md): rows in registration order
from `vat_book` (migration 097) with the documents' numbers, dates, corrections and the buyer's
requisites as the document recorded them (legal_doc.buyer), amounts in the rate columns, totals,
and the additional sheets (extra_sheet rows) one per corrected quarter; written to XLSX (openpyxl)
and to a landscape PDF (the forms toolkit).

The column list of each book is data: `EDITIONS`, one entry per dated edition of the forms
(ПП 1137 and its amendments), chosen by the first day of the quarter. A column whose number in the
2026 edition has not been checked against the text of ПП 26 of 23.01.2026 carries
`verified=False`; both writers mark its number with «*» and add a footnote.

Rules the rows follow (legal.md §B.5, §B.6, §B.8):
- column 3 is the invoice a row registers; for a corrective invoice (kind 'ksf') column 3 is the
  corrected invoice, column 4 its correction, column 5 the corrective invoice and column 6 the
  corrective invoice's correction;
- an advance entry (code 02) fills the total (13б) and the VAT column of its rate, not the base
  (the rate 22/122 or 20/120 is the VAT inside the payment);
- a summary entry (code 26, no document) names «Физические лица (сводный документ)»; its column 3
  is the entry's note (the summary's number and date) or «Сводный документ от <entry date>»;
- an annulment row (annul) is shown with minus amounts, whatever sign it was stored with;
- the additional sheet of a quarter starts with «Итого» = the totals of that quarter's book and
  ends with «Всего» = «Итого» plus the sheet's rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from sbyt.core.errors import SbytError
from sbyt.core.legal_docs import quarter_title
from sbyt.core.store import Store
from sbyt.reports.forms import A4_H, A4_W, Canvas, FormDocument, Typeface, date_ru, money
from sbyt.reports.forms.typeface import MM_PER_PT
from sbyt.reports.forms.widgets import HEADER_GRAY

BOOKS = ("sales", "purchase")
BOOK_TITLES = {"sales": "Книга продаж", "purchase": "Книга покупок"}
HOUSEHOLDS = "Физические лица (сводный документ)"
CURRENCY = "Российский рубль, 643"

# The rate of an entry (vat_book.vat_rate) -> its group of rate columns.
RATE_GROUP = {"22%": "22", "22/122": "22", "20%": "20", "20/120": "20", "10%": "10", "10/110": "10",
              "0%": "0", "без НДС": "exempt"}
RATE_TITLES = {"22": "22 %", "20": "20 %", "10": "10 %", "0": "0 %", "exempt": "без НДС"}
ADVANCE_CODES = frozenset({"02"})


# ------------------------------------------------------------------------------------- the editions
@dataclass(frozen=True)
class BookColumn:
    no: str                  # the number of the form's column («13б»)
    title: str
    key: str                 # the cell of a row it shows
    money: bool = False
    weight: float = 12.0     # relative width in the PDF
    verified: bool = True    # False: the number is not checked against the edition's text

    @property
    def label(self) -> str:
        return self.no if self.verified else f"{self.no}*"


def _c(no: str, title: str, key: str, weight: float = 12.0, money: bool = False, verified: bool = True) -> BookColumn:
    return BookColumn(no, title, key, money, weight, verified)


_SALES_HEAD = (
    _c("1", "№ п/п", "no", 5), _c("2", "Код вида операции", "op_code", 10),
    _c("3", "Номер и дата счёта-фактуры продавца", "invoice", 15),
    _c("4", "Номер и дата исправления счёта-фактуры продавца", "correction", 14),
    _c("5", "Номер и дата корректировочного счёта-фактуры продавца", "corrective", 18),
    _c("6", "Номер и дата исправления корректировочного счёта-фактуры продавца", "corrective_correction", 18),
    _c("7", "Наименование покупателя", "party", 19), _c("8", "ИНН/КПП покупателя", "party_inn", 14),
    _c("11", "Номер и дата документа, подтверждающего оплату", "payment_docs", 17))
_SALES_11A = (_c("11а", "Номер и дата счёта-фактуры на полученную оплату, зачтённую при отгрузке", "offset_docs", 16),)
_SALES_MONEY_HEAD = (_c("12", "Наименование и код валюты", "currency", 14),
                     _c("13б", "Стоимость продаж по счёту-фактуре (включая НДС) в рублях и копейках", "total", 15,
                        True))
_BASE_22 = _c("14 (22 %)", "Стоимость продаж без НДС по ставке 22 %", "base_22", 15, True, verified=False)
_BASE_20_0 = (_c("14", "Стоимость продаж без НДС по ставке 20 %", "base_20", 14, True),
              _c("15", "Стоимость продаж без НДС по ставке 10 %", "base_10", 13, True),
              _c("16", "Стоимость продаж по ставке 0 %", "base_0", 11, True))
_VAT_22 = _c("17 (22 %)", "Сумма НДС по ставке 22 %", "vat_22", 14, True, verified=False)
_VAT_20_10 = (_c("17", "Сумма НДС по ставке 20 %", "vat_20", 14, True),
              _c("18", "Сумма НДС по ставке 10 %", "vat_10", 12, True))
_EXEMPT = (_c("19", "Стоимость продаж, освобождаемых от налога", "exempt", 15, True),)

_PURCHASE_HEAD = (
    _c("1", "№ п/п", "no", 6), _c("2", "Код вида операции", "op_code", 10),
    _c("3", "Номер и дата счёта-фактуры продавца", "invoice", 20),
    _c("4", "Номер и дата исправления счёта-фактуры продавца", "correction", 14),
    _c("5", "Номер и дата корректировочного счёта-фактуры продавца", "corrective", 17),
    _c("6", "Номер и дата исправления корректировочного счёта-фактуры продавца", "corrective_correction", 16),
    _c("7", "Номер и дата документа, подтверждающего уплату налога", "payment_docs", 20))
_PURCHASE_7A = (_c("7а", "Номер и дата счёта-фактуры на отгрузку, в счёт которой зачтена оплата", "offset_docs", 20),)
_PURCHASE_TAIL = (
    _c("8", "Дата принятия на учёт товаров (работ, услуг)", "accepted", 13),
    _c("9", "Наименование продавца (для кодов 18, 22 — покупатель по счёту-фактуре)", "party", 32),
    _c("10", "ИНН/КПП продавца", "party_inn", 22),
    _c("14", "Наименование и код валюты", "currency", 12),
    _c("15", "Стоимость покупок по счёту-фактуре (включая НДС)", "total", 18, True),
    _c("16", "Сумма НДС, принимаемая к вычету, в рублях и копейках", "vat", 18, True))


@dataclass(frozen=True)
class Edition:
    valid_from: date
    name: str
    sales: tuple[BookColumn, ...]
    purchase: tuple[BookColumn, ...]

    def columns(self, book: str) -> tuple[BookColumn, ...]:
        return self.sales if book == "sales" else self.purchase

    @property
    def unverified(self) -> bool:
        return any(not c.verified for c in self.sales + self.purchase)


# The forms by date (Annexes 4 and 5 to ПП 1137). Columns a supplier of electricity never fills are
# left out: 3а, 3б (customs declaration, product code), 9, 10 (intermediary), 13а (value in a
# foreign currency), 14а/17а (18 %, not applied since 2019), 5 % / 7 % (simplified-tax payers) and
# the traceability columns of the sales book; 11–13 of the purchase book (intermediary, customs).
EDITIONS = (
    Edition(date(2021, 7, 1), "ПП 1137 в редакции ПП 534 от 02.04.2021",
            _SALES_HEAD + _SALES_MONEY_HEAD + _BASE_20_0 + _VAT_20_10 + _EXEMPT,
            _PURCHASE_HEAD + _PURCHASE_TAIL),
    # 22 % from 01.01.2026 (НК 164 as amended): the forms of 2021 with a 22 % pair of columns.
    Edition(date(2026, 1, 1), "ПП 1137 в редакции ПП 534 от 02.04.2021, ставка 22 % с 01.01.2026",
            _SALES_HEAD + _SALES_MONEY_HEAD + (_BASE_22,) + _BASE_20_0 + (_VAT_22,) + _VAT_20_10 + _EXEMPT,
            _PURCHASE_HEAD + _PURCHASE_TAIL),
    # ПП 26 of 23.01.2026, from 01.04.2026: column 11а of the sales book, 7а of the purchase book.
    Edition(date(2026, 4, 1), "ПП 1137 в редакции ПП 26 от 23.01.2026",
            _SALES_HEAD + _SALES_11A + _SALES_MONEY_HEAD + (_BASE_22,) + _BASE_20_0 + (_VAT_22,) + _VAT_20_10
            + _EXEMPT,
            _PURCHASE_HEAD + _PURCHASE_7A + _PURCHASE_TAIL),
)
UNVERIFIED_NOTE = ("* Номер графы ставки 22 % не сверен с текстом постановления (ПП 26 от 23.01.2026): "
                   "графа показана рядом с графой ставки 20 %.")


def edition_on(day: date) -> Edition:
    found = [e for e in EDITIONS if e.valid_from <= day]
    if not found:
        raise SbytError(f"Нет формы книг покупок и продаж на {day:%d.%m.%Y}: формы в sbyt — с "
                        f"{EDITIONS[0].valid_from:%d.%m.%Y}.")
    return found[-1]


# -------------------------------------------------------------------------------------- quarters
_QUARTER = re.compile(r"^\s*(\d{4})-([1-4])\s*$")


def parse_quarter(text: str) -> int:
    """«2026-2» -> 20262 (YYYYQ)."""
    m = _QUARTER.match(text or "")
    if not m:
        raise SbytError(f"Квартал задаётся как ГГГГ-К, например 2026-2 (II квартал 2026 г.), а не «{text}».")
    return int(m.group(1)) * 10 + int(m.group(2))


def quarter_bounds(quarter: int) -> tuple[date, date]:
    year, q = divmod(quarter, 10)
    if not 1 <= q <= 4:
        raise SbytError(f"Нет такого квартала: {quarter}.")
    first = date(year, 3 * q - 2, 1)
    last = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def quarter_label(quarter: int) -> str:
    return f"{quarter // 10}-{quarter % 10}"


# ------------------------------------------------------------------------------------------ the book
@dataclass(frozen=True)
class Requisites:
    name: str
    inn_kpp: str


@dataclass(frozen=True)
class BookRow:
    id: int                      # vat_book.id
    entry_date: date
    op_code: str
    rate: str
    annul: bool
    cells: dict[str, object]     # column key -> text, int kopecks (money) or None


@dataclass(frozen=True)
class RateTotal:
    rate: str                    # the group: 22, 20, 10, 0, exempt
    total_kop: int
    base_kop: int
    vat_kop: int

    @property
    def title(self) -> str:
        return RATE_TITLES[self.rate]


@dataclass(frozen=True)
class Sheet:
    """An additional sheet (дополнительный лист) of the book of `for_quarter`."""
    for_quarter: int
    made_on: date                # the latest entry date of its rows
    columns: tuple[BookColumn, ...]
    rows: tuple[BookRow, ...]
    before: dict[str, int]       # «Итого»: the corrected quarter's book before the sheet
    after: dict[str, int]        # «Всего»: before + the rows


@dataclass(frozen=True)
class Book:
    book: str
    quarter: int
    edition: Edition
    columns: tuple[BookColumn, ...]
    party: Requisites | None     # the supplier: the seller of the sales book, the buyer of the purchase book
    rows: tuple[BookRow, ...]
    totals: dict[str, int]       # money column key -> kopecks («Всего»)
    by_rate: tuple[RateTotal, ...]
    sheets: tuple[Sheet, ...] = field(default=())

    @property
    def title(self) -> str:
        return f"{BOOK_TITLES[self.book]} за {quarter_title(self.quarter)}"

    @property
    def first_day(self) -> date:
        return quarter_bounds(self.quarter)[0]

    @property
    def last_day(self) -> date:
        return quarter_bounds(self.quarter)[1]


_ROWS_SQL = """
SELECT v.id, v.entry_date, v.op_code, v.extra_sheet, v.annul, coalesce(v.for_quarter, v.quarter) AS for_q,
       v.total_kop, v.base_kop, v.vat_kop, v.vat_rate, v.payment_docs, v.offset_docs, v.note, v.doc_id,
       d.kind, d.doc_no, d.doc_date, d.correction_no, d.correction_date,
       b.doc_no, b.doc_date, b.correction_no, b.correction_date,
       bb.doc_no, bb.doc_date, bb.correction_no, bb.correction_date,
       json_extract_string(d.buyer, '$.name'), json_extract_string(d.buyer, '$.inn'),
       json_extract_string(d.buyer, '$.kpp'), v.quarter
FROM vat_book v
LEFT JOIN legal_doc d ON d.id = v.doc_id
LEFT JOIN legal_doc b ON b.id = d.base_doc_id
LEFT JOIN legal_doc bb ON bb.id = b.base_doc_id
WHERE v.book = $book AND ((NOT v.extra_sheet AND v.quarter IN (SELECT unnest($main)))
   OR (v.extra_sheet AND (v.quarter = $quarter OR coalesce(v.for_quarter, v.quarter) = $quarter)))
ORDER BY v.entry_date, v.id
"""


def _no_date(no: str | None, day: date | None) -> str | None:
    if no is None:
        return None
    return f"{no} от {date_ru(day)}" if day else str(no)


def _correction(no: int | None, day: date | None) -> str | None:
    return _no_date(str(no), day) if no else None


def _doc_cells(r: tuple) -> dict[str, object]:
    """Columns 3–6 and the party of one entry from its document (and the document's bases)."""
    (kind, no, day, corr, corr_day, b_no, b_day, b_corr, b_corr_day, bb_no, bb_day, bb_corr, bb_corr_day,
     name, inn, kpp) = r
    if kind == "ksf" and corr:          # a correction of a corrective invoice: base = the original ksf
        cells = {"invoice": _no_date(bb_no, bb_day), "correction": _correction(bb_corr, bb_corr_day),
                 "corrective": _no_date(no, day), "corrective_correction": _correction(corr, corr_day)}
    elif kind == "ksf":
        cells = {"invoice": _no_date(b_no, b_day), "correction": _correction(b_corr, b_corr_day),
                 "corrective": _no_date(no, day), "corrective_correction": None}
    else:
        cells = {"invoice": _no_date(no, day), "correction": _correction(corr, corr_day), "corrective": None,
                 "corrective_correction": None}
    cells["party"] = name
    cells["party_inn"] = f"{inn}/{kpp}" if inn and kpp else inn
    return cells


def _money_cells(book: str, op_code: str, group: str, total: int, base: int, vat: int) -> dict[str, int]:
    if book == "purchase":
        return {"total": total, "vat": vat}
    cells = {"total": total}
    if group == "exempt":
        cells["exempt"] = total
    elif group == "0":
        cells["base_0"] = base
    else:
        if op_code not in ADVANCE_CODES:
            cells[f"base_{group}"] = base
        cells[f"vat_{group}"] = vat
    return cells


def _sum(rows: list[BookRow] | tuple[BookRow, ...], columns: tuple[BookColumn, ...],
         start: dict[str, int] | None = None) -> dict[str, int]:
    out = {c.key: (start or {}).get(c.key, 0) for c in columns if c.money}
    for r in rows:
        for k in out:
            v = r.cells.get(k)
            if isinstance(v, int):
                out[k] += v
    return out


def _by_rate(rows: list[BookRow]) -> tuple[RateTotal, ...]:
    acc: dict[str, list[int]] = {}
    for r in rows:
        t = acc.setdefault(RATE_GROUP[r.rate], [0, 0, 0])
        for i, key in enumerate(("_total", "_base", "_vat")):
            t[i] += int(r.cells[key])       # type: ignore[call-overload]
    order = list(RATE_TITLES)
    return tuple(RateTotal(g, *acc[g]) for g in sorted(acc, key=order.index))


def _requisites(store: Store, day: date) -> Requisites | None:
    row = store.one("SELECT name, inn, kpp FROM supplier WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
                    " ORDER BY valid_from DESC LIMIT 1", [day, day])
    if row is None:
        return None
    return Requisites(row[0], f"{row[1]}/{row[2]}" if row[2] else row[1])


def _rows(store: Store, book: str, quarter: int, main: list[int]) -> list[tuple]:
    return store.con.execute(_ROWS_SQL, {"book": book, "quarter": quarter, "main": main}).fetchall()


def summary_title(note: str | None, entry_date: date) -> str:
    """Column 3 of a summary entry: `calc.legal_docs` notes it «period:YYYYMM» (the households' month)."""
    m = re.fullmatch(r"period:(\d{4})(\d{2})", note or "")
    if m:
        return f"Сводная справка за {m.group(2)}.{m.group(1)} от {date_ru(entry_date)}"
    return note or f"Сводный документ от {date_ru(entry_date)}"


def _row(book: str, r: tuple, no: int) -> BookRow:
    (vid, entry_date, op_code, _extra, annul, _for_q, total, base, vat, rate, payment_docs, offset_docs, note,
     doc_id) = r[:14]
    group = RATE_GROUP.get(rate)
    if group is None:
        raise SbytError(f"{BOOK_TITLES[book]}: запись {vid} от {entry_date:%d.%m.%Y} со ставкой «{rate}» — для неё "
                        f"нет графы (допустимы: {', '.join(RATE_GROUP)}).")
    if annul:
        total, base, vat = -abs(total), -abs(base), -abs(vat)
    if doc_id is None:
        cells: dict[str, object] = {"invoice": summary_title(note, entry_date),
                                    "correction": None, "corrective": None, "corrective_correction": None,
                                    "party": HOUSEHOLDS, "party_inn": None}
    else:
        cells = _doc_cells(r[14:30])
    # the base the rate totals show: as the columns (an advance has none; exempt sales are their value)
    shown = base if book == "purchase" else total if group == "exempt" else 0 if op_code in ADVANCE_CODES else base
    cells.update(no=str(no), op_code=op_code, payment_docs=payment_docs, offset_docs=offset_docs,
                 currency=CURRENCY, accepted=None, _total=total, _base=shown, _vat=vat)
    cells.update(_money_cells(book, op_code, group, total, base, vat))
    return BookRow(vid, entry_date, op_code, rate, bool(annul), cells)


def build_book(store: Store, book: str, quarter: int) -> Book:
    """The book of a quarter (YYYYQ) with its additional sheets; see the module docstring."""
    if book not in BOOKS:
        raise SbytError(f"Нет такой книги: {book} (sales — книга продаж, purchase — книга покупок).")
    first, last = quarter_bounds(quarter)
    edition = edition_on(first)
    columns = edition.columns(book)
    # the sheets' corrected quarters need their own books' totals («Итого»)
    sheet_quarters = sorted({int(q) for (q,) in store.all(
        "SELECT DISTINCT coalesce(for_quarter, quarter) FROM vat_book WHERE book = ? AND extra_sheet"
        " AND (quarter = ? OR coalesce(for_quarter, quarter) = ?)", [book, quarter, quarter])})
    raw = _rows(store, book, quarter, sorted({quarter, *sheet_quarters}))
    main: dict[int, list[tuple]] = {}
    extra: dict[int, list[tuple]] = {}
    for r in raw:
        if r[3]:
            extra.setdefault(int(r[5]), []).append(r)
        else:
            main.setdefault(int(r[30]), []).append(r)
    rows = [_row(book, r, i) for i, r in enumerate(main.get(quarter, []), 1)]
    sheets = []
    for q in sheet_quarters:
        cols = edition_on(quarter_bounds(q)[0]).columns(book)
        before_rows = rows if q == quarter else [_row(book, r, i) for i, r in enumerate(main.get(q, []), 1)]
        before = _sum(before_rows, cols)
        sheet_rows = tuple(_row(book, r, i) for i, r in enumerate(extra[q], 1))
        sheets.append(Sheet(q, max(r.entry_date for r in sheet_rows), cols, sheet_rows, before,
                            _sum(sheet_rows, cols, before)))
    return Book(book, quarter, edition, columns, _requisites(store, last), tuple(rows), _sum(rows, columns),
                _by_rate(rows), tuple(sheets))


def sales_book(store: Store, quarter: int) -> Book:
    return build_book(store, "sales", quarter)


def purchase_book(store: Store, quarter: int) -> Book:
    return build_book(store, "purchase", quarter)


def op_codes(store: Store) -> list[tuple[str, date, date | None, str]]:
    """The dated table of operation codes (vat_op_code)."""
    return store.all("SELECT code, valid_from, valid_to, text FROM vat_op_code ORDER BY code, valid_from")


# ------------------------------------------------------------------------------------ the headings
def heading(book: Book, sheet: Sheet | None = None) -> list[str]:
    """The lines above the table, as the form has them."""
    who = "Продавец" if book.book == "sales" else "Покупатель"
    verb = "Продажа" if book.book == "sales" else "Покупка"
    title = BOOK_TITLES[book.book].upper()
    if sheet is not None:
        n = book.sheets.index(sheet) + 1
        title = f"ДОПОЛНИТЕЛЬНЫЙ ЛИСТ № {n} " + ("КНИГИ ПРОДАЖ" if book.book == "sales" else "КНИГИ ПОКУПОК")
    first, last = quarter_bounds(sheet.for_quarter if sheet else book.quarter)
    party = book.party
    lines = [title,
             f"{who}: {party.name if party else '— (не заданы реквизиты поставщика, таблица supplier)'}",
             f"ИНН/КПП {'продавца' if book.book == 'sales' else 'покупателя'}: {party.inn_kpp if party else '—'}",
             f"{verb} за период с {date_ru(first)} по {date_ru(last)}"]
    if sheet is not None:
        lines.append(f"Дополнительный лист составлен: {date_ru(sheet.made_on)}")
    return lines


def _edition_note(columns: tuple[BookColumn, ...], edition_name: str) -> list[str]:
    notes = [f"Форма: {edition_name}."]
    if any(not c.verified for c in columns):
        notes.append(UNVERIFIED_NOTE)
    return notes


# -------------------------------------------------------------------------------------------- XLSX
def _rub(kop: int | None) -> Decimal | None:
    return None if kop is None else Decimal(kop).scaleb(-2)


def _sheet_rows(ws, columns, top: list[str], rows, totals_before, totals_after, notes, bold, money_fmt):  # noqa: ANN001
    from openpyxl.styles import Alignment, Border, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, text in enumerate(top):
        ws.append([text])
        if i == 0:
            ws.cell(ws.max_row, 1).font = bold
    ws.append([])
    ws.append([c.title for c in columns])
    head = ws.max_row
    ws.append([c.label for c in columns])
    for r in (head, head + 1):
        for j in range(1, len(columns) + 1):
            cell = ws.cell(r, j)
            cell.font = bold
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")

    def put(values: list, is_total: bool) -> None:
        ws.append(values)
        r = ws.max_row
        for j, col in enumerate(columns, 1):
            cell = ws.cell(r, j)
            cell.border = border
            if col.money:
                cell.number_format = money_fmt
            else:
                cell.alignment = wrap
            if is_total:
                cell.font = bold

    def total_line(label: str, sums: dict[str, int]) -> list:
        values: list = [_rub(sums[c.key]) if c.money else None for c in columns]
        values[next(j for j, c in enumerate(columns) if c.key == "party")] = label
        return values

    if totals_before is not None:
        put(total_line("Итого", totals_before), True)
    for row in rows:
        put([_rub(row.cells.get(c.key)) if c.money else row.cells.get(c.key) for c in columns], False)
    put(total_line("Всего", totals_after), True)
    ws.append([])
    for text in notes:
        ws.append([text])
    ws.freeze_panes = ws.cell(head + 2, 1)
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(j)].width = max(8.0, col.weight * 1.1)


def write_xlsx(book: Book, path: str | os.PathLike[str] | None = None, *,
               save: Callable[[Path, bytes], None] | None = None) -> bytes:
    """The book into an XLSX file: a worksheet for the book, one for each additional sheet. Headers
    in Russian with the form's column numbers; money as numbers (format #,##0.00); the «Всего» row
    as values. Returns the bytes (also written to `path` through `save` when given)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    fmt = "#,##0.00"
    wb = Workbook()
    ws = wb.active
    ws.title = BOOK_TITLES[book.book]
    notes = _edition_note(book.columns, book.edition.name)
    if book.by_rate:
        notes.append("Итоги по ставкам (стоимость с НДС / без НДС / НДС):")
        notes += [f"{t.title}: {money(t.total_kop)} / {money(t.base_kop)} / {money(t.vat_kop)}" for t in book.by_rate]
    _sheet_rows(ws, book.columns, heading(book), book.rows, None, book.totals, notes, bold, fmt)
    for n, sheet in enumerate(book.sheets, 1):
        ws = wb.create_sheet(f"Доп. лист {n} за {quarter_label(sheet.for_quarter)}")
        ed = edition_on(quarter_bounds(sheet.for_quarter)[0])
        _sheet_rows(ws, sheet.columns, heading(book, sheet), sheet.rows, sheet.before, sheet.after,
                    _edition_note(sheet.columns, ed.name), bold, fmt)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if path is not None:
        (save or Path.write_bytes)(Path(path), data)
    return data


# --------------------------------------------------------------------------------------------- PDF
PAGE_W, PAGE_H = A4_H, A4_W        # landscape
ML, MR, MT, MB = 10.0, 10.0, 10.0, 12.0
TW = PAGE_W - ML - MR
SIZE = 5.0                  # the cells
HEAD = 4.3                  # the column titles
STEP = SIZE * MM_PER_PT * 1.15


class _Pages:
    """Landscape pages: a heading on the first page of a part, the table header on every page."""

    def __init__(self, face: Typeface, footer: str) -> None:
        self.face = face
        self.footer = footer
        self.pages: list[Canvas] = []
        self.y = MT

    @property
    def c(self) -> Canvas:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Canvas(self.face, page_h=PAGE_H))
        self.y = MT

    def text(self, s: str, size: float = 7.0, bold: bool = False, align: str = "L") -> None:
        st = size * MM_PER_PT * 1.3
        self.y += st
        self.c.text(ML, self.y - st * 0.25, s, size=size, bold=bold, align=align, w=TW)

    def finish(self, doc: FormDocument) -> None:
        n = len(self.pages)
        for i, c in enumerate(self.pages, 1):
            c.line_width(0.1)
            c.hline(ML, ML + TW, PAGE_H - MB + 2.5)
            c.text(ML, PAGE_H - MB + 6.0, self.footer, size=6)
            c.text(ML, PAGE_H - MB + 6.0, f"стр. {i} из {n}", size=6, align="R", w=TW)
            doc.add_page(c.getvalue())


def _wrap(c: Canvas, s: str, w: float, size: float, bold: bool = False) -> list[str]:
    """Word wrap that never cuts: a word wider than the column is broken (after «/», else with «-»)."""
    words = []
    for word in s.split():
        while c.width(word, size, bold) > w and len(word) > 1:
            cut = max(word.find("/"), word.find("-")) + 1
            if not 0 < cut < len(word) or c.width(word[:cut], size, bold) > w:
                cut = len(word) - 1
                while cut > 1 and c.width(word[:cut] + "-", size, bold) > w:
                    cut -= 1
                words.append(word[:cut] + "-")
            else:
                words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    return c.wrap(" ".join(words), w, size, bold)


def _widths(columns: tuple[BookColumn, ...]) -> list[float]:
    total = sum(c.weight for c in columns)
    return [TW * c.weight / total for c in columns]


def _header(p: _Pages, columns: tuple[BookColumn, ...], widths: list[float]) -> None:
    c = p.c
    lines = [_wrap(c, col.title, w - 1.0, HEAD) for col, w in zip(columns, widths)]
    step = HEAD * MM_PER_PT * 1.1
    h = max(len(ln) for ln in lines) * step + 2.0
    c.line_width(0.15)
    c.rect(ML, p.y, TW, h + 4.0, fill=HEADER_GRAY)
    x = ML
    for col, w, ln in zip(columns, widths, lines):
        top = p.y + (h - step * len(ln)) / 2
        for i, s in enumerate(ln):
            c.text(x, top + step * (i + 0.8), s, size=HEAD, align="C", w=w)
        c.text(x, p.y + h + 3.0, col.label, size=HEAD, align="C", w=w)
        if x > ML:
            c.vline(x, p.y, p.y + h + 4.0)
        x += w
    c.hline(ML, ML + TW, p.y + h)
    p.y += h + 4.0
    c.hline(ML, ML + TW, p.y)


def _cells(c: Canvas, columns: tuple[BookColumn, ...], widths: list[float], values: list,
           bold: bool) -> list[list[str]]:
    out = []
    for col, w, v in zip(columns, widths, values):
        if v is None or v == "":
            out.append([])
        elif col.money:
            out.append([money(int(v))])
        else:
            out.append(_wrap(c, str(v), w - 1.4, SIZE, bold))
    return out


def _table(p: _Pages, columns: tuple[BookColumn, ...], heading_lines: list[str], body: list[tuple[list, bool]],
           notes: list[str]) -> None:
    widths = _widths(columns)
    p.new_page()
    for i, s in enumerate(heading_lines):
        p.text(s, size=10 if i == 0 else 7, bold=i == 0, align="C" if i == 0 else "L")
    p.y += 2.0
    _header(p, columns, widths)
    top = p.y
    for values, bold in body:
        cells = _cells(p.c, columns, widths, values, bold)
        h = max(1, max(len(x) for x in cells)) * STEP + 1.2
        if p.y + h > PAGE_H - MB:
            _grid(p.c, widths, top, p.y)
            p.new_page()
            _header(p, columns, widths)
            top = p.y
        x = ML
        for col, w, lines in zip(columns, widths, cells):
            for i, s in enumerate(lines):
                base = p.y + 0.6 + STEP * (i + 0.78)
                size = SIZE
                if col.money:
                    while size > 3.5 and p.c.width(s, size, bold) > w - 1.2:
                        size -= 0.25
                    p.c.text(x + 0.6, base, s, size=size, bold=bold, align="R", w=w - 1.2)
                else:
                    p.c.text(x + 0.7, base, s, size=SIZE, bold=bold)
            x += w
        p.y += h
        p.c.hline(ML, ML + TW, p.y)
    _grid(p.c, widths, top, p.y)
    p.y += 2.0
    for s in notes:
        if p.y + 4.0 > PAGE_H - MB:
            p.new_page()
        p.text(s, size=6)


def _grid(c: Canvas, widths: list[float], y0: float, y1: float) -> None:
    c.line_width(0.15)
    c.rect(ML, y0, TW, y1 - y0)
    x = ML
    for w in widths[:-1]:
        x += w
        c.vline(x, y0, y1)


def _total_values(columns: tuple[BookColumn, ...], label: str, sums: dict[str, int]) -> list:
    return [label if c.key == "party" else sums[c.key] if c.money else None for c in columns]


def render_pdf(book: Book) -> FormDocument:
    doc = FormDocument(title=book.title)
    doc.pdf.def_orientation = "L"          # every page of the book is landscape A4
    made = book.last_day
    doc.pdf.set_creation_date(datetime(made.year, made.month, made.day, tzinfo=timezone.utc))
    p = _Pages(Typeface.load(), book.title)
    body = [([r.cells.get(c.key) for c in book.columns], False) for r in book.rows]
    body.append((_total_values(book.columns, "Всего", book.totals), True))
    notes = _edition_note(book.columns, book.edition.name)
    if book.by_rate:
        notes.append("Итоги по ставкам (стоимость с НДС / без НДС / НДС):")
        notes += [f"{t.title}: {money(t.total_kop)} / {money(t.base_kop)} / {money(t.vat_kop)}" for t in book.by_rate]
    _table(p, book.columns, heading(book), body, notes)
    for sheet in book.sheets:
        body = [(_total_values(sheet.columns, "Итого", sheet.before), True)]
        body += [([r.cells.get(c.key) for c in sheet.columns], False) for r in sheet.rows]
        body.append((_total_values(sheet.columns, "Всего", sheet.after), True))
        ed = edition_on(quarter_bounds(sheet.for_quarter)[0])
        _table(p, sheet.columns, heading(book, sheet), body, _edition_note(sheet.columns, ed.name))
    p.finish(doc)
    return doc


def write_pdf(book: Book, path: str | os.PathLike[str] | None = None, *,
              save: Callable[[Path, bytes], None] | None = None) -> tuple[bytes, int]:
    """The book into a landscape PDF; returns (bytes, pages). The creation date is the quarter's last
    day, so the same book prints to the same bytes."""
    doc = render_pdf(book)
    data = doc.output() or b""
    if path is not None:
        (save or Path.write_bytes)(Path(path), data)
    return data, doc.pages
