"""The reconciliation act (акт сверки взаимных расчётов, docs/legal.md «Акт сверки»): for a contract,
or every contract of a counterparty, and any date range — the opening balance on the first day, the
ledger's rows of the range in day order (accruals with their shipment documents: УПД, act, VAT
invoice — or the month's accrual when no document was issued; recalculations with their corrective
documents; penalties; payments with the bank document from the posting's note; refunds,
transfers, write-offs), each side's debit and credit, the turnover, the closing balance, «задолженность
в пользу …» and the signature blocks. The supplier's columns are filled from the ledger; the
consumer's are left for the consumer to fill in.

PDF through the forms toolkit and the contract's flow (`sbyt.reports.contract_print.Flow`; the
PDF's creation date is the act's last day, so the same act prints to the same bytes); XLSX through
openpyxl.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sbyt.core.errors import SbytError
from sbyt.core.periods import period_label
from sbyt.core.store import Store
from sbyt.reports.contract_print import L, W, Flow
from sbyt.reports.epd_data import supplier_on
from sbyt.reports.forms import Column, FormDocument, Typeface, date_ru, money, table

DOC_WORDS = {"upd": "УПД", "act": "акт", "sf": "с/ф", "ksf": "корр. с/ф", "act_recalc": "акт перерасчёта"}
KIND_WORDS = {"opening": "Входящее сальдо", "refund": "Возврат", "transfer": "Перенос", "writeoff": "Списание"}

ROWS_SQL = """
SELECT l.op_date, l.id, l.kind, l.period, l.for_period, l.amount_kop, l.note, c.number,
       (SELECT string_agg(CASE d.kind WHEN 'upd' THEN 'УПД' WHEN 'act' THEN 'акт' WHEN 'sf' THEN 'с/ф'
                                      WHEN 'ksf' THEN 'корр. с/ф' ELSE 'акт перерасчёта' END
                          || ' № ' || d.doc_no || ' от ' || strftime(d.doc_date, '%d.%m.%Y'), ', '
                          ORDER BY CASE d.kind WHEN 'upd' THEN 0 WHEN 'act' THEN 1 WHEN 'act_recalc' THEN 1 ELSE 2 END,
                                   d.doc_date, d.id)
        FROM legal_doc d
        WHERE d.contract_id = l.contract_id AND d.correction_no = 0 AND d.for_period = l.for_period
          AND ((l.kind = 'accrual' AND d.kind IN ('upd', 'act', 'sf'))
            OR (l.kind = 'recalc' AND d.kind IN ('ksf', 'act_recalc') AND d.period = l.period))) AS docs
