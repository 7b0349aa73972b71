"""ЭДО files of legal-entity documents in the ФНС XML formats, validated against the official XSD,
and a reader of УПД files (docs/edo.md).

Writing (`edo_file`) turns a `sbyt.core.legal_docs.Doc` into one exchange file:

* a VAT invoice `sf` — format 5.03 (ФНС order ЕД-7-26/970@, schema
  `ON_NSCHFDOPPR_1_997_01_05_03_05.xsd`), Функция «СЧФ»; a `upd` of status 1 — «СЧФДОП», of
  status 2 — «ДОП»; an advance VAT invoice `sf_advance` — «СЧФ» with the calculated rate
  («22/122»), the payment documents (line 5, СвПРД) and the special circumstance
  СпОбстФСЧФ = 2 (no quantity, price or value without VAT, as the schema's rules expect);
* a correction (`correction_no` ≥ 1) of any of them carries ИспрДок (line 1а) with the original's
  number and date;
* the advance invoices a shipment offsets (the 2026 form's line 5б, `doc.refs_of('advance_offset')`)
  have no element of their own in format 5.03: they go to the information field ИнфПолФХЖ1 as
  text pairs «СчФАванс» = «№ N от ДД.ММ.ГГГГ; сумма Р,КК» (and are read back from there);
* a corrective VAT invoice `ksf` — format ON_NKORSCHFDOPPR (КНД 1115133, Функция «КСЧФ»), built
  from the field list of the format 5.01 structure (before/after/increase/decrease per line). Its
  XSD is not in the repository, so a ksf file is checked for well-formedness only (docs/edo.md).

The file name is ИдФайл + «.xml»: ``ON_NSCHFDOPPR_<recipient>_<sender>_<YYYYMMDD>_<GUID>_0_0_0_0_0_00``
for 5.03 (the flags after the GUID mark traceable and marked goods, none for electricity, and the
last pair is the part number «00», as in the saved samples), ``ON_NKORSCHFDOPPR_<recipient>_<sender>_
<YYYYMMDD>_<GUID>`` for the corrective invoice. The date is the day the file is formed (`now`); the
GUID is a uuid5 of the document's id, number and correction number, so one document formed at the
same moment always gives the same bytes. Encoding windows-1251, as the formats require.

Every 5.03 file is validated against the XSD before it is returned (xmlschema, pure Python, the
schema loaded once); an invalid file raises `SbytError` naming the document and the first error.

Reading (`read_upd`) takes a seller's title of format 5.01, 5.02 (Diadoc's name of the draft 970
structure) or 5.03 and returns its fields (`UpdFields`) with money in kopecks.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from sbyt.core.errors import SbytError
from sbyt.core.legal_docs import Doc, DocLine, Party
from sbyt.core.money import format_rub
from sbyt.core.periods import first_day, last_day
from sbyt.core.reference import dated_rule_rows, text_rule
from sbyt.core.store import Store

UPD_SCHEMA = "ON_NSCHFDOPPR_1_997_01_05_03_05.xsd"
UPD_FORMAT = "5.03"
KSF_FORMAT = "5.01"
PROGRAM = "sbyt 0.1"
ENCODING = "windows-1251"
GUID_NAMESPACE = uuid.UUID("6f0f3c1e-7c1a-5b53-9a1e-5b7979740000")
UPD_SUFFIX = "_0_0_0_0_0_00"
RUB = ("643", "Российский рубль")
ADVANCE_TEXT_ID = "СчФАванс"

PO_FAKT_SHIPMENT = ("Документ об отгрузке товаров (выполнении работ), передаче имущественных прав "
                    "(документ об оказании услуг)")
NAIM_DOK = {
    "СЧФДОП": ("Счет-фактура и документ об отгрузке товаров (выполнении работ), передаче имущественных прав "
               "(документ об оказании услуг)"),
    "ДОП": PO_FAKT_SHIPMENT,
}
KSF_PO_FAKT = ("Документ об изменении стоимости отгруженных товаров (выполненных работ, оказанных услуг), "
               "переданных имущественных прав")
SHIPMENT_DOC_NAME = {
    "sf": "Акт приёма-передачи электрической энергии (мощности)",
    "upd": "Универсальный передаточный документ",
}
CONTRACT_DOC_NAME = "Договор энергоснабжения"


# ---------------------------------------------------------------------------------------- signer

@dataclass(frozen=True)
class Signer:
    """The person who signs the seller's title (Подписант)."""
    position: str
    surname: str
    name: str
    patronymic: str | None = None

    @classmethod
    def from_text(cls, position: str, full_name: str) -> Signer:
        parts = full_name.split()
        if len(parts) < 2:
            raise SbytError(f"ФИО подписанта «{full_name}» должно содержать фамилию и имя "
                            f"(правило docs.signer.name).")
        return cls(position.strip(), parts[0], parts[1], " ".join(parts[2:]) or None)


