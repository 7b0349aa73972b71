"""Printed forms of a legal-entity contract: the contract with Appendix 1 «Перечень точек поставки и
приборов учёта», and an amendment (дополнительное соглашение).

The data come from `sbyt.core.contracts.contract_card` / `amendment_card`; the supplier's requisites
from the `supplier` table on the document's day. The terms are data (`SECTIONS`): numbered clauses,
each for the contract kinds it applies to, with placeholders filled from the contract (payment
scheme, start and term, restriction-notice contacts, the price-category notice rule). Pages are drawn
with the forms toolkit (`sbyt.reports.forms`) as a flow: text wraps, a long appendix continues on the
next page under its repeated header, every page carries «стр. N из M». The output is deterministic:
the PDF's creation date is the document's date, so the same data give the same bytes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sbyt.core import clock
from sbyt.core.contracts import (AmendmentCard, ContractCard, MeterCard, PointCard, amendment_card, contract,
                                 contract_card)
from sbyt.core.labels import label
from sbyt.core.reference import rule_int
from sbyt.core.store import Store
from sbyt.reports.epd_data import Supplier, supplier_on
from sbyt.reports.forms import A4_W, Canvas, Column, FormDocument, Typeface, date_ru
from sbyt.reports.forms.typeface import MM_PER_PT
from sbyt.reports.forms.widgets import table_header

L = 20.0            # left margin (room for binding)
W = A4_W - L - 10.0  # content width
TOP = 15.0
BOTTOM = 284.0      # the flow stops above this line; the page footer is below it
S = 9.0             # body text, pt
LEAD = 1.25         # line step as a share of the size
GAP = 1.2           # between paragraphs, mm

SUPPLIER_ROLE = "Гарантирующий поставщик"
MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
              "ноября", "декабря")
ROMAN = {1: "I", 2: "II", 3: "III"}
DRAFT_STATES = ("application", "draft", "approved", "disagreement")

TITLES = {
    "supply": ("ДОГОВОР ЭНЕРГОСНАБЖЕНИЯ", "договору энергоснабжения"),
    "sale": ("ДОГОВОР КУПЛИ-ПРОДАЖИ (ПОСТАВКИ) ЭЛЕКТРИЧЕСКОЙ ЭНЕРГИИ (МОЩНОСТИ)",
             "договору купли-продажи (поставки) электрической энергии (мощности)"),
    "manager": ("ДОГОВОР ЭНЕРГОСНАБЖЕНИЯ (РЕСУРСОСНАБЖЕНИЯ) С ИСПОЛНИТЕЛЕМ КОММУНАЛЬНЫХ УСЛУГ",
                "договору энергоснабжения (ресурсоснабжения) с исполнителем коммунальных услуг"),
}
# The counterparty's role as the terms name it, by contract kind: nominative, genitive, dative, instrumental.
ROLES = {
    "supply": ("Потребитель", "Потребителя", "Потребителю", "Потребителем"),
    "sale": ("Потребитель", "Потребителя", "Потребителю", "Потребителем"),
    "manager": ("Исполнитель", "Исполнителя", "Исполнителю", "Исполнителем"),
}
PAYMENT = {
    "p82": "30 % стоимости электрической энергии (мощности), потребляемой в месяце, за который осуществляется "
           "оплата, вносится до 10-го числа этого месяца; 40 % — до 25-го числа этого месяца; стоимость "
           "фактически поставленной за месяц электрической энергии (мощности) за вычетом внесённых в этом месяце "
           "платежей — до 18-го числа месяца, следующего за расчётным (пункт 82 Основных положений). "
           "Промежуточные платежи определяются по объёму потребления предыдущего расчётного периода; излишне "
           "уплаченная сумма засчитывается в счёт платежа за следующий месяц.",
    "p81": "стоимость электрической энергии, поставленной за расчётный период, оплачивается до 15-го числа "
           "месяца, следующего за расчётным.",
    "retailer": "50 % стоимости электрической энергии (мощности), приобретаемой в месяце, за который "
                "осуществляется оплата, вносится до 1-го числа этого месяца; стоимость фактически поставленной "
                "за месяц электрической энергии (мощности) за вычетом внесённого платежа — до 18-го числа месяца, "
                "следующего за расчётным.",
}

ALL = ("supply", "sale", "manager")
NETWORK = ("supply", "sale")
# The terms: (section title, ((contract kinds, clause text), ...)). Clauses are numbered in print over
# those that apply to the contract's kind; {placeholders} are filled by `_terms_values`.
SECTIONS: tuple[tuple[str, tuple[tuple[tuple[str, ...], str], ...]], ...] = (
    ("ПРЕДМЕТ ДОГОВОРА", (
        (("supply",), "Гарантирующий поставщик обязуется осуществлять продажу электрической энергии (мощности), "
                      "а также самостоятельно или через привлечённых третьих лиц оказывать услуги по передаче "
                      "электрической энергии и иные услуги, неразрывно связанные с процессом снабжения "
                      "электрической энергией, а Потребитель обязуется оплачивать приобретаемую электрическую "
                      "энергию (мощность) и оказанные услуги на условиях Договора."),
        (("sale",), "Гарантирующий поставщик обязуется осуществлять продажу электрической энергии (мощности), "
                    "а Потребитель обязуется принимать и оплачивать приобретаемую электрическую энергию (мощность) "
                    "на условиях Договора. Услуги по передаче электрической энергии Потребитель получает и "
                    "оплачивает по договору, заключённому им с сетевой организацией."),
        (("manager",), "Гарантирующий поставщик обязуется поставлять электрическую энергию (мощность) в "
                       "многоквартирные дома, находящиеся в управлении Исполнителя, в целях предоставления "
                       "коммунальной услуги по электроснабжению и её использования при содержании общего "
                       "имущества, а Исполнитель обязуется оплачивать поставленную электрическую энергию на "
                       "условиях Договора."),
        (ALL, "Точки поставки, их максимальная мощность, уровень напряжения, ценовая категория, граница "
              "балансовой принадлежности и приборы учёта, по которым определяется объём, указаны в Приложении 1 "
              "«Перечень точек поставки и приборов учёта», являющемся неотъемлемой частью Договора: точек "
              "поставки — {points}, максимальная мощность — {max_kw} кВт."),
        (NETWORK, "Договор заключён в соответствии с Гражданским кодексом Российской Федерации, Федеральным "
                  "законом от 26.03.2003 № 35-ФЗ «Об электроэнергетике» и Основными положениями "
                  "функционирования розничных рынков электрической энергии, утверждёнными постановлением "
                  "Правительства Российской Федерации от 04.05.2012 № 442 (далее — Основные положения)."),
        (("manager",), "Договор заключён в соответствии с Гражданским и Жилищным кодексами Российской Федерации, "
                       "Правилами, обязательными при заключении договоров снабжения коммунальными ресурсами, "
                       "утверждёнными постановлением Правительства Российской Федерации от 14.02.2012 № 124 "
                       "(далее — Правила № 124), и Основными положениями функционирования розничных рынков "
                       "электрической энергии, утверждёнными постановлением Правительства Российской Федерации "
                       "от 04.05.2012 № 442 (далее — Основные положения)."),
    )),
    ("СРОК ДЕЙСТВИЯ ДОГОВОРА", (
        (ALL, "Исполнение обязательств по Договору начинается с 00 ч 00 мин {starts} (по местному времени)."),
        (("sale",), "Обязательства Гарантирующего поставщика по Договору начинаются не ранее даты заключения "
                    "Потребителем договора оказания услуг по передаче электрической энергии с сетевой "
                    "организацией; о дате его заключения Потребитель сообщает Гарантирующему поставщику."),
        (ALL, "{term}"),
        (ALL, "Изменение и расторжение Договора оформляются дополнительными соглашениями или уведомлениями в "
              "порядке, установленном Основными положениями."),
    )),
    ("ОБЯЗАННОСТИ И ПРАВА СТОРОН", (
        (ALL, "Гарантирующий поставщик обязан поставлять электрическую энергию в точки поставки, указанные в "
              "Приложении 1, в пределах максимальной мощности; качество электрической энергии должно "
              "соответствовать ГОСТ 32144-2013."),
        (("supply",), "Гарантирующий поставщик урегулирует в интересах Потребителя отношения по передаче "
                      "электрической энергии с сетевой организацией, к сетям которой присоединены "
                      "энергопринимающие устройства Потребителя."),
        (NETWORK, "Потребитель обязан соблюдать максимальную мощность и категорию надёжности энергопринимающих "
                  "устройств, выполнять диспетчерские команды сетевой организации и системного оператора, "
                  "поддерживать в исправном состоянии устройства релейной защиты и противоаварийной автоматики; "
                  "для энергопринимающих устройств, ограничение режима потребления которых может привести к угрозе "
                  "жизни и здоровью людей, — в течение 5 дней направить Гарантирующему поставщику акт согласования "
                  "технологической и (или) аварийной брони, согласованный с сетевой организацией."),
        (("manager",), "Исполнитель обязан ежемесячно передавать показания коллективных (общедомовых) приборов "
                       "учёта, сведения о площади помещений и о числе проживающих, необходимые для определения "
                       "объёма электрической энергии, поставленной в многоквартирные дома."),
        (NETWORK, "Потребитель вправе выбрать ценовую категорию (для точек поставки с максимальной мощностью "
                  "670 кВт и более — четвёртую или шестую), уведомив Гарантирующего поставщика не позднее чем за "
                  "{notice_days} рабочих дней до начала расчётного периода; ценовая категория меняется с 1-го "
                  "числа месяца."),
    )),
    ("УЧЁТ ЭЛЕКТРИЧЕСКОЙ ЭНЕРГИИ", (
        (ALL, "Объём поставленной электрической энергии определяется по приборам учёта, указанным в "
              "Приложении 1: разность показаний на конец и на начало расчётного периода умножается на "
              "коэффициенты трансформации тока и напряжения (Ктт × Ктн); потери электрической энергии от места "
              "установки прибора учёта до границы балансовой принадлежности добавляются в процентах, указанных "
              "в Приложении 1."),
        (NETWORK, "Показания приборов учёта по состоянию на 00 ч 00 мин 1-го числа месяца, следующего за "
                  "расчётным (для ценовых категорий с третьей по шестую — почасовые объёмы, в том числе из "
                  "автоматизированной системы учёта в формате макета 80020), Потребитель передаёт Гарантирующему "
                  "поставщику в сроки, установленные Основными положениями."),
        (("manager",), "Объём, поставленный в многоквартирный дом, определяется по показаниям коллективного "
                       "(общедомового) прибора учёта, а при его отсутствии или выходе из строя — в порядке, "
                       "установленном Правилами № 124."),
        (ALL, "О выходе прибора учёта из строя, его утрате или неисправности {role} незамедлительно сообщает "
              "Гарантирующему поставщику; учёт восстанавливается в срок не более 2 месяцев, до этого объём "
              "определяется расчётными способами, установленными Основными положениями."),
        (ALL, "Проверки приборов учёта проводятся не чаще 1 раза в месяц; {role} обеспечивает доступ "
              "представителей Гарантирующего поставщика и сетевой организации к приборам учёта."),
    )),
    ("ЦЕНА И ПОРЯДОК ОПЛАТЫ", (
        (("supply",), "Электрическая энергия (мощность) оплачивается по нерегулируемым ценам, которые "
                      "Гарантирующий поставщик рассчитывает по ценовой категории, указанной в Приложении 1 для "
                      "каждой точки поставки, и публикует в порядке, установленном Основными положениями; цена "
                      "включает стоимость услуг по передаче электрической энергии, сбытовую надбавку "
                      "Гарантирующего поставщика и плату за иные услуги."),
        (("sale",), "Электрическая энергия (мощность) оплачивается по нерегулируемым ценам, которые "
                    "Гарантирующий поставщик рассчитывает по ценовой категории, указанной в Приложении 1 для "
                    "каждой точки поставки, и публикует в порядке, установленном Основными положениями; цена не "
                    "включает стоимость услуг по передаче электрической энергии."),
        (("manager",), "Электрическая энергия оплачивается по тарифам для населения и приравненных к нему "
                       "категорий потребителей, установленным органом исполнительной власти субъекта Российской "
                       "Федерации в области государственного регулирования тарифов."),
        (ALL, "Расчётный период — календарный месяц. Порядок оплаты: {payment}"),
        (ALL, "Гарантирующий поставщик оформляет за расчётный период акт приёма-передачи электрической энергии "
              "(мощности), счёт и счёт-фактуру и передаёт их {role_dat} {delivery}."),
        (ALL, "Обязательство по оплате считается исполненным в день поступления денежных средств на расчётный "
              "счёт Гарантирующего поставщика; в платёжном документе {role} указывает номер Договора и "
              "расчётный период."),
    )),
    ("ОГРАНИЧЕНИЕ РЕЖИМА ПОТРЕБЛЕНИЯ", (
        (NETWORK, "При неисполнении или ненадлежащем исполнении обязательств по оплате вводится ограничение "
                  "режима потребления электрической энергии в порядке, установленном Правилами полного и (или) "
                  "частичного ограничения режима потребления электрической энергии (постановление Правительства "
                  "Российской Федерации от 04.05.2012 № 442)."),
        (("manager",), "Ограничение режима потребления вводится в случаях и порядке, установленных Правилами "
                       "№ 124 и Правилами полного и (или) частичного ограничения режима потребления электрической "
                       "энергии (постановление Правительства Российской Федерации от 04.05.2012 № 442)."),
        (ALL, "Уведомления о введении ограничения режима потребления и иные уведомления по Договору направляются "
              "{role_dat} коротким текстовым сообщением на номер мобильного телефона {mobile} и по адресу "
              "электронной почты {email}. Об изменении номера или адреса {role} незамедлительно сообщает "
              "Гарантирующему поставщику."),
    )),
    ("ОТВЕТСТВЕННОСТЬ СТОРОН", (
        (ALL, "За неисполнение или ненадлежащее исполнение обязательств Стороны несут ответственность в "
              "соответствии с законодательством Российской Федерации: Гарантирующий поставщик — за надёжность "
              "снабжения и качество электрической энергии в границах своей ответственности, {role} — за оплату."),
        (NETWORK, "За несвоевременную или неполную оплату Потребитель уплачивает пени в размере, установленном "
                  "пунктом 2 статьи 37 Федерального закона от 26.03.2003 № 35-ФЗ «Об электроэнергетике»."),
        (("manager",), "За несвоевременную или неполную оплату Исполнитель уплачивает пени в размере, "
                       "установленном частью 14.5 статьи 155 Жилищного кодекса Российской Федерации."),
    )),
    ("ПРОЧИЕ УСЛОВИЯ", (
        (ALL, "Изменения Договора, в том числе точек поставки, максимальной мощности, уровня напряжения, "
              "ценовой категории и приборов учёта, оформляются дополнительными соглашениями, которые являются "
              "неотъемлемой частью Договора."),
        (ALL, "Споры, не урегулированные в претензионном порядке (срок ответа на претензию — 30 календарных "
              "дней), рассматриваются в арбитражном суде по месту нахождения Гарантирующего поставщика."),
        (ALL, "{copies}"),
        (ALL, "Приложение: 1. Перечень точек поставки и приборов учёта."),
    )),
)
REQUISITES_TITLE = "АДРЕСА, РЕКВИЗИТЫ И ПОДПИСИ СТОРОН"

COPIES_EDO = ("Договор подписан усиленными квалифицированными электронными подписями Сторон; документы по "
              "Договору передаются через оператора электронного документооборота.")
COPIES_PAPER = "Договор составлен в двух экземплярах, имеющих равную юридическую силу, по одному для каждой из Сторон."
DELIVERY_EDO = "через оператора электронного документооборота"
DELIVERY_PAPER = "на бумажном носителе (по почтовому адресу или в офисе Гарантирующего поставщика)"

# Appendix 1: one row per supply point, the measuring complexes stacked in the meter columns.
APPENDIX = (
    Column("№", 5, "C"), Column("Объект", 16), Column("Точка поставки", 16), Column("Адрес", 22),
    Column("Напря- жение", 9, "C"), Column("Макс. мощ- ность, кВт", 10, "R"), Column("Цено- вая кате- гория", 8, "C"),
    Column("Сетевая организация", 18), Column("Граница балансовой принадлежности", 21),
    Column("Прибор учёта: зав. №, тип, класс", 22), Column("Ктт × Ктн", 9, "C"),
    Column("Поверка: последняя, очередная", 16, "C"), Column("Поте- ри, %", 8, "R"),
)
METER_COLUMNS = 9      # the first column of the measuring complex
CELL = 6.0             # table text, pt
CELL_PAD = 0.8
CHANGES = (Column("№", 8, "C"), Column("Характеристика точки поставки", 72))   # + «Было», «Стало»
FIELD_TITLES = {"voltage": "Уровень напряжения", "max_kw": "Максимальная мощность, кВт",
                "price_category": "Ценовая категория", "reliability": "Категория надёжности"}


# ------------------------------------------------------------------------------------ formats
def kw(value: Decimal | None) -> str:
    """Kilowatts as a contract states them: 1500 -> «1 500», 12.5 -> «12,5»."""
    if value is None:
        return "—"
    text = f"{Decimal(value).normalize():f}"
    head, _, frac = text.partition(".")
    sign = "-" if head.startswith("-") else ""
    head = f"{int(head.lstrip('-')):,}".replace(",", " ")
    return sign + head + ("," + frac if frac else "")


def date_words(day: date | None) -> str:
    """«01» июня 2026 г.; a blank to fill in by hand when the date is not known yet."""
    if day is None:
        return "«___» ____________ 20___ г."
    return f"«{day.day:02d}» {MONTHS_GEN[day.month - 1]} {day.year} г."


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def place(supplier: Supplier) -> str:
    """The place of the contract: the supplier's town from its address («г. Оренбург»)."""
    m = re.search(r"\b(г\.\s*[^,]+)", supplier.address)
    return m.group(1).strip() if m else ""


