"""`sbyt period status|open|close`: the billing month's life cycle."""

from __future__ import annotations

import typer

from sbyt.calc.close import check_closable, close_period, draft_totals, open_first, period_status
from sbyt.console.cli import common
from sbyt.core.errors import SbytError
from sbyt.core.money import format_rub, rub
from sbyt.core.period_state import open_period
from sbyt.core.periods import period_label

period = typer.Typer(name="period", help="Расчётные периоды: состояние, открытие первого, закрытие месяца.",
                     no_args_is_help=True)


def _period(text: str) -> int:
    value = common.period_arg(text)
    if value is None:
        raise SbytError("Укажите период ГГГГ-ММ.")
    return value


@period.command("status", help="Периоды базы: открыт/закрыт, когда рассчитан, черновые и проведённые суммы.")
def status(fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        rows = period_status(st)
    common.emit([common.month("период"), "состояние", "рассчитан", "закрыт", "черновых строк",
                 common.money("черновик, ₽"), common.money("проведено, ₽")],
                [(r.period, r.status, r.calc_at, r.closed_at,
                  r.draft_lines, rub(r.draft_kop), rub(r.posted_kop)) for r in rows], fmt,
                title="Расчётные периоды", codes={"состояние": "period_status"})


@period.command("open", help="Открыть первый расчётный период пустой базы (следующие открываются закрытием).")
def open_(month: str = typer.Argument(..., metavar="PERIOD", help="Месяц ГГГГ-ММ.")) -> None:
    p = _period(month)
    with common.store() as st:
        open_first(st, p)
    common.err(f"Открыт период {period_label(p)}.")


@period.command("close", help="Закрыть рассчитанный открытый месяц: провести его строки в журнал проводок, "
                              "запретить изменения и открыть следующий месяц. Без PERIOD закрывается открытый "
                              "месяц после подтверждения.")
def close(month: str = typer.Argument(None, metavar="PERIOD",
                                      help="Закрываемый месяц ГГГГ-ММ (по умолчанию — открытый, с подтверждением)."),
          yes: bool = typer.Option(False, "--yes", "-y", help="Не спрашивать подтверждения.")) -> None:
    p = common.period_arg(month)
    if p is None:
        with common.store(read_only=True) as st:
            p = open_period(st)
            check_closable(st, p)
            total, lines = draft_totals(st, p)
        question = (f"Закрыть период {period_label(p)} (строк {lines}, начислено {format_rub(total, currency=True)})? "
                    "Начисления будут проведены, месяц станет неизменяемым, откроется следующий.")
        if not yes and not common.confirm(question):
            common.err(f"Период {period_label(p)} не закрыт.")
            raise typer.Exit(1)
    with common.store() as st:
        r = close_period(st, p)
    common.err(f"Период {period_label(r.period)} закрыт: строк {r.lines}, проводок {r.postings}, сумма "
               f"{format_rub(r.amount_kop, currency=True)}. Открыт период {period_label(r.next_period)}.")
    if r.debt_started or r.schedules_broken:
        common.err(f"ПИР: начато дел по отборам с автозапуском — {r.debt_started}; нарушено графиков погашения — "
                   f"{r.schedules_broken}.")


def register(app: typer.Typer) -> None:
    app.add_typer(period)
