"""Penalties of legal-entity contracts for one month (35-ФЗ ст. 37; ЖК 155 п. 14 for managing
companies and ТСЖ buying for households): one amount per contract, rounded once, and its day
ranges shaped as `legal_penalty_detail`.

What is owed (the debts), each with its due date:

* the planned instalments of every supplied month (`sbyt.core.legal_schedule.planned`: п. 82
  interim instalments on the 10th and the 25th, the final rest by the 18th of the next month, п. 81
  the whole month by the 15th, retailers 50 % by the 1st); a negative final rest is money on the
  final due date;
* the ledger's other rows (`sbyt.core.legal_payments.ledger_items`): recalculations, opening
  balances, refunds and transfers; accruals of months outside the schedule (before the store's
  first month, after the supply) as final instalments.

Money — payments, write-offs, negative recalculations and transfers — pays first the months of the
documents a payment's purpose names (an invoice «С-123», a VAT invoice «с/ф № 45»:
`legal_payment_target`), then the debts first due first paid (`legal_schedule.match`, the rule of
`balance` too); a month named only in words («за апрель») does not count. Debts due after the month
are in the matching (a payment naming a later month pays it) but bear nothing in the month;
penalty postings are debts after every other (they bear no penalty). Every debt past its due date is
a timeline of the household penalty kernel (`sbyt.calc.kernels.penalty.compute_penalties`): its
debt at the start of the month and the parts paid on days inside it. The category is LEGAL, or for
a contract of kind 'manager' MANAGER / TSZH by the counterparty's managing company (`manager.kind`
'uk' → MANAGER, 'tszh' or 'zhsk' → TSZH); fractions, key rates and moratoria come from the dated
rules (`sbyt.calc.penalty.day_rules`). Whether interim instalments bear penalties is the dated rule
`legal.penalty.interim` (else penalties count from the final due date). Nothing is written to the ledger here: the lead's
calculation writes the amounts; `write_legal_detail` writes the day ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sbyt.calc.jit import round_div_array
from sbyt.calc.kernels.penalty import LEGAL, MANAGER, TSZH, DayRules, PenaltyInputs, compute_penalties
from sbyt.calc.penalty import day_rules
from sbyt.core.legal_payments import ledger_items
from sbyt.core.legal_schedule import MonthTerms, debt_key, match, planned
from sbyt.core.periods import first_day, last_day
from sbyt.core.store import Store

EPOCH = date(1970, 1, 1)
OTHER_KINDS = ("opening", "accrual", "recalc", "payment", "penalty", "refund", "transfer", "writeoff")


def day_num(d: date) -> int:
    return (d - EPOCH).days


@dataclass(frozen=True)
class Debts:
    """The pure input of a month's legal penalties: debts and money per group (a contract).

    Debts are sorted by group, then by the order money pays them (due date, then seq); money by
    group, then day. Days are days since 1970-01-01."""

    groups: int
    category: np.ndarray      # int8[groups]  LEGAL | MANAGER | TSZH
    ob_group: np.ndarray      # int64
    ob_amount: np.ndarray     # int64 > 0
    ob_due: np.ndarray        # int64  the day penalties count after
    ob_period: np.ndarray     # int32  the debt month
    ob_code: np.ndarray       # object instalment code
    cr_group: np.ndarray      # int64
    cr_amount: np.ndarray     # int64 > 0
    cr_day: np.ndarray        # int64
    ob_key: np.ndarray | None = None    # int64 `legal_schedule.debt_key` (None: no targets)
    t_cr: np.ndarray | None = None      # targets of the money (`legal_schedule.match`)
    t_rank: np.ndarray | None = None
    t_key: np.ndarray | None = None


@dataclass(frozen=True)
class LegalPenaltyMonth:
    period: int
    contract_id: np.ndarray       # int64, contracts with a non-zero penalty
    counterparty_id: np.ndarray   # int64
    amount_kop: np.ndarray        # int64
    days: np.ndarray              # int16
    detail: pa.Table              # legal_penalty_detail rows of the month
    timelines: int


@dataclass(frozen=True)
class Computed:
    amount_kop: np.ndarray    # int64[groups]
    days: np.ndarray          # int16[groups]
    timelines: int
    # day ranges: debt index, first and last day (days since 1970), delay at the first, debt part,
    # rate × 1000, den, exact share in 1/1000 kopeck
    d_ob: np.ndarray
    d_from: np.ndarray
    d_to: np.ndarray
    d_delay: np.ndarray
    d_debt: np.ndarray
    d_rate: np.ndarray
    d_den: np.ndarray
    d_milli: np.ndarray


def compute(debts: Debts, period: int, rules: DayRules) -> Computed:
    """Match the money, build the month's timelines, run the kernel (no store access)."""
    first, last = day_num(first_day(period)), day_num(last_day(period))
    nd = last - first + 1
    key = debts.ob_key if debts.ob_key is not None else np.zeros(len(debts.ob_amount), np.int64)
    seg_ob, seg_cr, seg_amt, _ = match(debts.ob_group, debts.ob_amount, key, debts.cr_group, debts.cr_amount,
                                       debts.groups, debts.t_cr, debts.t_rank, debts.t_key)
    seg_day = debts.cr_day[seg_cr] if len(seg_cr) else np.zeros(0, np.int64)
    n_ob = len(debts.ob_amount)
    before = seg_day < first
    paid_before = np.bincount(seg_ob[before], seg_amt[before], n_ob).astype(np.int64) if n_ob else np.zeros(0, np.int64)
    start = debts.ob_amount - paid_before
    due_off = debts.ob_due - first
    is_tl = (start > 0) & (due_off < nd)
    tl_ob = np.flatnonzero(is_tl)
    tl_of_ob = np.full(n_ob, -1, np.int64)
    tl_of_ob[tl_ob] = np.arange(len(tl_ob))
    inside = (seg_day >= first) & (seg_day <= last)
    ev = np.flatnonzero(inside & (tl_of_ob[seg_ob] >= 0)) if len(seg_ob) else np.zeros(0, np.int64)
    ev_tl = tl_of_ob[seg_ob[ev]]                      # non-decreasing: segments run along the line
    ev_ptr = np.searchsorted(ev_tl, np.arange(len(tl_ob) + 1), "left").astype(np.int64)
    inp = PenaltyInputs(start[tl_ob], due_off[tl_ob].astype(np.int32), debts.category[debts.ob_group[tl_ob]],
                        debts.ob_group[tl_ob], ev_ptr, (seg_day[ev] - first).astype(np.int32), -seg_amt[ev])
    res = compute_penalties(inp, rules, debts.groups)
    return Computed(res.amount_kop, res.days, len(tl_ob), tl_ob[res.d_tl], res.d_from.astype(np.int64) + first,
                    res.d_to.astype(np.int64) + first, res.d_delay, res.d_debt, res.d_rate, res.d_den,
                    round_div_array(res.d_num, np.int64(100 * rules.lcm)))


