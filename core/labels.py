"""Operator labels of the store's codes: the one home of «code -> Russian word».

The store keeps short English codes (`urban`, `regular`, `accepted`, `odn_meter`, …); operators and
consumers never see them. Every display edge (CLI tables, console screens, the ЕПД, printed forms,
reports) shows `label(domain, code)`, and every input that takes a code (loading templates, command
arguments) also takes its label: `parse(domain, text)`, case-insensitive, «ё» = «е».

The same table lives in the store as `code_label(domain, code, label)` with the macro
`label(domain, code)` (migration sql/schema/071_code_labels.sql), so SQL reports and ad-hoc
`sbyt sql` use the same words; `code_column(table_name, column_name, domain)` says which store
column holds codes of which domain. tests/test_labels.py keeps the store's copy equal to this one.
A code without a label is shown as it is (a new code never disappears from a screen).
"""

from __future__ import annotations

import re

# domain -> {code: label}. Labels are what an operator reads in a table cell: names of services are
# capitalised, states and kinds are lower-case words.
LABELS: dict[str, dict[str, str]] = {
    "tariff_category": {
        "urban": "городское население",
        "urban_stove": "городское население с электроплитами и (или) электроотоплением",
        "rural": "сельское население",
        "equated": "приравненные к населению",
    },
    "equipment": {
        "none": "без электроплиты",
        "stove": "с электроплитой",
        "stove_heating": "с электроплитой и электроотоплением",
    },
    "settlement_kind": {"urban": "город", "rural": "село"},
    "manager_kind": {"uk": "УК", "tszh": "ТСЖ", "zhsk": "ЖСК"},
    "building_kind": {"mkd": "многоквартирный дом", "house": "жилой дом"},
    "management": {"uk": "УК", "tszh": "ТСЖ", "zhsk": "ЖСК", "direct": "непосредственное", "none": "не выбран"},
    "premise_kind": {"flat": "квартира", "room": "комната", "nonres": "нежилое помещение"},
    "point_kind": {"individual": "индивидуальная", "shared": "общая комнат", "common": "общедомовая (ОДПУ)"},
    "supply_state": {"connected": "подключено", "restricted": "ограничено", "disconnected": "отключено"},
    "meter_state": {"working": "исправен", "broken": "неисправен", "lost": "утрачен"},
    "reading_kind": {"regular": "очередное", "install": "при установке", "removal": "при снятии",
                     "check": "контрольное"},
    "reading_source": {"operator": "оператор", "controller": "контролёр", "file": "файл", "gis": "ГИС ЖКХ",
                       "portal": "личный кабинет", "askue": "АСКУЭ", "load": "загрузка"},
    "reading_status": {"accepted": "принято", "rejected": "отклонено"},
    "meter_act_kind": {"access_refused": "отказ в допуске", "tampering": "вмешательство"},
    "service": {"electricity": "Электроснабжение", "odn": "Электроэнергия на ОДН", "penalty": "Пени",
                "heating": "Электроэнергия на отопление"},
    "accrual_method": {"readings": "по показаниям", "average": "по среднему", "normative": "по нормативу",
                       "odn_meter": "по ОДПУ", "odn_normative": "по нормативу СОИ", "recalc": "перерасчёт",
                       "manual": "вручную", "penalty": "пени"},
    "accrual_status": {"draft": "черновик", "posted": "проведено"},
    "posting_kind": {"opening": "входящее сальдо", "accrual": "начисление", "recalc": "перерасчёт",
                     "payment": "оплата", "penalty": "пени", "refund": "возврат", "transfer": "перенос",
                     "writeoff": "списание"},
    "period_status": {"open": "открыт", "closed": "закрыт"},
    "payment_source": {"bank": "выписка банка (1С)", "xlsx": "выписка банка (Excel)",
                       "registry": "реестр платёжного агента", "gis": "платежи ГИС ЖКХ", "cash": "касса",
                       "portal": "личный кабинет", "demo": "демо", "transfer": "перенос"},
    "payment_status": {"posted": "разнесён", "unidentified": "неопознан", "aggregate": "сводное перечисление",
                       "refunded": "возвращён", "contract": "по договору"},
    "alias_kind": {"account": "лицевой счёт", "contract": "договор", "inn": "ИНН", "els": "ЕЛС"},
    "odn_source": {"readings": "по ОДПУ", "average": "по среднему объёму ОДПУ", "normative": "по нормативу"},
    "odn_billed_to": {"residents": "жителям", "manager": "управляющей организации"},
    "building_doc_kind": {"open": "открытие МКД", "close": "закрытие МКД", "fact": "изменение характеристик",
                          "meter_install": "ввод ОДПУ", "meter_remove": "вывод ОДПУ",
                          "meter_state": "состояние ОДПУ", "verification": "поверка ОДПУ", "seal": "пломба ОДПУ",
                          "direct_contract": "прямой договор", "supply_point": "точка поставки"},
    "delivery_status": {"sent": "отправлено", "failed": "ошибка"},
    "audit_action": {"insert": "добавление", "update": "изменение", "delete": "удаление", "command": "команда"},
    "access_event": {"refused": "отказ в правах", "pd_view": "просмотр персональных данных", "export": "выгрузка"},
    # legal entities (migration 090_legal.sql)
    "counterparty_kind": {"legal": "юридическое лицо", "sole_trader": "индивидуальный предприниматель", "manager": "УК / ТСЖ / ЖСК", "budget": "бюджетная организация"},
    "contract_kind": {"supply": "энергоснабжения", "sale": "купли-продажи", "manager": "с исполнителем коммунальных услуг"},
    "payment_scheme": {"p82": "п. 82: 30 % до 10-го, 40 % до 25-го, остаток до 18-го", "p81": "до 15-го следующего месяца", "retailer": "50 % до 1-го"},
    "contract_state": {"application": "заявка", "draft": "проект", "approved": "согласован", "disagreement": "протокол разногласий", "signed": "подписан", "terminated": "расторгнут", "refused": "отказ"},
    "contract_doc": {"application": "заявка", "documents": "получены документы", "missing_notice": "уведомление о недостающих документах", "draft": "проект договора", "approval": "согласование", "disagreement": "протокол разногласий", "disagreement_answer": "ответ на протокол разногласий", "signed": "подписание", "amendment": "дополнительное соглашение", "termination": "расторжение", "volumes": "договорные объёмы"},
    "contract_item": {"application": "заявление", "register_extract": "выписка из ЕГРЮЛ/ЕГРИП", "authority": "полномочия подписанта", "title": "право на энергопринимающие устройства", "grid_act": "акт о техприсоединении и АРБП", "meter_act": "акт допуска прибора учёта", "reserve_act": "акт аварийной и технологической брони", "capacity_doc": "документ о максимальной мощности", "scheme": "однолинейная схема", "management_contract": "договор управления или протокол собрания", "licence": "лицензия", "areas": "площади помещений и число проживающих", "odpu_docs": "документы на ОДПУ"},
    "voltage": {"VN": "ВН", "SN1": "СН1", "SN2": "СН2", "NN": "НН"},
    "hour_status": {"measured": "измерено", "substituted": "замещающая информация", "rejected": "отклонено"},
    # integral readings of legal meters (migration 092_legal_reading.sql)
    "legal_reading_source": {"manual": "ручной ввод", "controller": "контролёр", "template": "шаблон XLSX"},
    # contract volumes (migration 091_contract_volume.sql)
    "volume_service": {"energy": "Электроэнергия", "capacity": "Мощность"},
    # legal-entity accrual (migration 094_legal_accrual.sql)
    "price_component": {"energy": "электроэнергия", "capacity": "мощность", "network": "передача (одноставочный)", "network_capacity": "передача: ставка на содержание сетей", "network_loss": "передача: ставка на потери", "markup": "сбытовая надбавка", "infra": "инфраструктурные услуги"},
    "price_rate": {"fact": "фактический почасовой объём", "over": "превышение факта над планом", "under": "превышение плана над фактом"},
    "act_kind": {"unmetered": "безучётное потребление", "noncontracted": "бездоговорное потребление"},
    "act_method": {"max_capacity": "по максимальной мощности", "cable": "по пропускной способности кабеля"},
    "act_status": {"active": "действует", "cancelled": "отменён"},   # migration 095
    "charge_component": {"energy": "Электроэнергия", "capacity": "Мощность", "network_capacity": "Сетевая мощность", "network_loss": "Потери в сетях", "over": "Отклонение: факт выше плана", "under": "Отклонение: план выше факта", "network_deduct": "Без услуг по передаче", "unmetered": "Безучётное потребление", "noncontracted": "Бездоговорное потребление", "household": "По тарифу населения", "manager": "Коммунальный ресурс на СОИ", "penalty": "Пени"},
    "charge_method": {"hourly": "почасовые данные", "integral": "интегральные показания", "contract_volume": "договорный объём", "act": "акт", "tariff": "тариф населения", "odn": "объём дома", "penalty": "пени", "recalc": "перерасчёт"},
    # legal-entity payment schedule and debts (migration 096_legal_payments.sql)
    "doc_kind": {"bill_advance": "Счёт на оплату (промежуточный платёж)", "bill_actual": "Счёт на оплату (фактическое потребление)", "bill_remainder": "Счёт на оплату (окончательный расчёт)", "bill_penalty": "Счёт на оплату пени", "sf": "Счёт-фактура", "sf_advance": "Счёт-фактура на аванс", "ksf": "Корректировочный счёт-фактура", "act": "Акт приёма-передачи электрической энергии (мощности)", "act_recalc": "Акт перерасчёта", "upd": "Универсальный передаточный документ"},
    "vat_book": {"sales": "Книга продаж", "purchase": "Книга покупок"},
    "instalment": {"p82_10": "первый промежуточный платёж", "p82_25": "второй промежуточный платёж", "retailer_1": "промежуточный платёж", "final": "окончательный расчёт", "p81": "оплата за месяц", "opening": "входящее сальдо", "recalc": "перерасчёт", "refund": "возврат", "transfer": "перенос"},
    "legal_debt": {"energy": "электроэнергия", "penalty": "пени", "advance": "аванс (не распределено)"},
    # zones of a two- and a three-zone tariff (a single-rate tariff has one zone and no name)
    "zone_2": {"1": "день", "2": "ночь"},
    "zone_3": {"1": "пик", "2": "полупик", "3": "ночь"},
    "debt_stage": {"notice": "уведомление", "claim": "претензия", "restriction_notice": "уведомление об ограничении", "restriction": "ограничение (ОРП)", "court": "суд", "writ": "исполнительный документ", "enforcement": "исполнительное производство", "restructuring": "реструктуризация", "bankruptcy": "банкротство", "writeoff": "списание", "closed": "закрыто"},
    "debt_event": {"started": "начата ПИР", "stage": "переход на этап", "notice_sent": "уведомление направлено", "notice_delivered": "уведомление вручено", "claim_sent": "претензия направлена", "claim_answered": "ответ на претензию (признание долга)", "restriction_ordered": "заявка на ограничение направлена", "restricted": "ограничение введено", "disconnected": "подача приостановлена", "restriction_impossible": "ограничение технически невозможно", "reconnected": "подача возобновлена", "filed": "заявление подано в суд", "order_issued": "судебный приказ вынесен", "order_cancelled": "судебный приказ отменён", "judgment": "решение суда", "writ_received": "исполнительный документ получен", "sent_fssp": "направлено в ФССП", "proceedings": "возбуждено исполнительное производство", "fssp_ended": "исполнительное производство окончено", "recovered": "взыскано", "paid": "долг погашен", "schedule_concluded": "заключён график погашения", "schedule_broken": "график погашения нарушен", "schedule_completed": "график погашения исполнен", "bankruptcy": "процедура банкротства", "bankruptcy_claim": "требование в реестр кредиторов", "acknowledged": "признание долга (акт сверки)", "writeoff_approved": "долг списан", "writeoff_reversed": "списание сторнировано", "executor": "смена исполнителя", "closed": "дело закрыто"},
    "debt_doc": {"notice": "Уведомление о предстоящем приостановлении (ограничении)", "claim": "Претензия", "restriction_notice": "Уведомление о введении ограничения режима потребления", "restriction_order": "Заявка на ограничение режима потребления", "reconnection_order": "Заявка на возобновление подачи", "court_order_application": "Заявление о выдаче судебного приказа", "lawsuit": "Исковое заявление", "schedule": "Соглашение о погашении задолженности (график)", "bankruptcy_claim": "Требование о включении в реестр требований кредиторов", "writeoff_act": "Акт списания безнадёжной задолженности"},
    "debt_doc_status": {"approval": "на согласовании", "approved": "согласован", "rejected": "отклонён"},
    "debt_task_status": {"open": "к исполнению", "done": "выполнена", "forwarded": "перенаправлена", "cancelled": "отменена"},
    "debt_schedule_status": {"active": "действует", "broken": "нарушен", "completed": "исполнен"},
    "bankruptcy_procedure": {"observation": "наблюдение", "liquidation": "конкурсное производство", "realisation": "реализация имущества гражданина", "restructuring_debts": "реструктуризация долгов гражданина", "completed": "процедура завершена"},
    "writeoff_ground": {"limitation": "истёк срок исковой давности", "liquidation": "ликвидация должника (запись ЕГРЮЛ)", "impossibility": "невозможность взыскания (постановление ФССП)", "bankruptcy": "завершение процедуры банкротства"},
    "writeoff_status": {"draft": "проект", "approved": "утверждено", "reversed": "сторнировано"},
    "fssp_status": {"sent": "направлено", "opened": "возбуждено", "refused": "отказ в возбуждении", "ended_paid": "окончено фактическим исполнением", "ended_impossible": "окончено, взыскание невозможно", "returned": "документ возвращён взыскателю"},
    "debt_case_status": {"open": "в работе", "closed": "закрыто"},
}

