"""Legal entities migrated from the old system: counterparties with their facts and bank accounts,
contracts (as signed or terminated, with their documents), calculation objects, supply points with
their facts, measuring complexes.

The rows written are those `sbyt counterparty` and `sbyt contract` write (`sbyt.core.counterparties`,
`sbyt.core.contracts`), with the same rules: requisites through `sbyt.core.requisites` (registered as
SQL functions, `FUNCTIONS`), the mobile number normalised, the capacity / price category rule of
`add_point`, the АСКУЭ code and channel bound to one measuring complex. A counterparty is named by
its INN and, when one INN has several KPP, its KPP (`cp`: «INN» or «INN/KPP», the CLI's key).
"""

from __future__ import annotations

from collections.abc import Callable

from sbyt.core import requisites
from sbyt.core.loading.entity import Also, Check, Entity, Ref, _c, _valid_from, _valid_to

MIGRATED = "перенесено из прежней системы"


def _person(kind: str | None) -> requisites.Kind:
    return {"sole_trader": "person", None: None}.get(kind, "legal")  # type: ignore[return-value]


def _inn(value: str | None, kind: str | None) -> str | None:
    return None if value is None else requisites.inn_problem(value, _person(kind))


def _ogrn(value: str | None, kind: str | None) -> str | None:
    return None if value is None else requisites.ogrn_problem(value, _person(kind))


def _one(fn: Callable[[str], str | None]) -> Callable[[str | None], str | None]:
    return lambda value: None if value is None else fn(value)


def _two(fn: Callable[[str, str], str | None]) -> Callable[[str | None, str | None], str | None]:
    return lambda a, b: None if a is None or b is None else fn(a, b)


def _mobile(value: str | None) -> str | None:
    return None if value is None or requisites.mobile_problem(value) else requisites.normalize_mobile(value)


# SQL name -> (function, number of VARCHAR arguments); the engine registers them on its connection
FUNCTIONS: dict[str, tuple[Callable[..., str | None], int]] = {
    "sbyt_inn_problem": (_inn, 2),
    "sbyt_kpp_problem": (_one(requisites.kpp_problem), 1),
    "sbyt_ogrn_problem": (_ogrn, 2),
    "sbyt_bik_problem": (_one(requisites.bik_problem), 1),
    "sbyt_account_problem": (_two(requisites.account_problem), 2),
    "sbyt_corr_account_problem": (_two(requisites.corr_account_problem), 2),
    "sbyt_mobile_problem": (_one(requisites.mobile_problem), 1),
    "sbyt_email_problem": (_one(requisites.email_problem), 1),
    "sbyt_normalize_mobile": (_mobile, 1),
}


def _dmy(expr: str) -> str:
    return f"strftime({expr}, '%d.%m.%Y')"


_CP = "s.inn || coalesce('/' || s.kpp, '')"          # «INN» or «INN/KPP»
_CP_DERIVED = (("cp", _CP),)
_CP_COLS = (
    _c("inn", "text", True, "ИНН контрагента (в Excel — текстовый формат: ИНН бывает с нуля)", "7736207543"),
    _c("kpp", "text", False, "КПП контрагента (у ИП пусто)", "770401001"),
)
_STORE_CP = "c.inn || coalesce('/' || c.kpp, '')"


