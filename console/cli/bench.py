"""`sbyt bench`: time one full monthly run on a demo store against a DuckDB baseline."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

from sbyt.calc.bench import run_bench
from sbyt.console.cli import common
from sbyt.console.progress import stage_progress


class BenchFmt(str, Enum):
    table = "table"
    json = "json"


def register(app: typer.Typer) -> None:
    @app.command("bench", help="Замер производительности: построить (или с --keep взять готовую) демо-базу, "
                               "выполнить полный месячный расчёт по этапам и базовую линию DuckDB (чтение тех же "
                               "данных и запись того же числа строк). JSON — одним объектом в последней строке.")
    def bench(
        accounts: int = typer.Option(100_000, "--accounts", "-n", min=100, help="Число лицевых счетов демо-базы."),
        db: str = typer.Option("bench.duckdb", "--db", metavar="PATH", help="Файл демо-базы для замера."),
        keep: bool = typer.Option(False, "--keep", help="Не перестраивать демо-базу, если файл уже есть."),
        memory_limit: str = typer.Option("4GB", "--memory-limit", metavar="SIZE",
                                         help="Предел памяти DuckDB на время замера (например 4GB)."),
        fmt: BenchFmt = typer.Option(BenchFmt.table, "--format", "-f", help="Формат вывода: table или json."),
    ) -> None:
        with stage_progress("Замер") as tick:
            result = run_bench(Path(db), accounts, keep=keep, progress=tick, memory_limit=memory_limit)
        if fmt is BenchFmt.json:
            print(json.dumps(result, ensure_ascii=False))
            return
        rows = [(k, v) for k, v in result.items() if k != "stages"]
        rows += [(f"этап: {k}, с", v) for k, v in result["stages"].items()]
        rows += [(f"этап: {k}, с ЦП", v) for k, v in result["stages_cpu"].items()]
        rows += [(f"этап: {k}, пик памяти, МБ", v) for k, v in result["stages_peak_rss_mb"].items()]
        common.emit(["показатель", "значение"], rows, common.Fmt.table, title="sbyt bench")
