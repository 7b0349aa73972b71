"""The printed forms of legal-entity documents (`sbyt.core.legal_docs.Doc`): the invoice for payment,
the VAT invoice (ПП 1137 Annex 1, both editions), the corrective VAT invoice (Annex 2), the
acceptance act, the recalculation act and the УПД (ФНС letter ММВ-20-3/96@).

Each page is two content streams: the fixed part of its form (labels, frames, the table header:
the same for every document of the kind and edition, drawn once per process and shared in the PDF
as one Form XObject) and the document's own text. A table that does not fit continues on the next
page under its repeated header.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sbyt.core.labels import label
from sbyt.core.legal_docs import BILLS, Doc, DocLine, DocRef
from sbyt.core.periods import last_day, period_title
from sbyt.reports.contract_print import MONTHS_GEN, kw
from sbyt.reports.forms import A4_H, A4_W, Canvas, Column, Typeface, date_ru, money, price
from sbyt.reports.forms.typeface import MM_PER_PT
from sbyt.reports.forms.widgets import table_header
from sbyt.reports.legal_doc_print_words import rub_words

DASH = "—"
EDITION = {
    "1137": "Приложение № 1 к постановлению Правительства Российской Федерации от 26.12.2011 № 1137",
    "1137-2026": "Приложение № 1 к постановлению Правительства Российской Федерации от 26.12.2011 № 1137 "
                 "(в ред. постановления от 23.01.2026 № 26)",
}
KSF_EDITION = "Приложение № 2 к постановлению Правительства Российской Федерации от 26.12.2011 № 1137"
UPD_NOTE = "Рекомендуемая форма (письмо ФНС России от 21.10.2013 № ММВ-20-3/96@)"
BILL_NOTE = {"bill_advance": "промежуточный платёж (п. 82 Основных положений)",
             "bill_actual": "за фактически поставленную электрическую энергию (мощность)",
             "bill_remainder": "окончательный расчёт за месяц",
             "bill_penalty": "пени за несвоевременную оплату"}
ACT_NOTE = ("Акт подписывается и возвращается в течение 3 рабочих дней с даты получения. Если в этот срок "
            "подписанный акт или мотивированные возражения не получены, объём считается принятым.")
SIGN = "______________ / ______________________ /"


# ------------------------------------------------------------------------------------ formats
def date_words(day: date | None) -> str:
    """«05 июня 2026 г.»"""
    return "" if day is None else f"{day.day:02d} {MONTHS_GEN[day.month - 1]} {day.year} г."


def qty(value: Decimal | None) -> str:
    return DASH if value is None else kw(value)


def rate_text(rate: str | None) -> str:
    return "без НДС" if not rate else rate


def ref_list(refs: Sequence[DocRef]) -> str:
    """«№ 12 от 05.06.2026; № 14 от 20.06.2026», «—» when there are none."""
    return "; ".join(f"№ {r.ref_no or r.ref_id} от {date_ru(r.ref_date)}" for r in refs) or DASH


def no_date(no: str | None, day: date | None) -> str:
    return f"№ {no} от {date_ru(day)}"


def contract_text(d: Doc) -> str:
    return f"№ {d.contract_no}" + (f" от {date_ru(d.contract_date)}" if d.contract_date else "")


def month_text(period: int) -> str:
    return f"{period_title(period)} г."


def party_line(name: str, address: str) -> str:
    return f"{name}, {address}" if address else name


# ------------------------------------------------------------------------------------ pages
@dataclass
class Page:
    landscape: bool
    static: bytes        # the form's fixed part (shared by every page of the same form)
    canvas: Canvas       # the document's own part


class Sheet:
    """The pages of one document, filled top to bottom."""

    def __init__(self, r: Renderer, landscape: bool, bottom: float) -> None:
        self.r = r
        self.landscape = landscape
        self.bottom = bottom
        self.pages: list[Page] = []
        self.y = 0.0

    @property
    def c(self) -> Canvas:
        return self.pages[-1].canvas

    def page(self, static: bytes, y: float) -> Canvas:
        self.pages.append(Page(self.landscape, static, Canvas(self.r.face, A4_W if self.landscape else A4_H)))
        self.y = y
        return self.c

    def fits(self, h: float) -> bool:
        return self.y + h <= self.bottom


def step(size: float, lead: float = 1.2) -> float:
    return size * MM_PER_PT * lead


def cell_rows(c: Canvas, x: float, y: float, columns: Sequence[Column], cells: Sequence[str], size: float,
              bold: bool = False, wrap: int = 1) -> float:
    """One table row whose column `wrap` wraps; grid drawn; returns the y below it."""
    st = step(size)
    lines = [c.wrap(v, col.width - 1.6, size, bold) if k == wrap else [c.fit(v, col.width - 1.6, size, bold)]
             for k, (col, v) in enumerate(zip(columns, cells))]
    h = max(len(ln) for ln in lines) * st + 1.4
    cx = x
    c.line_width(0.15)
    for col, ln in zip(columns, lines):
        for i, text in enumerate(ln):
            c.text(cx + 0.8, y + 0.7 + st * (i + 0.8), text, size=size, bold=bold, align=col.align,
                   w=col.width - 1.6)
        c.vline(cx, y, y + h)
        cx += col.width
    c.vline(cx, y, y + h)
    c.hline(x, cx, y + h)
    return y + h


def row_height(c: Canvas, columns: Sequence[Column], cells: Sequence[str], size: float, bold: bool = False,
               wrap: int = 1) -> float:
    return len(c.wrap(cells[wrap], columns[wrap].width - 1.6, size, bold)) * step(size) + 1.4


def numbers_row(c: Canvas, x: float, y: float, columns: Sequence[Column], numbers: Sequence[str],
                h: float = 3.2) -> float:
    """The row of column numbers under a form's table header."""
    c.line_width(0.15)
    cx = x
    for col, n in zip(columns, numbers):
        c.rect(cx, y, col.width, h)
        c.text(cx, y + h - 0.8, n, size=5.5, align="C", w=col.width)
        cx += col.width
    return y + h


