"""`sbyt bench readings` on a small demo: the month of 80020 files it writes goes in through
`sbyt readings import` completely, and the store is left as it was."""

from __future__ import annotations

from pathlib import Path

from sbyt.core.demo import build_demo
from sbyt.core.store import open_store
from sbyt.io.askue_bench import run_readings_bench


def test_a_month_of_files_for_every_bound_point_is_imported_and_removed_again(tmp_path: Path):
    db = tmp_path / "bench.duckdb"
    with open_store(db) as st:
        build_demo(st, 2000, seed=7)
        before = st.all("SELECT count(*), coalesce(sum(value_wh), 0) FROM meter_hour")
        batches = st.scalar("SELECT count(*) FROM import_batch")
    r = run_readings_bench(db, points=5, searches=5)
    assert (r["period"], r["points"], r["files"]) == (202611, 5, 30)
    assert r["intervals"] == 5 * 30 * 48 and r["hours"] == 5 * 30 * 24
    assert r["counterparties"] == 15 and r["searches"] == 5
    with open_store(db) as st:
        assert st.all("SELECT count(*), coalesce(sum(value_wh), 0) FROM meter_hour") == before
        assert st.scalar("SELECT count(*) FROM import_batch") == batches
