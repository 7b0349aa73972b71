"""The branches of a debt-collection case (docs/collection.md): repayment schedules
(реструктуризация) and their monthly check, bankruptcy of the debtor, write-off of bad debt as
ledger postings, the limitation queue, and the automatic start by saved selections.

A schedule acknowledges the debt (it interrupts limitation); while it is honoured the case rests
at the stage «реструктуризация»; a missed line breaks it and the case returns to the stage it came
from. A write-off is a draft with its ground and evidence until a holder of `debt.approve`
approves it: then one 'writeoff' posting per debt month and service enters the ledger of the open
month (the original postings stay; a reversal posts the opposite amounts).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

import pyarrow as pa

from sbyt.core import collection as col
from sbyt.core.access import requires
from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.period_state import open_period
from sbyt.core.periods import last_day
from sbyt.core.store import Store

GROUNDS = ("limitation", "liquidation", "impossibility", "bankruptcy")
PROCEDURES = ("observation", "liquidation", "realisation", "restructuring_debts", "completed")


# ---------------------------------------------------------------- repayment schedules

def even_lines(total_kop: int, months: int, first: date) -> list[tuple[date, int]]:
    """`months` monthly lines from `first` (same day of month, clamped to the month's end), equal
    amounts with the remainder kopecks on the last line."""
    from sbyt.core.debt_law import add_months

    if months < 1 or total_kop <= 0:
        raise SbytError("График: число месяцев и сумма должны быть больше нуля.")
    part = total_kop // months
    return [(add_months(first, i), part + (total_kop - part * months if i == months - 1 else 0))
            for i in range(months)]


@requires("debt.work")
def conclude_schedule(store: Store, key: str | int, concluded: date, lines: Sequence[tuple[date, int]], *,
                      penalty_mode: str = "accrue") -> str:
    """Conclude a repayment schedule for a case: the case moves to «реструктуризация» (an
    acknowledgement of the debt: limitation restarts), the schedule's number is returned."""
    case = col.find_case(store, key)
    if not lines or any(a <= 0 for _, a in lines):
        raise SbytError("В графике погашения нет строк или есть строка с суммой не больше нуля.")
    dues = [d for d, _ in lines]
    if dues != sorted(dues) or dues[0] < concluded:
        raise SbytError("Сроки графика должны идти по возрастанию и не раньше даты соглашения.")
    if penalty_mode not in ("accrue", "frozen"):
        raise SbytError("Пени по графику: accrue (начисляются) или frozen (не начисляются).")
    if store.scalar("SELECT count(*) FROM debt_schedule WHERE case_id = ? AND status = 'active'", [case.id]):
        raise SbytError(f"По делу {case.number} уже действует график погашения.")
    total = sum(a for _, a in lines)
    with store.transaction():
        sid = int(store.scalar("SELECT nextval('debt_schedule_seq')"))
        seq = int(store.scalar("SELECT count(*) + 1 FROM debt_schedule WHERE year(concluded) = ?", [concluded.year]))
        number = f"ГП-{concluded.year}-{seq}"
        store.execute("INSERT INTO debt_schedule (id, case_id, number, concluded, total_kop, penalty_mode, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?)", [sid, case.id, number, concluded, total, penalty_mode, store.user])
        store.con.register("_gl", pa.table({"line_no": pa.array(range(1, len(lines) + 1), pa.int16()),
                                            "due": pa.array(dues, pa.date32()),
                                            "amount_kop": pa.array([a for _, a in lines], pa.int64())}))
        try:
            store.execute("INSERT INTO debt_schedule_line SELECT ?, line_no, due, amount_kop FROM _gl", [sid])
        finally:
            store.con.unregister("_gl")
        col.move(store, case, "restructuring", concluded, kind="schedule_concluded", amount_kop=total, note=number)
        store.audit("add", "debt_schedule", number, None, json.dumps({"case": case.number, "total_kop": total,
                                                                      "lines": len(lines)}, ensure_ascii=False))
    return number


def paid_since(store: Store, case: col.Case, since: date, until: date) -> int:
    """What the debtor paid between the two days (payments are negative postings)."""
    if case.debtor_kind == col.HOUSEHOLD:
        sql, key = "SELECT -coalesce(sum(amount_kop), 0) FROM posting WHERE account_id = ?", case.account_id
    else:
        sql, key = "SELECT -coalesce(sum(amount_kop), 0) FROM legal_posting WHERE contract_id = ?", case.contract_id
    return int(store.scalar(sql + " AND kind = 'payment' AND op_date BETWEEN ? AND ?", [key, since, until]))


@dataclass(frozen=True)
class ScheduleState:
    number: str
    case: str
    due_kop: int            # the lines due by the day
    paid_kop: int
    status: str


@requires("debt.work")
def check_schedules(store: Store, on: date) -> list[ScheduleState]:
    """The monthly compliance check of the active schedules on `on`: paid since the agreement
    against the lines due by `on`. Short of it: broken (the case returns to the stage before
    restructuring, event «график нарушен»); everything paid: completed."""
    rows = store.all("SELECT s.id, s.number, s.case_id, s.concluded, s.total_kop, (SELECT coalesce(sum(l.amount_kop), 0)"
                     " FROM debt_schedule_line l WHERE l.schedule_id = s.id AND l.due < ?) FROM debt_schedule s"
                     " WHERE s.status = 'active' ORDER BY s.id", [on])
    out = []
    with store.transaction():
        for sid, number, case_id, concluded, total, due in rows:
            case = col.find_case(store, case_id)
            paid = paid_since(store, case, concluded, on)
            status = "completed" if paid >= total else "broken" if paid < due else "active"
            if status != "active":
                store.execute("UPDATE debt_schedule SET status = ?, status_date = ? WHERE id = ?", [status, on, sid])
                store.audit(status, "debt_schedule", number, "active", status)
                if status == "broken" and case.status == "open":
                    back = store.scalar(
                        "SELECT stage FROM debt_event WHERE case_id = ? AND kind <> 'schedule_concluded'"
                        " AND stage <> 'restructuring' AND id < (SELECT max(id) FROM debt_event WHERE case_id = ?"
                        " AND kind = 'schedule_concluded') ORDER BY id DESC LIMIT 1", [case.id, case.id])
                    col.move(store, case, back or store.scalar("SELECT first_stage FROM debt_scheme WHERE code = ?",
                                                               [case.scheme]),
                             on, kind="schedule_broken", amount_kop=due - paid, note=number)
                elif case.status == "open":
                    col.record_events(store, [col.Event(case.id, "schedule_completed", on, case.stage, paid, note=number)])
            out.append(ScheduleState(number, case.number, int(due), paid, status))
    return out


def penalty_stops(store: Store, until: date) -> list[tuple[int, date, int | None]]:
    """(account id, the first day without penalty, only for debt months before this YYYYMM or
    None for all) of the households whose penalties stop by `until`: an active repayment schedule
    with frozen penalties (from its conclusion, every month), a bankruptcy procedure (from its
    introduction, for the register debt — the months before the petition was accepted; 127-ФЗ
    ст. 63, 126, 213.11, 213.19). The penalty calculation cuts their day ranges there."""
    return [(int(a), d, None if p is None else int(p)) for a, d, p in store.all(
        "SELECT c.account_id, s.concluded, NULL FROM debt_schedule s JOIN debt_case c ON c.id = s.case_id"
        " WHERE c.account_id IS NOT NULL AND s.status = 'active' AND s.penalty_mode = 'frozen' AND s.concluded <= ?"
        " UNION ALL SELECT c.account_id, b.procedure_date, CAST(strftime(b.petition_accepted, '%Y%m') AS INTEGER)"
        " FROM debt_bankruptcy b JOIN debt_case c ON c.id = b.case_id"
        " WHERE c.account_id IS NOT NULL AND b.procedure_date <= ? ORDER BY 1, 2", [until, until])]


# ---------------------------------------------------------------- bankruptcy

@dataclass(frozen=True)
class Bankruptcy:
    procedure: str
    petition_accepted: date
    procedure_date: date
    court_case_no: str | None = None
    claim_deadline: date | None = None
    claim_filed: date | None = None
    claim_kop: int | None = None
    ruling: str | None = None


@requires("debt.work")
def set_bankruptcy(store: Store, key: str | int, b: Bankruptcy) -> dict:
    """Record (or update) the debtor's bankruptcy: the case moves to «банкротство»; the debt is
    split at the petition's acceptance into register debt (months before it) and current debt."""
    if b.procedure not in PROCEDURES:
        raise SbytError("Процедура: " + ", ".join(f"{p} ({label('bankruptcy_procedure', p)})" for p in PROCEDURES) + ".")
    if b.procedure_date < b.petition_accepted:
        raise SbytError("Дата введения процедуры раньше принятия заявления о банкротстве.")
    case = col.find_case(store, key)
    parts = col.register_split(store, case, b.petition_accepted, b.procedure_date)
    with store.transaction():
        old = store.one("SELECT procedure FROM debt_bankruptcy WHERE case_id = ?", [case.id])
        store.execute("DELETE FROM debt_bankruptcy WHERE case_id = ?", [case.id])
        store.execute("INSERT INTO debt_bankruptcy (case_id, procedure, court_case_no, petition_accepted, procedure_date,"
                      " claim_deadline, claim_filed, claim_kop, ruling, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [case.id, b.procedure, b.court_case_no, b.petition_accepted, b.procedure_date, b.claim_deadline,
                       b.claim_filed, b.claim_kop, b.ruling, store.user])
        store.audit("bankruptcy", "debt_case", case.number, old[0] if old else None,
                    json.dumps({k: str(v) for k, v in asdict(b).items() if v is not None}, ensure_ascii=False))
        if case.stage != "bankruptcy" and case.status == "open":
            col.move(store, case, "bankruptcy", max(b.procedure_date, case.stage_since), kind="bankruptcy",
                     note=label("bankruptcy_procedure", b.procedure))
        else:
            col.record_events(store, [col.Event(case.id, "bankruptcy", b.procedure_date, case.stage,
                                                note=label("bankruptcy_procedure", b.procedure))])
        if b.claim_filed:
            col.record_events(store, [col.Event(case.id, "bankruptcy_claim", b.claim_filed, "bankruptcy",
                                                b.claim_kop)])
    return parts


