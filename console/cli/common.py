"""Shared plumbing of the CLI commands: the store from `--db`, stderr messages, tabular output."""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

import duckdb
import typer

from sbyt.core.errors import SbytError
from sbyt.core.periods import parse_date, parse_period
from sbyt.core.store import Store, open_store
from sbyt.reports.table import Column, Table


@dataclass
class _State:
    db: str | None = None


STATE = _State()


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


FORMAT_OPTION = typer.Option(Fmt.table, "--format", "-f", help="Формат вывода: table, csv или json.")


STORE_FACTORY: contextvars.ContextVar[Callable[[bool], Store] | None] = contextvars.ContextVar(
    "sbyt_store_factory", default=None)
"""Set by `sbyt serve` while it runs a client's command: stores come from the server's connection,
with the client's session, instead of opening the file."""


def store(*, read_only: bool = False, create: bool = False) -> Store:
    factory = STORE_FACTORY.get()
    if factory is not None:
        return factory(read_only)
    return open_store(STATE.db, read_only=read_only, create=create)


@contextmanager
def read_connection() -> Iterator[tuple[duckdb.DuckDBPyConnection, bool]]:
    """A connection for reports and ad-hoc SQL, and whether personal data are masked on it.

    Without a server: the file opened read-only with external access off (`open_read_only`).
    Under the server: a cursor of its connection in a READ ONLY transaction that is rolled back;
    a session without 'pd.read' reads the schema `masked` first (migration 081)."""
    from sbyt.core import access
    from sbyt.reports.query import open_read_only

    factory = STORE_FACTORY.get()
    if factory is None:
        con = open_read_only(STATE.db)
        try:
            yield con, False
        finally:
            con.close()
        return
    st = factory(True)
    try:
        with access.reporting(st) as con:
            yield con, not access.sees_personal_data(st)
    finally:
        st.con.close()


def err(message: str) -> None:
    """A message for the operator: stderr, never mixed with data on stdout."""
    print(message, file=sys.stderr, flush=True)


YES_ANSWERS = frozenset({"д", "да", "y", "yes"})


def confirm(question: str) -> bool:
    """A yes/no question on stderr, answered on stdin: only «д»/«да» (or y/yes) is yes; an empty
    answer or no input at all (a script without `--yes`) is no."""
    sys.stderr.write(f"{question} [д/Н]: ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in YES_ANSWERS


def period_arg(text: str | None) -> int | None:
    """A month given on the command line (ГГГГ-ММ, also ММ.ГГГГ or ГГГГММ), None when not given."""
    if text is None:
        return None
    try:
        return parse_period(text)
    except ValueError as exc:
        raise SbytError(str(exc)) from None


def date_arg(text: str | None) -> date | None:
    """A day given on the command line (ГГГГ-ММ-ДД or ДД.ММ.ГГГГ), None when not given."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise SbytError(str(exc)) from None


def decimal_arg(text: str | None):  # noqa: ANN201 - Decimal | None
    """A number given on the command line, a decimal comma allowed; None when not given."""
    if text is None:
        return None
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise SbytError(f"не число: «{text}»") from None


def code_arg(domain: str, text: str | None, what: str, allowed: tuple[str, ...] | None = None) -> str | None:
    """A code given on the command line as the code or its Russian word (any case, «ё» = «е»)."""
    if text is None:
        return None
    from sbyt.core import labels

    code = labels.parse(domain, text, allowed)
    if code is None:
        raise SbytError(f"{what}: «{text}» — нет такого значения; допустимы: {labels.choices(domain, allowed)}.")
    return code


def money(title: str) -> Column:
    """A money column of `emit`: values are Decimal rubles (`core.money.rub`); grouped in the table,
    a plain number with a decimal comma in CSV, an exact string in JSON."""
    return Column(title, title, "money")


def month(title: str) -> Column:
    """A month column of `emit`: values are YYYYMM integers, shown «11.2026» as in the reports."""
    return Column(title, title, "period")


def table(columns: Sequence[str | Column], rows: Sequence[Sequence[Any]], title: str | None = None,
          codes: dict[str, str] | None = None) -> Table:
    """Tabular data of a command as a report `Table`: plain names become columns whose format is decided
    per value; `money(...)`/`month(...)` columns declare theirs; `codes` names the columns holding codes
    (column -> `sbyt.core.labels` domain): shown as Russian words, kept as codes in JSON."""
    codes = codes or {}
    cols = [c if isinstance(c, Column) else Column(str(c), str(c), "auto", domain=codes.get(str(c))) for c in columns]
    return Table(title, cols, [tuple(r) for r in rows])


def emit(columns: Sequence[str | Column], rows: Sequence[Sequence[Any]], fmt: Fmt, title: str | None = None,
         codes: dict[str, str] | None = None) -> None:
    """Tabular data to stdout as a Rich table, CSV or JSON (one object per row).

    Delegates to the report renderers (`sbyt.reports.render`), so every tabular output of the CLI
    shares their Russian number formats and CSV dialect (';', decimal comma; see docs/reports.md).
    `codes` names the columns holding codes (see `table`). Pass values, not text formatted for the
    eye: money as Decimal rubles in a `money(...)` column.
    """
    emit_tables({"": table(columns, rows, title, codes)}, fmt)


def emit_tables(tables: dict[str, Table], fmt: Fmt) -> None:
    """Several tables of one command: one after another in the terminal and in CSV (an empty line
    between them), one JSON object keyed by the given names (a list of row objects under each)."""
    from sbyt.reports import render
    from sbyt.reports.render import jsonfile

    if fmt is Fmt.json and len(tables) > 1:
        jsonfile.write_many(tables, sys.stdout)
        return
    for i, t in enumerate(tables.values()):
        if i and fmt is Fmt.csv:
            print(flush=True)
        render.write(t, fmt.value)
