"""Issuing the month's legal-entity documents (`sbyt docs issue`, docs/legal_docs.md).

For a month P and the signed contracts supplied in it (or a selection), one run issues what is not
issued yet — a rerun issues nothing twice:

* **bill_advance** — an invoice for payment per interim instalment of P's schedule (ПП 442 п. 82:
  30 % by the 10th, 40 % by the 25th; energy retailers 50 % by the 1st), the amount and its base
  from `sbyt.core.legal_schedule.planned`, VAT inside at the rate of P (22/122);
* once P is closed (its lines posted):
  - **act** + **sf**, or one **upd** of status 1 when the dated text rule `docs.shipment` is 'upd':
    the shipment of P, one line per price component, zone, category, voltage level and price (the
    sums of the posted lines, so documents and the ledger agree to the kopeck); the VAT invoice's
    form is the edition in force on its date (`docs.sf_form`: line 5б from 1 April 2026), and it
    lists the advance VAT invoices it offsets (line 5б; purchase book code 22 with column 7а);
  - **ksf** + **act_recalc** per recalculated earlier month Q (the 'recalc' lines posted in P for
    Q): the corrective VAT invoice to Q's VAT invoice (its latest correction), each line before and
    after; an increase goes to the sales book with code 01, a decrease to the purchase book with
    code 18;
  - **sf_advance** — the advance left at the end of P: the contract's credit balance (payments
    beyond the accruals, penalties aside) less the advance invoices not yet offset; VAT at the
    calculated rate of P (22/122; 20/120 for 2025), the payments of P as its payment documents
    (line 5), sales book code 02;
  - **bill_remainder** (п. 82, retailers: the month's cost less the interim instalments) or
    **bill_actual** (п. 81: the whole cost), and **bill_penalty** (P's penalties, without VAT);
  - one sales-book summary entry with code 26 for the households' sales of P.

Shipment documents are dated the last day of P (`docs.sf_date` = 'month_end', НК 168 п. 3: five
days from the shipment) or the issue day ('issue'); invoices for payment the issue day. Numbers
are given in the order of the dates (`sbyt.core.legal_docs`), within a date by contract number.
"""

from __future__ import annotations

import re

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pyarrow as pa

from sbyt.core import clock
from sbyt.core.access import requires
from sbyt.core import legal_docs as reg
from sbyt.core.errors import SbytError
from sbyt.core.labels import label, zone_label
from sbyt.core.legal_docs import Party
from sbyt.core.legal_schedule import month_terms, planned, share_ru
from sbyt.core.money import format_rub, rate_e2, round_div, vat_part
from sbyt.core.period_state import is_closed
from sbyt.core.periods import first_day, last_day, period_title, prev_period
from sbyt.core.reference import rule, text_rule
from sbyt.core.store import Store

ISSUE_KINDS = ("bill_advance", "shipment", "ksf", "sf_advance", "bill_remainder", "bill_penalty", "households")
KWH_COMPONENTS = ("energy", "network_loss", "over", "under", "network_deduct", "unmetered", "noncontracted",
                  "household", "manager")
COMPONENT_ORDER = ("energy", "network_loss", "capacity", "network_capacity", "over", "under", "network_deduct",
                   "unmetered", "noncontracted", "household", "manager")
LINE_NAMES = {"energy": "Электрическая энергия", "capacity": "Мощность",
              "network_capacity": "Услуги по передаче: содержание сетей (сетевая мощность)",
              "network_loss": "Услуги по передаче: нормативные потери"}
Q6 = Decimal("0.000001")


@dataclass
class IssueResult:
    period: int
    run_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def issued(self) -> int:
        return sum(self.counts.values())


@dataclass
class _Batch:
    """Documents being issued: heads and lines keyed by a temporary number `k`."""
    heads: dict[str, list] = field(default_factory=lambda: {c: [] for c in HEAD})
    lines: dict[str, list] = field(default_factory=lambda: {c: [] for c in reg.LINE_TYPES})
    refs: list[tuple[int, str, int | None, str | None, date | None, int, int | None]] = field(default_factory=list)

    def head(self, **values: object) -> int:
        k = len(self.heads["k"])
        for c in HEAD:
            self.heads[c].append(values.get(c))
        self.heads["k"][k] = k
        return k

    def line(self, k: int, **values: object) -> None:
        for c in reg.LINE_TYPES:
            self.lines[c].append(values.get(c))
        self.lines["doc_id"][-1] = k


HEAD = ("k", "kind", "contract_id", "counterparty_id", "contract_no", "for_period", "doc_date", "instalment",
        "upd_status", "base_doc_id", "due_date", "amount_kop", "vat_kop", "total_kop", "vat_rate", "basis", "form",
        "pair")     # pair: the k of the act a VAT invoice refers to (line 5а)


def _month(period: int) -> str:
    """«сентябрь 2026 г.»"""
    return f"{period_title(period)} г."


def _rate_text(rate: int, inside: bool) -> str:
    pct = rate // 100
    return f"{pct}/{100 + pct}" if inside else f"{pct}%"


def _vat_rate(store: Store, on: date) -> int:
    return rate_e2(rule(store, "vat.rate", on))


def _selection(store: Store, period: int, numbers: Sequence[str] | None) -> list[tuple[int, int, str, str, str]]:
    """(id, counterparty_id, number, kind, payment_scheme) of the signed contracts supplied in P, or
    paid in P (a prepayment before the supply starts is an advance too)."""
    rows = store.all(
        "SELECT id, counterparty_id, number, kind, payment_scheme FROM contract c"
        " WHERE state IN ('signed', 'terminated') AND (? IS NULL OR list_contains(?, number))"
        " AND (starts IS NOT NULL AND starts <= ? AND (terminated_from IS NULL OR terminated_from > ?)"
        "      OR EXISTS (SELECT 1 FROM legal_posting p WHERE p.contract_id = c.id AND p.kind = 'payment'"
        "                 AND p.op_date BETWEEN ? AND ?))"
        " ORDER BY number",
        [None if numbers is None else list(numbers), None if numbers is None else list(numbers),
         last_day(period), first_day(period), first_day(period), last_day(period)])
    if numbers is not None:
        missing = sorted(set(numbers) - {r[2] for r in rows})
        if missing:
            raise SbytError(f"Договоры без поставки в {_month(period)} или не найдены: {', '.join(missing)}. "
                            f"Ничего не выписано.")
    return rows