def fact_text(field: str, value: object) -> str:
    if value is None:
        return "—"
    if field == "voltage":
        return label("voltage", value)
    if field == "max_kw":
        return kw(value)  # type: ignore[arg-type]
    if field == "reliability":
        return ROMAN.get(int(value), str(value))  # type: ignore[call-overload]
    return str(value)


# ------------------------------------------------------------------------------------ the flow
class Flow:
    """Pages filled top to bottom: wrapped paragraphs, headings kept with what follows, tables."""

    def __init__(self, face: Typeface, footer: str) -> None:
        self.face = face
        self.footer = footer
        self.pages: list[Canvas] = []
        self.y = TOP
        self.new_page()

    @property
    def c(self) -> Canvas:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Canvas(self.face))
        self.y = TOP

    def need(self, h: float) -> None:
        if self.y + h > BOTTOM and self.y > TOP:
            self.new_page()

    def step(self, size: float) -> float:
        return size * MM_PER_PT * LEAD

    def lines(self, lines: Sequence[str], x: float = L, size: float = S, bold: bool = False,
              align: str = "L", w: float = W) -> None:
        st = self.step(size)
        for ln in lines:
            self.need(st)
            self.y += st
            self.c.text(x, self.y - st * 0.25, ln, size=size, bold=bold, align=align, w=w)

    def para(self, text: str, size: float = S, bold: bool = False, align: str = "L", keep: int = 0,
             x: float = L, w: float = W) -> None:
        """A wrapped paragraph; `keep` more lines of what follows must fit on the same page."""
        lines = self.c.wrap(text, w, size, bold)
        self.need(self.step(size) * (min(len(lines), 2) + keep))
        self.lines(lines, x, size, bold, align, w)
        self.y += GAP

    def space(self, mm: float) -> None:
        self.y += mm

    def finish(self, doc: FormDocument) -> None:
        n = len(self.pages)
        for i, c in enumerate(self.pages, 1):
            c.line_width(0.1)
            c.hline(L, L + W, BOTTOM + 2.5)
            c.text(L, BOTTOM + 6.0, self.footer, size=7)
            c.text(L, BOTTOM + 6.0, f"стр. {i} из {n}", size=7, align="R", w=W)
            doc.add_page(c.getvalue())


