"""`sbyt pay ...`: payment imports, the cash desk, the unidentified queue, refunds and transfers."""

from __future__ import annotations

from pathlib import Path

import typer

from sbyt.console.cli import common, files
from sbyt.calc import payments
from sbyt.core.errors import SbytError
from sbyt.core.money import format_rub, kop, rub
from sbyt.core.payments import unidentified as unidentified_payments
from sbyt.io.payments_file import read_payment_file

pay = typer.Typer(name="pay", help="Оплаты: загрузка выписок и реестров, касса, неопознанные платежи, "
                                   "возвраты и переносы.", no_args_is_help=True)


def _amount(text: str) -> int:
    try:
        return kop(text)
    except ValueError as exc:
        raise SbytError(f"Сумма: {exc}") from None


@pay.command("import", help="Загрузить файл платежей: выписку 1С (1CClientBankExchange), выписку Excel, "
                            "реестр платёжного агента или платежи ГИС ЖКХ. Всё или ничего; повторно тот же "
                            "файл не загружается.")
def import_(
    file: str = typer.Argument(..., help="Файл платежей."),
    fmt: str = typer.Option("auto", "--format", help="Формат: auto, 1c, xlsx, registry, gis."),
    mapping: str = typer.Option(None, "--mapping", help="Файл сопоставления колонок (TOML).", metavar="FILE"),
) -> None:
    data = files.read(file)
    parsed = read_payment_file(data, file, fmt, files.read(mapping) if mapping else None)
    with common.store() as st:
        result = payments.import_payments(st, parsed, progress=None)
    common.err(result.message(Path(file).name))


@pay.command("add", help="Принять оплату в кассе на лицевой счёт.")
def add(
    account: str = typer.Argument(..., help="Лицевой счёт (10 цифр)."),
    amount: str = typer.Argument(..., help="Сумма, руб. (1500 или 1500,50)."),
    day: str = typer.Option(None, "--date",
                            help="Дата оплаты ДД.ММ.ГГГГ, не позже сегодняшней (по умолчанию сегодня)."),
    period: str = typer.Option(None, "--period", help="За какой месяц платит (назначение платежа), ГГГГ-ММ."),
    service: str = typer.Option(None, "--service", help="За какую услугу: electricity, odn, penalty."),
    purpose: str = typer.Option(None, "--purpose", help="Назначение платежа (текст)."),
) -> None:
    amt = _amount(amount)
    with common.store() as st:
        res = payments.add_cash(st, account, amt, common.date_arg(day), for_period=common.period_arg(period),
                                for_service=service, purpose=purpose)
    common.err("\n".join([f"Платёж {res.payment_id}: {format_rub(amt)} ₽ на лицевой счёт {account} принят и разнесён.",
                          *res.dating.lines()]))


@pay.command("unidentified", help="Очередь неопознанных платежей.")
def unidentified(fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        rows = unidentified_payments(st)
    common.emit(["Платёж", "Дата", common.money("Сумма"), "Источник", "Плательщик", "ИНН", "ЛС в файле", "Назначение",
                 "Файл"],
                [(r[0], r[1], rub(r[2]), *r[3:]) for r in rows],
                fmt, title="Неопознанные платежи")


@pay.command("match", help="Разнести неопознанный платёж на лицевой счёт.")
def match(
    payment: int = typer.Argument(..., help="Номер платежа из очереди неопознанных."),
    account: str = typer.Argument(..., help="Лицевой счёт."),
    remember_inn: bool = typer.Option(False, "--remember-inn", help="Запомнить ИНН плательщика за этим счётом."),
) -> None:
    with common.store() as st:
        payments.match_payment(st, payment, account, remember_inn=remember_inn)
    common.err(f"Платёж {payment} разнесён на лицевой счёт {account}.")


DAY_HELP = ("Дата {what} ДД.ММ.ГГГГ, в открытом месяце (по умолчанию — сегодня, а после открытого месяца — "
            "его последний день).")


@pay.command("refund", help="Вернуть переплату потребителю.")
def refund(
    account: str = typer.Argument(..., help="Лицевой счёт."),
    amount: str = typer.Argument(..., help="Сумма возврата, руб."),
    reason: str = typer.Option(..., "--reason", help="Основание (заявление, №)."),
    day: str = typer.Option(None, "--date", help=DAY_HELP.format(what="возврата")),
) -> None:
    amt = _amount(amount)
    with common.store() as st:
        on = payments.refund(st, account, amt, common.date_arg(day), reason)
    common.err(f"Возврат {format_rub(amt)} ₽ с лицевого счёта {account} проведён датой {on:%d.%m.%Y}.")


@pay.command("transfer", help="Перенести платёж (или его часть) на другой лицевой счёт.")
def transfer(
    payment: int = typer.Argument(..., help="Номер разнесённого платежа."),
    account: str = typer.Argument(..., help="Лицевой счёт, на который переносится оплата."),
    amount: str = typer.Option(None, "--amount", help="Сумма, руб. (по умолчанию весь платёж)."),
    reason: str = typer.Option(..., "--reason", help="Основание переноса."),
    day: str = typer.Option(None, "--date", help=DAY_HELP.format(what="переноса")),
) -> None:
    amt = _amount(amount) if amount else None
    with common.store() as st:
        new_id = payments.transfer(st, payment, account, amt, common.date_arg(day), reason)
    common.err(f"Платёж {payment} перенесён на лицевой счёт {account} (новый платёж {new_id}).")


def register(app: typer.Typer) -> None:
    app.add_typer(pay)
