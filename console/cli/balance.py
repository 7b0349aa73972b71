"""`sbyt balance ACCOUNT`: the account's turnover in a period and its debts by month and service."""

from __future__ import annotations

import typer

import sbyt.calc.penalty_explain  # noqa: F401  (registers the explain formatter of penalty lines)
from sbyt.console.cli import common
from sbyt.core import balance as bal
from sbyt.core.money import rub
from sbyt.core.period_state import open_period


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
        money = common.money
        turnover = common.table(
            [common.month("Период"), money("Сальдо на начало"), money("Начислено"), money("Перерасчёт"), money("Пени"),
             money("Оплачено"), money("Прочее"), money("Сальдо на конец")],
            [(p, *map(rub, (t.opening_kop, t.accrued_kop, t.recalculated_kop, t.penalty_kop, t.paid_kop,
                            t.other_kop, t.closing_kop)))],
            title=f"Лицевой счёт {account}: обороты")
        debts = common.table(
            [common.month("Месяц"), "Услуга", money("Начислено"), money("Оплачено"), money("Долг (+) / аванс (−)")],
            [(r[0], r[1], rub(r[2]), rub(r[3]), rub(r[4])) for r in rows if r[2] or r[3] or r[4]],
            title=f"Лицевой счёт {account}: по месяцам и услугам", codes={"Услуга": "service"})
        common.emit_tables({"обороты": turnover, "по месяцам и услугам": debts}, fmt)