def _issued(store: Store, ids: list[int], period: int) -> set[tuple[int, str, int, str | None]]:
    """(contract_id, kind, for_period, instalment) already issued in the run's month P or for it."""
    rows = store.all("SELECT contract_id, kind, for_period, coalesce(instalment, '') FROM legal_doc"
                     " WHERE correction_no = 0 AND (period = ? OR for_period = ?) AND list_contains(?, contract_id)",
                     [period, period, ids])
    return {(r[0], r[1], r[2], r[3]) for r in rows}


def _line_name(component: str, zone: int, category: int | None, voltage: str | None, zones: int) -> str:
    name = LINE_NAMES.get(component) or label("charge_component", component)
    extra = []
    if category is not None and category > 0:
        extra.append(f"ЦК {category}")
    if voltage:
        extra.append(label("voltage", voltage))
    if zone and zones > 1:
        extra.append(f"зона «{zone_label(zones, zone)}»")
    return f"{name} ({', '.join(extra)})" if extra else name


def _zones(store: Store, ids: list[int], period: int) -> dict[int, int]:
    """Contract → the number of zones of its category-2 lines (2 or 3) in the months concerned."""
    rows = store.all("SELECT contract_id, max(zone) FROM legal_charge WHERE category = 2 AND period = ?"
                     " AND list_contains(?, contract_id) GROUP BY 1", [period, ids])
    return {r[0]: max(2, int(r[1])) for r in rows}


SHIP_SQL = """
SELECT * FROM (
SELECT contract_id, component, zone, category, voltage, price, vat_included, for_period,
       sum(volume_wh)::BIGINT AS wh, sum(coalesce(quantity, 0)) AS q, sum(amount_kop)::BIGINT AS amount,
       sum(vat_kop)::BIGINT AS vat, max(vat_rate) AS rate, string_agg(DISTINCT reason, '; ') AS reason
FROM legal_charge
WHERE period = $period AND status = 'posted' AND component <> 'penalty' AND list_contains($ids, contract_id)
  AND (CASE WHEN $recalc THEN for_period < $period ELSE for_period = $period END)
GROUP BY ALL)
ORDER BY contract_id, for_period, list_position($order, component), zone, category, voltage, price
"""


@dataclass(frozen=True)
class _Line:
    name: str
    component: str
    zone: int
    okei: str
    unit: str
    quantity: Decimal
    price: Decimal | None
    amount: int
    vat: int
    rate: str


def _lines_of(rows: list[tuple], zones: dict[int, int]) -> dict[tuple[int, int], list[_Line]]:
    """(contract_id, for_period) → the document lines of posted charge rows (SHIP_SQL)."""
    out: dict[tuple[int, int], list[_Line]] = {}
    for (cid, comp, zone, cat, volt, price, inc, fp, wh, q, amount, vat, rate, _reason) in rows:
        pct = int(rate or 0)
        net = amount - vat if inc else amount
        if comp in KWH_COMPONENTS:
            okei, unit, qty = "245", "кВт·ч", Decimal(wh) / 1000
            if price is None:
                unit_price = None
            elif inc:            # a household tariff per kWh, VAT included
                unit_price = (price * 100 / (100 + pct)).quantize(Q6)
            else:                # RUB/MWh
                unit_price = (price / 1000).quantize(Q6)
        else:
            okei, unit, qty = "215", "МВт", Decimal(q).quantize(Q6)
            unit_price = None if price is None else Decimal(price).quantize(Q6)
        name = _line_name(comp, zone, cat, volt, zones.get(cid, 2))
        out.setdefault((cid, fp), []).append(_Line(name, comp, zone, okei, unit, qty, unit_price, net, vat,
                                                   f"{pct}%"))
    return out


def _add_lines(b: _Batch, k: int, lines: list[_Line]) -> tuple[int, int]:
    amount = vat = 0
    for i, ln in enumerate(lines, 1):
        b.line(k, line_no=i, name=ln.name, component=ln.component, zone=ln.zone, okei=ln.okei, unit=ln.unit,
               quantity=ln.quantity, price=ln.price, amount_kop=ln.amount, vat_rate=ln.rate, vat_kop=ln.vat,
               total_kop=ln.amount + ln.vat)
        amount += ln.amount
        vat += ln.vat
    return amount, vat


def _bill_line(b: _Batch, k: int, name: str, total: int, vat: int, rate: str) -> None:
    b.line(k, line_no=1, name=name, zone=0, amount_kop=total - vat, vat_rate=rate, vat_kop=vat, total_kop=total)


# -- the parts of a run ------------------------------------------------------------------------------

