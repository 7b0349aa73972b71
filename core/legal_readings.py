"""Readings of legal-entity measuring complexes: integral readings (entry and the XLSX template) and
the hourly-volumes template; the monthly volume of a complex from its readings.

Integral readings (`legal_reading`, categories 1–2: the month's volume by zone) are the dial as read,
before the transformer ratios. They are entered one at a time (`add_legal_reading`: source `manual`
or `controller`, the household habit of `sbyt readings add`) or loaded from the integral template
(`import_integral`, source `template`). Both go through one vectorised control (`check_legal`);
a reading that fails it is stored as rejected with its reason:

  * one accepted reading per complex, zone and date (a repeated one is rejected; so is a repeat of an
    earlier row of the same file);
  * the value must fit the meter's digits (`legal_meter.digits` before the decimal point);
  * a value lower than the previous accepted reading of the complex and zone is rejected unless it is
    a rollover (the previous one in the top tenth of the dial, the new one in the bottom tenth — the
    households' rule, `sbyt.core.rollover`); a value above the next accepted reading (a reading dated
    between two known ones) likewise;
  * the volume since the previous reading, (value − previous) × ct_ratio × vt_ratio, must not exceed
    what the point's maximum capacity gives over the time between them (max_kw × 24 × days).

Readings of one file chain on each other in date order exactly as if entered one after another: the
control is repeated until no status changes, each round settling at least one more reading of each
chain. A date in a closed month is refused (`ensure_open_on`) — for a file, every such row is named
and nothing is written.

The monthly volume of a complex (`monthly_volumes`) for month P, by zone: the sum over consecutive
accepted readings of the zone ending in P of their differences (through a rollover), × ct × vt —
that is end of P − the last reading before P (or the first reading in P for a new complex).

The hourly template (`import_hourly`) is one row per complex and day with 24 hour columns of kWh
(with the ratios, as АСКУЭ gives them); an empty cell is a gap. It is validated whole (every bad row
named with file and row) and stored through `sbyt.core.meter_hours.import_hours` — the same control
(over the maximum capacity → rejected) and substitute rule (`askue.substitute`) as 80020. Column
layouts: docs/legal.md, `sbyt readings legal-template`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc

from sbyt.core.access import requires
from sbyt.core.errors import NotFoundError, RefusedError, RowError, SbytError, ValidationError
from sbyt.core.loading.columns import Col, typed_rows
from sbyt.core.meter_hours import METER_HOURS_SCHEMA, HourFile, HoursReport, import_hours
from sbyt.core.period_state import ensure_open_on
from sbyt.core.periods import first_day, last_day
from sbyt.core.store import Store

SOURCES = ("manual", "controller", "template")
ENTRY_SOURCES = ("manual", "controller")
SCALE = 4                         # decimal places of a reading (legal_reading.value DECIMAL(15, 4))

_POINT = Col("точка поставки", "text", False, "Код точки поставки; можно не заполнять, если указан прибор учёта", "TP1")
_SERIAL = Col("прибор учёта", "text", False, "Заводской номер прибора учёта; можно не заполнять, если в точке "
              "поставки на дату работает один прибор", "012345")

# The integral-readings template (docs/legal.md): one row per complex, zone and date.
INTEGRAL_COLUMNS = (
    _POINT, _SERIAL,
    Col("дата", "date", True, "Дата снятия показания", "2026-11-30"),
    Col("зона", "int", False, "Зона: 1 — день/пик (у однотарифного прибора — единственная), 2 — ночь/полупик, "
        "3 — ночь; пусто — 1", "1", min=1, max=3, default="1"),
    Col("показание", "dec4", True, "Показание прибора как на табло, без коэффициентов трансформации, "
        "до 4 знаков после запятой", "12345,67", min=0),
)

# The hourly-volumes template: one row per complex and day, hours 1..24 (hour 1 = 00:00–01:00).
HOURS = tuple(range(1, 25))
HOURLY_COLUMNS = (
    _POINT, _SERIAL,
    Col("дата", "date", True, "День", "2026-11-01"),
    *(Col(str(h), "dec3", False, f"Объём за час {h} ({h - 1:02d}:00–{h % 24:02d}:00), кВт·ч с учётом "
          "коэффициентов трансформации, до 3 знаков после запятой; пусто — нет данных", "12,5", min=0)
      for h in HOURS),
)


def _num(expr: str) -> str:
    """SQL: a decimal as an operator reads it (no trailing zeros, a decimal comma)."""
    s = f"CAST({expr} AS VARCHAR)"
    return f"replace(CASE WHEN contains({s}, '.') THEN rtrim(rtrim({s}, '0'), '.') ELSE {s} END, '.', ',')"


def num_text(value: Decimal | int | None) -> str:
    """The Python twin of `_num`."""
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# ------------------------------------------------------------------------------- finding the complex
def _resolve(store: Store, rows: pa.Table, *, hours: bool) -> pa.Table:
    """Rows (`_row`, `point`, `serial`, `day`) -> (`_row`, `meter_id`, `serial`, `problem`).

    The complex is the one working on the day among those of the point (`point`) with the serial
    (`serial`); either may be empty, not both. A reading may be taken on the day of removal; an hour
    belongs to the days from installation to the day before removal. `problem`: 'column|nf|message'
    (nf: nothing of that name exists) or 'column||message'; NULL when found (or the day is missing —
    a format error then names the row)."""
    removed_ok = "m.removed > i.day" if hours else "m.removed >= i.day"
    return store.arrow(f"""
        WITH i AS (SELECT _row, point, serial, day FROM lr_keys),
        c AS (SELECT i._row, m.id AS meter_id, m.serial, p.code, m.installed, m.removed,
                     m.installed <= i.day AND (m.removed IS NULL OR {removed_ok}) AS works
              FROM i JOIN legal_meter m ON i.serial IS NULL OR m.serial = i.serial
              JOIN legal_point p ON p.id = m.point_id AND (i.point IS NULL OR p.code = i.point)
              WHERE i.day IS NOT NULL AND (i.point IS NOT NULL OR i.serial IS NOT NULL)),
        a AS (SELECT _row, count(*) AS known, count(*) FILTER (WHERE works) AS working,
                     any_value(meter_id) FILTER (WHERE works) AS meter_id,
                     any_value(serial) FILTER (WHERE works) AS found_serial,
                     string_agg(DISTINCT code, ', ' ORDER BY code) FILTER (WHERE works) AS codes,
                     any_value(serial) AS one_serial, any_value(installed) AS installed,
                     any_value(removed) AS removed
              FROM c GROUP BY _row)
        SELECT i._row, CASE WHEN a.working = 1 THEN a.meter_id END AS meter_id, a.found_serial AS serial, CASE
            WHEN i.day IS NULL THEN NULL
            WHEN i.point IS NULL AND i.serial IS NULL
                THEN 'точка поставки||укажите код точки поставки или заводской номер прибора учёта'
            WHEN i.point IS NOT NULL AND NOT EXISTS (SELECT 1 FROM legal_point p WHERE p.code = i.point)
                THEN 'точка поставки|nf|нет точки поставки «' || i.point || '»'
            WHEN coalesce(a.known, 0) = 0 AND i.serial IS NOT NULL AND i.point IS NOT NULL
                THEN 'прибор учёта|nf|в точке поставки ' || i.point || ' нет прибора учёта № ' || i.serial
            WHEN coalesce(a.known, 0) = 0 AND i.serial IS NOT NULL
                THEN 'прибор учёта|nf|нет прибора учёта № ' || i.serial
            WHEN coalesce(a.known, 0) = 0
                THEN 'точка поставки|nf|в точке поставки ' || i.point || ' нет приборов учёта'
            WHEN a.working = 0 AND a.known = 1
                THEN 'прибор учёта||прибор учёта № ' || a.one_serial || ' на ' || strftime(i.day, '%d.%m.%Y')
                     || ' не работает (' || CASE WHEN i.day < a.installed
                          THEN 'установлен ' || strftime(a.installed, '%d.%m.%Y')
                          ELSE 'снят ' || strftime(a.removed, '%d.%m.%Y') END || ')'
            WHEN a.working = 0
                THEN 'прибор учёта||на ' || strftime(i.day, '%d.%m.%Y') || ' не работает ни один из приборов учёта'
            WHEN a.working > 1 AND i.serial IS NULL
                THEN 'прибор учёта||в точке поставки ' || i.point || ' несколько приборов учёта: укажите заводской номер'
            WHEN a.working > 1
                THEN 'точка поставки||приборов учёта № ' || i.serial || ' несколько (точки поставки ' || a.codes
                     || '): укажите точку поставки'
            END AS problem
        FROM i LEFT JOIN a ON a._row = i._row ORDER BY i._row""", {"lr_keys": rows})


def _problems(res: pa.Table, file: str) -> list[RowError]:
    bad = res.filter(pc.is_valid(res.column("problem")))
    out = []
    for r, problem in zip(bad.column("_row").to_pylist(), bad.column("problem").to_pylist()):
        col, _, msg = problem.split("|", 2)
        out.append(RowError(file, r, msg, col))
    return out


# ------------------------------------------------------------------------------- control
CANDIDATE_SCHEMA = pa.schema([("_row", pa.int64()), ("meter_id", pa.int64()), ("zone", pa.int8()),
                              ("read_on", pa.date32()), ("value", pa.decimal128(15, SCALE)),
                              ("source", pa.string())])


def _check_once(store: Store, candidates: pa.Table, chained: pa.Table) -> pa.Table:
    """One round of the control; `chained`: the `_row`s of candidates that count as previous/next
    readings of the others (all at first, then those accepted by the round before)."""
    return store.arrow(f"""
        WITH c AS (SELECT c.*, m.digits, m.ct_ratio, m.vt_ratio, f.max_kw, CAST(pow(10, m.digits) AS BIGINT) AS dial
                   FROM lr_cand c JOIN legal_meter m ON m.id = c.meter_id
                   LEFT JOIN legal_point_fact f ON f.point_id = m.point_id AND f.valid_from <= c.read_on
                       AND (f.valid_to IS NULL OR f.valid_to > c.read_on)),
        store_hist AS MATERIALIZED (SELECT r.meter_id, r.zone, r.read_on, r.value FROM legal_reading r
                       WHERE r.status = 'accepted' AND r.meter_id IN (SELECT DISTINCT meter_id FROM lr_cand)),
        hist AS (SELECT meter_id, zone, read_on, value FROM store_hist
                 UNION ALL
                 SELECT meter_id, zone, read_on, value FROM (
                     SELECT x.*, row_number() OVER (PARTITION BY meter_id, zone, read_on ORDER BY _row) AS k
                     FROM lr_cand x SEMI JOIN lr_chained ch ON ch._row = x._row
                     ANTI JOIN store_hist s ON s.meter_id = x.meter_id AND s.zone = x.zone AND s.read_on = x.read_on)
                 WHERE k = 1),
        p AS (SELECT c.*, h.read_on AS prev_date, h.value AS prev_value
              FROM c ASOF LEFT JOIN hist h ON c.meter_id = h.meter_id AND c.zone = h.zone AND c.read_on > h.read_on),
        n AS (SELECT p.*, h.read_on AS next_date, h.value AS next_value
              FROM p ASOF LEFT JOIN store_hist h
                ON p.meter_id = h.meter_id AND p.zone = h.zone AND p.read_on < h.read_on),
        d AS (SELECT n.*, sd.same_day,
                     min(n._row) OVER (PARTITION BY n.meter_id, n.zone, n.read_on) AS first_row,
                     CASE WHEN prev_value IS NULL THEN NULL
                          WHEN value >= prev_value THEN value - prev_value
                          WHEN 10 * prev_value >= 9 * dial AND 10 * value < dial THEN value + dial - prev_value
                     END AS diff,
                     next_value IS NOT NULL AND next_value < value
                         AND NOT (10 * value >= 9 * dial AND 10 * next_value < dial) AS above_next
              FROM n LEFT JOIN (SELECT meter_id, zone, read_on, min(value) AS same_day FROM store_hist GROUP BY ALL) sd
                ON sd.meter_id = n.meter_id AND sd.zone = n.zone AND sd.read_on = n.read_on),
        e AS (SELECT d.*, CAST(diff * ct_ratio * vt_ratio AS DECIMAL(18, {SCALE})) AS kwh,
                     24 * (read_on - prev_date) AS hours FROM d)
        SELECT _row, meter_id, zone, read_on, value, source, prev_value, prev_date, kwh,
               CASE WHEN reason IS NULL THEN 'accepted' ELSE 'rejected' END AS status, reason
        FROM (SELECT e.*, CASE
            WHEN same_day IS NOT NULL
                THEN 'на эту дату уже есть принятое показание (' || {_num('same_day')} || ')'
            WHEN _row <> first_row
                THEN 'повтор: показание на эту дату уже есть в строке ' || first_row
            WHEN value >= dial
                THEN 'показание больше разрядности прибора (' || digits || ' знаков до запятой)'
            WHEN prev_value IS NOT NULL AND diff IS NULL
                THEN 'показание ' || {_num('value')} || ' меньше предыдущего ' || {_num('prev_value')} || ' от '
                     || strftime(prev_date, '%d.%m.%Y')
            WHEN above_next
                THEN 'показание ' || {_num('value')} || ' больше следующего ' || {_num('next_value')} || ' от '
                     || strftime(next_date, '%d.%m.%Y')
            WHEN max_kw IS NOT NULL AND kwh > max_kw * hours
                THEN 'расход ' || {_num('kwh')} || ' кВт·ч больше возможного при максимальной мощности '
                     || {_num('max_kw')} || ' кВт за ' || hours || ' ч'
            END AS reason FROM e)
        ORDER BY _row""", {"lr_cand": candidates, "lr_chained": chained})


def check_legal(store: Store, candidates: pa.Table) -> pa.Table:
    """Control integral readings without writing (`candidates`: CANDIDATE_SCHEMA). Returns the rows with
    `prev_value`, `prev_date`, `kwh` (the volume since the previous reading with the ratios, NULL
    without one), `status` and `reason` — as if the candidates were entered one after another in date
    order (see the module docstring): a candidate depends on the earlier-dated ones only (the next
    reading it must not exceed is a stored one), so round k settles the k-th of every chain."""
    chained = candidates.select(["_row"])
    for _ in range(len(candidates) + 1):
        res = _check_once(store, candidates, chained)
        accepted = res.filter(pc.equal(res.column("status"), "accepted")).select(["_row"])
        if accepted.num_rows == chained.num_rows and accepted.column("_row").equals(chained.column("_row")):
            return res
        chained = accepted
    return res


def _save(store: Store, results: pa.Table, batch_id: int | None) -> None:
    con = store.con
    con.register("lr_results", results)
    try:
        first = store.next_id("legal_reading")
        con.execute("INSERT INTO legal_reading (id, meter_id, zone, read_on, value, source, status, reason, batch_id,"
                    " entered_by) SELECT ? - 1 + row_number() OVER (ORDER BY _row), meter_id, zone, read_on, value,"
                    " source, status, reason, ?, ? FROM lr_results", [first, batch_id, store.user])
    finally:
        con.unregister("lr_results")


# ------------------------------------------------------------------------------- one reading
@dataclass(frozen=True)
class LegalAddResult:
    point: str
    serial: str
    zone: int
    read_on: date
    value: Decimal
    prev_value: Decimal | None
    prev_date: date | None
    kwh: Decimal | None
    status: str
    reason: str | None


@requires("readings.enter")
def add_legal_reading(store: Store, key: str, value: Decimal, *, zone: int = 1, on: date | None = None,
                      serial: str | None = None, source: str = "manual") -> LegalAddResult:
    """Enter one integral reading of a complex: `key` is a supply point's code (then `serial` picks
    the meter when the point has several) or a meter's serial. Without a date the reading is dated as
    a household one (`core.readings.default_day`). A closed month is refused; a reading failing the
    control is stored as rejected and returned so."""
    from sbyt.core.readings import default_day

    if source not in ENTRY_SOURCES:
        raise SbytError(f"Источник показания: manual (ручной ввод) или controller (контролёр), а не «{source}».")
    if not 1 <= zone <= 3:
        raise SbytError(f"Зона — 1, 2 или 3, а не {zone}.")
    value = Decimal(value)
    if value < 0:
        raise SbytError("Показание не может быть отрицательным.")
    if value != value.quantize(Decimal(1).scaleb(-SCALE)):
        raise SbytError(f"Показание — не больше {SCALE} знаков после запятой: «{num_text(value)}».")
    day = on or default_day(store)
    ensure_open_on(store, day)
    is_point = store.scalar("SELECT count(*) FROM legal_point WHERE code = ?", [key])
    point, serial = (key, serial) if is_point else (None, serial or key)
    found = _resolve(store, pa.table({"_row": pa.array([1], pa.int64()), "point": pa.array([point], pa.string()),
                                      "serial": pa.array([serial], pa.string()), "day": pa.array([day], pa.date32())}),
                     hours=False).to_pylist()[0]
    if found["problem"]:
        _col, nf, msg = found["problem"].split("|", 2)
        raise (NotFoundError if nf else SbytError)(msg[:1].upper() + msg[1:] + ".")
    cand = pa.table({"_row": [1], "meter_id": [found["meter_id"]], "zone": [zone], "read_on": [day],
                     "value": [value], "source": [source]}, schema=CANDIDATE_SCHEMA)
    results = check_legal(store, cand)
    res = results.to_pylist()[0]
    code = store.scalar("SELECT p.code FROM legal_meter m JOIN legal_point p ON p.id = m.point_id WHERE m.id = ?",
                        [found["meter_id"]])
    with store.transaction():
        _save(store, results, None)
        store.audit("insert", "legal_reading", code, None, json.dumps(
            {"point": code, "serial": found["serial"], "zone": zone, "date": day.isoformat(),
             "value": num_text(value), "source": source, "status": res["status"]}, ensure_ascii=False))
    return LegalAddResult(code, found["serial"], zone, day, value, res["prev_value"], res["prev_date"],
                          res["kwh"], res["status"], res["reason"])


# ------------------------------------------------------------------------------- templates
def _columns_errors(table: object, columns: tuple[Col, ...], file: str) -> list[RowError]:
    names = [c.name for c in columns]
    errors: list[RowError] = list(table.errors)  # type: ignore[attr-defined]
    for c in table.columns:  # type: ignore[attr-defined]
        if c and c not in names:
            errors.append(RowError(file, 1, "неизвестная колонка (ожидаются: " + ", ".join(names) + ")", c))
    for c in columns:
        if (c.required or c.name.isdigit()) and c.name not in table.columns:  # type: ignore[attr-defined]
            errors.append(RowError(file, 1, "нет обязательной колонки", c.name))
    if _POINT.name not in table.columns and _SERIAL.name not in table.columns:  # type: ignore[attr-defined]
        errors.append(RowError(file, 1, "нужна колонка «точка поставки» или «прибор учёта»"))
    if not len(table):  # type: ignore[arg-type]
        errors.append(RowError(file, 2, "в файле нет ни одной строки"))
    return errors


def _typed(store: Store, raw: pa.Table, columns: tuple[Col, ...], file: str) -> tuple[pa.Table, list[RowError]]:
    """Raw text columns -> typed rows (`_row`, `point`, `serial`, `day`, …) and format errors."""
    return typed_rows(store.con, raw, columns, file, {_POINT.name: "point", _SERIAL.name: "serial", "дата": "day"})


def _closed_rows(store: Store, rows: pa.Table, file: str) -> list[RowError]:
    """Every row dated in a closed month (or before the store's first month)."""
    found = store.arrow("""
        SELECT _row, day FROM lr_days r WHERE day IS NOT NULL AND (
            EXISTS (SELECT 1 FROM billing_period bp WHERE bp.period = year(r.day) * 100 + month(r.day)
                    AND bp.status = 'closed')
            OR year(r.day) * 100 + month(r.day) < (SELECT min(period) FROM billing_period))
        ORDER BY _row""", {"lr_days": rows.select(["_row", "day"])}).to_pylist()
    return [RowError(file, r["_row"], f"месяц {r['day']:%m.%Y} закрыт: загрузка в закрытый период запрещена", "дата")
            for r in found]


def _refuse_twice(store: Store, kind: str, file: str, sha: str) -> None:
    old = store.scalar("SELECT id FROM import_batch WHERE kind = ? AND sha256 = ?", [kind, sha])
    if old is not None:
        raise RefusedError(f"Файл {file} уже загружен (пакет {old}, тот же SHA-256): повторная загрузка запрещена.")


def _raise(errors: list[RowError], columns: tuple[Col, ...]) -> None:
    if errors:
        order = [c.name for c in columns]
        errors.sort(key=lambda e: (e.row, order.index(e.column) if e.column in order else -1))
        raise ValidationError(errors)


@dataclass(frozen=True)
class IntegralReport:
    rows: int
    accepted: int
    rejected: int
    batch_id: int
    results: pa.Table


@requires("readings.enter")
def import_integral(store: Store, table: object) -> IntegralReport:
    """Load the integral-readings template (a `sbyt.io.tabular.Table` with the template's column names):
    all or nothing for format errors, unknown complexes and closed months; readings failing the
    control are stored as rejected with their reasons and listed in the report."""
    file, sha = table.file, table.sha256  # type: ignore[attr-defined]
    _refuse_twice(store, "legal_readings", file, sha)
    errors = _columns_errors(table, INTEGRAL_COLUMNS, file)
    raw = table.to_arrow([c.name for c in INTEGRAL_COLUMNS])  # type: ignore[attr-defined]
    rows, format_errors = _typed(store, raw, INTEGRAL_COLUMNS, file)
    errors += format_errors + _closed_rows(store, rows, file)
    found = _resolve(store, rows.select(["_row", "point", "serial", "day"]), hours=False)
    errors += _problems(found, file)
    _raise(errors, INTEGRAL_COLUMNS)
    cand = store.arrow(f"""SELECT r._row, f.meter_id, CAST(r."зона" AS TINYINT) AS zone, r.day AS read_on,
                                  CAST(r."показание" AS DECIMAL(15, {SCALE})) AS value, 'template' AS source
                           FROM lr_rows r JOIN lr_found f USING (_row) ORDER BY r._row""",
                       {"lr_rows": rows, "lr_found": found.select(["_row", "meter_id"])}).cast(CANDIDATE_SCHEMA)
    results = check_legal(store, cand)
    accepted = pc.sum(pc.equal(results.column("status"), "accepted")).as_py() or 0
    with store.transaction():
        batch_id = store.next_id("import_batch")
        _save(store, results, batch_id)
        store.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, note)"
                      " VALUES (?, 'legal_readings', ?, ?, ?, ?, 'интегральные показания ЮЛ (шаблон)')",
                      [batch_id, file, sha, store.user, len(results)])
        store.audit("command", "legal_readings_import", batch_id,
                    new=f'{{"rows": {len(results)}, "accepted": {accepted}}}')
    return IntegralReport(len(results), accepted, len(results) - accepted, batch_id, results)


