"""`sbyt act ...`: acts of unmetered (безучётное) and non-contracted (бездоговорное) consumption: register
with the volume computed and its formula stated, list, cancel, print the calculation (PDF)."""

from __future__ import annotations

from decimal import Decimal

import typer

from sbyt.console.cli import common
from sbyt.core import consumption_acts as svc
from sbyt.core.errors import SbytError
from sbyt.core.periods import period_label
from sbyt.reports.table import Column

sub = typer.Typer(name="act", help="Акты безучётного и бездоговорного потребления: регистрация с расчётом объёма, "
                                   "список, отмена, печать расчёта.", no_args_is_help=True)

NO_HELP = "Номер акта (сетевой организации)."
DATE_HELP = "Дата акта — дата выявления (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)."
VOLTAGE_HELP = "Уровень напряжения, по ценам которого начисляется: ВН, СН1, СН2, НН"


def _dec(text: str | None, what: str) -> Decimal | None:
    try:
        return common.decimal_arg(text)
    except SbytError:
        raise SbytError(f"{what}: не число «{text}».") from None


def _report(a: svc.Act) -> None:
    common.err("\n".join(svc.describe(a)))


@sub.command("unmetered", help="Акт безучётного потребления по точке поставки договора: объём по максимальной "
                                "мощности (акта или точки поставки) или по данным кабеля × часы с последней проверки.")
def unmetered(contract: str = typer.Argument(..., help="Номер договора."),
              point: str = typer.Argument(..., help="Код точки поставки договора."),
              act_no: str = typer.Option(..., "--no", help=NO_HELP),
              on: str = typer.Option(..., "--date", help=DATE_HELP),
              since: str = typer.Option(..., "--since", help="Дата последней проверки прибора учёта (начало периода)."),
              max_kw: str = typer.Option(None, "--max-kw", help="Максимальная мощность по акту, кВт (без неё — "
                                                                "мощность точки поставки на дату акта)."),
              current: str = typer.Option(None, "--current", help="Без мощности: допустимая длительная токовая "
                                                                  "нагрузка вводного кабеля, А."),
              voltage_v: str = typer.Option(None, "--voltage-v", help="Фазное напряжение, В (с --current)."),
              phases: int = typer.Option(None, "--phases", help="Число фаз ввода: 3 (по умолчанию) или 1."),
              cos: str = typer.Option(None, "--cos", help="Коэффициент мощности (по умолчанию — правило act.cos_phi, 0,9)."),
              voltage: str = typer.Option(None, "--voltage", help=VOLTAGE_HELP + " (по умолчанию — точки поставки)."),
              note: str = typer.Option(None, "--note", help="Примечание.")) -> None:
    level = common.code_arg("voltage", voltage, "Уровень напряжения")
    with common.store() as st:
        a = svc.add_unmetered(st, contract, point, act_no, common.date_arg(on), common.date_arg(since),
                              max_kw=_dec(max_kw, "--max-kw"), current_a=_dec(current, "--current"),
                              voltage_v=_dec(voltage_v, "--voltage-v"), phases=phases, cos_phi=_dec(cos, "--cos"),
                              voltage=level, note=note)
    _report(a)


@sub.command("noncontracted", help="Акт бездоговорного потребления: объём по данным кабеля "
                                    "(фазы × I × U × cos φ × часы / 1000), не более чем за 3 года.")
def noncontracted(counterparty: str = typer.Argument(..., help="ИНН или ИНН/КПП контрагента (sbyt counterparty add)."),
                  act_no: str = typer.Option(..., "--no", help=NO_HELP),
                  on: str = typer.Option(..., "--date", help=DATE_HELP),
                  since: str = typer.Option(..., "--since", help="С какой даты осуществлялось потребление."),
                  current: str = typer.Option(..., "--current", help="Допустимая длительная токовая нагрузка "
                                                                     "вводного кабеля, А."),
                  voltage_v: str = typer.Option(..., "--voltage-v", help="Фазное напряжение, В (220 — однофазный ввод 0,4 кВ)."),
                  phases: int = typer.Option(None, "--phases", help="Число фаз ввода: 3 (по умолчанию) или 1."),
                  cos: str = typer.Option(None, "--cos", help="Коэффициент мощности (по умолчанию — правило act.cos_phi, 0,9)."),
                  address: str = typer.Option(None, "--address", help="Адрес места потребления."),
                  voltage: str = typer.Option(None, "--voltage", help=VOLTAGE_HELP + " (по умолчанию НН)."),
                  note: str = typer.Option(None, "--note", help="Примечание.")) -> None:
    level = common.code_arg("voltage", voltage, "Уровень напряжения")
    with common.store() as st:
        a = svc.add_noncontracted(st, counterparty, act_no, common.date_arg(on), common.date_arg(since),
                                  current_a=_dec(current, "--current"), voltage_v=_dec(voltage_v, "--voltage-v"),
                                  phases=phases, cos_phi=_dec(cos, "--cos"), voltage=level, address=address,
                                  note=note)
    _report(a)


@sub.command("list", help="Акты безучётного и бездоговорного потребления с объёмами.")
def list_(period: str = typer.Option(None, "--period", help="Только начисляемые в месяце (ГГГГ-ММ)."),
          fmt: common.Fmt = common.FORMAT_OPTION) -> None:
    with common.store(read_only=True) as st:
        acts = svc.list_acts(st, common.period_arg(period))
    head = ["№ акта", "Вид", "Дата акта", "ИНН/КПП", "Договор", "Точка поставки", "Адрес", "Напряжение",
            "С", "По", "Часов к расчёту", "Способ", Column("Объём, кВт·ч", "Объём, кВт·ч", "kwh"),
            common.month("Начисляется в"), common.month("Цены за"), "Статус", "Причина отмены"]
    rows = [(a.act_no, a.kind, a.act_date, a.inn, a.contract_no, a.point_code, a.address, a.voltage, a.date_from,
             a.date_to, a.hours, a.method, Decimal(a.volume_wh) / 1000, a.period, a.price_period, a.status,
             a.cancel_reason) for a in acts]
    if not rows:
        common.err("Актов нет." if period is None else
                   f"Актов, начисляемых в {period_label(common.period_arg(period))}, нет.")
        return
    common.emit(head, rows, fmt, title="Акты безучётного и бездоговорного потребления",
                codes={"Вид": "act_kind", "Напряжение": "voltage", "Способ": "act_method", "Статус": "act_status"})


@sub.command("cancel", help="Отменить акт, пока открыт месяц его начисления (после закрытия — перерасчёт).")
def cancel(act_no: str = typer.Argument(..., help="Номер акта."),
           reason: str = typer.Option(..., "--reason", help="Причина отмены.")) -> None:
    with common.store() as st:
        a = svc.cancel_act(st, act_no, reason)
    common.err(f"{a.title} отменён: {a.cancel_reason}. Объём {svc.kwh_text(a.volume_wh)} кВт·ч не начисляется "
               f"в {period_label(a.period)}.")


@sub.command("print", help="Расчёт объёма по акту в PDF-файл.")
def print_(act_no: str = typer.Argument(..., help="Номер акта."),
           out: str = typer.Argument(..., help="PDF-файл результата.", metavar="OUT.pdf")) -> None:
    from sbyt.console.cli import files
    from sbyt.reports.act_print import print_act

    with common.store(read_only=True) as st:
        res = print_act(st, act_no, out, save=files.write)
    common.err(f"{res.title}: расчёт объёма, {res.pages} стр. в {res.path}.")


def register(app: typer.Typer) -> None:
    app.add_typer(sub)