def _advance_bills(store: Store, b: _Batch, period: int, sel: list[tuple], issued: set, today: date) -> None:
    ids = [r[0] for r in sel]
    plan = planned(store, period, period, ids).to_pylist()
    rate = _vat_rate(store, first_day(period))
    number = {r[0]: r[2] for r in sel}
    for p in plan:
        if p["share"] is None or p["amount_kop"] is None or p["amount_kop"] <= 0:
            continue
        if (p["contract_id"], "bill_advance", period, p["instalment"]) in issued:
            continue
        total = int(p["amount_kop"])
        vat = vat_part(total, rate)
        base = (f"стоимость {_month(prev_period(period))}"
                if p["basis"] == "history" else "объём по максимальной мощности (кВт ÷ 0,002824)")
        basis = (f"{share_ru(p['share'])} ожидаемой стоимости месяца {format_rub(int(p['base_kop']))} ₽"
                 f" ({base}), п. 82 Основных положений (ПП № 442)")
        k = b.head(kind="bill_advance", contract_id=p["contract_id"], counterparty_id=p["counterparty_id"],
                   contract_no=number[p["contract_id"]], for_period=period, doc_date=today,
                   instalment=p["instalment"], due_date=p["due_date"], amount_kop=total - vat, vat_kop=vat,
                   total_kop=total, vat_rate=_rate_text(rate, True), basis=basis)
        _bill_line(b, k, f"{label('instalment', p['instalment']).capitalize()} за {_month(period)}"
                         f" по договору № {number[p['contract_id']]}", total, vat, _rate_text(rate, True))


def _shipments(store: Store, b: _Batch, period: int, sel: list[tuple], issued: set, day: date,
               zones: dict[int, int]) -> dict[int, int]:
    """act + sf (or upd) per contract; returns contract → the k of its VAT invoice."""
    ids = [r[0] for r in sel]
    rows = store.all(SHIP_SQL, {"period": period, "ids": ids, "recalc": False, "order": list(COMPONENT_ORDER)})
    lines = _lines_of(rows, zones)
    upd = (text_rule(store, "docs.shipment", day) or "sf_act") == "upd"
    form = text_rule(store, "docs.sf_form", day) or "1137"
    sf_k: dict[int, int] = {}
    for cid, cp, number, _kind, _scheme in sel:
        ls = lines.get((cid, period))
        if not ls:
            continue
        kinds = ("upd",) if upd else ("act", "sf")
        if any((cid, k, period, "") in issued for k in kinds):
            continue
        amount = sum(ln.amount for ln in ls)
        vat = sum(ln.vat for ln in ls)
        rate = ls[0].rate
        common = dict(contract_id=cid, counterparty_id=cp, contract_no=number, for_period=period, doc_date=day,
                      amount_kop=amount, vat_kop=vat, total_kop=amount + vat, vat_rate=rate)
        if upd:
            k = b.head(kind="upd", upd_status=1, form=form, **common)
            _add_lines(b, k, ls)
            sf_k[cid] = k
        else:
            ka = b.head(kind="act", **common)
            _add_lines(b, ka, ls)
            k = b.head(kind="sf", form=form, pair=ka, **common)
            _add_lines(b, k, ls)
            sf_k[cid] = k
    return sf_k


BASE_SQL = """
-- the latest correction of each shipment VAT invoice of the recalculated months, and its lines plus
-- the corrective invoices already issued to it, by line name
WITH base AS (
    SELECT contract_id, for_period, arg_max(id, correction_no) AS id, min(id) AS original
    FROM legal_doc WHERE (kind = 'sf' OR (kind = 'upd' AND upd_status = 1)) AND list_contains($ids, contract_id)
      AND for_period < $period
    GROUP BY contract_id, for_period),
docs AS (
    SELECT b.contract_id, b.for_period, b.id AS base_id, d.id AS doc_id
    FROM base b JOIN legal_doc d ON d.id = b.id
       OR (d.kind = 'ksf' AND d.contract_id = b.contract_id AND d.for_period = b.for_period))
SELECT d.contract_id, d.for_period, d.base_id, l.name, any_value(l.component), any_value(l.zone),
       any_value(l.okei), any_value(l.unit),
       sum(coalesce(l.quantity, 0)), sum(l.amount_kop)::BIGINT, sum(l.vat_kop)::BIGINT,
       min(l.line_no), any_value(l.price) FILTER (WHERE d.doc_id = d.base_id)
FROM docs d JOIN legal_doc_line l ON l.doc_id = d.doc_id
GROUP BY d.contract_id, d.for_period, d.base_id, l.name
ORDER BY d.contract_id, d.for_period, min(l.line_no)
"""


def _correctives(store: Store, b: _Batch, period: int, sel: list[tuple], issued: set, day: date,
                 zones: dict[int, int], res: IssueResult) -> None:
    ids = [r[0] for r in sel]
    rows = store.all(SHIP_SQL, {"period": period, "ids": ids, "recalc": True, "order": list(COMPONENT_ORDER)})
    if not rows:
        return
    deltas = _lines_of(rows, zones)
    reasons: dict[tuple[int, int], str] = {}
    for r in rows:
        if r[13]:
            reasons.setdefault((r[0], r[7]), r[13])
    before: dict[tuple[int, int], tuple[int, dict[str, tuple]]] = {}
    for (cid, fp, base_id, name, comp, zone, okei, unit, qty, amount, vat, _no, price) in store.all(
            BASE_SQL, {"ids": ids, "period": period}):
        before.setdefault((cid, fp), (base_id, {}))[1][name] = (comp, zone, okei, unit, Decimal(qty), amount, vat,
                                                                 price)
    number = {r[0]: (r[1], r[2]) for r in sel}
    for (cid, fp), dl in deltas.items():
        if (cid, "ksf", fp, "") in issued:
            continue
        cp, no = number[cid]
        if (cid, fp) not in before:
            res.warnings.append(f"Договор № {no}: перерасчёт за {_month(fp)} без счёта-фактуры за этот месяц"
                                f" — корректировочный счёт-фактура не выписан (выпишите документы за "
                                f"{_month(fp)}).")
            continue
        base_id, old = before[(cid, fp)]
        merged: dict[str, list] = {}
        for ln in dl:
            m = merged.setdefault(ln.name, [ln, Decimal(0), 0, 0])
            m[1] += ln.quantity
            m[2] += ln.amount
            m[3] += ln.vat
        rate = dl[0].rate
        reason = reasons.get((cid, fp)) or f"перерасчёт за {_month(fp)}"
        common = dict(contract_id=cid, counterparty_id=cp, contract_no=no, for_period=fp, doc_date=day,
                      base_doc_id=base_id, vat_rate=rate, basis=reason)
        k_ksf = b.head(kind="ksf", form=text_rule(store, "docs.sf_form", day) or "1137", **common)
        k_act = b.head(kind="act_recalc", **common)
        totals = [0, 0]
        for k in (k_ksf, k_act):
            i = 0
            totals = [0, 0]
            names = list(old) + [n for n in merged if n not in old]
            for name in names:
                if name not in merged:
                    continue
                ln, dq, da, dv = merged[name]
                comp, zone, okei, unit, q0, a0, v0, p0 = old.get(name, (ln.component, ln.zone, ln.okei, ln.unit,
                                                                        Decimal(0), 0, 0, None))
                q1 = q0 + dq
                p1 = (Decimal(a0 + da) / 100 / q1).quantize(Q6) if q1 else p0
                i += 1
                b.line(k, line_no=i, name=name, component=comp, zone=zone, okei=okei, unit=unit, quantity=dq,
                       price=p1, amount_kop=da, vat_rate=rate, vat_kop=dv, total_kop=da + dv, quantity_before=q0,
                       price_before=p0, amount_before_kop=a0, vat_before_kop=v0, total_before_kop=a0 + v0)
                totals[0] += da
                totals[1] += dv
        for k in (k_ksf, k_act):
            b.heads["amount_kop"][k] = totals[0]
            b.heads["vat_kop"][k] = totals[1]
            b.heads["total_kop"][k] = totals[0] + totals[1]