# Store columns that hold codes: (table, column) -> domain. `sbyt sql` labels such columns in the
# formats people read; the store's `code_column` table carries the same.
COLUMNS: dict[tuple[str, str], str] = {
    ("tariff_group", "category"): "tariff_category",
    ("normative", "equipment"): "equipment",
    ("account_fact", "equipment"): "equipment",
    ("settlement", "kind"): "settlement_kind",
    ("manager", "kind"): "manager_kind",
    ("building", "kind"): "building_kind",
    ("building_fact", "management"): "management",
    ("premise", "kind"): "premise_kind",
    ("metering_point", "kind"): "point_kind",
    ("metering_point", "service"): "service",
    ("supply_state", "state"): "supply_state",
    ("meter", "state"): "meter_state",
    ("reading", "kind"): "reading_kind",
    ("reading", "source"): "reading_source",
    ("reading", "status"): "reading_status",
    ("meter_act", "kind"): "meter_act_kind",
    ("accrual_line", "service"): "service",
    ("accrual_line", "method"): "accrual_method",
    ("accrual_line", "status"): "accrual_status",
    ("posting", "service"): "service",
    ("posting", "kind"): "posting_kind",
    ("billing_period", "status"): "period_status",
    ("payment", "source"): "payment_source",
    ("payment", "status"): "payment_status",
    ("payment", "for_service"): "service",
    ("payment_alias", "kind"): "alias_kind",
    ("payment_pattern", "kind"): "alias_kind",
    ("building_doc", "kind"): "building_doc_kind",
    ("odn_result", "method"): "accrual_method",
    ("odn_result", "source"): "odn_source",
    ("odn_result", "management"): "management",
    ("odn_result", "billed_to"): "odn_billed_to",
    ("odn_meter_volume", "service"): "service",
    ("odn_share", "kind"): "premise_kind",
    ("epd_delivery", "status"): "delivery_status",
    ("audit_log", "action"): "audit_action",
    ("access_log", "event"): "access_event",
    ("counterparty", "kind"): "counterparty_kind",
    ("contract", "kind"): "contract_kind",
    ("contract", "payment_scheme"): "payment_scheme",
    ("contract", "state"): "contract_state",
    ("contract_doc", "kind"): "contract_doc",
    ("contract_item", "item"): "contract_item",
    ("legal_point_fact", "voltage"): "voltage",
    ("meter_hour", "status"): "hour_status",
    ("legal_reading", "source"): "legal_reading_source",
    ("legal_reading", "status"): "reading_status",
    ("contract_volume", "service"): "volume_service",
    ("price_component", "component"): "price_component",
    ("price_hour", "rate"): "price_rate",
    ("consumption_act", "kind"): "act_kind",
    ("consumption_act", "method"): "act_method",
    ("consumption_act", "status"): "act_status",
    ("consumption_act", "voltage"): "voltage",
    ("legal_charge", "component"): "charge_component",
    ("legal_charge", "method"): "charge_method",
    ("legal_charge", "voltage"): "voltage",
    ("legal_posting", "kind"): "posting_kind",
    ("legal_penalty_detail", "instalment"): "instalment",
    ("legal_doc", "kind"): "doc_kind",
    ("vat_book", "book"): "vat_book",
    ("legal_doc_delivery", "status"): "delivery_status",
    ("debt_case", "stage"): "debt_stage",
    ("debt_case", "status"): "debt_case_status",
    ("debt_event", "kind"): "debt_event",
    ("debt_event", "stage"): "debt_stage",
    ("debt_doc", "kind"): "debt_doc",
    ("debt_doc", "status"): "debt_doc_status",
    ("debt_task", "stage"): "debt_stage",
    ("debt_task", "status"): "debt_task_status",
    ("debt_schedule", "status"): "debt_schedule_status",
    ("debt_bankruptcy", "procedure"): "bankruptcy_procedure",
    ("debt_writeoff", "ground"): "writeoff_ground",
    ("debt_writeoff", "status"): "writeoff_status",
    ("debt_writ", "fssp_status"): "fssp_status",
}


