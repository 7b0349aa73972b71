"""XLSX via openpyxl (write-only mode, so big reports stream): title and parameters on top, a bold
frozen header with an autofilter, Excel number formats per column, column widths, a bold totals row.

Layout: row 1 title, row 2 parameters, row 3 empty, row 4 header, data from row 5 (frozen at A5).
Totals are written as values (exact Decimal sums), not formulas, so that every reader — Excel,
LibreOffice, calamine, pandas — sees the same numbers without recalculation.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from sbyt.reports.render.numbers import display
from sbyt.reports.render.terminal import TOTAL_LABEL
from sbyt.reports.table import Table, format_of, unscale

MAX_ROWS = 1_048_576 - 10
HEADER_ROW = 4

NUMBER_FORMATS = {
    "money": "#,##0.00",
    "kwh": "#,##0.000",
    "int": "#,##0",
    "number": "General",
    "percent": '0.00" %"',
    "date": "DD.MM.YYYY",
    "datetime": "DD.MM.YYYY HH:MM:SS",
    "plain_int": "0",
}
MIN_WIDTH, MAX_WIDTH = 8, 60


def _cell_value(value: Any, fmt: str) -> Any:
    kind = format_of(value, fmt)
    if value is None:
        return None
    if kind == "period" and isinstance(value, int):
        return display(value, "period")
    if kind == "bool":
        return "да" if value else "нет"
    if isinstance(value, (int, float, Decimal, date, datetime, str)):
        return value
    return str(value)


def _sheet_title(text: str) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\; cut at a word boundary."""
    text = text.translate(str.maketrans("[]:*?/\\", "_______"))
    if len(text) <= 31:
        return text
    cut = text[:31].rsplit(" ", 1)[0]
    return cut if len(cut) >= 10 else text[:31]


def write(table: Table, out: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    if len(table.rows) > MAX_ROWS:
        from sbyt.core.errors import RefusedError

        raise RefusedError(f"В отчёте {len(table.rows)} строк — больше, чем вмещает лист Excel; "
                           "выгрузите его в CSV (--format csv).")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_sheet_title(table.title or table.name))
    bold = Font(bold=True)
    thin = Side(style="thin")

    widths = [max(MIN_WIDTH, min(MAX_WIDTH, len(c.title) + 2)) for c in table.columns]
    for row in table.rows[:1000]:
        for i, (v, c) in enumerate(zip(row, table.columns)):
            widths[i] = max(widths[i], min(MAX_WIDTH, len(display(unscale(v, c), c.format)) + 2))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    last = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(1, len(table.rows))}"

    title = WriteOnlyCell(ws, value=table.title or "")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append(["; ".join(f"{t}: {v}" for t, v in table.params)] if table.params else [])
    ws.append([])

    header = []
    for col in table.columns:
        cell = WriteOnlyCell(ws, value=col.title)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(bottom=thin)
        header.append(cell)
    ws.append(header)

    def styled(value: Any, fmt: str, font: Font | None = None) -> Any:
        cell = WriteOnlyCell(ws, value=_cell_value(value, fmt))
        number_format = NUMBER_FORMATS.get(format_of(value, fmt)) if value is not None else None
        if number_format:
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        return cell

    fmts = [c.format for c in table.columns]
    cols = table.columns
    plain = all(f == "text" for f in fmts)
    for row in table.rows:
        if plain:
            ws.append([_cell_value(v, f) for v, f in zip(row, fmts)])
        else:
            ws.append([styled(unscale(v, c), c.format) for v, c in zip(row, cols)])
    sums = table.totals()
    if sums is not None:
        cells = [styled(v, f, bold) for v, f in zip(sums, fmts)]
        label = table.totals_label_index()
        if label >= 0:
            cells[label] = WriteOnlyCell(ws, value=TOTAL_LABEL)
            cells[label].font = bold
        ws.append(cells)
    wb.save(out)
