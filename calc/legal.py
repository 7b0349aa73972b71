"""The legal-entity part of the monthly run (ПП 442): accrual lines of contracts into `legal_charge`.

One line per supply point and price component, priced exactly once (research legal.md §C.4):

    category 1   energy   = volume × final price of the voltage level (Σ components; a purchase-sale
                            contract without transmission)
    category 2   energy   = volume of each zone × the zone's final price
    categories 3–6 energy = Σ hours V × hourly rate;  capacity = mean peak-hour volume × capacity rate;
                 4, 6     network_capacity = mean daily window maximum × maintenance rate,
                          network_loss = volume × loss rate (not for a purchase-sale contract);
                 5, 6     over / under = deviations from the hourly plan × their hourly rates;
                 3, 5 purchase-sale: network_deduct = −volume × the transmission part of the hourly rate.
    population-equated point: household = volume × household tariff (VAT included, as households).
    acts: unmetered / noncontracted = the act's volume × category-1 price of the act's month.
    managing companies: manager = the building's volume for common property (odn_manager_volume,
                        with the negative carry-forward) × the residents' single-rate tariff.

Prices exclude VAT: vat_kop = amount × rate on top, once per line. Volumes and hours are gathered
by `sbyt.calc.legal_gather`; the hourly sums by the kernel `sbyt.calc.kernels.legal`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
import numba
import numpy as np
import pyarrow as pa

from sbyt.calc.jit import jit, line_amount, mul_div, round_div_array, vat_part
from sbyt.calc.kernels.legal import SCALE, LegalHourInputs, LegalHourResult, finish, hour_components
from sbyt.calc.legal_gather import (HOURLY_CATEGORIES, SOURCES, SRC_NONE, VOLTAGE_RU, VOLTAGES, LegalGathered,
                                    MissingPricesError, Prices, gather_legal, load_prices)
from sbyt.calc.legal_penalty import LegalPenaltyMonth, write_legal_detail
from sbyt.calc.write import decimal_array
from sbyt.core.consumption_acts import acts_for_billing
from sbyt.core.money import price_e4, rate_e2
from sbyt.core.periods import first_day, last_day, period_label
from sbyt.core.reference import rule
from sbyt.core.store import Store

LINE_COLUMNS = ("contract_id", "counterparty_id", "point_id", "act_id", "building_id", "zone", "category",
                "volume_wh", "quantity_e10", "price_e4", "amount_kop", "vat_kop", "days", "for_period")
TEXT_COLUMNS = ("component", "method", "voltage", "reason")


@jit
def _mul_div_rows(a, b, d, out):
    for i in range(a.shape[0]):
        out[i] = mul_div(a[i], b[i], d[i])


def mul_div_rows(a: np.ndarray, b: np.ndarray, d: np.ndarray | int) -> np.ndarray:
    """`money.mul_div` element-wise (a × b / d half-up, exact beyond 64 bits)."""
    a = np.ascontiguousarray(a, np.int64)
    out = np.zeros(len(a), np.int64)
    _mul_div_rows(a, np.ascontiguousarray(np.broadcast_to(b, a.shape), np.int64),
                  np.ascontiguousarray(np.broadcast_to(d, a.shape), np.int64), out)
    return out


@jit
def _finish_rows(q, r, out):
    for i in range(q.shape[0]):
        out[i] = finish(q[i], r[i])


@numba.njit(cache=True)
def _household_rows(volume, price, rate, amount, vat):
    for i in range(volume.shape[0]):
        amount[i] = line_amount(volume[i], price[i])
        vat[i] = vat_part(amount[i], rate)


@dataclass
class Lines:
    """Columnar legal_charge lines in flight (no ids yet)."""

    cols: dict[str, list[np.ndarray]] = field(default_factory=lambda: {c: [] for c in LINE_COLUMNS + TEXT_COLUMNS})
    included: list[np.ndarray] = field(default_factory=list)

    def add(self, n: int, *, vat_included: bool | np.ndarray = False, **given) -> None:
        if n == 0:
            return
        for c in LINE_COLUMNS:
            v = given.get(c, 0 if c in ("volume_wh", "vat_kop", "zone") else -1)
            self.cols[c].append(np.asarray(v, np.int64) if np.ndim(v) else np.full(n, v, np.int64))
        for c in TEXT_COLUMNS:
            v = given.get(c)
            self.cols[c].append(np.asarray(v, object) if np.ndim(v) else np.full(n, v, object))
        self.included.append(np.asarray(vat_included, np.bool_) if np.ndim(vat_included)
                             else np.full(n, vat_included, np.bool_))

    def array(self, c: str) -> np.ndarray:
        parts = self.cols[c]
        if not parts:
            return np.zeros(0, object if c in TEXT_COLUMNS else np.int64)
        return np.concatenate(parts)

    @property
    def n(self) -> int:
        return int(sum(len(p) for p in self.cols["contract_id"]))


@dataclass
class LegalRun:
    """The month's legal lines in flight; of the gathered inputs only their counts stay (the hourly
    matrices are freed as soon as the lines are priced: they must not add to the run's peak memory)."""

    period: int
    counts: dict[str, int]                  # points billed, hourly points, hour values
    lines: Lines
    vat_rate_e2: int
    warnings: list[str]
    missing: list[str]
    penalty: LegalPenaltyMonth | None = None
    timings: dict[str, float] = field(default_factory=dict)   # wall seconds of the legal stages (sbyt bench)

    def table(self) -> pa.Table:
        return lines_table(self.lines, self.vat_rate_e2)


