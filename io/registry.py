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
import tomllib
from dataclasses import dataclass, field
from datetime import date

from sbyt.core.errors import RowError
from sbyt.core.money import format_rub
from sbyt.io.payment_text import decode, parse_date, parse_kop, parse_month

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
    file_name: str
    header: RegistryHeader | None
    lines: tuple[RegistryLine, ...]
    total_kop: int


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
    m = mapping or RegistryMapping()
    if m.encoding == "auto":
        text, _ = decode(data)
    else:
        text = data.decode(m.encoding, errors="replace")
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
            h = m.header
            try:
                header = RegistryHeader(
                    agent_inn=_cell(fields, h.get("agent_inn", 0)), agent_name=_cell(fields, h.get("agent_name", 0)),
                    number=_cell(fields, h.get("number", 0)),
                    reg_date=parse_date(_cell(fields, h["date"])) if _cell(fields, h.get("date", 0)) else None,
                    transfer_no=_cell(fields, h.get("transfer_no", 0)),
                    transfer_date=(parse_date(_cell(fields, h["transfer_date"]))
                                   if _cell(fields, h.get("transfer_date", 0)) else None),
                )
            except ValueError as exc:
                errors.append(RowError(file_name, i, f"заголовок: {exc}"))
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
    return Registry(file_name, header, tuple(lines), total), []


def looks_like(data: bytes) -> bool:
    text, _ = decode(data[:200])
    return text.lstrip().startswith("РЕЕСТР;")
