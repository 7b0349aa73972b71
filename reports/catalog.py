"""The report catalog: one `.sql` file per report in `sbyt.sql.reports`, header + one query.

The header (format documented in docs/reports.md) is the leading block of `--` comment lines:

    -- name: accruals_by_service
    -- title: Начисления за период по услугам
    -- description: Объём и сумма начислений …
    --   (continuation lines start with `--` and at least two spaces)
    -- param period: period = current | Период
    -- column service: text | Услуга
    -- column amount_rub: money total | Начислено, руб.

Each file is read and checked once per process (`catalog()` is cached): the header parses, the
body is one read-only query (`sbyt.reports.sqlguard.check`), the `$name` parameters it uses are
exactly the declared ones and its output columns are exactly the declared columns, in order.
A broken file is reported in `Catalog.errors` (and fails the catalog test), never at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from sqlglot import exp

from sbyt.core.errors import NotFoundError, SbytError
from sbyt.reports import sqlguard
from sbyt.reports.params import PARAM_TYPES, Param
from sbyt.reports.table import COLUMN_FORMATS, Column

PACKAGE = "sbyt.sql.reports"

_IDENT = r"[a-z_][a-z0-9_]*"
_KEY_LINE = re.compile(r"^--\s?(name|title|description|example):\s*(.*)$")
_PARAM_LINE = re.compile(rf"^--\s?param\s+({_IDENT})\s*:\s*([a-z]+)\s*(?:=\s*([^|]*?))?\s*\|\s*(.+?)\s*$")
_COLUMN_LINE = re.compile(rf"^--\s?column\s+({_IDENT})\s*:\s*([a-z]+)((?:\s+[a-z]+)*)\s*\|\s*(.+?)\s*$")
_CONTINUATION = re.compile(r"^--\s{2,}(\S.*)$")
_NAME = re.compile(rf"^{_IDENT}$")


class ReportFileError(SbytError):
    """A catalog file that does not follow the header format or whose query fails a check."""


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    sql: str                      # the whole file text: DuckDB ignores the comment header
    source: str                   # file name, for messages
    example: tuple[tuple[str, str], ...] = ()   # sample parameter values (docs, `show`, tests)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "нет"
        raise SbytError(f"У отчёта {self.name} нет параметра «{name}» (параметры: {known}).")


@dataclass
class Catalog:
    reports: dict[str, Report] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def get(self, name: str) -> Report:
        try:
            return self.reports[name]
        except KeyError:
            raise NotFoundError(f"Отчёт «{name}» не найден. Список отчётов: sbyt report list.") from None


def parse_report(text: str, source: str) -> Report:
    """One catalog file -> `Report`, or `ReportFileError` naming the file and line."""
    stem = Path(source).stem
    scalars: dict[str, str] = {}
    params: list[Param] = []
    columns: list[Column] = []
    last_key: str | None = None

    def fail(lineno: int, message: str) -> ReportFileError:
        return ReportFileError(f"{source}:{lineno}: {message}")

    lines = text.splitlines()
    for lineno, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.startswith("--"):
            break
        if line.strip("- ") == "":
            last_key = None
            continue
        if (m := _CONTINUATION.match(line)) and last_key is not None:
            scalars[last_key] += " " + m.group(1).strip()
            continue
        if m := _KEY_LINE.match(line):
            key, value = m.group(1), m.group(2).strip()
            if key in scalars:
                raise fail(lineno, f"ключ «{key}» повторяется")
            scalars[key] = value
            last_key = key
            continue
        last_key = None
        if m := _PARAM_LINE.match(line):
            name, ptype, default, title = m.groups()
            if ptype not in PARAM_TYPES:
                raise fail(lineno, f"неизвестный тип параметра «{ptype}» (допустимы: {', '.join(PARAM_TYPES)})")
            if any(p.name == name for p in params):
                raise fail(lineno, f"параметр «{name}» объявлен дважды")
            param = Param(name, ptype, title, None if default is None else default.strip())
            try:
                param.check_default()
            except SbytError as exc:
                raise fail(lineno, exc.message) from None
            params.append(param)
            continue
        if m := _COLUMN_LINE.match(line):
            name, fmt, flags, title = m.groups()
            if fmt not in COLUMN_FORMATS:
                raise fail(lineno, f"неизвестный формат колонки «{fmt}» (допустимы: {', '.join(COLUMN_FORMATS)})")
            flag_set = set(flags.split())
            if flag_set - {"total"}:
                raise fail(lineno, f"неизвестный признак колонки: {' '.join(sorted(flag_set - {'total'}))}")
            if any(c.name == name for c in columns):
                raise fail(lineno, f"колонка «{name}» объявлена дважды")
            columns.append(Column(name, title, fmt, "total" in flag_set))
            continue
        raise fail(lineno, f"строка заголовка не по формату: {line!r}")

    for key in ("name", "title"):
        if not scalars.get(key):
            raise fail(1, f"в заголовке нет ключа «{key}:»")
    if scalars["name"] != stem or not _NAME.match(stem):
        raise fail(1, f"name: {scalars['name']} должно совпадать с именем файла ({stem}) и быть из [a-z0-9_]")
    if not columns:
        raise fail(1, "в заголовке нет ни одной строки «-- column …»")

    try:
        tree = sqlguard.check(text)
    except SbytError as exc:
        raise fail(1, exc.message) from None
    used = sqlguard.placeholders(tree)
    if "" in used:
        raise fail(1, "позиционные параметры «?» не допускаются: используйте $имя")
    declared = [p.name for p in params]
    if set(used) != set(declared):
        missing = sorted(set(used) - set(declared))
        unused = sorted(set(declared) - set(used))
        parts = []
        if missing:
            parts.append(f"не объявлены: {', '.join(missing)}")
        if unused:
            parts.append(f"не используются: {', '.join(unused)}")
        raise fail(1, "параметры не совпадают с запросом — " + "; ".join(parts))
    outputs = _output_names(tree)
    if outputs is None:
        raise fail(1, "запрос отчёта должен перечислять колонки явно (без *)")
    if outputs != [c.name for c in columns]:
        raise fail(1, f"колонки запроса {outputs} не совпадают с объявленными {[c.name for c in columns]}")
    example = _parse_example(scalars.get("example", ""), params, fail)
    return Report(stem, scalars["title"], scalars.get("description", ""), tuple(params), tuple(columns),
                  text, source, example)


def _parse_example(text: str, params: list[Param], fail) -> tuple[tuple[str, str], ...]:  # noqa: ANN001
    """`-- example: building=B1 period=2026-11`: each a declared parameter with a valid value."""
    pairs = []
    by_name = {p.name: p for p in params}
    for item in text.split():
        name, sep, value = item.partition("=")
        if not sep or name not in by_name:
            raise fail(1, f"example: «{item}» — не «параметр=значение» объявленного параметра")
        try:
            by_name[name].parse(value)
        except SbytError as exc:
            raise fail(1, f"example: {exc.message}") from None
        pairs.append((name, value))
    return tuple(pairs)


def _output_names(tree: exp.Expression) -> list[str] | None:
    select = tree
    while isinstance(select, (exp.SetOperation, exp.Subquery)):
        select = select.this if isinstance(select, exp.Subquery) else select.left
    if not isinstance(select, exp.Select):
        return None
    if any(isinstance(e, exp.Star) or (isinstance(e, exp.Column) and isinstance(e.this, exp.Star))
           for e in select.expressions):
        return None
    return [e.alias_or_name for e in select.expressions]


def load_catalog(folder: Path | None = None) -> Catalog:
    """Every `*.sql` of the catalog folder (default: the shipped `sbyt.sql.reports`)."""
    root = resources.files(PACKAGE) if folder is None else folder
    cat = Catalog()
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql"):
            continue
        try:
            report = parse_report(entry.read_text(encoding="utf-8"), entry.name)
        except ReportFileError as exc:
            cat.errors.append(exc.message)
            continue
        cat.reports[report.name] = report
    return cat


@cache
def catalog() -> Catalog:
    """The shipped catalog, loaded and checked once per process."""
    return load_catalog()
