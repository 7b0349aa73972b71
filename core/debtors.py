"""«Работа с должниками»: debtors selected by criteria, in bulk SQL over the ledger (`posting`).

A period's debt is the net of its non-penalty postings (accruals and recalculations minus the
payments distributed to it), so the payment distribution decides which months stay unpaid. A
period is unpaid when that net is positive and its due date (the dated rule `due_day.household` of
the following month) has passed on `as_of`; days overdue count from the day after the due date.
An account is a debtor when its total non-penalty balance is positive and the filters hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from sbyt.core.money import rub
from sbyt.core.periods import period_label
from sbyt.core.search import ADDRESS_JOIN, ADDRESS_SQL
from sbyt.core.store import Store


@dataclass(frozen=True)
class DebtorFilter:
    district_id: int | None = None
    settlement_id: int | None = None
    street_id: int | None = None
    building_id: int | None = None
    service: str | None = None           # electricity, odn, ...: the debt of that service only
    min_periods: int = 1                 # unpaid periods ≥ N
    min_debt_kop: int = 1                # debt ≥ amount
    exclude_disconnected: bool = False
    manager_id: int | None = None        # the building's managing organisation
    grid_company: str | None = None      # the building's grid company
    responsible: str | None = None       # the executor (login) of the open ПИР case
    stage: str | None = None             # the open case's stage; 'none': no open case
    exclude_absent: bool = False         # registered temporary absence on the day
    exclude_no_restriction: bool = False # a metering point where restriction is technically impossible
    restriction_executor: str | None = None   # assignee of the open restriction task
    planned_from: date | None = None     # the open restriction task due in [from, to]
    planned_to: date | None = None
    over_threshold: bool = False         # debt above N months of the charge at the normative (ПП 354 п. 117)


@dataclass(frozen=True)
class Debtor:
    account_id: int
    number: str
    holder_name: str
    address: str
    oldest_period: int
    unpaid_periods: int
    debt_kop: int
    penalty_kop: int
    days_overdue: int


@dataclass(frozen=True)
class DebtPeriod:
    account_id: int
    for_period: int
    debt_kop: int
    penalty_kop: int
    due: date
    days_overdue: int


def _month_sums(service: str | None) -> tuple[str, list]:
    """The select list of the ledger summed per (account, month): `debt_kop` (of `service` only,
    when given; penalties apart) and `penalty_kop`; with its parameters."""
    svc, params = ("", []) if service is None else (" AND service = ?", [service])
    return (f"coalesce(sum(amount_kop) FILTER (WHERE service <> 'penalty'{svc}), 0) AS debt_kop,"
            " coalesce(sum(amount_kop) FILTER (WHERE service = 'penalty'), 0) AS penalty_kop", params)


def _period_sql(flt: DebtorFilter, as_of: date) -> tuple[str, list]:
    """Per (account, month) of the accounts whose whole (non-penalty) balance is a debt: net debt,
    penalty, due date, days overdue, unpaid flag (grouping only those by month instead of the
    whole ledger saves about a quarter of the time on 1 000 000 accounts)."""
    sums, params = _month_sums(flt.service)
    svc = " AND service = ?" if flt.service else ""
    acc = (" WHERE account_id IN (SELECT account_id FROM posting GROUP BY account_id"
           f" HAVING sum(amount_kop) FILTER (WHERE service <> 'penalty'{svc}) > 0)")
    params = params * 2                  # the same service for both placeholders, if any
    sql = (
        f"WITH x AS (SELECT account_id, for_period, {sums}"
        f"   FROM posting{acc} GROUP BY account_id, for_period),"
        " d AS (SELECT for_period, due_date(for_period, 'household') AS due FROM (SELECT DISTINCT for_period FROM x))"
        " SELECT x.*, d.due, date_diff('day', d.due, ?::DATE) AS days_overdue,"
        " (x.debt_kop > 0 AND d.due < ?::DATE) AS unpaid"
        " FROM x LEFT JOIN d USING (for_period)"
    )
    return sql, [*params, as_of, as_of]


def find_debtors(store: Store, flt: DebtorFilter = DebtorFilter(), as_of: date | None = None,
                 limit: int | None = None) -> list[Debtor]:
    """Debtors matching the filter, the biggest debt first."""
    as_of = as_of or date.today()
    per_sql, params = _period_sql(flt, as_of)
    where = ["t.debt_kop > 0", "t.unpaid_periods >= ?", "t.debt_kop >= ?"]
    params += [flt.min_periods, flt.min_debt_kop]
    for col, val in (("se.district_id", flt.district_id), ("se.id", flt.settlement_id),
                     ("st.id", flt.street_id), ("b.id", flt.building_id)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    if flt.exclude_disconnected:
        where.append(
            "NOT EXISTS (SELECT 1 FROM metering_point mp WHERE mp.account_id = a.id AND ("
            " (mp.disconnected IS NOT NULL AND mp.disconnected <= ?::DATE) OR EXISTS (SELECT 1 FROM supply_state ss"
            "  WHERE ss.metering_point_id = mp.id AND ss.state = 'disconnected' AND ss.valid_from <= ?::DATE"
            "  AND (ss.valid_to IS NULL OR ss.valid_to > ?::DATE))))"
        )
        params += [as_of, as_of, as_of]
    more, more_params = _case_filters(store, flt, as_of)
    where += more
    params += more_params
    sql = (
        f"WITH per AS ({per_sql}),"
        " t AS (SELECT account_id, sum(debt_kop) AS debt_kop, sum(penalty_kop) AS penalty_kop,"
        "   count(*) FILTER (WHERE unpaid) AS unpaid_periods, min(for_period) FILTER (WHERE unpaid) AS oldest,"
        "   coalesce(max(days_overdue) FILTER (WHERE unpaid), 0) AS days_overdue"
        "   FROM per GROUP BY account_id)"
        f" SELECT a.id, a.number, a.holder_name, {ADDRESS_SQL}, t.oldest, t.unpaid_periods, t.debt_kop,"
        "   t.penalty_kop, t.days_overdue"
        f" FROM t JOIN account a ON a.id = t.account_id {ADDRESS_JOIN}"
        f" WHERE {' AND '.join(where)} ORDER BY t.debt_kop DESC, a.number"
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    return [Debtor(*r) for r in store.all(sql, params)]


THRESHOLD_RULE = "debt.restriction_months.household"
CASE_OPEN = "(SELECT c.id FROM debt_case c WHERE c.account_id = a.id AND c.status = 'open' LIMIT 1)"
RESTRICT_TASK = ("(SELECT {col} FROM debt_task tk JOIN debt_case c ON c.id = tk.case_id WHERE c.account_id = a.id"
                 " AND c.status = 'open' AND tk.stage = 'restriction' AND tk.status = 'open' LIMIT 1)")


def normative_charge_sql(day: str) -> str:
    """SQL of the account `a` (premise `p`) monthly charge at the normative and the single-rate
    tariff in force on `day` (an SQL date expression), in kopecks rounded half-up — the unit of
    the household restriction threshold (ПП 354 п. 117: more than two such charges)."""
    res = "normative_residents(f.residents_living, f.residents_registered, f.owners)"
    return (f"(SELECT round(n.kwh_per_person * {res} * t.price * 100) FROM account_fact f"
            f" JOIN normative n ON n.rooms = room_class(p.rooms) AND n.residents = household_size({res})"
            f"  AND n.equipment = f.equipment AND n.valid_from <= {day} AND (n.valid_to IS NULL OR n.valid_to > {day})"
            " JOIN tariff t ON t.tariff_group = f.tariff_group AND t.zones = 1 AND t.zone = 1"
            f"  AND t.valid_from <= {day} AND (t.valid_to IS NULL OR t.valid_to > {day})"
            f" WHERE f.account_id = a.id AND f.valid_from <= {day} AND (f.valid_to IS NULL OR f.valid_to > {day})"
            " ORDER BY f.valid_from DESC LIMIT 1)")


def _case_filters(store: Store, flt: DebtorFilter, as_of: date) -> tuple[list[str], list]:
    """WHERE conditions of the workplace's filters (territory is handled by the caller)."""
    from sbyt.core.reference import rule_int

    where: list[str] = []
    params: list = []
    if flt.manager_id is not None:
        where.append("(SELECT bf.manager_id FROM building_fact bf WHERE bf.building_id = b.id AND bf.valid_from <= ?::DATE"
                     " AND (bf.valid_to IS NULL OR bf.valid_to > ?::DATE) ORDER BY bf.valid_from DESC LIMIT 1) = ?")
        params += [as_of, as_of, flt.manager_id]
    if flt.grid_company:
        where.append("(SELECT g.grid_company FROM building_grid g WHERE g.building_id = b.id) = ?")
        params.append(flt.grid_company)
    if flt.stage == "none":
        where.append(f"{CASE_OPEN} IS NULL")
    elif flt.stage:
        where.append("EXISTS (SELECT 1 FROM debt_case c WHERE c.account_id = a.id AND c.status = 'open' AND c.stage = ?)")
        params.append(flt.stage)
    if flt.responsible:
        where.append("EXISTS (SELECT 1 FROM debt_case c WHERE c.account_id = a.id AND c.status = 'open'"
                     " AND c.executor = ?)")
        params.append(flt.responsible)
    if flt.exclude_absent:
        where.append("NOT EXISTS (SELECT 1 FROM absence ab WHERE ab.account_id = a.id AND ab.date_from <= ?::DATE"
                     " AND ab.date_to >= ?::DATE)")
        params += [as_of, as_of]
    if flt.exclude_no_restriction:
        where.append("NOT EXISTS (SELECT 1 FROM metering_point mp JOIN restriction_impossible ri"
                     " ON ri.metering_point_id = mp.id WHERE mp.account_id = a.id AND ri.since <= ?::DATE)")
        params.append(as_of)
    if flt.restriction_executor:
        where.append(f"{RESTRICT_TASK.format(col='tk.assignee')} = ?")
        params.append(flt.restriction_executor)
    if flt.planned_from or flt.planned_to:
        where.append(f"{RESTRICT_TASK.format(col='tk.due')} BETWEEN ?::DATE AND ?::DATE")
        params += [flt.planned_from or date.min, flt.planned_to or date.max]
    if flt.over_threshold:
        where.append(f"t.debt_kop > ? * coalesce({normative_charge_sql('?::DATE')}, 0)")
        params += [rule_int(store, THRESHOLD_RULE, as_of, 2), as_of, as_of, as_of, as_of, as_of, as_of]
    return where, params


