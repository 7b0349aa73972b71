"""`sbyt explain ACCOUNT|CONTRACT|POINT [--period P]`: every accrual line with its method, formula and
the reason of the method; for a legal-entity contract or supply point every price component with its
formula, the peak hours and days, the SO window and the price table."""

from __future__ import annotations

from decimal import Decimal

import typer

from sbyt.calc.explain import explain as explain_account
from sbyt.calc.legal_explain import explain_target, find_legal
from sbyt.console.cli import common
from sbyt.core.periods import period_label
from sbyt.core.money import rub
from sbyt.reports.table import Column


def register(app: typer.Typer) -> None:
    @app.command("explain", help="Расшифровка начислений за месяц. Лицевой счёт: по каждой строке способ "
                                 "расчёта, почему выбран этот способ, формула с числами, перерасчёты с причинами. "
                                 "Договор юридического лица или точка поставки: каждая составляющая цены с "
                                 "формулой и числами, часы пиковой нагрузки и рабочие дни, окно СО, таблица цен.")
    def explain(
        account: str = typer.Argument(..., metavar="ACCOUNT|CONTRACT|POINT",
                                      help="Номер лицевого счёта, номер договора или код точки поставки."),
        period: str = typer.Option(None, "--period", metavar="PERIOD", help="Месяц ГГГГ-ММ (по умолчанию — открытый)."),
        fmt: common.Fmt = common.FORMAT_OPTION,
    ) -> None:
        with common.store(read_only=True) as st:
            if not st.scalar("SELECT count(*) FROM account WHERE number = ?", [account]) and \
                    find_legal(st, account) != (None, None):
                _legal(explain_target(st, account, common.period_arg(period)), fmt)
                return
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


def _legal(x, fmt: common.Fmt) -> None:  # noqa: ANN001 - sbyt.calc.legal_explain.LegalExplanation
    columns = ["Точка поставки", "Составляющая", "Способ", common.month("За месяц"), "Расшифровка",
               Column("Объём, кВт·ч", "Объём, кВт·ч", "kwh"),
               Column("Сумма без НДС, ₽", "Сумма без НДС, ₽", "money", total=True),
               Column("НДС, ₽", "НДС, ₽", "money", total=True),
               Column("Всего, ₽", "Всего, ₽", "money", total=True)]
    rows = []
    for line in x.lines:
        net = line.amount_kop - (line.vat_kop if line.vat_included else 0)
        rows.append((line.point or "", line.component, line.method, line.for_period, line.text,
                     Decimal(line.volume_wh).scaleb(-3), rub(net), rub(line.vat_kop), rub(net + line.vat_kop)))
    tables = {"lines": common.table(columns, rows, f"Договор № {x.contract} ({x.counterparty}), "
                                    f"{period_label(x.period)}",
                                    codes={"Составляющая": "charge_component", "Способ": "charge_method"})}
    if x.days:
        day_cols = ["Точка поставки", "Рабочий день", "Час пик АТС", Column("Потребление в час пик, кВт",
                    "Потребление в час пик, кВт", "number"), "Час максимума в окне СО",
                    Column("Максимум в окне СО, кВт", "Максимум в окне СО, кВт", "number")]
        tables["days"] = common.table(day_cols, [(d.point, d.day, d.peak_hour, d.peak_kw, d.max_hour, d.max_kw)
                                                 for d in x.days], "Мощность: часы пиковой нагрузки по рабочим дням")
    common.emit_tables(tables, fmt)
    for note in x.notes:
        common.err(note)
    if not x.lines:
        common.err("Начислений нет.")