def lines_table(lines: Lines, vat_rate_e2: int) -> pa.Table:
    """The lines as an Arrow table shaped for the INSERT (NULL where -1 / None)."""
    cols = {c: lines.array(c) for c in LINE_COLUMNS}
    out: dict[str, pa.Array] = {}
    for c in ("contract_id", "counterparty_id", "point_id", "act_id", "building_id", "category", "days"):
        v = cols[c]
        out[c] = pa.array(v, mask=v == -1)
    for c in ("zone", "volume_wh", "amount_kop", "vat_kop", "for_period"):
        out[c] = pa.array(np.maximum(cols[c], 0) if c == "zone" else cols[c])
    out["quantity"] = decimal_array(cols["quantity_e10"], 24, 10, cols["quantity_e10"] == -1)
    out["price"] = decimal_array(cols["price_e4"], 18, 4, cols["price_e4"] == -1)
    for c in TEXT_COLUMNS:
        out[c] = pa.array(lines.array(c), pa.string())
    included = np.concatenate(lines.included) if lines.included else np.zeros(0, np.bool_)
    out["vat_included"] = pa.array(included)
    out["vat_rate"] = decimal_array(np.full(len(included), vat_rate_e2, np.int64), 5, 2)
    return pa.table(out)


# ------------------------------------------------------------------------------------------ prices
def final_price_e4(prices: Prices, category: int, voltage: str, sale: bool, zones: int = 0, zone: int = 0
                   ) -> int | None:
    """Category 1 / 2 final price (RUB/MWh × 10⁴): Σ components, zone-specific energy for category 2,
    transmission excluded for a purchase-sale contract. None if the energy component is missing."""
    energy = prices.component(category, voltage, "energy", zones, zone)
    if energy is None:
        return None
    total = energy
    for name in ("markup", "infra") + (() if sale else ("network",)):
        v = prices.component(category, voltage, name, zones, zone)
        if v is None:
            v = prices.component(category, voltage, name)
        total += v or 0
    return total


def _by_key(code: np.ndarray, value_of) -> np.ndarray:  # noqa: ANN001 - int -> int
    """A value per row computed once per distinct key code (prices depend on a few keys)."""
    uniq, inverse = np.unique(np.asarray(code, np.int64), return_inverse=True)
    return np.array([value_of(int(c)) for c in uniq], np.int64)[inverse]


def _need(prices: Prices, missing: list[str], category: int, voltage: str, name: str) -> int:
    v = prices.component(category, voltage, name)
    if v is None:
        missing.append(f"{category} ЦК {VOLTAGE_RU[voltage]}: {name}")
        return 0
    return v


