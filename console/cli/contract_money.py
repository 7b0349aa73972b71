"""`sbyt contract schedule | pay | balance`: a contract's payment schedule (ПП 442 п. 81, 82), its
payments and its debt by month. The commands join the `contract` group: `console/cli/contract.py`
calls `add_commands(sub)` when it registers the group (this module imports nothing of it)."""

from __future__ import annotations

import typer

from sbyt.console.cli import common
from sbyt.core import clock
from sbyt.core.errors import SbytError
from sbyt.core.legal_payments import add_payment, balance
from sbyt.core.legal_schedule import contract_schedule, share_ru
from sbyt.core.money import format_rub, kop, rub
from sbyt.core.period_state import open_period
from sbyt.core.periods import period_label


def _amount(text: str) -> int:
    try:
        return kop(text)
    except ValueError as exc:
        raise SbytError(f"Сумма: {exc}") from None


def add_commands(sub: typer.Typer) -> None:
    """Add schedule, pay and balance to the `contract` group (once)."""
    if any(c.name == "schedule" for c in sub.registered_commands):
        return

    @sub.command("schedule", help="График платежей договора за месяц: промежуточные платежи и окончательный расчёт "
                                  "(п. 82: 30 % до 10-го, 40 % до 25-го, остаток до 18-го следующего месяца; п. 81 — "
                                  "до 15-го следующего месяца; энергосбытовые организации — 50 % до 1-го).")
    def schedule(number: str = typer.Argument(..., help="Номер договора."),
                 period: str = typer.Option(None, "--period", help="Месяц поставки ГГГГ-ММ (по умолчанию открытый)."),
                 fmt: common.Fmt = common.FORMAT_OPTION) -> None:
        with common.store(read_only=True) as st:
            p = common.period_arg(period) or open_period(st)
            s = contract_schedule(st, number, p)
        rows = [(i.due, i.code, share_ru(i.share), None if i.amount_kop is None else rub(i.amount_kop))
                for i in s.instalments]
        common.emit(["Срок оплаты", "Платёж", "Доля", common.money("Сумма, ₽")], rows, fmt,
                    title=f"Договор № {number}: график платежей за {period_label(p)} — базовая стоимость "
                          f"{format_rub(s.base_kop)} ₽ ({s.basis_text})",
                    codes={"Платёж": "instalment"})
        if s.actual_kop is None and fmt is common.Fmt.table:
            common.err("Окончательный расчёт будет известен после закрытия месяца (начисление за месяц).")


    @sub.command("pay", help="Принять оплату по договору (сумма с НДС). Оплата с датой закрытого периода учитывается "
                             "в открытом периоде со своей датой; дата позже сегодняшней не принимается.")
    def pay(number: str = typer.Argument(..., help="Номер договора."),
            amount: str = typer.Argument(..., help="Сумма, руб. (150000 или 150000,50)."),
            day: str = typer.Option(..., "--date", help="Дата оплаты (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)."),
            doc: str = typer.Option(None, "--doc", help="Номер платёжного поручения."),
            purpose: str = typer.Option(None, "--purpose", help="Назначение платежа (текст).")) -> None:
        amt = _amount(amount)
        pay_date = common.date_arg(day)
        with common.store() as st:
            res = add_payment(st, number, amt, pay_date, purpose, doc)
        common.err(res.message(number, amt, pay_date))


    @sub.command("balance", help="Долг по договору по месяцам на дату: начислено, оплачено (оплата гасит самый ранний "
                                 "по сроку долг, пени — последними), долг, просрочено; нераспределённая оплата — аванс.")
    def balance_(number: str = typer.Argument(..., help="Номер договора."),
                 on: str = typer.Option(None, "--on", help="На дату (по умолчанию — сегодня)."),
                 fmt: common.Fmt = common.FORMAT_OPTION) -> None:
        day = common.date_arg(on) or clock.today()
        with common.store(read_only=True) as st:
            rows = balance(st, number, day)
        if not rows:
            raise SbytError(f"По договору № {number} на {day:%d.%m.%Y} нет ни начислений, ни оплат.")
        money = common.money
        common.emit([common.month("Месяц"), "Долг", "Срок оплаты", money("Начислено"), money("Оплачено"),
                     money("Долг (+) / аванс (−)"), money("Просрочено")],
                    [(r.period, r.what, r.due, rub(r.owed_kop), rub(r.paid_kop), rub(r.debt_kop), rub(r.overdue_kop))
                     for r in rows], fmt, title=f"Договор № {number}: долг по месяцам на {day:%d.%m.%Y}",
                    codes={"Долг": "legal_debt"})