def signer_on(store: Store, day: date) -> Signer:
    """The signer in force on a day: dated text rules `docs.signer.position` and `docs.signer.name`."""
    position = text_rule(store, "docs.signer.position", day)
    full_name = text_rule(store, "docs.signer.name", day)
    if not position or not full_name:
        raise SbytError(f"Не заданы должность и ФИО подписанта на {day:%d.%m.%Y} "
                        f"(правила docs.signer.position, docs.signer.name).")
    return Signer.from_text(position, full_name)


def default_signer(day: date) -> Signer:
    """The signer of the shipped dated rules (data/dated_rules.csv) on a day, for calls without a store."""
    found: dict[str, tuple[date, str]] = {}
    for code, start, end, _value, text, _note in dated_rule_rows():
        if code in ("docs.signer.position", "docs.signer.name") and text and start <= day \
                and (end is None or end > day) and (code not in found or found[code][0] < start):
            found[code] = (start, text)
    if len(found) < 2:
        raise SbytError(f"Не заданы должность и ФИО подписанта на {day:%d.%m.%Y} "
                        f"(правила docs.signer.position, docs.signer.name).")
    return Signer.from_text(found["docs.signer.position"][1], found["docs.signer.name"][1])


# ---------------------------------------------------------------------------------------- schema

@cache
def _schema(name: str):
    import xmlschema

    path = resources.files("sbyt.data").joinpath("xsd", name)
    if not path.is_file():
        raise SbytError(f"Схема {name} не найдена в пакете (data/xsd).")
    return xmlschema.XMLSchema10(str(path))


def validate(data: bytes, schema_name: str = UPD_SCHEMA) -> list[str]:
    """The schema errors of an XML file («reason (path)»), empty if the file is valid."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        return [f"XML не разобран: {e}"]
    return [f"{e.reason} ({e.path})" for e in _schema(schema_name).iter_errors(root)]


# ---------------------------------------------------------------------------------------- writing

@dataclass(frozen=True)
class EdoFile:
    file_id: str        # ИдФайл
    name: str           # file_id + ".xml"
    data: bytes         # windows-1251


def doc_function(doc: Doc) -> str:
    """The Функция of a document: СЧФ, СЧФДОП, ДОП or КСЧФ."""
    if doc.kind in ("sf", "sf_advance"):
        return "СЧФ"
    if doc.kind == "upd":
        if doc.upd_status not in (1, 2):
            raise SbytError(f"УПД № {doc.doc_no}: статус {doc.upd_status} не 1 и не 2.")
        return "СЧФДОП" if doc.upd_status == 1 else "ДОП"
    if doc.kind == "ksf":
        return "КСЧФ"
    raise SbytError(f"Документ № {doc.doc_no} ({doc.kind}) не выгружается в ЭДО: выгружаются счета-фактуры, "
                    f"корректировочные счета-фактуры и УПД.")


def edo_file(doc: Doc, *, sender_id: str | None, recipient_id: str | None, now: datetime,
             signer: Signer | None = None) -> EdoFile:
    """The ЭДО exchange file of a document (see the module docstring). `sender_id`/`recipient_id`
    are the ЭДО participant ids of the seller and the buyer (ИНН+КПП when not given); `signer`
    defaults to the shipped dated rules on the document's date (pass `signer_on(store, day)`)."""
    function = doc_function(doc)
    signer = signer or default_signer(doc.correction_date or doc.doc_date)
    sender = sender_id or _party_id(doc.seller)
    recipient = recipient_id or _party_id(doc.buyer)
    guid = uuid.uuid5(GUID_NAMESPACE, f"legal_doc:{doc.id}:{doc.doc_no}:{doc.correction_no}")
    if function == "КСЧФ":
        file_id = f"ON_NKORSCHFDOPPR_{recipient}_{sender}_{now:%Y%m%d}_{guid}"
        root = _ksf_xml(doc, file_id, sender, recipient, now, signer)
    else:
        file_id = f"ON_NSCHFDOPPR_{recipient}_{sender}_{now:%Y%m%d}_{guid}{UPD_SUFFIX}"
        root = _upd_xml(doc, function, file_id, now, signer)
    ET.indent(root, space="  ")
    data = b'<?xml version="1.0" encoding="windows-1251"?>\n' + ET.tostring(root, encoding=ENCODING,
                                                                            xml_declaration=False) + b"\n"
    if function != "КСЧФ":
        errors = validate(data, UPD_SCHEMA)
        if errors:
            raise SbytError(f"Файл ЭДО документа № {doc.doc_no} от {doc.doc_date:%d.%m.%Y} не соответствует схеме "
                            f"{UPD_SCHEMA}: {errors[0]}. Файл не сформирован.")
    else:
        ET.fromstring(data)         # well-formed at least: no XSD of the corrective format here
    return EdoFile(file_id, file_id + ".xml", data)


