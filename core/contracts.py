"""Legal-entity contracts: the procedure from application to termination, as dated documents.

    application ──(all required documents)──> complete ──> draft ──> approved ──> signed
         │  missing documents: a notice within 5 working days     │   ↑
         │                                                        └─ disagreement ─(answer in 10 working days)
    signed ──> amendments (supply point facts from a date) ──> termination

Each step is a `contract_doc` and an audit row written in one transaction; a step out of order is
refused with what the contract waits for. Deadlines are dated rules (`contract.deadline.*`) counted
on the production calendar (`sbyt.core.workdays`); `tasks` lists what is due and what is overdue
(«Задачи по договорам»). Approval needs the permission `contracts.approve` (head of sales, lawyer).
Rules: docs/legal.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sbyt.core import labels
from sbyt.core.access import requires
from sbyt.core.counterparties import counterparty_id, facts_on
from sbyt.core.errors import NotFoundError, RefusedError, SbytError
from sbyt.core.reference import rule_int
from sbyt.core.store import Store
from sbyt.core.workdays import add_working_days

KINDS = ("supply", "sale", "manager")
SCHEMES = ("p82", "p81", "retailer")
VOLTAGES = ("VN", "SN1", "SN2", "NN")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


@dataclass(frozen=True)
class Contract:
    id: int
    number: str
    counterparty_id: int
    kind: str
    state: str
    applied_on: date
    complete_on: date | None
    signed_on: date | None
    starts: date | None


def contract(store: Store, number: str) -> Contract:
    row = store.one("SELECT id, number, counterparty_id, kind, state, applied_on, complete_on, signed_on, starts"
                    " FROM contract WHERE number = ?", [number])
    if row is None:
        raise NotFoundError(f"Договор № {number} не найден.")
    return Contract(*row)


def _doc(store: Store, c: Contract, kind: str, on: date, *, doc_no: str | None = None, effective: date | None = None,
         changes: dict | None = None, note: str | None = None) -> int:
    doc_id = int(store.scalar("SELECT nextval('contract_doc_seq')"))
    store.execute("INSERT INTO contract_doc (id, contract_id, kind, doc_date, doc_no, effective, changes, note,"
                  " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [doc_id, c.id, kind, on, doc_no, effective, _json(changes) if changes else None, note, store.user])
    store.audit("command", "contract", c.number, None,
                _json({"doc": kind, "date": on, "doc_no": doc_no, "effective": effective, "changes": changes,
                       "note": note}))
    return doc_id


def _set_state(store: Store, c: Contract, state: str, **columns: Any) -> None:
    sets = ", ".join(["state = ?", *(f"{k} = ?" for k in columns)])
    store.execute(f"UPDATE contract SET {sets} WHERE id = ?", [state, *columns.values(), c.id])


def _expect(c: Contract, *states: str) -> None:
    if c.state not in states:
        raise RefusedError(f"Договор № {c.number} в состоянии «{labels.label('contract_state', c.state)}»; "
                           f"шаг возможен в состоянии «{', '.join(labels.label('contract_state', s) for s in states)}».")


def _not_before(c: Contract, on: date, what: str, since: date | None) -> None:
    if since is not None and on < since:
        raise SbytError(f"Дата {what} {on:%d.%m.%Y} раньше предыдущего шага ({since:%d.%m.%Y}).")


def missing_items(store: Store, c: Contract) -> list[str]:
    return [r[0] for r in store.all(
        "SELECT r.item FROM contract_requirement r WHERE r.contract_kind = ? AND r.required"
        " AND r.item NOT IN (SELECT item FROM contract_item WHERE contract_id = ?) ORDER BY r.ord", [c.kind, c.id])]


def _items(store: Store, kind: str, items: list[str]) -> list[str]:
    known = {r[0] for r in store.all("SELECT item FROM contract_requirement WHERE contract_kind = ?", [kind])}
    parsed = [labels.parse("contract_item", i) or i for i in items]
    bad = [i for i in parsed if i not in known]
    if bad:
        raise SbytError(f"Неизвестные документы: {', '.join(bad)}; для договора {labels.label('contract_kind', kind)}"
                        f" это: {', '.join(sorted(known))}.")
    return parsed


def _receive(store: Store, c: Contract, items: list[str], on: date) -> list[str]:
    """Record documents received on `on`; the complete date when this makes the set complete."""
    have = {r[0] for r in store.all("SELECT item FROM contract_item WHERE contract_id = ?", [c.id])}
    new = [i for i in dict.fromkeys(items) if i not in have]
    if new:
        store.execute("INSERT INTO contract_item SELECT ?, unnest(?::VARCHAR[]), ?", [c.id, new, on])
    return new


@requires("contracts.edit")
def apply(store: Store, number: str, counterparty: str, kind: str, on: date, items: list[str], *,
          payment_scheme: str | None = None, doc_no: str | None = None) -> list[str]:
    """Register an application with the documents that came with it; returns the missing required ones."""
    if kind not in KINDS:
        raise SbytError(f"Вид договора «{kind}» неизвестен; допустимы: {labels.choices('contract_kind')}.")
    scheme = payment_scheme or ("p81" if kind == "manager" else "p82")
    if scheme not in SCHEMES:
        raise SbytError(f"Порядок оплаты «{scheme}» неизвестен; допустимы: {', '.join(SCHEMES)}.")
    cid = counterparty_id(store, counterparty)
    if store.scalar("SELECT count(*) FROM contract WHERE number = ?", [number]):
        raise RefusedError(f"Договор № {number} уже есть.")
    parsed = _items(store, kind, ["application", *items])
    with store.transaction():
        new_id = store.next_id("contract")
        store.execute("INSERT INTO contract (id, number, counterparty_id, kind, payment_scheme, state, applied_on)"
                      " VALUES (?, ?, ?, ?, ?, 'application', ?)", [new_id, number, cid, kind, scheme, on])
        c = contract(store, number)
        _receive(store, c, parsed, on)
        _doc(store, c, "application", on, doc_no=doc_no, changes={"documents": parsed, "counterparty": counterparty})
        missing = missing_items(store, c)
        if not missing:
            store.execute("UPDATE contract SET complete_on = ? WHERE id = ?", [on, c.id])
    return missing


@requires("contracts.edit")
def receive(store: Store, number: str, items: list[str], on: date) -> list[str]:
    """Documents that arrived later; returns the required ones still missing."""
    c = contract(store, number)
    _expect(c, "application")
    _not_before(c, on, "получения", c.applied_on)
    parsed = _items(store, c.kind, items)
    with store.transaction():
        new = _receive(store, c, parsed, on)
        if not new:
            raise RefusedError("Эти документы уже получены.")
        _doc(store, c, "documents", on, changes={"documents": new})
        missing = missing_items(store, c)
        if not missing and c.complete_on is None:
            store.execute("UPDATE contract SET complete_on = ? WHERE id = ?", [on, c.id])
    return missing


@requires("contracts.edit")
def notify_missing(store: Store, number: str, on: date) -> list[str]:
    """The notice of missing documents; returns the documents it names."""
    c = contract(store, number)
    _expect(c, "application")
    missing = missing_items(store, c)
    if not missing:
        raise RefusedError(f"По договору № {number} все обязательные документы получены: уведомление не нужно.")
    with store.transaction():
        _doc(store, c, "missing_notice", on, changes={"missing": missing})
    return missing


@requires("contracts.edit")
def make_draft(store: Store, number: str, on: date, doc_no: str | None = None) -> None:
    c = contract(store, number)
    _expect(c, "application")
    if c.complete_on is None:
        names = ", ".join(labels.label("contract_item", i) for i in missing_items(store, c))
        raise RefusedError(f"Проект договора № {number} нельзя подготовить: не получены документы: {names}.")
    _not_before(c, on, "проекта", c.complete_on)
    with store.transaction():
        _doc(store, c, "draft", on, doc_no=doc_no)
        _set_state(store, c, "draft")


def _step(store: Store, number: str, on: date, states: tuple[str, ...], doc: str, state: str,
          note: str | None) -> None:
    c = contract(store, number)
    _expect(c, *states)
    with store.transaction():
        _doc(store, c, doc, on, note=note)
        _set_state(store, c, state)


@requires("contracts.approve")
def approve(store: Store, number: str, on: date, note: str | None = None) -> None:
    _step(store, number, on, ("draft", "disagreement"), "approval", "approved", note)


@requires("contracts.edit")
def disagreement(store: Store, number: str, on: date, note: str | None = None) -> None:
    """The applicant's protocol of disagreements received: to be answered within the deadline."""
    _step(store, number, on, ("draft", "approved"), "disagreement", "disagreement", note)


