"""Meter readings: plausibility control (in bulk) and saving, for entry, file import and the console.

`check_readings(store, candidates)` never writes: for every candidate (meter, zone, date, value) it
returns the previous accepted reading, the consumption and a status with a Russian reason.
`save_readings` stores accepted and rejected readings alike (rejected ones keep their reason).
All rules run as one vectorised SQL statement (ASOF joins over the reading history), so a file of a
million readings is checked in seconds. The rules and their dated settings are described in
docs/readings.md:

  * the meter must be installed on the date and not removed before it;
  * the date's month must not be closed;
  * the date must be inside the window of the open month P: from day `reading.window_start_day`
    of P to day `reading.window_end_day` of the month after P (late readings while P is open);
  * one accepted reading per meter, zone and date (a repeated one is rejected);
  * the value must fit the meter's digits;
  * a value lower than the previous accepted reading of the same meter and zone is rejected unless
    it is a rollover: the previous value is in the top 10 % of the dial (≥ 0.9 × 10^digits) and the
    new one in the bottom 10 %; a replaced meter starts its own history (no comparison across meters);
  * the consumption (difference × transformation ratio, kWh) must not exceed `reading.max_kwh` per
    month, nor `reading.max_multiple` × the average monthly consumption of the meter and zone over
    the `average.base_months` before the previous reading; "per month" means per month elapsed since
    the previous reading (at least one: days / 30.4, rounded).
"""

from __future__ import annotations

import json

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa

from sbyt.core.access import requires
from sbyt.core.errors import NotFoundError, RowError, SbytError, ValidationError
from sbyt.core.loading.columns import Col, typed_rows
from sbyt.core.period_state import open_period
from sbyt.core import clock
from sbyt.core.batching import GroupCommit
from sbyt.core.periods import day_within, days_in, first_day, next_period, period_of, period_title
from sbyt.core.reference import rule
from sbyt.core.store import Store

SOURCES = ("operator", "controller", "file", "gis", "portal", "askue")

# The readings file (docs/readings.md).
FILE_COLUMNS = (
    Col("account", "account", True, "Номер лицевого счёта (10 цифр)", "1000000001"),
    Col("serial", "text", False, "Заводской номер прибора; пусто — прибор ЛС, работающий на дату", "12345678"),
    Col("zone", "int", False, "Зона: 1 — день/пик, 2 — ночь/полупик, 3 — ночь", "1", min=1, max=3, default="1"),
    Col("date", "date", True, "Дата снятия показания", "2026-11-24"),
    Col("value", "int", True, "Показание, целые кВт·ч", "10234", min=0),
    Col("source", "enum", False, "Источник: operator, controller, file, gis, portal, askue", "file",
        enum=SOURCES, domain="reading_source", default="file"),
)

CANDIDATE_SCHEMA = pa.schema([
    ("_row", pa.int64()), ("meter_id", pa.int64()), ("zone", pa.int8()), ("read_on", pa.date32()),
    ("value", pa.int64()), ("source", pa.string()), ("kind", pa.string()),
])


SMALL = 10_000
"""Up to this many rows a check or a resolution reads its result through `execute` (`Store.arrow`)."""


@dataclass(frozen=True)
class Window:
    period: int
    start: date
    end: date


def reading_window(store: Store, period: int | None = None) -> Window:
    """The dates accepted for the open month (see the module docstring)."""
    p = period if period is not None else open_period(store)
    on = first_day(p)
    start_day = int(rule(store, "reading.window_start_day", on) or 1)
    end_day = int(rule(store, "reading.window_end_day", on) or 31)
    nxt = next_period(p)
    start = first_day(p) + timedelta(days=min(start_day, days_in(p)) - 1)
    end = first_day(nxt) + timedelta(days=min(end_day, days_in(nxt)) - 1)
    return Window(p, start, end)


def _rules(store: Store, on: date) -> dict[str, float]:
    return {
        "max_multiple": float(rule(store, "reading.max_multiple", on) or 10),
        "max_kwh": float(rule(store, "reading.max_kwh", on) or 10000),
        "base_months": int(rule(store, "average.base_months", on) or 6),
    }


