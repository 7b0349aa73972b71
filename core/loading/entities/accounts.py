"""Premises and accounts: premises, accounts, their facts by period, absences and opening balances."""

from __future__ import annotations

from sbyt.core.loading.entity import Check, Entity, Ref, _c, _valid_from, _valid_to


PREMISES = Entity(
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
)


ACCOUNTS = Entity(
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
)


ACCOUNT_FACTS = Entity(
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
)


ABSENCES = Entity(
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
)


OPENING_BALANCES = Entity(
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
)
