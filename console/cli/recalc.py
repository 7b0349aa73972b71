"""`sbyt recalc add`: a manual recalculation line in the open month."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import typer

from sbyt.calc.recalc import add_manual, line_summary
from sbyt.console.cli import common
from sbyt.core.errors import SbytError
from sbyt.core.periods import period_label
from sbyt.core.money import format_rub

recalc = typer.Typer(name="recalc", help="Перерасчёты: ручной перерасчёт по лицевому счёту "
                                         "(автоматические делает «sbyt calc»).", no_args_is_help=True)


def _decimal(text: str | None, what: str) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text.strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise SbytError(f"{what}: не число «{text}»") from None


@recalc.command("add", help="Добавить ручной перерасчёт в открытый месяц: сумму (± рубли) или объём (± кВт·ч, "
                            "по одноставочному тарифу счёта в исправляемом месяце) с обязательной причиной.")
def add(
    account: str = typer.Argument(..., metavar="ACCOUNT", help="Номер лицевого счёта."),
    amount: str = typer.Option(None, "--amount", metavar="RUB", help="Сумма перерасчёта, ₽ (минус — снятие)."),
    volume: str = typer.Option(None, "--volume", metavar="KWH", help="Объём перерасчёта, кВт·ч (минус — снятие)."),
    reason: str = typer.Option(None, "--reason", metavar="TEXT", help="Причина (печатается в ЕПД и в «sbyt explain»)."),
    for_period: str = typer.Option(None, "--for-period", metavar="PERIOD",
                                   help="Исправляемый месяц ГГГГ-ММ (по умолчанию — открытый)."),
) -> None:
    with common.store() as st:
        line_id = add_manual(st, account, amount=_decimal(amount, "--amount"),
                             volume_kwh=_decimal(volume, "--volume"), reason=reason or "",
                             for_period=common.period_arg(for_period))
        amount_kop, fp, period = line_summary(st, line_id)
    common.err(f"Перерасчёт по ЛС {account} за {period_label(fp)} добавлен в {period_label(period)}: "
               f"{format_rub(amount_kop, currency=True)}.")


def register(app: typer.Typer) -> None:
    app.add_typer(recalc)
