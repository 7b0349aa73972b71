"""Payments of legal-entity contracts and the contract's debt by month.

A payment is a `legal_posting` row of kind 'payment': a negative amount (VAT included), op_date =
the payment day, period = the open month it is posted in (a payment dated in a closed month — a
bank statement reaching the office after the close — is posted in the open month with its own
day, as the households' payments are, `sbyt.core.payments`), for_period = the month of the
payment day. A day after today is refused, and so is the same bank document (number, day and sum)
twice for one contract. A purpose naming documents of the contract (`named_docs`: «С-123», «с/ф №
45 от 30.11.2026») records their months (`legal_payment_target`, `record_targets`); a name no
document of the contract has is ignored with a warning. Money is matched to debts by
`legal_schedule.match`: what a payment names first, then first owed first paid; the debt by month
(`balance`) and the penalty timelines (`sbyt.calc.legal_penalty`) use the same rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from sbyt.core import clock
from sbyt.core.access import requires
from sbyt.core.contracts import contract
from sbyt.core.errors import RefusedError, SbytError
from sbyt.core.legal_schedule import PENALTY_KEY, MonthTerms, debt_key, match, month_terms
from sbyt.core.money import format_rub
from sbyt.core.period_state import open_period
from sbyt.core.periods import period_label, period_of, period_title, period_title_in
from sbyt.core.store import Store

FAR = date(9999, 12, 31)     # the due date of penalties in the matching: paid after every other debt


# --------------------------------------------------------------------------------------- purposes
@dataclass(frozen=True)
class NamedDoc:
    """A document a payment's purpose names: series 'bill' (invoice for payment «С-N») or 'sf'
    (VAT invoice, УПД of status 1, corrective invoice), the printed number, the day if given."""
    series: str
    number: str
    day: date | None
    text: str                  # as written in the purpose


_NO = r"\s*(?:№|N|#)?\s*"
_FROM = r"(?:\s*от\s*(\d{1,2})\.(\d{1,2})\.(\d{4}))?"
_CONTRACT_REF = re.compile(r"договор\w*" + _NO + r"[^\s,;]+", re.I)
_SF = re.compile(r"(?<![\w/])(?:с/ф|с\\ф|сч\.?\s?-?\s?ф(?:акт\w*)?\.?|сч[её]т\w*[\s-]*фактур\w*|сф)" + _NO
                 + r"(\d+)" + _FROM, re.I)
_BILL = re.compile(r"(?:(?<![\w/-])[СC]\s?-\s?(\d+)|сч[её]т\w*(?:\s+на\s+оплату)?\s*(?:№|N|#)\s*(?:[СC]\s?-\s?)?(\d+))"
                   + _FROM, re.I)


def named_docs(purpose: str | None) -> list[NamedDoc]:
    """The documents a purpose names, in its order: «счёт № С-123», «С-123», «сч. на оплату №С-7 от
    01.12.2026», «с/ф № 45», «счёт-фактура 45 от 30.11.2026», «СФ №45» (№ with or without a space,
    the date optional). A contract's number («по договору № С-15») is not an invoice."""
    if not purpose:
        return []
    text = _CONTRACT_REF.sub(lambda m: " " * len(m.group(0)), purpose)
    found: list[tuple[int, NamedDoc]] = []

    def day(m: re.Match[str], k: int) -> date | None:
        if m.group(k) is None:
            return None
        try:
            return date(int(m.group(k + 2)), int(m.group(k + 1)), int(m.group(k)))
        except ValueError:
            return None

    for m in _SF.finditer(text):
        found.append((m.start(), NamedDoc("sf", m.group(1).lstrip("0") or "0", day(m, 2), m.group(0).strip())))
    text = _SF.sub(lambda m: " " * len(m.group(0)), text)
    for m in _BILL.finditer(text):
        n = (m.group(1) or m.group(2)).lstrip("0") or "0"
        found.append((m.start(), NamedDoc("bill", f"С-{n}", day(m, 3), m.group(0).strip())))
    out: list[NamedDoc] = []
    for _, d in sorted(found, key=lambda x: x[0]):
        if all((d.series, d.number, d.day) != (x.series, x.number, x.day) for x in out):
            out.append(d)
    return out