COUNTERPARTIES = Entity(
    "counterparties", "Контрагенты (юридические лица, ИП, УК, бюджетные организации)", "контрагента",
    "counterparty",
    (
        _c("inn", "text", True, "ИНН: 10 цифр у организации, 12 у ИП (контрольные цифры проверяются; "
           "в Excel — текстовый формат)", "7736207543"),
        _c("kpp", "text", False, "КПП: обязателен у организации, у ИП пусто", "770401001"),
        _c("kind", "enum", True, "legal — юридическое лицо, sole_trader — ИП, manager — УК/ТСЖ/ЖСК, "
           "budget — бюджетная организация", "legal", domain="counterparty_kind"),
        _c("ogrn", "text", False, "ОГРН (13 цифр) или ОГРНИП (15 цифр)", "1027700229193"),
        _c("manager", "text", False, "Для вида manager: код управляющей организации (managers.code)", ""),
        _c("registered", "date", True, "Дата, с которой контрагент известен (первые сведения)", "2015-01-01"),
    ),
    key=("cp",),
    derived=_CP_DERIVED,
    existing=f"SELECT c.id AS _id, {_STORE_CP} AS cp, c.inn, c.kpp, c.kind, c.ogrn, m.code AS manager, c.registered"
             " FROM counterparty c LEFT JOIN manager m ON m.id = c.manager_id",
    target="SELECT c._id AS id, c.kind, c.inn, c.kpp, c.ogrn, m._id::INTEGER AS manager_id, c.registered,"
           " $user AS created_by FROM new_counterparties c LEFT JOIN all_managers m ON m.code = c.manager",
    table_key=("id",), has_id=True,
    compare=("id", "kind", "inn", "kpp", "ogrn", "manager_id", "registered"),
    refs=(Ref(("manager",), "managers"),),
    checks=(
        Check("inn", "SELECT _row, sbyt_inn_problem(s.inn, s.kind) AS msg FROM stg s"),
        Check("kpp", """SELECT _row, CASE
                    WHEN s.kind = 'sole_trader' AND s.kpp IS NOT NULL THEN 'у индивидуального предпринимателя нет КПП'
                    WHEN s.kind <> 'sole_trader' AND s.kpp IS NULL THEN 'укажите КПП организации'
                    ELSE sbyt_kpp_problem(s.kpp) END AS msg FROM stg s"""),
        Check("ogrn", "SELECT _row, sbyt_ogrn_problem(s.ogrn, s.kind) AS msg FROM stg s"),
        Check("manager", "SELECT _row, 'управляющую организацию (manager) указывают только у контрагента вида "
                         "manager' AS msg FROM stg s WHERE s.manager IS NOT NULL AND s.kind <> 'manager'"),
        Check("registered", f"""SELECT s._row, 'нет сведений контрагента (counterparty_facts: наименование) на дату '
                    || {_dmy('s.registered')} AS msg FROM stg s
                WHERE NOT EXISTS (SELECT 1 FROM all_counterparty_facts f WHERE f.cp = s.cp
                    AND f.valid_from <= s.registered AND (f.valid_to IS NULL OR f.valid_to > s.registered))"""),
    ),
)


COUNTERPARTY_FACTS = Entity(
    "counterparty_facts", "Сведения контрагентов по периодам (наименование, адреса, телефон, почта, группы)",
    "сведений контрагента", "counterparty_fact",
    (
        *_CP_COLS,
        _valid_from("2015-01-01"), _valid_to(),
        _c("name", "text", True, "Полное наименование (как в ЕГРЮЛ / ЕГРИП)", "ООО «Яндекс»"),
        _c("short_name", "text", False, "Краткое наименование", "Яндекс"),
        _c("legal_address", "text", False, "Юридический адрес", "119021, г. Москва, ул. Льва Толстого, д. 16"),
        _c("postal_address", "text", False, "Почтовый адрес", ""),
        _c("mobile", "text", False, "Мобильный телефон для уведомлений об ограничении (обязателен для "
           "подписанного договора энергоснабжения, купли-продажи)", "+7 912 345-67-89"),
        _c("email", "text", False, "Электронная почта для уведомлений (обязательна там же)", "energo@yandex.example"),
        _c("budget_level", "enum", False, "Уровень бюджета бюджетной организации: federal — федеральный, "
           "regional — региональный, local — местный", "", enum=("federal", "regional", "local")),
        _c("financing_group", "text", False, "Группа финансирования", ""),
        _c("consumer_group", "text", False, "Группа потребителей (для статистической отчётности)", "прочие"),
    ),
    key=("cp", "valid_from"),
    derived=_CP_DERIVED,
    existing=f"SELECT {_STORE_CP} AS cp, c.inn, c.kpp, f.valid_from, f.valid_to, f.name, f.short_name,"
             " f.legal_address, f.postal_address, f.mobile, f.email, f.budget_level, f.financing_group,"
             " f.consumer_group FROM counterparty_fact f JOIN counterparty c ON c.id = f.counterparty_id",
    target="SELECT c._id AS counterparty_id, f.valid_from, f.valid_to, f.name, f.short_name, f.legal_address,"
           " f.postal_address, sbyt_normalize_mobile(f.mobile) AS mobile, f.email, f.budget_level,"
           " f.financing_group, f.consumer_group"
           " FROM new_counterparty_facts f JOIN all_counterparties c ON c.cp = f.cp",
    table_key=("counterparty_id", "valid_from"),
    refs=(Ref(("cp",), "counterparties", col="inn"),),
    interval=("valid_from", "valid_to", ("cp",)),
    checks=(
        Check("mobile", "SELECT _row, sbyt_mobile_problem(s.mobile) AS msg FROM stg s"),
        Check("email", "SELECT _row, sbyt_email_problem(s.email) AS msg FROM stg s"),
    ),
)