ADVANCE_SQL = """
-- per contract at the end of P: the credit (payments beyond accruals, penalties aside), the advance
-- VAT invoices not offset yet (amount − offsets so far), and P's payments (line 5)
WITH led AS (
    SELECT contract_id, -sum(amount_kop)::BIGINT AS credit FROM legal_posting
    WHERE period <= $period AND kind NOT IN ('penalty', 'writeoff') AND list_contains($ids, contract_id)
    GROUP BY 1),
adv AS (
    SELECT d.contract_id, d.id, d.doc_no, d.doc_date, d.vat_rate,
           d.total_kop - coalesce((SELECT sum(r.amount_kop) FROM legal_doc_ref r
                                   WHERE r.ref_kind = 'advance_offset' AND r.ref_id = d.id), 0) AS rest
    FROM legal_doc d WHERE d.kind = 'sf_advance' AND d.correction_no = 0 AND list_contains($ids, d.contract_id))
SELECT l.contract_id, l.credit, coalesce((SELECT sum(rest) FROM adv WHERE adv.contract_id = l.contract_id), 0)::BIGINT
FROM led l WHERE l.credit > 0
"""


def _open_advances(store: Store, ids: list[int]) -> dict[int, list[tuple[int, str, date, str, int]]]:
    """contract → its advance VAT invoices with something left to offset, oldest first:
    (id, number, date, rate text, rest)."""
    rows = store.all(
        "SELECT d.contract_id, d.id, d.doc_no, d.doc_date, d.vat_rate, d.total_kop - coalesce(o.used, 0) AS rest"
        " FROM legal_doc d LEFT JOIN (SELECT ref_id, sum(amount_kop) AS used FROM legal_doc_ref"
        "   WHERE ref_kind = 'advance_offset' GROUP BY 1) o ON o.ref_id = d.id"
        " WHERE d.kind = 'sf_advance' AND d.correction_no = 0 AND list_contains(?, d.contract_id)"
        "   AND d.total_kop - coalesce(o.used, 0) > 0 ORDER BY d.contract_id, d.doc_date, d.seq", [ids])
    out: dict[int, list] = {}
    for cid, i, no, day, rate, rest in rows:
        out.setdefault(cid, []).append((i, no, day, rate, int(rest)))
    return out


def _offsets(b: _Batch, sf_k: dict[int, int], advances: dict[int, list]) -> dict[int, int]:
    """Line 5б: each new shipment VAT invoice offsets the contract's open advance invoices, oldest
    first, up to its total; returns contract → the amount offset."""
    used: dict[int, int] = {}
    for cid, k in sf_k.items():
        left = b.heads["total_kop"][k]
        for i, no, day, _rate, rest in advances.get(cid, ()):
            if left <= 0:
                break
            take = min(rest, left)
            b.refs.append((k, "advance_offset", i, no, day, take, None))
            left -= take
            used[cid] = used.get(cid, 0) + take
    return used


def _advance_invoices(store: Store, b: _Batch, period: int, sel: list[tuple], issued: set, day: date,
                      used: dict[int, int]) -> None:
    ids = [r[0] for r in sel]
    rows = store.all(ADVANCE_SQL, {"period": period, "ids": ids})
    if not rows:
        return
    rate = _vat_rate(store, last_day(period))
    text = _rate_text(rate, True)
    number = {r[0]: (r[1], r[2]) for r in sel}
    pays: dict[int, list] = {}
    for cid, pid, amount, op_date, note in store.all(
            "SELECT contract_id, id, -amount_kop, op_date, note FROM legal_posting WHERE kind = 'payment'"
            " AND period <= ? AND op_date BETWEEN ? AND ? AND list_contains(?, contract_id)"
            " ORDER BY contract_id, op_date DESC, id DESC", [period, first_day(period), last_day(period), ids]):
        pays.setdefault(cid, []).append((pid, amount, op_date, note))
    for cid, credit, rest in rows:
        advance = int(credit) - (int(rest) - used.get(cid, 0))
        if advance <= 0 or (cid, "sf_advance", period, "") in issued:
            continue
        cp, no = number[cid]
        vat = vat_part(advance, rate)
        k = b.head(kind="sf_advance", contract_id=cid, counterparty_id=cp, contract_no=no, for_period=period,
                   doc_date=day, amount_kop=advance - vat, vat_kop=vat, total_kop=advance, vat_rate=text,
                   form=text_rule(store, "docs.sf_form", day) or "1137",
                   basis=f"Оплата (частичная оплата) в счёт предстоящей поставки электрической энергии по договору"
                         f" № {no}, остаток на конец {_month(period)}")
        b.line(k, line_no=1, name="Предварительная оплата за электрическую энергию", zone=0, amount_kop=advance - vat,
               vat_rate=text, vat_kop=vat, total_kop=advance)
        left = advance
        for pid, amount, op_date, note in pays.get(cid, ()):      # the latest payments make the advance
            if left <= 0:
                break
            take = min(amount, left)
            b.refs.append((k, "payment", pid, _bank_no(note, pid), op_date, take, None))
            left -= take