def _party_id(p: Party) -> str:
    return p.inn + (p.kpp or "")


def _d(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _money(kop: int) -> str:
    sign = "-" if kop < 0 else ""
    whole, frac = divmod(abs(kop), 100)
    return f"{sign}{whole}.{frac:02d}"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _sub(parent: ET.Element, tag: str, attrs: dict[str, str | None] | None = None, text: str | None = None):
    el = ET.SubElement(parent, tag, {k: v for k, v in (attrs or {}).items() if v not in (None, "")})
    if text is not None:
        el.text = text
    return el


def _participant(parent: ET.Element, tag: str, p: Party, *, bank: bool) -> None:
    el = _sub(parent, tag)
    ids = _sub(el, "ИдСв")
    if len(p.inn) == 12:
        surname, name, *rest = (p.name.split() + ["-", "-"])[:3]
        ip = _sub(ids, "СвИП", {"ИННФЛ": p.inn})
        _sub(ip, "ФИО", {"Фамилия": surname, "Имя": name, "Отчество": rest[0] if rest and rest[0] != "-" else None})
    else:
        _sub(ids, "СвЮЛУч", {"НаимОрг": p.name, "ИННЮЛ": p.inn, "КПП": p.kpp})
    addr = _sub(el, "Адрес")
    _sub(addr, "АдрИнф", {"КодСтр": "643", "НаимСтран": "Россия", "АдрТекст": p.address})
    if bank and p.bank_account:
        b = _sub(el, "БанкРекв", {"НомерСчета": p.bank_account})
        if p.bank_name or p.bic:
            _sub(b, "СвБанк", {"НаимБанк": p.bank_name, "БИК": p.bic, "КорСчет": p.corr_account})
    if p.phone or p.email:
        c = _sub(el, "Контакт")
        if p.phone:
            _sub(c, "Тлф", text=p.phone)
        if p.email:
            _sub(c, "ЭлПочта", text=p.email)


def _vat(parent: ET.Element, tag: str, rate: str | None, vat_kop: int) -> None:
    el = _sub(parent, tag)
    if rate == "без НДС":
        _sub(el, "БезНДС", text="без НДС")
    else:
        _sub(el, "СумНал", text=_money(vat_kop))


def _signer_xml(doc_el: ET.Element, signer: Signer) -> None:
    s = _sub(doc_el, "Подписант", {"Должн": signer.position, "СпосПодтПолном": "1"})
    _sub(s, "ФИО", {"Фамилия": signer.surname, "Имя": signer.name, "Отчество": signer.patronymic})


def _upd_xml(doc: Doc, function: str, file_id: str, now: datetime, signer: Signer) -> ET.Element:
    advance = doc.kind == "sf_advance"
    root = ET.Element("Файл", {"ИдФайл": file_id, "ВерсФорм": UPD_FORMAT, "ВерсПрог": PROGRAM})
    attrs = {"КНД": "1115131", "Функция": function}
    if function != "СЧФ":
        attrs["ПоФактХЖ"] = PO_FAKT_SHIPMENT
        attrs["НаимДокОпр"] = NAIM_DOK[function]
    attrs.update({"ДатаИнфПр": _d(now.date()), "ВремИнфПр": f"{now:%H.%M.%S}",
                  "НаимЭконСубСост": f"{doc.seller.name}, ИНН: {doc.seller.inn}"})
    d = _sub(root, "Документ", attrs)
    sv = _sub(d, "СвСчФакт", {"НомерДок": doc.doc_no, "ДатаДок": _d(doc.doc_date)})
    if doc.correction_no:
        if doc.correction_date is None:
            raise SbytError(f"Исправление № {doc.correction_no} документа № {doc.doc_no} без даты исправления.")
        _sub(sv, "ИспрДок", {"НомИспр": str(doc.correction_no), "ДатаИспр": _d(doc.correction_date)})
    _participant(sv, "СвПрод", doc.seller, bank=True)
    if not advance and function != "ДОП":
        _sub(_sub(sv, "ГрузОт"), "ОнЖе", text="он же")
        _participant(sv, "ГрузПолуч", doc.buyer, bank=False)
    for r in doc.refs_of("payment"):
        _sub(sv, "СвПРД", {"НомерПРД": r.ref_no, "ДатаПРД": _d(r.ref_date) if r.ref_date else None,
                           "СуммаПРД": _money(r.amount_kop)})
    shipments = doc.refs_of("shipment")
    if shipments:
        for r in shipments:
            _sub(sv, "ДокПодтвОтгрНом", {"РеквНаимДок": SHIPMENT_DOC_NAME.get("sf"), "РеквНомерДок": r.ref_no,
                                         "РеквДатаДок": _d(r.ref_date) if r.ref_date else None})
    elif doc.kind == "upd":
        _sub(sv, "ДокПодтвОтгрНом", {"РеквНаимДок": NAIM_DOK.get(function, SHIPMENT_DOC_NAME["upd"]),
                                     "РеквНомерДок": doc.doc_no, "РеквДатаДок": _d(doc.doc_date)})
    _participant(sv, "СвПокуп", doc.buyer, bank=True)
    _sub(sv, "ДенИзм", {"КодОКВ": RUB[0], "НаимОКВ": RUB[1]})
    if advance:
        _sub(sv, "ДопСвФХЖ1", {"СпОбстФСЧФ": "2"})
    offsets = doc.refs_of("advance_offset")
    if offsets:
        info = _sub(sv, "ИнфПолФХЖ1")
        for r in offsets:
            day = f" от {_d(r.ref_date)}" if r.ref_date else ""
            _sub(info, "ТекстИнф", {"Идентиф": ADVANCE_TEXT_ID,
                                    "Значен": f"№ {r.ref_no}{day}; сумма {format_rub(r.amount_kop)}"})
    table = _sub(d, "ТаблСчФакт")
    for ln in doc.lines:
        _upd_line(table, ln, advance)
    total_attrs = {} if advance else {"СтТовБезНДСВсего": _money(sum(ln.amount_kop for ln in doc.lines))}
    total_attrs["СтТовУчНалВсего"] = _money(sum(ln.total_kop for ln in doc.lines))
    tot = _sub(table, "ВсегоОпл", total_attrs)
    _vat(tot, "СумНалВсего", doc.vat_rate, sum(ln.vat_kop for ln in doc.lines))
    if function != "СЧФ":
        pp = _sub(d, "СвПродПер")
        per = _sub(pp, "СвПер", {"СодОпер": "Электрическая энергия (мощность) передана",
                                 "ДатаНачПер": _d(first_day(doc.for_period)),
                                 "ДатаОконПер": _d(last_day(doc.for_period))})
        if doc.contract_date is not None:
            _sub(per, "ОснПер", {"РеквНаимДок": CONTRACT_DOC_NAME, "РеквНомерДок": doc.contract_no,
                                 "РеквДатаДок": _d(doc.contract_date)})
        else:
            _sub(per, "БезДокОснПер", text="1")
    _signer_xml(d, signer)
    return root


def _upd_line(table: ET.Element, ln: DocLine, advance: bool) -> None:
    attrs: dict[str, str | None] = {"НомСтр": str(ln.line_no), "НаимТов": ln.name}
    if not advance:
        if ln.okei:
            attrs["ОКЕИ_Тов"] = ln.okei
            attrs["НаимЕдИзм"] = ln.unit or ln.okei
        if ln.quantity is not None and ln.quantity > 0:
            attrs["КолТов"] = _num(ln.quantity)
        if ln.price is not None:
            attrs["ЦенаТов"] = _num(ln.price)
        attrs["СтТовБезНДС"] = _money(ln.amount_kop)
    attrs["НалСт"] = ln.vat_rate
    attrs["СтТовУчНал"] = _money(ln.total_kop)
    el = _sub(table, "СведТов", attrs)
    _sub(_sub(el, "Акциз"), "БезАкциз", text="без акциза")
    _vat(el, "СумНал", ln.vat_rate, ln.vat_kop)


def _ksf_xml(doc: Doc, file_id: str, sender: str, recipient: str, now: datetime, signer: Signer) -> ET.Element:
    if doc.base is None:
        raise SbytError(f"Корректировочный счёт-фактура № {doc.doc_no} без исходного документа.")
    root = ET.Element("Файл", {"ИдФайл": file_id, "ВерсФорм": KSF_FORMAT, "ВерсПрог": PROGRAM})
    _sub(root, "СвУчДокОбор", {"ИдОтпр": sender, "ИдПол": recipient})
    d = _sub(root, "Документ", {"КНД": "1115133", "Функция": "КСЧФ", "ПоФактХЖ": KSF_PO_FAKT,
                                "ДатаИнфПр": _d(now.date()), "ВремИнфПр": f"{now:%H.%M.%S}",
                                "НаимЭконСубСост": f"{doc.seller.name}, ИНН: {doc.seller.inn}"})
    sv = _sub(d, "СвКСчФ", {"НомерКСчФ": doc.doc_no, "ДатаКСчФ": _d(doc.doc_date), "КодОКВ": RUB[0]})
    if doc.correction_no and doc.correction_date:
        _sub(sv, "ИспрКСчФ", {"НомИспрКСчФ": str(doc.correction_no), "ДатаИспрКСчФ": _d(doc.correction_date)})
    base = _sub(sv, "СчФ", {"НомерСчФ": doc.base.doc_no, "ДатаСчФ": _d(doc.base.doc_date)})
    if doc.base.correction_no and doc.base.correction_date:
        _sub(base, "ИспрСчФ", {"НомИспрСчФ": str(doc.base.correction_no),
                               "ДатаИспрСчФ": _d(doc.base.correction_date)})
    _participant(sv, "СвПрод", doc.seller, bank=False)
    _participant(sv, "СвПокуп", doc.buyer, bank=False)
    _sub(sv, "ДопСвФХЖ1", {"НаимОКВ": RUB[1]})
    table = _sub(d, "ТаблКСчФ")
    up = [0, 0, 0]
    down = [0, 0, 0]
    for ln in doc.lines:
        a0, a1 = ln.amount_before_kop or 0, ln.amount_after_kop
        v0, v1 = ln.vat_before_kop or 0, ln.vat_after_kop
        t0, t1 = ln.total_before_kop or 0, ln.total_after_kop
        q1 = ln.quantity_after
        el = _sub(table, "СведТов", {
            "НомСтр": str(ln.line_no), "НаимТов": ln.name, "ОКЕИ_ТовДо": ln.okei, "ОКЕИ_ТовПосле": ln.okei,
            "КолТовДо": _num(ln.quantity_before) if ln.quantity_before is not None else None,
            "КолТовПосле": _num(q1) if q1 is not None else None,
            "ЦенаТовДо": _num(ln.price_before) if ln.price_before is not None else None,
            "ЦенаТовПосле": _num(ln.price) if ln.price is not None else None,
            "НалСтДо": ln.vat_rate, "НалСтПосле": ln.vat_rate})
        diff = {"СтоимУвел": _money(a1 - a0)} if a1 >= a0 else {"СтоимУм": _money(a0 - a1)}
        _sub(el, "СтТовБезНДС", {"СтоимДоИзм": _money(a0), "СтоимПослеИзм": _money(a1), **diff})
        _sub(_sub(el, "АкцизДо"), "БезАкциз", text="без акциза")
        _sub(_sub(el, "АкцизПосле"), "БезАкциз", text="без акциза")
        for tag, kop in (("СумНалДо", v0), ("СумНалПосле", v1)):
            _sub(_sub(el, tag), "СумНДС", text=_money(kop))
        _sub(_sub(el, "СумНалРазн"), "СумУвел" if v1 >= v0 else "СумУм", text=_money(abs(v1 - v0)))
        tdiff = {"СтоимУвел": _money(t1 - t0)} if t1 >= t0 else {"СтоимУм": _money(t0 - t1)}
        _sub(el, "СтТовУчНал", {"СтоимДоИзм": _money(t0), "СтоимПослеИзм": _money(t1), **tdiff})
        _sub(el, "ДопСведТов", {"НаимЕдИзмДо": ln.unit, "НаимЕдИзмПосле": ln.unit})
        acc = up if t1 >= t0 else down
        acc[0] += abs(a1 - a0)
        acc[1] += abs(v1 - v0)
        acc[2] += abs(t1 - t0)
    for tag, acc in (("ВсегоУвел", up), ("ВсегоУм", down)):
        if acc[2]:
            tot = _sub(table, tag, {"СтТовБезНДСВсего": _money(acc[0]), "СтТовУчНалВсего": _money(acc[2])})
            _sub(_sub(tot, "СумНал"), "СумНДС", text=_money(acc[1]))
    content = _sub(d, "СодФХЖ3", {"СодОпер": doc.basis or "Изменение стоимости электрической энергии (мощности)"})
    _sub(content, "ПередатДокум", {"НаимОсн": "Счет-фактура",
                                   "НомОсн": doc.base.doc_no, "ДатаОсн": _d(doc.base.doc_date)})
    s = _sub(d, "Подписант", {"ОблПолн": "6", "Статус": "1", "ОснПолн": "Должностные обязанности"})
    ul = _sub(s, "ЮЛ", {"ИННЮЛ": doc.seller.inn, "НаимОрг": doc.seller.name, "Должн": signer.position})
    _sub(ul, "ФИО", {"Фамилия": signer.surname, "Имя": signer.name, "Отчество": signer.patronymic})
    return root


# ---------------------------------------------------------------------------------------- reading

@dataclass(frozen=True)
class UpdParty:
    name: str
    inn: str
    kpp: str | None
    address: str | None


@dataclass(frozen=True)
class UpdLine:
    line_no: int
    name: str | None
    okei: str | None
    unit: str | None
    quantity: Decimal | None
    price: Decimal | None
    amount_kop: int | None      # without VAT (graph 5); None on an advance invoice
    rate: str
    vat_kop: int | None         # None: «без НДС»
    total_kop: int | None


@dataclass(frozen=True)
class UpdRef:
    number: str | None
    day: date | None
    amount_kop: int | None


@dataclass(frozen=True)
class UpdFields:
    version: str
    function: str
    number: str
    day: date
    correction_no: int | None
    correction_date: date | None
    seller: UpdParty
    buyer: UpdParty
    currency: str | None
    lines: tuple[UpdLine, ...]
    total_amount_kop: int | None
    total_vat_kop: int | None
    total_kop: int | None
    payments: tuple[UpdRef, ...]
    advance_offsets: tuple[str, ...]     # ИнфПолФХЖ1 «СчФАванс» texts (line 5б, written by sbyt)


def read_upd(data: bytes) -> UpdFields:
    """The fields of a УПД / VAT invoice file (seller's title, formats 5.01–5.03)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise SbytError(f"Файл УПД не разобран как XML: {e}.") from e
    if root.tag != "Файл" or root.find("Документ") is None:
        raise SbytError("Это не файл обмена ФНС: нет элементов Файл/Документ.")
    version = root.get("ВерсФорм") or ""
    d = root.find("Документ")
    sv = d.find("СвСчФакт")
    if d.get("КНД") != "1115131" or sv is None:
        raise SbytError(f"Файл не является УПД/счётом-фактурой (КНД {d.get('КНД')}).")
    new = sv.get("НомерДок") is not None               # 5.02/5.03 (order 970) vs 5.01 (order 820)
    number = sv.get("НомерДок") if new else sv.get("НомерСчФ")
    day = _date(sv.get("ДатаДок") if new else sv.get("ДатаСчФ"))
    corr = sv.find("ИспрДок") if new else sv.find("ИспрСчФ")
    corr_no = corr_date = None
    if corr is not None:
        no = corr.get("НомИспр") if new else corr.get("НомИспрСчФ")
        corr_no = int(no) if no and no.isdigit() else None
        corr_date = _date(corr.get("ДатаИспр") if new else corr.get("ДатаИспрСчФ"))
    currency = (sv.find("ДенИзм").get("КодОКВ") if sv.find("ДенИзм") is not None else None) if new \
        else sv.get("КодОКВ")
    lines = []
    table = d.find("ТаблСчФакт")
    totals: tuple[int | None, int | None, int | None] = (None, None, None)
    if table is not None:
        for el in table.findall("СведТов"):
            unit = el.get("НаимЕдИзм")
            if unit is None and el.find("ДопСведТов") is not None:
                unit = el.find("ДопСведТов").get("НаимЕдИзм")
            lines.append(UpdLine(int(el.get("НомСтр")), el.get("НаимТов"), el.get("ОКЕИ_Тов"), unit,
                                 _dec(el.get("КолТов")), _dec(el.get("ЦенаТов")), _kop(el.get("СтТовБезНДС")),
                                 el.get("НалСт") or "", _vat_kop(el.find("СумНал")), _kop(el.get("СтТовУчНал"))))
        tot = table.find("ВсегоОпл")
        if tot is not None:
            totals = (_kop(tot.get("СтТовБезНДСВсего")), _vat_kop(tot.find("СумНалВсего")),
                      _kop(tot.get("СтТовУчНалВсего")))
    payments = tuple(UpdRef(p.get("НомерПРД"), _date(p.get("ДатаПРД")) if p.get("ДатаПРД") else None,
                            _kop(p.get("СуммаПРД"))) for p in sv.findall("СвПРД"))
    offsets = tuple(t.get("Значен") for info in sv.findall("ИнфПолФХЖ1") for t in info.findall("ТекстИнф")
                    if t.get("Идентиф") == ADVANCE_TEXT_ID)
    return UpdFields(version, d.get("Функция") or "", number or "", day, corr_no, corr_date,
                     _read_party(sv.find("СвПрод")), _read_party(sv.find("СвПокуп")), currency, tuple(lines),
                     *totals, payments, offsets)


def _read_party(el: ET.Element | None) -> UpdParty:
    if el is None:
        raise SbytError("В файле нет сведений о продавце или покупателе (СвПрод/СвПокуп).")
    ids = el.find("ИдСв")
    ul = ids.find("СвЮЛУч") if ids is not None else None
    if ul is not None:
        name, inn, kpp = ul.get("НаимОрг") or "", ul.get("ИННЮЛ") or "", ul.get("КПП")
    else:
        ip = ids.find("СвИП") if ids is not None else None
        fl = ids.find("СвФЛУч") if ids is not None and ip is None else None
        person = ip if ip is not None else fl
        if person is None:
            raise SbytError("Сведения об участнике не распознаны (нет СвЮЛУч, СвИП, СвФЛУч).")
        fio = person.find("ФИО")
        name = " ".join(x for x in ((fio.get("Фамилия"), fio.get("Имя"), fio.get("Отчество"))
                                    if fio is not None else ()) if x)
        inn, kpp = person.get("ИННФЛ") or "", None
    return UpdParty(name, inn, kpp, _read_address(el.find("Адрес")))


ADDRESS_RF = ("Индекс", "НаимРегион", "Район", "Город", "НаселПункт", "Улица", "Дом", "Корпус", "Кварт", "ИныеСвед")


def _read_address(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    inf = el.find("АдрИнф")
    if inf is not None:
        return inf.get("АдрТекст")
    rf = el.find("АдрРФ")
    if rf is not None:
        return ", ".join(rf.get(k) for k in ADDRESS_RF if rf.get(k))
    gar = el.find("АдрГАР")
    if gar is not None:
        parts = [gar.get("Индекс")]
        for child in gar:
            parts.append(child.text.strip() if child.text and child.text.strip()
                         else " ".join(v for v in (child.get("Тип") or child.get("Вид"), child.get("Наим"),
                                                   child.get("Номер")) if v))
        return ", ".join(p for p in parts if p)
    return None


def _date(text: str | None) -> date:
    if not text:
        raise SbytError("В файле нет обязательной даты.")
    try:
        return datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError as e:
        raise SbytError(f"Дата «{text}» не в формате ДД.ММ.ГГГГ.") from e


def _dec(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as e:
        raise SbytError(f"Число «{text}» не разобрано.") from e


def _kop(text: str | None) -> int | None:
    value = _dec(text)
    if value is None:
        return None
    kop = value * 100
    if kop != kop.to_integral_value():
        raise SbytError(f"Сумма «{text}» точнее копейки.")
    return int(kop)


def _vat_kop(el: ET.Element | None) -> int | None:
    if el is None:
        return None
    inner = el.find("СумНал")
    if inner is None:
        inner = el.find("СумНДС")
    return _kop(inner.text.strip()) if inner is not None and inner.text else None