COUNTERPARTY_BANKS = Entity(
    "counterparty_banks", "Банковские счета контрагентов", "банковского счёта", "counterparty_bank",
    (
        *_CP_COLS,
        _c("bik", "text", True, "БИК банка (9 цифр)", "044525225"),
        _c("bank_name", "text", False, "Банк", "ПАО Сбербанк"),
        _c("account", "text", True, "Расчётный счёт (20 цифр; ключ проверяется по БИК)", "40702810938000000001"),
        _c("corr_account", "text", False, "Корреспондентский счёт банка", "30101810400000000225"),
        _valid_from("2015-01-01"), _valid_to(),
    ),
    key=("cp", "valid_from"),
    derived=_CP_DERIVED,
    existing=f"SELECT b.id AS _id, {_STORE_CP} AS cp, c.inn, c.kpp, b.bik, b.bank_name, b.account, b.corr_account,"
             " b.valid_from, b.valid_to FROM counterparty_bank b JOIN counterparty c ON c.id = b.counterparty_id",
    target="SELECT b._id AS id, c._id AS counterparty_id, b.bik, b.bank_name, b.account, b.corr_account,"
           " b.valid_from, b.valid_to FROM new_counterparty_banks b JOIN all_counterparties c ON c.cp = b.cp",
    table_key=("id",), has_id=True,
    refs=(Ref(("cp",), "counterparties", col="inn"),),
    interval=("valid_from", "valid_to", ("cp",)),
    checks=(
        Check("bik", "SELECT _row, sbyt_bik_problem(s.bik) AS msg FROM stg s"),
        Check("account", "SELECT _row, sbyt_account_problem(s.bik, s.account) AS msg FROM stg s"
                         " WHERE sbyt_bik_problem(s.bik) IS NULL"),
        Check("corr_account", "SELECT _row, sbyt_corr_account_problem(s.bik, s.corr_account) AS msg FROM stg s"
                              " WHERE sbyt_bik_problem(s.bik) IS NULL"),
    ),
)


