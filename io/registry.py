"""Payment-agent / settlement-centre registries: delimited text, one line per paid account.

Default layout (documented in docs/payments.md), `;`-delimited, UTF-8 or Windows-1251:

    РЕЕСТР;<ИНН агента>;<агент>;<номер реестра>;<дата реестра>;<номер п/п>;<дата п/п>
    <лицевой счёт>;<сумма>;<дата оплаты>;<период ММ.ГГГГ>;<плательщик>;<назначение>;<квитанция>
    ...
    ИТОГО;<число строк>;<сумма>

The header names the agent and the bank transfer (payment order) that carries the registry's
money; the footer is the control sum. Other layouts are described by a TOML mapping
(`[registry]` table, see `RegistryMapping`); columns are 1-based.
"""

from __future__ import annotations

import csv
import io as _stdio
import tomllib
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sbyt.core.errors import RowError
from sbyt.core.money import format_rub
from sbyt.core.periods import parse_date
from sbyt.io.payment_text import decode, parse_kop, parse_month

DEFAULT_COLUMNS = {"account": 1, "amount": 2, "date": 3, "period": 4, "payer": 5, "purpose": 6, "receipt": 7}
DEFAULT_HEADER = {"agent_inn": 2, "agent_name": 3, "number": 4, "date": 5, "transfer_no": 6, "transfer_date": 7}
FIELDS = {"account", "amount", "date", "period", "payer", "purpose", "receipt", "service"}
HEADER_FIELDS = set(DEFAULT_HEADER)


@dataclass(frozen=True)
class RegistryMapping:
    encoding: str = "auto"                  # auto | utf-8 | cp1251
    delimiter: str = ";"
    header_marker: str | None = "РЕЕСТР"    # first field of the header line; None = no header line
    footer_marker: str | None = "ИТОГО"     # first field of the footer line; None = no footer
    skip_lines: int = 0                     # lines to skip before the header (titles)
    footer_count: int = 2                   # footer column with the number of lines (0 = absent)
    footer_total: int = 3                   # footer column with the total sum (0 = absent)
    header: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_HEADER))
    columns: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))


@dataclass(frozen=True)
class RegistryHeader:
    agent_inn: str
    agent_name: str
    number: str
    reg_date: date | None
    transfer_no: str
    transfer_date: date | None


@dataclass(frozen=True)
class RegistryLine:
    row: int
    account: str
    amount_kop: int
    pay_date: date
    period: int | None
    payer_name: str
    purpose: str
    receipt: str
    service: str | None = None


@dataclass(frozen=True)
class Registry:
    """A parsed registry. Lines are columnar (`table`: LINE_SCHEMA) so that a million-line file stays
    cheap; `lines` gives them as records."""

    file_name: str
    header: RegistryHeader | None
    table: pa.Table
    total_kop: int

    @property
    def lines(self) -> tuple[RegistryLine, ...]:
        return tuple(RegistryLine(**r) for r in self.table.to_pylist())


LINE_SCHEMA = pa.schema([("row", pa.int32()), ("account", pa.string()), ("amount_kop", pa.int64()),
                         ("pay_date", pa.date32()), ("period", pa.int32()), ("payer_name", pa.string()),
                         ("purpose", pa.string()), ("receipt", pa.string()), ("service", pa.string())])