def _bank_no(note: str | None, posting_id: int) -> str:
    """The bank document's number of a payment posting (its note holds «п/п № N»), else the posting id."""
    if note:
        m = re.search(r"№\s*([\w/-]+)", note)
        if m:
            return m.group(1)
    return str(posting_id)


def _final_bills(store: Store, b: _Batch, period: int, sel: list[tuple], issued: set, today: date) -> None:
    ids = [r[0] for r in sel]
    rate = _vat_rate(store, last_day(period))
    text = _rate_text(rate, True)
    number = {r[0]: r[2] for r in sel}
    for p in planned(store, period, period, ids).to_pylist():
        if p["share"] is not None or p["amount_kop"] is None or p["amount_kop"] <= 0:
            continue
        kind = "bill_actual" if p["scheme"] == "p81" else "bill_remainder"
        if (p["contract_id"], kind, period, p["instalment"]) in issued:
            continue
        total = int(p["amount_kop"])
        vat = vat_part(total, rate)
        basis = ("стоимость электрической энергии (мощности) за месяц" if kind == "bill_actual" else
                 "стоимость за месяц за вычетом промежуточных платежей, п. 82 Основных положений (ПП № 442)")
        k = b.head(kind=kind, contract_id=p["contract_id"], counterparty_id=p["counterparty_id"],
                   contract_no=number[p["contract_id"]], for_period=period, doc_date=today,
                   instalment=p["instalment"], due_date=p["due_date"], amount_kop=total - vat, vat_kop=vat,
                   total_kop=total, vat_rate=text, basis=basis)
        what = "Электрическая энергия (мощность)" if kind == "bill_actual" else "Окончательный расчёт"
        _bill_line(b, k, f"{what} за {_month(period)} по договору № {number[p['contract_id']]}", total, vat,
                   text)


def _penalty_bills(store: Store, b: _Batch, period: int, sel: list[tuple], issued: set, today: date) -> None:
    ids = [r[0] for r in sel]
    number = {r[0]: (r[1], r[2]) for r in sel}
    due = month_terms(store, period).parts["p82"][-1].due      # with the month's final payment
    for cid, amount in store.all(
            "SELECT contract_id, sum(amount_kop)::BIGINT FROM legal_charge WHERE period = ? AND component = 'penalty'"
            " AND status = 'posted' AND list_contains(?, contract_id) GROUP BY 1 HAVING sum(amount_kop) > 0"
            " ORDER BY 1", [period, ids]):
        if (cid, "bill_penalty", period, "") in issued:
            continue
        cp, no = number[cid]
        k = b.head(kind="bill_penalty", contract_id=cid, counterparty_id=cp, contract_no=no, for_period=period,
                   doc_date=today, due_date=due, amount_kop=amount, vat_kop=0, total_kop=amount, vat_rate="без НДС",
                   basis="пени за просрочку оплаты (абз. 8 п. 2 ст. 37 Федерального закона № 35-ФЗ), расчёт — "
                         "sbyt explain")
        _bill_line(b, k, f"Пени за {_month(period)} по договору № {no}", amount, 0, "без НДС")


# -- writing -----------------------------------------------------------------------------------------

BUYER_SQL = """
SELECT k, json_object('name', f.name, 'inn', c.inn, 'kpp', c.kpp,
                      'address', coalesce(f.legal_address, f.postal_address, ''),
                      'bank_account', bk.account, 'bank_name', bk.bank_name, 'bic', bk.bik,
                      'corr_account', bk.corr_account, 'email', f.email) AS buyer, f.email
FROM _ld_heads h
JOIN counterparty c ON c.id = h.counterparty_id
JOIN counterparty_fact f ON f.counterparty_id = c.id AND f.valid_from <= h.doc_date
     AND (f.valid_to IS NULL OR f.valid_to > h.doc_date)
LEFT JOIN (SELECT counterparty_id, arg_max(bik, valid_from) AS bik, arg_max(bank_name, valid_from) AS bank_name,
                  arg_max(account, valid_from) AS account, arg_max(corr_account, valid_from) AS corr_account
           FROM counterparty_bank GROUP BY 1) bk ON bk.counterparty_id = c.id
ORDER BY k
"""


def _buyers(store: Store, counterparties: Sequence[int], days: Sequence[date]) -> list[tuple[int, str, str | None]]:
    """(index, the buyer's JSON, its e-mail) of each (counterparty, day) that has a card on the day."""
    con = store.con
    con.register("_ld_heads", pa.table({"k": pa.array(range(len(days)), pa.int64()),
                                        "counterparty_id": pa.array(counterparties, pa.int64()),
                                        "doc_date": pa.array(days, pa.date32())}))
    try:
        return con.execute(BUYER_SQL).fetchall()
    finally:
        con.unregister("_ld_heads")


