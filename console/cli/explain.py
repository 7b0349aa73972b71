"""`sbyt explain ACCOUNT [--period P]`: every accrual line with its method and formula."""

from __future__ import annotations

import typer

from sbyt.calc.explain import explain as explain_account
from sbyt.console.cli import common


def register(app: typer.Typer) -> None:
    @app.command("explain", help="Расшифровка начислений лицевого счёта за месяц: по каждой строке способ "
                                 "расчёта и формула с числами, перерасчёты с причинами.")
    def explain(
        account: str = typer.Argument(..., metavar="ACCOUNT", help="Номер лицевого счёта."),
        period: str = typer.Option(None, "--period", metavar="PERIOD", help="Месяц ГГГГ-ММ (по умолчанию — открытый)."),
    ) -> None:
        with common.store(read_only=True) as st:
            print(explain_account(st, account, common.period_arg(period)).text())
