"""The bailiffs' (ФССП) exchange of debt collection (docs/collection.md «Обмен с ФССП»).

* **Debtor identity** (`set_identity`, `identity`): what 229-ФЗ ст. 13 ч. 1 п. 5 «а» requires of a
  citizen-debtor in an executive document and in the application to open proceedings — the date
  and place of birth and at least one identifier (СНИЛС, ИНН, passport, driving licence, vehicle
  registration certificate); table `debtor_identity` (migration 102), one row per household account
  or sole trader.
* **Export** (`export_writs`): the executive documents not yet sent (or the ones named) as one XML
  file of applications in sbyt's layout `data/xsd/sbyt_fssp_application_1.xsd` — the official
  schema of ФССП order № 8 of 15.01.2021 was not available offline, so the layout follows the
  order's field list (229-ФЗ ст. 13 and 30) with the element names seen in ФССП decisions. The file
  is validated against the XSD before anything is written; a writ whose citizen-debtor lacks the
  birth date, the birth place or an identifier refuses the whole export (every such writ listed).
  On success: `debt_writ.sent_fssp`, status 'sent' and the event 'sent_fssp' per case (which moves
  the case to the stage «исполнительное производство»), in one transaction with the file.
* **Answers** (`import_answers`): ФССП decisions as XML (namespace
  http://www.fssprus.ru/namespace/order/2017/2, root OIp; one file holds one decision or a wrapper
  with several) or sbyt's CSV registry ``doc_no;proceedings_no;status;status_date;recovered_rub``.
  The whole file is validated first (every bad row reported with the file and row), written all or
  nothing, and a file is taken once (`fssp_answer_batch.sha256`). Applied: the proceedings number,
  the status and its date, the cumulative amount recovered, and the events 'proceedings',
  'fssp_ended', 'recovered' of the cases.

Nothing here reads or writes files except through the paths given (the CLI passes the bytes it
read, `sbyt.console.cli.files`, so server mode works the same).
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from xml.parsers import expat

from sbyt.core import access, clock
from sbyt.core.access import check, requires
from sbyt.core.collection import Event, add_event, find_case, record_events, stages
from sbyt.core.errors import NotFoundError, RefusedError, RowError, SbytError, ValidationError
from sbyt.core.labels import label, parse
from sbyt.core.money import format_rub, kop, rub
from sbyt.core.periods import parse_date
from sbyt.core.requisites import inn_problem
from sbyt.core.store import Store
from sbyt.io.tabular import parse_csv

SCHEMA = "sbyt_fssp_application_1.xsd"
NS = "urn:sbyt:fssp:application:1"
PROGRAM = "sbyt"
OIP_NAMESPACES = ("http://www.fssprus.ru/namespace/order/2017/2",
                  "http://www.fssp.gov.ru/namespace/order_fssp/2022/1")   # the second: seen in public code, unverified

# ФССП decision kinds (DocType) -> the status of the executive document. Codes as seen in public code
# reading ФССП decisions; the official list of order № 8 was not available offline (docs/collection.md).
DOC_TYPES: dict[str, str] = {
    "O_IP_RES_REOPEN": "opened",           # постановление о возбуждении исполнительного производства
    "O_IP_ACT_REOPEN_CANCEL": "refused",   # постановление об отказе в возбуждении
    "O_IP_ACT_END_END": "ended_paid",      # постановление об окончании (фактическое исполнение, ст. 47 ч. 1 п. 1)
    "O_IP_ACT_END_STOP": "ended_impossible",   # постановление о прекращении (ст. 43)
    "O_IP_ACT_RETURN": "returned",         # об окончании и возвращении ИД взыскателю (ст. 46)
}
ANSWER_STATUSES = ("opened", "refused", "ended_paid", "ended_impossible", "returned")
ENDED = frozenset({"refused", "ended_paid", "ended_impossible", "returned"})
NEEDS_PROCEEDINGS = frozenset({"opened", "ended_paid", "ended_impossible"})
# 23545/20/69025-ИП: the number within the department, the year (2 digits), the department's code;
# «-СД» for a consolidated proceedings
PROCEEDINGS_RE = re.compile(r"\d{1,10}/\d{2}/\d{5}-(?:ИП|СД)")
CSV_COLUMNS = ("doc_no", "proceedings_no", "status", "status_date", "recovered_rub")
CSV_ALIASES: dict[str, tuple[str, ...]] = {
    "doc_no": ("doc_no", "номер документа", "номер исполнительного документа", "iddocno"),
    "proceedings_no": ("proceedings_no", "номер ип", "номер исполнительного производства", "ipno"),
    "status": ("status", "статус"),
    "status_date": ("status_date", "дата статуса", "дата", "docdate"),
    "recovered_rub": ("recovered_rub", "взыскано, руб.", "взыскано", "взыскано, руб"),
}
DEBTOR_TYPE = {"legal": 1, "person": 2, "sole_trader": 3}
DOC_KIND_NAME = {"court_order": "Судебный приказ", "writ": "Исполнительный лист"}
DOC_KIND_OF = {"court_order": "судебного приказа", "writ": "исполнительного листа"}


# ---------------------------------------------------------------------------------------- identity

IDENTITY_FIELDS = ("full_name", "birth_date", "birth_place", "residence", "snils", "inn", "passport_series",
                   "passport_number", "passport_issued_on", "passport_issued_by", "driving_licence",
                   "vehicle_cert")
IDENTIFIERS = ("snils", "inn", "passport", "driving_licence", "vehicle_cert")
IDENTIFIER_NAMES = {"snils": "СНИЛС", "inn": "ИНН", "passport": "паспорт", "driving_licence": "водительское удостоверение",
                    "vehicle_cert": "свидетельство о регистрации ТС"}
FIELD_NAMES = {"full_name": "ФИО полностью", "birth_date": "дата рождения", "birth_place": "место рождения",
               "residence": "место жительства", "snils": "СНИЛС", "inn": "ИНН", "passport_series": "серия паспорта",
               "passport_number": "номер паспорта", "passport_issued_on": "дата выдачи паспорта",
               "passport_issued_by": "кем выдан паспорт", "driving_licence": "водительское удостоверение",
               "vehicle_cert": "свидетельство о регистрации ТС"}
_SERIES_NUMBER = re.compile(r"[0-9]{2}[0-9А-ЯЁ]{2}[0-9]{6}")


@dataclass(frozen=True)
class Debtor:
    """Whose identity: a household account's holder or a sole trader."""
    account_id: int | None
    counterparty_id: int | None
    number: str                 # the account number or the ИНН
    name: str
    kind: str                   # 'person' (household) | 'sole_trader'
    address: str | None