KIND_ORDER = ("bill_advance", "bill_actual", "bill_remainder", "bill_penalty", "act", "upd", "sf", "ksf", "act_recalc",
              "sf_advance")


def _write(store: Store, b: _Batch, period: int, kinds: Sequence[str], run_by: str) -> tuple[int, dict[str, int]]:
    h = b.heads
    n = len(h["k"])
    series = [reg.series_of(kind, st) for kind, st in zip(h["kind"], h["upd_status"])]
    years = [d.year for d in h["doc_date"]]
    for s, y in sorted({(s, y) for s, y in zip(series, years)}):
        reg.check_chronology(store, s, y, min(d for d, s2, y2 in zip(h["doc_date"], series, years)
                                             if s2 == s and y2 == y))
    # numbers: by date, then contract number, then kind, then month
    order = sorted(range(n), key=lambda i: (h["doc_date"][i], h["contract_no"][i], KIND_ORDER.index(h["kind"][i]),
                                            h["for_period"][i], h["instalment"][i] or ""))
    first_id = reg.next_ids(store, "legal_doc")
    run_id = reg.next_ids(store, "legal_doc_run")
    seqs: dict[tuple[str, int], int] = {}
    ids = [0] * n
    seq = [0] * n
    for j, i in enumerate(order):
        key = (series[i], years[i])
        if key not in seqs:
            seqs[key] = reg.next_seq(store, *key)
        seq[i] = seqs[key]
        seqs[key] += 1
        ids[i] = first_id + j
    sellers = {d: reg.supplier_party(store, d).to_json() for d in set(h["doc_date"])}
    buyers = _buyers(store, h["counterparty_id"], h["doc_date"])
    if len(buyers) != n:
        missing = sorted({h["contract_no"][i] for i in set(range(n)) - {r[0] for r in buyers}})
        raise SbytError(f"Нет сведений о контрагенте на дату документа по договорам: {', '.join(missing[:10])}. "
                        f"Ничего не выписано.")
    buyer = {r[0]: r for r in buyers}
    docs = reg.table_of({
        "id": ids, "kind": h["kind"], "series": series, "year": years, "seq": seq,
        "doc_no": [reg.doc_no(s, q) for s, q in zip(series, seq)], "doc_date": h["doc_date"],
        "correction_no": [0] * n, "period": [period] * n, "for_period": h["for_period"],
        "contract_id": h["contract_id"], "counterparty_id": h["counterparty_id"], "base_doc_id": h["base_doc_id"],
        "instalment": h["instalment"], "upd_status": h["upd_status"], "form": h["form"], "due_date": h["due_date"],
        "amount_kop": h["amount_kop"], "vat_kop": h["vat_kop"], "total_kop": h["total_kop"],
        "vat_rate": h["vat_rate"], "basis": h["basis"], "seller": [sellers[d] for d in h["doc_date"]],
        "buyer": [buyer[k][1] for k in h["k"]], "email": [buyer[k][2] for k in h["k"]],
        "run_id": [run_id] * n}, reg.DOC_TYPES)
    lines = dict(b.lines)
    lines["doc_id"] = [ids[k] for k in b.lines["doc_id"]]
    no = docs.column("doc_no").to_pylist()
    refs = {"doc_id": [], "ref_kind": [], "ref_id": [], "ref_no": [], "ref_date": [], "amount_kop": []}
    for k, kind, ref_id, ref_no, ref_date, amount, _ in b.refs:
        for c, v in zip(refs, (ids[k], kind, ref_id, ref_no, ref_date, amount)):
            refs[c].append(v)
    for k in range(n):
        pair = h["pair"][k]
        if pair is not None:
            for c, v in zip(refs, (ids[k], "shipment", ids[pair], no[pair], h["doc_date"][pair], h["total_kop"][pair])):
                refs[c].append(v)
    books = _book_entries(store, docs, lines, refs, period, "households" in kinds)
    reg.insert(store, docs, reg.table_of(lines, reg.LINE_TYPES), reg.table_of(refs, reg.REF_TYPES), books)
    store.execute("INSERT INTO legal_doc_run (id, period, kinds, issued, created_by) VALUES (?, ?, ?, ?, ?)",
                  [run_id, period, ",".join(kinds), n, run_by])
    counts: dict[str, int] = {}
    for kind in h["kind"]:
        counts[kind] = counts.get(kind, 0) + 1
    households = sum(1 for c in books.column("op_code").to_pylist() if c == "26")
    if households:
        counts["households"] = households
    return run_id, counts