FROM legal_posting l JOIN contract c ON c.id = l.contract_id
WHERE list_contains($ids, l.contract_id) AND l.op_date BETWEEN $from AND $to
ORDER BY l.op_date, CASE WHEN l.amount_kop > 0 THEN 0 ELSE 1 END, l.id
"""


@dataclass(frozen=True)
class ReconRow:
    day: date
    text: str
    debit_kop: int          # the consumer owes more (accruals, penalties, refunds)
    credit_kop: int         # the consumer paid (payments, decreases)


@dataclass(frozen=True)
class ReconAct:
    title: str                       # «по договору № Д-1» | «по договорам № Д-1, Д-3»
    numbers: tuple[str, ...]
    supplier: str
    supplier_inn: str
    consumer: str
    consumer_inn: str
    date_from: date
    date_to: date
    opening_kop: int                 # + the consumer owes, − the consumer's advance
    rows: tuple[ReconRow, ...]

    @property
    def debit_kop(self) -> int:
        return sum(r.debit_kop for r in self.rows)

    @property
    def credit_kop(self) -> int:
        return sum(r.credit_kop for r in self.rows)

    @property
    def closing_kop(self) -> int:
        return self.opening_kop + self.debit_kop - self.credit_kop

    def in_favour(self) -> str:
        c = self.closing_kop
        if c == 0:
            return f"На {date_ru(self.date_to)} задолженности нет."
        who = self.supplier if c > 0 else self.consumer
        return f"На {date_ru(self.date_to)} задолженность в пользу {who}: {money(abs(c))} руб."


def _text(kind: str, for_period: int, note: str | None, docs: str | None, number: str, several: bool) -> str:
    tail = f" (договор № {number})" if several else ""
    if kind == "accrual":
        return f"Реализация за {period_label(for_period)}: " + (docs or "начисление за месяц") + tail
    if kind == "recalc":
        return f"Перерасчёт за {period_label(for_period)}" + (f": {docs}" if docs else "") + tail
    if kind == "penalty":
        return f"Пени за {period_label(for_period)}" + tail
    if kind == "payment":
        n = json.loads(note) if note else {}
        doc = n.get("doc_no")
        day = n.get("doc_date")
        when = f" от {date.fromisoformat(day):%d.%m.%Y}" if day else ""
        return ("Оплата" + (f" (п/п № {doc}{when})" if doc else "")) + tail
    return KIND_WORDS.get(kind, kind) + tail


def recon_act(store: Store, number: str | None, date_from: date, date_to: date, *, inn: str | None = None) -> ReconAct:
    """The act of a contract (`number`) or of all contracts of the counterparty with ИНН `inn`."""
    if date_from > date_to:
        raise SbytError(f"Начало периода {date_from:%d.%m.%Y} позже его конца {date_to:%d.%m.%Y}.")
    if inn:
        cons = store.all("SELECT c.id, c.number, c.counterparty_id FROM contract c JOIN counterparty p"
                         " ON p.id = c.counterparty_id WHERE p.inn = ? ORDER BY c.number", [inn.strip()])
        if not cons:
            raise SbytError(f"У контрагента с ИНН {inn} нет договоров.")
    else:
        cons = store.all("SELECT id, number, counterparty_id FROM contract WHERE number = ?", [number])
        if not cons:
            raise SbytError(f"Договор № {number} не найден.")
    ids = [int(c[0]) for c in cons]
    party = cons[0][2]
    name, pinn = store.one(
        "SELECT coalesce((SELECT f.name FROM counterparty_fact f WHERE f.counterparty_id = p.id AND f.valid_from <= ?"
        " ORDER BY f.valid_from DESC LIMIT 1), 'ИНН ' || p.inn), p.inn FROM counterparty p WHERE p.id = ?",
        [date_to, party])
    opening = int(store.scalar("SELECT coalesce(sum(amount_kop), 0) FROM legal_posting WHERE list_contains(?, contract_id)"
                               " AND op_date < ?", [ids, date_from]))
    several = len(ids) > 1
    rows = tuple(ReconRow(day, _text(kind, fp, note, docs, num, several), max(amt, 0), max(-amt, 0))
                 for day, _i, kind, _p, fp, amt, note, num, docs in
                 store.all(ROWS_SQL, {"ids": ids, "from": date_from, "to": date_to}))
    s = supplier_on(store, date_to)
    numbers = tuple(c[1] for c in cons)
    title = f"по договору № {numbers[0]}" if not several else "по договорам № " + ", ".join(numbers)
    return ReconAct(title, numbers, s.name, s.inn, name, pinn, date_from, date_to, opening, rows)


def as_rows(a: ReconAct) -> list[tuple[str, str, str, str]]:
    """The act's lines as (day, text, debit, credit), the opening, turnover and closing lines included."""
    def split(k: int) -> tuple[str, str]:
        return (money(k), "") if k > 0 else ("", money(-k)) if k < 0 else ("", "")

    out = [("", f"Сальдо на {date_ru(a.date_from)}", *split(a.opening_kop))]
    out += [(date_ru(r.day), r.text, money(r.debit_kop, True), money(r.credit_kop, True)) for r in a.rows]
    out.append(("", "Обороты за период", money(a.debit_kop), money(a.credit_kop)))
    out.append(("", f"Сальдо на {date_ru(a.date_to)}", *split(a.closing_kop)))
    return out


COLUMNS = (Column("Дата", 17, "C"), Column("Документ", 99), Column("Дебет ГП", 19, "R"), Column("Кредит ГП", 19, "R"),
           Column("Дебет потреб.", 13, "R"), Column("Кредит потреб.", 13, "R"))


