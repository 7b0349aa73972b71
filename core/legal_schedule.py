"""The payment schedule of legal-entity contracts (ПП 442 п. 81, 82) and the FIFO matching of money
to what is owed.

For a contract's month M (payment scheme of the contract, every day and share a dated rule
`legal.schedule.*` in force on M's first day):

* p82 — 30 % of the expected cost by the 10th of M, 40 % by the 25th, the rest (the actual cost of
  M less the interim instalments) by the 18th of M+1;
* p81 — managing companies, ТСЖ and buyers for households: the whole cost by the 15th of M+1;
* retailer — energy retailers: 50 % by the 1st of M, the rest by the 18th of M+1.

The expected cost is the cost of M−1 (its posted accruals, VAT included). Without them it is the
maximum capacity: every supply point's max_kw ÷ `legal.schedule.capacity_coeff` (0.002824) kWh,
rounded to `legal.schedule.capacity_round_wh` (10 Wh = 0.01 kWh, the example of docs/legal.md), × the
category-1 final price of the point's voltage level (the sum of its price components, without
'network' for a purchase-sale contract; the latest prices published before M, else M's own), plus
VAT at the rate of M. A due date on a day off moves to the next working day when
`legal.schedule.workday_shift` is 1 (ГК РФ ст. 193).

The rest of M (the final instalment) is known once M's accruals are posted; a negative rest (the
month cost less than the interim instalments) is a credit on the final due date: it settles the
earliest open instalments, or what falls due next (п. 82: the overpayment counts toward the next
month).

`fifo` matches money to debts in bulk (NumPy, no loop over contracts): the k-th kopeck paid goes
to the k-th kopeck owed, debts in order of their due dates, money in order of its days. `match`
runs it twice: first the money whose purpose names a document (`legal_payment_target`) pays that
document's month, then everything left first owed first paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Sequence

import numpy as np
import pyarrow as pa

from sbyt.core.contracts import contract
from sbyt.core.errors import MissingPricesError, SbytError
from sbyt.core.money import rate_e2
from sbyt.core.periods import days_in, first_day, last_day, next_period, period_label, prev_period
from sbyt.core.reference import rule
from sbyt.core.store import Store
from sbyt.core.workdays import is_working_day

# interim instalments of each scheme: (code, the number k of its rules legal.schedule.<scheme>.{share,day}.k)
INTERIM = {"p82": (("p82_10", 1), ("p82_25", 2)), "retailer": (("retailer_1", 1),), "p81": ()}
FINAL = {"p82": "final", "retailer": "final", "p81": "p81"}
SCHEMES = tuple(INTERIM)
MWH_KOP = 100_000_000      # Wh × (RUB/MWh × 10⁴) -> kopecks: 10⁶ Wh/MWh × 10⁴ / 100 kop


@dataclass(frozen=True)
class Part:
    code: str
    share: Fraction | None     # None: the rest (final)
    due: date


@dataclass(frozen=True)
class MonthTerms:
    """The payment terms in force for the contracts' month `period`."""

    period: int
    parts: dict[str, tuple[Part, ...]]   # scheme -> interim parts, then the final part
    coeff: Fraction                      # kW ÷ coeff = kWh of the month
    round_wh: int
    vat_e2: int
    interim_penalty: bool                # penalties on interim instalments (else from the final due date)

    def final_due(self, scheme: str) -> date:
        return self.parts[scheme][-1].due


def _rule(store: Store, code: str, on: date) -> Decimal:
    value = rule(store, code, on)
    if value is None:
        raise SbytError(f"Не задано правило {code} на {on:%d.%m.%Y}: загрузите справочник правил (sbyt init).")
    return value