# ---------------------------------------------------------------- write-off

def _writeoff_months(store: Store, case: col.Case, ground: str, on: date) -> list[tuple[int, int]]:
    """(for_period, amount) written off: for a limitation ground the time-barred months only, else
    every month with a debt."""
    from sbyt.core.collection_docs import months

    ms = months(store, case, on)
    return [(m.period, m.debt_kop + max(m.penalty_kop, 0)) for m in ms
            if (ground != "limitation" or m.barred(on)) and m.debt_kop + max(m.penalty_kop, 0) > 0]


@requires("debt.work")
def propose_writeoff(store: Store, key: str | int, ground: str, evidence: str, on: date) -> int:
    """A draft write-off of the case's bad debt (moves the case to «списание»)."""
    if ground not in GROUNDS:
        raise SbytError("Основание списания: " + ", ".join(f"{g} ({label('writeoff_ground', g)})" for g in GROUNDS) + ".")
    if not evidence.strip():
        raise SbytError("Укажите подтверждающий документ (постановление ФССП, запись ЕГРЮЛ, дата истечения давности).")
    case = col.find_case(store, key)
    amount = sum(a for _, a in _writeoff_months(store, case, ground, on))
    if amount <= 0:
        raise SbytError(f"По делу {case.number} нечего списывать по основанию «{label('writeoff_ground', ground)}»"
                        + (": нет месяцев с истекшей давностью." if ground == "limitation" else "."))
    with store.transaction():
        wid = int(store.scalar("SELECT nextval('debt_writeoff_seq')"))
        store.execute("INSERT INTO debt_writeoff (id, case_id, ground, evidence, amount_kop, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?)", [wid, case.id, ground, evidence.strip(), amount, store.user])
        store.audit("add", "debt_writeoff", wid, None, json.dumps({"case": case.number, "ground": ground,
                                                                   "amount_kop": amount}, ensure_ascii=False))
        if case.stage != "writeoff":
            col.move(store, case, "writeoff", on, kind="stage", amount_kop=amount, note=f"списание № {wid}")
    return wid