@dataclass(frozen=True)
class Identity:
    debtor: Debtor
    full_name: str | None = None
    birth_date: date | None = None
    birth_place: str | None = None
    residence: str | None = None
    snils: str | None = None
    inn: str | None = None
    passport_series: str | None = None
    passport_number: str | None = None
    passport_issued_on: date | None = None
    passport_issued_by: str | None = None
    driving_licence: str | None = None
    vehicle_cert: str | None = None
    updated_by: str | None = None
    updated_at: object = None

    def identifiers(self) -> list[str]:
        """The identifiers present (codes of IDENTIFIERS)."""
        have = {"snils": self.snils, "inn": self.inn,
                "passport": self.passport_series and self.passport_number,
                "driving_licence": self.driving_licence, "vehicle_cert": self.vehicle_cert}
        return [k for k in IDENTIFIERS if have[k]]

    def missing(self) -> list[str]:
        """What a citizen-debtor's application still lacks (Russian words), empty when complete."""
        out = []
        if self.birth_date is None:
            out.append("дата рождения")
        if not self.birth_place:
            out.append("место рождения")
        if not self.identifiers():
            out.append("идентификатор (" + ", ".join(IDENTIFIER_NAMES.values()) + ")")
        return out


_ADDRESS = ("se.name || ', ' || st.name || ', д. ' || b.house_no"
            " || CASE WHEN p.number IS NOT NULL AND p.number <> '' THEN ', кв. ' || p.number ELSE '' END")
_ACCOUNT_ADDRESS_JOIN = (" LEFT JOIN premise p ON p.id = a.premise_id LEFT JOIN building b ON b.id = p.building_id"
                         " LEFT JOIN street st ON st.id = b.street_id LEFT JOIN settlement se ON se.id = st.settlement_id")
_CP_NAME = ("(SELECT f.name FROM counterparty_fact f WHERE f.counterparty_id = {cp} ORDER BY f.valid_from DESC LIMIT 1)")
_CP_ADDRESS = ("(SELECT coalesce(f.legal_address, f.postal_address) FROM counterparty_fact f"
               " WHERE f.counterparty_id = {cp} ORDER BY f.valid_from DESC LIMIT 1)")


def find_debtor(store: Store, key: str) -> Debtor:
    """A debtor by the account number, the sole trader's ИНН, or a case number (ПИР-…)."""
    text = str(key).strip()
    row = store.one(f"SELECT a.id, a.number, a.holder_name, {_ADDRESS} FROM account a {_ACCOUNT_ADDRESS_JOIN}"
                    " WHERE a.number = ?", [text])
    if row:
        return Debtor(row[0], None, row[1], row[2], "person", row[3])
    cps = store.all(f"SELECT c.id, c.inn, c.kind, {_CP_NAME.format(cp='c.id')}, {_CP_ADDRESS.format(cp='c.id')}"
                    " FROM counterparty c WHERE c.inn = ? ORDER BY c.id", [text])
    if not cps:
        try:
            case = find_case(store, text)
        except SbytError:
            raise NotFoundError(f"Должник «{text}» не найден: укажите номер лицевого счёта, ИНН индивидуального "
                                f"предпринимателя или номер дела ПИР.") from None
        if case.account_id is not None:
            return find_debtor(store, case.debtor_no)
        cps = store.all(f"SELECT c.id, c.inn, c.kind, {_CP_NAME.format(cp='c.id')}, {_CP_ADDRESS.format(cp='c.id')}"
                        " FROM counterparty c WHERE c.id = (SELECT counterparty_id FROM contract WHERE id = ?)",
                        [case.contract_id])
    cid, inn, kind, name, address = cps[0]
    if kind != "sole_trader":
        raise SbytError(f"Контрагент с ИНН {inn} — организация: паспортные данные и СНИЛС нужны только для "
                        f"граждан и индивидуальных предпринимателей; ИНН и ОГРН организации берутся из карточки "
                        f"контрагента (sbyt counterparty).")
    return Debtor(None, cid, inn, name or "", "sole_trader", address)


def _identity_row(store: Store, debtor: Debtor) -> tuple | None:
    col, key = ("account_id", debtor.account_id) if debtor.account_id is not None else \
        ("counterparty_id", debtor.counterparty_id)
    return store.one(f"SELECT {', '.join(IDENTITY_FIELDS)}, updated_by, updated_at FROM debtor_identity"
                     f" WHERE {col} = ?", [key])


@requires("debt.work")
def identity(store: Store, key: str) -> Identity:
    """The debtor's identity (fields None where unknown); personal data masked for a session without
    'pd.read', an unmasked view is written to the access log."""
    debtor = find_debtor(store, key)
    row = _identity_row(store, debtor)
    ident = Identity(debtor, *row) if row else Identity(debtor)
    if not access.sees_personal_data(store):
        return mask(ident)
    if not store.read_only:
        access.viewed(store, debtor.number)
    return ident


def mask(ident: Identity) -> Identity:
    def tail(v: str | None) -> str | None:
        return None if v is None else "***" + v[-2:]
    d = ident.debtor
    return replace(ident, debtor=replace(d, name=access.mask_name(d.name) or "", address="***" if d.address else None),
                   full_name=access.mask_name(ident.full_name), birth_date=None,
                   birth_place="***" if ident.birth_place else None, residence="***" if ident.residence else None,
                   snils=tail(ident.snils), inn=tail(ident.inn),
                   passport_series="***" if ident.passport_series else None, passport_number=tail(ident.passport_number),
                   passport_issued_on=None, passport_issued_by="***" if ident.passport_issued_by else None,
                   driving_licence=tail(ident.driving_licence), vehicle_cert=tail(ident.vehicle_cert))


def snils_problem(value: str) -> str | None:
    """СНИЛС: 11 digits (separators «-» and spaces allowed), the last two the check number."""
    digits = re.sub(r"[\s\-]", "", value)
    if not (len(digits) == 11 and digits.isascii() and digits.isdigit()):
        return f"СНИЛС должен состоять из 11 цифр: «{value}»"
    if int(digits[:9]) <= 1001998:
        return None            # numbers up to 001-001-998 carry no check number
    s = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    check_no = s if s < 100 else 0 if s in (100, 101) else s % 101 % 100
    return None if check_no == int(digits[9:]) else f"СНИЛС {value}: неверное контрольное число"


