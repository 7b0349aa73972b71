"""Addresses and buildings: districts, settlements, streets, buildings and their facts by period."""

from __future__ import annotations

from sbyt.core.loading.entity import Check, Entity, Ref, _c, _valid_from, _valid_to


DISTRICTS = Entity(
    "districts", "Районы (участки)", "района", "district",
    (
        _c("code", "text", True, "Код района", "R01"),
        _c("name", "text", True, "Наименование", "Центральный район"),
    ),
    key=("code",),
    existing="SELECT id AS _id, code, name FROM district",
    target="SELECT _id AS id, code, name FROM new_districts",
    table_key=("id",), has_id=True,
)


SETTLEMENTS = Entity(
    "settlements", "Населённые пункты", "населённого пункта", "settlement",
    (
        _c("code", "text", True, "Код населённого пункта", "S01"),
        _c("district", "text", True, "Код района (districts.code)", "R01"),
        _c("name", "text", True, "Наименование", "г. Энск"),
        _c("kind", "enum", True, "urban — город, rural — село", "urban", domain="settlement_kind"),
    ),
    key=("code",),
    existing="SELECT s.id AS _id, s.code, d.code AS district, s.name, s.kind"
             " FROM settlement s LEFT JOIN district d ON d.id = s.district_id",
    target="SELECT s._id AS id, s.code, d._id AS district_id, s.name, s.kind"
           " FROM new_settlements s JOIN all_districts d ON d.code = s.district",
    table_key=("id",), has_id=True,
    refs=(Ref(("district",), "districts"),),
)


STREETS = Entity(
    "streets", "Улицы", "улицы", "street",
    (
        _c("code", "text", True, "Код улицы", "ST001"),
        _c("settlement", "text", True, "Код населённого пункта (settlements.code)", "S01"),
        _c("name", "text", True, "Наименование с типом: «ул. Ленина»", "ул. Ленина"),
    ),
    key=("code",),
    existing="SELECT t.id AS _id, t.code, s.code AS settlement, t.name"
             " FROM street t LEFT JOIN settlement s ON s.id = t.settlement_id",
    target="SELECT t._id AS id, t.code, s._id AS settlement_id, t.name"
           " FROM new_streets t JOIN all_settlements s ON s.code = t.settlement",
    table_key=("id",), has_id=True,
    refs=(Ref(("settlement",), "settlements"),),
)


BUILDINGS = Entity(
    "buildings", "Дома (МКД и частные)", "дома", "building",
    (
        _c("code", "text", True, "Код дома", "B0001"),
        _c("street", "text", True, "Код улицы (streets.code)", "ST001"),
        _c("house_no", "text", True, "Номер дома с корпусом", "10к2"),
        _c("kind", "enum", True, "mkd — многоквартирный, house — частный жилой дом", "mkd", domain="building_kind"),
        _c("floors", "int", False, "Этажей", "9", min=1, max=200),
        _c("year_built", "int", False, "Год постройки", "1978", min=1700, max=2100),
        _c("route_order", "int", False, "Порядок обхода контролёра на улице", "1", min=0),
        _c("opened", "date", False, "Дата начала обслуживания", "2010-01-01"),
        _c("closed", "date", False, "Дата окончания обслуживания", ""),
    ),
    key=("code",),
    existing="SELECT b.id AS _id, b.code, s.code AS street, b.house_no, b.kind, b.floors, b.year_built,"
             " b.route_order, b.opened, b.closed FROM building b LEFT JOIN street s ON s.id = b.street_id",
    target="SELECT b._id AS id, b.code, s._id AS street_id, b.house_no, b.kind, b.floors, b.year_built,"
           " b.route_order, b.opened, b.closed FROM new_buildings b JOIN all_streets s ON s.code = b.street",
    table_key=("id",), has_id=True,
    refs=(Ref(("street",), "streets"),),
    checks=(Check("closed", "SELECT _row, 'дата окончания обслуживания не позже даты начала' AS msg"
                            " FROM stg s WHERE s.closed <= s.opened"),),
)


BUILDING_FACTS = Entity(
    "building_facts", "Характеристики домов по периодам", "характеристик дома", "building_fact",
    (
        _c("building", "text", True, "Код дома", "B0001"),
        _valid_from("2010-01-01"), _valid_to(),
        _c("management", "enum", True, "Способ управления: uk, tszh, zhsk, direct (непосредственное), none",
           "uk", domain="management"),
        _c("manager", "text", False, "Код управляющей организации (для uk, tszh, zhsk)", "M01"),
        _c("area_residential", "dec2", False, "Площадь жилых помещений, м²", "3200,5", default="0", min=0),
        _c("area_nonresidential", "dec2", False, "Площадь нежилых помещений, м²", "150", default="0", min=0),
        _c("area_common", "dec2", False, "Площадь общего имущества, м²", "420", default="0", min=0),
        _c("soi_category", "text", False, "Категория для норматива СОИ (soi_normatives.category)", "lift"),
    ),
    key=("building", "valid_from"),
    existing="SELECT b.code AS building, f.valid_from, f.valid_to, f.management, m.code AS manager,"
             " f.area_residential, f.area_nonresidential, f.area_common, f.soi_category"
             " FROM building_fact f JOIN building b ON b.id = f.building_id"
             " LEFT JOIN manager m ON m.id = f.manager_id",
    target="SELECT b._id AS building_id, f.valid_from, f.valid_to, f.management, m._id AS manager_id,"
           " f.area_residential, f.area_nonresidential, f.area_common, f.soi_category"
           " FROM new_building_facts f JOIN all_buildings b ON b.code = f.building"
           " LEFT JOIN all_managers m ON m.code = f.manager",
    table_key=("building_id", "valid_from"),
    refs=(Ref(("building",), "buildings"), Ref(("manager",), "managers"),
          Ref(("soi_category",), "soi_normatives", target=("category",))),
    interval=("valid_from", "valid_to", ("building",)),
    checks=(Check("manager", "SELECT _row, 'для способа управления ' || s.management ||"
                             " ' укажите управляющую организацию' AS msg FROM stg s"
                             " WHERE s.management IN ('uk', 'tszh', 'zhsk') AND s.manager IS NULL"),),
)
