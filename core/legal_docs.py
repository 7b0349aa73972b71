"""The register of legal-entity documents (migration 097, docs/legal_docs.md): what a document is,
how it is numbered, how it is read back for printing, ЭДО export and the books.

A document is immutable once issued. The register only inserts: a value change of a shipment is
a corrective VAT invoice (kind 'ksf'), an error is a correction — the same kind, number and date
with `correction_no` 1, 2, … and its own `correction_date` (line 1а of the form).

Numbering: each series counts 1, 2, … within the year of the document's date, without gaps and in
the order of the dates (a document dated before the latest one of its series and year is refused:
the VAT invoices of a year must be numbered chronologically). `SERIES` maps the kinds to series;
the printed number is the series prefix and the count (`doc_no`).

The seller's and the buyer's requisites are copied into the document when it is issued (JSON), so
a document prints the same years later whatever changes in the cards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pyarrow as pa

from sbyt.core.errors import SbytError
from sbyt.core.labels import label
from sbyt.core.money import format_rub
from sbyt.core.periods import period_title
from sbyt.core.store import Store

BILLS = ("bill_advance", "bill_actual", "bill_remainder", "bill_penalty")
VAT_INVOICES = ("sf", "sf_advance", "ksf")          # and a УПД of status 1
ACTS = ("act", "act_recalc")
KINDS = BILLS + VAT_INVOICES + ACTS + ("upd",)
SERIES = {**{k: "bill" for k in BILLS}, **{k: "sf" for k in VAT_INVOICES}, **{k: "act" for k in ACTS}}
PREFIX = {"bill": "С-", "sf": "", "act": "А-"}


def supplier_party(store: Store, day: date) -> Party:
    """The supplier's requisites in force on `day` (table supplier); refused when none are."""
    row = store.one("SELECT name, inn, kpp, address, bank_account, bank_name, bic, corr_account, phone, email"
                    " FROM supplier WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)"
                    " ORDER BY valid_from DESC LIMIT 1", [day, day])
    if row is None:
        raise SbytError(f"Не заданы реквизиты поставщика на {day:%d.%m.%Y} (таблица supplier). Ничего не выписано.")
    return Party(*row)


def series_of(kind: str, upd_status: int | None = None) -> str:
    """The numbering series of a kind: a УПД of status 1 is a VAT invoice, of status 2 an act."""
    if kind == "upd":
        return "sf" if upd_status == 1 else "act"
    return SERIES[kind]


def doc_no(series: str, seq: int) -> str:
    return f"{PREFIX[series]}{seq}"


@dataclass(frozen=True)
class Party:
    """A side of a document as it stood on the document's date."""
    name: str
    inn: str
    kpp: str | None
    address: str
    bank_account: str | None = None
    bank_name: str | None = None
    bic: str | None = None
    corr_account: str | None = None
    phone: str | None = None
    email: str | None = None

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in self.__dict__.items() if v is not None}, ensure_ascii=False,
                          sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Party:
        return cls(**json.loads(text))

    @property
    def inn_kpp(self) -> str:
        return f"{self.inn}/{self.kpp}" if self.kpp else self.inn


@dataclass(frozen=True)
class DocLine:
    line_no: int
    name: str
    component: str | None
    zone: int
    okei: str | None
    unit: str | None
    quantity: Decimal | None
    price: Decimal | None
    amount_kop: int                 # without VAT (ksf: after − before)
    vat_rate: str | None
    vat_kop: int
    total_kop: int
    quantity_before: Decimal | None = None
    price_before: Decimal | None = None
    amount_before_kop: int | None = None
    vat_before_kop: int | None = None
    total_before_kop: int | None = None

    @property
    def quantity_after(self) -> Decimal | None:
        if self.quantity_before is None or self.quantity is None:
            return None
        return self.quantity_before + self.quantity

    @property
    def amount_after_kop(self) -> int:
        return (self.amount_before_kop or 0) + self.amount_kop

    @property
    def vat_after_kop(self) -> int:
        return (self.vat_before_kop or 0) + self.vat_kop

    @property
    def total_after_kop(self) -> int:
        return (self.total_before_kop or 0) + self.total_kop