class Renderer:
    """Draws the pages of documents; the fixed parts are drawn once per form and reused."""

    def __init__(self) -> None:
        self.face = Typeface.load()
        self._static: dict[tuple, bytes] = {}

    def static(self, key: tuple, draw: Callable[[Canvas], None], landscape: bool) -> bytes:
        data = self._static.get(key)
        if data is None:
            c = Canvas(self.face, A4_W if landscape else A4_H)
            draw(c)
            data = self._static[key] = c.getvalue()
        return data

    def pages(self, d: Doc) -> list[Page]:
        if d.kind in BILLS:
            return bill(self, d)
        if d.kind in ("sf", "sf_advance"):
            return vat_invoice(self, d, upd=False)
        if d.kind == "upd":
            return vat_invoice(self, d, upd=True)
        if d.kind == "ksf":
            return corrective(self, d)
        if d.kind == "act":
            return act(self, d)
        if d.kind == "act_recalc":
            return recalc_act(self, d)
        raise ValueError(f"нет печатной формы для документа вида «{d.kind}»")

    def streams(self, d: Doc) -> list[tuple[bool, bytes, bytes]]:
        """(landscape, fixed part, own part) of each page of the document."""
        return [(p.landscape, p.static, p.canvas.getvalue()) for p in self.pages(d)]


def signatures(c: Canvas, x: float, y: float, w: float, size: float = 7.5) -> float:
    """Руководитель and главный бухгалтер side by side; returns the y below."""
    half = w / 2
    for i, who in enumerate(("Руководитель организации или иное уполномоченное лицо",
                             "Главный бухгалтер или иное уполномоченное лицо")):
        xx = x + i * half
        c.text(xx, y + 3.5, who, size=size - 1)
        c.text(xx, y + 8.0, SIGN, size=size)
        c.text(xx + 3, y + 10.8, "(подпись)", size=5.5)
        c.text(xx + 32, y + 10.8, "(ф. и. о.)", size=5.5)
    return y + 12.0


# ------------------------------------------------------------------------------------ the bill
BL, BW = 15.0, 185.0
BILL_COLS = (Column("№", 10, "C"), Column("Наименование", 125), Column("Сумма, руб.", 50, "R"))
BILL_TABLE = 113.0
BILL_BOTTOM = 285.0


def _bill_static(c: Canvas) -> None:
    c.line_width(0.2)
    x, y, w = BL, 12.0, BW
    mid, right = x + 110, x + 125
    c.rect(x, y, w, 30)
    c.hline(x, right, y + 12)
    c.hline(x, right, y + 18)
    c.hline(mid, w + x, y + 6)
    c.vline(mid, y, y + 30)
    c.vline(right, y, y + 30)
    c.vline(x + 55, y + 12, y + 18)
    c.text(x + 1, y + 11, "Банк получателя", size=6)
    c.text(x + 1, y + 29, "Получатель", size=6)
    c.text(mid + 1, y + 4.2, "БИК", size=7.5)
    c.text(mid + 1, y + 10.2, "Сч. №", size=7.5)
    c.text(mid + 1, y + 16.2, "Сч. №", size=7.5)
    c.text(x + 1, y + 16.2, "ИНН", size=7.5)
    c.text(x + 56, y + 16.2, "КПП", size=7.5)
    c.line_width(0.5)
    c.hline(BL, BL + BW, 57.0)
    for yy, lab in ((62.0, "Поставщик:"), (76.0, "Плательщик:"), (90.0, "Договор:"),
                    (96.0, "Назначение платежа:")):
        c.text(BL, yy, lab, size=8)
    table_header(c, BL, BILL_TABLE, BILL_COLS, 6.0, size=7.5)
    c.rect(BL, BILL_TABLE, BW, 6.0)


def bill_purpose(d: Doc) -> str:
    what = "пени за несвоевременную оплату электрической энергии (мощности)" if d.kind == "bill_penalty" \
        else "электрической энергии (мощности)"
    text = f"Оплата {what} по договору {contract_text(d)} за {month_text(d.for_period)}"
    if d.instalment:
        text += f", {label('instalment', d.instalment)}"
    text += f", счёт № {d.doc_no}."
    if d.kind == "bill_penalty" or d.vat_rate in (None, "без НДС") or d.vat_kop == 0:
        return text + " НДС не облагается."
    return text + f" В т. ч. НДС ({d.vat_rate}) {money(d.vat_kop)} руб."