# ------------------------------------------------------------------------------------ the parties
@dataclass(frozen=True)
class Party:
    role: str
    lines: tuple[tuple[str, str], ...]   # (label, value) of the requisites block


def supplier_party(s: Supplier) -> Party:
    rows = [("", s.name), ("ИНН / КПП", f"{s.inn} / {s.kpp}"), ("Адрес", s.address),
            ("Р/с", s.bank_account), ("Банк", s.bank_name), ("БИК", s.bic), ("К/с", s.corr_account)]
    if s.phone:
        rows.append(("Телефон", s.phone))
    if s.email:
        rows.append(("E-mail", s.email))
    return Party(SUPPLIER_ROLE, tuple(rows))


def consumer_party(card: ContractCard) -> Party:
    p, f = card.party, card.party.facts
    person = p.kind == "sole_trader"
    rows = [("", f.name), ("ИНН / КПП", p.inn + (f" / {p.kpp}" if p.kpp else "")) if not person else ("ИНН", p.inn)]
    if p.ogrn:
        rows.append(("ОГРНИП" if person else "ОГРН", p.ogrn))
    rows.append(("Юридический адрес" if not person else "Адрес", f.legal_address or "—"))
    if f.postal_address and f.postal_address != f.legal_address:
        rows.append(("Почтовый адрес", f.postal_address))
    if p.bank:
        bik, bank_name, account, corr = p.bank
        rows += [("Р/с", account), ("Банк", bank_name or "—"), ("БИК", bik)]
        if corr:
            rows.append(("К/с", corr))
    rows += [("Мобильный телефон", f.mobile or "—"), ("E-mail", f.email or "—")]
    return Party(ROLES[card.kind][0], tuple(rows))