def _digits(text: str, n: int) -> tuple[str, str | None]:
    t = re.sub(r"[\s№]", "", text)
    words = {4: "4 цифры", 6: "6 цифр"}[n]
    return t, None if len(t) == n and t.isascii() and t.isdigit() else f"ожидается {words}: «{text}»"


def _series_number(text: str) -> tuple[str, str | None]:
    t = re.sub(r"[\s№]", "", text).upper()
    return t, None if _SERIES_NUMBER.fullmatch(t) else (
        f"ожидается серия (4 знака: 2 цифры и 2 цифры или буквы) и номер (6 цифр), например «99 01 123456»: «{text}»")


# field -> text -> (the value stored, the problem or None)
_CHECKS: dict[str, Callable[[str], tuple[str, str | None]]] = {
    "snils": lambda t: (re.sub(r"[\s\-]", "", t), snils_problem(t)),
    "inn": lambda t: (t, inn_problem(t, "person")),
    "passport_series": lambda t: _digits(t, 4),
    "passport_number": lambda t: _digits(t, 6),
    "driving_licence": _series_number,
    "vehicle_cert": _series_number,
}


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def normalise_identity(values: dict[str, object], today: date) -> tuple[dict[str, object], list[str]]:
    """The given fields checked and normalised: (fields, problems in Russian). A field given as ''
    clears it; 'passport' «СССС НННННН» sets series and number."""
    out: dict[str, object] = {}
    problems: list[str] = []
    for name, raw in values.items():
        if raw is None:
            continue
        if name == "passport":
            text = re.sub(r"[\s№]", "", str(raw))
            if not text:
                out["passport_series"] = out["passport_number"] = None
            elif len(text) == 10 and text.isascii() and text.isdigit():
                out["passport_series"], out["passport_number"] = text[:4], text[4:]
            else:
                problems.append(f"паспорт: ожидается серия (4 цифры) и номер (6 цифр), например «4510 123456»: "
                                f"«{raw}»")
            continue
        if name not in IDENTITY_FIELDS:
            raise SbytError(f"Неизвестное поле «{name}»: допустимы {', '.join(IDENTITY_FIELDS)}, passport.")
        if isinstance(raw, date):
            text = raw.isoformat()
        else:
            text = _text(raw) or ""
        if not text:
            out[name] = None
            continue
        what = FIELD_NAMES[name]
        if name in ("birth_date", "passport_issued_on"):
            try:
                day = raw if isinstance(raw, date) else parse_date(text)
            except ValueError as e:
                problems.append(f"{what}: {e}")
                continue
            if day > today or day.year < 1900:
                problems.append(f"{what}: {day:%d.%m.%Y} — невозможная дата")
                continue
            out[name] = day
        elif name in _CHECKS:
            value, problem = _CHECKS[name](text)
            if problem:
                problems.append(problem if name in ("snils", "inn") else f"{what}: {problem}")
            else:
                out[name] = value
        else:
            out[name] = text
    if "birth_date" in out and "passport_issued_on" in out and out["birth_date"] and out["passport_issued_on"] \
            and out["passport_issued_on"] < out["birth_date"]:     # type: ignore[operator]
        problems.append("паспорт выдан раньше даты рождения")
    return out, problems


@requires("debt.work")
def set_identity(store: Store, key: str, values: dict[str, object]) -> Identity:
    """Set the given identity fields of a debtor (None: keep, '': clear); every bad value is
    reported at once and nothing is written. Audited (the names of the fields changed, not their
    values: they are personal data)."""
    debtor = find_debtor(store, key)
    fields, problems = normalise_identity(values, clock.today())
    if problems:
        raise SbytError(f"Данные должника {debtor.number} не записаны:\n" + "\n".join(f"  {p}" for p in problems))
    if not fields:
        raise SbytError("Не задано ни одного поля (--birth-date, --birth-place, --snils, --inn, --passport …).")
    row = _identity_row(store, debtor)
    old = dict(zip(IDENTITY_FIELDS, row[:len(IDENTITY_FIELDS)])) if row else {}
    changed = sorted(k for k, v in fields.items() if old.get(k) != v)
    col, kid = ("account_id", debtor.account_id) if debtor.account_id is not None else \
        ("counterparty_id", debtor.counterparty_id)
    with store.transaction():
        if row is None:
            names = list(fields)
            store.execute(f"INSERT INTO debtor_identity ({col}, {', '.join(names)}, updated_by)"
                          f" VALUES (?, {', '.join('?' * len(names))}, ?)", [kid, *fields.values(), store.user])
        elif changed:
            sets = ", ".join(f"{k} = ?" for k in fields)
            store.execute(f"UPDATE debtor_identity SET {sets}, updated_by = ?, updated_at = current_timestamp"
                          f" WHERE {col} = ?", [*fields.values(), store.user, kid])
        if changed or row is None:
            store.audit("identity", "debtor_identity", debtor.number, None,
                        json.dumps({"fields": changed or sorted(fields)}, ensure_ascii=False))
    return identity(store, debtor.number)


# ---------------------------------------------------------------------------------------- export

@dataclass(frozen=True)
class ExportResult:
    path: Path
    writs: int
    cases: tuple[str, ...]          # the case numbers, in the file's order
    total_kop: int                  # IdDebtSum over the file: amounts + duties
    sha256: str
    data: bytes = field(repr=False, default=b"")


@dataclass(frozen=True)
class _Writ:
    id: int
    doc_kind: str
    doc_no: str
    court: str
    court_case_no: str
    act_date: date
    in_force: date | None
    amount_kop: int
    duty_kop: int
    penalty_kop: int | None
    sent_fssp: date | None
    case_id: int
    case_number: str
    debtor_kind: str
    case_status: str
    stage: str
    stage_since: date
    scheme: str
    account_no: str | None
    holder_name: str | None
    account_address: str | None
    contract_no: str | None
    cp_kind: str | None
    cp_inn: str | None
    cp_kpp: str | None
    cp_ogrn: str | None
    cp_name: str | None
    cp_address: str | None
    doc_principal_kop: int | None
    doc_penalty_kop: int | None
    ident: tuple