def load_mapping(data: bytes, section: str = "registry") -> dict:
    """The `[section]` table of a TOML mapping file (ValueError with a Russian message if bad)."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"файл сопоставления не читается как TOML: {exc}") from None
    if section not in doc:
        raise ValueError(f"в файле сопоставления нет таблицы [{section}]")
    return doc[section]


def registry_mapping(data: bytes | None) -> RegistryMapping:
    if data is None:
        return RegistryMapping()
    m = load_mapping(data, "registry")
    cols = m.get("columns", DEFAULT_COLUMNS)
    bad = set(cols) - FIELDS
    if bad or "account" not in cols or "amount" not in cols or "date" not in cols:
        raise ValueError(f"[registry.columns]: нужны account, amount, date; неизвестные поля: {sorted(bad)}")
    head = m.get("header", DEFAULT_HEADER)
    if set(head) - HEADER_FIELDS:
        raise ValueError(f"[registry.header]: неизвестные поля: {sorted(set(head) - HEADER_FIELDS)}")
    return RegistryMapping(
        encoding=m.get("encoding", "auto"), delimiter=m.get("delimiter", ";"),
        header_marker=m.get("header_marker", "РЕЕСТР") or None,
        footer_marker=m.get("footer_marker", "ИТОГО") or None,
        skip_lines=int(m.get("skip_lines", 0)),
        footer_count=int(m.get("footer_count", 2)), footer_total=int(m.get("footer_total", 3)),
        header={k: int(v) for k, v in head.items()}, columns={k: int(v) for k, v in cols.items()},
    )


def _cell(fields: list[str], col: int) -> str:
    return fields[col - 1].strip() if 0 < col <= len(fields) else ""


def parse_registry(data: bytes, file_name: str = "registry.txt",
                   mapping: RegistryMapping | None = None) -> tuple[Registry | None, list[RowError]]:
    """Parse a registry. A well-formed file takes the vectorised path (Arrow CSV reader and compute
    kernels); any irregularity sends it through the line-by-line parser, which names every bad row."""
    m = mapping or RegistryMapping()
    if m.encoding == "auto":
        text, _ = decode(data)
    else:
        text = data.decode(m.encoding, errors="replace")
    fast = _parse_fast(text, file_name, m)
    if fast is not None:
        return fast, []
    return _parse_slow(text, file_name, m)


_AMOUNT_RX = r"^\s*(?P<i>\d+)(?:[.,](?P<f>\d{1,2}))?\s*$"
_MONTH_RX = r"^\s*(?P<m>\d{1,2})[./-](?P<y>\d{4})\s*$"


def _parse_fast(text: str, file_name: str, m: RegistryMapping) -> Registry | None:
    """The vectorised path; None when the file is not perfectly regular (then the slow path reports)."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    start = m.skip_lines
    if len(lines) < start + 3 or "\n\n" in text.replace("\r", "") or '"' in text:
        return None
    head_line = lines[start].rstrip("\r")
    foot_line = lines[-1].rstrip("\r")
    first_body = start
    header = None
    if m.header_marker:
        if head_line.split(m.delimiter)[0].strip() != m.header_marker:
            return None
        header, errs = _header(head_line.split(m.delimiter), m, file_name, start + 1)
        if errs:
            return None
        first_body = start + 1
    if m.footer_marker and foot_line.split(m.delimiter)[0].strip() != m.footer_marker:
        return None
    body_end = len(lines) - 1 if m.footer_marker else len(lines)
    body = "\n".join(lines[first_body:body_end])
    if not body.strip():
        return None
    ncols = body[: body.find("\n") if "\n" in body else len(body)].count(m.delimiter) + 1
    if max(m.columns.values()) > ncols:
        return None
    bad_rows: list[int] = []
    try:
        t = pacsv.read_csv(
            _stdio.BytesIO(body.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(1, ncols + 1)], use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=m.delimiter, quote_char=False,
                                             invalid_row_handler=lambda row: bad_rows.append(1) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types={f"c{i}": pa.string() for i in range(1, ncols + 1)}))
    except pa.ArrowInvalid:
        return None
    n = t.num_rows
    if bad_rows or n != body_end - first_body:
        return None
    c = m.columns

    def col(name: str) -> pa.Array:
        j = c.get(name, 0)
        if not j:
            return pa.nulls(n, pa.string())
        return pc.utf8_trim_whitespace(t.column(f"c{j}").combine_chunks())

    acc = col("account")
    amt = pc.extract_regex(col("amount"), _AMOUNT_RX)
    if amt.null_count or pc.any(pc.equal(pc.utf8_length(acc), 0)).as_py():
        return None
    whole = pc.cast(amt.field("i"), pa.int64())
    frac = pc.cast(pc.utf8_rpad(pc.if_else(pc.equal(amt.field("f"), ""), "0", amt.field("f")), 2, "0"), pa.int64())
    kop = pc.add(pc.multiply(whole, 100), frac)
    if pc.any(pc.less_equal(kop, 0)).as_py():
        return None
    dtext = col("date")
    ts = pc.strptime(dtext, format="%d.%m.%Y", unit="s", error_is_null=True)
    if ts.null_count or not pc.all(pc.equal(pc.strftime(ts, format="%d.%m.%Y"), dtext)).as_py():
        return None
    period = pa.nulls(n, pa.int32())
    if c.get("period"):
        ptext = col("period")
        empty = pc.equal(pc.utf8_length(ptext), 0)
        pm = pc.extract_regex(ptext, _MONTH_RX)
        if pc.any(pc.and_(pc.invert(empty), pc.is_null(pm))).as_py():
            return None
        mm = pc.cast(pc.if_else(empty, "1", pm.field("m")), pa.int32())
        yy = pc.cast(pc.if_else(empty, "2000", pm.field("y")), pa.int32())
        if pc.any(pc.or_(pc.less(mm, 1), pc.greater(mm, 12))).as_py():
            return None
        period = pc.if_else(empty, pa.scalar(None, pa.int32()), pc.add(pc.multiply(yy, 100), mm))
    rows = pa.array(np.arange(first_body + 1, first_body + 1 + n, dtype=np.int32))
    table = pa.table([rows, acc, kop, pc.cast(ts, pa.date32()), period, col("payer"), col("purpose"),
                      col("receipt"), col("service")], schema=LINE_SCHEMA)
    total = int(pc.sum(kop).as_py())
    if m.footer_marker:
        f = foot_line.split(m.delimiter)
        try:
            if m.footer_count and int(_cell(f, m.footer_count)) != n:
                return None
            if m.footer_total and parse_kop(_cell(f, m.footer_total)) != total:
                return None
        except ValueError:
            return None
    return Registry(file_name, header, table, total)