def _requisites(flow: Flow, parties: Sequence[Party], title: str = "", size: float = 7.5) -> None:
    """The parties side by side, each with its requisites and a signature line at a common bottom; the
    title stays on the page of the block."""
    col_w = (W - 6.0) / 2
    c = flow.c
    blocks: list[list[tuple[str, bool]]] = []
    for party in parties:
        lines: list[tuple[str, bool]] = [(party.role, True)]
        for lab, value in party.lines:
            text = f"{lab}: {value}" if lab else value
            lines += [(ln, not lab) for ln in c.wrap(text, col_w, size, not lab)]
        blocks.append(lines)
    st = flow.step(size)
    body = max(len(b) for b in blocks)
    signature = ("________________ / ____________________ /", "М. П.")
    height = st * (body + 2 + len(signature))
    title_h = flow.step(S) + GAP + 1.0 if title else 0.0
    flow.need(title_h + height)
    if title:
        flow.space(1.0)
        flow.para(title, bold=True, align="C")
    top = flow.y
    for i, block in enumerate(blocks):
        x = L + i * (col_w + 6.0)
        rows = [*block, *[("", False)] * (body + 2 - len(block)), *((s, False) for s in signature)]
        for j, (text, bold) in enumerate(rows):
            flow.c.text(x, top + st * (j + 1) - st * 0.25, text, size=size, bold=bold)
    flow.y = top + height + GAP


