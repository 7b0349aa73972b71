"""`sbyt bench`: time one full monthly run on a demo store, stage by stage, against a DuckDB baseline.

The demo store is built by `sbyt.core.demo.build_demo` in a child process (so that its memory does
not count in the run's peak RSS), or reused with `keep`. The run is `sbyt.calc.pipeline.calculate`
of the open month (it replaces its own draft lines, so the store stays reusable). The baseline is
plain DuckDB SQL that reads the same inputs (the same reading window, facts, points, meters) and
writes the same number of rows into a table shaped like `accrual_line`, then drops it.
"""

from __future__ import annotations

import gc
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sbyt.calc.pipeline import calculate
from sbyt.core.periods import add_months, first_day, next_first_day
from sbyt.core.reference import rule
from sbyt.core.store import Store, open_store

Progress = Callable[[str, float], None]

BUILD = """
import sys
from sbyt.core.store import open_store
from sbyt.core.demo import build_demo
with open_store(sys.argv[1]) as st:
    build_demo(st, int(sys.argv[2]), int(sys.argv[3]), 0)
"""

BASELINE_SQL = """
CREATE OR REPLACE TABLE _bench_baseline AS
WITH r AS (
    SELECT meter_id, zone, arg_max(value, read_on) AS cur, arg_min(value, read_on) AS first,
           max(read_on) AS last_on
    FROM reading WHERE status = 'accepted' AND read_on >= $lo AND read_on < $end GROUP BY ALL),
m AS (SELECT id, metering_point_id, ratio, digits FROM meter
      WHERE installed < $end AND (removed IS NULL OR removed >= $start)),
f AS (SELECT account_id, residents_living, residents_registered, owners, equipment, tariff_group
      FROM account_fact WHERE valid_from < $end AND (valid_to IS NULL OR valid_to > $start)),
p AS (SELECT mp.id, coalesce(mp.account_id, -1) AS account_id, pr.rooms
      FROM metering_point mp LEFT JOIN account a ON a.id = mp.account_id
      LEFT JOIN premise pr ON pr.id = coalesce(mp.premise_id, a.premise_id)
      WHERE mp.kind IN ('individual', 'shared') AND mp.connected < $end
        AND (mp.disconnected IS NULL OR mp.disconnected > $start)),
x AS (
    SELECT p.id AS point_id, p.account_id, coalesce(r.zone, 1) AS zone,
           coalesce((r.cur - r.first) * m.ratio * 1000, f.residents_living * 50000) AS volume_wh,
           r.cur, r.first, m.ratio, f.residents_living, f.tariff_group
    FROM p LEFT JOIN f ON f.account_id = p.account_id
    LEFT JOIN m ON m.metering_point_id = p.id
    LEFT JOIN r ON r.meter_id = m.id)
SELECT * FROM x
"""

WRITE_SQL = """
INSERT INTO _bench_lines (id, period, for_period, account_id, metering_point_id, service, zone, method,
    volume_wh, price, amount_kop, vat_kop, prev_value, cur_value, ratio, residents, status, tariff_group)
SELECT row_number() OVER (), $period, $period, account_id, point_id, 'electricity', zone, 'readings', volume_wh,
    1.4, volume_wh * 14 // 10000, volume_wh * 14 // 10000 * 22 // 122, first, cur, ratio, residents_living,
    'draft', tariff_group
FROM _bench_baseline, range($copies) LIMIT $n
"""


def build(path: Path, accounts: int, seed: int) -> None:
    """A fresh demo store in a child process."""
    for suffix in ("", ".wal"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
    subprocess.run([sys.executable, "-c", BUILD, str(path), str(accounts), str(seed)], check=True)


def baseline(store: Store, period: int, lines: int) -> float:
    """Seconds for plain DuckDB to read the same inputs and write `lines` rows."""
    start, end = first_day(period), next_first_day(period)
    back = int(rule(store, "average.max_consecutive", start) or 3) + int(rule(store, "average.base_months", start) or 6)
    lo = first_day(add_months(period, -(back + 1)))
    t0 = time.perf_counter()
    with store.transaction() as con:
        con.execute(BASELINE_SQL, {"lo": lo, "start": start, "end": end})
        rows = store.scalar("SELECT count(*) FROM _bench_baseline") or 1
        con.execute("CREATE OR REPLACE TABLE _bench_lines AS SELECT * FROM accrual_line LIMIT 0")
        con.execute(WRITE_SQL, {"period": period, "copies": -(-lines // rows), "n": lines})
    elapsed = time.perf_counter() - t0
    with store.transaction() as con:
        con.execute("DROP TABLE _bench_baseline")
        con.execute("DROP TABLE _bench_lines")
    return elapsed


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_bench(path: Path, accounts: int, *, keep: bool = False, seed: int = 7,
              progress: Progress | None = None, memory_limit: str | None = "4GB") -> dict[str, object]:
    """`memory_limit`: DuckDB's buffer-pool limit for the run (its default, 80 % of RAM, lets the
    scanned blocks stay cached and inflates the process RSS); None keeps DuckDB's default."""
    tick = progress or (lambda stage, frac: None)
    built_s = None
    if not (keep and path.exists()):
        tick("демо-регион", 0.0)
        t0 = time.perf_counter()
        build(path, accounts, seed)
        built_s = time.perf_counter() - t0
    with open_store(path) as st:
        if memory_limit:
            st.execute(f"SET memory_limit = '{memory_limit}'")
        n_accounts = int(st.scalar("SELECT count(*) FROM account"))
        tick("расчёт", 0.3)
        t0 = time.perf_counter()
        ctx = calculate(st, progress=lambda stage, frac: tick(f"расчёт: {stage}", 0.3 + 0.4 * frac))
        run_s = time.perf_counter() - t0
        period, written = ctx.period, ctx.written
        timings, cpu_timings, stage_rss = ctx.timings, ctx.cpu_timings, ctx.peak_rss_mb
        legal = legal_summary(st, ctx)
        del ctx               # the run's arrays are not the baseline's: free them before it starts
        gc.collect()
        tick("базовая линия DuckDB", 0.7)
        base_s = baseline(st, period, written)
    tick("готово", 1.0)
    return {
        "accounts": n_accounts,
        "period": period,
        "lines": written,
        "run_s": round(run_s, 3),
        "baseline_s": round(base_s, 3),
        "ratio": round(run_s / base_s, 3) if base_s else None,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "stages": {k: round(v, 3) for k, v in timings.items()},
        "stages_cpu": {k: round(v, 3) for k, v in cpu_timings.items()},
        "stages_peak_rss_mb": {k: round(v, 1) for k, v in stage_rss.items()},
        "duckdb_memory_limit": memory_limit,
        "build_s": None if built_s is None else round(built_s, 1),
        "cpus": os.cpu_count(),
        "legal": legal,
    }


def legal_summary(store: Store, ctx) -> dict[str, object]:  # noqa: ANN001 - CalcContext
    """The legal-entity part of the run: its size and its own stages (seconds)."""
    run = ctx.extra.get("legal")
    if run is None:
        return {"points": 0, "hourly_points": 0, "hours": 0, "lines": 0, "s": 0.0, "stages": {}}
    stages = {k: round(v, 3) for k, v in run.timings.items()}
    return {**run.counts, "lines": int(ctx.extra.get("legal_lines", 0)),
            "s": round(ctx.timings.get("legal", 0.0) + run.timings.get("write", 0.0), 3), "stages": stages}
