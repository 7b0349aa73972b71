"""Distribution of matched payments into ledger postings: one streamed ledger scan and a Numba pass.

Rule (docs/payments.md, a dated setting `payment.distribution`): a payment first covers the debts its
payer designated (period and/or service, «пени» included); the rest goes by the configured order:
`earliest` — the earliest month first (services within a month by `payment.priority.<service>`),
`priority` — by service priority, then the earliest month, `current_first` — the latest month
first. What is left after every debt is an advance (a negative posting of the payment's month);
`consume_advances` moves advances onto the debts that accruals created.

How: the balances of the accounts concerned per (service, month) — and the last day a debt grew —
are added up from one streamed scan of `posting` (Arrow batches into a dense account × service ×
month grid; no SQL GROUP BY over millions of groups). A Numba kernel then walks every account:
advance set-off first (earliest debts first), then the account's payments in order of day and id,
each taking the debts in the rule's order (one account's later payments see what the earlier ones
left). The postings go to the ledger (`sbyt.core.ledger.post`) as Arrow tables; ids follow the same
order as before (account, month, service for set-offs; account, payment, month, service for payments).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from sbyt.calc.kernels.distribution import NO_DAY, scatter, walk
from sbyt.core.ledger import post
from sbyt.core.store import Store

ADVANCE_SERVICE = "electricity"     # the service an unallocated remainder (advance) is posted to
METHODS = {"earliest": 0, "priority": 1, "current_first": 2}
DEFAULT_PRIORITY = 5
PAYMENT_COLUMNS = ("payment_id", "account_id", "amount_kop", "pay_date", "for_period", "for_service")
BATCH_ROWS = 1 << 20                # postings per streamed Arrow batch
MONTH_RANGE = 48                    # months kept as a dense range up to this many (else the months present)
FILTER_SHARE = 20                   # scan only the accounts concerned when they are < 1/20 of all accounts
EPOCH = date(1970, 1, 1)


def distribution_method(store: Store, on: date) -> str:
    text = store.scalar(
        "SELECT text_value FROM dated_rule WHERE code = 'payment.distribution' AND valid_from <= ?"
        " AND (valid_to IS NULL OR valid_to > ?) ORDER BY valid_from DESC LIMIT 1", [on, on])
    return text if text in METHODS else "earliest"


def _priorities(store: Store, on: date) -> dict[str, int]:
    return {s: int(p) for s, p in store.all("""
        SELECT substr(code, length('payment.priority.') + 1) AS service, arg_max(value, valid_from)::INTEGER AS prio
        FROM dated_rule WHERE code LIKE 'payment.priority.%' AND valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)
        GROUP BY code""", [on, on])}


# --------------------------------------------------------------------------------------- the ledger grid
class _Grid:
    """Balances of the accounts concerned per (service, month) from one scan of `posting`."""

    def __init__(self, store: Store, accounts: np.ndarray, extra_services: list[str], extra_months: list[int]) -> None:
        con = store.con
        self.accounts = accounts                        # sorted unique account ids = rows
        a0, a1, f0, f1 = con.execute("SELECT min(account_id), max(account_id), min(for_period), max(for_period)"
                                     " FROM posting").fetchall()[0]
        months = [m for m in extra_months if m is not None]
        if f0 is not None:
            months += [int(f0), int(f1)]
        m_lo, m_hi = min(months), max(months)
        self.m_base = _month_num(m_lo)
        span = _month_num(m_hi) - self.m_base + 1
        if span <= MONTH_RANGE:
            self.months = [_month_of(self.m_base + i) for i in range(span)]
        else:
            present = [int(r[0]) for r in con.execute("SELECT DISTINCT for_period FROM posting").fetchall()]
            self.months = sorted(set(present) | set(months))
        self.mcol = np.full(span, -1, np.int64)
        for i, m in enumerate(self.months):
            self.mcol[_month_num(m) - self.m_base] = i
        present_svc = [r[0] for r in con.execute("SELECT DISTINCT service FROM posting").fetchall()]
        self.services = sorted(set(present_svc) | set(extra_services))
        n = len(accounts)
        self.cell = np.zeros((n, len(self.services) * len(self.months), 2), np.int64)
        self.cell[:, :, 1] = NO_DAY
        if n == 0 or a0 is None:
            return
        lo, hi = int(accounts[0]), int(accounts[-1])
        if hi - lo + 1 <= 4 * n + 65_536:
            row_of = np.full(hi - lo + 1, -1, np.int64)
            row_of[accounts - lo] = np.arange(n)
            ids = np.zeros(0, np.int64)
        else:
            row_of, ids = np.zeros(0, np.int64), accounts
        svc_case = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(self.services))
        where = ""
        total = int(con.execute("SELECT count(*) FROM account").fetchall()[0][0])
        if n * FILTER_SHARE < total:
            con.register("_d_acc_in", pa.table({"account_id": pa.array(accounts, pa.int64())}))
            con.execute("CREATE OR REPLACE TEMP TABLE _d_acc AS SELECT * FROM _d_acc_in")
            con.unregister("_d_acc_in")
            where = " WHERE account_id IN (SELECT account_id FROM _d_acc)"
        reader = con.sql(f"SELECT account_id, (CASE service {svc_case} END)::BIGINT, for_period, amount_kop, op_date"
                         f" FROM posting{where}").to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            if batch.num_rows:
                scatter(batch.column(0).to_numpy(), batch.column(1).to_numpy(), batch.column(2).to_numpy(),
                         batch.column(3).to_numpy(), batch.column(4).view(pa.int32()).to_numpy(), lo, row_of, ids,
                         self.m_base, self.mcol, len(self.months), self.cell)
        if where:
            con.execute("DROP TABLE IF EXISTS _d_acc")

    def month_col(self, values: np.ndarray) -> np.ndarray:
        """Month columns of YYYYMM values; -1 for 0 (none), -2 for a month not in the grid."""
        out = np.full(len(values), -2, np.int64)
        out[values == 0] = -1
        lookup = {m: i for i, m in enumerate(self.months)}
        for v in np.unique(values[values != 0]):
            if int(v) in lookup:
                out[values == v] = lookup[int(v)]
        return out


def _month_num(yyyymm: int) -> int:
    return (yyyymm // 100) * 12 + yyyymm % 100 - 1


def _month_of(num: int) -> int:
    return (num // 12) * 100 + num % 12 + 1


def _first(period: int) -> str:
    return f"{period // 100:04d}-{period % 100:02d}-01"


def _run(store: Store, accounts: np.ndarray, period: int, pay: dict[str, np.ndarray] | None,
         prio: dict[str, int], method: int, for_services: list[str]) -> tuple:
    """Grid + kernel: (grid, set-off moves, allocations, payment arrays in kernel order)."""
    grid = _Grid(store, accounts, for_services + [ADVANCE_SERVICE],
                 [period] + ([int(x) for x in np.unique(pay["for_period"]) if x] if pay is not None else []))
    nm = len(grid.months)
    n = len(accounts)
    if pay is None:
        p_ptr = np.zeros(n + 1, np.int64)
        p_amt = p_month = p_svc = p_adv = np.zeros(0, np.int64)
    else:
        rows = np.searchsorted(accounts, pay["account_id"])
        p_ptr = np.zeros(n + 1, np.int64)
        p_ptr[1:] = np.cumsum(np.bincount(rows, minlength=n))
        p_amt = pay["amount_kop"]
        p_month = grid.month_col(pay["for_period"])
        svc_code = {s: i for i, s in enumerate(grid.services)}
        idx, names = pay["for_service"]           # dictionary indices (-1 = none) and values
        code = np.array([svc_code[x] for x in names] + [-1], np.int64)
        adv = np.array([svc_code[ADVANCE_SERVICE if x == "penalty" else x] for x in names]
                       + [svc_code[ADVANCE_SERVICE]], np.int64)
        p_svc, p_adv = code[idx], adv[idx]       # index -1 picks the last entry: none / the default advance
    prio_arr = np.array([prio.get(s, DEFAULT_PRIORITY) for s in grid.services], np.int64)
    first_num = (date(period // 100, period % 100, 1) - EPOCH).days
    args = (grid.cell, nm, prio_arr, method, first_num, p_ptr, p_amt, p_month, p_svc, p_adv,
            grid.months.index(period))
    e64, e32 = np.zeros(0, np.int64), np.zeros(0, np.int32)
    nc, nd = walk(*args, False, e64, e64, e64, e32, e64, e64, e64)
    moves = (np.zeros(nc, np.int64), np.zeros(nc, np.int64), np.zeros(nc, np.int64), np.zeros(nc, np.int32))
    alloc = (np.zeros(nd, np.int64), np.zeros(nd, np.int64), np.zeros(nd, np.int64))
    walk(*args, True, *moves, *alloc)
    return grid, moves, alloc


def _post_moves(store: Store, grid: _Grid, moves: tuple, period: int) -> int:
    """The set-off postings (kind 'payment', «Зачёт аванса»), ids in order of (account, month, service)."""
    row, cell, amt, day = moves
    if len(row) == 0:
        return 0
    nm = len(grid.months)
    return post(store, pa.table({
        "account_id": pa.array(grid.accounts[row]),
        "service": pa.DictionaryArray.from_arrays(pa.array((cell // nm).astype(np.int32)), pa.array(grid.services)),
        "for_period": pa.array(np.asarray(grid.months, np.int32)[cell % nm]),
        "amount_kop": pa.array(amt),
        "op_date": pa.array(day, pa.int32()).view(pa.date32()),
    }), kind="payment", period=period, note="Зачёт аванса")


def distribute(store: Store, payments: pa.Table, *, period: int, on: date, kind: str = "payment",
               batch_id: int | None = None, note: str | None = None) -> int:
    """Post `payments` (columns payment_id, account_id, amount_kop, pay_date, for_period — null for
    none — and for_service) as negative postings of `kind` in `period`; returns the number of
    postings. Advances of the accounts are set off first. Must run inside the caller's transaction."""
    if payments.num_rows == 0:
        return 0
    col = {name: payments.column(name).combine_chunks() for name in PAYMENT_COLUMNS}
    col["for_period"] = col["for_period"].cast(pa.int32()).fill_null(0)
    pay_day = col["pay_date"].view(pa.int32()).to_numpy()
    order = np.lexsort((col["payment_id"].to_numpy(), pay_day, col["account_id"].to_numpy()))
    svc = col["for_service"].dictionary_encode()
    svc_names = svc.dictionary.to_pylist()
    svc_idx = svc.indices.fill_null(-1).to_numpy()[order]
    pay = {name: col[name].to_numpy()[order] for name in ("payment_id", "account_id", "amount_kop", "for_period")}
    pay["for_service"] = (svc_idx, svc_names)
    pay_day = pay_day[order]
    accounts = np.unique(pay["account_id"])
    grid, moves, (d_pay, d_cell, d_amt) = _run(store, accounts, period, pay, _priorities(store, on),
                                               METHODS[distribution_method(store, on)], sorted(svc_names))
    _post_moves(store, grid, moves, period)
    n = len(d_pay)
    nm = len(grid.months)
    # ids in order of (account, payment, month, service); an advance after an allocation of the same cell
    acc = pay["account_id"][d_pay]
    pid = pay["payment_id"][d_pay]
    month, svc = d_cell % nm, d_cell // nm
    order = np.lexsort((svc, month, pid, acc))
    post(store, pa.table({
        "account_id": pa.array(acc[order]),
        "service": pa.DictionaryArray.from_arrays(pa.array(svc[order].astype(np.int32)), pa.array(grid.services)),
        "for_period": pa.array(np.asarray(grid.months, np.int32)[month[order]]),
        "amount_kop": pa.array(-d_amt[order]),
        "op_date": pa.array(pay_day[d_pay][order], pa.int32()).view(pa.date32()),
        "ref_id": pa.array(pid[order]),
    }), kind=kind, period=period, batch_id=batch_id, note=note)
    return int(n)


def consume_advances(store: Store, *, period: int, accounts: np.ndarray | None = None) -> int:
    """Move advances (negative month/service balances) onto debts of the same account, earliest debt
    first; two postings of kind 'payment' per move (−x on the debt, +x on the advance), so the
    account's total and its payments are unchanged while every month's debt becomes true.
    `accounts` (account ids) limits the work; None = every account with postings.
    Returns the number of accounts with a move."""
    if accounts is None:
        accs = np.asarray(store.con.execute("SELECT DISTINCT account_id FROM posting ORDER BY 1")
                          .fetchnumpy()["account_id"], np.int64)
    else:
        accs = np.unique(np.asarray(accounts, np.int64))
    if len(accs) == 0:
        return 0
    grid, moves, _ = _run(store, accs, period, None, {}, 0, [])
    _post_moves(store, grid, moves, period)
    return int(len(np.unique(moves[0])))
