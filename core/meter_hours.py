"""Hourly volumes of legal-entity measuring complexes (АСКУЭ 80020 files, one day each; the hourly
XLSX template, many days of many meters: `sbyt.core.legal_readings.import_hourly`).

A measuring complex is bound to an АСКУЭ measuring point and channel (`legal_meter.askue_code`,
`askue_channel`); the file's other points and channels are not ours and are skipped (listed in the
report). The template's hours name the complex itself (`METER_HOURS_SCHEMA`, `meter_id`). Each batch
of files is one import batch per file, all in one transaction; a file already imported (same
SHA-256) is refused, as is a day already loaded for a complex, the same complex and day in two files
of the batch, or a day in a closed month. Control, hour by hour: a volume above the point's maximum
capacity (kW × 1 h) is kept as rejected with its reason; an hour the file lacks (a gap) or whose
intervals are incomplete is filled by the substitute-information rule (`askue.substitute`, a dated text rule: `previous_day` —
the same hour of the day before, else 0 — the day before from the store or from the batch itself,
through a run of gaps of that hour on consecutive days, exactly as if the days were imported one
after another) and marked `substituted`. Rules: docs/legal.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa

from sbyt.core.access import requires
from sbyt.core.errors import RefusedError, SbytError
from sbyt.core.period_state import ensure_open, ensure_open_on
from sbyt.core.periods import period_of
from sbyt.core.store import Store

HOURS_SCHEMA = pa.schema([("file_no", pa.int32()), ("day", pa.date32()), ("point_code", pa.string()),
                          ("channel", pa.string()), ("hour", pa.int8()), ("value_wh", pa.int64()),
                          ("intervals", pa.int8()), ("flag", pa.string()), ("complete", pa.bool_())])
# The hourly template's hours: keyed by the measuring complex; `intervals` NULL (the reason of a gap
# then says no more than «нет данных за час»).
METER_HOURS_SCHEMA = pa.schema([("file_no", pa.int32()), ("day", pa.date32()), ("meter_id", pa.int64()),
                                ("hour", pa.int8()), ("value_wh", pa.int64()), ("intervals", pa.int8()),
                                ("flag", pa.string()), ("complete", pa.bool_())])


@dataclass(frozen=True)
class HourFile:
    file_name: str
    sha256: str
    day: date
    note: str | None = None      # the batch's note (default «АСКУЭ 80020 за ДД.ММ.ГГГГ»)


@dataclass(frozen=True)
class HoursReport:
    files: int
    hours: int
    measured: int
    substituted: int
    rejected: int
    skipped_points: list[str]


def _substitute_method(store: Store, on: date) -> str:
    text = store.scalar("SELECT text_value FROM dated_rule WHERE code = 'askue.substitute' AND valid_from <= ?"
                        " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1", [on, on])
    return text or "previous_day"


@requires("readings.enter")
def import_hours(store: Store, files: list[HourFile], hours: pa.Table, *, kind: str = "askue_80020") -> HoursReport:
    """Store the hours of parsed 80020 files (`hours`: HOURS_SCHEMA, `file_no` the index in `files`; every hour 1..24 of every
    point × channel of every file) or of hourly templates (`kind` 'legal_hours', `hours`: METER_HOURS_SCHEMA, every
    hour of every meter × day). All or nothing."""
    if not files:
        raise SbytError("Нет файлов для загрузки.")
    by_meter = "meter_id" in hours.schema.names
    for f in files:
        old = store.scalar("SELECT id FROM import_batch WHERE kind = ? AND sha256 = ?", [kind, f.sha256])
        if old is not None:
            raise RefusedError(f"Файл {f.file_name} уже загружен (пакет {old}, тот же SHA-256): "
                               "повторная загрузка запрещена.")
    for f in files:
        ensure_open_on(store, f.day)
    if len({f.sha256 for f in files}) != len(files):
        raise RefusedError("Один и тот же файл указан дважды.")
    methods = {m for m in (_substitute_method(store, f.day) for f in files)}
    if methods - {"previous_day", "zero"}:
        raise SbytError(f"Правило замещающей информации askue.substitute: «{', '.join(methods)}» — "
                        "допустимы previous_day, zero.")
    con = store.con
    con.register("_mh_in", hours)
    try:
        for (p,) in con.execute("SELECT DISTINCT year(day) * 100 + month(day) FROM _mh_in ORDER BY 1").fetchall():
            ensure_open(store, p)
        key = ("m.id = h.meter_id" if by_meter
               else "m.askue_code = h.point_code AND m.askue_channel = h.channel")
        what = ("'прибора учёта ' || m.serial" if by_meter
                else "'точки ' || h.point_code || ', канал ' || h.channel")
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _mh AS
            SELECT h.* {'EXCLUDE (meter_id)' if by_meter else ''}, m.id AS meter_id, p.max_kw, {what} AS what
            FROM _mh_in h JOIN legal_meter m ON {key}
                AND m.installed <= h.day AND (m.removed IS NULL OR m.removed > h.day)
            LEFT JOIN legal_point_fact p ON p.point_id = m.point_id AND p.valid_from <= h.day
                AND (p.valid_to IS NULL OR p.valid_to > h.day)""")
        skipped = [] if by_meter else [r[0] for r in con.execute(
            "SELECT DISTINCT point_code FROM _mh_in WHERE point_code NOT IN"
            " (SELECT askue_code FROM legal_meter WHERE askue_code IS NOT NULL) ORDER BY 1").fetchall()]
    finally:
        con.unregister("_mh_in")
    loaded = store.all("""SELECT DISTINCT h.what, h.day, b.id FROM _mh h
                          JOIN meter_hour x ON x.meter_id = h.meter_id AND x.day = h.day
                          JOIN import_batch b ON b.id = x.batch_id ORDER BY 2, 1 LIMIT 5""")
    if loaded:
        w, d, b = loaded[0]
        raise RefusedError(f"Данные {w} за {d:%d.%m.%Y} уже загружены (пакет {b}); "
                           "исправленные данные загружаются после отмены пакета.")
    twice = store.all("""SELECT what, day, list(DISTINCT file_no ORDER BY file_no) FROM _mh GROUP BY ALL
                         HAVING count(DISTINCT file_no) > 1 ORDER BY 2, 1 LIMIT 1""")
    if twice:
        w, d, nos = twice[0]
        raise RefusedError(f"Данные {w} за {d:%d.%m.%Y} есть в нескольких файлах: "
                           f"{', '.join(files[n].file_name for n in nos)}.")
    zero = "zero" in methods
    # The substitute of a gap: the same hour of the day before — stored, or of this batch (a run of gaps
    # of one hour on consecutive days takes the value before the run; a rejected one gives 0).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _mh_prev AS
        WITH seq AS (
            SELECT meter_id, day, hour, NOT complete AS gap,
                   complete AND NOT coalesce(value_wh > max_kw * 1000, false) AS usable, value_wh, true AS own
            FROM _mh
            UNION ALL
            SELECT x.meter_id, x.day, x.hour, false, x.status <> 'rejected', x.value_wh, false
            FROM meter_hour x SEMI JOIN (SELECT DISTINCT meter_id, day FROM _mh) k
                ON k.meter_id = x.meter_id AND k.day = x.day + 1),
        runs AS (SELECT *, day - CAST(row_number() OVER (PARTITION BY meter_id, hour ORDER BY day) AS INTEGER) AS run
                 FROM seq)
        SELECT meter_id, day, hour, value_before AS value_wh FROM (
            SELECT *, last_value(CASE WHEN NOT gap THEN CASE WHEN usable THEN value_wh ELSE 0 END END IGNORE NULLS)
                          OVER (PARTITION BY meter_id, hour, run ORDER BY day
                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS value_before
            FROM runs) r
        WHERE own AND gap""")
    with store.transaction():
        first = store.next_id("import_batch")
        batches = pa.table({"file_no": pa.array(range(len(files)), pa.int32()),
                            "batch_id": pa.array(range(first, first + len(files)), pa.int64())})
        con.register("_mh_batches", batches)
        try:
            con.execute(f"""
                INSERT INTO meter_hour (meter_id, day, hour, value_wh, status, flag, reason, batch_id)
                SELECT h.meter_id, h.day, h.hour,
                       CASE WHEN h.complete THEN h.value_wh
                            ELSE coalesce({'NULL' if zero else 'prev.value_wh'}, 0) END,
                       CASE WHEN NOT h.complete THEN 'substituted'
                            WHEN h.max_kw IS NOT NULL AND h.value_wh > h.max_kw * 1000 THEN 'rejected'
                            ELSE 'measured' END,
                       h.flag,
                       CASE WHEN NOT h.complete THEN 'нет данных за час'
                                    || coalesce(' (интервалов: ' || h.intervals || ')', '')
                            WHEN h.max_kw IS NOT NULL AND h.value_wh > h.max_kw * 1000
                                THEN 'больше максимальной мощности ' || h.max_kw || ' кВт' END,
                       b.batch_id
                FROM _mh h JOIN _mh_batches b ON b.file_no = h.file_no
                LEFT JOIN _mh_prev prev ON prev.meter_id = h.meter_id AND prev.day = h.day
                    AND prev.hour = h.hour""")
            counts = dict(con.execute("SELECT b.file_no, count(h.meter_id) FROM _mh_batches b"
                                      " LEFT JOIN _mh h ON h.file_no = b.file_no GROUP BY 1").fetchall())
        finally:
            con.unregister("_mh_batches")
        for k, f in enumerate(files):
            store.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, note)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [first + k, kind, f.file_name, f.sha256, store.user, counts.get(k, 0),
                           f.note or f"АСКУЭ 80020 за {f.day:%d.%m.%Y}"])
        stats = dict(store.all("SELECT status, count(*) FROM meter_hour WHERE batch_id BETWEEN ? AND ? GROUP BY 1",
                               [first, first + len(files) - 1]))
        store.audit("command", "askue_import" if kind == "askue_80020" else f"{kind}_import", first, None,
                    f'{{"files": {len(files)}, "hours": {sum(stats.values())}, "periods": '
                    f'{sorted({period_of(f.day) for f in files})}}}')
        con.execute("DROP TABLE IF EXISTS _mh")
        con.execute("DROP TABLE IF EXISTS _mh_prev")
    return HoursReport(len(files), sum(stats.values()), stats.get("measured", 0), stats.get("substituted", 0),
                       stats.get("rejected", 0), skipped)