TARGET_SQL = """
WITH n AS (SELECT * FROM _lp_named),
hit AS (
    SELECT n.posting_id, n.seq, d.id AS doc_id, d.for_period,
           CASE WHEN d.kind = 'bill_penalty' THEN 'penalty' ELSE 'energy' END AS debt,
           row_number() OVER (PARTITION BY n.posting_id, n.seq ORDER BY d.doc_date DESC, d.id DESC) AS k
    FROM n JOIN legal_doc d ON d.contract_id = n.contract_id AND d.series = n.series AND d.doc_no = n.number
     AND d.correction_no = 0 AND (n.day IS NULL OR d.doc_date = n.day) AND (n.day IS NOT NULL OR d.doc_date <= n.pay_date))
SELECT n.posting_id, n.seq, n.text, h.doc_id, h.for_period, h.debt
FROM n LEFT JOIN hit h ON h.posting_id = n.posting_id AND h.seq = n.seq AND h.k = 1
ORDER BY n.posting_id, n.seq
"""


def record_targets(store: Store, payments: pa.Table) -> dict[int, list[str]]:
    """Find the documents the payments' purposes name and write `legal_payment_target` (in the
    caller's transaction). `payments`: posting_id, contract_id, pay_date, purpose. A month named
    twice counts once. Returns posting id → the warnings of names no document of the contract has."""
    cols: dict[str, list] = {k: [] for k in ("posting_id", "contract_id", "pay_date", "seq", "series", "number",
                                             "day", "text")}
    for pid, cid, day, purpose in zip(*(payments.column(k).to_pylist()
                                        for k in ("posting_id", "contract_id", "pay_date", "purpose"))):
        for seq, d in enumerate(named_docs(purpose), 1):
            for k, v in zip(cols, (pid, cid, day, seq, d.series, d.number, d.day, d.text)):
                cols[k].append(v)
    if not cols["posting_id"]:
        return {}
    con = store.con
    con.register("_lp_named", pa.table(cols, schema=pa.schema([
        ("posting_id", pa.int64()), ("contract_id", pa.int64()), ("pay_date", pa.date32()), ("seq", pa.int16()),
        ("series", pa.string()), ("number", pa.string()), ("day", pa.date32()), ("text", pa.string())])))
    try:
        rows = con.execute(TARGET_SQL).fetchall()
    finally:
        con.unregister("_lp_named")
    warnings: dict[int, list[str]] = {}
    keep: dict[str, list] = {k: [] for k in ("posting_id", "seq", "doc_id", "for_period", "debt")}
    seen: set[tuple[int, int, str]] = set()
    for pid, _seq, text, doc_id, for_period, debt in rows:
        if doc_id is None:
            warnings.setdefault(pid, []).append(f"документ «{text}» из назначения платежа по договору не найден — "
                                                "не учтён")
            continue
        if (pid, for_period, debt) in seen:
            continue
        seen.add((pid, for_period, debt))
        for k, v in zip(keep, (pid, len([x for x in keep["posting_id"] if x == pid]) + 1, doc_id, for_period, debt)):
            keep[k].append(v)
    if keep["posting_id"]:
        con.register("_lp_target", pa.table(keep))
        try:
            con.execute("INSERT INTO legal_payment_target SELECT posting_id, seq, doc_id, for_period, debt FROM _lp_target")
        finally:
            con.unregister("_lp_target")
    return warnings


@dataclass(frozen=True)
class PaymentResult:
    posting_id: int
    period: int                # posted in
    late: bool                 # dated in a closed month
    targets: tuple[str, ...] = ()      # the months it pays first, as «С-5 (за 11.2026)»
    warnings: tuple[str, ...] = ()

    def message(self, number: str, amount_kop: int, pay_date: date) -> str:
        text = f"Оплата {format_rub(amount_kop)} ₽ от {pay_date:%d.%m.%Y} по договору № {number} принята."
        if self.late:
            text += (f" Дата оплаты в закрытом периоде ({period_title(period_of(pay_date))}): учтена в "
                     f"{period_title_in(self.period)} с датой оплаты.")
        if self.targets:
            text += " В первую очередь оплачивает: " + ", ".join(self.targets) + "."
        for w in self.warnings:
            text += f" Внимание: {w}."
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
        warnings = record_targets(store, pa.table({"posting_id": pa.array([pid], pa.int64()),
                                                   "contract_id": pa.array([c.id], pa.int64()),
                                                   "pay_date": pa.array([pay_date], pa.date32()),
                                                   "purpose": pa.array([purpose], pa.string())})).get(pid, [])
        targets = tuple(f"{no} (за {period_label(m)}{', пени' if debt == 'penalty' else ''})" for no, m, debt in store.all(
            "SELECT d.doc_no, g.for_period, g.debt FROM legal_payment_target g JOIN legal_doc d ON d.id = g.doc_id"
            " WHERE g.posting_id = ? ORDER BY g.seq", [pid]))
    return PaymentResult(pid, op, period_of(pay_date) < op, targets, tuple(warnings))


