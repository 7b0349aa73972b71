"""Write: all accrual lines of a run as one Arrow table into `accrual_line`, in one transaction that
first removes the month's previous draft lines (a rerun replaces them; manual lines stay)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from sbyt.calc.lines import NULL, LineBatch, to_arrow
from sbyt.core.periods import first_day
from sbyt.core.store import Store

INSERT_SQL = """
INSERT INTO accrual_line (id, period, for_period, account_id, metering_point_id, service, zone, method,
    seg_from, seg_to, volume_wh, price, amount_kop, vat_kop, prev_value, cur_value, ratio, residents,
    normative_wh, factor_milli, base_months, days, month_days, reason, status, meter_id, avg_wh,
    share_num, share_den, base_method, tariff_group, method_reason)
SELECT ? + seq, ?, for_period, account_id, metering_point_id, service, zone, method,
    seg_from_date, seg_to_date, volume_wh, price_dec, amount_kop, vat_kop, prev_value,
    cur_value, ratio, residents, normative_wh, factor_milli, base_months, days, month_days, reason, 'draft',
    meter_id, avg_wh, share_num, share_den, base_method, tariff_group, method_reason
FROM _sbyt_lines
"""

EPOCH = date(1970, 1, 1)


def _month_start_days(for_period: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of the first day of each line's month (YYYYMM), vectorised."""
    if len(for_period) == 0:
        return np.zeros(0, np.int32)
    lo, hi = int(for_period.min()), int(for_period.max())
    if lo == hi:
        return np.full(len(for_period), (first_day(lo) - EPOCH).days, np.int32)
    months = (for_period.astype(np.int64) // 100) * 12 + for_period % 100 - 1
    m0 = int(months.min())
    table = np.array([(date((m0 + k) // 12, (m0 + k) % 12 + 1, 1) - EPOCH).days
                      for k in range(int(months.max()) - m0 + 1)], np.int32)
    return table[months - m0]


def _dates(start: np.ndarray, day: np.ndarray) -> pa.Array:
    """date32 = month start + day index; −1 = NULL."""
    return pa.array((start + day).astype(np.int32), mask=day == NULL).cast(pa.date32())


def decimal_array(unscaled: np.ndarray, precision: int, scale: int, null: np.ndarray | None = None) -> pa.Array:
    """DECIMAL(precision, scale) straight from int64 unscaled values (value × 10^scale); `null`: a
    mask of NULLs. No per-row cast in SQL."""
    v = np.ascontiguousarray(unscaled, np.int64)
    words = np.empty((len(v), 2), np.int64)
    words[:, 0] = v
    words[:, 1] = v >> 63
    validity = pa.array(v, mask=null).buffers()[0] if null is not None and null.any() else None
    return pa.Array.from_buffers(pa.decimal128(precision, scale), len(v), [validity, pa.py_buffer(words)])


def _decimal_e4(value_e4: np.ndarray) -> pa.Array:
    """DECIMAL(12, 4) from integers × 10⁴, −1 = NULL."""
    v = np.ascontiguousarray(value_e4, np.int64)
    return decimal_array(v, 12, 4, v == NULL)


def lines_table(batches: list[LineBatch], tariff_groups: list[str]) -> pa.Table:
    """One Arrow table over all batches without copying them into one: each batch becomes a chunk
    (numeric columns zero-copy, names as dictionary arrays), `seq` numbers the lines in order."""
    tables, start = [], 0
    for batch in batches or [LineBatch.make(0)]:
        table = to_arrow(batch, tariff_groups, strings=False)
        c = batch.cols
        month = _month_start_days(c["for_period"])
        table = table.append_column("seq", pa.array(np.arange(start, start + batch.n, dtype=np.int64)))
        table = table.append_column("seg_from_date", _dates(month, c["seg_from"]))
        table = table.append_column("seg_to_date", _dates(month, c["seg_to"]))
        tables.append(table.append_column("price_dec", _decimal_e4(c["price_e4"])))
        start += batch.n
    return pa.concat_tables(tables)


def write_lines(store: Store, period: int, table: pa.Table, *, replace: bool = True,
                services: tuple[str, ...] | None = None) -> int:
    """Replace the month's draft lines (except manual ones) with `table` and stamp the month as
    calculated; one transaction (joins the caller's). `services`: replace only the drafts of these
    services (the standalone ОДН run: 'odn'); None: of all services. `replace=False` appends
    (a manual line) and leaves the stamp."""
    with store.transaction() as con:
        if replace and services is None:
            con.execute("DELETE FROM accrual_line WHERE period = ? AND status = 'draft' AND method <> 'manual'",
                        [period])
        elif replace:
            con.execute("DELETE FROM accrual_line WHERE period = ? AND status = 'draft' AND method <> 'manual' "
                        "AND list_contains(?::VARCHAR[], service)", [period, list(services)])
        base = store.next_id("accrual_line")
        con.register("_sbyt_lines", table)
        try:
            con.execute(INSERT_SQL, [base, period])
        finally:
            con.unregister("_sbyt_lines")
        if replace:
            con.execute("UPDATE billing_period SET calc_at = current_timestamp WHERE period = ?", [period])
    return table.num_rows