def _book_entries(store: Store, docs: pa.Table, lines: dict[str, list], refs: dict[str, list], period: int,
                  households: bool) -> pa.Table:
    """The VAT book registrations of new documents (legal.md §B.5, §B.6, §B.8)."""
    ksf_lines: dict[int, list[tuple[int, int]]] = {}
    for doc_id, amount, vat in zip(lines["doc_id"], lines["amount_kop"], lines["vat_kop"]):
        ksf_lines.setdefault(doc_id, []).append((amount, vat))
    cols: dict[str, list] = {c: [] for c in reg.BOOK_TYPES}

    def add(**v: object) -> None:
        for c in reg.BOOK_TYPES:
            cols[c].append(v.get(c))

    d = docs.to_pydict()
    by_id = {i: j for j, i in enumerate(d["id"])}
    offsets: dict[int, list[str]] = {}
    pays: dict[int, list[str]] = {}
    for doc_id, kind, ref_id, ref_no, ref_date, amount in zip(*refs.values()):
        if kind == "advance_offset":
            offsets.setdefault(doc_id, []).append(f"{ref_no} от {ref_date:%d.%m.%Y}")
        elif kind == "payment":
            pays.setdefault(doc_id, []).append(f"{ref_no} от {ref_date:%d.%m.%Y}")
    for j, kind in enumerate(d["kind"]):
        i, day = d["id"][j], d["doc_date"][j]
        common = dict(quarter=reg.quarter_of(day), entry_date=day, doc_id=i, counterparty_id=d["counterparty_id"][j],
                      extra_sheet=False, annul=False)
        if kind == "sf" or (kind == "upd" and d["upd_status"][j] == 1):
            add(book="sales", op_code="01", total_kop=d["total_kop"][j], base_kop=d["amount_kop"][j],
                vat_kop=d["vat_kop"][j], vat_rate=d["vat_rate"][j],
                offset_docs="; ".join(offsets.get(i, ())) or None, **common)
        elif kind == "sf_advance":
            add(book="sales", op_code="02", total_kop=d["total_kop"][j], base_kop=d["amount_kop"][j],
                vat_kop=d["vat_kop"][j], vat_rate=d["vat_rate"][j], payment_docs="; ".join(pays.get(i, ())) or None,
                **common)
        elif kind == "ksf":
            _ksf_entries(add, ksf_lines.get(i, []), common, d["vat_rate"][j])
    # the advance VAT deducted at shipment: purchase book, code 22, column 7а = the shipment invoice
    for doc_id, kind, ref_id, ref_no, ref_date, amount in zip(*refs.values()):
        if kind != "advance_offset":
            continue
        j = by_id[doc_id]
        rate = store.scalar("SELECT vat_rate FROM legal_doc WHERE id = ?", [ref_id]) or "22/122"
        num, _, den = rate.partition("/")
        vat = round_div(amount * int(num), int(den)) if den else vat_part(amount, int(num.rstrip("%")) * 100)
        day = d["doc_date"][j]
        add(book="purchase", quarter=reg.quarter_of(day), entry_date=day, op_code="22", doc_id=ref_id,
            counterparty_id=d["counterparty_id"][j], extra_sheet=False, annul=False, total_kop=amount,
            base_kop=amount - vat, vat_kop=vat, vat_rate=rate,
            offset_docs=f"{d['doc_no'][j]} от {day:%d.%m.%Y}")
    if households:
        _household_entry(store, add, period)
    first = reg.next_ids(store, "vat_book")
    cols["id"] = list(range(first, first + len(cols["book"])))
    return reg.table_of(cols, reg.BOOK_TYPES)


def _ksf_entries(add: Callable[..., None], lines: list[tuple[int, int]], common: dict, rate: str) -> None:
    """A corrective invoice registers its increases (lines whose value grew) in the sales book with
    code 01 and its decreases in the purchase book with code 18 (legal.md §B.6)."""
    up = down = (0, 0)
    for amount, vat in lines:
        if amount >= 0:
            up = (up[0] + amount, up[1] + vat)
        else:
            down = (down[0] - amount, down[1] - vat)
    if up != (0, 0):
        add(book="sales", op_code="01", total_kop=up[0] + up[1], base_kop=up[0], vat_kop=up[1], vat_rate=rate,
            **common)
    if down != (0, 0):
        add(book="purchase", op_code="18", total_kop=down[0] + down[1], base_kop=down[0], vat_kop=down[1],
            vat_rate=rate, **common)


def _household_entry(store: Store, add: Callable[..., None], period: int) -> None:
    """One summary entry (code 26) for the households' sales of P: their accruals and recalculations
    posted in P, VAT inside (legal.md §B.5)."""
    if store.scalar("SELECT count(*) FROM vat_book WHERE op_code = '26' AND note = ?", [f"period:{period}"]):
        return
    total, vat = store.one("SELECT coalesce(sum(amount_kop), 0)::BIGINT, coalesce(sum(vat_kop), 0)::BIGINT"
                           " FROM posting WHERE period = ? AND kind IN ('accrual', 'recalc') AND service <> 'penalty'",
                           [period])
    if not total:
        return
    day = last_day(period)
    rate = _vat_rate(store, day)
    add(book="sales", quarter=reg.quarter_of(day), entry_date=day, op_code="26", doc_id=None, counterparty_id=None,
        extra_sheet=False, annul=False, total_kop=int(total), base_kop=int(total) - int(vat), vat_kop=int(vat),
        vat_rate=f"{rate // 100}%", note=f"period:{period}")


# -- the run -----------------------------------------------------------------------------------------

@requires("docs.issue")
def issue(store: Store, period: int, *, contracts: Sequence[str] | None = None, kinds: Sequence[str] | None = None,
          today: date | None = None, run_by: str = "system",
          progress: Callable[[str], None] | None = None) -> IssueResult:
    """Issue the month's documents (see the module docstring); all or nothing."""
    today = today or clock.today()
    kinds = tuple(kinds or ISSUE_KINDS)
    bad = sorted(set(kinds) - set(ISSUE_KINDS))
    if bad:
        raise SbytError(f"Неизвестный вид документов: {', '.join(bad)}. Допустимы: {', '.join(ISSUE_KINDS)}.")
    res = IssueResult(period)
    closed = is_closed(store, period)
    sel = _selection(store, period, contracts)
    if not sel:
        res.warnings.append(f"Нет договоров с поставкой в {_month(period)}.")
        return res
    ids = [r[0] for r in sel]
    issued = _issued(store, ids, period)
    b = _Batch()
    if "bill_advance" in kinds and not closed:       # a closed month's interim instalments are past
        _advance_bills(store, b, period, sel, issued, today)
    if closed:
        ship_day = last_day(period) if (text_rule(store, "docs.sf_date", last_day(period)) or "month_end") \
            == "month_end" else today
        zones = _zones(store, ids, period)
        sf_k: dict[int, int] = {}
        if "shipment" in kinds:
            sf_k = _shipments(store, b, period, sel, issued, ship_day, zones)
        used = _offsets(b, sf_k, _open_advances(store, ids)) if sf_k else {}
        if "ksf" in kinds:
            _correctives(store, b, period, sel, issued, ship_day, zones, res)
        if "sf_advance" in kinds:
            _advance_invoices(store, b, period, sel, issued, ship_day, used)
        if "bill_remainder" in kinds:
            _final_bills(store, b, period, sel, issued, today)
        if "bill_penalty" in kinds:
            _penalty_bills(store, b, period, sel, issued, today)
    elif any(k != "bill_advance" for k in kinds) and kinds != ISSUE_KINDS:
        raise SbytError(f"Месяц {_month(period)} не закрыт: по нему выписываются только счета на "
                        f"промежуточные платежи (документы об отгрузке — после закрытия месяца).")
    if not b.heads["k"] and not ("households" in kinds and closed):
        return res
    if progress:
        progress(f"документов к выписке: {len(b.heads['k'])}")
    with store.transaction():
        res.run_id, res.counts = _write(store, b, period, kinds, run_by)
    return res