def debt_periods(store: Store, account_ids: Iterable[int], as_of: date | None = None,
                 service: str | None = None) -> list[DebtPeriod]:
    """The unpaid months of the given accounts (their rows under an expanded debtor, the card's
    debt age): the ledger summed by month in one point query, the due dates by `core.due` (the
    Python home of the rule; its dated rules are read once per store) — the months of a few
    accounts, so no SQL macro per month."""
    from sbyt.core.due import due_date

    ids = tuple(int(a) for a in account_ids)
    if not ids:
        return []
    as_of = as_of or date.today()
    sums, params = _month_sums(service)
    rows = store.all(f"SELECT account_id, for_period, {sums} FROM posting"
                     f" WHERE account_id IN ({', '.join(map(str, ids))}) GROUP BY 1, 2 ORDER BY 1, 2", params)
    out = []
    for account_id, period, debt, penalty in rows:
        if debt > 0:
            due = due_date(store, period, "household")
            out.append(DebtPeriod(account_id, period, int(debt), int(penalty), due, (as_of - due).days))
    return out


def debt_age_days(store: Store, account_id: int, as_of: date | None = None) -> int:
    """Days overdue of the account's oldest unpaid month (0 when nothing is overdue)."""
    as_of = as_of or date.today()
    days = [p.days_overdue for p in debt_periods(store, [account_id], as_of) if p.due < as_of]
    return max(days, default=0)


