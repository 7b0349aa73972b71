"""Acts of unmetered (безучётное) and non-contracted (бездоговорное) consumption (ПП 442 п. 195–196).

The grid company's act states who consumed, where and since when; the supplier computes the volume
once, when the act is registered, and bills it in the open month at the prices of the act's month.

  unmetered      a consumer WITH a contract, at one of its supply points (the point must belong to the
                 contract and be live on the act's date, the contract in force that day):
                     W = P_max × T                                     (method max_capacity)
                 P_max: the capacity the act states, else the point's maximum capacity in force on the
                 act's date; with the input cable's data instead (no stated capacity) the cable
                 formula below. T: from the last check (`date_from`) to the act's date, inclusive
                 days × 24, at most `act.unmetered.max_hours` (ПП 442 п. 195, annex 3 п. 1).
  noncontracted  consumption without a contract, by a counterparty registered for it (sbyt
                 counterparty add):
                     W = phases × I × U × cos φ × T / 1000             (method cable)
                 I: the cable's permissible continuous current (A), U: the phase voltage (V),
                 phases 3 (or 1), cos φ = `act.cos_phi` (0.9) unless the act states it;
                 T at most `act.noncontracted.max_hours` (26 280 h = 3 × 8 760, ПП 442 п. 196).

W is computed exactly (Fraction, kWh) and rounded half-up to whole Wh once (`volume_wh`). The caps and
cos φ are dated rules (data/dated_rules.csv) looked up on the act's date. The act is billed in
`period` = the month open when it is registered (an act dated in a closed month is billed now; one
dated after the open month or in the future is refused) at the prices of `price_period` = the act's
month and its voltage level (`acts_for_billing`, read by the legal-entity calculation). An act is
cancelled with a reason while its month is open; after the close only a recalculation can undo it.
Every change writes an audit row. Rules: docs/legal.md «Акты безучётного и бездоговорного потребления».
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pyarrow as pa

from sbyt.core import clock, labels
from sbyt.core.access import requires
from sbyt.core.contracts import contract as find_contract
from sbyt.core.contracts import point_id
from sbyt.core.counterparties import counterparty_id
from sbyt.core.errors import NotFoundError, RefusedError, SbytError
from sbyt.core.money import round_div
from sbyt.core.period_state import ensure_open, open_period
from sbyt.core.periods import period_label, period_of
from sbyt.core.reference import rule
from sbyt.core.store import Store

KINDS = ("unmetered", "noncontracted")
METHODS = ("max_capacity", "cable")
VOLTAGES = ("VN", "SN1", "SN2", "NN")
PHASES = (1, 3)
MAX_HOURS_RULE = {"unmetered": "act.unmetered.max_hours", "noncontracted": "act.noncontracted.max_hours"}
BASIS = {"unmetered": "ПП 442 п. 195, приложение 3 п. 1", "noncontracted": "ПП 442 п. 196, приложение 3 п. 2"}
TITLES = {"unmetered": "безучётного потребления", "noncontracted": "бездоговорного потребления"}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


# ------------------------------------------------------------------------------------ the formulas
def period_hours(date_from: date, date_to: date) -> int:
    """Hours from the start of `date_from` to the end of `date_to`: inclusive days × 24."""
    return ((date_to - date_from).days + 1) * 24


def act_volume(method: str, hours: int, *, max_kw: Decimal | None = None, phases: int | None = None,
               current_a: Decimal | None = None, voltage_v: Decimal | None = None,
               cos_phi: Decimal | None = None) -> Fraction:
    """The act's volume in kWh, exactly: P × T (max_capacity) or phases × I × U × cos φ × T / 1000 (cable)."""
    if method == "max_capacity":
        return Fraction(max_kw) * hours
    if method == "cable":
        return Fraction(phases) * Fraction(current_a) * Fraction(voltage_v) * Fraction(cos_phi) * hours / 1000
    raise ValueError(method)


def to_wh(kwh: Fraction) -> int:
    """kWh -> whole Wh, half-up (the one rounding of an act's volume)."""
    return round_div(kwh.numerator * 1000, kwh.denominator)


def number(value: Decimal | int) -> str:
    """A number as the act's calculation prints it: «8 760», «0,9», «12,5» (plain spaces)."""
    text = f"{Decimal(value).normalize():f}"
    head, _, frac = text.partition(".")
    sign = "-" if head.startswith("-") else ""
    return sign + f"{int(head.lstrip('-')):,}".replace(",", " ") + ("," + frac if frac else "")