@dataclass(frozen=True)
class Correction:
    doc_id: int
    doc_no: str
    correction_no: int
    correction_date: date
    changed: tuple[str, ...]      # what differs from the corrected document: «покупатель», «продавец»


@requires("docs.issue")
def correct(store: Store, number: str, *, year: int | None = None, kind: str | None = None,
            reason: str, today: date | None = None) -> Correction:
    """A correction (исправленный счёт-фактура, line 1а) of a VAT invoice or УПД: the same number,
    date, lines and amounts with the seller's and the buyer's requisites as they stand today;
    correction_no one more than the latest. The books: the corrected entry is annulled and the
    correction registered — in the additional sheet of its quarter when that quarter is over
    (legal.md §B.6). Refused when nothing in the requisites changed."""
    today = today or clock.today()
    if not reason.strip():
        raise SbytError("Укажите причину исправления (--reason).")
    doc = reg.find_doc(store, number, year, kind)
    if not doc.is_vat_invoice:
        raise SbytError(f"Исправление выписывается к счёту-фактуре или УПД; № {number} — "
                        f"{label('doc_kind', doc.kind).lower()}. Для изменения стоимости — перерасчёт и "
                        f"корректировочный счёт-фактура.")
    found = _buyers(store, [doc.counterparty_id], [today])
    if not found:
        raise SbytError(f"Нет сведений о контрагенте на {today:%d.%m.%Y}. Ничего не записано.")
    buyer = Party.from_json(found[0][1])
    seller = reg.supplier_party(store, today)
    changed = tuple(w for w, old, new in (("продавец", doc.seller, seller), ("покупатель", doc.buyer, buyer))
                    if old != new)
    if not changed:
        raise SbytError(f"Реквизиты продавца и покупателя в документе № {number} от {doc.doc_date:%d.%m.%Y} не "
                        f"отличаются от текущих: исправлять нечего. Ничего не записано.")
    with store.transaction():
        new_id = reg.next_ids(store, "legal_doc")
        corr_no = int(store.scalar("SELECT max(correction_no) FROM legal_doc WHERE series = ? AND year = ? AND seq = ?",
                                   [doc.series, doc.year, doc.seq])) + 1
        store.execute(
            f"INSERT INTO legal_doc ({reg.DOC_COLUMNS}, run_id) SELECT ?, kind, series, year, seq, doc_no, doc_date,"
            " ?, ?, period, for_period, contract_id, counterparty_id, base_doc_id, instalment, upd_status, form,"
            " due_date, amount_kop, vat_kop, total_kop, vat_rate, ?, ?, ?, ?, NULL FROM legal_doc WHERE id = ?",
            [new_id, corr_no, today, f"{doc.basis or ''}; исправление: {reason}".lstrip("; "), seller.to_json(),
             buyer.to_json(), buyer.email, doc.id])
        store.execute("INSERT INTO legal_doc_line SELECT ? AS doc_id, * EXCLUDE (doc_id) FROM legal_doc_line"
                      " WHERE doc_id = ?", [new_id, doc.id])
        store.execute("INSERT INTO legal_doc_ref SELECT ? AS doc_id, * EXCLUDE (doc_id) FROM legal_doc_ref"
                      " WHERE doc_id = ?", [new_id, doc.id])
        # the books: annul the entries of the corrected document, register the correction's
        entries = store.all("SELECT book, quarter, op_code, total_kop, base_kop, vat_kop, vat_rate, payment_docs,"
                            " offset_docs FROM vat_book WHERE doc_id = ? AND NOT annul AND op_code IN ('01', '02')"
                            " AND id NOT IN (SELECT id FROM vat_book WHERE doc_id = ? AND annul)", [doc.id, doc.id])
        extra = reg.quarter_of(today) != reg.quarter_of(doc.doc_date)
        first = reg.next_ids(store, "vat_book")
        cols: dict[str, list] = {c: [] for c in reg.BOOK_TYPES}
        for n, (book, quarter, code, total, base, vat, rate, pays, offs) in enumerate(entries):
            for j, (doc_id, sign, annul) in enumerate(((doc.id, -1, True), (new_id, 1, False))):
                values = dict(id=first + 2 * n + j, book=book, quarter=quarter if extra else reg.quarter_of(today),
                              entry_date=today, op_code=code, doc_id=doc_id, counterparty_id=doc.counterparty_id,
                              extra_sheet=extra, annul=annul, for_quarter=quarter if extra else None,
                              total_kop=sign * total, base_kop=sign * base, vat_kop=sign * vat, vat_rate=rate,
                              payment_docs=pays, offset_docs=offs,
                              note=f"исправление № {corr_no} от {today:%d.%m.%Y}: {reason}")
                for c in reg.BOOK_TYPES:
                    cols[c].append(values[c])
        reg.insert(store, books=reg.table_of(cols, reg.BOOK_TYPES))
    return Correction(new_id, doc.doc_no, corr_no, today, changed)