def _preamble(card: ContractCard, supplier: Supplier, what: str) -> str:
    role = ROLES[card.kind][0]
    f = card.party.facts
    named = "именуемый" if card.party.kind == "sole_trader" else "именуемое"
    signer = "," if card.party.kind == "sole_trader" else \
        ", в лице ______________________________, действующего на основании ____________________,"
    return (f"{supplier.name}, именуемое в дальнейшем «{SUPPLIER_ROLE}», в лице ______________________________, "
            f"действующего на основании ____________________, с одной стороны, и {f.name}, {named} в дальнейшем "
            f"«{role}»{signer} с другой стороны, вместе именуемые «Стороны», заключили {what} о нижеследующем:")


def _heading(flow: Flow, title: str, subtitle: str, town: str, day: date | None, draft: bool) -> None:
    if draft:
        flow.c.text(L, flow.y + 3.0, "ПРОЕКТ", size=9, bold=True, align="R", w=W)
    flow.space(4.0)
    for ln in flow.c.wrap(title, W, 12, True):
        flow.lines([ln], size=12, bold=True, align="C")
    if subtitle:
        flow.lines(flow.c.wrap(subtitle, W, S), align="C")
    flow.space(3.0)
    st = flow.step(S)
    flow.y += st
    flow.c.text(L, flow.y, town, size=S)
    flow.c.text(L, flow.y, date_words(day), size=S, align="R", w=W)
    flow.space(4.0)