@dataclass(frozen=True)
class DocRef:
    ref_kind: str                   # payment | advance_offset | charge
    ref_id: int | None
    ref_no: str | None
    ref_date: date | None
    amount_kop: int


@dataclass(frozen=True)
class BaseDoc:
    """The document a corrective invoice, a correction or a recalculation act refers to."""
    id: int
    kind: str
    doc_no: str
    doc_date: date
    correction_no: int
    correction_date: date | None


@dataclass(frozen=True)
class Doc:
    id: int
    kind: str
    series: str
    year: int
    seq: int
    doc_no: str
    doc_date: date
    correction_no: int
    correction_date: date | None
    period: int
    for_period: int
    contract_id: int
    contract_no: str
    contract_date: date | None
    counterparty_id: int
    instalment: str | None
    upd_status: int | None
    form: str | None
    due_date: date | None
    amount_kop: int
    vat_kop: int
    total_kop: int
    vat_rate: str | None
    basis: str | None
    seller: Party
    buyer: Party
    email: str | None
    base: BaseDoc | None
    lines: tuple[DocLine, ...]
    refs: tuple[DocRef, ...]

    @property
    def is_vat_invoice(self) -> bool:
        return self.kind in VAT_INVOICES or (self.kind == "upd" and self.upd_status == 1)

    def refs_of(self, kind: str) -> tuple[DocRef, ...]:
        return tuple(r for r in self.refs if r.ref_kind == kind)


DOC_COLUMNS = ("id, kind, series, year, seq, doc_no, doc_date, correction_no, correction_date, period, for_period,"
               " contract_id, counterparty_id, base_doc_id, instalment, upd_status, form, due_date, amount_kop,"
               " vat_kop, total_kop, vat_rate, basis, seller, buyer, email")
LINE_COLUMNS = ("doc_id, line_no, name, component, zone, okei, unit, quantity, price, amount_kop, vat_rate, vat_kop,"
                " total_kop, quantity_before, price_before, amount_before_kop, vat_before_kop, total_before_kop")
REF_COLUMNS = "doc_id, ref_kind, ref_id, ref_no, ref_date, amount_kop"


def load_docs(store: Store, ids: Sequence[int]) -> list[Doc]:
    """The documents with these ids, in the order given, with their lines and references (three
    queries whatever the count: printing thousands of documents reads them at once)."""
    ids = [int(i) for i in ids]
    if not ids:
        return []
    con = store.con
    con.register("_ld_ids", pa.table({"id": pa.array(ids, pa.int64())}))
    try:
        heads = con.execute(
            f"SELECT d.{DOC_COLUMNS.replace(', ', ', d.')}, c.number, c.signed_on,"
            " b.kind, b.doc_no, b.doc_date, b.correction_no, b.correction_date"
            " FROM legal_doc d JOIN _ld_ids USING (id) JOIN contract c ON c.id = d.contract_id"
            " LEFT JOIN legal_doc b ON b.id = d.base_doc_id").fetchall()
        lines = con.execute(f"SELECT {LINE_COLUMNS} FROM legal_doc_line JOIN _ld_ids ON doc_id = _ld_ids.id"
                            " ORDER BY doc_id, line_no").fetchall()
        refs = con.execute(f"SELECT {REF_COLUMNS} FROM legal_doc_ref JOIN _ld_ids ON doc_id = _ld_ids.id"
                           " ORDER BY doc_id, ref_kind, ref_date, ref_no").fetchall()
    finally:
        con.unregister("_ld_ids")
    by_doc: dict[int, list[DocLine]] = {}
    for r in lines:
        by_doc.setdefault(r[0], []).append(DocLine(*r[1:]))
    refs_by: dict[int, list[DocRef]] = {}
    for r in refs:
        refs_by.setdefault(r[0], []).append(DocRef(*r[1:]))
    out: dict[int, Doc] = {}
    for h in heads:
        (i, kind, series, year, seq, no, day, corr, corr_date, period, for_period, contract_id, counterparty_id,
         base_id, instalment, upd_status, form, due, amount, vat, total, rate, basis, seller, buyer, email,
         contract_no, contract_date, b_kind, b_no, b_date, b_corr, b_corr_date) = h
        base = BaseDoc(base_id, b_kind, b_no, b_date, b_corr, b_corr_date) if base_id is not None else None
        out[i] = Doc(i, kind, series, year, seq, no, day, corr, corr_date, period, for_period, contract_id,
                     contract_no, contract_date, counterparty_id, instalment, upd_status, form, due, amount, vat,
                     total, rate, basis, Party.from_json(seller), Party.from_json(buyer), email, base,
                     tuple(by_doc.get(i, ())), tuple(refs_by.get(i, ())))
    return [out[i] for i in ids if i in out]