CONTRACTS = Entity(
    "contracts", "Договоры (подписанные и расторгнутые)", "договора", "contract",
    (
        _c("number", "text", True, "Номер договора", "Д-0001"),
        *_CP_COLS[:1],
        _c("kpp", "text", False, "КПП контрагента, если у его ИНН несколько КПП (филиалы)", ""),
        _c("kind", "enum", True, "supply — энергоснабжения, sale — купли-продажи, manager — с исполнителем "
           "коммунальных услуг", "supply", domain="contract_kind"),
        _c("payment_scheme", "enum", False, "Порядок оплаты: p82 (по умолчанию; у manager — p81), p81, retailer",
           "p82", domain="payment_scheme"),
        _c("state", "enum", False, "signed — подписан, terminated — расторгнут", "signed",
           enum=("signed", "terminated"), domain="contract_state", default="signed"),
        _c("applied_on", "date", False, "Дата заявки (по умолчанию — дата подписания)", "2015-01-10"),
        _c("signed_on", "date", True, "Дата подписания", "2015-01-20"),
        _c("doc_no", "text", False, "Номер при подписании (если отличается)", ""),
        _c("starts", "date", True, "Поставка с", "2015-02-01"),
        _c("ends", "date", False, "Срок действия по (не включая); пусто — бессрочно", ""),
        _c("terminated_on", "date", False, "Дата документа о расторжении (по умолчанию — дата расторжения)", ""),
        _c("terminated_from", "date", False, "Расторгнут с (обязательно для terminated)", ""),
        _c("termination_reason", "text", False, "Основание расторжения", ""),
        _c("edo", "bool", False, "Документооборот через ЭДО", "нет", default="0"),
    ),
    key=("number",),
    existing="SELECT k.id AS _id, k.number, c.inn, c.kpp, k.kind, k.payment_scheme, k.state, k.applied_on,"
             " k.signed_on, k.starts, k.ends, k.terminated_from, k.edo"
             " FROM contract k JOIN counterparty c ON c.id = k.counterparty_id",
    target="""SELECT k._id AS id, k.number, c._id AS counterparty_id, k.kind,
                     coalesce(k.payment_scheme, CASE k.kind WHEN 'manager' THEN 'p81' ELSE 'p82' END) AS payment_scheme,
                     k.state, coalesce(k.applied_on, k.signed_on) AS applied_on,
                     coalesce(k.applied_on, k.signed_on) AS complete_on, k.signed_on, k.starts, k.ends,
                     k.terminated_from, k.edo
              FROM new_contracts k JOIN all_counterparties c ON c.inn = k.inn AND (k.kpp IS NULL OR c.kpp = k.kpp)""",
    table_key=("id",), has_id=True,
    also=(Also(
        "contract_doc",
        f"""SELECT * FROM (
                SELECT k._id AS contract_id, 'application' AS kind, coalesce(k.applied_on, k.signed_on) AS doc_date,
                       NULL::VARCHAR AS doc_no, NULL::DATE AS effective, '{MIGRATED}' AS note FROM new_contracts k
                UNION ALL
                SELECT k._id, 'signed', k.signed_on, k.doc_no, k.starts, '{MIGRATED}' FROM new_contracts k
                UNION ALL
                SELECT k._id, 'termination', coalesce(k.terminated_on, k.terminated_from), NULL, k.terminated_from,
                       coalesce(k.termination_reason, '{MIGRATED}')
                FROM new_contracts k WHERE k.state = 'terminated')
            CROSS JOIN (SELECT $user AS created_by)
            ORDER BY contract_id, CASE kind WHEN 'application' THEN 1 WHEN 'signed' THEN 2 ELSE 3 END""",
        table_key=("contract_id", "kind"),
        compare=("contract_id", "kind", "doc_date", "doc_no", "effective", "note"),
        compare_where="t.kind IN ('application', 'signed', 'termination')",
        seq="contract_doc_seq"),),
    refs=(Ref(("inn",), "counterparties", when="s.kpp IS NULL", target=("inn",)),
          Ref(("inn", "kpp"), "counterparties", when="s.kpp IS NOT NULL", target=("inn", "kpp"))),
    checks=(
        Check("kpp", """SELECT s._row, 'с ИНН ' || s.inn || ' несколько контрагентов (КПП '
                    || string_agg(coalesce(c.kpp, 'без КПП'), ', ' ORDER BY c.kpp NULLS LAST) || '): укажите КПП' AS msg
                FROM stg s JOIN all_counterparties c ON c.inn = s.inn WHERE s.kpp IS NULL
                GROUP BY s._row, s.inn HAVING count(*) > 1"""),
        Check("signed_on", f"""SELECT _row, 'дата подписания раньше даты заявки (' || {_dmy('s.applied_on')} || ')'
                AS msg FROM stg s WHERE s.signed_on < s.applied_on"""),
        Check("ends", "SELECT _row, 'срок действия договора кончается раньше начала поставки' AS msg FROM stg s"
                      " WHERE s.ends <= s.starts"),
        Check("terminated_from", "SELECT _row, 'у расторгнутого договора укажите дату расторжения (terminated_from)'"
                                 " AS msg FROM stg s WHERE s.state = 'terminated' AND s.terminated_from IS NULL"),
        Check("terminated_from", "SELECT _row, 'дата расторжения указана, а договор не расторгнут (state)' AS msg"
                                 " FROM stg s WHERE s.state = 'signed' AND (s.terminated_from IS NOT NULL"
                                 " OR s.terminated_on IS NOT NULL OR s.termination_reason IS NOT NULL)"),
        Check("terminated_from", f"""SELECT _row, 'дата расторжения ' || {_dmy('s.terminated_from')}
                    || ' раньше начала поставки ' || {_dmy('s.starts')} AS msg
                FROM stg s WHERE s.terminated_from < s.starts"""),
        Check("terminated_on", f"""SELECT _row, 'документ о расторжении ' || {_dmy('s.terminated_on')}
                    || ' раньше подписания договора ' || {_dmy('s.signed_on')} AS msg
                FROM stg s WHERE s.terminated_on < s.signed_on"""),
        Check("state", """SELECT s._row, 'договор ' || CASE s.kind WHEN 'supply' THEN 'энергоснабжения'
                    ELSE 'купли-продажи' END || ' подписан, а в действующих сведениях контрагента ' || c.cp
                    || ' нет мобильного телефона и адреса электронной почты для уведомлений об ограничении'
                    || ' (counterparty_facts: mobile, email)' AS msg
                FROM stg s JOIN all_counterparties c ON c.inn = s.inn AND (s.kpp IS NULL OR c.kpp = s.kpp)
                WHERE s.state = 'signed' AND s.kind IN ('supply', 'sale')
                  AND (s.kpp IS NOT NULL OR (SELECT count(*) FROM all_counterparties x WHERE x.inn = s.inn) = 1)
                  AND NOT EXISTS (SELECT 1 FROM all_counterparty_facts f WHERE f.cp = c.cp AND f.valid_to IS NULL
                                  AND f.mobile IS NOT NULL AND f.email IS NOT NULL)"""),
    ),
)