WRIT_SQL = (
    "SELECT w.id, w.doc_kind, w.doc_no, w.court, w.court_case_no, w.act_date, w.in_force, w.amount_kop, w.duty_kop,"
    " w.penalty_kop, w.sent_fssp, c.id, c.number, c.debtor_kind, c.status, c.stage, c.stage_since, c.scheme,"
    f" a.number, a.holder_name, {_ADDRESS}, k.number, cp.kind, cp.inn, cp.kpp, cp.ogrn,"
    f" {_CP_NAME.format(cp='cp.id')}, {_CP_ADDRESS.format(cp='cp.id')},"
    " d.principal_kop, d.penalty_kop, "
    + ", ".join(f"i.{f}" for f in IDENTITY_FIELDS) +
    " FROM debt_writ w JOIN debt_case c ON c.id = w.case_id"
    " LEFT JOIN account a ON a.id = c.account_id" + _ACCOUNT_ADDRESS_JOIN +
    " LEFT JOIN contract k ON k.id = c.contract_id"
    " LEFT JOIN counterparty cp ON cp.id = coalesce(c.counterparty_id, k.counterparty_id)"
    " LEFT JOIN debtor_identity i ON i.account_id = c.account_id OR i.counterparty_id = cp.id"
    " LEFT JOIN (SELECT case_id, principal_kop, penalty_kop, row_number() OVER (PARTITION BY case_id"
    "            ORDER BY doc_date DESC, id DESC) AS n FROM debt_doc"
    "            WHERE kind IN ('court_order_application', 'lawsuit') AND status = 'approved') d"
    "   ON d.case_id = c.id AND d.n = 1"
)


def _writs(store: Store, writ_ids: Sequence[int] | None) -> list[_Writ]:
    if writ_ids is None:
        where, params = " WHERE w.sent_fssp IS NULL AND c.status = 'open'", []
    else:
        where, params = " WHERE w.id IN (SELECT unnest(?))", [sorted({int(i) for i in writ_ids})]
    rows = store.all(WRIT_SQL + where + " ORDER BY c.number, w.act_date, w.id", params)
    n = 30
    return [_Writ(*r[:n], tuple(r[n:])) for r in rows]


def _identity_of(w: _Writ) -> Identity:
    """The debtor of a writ; a sole trader's ИНН is the one of its counterparty card."""
    debtor = Debtor(None, None, w.account_no or w.cp_inn or "", w.holder_name or w.cp_name or "",
                    "person" if w.debtor_kind == "household" else (w.cp_kind or "legal"),
                    w.account_address if w.debtor_kind == "household" else w.cp_address)
    ident = Identity(debtor, *w.ident)
    if w.debtor_kind != "household" and w.cp_kind == "sole_trader" and not ident.inn:
        ident = replace(ident, inn=w.cp_inn)
    return ident


def _split(w: _Writ) -> tuple[int, int] | None:
    """(principal, penalty) of the writ's amount, when known."""
    if w.penalty_kop is not None and 0 <= w.penalty_kop <= w.amount_kop:
        return w.amount_kop - w.penalty_kop, w.penalty_kop
    if w.doc_principal_kop is not None and w.doc_principal_kop + w.doc_penalty_kop == w.amount_kop:
        return w.doc_principal_kop, w.doc_penalty_kop
    return None


def _problems(store: Store, w: _Writ, on: date, schemes: dict[str, dict]) -> list[str]:
    out = []
    if w.case_status != "open":
        out.append(f"дело {w.case_number} закрыто")
    else:
        sts = schemes.get(w.scheme) or schemes.setdefault(w.scheme, stages(store, w.scheme))
        if w.stage != "enforcement" and "enforcement" not in sts[w.stage].next_stages:
            out.append(f"дело {w.case_number} на этапе «{label('debt_stage', w.stage)}»: сначала отметьте получение "
                       f"исполнительного документа (событие writ_received)")
        elif on < w.stage_since:
            out.append(f"дата заявления {on:%d.%m.%Y} раньше начала этапа дела ({w.stage_since:%d.%m.%Y})")
    if on < w.act_date:
        out.append(f"дата заявления {on:%d.%m.%Y} раньше даты документа ({w.act_date:%d.%m.%Y})")
    ident = _identity_of(w)
    if w.debtor_kind == "household" or w.cp_kind == "sole_trader":
        missing = ident.missing()
        if missing:
            out.append("у должника нет: " + ", ".join(missing))
    elif not w.cp_ogrn:
        out.append("у организации-должника не указан ОГРН (карточка контрагента)")
    if not ident.debtor.address and not ident.residence:
        out.append("не известен адрес должника")
    return out


def _supplier(store: Store, on: date) -> tuple:
    row = store.one("SELECT name, inn, kpp, bank_account, bank_name, bic, corr_account, address, phone, email"
                    " FROM supplier WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
                    " ORDER BY valid_from DESC LIMIT 1", [on, on])
    if row is None:
        raise SbytError(f"Не заданы реквизиты поставщика на {on:%d.%m.%Y} (таблица supplier).")
    return row


def _sub(parent: ET.Element, tag: str, text: object = None, attrs: dict[str, str] | None = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs or {})
    if text is not None:
        el.text = text.isoformat() if isinstance(text, date) else str(text)
    return el


def _amount(kopecks: int) -> str:
    return f"{rub(kopecks)}"