def due_day(period: int, day: int, shift: bool) -> date:
    """Day `day` of month `period` (clamped to its last day), moved to the next working day if `shift`."""
    d = date(period // 100, period % 100, max(1, min(day, days_in(period))))
    while shift and not is_working_day(d):
        d += timedelta(days=1)
    return d


def month_terms(store: Store, period: int) -> MonthTerms:
    on = first_day(period)
    shift = _rule(store, "legal.schedule.workday_shift", on) != 0
    parts: dict[str, tuple[Part, ...]] = {}
    for scheme, interim in INTERIM.items():
        items = []
        for code, k in interim:
            share = Fraction(_rule(store, f"legal.schedule.{scheme}.share.{k}", on))
            day = int(_rule(store, f"legal.schedule.{scheme}.day.{k}", on))
            items.append(Part(code, share, due_day(period, day, shift)))
        final = int(_rule(store, f"legal.schedule.{scheme}.final_day", on))
        items.append(Part(FINAL[scheme], None, due_day(next_period(period), final, shift)))
        parts[scheme] = tuple(items)
    coeff = Fraction(_rule(store, "legal.schedule.capacity_coeff", on))
    if coeff <= 0:
        raise SbytError("Правило legal.schedule.capacity_coeff должно быть больше нуля.")
    return MonthTerms(period, parts, coeff, int(_rule(store, "legal.schedule.capacity_round_wh", on)),
                      rate_e2(rule(store, "vat.rate", on)), _rule(store, "legal.penalty.interim", on) != 0)


# --------------------------------------------------------------------------------------- the base
BASE_SQL = """
WITH m AS (SELECT * FROM _ls_months),
c AS (
    SELECT id, counterparty_id, kind, payment_scheme, starts,
           least(coalesce(terminated_from, DATE '9999-12-31'),
                 coalesce(ends + INTERVAL 1 DAY, DATE '9999-12-31'))::DATE AS stop
    FROM contract
    WHERE state IN ('signed', 'terminated') AND starts IS NOT NULL
      AND ($contracts IS NULL OR list_contains($contracts, id))),
cm AS (
    SELECT c.*, m.period, m.prev, m.first_day, m.last_day, m.coeff_num, m.coeff_den, m.round_wh
    FROM c JOIN m ON c.starts <= m.last_day AND c.stop > m.first_day),
acc AS (
    SELECT contract_id, for_period, sum(amount_kop) AS kop FROM legal_posting
    WHERE kind = 'accrual' AND contract_id IS NOT NULL GROUP BY ALL),
pr AS (
    SELECT period, voltage, sum(CAST(value * 10000 AS BIGINT)) AS total_e4,
           sum(CASE WHEN component = 'network' THEN CAST(value * 10000 AS BIGINT) ELSE 0 END) AS network_e4
    FROM price_component WHERE category = 1 AND zones = 0 AND zone = 0 GROUP BY ALL),
pts AS (
    SELECT cm.id, cm.period, p.id AS point_id, f.voltage, f.max_kw,
           CAST(round_div(CAST(round(f.max_kw * 1000) AS HUGEINT) * cm.coeff_den, cm.coeff_num * cm.round_wh)
                * cm.round_wh AS BIGINT) AS volume_wh
    FROM cm
    JOIN calc_object o ON o.contract_id = cm.id AND o.opened <= cm.last_day
                       AND (o.closed IS NULL OR o.closed > cm.first_day)
    JOIN legal_point p ON p.object_id = o.id AND p.opened <= cm.last_day
                       AND (p.closed IS NULL OR p.closed > cm.first_day)
    JOIN legal_point_fact f ON f.point_id = p.id
         AND f.valid_from <= greatest(cm.first_day, p.opened)
         AND (f.valid_to IS NULL OR f.valid_to > greatest(cm.first_day, p.opened))),
priced AS (
    SELECT pts.id, pts.period, pts.point_id, pts.volume_wh, pts.max_kw,
           arg_max(pr.total_e4 - CASE WHEN cm.kind = 'sale' THEN pr.network_e4 ELSE 0 END,
                   CASE WHEN pr.period < pts.period THEN pr.period ELSE 0 END) AS price_e4,
           arg_max(pr.period, CASE WHEN pr.period < pts.period THEN pr.period ELSE 0 END) AS price_period
    FROM pts JOIN cm ON cm.id = pts.id AND cm.period = pts.period
    LEFT JOIN pr ON pr.voltage = pts.voltage AND pr.period <= pts.period
    GROUP BY ALL),
cap AS (
    SELECT id, period, count(*) AS points, sum(max_kw) AS max_kw, sum(volume_wh) AS volume_wh,
           count(*) FILTER (WHERE price_e4 IS NULL) AS unpriced,
           CAST(round_div(sum(CAST(volume_wh AS HUGEINT) * coalesce(price_e4, 0)), $mwh) AS BIGINT) AS net_kop,
           min(price_period) AS price_from, max(price_period) AS price_to
    FROM priced GROUP BY ALL)
SELECT cm.id AS contract_id, cm.counterparty_id, cm.kind, cm.payment_scheme AS scheme, cm.period,
       h.kop AS history_kop, a.kop AS actual_kop,
       coalesce(cap.points, 0) AS points, cap.max_kw, cap.volume_wh, coalesce(cap.unpriced, 0) AS unpriced,
       coalesce(cap.net_kop, 0) AS net_kop, cap.price_from, cap.price_to
FROM cm
LEFT JOIN acc h ON h.contract_id = cm.id AND h.for_period = cm.prev
LEFT JOIN acc a ON a.contract_id = cm.id AND a.for_period = cm.period
LEFT JOIN cap ON cap.id = cm.id AND cap.period = cm.period
ORDER BY cm.id, cm.period
"""


def _round_div(num: np.ndarray, den: int) -> np.ndarray:
    """`sbyt.core.money.round_div` over an int64 array: half-up, away from zero."""
    return np.sign(num) * ((2 * np.abs(num) + den) // (2 * den))


def _months(first: int, last: int) -> list[int]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = next_period(m)
    return out


def planned(store: Store, first: int, last: int, contract_ids: Sequence[int] | None = None,
            terms: dict[int, MonthTerms] | None = None) -> pa.Table:
    """The planned instalments of every supplied contract (or of `contract_ids`) for the months
    `first`..`last`, one row per contract, month and instalment, in due order within a month:
    contract_id, counterparty_id, kind, scheme, debt_period, seq, instalment, due_date, penalty_due
    (the day penalties count from: the final due date for an interim instalment when
    `legal.penalty.interim` is 0), share (None = the rest), basis ('history' | 'capacity'),
    base_kop (the expected cost, VAT included), amount_kop (None: the final rest before the month's
    accruals are posted; may be negative)."""
    months = _months(first, last)
    terms = terms if terms is not None else {}
    for m in months:
        if m not in terms:
            terms[m] = month_terms(store, m)
    cf = {m: terms[m].coeff for m in months}
    mt = pa.table({
        "period": pa.array(months, pa.int32()), "prev": pa.array([prev_period(m) for m in months], pa.int32()),
        "first_day": pa.array([first_day(m) for m in months], pa.date32()),
        "last_day": pa.array([last_day(m) for m in months], pa.date32()),
        # Wh = W ÷ coeff = W × den / num
        "coeff_num": pa.array([cf[m].numerator for m in months], pa.int64()),
        "coeff_den": pa.array([cf[m].denominator for m in months], pa.int64()),
        "round_wh": pa.array([terms[m].round_wh for m in months], pa.int64())})
    con = store.con
    con.register("_ls_months", mt)
    try:
        base = con.sql(BASE_SQL, params={"contracts": None if contract_ids is None else [int(i) for i in contract_ids],
                                         "mwh": MWH_KOP}).to_arrow_table()
    finally:
        con.unregister("_ls_months")
    n = base.num_rows
    period = base.column("period").to_numpy().astype(np.int64)
    hist_null = base.column("history_kop").is_null().to_numpy(zero_copy_only=False)
    history = base.column("history_kop").fill_null(0).to_numpy().astype(np.int64)
    net = base.column("net_kop").to_numpy().astype(np.int64)
    unpriced = base.column("unpriced").to_numpy().astype(np.int64)
    sch = base.column("scheme").to_numpy(zero_copy_only=False)
    has_interim = np.isin(sch, [s for s, parts in INTERIM.items() if parts])
    bad = hist_null & (unpriced > 0) & has_interim
    if bad.any():
        ids = base.column("contract_id").to_numpy()[bad]
        rows = store.all("SELECT id, number FROM contract WHERE list_contains(?, id)", [[int(i) for i in set(ids)]])
        names = dict(rows)
        shown = sorted({(names[int(i)], int(p)) for i, p in zip(ids, period[bad])})
        listed = ", ".join(f"№ {num} за {period_label(p)}" for num, p in shown[:10])
        more = f" и ещё {len(shown) - 10}" if len(shown) > 10 else ""
        raise MissingPricesError(f"Промежуточные платежи без истории потребления считаются по цене ЦК 1, а цен нет "
                        f"(загрузите цены: sbyt prices import): {listed}{more}.")
    vat = np.zeros(n, np.int64)
    for m in months:
        sel = period == m
        if sel.any():
            vat[sel] = terms[m].vat_e2
    vat_kop = _round_div(net * vat, 10_000)
    base_kop = np.where(hist_null, net + vat_kop, history)
    actual_null = base.column("actual_kop").is_null().to_numpy(zero_copy_only=False)
    actual = base.column("actual_kop").fill_null(0).to_numpy().astype(np.int64)

    # one group of rows per (month, scheme): the parts of that month's terms apply to all of them
    scheme_i = np.zeros(n, np.int64)
    for k, name in enumerate(SCHEMES):
        scheme_i[sch == name] = k
    month_i = np.searchsorted(np.asarray(months, np.int64), period)
    key = month_i * len(SCHEMES) + scheme_i
    by_key = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[by_key], np.arange(len(months) * len(SCHEMES) + 1))
    codes: list[str] = []                  # distinct instalment codes and shares, referred to by index
    shares: list[str | None] = []
    out: dict[str, list] = {k: [] for k in ("row", "seq", "code", "due", "pdue", "share", "amount", "null")}
    interim_sum = np.zeros(n, np.int64)
    for mi, m in enumerate(months):
        for si, s in enumerate(SCHEMES):
            rows = by_key[bounds[mi * len(SCHEMES) + si]:bounds[mi * len(SCHEMES) + si + 1]]
            if not len(rows):
                continue
            parts = terms[m].parts[s]
            final_due = parts[-1].due
            for seq, p in enumerate(parts):
                if p.share is not None:
                    amt = _round_div(base_kop[rows] * p.share.numerator, p.share.denominator)
                    interim_sum[rows] += amt
                    null = np.zeros(len(rows), np.bool_)
                    pdue = p.due if terms[m].interim_penalty else final_due
                    share = str(Decimal(p.share.numerator) / p.share.denominator)
                else:
                    amt = actual[rows] - interim_sum[rows]
                    null = actual_null[rows]
                    pdue, share = p.due, None
                if p.code not in codes:
                    codes.append(p.code)
                if share not in shares:
                    shares.append(share)
                k = len(rows)
                out["row"].append(rows)
                out["seq"].append(np.full(k, seq, np.int8))
                out["code"].append(np.full(k, codes.index(p.code), np.int32))
                out["due"].append(np.full(k, np.datetime64(p.due, "D")))
                out["pdue"].append(np.full(k, np.datetime64(pdue, "D")))
                out["share"].append(np.full(k, shares.index(share), np.int32))
                out["amount"].append(amt)
                out["null"].append(null)
    cid = base.column("contract_id").to_numpy()
    if out["row"]:
        row = np.concatenate(out["row"])
        order = np.lexsort((np.concatenate(out["seq"]), period[row], cid[row]))
        cat = {k: np.concatenate(v)[order] for k, v in out.items()}
        row = cat["row"]
    else:
        row = np.zeros(0, np.int64)
        cat = {"seq": np.zeros(0, np.int8), "code": np.zeros(0, np.int32), "due": np.zeros(0, "datetime64[D]"),
               "pdue": np.zeros(0, "datetime64[D]"), "share": np.zeros(0, np.int32), "amount": np.zeros(0, np.int64),
               "null": np.zeros(0, np.bool_)}
    take = pa.array(row, pa.int64())
    return pa.table({
        "contract_id": base.column("contract_id").take(take),
        "counterparty_id": base.column("counterparty_id").take(take),
        "kind": base.column("kind").take(take),
        "scheme": base.column("scheme").take(take),
        "debt_period": pa.array(period[row], pa.int32()),
        "seq": pa.array(cat["seq"].astype(np.int8), pa.int8()),
        "instalment": pa.array(codes, pa.string()).take(pa.array(cat["code"], pa.int32())),
        "due_date": pa.array(cat["due"], pa.date32()),
        "penalty_due": pa.array(cat["pdue"], pa.date32()),
        "share": pa.array(shares, pa.string()).take(pa.array(cat["share"], pa.int32())),
        "basis": pa.array(np.where(hist_null[row], "capacity", "history"), pa.string()),
        "base_kop": pa.array(base_kop[row], pa.int64()),
        "amount_kop": pa.array(cat["amount"].astype(np.int64), pa.int64(), mask=cat["null"].astype(np.bool_)),
        "points": base.column("points").take(take),
        "max_kw": base.column("max_kw").take(take),
        "volume_wh": base.column("volume_wh").take(take),
        "net_kop": pa.array(net[row], pa.int64()),
        "vat_kop": pa.array(vat_kop[row], pa.int64()),
        "price_from": base.column("price_from").take(take),
        "price_to": base.column("price_to").take(take),
    })


# --------------------------------------------------------------------------------------- FIFO
def fifo(ob_group: np.ndarray, ob_amount: np.ndarray, cr_group: np.ndarray, cr_amount: np.ndarray,
         groups: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Match money to debts, first owed first paid, in bulk.

    Debts (`ob_*`) sorted by group, then in the order they are to be paid (due date); money
    (`cr_*`) sorted by group, then by day; amounts ≥ 0, groups 0..groups-1. Each group's debts
    and its money are laid on one line from 0: the k-th kopeck of money pays the k-th kopeck
    owed. Returns (debt index, money index, kopecks) of every non-empty overlap, in order along
    the line (so, within a debt, in the money's order)."""
    ob_group = np.asarray(ob_group, np.int64)
    cr_group = np.asarray(cr_group, np.int64)
    ob_amount = np.asarray(ob_amount, np.int64)
    cr_amount = np.asarray(cr_amount, np.int64)
    if (ob_amount < 0).any() or (cr_amount < 0).any():
        raise ValueError("amounts must not be negative")
    tot_ob = np.bincount(ob_group, ob_amount, groups).astype(np.int64) if len(ob_group) else np.zeros(groups, np.int64)
    tot_cr = np.bincount(cr_group, cr_amount, groups).astype(np.int64) if len(cr_group) else np.zeros(groups, np.int64)
    # bincount sums in float64: exact below 2⁵³ kopecks (90 trillion rubles) per group
    span = np.maximum(tot_ob, tot_cr)
    base = np.cumsum(span) - span

    def lay(group: np.ndarray, amount: np.ndarray, tot: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        before = np.cumsum(tot) - tot
        end = base[group] + np.cumsum(amount) - before[group]
        return end - amount, end

    ob_start, ob_end = lay(ob_group, ob_amount, tot_ob)
    cr_start, cr_end = lay(cr_group, cr_amount, tot_cr)
    # both layouts are sorted along the line (start ≤ end ≤ next start): merge, then drop repeats
    points = np.sort(np.concatenate([np.column_stack((ob_start, ob_end)).ravel(),
                                     np.column_stack((cr_start, cr_end)).ravel()]), kind="stable")
    if len(points):
        points = points[np.concatenate([[True], points[1:] != points[:-1]])]
    if len(points) < 2:
        z = np.zeros(0, np.int64)
        return z, z, z
    lo, hi = points[:-1], points[1:]
    oi = np.searchsorted(ob_start, lo, "right") - 1
    ci = np.searchsorted(cr_start, lo, "right") - 1
    ok = (oi >= 0) & (ci >= 0)
    oi_c, ci_c = np.clip(oi, 0, None), np.clip(ci, 0, None)
    ok &= (ob_end[oi_c] > lo) & (cr_end[ci_c] > lo) if len(ob_end) and len(cr_end) else np.zeros(len(lo), np.bool_)
    return oi[ok], ci[ok], (hi - lo)[ok]


PENALTY_KEY = 1 << 21       # a debt key: the month (YYYYMM) for energy, + PENALTY_KEY for penalties
_PAIR = 1 << 22             # (group, key) as one int64: group × _PAIR + key


def debt_key(period: np.ndarray, penalty: np.ndarray) -> np.ndarray:
    """The key a payment's target names a debt by: its month, penalties apart."""
    return np.asarray(period, np.int64) + np.where(np.asarray(penalty, np.bool_), PENALTY_KEY, 0)


def match(ob_group: np.ndarray, ob_amount: np.ndarray, ob_key: np.ndarray, cr_group: np.ndarray,
          cr_amount: np.ndarray, groups: int, t_cr: np.ndarray | None = None, t_rank: np.ndarray | None = None,
          t_key: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Match money to debts: money that names documents pays their months first, the rest first
    owed first paid (`fifo`). The one rule of `balance`, the penalties and the schedule.

    Debts and money as for `fifo`, each debt with its key (`debt_key`); the targets (`t_cr` money
    index, `t_rank` 0, 1, … in the order the purpose names them, `t_key` the key named). Round r:
    every payment's r-th target takes what is left of the payment for that month's debts, first
    due first, payments in day order. What is left of every payment then pays what is left owed,
    first owed first paid — except a payment that names a month with nothing owed in the matching
    (a month not accrued yet): its rest waits for that month (`held`: an advance of the contract).
    Returns (debt index, money index, kopecks, held[money]); segments ordered by debt, then money."""
    ob_group = np.asarray(ob_group, np.int64)
    cr_group = np.asarray(cr_group, np.int64)
    ob_left = np.asarray(ob_amount, np.int64).copy()
    cr_left = np.asarray(cr_amount, np.int64).copy()
    n_ob, n_cr = len(ob_left), len(cr_left)
    held = np.zeros(n_cr, np.bool_)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def take(deb: np.ndarray, mon: np.ndarray, amt: np.ndarray) -> None:
        parts.append((deb, mon, amt))
        if len(amt):
            ob_left[:] -= np.bincount(deb, amt, n_ob).astype(np.int64)
            cr_left[:] -= np.bincount(mon, amt, n_cr).astype(np.int64)

    if t_cr is not None and len(t_cr):
        t_cr, t_rank, t_key = (np.asarray(x, np.int64) for x in (t_cr, t_rank, t_key))
        ob_pair = ob_group * _PAIR + np.asarray(ob_key, np.int64)
        for r in range(int(t_rank.max()) + 1):
            sel = t_rank == r
            m, pair = t_cr[sel], cr_group[t_cr[sel]] * _PAIR + t_key[sel]
            held[m[~np.isin(pair, ob_pair)]] = True
            obs = np.flatnonzero(np.isin(ob_pair, pair) & (ob_left > 0))
            uniq = np.unique(pair)
            og = np.searchsorted(uniq, ob_pair[obs])
            o = np.argsort(og, kind="stable")
            obs, og = obs[o], og[o]
            cg = np.searchsorted(uniq, pair)
            c = np.lexsort((m, cg))
            m, cg = m[c], cg[c]
            so, sc, sa = fifo(og, ob_left[obs], cg, cr_left[m], len(uniq))
            take(obs[so], m[sc], sa)
    d = np.flatnonzero(ob_left > 0)
    f = np.flatnonzero(~held & (cr_left > 0))
    so, sc, sa = fifo(ob_group[d], ob_left[d], cr_group[f], cr_left[f], groups)
    take(d[so], f[sc], sa)
    deb = np.concatenate([p[0] for p in parts]).astype(np.int64)
    mon = np.concatenate([p[1] for p in parts]).astype(np.int64)
    amt = np.concatenate([p[2] for p in parts]).astype(np.int64)
    o = np.lexsort((mon, deb))
    return deb[o], mon[o], amt[o], held


# --------------------------------------------------------------------------------------- one contract
@dataclass(frozen=True)
class Instalment:
    code: str
    due: date
    share: str | None
    amount_kop: int | None


@dataclass(frozen=True)
class ContractSchedule:
    number: str
    scheme: str
    period: int
    basis: str                 # history | capacity
    base_kop: int              # the expected cost, VAT included
    basis_text: str            # how the base was found, in Russian
    actual_kop: int | None     # the month's posted cost
    instalments: tuple[Instalment, ...]


def number_ru(value: Decimal, places: int | None = None) -> str:
    """12345.6 -> «12 345,6» (places: fixed decimals; else as few as the value needs)."""
    text = f"{value:,.{places}f}" if places is not None else f"{value.normalize():,f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def share_ru(share: str | None) -> str:
    """'0.3' -> «30 %»; None (the rest) -> «остаток»."""
    if share is None:
        return "остаток"
    return f"{number_ru(Decimal(share) * 100)} %"


def contract_schedule(store: Store, number: str, period: int) -> ContractSchedule:
    """The planned instalments of one contract's month (`sbyt contract schedule`)."""
    from sbyt.core.money import format_rub

    c = contract(store, number)
    if c.starts is None or c.state not in ("signed", "terminated"):
        raise SbytError(f"Договор № {number} не подписан: графика платежей нет.")
    t = planned(store, period, period, [c.id]).to_pylist()
    if not t:
        raise SbytError(f"По договору № {number} в {period_label(period)} поставки нет "
                        f"(поставка с {c.starts:%d.%m.%Y}).")
    r = t[0]
    if r["basis"] == "history":
        text = f"стоимость за {period_label(prev_period(period))}: {format_rub(r['base_kop'])} ₽ с НДС"
    else:
        coeff = month_terms(store, period).coeff
        prices = (period_label(r["price_from"]) if r["price_from"] == r["price_to"]
                  else f"{period_label(r['price_from'])}–{period_label(r['price_to'])}")
        text = (f"без истории потребления: максимальная мощность {number_ru(Decimal(r['max_kw']))} кВт ÷ "
                f"{number_ru(Decimal(coeff.numerator) / coeff.denominator)} = "
                f"{number_ru(Decimal(r['volume_wh']) / 1000, 2)} кВт·ч × цена ЦК 1 ({prices}) = "
                f"{format_rub(r['net_kop'])} ₽ + НДС {format_rub(r['vat_kop'])} ₽")
    final = t[-1]
    return ContractSchedule(number, r["scheme"], period, r["basis"], r["base_kop"], text,
                            None if final["amount_kop"] is None else sum(x["amount_kop"] for x in t),
                            tuple(Instalment(x["instalment"], x["due_date"], x["share"], x["amount_kop"]) for x in t))
