"""Readings of common meters (ОДПУ) from the sbyt template: CSV or XLSX, bytes in, records out.

Template (docs/buildings.md): one row per meter and date; header names are matched without case:

    Код МКД | Заводской номер | Дата | Т1 | Т2 | Т3

«Код МКД» is optional (when given it must be the meter's building); «Т1» is the single-rate
reading or the day/peak zone, «Т2» night/half-peak, «Т3» night of a three-zone meter. Readings are
whole kWh (a fraction is an error: the store keeps whole kWh and the ratio multiplies them).
Dates: ГГГГ-ММ-ДД or ДД.ММ.ГГГГ. Nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sbyt.core.errors import RowError
from sbyt.core.periods import parse_date
from sbyt.io.tabular import parse_bytes

ALIASES: dict[str, tuple[str, ...]] = {
    "building": ("код мкд", "мкд", "код дома", "building"),
    "serial": ("заводской номер", "заводской номер пу", "зав. номер", "номер пу", "serial"),
    "read_on": ("дата", "дата показаний", "дата снятия показаний", "read_on", "date"),
    "t1": ("т1", "t1", "день", "сутки", "показание", "показание т1"),
    "t2": ("т2", "t2", "ночь", "показание т2"),
    "t3": ("т3", "t3", "показание т3"),
}
TEMPLATE_COLUMNS = ["Код МКД", "Заводской номер", "Дата", "Т1", "Т2", "Т3"]


@dataclass(frozen=True)
class MeterReadingRecord:
    """One meter's readings on one date, with where it came from (for `file:row` messages)."""

    file: str
    row: int
    serial: str
    read_on: date
    values: tuple[int | None, int | None, int | None]   # zone 1..3
    building: str | None = None
    gis_id: str | None = None
    address: str | None = None

    def error(self, message: str, column: str | None = None) -> RowError:
        return RowError(self.file, self.row, message, column)


_NUM = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_reading(text: str) -> int:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _NUM.match(t):
        raise ValueError(f"не число: «{text}»")
    whole, _, frac = t.replace(",", ".").partition(".")
    if frac.strip("0"):
        raise ValueError(f"показание «{text}» должно быть целым числом кВт·ч")
    value = int(whole)
    if value < 0:
        raise ValueError(f"отрицательное показание «{text}»")
    return value


def column_map(header: list[str], aliases: dict[str, tuple[str, ...]] = ALIASES) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        for key, names in aliases.items():
            if h in names and key not in found:
                found[key] = i
    return found


def records_from_rows(file: str, rows: list[tuple[int, dict[str, str | None]]]
                      ) -> tuple[list[MeterReadingRecord], list[RowError]]:
    """Typed records from text cells keyed building/serial/read_on/t1..t3 (shared with the ГИС parser)."""
    out: list[MeterReadingRecord] = []
    errors: list[RowError] = []
    for n, cells in rows:
        bad = False
        serial = (cells.get("serial") or "").strip()
        if not serial:
            errors.append(RowError(file, n, "не указан заводской номер прибора учёта", "Заводской номер"))
            bad = True
        read_on: date | None = None
        raw_date = cells.get("read_on")
        if not raw_date:
            errors.append(RowError(file, n, "не указана дата показаний", "Дата"))
            bad = True
        else:
            try:
                read_on = parse_date(raw_date)
            except ValueError as exc:
                errors.append(RowError(file, n, str(exc), "Дата"))
                bad = True
        values: list[int | None] = []
        for z in (1, 2, 3):
            raw = cells.get(f"t{z}")
            if raw is None or not str(raw).strip():
                values.append(None)
                continue
            try:
                values.append(parse_reading(str(raw)))
            except ValueError as exc:
                errors.append(RowError(file, n, str(exc), f"Т{z}"))
                bad = True
                values.append(None)
        if not bad and values[0] is None:
            errors.append(RowError(file, n, "нет показания Т1", "Т1"))
            bad = True
        if not bad and values[2] is not None and values[1] is None:
            errors.append(RowError(file, n, "есть Т3, но нет Т2", "Т2"))
            bad = True
        if bad:
            continue
        assert read_on is not None
        out.append(MeterReadingRecord(file, n, serial, read_on, (values[0], values[1], values[2]),
                                      (cells.get("building") or None), cells.get("gis_id") or None,
                                      cells.get("address") or None))
    return out, errors


def parse(data: bytes, file: str) -> tuple[list[MeterReadingRecord], list[RowError]]:
    """The sbyt ОДПУ template (CSV or XLSX by the file name) -> records and every bad row."""
    table = parse_bytes(data, file)
    errors = list(table.errors)
    cols = column_map(table.columns)
    missing = [title for key, title in (("serial", "Заводской номер"), ("read_on", "Дата"), ("t1", "Т1"))
               if key not in cols]
    if missing:
        return [], errors + [RowError(file, 1, "в заголовке нет колонок: " + ", ".join(missing)
                                      + " (шаблон: " + "; ".join(TEMPLATE_COLUMNS) + ")")]
    rows = [(n, {k: r[i] for k, i in cols.items()}) for n, r in zip(table.row_numbers, table.rows)]
    records, row_errors = records_from_rows(file, rows)
    return records, errors + row_errors
