"""Apartment buildings (МКД): dated documents, characteristics over time, direct contracts,
supply points, the building card. Their common meters (ОДПУ) and readings: `sbyt.core.common_meters`.

Every change is a dated document (`building_doc`) and an audit record, written in one transaction.
Months already closed are never touched (`ensure_open_on`). Rules: docs/buildings.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sbyt.core.access import requires
from sbyt.core import labels
from sbyt.core.errors import NotFoundError, RefusedError, SbytError
from sbyt.core.period_state import ensure_open_on
from sbyt.core.store import Store

MANAGEMENT = labels.codes("management")
FACT_FIELDS = ("management", "manager_id", "area_residential", "area_nonresidential", "area_common",
               "soi_category")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def building_id(store: Store, code: str) -> int:
    bid = store.scalar("SELECT id FROM building WHERE code = ?", [code])
    if bid is None:
        raise NotFoundError(f"Дом с кодом «{code}» не найден.")
    return int(bid)


def _doc(store: Store, bid: int, kind: str, on: date, doc_no: str | None, note: str | None) -> int:
    doc_id = int(store.scalar("SELECT nextval('building_doc_seq')"))
    store.execute("INSERT INTO building_doc (id, building_id, kind, doc_date, doc_no, note, created_by) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)", [doc_id, bid, kind, on, doc_no, note, store.user])
    return doc_id


def _manager_id(store: Store, code: str | None) -> int | None:
    if not code:
        return None
    mid = store.scalar("SELECT id FROM manager WHERE code = ?", [code])
    if mid is None:
        raise NotFoundError(f"Управляющая организация с кодом «{code}» не найдена.")
    return int(mid)


def _check_management(management: str, manager_id: int | None) -> None:
    if management not in MANAGEMENT:
        raise SbytError(f"Способ управления «{management}» неизвестен; допустимы: {labels.choices('management')}.")
    if management in ("uk", "tszh", "zhsk") and manager_id is None:
        raise SbytError("Для управления УК, ТСЖ или ЖСК укажите управляющую организацию (--manager).")
    if management in ("direct", "none") and manager_id is not None:
        raise SbytError("При непосредственном управлении или без способа управления управляющей организации нет.")


def _check_soi(store: Store, category: str | None) -> None:
    if category and not store.scalar("SELECT count(*) FROM soi_normative WHERE category = ?", [category]):
        raise SbytError(f"Категория норматива СОИ «{category}» не найдена в нормативах (soi_normative).")


@dataclass(frozen=True)
class BuildingFacts:
    management: str
    manager: str | None = None              # manager code
    area_residential: Decimal = Decimal(0)
    area_nonresidential: Decimal = Decimal(0)
    area_common: Decimal = Decimal(0)
    soi_category: str | None = None


@requires("data.load")
def open_building(store: Store, code: str, street_code: str, house_no: str, on: date, facts: BuildingFacts,
                  *, kind: str = "mkd", floors: int | None = None, year_built: int | None = None,
                  doc_no: str | None = None) -> int:
    """Document «Открытие МКД»: the building, its first characteristics from `on`."""
    ensure_open_on(store, on)
    if store.scalar("SELECT count(*) FROM building WHERE code = ?", [code]):
        raise RefusedError(f"Дом с кодом «{code}» уже есть.")
    street = store.scalar("SELECT id FROM street WHERE code = ?", [street_code])
    if street is None:
        raise NotFoundError(f"Улица с кодом «{street_code}» не найдена.")
    if kind not in ("mkd", "house"):
        raise SbytError(f"Тип дома «{kind}» неизвестен; допустимы: {labels.choices('building_kind')}.")
    mid = _manager_id(store, facts.manager)
    _check_management(facts.management, mid)
    _check_soi(store, facts.soi_category)
    for name in ("area_residential", "area_nonresidential", "area_common"):
        if Decimal(getattr(facts, name)) < 0:
            raise SbytError("Площадь не может быть отрицательной.")
    with store.transaction():
        bid = store.next_id("building")
        store.execute("INSERT INTO building VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)",
                      [bid, code, street, house_no, kind, floors, year_built, on])
        store.execute("INSERT INTO building_fact VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)",
                      [bid, on, facts.management, mid, facts.area_residential, facts.area_nonresidential,
                       facts.area_common, facts.soi_category])
        _doc(store, bid, "open", on, doc_no, None)
        store.audit("insert", "building", bid, None, _json({"code": code, "street": street_code, "house_no": house_no,
                                                             "opened": on, **facts.__dict__}))
    return bid


@requires("data.load")
def close_building(store: Store, code: str, on: date, doc_no: str | None = None, reason: str | None = None) -> None:
    """Document «Закрытие МКД»: the building is not served from `on` (open accounts refuse it)."""
    ensure_open_on(store, on)
    bid = building_id(store, code)
    opened, closed = store.one("SELECT opened, closed FROM building WHERE id = ?", [bid])
    if closed is not None:
        raise RefusedError(f"Дом «{code}» уже закрыт с {closed:%d.%m.%Y}.")
    if opened is not None and on < opened:
        raise SbytError(f"Дата закрытия {on:%d.%m.%Y} раньше даты открытия {opened:%d.%m.%Y}.")
    busy = store.scalar("""SELECT count(*) FROM account a JOIN premise p ON p.id = a.premise_id
                           WHERE p.building_id = ? AND (a.closed IS NULL OR a.closed > ?)""", [bid, on])
    if busy:
        raise RefusedError(f"В доме «{code}» есть открытые на {on:%d.%m.%Y} лицевые счета ({busy}); закройте их прежде дома.")
    with store.transaction():
        store.execute("UPDATE building SET closed = ? WHERE id = ?", [on, bid])
        _doc(store, bid, "close", on, doc_no, reason)
        store.audit("update", "building", bid, _json({"closed": None}), _json({"closed": on, "reason": reason}))


def fact_on(store: Store, bid: int, on: date) -> dict[str, Any] | None:
    row = store.one(f"SELECT valid_from, valid_to, {', '.join(FACT_FIELDS)} FROM building_fact "
                    "WHERE building_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)", [bid, on, on])
    if row is None:
        return None
    return dict(zip(("valid_from", "valid_to", *FACT_FIELDS), row))


def without_facts(store: Store, on: date) -> list[str]:
    """Codes of the apartment buildings open on `on` without a characteristics row in force that day
    (no management, no areas): the ОДН step skips them."""
    return [r[0] for r in store.all("""
        SELECT b.code FROM building b
        WHERE b.kind = 'mkd' AND (b.opened IS NULL OR b.opened <= $on) AND (b.closed IS NULL OR b.closed > $on)
          AND NOT EXISTS (SELECT 1 FROM building_fact f WHERE f.building_id = b.id AND f.valid_from <= $on
                          AND (f.valid_to IS NULL OR f.valid_to > $on))
        ORDER BY b.code""", {"on": on})]


@requires("data.load")
def change_facts(store: Store, code: str, on: date, doc_no: str | None = None, **changes: Any) -> None:
    """Document «Ввод характеристик МКД»: from `on` the given characteristics change.

    The row in force on `on` is closed at `on` and a new row opens with the changes (up to the next
    row, if a later change is already recorded). A change dated on a row's first day edits that row.
    Keys: management, manager (code), area_residential, area_nonresidential, area_common, soi_category.
    """
    ensure_open_on(store, on)
    bid = building_id(store, code)
    cur = fact_on(store, bid, on)
    if cur is None:
        raise SbytError(f"У дома «{code}» нет характеристик на {on:%d.%m.%Y}: дом открыт позже?")
    new = dict(cur)
    if "manager" in changes:
        new["manager_id"] = _manager_id(store, changes.pop("manager"))
    for k, v in changes.items():
        if k not in FACT_FIELDS:
            raise SbytError(f"Неизвестная характеристика дома «{k}».")
        if v is not None:
            new[k] = v
    if new["management"] in ("direct", "none") and "manager_id" not in changes:
        new["manager_id"] = None if changes.get("management") in ("direct", "none") else new["manager_id"]
    _check_management(new["management"], new["manager_id"])
    _check_soi(store, new["soi_category"])
    if all(new[k] == cur[k] for k in FACT_FIELDS):
        raise SbytError("Характеристики не изменились.")
    with store.transaction():
        vals = [new[k] for k in FACT_FIELDS]
        if cur["valid_from"] == on:
            store.execute(f"UPDATE building_fact SET {', '.join(k + ' = ?' for k in FACT_FIELDS)} "
                          "WHERE building_id = ? AND valid_from = ?", [*vals, bid, on])
        else:
            store.execute("UPDATE building_fact SET valid_to = ? WHERE building_id = ? AND valid_from = ?",
                          [on, bid, cur["valid_from"]])
            store.execute("INSERT INTO building_fact VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          [bid, on, cur["valid_to"], *vals])
        _doc(store, bid, "fact", on, doc_no, None)
        store.audit("update", "building_fact", f"{bid}:{on}", _json({k: cur[k] for k in FACT_FIELDS}),
                    _json({k: new[k] for k in FACT_FIELDS}))


@requires("data.load")
def add_direct_contract(store: Store, code: str, valid_from: date, basis: str | None = None) -> None:
    """Residents of the building pay the supplier directly from `valid_from` (ЖК 157.2)."""
    ensure_open_on(store, valid_from)
    bid = building_id(store, code)
    if store.scalar("SELECT count(*) FROM building_direct_contract WHERE building_id = ? AND valid_to IS NULL", [bid]):
        raise RefusedError(f"У дома «{code}» уже действует прямой договор; сначала завершите его.")
    with store.transaction():
        store.execute("INSERT INTO building_direct_contract VALUES (?, ?, NULL, ?)", [bid, valid_from, basis])
        _doc(store, bid, "direct_contract", valid_from, None, basis)
        store.audit("insert", "building_direct_contract", bid, None, _json({"valid_from": valid_from, "basis": basis}))


@requires("data.load")
def end_direct_contract(store: Store, code: str, valid_to: date) -> None:
    ensure_open_on(store, valid_to)
    bid = building_id(store, code)
    row = store.one("SELECT valid_from FROM building_direct_contract WHERE building_id = ? AND valid_to IS NULL", [bid])
    if row is None:
        raise NotFoundError(f"У дома «{code}» нет действующего прямого договора.")
    if valid_to <= row[0]:
        raise SbytError("Дата окончания прямого договора должна быть позже его начала.")
    with store.transaction():
        store.execute("UPDATE building_direct_contract SET valid_to = ? WHERE building_id = ? AND valid_from = ?",
                      [valid_to, bid, row[0]])
        _doc(store, bid, "direct_contract", valid_to, None, "окончание")
        store.audit("update", "building_direct_contract", bid, None, _json({"valid_to": valid_to}))


@requires("data.load")
def add_supply_point(store: Store, code: str, sp_code: str, name: str, on: date, voltage: str | None = None) -> int:
    ensure_open_on(store, on)
    bid = building_id(store, code)
    if store.scalar("SELECT count(*) FROM supply_point WHERE code = ?", [sp_code]):
        raise RefusedError(f"Точка поставки «{sp_code}» уже есть.")
    if voltage is not None and voltage not in ("ВН", "СН1", "СН2", "НН"):
        raise SbytError(f"Уровень напряжения «{voltage}» неизвестен; допустимы: ВН, СН1, СН2, НН.")
    with store.transaction():
        sid = store.next_id("supply_point")
        store.execute("INSERT INTO supply_point VALUES (?, ?, ?, ?, ?, ?, NULL)", [sid, bid, sp_code, name, voltage, on])
        _doc(store, bid, "supply_point", on, None, f"{sp_code} {name}")
        store.audit("insert", "supply_point", sid, None, _json({"building": code, "code": sp_code, "name": name}))
    return sid


def building_card(store: Store, code: str, on: date) -> dict[str, Any]:
    """What `sbyt building show` prints: the building, its characteristics on `on`, its common meters."""
    bid = building_id(store, code)
    b = store.one("""SELECT b.code, concat_ws(', ', se.name, st.name, 'д. ' || b.house_no), b.kind, b.opened, b.closed
                     FROM building b LEFT JOIN street st ON st.id = b.street_id
                     LEFT JOIN settlement se ON se.id = st.settlement_id WHERE b.id = ?""", [bid])
    fact = fact_on(store, bid, on) or {}
    meters = store.all("""
        SELECT mp.service, m.serial, m.model, m.zones, m.ratio, m.installed, m.removed, m.state, m.verified,
               m.verification_years,
               (SELECT string_agg(seal_no, ', ') FROM seal s WHERE s.meter_id = m.id AND s.removed IS NULL),
               (SELECT max(read_on) FROM reading r WHERE r.meter_id = m.id AND r.status = 'accepted')
        FROM meter m JOIN metering_point mp ON mp.id = m.metering_point_id
        WHERE mp.kind = 'common' AND mp.building_id = ? ORDER BY m.installed""", [bid])
    direct = store.all("SELECT valid_from, valid_to, basis FROM building_direct_contract WHERE building_id = ? "
                       "ORDER BY valid_from", [bid])
    return {"building": b, "fact": fact, "meters": meters, "direct_contracts": direct}


__all__ = ["BuildingFacts", "add_direct_contract", "add_supply_point", "building_card", "building_id", "change_facts",
           "close_building", "end_direct_contract", "open_building"]
