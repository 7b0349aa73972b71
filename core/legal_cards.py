"""The console's read model of legal entities: the counterparty search and the two cards
(a counterparty with everything the store holds about it; a contract with its lifecycle, its
checklist of documents and its tasks). Headless (no UI imports), read only.

Each card is a handful of queries, one per table, each selecting by the ids found by the one
before it (`IN (SELECT unnest(?))`), never a join over whole tables: a counterparty or a contract
opens in milliseconds with 45 000 counterparties beside it. The legal-entity ledger (accruals and
payments per contract) does not exist yet (issues 14/15): the card shows what the store has — the
payments whose payer INN is the counterparty's — and says that no balance is kept. Rules:
docs/legal.md, docs/console.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sbyt.core import access
from sbyt.core.contracts import Task, tasks
from sbyt.core.counterparties import FACT_FIELDS, CounterpartyFacts
from sbyt.core.errors import NotFoundError
from sbyt.core.periods import add_months, first_day, period_of
from sbyt.core.store import Store

SEARCH_LIMIT = 50
HOUR_MONTHS = 3
"""The hourly-data summary covers the last month with data of the counterparty's meters (not
after «today») and the two before it."""

LEDGER_NOTE = ("Начисления и оплаты по договорам юридических лиц ещё не ведутся: сальдо не рассчитывается. "
               "Ниже — поступления, где ИНН плательщика совпадает с ИНН контрагента.")


@dataclass(frozen=True)
class CounterpartyHit:
    counterparty_id: int
    inn: str
    kpp: str | None
    name: str
    kind: str
    contracts: str              # its contract numbers, comma separated


def _names_sql(ids_param: str) -> str:
    """(counterparty_id, name, short_name) in force on the day `?` (else the earliest fact) of the
    counterparties `ids_param` selects."""
    return f"""
        SELECT counterparty_id,
               coalesce(arg_max(name, valid_from) FILTER (WHERE valid_from <= ?), arg_min(name, valid_from)) AS name,
               coalesce(arg_max(short_name, valid_from) FILTER (WHERE valid_from <= ?),
                        arg_min(short_name, valid_from)) AS short_name
        FROM counterparty_fact WHERE {ids_param} GROUP BY counterparty_id"""


def find_counterparties(store: Store, text: str, today: date, limit: int = SEARCH_LIMIT) -> list[CounterpartyHit]:
    """Counterparties by the beginning of the INN, a part of the name or short name in force today
    (any case), or the beginning of a contract number: exact INN and contract-number matches first,
    then by name. An empty text finds nothing."""
    t = text.strip()
    if not t:
        return []
    ids = [int(r[0]) for r in store.all(f"""
        SELECT id FROM counterparty WHERE starts_with(inn, ?)
        UNION SELECT counterparty_id FROM contract WHERE starts_with(lower(number), lower(?))
        UNION SELECT counterparty_id FROM ({_names_sql('true')})
              WHERE (contains(lower(name), lower(?)) OR contains(lower(coalesce(short_name, '')), lower(?)))""",
        [t, t, today, today, t, t])]
    if not ids:
        return []
    rows = store.all(f"""
        WITH n AS ({_names_sql('counterparty_id IN (SELECT unnest(?))')}),
        k AS (SELECT counterparty_id, string_agg(number, ', ' ORDER BY number) AS numbers,
                     bool_or(lower(number) = lower(?)) AS exact
              FROM contract WHERE counterparty_id IN (SELECT unnest(?)) GROUP BY 1)
        SELECT c.id, c.inn, c.kpp, n.name, c.kind, coalesce(k.numbers, '')
        FROM counterparty c JOIN n ON n.counterparty_id = c.id LEFT JOIN k ON k.counterparty_id = c.id
        WHERE c.id IN (SELECT unnest(?))
        ORDER BY (c.inn = ? OR coalesce(k.exact, false)) DESC, n.name, c.inn, c.kpp LIMIT ?""",
        [today, today, ids, t, ids, ids, t, limit])
    hits = [CounterpartyHit(*r) for r in rows]
    if access.sees_personal_data(store):
        return hits
    return [replace(h, name=_trader_name(h.name)) if h.kind == "sole_trader" else h for h in hits]


# ------------------------------------------------------------------------------- counterparty card
@dataclass(frozen=True)
class FactRow:
    valid_from: date
    valid_to: date | None
    facts: CounterpartyFacts


@dataclass(frozen=True)
class BankRow:
    bik: str
    bank_name: str | None
    account: str
    corr_account: str | None
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class ContractRow:
    contract_id: int
    number: str
    kind: str
    payment_scheme: str
    state: str
    applied_on: date
    complete_on: date | None
    signed_on: date | None
    starts: date | None
    ends: date | None
    terminated_from: date | None
    edo: bool


@dataclass(frozen=True)
class ObjectRow:
    object_id: int
    contract: str
    code: str
    name: str
    address: str | None
    building: str | None        # the apartment building's code (a non-residential premise of it)
    premise_no: str | None
    opened: date
    closed: date | None


@dataclass(frozen=True)
class PointRow:
    point_id: int
    contract: str
    object_code: str
    code: str
    name: str | None
    voltage: str | None         # the facts in force today (else the last ones: a terminated contract)
    max_kw: Decimal | None
    price_category: int | None
    reliability: int | None
    facts_from: date | None
    grid_company: str | None
    head_point: str | None      # transit: the head consumer's point
    opened: date
    closed: date | None


@dataclass(frozen=True)
class MeterRow:
    meter_id: int
    point: str
    serial: str
    model: str | None
    accuracy: str | None
    ct_ratio: int
    vt_ratio: int
    installed: date
    removed: date | None
    verified: date | None
    next_verification: date | None
    loss_pct: Decimal
    askue: str | None           # «код точки измерения / канал»

    @property
    def ratio(self) -> int:
        return self.ct_ratio * self.vt_ratio


@dataclass(frozen=True)
class HourSummary:
    meter_id: int
    serial: str
    period: int
    hours: int
    measured: int
    substituted: int
    rejected: int
    wh: int                     # measured + substituted hours (rejected left out), whole Wh


@dataclass(frozen=True)
class DocRow:
    contract: str
    doc_date: date
    kind: str
    doc_no: str | None
    effective: date | None
    changes: str | None         # JSON as stored
    note: str | None
    created_by: str | None


@dataclass(frozen=True)
class PaymentRow:
    pay_date: date
    amount_kop: int
    status: str
    account: str | None         # the household account it was matched to, if any
    doc_no: str | None
    purpose: str | None


@dataclass(frozen=True)
class CounterpartyCard:
    counterparty_id: int
    kind: str
    inn: str
    kpp: str | None
    ogrn: str | None
    registered: date
    facts: CounterpartyFacts | None     # in force on `today`
    fact_history: list[FactRow]
    banks: list[BankRow]
    contracts: list[ContractRow]
    objects: list[ObjectRow]
    points: list[PointRow]
    meters: list[MeterRow]
    hours: list[HourSummary]
    hours_from: date
    documents: list[DocRow]
    payments: list[PaymentRow]
    payments_kop: int
    ledger_note: str


def _trader_name(name: str) -> str:
    """A sole trader's name masked as a person's, its «ИП» kept: «ИП Петров Пётр Иванович» -> «ИП П*** П. И.»."""
    prefix, _, rest = name.partition(" ")
    if prefix.upper() == "ИП" and rest.strip():
        return f"{prefix} {access.mask_name(rest.strip())}"
    return access.mask_name(name) or ""


def _facts(store: Store, row: tuple, person: bool) -> CounterpartyFacts:
    f = CounterpartyFacts(*row)
    if access.sees_personal_data(store):
        return f
    # a sole trader's name and any mobile number are personal data: masked like the households'
    return replace(f, name=_trader_name(f.name) if person else f.name, mobile=access.mask_phone(f.mobile))


def _contracts(store: Store, where: str, arg: object) -> list[ContractRow]:
    return [ContractRow(*r) for r in store.all(
        "SELECT id, number, kind, payment_scheme, state, applied_on, complete_on, signed_on, starts, ends,"
        f" terminated_from, edo FROM contract WHERE {where} ORDER BY applied_on, number", [arg])]


def _objects(store: Store, contracts: list[ContractRow]) -> list[ObjectRow]:
    if not contracts:
        return []
    numbers = {c.contract_id: c.number for c in contracts}
    rows = store.all("SELECT o.id, o.contract_id, o.code, o.name, o.address, b.code, o.premise_no, o.opened, o.closed"
                     " FROM calc_object o LEFT JOIN building b ON b.id = o.building_id"
                     " WHERE o.contract_id IN (SELECT unnest(?)) ORDER BY o.code", [list(numbers)])
    return [ObjectRow(r[0], numbers[r[1]], *r[2:]) for r in rows]


def _points(store: Store, objects: list[ObjectRow], today: date) -> list[PointRow]:
    if not objects:
        return []
    by_id = {o.object_id: o for o in objects}
    rows = store.all("SELECT id, object_id, code, name, grid_company, head_point_id, opened, closed FROM legal_point"
                     " WHERE object_id IN (SELECT unnest(?)) ORDER BY code", [list(by_id)])
    if not rows:
        return []
    ids = [r[0] for r in rows]
    facts = {r[0]: r[1:] for r in store.all(
        "SELECT point_id, arg_max(voltage, k), arg_max(max_kw, k), arg_max(price_category, k),"
        " arg_max(reliability, k), arg_max(valid_from, k)"
        " FROM (SELECT *, (valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)) AS now, "
        "       CASE WHEN now THEN DATE '9999-12-31' ELSE valid_from END AS k FROM legal_point_fact"
        "       WHERE point_id IN (SELECT unnest(?)))"
        " GROUP BY point_id", [today, today, ids])}
    heads = [r[5] for r in rows if r[5] is not None]
    head_codes = dict(store.all("SELECT id, code FROM legal_point WHERE id IN (SELECT unnest(?))", [heads])) \
        if heads else {}
    out = []
    for pid, oid, code, name, grid, head, opened, closed in rows:
        v, kw, cat, rel, since = facts.get(pid, (None,) * 5)
        o = by_id[oid]
        out.append(PointRow(pid, o.contract, o.code, code, name, v, kw, cat, rel, since, grid, head_codes.get(head),
                            opened, closed))
    return out


def _meters(store: Store, points: list[PointRow]) -> list[MeterRow]:
    if not points:
        return []
    codes = {p.point_id: p.code for p in points}
    rows = store.all(
        "SELECT id, point_id, serial, model, accuracy, ct_ratio, vt_ratio, installed, removed, verified,"
        " CASE WHEN verified IS NOT NULL AND verify_years IS NOT NULL"
        "   THEN CAST(verified + to_years(CAST(verify_years AS INTEGER)) AS DATE) END,"
        " loss_pct, CASE WHEN askue_code IS NOT NULL THEN askue_code || ' / ' || askue_channel END"
        " FROM legal_meter WHERE point_id IN (SELECT unnest(?)) ORDER BY point_id, installed, id", [list(codes)])
    return [MeterRow(r[0], codes[r[1]], *r[2:]) for r in rows]


def _hours(store: Store, meters: list[MeterRow], today: date) -> tuple[list[HourSummary], date]:
    """Hours by meter and month from the first day of `HOUR_MONTHS` months back; that day."""
    serials = {m.meter_id: m.serial for m in meters}
    last = store.scalar("SELECT max(day) FROM meter_hour WHERE meter_id IN (SELECT unnest(?)) AND day <= ?",
                        [list(serials), today]) if meters else None
    since = first_day(add_months(period_of(last or today), -(HOUR_MONTHS - 1)))
    if not meters:
        return [], since
    rows = store.all(
        "SELECT meter_id, year(day) * 100 + month(day) AS period, count(*),"
        " count(*) FILTER (WHERE status = 'measured'), count(*) FILTER (WHERE status = 'substituted'),"
        " count(*) FILTER (WHERE status = 'rejected'),"
        " coalesce(sum(value_wh) FILTER (WHERE status <> 'rejected'), 0)::BIGINT"
        " FROM meter_hour WHERE meter_id IN (SELECT unnest(?)) AND day >= ? GROUP BY 1, 2 ORDER BY 1, 2",
        [list(serials), since])
    return [HourSummary(r[0], serials[r[0]], *r[1:]) for r in rows], since


def _documents(store: Store, contracts: list[ContractRow]) -> list[DocRow]:
    if not contracts:
        return []
    numbers = {c.contract_id: c.number for c in contracts}
    rows = store.all("SELECT contract_id, doc_date, kind, doc_no, effective, changes, note, created_by"
                     " FROM contract_doc WHERE contract_id IN (SELECT unnest(?)) ORDER BY doc_date, id",
                     [list(numbers)])
    return [DocRow(numbers[r[0]], *r[1:]) for r in rows]


def counterparty_card(store: Store, counterparty_id: int, today: date) -> CounterpartyCard:
    row = store.one("SELECT id, kind, inn, kpp, ogrn, registered FROM counterparty WHERE id = ?", [counterparty_id])
    if row is None:
        raise NotFoundError(f"Контрагент с кодом {counterparty_id} не найден.")
    cid, kind, inn, kpp, ogrn, registered = row
    person = kind == "sole_trader"
    history = [FactRow(r[0], r[1], _facts(store, r[2:], person)) for r in store.all(
        f"SELECT valid_from, valid_to, {', '.join(FACT_FIELDS)} FROM counterparty_fact WHERE counterparty_id = ?"
        " ORDER BY valid_from", [cid])]
    now = [f.facts for f in history if f.valid_from <= today and (f.valid_to is None or f.valid_to > today)]
    banks = [BankRow(*r) for r in store.all(
        "SELECT bik, bank_name, account, corr_account, valid_from, valid_to FROM counterparty_bank"
        " WHERE counterparty_id = ? ORDER BY valid_from, id", [cid])]
    contracts = _contracts(store, "counterparty_id = ?", cid)
    objects = _objects(store, contracts)
    points = _points(store, objects, today)
    meters = _meters(store, points)
    hours, since = _hours(store, meters, today)
    # the payments of the INN: household-side rows and the contracts' own (a bank statement routes a
    # legal payer to its contract, `sbyt pay import`; `sbyt contract pay`)
    received = ("SELECT p.pay_date, p.amount_kop, p.status, a.number, p.doc_no, p.purpose, p.id FROM payment p"
                " LEFT JOIN account a ON a.id = p.account_id WHERE p.payer_inn = $inn"
                " UNION ALL SELECT l.op_date, -l.amount_kop, 'contract', c.number, l.note->>'doc_no',"
                " l.note->>'purpose', l.id FROM legal_posting l JOIN contract c ON c.id = l.contract_id"
                " WHERE l.kind = 'payment' AND l.counterparty_id = $cid")
    payments = [PaymentRow(*r[:6]) for r in store.all(
        f"SELECT * FROM ({received}) ORDER BY 1 DESC, 7 DESC LIMIT 200", {"inn": inn, "cid": cid})]
    total = store.scalar(f"SELECT coalesce(sum(amount_kop), 0) FROM ({received})", {"inn": inn, "cid": cid})
    if person and access.sees_personal_data(store) and not store.read_only:
        access.viewed(store, f"ИНН {inn}")     # a sole trader's card is personal data (152-ФЗ)
    return CounterpartyCard(cid, kind, inn, kpp, ogrn, registered, now[0] if now else None, history, banks,
                            contracts, objects, points, meters, hours, since,
                            _documents(store, contracts), payments, int(total), LEDGER_NOTE)


# ----------------------------------------------------------------------------------- contract card
@dataclass(frozen=True)
class ItemRow:
    item: str
    required: bool
    received: date | None


@dataclass(frozen=True)
class ContractCard:
    contract: ContractRow
    counterparty_id: int
    inn: str
    kpp: str | None
    name: str
    documents: list[DocRow]
    checklist: list[ItemRow]
    tasks: list[Task]
    objects: list[ObjectRow]
    points: list[PointRow]

    @property
    def missing(self) -> list[str]:
        """The required documents not received."""
        return [i.item for i in self.checklist if i.required and i.received is None]


def _tasks(store: Store, c: ContractRow, today: date) -> list[Task]:
    """The contract's tasks, from the one definition of the procedure's deadlines (`contracts.tasks`,
    which lists only contracts waiting for a step: an application or a disagreement)."""
    if c.state not in ("application", "disagreement"):
        return []
    return [t for t in tasks(store, today) if t.number == c.number]


def contract_card(store: Store, number: str, today: date) -> ContractCard:
    found = _contracts(store, "number = ?", number.strip())
    if not found:
        raise NotFoundError(f"Договор № {number} не найден.")
    c = found[0]
    cid, kind, inn, kpp = store.one("SELECT c.id, c.kind, c.inn, c.kpp FROM counterparty c JOIN contract k"
                                    " ON k.counterparty_id = c.id WHERE k.id = ?", [c.contract_id])
    name_row = store.one(_names_sql("counterparty_id = ?"), [today, today, cid])
    name = name_row[1] if name_row else ""
    if kind == "sole_trader" and not access.sees_personal_data(store):
        name = _trader_name(name)
    checklist = [ItemRow(*r) for r in store.all(
        "SELECT r.item, r.required, i.received FROM contract_requirement r"
        " LEFT JOIN contract_item i ON i.contract_id = ? AND i.item = r.item"
        " WHERE r.contract_kind = ? ORDER BY r.ord", [c.contract_id, c.kind])]
    objects = _objects(store, [c])
    return ContractCard(c, cid, inn, kpp, name, _documents(store, [c]), checklist, _tasks(store, c, today),
                        objects, _points(store, objects, today))