def check_readings(store: Store, candidates: pa.Table, *, period: int | None = None) -> pa.Table:
    """Control a batch of readings without writing anything.

    `candidates`: `_row`, `meter_id`, `zone`, `read_on`, `value`, `source`, `kind` (see
    CANDIDATE_SCHEMA; `_row` orders duplicates). Returns the same rows with `prev_value`,
    `prev_date`, `consumption` (kWh incl. the ratio, NULL without a previous reading), `status`
    ('accepted' / 'rejected') and `reason` (Russian, NULL when accepted).
    """
    win = reading_window(store, period)
    r = _rules(store, first_day(win.period))
    first_open = store.scalar("SELECT min(period) FROM billing_period")
    sql = f"""
        WITH c AS (SELECT c.*, m.digits, m.ratio, m.installed, m.removed,
                          year(c.read_on) * 100 + month(c.read_on) AS month
                   FROM rc_cand c JOIN meter m ON m.id = c.meter_id),
        store_hist AS MATERIALIZED (SELECT r.meter_id, r.zone, r.read_on, r.value FROM reading r
                       WHERE r.status = 'accepted' AND r.meter_id IN (SELECT DISTINCT meter_id FROM rc_cand)),
        -- candidates chain on each other (an earlier one is the previous of a later one), except those
        -- duplicating a stored reading or an earlier row: then the history stays unambiguous
        hist AS (SELECT meter_id, zone, read_on, value FROM store_hist
                 UNION ALL
                 SELECT meter_id, zone, read_on, value FROM (
                     SELECT x.*, row_number() OVER (PARTITION BY meter_id, zone, read_on ORDER BY _row) AS k
                     FROM rc_cand x ANTI JOIN store_hist s
                         ON s.meter_id = x.meter_id AND s.zone = x.zone AND s.read_on = x.read_on) WHERE k = 1),
        p AS (SELECT c.*, h.read_on AS prev_date, h.value AS prev_value
              FROM c ASOF LEFT JOIN hist h
                ON c.meter_id = h.meter_id AND c.zone = h.zone AND c.read_on > h.read_on),
        ps AS (SELECT p.*, s.read_on AS sprev_date, s.value AS sprev_value
               FROM p ASOF LEFT JOIN store_hist s
                 ON p.meter_id = s.meter_id AND p.zone = s.zone AND p.read_on > s.read_on),
        b AS (SELECT ps.*, base.read_on AS base_date, base.value AS base_value
              FROM (SELECT *, sprev_date - INTERVAL {r['base_months']} MONTH AS base_from FROM ps) ps
              ASOF LEFT JOIN store_hist base
                ON ps.meter_id = base.meter_id AND ps.zone = base.zone AND ps.base_from <= base.read_on),
        d AS (SELECT b.*,
                 power(10, digits)::BIGINT AS dial,
                 sd.same_day,
                 min(_row) OVER (PARTITION BY b.meter_id, b.zone, b.read_on) AS first_row,
                 CASE WHEN base_date < sprev_date AND sprev_date - base_date >= 28
                           AND sprev_value >= base_value
                      THEN (sprev_value - base_value) * ratio * 30.4 / (sprev_date - base_date) END AS avg_month,
                 greatest(1, round((b.read_on - prev_date) / 30.4)) AS months
              FROM b LEFT JOIN (SELECT meter_id, zone, read_on, min(value) AS same_day FROM store_hist GROUP BY ALL) sd
                ON sd.meter_id = b.meter_id AND sd.zone = b.zone AND sd.read_on = b.read_on),
        e AS (SELECT d.*,
                 CASE WHEN prev_value IS NULL THEN NULL
                      ELSE nullif(rollover_volume(prev_value, value, digits), -1) * ratio
                 END AS consumption
              FROM d)
        SELECT _row, meter_id, zone, read_on, value, source, kind, prev_value, prev_date, consumption::BIGINT AS consumption,
            CASE WHEN reason IS NULL THEN 'accepted' ELSE 'rejected' END AS status, reason
        FROM (SELECT e.*, CASE
            WHEN removed IS NOT NULL AND read_on > removed
                THEN 'прибор учёта снят ' || strftime(removed, '%d.%m.%Y')
            WHEN read_on < installed
                THEN 'дата раньше установки прибора учёта (' || strftime(installed, '%d.%m.%Y') || ')'
            WHEN EXISTS (SELECT 1 FROM billing_period bp WHERE bp.period = e.month AND bp.status = 'closed')
                 OR e.month < {first_open if first_open is not None else 0}
                THEN 'дата в закрытом периоде ' || strftime(read_on, '%m.%Y')
            WHEN read_on < DATE '{win.start}' OR read_on > DATE '{win.end}'
                THEN 'дата вне окна приёма показаний ({win.start:%d.%m.%Y} – {win.end:%d.%m.%Y})'
            WHEN same_day IS NOT NULL
                THEN 'на эту дату уже есть принятое показание (' || same_day || ')'
            WHEN _row <> first_row
                THEN 'повтор: показание на эту дату уже есть в строке ' || first_row
            WHEN value >= dial
                THEN 'показание больше разрядности прибора (' || digits || ' знаков)'
            WHEN prev_value IS NOT NULL AND consumption IS NULL
                THEN 'показание ' || value || ' меньше предыдущего ' || prev_value || ' от '
                     || strftime(prev_date, '%d.%m.%Y')
            WHEN consumption > {r['max_kwh']} * months
                THEN 'расход ' || consumption || ' кВт·ч больше предела ' || ({r['max_kwh']} * months)::BIGINT
                     || ' кВт·ч' || CASE WHEN months > 1 THEN ' за ' || months::BIGINT || ' мес.' ELSE ' в месяц' END
            WHEN avg_month > 0 AND consumption > {r['max_multiple']} * avg_month * months
                THEN 'расход ' || consumption || ' кВт·ч больше ' || {r['max_multiple']:g} || ' средних ('
                     || 'среднемесячный ' || round(avg_month)::BIGINT || ' кВт·ч)'
            END AS reason FROM e)
        ORDER BY _row"""
    return store.arrow(sql, {"rc_cand": candidates}, large=len(candidates) > SMALL)