def _writeoff(store: Store, wid: int) -> tuple:
    row = store.one("SELECT id, case_id, ground, status, amount_kop, period FROM debt_writeoff WHERE id = ?", [wid])
    if row is None:
        raise SbytError(f"Списание № {wid} не найдено.")
    return row


def _post(store: Store, case: col.Case, rows: list[tuple[int, str, int]], period: int, on: date, ref: int,
          note: str) -> int:
    """Ledger postings (for_period, service, amount) of a write-off or its reversal."""
    if case.debtor_kind == col.HOUSEHOLD:
        from sbyt.core.ledger import post

        return post(store, pa.table({"for_period": pa.array([r[0] for r in rows], pa.int32()),
                                     "service": pa.array([r[1] for r in rows], pa.string()),
                                     "amount_kop": pa.array([r[2] for r in rows], pa.int64())}),
                    account_id=case.account_id, kind="writeoff", period=period, op_date=on, ref_id=ref, note=note)
    base = store.next_id("legal_posting")
    for k, (fp, _, amount) in enumerate(rows):
        store.execute("INSERT INTO legal_posting (id, counterparty_id, contract_id, kind, period, for_period, amount_kop,"
                      " op_date, ref_id, note, created_by) VALUES (?, ?, ?, 'writeoff', ?, ?, ?, ?, ?, ?, ?)",
                      [base + k, case.counterparty_id, case.contract_id, period, fp, amount, on, ref, note, store.user])
    return len(rows)