def bill(r: Renderer, d: Doc) -> list[Page]:
    sheet = Sheet(r, False, BILL_BOTTOM)
    c = sheet.page(r.static(("bill",), _bill_static, False), BILL_TABLE + 6.0)
    s, b = d.seller, d.buyer
    x, y = BL, 12.0
    for i, ln in enumerate(c.wrap(s.bank_name or DASH, 107, 8, max_lines=2)):
        c.text(x + 1, y + 4 + i * 3.5, ln, size=8)
    c.text(x + 126, y + 4.2, s.bic or DASH, size=8)
    c.text(x + 126, y + 10.2, s.corr_account or DASH, size=8)
    c.text(x + 126, y + 16.2, s.bank_account or DASH, size=8)
    c.text(x + 8, y + 16.2, s.inn, size=8)
    c.text(x + 64, y + 16.2, s.kpp or "", size=8)
    for i, ln in enumerate(c.wrap(s.name, 107, 8, max_lines=2)):
        c.text(x + 1, y + 22 + i * 3.5, ln, size=8)
    c.text(BL, 50.5, f"Счёт на оплату № {d.doc_no} от {date_words(d.doc_date)}", size=13, bold=True)
    c.text(BL, 55.0, BILL_NOTE.get(d.kind, ""), size=7.5)
    vx, vw = BL + 38, BW - 38
    for yy, name, rest in ((62.0, s.name, f"ИНН/КПП {s.inn_kpp}, {s.address}" + (f", тел. {s.phone}" if s.phone else "")),
                           (76.0, b.name, f"ИНН/КПП {b.inn_kpp}, {b.address}")):
        c.text(vx, yy, c.fit(name, vw, 8, True), size=8, bold=True)
        for i, ln in enumerate(c.wrap(rest, vw, 8, max_lines=2)):
            c.text(vx, yy + 3.6 * (i + 1), ln, size=8)
    c.text(vx, 90.0, contract_text(d), size=8)
    for i, ln in enumerate(c.wrap(bill_purpose(d), vw, 8, max_lines=3)):
        c.text(vx, 96.0 + 3.6 * i, ln, size=8)
    c.text(vx, 107.5, f"В назначении платежа обязательно укажите номер счёта: № {d.doc_no}.", size=8, bold=True)
    for ln in d.lines:
        cells = (str(ln.line_no), ln.name, money(ln.total_kop))
        h = row_height(sheet.c, BILL_COLS, cells, 8)
        if not sheet.fits(h):
            sheet.page(r.static(("bill-more",), lambda c: (table_header(c, BL, 12.0, BILL_COLS, 6.0, 7.5),
                                                            c.rect(BL, 12.0, BW, 6.0)), False), 18.0)
        sheet.y = cell_rows(sheet.c, BL, sheet.y, BILL_COLS, cells, 8)
    if not sheet.fits(75.0):
        sheet.page(b"", 15.0)
    c, y = sheet.c, sheet.y + 5.0
    vat = "Без НДС:" if d.kind == "bill_penalty" or not d.vat_kop else f"В том числе НДС ({d.vat_rate}):"
    for lab, value in (("Итого:", money(d.total_kop)), (vat, DASH if vat == "Без НДС:" else money(d.vat_kop)),
                       ("Всего к оплате:", money(d.total_kop))):
        c.text(BL, y, lab, size=8.5, bold=True, align="R", w=BW - 32)
        c.text(BL, y, value, size=8.5, bold=True, align="R", w=BW)
        y += 4.5
    y += 1.5
    c.text(BL, y, f"Всего наименований {len(d.lines)}, на сумму {money(d.total_kop)} руб.", size=8)
    y = c.paragraph(BL, y + 1.0, BW, rub_words(d.total_kop), size=8.5, bold=True) + 2.0
    if d.due_date:
        c.text(BL, y + 3.0, f"Оплатить до {date_ru(d.due_date)}.", size=8.5, bold=True)
        y += 5.0
    if d.basis:
        y = c.paragraph(BL, y, BW, f"Основание расчёта суммы: {d.basis}", size=7.5) + 1.0
    c.line_width(0.5)
    c.hline(BL, BL + BW, y + 2.0)
    signatures(c, BL, y + 3.0, BW)
    return sheet.pages


# ------------------------------------------------------------------------------------ VAT invoices
LL, LW = 8.0, 281.0          # landscape margins
LBOTTOM = 202.0
SF_COLS = (
    Column("№ п/п", 8, "C"),
    Column("Наименование товара (описание выполненных работ, оказанных услуг), имущественного права", 51),
    Column("Код вида товара", 12, "C"), Column("Единица измерения: код", 10, "C"),
    Column("Единица измерения: условное обозначение (национальное)", 14, "C"),
    Column("Количество (объём)", 20, "R"), Column("Цена (тариф) за единицу измерения", 20, "R"),
    Column("Стоимость товаров (работ, услуг), имущественных прав без налога — всего", 24, "R"),
    Column("В том числе сумма акциза", 18, "C"), Column("Налоговая ставка", 13, "C"),
    Column("Сумма налога, предъявляемая покупателю", 22, "R"),
    Column("Стоимость товаров (работ, услуг), имущественных прав с налогом — всего", 24, "R"),
    Column("Страна происхождения товара: цифровой код", 11, "C"),
    Column("Страна происхождения товара: краткое наименование", 14, "C"),
    Column("Регистрационный номер декларации на товары или партии товара, подлежащего прослеживаемости", 20, "C"),
)
SF_NUMBERS = ("1", "1а", "1б", "2", "2а", "3", "4", "5", "6", "7", "8", "9", "10", "10а", "11")
SF_HEAD_H = 17.0
LINE_STEP = 4.1
ADVANCE_5B = ("Счёт-фактура (счета-фактуры), выставленный при получении оплаты, частичной оплаты в счёт "
              "предстоящих поставок:")


def sf_lines(form: str | None) -> list[tuple[str, str]]:
    """(label, line number) of the head of a VAT invoice below lines 1 and 1а."""
    rows = [("Продавец:", "2"), ("Адрес:", "2а"), ("ИНН/КПП продавца:", "2б"),
            ("Грузоотправитель и его адрес:", "3"), ("Грузополучатель и его адрес:", "4"),
            ("К платёжно-расчётному документу:", "5"), ("Документ об отгрузке:", "5а")]
    if form == "1137-2026":
        rows.append(("Счета-фактуры на аванс, зачтённые при отгрузке:", "5б"))
    rows += [("Покупатель:", "6"), ("Адрес:", "6а"), ("ИНН/КПП покупателя:", "6б"),
             ("Валюта: наименование, код:", "7"),
             ("Идентификатор государственного контракта, договора (соглашения) (при наличии):", "8")]
    return rows