def build_xml(store: Store, writs: Sequence[_Writ], on: date) -> bytes:
    """The applications file (UTF-8), not yet validated."""
    sup = _supplier(store, on)
    name, inn, kpp, bank_account, bank_name, bic, corr_account, address, phone, email = sup
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}FsspApplications", {"FormatVersion": "1", "Created": on.isoformat(),
                                                    "Count": str(len(writs)), "Program": PROGRAM})
    crdr = _sub(root, "Crdr")
    _sub(crdr, "CrdrName", name)
    _sub(crdr, "CrdrInn", inn)
    _sub(crdr, "CrdrKpp", kpp)
    _sub(crdr, "CrdrAdr", address)
    if phone:
        _sub(crdr, "CrdrPhone", phone)
    if email:
        _sub(crdr, "CrdrEmail", email)
    bank = _sub(crdr, "CrdrBank")
    for tag, value in (("AccountNo", bank_account), ("BankName", bank_name), ("Bik", bic), ("CorrAccount", corr_account)):
        _sub(bank, tag, value)
    for n, w in enumerate(writs, start=1):
        app = _sub(root, "Application", attrs={"Number": str(n), "ExternalKey": f"sbyt-writ-{w.id}"})
        _sub(app, "ApplDate", on)
        _sub(app, "CrdrCaseNo", w.case_number)
        _sub(app, "DebtorAccount", w.account_no or w.contract_no)
        doc = _sub(app, "IdDoc")
        _sub(doc, "IdType", w.doc_kind)
        _sub(doc, "IdTypeName", DOC_KIND_NAME[w.doc_kind])
        _sub(doc, "IdDocNo", w.doc_no)
        _sub(doc, "IdDocDate", w.act_date)
        _sub(doc, "IdDeloNo", w.court_case_no)
        _sub(doc, "IdCourtName", w.court)
        if w.in_force:
            _sub(doc, "IdInForceDate", w.in_force)
        ident = _identity_of(w)
        person = w.debtor_kind == "household" or w.cp_kind == "sole_trader"
        kind = "person" if w.debtor_kind == "household" else ("sole_trader" if person else "legal")
        dbt = _sub(app, "Debtor")
        _sub(dbt, "DebtorType", DEBTOR_TYPE[kind])
        _sub(dbt, "DbtrName", ident.full_name or ident.debtor.name)
        _sub(dbt, "DbtrAdr", ident.residence or ident.debtor.address)
        if person:
            p = _sub(dbt, "Person")
            _sub(p, "BirthDate", ident.birth_date)
            _sub(p, "BirthPlace", ident.birth_place)
            ids = _sub(p, "Identifiers")
            if ident.snils:
                _sub(ids, "Snils", ident.snils)
            if ident.inn:
                _sub(ids, "Inn", ident.inn)
            if ident.passport_series and ident.passport_number:
                pas = _sub(ids, "Passport")
                _sub(pas, "Series", ident.passport_series)
                _sub(pas, "Number", ident.passport_number)
                if ident.passport_issued_on:
                    _sub(pas, "IssueDate", ident.passport_issued_on)
                if ident.passport_issued_by:
                    _sub(pas, "IssuedBy", ident.passport_issued_by)
            if ident.driving_licence:
                _sub(ids, "DrivingLicence", ident.driving_licence)
            if ident.vehicle_cert:
                _sub(ids, "VehicleCert", ident.vehicle_cert)
            if kind == "sole_trader" and w.cp_ogrn:
                _sub(p, "Ogrnip", w.cp_ogrn)
        else:
            org = _sub(dbt, "Organization")
            _sub(org, "Inn", w.cp_inn)
            if w.cp_kpp:
                _sub(org, "Kpp", w.cp_kpp)
            _sub(org, "Ogrn", w.cp_ogrn)
        claim = _sub(app, "Claim")
        split = _split(w)
        if split:
            _sub(claim, "Principal", _amount(split[0]))
            _sub(claim, "Penalty", _amount(split[1]))
        _sub(claim, "Duty", _amount(w.duty_kop))
        _sub(claim, "IdDebtSum", _amount(w.amount_kop + w.duty_kop))
        _sub(app, "Request", f"Прошу возбудить исполнительное производство на основании "
                             f"{DOC_KIND_OF[w.doc_kind]} {'' if '№' in w.doc_no else '№ '}{w.doc_no} от {w.act_date:%d.%m.%Y} "
                             f"({w.court}, дело № {w.court_case_no}) о взыскании "
                             f"{format_rub(w.amount_kop + w.duty_kop)} руб. и перечислять взысканные суммы на "
                             f"расчётный счёт {bank_account} в {bank_name}, БИК {bic}, к/с {corr_account}.")
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


@cache
def _schema():
    import xmlschema

    path = resources.files("sbyt.data").joinpath("xsd", SCHEMA)
    if not path.is_file():
        raise SbytError(f"Схема {SCHEMA} не найдена в пакете (data/xsd).")
    return xmlschema.XMLSchema10(str(path))


def validate(data: bytes) -> list[str]:
    """The schema errors of an applications file («reason (path)»), empty if it is valid."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return [f"повреждённый XML: {e}"]
    return [f"{e.reason} ({e.path})" for e in _schema().iter_errors(root)]


@requires("debt.work")
def export_writs(store: Store, out: Path, on: date, writ_ids: Sequence[int] | None = None, *,
                 save: Callable[[Path, bytes], None] | None = None) -> ExportResult:
    """The executive documents not yet sent to the bailiffs (or `writ_ids`, e.g. one returned and
    presented again) as one applications file `out`, dated `on`. Refused, with every reason per
    writ and nothing written, when a citizen-debtor lacks the birth date, the birth place or an
    identifier, a case is closed or not yet at the writ stage. Then, in one transaction: the writs
    are marked sent (status 'sent'), each case gets the event 'sent_fssp' (the stage «исполнительное
    производство»), and the file is written (`save(path, bytes)`, default: the local file)."""
    check(store, "pd.read")          # the file carries the debtors' personal data unmasked
    if on > clock.today():
        raise SbytError(f"Дата заявления {on:%d.%m.%Y} позже сегодняшней.")
    writs = _writs(store, writ_ids)
    if writ_ids is not None:
        unknown = sorted({int(i) for i in writ_ids} - {w.id for w in writs})
        if unknown:
            raise NotFoundError("Исполнительные документы не найдены: " + ", ".join(f"№ {i}" for i in unknown) + ".")
    if not writs:
        raise SbytError("Нет исполнительных документов для направления в ФССП: все уже направлены "
                        "(повторно — с указанием документов, --writ).")
    schemes: dict[str, dict] = {}
    bad = [(w, p) for w in writs if (p := _problems(store, w, on, schemes))]
    if bad:
        lines = [f"  {w.doc_no} (дело {w.case_number}, должник {w.account_no or w.contract_no}): {'; '.join(p)}"
                 for w, p in bad]
        raise SbytError(f"Заявления в ФССП не сформированы: исполнительных документов с ошибками {len(bad)}. "
                        "Ничего не записано.\n" + "\n".join(lines)
                        + "\nДанные должника: sbyt debt fssp identity ЛС_ИЛИ_ИНН --birth-date … --birth-place … "
                          "--snils … (или --inn, --passport).")
    data = build_xml(store, writs, on)
    errors = validate(data)
    if errors:
        raise SbytError(f"Файл заявлений не соответствует схеме {SCHEMA}: {errors[0]}")
    ids = [w.id for w in writs]
    case_docs: dict[int, list[_Writ]] = {}
    for w in writs:
        case_docs.setdefault(w.case_id, []).append(w)
    with store.transaction():
        store.execute("UPDATE debt_writ SET sent_fssp = ?, fssp_status = 'sent', fssp_status_date = ?"
                      " WHERE id IN (SELECT unnest(?))", [on, on, ids])
        store.audit_rows([("sent_fssp", "debt_writ", w.doc_no, w.sent_fssp.isoformat() if w.sent_fssp else None,
                           on.isoformat(), None) for w in writs])
        for case_id, docs in case_docs.items():
            add_event(store, case_id, "sent_fssp", on,
                      amount_kop=sum(d.amount_kop + d.duty_kop for d in docs),
                      note=f"{out.name}: " + ", ".join(d.doc_no for d in docs))
        (save or _save_local)(out, data)
    return ExportResult(out, len(writs), tuple(dict.fromkeys(w.case_number for w in writs)),
                        sum(w.amount_kop + w.duty_kop for w in writs), hashlib.sha256(data).hexdigest(), data)


def _save_local(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# ---------------------------------------------------------------------------------------- answers

@dataclass(frozen=True)
class Answer:
    """One bailiffs' answer: a decision of an OIp file or a row of the CSV registry."""
    file: str
    row: int
    doc_no: str
    proceedings_no: str | None
    status: str
    status_date: date
    recovered_kop: int | None       # cumulative under the document; None: not reported
    debt_sum_kop: int | None = None  # IdDebtSum of a decision
    paid_in_full: bool = False      # a decision of actual execution without IdDebtSum: the document's whole sum
    court_case_no: str | None = None
    doc_type: str | None = None

    def error(self, message: str, column: str | None = None) -> RowError:
        return RowError(self.file, self.row, message, column)


