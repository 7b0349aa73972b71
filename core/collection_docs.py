"""Documents of a debt-collection case (migration 100, docs/collection.md): prepared from the
debtor's debt on the day, numbered per kind and year, fixed at preparation (the `details` JSON the
printed form reads), approved by a holder of `debt.approve` before they are printed and sent.

Court documents claim only the months whose limitation has not run out (the term of each month
from its due date, with the case's suspensions and interruptions — `core.debt_law.limitation`);
the time-barred months are listed apart. The state duty follows the scale in force on the
document's date, and the route (court order or lawsuit) the ceilings in force.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

from sbyt.core import collection as col
from sbyt.core import debt_law
from sbyt.core.access import requires
from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.legal_docs import supplier_party
from sbyt.core.money import format_rub
from sbyt.core.periods import period_label
from sbyt.core.reference import rule_int, text_rule
from sbyt.core.search import ADDRESS_JOIN, ADDRESS_SQL
from sbyt.core.store import Store

PREFIX = {"notice": "У", "claim": "П", "restriction_notice": "УО", "restriction_order": "ЗО",
          "reconnection_order": "ЗВ", "court_order_application": "СП", "lawsuit": "И", "schedule": "ГП",
          "bankruptcy_claim": "Б", "writeoff_act": "АС"}
COURT_KINDS = ("court_order_application", "lawsuit")
KINDS = tuple(PREFIX)
FOR_KIND = {  # which debtor kinds a document is for
    "notice": (col.HOUSEHOLD,), "claim": (col.LEGAL,), "restriction_notice": (col.LEGAL,),
}
ACK_EVENTS = ("acknowledged", "claim_answered", "schedule_concluded")


@dataclass(frozen=True)
class Month:
    period: int
    debt_kop: int
    penalty_kop: int
    due: date
    limitation_end: date

    def barred(self, on: date) -> bool:
        return self.limitation_end < on


def _due(store: Store, case: col.Case, period: int) -> date:
    if case.debtor_kind == col.HOUSEHOLD:
        from sbyt.core.due import due_date

        return due_date(store, period, "household")
    from sbyt.core.legal_schedule import month_terms

    scheme = store.scalar("SELECT payment_scheme FROM contract WHERE id = ?", [case.contract_id])
    return month_terms(store, period).final_due(scheme)


def limitation_inputs(store: Store, case: col.Case) -> tuple[list, list, list]:
    """(suspensions, interruptions, cancelled orders) of the case's debtor from its events (and,
    for a contract, its signed reconciliation acts): a claim suspends for its answer term, an
    acknowledgement interrupts, a filed court order later cancelled suspends to the cancellation."""
    evs = store.all("SELECT e.kind, e.event_date FROM debt_event e JOIN debt_case c ON c.id = e.case_id"
                    " WHERE (c.account_id = ? OR c.contract_id = ?) ORDER BY e.event_date, e.id",
                    [case.account_id, case.contract_id])
    acks = [d for k, d in evs if k in ACK_EVENTS]
    if case.contract_id is not None:
        acks += [r[0] for r in store.all("SELECT signed_on FROM recon_act_signed WHERE contract_id = ? AND authorised",
                                         [case.contract_id])]
    sus, cancelled, filed = [], [], None
    for k, d in evs:
        if k == "claim_sent":
            sus.append(debt_law.claim_suspension(d, rule_int(store, "debt.claim_days", d)))
        elif k == "filed":
            filed = d
        elif k == "order_cancelled" and filed is not None:
            cancelled.append((filed, d))
            filed = None
    return sus, acks, cancelled


def months(store: Store, case: col.Case, on: date) -> list[Month]:
    """The debtor's months with a debt or penalty on `on`, overdue ones only, with their
    limitation ends."""
    sus, acks, cancelled = limitation_inputs(store, case)
    out = []
    for period, debt, pen in col.debt_now(store, case, on):
        due = _due(store, case, period)
        if due >= on and pen <= 0:
            continue
        _, end = debt_law.limitation_on(store, due, sus, acks, cancelled)
        out.append(Month(period, max(debt, 0) if due < on else 0, pen, due, end))
    return out


def _debtor(store: Store, case: col.Case, on: date) -> dict:
    if case.debtor_kind == col.HOUSEHOLD:
        r = store.one(f"SELECT a.holder_name, {ADDRESS_SQL}, a.number, a.phone, a.email FROM account a {ADDRESS_JOIN}"
                      " WHERE a.id = ?", [case.account_id])
        return {"kind": col.HOUSEHOLD, "name": r[0], "address": r[1], "account": r[2], "contract": None,
                "contract_date": None, "inn": None, "kpp": None, "ogrn": None, "phone": r[3], "email": r[4]}
    r = store.one("SELECT f.name, coalesce(f.legal_address, f.postal_address), k.number, k.signed_on, cp.inn, cp.kpp,"
                  " cp.ogrn, f.mobile, f.email FROM contract k JOIN counterparty cp ON cp.id = k.counterparty_id"
                  " JOIN counterparty_fact f ON f.counterparty_id = cp.id AND f.valid_from <= ?"
                  " WHERE k.id = ? ORDER BY f.valid_from DESC LIMIT 1", [on, case.contract_id])
    return {"kind": col.LEGAL, "name": r[0], "address": r[1], "account": None, "contract": r[2],
            "contract_date": r[3].isoformat() if r[3] else None, "inn": r[4], "kpp": r[5], "ogrn": r[6],
            "phone": r[7], "email": r[8]}


def _points(store: Store, case: col.Case) -> tuple[list[dict], str | None]:
    """What to restrict or reconnect, and the grid company that does it."""
    if case.debtor_kind == col.HOUSEHOLD:
        rows = store.all(
            f"SELECT CAST(mp.id AS VARCHAR), {ADDRESS_SQL}, (SELECT m.serial FROM meter m WHERE m.metering_point_id = mp.id"
            "  ORDER BY m.installed DESC LIMIT 1), (SELECT g.grid_company FROM building_grid g WHERE g.building_id = b.id)"
            " FROM metering_point mp JOIN account a ON a.id = mp.account_id"
            f" {ADDRESS_JOIN} WHERE mp.account_id = ? ORDER BY mp.id", [case.account_id])
    else:
        rows = store.all(
            "SELECT lp.code, coalesce(o.address, o.name), (SELECT m.serial FROM legal_meter m WHERE m.point_id = lp.id"
            "  ORDER BY m.installed DESC LIMIT 1), lp.grid_company FROM legal_point lp"
            " JOIN calc_object o ON o.id = lp.object_id WHERE o.contract_id = ? ORDER BY lp.code", [case.contract_id])
    grid = next((r[3] for r in rows if r[3]), None)
    return [{"code": r[0], "address": r[1], "meter": r[2]} for r in rows], grid


def _penalty_lines(store: Store, case: col.Case, periods: list[int]) -> list[dict]:
    if not periods:
        return []
    if case.debtor_kind == col.HOUSEHOLD:
        table, key = "penalty_detail", ("account_id", case.account_id)
    else:
        table, key = "legal_penalty_detail", ("contract_id", case.contract_id)
    rows = store.all(f"SELECT debt_period, date_from, date_to, days, debt_kop, rate, den, amount_milli FROM {table}"
                     f" WHERE {key[0]} = ? AND debt_period IN ({', '.join(map(str, periods))})"
                     " ORDER BY debt_period, date_from", [key[1]])
    return [{"debt_period": int(p), "date_from": f.isoformat(), "date_to": t.isoformat(), "days": int(d),
             "debt_kop": int(debt), "rate": f"{rate:.3f}", "den": int(den), "amount_kop": (int(milli) + 500) // 1000}
            for p, f, t, d, debt, rate, den, milli in rows]


def _signer(store: Store, on: date) -> dict:
    return {"position": text_rule(store, "docs.signer.position", on), "name": text_rule(store, "docs.signer.name", on)}


def doc_row(store: Store, doc_id: int) -> tuple:
    row = store.one("SELECT id, case_id, kind, doc_no, doc_date, status, principal_kop, penalty_kop, duty_kop, route,"
                    " deadline, details FROM debt_doc WHERE id = ? OR doc_no = ?", [doc_id if str(doc_id).isdigit()
                                                                                   else -1, str(doc_id)])
    if row is None:
        raise SbytError(f"Документ ПИР «{doc_id}» не найден.")
    return row


def _branch_details(store: Store, case: col.Case, kind: str) -> dict:
    """The schedule's lines, the bankruptcy, or the write-off a document of that kind prints."""
    if kind == "schedule":
        sid = store.scalar("SELECT max(id) FROM debt_schedule WHERE case_id = ?", [case.id])
        if sid is None:
            raise SbytError(f"По делу {case.number} нет графика погашения (sbyt debt schedule).")
        return {"schedule": [{"line_no": int(n), "due": d.isoformat(), "amount_kop": int(a)} for n, d, a in store.all(
            "SELECT line_no, due, amount_kop FROM debt_schedule_line WHERE schedule_id = ? ORDER BY line_no", [sid])]}
    if kind == "bankruptcy_claim":
        row = store.one("SELECT procedure, court_case_no, petition_accepted, procedure_date FROM debt_bankruptcy"
                        " WHERE case_id = ?", [case.id])
        if row is None:
            raise SbytError(f"По делу {case.number} не записано банкротство должника (sbyt debt bankruptcy).")
        parts = col.register_split(store, case, row[2], row[3])
        return {"bankruptcy": {"procedure": row[0], "court_case_no": row[1], "petition_accepted": row[2].isoformat(),
                               "procedure_date": row[3].isoformat(), **parts}}
    if kind == "writeoff_act":
        row = store.one("SELECT ground, evidence, amount_kop FROM debt_writeoff WHERE case_id = ? AND status <> 'reversed'"
                        " ORDER BY id DESC LIMIT 1", [case.id])
        if row is None:
            raise SbytError(f"По делу {case.number} нет списания (sbyt debt writeoff).")
        return {"writeoff": {"ground": row[0], "evidence": row[1], "amount_kop": int(row[2])}}
    return {}


