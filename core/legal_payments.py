"""Payments of legal-entity contracts and the contract's debt by month.

A payment is a `legal_posting` row of kind 'payment': a negative amount (VAT included), op_date =
the payment day, period = the open month it is posted in (a payment dated in a closed month — a
bank statement reaching the office after the close — is posted in the open month with its own
day, as the households' payments are, `sbyt.core.payments`), for_period = the month of the
payment day. A day after today is refused, and so is the same bank document (number, day and sum)
twice for one contract. Money is matched to debts first owed first paid (`legal_schedule.fifo`):
the debt by month (`balance`) and the penalty timelines (`sbyt.calc.legal_penalty`) use the same
rule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from sbyt.core import clock
from sbyt.core.access import requires
from sbyt.core.contracts import contract
from sbyt.core.errors import RefusedError, SbytError
from sbyt.core.legal_schedule import MonthTerms, fifo, month_terms
from sbyt.core.money import format_rub
from sbyt.core.period_state import open_period
from sbyt.core.periods import period_of, period_title, period_title_in
from sbyt.core.store import Store

FAR = date(9999, 12, 31)     # the due date of penalties in the matching: paid after every other debt


@dataclass(frozen=True)
class PaymentResult:
    posting_id: int
    period: int                # posted in
    late: bool                 # dated in a closed month

    def message(self, number: str, amount_kop: int, pay_date: date) -> str:
        text = f"Оплата {format_rub(amount_kop)} ₽ от {pay_date:%d.%m.%Y} по договору № {number} принята."
        if self.late:
            text += (f" Дата оплаты в закрытом периоде ({period_title(period_of(pay_date))}): учтена в "
                     f"{period_title_in(self.period)} с датой оплаты.")
        return text


@requires("payments.enter")
def add_payment(store: Store, contract_number: str, amount_kop: int, pay_date: date, purpose: str | None = None,
                doc_no: str | None = None, *, today: date | None = None) -> PaymentResult:
    """Post a payment of a contract (see the module docstring); audited."""
    today = today or clock.today()
    if amount_kop <= 0:
        raise SbytError("Сумма оплаты должна быть больше нуля.")
    if pay_date > today:
        raise SbytError(f"Дата оплаты {pay_date:%d.%m.%Y} позже сегодняшней ({today:%d.%m.%Y}). Ничего не записано.")
    c = contract(store, contract_number)
    if c.starts is None or c.state not in ("signed", "terminated"):
        raise RefusedError(f"Договор № {contract_number} не подписан: оплата по нему не принимается.")
    doc_no = (doc_no or "").strip() or None
    purpose = (purpose or "").strip() or None
    op = open_period(store)
    note = json.dumps({k: v for k, v in (("doc_no", doc_no), ("purpose", purpose)) if v}, ensure_ascii=False) or None
    with store.transaction():
        if doc_no and store.scalar(
                "SELECT count(*) FROM legal_posting WHERE contract_id = ? AND kind = 'payment' AND op_date = ?"
                " AND amount_kop = ? AND json_extract_string(note, '$.doc_no') = ?",
                [c.id, pay_date, -amount_kop, doc_no]):
            raise RefusedError(f"Платёжный документ № {doc_no} от {pay_date:%d.%m.%Y} на {format_rub(amount_kop)} ₽ "
                               f"по договору № {contract_number} уже принят.")
        pid = store.next_id("legal_posting")
        store.execute("INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop,"
                      " op_date, note, created_by) VALUES (?, ?, ?, 'payment', ?, ?, ?, ?, ?, ?)",
                      [pid, c.counterparty_id, c.id, op, period_of(pay_date), -amount_kop, pay_date,
                       None if note == "{}" else note, store.user])
        store.audit("insert", "legal_posting", pid, None,
                    json.dumps({"contract": contract_number, "kind": "payment", "amount_kop": amount_kop,
                                "pay_date": str(pay_date), "doc_no": doc_no, "purpose": purpose}, ensure_ascii=False))
    return PaymentResult(pid, op, period_of(pay_date) < op)


# --------------------------------------------------------------------------------------- ledger items
LEDGER_WHERE = """
FROM legal_posting l JOIN contract c ON c.id = l.contract_id
WHERE l.op_date <= $upto AND l.kind IN (SELECT unnest($kinds))
  AND ($contracts IS NULL OR list_contains($contracts, l.contract_id))"""
DUE_MONTH = "CASE WHEN l.kind = 'recalc' THEN l.period ELSE l.for_period END"
FINAL_KINDS = "('accrual', 'recalc', 'opening')"


def terms_of(store: Store, months: set[int], cache: dict[int, MonthTerms]) -> dict[int, MonthTerms]:
    for m in months:
        if m not in cache:
            cache[m] = month_terms(store, m)
    return cache


def ledger_items(store: Store, upto: date, kinds: tuple[str, ...], contract_ids: list[int] | None = None,
                 terms: dict[int, MonthTerms] | None = None) -> dict[str, np.ndarray]:
    """The contracts' ledger rows of `kinds` dated up to `upto`, as debts and money for `fifo`:
    contract_id, kind (fixed-width str), debt_period, amount_kop, op_date, due (datetime64[D]),
    ordered by contract, day and id. A positive row is owed: an accrual by the final due date of
    its month, a recalculation by the final due date of the month it is posted in, an opening
    balance by its month's final due date, a refund or a transfer on its day, a penalty after
    every other debt (FAR); a negative one is money on its day."""
    terms = terms if terms is not None else {}
    params = {"upto": upto, "kinds": list(kinds), "contracts": contract_ids}
    con = store.con
    pairs = con.sql(f"SELECT DISTINCT {DUE_MONTH} AS m, c.payment_scheme {LEDGER_WHERE}"
                    f" AND l.kind IN {FINAL_KINDS}", params=params).fetchall()
    terms_of(store, {int(m) for m, _ in pairs}, terms)
    dues = pa.table({"m": pa.array([int(m) for m, _ in pairs], pa.int32()),
                     "scheme": pa.array([sch for _, sch in pairs], pa.string()),
                     "due": pa.array([terms[int(m)].final_due(sch) for m, sch in pairs], pa.date32())})
    con.register("_li_due", dues)
    try:
        t = con.sql(f"""
            SELECT l.contract_id, l.kind, l.for_period, l.amount_kop, l.op_date,
                   CASE WHEN l.kind = 'penalty' THEN DATE '{FAR}'
                        WHEN l.kind IN {FINAL_KINDS} THEN d.due ELSE l.op_date END AS due
            {LEDGER_WHERE.replace("WHERE", "LEFT JOIN _li_due d ON d.m = " + DUE_MONTH
                                  + " AND d.scheme = c.payment_scheme WHERE")}
            ORDER BY l.contract_id, l.op_date, l.id""", params=params).to_arrow_table()
    finally:
        con.unregister("_li_due")
    return {"contract_id": t.column("contract_id").to_numpy().astype(np.int64),
            "kind": t.column("kind").to_numpy(zero_copy_only=False).astype("U8"),
            "debt_period": t.column("for_period").to_numpy().astype(np.int64),
            "amount_kop": t.column("amount_kop").to_numpy().astype(np.int64),
            "op_date": t.column("op_date").to_numpy().astype("datetime64[D]"),
            "due": t.column("due").to_numpy().astype("datetime64[D]")}


# --------------------------------------------------------------------------------------- balance
@dataclass(frozen=True)
class DebtRow:
    period: int | None      # the debt month; None: money not matched to any debt (an advance)
    what: str               # energy | penalty | advance
    due: date | None
    owed_kop: int
    paid_kop: int
    debt_kop: int
    overdue_kop: int


def balance(store: Store, contract_number: str, on: date | None = None) -> list[DebtRow]:
    """The contract's debt by month on a day (default today): what is owed for each month (accruals,
    recalculations, opening balances; penalties apart), what the money paid up to that day covers
    (first owed first paid, penalties last), what is left and how much of it is past its due date."""
    on = on or clock.today()
    c = contract(store, contract_number)
    items = ledger_items(store, on, ("opening", "accrual", "recalc", "payment", "penalty", "refund", "transfer",
                                     "writeoff"), [c.id])
    amt = items["amount_kop"]
    owed = amt > 0
    # debts in due order (the ledger's order among equals), money in day order
    ob = np.flatnonzero(owed)
    ob = ob[np.argsort(items["due"][ob], kind="stable")]
    cr = np.flatnonzero(~owed & (amt < 0))
    seg_ob, seg_cr, seg_amt = fifo(np.zeros(len(ob), np.int64), amt[ob], np.zeros(len(cr), np.int64), -amt[cr], 1)
    paid = np.bincount(seg_ob, seg_amt, len(ob)).astype(np.int64) if len(ob) else np.zeros(0, np.int64)
    rows: dict[tuple[int, str], list] = {}
    on64 = np.datetime64(on, "D")
    for k, i in enumerate(ob):
        what = "penalty" if items["kind"][i] == "penalty" else "energy"
        key = (int(items["debt_period"][i]), what)
        r = rows.setdefault(key, [None, 0, 0, 0])
        d = items["due"][i]
        if what == "energy" and (r[0] is None or d > r[0]):
            r[0] = d
        r[1] += int(amt[i])
        r[2] += int(paid[k])
        if what == "penalty" or d < on64:
            r[3] += int(amt[i] - paid[k])
    out = [DebtRow(p, w, None if r[0] is None else r[0].astype(date), r[1], r[2], r[1] - r[2], r[3])
           for (p, w), r in sorted(rows.items())]
    free = int(-amt[cr].sum() - seg_amt.sum())
    if free:
        out.append(DebtRow(None, "advance", None, 0, free, -free, 0))
    return out