def kwh_text(wh: int) -> str:
    """Wh -> «520 344,000» kWh, always three decimals."""
    whole, frac = divmod(wh, 1000)
    return f"{whole:,}".replace(",", " ") + f",{frac:03d}"


# ------------------------------------------------------------------------------------ the act
@dataclass(frozen=True)
class Act:
    id: int
    kind: str
    act_no: str
    act_date: date
    contract_id: int | None
    point_id: int | None
    counterparty_id: int
    address: str | None
    voltage: str
    date_from: date
    date_to: date
    hours: int                   # the hours billed (capped)
    method: str
    max_kw: Decimal | None
    current_a: Decimal | None
    voltage_v: Decimal | None
    cos_phi: Decimal | None
    phases: int | None
    volume_wh: int
    period: int
    status: str
    note: str | None
    created_by: str
    cancel_reason: str | None
    cancelled_by: str | None
    cancelled_at: datetime | None
    # joined for display
    inn: str                     # «INN» or «INN/KPP»
    counterparty_name: str | None
    contract_no: str | None
    point_code: str | None

    @property
    def price_period(self) -> int:
        return period_of(self.act_date)

    @property
    def full_hours(self) -> int:
        """The hours of the whole period of the act, before the cap."""
        return period_hours(self.date_from, self.date_to)

    @property
    def title(self) -> str:
        return f"Акт {TITLES[self.kind]} № {self.act_no} от {self.act_date:%d.%m.%Y}"


def formula(a: Act) -> str:
    """«150 кВт × 8 760 ч = 1 314 000,000 кВт·ч», «3 × 100 А × 220 В × 0,9 × 8 760 ч / 1000 = …»."""
    if a.method == "max_capacity":
        left = f"{number(a.max_kw)} кВт × {number(a.hours)} ч"
    else:
        left = (f"{a.phases} × {number(a.current_a)} А × {number(a.voltage_v)} В × {number(a.cos_phi)} × "
                f"{number(a.hours)} ч / 1000")
    return f"{left} = {kwh_text(a.volume_wh)} кВт·ч"


def hours_text(a: Act) -> str:
    """«01.10.2026–20.11.2026: 51 сут. × 24 = 1 224 ч», with the cap when it applies."""
    days = (a.date_to - a.date_from).days + 1
    text = f"{a.date_from:%d.%m.%Y}–{a.date_to:%d.%m.%Y}: {number(days)} сут. × 24 = {number(a.full_hours)} ч"
    if a.hours < a.full_hours:
        text += f", к расчёту не более {number(a.hours)} ч ({BASIS[a.kind].split(',')[0]})"
    return text


def billing_text(a: Act) -> str:
    return (f"Начисляется в {period_label(a.period)} по ценам {period_label(a.price_period)}, уровень напряжения "
            f"{labels.label('voltage', a.voltage)}.")


def whose(a: Act) -> str:
    """«договор № 77-001, точка поставки TP1» or «ООО «Завод» (ИНН 7736207543), адрес …»."""
    if a.kind == "unmetered":
        return f"договор № {a.contract_no}, точка поставки {a.point_code}"
    inn, _, kpp = a.inn.partition("/")
    requisites = f"ИНН {inn}" + (f", КПП {kpp}" if kpp else "")
    name = f"{a.counterparty_name} ({requisites})" if a.counterparty_name else requisites
    return name + (f", {a.address}" if a.address else "")


def describe(a: Act) -> list[str]:
    """The act's calculation in four lines, as the CLI reports it."""
    return [f"{a.title} зарегистрирован: {whose(a)}.", f"Часы: {hours_text(a)}.", f"Объём: {formula(a)}.", billing_text(a)]


_SELECT = """
    SELECT a.id, a.kind, a.act_no, a.act_date, a.contract_id, a.point_id, a.counterparty_id, a.address, a.voltage,
           a.date_from, a.date_to, a.hours, a.method, a.max_kw, a.current_a, a.voltage_v, a.cos_phi, a.phases,
           a.volume_wh, a.period, a.status, a.note, a.created_by, a.cancel_reason, a.cancelled_by, a.cancelled_at,
           c.inn || coalesce('/' || c.kpp, ''),
           (SELECT f.name FROM counterparty_fact f WHERE f.counterparty_id = c.id AND f.valid_from <= a.act_date
            ORDER BY f.valid_from DESC LIMIT 1),
           k.number, p.code
    FROM consumption_act a JOIN counterparty c ON c.id = a.counterparty_id
    LEFT JOIN contract k ON k.id = a.contract_id LEFT JOIN legal_point p ON p.id = a.point_id"""