@requires("readings.enter")
def import_hourly(store: Store, table: object) -> HoursReport:
    """Load the hourly-volumes template (a `sbyt.io.tabular.Table`): validated whole — format, unknown
    complexes, a complex and day twice, a day already loaded, a closed month — then stored through
    `import_hours` (control over the maximum capacity, gaps by the substitute rule)."""
    file, sha = table.file, table.sha256  # type: ignore[attr-defined]
    _refuse_twice(store, "legal_hours", file, sha)
    errors = _columns_errors(table, HOURLY_COLUMNS, file)
    raw = table.to_arrow([c.name for c in HOURLY_COLUMNS])  # type: ignore[attr-defined]
    rows, format_errors = _typed(store, raw, HOURLY_COLUMNS, file)
    errors += format_errors + _closed_rows(store, rows, file)
    found = _resolve(store, rows.select(["_row", "point", "serial", "day"]), hours=True)
    errors += _problems(found, file)
    keyed = store.arrow("""
        SELECT f._row, f.meter_id, f.serial, r.day, min(f._row) OVER (PARTITION BY f.meter_id, r.day) AS first_row,
               (SELECT min(x.batch_id) FROM meter_hour x WHERE x.meter_id = f.meter_id AND x.day = r.day) AS loaded
        FROM lr_found f JOIN lr_rows r USING (_row) WHERE f.meter_id IS NOT NULL ORDER BY f._row""",
                        {"lr_found": found, "lr_rows": rows.select(["_row", "day"])}).to_pylist()
    for k in keyed:
        if k["_row"] != k["first_row"]:
            errors.append(RowError(file, k["_row"], f"повтор: прибор учёта № {k['serial']} за {k['day']:%d.%m.%Y} "
                                   f"уже есть в строке {k['first_row']}"))
        elif k["loaded"] is not None:
            errors.append(RowError(file, k["_row"], f"почасовые объёмы прибора учёта № {k['serial']} за "
                                   f"{k['day']:%d.%m.%Y} уже загружены (пакет {k['loaded']})"))
    _raise(errors, HOURLY_COLUMNS)
    cols = ", ".join(f'"{h}"' for h in HOURS)
    hours = store.arrow(f"""
        WITH j AS (SELECT r.*, f.meter_id FROM lr_rows r JOIN lr_found f USING (_row))
        SELECT 0::INTEGER AS file_no, day, meter_id, CAST(hour AS TINYINT) AS hour,
               CAST(round(kwh * 1000) AS BIGINT) AS value_wh, NULL::TINYINT AS intervals, NULL::VARCHAR AS flag,
               kwh IS NOT NULL AS complete
        FROM j UNPIVOT INCLUDE NULLS (kwh FOR hour IN ({cols}))
        ORDER BY meter_id, day, CAST(hour AS TINYINT)""",
                        {"lr_rows": rows, "lr_found": found.select(["_row", "meter_id"])})
    hours = pa.table({"file_no": hours.column("file_no"), "day": hours.column("day"),
                      "meter_id": hours.column("meter_id"), "hour": hours.column("hour"),
                      "value_wh": pc.fill_null(hours.column("value_wh"), 0), "intervals": hours.column("intervals"),
                      "flag": hours.column("flag"), "complete": hours.column("complete")}).cast(METER_HOURS_SCHEMA)
    days = hours.column("day")
    lo, hi = pc.min(days).as_py(), pc.max(days).as_py()
    return import_hours(store, [HourFile(file, sha, lo, f"почасовые объёмы ЮЛ (шаблон) {lo:%d.%m.%Y}–{hi:%d.%m.%Y}")],
                        hours, kind="legal_hours")