CALC_OBJECTS = Entity(
    "calc_objects", "Объекты расчёта договоров (магазин, цех, нежилое помещение МКД)", "объекта расчёта",
    "calc_object",
    (
        _c("code", "text", True, "Код объекта", "OB0001"),
        _c("contract", "text", True, "Номер договора (contracts.number)", "Д-0001"),
        _c("name", "text", True, "Наименование", "Офис"),
        _c("address", "text", False, "Адрес", "г. Энск, ул. Ленина, д. 10к2, пом. 1"),
        _c("building", "text", False, "Для нежилого помещения многоквартирного дома: код дома (buildings.code) — "
           "объём помещения входит в баланс ОДН дома", ""),
        _c("premise_no", "text", False, "Номер нежилого помещения в доме (premises.number, вид nonres)", ""),
        _c("opened", "date", True, "Дата включения в договор", "2015-02-01"),
        _c("closed", "date", False, "Дата исключения из договора", ""),
    ),
    key=("code",),
    existing="SELECT o.id AS _id, o.code, k.number AS contract, o.name, o.address, b.code AS building, o.premise_no,"
             " o.opened, o.closed FROM calc_object o JOIN contract k ON k.id = o.contract_id"
             " LEFT JOIN building b ON b.id = o.building_id",
    target="SELECT o._id AS id, k._id AS contract_id, o.code, o.name, o.address, b._id AS building_id, o.premise_no,"
           " o.opened, o.closed FROM new_calc_objects o JOIN all_contracts k ON k.number = o.contract"
           " LEFT JOIN all_buildings b ON b.code = o.building",
    table_key=("id",), has_id=True,
    refs=(Ref(("contract",), "contracts"), Ref(("building",), "buildings"),
          Ref(("building", "premise_no"), "premises", col="premise_no", target=("building", "number"))),
    checks=(
        Check("premise_no", """SELECT s._row, 'помещение ' || s.premise_no || ' дома ' || s.building
                    || ' не нежилое (premises.kind: nonres)' AS msg
                FROM stg s JOIN all_premises p ON p.building = s.building AND p.number = s.premise_no
                WHERE p.kind <> 'nonres'"""),
        Check("building", """SELECT s._row, 'дом ' || s.building || ' не многоквартирный: нежилое помещение объекта'
                    || ' указывают только в МКД' AS msg
                FROM stg s JOIN all_buildings b ON b.code = s.building WHERE b.kind <> 'mkd'"""),
        Check("premise_no", "SELECT _row, 'для номера помещения укажите дом (building)' AS msg FROM stg s"
                            " WHERE s.premise_no IS NOT NULL AND s.building IS NULL"),
        Check("closed", "SELECT _row, 'дата исключения не позже даты включения' AS msg FROM stg s"
                        " WHERE s.closed <= s.opened"),
    ),
)


