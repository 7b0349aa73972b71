"""The legal-entity reading templates (XLSX, or CSV with the same header): which one a file is, its
columns under the template's names, and the template itself as an XLSX to hand to a consumer.

Two templates (docs/legal.md):

* integral readings — «Точка поставки | Прибор учёта | Дата | Зона | Показание», one row per
  measuring complex, zone and date;
* hourly volumes — «Точка поставки | Прибор учёта | Дата | 1 | 2 | … | 24», one row per complex and
  day, kWh per hour (hour 1 = 00:00–01:00), an empty cell = no data.

The file is read by `sbyt.io.tabular.parse_bytes` (python-calamine for XLSX, the first sheet); a
header is recognised without regard to case, «ё»/«е» and the usual synonyms (`ALIASES`). Typing and
control are `sbyt.core.legal_readings`. Nothing here touches the database or the file system.
"""

from __future__ import annotations

import dataclasses
import io as _stdio
from datetime import date

from sbyt.core.legal_readings import HOURLY_COLUMNS, HOURS, INTEGRAL_COLUMNS
from sbyt.io.tabular import Table

INTEGRAL, HOURLY = "integral", "hourly"

ALIASES: dict[str, tuple[str, ...]] = {
    "точка поставки": ("точка поставки", "код точки поставки", "код тп", "тп"),
    "прибор учёта": ("прибор учёта", "прибор учета", "заводской номер", "заводской номер пу", "зав. номер",
                     "номер пу", "пу"),
    "дата": ("дата", "дата показания", "дата снятия показания", "дата снятия показаний", "день"),
    "зона": ("зона", "зона суток"),
    "показание": ("показание", "показания"),
    **{str(h): (str(h), f"{h:02d}", f"час {h}", f"ч{h}") for h in HOURS},
}
_CANON = {alias.replace("ё", "е"): name for name, aliases in ALIASES.items() for alias in aliases}

TITLES = {INTEGRAL: "Показания ЮЛ", HOURLY: "Почасовые объёмы"}


def _canonical(header: str) -> str:
    return _CANON.get(" ".join(header.replace("ё", "е").split()), header)


def detect(table: Table) -> str | None:
    """INTEGRAL or HOURLY when the header is one of the legal templates, else None (the households'
    readings file, whose header is English: account;serial;zone;date;value;source)."""
    if "account" in table.columns:
        return None
    names = {_canonical(c) for c in table.columns}
    keyed = bool(names & {"точка поставки", "прибор учёта"})
    if keyed and names & {str(h) for h in HOURS}:
        return HOURLY
    if keyed and "показание" in names:
        return INTEGRAL
    return None


def canonical(table: Table) -> Table:
    """The same rows under the template's column names."""
    return dataclasses.replace(table, columns=[_canonical(c) for c in table.columns])


def template_xlsx(kind: str) -> bytes:
    """The template as an XLSX: the header and sample rows on the first sheet (which is the one
    loaded), the description of each column on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns = INTEGRAL_COLUMNS if kind == INTEGRAL else HOURLY_COLUMNS
    heads: list[object] = [c.name[:1].upper() + c.name[1:] if not c.name.isdigit() else int(c.name) for c in columns]
    if kind == INTEGRAL:
        rows: list[list[object]] = [["TP1", "012345", date(2026, 11, 30), 1, 12345.67],
                                    ["TP2", None, date(2026, 11, 30), 1, 4512.5],
                                    ["TP2", None, date(2026, 11, 30), 2, 2210]]
    else:
        rows = [["TP1", "012345", date(2026, 11, 1), *[round(40 + 2.5 * h, 3) for h in HOURS]],
                ["TP1", "012345", date(2026, 11, 2), *[round(41 + 2.5 * h, 3) for h in HOURS[:19]], None,
                 *[round(41 + 2.5 * h, 3) for h in HOURS[20:]]]]
    book = Workbook()
    sheet = book.active
    sheet.title = TITLES[kind]
    sheet.append(heads)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(r)
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            cell.number_format = "DD.MM.YYYY"
    for letter, width in zip("ABC", (16, 16, 12)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "D2"
    about = book.create_sheet("Описание")
    about.append(["Колонка", "Обязательная", "Что указать", "Пример"])
    for cell in about[1]:
        cell.font = Font(bold=True)
    for c, head in zip(columns, heads):
        about.append([str(head), "да" if c.required else "нет", c.doc, c.example])
    about.append([])
    about.append(["Загружается первый лист: sbyt readings import ФАЙЛ.xlsx. Ошибка в любой строке — файл не "
                  "загружается, выводится каждая ошибка с номером строки. Тот же файл повторно не загружается."])
    about.column_dimensions["A"].width = 16
    about.column_dimensions["C"].width = 90
    buf = _stdio.BytesIO()
    book.save(buf)
    return buf.getvalue()