def _head_static(c: Canvas, x: float, w: float, y: float, title: str, title2: str, rows: list[tuple[str, str]],
                 value_x: float) -> float:
    """Lines 1, 1а and the labelled lines: labels, underlines and numbers; returns the y below."""
    c.line_width(0.1)
    for i, (text, n) in enumerate(((title, "1"), (title2, "1а"))):
        yy = y + i * 5.0
        c.text(x, yy, text, size=9.5 if i == 0 else 8, bold=True)
        tw = c.width(text, 9.5 if i == 0 else 8, True)
        c.hline(x + tw + 1, x + tw + 36, yy + 0.6)
        c.text(x + tw + 37, yy, "от", size=8)
        c.hline(x + tw + 41, x + tw + 76, yy + 0.6)
        c.text(x + tw + 78, yy, f"({n})", size=7)
    y += 11.0
    for i, (lab, n) in enumerate(rows):
        yy = y + i * LINE_STEP
        c.text(x, yy, lab, size=7)
        c.hline(value_x, x + w - 10, yy + 0.6)
        c.text(x + w - 9, yy, f"({n})", size=7)
    return y + len(rows) * LINE_STEP


def head_positions(x: float, title: str, title2: str, face: Typeface) -> tuple[float, float]:
    """Where the number and the date of lines 1 and 1а begin (after the title text)."""
    return (x + face.bold.width(title, 9.5) + 2, x + face.bold.width(title2, 8) + 2)


def sf_values(d: Doc) -> list[str]:
    s, b = d.seller, d.buyer
    advance = d.kind == "sf_advance"
    if advance:
        shipment = DASH
    else:
        acts = d.refs_of("shipment")
        shipment = ref_list(acts) if acts else (d.basis or DASH)
        if d.lines and (acts or d.basis):
            shipment = f"№ п/п 1–{len(d.lines)} " + shipment if len(d.lines) > 1 else f"№ п/п 1 {shipment}"
    values = [s.name, s.address, s.inn_kpp, DASH if advance else "он же", DASH if advance else party_line(b.name, b.address),
              ref_list(d.refs_of("payment")) if advance else DASH, shipment]
    if d.form == "1137-2026":
        values.append(ref_list(d.refs_of("advance_offset")))
    values += [b.name, b.address, b.inn_kpp, "Российский рубль, 643", DASH]
    return values


def sf_cells(d: Doc, ln: DocLine) -> tuple[str, ...]:
    if d.kind == "sf_advance":
        return (str(ln.line_no), ln.name, DASH, DASH, DASH, DASH, DASH, DASH, DASH, rate_text(ln.vat_rate or d.vat_rate),
                money(ln.vat_kop), money(ln.total_kop), DASH, DASH, DASH)
    return (str(ln.line_no), ln.name, DASH, ln.okei or DASH, ln.unit or DASH, qty(ln.quantity), price(ln.price) or DASH,
            money(ln.amount_kop), "без акциза", rate_text(ln.vat_rate or d.vat_rate), money(ln.vat_kop),
            money(ln.total_kop), DASH, DASH, DASH)


def _table_static(c: Canvas, x: float, y: float, columns: Sequence[Column], numbers: Sequence[str],
                  h: float) -> float:
    y2 = table_header(c, x, y, columns, h, size=5.5)
    c.rect(x, y, sum(col.width for col in columns), h)
    return numbers_row(c, x, y2, columns, numbers)


UPD_LEFT = 42.0