def save_readings(store: Store, results: pa.Table, *, batch_id: int | None = None) -> int:
    """Store checked readings (accepted and rejected, with reasons) in one statement; returns the count."""
    con = store.con
    con.register("rs_results", results)
    try:
        with store.transaction():
            first = store.next_id("reading")
            con.execute(
                "INSERT INTO reading (id, meter_id, zone, read_on, value, kind, source, status, reason, batch_id,"
                " entered_by) SELECT ? - 1 + row_number() OVER (ORDER BY _row), meter_id, zone, read_on, value,"
                " coalesce(kind, 'regular'), source, status, reason, ?, ? FROM rs_results",
                [first, batch_id, store.user])
    finally:
        con.unregister("rs_results")
    return len(results)


# ------------------------------------------------------------------------------- resolving input
def resolve_meters(store: Store, rows: pa.Table, file: str) -> tuple[pa.Table, list[RowError]]:
    """Typed input rows (`_row`, `account`, `serial`, `zone`, `date`, `value`, `source`) -> candidates.

    The meter is the one with the given serial among the account's meters, else the meter working on
    the date, else the last one installed before it (its reading is then rejected as of a removed
    meter). An unknown account, an account without a meter or a zone the meter lacks are format errors.
    """
    res = store.arrow("""
        WITH known AS MATERIALIZED (SELECT id, number FROM account
                                    WHERE number IN (SELECT DISTINCT account FROM rr_in)),
        am AS (SELECT a.number AS account, m.id AS meter_id, m.serial, m.zones, m.installed, m.removed
               FROM known a JOIN metering_point mp ON mp.account_id = a.id
               JOIN meter m ON m.metering_point_id = mp.id),
        pick AS (SELECT i._row, am.meter_id, am.zones, row_number() OVER (PARTITION BY i._row ORDER BY
                    (am.installed <= i.date AND (am.removed IS NULL OR am.removed >= i.date)) DESC,
                    (am.installed <= i.date) DESC, am.installed DESC, am.meter_id DESC) AS rn
                 FROM rr_in i JOIN am ON am.account = i.account AND (i.serial IS NULL OR am.serial = i.serial))
        SELECT i._row, i.zone, i.date, i.value, i.source, p.meter_id, CASE
            WHEN i.account IS NULL OR i.zone IS NULL OR i.date IS NULL OR i.value IS NULL THEN NULL
            WHEN NOT EXISTS (SELECT 1 FROM known a WHERE a.number = i.account)
                THEN 'account|нет лицевого счёта «' || i.account || '»'
            WHEN p.meter_id IS NULL AND i.serial IS NOT NULL
                THEN 'serial|у ЛС ' || i.account || ' нет прибора учёта № ' || i.serial
            WHEN p.meter_id IS NULL THEN 'account|у ЛС ' || i.account || ' нет прибора учёта'
            WHEN i.zone > p.zones
                THEN 'zone|у прибора учёта ' || p.zones || ' зон(ы), а указана зона ' || i.zone
            END AS problem,
            i.account IS NULL OR i.zone IS NULL OR i.date IS NULL OR i.value IS NULL AS incomplete
        FROM rr_in i LEFT JOIN pick p ON p._row = i._row AND p.rn = 1
        ORDER BY i._row""", {"rr_in": rows}, large=len(rows) > SMALL)
    import pyarrow.compute as pc

    errors: list[RowError] = []
    bad = res.filter(pc.is_valid(res.column("problem")))
    for r, problem in zip(bad.column("_row").to_pylist(), bad.column("problem").to_pylist()):
        col, msg = problem.split("|", 1)
        errors.append(RowError(file, r, msg, col))
    good = res.filter(pc.and_(pc.is_null(res.column("problem")), pc.invert(res.column("incomplete"))))
    cand = pa.table({
        "_row": good.column("_row").cast(pa.int64()),
        "meter_id": good.column("meter_id").cast(pa.int64()),
        "zone": good.column("zone").cast(pa.int8()),
        "read_on": good.column("date").cast(pa.date32()),
        "value": good.column("value").cast(pa.int64()),
        "source": good.column("source").cast(pa.string()),
        "kind": pa.nulls(len(good), pa.string()),   # regular (save_readings fills it)
    })
    return cand, errors