def act(store: Store, act_no: str) -> Act:
    row = store.one(_SELECT + " WHERE a.act_no = ?", [act_no.strip()])
    if row is None:
        raise NotFoundError(f"Акт № {act_no} не найден.")
    return Act(*row)


def list_acts(store: Store, period: int | None = None) -> list[Act]:
    """The acts, newest first; `period`: those billed in that month."""
    rows = store.all(_SELECT + " WHERE ? IS NULL OR a.period = ? ORDER BY a.period DESC, a.act_date DESC, a.id DESC",
                     [period, period])
    return [Act(*r) for r in rows]


# ------------------------------------------------------------------------------------ checks
def _decimal(value: Decimal | None, what: str, places: int, upper: int) -> Decimal | None:
    """An input of the act: more than zero, at most `upper`, at most `places` decimals."""
    if value is None:
        return None
    if value <= 0 or value > upper:
        raise SbytError(f"{what}: {number(value)} — нужно число больше нуля и не больше {number(upper)}.")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise SbytError(f"{what}: {number(value)} — не более {places} знаков после запятой.")
    return value


def _dates(store: Store, act_date: date, date_from: date) -> int:
    """The checks of the act's dates; the month it is billed in (the open one)."""
    today = clock.today()
    if act_date > today:
        raise RefusedError(f"Акт датирован {act_date:%d.%m.%Y} — позже сегодняшнего дня ({today:%d.%m.%Y}).")
    if date_from > act_date:
        raise SbytError(f"Начало потребления {date_from:%d.%m.%Y} позже даты акта {act_date:%d.%m.%Y}.")
    period = open_period(store)
    if period_of(act_date) > period:
        raise RefusedError(f"Акт от {act_date:%d.%m.%Y} позже открытого периода {period_label(period)}: "
                           f"зарегистрируйте его, когда откроется {period_label(period_of(act_date))}.")
    return period


def _number_free(store: Store, act_no: str) -> str:
    act_no = act_no.strip()
    if not act_no:
        raise SbytError("Укажите номер акта.")
    row = store.one("SELECT kind, act_date FROM consumption_act WHERE act_no = ?", [act_no])
    if row is not None:
        raise RefusedError(f"Акт № {act_no} уже зарегистрирован ({labels.label('act_kind', row[0])}, "
                           f"от {row[1]:%d.%m.%Y}).")
    return act_no


def _cable(current_a: Decimal | None, voltage_v: Decimal | None, phases: int | None,
           cos_phi: Decimal | None) -> tuple[Decimal, Decimal, int]:
    if current_a is None or voltage_v is None:
        raise SbytError("Для расчёта по кабелю укажите допустимую длительную токовую нагрузку (--current, А) и "
                        "фазное напряжение (--voltage-v, В).")
    phases = 3 if phases is None else phases
    if phases not in PHASES:
        raise SbytError(f"Число фаз {phases}: допустимо 1 (однофазный ввод) или 3 (трёхфазный).")
    _decimal(cos_phi, "Коэффициент мощности", 3, 1)
    return (_decimal(current_a, "Допустимая токовая нагрузка кабеля, А", 2, 100_000),  # type: ignore[return-value]
            _decimal(voltage_v, "Фазное напряжение, В", 2, 1_000_000), phases)


def _voltage(voltage: str | None) -> str | None:
    if voltage is not None and voltage not in VOLTAGES:
        raise SbytError(f"Уровень напряжения «{voltage}» неизвестен; допустимы: {labels.choices('voltage')}.")
    return voltage


@dataclass(frozen=True)
class _Row:
    kind: str
    act_no: str
    act_date: date
    contract_id: int | None
    point_id: int | None
    counterparty_id: int
    address: str | None
    voltage: str
    date_from: date
    hours: int
    method: str
    max_kw: Decimal | None
    current_a: Decimal | None
    voltage_v: Decimal | None
    cos_phi: Decimal | None
    phases: int | None
    volume_wh: int
    period: int
    note: str | None