def vat_invoice(r: Renderer, d: Doc, upd: bool) -> list[Page]:
    form = d.form or "1137-2026"
    x = LL + UPD_LEFT if upd else LL
    w = LW - UPD_LEFT if upd else LW
    rows = sf_lines(form)
    value_x = x + 62
    title, title2 = "СЧЁТ-ФАКТУРА №", "ИСПРАВЛЕНИЕ №"
    head_y = 20.0
    table_y = head_y + 11.0 + len(rows) * LINE_STEP + 3.0

    def draw(c: Canvas) -> None:
        notes = c.wrap(EDITION.get(form, EDITION["1137-2026"]), 100, 6)
        for i, ln in enumerate(notes):
            c.text(LL + LW - 100, 5.0 + i * 2.6, ln, size=6)
        if upd:
            c.line_width(0.3)
            c.rect(LL, head_y - 5.0, UPD_LEFT - 3, table_y - head_y + 2.0)
            c.text(LL + 1.5, head_y - 1.0, "Универсальный", size=8, bold=True)
            c.text(LL + 1.5, head_y + 2.6, "передаточный", size=8, bold=True)
            c.text(LL + 1.5, head_y + 6.2, "документ", size=8, bold=True)
            c.text(LL + 1.5, head_y + 12.0, "Статус:", size=8)
            c.rect(LL + 14, head_y + 8.8, 8, 4.5)
            c.paragraph(LL + 1.5, head_y + 16.0, UPD_LEFT - 6, "1 — счёт-фактура и передаточный документ (акт); "
                        "2 — передаточный документ (акт)", size=5.5)
            c.paragraph(LL + 1.5, head_y + 30.0, UPD_LEFT - 6, UPD_NOTE, size=5.5)
        _head_static(c, x, w, head_y, title, title2, rows, value_x)
        _table_static(c, LL, table_y, SF_COLS, SF_NUMBERS, SF_HEAD_H)

    key = ("upd" if upd else "sf", form)
    head_h = table_y + SF_HEAD_H + 3.2
    sheet = Sheet(r, True, LBOTTOM)
    c = sheet.page(r.static(key, draw, True), head_h)
    n1, n2 = head_positions(x, title, title2, r.face)
    c.text(n1, head_y, d.doc_no, size=9.5, bold=True)
    c.text(n1 + 39, head_y, date_ru(d.doc_date), size=9.5, bold=True)
    corr = d.correction_no >= 1
    c.text(n2, head_y + 5.0, str(d.correction_no) if corr else DASH, size=8)
    c.text(n2 + 39, head_y + 5.0, date_ru(d.correction_date) if corr else DASH, size=8)
    if upd:
        c.text(LL + 18, head_y + 12.2, str(d.upd_status or ""), size=9, bold=True, align="C", w=0)
    label_end = {i: x + c.width(lab, 7) + 1.5 for i, (lab, _n) in enumerate(rows)}
    for i, value in enumerate(sf_values(d)):
        vx = max(value_x, label_end[i])
        c.text(vx, head_y + 11.0 + i * LINE_STEP, c.fit(value, x + w - 11 - vx, 7), size=7)

    def more() -> None:
        sheet.page(r.static(key + ("more",), lambda c: _table_static(c, LL, 12.0, SF_COLS, SF_NUMBERS, SF_HEAD_H),
                            True), 12.0 + SF_HEAD_H + 3.2)
        sheet.c.text(LL, 9.0, f"Продолжение счёта-фактуры № {d.doc_no} от {date_ru(d.doc_date)}", size=7)

    for ln in d.lines:
        cells = sf_cells(d, ln)
        h = row_height(sheet.c, SF_COLS, cells, 6.5)
        if not sheet.fits(h):
            more()
        sheet.y = cell_rows(sheet.c, LL, sheet.y, SF_COLS, cells, 6.5)
    footer = 20.0 + (38.0 if upd else 0.0)
    if not sheet.fits(footer):
        more()
    c = sheet.c
    total = (Column("", sum(col.width for col in SF_COLS[:7]), "L"), SF_COLS[7], SF_COLS[8],
             Column("", SF_COLS[9].width + SF_COLS[10].width, "R"), SF_COLS[11])
    amount = DASH if d.kind == "sf_advance" else money(d.amount_kop)
    y = cell_rows(c, LL, sheet.y, total, ("Всего к оплате (9)", amount, "X", money(d.vat_kop), money(d.total_kop)),
                  6.5, bold=True, wrap=0)
    y = signatures(c, LL, y + 1.0, LW)
    if upd:
        y = _transfer(c, d, y + 1.0)
    sheet.y = y
    return sheet.pages


def _transfer(c: Canvas, d: Doc, y: float) -> float:
    """The transfer part of a УПД: the basis, the shipment date, who handed over and who received."""
    c.line_width(0.3)
    c.hline(LL, LL + LW, y)
    c.text(LL, y + 3.5, f"Основание передачи (сдачи) / получения (приёмки): договор {contract_text(d)}", size=7)
    c.text(LL, y + 7.0, "Данные о транспортировке и грузе: —", size=7)
    half = LW / 2
    ship = last_day(d.for_period)
    for i, (who, when, party) in enumerate((
            ("Товар (груз) передал / услуги, результаты работ, права сдал",
             f"Дата отгрузки, передачи (сдачи): {date_ru(ship)}", d.seller),
            ("Товар (груз) получил / услуги, результаты работ, права принял",
             "Дата получения (приёмки): «___» ____________ 20___ г.", d.buyer))):
        xx = LL + i * half
        c.text(xx, y + 11.5, who, size=6.5)
        c.text(xx, y + 15.5, "______________ ______________ / ______________________ /", size=7)
        c.text(xx + 2, y + 18.0, "(должность)", size=5.5)
        c.text(xx + 26, y + 18.0, "(подпись)", size=5.5)
        c.text(xx + 50, y + 18.0, "(ф. и. о.)", size=5.5)
        c.text(xx, y + 22.0, when, size=7)
        c.text(xx, y + 26.0, "Ответственный за правильность оформления факта хозяйственной жизни:", size=6.5)
        c.text(xx, y + 30.0, "______________ ______________ / ______________________ /", size=7)
        c.text(xx, y + 34.0, c.fit(f"{party.name}, ИНН/КПП {party.inn_kpp}", half - 4, 6.5), size=6.5)
        c.text(xx, y + 37.0, "(наименование экономического субъекта — составителя документа)" if i == 0
               else "(наименование экономического субъекта — получателя)", size=5.5)
    return y + 38.0


# ------------------------------------------------------------------------------------ corrective invoice
KSF_COLS = (
    Column("№ п/п", 8, "C"),
    Column("Наименование товара (описание выполненных работ, оказанных услуг), имущественного права", 63),
    Column("Код вида товара", 12, "C"), Column("Единица измерения: код", 10, "C"),
    Column("Единица измерения: условное обозначение (национальное)", 14, "C"), Column("", 26, "L"),
    Column("Количество (объём)", 22, "R"), Column("Цена (тариф) за единицу измерения", 22, "R"),
    Column("Стоимость товаров (работ, услуг), имущественных прав без налога — всего", 26, "R"),
    Column("В том числе сумма акциза", 14, "C"), Column("Налоговая ставка", 14, "C"),
    Column("Сумма налога, предъявляемая покупателю", 24, "R"),
    Column("Стоимость товаров (работ, услуг), имущественных прав с налогом — всего", 26, "R"),
)
KSF_NUMBERS = ("1", "1а", "1б", "2", "2а", "", "3", "4", "5", "6", "7", "8", "9")
KSF_ROWS = ("А (до изменения)", "Б (после изменения)", "В (увеличение)", "Г (уменьшение)")
KSF_HEAD = [("к счёту-фактуре", "1б"), ("Продавец:", "2"), ("Адрес:", "2а"), ("ИНН/КПП продавца:", "2б"),
            ("Покупатель:", "3"), ("Адрес:", "3а"), ("ИНН/КПП покупателя:", "3б"),
            ("Валюта: наименование, код:", "4"),
            ("Идентификатор государственного контракта, договора (соглашения) (при наличии):", "5")]


