"""Printed forms of debt-collection documents (ПИР, docs/collection.md «Печатные формы ПИР»): the
household notice of restriction (ПП 354 п. 119), the legal entity's pre-trial claim, the notice of
restriction (Правила ограничения, ПП 442), the orders to the grid company to restrict and to
reconnect, the application for a court order (ГПК 121–124 / АПК 229.1–229.3), the statement of
claim, the repayment agreement with its schedule, the claim for the register of creditors and the
act of write-off.

A document is printed only from its `debt_doc` row and the `details` JSON fixed when it was
prepared (the layout: `sbyt.core.collection`), plus the dated rules in force on its date (the
notice term, the claim term, the reconnection cost cap) — so it prints the same years later. Each
form is first built as a list of blocks (paragraphs, a block on the right, tables, signatures,
page breaks); the blocks are drawn into the PDF with the forms toolkit (`sbyt.reports.forms`, the
contract's `Flow`: wrapped text, tables continued on the next page under their repeated header,
«стр. N из M») or written as plain text (`debt_doc_text`, the golden tests). Court documents,
the claim and the claim for the register carry the attached «Расчёт задолженности и пени».
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.periods import period_title
from sbyt.core.reference import rule
from sbyt.core.store import Store
from sbyt.reports.contract_print import BOTTOM, GAP, L, S, TOP, W, Flow
from sbyt.reports.forms import Canvas, Column, FormDocument, Typeface, date_ru, money, whole
from sbyt.reports.forms.widgets import table
from sbyt.reports.legal_doc_print_words import rub_words

KINDS = ("notice", "claim", "restriction_notice", "restriction_order", "reconnection_order",
         "court_order_application", "lawsuit", "schedule", "bankruptcy_claim", "writeoff_act")
TEXT_W = 100          # characters per line of the plain text
ROW_H = 5.0           # table row, mm
TABLE_SIZE = 7.5      # table text, pt
DASH = "—"
NBSP = "\u00a0"
SIGN = "________________"

RULES_354 = ("Правил предоставления коммунальных услуг собственникам и пользователям помещений в "
             "многоквартирных домах и жилых домов, утверждённых постановлением Правительства Российской "
             "Федерации от 06.05.2011 № 354 (далее — Правила № 354)")
RULES_442 = ("Правил полного и (или) частичного ограничения режима потребления электрической энергии, "
             "утверждённых постановлением Правительства Российской Федерации от 04.05.2012 № 442 "
             "(далее — Правила)")
RULES_442_BY = ("Правилами полного и (или) частичного ограничения режима потребления электрической энергии "
                "(постановление Правительства Российской Федерации от 04.05.2012 № 442)")
LAW_35 = "пунктом 2 статьи 37 Федерального закона от 26.03.2003 № 35-ФЗ «Об электроэнергетике»"
LAW_127 = "Федерального закона от 26.10.2002 № 127-ФЗ «О несостоятельности (банкротстве)»"
# the article of the bankruptcy law under which a claim is filed in each procedure
BANKRUPTCY_ARTICLE = {"observation": "статьёй 71", "liquidation": "статьёй 100",
                      "restructuring_debts": "статьёй 213.8", "realisation": "статьёй 213.24",
                      "completed": "статьёй 100"}
WRITEOFF_BASIS = {
    "limitation": "статьи 196, 199 Гражданского кодекса Российской Федерации; пункт 2 статьи 266 Налогового "
                  "кодекса Российской Федерации",
    "liquidation": "статья 419 Гражданского кодекса Российской Федерации; пункт 2 статьи 266 Налогового кодекса "
                   "Российской Федерации",
    "impossibility": "пункты 3, 4 части 1 статьи 46 Федерального закона от 02.10.2007 № 229-ФЗ «Об исполнительном "
                     "производстве»; пункт 2 статьи 266 Налогового кодекса Российской Федерации",
    "bankruptcy": "статьи 142, 213.28 Федерального закона от 26.10.2002 № 127-ФЗ «О несостоятельности "
                  "(банкротстве)»; пункт 2 статьи 266 Налогового кодекса Российской Федерации",
}


# ------------------------------------------------------------------------------------ blocks
@dataclass(frozen=True)
class Para:
    text: str
    bold: bool = False
    align: str = "L"          # L | C | R
    size: float = S
    keep: int = 0             # lines of what follows kept on the same page


@dataclass(frozen=True)
class Right:
    """Lines in the right part of the page (the addressee, the court and the parties)."""
    lines: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Grid:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    bold: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Signs:
    """Signature lines: (who, name) each — «who ________________ / name /»."""
    lines: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Gap:
    mm: float = 3.0


@dataclass(frozen=True)
class Break:
    """The next block starts a new page (the attached calculation)."""


Block = Para | Right | Grid | Signs | Gap | Break


# ------------------------------------------------------------------------------------ the data
@dataclass(frozen=True)
class DebtDoc:
    id: int
    kind: str
    doc_no: str
    doc_date: date
    as_of: date
    principal_kop: int
    penalty_kop: int
    duty_kop: int
    court: str | None
    route: str | None
    deadline: date | None
    status: str
    details: dict[str, Any] = field(repr=False)

    @property
    def household(self) -> bool:
        return self.debtor.get("kind") == "household"

    @property
    def debtor(self) -> dict[str, Any]:
        return self.details.get("debtor") or {}

    @property
    def supplier(self) -> dict[str, Any]:
        return self.details.get("supplier") or {}

    @property
    def total_kop(self) -> int:
        return self.principal_kop + self.penalty_kop

    @property
    def title(self) -> str:
        return label("debt_doc", self.kind)


DOC_SQL = ("SELECT id, kind, doc_no, doc_date, as_of, principal_kop, penalty_kop, duty_kop, court, route, deadline,"
           " status, details FROM debt_doc WHERE id = ?")


def load_doc(store: Store, doc_id: int) -> DebtDoc:
    row = store.one(DOC_SQL, [int(doc_id)])
    if row is None:
        raise SbytError(f"Документ ПИР с номером записи {doc_id} не найден.")
    *head, details = row
    try:
        data = json.loads(details)
    except (TypeError, ValueError) as e:
        raise SbytError(f"Документ ПИР № {head[2]}: сведения документа (details) не читаются как JSON: {e}.") from e
    d = DebtDoc(*head, details=data)  # type: ignore[arg-type]
    if d.kind not in KINDS:
        raise SbytError(f"Документ ПИР № {d.doc_no}: неизвестный вид документа «{d.kind}».")
    return d


# ------------------------------------------------------------------------------------ formats
def _day(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def rub(kop: int) -> str:
    """«4 476,00 руб.» with no-break spaces: an amount never breaks across lines."""
    return f"{money(kop)} руб.".replace(" ", NBSP)


def rub_said(kop: int) -> str:
    """«4 476,00 руб. (четыре тысячи четыреста семьдесят шесть рублей 00 копеек)» — the sum in words."""
    words = rub_words(kop)
    return f"{rub(kop)} ({words[0].lower() + words[1:]})"


def rate_text(rate: object) -> str:
    """«16.000» -> «16», «7.50» -> «7,5»."""
    try:
        value = Decimal(str(rate))
    except (InvalidOperation, ValueError):
        return str(rate)
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def month_label(m: dict[str, Any]) -> str:
    """The month in words, «август 2026» (the details' own label may be the short «08.2026»)."""
    return period_title(int(m["period"]))


def _months(d: DebtDoc) -> list[dict[str, Any]]:
    return sorted(d.details.get("months") or [], key=lambda m: int(m["period"]))


def _claimed(d: DebtDoc) -> list[dict[str, Any]]:
    barred = {int(p) for p in d.details.get("barred") or []}
    return [m for m in _months(d) if not m.get("barred") and int(m["period"]) not in barred]


def _barred(d: DebtDoc) -> list[dict[str, Any]]:
    barred = {int(p) for p in d.details.get("barred") or []}
    return [m for m in _months(d) if m.get("barred") or int(m["period"]) in barred]


def _span(months: Sequence[dict[str, Any]]) -> str:
    """«с августа 2026 по ноябрь 2026» as «август 2026 — ноябрь 2026»."""
    if not months:
        return ""
    first, last = month_label(months[0]), month_label(months[-1])
    return first if first == last else f"{first} — {last}"


def _due_words(d: DebtDoc) -> str:
    """When a household pays: «до 15-го числа месяца, следующего за истекшим» from the months' due days
    (ЖК 155 ч. 1: the 10th unless the contract sets another day)."""
    days = {due.day for m in _months(d) if (due := _day(m.get("due"))) is not None and due.month != int(m["period"]) % 100}
    day = days.pop() if len(days) == 1 else 10
    return f"до {day}-го числа месяца, следующего за истекшим"


def _rule_text(store: Store, code: str, on: date) -> str | None:
    """A dated rule's number as printed: «20», «5 000», «7,5»."""
    value = rule(store, code, on)
    if value is None:
        return None
    return whole(int(value)) if value == int(value) else rate_text(value)


def _supplier_lines(s: dict[str, Any], with_bank: bool = True) -> list[str]:
    out = [s.get("name") or ""]
    ids = ", ".join(x for x in (f"ИНН {s['inn']}" if s.get("inn") else "", f"КПП {s['kpp']}" if s.get("kpp") else "")
                    if x)
    if ids:
        out.append(ids)
    if s.get("address"):
        out.append(f"Адрес: {s['address']}")
    if with_bank and s.get("bank_account"):
        out.append(f"Р/с {s['bank_account']} в {s.get('bank_name') or ''}, БИК {s.get('bic') or ''}, "
                   f"к/с {s.get('corr_account') or ''}")
    contacts = ", ".join(x for x in (f"тел. {s['phone']}" if s.get("phone") else "",
                                     f"e-mail: {s['email']}" if s.get("email") else "") if x)
    if contacts:
        out.append(contacts)
    return out


def _debtor_ids(debtor: dict[str, Any]) -> str:
    parts = [f"{k} {debtor[f]}" for k, f in (("ИНН", "inn"), ("КПП", "kpp"), ("ОГРН", "ogrn")) if debtor.get(f)]
    return ", ".join(parts)


def _debtor_lines(d: DebtDoc, court: bool = False) -> list[str]:
    dr = d.debtor
    out = [dr.get("name") or ""]
    if dr.get("address"):
        out.append(("Адрес места жительства: " if d.household else "Адрес: ") + dr["address"])
    ids = _debtor_ids(dr)
    if ids:
        out.append(ids)
    elif court and d.household:
        out.append("Дата и место рождения, идентификаторы должника (СНИЛС, ИНН, паспорт) взыскателю неизвестны")
    if d.household and dr.get("account"):
        out.append(f"Лицевой счёт № {dr['account']}")
    if not d.household and dr.get("contract"):
        out.append(f"Договор {contract_text(dr)}")
    contacts = ", ".join(x for x in (f"тел. {dr['phone']}" if dr.get("phone") else "",
                                     f"e-mail: {dr['email']}" if dr.get("email") else "") if x)
    if contacts:
        out.append(contacts)
    return out


def contract_text(debtor: dict[str, Any]) -> str:
    day = _day(debtor.get("contract_date"))
    return f"№ {debtor.get('contract') or DASH}" + (f" от {date_ru(day)}" if day else "")


def _inline(line: str) -> str:
    """A requisites line inside a sentence: «Адрес: …» -> «адрес: …» (abbreviations such as ИНН kept)."""
    if len(line) > 1 and line[0].isupper() and not line[1].isupper():
        return line[0].lower() + line[1:]
    return line


def _pay_to(s: dict[str, Any], reference: str) -> str:
    return (f"Реквизиты для оплаты: получатель {s.get('name') or ''}, ИНН {s.get('inn') or ''}, КПП "
            f"{s.get('kpp') or ''}, р/с {s.get('bank_account') or ''} в {s.get('bank_name') or ''}, БИК "
            f"{s.get('bic') or ''}, к/с {s.get('corr_account') or ''}. В назначении платежа укажите {reference}.")


def _reference(d: DebtDoc) -> str:
    if d.household:
        return f"номер лицевого счёта {d.debtor.get('account') or ''}".rstrip()
    return f"номер договора {d.debtor.get('contract') or ''} и номер документа {d.doc_no}"


def _signer(d: DebtDoc) -> Signs:
    s = d.details.get("signer") or {}
    return Signs(((s.get("position") or "Руководитель", s.get("name") or ""),))


def _letterhead(d: DebtDoc) -> list[Block]:
    s = d.supplier
    rest = [x for x in _supplier_lines(s, with_bank=False)[1:]]
    return [Para(s.get("name") or "", bold=True, align="C", size=10),
            Para("; ".join(rest), align="C", size=7.5), Gap(2.0),
            Para(f"Исх. № {d.doc_no} от {date_ru(d.doc_date)}", size=S)]


def _heading(title: str, subtitle: str = "", no_line: str = "") -> list[Block]:
    out: list[Block] = [Gap(3.0), Para(title, bold=True, align="C", size=12, keep=2)]
    if subtitle:
        out.append(Para(subtitle, bold=True, align="C", keep=2))
    if no_line:
        out.append(Para(no_line, align="C", keep=2))
    out.append(Gap(2.0))
    return out


# ------------------------------------------------------------------------------------ tables
MONTH_COLUMNS = (Column("№", 10, "C"), Column("Расчётный период", 42), Column("Срок оплаты", 25, "C"),
                 Column("Задолженность, руб.", 35, "R"), Column("Примечание", 68))
PENALTY_COLUMNS = (Column("Период долга", 30), Column("Задолженность, руб.", 27, "R"), Column("С", 19, "C"),
                   Column("По", 19, "C"), Column("Дней", 12, "R"), Column("Ставка, %", 17, "R"),
                   Column("Доля ставки", 17, "C"), Column("Пени, руб.", 39, "R"))
SHORT_MONTH_COLUMNS = (Column("№", 10, "C"), Column("Расчётный период", 70), Column("Срок оплаты", 40, "C"),
                       Column("Задолженность, руб.", 60, "R"))
SCHEDULE_COLUMNS = (Column("№ платежа", 25, "C"), Column("Срок платежа (не позднее)", 75, "C"),
                    Column("Сумма, руб.", 80, "R"))
POINT_COLUMNS = (Column("№", 10, "C"), Column("Точка поставки", 35), Column("Адрес", 95), Column("Прибор учёта", 40))


def months_grid(d: DebtDoc, months: Sequence[dict[str, Any]] | None = None, note_barred: bool = True) -> Grid:
    """The debt by months; months out of the claim as time-barred shown, marked, not in the total."""
    rows: list[tuple[str, ...]] = []
    total = 0
    excluded = 0
    items = _months(d) if months is None else list(months)
    barred = {int(m["period"]) for m in _barred(d)}
    for i, m in enumerate(items, 1):
        kop = int(m.get("debt_kop") or 0)
        out = int(m["period"]) in barred
        note = ""
        if out and note_barred:
            end = _day(m.get("limitation_end"))
            note = "исключён: давность истекла" + (f" {date_ru(end)}" if end else "")
            excluded += kop
        else:
            total += kop
        rows.append((str(i), month_label(m), date_ru(_day(m.get("due"))), money(kop), note))
    rows.append(("", "Итого задолженность", "", money(total), ""))
    bold = [False] * len(items) + [True]
    if excluded:
        rows.append(("", "Исключено", "", money(excluded), "истёк срок исковой давности"))
        bold.append(False)
    return Grid(MONTH_COLUMNS, tuple(rows), tuple(bold))


def short_months_grid(d: DebtDoc) -> Grid:
    months = _claimed(d)
    rows = [(str(i), month_label(m), date_ru(_day(m.get("due"))), money(int(m.get("debt_kop") or 0)))
            for i, m in enumerate(months, 1)]
    rows.append(("", "Итого", "", money(sum(int(m.get("debt_kop") or 0) for m in months))))
    return Grid(SHORT_MONTH_COLUMNS, tuple(rows), tuple([False] * len(months) + [True]))


def penalty_grid(d: DebtDoc) -> Grid | None:
    lines = d.details.get("penalty") or []
    if not lines:
        return None
    rows = []
    total = 0
    for p in lines:
        period = int(p["debt_period"])
        amount = int(p.get("amount_kop") or 0)
        total += amount
        rows.append((period_title(period), money(int(p.get("debt_kop") or 0)),
                     date_ru(_day(p.get("date_from"))), date_ru(_day(p.get("date_to"))), str(p.get("days") or ""),
                     rate_text(p.get("rate")), f"1/{p.get('den')}" if p.get("den") else "", money(amount)))
    rows.append(("Итого пени", "", "", "", "", "", "", money(total)))
    return Grid(PENALTY_COLUMNS, tuple(rows), tuple([False] * len(lines) + [True]))


def points_grid(d: DebtDoc) -> Grid | None:
    points = d.details.get("points") or []
    if not points:
        return None
    rows = tuple((str(i), p.get("code") or "", p.get("address") or "", p.get("meter") or DASH)
                 for i, p in enumerate(points, 1))
    return Grid(POINT_COLUMNS, rows)


def _mismatch(what: str, total: int, claimed_what: str, claimed: int) -> Para:
    """A visible warning: the attached calculation does not add up to the document's amount."""
    return Para(f"ВНИМАНИЕ: итог {what} ({rub(total)}) не совпадает с суммой {claimed_what} в документе "
                f"({rub(claimed)}), разница {rub(total - claimed)} Проверьте документ перед отправкой.", bold=True)


def calculation(d: DebtDoc) -> list[Block]:
    """The attached «Расчёт задолженности и пени»: the months, the penalty lines, the totals."""
    dr = d.debtor
    who = dr.get("name") or ""
    where = (f"лицевой счёт № {dr.get('account')}" if d.household and dr.get("account")
             else f"договор {contract_text(dr)}" if dr.get("contract") else "")
    out: list[Block] = [Break(), Right(((f"Приложение к документу «{d.title}»", False),
                                        (f"№ {d.doc_no} от {date_ru(d.doc_date)}", False)))]
    out += _heading("РАСЧЁТ ЗАДОЛЖЕННОСТИ И ПЕНИ", no_line=f"по состоянию на {date_ru(d.as_of)}")
    out.append(Para(f"Должник: {who}" + (f", {where}" if where else "") + "."))
    out.append(Para(f"Кредитор: {d.supplier.get('name') or ''}."))
    out.append(Para("1. Задолженность по расчётным периодам", bold=True, keep=3))
    out.append(months_grid(d))
    months_total = sum(int(m.get("debt_kop") or 0) for m in _claimed(d))
    if months_total != d.principal_kop:
        out.append(_mismatch("задолженности по месяцам", months_total, "основного долга", d.principal_kop))
    barred = _barred(d)
    if barred:
        out.append(Para(f"Задолженность за {', '.join(month_label(m) for m in barred)} в требование не включена: "
                        "истёк срок исковой давности (статья 196 Гражданского кодекса Российской Федерации), "
                        "пени на неё не начисляются.", size=8))
    out.append(Gap(2.0))
    out.append(Para("2. Расчёт пени", bold=True, keep=3))
    grid = penalty_grid(d)
    if grid is None:
        out.append(Para("Пени не начислялись."))
    else:
        out.append(Para("Пени = задолженность × число дней просрочки × ставка рефинансирования (ключевая ставка) "
                        "Банка России × доля ставки.", size=8))
        out.append(grid)
        lines_total = sum(int(p.get("amount_kop") or 0) for p in d.details.get("penalty") or [])
        if lines_total != d.penalty_kop:
            out.append(_mismatch("расчёта пени", lines_total, "пени", d.penalty_kop))
    out.append(Gap(2.0))
    out.append(Para("3. Итого", bold=True, keep=3))
    out.append(Para(f"Основной долг — {rub(d.principal_kop)}; пени — {rub(d.penalty_kop)}; всего — "
                    f"{rub_said(d.total_kop)}."))
    if d.duty_kop:
        out.append(Para(f"Государственная пошлина — {rub(d.duty_kop)}"))
    out += [Gap(4.0), _signer(d)]
    return out


# ------------------------------------------------------------------------------------ the forms
def _notice(store: Store, d: DebtDoc) -> list[Block]:
    dr, s = d.debtor, d.supplier
    days = _rule_text(store, "debt.notice_days.household", d.doc_date)
    cap = _rule_text(store, "debt.reconnection_cap", d.doc_date)
    out = _letterhead(d)
    out.append(Right(tuple((ln, i == 0) for i, ln in enumerate(_debtor_lines(d)))))
    out += _heading("УВЕДОМЛЕНИЕ", "о предстоящем приостановлении (ограничении) предоставления коммунальной услуги "
                    "по электроснабжению", f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    out.append(Para("Уважаемый потребитель!"))
    out.append(Para(f"{s.get('name') or ''} уведомляет, что по состоянию на {date_ru(d.as_of)} по лицевому счёту "
                    f"№ {dr.get('account') or DASH} по адресу: {dr.get('address') or DASH} имеется задолженность "
                    f"по оплате коммунальной услуги по электроснабжению в размере {rub_said(d.principal_kop)}, "
                    "в том числе:", keep=3))
    out.append(short_months_grid(d))
    if d.penalty_kop:
        out.append(Para(f"Кроме того, за несвоевременную оплату начислены пени в размере {rub(d.penalty_kop)} "
                        "(часть 14 статьи 155 Жилищного кодекса Российской Федерации)."))
    term = f"в течение {days} дней со дня доставки настоящего уведомления" if days else \
        "в срок, установленный пунктом 119 Правил № 354"
    until = f", то есть до {date_ru(d.deadline)} включительно" if d.deadline else ""
    out.append(Para(f"В соответствии с подпунктом «а» пункта 117, пунктом 119 {RULES_354}, в случае непогашения "
                    f"задолженности {term}{until}, предоставление коммунальной услуги по электроснабжению будет "
                    "ограничено, а при отсутствии технической возможности введения ограничения — приостановлено "
                    "без предварительного введения ограничения."))
    limit = f" в размере, не превышающем {cap} руб. (с НДС)" if cap else ""
    out.append(Para("Предоставление коммунальной услуги возобновляется в течение 2 календарных дней со дня "
                    "устранения причин её приостановления (ограничения) — полного погашения задолженности или "
                    "заключения соглашения о погашении задолженности (пункт 120 Правил № 354). Расходы, связанные "
                    "с введением ограничения, приостановлением и возобновлением предоставления коммунальной услуги, "
                    f"возмещаются потребителем{limit} (пункт 122 Правил № 354)."))
    out.append(Para(_pay_to(s, _reference(d))))
    phone = f" по телефону {s['phone']}" if s.get("phone") else ""
    out.append(Para("Заключить соглашение о погашении задолженности (график погашения) можно, обратившись"
                    f"{phone} или в офис {s.get('name') or ''}. Если задолженность уже погашена, просим не "
                    "учитывать настоящее уведомление."))
    out += [Gap(4.0), _signer(d)]
    return out


def _addressee(d: DebtDoc) -> Right:
    lines = _debtor_lines(d)
    head = [] if d.household else [("Руководителю", False)]
    return Right(tuple(head + [(ln, i == 0) for i, ln in enumerate(lines)]))


def _claim(store: Store, d: DebtDoc) -> list[Block]:
    dr, s = d.debtor, d.supplier
    days = _rule_text(store, "debt.claim_days", d.doc_date)
    out = _letterhead(d)
    out.append(_addressee(d))
    out += _heading("ПРЕТЕНЗИЯ", "об оплате задолженности за электрическую энергию (мощность) и пени",
                    f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    out.append(Para(f"Между {s.get('name') or ''} (далее — Гарантирующий поставщик) и {dr.get('name') or ''} "
                    f"(далее — Потребитель) заключён договор энергоснабжения {contract_text(dr)}. Гарантирующий "
                    "поставщик обязательства по поставке электрической энергии (мощности) исполнил; Потребитель "
                    "обязательства по оплате в установленные договором сроки не исполнил (статьи 309, 310, 544 "
                    "Гражданского кодекса Российской Федерации)."))
    out.append(Para(f"По состоянию на {date_ru(d.as_of)} задолженность Потребителя составляет "
                    f"{rub_said(d.principal_kop)}, в том числе:", keep=3))
    out.append(short_months_grid(d))
    out.append(Para(f"За нарушение сроков оплаты в соответствии с {LAW_35} Потребителю начислены пени в размере "
                    f"{rub(d.penalty_kop)} (расчёт прилагается). Общая сумма требования — {rub_said(d.total_kop)}."))
    until = f"в срок до {date_ru(d.deadline)}" if d.deadline else \
        (f"в течение {days} календарных дней со дня направления претензии" if days else "в срок")
    out.append(Para(f"Требуем {until} погасить задолженность и пени. {_pay_to(s, _reference(d))}"))
    out.append(Para("В случае неисполнения требования в указанный срок Гарантирующий поставщик обратится в "
                    "арбитражный суд с заявлением о взыскании задолженности, пени, начисленных по день фактической "
                    "оплаты, расходов по уплате государственной пошлины и иных судебных расходов (часть 5 статьи 4 "
                    "Арбитражного процессуального кодекса Российской Федерации), а также вправе ввести ограничение "
                    f"режима потребления электрической энергии в порядке, установленном {RULES_442_BY}."))
    out.append(Para("Приложение: расчёт задолженности и пени на 1 л."))
    out += [Gap(4.0), _signer(d)]
    return out + calculation(d)


def _restriction_notice(store: Store, d: DebtDoc) -> list[Block]:
    dr, s = d.debtor, d.supplier
    on = _day(d.details.get("restrict_on")) or d.deadline
    level = d.details.get("level") or "полное"
    out = _letterhead(d)
    out.append(_addressee(d))
    out += _heading("УВЕДОМЛЕНИЕ", "о введении ограничения режима потребления электрической энергии",
                    f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    out.append(Para(f"{s.get('name') or ''} (далее — Гарантирующий поставщик) уведомляет, что в связи с "
                    "неисполнением обязательств по оплате электрической энергии (мощности) по договору "
                    f"{contract_text(dr)} задолженность {dr.get('name') or ''} (далее — Потребитель) по состоянию на "
                    f"{date_ru(d.as_of)} составляет {rub_said(d.principal_kop)}"
                    + (f", пени — {rub(d.penalty_kop)}" if d.penalty_kop else "")))
    out.append(Para(f"На основании абзаца второго подпункта «б» пункта 2 и пункта 4 {RULES_442}, в случае "
                    f"непогашения задолженности в полном объёме до {date_ru(on)} в отношении энергопринимающих "
                    "устройств Потребителя вводится ограничение режима потребления электрической энергии:"))
    out.append(Para(f"дата и время введения ограничения — {date_ru(on)}, до 12 часов;"))
    out.append(Para(f"уровень ограничения — {level};"))
    if d.details.get("grid_company"):
        out.append(Para(f"исполнитель ограничения — {d.details['grid_company']}."))
    grid = points_grid(d)
    if grid is not None:
        out.append(Para("Точки поставки, в отношении которых вводится ограничение:", keep=3))
        out.append(grid)
    out.append(Para(f"В соответствии с пунктом 7 Правил Потребитель обязан в указанный срок, до 12 часов "
                    f"{date_ru(on)}, самостоятельно произвести ограничение режима потребления. Если самоограничение "
                    "не будет произведено, ограничение вводится сетевой организацией с последующим возмещением "
                    "Потребителем расходов на введение ограничения и восстановление режима потребления; "
                    "невыполнение требования о самостоятельном ограничении влечёт административную "
                    "ответственность (статья 9.22 Кодекса Российской Федерации об административных "
                    "правонарушениях)."))
    out.append(Para("Если ограничение режима потребления может привести к экономическим, экологическим или "
                    "социальным последствиям (приложение к Правилам), ограничение вводится не ниже уровня аварийной "
                    "брони, а Потребитель обязан обеспечить готовность к нему в порядке, установленном Правилами."))
    out.append(Para(_pay_to(s, _reference(d))))
    out += [Gap(4.0), _signer(d)]
    return out


def _order(store: Store, d: DebtDoc, reconnect: bool) -> list[Block]:
    dr, s = d.debtor, d.supplier
    on = _day(d.details.get("restrict_on")) or d.deadline or d.doc_date
    grid_company = d.details.get("grid_company")
    out = _letterhead(d)
    out.append(Right((("Руководителю", False), (grid_company, True)) if grid_company else
                     (("Руководителю сетевой организации", False), ("______________________________", False))))
    what = "на возобновление подачи электрической энергии" if reconnect else \
        ("на приостановление (ограничение) предоставления коммунальной услуги по электроснабжению" if d.household
         else "на введение ограничения режима потребления электрической энергии")
    out += _heading("ЗАЯВКА", what, f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    who = ", ".join([dr.get("name") or ""] + [_inline(ln) for ln in _debtor_lines(d)[1:]])
    if reconnect:
        basis = "пунктом 120 Правил № 354" if d.household else "пунктом 19 Правил полного и (или) частичного " \
            "ограничения режима потребления электрической энергии (постановление Правительства Российской " \
            "Федерации от 04.05.2012 № 442)"
        out.append(Para(f"В связи с устранением оснований для введения ограничения (погашением задолженности или "
                        f"заключением соглашения о её погашении) в соответствии с {basis} просим возобновить "
                        f"подачу электрической энергии {date_ru(on)} потребителю: {who}."))
    elif d.household:
        out.append(Para(f"В соответствии с пунктами 117–119 {RULES_354}, в связи с неполной оплатой коммунальной "
                        "услуги по электроснабжению и истечением срока, указанного в уведомлении о предстоящем "
                        f"приостановлении (ограничении), просим с {date_ru(on)} ввести ограничение, а при отсутствии "
                        "технической возможности — приостановить предоставление коммунальной услуги по "
                        f"электроснабжению потребителю: {who}."))
        out.append(Para(f"Задолженность по состоянию на {date_ru(d.as_of)} — {rub(d.principal_kop)}"))
    else:
        level = d.details.get("level") or "полное"
        out.append(Para(f"В соответствии с пунктами 4, 7 и 8 {RULES_442}, в связи с неисполнением обязательств по "
                        "оплате и невыполнением требования о самостоятельном ограничении, просим ввести "
                        f"{date_ru(on)}, не ранее 12 часов, ограничение режима потребления электрической энергии "
                        f"(уровень — {level}) потребителю: {who}."))
        out.append(Para(f"Задолженность по состоянию на {date_ru(d.as_of)} — {rub(d.principal_kop)}"))
    grid = points_grid(d)
    if grid is not None:
        out.append(Para("Точки поставки и приборы учёта:", keep=3))
        out.append(grid)
    act = "о возобновлении подачи с показаниями приборов учёта на момент возобновления" if reconnect else \
        "о введении ограничения (приостановления) с показаниями приборов учёта на момент его введения"
    out.append(Para(f"Акт {act} просим направить "
                    f"{s.get('name') or ''}" + (f" по адресу электронной почты {s['email']}" if s.get("email") else "")
                    + " в течение 2 рабочих дней со дня исполнения заявки."))
    out += [Gap(4.0), _signer(d)]
    return out


def court_to(name: str) -> str:
    """The addressee line of a court: «Мировой судья судебного участка № 3» -> «Мировому судье судебного
    участка № 3», «Арбитражный суд города Москвы» -> «В Арбитражный суд города Москвы»."""
    name = " ".join(name.split())
    if name.startswith(("В ", "в ", "Мировому судье")):
        return name
    if name.startswith("Мировой судья"):
        return "Мировому судье" + name[len("Мировой судья"):]
    return "В " + name


def _court_head(d: DebtDoc, creditor: str, debtor: str, price: str) -> Right:
    court = court_to(d.details["court_name"]) if d.details.get("court_name") else (
        "В Арбитражный суд ______________________" if d.court == "arbitration" or not d.household
        else "Мировому судье судебного участка № ____ ______________________")
    lines: list[tuple[str, bool]] = [(court, True), ("", False), (f"{creditor}:", True)]
    lines += [(ln, False) for ln in _supplier_lines(d.supplier)]
    lines += [("", False), (f"{debtor}:", True)]
    lines += [(ln, False) for ln in _debtor_lines(d, court=True)]
    lines += [("", False), (f"{price}: {rub(d.total_kop)}", False),
              (f"Государственная пошлина: {rub(d.duty_kop)}", False)]
    return Right(tuple(lines))


INSTRUMENTAL = {"Взыскатель": "взыскателем", "Должник": "должником", "Истец": "истцом", "Ответчик": "ответчиком"}


def _debt_story(d: DebtDoc, creditor: str, debtor: str) -> list[Block]:
    dr, s = d.debtor, d.supplier
    claimed = _claimed(d)
    out: list[Block] = []
    if d.household:
        out.append(Para(f"{creditor} — {s.get('name') or ''} — является гарантирующим поставщиком электрической "
                        "энергии и поставляет электрическую энергию для предоставления коммунальной услуги по "
                        f"электроснабжению в жилое помещение по адресу: {dr.get('address') or DASH} "
                        f"(лицевой счёт № {dr.get('account') or DASH}). {debtor} — {dr.get('name') or ''} — "
                        "является потребителем коммунальной услуги; договор энергоснабжения считается заключённым "
                        "с момента первого фактического подключения (статья 540 Гражданского кодекса Российской "
                        "Федерации)."))
        out.append(Para(f"Плата за коммунальные услуги вносится ежемесячно {_due_words(d)} "
                        "(статьи 153, 155 Жилищного кодекса Российской Федерации, статьи 539, 544 "
                        f"Гражданского кодекса Российской Федерации). {debtor} обязанность по оплате не исполнил: "
                        f"за период {_span(claimed)} образовалась задолженность в размере "
                        f"{rub_said(d.principal_kop)}."))
        out.append(Para("За несвоевременную оплату в соответствии с частью 14 статьи 155 Жилищного кодекса "
                        f"Российской Федерации начислены пени по состоянию на {date_ru(d.as_of)} в размере "
                        f"{rub(d.penalty_kop)} (расчёт прилагается)."))
    else:
        out.append(Para(f"Между {INSTRUMENTAL[creditor]} — {s.get('name') or ''} — и {INSTRUMENTAL[debtor]} — "
                        f"{dr.get('name') or ''} — заключён договор энергоснабжения {contract_text(dr)}. "
                        f"{creditor} обязательства по поставке электрической энергии (мощности) исполнил, что "
                        "подтверждается актами приёма-передачи (универсальными передаточными документами) и "
                        f"счетами-фактурами. {debtor} в нарушение статей 309, 310, 544 Гражданского кодекса "
                        "Российской Федерации и условий договора оплату не произвёл: за период "
                        f"{_span(claimed)} образовалась задолженность в размере {rub_said(d.principal_kop)}."))
        out.append(Para(f"За нарушение сроков оплаты в соответствии с {LAW_35} начислены пени по состоянию на "
                        f"{date_ru(d.as_of)} в размере {rub(d.penalty_kop)} (расчёт прилагается)."))
        out.append(Para("Досудебный порядок урегулирования спора соблюдён: претензия направлена должнику, "
                        "установленный срок ответа истёк, задолженность не погашена (часть 5 статьи 4 Арбитражного "
                        "процессуального кодекса Российской Федерации)."))
    barred = _barred(d)
    if barred:
        out.append(Para(f"Задолженность за {', '.join(month_label(m) for m in barred)} в требование не включена "
                        "в связи с истечением срока исковой давности (статья 196 Гражданского кодекса Российской "
                        "Федерации)."))
    return out


def _duty_text(d: DebtDoc, order: bool) -> Para:
    duty = d.details.get("duty") or {}
    claim = int(duty.get("claim_kop") or d.total_kop)
    filed = _day(duty.get("filed"))
    if d.court == "arbitration" or (d.court is None and not d.household):
        art = "подпунктом 1 пункта 1 статьи 333.21 Налогового кодекса Российской Федерации"
    else:
        art = ("подпунктом 2 пункта 1 статьи 333.19 Налогового кодекса Российской Федерации" if order
               else "подпунктом 1 пункта 1 статьи 333.19 Налогового кодекса Российской Федерации")
    share = (" и составляет 50 % размера государственной пошлины, взимаемой при подаче искового заявления "
             "имущественного характера") if order else ""
    when = f" (по шкале, действующей на дату подачи {date_ru(filed)})" if filed else ""
    return Para(f"Государственная пошлина исчислена от цены требования {rub(claim)} в соответствии с {art}{when}"
                f"{share}: {rub_said(d.duty_kop)}; уплачена, документ об уплате прилагается.")


def _attachments(d: DebtDoc, order: bool) -> list[Block]:
    items = ["Расчёт задолженности и пени.", "Документ об уплате государственной пошлины."]
    if d.household:
        items += ["Выписка из лицевого счёта (начисления и оплаты за период задолженности).",
                  "Сведения о собственнике (пользователе) помещения (выписка из ЕГРН, справка о "
                  "зарегистрированных лицах)."]
        if not order:
            items.append("Документ, подтверждающий направление ответчику копии искового заявления и приложенных "
                         "документов.")
    else:
        items += ["Копия договора энергоснабжения.",
                  "Копии актов приёма-передачи электрической энергии (УПД) и счетов-фактур за период "
                  "задолженности.",
                  "Копия претензии и документ, подтверждающий её направление.",
                  "Выписки из ЕГРЮЛ о взыскателе и должнике." if order else "Выписки из ЕГРЮЛ об истце и ответчике.",
                  "Документ, подтверждающий направление " + ("должнику копии заявления." if order
                                                            else "ответчику копии искового заявления и приложенных "
                                                                 "документов.")]
    items.append("Доверенность представителя (при подписании представителем).")
    out: list[Block] = [Para("Приложение:", bold=True, keep=2)]
    out += [Para(f"{i}. {t}") for i, t in enumerate(items, 1)]
    return out


def _court_order(store: Store, d: DebtDoc) -> list[Block]:
    dr, s = d.debtor, d.supplier
    arbitration = d.court == "arbitration" or (d.court is None and not d.household)
    claimed = _claimed(d)
    out: list[Block] = [_court_head(d, "Взыскатель", "Должник", "Сумма требования"), Gap(2.0)]
    out += _heading("ЗАЯВЛЕНИЕ", "о выдаче судебного приказа", f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    out += _debt_story(d, "Взыскатель", "Должник")
    if arbitration:
        out.append(Para("Требование вытекает из неисполнения договора, основано на документах, подтверждающих "
                        "задолженность, которая должником не оспаривается, и его цена не превышает предела, "
                        "установленного пунктом 1 статьи 229.2 Арбитражного процессуального кодекса Российской "
                        "Федерации; требование подлежит рассмотрению в порядке приказного производства."))
    else:
        out.append(Para("Заявлено требование о взыскании задолженности по оплате коммунальных услуг, которое "
                        "в соответствии со статьёй 122 Гражданского процессуального кодекса Российской Федерации "
                        "рассматривается в порядке приказного производства; требование бесспорно, его цена не "
                        "превышает предела, установленного статьёй 121 Гражданского процессуального кодекса "
                        "Российской Федерации."))
    out.append(_duty_text(d, order=True))
    code = ("статьями 229.1–229.3 Арбитражного процессуального кодекса Российской Федерации" if arbitration
            else "статьями 121–124 Гражданского процессуального кодекса Российской Федерации")
    out.append(Para(f"На основании изложенного, руководствуясь {code},", keep=2))
    out.append(Para("ПРОШУ:", bold=True, align="C", keep=2))
    out.append(Para(f"Выдать судебный приказ о взыскании с должника — {dr.get('name') or ''} — в пользу взыскателя — "
                    f"{s.get('name') or ''}:"))
    out.append(Para(f"задолженности за электрическую энергию за период {_span(claimed)} в размере "
                    f"{rub(d.principal_kop)};"))
    out.append(Para(f"пени по состоянию на {date_ru(d.as_of)} в размере {rub(d.penalty_kop)};"))
    out.append(Para(f"расходов по уплате государственной пошлины в размере {rub(d.duty_kop)};"))
    out.append(Para(f"всего — {rub_said(d.total_kop + d.duty_kop)}.", bold=True))
    out += _attachments(d, order=True)
    out += [Gap(4.0), _signer(d)]
    return out + calculation(d)


def _lawsuit(store: Store, d: DebtDoc) -> list[Block]:
    dr, s = d.debtor, d.supplier
    arbitration = d.court == "arbitration" or (d.court is None and not d.household)
    claimed = _claimed(d)
    out: list[Block] = [_court_head(d, "Истец", "Ответчик", "Цена иска"), Gap(2.0)]
    out += _heading("ИСКОВОЕ ЗАЯВЛЕНИЕ", "о взыскании задолженности за электрическую энергию и пени",
                    f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    out += _debt_story(d, "Истец", "Ответчик")
    out.append(Para("Пени подлежат взысканию и после предъявления иска — по день фактической оплаты долга (пункт 65 "
                    "постановления Пленума Верховного Суда Российской Федерации от 24.03.2016 № 7)."))
    out.append(_duty_text(d, order=False))
    code = ("статьями 4, 125, 126 Арбитражного процессуального кодекса Российской Федерации" if arbitration
            else "статьями 131, 132 Гражданского процессуального кодекса Российской Федерации")
    out.append(Para(f"На основании изложенного, руководствуясь {code},", keep=2))
    out.append(Para("ПРОШУ:", bold=True, align="C", keep=2))
    out.append(Para(f"Взыскать с ответчика — {dr.get('name') or ''} — в пользу истца — {s.get('name') or ''}:"))
    out.append(Para(f"задолженность за электрическую энергию за период {_span(claimed)} в размере "
                    f"{rub(d.principal_kop)};"))
    out.append(Para(f"пени по состоянию на {date_ru(d.as_of)} в размере {rub(d.penalty_kop)};"))
    out.append(Para(f"пени, начисленные на сумму долга {rub(d.principal_kop)} начиная с "
                    f"{date_ru(d.as_of + timedelta(days=1))} по день фактической оплаты;"))
    out.append(Para(f"расходы по уплате государственной пошлины в размере {rub(d.duty_kop)}"))
    out.append(Para(f"Цена иска — {rub_said(d.total_kop)}.", bold=True))
    out += _attachments(d, order=False)
    out += [Gap(4.0), _signer(d)]
    return out + calculation(d)


def _schedule(store: Store, d: DebtDoc) -> list[Block]:
    dr, s = d.debtor, d.supplier
    signer = d.details.get("signer") or {}
    lines = sorted(d.details.get("schedule") or [], key=lambda x: int(x.get("line_no") or 0))
    out: list[Block] = _heading("СОГЛАШЕНИЕ", "о погашении задолженности (график погашения)",
                                f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    named = "именуемый" if d.household else "именуемое"
    where = (f"лицевой счёт № {dr.get('account')}, адрес: {dr.get('address') or DASH}" if d.household
             else f"договор энергоснабжения {contract_text(dr)}")
    out.append(Para(f"{s.get('name') or ''}, именуемое в дальнейшем «Кредитор», в лице "
                    "______________________________, действующего на основании ____________________, "
                    f"с одной стороны, и {dr.get('name') or ''} ({where}), {named} в дальнейшем «Должник», с другой "
                    "стороны, заключили настоящее соглашение о нижеследующем:"))
    out.append(Para(f"1. Должник признаёт задолженность перед Кредитором по оплате электрической энергии по "
                    f"состоянию на {date_ru(d.as_of)}: основной долг — {rub(d.principal_kop)}, пени — "
                    f"{rub(d.penalty_kop)}, всего — {rub_said(d.total_kop)}, в том числе по расчётным периодам:",
                    keep=3))
    out.append(short_months_grid(d))
    total = sum(int(x.get("amount_kop") or 0) for x in lines)
    out.append(Para("2. Должник обязуется погасить задолженность в следующем порядке:", keep=3))
    rows = [(str(x.get("line_no") or i), date_ru(_day(x.get("due"))), money(int(x.get("amount_kop") or 0)))
            for i, x in enumerate(lines, 1)]
    rows.append(("", "Итого", money(total)))
    out.append(Grid(SCHEDULE_COLUMNS, tuple(rows), tuple([False] * len(lines) + [True])))
    current = (_due_words(d) if d.household
               else "в сроки, установленные договором энергоснабжения")
    out.append(Para(f"3. Плата за электрическую энергию, потреблённую после {date_ru(d.as_of)}, вносится Должником "
                    f"{current}, независимо от платежей по настоящему соглашению. {_pay_to(s, _reference(d))}"))
    if d.household:
        out.append(Para("4. Пока Должник исполняет настоящее соглашение, задолженность не считается неполной "
                        "оплатой коммунальной услуги и ограничение (приостановление) её предоставления не вводится "
                        "(пункт 118 Правил № 354)."))
    else:
        out.append(Para("4. Пока Должник исполняет настоящее соглашение, Кредитор не вводит ограничение режима "
                        "потребления и не обращается в суд за взысканием признанной задолженности."))
    out.append(Para("5. При нарушении срока или размера любого платежа по графику Кредитор вправе потребовать "
                    "досрочного погашения всей оставшейся задолженности, ввести ограничение (приостановление) "
                    "подачи электрической энергии в установленном порядке и обратиться в суд. Настоящее соглашение "
                    "является признанием долга (статья 203 Гражданского кодекса Российской Федерации)."))
    out.append(Para("6. Соглашение составлено в двух экземплярах, по одному для каждой из сторон, и вступает в "
                    "силу со дня его подписания."))
    out += [Gap(4.0), Signs(((f"Кредитор: {s.get('name') or ''}, {signer.get('position') or ''}".rstrip(", "),
                              signer.get("name") or ""),
                             (f"Должник: {dr.get('name') or ''}", "")))]
    return out


def _bankruptcy_claim(store: Store, d: DebtDoc) -> list[Block]:
    dr, s = d.debtor, d.supplier
    b = d.details.get("bankruptcy") or {}
    procedure = str(b.get("procedure") or "observation")
    case_no = b.get("court_case_no") or "____________"
    court = court_to(d.details["court_name"]) if d.details.get("court_name") else \
        "В Арбитражный суд ______________________"
    register = int(b.get("register_kop") if b.get("register_kop") is not None else d.total_kop)
    lines: list[tuple[str, bool]] = [(court, True), (f"Дело № {case_no}", False), ("", False), ("Кредитор:", True)]
    lines += [(ln, False) for ln in _supplier_lines(s)]
    lines += [("", False), ("Должник:", True)] + [(ln, False) for ln in _debtor_lines(d, court=True)]
    lines += [("", False), (f"Размер требования: {rub(register)}", False)]
    out: list[Block] = [Right(tuple(lines)), Gap(2.0)]
    out += _heading("ТРЕБОВАНИЕ", "о включении в реестр требований кредиторов",
                    f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    accepted, started = _day(b.get("petition_accepted")), _day(b.get("procedure_date"))
    out.append(Para(f"Определением арбитражного суда от {date_ru(accepted) or '__________'} по делу № {case_no} "
                    f"принято заявление о признании {dr.get('name') or ''} несостоятельным (банкротом); "
                    f"с {date_ru(started) or '__________'} в отношении должника введена процедура «"
                    f"{label('bankruptcy_procedure', procedure)}»."))
    basis = (f"по лицевому счёту № {dr.get('account') or DASH}" if d.household
             else f"по договору энергоснабжения {contract_text(dr)}")
    out.append(Para(f"Должник имеет перед кредитором — {s.get('name') or ''} — задолженность за электрическую "
                    f"энергию {basis}, возникшую до принятия заявления о признании должника банкротом: основной "
                    f"долг — {rub(d.principal_kop)} за период {_span(_claimed(d))}, пени по состоянию на "
                    f"{date_ru(d.as_of)} — {rub(d.penalty_kop)} (расчёт прилагается)."))
    out.append(Para(f"Пени учитываются в реестре требований кредиторов отдельно и погашаются после основной суммы "
                    f"задолженности (пункт 3 статьи 137 {LAW_127})."))
    current = int(b.get("current_kop") or 0)
    if current:
        out.append(Para(f"Задолженность за периоды после принятия заявления о признании должника банкротом в размере "
                        f"{rub(current)} является текущими платежами, в реестр не включается и подлежит оплате вне "
                        f"очереди (статьи 5, 134 {LAW_127})."))
    article = BANKRUPTCY_ARTICLE.get(procedure, "статьёй 100")
    out.append(Para(f"На основании изложенного, руководствуясь {article} {LAW_127},", keep=2))
    out.append(Para("ПРОШУ:", bold=True, align="C", keep=2))
    out.append(Para(f"Включить требование {s.get('name') or ''} в размере {rub_said(register)} в третью очередь "
                    f"реестра требований кредиторов {dr.get('name') or ''}, в том числе основной долг — "
                    f"{rub(d.principal_kop)}, пени — {rub(d.penalty_kop)} (учитываются отдельно)."))
    items = ["Расчёт задолженности и пени.",
             "Выписка из лицевого счёта (начисления и оплаты)." if d.household
             else "Копия договора энергоснабжения, актов приёма-передачи (УПД) и счетов-фактур.",
             "Документы, подтверждающие направление требования должнику и арбитражному управляющему.",
             "Доверенность представителя (при подписании представителем)."]
    out.append(Para("Приложение:", bold=True, keep=2))
    out += [Para(f"{i}. {t}") for i, t in enumerate(items, 1)]
    out += [Gap(4.0), _signer(d)]
    return out + calculation(d)


def _writeoff_act(store: Store, d: DebtDoc) -> list[Block]:
    dr = d.debtor
    w = d.details.get("writeoff") or {}
    ground = str(w.get("ground") or "limitation")
    signer = d.details.get("signer") or {}
    case = d.details.get("case") or {}
    amount = int(w.get("amount_kop") if w.get("amount_kop") is not None else d.total_kop)
    out: list[Block] = [Right((("УТВЕРЖДАЮ", True), (signer.get("position") or "Руководитель", False),
                               (f"{SIGN} / {signer.get('name') or ''} /", False), ("«___» ____________ 20___ г.", False)))]
    out += _heading("АКТ", "списания безнадёжной задолженности", f"№ {d.doc_no} от {date_ru(d.doc_date)}")
    where = (f"лицевой счёт № {dr.get('account') or DASH}, адрес: {dr.get('address') or DASH}" if d.household
             else f"договор энергоснабжения {contract_text(dr)}" + (f", {_debtor_ids(dr)}" if _debtor_ids(dr) else ""))
    out.append(Para(f"Должник: {dr.get('name') or ''} ({where}). Дело ПИР № {case.get('number') or DASH}."))
    out.append(Para(f"Основание списания: {label('writeoff_ground', ground)} "
                    f"({WRITEOFF_BASIS.get(ground, DASH)})."))
    out.append(Para(f"Подтверждающие документы: {w.get('evidence') or DASH}."))
    if ground == "limitation":   # the months whose limitation ended before the act (flagged or by date)
        months = [m for m in _months(d) if m in _barred(d) or ((_day(m.get("limitation_end")) or d.as_of) < d.as_of)]
    else:
        months = _months(d)
    out.append(Para("Задолженность, признаваемая безнадёжной к взысканию:", keep=3))
    rows = []
    for i, m in enumerate(months, 1):
        end = _day(m.get("limitation_end"))
        rows.append((str(i), month_label(m), date_ru(_day(m.get("due"))), money(int(m.get("debt_kop") or 0)),
                     f"давность истекла {date_ru(end)}" if end and ground == "limitation" else ""))
    rows.append(("", "Итого", "", money(sum(int(m.get("debt_kop") or 0) for m in months)), ""))
    out.append(Grid(MONTH_COLUMNS, tuple(rows), tuple([False] * len(months) + [True])))
    out.append(Para(f"Сумма к списанию: {rub_said(amount)}.", bold=True))
    out.append(Para("После утверждения акта задолженность списывается с лицевого счёта (договора) по каждому месяцу "
                    "долга в открытом расчётном периоде; в случае погашения списанного долга поступившая сумма "
                    "учитывается в общем порядке."))
    out += [Gap(4.0), Signs((("Составил", ""), ("Юрист", ""), ("Главный бухгалтер", "")))]
    return out


FORMS = {
    "notice": _notice, "claim": _claim, "restriction_notice": _restriction_notice,
    "restriction_order": lambda st, d: _order(st, d, reconnect=False),
    "reconnection_order": lambda st, d: _order(st, d, reconnect=True),
    "court_order_application": _court_order, "lawsuit": _lawsuit, "schedule": _schedule,
    "bankruptcy_claim": _bankruptcy_claim, "writeoff_act": _writeoff_act,
}


def blocks(store: Store, d: DebtDoc) -> list[Block]:
    """The form of a document as blocks (drawn into the PDF or written as text); a document not yet
    approved is marked «ПРОЕКТ» (the approver reads it before it is sent)."""
    out = FORMS[d.kind](store, d)
    if d.status != "approved":
        out.insert(0, Para("ПРОЕКТ" + (" (отклонён)" if d.status == "rejected" else ""), bold=True, align="R"))
    return out


# ------------------------------------------------------------------------------------ plain text
def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _text_grid(g: Grid) -> list[str]:
    n = len(g.columns)
    widths = [max([len(col.title)] + [len(r[i]) for r in g.rows]) for i, col in enumerate(g.columns)]

    def line(cells: Sequence[str], header: bool = False) -> str:
        out = []
        for i, (col, cell) in enumerate(zip(g.columns, cells)):
            w = widths[i]
            align = "C" if header else col.align
            out.append(cell.rjust(w) if align == "R" else cell.center(w) if align == "C" else cell.ljust(w))
        return " | ".join(out).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    rows = [line([c.title for c in g.columns], header=True), rule]
    rows += [line(r + ("",) * (n - len(r))) for r in g.rows]
    return rows


def blocks_text(items: Sequence[Block]) -> str:
    out: list[str] = []
    half = TEXT_W // 2
    for b in items:
        if isinstance(b, Para):
            lines = _wrap(b.text, TEXT_W)
            out += [ln.center(TEXT_W).rstrip() if b.align == "C" else ln.rjust(TEXT_W) if b.align == "R" else ln
                    for ln in lines]
        elif isinstance(b, Right):
            for text, _bold in b.lines:
                out += [" " * half + ln if ln else "" for ln in _wrap(text, TEXT_W - half)]
        elif isinstance(b, Grid):
            out += _text_grid(b)
        elif isinstance(b, Signs):
            for who, name in b.lines:
                out += _wrap(who, TEXT_W)
                out.append(" " * half + f"{SIGN} / {name or '________________'} /")
        elif isinstance(b, Gap):
            out.append("")
        elif isinstance(b, Break):
            out.append("\f")
    return "\n".join(out).replace(NBSP, " ").rstrip() + "\n"


def debt_doc_text(store: Store, doc_id: int) -> str:
    """The plain text of a document's printed form (the same blocks as its PDF pages)."""
    return blocks_text(blocks(store, load_doc(store, doc_id)))


# ------------------------------------------------------------------------------------ PDF
def _wrap_pdf(c: Canvas, text: str, w: float, size: float, bold: bool) -> list[str]:
    """Greedy word wrap at plain spaces only (`Canvas.wrap` also breaks at no-break spaces)."""
    lines: list[str] = []
    cur = ""
    for word in (x for x in text.split(" ") if x):
        trial = f"{cur} {word}" if cur else word
        if not cur or c.width(trial, size, bold) <= w:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return [ln if c.width(ln, size, bold) <= w else c.fit(ln, w, size, bold) for ln in lines]


def _draw_grid(flow: Flow, g: Grid) -> None:
    """A table in pieces that fit a page, the header repeated on each."""
    header_h = 8.0
    i = 0
    rows = list(g.rows)
    bold = list(g.bold) + [False] * (len(rows) - len(g.bold))
    flow.need(header_h + ROW_H * min(3, len(rows)))
    while i < len(rows):
        room = int((BOTTOM - flow.y - header_h) // ROW_H)
        if room < 1:
            flow.new_page()
            continue
        part = rows[i:i + room]
        flow.y = table(flow.c, L, flow.y, g.columns, part, header_h=header_h, row_h=ROW_H, size=TABLE_SIZE,
                       bold=bold[i:i + room]) + 1.5
        i += len(part)
        if i < len(rows):
            flow.new_page()


def _draw(flow: Flow, items: Sequence[Block]) -> None:
    x_right = L + W * 0.45
    w_right = W * 0.55
    for b in items:
        if isinstance(b, Para):
            lines = _wrap_pdf(flow.c, b.text, W, b.size, b.bold)
            flow.need(flow.step(b.size) * (min(len(lines), 2) + b.keep))
            flow.lines(lines, size=b.size, bold=b.bold, align=b.align)
            flow.space(GAP)
        elif isinstance(b, Right):
            for text, bold in b.lines:
                if not text:
                    flow.space(1.5)
                    continue
                flow.lines(_wrap_pdf(flow.c, text, w_right, S, bold), x=x_right, size=S, bold=bold, w=w_right)
            flow.space(2.0)
        elif isinstance(b, Grid):
            _draw_grid(flow, b)
        elif isinstance(b, Signs):
            st = flow.step(S)
            flow.need(st * 2.5 * len(b.lines))
            for who, name in b.lines:
                who_lines = _wrap_pdf(flow.c, who, W * 0.45, S, False)
                top = flow.y
                flow.lines(who_lines, size=S, w=W * 0.45)
                flow.c.text(x_right, top + st * 0.75 + st, f"{SIGN} / {name or '________________'} /", size=S)
                flow.y = max(flow.y, top + 2 * st) + st * 0.5
        elif isinstance(b, Gap):
            flow.space(b.mm)
        elif isinstance(b, Break):
            if flow.y > TOP:
                flow.new_page()


def render(store: Store, docs: Sequence[DebtDoc]) -> FormDocument:
    """All documents in one PDF, each from a new page with its own «стр. N из M»."""
    out = FormDocument(title=docs[0].title + f" № {docs[0].doc_no}" if len(docs) == 1 else "Документы ПИР")
    if docs:
        day = max(d.doc_date for d in docs)
        out.pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
    face = Typeface.load()
    for d in docs:
        flow = Flow(face, f"{d.title} № {d.doc_no} от {date_ru(d.doc_date)}")
        _draw(flow, blocks(store, d))
        flow.finish(out)
    return out


def debt_doc_pdf(store: Store, doc_ids: Sequence[int]) -> bytes:
    if not doc_ids:
        raise SbytError("Не выбрано ни одного документа ПИР для печати.")
    return render(store, [load_doc(store, i) for i in doc_ids]).output() or b""


def print_debt_docs(store: Store, doc_ids: Sequence[int], out: Path) -> Path:
    """The documents `doc_ids` (in that order) into one PDF file `out`; each starts on a new page."""
    data = debt_doc_pdf(store, doc_ids)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


__all__ = ["DebtDoc", "blocks", "blocks_text", "debt_doc_pdf", "debt_doc_text", "load_doc", "print_debt_docs",
           "render"]