def _insert(store: Store, r: _Row) -> Act:
    with store.transaction():
        new_id = int(store.scalar("SELECT nextval('consumption_act_seq')"))
        store.execute("INSERT INTO consumption_act (id, kind, act_no, act_date, contract_id, point_id, counterparty_id,"
                      " address, voltage, date_from, date_to, hours, method, max_kw, current_a, voltage_v, cos_phi,"
                      " phases, volume_wh, period, note, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [new_id, r.kind, r.act_no, r.act_date, r.contract_id, r.point_id, r.counterparty_id, r.address,
                       r.voltage, r.date_from, r.act_date, r.hours, r.method, r.max_kw, r.current_a, r.voltage_v,
                       r.cos_phi, r.phases, r.volume_wh, r.period, r.note, store.user])
        store.audit("insert", "consumption_act", r.act_no, None,
                    _json({k: v for k, v in r.__dict__.items() if v is not None}))
    return act(store, r.act_no)


def _hours(store: Store, kind: str, date_from: date, act_date: date) -> int:
    cap = rule(store, MAX_HOURS_RULE[kind], act_date)
    full = period_hours(date_from, act_date)
    return full if cap is None else min(full, int(cap))


def _cos(store: Store, cos_phi: Decimal | None, on: date) -> Decimal:
    if cos_phi is not None:
        return cos_phi
    value = rule(store, "act.cos_phi", on)
    if value is None:
        raise SbytError(f"Нет правила act.cos_phi на {on:%d.%m.%Y}: укажите коэффициент мощности (--cos).")
    return value


def _volume(method: str, hours: int, max_kw: Decimal | None, phases: int | None, current_a: Decimal | None,
            voltage_v: Decimal | None, cos_phi: Decimal | None) -> int:
    return to_wh(act_volume(method, hours, max_kw=max_kw, phases=phases, current_a=current_a, voltage_v=voltage_v,
                            cos_phi=cos_phi))


# ------------------------------------------------------------------------------------ registering
@requires("contracts.edit")
def add_unmetered(store: Store, contract_no: str, point_code: str, act_no: str, act_date: date, date_from: date, *,
                  max_kw: Decimal | None = None, current_a: Decimal | None = None, voltage_v: Decimal | None = None,
                  phases: int | None = None, cos_phi: Decimal | None = None, voltage: str | None = None,
                  note: str | None = None) -> Act:
    """Register an act of unmetered consumption at a supply point of a contract. The capacity: `max_kw`
    (the act's), or the cable's data (`current_a`, `voltage_v`, `phases`, `cos_phi`), else the point's
    maximum capacity on the act's date. `voltage`: the level whose prices apply (the point's by default)."""
    act_no = _number_free(store, act_no)
    period = _dates(store, act_date, date_from)
    c = find_contract(store, contract_no)
    pid = point_id(store, point_code)
    row = store.one("""
        SELECT o.contract_id, p.opened, p.closed, f.voltage, f.max_kw, k.terminated_from
        FROM legal_point p JOIN calc_object o ON o.id = p.object_id JOIN contract k ON k.id = o.contract_id
        LEFT JOIN legal_point_fact f ON f.point_id = p.id AND f.valid_from <= ? AND (f.valid_to IS NULL OR f.valid_to > ?)
        WHERE p.id = ?""", [act_date, act_date, pid])
    owner, opened, closed, point_voltage, point_kw, terminated = row
    if owner != c.id:
        raise RefusedError(f"Точка поставки «{point_code}» не относится к договору № {contract_no}.")
    if c.starts is None or c.starts > act_date or (terminated is not None and terminated <= act_date):
        state = labels.label("contract_state", c.state)
        raise RefusedError(f"Договор № {contract_no} на {act_date:%d.%m.%Y} не действует (состояние «{state}»"
                           + (f", поставка с {c.starts:%d.%m.%Y}" if c.starts else "")
                           + (f", расторгнут с {terminated:%d.%m.%Y}" if terminated else "")
                           + "): безучётное потребление оформляется по действующему договору, без договора — "
                             "акт бездоговорного потребления (sbyt act noncontracted).")
    if opened > act_date or (closed is not None and closed <= act_date) or point_voltage is None:
        raise RefusedError(f"Точка поставки «{point_code}» на {act_date:%d.%m.%Y} не действует (открыта "
                           f"{opened:%d.%m.%Y}" + (f", закрыта {closed:%d.%m.%Y}" if closed else "") + ").")
    earliest = max(opened, c.starts)
    if date_from < earliest:
        what = (f"начала поставки по договору № {contract_no}" if c.starts >= opened
                else f"открытия точки поставки «{point_code}»")
        raise RefusedError(f"Безучётное потребление не может начинаться раньше {what} ({earliest:%d.%m.%Y}): "
                           f"указано {date_from:%d.%m.%Y}.")
    cable = current_a is not None or voltage_v is not None or phases is not None or cos_phi is not None
    if cable and max_kw is not None:
        raise SbytError("Укажите либо максимальную мощность (--max-kw), либо данные кабеля (--current, --voltage-v), "
                        "но не то и другое.")
    hours = _hours(store, "unmetered", date_from, act_date)
    if cable:
        current_a, voltage_v, phases = _cable(current_a, voltage_v, phases, cos_phi)
        cos_phi = _cos(store, cos_phi, act_date)
        method, max_kw = "cable", None
    else:
        max_kw = _decimal(max_kw, "Максимальная мощность, кВт", 3, 1_000_000) or point_kw
        method = "max_capacity"
    volume = _volume(method, hours, max_kw, phases, current_a, voltage_v, cos_phi)
    return _insert(store, _Row("unmetered", act_no, act_date, c.id, pid, c.counterparty_id, None,
                               _voltage(voltage) or point_voltage, date_from, hours, method, max_kw, current_a,
                               voltage_v, cos_phi, phases, volume, period, note))