def parse_rows(store: Store, table: pa.Table, file: str) -> tuple[pa.Table, list[RowError]]:
    """Raw text columns of the readings file -> typed rows and format errors (vectorised SQL)."""
    rows, errors = typed_rows(store.con, table, FILE_COLUMNS, file)
    return rows, errors


@dataclass
class ImportReport:
    rows: int
    accepted: int
    rejected: int
    batch_id: int
    results: pa.Table


@requires("readings.enter")
def import_readings(store: Store, table: object) -> ImportReport:
    """Import a readings file (a `sbyt.io.tabular.Table`): all or nothing for format errors; implausible
    readings are stored as rejected and listed in the report."""
    from sbyt.core.errors import RefusedError

    file = table.file  # type: ignore[attr-defined]
    sha = table.sha256  # type: ignore[attr-defined]
    old = store.scalar("SELECT id FROM import_batch WHERE kind = 'readings' AND sha256 = ?", [sha])
    if old is not None:
        raise RefusedError(f"Файл {file} уже загружен (пакет {old}, тот же SHA-256): повторная загрузка запрещена.")
    open_period(store)  # a clear message when the store has no open month
    names = [c.name for c in FILE_COLUMNS]
    errors: list[RowError] = list(table.errors)  # type: ignore[attr-defined]
    for c in table.columns:  # type: ignore[attr-defined]
        if c and c not in names:
            errors.append(RowError(file, 1, f"неизвестная колонка (ожидаются: {', '.join(names)})", c))
    for c in FILE_COLUMNS:
        if c.required and c.name not in table.columns:  # type: ignore[attr-defined]
            errors.append(RowError(file, 1, "нет обязательной колонки", c.name))
    if not len(table):  # type: ignore[arg-type]
        errors.append(RowError(file, 2, "в файле нет ни одного показания"))
    rows, format_errors = parse_rows(store, table.to_arrow(names), file)  # type: ignore[attr-defined]
    errors += format_errors
    cand, ref_errors = resolve_meters(store, rows, file)
    errors += ref_errors
    if errors:
        errors.sort(key=lambda e: (e.row, names.index(e.column) if e.column in names else -1))
        raise ValidationError(errors)
    results = check_readings(store, cand)
    with store.transaction():
        batch_id = store.next_id("import_batch")
        save_readings(store, results, batch_id=batch_id)
        accepted = int(store.scalar("SELECT count(*) FROM reading WHERE batch_id = ? AND status = 'accepted'",
                                    [batch_id]))
        store.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows) "
                      "VALUES (?, 'readings', ?, ?, ?, ?)", [batch_id, file, sha, store.user, len(results)])
        store.audit("command", "readings_import", batch_id, new=f'{{"rows": {len(results)}, "accepted": {accepted}}}')
    return ImportReport(len(results), accepted, len(results) - accepted, batch_id, results)


