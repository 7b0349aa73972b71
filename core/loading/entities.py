"""The loading templates: one entity per file, its columns, natural key, references and writes.

Every entity has:
  * `columns` — the file's columns (names are the template header);
  * `key` — the natural key (columns of the file, or derived columns);
  * `existing` — SQL rendering what the store already holds in the same shape as the file
    (with `_id` for tables that have a surrogate id): used for references, overlaps and ids;
  * `target` — SQL producing rows of the store table from `new_<name>` (the file's rows with their
    ids) and `all_<other>` (the state after loading: file rows plus untouched store rows);
  * optional derived columns, references, an effective-dated interval and extra checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbyt.core.loading.columns import Col

SERVICES = ("electricity",)


@dataclass(frozen=True)
class Ref:
    cols: tuple[str, ...]        # columns of this file
    entity: str                  # the entity referred to (its key, in order)
    col: str | None = None       # the column to blame (default: the last of cols)
    when: str = "true"           # extra SQL condition over `s` (the referring row)
    target: tuple[str, ...] | None = None   # columns of the entity referred to (default: its key)


@dataclass(frozen=True)
class Check:
    """Extra rule: SQL over `stg_<name> s` (and any `all_*`) returning `_row`, `msg`."""
    col: str
    sql: str


@dataclass(frozen=True)
class Entity:
    name: str
    title: str                   # Russian, for docs and summaries
    genitive: str                # «нет района …»
    table: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]
    existing: str
    target: str
    table_key: tuple[str, ...]   # key of the store table for replacing changed rows
    compare: tuple[str, ...] = ()   # columns deciding «identical» (default: all target columns)
    has_id: bool = False         # the table has a surrogate `id` assigned here (max + 1 …)
    gen_id: bool = False         # rows get a fresh `id` at insert time (reading, posting)
    derived: tuple[tuple[str, str], ...] = ()
    refs: tuple[Ref, ...] = ()
    interval: tuple[str, str, tuple[str, ...]] | None = None   # from, to (exclusive), group
    checks: tuple[Check, ...] = ()
    compare_where: str = "true"  # restricts the store rows compared/replaced (SQL over `t`)
    insert_only: bool = False    # a changed row is an error (reported by a check), never replaced
    doc: str = ""

    def col(self, name: str) -> Col:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, type_: str, required: bool, doc: str, example: str, **kw: object) -> Col:
    return Col(name, type_, required, doc, example, **kw)  # type: ignore[arg-type]


def _valid_from(example: str = "2020-01-01") -> Col:
    return _c("valid_from", "date", True, "Действует с (включительно)", example)


def _valid_to(example: str = "") -> Col:
    return _c("valid_to", "date", False, "Действует по (не включая); пусто — бессрочно", example)


# A metering point is named by the account (individual points of accounts), else by the building and
# premise (shared points of communal flats, points of non-residential premises), else by the
# building alone (common-house meters); plus the service.
def _point_expr(p: str = "s.") -> str:
    return (f"CASE WHEN {p}account IS NOT NULL THEN 'ЛС ' || {p}account"
            f" WHEN {p}premise IS NOT NULL THEN 'дом ' || {p}building || ', пом. ' || {p}premise"
            f" ELSE 'дом ' || {p}building END || ' / ' || {p}service")


_POINT_COLS = (
    _c("account", "account", False, "ЛС точки учёта (для точки на лицевом счёте)", "1000000001"),
    _c("building", "text", False, "Код дома (для точки без ЛС: общая точка комнат, нежилое, ОДПУ)", ""),
    _c("premise", "text", False, "Номер помещения (для точки без ЛС в помещении)", ""),
    _c("service", "enum", False, "Услуга", "electricity", enum=SERVICES, domain="service", default="electricity"),
)
_POINT_DERIVED = (("point", _point_expr()),)
_POINT_REF = Ref(("point",), "metering_points", col="account")
_POINT_CHECK = Check("building", """
    SELECT _row, 'укажите ЛС или код дома точки учёта' AS msg FROM stg s
    WHERE s.account IS NULL AND s.building IS NULL""")

_STORE_POINT = """
    SELECT mp.id AS _id,
        CASE WHEN a.number IS NOT NULL THEN 'ЛС ' || a.number
             WHEN p.id IS NOT NULL THEN 'дом ' || pb.code || ', пом. ' || p.number
             ELSE 'дом ' || b.code END || ' / ' || mp.service AS point,
        mp.kind, a.number AS account, coalesce(pb.code, b.code) AS building, p.number AS premise,
        mp.service, mp.zones, mp.connected, mp.disconnected, mp.parent_id,
        mp.account_id, mp.premise_id, mp.building_id
    FROM metering_point mp
    LEFT JOIN account a ON a.id = mp.account_id
    LEFT JOIN premise p ON p.id = mp.premise_id
    LEFT JOIN building pb ON pb.id = p.building_id
    LEFT JOIN building b ON b.id = mp.building_id
