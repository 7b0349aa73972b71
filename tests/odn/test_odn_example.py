"""Worked example 1 of docs/examples.md through load (SQL) → ОДН step → stored lines."""

from __future__ import annotations

from sbyt.calc.odn import run_odn

PERIOD = 202611


def _bill(store, account_id: int) -> int:
    return int(store.scalar("SELECT sum(amount_kop) FROM accrual_line WHERE account_id = ? AND period = ?",
                            [account_id, PERIOD]))


def test_example1_odn_96_80_and_bill_387_20(example1):
    st = example1
    summary = run_odn(st, PERIOD)
    assert summary.by_readings == 1 and summary.imbalances == 0
    row = st.one("SELECT common_wh, nonres_wh, unmetered_wh, metered_wh, raw_wh, odn_wh FROM odn_result")
    assert row == (12_000_000, 1_000_000, 4_000_000, 5_000_000, 2_000_000, 2_000_000)
    line = st.one("SELECT method, volume_wh, amount_kop FROM accrual_line WHERE account_id = 1 AND service = 'odn'")
    assert line == ("odn_meter", 50_000, 9_680)          # 50 kWh, 96.80 RUB
    assert _bill(st, 1) == 38_720                         # 150 kWh own + ОДН = 387.20 RUB
    assert st.scalar("SELECT sum(odn_wh) FROM odn_share") == 2_000_000


def test_example1_with_zero_own_volume(store, odn_sql):
    odn_sql(store, "example1.sql", flat1_kwh=0, flat2_kwh=5000)
    run_odn(store, PERIOD)
    assert _bill(store, 1) == 9_680                       # 0 kWh own: 96.80 RUB


def test_rerun_replaces_draft_lines(example1):
    run_odn(example1, PERIOD)
    run_odn(example1, PERIOD)
    assert example1.scalar("SELECT count(*) FROM accrual_line WHERE service = 'odn'") == 3
    assert example1.scalar("SELECT count(*) FROM odn_result") == 1


def test_rerun_keeps_the_drafts_of_other_services(example1):
    """The standalone run replaces only the month's 'odn' drafts (`write_lines(..., services=('odn',))`)."""
    sql = "SELECT * EXCLUDE (created_at) FROM accrual_line WHERE service <> 'odn' ORDER BY id"
    before = example1.all(sql)
    assert len(before) == 3
    run_odn(example1, PERIOD)
    run_odn(example1, PERIOD)
    assert example1.all(sql) == before
    ids = [r[0] for r in example1.all("SELECT id FROM accrual_line WHERE service = 'odn' ORDER BY id")]
    assert ids == [4, 5, 6]             # fresh ids after the kept lines, the rerun's drafts replaced


def test_write_lines_replaces_only_the_named_services(example1):
    from sbyt.calc.write import lines_table, write_lines

    run_odn(example1, PERIOD)
    write_lines(example1, PERIOD, lines_table([], []), services=("penalty",))
    assert example1.scalar("SELECT count(*) FROM accrual_line WHERE period = ?", [PERIOD]) == 6
    write_lines(example1, PERIOD, lines_table([], []), services=("odn", "penalty"))
    assert example1.all("SELECT DISTINCT service FROM accrual_line WHERE period = ?", [PERIOD]) == [("electricity",)]
    write_lines(example1, PERIOD, lines_table([], []))
    assert example1.scalar("SELECT count(*) FROM accrual_line WHERE period = ?", [PERIOD]) == 0