@requires("debt.approve")
def approve_writeoff(store: Store, wid: int, on: date) -> int:
    """Approve a draft write-off: the postings of the barred (or all) months by service in the
    open month; the case closes (reason written_off). Returns the postings made."""
    wid, case_id, ground, status, _, _ = _writeoff(store, wid)
    if status != "draft":
        raise SbytError(f"Списание № {wid} уже {label('writeoff_status', status)}.")
    case = col.find_case(store, case_id)
    period = open_period(store)
    if on > last_day(period) or int(on.strftime("%Y%m")) < period:
        raise SbytError(f"Дата списания {on:%d.%m.%Y} вне открытого месяца.")
    months = [p for p, _ in _writeoff_months(store, case, ground, on)]
    if case.debtor_kind == col.HOUSEHOLD:
        rows = [(int(p), s, -int(a)) for p, s, a in store.all(
            "SELECT for_period, service, sum(amount_kop) FROM posting WHERE account_id = ? AND op_date <= ?"
            f" AND for_period IN ({', '.join(map(str, months)) or 'NULL'}) GROUP BY 1, 2 HAVING sum(amount_kop) > 0"
            " ORDER BY 1, 2", [case.account_id, on])]
    else:
        rows = [(int(p), "", -int(a)) for p, a in store.all(
            "SELECT for_period, sum(amount_kop) FROM legal_posting WHERE contract_id = ? AND op_date <= ?"
            f" AND for_period IN ({', '.join(map(str, months)) or 'NULL'}) GROUP BY 1 HAVING sum(amount_kop) > 0"
            " ORDER BY 1", [case.contract_id, on])]
    amount = -sum(r[2] for r in rows)
    with store.transaction():
        n = _post(store, case, rows, period, on, wid, f"списание № {wid}: {label('writeoff_ground', ground)}")
        store.execute("UPDATE debt_writeoff SET status = 'approved', approved_by = ?, approved_at = current_timestamp,"
                      " period = ?, amount_kop = ? WHERE id = ?", [store.user, period, amount, wid])
        store.audit("approved", "debt_writeoff", wid, "draft", json.dumps({"amount_kop": amount, "postings": n}))
        case = col.find_case(store, case.id)
        col.record_events(store, [col.Event(case.id, "writeoff_approved", on, case.stage, amount, note=f"№ {wid}")])
        if case.status == "open":
            col.move(store, case, "closed", on, kind="closed", note="written_off")
    return n


