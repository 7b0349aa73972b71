"""Counterparties (контрагенты) of legal-entity contracts: requisites checked, facts effective-dated.

A counterparty is found by its INN, or by «INN/KPP» when one INN has several KPP (branches). Its
requisites are checked when entered (`sbyt.core.requisites`): a wrong check digit is refused with
the reason. Name, addresses, the mobile number and e-mail for restriction notices, the budget level,
financing group and consumer group change from a date (a new `counterparty_fact`). Rules:
docs/legal.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from sbyt.core import requisites
from sbyt.core.access import requires
from sbyt.core.errors import NotFoundError, RefusedError, SbytError
from sbyt.core.store import Store

KINDS = ("legal", "sole_trader", "manager", "budget")
BUDGET_LEVELS = ("federal", "regional", "local")


@dataclass(frozen=True)
class CounterpartyFacts:
    name: str
    short_name: str | None = None
    legal_address: str | None = None
    postal_address: str | None = None
    mobile: str | None = None
    email: str | None = None
    budget_level: str | None = None
    financing_group: str | None = None
    consumer_group: str | None = None


FACT_FIELDS = tuple(f.name for f in fields(CounterpartyFacts))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _checked(facts: CounterpartyFacts) -> CounterpartyFacts:
    if not (facts.name or "").strip():
        raise SbytError("Укажите наименование контрагента.")
    problems = []
    mobile = facts.mobile
    if mobile:
        problem = requisites.mobile_problem(mobile)
        if problem:
            problems.append(problem)
        else:
            mobile = requisites.normalize_mobile(mobile)
    if facts.email and (problem := requisites.email_problem(facts.email)):
        problems.append(problem)
    if facts.budget_level and facts.budget_level not in BUDGET_LEVELS:
        problems.append(f"Уровень бюджета «{facts.budget_level}» неизвестен; допустимы: {', '.join(BUDGET_LEVELS)}.")
    if problems:
        raise SbytError("\n".join(problems))
    return replace(facts, name=facts.name.strip(), mobile=mobile)


def _requisites(kind: str, inn: str, kpp: str | None, ogrn: str | None) -> None:
    if kind not in KINDS:
        raise SbytError(f"Вид контрагента «{kind}» неизвестен; допустимы: {', '.join(KINDS)}.")
    person = kind == "sole_trader"
    problems = [requisites.inn_problem(inn, "person" if person else "legal")]
    if person and kpp:
        problems.append("У индивидуального предпринимателя нет КПП.")
    elif not person:
        problems.append(requisites.kpp_problem(kpp) if kpp else "Укажите КПП организации.")
    if ogrn:
        problems.append(requisites.ogrn_problem(ogrn, "person" if person else "legal"))
    problems = [p for p in problems if p]
    if problems:
        raise SbytError("\n".join(problems))


def counterparty_id(store: Store, key: str) -> int:
    """The counterparty of «INN» or «INN/KPP»."""
    inn, _, kpp = key.strip().partition("/")
    rows = store.all("SELECT id, kpp FROM counterparty WHERE inn = ? AND (? = '' OR kpp = ?) ORDER BY id",
                     [inn, kpp, kpp])
    if not rows:
        raise NotFoundError(f"Контрагент с ИНН {key} не найден.")
    if len(rows) > 1:
        raise SbytError(f"С ИНН {inn} несколько контрагентов (КПП {', '.join(str(r[1]) for r in rows)}): "
                        f"укажите «ИНН/КПП».")
    return int(rows[0][0])


@requires("contracts.edit")
def add_counterparty(store: Store, kind: str, inn: str, kpp: str | None, ogrn: str | None,
                     facts: CounterpartyFacts, on: date, *, manager_code: str | None = None) -> int:
    """A new counterparty with its first facts from `on`."""
    inn, kpp, ogrn = inn.strip(), (kpp or "").strip() or None, (ogrn or "").strip() or None
    _requisites(kind, inn, kpp, ogrn)
    facts = _checked(facts)
    if store.scalar("SELECT count(*) FROM counterparty WHERE inn = ? AND kpp IS NOT DISTINCT FROM ?", [inn, kpp]):
        raise RefusedError(f"Контрагент с ИНН {inn}" + (f" и КПП {kpp}" if kpp else "") + " уже есть.")
    manager_id = None
    if manager_code:
        manager_id = store.scalar("SELECT id FROM manager WHERE code = ?", [manager_code])
        if manager_id is None:
            raise NotFoundError(f"Управляющая организация с кодом «{manager_code}» не найдена.")
    with store.transaction():
        cid = store.next_id("counterparty")
        store.execute("INSERT INTO counterparty VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      [cid, kind, inn, kpp, ogrn, manager_id, on, store.user])
        store.execute(f"INSERT INTO counterparty_fact (counterparty_id, valid_from, {', '.join(FACT_FIELDS)})"
                      f" VALUES (?, ?{', ?' * len(FACT_FIELDS)})", [cid, on, *asdict(facts).values()])
        store.audit("insert", "counterparty", inn if not kpp else f"{inn}/{kpp}", None,
                    _json({"kind": kind, "inn": inn, "kpp": kpp, "ogrn": ogrn, "from": on, **asdict(facts)}))
    return cid


def facts_on(store: Store, cid: int, on: date) -> CounterpartyFacts | None:
    row = store.one(f"SELECT {', '.join(FACT_FIELDS)} FROM counterparty_fact WHERE counterparty_id = ?"
                    " AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1",
                    [cid, on, on])
    return CounterpartyFacts(*row) if row else None


@requires("contracts.edit")
def change_counterparty(store: Store, key: str, on: date, changes: dict[str, Any]) -> None:
    """New facts from `on`: the fact in force is closed on `on`, a later one is refused."""
    unknown = set(changes) - set(FACT_FIELDS)
    if unknown:
        raise SbytError(f"Неизвестные поля: {', '.join(sorted(unknown))}.")
    cid = counterparty_id(store, key)
    current = facts_on(store, cid, on)
    if current is None:
        raise SbytError(f"На {on:%d.%m.%Y} у контрагента {key} ещё нет сведений.")
    if store.scalar("SELECT count(*) FROM counterparty_fact WHERE counterparty_id = ? AND valid_from > ?", [cid, on]):
        raise RefusedError(f"У контрагента {key} есть сведения с даты позже {on:%d.%m.%Y}: измените их.")
    new = _checked(replace(current, **changes))
    with store.transaction():
        store.execute("DELETE FROM counterparty_fact WHERE counterparty_id = ? AND valid_from = ?", [cid, on])
        store.execute("UPDATE counterparty_fact SET valid_to = ? WHERE counterparty_id = ? AND valid_to IS NULL",
                      [on, cid])
        store.execute(f"INSERT INTO counterparty_fact (counterparty_id, valid_from, {', '.join(FACT_FIELDS)})"
                      f" VALUES (?, ?{', ?' * len(FACT_FIELDS)})", [cid, on, *asdict(new).values()])
        store.audit("update", "counterparty", key, _json(asdict(current)), _json({"from": on, **asdict(new)}))


@requires("contracts.edit")
def add_bank_account(store: Store, key: str, bik: str, account: str, on: date, *, corr_account: str | None = None,
                     bank_name: str | None = None) -> None:
    problems = [requisites.bik_problem(bik)]
    if not problems[0]:
        problems.append(requisites.account_problem(bik, account))
        if corr_account:
            problems.append(requisites.corr_account_problem(bik, corr_account))
    problems = [p for p in problems if p]
    if problems:
        raise SbytError("\n".join(problems))
    cid = counterparty_id(store, key)
    with store.transaction():
        store.execute("UPDATE counterparty_bank SET valid_to = ? WHERE counterparty_id = ? AND valid_to IS NULL",
                      [on, cid])
        store.execute("INSERT INTO counterparty_bank VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                      [store.next_id("counterparty_bank"), cid, bik, bank_name, account, corr_account, on])
        store.audit("insert", "counterparty_bank", key, None,
                    _json({"bik": bik, "account": account, "corr_account": corr_account, "from": on}))


def search(store: Store, text: str, limit: int = 50) -> list[tuple]:
    """Counterparties by INN (its beginning), name (a part) or a contract number: (inn, kpp, name, kind,
    contracts)."""
    t = text.strip()
    return store.all("""
        WITH f AS (SELECT counterparty_id, arg_max(name, valid_from) AS name FROM counterparty_fact GROUP BY ALL)
        SELECT c.inn, c.kpp, f.name, c.kind,
               (SELECT string_agg(k.number, ', ' ORDER BY k.number) FROM contract k WHERE k.counterparty_id = c.id)
        FROM counterparty c JOIN f ON f.counterparty_id = c.id
        WHERE starts_with(c.inn, ?) OR f.name ILIKE '%' || ? || '%'
           OR c.id IN (SELECT counterparty_id FROM contract WHERE number = ?)
        ORDER BY f.name, c.inn LIMIT ?""", [t, t, t, limit])
