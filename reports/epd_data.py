"""Everything a household payment document (ЕПД) shows, gathered in bulk by SQL.

`select_accounts` picks and orders the accounts of a print run (delivery order: settlement,
street, house, flat); `gather` reads a chunk of them with one query per kind of fact (master data,
ledger, accrual lines, readings, history) and returns one frozen `Epd` per account in the same
order. Nothing here loops over accounts in SQL; Python only groups the fetched rows.

Money: the ledger (`posting`) gives the balance brought forward (the store's macro
`brought_forward`: postings of earlier periods and the balances loaded from the old system — the
same opening as `sbyt balance` and the ОСВ), the payments of the period and the closing balance;
the posted accrual lines of the period give the detail (volumes, methods, tariffs,
recalculations with reasons, penalties).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pyarrow as pa

from sbyt.core.due import due_date
from sbyt.core.errors import NotFoundError, RefusedError, SbytError
from sbyt.core.money import round_div
from sbyt.core.period_state import is_closed
from sbyt.core.periods import add_months, first_day, last_day, period_label
from sbyt.core.reference import rule_int
from sbyt.core.store import Store

HISTORY_MONTHS = 12


@dataclass(frozen=True)
class Supplier:
    name: str
    inn: str
    kpp: str
    bank_account: str
    bank_name: str
    bic: str
    corr_account: str
    address: str
    phone: str
    email: str
    website: str


@dataclass(frozen=True)
class ChargeRow:
    """One line of section 3: a service, zone and method with its volume, tariff and amount."""

    service: str          # electricity, odn, penalty, or another service code
    zone: int
    zones: int            # 1, 2 or 3: the variant of the metering point (names the zone)
    method: str           # readings, average, normative, odn_meter, odn_normative, manual, penalty
    volume_wh: int
    price: Decimal | None
    amount_kop: int
    factor_kop: int       # part of amount_kop due to an increasing factor (×1.5, ×10)
    factor_milli: int | None
    prev_value: int | None  # readings: previous and current reading
    cur_value: int | None
    residents: int | None   # normative: persons and normative per person
    normative_wh: int | None
    reason: str


@dataclass(frozen=True)
class Recalc:
    """A recalculation (section 6): the month it corrects, service, volume, amount and reason."""

    for_period: int
    service: str
    volume_wh: int
    amount_kop: int
    reason: str


@dataclass(frozen=True)
class MeterField:
    """A meter whose next reading the consumer is asked for, with its last accepted readings."""

    serial: str
    model: str
    zones: int
    last: tuple[tuple[int, int | None, date | None], ...]   # (zone, value, read_on)
    verify_due: date | None


@dataclass(frozen=True)
class BuildingTotals:
    method: str
    common_wh: int | None
    odn_wh: int
    area_total: Decimal
    area_common: Decimal
    soi_kwh_per_m2: Decimal | None


@dataclass(frozen=True)
class Epd:
    period: int
    account_id: int
    number: str
    holder_name: str
    email: str
    email_consent: bool
    settlement: str
    street: str
    house_no: str
    premise_no: str
    address: str
    area: Decimal
    rooms: int
    residents: int
    registered: int
    tariff_group: str
    opening_kop: int      # > 0 debt brought forward, < 0 advance (incl. the balance loaded from the old system)
    paid_kop: int         # payments posted in the period (positive)
    accrued_kop: int      # all other postings of the period (accruals, recalculations, penalties, ...)
    closing_kop: int
    rows: tuple[ChargeRow, ...]
    recalcs: tuple[Recalc, ...]
    other_kop: int        # postings of the period no accrual line explains (write-offs, refunds, ...)
    meters: tuple[MeterField, ...]
    history: tuple[int, ...]   # electricity volume (Wh) of the 12 months ending with the period
    normative_wh: int | None   # normative per person for the premise (reference)
    building: BuildingTotals | None
    due_date: date
    supplier: Supplier
    reading_days: tuple[int, int] = (20, 25)   # readings are taken from day .. to day of the month

    @property
    def to_pay_kop(self) -> int:
        return max(self.closing_kop, 0)

    @property
    def doc_no(self) -> str:
        """Document number: account and month, unique per ЕПД."""
        return f"{self.number}-{self.period % 100:02d}{self.period // 100}"

    @property
    def history_periods(self) -> tuple[int, ...]:
        return tuple(add_months(self.period, i - HISTORY_MONTHS + 1) for i in range(HISTORY_MONTHS))


# ------------------------------------------------------------------------------------ selection
def last_closed_period(store: Store) -> int:
    value = store.scalar("SELECT max(period) FROM billing_period WHERE status = 'closed'")
    if value is None:
        raise RefusedError("В базе нет закрытого периода: ЕПД печатается за закрытый месяц (укажите --period).")
    return int(value)


def check_period(store: Store, period: int) -> None:
    if not is_closed(store, period):
        raise RefusedError(f"Период {period_label(period)} не закрыт: ЕПД формируется только за закрытый период.")


def select_accounts(store: Store, period: int, *, districts: Sequence[str] = (), buildings: Sequence[str] = (),
                    accounts: Sequence[str] = (), limit: int | None = None,
                    email_only: bool = False) -> list[int]:
    """Account ids of a print run in delivery order; unknown codes or numbers are an error."""
    for table, codes, what in (("district", districts, "Район"), ("building", buildings, "Дом")):
        if codes:
            found = {r[0] for r in store.all(f"SELECT code FROM {table} WHERE code IN (SELECT unnest(?))", [list(codes)])}
            missing = [c for c in codes if c not in found]
            if missing:
                raise NotFoundError(f"{what} с кодом {', '.join(missing)} не найден.")
    if accounts:
        found = {r[0] for r in store.all("SELECT number FROM account WHERE number IN (SELECT unnest(?))", [list(accounts)])}
        missing = [a for a in accounts if a not in found]
        if missing:
            raise NotFoundError(f"Лицевой счёт {', '.join(missing)} не найден.")
    where = ["a.opened <= ?", "(a.closed IS NULL OR a.closed >= ?)"]
    params: list[object] = [last_day(period), first_day(period)]
    if districts:
        where.append("d.code IN (SELECT unnest(?))")
        params.append(list(districts))
    if buildings:
        where.append("b.code IN (SELECT unnest(?))")
        params.append(list(buildings))
    if accounts:
        where = ["a.number IN (SELECT unnest(?))"] + where[2:]  # named accounts: even if closed
        params = [list(accounts)] + params[2:]
    if email_only:
        where.append("a.email_consent AND coalesce(trim(a.email), '') <> ''")
    sql = f"""
        SELECT a.id FROM account a
        JOIN premise p ON p.id = a.premise_id
        JOIN building b ON b.id = p.building_id
        JOIN street s ON s.id = b.street_id
        JOIN settlement t ON t.id = s.settlement_id
        JOIN district d ON d.id = t.district_id
        WHERE {' AND '.join(where)}
        ORDER BY t.name, t.id, s.name, s.id,
                 try_cast(regexp_extract(b.house_no, '^[0-9]+') AS INTEGER) NULLS LAST, b.house_no,
                 try_cast(regexp_extract(p.number, '^[0-9]+') AS INTEGER) NULLS LAST, p.number, a.number
        {'LIMIT ' + str(int(limit)) if limit else ''}
    """
    return [r[0] for r in store.all(sql, params)]


# ------------------------------------------------------------------------------------ gathering
def supplier_on(store: Store, day: date) -> Supplier:
    row = store.one(
        "SELECT name, inn, kpp, bank_account, bank_name, bic, corr_account, address, phone, email, website"
        " FROM supplier WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1",
        [day, day],
    )
    if row is None:
        raise SbytError(f"Не заданы реквизиты поставщика на {day:%d.%m.%Y} (таблица supplier).")
    return Supplier(*[v or "" for v in row])


def _add_years(day: date | None, years: int | None) -> date | None:
    if day is None or not years:
        return None
    try:
        return day.replace(year=day.year + int(years))
    except ValueError:  # 29 February
        return date(day.year + int(years), 3, 1)


def _address(settlement: str, street: str, house: str, premise: str, building_kind: str, premise_kind: str) -> str:
    parts = [settlement, street, f"д. {house}"]
    if premise and (building_kind == "mkd" or premise_kind == "room"):
        parts.append(f"{'ком.' if premise_kind == 'room' else 'кв.'} {premise}")
    return ", ".join(p for p in parts if p)


def gather(store: Store, period: int, account_ids: Sequence[int]) -> list[Epd]:
    """One `Epd` per account id, in the order given."""
    if not account_ids:
        return []
    _p_first, p_last = first_day(period), last_day(period)
    supplier = supplier_on(store, p_last)
    due = due_date(store, period)
    days = (rule_int(store, "reading.window_start_day", p_last, default=20),
            rule_int(store, "reading.window_end_day", p_last, default=25))
    sel = pa.table({"account_id": pa.array(account_ids, pa.int64()),
                    "ord": pa.array(range(len(account_ids)), pa.int64())})
    con = store.con
    con.register("_epd_sel", sel)
    try:
        master = con.execute("""
            SELECT a.id, a.number, a.holder_name, coalesce(a.email, ''), a.email_consent,
                   t.name, s.name, b.house_no, p.number, b.kind, p.kind, p.area, p.rooms,
                   coalesce(f.residents_living, 0), coalesce(f.residents_registered, 0), coalesce(f.owners, 1),
                   coalesce(tg.name, f.tariff_group, ''), n.kwh_per_person,
                   o.method, o.common_wh, o.odn_wh, o.area_total, o.area_common, o.soi_kwh_per_m2
            FROM _epd_sel x
            JOIN account a ON a.id = x.account_id
            JOIN premise p ON p.id = a.premise_id
            JOIN building b ON b.id = p.building_id
            JOIN street s ON s.id = b.street_id
            JOIN settlement t ON t.id = s.settlement_id
            LEFT JOIN account_fact f ON f.account_id = a.id AND f.valid_from <= $last
                 AND (f.valid_to IS NULL OR f.valid_to > $last)
            LEFT JOIN tariff_group tg ON tg.code = f.tariff_group
            LEFT JOIN normative n ON n.rooms = room_class(p.rooms)
                 AND n.residents = household_size(normative_residents(f.residents_living, f.residents_registered,
                                                                      f.owners))
                 AND n.equipment = coalesce(f.equipment, 'none')
                 AND n.valid_from <= $last AND (n.valid_to IS NULL OR n.valid_to > $last)
            LEFT JOIN odn_result o ON o.period = $period AND o.building_id = b.id AND o.billed_to = 'residents'
            ORDER BY x.ord
        """, {"last": p_last, "period": period}).fetchall()

        ledger = {r[0]: r[1:] for r in con.execute("""
            SELECT g.account_id,
                   coalesce(sum(g.amount_kop) FILTER (WHERE brought_forward(g.period, g.kind, $period)), 0),
                   -coalesce(sum(g.amount_kop) FILTER (WHERE g.period = $period AND g.kind = 'payment'), 0),
                   coalesce(sum(g.amount_kop) FILTER (WHERE g.period = $period AND g.kind <> 'payment'
                                                      AND NOT brought_forward(g.period, g.kind, $period)), 0)
            FROM posting g JOIN _epd_sel x ON x.account_id = g.account_id
            WHERE g.period <= $period
            GROUP BY g.account_id
        """, {"period": period}).fetchall()}

        rows_of: dict[int, list[ChargeRow]] = defaultdict(list)
        recalcs_of: dict[int, list[Recalc]] = defaultdict(list)
        explained: dict[int, int] = defaultdict(int)
        for (acc, service, zone, zones, method, for_period, price, factor, reason, vol, amount, prev_v, cur_v,
             residents, normative) in con.execute("""
            SELECT l.account_id, l.service, l.zone, coalesce(mp.zones, 1), l.method, l.for_period, l.price,
                   l.factor_milli, coalesce(l.reason, ''), sum(l.volume_wh), sum(l.amount_kop),
                   min(l.prev_value), max(l.cur_value), max(l.residents), max(l.normative_wh)
            FROM accrual_line l
            JOIN _epd_sel x ON x.account_id = l.account_id
            LEFT JOIN metering_point mp ON mp.id = l.metering_point_id
            WHERE l.period = $period AND l.status = 'posted'
            GROUP BY l.account_id, l.service, l.zone, coalesce(mp.zones, 1), l.method, l.for_period, l.price,
                     l.factor_milli, coalesce(l.reason, '')
            ORDER BY l.account_id, CASE l.service WHEN 'electricity' THEN 0 WHEN 'odn' THEN 1
                     WHEN 'penalty' THEN 3 ELSE 2 END, l.for_period, l.zone, l.method, l.price
        """, {"period": period}).fetchall():
            explained[acc] += amount
            if method == "recalc" or for_period != period:
                recalcs_of[acc].append(Recalc(for_period, service, vol, amount, reason))
                continue
            factor_kop = 0
            if factor and factor > 1000:
                factor_kop = amount - round_div(amount * 1000, factor)
            rows_of[acc].append(ChargeRow(service, zone, zones, method, vol, price, amount, factor_kop, factor,
                                          prev_v, cur_v, residents, normative, reason))

        history_of: dict[int, dict[int, int]] = defaultdict(dict)
        for acc, per, vol in con.execute("""
            SELECT l.account_id, l.period, sum(l.volume_wh)
            FROM accrual_line l JOIN _epd_sel x ON x.account_id = l.account_id
            WHERE l.period BETWEEN $p0 AND $period AND l.for_period = l.period AND l.service = 'electricity'
              AND l.status = 'posted' AND l.method <> 'recalc'
            GROUP BY ALL
        """, {"p0": add_months(period, 1 - HISTORY_MONTHS), "period": period}).fetchall():
            history_of[acc][per] = vol

        meters_of: dict[int, list[MeterField]] = defaultdict(list)
        cur_meter: tuple | None = None
        last: list[tuple[int, int | None, date | None]] = []
        for acc, meter_id, serial, model, zones, verified, years, zone, value, read_on in con.execute("""
            WITH pts AS (
                SELECT mp.account_id, mp.id AS mp_id FROM metering_point mp
                JOIN _epd_sel x ON x.account_id = mp.account_id
                UNION
                SELECT mp.account_id, mp.parent_id FROM metering_point mp
                JOIN _epd_sel x ON x.account_id = mp.account_id WHERE mp.parent_id IS NOT NULL
            ), m AS (
                SELECT pts.account_id, m.* FROM pts JOIN meter m ON m.metering_point_id = pts.mp_id
                WHERE m.installed <= $last AND (m.removed IS NULL OR m.removed > $last)
            ), z AS (
                SELECT m.account_id, m.id AS meter_id, m.serial, m.model, m.zones, m.verified,
                       m.verification_years, unnest(range(1, m.zones + 1)) AS zone FROM m
            ), r AS (
                SELECT r.meter_id, r.zone, arg_max(r.value, r.read_on) AS value, max(r.read_on) AS read_on
                FROM reading r WHERE r.status = 'accepted' AND r.read_on <= $last
                  AND r.meter_id IN (SELECT id FROM m)
                GROUP BY ALL
            )
            SELECT z.account_id, z.meter_id, z.serial, z.model, z.zones, z.verified, z.verification_years,
                   z.zone, r.value, r.read_on
            FROM z LEFT JOIN r ON r.meter_id = z.meter_id AND r.zone = z.zone
            JOIN _epd_sel x ON x.account_id = z.account_id
            ORDER BY x.ord, z.serial, z.meter_id, z.zone
        """, {"last": p_last}).fetchall():
            key = (acc, meter_id)
            if cur_meter is None or cur_meter[0] != key:
                if cur_meter is not None:
                    meters_of[cur_meter[0][0]].append(MeterField(*cur_meter[1], tuple(last), cur_meter[2]))
                cur_meter = (key, (serial, model, zones), _add_years(verified, years))
                last = []
            last.append((zone, value, read_on))
        if cur_meter is not None:
            meters_of[cur_meter[0][0]].append(MeterField(*cur_meter[1], tuple(last), cur_meter[2]))
    finally:
        con.unregister("_epd_sel")

    hist_periods = [add_months(period, i - HISTORY_MONTHS + 1) for i in range(HISTORY_MONTHS)]
    out = []
    for (acc, number, holder, email, consent, settlement, street, house, premise, b_kind, p_kind, area, rooms,
         living, registered, owners, tgroup, normative, o_method, o_common, o_odn, o_area, o_area_common,
         o_soi) in master:
        opening, paid, accrued = ledger.get(acc, (0, 0, 0))
        hist = history_of.get(acc, {})
        building = None
        if o_method is not None:
            building = BuildingTotals(o_method, o_common, o_odn, o_area, o_area_common, o_soi)
        out.append(Epd(
            period=period, account_id=acc, number=number, holder_name=holder, email=email,
            email_consent=consent, settlement=settlement, street=street, house_no=house, premise_no=premise,
            address=_address(settlement, street, house, premise, b_kind, p_kind), area=area, rooms=rooms,
            residents=living, registered=registered, tariff_group=tgroup,
            opening_kop=int(opening), paid_kop=int(paid), accrued_kop=int(accrued),
            closing_kop=int(opening) - int(paid) + int(accrued),
            rows=tuple(rows_of.get(acc, ())), recalcs=tuple(recalcs_of.get(acc, ())),
            other_kop=int(accrued) - explained.get(acc, 0),
            meters=tuple(meters_of.get(acc, ())),
            history=tuple(int(hist.get(p, 0)) for p in hist_periods),
            normative_wh=None if normative is None else int(normative * 1000),
            building=building, due_date=due, supplier=supplier, reading_days=days,
        ))
    return out
