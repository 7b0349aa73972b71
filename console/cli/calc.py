"""`sbyt calc [PERIOD]`: calculate the open month (rerunnable)."""

from __future__ import annotations

import typer

from sbyt.calc.close import draft_totals
from sbyt.calc.pipeline import calculate
from sbyt.console.cli import common
from sbyt.console.progress import stage_progress
from sbyt.core.periods import period_label
from sbyt.core.money import format_rub


def register(app: typer.Typer) -> None:
    @app.command("calc", help="Рассчитать открытый месяц: объёмы (по показаниям, среднему, нормативу), ОДН, "
                              "суммы, пени и автоматические перерасчёты закрытых месяцев. Можно повторять: "
                              "черновые строки месяца заменяются (ручные перерасчёты сохраняются).")
    def calc(period: str = typer.Argument(None, metavar="PERIOD",
                                          help="Месяц ГГГГ-ММ (только открытый; по умолчанию — открытый).")) -> None:
        with common.store() as st:
            with stage_progress("Расчёт") as tick:
                ctx = calculate(st, common.period_arg(period), progress=tick)
            total, lines = draft_totals(st, ctx.period)
        common.err(f"Период {period_label(ctx.period)} рассчитан: строк {lines}, начислено "
                   f"{format_rub(total, currency=True)}.")
