"""`sbyt explain ACCOUNT [--period P]`: every accrual line with its method, formula and the reason of the
method."""

from __future__ import annotations

from decimal import Decimal

import typer

from sbyt.calc.explain import explain as explain_account
from sbyt.console.cli import common
from sbyt.core.periods import period_label
from sbyt.core.money import rub
from sbyt.reports.table import Column


def register(app: typer.Typer) -> None:
    @app.command("explain", help="Расшифровка начислений лицевого счёта за месяц: по каждой строке способ "
                                 "расчёта, почему выбран этот способ, формула с числами, перерасчёты с причинами.")
    def explain(
        account: str = typer.Argument(..., metavar="ACCOUNT", help="Номер лицевого счёта."),
        period: str = typer.Option(None, "--period", metavar="PERIOD", help="Месяц ГГГГ-ММ (по умолчанию — открытый)."),
        fmt: common.Fmt = common.FORMAT_OPTION,
    ) -> None:
        with common.store(read_only=True) as st:
            x = explain_account(st, account, common.period_arg(period))
        columns = ["Услуга", "Способ", "Почему этот способ", common.month("За месяц"), "Расшифровка",
                   Column("Объём, кВт·ч", "Объём, кВт·ч", "kwh"), Column("Сумма, ₽", "Сумма, ₽", "money", total=True),
                   Column("НДС, ₽", "НДС, ₽", "money", total=True)]
        rows = [(line.service, line.method, line.reason,
                 line.for_period,
                 line.text, Decimal(line.volume_wh).scaleb(-3), rub(line.amount_kop), rub(line.vat_kop))
                for line in x.lines]
        common.emit(columns, rows, fmt, title=f"Лицевой счёт {x.account} ({x.holder}), {period_label(x.period)}",
                    codes={"Услуга": "service", "Способ": "accrual_method"})
        if not x.lines:
            common.err("Начислений нет.")