@dataclass
class AddResult:
    account: str
    serial: str
    zone: int
    read_on: date
    value: int
    prev_value: int | None
    prev_date: date | None
    consumption: int | None
    status: str
    reason: str | None


def default_day(store: Store, today: date | None = None) -> date:
    """The day of a reading entered without one: today moved into the open month (its last day once
    that month is over, as when November's readings come in early December), so it counts for the
    open month instead of silently starting the next one."""
    return day_within(open_period(store), today or clock.today())


def counts_for(day: date) -> str:
    """«учитывается в расчёте за ноябрь 2026»: the month whose accrual uses a reading of `day`."""
    return f"учитывается в расчёте за {period_title(period_of(day))}"


@requires("readings.enter")
def enter_readings(store: Store, candidates: pa.Table, sessions: dict[int, object] | None = None,
                   numbers: dict[int, str] | None = None) -> pa.Table:
    """Readings a person enters (`sbyt readings add`, the console's dialog): checked again against
    the store as it is now, stored — the rejected ones with their reasons — with one audit row per
    reading, in one transaction. Returns `check_readings`' result. `sessions`: who entered the
    candidate of each `_row`, when one batch carries several people's entries (else the store's);
    `numbers`: the account of each meter, when the caller knows them (else read here)."""
    results = check_readings(store, candidates)
    rows = results.to_pylist()
    if numbers is None:
        numbers = dict(store.all(
            "SELECT m.id, a.number FROM meter m JOIN metering_point p ON p.id = m.metering_point_id"
            " JOIN account a ON a.id = p.account_id WHERE m.id IN (SELECT unnest(?::BIGINT[]))",
            [sorted({int(r["meter_id"]) for r in rows})]))
    with store.transaction():
        save_readings(store, results)
        store.audit_rows([("insert", "reading", numbers.get(r["meter_id"]), None, json.dumps(
            {"account": numbers.get(r["meter_id"]), "meter_id": r["meter_id"], "zone": r["zone"],
             "date": r["read_on"].isoformat(), "value": r["value"], "status": r["status"]}, ensure_ascii=False),
            (sessions or {}).get(r["_row"])) for r in rows])
    return results


@dataclass(frozen=True)
class _Entry:
    store: Store
    account: str
    value: int
    zone: int
    on: date | None
    serial: str | None
    source: str