# --------------------------------------------------------------------------------------- bank statements
ROUTE_SQL = r"""
WITH cand AS (
    SELECT m.row_id, m.row_no, c.id AS contract_id, c.number, c.counterparty_id, c.state, c.starts,
           regexp_matches(coalesce(m.purpose, ''),
                          '(^|[^\p{L}\p{N}/-])' || regexp_replace(c.number, '([.^$|()\[\]{}*+?\\])', '\\\1', 'g')
                          || '($|[^\p{L}\p{N}/-])') AS named
    FROM _m_pay m JOIN counterparty p ON p.inn = trim(m.payer_inn) JOIN contract c ON c.counterparty_id = p.id
    WHERE m.account_id IS NULL AND coalesce(trim(m.payer_inn), '') <> ''),
per AS (
    SELECT row_id, count(*) FILTER (WHERE named) AS named_n,
           count(*) FILTER (WHERE state IN ('signed', 'terminated') AND starts IS NOT NULL) AS signed_n
    FROM cand GROUP BY row_id)
SELECT c.row_id, c.row_no, c.contract_id, c.number, c.counterparty_id,
       c.state IN ('signed', 'terminated') AND c.starts IS NOT NULL AS ok
FROM cand c JOIN per USING (row_id)
WHERE (per.named_n = 1 AND c.named)
   OR (per.named_n = 0 AND per.signed_n = 1 AND c.state IN ('signed', 'terminated') AND c.starts IS NOT NULL)
ORDER BY c.row_id
"""


@dataclass(frozen=True)
class LegalRouted:
    rows: int
    total_kop: int
    warnings: tuple[str, ...]


