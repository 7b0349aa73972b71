"""The operator console's read model: read-side queries behind its screens (account card, search,
rounds, payments, debtors, periods), headless (no UI imports).

Everything here reads; writes (readings, recalculations, payments) belong to their services.
All queries select by one account id and run in a few milliseconds on a 1 000 000-account store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sbyt.core import access
from sbyt.core.debtors import debt_age_days
from sbyt.core.errors import NotFoundError
from sbyt.core.periods import add_months
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


def account_numbers(store: Store, account_ids: Sequence[int]) -> list[str]:
    """Account numbers of the given ids, in number order."""
    ids = [int(a) for a in account_ids]
    if not ids:
        return []
    return [r[0] for r in store.all("SELECT number FROM account WHERE id IN (SELECT unnest(?)) ORDER BY number",
                                    [ids])]


def warm_up(store: Store) -> None:
    """Run the card's queries once on the first account, so that DuckDB's buffers hold the ledger
    and facts before an operator opens a card (cold, the first card cost ~0.4 s on 1M accounts)."""
    first = store.scalar("SELECT min(id) FROM account")
    if first is not None:
        header(store, int(first))


def balance_kop(store: Store, account_id: int, number: str) -> int:
    """The account's balance (debt > 0, advance < 0) from the ledger service (`sbyt.core.balance`)."""
    from sbyt.core.balance import account_total  # the one definition of a balance

    return int(account_total(store, number))