def _change(before: int, after: int) -> tuple[str, str]:
    """(В, Г) of a money column: the increase and the decrease as positive figures, «—» for none."""
    delta = after - before
    return (money(delta) if delta > 0 else DASH, money(-delta) if delta < 0 else DASH)


def _dchange(before: Decimal | None, after: Decimal | None, fmt: Callable[[Decimal], str]) -> tuple[str, str]:
    if before is None or after is None:
        return DASH, DASH
    delta = after - before
    return (fmt(delta) if delta > 0 else DASH, fmt(-delta) if delta < 0 else DASH)


def ksf_rows(d: Doc, ln: DocLine) -> list[tuple[str, ...]]:
    """The four rows А, Б, В, Г of one line (columns 3 to 9)."""
    rate = rate_text(ln.vat_rate or d.vat_rate)
    p_before = ln.price_before
    p_after = ln.price if ln.price is not None else p_before
    q_before, q_after = ln.quantity_before, ln.quantity_after
    ab, aa = ln.amount_before_kop or 0, ln.amount_after_kop
    vb, va = ln.vat_before_kop or 0, ln.vat_after_kop
    tb, ta = ln.total_before_kop or 0, ln.total_after_kop
    q = _dchange(q_before, q_after, kw)
    p = _dchange(p_before, p_after, lambda v: price(v))
    a, v, t = _change(ab, aa), _change(vb, va), _change(tb, ta)
    return [
        (qty(q_before), price(p_before) or DASH, money(ab), "без акциза", rate, money(vb), money(tb)),
        (qty(q_after), price(p_after) or DASH, money(aa), "без акциза", rate, money(va), money(ta)),
        (q[0], p[0], a[0], "X", "X", v[0], t[0]),
        (q[1], p[1], a[1], "X", "X", v[1], t[1]),
    ]


