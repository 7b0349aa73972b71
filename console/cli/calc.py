"""`sbyt calc [PERIOD]`: calculate the open month (rerunnable)."""

from __future__ import annotations

from enum import Enum

import typer

from sbyt.calc.close import draft_totals, legal_draft_totals
from sbyt.calc.pipeline import calculate
from sbyt.console.cli import common
from sbyt.console.progress import stage_progress
from sbyt.core.periods import period_label
from sbyt.core.money import format_rub


class Side(str, Enum):
    household = "household"
    legal = "legal"


def register(app: typer.Typer) -> None:
    @app.command("calc", help="Рассчитать открытый месяц: граждане — объёмы (по показаниям, среднему, нормативу), "
                              "ОДН, суммы, пени и автоматические перерасчёты закрытых месяцев; юридические лица — "
                              "ценовые категории 1–6, мощность, акты, управляющие организации, пени. Можно "
                              "повторять: черновые строки месяца заменяются (ручные перерасчёты сохраняются).")
    def calc(period: str = typer.Argument(None, metavar="PERIOD",
                                          help="Месяц ГГГГ-ММ (только открытый; по умолчанию — открытый)."),
             only: Side = typer.Option(None, "--only", help="Только граждане (household) или только "
                                                            "юридические лица (legal); строки другой стороны "
                                                            "остаются как были.")) -> None:
        with common.store() as st:
            with stage_progress("Расчёт") as tick:
                ctx = calculate(st, common.period_arg(period), progress=tick, only=only.value if only else None)
            total, lines = draft_totals(st, ctx.period)
            legal_total, legal_vat, legal_lines = legal_draft_totals(st, ctx.period)
        for warning in ctx.warnings:
            common.err(f"Внимание: {warning}")
        common.err(f"Период {period_label(ctx.period)} рассчитан: граждане — строк {lines}, начислено "
                   f"{format_rub(total, currency=True)}; юридические лица — строк {legal_lines}, начислено "
                   f"{format_rub(legal_total, currency=True)} без НДС, НДС {format_rub(legal_vat, currency=True)}.")