def find_doc(store: Store, number: str, year: int | None = None, kind: str | None = None) -> Doc:
    """A document by its printed number (the latest year holding it, or `year`); the latest
    correction of it. A number that names documents of several series needs `kind`."""
    rows = store.all(
        "SELECT id, kind, year FROM legal_doc WHERE doc_no = ? AND (? IS NULL OR year = ?) AND (? IS NULL OR kind = ?)"
        " ORDER BY year DESC, correction_no DESC", [number, year, year, kind, kind])
    if not rows:
        raise SbytError(f"Документ № {number} не найден" + (f" за {year} год" if year else "") + ".")
    years = {r[2] for r in rows}
    kinds = {r[1] for r in rows if r[2] == rows[0][2]}
    if year is None and len(years) > 1 and kind is None and len(kinds) > 1:
        raise SbytError(f"Номер {number} есть у документов разных видов: укажите вид (--kind).")
    if len(kinds) > 1:
        raise SbytError(f"Номер {number} есть у документов разных видов ({', '.join(sorted(kinds))}): укажите --kind.")
    return load_docs(store, [rows[0][0]])[0]


def check_chronology(store: Store, series: str, year: int, day: date) -> None:
    """Refuse a document dated before the latest one of its series and year (numbers must follow
    the dates)."""
    latest = store.scalar("SELECT max(doc_date) FROM legal_doc WHERE series = ? AND year = ? AND correction_no = 0",
                          [series, year])
    if latest is not None and day < latest:
        raise SbytError(f"Документы серии «{PREFIX[series] or 'без префикса'}» за {year} год уже выписаны по "
                        f"{latest:%d.%m.%Y}: документ от {day:%d.%m.%Y} нарушил бы хронологию нумерации. "
                        f"Ничего не записано.")


DOC_TYPES = {
    "id": pa.int64(), "kind": pa.string(), "series": pa.string(), "year": pa.int16(), "seq": pa.int32(),
    "doc_no": pa.string(), "doc_date": pa.date32(), "correction_no": pa.int16(), "correction_date": pa.date32(),
    "period": pa.int32(), "for_period": pa.int32(), "contract_id": pa.int64(), "counterparty_id": pa.int64(),
    "base_doc_id": pa.int64(), "instalment": pa.string(), "upd_status": pa.int8(), "form": pa.string(),
    "due_date": pa.date32(), "amount_kop": pa.int64(), "vat_kop": pa.int64(), "total_kop": pa.int64(),
    "vat_rate": pa.string(), "basis": pa.string(), "seller": pa.string(), "buyer": pa.string(),
    "email": pa.string(), "run_id": pa.int64()}
