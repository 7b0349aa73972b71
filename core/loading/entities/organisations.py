"""The organisations: the supplier itself (its requisites by period) and the managers of buildings."""

from __future__ import annotations

from sbyt.core.loading.entity import Entity, _c, _valid_from, _valid_to


SUPPLIER = Entity(
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
)


MANAGERS = Entity(
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
)