@requires("contracts.edit")
def add_noncontracted(store: Store, counterparty: str, act_no: str, act_date: date, date_from: date, *,
                      current_a: Decimal, voltage_v: Decimal, phases: int | None = None,
                      cos_phi: Decimal | None = None, voltage: str | None = None, address: str | None = None,
                      note: str | None = None) -> Act:
    """Register an act of non-contracted consumption by a counterparty («INN» or «INN/KPP»), computed by
    the cable formula. `voltage`: the level whose prices apply (НН by default)."""
    act_no = _number_free(store, act_no)
    period = _dates(store, act_date, date_from)
    try:
        cid = counterparty_id(store, counterparty)
    except NotFoundError as exc:
        raise NotFoundError(f"{exc.message[:-1]}: зарегистрируйте его (sbyt counterparty add).") from None
    current_a, voltage_v, phases = _cable(current_a, voltage_v, phases, cos_phi)
    cos_phi = _cos(store, cos_phi, act_date)
    hours = _hours(store, "noncontracted", date_from, act_date)
    volume = _volume("cable", hours, None, phases, current_a, voltage_v, cos_phi)
    return _insert(store, _Row("noncontracted", act_no, act_date, None, None, cid, (address or "").strip() or None,
                               _voltage(voltage) or "NN", date_from, hours, "cable", None, current_a, voltage_v,
                               cos_phi, phases, volume, period, note))


@requires("contracts.edit")
def cancel_act(store: Store, act_no: str, reason: str) -> Act:
    """Cancel an active act while the month it is billed in is open (the next calculation drops it)."""
    a = act(store, act_no)
    reason = (reason or "").strip()
    if not reason:
        raise SbytError("Укажите причину отмены акта (--reason).")
    if a.status == "cancelled":
        raise RefusedError(f"Акт № {a.act_no} уже отменён: {a.cancel_reason}.")
    try:
        ensure_open(store, a.period)
    except RefusedError:
        raise RefusedError(f"Акт № {a.act_no} начислен в закрытом периоде {period_label(a.period)}: отменить его "
                           "нельзя, нужен перерасчёт.") from None
    with store.transaction():
        store.execute("UPDATE consumption_act SET status = 'cancelled', cancel_reason = ?, cancelled_by = ?,"
                      " cancelled_at = current_timestamp WHERE id = ?", [reason, store.user, a.id])
        store.audit("update", "consumption_act", a.act_no, _json({"status": a.status}),
                    _json({"status": "cancelled", "reason": reason}))
    return act(store, a.act_no)


# ------------------------------------------------------------------------------------ billing
BILLING_SCHEMA = pa.schema([("id", pa.int64()), ("kind", pa.string()), ("contract_id", pa.int64()),
                            ("counterparty_id", pa.int64()), ("point_id", pa.int64()), ("voltage", pa.string()),
                            ("volume_wh", pa.int64()), ("price_period", pa.int32())])


def acts_for_billing(store: Store, period: int) -> pa.Table:
    """The active acts billed in `period`: id, kind, contract_id (NULL for a non-contracted act),
    counterparty_id, point_id, voltage (the level whose prices apply), volume_wh and price_period
    (YYYYMM of the act's date: the month whose prices apply)."""
    table = store.execute("""
        SELECT id, kind, contract_id, counterparty_id, point_id, voltage, volume_wh,
               CAST(year(act_date) * 100 + month(act_date) AS INTEGER) AS price_period
        FROM consumption_act WHERE period = ? AND status = 'active' ORDER BY id""", [period]).to_arrow_table()
    return table.cast(BILLING_SCHEMA)