"""

ENTITIES: tuple[Entity, ...] = (
    Entity(
        "supplier", "Гарантирующий поставщик (реквизиты)", "реквизитов поставщика", "supplier",
        (
            _valid_from("2015-01-01"), _valid_to(),
            _c("name", "text", True, "Наименование", "АО «Энергосбыт»"),
            _c("inn", "text", True, "ИНН (10 цифр)", "7701234567", pattern="[0-9]{10}", pattern_doc="ИНН — 10 цифр"),
            _c("kpp", "text", True, "КПП (9 цифр)", "770101001", pattern="[0-9]{9}", pattern_doc="КПП — 9 цифр"),
            _c("bank_account", "text", True, "Расчётный счёт (20 цифр)", "40702810900000000001",
               pattern="[0-9]{20}", pattern_doc="расчётный счёт — 20 цифр"),
            _c("bank_name", "text", True, "Банк", "ПАО Сбербанк"),
            _c("bic", "text", True, "БИК (9 цифр)", "044525225", pattern="[0-9]{9}", pattern_doc="БИК — 9 цифр"),
            _c("corr_account", "text", True, "Корреспондентский счёт (20 цифр)", "30101810400000000225",
               pattern="[0-9]{20}", pattern_doc="корр. счёт — 20 цифр"),
            _c("address", "text", True, "Адрес", "г. Энск, ул. Ленина, д. 1"),
            _c("phone", "text", False, "Телефон", "+7 (800) 100-00-00"),
            _c("email", "text", False, "Электронная почта", "info@energo.example"),
            _c("website", "text", False, "Сайт", "energo.example"),
        ),
        key=("valid_from",),
        existing="SELECT valid_from, valid_to, name, inn, kpp, bank_account, bank_name, bic, corr_account,"
                 " address, phone, email, website FROM supplier",
        target="SELECT valid_from, valid_to, name, inn, kpp, bank_account, bank_name, bic, corr_account,"
               " address, phone, email, website FROM new_supplier",
        table_key=("valid_from",),
        interval=("valid_from", "valid_to", ()),
    ),
    Entity(
        "districts", "Районы (участки)", "района", "district",
        (
            _c("code", "text", True, "Код района", "R01"),
            _c("name", "text", True, "Наименование", "Центральный район"),
        ),
        key=("code",),
        existing="SELECT id AS _id, code, name FROM district",
        target="SELECT _id AS id, code, name FROM new_districts",
        table_key=("id",), has_id=True,
    ),
    Entity(
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
    ),
    Entity(
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
    ),
    Entity(
        "managers", "Управляющие организации (УК, ТСЖ, ЖСК)", "управляющей организации", "manager",
        (
            _c("code", "text", True, "Код организации", "M01"),
            _c("name", "text", True, "Наименование", "ООО «УК Уют»"),
            _c("kind", "enum", True, "uk — УК, tszh — ТСЖ, zhsk — ЖСК", "uk", domain="manager_kind"),
            _c("inn", "text", False, "ИНН", "7702000001", pattern="[0-9]{10}|[0-9]{12}",
               pattern_doc="ИНН — 10 или 12 цифр"),
            _c("kpp", "text", False, "КПП", "770201001", pattern="[0-9]{9}", pattern_doc="КПП — 9 цифр"),
        ),
        key=("code",),
        existing="SELECT id AS _id, code, name, kind, inn, kpp FROM manager",
        target="SELECT _id AS id, code, name, kind, inn, kpp FROM new_managers",
        table_key=("id",), has_id=True,
    ),
    Entity(
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
    ),
    Entity(
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
    ),
    Entity(
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
    ),
    Entity(
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
    ),
    Entity(
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
    ),
    Entity(
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
    ),
    Entity(
        "premises", "Помещения", "помещения", "premise",
        (
            _c("building", "text", True, "Код дома", "B0001"),
            _c("number", "text", True, "Номер помещения; комната коммунальной квартиры — «12-2»", "12"),
            _c("kind", "enum", True, "flat — квартира, room — комната, nonres — нежилое", "flat",
               domain="premise_kind"),
            _c("parent", "text", False, "Для комнаты: номер коммунальной квартиры в том же доме", ""),
            _c("section", "text", False, "Секция коммунальной квартиры / общежития", ""),
            _c("area", "dec2", True, "Площадь, м²", "54,3", min=0),
            _c("rooms", "int", False, "Комнат", "2", default="1", min=1, max=50),
            _c("communal", "bool", False, "Коммунальная квартира (разделена на комнаты разных ЛС)", "нет",
               default="0"),
            _c("meter_impossible", "bool", False, "Установка прибора учёта технически невозможна", "нет",
               default="0"),
        ),
        key=("building", "number"),
        existing="SELECT p.id AS _id, b.code AS building, p.number, p.kind, par.number AS parent, p.section,"
                 " p.area, p.rooms, p.communal, p.meter_impossible FROM premise p"
                 " JOIN building b ON b.id = p.building_id LEFT JOIN premise par ON par.id = p.parent_id",
        target="SELECT p._id AS id, b._id AS building_id, p.number, p.kind, par._id AS parent_id, p.section,"
               " p.area, p.rooms, p.communal, p.meter_impossible FROM new_premises p"
               " JOIN all_buildings b ON b.code = p.building"
               " LEFT JOIN all_premises par ON par.building = p.building AND par.number = p.parent",
        table_key=("id",), has_id=True,
        refs=(Ref(("building",), "buildings"), Ref(("building", "parent"), "premises")),
        checks=(Check("parent", "SELECT _row, 'комната коммунальной квартиры должна ссылаться на квартиру (parent)'"
                                " AS msg FROM stg s WHERE s.kind = 'room' AND s.parent IS NULL"),),
    ),
    Entity(
        "accounts", "Лицевые счета", "лицевого счёта", "account",
        (
            _c("number", "account", True, "Номер лицевого счёта (10 цифр; в Excel — текстовый формат)", "1000000001"),
            _c("holder_name", "text", True, "ФИО владельца счёта", "Иванов Иван Иванович"),
            _c("building", "text", True, "Код дома", "B0001"),
            _c("premise", "text", True, "Номер помещения в доме", "12"),
            _c("opened", "date", True, "Дата открытия", "2015-03-01"),
            _c("closed", "date", False, "Дата закрытия", ""),
            _c("email", "text", False, "Электронная почта", "ivanov@example.ru",
               pattern="[^@ ]+@[^@ ]+[.][^@ ]+", pattern_doc="не адрес электронной почты"),
            _c("phone", "text", False, "Телефон", "+79001234567"),
            _c("email_consent", "bool", False, "Согласие на счёт по e-mail", "да", default="0"),
        ),
        key=("number",),
        existing="SELECT a.id AS _id, a.number, a.holder_name, b.code AS building, p.number AS premise, a.opened,"
                 " a.closed, a.email, a.phone, a.email_consent FROM account a"
                 " LEFT JOIN premise p ON p.id = a.premise_id LEFT JOIN building b ON b.id = p.building_id",
        target="SELECT a._id AS id, a.number, a.holder_name, p._id AS premise_id, a.opened, a.closed, a.email,"
               " a.phone, a.email_consent FROM new_accounts a"
               " JOIN all_premises p ON p.building = a.building AND p.number = a.premise",
        table_key=("id",), has_id=True,
        refs=(Ref(("building", "premise"), "premises"),),
        checks=(Check("closed", "SELECT _row, 'дата закрытия не позже даты открытия' AS msg FROM stg s"
                                " WHERE s.closed <= s.opened"),),
    ),
    Entity(
        "account_facts", "Сведения по ЛС по периодам (жильцы, плита, тарифная группа)", "сведений ЛС",
        "account_fact",
        (
            _c("account", "account", True, "Номер ЛС", "1000000001"),
            _valid_from("2015-03-01"), _valid_to(),
            _c("residents_registered", "int", False, "Зарегистрировано", "2", default="0", min=0, max=1000),
            _c("residents_living", "int", False, "Проживает постоянно и временно", "2", default="0", min=0, max=1000),
            _c("owners", "int", False, "Собственников", "1", default="1", min=0, max=1000),
            _c("equipment", "enum", False, "none, stove, stove_heating (см. normatives)", "none",
               domain="equipment", default="none"),
            _c("tariff_group", "text", True, "Код тарифной группы", "urban"),
        ),
        key=("account", "valid_from"),
        existing="SELECT a.number AS account, f.valid_from, f.valid_to, f.residents_registered,"
                 " f.residents_living, f.owners, f.equipment, f.tariff_group"
                 " FROM account_fact f JOIN account a ON a.id = f.account_id",
        target="SELECT a._id AS account_id, f.valid_from, f.valid_to, f.residents_registered,"
               " f.residents_living, f.owners, f.equipment, f.tariff_group"
               " FROM new_account_facts f JOIN all_accounts a ON a.number = f.account",
        table_key=("account_id", "valid_from"),
        refs=(Ref(("account",), "accounts"), Ref(("tariff_group",), "tariff_groups")),
        interval=("valid_from", "valid_to", ("account",)),
    ),
    Entity(
        "absences", "Временное отсутствие", "периода отсутствия", "absence",
        (
            _c("account", "account", True, "Номер ЛС", "1000000001"),
            _c("date_from", "date", True, "День отъезда", "2026-06-01"),
            _c("date_to", "date", True, "День возвращения", "2026-06-20"),
            _c("document", "text", False, "Подтверждающий документ", "Справка № 15"),
        ),
        key=("account", "date_from"),
        existing="SELECT a.number AS account, x.date_from, x.date_to, x.document"
                 " FROM absence x JOIN account a ON a.id = x.account_id",
        target="SELECT a._id AS account_id, x.date_from, x.date_to, x.document"
               " FROM new_absences x JOIN all_accounts a ON a.number = x.account",
        table_key=("account_id", "date_from"),
        refs=(Ref(("account",), "accounts"),),
        interval=("date_from", "date_to", ("account",)),
    ),
    Entity(
        "metering_points", "Точки учёта (услуги)", "точки учёта", "metering_point",
        (
            _c("kind", "enum", False, "individual — точка ЛС или помещения, shared — общая точка комнат "
               "коммунальной квартиры/секции, common — ОДПУ дома", "individual", domain="point_kind",
               default="individual"),
            *_POINT_COLS,
            _c("zones", "int", False, "Число тарифных зон: 1, 2, 3", "1", default="1", min=1, max=3),
            _c("connected", "date", True, "Дата подключения", "2015-03-01"),
            _c("disconnected", "date", False, "Дата отключения (окончательного)", ""),
            _c("parent_premise", "text", False, "Для комнаты: номер коммунальной квартиры в доме building, "
               "общая точка которой делится между комнатами", ""),
        ),
        key=("point",),
        derived=(*_POINT_DERIVED,
                 ("parent_point", "CASE WHEN s.parent_premise IS NOT NULL THEN 'дом ' || s.building || ', пом. ' ||"
                                  " s.parent_premise || ' / ' || s.service END")),
        existing=f"""SELECT x._id, x.point, x.kind, x.account, x.building, x.premise, x.service, x.zones,
                       x.connected, x.disconnected, par.premise AS parent_premise, par.point AS parent_point
                    FROM ({_STORE_POINT}) x LEFT JOIN ({_STORE_POINT}) par ON par._id = x.parent_id""",
        target="""SELECT m._id AS id, m.kind, a._id AS account_id,
                     coalesce(p._id, ap._id) AS premise_id,
                     CASE WHEN m.account IS NULL AND m.premise IS NULL THEN b._id END AS building_id,
                     par._id AS parent_id, m.service, m.zones, m.connected, m.disconnected
                  FROM new_metering_points m
                  LEFT JOIN all_accounts a ON a.number = m.account
                  LEFT JOIN all_premises ap ON ap.building = a.building AND ap.number = a.premise
                  LEFT JOIN all_premises p ON m.account IS NULL AND p.building = m.building AND p.number = m.premise
                  LEFT JOIN all_buildings b ON b.code = m.building
                  LEFT JOIN all_metering_points par ON par.point = m.parent_point""",
        table_key=("id",), has_id=True,
        refs=(Ref(("account",), "accounts"), Ref(("building",), "buildings"),
              Ref(("building", "premise"), "premises", when="s.account IS NULL"),
              Ref(("parent_point",), "metering_points", col="parent_premise")),
        checks=(
            _POINT_CHECK,
            Check("account", "SELECT _row, 'у общей точки комнат (shared) и ОДПУ (common) нет ЛС' AS msg"
                             " FROM stg s WHERE s.kind <> 'individual' AND s.account IS NOT NULL"),
            Check("premise", "SELECT _row, 'для общей точки комнат (shared) укажите дом и помещение' AS msg"
                             " FROM stg s WHERE s.kind = 'shared' AND (s.premise IS NULL OR s.building IS NULL)"),
            Check("premise", "SELECT _row, 'у ОДПУ дома (common) не указывают помещение' AS msg"
                             " FROM stg s WHERE s.kind = 'common' AND s.premise IS NOT NULL"),
            Check("parent_premise", "SELECT _row, 'для parent_premise укажите дом (building)' AS msg"
                                    " FROM stg s WHERE s.parent_premise IS NOT NULL AND s.building IS NULL"),
            Check("parent_premise", """SELECT s._row, 'точка ' || s.parent_point || ' не общая (shared)' AS msg
                FROM stg s JOIN all_metering_points p ON p.point = s.parent_point WHERE p.kind <> 'shared'"""),
            Check("disconnected", "SELECT _row, 'дата отключения не позже даты подключения' AS msg"
                                  " FROM stg s WHERE s.disconnected <= s.connected"),
        ),
    ),
    Entity(
        "supply_states", "Состояние подачи (подключено, ограничено, отключено) по периодам",
        "состояния подачи", "supply_state",
        (
            *_POINT_COLS,
            _valid_from("2015-03-01"), _valid_to(),
            _c("state", "enum", True, "connected — подключено, restricted — ограничено, disconnected — отключено",
               "connected", domain="supply_state"),
            _c("reason", "text", False, "Основание", ""),
        ),
        key=("point", "valid_from"),
        derived=_POINT_DERIVED,
        existing=f"SELECT x.point, x.account, x.building, x.premise, x.service, s.valid_from, s.valid_to,"
                 f" s.state, s.reason FROM supply_state s JOIN ({_STORE_POINT}) x ON x._id = s.metering_point_id",
        target="SELECT p._id AS metering_point_id, s.valid_from, s.valid_to, s.state, s.reason"
               " FROM new_supply_states s JOIN all_metering_points p ON p.point = s.point",
        table_key=("metering_point_id", "valid_from"),
        refs=(_POINT_REF,),
        interval=("valid_from", "valid_to", ("point",)),
        checks=(_POINT_CHECK,),
    ),
    Entity(
        "meters", "Приборы учёта", "прибора учёта", "meter",
        (
            *_POINT_COLS,
            _c("model", "text", True, "Модель", "Меркурий 201.8"),
            _c("serial", "text", True, "Заводской номер", "12345678"),
            _c("digits", "int", False, "Разрядность (знаков до запятой)", "6", default="6", min=3, max=10),
            _c("zones", "int", False, "Тарифных зон: 1, 2, 3", "1", default="1", min=1, max=3),
            _c("ratio", "int", False, "Расчётный коэффициент (трансформации)", "1", default="1", min=1, max=100000),
            _c("installed", "date", True, "Дата установки (ввода в эксплуатацию)", "2020-05-15"),
            _c("removed", "date", False, "Дата снятия", ""),
            _c("verified", "date", False, "Дата последней поверки", "2020-01-10"),
            _c("verification_years", "int", False, "Межповерочный интервал, лет", "16", min=1, max=50),
            _c("state", "enum", False, "working — исправен, broken — неисправен, lost — утрачен", "working",
               domain="meter_state", default="working"),
            _c("state_since", "date", False, "С какой даты в этом состоянии", ""),
        ),
        key=("serial", "model"),
        derived=_POINT_DERIVED,
        existing=f"SELECT m.id AS _id, x.point, x.account, x.building, x.premise, x.service, m.model, m.serial,"
                 f" m.digits, m.zones, m.ratio, m.installed, m.removed, m.verified, m.verification_years,"
                 f" m.state, m.state_since FROM meter m JOIN ({_STORE_POINT}) x ON x._id = m.metering_point_id",
        target="SELECT m._id AS id, p._id AS metering_point_id, m.model, m.serial, m.digits, m.zones, m.ratio,"
               " m.installed, m.removed, m.verified, m.verification_years, m.state, m.state_since"
               " FROM new_meters m JOIN all_metering_points p ON p.point = m.point",
        table_key=("id",), has_id=True,
        refs=(_POINT_REF,),
        interval=("installed", "removed", ("point",)),
        checks=(
            _POINT_CHECK,
            Check("zones", """SELECT s._row, 'прибор на ' || s.zones || ' зон(ы), а у точки учёта ' || p.zones AS msg
                FROM stg s JOIN all_metering_points p ON p.point = s.point WHERE s.zones <> p.zones"""),
            Check("installed", """SELECT s._row, 'прибор установлен раньше подключения точки учёта ('
                    || strftime(p.connected, '%d.%m.%Y') || ')' AS msg
                FROM stg s JOIN all_metering_points p ON p.point = s.point WHERE s.installed < p.connected"""),
        ),
    ),
    Entity(
        "seals", "Пломбы", "пломбы", "seal",
        (
            _c("serial", "text", True, "Заводской номер прибора", "12345678"),
            _c("model", "text", True, "Модель прибора", "Меркурий 201.8"),
            _c("seal_no", "text", True, "Номер пломбы", "П0012345"),
            _c("act_no", "text", False, "Номер акта", "А-15"),
            _c("act_date", "date", False, "Дата акта", "2020-05-15"),
            _c("installed", "date", True, "Дата установки пломбы", "2020-05-15"),
            _c("removed", "date", False, "Дата снятия пломбы", ""),
        ),
        key=("serial", "model", "seal_no"),
        existing="SELECT s.id AS _id, m.serial, m.model, s.seal_no, s.act_no, s.act_date, s.installed, s.removed"
                 " FROM seal s JOIN meter m ON m.id = s.meter_id",
        target="SELECT s._id AS id, m._id AS meter_id, s.seal_no, s.act_no, s.act_date, s.installed, s.removed"
               " FROM new_seals s JOIN all_meters m ON m.serial = s.serial AND m.model = s.model",
        table_key=("id",), has_id=True,
        refs=(Ref(("serial", "model"), "meters", col="serial"),),
        checks=(Check("removed", "SELECT _row, 'дата снятия пломбы не позже даты установки' AS msg FROM stg s"
                                 " WHERE s.removed <= s.installed"),),
    ),
    Entity(
        "readings", "Показания (история)", "показания", "reading",
        (
            _c("serial", "text", True, "Заводской номер прибора", "12345678"),
            _c("model", "text", True, "Модель прибора", "Меркурий 201.8"),
            _c("zone", "int", False, "Зона: 1, 2, 3", "1", default="1", min=1, max=3),
            _c("read_on", "date", True, "Дата показания", "2025-12-25"),
            _c("value", "int", True, "Показание, целые кВт·ч", "10234", min=0),
            _c("kind", "enum", False, "regular — очередное, install — при установке, removal — при снятии, "
               "check — контрольное", "regular", domain="reading_kind", default="regular"),
            _c("source", "enum", False, "Источник: operator, controller, file, gis, portal, askue, load",
               "load", domain="reading_source", default="load"),
        ),
        key=("serial", "model", "zone", "read_on"),
        existing="SELECT m.serial, m.model, r.zone, r.read_on, r.value, r.kind, r.source"
                 " FROM reading r JOIN meter m ON m.id = r.meter_id WHERE r.status = 'accepted'",
        target="SELECT m._id AS meter_id, r.zone, r.read_on, r.value, r.kind, r.source,"
               " 'accepted' AS status, NULL::VARCHAR AS reason, $batch::BIGINT AS batch_id, $user AS entered_by"
               " FROM new_readings r JOIN all_meters m ON m.serial = r.serial AND m.model = r.model",
        table_key=("meter_id", "zone", "read_on"),
        compare=("meter_id", "zone", "read_on", "value"),
        compare_where="t.status = 'accepted'",
        gen_id=True,
        refs=(Ref(("serial", "model"), "meters", col="serial"),),
        checks=(
            Check("zone", """SELECT s._row, 'зона ' || s.zone || ' больше числа зон прибора (' || m.zones || ')' AS msg
                FROM stg s JOIN all_meters m ON m.serial = s.serial AND m.model = s.model WHERE s.zone > m.zones"""),
            Check("read_on", """SELECT s._row, 'дата показания вне срока работы прибора ('
                    || strftime(m.installed, '%d.%m.%Y') || ' – '
                    || coalesce(strftime(m.removed, '%d.%m.%Y'), '…') || ')' AS msg
                FROM stg s JOIN all_meters m ON m.serial = s.serial AND m.model = s.model
                WHERE s.read_on < m.installed OR s.read_on > m.removed"""),
            Check("value", """SELECT s._row, 'показание больше разрядности прибора (' || m.digits || ' знаков)' AS msg
                FROM stg s JOIN all_meters m ON m.serial = s.serial AND m.model = s.model
                WHERE s.value >= power(10, m.digits)"""),
            Check("value", """SELECT s._row, 'в базе уже есть другое показание на эту дату (' || c.value
                    || '), а месяц ' || strftime(s.read_on, '%m.%Y') || ' закрыт: изменить его нельзя' AS msg
                FROM stg s JOIN cur_readings c ON c.serial = s.serial AND c.model = s.model AND c.zone = s.zone
                    AND c.read_on = s.read_on
                WHERE c.value <> s.value AND (
                    EXISTS (SELECT 1 FROM billing_period b WHERE b.status = 'closed'
                            AND b.period = year(s.read_on) * 100 + month(s.read_on))
                    OR year(s.read_on) * 100 + month(s.read_on) < (SELECT min(period) FROM billing_period))"""),
        ),
    ),
    Entity(
        "meter_acts", "Акты: отказ в допуске к ПУ, вмешательство в работу ПУ", "акта", "meter_act",
        (
            *_POINT_COLS,
            _c("kind", "enum", True, "access_refused — отказ в допуске, tampering — вмешательство",
               "access_refused", domain="meter_act_kind"),
            _c("act_date", "date", True, "Дата акта", "2026-03-12"),
            _c("act_no", "text", False, "Номер акта", "17"),
            _c("note", "text", False, "Примечание", ""),
        ),
        key=("point", "kind", "act_date"),
        derived=_POINT_DERIVED,
        existing=f"SELECT a.id AS _id, x.point, x.account, x.building, x.premise, x.service, a.kind, a.act_date,"
                 f" a.act_no, a.note FROM meter_act a JOIN ({_STORE_POINT}) x ON x._id = a.metering_point_id",
        target="SELECT a._id AS id, p._id AS metering_point_id, a.kind, a.act_date, a.act_no, a.note"
               " FROM new_meter_acts a JOIN all_metering_points p ON p.point = a.point",
        table_key=("id",), has_id=True,
        refs=(_POINT_REF,),
        checks=(_POINT_CHECK,),
    ),
    Entity(
        "opening_balances", "Входящее сальдо по ЛС (из прежней системы)", "сальдо", "posting",
        (
            _c("account", "account", True, "Номер ЛС", "1000000001"),
            _c("service", "enum", False, "Услуга: electricity, odn, penalty", "electricity",
               enum=("electricity", "odn", "penalty"), domain="service", default="electricity"),
            _c("amount", "money", True, "Долг в рублях на начало (минус — переплата)", "1520,35"),
        ),
        key=("account", "service"),
        existing="SELECT a.number AS account, p.service, p.amount_kop AS amount"
                 " FROM posting p JOIN account a ON a.id = p.account_id WHERE p.kind = 'opening'",
        target="SELECT a._id AS account_id, b.service, 'opening' AS kind, $period::INTEGER AS period,"
               " $for_period::INTEGER AS for_period, b.amount AS amount_kop, 0::BIGINT AS vat_kop,"
               " $op_date::DATE AS op_date, NULL::BIGINT AS ref_id, $batch::BIGINT AS batch_id,"
               " 'Входящее сальдо из прежней системы' AS note"
               " FROM new_opening_balances b JOIN all_accounts a ON a.number = b.account",
        table_key=("account_id", "service"),
        compare=("account_id", "service", "amount_kop"),
        compare_where="t.kind = 'opening'",
        gen_id=True, insert_only=True,
        refs=(Ref(("account",), "accounts"),),
        checks=(Check("amount", """SELECT s._row, 'входящее сальдо по ЛС ' || s.account || ' уже загружено'
                    || ' с другой суммой (' || replace(printf('%.2f', c.amount / 100), '.', ',') || ' ₽); исправьте перерасчётом' AS msg
                FROM stg s JOIN cur_opening_balances c ON c.account = s.account AND c.service = s.service
                WHERE c.amount <> s.amount"""),),
    ),
)

BY_NAME = {e.name: e for e in ENTITIES}