# ------------------------------------------------------------------------------------ the contract
def _terms_values(store: Store, card: ContractCard) -> dict[str, str]:
    r = ROLES[card.kind]
    f = card.party.facts
    if card.ends is None:
        term = "Договор заключён на неопределённый срок."
    else:
        term = (f"Договор действует по {date_ru(card.ends)} включительно. Если ни одна из Сторон до окончания "
                "срока не заявит о его прекращении или изменении, Договор считается продлённым на тот же срок "
                "на тех же условиях (статья 540 Гражданского кодекса Российской Федерации).")
    return {
        "role": r[0], "role_gen": r[1], "role_dat": r[2], "role_ins": r[3],
        "points": str(len(card.points)), "max_kw": kw(sum((p.max_kw for p in card.points), Decimal(0))),
        "starts": date_ru(card.starts) if card.starts else "«___» ____________ 20___ г.",
        "term": term,
        "notice_days": str(rule_int(store, "contract.price_category.notice_working_days", card.on, 10)),
        "payment": PAYMENT[card.payment_scheme],
        "delivery": DELIVERY_EDO if card.edo else DELIVERY_PAPER,
        "copies": COPIES_EDO if card.edo else COPIES_PAPER,
        "mobile": f.mobile or "____________________", "email": f.email or "____________________",
    }


def clauses(store: Store, card: ContractCard) -> list[tuple[str, list[str]]]:
    """The numbered terms of this contract: [(«1. ПРЕДМЕТ ДОГОВОРА», [«1.1. …», …]), …]."""
    values = _terms_values(store, card)
    out = []
    for n, (title, items) in enumerate(SECTIONS, 1):
        texts = [text.format_map(values) for kinds, text in items if card.kind in kinds]
        out.append((f"{n}. {title}", [f"{n}.{i}. {t}" for i, t in enumerate(texts, 1)]))
    return out


def _meter_lines(m: MeterCard) -> list[list[str]]:
    """The meter columns' text of one measuring complex."""
    ident = " ".join(x for x in (f"№ {m.serial}", m.model or "", f"кл. {m.accuracy}" if m.accuracy else "") if x)
    verified = [date_ru(m.verified)] if m.verified else ["—"]
    if m.verified and m.verify_years:
        verified.append(date_ru(_add_years(m.verified, m.verify_years)))
    return [[ident], [f"{m.ct_ratio} × {m.vt_ratio}"], verified, [kw(m.loss_pct)]]


def appendix_rows(points: Sequence[PointCard]) -> list[list[str | list[list[str]]]]:
    """Appendix 1 as cells: text for the point columns, a list of per-meter line lists for the meter ones."""
    rows: list[list[str | list[list[str]]]] = []
    for i, p in enumerate(points, 1):
        code = "; ".join(x for x in (
            p.code + (f" ({p.name})" if p.name else ""),
            f"категория надёжности {ROMAN.get(p.reliability, p.reliability)}" if p.reliability else "",
            f"транзит через {p.head_code}" if p.head_code else "") if x)
        meters = [_meter_lines(m) for m in p.meters] or [[["нет (расчётный способ)"], ["—"], ["—"], ["—"]]]
        rows.append([str(i), f"{p.object_name} ({p.object_code})", code, p.address or "—",
                     label("voltage", p.voltage), kw(p.max_kw), str(p.price_category),
                     p.grid_company or "—", p.boundary or "—",
                     *[[m[k] for m in meters] for k in range(4)]])
    return rows


def wrap_cell(c: Canvas, text: str, w: float, size: float = CELL) -> list[str]:
    """Word wrap for a table cell; a word wider than the cell is broken with a hyphen, never cut (a legal
    appendix prints every character of a name or a boundary)."""
    words = []
    for word in text.split():
        while c.width(word, size) > w and len(word) > 2:
            n = len(word) - 1
            while n > 1 and c.width(word[:n] + "-", size) > w:
                n -= 1
            words.append(word[:n] + "-")
            word = word[n:]
        words.append(word)
    return c.wrap(" ".join(words), w, size)


