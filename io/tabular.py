"""Tabular input files: CSV (UTF-8 with or without BOM, or Windows-1251; `;`, `,` or tab) and XLSX.

`parse_bytes(data, name)` turns a file into a `Table`: the header and the data rows as text, each row
with its number as the operator sees it (the header is row 1, the first data row is row 2; in XLSX
the sheet row); `parse_directory` does it for a directory's files. Typing and validation happen
elsewhere (`sbyt.core.loading`); this module neither touches the database nor reads or writes files
(the commands do, through `sbyt.console.cli.files`). `csv_bytes` makes a template the way Russian
Excel opens it (UTF-8 BOM, `;`).
"""

from __future__ import annotations

import csv
import hashlib
import io as _stdio
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pyarrow as pa

from sbyt.core.errors import RowError, ValidationError

SUFFIXES = (".csv", ".xlsx")
FAST_CHARS = 1 << 20   # larger plain CSV files are read by Arrow


@dataclass
class Table:
    """One input file as text: `columns` (normalised header names) and the data rows as strings
    (None for an empty cell) with their row numbers. Large plain CSV files keep the rows as an
    Arrow table (`data`: columns `c0`, `c1`, … and `_row`) instead of Python lists."""

    file: str
    columns: list[str]
    _rows: list[list[str | None]] = field(default_factory=list)
    _numbers: list[int] = field(default_factory=list)
    sha256: str = ""
    errors: list[RowError] = field(default_factory=list)
    data: pa.Table | None = None

    @property
    def rows(self) -> list[list[str | None]]:
        if self.data is not None:
            cols = [self.data.column(f"c{i}").to_pylist() for i in range(len(self.columns))]
            return [list(r) for r in zip(*cols)]
        return self._rows

    @property
    def row_numbers(self) -> list[int]:
        return self.data.column("_row").to_pylist() if self.data is not None else self._numbers

    def __len__(self) -> int:
        return self.data.num_rows if self.data is not None else len(self._rows)

    def to_arrow(self, wanted: list[str]) -> pa.Table:
        """The columns in `wanted` (missing ones all-null) as strings, plus `_row` (int64)."""
        index = {c: i for i, c in enumerate(self.columns)}
        n = len(self)
        if self.data is not None:
            arrays: dict[str, pa.Array] = {"_row": self.data.column("_row")}
            for name in wanted:
                i = index.get(name)
                arrays[name] = pa.nulls(n, pa.string()) if i is None else self.data.column(f"c{i}")
            return pa.table(arrays)
        arrays = {"_row": pa.array(self._numbers, pa.int64())}
        cols = list(zip(*self._rows)) if self._rows else []
        for name in wanted:
            i = index.get(name)
            if i is None or not cols:
                arrays[name] = pa.nulls(n, pa.string())
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


def _fast_csv(text: str, file: str, delimiter: str) -> Table | None:
    """Plain files (no quotes, no blank lines inside) through Arrow's multi-threaded reader: one line
    is one row. None when the file needs the careful reader."""
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    first, _, rest = text.partition("\n")
    if '"' in text or not first.strip() or "\n\n" in rest or "\n\r\n" in rest:
        return None
    header = [normalise_header(h) for h in first.rstrip("\r").split(delimiter)]
    if not header or "" in header:
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        data = pacsv.read_csv(
            _stdio.BytesIO(rest.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char=False, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=True, null_values=[""]),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    data = data.append_column("_row", pa.array(range(2, data.num_rows + 2), pa.int64()))
    blank = None
    for n in names:
        empty = pc.or_kleene(pc.is_null(data.column(n)), pc.equal(pc.utf8_trim_whitespace(data.column(n)), ""))
        blank = empty if blank is None else pc.and_kleene(blank, empty)
    if blank is not None and pc.any(blank).as_py():
        data = data.filter(pc.invert(blank))
    return Table(file, header, data=data)


def parse_csv(data: bytes, file: str) -> Table:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    if len(text) > FAST_CHARS:
        fast = _fast_csv(text, file, _delimiter(first))
        if fast is not None:
            return fast
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


def csv_bytes(columns: list[str], rows: list[list[object]]) -> bytes:
    """A CSV for Russian Excel: UTF-8 with BOM, `;` separator, CRLF line ends."""
    buf = _stdio.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(columns)
    w.writerows([["" if v is None else v for v in r] for r in rows])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def parse_directory(files: dict[str, bytes]) -> tuple[dict[str, Table], str]:
    """The CSV/XLSX files of a directory (name -> bytes) by their names without suffix, and one
    SHA-256 of the set.

    Two files with the same stem (`accounts.csv` and `accounts.xlsx`) are an error.
    """
    tables: dict[str, Table] = {}
    errors: list[RowError] = []
    for name in sorted(files):
        p = Path(name)
        if p.suffix.lower() not in SUFFIXES or p.name.startswith(("~$", ".")):
            continue
        stem = p.stem.lower()
        if stem in tables:
            errors.append(RowError(p.name, 1, f"файл той же сущности уже есть: {tables[stem].file}"))
            continue
        tables[stem] = parse_bytes(files[name], p.name)
    if errors:
        raise ValidationError(errors)
    digest = hashlib.sha256()
    for stem in sorted(tables):
        digest.update(f"{stem}:{tables[stem].sha256}\n".encode())
    return tables, digest.hexdigest()
