"""`sbyt demo`: build the demo region and run the monthly cycle on it."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.console.progress import stage_progress
from sbyt.calc.demo_cycle import run_demo_cycle
from sbyt.core.demo import build_demo, summary


def register(app: typer.Typer) -> None:
    @app.command("demo", help="Построить демонстрационный регион (синтетические, но правдоподобные данные) "
                              "в новой базе и прогнать на нём месячный цикл: расчёт, оплаты, закрытие.")
    def demo(
        accounts: int = typer.Option(20_000, "--accounts", "-n", min=100, help="Число лицевых счетов."),
        seed: int = typer.Option(7, "--seed", help="Зерно генератора: одинаковое зерно — одинаковая база."),
        months: int = typer.Option(11, "--months", min=0, max=11,
                                   help="Сколько месяцев прогнать циклом (расчёт, оплаты, закрытие) до открытого 11.2026."),
        db: str = typer.Option(None, "--db", help="Файл базы (по умолчанию общий --db / $SBYT_DB).", metavar="PATH"),
    ) -> None:
        if db:
            common.STATE.db = db
        with common.store(create=True) as st:
            with stage_progress("Демо-регион") as tick:
                build_demo(st, accounts, seed, months, progress=tick)
            with stage_progress("Месячный цикл") as tick:
                run_demo_cycle(st, months, seed, progress=tick)
            result = summary(st)
        common.err("")
        width = max(len(k) for k in result)
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
