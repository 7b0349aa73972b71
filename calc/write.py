"""Write: all accrual lines of a run as one Arrow table into `accrual_line`, in one transaction that
first removes the month's previous draft lines (a rerun replaces them; manual lines stay)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sbyt.calc.lines import LineBatch, to_arrow
from sbyt.core.store import Store

INSERT_SQL = """
INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, zone, method,
    seg_from, seg_to, volume_wh, price, amount_kop, vat_kop, prev_value, cur_value, ratio, residents,
    normative_wh, factor_milli, base_months, days, month_days, reason, status, meter_id, avg_wh,
    share_num, share_den, base_method, tariff_group)
SELECT ? + seq, ?, for_period, account_id, metering_point_id, service, zone, method,
    make_date(for_period // 100, for_period % 100, 1) + seg_from,
    make_date(for_period // 100, for_period % 100, 1) + seg_to,
    volume_wh, (price_e4::DECIMAL(18, 0) * 0.0001)::DECIMAL(12, 4), amount_kop, vat_kop, prev_value,
    cur_value, ratio, residents, normative_wh, factor_milli, base_months, days, month_days, reason, 'draft',
    meter_id, avg_wh, share_num, share_den, base_method, tariff_group
FROM _sbyt_lines
"""


def lines_table(batches: list[LineBatch], tariff_groups: list[str]) -> pa.Table:
    """One Arrow table over all batches without copying them into one: each batch becomes a chunk
    (numeric columns zero-copy, names as dictionary arrays), `seq` numbers the lines in order."""
    tables, start = [], 0
    for batch in batches or [LineBatch.make(0)]:
        table = to_arrow(batch, tariff_groups, strings=False)
        tables.append(table.append_column("seq", pa.array(np.arange(start, start + batch.n, dtype=np.int64))))
        start += batch.n
    return pa.concat_tables(tables)


def write_lines(store: Store, period: int, table: pa.Table, *, replace: bool = True) -> int:
    """Replace the month's draft lines (except manual ones) with `table`; one transaction."""
    with store.transaction() as con:
        if replace:
            con.execute("DELETE FROM accrual_line WHERE period = ? AND status = 'draft' AND method <> 'manual'",
                        [period])
        base = store.next_id("accrual_line")
        con.register("_sbyt_lines", table)
        try:
            con.execute(INSERT_SQL, [base, period])
        finally:
            con.unregister("_sbyt_lines")
        con.execute("UPDATE billing_period SET calc_at = current_timestamp WHERE period = ?", [period])
    return table.num_rows