@dataclass(frozen=True)
class LegalDebtorFilter:
    grid_company: str | None = None      # a supply point of the contract is served by it
    counterparty_kind: str | None = None # legal, sole_trader, manager, budget
    min_periods: int = 1
    min_debt_kop: int = 1
    stage: str | None = None             # the open case's stage; 'none': no open case
    responsible: str | None = None       # the open case's executor


@dataclass(frozen=True)
class LegalDebtor:
    contract_id: int
    contract: str
    counterparty: str
    inn: str
    oldest_period: int
    unpaid_periods: int
    debt_kop: int
    penalty_kop: int
    days_overdue: int


def legal_dues(store: Store, periods: Iterable[int]) -> pa.Table:
    """(for_period, scheme, due): the final due date of each month under each payment scheme
    (п. 82: the 18th of the next month; core.legal_schedule), for joining in bulk SQL."""
    from sbyt.core.legal_schedule import FINAL, month_terms

    rows = [(p, s, month_terms(store, p).final_due(s)) for p in sorted(set(periods)) for s in FINAL]
    return pa.table({"for_period": pa.array([r[0] for r in rows], pa.int32()),
                     "scheme": pa.array([r[1] for r in rows], pa.string()),
                     "due": pa.array([r[2] for r in rows], pa.date32())})


