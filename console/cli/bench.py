"""`sbyt bench`: time one full monthly run on a demo store against a DuckDB baseline."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from sbyt.calc.bench import run_bench
from sbyt.console.cli import common
from sbyt.console.progress import stage_progress
from sbyt.core.periods import period_label
from sbyt.reports.table import Column, Table

STAGES = {"gather": "сбор данных", "volumes": "объёмы", "odn": "ОДН", "amounts": "суммы", "penalty": "пени",
          "recalc": "перерасчёты", "legal": "юридические лица", "write": "запись"}
LEGAL_STAGES = {"gather": "сбор данных", "lines": "ядро и строки", "recalc": "перерасчёты", "penalty": "пени",
                "write": "запись"}


class BenchFmt(str, Enum):
    table = "table"
    json = "json"


def _dec(value: Any, places: int) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def bench_tables(r: dict[str, Any]) -> dict[str, Table]:
    """The result of `run_bench` as two tables for the terminal: the run as a whole, and its stages."""
    run_s = r["run_s"]
    per_s = Decimal(round(r["accounts"] / run_s)) if run_s else None
    summary = [            # counts as Decimal: grouped like the other numbers («1 000 000»)
        ("Лицевых счетов", Decimal(r["accounts"]), ""),
        ("Строк начислений", Decimal(r["lines"]), f"записано за {period_label(r['period'])}"),
        ("Расчёт, с", _dec(run_s, 3), "полный месячный расчёт открытого месяца"),
        ("Базовая линия DuckDB, с", _dec(r["baseline_s"], 3),
         "DuckDB читает те же входные данные и пишет столько же строк"),
        ("Расчёт / базовая линия, раз", _dec(r["ratio"], 2),
         "во сколько раз расчёт дольше базовой линии (1 — вровень с DuckDB)"),
        ("ЛС в секунду", per_s, "лицевых счетов / время расчёта"),
        ("Пик памяти, МБ", _dec(r["peak_rss_mb"], 1), "наибольший размер процесса в памяти (RSS)"),
        ("Предел памяти DuckDB", r["duckdb_memory_limit"] or "не задан", "--memory-limit"),
        ("Построение демо-базы, с", _dec(r["build_s"], 1), "пусто — взята готовая база (--keep)"),
        ("Ядер процессора", r["cpus"], ""),
    ]
    text = [Column("name", "Показатель", "text"), Column("value", "Значение", "auto"),
            Column("note", "Что это", "text")]
    stages = [(STAGES.get(k, k), _dec(s, 3), _dec(r["stages_cpu"].get(k), 3),
               _dec(100 * s / run_s, 1) if run_s else None, _dec(r["stages_peak_rss_mb"].get(k), 1))
              for k, s in r["stages"].items()]
    stage_cols = [Column("stage", "Этап", "text"), Column("s", "Время, с", "number"),
                  Column("cpu", "Время ЦП, с", "number"), Column("share", "Доля расчёта, %", "number"),
                  Column("rss", "Пик памяти после этапа, МБ", "number")]
    legal = r.get("legal") or {}
    legal_rows = [("Точек поставки ЮЛ", Decimal(legal.get("points", 0)), "рассчитано в месяце"),
                  ("Из них почасовых", Decimal(legal.get("hourly_points", 0)), "с данными АСКУЭ"),
                  ("Часовых значений", Decimal(legal.get("hours", 0)), "точки × часы месяца"),
                  ("Строк начислений ЮЛ", Decimal(legal.get("lines", 0)), ""),
                  ("Юридические лица, с", _dec(legal.get("s"), 3), "вся часть ЮЛ: этап «legal» и запись")]
    legal_rows += [(f"  {LEGAL_STAGES.get(k, k)}, с", _dec(v, 3), "") for k, v in legal.get("stages", {}).items()]
    return {"summary": Table(f"sbyt bench: {r['accounts']:,} ЛС".replace(",", "\u00a0"), text, summary),
            "stages": Table("Этапы расчёта", stage_cols, stages),
            "legal": Table("Юридические лица", text, legal_rows)}


bench_app = typer.Typer(name="bench", invoke_without_command=True,
                        help="Замер производительности: построить (или с --keep взять готовую) демо-базу, "
                             "выполнить полный месячный расчёт по этапам и базовую линию DuckDB (чтение тех же "
                             "данных и запись того же числа строк). JSON — одним объектом в последней строке. "
                             "«sbyt bench serve» — замер сервера с многими клиентами.")


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app)

    @bench_app.callback()
    def bench(
        ctx: typer.Context,
        accounts: int = typer.Option(100_000, "--accounts", "-n", min=100, help="Число лицевых счетов демо-базы."),
        db: str = typer.Option("bench.duckdb", "--db", metavar="PATH", help="Файл демо-базы для замера."),
        keep: bool = typer.Option(False, "--keep", help="Не перестраивать демо-базу, если файл уже есть."),
        memory_limit: str = typer.Option("4GB", "--memory-limit", metavar="SIZE",
                                         help="Предел памяти DuckDB на время замера (например 4GB)."),
        fmt: BenchFmt = typer.Option(BenchFmt.table, "--format", "-f", help="Формат вывода: table или json."),
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        with stage_progress("Замер") as tick:
            result = run_bench(Path(db), accounts, keep=keep, progress=tick, memory_limit=memory_limit)
        if fmt is BenchFmt.json:
            print(json.dumps(result, ensure_ascii=False))
            return
        common.emit_tables(bench_tables(result), common.Fmt.table)


@bench_app.command("docs", help="Замер документов юридических лиц: «sbyt docs issue» по всем договорам "
                                "демо-базы за месяц (акт и счёт-фактура, счета на окончательный расчёт и пени, "
                                "авансовые и корректировочные) и печать выписанного в один PDF. Замер идёт на копии "
                                "базы, в которой открытый месяц юридических лиц проведён и закрыт; копия затем "
                                "удаляется.")
def bench_docs(
    accounts: int = typer.Option(1_000_000, "--accounts", "-n", min=100, help="Число лицевых счетов демо-базы."),
    db: str = typer.Option("bench.duckdb", "--db", metavar="PATH", help="Файл демо-базы для замера."),
    keep: bool = typer.Option(False, "--keep", help="Не перестраивать демо-базу, если файл уже есть."),
    print_limit: int = typer.Option(20_000, "--print", min=0, help="Сколько документов печатать (0 — все)."),
    fmt: BenchFmt = typer.Option(BenchFmt.table, "--format", "-f", help="Формат вывода: table или json."),
) -> None:
    from sbyt.calc.bench import build
    from sbyt.reports.bench_docs import run_docs_bench

    path = Path(db)
    with stage_progress("Замер документов") as tick:
        if not (keep and path.exists()):
            tick("демо-регион", 0.0)
            build(path, accounts, 7)
        r = run_docs_bench(path, print_limit=print_limit or None, progress=tick)
    if fmt is BenchFmt.json:
        print(json.dumps(r, ensure_ascii=False))
        return
    rows = [("Период", period_label(r["period"]), "месяц, закрытый на копии базы"),
            ("Договоров", Decimal(r["contracts"]), "подписанных"),
            ("Документов выписано", Decimal(r["documents"]), ", ".join(f"{k}: {v}" for k, v in r["kinds"].items())),
            ("Строк документов", Decimal(r["lines"]), ""),
            ("Выписка, с", _dec(r["issue_s"], 2), "sbyt docs issue целиком, с записью книг"),
            ("Пик памяти выписки, МБ", _dec(r["issue_peak_rss_mb"], 1), "процесс (RSS)"),
            ("Напечатано документов", Decimal(r["printed_documents"]), f"чтение {r['load_s']:.2f} с"),
            ("Страниц", Decimal(r["pages"]), f"PDF {r['pdf_mb']} МБ"),
            ("Печать, с", _dec(r["print_s"], 2), ""),
            ("Страниц в секунду", _dec(r["pages_per_s"], 1), "")]
    cols = [Column("name", "Показатель", "text"), Column("value", "Значение", "auto"), Column("note", "Что это", "text")]
    common.emit_tables({"summary": Table("sbyt bench docs", cols, rows)}, common.Fmt.table)


@bench_app.command("debt", help="Замер ПИР: отбор должников-граждан со всеми условиями «Работы с должниками» "
                                "сразу, широкий отбор (от двух неоплаченных месяцев) и запуск ПИР по N из них. "
                                "Замер идёт на копии базы; копия затем удаляется.")
def bench_debt(
    accounts: int = typer.Option(1_000_000, "--accounts", "-n", min=100, help="Число лицевых счетов демо-базы."),
    db: str = typer.Option("bench.duckdb", "--db", metavar="PATH", help="Файл демо-базы для замера."),
    keep: bool = typer.Option(False, "--keep", help="Не перестраивать демо-базу, если файл уже есть."),
    start: int = typer.Option(10_000, "--start", min=1, help="По скольким должникам начать ПИР."),
    fmt: BenchFmt = typer.Option(BenchFmt.table, "--format", "-f", help="Формат вывода: table или json."),
) -> None:
    from sbyt.calc.bench import build
    from sbyt.core import clock
    from sbyt.reports.bench_debt import run_debt_bench

    path = Path(db)
    with stage_progress("Замер ПИР") as tick:
        if not (keep and path.exists()):
            tick("демо-регион", 0.0)
            build(path, accounts, 7)
        r = run_debt_bench(path, clock.today(), start=start, progress=tick)
    if fmt is BenchFmt.json:
        print(json.dumps(r, ensure_ascii=False))
        return
    rows = [("Лицевых счетов", Decimal(r["accounts"]), f"на {r['as_of']}"),
            ("Отбор со всеми условиями, с", _dec(r["every_filter_s"], 3), f"найдено {r['every_filter_found']}"),
            ("Широкий отбор, с", _dec(r["broad_s"], 3), f"найдено {r['broad_found']} (от двух месяцев)"),
            ("Начато дел", Decimal(r["started"]), f"месяцев долга {r['case_months']}, задач {r['tasks']}"),
            ("Запуск ПИР, с", _dec(r["start_s"], 3), "sbyt debt start целиком"),
            ("Пик памяти, МБ", _dec(r["peak_rss_mb"], 1), "процесс (RSS)")]
    cols = [Column("name", "Показатель", "text"), Column("value", "Значение", "auto"), Column("note", "Что это", "text")]
    common.emit_tables({"summary": Table("sbyt bench debt", cols, rows)}, common.Fmt.table)


@bench_app.command("readings", help="Замер загрузки АСКУЭ: месяц файлов 80020 (по файлу на день, получасовые "
                                    "интервалы) для POINTS приборов учёта ЮЛ демо-базы загружается командой "
                                    "«sbyt readings import» в отдельном процессе; затем поиск контрагента по ИНН. "
                                    "Загруженные замером пакеты затем удаляются: база остаётся пригодной для замеров.")
def bench_readings(
    accounts: int = typer.Option(1_000_000, "--accounts", "-n", min=100, help="Число лицевых счетов демо-базы."),
    db: str = typer.Option("bench.duckdb", "--db", metavar="PATH", help="Файл демо-базы для замера."),
    keep: bool = typer.Option(False, "--keep", help="Не перестраивать демо-базу, если файл уже есть."),
    points: int = typer.Option(5000, "--points", min=1, help="Число точек учёта в файлах 80020."),
    fmt: BenchFmt = typer.Option(BenchFmt.table, "--format", "-f", help="Формат вывода: table или json."),
) -> None:
    from sbyt.calc.bench import build
    from sbyt.io.askue_bench import run_readings_bench

    path = Path(db)
    with stage_progress("Замер загрузки АСКУЭ") as tick:
        if not (keep and path.exists()):
            tick("демо-регион", 0.0)
            build(path, accounts, 7)
        r = run_readings_bench(path, points, progress=tick)
    if fmt is BenchFmt.json:
        print(json.dumps(r, ensure_ascii=False))
        return
    rows = [("Период", period_label(r["period"]), "открытый месяц демо-базы"),
            ("Точек учёта", Decimal(r["points"]), "в каждом файле, канал 01 (активная, приём)"),
            ("Файлов 80020", Decimal(r["files"]), "по файлу на день"),
            ("Объём файлов, МБ", _dec(r["mb"], 1), ""),
            ("Получасовых интервалов", Decimal(r["intervals"]), ""),
            ("Записано часов", Decimal(r["hours"]), "строк почасовых объёмов"),
            ("Загрузка, с", _dec(r["import_s"], 2), "sbyt readings import всех файлов целиком"),
            ("Пик памяти загрузки, МБ", _dec(r["peak_rss_mb"], 1), "наибольший процесс (RSS)"),
            ("Контрагентов", Decimal(r["counterparties"]), ""),
            ("Поиск по ИНН, медиана, мс", _dec(r["search_ms_median"], 2), f"из {r['searches']} поисков"),
            ("Поиск по ИНН, максимум, мс", _dec(r["search_ms_max"], 2), "")]
    cols = [Column("name", "Показатель", "text"), Column("value", "Значение", "auto"), Column("note", "Что это", "text")]
    common.emit_tables({"summary": Table("sbyt bench readings", cols, rows)}, common.Fmt.table)