def render(a: ReconAct) -> FormDocument:
    doc = FormDocument(title=f"Акт сверки {a.title}")
    d = a.date_to
    doc.pdf.set_creation_date(datetime(d.year, d.month, d.day, tzinfo=timezone.utc))
    flow = Flow(Typeface.load(), f"Акт сверки {a.title} за {date_ru(a.date_from)}–{date_ru(a.date_to)}")
    flow.para("АКТ СВЕРКИ ВЗАИМНЫХ РАСЧЁТОВ", size=12, bold=True, align="C")
    flow.para(f"за период с {date_ru(a.date_from)} по {date_ru(a.date_to)} {a.title}", align="C")
    flow.para(f"между {a.supplier} (ИНН {a.supplier_inn}) и {a.consumer} (ИНН {a.consumer_inn})", align="C")
    flow.space(2.0)
    flow.para("Мы, нижеподписавшиеся, составили настоящий акт о том, что состояние взаимных расчётов по данным "
              "учёта следующее (руб.):")
    flow.para(f"Графы «ГП» — по данным {a.supplier}; графы «потреб.» — по данным {a.consumer} (заполняет "
              "потребитель).", size=7)
    rows = as_rows(a)
    bold = [True] + [False] * len(a.rows) + [True, True]
    body = [[r[0], r[1], r[2], r[3], "", ""] for r in rows]
    # in pieces that fit a page, the header repeated
    i = 0
    while i < len(body):
        room = max(1, int((284.0 - flow.y - 8.0) // 5.0))
        if room < 3 and flow.y > 40:
            flow.new_page()
            continue
        part = body[i:i + room]
        flow.y = table(flow.c, L, flow.y, COLUMNS, part, header_h=6.0, row_h=5.0, size=7.0, bold=bold[i:i + room])
        i += room
        if i < len(body):
            flow.new_page()
    flow.space(3.0)
    flow.para(a.in_favour(), bold=True)
    flow.space(6.0)
    flow.need(30.0)
    half = W / 2
    y = flow.y
    for k, (side, name) in enumerate(((("От гарантирующего поставщика"), a.supplier), ("От потребителя", a.consumer))):
        x = L + k * half
        flow.c.text(x, y + 4, side, size=8, bold=True)
        for j, ln in enumerate(flow.c.wrap(name, half - 4, 8)[:2]):
            flow.c.text(x, y + 8 + 4 * j, ln, size=8)
        flow.c.text(x, y + 20, "______________ / ______________ /", size=8)
        flow.c.text(x, y + 25, "М. П.", size=7)
    flow.y = y + 28
    flow.finish(doc)
    return doc


def recon_pdf(a: ReconAct) -> bytes:
    return render(a).output() or b""


def recon_xlsx(a: ReconAct) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Акт сверки"
    ws.append(["Акт сверки взаимных расчётов"])
    ws.append([f"за период с {date_ru(a.date_from)} по {date_ru(a.date_to)} {a.title}"])
    ws.append([f"между {a.supplier} (ИНН {a.supplier_inn}) и {a.consumer} (ИНН {a.consumer_inn})"])
    ws.append([])
    ws.append(["", "", f"По данным {a.supplier}", "", f"По данным {a.consumer}", ""])
    ws.append(["Дата", "Документ", "Дебет", "Кредит", "Дебет", "Кредит"])
    for c in ws[6]:
        c.font = Font(bold=True)

    def rub(k: int) -> float | None:
        return None if k == 0 else k / 100

    op = a.opening_kop
    ws.append([None, f"Сальдо на {date_ru(a.date_from)}", rub(max(op, 0)), rub(max(-op, 0))])
    for r in a.rows:
        ws.append([r.day, r.text, rub(r.debit_kop), rub(r.credit_kop)])
    ws.append([None, "Обороты за период", a.debit_kop / 100, a.credit_kop / 100])
    cl = a.closing_kop
    ws.append([None, f"Сальдо на {date_ru(a.date_to)}", rub(max(cl, 0)), rub(max(-cl, 0))])
    ws.append([])
    ws.append([a.in_favour()])
    for row in ws.iter_rows(min_row=7):
        if isinstance(row[0].value, date):
            row[0].number_format = "DD.MM.YYYY"
        for c in row[2:6]:
            c.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 70
    for col in "CDEF":
        ws.column_dimensions[col].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
