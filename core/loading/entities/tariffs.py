"""Tariffs and rules: tariff groups, tariffs, consumption normatives and the normatives of common property."""

from __future__ import annotations

from sbyt.core.loading.entity import Check, Entity, Ref, _c, _valid_from, _valid_to


TARIFF_GROUPS = Entity(
    "tariff_groups", "Тарифные группы", "тарифной группы", "tariff_group",
    (
        _c("code", "text", True, "Код группы", "urban"),
        _c("name", "text", True, "Наименование", "Городское население"),
        _c("category", "enum", True, "urban — город, urban_stove — город с электроплитами/отоплением, "
           "rural — село, equated — приравненные", "urban",
           domain="tariff_category"),
    ),
    key=("code",),
    existing="SELECT code, name, category FROM tariff_group",
    target="SELECT code, name, category FROM new_tariff_groups",
    table_key=("code",),
)


TARIFFS = Entity(
    "tariffs", "Тарифы (с НДС)", "тарифа", "tariff",
    (
        _c("tariff_group", "text", True, "Код тарифной группы", "urban"),
        _c("zones", "int", True, "Вариант: 1 — одноставочный, 2 — двухзонный, 3 — трёхзонный", "1", min=1, max=3),
        _c("zone", "int", True, "Зона: 1 — день/пик, 2 — ночь/полупик, 3 — ночь", "1", min=1, max=3),
        _valid_from("2026-01-01"), _valid_to(),
        _c("price", "dec4", True, "Цена, ₽/кВт·ч с НДС", "6,43", min=0),
    ),
    key=("tariff_group", "zones", "zone", "valid_from"),
    existing="SELECT tariff_group, zones, zone, valid_from, valid_to, price FROM tariff",
    target="SELECT tariff_group, zones, zone, valid_from, valid_to, price FROM new_tariffs",
    table_key=("tariff_group", "zones", "zone", "valid_from"),
    refs=(Ref(("tariff_group",), "tariff_groups"),),
    interval=("valid_from", "valid_to", ("tariff_group", "zones", "zone")),
    checks=(Check("zone", "SELECT _row, 'номер зоны больше числа зон варианта' AS msg FROM stg s WHERE s.zone > s.zones"),),
)


NORMATIVES = Entity(
    "normatives", "Нормативы потребления", "норматива", "normative",
    (
        _c("rooms", "int", True, "Комнат: 1, 2, 3, 4 (= 4 и более)", "2", min=1, max=4),
        _c("residents", "int", True, "Проживающих: 1…5 (= 5 и более)", "2", min=1, max=5),
        _c("equipment", "enum", True, "none — без электроплиты, stove — с электроплитой, "
           "stove_heating — с электроплитой и электроотоплением/водонагревом", "none",
           domain="equipment"),
        _valid_from("2026-01-01"), _valid_to(),
        _c("kwh_per_person", "dec3", True, "кВт·ч на человека в месяц", "91", min=0),
    ),
    key=("rooms", "residents", "equipment", "valid_from"),
    existing="SELECT rooms, residents, equipment, valid_from, valid_to, kwh_per_person FROM normative",
    target="SELECT rooms, residents, equipment, valid_from, valid_to, kwh_per_person FROM new_normatives",
    table_key=("rooms", "residents", "equipment", "valid_from"),
    interval=("valid_from", "valid_to", ("rooms", "residents", "equipment")),
)


SOI_NORMATIVES = Entity(
    "soi_normatives", "Нормативы на содержание общего имущества (СОИ)", "категории СОИ", "soi_normative",
    (
        _c("category", "text", True, "Категория дома (например lift, no_lift)", "lift"),
        _valid_from("2026-01-01"), _valid_to(),
        _c("kwh_per_m2", "dec4", True, "кВт·ч на м² общей площади в месяц", "1,2", min=0),
    ),
    key=("category", "valid_from"),
    existing="SELECT category, valid_from, valid_to, kwh_per_m2 FROM soi_normative",
    target="SELECT category, valid_from, valid_to, kwh_per_m2 FROM new_soi_normatives",
    table_key=("category", "valid_from"),
    interval=("valid_from", "valid_to", ("category",)),
)
