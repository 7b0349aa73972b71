"""`sbyt balance ACCOUNT`: the account's turnover in a period and its debts by month and service."""

from __future__ import annotations

import typer

import sbyt.calc.penalty_explain  # noqa: F401  (registers the explain formatter of penalty lines)
from sbyt.console.cli import common
from sbyt.core import balance as bal
from sbyt.core.labels import label
from sbyt.core.money import format_rub, rub
from sbyt.core.period import open_period
from sbyt.core.periods import period_label


def register(app: typer.Typer) -> None:
    @app.command("balance", help="Сальдо лицевого счёта: обороты за период (сальдо на начало, начислено, "
                                 "перерасчёт, пени, оплачено, прочее, сальдо на конец) и долг по месяцам и услугам.")
    def balance(
        account: str = typer.Argument(..., help="Лицевой счёт (10 цифр)."),
        period: str = typer.Option(None, "--period", help="Период ГГГГ-ММ (по умолчанию открытый)."),
        fmt: common.Fmt = common.FORMAT_OPTION,
    ) -> None:
        with common.store(read_only=True) as st:
            p = common.period_arg(period) or open_period(st)
            t = bal.turnover(st, account, p)
            rows = bal.debts(st, account)
        money = (lambda v: format_rub(v)) if fmt is common.Fmt.table else rub
        if fmt is common.Fmt.table:
            common.emit(["Период", "Сальдо на начало", "Начислено", "Перерасчёт", "Пени", "Оплачено", "Прочее",
                         "Сальдо на конец"],
                        [(period_label(p), *map(money, (t.opening_kop, t.accrued_kop, t.recalculated_kop,
                                                         t.penalty_kop, t.paid_kop, t.other_kop, t.closing_kop)))],
                        fmt, title=f"Лицевой счёт {account}: обороты")
        common.emit(["Месяц", "Услуга", "Начислено", "Оплачено", "Долг (+) / аванс (−)"],
                    [(period_label(r[0]), label("service", r[1]), money(r[2]), money(r[3]), money(r[4]))
                     for r in rows if r[2] or r[3] or r[4]],
                    fmt, title=f"Лицевой счёт {account}: по месяцам и услугам")
