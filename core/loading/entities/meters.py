"""Metering points and meters: points, supply states, meters, seals, readings and meter acts."""

from __future__ import annotations

from sbyt.core.loading.entity import Check, Entity, Ref, _c, _valid_from, _valid_to

SERVICES = ("electricity",)


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


METERING_POINTS = Entity(
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
)


SUPPLY_STATES = Entity(
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
)


METERS = Entity(
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
)


SEALS = Entity(
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
)


READINGS = Entity(
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
)


METER_ACTS = Entity(
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
)