@requires("readings.enter")
def add_reading(store: Store, account: str, value: int, *, zone: int = 1, on: date | None = None,
                serial: str | None = None, source: str = "operator") -> AddResult:
    """Enter one reading: control, store (also when rejected), return the result. Without a date the
    reading is dated `default_day` (it counts for the open month). Entries made at the same moment
    (many operators on one server) are checked and written together (`_ENTRIES`), each with its own
    result, refusal and audit row, as if entered one after another in their order of arrival."""
    if not (len(account) == 10 and account.isdigit()):
        raise SbytError(f"Номер лицевого счёта должен состоять ровно из 10 цифр: «{account}»")
    if value < 0:
        raise SbytError("Показание не может быть отрицательным")
    return _ENTRIES.submit(_Entry(store, account, value, zone, on, serial, source))


def _add_batch(leader: _Entry, batch: Sequence[_Entry]) -> list[AddResult | BaseException]:
    """One round per repetition of an account (its second entry is checked against its first, as
    when entered one after another, not as a repeated row of a file)."""
    store = leader.store
    day = default_day(store)                    # also refuses when no month is open
    known = {r[0] for r in store.all("SELECT number FROM account WHERE number IN (SELECT unnest(?::VARCHAR[]))",
                                     [sorted({e.account for e in batch})])}
    out: list[AddResult | BaseException | None] = [None] * len(batch)
    seen: dict[str, int] = {}
    rounds: dict[int, list[int]] = {}
    for i, e in enumerate(batch):
        if e.account not in known:
            out[i] = NotFoundError(f"Лицевой счёт {e.account} не найден")
            continue
        seen[e.account] = seen.get(e.account, -1) + 1
        rounds.setdefault(seen[e.account], []).append(i)
    for todo in rounds.values():
        _add_round(store, [batch[i] for i in todo], [batch[i].on or day for i in todo], todo, out)
    return out                                                  # type: ignore[return-value]


def _add_round(store: Store, entries: list[_Entry], days: list[date], where: list[int],
               out: list[AddResult | BaseException | None]) -> None:
    """Entries of distinct accounts: resolved, checked and written together; results to `out[where]`."""
    rows = pa.table({"_row": pa.array(range(1, len(entries) + 1), pa.int64()),
                     "account": [e.account for e in entries],
                     "serial": pa.array([e.serial for e in entries], pa.string()),
                     "zone": pa.array([e.zone for e in entries], pa.int64()),
                     "date": pa.array(days, pa.date32()),
                     "value": pa.array([e.value for e in entries], pa.int64()),
                     "source": [e.source for e in entries]})
    cand, errors = resolve_meters(store, rows, "")
    for err in errors:
        out[where[err.row - 1]] = SbytError(err.message[0].upper() + err.message[1:])
    if not len(cand):
        return
    numbers = {int(m): entries[r - 1].account for r, m in zip(cand.column("_row").to_pylist(),
                                                             cand.column("meter_id").to_pylist())}
    results = enter_readings(store, cand, {k + 1: e.store.session for k, e in enumerate(entries)},
                             numbers).to_pylist()
    serials = dict(store.all("SELECT id, serial FROM meter WHERE id IN (SELECT unnest(?::BIGINT[]))",
                             [sorted({int(r["meter_id"]) for r in results})]))
    for r in results:
        k = r["_row"] - 1
        e = entries[k]
        out[where[k]] = AddResult(e.account, serials[r["meter_id"]], e.zone, days[k], e.value, r["prev_value"],
                                  r["prev_date"], r["consumption"], r["status"], r["reason"])


_ENTRIES: GroupCommit[_Entry, AddResult] = GroupCommit(_add_batch)


def list_readings(store: Store, account: str) -> Sequence[tuple]:
    if not store.scalar("SELECT count(*) FROM account WHERE number = ?", [account]):
        raise NotFoundError(f"Лицевой счёт {account} не найден")
    return store.all("""
        SELECT r.read_on, m.serial, r.zone, r.value, r.kind, r.source, r.status, r.reason
        FROM reading r JOIN meter m ON m.id = r.meter_id JOIN metering_point mp ON mp.id = m.metering_point_id
        JOIN account a ON a.id = mp.account_id
        WHERE a.number = ? ORDER BY r.read_on, r.zone, r.id""", [account])
