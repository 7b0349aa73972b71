"""Tabular input files: CSV (UTF-8 with or without BOM, or Windows-1251; `;`, `,` or tab) and XLSX.

`read_table(path)` turns a file into a `Table`: the header and the data rows as text, each row with
its number as the operator sees it (the header is row 1, the first data row is row 2; in XLSX the
sheet row). Typing and validation happen elsewhere (`sbyt.core.loading`); this module never touches
the database. `write_csv` writes a template the way Russian Excel opens it (UTF-8 BOM, `;`).
"""

from __future__ import annotations

import csv
import hashlib
import io as _stdio
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pyarrow as pa

from sbyt.core.errors import NotFoundError, RowError, ValidationError

SUFFIXES = (".csv", ".xlsx")


@dataclass
class Table:
    """One input file as text: `columns` (normalised header names) and `rows` (lists of strings
    or None for an empty cell), `row_numbers` parallel to `rows`."""

    file: str
    columns: list[str]
    rows: list[list[str | None]]
    row_numbers: list[int]
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def to_arrow(self, wanted: list[str]) -> pa.Table:
        """The columns in `wanted` (missing ones all-null) as strings, plus `_row` (int64)."""
        index = {c: i for i, c in enumerate(self.columns)}
        arrays: dict[str, pa.Array] = {"_row": pa.array(self.row_numbers, pa.int64())}
        cols = list(zip(*self.rows)) if self.rows else []
        for name in wanted:
            i = index.get(name)
            if i is None or not cols:
                arrays[name] = pa.nulls(len(self.rows), pa.string())
            else:
                arrays[name] = pa.array(cols[i], pa.string())
        return pa.table(arrays)


def normalise_header(name: object) -> str:
    return str(name or "").strip().lstrip("\ufeff").strip().lower()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _delimiter(first_line: str) -> str:
    for d in (";", "\t", ","):
        if d in first_line:
            return d
    return ";"


def parse_csv(data: bytes, file: str) -> Table:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(_stdio.StringIO(text, newline=""), delimiter=_delimiter(first))
    header: list[str] | None = None
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    errors: list[RowError] = []
    width = 0
    for n, raw in enumerate(reader, start=1):
        if header is None:
            if not any(cell.strip() for cell in raw):
                continue
            header = [normalise_header(h) for h in raw]
            while header and header[-1] == "":
                header.pop()
            width = len(header)
            continue
        if not any(cell.strip() for cell in raw):
            continue  # an empty line (Excel leaves them at the end)
        if len(raw) > width and any(c.strip() for c in raw[width:]):
            errors.append(RowError(file, n, f"лишние значения: в строке {len(raw)} полей, в заголовке {width}"))
            continue
        cells: list[str | None] = [(c.strip() or None) for c in raw[:width]]
        cells.extend([None] * (width - len(cells)))
        rows.append(cells)
        numbers.append(n)
    return Table(file, header or [], rows, numbers, errors=errors)


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = str(value).strip()
    return text or None


def parse_xlsx(data: bytes, file: str) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(_stdio.BytesIO(data))
        sheet = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken files
        raise ValidationError([RowError(file, 1, f"не удалось прочитать файл XLSX: {exc}")]) from None
    header: list[str] | None = None
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    width = 0
    for i, raw in enumerate(sheet, start=1):
        cells = [_cell_text(v) for v in raw]
        if header is None:
            if not any(cells):
                continue
            header = [normalise_header(c) for c in cells]
            while header and header[-1] == "":
                header.pop()
            width = len(header)
            continue
        if not any(cells):
            continue
        cells = cells[:width] + [None] * (width - len(cells))
        rows.append(cells)
        numbers.append(i)
    return Table(file, header or [], rows, numbers)


def parse_bytes(data: bytes, file: str) -> Table:
    """Parse by the file name's suffix (.xlsx, anything else as CSV)."""
    table = parse_xlsx(data, file) if file.lower().endswith(".xlsx") else parse_csv(data, file)
    table.sha256 = hashlib.sha256(data).hexdigest()
    return table


def read_table(path: str | Path) -> Table:
    p = Path(path)
    return parse_bytes(p.read_bytes(), p.name)


def write_csv(path: str | Path, columns: list[str], rows: list[list[object]]) -> None:
    """A CSV for Russian Excel: UTF-8 with BOM, `;` separator, CRLF line ends."""
    buf = _stdio.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(columns)
    w.writerows([["" if v is None else v for v in r] for r in rows])
    Path(path).write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def read_directory(path: str | Path) -> tuple[dict[str, Table], str]:
    """Every CSV/XLSX file of a directory by its name without suffix, and one SHA-256 of the set.

    Two files with the same stem (`accounts.csv` and `accounts.xlsx`) are an error.
    """
    d = Path(path)
    if not d.is_dir():
        raise NotFoundError(f"Каталог не найден: {d}")
    tables: dict[str, Table] = {}
    errors: list[RowError] = []
    for p in sorted(d.iterdir()):
        if p.suffix.lower() not in SUFFIXES or p.name.startswith(("~$", ".")):
            continue
        stem = p.stem.lower()
        if stem in tables:
            errors.append(RowError(p.name, 1, f"файл той же сущности уже есть: {tables[stem].file}"))
            continue
        tables[stem] = read_table(p)
    if errors:
        raise ValidationError(errors)
    digest = hashlib.sha256()
    for stem in sorted(tables):
        digest.update(f"{stem}:{tables[stem].sha256}\n".encode())
    return tables, digest.hexdigest()