def ksf_totals(d: Doc) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(increase, decrease) of the amount without VAT, the VAT and the amount with VAT over all lines."""
    inc = [0, 0, 0]
    dec = [0, 0, 0]
    for ln in d.lines:
        for k, delta in enumerate((ln.amount_kop, ln.vat_kop, ln.total_kop)):
            if delta > 0:
                inc[k] += delta
            else:
                dec[k] -= delta
    return (inc[0], inc[1], inc[2]), (dec[0], dec[1], dec[2])


def corrective(r: Renderer, d: Doc) -> list[Page]:
    x, w = LL, LW
    head_y = 20.0
    value_x = x + 62
    title, title2 = "КОРРЕКТИРОВОЧНЫЙ СЧЁТ-ФАКТУРА №", "ИСПРАВЛЕНИЕ КОРРЕКТИРОВОЧНОГО СЧЁТА-ФАКТУРЫ №"
    table_y = head_y + 11.0 + len(KSF_HEAD) * LINE_STEP + 3.0

    def draw(c: Canvas) -> None:
        c.text(LL + LW - 100, 5.0, KSF_EDITION, size=6, w=100)
        _head_static(c, x, w, head_y, title, title2, KSF_HEAD, value_x)
        _table_static(c, LL, table_y, KSF_COLS, KSF_NUMBERS, SF_HEAD_H)

    sheet = Sheet(r, True, LBOTTOM)
    c = sheet.page(r.static(("ksf",), draw, True), table_y + SF_HEAD_H + 3.2)
    n1, n2 = head_positions(x, title, title2, r.face)
    c.text(n1, head_y, d.doc_no, size=9.5, bold=True)
    c.text(n1 + 39, head_y, date_ru(d.doc_date), size=9.5, bold=True)
    corr = d.correction_no >= 1
    c.text(n2, head_y + 5.0, str(d.correction_no) if corr else DASH, size=8)
    c.text(n2 + 39, head_y + 5.0, date_ru(d.correction_date) if corr else DASH, size=8)
    base = d.base
    base_text = DASH
    if base is not None:
        base_text = no_date(base.doc_no, base.doc_date)
        base_text += (f", с учётом исправления № {base.correction_no} от {date_ru(base.correction_date)}"
                      if base.correction_no else ", исправление № — от —")
    s, b = d.seller, d.buyer
    values = [base_text, s.name, s.address, s.inn_kpp, b.name, b.address, b.inn_kpp, "Российский рубль, 643", DASH]
    for i, value in enumerate(values):
        vx = max(value_x, x + c.width(KSF_HEAD[i][0], 7) + 1.5)
        c.text(vx, head_y + 11.0 + i * LINE_STEP, c.fit(value, x + w - 11 - vx, 7), size=7)

    st = step(6.5)
    row_h = st + 1.4
    cx = [LL]
    for col in KSF_COLS:
        cx.append(cx[-1] + col.width)
    for ln in d.lines:
        name = c.wrap(ln.name, KSF_COLS[1].width - 1.6, 6.5)
        h = max(4 * row_h, len(name) * st + 1.4)
        if not sheet.fits(h):
            sheet.page(r.static(("ksf", "more"), lambda c: _table_static(c, LL, 12.0, KSF_COLS, KSF_NUMBERS, SF_HEAD_H),
                                True), 12.0 + SF_HEAD_H + 3.2)
            sheet.c.text(LL, 9.0, f"Продолжение корректировочного счёта-фактуры № {d.doc_no} от "
                                  f"{date_ru(d.doc_date)}", size=7)
        c, y = sheet.c, sheet.y
        sub = h / 4
        c.line_width(0.15)
        for k, text in enumerate((str(ln.line_no), None, DASH, ln.okei or DASH, ln.unit or DASH)):
            if text is None:
                for i, t in enumerate(name):
                    c.text(cx[1] + 0.8, y + 0.7 + st * (i + 0.8), t, size=6.5)
            else:
                c.text(cx[k] + 0.8, y + 0.7 + st * 0.8, text, size=6.5, align=KSF_COLS[k].align,
                       w=KSF_COLS[k].width - 1.6)
        for j, (lab, cells) in enumerate(zip(KSF_ROWS, ksf_rows(d, ln))):
            yy = y + j * sub
            c.text(cx[5] + 0.8, yy + 0.7 + st * 0.8, lab, size=6.5)
            for k, text in enumerate(cells, 6):
                c.text(cx[k] + 0.8, yy + 0.7 + st * 0.8, text, size=6.5, align=KSF_COLS[k].align,
                       w=KSF_COLS[k].width - 1.6)
            if j:
                c.hline(cx[5], cx[-1], yy)
        for e in cx:
            c.vline(e, y, y + h)
        c.hline(cx[0], cx[-1], y + h)
        sheet.y = y + h
    if not sheet.fits(30.0):
        sheet.page(b"", 12.0)
    c = sheet.c
    inc, dec = ksf_totals(d)
    total = (Column("", cx[8] - cx[0], "L"), KSF_COLS[8], KSF_COLS[9], Column("", KSF_COLS[10].width + KSF_COLS[11].width, "R"),
             KSF_COLS[12])
    y = cell_rows(c, LL, sheet.y, total, ("Всего увеличение (сумма строк В)", money(inc[0]), "X", money(inc[1]),
                                          money(inc[2])), 6.5, bold=True, wrap=0)
    y = cell_rows(c, LL, y, total, ("Всего уменьшение (сумма строк Г)", money(dec[0]), "X", money(dec[1]),
                                    money(dec[2])), 6.5, bold=True, wrap=0)
    sheet.y = signatures(c, LL, y + 1.0, LW)
    return sheet.pages


# ------------------------------------------------------------------------------------ acts
AL, AW = 15.0, 185.0
ACT_COLS = (Column("№", 7, "C"), Column("Наименование", 55), Column("Ед. изм.", 13, "C"),
            Column("Количество", 22, "R"), Column("Цена без НДС, руб.", 18, "R"),
            Column("Стоимость без НДС, руб.", 25, "R"), Column("НДС, руб.", 20, "R"),
            Column("Всего с НДС, руб.", 25, "R"))
RECALC_COLS = (Column("№", 6, "C"), Column("Наименование", 36), Column("Ед. изм.", 10, "C"),
               Column("Количество: было", 16, "R"), Column("Количество: стало", 16, "R"),
               Column("Количество: разница", 16, "R"), Column("Стоимость без НДС: было, руб.", 18, "R"),
               Column("Стоимость без НДС: стало, руб.", 18, "R"), Column("Стоимость без НДС: разница, руб.", 18, "R"),
               Column("НДС: разница, руб.", 13, "R"), Column("С НДС: разница, руб.", 13, "R"))
ACT_TABLE = 72.0


def _act_static(title: str, columns: Sequence[Column]) -> Callable[[Canvas], None]:
    def draw(c: Canvas) -> None:
        c.text(AL, 22.0, title, size=11.5, bold=True, align="C", w=AW)
        table_header(c, AL, ACT_TABLE, columns, 9.0, size=6)
        c.rect(AL, ACT_TABLE, AW, 9.0)
    return draw


def _act_head(c: Canvas, d: Doc, lines: list[str], intro: str) -> None:
    y = 27.5
    for ln in lines:
        c.text(AL, y, ln, size=9, align="C", w=AW)
        y += 4.5
    c.paragraph(AL, y + 1.0, AW, intro, size=8.5, max_lines=5)


def _parties(c: Canvas, d: Doc, y: float) -> float:
    """Both sides' names, ИНН/КПП, addresses and signature lines side by side."""
    half = (AW - 6) / 2
    bottom = y
    for i, (role, p) in enumerate((("Гарантирующий поставщик", d.seller), ("Потребитель", d.buyer))):
        xx = AL + i * (half + 6)
        yy = y + 4.0
        c.text(xx, yy, role, size=8, bold=True)
        yy = c.paragraph(xx, yy + 0.5, half, p.name, size=7.5, max_lines=3)
        yy = c.paragraph(xx, yy, half, f"ИНН/КПП {p.inn_kpp}, {p.address}", size=7, max_lines=3)
        bottom = max(bottom, yy)
    for i in range(2):
        xx = AL + i * (half + 6)
        c.text(xx, bottom + 6.0, SIGN, size=8)
        c.text(xx, bottom + 10.0, "М. П.", size=7)
    return bottom + 12.0


def _act_rows(r: Renderer, sheet: Sheet, key: tuple, columns: Sequence[Column], rows: Sequence[Sequence[str]],
              d: Doc, what: str) -> None:
    for cells in rows:
        h = row_height(sheet.c, columns, cells, 6.5)
        if not sheet.fits(h):
            def more(c: Canvas) -> None:
                table_header(c, AL, 15.0, columns, 9.0, size=6)
                c.rect(AL, 15.0, AW, 9.0)
            sheet.page(r.static(key + ("more",), more, False), 24.0)
            sheet.c.text(AL, 12.0, f"Продолжение {what} № {d.doc_no} от {date_ru(d.doc_date)}", size=7)
        sheet.y = cell_rows(sheet.c, AL, sheet.y, columns, cells, 6.5)


