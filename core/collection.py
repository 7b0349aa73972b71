"""Debt collection («претензионно-исковая работа», ПИР; migration 100, docs/collection.md).

A case is one debtor's collection: a household account or a legal-entity contract. It starts
with the debt months it covers (principal, penalty, due date, limitation end as of its start),
moves along the stages of its scheme (data: `debt_stage`), and at each stage gets a task for the
stage's role (the case's executor when the executor has that role). Every change is an event with
its date and an audit row. Documents are prepared from the case's current debt and wait for
approval (`debt.approve`) before they are printed and sent.

Starting cases is bulk SQL over the ledger (no loop over debtors): 10 000 cases in one statement
per table.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa

from sbyt.core.access import check, requires
from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.reference import rule_int
from sbyt.core.store import Store

HOUSEHOLD, LEGAL = "household", "legal"
KINDS = (HOUSEHOLD, LEGAL)


@dataclass(frozen=True)
class Stage:
    scheme: str
    code: str
    seq: int
    name: str
    deadline_days: int | None
    deadline_rule: str | None
    document: str | None
    executor_role: str
    task: str
    next_stages: tuple[str, ...]
    final: bool


@dataclass(frozen=True)
class Case:
    id: int
    number: str
    debtor_kind: str
    account_id: int | None
    contract_id: int | None
    counterparty_id: int | None
    scheme: str
    stage: str
    stage_since: date
    executor: str | None
    status: str
    close_reason: str | None
    opened: date
    closed: date | None
    as_of: date
    principal_kop: int
    penalty_kop: int
    selection: str | None
    debtor_no: str          # the account's or the contract's number
    debtor_name: str


CASE_COLS = ("c.id, c.number, c.debtor_kind, c.account_id, c.contract_id, c.counterparty_id, c.scheme, c.stage,"
             " c.stage_since, c.executor, c.status, c.close_reason, c.opened, c.closed, c.as_of, c.principal_kop,"
             " c.penalty_kop, c.selection, coalesce(a.number, k.number),"
             " coalesce(a.holder_name, (SELECT f.name FROM counterparty_fact f WHERE f.counterparty_id = c.counterparty_id"
             "   ORDER BY f.valid_from DESC LIMIT 1))")
CASE_FROM = ("FROM debt_case c LEFT JOIN account a ON a.id = c.account_id"
             " LEFT JOIN contract k ON k.id = c.contract_id")


def stages(store: Store, scheme: str) -> dict[str, Stage]:
    rows = store.all("SELECT scheme, code, seq, name, deadline_days, deadline_rule, document, executor_role, task,"
                     " next_stages, final FROM debt_stage WHERE scheme = ? ORDER BY seq", [scheme])
    return {r[1]: Stage(*r[:9], tuple(r[9]), r[10]) for r in rows}


def stage_deadline(store: Store, stage: Stage, start: date) -> date | None:
    """The day the stage's task is due: its own days, else the days of its dated rule."""
    days = stage.deadline_days
    if days is None and stage.deadline_rule:
        days = rule_int(store, stage.deadline_rule, start)
    return None if days is None else start + timedelta(days=int(days))


def find_case(store: Store, key: str | int) -> Case:
    """A case by its number («ПИР-2026-000001»), id, or the debtor's account / contract number
    (its open case, else its latest one)."""
    text = str(key).strip()
    row = store.one(f"SELECT {CASE_COLS} {CASE_FROM} WHERE c.number = ? OR CAST(c.id AS VARCHAR) = ?"
                    " OR a.number = ? OR k.number = ? ORDER BY c.status = 'open' DESC, c.id DESC LIMIT 1",
                    [text, text, text, text])
    if row is None:
        raise SbytError(f"Дело ПИР «{text}» не найдено.")
    return Case(*row)