def find_legal_debtors(store: Store, flt: LegalDebtorFilter = LegalDebtorFilter(), as_of: date | None = None,
                       limit: int | None = None) -> list[LegalDebtor]:
    """Contracts with overdue debt (the ledger `legal_posting` by month; a month is overdue after
    its final due date), the biggest debt first."""
    as_of = as_of or date.today()
    periods = [r[0] for r in store.all("SELECT DISTINCT for_period FROM legal_posting")]
    where = ["t.debt_kop > 0", "t.unpaid_periods >= ?", "t.debt_kop >= ?"]
    params: list = [as_of, as_of, as_of, as_of, flt.min_periods, flt.min_debt_kop]
    if flt.grid_company:
        where.append("EXISTS (SELECT 1 FROM legal_point lp JOIN calc_object o ON o.id = lp.object_id"
                     " WHERE o.contract_id = k.id AND lp.grid_company = ?)")
        params.append(flt.grid_company)
    if flt.counterparty_kind:
        where.append("cp.kind = ?")
        params.append(flt.counterparty_kind)
    if flt.stage == "none":
        where.append("NOT EXISTS (SELECT 1 FROM debt_case c WHERE c.contract_id = k.id AND c.status = 'open')")
    elif flt.stage:
        where.append("EXISTS (SELECT 1 FROM debt_case c WHERE c.contract_id = k.id AND c.status = 'open' AND c.stage = ?)")
        params.append(flt.stage)
    if flt.responsible:
        where.append("EXISTS (SELECT 1 FROM debt_case c WHERE c.contract_id = k.id AND c.status = 'open'"
                     " AND c.executor = ?)")
        params.append(flt.responsible)
    store.con.register("_ldues", legal_dues(store, periods))
    try:
        sql = (
            "WITH x AS (SELECT contract_id, for_period,"
            "   coalesce(sum(amount_kop) FILTER (WHERE kind <> 'penalty'), 0) AS debt_kop,"
            "   coalesce(sum(amount_kop) FILTER (WHERE kind = 'penalty'), 0) AS penalty_kop"
            "   FROM legal_posting WHERE contract_id IS NOT NULL AND op_date <= ?::DATE GROUP BY 1, 2),"
            " per AS (SELECT x.*, d.due, x.debt_kop > 0 AND d.due < ?::DATE AS unpaid,"
            "   date_diff('day', d.due, ?::DATE) AS days FROM x JOIN contract k ON k.id = x.contract_id"
            "   JOIN _ldues d ON d.for_period = x.for_period AND d.scheme = k.payment_scheme),"
            " t AS (SELECT contract_id, sum(debt_kop) FILTER (WHERE unpaid) AS debt_kop, sum(penalty_kop) AS penalty_kop,"
            "   count(*) FILTER (WHERE unpaid) AS unpaid_periods, min(for_period) FILTER (WHERE unpaid) AS oldest,"
            "   coalesce(max(days) FILTER (WHERE unpaid), 0) AS days FROM per GROUP BY 1"
            "   HAVING sum(debt_kop) > 0)"
            " SELECT k.id, k.number, (SELECT f.name FROM counterparty_fact f WHERE f.counterparty_id = cp.id"
            "   AND f.valid_from <= ?::DATE ORDER BY f.valid_from DESC LIMIT 1), cp.inn, t.oldest, t.unpaid_periods,"
            "   t.debt_kop, t.penalty_kop, t.days"
            " FROM t JOIN contract k ON k.id = t.contract_id JOIN counterparty cp ON cp.id = k.counterparty_id"
            f" WHERE {' AND '.join(where)} ORDER BY t.debt_kop DESC, k.number"
            + (f" LIMIT {int(limit)}" if limit else ""))
        return [LegalDebtor(*r) for r in store.all(sql, params)]
    finally:
        store.con.unregister("_ldues")


COLUMNS = ["Лицевой счёт", "Абонент", "Адрес", "С периода", "Неоплач. периодов", "Задолженность, ₽",
           "Пени, ₽", "Дней просрочки"]


def export_xlsx(debtors: Sequence[Debtor], path: str | Path) -> Path:
    """The debtor list as an XLSX workbook (write-only mode: fast for 100 000 rows)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Должники")
    ws.append(COLUMNS)
    for d in debtors:
        ws.append([d.number, d.holder_name, d.address,
                   period_label(d.oldest_period) if d.oldest_period else "",
                   d.unpaid_periods, rub(d.debt_kop), rub(d.penalty_kop), d.days_overdue])
    out = Path(path)
    wb.save(out)
    return out