LEGAL_POINTS = Entity(
    "legal_points", "Точки поставки объектов расчёта", "точки поставки", "legal_point",
    (
        _c("code", "text", True, "Код точки поставки", "TP0001"),
        _c("object", "text", True, "Код объекта расчёта (calc_objects.code)", "OB0001"),
        _c("name", "text", False, "Наименование (ячейка, фидер)", "ВРУ-0,4 кВ"),
        _c("grid_company", "text", False, "Сетевая организация", "ПАО «Россети»"),
        _c("boundary", "text", False, "Граница балансовой принадлежности (по акту)", "наконечники кабеля в ВРУ"),
        _c("head_point", "text", False, "Транзит: код точки поставки головного потребителя, от сетей которого "
           "питается эта точка (её объём вычитается из объёма головной)", ""),
        _c("opened", "date", True, "Дата включения", "2015-02-01"),
        _c("closed", "date", False, "Дата исключения", ""),
    ),
    key=("code",),
    existing="SELECT p.id AS _id, p.code, o.code AS object, p.name, p.grid_company, p.boundary, h.code AS head_point,"
             " p.opened, p.closed FROM legal_point p JOIN calc_object o ON o.id = p.object_id"
             " LEFT JOIN legal_point h ON h.id = p.head_point_id",
    target="SELECT p._id AS id, o._id AS object_id, p.code, p.name, p.grid_company, p.boundary,"
           " h._id AS head_point_id, p.opened, p.closed FROM new_legal_points p"
           " JOIN all_calc_objects o ON o.code = p.object LEFT JOIN all_legal_points h ON h.code = p.head_point",
    table_key=("id",), has_id=True,
    refs=(Ref(("object",), "calc_objects"), Ref(("head_point",), "legal_points")),
    checks=(
        Check("head_point", "SELECT _row, 'точка поставки не может быть транзитной от самой себя' AS msg"
                            " FROM stg s WHERE s.head_point = s.code"),
        Check("closed", "SELECT _row, 'дата исключения не позже даты включения' AS msg FROM stg s"
                        " WHERE s.closed <= s.opened"),
        Check("opened", f"""SELECT s._row, 'нет характеристик точки поставки (legal_point_facts) на дату включения '
                    || {_dmy('s.opened')} AS msg FROM stg s
                WHERE NOT EXISTS (SELECT 1 FROM all_legal_point_facts f WHERE f.point = s.code
                    AND f.valid_from <= s.opened AND (f.valid_to IS NULL OR f.valid_to > s.opened))"""),
    ),
)