def _table(flow: Flow, columns: Sequence[Column], rows: Sequence[Sequence[str | list[list[str]]]],
           continued: Callable[[], None] | None = None, header_h: float = 9.0, size: float = CELL) -> None:
    """A table whose cells wrap; a row that does not fit starts a new page under the repeated header.
    A cell is a text, or (the measuring-complex columns) blocks of lines aligned across those columns."""
    st = size * MM_PER_PT * 1.2
    x0 = L
    total = sum(col.width for col in columns)

    def header() -> None:
        flow.y = table_header(flow.c, x0, flow.y, columns, header_h, size=size - 0.5)

    header()
    for row in rows:
        plain: dict[int, list[str]] = {}
        blocks: dict[int, list[list[str]]] = {}
        for k, (col, cell) in enumerate(zip(columns, row)):
            wrap_w = col.width - 2 * CELL_PAD
            if isinstance(cell, str):
                plain[k] = wrap_cell(flow.c, cell, wrap_w, size)
            else:
                blocks[k] = [[ln for part in block for ln in wrap_cell(flow.c, part, wrap_w, size)] for block in cell]
        n_blocks = max((len(b) for b in blocks.values()), default=0)
        block_h = [max(len(b[j]) for b in blocks.values()) for j in range(n_blocks)]
        n_lines = max([len(v) for v in plain.values()] + [sum(block_h)])
        h = n_lines * st + 1.2
        if flow.y + h > BOTTOM:
            flow.new_page()
            if continued:
                continued()
            header()
        c, y = flow.c, flow.y
        c.line_width(0.15)
        cx = x0
        edges = []
        for k, col in enumerate(columns):
            edges.append(cx)
            lines = plain.get(k)
            if lines is None:
                lines, offsets = [], []
                for j, block in enumerate(blocks[k]):
                    offsets += [sum(block_h[:j]) + i for i in range(len(block))]
                    lines += block
            else:
                offsets = list(range(len(lines)))
            for ln, off in zip(lines, offsets):
                c.text(cx + CELL_PAD, y + 0.6 + st * (off + 0.8), ln, size=size, align=col.align,
                       w=col.width - 2 * CELL_PAD)
            cx += col.width
        edges.append(cx)
        c.rect(x0, y, total, h)
        for e in edges[1:-1]:
            c.vline(e, y, y + h)
        if n_blocks > 1:  # a thin rule between the measuring complexes of one point
            c.line_width(0.05)
            for j in range(1, n_blocks):
                yy = y + 0.6 + st * sum(block_h[:j]) - 0.1 * st
                c.hline(edges[METER_COLUMNS], edges[-1], yy)
        flow.y = y + h


def render_contract(store: Store, card: ContractCard, supplier: Supplier) -> FormDocument:
    title, in_title = TITLES[card.kind]
    doc = FormDocument(title=f"{title.capitalize()} № {card.number}")
    _stable(doc, card.signed_on or card.on)
    face = Typeface.load()
    flow = Flow(face, f"Договор № {card.number}")
    town = place(supplier)
    draft = card.state in DRAFT_STATES
    _heading(flow, f"{title} № {card.number}", "", town, card.signed_on, draft)
    flow.para(_preamble(card, supplier, "настоящий договор (далее — Договор)"))
    for head, items in clauses(store, card):
        flow.space(1.0)
        flow.para(head, bold=True, align="C", keep=2)
        for text in items:
            flow.para(text)
    parties = (supplier_party(supplier), consumer_party(card))
    _requisites(flow, parties, f"{len(SECTIONS) + 1}. {REQUISITES_TITLE}")

    # Appendix 1
    flow.new_page()
    flow.lines([f"Приложение 1 к {in_title} № {card.number} от {date_ru(card.signed_on) or '«___» ________ 20___ г.'}"],
               size=8, align="R")
    flow.space(2.0)
    flow.para("ПЕРЕЧЕНЬ ТОЧЕК ПОСТАВКИ И ПРИБОРОВ УЧЁТА", size=10, bold=True, align="C")
    flow.para(f"по состоянию на {date_ru(card.on)}", size=8, align="C")

    def continued() -> None:
        flow.lines([f"Продолжение приложения 1 к договору № {card.number}"], size=8, align="R")
        flow.space(1.0)

    _table(flow, APPENDIX, appendix_rows(card.points), continued)
    flow.space(2.0)
    total = kw(sum((p.max_kw for p in card.points), Decimal(0)))
    flow.para(f"Итого: точек поставки — {len(card.points)}, максимальная мощность — {total} кВт.", size=8, bold=True)
    flow.para("Ктт, Ктн — коэффициенты трансформации тока и напряжения; в графе «Поверка» — даты последней и "
              "очередной поверки прибора учёта; потери — от места установки прибора учёта до границы балансовой "
              "принадлежности.", size=7)
    flow.space(2.0)
    _requisites(flow, [Party(p.role, p.lines[:1]) for p in parties])
    flow.finish(doc)
    return doc


