"""Read-side queries behind the console's account card (headless; no UI imports).

Everything here reads; writes (readings, recalculations, payments) belong to their services.
All queries select by one account id and run in a few milliseconds on a 1 000 000-account store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sbyt.core.debtors import debt_age_days
from sbyt.core.errors import NotFoundError
from sbyt.core.periods import add_months
from sbyt.core.search import ADDRESS_JOIN, ADDRESS_SQL
from sbyt.core.store import Store


@dataclass(frozen=True)
class AccountHeader:
    account_id: int
    number: str
    holder_name: str
    address: str
    area: Decimal
    rooms: int
    residents: int
    tariff_group: str
    tariff_name: str
    balance_kop: int
    debt_age_days: int
    opened: date
    closed: date | None


def _fact_on(on: date) -> str:
    return f"f.valid_from <= DATE '{on.isoformat()}' AND (f.valid_to IS NULL OR f.valid_to > DATE '{on.isoformat()}')"


def account_id_by_number(store: Store, number: str) -> int:
    found = store.scalar("SELECT id FROM account WHERE number = ?", [number.strip()])
    if found is None:
        raise NotFoundError(f"Лицевой счёт {number} не найден")
    return int(found)


def balance_kop(store: Store, account_id: int) -> int:
    """The account's balance (debt > 0, advance < 0): the ledger service's figure when present."""
    try:
        from sbyt.core import balance as ledger  # written by the payments engineer
    except ImportError:
        ledger = None
    fn = getattr(ledger, "account_balance_kop", None) if ledger else None
    if fn is not None:
        return int(fn(store, account_id))
    return int(store.scalar("SELECT coalesce(sum(amount_kop), 0) FROM posting WHERE account_id = ?", [account_id]))


def header(store: Store, account_id: int, on: date | None = None) -> AccountHeader:
    on = on or date.today()
    row = store.one(
        f"SELECT a.id, a.number, a.holder_name, {ADDRESS_SQL}, p.area, p.rooms,"
        " coalesce(nullif(f.residents_living, 0), nullif(f.residents_registered, 0), f.owners, 0),"
        " coalesce(f.tariff_group, ''), coalesce(tg.name, ''), a.opened, a.closed"
        f" FROM account a {ADDRESS_JOIN}"
        f" LEFT JOIN account_fact f ON f.account_id = a.id AND {_fact_on(on)}"
        " LEFT JOIN tariff_group tg ON tg.code = f.tariff_group"
        " WHERE a.id = ?",
        [account_id],
    )
    if row is None:
        raise NotFoundError(f"Лицевой счёт с кодом {account_id} не найден")
    (aid, number, holder, address, area, rooms, residents, tg, tg_name, opened, closed) = row
    return AccountHeader(aid, number, holder, address, area, int(rooms), int(residents or 0), tg, tg_name,
                         balance_kop(store, aid), debt_age_days(store, aid, on), opened, closed)


@dataclass(frozen=True)
class MeterRow:
    metering_point_id: int
    service: str
    supply: str                 # connected / restricted / disconnected
    meter_id: int | None
    model: str
    serial: str
    zones: int
    digits: int
    ratio: int
    installed: date | None
    removed: date | None
    verified: date | None
    next_verification: date | None
    seals: str                  # «П-700000 (акт А-1 от 01.01.2020)», comma separated


def meters(store: Store, account_id: int, on: date | None = None) -> list[MeterRow]:
    on = on or date.today()
    rows = store.all(
        "SELECT mp.id, mp.service,"
        " coalesce((SELECT ss.state FROM supply_state ss WHERE ss.metering_point_id = mp.id AND ss.valid_from <= ?"
        "   AND (ss.valid_to IS NULL OR ss.valid_to > ?) ORDER BY ss.valid_from DESC LIMIT 1),"
        "   CASE WHEN mp.disconnected IS NOT NULL AND mp.disconnected <= ? THEN 'disconnected' ELSE 'connected' END),"
        " m.id, coalesce(m.model, ''), coalesce(m.serial, ''), coalesce(m.zones, mp.zones), coalesce(m.digits, 0),"
        " coalesce(m.ratio, 1), m.installed, m.removed, m.verified,"
        " CASE WHEN m.verified IS NOT NULL AND m.verification_years IS NOT NULL"
        "   THEN CAST(m.verified + to_years(CAST(m.verification_years AS INTEGER)) AS DATE) END,"
        " coalesce((SELECT string_agg(s.seal_no || coalesce(' (акт ' || s.act_no || coalesce(' от ' || strftime(s.act_date, '%d.%m.%Y'), '') || ')', ''), ', ' ORDER BY s.installed)"
        "   FROM seal s WHERE s.meter_id = m.id AND s.removed IS NULL), '')"
        " FROM metering_point mp LEFT JOIN meter m ON m.metering_point_id = mp.id"
        " WHERE mp.account_id = ? ORDER BY mp.id, m.installed DESC",
        [on, on, on, account_id],
    )
    return [MeterRow(*r) for r in rows]


@dataclass(frozen=True)
class ReadingRow:
    reading_id: int
    meter_id: int
    serial: str
    zone: int
    read_on: date
    value: int
    kind: str
    source: str
    status: str
    reason: str
    entered_by: str


def readings(store: Store, account_id: int, limit: int = 200) -> list[ReadingRow]:
    rows = store.all(
        "SELECT r.id, r.meter_id, m.serial, r.zone, r.read_on, r.value, r.kind, r.source, r.status,"
        " coalesce(r.reason, ''), r.entered_by"
        " FROM reading r JOIN meter m ON m.id = r.meter_id JOIN metering_point mp ON mp.id = m.metering_point_id"
        " WHERE mp.account_id = ? ORDER BY r.read_on DESC, r.id DESC LIMIT ?",
        [account_id, limit],
    )
    return [ReadingRow(*r) for r in rows]


@dataclass(frozen=True)
class AccrualRow:
    line_id: int
    period: int
    for_period: int
    service: str
    zone: int
    method: str
    volume_wh: int
    price: Decimal | None
    amount_kop: int
    vat_kop: int
    status: str
    reason: str


def accruals(store: Store, account_id: int, periods: int = 12) -> list[AccrualRow]:
    """Accrual lines of the last `periods` months calculated (drafts of the open month included)."""
    last = store.scalar("SELECT max(period) FROM accrual_line WHERE account_id = ?", [account_id])
    if last is None:
        return []
    rows = store.all(
        "SELECT id, period, for_period, service, zone, method, volume_wh, price, amount_kop, vat_kop, status,"
        " coalesce(reason, '') FROM accrual_line WHERE account_id = ? AND period > ?"
        " ORDER BY period DESC, for_period DESC, service, zone, id",
        [account_id, add_months(int(last), -periods)],
    )
    return [AccrualRow(*r) for r in rows]


@dataclass(frozen=True)
class PostingRow:
    posting_id: int
    op_date: date
    period: int
    for_period: int
    service: str
    kind: str
    amount_kop: int
    batch_id: int | None
    note: str


def _postings(store: Store, account_id: int, where: str, limit: int) -> list[PostingRow]:
    rows = store.all(
        "SELECT id, op_date, period, for_period, service, kind, amount_kop, batch_id, coalesce(note, '')"
        f" FROM posting WHERE account_id = ? AND {where} ORDER BY op_date DESC, id DESC LIMIT ?",
        [account_id, limit],
    )
    return [PostingRow(*r) for r in rows]


def payments(store: Store, account_id: int, limit: int = 200) -> list[PostingRow]:
    """Payments and their distribution over months and services (one posting per part), refunds
    and transfers."""
    return _postings(store, account_id, "kind IN ('payment', 'refund', 'transfer', 'writeoff')", limit)


def penalties(store: Store, account_id: int, limit: int = 200) -> list[PostingRow]:
    return _postings(store, account_id, "service = 'penalty'", limit)


def consumption(store: Store, account_id: int, months: int = 12) -> list[tuple[int, int]]:
    """(month, volume Wh) for the last `months` months up to the latest calculated one, zeros
    included, oldest first; recalculations count towards the month they concern."""
    last = store.scalar("SELECT max(for_period) FROM accrual_line WHERE account_id = ?", [account_id])
    if last is None:
        return []
    first = add_months(int(last), -(months - 1))
    got = dict(store.all(
        "SELECT for_period, sum(volume_wh) FROM accrual_line WHERE account_id = ? AND service = 'electricity'"
        " AND for_period BETWEEN ? AND ? GROUP BY 1",
        [account_id, first, int(last)],
    ))
    return [(add_months(first, i), int(got.get(add_months(first, i), 0))) for i in range(months)]