def route_statement(store: Store, period: int, batch_id: int | None, file_name: str) -> LegalRouted:
    """Bank statement rows of legal payers into their contracts (inside the import's transaction).

    Works on the import's temp table `_m_pay` (after the households' matching): a row no account
    took whose payer's ИНН is a counterparty's goes to the contract its purpose names (the number
    as a word), or to the counterparty's only signed contract when it names none. It becomes a
    legal_posting payment (batch `batch_id`, posted in `period` with its own day, the purpose and the
    bank document kept in the note), the documents its purpose names are recorded
    (`record_targets`), and the row leaves `_m_pay`. A named contract that is not signed, or a bank
    document the contract already has, refuses the whole file (every row named)."""
    from sbyt.core.errors import RowError, ValidationError

    con = store.con
    con.execute("CREATE OR REPLACE TEMP TABLE _lp_route AS " + ROUTE_SQL)
    if not con.execute("SELECT count(*) FROM _lp_route").fetchone()[0]:
        con.execute("DROP TABLE _lp_route")
        return LegalRouted(0, 0, ())
    errors = [RowError(file_name, int(r[0]), f"договор № {r[1]} не подписан: оплата по нему не принимается")
              for r in con.execute("SELECT row_no, number FROM _lp_route WHERE NOT ok ORDER BY row_no").fetchall()]
    dup = con.execute("""
        SELECT m.row_no, m.doc_no, m.pay_date, m.amount_kop, c.number
        FROM _lp_route r JOIN _m_pay m USING (row_id) JOIN contract c ON c.id = r.contract_id
        WHERE coalesce(m.doc_no, '') <> '' AND EXISTS (
            SELECT 1 FROM legal_posting l WHERE l.contract_id = r.contract_id AND l.kind = 'payment'
              AND l.op_date = m.pay_date AND l.amount_kop = -m.amount_kop
              AND json_extract_string(l.note, '$.doc_no') = m.doc_no)
        ORDER BY m.row_no""").fetchall()
    errors += [RowError(file_name, int(r[0]), f"платёжный документ № {r[1]} от {r[2]:%d.%m.%Y} на {format_rub(r[3])} ₽ "
                                              f"по договору № {r[4]} уже принят") for r in dup]
    if errors:
        errors.sort(key=lambda e: e.row)
        raise ValidationError(errors, f"Оплаты юридических лиц в выписке «{file_name}» не приняты: {len(errors)}. "
                                      "Ничего не записано.")
    base = store.next_id("legal_posting")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _lp_new AS
        SELECT ? - 1 + row_number() OVER (ORDER BY m.row_id) AS id, r.contract_id, r.counterparty_id, m.row_id,
               m.pay_date, m.amount_kop, m.purpose,
               json_object('doc_no', nullif(trim(m.doc_no), ''), 'doc_date', m.doc_date, 'purpose', nullif(m.purpose, ''),
                           'payer', m.payer_name, 'inn', trim(m.payer_inn), 'row', m.row_no)::VARCHAR AS note
        FROM _lp_route r JOIN _m_pay m USING (row_id)""", [base])
    con.execute("""
        INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop, op_date,
                                   batch_id, note, created_by)
        SELECT id, counterparty_id, contract_id, 'payment', ?, year(pay_date) * 100 + month(pay_date), -amount_kop,
               pay_date, ?, note, ? FROM _lp_new""", [period, batch_id, store.user])
    t = con.sql("SELECT id AS posting_id, contract_id, pay_date, purpose FROM _lp_new ORDER BY id").to_arrow_table()
    warned = record_targets(store, t)
    n, total = con.execute("SELECT count(*), coalesce(sum(amount_kop), 0) FROM _lp_new").fetchone()
    rows_of = dict(con.execute("SELECT id, row_id FROM _lp_new").fetchall())
    row_no = dict(con.execute("SELECT row_id, row_no FROM _m_pay").fetchall())
    warnings = tuple(f"{file_name}:{row_no[rows_of[pid]]}: {w}" for pid in sorted(warned) for w in warned[pid])
    con.execute("DELETE FROM _m_pay WHERE row_id IN (SELECT row_id FROM _lp_route)")
    con.execute("DROP TABLE _lp_new")
    con.execute("DROP TABLE _lp_route")
    return LegalRouted(int(n), int(total), warnings)


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
    ordered by contract, day and id; posting_id; and the targets of the payments among them
    (`legal_payment_target`): t_item (the row), t_rank (0, 1, …), t_key (`legal_schedule.debt_key`).
    A positive row is owed: an accrual by the final due date of
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
            SELECT l.id, l.contract_id, l.kind, l.for_period, l.amount_kop, l.op_date,
                   CASE WHEN l.kind = 'penalty' THEN DATE '{FAR}'
                        WHEN l.kind IN {FINAL_KINDS} THEN d.due ELSE l.op_date END AS due
            {LEDGER_WHERE.replace("WHERE", "LEFT JOIN _li_due d ON d.m = " + DUE_MONTH
                                  + " AND d.scheme = c.payment_scheme WHERE")}
            ORDER BY l.contract_id, l.op_date, l.id""", params=params).to_arrow_table()
    finally:
        con.unregister("_li_due")
    ids = t.column("id").to_numpy().astype(np.int64)
    tg = con.sql(f"""
        SELECT g.posting_id, g.seq, g.for_period, g.debt FROM legal_payment_target g
        WHERE g.posting_id IN (SELECT l.id {LEDGER_WHERE} AND l.kind = 'payment')
        ORDER BY g.posting_id, g.seq""", params=params).to_arrow_table()
    by_id = np.argsort(ids, kind="stable")
    t_pid = tg.column("posting_id").to_numpy().astype(np.int64)
    t_item = by_id[np.searchsorted(ids[by_id], t_pid)] if len(t_pid) else np.zeros(0, np.int64)
    # rank 0, 1, … within a posting
    first = np.searchsorted(t_pid, t_pid, "left")
    return {"contract_id": t.column("contract_id").to_numpy().astype(np.int64),
            "kind": t.column("kind").to_numpy(zero_copy_only=False).astype("U8"),
            "debt_period": t.column("for_period").to_numpy().astype(np.int64),
            "amount_kop": t.column("amount_kop").to_numpy().astype(np.int64),
            "op_date": t.column("op_date").to_numpy().astype("datetime64[D]"),
            "due": t.column("due").to_numpy().astype("datetime64[D]"),
            "posting_id": ids,
            "t_item": t_item.astype(np.int64),
            "t_rank": (np.arange(len(t_pid)) - first).astype(np.int64),
            "t_key": debt_key(tg.column("for_period").to_numpy().astype(np.int64),
                              tg.column("debt").to_numpy(zero_copy_only=False) == "penalty")}


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
    cr_of = np.full(len(amt), -1, np.int64)
    cr_of[cr] = np.arange(len(cr))
    t_cr = cr_of[items["t_item"]]
    keys = debt_key(items["debt_period"][ob], items["kind"][ob] == "penalty")
    seg_ob, seg_cr, seg_amt, held = match(np.zeros(len(ob), np.int64), amt[ob], keys, np.zeros(len(cr), np.int64),
                                          -amt[cr], 1, t_cr, items["t_rank"], items["t_key"])
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
    used = np.bincount(seg_cr, seg_amt, len(cr)).astype(np.int64) if len(cr) else np.zeros(0, np.int64)
    left = -amt[cr] - used
    # money waiting for a month it names (not accrued yet): an advance of that month
    first_target = {}
    for j, r, key in zip(t_cr.tolist(), items["t_rank"].tolist(), items["t_key"].tolist()):
        if r == 0 and j >= 0:
            first_target[j] = key % PENALTY_KEY
    waiting: dict[int, int] = {}
    for j in np.flatnonzero(held & (left > 0)).tolist():
        waiting[first_target[j]] = waiting.get(first_target[j], 0) + int(left[j])
    free = int(left[~held].sum())
    if free:
        out.append(DebtRow(None, "advance", None, 0, free, -free, 0))
    out += [DebtRow(m, "advance", None, 0, x, -x, 0) for m, x in sorted(waiting.items())]
    return out