@requires("contracts.approve")
def answer_disagreement(store: Store, number: str, on: date, note: str | None = None) -> None:
    """The supplier's answer to the protocol (the settled wording): the draft is approved again."""
    _step(store, number, on, ("disagreement",), "disagreement_answer", "approved", note)


@requires("contracts.edit")
def sign(store: Store, number: str, on: date, starts: date, ends: date | None = None, *,
         doc_no: str | None = None, edo: bool = False) -> None:
    """Both parties signed: supply from `starts`. An energy-supply or sale contract needs the consumer's
    mobile number and e-mail (restriction notices go there)."""
    c = contract(store, number)
    _expect(c, "approved")
    facts = facts_on(store, c.counterparty_id, on)
    if c.kind in ("supply", "sale") and (facts is None or not facts.mobile or not facts.email):
        raise RefusedError(f"Договор № {number} нельзя подписать: у контрагента не указаны мобильный телефон и "
                           "адрес электронной почты для уведомлений об ограничении (sbyt counterparty change).")
    if ends is not None and ends <= starts:
        raise SbytError("Срок действия договора кончается раньше начала поставки.")
    with store.transaction():
        _doc(store, c, "signed", on, doc_no=doc_no, effective=starts)
        _set_state(store, c, "signed", signed_on=on, starts=starts, ends=ends, edo=edo)