@requires("debt.work")
def prepare_doc(store: Store, key: str | int, kind: str, on: date, *, court_name: str | None = None,
                restrict_on: date | None = None, disputed: bool = False, extra: dict | None = None) -> int:
    """Prepare a document of a case on `on` (status «на согласовании»); returns its id.

    notice / claim / restriction_notice: the whole overdue debt, the deadline from the dated rules
    (20 days for a household notice, 30 for a claim, 10 before the restriction date);
    court documents: the months within limitation, the route and duty of the day — a court-order
    application above the ceiling (or disputed, or against a bankrupt debtor's register debt) is
    refused in favour of a lawsuit, and a legal entity's needs a claim sent at least 30 days
    before (АПК 4 ч. 5)."""
    if kind not in KINDS:
        raise SbytError(f"Неизвестный документ «{kind}». Допустимо: "
                        + ", ".join(f"{k} ({label('debt_doc', k)})" for k in KINDS) + ".")
    case = col.find_case(store, key)
    if case.status != "open":
        raise SbytError(f"Дело {case.number} закрыто.")
    if case.debtor_kind not in FOR_KIND.get(kind, col.KINDS):
        raise SbytError(f"«{label('debt_doc', kind)}» не готовится для должника этого вида "
                        f"({'гражданин' if case.debtor_kind == col.HOUSEHOLD else 'юридическое лицо'}).")
    ms = months(store, case, on)
    court = kind in COURT_KINDS
    claimable = [m for m in ms if not (court and m.barred(on))]
    barred = [m.period for m in ms if court and m.barred(on)]
    principal = sum(m.debt_kop for m in claimable)
    penalty = sum(m.penalty_kop for m in claimable if m.penalty_kop > 0)
    if principal + penalty <= 0 and kind not in ("reconnection_order", "writeoff_act"):
        raise SbytError(f"У должника по делу {case.number} нет просроченной задолженности на {on:%d.%m.%Y}"
                        + (" в пределах срока исковой давности" if barred else "") + ".")
    deadline, duty, route, court_kind = None, None, None, None
    if kind == "notice":
        deadline = on + timedelta(days=rule_int(store, "debt.notice_days.household", on))
    elif kind == "claim":
        deadline = debt_law.claim_ready(on, rule_int(store, "debt.claim_days", on))
    elif kind in ("restriction_notice", "restriction_order"):
        deadline = restrict_on or on + timedelta(days=rule_int(store, "debt.notice_days.legal", on)
                                                 if case.debtor_kind == col.LEGAL else 0)
    if court:
        bankrupt = store.one("SELECT petition_accepted FROM debt_bankruptcy WHERE case_id = ?", [case.id])
        route, court_kind = debt_law.court_route(store, case.debtor_kind, principal + penalty, on,
                                                 in_bankruptcy=bankrupt is not None, disputed=disputed)
        if kind == "court_order_application" and route != "order":
            ceiling = rule_int(store, f"debt.order_ceiling.{court_kind}", on, 0)
            why = ("должник в процедуре банкротства" if bankrupt else "требование оспаривается" if disputed
                   else f"сумма требования {format_rub(principal + penalty)} ₽ больше предела приказного "
                        f"производства {format_rub(ceiling * 100)} ₽")
            raise SbytError(f"Судебный приказ по делу {case.number} невозможен: {why}. Подготовьте исковое "
                            "заявление (lawsuit).")
        if case.debtor_kind == col.LEGAL:
            sent = store.scalar("SELECT max(event_date) FROM debt_event WHERE case_id = ? AND kind = 'claim_sent'",
                                [case.id])
            if sent is None or debt_law.claim_ready(sent, rule_int(store, "debt.claim_days", sent)) > on:
                ready = "" if sent is None else (
                    f" (направлена {sent:%d.%m.%Y}, в суд — не ранее "
                    f"{debt_law.claim_ready(sent, rule_int(store, 'debt.claim_days', sent)):%d.%m.%Y})")
                raise SbytError(f"По делу {case.number} не соблюдён претензионный порядок (АПК 4 ч. 5): "
                                f"претензия не направлена или срок ответа не истёк{ready}.")
        duty = debt_law.state_duty(store, court_kind, principal + penalty, on, order=kind == "court_order_application")
    branch = _branch_details(store, case, kind)
    points, grid = _points(store, case)
    details = {
        "case": {"number": case.number, "opened": case.opened.isoformat(), "stage": case.stage},
        "debtor": _debtor(store, case, on),
        "supplier": json.loads(supplier_party(store, on).to_json()),
        "months": [{"period": m.period, "label": period_label(m.period), "debt_kop": m.debt_kop,
                    "penalty_kop": m.penalty_kop, "due": m.due.isoformat(),
                    "limitation_end": m.limitation_end.isoformat(), "barred": m.period in barred} for m in ms],
        "penalty": _penalty_lines(store, case, [m.period for m in claimable]),
        "barred": barred,
        "total_kop": principal + penalty,
        "duty": None if duty is None else {"court": court_kind, "route": route, "claim_kop": principal + penalty,
                                           "duty_kop": duty, "filed": on.isoformat()},
        "court_name": court_name, "grid_company": grid, "points": points,
        "restrict_on": deadline.isoformat() if kind in ("restriction_notice", "restriction_order") and deadline
        else None,
        "level": "полное" if kind in ("restriction_notice", "restriction_order") else None,
        "schedule": None, "bankruptcy": None, "writeoff": None,
        **branch,
        "signer": _signer(store, on),
        **(extra or {}),
    }
    with store.transaction():
        seq = int(store.scalar("SELECT coalesce(max(seq), 0) + 1 FROM debt_doc WHERE kind = ? AND year = ?",
                               [kind, on.year]))
        doc_id = int(store.scalar("SELECT nextval('debt_doc_seq')"))
        number = f"{PREFIX[kind]}-{on.year}-{seq}"
        store.execute("INSERT INTO debt_doc (id, case_id, kind, year, seq, doc_no, doc_date, as_of, principal_kop,"
                      " penalty_kop, duty_kop, court, route, deadline, details, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [doc_id, case.id, kind, on.year, seq, number, on, on, principal, penalty, duty or 0,
                       court_kind, route, deadline, json.dumps(details, ensure_ascii=False), store.user])
        store.audit("prepare", "debt_doc", number, None, json.dumps({"case": case.number, "kind": kind,
                                                                    "total_kop": principal + penalty,
                                                                    "duty_kop": duty}, ensure_ascii=False))
    return doc_id


