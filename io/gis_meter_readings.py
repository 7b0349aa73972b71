"""Readings of meters from a ГИС ЖКХ meter-readings workbook (.xlsx): bytes in, records out.

ГИС ЖКХ exchanges readings through an Excel template («Импорт показаний приборов учёта»); its exact
layout changes between template versions, so the parser follows what the public descriptions
agree on rather than cell addresses (docs/buildings.md):

* any sheet whose header (within the first 15 rows, possibly two rows: a group caption
  «Показания» over «Т1 / Т2 / Т3») names the meter's serial number and the readings;
* columns recognised by their captions: «Заводской (серийный) номер ПУ» (or «Номер ПУ»),
  «Номер ПУ в ГИС ЖКХ» / «Идентификатор ПУ» (kept, optional), «Вид коммунального ресурса»
  (rows of other resources than electricity are skipped), «Т1», «Т2», «Т3» (or «Значение
  показания … Т1»), «Дата снятия показаний» / «Дата», «Адрес» (optional);
* result columns the portal adds on export («Статус обработки», «Ошибка») are ignored.

Nothing here touches the database.
"""

from __future__ import annotations

import io as _stdio
import re

from sbyt.core.errors import RowError
from sbyt.io.odpu_readings import MeterReadingRecord, records_from_rows
from sbyt.io.tabular import _cell_text

HEADER_SCAN_ROWS = 15


def _key(caption: str) -> str | None:
    c = re.sub(r"\s+", " ", caption.lower().replace("ё", "е")).strip()
    if not c:
        return None
    if "гис" in c and ("номер" in c or "идентификатор" in c):
        return "gis_id"
    if "заводск" in c or "серийн" in c or c in ("номер пу", "номер прибора учета", "№ пу"):
        return "serial"
    if "ресурс" in c:
        return "resource"
    if "адрес" in c:
        return "address"
    if "дата" in c and ("показан" in c or "сняти" in c or c == "дата"):
        return "read_on"
    m = re.search(r"(?:^|[\s(])[тt]\s?([123])(?:$|[\s)])", c)
    if m and ("показан" in c or "значени" in c or c.strip() in (f"т{m.group(1)}", f"t{m.group(1)}")):
        return f"t{m.group(1)}"
    if c in ("т1", "т2", "т3", "t1", "t2", "t3"):
        return "t" + c[1]
    return None


def _header(rows: list[list[str | None]]) -> tuple[int, dict[str, int]] | None:
    """(index of the last header row, column map) of a sheet, or None if it has no readings header."""
    for i in range(min(HEADER_SCAN_ROWS, len(rows))):
        top = [c or "" for c in rows[i]]
        nxt = [c or "" for c in rows[i + 1]] if i + 1 < len(rows) else []
        for span in (2, 1):
            if span == 2 and not nxt:
                continue
            caps = []
            for j in range(max(len(top), len(nxt) if span == 2 else 0)):
                a = top[j] if j < len(top) else ""
                b = nxt[j] if span == 2 and j < len(nxt) else ""
                caps.append(b if (span == 2 and _key(b)) else (a + " " + b).strip())
            found: dict[str, int] = {}
            for j, cap in enumerate(caps):
                k = _key(cap)
                if k and k not in found:
                    found[k] = j
            if "serial" in found and "t1" in found:
                return i + span - 1, found
    return None


def parse(data: bytes, file: str) -> tuple[list[MeterReadingRecord], list[RowError], int]:
    """A ГИС ЖКХ readings workbook -> (records of electricity meters, every bad row, rows skipped
    as another resource). Row numbers are the sheet's rows; several sheets: «file[sheet]:row»."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(_stdio.BytesIO(data))
    except Exception as exc:  # calamine's own error types
        return [], [RowError(file, 1, f"не удалось прочитать книгу XLSX: {exc}")], 0
    records: list[MeterReadingRecord] = []
    errors: list[RowError] = []
    skipped = 0
    sheets_found = 0
    names = book.sheet_names
    for name in names:
        raw = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows = [[_cell_text(v) for v in r] for r in raw]
        head = _header(rows)
        if head is None:
            continue
        sheets_found += 1
        last, cols = head
        where = file if len(names) == 1 else f"{file}[{name}]"
        picked: list[tuple[int, dict[str, str | None]]] = []
        for idx in range(last + 1, len(rows)):
            r = rows[idx]
            cells = {k: (r[j] if j < len(r) else None) for k, j in cols.items()}
            if not any(cells.values()):
                continue
            resource = (cells.get("resource") or "").lower()
            if resource and "электр" not in resource:
                skipped += 1
                continue
            picked.append((idx + 1, cells))
        recs, errs = records_from_rows(where, picked)
        records += recs
        errors += errs
    if sheets_found == 0:
        errors.append(RowError(file, 1, "в книге не найден лист с показаниями приборов учёта "
                                        "(нужны колонки «Заводской номер ПУ» и «Т1»)"))
    return records, errors, skipped
