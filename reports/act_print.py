"""The printed calculation of an act of unmetered or non-contracted consumption (`sbyt act print`):
what the act states, the formula with its inputs, the hours and their cap, the volume and the month
and prices it is billed at; a cancelled act says so with the reason.

The data come from `sbyt.core.consumption_acts.act` (the same formula text the CLI prints), the
supplier's requisites from the `supplier` table on the act's date. Pages are drawn with the forms
toolkit and the contract's flow (`sbyt.reports.contract_print.Flow`); the PDF's creation date is the
act's date, so the same act prints to the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sbyt.core import consumption_acts as acts
from sbyt.core.labels import label
from sbyt.core.periods import period_label
from sbyt.core.store import Store
from sbyt.reports.contract_print import GAP, L, W, Flow
from sbyt.reports.epd_data import Supplier, supplier_on
from sbyt.reports.forms import Column, FormDocument, Typeface, date_ru, table

LABEL_W = 58.0          # the label column of the act's data
S = 9.0
INPUTS = (Column("Величина", 110), Column("Обозначение", 25, "C"), Column("Значение", W - 135, "R"))
# The font of the forms has no Greek letters: φ is spelt «фи».
SYMBOLS = {"max_capacity": "W = Pmax × T", "cable": "W = n × Iдоп × Uф × cos фи × T / 1000"}


@dataclass(frozen=True)
class Place:
    """Where an unmetered act's point is: its calculation object and address."""
    object_code: str
    object_name: str
    address: str | None


def _place(store: Store, a: acts.Act) -> Place | None:
    if a.point_id is None:
        return None
    row = store.one("SELECT o.code, o.name, o.address FROM legal_point p JOIN calc_object o ON o.id = p.object_id"
                    " WHERE p.id = ?", [a.point_id])
    return Place(*row) if row else None


def act_fields(a: acts.Act, place: Place | None) -> list[tuple[str, str]]:
    """The act's data as (label, value) rows of section 1."""
    rows = [("Вид акта", label("act_kind", a.kind)), ("Номер и дата акта", f"№ {a.act_no} от {date_ru(a.act_date)}"),
            ("Потребитель", a.counterparty_name or "—"), ("ИНН / КПП", a.inn.replace("/", " / "))]
    if a.kind == "unmetered":
        rows.append(("Договор", f"№ {a.contract_no}"))
        where = f"{a.point_code}" + (f", объект «{place.object_name}» ({place.object_code})" if place else "")
        rows.append(("Точка поставки", where))
        if place and place.address:
            rows.append(("Адрес", place.address))
        rows.append(("Последняя проверка", date_ru(a.date_from)))
    else:
        rows.append(("Адрес места потребления", a.address or "—"))
        rows.append(("Потребление с", date_ru(a.date_from)))
    rows += [("Дата выявления (акта)", date_ru(a.date_to)), ("Уровень напряжения", label("voltage", a.voltage)),
             ("Основание", acts.BASIS[a.kind])]
    if a.note:
        rows.append(("Примечание", a.note))
    return rows


def input_rows(a: acts.Act) -> list[list[str]]:
    """The formula's inputs (section 2)."""
    if a.method == "max_capacity":
        rows = [["Максимальная мощность, кВт", "Pmax", acts.number(a.max_kw)]]
    else:
        rows = [["Число фаз ввода", "n", str(a.phases)],
                ["Допустимая длительная токовая нагрузка вводного кабеля, А", "Iдоп", acts.number(a.current_a)],
                ["Фазное напряжение, В", "Uф", acts.number(a.voltage_v)],
                ["Коэффициент мощности", "cos фи", acts.number(a.cos_phi)]]
    rows.append(["Число часов потребления к расчёту, ч", "T", acts.number(a.hours)])
    rows.append(["Объём, кВт·ч", "W", acts.kwh_text(a.volume_wh)])
    return rows