LINE_TYPES = {
    "doc_id": pa.int64(), "line_no": pa.int16(), "name": pa.string(), "component": pa.string(), "zone": pa.int8(),
    "okei": pa.string(), "unit": pa.string(), "quantity": pa.decimal128(24, 6), "price": pa.decimal128(18, 6),
    "amount_kop": pa.int64(), "vat_rate": pa.string(), "vat_kop": pa.int64(), "total_kop": pa.int64(),
    "quantity_before": pa.decimal128(24, 6), "price_before": pa.decimal128(18, 6),
    "amount_before_kop": pa.int64(), "vat_before_kop": pa.int64(), "total_before_kop": pa.int64()}
REF_TYPES = {"doc_id": pa.int64(), "ref_kind": pa.string(), "ref_id": pa.int64(), "ref_no": pa.string(),
             "ref_date": pa.date32(), "amount_kop": pa.int64()}
BOOK_TYPES = {
    "id": pa.int64(), "book": pa.string(), "quarter": pa.int32(), "entry_date": pa.date32(), "op_code": pa.string(),
    "doc_id": pa.int64(), "counterparty_id": pa.int64(), "extra_sheet": pa.bool_(), "annul": pa.bool_(),
    "for_quarter": pa.int32(), "total_kop": pa.int64(), "base_kop": pa.int64(), "vat_kop": pa.int64(),
    "vat_rate": pa.string(), "payment_docs": pa.string(), "offset_docs": pa.string(), "note": pa.string()}


def table_of(columns: dict[str, list], types: dict[str, pa.DataType]) -> pa.Table:
    """An Arrow table of the given columns in the order and types of `types` (missing = NULL)."""
    n = len(next(iter(columns.values()))) if columns else 0
    return pa.table({k: pa.array(columns.get(k, [None] * n), t) for k, t in types.items()})


def quarter_of(day: date) -> int:
    return day.year * 10 + (day.month - 1) // 3 + 1


def quarter_title(quarter: int) -> str:
    return f"{'I II III IV'.split()[quarter % 10 - 1]} квартал {quarter // 10} г."


def insert(store: Store, docs: pa.Table | None = None, lines: pa.Table | None = None, refs: pa.Table | None = None,
           books: pa.Table | None = None) -> None:
    """Append documents (ids, numbers assigned by the caller inside the same transaction), their
    lines, references and book entries; each table in bulk."""
    con = store.con
    for name, table, types in (("legal_doc", docs, DOC_TYPES), ("legal_doc_line", lines, LINE_TYPES),
                               ("legal_doc_ref", refs, REF_TYPES), ("vat_book", books, BOOK_TYPES)):
        if table is None or table.num_rows == 0:
            continue
        view = f"_ins_{name}"
        cols = ", ".join(types)
        con.register(view, table)
        con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {view}")
        con.unregister(view)


def next_ids(store: Store, table: str) -> int:
    """The first free id of a register table (ids are max + 1 under the store's write lock)."""
    return int(store.scalar(f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))


def next_seq(store: Store, series: str, year: int) -> int:
    return int(store.scalar("SELECT coalesce(max(seq), 0) + 1 FROM legal_doc WHERE series = ? AND year = ?",
                            [series, year]))