@requires("debt.approve")
def reverse_writeoff(store: Store, wid: int, on: date, reason: str) -> int:
    """Reverse an approved write-off (money arrived later): the opposite postings in the open month."""
    wid, case_id, _, status, _, _ = _writeoff(store, wid)
    if status != "approved":
        raise SbytError(f"Сторнировать можно только утверждённое списание (№ {wid} — {label('writeoff_status', status)}).")
    case = col.find_case(store, case_id)
    period = open_period(store)
    if case.debtor_kind == col.HOUSEHOLD:
        rows = [(int(p), s, -int(a)) for p, s, a in store.all(
            "SELECT for_period, service, amount_kop FROM posting WHERE kind = 'writeoff' AND ref_id = ? AND account_id = ?"
            " ORDER BY id", [wid, case.account_id])]
    else:
        rows = [(int(p), "", -int(a)) for p, a in store.all(
            "SELECT for_period, amount_kop FROM legal_posting WHERE kind = 'writeoff' AND ref_id = ? AND contract_id = ?"
            " ORDER BY id", [wid, case.contract_id])]
    with store.transaction():
        n = _post(store, case, rows, period, on, wid, f"сторно списания № {wid}: {reason}")
        store.execute("UPDATE debt_writeoff SET status = 'reversed' WHERE id = ?", [wid])
        store.audit("reversed", "debt_writeoff", wid, "approved", reason)
        col.record_events(store, [col.Event(case.id, "writeoff_reversed", on, case.stage, -sum(r[2] for r in rows),
                                            note=reason)])
    return n


# ---------------------------------------------------------------- limitation queue

def barred_months(store: Store, on: date, *, within_days: int = 0) -> list[tuple]:
    """The debt months of open cases whose limitation ends before `on` + `within_days` (0: the
    time-barred ones, the write-off queue; 180: those running out within half a year): (case, debtor, period, debt, limitation end)."""
    from sbyt.core.collection_docs import months

    out = []
    for case in col.cases(store, status="open"):
        for m in months(store, case, on):
            if m.debt_kop > 0 and (m.limitation_end - on).days < within_days:
                out.append((case.number, case.debtor_no, m.period, m.debt_kop, m.limitation_end))
    return out


# ---------------------------------------------------------------- saved selections, automatic start

def save_selection(store: Store, name: str, debtor_kind: str, flt: object, *, auto_start: bool = False) -> None:
    from dataclasses import asdict as as_dict

    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in as_dict(flt).items()}
    with store.transaction():
        store.execute("INSERT OR REPLACE INTO debt_selection (name, debtor_kind, filter, auto_start, created_by)"
                      " VALUES (?, ?, ?, ?, ?)", [name, debtor_kind, json.dumps(data, ensure_ascii=False),
                                                 auto_start, store.user])
        store.audit("save", "debt_selection", name, None, json.dumps(data, ensure_ascii=False))


def load_selection(store: Store, name: str) -> tuple[str, object]:
    from sbyt.core.debtors import DebtorFilter, LegalDebtorFilter

    row = store.one("SELECT debtor_kind, filter FROM debt_selection WHERE name = ?", [name])
    if row is None:
        raise SbytError(f"Сохранённый отбор «{name}» не найден (sbyt debt selections).")
    kind, data = row[0], json.loads(row[1])
    cls = DebtorFilter if kind == col.HOUSEHOLD else LegalDebtorFilter
    for k in ("planned_from", "planned_to"):
        if data.get(k):
            data[k] = date.fromisoformat(data[k])
    return kind, cls(**data)


