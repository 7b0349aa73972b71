"""`sbyt account show`: an account's card — holder, address, tariff, balance, metering points."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.core import console_reads as view
from sbyt.core.money import rub

account = typer.Typer(name="account", help="Лицевые счета: карточка.", no_args_is_help=True)


@account.command("show", help="Карточка лицевого счёта: владелец, адрес, тариф, сальдо, приборы учёта. "
                              "Персональные данные скрыты для ролей без права их видеть; просмотр записывается "
                              "в журнал доступа.")
def show(number: str = typer.Argument(..., metavar="ACCOUNT", help="Номер лицевого счёта."),
         fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store() as st:
        h = view.header(st, view.account_id_by_number(st, number))
        meters = view.meters(st, h.account_id)
    card = common.table(["Поле", "Значение"], [
        ("Лицевой счёт", h.number), ("Владелец", h.holder_name), ("Адрес", h.address),
        ("Площадь, м²", h.area), ("Комнат", h.rooms), ("Проживает (для норматива)", h.residents),
        ("Тариф", f"{h.tariff_group} — {h.tariff_name}"), ("Сальдо, ₽", rub(h.balance_kop)),
        ("Дней просрочки", h.debt_age_days), ("Открыт", h.opened), ("Закрыт", h.closed or "")])
    points = common.table(["Точка", "Услуга", "Подача", "Прибор", "Заводской №", "Зон", "Поверка до"],
                          [(m.metering_point_id, m.service, m.supply, m.model, m.serial, m.zones,
                            m.next_verification or "") for m in meters],
                          codes={"Подача": "supply_state"})
    common.emit_tables({"card": card, "meters": points}, fmt)


def register(app: typer.Typer) -> None:
    app.add_typer(account)
