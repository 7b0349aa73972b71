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


def balance_kop(store: Store, account_id: int, number: str) -> int:
    """The account's balance (debt > 0, advance < 0) from the ledger service (`sbyt.core.balance`)."""
    from sbyt.core.balance import account_total  # the one definition of a balance

    return int(account_total(store, number))


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
                         balance_kop(store, aid, number), debt_age_days(store, aid, on), opened, closed)


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


# -- address pickers and the controller's round -----------------------------------------------------
def districts(store: Store) -> list[tuple[int, str]]:
    return [(int(i), n) for i, n in store.all("SELECT id, name FROM district ORDER BY name")]


def settlements(store: Store, district_id: int | None = None) -> list[tuple[int, str]]:
    return [(int(i), n) for i, n in store.all(
        "SELECT id, name FROM settlement WHERE ?::INTEGER IS NULL OR district_id = ? ORDER BY name",
        [district_id, district_id])]


def streets(store: Store, settlement_id: int | None = None) -> list[tuple[int, str]]:
    """(id, «street, settlement») for a picker; all streets when no settlement is given."""
    return [(int(i), n) for i, n in store.all(
        "SELECT st.id, st.name || ', ' || se.name FROM street st JOIN settlement se ON se.id = st.settlement_id"
        " WHERE ?::INTEGER IS NULL OR st.settlement_id = ? ORDER BY se.name, st.name, st.id",
        [settlement_id, settlement_id])]


def buildings(store: Store, street_id: int) -> list[tuple[int, str]]:
    return [(int(i), f"д. {h}") for i, h in store.all(
        "SELECT id, house_no FROM building WHERE street_id = ? ORDER BY coalesce(route_order, 0),"
        " try_cast(regexp_extract(house_no, '^[0-9]+') AS INTEGER), house_no", [street_id])]


@dataclass(frozen=True)
class RoundRow:
    meter_id: int
    zone: int
    account_id: int
    number: str
    holder_name: str
    house_no: str
    flat: str
    serial: str
    last_value: int | None
    last_read_on: date | None


def round_meters(store: Store, street_id: int | None = None, building_id: int | None = None) -> list[RoundRow]:
    """The working meters of a street or a building in the controller's route order (building's
    route order, house, flat), one row per zone, with the last accepted reading."""
    if street_id is None and building_id is None:
        return []
    rows = store.all(
        "WITH m AS (SELECT m.id AS meter_id, z.zone, a.id AS account_id, a.number, a.holder_name, b.house_no,"
        "   p.number AS flat, m.serial, coalesce(b.route_order, 0) AS ro,"
        "   try_cast(regexp_extract(b.house_no, '^[0-9]+') AS INTEGER) AS hn,"
        "   try_cast(regexp_extract(p.number, '^[0-9]+') AS INTEGER) AS fn"
        "  FROM building b JOIN premise p ON p.building_id = b.id JOIN account a ON a.premise_id = p.id"
        "  JOIN metering_point mp ON mp.account_id = a.id JOIN meter m ON m.metering_point_id = mp.id,"
        "  range(1, 4) z(zone)"
        "  WHERE (?::BIGINT IS NULL OR b.id = ?) AND (?::INTEGER IS NULL OR b.street_id = ?)"
        "   AND m.removed IS NULL AND a.closed IS NULL AND z.zone <= m.zones),"
        " last AS (SELECT r.meter_id, r.zone, arg_max(r.value, r.read_on) AS value, max(r.read_on) AS read_on"
        "  FROM reading r WHERE r.status = 'accepted' AND r.meter_id IN (SELECT meter_id FROM m)"
        "  GROUP BY r.meter_id, r.zone)"
        " SELECT m.meter_id, m.zone, m.account_id, m.number, m.holder_name, m.house_no, m.flat, m.serial,"
        "  last.value, last.read_on FROM m LEFT JOIN last USING (meter_id, zone)"
        " ORDER BY m.ro, m.hn, m.house_no, m.fn, m.flat, m.meter_id, m.zone",
        [building_id, building_id, street_id, street_id],
    )
    return [RoundRow(*r) for r in rows]


def import_batches(store: Store, kind: str = "payments", limit: int = 50) -> list[tuple]:
    """(id, created_at, file_name, rows, total_kop, created_by, note) of recent import batches."""
    return store.all(
        "SELECT id, created_at, file_name, rows, total_kop, created_by, coalesce(note, '') FROM import_batch"
        " WHERE kind = ? ORDER BY id DESC LIMIT ?", [kind, limit])


def periods(store: Store) -> list[tuple]:
    """(period, status, opened_at, calc_at, closed_at, closed_by), the newest first."""
    return store.all("SELECT period, status, opened_at, calc_at, closed_at, coalesce(closed_by, '')"
                     " FROM billing_period ORDER BY period DESC")
