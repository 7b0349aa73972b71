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
    """What the contract procedure waits for, with its deadline («Задачи по договорам»), overdue first."""
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
              grid_company: str | None = None, boundary: str | None = None, head_point: str | None = None) -> int:
    """A supply point of an object; `head_point`: the head consumer's point feeding it (transit)."""
    _check_point(facts)
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
        store.execute("INSERT INTO legal_point_fact VALUES (?, ?, NULL, ?, ?, ?, ?, NULL)",
                      [pid, on, facts.voltage, facts.max_kw, facts.price_category, facts.reliability])
        store.audit("insert", "legal_point", code, None, _json({"object": object_code, "head": head_point,
                                                                "from": on, **facts.__dict__}))
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
        store.execute("INSERT INTO legal_point_fact VALUES (?, ?, NULL, ?, ?, ?, ?, ?)",
                      [pid, effective, new.voltage, new.max_kw, new.price_category, new.reliability, doc_id])


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