# --------------------------------------------------------------------------------------- gathering
def _contracts(store: Store, contract_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(penalty category, counterparty id) of each of the sorted unique `contract_ids`."""
    t = store.con.sql("""
        SELECT c.id, c.counterparty_id,
               CASE WHEN c.kind <> 'manager' THEN $legal WHEN m.kind IN ('tszh', 'zhsk') THEN $tszh ELSE $manager END AS cat
        FROM contract c JOIN counterparty p ON p.id = c.counterparty_id LEFT JOIN manager m ON m.id = p.manager_id
        WHERE list_contains($ids, c.id) ORDER BY c.id""",
                      params={"ids": contract_ids.tolist(), "legal": LEGAL, "tszh": TSZH, "manager": MANAGER}
                      ).to_arrow_table()
    assert np.array_equal(t.column("id").to_numpy(), contract_ids)
    return t.column("cat").to_numpy().astype(np.int8), t.column("counterparty_id").to_numpy().astype(np.int64)


def gather(store: Store, period: int, terms: dict[int, MonthTerms] | None = None) -> tuple[Debts, np.ndarray, np.ndarray]:
    """The month's debts and money from the schedule and the ledger: (debts, contract id and
    counterparty id per group)."""
    terms = terms if terms is not None else {}
    last = last_day(period)
    m0 = store.scalar("SELECT min(period) FROM billing_period")
    m0 = min(int(m0), period) if m0 is not None else period
    plan = planned(store, m0, period, terms=terms)
    p_cid = plan.column("contract_id").to_numpy().astype(np.int64)
    p_amt_null = plan.column("amount_kop").is_null().to_numpy(zero_copy_only=False)
    p_amt = plan.column("amount_kop").fill_null(0).to_numpy().astype(np.int64)
    p_due = plan.column("due_date").to_numpy().astype("datetime64[D]").astype(np.int64)
    p_pdue = plan.column("penalty_due").to_numpy().astype("datetime64[D]").astype(np.int64)
    p_period = plan.column("debt_period").to_numpy().astype(np.int64)
    p_seq = plan.column("seq").to_numpy().astype(np.int64)
    p_code = np.asarray(plan.column("instalment").to_pylist(), object)
    last_n = day_num(last)
    # every known debt, due in the month or later (money a payment names for a later month pays it;
    # debts due later are last in the line and bear nothing this month); money up to the month's end
    p_ob = ~p_amt_null & (p_amt > 0)
    p_cr = ~p_amt_null & (p_due <= last_n) & (p_amt < 0)

    led = ledger_items(store, last, OTHER_KINDS, terms=terms)
    l_cid, l_amt, l_kind = led["contract_id"], led["amount_kop"], led["kind"]
    l_due = led["due"].astype(np.int64)
    l_day = led["op_date"].astype(np.int64)
    # accruals of a scheduled month are its final instalment already
    planned_keys = p_cid * 1_000_000 + p_period
    l_key = l_cid * 1_000_000 + led["debt_period"]
    scheduled = (l_kind == "accrual") & np.isin(l_key, planned_keys)
    l_ob = ~scheduled & (l_amt > 0)
    l_cr = ~scheduled & (l_amt < 0)
    l_code = np.where(l_kind == "accrual", "final", l_kind)

    ids = np.unique(np.concatenate([p_cid[p_ob | p_cr], l_cid[l_ob | l_cr]]))
    grp = lambda c: np.searchsorted(ids, c)  # noqa: E731
    ob_group = np.concatenate([grp(p_cid[p_ob]), grp(l_cid[l_ob])]).astype(np.int64)
    ob_amount = np.concatenate([p_amt[p_ob], l_amt[l_ob]])
    ob_order = np.concatenate([p_due[p_ob], l_due[l_ob]])
    ob_due = np.concatenate([p_pdue[p_ob], l_due[l_ob]])
    ob_seq = np.concatenate([p_seq[p_ob], np.full(int(l_ob.sum()), 9, np.int64)])
    ob_period = np.concatenate([p_period[p_ob], led["debt_period"][l_ob]]).astype(np.int32)
    ob_code = np.concatenate([p_code[p_ob], l_code[l_ob].astype(object)])
    ob_key = np.concatenate([debt_key(p_period[p_ob], np.zeros(int(p_ob.sum()), np.bool_)),
                             debt_key(led["debt_period"][l_ob], l_kind[l_ob] == "penalty")])
    o = np.lexsort((ob_seq, ob_period, ob_order, ob_group))
    cr_group = np.concatenate([grp(p_cid[p_cr]), grp(l_cid[l_cr])]).astype(np.int64)
    cr_amount = np.concatenate([-p_amt[p_cr], -l_amt[l_cr]])
    cr_day = np.concatenate([p_due[p_cr], l_day[l_cr]])
    c = np.lexsort((cr_day, cr_group))
    # the payments' targets: ledger row -> its place among the sorted money
    pos = np.full(len(l_amt), -1, np.int64)
    pos[np.flatnonzero(l_cr)] = int(p_cr.sum()) + np.arange(int(l_cr.sum()))
    inv = np.empty(len(c), np.int64)
    inv[c] = np.arange(len(c))
    t_pos = pos[led["t_item"]]
    ok = t_pos >= 0
    t_cr = inv[t_pos[ok]]
    cats, parties = _contracts(store, ids) if len(ids) else (np.zeros(0, np.int8), np.zeros(0, np.int64))
    debts = Debts(len(ids), cats, ob_group[o], ob_amount[o], ob_due[o], ob_period[o], ob_code[o], cr_group[c],
                  cr_amount[c], cr_day[c], ob_key[o], t_cr, led["t_rank"][ok], led["t_key"][ok])
    return debts, ids, parties


def _detail(period: int, debts: Debts, res: Computed, ids: np.ndarray, keep: np.ndarray) -> pa.Table:
    sel = keep[debts.ob_group[res.d_ob]] if len(res.d_ob) else np.zeros(0, np.bool_)
    ob = res.d_ob[sel]

    def day(x: np.ndarray) -> pa.Array:
        return pa.array(x.astype(np.int32), pa.int32()).cast(pa.date32())

    return pa.table({
        "period": pa.array(np.full(len(ob), period, np.int32)),
        "contract_id": pa.array(ids[debts.ob_group[ob]].astype(np.int64)),
        "debt_period": pa.array(debts.ob_period[ob].astype(np.int32)),
        "instalment": pa.array(list(debts.ob_code[ob]), pa.string()),
        "due_date": day(debts.ob_due[ob]),
        "date_from": day(res.d_from[sel]), "date_to": day(res.d_to[sel]),
        "days": pa.array((res.d_to[sel] - res.d_from[sel] + 1).astype(np.int32)),
        "delay_from": pa.array(res.d_delay[sel].astype(np.int32)),
        "debt_kop": pa.array(res.d_debt[sel].astype(np.int64)),
        "rate": pc.multiply(pa.array(res.d_rate[sel].astype(np.int64)).cast(pa.decimal128(19, 0)),
                            pa.scalar(Decimal("0.001"), pa.decimal128(4, 3))).cast(pa.decimal128(7, 3)),
        "den": pa.array(res.d_den[sel].astype(np.int32)),
        "amount_milli": pa.array(res.d_milli[sel].astype(np.int64)),
    })


def legal_penalty_month(store: Store, period: int, rules: DayRules | None = None) -> LegalPenaltyMonth:
    """Compute (not write) the month's penalties of every contract."""
    rules = rules or day_rules(store, period)
    debts, ids, parties = gather(store, period)
    res = compute(debts, period, rules)
    keep = res.amount_kop != 0
    detail = _detail(period, debts, res, ids, keep)
    return LegalPenaltyMonth(period, ids[keep], parties[keep], res.amount_kop[keep], res.days[keep], detail,
                             res.timelines)


def write_legal_detail(store: Store, month: LegalPenaltyMonth) -> None:
    """Replace the month's legal_penalty_detail rows (one transaction)."""
    with store.transaction() as con:
        con.execute("DELETE FROM legal_penalty_detail WHERE period = ?", [month.period])
        con.register("_lpn_detail", month.detail)
        try:
            con.execute("INSERT INTO legal_penalty_detail SELECT period, contract_id, debt_period, instalment, due_date,"
                        " date_from, date_to, days, delay_from, debt_kop, rate, den, amount_milli FROM _lpn_detail")
        finally:
            con.unregister("_lpn_detail")