def select_ids(store: Store, kind: str, flt: object, on: date) -> list[int]:
    from sbyt.core.debtors import find_debtors, find_legal_debtors

    if kind == col.HOUSEHOLD:
        return [d.account_id for d in find_debtors(store, flt, as_of=on)]
    return [d.contract_id for d in find_legal_debtors(store, flt, as_of=on)]


def auto_start(store: Store, on: date) -> list[tuple[str, col.Started]]:
    """Start cases by every saved selection marked for automatic start (after a period close)."""
    out = []
    for (name,) in store.all("SELECT name FROM debt_selection WHERE auto_start ORDER BY name"):
        kind, flt = load_selection(store, name)
        out.append((name, col.start_cases(store, kind, select_ids(store, kind, flt, on), on, selection=name)))
    return out


# ---------------------------------------------------------------- executive documents

@requires("debt.work")
def add_writ(store: Store, key: str | int, doc_kind: str, doc_no: str, court: str, court_case_no: str,
             act_date: date, in_force: date | None, amount_kop: int, duty_kop: int, on: date, *,
             penalty_kop: int | None = None) -> col.Case:
    """Register the executive document of a case (a court order is one; a writ follows a
    judgment): the case moves to «исполнительный документ» (event «исполнительный документ получен»)."""
    if doc_kind not in ("court_order", "writ"):
        raise SbytError("Вид исполнительного документа: court_order (судебный приказ) или writ (исполнительный лист).")
    if not (doc_no.strip() and court.strip() and court_case_no.strip()) or act_date is None:
        raise SbytError("Укажите номер документа, суд, номер дела и дату судебного акта.")
    if amount_kop <= 0:
        raise SbytError("Сумма, взысканная судом, должна быть больше нуля.")
    if penalty_kop is not None and not 0 <= penalty_kop <= amount_kop:
        raise SbytError("Пени в составе взысканного — от нуля до всей суммы.")
    if act_date > on or (in_force and in_force < act_date):
        raise SbytError("Дата судебного акта позже получения или вступление в силу раньше акта.")
    case = col.find_case(store, key)
    if store.scalar("SELECT count(*) FROM debt_writ WHERE doc_no = ?", [doc_no.strip()]):
        raise SbytError(f"Исполнительный документ {doc_no} уже зарегистрирован.")
    with store.transaction():
        wid = int(store.scalar("SELECT nextval('debt_writ_seq')"))
        store.execute("INSERT INTO debt_writ (id, case_id, doc_kind, doc_no, court, court_case_no, act_date, in_force,"
                      " amount_kop, duty_kop, penalty_kop) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [wid, case.id, doc_kind, doc_no.strip(), court.strip(), court_case_no.strip(), act_date, in_force,
                       amount_kop, duty_kop, penalty_kop])
        store.audit("add", "debt_writ", doc_no.strip(), None, json.dumps(
            {"case": case.number, "kind": doc_kind, "amount_kop": amount_kop, "duty_kop": duty_kop}, ensure_ascii=False))
        if doc_kind == "court_order":
            col.record_events(store, [col.Event(case.id, "order_issued", act_date, case.stage, amount_kop,
                                                note=f"{court_case_no}")])
        case = col.move(store, case, "writ", on, kind="writ_received", amount_kop=amount_kop + duty_kop, note=doc_no)
    return case


def after_close(store: Store, on: date) -> tuple[int, int]:
    """The collection work a period close triggers (as the system, whoever closes): cases started by
    the saved selections marked for automatic start, and the monthly check of the repayment
    schedules. (cases started, schedules broken)."""
    if not store.scalar("SELECT count(*) FROM debt_selection WHERE auto_start")\
            and not store.scalar("SELECT count(*) FROM debt_schedule WHERE status = 'active'"):
        return 0, 0
    from dataclasses import replace

    from sbyt.core.access import all_permissions, session_of

    session = store.session                                # the closing user's session, every permission
    store.session = replace(session_of(store), permissions=all_permissions(store))
    try:
        started = sum(r.started for _, r in auto_start(store, on))
        broken = sum(s.status == "broken" for s in check_schedules(store, on))
    finally:
        store.session = session
    return started, broken