# --------------------------------------------------------------------------------------- reconciliation acts
@requires("contracts.edit")
def record_recon_signed(store: Store, contract_number: str, date_to: date, signed_on: date, signer: str,
                        authorised: bool, date_from: date | None = None, *, today: date | None = None) -> tuple[int, int]:
    """Record that the consumer signed the reconciliation act of a contract up to `date_to` (ГК РФ
    ст. 203: an act signed by an authorised person interrupts limitation); audited. Returns (id,
    the balance on `date_to` the act states)."""
    today = today or clock.today()
    signer = (signer or "").strip()
    if not signer:
        raise SbytError("Укажите, кто подписал акт сверки (--signer «ФИО, должность»).")
    if signed_on > today:
        raise SbytError(f"Дата подписания {signed_on:%d.%m.%Y} позже сегодняшней ({today:%d.%m.%Y}). Ничего не записано.")
    if signed_on < date_to:
        raise SbytError(f"Акт сверки по {date_to:%d.%m.%Y} не может быть подписан раньше ({signed_on:%d.%m.%Y}).")
    if date_from is not None and date_from > date_to:
        raise SbytError(f"Начало периода {date_from:%d.%m.%Y} позже его конца {date_to:%d.%m.%Y}.")
    c = contract(store, contract_number)
    with store.transaction():
        bal = int(store.scalar("SELECT coalesce(sum(amount_kop), 0) FROM legal_posting WHERE contract_id = ?"
                               " AND op_date <= ?", [c.id, date_to]))
        rid = int(store.scalar("SELECT coalesce(max(id), 0) + 1 FROM recon_act_signed"))
        store.execute("INSERT INTO recon_act_signed (id, contract_id, date_from, date_to, signed_on, signer, authorised,"
                      " balance_kop, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [rid, c.id, date_from, date_to, signed_on, signer, authorised, bal, store.user])
        store.audit("insert", "recon_act_signed", rid, None,
                    json.dumps({"contract": contract_number, "date_to": str(date_to), "signed_on": str(signed_on),
                                "signer": signer, "authorised": authorised, "balance_kop": bal}, ensure_ascii=False))
    return rid, bal