def cases(store: Store, *, status: str | None = "open", stage: str | None = None, executor: str | None = None,
          debtor_kind: str | None = None, limit: int | None = None) -> list[Case]:
    where, params = [], []
    for col, val in (("c.status", status), ("c.stage", stage), ("c.executor", executor),
                     ("c.debtor_kind", debtor_kind)):
        if val:
            where.append(f"{col} = ?")
            params.append(val)
    sql = (f"SELECT {CASE_COLS} {CASE_FROM}" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY c.id" + (f" LIMIT {int(limit)}" if limit else ""))
    return [Case(*r) for r in store.all(sql, params)]


# ---------------------------------------------------------------- events and tasks

@dataclass(frozen=True)
class Event:
    case_id: int
    kind: str
    event_date: date
    stage: str
    amount_kop: int | None = None
    doc_id: int | None = None
    channel: str | None = None
    note: str | None = None


EVENT_TYPES = {"case_id": pa.int64(), "kind": pa.string(), "event_date": pa.date32(), "stage": pa.string(),
               "amount_kop": pa.int64(), "doc_id": pa.int64(), "channel": pa.string(), "note": pa.string()}


def record_events(store: Store, events: Sequence[Event]) -> None:
    """Append events in bulk (ids from `debt_event_seq`, in their order), each audited."""
    if not events:
        return
    cols = list(EVENT_TYPES)
    table = pa.table({c: pa.array([getattr(e, c) for e in events], type=t) for c, t in EVENT_TYPES.items()})
    store.con.register("_ev", table)
    try:
        store.execute(f"INSERT INTO debt_event (id, {', '.join(cols)}, created_by)"
                      f" SELECT nextval('debt_event_seq'), {', '.join(cols)}, ? FROM _ev", [store.user])
    finally:
        store.con.unregister("_ev")
    store.audit_rows([("add", "debt_event", e.case_id,
                       None, json.dumps({"kind": e.kind, "date": e.event_date.isoformat(), "stage": e.stage,
                                         **({"amount_kop": e.amount_kop} if e.amount_kop is not None else {}),
                                         **({"note": e.note} if e.note else {})}, ensure_ascii=False), None)
                      for e in events])


def _stage_tasks_sql() -> str:
    """INSERT of the first task of each case's current stage (for the cases in view `_tc`:
    case_id, scheme, stage, start, executor)."""
    return ("INSERT INTO debt_task (id, case_id, stage, title, assignee, role, due, created_at)"
            " SELECT nextval('debt_task_seq'), t.case_id, t.stage, s.task,"
            "  CASE WHEN u.role = s.executor_role THEN t.executor END, s.executor_role,"
            "  CASE WHEN s.deadline_days IS NOT NULL THEN t.start + to_days(s.deadline_days)"
            "       WHEN s.deadline_rule IS NOT NULL THEN t.start + to_days(CAST((SELECT r.value FROM dated_rule r"
            "         WHERE r.code = s.deadline_rule AND r.valid_from <= t.start"
            "         AND (r.valid_to IS NULL OR r.valid_to > t.start) ORDER BY r.valid_from DESC LIMIT 1) AS INTEGER))"
            "  END, current_timestamp"
            " FROM _tc t JOIN debt_stage s ON s.scheme = t.scheme AND s.code = t.stage"
            " LEFT JOIN app_user u ON u.login = t.executor WHERE NOT s.final ORDER BY t.case_id")


def _open_tasks(store: Store, rows: list[tuple[int, str, str, date, str | None]]) -> None:
    table = pa.table({"case_id": pa.array([r[0] for r in rows], pa.int64()),
                      "scheme": pa.array([r[1] for r in rows], pa.string()),
                      "stage": pa.array([r[2] for r in rows], pa.string()),
                      "start": pa.array([r[3] for r in rows], pa.date32()),
                      "executor": pa.array([r[4] for r in rows], pa.string())})
    store.con.register("_tc", table)
    try:
        store.execute(_stage_tasks_sql())
    finally:
        store.con.unregister("_tc")


@dataclass(frozen=True)
class Task:
    id: int
    case_id: int
    case_number: str
    debtor_no: str
    debtor_name: str
    stage: str
    title: str
    assignee: str | None
    role: str
    due: date | None
    status: str
    forwarded_by: str | None


TASK_SQL = ("SELECT t.id, t.case_id, c.number, coalesce(a.number, k.number),"
            " coalesce(a.holder_name, (SELECT f.name FROM counterparty_fact f WHERE f.counterparty_id = c.counterparty_id"
            "   ORDER BY f.valid_from DESC LIMIT 1)), t.stage, t.title, t.assignee, t.role, t.due, t.status, t.forwarded_by"
            " FROM debt_task t JOIN debt_case c ON c.id = t.case_id LEFT JOIN account a ON a.id = c.account_id"
            " LEFT JOIN contract k ON k.id = c.contract_id")


def tasks(store: Store, *, login: str | None = None, tab: str = "mine", case_id: int | None = None,
          limit: int = 10_000) -> list[Task]:
    """The workplace's task lists: 'mine' — open tasks assigned to `login` or, unassigned, to its
    role; 'forwarded' — tasks `login` passed on; 'all' — every open task; 'case' — a case's tasks."""
    where, params = [], []
    if tab == "case":
        where.append("t.case_id = ?")
        params.append(case_id)
    elif tab == "forwarded":
        where.append("t.forwarded_by = ?")
        params.append(login)
    else:
        where.append("t.status = 'open'")
        if tab == "mine":
            role = store.scalar("SELECT role FROM app_user WHERE login = ?", [login])
            where.append("(t.assignee = ? OR (t.assignee IS NULL AND t.role = ?))")
            params += [login, role]
    sql = TASK_SQL + " WHERE " + " AND ".join(where) + f" ORDER BY t.due NULLS LAST, t.id LIMIT {int(limit)}"
    return [Task(*r) for r in store.all(sql, params)]


def _task(store: Store, task_id: int) -> tuple:
    row = store.one("SELECT id, case_id, status, assignee, role FROM debt_task WHERE id = ?", [task_id])
    if row is None:
        raise SbytError(f"Задача № {task_id} не найдена.")
    if row[2] != "open":
        raise SbytError(f"Задача № {task_id} уже {label('debt_task_status', row[2])}.")
    return row


@requires("debt.work")
def finish_task(store: Store, task_id: int) -> None:
    _task(store, task_id)
    with store.transaction():
        store.execute("UPDATE debt_task SET status = 'done', done_at = current_timestamp, done_by = ? WHERE id = ?",
                      [store.user, task_id])
        store.audit("done", "debt_task", task_id)


@requires("debt.work")
def forward_task(store: Store, task_id: int, login: str, note: str | None = None) -> int:
    """Pass a task on to another user: the old one is marked forwarded, a copy is assigned to `login`."""
    tid, case_id, _, _, role = _task(store, task_id)
    if store.scalar("SELECT count(*) FROM app_user WHERE login = ? AND NOT disabled", [login]) == 0:
        raise SbytError(f"Пользователь «{login}» не найден (sbyt user list).")
    with store.transaction():
        new_id = int(store.scalar("SELECT nextval('debt_task_seq')"))
        store.execute("INSERT INTO debt_task (id, case_id, stage, title, assignee, role, due, forwarded_by)"
                      " SELECT ?, case_id, stage, title || coalesce(' — ' || ?, ''), ?, role, due, ? FROM debt_task"
                      " WHERE id = ?", [new_id, note, login, store.user, tid])
        store.execute("UPDATE debt_task SET status = 'forwarded', done_at = current_timestamp, done_by = ?"
                      " WHERE id = ?", [store.user, tid])
        store.audit("forward", "debt_task", tid, None, json.dumps({"to": login, "task": new_id}, ensure_ascii=False))
    return new_id


# ---------------------------------------------------------------- stages

def _cancel_open_tasks(store: Store, case_id: int) -> None:
    store.execute("UPDATE debt_task SET status = 'cancelled', done_at = current_timestamp, done_by = ?"
                  " WHERE case_id = ? AND status = 'open'", [store.user, case_id])


def move(store: Store, case: Case, stage: str, on: date, *, kind: str = "stage", note: str | None = None,
         amount_kop: int | None = None, doc_id: int | None = None, channel: str | None = None) -> Case:
    """Move a case to `stage` on `on` (one of its current stage's next stages), with the event
    `kind`; the current stage's open tasks end, the new stage's task opens. Inside the caller's
    transaction or its own."""
    sts = stages(store, case.scheme)
    if stage not in sts:
        raise SbytError(f"Этапа «{stage}» нет в схеме «{case.scheme}»: "
                        + ", ".join(f"{c} ({label('debt_stage', c)})" for c in sts) + ".")
    if case.status != "open":
        raise SbytError(f"Дело {case.number} закрыто.")
    if stage != case.stage and stage not in sts[case.stage].next_stages:
        allowed = ", ".join(f"{c} ({label('debt_stage', c)})" for c in sts[case.stage].next_stages)
        raise SbytError(f"Дело {case.number} на этапе «{label('debt_stage', case.stage)}»: отсюда можно перейти "
                        f"только на этапы {allowed}.")
    if on < case.stage_since:
        raise SbytError(f"Дата {on:%d.%m.%Y} раньше начала текущего этапа ({case.stage_since:%d.%m.%Y}).")
    if stage == "restriction" and stage != case.stage:
        _check_notice(store, case, on)
    final = sts[stage].final
    if stage != case.stage:
        _cancel_open_tasks(store, case.id)
        store.execute("UPDATE debt_case SET stage = ?, stage_since = ?, status = ?, closed = ?,"
                      " close_reason = coalesce(?, close_reason) WHERE id = ?",
                      [stage, on, "closed" if final else "open", on if final else None,
                       note if final else None, case.id])
        store.audit("stage", "debt_case", case.number, case.stage, stage)
        if not final:
            _open_tasks(store, [(case.id, case.scheme, stage, on, case.executor)])
    record_events(store, [Event(case.id, kind, on, stage, amount_kop, doc_id, channel, note)])
    return find_case(store, case.id)


NOTICE_RULE = {HOUSEHOLD: "debt.notice_days.household", LEGAL: "debt.notice_days.legal"}


def _check_notice(store: Store, case: Case, on: date) -> None:
    """Restriction only after a delivered notice and its term: a household — 20 days from delivery
    (ПП 354 п. 119 «а»), a legal entity — the notice delivered at least 10 days before (the Rules of
    restriction); both dated rules."""
    delivered = store.scalar("SELECT max(event_date) FROM debt_event WHERE case_id = ? AND kind = 'notice_delivered'",
                             [case.id])
    if delivered is None:
        raise SbytError(f"Дело {case.number}: ограничение возможно только после вручения уведомления "
                        "(событие notice_delivered).")
    days = rule_int(store, NOTICE_RULE[case.debtor_kind], delivered)
    if on < delivered + timedelta(days=days):
        raise SbytError(f"Дело {case.number}: уведомление вручено {delivered:%d.%m.%Y}; ограничение — не ранее "
                        f"{delivered + timedelta(days=days):%d.%m.%Y} (срок {days} дн.).")


# events that move a case by themselves: kind -> the stage they lead to (when allowed from the current one)
EVENT_STAGE = {
    "notice_delivered": None, "notice_sent": None, "claim_sent": None,
    "restriction_ordered": "restriction", "restricted": None, "disconnected": None,
    "restriction_impossible": None, "reconnected": None,
    "filed": "court", "order_issued": None, "judgment": None, "order_cancelled": None,
    "writ_received": "writ", "sent_fssp": "enforcement", "proceedings": None, "fssp_ended": None,
    "recovered": None, "claim_answered": None, "acknowledged": None,
}
RESTRICT_EVENTS = {"restricted": "restricted", "disconnected": "disconnected", "reconnected": "connected"}


@requires("debt.work")
def add_event(store: Store, key: str | int, kind: str, on: date, *, amount_kop: int | None = None,
              channel: str | None = None, note: str | None = None) -> Case:
    """Record an event of a case. Restriction events (restricted, disconnected, reconnected) also
    write the supply state of the debtor's metering points; filing, a writ and sending to the
    bailiffs move the case to their stage."""
    case = find_case(store, key)
    if kind not in EVENT_STAGE:
        raise SbytError(f"Неизвестное событие «{kind}». Допустимо: "
                        + ", ".join(f"{k} ({label('debt_event', k)})" for k in EVENT_STAGE) + ".")
    if kind in RESTRICT_EVENTS:
        check(store, "debt.restrict")
    if case.status != "open":
        raise SbytError(f"Дело {case.number} закрыто.")
    target = EVENT_STAGE[kind]
    with store.transaction():
        if target and target != case.stage:
            case = move(store, case, target, on, kind=kind, note=note, amount_kop=amount_kop, channel=channel)
        else:
            record_events(store, [Event(case.id, kind, on, case.stage, amount_kop, None, channel, note)])
        if kind in RESTRICT_EVENTS and case.account_id is not None:
            _supply_state(store, case.account_id, RESTRICT_EVENTS[kind], on, f"ПИР {case.number}")
    return case


def _supply_state(store: Store, account_id: int, state: str, on: date, reason: str) -> None:
    """The account's individual metering points enter `state` on `on` (the open interval ends)."""
    points = [r[0] for r in store.all("SELECT id FROM metering_point WHERE account_id = ?", [account_id])]
    for mp in points:
        store.execute("UPDATE supply_state SET valid_to = ? WHERE metering_point_id = ? AND valid_to IS NULL"
                      " AND valid_from < ?", [on, mp, on])
        store.execute("DELETE FROM supply_state WHERE metering_point_id = ? AND valid_from = ?", [mp, on])
        store.execute("INSERT INTO supply_state VALUES (?, ?, NULL, ?, ?)", [mp, on, state, reason])
    store.audit("supply_state", "account", account_id, None, json.dumps({"state": state, "from": on.isoformat()}))


@requires("debt.work")
def set_stage(store: Store, key: str | int, stage: str, on: date, note: str | None = None) -> Case:
    case = find_case(store, key)
    with store.transaction():
        return move(store, case, stage, on, note=note)


@requires("debt.work")
def set_executor(store: Store, key: str | int, login: str, on: date) -> Case:
    case = find_case(store, key)
    if store.scalar("SELECT count(*) FROM app_user WHERE login = ? AND NOT disabled", [login]) == 0:
        raise SbytError(f"Пользователь «{login}» не найден (sbyt user list).")
    with store.transaction():
        store.execute("UPDATE debt_case SET executor = ? WHERE id = ?", [login, case.id])
        store.execute("UPDATE debt_task t SET assignee = ? FROM app_user u WHERE t.case_id = ? AND t.status = 'open'"
                      " AND u.login = ? AND u.role = t.role", [login, case.id, login])
        store.audit("executor", "debt_case", case.number, case.executor, login)
        record_events(store, [Event(case.id, "executor", on, case.stage, note=login)])
    return find_case(store, case.id)


# ---------------------------------------------------------------- the debt of a case

def debt_now(store: Store, case: Case, as_of: date) -> list[tuple[int, int, int]]:
    """(for_period, debt_kop, penalty_kop) of the debtor's months with a positive debt now (the
    ledger of the account, or of the contract)."""
    if case.debtor_kind == HOUSEHOLD:
        sql = ("SELECT for_period, coalesce(sum(amount_kop) FILTER (WHERE service <> 'penalty'), 0),"
               " coalesce(sum(amount_kop) FILTER (WHERE service = 'penalty'), 0) FROM posting"
               " WHERE account_id = ? AND op_date <= ? GROUP BY 1 ORDER BY 1")
        key = case.account_id
    else:
        sql = ("SELECT for_period, coalesce(sum(amount_kop) FILTER (WHERE kind <> 'penalty'), 0),"
               " coalesce(sum(amount_kop) FILTER (WHERE kind = 'penalty'), 0) FROM legal_posting"
               " WHERE contract_id = ? AND op_date <= ? GROUP BY 1 ORDER BY 1")
        key = case.contract_id
    return [(int(p), int(d), int(n)) for p, d, n in store.all(sql, [key, as_of]) if d > 0 or n > 0]


def register_split(store: Store, case: Case, petition_accepted: date, on: date) -> dict[str, int]:
    """A bankrupt debtor's debt on `on` split at the petition's acceptance: the months before it are
    register claims, the later ones current payments (127-ФЗ ст. 5)."""
    cut = int(petition_accepted.strftime("%Y%m"))
    parts = {"register_kop": 0, "current_kop": 0}
    for period, debt, pen in debt_now(store, case, on):
        parts["register_kop" if period < cut else "current_kop"] += max(debt, 0) + max(pen, 0)
    return parts


def balance_kop(store: Store, case: Case, as_of: date) -> int:
    """The debtor's whole balance (principal and penalties) on `as_of`."""
    if case.debtor_kind == HOUSEHOLD:
        v = store.scalar("SELECT coalesce(sum(amount_kop), 0) FROM posting WHERE account_id = ? AND op_date <= ?",
                         [case.account_id, as_of])
    else:
        v = store.scalar("SELECT coalesce(sum(amount_kop), 0) FROM legal_posting WHERE contract_id = ?"
                         " AND op_date <= ?", [case.contract_id, as_of])
    return int(v)


def case_periods(store: Store, case_id: int) -> list[tuple[int, int, int, date, date]]:
    return [tuple(r) for r in store.all("SELECT for_period, debt_kop, penalty_kop, due, limitation_end"
                                        " FROM debt_case_period WHERE case_id = ? ORDER BY for_period", [case_id])]


def events(store: Store, case_id: int) -> list[tuple]:
    return store.all("SELECT id, event_date, kind, stage, amount_kop, channel, note, created_by FROM debt_event"
                     " WHERE case_id = ? ORDER BY event_date, id", [case_id])


@requires("debt.work")
def close_paid(store: Store, on: date) -> list[str]:
    """Close the open cases whose debtor owes nothing any more on `on` (event 'paid'; a
    restricted household is not reconnected by this — the reconnection order is a document)."""
    rows = store.all(
        "SELECT c.id, c.number FROM debt_case c WHERE c.status = 'open' AND ("
        " (c.debtor_kind = 'household' AND (SELECT coalesce(sum(amount_kop), 0) FROM posting p"
        "   WHERE p.account_id = c.account_id AND p.op_date <= ?) <= 0) OR"
        " (c.debtor_kind = 'legal' AND (SELECT coalesce(sum(amount_kop), 0) FROM legal_posting p"
        "   WHERE p.contract_id = c.contract_id AND p.op_date <= ?) <= 0))", [on, on])
    closed = []
    with store.transaction():
        for case_id, _ in rows:
            case = find_case(store, case_id)
            if on < case.stage_since:
                continue
            record_events(store, [Event(case.id, "paid", on, case.stage)])
            move(store, case, "closed", on, kind="closed", note="paid")
            closed.append(case.number)
    return closed


# ---------------------------------------------------------------- starting cases

LIMITATION_YEARS = "debt.limitation_years"

# The executor a new case gets: the most specific assignment (building … district, grid company, all).
_ASSIGN_HOUSEHOLD = (
    "SELECT i.id AS debtor_id, (SELECT g.login FROM debt_assignment g WHERE g.debtor_kind = 'household' AND ("
    " (g.scope = 'building' AND g.scope_key = CAST(b.id AS VARCHAR)) OR (g.scope = 'street' AND g.scope_key = CAST(st.id AS VARCHAR))"
    " OR (g.scope = 'settlement' AND g.scope_key = CAST(se.id AS VARCHAR))"
    " OR (g.scope = 'district' AND g.scope_key = CAST(se.district_id AS VARCHAR))"
    " OR (g.scope = 'grid_company' AND g.scope_key = (SELECT bg.grid_company FROM building_grid bg"
    "   WHERE bg.building_id = b.id)) OR g.scope = 'all')"
    " ORDER BY list_position(['building', 'street', 'settlement', 'district', 'grid_company', 'all'], g.scope)"
    " LIMIT 1) AS login"
    " FROM _ids i JOIN account a ON a.id = i.id JOIN premise p ON p.id = a.premise_id"
    " JOIN building b ON b.id = p.building_id JOIN street st ON st.id = b.street_id"
    " JOIN settlement se ON se.id = st.settlement_id")
_ASSIGN_LEGAL = (
    "SELECT i.id AS debtor_id, (SELECT g.login FROM debt_assignment g WHERE g.debtor_kind = 'legal' AND ("
    " (g.scope = 'grid_company' AND g.scope_key IN (SELECT lp.grid_company FROM legal_point lp"
    "   JOIN calc_object o ON o.id = lp.object_id WHERE o.contract_id = i.id)) OR g.scope = 'all')"
    " ORDER BY list_position(['grid_company', 'all'], g.scope) LIMIT 1) AS login FROM _ids i")


def _months_household(as_of: date) -> tuple[str, list]:
    """Per (debtor, month) of the debtors in `_ids`: debt, penalty, due date (overdue months and
    every month's penalty)."""
    return ("WITH x AS (SELECT p.account_id AS debtor_id, p.for_period,"
            "   coalesce(sum(p.amount_kop) FILTER (WHERE p.service <> 'penalty'), 0) AS debt_kop,"
            "   coalesce(sum(p.amount_kop) FILTER (WHERE p.service = 'penalty'), 0) AS penalty_kop"
            "   FROM posting p JOIN _ids i ON i.id = p.account_id WHERE p.op_date <= ?::DATE GROUP BY 1, 2),"
            " d AS (SELECT for_period, due_date(for_period, 'household') AS due FROM (SELECT DISTINCT for_period FROM x))"
            " SELECT x.*, d.due FROM x JOIN d USING (for_period)", [as_of])


def _months_legal(store: Store, as_of: date) -> tuple[str, list]:
    """As `_months_household` for contracts: the due date of a month is the final due date of the
    contract's payment scheme (п. 82: the 18th of the next month)."""
    from sbyt.core.debtors import legal_dues

    periods = [r[0] for r in store.all("SELECT DISTINCT p.for_period FROM legal_posting p JOIN _ids i"
                                       " ON i.id = p.contract_id")]
    store.con.register("_dues", legal_dues(store, periods))
    return ("WITH x AS (SELECT p.contract_id AS debtor_id, p.for_period,"
            "   coalesce(sum(p.amount_kop) FILTER (WHERE p.kind <> 'penalty'), 0) AS debt_kop,"
            "   coalesce(sum(p.amount_kop) FILTER (WHERE p.kind = 'penalty'), 0) AS penalty_kop"
            "   FROM legal_posting p JOIN _ids i ON i.id = p.contract_id WHERE p.op_date <= ?::DATE GROUP BY 1, 2)"
            " SELECT x.*, d.due FROM x JOIN contract k ON k.id = x.debtor_id"
            " JOIN _dues d ON d.for_period = x.for_period AND d.scheme = k.payment_scheme", [as_of])


@dataclass(frozen=True)
class Started:
    started: int
    skipped: int            # debtors with an open case already, or without overdue debt
    first: str | None       # the first and last case numbers
    last: str | None


@requires("debt.work")
def start_cases(store: Store, debtor_kind: str, debtor_ids: Sequence[int], as_of: date, *,
                executor: str | None = None, selection: str | None = None) -> Started:
    """Start a case for each debtor (account ids, or contract ids) without an open case and with
    overdue debt on `as_of`: its months (principal of the overdue ones, every month's penalty,
    limitation ends), the scheme's first stage and its task, the event «начата ПИР». Bulk: one
    statement per table whatever the number of debtors."""
    if debtor_kind not in KINDS:
        raise SbytError(f"Вид должника: {', '.join(KINDS)}.")
    if executor and store.scalar("SELECT count(*) FROM app_user WHERE login = ? AND NOT disabled", [executor]) == 0:
        raise SbytError(f"Пользователь «{executor}» не найден (sbyt user list).")
    ids = sorted({int(i) for i in debtor_ids})
    col = "account_id" if debtor_kind == HOUSEHOLD else "contract_id"
    scheme = debtor_kind
    first_stage = store.scalar("SELECT first_stage FROM debt_scheme WHERE code = ?", [scheme])
    years = rule_int(store, LIMITATION_YEARS, as_of, 3)
    con = store.con
    con.register("_ids", pa.table({"id": pa.array(ids, pa.int64())}))
    try:
        months_sql, params = (_months_household(as_of) if debtor_kind == HOUSEHOLD
                              else _months_legal(store, as_of))
        with store.transaction():
            year = as_of.year
            seq0 = int(store.scalar("SELECT coalesce(max(CAST(split_part(number, '-', 3) AS INTEGER)), 0)"
                                    " FROM debt_case WHERE split_part(number, '-', 2) = ?", [str(year)]))
            id0 = int(store.scalar("SELECT coalesce(max(id), 0) FROM debt_case"))
            store.execute(
                f"CREATE OR REPLACE TEMP TABLE _m AS {months_sql}", params)
            store.execute(
                "CREATE OR REPLACE TEMP TABLE _new AS"
                " WITH t AS (SELECT debtor_id, sum(debt_kop) FILTER (WHERE debt_kop > 0 AND due < ?::DATE) AS principal,"
                "   sum(penalty_kop) AS penalty FROM _m GROUP BY 1)"
                " SELECT row_number() OVER (ORDER BY t.debtor_id) AS k, t.debtor_id, t.principal, t.penalty"
                f" FROM t WHERE t.principal > 0 AND NOT EXISTS (SELECT 1 FROM debt_case c WHERE c.{col} = t.debtor_id"
                "   AND c.status = 'open')", [as_of])
            n = int(store.scalar("SELECT count(*) FROM _new"))
            if n == 0:
                return Started(0, len(ids), None, None)
            assign = _ASSIGN_HOUSEHOLD if debtor_kind == HOUSEHOLD else _ASSIGN_LEGAL
            cp = ("(SELECT k.counterparty_id FROM contract k WHERE k.id = n.debtor_id)" if debtor_kind == LEGAL
                  else "NULL")
            store.execute(
                "INSERT INTO debt_case (id, number, debtor_kind, account_id, contract_id, counterparty_id, scheme,"
                " stage, stage_since, executor, opened, as_of, principal_kop, penalty_kop, selection, created_by)"
                f" SELECT ? + n.k, 'ПИР-' || ? || '-' || lpad(CAST(? + n.k AS VARCHAR), 6, '0'), ?,"
                f" {'n.debtor_id' if debtor_kind == HOUSEHOLD else 'NULL'},"
                f" {'n.debtor_id' if debtor_kind == LEGAL else 'NULL'}, {cp}, ?, ?, ?::DATE,"
                f" coalesce(?, (SELECT g.login FROM ({assign}) g WHERE g.debtor_id = n.debtor_id)),"
                " ?::DATE, ?::DATE, n.principal, n.penalty, ?, ? FROM _new n",
                [id0, str(year), seq0, debtor_kind, scheme, first_stage, as_of, executor, as_of, as_of,
                 selection, store.user])
            store.execute(
                "INSERT INTO debt_case_period SELECT ? + n.k, m.for_period, greatest(m.debt_kop, 0), m.penalty_kop,"
                " m.due, CAST(m.due + to_years(?) AS DATE) FROM _m m JOIN _new n USING (debtor_id)"
                " WHERE (m.debt_kop > 0 AND m.due < ?::DATE) OR m.penalty_kop <> 0",
                [id0, years, as_of])
            store.execute(
                "INSERT INTO debt_event (id, case_id, kind, event_date, stage, amount_kop, note, created_by)"
                " SELECT nextval('debt_event_seq'), ? + n.k, 'started', ?::DATE, ?, n.principal + n.penalty, ?, ?"
                " FROM _new n ORDER BY n.k", [id0, as_of, first_stage, selection, store.user])
            store.execute("CREATE OR REPLACE TEMP TABLE _tc AS SELECT c.id AS case_id, c.scheme, c.stage,"
                          " c.stage_since AS start, c.executor FROM debt_case c WHERE c.id > ?", [id0])
            store.execute(_stage_tasks_sql())
            numbers = [r[0] for r in store.all("SELECT number FROM debt_case WHERE id > ? ORDER BY id", [id0])]
            store.audit_rows([("start", "debt_case", num, None, selection, None) for num in numbers])
            store.execute("DROP TABLE _m; DROP TABLE _new; DROP TABLE _tc")
    finally:
        con.unregister("_ids")
        if debtor_kind == LEGAL:
            con.unregister("_dues")
    return Started(n, len(ids) - n, numbers[0], numbers[-1])
