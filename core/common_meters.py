"""Common meters (ОДПУ) of apartment buildings: installation and removal, state, verification,
seals, and their readings by entry and by import.

Every change is a dated document of the building (`building_doc`, written by `sbyt.core.buildings`)
and an audit record, written in one transaction. Months already closed are never touched
(`ensure_open_on`). Rules: docs/buildings.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa

from sbyt.core.access import requires
from sbyt.core import labels
from sbyt.core.buildings import _doc, _json, building_id
from sbyt.core.errors import NotFoundError, RefusedError, RowError, SbytError, ValidationError
from sbyt.core.period_state import ensure_open_on, is_closed
from sbyt.core.periods import period_label, period_of
from sbyt.core.rollover import NOT_A_VOLUME, rollover_volume
from sbyt.core.store import Store

SERVICES = ("electricity", "heating")


@dataclass(frozen=True)
class CommonMeter:
    serial: str
    model: str
    installed: date
    ratio: int = 1
    zones: int = 1
    digits: int = 6
    verified: date | None = None
    verification_years: int | None = None
    service: str = "electricity"


@requires("data.load")
def install_common_meter(store: Store, code: str, meter: CommonMeter, readings: Sequence[int],
                         seal_no: str | None = None, doc_no: str | None = None) -> int:
    """Act «Ввод прибора учёта» of a common meter: the building's common point (created on first
    use), the meter, its install readings per zone and, optionally, a seal."""
    ensure_open_on(store, meter.installed)
    bid = building_id(store, code)
    if meter.service not in SERVICES:
        raise SbytError(f"Назначение ОДПУ «{meter.service}» неизвестно; допустимы: {', '.join(SERVICES)}.")
    if meter.zones not in (1, 2, 3) or meter.ratio < 1 or not 4 <= meter.digits <= 9:
        raise SbytError("Зон должно быть 1–3, расчётный коэффициент не меньше 1, разрядов 4–9.")
    if len(readings) != meter.zones or any(v < 0 for v in readings):
        raise SbytError(f"Нужно {meter.zones} неотрицательных показаний при вводе (по числу зон).")
    if store.scalar("SELECT count(*) FROM meter m JOIN metering_point mp ON mp.id = m.metering_point_id "
                    "WHERE mp.kind = 'common' AND m.serial = ? AND m.removed IS NULL", [meter.serial]):
        raise RefusedError(f"ОДПУ с заводским номером «{meter.serial}» уже установлен.")
    mp = store.scalar("SELECT id FROM metering_point WHERE kind = 'common' AND building_id = ? AND service = ? "
                      "AND disconnected IS NULL", [bid, meter.service])
    if mp is not None and store.scalar("SELECT count(*) FROM meter WHERE metering_point_id = ? AND "
                                       "(removed IS NULL OR removed > ?)", [mp, meter.installed]):
        raise RefusedError(f"На доме «{code}» уже стоит ОДПУ ({meter.service}); сначала выведите его из работы.")
    with store.transaction():
        if mp is None:
            mp = store.next_id("metering_point")
            store.execute("INSERT INTO metering_point VALUES (?, 'common', NULL, NULL, ?, NULL, ?, ?, ?, NULL)",
                          [mp, bid, meter.service, meter.zones, meter.installed])
        mid = store.next_id("meter")
        store.execute("INSERT INTO meter VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 'working', NULL)",
                      [mid, mp, meter.model, meter.serial, meter.digits, meter.zones, meter.ratio, meter.installed,
                       meter.verified, meter.verification_years])
        _insert_readings(store, [(mid, z + 1, meter.installed, v, "install") for z, v in enumerate(readings)],
                         "operator", None)
        if seal_no:
            store.execute("INSERT INTO seal VALUES (nextval('seal_seq'), ?, ?, ?, ?, ?, NULL)",
                          [mid, seal_no, doc_no, meter.installed, meter.installed])
        _doc(store, bid, "meter_install", meter.installed, doc_no, meter.serial)
        store.audit("insert", "meter", mid, None, _json({"building": code, **meter.__dict__, "readings": list(readings)}))
    return int(mid)


def common_meter(store: Store, serial: str, code: str | None = None, on: date | None = None) -> tuple:
    """(meter id, building id, zones, digits, installed, removed) of a common meter by serial."""
    rows = store.all("""
        SELECT m.id, mp.building_id, m.zones, m.digits, m.installed, m.removed, b.code
        FROM meter m JOIN metering_point mp ON mp.id = m.metering_point_id JOIN building b ON b.id = mp.building_id
        WHERE mp.kind = 'common' AND m.serial = ? ORDER BY m.installed DESC""", [serial])
    if code is not None:
        rows = [r for r in rows if r[6] == code]
    if on is not None:
        rows = [r for r in rows if r[4] <= on and (r[5] is None or r[5] >= on)] or rows[:0]
    if not rows:
        where = f" дома «{code}»" if code else ""
        raise NotFoundError(f"ОДПУ{where} с заводским номером «{serial}» не найден"
                            + (f" в работе на {on:%d.%m.%Y}" if on else "") + ".")
    return rows[0][:6]


@requires("data.load")
def remove_common_meter(store: Store, serial: str, on: date, readings: Sequence[int], doc_no: str | None = None) -> None:
    """Act «Вывод прибора учёта»: removal readings per zone, the meter leaves service on `on`."""
    ensure_open_on(store, on)
    mid, bid, zones, digits, installed, removed = common_meter(store, serial, on=on)
    if removed is not None:
        raise RefusedError(f"ОДПУ «{serial}» уже выведен из работы {removed:%d.%m.%Y}.")
    if len(readings) != zones:
        raise SbytError(f"Нужно {zones} показаний при выводе (по числу зон).")
    errors = _check_against_previous(store, [(mid, z + 1, on, v, digits) for z, v in enumerate(readings)])
    if errors:
        raise SbytError("; ".join(errors.values()))
    with store.transaction():
        store.execute("UPDATE meter SET removed = ? WHERE id = ?", [on, mid])
        store.execute("UPDATE seal SET removed = ? WHERE meter_id = ? AND removed IS NULL", [on, mid])
        _insert_readings(store, [(mid, z + 1, on, v, "removal") for z, v in enumerate(readings)], "operator", None)
        _doc(store, bid, "meter_remove", on, doc_no, serial)
        store.audit("update", "meter", mid, _json({"removed": None}), _json({"removed": on, "readings": list(readings)}))


@requires("data.load")
def set_meter_state(store: Store, serial: str, state: str, since: date) -> None:
    """The common meter is broken / lost / working again from `since` (ОДН falls back to average)."""
    ensure_open_on(store, since)
    if state not in ("working", "broken", "lost"):
        raise SbytError(f"Состояние прибора «{state}» неизвестно; допустимы: {labels.choices('meter_state')}.")
    mid, bid, *_ = common_meter(store, serial, on=since)
    old = store.one("SELECT state, state_since FROM meter WHERE id = ?", [mid])
    with store.transaction():
        store.execute("UPDATE meter SET state = ?, state_since = ? WHERE id = ?", [state, since, mid])
        _doc(store, bid, "meter_state", since, None, f"{serial}: {labels.label('meter_state', state)}")
        store.audit("update", "meter", mid, _json({"state": old[0], "state_since": old[1]}),
                    _json({"state": state, "state_since": since}))


@requires("data.load")
def verify_meter(store: Store, serial: str, on: date, years: int | None = None) -> None:
    """«Изменение даты поверки»: the meter was verified on `on` (optionally a new interval)."""
    mid, bid, *_ = common_meter(store, serial)
    old = store.one("SELECT verified, verification_years FROM meter WHERE id = ?", [mid])
    with store.transaction():
        store.execute("UPDATE meter SET verified = ?, verification_years = coalesce(?, verification_years) WHERE id = ?",
                      [on, years, mid])
        _doc(store, bid, "verification", on, None, serial)
        store.audit("update", "meter", mid, _json({"verified": old[0], "verification_years": old[1]}),
                    _json({"verified": on, "verification_years": years or old[1]}))


@requires("data.load")
def add_seal(store: Store, serial: str, seal_no: str, on: date, act_no: str | None = None) -> None:
    """«Установка пломбы» on a common meter; the previous seal (if any) is removed the same day."""
    mid, bid, *_ = common_meter(store, serial, on=on)
    with store.transaction():
        store.execute("UPDATE seal SET removed = ? WHERE meter_id = ? AND removed IS NULL", [on, mid])
        store.execute("INSERT INTO seal VALUES (nextval('seal_seq'), ?, ?, ?, ?, ?, NULL)",
                      [mid, seal_no, act_no, on, on])
        _doc(store, bid, "seal", on, act_no, f"{serial}: {seal_no}")
        store.audit("insert", "seal", mid, None, _json({"seal_no": seal_no, "on": on, "act_no": act_no}))


# ---------------------------------------------------------------------------------------- readings
def _check_against_previous(store: Store, items: list[tuple[int, int, date, int, int]]) -> dict[int, str]:
    """items: (meter_id, zone, read_on, value, digits) -> {index: message} for readings lower than the
    previous accepted one that are not a rollover (previous in the top tenth of the dial)."""
    if not items:
        return {}
    t = pa.table({"i": list(range(len(items))), "meter_id": [x[0] for x in items], "zone": [x[1] for x in items],
                  "read_on": [x[2] for x in items], "value": [x[3] for x in items], "digits": [x[4] for x in items]})
    store.con.register("chk_items", t)
    try:
        rows = store.all("""
            SELECT c.i, c.value, c.digits, p.value, p.read_on FROM chk_items c
            JOIN LATERAL (SELECT r.value, r.read_on FROM reading r
                          WHERE r.meter_id = c.meter_id AND r.zone = c.zone AND r.status = 'accepted'
                            AND r.read_on <= c.read_on ORDER BY r.read_on DESC, r.id DESC LIMIT 1) p ON true""")
    finally:
        store.con.unregister("chk_items")
    out: dict[int, str] = {}
    for i, value, digits, prev, prev_on in rows:
        if rollover_volume(prev, value, digits) == NOT_A_VOLUME:
            out[int(i)] = (f"показание {value} меньше предыдущего {prev} от {prev_on:%d.%m.%Y} "
                           "и не является переходом через ноль")
    return out


def _insert_readings(store: Store, items: list[tuple[int, int, date, int, str]], source: str,
                     batch_id: int | None, status: str = "accepted", reasons: list[str | None] | None = None) -> None:
    if not items:
        return
    first = store.next_id("reading")
    t = pa.table({"id": list(range(first, first + len(items))), "meter_id": [x[0] for x in items],
                  "zone": pa.array([x[1] for x in items], pa.int8()), "read_on": [x[2] for x in items],
                  "value": [x[3] for x in items], "kind": [x[4] for x in items],
                  "reason": reasons or [None] * len(items)})
    store.con.register("ins_readings", t)
    try:
        store.execute("INSERT INTO reading SELECT id, meter_id, zone, read_on, value, kind, ?, ?, reason, ?, "
                      "current_timestamp, ? FROM ins_readings", [source, status, batch_id, store.user])
    finally:
        store.con.unregister("ins_readings")


@dataclass(frozen=True)
class ReadingResult:
    accepted: int
    rejected: list[str]


@requires("readings.enter")
def enter_reading(store: Store, serial: str, on: date, values: Sequence[int], code: str | None = None,
                  source: str = "operator") -> ReadingResult:
    """«Регистрация показаний ОДПУ»: readings per zone. A reading lower than the previous one (not a
    rollover) is kept as rejected with its reason and reported."""
    ensure_open_on(store, on)
    mid, bid, zones, digits, installed, removed = common_meter(store, serial, code, on)
    if len(values) != zones:
        raise SbytError(f"У ОДПУ «{serial}» {zones} зон(ы): нужно {zones} показаний, а дано {len(values)}.")
    if any(v < 0 for v in values):
        raise SbytError("Показание не может быть отрицательным.")
    if store.scalar("SELECT count(*) FROM reading WHERE meter_id = ? AND read_on = ? AND status = 'accepted' "
                    "AND kind = 'regular'", [mid, on]):
        raise RefusedError(f"Показания ОДПУ «{serial}» на {on:%d.%m.%Y} уже есть.")
    bad = _check_against_previous(store, [(mid, z + 1, on, v, digits) for z, v in enumerate(values)])
    with store.transaction():
        items = [(mid, z + 1, on, v, "regular") for z, v in enumerate(values)]
        ok = [x for i, x in enumerate(items) if i not in bad]
        rej = [x for i, x in enumerate(items) if i in bad]
        _insert_readings(store, ok, source, None)
        _insert_readings(store, rej, source, None, "rejected", [bad[i] for i in sorted(bad)])
        store.audit("insert", "reading", mid, None, _json({"serial": serial, "on": on, "values": list(values),
                                                          "rejected": list(bad.values())}))
    return ReadingResult(len(ok), [f"Т{i + 1}: {m}" for i, m in sorted(bad.items())])


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    rows: int
    readings: int
    skipped: int


IMPORT_KINDS = {"template": ("odpu_readings", "file"), "gis": ("gis_meter_readings", "gis")}


def check_not_imported(store: Store, fmt: str, sha256: str) -> None:
    """Refuse a file already imported (same kind and SHA-256)."""
    if fmt not in IMPORT_KINDS:
        raise SbytError(f"Формат «{fmt}» неизвестен; допустимы: {', '.join(IMPORT_KINDS)}.")
    dup = store.one("SELECT file_name, created_at FROM import_batch WHERE kind = ? AND sha256 = ?",
                    [IMPORT_KINDS[fmt][0], sha256])
    if dup:
        raise RefusedError(f"Этот файл уже загружен ({dup[0]}, {dup[1]:%d.%m.%Y %H:%M}); повторная загрузка запрещена.")


@requires("readings.enter")
def import_readings(store: Store, file_name: str, sha256: str, records: Sequence[Any],
                    parse_errors: Sequence[RowError], fmt: str = "template", skipped: int = 0) -> ImportResult:
    """Import ОДПУ readings parsed by `sbyt.io.odpu_readings` (fmt 'template') or
    `sbyt.io.gis_meter_readings` (fmt 'gis'): validate every row against the store first, then
    write all or nothing as one import batch. Every bad row is reported (`file:row[:column]`)."""
    check_not_imported(store, fmt, sha256)
    kind, source = IMPORT_KINDS[fmt]
    sha = sha256
    errors = list(parse_errors)
    meters = {}
    for serial, mid, code, zones, digits, installed, removed in store.all("""
            SELECT m.serial, m.id, b.code, m.zones, m.digits, m.installed, m.removed
            FROM meter m JOIN metering_point mp ON mp.id = m.metering_point_id JOIN building b ON b.id = mp.building_id
            WHERE mp.kind = 'common'"""):
        meters.setdefault(serial, []).append((mid, code, zones, digits, installed, removed))
    items: list[tuple[int, int, date, int, int]] = []
    owners: list[int] = []          # index of the record of each item
    seen: dict[tuple[int, date], int] = {}
    closed: dict[int, bool] = {}
    for k, rec in enumerate(records):
        cands = [m for m in meters.get(rec.serial, []) if m[4] <= rec.read_on and (m[5] is None or m[5] >= rec.read_on)]
        if not cands:
            msg = "ОДПУ с таким заводским номером не найден" if rec.serial not in meters else \
                f"ОДПУ не в работе на {rec.read_on:%d.%m.%Y}"
            errors.append(rec.error(f"{msg}: «{rec.serial}»", "Заводской номер"))
            continue
        mid, code, zones, digits, *_ = cands[0]
        if rec.building and rec.building != code:
            errors.append(rec.error(f"ОДПУ «{rec.serial}» стоит на доме «{code}», а не «{rec.building}»", "Код МКД"))
            continue
        period = period_of(rec.read_on)
        if closed.setdefault(period, is_closed(store, period)):
            errors.append(rec.error(f"период {period_label(period)} закрыт", "Дата"))
            continue
        given = sum(1 for v in rec.values if v is not None)
        if given != zones:
            errors.append(rec.error(f"у ОДПУ «{rec.serial}» {zones} зон(ы), а показаний {given}", "Т1"))
            continue
        if (mid, rec.read_on) in seen:
            errors.append(rec.error(f"повтор: показания этого ОДПУ на эту дату уже в строке {seen[(mid, rec.read_on)]}"))
            continue
        seen[(mid, rec.read_on)] = rec.row
        for z in range(zones):
            items.append((mid, z + 1, rec.read_on, int(rec.values[z]), digits))  # type: ignore[arg-type]
            owners.append(k)
    bad = _check_against_previous(store, items)
    for i, msg in sorted(bad.items()):
        errors.append(records[owners[i]].error(msg, f"Т{items[i][1]}"))
    existing = store.all("SELECT meter_id, read_on FROM reading WHERE status = 'accepted' AND kind = 'regular' "
                         "AND meter_id IN (SELECT unnest(?))", [sorted({x[0] for x in items}) or [-1]])
    have = {(int(m), d) for m, d in existing}
    for i, it in enumerate(items):
        if it[1] == 1 and (it[0], it[2]) in have:
            errors.append(records[owners[i]].error(f"показания на {it[2]:%d.%m.%Y} уже есть в базе"))
    if errors:
        errors.sort(key=lambda e: (e.file, e.row))
        raise ValidationError(errors)
    if not items:
        raise SbytError(f"В файле {file_name} нет показаний ОДПУ по электроэнергии.")
    with store.transaction():
        batch = store.next_id("import_batch")
        store.execute("INSERT INTO import_batch (id, kind, file_name, sha256, created_by, rows, note) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [batch, kind, file_name, sha, store.user, len(records),
                       f"пропущено строк других ресурсов: {skipped}" if skipped else None])
        _insert_readings(store, [(m, z, d, v, "regular") for m, z, d, v, _ in items], source, batch)
        store.audit("command", "import_batch", batch, None, _json({"kind": kind, "file": file_name, "sha256": sha,
                                                                   "readings": len(items)}))
    return ImportResult(batch, len(records), len(items), skipped)


__all__ = ["CommonMeter", "ImportResult", "ReadingResult", "add_seal", "check_not_imported", "enter_reading",
           "import_readings", "install_common_meter", "remove_common_meter", "set_meter_state", "verify_meter"]