# ------------------------------------------------------------------------------- volumes and lists
def monthly_volumes(store: Store, period: int, point_codes: list[str] | None = None) -> pa.Table:
    """The month's volume of each complex and zone with readings ending in the month (see the module
    docstring): point, serial, zone, start_date, start_value, end_date, end_value, ct_ratio, vt_ratio,
    dial (the difference on the dial) and kwh (dial × ct × vt), exact decimals."""
    first, last = first_day(period), last_day(period)
    return store.con.execute(f"""
        WITH m AS (SELECT m.id, m.serial, m.ct_ratio, m.vt_ratio, m.digits, p.code
                   FROM legal_meter m JOIN legal_point p ON p.id = m.point_id
                   WHERE ?::VARCHAR[] IS NULL OR p.code IN (SELECT unnest(?::VARCHAR[]))),
        pairs AS (SELECT * FROM legal_reading_step   -- migration 093: each reading less the previous one
                  WHERE read_on BETWEEN ? AND ? AND meter_id IN (SELECT id FROM m))
        SELECT m.code AS point, m.serial, p.zone, min(p.prev_date) AS start_date,
               arg_min(p.prev_value, p.prev_date) AS start_value, max(p.read_on) AS end_date,
               arg_max(p.value, p.read_on) AS end_value, m.ct_ratio, m.vt_ratio,
               CASE WHEN bool_and(p.diff IS NOT NULL) THEN CAST(sum(p.diff) AS DECIMAL(15, {SCALE})) END AS dial,
               CASE WHEN bool_and(p.diff IS NOT NULL)
                    THEN CAST(sum(p.diff) * m.ct_ratio * m.vt_ratio AS DECIMAL(18, {SCALE})) END AS kwh
        FROM pairs p JOIN m ON m.id = p.meter_id
        GROUP BY m.code, m.serial, p.meter_id, p.zone, m.ct_ratio, m.vt_ratio
        ORDER BY point, serial, zone""", [point_codes, point_codes, first, last]).to_arrow_table()


def list_legal_readings(store: Store, point_code: str) -> list[tuple]:
    """The readings of a supply point's complexes, newest first (accepted and rejected with reason)."""
    if not store.scalar("SELECT count(*) FROM legal_point WHERE code = ?", [point_code]):
        raise NotFoundError(f"Точка поставки {point_code} не найдена.")
    return store.all("""
        SELECT r.read_on, m.serial, r.zone, r.value, r.source, r.status, r.reason
        FROM legal_reading r JOIN legal_meter m ON m.id = r.meter_id JOIN legal_point p ON p.id = m.point_id
        WHERE p.code = ? ORDER BY r.read_on DESC, m.serial, r.zone, r.id DESC""", [point_code])