@requires("contracts.edit")
def terminate(store: Store, number: str, on: date, effective: date, reason: str | None = None) -> None:
    c = contract(store, number)
    _expect(c, "signed")
    if c.starts is not None and effective < c.starts:
        raise SbytError(f"Дата расторжения {effective:%d.%m.%Y} раньше начала поставки {c.starts:%d.%m.%Y}.")
    with store.transaction():
        _doc(store, c, "termination", on, effective=effective, note=reason)
        _set_state(store, c, "terminated", terminated_from=effective)
        store.execute("UPDATE legal_point_fact SET valid_to = ? WHERE valid_to IS NULL AND point_id IN"
                      " (SELECT p.id FROM legal_point p JOIN calc_object o ON o.id = p.object_id"
                      "  WHERE o.contract_id = ?)", [effective, c.id])


# -------------------------------------------------------------------------------------- deadlines
@dataclass(frozen=True)
class Task:
    number: str
    counterparty: str
    task: str
    due: date
    overdue_days: int


def _deadline(store: Store, code: str, start: date) -> date:
    if code.endswith("working_days"):
        return add_working_days(start, rule_int(store, code, start))
    return start + timedelta(days=rule_int(store, code, start))


def tasks(store: Store, today: date) -> list[Task]:
    """What the contract procedure waits for, with its deadline («Задачи по договорам»), overdue first.
    The report contract_register counts the same steps and deadlines in SQL (on the store's
    production_calendar); tests/legal/test_legal_reports.py keeps the two equal."""
    rows = store.all("""
        SELECT k.id, k.number, c.inn, k.state, k.applied_on, k.complete_on,
               (SELECT max(doc_date) FROM contract_doc d WHERE d.contract_id = k.id AND d.kind = 'missing_notice'),
               (SELECT max(doc_date) FROM contract_doc d WHERE d.contract_id = k.id AND d.kind = 'disagreement')
        FROM contract k JOIN counterparty c ON c.id = k.counterparty_id
        WHERE k.state IN ('application', 'disagreement') ORDER BY k.number""")
    out = []
    for _cid, number, inn, state, applied, complete, noticed, disagreed in rows:
        if state == "application" and complete is None and noticed is None:
            out.append((number, inn, "направить уведомление о недостающих документах",
                        _deadline(store, "contract.deadline.missing_docs.working_days", applied)))
        elif state == "application" and complete is not None:
            out.append((number, inn, "направить проект договора",
                        _deadline(store, "contract.deadline.draft.days", complete)))
        elif state == "disagreement":
            out.append((number, inn, "ответить на протокол разногласий",
                        _deadline(store, "contract.deadline.disagreement.working_days", disagreed)))
    tasks_ = [Task(n, i, t, due, max(0, (today - due).days)) for n, i, t, due in out]
    return sorted(tasks_, key=lambda t: (-t.overdue_days, t.due, t.number))


def changes_text(text: str | None) -> str | None:
    """A document's changes (the JSON of `contract_doc.changes`) as a reader wants them: documents
    by name, other fields as they are."""
    if not text:
        return None
    out = []
    for key, value in json.loads(text).items():
        if isinstance(value, list):
            value = ", ".join(labels.label("contract_item", v) for v in value)
        out.append(f"{key}: {value}")
    return "; ".join(out)


def history(store: Store, number: str) -> list[tuple]:
    c = contract(store, number)
    return store.all("SELECT doc_date, kind, doc_no, effective, changes, note, created_by FROM contract_doc"
                     " WHERE contract_id = ? ORDER BY id", [c.id])