def _header(fields: list[str], m: RegistryMapping, file_name: str, row: int) -> tuple[RegistryHeader | None, list[RowError]]:
    h = m.header
    try:
        return RegistryHeader(
            agent_inn=_cell(fields, h.get("agent_inn", 0)), agent_name=_cell(fields, h.get("agent_name", 0)),
            number=_cell(fields, h.get("number", 0)),
            reg_date=parse_date(_cell(fields, h["date"])) if _cell(fields, h.get("date", 0)) else None,
            transfer_no=_cell(fields, h.get("transfer_no", 0)),
            transfer_date=(parse_date(_cell(fields, h["transfer_date"]))
                           if _cell(fields, h.get("transfer_date", 0)) else None),
        ), []
    except ValueError as exc:
        return None, [RowError(file_name, row, f"заголовок: {exc}")]


def _parse_slow(text: str, file_name: str, m: RegistryMapping) -> tuple[Registry | None, list[RowError]]:
    errors: list[RowError] = []
    rows = text.splitlines()
    reader = csv.reader(rows, delimiter=m.delimiter)
    c = m.columns
    c_acc, c_amt, c_date = c["account"], c["amount"], c["date"]
    c_per, c_payer, c_purp, c_rec, c_srv = (c.get(k, 0) for k in ("period", "payer", "purpose", "receipt", "service"))
    header: RegistryHeader | None = None
    lines: list[RegistryLine] = []
    footer: tuple[int, list[str]] | None = None
    last = 0
    for i, fields in enumerate(reader, start=1):
        if i <= m.skip_lines or not fields or not any(f.strip() for f in fields):
            continue
        last = i
        first = fields[0].strip()
        if footer is not None:
            errors.append(RowError(file_name, i, "строка после итоговой строки"))
            continue
        if m.header_marker and first == m.header_marker:
            if header is not None or lines:
                errors.append(RowError(file_name, i, "заголовок реестра не в начале файла"))
                continue
            header, errs = _header(fields, m, file_name, i)
            errors.extend(errs)
            continue
        if m.footer_marker and first == m.footer_marker:
            footer = (i, fields)
            continue
        if m.header_marker and header is None and not lines:
            errors.append(RowError(file_name, i, f"нет заголовка реестра «{m.header_marker};…» в первой строке"))
        acc = _cell(fields, c_acc)
        try:
            amount = parse_kop(_cell(fields, c_amt))
            if amount <= 0:
                raise ValueError(f"сумма должна быть больше нуля: «{_cell(fields, c_amt)}»")
        except ValueError as exc:
            errors.append(RowError(file_name, i, str(exc), "сумма"))
            continue
        try:
            day = parse_date(_cell(fields, c_date))
        except ValueError as exc:
            errors.append(RowError(file_name, i, str(exc), "дата"))
            continue
        period = None
        if c_per and _cell(fields, c_per):
            try:
                period = parse_month(_cell(fields, c_per))
            except ValueError as exc:
                errors.append(RowError(file_name, i, str(exc), "период"))
                continue
        if not acc:
            errors.append(RowError(file_name, i, "пустой лицевой счёт", "лицевой счёт"))
            continue
        lines.append(RegistryLine(i, acc, amount, day, period, _cell(fields, c_payer), _cell(fields, c_purp),
                                  _cell(fields, c_rec), _cell(fields, c_srv) or None if c_srv else None))
    total = sum(ln.amount_kop for ln in lines)
    if m.footer_marker:
        if footer is None:
            errors.append(RowError(file_name, last, f"файл оборван после строки {last}: нет итоговой строки "
                                                    f"«{m.footer_marker};…»"))
        else:
            row, fields = footer
            if m.footer_count:
                try:
                    n = int(_cell(fields, m.footer_count))
                    if n != len(lines) and not errors:
                        errors.append(RowError(file_name, row, f"в итоговой строке {n} платежей, а в реестре {len(lines)}"))
                except ValueError:
                    errors.append(RowError(file_name, row, f"не число строк: «{_cell(fields, m.footer_count)}»"))
            if m.footer_total:
                try:
                    want = parse_kop(_cell(fields, m.footer_total))
                    if want != total and not errors:
                        errors.append(RowError(file_name, row, f"контрольная сумма {format_rub(want)} ≠ сумме строк "
                                                               f"{format_rub(total)}"))
                except ValueError as exc:
                    errors.append(RowError(file_name, row, f"контрольная сумма: {exc}"))
    if not lines and not errors:
        errors.append(RowError(file_name, max(last, 1), "в реестре нет ни одного платежа"))
    if errors:
        return None, errors
    table = pa.Table.from_pylist([ln.__dict__ for ln in lines], schema=LINE_SCHEMA)
    return Registry(file_name, header, table, total), []


def looks_like(data: bytes) -> bool:
    text, _ = decode(data[:200])
    return text.lstrip().startswith("РЕЕСТР;")