def select_docs(store: Store, *, period: int | None = None, contracts: Sequence[str] | None = None,
                kinds: Sequence[str] | None = None, numbers: Sequence[str] | None = None,
                latest_only: bool = True) -> list[int]:
    """Ids of documents issued in `period` (or the documents `numbers`), of the contracts and kinds
    given, in number order; a corrected document is represented by its latest correction."""
    bad = sorted(set(kinds or ()) - set(KINDS))
    if bad:
        raise SbytError(f"Неизвестный вид документа: {', '.join(bad)}. Допустимы: {', '.join(KINDS)}.")
    rows = store.all(
        "SELECT d.id FROM legal_doc d JOIN contract c ON c.id = d.contract_id"
        " WHERE (? IS NULL OR d.period = ?) AND (? IS NULL OR list_contains(?, c.number))"
        " AND (? IS NULL OR list_contains(?, d.kind)) AND (? IS NULL OR list_contains(?, d.doc_no))"
        " AND (NOT ? OR d.correction_no = (SELECT max(x.correction_no) FROM legal_doc x"
        "      WHERE x.series = d.series AND x.year = d.year AND x.seq = d.seq))"
        " ORDER BY d.year, d.series, d.seq, d.correction_no",
        [period, period, _opt(contracts), _opt(contracts), _opt(kinds), _opt(kinds), _opt(numbers), _opt(numbers),
         latest_only])
    if numbers:
        found = {r[0] for r in store.all("SELECT doc_no FROM legal_doc WHERE list_contains(?, id)",
                                         [[r[0] for r in rows]])}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise SbytError(f"Документы не найдены: {', '.join(missing)}.")
    return [r[0] for r in rows]


def _opt(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values else None


REF_WORDS = {"payment": "платёжный документ", "advance_offset": "зачтён аванс (с/ф)", "shipment": "документ отгрузки"}


def doc_title(d: Doc) -> str:
    head = f"{label('doc_kind', d.kind)} № {d.doc_no} от {d.doc_date:%d.%m.%Y}"
    if d.correction_no:
        head += f", исправление № {d.correction_no} от {d.correction_date:%d.%m.%Y}"
    return head


def doc_facts(d: Doc, books: list[tuple]) -> list[tuple[str, str]]:
    """The fields of `sbyt docs show`: parties, amounts, due date, base document, form, basis,
    references (payment documents, offset advances, the shipment) and book entries."""
    facts = [("Документ", doc_title(d)), ("Договор", f"№ {d.contract_no}"),
             ("Месяц", f"{period_title(d.for_period)} г."),
             ("Продавец", f"{d.seller.name}, ИНН/КПП {d.seller.inn_kpp}"),
             ("Покупатель", f"{d.buyer.name}, ИНН/КПП {d.buyer.inn_kpp}, {d.buyer.address}"),
             ("Сумма без НДС", f"{format_rub(d.amount_kop)} ₽"), (f"НДС ({d.vat_rate})", f"{format_rub(d.vat_kop)} ₽"),
             ("Всего", f"{format_rub(d.total_kop)} ₽")]
    if d.due_date:
        facts.append(("Оплатить до", f"{d.due_date:%d.%m.%Y}"))
    if d.base:
        facts.append(("К документу", f"№ {d.base.doc_no} от {d.base.doc_date:%d.%m.%Y}"
                      + (f" (исправление № {d.base.correction_no})" if d.base.correction_no else "")))
    if d.form:
        facts.append(("Форма", "ПП № 1137 в ред. ПП № 26 (строка 5б)" if d.form == "1137-2026" else "ПП № 1137"))
    if d.basis:
        facts.append(("Основание", d.basis))
    if d.email:
        facts.append(("E-mail", d.email))
    for r in d.refs:
        facts.append((REF_WORDS.get(r.ref_kind, r.ref_kind),
                      f"№ {r.ref_no} от {r.ref_date:%d.%m.%Y} на {format_rub(r.amount_kop)} ₽"))
    for book, quarter, code, annul, extra, total, vat in books:
        facts.append((label("vat_book", book), f"{quarter // 10}-{quarter % 10} кв., код {code}"
                      + (", доп. лист" if extra else "") + (", аннулирование" if annul else "")
                      + f": {format_rub(total)} ₽, НДС {format_rub(vat)} ₽"))
    return facts


def book_rows(store: Store, doc_id: int) -> list[tuple]:
    """The VAT book entries of a document, for `doc_facts`."""
    return store.all("SELECT book, quarter, op_code, annul, extra_sheet, total_kop, vat_kop FROM vat_book"
                     " WHERE doc_id = ? ORDER BY id", [doc_id])