def _kw(expr: str) -> str:
    """700.500 -> «700,5», 700.000 -> «700»."""
    return f"replace(regexp_replace(CAST({expr} AS VARCHAR), '\\.?0+$', ''), '.', ',')"


LEGAL_POINT_FACTS = Entity(
    "legal_point_facts", "Характеристики точек поставки по периодам (напряжение, мощность, ценовая категория)",
    "характеристик точки поставки", "legal_point_fact",
    (
        _c("point", "text", True, "Код точки поставки", "TP0001"),
        _valid_from("2015-02-01"), _valid_to(),
        _c("voltage", "enum", True, "Уровень напряжения: VN — ВН, SN1 — СН1, SN2 — СН2, NN — НН", "NN",
           domain="voltage"),
        _c("max_kw", "dec3", True, "Максимальная мощность, кВт (от 670 кВт — только ценовые категории 4 и 6)", "150"),
        _c("price_category", "int", True, "Ценовая категория 1–6", "1", min=1, max=6),
        _c("reliability", "int", False, "Категория надёжности электроснабжения 1–3", "3", min=1, max=3),
    ),
    key=("point", "valid_from"),
    existing="SELECT p.code AS point, f.valid_from, f.valid_to, f.voltage, f.max_kw, f.price_category, f.reliability"
             " FROM legal_point_fact f JOIN legal_point p ON p.id = f.point_id",
    # a terminated contract's facts end on its termination date (as `sbyt contract terminate` closes them)
    target="""SELECT p._id AS point_id, f.valid_from,
                     CASE WHEN k.state = 'terminated' AND (f.valid_to IS NULL OR f.valid_to > k.terminated_from)
                          THEN k.terminated_from ELSE f.valid_to END AS valid_to,
                     f.voltage, f.max_kw, f.price_category, f.reliability, NULL::BIGINT AS doc_id
              FROM new_legal_point_facts f JOIN all_legal_points p ON p.code = f.point
              LEFT JOIN all_calc_objects o ON o.code = p.object LEFT JOIN all_contracts k ON k.number = o.contract""",
    table_key=("point_id", "valid_from"),
    compare=("point_id", "valid_from", "valid_to", "voltage", "max_kw", "price_category", "reliability"),
    refs=(Ref(("point",), "legal_points"),),
    interval=("valid_from", "valid_to", ("point",)),
    checks=(
        Check("max_kw", "SELECT _row, 'максимальная мощность должна быть больше нуля' AS msg FROM stg s"
                        " WHERE s.max_kw <= 0"),
        Check("price_category", f"""SELECT _row, 'при максимальной мощности ' || {_kw('s.max_kw')}
                    || ' кВт (670 кВт и более) допустимы только ценовые категории 4 и 6' AS msg
                FROM stg s WHERE s.max_kw >= 670 AND s.price_category NOT IN (4, 6)"""),
        Check("valid_from", f"""SELECT s._row, 'характеристики с ' || {_dmy('s.valid_from')}
                    || ' — после расторжения договора № ' || k.number || ' (расторгнут с '
                    || {_dmy('k.terminated_from')} || ')' AS msg
                FROM stg s JOIN all_legal_points p ON p.code = s.point JOIN all_calc_objects o ON o.code = p.object
                JOIN all_contracts k ON k.number = o.contract
                WHERE k.state = 'terminated' AND s.valid_from >= k.terminated_from"""),
    ),
)