@dataclass(frozen=True)
class ImportResult:
    file: str
    batch_id: int
    rows: int
    writs: int
    events: dict[str, int]
    recovered_kop: int              # the increase of the amounts recovered
    warnings: tuple[str, ...] = ()


def _money(text: str) -> int:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if not re.fullmatch(r"\d+(?:[.,]\d{1,2})?", t):
        raise ValueError(f"не сумма: «{text}» (рубли с копейками, например 1234,56)")
    return kop(t)


def _doc_key(text: str) -> str:
    """An executive document's number as compared: no spaces and «№», upper case."""
    return re.sub(r"[\s№]", "", text).upper()


def _decisions(data: bytes, file: str) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The OIp decisions of an XML file: (line of the decision, its top-level fields)."""
    if b"<!DOCTYPE" in data[:4096].upper():
        return [], [RowError(file, 1, "DOCTYPE в файле постановлений не допускается")]
    parser = expat.ParserCreate(namespace_separator="}")
    found: list[tuple[int, dict[str, str]]] = []
    stack: list[str] = []
    current: dict[str, str] | None = None
    depth = -1            # the depth of the open OIp element
    text: list[str] = []
    root: list[str] = []

    def start(name: str, _attrs: dict) -> None:
        nonlocal current, depth
        ns, _, local = name.rpartition("}")
        if not stack:
            root.append(name)
        if current is None and local == "OIp" and ns in OIP_NAMESPACES:
            current, depth = {}, len(stack)
            found.append((parser.CurrentLineNumber, current))
        stack.append(name)
        text.clear()

    def end(name: str) -> None:
        nonlocal current
        stack.pop()
        if current is not None:
            if len(stack) == depth + 1:
                local = name.rpartition("}")[2]
                value = "".join(text).strip()
                if value and local not in current:
                    current[local] = value
            elif len(stack) == depth:
                current = None
        text.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        return [], [RowError(file, e.lineno, f"повреждённый XML: {expat.ErrorString(e.code)}")]
    if not found:
        ns, _, local = (root[0] if root else "").rpartition("}")
        return [], [RowError(file, 1, f"это не постановление ФССП: корневой элемент «{local}», пространство имён "
                                      f"«{ns}» (ожидается OIp в {OIP_NAMESPACES[0]})")]
    return found, []


def _answers_xml(data: bytes, file: str) -> tuple[list[Answer], list[RowError]]:
    decisions, errors = _decisions(data, file)
    out: list[Answer] = []
    for line, f in decisions:
        errs: list[RowError] = []
        doc_type = f.get("DocType")
        status = DOC_TYPES.get(doc_type or "")
        if not doc_type:
            errs.append(RowError(file, line, "нет вида постановления (DocType)", "DocType"))
        elif status is None:
            errs.append(RowError(file, line, f"неизвестный вид постановления «{doc_type}»; известны: "
                                             + ", ".join(f"{k} ({label('fssp_status', v)})"
                                                         for k, v in DOC_TYPES.items()), "DocType"))
        day = None
        try:
            day = parse_date(f["DocDate"]) if f.get("DocDate") else None
            if day is None:
                errs.append(RowError(file, line, "нет даты постановления (DocDate)", "DocDate"))
        except ValueError as e:
            errs.append(RowError(file, line, str(e), "DocDate"))
        doc_no = f.get("IdDocNo")
        if not doc_no:
            errs.append(RowError(file, line, "нет номера исполнительного документа (IdDocNo)", "IdDocNo"))
        ip = f.get("IpNo")
        delo = f.get("IdDeloNo")
        if ip is None and delo and PROCEEDINGS_RE.fullmatch(delo):
            ip, delo = delo, None           # the proceedings number given in IdDeloNo
        if ip is not None and not PROCEEDINGS_RE.fullmatch(ip):
            errs.append(RowError(file, line, f"номер исполнительного производства «{ip}» не в формате "
                                             f"«23545/20/69025-ИП»", "IpNo"))
        debt = None
        if f.get("IdDebtSum"):
            try:
                debt = _money(f["IdDebtSum"])
            except ValueError as e:
                errs.append(RowError(file, line, str(e), "IdDebtSum"))
        if errs:
            errors += errs
            continue
        # a decision of actual execution: the whole debt of the document was recovered
        recovered = debt if status == "ended_paid" else None
        out.append(Answer(file, line, doc_no, ip, status, day, recovered,  # type: ignore[arg-type]
                          debt_sum_kop=debt, paid_in_full=status == "ended_paid" and debt is None,
                          court_case_no=delo, doc_type=doc_type))
    return out, errors


def _answers_csv(data: bytes, file: str) -> tuple[list[Answer], list[RowError]]:
    table = parse_csv(data, file)
    errors = list(table.errors)
    cols: dict[str, int] = {}
    for i, h in enumerate(table.columns):
        for key, names in CSV_ALIASES.items():
            if h in names and key not in cols:
                cols[key] = i
    missing = [c for c in ("doc_no", "status", "status_date") if c not in cols]
    if missing:
        return [], [RowError(file, 1, "нет столбцов: " + ", ".join(missing) + " (заголовок: "
                                      + ";".join(CSV_COLUMNS) + ")")]
    out: list[Answer] = []
    for n, cells in zip(table.row_numbers, table.rows):
        def cell(key: str) -> str | None:
            return cells[cols[key]] if key in cols else None
        errs: list[RowError] = []
        doc_no = cell("doc_no")
        if not doc_no:
            errs.append(RowError(file, n, "нет номера исполнительного документа", "doc_no"))
        ip = cell("proceedings_no")
        if ip and not PROCEEDINGS_RE.fullmatch(ip):
            errs.append(RowError(file, n, f"номер исполнительного производства «{ip}» не в формате "
                                          f"«23545/20/69025-ИП»", "proceedings_no"))
        status = None
        st_text = cell("status")
        if not st_text:
            errs.append(RowError(file, n, "нет статуса", "status"))
        else:
            status = parse("fssp_status", st_text, ANSWER_STATUSES)
            if status is None:
                errs.append(RowError(file, n, f"неизвестный статус «{st_text}»; допустимы: "
                                              + ", ".join(f"{c} ({label('fssp_status', c)})" for c in ANSWER_STATUSES),
                                     "status"))
        day = None
        d_text = cell("status_date")
        if not d_text:
            errs.append(RowError(file, n, "нет даты статуса", "status_date"))
        else:
            try:
                day = parse_date(d_text)
            except ValueError as e:
                errs.append(RowError(file, n, str(e), "status_date"))
        recovered = None
        r_text = cell("recovered_rub")
        if r_text:
            try:
                recovered = _money(r_text)
            except ValueError as e:
                errs.append(RowError(file, n, str(e), "recovered_rub"))
        if errs:
            errors += errs
            continue
        out.append(Answer(file, n, doc_no, ip or None, status, day, recovered))  # type: ignore[arg-type]
    if not out and not errors:
        errors.append(RowError(file, 2, "в файле нет строк"))
    return out, errors


def parse_answers(data: bytes, file: str) -> tuple[list[Answer], list[RowError]]:
    """The well-formed answers of a file (XML decisions or the CSV registry) and the errors of the
    others. Nothing here touches the store."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    return (_answers_xml if head.startswith(b"<") else _answers_csv)(data, file)


