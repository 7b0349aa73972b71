"""Running catalog reports and ad-hoc SQL on a connection that cannot write.

`open_read_only` is the second lock behind `sbyt.reports.sqlguard`: the store file opened
read-only, external access (files, network, extensions) disabled and the configuration locked,
so even a query the guard missed can neither change the store nor read anything outside it.
"""

from __future__ import annotations

import os
from typing import Any

import duckdb

from sbyt.core.errors import SbytError
from sbyt.core.store import open_store, resolve_db_path
from sbyt.reports import sqlguard
from sbyt.reports.catalog import Report
from sbyt.reports.params import resolve
from sbyt.reports.table import Column, Table

READ_ONLY_CONFIG: dict[str, Any] = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}


def open_read_only(db: str | os.PathLike[str] | None) -> duckdb.DuckDBPyConnection:
    """The store for reading only; missing file and schema checks as in `open_store`."""
    open_store(db, read_only=True).close()
    path = resolve_db_path(db)
    try:
        return duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))
    except duckdb.Error as exc:
        raise SbytError(f"Не удалось открыть базу {path} только для чтения: {exc}") from None


def run_report(con: duckdb.DuckDBPyConnection, report: Report, given: dict[str, str] | None = None) -> Table:
    """Execute a catalog report with operator parameters (text by name) -> `Table`."""
    values = resolve(report.params, given or {}, con)
    try:
        cur = con.execute(report.sql, values) if values else con.execute(report.sql)
        rows = cur.fetchall()
    except duckdb.Error as exc:
        raise SbytError(f"Отчёт {report.name} не выполнен: {_first_line(exc)}") from None
    names = [d[0] for d in cur.description]
    expected = [c.name for c in report.columns]
    if names != expected:  # the catalog test checks this statically; kept as a last guard
        raise SbytError(f"Отчёт {report.name}: колонки результата {names} не совпадают с объявленными {expected}")
    shown = [(p.title, p.display(values[p.name])) for p in report.params]
    return Table(report.title, list(report.columns), rows, shown, report.name)


def run_sql(con: duckdb.DuckDBPyConnection, sql: str) -> Table:
    """Ad-hoc SQL: refused unless provably read-only, then run -> `Table` (auto formats)."""
    sqlguard.check(sql)
    try:
        cur = con.execute(sql)
        rows = cur.fetchall()
    except duckdb.Error as exc:
        raise SbytError(f"Запрос не выполнен: {_first_line(exc)}") from None
    columns = [Column(d[0], d[0], _format_of_type(str(d[1]))) for d in cur.description]
    return Table(None, columns, rows, [], "query")


def _format_of_type(type_name: str) -> str:
    t = type_name.upper()
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "datetime"
    return "auto"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