# -------------------------------------------------------------------------------------------- lines
def _point_lines(store: Store, g: LegalGathered, vat: int, lines: Lines, missing: list[str]) -> LegalHourResult | None:
    """Lines of the supply points (categories 1–6, population-equated)."""
    prices = g.prices
    base = dict(contract_id=g.contract_id, counterparty_id=g.counterparty_id, point_id=g.point_id)
    billed = g.source != SRC_NONE
    equated = g.equated
    method = np.array(SOURCES, object)[g.source]
    voltage = g.voltage

    def sub(sel: np.ndarray) -> dict:
        return {k: v[sel] for k, v in base.items()} | {"method": method[sel], "voltage": voltage[sel],
                                                        "category": g.category[sel].astype(np.int64),
                                                        "for_period": g.period}

    # category 1
    sel = np.flatnonzero(billed & ~equated & (g.category == 1))
    if len(sel):
        price = _by_key(g.vidx[sel] * 2 + g.sale[sel],
                        lambda c: final_price_e4(prices, 1, VOLTAGES[c // 2], bool(c % 2)) or -1)
        for v in np.unique(g.vidx[sel][price < 0]):
            missing.append(f"1 ЦК {VOLTAGE_RU[VOLTAGES[v]]}: energy")
        vol = g.volume_wh[sel]
        lines.add(len(sel), component="energy", volume_wh=vol, quantity_e10=vol * 10_000, price_e4=price,
                  amount_kop=mul_div_rows(vol, np.maximum(price, 0), SCALE), **sub(sel))
    # category 2, by zone
    for z in (1, 2, 3):
        sel = np.flatnonzero(billed & ~equated & (g.category == 2) & (g.zones >= z))
        if not len(sel):
            continue
        price = _by_key((g.vidx[sel] * 2 + g.sale[sel]) * 4 + g.zones[sel],
                        lambda c: final_price_e4(prices, 2, VOLTAGES[c // 8], bool(c // 4 % 2), c % 4, z) or -1)
        for v, zs in {(int(a), int(b)) for a, b in zip(g.vidx[sel][price < 0], g.zones[sel][price < 0])}:
            missing.append(f"2 ЦК {VOLTAGE_RU[VOLTAGES[v]]}: energy, {zs} зоны, зона {z}")
        vol = g.zone_wh[sel, z - 1]
        lines.add(len(sel), component="energy", zone=z, volume_wh=vol, quantity_e10=vol * 10_000, price_e4=price,
                  amount_kop=mul_div_rows(vol, np.maximum(price, 0), SCALE), **sub(sel))
    # population-equated: household tariffs, VAT included
    sel = np.flatnonzero(billed & equated)
    if len(sel):
        _household_lines(store, g, vat, sel, lines, sub(sel) | {"method": np.full(len(sel), "tariff", object)}, missing)
    # categories 3–6: the kernel over the hours
    sel = np.flatnonzero(billed & ~equated & np.isin(g.category, HOURLY_CATEGORIES))
    if not len(sel):
        return None
    key_row = {k: i for i, k in enumerate(prices.hour_keys)}
    price_row = np.full(len(g.hours_wh), -1, np.int64)
    plan_row = np.full(len(g.hours_wh), -1, np.int64)
    rows = g.profile_row[sel]
    code = g.category[sel].astype(np.int64) * 10 + g.vidx[sel]
    price_row[rows] = _by_key(code, lambda c: key_row[(c // 10, VOLTAGES[c % 10])])
    plan_row[rows] = g.plan_row[sel]
    res = hour_components(LegalHourInputs(g.hours_wh, price_row, prices.fact, prices.over, prices.under,
                                          plan_row, g.plan_wh, g.working, g.peak, g.window))
    vol = res.volume_wh[rows]
    days = res.days[rows]
    energy = np.zeros(len(sel), np.int64)
    _finish_rows(res.energy_q[rows], res.energy_r[rows], energy)
    s = sub(sel)
    lines.add(len(sel), component="energy", volume_wh=vol, quantity_e10=vol * 10_000, amount_kop=energy, **s)
    def rate(name: str, where: np.ndarray) -> np.ndarray:
        return _by_key(code[where], lambda c: _need(prices, missing, c // 10, VOLTAGES[c % 10], name))

    everywhere = np.ones(len(sel), np.bool_)
    cap = rate("capacity", everywhere)
    dd = np.maximum(days, 1)
    lines.add(len(sel), component="capacity", quantity_e10=round_div_array(res.peak_wh[rows] * 10_000, dd),
              price_e4=cap, days=days, amount_kop=mul_div_rows(res.peak_wh[rows], cap, dd * SCALE), **s)
    two = np.isin(g.category[sel], (4, 6)) & ~g.sale[sel]
    if two.any():
        t = np.flatnonzero(two)
        st = {k: v[t] if np.ndim(v) else v for k, v in s.items()}
        netcap, loss = rate("network_capacity", t), rate("network_loss", t)
        mx = res.max_wh[rows[t]]
        lines.add(len(t), component="network_capacity", quantity_e10=round_div_array(mx * 10_000, dd[t]),
                  price_e4=netcap, days=days[t], amount_kop=mul_div_rows(mx, netcap, dd[t] * SCALE), **st)
        lines.add(len(t), component="network_loss", volume_wh=vol[t], quantity_e10=vol[t] * 10_000, price_e4=loss,
                  amount_kop=mul_div_rows(vol[t], loss, SCALE), **st)
    dev = np.flatnonzero(np.isin(g.category[sel], (5, 6)))
    if len(dev):
        sd = {k: v[dev] if np.ndim(v) else v for k, v in s.items()}
        r = rows[dev]
        for comp, wh, q, rr in (("over", res.over_wh, res.over_q, res.over_r),
                                ("under", res.under_wh, res.under_q, res.under_r)):
            amt = np.zeros(len(dev), np.int64)
            _finish_rows(q[r], rr[r], amt)
            lines.add(len(dev), component=comp, volume_wh=wh[r], quantity_e10=wh[r] * 10_000, amount_kop=amt, **sd)
    deduct = np.flatnonzero(np.isin(g.category[sel], (3, 5)) & g.sale[sel])
    if len(deduct):
        sd = {k: v[deduct] if np.ndim(v) else v for k, v in s.items()}
        net = rate("network", deduct)
        lines.add(len(deduct), component="network_deduct", volume_wh=-vol[deduct], quantity_e10=vol[deduct] * 10_000,
                  price_e4=net, amount_kop=-mul_div_rows(vol[deduct], net, SCALE), **sd)
    return res


def _tariff_e4(store: Store, period: int, groups: list[str]) -> dict[str, int]:
    """Single-rate household price (RUB/kWh × 10⁴, VAT included) of each tariff group on the month's last day."""
    dl = last_day(period)
    return {tg: price_e4(p) for tg, p in store.all(
        "SELECT tariff_group, arg_min(price, zones * 10 + zone) FROM tariff WHERE list_contains(?, tariff_group)"
        " AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) GROUP BY tariff_group", [groups, dl, dl])}


def _household_lines(store: Store, g: LegalGathered, vat: int, sel: np.ndarray, lines: Lines, s: dict,
                     missing: list[str]) -> None:
    names, inverse = np.unique(g.tariff_group[sel].astype(str), return_inverse=True)
    groups = [str(x) for x in names]
    tariffs = _tariff_e4(store, g.period, groups)
    price = np.array([tariffs.get(t, -1) for t in groups], np.int64)[inverse]
    for tg in groups:
        if tg not in tariffs:
            missing.append(f"тариф населения «{tg}»")
    vol = g.volume_wh[sel]
    amount, vat_kop = np.zeros(len(sel), np.int64), np.zeros(len(sel), np.int64)
    _household_rows(vol, np.maximum(price, 0), np.int64(vat), amount, vat_kop)
    lines.add(len(sel), vat_included=True, component="household", volume_wh=vol, price_e4=price,
              amount_kop=amount, vat_kop=vat_kop, **s)


def _act_lines(store: Store, period: int, lines: Lines, missing: list[str], contracts: list[int] | None) -> None:
    """Acts of unmetered and non-contracted consumption registered in the month, at the category-1
    price (energy supply, with transmission) of the act's month and voltage level."""
    acts = acts_for_billing(store, period).to_pylist()
    if contracts is not None:
        acts = [a for a in acts if a["contract_id"] in contracts]
    cache: dict[int, Prices] = {}
    for a in acts:                                  # acts: a few a month
        act_id, kind, voltage, volume, act_month = a["id"], a["kind"], a["voltage"], a["volume_wh"], a["price_period"]
        contract_id, cp, point_id = a["contract_id"] or -1, a["counterparty_id"], a["point_id"] or -1
        prices = cache.get(act_month) or cache.setdefault(act_month, load_prices(store, act_month, set()))
        price = final_price_e4(prices, 1, voltage, False)
        if price is None:
            missing.append(f"1 ЦК {VOLTAGE_RU[voltage]} за {period_label(act_month)} (акт)")
            price = 0
        lines.add(1, contract_id=contract_id, counterparty_id=cp, point_id=point_id, act_id=act_id, component=kind,
                  method="act", category=1, voltage=voltage, volume_wh=volume, quantity_e10=volume * 10_000,
                  price_e4=price, amount_kop=mul_div_rows(np.array([volume]), price, SCALE), for_period=period,
                  reason=f"цены {period_label(act_month)}" if act_month != period else None)


def compute_legal(store: Store, period: int, contracts: list[int] | None = None, *, acts: bool = True) -> LegalRun:
    """Gather, compute and price the month's legal-entity lines (nothing written)."""
    t0 = time.perf_counter()
    g = gather_legal(store, period, contracts)
    t1 = time.perf_counter()
    vat = rate_e2(rule(store, "vat.rate", first_day(period)))
    lines = Lines()
    missing: list[str] = []
    res = _point_lines(store, g, vat, lines, missing) if g.n else None
    if acts:
        _act_lines(store, period, lines, missing, contracts)
    if missing:
        uniq = sorted(set(missing))
        raise MissingPricesError(f"Нет цен за {period_label(period)} ({len(uniq)}): " + "; ".join(uniq[:12]) +
                        ". Загрузите таблицу цен (sbyt prices import) и повторите расчёт.")
    # VAT on top of the lines priced without it
    included = np.concatenate(lines.included) if lines.included else np.zeros(0, np.bool_)
    if lines.n:
        amount = lines.array("amount_kop")
        vat_kop = lines.array("vat_kop")
        vat_kop = np.where(included, vat_kop, round_div_array(amount * vat, np.int64(10_000)))
        for c in LINE_COLUMNS:
            lines.cols[c] = [lines.array(c)]
        for c in TEXT_COLUMNS:
            lines.cols[c] = [lines.array(c)]
        lines.cols["vat_kop"] = [vat_kop]
        lines.included = [included]
    counts = {"points": int((g.source != SRC_NONE).sum()), "hourly_points": int((g.measured_hours > 0).sum()),
              "hours": int(g.measured_hours.sum())}
    del res
    return LegalRun(period, counts, lines, vat, g.warnings, missing,
                    timings={"gather": t1 - t0, "lines": time.perf_counter() - t1})


def add_penalties(run: LegalRun, month: LegalPenaltyMonth) -> None:
    """The month's penalty of each contract as one line (no VAT: a penalty is not a sale)."""
    n = len(month.contract_id)
    run.lines.add(n, contract_id=month.contract_id, counterparty_id=month.counterparty_id, component="penalty",
                  method="penalty", amount_kop=month.amount_kop, vat_kop=0, days=month.days.astype(np.int64),
                  for_period=run.period)
    run.penalty = month


INSERT_SQL = """
INSERT INTO legal_charge (id, period, for_period, contract_id, counterparty_id, point_id, act_id, building_id,
    component, zone, method, category, voltage, volume_wh, quantity, price, amount_kop, vat_kop, vat_rate,
    vat_included, days, reason, status)
SELECT ? + row_number() OVER () - 1, ?, for_period, contract_id, counterparty_id, point_id, act_id, building_id,
    component, zone, method, category, voltage, volume_wh, quantity, price, amount_kop, vat_kop, vat_rate,
    vat_included, days, reason, 'draft'
FROM _lg_lines
"""

MANAGER_SQL = """
INSERT INTO legal_charge (id, period, for_period, contract_id, counterparty_id, building_id, component, zone,
    method, volume_wh, quantity, price, amount_kop, vat_kop, vat_rate, vat_included, reason, status)
WITH mc AS (
    SELECT k.id AS contract_id, k.counterparty_id, c.manager_id FROM contract k
    JOIN counterparty c ON c.id = k.counterparty_id
    WHERE k.kind = 'manager' AND c.manager_id IS NOT NULL AND k.state IN ('signed', 'terminated')
      AND k.starts IS NOT NULL AND k.starts <= $last AND (k.terminated_from IS NULL OR k.terminated_from > $first)
      AND ($contracts IS NULL OR list_contains($contracts, k.id))),
v AS (
    SELECT m.building_id, m.volume_wh, m.raw_wh, m.carry_in_wh, mc.contract_id, mc.counterparty_id
    FROM odn_manager_volume m JOIN mc ON mc.manager_id = m.manager_id WHERE m.period = $period),
counted AS (
    SELECT pr.building_id, f.tariff_group, count(*) AS n
    FROM account a JOIN premise pr ON pr.id = a.premise_id
    JOIN account_fact f ON f.account_id = a.id AND f.valid_from <= $last AND (f.valid_to IS NULL OR f.valid_to > $last)
    WHERE pr.building_id IN (SELECT building_id FROM v) GROUP BY ALL),
tg AS (      -- the residents' most frequent tariff group; a tie goes to the first code (deterministic)
    SELECT c.building_id, arg_max(c.tariff_group, c.n * 100000 - g.r) AS tariff_group
    FROM counted c JOIN (SELECT code, row_number() OVER (ORDER BY code) AS r FROM tariff_group) g
         ON g.code = c.tariff_group
    GROUP BY c.building_id),
price AS (
    SELECT tariff_group, CAST(round(arg_min(price, zones * 10 + zone) * 10000) AS BIGINT) AS e4 FROM tariff
    WHERE valid_from <= $last AND (valid_to IS NULL OR valid_to > $last) GROUP BY tariff_group),
x AS (
    SELECT v.*, p.e4, line_amount(v.volume_wh, p.e4) AS amount FROM v
    JOIN tg ON tg.building_id = v.building_id JOIN price p ON p.tariff_group = tg.tariff_group)
SELECT $base + row_number() OVER (ORDER BY contract_id, building_id) - 1, $period, $period, contract_id,
       counterparty_id, building_id, 'manager', 0, 'odn', volume_wh, volume_wh / 1000000.0, e4 / 10000.0,
       amount, vat_part(amount, $vat), $vat / 100.0, true,
       CASE WHEN carry_in_wh < 0 THEN 'учтён перенос отрицательного объёма ' || (-carry_in_wh / 1000.0) || ' кВт·ч' END,
       'draft'
FROM x
"""


def write_legal(store: Store, run: LegalRun, contracts: list[int] | None = None) -> int:
    """Replace the month's draft legal lines with the run's (one transaction, joins the caller's);
    the managing companies' lines are priced here from the ОДН volumes just written."""
    period = run.period
    table = run.table()
    with store.transaction() as con:
        con.execute("DELETE FROM legal_charge WHERE period = ? AND status = 'draft' AND method <> 'manual'"
                    " AND ($2 IS NULL OR list_contains($2, contract_id))".replace("?", "$1"), [period, contracts])
        if run.penalty is not None:
            write_legal_detail(store, run.penalty)
        base = store.next_id("legal_charge")
        con.register("_lg_lines", table)
        try:
            con.execute(INSERT_SQL, [base, period])
        finally:
            con.unregister("_lg_lines")
        base = store.next_id("legal_charge")
        con.execute(MANAGER_SQL, {"period": period, "first": first_day(period), "last": last_day(period),
                                  "base": base, "vat": run.vat_rate_e2, "contracts": contracts})
        return int(store.scalar("SELECT count(*) FROM legal_charge WHERE period = ? AND status = 'draft'", [period]))