def _refuse(file: str, errors: list[RowError]) -> ValidationError:
    return ValidationError(sorted(errors, key=lambda e: e.row),
                           f"Файл ответов ФССП «{file}» не загружен: ошибок {len(errors)}. Ничего не записано.")


@dataclass
class _State:
    writ_id: int
    case_id: int
    stage: str
    doc_no: str
    proceedings_no: str | None
    status: str | None
    status_date: date | None
    recovered_kop: int
    limit_kop: int
    act_date: date
    court_case_no: str
    changed: bool = False


@requires("debt.work")
def import_answers(store: Store, path: Path, data: bytes | None = None) -> ImportResult:
    """Take a file of the bailiffs' answers (`data`: its bytes, else read from `path`): validated as a
    whole, written all or nothing, once per file."""
    data = path.read_bytes() if data is None else data
    file = path.name
    sha = hashlib.sha256(data).hexdigest()
    prior = store.one("SELECT file_name, created_at FROM fssp_answer_batch WHERE sha256 = ?", [sha])
    if prior:
        raise RefusedError(f"Файл «{file}» уже загружен ({prior[0]}, {prior[1]:%d.%m.%Y %H:%M}); повторная загрузка "
                           "запрещена.")
    answers, errors = parse_answers(data, file)
    today = clock.today()
    keys = sorted({_doc_key(a.doc_no) for a in answers})
    rows = store.all("SELECT w.id, w.case_id, c.stage, w.doc_no, w.proceedings_no, w.fssp_status, w.fssp_status_date,"
                     " w.recovered_kop, w.amount_kop + w.duty_kop, w.act_date, w.court_case_no,"
                     " upper(regexp_replace(w.doc_no, '[\\s№]', '', 'g'))"
                     " FROM debt_writ w JOIN debt_case c ON c.id = w.case_id"
                     " WHERE upper(regexp_replace(w.doc_no, '[\\s№]', '', 'g')) IN (SELECT unnest(?))", [keys])
    states = {r[11]: _State(*r[:11]) for r in rows}
    warnings: list[str] = []
    events: list[Event] = []
    recovered_total = 0
    # in the order of the answers' dates (a file may carry the opening and the end of one proceedings)
    for a in sorted(answers, key=lambda x: (x.status_date, x.row)):
        s = states.get(_doc_key(a.doc_no))
        if s is None:
            errors.append(a.error(f"исполнительный документ «{a.doc_no}» не найден (sbyt debt fssp list)"))
            continue
        errs: list[str] = []
        if a.status_date > today:
            errs.append(f"дата {a.status_date:%d.%m.%Y} позже сегодняшней")
        if a.status_date < s.act_date:
            errs.append(f"дата {a.status_date:%d.%m.%Y} раньше даты документа ({s.act_date:%d.%m.%Y})")
        ip = a.proceedings_no
        if a.status != "opened" and ip and s.proceedings_no and ip != s.proceedings_no:
            errs.append(f"номер ИП {ip} не совпадает с известным ({s.proceedings_no}); новое производство "
                        "начинается постановлением о возбуждении")
        if a.status in NEEDS_PROCEEDINGS and not (ip or s.proceedings_no):
            errs.append(f"для статуса «{label('fssp_status', a.status)}» нужен номер исполнительного производства")
        recovered = s.limit_kop if a.paid_in_full else a.recovered_kop
        if recovered is not None:
            if recovered < s.recovered_kop:
                errs.append(f"взыскано {format_rub(recovered)} руб. меньше ранее сообщённого "
                            f"({format_rub(s.recovered_kop)} руб.): указывается сумма нарастающим итогом")
            if recovered > s.limit_kop:
                errs.append(f"взыскано {format_rub(recovered)} руб. больше суммы по документу с госпошлиной "
                            f"({format_rub(s.limit_kop)} руб.)")
        if errs:
            errors += [a.error(e) for e in errs]
            continue
        if a.debt_sum_kop is not None and a.debt_sum_kop != s.limit_kop:
            warnings.append(f"{a.file}:{a.row}: сумма долга в постановлении {format_rub(a.debt_sum_kop)} руб., "
                            f"по документу {s.doc_no} — {format_rub(s.limit_kop)} руб.")
        if a.court_case_no and _doc_key(a.court_case_no) != _doc_key(s.court_case_no):
            warnings.append(f"{a.file}:{a.row}: номер дела в постановлении «{a.court_case_no}», "
                            f"по документу {s.doc_no} — «{s.court_case_no}»")
        new_ip = ip or s.proceedings_no
        if a.status == "opened" and (s.status != "opened" or new_ip != s.proceedings_no):
            events.append(Event(s.case_id, "proceedings", a.status_date, s.stage, None, None, None,
                                f"{s.doc_no}: ИП {new_ip}"))
        elif a.status in ENDED and s.status != a.status:
            events.append(Event(s.case_id, "fssp_ended", a.status_date, s.stage, None, None, None,
                                f"{s.doc_no}: ИП {new_ip or '—'}, {label('fssp_status', a.status)}"))
        if recovered is not None and recovered > s.recovered_kop:
            delta = recovered - s.recovered_kop
            recovered_total += delta
            events.append(Event(s.case_id, "recovered", a.status_date, s.stage, delta, None, None,
                                f"{s.doc_no}: ИП {new_ip or '—'}, всего взыскано {format_rub(recovered)} руб."))
            s.recovered_kop = recovered
        if s.status_date is None or a.status_date >= s.status_date or s.status == "sent":
            s.status, s.status_date = a.status, a.status_date
        s.proceedings_no = new_ip
        s.changed = True
    if errors:
        raise _refuse(file, errors)
    changed = [s for s in states.values() if s.changed]
    with store.transaction():
        for s in changed:
            store.execute("UPDATE debt_writ SET proceedings_no = ?, fssp_status = ?, fssp_status_date = ?,"
                          " recovered_kop = ? WHERE id = ?",
                          [s.proceedings_no, s.status, s.status_date, s.recovered_kop, s.writ_id])
        store.audit_rows([("fssp_answer", "debt_writ", s.doc_no, None,
                           json.dumps({"proceedings_no": s.proceedings_no, "status": s.status,
                                       "date": s.status_date.isoformat() if s.status_date else None,
                                       "recovered_kop": s.recovered_kop}, ensure_ascii=False), None)
                          for s in changed])
        record_events(store, events)
        batch_id = int(store.scalar("SELECT coalesce(max(id), 0) + 1 FROM fssp_answer_batch"))
        store.execute("INSERT INTO fssp_answer_batch (id, file_name, sha256, rows, created_by) VALUES (?, ?, ?, ?, ?)",
                      [batch_id, file, sha, len(answers), store.user])
        store.audit("import", "fssp_answer_batch", batch_id, None, file)
    counts: dict[str, int] = {}
    for e in events:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    return ImportResult(file, batch_id, len(answers), len(changed), counts, recovered_total, tuple(warnings))