LEGAL_METERS = Entity(
    "legal_meters", "Измерительные комплексы точек поставки (прибор учёта и трансформаторы)",
    "измерительного комплекса", "legal_meter",
    (
        _c("point", "text", True, "Код точки поставки", "TP0001"),
        _c("serial", "text", True, "Заводской номер прибора", "01234567"),
        _c("model", "text", False, "Модель", "Меркурий 234"),
        _c("accuracy", "text", False, "Класс точности", "0,5S"),
        _c("digits", "int", False, "Разрядность (знаков до запятой)", "6", default="6", min=3, max=10),
        _c("ct_ratio", "int", False, "Коэффициент трансформации тока (150/5 → 30)", "30", default="1", min=1,
           max=100000),
        _c("vt_ratio", "int", False, "Коэффициент трансформации напряжения (10000/100 → 100)", "1", default="1",
           min=1, max=100000),
        _c("installed", "date", True, "Дата установки (допуска)", "2015-02-01"),
        _c("removed", "date", False, "Дата снятия", ""),
        _c("verified", "date", False, "Дата последней поверки", "2014-11-20"),
        _c("verification_years", "int", False, "Межповерочный интервал, лет", "16", min=1, max=50),
        _c("loss_pct", "dec3", False, "Потери от места установки до границы балансовой принадлежности, %", "0",
           default="0", min=0, max=100),
        _c("askue_code", "text", False, "АСКУЭ: код точки измерения (measuringpoint code в макете 80020)",
           "131040001114001"),
        _c("askue_channel", "text", False, "АСКУЭ: код канала активной энергии приёма (measuringchannel code)", "01"),
    ),
    key=("point", "serial"),
    existing="SELECT m.id AS _id, p.code AS point, m.serial, m.model, m.accuracy, m.digits, m.ct_ratio, m.vt_ratio,"
             " m.installed, m.removed, m.verified, m.verify_years AS verification_years, m.loss_pct, m.askue_code,"
             " m.askue_channel FROM legal_meter m JOIN legal_point p ON p.id = m.point_id",
    target="SELECT m._id AS id, p._id AS point_id, m.serial, m.model, m.accuracy, m.digits, m.ct_ratio, m.vt_ratio,"
           " m.installed, m.removed, m.verified, m.verification_years AS verify_years, m.loss_pct, m.askue_code,"
           " m.askue_channel FROM new_legal_meters m JOIN all_legal_points p ON p.code = m.point",
    table_key=("id",), has_id=True,
    refs=(Ref(("point",), "legal_points"),),
    checks=(
        Check("askue_channel", "SELECT _row, 'для АСКУЭ укажите и код точки измерения (askue_code), и код канала"
                               " (askue_channel)' AS msg FROM stg s WHERE (s.askue_code IS NULL) <> (s.askue_channel IS NULL)"),
        Check("askue_code", """SELECT s._row, 'точка измерения АСКУЭ ' || s.askue_code || ', канал ' || s.askue_channel
                    || ' уже привязана к прибору ' || o.serial || ' точки поставки ' || o.point
                    || CASE WHEN o._row IS NULL THEN ' в базе' ELSE ' в строке ' || o._row END AS msg
                FROM stg s JOIN all_legal_meters o ON o.askue_code = s.askue_code AND o.askue_channel = s.askue_channel
                    AND (o.point <> s.point OR o.serial <> s.serial)
                WHERE o._row IS NULL OR o._row < s._row
                QUALIFY row_number() OVER (PARTITION BY s._row ORDER BY o._row NULLS FIRST) = 1"""),
        Check("removed", "SELECT _row, 'дата снятия не позже даты установки' AS msg FROM stg s"
                         " WHERE s.removed <= s.installed"),
        Check("installed", f"""SELECT s._row, 'прибор установлен раньше включения точки поставки ('
                    || {_dmy('p.opened')} || ')' AS msg
                FROM stg s JOIN all_legal_points p ON p.code = s.point WHERE s.installed < p.opened"""),
    ),
)


LEGAL = (COUNTERPARTIES, COUNTERPARTY_FACTS, COUNTERPARTY_BANKS, CONTRACTS, CALC_OBJECTS, LEGAL_POINTS,
         LEGAL_POINT_FACTS, LEGAL_METERS)
