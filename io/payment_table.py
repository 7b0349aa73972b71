"""Spreadsheet plumbing shared by the bank-statement and ГИС ЖКХ payment parsers (python-calamine:
xlsx, xls, xlsb, ods): reading a sheet, finding the header row by column names, exact cell values."""

from __future__ import annotations

import io as _stdio
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from python_calamine import CalamineWorkbook

from sbyt.core.periods import parse_date
from sbyt.io.payment_text import parse_kop, parse_month


def read_sheet(data: bytes, sheet: int | str = 1) -> list[list[object]]:
    """All rows of a sheet (1-based index or name) as lists of Python values."""
    try:
        wb = CalamineWorkbook.from_filelike(_stdio.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for foreign bytes
        raise ValueError(f"не удаётся прочитать книгу Excel: {exc}") from None
    try:
        ws = wb.get_sheet_by_name(sheet) if isinstance(sheet, str) else wb.get_sheet_by_index(int(sheet) - 1)
    except Exception:
        raise ValueError(f"в книге нет листа «{sheet}»; листы: {', '.join(wb.sheet_names)}") from None
    return ws.to_python(skip_empty_area=False)


def norm(value: object) -> str:
    return " ".join(str(value or "").replace("ё", "е").replace("Ё", "Е").split()).lower()


def find_header(rows: list[list[object]], wanted: dict[str, list[str]], required: set[str],
                header_row: int = 0, scan: int = 20) -> tuple[int, dict[str, int]] | None:
    """Locate the header row (1-based `header_row`, or the first of `scan` rows holding all the
    required names) and map field -> 0-based column. Names compare case- and space-insensitively."""
    candidates = [header_row - 1] if header_row else range(min(scan, len(rows)))
    for r in candidates:
        if r < 0 or r >= len(rows):
            continue
        cells = {norm(v): j for j, v in enumerate(rows[r]) if norm(v)}
        found: dict[str, int] = {}
        for fld, names in wanted.items():
            for name in names:
                if norm(name) in cells:
                    found[fld] = cells[norm(name)]
                    break
        if required <= set(found):
            return r, found
    return None


def data_rows(rows: list[list[object]], head: int,
              idx: dict[str, int]) -> Iterator[tuple[int, Callable[[str], object]]]:
    """The non-blank rows below the header: (1-based row number, cell getter by field)."""
    for n, r in enumerate(rows[head + 1:], start=head + 2):
        if any(v not in (None, "") for v in r):
            yield n, lambda f, r=r: r[idx[f]] if f in idx and idx[f] < len(r) else None


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_kop(value: object) -> int:
    """A money cell -> kopecks; spreadsheet floats are accepted when they are whole kopecks."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError(f"не сумма: «{value}»")
    if isinstance(value, (int, float)):
        try:
            d = Decimal(repr(value))
        except InvalidOperation:
            raise ValueError(f"не сумма: «{value}»") from None
        q = d.quantize(Decimal("0.01"))
        if abs(d - q) > Decimal("0.000001"):
            raise ValueError(f"сумма {value} точнее копейки")
        return int(q * 100)
    return parse_kop(str(value))


def cell_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value or ""))


def cell_month(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date, datetime)):
        return value.year * 100 + value.month
    return parse_month(cell_text(value))
