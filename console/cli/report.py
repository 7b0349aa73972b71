"""`sbyt report list|show|run`: the report catalog (SQL files in sbyt.sql.reports)."""

from __future__ import annotations

from enum import Enum

import typer

from sbyt.console.cli import common, files
from sbyt.reports import render
from sbyt.reports.catalog import catalog
from sbyt.reports.params import parse_assignments
from sbyt.reports.query import run_report
from sbyt.reports.table import Column, Table


class OutFmt(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    pdf = "pdf"


def _warn_broken() -> None:
    for message in catalog().errors:
        common.err(f"Предупреждение: файл отчёта пропущен — {message}")


def output(table: Table, fmt: OutFmt, out: str | None) -> None:
    """Render to stdout or a file; binary formats without --out go to «<name>.<ext>»."""
    path = render.write(table, fmt.value, out, save=files.write)
    if path is not None:
        common.err(f"Записано: {path}")


def register(app: typer.Typer) -> None:
    sub = typer.Typer(name="report", help="Отчёты: список, описание и формирование "
                                          "(таблица, CSV, JSON, XLSX, PDF).", no_args_is_help=True)

    @sub.command("list", help="Список отчётов: имя и название.")
    def list_(fmt: OutFmt = typer.Option(OutFmt.table, "--format", "-f", help="table, csv, json, xlsx или pdf."),
              out: str = typer.Option(None, "--out", "-o", help="Файл для вывода.")) -> None:
        _warn_broken()
        rows = [(r.name, r.title) for r in catalog().reports.values()]
        table = Table("Отчёты", [Column("name", "Имя", "text"), Column("title", "Название", "text")], rows,
                      name="reports")
        output(table, fmt, out)

    @sub.command("show", help="Описание отчёта: параметры с умолчаниями и колонки.")
    def show(name: str = typer.Argument(..., help="Имя отчёта (sbyt report list).")) -> None:
        r = catalog().get(name)
        lines = [f"{r.name}: {r.title}", ""]
        if r.description:
            lines += [r.description, ""]
        lines.append("Параметры:" if r.params else "Параметров нет.")
        for p in r.params:
            default = "обязательный" if p.required else f"по умолчанию {p.default or '(пусто)'}"
            lines.append(f"  {p.name} ({p.type}, {default}) — {p.title}")
        lines += ["", "Колонки:"]
        for c in r.columns:
            lines.append(f"  {c.name} ({c.format}{', итог' if c.total else ''}) — {c.title}")
        example = dict(r.example)
        lines += ["", f"Запуск: sbyt report run {r.name}"
                  + "".join(f" --param {p.name}={example.get(p.name, '…')}" for p in r.params
                            if p.required or p.name in example)]
        print("\n".join(lines))

    @sub.command("run", help="Сформировать отчёт. XLSX и PDF пишутся в файл --out "
                             "(по умолчанию «<имя отчёта>.xlsx» / «.pdf» в текущем каталоге).")
    def run(name: str = typer.Argument(..., help="Имя отчёта (sbyt report list)."),
            param: list[str] = typer.Option(None, "--param", "-p", help="Параметр имя=значение; можно несколько раз."),
            fmt: OutFmt = typer.Option(OutFmt.table, "--format", "-f", help="table, csv, json, xlsx или pdf."),
            out: str = typer.Option(None, "--out", "-o", help="Файл для вывода (CSV в файл — с BOM для Excel).")) -> None:
        report = catalog().get(name)
        given = parse_assignments(param)
        with common.read_connection() as (con, _masked):
            table = run_report(con, report, given)
        output(table, fmt, out)

    app.add_typer(sub)