# ------------------------------------------------------------------------------------ the amendment
def amendment_clauses(a: AmendmentCard) -> list[str]:
    card, p = a.contract, a.point
    changed = {f for f, _old, _new in a.changes}
    where = ", ".join(x for x in (f"объект «{p.object_name}» ({p.object_code})", p.address) if x)
    facts = [f"уровень напряжения {label('voltage', p.voltage)}", f"максимальная мощность {kw(p.max_kw)} кВт",
             f"ценовая категория {p.price_category}"]
    if p.reliability:
        facts.append(f"категория надёжности {ROMAN.get(p.reliability, p.reliability)}")
    out = [f"1. Стороны договорились с {date_ru(a.effective)} изменить характеристики точки поставки {p.code} "
           f"({where}), указанные в Приложении 1 «Перечень точек поставки и приборов учёта» к Договору, "
           f"как указано в таблице:",
           f"2. С {date_ru(a.effective)} точка поставки {p.code} имеет следующие характеристики: "
           + "; ".join(facts) + "."]
    if "price_category" in changed:
        out.append(f"{len(out) + 1}. Расчёты по ценовой категории {p.price_category} производятся с расчётного "
                   f"периода, начинающегося {date_ru(a.effective)}.")
    out.append(f"{len(out) + 1}. Соглашение вступает в силу с момента подписания Сторонами и распространяет своё "
               f"действие на их отношения с {date_ru(a.effective)}. В остальном Стороны руководствуются Договором; "
               "соглашение является его неотъемлемой частью.")
    out.append(f"{len(out) + 1}. " + ("Соглашение подписано усиленными квалифицированными электронными подписями "
                                      "Сторон." if card.edo else "Соглашение составлено в двух экземплярах, имеющих "
                                      "равную юридическую силу, по одному для каждой из Сторон."))
    return out


def render_amendment(a: AmendmentCard, supplier: Supplier) -> FormDocument:
    card = a.contract
    _title, in_title = TITLES[card.kind]
    no = a.doc_no or str(a.doc_id)
    doc = FormDocument(title=f"Дополнительное соглашение № {no} к договору № {card.number}")
    _stable(doc, a.doc_date)
    flow = Flow(Typeface.load(), f"Дополнительное соглашение № {no} к договору № {card.number}")
    signed = f" от {date_ru(card.signed_on)}" if card.signed_on else ""
    _heading(flow, f"ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ № {no}", f"к {in_title} № {card.number}{signed}", place(supplier),
             a.doc_date, False)
    flow.para(_preamble(card, supplier, f"настоящее дополнительное соглашение к {in_title} № {card.number}{signed} "
                                        "(далее — Договор)"))
    items = amendment_clauses(a)
    flow.para(items[0], keep=3)
    rows = [[str(i), FIELD_TITLES[f], fact_text(f, old), fact_text(f, new)] for i, (f, old, new) in
            enumerate(a.changes, 1)]
    until, since = date_ru(a.effective - timedelta(days=1)), date_ru(a.effective)
    columns = (*CHANGES[:2], Column(f"Было (по {until})", 50, "C"), Column(f"Стало (с {since})", 50, "C"))
    _table(flow, columns, rows, header_h=6.0, size=8.0)
    flow.space(2.0)
    for text in items[1:]:
        flow.para(text)
    _requisites(flow, (supplier_party(supplier), consumer_party(card)), REQUISITES_TITLE)
    flow.finish(doc)
    return doc


# ------------------------------------------------------------------------------------ entry points
def _stable(doc: FormDocument, day: date) -> None:
    """The creation date is the document's day: the same document prints to the same bytes."""
    doc.pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def print_day(store: Store, number: str) -> date:
    """The day the contract is printed on: its start of supply once signed, else today."""
    c = contract(store, number)
    return c.starts or c.signed_on or clock.today()


def contract_pdf(store: Store, number: str, on: date | None = None) -> bytes:
    """The contract with Appendix 1 as PDF bytes; the points and requisites in force on `on`."""
    card = contract_card(store, number, on or print_day(store, number))
    supplier = supplier_on(store, card.signed_on or card.on)
    return render_contract(store, card, supplier).output() or b""


def amendment_pdf(store: Store, number: str, doc: str) -> bytes:
    """The amendment `doc` (its number or id) of the contract as PDF bytes."""
    a = amendment_card(store, number, doc)
    return render_amendment(a, supplier_on(store, a.doc_date)).output() or b""


@dataclass(frozen=True)
class PrintResult:
    path: Path
    pages: int
    title: str


def print_contract(store: Store, number: str, out: str | os.PathLike[str], *, amendment: str | None = None,
                   on: date | None = None, save: Callable[[Path, bytes], None] | None = None) -> PrintResult:
    """`sbyt contract print`: the contract (or one of its amendments) into a PDF file (its bytes go to
    `save(path, data)`, by default written here)."""
    if amendment:
        a = amendment_card(store, number, amendment)
        doc = render_amendment(a, supplier_on(store, a.doc_date))
        title = f"Дополнительное соглашение № {a.doc_no or a.doc_id} к договору № {number}"
    else:
        card = contract_card(store, number, on or print_day(store, number))
        doc = render_contract(store, card, supplier_on(store, card.signed_on or card.on))
        title = f"Договор № {number}"
    path = Path(out)
    (save or Path.write_bytes)(path, doc.output() or b"")
    return PrintResult(path, doc.pages, title)