def _fields(flow: Flow, rows: list[tuple[str, str]]) -> None:
    st = flow.step(S)
    for lab, value in rows:
        lines = flow.c.wrap(value, W - LABEL_W, S)
        flow.need(st * len(lines))
        for i, ln in enumerate(lines):
            flow.y += st
            if i == 0:
                flow.c.text(L, flow.y - st * 0.25, lab, size=S)
            flow.c.text(L + LABEL_W, flow.y - st * 0.25, ln, size=S, bold=i == 0 and lab == "Номер и дата акта")
    flow.y += GAP


def render_act(store: Store, a: acts.Act, supplier: Supplier) -> FormDocument:
    what = acts.TITLES[a.kind]
    doc = FormDocument(title=f"Расчёт объёма {what} по акту № {a.act_no}")
    doc.pdf.set_creation_date(datetime(a.act_date.year, a.act_date.month, a.act_date.day, tzinfo=timezone.utc))
    flow = Flow(Typeface.load(), f"Расчёт объёма по акту № {a.act_no} от {date_ru(a.act_date)}")
    flow.para(supplier.name, size=8, bold=True)
    flow.para(f"ИНН / КПП {supplier.inn} / {supplier.kpp}, {supplier.address}", size=7)
    flow.space(4.0)
    flow.para(f"РАСЧЁТ ОБЪЁМА {what.upper()}", size=12, bold=True, align="C")
    flow.para(f"электрической энергии по акту № {a.act_no} от {date_ru(a.act_date)}", size=S, align="C")
    if a.status == "cancelled":
        flow.para(f"АКТ ОТМЕНЁН: {a.cancel_reason}. Объём не начисляется.", size=S, bold=True, align="C")
    flow.space(3.0)

    flow.para("1. Сведения акта", bold=True, keep=2)
    _fields(flow, act_fields(a, _place(store, a)))

    flow.space(1.0)
    flow.para("2. Расчёт объёма", bold=True, keep=3)
    flow.para(f"Способ: {label('act_method', a.method)} ({acts.BASIS[a.kind]}).")
    flow.para(f"Формула: {SYMBOLS[a.method]}.")
    flow.para(f"Число часов: {acts.hours_text(a)}.")
    rows = input_rows(a)
    flow.need(7.0 + 5.0 * len(rows))
    flow.y = table(flow.c, L, flow.y, INPUTS, rows, header_h=6.0, row_h=5.0, size=8.0,
                   bold=[False] * (len(rows) - 1) + [True])
    flow.space(3.0)
    flow.para(f"W = {acts.formula(a)}", bold=True)
    flow.para("Объём вычислен точно и округлён до целого ватт-часа один раз (половина — вверх).", size=7)

    flow.space(1.0)
    flow.para("3. Начисление", bold=True, keep=2)
    flow.para(f"Объём {acts.kwh_text(a.volume_wh)} кВт·ч предъявляется к оплате в расчётном периоде "
              f"{period_label(a.period)} по ценам {period_label(a.price_period)} (месяц акта) первой ценовой "
              f"категории для уровня напряжения {label('voltage', a.voltage)}"
              + (f" по договору № {a.contract_no}." if a.contract_no else " без договора."))
    flow.space(8.0)
    flow.para("Расчёт выполнил: ______________________ / ______________________ /")
    flow.finish(doc)
    return doc


def act_pdf(store: Store, act_no: str) -> bytes:
    a = acts.act(store, act_no)
    return render_act(store, a, supplier_on(store, a.act_date)).output() or b""


@dataclass(frozen=True)
class PrintResult:
    path: Path
    pages: int
    title: str


def print_act(store: Store, act_no: str, out: str | os.PathLike[str], *,
              save: Callable[[Path, bytes], None] | None = None) -> PrintResult:
    """`sbyt act print`: the act's calculation into a PDF file (its bytes go to `save(path, data)`)."""
    a = acts.act(store, act_no)
    doc = render_act(store, a, supplier_on(store, a.act_date))
    path = Path(out)
    (save or Path.write_bytes)(path, doc.output() or b"")
    return PrintResult(path, doc.pages, a.title)