def label(domain: str, code: object) -> str:
    """The Russian word for a code; an unknown code as it is, None as ''."""
    if code is None:
        return ""
    text = str(code)
    return LABELS[domain].get(text, text)


def zone_label(zones: int, zone: int) -> str:
    """The zone of a tariff variant: «день»/«ночь», «пик»/«полупик»/«ночь»; '' for a single rate."""
    return LABELS.get(f"zone_{zones}", {}).get(str(zone), "") if zones > 1 else ""


def codes(domain: str) -> tuple[str, ...]:
    return tuple(LABELS[domain])


_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The form in which input words are compared: case-folded, «ё» -> «е», spaces collapsed."""
    return _SPACES.sub(" ", text.strip()).casefold().replace("ё", "е")


def parse(domain: str, text: str, allowed: tuple[str, ...] | None = None) -> str | None:
    """The code named by `text` (the code itself or its label, any case, «ё» = «е»), else None."""
    key = normalize(text)
    for code in allowed if allowed is not None else codes(domain):
        if key == normalize(code) or key == normalize(label(domain, code)):
            return code
    return None


def choices(domain: str, allowed: tuple[str, ...] | None = None) -> str:
    """«код — слово» pairs for help texts and messages: «working — исправен, broken — неисправен»."""
    return ", ".join(f"{c} — {label(domain, c)}" for c in (allowed if allowed is not None else codes(domain)))


def sql_rows() -> list[tuple[str, str, str]]:
    """(domain, code, label) rows as the store's `code_label` table holds them."""
    return [(d, c, t) for d, labels in LABELS.items() for c, t in labels.items()]