# ---------------------------------------------------------------------------- objects, points, meters
@requires("contracts.edit")
def add_object(store: Store, number: str, code: str, name: str, on: date, *, address: str | None = None,
               building: str | None = None, premise_no: str | None = None) -> int:
    """A calculation object of the contract; `building`: the apartment building whose non-residential
    premise it is (its volume then enters the building's ОДН balance)."""
    c = contract(store, number)
    if store.scalar("SELECT count(*) FROM calc_object WHERE code = ?", [code]):
        raise RefusedError(f"Объект с кодом «{code}» уже есть.")
    building_id = None
    if building:
        building_id = store.scalar("SELECT id FROM building WHERE code = ?", [building])
        if building_id is None:
            raise NotFoundError(f"Дом с кодом «{building}» не найден.")
    with store.transaction():
        oid = store.next_id("calc_object")
        store.execute("INSERT INTO calc_object VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                      [oid, c.id, code, name, address, building_id, premise_no, on])
        store.audit("insert", "calc_object", code, None, _json({"contract": number, "name": name, "address": address,
                                                               "building": building, "premise": premise_no,
                                                               "from": on}))
    return oid


@dataclass(frozen=True)
class PointFacts:
    voltage: str
    max_kw: Decimal
    price_category: int
    reliability: int | None = None


def _check_point(f: PointFacts) -> None:
    if f.voltage not in VOLTAGES:
        raise SbytError(f"Уровень напряжения «{f.voltage}» неизвестен; допустимы: {labels.choices('voltage')}.")
    if not 1 <= f.price_category <= 6:
        raise SbytError(f"Ценовая категория {f.price_category}: допустимы 1–6.")
    if f.max_kw <= 0:
        raise SbytError("Максимальная мощность должна быть больше нуля.")
    if f.max_kw >= 670 and f.price_category not in (4, 6):
        raise SbytError(f"При максимальной мощности {f.max_kw} кВт (670 кВт и более) допустимы только ценовые "
                        "категории 4 и 6.")


def point_id(store: Store, code: str) -> int:
    pid = store.scalar("SELECT id FROM legal_point WHERE code = ?", [code])
    if pid is None:
        raise NotFoundError(f"Точка поставки «{code}» не найдена.")
    return int(pid)


@requires("contracts.edit")
def add_point(store: Store, object_code: str, code: str, on: date, facts: PointFacts, *, name: str | None = None,
              grid_company: str | None = None, boundary: str | None = None, head_point: str | None = None,
              tariff_group: str | None = None) -> int:
    """A supply point of an object; `head_point`: the head consumer's point feeding it (transit);
    `tariff_group`: a population-equated consumer billed at that household tariff group."""
    _check_point(facts)
    if tariff_group is not None and not store.scalar("SELECT count(*) FROM tariff_group WHERE code = ?",
                                                     [tariff_group]):
        raise NotFoundError(f"Тарифная группа «{tariff_group}» не найдена.")
    oid = store.scalar("SELECT id FROM calc_object WHERE code = ?", [object_code])
    if oid is None:
        raise NotFoundError(f"Объект с кодом «{object_code}» не найден.")
    if store.scalar("SELECT count(*) FROM legal_point WHERE code = ?", [code]):
        raise RefusedError(f"Точка поставки «{code}» уже есть.")
    head = point_id(store, head_point) if head_point else None
    with store.transaction():
        pid = store.next_id("legal_point")
        store.execute("INSERT INTO legal_point VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                      [pid, oid, code, name, grid_company, boundary, head, on])
        store.execute("INSERT INTO legal_point_fact VALUES (?, ?, NULL, ?, ?, ?, ?, NULL, ?)",
                      [pid, on, facts.voltage, facts.max_kw, facts.price_category, facts.reliability, tariff_group])
        store.audit("insert", "legal_point", code, None, _json({"object": object_code, "head": head_point,
                                                                "from": on, "tariff_group": tariff_group,
                                                                **facts.__dict__}))
    return pid


@requires("contracts.edit")
def amend(store: Store, number: str, doc_no: str, on: date, effective: date, point_code: str,
          changes: dict[str, Any]) -> None:
    """An amendment (доп. соглашение) changing a supply point's voltage, maximum capacity or price
    category from `effective`. A price-category change takes effect on the 1st of a month and is
    notified at least `contract.price_category.notice_working_days` working days before it."""
    c = contract(store, number)
    _expect(c, "signed")
    unknown = set(changes) - {"voltage", "max_kw", "price_category", "reliability"}
    if unknown or not changes:
        raise SbytError("Доп. соглашение меняет voltage, max_kw, price_category или reliability точки поставки.")
    pid = point_id(store, point_code)
    if not store.scalar("SELECT count(*) FROM legal_point p JOIN calc_object o ON o.id = p.object_id"
                        " WHERE p.id = ? AND o.contract_id = ?", [pid, c.id]):
        raise RefusedError(f"Точка поставки «{point_code}» не относится к договору № {number}.")
    row = store.one("SELECT voltage, max_kw, price_category, reliability FROM legal_point_fact"
                    " WHERE point_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
                    [pid, effective, effective])
    if row is None:
        raise SbytError(f"На {effective:%d.%m.%Y} у точки «{point_code}» нет действующих характеристик.")
    old = PointFacts(*row)
    new = PointFacts(**{**old.__dict__, **changes})
    _check_point(new)
    if new.price_category != old.price_category:
        if effective.day != 1:
            raise RefusedError("Ценовая категория меняется с 1-го числа месяца.")
        notice = rule_int(store, "contract.price_category.notice_working_days", effective, 0)
        if notice and add_working_days(on, notice) > effective:
            raise RefusedError(f"О смене ценовой категории уведомляют не позднее чем за {notice} рабочих дней "
                               f"до начала месяца: с {effective:%d.%m.%Y} поздно.")
    if store.scalar("SELECT count(*) FROM legal_point_fact WHERE point_id = ? AND valid_from > ?",
                    [pid, effective]):
        raise RefusedError(f"У точки «{point_code}» есть изменения с даты позже {effective:%d.%m.%Y}.")
    with store.transaction():
        doc_id = _doc(store, c, "amendment", on, doc_no=doc_no, effective=effective,
                      changes={"point": point_code, **{k: str(v) for k, v in changes.items()}})
        store.execute("DELETE FROM legal_point_fact WHERE point_id = ? AND valid_from = ?", [pid, effective])
        store.execute("UPDATE legal_point_fact SET valid_to = ? WHERE point_id = ? AND valid_to IS NULL",
                      [effective, pid])
        store.execute("INSERT INTO legal_point_fact SELECT ?, ?, NULL, ?, ?, ?, ?, ?, (SELECT max(tariff_group)"
                      " FROM legal_point_fact WHERE point_id = ? AND valid_to = ?)",
                      [pid, effective, new.voltage, new.max_kw, new.price_category, new.reliability, doc_id,
                       pid, effective])


@dataclass(frozen=True)
class MeterSpec:
    serial: str
    installed: date
    model: str | None = None
    accuracy: str | None = None
    digits: int = 6
    ct_ratio: int = 1
    vt_ratio: int = 1
    verified: date | None = None
    verify_years: int | None = None
    loss_pct: Decimal = Decimal(0)
    askue_code: str | None = None
    askue_channel: str | None = None


@requires("contracts.edit")
def add_meter(store: Store, point_code: str, m: MeterSpec) -> int:
    """A measuring complex at a supply point: the meter and its transformer ratios."""
    pid = point_id(store, point_code)
    if m.ct_ratio < 1 or m.vt_ratio < 1:
        raise SbytError("Коэффициенты трансформации — целые числа от 1.")
    if (m.askue_code is None) != (m.askue_channel is None):
        raise SbytError("Для АСКУЭ укажите и код точки измерения, и код канала.")
    if m.askue_code and store.scalar("SELECT count(*) FROM legal_meter WHERE askue_code = ? AND askue_channel = ?",
                                     [m.askue_code, m.askue_channel]):
        raise RefusedError(f"Точка измерения АСКУЭ {m.askue_code}, канал {m.askue_channel} уже привязана.")
    with store.transaction():
        mid = store.next_id("legal_meter")
        store.execute("INSERT INTO legal_meter VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
                      [mid, pid, m.serial, m.model, m.accuracy, m.digits, m.ct_ratio, m.vt_ratio, m.installed,
                       m.verified, m.verify_years, m.loss_pct, m.askue_code, m.askue_channel])
        store.audit("insert", "legal_meter", point_code, None, _json({"point": point_code, **m.__dict__}))
    return mid


# ------------------------------------------------------------------------------- printed forms
@dataclass(frozen=True)
class PartyCard:
    """The counterparty's requisites in force on a day (the contract's «Потребитель»)."""
    kind: str
    inn: str
    kpp: str | None
    ogrn: str | None
    facts: Any                       # CounterpartyFacts
    bank: tuple | None               # (bik, bank_name, account, corr_account)


@dataclass(frozen=True)
class MeterCard:
    serial: str
    model: str | None
    accuracy: str | None
    ct_ratio: int
    vt_ratio: int
    installed: date
    verified: date | None
    verify_years: int | None
    loss_pct: Decimal


@dataclass(frozen=True)
class PointCard:
    object_code: str
    object_name: str
    address: str | None
    code: str
    name: str | None
    grid_company: str | None
    boundary: str | None
    head_code: str | None            # transit: the head consumer's point
    voltage: str
    max_kw: Decimal
    price_category: int
    reliability: int | None
    meters: tuple[MeterCard, ...]


@dataclass(frozen=True)
class ContractCard:
    """What the printed contract says: the contract, its counterparty and its supply points on `on`."""
    number: str
    kind: str
    payment_scheme: str
    state: str
    applied_on: date
    signed_on: date | None
    signed_no: str | None
    starts: date | None
    ends: date | None
    edo: bool
    on: date
    party: PartyCard
    points: tuple[PointCard, ...]


@dataclass(frozen=True)
class AmendmentCard:
    """An amendment (доп. соглашение): what it changes at a point, each field as (field, old, new)."""
    doc_id: int
    doc_no: str | None
    doc_date: date
    effective: date
    point: PointCard                 # as amended (on the effective date)
    changes: tuple[tuple[str, Any, Any], ...]
    contract: ContractCard           # the contract and its parties on the amendment's date


_POINT_FIELDS = ("voltage", "max_kw", "price_category", "reliability")


def _party(store: Store, cid: int, on: date) -> PartyCard:
    kind, inn, kpp, ogrn = store.one("SELECT kind, inn, kpp, ogrn FROM counterparty WHERE id = ?", [cid])
    first = store.scalar("SELECT min(valid_from) FROM counterparty_fact WHERE counterparty_id = ?", [cid])
    facts = facts_on(store, cid, on) or facts_on(store, cid, first)   # entered after the day printed: the first
    bank = store.one("SELECT bik, bank_name, account, corr_account FROM counterparty_bank WHERE counterparty_id = ?"
                     " ORDER BY (valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)) DESC, valid_from DESC, id DESC"
                     " LIMIT 1", [cid, on, on])
    return PartyCard(kind, inn, kpp, ogrn, facts, tuple(bank) if bank else None)


def _points(store: Store, contract_id: int, on: date, point: int | None = None) -> tuple[PointCard, ...]:
    rows = store.all("""
        SELECT p.id, o.code, o.name, o.address, p.code, p.name, p.grid_company, p.boundary, h.code,
               f.voltage, f.max_kw, f.price_category, f.reliability
        FROM calc_object o JOIN legal_point p ON p.object_id = o.id
        JOIN legal_point_fact f ON f.point_id = p.id AND f.valid_from <= ? AND (f.valid_to IS NULL OR f.valid_to > ?)
        LEFT JOIN legal_point h ON h.id = p.head_point_id
        WHERE o.contract_id = ? AND (p.closed IS NULL OR p.closed > ?) AND (? IS NULL OR p.id = ?)
        ORDER BY o.id, p.id""", [on, on, contract_id, on, point, point])
    meters: dict[int, list[MeterCard]] = {}
    for pid, *m in store.all("""
            SELECT m.point_id, m.serial, m.model, m.accuracy, m.ct_ratio, m.vt_ratio, m.installed, m.verified,
                   m.verify_years, m.loss_pct
            FROM legal_meter m JOIN legal_point p ON p.id = m.point_id JOIN calc_object o ON o.id = p.object_id
            WHERE o.contract_id = ? AND m.installed <= ? AND (m.removed IS NULL OR m.removed > ?)
            ORDER BY m.point_id, m.installed, m.id""", [contract_id, on, on]):
        meters.setdefault(pid, []).append(MeterCard(*m))
    return tuple(PointCard(*r[1:], tuple(meters.get(r[0], ()))) for r in rows)


def _card(store: Store, c: Contract, on: date, points: tuple[PointCard, ...]) -> ContractCard:
    scheme, ends, edo = store.one("SELECT payment_scheme, ends, edo FROM contract WHERE id = ?", [c.id])
    signed_no = store.scalar("SELECT doc_no FROM contract_doc WHERE contract_id = ? AND kind = 'signed'"
                             " ORDER BY id DESC LIMIT 1", [c.id])
    return ContractCard(c.number, c.kind, scheme, c.state, c.applied_on, c.signed_on, signed_no, c.starts, ends,
                        bool(edo), on, _party(store, c.counterparty_id, on), points)


def contract_card(store: Store, number: str, on: date) -> ContractCard:
    """The contract as printed on `on`: the counterparty's requisites and the supply points in force that
    day with their measuring complexes (Appendix 1). Refused when there is nothing to print."""
    c = contract(store, number)
    points = _points(store, c.id, on)
    if not points:
        total = store.scalar("SELECT count(*) FROM legal_point p JOIN calc_object o ON o.id = p.object_id"
                             " WHERE o.contract_id = ?", [c.id])
        if not total and c.state == "application":
            raise RefusedError(f"Договор № {number} ещё на стадии заявки, точек поставки нет: печатать нечего. "
                               "Добавьте объекты и точки поставки (sbyt contract object, sbyt contract point).")
        if not total:
            raise RefusedError(f"В договоре № {number} нет точек поставки: печатать нечего "
                               "(sbyt contract object, sbyt contract point).")
        raise RefusedError(f"На {on:%d.%m.%Y} у договора № {number} нет действующих точек поставки: "
                           "укажите другую дату.")
    return _card(store, c, on, points)


def _fact_value(field: str, text: Any) -> Any:
    """A point fact as an amendment's changes JSON keeps it (a string) back to its type."""
    if text is None or text == "None":
        return None
    return Decimal(str(text)) if field == "max_kw" else int(text) if field != "voltage" else str(text)


def amendment_card(store: Store, number: str, doc: str) -> AmendmentCard:
    """The amendment `doc` (its number, or its id in `sbyt contract history`) of the contract: the point
    on the effective date and each changed field as the document states it, with its value before (the
    fact in force the day before)."""
    c = contract(store, number)
    rows = store.all("SELECT id, doc_no, doc_date, effective, changes FROM contract_doc"
                     " WHERE contract_id = ? AND kind = 'amendment' ORDER BY id", [c.id])
    key = doc.strip()
    found = [r for r in rows if r[1] == key] or [r for r in rows if key.isdigit() and r[0] == int(key)]
    if not found:
        have = ", ".join(r[1] or f"id {r[0]}" for r in rows)
        raise NotFoundError(f"У договора № {number} нет доп. соглашения «{key}»"
                            + (f"; есть: {have}." if have else "; доп. соглашений к нему нет."))
    doc_id, doc_no, doc_date, effective, text = found[-1]
    changes = json.loads(text or "{}")
    pid = point_id(store, changes["point"])
    point = _points(store, c.id, effective, pid)
    if not point:
        raise RefusedError(f"Точка поставки «{changes['point']}» на {effective:%d.%m.%Y} не действует.")
    old = store.one("SELECT voltage, max_kw, price_category, reliability FROM legal_point_fact"
                    " WHERE point_id = ? AND valid_from < ? ORDER BY valid_from DESC LIMIT 1", [pid, effective])
    before = dict(zip(_POINT_FIELDS, old)) if old else {}
    diff = tuple((f, before.get(f), _fact_value(f, changes[f])) for f in _POINT_FIELDS if f in changes)
    return AmendmentCard(doc_id, doc_no, doc_date, effective, point[0], diff, _card(store, c, doc_date, ()))


# ------------------------------------------------------------------------------- contract volumes
VOLUME_SERVICES = ("energy", "capacity")
VOLUME_UNITS = {"energy": "кВт·ч", "capacity": "кВт"}


@dataclass(frozen=True)
class PlannedVolume:
    """The declared volumes of an object and service in a year: January..December, None = not declared."""
    object_code: str
    object_name: str
    service: str
    months: tuple[Decimal | None, ...]


def _volume_object(store: Store, c: Contract, code: str) -> tuple[int, date, date | None]:
    row = store.one("SELECT id, contract_id, opened, closed FROM calc_object WHERE code = ?", [code])
    if row is None:
        raise NotFoundError(f"Объект с кодом «{code}» не найден.")
    if row[1] != c.id:
        raise RefusedError(f"Объект «{code}» не относится к договору № {c.number}.")
    return row[0], row[2], row[3]


@requires("contracts.edit")
def plan_volumes(store: Store, number: str, object_code: str, service: str, volumes: dict[int, Decimal], on: date,
                 *, doc_no: str | None = None) -> int:
    """Declare the contract volumes (договорные объёмы) of a calculation object by month (`volumes`:
    YYYYMM -> energy in kWh or capacity in kW). The months given replace what was declared for them;
    one contract document 'volumes' (the months, the new and the previous values) and its audit row.
    Refused: a contract the supplier refused; a month from the termination on, after the contract's
    term, before the supply starts or outside the object's life; a closed month; a negative value or
    more than three decimals; nothing that changes. Returns the document's id."""
    from sbyt.core.period_state import ensure_open
    from sbyt.core.periods import first_day, last_day, period_label

    c = contract(store, number)
    if c.state == "refused":
        raise RefusedError(f"Договор № {number} в состоянии «{labels.label('contract_state', c.state)}»: "
                           "договорные объёмы не заявляются.")
    if service not in VOLUME_SERVICES:
        raise SbytError(f"Услуга «{service}» неизвестна; допустимы: {labels.choices('volume_service')}.")
    oid, opened, closed = _volume_object(store, c, object_code)
    if not volumes:
        raise SbytError("Не указаны объёмы: задайте значения по месяцам.")
    terminated, ends = store.one("SELECT terminated_from, ends FROM contract WHERE id = ?", [c.id])
    for period, value in sorted(volumes.items()):
        month = period_label(period)
        if value < 0:
            raise SbytError(f"Договорный объём за {month} отрицательный ({value}): объём — ноль или больше.")
        if value != value.quantize(Decimal("0.001")):
            raise SbytError(f"Договорный объём за {month} ({value}): не более трёх знаков после запятой.")
        if terminated is not None and first_day(period) >= terminated:
            raise RefusedError(f"Договор № {number} расторгнут с {terminated:%d.%m.%Y}: объём за {month} "
                               "не заявляется.")
        if ends is not None and first_day(period) > ends:
            raise RefusedError(f"Срок действия договора № {number} кончается {ends:%d.%m.%Y}: объём за {month} "
                               "не заявляется.")
        if c.starts is not None and last_day(period) < c.starts:
            raise RefusedError(f"Поставка по договору № {number} начинается {c.starts:%d.%m.%Y}: объём за {month} "
                               "не заявляется.")
        if last_day(period) < opened or (closed is not None and first_day(period) >= closed):
            raise RefusedError(f"Объект «{object_code}» в {month} не действует (открыт {opened:%d.%m.%Y}"
                               + (f", закрыт {closed:%d.%m.%Y}" if closed else "") + ").")
        ensure_open(store, period)
    old = {p: v for p, v in store.all("SELECT period, volume FROM contract_volume WHERE object_id = ? AND service = ?"
                                      " AND period IN (SELECT unnest(?::INTEGER[]))", [oid, service, list(volumes)])}
    new = {p: v for p, v in volumes.items() if old.get(p) != v}
    if not new:
        raise RefusedError("Эти объёмы уже заявлены: изменений нет.")
    periods = sorted(new)
    changes: dict[str, Any] = {"object": object_code, "service": service,
                               "volumes": [f"{period_label(p)}: {new[p]:.3f}" for p in periods]}
    if any(p in old for p in periods):
        changes["previous"] = [f"{period_label(p)}: {old[p]:.3f}" for p in periods if p in old]
    with store.transaction():
        doc_id = _doc(store, c, "volumes", on, doc_no=doc_no, changes=changes)
        store.execute("DELETE FROM contract_volume WHERE object_id = ? AND service = ?"
                      " AND period IN (SELECT unnest(?::INTEGER[]))", [oid, service, periods])
        store.execute("INSERT INTO contract_volume SELECT ?, ?, ?, unnest(?::INTEGER[]), unnest(?::DECIMAL(18, 3)[]), ?",
                      [c.id, oid, service, periods, [new[p] for p in periods], doc_id])
    return doc_id


def planned_volumes(store: Store, number: str, year: int) -> list[PlannedVolume]:
    """The contract's declared volumes in a year by object and service (objects in their order)."""
    c = contract(store, number)
    rows = store.all("""
        SELECT o.code, o.name, v.service, v.period, v.volume FROM contract_volume v
        JOIN calc_object o ON o.id = v.object_id
        WHERE v.contract_id = ? AND v.period BETWEEN ? AND ?
        ORDER BY o.id, v.service = 'capacity', v.period""", [c.id, year * 100 + 1, year * 100 + 12])
    out: dict[tuple[str, str], tuple[str, list[Decimal | None]]] = {}
    for code, name, service, period, volume in rows:
        out.setdefault((code, service), (name, [None] * 12))[1][period % 100 - 1] = volume
    return [PlannedVolume(code, name, service, tuple(months)) for (code, service), (name, months) in out.items()]
