"""`sbyt sql "SELECT …"`: ad-hoc read-only SQL (guarded by sqlglot, run on a read-only connection)."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.console.cli.report import OutFmt, output
from sbyt.reports.query import run_sql


def register(app: typer.Typer) -> None:
    @app.command("sql", help="Выполнить запрос SELECT к базе только для чтения. Запрос принимается, "
                             "только если проверка доказала, что он ничего не меняет и не обращается "
                             "к файлам и сети; иначе — отказ (код выхода 3).")
    def sql(query: str = typer.Argument(..., help="Текст запроса; «-» — прочитать из stdin."),
            fmt: OutFmt = typer.Option(OutFmt.table, "--format", "-f", help="table, csv, json, xlsx или pdf."),
            out: str = typer.Option(None, "--out", "-o", help="Файл для вывода.")) -> None:
        if query == "-":
            import sys

            query = sys.stdin.read()
        from sbyt.reports.sqlguard import check

        check(query)  # refuse before even opening the store
        with common.read_connection() as (con, masked):
            table = run_sql(con, query, masked=masked)
        output(table, fmt, out)
