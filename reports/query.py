"""Running catalog reports and ad-hoc SQL on a connection that cannot write.

`open_read_only` is the second lock behind `sbyt.reports.sqlguard`: the store file opened
read-only, external access (files, network, extensions) disabled and the configuration locked,
so even a query the guard missed can neither change the store nor read anything outside it.
"""

from __future__ import annotations

import os
from dataclasses import replace
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
}


def open_read_only(db: str | os.PathLike[str] | None) -> duckdb.DuckDBPyConnection:
    """The store for reading only; missing file and schema checks as in `open_store`."""
    open_store(db, read_only=True).close()
    path = resolve_db_path(db)
    try:
        con = duckdb.connect(str(path), read_only=True, config=dict(READ_ONLY_CONFIG))
        # DuckDB's query progress bar would write into our output; then nothing may be changed
        con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
        return con
    except duckdb.Error as exc:
        raise SbytError(f"Не удалось открыть базу {path} только для чтения: {exc}") from None


def run_report(con: duckdb.DuckDBPyConnection, report: Report, given: dict[str, str] | None = None) -> Table:
    """Execute a catalog report with operator parameters (text by name) -> `Table`."""
    values = resolve(report.params, given or {}, con)
    try:
        names, scales, rows = fetch(con, report.sql, values)
    except duckdb.Error as exc:
        raise SbytError(f"Отчёт {report.name} не выполнен: {_first_line(exc)}") from None
    expected = [c.name for c in report.columns]
    if names != expected:  # the catalog test checks this statically; kept as a last guard
        raise SbytError(f"Отчёт {report.name}: колонки результата {names} не совпадают с объявленными {expected}")
    columns = [replace(c, scale=s) for c, s in zip(report.columns, scales)]
    shown = [(p.title, p.display(values[p.name])) for p in report.params]
    return Table(report.title, columns, rows, shown, report.name)


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None,
          ) -> tuple[list[str], list[int | None], list[tuple[Any, ...]]]:
    """Run a query through Arrow: (column names, DECIMAL scales, rows).

    DECIMAL columns that fit in 64 bits come back as their unscaled integers (kopecks for
    DECIMAL(18,2)) with the scale beside them: building a million Python Decimals costs seconds,
    ints cost nothing, and the renderers format them exactly (`sbyt.reports.render.numbers`).
    """
    import numpy as np
    import pyarrow as pa

    rel = con.sql(sql, params=params) if params else con.sql(sql)
    if rel is None:
        raise SbytError("Запрос не вернул таблицу.")
    arrow = rel.to_arrow_table()
    names = list(arrow.column_names)
    scales: list[int | None] = []
    columns: list[list[Any]] = []
    for field, chunked in zip(arrow.schema, arrow.columns):
        if pa.types.is_decimal128(field.type) and field.type.precision <= 18:
            arr = chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
            words = np.frombuffer(arr.buffers()[1], dtype=np.int64, count=2 * (arr.offset + len(arr)))
            ints = words[2 * arr.offset::2].tolist()       # low 64 bits of each int128 (little-endian)
            if arr.null_count:
                valid = arr.is_valid().to_numpy(zero_copy_only=False)
                ints = [v if ok else None for v, ok in zip(ints, valid)]
            scales.append(field.type.scale)
            columns.append(ints)
        else:
            scales.append(None)
            columns.append(chunked.to_pylist())
    return names, scales, list(zip(*columns)) if columns else []


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, *, masked: bool = False) -> Table:
    """Ad-hoc SQL: refused unless provably read-only, then run -> `Table` (auto formats).
    `masked`: the session reads the schema `masked` first; naming another schema is refused.

    A result column that is a store column holding codes, passed through unchanged (also through
    aliases, subqueries and CTEs), carries its labels domain: people read it in Russian, JSON keeps
    the codes (`Table.labelled`).
    """
    tree = sqlguard.check(sql)
    if masked:
        sqlguard.check_unqualified(tree)
    try:
        rel = con.sql(sql)
        types = [str(t) for t in rel.types] if rel is not None else []
        names, scales, rows = fetch(con, sql)
    except duckdb.Error as exc:
        raise SbytError(query_error(exc)) from None
    domains = code_domains(con, tree, names)
    columns = [Column(n, n, _format_of_type(t), scale=s, domain=d)
               for n, t, s, d in zip(names, types, scales, domains)]
    return Table(None, columns, rows, [], "query")


# DuckDB's error classes in the operator's words; the DuckDB text follows on the next lines.
_DUCKDB_ERRORS = {
    "ParserException": "синтаксическая ошибка",
    "BinderException": "неизвестное имя колонки или неверное выражение",
    "CatalogException": "нет такой таблицы, представления или функции",
    "ConversionException": "значение не преобразуется к нужному типу",
    "OutOfRangeException": "значение вне допустимого диапазона",
    "InvalidInputException": "недопустимые входные данные",
    "PermissionException": "действие запрещено",
    "InterruptException": "запрос прерван",
    "OutOfMemoryException": "не хватило памяти",
}


def query_error(exc: duckdb.Error) -> str:
    """«Запрос не выполнен (…). Сообщение DuckDB:» and, below it, DuckDB's own text as it is."""
    what = _DUCKDB_ERRORS.get(type(exc).__name__, "ошибка DuckDB")
    detail = str(exc).strip() or type(exc).__name__
    return f"Запрос не выполнен ({what}). Сообщение DuckDB:\n{detail}"


def code_domains(con: duckdb.DuckDBPyConnection, tree: Any, names: list[str]) -> list[str | None]:
    """For each result column: the labels domain when it is a coded store column passed through
    unchanged (`sbyt.core.labels.COLUMNS`), else None. Best effort: anything unclear is None."""
    from sqlglot import exp
    from sqlglot.lineage import lineage
    from sqlglot.optimizer.qualify import qualify

    from sbyt.core.labels import COLUMNS

    none: list[str | None] = [None] * len(names)
    try:
        schema: dict[str, dict[str, str]] = {}
        for table, column, type_ in con.execute(
                "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main'"
        ).fetchall():
            schema.setdefault(table, {})[column] = type_
        qualified = qualify(tree.copy(), schema=schema, dialect=sqlguard.DIALECT, validate_qualify_columns=False)
        selects = [s.alias_or_name for s in qualified.selects]
        if selects != names:
            return none

        def domain(node: Any) -> str | None:
            inner = node.expression.this if isinstance(node.expression, exp.Alias) else node.expression
            if not isinstance(inner, exp.Column) or not node.downstream:
                return None          # a function or an expression of the code: no longer a code
            found = {COLUMNS.get((d.source.name, inner.name)) if not d.downstream and isinstance(d.source, exp.Table)
                     else domain(d) for d in node.downstream}
            return found.pop() if len(found) == 1 else None

        return [domain(lineage(n, qualified, schema=schema, dialect=sqlguard.DIALECT))
                if names.count(n) == 1 else None for n in names]
    except Exception:  # noqa: BLE001 - labels are a courtesy: a query sqlglot cannot trace keeps its codes
        return none


def _format_of_type(type_name: str) -> str:
    t = type_name.upper()
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "datetime"
    return "auto"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