def act(r: Renderer, d: Doc) -> list[Page]:
    sheet = Sheet(r, False, BILL_BOTTOM)
    title = "АКТ ПРИЁМА-ПЕРЕДАЧИ ЭЛЕКТРИЧЕСКОЙ ЭНЕРГИИ (МОЩНОСТИ)"
    c = sheet.page(r.static(("act",), _act_static(title, ACT_COLS), False), ACT_TABLE + 9.0)
    c.text(AL, 15.0, d.seller.name, size=8, bold=True)
    _act_head(c, d, [f"№ {d.doc_no} от {date_words(d.doc_date)}", f"за {month_text(d.for_period)}",
                     f"по договору {contract_text(d)}"],
              f"{d.seller.name} (Гарантирующий поставщик) передал, а {d.buyer.name} (Потребитель) принял "
              f"электрическую энергию (мощность) за {month_text(d.for_period)} по договору {contract_text(d)} "
              f"в следующем объёме и на следующую стоимость:")
    rows = [(str(ln.line_no), ln.name, ln.unit or DASH, qty(ln.quantity), price(ln.price) or DASH,
             money(ln.amount_kop), money(ln.vat_kop), money(ln.total_kop)) for ln in d.lines]
    _act_rows(r, sheet, ("act",), ACT_COLS, rows, d, "акта")
    if not sheet.fits(70.0):
        sheet.page(b"", 15.0)
    c = sheet.c
    total = (Column("", sum(col.width for col in ACT_COLS[:5]), "L"), *ACT_COLS[5:])
    y = cell_rows(c, AL, sheet.y, total, ("Итого", money(d.amount_kop), money(d.vat_kop), money(d.total_kop)),
                  6.5, bold=True, wrap=0)
    vat = f"в том числе НДС ({rate_text(d.vat_rate)}) — {money(d.vat_kop)} руб." if d.vat_kop else "без НДС."
    y = c.paragraph(AL, y + 2.0, AW, f"Всего стоимость с НДС: {money(d.total_kop)} руб. "
                    f"({rub_words(d.total_kop)}), {vat}", size=8.5, bold=True)
    y = c.paragraph(AL, y + 1.5, AW, "Стороны претензий по объёму и качеству поставленной электрической энергии "
                    "(мощности) не имеют.", size=8)
    y = c.paragraph(AL, y + 1.0, AW, ACT_NOTE, size=8)
    sheet.y = _parties(c, d, y + 2.0)
    return sheet.pages


def recalc_act(r: Renderer, d: Doc) -> list[Page]:
    sheet = Sheet(r, False, BILL_BOTTOM)
    c = sheet.page(r.static(("act_recalc",), _act_static("АКТ ПЕРЕРАСЧЁТА", RECALC_COLS), False), ACT_TABLE + 9.0)
    c.text(AL, 15.0, d.seller.name, size=8, bold=True)
    to = f" к акту № {d.base.doc_no} от {date_ru(d.base.doc_date)}" if d.base else ""
    _act_head(c, d, [f"№ {d.doc_no} от {date_words(d.doc_date)}",
                     f"стоимости электрической энергии (мощности) за {month_text(d.for_period)}{to}",
                     f"по договору {contract_text(d)}"],
              f"Гарантирующий поставщик {d.seller.name} и Потребитель {d.buyer.name} составили настоящий акт о "
              f"перерасчёте объёма и стоимости электрической энергии (мощности), поставленной за "
              f"{month_text(d.for_period)}:")
    rows = []
    for ln in d.lines:
        rows.append((str(ln.line_no), ln.name, ln.unit or DASH, qty(ln.quantity_before), qty(ln.quantity_after),
                     qty(ln.quantity), money(ln.amount_before_kop or 0), money(ln.amount_after_kop),
                     money(ln.amount_kop), money(ln.vat_kop), money(ln.total_kop)))
    _act_rows(r, sheet, ("act_recalc",), RECALC_COLS, rows, d, "акта перерасчёта")
    if not sheet.fits(70.0):
        sheet.page(b"", 15.0)
    c = sheet.c
    before = sum(ln.amount_before_kop or 0 for ln in d.lines)
    total = (Column("", sum(col.width for col in RECALC_COLS[:6]), "L"), *RECALC_COLS[6:])
    y = cell_rows(c, AL, sheet.y, total, ("Итого", money(before), money(before + d.amount_kop), money(d.amount_kop),
                                          money(d.vat_kop), money(d.total_kop)), 6.5, bold=True, wrap=0)
    what = "к доплате" if d.total_kop > 0 else "к уменьшению" if d.total_kop < 0 else "изменения стоимости нет"
    y = c.paragraph(AL, y + 2.0, AW, f"Сумма перерасчёта с НДС {what}: {money(abs(d.total_kop))} руб. "
                    f"({rub_words(abs(d.total_kop))}).", size=8.5, bold=True)
    y = c.paragraph(AL, y + 1.5, AW, f"Основание перерасчёта: {d.basis or DASH}", size=8)
    y = c.paragraph(AL, y + 1.0, AW, "Перерасчёт учитывается в расчётах за текущий расчётный период; на изменение "
                    "стоимости выставляется корректировочный счёт-фактура.", size=8)
    sheet.y = _parties(c, d, y + 2.0)
    return sheet.pages
