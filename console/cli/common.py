"""Shared plumbing of the CLI commands: the store from `--db`, stderr messages, tabular output."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import typer

from sbyt.core.errors import SbytError
from sbyt.core.periods import parse_period
from sbyt.core.store import Store, open_store


@dataclass
class _State:
    db: str | None = None


STATE = _State()


class Fmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


FORMAT_OPTION = typer.Option(Fmt.table, "--format", "-f", help="Формат вывода: table, csv или json.")


def store(*, read_only: bool = False, create: bool = False) -> Store:
    return open_store(STATE.db, read_only=read_only, create=create)


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
    if text is None:
        return None
    try:
        return parse_period(text)
    except ValueError as exc:
        raise SbytError(str(exc)) from None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def emit(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: Fmt, title: str | None = None) -> None:
    """Tabular data to stdout as a Rich table, CSV or JSON (one object per row).

    Delegates to the report renderers (`sbyt.reports.render`), so every tabular output of the CLI
    shares their Russian number formats and CSV dialect (';', decimal comma; see docs/reports.md).
    """
    from sbyt.reports import render
    from sbyt.reports.table import Table, auto_columns

    render.write(Table(title, auto_columns(columns, rows), [tuple(r) for r in rows]), fmt.value)
