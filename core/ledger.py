"""The ledger's one writer: every posting enters `posting` through `post`.

The ledger is append-only (docs/architecture.md): a posting is never updated or deleted, a
correction is a new posting. Callers hand over an Arrow table of rows — the closing of a month
(its accrual lines aggregated), the payment distribution, refunds, transfers, the demo's opening
balances — and `post` numbers them in table order from the next free id, in one statement.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sbyt.core.store import Store

COLUMNS = {             # posting column -> its SQL type (id and created_at are the ledger's own)
    "account_id": "BIGINT", "service": "VARCHAR", "kind": "VARCHAR", "period": "INTEGER",
    "for_period": "INTEGER", "amount_kop": "BIGINT", "vat_kop": "BIGINT", "op_date": "DATE",
    "ref_id": "BIGINT", "batch_id": "BIGINT", "note": "VARCHAR",
}
DEFAULTS = {"vat_kop": "0"}


def post(store: Store, rows: pa.Table, **same: object) -> int:
    """Append `rows` (columns named as in `posting`) to the ledger, ids in row order; a column the
    table lacks takes its value from `same` (one value for every row), else its default (NULL,
    vat_kop 0). Joins the caller's transaction. Returns the number of postings."""
    unknown = sorted((set(rows.column_names) | set(same)) - set(COLUMNS))
    if unknown:
        raise ValueError(f"posting has no columns {unknown}")
    n = rows.num_rows
    if n == 0:
        return 0
    select, params = [], []
    for name, sql_type in COLUMNS.items():
        if name in rows.column_names:
            select.append(f"CAST({name} AS {sql_type})")
        elif name in same:
            select.append(f"CAST(? AS {sql_type})")
            params.append(same[name])
        else:
            select.append(DEFAULTS.get(name, "NULL"))
    with store.transaction() as con:
        base = store.next_id("posting")
        table = rows.append_column("_ledger_id", pa.array(np.arange(base, base + n, dtype=np.int64)))
        con.register("_ledger_in", table)
        try:
            con.execute(f"INSERT INTO posting (id, {', '.join(COLUMNS)})"
                        f" SELECT _ledger_id, {', '.join(select)} FROM _ledger_in", params)
        finally:
            con.unregister("_ledger_in")
    return n
