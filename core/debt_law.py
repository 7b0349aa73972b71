"""The legal arithmetic of debt collection (ПИР): state duty, the court and the route, limitation.

Pure functions over exact numbers (integer kopecks, `Fraction`), each rounded half-up once at its
end (`sbyt.core.money.round_div`). Every figure of the law is data: the state duty scales are the
dated bands of table `state_duty_band` (migration 101, shipped as `sbyt/data/state_duty.csv`), the
scalars are dated rules (`sbyt/data/dated_rules.csv`, codes `debt.*`). The user guide is
docs/collection.md, section «Госпошлина и исковая давность».

* `state_duty` — the duty of a property claim (НК 333.19 п. 1 пп. 1 for general courts,
  НК 333.21 п. 1 пп. 1 for arbitration courts) by the scale in force on the filing day, or of an
  application for a court order (its share, `debt.duty.order_share`, and in arbitration the floor
  `debt.duty.order_min.arbitration`); `nonproperty_duty` — the fixed duty of a non-property claim.
* `court_route` — the court (households: a general court, a magistrate; legal entities: an
  arbitration court) and the route: a court order when the claim (principal + penalties) is within
  the ceiling in force (`debt.order_ceiling.<court>`), undisputed and the debtor is not in
  bankruptcy; else a lawsuit.
* `limitation` — the limitation period of one monthly charge (ГК 196, 191–192, 202–204, 206;
  ПП ВС № 43 п. 16–18, 20, 24); `limitation_sql` — its plain case as SQL for bulk use.
* `claim_ready`, `claim_suspension` — the pre-trial claim's waiting term (АПК 4 ч. 5).
* `restriction_threshold_kop` — the household restriction threshold (ПП 354 п. 118).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Iterable

from sbyt.core.errors import SbytError
from sbyt.core.money import round_div
from sbyt.core.periods import days_in
from sbyt.core.reference import rule, rule_int
from sbyt.core.store import Store

COURTS = ("general", "arbitration")
KINDS = {"household": "general", "legal": "arbitration"}      # debtor kind -> its court
PAYERS = ("citizen", "organisation")
COURT_NAMES = {"general": "суд общей юрисдикции", "arbitration": "арбитражный суд"}


# ------------------------------------------------------------------------------------ state duty
@dataclass(frozen=True)
class DutyBand:
    """One band of a duty scale: claims above `from_rub` (up to the next band's from_rub) pay
    base_rub + rate_percent % × (C − from_rub), raised to min_rub and capped at max_rub."""

    court: str
    valid_from: date
    valid_to: date | None
    from_rub: int
    base_rub: Fraction
    rate_percent: Fraction
    min_rub: Fraction | None
    max_rub: Fraction | None
    note: str | None

    def duty(self, claim_rub: Fraction) -> Fraction:
        """The exact duty of a claim of `claim_rub` by this band's formula, min and max applied."""
        d = self.base_rub + self.rate_percent * (claim_rub - self.from_rub) / 100
        if self.min_rub is not None:
            d = max(d, self.min_rub)
        if self.max_rub is not None:
            d = min(d, self.max_rub)
        return d


def _fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _all_bands(store: Store) -> list[DutyBand]:
    return [DutyBand(court, vf, vt, int(fr), Fraction(base), Fraction(rate), _fraction(mn), _fraction(mx), note)
            for court, vf, vt, fr, base, rate, mn, mx, note in store.all(
                "SELECT court, valid_from, valid_to, from_rub, base_rub, rate_percent, min_rub, max_rub, note"
                " FROM state_duty_band ORDER BY court, valid_from, from_rub")]


def _check_court(court: str) -> None:
    if court not in COURTS:
        raise SbytError(f"Неизвестный суд «{court}»: general (общей юрисдикции) или arbitration (арбитражный).")


def duty_scale(store: Store, court: str, filed: date) -> list[DutyBand]:
    """The bands of the scale in force for an application filed on `filed`, by from_rub: the rows
    with the latest valid_from not after `filed` whose valid_to is NULL or after it."""
    _check_court(court)
    bands = [b for b in store.memo("state_duty_band", lambda: _all_bands(store))
             if b.court == court and b.valid_from <= filed and (b.valid_to is None or b.valid_to > filed)]
    if not bands:
        raise SbytError(f"Не задана шкала госпошлины ({COURT_NAMES[court]}) на {filed:%d.%m.%Y}: "
                        "добавьте её строки в таблицу state_duty_band.")
    latest = max(b.valid_from for b in bands)
    return [b for b in bands if b.valid_from == latest]


def band_for(scale: list[DutyBand], claim_rub: Fraction) -> DutyBand:
    """The band of a claim: the greatest from_rub below the claim; the first band for the smallest."""
    chosen = scale[0]
    for b in scale:
        if b.from_rub < claim_rub:
            chosen = b
    return chosen


def _round(store: Store, duty_rub: Fraction, filed: date) -> int:
    """Exact roubles -> kopecks, rounded half-up once to the unit of `debt.duty.round_kop`."""
    unit = rule_int(store, "debt.duty.round_kop", filed)
    if unit <= 0:
        raise SbytError("Правило debt.duty.round_kop должно быть положительным числом копеек.")
    kop = duty_rub * 100
    return round_div(kop.numerator, kop.denominator * unit) * unit


def state_duty(store: Store, court: str, claim_kop: int, filed: date, *, order: bool) -> int:
    """The state duty, kopecks, of a property claim of `claim_kop` filed on `filed` with a court of
    kind `court` ('general' | 'arbitration'); `order`: an application for a court order.

    The claim's band gives the exact duty (`DutyBand.duty`); a court order pays the share
    `debt.duty.order_share` % of it, and not less than `debt.duty.order_min.<court>` roubles where
    that rule is in force. The result is rounded half-up once to `debt.duty.round_kop` kopecks.
    """
    if isinstance(claim_kop, bool) or not isinstance(claim_kop, int):
        raise TypeError("claim_kop must be integer kopecks")
    if claim_kop <= 0:
        raise SbytError("Цена иска должна быть больше нуля.")
    claim = Fraction(claim_kop, 100)
    duty = band_for(duty_scale(store, court, filed), claim).duty(claim)
    if order:
        share = rule(store, "debt.duty.order_share", filed)
        if share is None:
            raise SbytError(f"Не задана доля госпошлины за судебный приказ (debt.duty.order_share) на {filed:%d.%m.%Y}.")
        duty = duty * Fraction(share) / 100
        floor = rule(store, f"debt.duty.order_min.{court}", filed)
        if floor is not None:
            duty = max(duty, Fraction(floor))
    return _round(store, duty, filed)


def nonproperty_duty(store: Store, court: str, payer: str, filed: date) -> int:
    """The duty, kopecks, of a non-property claim (`debt.duty.nonproperty.<court>.<payer>`,
    payer 'citizen' | 'organisation'), rounded as `state_duty`."""
    _check_court(court)
    if payer not in PAYERS:
        raise SbytError(f"Неизвестный плательщик «{payer}»: citizen или organisation.")
    value = rule(store, f"debt.duty.nonproperty.{court}.{payer}", filed)
    if value is None:
        raise SbytError(f"Не задана госпошлина по неимущественному иску ({COURT_NAMES[court]}) на "
                        f"{filed:%d.%m.%Y}: правило debt.duty.nonproperty.{court}.{payer}.")
    return _round(store, Fraction(value), filed)


# --------------------------------------------------------------------------------- court, route
def court_route(store: Store, kind: str, claim_kop: int, filed: date, *, in_bankruptcy: bool,
                disputed: bool) -> tuple[str, str]:
    """(route, court) of a claim of `claim_kop` (principal + penalties) filed on `filed` against a
    debtor of `kind` ('household' -> 'general', 'legal' -> 'arbitration').

    route 'order' (судебный приказ) when the claim is at most the ceiling `debt.order_ceiling.<court>`
    in force, is undisputed (`disputed` False: documented and acknowledged, not contested) and the
    debtor is not in bankruptcy; else 'lawsuit'. No ceiling rule in force: no court-order route
    known on that day, 'lawsuit'. `in_bankruptcy` means the claim is a register claim; current
    payments of a bankrupt debtor may go by court order (ПП ВС № 62 п. 12): pass False for them.
    'lawsuit' for a register claim means no court order: the claim goes to the bankruptcy case.
    """
    if kind not in KINDS:
        raise SbytError(f"Неизвестный вид должника «{kind}»: household (гражданин) или legal (юридическое лицо).")
    if claim_kop <= 0:
        raise SbytError("Сумма требования должна быть больше нуля.")
    court = KINDS[kind]
    ceiling = rule(store, f"debt.order_ceiling.{court}", filed)
    fits = ceiling is not None and Fraction(claim_kop, 100) <= Fraction(ceiling)
    return ("order" if fits and not disputed and not in_bankruptcy else "lawsuit"), court


# ---------------------------------------------------------------------------------- limitation
def add_months(day: date, months: int) -> date:
    """The day `months` months after `day`; past the month's end -> its last day (ГК 192 п. 3)."""
    m = day.year * 12 + day.month - 1 + months
    year, month = divmod(m, 12)
    month += 1
    return date(year, month, min(day.day, days_in(year * 100 + month)))


def limitation(due: date, years: int, suspensions: Iterable[tuple[date, date]] = (),
               interruptions: Iterable[date] = (), cancelled_orders: Iterable[tuple[date, date]] = (),
               *, extension_months: int | None = None) -> tuple[date, date]:
    """(start, end) of the limitation period of one monthly charge due on `due`: the claim may be
    brought to court to the end of `end` (both days inclusive).

    1. Plain case (ГК 196, 191–192; ПП ВС № 43 п. 24): the term runs from the day after the due
       date, start = due + 1 day, for `years` years; it ends on the day of the last year that
       corresponds to the due date, end = due + `years` years, which is start + `years` years −
       1 day (a due date of 29 February ends on 28 February; a start on 29 February — due on
       28 February of a leap year — also ends on 28 February, the day corresponding to the due date).
    2. Interruption (ГК 203, 206 п. 2; ПП 43 п. 20): an acknowledgement of the debt on or after the
       start — an accepted claim, a restructuring request, a signed reconciliation act — restarts
       the term: the latest such day `a` gives start = a + 1 day, end = a + `years` years. What ran
       before it (suspensions included) no longer counts. Days before the start (the charge not
       yet overdue) do not interrupt.
    3. Suspension (ГК 202 п. 3, 204 п. 1; ПП 43 п. 16–17): each period (from, to), both days
       inclusive — a pre-trial claim's term, court proceedings — adds its days that fall on or after
       the start and not yet counted (overlapping periods count once), in date order. A period
       that begins after the term has ended (as extended so far) suspends nothing.
    4. A cancelled court order (filed, cancelled) suspends from filing to cancellation as in 3;
       then, if less than `extension_months` months of the term remain, the term is extended to
       end `extension_months` months after the cancellation (ГК 204 п. 3; ПП 43 п. 18;
       rule `debt.limitation.order_extension_months`).
    """
    if years <= 0:
        raise ValueError("years must be positive")
    start, end = due + timedelta(days=1), add_months(due, 12 * years)
    acks = [a for a in interruptions if a >= start]
    if acks:
        last = max(acks)
        start, end = last + timedelta(days=1), add_months(last, 12 * years)
    periods = [(f, t, False) for f, t in suspensions] + [(f, t, True) for f, t in cancelled_orders]
    if any(t < f for f, t, _ in periods):
        raise SbytError("Период приостановления давности заканчивается раньше, чем начинается.")
    if any(c for _, _, c in periods) and extension_months is None:
        raise ValueError("extension_months is required with cancelled court orders")
    counted = start - timedelta(days=1)          # the last day already counted as suspended
    for f, t, cancelled in sorted(periods):
        if t < start:
            continue
        first = max(f, start)
        if first > end:
            break                                 # the term had ended: nothing to suspend
        first = max(first, counted + timedelta(days=1))
        if first <= t:
            end += timedelta(days=(t - first).days + 1)
            counted = t
        if cancelled:
            end = max(end, add_months(t, extension_months))
    return start, end


def limitation_on(store: Store, due: date, suspensions: Iterable[tuple[date, date]] = (),
                  interruptions: Iterable[date] = (),
                  cancelled_orders: Iterable[tuple[date, date]] = ()) -> tuple[date, date]:
    """`limitation` with the years and the extension of the dated rules in force on the due date."""
    return limitation(due, rule_int(store, "debt.limitation_years", due), suspensions, interruptions,
                      cancelled_orders,
                      extension_months=rule_int(store, "debt.limitation.order_extension_months", due))


def limitation_sql(due_col: str, years: int) -> tuple[str, str]:
    """SQL expressions (start, end) of the plain limitation period of a DATE column or expression
    `due_col` (no suspension, no interruption): due + 1 day and due + `years` years, DuckDB
    clamping 29 February as `add_months` does. E.g. `WHERE {end} < current_date` flags the
    time-barred months in one query."""
    n = int(years)
    if n <= 0:
        raise ValueError("years must be positive")
    return (f"CAST(({due_col}) + INTERVAL 1 DAY AS DATE)", f"CAST(({due_col}) + INTERVAL {n} YEAR AS DATE)")


# ------------------------------------------------------------------------------ pre-trial claim
def claim_ready(sent: date, days: int) -> date:
    """The first day a creditor may go to court after a pre-trial claim sent on `sent` with a
    waiting term of `days` calendar days (`debt.claim_days`, АПК 4 ч. 5): the term runs from the
    next day (ГК 191) and ends at the end of sent + days, so the day after that."""
    if days < 0:
        raise ValueError("days must not be negative")
    return sent + timedelta(days=days + 1)


def claim_suspension(sent: date, days: int) -> tuple[date, date]:
    """The suspension period (from, to), inclusive, of a pre-trial claim sent on `sent`: the
    `days` days of its term (ГК 202 п. 3; ПП ВС № 43 п. 16), for `limitation(suspensions=...)`."""
    if days <= 0:
        raise ValueError("days must be positive")
    return sent + timedelta(days=1), sent + timedelta(days=days)


# ------------------------------------------------------------------------ household restriction
def _exact(value: int | Fraction | Decimal, name: str) -> Fraction:
    if isinstance(value, (bool, float)) or not isinstance(value, (int, Fraction, Decimal)):
        raise TypeError(f"{name} must be exact: int, Fraction or Decimal")
    return Fraction(value)


def restriction_threshold_kop(normative_kwh: int | Fraction | Decimal, tariff: int | Fraction | Decimal,
                              months: int) -> int:
    """The household restriction threshold, kopecks: `months` (`debt.restriction_months.household`)
    monthly charges at the normative volume `normative_kwh` (kWh a month for the premises) and the
    tariff `tariff` (RUB/kWh) in force on the restriction day, rounded half-up once (ПП 354 п. 118).
    Supply may be restricted when the debt for the service is greater than this."""
    if months <= 0:
        raise ValueError("months must be positive")
    kop = _exact(normative_kwh, "normative_kwh") * _exact(tariff, "tariff") * 100 * months
    if kop < 0:
        raise ValueError("normative and tariff must not be negative")
    return round_div(kop.numerator, kop.denominator)