def header(store: Store, account_id: int, on: date | None = None) -> AccountHeader:
    """Point lookups one table at a time: a five-table join makes DuckDB hash whole tables (0.2 s on
    1 000 000 accounts), a lookup by primary key takes a millisecond. The name and address are
    masked for a session without 'pd.read'; an unmasked view is written to the access log."""
    on = on or date.today()
    acc = store.one("SELECT id, number, holder_name, premise_id, opened, closed FROM account WHERE id = ?", [account_id])
    if acc is None:
        raise NotFoundError(f"Лицевой счёт с кодом {account_id} не найден")
    aid, number, holder, premise_id, opened, closed = acc
    area, rooms, flat, building_id = store.one("SELECT area, rooms, number, building_id FROM premise WHERE id = ?",
                                               [premise_id])
    house, street_id = store.one("SELECT house_no, street_id FROM building WHERE id = ?", [building_id])
    street, settlement_id = store.one("SELECT name, settlement_id FROM street WHERE id = ?", [street_id])
    settlement = store.scalar("SELECT name FROM settlement WHERE id = ?", [settlement_id])
    fact = store.one(
        "SELECT normative_residents(residents_living, residents_registered, owners), tariff_group"
        f" FROM account_fact f WHERE account_id = ? AND {_fact_on(on)}", [aid])
    residents, tg = fact if fact else (0, "")
    tg_name = store.scalar("SELECT name FROM tariff_group WHERE code = ?", [tg]) or ""
    if access.sees_personal_data(store):
        address = f"{settlement}, {street}, д. {house}, кв. {flat}"
        if not store.read_only:
            access.viewed(store, number)
    else:
        holder, address = access.mask_name(holder) or "", f"{settlement}, {street}, д. ***, кв. ***"
    return AccountHeader(aid, number, holder, address, area, int(rooms), int(residents or 0), tg or "", tg_name,
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
    """The account's metering points and their meters, newest meter first. Step by step with
    IN-lists (no correlated subqueries, which DuckDB turns into joins over whole tables)."""
    on = on or date.today()
    points = store.all("SELECT id, service, disconnected FROM metering_point WHERE account_id = ? ORDER BY id",
                       [account_id])
    if not points:
        return []
    mp_ids = ", ".join(str(int(p[0])) for p in points)
    state = dict(store.all(
        f"SELECT metering_point_id, arg_max(state, valid_from) FROM supply_state WHERE metering_point_id IN ({mp_ids})"
        " AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) GROUP BY 1", [on, on]))
    meter_rows = store.all(
        "SELECT metering_point_id, id, model, serial, zones, digits, ratio, installed, removed, verified,"
        " CASE WHEN verified IS NOT NULL AND verification_years IS NOT NULL"
        "   THEN CAST(verified + to_years(CAST(verification_years AS INTEGER)) AS DATE) END"
        f" FROM meter WHERE metering_point_id IN ({mp_ids}) ORDER BY installed DESC, id DESC")
    seals: dict[int, str] = {}
    if meter_rows:
        m_ids = ", ".join(str(int(m[1])) for m in meter_rows)
        seals = dict(store.all(
            "SELECT meter_id, string_agg(seal_no || coalesce(' (акт ' || act_no"
            " || coalesce(' от ' || strftime(act_date, '%d.%m.%Y'), '') || ')', ''), ', ' ORDER BY installed)"
            f" FROM seal WHERE meter_id IN ({m_ids}) AND removed IS NULL GROUP BY 1"))
    out: list[MeterRow] = []
    for mp_id, service, disconnected in points:
        supply = state.get(mp_id) or ("disconnected" if disconnected is not None and disconnected <= on else "connected")
        mine = [m for m in meter_rows if m[0] == mp_id]
        if not mine:
            out.append(MeterRow(mp_id, service, supply, None, "", "", 1, 0, 1, None, None, None, None, ""))
        for (_, mid, model, serial, zones, digits, ratio, installed, removed, verified, nxt) in mine:
            out.append(MeterRow(mp_id, service, supply, mid, model, serial, zones, digits, ratio, installed, removed,
                                verified, nxt, seals.get(mid, "")))
    return out


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


def account_lines(store: Store, account_id: int) -> list[AccrualRow]:
    """All accrual lines of the account, newest first: one scan of `accrual_line` that both the
    accruals tab and the consumption chart use (a few dozen rows per account)."""
    rows = store.all(
        "SELECT id, period, for_period, service, zone, method, volume_wh, price, amount_kop, vat_kop, status,"
        " coalesce(reason, '') FROM accrual_line WHERE account_id = ?"
        " ORDER BY period DESC, for_period DESC, service, zone, id",
        [account_id],
    )
    return [AccrualRow(*r) for r in rows]


def accruals(store: Store, account_id: int, periods: int = 12,
             lines: list[AccrualRow] | None = None) -> list[AccrualRow]:
    """Accrual lines of the last `periods` months calculated (drafts of the open month included)."""
    lines = account_lines(store, account_id) if lines is None else lines
    if not lines:
        return []
    first = add_months(lines[0].period, -periods)
    return [x for x in lines if x.period > first]


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


def account_postings(store: Store, account_id: int) -> list[PostingRow]:
    """All postings of the account, newest first (one scan for the payments and penalties tabs)."""
    rows = store.all(
        "SELECT id, op_date, period, for_period, service, kind, amount_kop, batch_id, coalesce(note, '')"
        " FROM posting WHERE account_id = ? ORDER BY op_date DESC, id DESC", [account_id])
    return [PostingRow(*r) for r in rows]


PAYMENT_KINDS = ("payment", "refund", "transfer", "writeoff")


def payments(store: Store, account_id: int, limit: int = 200,
             postings: list[PostingRow] | None = None) -> list[PostingRow]:
    """Payments and their distribution over months and services (one posting per part), refunds
    and transfers."""
    postings = account_postings(store, account_id) if postings is None else postings
    return [p for p in postings if p.kind in PAYMENT_KINDS][:limit]


def penalties(store: Store, account_id: int, limit: int = 200,
              postings: list[PostingRow] | None = None) -> list[PostingRow]:
    postings = account_postings(store, account_id) if postings is None else postings
    return [p for p in postings if p.service == "penalty"][:limit]


def consumption(store: Store, account_id: int, months: int = 12,
                lines: list[AccrualRow] | None = None) -> list[tuple[int, int]]:
    """(month, volume Wh) for the last `months` months up to the latest calculated one, zeros
    included, oldest first; recalculations count towards the month they concern."""
    lines = [x for x in (account_lines(store, account_id) if lines is None else lines) if x.service == "electricity"]
    if not lines:
        return []
    last = max(x.for_period for x in lines)
    first = add_months(last, -(months - 1))
    got: dict[int, int] = {}
    for x in lines:
        if first <= x.for_period <= last:
            got[x.for_period] = got.get(x.for_period, 0) + int(x.volume_wh)
    return [(add_months(first, i), got.get(add_months(first, i), 0)) for i in range(months)]


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


def history(store: Store, account_id: int, limit: int = 200) -> list[tuple]:
    """The account's changes from the audit trail, newest first (`sbyt.core.audit.account_history`)."""
    from sbyt.core.audit import account_history

    number = store.scalar("SELECT number FROM account WHERE id = ?", [account_id])
    return account_history(store, number, limit) if number else []


# ------------------------------------------------------------------------------------ the card
@dataclass
class CardData:
    header: AccountHeader
    meters: list[MeterRow]
    readings: list[ReadingRow]
    accruals: list[AccrualRow]
    payments: list[PostingRow]
    penalties: list[PostingRow]
    consumption: list[tuple[int, int]]
    history: list[tuple]


def load_card(store: Store, account_id: int, today: date) -> CardData:
    """Everything the console's account card shows, read at once."""
    lines = account_lines(store, account_id)
    postings = account_postings(store, account_id)
    return CardData(header(store, account_id, today), meters(store, account_id, today),
                    readings(store, account_id), accruals(store, account_id, lines=lines),
                    payments(store, account_id, postings=postings),
                    penalties(store, account_id, postings=postings),
                    consumption(store, account_id, lines=lines), history(store, account_id))