# ---------------------------------------------------------------------------------------- list

@dataclass(frozen=True)
class WritRow:
    id: int
    doc_no: str
    doc_kind: str
    act_date: date
    court: str
    case_number: str
    debtor_no: str
    debtor_name: str
    amount_kop: int
    duty_kop: int
    sent_fssp: date | None
    proceedings_no: str | None
    fssp_status: str | None
    fssp_status_date: date | None
    recovered_kop: int
    identified: bool            # the citizen-debtor's application data complete (always True for organisations)


def writs(store: Store, *, unsent: bool = False, status: str | None = None, case: str | None = None) -> list[WritRow]:
    """The executive documents with their bailiffs' status; names masked without 'pd.read'."""
    where, params = [], []
    if unsent:
        where.append("w.sent_fssp IS NULL")
    if status:
        where.append("w.fssp_status = ?")
        params.append(status)
    if case:
        where.append("w.case_id = ?")
        params.append(find_case(store, case).id)
    rows = store.all(
        "SELECT w.id, w.doc_no, w.doc_kind, w.act_date, w.court, c.number, coalesce(a.number, k.number),"
        f" coalesce(a.holder_name, {_CP_NAME.format(cp='coalesce(c.counterparty_id, k.counterparty_id)')}),"
        " w.amount_kop, w.duty_kop, w.sent_fssp, w.proceedings_no, w.fssp_status, w.fssp_status_date, w.recovered_kop,"
        " CASE WHEN c.debtor_kind = 'household' OR cp.kind = 'sole_trader' THEN i.birth_date IS NOT NULL"
        "   AND coalesce(i.birth_place, '') <> '' AND (i.snils IS NOT NULL OR i.inn IS NOT NULL"
        "   OR (i.passport_series IS NOT NULL AND i.passport_number IS NOT NULL) OR i.driving_licence IS NOT NULL"
        "   OR i.vehicle_cert IS NOT NULL OR cp.kind = 'sole_trader') IS TRUE ELSE true END"
        " FROM debt_writ w JOIN debt_case c ON c.id = w.case_id LEFT JOIN account a ON a.id = c.account_id"
        " LEFT JOIN contract k ON k.id = c.contract_id"
        " LEFT JOIN counterparty cp ON cp.id = coalesce(c.counterparty_id, k.counterparty_id)"
        " LEFT JOIN debtor_identity i ON i.account_id = c.account_id OR i.counterparty_id = cp.id"
        + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY c.number, w.act_date, w.id", params)
    out = [WritRow(*r) for r in rows]
    if not access.sees_personal_data(store):
        out = [replace(r, debtor_name=access.mask_name(r.debtor_name) or "") for r in out]
    return out