@requires("debt.approve")
def approve_doc(store: Store, doc: str | int, *, reject: bool = False) -> str:
    row = doc_row(store, doc)
    if row[5] != "approval":
        raise SbytError(f"Документ {row[3]} уже {label('debt_doc_status', row[5])}.")
    status = "rejected" if reject else "approved"
    with store.transaction():
        store.execute("UPDATE debt_doc SET status = ?, approved_by = ?, approved_at = current_timestamp WHERE id = ?",
                      [status, store.user, row[0]])
        store.audit(status, "debt_doc", row[3], "approval", status)
    return row[3]


@dataclass(frozen=True)
class DebtDoc:
    """A document of a case as the lists show it (`sbyt debt docs`, the console's approval tab and
    case card)."""
    id: int
    case_id: int
    case_number: str
    debtor_no: str
    debtor_name: str
    kind: str
    doc_no: str
    doc_date: date
    principal_kop: int
    penalty_kop: int
    duty_kop: int
    deadline: date | None
    status: str
    created_by: str
    approved_by: str | None


def docs(store: Store, *, status: str | None = None, case_id: int | None = None) -> list[DebtDoc]:
    where, params = [], []
    if status:
        where.append("d.status = ?")
        params.append(status)
    if case_id is not None:
        where.append("d.case_id = ?")
        params.append(case_id)
    rows = store.all("SELECT d.id, d.case_id, c.number, coalesce(a.number, k.number),"
                     " coalesce(a.holder_name, (SELECT f.name FROM counterparty_fact f"
                     "   WHERE f.counterparty_id = c.counterparty_id ORDER BY f.valid_from DESC LIMIT 1)),"
                     " d.kind, d.doc_no, d.doc_date, d.principal_kop, d.penalty_kop, d.duty_kop, d.deadline, d.status,"
                     " d.created_by, d.approved_by FROM debt_doc d JOIN debt_case c ON c.id = d.case_id"
                     " LEFT JOIN account a ON a.id = c.account_id LEFT JOIN contract k ON k.id = c.contract_id"
                     + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.doc_date, d.id", params)
    return [DebtDoc(*r) for r in rows]
